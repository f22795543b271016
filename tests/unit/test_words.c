/*
 * test_words.c -- how a lookup reads the words of a query (unknown words, a
 * leading dash, tags known only from a provider's markers), the provider
 * names, and the order of search results (exact matches, then registry
 * codes, then provider entries), on tests/data/valid-words.xml.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/catalog.h"
#include "check.h"
#include "check_result.h"

#define FIXTURE "tests/data/valid-words.xml"

static struct catalog *cat;

static const struct {
	const char *q;
	enum cat_status want;
	const char *keys;    /* the keys found, in order */
	const char *unknown; /* the words read as nothing, joined by blanks */
} lookups[] = {
	{ NULL, CAT_EUSAGE, "", "" },
	{ "", CAT_NOTFOUND, "", "" },
	/* a dash before a code, as pasted from a log */
	{ "-5.1.1", CAT_OK, "X.1.1 acme.gone zeta.gone", "" },
	{ "-550", CAT_OK, "550 acme.gone zeta.gone", "" },
	/* a misspelt provider is a word the lookup cannot read */
	{ "acmee 550", CAT_OK, "550 acme.gone zeta.gone", "acmee" },
	{ "acmemail 550", CAT_OK, "550 acme.gone", "" },
	{ "what is 550", CAT_OK, "550 acme.gone zeta.gone", "what is" },
	{ "nothing here", CAT_NOTFOUND, "", "nothing here" },
	/* a tag only a marker names: the provider's entries that mention it */
	{ "ZQ12", CAT_OK, "acme.gone", "" },
	{ "(zq12)", CAT_OK, "acme.gone", "" },
	/* ... or, when none does, the provider */
	{ "AC77", CAT_OK, "provider:acme", "" },
	{ "zetapost AC77", CAT_NOTFOUND, "", "" },
	{ "AC78", CAT_NOTFOUND, "", "" },
};

static void
join_unknown(const struct cat_result *res, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; res && i < res->n_unknown; i++)
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s", i ? " " : "",
					res->unknown[i]);
}

static void
test_lookups(void)
{
	char keys[512], unknown[256];
	size_t i;

	for (i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
		struct cat_result *res = NULL;
		struct cat_error err;
		enum cat_status st;

		CHECK_CASE("lookup '%s'", lookups[i].q ? lookups[i].q : "(null)");
		st = cat_lookup(cat, lookups[i].q, &res, &err);
		CHECK_INT_EQ(st, lookups[i].want);
		if (st == CAT_OK || st == CAT_NOTFOUND) {
			CHECK_STR_EQ(keys_of(res, keys, sizeof(keys)), lookups[i].keys);
			join_unknown(res, unknown, sizeof(unknown));
			CHECK_STR_EQ(unknown, lookups[i].unknown);
		}
		cat_result_free(res);
	}
}

static void
test_names(void)
{
	struct cat_error err;
	char **names = NULL;
	size_t n = 0, i;
	char all[512];
	size_t len = 0;

	CHECK_CASE("provider names");
	CHECK_INT_EQ(cat_provider_names(NULL, &names, &n, &err), CAT_EUSAGE);
	if (CHECK_INT_EQ(cat_provider_names(cat, &names, &n, &err), CAT_OK)) {
		all[0] = '\0';
		for (i = 0; i < n; i++)
			len += (size_t)snprintf(all + len, sizeof(all) - len, "%s%s", i ? "|" : "",
						names[i]);
		CHECK_STR_EQ(all, "acme|Acme Mail|acmemail|zeta|Zeta Post|zetapost");
		CHECK(names[n] == NULL);
	}
	cat_free(names);
}

static const struct {
	const char *q;
	const char *keys; /* the results, in order */
} searches[] = {
	/* the exact match first, though the provider entries say 5.1.1 more */
	{ "5.1.1", "X.1.1 acme.gone zeta.gone" },
	{ "X.1.1", "X.1.1 acme.gone zeta.gone" },
	/* a key or a provider named exactly */
	{ "acme.gone", "acme.gone" },
	{ "reason:user_unknown", "reason:user_unknown" },
	/* words: registry codes before provider entries, though these say
	 * "box" more often */
	{ "box", "550 X.1.2 zeta.gone acme.gone" },
};

static void
test_search_order(void)
{
	char keys[512];
	size_t i;

	for (i = 0; i < sizeof(searches) / sizeof(searches[0]); i++) {
		struct cat_result *res = NULL;
		struct cat_error err;

		CHECK_CASE("search '%s'", searches[i].q);
		if (CHECK_INT_EQ(cat_search(cat, searches[i].q, 0, &res, &err), CAT_OK)) {
			CHECK_STR_EQ(keys_of(res, keys, sizeof(keys)), searches[i].keys);
			CHECK_INT_EQ(res->truncated, 0);
			CHECK_INT_EQ(res->n_unknown, 0);
		}
		cat_result_free(res);
	}
	{
		struct cat_result *res = NULL;
		struct cat_error err;

		/* the limit counts the exact matches; truncated the rest */
		CHECK_CASE("search '5.1.1' limit 1");
		if (CHECK_INT_EQ(cat_search(cat, "5.1.1", 1, &res, &err), CAT_OK)) {
			CHECK_STR_EQ(keys_of(res, keys, sizeof(keys)), "X.1.1");
			CHECK_INT_EQ(res->truncated, 2);
		}
		cat_result_free(res);
	}
}

int
main(void)
{
	cat = open_fixture(FIXTURE);
	if (cat) {
		test_lookups();
		test_names();
		test_search_order();
	}
	cat_close(cat);
	return check_done();
}
