/* fuzz_lines.c: a libFuzzer target for the analyzer on log lines, as
 * 'explain --lines' reads them: the input is cut at newlines (a CR before
 * one dropped) and every line is analyzed into one reused analysis, its
 * diagnoses written as JSON with the line's number. See tests/fuzz/README. */
#include "fuzz.h"

static struct cat_analysis *reused;
static char *json;
static size_t json_cap;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	unsigned long no = 0;
	struct cat_error err;

	fuzz_setup("fuzz_lines", 1);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);

		if (len && p[len - 1] == '\r')
			len--;
		no++;
		if (cat_analyze(fuzz_az, p, len, &reused, &err) != CAT_OK)
			fuzz_die("fuzz_lines", err.msg);
		fuzz_check_analysis("fuzz_lines", reused, p, len, no, &json, &json_cap);
		p = nl ? nl + 1 : end;
	}
	return 0;
}
