/*
 * test_lookup_image.c -- the lookup image (gen/builtin_lk.c, tools/mklookup)
 * answers as SQLite does, for everything it holds.
 *
 *  1. the built-in catalog alone uses the image; a catalog with a file
 *     loaded on top does not;
 *  2. every entry of the index is in the image, and cat_get() of its key
 *     (and of the key in lower case) in each class gives the same entry
 *     both ways: every field, its texts, notes, sources and related
 *     entries;
 *  3. every query the image holds and every provider name: cat_lookup()
 *     gives the same entries, in the same order and classes, matched the
 *     same, and cat_result_json() the same bytes; an entry's key (its
 *     code, an enhanced code in each class) that SQLite answers with
 *     entries of the index only is one the image holds;
 *  4. cat_provider_id() of every name, in other cases, and of words that
 *     name no provider.
 *
 * "Both ways" is the image (cat->lookup set) against SQLite (cat->lookup
 * cleared) on the same catalog; what the CLI prints is made of these
 * results alone, so equal results print the same text.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "db.h"
#include "lookup.h"

static struct catalog *cat;
static const struct lk_image *im;

static int
same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The first field in which a and b differ, NULL when none does. */
#define CMP_S(f)                                                                           \
	if (!same_str(a->f, b->f))                                                         \
		return #f;
#define CMP_I(f)                                                                           \
	if (a->f != b->f)                                                                  \
		return #f;
#define CMP_KEY(f) CMP_S(f)
#define CMP_KIND(f) CMP_I(f)
#define CMP_TEXT(f) CMP_S(f)
#define CMP_TEXT_(f) CMP_S(f)
#define CMP_INT(f) CMP_I(f)
#define CMP_NUM(f) CMP_I(f)
#define CMP_NUM_(f) CMP_I(f)
#define CMP_DETAIL(f) CMP_I(f)
#define CMP_BOOL(f) CMP_I(f)
#define CMP_SEVERITY(f) CMP_I(f)
#define CMP_TYPE(f) CMP_I(f)
#define CMP_GROUP(f) CMP_I(f)
#define CMP_ACTION(f) CMP_I(f)
#define CMP_ACTION_(f) CMP_I(f)
#define CMP_EXTRA(f) CMP_I(f)
#define CMP_CALC(f) CMP_S(f)
#define CMP_ARRAY(f) CMP_I(n_##f)
#define CMP(how, field, column, member) CMP_##how(field)

static const char *
entry_diff(const struct cat_entry *a, const struct cat_entry *b)
{
	size_t k;

	CMP_I(id)
	ENTRY_FIELDS(CMP)
	for (k = 0; k < a->n_texts; k++)
		if (!same_str(a->texts[k], b->texts[k]))
			return "texts[]";
	for (k = 0; k < a->n_notes; k++) {
		const struct cat_note *x = &a->notes[k], *y = &b->notes[k];

		if (x->kind != y->kind || x->num != y->num || !same_str(x->param, y->param) ||
		    !same_str(x->body, y->body))
			return "notes[]";
	}
	for (k = 0; k < a->n_sources; k++) {
		const struct cat_source *x = &a->sources[k], *y = &b->sources[k];

		if (!same_str(x->title, y->title) || !same_str(x->href, y->href) ||
		    !same_str(x->as_of, y->as_of) || !same_str(x->license, y->license))
			return "sources[]";
	}
	for (k = 0; k < a->n_links; k++) {
		const struct cat_link *x = &a->links[k], *y = &b->links[k];

		if (!same_str(x->key, y->key) || !same_str(x->code, y->code) ||
		    !same_str(x->title, y->title) || !same_str(x->why, y->why) ||
		    !same_str(x->provider, y->provider) || x->kind != y->kind)
			return "links[]";
	}
	return NULL;
}

