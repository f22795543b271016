/* jsonw.c: the JSON writer. */
#include "jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void grow_put(struct jsonw *w, const char *s, size_t n);

/* Appends n bytes; the buffer is grown rarely, so the common case is one
 * comparison and a copy. */
static inline void
put(struct jsonw *w, const char *s, size_t n)
{
	if (w->len + n + 1 <= w->cap && !w->oom) {
		char *d = w->buf + w->len;

		/* most pieces are a few bytes: two overlapping fixed-size copies
		 * (inlined) beat a call to memcpy */
		if (n >= 8 && n <= 16) {
			memcpy(d, s, 8);
			memcpy(d + n - 8, s + n - 8, 8);
		} else if (n >= 4 && n < 8) {
			memcpy(d, s, 4);
			memcpy(d + n - 4, s + n - 4, 4);
		} else if (n < 4) {
			for (size_t i = 0; i < n; i++)
				d[i] = s[i];
		} else {
			memcpy(d, s, n);
		}
		w->len += n;
		w->buf[w->len] = '\0';
		return;
	}
	grow_put(w, s, n);
}

static void
grow_put(struct jsonw *w, const char *s, size_t n)
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

/* Keys are the program's own ASCII names: written as they are. */
void
jw_key(struct jsonw *w, const char *key)
{
	char buf[64];
	size_t n = strlen(key);

	if (n + 4 > sizeof(buf)) {
		jw_str(w, key);
		put(w, ":", 1);
	} else {
		buf[0] = w->need_comma ? ',' : '"';
		memcpy(buf + 1, w->need_comma ? "\"" : "", w->need_comma ? 1 : 0);
		{
			size_t o = w->need_comma ? 2 : 1;

			memcpy(buf + o, key, n);
			buf[o + n] = '"';
			buf[o + n + 1] = ':';
			put(w, buf, o + n + 2);
		}
	}
	w->need_comma = 0;
}

static int
must_escape(unsigned cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
	       (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || cp == 0x00ad;
}

/* Bytes that are copied as they are: printable ASCII but " and \. */
static const unsigned char plain[256] = {
	['\x20'] = 1, ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1,
	['('] = 1, [')'] = 1, ['*'] = 1, ['+'] = 1, [','] = 1, ['-'] = 1, ['.'] = 1, ['/'] = 1,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1, [':'] = 1, [';'] = 1, ['<'] = 1, ['='] = 1, ['>'] = 1, ['?'] = 1,
	['@'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
	['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1,
	['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1,
	['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['['] = 1, [']'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
	['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
	['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1, ['{'] = 1, ['|'] = 1, ['}'] = 1, ['~'] = 1,
};

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
	/* the common case: all plain ASCII, written with its quotes at once */
	while (i < n && plain[s[i]])
		i++;
	if (i == n && w->len + n + 3 <= w->cap && !w->oom) {
		char *d = w->buf + w->len;

		d[0] = '"';
		memcpy(d + 1, s, n);
		d[n + 1] = '"';
		d[n + 2] = '\0';
		w->len += n + 2;
		return;
	}
	run = i;
	put(w, "\"", 1);
	while (i < n) {
		unsigned cp = 0;
		size_t l;
		char esc[16];

		/* the common case: a run of plain ASCII, copied at once */
		if (plain[s[i]]) {
			size_t j = i + 1;

			while (j < n && plain[s[j]])
				j++;
			run += j - i;
			i = j;
			continue;
		}
		l = utf8_decode(s + i, n - i, &cp);
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
jw_keyn_strn(struct jsonw *w, const char *quoted, size_t len, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	if (str)
		while (i < n && plain[s[i]])
			i++;
	if (!str || i < n || w->len + len + n + 3 > w->cap || w->oom) {
		jw_keyn(w, quoted, len);
		jw_strn(w, str, n);
		return;
	}
	/* the common case, a plain string: key and value in one piece */
	{
		char *d = w->buf + w->len;

		if (!w->need_comma) {
			quoted++;
			len--;
		}
		memcpy(d, quoted, len);
		d += len;
		*d++ = '"';
		memcpy(d, s, n);
		d += n;
		*d++ = '"';
		*d = '\0';
		w->len += len + n + 2;
		w->need_comma = 1;
	}
}

void
jw_keyn_str(struct jsonw *w, const char *quoted, size_t len, const char *s)
{
	jw_keyn_strn(w, quoted, len, s, s ? strlen(s) : 0);
}

void
jw_str(struct jsonw *w, const char *s)
{
	jw_strn(w, s, s ? strlen(s) : 0);
}

static const char pairs[] = "00010203040506070809101112131415161718192021222324"
			    "25262728293031323334353637383940414243444546474849"
			    "50515253545556575859606162636465666768697071727374"
			    "75767778798081828384858687888990919293949596979899";

/* Writes the digits of v to end at `end`; returns where they start. */
static char *
digits(char *end, long long v)
{
	char *p = end;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	/* two digits at a time */
	while (u >= 100) {
		unsigned d = (unsigned)(u % 100) * 2;

		u /= 100;
		*--p = pairs[d + 1];
		*--p = pairs[d];
	}
	if (u >= 10) {
		*--p = pairs[u * 2 + 1];
		*--p = pairs[u * 2];
	} else {
		*--p = (char)('0' + u);
	}
	if (v < 0)
		*--p = '-';
	return p;
}

void
jw_int(struct jsonw *w, long long v)
{
	char buf[24];
	char *p = digits(buf + sizeof(buf), v);

	sep(w);
	put(w, p, (size_t)(buf + sizeof(buf) - p));
}

void
jw_keyn_int(struct jsonw *w, const char *quoted, size_t len, long long v)
{
	char buf[64 + 24];
	char *num, *start;

	if (len > 64) {
		jw_keyn(w, quoted, len);
		jw_int(w, v);
		return;
	}
	/* the key, then the digits right after it, in one piece */
	num = digits(buf + sizeof(buf), v);
	start = num - len;
	memcpy(start, quoted, len);
	if (!w->need_comma)
		start++;
	put(w, start, (size_t)(buf + sizeof(buf) - start));
	w->need_comma = 1;
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

void
jw_obj_open(struct jsonw *w, const char *json, size_t len)
{
	sep(w);
	put(w, json, len);
	w->need_comma = 1;
}

void
jw_members(struct jsonw *w, const char *json, size_t len)
{
	put(w, json, len);
	w->need_comma = 1;
}

void
jw_raw(struct jsonw *w, const char *json, size_t len)
{
	sep(w);
	put(w, json, len);
}

void
jw_keyn(struct jsonw *w, const char *quoted, size_t len)
{
	if (w->need_comma)
		put(w, quoted, len);
	else
		put(w, quoted + 1, len - 1);
	w->need_comma = 0;
}
