/*
 * test_mechanics.c -- the engine's lookup, search, list and override
 * mechanics on a small fixture catalog (tests/data/valid-mechanics.xml), so
 * that no edit of data/catalog.xml can break them.  What the shipped catalog
 * holds is tested elsewhere (test_builtin.c, test_corpus.c, completeness);
 * the rest of the query engine on a fixture of its own by test_engine.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/catalog.h"
#include "check.h"
#include "check_result.h"

#define FIXTURE "tests/data/valid-mechanics.xml"

static struct catalog *cat;

/* A lookup and what its result must be: the keys in order, and the match
 * of the first one. */
static const struct {
	const char *q;
	enum cat_status want;
	const char *keys;
	int first_match;
	const char *first_code;
} lookups[] = {
	/* a reply code: its meaning, then every provider entry with that reply */
	{ "550", CAT_OK, "550 acme.no_user zeta.no_user", CAT_MATCH_GENERIC, "550" },
	/* an enhanced code: the X.S.D meaning shown in the class asked for */
	{ "5.1.1", CAT_OK, "X.1.1 acme.no_user zeta.no_user", CAT_MATCH_GENERIC, "5.1.1" },
	{ "4.2.2", CAT_OK, "X.2.2 acme.full", CAT_MATCH_GENERIC, "4.2.2" },
	/* a pair: both meanings, then the entries with both codes */
	{ "550 5.1.1", CAT_OK, "550 X.1.1 acme.no_user zeta.no_user", CAT_MATCH_GENERIC, "550" },
	/* a provider tag, in any case, with or without brackets */
	{ "AC01", CAT_OK, "acme.no_user", CAT_MATCH_PROVIDER, "550 5.1.1 [AC01]" },
	{ "ac01", CAT_OK, "acme.no_user", CAT_MATCH_PROVIDER, NULL },
	{ "[AC01]", CAT_OK, "acme.no_user", CAT_MATCH_PROVIDER, NULL },
	/* a provider and a code: only that provider's entries */
	{ "acme 5.1.1", CAT_OK, "X.1.1 acme.no_user", CAT_MATCH_GENERIC, NULL },
	{ "zeta 5.1.1", CAT_OK, "X.1.1 zeta.no_user", CAT_MATCH_GENERIC, NULL },
	{ "ACME 5.1.1", CAT_OK, "X.1.1 acme.no_user", CAT_MATCH_GENERIC, NULL },
	/* a provider by id, alias and name: the provider, then its entries */
	{ "acme", CAT_OK, "provider:acme acme.full acme.no_user", CAT_MATCH_GENERIC, NULL },
	{ "acmemail", CAT_OK, "provider:acme acme.full acme.no_user", CAT_MATCH_GENERIC, NULL },
	{ "Acme Mail", CAT_OK, "provider:acme acme.full acme.no_user", CAT_MATCH_GENERIC, NULL },
	/* classes and subjects */
	{ "5xx", CAT_OK, "class:5", CAT_MATCH_GENERIC, "5xx" },
	{ "class:4", CAT_OK, "class:4", CAT_MATCH_GENERIC, NULL },
	{ "X.1", CAT_OK, "X.1", CAT_MATCH_GENERIC, NULL },
	/* keys */
	{ "acme.no_user", CAT_OK, "acme.no_user", CAT_MATCH_PROVIDER, NULL },
	{ "reason:user_unknown", CAT_OK, "reason:user_unknown", CAT_MATCH_GENERIC, NULL },
	/* nothing */
	{ "nonsense", CAT_NOTFOUND, "", ANY, NULL },
	{ "999", CAT_NOTFOUND, "", ANY, NULL },
	{ "5.9.9", CAT_NOTFOUND, "", ANY, NULL },
	{ "ZZ01", CAT_NOTFOUND, "", ANY, NULL },
};

static void
test_lookups(void)
{
	char got[512];
	size_t i;

	for (i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
		struct cat_result *res = NULL;
		struct cat_error err;
		enum cat_status st;

		CHECK_CASE("lookup \"%s\"", lookups[i].q);
		memset(&err, 0, sizeof(err));
		st = cat_lookup(cat, lookups[i].q, &res, &err);
		if (!CHECK_INT_EQ(st, lookups[i].want))
			fprintf(stderr, "\tmessage: %s\n", err.msg);
		CHECK_STR_EQ(keys_of(res, got, sizeof(got)), lookups[i].keys);
		if (res && res->n > 0 && lookups[i].first_match != ANY)
			CHECK_INT_EQ(res->match[0], lookups[i].first_match);
		if (res && res->n > 0 && lookups[i].first_code)
			CHECK_STR_EQ(res->entries[0].code, lookups[i].first_code);
		cat_result_free(res);
	}
	CHECK_CASE("%s", "");
}

