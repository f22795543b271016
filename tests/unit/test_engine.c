/*
 * test_engine.c -- how the engine answers any catalog: the forms of a typed
 * query, ranges, decoded tag families, provider meanings that differ from the
 * registry, search, list filters, full entries and their links, JSON and the
 * database export, all on the small synthetic catalog tests/data/valid-engine.xml,
 * so that no edit of data/catalog.xml can break them.  That the shipped catalog
 * answers what bounce(1) documents is test_builtin.c's job.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bounce/catalog.h"
#include "check.h"
#include "check_result.h"

#define FIXTURE "tests/data/valid-engine.xml"

static struct catalog *cat;

/* ------------------------------------------------------------ helpers */

/* ------------------------------------------------------------ lookup */


static const struct lookup_case lookups[] = {
	/* empty and blank */
	{ "", CAT_NOTFOUND, NULL, ANY, NULL, NULL, NULL, ANY, NULL, NULL, 0, 0 },
	{ "   ", CAT_NOTFOUND, NULL, ANY, NULL, NULL, NULL, ANY, NULL, NULL, 0, 0 },
	{ "[]", CAT_NOTFOUND, NULL, ANY, NULL, NULL, NULL, ANY, NULL, NULL, 0, 0 },
	/* reply codes: the meaning, then every provider entry with that reply; the
	 * class digit gives the severity */
	{ "550", CAT_OK, "550", CAT_MATCH_GENERIC, "550", "hard", "acme.no_user",
	  CAT_MATCH_PROVIDER, NULL, NULL, 550, 6 },
	{ "  550  ", CAT_OK, "550", CAT_MATCH_GENERIC, "550", "hard", NULL, ANY, NULL, NULL, 550,
	  6 },
	{ "421", CAT_OK, "421", CAT_MATCH_GENERIC, "421", "soft", "acme.slow_down",
	  CAT_MATCH_PROVIDER, NULL, "acme", 421, 1 },
	{ "250", CAT_OK, "250", CAT_MATCH_GENERIC, "250", "success", NULL, ANY, NULL, NULL, 0, 0 },
	{ "354", CAT_OK, "354", CAT_MATCH_GENERIC, "354", "informational", NULL, ANY, NULL, NULL,
	  0, 0 },
	/* enhanced codes: the class digit decides the code shown and the severity */
	{ "5.1.1", CAT_OK, "X.1.1", CAT_MATCH_GENERIC, "5.1.1", "hard", "zeta.no_user",
	  CAT_MATCH_PROVIDER, "550 5.1.1", NULL, 0, 2 },
	{ "X.1.1", CAT_OK, "X.1.1", CAT_MATCH_GENERIC, "X.1.1", "", "zeta.no_user",
	  CAT_MATCH_PROVIDER, NULL, NULL, 0, 2 },
	{ "x.1.1", CAT_OK, "X.1.1", CAT_MATCH_GENERIC, "X.1.1", "", NULL, ANY, NULL, NULL, 0, 2 },
	{ "4.2.2", CAT_OK, "X.2.2", CAT_MATCH_GENERIC, "4.2.2", "soft", "acme.full",
	  CAT_MATCH_PROVIDER, "452 4.2.2", "acme", 0, 1 },
	{ "5.2.2", CAT_OK, "X.2.2", CAT_MATCH_GENERIC, "5.2.2", "hard", NULL, ANY, NULL, NULL, 0,
	  0 },
	{ "2.1.5", CAT_OK, "X.1.5", CAT_MATCH_GENERIC, "2.1.5", "success", NULL, ANY, NULL, NULL,
	  0, 0 },
	{ "#5.1.1", CAT_OK, "X.1.1", CAT_MATCH_GENERIC, "5.1.1", "hard", NULL, ANY, NULL, NULL, 0,
	  2 },
	{ "(5.1.1):", CAT_OK, "X.1.1", CAT_MATCH_GENERIC, "5.1.1", "hard", NULL, ANY, NULL, NULL,
	  0, 2 },
	/* a detail inside a provider's range: the subject first, then the range entry */
	{ "5.7.620", CAT_OK, "X.7", CAT_MATCH_GENERIC, NULL, NULL, "acme.listed_ip",
	  CAT_MATCH_PROVIDER, "550 5.7.600-649", "acme", 0, 1 },
	{ "5.7.600", CAT_OK, NULL, CAT_MATCH_GENERIC, NULL, NULL, "acme.listed_ip",
	  CAT_MATCH_PROVIDER, NULL, "acme", 0, 1 },
	{ "5.7.649", CAT_OK, NULL, CAT_MATCH_GENERIC, NULL, NULL, "acme.listed_ip",
	  CAT_MATCH_PROVIDER, NULL, "acme", 0, 1 },
	/* reply and enhanced together */
	{ "550 5.7.26", CAT_OK, "550", CAT_MATCH_GENERIC, "550", "hard", "X.7.26",
	  CAT_MATCH_GENERIC, "5.7.26", NULL, 550, 2 },
	{ "550 5.7.26", CAT_OK, "550", CAT_MATCH_GENERIC, "550", "hard", "acme.auth",
	  CAT_MATCH_PROVIDER, NULL, NULL, 550, 2 },
	{ "550-5.1.1", CAT_OK, "550", CAT_MATCH_GENERIC, "550", "hard", "X.1.1",
	  CAT_MATCH_GENERIC, "5.1.1", NULL, 550, 2 },
	{ "421 4.7.0 [AC04]", CAT_OK, "421", CAT_MATCH_GENERIC, "421", "soft", "acme.slow_down",
	  CAT_MATCH_PROVIDER, NULL, "acme", 421, 1 },
	{ "421 4.7.0 [AC04]", CAT_OK, "421", CAT_MATCH_GENERIC, "421", "soft", "X.7.0",
	  CAT_MATCH_GENERIC, "4.7.0", NULL, 421, 1 },
	/* provider tags, any case, with brackets */
	{ "AC04", CAT_OK, "acme.slow_down", CAT_MATCH_PROVIDER, NULL, "soft", NULL, ANY, NULL,
	  "acme", 0, 1 },
	{ "ac04", CAT_OK, "acme.slow_down", CAT_MATCH_PROVIDER, NULL, "soft", NULL, ANY, NULL,
	  "acme", 0, 1 },
	{ "[AC04]", CAT_OK, "acme.slow_down", CAT_MATCH_PROVIDER, NULL, "soft", NULL, ANY, NULL,
	  "acme", 0, 1 },
	/* a tag two entries share: both */
	{ "AC02", CAT_OK, NULL, CAT_MATCH_PROVIDER, NULL, NULL, "acme.pair_a", CAT_MATCH_PROVIDER,
	  NULL, "acme", 0, 2 },
	{ "[AC02]", CAT_OK, NULL, CAT_MATCH_PROVIDER, NULL, NULL, "acme.pair_b",
	  CAT_MATCH_PROVIDER, NULL, "acme", 0, 2 },
	/* a tag of a bitflags family that has an entry of its own: the entry */
	{ "AX0001", CAT_OK, "acme.ax0001", CAT_MATCH_PROVIDER, NULL, "hard", NULL, ANY, NULL,
	  "acme", 0, 1 },
	/* a tag in capitals alone, and after a prefix ending in '#'; not in lower case */
	{ "ZTBLK", CAT_OK, "zeta.capitals", CAT_MATCH_PROVIDER, "[ZTBLK]", NULL, NULL, ANY, NULL,
	  "zeta", 0, 1 },
	{ "AUP#ZTBLK", CAT_OK, "zeta.capitals", CAT_MATCH_PROVIDER, NULL, NULL, NULL, ANY, NULL,
	  "zeta", 0, 1 },
	{ "ztblk", CAT_NOTFOUND, NULL, ANY, NULL, NULL, NULL, ANY, NULL, NULL, 0, 0 },
	/* a word in capitals that no entry carries is no tag: the provider still lists */
	{ "zeta SPAM", CAT_OK, "provider:zeta", CAT_MATCH_GENERIC, NULL, NULL, "zeta.capitals",
	  CAT_MATCH_PROVIDER, NULL, "zeta", 0, 1 },
	{ "zeta ZTBLK", CAT_OK, "zeta.capitals", CAT_MATCH_PROVIDER, NULL, NULL, NULL, ANY, NULL,
	  "zeta", 0, 1 },
	/* a tag with a colon, in any case; a key keeps its colon */
	{ "ZT:OLN", CAT_OK, "zeta.colon", CAT_MATCH_PROVIDER, "451 [ZT:OLN]", NULL, NULL, ANY,
	  NULL, "zeta", 0, 1 },
	{ "zt:oln", CAT_OK, "zeta.colon", CAT_MATCH_PROVIDER, NULL, NULL, NULL, ANY, NULL, "zeta",
	  0, 1 },
	{ "provider:zeta", CAT_OK, "provider:zeta", CAT_MATCH_GENERIC, NULL, NULL, NULL, ANY, NULL,
	  NULL, 0, 0 },
	/* one provider's meaning, the provider in any case */
	{ "zeta 5.7.26", CAT_OK, "X.7.26", CAT_MATCH_GENERIC, "5.7.26", "hard", "zeta.sig",
	  CAT_MATCH_PROVIDER, NULL, "zeta", 0, 1 },
	{ "ZETA 5.7.26", CAT_OK, "X.7.26", CAT_MATCH_GENERIC, "5.7.26", "hard", "zeta.sig",
	  CAT_MATCH_PROVIDER, NULL, "zeta", 0, 1 },
	{ "acme 5.1.1", CAT_OK, "X.1.1", CAT_MATCH_GENERIC, "5.1.1", "hard", NULL, ANY, NULL,
	  "acme", 0, 1 },
	/* providers by id, alias and name (one with an ampersand) */
	{ "acme", CAT_OK, "provider:acme", CAT_MATCH_GENERIC, NULL, NULL, "acme.slow_down",
	  CAT_MATCH_PROVIDER, NULL, "acme", 0, 8 },
	{ "acmemail", CAT_OK, "provider:acme", CAT_MATCH_GENERIC, NULL, NULL, "acme.no_user",
	  CAT_MATCH_PROVIDER, NULL, "acme", 0, 8 },
	{ "A&M", CAT_OK, "provider:acme", CAT_MATCH_GENERIC, NULL, NULL, NULL, ANY, NULL, "acme",
	  0, 8 },
	{ "zp", CAT_OK, "provider:zeta", CAT_MATCH_GENERIC, NULL, NULL, "zeta.sig",
	  CAT_MATCH_PROVIDER, NULL, "zeta", 0, 2 },
	/* keys */
	{ "reason:user_unknown", CAT_OK, "reason:user_unknown", CAT_MATCH_GENERIC, NULL, NULL,
	  NULL, ANY, NULL, NULL, 0, 0 },
	{ "zeta.no_user", CAT_OK, "zeta.no_user", CAT_MATCH_PROVIDER, "550 5.1.1", "hard", NULL,
	  ANY, NULL, "zeta", 0, 1 },
	{ "class:5", CAT_OK, "class:5", CAT_MATCH_GENERIC, NULL, "hard", NULL, ANY, NULL, NULL, 0,
	  0 },
	{ "5xx", CAT_OK, "class:5", CAT_MATCH_GENERIC, NULL, "hard", NULL, ANY, NULL, NULL, 0, 0 },
	{ "X.7", CAT_OK, "X.7", CAT_MATCH_GENERIC, NULL, NULL, NULL, ANY, NULL, NULL, 0, 0 },
	/* nothing */
	{ "nonsense words", CAT_NOTFOUND, NULL, ANY, NULL, NULL, NULL, ANY, NULL, NULL, 0, 0 },
	{ "999", CAT_NOTFOUND, NULL, ANY, NULL, NULL, NULL, ANY, NULL, NULL, 0, 0 },
	{ "6.1.1", CAT_NOTFOUND, NULL, ANY, NULL, NULL, NULL, ANY, NULL, NULL, 0, 0 },
	{ "ZZ999999", CAT_NOTFOUND, NULL, ANY, NULL, NULL, NULL, ANY, NULL, NULL, 0, 0 },
};
/* Cases that need a closer look than the table gives. */
static void
test_lookup_special(void)
{
	struct cat_result *res = NULL;
	struct cat_error err;
	size_t i, at;
	const struct cat_entry *e;
	char *big;

	CHECK_CASE("lookup NULL arguments");
	CHECK_INT_EQ(cat_lookup(cat, NULL, &res, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_lookup(cat, "550", NULL, &err), CAT_EUSAGE);

	/* 5.7.620: no registry code; the subject X.7 seen in class 5, then the range */
	CHECK_CASE("5.7.620 in a range");
	if (CHECK_INT_EQ(cat_lookup(cat, "5.7.620", &res, &err), CAT_OK) && CHECK(res->n >= 2)) {
		CHECK_INT_EQ(res->entries[0].kind, CAT_KIND_SUBJECT);
		CHECK_INT_EQ(res->entries[0].cls, 5);
		CHECK_INT_EQ(res->entries[0].subject, 7);
		e = find_key(res, "acme.listed_ip", &at);
		if (CHECK(e != NULL)) {
			CHECK_INT_EQ(e->subject, 7);
			CHECK_INT_EQ(e->detail_lo, 600);
			CHECK_INT_EQ(e->detail_hi, 649);
			CHECK_STR_EQ(e->provider, "acme");
			CHECK_INT_EQ(res->match[at], CAT_MATCH_PROVIDER);
		}
		/* the registry has no X.7.620, so nothing claims to be it */
		CHECK(find_key(res, "X.7.620", NULL) == NULL);
	}
	cat_result_free(res);
	res = NULL;
	/* just outside the range, on either side: not the range entry */
	for (i = 0; i < 2; i++) {
		const char *q = i ? "5.7.650" : "5.7.599";

		CHECK_CASE("%s outside the range", q);
		if (cat_lookup(cat, q, &res, &err) == CAT_OK)
			CHECK(find_key(res, "acme.listed_ip", NULL) == NULL);
		else
			CHECK(res != NULL && res->n == 0);
		cat_result_free(res);
		res = NULL;
	}

	/* a tag of a <bitflags> family, decoded digit by digit from the right */
	CHECK_CASE("AX0101 decoded");
	if (CHECK_INT_EQ(cat_lookup(cat, "AX0101", &res, &err), CAT_OK) && CHECK(res->n >= 1)) {
		e = &res->entries[0];
		CHECK_INT_EQ(e->kind, CAT_KIND_DECODED);
		CHECK_INT_EQ(res->match[0], CAT_MATCH_PROVIDER);
		CHECK_STR_EQ(e->key, "AX0101");
		CHECK_STR_EQ(e->provider, "acme");
		CHECK_INT_EQ(e->id, 0);
		CHECK(e->title && strstr(e->title, "Redlist") != NULL);
		CHECK(e->title && strstr(e->title, "Bluelist") != NULL);
		CHECK(e->title && strstr(e->title, "Greylist") == NULL);
		CHECK_INT_EQ(e->reply, 554);
		CHECK_STR_EQ(cat_class_severity(e->severity), "hard");
		CHECK(e->n_notes >= 2);
	}
	cat_result_free(res);
	res = NULL;
	CHECK_CASE("ax0101 lower case");
	if (CHECK_INT_EQ(cat_lookup(cat, "ax0101", &res, &err), CAT_OK) && CHECK(res->n >= 1))
		CHECK_STR_EQ(res->entries[0].key, "AX0101");
	cat_result_free(res);
	res = NULL;
	/* 2 is not a bit: no decoded entry */
	CHECK_CASE("AX0201");
	if (cat_lookup(cat, "AX0201", &res, &err) == CAT_OK)
		for (i = 0; i < res->n; i++)
			CHECK(res->entries[i].kind != CAT_KIND_DECODED);
	cat_result_free(res);
	res = NULL;
	CHECK_CASE("AX01 (too short)");
	if (cat_lookup(cat, "AX01", &res, &err) == CAT_OK)
		for (i = 0; i < res->n; i++)
			CHECK(res->entries[i].kind != CAT_KIND_DECODED);
	cat_result_free(res);
	res = NULL;

	/* zeta 5.7.26: Zeta's own meaning differs from the registry's */
	CHECK_CASE("zeta 5.7.26 differs");
	if (CHECK_INT_EQ(cat_lookup(cat, "zeta 5.7.26", &res, &err), CAT_OK)) {
		e = find_key(res, "zeta.sig", NULL);
		if (CHECK(e != NULL)) {
			CHECK(e->differs);
			CHECK_STR_EQ(e->registry_key, "X.7.26");
			CHECK_STR_EQ(e->registry_title, "Engine several checks failed");
		}
		for (i = 0; i < res->n; i++)
			if (res->entries[i].kind == CAT_KIND_ENTRY)
				CHECK_STR_EQ(res->entries[i].provider, "zeta");
	}
	cat_result_free(res);
	res = NULL;
	/* acme 5.7.26: the same code in the registry's meaning */
	CHECK_CASE("acme 5.7.26 does not differ");
	if (CHECK_INT_EQ(cat_lookup(cat, "acme 5.7.26", &res, &err), CAT_OK)) {
		e = find_key(res, "acme.auth", NULL);
		if (CHECK(e != NULL))
			CHECK(!e->differs);
		CHECK(find_key(res, "zeta.sig", NULL) == NULL);
	}
	cat_result_free(res);
	res = NULL;

	/* X.1.1 with class 0: no class, no severity; with class 5 both */
	CHECK_CASE("X.1.1 class");
	if (CHECK_INT_EQ(cat_lookup(cat, "X.1.1", &res, &err), CAT_OK)) {
		CHECK_INT_EQ(res->entries[0].cls, 0);
		CHECK_INT_EQ(res->entries[0].kind, CAT_KIND_ENHANCED);
	}
	cat_result_free(res);
	res = NULL;
	if (CHECK_INT_EQ(cat_lookup(cat, "5.1.1", &res, &err), CAT_OK)) {
		CHECK_INT_EQ(res->entries[0].cls, 5);
		CHECK_INT_EQ(res->entries[0].subject, 1);
		CHECK_INT_EQ(res->entries[0].detail_lo, 1);
		/* every provider entry of 5.1.1 is in class 5 */
		for (i = 1; i < res->n; i++)
			if (res->entries[i].kind == CAT_KIND_ENTRY)
				CHECK_STR_EQ(cat_class_severity(res->entries[i].severity), "hard");
	}
	cat_result_free(res);
	res = NULL;

	/* a huge query: no crash, no error other than found/not found */
	CHECK_CASE("huge query");
	big = malloc(200001);
	if (CHECK(big != NULL)) {
		for (i = 0; i < 200000; i += 4)
			memcpy(big + i, "550 ", 4);
		big[200000] = '\0';
		if (CHECK_INT_EQ(cat_lookup(cat, big, &res, &err), CAT_OK))
			CHECK_STR_EQ(res->entries[0].key, "550");
		cat_result_free(res);
		res = NULL;
		memset(big, 'A', 200000);
		CHECK(cat_lookup(cat, big, &res, &err) == CAT_NOTFOUND);
		cat_result_free(res);
		res = NULL;
		free(big);
	}
	/* many different tokens, more than any fixed table holds */
	{
		char q[4096] = "";

		for (i = 0; i < 100; i++) {
			char t[32];

			snprintf(t, sizeof(t), "%zu.%zu.%zu %zu ", 2 + i % 4, i % 8, i % 30, 400 + i);
			strcat(q, t);
		}
		CHECK(cat_lookup(cat, q, &res, &err) == CAT_OK);
		if (res)
			check_result_shape(res);
		cat_result_free(res);
		res = NULL;
	}
	/* bytes that are not text */
	CHECK_CASE("binary query");
	CHECK(cat_lookup(cat, "\xff\xfe\x01\x1b[31m", &res, &err) == CAT_NOTFOUND);
	cat_result_free(res);
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ search */

static int
is_word_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c >= 0x80;
}

/* some word of s starts with prefix (ASCII case-insensitive) */
static int
has_prefix_word(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p;

	if (!s)
		return 0;
	for (p = s; *p; p++)
		if ((p == s || !is_word_char((unsigned char)p[-1])) && strncasecmp(p, prefix, n) == 0)
			return 1;
	return 0;
}

/* the indexed text of an entry (code, title, tag, texts, meaning, causes, fix, extra)
 * plus the words of its reason id ("mailbox_full" is "mailbox" and "full") */
static int
entry_has_word(const struct cat_entry *e, const char *w)
{
	size_t i;

	if (has_prefix_word(e->code, w) || has_prefix_word(e->title, w) ||
	    has_prefix_word(e->tag, w) || has_prefix_word(e->meaning, w) ||
	    has_prefix_word(e->causes, w) || has_prefix_word(e->fix, w) ||
	    has_prefix_word(e->extra, w) || has_prefix_word(e->reason, w))
		return 1;
	for (i = 0; i < e->n_texts; i++)
		if (has_prefix_word(e->texts[i], w))
			return 1;
	return 0;
}

static void
test_search(void)
{
	struct cat_result *res = NULL, *full = NULL;
	struct cat_error err;
	char keys[512];
	size_t i, total = 0;
	const struct cat_entry *e;

	CHECK_CASE("search mailbox full");
	if (CHECK_INT_EQ(cat_search(cat, "mailbox full", 0, &res, &err), CAT_OK) &&
	    CHECK(res->n > 0)) {
		e = &res->entries[0];
		/* the first hit: a registry code whose title is the words (titles weigh
		 * most, registry codes before provider entries) */
		if (!CHECK_STR_EQ(e->key, "X.2.2"))
			dump(res);
		CHECK(has_prefix_word(e->title, "mailbox") && has_prefix_word(e->title, "full"));
		/* then the reply code that means it, the provider entry whose text has
		 * the words and the reason whose id has them, in that order */
		CHECK_STR_EQ(keys_of(res, keys, sizeof(keys)), "X.2.2 452 acme.full reason:mailbox_full");
		for (i = 0; i < res->n; i++) {
			CHECK_CASE("search mailbox full: hit %zu %s", i, res->entries[i].key);
			CHECK_INT_EQ(res->match[i], CAT_MATCH_OTHER);
			if (!CHECK_INT_EQ(cat_get(cat, res->entries[i].key, 0, &full, &err), CAT_OK))
				continue;
			CHECK(entry_has_word(&full->entries[0], "mailbox"));
			CHECK(entry_has_word(&full->entries[0], "full"));
			cat_result_free(full);
			full = NULL;
		}
		total = res->n + res->truncated;
	}
	cat_result_free(res);
	res = NULL;

	/* the same words in another order and case */
	CHECK_CASE("search FULL Mailbox");
	if (CHECK_INT_EQ(cat_search(cat, "FULL Mailbox", 0, &res, &err), CAT_OK))
		CHECK_INT_EQ(res->n + res->truncated, total);
	cat_result_free(res);
	res = NULL;

	/* the limit cuts, truncated counts the rest */
	CHECK_CASE("search limit");
	if (CHECK_INT_EQ(cat_search(cat, "mailbox full", 3, &res, &err), CAT_OK)) {
		CHECK_INT_EQ(res->n, total < 3 ? total : 3);
		CHECK_INT_EQ(res->n + res->truncated, total);
	}
	cat_result_free(res);
	res = NULL;

	CHECK_CASE("search empty");
	CHECK_INT_EQ(cat_search(cat, "", 0, &res, &err), CAT_EUSAGE);
	CHECK(res == NULL);
	CHECK_INT_EQ(cat_search(cat, " ,;\"*()", 0, &res, &err), CAT_EUSAGE);
	CHECK(res == NULL);
	CHECK_INT_EQ(cat_search(cat, NULL, 0, &res, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_search(cat, "x", 0, NULL, &err), CAT_EUSAGE);

	CHECK_CASE("search zzzzqqq");
	CHECK_INT_EQ(cat_search(cat, "zzzzqqq", 0, &res, &err), CAT_NOTFOUND);
	CHECK(res != NULL && res->n == 0 && res->truncated == 0);
	cat_result_free(res);
	res = NULL;
	CHECK_INT_EQ(cat_search(cat, "mailbox zzzzqqq", 0, &res, &err), CAT_NOTFOUND);
	cat_result_free(res);
	res = NULL;

	/* FTS5 syntax in the words is text, never an error */
	{
		static const char *const odd[] = {
			"mailbox\" OR \"x", "NEAR(mailbox full)", "code:550", "^full", "mail*",
			"-full", "AND", "OR mailbox", "NOT", "{code}:550", "mailbox + full",
			"\xff\xfe", "5.7.26", "550 5.7.26", "x.", ".x", "a.b.c.d.e",
		};

		for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
			enum cat_status st;

			CHECK_CASE("search odd[%zu] \"%s\"", i, odd[i]);
			st = cat_search(cat, odd[i], 0, &res, &err);
			if (!CHECK(st == CAT_OK || st == CAT_NOTFOUND))
				fprintf(stderr, "\tstatus %d: %s\n", (int)st, err.msg);
			cat_result_free(res);
			res = NULL;
		}
	}
	/* a provider entry is found by the digits of its code */
	CHECK_CASE("search 5.7.26");
	if (CHECK_INT_EQ(cat_search(cat, "5.7.26", 0, &res, &err), CAT_OK)) {
		CHECK(find_key(res, "acme.auth", NULL) != NULL);
		CHECK(find_key(res, "zeta.sig", NULL) != NULL);
	}
	cat_result_free(res);
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ list */

static int
class_of_code(const struct cat_entry *e, int cls)
{
	char d = (char)('0' + cls);
	char sp[4] = { ' ', d, '.', '\0' };

	if (!e->code)
		return 0;
	return e->code[0] == d || strstr(e->code, sp) != NULL;
}

static void
test_list(void)
{
	struct cat_filter f;
	struct cat_result *res = NULL, *res2 = NULL;
	struct cat_error err;
	size_t i, n, total = 0;
	int k;

	/* no filter: everything there is */
	CHECK_CASE("list all");
	for (k = 0; k < CAT_KIND_COUNT; k++)
		if (CHECK_INT_EQ(cat_count(cat, (enum cat_kind)k, &n, &err), CAT_OK))
			total += n;
	memset(&f, 0, sizeof(f));
	if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK))
		CHECK_INT_EQ(res->n, total);
	cat_result_free(res);
	res = NULL;

	/* a page of a list is that part of the whole list, in its order */
	CHECK_CASE("list a page");
	memset(&f, 0, sizeof(f));
	f.kind_set = 1;
	f.kind = CAT_KIND_ENTRY;
	/* as many as the fixture's provider entries (at least 8 for the pages) */
	if (CHECK_INT_EQ(cat_count(cat, CAT_KIND_ENTRY, &n, &err), CAT_OK) && CHECK(n >= 8) &&
	    CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK) && CHECK_INT_EQ(res->n, n)) {
		struct cat_result *page = NULL;

		f.limit = 3;
		f.offset = 4;
		if (CHECK_INT_EQ(cat_list(cat, &f, &page, &err), CAT_OK) && CHECK_INT_EQ(page->n, 3))
			for (i = 0; i < 3; i++)
				CHECK_STR_EQ(page->entries[i].key, res->entries[4 + i].key);
		cat_result_free(page);
		page = NULL;
		f.offset = n - 1;
		if (CHECK_INT_EQ(cat_list(cat, &f, &page, &err), CAT_OK))
			CHECK_INT_EQ(page->n, 1);
		cat_result_free(page);
		page = NULL;
		f.offset = n;
		CHECK_INT_EQ(cat_list(cat, &f, &page, &err), CAT_NOTFOUND);
		cat_result_free(page);
	}
	cat_result_free(res);
	res = NULL;

	/* what the fixture holds, kind by kind; decoded tags are made on demand */
	{
		static const struct {
			enum cat_kind kind;
			size_t n;
		} counts[] = {
			{ CAT_KIND_REPLY, 6 },	  { CAT_KIND_ENHANCED, 6 }, { CAT_KIND_CLASS, 4 },
			{ CAT_KIND_SUBJECT, 4 },  { CAT_KIND_PROVIDER, 2 }, { CAT_KIND_ENTRY, 12 },
			{ CAT_KIND_REASON, 3 },	  { CAT_KIND_IMPACT, 3 },   { CAT_KIND_THRESHOLD, 1 },
			{ CAT_KIND_PRACTICE, 1 }, { CAT_KIND_DECODED, 0 },
		};

		for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
			CHECK_CASE("cat_count %s", cat_kind_name(counts[i].kind));
			if (CHECK_INT_EQ(cat_count(cat, counts[i].kind, &n, &err), CAT_OK))
				CHECK_INT_EQ(n, counts[i].n);
		}
	}

	/* class 4 */
	CHECK_CASE("list class 4");
	memset(&f, 0, sizeof(f));
	f.cls = 4;
	if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK) && CHECK(res->n > 0)) {
		for (i = 0; i < res->n; i++) {
			const struct cat_entry *e = &res->entries[i];

			CHECK_CASE("list class 4: %s", e->key);
			CHECK_INT_EQ(res->match[i], CAT_MATCH_OTHER);
			switch (e->kind) {
			case CAT_KIND_SUBJECT:
				break;
			case CAT_KIND_ENHANCED:
				CHECK_INT_EQ(e->cls, 4);
				CHECK(e->code && e->code[0] == '4');
				CHECK_STR_EQ(cat_class_severity(e->severity), "soft");
				break;
			case CAT_KIND_REPLY:
			case CAT_KIND_CLASS:
				CHECK_INT_EQ(e->cls, 4);
				CHECK_STR_EQ(cat_class_severity(e->severity), "soft");
				break;
			case CAT_KIND_ENTRY:
				CHECK(e->reply / 100 == 4 || class_of_code(e, 4));
				break;
			default:
				CHECK(!"unexpected kind in a class list");
			}
		}
		CHECK(find_key(res, "421", NULL) != NULL);
		CHECK(find_key(res, "550", NULL) == NULL);
		CHECK(find_key(res, "class:4", NULL) != NULL);
		CHECK(find_key(res, "class:5", NULL) == NULL);
	}
	cat_result_free(res);
	res = NULL;

	/* subject 2 */
	CHECK_CASE("list subject 2");
	memset(&f, 0, sizeof(f));
	f.subject = 2;
	f.subject_set = 1;
	if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK) && CHECK(res->n > 0)) {
		for (i = 0; i < res->n; i++)
			CHECK_INT_EQ(res->entries[i].subject, 2);
		CHECK(find_key(res, "X.2.2", NULL) != NULL);
		CHECK(find_key(res, "X.2", NULL) != NULL);
	}
	cat_result_free(res);
	res = NULL;
	/* subject 0 is a filter too (not "unset") */
	CHECK_CASE("list subject 0");
	f.subject = 0;
	if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK))
		for (i = 0; i < res->n; i++)
			CHECK_INT_EQ(res->entries[i].subject, 0);
	cat_result_free(res);
	res = NULL;

	/* enhanced codes in catalog order */
	CHECK_CASE("list kind enhanced");
	memset(&f, 0, sizeof(f));
	f.kind_set = 1;
	f.kind = CAT_KIND_ENHANCED;
	if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK) && CHECK_INT_EQ(res->n, 6)) {
		CHECK_STR_EQ(res->entries[0].key, "X.0.0");
		for (i = 1; i < res->n; i++) {
			const struct cat_entry *a = &res->entries[i - 1], *b = &res->entries[i];

			CHECK_INT_EQ(b->kind, CAT_KIND_ENHANCED);
			CHECK(a->subject < b->subject ||
			      (a->subject == b->subject && a->detail_lo < b->detail_lo));
		}
	}
	cat_result_free(res);
	res = NULL;
	CHECK_CASE("list kind reply");
	f.kind = CAT_KIND_REPLY;
	if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK) && CHECK_INT_EQ(res->n, 6))
		for (i = 1; i < res->n; i++)
			CHECK(res->entries[i - 1].reply < res->entries[i].reply);
	cat_result_free(res);
	res = NULL;
	{
		static const struct {
			enum cat_kind kind;
			size_t min;
		} kinds[] = { { CAT_KIND_IMPACT, 3 }, { CAT_KIND_THRESHOLD, 1 },
			      { CAT_KIND_PRACTICE, 1 }, { CAT_KIND_REASON, 3 } };

		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
			CHECK_CASE("list kind %s", cat_kind_name(kinds[i].kind));
			f.kind = kinds[i].kind;
			if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK))
				CHECK_INT_EQ(res->n, kinds[i].min);
			cat_result_free(res);
			res = NULL;
		}
	}

	/* a provider by id and by alias, any case */
	CHECK_CASE("list provider acme");
	memset(&f, 0, sizeof(f));
	f.provider = "acme";
	if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK) && CHECK_INT_EQ(res->n, 9)) {
		for (i = 0; i < res->n; i++)
			CHECK_STR_EQ(res->entries[i].provider, "acme");
		CHECK(find_key(res, "provider:acme", NULL) != NULL);
		CHECK(find_key(res, "acme.no_user", NULL) != NULL);
	}
	CHECK_CASE("list provider ACMEMAIL");
	f.provider = "ACMEMAIL";
	if (CHECK_INT_EQ(cat_list(cat, &f, &res2, &err), CAT_OK) && res) {
		CHECK_INT_EQ(res2->n, res->n);
		for (i = 0; i < res2->n && i < res->n; i++)
			CHECK_STR_EQ(res2->entries[i].key, res->entries[i].key);
	}
	cat_result_free(res);
	cat_result_free(res2);
	res = res2 = NULL;
	CHECK_CASE("list provider + class");
	f.provider = "acme";
	f.cls = 4;
	if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK) && CHECK(res->n > 0)) {
		CHECK(find_key(res, "acme.full", NULL) != NULL);
		CHECK(find_key(res, "acme.slow_down", NULL) != NULL);
		CHECK(find_key(res, "acme.no_user", NULL) == NULL);
		for (i = 0; i < res->n; i++) {
			CHECK_STR_EQ(res->entries[i].provider, "acme");
			if (res->entries[i].kind == CAT_KIND_ENTRY)
				CHECK(res->entries[i].reply / 100 == 4 ||
				      class_of_code(&res->entries[i], 4));
		}
	}
	cat_result_free(res);
	res = NULL;

	/* a reason */
	CHECK_CASE("list reason user_unknown");
	memset(&f, 0, sizeof(f));
	f.reason = "user_unknown";
	if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK) && CHECK(res->n > 0)) {
		for (i = 0; i < res->n; i++)
			CHECK_STR_EQ(res->entries[i].reason, "user_unknown");
		CHECK(find_key(res, "550", NULL) != NULL);
		CHECK(find_key(res, "acme.no_user", NULL) != NULL);
		CHECK(find_key(res, "zeta.no_user", NULL) != NULL);
		CHECK(find_key(res, "acme.full", NULL) == NULL);
	}
	cat_result_free(res);
	res = NULL;

	/* unknown names are usage errors, not empty lists */
	CHECK_CASE("list unknown provider");
	memset(&f, 0, sizeof(f));
	f.provider = "nosuchprovider";
	CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_EUSAGE);
	CHECK(res == NULL);
	CHECK(strstr(err.msg, "nosuchprovider") != NULL);
	CHECK_CASE("list unknown reason");
	memset(&f, 0, sizeof(f));
	f.reason = "nosuchreason";
	CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_EUSAGE);
	CHECK(res == NULL);
	CHECK(strstr(err.msg, "nosuchreason") != NULL);
	CHECK_CASE("list unknown impact");
	memset(&f, 0, sizeof(f));
	f.impact = "nosuchimpact";
	CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_EUSAGE);
	CHECK(res == NULL);
	/* a reason id that is a key of another kind is still unknown */
	f.impact = NULL;
	f.reason = "bad_address";
	CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_EUSAGE);
	CHECK(res == NULL);
	f.reason = "";
	CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_EUSAGE);
	cat_result_free(res);
	res = NULL;

	/* filters that exclude each other: nothing found */
	CHECK_CASE("list empty intersection");
	memset(&f, 0, sizeof(f));
	f.kind_set = 1;
	f.kind = CAT_KIND_REPLY;
	f.provider = "acme";
	CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_NOTFOUND);
	CHECK(res != NULL && res->n == 0);
	cat_result_free(res);
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ get */

