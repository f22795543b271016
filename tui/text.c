/* text.c: sanitizing, measuring and wrapping text for display. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#include "text.h"

#include "bounce/catalog.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

int
tbuf_add(struct tbuf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 128;
		char *p;

		while (cap < b->len + len + 1)
			cap *= 2;
		p = realloc(b->s, cap);
		if (!p)
			return 0;
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
	return 1;
}

int
tbuf_adds(struct tbuf *b, const char *s)
{
	return tbuf_add(b, s, strlen(s));
}

void
tbuf_reset(struct tbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void
tbuf_free(struct tbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

size_t
text_utf8_decode(const char *str, size_t n, unsigned *cp)
{
	return cat_utf8_decode(str, n, cp);
}

size_t
text_utf8_encode(unsigned cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static int
cp_width(unsigned cp)
{
	int w;

	if (cp < 0x80)
		return cp >= 0x20 && cp < 0x7f ? 1 : -1;
	w = wcwidth((wchar_t)cp);
	/* in a non-UTF-8 locale wcwidth knows nothing: count one column */
	if (w < 0 && MB_CUR_MAX == 1 && !(cp >= 0x80 && cp < 0xa0))
		w = 1;
	return w;
}

/* The length of the run of printable ASCII (0x20-0x7e) that s[0..len)
 * starts with: characters of one column that are shown as they are. */
static size_t
ascii_run(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f)
		i++;
	return i;
}

/* Whether the terminal's character set, as the locale says, is UTF-8. In
 * any other (the C locale, Latin-1) the bytes of a UTF-8 sequence are read
 * one by one, and a continuation byte 0x80-0x9F is a C1 control there: 0x9B
 * is CSI. */
static int
utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int
text_utf8_terminal(void)
{
	return utf8_locale();
}

int
text_sanitize(const char *s, size_t len, int keep_newlines, struct tbuf *out)
{
	size_t i = 0;
	char esc[16];
	int utf8 = utf8_locale();

	while (i < len) {
		unsigned cp = 0;
		size_t n = ascii_run(s + i, len - i);

		/* printable ASCII, most of any text, goes as it is, a run at a
		 * time: a character at a time was most of what a lookup
		 * spent printing an entry */
		if (n) {
			if (!tbuf_add(out, s + i, n))
				return 0;
			i += n;
			continue;
		}
		n = text_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			if (utf8 ? !tbuf_add(out, "\xef\xbf\xbd", 3) /* U+FFFD */
				 : (snprintf(esc, sizeof(esc), "\\x%02x", (unsigned char)s[i]),
				    !tbuf_adds(out, esc)))
				return 0;
			i++;
			continue;
		}
		if (!utf8 && cp >= 0x80) {
			/* only ASCII reaches a terminal that does not read UTF-8 */
			snprintf(esc, sizeof(esc), cp >= 0xa0 ? "<U+%04X>" : "\\x%02x", cp);
			if (!tbuf_adds(out, esc))
				return 0;
			i += n;
			continue;
		}
		if (cp == '\t' || (cp == '\n' && !keep_newlines) || cp == '\r') {
			if (!tbuf_add(out, " ", 1))
				return 0;
		} else if (cp == '\n') {
			if (!tbuf_add(out, "\n", 1))
				return 0;
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			snprintf(esc, sizeof(esc), "\\x%02x", cp);
			if (!tbuf_adds(out, esc))
				return 0;
		} else if (cat_cp_invisible(cp) || cp_width(cp) < 1) {
			snprintf(esc, sizeof(esc), "<U+%04X>", cp);
			if (!tbuf_adds(out, esc))
				return 0;
		} else if (!tbuf_add(out, s + i, n)) {
			return 0;
		}
		i += n;
	}
	if (!out->s && !tbuf_add(out, "", 0))
		return 0;
	return 1;
}

size_t
text_width(const char *s, size_t len)
{
	size_t i = 0, w = 0;

	while (i < len) {
		unsigned cp;
		size_t n = ascii_run(s + i, len - i);
		int cw;

		if (n) { /* one column each (cp_width()) */
			w += n;
			i += n;
			continue;
		}
		n = text_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			i++;
			w++;
			continue;
		}
		cw = cp_width(cp);
		w += cw > 0 ? (size_t)cw : 0;
		i += n;
	}
	return w;
}

size_t
text_wrap(FILE *f, const char *str, size_t col, size_t indent, size_t width)
{
	struct tbuf b = { 0 };
	const char *s, *end;

	if (!text_sanitize(str, strlen(str), 1, &b)) {
		fputs("(out of memory)", f);
		return col;
	}
	s = b.s;
	end = s + b.len;
	if (width < indent + 20)
		width = indent + 20;
	while (s < end) {
		const char *w = s, *we;
		size_t ww;

		if (*s == '\n') {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
			s++;
			continue;
		}
		if (*s == ' ') {
			s++;
			continue;
		}
		while (w < end && *w != ' ' && *w != '\n')
			w++;
		we = w;
		ww = text_width(s, (size_t)(we - s));
		if (col > indent && col + 1 + ww > width) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		/* a word longer than the line (a URL) is printed whole */
		fwrite(s, 1, (size_t)(we - s), f);
		col += ww;
		s = we;
	}
	tbuf_free(&b);
	return col;
}
