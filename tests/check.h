/*
 * check.h -- a tiny unit-test helper for tests/unit/test_*.c.
 *
 *	#include "check.h"
 *
 *	int
 *	main(void)
 *	{
 *		static const struct { const char *in, *want; } cases[] = {
 *			{ NULL, NULL },		(NULL and empty cases first)
 *			{ "", "" },
 *			{ " 5.1.1 ", "5.1.1" },
 *		};
 *		size_t i;
 *
 *		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
 *			CHECK_CASE("cases[%zu] \"%s\"", i, cases[i].in ? cases[i].in : "(null)");
 *			CHECK_STR_EQ(trim(cases[i].in), cases[i].want);
 *		}
 *		return check_done();
 *	}
 *
 * A failed check prints "file:line: FAIL ..." (plus the current CHECK_CASE label)
 * to stderr and is counted; the test goes on.  Every macro evaluates to 1 when
 * the check passed and 0 when it failed, so "if (!CHECK(p != NULL)) continue;"
 * guards a table row.
 *
 * What is counted is CASES, not checks: CHECK_CASE() opens a case that holds
 * every check up to the next CHECK_CASE() (or check_done()); it fails if any
 * of its checks failed, and then "FAIL: label" is printed.  A check made while
 * no case is open (before the first CHECK_CASE, or after CHECK_CASE("%s", ""))
 * is a case of its own.  A case in which no check ran is not counted.
 *
 * check_done() prints "N passed, M failed" (cases) as the last line on
 * stdout, which tests/run.sh adds to its totals, and returns the exit status
 * for main: 0 if every check passed, 1 otherwise, and 1 when no check ran at
 * all (a test that tests nothing is a broken test).
 */
#ifndef BOUNCE_TESTS_CHECK_H
#define BOUNCE_TESTS_CHECK_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct check_state {
	unsigned long checks;
	unsigned long failures;
	unsigned long cases;		/* cases closed */
	unsigned long failed_cases;
	unsigned long case_checks;	/* checks, failures of the open case */
	unsigned long case_failures;
	char label[256];		/* the open case; "" when none is open */
};

static inline struct check_state *
check_state_(void)
{
	static struct check_state state;

	return &state;
}

/* Counts the open case, if it holds a check, and closes it. */
static inline void
check_case_close_(void)
{
	struct check_state *st = check_state_();

	if (st->case_checks > 0) {
		st->cases++;
		if (st->case_failures > 0) {
			st->failed_cases++;
			fflush(stdout);
			fprintf(stderr, "FAIL: %s\n", st->label);
		}
	}
	st->case_checks = 0;
	st->case_failures = 0;
	st->label[0] = '\0';
}

/* Opens the case (table row) being checked; its label is printed with each
 * failure.  "" closes the open case without opening another. */
static inline void check_case(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline void
check_case(const char *fmt, ...)
{
	va_list ap;

	check_case_close_();
	va_start(ap, fmt);
	vsnprintf(check_state_()->label, sizeof(check_state_()->label), fmt, ap);
	va_end(ap);
}

#define CHECK_CASE(...) check_case(__VA_ARGS__)

/* Counts one check: in the open case, or as a case of its own. */
static inline void
check_count_(int ok)
{
	struct check_state *st = check_state_();

	st->checks++;
	if (!ok)
		st->failures++;
	if (st->label[0] != '\0') {
		st->case_checks++;
		if (!ok)
			st->case_failures++;
		return;
	}
	st->cases++;
	if (!ok)
		st->failed_cases++;
}

static inline void
check_fail_prefix_(const char *file, int line)
{
	struct check_state *st = check_state_();

	/* what the test printed on stdout so far comes first */
	fflush(stdout);
	fprintf(stderr, "%s:%d: FAIL", file, line);
	if (st->label[0] != '\0')
		fprintf(stderr, " [%s]", st->label);
	fputs(": ", stderr);
}

static inline int
check_true_(int ok, const char *expr, const char *file, int line)
{
	check_count_(ok);
	if (ok)
		return 1;
	check_fail_prefix_(file, line);
	fprintf(stderr, "CHECK(%s)\n", expr);
	return 0;
}

static inline int
check_quiet_(int ok)
{
	check_count_(ok);
	return ok;
}

static inline void
check_print_str_(const char *s)
{
	if (s == NULL)
		fputs("NULL", stderr);
	else
		fprintf(stderr, "\"%s\"", s);
}

static inline int
check_str_eq_(const char *a, const char *b, const char *ea, const char *eb, const char *file,
	      int line)
{
	int ok = (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);

	check_count_(ok);
	if (ok)
		return 1;
	check_fail_prefix_(file, line);
	fprintf(stderr, "CHECK_STR_EQ(%s, %s)\n\tgot:  ", ea, eb);
	check_print_str_(a);
	fputs("\n\twant: ", stderr);
	check_print_str_(b);
	fputc('\n', stderr);
	return 0;
}

static inline int
check_int_eq_(intmax_t a, intmax_t b, const char *ea, const char *eb, const char *file, int line)
{
	check_count_(a == b);
	if (a == b)
		return 1;
	check_fail_prefix_(file, line);
	fprintf(stderr, "CHECK_INT_EQ(%s, %s)\n\tgot:  %" PRIdMAX "\n\twant: %" PRIdMAX "\n", ea,
		eb, a, b);
	return 0;
}

/* CHECK_QUIET(cond): like CHECK, but a failure prints nothing of its own
 * (for a test that has already said what went wrong; the case's "FAIL:"
 * line still names it). */
#define CHECK_QUIET(cond) check_quiet_((cond) ? 1 : 0)
/* CHECK(cond): cond must be true. */
#define CHECK(cond) check_true_((cond) ? 1 : 0, #cond, __FILE__, __LINE__)
/* CHECK_STR_EQ(got, want): equal C strings; NULL equals only NULL. */
#define CHECK_STR_EQ(a, b) check_str_eq_((a), (b), #a, #b, __FILE__, __LINE__)
/* CHECK_INT_EQ(got, want): equal integers (compared as intmax_t; enums work too). */
#define CHECK_INT_EQ(a, b) check_int_eq_((intmax_t)(a), (intmax_t)(b), #a, #b, __FILE__, __LINE__)

/* A fixed-seed xorshift64* generator for randomized tests: the same
 * sequence on every run, so that a failure can be replayed. */
static inline uint64_t
check_rand(void)
{
	static uint64_t s = 0x2545f4914f6cdd1dULL;

	s ^= s >> 12;
	s ^= s << 25;
	s ^= s >> 27;
	return s * 0x2545f4914f6cdd1dULL;
}

/* Closes the open case, prints "N passed, M failed" (cases) and returns
 * the exit status for main(): 0 when every check passed, else 1; 1 too
 * when no check ran. */
static inline int
check_done(void)
{
	struct check_state *st = check_state_();

	check_case_close_();
	fflush(stdout);
	if (st->checks == 0)
		fputs("FAIL: no check ran\n", stderr);
	else if (st->failures > 0)
		fprintf(stderr, "%lu of %lu checks failed\n", st->failures, st->checks);
	printf("%lu passed, %lu failed\n", st->cases - st->failed_cases,
	       st->failed_cases + (st->checks == 0));
	fflush(stdout);
	return st->failures == 0 && st->checks > 0 ? 0 : 1;
}

#endif /* BOUNCE_TESTS_CHECK_H */
