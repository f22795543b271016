/* query.h: what other engine files need from query.c. */
#ifndef BOUNCE_CATALOG_QUERY_H
#define BOUNCE_CATALOG_QUERY_H

#include "db.h"

/* One copy of s kept for the catalog's lifetime (borrowed); NULL on out of
 * memory. For the few distinct provider ids handed to callers. */
const char *
query_intern(struct catalog *cat, const char *s);

/* The class a row is copied in as stored, without query_in_class(). */
enum { QUERY_RAW = -1 };

/* A new result, empty; NULL (err filled) when out of memory. */
struct cat_result *
query_result_new(struct cat_error *err);

/* A new zeroed entry (subject and details -1) at the end of res, matched
 * as m; NULL when out of memory. */
struct cat_entry *
query_result_add(struct cat_result *res, enum cat_match m);

/* Sets what depends on the class a query asked about (cls, 0 for the
 * entry's own) in e, an entry as stored: its class, the code of an
 * enhanced code in that class, the action for a transient code and the
 * rating. -1 when out of memory (res holds the strings), else 0. */
int
query_in_class(struct cat_result *res, struct cat_entry *e, int cls);

/* Sets e->class_meaning from e's notes: what the code means in its class. */
void
query_class_meaning(struct cat_entry *e);

/* Adds the entry keyed `key` to res as stored (QUERY_RAW) with its texts,
 * notes, sources and related entries: what tools/mklookup writes into the
 * lookup image. CAT_NOTFOUND when no entry has the key. */
enum cat_status
query_entry_raw(struct catalog *cat, const char *key, struct cat_result *res,
		struct cat_error *err);

#endif
