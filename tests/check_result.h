/*
 * check_result.h -- checks of engine results shared by the query tests
 * (test_engine.c, test_builtin.c, test_mechanics.c): finding and listing
 * keys, the invariants of every lookup result, a table of lookups, that
 * every link resolves, and opening a fixture catalog.  Include after check.h; public API only.
 */
#ifndef BOUNCE_TESTS_CHECK_RESULT_H
#define BOUNCE_TESTS_CHECK_RESULT_H

#include <stdio.h>
#include <string.h>

#include "bounce/catalog.h"
#include "check.h"

/* The entry with `key` in a result (and its index in *at), or NULL. */
static inline const struct cat_entry *
find_key(const struct cat_result *res, const char *key, size_t *at)
{
	size_t i;

	for (i = 0; res && i < res->n; i++)
		if (res->entries[i].key && strcmp(res->entries[i].key, key) == 0) {
			if (at)
				*at = i;
			return &res->entries[i];
		}
	return NULL;
}

/* The keys of a result, space separated, into buf (for messages and checks). */
static inline const char *
keys_of(const struct cat_result *res, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; res && i < res->n && len + 1 < size; i++) {
		snprintf(buf + len, size - len, "%s%s", i ? " " : "", res->entries[i].key);
		len = strlen(buf);
	}
	return buf;
}

/* The first entries of a result on stderr, when a check fails. */
static inline void
dump(const struct cat_result *res)
{
	size_t i;

	for (i = 0; res && i < res->n && i < 12; i++)
		fprintf(stderr, "\t[%zu] %s %s (%s) match=%d\n", i, res->entries[i].key,
			res->entries[i].code ? res->entries[i].code : "-",
			res->entries[i].provider ? res->entries[i].provider : "generic",
			(int)res->match[i]);
}

/* Invariants of every lookup result. */
static inline void
check_result_shape(const struct cat_result *res)
{
	size_t i, j;
	int seen_provider = 0;

	if (!CHECK(res != NULL))
		return;
	for (i = 0; i < res->n; i++) {
		const struct cat_entry *e = &res->entries[i];

		CHECK(e->title != NULL);
		CHECK(e->key != NULL);
		CHECK(e->code != NULL);
		/* generic meanings first, then provider entries */
		if (res->match[i] == CAT_MATCH_PROVIDER)
			seen_provider = 1;
		else if (!CHECK(!seen_provider || res->match[i] != CAT_MATCH_GENERIC))
			dump(res);
		/* a provider match is a provider entry or a decoded tag */
		if (res->match[i] == CAT_MATCH_PROVIDER)
			CHECK(e->kind == CAT_KIND_ENTRY || e->kind == CAT_KIND_DECODED);
		if (e->kind == CAT_KIND_ENTRY) {
			CHECK(e->provider != NULL);
			CHECK(e->provider_name != NULL);
		}
		/* no entry twice */
		for (j = 0; j < i; j++)
			if (e->key && res->entries[j].key)
				CHECK(strcmp(e->key, res->entries[j].key) != 0);
	}
}

enum { ANY = -1 };

struct lookup_case {
	const char *q;
	enum cat_status want;
	const char *first_key;  /* key of entries[0] */
	int first_match;        /* enum cat_match or ANY */
	const char *first_code; /* code of entries[0] */
	const char *first_sev;  /* severity of entries[0]; "" = NULL */
	const char *has_key;    /* an entry that must be present ... */
	int has_match;          /* ... matched like this (or ANY) */
	const char *has_code;   /* ... and shown with this code */
	const char *only_provider; /* every provider match has this provider */
	int reply_all;          /* every provider entry has this reply code */
	int min_provider;       /* at least this many provider matches */
};

