/* analyze_message.c: a whole message as items: headers, MIME tree, DSN groups, ARF, recipients. */
#include "analyze.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "mime.h"
#include "util.h"

/* The value of a header or DSN field "Name: value" in [s, end), unfolded
 * continuation lines included (mime_field()), as a span. */
static struct span
field(const char *base, const char *s, const char *end, const char *name)
{
	const char *v, *e;

	if (!mime_field(s, end, name, &v, &e))
		return mkspan(base, s, s);
	return mkspan(base, v, e);
}

/* The length of the UTF-8 punctuation of CJK text at q (before le): the
 * ideographic comma, full stop and brackets (U+3000-U+303F) and the
 * full-width forms of ASCII punctuation ("：", "＜", "（"). No address holds
 * one: "收件人：a@b" names a@b. 0 when there is none. */
static size_t
cjk_punct(const char *q, const char *le)
{
	const unsigned char *u = (const unsigned char *)q;

	if (le - q < 3)
		return 0;
	if (u[0] == 0xe3 && u[1] == 0x80 && u[2] >= 0x80 && u[2] <= 0xbf)
		return 3;
	if (u[0] == 0xef && u[1] == 0xbc && u[2] >= 0x80 && u[2] <= 0xbf &&
	    !(u[2] >= 0x90 && u[2] <= 0x99) && !(u[2] >= 0xa1)) /* not its digits and letters */
		return 3;
	if (u[0] == 0xef && u[1] == 0xbd && u[2] >= 0x9b && u[2] <= 0xa5)
		return 3;
	return 0;
}

/* The end of the address that starts exactly at p (local@domain, the
 * domain with a dot), or NULL. The domain stops at the first byte a domain
 * cannot hold, so a quoted-printable "=20" or a "<mailto:...>" after it is
 * not part of it. */
static const char *
addr_end(const char *p, const char *le)
{
	static const char local_punct[] = "!#$%&'*+-/=?^_`{|}~.";
	const char *q = p, *d, *dot = NULL;

	/* the lengths RFC 5321 allows bound the work on a hostile input */
	while (q < le && *q != '@' && q - p <= 64 &&
	       (isalnum((unsigned char)*q) || ((unsigned char)*q >= 0x80 && !cjk_punct(q, le)) ||
		(*q && strchr(local_punct, *q))))
		q++;
	if (q == p || q >= le || *q != '@' || *p == '.')
		return NULL;
	d = ++q;
	while (q < le && q - d <= 255 &&
	       (isalnum((unsigned char)*q) || *q == '-' || *q == '.' || (unsigned char)*q >= 0x80)) {
		if (*q == '.')
			dot = q;
		q++;
	}
	while (q > d && q[-1] == '.')
		q--;
	if (!dot || dot >= q || dot == d)
		return NULL;
	return q;
}

/* An address of the mail system itself, never a failed recipient. */
static int
system_address(const char *a, const char *ae)
{
	return ieq_prefix(a, ae, "postmaster@") || ieq_prefix(a, ae, "mailer-daemon@");
}

/* A mailing list's own address (Mailman's list-bounces, list-owner,
 * list-request and list-admin, Majordomo's owner-list): where a list sends
 * and takes its bounces, never a member who failed. */
static int
list_address(const char *a, const char *ae)
{
	static const char *const suffixes[] = { "-bounces", "-owner", "-request", "-admin", NULL };
	const char *at = memchr(a, '@', (size_t)(ae - a)), *plus;
	size_t i, n;

	if (!at)
		return 0;
	/* VERP: list-bounces+member=example.net@ */
	plus = memchr(a, '+', (size_t)(at - a));
	if (plus)
		at = plus;
	if (ieq_prefix(a, at, "owner-"))
		return 1;
	for (i = 0; suffixes[i]; i++) {
		n = strlen(suffixes[i]);
		if ((size_t)(at - a) > n && strncasecmp(at - n, suffixes[i], n) == 0)
			return 1;
	}
	return 0;
}

/* The address in a structured field's value [s, end) ("rfc822; <a@b>",
 * "a@b"): the first valid one, or an empty span. */
static struct span
field_address(const char *base, const char *s, const char *end)
{
	const char *semi = memchr(s, ';', (size_t)(end - s)), *e;

	if (semi)
		s = semi + 1;
	while (s < end && (*s == ' ' || *s == '\t' || *s == '<' || *s == '"' || *s == '\r' ||
			   *s == '\n'))
		s++;
	e = addr_end(s, end);
	return e ? mkspan(base, s, e) : mkspan(base, s, s);
}

static int
same_address(const char *base, struct span a, struct span b)
{
	return span_len(a) == span_len(b) &&
	       strncasecmp(base + a.start, base + b.start, span_len(a)) == 0;
}

/* The next address of a list [s, end) ("a@b, <c@d>; e@f") in *a, and
 * where to go on from, or NULL at its end. */
static const char *
list_next(const char *base, const char *s, const char *end, struct span *a)
{
	while (s < end) {
		const char *e;

		if ((s == base || !isalnum((unsigned char)s[-1])) && (e = addr_end(s, end))) {
			*a = mkspan(base, s, e);
			return e;
		}
		s++;
	}
	return NULL;
}

