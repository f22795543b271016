/* db.c: schema, prepared statements and SQLite helpers. */
#include "db.h"

#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lookup.h"

static const char schema_sql[] =
	"CREATE TABLE origin(id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
	"CREATE TABLE entry("
	" id INTEGER PRIMARY KEY,"
	" key TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	" kind INTEGER NOT NULL,"
	" code TEXT NOT NULL, title TEXT NOT NULL, status TEXT, rfc TEXT,"
	" provider TEXT, tag TEXT COLLATE NOCASE,"
	" reply INTEGER, ecls INTEGER, esubj INTEGER, elo INTEGER, ehi INTEGER,"
	" reason TEXT, impact TEXT, rgroup TEXT, rtype TEXT, action TEXT, level TEXT,"
	" likely TEXT, assoc TEXT, differs INTEGER NOT NULL DEFAULT 0,"
	" metric TEXT, lim TEXT, rate TEXT, per TEXT, pct REAL, pm_href TEXT, pm TEXT, dl_by TEXT, dl TEXT, dl_href TEXT,"
	" texts TEXT, meaning TEXT NOT NULL, causes TEXT, fix TEXT,"
	" extra_kind INTEGER NOT NULL DEFAULT 0, extra TEXT, act TEXT, act_t TEXT, terms TEXT,"
	" origin INTEGER NOT NULL, line INTEGER NOT NULL);"
	/* side tables are clustered on (entry, pos): rows arrive in that order
	 * and are read by entry, so they need no index of their own */
	"CREATE TABLE text(entry INTEGER NOT NULL, pos INTEGER NOT NULL, body TEXT NOT NULL,"
	" PRIMARY KEY(entry, pos)) WITHOUT ROWID;"
	/* a note is what it is (kind, enum cat_note_kind) with a number and a
	 * text for it: its label is the front end's */
	"CREATE TABLE note(entry INTEGER NOT NULL, pos INTEGER NOT NULL, kind INTEGER NOT NULL,"
	" num INTEGER, param TEXT, body TEXT NOT NULL, PRIMARY KEY(entry, pos)) WITHOUT ROWID;"
	"CREATE TABLE source(entry INTEGER NOT NULL, pos INTEGER NOT NULL, title TEXT NOT NULL,"
	" href TEXT, as_of TEXT, license TEXT, PRIMARY KEY(entry, pos)) WITHOUT ROWID;"
	"CREATE TABLE link(entry INTEGER NOT NULL, pos INTEGER NOT NULL,"
	" ref TEXT NOT NULL COLLATE NOCASE, why TEXT, line INTEGER NOT NULL,"
	" PRIMARY KEY(entry, pos)) WITHOUT ROWID;"
	"CREATE TABLE alias(provider TEXT NOT NULL, name TEXT NOT NULL UNIQUE COLLATE NOCASE);"
	"CREATE TABLE domain(provider TEXT NOT NULL, name TEXT NOT NULL COLLATE NOCASE);"
	"CREATE TABLE marker(provider TEXT NOT NULL, place TEXT NOT NULL, strength TEXT NOT NULL,"
	" body TEXT NOT NULL, role TEXT);"
	"CREATE TABLE bitflags(id INTEGER PRIMARY KEY, provider TEXT NOT NULL,"
	" prefix TEXT NOT NULL, digits INTEGER NOT NULL, reply INTEGER, reason TEXT, impact TEXT,"
	" title TEXT NOT NULL, none TEXT NOT NULL, meaning TEXT NOT NULL, causes TEXT, fix TEXT,"
	" source TEXT, origin INTEGER NOT NULL, line INTEGER NOT NULL);"
	"CREATE TABLE flag(bitflags INTEGER NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL);"
	/* the analyzer's phrases: id is lang.slug */
	"CREATE TABLE phrase(id TEXT PRIMARY KEY COLLATE NOCASE, lang TEXT NOT NULL,"
	" lang_name TEXT NOT NULL, reason TEXT, cls INTEGER, implies TEXT, weight INTEGER NOT NULL,"
	" place TEXT NOT NULL, body TEXT NOT NULL, origin INTEGER NOT NULL, line INTEGER NOT NULL,"
	" event TEXT);"
	/* codes, titles and literal texts weigh more than explanations */
	/* terms: the reason id of a code or entry ("mailbox_full" is the words
	 * mailbox and full), so a search finds replies by what they mean even
	 * when their own words differ ("out of storage") */
	"CREATE VIRTUAL TABLE fts USING fts5(code, title, tag, texts, meaning, causes, fix, extra,"
	" terms, content='entry', content_rowid='id');"
	"INSERT INTO fts(fts, rank) VALUES('rank', 'bm25(4.0, 10.0, 6.0, 4.0, 2.0, 1.0, 1.0, 1.0, 3.0)');"
	/* the index is built once, in bulk, then only read: merging segments
	 * while it is built (the default) doubled the build time at 100,000
	 * entries and did not make queries faster */
	"INSERT INTO fts(fts, rank) VALUES('automerge', 0);"
	"INSERT INTO fts(fts, rank) VALUES('crisismerge', 64);";

