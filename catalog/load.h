/* load.h: what catalog.c needs from the XML loader. */
#ifndef BOUNCE_CATALOG_LOAD_H
#define BOUNCE_CATALOG_LOAD_H

#include "db.h"

/* Compiles the built-in RELAX NG schema into cat->schema. */
enum cat_status
load_schema(struct catalog *cat, struct cat_error *err);

/* Routes libxml2's messages nowhere (its default writes to stderr, which
 * would scribble over a curses screen); loads install their own handler. */
void
load_quiet_libxml(void);

/* Loads one catalog file now: cat_load_file() without the cache. */
enum cat_status
load_file(struct catalog *cat, const char *path, struct cat_error *err);

/* Whether a file's error stops the loading of its directory even when
 * files are skipped: the catalog itself is in trouble, not the file. */
int
load_fatal(enum cat_status st);

#endif