static int
blank_line(const char *p, const char *le)
{
	while (p < le && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p == le;
}

/* One group of DSN per-recipient fields: Final-Recipient, Action, Status,
 * Remote-MTA, Diagnostic-Code. */
void
message_dsn_group(const char *base, const char *s, const char *end, struct item *it)
{
	struct span v;

	it->format = "dsn";
	/* the final recipient, else the one the sender wrote (a Final-Recipient
	 * that is no address, "LOCAL; bob", gives way to it) */
	v = field(base, s, end, "Final-Recipient");
	if (span_ok(v))
		it->recipient = field_address(base, base + v.start, base + v.end);
	/* Sendmail's X-Actual-Recipient: the address an alias or list in
	 * Final-Recipient was expanded to, the mailbox that failed (the
	 * alias itself still works, and its own words name the member) */
	v = field(base, s, end, "X-Actual-Recipient");
	if (span_ok(v)) {
		struct span a = field_address(base, base + v.start, base + v.end);

		if (span_ok(a))
			it->recipient = a;
	}
	if (!span_ok(it->recipient)) {
		v = field(base, s, end, "Original-Recipient");
		if (span_ok(v))
			it->recipient = field_address(base, base + v.start, base + v.end);
	}
	v = field(base, s, end, "Action");
	if (span_ok(v))
		logline_outcome(it, base, base + v.start, base + v.end);
	/* RFC 3464 2.3.3: "delayed" is a warning, the MTA still tries */
	if (it->outcome && strcmp(it->outcome, "delayed") == 0)
		it->event = CAT_EVENT_DELAY;
	v = field(base, s, end, "Status");
	if (span_ok(v)) {
		it->status = v;
		it->status_rule = "dsn:status";
	}
	v = field(base, s, end, "Remote-MTA");
	if (span_ok(v)) {
		const char *semi = memchr(base + v.start, ';', v.end - v.start);
		const char *h = semi ? semi + 1 : base + v.start, *e;

		while (h < base + v.end && *h == ' ')
			h++;
		for (e = h; e < base + v.end && *e != ' ' && *e != '[' && *e != '('; e++)
			;
		while (e > h && e[-1] == '.')
			e--;
		it->host = mkspan(base, h, e);
	}
	v = field(base, s, end, "Diagnostic-Code");
	if (span_ok(v)) {
		const char *semi = memchr(base + v.start, ';', v.end - v.start);

		it->text = mkspan(base, semi ? semi + 1 : base + v.start, base + v.end);
		/* RFC 3464's X-Unix type: a local mailer's exit status, no reply */
		it->exit_status = semi && semi - (base + v.start) == 6 &&
				  strncasecmp(base + v.start, "x-unix", 6) == 0;
	} else {
		it->text = mkspan(base, s, end);
		it->group_text = 1;
	}
}

int
message_has_dsn_fields(const char *s, const char *end)
{
	return (find_ci(s, end, "\nstatus:") || ieq_prefix(s, end, "status:")) &&
	       (find_ci(s, end, "action:") || find_ci(s, end, "diagnostic-code:") ||
		find_ci(s, end, "final-recipient:"));
}

/* A message starts with a header block that has at least one header only
 * messages have (a block of DSN fields has none of them). */
int
message_looks_like(const char *s, const char *end)
{
	static const char *const names[] = { "from:", "subject:", "content-type:", "received:",
					      "return-path:", "date:", "message-id:", "mime-version:",
					      "to:", "delivered-to:", NULL };
	const char *he = mime_headers_end(s, end), *p = s;
	size_t i;

	if (!he)
		return 0;
	while (p < he) {
		const char *eol = memchr(p, '\n', (size_t)(he - p));

		for (i = 0; names[i]; i++)
			if (ieq_prefix(p, he, names[i]))
				return 1;
		p = eol ? eol + 1 : he;
	}
	return 0;
}

/* A byte of the rules that set off a separator line's words. */
static int
rule_char(char c)
{
	return c == '-' || c == '=' || c == '|' || c == '*';
}

/* Whether the line at p (past its indentation, before end) announces the
 * returned message in words set off by a rule of two or more '-', '=',
 * '|' or '*': words that name the original, a copy of it, or a message or
 * its header that follows ("--- The header of the original message is
 * following. ---" (GMX, Mail.ru), Sendmail's "----- Message header
 * follows -----", "===== Original Message ====="), in any letter case;
 * never a transcript's ("----- Transcript of session follows -----"), a
 * bounce enclosed whole or a recipient's heading. */
static int
announce_line(const char *p, const char *end)
{
	const char *le = memchr(p, '\n', (size_t)(end - p)), *w;
	size_t n;

	le = le ? le : end;
	for (n = 0; p + n < le && rule_char(p[n]); n++)
		;
	if (n < 2 || le - p - n < 8)
		return 0;
	w = p + n;
	/* ezmlm's "--- Enclosed is a copy of the bounce message I
	 * received.": what follows is the bounce to read */
	if (find_ci(w, le, "transcript") || find_ci(w, le, "bounce") || find_ci(w, le, "recipient"))
		return 0;
	return find_ci(w, le, "original") || find_ci(w, le, "copy of") ||
	       find_ci(w, le, "returned message") || find_ci(w, le, "unsent message") ||
	       ((find_ci(w, le, "message") || find_ci(w, le, "header")) &&
		(find_ci(w, le, " follows") || find_ci(w, le, " is following")));
}

/* Where a non-MIME bounce starts quoting the returned message (Exim,
 * qmail, older Postfix, Sendmail, smail, OpenSMTPD, Lotus Notes): its words
 * are not the bounce's. */
static const char *
cut_original(const char *s, const char *end)
{
	/* those that open a line, then the others */
	static const char *const line_seps[] = { "\n------ This is a copy of the message",
						  "\n--- Below this line is a copy of the message",
						  "\n------ Received headers of the message",
						  "\n----- Original message -----",
						  "\nOriginal message headers:",
						  "\nBelow is a copy of the original message",
						  "\n------- Returned Message",
						  "\nOriginal message follows", NULL };
	static const char *const seps[] = { "----- Original message follows -----",
					     "----- Unsent message follows -----",
					     "- Message text follows:", NULL };
	const char *cut = end, *p, *lim;
	size_t i, n;

	/* the earliest of all: one walk over the newlines tries every
	 * separator that opens a line (a search per separator went over
	 * every newline of the message each time) */
	for (p = s; p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL && !(cut < end); p++) {
		for (i = 0; line_seps[i]; i++) {
			if (p + 1 >= end || p[1] != line_seps[i][1])
				continue;
			n = strlen(line_seps[i]);
			if ((size_t)(end - p) >= n && memcmp(p, line_seps[i], n) == 0) {
				cut = p;
				break;
			}
		}
		if (!(cut < end)) {
			const char *q = p + 1;

			while (q < end && (*q == ' ' || *q == '\t'))
				q++;
			if (end - q > 2 && rule_char(q[0]) && rule_char(q[1]) && announce_line(q, end))
				cut = p;
		}
	}
	/* an earlier one of the others starts before the cut */
	for (i = 0; seps[i]; i++) {
		n = strlen(seps[i]);
		lim = (size_t)(end - cut) > n - 1 ? cut + n - 1 : end;
		if ((p = find(s, lim, seps[i])) && p < cut)
			cut = p;
	}
	return cut;
}

static void
add_group(struct msg *m, const char *s, const char *e, int has_rcpt)
{
	struct item *it;

	if (!has_rcpt || m->n_items >= MAX_ITEMS)
		return;
	it = &m->items[m->n_items++];
	memset(it, 0, sizeof(*it));
	message_dsn_group(m->base, s, e, it);
}

/* The per-recipient groups of a delivery-status part: separated by blank
 * lines (white space only counts as blank), or, where an MTA leaves the
 * blank line out, by a second Final-Recipient or Original-Recipient. The
 * first group is per-message and names no recipient. */
static void
add_dsn_groups(struct msg *m, const char *s, const char *end)
{
	const char *p = s, *g = s;
	int final = 0, orig = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end, *next = eol ? eol + 1 : end;
		int is_final = ieq_prefix(p, le, "final-recipient:");
		int is_orig = ieq_prefix(p, le, "original-recipient:");

		if (blank_line(p, le)) {
			add_group(m, g, p, final || orig);
			final = orig = 0;
			g = next;
		} else if ((is_final && final) || (is_orig && orig)) {
			add_group(m, g, p, 1);
			final = orig = 0;
			g = p;
		}
		final |= is_final;
		orig |= is_orig;
		p = next;
	}
	add_group(m, g, end, final || orig);
}

/* Whether [s, end) holds per-recipient DSN fields (RFC 3464 2.3). */
static int
has_dsn_groups(const char *s, const char *end)
{
	return (find_ci(s, end, "\nfinal-recipient:") || ieq_prefix(s, end, "final-recipient:")) &&
	       message_has_dsn_fields(s, end);
}

/* Whether the header block [s, he) is a mail system's: From a mailer
 * daemon or postmaster, or Exchange's and Microsoft 365's NDRs, which come
 * from a system mailbox "MicrosoftExchange" + 32 hex digits and carry a
 * header of their own (present, even empty, on every NDR they make). */
static int
from_mail_system(const char *base, const char *s, const char *he)
{
	struct span v = field(base, s, he, "From");
	const char *fv, *fe;

	if (span_ok(v) && (find_ci(base + v.start, base + v.end, "mailer-daemon") ||
			   find_ci(base + v.start, base + v.end, "postmaster@") ||
			   find_ci(base + v.start, base + v.end, "<microsoftexchange")))
		return 1;
	return mime_field(s, he, "X-MS-Exchange-Message-Is-Ndr", &fv, &fe);
}

/* Whether the header block [s, he) is a bounce's: from the mail system, a
 * multipart/report, or naming its failed recipients. */
static int
looks_like_bounce(const char *base, const char *s, const char *he)
{
	struct span v;

	if (from_mail_system(base, s, he))
		return 1;
	v = field(base, s, he, "Content-Type");
	if (span_ok(v) && find_ci(base + v.start, base + v.end, "multipart/report") &&
	    find_ci(base + v.start, base + v.end, "delivery-status"))
		return 1;
	return span_ok(field(base, s, he, "X-Failed-Recipients"));
}

/* The field Microsoft's JMRP adds to a reported message: its recipient. */
#define JMRP_RECIPIENT "X-HmXmrOriginalRecipient"

/* A complaint about the recipient named in the field value [v, ve), when
 * nothing else was read of the message: Microsoft's Junk Mail Reporting
 * Program returns the message a user marked as junk with the field it
 * added on arrival naming that user. */
static void
add_jmrp(struct msg *m, struct span v)
{
	struct item *it;

	if (!span_ok(v) || m->n_items > 0)
		return;
	m->feedback = 1;
	it = &m->items[m->n_items++];
	memset(it, 0, sizeof(*it));
	it->format = "message:jmrp";
	it->forced_reason = "complaint";
	it->recipient = field_address(m->base, m->base + v.start, m->base + v.end);
}
/* The address of a header's value: the one in <>, else the first. */
static struct span
header_address(const char *base, struct span v)
{
	const char *s = base + v.start, *end = base + v.end, *lt, *e;

	if (!span_ok(v))
		return v;
	if ((lt = memchr(s, '<', (size_t)(end - s))) && (e = addr_end(lt + 1, end)))
		return mkspan(base, lt + 1, e);
	for (; s < end; s++)
		if ((s == base + v.start || !isalnum((unsigned char)s[-1])) && (e = addr_end(s, end)))
			return mkspan(base, s, e);
	return mkspan(base, end, end);
}

/* The end of the header block at s: its blank line, or end when the
 * block runs to end (returned headers cut off with no body); NULL when a
 * line of [s, end) is no header. */
static const char *
returned_headers_end(const char *s, const char *end)
{
	const char *he = mime_headers_end(s, end), *p = s;

	if (he)
		return he;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;

		if (le > p && *p != ' ' && *p != '\t' && *p != '\r' && !is_header_line(p, le))
			return NULL;
		p = eol ? eol + 1 : end;
	}
	return p > s ? end : NULL;
}

/* The one address of the To header of the header block at [s, end), or
 * an empty span when it has none or several. */
static struct span
only_to_address(const char *base, const char *s, const char *end)
{
	const char *he = returned_headers_end(s, end), *v, *ve, *q;
	struct span a, b;

	if (!he || !mime_field(s, he, "To", &v, &ve) || !(q = list_next(base, v, ve, &a)) ||
	    list_next(base, q, ve, &b))
		return mkspan(base, s, s);
	return a;
}

/* The From address of the header block at [s, end) (the returned
 * message: its sender is never the failed recipient). */
static struct span
original_from(const char *base, const char *s, const char *end)
{
	const char *he = returned_headers_end(s, end);

	if (!he)
		return mkspan(base, s, s);
	return header_address(base, field(base, s, he, "From"));
}

