/*
 * test_corpus.c -- runs every tests/bounces/NAME.txt through the analyzer of
 * the built-in catalog and compares the diagnoses with NAME.expected.
 *
 * NAME.expected holds one "field: value" per line; only the fields listed
 * are checked, and "-" means the field must be absent (NULL, 0 or "").
 * A line "---" separates the diagnoses of an input with several failed
 * recipients, in order.  Fields: reply_code, enhanced_code,
 * enhanced_inferred (yes/no), class, reason, type, action, provider,
 * provider_tag, recipient, remote_host, outcome, event, stage, sender
 * ("<>" for the null sender), queue_id, time, entry (the key of the first,
 * best catalog entry the diagnosis names: which provider entry the words
 * reached, where the other fields would read the same without it).
 *
 * Every input is a case of its own (tests/check.h): a regressed input
 * prints each disagreement as "NAME: field: want X, got Y" (NAME#2 for the
 * second diagnosis of an input), then "FAIL: corpus NAME", and counts as one
 * failed case.  A table of agreement per field follows.  The test fails on
 * any disagreement, on a missing or malformed .expected file and on a
 * missing corpus directory.  An optional argument names another corpus
 * directory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/catalog.h"
#include "check.h"
#include "corpus_names.h"

#define CORPUS_DIR "tests/bounces"
#define MAX_BLOCKS 16

/* The checked fields, in the order of the table. */
#define FIELD_LIST(X)                                                          \
	X(F_REPLY, "reply_code")                                               \
	X(F_ENHANCED, "enhanced_code")                                         \
	X(F_INFERRED, "enhanced_inferred")                                     \
	X(F_CLASS, "class")                                                    \
	X(F_REASON, "reason")                                                  \
	X(F_TYPE, "type")                                                      \
	X(F_ACTION, "action")                                                  \
	X(F_PROVIDER, "provider")                                              \
	X(F_TAG, "provider_tag")                                               \
	X(F_RECIPIENT, "recipient")                                            \
	X(F_HOST, "remote_host")                                               \
	X(F_OUTCOME, "outcome")                                                \
	X(F_EVENT, "event")                                                    \
	X(F_STAGE, "stage")                                                    \
	X(F_SENDER, "sender")                                                  \
	X(F_QUEUE_ID, "queue_id")                                              \
	X(F_TIME, "time")                                                      \
	X(F_ENTRY, "entry")

enum field {
#define FIELD_ENUM(id, name) id,
	FIELD_LIST(FIELD_ENUM)
#undef FIELD_ENUM
	F_COUNT
};

static const char *const field_names[F_COUNT] = {
#define FIELD_NAME(id, name) name,
	FIELD_LIST(FIELD_NAME)
#undef FIELD_NAME
};

/* One expected diagnosis: the wanted value per field, NULL when unchecked. */
struct block {
	char *want[F_COUNT];
};

struct expected {
	size_t n;
	struct block b[MAX_BLOCKS];
};

static unsigned long checked[F_COUNT + 1], agreed[F_COUNT + 1];
static unsigned long mismatches, problems;

/* ------------------------------------------------------------ files */

/* Reads a whole file; *len gets its size. NULL (errno set) on failure. */
static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *p;
	size_t cap = 0, n = 0, got;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			p = realloc(buf, cap + 1);
			if (p == NULL) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void
expected_free(struct expected *ex)
{
	size_t i, f;

	for (i = 0; i < ex->n; i++)
		for (f = 0; f < F_COUNT; f++)
			free(ex->b[i].want[f]);
	ex->n = 0;
}

static int
field_of(const char *name, size_t len)
{
	int f;

	for (f = 0; f < F_COUNT; f++)
		if (strlen(field_names[f]) == len && strncmp(field_names[f], name, len) == 0)
			return f;
	return -1;
}

/* Parses NAME.expected; on error prints "NAME.expected:line: why" and
 * returns -1. */
