/* query.h: what other engine files need from query.c. */
#ifndef BOUNCE_CATALOG_QUERY_H
#define BOUNCE_CATALOG_QUERY_H

#include "db.h"

/* One copy of s kept for the catalog's lifetime (borrowed); NULL on out of
 * memory. For the few distinct provider ids handed to callers. */
const char *
query_intern(struct catalog *cat, const char *s);

#endif
