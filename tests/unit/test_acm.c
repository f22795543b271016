/*
 * test_acm.c -- the Aho-Corasick matcher of the analyzer (catalog/acm.c).
 *
 * Every scan is checked against a naive search: for each end offset, the
 * set of pattern ids that end there must be the same, and hits must come in
 * order of end offset. Patterns and texts are random (fixed seed) over a
 * small alphabet, so that patterns overlap, nest and share prefixes and
 * suffixes; bytes outside every pattern, NUL and 0xff included, occur in
 * the texts. One matcher has more than 65,535 states, which compiles to the
 * table of 32-bit entries instead of 16-bit ones. A scan stopped by its
 * callback stops at once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acm.h"
#include "check.h"

struct hit {
	int id;
	size_t end;
};

struct hits {
	struct hit *h;
	size_t n, cap;
	size_t stop_after; /* 0: never stop */
};

static int
on_hit(void *arg, int id, size_t end)
{
	struct hits *hs = arg;

	if (hs->n == hs->cap) {
		hs->cap = hs->cap ? hs->cap * 2 : 256;
		hs->h = realloc(hs->h, hs->cap * sizeof(*hs->h));
		if (!hs->h)
			abort();
	}
	hs->h[hs->n].id = id;
	hs->h[hs->n].end = end;
	hs->n++;
	return hs->stop_after && hs->n >= hs->stop_after;
}

static int
cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

struct pat {
	char s[64];
	size_t len;
};

/* Builds a matcher of n random patterns of length lo..hi over alphabet;
 * then scans texts and compares with the naive search. */
static void
run(const char *name, size_t n, size_t lo, size_t hi, const char *alphabet, int texts)
{
	struct acm *m = acm_new();
	struct pat *p = calloc(n, sizeof(*p));
	size_t na = strlen(alphabet), i, k;
	int t, bad = 0;

	CHECK_CASE("%s", name);
	if (!CHECK(m != NULL && p != NULL))
		goto out;
	for (i = 0; i < n; i++) {
		p[i].len = lo + (size_t)(check_rand() % (hi - lo + 1));
		for (k = 0; k < p[i].len; k++)
			p[i].s[k] = alphabet[check_rand() % na];
		if (!CHECK_INT_EQ(acm_add(m, p[i].s, p[i].len, (int)i), 0))
			goto out;
	}
	if (!CHECK_INT_EQ(acm_build(m), 0))
		goto out;
	CHECK_INT_EQ(acm_add(m, "x", 1, 0), -1); /* built: read-only */
	for (t = 0; t < texts && !bad; t++) {
		unsigned char text[600];
		size_t len = (size_t)(check_rand() % sizeof(text)), naive_n = 0, j;
		struct hits got = { 0 };
		struct hit *naive = NULL;
		size_t naive_cap = 0;

		for (j = 0; j < len; j++) {
			uint64_t r = check_rand() % 40;

			/* mostly the alphabet; sometimes a whole pattern; sometimes a
			 * byte no pattern has */
			if (r < 3 && j + hi < len) {
				const struct pat *q = &p[check_rand() % n];

				memcpy(text + j, q->s, q->len);
				j += q->len - 1;
			} else if (r == 3) {
				int pick = check_rand() % 3 == 0;

				text[j] = (unsigned char)(pick ? 0 : check_rand() % 3 == 0 ? 0xff : '~');
			} else {
				text[j] = (unsigned char)alphabet[check_rand() % na];
			}
		}
		acm_scan(m, text, len, on_hit, &got);
		for (j = 1; j < got.n; j++)
			if (got.h[j].end < got.h[j - 1].end)
				bad = 1;
		CHECK(!bad); /* hits in order of end offset */
		for (i = 0; i < n; i++)
			for (j = 0; j + p[i].len <= len; j++)
				if (memcmp(text + j, p[i].s, p[i].len) == 0) {
					if (naive_n == naive_cap) {
						naive_cap = naive_cap ? naive_cap * 2 : 256;
						naive = realloc(naive, naive_cap * sizeof(*naive));
						if (!naive)
							abort();
					}
					naive[naive_n].id = (int)i;
					naive[naive_n].end = j + p[i].len;
					naive_n++;
				}
		if (got.n)
			qsort(got.h, got.n, sizeof(*got.h), cmp_hit);
		if (naive_n)
			qsort(naive, naive_n, sizeof(*naive), cmp_hit);
		if (!CHECK_INT_EQ(got.n, naive_n))
			bad = 1;
		for (j = 0; !bad && j < naive_n; j++)
			if (!CHECK(got.h[j].id == naive[j].id && got.h[j].end == naive[j].end))
				bad = 1;
		/* a callback that asks to stop is the last one called */
		if (naive_n > 2) {
			struct hits one = { 0 };

			one.stop_after = 2;
			acm_scan(m, text, len, on_hit, &one);
			CHECK_INT_EQ(one.n, 2);
			free(one.h);
		}
		free(got.h);
		free(naive);
	}
out:
	acm_free(m);
	free(p);
}

int
main(void)
{
	struct acm *m = acm_new();
	struct hits hs = { 0 };

	CHECK_CASE("an empty matcher finds nothing; empty patterns are refused");
	if (CHECK(m != NULL)) {
		CHECK_INT_EQ(acm_add(m, "", 0, 1), -1);
		CHECK_INT_EQ(acm_build(m), 0);
		acm_scan(m, (const unsigned char *)"abc", 3, on_hit, &hs);
		CHECK_INT_EQ(hs.n, 0);
		acm_free(m);
	}
	acm_free(NULL);
	CHECK_CASE("the textbook example: he, she, his, hers");
	m = acm_new();
	if (CHECK(m != NULL)) {
		static const char *const w[] = { "he", "she", "his", "hers" };
		size_t i;

		for (i = 0; i < 4; i++)
			acm_add(m, w[i], strlen(w[i]), (int)i);
		CHECK_INT_EQ(acm_build(m), 0);
		acm_scan(m, (const unsigned char *)"ushers", 6, on_hit, &hs);
		if (CHECK_INT_EQ(hs.n, 3)) {
			qsort(hs.h, hs.n, sizeof(*hs.h), cmp_hit);
			CHECK_INT_EQ(hs.h[0].end, 4); /* he */
			CHECK_INT_EQ(hs.h[1].end, 4); /* she */
			CHECK_INT_EQ(hs.h[1].id + hs.h[0].id, 1);
			CHECK_INT_EQ(hs.h[2].id, 3); /* hers */
			CHECK_INT_EQ(hs.h[2].end, 6);
		}
		acm_free(m);
		free(hs.h);
	}
	run("short patterns over 3 letters (dense overlaps)", 60, 1, 6, "abc", 300);
	run("words over a text alphabet", 800, 2, 20, "etaoin shrdlu.5-", 200);
	run("the same pattern twice", 2, 3, 3, "a", 50);
	run("more than 65,535 states: 32-bit table", 2600, 30, 40,
	    "abcdefghijklmnopqrstuvwxyz0123456789 .", 40);
	return check_done();
}
