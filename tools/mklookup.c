/* mklookup: writes the built-in catalog's lookup image at build time, as C data.
 *
 *	tools/mklookup gen/builtin_lk.c
 *
 * Opens the built-in index image (gen/builtin_db.o, made by tools/mkindex
 * from data/catalog.xml) and runs the engine's own lookups on it: every
 * entry as stored, in full (query_entry_raw()), what cat_lookup() finds for
 * each exact query a person types for an entry (its key, its display code,
 * its tag, an enhanced code or subject in each class), and what naming each
 * provider finds. The answers are written as records of offsets and
 * indexes (catalog/lookup.h) that cat_lookup(), cat_get() and
 * cat_provider_id() read while the catalog is that image alone. The data
 * keeps one source, data/catalog.xml; this program only moves the work of
 * SQLite to the build.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/catalog.h"
#include "builtin.h"
#include "db.h"
#include "lookup.h"
#include "query.h"
#include "result.h"

/* This program makes the lookup image: it has none of its own, so the
 * engine answers from SQLite. Nor does it analyze anything
 * (tools/noimage.c). */

static void
die(const char *what)
{
	fprintf(stderr, "mklookup: %s\n", what);
	exit(1);
}

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

/* A growable array of `type` named v, with n elements. */
#define GROW(v, n, cap)                                                                    \
	do {                                                                               \
		if ((n) == (cap)) {                                                        \
			(cap) = (cap) ? 2 * (cap) : 64;                                    \
			(v) = xrealloc((v), (cap) * sizeof(*(v)));                         \
		}                                                                          \
	} while (0)

/* ------------------------------------------------------------ the string pool */

static char *pool;
static size_t pool_len, pool_cap;
static uint32_t *pool_slot; /* offsets by hash, 0: empty */
static size_t pool_slots, pool_count;

static void
pool_rehash(void)
{
	size_t n = pool_slots ? 2 * pool_slots : 4096, i, j;
	uint32_t *slot = calloc(n, sizeof(*slot));

	if (!slot)
		die("out of memory");
	for (i = 0; i < pool_slots; i++) {
		if (!pool_slot[i])
			continue;
		for (j = lk_hash(pool + pool_slot[i], strlen(pool + pool_slot[i]), 0) & (n - 1);
		     slot[j]; j = (j + 1) & (n - 1))
			;
		slot[j] = pool_slot[i];
	}
	free(pool_slot);
	pool_slot = slot;
	pool_slots = n;
}

/* The offset of s in the pool, added once; 0 for NULL. */
static uint32_t
str(const char *s)
{
	size_t n, i;

	if (!s)
		return 0;
	if (!pool_len) {
		GROW(pool, pool_len, pool_cap);
		pool[pool_len++] = '\0'; /* offset 0 is NULL */
	}
	if (2 * (pool_count + 1) > pool_slots)
		pool_rehash();
	n = strlen(s);
	for (i = lk_hash(s, n, 0) & (pool_slots - 1); pool_slot[i]; i = (i + 1) & (pool_slots - 1))
		if (strcmp(pool + pool_slot[i], s) == 0)
			return pool_slot[i];
	while (pool_len + n + 1 > pool_cap) {
		pool_cap = pool_cap ? 2 * pool_cap : 65536;
		pool = xrealloc(pool, pool_cap);
	}
	if (pool_len + n + 1 > UINT32_MAX)
		die("the string pool outgrew 32-bit offsets");
	memcpy(pool + pool_len, s, n + 1);
	pool_slot[i] = (uint32_t)pool_len;
	pool_count++;
	pool_len += n + 1;
	return pool_slot[i];
}

/* ------------------------------------------------------------ the records */

static struct lk_entry *entries;
static size_t n_entries, cap_entries;
static uint32_t *texts;
static size_t n_texts, cap_texts;
static struct lk_note *notes;
static size_t n_notes, cap_notes;
static struct lk_source *sources;
static size_t n_sources, cap_sources;
static struct lk_link *links;
static size_t n_links, cap_links;
static struct lk_item *items;
static size_t n_items, cap_items;
static struct lk_answer *queries;
static size_t n_queries, cap_queries;
static struct lk_answer *names;
static size_t n_names, cap_names;
static struct lk_answer *providers;
static size_t n_providers, cap_providers;

