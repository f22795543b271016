/* json.c: results as JSON, written by SQLite's JSON functions from bound
 * values, so quoting and escaping are SQLite's, never ours. */
#include "bounce/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "jsonw.h"
#include "lookup.h"
#include "util.h"

/* The JSON text in column 0 of a stepped statement, copied to malloc. */
static char *
take_text(sqlite3_stmt *st)
{
	const char *s = (const char *)sqlite3_column_text(st, 0);
	size_t n = (size_t)sqlite3_column_bytes(st, 0);
	char *copy = s ? malloc(n + 1) : NULL;

	if (copy) {
		memcpy(copy, s, n);
		copy[n] = '\0';
	}
	return copy;
}

/* Appends one value to the JSON array *arr (malloc'd; "[]" when NULL).
 * kind: "str" (a), "note" (a, b), "source" (a..d), "link" (a..f). */
static enum cat_status
append(struct catalog *cat, char **arr, const char *kind, const char *const *v, size_t nv,
       struct cat_error *err)
{
	sqlite3_stmt *st = db_stmt(cat, ST_J_APPEND);
	size_t i;
	char *next;
	int rc = SQLITE_OK;

	rc = db_bind_text(st, 1, *arr ? *arr : "[]");
	if (rc == SQLITE_OK)
		rc = db_bind_text(st, 2, kind);
	for (i = 0; i < nv && rc == SQLITE_OK; i++)
		rc = db_bind_text(st, (int)i + 3, v[i]);
	if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
		return db_fail(cat, err, "JSON");
	next = take_text(st);
	sqlite3_reset(st);
	if (!next)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	free(*arr);
	*arr = next;
	return CAT_OK;
}

/* "detail": 7, or "606-649" for a range, or null. */
static int
bind_detail(sqlite3_stmt *st, int i, const struct cat_entry *e)
{
	/* a number, never a range's text: "detail_max" has the high end */
	return db_bind_int(st, i, e->detail_lo >= 0, e->detail_lo);
}

/* The arrays of an entry as JSON text, named as its fields. */
struct entry_arrays {
	char *texts, *notes, *sources, *links;
};

/* How each kind of field of ENTRY_FIELDS (db.h) is bound to its JSON
 * member: in the order of the list, as the unnumbered parameters of
 * ST_J_ENTRY are. */
#define BIND(x)                                                                            \
	if (rc == SQLITE_OK)                                                               \
		rc = (x);
#define JSON_KEY(f) JSON_TEXT(f)
#define JSON_KIND(f) BIND(db_bind_text(st, ++i, cat_kind_name(e->f)))
#define JSON_TEXT(f) BIND(db_bind_text(st, ++i, e->f))
#define JSON_TEXT_(f)
#define JSON_INT(f) BIND(db_bind_int(st, ++i, e->f != 0, e->f))
#define JSON_NUM(f) BIND(db_bind_int(st, ++i, e->f >= 0, e->f))
#define JSON_NUM_(f)
#define JSON_DETAIL(f) BIND(bind_detail(st, ++i, e))
#define JSON_BOOL(f) BIND(db_bind_text(st, ++i, e->f ? "true" : "false"))
#define JSON_SEVERITY(f) BIND(db_bind_text(st, ++i, cat_class_severity(e->f)))
#define JSON_TYPE(f) BIND(db_bind_text(st, ++i, cat_type_name(e->f)))
#define JSON_GROUP(f) BIND(db_bind_text(st, ++i, cat_group_name(e->f)))
#define JSON_ACTION(f) BIND(db_bind_text(st, ++i, cat_action_name(e->f)))
#define JSON_ACTION_(f)
#define JSON_EXTRA(f) BIND(db_bind_text(st, ++i, cat_extra_label(e->f)))
#define JSON_CALC(f) JSON_TEXT(f)
#define JSON_ARRAY(f) BIND(db_bind_text(st, ++i, arr.f ? arr.f : "[]"))
#define JSON_MEMBER(how, field, column, member) JSON_##how(field)

static enum cat_status
entry_json(struct catalog *cat, const struct cat_entry *e, char **out, struct cat_error *err)
{
	struct entry_arrays arr = { 0 };
	enum cat_status s = CAT_OK;
	sqlite3_stmt *st;
	size_t k;
	int rc = SQLITE_OK, i = 0;

	*out = NULL;
	for (k = 0; k < e->n_texts && s == CAT_OK; k++)
		s = append(cat, &arr.texts, "str", &e->texts[k], 1, err);
	for (k = 0; k < e->n_notes && s == CAT_OK; k++) {
		char label[512]; /* as long as a label the loader wrote */
		const char *v[2] = { cat_note_label(&e->notes[k], label, sizeof(label)),
				     e->notes[k].body };

		s = append(cat, &arr.notes, "note", v, 2, err);
	}
	for (k = 0; k < e->n_sources && s == CAT_OK; k++) {
		const struct cat_source *src = &e->sources[k];
		const char *v[4] = { src->title, src->href, src->as_of, src->license };

		s = append(cat, &arr.sources, "source", v, 4, err);
	}
	for (k = 0; k < e->n_links && s == CAT_OK; k++) {
		const struct cat_link *l = &e->links[k];
		const char *v[6] = { l->key, l->code, l->title, l->why, l->provider,
				     cat_kind_name(l->kind) };

		s = append(cat, &arr.links, "link", v, 6, err);
	}
	if (s != CAT_OK)
		goto out;
	st = db_stmt(cat, ST_J_ENTRY);
	ENTRY_FIELDS(JSON_MEMBER)
	if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		s = db_fail(cat, err, "JSON");
		goto out;
	}
	*out = take_text(st);
	sqlite3_reset(st);
	if (!*out)
		s = cat_fail(err, CAT_ENOMEM, "out of memory");
