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

/* One group of DSN per-recipient fields: Final-Recipient, Action, Status,
 * Remote-MTA, Diagnostic-Code. */
void
message_dsn_group(const char *base, const char *s, const char *end, struct item *it)
{
	struct span v;

	it->format = "dsn";
	v = field(base, s, end, "Final-Recipient");
	if (!span_ok(v))
		v = field(base, s, end, "Original-Recipient");
	if (span_ok(v)) {
		const char *semi = memchr(base + v.start, ';', v.end - v.start);

		it->recipient = logline_address(base, semi ? semi + 1 : base + v.start, base + v.end);
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
	} else {
		it->text = mkspan(base, s, end);
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

/* Where a non-MIME bounce starts quoting the returned message (Exim,
 * qmail, older Postfix): its words are not the bounce's. */
static const char *
cut_original(const char *s, const char *end)
{
	static const char *const seps[] = { "\n------ This is a copy of the message",
					     "\n--- Below this line is a copy of the message",
					     "\n------ Received headers of the message",
					     "\n----- Original message -----",
					     "\nOriginal message headers:", NULL };
	const char *cut = end, *p;
	size_t i;

	for (i = 0; seps[i]; i++)
		if ((p = find(s, end, seps[i])) && p < cut)
			cut = p;
	return cut;
}

static void
add_dsn_groups(struct msg *m, const char *s, const char *end)
{
	/* groups are separated by blank lines; the first is per-message */
	const char *p = s;

	while (p < end && m->n_items < MAX_ITEMS) {
		const char *q = p, *gend;

		/* find the end of this group */
		while (q < end) {
			const char *eol = memchr(q, '\n', (size_t)(end - q));

			if (!eol) {
				q = end;
				break;
			}
			if (eol == q || (eol == q + 1 && *q == '\r')) {
				break;
			}
			q = eol + 1;
		}
		gend = q;
		if (find_ci(p, gend, "final-recipient:") || find_ci(p, gend, "original-recipient:")) {
			struct item *it = &m->items[m->n_items++];

			memset(it, 0, sizeof(*it));
			message_dsn_group(m->base, p, gend, it);
		}
		if (q >= end)
			break;
		p = memchr(q, '\n', (size_t)(end - q));
		p = p ? p + 1 : end;
	}
}

/* The field Microsoft's JMRP adds to a reported message: its recipient. */
#define JMRP_RECIPIENT "X-HmXmrOriginalRecipient"

/* A part of the MIME tree (mime_walk()), in order: the delivery-status
 * part gives the DSN groups, the first text part the bounce's words, a
 * feedback report makes it ARF; a part that can only be read decoded asks
 * for the decoded copy (m->encoded). */
static void
visit_part(void *ctx, const struct mime_part *p)
{
	struct msg *m = ctx;

	switch (p->type) {
	case MIME_T_MULTIPART:
		if (find_ci(p->ct, p->ct_end, "feedback-report"))
			m->feedback = 1;
		if (find_ci(p->ct, p->ct_end, "/report"))
			m->report = 1;
		return;
	case MIME_T_ORIGINAL_HEADERS:
		m->report = 1;
		return;
	case MIME_T_DSN:
		if (mime_part_needs_decoding(p))
			m->encoded = 1;
		add_dsn_groups(m, p->body, p->end);
		return;
	case MIME_T_FEEDBACK:
		m->feedback = 1;
		/* RFC 5965 3.2: the recipient of the reported message, when the
		 * reporter did not redact it */
		if (!span_ok(m->complainant))
			m->complainant = field(m->base, p->body, p->end, "Original-Rcpt-To");
		return;
	case MIME_T_ORIGINAL: {
		/* Microsoft's Junk Mail Reporting Program returns the message a
		 * user marked as junk with the field it added on arrival naming
		 * that user: the attachment makes the message a complaint */
		const char *he = mime_headers_end(p->body, p->end);
		struct span c = he ? field(m->base, p->body, he, JMRP_RECIPIENT) : mkspan(m->base, he, he);

		if (span_ok(c) && m->n_items == 0) {
			m->feedback = 1;
			m->complainant = c;
		}
		return;
	}
	case MIME_T_NONE:
	case MIME_T_TEXT:
		break;
	default:
		return; /* the returned original, an image ...: not the bounce's words */
	}
	/* a part with no headers (p->body == p->start) is text/plain */
	if (mime_part_needs_decoding(p))
		m->encoded = 1;
	if (!span_ok(m->human))
		m->human = mkspan(m->base, p->body, cut_original(p->body, p->end));
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
	    find(m->base + m->subject.start, m->base + m->subject.end, "=?"))
		m->encoded = 1;
	m->failed = field(m->base, s, he, "X-Failed-Recipients");
	v = field(m->base, s, he, "Auto-Submitted");
	if (span_ok(v) && find_ci(m->base + v.start, m->base + v.end, "auto-replied"))
		m->auto_submitted = 1;
	v = field(m->base, s, he, "From");
	if (span_ok(v) && (find_ci(m->base + v.start, m->base + v.end, "mailer-daemon") ||
			   find_ci(m->base + v.start, m->base + v.end, "postmaster@")))
		m->from_daemon = 1;
	/* a JMRP report in the "original" form: the reported message itself */
	v = field(m->base, s, he, JMRP_RECIPIENT);
	if (span_ok(v)) {
		m->feedback = 1;
		m->complainant = v;
	}
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
}

/* A bounce without a DSN part that names several failed recipients
 * (X-Failed-Recipients) and lists them in its words, each followed by its
 * own error (Exim): one item per recipient, with its own section. Returns
 * the number of items, 0 when the words do not list them. */
size_t
message_split_recipients(const char *base, const struct msg *m, struct item *items)
{
	const char *list = base + m->failed.start, *lend = base + m->failed.end;
	const char *hs = base + m->human.start, *he = base + m->human.end;
	const char *starts[MAX_ITEMS];
	struct span rcpt[MAX_ITEMS];
	size_t n = 0, i, j;

	while (list < lend && n < MAX_ITEMS) {
		struct span a = logline_address(base, list, lend);
		const char *p;

		if (!span_ok(a))
			break;
		/* the address at the start of a line of the words */
		for (p = hs; (p = find(p, he, "\n")) && p < he; p++) {
			const char *q = p + 1;

			while (q < he && (*q == ' ' || *q == '\t' || *q == '<'))
				q++;
			if ((size_t)(he - q) >= a.end - a.start &&
			    strncasecmp(q, base + a.start, a.end - a.start) == 0)
				break;
		}
		if (p && p < he) {
			starts[n] = p + 1;
			rcpt[n] = a;
			n++;
		}
		list = base + a.end;
		while (list < lend && (*list == ',' || *list == ' ' || *list == '>'))
			list++;
	}
	if (n < 2)
		return 0;
	/* sections in the order they appear */
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (starts[j] < starts[i]) {
				const char *t = starts[i];
				struct span ts = rcpt[i];

				starts[i] = starts[j];
				starts[j] = t;
				rcpt[i] = rcpt[j];
				rcpt[j] = ts;
			}
	for (i = 0; i < n; i++) {
		const char *e = i + 1 < n ? starts[i + 1] : he;

		memset(&items[i], 0, sizeof(items[i]));
		items[i].format = "message";
		items[i].text = mkspan(base, starts[i], e);
		items[i].subject = m->subject;
		items[i].recipient = rcpt[i];
		items[i].host = message_text_host(base, items[i].text);
	}
	return n;
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
		if (span_ok(a) && base + a.start == p && !ieq_prefix(p, le, "postmaster@") &&
		    !ieq_prefix(p, le, "mailer-daemon@")) {
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

/* The first address written as <a@b> in a span. */
struct span
message_first_address(const char *base, struct span sp)
{
	const char *s = base + sp.start, *end = base + sp.end;

	while ((s = memchr(s, '<', (size_t)(end - s)))) {
		struct span a = logline_address(base, s + 1, end);

		if (span_ok(a))
			return a;
		s++;
	}
	return message_line_address(base, sp);
}

/* "host mx.example.net [192.0.2.1]" or "host mx[192.0.2.1] said" in a
 * bounce's words: the name of the remote server. */
struct span
message_text_host(const char *base, struct span sp)
{
	const char *s = base + sp.start, *end = base + sp.end;

	while ((s = find(s, end, "host "))) {
		const char *h = s + 5, *e = h;

		while (e < end && (isalnum((unsigned char)*e) || *e == '.' || *e == '-'))
			e++;
		if (e > h && memchr(h, '.', (size_t)(e - h)) && e < end &&
		    (*e == '[' || (*e == ' ' && e + 1 < end && e[1] == '[')))
			return mkspan(base, h, e);
		s = h;
	}
	return mkspan(base, end, end);
}
