/* db.h: the SQLite side of the engine: the schema, the prepared statements
 * and the definition of struct catalog, shared by load.c, query.c, json.c. */
#ifndef BOUNCE_CATALOG_DB_H
#define BOUNCE_CATALOG_DB_H

#include <sqlite3.h>

#include <libxml/relaxng.h>

#include "bounce/catalog.h"
#include "util.h"

/* An entry's fields as the engine reads and writes them, in the order of
 * the JSON members: X(how, field, column, member). The SELECT column list,
 * enum entry_col, the row copy (query.c) and the JSON object of an entry
 * (json.c) are generated from it; struct cat_entry (bounce/catalog.h) declares the
 * fields and the compiler checks every name here against it.
 *   how     what the field is, and so how it is read and written:
 *           KEY     the key, a string; the first JSON member
 *           TEXT    a string; null in JSON when NULL
 *           TEXT_   a string the JSON leaves out
 *           INT     an integer, 0 when the column is NULL; null in JSON when 0
 *           NUM     an integer, -1 when NULL (a subject or detail may be 0)
 *           NUM_    as NUM, left out of the JSON
 *           DETAIL  the low end of the detail range: JSON "detail" is a number
 *                   (606 of 606-649) or null, as "detail_max" is of the high end
 *           ACTION  enum cat_action from its word; JSON the word
 *           ACTION_ as ACTION, left out of the JSON
 *           BOOL    0 or 1; JSON false or true
 *           KIND    enum cat_kind; JSON its name
 *           SEVERITY enum cat_class: the column is the severity word the
 *                   catalog gives a class row; the engine rates the other
 *                   entries by their class (query.c). JSON the word
 *           TYPE    enum cat_type from its word; JSON the word
 *           GROUP   enum cat_group from its word; JSON the word
 *           EXTRA   enum cat_extra; JSON its label
 *           CALC    filled by the engine, no column: a string in JSON
 *           ARRAY   filled by cat_get() from a side table: a JSON array
 *   field   the member of struct cat_entry
 *   column  its SQL in the entry query; - when it has none. e is the entry,
 *           g the registry entry of a provider entry's enhanced code, p its
 *           provider, r its reason, i its impact, o the file it came from
 *   member  its JSON member; - when it has none
 */
#define ENTRY_FIELDS(X)                                                                    \
	X(KEY, key, "e.key", "key")                                                        \
	X(KIND, kind, "e.kind", "kind")                                                    \
	X(TEXT, code, "e.code", "code")                                                    \
	X(TEXT, title, "e.title", "title")                                                 \
	X(TEXT, status, "e.status", "status")                                              \
	X(TEXT, rfc, "e.rfc", "rfc")                                                       \
	X(TEXT, provider, "e.provider", "provider")                                        \
	X(TEXT, provider_name, "p.title", "provider_name")                                 \
	X(TEXT, tag, "e.tag", "tag")                                                       \
	X(INT, reply, "e.reply", "reply_code")                                             \
	X(INT, cls, "e.ecls", "class")                                                     \
	X(NUM, subject, "e.esubj", "subject")                                              \
	X(DETAIL, detail_lo, "e.elo", "detail")                                            \
	X(NUM, detail_hi, "e.ehi", "detail_max")                                           \
	X(SEVERITY, severity, "CASE WHEN e.kind = kind_id('class') THEN e.level END",      \
	  "severity")                                                                      \
	X(TEXT, reason, "COALESCE(e.reason, g.reason)", "reason")                          \
	X(TEXT_, reason_title, "r.title", -)                                               \
	X(TYPE, reason_type, "COALESCE(r.rtype, e.rtype)", "reason_type")                  \
	X(GROUP, reason_group, "COALESCE(r.rgroup, e.rgroup)", "reason_group")             \
	X(ACTION, action_id, "COALESCE(r.act, e.act)", "action")                           \
	X(TEXT, action, "COALESCE(r.action, e.action)", "action_text")                     \
	X(ACTION_, action_transient, "COALESCE(r.act_t, e.act_t)", -)                      \
	X(TEXT, impact, "COALESCE(e.impact, g.impact, r.impact)", "impact")                \
	X(TEXT_, impact_title, "i.title", -)                                               \
	/* a class row keeps its severity in `level`: it has no impact level */            \
	X(TEXT, impact_level,                                                              \
	  "COALESCE(i.level, CASE WHEN e.kind != kind_id('class') THEN e.level END)",       \
	  "impact_level")                                                                  \
	X(TEXT, likely, "e.likely", "likely")                                              \
	X(BOOL, differs, "e.differs", "differs_from_registry")                             \
	X(TEXT, registry_key, "g.key", "registry_key")                                     \
	X(TEXT, registry_title, "g.title", "registry_title")                               \
	X(TEXT, meaning, "e.meaning", "meaning")                                           \
	X(CALC, class_meaning, -, "class_meaning")                                         \
	X(TEXT, causes, "e.causes", "causes")                                              \
	X(TEXT, fix, "e.fix", "fix")                                                       \
	X(EXTRA, extra_kind, "e.extra_kind", "extra_label")                               \
	X(TEXT, extra, "e.extra", "extra")                                                 \
	X(TEXT, metric, "e.metric", "metric")                                              \
	X(TEXT, limit, "e.lim", "limit")                                                   \
	X(TEXT, postmaster_href, "e.pm_href", "postmaster")                                \
	X(TEXT_, postmaster, "e.pm", -)                                                    \
	X(TEXT, delist_by, "e.dl_by", "delist_by")                                         \
	X(TEXT, delist, "e.dl", "delist")                                                  \
	X(TEXT, delist_href, "e.dl_href", "delist_href")                                   \
	X(ARRAY, texts, -, "texts")                                                        \
	X(ARRAY, notes, -, "notes")                                                        \
	X(ARRAY, sources, -, "sources")                                                    \
	X(ARRAY, links, -, "related")                                                      \
	X(TEXT, origin, "o.name", "origin")                                                \
	X(INT, line, "e.line", "line")                                                     \
	X(TEXT, assoc, "e.assoc", "assoc")

