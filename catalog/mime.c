/* mime.c: the MIME reader: header blocks, fields, types, boundaries, the part tree, the decoded copy. */
#include "mime.h"

#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ primitives */

const char *
mime_skip_mbox_line(const char *s, const char *end)
{
	const char *eol;

	if (end - s < 6 || memcmp(s, "From ", 5) != 0 || !(eol = memchr(s, '\n', (size_t)(end - s))))
		return s;
	return eol + 1;
}

const char *
mime_headers_end(const char *s, const char *end)
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

int
mime_field(const char *s, const char *end, const char *name, const char **vp, const char **vep)
{
	size_t n = strlen(name);
	const char *p = s;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		/* the colon first: it refuses most lines without a call */
		if ((size_t)(eol - p) > n && p[n] == ':' && strncasecmp(p, name, n) == 0) {
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
			*vp = v;
			*vep = e;
			return 1;
		}
		p = eol + 1;
	}
	return 0;
}

int
mime_param(const char *s, const char *end, const char *name, const char **vp, const char **vep)
{
	const char *p = s;
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
			*vp = v;
			*vep = e;
			return 1;
		}
		p = q;
	}
	return 0;
}

enum mime_type
mime_type_of(const char *v, const char *e)
{
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	if (ieq_prefix(v, e, "multipart/"))
		return MIME_T_MULTIPART;
	/* before "message/global": a global DSN is no returned original */
	if (ieq_prefix(v, e, "message/delivery-status") ||
	    ieq_prefix(v, e, "message/global-delivery-status"))
		return MIME_T_DSN;
	if (ieq_prefix(v, e, "message/feedback-report"))
		return MIME_T_FEEDBACK;
	if (ieq_prefix(v, e, "message/rfc822") || ieq_prefix(v, e, "message/global"))
		return MIME_T_ORIGINAL;
	if (ieq_prefix(v, e, "text/rfc822-headers"))
		return MIME_T_ORIGINAL_HEADERS;
	if (ieq_prefix(v, e, "text/"))
		return MIME_T_TEXT;
	return MIME_T_OTHER;
}

enum mime_enc
mime_encoding(const char *v, const char *e)
{
	return find_ci(v, e, "base64")		 ? MIME_ENC_BASE64 :
	       find_ci(v, e, "quoted-printable") ? MIME_ENC_QP :
						   MIME_ENC_NONE;
}

int
mime_delimiter(const char *p, const char *le, const char *b, size_t blen)
{
	if (!b)
		return le - p >= 2 && p[0] == '-' && p[1] == '-';
	if (le - p >= (ptrdiff_t)(2 + blen) && p[0] == '-' && p[1] == '-' &&
	    memcmp(p + 2, b, blen) == 0)
		return le - p >= (ptrdiff_t)(4 + blen) && p[2 + blen] == '-' && p[3 + blen] == '-' ? 2 :
												      1;
	return 0;
}

/* ------------------------------------------------------------ the part tree */

struct walker {
	void (*visit)(void *ctx, const struct mime_part *p);
	void *ctx;
};

static void walk_part(const struct walker *w, const char *s, const char *end, int depth);

/* Walks the parts of a multipart body; returns the number of delimiters
 * found. */
static size_t
walk_multipart(const struct walker *w, const char *body, const char *end, const char *b,
	       size_t blen, int depth)
{
	const char *p = body, *part = NULL;
	size_t n = 0;

	if (blen == 0 || blen > MIME_BOUNDARY_MAX)
		return 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		int d = mime_delimiter(p, eol ? eol : end, b, blen);

		if (d) {
			n++;
			if (part)
				walk_part(w, part, p, depth + 1);
			if (d == 2)
				return n; /* closing delimiter */
			part = eol ? eol + 1 : end;
		}
		p = eol ? eol + 1 : end;
	}
	if (part)
		walk_part(w, part, end, depth + 1);
	return n;
}

/* The boundary a body really uses when the one declared never appears, or
 * none is declared (a relay rewrote the header, a paste lost it, a program
 * wrote text/plain over a multipart body): the first line "--X" followed by
 * a header line. With `strict` (a body declared as text), the header block
 * must name a Content-Type and the delimiter must come back, so that a text
 * quoting a message after a line of dashes stays text. */
