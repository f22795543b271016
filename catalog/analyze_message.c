/* analyze_message.c: a whole message as items: headers, MIME tree, DSN groups, ARF, recipients. */
#include "analyze.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* The value of a header or DSN field "Name: value" in [s, end), unfolded
 * continuation lines included. */
static struct span
field(const char *base, const char *s, const char *end, const char *name)
{
	size_t n = strlen(name);
	const char *p = s;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1, *e = eol;

			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			/* folded lines start with white space */
			while (e < end && e + 1 < end && (e[1] == ' ' || e[1] == '\t')) {
				const char *n2 = memchr(e + 1, '\n', (size_t)(end - e - 1));

				e = n2 ? n2 : end;
			}
			while (e > v && (e[-1] == '\r' || e[-1] == ' '))
				e--;
			return mkspan(base, v, e);
		}
		p = eol + 1;
	}
	return mkspan(base, s, s);
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

/* The end of the header block starting at s (the blank line), or NULL. */
static const char *
headers_end(const char *s, const char *end)
{
	const char *p = s;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			return NULL;
		if (eol == p || (eol == p + 1 && *p == '\r'))
			return p;
		if (!is_header_line(p, eol) && *p != ' ' && *p != '\t')
			return NULL;
		p = eol + 1;
	}
	return NULL;
}

/* A message starts with a header block that has at least one header only
 * messages have (a block of DSN fields has none of them). */
int
message_looks_like(const char *s, const char *end)
{
	static const char *const names[] = { "from:", "subject:", "content-type:", "received:",
					      "return-path:", "date:", "message-id:", "mime-version:",
					      "to:", "delivered-to:", NULL };
	const char *he = headers_end(s, end), *p = s;
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

/* The value of parameter `name` in a Content-Type value, unquoted. */
static struct span
ct_param(const char *base, struct span ct, const char *name)
{
	const char *s = base + ct.start, *end = base + ct.end, *p = s;
	size_t n = strlen(name);

	while ((p = find_ci(p, end, name))) {
		const char *q = p + n;

		if ((p == s || p[-1] == ';' || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n') &&
		    q < end && *q == '=') {
			const char *v = q + 1, *e;

			if (v < end && *v == '"') {
				v++;
				e = memchr(v, '"', (size_t)(end - v));
				if (!e)
					e = end;
			} else {
				for (e = v; e < end && *e != ';' && *e != ' ' && *e != '\r' && *e != '\n';
				     e++)
					;
			}
			return mkspan(base, v, e);
		}
		p = q;
	}
	return mkspan(base, s, s);
}

static void walk_part(struct msg *m, const char *s, const char *end, int depth);

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
walk_multipart(struct msg *m, const char *body, const char *end, struct span boundary, int depth)
{
	const char *b = m->base + boundary.start;
	size_t blen = boundary.end - boundary.start;
	const char *p = body, *part = NULL;

	if (blen == 0 || blen > 200)
		return;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;

		if (le - p >= (ptrdiff_t)(2 + blen) && p[0] == '-' && p[1] == '-' &&
		    memcmp(p + 2, b, blen) == 0) {
			if (part)
				walk_part(m, part, p, depth + 1);
			if (le - p >= (ptrdiff_t)(4 + blen) && p[2 + blen] == '-' && p[3 + blen] == '-')
				return; /* closing delimiter */
			part = eol ? eol + 1 : end;
		}
		p = eol ? eol + 1 : end;
	}
	if (part)
		walk_part(m, part, end, depth + 1);
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

/* The part [s, end) with headers ending at he needs decoding before its
 * words can be read: it is base64, or quoted-printable with escapes of
 * bytes beyond ASCII ("Empf=C3=A4nger"). A quoted-printable part in ASCII
 * reads well as it is (soft breaks are joined while normalising), and its
 * evidence then stays in the input's own bytes. */
static int
part_encoded(const struct msg *m, const char *s, const char *he, const char *end)
{
	struct span v = field(m->base, s, he, "Content-Transfer-Encoding");
	const char *p;

	if (!span_ok(v))
		return 0;
	if (find_ci(m->base + v.start, m->base + v.end, "base64"))
		return 1;
	if (!find_ci(m->base + v.start, m->base + v.end, "quoted-printable"))
		return 0;
	for (p = he; (p = memchr(p, '=', (size_t)(end - p))) && p + 2 < end; p++)
		if (p[1] && strchr("89ABCDEFabcdef", p[1]) && isxdigit((unsigned char)p[2]))
			return 1;
	return 0;
}

static void
walk_part(struct msg *m, const char *s, const char *end, int depth)
{
	const char *he = headers_end(s, end), *body;
	struct span ct;

	if (depth > MIME_DEPTH)
		return;
	if (!he) {
		/* a part with no headers: text/plain */
		if (!span_ok(m->human))
			m->human = mkspan(m->base, s, cut_original(s, end));
		return;
	}
	body = memchr(he, '\n', (size_t)(end - he));
	body = body ? body + 1 : end;
	ct = field(m->base, s, he, "Content-Type");
	if (span_ok(ct)) {
		const char *ctv = m->base + ct.start, *cte = m->base + ct.end;

		if (ieq_prefix(ctv, cte, "multipart/")) {
			if (find_ci(ctv, cte, "feedback-report"))
				m->feedback = 1;
			walk_multipart(m, body, end, ct_param(m->base, ct, "boundary"), depth);
			return;
		}
		if (ieq_prefix(ctv, cte, "message/delivery-status") ||
		    ieq_prefix(ctv, cte, "message/global-delivery-status")) {
			if (part_encoded(m, s, he, end))
				m->encoded = 1;
			add_dsn_groups(m, body, end);
			return;
		}
		if (ieq_prefix(ctv, cte, "message/feedback-report")) {
			m->feedback = 1;
			return;
		}
		if (ieq_prefix(ctv, cte, "message/rfc822") || ieq_prefix(ctv, cte, "text/rfc822-headers") ||
		    ieq_prefix(ctv, cte, "message/global"))
			return; /* the returned original: not the bounce's words */
		if (!ieq_prefix(ctv, cte, "text/"))
			return;
	}
	if (part_encoded(m, s, he, end))
		m->encoded = 1;
	if (!span_ok(m->human))
		m->human = mkspan(m->base, body, cut_original(body, end));
}

/* Reads a whole message: its headers, MIME parts and DSN groups. */
void
message_parse(struct msg *m, const char *s, const char *end)
{
	const char *he = headers_end(s, end);
	struct span v;

	m->subject = field(m->base, s, he, "Subject");
	/* RFC 2047 encoded words: the words are read from a decoded copy */
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
	if (span_ok(field(m->base, s, he, "X-Autoreply")) ||
	    span_ok(field(m->base, s, he, "X-Autorespond")))
		m->auto_reply = 1;
	v = field(m->base, s, he, "Precedence");
	if (span_ok(v) && find_ci(m->base + v.start, m->base + v.end, "auto_reply"))
		m->auto_reply = 1;
	walk_part(m, s, end, 0);
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