/* Secondary indexes serve queries, not loading: keeping them up to date
 * row by row made loading a large catalog a third slower than building
 * them once. They are dropped before the first file is loaded and built
 * again by cat_ready() (db_index). The unique key index stays: loading
 * needs it to find overridden and duplicate keys. */
static const char index_sql[] =
	"CREATE INDEX IF NOT EXISTS entry_reply ON entry(reply) WHERE reply IS NOT NULL;"
	/* kind last: the registry entry of a provider entry (an enhanced code
	 * with the same subject and detail) is then one probe even among 100,000
	 * entries */
	"CREATE INDEX IF NOT EXISTS entry_enh ON entry(esubj, elo, kind) WHERE esubj IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS entry_tag ON entry(tag) WHERE tag IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS entry_kind ON entry(kind);"
	"CREATE INDEX IF NOT EXISTS link_ref ON link(ref);"
	"DROP INDEX IF EXISTS entry_origin; DROP INDEX IF EXISTS phrase_origin;"
	"DROP INDEX IF EXISTS bitflags_origin; DROP TRIGGER IF EXISTS entry_gone;";

/* While files load, the indexes of queries go (they are built once, after)
 * and those of the per-file reference check (ST_CHECK_REFS) come: it reads
 * the rows of one origin, and without them every file scanned every row
 * loaded before it (1,000 small overlays took seconds). Rows of one file
 * are appended at the end of these indexes, so they cost little.
 * The trigger that deletes what an overridden entry had comes and goes
 * with them: only loading deletes entries, and a trigger in a database
 * image is parsed with its schema at the first query of every process
 * (150 k instructions, 1.5% of `bounce 5.1.1`). */
static const char unindex_sql[] =
	"DROP INDEX IF EXISTS entry_reply; DROP INDEX IF EXISTS entry_enh;"
	"DROP INDEX IF EXISTS entry_tag; DROP INDEX IF EXISTS entry_kind;"
	"DROP INDEX IF EXISTS link_ref;"
	"CREATE INDEX IF NOT EXISTS entry_origin ON entry(origin);"
	"CREATE INDEX IF NOT EXISTS phrase_origin ON phrase(origin);"
	"CREATE INDEX IF NOT EXISTS bitflags_origin ON bitflags(origin);"
	"CREATE TRIGGER IF NOT EXISTS entry_gone AFTER DELETE ON entry BEGIN"
	" DELETE FROM text WHERE entry = old.id;"
	" DELETE FROM note WHERE entry = old.id;"
	" DELETE FROM source WHERE entry = old.id;"
	" DELETE FROM link WHERE entry = old.id;"
	/* a provider's own row is the one keyed provider:ID (a trigger cannot
	 * take parameters, so the kind is not named) */
	" DELETE FROM alias WHERE old.key = 'provider:' || old.provider"
	"  AND provider = old.provider;"
	" DELETE FROM domain WHERE old.key = 'provider:' || old.provider"
	"  AND provider = old.provider;"
	" DELETE FROM marker WHERE old.key = 'provider:' || old.provider"
	"  AND provider = old.provider;"
	" DELETE FROM flag WHERE old.key = 'provider:' || old.provider AND bitflags IN"
	"  (SELECT id FROM bitflags WHERE provider = old.provider);"
	" DELETE FROM bitflags WHERE old.key = 'provider:' || old.provider"
	"  AND provider = old.provider;"
	"END;";

enum cat_status
db_index(struct catalog *cat, int on, struct cat_error *err)
{
	int i;

	/* a statement left on a row (db_stmt() resets at the next use) keeps
	 * its table locked against DROP INDEX */
	for (i = 0; i < ST_COUNT; i++)
		if (cat->st[i])
			sqlite3_reset(cat->st[i]);
	return db_exec(cat, on ? index_sql : unindex_sql, err);
}

/* Not part of a database image: made at every open. */
static const char temp_sql[] = "CREATE TEMP TABLE jout(pos INTEGER PRIMARY KEY, doc TEXT NOT NULL);";

/* The columns of enum entry_col, from ENTRY_FIELDS (db.h). */
#define ENTRY_COL_SQL(how, field, column, member) ENTRY_HAS_COLUMN_##how(", " column)
#define ENTRY_COLS "SELECT e.id" ENTRY_FIELDS(ENTRY_COL_SQL)
#define ENTRY_JOINS                                                                        \
	" JOIN origin o ON o.id = e.origin"                                                \
	" LEFT JOIN entry g ON e.kind = kind_id('provider-entry')"                          \
	"  AND g.kind = kind_id('enhanced') AND g.esubj = e.esubj AND g.elo = e.elo"          \
	"  AND e.elo = e.ehi"                                                                 \
	" LEFT JOIN entry p ON p.key = 'provider:' || e.provider"                          \
	" LEFT JOIN entry r ON r.key = 'reason:' || COALESCE(e.reason, g.reason)"          \
	" LEFT JOIN entry i ON i.key = 'impact:' || COALESCE(e.impact, g.impact, r.impact)"