/* How each kind of field of ENTRY_FIELDS goes into a record. */
#define REC_KEY(f) r->f = str(e->f);
#define REC_KIND(f) r->f = (int32_t)e->f;
#define REC_TEXT(f) r->f = str(e->f);
#define REC_TEXT_(f) REC_TEXT(f)
#define REC_INT(f) r->f = e->f;
#define REC_NUM(f) r->f = e->f;
#define REC_NUM_(f) r->f = e->f;
#define REC_DETAIL(f) r->f = e->f;
#define REC_BOOL(f) r->f = e->f;
#define REC_SEVERITY(f) r->f = (int32_t)e->f;
#define REC_TYPE(f) r->f = (int32_t)e->f;
#define REC_GROUP(f) r->f = (int32_t)e->f;
#define REC_ACTION(f) r->f = (int32_t)e->f;
#define REC_ACTION_(f) REC_ACTION(f)
#define REC_EXTRA(f) r->f = (int32_t)e->f;
#define REC_CALC(f)
#define REC_ARRAY(f)
#define REC(how, field, column, member) REC_##how(field)

static void
add_entry(const struct cat_entry *e)
{
	struct lk_entry *r;
	size_t k;

	GROW(entries, n_entries, cap_entries);
	r = &entries[n_entries++];
	memset(r, 0, sizeof(*r));
	r->id = e->id;
	ENTRY_FIELDS(REC)
	r->texts = (uint32_t)n_texts;
	r->n_texts = (uint32_t)e->n_texts;
	for (k = 0; k < e->n_texts; k++) {
		GROW(texts, n_texts, cap_texts);
		texts[n_texts++] = str(e->texts[k]);
	}
	r->notes = (uint32_t)n_notes;
	r->n_notes = (uint32_t)e->n_notes;
	for (k = 0; k < e->n_notes; k++) {
		GROW(notes, n_notes, cap_notes);
		notes[n_notes].kind = (int32_t)e->notes[k].kind;
		notes[n_notes].num = e->notes[k].num;
		notes[n_notes].param = str(e->notes[k].param);
		notes[n_notes++].body = str(e->notes[k].body);
	}
	r->sources = (uint32_t)n_sources;
	r->n_sources = (uint32_t)e->n_sources;
	for (k = 0; k < e->n_sources; k++) {
		GROW(sources, n_sources, cap_sources);
		sources[n_sources].title = str(e->sources[k].title);
		sources[n_sources].href = str(e->sources[k].href);
		sources[n_sources].as_of = str(e->sources[k].as_of);
		sources[n_sources++].license = str(e->sources[k].license);
	}
	r->links = (uint32_t)n_links;
	r->n_links = (uint32_t)e->n_links;
	for (k = 0; k < e->n_links; k++) {
		const struct cat_link *l = &e->links[k];

		GROW(links, n_links, cap_links);
		links[n_links].key = str(l->key);
		links[n_links].code = str(l->code);
		links[n_links].title = str(l->title);
		links[n_links].why = str(l->why);
		links[n_links].provider = str(l->provider);
		links[n_links++].kind = (int32_t)l->kind;
	}
}