/* Whether the text [s, e) declares the boundary [b, b + blen) ("boundary=X"
 * or "boundary="X"" in a Content-Type of its own): then the parts that use it
 * are those of a message the text holds (a bounce of a bounce returns the
 * first bounce, multipart/report and all, under its own words), not the
 * text's. */
static int
declared_before(const char *s, const char *e, const char *b, size_t blen)
{
	const char *q = s;

	while ((q = find_ci(q, e, "boundary="))) {
		q += 9;
		if (q < e && *q == '"')
			q++;
		if ((size_t)(e - q) >= blen && memcmp(q, b, blen) == 0 &&
		    (q + blen == e || q[blen] == '"' || q[blen] == ';' || q[blen] == '\r' ||
		     q[blen] == '\n' || q[blen] == ' '))
			return 1;
	}
	return 0;
}

static int
guess_boundary(const char *body, const char *end, int strict, const char **bp, const char **bep)
{
	const char *p = body;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *te = eol ? eol : end;

		while (te > p && (te[-1] == '\r' || te[-1] == ' ' || te[-1] == '\t'))
			te--;
		if (eol && te - p > 2 && te - p <= 2 + MIME_BOUNDARY_MAX && p[0] == '-' && p[1] == '-') {
			const char *nx = eol + 1, *he = mime_headers_end(nx, end), *q;
			const char *nle = memchr(nx, '\n', (size_t)(end - nx));
			size_t blen = (size_t)(te - p - 2), seen = 0;
			const char *v, *ve;

			if (nx < end && is_header_line(nx, nle ? nle : end) &&
			    (!strict || (he && mime_field(nx, he, "Content-Type", &v, &ve))) &&
			    !(strict && declared_before(body, p, p + 2, blen))) {
				for (q = nx; strict && q < end && seen == 0;) {
					const char *e2 = memchr(q, '\n', (size_t)(end - q));

					seen = (size_t)mime_delimiter(q, e2 ? e2 : end, p + 2, blen);
					q = e2 ? e2 + 1 : end;
				}
				if (!strict || seen) {
					*bp = p + 2;
					*bep = te;
					return 1;
				}
			}
		}
		p = eol ? eol + 1 : end;
	}
	return 0;
}

static void
walk_part(const struct walker *w, const char *s, const char *end, int depth)
{
	struct mime_part p;
	const char *v, *ve;

	/* MIME_RULE_DECODE_ORIGINALS: the tree stops here; the copy does not */
	if (depth > MIME_DEPTH)
		return;
	p.start = s;
	p.end = end;
	p.depth = depth;
	p.ct = p.ct_end = s;
	p.type = MIME_T_NONE;
	/* MIME_RULE_DECODE_LOOSE_HEADERS: a block with a line that is no
	 * header is no header block here: the part is header-less text */
	p.headers = mime_headers_end(s, end);
	if (!p.headers) {
		p.body = s;
		w->visit(w->ctx, &p);
		return;
	}
	p.body = memchr(p.headers, '\n', (size_t)(end - p.headers));
	p.body = p.body ? p.body + 1 : end;
	if (mime_field(s, p.headers, "Content-Type", &v, &ve) && ve > v) {
		p.ct = v;
		p.ct_end = ve;
		p.type = mime_type_of(v, ve);
	}
	/* a message that says it is text (or says nothing) but whose body is
	 * made of MIME parts is read as the multipart it is */
	if (depth == 0 && (p.type == MIME_T_NONE || p.type == MIME_T_TEXT) &&
	    guess_boundary(p.body, end, 1, &v, &ve)) {
		p.type = MIME_T_MULTIPART;
		w->visit(w->ctx, &p);
		walk_multipart(w, p.body, end, v, (size_t)(ve - v), depth);
		return;
	}
	w->visit(w->ctx, &p);
	/* MIME_RULE_DECODE_ORIGINALS: a returned original (message/rfc822)
	 * is not entered: its words are not the bounce's */
	if (p.type == MIME_T_MULTIPART) {
		if (!mime_param(p.ct, p.ct_end, "boundary", &v, &ve))
			v = ve = p.ct;
		if (walk_multipart(w, p.body, end, v, (size_t)(ve - v), depth) > 0)
			return;
		/* the declared boundary never appears: the one the body uses,
		 * else the body is text */
		if (guess_boundary(p.body, end, 0, &v, &ve)) {
			walk_multipart(w, p.body, end, v, (size_t)(ve - v), depth);
		} else if (depth < MIME_DEPTH) {
			/* the body is a part of its own, one level down: the
			 * tree still stops at MIME_DEPTH */
			p.start = p.body;
			p.headers = NULL;
			p.ct = p.ct_end = p.body;
			p.type = MIME_T_NONE;
			p.depth = depth + 1;
			w->visit(w->ctx, &p);
		}
	}
}