/* The columns of an inserted entry and one unnumbered parameter for each,
 * numbered 1, 2, ... in the order of ENTRY_INSERT_LIST (db.h). The row id
 * is chosen by SQLite. */
#define INSERT_COLUMN(id, column) ", " column
#define INSERT_VALUE(id, column) ", ?"

/* The JSON object of an entry, from ENTRY_FIELDS: one unnumbered parameter
 * per member, bound by json.c in the same order. The key comes first and
 * has no comma before it. */
#define ENTRY_JSON_KEY(m) "'" m "', ?"
#define ENTRY_JSON_KIND(m) ", '" m "', ?"
#define ENTRY_JSON_TEXT(m) ", '" m "', ?"
#define ENTRY_JSON_TEXT_(m)
#define ENTRY_JSON_INT(m) ", '" m "', ?"
#define ENTRY_JSON_NUM(m) ", '" m "', ?"
#define ENTRY_JSON_NUM_(m)
#define ENTRY_JSON_DETAIL(m) ", '" m "', ?"
#define ENTRY_JSON_BOOL(m) ", '" m "', json(?)"
#define ENTRY_JSON_SEVERITY(m) ", '" m "', ?"
#define ENTRY_JSON_CALC(m) ", '" m "', ?"
#define ENTRY_JSON_TYPE(m) ", '" m "', ?"
#define ENTRY_JSON_GROUP(m) ", '" m "', ?"
#define ENTRY_JSON_ACTION(m) ", '" m "', ?"
#define ENTRY_JSON_ACTION_(m)
#define ENTRY_JSON_EXTRA(m) ", '" m "', ?"
#define ENTRY_JSON_ARRAY(m) ", '" m "', json(?)"
#define ENTRY_JSON_SQL(how, field, column, member) ENTRY_JSON_##how(member)
#define ENTRY_ORDER " ORDER BY e.kind, e.provider, e.reply, e.ecls, e.esubj, e.elo, e.id"

