/* jsonw.h: a small JSON writer into a growable buffer.
 *
 * The analyzer writes a JSON line per diagnosis, a million times a second
 * on a big log: SQLite's JSON functions are too slow for that, so this is
 * the one JSON writer of the project outside SQLite (tested in
 * tests/unit/test_jsonw.c). Strings are written as valid UTF-8 JSON
 * whatever the input: invalid bytes become U+FFFD, and every control
 * character (C0, DEL, C1) and every character that changes how a terminal
 * shows text (bidi controls, zero-width characters, line separators) is
 * written as a \u escape, so JSON printed on a terminal is inert.
 */
#ifndef BOUNCE_CATALOG_JSONW_H
#define BOUNCE_CATALOG_JSONW_H

#include <stddef.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

struct jsonw {
	char *buf;  /* caller-owned, malloc'd, grown with realloc */
	size_t len;
	size_t cap;
	int need_comma;
	int oom;    /* set when memory ran out; later calls do nothing */
};

/* A copy of the JSON text json[0..n) (SQLite's) under the policy of the
 * strings written here: invalid UTF-8 as U+FFFD, DEL, C1 and the invisible
 * code points as \u escapes. Owned (free()); NULL when out of memory. */
char *jw_clean(const char *json, size_t n);

/* "key": ... the value follows with one of the calls below */
void jw_key(struct jsonw *w, const char *key);
/* a string of len bytes, or null when s is NULL */
void jw_strn(struct jsonw *w, const char *s, size_t len);
void jw_str(struct jsonw *w, const char *s);
void jw_int(struct jsonw *w, long long v);
/* "key": for a key given as a string literal, measured at compile time */
#define JW_KEY(w, lit) jw_keyn((w), ",\"" lit "\":", sizeof(",\"" lit "\":") - 1)
/* "key":v, an integer member, written in one piece */
#define JW_KEY_INT(w, lit, v) jw_keyn_int((w), ",\"" lit "\":", sizeof(",\"" lit "\":") - 1, (v))
/* "key":"s", a string member of n bytes (null when s is NULL) */
#define JW_KEY_STRN(w, lit, s, n) \
	jw_keyn_strn((w), ",\"" lit "\":", sizeof(",\"" lit "\":") - 1, (s), (n))
#define JW_KEY_STR(w, lit, s) jw_keyn_str((w), ",\"" lit "\":", sizeof(",\"" lit "\":") - 1, (s))

/* ---- the small pieces, inline: they run some thirty times per line of a
 * log, and inlined, keys of known length are copied without a call */

void jw__grow_put(struct jsonw *w, const char *s, size_t n);
extern const unsigned char jw__plain[256]; /* bytes written as they are */
extern const char jw__pairs[201];          /* "00".."99" */

#ifdef __SSE2__
/* The bytes of x that are not plain (jw__plain): below 0x20, from 0x7f (a
 * signed compare puts the bytes from 0x80 below 0x20), '"' and '\\'. */
static inline int
jw__sse_plain(__m128i x)
{
	__m128i ok = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(0x1f)),
				   _mm_cmplt_epi8(x, _mm_set1_epi8(0x7f)));
	__m128i bad = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
				   _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));

	return _mm_movemask_epi8(_mm_andnot_si128(bad, ok)) == 0xffff;
}
#endif

/* Whether every byte of s[0..n) is plain: the test runs on every string
 * of every line (recipient, host, evidence texts), so on x86-64 it looks
 * at 16 bytes at a time, the last 16 (or two overlapping 8) overlapping
 * what was looked at already rather than reading past the end. */
static inline int
jw__all_plain(const unsigned char *s, size_t n)
{
	size_t i = 0;

#ifdef __SSE2__
	if (n >= 16) {
		for (; i + 16 <= n; i += 16)
			if (!jw__sse_plain(_mm_loadu_si128((const __m128i *)(const void *)(s + i))))
				return 0;
		return i == n ||
		       jw__sse_plain(_mm_loadu_si128((const __m128i *)(const void *)(s + n - 16)));
	}
	if (n >= 8)
		return jw__sse_plain(_mm_unpacklo_epi64(
			_mm_loadl_epi64((const __m128i *)(const void *)s),
			_mm_loadl_epi64((const __m128i *)(const void *)(s + n - 8))));
#endif
	while (i < n && jw__plain[s[i]])
		i++;
	return i == n;
}