static void
test_search(void)
{
	struct cat_result *res = NULL;
	struct cat_error err;
	char got[512];

	CHECK_CASE("search: words of an entry's title and text");
	if (CHECK_INT_EQ(cat_search(cat, "no such user", 10, &res, &err), CAT_OK))
		CHECK_STR_EQ(keys_of(res, got, sizeof(got)), "acme.no_user zeta.no_user");
	cat_result_free(res);
	res = NULL;

	CHECK_CASE("search: any case");
	if (CHECK_INT_EQ(cat_search(cat, "NO SUCH USER", 10, &res, &err), CAT_OK))
		CHECK_STR_EQ(keys_of(res, got, sizeof(got)), "acme.no_user zeta.no_user");
	cat_result_free(res);
	res = NULL;

	CHECK_CASE("search: the limit");
	if (CHECK_INT_EQ(cat_search(cat, "mailbox", 2, &res, &err), CAT_OK)) {
		CHECK_INT_EQ(res->n, 2);
		CHECK(res->truncated > 0);
	}
	cat_result_free(res);
	res = NULL;

	CHECK_CASE("search: nothing");
	CHECK_INT_EQ(cat_search(cat, "zzzzqqq", 10, &res, &err), CAT_NOTFOUND);
	CHECK(res == NULL || res->n == 0);
	cat_result_free(res);
	CHECK_CASE("%s", "");
}

/* cat_list with a filter: the keys listed, in order. */
static void
check_list(const char *label, const struct cat_filter *f, enum cat_status want, const char *keys)
{
	struct cat_result *res = NULL;
	struct cat_error err;
	char got[512];

	CHECK_CASE("list %s", label);
	memset(&err, 0, sizeof(err));
	if (CHECK_INT_EQ(cat_list(cat, f, &res, &err), want) && want == CAT_OK)
		CHECK_STR_EQ(keys_of(res, got, sizeof(got)), keys);
	cat_result_free(res);
}

static void
test_list(void)
{
	struct cat_filter f;

	memset(&f, 0, sizeof(f));
	f.provider = "acme";
	f.kind_set = 1;
	f.kind = CAT_KIND_ENTRY;
	check_list("--provider acme --kind provider-entry", &f, CAT_OK, "acme.full acme.no_user");
	f.provider = "acmemail";
	check_list("--provider acmemail (an alias)", &f, CAT_OK, "acme.full acme.no_user");
	memset(&f, 0, sizeof(f));
	f.kind_set = 1;
	f.kind = CAT_KIND_PROVIDER;
	check_list("--kind provider", &f, CAT_OK, "provider:acme provider:zeta");
	memset(&f, 0, sizeof(f));
	f.kind_set = 1;
	f.kind = CAT_KIND_ENTRY;
	f.cls = 4;
	check_list("--class 4 --kind provider-entry", &f, CAT_OK, "acme.full");
	memset(&f, 0, sizeof(f));
	f.kind_set = 1;
	f.kind = CAT_KIND_ENTRY;
	f.reason = "user_unknown";
	check_list("--reason user_unknown --kind provider-entry", &f, CAT_OK,
		   "acme.no_user zeta.no_user");
	memset(&f, 0, sizeof(f));
	f.provider = "nosuchprovider";
	check_list("--provider nosuchprovider", &f, CAT_EUSAGE, NULL);
	CHECK_CASE("%s", "");
}

/* A later file replaces an entry by key; the origin names the file. */
static void
test_override(void)
{
	static const char over[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<catalog version=\"1\">\n"
		"  <codes>\n"
		"    <entry id=\"acme.no_user\" provider=\"acme\" reply=\"550\" enhanced=\"5.1.1\""
		" tag=\"AC01\" title=\"Overridden\" status=\"observed\">\n"
		"      <meaning>m</meaning><source>s</source>\n"
		"    </entry>\n"
		"  </codes>\n"
		"</catalog>\n";
	struct catalog *c = NULL;
	struct cat_result *res = NULL;
	struct cat_error err;
	char got[512];

	CHECK_CASE("override: a later file replaces an entry");
	if (!CHECK_INT_EQ(cat_open_empty(&c, &err), CAT_OK))
		return;
	CHECK_INT_EQ(cat_load_file(c, FIXTURE, &err), CAT_OK);
	if (!CHECK_INT_EQ(cat_load_buffer(c, "over.xml", over, strlen(over), &err), CAT_OK))
		fprintf(stderr, "\tmessage: %s\n", err.msg);
	if (CHECK_INT_EQ(cat_ready(c, &err), CAT_OK) &&
	    CHECK_INT_EQ(cat_lookup(c, "AC01", &res, &err), CAT_OK) && CHECK_INT_EQ(res->n, 1)) {
		CHECK_STR_EQ(res->entries[0].title, "Overridden");
		CHECK_STR_EQ(res->entries[0].origin, "over.xml");
		CHECK_INT_EQ(res->entries[0].line, 4);
	}
	cat_result_free(res);
	res = NULL;
	/* by code, the replaced entry is listed once */
	if (CHECK_INT_EQ(cat_lookup(c, "550", &res, &err), CAT_OK))
		CHECK_STR_EQ(keys_of(res, got, sizeof(got)), "550 acme.no_user zeta.no_user");
	cat_result_free(res);
	CHECK_INT_EQ(cat_origin_count(c), 2);
	CHECK_STR_EQ(cat_origin(c, 1), "over.xml");
	cat_close(c);
	CHECK_CASE("%s", "");
}

int
main(void)
{
	cat = open_fixture(FIXTURE);
	if (!cat)
		return check_done();
	CHECK_STR_EQ(cat_provider_id(cat, "Acme Mail"), "acme");
	CHECK_STR_EQ(cat_provider_id(cat, "acmemail"), "acme");
	CHECK(cat_provider_id(cat, "gmail") == NULL);
	test_lookups();
	test_search();
	test_list();
	test_override();
	cat_close(cat);
	return check_done();
}