out:
	free(arr.texts);
	free(arr.notes);
	free(arr.sources);
	free(arr.links);
	return s;
}

static int
has_details(const struct cat_entry *e)
{
	return e->kind == CAT_KIND_DECODED || e->n_texts || e->n_notes || e->n_sources ||
	       e->n_links;
}

/* ------------------------------------------------------------ without SQLite
 *
 * A lookup the lookup image answers is written without SQLite too, by the
 * JSON writer, in the very form of the statements above: the members of
 * ENTRY_JSON_SQL (db.c) in the order of ENTRY_FIELDS, the arrays as
 * ST_J_APPEND makes them and the document as ST_J_DOC. Only for the
 * queries the image knows, whose text is the built-in catalog's (XML holds
 * none of the controls the two writers escape differently);
 * test_lookup_image compares the two for each of them. */

#define W_NULL_OR(set, x)                                                                  \
	if (set)                                                                           \
		x;                                                                         \
	else                                                                               \
		jw_null(w);
#define W_KEY(f, m) jw_key(w, m); jw_str(w, e->f);
#define W_KIND(f, m) jw_key(w, m); jw_str(w, cat_kind_name(e->f));
#define W_TEXT(f, m) jw_key(w, m); jw_str(w, e->f);
#define W_TEXT_(f, m)
#define W_INT(f, m) jw_key(w, m); W_NULL_OR(e->f != 0, jw_int(w, e->f))
#define W_NUM(f, m) jw_key(w, m); W_NULL_OR(e->f >= 0, jw_int(w, e->f))
#define W_NUM_(f, m)
#define W_DETAIL(f, m) W_NUM(f, m)
#define W_BOOL(f, m) jw_key(w, m); jw_bool(w, e->f != 0);
#define W_SEVERITY(f, m) jw_key(w, m); jw_str(w, cat_class_severity(e->f));
#define W_TYPE(f, m) jw_key(w, m); jw_str(w, cat_type_name(e->f));
#define W_GROUP(f, m) jw_key(w, m); jw_str(w, cat_group_name(e->f));
#define W_ACTION(f, m) jw_key(w, m); jw_str(w, cat_action_name(e->f));
#define W_ACTION_(f, m)
#define W_EXTRA(f, m) jw_key(w, m); jw_str(w, cat_extra_label(e->f));
#define W_CALC(f, m) W_TEXT(f, m)
#define W_ARRAY(f, m) jw_key(w, m); write_##f(w, e);
#define W_MEMBER(how, field, column, member) W_##how(field, member)

static void
write_texts(struct jsonw *w, const struct cat_entry *e)
{
	size_t k;

	jw_arr(w);
	for (k = 0; k < e->n_texts; k++)
		jw_str(w, e->texts[k]);
	jw_end_arr(w);
}

static void
write_notes(struct jsonw *w, const struct cat_entry *e)
{
	char label[512]; /* as entry_json() */
	size_t k;

	jw_arr(w);
	for (k = 0; k < e->n_notes; k++) {
		jw_obj(w);
		jw_key(w, "label");
		jw_str(w, cat_note_label(&e->notes[k], label, sizeof(label)));
		jw_key(w, "body");
		jw_str(w, e->notes[k].body);
		jw_end_obj(w);
	}
	jw_end_arr(w);
}

static void
write_sources(struct jsonw *w, const struct cat_entry *e)
{
	size_t k;

	jw_arr(w);
	for (k = 0; k < e->n_sources; k++) {
		const struct cat_source *src = &e->sources[k];

		jw_obj(w);
		jw_key(w, "title");
		jw_str(w, src->title);
		jw_key(w, "href");
		jw_str(w, src->href);
		jw_key(w, "as_of");
		jw_str(w, src->as_of);
		jw_key(w, "license");
		jw_str(w, src->license);
		jw_end_obj(w);
	}
	jw_end_arr(w);
}