#ifdef __SSE2__
/* The plain bytes of x as a mask of sixteen bits: one add and one signed
 * compare for 0x20..0x7e (moved to the bottom of the signed bytes), then
 * '"' and '\\'. */
static inline int
jw__sse_plain_mask(__m128i x)
{
	__m128i ok = _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(0x60)), _mm_set1_epi8(-33));
	__m128i bad = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
				   _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));

	return _mm_movemask_epi8(_mm_andnot_si128(bad, ok));
}
#endif

/* How many bytes s[0..n) starts with that are plain: n when all are. One
 * walk over a whole log line tells that no span of it needs an escape,
 * and that it holds no CR nor LF (both are below 0x20): 64 bytes a test
 * on x86-64, the tail as the 16 bytes ending at n (those already seen are
 * plain, so they add no bit). */
static inline size_t
jw__plain_len(const unsigned char *s, size_t n)
{
	size_t i = 0;

#ifdef __SSE2__
	for (; i + 64 <= n; i += 64) {
		const __m128i *p = (const __m128i *)(const void *)(s + i);
		__m128i a = _mm_loadu_si128(p), b = _mm_loadu_si128(p + 1),
			c = _mm_loadu_si128(p + 2), d = _mm_loadu_si128(p + 3);
		__m128i k = _mm_set1_epi8(0x60), lim = _mm_set1_epi8(-33);
		__m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
		__m128i ok = _mm_and_si128(
			_mm_and_si128(_mm_cmplt_epi8(_mm_add_epi8(a, k), lim),
				      _mm_cmplt_epi8(_mm_add_epi8(b, k), lim)),
			_mm_and_si128(_mm_cmplt_epi8(_mm_add_epi8(c, k), lim),
				      _mm_cmplt_epi8(_mm_add_epi8(d, k), lim)));
		__m128i bad = _mm_or_si128(
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, q), _mm_cmpeq_epi8(a, bs)),
				     _mm_or_si128(_mm_cmpeq_epi8(b, q), _mm_cmpeq_epi8(b, bs))),
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(c, q), _mm_cmpeq_epi8(c, bs)),
				     _mm_or_si128(_mm_cmpeq_epi8(d, q), _mm_cmpeq_epi8(d, bs))));

		if (_mm_movemask_epi8(_mm_andnot_si128(bad, ok)) != 0xffff)
			break; /* one of the four: found below */
	}
	for (; i + 16 <= n; i += 16) {
		int m = jw__sse_plain_mask(_mm_loadu_si128((const __m128i *)(const void *)(s + i)));

		if (m != 0xffff)
			return i + (size_t)__builtin_ctz(~(unsigned)m);
	}
	if (i < n && n >= 16) {
		int m = jw__sse_plain_mask(_mm_loadu_si128((const __m128i *)(const void *)(s + n - 16)));

		return m == 0xffff ? n : n - 16 + (size_t)__builtin_ctz(~(unsigned)m);
	}
#endif
	while (i < n && jw__plain[s[i]])
		i++;
	return i;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define JW_HAVE_AVX2 1
/* The plain bytes of x as a mask of 32 bits (see jw__sse_plain_mask()). */
__attribute__((target("avx2"))) static inline unsigned
jw__avx2_plain_mask(__m256i x)
{
	__m256i ok = _mm256_cmpgt_epi8(_mm256_set1_epi8(-33), _mm256_add_epi8(x, _mm256_set1_epi8(0x60)));
	__m256i bad = _mm256_or_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('"')),
				      _mm256_cmpeq_epi8(x, _mm256_set1_epi8('\\')));

	return (unsigned)_mm256_movemask_epi8(_mm256_andnot_si256(bad, ok));
}

