/* engine.c: in-process benchmark of the catalog engine (linked with libcatalog.a).
 *
 *	engine LOADS QREPS                  the built-in catalog: cat_open + cat_ready
 *	engine LOADS QREPS FILE             FILE alone: cat_open_empty + cat_load_file
 *	                                    + cat_ready
 *	engine ... -- QUERY...              the searches to time (default: a fixed list)
 *
 * Loads the catalog LOADS times (each load is timed from the open call to the
 * end of cat_ready, then closed untimed), keeps the last one open and times
 * cat_search() of every query QREPS times after one untimed warm-up call.
 * Prints tab-separated records for bench/run.sh (times in milliseconds):
 *	load	MEDIAN	MIN	MAX	N
 *	phase	NAME	MEDIAN	MIN	MAX	N     (open, file, ready)
 *	hwm_kb	KB                            (VmHWM of this process after the loads)
 *	query	MEDIAN	MIN	MAX	N	HITS	QUERY
 * Exit status 0, or 1 if any engine call failed (the message is on stderr).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "bounce/catalog.h"

static const char *const default_queries[] = { "mailbox full", "m", "spam", "dmarc reject",
					       "5.7.26", NULL };

/* Sorts v and prints "MEDIAN MIN MAX N" (tab-separated, no newline). */
static void
put_stats(double *v, size_t n)
{
	double med;

	qsort(v, n, sizeof(*v), cmp_double);
	med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	printf("%.4f\t%.4f\t%.4f\t%zu", med, v[0], v[n - 1], n);
}

static long
vm_hwm_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0) {
			kb = strtol(line + 6, NULL, 10);
			break;
		}
	fclose(f);
	return kb;
}

static int
fail(const char *what, const struct cat_error *err)
{
	fprintf(stderr, "engine: %s: %s\n", what, err->msg);
	return 1;
}

int
main(int argc, char **argv)
{
	const char *const *queries = default_queries;
	const char *file = NULL;
	struct catalog *cat = NULL;
	struct cat_error err;
	double *t_load, *t_open, *t_file, *t_ready, *t_q;
	long loads, reps;
	int i, a;

	if (argc < 3) {
		fprintf(stderr, "usage: engine LOADS QREPS [FILE] [-- QUERY...]\n");
		return 2;
	}
	loads = strtol(argv[1], NULL, 10);
	reps = strtol(argv[2], NULL, 10);
	a = 3;
	if (a < argc && strcmp(argv[a], "--") != 0)
		file = argv[a++];
	if (a < argc && strcmp(argv[a], "--") == 0 && a + 1 < argc)
		queries = (const char *const *)argv + a + 1;
	if (loads < 1 || reps < 1) {
		fprintf(stderr, "engine: LOADS and QREPS must be at least 1\n");
		return 2;
	}
	t_load = calloc((size_t)loads, sizeof(double));
	t_open = calloc((size_t)loads, sizeof(double));
	t_file = calloc((size_t)loads, sizeof(double));
	t_ready = calloc((size_t)loads, sizeof(double));
	t_q = calloc((size_t)reps, sizeof(double));
	if (!t_load || !t_open || !t_file || !t_ready || !t_q)
		return 2;

	for (i = 0; i < loads; i++) {
		double t0, t1, t2, t3;
		enum cat_status st;

		cat_close(cat);
		cat = NULL;
		t0 = now_ms();
		st = file ? cat_open_empty(&cat, &err) : cat_open(&cat, &err);
		if (st != CAT_OK)
			return fail("open", &err);
		t1 = now_ms();
		if (file && cat_load_file(cat, file, &err) != CAT_OK)
			return fail("load", &err);
		t2 = now_ms();
		if (cat_ready(cat, &err) != CAT_OK)
			return fail("ready", &err);
		t3 = now_ms();
		t_load[i] = t3 - t0;
		t_open[i] = t1 - t0;
		t_file[i] = t2 - t1;
		t_ready[i] = t3 - t2;
	}
	printf("load\t");
	put_stats(t_load, (size_t)loads);
	printf("\nphase\topen\t");
	put_stats(t_open, (size_t)loads);
	if (file) {
		printf("\nphase\tfile\t");
		put_stats(t_file, (size_t)loads);
	}
	printf("\nphase\tready\t");
	put_stats(t_ready, (size_t)loads);
	printf("\nhwm_kb\t%ld\n", vm_hwm_kb());
	fflush(stdout);

	for (; *queries; queries++) {
		struct cat_result *res = NULL;
		enum cat_status st;
		size_t hits;
		long r;

		st = cat_search(cat, *queries, 0, &res, &err);
		if (st != CAT_OK && st != CAT_NOTFOUND)
			return fail(*queries, &err);
		hits = res ? res->n + res->truncated : 0;
		cat_result_free(res);
		for (r = 0; r < reps; r++) {
			double t0 = now_ms();

			st = cat_search(cat, *queries, 0, &res, &err);
			t_q[r] = now_ms() - t0;
			cat_result_free(res);
			if (st != CAT_OK && st != CAT_NOTFOUND)
				return fail(*queries, &err);
		}
		printf("query\t");
		put_stats(t_q, (size_t)reps);
		printf("\t%zu\t%s\n", hits, *queries);
		fflush(stdout);
	}
	cat_close(cat);
	free(t_load);
	free(t_open);
	free(t_file);
	free(t_ready);
	free(t_q);
	return 0;
}
