/* mkindex: builds the index of the built-in catalog at build time.
 *
 *	tools/mkindex data/catalog.xml gen/catalog.db
 *
 * Loads the catalog with the engine itself (schema validation, lexical and
 * reference checks: a broken catalog fails the build with file:line), then
 * writes the SQLite database that `bounce` embeds and opens at start-up with
 * sqlite3_deserialize(), instead of parsing and indexing the XML each time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/catalog.h"
#include "builtin.h"

/* This program makes the image: it has none of its own (cat_open() is not
 * used here; it would fall back to parsing the XML). */
const unsigned char cat_builtin_db[1];
const size_t cat_builtin_db_len = 0;
/* nor an analyzer image or a lookup image, which tools/mkanalyzer and
 * tools/mklookup make from this one (tools/noimage.c) */

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

int
main(int argc, char **argv)
{
	struct catalog *cat = NULL;
	struct cat_error err = { 0 };
	size_t len = 0;
	char *xml;
	int rc = 1;

	if (argc != 3) {
		fputs("usage: mkindex CATALOG.xml OUT.db\n", stderr);
		return 2;
	}
	xml = slurp(argv[1], &len);
	if (!xml) {
		fprintf(stderr, "mkindex: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	/* the origin is "built-in", as when the XML is loaded at run time */
	if (cat_open_empty(&cat, &err) != CAT_OK ||
	    cat_load_buffer(cat, "built-in", xml, len, &err) != CAT_OK ||
	    cat_ready(cat, &err) != CAT_OK || cat_export_db(cat, argv[2], &err) != CAT_OK) {
		/* messages name "built-in": say which file that is */
		fprintf(stderr, "mkindex: %s (built-in = %s)\n", err.msg, argv[1]);
		goto out;
	}
	rc = 0;
out:
	cat_close(cat);
	free(xml);
	return rc;
}
