/* jsonw.c: the JSON writer. */
#include "jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/catalog.h"
#include "util.h"

void
jw__grow_put(struct jsonw *w, const char *s, size_t n)
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

/* Keys are the program's own ASCII names: written as they are. */
void
jw_key(struct jsonw *w, const char *key)
{
	char buf[64];
	size_t n = strlen(key);

	if (n + 4 > sizeof(buf)) {
		jw_str(w, key);
		jw__put(w, ":", 1);
	} else {
		buf[0] = w->need_comma ? ',' : '"';
		memcpy(buf + 1, w->need_comma ? "\"" : "", w->need_comma ? 1 : 0);
		{
			size_t o = w->need_comma ? 2 : 1;

			memcpy(buf + o, key, n);
			buf[o + n] = '"';
			buf[o + n + 1] = ':';
			jw__put(w, buf, o + n + 2);
		}
	}
	w->need_comma = 0;
}

/* The one policy of every JSON output: controls and the invisible code
 * points of cat_cp_invisible() (the terminal sanitizer's list) as \u. */
static int
must_escape(unsigned cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cat_cp_invisible(cp);
}

/* \uXXXX, or a surrogate pair beyond the BMP (the tag characters); esc
 * has room for 16 bytes. Returns the length. */
static size_t
u_escape(unsigned cp, char *esc)
{
	if (cp < 0x10000) {
		snprintf(esc, 16, "\\u%04x", cp);
		return 6;
	}
	cp -= 0x10000;
	snprintf(esc, 16, "\\u%04x\\u%04x", 0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
	return 12;
}

char *
jw_clean(const char *json, size_t n)
{
	const unsigned char *s = (const unsigned char *)json;
	struct jsonw w = { 0 };
	size_t i = 0, run = 0;
	char esc[16];

	/* outside strings a JSON text is ASCII: every byte beyond it, and
	 * DEL, is inside a string */
	while (i < n) {
		unsigned cp = 0;
		size_t l;

		if (s[i] < 0x7f) {
			run++;
			i++;
			continue;
		}
		if (run)
			jw__put(&w, (const char *)s + i - run, run);
		run = 0;
		l = utf8_decode(s + i, n - i, &cp);
		if (l == 0) {
			jw__put(&w, "\\ufffd", 6);
			i++;
			continue;
		}
		if (must_escape(cp))
			jw__put(&w, esc, u_escape(cp, esc));
		else
			jw__put(&w, (const char *)s + i, l);
		i += l;
	}
	if (run)
		jw__put(&w, (const char *)s + i - run, run);
	if (!w.buf && !w.oom)
		jw__put(&w, "", 0);
	if (w.oom) {
		free(w.buf);
		return NULL;
	}
	return w.buf;
}

/* Bytes that are copied as they are: printable ASCII but " and \. */
const unsigned char jw__plain[256] = {
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
	jw__sep(w);
	/* the common case: all plain ASCII, written with its quotes at once */
	while (i < n && jw__plain[s[i]])
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
	jw__put(w, "\"", 1);
	while (i < n) {
		unsigned cp = 0;
		size_t l;
		char esc[16];

		/* the common case: a run of plain ASCII, copied at once */
		if (jw__plain[s[i]]) {
			size_t j = i + 1;

			while (j < n && jw__plain[s[j]])
				j++;
			run += j - i;
			i = j;
			continue;
		}
		l = utf8_decode(s + i, n - i, &cp);
		if (run)
			jw__put(w, (const char *)s + i - run, run);
		run = 0;
		if (l == 0) {
			jw__put(w, "\\ufffd", 6);
			i++;
			continue;
		}
		if (cp == '"')
			jw__put(w, "\\\"", 2);
		else if (cp == '\\')
			jw__put(w, "\\\\", 2);
		else if (cp == '\n')
			jw__put(w, "\\n", 2);
		else if (cp == '\t')
			jw__put(w, "\\t", 2);
		else if (cp == '\r')
			jw__put(w, "\\r", 2);
		else if (must_escape(cp)) {
			jw__put(w, esc, u_escape(cp, esc));
		} else {
			jw__put(w, (const char *)s + i, l);
		}
		i += l;
	}
	if (run)
		jw__put(w, (const char *)s + i - run, run);
	jw__put(w, "\"", 1);
}

void
jw_str(struct jsonw *w, const char *s)
{
	jw_strn(w, s, s ? strlen(s) : 0);
}

const char jw__pairs[201] = "00010203040506070809101112131415161718192021222324"
			    "25262728293031323334353637383940414243444546474849"
			    "50515253545556575859606162636465666768697071727374"
			    "75767778798081828384858687888990919293949596979899";

void
jw_int(struct jsonw *w, long long v)
{
	char buf[24];
	char *p = jw__digits(buf + sizeof(buf), v);

	jw__sep(w);
	jw__put(w, p, (size_t)(buf + sizeof(buf) - p));
}
