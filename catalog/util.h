/* util.h: memory arena, growable buffer, text and error helpers of the engine. */
#ifndef BOUNCE_CATALOG_UTIL_H
#define BOUNCE_CATALOG_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bounce/catalog.h"

#define CAT_PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))

/* A bump allocator: many small strings, freed together. Strings that live
 * as long as a result come from its arena, never from malloc one by one
 * (freeing a million small blocks slows the next large allocation). */
struct cat_arena;

/* NULL on out of memory. */
struct cat_arena *
arena_new(void);
/* Frees the arena and everything allocated from it. Accepts NULL. */
void
arena_free(struct cat_arena *a);
/* Forgets every allocation but keeps the first block for reuse. */
void
arena_reset(struct cat_arena *a);
/* Aligned memory from the arena, not zeroed (for memory about to be
 * written whole); NULL on out of memory. */
void *
arena_alloc_raw(struct cat_arena *a, size_t size);
/* Aligned memory from the arena, zeroed; NULL on out of memory. */
void *
arena_alloc(struct cat_arena *a, size_t size);
/* An array v of n items of `size` bytes, room for one more: v itself
 * while n < *cap, else a copy in the arena with twice the room (4 at
 * first) and *cap updated; NULL on out of memory (v is left as it was). */
void *
arena_grow(struct cat_arena *a, void *v, size_t n, size_t *cap, size_t size);
/* Whether p points into memory handed out by the arena. */
int
arena_contains(const struct cat_arena *a, const void *p);
/* When the arena has a single block (the common case for one analysis),
 * its bounds, for testing many pointers inline; else 0. */
int
arena_bounds(const struct cat_arena *a, const char **lo, const char **hi);
/* A NUL-terminated copy of s[0..len); NULL on out of memory. */
char *
arena_strndup(struct cat_arena *a, const char *s, size_t len);
/* A copy of s, or NULL when s is NULL or memory runs out. */
char *
arena_strdup(struct cat_arena *a, const char *s);

/* FNV-1a of s[0..n), in 32 bits (hash tables) and 64 bits (a digest that
 * stands for a key). Inline: the 32-bit one hashes a domain on every log
 * line. */