/* An ARF report (message/feedback-report): one complaint item, about the
 * recipient its Original-Rcpt-To (or Removal-Recipient) names, read with
 * the words of the report's own text part. */
static void
add_report(struct msg *m, const struct mime_part *p)
{
	struct item *it;
	struct span v;

	m->feedback = 1;
	m->reported = 0;
	if (m->n_items >= MAX_ITEMS)
		return;
	it = &m->items[m->n_items++];
	memset(it, 0, sizeof(*it));
	it->format = "message:arf";
	it->forced_reason = "complaint";
	it->text = m->report_text;
	v = field(m->base, p->body, p->end, "Original-Rcpt-To");
	if (!span_ok(v))
		v = field(m->base, p->body, p->end, "Removal-Recipient");
	if (span_ok(v))
		it->recipient = field_address(m->base, m->base + v.start, m->base + v.end);
}

/* An attached message that says what the whole is: one JMRP returns makes
 * it a complaint; a bounce (forwarded by a person) is what to read. */
static void
attached_message(struct msg *m, const struct mime_part *p)
{
	const char *he = mime_headers_end(p->body, p->end);

	if (!he)
		return;
	add_jmrp(m, field(m->base, p->body, he, JMRP_RECIPIENT));
	if (!span_ok(m->forwarded) && looks_like_bounce(m->base, p->body, he))
		m->forwarded = mkspan(m->base, p->body, p->end);
}

/* Whether [s, end) holds more than white space. */
static int
words_in(const char *s, const char *end)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	return s < end;
}

/* A part of the MIME tree (mime_walk()), in order: the delivery-status
 * part gives the DSN groups, the first text part the bounce's words, a
 * feedback report makes it ARF; a part that can only be read decoded asks
 * for the decoded copy (m->encoded). */
static void
visit_part(void *ctx, const struct mime_part *p)
{
	struct msg *m = ctx;
	const char *cut;
	size_t k;

	switch (p->type) {
	case MIME_T_MULTIPART:
		if (find_ci(p->ct, p->ct_end, "feedback-report"))
			m->feedback = 1;
		if (find_ci(p->ct, p->ct_end, "/report"))
			m->report = 1;
		return;
	case MIME_T_DSN:
		if (mime_part_needs_decoding(p))
			m->encoded = 1;
		/* the fields right under the Content-Type, no blank line
		 * between: the part's header block holds them */
		k = m->n_items;
		add_dsn_groups(m, p->body, p->end);
		if (m->n_items == k && p->headers && has_dsn_groups(p->start, p->headers))
			add_dsn_groups(m, p->start, p->end);
		return;
	case MIME_T_FEEDBACK:
		add_report(m, p);
		return;
	case MIME_T_ORIGINAL:
	case MIME_T_ORIGINAL_HEADERS:
		if (p->type == MIME_T_ORIGINAL_HEADERS)
			m->report = 1;
		if (!span_ok(m->orig_from)) {
			m->orig_from = original_from(m->base, p->body, p->end);
			m->orig = mkspan(m->base, p->body, p->end);
		}
		if (m->n_items && m->items[m->n_items - 1].forced_reason &&
		    !span_ok(m->items[m->n_items - 1].recipient) && !m->reported) {
			/* the message a report is about went to the one who
			 * complained: its To, when it names one address */
			m->items[m->n_items - 1].recipient = only_to_address(m->base, p->body, p->end);
			m->reported = 1;
		}
		if (p->type == MIME_T_ORIGINAL && !m->in_report) {
			/* reports forwarded whole, several in one message (a
			 * digest): each is read as its own */
			const char *he = mime_headers_end(p->body, p->end), *v, *ve;

			if (he && mime_field(p->body, he, "Content-Type", &v, &ve) &&
			    find_ci(v, ve, "feedback-report")) {
				m->in_report = 1;
				m->reported = 0;
				m->report_text = mkspan(m->base, p->body, p->body);
				mime_walk(p->body, p->end, visit_part, m);
				m->in_report = 0;
			}
		}
		if (p->type == MIME_T_ORIGINAL)
			attached_message(m, p);
		return;
	case MIME_T_NONE:
	case MIME_T_TEXT:
		break;
	default:
		/* DSN fields under another type (application/octet-stream
		 * ...): read if no delivery-status part comes */
		if (!span_ok(m->dsn_alt) && has_dsn_groups(p->body, p->end))
			m->dsn_alt = mkspan(m->base, p->body, p->end);
		return; /* an image ...: not the bounce's words */
	}
	cut = cut_original(p->body, p->end);
	/* DSN fields in the words, not in the copy of the message they
	 * return (a bounce of a bounce returns the first one whole) */
	if (!span_ok(m->dsn_alt) && has_dsn_groups(p->body, cut))
		m->dsn_alt = mkspan(m->base, p->body, cut);
	/* a part with no headers (p->body == p->start) is text/plain */
	if (mime_part_needs_decoding(p)) {
		m->encoded = 1;
		if (mime_part_converts(p))
			m->convert = 1;
	}
	if (!span_ok(m->report_text))
		m->report_text = mkspan(m->base, p->body, cut);
	/* an empty text part (the plain half of an alternative whose HTML
	 * says it all) is no bounce's words: the next text part is */
	if (!span_ok(m->human) && words_in(p->body, cut)) {
		if (mime_part_is_html(p)) {
			/* read as a browser shows it (mime_html_text()); its
			 * quoted-printable is decoded first, as its "=3D" and
			 * soft line breaks would stay inside its words */
			const char *v, *ve;

			m->html = mkspan(m->base, p->body, p->end);
			if (p->headers &&
			    mime_field(p->start, p->headers, "Content-Transfer-Encoding", &v, &ve) &&
			    mime_encoding(v, ve) == MIME_ENC_QP)
				m->encoded = 1;
		}
		m->human = mkspan(m->base, p->body, cut);
		if (cut < p->end && !span_ok(m->orig_from)) {
			/* the returned message's headers follow the line
			 * that announces them */
			const char *h = memchr(cut + 1, '\n', (size_t)(p->end - cut - 1));

			while (h && h < p->end && (*h == '\n' || *h == '\r'))
				h++;
			if (h && h < p->end) {
				m->orig_from = original_from(m->base, h, p->end);
				m->orig = mkspan(m->base, h, p->end);
			}
		}
	}
}

/* Whether the line [p, le) opens a quote of an earlier message in a
 * person's or a responder's words: a line quoted with '>', a separator of
 * five or more dashes on each side of its words (Outlook's "-----Original
 * Message-----", in whatever language the client wrote it), or a rule of
 * ten or more underscores (Outlook's, above the quoted message's header
 * block). */
static int
quote_line(const char *p, const char *le)
{
	const char *q = p, *e = le;
	size_t n;

	while (q < le && (*q == ' ' || *q == '\t'))
		q++;
	while (e > q && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if (q < e && *q == '>')
		return 1;
	for (n = 0; q + n < e && q[n] == '_'; n++)
		;
	if (n >= 10 && q + n == e)
		return 1;
	for (n = 0; q + n < e && q[n] == '-'; n++)
		;
	if (n < 5 || q + n == e || !isalpha((unsigned char)q[n]))
		return 0;
	for (n = 0; e - n > q && e[-1 - (ptrdiff_t)n] == '-'; n++)
		;
	return n >= 5;
}

struct span
message_own_words(const char *base, struct span sp)
{
	const char *p = base + sp.start, *end = base + sp.end;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;

		if (quote_line(p, le))
			return mkspan(base, base + sp.start, p);
		p = eol ? eol + 1 : end;
	}
	return sp;
}

/* The first address of a list such as X-Failed-Recipients. */
struct span
message_list_address(const char *base, struct span list)
{
	struct span a;

	if (list_next(base, base + list.start, base + list.end, &a))
		return a;
	return mkspan(base, base + list.end, base + list.end);
}

/* Whether [a, ae) and [b, be) are the same words: letter case and runs
 * of white space (a folded header's line break) aside. */
