/* json.c: results as JSON, written by SQLite's JSON functions from bound
 * values, so quoting and escaping are SQLite's, never ours. */
#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
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

static enum cat_status
entry_json(struct catalog *cat, const struct cat_entry *e, char **out, struct cat_error *err)
{
	char *texts = NULL, *notes = NULL, *sources = NULL, *links = NULL;
	enum cat_status s = CAT_OK;
	sqlite3_stmt *st;
	char detail[32] = "";
	size_t i;
	int rc = SQLITE_OK;

	*out = NULL;
	for (i = 0; i < e->n_texts && s == CAT_OK; i++)
		s = append(cat, &texts, "str", &e->texts[i], 1, err);
	for (i = 0; i < e->n_notes && s == CAT_OK; i++) {
		const char *v[2] = { e->notes[i].label, e->notes[i].body };

		s = append(cat, &notes, "note", v, 2, err);
	}
	for (i = 0; i < e->n_sources && s == CAT_OK; i++) {
		const struct cat_source *src = &e->sources[i];
		const char *v[4] = { src->title, src->href, src->as_of, src->license };

		s = append(cat, &sources, "source", v, 4, err);
	}
	for (i = 0; i < e->n_links && s == CAT_OK; i++) {
		const struct cat_link *l = &e->links[i];
		const char *v[6] = { l->key, l->code, l->title, l->why, l->provider,
				     cat_kind_name(l->kind) };

		s = append(cat, &links, "link", v, 6, err);
	}
	if (s != CAT_OK)
		goto out;
	if (e->detail_lo >= 0 && e->detail_hi > e->detail_lo)
		snprintf(detail, sizeof(detail), "%d-%d", e->detail_lo, e->detail_hi);

	st = db_stmt(cat, ST_J_ENTRY);
#define T(i, v)                                                                \
	if (rc == SQLITE_OK)                                                   \
	rc = db_bind_text(st, i, v)
#define N(i, set, v)                                                           \
	if (rc == SQLITE_OK)                                                   \
	rc = db_bind_int(st, i, set, v)
	T(1, e->key);
	T(2, cat_kind_name(e->kind));
	T(3, e->code);
	T(4, e->title);
	T(5, e->status);
	T(6, e->rfc);
	T(7, e->provider);
	T(8, e->provider_name);
	T(9, e->tag);
	N(10, e->reply != 0, e->reply);
	N(11, e->cls != 0, e->cls);
	N(12, e->subject >= 0, e->subject);
	if (e->detail_lo >= 0 && e->detail_hi == e->detail_lo) {
		N(13, 1, e->detail_lo);
	} else {
		T(13, detail[0] ? detail : NULL);
	}
	T(14, e->severity);
	T(15, e->reason);
	T(16, e->reason_type);
	T(17, e->reason_group);
	T(18, e->action);
	T(19, e->impact);
	T(20, e->impact_level);
	T(21, e->likely);
	T(22, e->differs ? "true" : "false");
	T(23, e->registry_key);
	T(24, e->registry_title);
	T(25, e->meaning);
	T(26, e->class_meaning);
	T(27, e->causes);
	T(28, e->fix);
	T(29, e->extra_label);
	T(30, e->extra);
	T(31, e->metric);
	T(32, e->limit);
	T(33, e->postmaster_href);
	T(34, texts ? texts : "[]");
	T(35, notes ? notes : "[]");
	T(36, sources ? sources : "[]");
	T(37, links ? links : "[]");
	T(38, e->origin);
	N(39, e->line > 0, e->line);
	T(40, e->assoc);
#undef T
#undef N
	if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		s = db_fail(cat, err, "JSON");
		goto out;
	}
	*out = take_text(st);
	sqlite3_reset(st);
	if (!*out)
		s = cat_fail(err, CAT_ENOMEM, "out of memory");
out:
	free(texts);
	free(notes);
	free(sources);
	free(links);
	return s;
}

static int
has_details(const struct cat_entry *e)
{
	return e->kind == CAT_KIND_DECODED || e->n_texts || e->n_notes || e->n_sources ||
	       e->n_links;
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
	s = db_exec(cat, "DELETE FROM temp.jout", err);
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
			*out = take_text(st);
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