static void
test_get(void)
{
	struct cat_result *res = NULL, *res5 = NULL;
	struct cat_error err;
	const struct cat_entry *e;
	size_t i;

	CHECK_CASE("get X.2.2 in class 4");
	if (CHECK_INT_EQ(cat_get(cat, "X.2.2", 4, &res, &err), CAT_OK) && CHECK_INT_EQ(res->n, 1)) {
		e = &res->entries[0];
		CHECK_STR_EQ(e->key, "X.2.2");
		CHECK_STR_EQ(e->code, "4.2.2");
		CHECK_INT_EQ(e->cls, 4);
		CHECK_STR_EQ(cat_class_severity(e->severity), "soft");
		CHECK(e->class_meaning != NULL);
		CHECK_STR_EQ(e->class_meaning, "4.2.2 here means try again later.");
		CHECK_INT_EQ(e->n_notes, 2);
		/* its <see> links in order, then the ones the engine adds: its subject
		 * and the provider entries with the code */
		CHECK_INT_EQ(e->n_links, 5);
		for (i = 0; i < e->n_links; i++) {
			CHECK(e->links[i].key != NULL);
			CHECK(e->links[i].code != NULL);
			CHECK(e->links[i].title != NULL);
			CHECK(strcmp(e->links[i].key, "X.2.2") != 0);
		}
		if (e->n_links == 5) {
			CHECK_STR_EQ(e->links[0].key, "452");
			CHECK_STR_EQ(e->links[1].key, "reason:mailbox_full");
			CHECK_STR_EQ(e->links[2].key, "impact:quota_hit");
			CHECK_INT_EQ(e->links[2].kind, CAT_KIND_IMPACT);
			CHECK_STR_EQ(e->links[3].key, "X.2");
			CHECK_STR_EQ(e->links[4].key, "acme.full");
		}
		CHECK_STR_EQ(e->meaning, "Engine X.2.2: the box holds no more.");
		CHECK_STR_EQ(e->rfc, "RFC 3463");
	}
	CHECK_CASE("get X.2.2 in class 5");
	if (CHECK_INT_EQ(cat_get(cat, "X.2.2", 5, &res5, &err), CAT_OK)) {
		CHECK_STR_EQ(res5->entries[0].code, "5.2.2");
		CHECK_STR_EQ(cat_class_severity(res5->entries[0].severity), "hard");
		CHECK_STR_EQ(res5->entries[0].class_meaning, "5.2.2 here means the server gave up.");
		if (res->n && res5->entries[0].class_meaning && res->entries[0].class_meaning)
			CHECK(strcmp(res5->entries[0].class_meaning, res->entries[0].class_meaning) != 0);
	}
	cat_result_free(res);
	cat_result_free(res5);
	res = res5 = NULL;
	CHECK_CASE("get X.2.2 in no class");
	if (CHECK_INT_EQ(cat_get(cat, "X.2.2", 0, &res, &err), CAT_OK)) {
		CHECK_STR_EQ(res->entries[0].code, "X.2.2");
		CHECK(res->entries[0].class_meaning == NULL);
		CHECK(res->entries[0].severity == CAT_CLASS_NONE);
	}
	cat_result_free(res);
	res = NULL;

	CHECK_CASE("get acme.no_user");
	if (CHECK_INT_EQ(cat_get(cat, "acme.no_user", 0, &res, &err), CAT_OK)) {
		e = &res->entries[0];
		CHECK_INT_EQ(e->kind, CAT_KIND_ENTRY);
		CHECK_STR_EQ(e->provider, "acme");
		CHECK_STR_EQ(e->provider_name, "Acme Mail");
		CHECK_STR_EQ(e->tag, "AC01");
		CHECK_INT_EQ(e->reply, 550);
		CHECK_INT_EQ(e->cls, 5);
		CHECK_STR_EQ(cat_class_severity(e->severity), "hard");
		CHECK_STR_EQ(e->registry_key, "X.1.1");
		if (CHECK_INT_EQ(e->n_texts, 2)) {
			CHECK_STR_EQ(e->texts[0], "550 5.1.1 [AC01] nobody here by that name");
			CHECK_STR_EQ(e->texts[1], "550 5.1.1 no such recipient");
		}
		if (CHECK_INT_EQ(e->n_sources, 1)) {
			CHECK_STR_EQ(e->sources[0].title, "Acme code page");
			CHECK_STR_EQ(e->sources[0].href, "https://acme.example/codes#AC01");
		}
		/* its <see> links, then its reply code, subject, class and provider */
		if (CHECK_INT_EQ(e->n_links, 6)) {
			CHECK_STR_EQ(e->links[0].key, "X.1.1");
			CHECK_STR_EQ(e->links[0].code, "X.1.1");
			CHECK_STR_EQ(e->links[1].key, "reason:user_unknown");
			CHECK_STR_EQ(e->links[2].key, "550");
			CHECK_STR_EQ(e->links[3].key, "X.1");
			CHECK_STR_EQ(e->links[4].key, "class:5");
			CHECK_STR_EQ(e->links[5].key, "provider:acme");
		}
		CHECK_STR_EQ(e->origin, FIXTURE);
		CHECK_INT_EQ(e->line, 129);
	}
	cat_result_free(res);
	res = NULL;

	CHECK_CASE("get decoded tag");
	if (CHECK_INT_EQ(cat_get(cat, "AX0101", 0, &res, &err), CAT_OK)) {
		CHECK_INT_EQ(res->n, 1);
		CHECK_INT_EQ(res->entries[0].kind, CAT_KIND_DECODED);
	}
	cat_result_free(res);
	res = NULL;

	CHECK_CASE("get unknown");
	CHECK_INT_EQ(cat_get(cat, "X.9.99", 0, &res, &err), CAT_NOTFOUND);
	CHECK(res == NULL);
	CHECK_INT_EQ(cat_get(cat, "5.1.1", 0, &res, &err), CAT_NOTFOUND); /* a code, not a key */
	CHECK(res == NULL);

	/* every link of every entry leads to an entry that exists; every
	 * provider entry names a source */
	check_links_resolve(cat);
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ JSON */

/* A strict RFC 8259 validator: returns the end of the value or NULL. */
static const char *json_value(const char *p, int depth);

static const char *
json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *
json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (;;) {
		unsigned char c = (unsigned char)*p;

		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return NULL; /* raw control character, or the end */
		if (c == '\\') {
			p++;
			if (*p == 'u') {
				int i;

				for (i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
						return NULL;
				p += 5;
			} else if (*p && strchr("\"\\/bfnrt", *p)) {
				p++;
			} else {
				return NULL;
			}
		} else if (c < 0x80) {
			p++;
		} else {
			/* well-formed UTF-8 */
			int len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
			int i;

			if (!len || (c >= 0xf5))
				return NULL;
			for (i = 1; i < len; i++)
				if (((unsigned char)p[i] & 0xc0) != 0x80)
					return NULL;
			p += len;
		}
	}
}

static const char *
json_number(const char *p)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return NULL;
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return p;
}