static const char *const stmt_sql[ST_COUNT] = {
	[ST_ORIGIN_INSERT] = "INSERT INTO origin(name) VALUES (?1)",
	[ST_ENTRY_FIND] = "SELECT e.id, e.origin, e.line, o.name FROM entry e"
			  " JOIN origin o ON o.id = e.origin WHERE e.key = ?1",
	[ST_ENTRY_DELETE] = "DELETE FROM entry WHERE id = ?1",
	[ST_ENTRY_INSERT] = "INSERT INTO entry(id" ENTRY_INSERT_LIST(INSERT_COLUMN)
			    ") VALUES (NULL" ENTRY_INSERT_LIST(INSERT_VALUE) ")",
	[ST_PHRASE_FIND] = "SELECT origin, line FROM phrase WHERE id = ?1",
	[ST_PHRASE_DELETE] = "DELETE FROM phrase WHERE id = ?1",
	[ST_PHRASE_INSERT] = "INSERT INTO phrase(id, lang, lang_name, reason, cls, implies, weight,"
			     " place, body, origin, line, event) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
			     " ?8, ?9, ?10, ?11, ?12)",
	[ST_TEXT_INSERT] = "INSERT INTO text(entry, pos, body) VALUES (?1, ?2, ?3)",
	[ST_NOTE_INSERT] = "INSERT INTO note(entry, pos, kind, num, param, body)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_SOURCE_INSERT] = "INSERT INTO source(entry, pos, title, href, as_of, license)"
			     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_LINK_INSERT] = "INSERT INTO link(entry, pos, ref, why, line) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_ALIAS_FIND] = "SELECT provider FROM alias WHERE name = ?1",
	[ST_ALIAS_INSERT] = "INSERT INTO alias(provider, name) VALUES (?1, ?2)",
	[ST_DOMAIN_INSERT] = "INSERT INTO domain(provider, name) VALUES (?1, ?2)",
	[ST_MARKER_INSERT] = "INSERT INTO marker(provider, place, strength, body, role) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_BITFLAGS_INSERT] =
		"INSERT INTO bitflags(provider, prefix, digits, reply, reason, impact, title, none,"
		" meaning, causes, fix, source, origin, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
		" ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[ST_FLAG_INSERT] = "INSERT INTO flag(bitflags, position, name) VALUES (?1, ?2, ?3)",
	[ST_CHECK_REFS] =
		"SELECT line, what, ref FROM ("
		" SELECT l.line AS line, 'entry' AS what, l.ref AS ref FROM link l"
		"  JOIN entry e ON e.id = l.entry WHERE e.origin = ?1"
		"  AND NOT EXISTS (SELECT 1 FROM entry t WHERE t.key = l.ref)"
		" UNION ALL SELECT e.line, 'reason', e.reason FROM entry e WHERE e.origin = ?1"
		"  AND e.reason IS NOT NULL"
		"  AND NOT EXISTS (SELECT 1 FROM entry t WHERE t.key = 'reason:' || e.reason)"
		" UNION ALL SELECT e.line, 'impact', e.impact FROM entry e WHERE e.origin = ?1"
		"  AND e.impact IS NOT NULL"
		"  AND NOT EXISTS (SELECT 1 FROM entry t WHERE t.key = 'impact:' || e.impact)"
		" UNION ALL SELECT e.line, 'entry', e.likely FROM entry e WHERE e.origin = ?1"
		"  AND e.likely IS NOT NULL"
		"  AND NOT EXISTS (SELECT 1 FROM entry t WHERE t.key = e.likely)"
		" UNION ALL SELECT e.line, 'provider', e.provider FROM entry e WHERE e.origin = ?1"
		"  AND e.kind = kind_id('provider-entry')"
		"  AND NOT EXISTS (SELECT 1 FROM entry t WHERE t.key = 'provider:' || e.provider)"
		" UNION ALL SELECT b.line, 'reason', b.reason FROM bitflags b WHERE b.origin = ?1"
		"  AND b.reason IS NOT NULL"
		"  AND NOT EXISTS (SELECT 1 FROM entry t WHERE t.key = 'reason:' || b.reason)"
		" UNION ALL SELECT p.line, 'reason', p.reason FROM phrase p WHERE p.origin = ?1"
		"  AND p.reason IS NOT NULL"
		"  AND NOT EXISTS (SELECT 1 FROM entry t WHERE t.key = 'reason:' || p.reason)"
		" UNION ALL SELECT b.line, 'impact', b.impact FROM bitflags b WHERE b.origin = ?1"
		"  AND b.impact IS NOT NULL"
		"  AND NOT EXISTS (SELECT 1 FROM entry t WHERE t.key = 'impact:' || b.impact)"
		") ORDER BY line LIMIT 1",
	/* The lookups find row ids with statements that join nothing, and
	 * the rows of the ids they find with ST_Q_ROW: a statement of the
	 * entry columns (ENTRY_COLS and its joins) costs 0.8 M instructions
	 * to prepare, and a lookup that prepared one per query paid that two
	 * or three times for a handful of rows. */
	[ST_Q_ROW] = ENTRY_COLS " FROM entry e" ENTRY_JOINS " WHERE e.id = ?1",
	[ST_Q_KEY] = "SELECT id FROM entry WHERE key = ?1",
	/* provider entries by enhanced code (?2 subject, ?3 detail) and
	 * optionally reply ?1, class ?4, provider ?5; by reply ?1 alone; or
	 * by provider ?5 alone: three statements, so that each can use its
	 * index (one with every test made optional scanned every entry) */
	[ST_Q_ENTRIES_ENH] = "SELECT e.id FROM entry e WHERE e.kind = kind_id('provider-entry')"
			     " AND e.esubj = ?2 AND ?3 BETWEEN e.elo AND e.ehi"
			     " AND (?1 IS NULL OR e.reply = ?1) AND (?4 IS NULL OR e.ecls = ?4)"
			     " AND (?5 IS NULL OR e.provider = ?5)" ENTRY_ORDER,
	[ST_Q_ENTRIES_REPLY] = "SELECT e.id FROM entry e WHERE e.kind = kind_id('provider-entry')"
			       " AND e.reply = ?1 AND (?5 IS NULL OR e.provider = ?5)" ENTRY_ORDER,
	[ST_Q_ENTRIES] = "SELECT e.id FROM entry e WHERE e.kind = kind_id('provider-entry')"
			 " AND (?5 IS NULL OR e.provider = ?5)" ENTRY_ORDER,
	[ST_Q_TAG] = "SELECT e.id FROM entry e WHERE e.kind = kind_id('provider-entry') AND e.tag = ?1"
		     " AND (?2 IS NULL OR e.provider = ?2)" ENTRY_ORDER,
	/* entries whose codes a source prints as reply ?2 (0: any) and
	 * enhanced ?3 (a note of kind ?1): read only when no entry has the
	 * codes themselves */
	[ST_Q_PRINTED] = "SELECT e.id FROM note n JOIN entry e ON e.id = n.entry"
			 " WHERE n.kind = ?1 AND (?2 = 0 OR n.num = ?2) AND n.param = ?3"
			 " AND (?4 IS NULL OR e.provider = ?4)" ENTRY_ORDER,
	/* provider entries whose literal texts hold a word (an FTS5 query on
	 * the texts column, ?1), of provider ?2 when given */
	[ST_Q_TEXT_WORD] = ENTRY_COLS " FROM (SELECT rowid AS rid FROM fts WHERE fts MATCH ?1) h"
				      " JOIN entry e ON e.id = h.rid" ENTRY_JOINS
				      " WHERE e.kind = kind_id('provider-entry')"
				      " AND (?2 IS NULL OR e.provider = ?2)" ENTRY_ORDER,
	[ST_Q_LIST] = ENTRY_COLS " FROM entry e" ENTRY_JOINS
				 " WHERE (?1 IS NULL OR e.kind = ?1)"
				 " AND (?2 IS NULL OR e.ecls = ?2 OR e.reply / 100 = ?2"
				 "  OR e.kind IN (kind_id('subject'), kind_id('enhanced')))"
				 " AND (?3 IS NULL OR e.esubj = ?3)"
				 " AND (?4 IS NULL OR e.provider = ?4)"
				 " AND (?5 IS NULL OR COALESCE(e.reason, g.reason) = ?5)"
				 " AND (?6 IS NULL OR COALESCE(e.impact, g.impact, r.impact) = ?6)"
				 ENTRY_ORDER " LIMIT COALESCE(?7, -1) OFFSET COALESCE(?8, 0)",
	[ST_Q_SEARCH_COUNT] = "SELECT count(*) FROM fts WHERE fts MATCH ?1",
	[ST_Q_SEARCH] = ENTRY_COLS " FROM (SELECT rowid AS rid, rank AS score,"
				   " min(rank) OVER () AS best FROM fts WHERE fts MATCH ?1) h"
				   " JOIN entry e ON e.id = h.rid" ENTRY_JOINS
				   /* the strong hits (at least half as relevant as the
				    * best; bm25 scores are negative) before the weak;
				    * within each, registry codes, then provider entries,
				    * then the other kinds, by relevance */
				   " ORDER BY h.score > h.best / 2,"
				   "  CASE e.kind WHEN kind_id('reply') THEN 0"
				   "  WHEN kind_id('enhanced') THEN 0"
				   "  WHEN kind_id('provider-entry') THEN 1"
				   "  ELSE 2 END, h.score, e.id LIMIT ?2",
	[ST_Q_SEARCH_FAST] = ENTRY_COLS " FROM (SELECT rowid AS rid FROM fts WHERE fts MATCH ?1"
					" LIMIT ?2) h JOIN entry e ON e.id = h.rid" ENTRY_JOINS
					" ORDER BY e.id",
	[ST_Q_SEARCH_HAS] = "SELECT 1 FROM fts WHERE fts MATCH ?1 AND rowid = ?2",
	[ST_Q_SEARCH_IDS] = "SELECT rowid FROM fts WHERE fts MATCH ?1 ORDER BY rowid LIMIT ?2",
	[ST_Q_TEXTS] = "SELECT body FROM text WHERE entry = ?1 ORDER BY pos",
	[ST_Q_NOTES] = "SELECT kind, num, param, body FROM note WHERE entry = ?1 ORDER BY pos",
	[ST_Q_SOURCES] = "SELECT title, href, as_of, license FROM source WHERE entry = ?1"
			 " ORDER BY pos",
	/* what an entry is related to (query.c, fill_related()): its own
	 * columns, its links, the provider entries seen as it, the entries
	 * that link to it, and each candidate's row by key. Small statements:
	 * one query of all of it as a CTE of twelve arms cost 4 M instructions
	 * to prepare, 40% of `bounce 5.1.1`. */
	[ST_Q_REL_ME] = "SELECT key, kind, likely, reply, esubj, elo, ehi, ecls, reason, impact,"
			" provider FROM entry WHERE id = ?1",
	[ST_Q_REL_LINKS] = "SELECT pos, ref, why FROM link WHERE entry = ?1",
	[ST_Q_REL_SEEN_REPLY] = "SELECT id, key, code, title, provider, kind FROM entry"
				" WHERE kind = kind_id('provider-entry') AND reply = ?1",
	[ST_Q_REL_SEEN_ENH] = "SELECT id, key, code, title, provider, kind FROM entry"
			      " WHERE kind = kind_id('provider-entry')"
			      " AND esubj = ?1 AND ?2 BETWEEN elo AND ehi",
	[ST_Q_REL_HERE] = "SELECT e.id, e.key, e.code, e.title, e.provider, e.kind FROM link l"
			  " JOIN entry e ON e.id = l.entry WHERE l.ref = ?1",
	[ST_Q_REL_ENTRY] = "SELECT id, key, code, title, provider, kind FROM entry WHERE key = ?1",
	[ST_Q_BITFLAGS] =
		"SELECT b.id, b.provider, p.title, b.prefix, b.digits, b.reply, b.reason,"
		" b.impact, b.title, b.none, b.meaning, b.causes, b.fix, b.source, o.name, b.line"
		" FROM bitflags b JOIN origin o ON o.id = b.origin"
		" LEFT JOIN entry p ON p.key = 'provider:' || b.provider"
		" WHERE length(?1) = length(b.prefix) + b.digits"
		" AND upper(substr(?1, 1, length(b.prefix))) = b.prefix ORDER BY b.id",
	[ST_Q_FLAGS] = "SELECT position, name FROM flag WHERE bitflags = ?1 ORDER BY position",
	[ST_Q_ALIAS] = "SELECT provider FROM alias WHERE name = ?1",
	[ST_Q_NAMES] = "SELECT name FROM alias ORDER BY name COLLATE NOCASE",
	/* a tag the analyzer knows from a provider's markers, "(S3150)" */
	[ST_Q_MARKER_TAG] = "SELECT provider FROM marker WHERE place IN ('tag', 'text')"
			    " AND upper(trim(body, '()[]')) = upper(?1)"
			    " AND (?2 IS NULL OR provider = ?2)"
			    " ORDER BY place = 'text', rowid LIMIT 1",
	/* that provider's entries that mention the tag */
	[ST_Q_TAG_TEXT] = ENTRY_COLS " FROM (SELECT rowid AS rid FROM fts WHERE fts MATCH ?1) h"
				     " JOIN entry e ON e.id = h.rid" ENTRY_JOINS
				     " WHERE e.kind = kind_id('provider-entry') AND e.provider = ?2"
				     ENTRY_ORDER,
	[ST_Q_COUNT] = "SELECT count(*) FROM entry WHERE kind = ?1",
	[ST_J_ENTRY] = "SELECT json_object(" ENTRY_FIELDS(ENTRY_JSON_SQL) ")",
	[ST_J_APPEND] =
		"SELECT json_insert(?1, '$[#]', CASE ?2"
		" WHEN 'str' THEN ?3"
		" WHEN 'note' THEN json_object('label', ?3, 'body', ?4)"
		" WHEN 'source' THEN json_object('title', ?3, 'href', ?4, 'as_of', ?5, 'license', ?6)"
		" WHEN 'link' THEN json_object('key', ?3, 'code', ?4, 'title', ?5, 'why', ?6,"
		"  'provider', ?7, 'kind', ?8)"
		" ELSE json(?3) END)",
	[ST_J_INSERT] = "INSERT INTO temp.jout(doc) VALUES (?1)",
	[ST_J_DOC] = "SELECT json_object('query', ?1, 'count', ?2, 'truncated', ?3,"
		     " 'catalogs', json(?4), 'results',"
		     " (SELECT json_group_array(json(doc)) FROM"
		     "  (SELECT doc FROM temp.jout ORDER BY pos)))",
	[ST_J_CLEAR] = "DELETE FROM temp.jout",
};

