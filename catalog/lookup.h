/* lookup.h: the lookup image, exact-key lookups of the built-in catalog answered without SQLite.
 *
 * tools/mklookup runs the engine's own lookups on the built-in index at
 * build time and writes what they find as C data (gen/builtin_lk.c): every
 * entry as stored, with its texts, notes, sources and related entries; the
 * entries each exact query finds (keys, codes in each class, tags, display
 * codes); every provider name. While the database is the untouched built-in
 * image, cat_lookup() of such a query, cat_get() of any of its keys and
 * cat_provider_id() are answered from it and SQLite is never opened; any
 * other query goes to SQLite. test_lookup_image compares both ways for
 * every query the image holds.
 *
 * The image holds no pointers but the few of struct lk_image: strings are
 * offsets into one pool and records are indexes, so the dynamic loader
 * relocates nothing in it and a lookup touches only the pages it reads.
 */
#ifndef BOUNCE_CATALOG_LOOKUP_H
#define BOUNCE_CATALOG_LOOKUP_H

#include <stdint.h>

#include "db.h"

/* How each kind of field of ENTRY_FIELDS (db.h) is kept in a record:
 * strings as pool offsets (0: NULL), numbers and enums as int32_t, arrays
 * as the index of their first element and their count; what the engine
 * computes is not kept. */
#define LK_FIELD_KEY(f) uint32_t f;
#define LK_FIELD_KIND(f) int32_t f;
#define LK_FIELD_TEXT(f) uint32_t f;
#define LK_FIELD_TEXT_(f) uint32_t f;
#define LK_FIELD_INT(f) int32_t f;
#define LK_FIELD_NUM(f) int32_t f;
#define LK_FIELD_NUM_(f) int32_t f;
#define LK_FIELD_DETAIL(f) int32_t f;
#define LK_FIELD_BOOL(f) int32_t f;
#define LK_FIELD_SEVERITY(f) int32_t f;
#define LK_FIELD_TYPE(f) int32_t f;
#define LK_FIELD_GROUP(f) int32_t f;
#define LK_FIELD_ACTION(f) int32_t f;
#define LK_FIELD_ACTION_(f) int32_t f;
#define LK_FIELD_EXTRA(f) int32_t f;
#define LK_FIELD_CALC(f)
#define LK_FIELD_ARRAY(f) uint32_t f, n_##f;
#define LK_FIELD(how, field, column, member) LK_FIELD_##how(field)

/* An entry as stored (query_entry_raw()): what result_in_class() turns into
 * the entry a query in some class sees. */
struct lk_entry {
	int64_t id;
	ENTRY_FIELDS(LK_FIELD)
};

struct lk_note {
	int32_t kind, num;
	uint32_t param, body;
};

struct lk_source {
	uint32_t title, href, as_of, license;
};

struct lk_link {
	uint32_t key, code, title, why, provider;
	int32_t kind;
};

/* An entry of a lookup's answer, in the class the lookup saw it in. */
struct lk_item {
	uint32_t entry;
	int16_t cls;
	int16_t match; /* enum cat_match */
};

/* A query (or a provider's name) and its answer: items[first .. first + n). */
struct lk_answer {
	uint32_t text;
	uint32_t first, n;
};

/* A hash table of indexes + 1 (0: an empty slot), mask + 1 slots, probed
 * linearly from lk_hash() of the text. */
struct lk_table {
	const uint32_t *slot;
	uint32_t mask;
};

struct lk_image {
	const char *pool;
	const struct lk_entry *entries;
	const uint32_t *texts; /* pool offsets */
	const struct lk_note *notes;
	const struct lk_source *sources;
	const struct lk_link *links;
	const struct lk_item *items;
	/* the exact queries (by their bytes) and their answers */
	const struct lk_answer *queries;
	struct lk_table query_index;
	/* the entries by key (ASCII case folded, as SQLite's NOCASE) */
	struct lk_table key_index;
	/* every provider name and alias (folded): `text` is the name, and
	 * `first` the provider's answer in providers[] */
	const struct lk_answer *names;
	struct lk_table name_index;
	/* a provider named: `text` is its id, the items what naming it finds */
	const struct lk_answer *providers;
};

/* The built-in catalog's lookup image (gen/builtin_lk.c); NULL in the tools
 * that make the images. */
extern const struct lk_image *const cat_builtin_lookup;

/* The image that answers for cat: while the database is the untouched
 * built-in image only. */
static inline const struct lk_image *
lk_of(const struct catalog *cat)
{
	return cat->builtin_image ? cat->lookup : NULL;
}

/* The hash of s[0..n) (its ASCII letters in lower case when `fold`), for
 * the image's tables: the tool that writes them and the reader share it. */
uint32_t
lk_hash(const char *s, size_t n, int fold);

/* The id of the provider with this name or alias (ASCII case ignored), a
 * string of the image; NULL for none. */
const char *
lk_provider_id(const struct lk_image *im, const char *name);

/* cat_lookup() of `query` from the image: 1 when the image has its answer
 * (its entries are added to res and *st is CAT_OK, or CAT_ENOMEM), 0 when
 * the query must go to SQLite. */
int
lk_lookup(const struct lk_image *im, const char *query, struct cat_result *res,
	  enum cat_status *st, struct cat_error *err);

/* Whether the image has the answer of `query` (lk_lookup() would give it). */
int
lk_knows(const struct lk_image *im, const char *query);

/* cat_get() from the image: 1 when it holds the entry keyed `key` (added
 * in full to res, in class cls; *st as for lk_lookup()), else 0. */
int
lk_get(const struct lk_image *im, const char *key, int cls, struct cat_result *res,
       enum cat_status *st, struct cat_error *err);

#endif
