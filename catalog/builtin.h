/* builtin.h: the catalog and schema compiled into the binary. The data is
 * generated at build time (gen/builtin.c, by tools/embed) from
 * data/catalog.xml and data/catalog.rng; each array has a NUL appended that
 * its length does not count. */
#ifndef BOUNCE_CATALOG_BUILTIN_H
#define BOUNCE_CATALOG_BUILTIN_H

#include <stddef.h>

extern const unsigned char cat_builtin_xml[];
extern const size_t cat_builtin_xml_len;
extern const unsigned char cat_builtin_rng[];
extern const size_t cat_builtin_rng_len;

/* The built-in catalog already loaded and indexed: a SQLite database image
 * made at build time by tools/mkindex (gen/builtin_db.c). Length 0 means
 * there is none and cat_open() parses cat_builtin_xml instead. */
extern const unsigned char cat_builtin_db[];
extern const size_t cat_builtin_db_len;

/* The analyzer of that image, compiled at build time by tools/mkanalyzer
 * (gen/builtin_an.c): its arrays and its automaton's tables as C data,
 * which cat_analyzer_new() uses where they are while the catalog is the
 * image alone. Their pointers are set at the first call of either (once,
 * thread-safe), not by the dynamic loader at every start. NULL when there
 * is none (the tools that make the images). */
struct cat_analyzer;
struct acm_tables;
const struct cat_analyzer *cat_builtin_analyzer(void);
const struct acm_tables *cat_builtin_acm(void);

#endif