void
mime_walk(const char *s, const char *end, void (*visit)(void *ctx, const struct mime_part *p),
	  void *ctx)
{
	struct walker w = { visit, ctx };

	walk_part(&w, s, end, 0);
}

/* ------------------------------------------------------------ charsets */

/* The charsets whose text the decoded copy converts to UTF-8, with the name
 * iconv knows them by: those of scripts other than Latin, whose words the
 * catalog's phrases (UTF-8) and the address reader cannot see in their own
 * bytes (a Chinese server's GB2312 "user does not exist", a Japanese
 * auto-reply in ISO-2022-JP). Latin-1 and windows-1252 are not converted:
 * the scan reads their letters as UTF-8 already, and their evidence stays
 * in the input's own bytes. GB2312 and GBK are read as GB18030, the
 * superset the mail programs that label them really write. */
#define CHARSET(label, iconv_name) { label, sizeof(label) - 1, iconv_name }
static const struct {
	const char *label;
	size_t len;
	const char *iconv_name;
} converted_charsets[] = {
	CHARSET("iso-2022-jp", "ISO-2022-JP-3"), CHARSET("shift_jis", "CP932"),
	CHARSET("shift-jis", "CP932"),		 CHARSET("sjis", "CP932"),
	CHARSET("x-sjis", "CP932"),		 CHARSET("windows-31j", "CP932"),
	CHARSET("cp932", "CP932"),		 CHARSET("euc-jp", "EUC-JP"),
	CHARSET("gb2312", "GB18030"),		 CHARSET("gbk", "GB18030"),
	CHARSET("gb18030", "GB18030"),		 CHARSET("cp936", "GB18030"),
	CHARSET("x-gbk", "GB18030"),		 CHARSET("euc-cn", "GB18030"),
	CHARSET("big5", "BIG5-HKSCS"),		 CHARSET("big5-hkscs", "BIG5-HKSCS"),
	CHARSET("euc-kr", "CP949"),		 CHARSET("ks_c_5601-1987", "CP949"),
	CHARSET("cp949", "CP949"),		 CHARSET("iso-2022-kr", "ISO-2022-KR"),
	CHARSET("koi8-r", "KOI8-R"),		 CHARSET("koi8-u", "KOI8-U"),
	CHARSET("windows-1251", "CP1251"),	 CHARSET("cp1251", "CP1251"),
	CHARSET("iso-8859-5", "ISO-8859-5"),	 { NULL, 0, NULL }
};
#undef CHARSET

/* The iconv name of the charset [v, ve) when the copy converts it, else
 * NULL. */
static const char *
charset_converted(const char *v, const char *ve)
{
	size_t i, n;

	while (v < ve && (*v == ' ' || *v == '"'))
		v++;
	while (ve > v && (ve[-1] == ' ' || ve[-1] == '"' || ve[-1] == '\r'))
		ve--;
	n = (size_t)(ve - v);
	/* most mail says utf-8 or us-ascii */
	if (n == 0 || *v == 'u' || *v == 'U')
		return NULL;
	for (i = 0; converted_charsets[i].label; i++)
		if (converted_charsets[i].len == n &&
		    strncasecmp(converted_charsets[i].label, v, n) == 0)
			return converted_charsets[i].iconv_name;
	return NULL;
}

