/* noimage.c: the images the tools that make them have not got.
 *
 * tools/mkindex, tools/mkanalyzer and tools/mklookup link the engine
 * without the images they (or the next of them) write, so the engine
 * compiles its analyzer and answers its lookups from the database. */
#include <stddef.h>

#include "builtin.h"
#include "lookup.h"

const struct cat_analyzer *
cat_builtin_analyzer(void)
{
	return NULL;
}

const struct acm_tables *
cat_builtin_acm(void)
{
	return NULL;
}

const struct lk_image *const cat_builtin_lookup = NULL;