static int
same_words(const char *a, const char *ae, const char *b, const char *be)
{
	while (a < ae && b < be) {
		if (isspace((unsigned char)*a) && isspace((unsigned char)*b)) {
			while (a < ae && isspace((unsigned char)*a))
				a++;
			while (b < be && isspace((unsigned char)*b))
				b++;
			continue;
		}
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
	return a == ae && b == be;
}

/* [v, ve) without the white space around it. */
static void
trim(const char **v, const char **ve)
{
	while (*v < *ve && isspace((unsigned char)**v))
		(*v)++;
	while (*ve > *v && isspace((unsigned char)(*ve)[-1]))
		(*ve)--;
}

/* The returned message's Subject, trimmed, in [*v, *ve); 0 when there is
 * none. */
static int
original_subject(const char *base, const struct msg *m, const char **v, const char **ve)
{
	const char *s = base + m->orig.start, *e = base + m->orig.end, *he;

	if (!span_ok(m->orig) || !(he = returned_headers_end(s, e)) || !mime_field(s, he, "Subject", v, ve))
		return 0;
	trim(v, ve);
	return *ve > *v;
}

/* Whether the subject [v, ve) (trimmed) is the one the bounce quotes of
 * the message it returns: the returned message's own, or what follows
 * the first ": " of the bounce's Subject (Exchange's and GroupWise's
 * "Undeliverable: " + the subject). */
static int
echoed_subject(const char *base, const struct msg *m, const char *v, const char *ve)
{
	const char *ov, *ove, *bs = base + m->subject.start, *be = base + m->subject.end, *c;

	if (ve - v < 4)
		return 0;
	if (original_subject(base, m, &ov, &ove) && same_words(v, ve, ov, ove))
		return 1;
	trim(&bs, &be);
	return span_ok(m->subject) && (c = find(bs, be, ": ")) && be - (c + 2) == ve - v &&
	       same_words(c + 2, be, v, ve);
}

/* The bounce's Subject without the returned message's subject it repeats
 * after its own words ("Undeliverable: RE: your mailbox is full" says
 * "Undeliverable:"): the words of the sender's own subject are no
 * evidence of why it failed. */
static struct span
own_subject(const char *base, const struct msg *m, const char *ov, const char *ove)
{
	const char *bs = base + m->subject.start, *be = base + m->subject.end, *c;

	if (!span_ok(m->subject) || ove <= ov)
		return m->subject;
	trim(&bs, &be);
	for (c = bs; (c = find(c, be, ": ")); c += 2) {
		const char *r = c + 2;

		trim(&r, &be);
		if (same_words(r, be, ov, ove))
			return mkspan(base, bs, c + 1);
	}
	return m->subject;
}

/* The line of the bounce's words [*ls, *le) that quotes the Subject of
 * the message it returns ("      Subject:\tRE: hello" in Exchange 2003's
 * report, Domino's "  Subject: planning", Barracuda's "Subject: ..."),
 * among its first lines; 0 when there is none. */
static int
echo_line(const char *base, const struct msg *m, const char **ls, const char **le, const char **vs,
	  const char **vse)
{
	const char *p = base + m->human.start, *end = base + m->human.end;
	int lines = 0;

	while (p < end && lines++ < 25) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *e = eol ? eol : end, *q = p;

		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		if (ieq_prefix(q, e, "subject:")) {
			const char *v = q + 8, *ve = e;

			trim(&v, &ve);
			if (echoed_subject(base, m, v, ve)) {
				*vs = v;
				*vse = ve;
				*ls = p;
				*le = eol ? eol + 1 : end;
				return 1;
			}
		}
		p = eol ? eol + 1 : end;
	}
	return 0;
}

void
message_drop_echo(const char *base, const struct msg *m, struct item *it)
{
	const char *ls = NULL, *le = NULL, *v = NULL, *ve = NULL;
	int own_words = it->text.start == m->human.start && it->text.end == m->human.end &&
			!span_ok(it->extra);
	/* a DSN group with a Diagnostic-Code of its own has its evidence:
	 * its extra words are not looked through */
	int dsn_words = it->extra.start == m->human.start && it->extra.end == m->human.end &&
			it->group_text;
	int echo = span_ok(m->human) && (own_words || dsn_words) && echo_line(base, m, &ls, &le, &v, &ve);

	/* the subject it repeats: the returned message's, else the one its
	 * words quote */
	if (span_ok(it->subject) && it->subject.start == m->subject.start &&
	    it->subject.end == m->subject.end &&
	    find(base + m->subject.start, base + m->subject.end, ": ")) {
		const char *ov, *ove;

		if (original_subject(base, m, &ov, &ove))
			it->subject = own_subject(base, m, ov, ove);
		else if (echo)
			it->subject = own_subject(base, m, v, ve);
	}
	if (!echo)
		return;
	if (own_words) {
		/* the words before the quoted subject and after it */
		it->text = mkspan(base, base + m->human.start, ls);
		it->extra = mkspan(base, le, base + m->human.end);
	} else {
		/* a DSN group's: the words that follow it say why */
		it->extra = mkspan(base, le, base + m->human.end);
	}
}

/* Reads a whole message: its headers, MIME parts and DSN groups. */
void
message_parse(struct msg *m, const char *s, const char *end)
{
	const char *he = mime_headers_end(s, end);
	struct span v;

	m->subject = field(m->base, s, he, "Subject");
	/* RFC 2047 encoded words: the words are read from the decoded copy
	 * (MIME_RULE_SUBJECT_DECODED_IN_COPY in mime.h) */
	if (span_ok(m->subject) &&
	    find(m->base + m->subject.start, m->base + m->subject.end, "=?")) {
		m->encoded = 1;
		if (mime_words_convert(m->base + m->subject.start, m->base + m->subject.end))
			m->convert = 1;
	}
	m->failed = field(m->base, s, he, "X-Failed-Recipients");
	v = field(m->base, s, he, "Auto-Submitted");
	if (span_ok(v) && find_ci(m->base + v.start, m->base + v.end, "auto-replied"))
		m->auto_submitted = 1;
	m->to = header_address(m->base, field(m->base, s, he, "To"));
	m->from = header_address(m->base, field(m->base, s, he, "From"));
	m->from_daemon = from_mail_system(m->base, s, he);
	v = field(m->base, s, he, "Return-Path");
	if (span_ok(v) && v.end - v.start == 2 && m->base[v.start] == '<' && m->base[v.start + 1] == '>')
		m->null_sender = 1;
	if (span_ok(field(m->base, s, he, "X-Autoreply")) ||
	    span_ok(field(m->base, s, he, "X-Autorespond")))
		m->auto_reply = 1;
	v = field(m->base, s, he, "Precedence");
	if (span_ok(v) && find_ci(m->base + v.start, m->base + v.end, "auto_reply"))
		m->auto_reply = 1;
	mime_walk(s, end, visit_part, m);
	if (m->n_items == 0 && !m->feedback && span_ok(m->dsn_alt))
		add_dsn_groups(m, m->base + m->dsn_alt.start, m->base + m->dsn_alt.end);
	/* a JMRP report in the "original" form: the reported message itself */
	add_jmrp(m, field(m->base, s, he, JMRP_RECIPIENT));
}

/* A line of a bounce's words that opens one recipient's section: the
 * address first on its line, bare or in <>, alone or followed by what the
 * MTAs write after it: ':' and the error (Postfix "<a@b>: host ...", qmail
 * "<a@b>:", MMDF), a parenthesis (Exchange "a@b (a@b)", Postfix "(expanded
 * from ...)", GroupWise "(Undeliverable: ...)"), "..." and the error
 * (smail), a "<mailto:" link, or a date (Exchange 2003 "a@b on
 * 3/3/2025"); or after a
 * "Recipient address:" label (Sun/Oracle Messaging Server). Sets the
 * address, its indentation and whether the line says more than the
 * address (*words). */
