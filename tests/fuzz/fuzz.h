/* fuzz.h: what the libFuzzer targets of tests/fuzz share: the catalog and
 * analyzer set up once, the checks of an analysis, and a fatal finding. */
#ifndef BOUNCE_TESTS_FUZZ_H
#define BOUNCE_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/catalog.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant: libFuzzer saves the input as a crash. */
static void
fuzz_die(const char *target, const char *why)
{
	fprintf(stderr, "%s: %s\n", target, why);
	abort();
}

/* The built-in catalog, ready, and its analyzer: made once per process. */
static struct catalog *fuzz_cat;
static struct cat_analyzer *fuzz_az;

static void
fuzz_setup(const char *target, int analyzer)
{
	struct cat_error err;

	if (fuzz_cat)
		return;
	if (cat_open(&fuzz_cat, &err) != CAT_OK || cat_ready(fuzz_cat, &err) != CAT_OK ||
	    (analyzer && cat_analyzer_new(fuzz_cat, &fuzz_az, &err) != CAT_OK))
		fuzz_die(target, err.msg);
}

/* A raw control in JSON text: C0, DEL, C1 (UTF-8 C2 80..9F) or U+202E. */
static int
fuzz_raw_control(const char *s, size_t n)
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

/* The invariants of one analysis of text[0..size): at least one diagnosis,
 * the mandatory fields, evidence inside the input (or the decoded copy the
 * analysis keeps), one JSON object per diagnosis with no raw control. */
static void
fuzz_check_analysis(const char *target, const struct cat_analysis *an, const char *text,
		    size_t size, unsigned long line, char **json, size_t *json_cap)
{
	size_t i, k;

	if (an->n < 1)
		fuzz_die(target, "no diagnosis");
	for (i = 0; i < an->n; i++) {
		const struct cat_diagnosis *d = &an->d[i];
		size_t len = 0;

		if (!d->reason || !cat_type_name(d->type) || !cat_action_name(d->action) ||
		    !cat_confidence_name(d->confidence))
			fuzz_die(target, "a mandatory field is NULL");
		for (k = 0; k < d->n_evidence; k++)
			if (d->evidence[k].start > d->evidence[k].end ||
			    d->evidence[k].end > (an->decoded ? an->text_len : size))
				fuzz_die(target, "an evidence span is outside the input");
		if (cat_diagnosis_json(an, i, text, size, line, json, &len, json_cap) != CAT_OK)
			fuzz_die(target, "cat_diagnosis_json failed");
		if (len == 0 || (*json)[0] != '{' || (*json)[len - 1] != '}')
			fuzz_die(target, "the JSON is not an object");
		if (fuzz_raw_control(*json, len))
			fuzz_die(target, "a raw control character in the JSON");
	}
}

#endif
