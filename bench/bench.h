/* bench.h: the small pieces the benchmark programs share. Header-only:
 * each program in bench/ is built on its own by bench/run.sh. */
#ifndef BOUNCE_BENCH_H
#define BOUNCE_BENCH_H

#include <stdint.h>
#include <time.h>

/* Monotonic wall time in milliseconds. */
static inline double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* qsort() order of doubles, for medians. */
static inline int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* xorshift64*: each generator keeps its own state, seeded with a fixed
 * value, so that the same arguments always give the same bytes. */
static inline uint64_t
xorshift64s(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

#endif