/* Runs a table of lookups on `cat`, one case each. */
static inline void
check_lookup_table(struct catalog *cat, const struct lookup_case *cases, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct lookup_case *c = &cases[i];
		struct cat_result *res = NULL;
		struct cat_error err;
		enum cat_status st;
		size_t n_provider = 0;

		CHECK_CASE("lookups[%zu] \"%s\"", i, c->q);
		memset(&err, 0, sizeof(err));
		st = cat_lookup(cat, c->q, &res, &err);
		if (!CHECK_INT_EQ(st, c->want))
			fprintf(stderr, "\tmessage: %s\n", err.msg);
		if (st == CAT_NOTFOUND) {
			CHECK(res != NULL && res->n == 0);
			CHECK(err.msg[0] != '\0');
		}
		if (st != CAT_OK || !res) {
			cat_result_free(res);
			continue;
		}
		if (!CHECK(res->n > 0)) {
			cat_result_free(res);
			continue;
		}
		check_result_shape(res);
		if (c->first_key && !CHECK_STR_EQ(res->entries[0].key, c->first_key))
			dump(res);
		if (c->first_match != ANY)
			CHECK_INT_EQ(res->match[0], c->first_match);
		if (c->first_code)
			CHECK_STR_EQ(res->entries[0].code, c->first_code);
		if (c->first_sev)
			CHECK_STR_EQ(cat_class_severity(res->entries[0].severity),
				     *c->first_sev ? c->first_sev : NULL);
		if (c->has_key) {
			size_t at = 0;
			const struct cat_entry *e = find_key(res, c->has_key, &at);

			if (CHECK(e != NULL)) {
				if (c->has_match != ANY)
					CHECK_INT_EQ(res->match[at], c->has_match);
				if (c->has_code)
					CHECK_STR_EQ(e->code, c->has_code);
			} else {
				dump(res);
			}
		}
		for (j = 0; j < res->n; j++) {
			const struct cat_entry *e = &res->entries[j];

			if (res->match[j] != CAT_MATCH_PROVIDER)
				continue;
			n_provider++;
			if (c->only_provider)
				CHECK_STR_EQ(e->provider, c->only_provider);
			if (c->reply_all && e->kind == CAT_KIND_ENTRY && e->reply)
				CHECK_INT_EQ(e->reply, c->reply_all);
		}
		if (!CHECK(n_provider >= (size_t)c->min_provider))
			fprintf(stderr, "\t%zu provider matches, want at least %d\n", n_provider,
				c->min_provider);
		cat_result_free(res);
	}
	CHECK_CASE("%s", "");
}

/* Every link of every entry of `cat` leads to an entry of the kind the
 * link says, and every provider entry names a source: one case per entry. */
static inline void
check_links_resolve(struct catalog *cat)
{
	struct cat_result *all = NULL, *res = NULL, *link = NULL;
	struct cat_filter f;
	struct cat_error err;
	const struct cat_entry *e;
	size_t i, j;

	CHECK_CASE("all links resolve");
	memset(&f, 0, sizeof(f));
	if (CHECK_INT_EQ(cat_list(cat, &f, &all, &err), CAT_OK)) {
		for (i = 0; i < all->n; i++) {
			CHECK_CASE("links of %s", all->entries[i].key);
			if (!CHECK_INT_EQ(cat_get(cat, all->entries[i].key, 0, &res, &err), CAT_OK))
				continue;
			e = &res->entries[0];
			CHECK_INT_EQ(e->id, all->entries[i].id);
			if (e->kind == CAT_KIND_ENTRY)
				CHECK(e->n_sources > 0);
			for (j = 0; j < e->n_links; j++) {
				if (!CHECK_INT_EQ(cat_get(cat, e->links[j].key, 0, &link, &err), CAT_OK))
					fprintf(stderr, "\tlink %s\n", e->links[j].key);
				else
					CHECK_INT_EQ(link->entries[0].kind, e->links[j].kind);
				cat_result_free(link);
				link = NULL;
			}
			cat_result_free(res);
			res = NULL;
		}
	}
	cat_result_free(all);
}

/* A catalog of just the fixture file at `path`, ready; NULL (with the
 * failure counted and its message on stderr) if it does not load. */
static inline struct catalog *
open_fixture(const char *path)
{
	struct catalog *c = NULL;
	struct cat_error err;

	memset(&err, 0, sizeof(err));
	CHECK_CASE("open the fixture %s", path);
	if (!CHECK_INT_EQ(cat_open_empty(&c, &err), CAT_OK) ||
	    !CHECK_INT_EQ(cat_load_file(c, path, &err), CAT_OK) ||
	    !CHECK_INT_EQ(cat_ready(c, &err), CAT_OK)) {
		fprintf(stderr, "\tmessage: %s\n", err.msg);
		cat_close(c);
		return NULL;
	}
	CHECK_INT_EQ(cat_origin_count(c), 1);
	CHECK_STR_EQ(cat_origin(c, 0), path);
	return c;
}

#endif