/* jw__plain_len() 32 bytes at a time, for a processor with AVX2 (the
 * caller asks __builtin_cpu_supports()): half the work on a log line. */
__attribute__((target("avx2"))) static inline size_t
jw__plain_len_avx2(const unsigned char *s, size_t n)
{
	size_t i = 0;

	for (; i + 64 <= n; i += 64) {
		__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
		__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + 32));
		__m256i k = _mm256_set1_epi8(0x60), lim = _mm256_set1_epi8(-33);
		__m256i q = _mm256_set1_epi8('"'), bs = _mm256_set1_epi8('\\');
		__m256i ok = _mm256_and_si256(_mm256_cmpgt_epi8(lim, _mm256_add_epi8(a, k)),
					      _mm256_cmpgt_epi8(lim, _mm256_add_epi8(b, k)));
		__m256i bad = _mm256_or_si256(
			_mm256_or_si256(_mm256_cmpeq_epi8(a, q), _mm256_cmpeq_epi8(a, bs)),
			_mm256_or_si256(_mm256_cmpeq_epi8(b, q), _mm256_cmpeq_epi8(b, bs)));

		if ((unsigned)_mm256_movemask_epi8(_mm256_andnot_si256(bad, ok)) != 0xffffffffu)
			break; /* one of the two: found below */
	}
	for (; i + 32 <= n; i += 32) {
		unsigned m = jw__avx2_plain_mask(
			_mm256_loadu_si256((const __m256i *)(const void *)(s + i)));

		if (m != 0xffffffffu)
			return i + (size_t)__builtin_ctz(~m);
	}
	if (i < n && n >= 32) {
		unsigned m = jw__avx2_plain_mask(
			_mm256_loadu_si256((const __m256i *)(const void *)(s + n - 32)));

		return m == 0xffffffffu ? n : n - 32 + (size_t)__builtin_ctz(~m);
	}
	return i + jw__plain_len(s + i, n - i);
}
#endif

/* Appends n bytes; the buffer is grown rarely, so the common case is one
 * comparison and a copy. */
static inline void
jw__put(struct jsonw *w, const char *s, size_t n)
{
	if (w->len + n + 1 <= w->cap && !w->oom) {
		memcpy(w->buf + w->len, s, n);
		w->len += n;
		w->buf[w->len] = '\0';
		return;
	}
	jw__grow_put(w, s, n);
}

/* A comma before a value or key that is not the first of its container. */
static inline void
jw__sep(struct jsonw *w)
{
	if (w->need_comma)
		jw__put(w, ",", 1);
	w->need_comma = 1;
}

/* Writes the digits of u (of v, with its sign) to end at `end`, two at a
 * time; returns where they start. */
static inline char *
jw__udigits(char *end, unsigned long long u)
{
	char *p = end;

	while (u >= 100) {
		unsigned d = (unsigned)(u % 100) * 2;

		u /= 100;
		*--p = jw__pairs[d + 1];
		*--p = jw__pairs[d];
	}
	if (u >= 10) {
		*--p = jw__pairs[u * 2 + 1];
		*--p = jw__pairs[u * 2];
	} else {
		*--p = (char)('0' + u);
	}
	return p;
}

static inline char *
jw__digits(char *end, long long v)
{
	char *p = jw__udigits(end, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v);

	if (v < 0)
		*--p = '-';
	return p;
}

static inline void /* { */
jw_obj(struct jsonw *w)
{
	jw__sep(w);
	jw__put(w, "{", 1);
	w->need_comma = 0;
}

static inline void /* } */
jw_end_obj(struct jsonw *w)
{
	jw__put(w, "}", 1);
	w->need_comma = 1;
}

static inline void /* [ */
jw_arr(struct jsonw *w)
{
	jw__sep(w);
	jw__put(w, "[", 1);
	w->need_comma = 0;
}

static inline void /* ] */
jw_end_arr(struct jsonw *w)
{
	jw__put(w, "]", 1);
	w->need_comma = 1;
}