/* The converted charset a Content-Type value [v, ve) names, or NULL. */
static const char *
type_charset(const char *v, const char *ve)
{
	const char *c, *ce;

	if (!mime_param(v, ve, "charset", &c, &ce))
		return NULL;
	return charset_converted(c, ce);
}

int
mime_part_converts(const struct mime_part *p)
{
	return p->ct_end > p->ct && type_charset(p->ct, p->ct_end) != NULL;
}

int
mime_words_convert(const char *s, const char *e)
{
	const char *q = s, *c;

	while ((q = find_ci(q, e, "=?"))) {
		q += 2;
		if ((c = memchr(q, '?', (size_t)(e - q))) && charset_converted(q, c))
			return 1;
	}
	return 0;
}

/* Converts out[start, *o) from the charset cs (an iconv name) to UTF-8 in
 * place, when the result fits in out[start, limit); a byte that does not
 * convert is kept as it is. Nothing changes when it does not fit or iconv
 * cannot (no memory, no such charset). */
static void
convert_run(char *out, size_t start, size_t *o, size_t limit, const char *cs)
{
	size_t n = *o - start, room, left, oleft, k;
	char *tmp = NULL, *ip, *op;
	iconv_t cd;

	if (n == 0 || limit <= start)
		return;
	for (k = start; k < *o && (unsigned char)out[k] < 0x80 && out[k] != 0x1b; k++)
		;
	if (k == *o)
		return; /* ASCII is itself */
	room = limit - start;
	if (room > 3 * n + 4)
		room = 3 * n + 4; /* no charset here needs more */
	if (!(tmp = malloc(room)))
		return;
	cd = iconv_open("UTF-8", cs);
	if (cd == (iconv_t)-1) {
		free(tmp);
		return;
	}
	ip = out + start;
	left = n;
	op = tmp;
	oleft = room;
	while (left > 0 && iconv(cd, &ip, &left, &op, &oleft) == (size_t)-1) {
		if (errno == E2BIG || oleft == 0)
			goto out;
		/* an invalid or cut sequence: the byte as it is */
		*op++ = *ip++;
		left--;
		oleft--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	if (iconv(cd, NULL, NULL, &op, &oleft) == (size_t)-1)
		goto out;
	memcpy(out + start, tmp, room - oleft);
	*o = start + (room - oleft);
out:
	iconv_close(cd);
	free(tmp);
}

int
mime_part_needs_decoding(const struct mime_part *p)
{
	const char *v, *ve, *q;

	if (!p->headers || !mime_field(p->start, p->headers, "Content-Transfer-Encoding", &v, &ve) ||
	    ve <= v || mime_encoding(v, ve) == MIME_ENC_NONE) {
		/* 7bit or 8bit text in a charset the copy converts (an
		 * ISO-2022-JP part is 7bit, its escapes say so) */
		if (!mime_part_converts(p))
			return 0;
		for (q = p->body; q < p->end; q++)
			if ((unsigned char)*q >= 0x80 || *q == 0x1b)
				return 1;
		return 0;
	}
	if (mime_encoding(v, ve) == MIME_ENC_BASE64)
		return 1;
	/* MIME_RULE_WALK_QP_ONLY_BEYOND_ASCII: a quoted-printable part in
	 * ASCII reads well as it is (soft breaks are joined while
	 * normalising), and its evidence then stays in the input's own bytes;
	 * once the copy is made for another reason, the decoder decodes it too,
	 * as it always did. A later issue may make the two agree. */
	for (q = p->headers; (q = memchr(q, '=', (size_t)(p->end - q))) && q + 2 < p->end; q++)
		if (q[1] && strchr("89ABCDEFabcdef", q[1]) && isxdigit((unsigned char)q[2]))
			return 1;
	return 0;
}

/* ------------------------------------------------------------ the decoded copy */

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
subject_line(const char *p, const char *le, char *out, size_t limit)
{
	size_t o = 0, gap = 0; /* bytes of white space written after a word */
	const char *q = p;

	while (q < le) {
		const char *c, *t, *w, *we, *cs;
		size_t w0;

		if (q + 1 < le && q[0] == '=' && q[1] == '?' &&
		    (c = memchr(q + 2, '?', (size_t)(le - q - 2))) && c + 2 < le && c[2] == '?' &&
		    (c[1] == 'Q' || c[1] == 'q' || c[1] == 'B' || c[1] == 'b') &&
		    (we = memchr(c + 3, '?', (size_t)(le - c - 3))) && we + 1 < le && we[1] == '=') {
			if (gap) {
				o -= gap; /* between two encoded words */
				gap = 0;
			}
			w = c + 3;
			w0 = o;
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
			/* its charset, up to a language tag (RFC 2231) */
			for (t = q + 2; t < c && *t != '*'; t++)
				;
			if ((cs = charset_converted(q + 2, t)))
				convert_run(out, w0, &o, limit - (size_t)(le - (we + 2)), cs);
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
mime_decode_parts(const char *in, size_t len, char *out, size_t cap)
{
	const char *p = in, *end = in + len;
	const char *cs = NULL, *pcs = NULL; /* the charset converted: of the part, of its header block */
	size_t o = 0, body = 0;		   /* where the part's body starts in out */
	enum mstate st = M_HEADERS;
	enum mime_enc enc = MIME_ENC_NONE;
	int typed = 0, type_ok = 0, last = 0; /* last header: 1 CT, 2 CTE */
	struct b64 b = { 0, 0 };
	int top = 1, subj = 0; /* in the message's own headers; in its Subject */

	/* white space before the headers, as a paste often has, is not a
	 * blank line that ends them (the analyzer skips it too) */
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		out[o++] = *p++;
	/* and the mbox "From " line is no header */
	{
		const char *q = mime_skip_mbox_line(p, end);

		memcpy(out + o, p, (size_t)(q - p));
		o += (size_t)(q - p);
		p = q;
	}
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol + 1 : end; /* the line with its newline */
		const char *te = eol ? eol : end;     /* without it */

		int dash;

		if (te > p && te[-1] == '\r')
			te--;
		/* MIME_RULE_DECODE_ANY_DASH_LINE: the copy is made line by line,
		 * without the tree: a part being decoded ends at any line starting
		 * with "--" rather than at its declared boundary (a base64 or
		 * quoted-printable body never has one). A later issue may decode
		 * the parts of mime_walk() instead. */
		dash = mime_delimiter(p, te, NULL, 0);
		if (st == M_B64 && !dash) {
			o += b64_run(p, te, out + o, &b);
			p = le;
			continue;
		}
		if (st == M_QP && !dash) {
			o += qp_line(p, te, le, out + o);
			p = le;
			continue;
		}
		if (st == M_HEADERS && top && te > p &&
		    (ieq_prefix(p, te, "subject:") || (subj && (*p == ' ' || *p == '\t')))) {
			/* MIME_RULE_SUBJECT_DECODED_IN_COPY: the message's Subject
			 * and its folded lines (the message stage only flags it) */
			/* the room a conversion may take: what the rest of
			 * the input will need stays free */
			o += subject_line(p, le, out + o, cap - o - (size_t)(end - le));
			subj = 1;
			last = 0;
			p = le;
			continue;
		}
		subj = 0;
		if (dash && cs && st != M_HEADERS) {
			/* the end of a part in a charset converted */
			convert_run(out, body, &o, cap - (size_t)(end - p), cs);
			cs = NULL;
		}
		/* everything else is copied as it is */
		memcpy(out + o, p, (size_t)(le - p));
		o += (size_t)(le - p);
		if (st == M_B64 || st == M_QP || st == M_BODY) {
			if (dash) {
				/* a boundary (or a line like one): headers may follow */
				st = M_HEADERS;
				enc = MIME_ENC_NONE;
				pcs = NULL;
				typed = type_ok = last = 0;
				b.acc = 0;
				b.n = 0;
			}
		} else if (te == p) {
			/* the blank line that ends a header block */
			st = !enc || (typed && !type_ok) ? M_BODY : enc == MIME_ENC_BASE64 ? M_B64 : M_QP;
			cs = !typed || type_ok ? pcs : NULL;
			body = o;
			b.acc = 0;
			b.n = 0;
			top = subj = 0;
		} else if (*p == ' ' || *p == '\t') {
			/* a folded value */
			if (last == 2 && !enc)
				enc = mime_encoding(p, te);
			if (last == 1 && !pcs)
				pcs = type_charset(p, te);
		} else if (is_header_line(p, te)) {
			last = 0;
			if (ieq_prefix(p, te, "content-type:")) {
				enum mime_type t = mime_type_of(p + 13, te);

				/* MIME_RULE_DECODE_ORIGINALS: text/rfc822-headers is
				 * decoded too, and so are the parts of a multipart
				 * message/rfc822 (their "--" lines are read like any
				 * others), as the copy always did */
				typed = 1;
				type_ok = t == MIME_T_TEXT || t == MIME_T_DSN || t == MIME_T_ORIGINAL_HEADERS;
				pcs = type_charset(p + 13, te);
				last = 1;
			} else if (ieq_prefix(p, te, "content-transfer-encoding:")) {
				enc = mime_encoding(p + 26, te);
				last = 2;
			}
		} else {
			/* MIME_RULE_DECODE_LOOSE_HEADERS: not a header block
			 * after all; the rest is copied as it is (the tree reads
			 * such a part as header-less text) */
			st = M_BODY;
			top = 0;
		}
		p = le;
	}
	if (cs && st != M_HEADERS)
		convert_run(out, body, &o, cap, cs);
	return o;
}

/* ------------------------------------------------------------ an HTML part as text */

int
mime_part_is_html(const struct mime_part *p)
{
	const char *v = p->ct;

	while (v < p->ct_end && (*v == ' ' || *v == '\t'))
		v++;
	return ieq_prefix(v, p->ct_end, "text/html");
}

/* The line ends a browser puts at a tag: 1 after those that start a new
 * line (br, div, td, li ...), 2 after those that start a paragraph (p,
 * table, a heading, a list), 0 for the others. The text of an HTML bounce
 * is then read line by line like a plain one: an address alone on its line
 * opens a recipient's section, which a blank line ends. */
static int
html_block_tag(const char *name, size_t n)
{
	static const char *const lines[] = { "br", "div", "tr", "td", "th", "li", "dt", "dd",
					     "title", "body", "pre", NULL };
	static const char *const paras[] = { "p", "table", "h1", "h2", "h3", "h4", "h5", "h6",
					     "hr", "blockquote", "ul", "ol", "dl", NULL };
	size_t i;

	for (i = 0; paras[i]; i++)
		if (strlen(paras[i]) == n && strncasecmp(paras[i], name, n) == 0)
			return 2;
	for (i = 0; lines[i]; i++)
		if (strlen(lines[i]) == n && strncasecmp(lines[i], name, n) == 0)
			return 1;
	return 0;
}

/* A character reference at p ("&amp;", "&#39;", "&#x2019;") as UTF-8 in
 * out; returns its length in the input, 0 when it is none (copied as it
 * is). */
static size_t
html_entity(const char *p, const char *end, char *out, size_t *o)
{
	static const struct {
		const char *name, *text;
	} named[] = { { "nbsp", " " }, { "amp", "&" },	 { "lt", "<" },	   { "gt", ">" },
		      { "quot", "\"" }, { "apos", "'" }, { "rsquo", "'" }, { "lsquo", "'" },
		      { "ndash", "-" }, { "mdash", "-" }, { NULL, NULL } };
	const char *q = p + 1, *semi;
	unsigned long cp = 0;
	size_t i, n;

	semi = memchr(q, ';', (size_t)(end - q) < 12 ? (size_t)(end - q) : 12);
	if (!semi || semi == q)
		return 0;
	if (*q == '#') {
		int hex = q + 1 < semi && (q[1] == 'x' || q[1] == 'X');

		for (q += 1 + hex; q < semi; q++) {
			int d = isdigit((unsigned char)*q)		     ? *q - '0'
				: hex && isxdigit((unsigned char)*q) ? tolower((unsigned char)*q) - 'a' + 10
								     : -1;

			if (d < 0 || cp > 0x10ffff)
				return 0;
			cp = cp * (hex ? 16 : 10) + (unsigned long)d;
		}
		if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		if (cp == 0xa0 || cp == 0x2019 || cp == 0x2018)
			cp = cp == 0xa0 ? ' ' : '\'';
		if (cp < 0x80) {
			out[(*o)++] = (char)cp;
		} else if (cp < 0x800) {
			out[(*o)++] = (char)(0xc0 | (cp >> 6));
			out[(*o)++] = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			out[(*o)++] = (char)(0xe0 | (cp >> 12));
			out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[(*o)++] = (char)(0x80 | (cp & 0x3f));
		} else {
			out[(*o)++] = (char)(0xf0 | (cp >> 18));
			out[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
			out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[(*o)++] = (char)(0x80 | (cp & 0x3f));
		}
		return (size_t)(semi + 1 - p);
	}
	n = (size_t)(semi - q);
	for (i = 0; named[i].name; i++)
		if (strlen(named[i].name) == n && strncmp(named[i].name, q, n) == 0) {
			out[(*o)++] = named[i].text[0];
			return n + 2;
		}
	return 0;
}

/* The end of the element whose content a browser does not show (script,
 * style, head) opened at p with the name [name, name + n): past its
 * closing tag, or end. */
static const char *
html_skip_element(const char *p, const char *end, const char *name, size_t n)
{
	while ((p = memchr(p, '<', (size_t)(end - p)))) {
		if (p + 2 + n <= end && p[1] == '/' && strncasecmp(p + 2, name, n) == 0) {
			const char *gt = memchr(p, '>', (size_t)(end - p));

			return gt ? gt + 1 : end;
		}
		p++;
	}
	return end;
}

size_t
mime_html_text(const char *in, size_t len, size_t start, size_t stop, char *out)
{
	const char *p = in + start, *end = in + stop;
	size_t o = start;

	memcpy(out, in, start);
	while (p < end) {
		if (*p == '<' && end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			const char *c = p + 4;

			while (c + 3 <= end && memcmp(c, "-->", 3) != 0)
				c++;
			p = c + 3 <= end ? c + 3 : end;
			continue;
		}
		if (*p == '<' && p + 1 < end &&
		    (isalpha((unsigned char)p[1]) || p[1] == '/' || p[1] == '!' || p[1] == '?')) {
			const char *name = p + 1 + (p[1] == '/'), *ne = name, *gt;
			int brk;

			while (ne < end && isalnum((unsigned char)*ne))
				ne++;
			/* "<ana@example.net>" written raw is an address, not a tag */
			if (ne < end && !(*ne == '>' || *ne == '/' || isspace((unsigned char)*ne)) &&
			    p[1] != '!' && p[1] != '?') {
				out[o++] = *p++;
				continue;
			}
			if (!(gt = memchr(ne, '>', (size_t)(end - ne))))
				gt = end - 1;
			if (p[1] != '/' && ((ne - name == 6 && strncasecmp(name, "script", 6) == 0) ||
					    (ne - name == 5 && strncasecmp(name, "style", 5) == 0) ||
					    (ne - name == 4 && strncasecmp(name, "head", 4) == 0))) {
				p = html_skip_element(gt + 1, end, name, (size_t)(ne - name));
				continue;
			}
			brk = html_block_tag(name, (size_t)(ne - name));
			/* blanks before a line end are no text */
			while (brk && o > start && out[o - 1] == ' ')
				o--;
			if (brk && o > start && out[o - 1] != '\n')
				out[o++] = '\n';
			if (brk == 2 && o > start + 1 && out[o - 2] != '\n')
				out[o++] = '\n';
			p = gt + 1;
			continue;
		}
		if (*p == '&') {
			size_t n = html_entity(p, end, out, &o);

			if (n) {
				p += n;
				continue;
			}
		}
		/* a source line's end is only white space in HTML: the lines
		 * are the block tags' */
		if (*p == '\r' || *p == '\n' ||
		    ((*p == ' ' || *p == '\t') && o > start && out[o - 1] == '\n')) {
			if (o > start && out[o - 1] != ' ' && out[o - 1] != '\n')
				out[o++] = ' ';
			p++;
			continue;
		}
		out[o++] = *p++;
	}
	if (o > start && out[o - 1] != '\n')
		out[o++] = '\n';
	memcpy(out + o, in + stop, len - stop);
	return o + (len - stop);
}
