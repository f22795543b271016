/* query.h: what other engine files need from query.c. */
#ifndef BOUNCE_CATALOG_QUERY_H
#define BOUNCE_CATALOG_QUERY_H

#include "db.h"

/* One copy of s kept for the catalog's lifetime (borrowed); NULL on out of
 * memory. For the few distinct provider ids handed to callers. */
const char *
query_intern(struct catalog *cat, const char *s);

/* The class a row is copied in as stored, without result_in_class(). */
enum { QUERY_RAW = -1 };

/* Adds the entry keyed `key` to res as stored (QUERY_RAW) with its texts,
 * notes, sources and related entries: what tools/mklookup writes into the
 * lookup image. CAT_NOTFOUND when no entry has the key. */
enum cat_status
query_entry_raw(struct catalog *cat, const char *key, struct cat_result *res,
		struct cat_error *err);

#endif