/* The first difference of two results, NULL when none. */
static const char *
result_diff(const struct cat_result *a, const struct cat_result *b, size_t *at)
{
	size_t i;

	*at = 0;
	if (a->n != b->n)
		return "number of entries";
	if (a->n_unknown != b->n_unknown || a->truncated != b->truncated)
		return "unknown words or truncated";
	for (i = 0; i < a->n; i++) {
		const char *d = entry_diff(&a->entries[i], &b->entries[i]);

		*at = i;
		if (a->match[i] != b->match[i])
			return "match";
		if (d)
			return d;
	}
	return NULL;
}

/* cat_get(key, cls) both ways. */
static void
check_get(const char *key, int cls)
{
	struct cat_result *fast = NULL, *slow = NULL;
	struct cat_error err;
	enum cat_status sf, ss;
	size_t at;
	const char *d;

	cat->lookup = im;
	sf = cat_get(cat, key, cls, &fast, &err);
	cat->lookup = NULL;
	ss = cat_get(cat, key, cls, &slow, &err);
	cat->lookup = im;
	CHECK_INT_EQ(sf, CAT_OK);
	CHECK_INT_EQ(ss, CAT_OK);
	if (sf == CAT_OK && ss == CAT_OK) {
		d = result_diff(fast, slow, &at);
		if (!CHECK(d == NULL))
			fprintf(stderr, "  cat_get(\"%s\", %d): %s differs\n", key, cls, d);
	}
	cat_result_free(fast);
	cat_result_free(slow);
}

/* cat_lookup() and cat_result_json() of q both ways. */
static void
check_lookup(const char *q)
{
	struct cat_result *fast = NULL, *slow = NULL;
	struct cat_error err;
	enum cat_status sf, ss;
	char *jf = NULL, *js = NULL;
	size_t at;
	const char *d;

	CHECK(lk_knows(im, q));
	cat->lookup = im;
	sf = cat_lookup(cat, q, &fast, &err);
	if (sf == CAT_OK)
		CHECK_INT_EQ(cat_result_json(cat, fast, q, &jf, &err), CAT_OK);
	cat->lookup = NULL;
	ss = cat_lookup(cat, q, &slow, &err);
	if (ss == CAT_OK)
		CHECK_INT_EQ(cat_result_json(cat, slow, q, &js, &err), CAT_OK);
	cat->lookup = im;
	CHECK_INT_EQ(sf, CAT_OK);
	CHECK_INT_EQ(ss, CAT_OK);
	if (sf == CAT_OK && ss == CAT_OK) {
		CHECK(fast->n > 0);
		d = result_diff(fast, slow, &at);
		if (!CHECK(d == NULL))
			fprintf(stderr, "  lookup \"%s\": entry %zu: %s differs\n", q, at, d);
	}
	if (!CHECK(jf && js && strcmp(jf, js) == 0))
		fprintf(stderr, "  lookup \"%s\": JSON differs:\n  image:  %.300s\n  SQLite: %.300s\n",
			q, jf ? jf : "(none)", js ? js : "(none)");
	free(jf);
	free(js);
	cat_result_free(fast);
	cat_result_free(slow);
}

/* Whether SQLite answers q with entries of the index alone, read whole: an
 * answer the image can hold. */
static int
storable(const char *q)
{
	struct cat_result *res = NULL;
	struct cat_error err;
	size_t i;
	int ok;

	cat->lookup = NULL;
	ok = cat_lookup(cat, q, &res, &err) == CAT_OK && res->n_unknown == 0;
	for (i = 0; ok && i < res->n; i++)
		ok = res->entries[i].id != 0;
	cat->lookup = im;
	cat_result_free(res);
	return ok;
}

static void
check_provider_id(const char *name)
{
	const char *fast, *slow;

	cat->lookup = im;
	fast = cat_provider_id(cat, name);
	cat->lookup = NULL;
	slow = cat_provider_id(cat, name);
	cat->lookup = im;
	if (!CHECK(same_str(fast, slow)))
		fprintf(stderr, "  cat_provider_id(\"%s\"): image %s, SQLite %s\n", name,
			fast ? fast : "NULL", slow ? slow : "NULL");
}