static void
write_links(struct jsonw *w, const struct cat_entry *e)
{
	size_t k;

	jw_arr(w);
	for (k = 0; k < e->n_links; k++) {
		const struct cat_link *l = &e->links[k];

		jw_obj(w);
		jw_key(w, "key");
		jw_str(w, l->key);
		jw_key(w, "code");
		jw_str(w, l->code);
		jw_key(w, "title");
		jw_str(w, l->title);
		jw_key(w, "why");
		jw_str(w, l->why);
		jw_key(w, "provider");
		jw_str(w, l->provider);
		jw_key(w, "kind");
		jw_str(w, cat_kind_name(l->kind));
		jw_end_obj(w);
	}
	jw_end_arr(w);
}

static void
write_entry(struct jsonw *w, const struct cat_entry *e)
{
	jw_obj(w);
	ENTRY_FIELDS(W_MEMBER)
	jw_end_obj(w);
}

/* cat_result_json() of a lookup the lookup image answered. */
static enum cat_status
result_json_image(struct catalog *cat, const struct cat_result *res, const char *query,
		  char **out, struct cat_error *err)
{
	struct jsonw w = { 0 };
	enum cat_status s = CAT_OK;
	size_t i;

	jw_obj(&w);
	jw_key(&w, "query");
	jw_str(&w, query);
	jw_key(&w, "count");
	jw_int(&w, (long long)res->n);
	jw_key(&w, "truncated");
	jw_int(&w, (long long)res->truncated);
	jw_key(&w, "catalogs");
	jw_arr(&w);
	for (i = 0; i < cat->n_origins; i++)
		jw_str(&w, cat->origins[i]);
	jw_end_arr(&w);
	jw_key(&w, "results");
	jw_arr(&w);
	for (i = 0; i < res->n && s == CAT_OK; i++) {
		const struct cat_entry *e = &res->entries[i];
		struct cat_result *full = NULL;

		if (!has_details(e) && e->key) {
			s = cat_get(cat, e->key, e->cls, &full, err);
			if (s != CAT_OK)
				break;
			e = &full->entries[0];
		}
		write_entry(&w, e);
		cat_result_free(full);
	}
	jw_end_arr(&w);
	jw_end_obj(&w);
	if (s == CAT_OK && w.oom)
		s = cat_fail(err, CAT_ENOMEM, "out of memory");
	if (s != CAT_OK) {
		free(w.buf);
		return s;
	}
	*out = w.buf;
	return CAT_OK;
}

enum cat_status
cat_result_json(struct catalog *cat, const struct cat_result *res, const char *query, char **out,
		struct cat_error *err)
{
	enum cat_status s;
	sqlite3_stmt *st;
	char *origins = NULL, *fixed_query = NULL;
	size_t i;

	if (!cat || !res || !out)
		return cat_fail(err, CAT_EUSAGE, "cat_result_json: bad arguments");
	*out = NULL;
	if (query && lk_of(cat) && lk_knows(lk_of(cat), query))
		return result_json_image(cat, res, query, out, err);
	s = db_jout_clear(cat, err);
	for (i = 0; i < cat->n_origins && s == CAT_OK; i++) {
		const char *v = cat->origins[i];

		s = append(cat, &origins, "str", &v, 1, err);
	}
	for (i = 0; i < res->n && s == CAT_OK; i++) {
		const struct cat_entry *e = &res->entries[i];
		struct cat_result *full = NULL;
		char *doc = NULL;

		/* list and search results carry no details: fetch the entry whole */
		if (!has_details(e) && e->key) {
			s = cat_get(cat, e->key, e->cls, &full, err);
			if (s != CAT_OK)
				break;
			e = &full->entries[0];
		}
		s = entry_json(cat, e, &doc, err);
		cat_result_free(full);
		if (s != CAT_OK)
			break;
		st = db_stmt(cat, ST_J_INSERT);
		if (db_bind_text(st, 1, doc) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
			s = db_fail(cat, err, "JSON");
		sqlite3_reset(st);
		free(doc);
	}
	if (s == CAT_OK && query && !(fixed_query = utf8_fixed(query)))
		s = cat_fail(err, CAT_ENOMEM, "out of memory");
	if (s == CAT_OK) {
		st = db_stmt(cat, ST_J_DOC);
		if (db_bind_text(st, 1, fixed_query) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 2, (sqlite3_int64)res->n) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 3, (sqlite3_int64)res->truncated) != SQLITE_OK ||
		    db_bind_text(st, 4, origins ? origins : "[]") != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_ROW) {
			s = db_fail(cat, err, "JSON");
		} else {
			/* SQLite escapes only C0: catalog text, a file name or the
			 * query may hold invalid UTF-8, C1 or bidi controls */
			*out = jw_clean((const char *)sqlite3_column_text(st, 0),
					(size_t)sqlite3_column_bytes(st, 0));
			if (!*out)
				s = cat_fail(err, CAT_ENOMEM, "out of memory");
		}
		sqlite3_reset(st);
	}
	free(origins);
	free(fixed_query);
	if (s == CAT_OK) {
		struct cat_error ignore;

		db_exec(cat, "DELETE FROM temp.jout", &ignore);
	}
	return s;
}
