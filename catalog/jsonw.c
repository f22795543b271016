/* jsonw.c: the JSON writer. */
#include "jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
put(struct jsonw *w, const char *s, size_t n)
{
	if (w->oom)
		return;
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 256;
		char *p;

		while (cap < w->len + n + 1)
			cap *= 2;
		p = realloc(w->buf, cap);
		if (!p) {
			w->oom = 1;
			return;
		}
		w->buf = p;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

/* A comma before a value or key that is not the first of its container. */
static void
sep(struct jsonw *w)
{
	if (w->need_comma)
		put(w, ",", 1);
	w->need_comma = 1;
}

void
jw_obj(struct jsonw *w)
{
	sep(w);
	put(w, "{", 1);
	w->need_comma = 0;
}

void
jw_end_obj(struct jsonw *w)
{
	put(w, "}", 1);
	w->need_comma = 1;
}

void
jw_arr(struct jsonw *w)
{
	sep(w);
	put(w, "[", 1);
	w->need_comma = 0;
}

void
jw_end_arr(struct jsonw *w)
{
	put(w, "]", 1);
	w->need_comma = 1;
}

void
jw_key(struct jsonw *w, const char *key)
{
	jw_str(w, key);
	put(w, ":", 1);
	w->need_comma = 0;
}

/* Length of a valid UTF-8 sequence at s (n bytes left) and its code point,
 * or 0. */
static size_t
utf8(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0], min;
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static int
must_escape(unsigned cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
	       (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || cp == 0x00ad;
}

void
jw_strn(struct jsonw *w, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0;

	if (!str) {
		jw_null(w);
		return;
	}
	sep(w);
	put(w, "\"", 1);
	while (i < n) {
		unsigned cp = 0;
		size_t l = utf8(s + i, n - i, &cp);
		char esc[8];

		if (l == 1 && cp >= 0x20 && cp != '"' && cp != '\\' && cp != 0x7f) {
			run++;
			i++;
			continue;
		}
		if (run)
			put(w, (const char *)s + i - run, run);
		run = 0;
		if (l == 0) {
			put(w, "\\ufffd", 6);
			i++;
			continue;
		}
		if (cp == '"')
			put(w, "\\\"", 2);
		else if (cp == '\\')
			put(w, "\\\\", 2);
		else if (cp == '\n')
			put(w, "\\n", 2);
		else if (cp == '\t')
			put(w, "\\t", 2);
		else if (cp == '\r')
			put(w, "\\r", 2);
		else if (must_escape(cp)) {
			snprintf(esc, sizeof(esc), "\\u%04x", cp);
			put(w, esc, 6);
		} else {
			put(w, (const char *)s + i, l);
		}
		i += l;
	}
	if (run)
		put(w, (const char *)s + i - run, run);
	put(w, "\"", 1);
}

void
jw_str(struct jsonw *w, const char *s)
{
	jw_strn(w, s, s ? strlen(s) : 0);
}

void
jw_int(struct jsonw *w, long long v)
{
	char buf[32];

	sep(w);
	put(w, buf, (size_t)snprintf(buf, sizeof(buf), "%lld", v));
}

void
jw_bool(struct jsonw *w, int v)
{
	sep(w);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void
jw_null(struct jsonw *w)
{
	sep(w);
	put(w, "null", 4);
}
