/* util.c: arena, buffer and error helpers. */
#include "util.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	max_align_t data[];
};

struct cat_arena {
	struct arena_block *head;
};

enum { ARENA_BLOCK = 16 * 1024 };

struct cat_arena *
arena_new(void)
{
	return calloc(1, sizeof(struct cat_arena));
}

void
arena_free(struct cat_arena *a)
{
	struct arena_block *b, *next;

	if (!a)
		return;
	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

void
arena_reset(struct cat_arena *a)
{
	struct arena_block *b, *next;

	if (!a || !a->head)
		return;
	/* keep the oldest block: it is the last in the list */
	for (b = a->head; b->next; b = next) {
		next = b->next;
		free(b);
	}
	a->head = b;
	b->used = 0;
}

void *
arena_alloc_raw(struct cat_arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	struct arena_block *b = a->head;
	void *p;

	size = (size + align - 1) / align * align;
	if (size == 0)
		size = align;
	if (!b || b->size - b->used < size) {
		size_t want = size > ARENA_BLOCK ? size : ARENA_BLOCK;

		b = malloc(sizeof(*b) + want);
		if (!b)
			return NULL;
		b->size = want;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += size;
	return p;
}

void *
arena_alloc(struct cat_arena *a, size_t size)
{
	void *p = arena_alloc_raw(a, size);

	if (p)
		memset(p, 0, size);
	return p;
}

void *
arena_grow(struct cat_arena *a, void *v, size_t n, size_t *cap, size_t size)
{
	size_t want = *cap ? *cap * 2 : 4;
	void *nv;

	if (n < *cap)
		return v;
	if (want > SIZE_MAX / size || !(nv = arena_alloc(a, want * size)))
		return NULL;
	if (n)
		memcpy(nv, v, n * size);
	*cap = want;
	return nv;
}

int
arena_contains(const struct cat_arena *a, const void *p)
{
	const struct arena_block *b;
	const char *c = p;

	for (b = a ? a->head : NULL; b; b = b->next)
		if (c >= (const char *)b->data && c < (const char *)b->data + b->size)
			return 1;
	return 0;
}

int
arena_bounds(const struct cat_arena *a, const char **lo, const char **hi)
{
	if (!a || !a->head || a->head->next)
		return 0;
	*lo = (const char *)a->head->data;
	*hi = (const char *)a->head->data + a->head->size;
	return 1;
}

char *
arena_strndup(struct cat_arena *a, const char *s, size_t len)
{
	char *p = arena_alloc_raw(a, len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
arena_strdup(struct cat_arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

int
strbuf_add(struct strbuf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + len + 1)
			cap *= 2;
		p = realloc(b->data, cap);
		if (!p)
			return -1;
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int
strbuf_addc(struct strbuf *b, char c)
{
	return strbuf_add(b, &c, 1);
}

void
strbuf_reset(struct strbuf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
strbuf_free(struct strbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

enum cat_status
cat_fail(struct cat_error *err, enum cat_status st, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return st;
	err->status = st;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return st;
}

size_t
utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c, min;
	size_t len, i;

	if (n == 0)
		return 0;
	c = s[0];
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

size_t
cat_utf8_decode(const char *s, size_t n, unsigned *cp)
{
	return utf8_decode((const unsigned char *)s, n, cp);
}

int
cat_cp_invisible(unsigned cp)
{
	/* glibc's iswprint() accepts several of these (U+202E among them) */
	return (cp >= 0x200b && cp <= 0x200f) || /* zero width, LRM, RLM */
	       (cp >= 0x2028 && cp <= 0x202e) || /* separators, bidi embeddings */
	       (cp >= 0x2060 && cp <= 0x206f) || /* word joiner, bidi isolates */
	       cp == 0xfeff || cp == 0x00ad || cp == 0x061c || cp == 0x180e ||
	       (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f);
}

char *
utf8_fixed(const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
	struct strbuf b = { 0 };

	while (p < end) {
		unsigned cp;
		size_t n = utf8_decode(p, (size_t)(end - p), &cp);

		if (n == 0) {
			if (strbuf_add(&b, "\xef\xbf\xbd", 3) != 0)
				goto oom;
			p++;
			continue;
		}
		if (strbuf_add(&b, (const char *)p, n) != 0)
			goto oom;
		p += n;
	}
	if (!b.data && strbuf_add(&b, "", 0) != 0)
		goto oom;
	return b.data;
oom:
	strbuf_free(&b);
	return NULL;
}

int
ieq_prefix_rest(const char *s, const char *end, const char *lit)
{
	/* ASCII case folding by hand: strncasecmp() costs a call and a locale
	 * lookup, and this runs several times per line of a log */
	for (; *lit; s++, lit++) {
		unsigned char c, l = (unsigned char)*lit;

		if (s >= end)
			return 0;
		c = (unsigned char)*s;
		if (c == l)
			continue; /* logs write their words as the literals do */
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		if (l >= 'A' && l <= 'Z')
			l = (unsigned char)(l + 32);
		if (c != l)
			return 0;
	}
	return 1;
}

/* Whether s[1..n) is lit[1..n) ignoring case, as strncasecmp() says; its
 * first byte is compared here, so that the many places where only the
 * first byte matched (a newline, an 's') cost no call. */
static int
ci_rest(const char *s, const char *lit, size_t n)
{
	return n < 2 || ((unsigned char)tolower((unsigned char)s[1]) ==
				 (unsigned char)tolower((unsigned char)lit[1]) &&
			 strncasecmp(s + 1, lit + 1, n - 1) == 0);
}

const char *
find_ci(const char *s, const char *end, const char *lit)
{
	size_t n = strlen(lit);
	char lo, up;
	const char *last;

	if (n == 0 || s >= end || (size_t)(end - s) < n)
		return NULL;
	lo = (char)tolower((unsigned char)lit[0]);
	up = (char)toupper((unsigned char)lit[0]);
	last = end - n;
#ifdef __SSE2__
	{
		/* the first byte's two cases, sixteen bytes at a time: a whole
		 * message is searched for a few literals (every byte of a
		 * bounce was looked at one by one per literal); a load ends
		 * at s + 15 <= last < end */
		__m128i vlo = _mm_set1_epi8(lo), vup = _mm_set1_epi8(up);

		for (; last - s >= 15; s += 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
			unsigned m = (unsigned)_mm_movemask_epi8(
				_mm_or_si128(_mm_cmpeq_epi8(x, vlo), _mm_cmpeq_epi8(x, vup)));

			for (; m; m &= m - 1)
				if (ci_rest(s + __builtin_ctz(m), lit, n))
					return s + __builtin_ctz(m);
		}
	}
#endif
	for (; s <= last; s++)
		if ((*s == lo || *s == up) && ci_rest(s, lit, n))
			return s;
	return NULL;
}

int
is_header_line(const char *s, const char *end)
{
	const char *p = s;

	while (p < end && (isalnum((unsigned char)*p) || *p == '-'))
		p++;
	return p > s && p < end && *p == ':';
}
