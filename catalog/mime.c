/* mime.c: base64 and quoted-printable text parts decoded in a copy of a message. */
#include "mime.h"

#include "util.h"

#include <string.h>

enum mstate { M_HEADERS, M_BODY, M_B64, M_QP };

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* the encoding a Content-Transfer-Encoding value names: 1 base64,
 * 2 quoted-printable, 0 one that needs nothing */
static int
encoding_of(const char *v, const char *e)
{
	return find_ci(v, e, "base64") ? 1 : find_ci(v, e, "quoted-printable") ? 2 : 0;
}

/* the value part of a type that we decode: text/..., a delivery status, or
 * nothing said (text/plain by default) */
static int
decodable_type(const char *v, const char *e)
{
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	return ieq_prefix(v, e, "text/") || ieq_prefix(v, e, "message/delivery-status") ||
	       ieq_prefix(v, e, "message/global-delivery-status");
}

/* A base64 decoder's state between runs: the bits of an unfinished group. */
struct b64 {
	unsigned long acc;
	int n;
};

/* Decodes the base64 in [p, e) into out, carrying an unfinished group in
 * *b; returns the bytes written (never more than e - p). */
static size_t
b64_run(const char *p, const char *e, char *out, struct b64 *b)
{
	size_t o = 0;
	const char *q;

	for (q = p; q < e; q++) {
		int v = b64_value((unsigned char)*q);

		if (*q == '=') {
			b->n = 0; /* padding: the group is complete or void */
			continue;
		}
		if (v < 0)
			continue;
		b->acc = (b->acc << 6) | (unsigned long)v;
		if (++b->n == 4) {
			out[o++] = (char)((b->acc >> 16) & 0xff);
			out[o++] = (char)((b->acc >> 8) & 0xff);
			out[o++] = (char)(b->acc & 0xff);
			b->n = 0;
			b->acc = 0;
		} else if (b->n >= 2 && q + 1 < e && q[1] == '=') {
			/* "xx==" gives one byte, "xxx=" two */
			if (b->n == 2) {
				out[o++] = (char)((b->acc >> 4) & 0xff);
			} else {
				out[o++] = (char)((b->acc >> 10) & 0xff);
				out[o++] = (char)((b->acc >> 2) & 0xff);
			}
			b->n = 0;
			b->acc = 0;
		}
	}
	return o;
}

/* A line [p, le) of the Subject with its RFC 2047 encoded words
 * ("=?utf-8?Q?Unzustellbar:_...?=", "=?utf-8?B?...?=") decoded; white
 * space between two encoded words goes. The charset is not converted.
 * Returns the bytes written (never more than le - p). */
static size_t
subject_line(const char *p, const char *le, char *out)
{
	size_t o = 0, gap = 0; /* bytes of white space written after a word */
	const char *q = p;

	while (q < le) {
		const char *c, *t, *w, *we;

		if (q + 1 < le && q[0] == '=' && q[1] == '?' &&
		    (c = memchr(q + 2, '?', (size_t)(le - q - 2))) && c + 2 < le && c[2] == '?' &&
		    (c[1] == 'Q' || c[1] == 'q' || c[1] == 'B' || c[1] == 'b') &&
		    (we = memchr(c + 3, '?', (size_t)(le - c - 3))) && we + 1 < le && we[1] == '=') {
			if (gap) {
				o -= gap; /* between two encoded words */
				gap = 0;
			}
			w = c + 3;
			if (c[1] == 'B' || c[1] == 'b') {
				struct b64 b = { 0, 0 };

				o += b64_run(w, we, out + o, &b);
			} else {
				for (t = w; t < we; t++) {
					int hi, lo;

					if (*t == '_') {
						out[o++] = ' ';
					} else if (*t == '=' && t + 2 < we &&
						   (hi = hex_value((unsigned char)t[1])) >= 0 &&
						   (lo = hex_value((unsigned char)t[2])) >= 0) {
						out[o++] = (char)(hi * 16 + lo);
						t += 2;
					} else {
						out[o++] = *t;
					}
				}
			}
			q = we + 2;
			gap = 0;
			/* white space that may fall between this word and the next */
			while (q < le && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')) {
				out[o++] = *q++;
				gap++;
			}
			continue;
		}
		out[o++] = *q++;
		gap = 0;
	}
	return o;
}