static const char *
json_value(const char *p, int depth)
{
	if (depth > 64)
		return NULL;
	p = json_ws(p);
	switch (*p) {
	case '{':
		p = json_ws(p + 1);
		if (*p == '}')
			return p + 1;
		for (;;) {
			p = json_string(json_ws(p));
			if (!p)
				return NULL;
			p = json_ws(p);
			if (*p++ != ':')
				return NULL;
			p = json_value(p, depth + 1);
			if (!p)
				return NULL;
			p = json_ws(p);
			if (*p == '}')
				return p + 1;
			if (*p++ != ',')
				return NULL;
		}
	case '[':
		p = json_ws(p + 1);
		if (*p == ']')
			return p + 1;
		for (;;) {
			p = json_value(p, depth + 1);
			if (!p)
				return NULL;
			p = json_ws(p);
			if (*p == ']')
				return p + 1;
			if (*p++ != ',')
				return NULL;
		}
	case '"':
		return json_string(p);
	case 't':
		return strncmp(p, "true", 4) == 0 ? p + 4 : NULL;
	case 'f':
		return strncmp(p, "false", 5) == 0 ? p + 5 : NULL;
	case 'n':
		return strncmp(p, "null", 4) == 0 ? p + 4 : NULL;
	default:
		return json_number(p);
	}
}

