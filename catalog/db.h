/* db.h: the SQLite side of the engine: the schema, the prepared statements
 * and the definition of struct catalog, shared by load.c, query.c, json.c. */
#ifndef BOUNCE_CATALOG_DB_H
#define BOUNCE_CATALOG_DB_H

#include <sqlite3.h>

#include <libxml/relaxng.h>

#include "catalog.h"
#include "util.h"

/* Columns of an entry row returned by every entry query, in this order:
 * see ENTRY_COLUMNS in db.c. X(id). */
#define ENTRY_COL_LIST(X)                                                      \
	X(EC_ID) X(EC_KIND) X(EC_KEY) X(EC_CODE) X(EC_TITLE) X(EC_STATUS)      \
	X(EC_RFC) X(EC_PROVIDER) X(EC_PROVIDER_NAME) X(EC_TAG) X(EC_REPLY)     \
	X(EC_ECLS) X(EC_ESUBJ) X(EC_ELO) X(EC_EHI) X(EC_REASON)                \
	X(EC_REASON_TITLE) X(EC_REASON_TYPE) X(EC_REASON_GROUP) X(EC_ACTION)   \
	X(EC_IMPACT) X(EC_IMPACT_TITLE) X(EC_IMPACT_LEVEL) X(EC_LIKELY)        \
	X(EC_ASSOC) X(EC_DIFFERS) X(EC_REG_KEY) X(EC_REG_TITLE) X(EC_MEANING)  \
	X(EC_CAUSES) X(EC_FIX) X(EC_EXTRA_LABEL) X(EC_EXTRA) X(EC_METRIC)      \
	X(EC_LIMIT) X(EC_PM_HREF) X(EC_PM) X(EC_ORIGIN) X(EC_LINE)

enum entry_col {
#define EC_ENUM(id) id,
	ENTRY_COL_LIST(EC_ENUM)
#undef EC_ENUM
	EC_COUNT
};

/* Prepared statements: X(id, sql). Prepared once in db_open(), finalized in
 * db_close(). The SQL lives in db.c. */
#define STMT_LIST(X)                                                           \
	X(ST_ORIGIN_INSERT)                                                    \
	X(ST_ENTRY_FIND)                                                       \
	X(ST_ENTRY_DELETE)                                                     \
	X(ST_ENTRY_INSERT)                                                     \
	X(ST_TEXT_INSERT)                                                      \
	X(ST_NOTE_INSERT)                                                      \
	X(ST_SOURCE_INSERT)                                                    \
	X(ST_LINK_INSERT)                                                      \
	X(ST_ALIAS_FIND)                                                       \
	X(ST_ALIAS_INSERT)                                                     \
	X(ST_DOMAIN_INSERT)                                                    \
	X(ST_MARKER_INSERT)                                                    \
	X(ST_BITFLAGS_INSERT)                                                  \
	X(ST_FLAG_INSERT)                                                      \
	X(ST_PHRASE_FIND)                                                      \
	X(ST_PHRASE_DELETE)                                                    \
	X(ST_PHRASE_INSERT)                                                    \
	X(ST_CHECK_REFS)                                                       \
	X(ST_Q_KEY)                                                            \
	X(ST_Q_ENTRIES)                                                        \
	X(ST_Q_TAG)                                                            \
	X(ST_Q_LIST)                                                           \
	X(ST_Q_SEARCH_COUNT)                                                   \
	X(ST_Q_SEARCH)                                                         \
	X(ST_Q_SEARCH_FAST)                                                    \
	X(ST_Q_SEARCH_IDS)                                                     \
	X(ST_Q_TEXTS)                                                          \
	X(ST_Q_NOTES)                                                          \
	X(ST_Q_SOURCES)                                                        \
	X(ST_Q_RELATED)                                                        \
	X(ST_Q_BITFLAGS)                                                       \
	X(ST_Q_FLAGS)                                                          \
	X(ST_Q_ALIAS)                                                          \
	X(ST_Q_COUNT)                                                          \
	X(ST_J_ENTRY)                                                          \
	X(ST_J_APPEND)                                                         \
	X(ST_J_INSERT)                                                         \
	X(ST_J_DOC)                                                            \
	X(ST_J_CLEAR)

enum stmt_id {
#define ST_ENUM(id) id,
	STMT_LIST(ST_ENUM)
#undef ST_ENUM
	ST_COUNT
};

struct catalog {
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	xmlRelaxNGPtr schema;
	int ready;       /* cat_ready() done: no more loads */
	int dirty;       /* files loaded since the index was built */
	int in_image;    /* the database is the deserialized built-in image */
	int origin_id;   /* row id of the file being loaded */
	char **origins;  /* names of loaded files, in order */
	size_t n_origins;
	struct cat_arena *arena; /* strings that live as long as the catalog */
	void *interned;          /* provider ids handed out, see query_intern() */
	char prep_error[512];    /* why a statement could not be prepared */
};

/* Opens the in-memory database, creates the schema (or, when `image` is
 * not NULL, loads that database image made by cat_export_db()), prepares
 * every statement and begins the load transaction. */
enum cat_status
db_open(struct catalog *cat, const unsigned char *image, size_t len, struct cat_error *err);

/* Finalizes the statements and closes the database. Accepts a catalog whose
 * db_open() failed half way. */
void
db_close(struct catalog *cat);

/* Runs SQL with no result rows. */
enum cat_status
db_exec(struct catalog *cat, const char *sql, struct cat_error *err);

/* Moves a deserialized image into a plain in-memory database, before
 * files are loaded into it. Nothing to do for a database made empty. */
enum cat_status
db_leave_image(struct catalog *cat, struct cat_error *err);

/* Drops (on = 0) or builds (on = 1) the secondary indexes. */
enum cat_status
db_index(struct catalog *cat, int on, struct cat_error *err);

/* The statement `id`, reset and with bindings cleared: ready to bind.
 * Prepared on first use; NULL if that fails (see db_fail()). */
sqlite3_stmt *
db_stmt(struct catalog *cat, enum stmt_id id);

/* Fills err from the database's last error, naming `what`; returns CAT_ESQL
 * (or CAT_ENOMEM when SQLite ran out of memory). */
enum cat_status
db_fail(struct catalog *cat, struct cat_error *err, const char *what);

/* Binds a string or NULL; returns the SQLite result code. */
int
db_bind_text(sqlite3_stmt *st, int idx, const char *s);

/* Binds an integer, or NULL when `set` is 0. */
int
db_bind_int(sqlite3_stmt *st, int idx, int set, int v);

#endif
