/* fuzz_load.c: a libFuzzer target for the catalog loader, from bytes in
 * memory (cat_load_buffer(): no file, so thousands of inputs a second).
 * The input is loaded on top of a catalog without the built-in one; a
 * refused file must leave nothing behind and say where (its name first);
 * a loaded one is made ready (the full-text index) and the catalog is
 * opened afresh for the next input. See tests/fuzz/README. */
#include "fuzz.h"

static struct catalog *cat;

static void
reopen(void)
{
	struct cat_error err;

	cat_close(cat);
	cat = NULL;
	if (cat_open_empty(&cat, &err) != CAT_OK)
		fuzz_die("fuzz_load", err.msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cat_error err;
	enum cat_status st;
	size_t before = 0, after = 0;

	if (!cat)
		reopen();
	if (cat_count(cat, CAT_KIND_ENTRY, &before, &err) != CAT_OK)
		fuzz_die("fuzz_load", err.msg);
	st = cat_load_buffer(cat, "fuzz.xml", (const char *)data, size, &err);
	if (st != CAT_OK) {
		if (strncmp(err.msg, "fuzz.xml", 8) != 0)
			fuzz_die("fuzz_load", "an error that does not name the file");
		if (cat_count(cat, CAT_KIND_ENTRY, &after, &err) != CAT_OK ||
		    after != before)
			fuzz_die("fuzz_load", "a refused file left entries behind");
		return 0;
	}
	if (cat_ready(cat, &err) != CAT_OK)
		fuzz_die("fuzz_load", err.msg);
	reopen();
	return 0;
}