static inline void
jw_bool(struct jsonw *w, int v)
{
	jw__sep(w);
	jw__put(w, v ? "true" : "false", v ? 4 : 5);
}

static inline void
jw_null(struct jsonw *w)
{
	jw__sep(w);
	jw__put(w, "null", 4);
}

/* quoted is ,"key": -- the comma is written only when one is needed */
/* the pieces that take a key are always inlined: the key's length is then
 * known where they are used, and its copy is a few moves, not a call */
#define JW__INLINE static inline __attribute__((always_inline))

JW__INLINE void
jw_keyn(struct jsonw *w, const char *quoted, size_t len)
{
	if (w->need_comma)
		jw__put(w, quoted, len);
	else
		jw__put(w, quoted + 1, len - 1);
	w->need_comma = 0;
}

/* "key":v: the key, then the digits right after it, in one piece */
JW__INLINE void
jw_keyn_int(struct jsonw *w, const char *quoted, size_t len, long long v)
{
	char *d;
	size_t nd;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, t;

	if (w->len + len + 22 > w->cap || w->oom) {
		jw_keyn(w, quoted, len);
		jw_int(w, v);
		return;
	}
	/* straight into the buffer: the key (its length is known where this
	 * is inlined, so the copy is a few moves), then the digits */
	d = w->buf + w->len;
	memcpy(d, quoted, len);
	if (!w->need_comma) {
		memmove(d, d + 1, len - 1);
		len--;
	}
	d += len;
	if (v < 0)
		*d++ = '-';
	/* the numbers of a line are small (offsets, line numbers): compares,
	 * not a division per digit */
	if (u < 1000) {
		nd = u < 10 ? 1 : u < 100 ? 2 : 3;
	} else {
		for (nd = 4, t = 10000; nd < 19 && u >= t; t *= 10)
			nd++;
		if (nd == 19 && u >= t)
			nd = 20;
	}
	jw__udigits(d + nd, u);
	w->len += len + (v < 0) + nd;
	w->buf[w->len] = '\0';
	w->need_comma = 1;
}

/* "key":"s": a plain string (the common case) is written with its key in
 * one piece; any other goes through jw_strn() */
JW__INLINE void
jw_keyn_strn(struct jsonw *w, const char *quoted, size_t len, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	char *d;

	if (!str || w->len + len + n + 3 > w->cap || w->oom || !jw__all_plain(s, n)) {
		jw_keyn(w, quoted, len);
		jw_strn(w, str, n);
		return;
	}
	d = w->buf + w->len;
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

JW__INLINE void
jw_keyn_str(struct jsonw *w, const char *quoted, size_t len, const char *s)
{
	jw_keyn_strn(w, quoted, len, s, s ? strlen(s) : 0);
}

/* opens an object whose first members are already in JSON form
 * ("{\"k\":v"); more members and jw_end_obj() follow */
static inline void
jw_obj_open(struct jsonw *w, const char *json, size_t len)
{
	jw__sep(w);
	if (len >= 16 && len <= 32 && w->len + 33 <= w->cap && !w->oom) {
		/* most openings ({"rule":"reply:550") fit two 16-byte moves */
		char *d = w->buf + w->len;

		memcpy(d, json, 16);
		memcpy(d + len - 16, json + len - 16, 16);
		w->len += len;
		w->buf[w->len] = '\0';
	} else {
		jw__put(w, json, len);
	}
	w->need_comma = 1;
}

/* members already in JSON form, each led by its comma (",\"k\":v,\"l\":w"),
 * as a writer makes them after a first member; inside an object that has
 * one */
static inline void
jw_members(struct jsonw *w, const char *json, size_t len)
{
	jw__put(w, json, len);
	w->need_comma = 1;
}

/* a value already in JSON form (from a JSON writer) */
static inline void
jw_raw(struct jsonw *w, const char *json, size_t len)
{
	jw__sep(w);
	jw__put(w, json, len);
}

#endif
