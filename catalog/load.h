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

/* Loads the files the index cache noted (cache_noted()), in order, as the
 * calls that noted them would have: a file found in a directory is skipped
 * on error, a file named on its own stops the load. */
enum cat_status
load_noted(struct catalog *cat, struct cat_error *err);

#endif
