/*
 * fuzz_analyze.c -- a libFuzzer harness for the analyzer: every input goes
 * through cat_analyze() (into one reused struct cat_analysis, as a batch
 * does) and each diagnosis through cat_diagnosis_json().  Not part of
 * 'make check'; see tests/fuzz/README for how to build and run it.
 *
 * Besides the sanitizers' findings it aborts when an invariant breaks:
 * CAT_OK and at least one diagnosis with a reason, every evidence span
 * inside the input, and JSON without a raw control byte (C0, DEL), a raw C1
 * (UTF-8 C2 80..9F) or a raw U+202E.  Every 64th input is also analyzed
 * into a fresh analysis, which must give the same reasons and spans.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/catalog.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct catalog *cat;
static struct cat_analyzer *az;
static struct cat_analysis *reused;
static char *json;
static size_t json_cap;
static unsigned long count;

static void
die(const char *why, size_t i)
{
	fprintf(stderr, "fuzz_analyze: %s (diagnosis %zu)\n", why, i);
	abort();
}

static void
setup(void)
{
	struct cat_error err;

	if (cat_open(&cat, &err) != CAT_OK || cat_ready(cat, &err) != CAT_OK ||
	    cat_analyzer_new(cat, &az, &err) != CAT_OK) {
		fprintf(stderr, "fuzz_analyze: %s\n", err.msg);
		abort();
	}
}

static int
raw_control(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++) {
		if (u[i] < 0x20 || u[i] == 0x7f)
			return 1;
		if (u[i] == 0xc2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)
			return 1;
		if (u[i] == 0xe2 && i + 2 < n && u[i + 1] == 0x80 && u[i + 2] == 0xae)
			return 1;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct cat_error err;
	size_t i, k;

	if (!az)
		setup();
	if (size > 1024 * 1024)
		return 0; /* over the default limit: refused, nothing to test */
	if (cat_analyze(az, text, size, &reused, &err) != CAT_OK)
		die(err.msg, 0);
	if (reused->n < 1)
		die("no diagnosis", 0);
	for (i = 0; i < reused->n; i++) {
		const struct cat_diagnosis *d = &reused->d[i];
		size_t len = 0;

		if (!d->reason || !cat_type_name(d->type) || !cat_action_name(d->action) ||
		    !cat_confidence_name(d->confidence))
			die("a mandatory field is NULL", i);
		for (k = 0; k < d->n_evidence; k++)
			if (d->evidence[k].start > d->evidence[k].end || d->evidence[k].end > size)
				die("an evidence span is outside the input", i);
		if (cat_diagnosis_json(reused, i, text, size, 1, &json, &len, &json_cap) != CAT_OK)
			die("cat_diagnosis_json failed", i);
		if (len == 0 || json[0] != '{' || json[len - 1] != '}')
			die("the JSON is not an object", i);
		if (raw_control(json, len))
			die("a raw control character in the JSON", i);
	}
	if (++count % 64 == 0) {
		struct cat_analysis *fresh = NULL;

		if (cat_analyze(az, text, size, &fresh, &err) != CAT_OK || fresh->n != reused->n)
			die("a fresh analysis differs from the reused one", 0);
		for (i = 0; i < fresh->n; i++) {
			const struct cat_diagnosis *a = &fresh->d[i], *b = &reused->d[i];

			if (strcmp(a->reason, b->reason) != 0 || a->reply != b->reply ||
			    strcmp(a->enhanced, b->enhanced) != 0 || a->n_evidence != b->n_evidence)
				die("a fresh analysis differs from the reused one", i);
			for (k = 0; k < a->n_evidence; k++)
				if (a->evidence[k].start != b->evidence[k].start ||
				    a->evidence[k].end != b->evidence[k].end)
					die("a fresh analysis differs from the reused one", i);
		}
		cat_analysis_free(fresh);
	}
	return 0;
}