/* kind_id('reply') in SQL is CAT_KIND_REPLY: statements name a kind by its
 * word, never by its number. Deterministic, so SQLite computes it once per
 * statement; an unknown word is an error at the first step. */
static void
sql_kind_id(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *name = (const char *)sqlite3_value_text(argv[0]);
	int k;

	(void)argc;
	for (k = 0; name && k < CAT_KIND_COUNT; k++) {
		if (strcmp(cat_kind_name((enum cat_kind)k), name) == 0) {
			sqlite3_result_int(ctx, k);
			return;
		}
	}
	sqlite3_result_error(ctx, "kind_id(): unknown kind", -1);
}

static int
add_functions(sqlite3 *db)
{
	return sqlite3_create_function_v2(db, "kind_id", 1,
					  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
					  NULL, sql_kind_id, NULL, NULL, NULL);
}

enum cat_status
db_fail(struct catalog *cat, struct cat_error *err, const char *what)
{
	int code = cat->db ? sqlite3_errcode(cat->db) : SQLITE_NOMEM;

	if (cat->prep_error[0])
		return cat_fail(err, CAT_ESQL, "%s: %s", what, cat->prep_error);
	if (code == SQLITE_NOMEM)
		return cat_fail(err, CAT_ENOMEM, "%s: out of memory", what);
	return cat_fail(err, CAT_ESQL, "%s: %s", what,
			cat->db ? sqlite3_errmsg(cat->db) : "no database");
}