/* The index of the entry with row id `id` (entries are in id order); -1. */
static long
entry_of_id(int64_t id)
{
	size_t lo = 0, hi = n_entries;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (entries[mid].id == id)
			return (long)mid;
		if (entries[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* What cat_lookup() finds for q, as items; 0 when the image cannot hold
 * the answer (nothing found, words not read, a decoded tag). */
static int
answer(struct catalog *cat, const char *q, struct lk_answer *a)
{
	struct cat_result *res = NULL;
	struct cat_error err;
	enum cat_status st = cat_lookup(cat, q, &res, &err);
	size_t k, before = n_items;
	int ok = st == CAT_OK && res->n_unknown == 0 && res->truncated == 0;

	if (st != CAT_OK && st != CAT_NOTFOUND)
		die(err.msg);
	for (k = 0; ok && k < res->n; k++) {
		long i = entry_of_id(res->entries[k].id);

		if (i < 0) {
			ok = 0;
			break;
		}
		GROW(items, n_items, cap_items);
		items[n_items].entry = (uint32_t)i;
		items[n_items].cls = (int16_t)res->entries[k].cls;
		items[n_items++].match = (int16_t)res->match[k];
	}
	cat_result_free(res);
	if (!ok) {
		n_items = before;
		return 0;
	}
	a->text = str(q);
	a->first = (uint32_t)before;
	a->n = (uint32_t)(n_items - before);
	return 1;
}

/* ------------------------------------------------------------ the queries */

/* Candidate queries already tried, by their bytes. */
static char **tried;
static size_t n_tried, cap_tried;

static int
was_tried(const char *q)
{
	size_t i;

	for (i = 0; i < n_tried; i++)
		if (strcmp(tried[i], q) == 0)
			return 1;
	GROW(tried, n_tried, cap_tried);
	tried[n_tried] = strdup(q);
	if (!tried[n_tried])
		die("out of memory");
	n_tried++;
	return 0;
}

static void
try_query(struct catalog *cat, const char *q)
{
	struct lk_answer a;

	if (!q || !*q || was_tried(q) || cat_provider_id(cat, q))
		return; /* a provider's name is answered by its provider */
	if (answer(cat, q, &a)) {
		GROW(queries, n_queries, cap_queries);
		queries[n_queries++] = a;
	}
}

/* What a person types for entry e: its key, its code as shown, its tag, an
 * enhanced code or a subject with each class digit. */
static void
queries_of(struct catalog *cat, const char *key, const char *code, const char *tag)
{
	char q[64];
	int c;

	try_query(cat, key);
	try_query(cat, code);
	try_query(cat, tag);
	for (c = 2; c <= 5 && key[0] == 'X' && key[1] == '.' && strlen(key) < 60; c++) {
		snprintf(q, sizeof(q), "%d%s", c, key + 1);
		try_query(cat, q);
	}
}

/* ------------------------------------------------------------ the tables */

static uint32_t *
table(const uint32_t *text, size_t stride, size_t n, int fold, uint32_t *mask)
{
	size_t size = 16, i, j;
	uint32_t *slot;

	while (size < 2 * n)
		size *= 2;
	slot = calloc(size, sizeof(*slot));
	if (!slot)
		die("out of memory");
	for (i = 0; i < n; i++) {
		const char *s = pool + *(const uint32_t *)(const void *)((const char *)text + i * stride);

		for (j = lk_hash(s, strlen(s), fold) & (size - 1); slot[j]; j = (j + 1) & (size - 1))
			;
		slot[j] = (uint32_t)i + 1;
	}
	*mask = (uint32_t)(size - 1);
	return slot;
}

/* ------------------------------------------------------------ output */

static FILE *out;

static void
write_slots(const char *name, const uint32_t *slot, uint32_t mask)
{
	size_t i;

	fprintf(out, "static const uint32_t %s[%lu] = {", name, (unsigned long)mask + 1);
	for (i = 0; i <= mask; i++)
		fprintf(out, "%s%u,", i % 12 ? " " : "\n\t", slot[i]);
	fputs("\n};\n", out);
}

/* The pool as string literals, one per string, each with its NUL; '?' is
 * escaped (-std=c11 reads trigraphs), other bytes beyond ASCII's printable
 * ones in three octal digits, which never run on. */
static void
write_pool(void)
{
	size_t i;

	fprintf(out, "static const char lk_pool[%zu] =", pool_len);
	for (i = 0; i < pool_len; i++) {
		unsigned char c = (unsigned char)pool[i];

		if (i == 0 || pool[i - 1] == '\0')
			fputs("\n\t\"", out);
		if (c == '"' || c == '\\' || c == '?')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\%03o", c);
		else
			fputc(c, out);
		if (c == '\0')
			fputc('"', out);
	}
	fputs(";\n", out);
}

#define OUT_FIELD_U(f) fprintf(out, " ." #f " = %u,", (unsigned)r->f);
#define OUT_FIELD_I(f) fprintf(out, " ." #f " = %d,", (int)r->f);
#define OUT_KEY(f) OUT_FIELD_U(f)
#define OUT_KIND(f) OUT_FIELD_I(f)
#define OUT_TEXT(f) OUT_FIELD_U(f)
#define OUT_TEXT_(f) OUT_FIELD_U(f)
#define OUT_INT(f) OUT_FIELD_I(f)
#define OUT_NUM(f) OUT_FIELD_I(f)
#define OUT_NUM_(f) OUT_FIELD_I(f)
#define OUT_DETAIL(f) OUT_FIELD_I(f)
#define OUT_BOOL(f) OUT_FIELD_I(f)
#define OUT_SEVERITY(f) OUT_FIELD_I(f)
#define OUT_TYPE(f) OUT_FIELD_I(f)
#define OUT_GROUP(f) OUT_FIELD_I(f)
#define OUT_ACTION(f) OUT_FIELD_I(f)
#define OUT_ACTION_(f) OUT_FIELD_I(f)
#define OUT_EXTRA(f) OUT_FIELD_I(f)
#define OUT_CALC(f)
#define OUT_ARRAY(f) OUT_FIELD_U(f) OUT_FIELD_U(n_##f)
#define OUT(how, field, column, member) OUT_##how(field)

static void
write_answers(const char *name, const struct lk_answer *a, size_t n)
{
	size_t i;

	fprintf(out, "static const struct lk_answer %s[%zu] = {\n", name, n ? n : 1);
	for (i = 0; i < n; i++)
		fprintf(out, "\t{ %u, %u, %u },\n", a[i].text, a[i].first, a[i].n);
	fputs(n ? "};\n" : "\t{ 0, 0, 0 },\n};\n", out);
}

static void
write_image(void)
{
	uint32_t qmask, kmask, nmask;
	uint32_t *qslot = table(&queries[0].text, sizeof(*queries), n_queries, 0, &qmask);
	uint32_t *kslot = table(&entries[0].key, sizeof(*entries), n_entries, 1, &kmask);
	uint32_t *nslot = table(&names[0].text, sizeof(*names), n_names, 1, &nmask);
	size_t i;

	fputs("/* generated by tools/mklookup from the built-in index: do not edit */\n"
	      "#include \"lookup.h\"\n\n", out);
	write_pool();
	fprintf(out, "static const struct lk_entry lk_entries[%zu] = {\n", n_entries);
	for (i = 0; i < n_entries; i++) {
		const struct lk_entry *r = &entries[i];

		fprintf(out, "\t{ .id = %lld,", (long long)r->id);
		ENTRY_FIELDS(OUT)
		fputs(" },\n", out);
	}
	fputs("};\n", out);
	fprintf(out, "static const uint32_t lk_texts[%zu] = {", n_texts ? n_texts : 1);
	for (i = 0; i < n_texts; i++)
		fprintf(out, "%s%u,", i % 12 ? " " : "\n\t", texts[i]);
	fputs(n_texts ? "\n};\n" : " 0 };\n", out);
	fprintf(out, "static const struct lk_note lk_notes[%zu] = {\n", n_notes ? n_notes : 1);
	for (i = 0; i < n_notes; i++)
		fprintf(out, "\t{ %d, %d, %u, %u },\n", notes[i].kind, notes[i].num, notes[i].param,
			notes[i].body);
	fputs(n_notes ? "};\n" : "\t{ 0, 0, 0, 0 },\n};\n", out);
	fprintf(out, "static const struct lk_source lk_sources[%zu] = {\n", n_sources ? n_sources : 1);
	for (i = 0; i < n_sources; i++)
		fprintf(out, "\t{ %u, %u, %u, %u },\n", sources[i].title, sources[i].href,
			sources[i].as_of, sources[i].license);
	fputs(n_sources ? "};\n" : "\t{ 0, 0, 0, 0 },\n};\n", out);
	fprintf(out, "static const struct lk_link lk_links[%zu] = {\n", n_links ? n_links : 1);
	for (i = 0; i < n_links; i++)
		fprintf(out, "\t{ %u, %u, %u, %u, %u, %d },\n", links[i].key, links[i].code,
			links[i].title, links[i].why, links[i].provider, links[i].kind);
	fputs(n_links ? "};\n" : "\t{ 0, 0, 0, 0, 0, 0 },\n};\n", out);
	fprintf(out, "static const struct lk_item lk_items[%zu] = {\n", n_items ? n_items : 1);
	for (i = 0; i < n_items; i++)
		fprintf(out, "\t{ %u, %d, %d },\n", items[i].entry, items[i].cls, items[i].match);
	fputs(n_items ? "};\n" : "\t{ 0, 0, 0 },\n};\n", out);
	write_answers("lk_queries", queries, n_queries);
	write_answers("lk_names", names, n_names);
	write_answers("lk_providers", providers, n_providers);
	write_slots("lk_query_slots", qslot, qmask);
	write_slots("lk_key_slots", kslot, kmask);
	write_slots("lk_name_slots", nslot, nmask);
	fprintf(out,
		"static const struct lk_image image = {\n"
		"\t.pool = lk_pool,\n"
		"\t.entries = lk_entries,\n"
		"\t.texts = lk_texts,\n"
		"\t.notes = lk_notes,\n"
		"\t.sources = lk_sources,\n"
		"\t.links = lk_links,\n"
		"\t.items = lk_items,\n"
		"\t.queries = lk_queries,\n"
		"\t.query_index = { lk_query_slots, %uu },\n"
		"\t.key_index = { lk_key_slots, %uu },\n"
		"\t.names = lk_names,\n"
		"\t.name_index = { lk_name_slots, %uu },\n"
		"\t.providers = lk_providers,\n"
		"};\n"
		"const struct lk_image *const cat_builtin_lookup = &image;\n",
		qmask, kmask, nmask);
	free(qslot);
	free(kslot);
	free(nslot);
}

/* ------------------------------------------------------------ main */

/* Runs `sql` on the catalog's database and calls each(cat, row) per row. */
static void
each_row(struct catalog *cat, const char *sql, void (*each)(struct catalog *, sqlite3_stmt *))
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db_get(cat), sql, -1, &st, NULL) != SQLITE_OK)
		die(sqlite3_errmsg(db_get(cat)));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		each(cat, st);
	if (rc != SQLITE_DONE)
		die(sqlite3_errmsg(db_get(cat)));
	sqlite3_finalize(st);
}