/* ENTRY_HAS_COLUMN_how(...): its arguments when fields of that kind are a
 * column of the entry query, nothing when the engine fills them. */
#define ENTRY_HAS_COLUMN_KEY(...) __VA_ARGS__
#define ENTRY_HAS_COLUMN_KIND(...) __VA_ARGS__
#define ENTRY_HAS_COLUMN_TEXT(...) __VA_ARGS__
#define ENTRY_HAS_COLUMN_TEXT_(...) __VA_ARGS__
#define ENTRY_HAS_COLUMN_INT(...) __VA_ARGS__
#define ENTRY_HAS_COLUMN_NUM(...) __VA_ARGS__
#define ENTRY_HAS_COLUMN_NUM_(...) __VA_ARGS__
#define ENTRY_HAS_COLUMN_DETAIL(...) __VA_ARGS__
#define ENTRY_HAS_COLUMN_BOOL(...) __VA_ARGS__
#define ENTRY_HAS_COLUMN_SEVERITY(...) __VA_ARGS__
#define ENTRY_HAS_COLUMN_TYPE(...) __VA_ARGS__
#define ENTRY_HAS_COLUMN_GROUP(...) __VA_ARGS__
#define ENTRY_HAS_COLUMN_ACTION(...) __VA_ARGS__
#define ENTRY_HAS_COLUMN_ACTION_(...) __VA_ARGS__
#define ENTRY_HAS_COLUMN_EXTRA(...) __VA_ARGS__
#define ENTRY_HAS_COLUMN_CALC(...)
#define ENTRY_HAS_COLUMN_ARRAY(...)

/* Columns of an entry row returned by every entry query: the row id, then
 * the fields that have a column, in the order of ENTRY_FIELDS. */
enum entry_col {
	EC_ID,
#define EC_ENUM(how, field, column, member) ENTRY_HAS_COLUMN_##how(EC_##field, )
	ENTRY_FIELDS(EC_ENUM)
#undef EC_ENUM
	EC_COUNT
};

/* The columns an entry row is inserted with (load.c), X(id, column): the
 * INSERT statement and load.c's enum ins of its parameters are made from
 * it, so a column and its value cannot come apart. */
