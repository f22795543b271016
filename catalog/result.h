/* result.h: what query.c and lookup.c share of results: making them and the class rules of an entry. */
#ifndef BOUNCE_CATALOG_RESULT_H
#define BOUNCE_CATALOG_RESULT_H

#include "bounce/catalog.h"

/* A new result, empty; NULL (err filled) when out of memory. */
struct cat_result *
result_new(struct cat_error *err);

/* A new zeroed entry (subject and details -1) at the end of res, matched
 * as m; NULL when out of memory. The arrays grow at 8, 16, 32, ... entries. */
struct cat_entry *
result_add(struct cat_result *res, enum cat_match m);

/* Sets what depends on the class a query asked about (cls, 0 for the
 * entry's own) in e, an entry as stored: its class, the code of an
 * enhanced code in that class, the action for a transient code and the
 * rating. -1 when out of memory (res holds the strings), else 0. */
int
result_in_class(struct cat_result *res, struct cat_entry *e, int cls);

/* Sets e->class_meaning from e's notes: what the code means in its class. */
void
result_class_meaning(struct cat_entry *e);

#endif