static int
parse_expected(const char *path, const char *text, size_t len, struct expected *ex)
{
	const char *p = text, *end = text + len, *eol, *colon, *v;
	size_t lineno = 0, vlen;
	int f, in_block = 0;

	memset(ex, 0, sizeof(*ex));
	if (memchr(text, '\0', len) != NULL) {
		printf("%s: contains a NUL byte\n", path);
		return -1;
	}
	ex->n = 1;
	while (p < end) {
		lineno++;
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		vlen = (size_t)(eol - p);
		if (vlen > 0 && p[vlen - 1] == '\r')
			vlen--;
		if (vlen == 0) {
			/* blank lines are allowed */
		} else if (vlen == 3 && strncmp(p, "---", 3) == 0) {
			if (!in_block) {
				printf("%s:%zu: '---' without a diagnosis before it\n", path, lineno);
				return -1;
			}
			if (ex->n == MAX_BLOCKS) {
				printf("%s:%zu: more than %d diagnoses\n", path, lineno, MAX_BLOCKS);
				return -1;
			}
			ex->n++;
			in_block = 0;
		} else {
			colon = memchr(p, ':', vlen);
			if (colon == NULL || colon + 1 >= p + vlen || colon[1] != ' ') {
				printf("%s:%zu: not a 'field: value' line\n", path, lineno);
				return -1;
			}
			f = field_of(p, (size_t)(colon - p));
			if (f < 0) {
				printf("%s:%zu: unknown field '%.*s'\n", path, lineno, (int)(colon - p), p);
				return -1;
			}
			v = colon + 2;
			if (v >= p + vlen) {
				printf("%s:%zu: empty value for %s\n", path, lineno, field_names[f]);
				return -1;
			}
			if (ex->b[ex->n - 1].want[f] != NULL) {
				printf("%s:%zu: %s given twice\n", path, lineno, field_names[f]);
				return -1;
			}
			ex->b[ex->n - 1].want[f] = strndup(v, (size_t)(p + vlen - v));
			if (ex->b[ex->n - 1].want[f] == NULL) {
				printf("%s:%zu: out of memory\n", path, lineno);
				return -1;
			}
			in_block = 1;
		}
		p = eol + 1;
	}
	if (!in_block) {
		printf("%s: %s\n", path, lineno ? "ends without a diagnosis" : "is empty");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ comparing */

static const char *
str_or_null(const char *s)
{
	return s && *s ? s : NULL;
}

/* The value of field f in a diagnosis, as text; NULL when absent. */
static const char *
got_value(const struct cat_diagnosis *d, enum field f, char *buf, size_t size)
{
	switch (f) {
	case F_REPLY:
		if (d->reply == 0)
			return NULL;
		snprintf(buf, size, "%d", d->reply);
		return buf;
	case F_ENHANCED:
		return str_or_null(d->enhanced);
	case F_INFERRED:
		if (d->enhanced[0] == '\0')
			return NULL;
		return d->enhanced_inferred ? "yes" : "no";
	case F_CLASS:
		return cat_class_name(d->cls);
	case F_REASON:
		return str_or_null(d->reason);
	case F_TYPE:
		return cat_type_name(d->type);
	case F_ACTION:
		return cat_action_name(d->action);
	case F_PROVIDER:
		return str_or_null(d->provider);
	case F_TAG:
		return str_or_null(d->provider_tag);
	case F_RECIPIENT:
		return str_or_null(d->recipient);
	case F_HOST:
		return str_or_null(d->remote_host);
	case F_OUTCOME:
		return str_or_null(d->outcome);
	case F_EVENT:
		return cat_event_name(d->event);
	case F_STAGE:
		return cat_stage_name(d->stage);
	case F_SENDER:
		return d->sender && !*d->sender ? "<>" : d->sender;
	case F_QUEUE_ID:
		return str_or_null(d->queue_id);
	case F_TIME:
		return str_or_null(d->time);
	case F_ENTRY:
		return d->n_entries ? str_or_null(d->entries[0]) : NULL;
	case F_COUNT:
		break;
	}
	return NULL;
}

/* Prints a value for a mismatch line: "-" for absent; control bytes escaped. */
static void
print_value(const char *s)
{
	if (s == NULL) {
		fputs("-", stdout);
		return;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static void
compare(const char *name, size_t k, const struct block *b, const struct cat_diagnosis *d)
{
	char buf[32];
	const char *got, *want;
	int f;

	for (f = 0; f < F_COUNT; f++) {
		want = b->want[f];
		if (want == NULL)
			continue;
		got = d ? got_value(d, (enum field)f, buf, sizeof(buf)) : NULL;
		checked[f]++;
		if (strcmp(want, "-") == 0 ? got == NULL : got != NULL && strcmp(got, want) == 0) {
			agreed[f]++;
			continue;
		}
		mismatches++;
		if (k > 0)
			printf("%s#%zu: %s: want %s, got ", name, k + 1, field_names[f], want);
		else
			printf("%s: %s: want %s, got ", name, field_names[f], want);
		print_value(got);
		putchar('\n');
	}
}

/* Runs one input; returns 0, or -1 for a problem with the files. */
static int
run_one(struct cat_analyzer *an, const char *dir, const char *name)
{
	char path[4096];
	char *text, *exptext;
	size_t len, elen, k;
	struct expected ex;
	struct cat_analysis *res = NULL;
	struct cat_error err;

	snprintf(path, sizeof(path), "%s/%s.expected", dir, name);
	exptext = read_file(path, &elen);
	if (exptext == NULL) {
		printf("%s: cannot read: %s\n", path, strerror(errno));
		return -1;
	}
	if (parse_expected(path, exptext, elen, &ex) != 0) {
		free(exptext);
		expected_free(&ex);
		return -1;
	}
	free(exptext);
	snprintf(path, sizeof(path), "%s/%s.txt", dir, name);
	text = read_file(path, &len);
	if (text == NULL) {
		printf("%s: cannot read: %s\n", path, strerror(errno));
		expected_free(&ex);
		return -1;
	}
	memset(&err, 0, sizeof(err));
	if (cat_analyze(an, text, len, &res, &err) != CAT_OK || res == NULL) {
		printf("%s: analysis failed: %s\n", name, err.msg);
		mismatches++;
		checked[F_COUNT]++;
		free(text);
		expected_free(&ex);
		cat_analysis_free(res);
		return 0;
	}
	checked[F_COUNT]++;
	if (res->n == ex.n)
		agreed[F_COUNT]++;
	else {
		mismatches++;
		printf("%s: diagnoses: want %zu, got %zu\n", name, ex.n, res->n);
	}
	for (k = 0; k < ex.n; k++)
		compare(name, k, &ex.b[k], k < res->n ? &res->d[k] : NULL);
	cat_analysis_free(res);
	free(text);
	expected_free(&ex);
	return 0;
}

static void
print_table(size_t files)
{
	unsigned long c, a;
	int f;

	printf("\n%zu inputs; agreement per field:\n", files);
	printf("  %-18s %8s %8s %8s\n", "field", "checked", "agreed", "percent");
	for (f = 0; f <= F_COUNT; f++) {
		c = checked[f];
		a = agreed[f];
		if (c == 0 && f < F_COUNT)
			continue;
		printf("  %-18s %8lu %8lu %7.1f%%\n", f < F_COUNT ? field_names[f] : "diagnoses", c, a,
		       c ? 100.0 * (double)a / (double)c : 100.0);
	}
	c = a = 0;
	for (f = 0; f <= F_COUNT; f++) {
		c += checked[f];
		a += agreed[f];
	}
	printf("  %-18s %8lu %8lu %7.1f%%\n", "all", c, a, c ? 100.0 * (double)a / (double)c : 100.0);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : CORPUS_DIR;
	struct catalog *cat = NULL;
	struct cat_analyzer *an = NULL;
	struct cat_error err;
	char **names = NULL;
	size_t n = 0, i;

	memset(&err, 0, sizeof(err));
	if (!CHECK(cat_open(&cat, &err) == CAT_OK) || !CHECK(cat_ready(cat, &err) == CAT_OK) ||
	    !CHECK(cat_analyzer_new(cat, &an, &err) == CAT_OK)) {
		fprintf(stderr, "test_corpus: %s\n", err.msg);
		cat_analyzer_free(an);
		cat_close(cat);
		return check_done();
	}
	if (corpus_names(dir, 0, &names, &n) != 0) {
		printf("%s: cannot read the corpus directory: %s\n", dir, strerror(errno));
		problems++;
	} else if (n == 0) {
		printf("%s: no *.txt inputs\n", dir);
		problems++;
	}
	for (i = 0; i < n; i++) {
		unsigned long before = mismatches;
		int used;

		/* one case per input: the lines above its FAIL say what regressed */
		CHECK_CASE("corpus %s", names[i]);
		used = run_one(an, dir, names[i]) == 0;
		if (!used)
			problems++;
		CHECK_QUIET(used && mismatches == before);
		free(names[i]);
	}
	CHECK_CASE("%s", "");
	free(names);
	print_table(n);
	if (problems)
		printf("%lu corpus files could not be used\n", problems);
	/* no input at all, or no directory, is a failure too */
	CHECK(n > 0);
	cat_analyzer_free(an);
	cat_close(cat);
	return check_done();
}
