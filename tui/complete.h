/* complete.h: the words shell completion offers, for bounce --complete WHAT. */
#ifndef BOUNCE_TUI_COMPLETE_H
#define BOUNCE_TUI_COMPLETE_H

#include <stdio.h>

#include "bounce/catalog.h"

/* Whether `what` needs the catalog (providers, reasons, impacts, keys);
 * commands, options, kinds and the values of options do not. */
int
complete_needs_catalog(const char *what);

/* Prints the words of `what`, one a line: commands, options, providers
 * (ids, names and aliases of one word), reasons, impacts, kinds, keys (every
 * entry's key and tag), colors, formats, views (of the browser). cat may be NULL when
 * complete_needs_catalog() says no. Returns 0, or -1 for an unknown `what`
 * or a catalog error (reported on stderr). */
int
complete_print(FILE *f, struct catalog *cat, const char *what);

#endif