static void
row_entry(struct catalog *cat, sqlite3_stmt *st)
{
	struct cat_result *res = NULL;
	struct cat_error err;
	const char *key = (const char *)sqlite3_column_text(st, 0);

	res = result_new(&err);
	if (!res || query_entry_raw(cat, key, res, &err) != CAT_OK)
		die(err.msg);
	add_entry(&res->entries[0]);
	cat_result_free(res);
}

static void
row_name(struct catalog *cat, sqlite3_stmt *st)
{
	const char *provider = (const char *)sqlite3_column_text(st, 0);
	const char *name = (const char *)sqlite3_column_text(st, 1);
	uint32_t id = str(provider);
	size_t p;

	/* a provider's answer is what its first name finds: every name of it
	 * finds the same (test_lookup_image checks each) */
	for (p = 0; p < n_providers && providers[p].text != id; p++)
		;
	if (p == n_providers) {
		GROW(providers, n_providers, cap_providers);
		if (!answer(cat, name, &providers[p]))
			die("a provider's name finds nothing");
		providers[p].text = id;
		n_providers++;
	}
	GROW(names, n_names, cap_names);
	names[n_names].text = str(name);
	names[n_names].first = (uint32_t)p;
	names[n_names++].n = 0;
}

int
main(int argc, char **argv)
{
	struct catalog *cat = NULL;
	struct cat_error err = { 0 };
	size_t i;

	if (argc != 2) {
		fputs("usage: mklookup OUT.c\n", stderr);
		return 2;
	}
	if (cat_open(&cat, &err) != CAT_OK || cat_ready(cat, &err) != CAT_OK)
		die(err.msg);
	if (!cat->builtin_image)
		die("no built-in index image to read");
	each_row(cat, "SELECT key FROM entry ORDER BY id", row_entry);
	each_row(cat, "SELECT provider, name FROM alias ORDER BY rowid", row_name);
	for (i = 0; i < n_entries; i++) {
		/* copies: the pool moves as the queries add to it */
		char *key = strdup(pool + entries[i].key);
		char *code = entries[i].code ? strdup(pool + entries[i].code) : NULL;
		char *tag = entries[i].tag ? strdup(pool + entries[i].tag) : NULL;

		if (!key || (entries[i].code && !code) || (entries[i].tag && !tag))
			die("out of memory");
		queries_of(cat, key, code, tag);
		free(key);
		free(code);
		free(tag);
	}
	if (!n_entries || !n_queries || !n_names)
		die("the built-in index has no entries, queries or provider names");
	out = fopen(argv[1], "w");
	if (!out) {
		fprintf(stderr, "mklookup: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	write_image();
	if (fclose(out) != 0) {
		fprintf(stderr, "mklookup: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	cat_close(cat);
	return 0;
}