enum cat_status
db_exec(struct catalog *cat, const char *sql, struct cat_error *err)
{
	char *msg = NULL;

	if (!db_get(cat))
		return db_fail(cat, err, "SQL");
	if (sqlite3_exec(cat->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		enum cat_status st =
			cat_fail(err, sqlite3_errcode(cat->db) == SQLITE_NOMEM ? CAT_ENOMEM : CAT_ESQL,
				 "SQL error: %s", msg ? msg : sqlite3_errmsg(cat->db));

		sqlite3_free(msg);
		return st;
	}
	return CAT_OK;
}

/* The built-in image lives in SQLite's memdb VFS, behind an ordinary page
 * cache: fine for reading, but a large overlay written into it is paged
 * through that cache again and again (a 100,000-entry overlay took twice as
 * long). Before the first file is loaded, the image moves into a plain
 * in-memory database with the backup API (about a millisecond). */
enum cat_status
db_leave_image(struct catalog *cat, struct cat_error *err)
{
	sqlite3 *mem = NULL;
	sqlite3_backup *bk;
	enum cat_status st;
	int i, rc;

	if (!cat->in_image)
		return CAT_OK;
	if (!db_get(cat))
		return db_fail(cat, err, "cannot open the built-in index");
	if (sqlite3_open_v2(":memory:", &mem,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
				    SQLITE_OPEN_PRIVATECACHE,
			    NULL) != SQLITE_OK) {
		sqlite3_close(mem);
		return cat_fail(err, CAT_ENOMEM, "cannot open an in-memory database");
	}
	if (add_functions(mem) != SQLITE_OK) {
		sqlite3_close(mem);
		return cat_fail(err, CAT_ENOMEM, "cannot set up an in-memory database");
	}
	/* the load transaction of the image ends here: nothing was written */
	st = db_exec(cat, "COMMIT", err);
	if (st != CAT_OK)
		goto fail;
	bk = sqlite3_backup_init(mem, "main", cat->db, "main");
	rc = bk ? sqlite3_backup_step(bk, -1) : SQLITE_ERROR;
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE) {
		st = cat_fail(err, CAT_ESQL, "cannot copy the built-in index: %s", sqlite3_errstr(rc));
		goto fail;
	}
	for (i = 0; i < ST_COUNT; i++) {
		sqlite3_finalize(cat->st[i]);
		cat->st[i] = NULL;
	}
	sqlite3_close(cat->db);
	cat->db = mem;
	cat->in_image = 0;
	cat->builtin_image = 0;
	cat->lookup = NULL;
	cat->has_jout = 0; /* the temporary table was the old connection's */
	return db_exec(cat, "BEGIN", err);
fail:
	sqlite3_close(mem);
	return st;
}