static inline uint32_t
fnv1a32(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static inline uint64_t
fnv1a64(const char *s, size_t n)
{
	uint64_t h = UINT64_C(14695981039346656037);

	while (n--)
		h = (h ^ (unsigned char)*s++) * UINT64_C(1099511628211);
	return h;
}

/* n bytes from s to d, for the short strings of a log line (an address, a
 * queue id, an evidence's text), several per line: two moves that overlap,
 * of the widest size that fits, instead of a call to memcpy(); never
 * reads or writes beyond n bytes. */
static inline void
copy_short(char *d, const char *s, size_t n)
{
	if (n > 32) {
		memcpy(d, s, n);
	} else if (n >= 16) {
		memcpy(d, s, 16);
		memcpy(d + n - 16, s + n - 16, 16);
	} else if (n >= 8) {
		memcpy(d, s, 8);
		memcpy(d + n - 8, s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(d, s, 4);
		memcpy(d + n - 4, s + n - 4, 4);
	} else {
		while (n--)
			*d++ = *s++;
	}
}

/* A growable byte buffer, always NUL-terminated once used. */
struct strbuf {
	char *data;
	size_t len;
	size_t cap;
};

/* 0 on success, -1 on out of memory. */
int
strbuf_add(struct strbuf *b, const char *s, size_t len);
int
strbuf_addc(struct strbuf *b, char c);
void
strbuf_reset(struct strbuf *b);
void
strbuf_free(struct strbuf *b);

/* Decodes one UTF-8 code point at s (n bytes left): its length 1 to 4 and
 * *cp, or 0 for an invalid, overlong or truncated sequence. */
size_t
utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/* The ASCII byte a typographic mark at s (n bytes left) is read as when
 * phrases are matched, so that a pasted "doesn\u2019t" finds "doesn't":
 * curly and low quotes, primes and the acute accent typed for an
 * apostrophe become ' or ", dashes and the minus sign -, guillemets ",
 * no-break and typographic spaces ' '. Returns the mark's length in bytes
 * (2 or 3) and sets *ascii, or 0 when s starts no such mark. Inline: the
 * analyzer calls it on every non-ASCII byte it normalizes. */
static inline size_t
punct_fold(const unsigned char *s, size_t n, unsigned char *ascii)
{
	if (n >= 2 && s[0] == 0xc2) {
		/* U+00A0 no-break space, U+00AB/BB guillemets, U+00B4 acute */
		*ascii = s[1] == 0xa0 ? ' ' : s[1] == 0xab || s[1] == 0xbb ? '"' : s[1] == 0xb4 ? '\'' : 0;
		return *ascii ? 2 : 0;
	}
	if (n >= 2 && s[0] == 0xca && s[1] == 0xbc) { /* U+02BC modifier apostrophe */
		*ascii = '\'';
		return 2;
	}
	if (n < 3 || s[0] != 0xe2)
		return 0;
	if (s[1] == 0x80) {
		unsigned char c = s[2];

		if (c <= 0x8a || c == 0xaf) /* U+2000-200A, U+202F spaces */
			*ascii = ' ';
		else if (c >= 0x90 && c <= 0x95) /* U+2010-2015 hyphens, dashes */
			*ascii = '-';
		else if ((c >= 0x98 && c <= 0x9b) || c == 0xb2) /* U+2018-201B, prime */
			*ascii = '\'';
		else if ((c >= 0x9c && c <= 0x9f) || c == 0xb3) /* U+201C-201F, double prime */
			*ascii = '"';
		else
			return 0;
		return 3;
	}
	if (s[1] == 0x88 && s[2] == 0x92) { /* U+2212 minus sign */
		*ascii = '-';
		return 3;
	}
	return 0;
}

/* The lower case of a two-byte capital letter at s (n bytes left) outside
 * Latin-1, written to low[0..2): Latin Extended-A (U+0100..U+017F: Polish,
 * Czech, Hungarian, Turkish and Baltic letters, less U+0130 and U+013F,
 * whose lower cases are not one two-byte letter) and Cyrillic (U+0400..
 * U+042F). Returns 1, or 0 when s starts no such capital. The length stays
 * two bytes, so offsets into the text are unchanged. */
static inline int
letter_fold2(const unsigned char *s, size_t n, unsigned char *low)
{
	unsigned cp;
	int upper;

	if (n < 2 || s[1] < 0x80 || s[1] > 0xbf)
		return 0;
	if (s[0] == 0xd0) {
		if (s[1] >= 0xb0)
			return 0;
		/* U+0400-040F to U+0450-045F, U+0410-041F to U+0430-043F,
		 * U+0420-042F to U+0440-044F */
		if (s[1] <= 0x8f) {
			low[0] = 0xd1;
			low[1] = (unsigned char)(s[1] + 0x10);
		} else if (s[1] <= 0x9f) {
			low[0] = 0xd0;
			low[1] = (unsigned char)(s[1] + 0x20);
		} else {
			low[0] = 0xd1;
			low[1] = (unsigned char)(s[1] - 0x20);
		}
		return 1;
	}
	if (s[0] != 0xc4 && s[0] != 0xc5)
		return 0;
	cp = ((unsigned)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
	if (cp <= 0x137)
		upper = !(cp & 1) && cp != 0x130;
	else if (cp >= 0x139 && cp <= 0x148)
		upper = (cp & 1) && cp != 0x13f;
	else if (cp >= 0x14a && cp <= 0x177)
		upper = !(cp & 1);
	else
		upper = cp >= 0x179 && cp <= 0x17e && (cp & 1);
	if (!upper)
		return 0;
	cp++;
	low[0] = (unsigned char)(0xc0 | (cp >> 6));
	low[1] = (unsigned char)(0x80 | (cp & 0x3f));
	return 1;
}

/* A copy of s in which every byte that is not part of valid UTF-8 is
 * replaced by U+FFFD; malloc'd, NULL on out of memory. JSON must be UTF-8,
 * and a query typed or pasted by a person may not be. */
char *
utf8_fixed(const char *s);

/* [s, end) starts with the ASCII literal lit, ignoring case. The first
 * byte is compared inline: most calls on a log line are refused there, and
 * with a literal its folding is done at compile time. */
int
ieq_prefix_rest(const char *s, const char *end, const char *lit);

static inline int
ieq_prefix(const char *s, const char *end, const char *lit)
{
	unsigned char c, l = (unsigned char)lit[0];

	if (!l)
		return 1;
	if (s >= end)
		return 0;
	c = (unsigned char)*s;
	if (c >= 'A' && c <= 'Z')
		c = (unsigned char)(c + 32);
	if (l >= 'A' && l <= 'Z')
		l = (unsigned char)(l + 32);
	return c == l && ieq_prefix_rest(s + 1, end, lit + 1);
}

/* The first place in [s, end) where the ASCII literal lit starts, ignoring
 * case; NULL if none. */
const char *
find_ci(const char *s, const char *end, const char *lit);

/* [s, end) starts with a header name and its colon ("Subject:"). */
int
is_header_line(const char *s, const char *end);

/* Fills err with status and a formatted message; returns status. */
enum cat_status
cat_fail(struct cat_error *err, enum cat_status st, const char *fmt, ...) CAT_PRINTF_LIKE(3, 4);

#endif