static void
with_case(char *s, int upper)
{
	for (; *s; s++)
		*s = (char)(upper ? toupper((unsigned char)*s) : tolower((unsigned char)*s));
}

int
main(void)
{
	static const char *const not_names[] = { "", "5.1.1", "gmial", "provider:gmail", "x",
						 "gmail.", " gmail", "google  workspace" };
	struct cat_error err;
	struct catalog *other = NULL;
	size_t i;
	int c;

	CHECK_CASE("%s", "the built-in catalog alone uses the image");
	if (!CHECK(cat_open(&cat, &err) == CAT_OK && cat_ready(cat, &err) == CAT_OK))
		return check_done();
	im = cat->lookup;
	if (!CHECK(im != NULL && lk_of(cat) == im))
		return check_done();

	CHECK_CASE("%s", "a file loaded on top: no image");
	if (CHECK(cat_open(&other, &err) == CAT_OK)) {
		static const char overlay[] = "<catalog xmlns=\"urn:bounce:catalog\"/>";

		cat_load_buffer(other, "overlay.xml", overlay, sizeof(overlay) - 1, &err);
		CHECK(cat_ready(other, &err) == CAT_OK);
		CHECK(lk_of(other) == NULL);
	}
	cat_close(other);

	/* 2. every entry, by key in each class */
	{
		sqlite3_stmt *st = NULL;
		int rc;

		CHECK_CASE("%s", "the index's keys");
		cat->lookup = NULL;
		if (!CHECK(sqlite3_prepare_v2(db_get(cat), "SELECT key FROM entry ORDER BY id", -1,
					      &st, NULL) == SQLITE_OK))
			return check_done();
		cat->lookup = im;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			char key[256];
			char q[300];
			int cls[] = { 0, 2, 3, 4, 5 };

			snprintf(key, sizeof(key), "%s", (const char *)sqlite3_column_text(st, 0));
			CHECK_CASE("cat_get \"%s\"", key);
			for (c = 0; c < 5; c++)
				check_get(key, cls[c]);
			with_case(key, 0);
			check_get(key, 0);
			snprintf(key, sizeof(key), "%s", (const char *)sqlite3_column_text(st, 0));
			/* 3. the queries an entry's key makes: held when they can be */
			CHECK_CASE("the image holds \"%s\"", key);
			if (!cat_provider_id(cat, key))
				CHECK(lk_knows(im, key) == storable(key));
			for (c = 2; c <= 5 && key[0] == 'X' && key[1] == '.'; c++) {
				snprintf(q, sizeof(q), "%d%s", c, key + 1);
				CHECK(lk_knows(im, q) == storable(q));
			}
		}
		CHECK_CASE("%s", "the index's keys, to the end");
		CHECK_INT_EQ(rc, SQLITE_DONE);
		sqlite3_finalize(st);
	}

	/* 3. every query and name the image holds */
	for (i = 0; i <= im->query_index.mask; i++) {
		uint32_t v = im->query_index.slot[i];

		if (!v)
			continue;
		CHECK_CASE("lookup \"%s\"", im->pool + im->queries[v - 1].text);
		check_lookup(im->pool + im->queries[v - 1].text);
	}
	for (i = 0; i <= im->name_index.mask; i++) {
		uint32_t v = im->name_index.slot[i];
		char name[256];

		if (!v)
			continue;
		snprintf(name, sizeof(name), "%s", im->pool + im->names[v - 1].text);
		CHECK_CASE("provider name \"%s\"", name);
		check_lookup(name);
		check_provider_id(name);
		with_case(name, 1);
		check_lookup(name);
		check_provider_id(name);
		with_case(name, 0);
		check_provider_id(name);
	}
	/* 4. names of nothing */
	for (i = 0; i < sizeof(not_names) / sizeof(not_names[0]); i++) {
		CHECK_CASE("not a provider: \"%s\"", not_names[i]);
		check_provider_id(not_names[i]);
	}
	cat_close(cat);
	return check_done();
}