/* SQLite keeps memory statistics by default, which takes a global mutex
 * at every allocation: 0.4 M instructions (4%) of `bounce 5.1.1`, for
 * figures nothing reads. It can be turned off only before SQLite is
 * initialized; when a program has done that already, SQLite refuses
 * and nothing changes. */
static void
memstatus_off(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static void
db_configure(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	(void)pthread_once(&once, memstatus_off);
}

int
db_open_image(unsigned char *image, size_t len, int borrowed, sqlite3 **out)
{
	sqlite3 *db = NULL;
	int rc;

	*out = NULL;
	db_configure();
	rc = sqlite3_open_v2(":memory:", &db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
				     SQLITE_OPEN_PRIVATECACHE,
			     NULL);
	if (rc == SQLITE_OK)
		rc = add_functions(db);
	if (rc != SQLITE_OK) {
		if (!borrowed)
			sqlite3_free(image);
		sqlite3_close(db);
		return rc;
	}
	/* SQLite owns an image that is not borrowed from here, even when this
	 * fails; a borrowed one is only read */
	rc = sqlite3_deserialize(db, "main", image, (sqlite3_int64)len, (sqlite3_int64)len,
				 borrowed ? SQLITE_DESERIALIZE_READONLY
					  : SQLITE_DESERIALIZE_FREEONCLOSE |
						    SQLITE_DESERIALIZE_RESIZEABLE);
	if (rc != SQLITE_OK) {
		sqlite3_close(db);
		return rc;
	}
	*out = db;
	return SQLITE_OK;
}

/* The JSON documents' table is made by the first JSON result, not at
 * open: creating it makes SQLite read and parse the whole schema of the
 * image, 1.2 M of the 6.8 M instructions of `bounce explain LINE`, which
 * never queries the database. */
enum cat_status
db_jout_clear(struct catalog *cat, struct cat_error *err)
{
	enum cat_status st;

	if (cat->has_jout)
		return db_exec(cat, "DELETE FROM temp.jout", err);
	st = db_exec(cat, temp_sql, err);
	if (st == CAT_OK)
		cat->has_jout = 1;
	return st;
}

/* The per-connection set-up after the database is there: a check of the
 * statement list and the load transaction (the temporary table comes with
 * the first JSON result, db_jout_clear()). */
static enum cat_status
db_begin(struct catalog *cat, struct cat_error *err)
{
	int i;

	cat->has_jout = 0;
	for (i = 0; i < ST_COUNT; i++)
		if (!stmt_sql[i])
			return cat_fail(err, CAT_ESQL, "statement %d has no SQL", i);
	return db_exec(cat, "BEGIN", err);
}

/* Opens the built-in image that cat_open() left for later. */
static enum cat_status
open_builtin(struct catalog *cat, struct cat_error *err)
{
	enum cat_status st;
	int rc;

	/* Read in place, never copied: SQLITE_DESERIALIZE_READONLY makes
	 * SQLite refuse every write to it (the cast only satisfies the
	 * prototype). Nothing is written to the image: cat_ready() only
	 * commits the empty transaction, and a file to load first moves the
	 * database out of it (db_leave_image()). Copying it cost 1.2 MB of
	 * page faults and memcpy at every start. */
	rc = db_open_image((unsigned char *)(uintptr_t)cat->image, cat->image_len, 1, &cat->db);
	if (rc != SQLITE_OK)
		return cat_fail(err, rc == SQLITE_NOMEM ? CAT_ENOMEM : CAT_ESQL,
				"cannot load the built-in index: %s", sqlite3_errstr(rc));
	/* and its pages are read where they are too: with mmap_size set, the
	 * memdb VFS hands out pointers into the image instead of copying each
	 * page read into the page cache (130 of the 630 page faults of
	 * `bounce 5.1.1` when every lookup opened it) */
	st = db_exec(cat, "PRAGMA mmap_size = 268435456", err);
	if (st == CAT_OK && !cat->ready)
		st = db_begin(cat, err); /* the load transaction, as for any database */
	return st;
}

sqlite3 *
db_get(struct catalog *cat)
{
	struct cat_error err;

	if (!cat->db && cat->image && open_builtin(cat, &err) != CAT_OK) {
		snprintf(cat->prep_error, sizeof(cat->prep_error), "%.*s",
			 (int)sizeof(cat->prep_error) - 1, err.msg);
		if (cat->db)
			sqlite3_close(cat->db);
		cat->db = NULL;
	}
	if (cat->db)
		cat->image = NULL;
	return cat->db;
}

enum cat_status
db_open(struct catalog *cat, const unsigned char *image, size_t len, struct cat_error *err)
{
	enum cat_status st;

	if (image) {
		/* opened when a query first needs it (db_get()) */
		cat->image = image;
		cat->image_len = len;
		cat->in_image = 1;
		cat->builtin_image = 1;
		cat->lookup = cat_builtin_lookup;
		return CAT_OK;
	}
	db_configure();
	if (sqlite3_open_v2(":memory:", &cat->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
				    SQLITE_OPEN_PRIVATECACHE,
			    NULL) != SQLITE_OK)
		return db_fail(cat, err, "cannot open the in-memory database");
	if (add_functions(cat->db) != SQLITE_OK)
		return db_fail(cat, err, "cannot set up the in-memory database");
	st = db_exec(cat, schema_sql, err);
	if (st != CAT_OK)
		return st;
	return db_begin(cat, err);
}

enum cat_status
db_replace(struct catalog *cat, sqlite3 *db, struct cat_error *err)
{
	struct cat_error ignore;
	int i;

	/* nothing was written in the load transaction of the old database
	 * (if the built-in image was ever opened) */
	if (cat->db)
		db_exec(cat, "ROLLBACK", &ignore);
	cat->image = NULL;
	for (i = 0; i < ST_COUNT; i++) {
		sqlite3_finalize(cat->st[i]);
		cat->st[i] = NULL;
	}
	sqlite3_close(cat->db);
	cat->db = db;
	/* a read-only image still (loading a file leaves it), but not the
	 * built-in one: the analyzer is built from what it holds */
	cat->in_image = 1;
	cat->builtin_image = 0;
	cat->lookup = NULL;
	cat->dirty = 0;
	return db_begin(cat, err);
}

void
db_close(struct catalog *cat)
{
	int i;

	cat->image = NULL;
	if (!cat->db)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(cat->st[i]);
	/* every statement is finalized: close cannot be busy */
	i = sqlite3_close(cat->db);
	assert(i == SQLITE_OK);
	(void)i;
	cat->db = NULL;
}

/* Statements are prepared on first use and kept until db_close(): a run
 * of bounce uses a few of the forty, and preparing them all cost a third of
 * its start-up. If preparing fails, NULL is returned and the message kept
 * for db_fail(); SQLite answers SQLITE_MISUSE to every call on a NULL
 * statement, so callers see an ordinary failure. */
sqlite3_stmt *
db_stmt(struct catalog *cat, enum stmt_id id)
{
	sqlite3_stmt *st = cat->st[id];

	if (!st) {
		if (!db_get(cat))
			return NULL;
		if (sqlite3_prepare_v3(cat->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
				       &cat->st[id], NULL) != SQLITE_OK) {
			snprintf(cat->prep_error, sizeof(cat->prep_error),
				 "cannot prepare statement %d: %s", (int)id, sqlite3_errmsg(cat->db));
			sqlite3_finalize(cat->st[id]);
			cat->st[id] = NULL;
			return NULL;
		}
		return cat->st[id];
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

int
db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (!s)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

int
db_bind_int(sqlite3_stmt *st, int idx, int set, int v)
{
	if (!set)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_int(st, idx, v);
}
