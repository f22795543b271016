/* fuzz_query.c: a libFuzzer target for the query path on the built-in
 * catalog: the first byte chooses lookup, search (FTS5 syntax included),
 * search_ids or list by provider, reason and impact; the rest, up to a NUL,
 * is the query. A query may find nothing or be refused as a usage error,
 * never fail in SQL; a result of up to 64 entries becomes clean JSON. See
 * tests/fuzz/README. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cat_result *res = NULL;
	struct cat_filter f;
	struct cat_error err;
	enum cat_status st;
	int64_t *ids = NULL;
	char *q, *json = NULL;
	size_t n = 0;

	fuzz_setup("fuzz_query", 0);
	if (size < 1 || size > 4096)
		return 0;
	q = malloc(size);
	if (!q)
		return 0;
	memcpy(q, data + 1, size - 1);
	q[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		st = cat_lookup(fuzz_cat, q, &res, &err);
		break;
	case 1:
		st = cat_search(fuzz_cat, q, data[0] / 4, &res, &err);
		break;
	case 2:
		st = cat_search_ids(fuzz_cat, q, data[0] / 4, &ids, &n, &err);
		break;
	default:
		memset(&f, 0, sizeof(f));
		if (data[0] & 0x10)
			f.provider = q;
		else if (data[0] & 0x20)
			f.reason = q;
		else
			f.impact = q;
		st = cat_list(fuzz_cat, &f, &res, &err);
		break;
	}
	if (st != CAT_OK && st != CAT_NOTFOUND && st != CAT_EUSAGE) {
		fprintf(stderr, "fuzz_query: status %d: %s\n", (int)st, err.msg);
		abort();
	}
	/* JSON of a long list is the same path many times over, and slow
	 * (every entry is fetched whole): short results only */
	if (st == CAT_OK && res && res->n <= 64) {
		if (cat_result_json(fuzz_cat, res, q, &json, &err) != CAT_OK)
			fuzz_die("fuzz_query", err.msg);
		if (!json || json[0] != '{' || fuzz_raw_control(json, strlen(json)))
			fuzz_die("fuzz_query", "the JSON is not a clean object");
	}
	cat_free(json);
	cat_free(ids);
	cat_result_free(res);
	free(q);
	return 0;
}