static int
json_ok(const char *s)
{
	const char *end = s ? json_value(s, 0) : NULL;

	return end && *json_ws(end) == '\0';
}

/* SQLite: json_valid() and a path lookup as text ("" when NULL) */
static sqlite3 *jdb;

static char *
json_get(const char *json, const char *path)
{
	sqlite3_stmt *st = NULL;
	char *out = NULL;

	if (sqlite3_prepare_v2(jdb, "SELECT json_valid(?1), json_type(?1, ?2), json_extract(?1, ?2)",
			       -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1 &&
	    sqlite3_column_type(st, 1) != SQLITE_NULL) {
		const char *v = (const char *)sqlite3_column_text(st, 2);

		out = strdup(v ? v : "");
	}
	sqlite3_finalize(st);
	return out;
}

static void
check_json_path(const char *json, const char *path, const char *want)
{
	char *v = json_get(json, path);

	CHECK_CASE("json path %s", path);
	if (want)
		CHECK_STR_EQ(v, want);
	else
		CHECK(v != NULL);
	free(v);
}

static void
test_json(void)
{
	static const char *const entry_keys[] = {
		"key", "kind", "code", "title", "status", "provider", "severity", "reason",
		"meaning", "causes", "fix", "texts", "notes", "sources", "related", "origin", "line",
	};
	static const char *const queries[] = {
		"550 5.7.26", "5.1.1", "AX0101", "zeta 5.7.26", "acme", "AC04", "5.7.620",
	};
	struct cat_result *res = NULL;
	struct cat_filter f;
	struct cat_error err;
	char *json = NULL, path[128], num[32];
	size_t i, k;

	if (!CHECK(sqlite3_open(":memory:", &jdb) == SQLITE_OK))
		return;
	for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		CHECK_CASE("json \"%s\"", queries[i]);
		if (!CHECK_INT_EQ(cat_lookup(cat, queries[i], &res, &err), CAT_OK)) {
			cat_result_free(res);
			res = NULL;
			continue;
		}
		if (CHECK_INT_EQ(cat_result_json(cat, res, queries[i], &json, &err), CAT_OK)) {
			CHECK_CASE("json \"%s\"", queries[i]);
			CHECK(json_ok(json));
			check_json_path(json, "$.query", queries[i]);
			snprintf(num, sizeof(num), "%zu", res->n);
			check_json_path(json, "$.count", num);
			check_json_path(json, "$.truncated", "0");
			check_json_path(json, "$.catalogs[0]", FIXTURE);
			snprintf(path, sizeof(path), "$.results[%zu]", res->n - 1);
			check_json_path(json, path, NULL);
			snprintf(path, sizeof(path), "$.results[%zu]", res->n);
			{
				char *v = json_get(json, path);

				CHECK(v == NULL); /* exactly n results */
				free(v);
			}
			check_json_path(json, "$.results[0].key", res->entries[0].key);
			check_json_path(json, "$.results[0].title", res->entries[0].title);
			for (k = 0; k < sizeof(entry_keys) / sizeof(entry_keys[0]); k++) {
				char *v;
				sqlite3_stmt *st = NULL;

				/* the key is there (its value may be null) */
				snprintf(path, sizeof(path), "$.results[0].%s", entry_keys[k]);
				CHECK_CASE("json \"%s\" has %s", queries[i], entry_keys[k]);
				if (sqlite3_prepare_v2(jdb, "SELECT json_type(?1, ?2)", -1, &st, NULL) ==
				    SQLITE_OK) {
					sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
					sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
					CHECK(sqlite3_step(st) == SQLITE_ROW &&
					      sqlite3_column_type(st, 0) != SQLITE_NULL);
				}
				sqlite3_finalize(st);
				(void)v;
			}
		}
		cat_free(json);
		json = NULL;
		cat_result_free(res);
		res = NULL;
	}

	/* a full provider entry: its texts, sources and related links */
	CHECK_CASE("json of a provider entry");
	if (CHECK_INT_EQ(cat_get(cat, "acme.no_user", 0, &res, &err), CAT_OK) &&
	    CHECK_INT_EQ(cat_result_json(cat, res, "acme.no_user", &json, &err), CAT_OK)) {
		CHECK(json_ok(json));
		check_json_path(json, "$.results[0].provider", "acme");
		check_json_path(json, "$.results[0].reply_code", "550");
		check_json_path(json, "$.results[0].texts[0]", res->entries[0].texts[0]);
		check_json_path(json, "$.results[0].sources[0].title", res->entries[0].sources[0].title);
		check_json_path(json, "$.results[0].related[0].key", res->entries[0].links[0].key);
		check_json_path(json, "$.results[0].severity", "hard");
	}
	cat_free(json);
	json = NULL;
	cat_result_free(res);
	res = NULL;

	/* a query with quotes, backslashes, control bytes and non-ASCII text */
	{
		static const char q[] = "q\"u\\o\x01t\x1b[31m\te \xc3\xa9 \xe2\x80\xae end";
		static const char bad[] = "bad \xff\xfe utf-8";

		CHECK_CASE("json odd query");
		cat_lookup(cat, q, &res, &err);
		if (CHECK(res != NULL) &&
		    CHECK_INT_EQ(cat_result_json(cat, res, q, &json, &err), CAT_OK)) {
			CHECK(json_ok(json));
			check_json_path(json, "$.query", q);
			check_json_path(json, "$.count", "0");
		}
		cat_free(json);
		json = NULL;
		/* invalid UTF-8 in the query must still give valid JSON */
		CHECK_CASE("json invalid UTF-8 query");
		if (res && CHECK_INT_EQ(cat_result_json(cat, res, bad, &json, &err), CAT_OK))
			if (!CHECK(json_ok(json)))
				fprintf(stderr, "\tjson: %s\n", json);
		cat_free(json);
		json = NULL;
		CHECK_CASE("json NULL query");
		if (res && CHECK_INT_EQ(cat_result_json(cat, res, NULL, &json, &err), CAT_OK))
			CHECK(json_ok(json));
		cat_free(json);
		json = NULL;
		cat_result_free(res);
		res = NULL;
	}

	/* a list and a search: entries are fetched in full */
	CHECK_CASE("json of a list");
	memset(&f, 0, sizeof(f));
	f.provider = "acme";
	if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK) &&
	    CHECK_INT_EQ(cat_result_json(cat, res, "list", &json, &err), CAT_OK)) {
		CHECK(json_ok(json));
		check_json_path(json, "$.results[1].sources[0].title", NULL);
	}
	cat_free(json);
	json = NULL;
	cat_result_free(res);
	res = NULL;
	CHECK_CASE("json of a search");
	if (CHECK_INT_EQ(cat_search(cat, "mailbox full", 2, &res, &err), CAT_OK) &&
	    CHECK(res->truncated > 0) &&
	    CHECK_INT_EQ(cat_result_json(cat, res, "mailbox full", &json, &err), CAT_OK)) {
		CHECK(json_ok(json));
		check_json_path(json, "$.count", "2");
		snprintf(num, sizeof(num), "%zu", res->truncated);
		check_json_path(json, "$.truncated", num);
	}
	cat_free(json);
	json = NULL;
	cat_result_free(res);
	res = NULL;
	/* the whole catalog at once */
	CHECK_CASE("json of everything");
	memset(&f, 0, sizeof(f));
	if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK) &&
	    CHECK_INT_EQ(cat_result_json(cat, res, "all", &json, &err), CAT_OK))
		CHECK(json_ok(json));
	cat_free(json);
	cat_result_free(res);

	/* the validator itself */
	CHECK_CASE("json validator");
	CHECK(json_ok("{\"a\":[1,-2.5e3,true,false,null,\"\\u00e9\\n\"]}"));
	CHECK(!json_ok("{\"a\":1,}"));
	CHECK(!json_ok("{\"a\":\"\x01\"}"));
	CHECK(!json_ok("[1] x"));
	CHECK(!json_ok("\"\xff\""));
	CHECK(!json_ok("01"));
	sqlite3_close(jdb);
	jdb = NULL;
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ export */

