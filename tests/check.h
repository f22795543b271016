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
 * guards a table row.  check_done() prints a summary on failure and returns the
 * exit status for main: 0 if every check passed, 1 otherwise.
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
	char label[256];
};

static inline struct check_state *
check_state_(void)
{
	static struct check_state state;

	return &state;
}

/* Label the table row being checked; it is printed with each failure. "" clears it. */
static inline void check_case(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline void
check_case(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(check_state_()->label, sizeof(check_state_()->label), fmt, ap);
	va_end(ap);
}

#define CHECK_CASE(...) check_case(__VA_ARGS__)

static inline void
check_fail_prefix_(const char *file, int line)
{
	struct check_state *st = check_state_();

	st->failures++;
	fprintf(stderr, "%s:%d: FAIL", file, line);
	if (st->label[0] != '\0')
		fprintf(stderr, " [%s]", st->label);
	fputs(": ", stderr);
}

static inline int
check_true_(int ok, const char *expr, const char *file, int line)
{
	check_state_()->checks++;
	if (ok)
		return 1;
	check_fail_prefix_(file, line);
	fprintf(stderr, "CHECK(%s)\n", expr);
	return 0;
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
	check_state_()->checks++;
	if ((a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0))
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
	check_state_()->checks++;
	if (a == b)
		return 1;
	check_fail_prefix_(file, line);
	fprintf(stderr, "CHECK_INT_EQ(%s, %s)\n\tgot:  %" PRIdMAX "\n\twant: %" PRIdMAX "\n", ea,
		eb, a, b);
	return 0;
}

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

/* The exit status for main(): 0 when every check passed, else 1. */
static inline int
check_done(void)
{
	struct check_state *st = check_state_();

	if (st->failures == 0)
		return 0;
	fprintf(stderr, "%lu of %lu checks failed\n", st->failures, st->checks);
	return 1;
}

#endif /* BOUNCE_TESTS_CHECK_H */