#define ENTRY_INSERT_LIST(X)                                                            \
	X(I_KEY, "key")                                                                 \
	X(I_KIND, "kind")                                                               \
	X(I_CODE, "code")                                                               \
	X(I_TITLE, "title")                                                             \
	X(I_STATUS, "status")                                                           \
	X(I_RFC, "rfc")                                                                 \
	X(I_PROVIDER, "provider")                                                       \
	X(I_TAG, "tag")                                                                 \
	X(I_REPLY, "reply")                                                             \
	X(I_ECLS, "ecls")                                                               \
	X(I_ESUBJ, "esubj")                                                             \
	X(I_ELO, "elo")                                                                 \
	X(I_EHI, "ehi")                                                                 \
	X(I_REASON, "reason")                                                           \
	X(I_IMPACT, "impact")                                                           \
	X(I_RGROUP, "rgroup")                                                           \
	X(I_RTYPE, "rtype")                                                             \
	X(I_ACTION, "action")                                                           \
	X(I_LEVEL, "level")                                                             \
	X(I_LIKELY, "likely")                                                           \
	X(I_ASSOC, "assoc")                                                             \
	X(I_DIFFERS, "differs")                                                         \
	X(I_METRIC, "metric")                                                           \
	X(I_LIM, "lim")                                                                 \
	X(I_RATE, "rate")                                                               \
	X(I_PER, "per")                                                                 \
	X(I_PCT, "pct")                                                                 \
	X(I_PM_HREF, "pm_href")                                                         \
	X(I_PM, "pm")                                                                   \
	X(I_DL_BY, "dl_by")                                                             \
	X(I_DL, "dl")                                                                   \
	X(I_DL_HREF, "dl_href")                                                         \
	X(I_TEXTS, "texts")                                                             \
	X(I_MEANING, "meaning")                                                         \
	X(I_CAUSES, "causes")                                                           \
	X(I_FIX, "fix")                                                                 \
	X(I_EXTRA_KIND, "extra_kind")                                                   \
	X(I_EXTRA, "extra")                                                             \
	X(I_ACT, "act")                                                                 \
	X(I_ACT_T, "act_t")                                                             \
	X(I_TERMS, "terms")                                                             \
	X(I_ORIGIN, "origin")                                                           \
	X(I_LINE, "line")

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
	X(ST_Q_ROW)                                                            \
	X(ST_Q_KEY)                                                            \
	X(ST_Q_ENTRIES)                                                        \
	X(ST_Q_ENTRIES_ENH)                                                    \
	X(ST_Q_ENTRIES_REPLY)                                                  \
	X(ST_Q_TAG)                                                            \
	X(ST_Q_PRINTED)                                                        \
	X(ST_Q_TEXT_WORD)                                                      \
	X(ST_Q_LIST)                                                           \
	X(ST_Q_SEARCH_COUNT)                                                   \
	X(ST_Q_SEARCH)                                                         \
	X(ST_Q_SEARCH_FAST)                                                    \
	X(ST_Q_SEARCH_IDS)                                                     \
	X(ST_Q_SEARCH_HAS)                                                     \
	X(ST_Q_TEXTS)                                                          \
	X(ST_Q_NOTES)                                                          \
	X(ST_Q_SOURCES)                                                        \
	X(ST_Q_REL_ME)                                                         \
	X(ST_Q_REL_LINKS)                                                      \
	X(ST_Q_REL_SEEN_REPLY)                                                 \
	X(ST_Q_REL_SEEN_ENH)                                                   \
	X(ST_Q_REL_HERE)                                                       \
	X(ST_Q_REL_ENTRY)                                                      \
	X(ST_Q_BITFLAGS)                                                       \
	X(ST_Q_FLAGS)                                                          \
	X(ST_Q_ALIAS)                                                          \
	X(ST_Q_NAMES)                                                          \
	X(ST_Q_MARKER_TAG)                                                     \
	X(ST_Q_TAG_TEXT)                                                       \
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

struct cache;
struct lk_image;

struct catalog {
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	xmlRelaxNGPtr schema;
	int ready;       /* cat_ready() done: no more loads */
	int dirty;       /* files loaded since the index was built */
	int in_image;    /* the database is a read-only image (built-in or cached):
			    loading a file moves it out first (db_leave_image()) */
	int builtin_image; /* ... and it is the untouched built-in image: the
			      analyzer compiled at build time fits it */
	/* the built-in image while no query has needed SQLite yet: db_get()
	 * opens it (a lookup answered from the lookup image never does) */
	const unsigned char *image;
	size_t image_len;
	/* the lookup image (lookup.c) while the database is the untouched
	 * built-in image: lookups of the keys it holds are answered from it */
	const struct lk_image *lookup;
	int has_jout;    /* temp.jout exists (db_jout_clear()) */
	int origin_id;   /* row id of the file being loaded */
	char **origins;  /* names of loaded files, in order */
	size_t n_origins;
	struct cat_arena *arena; /* strings that live as long as the catalog */
	void *interned;          /* provider ids handed out, see query_intern() */
	char prep_error[512];    /* why a statement could not be prepared */
	struct cache *cache;     /* the index cache, NULL when not used (cache.c) */
};

/* Opens the in-memory database, creates the schema (or, when `image` is
 * not NULL, loads that database image made by cat_export_db()), prepares
 * every statement and begins the load transaction. */
enum cat_status
db_open(struct catalog *cat, const unsigned char *image, size_t len, struct cat_error *err);

/* Opens a new in-memory database on `image` (a database file's bytes, as
 * cat_export_db() writes them), with the engine's SQL functions. When not
 * `borrowed`, the image was allocated with sqlite3_malloc64() and SQLite
 * owns it from the call on, whatever the result, and may write and grow
 * it; a borrowed image is read only and must outlive the database.
 * Returns the SQLite result code; *out is NULL on failure. */
int
db_open_image(unsigned char *image, size_t len, int borrowed, sqlite3 **out);

/* Replaces the catalog's database (nothing loaded into it yet) with `db`,
 * an image from db_open_image() holding a whole loaded and indexed catalog,
 * and begins the load transaction on it. */
enum cat_status
db_replace(struct catalog *cat, sqlite3 *db, struct cat_error *err);

/* The database, opened first when it is the built-in image that nothing
 * has needed yet (cat_open() leaves it so: the lookups the lookup image
 * answers and the built-in analyzer never open SQLite). NULL when it cannot
 * be opened; db_fail() then says why. */
sqlite3 *
db_get(struct catalog *cat);

/* Finalizes the statements and closes the database. Accepts a catalog whose
 * db_open() failed half way. */
void
db_close(struct catalog *cat);

/* Runs SQL with no result rows. */
enum cat_status
db_exec(struct catalog *cat, const char *sql, struct cat_error *err);

/* Empties temp.jout, the JSON documents of one result, making it first. */
enum cat_status
db_jout_clear(struct catalog *cat, struct cat_error *err);

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