static size_t
dir_entries(const char *dir, char *names, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	if (names && size)
		names[0] = '\0';
	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		n++;
		if (names && strlen(names) + strlen(de->d_name) + 2 < size) {
			strcat(names, de->d_name);
			strcat(names, " ");
		}
	}
	closedir(d);
	return n;
}

static void
test_export(void)
{
	const char *tmp = getenv("TMPDIR");
	char dir[512], db[700], sub[700], path[800], names[1024], cmd[700];
	struct cat_error err;
	sqlite3 *x = NULL;
	sqlite3_stmt *st = NULL;
	size_t total = 0, n;
	int k;

	snprintf(dir, sizeof(dir), "%s/bounce-test-engine.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	for (k = 0; k < CAT_KIND_COUNT; k++)
		if (cat_count(cat, (enum cat_kind)k, &n, &err) == CAT_OK)
			total += n;

	CHECK_CASE("export");
	snprintf(db, sizeof(db), "%s/out.db", dir);
	if (CHECK_INT_EQ(cat_export_db(cat, db, &err), CAT_OK)) {
		CHECK(sqlite3_open_v2(db, &x, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
		if (CHECK(sqlite3_prepare_v2(x, "SELECT count(*) FROM entry", -1, &st, NULL) ==
			  SQLITE_OK) &&
		    CHECK(sqlite3_step(st) == SQLITE_ROW))
			CHECK_INT_EQ(sqlite3_column_int64(st, 0), (int64_t)total);
		sqlite3_finalize(st);
		st = NULL;
		if (CHECK(sqlite3_prepare_v2(x,
					     "SELECT title FROM entry WHERE key = 'X.1.1'"
					     " AND kind = 3",
					     -1, &st, NULL) == SQLITE_OK))
			CHECK(sqlite3_step(st) == SQLITE_ROW);
		sqlite3_finalize(st);
		st = NULL;
		if (CHECK(sqlite3_prepare_v2(x, "PRAGMA integrity_check", -1, &st, NULL) ==
			  SQLITE_OK) &&
		    CHECK(sqlite3_step(st) == SQLITE_ROW))
			CHECK_STR_EQ((const char *)sqlite3_column_text(st, 0), "ok");
		sqlite3_finalize(st);
		st = NULL;
		sqlite3_close(x);
		x = NULL;
	}
	/* again over the same file: replaced, nothing left beside it */
	CHECK_CASE("export over an existing file");
	CHECK_INT_EQ(cat_export_db(cat, db, &err), CAT_OK);
	if (!CHECK_INT_EQ(dir_entries(dir, names, sizeof(names)), 1))
		fprintf(stderr, "\tleft: %s\n", names);

	/* to a directory: refused, and no temporary file is left */
	CHECK_CASE("export to a directory");
	snprintf(sub, sizeof(sub), "%s/adir", dir);
	CHECK(mkdir(sub, 0700) == 0);
	memset(&err, 0, sizeof(err));
	if (CHECK(cat_export_db(cat, sub, &err) != CAT_OK)) {
		CHECK(err.msg[0] != '\0');
		CHECK(strstr(err.msg, "adir") != NULL);
	}
	if (!CHECK_INT_EQ(dir_entries(dir, names, sizeof(names)), 2))
		fprintf(stderr, "\tleft: %s\n", names);
	CHECK_INT_EQ(dir_entries(sub, NULL, 0), 0);
	snprintf(path, sizeof(path), "%s/", sub);
	CHECK(cat_export_db(cat, path, &err) != CAT_OK);
	if (!CHECK_INT_EQ(dir_entries(sub, names, sizeof(names)), 0))
		fprintf(stderr, "\tleft: %s\n", names);
	if (!CHECK_INT_EQ(dir_entries(dir, names, sizeof(names)), 2))
		fprintf(stderr, "\tleft: %s\n", names);
	{
		struct stat sb;

		CHECK(stat(sub, &sb) == 0 && S_ISDIR(sb.st_mode));
	}

	/* into a directory that does not exist */
	CHECK_CASE("export into a missing directory");
	snprintf(path, sizeof(path), "%s/missing/out.db", dir);
	CHECK_INT_EQ(cat_export_db(cat, path, &err), CAT_EIO);
	CHECK(strstr(err.msg, "missing") != NULL);
	CHECK_INT_EQ(cat_export_db(cat, "", &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_export_db(cat, NULL, &err), CAT_EUSAGE);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	CHECK_CASE("%s", "");
}

int
main(void)
{
	cat = open_fixture(FIXTURE);
	if (!cat)
		return check_done();
	CHECK_CASE("cat_provider_id");
	CHECK_STR_EQ(cat_provider_id(cat, "Acme Mail"), "acme");
	CHECK_STR_EQ(cat_provider_id(cat, "acme"), "acme");
	CHECK_STR_EQ(cat_provider_id(cat, "ZP"), "zeta");
	CHECK(cat_provider_id(cat, "nosuchprovider") == NULL);
	CHECK_CASE("%s", "");
	check_lookup_table(cat, lookups, sizeof(lookups) / sizeof(lookups[0]));
	test_lookup_special();
	test_search();
	test_list();
	test_get();
	test_json();
	test_export();
	cat_close(cat);
	return check_done();
}