static int
recipient_line(const char *base, const char *p, const char *le, struct span *a, size_t *indent,
	       int *words)
{
	const char *s = p, *e, *q;

	while (s < le && (*s == ' ' || *s == '\t'))
		s++;
	*indent = (size_t)(s - p);
	if (ieq_prefix(s, le, "recipient address:") || ieq_prefix(s, le, "recipient:")) {
		/* "Recipient: <a@b>" above its "Reason:" line (the "Mail
		 * System Error - Returned Mail" layout) */
		s += s[9] == ':' ? 10 : 18;
		while (s < le && (*s == ' ' || *s == '\t'))
			s++;
	} else if (s < le && (unsigned char)*s >= 0x80) {
		/* a label in CJK text, "收件人：a@b", "宛先: <a@b>": a few
		 * characters and a colon, full-width or not */
		const char *q0 = s;
		size_t k;

		while (q0 < le && q0 - s < 24 && (unsigned char)*q0 >= 0x80 && !cjk_punct(q0, le))
			q0++;
		/* blanks between the label and its colon ("宛先 : a@b") */
		if (q0 > s) {
			const char *c = q0;

			while (c < le && (*c == ' ' || *c == '\t'))
				c++;
			if (c > q0 && c < le &&
			    (*c == ':' || (cjk_punct(c, le) && (unsigned char)c[2] == 0x9a)))
				q0 = c;
		}
		if ((k = cjk_punct(q0, le)) && (unsigned char)q0[2] == 0x9a)
			q0 += k;
		else if (q0 < le && *q0 == ':' && q0 > s)
			q0++;
		else
			q0 = s;
		while (q0 > s && q0 < le && (*q0 == ' ' || *q0 == '\t'))
			q0++;
		s = q0;
	}
	/* in <>, or in quotes (GMX's and WEB.DE's "\"a@b\":", Exchange
	 * 2003's "'a@b' on 3/4/2025") */
	if (s < le && (*s == '<' || *s == '"' || *s == '\''))
		s++;
	if (!(e = addr_end(s, le)) || system_address(s, e))
		return 0;
	q = e;
	if (q < le && (*q == '>' || *q == '"' || *q == '\''))
		q++;
	/* blanks, and blanks quoted-printable wrote ("=20", a soft break
	 * "=") in a part read as it is */
	for (;;) {
		if (q < le && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		else if (ieq_prefix(q, le, "=20") || ieq_prefix(q, le, "=09"))
			q += 3;
		else if (q < le && *q == '=' && blank_line(q + 1, le))
			q = le;
		else
			break;
	}
	*a = mkspan(base, s, e);
	*words = 0;
	if (q < le && *q == '(') {
		/* "(a@b)" repeats the address; anything else in or after the
		 * parenthesis ("(Undeliverable: User unknown)", "(expanded
		 * from <x>): host ...") is what the line says */
		const char *in = q + 1, *ie = addr_end(in, le), *close = memchr(q, ')', (size_t)(le - q));

		if (ie && close == ie) {
			for (q = close + 1; q < le && (*q == ' ' || *q == '\t' || *q == '\r'); q++)
				;
			*words = q < le;
		} else {
			*words = 1;
		}
		return 1;
	}
	if (q == le || ieq_prefix(q, le, "<mailto:"))
		return 1;
	if (ieq_prefix(q, le, "...")) {
		/* smail, Sendmail: "<a@b> ... unknown user" */
		*words = 1;
		return 1;
	}
	if (*q == ':' || (ieq_prefix(q, le, "on ") && q > e && q[-1] == ' ')) {
		if (*q == ':')
			q++;
		while (q < le && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		*words = q < le;
		return 1;
	}
	return 0;
}

/* One recipient's section of a bounce's words: from the line naming it to
 * the next line naming another recipient or the end of its paragraph. */
struct rsec {
	struct span addr;
	const char *start, *end;
	int words; /* it says more than the address */
};

/* The sections of the words [hs, he), in order, at most max. A line naming
 * the recipient of the open section again (Postfix quotes the reply
 * "<a@b>: Recipient address rejected") continues it; a line indented more
 * than the first section's is never a new one (a wrapped reply that names
 * another address). */
static size_t
find_sections(const char *base, const char *hs, const char *he, struct rsec *sec, size_t max)
{
	const char *p = hs;
	size_t n = 0, indent0 = 0;
	int open = 0;

	while (p < he) {
		const char *eol = memchr(p, '\n', (size_t)(he - p));
		const char *le = eol ? eol : he, *next = eol ? eol + 1 : he;
		struct span a;
		size_t indent;
		int words;

		if (blank_line(p, le)) {
			if (open)
				sec[n - 1].end = p;
			open = 0;
		} else if (recipient_line(base, p, le, &a, &indent, &words) &&
			   (n == 0 || indent <= indent0) &&
			   !(open && same_address(base, a, sec[n - 1].addr))) {
			if (open)
				sec[n - 1].end = p;
			if (n == max)
				break;
			if (n == 0)
				indent0 = indent;
			sec[n].addr = a;
			sec[n].start = p;
			sec[n].end = le;
			sec[n].words = words;
			n++;
			open = 1;
		} else if (open) {
			sec[n - 1].words = 1;
		}
		if (open)
			sec[n - 1].end = le;
		p = next;
	}
	return n;
}

/* Whether the address a is in the list [s, end) ("a@b, c@d"). */
static int
in_list(const char *base, struct span a, const char *s, const char *end)
{
	struct span b;

	while ((s = list_next(base, s, end, &b)))
		if (same_address(base, a, b))
			return 1;
	return 0;
}

/* The bounce's words that belong to no recipient: what precedes the
 * first section (Netscape's reason before the list) in *before, what follows
 * the last (Domino's "because: ...") in *after. */
static void
shared_words(const char *base, const char *hs, const char *he, const struct rsec *sec, size_t n,
	     struct span *before, struct span *after)
{
	const char *t = sec[n - 1].end;

	while (t < he && (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n'))
		t++;
	*before = mkspan(base, hs, sec[0].start);
	*after = mkspan(base, t, he);
}

/* The first line of the words [hs, he) outside every section that names
 * the address a and is no command of a transcript (Sendmail's ">>> RCPT
 * To:<a@b>"): the recipient's own line of a transcript that follows a bare
 * list ("<<< 550 5.1.1 <a@b>... User unknown"), or an empty span. */
static struct span
own_line(const char *base, const char *hs, const char *he, const struct rsec *sec, size_t n,
	 struct span a)
{
	const char *p = hs, *addr = base + a.start;
	size_t k = 0, len = span_len(a);

	while (p < he) {
		const char *eol = memchr(p, '\n', (size_t)(he - p));
		const char *le = eol ? eol : he, *q;

		while (k < n && sec[k].end <= p)
			k++;
		if (!(k < n && sec[k].start <= p) && !ieq_prefix(p, le, ">>>"))
			for (q = p; q + len <= le; q++)
				if (strncasecmp(q, addr, len) == 0 &&
				    (q == p || !(isalnum((unsigned char)q[-1]) || q[-1] == '.')) &&
				    (q + len == le || !isalnum((unsigned char)q[len])))
					return mkspan(base, p, le);
		p = eol ? eol + 1 : he;
	}
	return mkspan(base, he, he);
}

/* The host Sendmail's transcript was talking to ("... while talking to
 * mx.example.net.:") when a line of it named the address a, or an empty
 * span. */
static struct span
transcript_host(const char *base, const char *hs, const char *he, struct span a)
{
	const char *p = hs, *h = NULL, *he_host = NULL, *addr = base + a.start;
	size_t len = span_len(a);

	while (p < he) {
		const char *eol = memchr(p, '\n', (size_t)(he - p));
		const char *le = eol ? eol : he, *q;

		if (ieq_prefix(p, le, "... while talking to ")) {
			h = p + 21;
			for (he_host = h; he_host < le && *he_host != ':' && *he_host != ' ' &&
					  *he_host != '\r';
			     he_host++)
				;
			while (he_host > h && he_host[-1] == '.')
				he_host--;
		} else if (h) {
			for (q = p; q + len <= le; q++)
				if (strncasecmp(q, addr, len) == 0)
					return mkspan(base, h, he_host);
		}
		p = eol ? eol + 1 : he;
	}
	return mkspan(base, he, he);
}

/* A bounce without a DSN part that lists several failed recipients in its
 * words, each with its own section (Exim, Postfix, qmail, Sendmail,
 * Exchange, Domino, Sun Messaging Server): one item per recipient, its text
 * its own section; a recipient named again later (Exchange's "Diagnostic
 * information for administrators") adds that section as its extra; a
 * recipient whose section is only its address (a bare list) gets its own
 * line of the transcript that follows, else the words no recipient owns
 * (a list under one "because"); the Subject, about the whole message,
 * is no one's. With X-Failed-Recipients, only the addresses it lists, and
 * each of them. Returns the number of items, 0 when
 * the words name fewer than two recipients. */
size_t
message_split_recipients(const char *base, const struct msg *m, struct item *items)
{
	const char *hs = base + m->human.start, *he = base + m->human.end;
	const char *list = base + m->failed.start, *lend = base + m->failed.end;
	struct rsec sec[MAX_ITEMS];
	size_t ns, n = 0, i, j, listed = 0;
	struct span a;

	ns = span_ok(m->human) ? find_sections(base, hs, he, sec, MAX_ITEMS) : 0;
	if (span_ok(m->failed)) {
		/* the header is the list: sections of others are quotes */
		for (i = 0; i < ns; i++)
			if (in_list(base, sec[i].addr, list, lend))
				sec[listed++] = sec[i];
		ns = listed;
	}
	for (i = 0; i < ns && n < MAX_ITEMS; i++) {
		struct item *it = NULL;

		for (j = 0; j < n && !it; j++)
			if (same_address(base, items[j].recipient, sec[i].addr))
				it = &items[j];
		if (it) {
			if (!span_ok(it->extra)) {
				it->extra = mkspan(base, sec[i].start, sec[i].end);
				/* Exchange names the remote server in this section */
				if (!span_ok(it->host))
					it->host = message_text_host(base, it->extra);
			}
			continue;
		}
		it = &items[n++];
		memset(it, 0, sizeof(*it));
		it->format = "message";
		it->text = mkspan(base, sec[i].start, sec[i].end);
		it->recipient = sec[i].addr;
		if (!sec[i].words) {
			/* a bare list: the recipient's own line of a transcript,
			 * else the words about them all (one reason for all) */
			struct span own = own_line(base, hs, he, sec, ns, sec[i].addr);

			if (span_ok(own))
				it->text = own;
			else
				shared_words(base, hs, he, sec, ns, &it->text, &it->extra);
		}
		it->host = message_text_host(base, it->text);
		if (!span_ok(it->host))
			it->host = transcript_host(base, hs, he, it->recipient);
	}
	/* a listed recipient the words do not name */
	while (span_ok(m->failed) && n < MAX_ITEMS && (list = list_next(base, list, lend, &a))) {
		for (j = 0; j < n && !same_address(base, items[j].recipient, a); j++)
			;
		if (j == n && n > 0) {
			memset(&items[n], 0, sizeof(items[n]));
			items[n].format = "message";
			items[n].text = m->human;
			if (ns)
				shared_words(base, hs, he, sec, ns, &items[n].text, &items[n].extra);
			items[n].recipient = a;
			n++;
		}
	}
	return n > 1 ? n : 0;
}

/* Each DSN item's own section of the bounce's words is the text of a
 * group without a Diagnostic-Code (Sendmail's local failures); a group with
 * one has its evidence, and the words of the others are not its. With one
 * group and words about one recipient, the words are all its own. */
void
message_dsn_sections(const char *base, struct msg *m)
{
	const char *hs = base + m->human.start, *he = base + m->human.end;
	struct rsec sec[MAX_ITEMS];
	size_t ns, i, j, distinct = 0;

	ns = span_ok(m->human) ? find_sections(base, hs, he, sec, MAX_ITEMS) : 0;
	for (i = 0; i < ns; i++) {
		for (j = 0; j < i && !same_address(base, sec[j].addr, sec[i].addr); j++)
			;
		distinct += j == i;
	}
	for (i = 0; i < m->n_items; i++) {
		struct item *it = &m->items[i];

		/* the Subject speaks of the whole message: of one recipient only
		 * when there is one */
		if (m->n_items == 1)
			it->subject = m->subject;
		/* no Remote-MTA: the host its reply names ("host
		 * mx.example.net[192.0.2.1] said: ...") */
		if (!span_ok(it->host) && span_ok(it->text))
			it->host = message_text_host(base, it->text);
		if (distinct < 2) {
			/* the words speak of this one recipient only */
			if (m->n_items == 1) {
				it->extra = m->human;
				if (!span_ok(it->host) && span_ok(m->human))
					it->host = message_text_host(base, m->human);
			}
			continue;
		}
		for (j = 0; j < ns && !same_address(base, sec[j].addr, it->recipient); j++)
			;
		if (j == ns || !sec[j].words)
			continue;
		if (!span_ok(it->host))
			it->host = message_text_host(base, mkspan(base, sec[j].start, sec[j].end));
		/* its own section says the stage its reply answered (the
		 * Diagnostic-Code does not: Postfix writes "(in reply to ...)"
		 * only in the words) */
		it->stage = message_stage(base, mkspan(base, sec[j].start, sec[j].end));
		if (!it->group_text)
			continue;
		it->extra = it->text;
		it->text = mkspan(base, sec[j].start, sec[j].end);
	}
	if (m->n_items == 1)
		message_drop_echo(base, m, &m->items[0]);
}

/* An address the words of a bounce name that is not a failed recipient's:
 * the mail system's own, a mailing list's own, the bounce's sender or
 * addressee, the returned message's sender. */
static int
others_address(const char *base, const struct msg *m, struct span a)
{
	const char *s = base + a.start, *e = base + a.end;

	return system_address(s, e) || list_address(s, e) ||
	       (span_ok(m->to) && same_address(base, a, m->to)) ||
	       (span_ok(m->from) && same_address(base, a, m->from)) ||
	       (span_ok(m->orig_from) && same_address(base, a, m->orig_from));
}

/* Whether the words before the address a on its line (from hs on) offer
 * it for help rather than name a failure: "please contact a@b", "reply
 * to", "write to", "questions", "support". */
static int
advice_address(const char *base, const char *hs, struct span a)
{
	static const char *const words[] = { "contact", "reply", "write", "help", "support",
					     "question", "assistance", "abuse", "send mail to", NULL };
	const char *as = base + a.start, *ls = as;
	size_t i;

	while (ls > hs && ls[-1] != '\n')
		ls--;
	for (i = 0; words[i]; i++)
		if (find_ci(ls, as, words[i]))
			return 1;
	return 0;
}

/* The failed recipient a bounce's words name when nothing structured does:
 * the one recipient its sections name, else the first <a@b> that is not the
 * mail system's own, a mailing list's own, the bounce's sender or addressee,
 * the returned message's sender or a Message-ID. */
struct span
message_words_recipient(const char *base, const struct msg *m)
{
	const char *hs = base + m->human.start, *he = base + m->human.end, *s = hs;
	struct rsec sec[8];
	size_t n = find_sections(base, hs, he, sec, 8), i;

	for (i = 0; i < n; i++)
		if (!others_address(base, m, sec[i].addr))
			return sec[i].addr;
	while ((s = memchr(s, '<', (size_t)(he - s)))) {
		const char *ls = s, *e = addr_end(s + 1, he);
		struct span a = mkspan(base, s + 1, e ? e : s + 1);

		s++;
		if (!e || others_address(base, m, a))
			continue;
		/* "Message-ID: <...>" and its kind on the same line */
		while (ls > hs && ls[-1] != '\n')
			ls--;
		if (find_ci(ls, s, "message-id") || find_ci(ls, s, "references") ||
		    find_ci(ls, s, "in-reply-to"))
			continue;
		return a;
	}
	/* a bounce whose words name the recipient without its domain
	 * (GroupWise's "emil (user not found)") or not in <> (Barracuda's
	 * "Your message to: a@b"): the returned message's one To */
	if (!(m->from_daemon || m->null_sender || m->report))
		return mkspan(base, he, he);
	if (span_ok(m->orig)) {
		struct span a = only_to_address(base, base + m->orig.start, base + m->orig.end);

		if (span_ok(a) && !others_address(base, m, a))
			return a;
	}
	/* else the first bare address of a bounce's words that is nobody
	 * else's (IMail's "Unknown user: a@b"), and not one the words give
	 * for help ("contact helpdesk@...") */
	{
		struct span a = mkspan(base, hs, he);

		while (span_ok(a = message_text_recipient(base, a))) {
			if (!others_address(base, m, a) && !advice_address(base, hs, a))
				return a;
			a = mkspan(base, base + a.end, he);
		}
	}
	return mkspan(base, he, he);
}

/* An address alone on its line, perhaps followed by a parenthesis or a
 * colon, as NDRs list their failed recipients ("ana@contoso.com",
 * "  bob@example.net (bob@example.net)"); not a mailer's own address. */
struct span
message_line_address(const char *base, struct span sp)
{
	const char *s = base + sp.start, *end = base + sp.end;

	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		const char *le = eol ? eol : end, *p = s;
		struct span a;

		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
		a = logline_address(base, p, le);
		if (span_ok(a) && base + a.start == p && !system_address(p, le)) {
			const char *q = base + a.end;

			while (q < le && (*q == ' ' || *q == '\t' || *q == '\r' || *q == ':'))
				q++;
			if (q == le || *q == '(')
				return a;
		}
		s = eol ? eol + 1 : end;
	}
	return mkspan(base, end, end);
}

/* The lines qmail-remote writes for a failed delivery (qmail-remote.c,
 * quoted in qmail-send's bounce, QSBMF): where the remote host refused,
 * and the host, named before the words or after "Connected to ". */
#define QMAIL_REMOTE_LIST(X)                                                   \
	X(1, " but greeting failed.", CAT_STAGE_CONNECT)                       \
	X(1, " but my name was rejected.", CAT_STAGE_HELO)                     \
	X(1, " but sender was rejected.", CAT_STAGE_MAIL)                      \
	X(0, " does not like recipient.", CAT_STAGE_RCPT)                      \
	X(0, " failed on DATA command.", CAT_STAGE_DATA)                       \
	X(0, " failed after I sent the message.", CAT_STAGE_END_OF_DATA)

static const struct {
	int connected; /* "Connected to HOST but ..." */
	const char *words;
	enum cat_stage stage;
} qmail_remote[] = {
#define QMAIL_REMOTE_ROW(connected, words, stage) { connected, words, stage },
	QMAIL_REMOTE_LIST(QMAIL_REMOTE_ROW)
#undef QMAIL_REMOTE_ROW
};

/* The stage of a qmail-remote line [p, le), its host in *host; or
 * CAT_STAGE_NONE. */
static enum cat_stage
qmail_remote_line(const char *base, const char *p, const char *le, struct span *host)
{
	const char *h = p, *e;
	size_t i, n;

	while (le > p && (le[-1] == '\r' || le[-1] == ' '))
		le--;
	for (i = 0; i < sizeof(qmail_remote) / sizeof(qmail_remote[0]); i++) {
		n = strlen(qmail_remote[i].words);
		if ((size_t)(le - p) <= n || strncmp(le - n, qmail_remote[i].words, n) != 0)
			continue;
		if (qmail_remote[i].connected) {
			if (!ieq_prefix(p, le, "connected to "))
				continue;
			h = p + 13;
		}
		/* a host name or address, one word */
		for (e = h; e < le - n && (isalnum((unsigned char)*e) || *e == '.' || *e == '-' ||
					   *e == ':');
		     e++)
			;
		if (e == h || e != le - n)
			continue;
		*host = mkspan(base, h, e);
		return qmail_remote[i].stage;
	}
	return CAT_STAGE_NONE;
}

/* The host and stage of the first qmail-remote line of [sp), or an empty
 * host and CAT_STAGE_NONE. */
static enum cat_stage
qmail_remote_find(const char *base, struct span sp, struct span *host)
{
	const char *p = base + sp.start, *end = base + sp.end;
	enum cat_stage st;

	/* every one of its lines ends in a full stop: the others cost one
	 * compare */
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;

		if (le - p > 20 && le[-1 - (le[-1] == '\r')] == '.' &&
		    (st = qmail_remote_line(base, p, le, host)) != CAT_STAGE_NONE)
			return st;
		p = eol ? eol + 1 : end;
	}
	*host = mkspan(base, end, end);
	return CAT_STAGE_NONE;
}

/* Exchange's "Diagnostic information for administrators" writes the
 * remote server in front of the reply it quotes, on a line of its own:
 * "mx.example.net #552 5.2.2 Mailbox full ##" (a reply of its own server
 * has no name there: "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##"). */
static struct span
admin_section_host(const char *base, const char *start, const char *end)
{
	const char *s = start;

	while ((s = find(s, end, " #"))) {
		const char *c = s + 2, *h = s;

		if (end - c >= 4 && c[0] >= '2' && c[0] <= '5' && isdigit((unsigned char)c[1]) &&
		    isdigit((unsigned char)c[2]) && c[3] == ' ') {
			while (h > start && (isalnum((unsigned char)h[-1]) || h[-1] == '.' || h[-1] == '-'))
				h--;
			if (s > h && memchr(h, '.', (size_t)(s - h)) && (h == start || h[-1] == '\n'))
				return mkspan(base, h, s);
		}
		s += 2;
	}
	return mkspan(base, end, end);
}

/* The host name after label in [sp) (any case when ci, else as written:
 * a search for a rare byte), followed by its address in parentheses or
 * brackets or by the end of its line; an empty span when there is none. */
static struct span
labelled_host(const char *base, struct span sp, const char *label, int ci)
{
	const char *s = base + sp.start, *end = base + sp.end;
	size_t n = strlen(label);

	while ((s = ci ? find_ci(s, end, label) : find(s, end, label))) {
		const char *h = s + n, *e = h;

		while (e < end && (isalnum((unsigned char)*e) || *e == '.' || *e == '-'))
			e++;
		if (e > h && memchr(h, '.', (size_t)(e - h)) &&
		    (e == end || *e == '\n' || *e == '\r' ||
		     (*e == ' ' && e + 1 < end && (e[1] == '(' || e[1] == '['))))
			return mkspan(base, h, e);
		s = h;
	}
	return mkspan(base, end, end);
}

/* The first host name in [sp) that its address in brackets follows
 * ("mx.example.net[192.0.2.1]", "mx.example.net [192.0.2.1]") after the
 * words that name the remote server: "host " (Postfix's "host X[...]
 * said", Exim's "host X [...]"), and Postfix's smtp client's "connect to ",
 * "lost connection with ", "conversation with "; or an empty span. One
 * pass over the brackets, which are rare in words. */
static struct span
bracketed_host(const char *base, struct span sp)
{
	static const char *const words[] = { "host ", "connect to ", "lost connection with ",
					     "conversation with ", NULL };
	const char *s = base + sp.start, *end = base + sp.end, *q;
	size_t i, n;

	for (q = s; q < end && (q = memchr(q, '[', (size_t)(end - q))); q++) {
		const char *e = q > s && q[-1] == ' ' ? q - 1 : q, *h;

		/* a quoted-printable soft break between the name and its
		 * bracket ("host mx.example.net=\n[192.0.2.1]"), in a part
		 * read as it is */
		if (e - s >= 2 && e[-1] == '\n' && e[-2] == '=')
			e -= 2;
		else if (e - s >= 3 && e[-1] == '\n' && e[-2] == '\r' && e[-3] == '=')
			e -= 3;
		h = e;

		while (h > s && (isalnum((unsigned char)h[-1]) || h[-1] == '.' || h[-1] == '-'))
			h--;
		if (h == e || !memchr(h, '.', (size_t)(e - h)))
			continue;
		for (i = 0; words[i]; i++) {
			n = strlen(words[i]);
			if ((size_t)(h - s) >= n && memcmp(h - n, words[i], n) == 0)
				return mkspan(base, h, e);
		}
	}
	return mkspan(base, end, end);
}

/* Exchange 2003's reference to a remote server's reply,
 * "<mx.example.net #5.0.0 smtp;550 5.1.1 ...>" (its own refusals name no
 * reply: "<ex1.contoso.com #5.1.1>"), and Sendmail's transcript, "...
 * while talking to mx.example.net.:": the host's name, or an empty span. */
static struct span
referenced_host(const char *base, struct span sp)
{
	const char *s = base + sp.start, *end = base + sp.end, *p;

	for (p = s; (p = find(p, end, " #")); p += 2) {
		const char *h = p, *c = p + 2;

		while (h > s && (isalnum((unsigned char)h[-1]) || h[-1] == '.' || h[-1] == '-'))
			h--;
		if (h == p || h == s || h[-1] != '<' || !memchr(h, '.', (size_t)(p - h)))
			continue;
		if (end - c >= 6 && c[0] >= '4' && c[0] <= '5' && c[1] == '.' &&
		    (c = memchr(c, ' ', (size_t)(end - c))) && ieq_prefix(c + 1, end, "smtp;"))
			return mkspan(base, h, p);
	}
	for (p = s; (p = find(p, end, "while talking to ")); p += 17) {
		const char *h = p + 17, *e = h;

		while (e < end && (isalnum((unsigned char)*e) || *e == '.' || *e == '-'))
			e++;
		while (e > h && e[-1] == '.')
			e--;
		if (e > h && memchr(h, '.', (size_t)(e - h)))
			return mkspan(base, h, e);
	}
	return mkspan(base, end, end);
}

/* MDaemon's session transcript names the MX it tries first by name,
 * then by address: "Attempting SMTP connection to [mx.example.com]"; the
 * name, or an empty span. */
static struct span
mdaemon_host(const char *base, struct span sp)
{
	const char *s = base + sp.start, *end = base + sp.end, *p;
	static const char label[] = "Attempting SMTP connection to [";

	for (p = s; (p = find(p, end, label)); p += sizeof(label) - 1) {
		const char *h = p + sizeof(label) - 1, *e = h;
		int alpha = 0;

		while (e < end && (isalnum((unsigned char)*e) || *e == '.' || *e == '-')) {
			alpha |= isalpha((unsigned char)*e);
			e++;
		}
		if (e < end && *e == ']' && alpha && memchr(h, '.', (size_t)(e - h)))
			return mkspan(base, h, e);
	}
	return mkspan(base, end, end);
}

/* "host mx.example.net [192.0.2.1]" or "host mx[192.0.2.1] said" in a
 * bounce's words, Postfix's smtp client's "connect to mx[192.0.2.1]:25",
 * "lost connection with mx[...]" and "conversation with mx[...] timed
 * out", qmail's, Exchange 2003's and Sendmail's references
 * (referenced_host()), else the host of Exchange's administrators'
 * section: the name of the remote server. */
struct span
message_text_host(const char *base, struct span sp)
{
	struct span host;

	if (span_ok(host = bracketed_host(base, sp)))
		return host;
	if (qmail_remote_find(base, sp, &host) != CAT_STAGE_NONE)
		return host;
	if (span_ok(host = referenced_host(base, sp)))
		return host;
	/* Exchange's delay and failure notices: "Remote Server at
	 * mx.example.net (198.51.100.80) returned '451 ...'", "Receiving
	 * server: mx.example.net (198.51.100.80)" */
	if (span_ok(host = labelled_host(base, sp, "Remote Server at ", 1)) ||
	    span_ok(host = labelled_host(base, sp, "Receiving server: ", 1)))
		return host;
	/* GMX's and WEB.DE's "SMTP error from remote server for RCPT TO
	 * command, host: mx.example.de (198.51.100.33) reason: ..." */
	if (span_ok(host = labelled_host(base, sp, "command, host: ", 0)))
		return host;
	if (span_ok(host = mdaemon_host(base, sp)))
		return host;
	return admin_section_host(base, base + sp.start, base + sp.end);
}

/* Where a bounce's words name the command its failing reply answered:
 * Postfix's "(in reply to RCPT TO command)" and Exim's "SMTP error from
 * remote mail server after RCPT TO:<a@b>:" (or "remote mailer"), the stage
 * words after them read by stage_at() of the log lines. A bare "after" or
 * "in reply to" is too common in prose ("in reply to mail you sent") to be
 * read alone. Sendmail's transcript writes each command it sent (">>> RCPT
 * To:<a@b>") and each reply (">>> DATA", "<<< 354 ...", "<<< 554 ..."): the
 * stage is the last command before the first failing reply, the end of
 * data when DATA was already answered 354 (or the "." is shown). Postfix's
 * "refused to talk to me" is the greeting: the connect stage. qmail
 * says it in a sentence of its own ("198.51.100.7 does not like
 * recipient.", QMAIL_REMOTE_LIST). */
/* stage_at() of the words at w, wrapped over lines as Postfix wraps its
 * bounce's lines ("(in reply to\n    end of DATA command)"): each run of
 * white space read as one space. */
static enum cat_stage
stage_wrapped(const char *w, const char *end)
{
	char buf[48];
	size_t n = 0;

	while (w < end && isspace((unsigned char)*w))
		w++;
	while (w < end && n < sizeof(buf)) {
		if (isspace((unsigned char)*w)) {
			while (w < end && isspace((unsigned char)*w))
				w++;
			buf[n++] = ' ';
		} else {
			buf[n++] = *w++;
		}
	}
	return stage_at(buf, buf + n);
}

/* The stage tag that closes a line [p, le): Yahoo's outbound mail
 * writes the command the remote reply answered in capitals after it
 * ("Remote host said: 550 5.1.1 <a@b>... User Unknown [RCPT_TO]",
 * "[MAIL_FROM]", "[DATA]"); CAT_STAGE_NONE when the line ends otherwise.
 * Only a bracket of capitals and '_' that stage_at() reads, last on its
 * line: a provider's tag ("[TSS04]") or a server name in brackets names
 * no command. */
static enum cat_stage
stage_tag(const char *p, const char *le)
{
	const char *q, *b;

	while (le > p && isspace((unsigned char)le[-1]))
		le--;
	if (le - p < 6 || le[-1] != ']')
		return CAT_STAGE_NONE;
	for (q = le - 1; q > p && le - q <= 11 && (isupper((unsigned char)q[-1]) || q[-1] == '_'); q--)
		;
	b = q - 1;
	if (b < p || *b != '[' || le - 1 - q < 4)
		return CAT_STAGE_NONE;
	return stage_at(q, le - 1);
}

/* A turn of an SMTP transcript at the line [p, le): 1 for a command the
 * client sent, 2 for a reply, 0 for neither; *t is set past its marker.
 * Sendmail writes ">>> RCPT To:<a@b>" and "<<< 550 ..."; MDaemon writes
 * its session transcript with a time stamp first, " Tue 2025-03-04
 * 10:00:00: --> RCPT To:<a@b>" and "...: <-- 550 ...". */
static int
transcript_turn(const char *p, const char *le, const char **t)
{
	const char *q = p, *lim;

	if (ieq_prefix(p, le, ">>> ") || ieq_prefix(p, le, "<<< ")) {
		*t = p + 4;
		return p[0] == '>' ? 1 : 2;
	}
	/* the time stamp's shape, "Tue 2025-": a few compares a line */
	while (q < le && q - p < 2 && *q == ' ')
		q++;
	if (le - q < 30 || !isalpha((unsigned char)q[0]) || q[3] != ' ' || !isdigit((unsigned char)q[4]) ||
	    !isdigit((unsigned char)q[7]) || q[8] != '-')
		return 0;
	lim = le - q > 40 ? q + 40 : le;
	if ((q = find(q, lim, ": --> ")) || (q = find(p, lim, ": <-- "))) {
		*t = q + 6;
		return q[2] == '-' ? 1 : 2;
	}
	return 0;
}

enum cat_stage
message_stage(const char *base, struct span sp)
{
	const char *s = base + sp.start, *end = base + sp.end, *p, *le;
	enum cat_stage st, cmd = CAT_STAGE_NONE, tag = CAT_STAGE_NONE;
	struct span host;

	for (p = s; (p = find_ci(p, end, "(in reply")); ) {
		p += 9;
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (ieq_prefix(p, end, "to") && p + 2 < end && isspace((unsigned char)p[2]) &&
		    (st = stage_wrapped(p + 2, end)) != CAT_STAGE_NONE)
			return st;
	}
	/* Postfix's "host mx[ip] refused to talk to me: 554 ...": the
	 * greeting (or the connection) was refused before any command */
	if (FIND_AT(s, end, "refused to talk to me", 14))
		return CAT_STAGE_CONNECT;
	for (p = s; (p = find_ci(p, end, "smtp error from remote ")); p += 23) {
		const char *a;

		le = memchr(p, '\n', (size_t)(end - p));
		le = le ? le : end;
		if ((a = find_ci(p + 23, le, " after ")) && (st = stage_at(a + 7, le)) != CAT_STAGE_NONE)
			return st;
		/* GMX's and WEB.DE's "SMTP error from remote server for RCPT TO
		 * command, host: ..." */
		if ((a = find_ci(p + 23, le, " for ")) && (st = stage_at(a + 5, le)) != CAT_STAGE_NONE)
			return st;
	}
	if ((st = qmail_remote_find(base, sp, &host)) != CAT_STAGE_NONE)
		return st;
	for (p = s; p < end; p = le < end ? le + 1 : end) {
		const char *t = NULL;
		int turn;

		le = memchr(p, '\n', (size_t)(end - p));
		le = le ? le : end;
		turn = transcript_turn(p, le, &t);
		if (tag == CAT_STAGE_NONE)
			tag = stage_tag(p, le);
		if (turn == 1) {
			if (t < le && t[0] == '.' && (t + 1 == le || t[1] == '\r' || t[1] == ' '))
				cmd = CAT_STAGE_END_OF_DATA;
			else
				cmd = stage_at(t, le);
		} else if (turn == 2 && t < le && cmd != CAT_STAGE_NONE) {
			if (t[0] == '3' && cmd == CAT_STAGE_DATA)
				cmd = CAT_STAGE_END_OF_DATA;
			else if (t[0] == '4' || t[0] == '5')
				return cmd;
		}
	}
	return tag;
}

/* Whether the word w ends at e (a word boundary before it), ignoring case. */
static int
word_ends_at(const char *s, const char *e, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(e - s) >= n && strncasecmp(e - n, w, n) == 0 &&
	       (e - n == s || !isalnum((unsigned char)e[-(ptrdiff_t)n - 1]));
}

/* Whether the address [as, ae) of a pasted text [s, end) is not the one that
 * failed: the mail system's or a list's own; the sender's, by the word just
 * before it ("MAIL FROM:<a@b>", "from=<a@b>", "Sender: a@b", "Sender address
 * a@b rejected", Exim's "Verification failed for <a@b>") or just after it
 * ("<a@b> sender has sent ...", "<a@b>: Sender address rejected", Sendmail's
 * "<a@b>... Domain of sender address a@b does not exist"); a
 * Message-ID, in <> after "message", "msgid" or "id", by its field's name
 * on the line ("Message-ID: <...>", "References:") or,
 * in the comma or tab separated rows of a message tracking export, by
 * filling a field in angle brackets, where its addresses stand bare; one
 * on a pasted header line (To:, Cc:, Reply-To:, Return-Path:). */
static int
text_other(const char *s, const char *end, const char *as, const char *ae)
{
	const char *b = as, *a = ae, *ls = as;

	if (system_address(as, ae) || list_address(as, ae))
		return 1;
	while (b > s && (b[-1] == '<' || b[-1] == ' ' || b[-1] == '=' || b[-1] == ':' || b[-1] == '"'))
		b--;
	if (word_ends_at(s, b, "from") || word_ends_at(s, b, "sender") ||
	    word_ends_at(s, b, "sender address") || word_ends_at(s, b, "verification failed for"))
		return 1;
	/* "Your message <id@host> to ...", "msgid=<...>", "Message ID: <...>" */
	if (as > s && as[-1] == '<' &&
	    (word_ends_at(s, b, "message") || word_ends_at(s, b, "msgid") || word_ends_at(s, b, "id")))
		return 1;
	while (a < end && (*a == '>' || *a == ' ' || *a == ':' || *a == '"' || *a == '.'))
		a++;
	if (ieq_prefix(a, end, "sender") || ieq_prefix(a, end, "domain of sender"))
		return 1;
	while (ls > s && ls[-1] != '\n')
		ls--;
	if (find_ci(ls, as, "message-id") || find_ci(ls, as, "references") || find_ci(ls, as, "in-reply-to"))
		return 1;
	/* a pasted bounce's own header lines: its To: is the sender that
	 * got it back, its Cc: and Reply-To: no one who failed */
	if (ieq_prefix(ls, end, "to:") || ieq_prefix(ls, end, "cc:") || ieq_prefix(ls, end, "reply-to:") ||
	    ieq_prefix(ls, end, "return-path:"))
		return 1;
	return as - 1 > s && as[-1] == '<' && (as[-2] == ',' || as[-2] == '\t') && ae + 1 < end &&
	       *ae == '>' && (ae[1] == ',' || ae[1] == '\t');
}

/* The failed recipient of a pasted text that is neither a message nor a log
 * line: the first address it names, bare or in <>, that text_other() does
 * not set aside, or an empty span: no guess. */
struct span
message_text_recipient(const char *base, struct span sp)
{
	const char *s = base + sp.start, *end = base + sp.end, *p, *e;

	for (p = s; p < end && (p = memchr(p, '@', (size_t)(end - p))); p++) {
		const char *as = p;

		/* back to the start of the local part; "=" and "/" end it
		 * there ("from=a@b", "smtp/a@b") */
		while (as > s &&
		       (isalnum((unsigned char)as[-1]) ||
			((unsigned char)as[-1] >= 0x80 && !(as - s >= 3 && cjk_punct(as - 3, as))) ||
			strchr("!#$%&'*+-?^_`{|}~.", as[-1])))
			as--;
		/* a quote before the address is no part of it ("'a@b'") */
		while (as < p && (*as == '.' || *as == '\''))
			as++;
		if (as == p || !(e = addr_end(as, end)))
			continue;
		if (!text_other(s, end, as, e))
			return mkspan(base, as, e);
		p = e - 1;
	}
	return mkspan(base, end, end);
}