/* One line [p, te) of a quoted-printable body, its line end [te, le):
 * "=XX" is the byte XX, a "=" at the end (before white space) joins the
 * next line, anything else is itself. Returns the bytes written. */
static size_t
qp_line(const char *p, const char *te, const char *le, char *out)
{
	size_t o = 0;
	const char *q, *t = te;

	while (t > p && (t[-1] == ' ' || t[-1] == '\t'))
		t--; /* trailing white space is not part of the text */
	for (q = p; q < t; q++) {
		int hi, lo;

		if (*q == '=' && q + 1 == t)
			return o; /* a soft line break: no line end either */
		if (*q == '=' && q + 2 < t && (hi = hex_value((unsigned char)q[1])) >= 0 &&
		    (lo = hex_value((unsigned char)q[2])) >= 0) {
			out[o++] = (char)(hi * 16 + lo);
			q += 2;
			continue;
		}
		out[o++] = *q;
	}
	memcpy(out + o, te, (size_t)(le - te));
	return o + (size_t)(le - te);
}

size_t
mime_decode_parts(const char *in, size_t len, char *out)
{
	const char *p = in, *end = in + len;
	size_t o = 0;
	enum mstate st = M_HEADERS;
	int enc = 0, typed = 0, type_ok = 0, last = 0; /* enc: 1 base64, 2 quoted-printable;
							   last header: 1 CT, 2 CTE */
	struct b64 b = { 0, 0 };
	int top = 1, subj = 0; /* in the message's own headers; in its Subject */

	/* white space before the headers, as a paste often has, is not a
	 * blank line that ends them (the analyzer skips it too) */
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		out[o++] = *p++;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol + 1 : end; /* the line with its newline */
		const char *te = eol ? eol : end;     /* without it */

		if (te > p && te[-1] == '\r')
			te--;
		if (st == M_B64 && !(le - p >= 2 && p[0] == '-' && p[1] == '-')) {
			o += b64_run(p, te, out + o, &b);
			p = le;
			continue;
		}
		if (st == M_QP && !(le - p >= 2 && p[0] == '-' && p[1] == '-')) {
			o += qp_line(p, te, le, out + o);
			p = le;
			continue;
		}
		if (st == M_HEADERS && top && te > p &&
		    (ieq_prefix(p, te, "subject:") || (subj && (*p == ' ' || *p == '\t')))) {
			/* the message's Subject and its folded lines */
			o += subject_line(p, le, out + o);
			subj = 1;
			last = 0;
			p = le;
			continue;
		}
		subj = 0;
		/* everything else is copied as it is */
		memcpy(out + o, p, (size_t)(le - p));
		o += (size_t)(le - p);
		if (st == M_B64 || st == M_QP || st == M_BODY) {
			if (le - p >= 2 && p[0] == '-' && p[1] == '-') {
				/* a boundary (or a line like one): headers may follow */
				st = M_HEADERS;
				enc = typed = type_ok = last = 0;
				b.acc = 0;
				b.n = 0;
			}
		} else if (te == p) {
			/* the blank line that ends a header block */
			st = !enc || (typed && !type_ok) ? M_BODY : enc == 1 ? M_B64 : M_QP;
			b.acc = 0;
			b.n = 0;
			top = subj = 0;
		} else if (*p == ' ' || *p == '\t') {
			/* a folded value */
			if (last == 2 && !enc)
				enc = encoding_of(p, te);
		} else if (is_header_line(p, te)) {
			last = 0;
			if (ieq_prefix(p, te, "content-type:")) {
				typed = 1;
				type_ok = decodable_type(p + 13, te);
				last = 1;
			} else if (ieq_prefix(p, te, "content-transfer-encoding:")) {
				enc = encoding_of(p + 26, te);
				last = 2;
			}
		} else {
			/* not a header block after all */
			st = M_BODY;
			top = 0;
		}
		p = le;
	}
	return o;
}
