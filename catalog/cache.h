/* cache.h: the index cache (cache.c), as catalog.c and load.c use it. */
#ifndef BOUNCE_CATALOG_CACHE_H
#define BOUNCE_CATALOG_CACHE_H

#include <sys/stat.h>

#include "db.h"

/* Whether loads are noted for cat_ready() instead of done at once. */
int
cache_noting(const struct catalog *cat);

/* Notes the regular file `path`, whose stat(2) is *sb, to be loaded by
 * cat_ready(). A file found in a directory names the callback its error
 * goes to (skipped, ctx); a file named on its own has none, and its error
 * stops cat_ready(). */
enum cat_status
cache_note(struct catalog *cat, const char *path, const struct stat *sb, cat_skip_fn skipped,
	   void *ctx, struct cat_error *err);

/* Something to be loaded was skipped (and reported) while noting: no cache
 * file is written, so that the report comes at every start. */
void
cache_taint(struct catalog *cat);

/* The i-th noted file's path, and the callback it was noted with (its
 * errors go there; NULL: they stop the load); NULL past the last. For
 * load_noted(), which loads them. */
const char *
cache_noted(const struct catalog *cat, size_t i, cat_skip_fn *skipped, void **ctx);

/* The i-th noted file was loaded: if it is no longer what was noted, no
 * cache file is written. */
void
cache_loaded(struct catalog *cat, size_t i);

/* Stops noting and gives up the cache: cat_load_buffer() while noting (a
 * buffer has no identity to key a cache with). */
void
cache_give_up(struct catalog *cat);

/* The first step of cat_ready() when noting (it stops noting): opens the
 * cache file made from the same inputs (*hit = 1: the catalog is loaded
 * and indexed); else *hit = 0 and the noted files are to be loaded
 * (load_noted()). */
enum cat_status
cache_open(struct catalog *cat, int *hit, struct cat_error *err);

/* The last step of cat_ready(), after the commit: writes the cache file
 * when files were loaded and it should be written. Never fails: the state
 * says what happened. */
void
cache_write(struct catalog *cat);

/* Accepts NULL. */
void
cache_free(struct cache *c);

#endif
