/* analyze.h: the analyzer is public through catalog.h (cat_analyzer_new,
 * cat_analyze, ...); this header only ties analyze.c to its JSON writer. */
#ifndef BOUNCE_CATALOG_ANALYZE_H
#define BOUNCE_CATALOG_ANALYZE_H

#include "catalog.h"

#endif
