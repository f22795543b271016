/* bytescan.h: finding the first byte of a small set in a log line, sixteen bytes at a time. */
#ifndef BOUNCE_CATALOG_BYTESCAN_H
#define BOUNCE_CATALOG_BYTESCAN_H

#include <stddef.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/*
 * The readers of log lines walk fields to the byte that ends them (an
 * address to '>' or ',', a relay's name to '['): byte loops of a table
 * lookup and a branch per byte, on every line of a log. On x86-64 these
 * look at sixteen bytes at a time: each set is a few compares whose mask
 * gives the first match. Loads never pass `end` (the line may end a page):
 * the last piece is the sixteen bytes that end at `end`, its bits of bytes
 * looked at already shifted away, and a line shorter than sixteen bytes
 * is walked a byte at a time. Every function has the byte loop it stands
 * for beside it, used where SSE2 is not there; tests/unit/test_bytescan.c
 * holds the two to the same answers.
 */

#define BS__INLINE static inline __attribute__((always_inline))

/* The sets: a byte test each (the reference, and the loop without SSE2),
 * and under SSE2 its mask of sixteen bytes, bs__mask_<set>(). */

/* what ends an address ("<a@b>, ...") */
BS__INLINE int
bs_addr_stop(unsigned char c)
{
	return c == '>' || c == ',' || c == ' ' || c == '\n' || c == '\r' || c == ';' || c == '"' ||
	       c == ')' || c == '\t';
}

/* what ends a relay's name ("relay=mx.b[1.2.3.4]:25, ...") */
BS__INLINE int
bs_relay_stop(unsigned char c)
{
	return c == '[' || c == ',' || c == ' ';
}

/* what ends a program's name in a syslog head ("postfix/smtp[123]: ") */
BS__INLINE int
bs_prog_stop(unsigned char c)
{
	return c == '[' || c == ':' || c == ' ';
}

#ifdef __SSE2__
#define BS__EQ(x, c) _mm_cmpeq_epi8((x), _mm_set1_epi8(c))

BS__INLINE unsigned
bs__mask_addr_stop(__m128i x)
{
	__m128i m = _mm_or_si128(_mm_or_si128(BS__EQ(x, '>'), BS__EQ(x, ',')),
				 _mm_or_si128(BS__EQ(x, ' '), BS__EQ(x, ';')));

	m = _mm_or_si128(m, _mm_or_si128(BS__EQ(x, '"'), BS__EQ(x, ')')));
	/* '\t' '\n' '\r': 9, 10 and 13 */
	m = _mm_or_si128(m, _mm_or_si128(_mm_or_si128(BS__EQ(x, '\t'), BS__EQ(x, '\n')),
					 BS__EQ(x, '\r')));
	return (unsigned)_mm_movemask_epi8(m);
}

BS__INLINE unsigned
bs__mask_relay_stop(__m128i x)
{
	return (unsigned)_mm_movemask_epi8(
		_mm_or_si128(_mm_or_si128(BS__EQ(x, '['), BS__EQ(x, ',')), BS__EQ(x, ' ')));
}

BS__INLINE unsigned
bs__mask_prog_stop(__m128i x)
{
	return (unsigned)_mm_movemask_epi8(
		_mm_or_si128(_mm_or_si128(BS__EQ(x, '['), BS__EQ(x, ':')), BS__EQ(x, ' ')));
}

BS__INLINE unsigned
bs__mask_eq(__m128i x)
{
	return (unsigned)_mm_movemask_epi8(BS__EQ(x, '='));
}

/* The first p in [p, end) whose byte's bit is set in mask(16 bytes), else
 * end. */
#define BS__SCAN(p, end, mask, test)                                                       \
	do {                                                                               \
		if ((end) - (p) >= 16) {                                                   \
			unsigned bs_m_;                                                    \
			for (; (end) - (p) >= 16; (p) += 16) {                             \
				bs_m_ = mask(_mm_loadu_si128((const __m128i *)(const void *)(p))); \
				if (bs_m_)                                                 \
					return (p) + __builtin_ctz(bs_m_);                 \
			}                                                                  \
			if ((p) == (end))                                                  \
				return (end);                                              \
			/* the sixteen bytes that end at end, without those seen */       \
			bs_m_ = mask(_mm_loadu_si128((const __m128i *)(const void *)((end) - 16))) >> \
				(16 - ((end) - (p)));                                      \
			return bs_m_ ? (p) + __builtin_ctz(bs_m_) : (end);                 \
		}                                                                          \
		while ((p) < (end) && !test((unsigned char)*(p)))                          \
			(p)++;                                                             \
		return (p);                                                                \
	} while (0)
#else
#define BS__SCAN(p, end, mask, test)                                                       \
	do {                                                                               \
		while ((p) < (end) && !test((unsigned char)*(p)))                          \
			(p)++;                                                             \
		return (p);                                                                \
	} while (0)
#endif

/* The first byte of [p, end) that ends an address, else end. */
BS__INLINE const char *
bs_find_addr_stop(const char *p, const char *end)
{
	BS__SCAN(p, end, bs__mask_addr_stop, bs_addr_stop);
}

/* The first byte of [p, end) that ends a relay's name, else end. */
BS__INLINE const char *
bs_find_relay_stop(const char *p, const char *end)
{
	BS__SCAN(p, end, bs__mask_relay_stop, bs_relay_stop);
}

/* The first byte of [p, end) that ends a program's name, else end. */
BS__INLINE const char *
bs_find_prog_stop(const char *p, const char *end)
{
	BS__SCAN(p, end, bs__mask_prog_stop, bs_prog_stop);
}

BS__INLINE int
bs_eq(unsigned char c)
{
	return c == '=';
}

/* The first '=' of [p, end), else end: memchr() without its call, for the
 * few signs of a line, each a field or two apart. */
BS__INLINE const char *
bs_find_eq(const char *p, const char *end)
{
	BS__SCAN(p, end, bs__mask_eq, bs_eq);
}

BS__INLINE int
bs_at(unsigned char c)
{
	return c == '@';
}

#ifdef __SSE2__
BS__INLINE unsigned
bs__mask_at(__m128i x)
{
	return (unsigned)_mm_movemask_epi8(BS__EQ(x, '@'));
}
#endif

/* The first '@' of [p, end), else end: a recipient's domain, mostly in
 * its first sixteen bytes. */
BS__INLINE const char *
bs_find_at(const char *p, const char *end)
{
	BS__SCAN(p, end, bs__mask_at, bs_at);
}

BS__INLINE int
bs_space(unsigned char c)
{
	return c == ' ';
}

BS__INLINE int
bs_rbracket(unsigned char c)
{
	return c == ']';
}

#ifdef __SSE2__
BS__INLINE unsigned
bs__mask_space(__m128i x)
{
	return (unsigned)_mm_movemask_epi8(BS__EQ(x, ' '));
}

BS__INLINE unsigned
bs__mask_rbracket(__m128i x)
{
	return (unsigned)_mm_movemask_epi8(BS__EQ(x, ']'));
}
#endif

/* The first ' ' of [p, end), else end: the end of a syslog head's host,
 * a few bytes on. */
BS__INLINE const char *
bs_find_space(const char *p, const char *end)
{
	BS__SCAN(p, end, bs__mask_space, bs_space);
}

/* The first ']' of [p, end), else end: the end of a process id. */
BS__INLINE const char *
bs_find_rbracket(const char *p, const char *end)
{
	BS__SCAN(p, end, bs__mask_rbracket, bs_rbracket);
}

/* bs_find_addr_stop(), and whether an '@' comes before that stop (*has_at
 * set, else left): an address is one only with its '@'. */
BS__INLINE const char *
bs_find_addr_end(const char *p, const char *end, int *has_at)
{
#ifdef __SSE2__
	if (end - p >= 16) {
		__m128i x;
		unsigned m, a;

		for (; end - p >= 16; p += 16) {
			x = _mm_loadu_si128((const __m128i *)(const void *)p);
			m = bs__mask_addr_stop(x);
			a = (unsigned)_mm_movemask_epi8(BS__EQ(x, '@'));
			if (m) {
				if (a & ((1u << __builtin_ctz(m)) - 1))
					*has_at = 1;
				return p + __builtin_ctz(m);
			}
			if (a)
				*has_at = 1;
		}
		if (p == end)
			return end;
		/* the sixteen bytes that end at end, without those seen */
		x = _mm_loadu_si128((const __m128i *)(const void *)(end - 16));
		m = bs__mask_addr_stop(x) >> (16 - (end - p));
		a = (unsigned)_mm_movemask_epi8(BS__EQ(x, '@')) >> (16 - (end - p));
		if (m) {
			if (a & ((1u << __builtin_ctz(m)) - 1))
				*has_at = 1;
			return p + __builtin_ctz(m);
		}
		if (a)
			*has_at = 1;
		return end;
	}
#endif
	for (; p < end && !bs_addr_stop((unsigned char)*p); p++)
		if (*p == '@')
			*has_at = 1;
	return p;
}

/* The end of the run of ASCII letters and digits that starts at p, at most
 * lim; *upper_or_digit is set when the run holds a capital or a digit (a
 * queue id, not a word). */
BS__INLINE const char *
bs_alnum_run(const char *p, const char *lim, int *upper_or_digit)
{
#ifdef __SSE2__
	while (lim - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* signed compares: the bytes from 0x80 are below every range */
		__m128i dig = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
					    _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
		__m128i up = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)),
					   _mm_cmplt_epi8(x, _mm_set1_epi8('Z' + 1)));
		__m128i low = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('a' - 1)),
					    _mm_cmplt_epi8(x, _mm_set1_epi8('z' + 1)));
		unsigned ud = (unsigned)_mm_movemask_epi8(_mm_or_si128(dig, up));
		unsigned run = ~((unsigned)_mm_movemask_epi8(low) | ud) & 0xffff;

		if (run) { /* ends in these sixteen */
			unsigned in = (1u << __builtin_ctz(run)) - 1;

			if (ud & in)
				*upper_or_digit = 1;
			return p + __builtin_ctz(run);
		}
		if (ud)
			*upper_or_digit = 1;
		p += 16;
	}
