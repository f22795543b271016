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
#include "fuzz.h"

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct cat_error err;
	size_t i, k;

	fuzz_setup("fuzz_analyze", 1);
	if (size > 1024 * 1024)
		return 0; /* over the default limit: refused, nothing to test */
	if (cat_analyze(fuzz_az, text, size, &reused, &err) != CAT_OK)
		die(err.msg, 0);
	fuzz_check_analysis("fuzz_analyze", reused, text, size, 1, &json, &json_cap);
	if (++count % 64 == 0) {
		struct cat_analysis *fresh = NULL;

		if (cat_analyze(fuzz_az, text, size, &fresh, &err) != CAT_OK || fresh->n != reused->n)
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
