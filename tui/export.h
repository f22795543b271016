/* export.h: --export-db, with its temporary file removed on a signal. */
#ifndef BOUNCE_TUI_EXPORT_H
#define BOUNCE_TUI_EXPORT_H

#include "bounce/catalog.h"

/* Writes the catalog's index to `path` (cat_export_db()). While it runs,
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT remove the temporary file and then end
 * the program as the signal would have. Returns 0, or -1 after printing the
 * error. */
int
export_db(struct catalog *cat, const char *path);

#endif