#endif
	for (; p < lim; p++) {
		unsigned c = (unsigned char)*p;

		/* unsigned differences: one compare per range */
		if (c - '0' < 10u || c - 'A' < 26u)
			*upper_or_digit = 1;
		else if (c - 'a' >= 26u)
			break;
	}
	return p;
}

#ifdef __SSE2__
/* x with 'A'..'Z' made 'a'..'z' */
BS__INLINE __m128i
bs__fold(__m128i x)
{
	__m128i up = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)),
				   _mm_cmplt_epi8(x, _mm_set1_epi8('Z' + 1)));

	return _mm_add_epi8(x, _mm_and_si128(up, _mm_set1_epi8(32)));
}
#endif

/* dst[0..n) = src[0..n) with ASCII capitals folded to lower case (DNS
 * names fold ASCII only). Returns 0, with dst not all written, when a byte
 * from 0x80 is there: the caller folds those its own way. */
BS__INLINE int
bs_fold_ascii(char *dst, const char *src, size_t n)
{
	size_t i = 0;

#ifdef __SSE2__
	if (n >= 16) {
		__m128i x;

		for (; i + 16 <= n; i += 16) {
			x = _mm_loadu_si128((const __m128i *)(const void *)(src + i));
			if (_mm_movemask_epi8(x))
				return 0;
			_mm_storeu_si128((__m128i *)(void *)(dst + i), bs__fold(x));
		}
		if (i < n) {
			x = _mm_loadu_si128((const __m128i *)(const void *)(src + n - 16));
			if (_mm_movemask_epi8(x))
				return 0;
			_mm_storeu_si128((__m128i *)(void *)(dst + n - 16), bs__fold(x));
		}
		return 1;
	}
	if (n >= 8) {
		/* two eight-byte halves that overlap */
		__m128i x = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(const void *)src),
					       _mm_loadl_epi64((const __m128i *)(const void *)(src + n - 8)));

		if (_mm_movemask_epi8(x))
			return 0;
		x = bs__fold(x);
		_mm_storel_epi64((__m128i *)(void *)dst, x);
		_mm_storel_epi64((__m128i *)(void *)(dst + n - 8), _mm_unpackhi_epi64(x, x));
		return 1;
	}
#endif
	for (; i < n; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c >= 0x80)
			return 0;
		dst[i] = (char)((unsigned)(c - 'A') < 26u ? c + 32 : c);
	}
	return 1;
}

/* memset(p, 0, n) as sixteen-byte stores, for a struct cleared once a log
 * line: a memset() of a constant few hundred bytes compiles to `rep stos`,
 * whose start-up costs more than the stores. */
BS__INLINE void
bs_clear(void *p, size_t n)
{
#if defined(__SSE2__) && defined(__GNUC__)
	char *c = p;
	size_t i;

#pragma GCC unroll 32
	for (i = 0; i + 16 <= n; i += 16)
		_mm_storeu_si128((__m128i *)(void *)(c + i), _mm_setzero_si128());
	if (i < n)
		memset(c + i, 0, n - i);
#else
	memset(p, 0, n);
#endif
}

#endif
