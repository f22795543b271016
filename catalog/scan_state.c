/* scan_state.c: bounce scan's history of recipients in SQLite, and the rules that suppress them. */
#include "bounce/catalog.h"

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "analyze.h"
#include "jsonw.h"
#include "stamp.h"
#include "util.h"

/* "boun": PRAGMA application_id of a state database, so that another
 * program's SQLite file (or the catalog's own --export-db) is refused by
 * name instead of being written into. */
#define STATE_APP_ID 0x626f756e

/* Version 1. Events are keyed by what identifies one line of one log:
 * the logging host, the queue id, the recipient, the time stamp as
 * written and the outcome; INSERT OR IGNORE on that key is what makes a
 * second scan of the same log, or a second merge of the same file, add
 * nothing. The key starts with the recipient, so that it is also the order
 * every query reads (one recipient's events, or all by recipient): a second
 * index cost a second B-tree insert per event. `at` orders events (the
 * time stamp in seconds) and `rule` is the event's rule, decided when it
 * was recorded. */
static const char schema_sql[] =
	"CREATE TABLE run(\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  started INTEGER NOT NULL,\n"
	"  kind TEXT NOT NULL,\n"
	"  source TEXT,\n"
	"  offered INTEGER NOT NULL DEFAULT 0,\n"
	"  recorded INTEGER NOT NULL DEFAULT 0);\n"
	"CREATE TABLE event(\n"
	"  host TEXT NOT NULL,\n"
	"  queue_id TEXT NOT NULL,\n"
	"  recipient TEXT NOT NULL,\n"
	"  time TEXT NOT NULL,\n"
	"  outcome TEXT NOT NULL,\n"
	"  at INTEGER NOT NULL,\n"
	"  rule TEXT NOT NULL,\n"
	"  reason TEXT,\n"
	"  type TEXT,\n"
	"  action TEXT,\n"
	"  event TEXT,\n"
	"  reply INTEGER NOT NULL DEFAULT 0,\n"
	"  enhanced TEXT,\n"
	"  run INTEGER NOT NULL,\n"
	"  PRIMARY KEY (recipient, host, queue_id, time, outcome)) WITHOUT ROWID;\n";

/* The columns an event is copied with, in this order, by the insert and by
 * a merge (which sets `run` itself). */
#define EVENT_COLS                                                             \
	"host, queue_id, recipient, time, outcome, at, rule, reason, type, action, event, reply, " \
	"enhanced"

/* One recipient's events summed up for the verdict: the last delivery, then
 * each rule's events after it ("since"), and the hard and soft ones before
 * it ("lapsed"). Distinct sends are distinct (host, queue id). */
#define VERDICT_SELECT                                                         \
	"WITH r AS (SELECT recipient, max(CASE WHEN rule = 'delivered' THEN at END) AS d " \
	"  FROM event %s GROUP BY recipient) "                                 \
	"SELECT r.recipient, r.d, "                                            \
	"  total(e.rule = 'complaint'), "                                      \
	"  total(e.rule = 'hard' AND (r.d IS NULL OR e.at > r.d)), "           \
	"  count(DISTINCT CASE WHEN e.rule = 'soft' AND (r.d IS NULL OR e.at > r.d) " \
	"    THEN e.host || char(10) || e.queue_id END), "                     \
	"  total(e.rule IN ('hard', 'soft') AND e.at <= r.d), "                \
	"  total(e.rule = 'block'), total(e.rule = 'refusal'), "               \
	"  total(e.rule = 'deferred'), total(e.rule = 'other') "               \
	"FROM r JOIN event e ON e.recipient = r.recipient "                    \
	"GROUP BY r.recipient ORDER BY r.recipient"

enum stmt {
	ST_INSERT,
	ST_RUN_NEW,
	ST_RUN_DONE,
	ST_VERDICT_ONE,
	ST_VERDICT_ALL,
	ST_EVENTS,
	ST_COUNT
};

/* A reason's type and its permanent action, read from the catalog once. */
struct reason_info {
	char *id;
	enum cat_type type;
	enum cat_action act;
};

struct cat_state {
	sqlite3 *db;
	char *path; /* for messages; "a temporary state" when NULL */
	int readonly;
	sqlite3_stmt *st[ST_COUNT];
	struct catalog *cat;
	struct reason_info *reasons;
	size_t n_reasons;
	int in_run;
	int64_t run_id;
	int64_t now;
	struct cat_state_counts counts;
};

static const char *const rule_names[] = {
#define CAT_RULE_NAME(id, name) name,
	CAT_RULE_LIST(CAT_RULE_NAME)
#undef CAT_RULE_NAME
};

const char *
cat_rule_name(enum cat_rule r)
{
	return (unsigned)r < CAT_RULE_COUNT ? rule_names[r] : NULL;
}

static enum cat_rule
rule_of_name(const char *name)
{
	int i;

	for (i = 1; name && i < CAT_RULE_COUNT; i++)
		if (strcmp(rule_names[i], name) == 0)
			return (enum cat_rule)i;
	return CAT_RULE_NONE;
}

static const char *
where(const struct cat_state *st)
{
	return st->path ? st->path : "temporary state";
}

static enum cat_status
sql_fail(struct cat_state *st, struct cat_error *err, const char *what)
{
	return cat_fail(err, CAT_ESQL, "%s: %s: %s", where(st), what, sqlite3_errmsg(st->db));
}

static enum cat_status
exec(struct cat_state *st, const char *sql, struct cat_error *err)
{
	char *msg = NULL;
	enum cat_status s = CAT_OK;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		s = cat_fail(err, CAT_ESQL, "%s: %s: %s", where(st), sql,
			     msg ? msg : sqlite3_errmsg(st->db));
	sqlite3_free(msg);
	return s;
}

/* One integer from a statement of one row; -1 on error. */
static int64_t
int_query(sqlite3 *db, const char *sql, int *rc)
{
	sqlite3_stmt *s = NULL;
	int64_t v = -1;

	*rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	if (*rc == SQLITE_OK) {
		*rc = sqlite3_step(s);
		if (*rc == SQLITE_ROW) {
			v = sqlite3_column_int64(s, 0);
			*rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(s);
	return v;
}

/* Whether schema `db_name` ("main" or "src", constants only) of the
 * connection is a state of ours (1), a database with nothing in it (0), or
 * an error (the status). The first read of a file that is not SQLite is
 * where SQLite says so. */
static enum cat_status
check_schema(sqlite3 *db, const char *db_name, const char *path, int *fresh, struct cat_error *err)
{
	char sql[128];
	int64_t app, ver, objects;
	int rc;

	*fresh = 0;
	snprintf(sql, sizeof(sql), "PRAGMA %s.application_id", db_name);
	app = int_query(db, sql, &rc);
	if (rc == SQLITE_NOTADB)
		return cat_fail(err, CAT_EIO, "%s: not a bounce state database (not a SQLite database)",
				path);
	if (rc != SQLITE_OK)
		return cat_fail(err, CAT_ESQL, "%s: %s", path, sqlite3_errmsg(db));
	snprintf(sql, sizeof(sql), "PRAGMA %s.user_version", db_name);
	ver = int_query(db, sql, &rc);
	if (rc == SQLITE_OK) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s.sqlite_schema", db_name);
		objects = int_query(db, sql, &rc);
	}
	if (rc != SQLITE_OK)
		return cat_fail(err, CAT_ESQL, "%s: %s", path, sqlite3_errmsg(db));
	if (app == 0 && ver == 0 && objects == 0) {
		*fresh = 1;
		return CAT_OK;
	}
	if (app != STATE_APP_ID)
		return cat_fail(err, CAT_EIO,
				"%s: not a bounce state database (a SQLite database of something else)",
				path);
	if (ver > CAT_STATE_VERSION)
		return cat_fail(err, CAT_EIO,
				"%s: a bounce state database of version %lld, newer than this bounce's %d",
				path, (long long)ver, CAT_STATE_VERSION);
	if (ver < 1)
		return cat_fail(err, CAT_EIO, "%s: a bounce state database without a version", path);
	return CAT_OK;
}

/* A path given for a state must be a regular file, or not exist (in create
 * mode): SQLite would block on a FIFO and fail obscurely on a directory. */
static enum cat_status
check_path(const char *path, enum cat_state_mode mode, struct cat_error *err)
{
	struct stat sb;

	if (stat(path, &sb) != 0) {
		if (errno == ENOENT && mode == CAT_STATE_CREATE)
			return CAT_OK;
		return cat_fail(err, CAT_EIO, "%s: %s", path, strerror(errno));
	}
	if (!S_ISREG(sb.st_mode))
		return cat_fail(err, CAT_EIO, "%s: not a regular file", path);
	return CAT_OK;
}

static enum cat_status
load_reasons(struct cat_state *st, struct cat_error *err)
{
	struct cat_filter f;
	struct cat_result *res = NULL;
	enum cat_status s;
	size_t i;

	memset(&f, 0, sizeof(f));
	f.kind_set = 1;
	f.kind = CAT_KIND_REASON;
	s = cat_list(st->cat, &f, &res, err);
	if (s == CAT_NOTFOUND)
		return CAT_OK; /* a catalog without reasons: every failure is "other" */
	if (s != CAT_OK)
		return s;
	st->reasons = calloc(res->n ? res->n : 1, sizeof(*st->reasons));
	if (!st->reasons) {
		s = cat_fail(err, CAT_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < res->n; i++) {
		const struct cat_entry *e = &res->entries[i];
		const char *id = e->reason ? e->reason : e->key;
		struct reason_info *r = &st->reasons[st->n_reasons];

		if (strncmp(id, "reason:", 7) == 0)
			id += 7;
		r->id = strdup(id);
		if (!r->id) {
			s = cat_fail(err, CAT_ENOMEM, "out of memory");
			goto out;
		}
		r->type = e->reason_type;
		r->act = e->action_id;
		st->n_reasons++;
	}
out:
	cat_result_free(res);
	return s;
}

static const struct reason_info *
reason_info(const struct cat_state *st, const char *id)
{
	size_t i;

	for (i = 0; id && i < st->n_reasons; i++)
		if (strcmp(st->reasons[i].id, id) == 0)
			return &st->reasons[i];
	return NULL;
}

static const char *const stmt_sql[ST_COUNT] = {
	[ST_INSERT] = "INSERT OR IGNORE INTO event(" EVENT_COLS ", run) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[ST_RUN_NEW] = "INSERT INTO run(started, kind, source) VALUES (?1, ?2, ?3)",
	[ST_RUN_DONE] = "UPDATE run SET offered = ?2, recorded = ?3 WHERE id = ?1",
	[ST_EVENTS] = "SELECT host, queue_id, time, at, outcome, rule, reason, type, action, event, "
		      "reply, enhanced, run FROM event WHERE recipient = ?1 "
		      "ORDER BY at, time, host, queue_id, outcome",
};

static enum cat_status
prepare_all(struct cat_state *st, struct cat_error *err)
{
	char one[2048], all[2048];
	int i;

	snprintf(one, sizeof(one), VERDICT_SELECT, "WHERE recipient = ?1");
	snprintf(all, sizeof(all), VERDICT_SELECT, "");
	for (i = 0; i < ST_COUNT; i++) {
		const char *sql = i == ST_VERDICT_ONE ? one : i == ST_VERDICT_ALL ? all : stmt_sql[i];

		if (st->readonly && (i == ST_INSERT || i == ST_RUN_NEW || i == ST_RUN_DONE))
			continue;
		if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->st[i], NULL) !=
		    SQLITE_OK)
			return sql_fail(st, err, "prepare");
	}
	return CAT_OK;
}

enum cat_status
cat_state_open(struct cat_state **out, const char *path, enum cat_state_mode mode,
	       struct catalog *cat, struct cat_error *err)
{
	struct cat_state *st = NULL;
	enum cat_status s;
	int flags, fresh = 0;

	if (!out)
		return cat_fail(err, CAT_EUSAGE, "cat_state_open: no handle");
	*out = NULL;
	if (!path && mode == CAT_STATE_READ)
		return cat_fail(err, CAT_EUSAGE, "cat_state_open: a read-only state needs a file");
	if (path && (s = check_path(path, mode, err)) != CAT_OK)
		return s;
	st = calloc(1, sizeof(*st));
	if (!st)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	st->cat = cat;
	if (path && !(st->path = strdup(path))) {
		s = cat_fail(err, CAT_ENOMEM, "out of memory");
		goto out;
	}
	/* Read mode still opens for writing when it may: a run killed with
	 * kill -9 leaves a hot journal, and only a writer rolls it back
	 * (a read-only connection would refuse the file). */
	flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE;
	if (mode == CAT_STATE_CREATE)
		flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	else if (access(path, W_OK) == 0)
		flags |= SQLITE_OPEN_READWRITE;
	else
		flags |= SQLITE_OPEN_READONLY;
	st->readonly = mode == CAT_STATE_READ;
	/* "": a private temporary database, which SQLite keeps in its page
	 * cache and spills to a temporary file when it outgrows it, so a long
	 * scan without --state does not hold every event in memory. */
	if (sqlite3_open_v2(path ? path : "", &st->db, flags, NULL) != SQLITE_OK) {
		s = st->db ? cat_fail(err, CAT_EIO, "%s: %s", where(st), sqlite3_errmsg(st->db))
			   : cat_fail(err, CAT_ENOMEM, "out of memory");
		goto out;
	}
	/* another scan writing the same state: wait for its run to end */
	sqlite3_busy_timeout(st->db, 10000);
	s = check_schema(st->db, "main", where(st), &fresh, err);
	if (s != CAT_OK)
		goto out;
	/* A run inserts keys in no order of theirs: with SQLite's default
	 * 2 MB cache, a big log's run wrote pages out again and again. 16 MB
	 * keeps the hot pages of a busy host's day; memory stays bounded. A
	 * temporary state is private and thrown away: no journal, no syncs. */
	s = exec(st, path ? "PRAGMA cache_size = -16384"
			  : "PRAGMA cache_size = -16384; PRAGMA journal_mode = OFF; "
			    "PRAGMA synchronous = OFF",
		 err);
	if (s != CAT_OK)
		goto out;
	if (fresh && mode == CAT_STATE_READ) {
		s = cat_fail(err, CAT_EIO, "%s: not a bounce state database (it is empty)", path);
		goto out;
	}
	if (fresh) {
		char init[128];

		s = exec(st, "BEGIN IMMEDIATE", err);
		if (s == CAT_OK)
			s = check_schema(st->db, "main", where(st), &fresh, err);
		if (s == CAT_OK && fresh) {
			snprintf(init, sizeof(init), "PRAGMA application_id = %d; PRAGMA user_version = %d;",
				 STATE_APP_ID, CAT_STATE_VERSION);
			s = exec(st, schema_sql, err);
			if (s == CAT_OK)
				s = exec(st, init, err);
		}
		if (s == CAT_OK)
			s = exec(st, "COMMIT", err);
		else
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		if (s != CAT_OK)
			goto out;
	}
	if (cat && (s = load_reasons(st, err)) != CAT_OK)
		goto out;
	s = prepare_all(st, err);
out:
	if (s != CAT_OK) {
		cat_state_close(st);
		return s;
	}
	*out = st;
	return CAT_OK;
}

void
cat_state_close(struct cat_state *st)
{
	size_t i;

	if (!st)
		return;
	if (st->in_run)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(st->st[i]);
	sqlite3_close(st->db);
	for (i = 0; i < st->n_reasons; i++)
		free(st->reasons[i].id);
	free(st->reasons);
	free(st->path);
	free(st);
}

/* ------------------------------------------------------------ runs */

static enum cat_status
run_start(struct cat_state *st, int64_t now, const char *kind, const char *source,
	  struct cat_error *err)
{
	sqlite3_stmt *s = st->st[ST_RUN_NEW];
	enum cat_status rc;

	if (st->in_run)
		return cat_fail(err, CAT_ESTATE, "%s: a run is already open", where(st));
	if (st->readonly)
		return cat_fail(err, CAT_ESTATE, "%s: opened read-only", where(st));
	/* IMMEDIATE: the write lock now, so that a second scan of the same
	 * state waits here rather than failing at its first insert */
	rc = exec(st, "BEGIN IMMEDIATE", err);
	if (rc != CAT_OK)
		return rc;
	if (sqlite3_bind_int64(s, 1, now) != SQLITE_OK ||
	    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(s, 3, source, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		rc = sql_fail(st, err, "new run");
		sqlite3_reset(s);
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	st->run_id = sqlite3_last_insert_rowid(st->db);
	st->now = now;
	st->in_run = 1;
	memset(&st->counts, 0, sizeof(st->counts));
	return CAT_OK;
}

enum cat_status
cat_state_begin(struct cat_state *st, int64_t now, struct cat_error *err)
{
	if (!st)
		return cat_fail(err, CAT_EUSAGE, "cat_state_begin: no state");
	if (!st->cat)
		return cat_fail(err, CAT_ESTATE, "%s: opened without a catalog", where(st));
	return run_start(st, now, "scan", NULL, err);
}

enum cat_status
cat_state_commit(struct cat_state *st, struct cat_error *err)
{
	sqlite3_stmt *s;
	enum cat_status rc;

	if (!st || !st->in_run)
		return cat_fail(err, CAT_ESTATE, "cat_state_commit: no run open");
	s = st->st[ST_RUN_DONE];
	if (sqlite3_bind_int64(s, 1, st->run_id) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, (int64_t)st->counts.offered) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, (int64_t)st->counts.recorded) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		rc = sql_fail(st, err, "end of run");
		sqlite3_reset(s);
		return rc;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	rc = exec(st, "COMMIT", err);
	if (rc == CAT_OK)
		st->in_run = 0;
	return rc;
}

void
cat_state_counts(const struct cat_state *st, struct cat_state_counts *out)
{
	if (!out)
		return;
	if (st)
		*out = st->counts;
	else
		memset(out, 0, sizeof(*out));
}

/* ------------------------------------------------------------ time */

static int64_t
year_of(int64_t t)
{
	int64_t days = (t >= 0 ? t : t - 86399) / 86400;
	int y, m, d;

	stamp_civil(days, &y, &m, &d);
	return y;
}

/* Seconds since the epoch of a log's time stamp, in the forms the analyzer
 * reads (syslog's, RFC 3339, Exim's own, multilog's TAI64N, a PowerShell
 * export's); 0 when it is none of them. A stamp without a zone is taken as
 * UTC: only the order of one host's events matters, and that does not
 * move. */
static int
stamp_time(const char *t, int64_t now, int64_t *at)
{
	struct stamp st;
	int64_t year;

	switch (stamp_read(t, &st)) {
	case STAMP_SYSLOG:
		/* "Dec  5 05:00:01": the year is the run's, or the one before
		 * when that would put the stamp more than a day ahead */
		year = year_of(now);
		*at = stamp_days(year, st.month, st.day) * 86400 + st.secs;
		if (*at > now + 86400)
			*at = stamp_days(year - 1, st.month, st.day) * 86400 + st.secs;
		return 1;
	case STAMP_CIVIL:
		*at = stamp_days(st.year, st.month, st.day) * 86400 + st.secs - st.offset;
		return 1;
	case STAMP_TAI64N:
		/* TAI runs 10 s ahead of the label daemontools' tai64nlocal
		 * removes */
		*at = st.tai - 10;
		return 1;
	default:
		return 0;
	}
}

/* ------------------------------------------------------------ the rules */

/* The rule of one diagnosis. Everything that decides comes from the
 * diagnosis and from its reason in the catalog (type and `do`); no reason
 * is named here. In this order:
 *  - a refusal by our own server is never held against our recipient;
 *  - a feedback report (ARF, JMRP) is a complaint;
 *  - a delivery made resets the failures before it;
 *  - a block-type reason (the diagnosis's type or its reason's, so that a
 *    transient blocklisting counts as one too) is about the sender or the
 *    message, never the address;
 *  - a hard failure the catalog says to suppress on is hard;
 *  - a soft failure counts once its send is given up on (the MTA's
 *    outcome, or a bounce message) and only for a reason whose permanent
 *    action suppresses (now or after repeats): a mailbox that stays full
 *    counts, greylisting and rate limits never do;
 *  - a soft failure still being retried is a deferral, shown but not counted. */
static enum cat_rule
rule_of(const struct cat_state *st, const struct cat_diagnosis *d)
{
	const struct reason_info *r = reason_info(st, d->reason);
	enum cat_class oc = cat_outcome_class(d->outcome);
	int final;

	switch (d->event) {
	case CAT_EVENT_REFUSAL:
		return CAT_RULE_REFUSAL;
	case CAT_EVENT_COMPLAINT:
		return CAT_RULE_COMPLAINT;
	case CAT_EVENT_BOUNCE:
	case CAT_EVENT_DELAY:
	case CAT_EVENT_DELIVERY:
	case CAT_EVENT_LOCAL:
	case CAT_EVENT_SUCCESS:
		break;
	default:
		return CAT_RULE_NONE;
	}
	if (d->outcome && strcmp(d->outcome, "rejected") == 0)
		return CAT_RULE_REFUSAL;
	if (oc == CAT_CLASS_SUCCESS || d->event == CAT_EVENT_SUCCESS ||
	    (oc == CAT_CLASS_NONE && d->cls == CAT_CLASS_SUCCESS))
		return CAT_RULE_DELIVERED;
	if (d->type == CAT_TYPE_BLOCK || (r && r->type == CAT_TYPE_BLOCK))
		return CAT_RULE_BLOCK;
	if (d->type == CAT_TYPE_HARD && d->action == CAT_ACTION_SUPPRESS)
		return CAT_RULE_HARD;
	if (d->type != CAT_TYPE_SOFT)
		return CAT_RULE_OTHER;
	final = oc == CAT_CLASS_PERMANENT || (oc == CAT_CLASS_NONE && d->event == CAT_EVENT_BOUNCE);
	if (!final)
		return CAT_RULE_DEFERRED;
	if (r && (r->act == CAT_ACTION_SUPPRESS || r->act == CAT_ACTION_RETRY_THEN_SUPPRESS))
		return CAT_RULE_SOFT;
	return CAT_RULE_OTHER;
}

/* Addresses are compared without regard to ASCII case: the large providers
 * ignore the case of local parts, and a suppression missed for a capital is
 * mail sent to a dead address. */
static void
address_key(const char *a, char *k)
{
	size_t i;

	for (i = 0; a[i]; i++)
		k[i] = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] + 32) : a[i];
	k[i] = 0;
}

/* "msg:" and the FNV-1a digest of a message: the queue id of an event
 * read from a message, which has none of its own */
static void
message_id(const char *input, size_t len, char out[24])
{
	snprintf(out, 24, "msg:%016llx", (unsigned long long)fnv1a64(input, len));
}

/* Strings are bound SQLITE_STATIC: each lives until the statement is
 * reset, at the end of cat_state_add() (a copy per value was a third of a
 * run's cost). */
static int
bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
}

enum cat_status
cat_state_add(struct cat_state *st, const struct cat_diagnosis *d, const char *input, size_t len,
	      enum cat_rule *rule, struct cat_error *err)
{
	sqlite3_stmt *s;
	enum cat_rule r;
	enum cat_status rc = CAT_OK;
	char qid[24], small[256], *rcpt = small;
	const char *hs = "", *he = hs;
	size_t n;
	int64_t at;

	if (rule)
		*rule = CAT_RULE_NONE;
	if (!st || !d)
		return cat_fail(err, CAT_EUSAGE, "cat_state_add: bad arguments");
	if (!st->in_run)
		return cat_fail(err, CAT_ESTATE, "%s: no run open", where(st));
	st->counts.offered++;
	if (!d->recipient || !*d->recipient)
		return CAT_OK;
	r = rule_of(st, d);
	if (r == CAT_RULE_NONE)
		return CAT_OK;
	n = strlen(d->recipient);
	if (n >= sizeof(small) && !(rcpt = malloc(n + 1)))
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	address_key(d->recipient, rcpt);
	qid[0] = 0;
	if ((!d->queue_id || !*d->queue_id) && input)
		message_id(input, len, qid);
	if (!d->time || !stamp_time(d->time, st->now, &at))
		at = st->now;
	if (input)
		logline_host(input, input + len, &hs, &he);
	s = st->st[ST_INSERT];
	if (sqlite3_bind_text(s, 1, hs, (int)(he - hs), SQLITE_STATIC) ||
	    bind_opt(s, 2, d->queue_id && *d->queue_id ? d->queue_id : qid) ||
	    bind_opt(s, 3, rcpt) || bind_opt(s, 4, d->time ? d->time : "") ||
	    bind_opt(s, 5, d->outcome ? d->outcome : "") || sqlite3_bind_int64(s, 6, at) ||
	    bind_opt(s, 7, cat_rule_name(r)) || bind_opt(s, 8, d->reason) ||
	    bind_opt(s, 9, cat_type_name(d->type)) || bind_opt(s, 10, cat_action_name(d->action)) ||
	    bind_opt(s, 11, cat_event_name(d->event)) || sqlite3_bind_int(s, 12, d->reply) ||
	    bind_opt(s, 13, d->enhanced[0] ? d->enhanced : NULL) ||
	    sqlite3_bind_int64(s, 14, st->run_id) || sqlite3_step(s) != SQLITE_DONE) {
		rc = sql_fail(st, err, "record an event");
	} else if (sqlite3_changes(st->db) > 0) {
		st->counts.recorded++;
	} else {
		st->counts.known++;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rcpt != small)
		free(rcpt);
	if (rc == CAT_OK && rule)
		*rule = r;
	return rc;
}

enum cat_status
cat_state_add_event(struct cat_state *st, const struct cat_scan_event *ev, const char *input,
		    size_t len, enum cat_rule *rule, struct cat_error *err)
{
	struct logline_sent f;
	struct cat_diagnosis d;
	char buf[1024], *p = buf;
	size_t tl, ql, rl;

	if (rule)
		*rule = CAT_RULE_NONE;
	if (!st || !ev)
		return cat_fail(err, CAT_EUSAGE, "cat_state_add_event: bad arguments");
	if (ev->d)
		return cat_state_add(st, ev->d, input, len, rule, err);
	if (ev->kind != CAT_SCAN_SENT || !input || !logline_sent(input, input + len, &f))
		return CAT_OK;
	/* the delivery as the analyzer would give it, from the same fields,
	 * so that its key is the same whichever way the line was read */
	tl = (size_t)(f.time_end - f.time);
	ql = (size_t)(f.qid_end - f.qid);
	rl = (size_t)(f.rcpt_end - f.rcpt);
	if (tl + ql + rl + 3 > sizeof(buf))
		return CAT_OK;
	memset(&d, 0, sizeof(d));
	d.time = p;
	memcpy(p, f.time, tl);
	p += tl;
	*p++ = '\0';
	d.queue_id = p;
	memcpy(p, f.qid, ql);
	p += ql;
	*p++ = '\0';
	d.recipient = p;
	memcpy(p, f.rcpt, rl);
	p[rl] = '\0';
	d.event = CAT_EVENT_DELIVERY;
	d.outcome = "sent";
	d.cls = CAT_CLASS_SUCCESS;
	d.type = CAT_TYPE_INFO;
	d.action = CAT_ACTION_NONE;
	return cat_state_add(st, &d, input, len, rule, err);
}

/* ------------------------------------------------------------ merge */

enum cat_status
cat_state_merge(struct cat_state *st, const char *path, int64_t now, struct cat_error *err)
{
	sqlite3_stmt *s = NULL;
	enum cat_status rc;
	int fresh, attached = 0;

	if (!st || !path)
		return cat_fail(err, CAT_EUSAGE, "cat_state_merge: bad arguments");
	if ((rc = check_path(path, CAT_STATE_READ, err)) != CAT_OK)
		return rc;
	if (st->in_run)
		return cat_fail(err, CAT_ESTATE, "%s: a run is already open", where(st));
	/* ATTACH takes its file name as a bound value, never as SQL text */
	if (sqlite3_prepare_v2(st->db, "ATTACH DATABASE ?1 AS src", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE) {
		if (sqlite3_errcode(st->db) == SQLITE_NOTADB)
			rc = cat_fail(err, CAT_EIO,
				      "%s: not a bounce state database (not a SQLite database)", path);
		else
			rc = cat_fail(err, CAT_EIO, "%s: %s", path, sqlite3_errmsg(st->db));
		goto out;
	}
	attached = 1;
	rc = check_schema(st->db, "src", path, &fresh, err);
	if (rc == CAT_OK && fresh)
		rc = cat_fail(err, CAT_EIO, "%s: not a bounce state database (it is empty)", path);
	if (rc == CAT_OK)
		rc = run_start(st, now, "merge", path, err);
	if (rc != CAT_OK)
		goto out;
	sqlite3_finalize(s);
	s = NULL;
	if (sqlite3_prepare_v2(st->db,
			       "INSERT OR IGNORE INTO main.event(" EVENT_COLS ", run) SELECT " EVENT_COLS
			       ", ?1 FROM src.event",
			       -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 1, st->run_id) != SQLITE_OK || sqlite3_step(s) != SQLITE_DONE)
		rc = sql_fail(st, err, "merge");
	if (rc == CAT_OK) {
		st->counts.recorded = (uint64_t)sqlite3_changes(st->db);
		st->counts.offered =
			(uint64_t)int_query(st->db, "SELECT count(*) FROM src.event", &fresh);
		st->counts.known = st->counts.offered - st->counts.recorded;
		rc = cat_state_commit(st, err);
	}
	if (rc != CAT_OK && st->in_run) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		st->in_run = 0;
	}
out:
	sqlite3_finalize(s);
	if (attached)
		sqlite3_exec(st->db, "DETACH DATABASE src", NULL, NULL, NULL);
	return rc;
}

/* ------------------------------------------------------------ verdicts */

static unsigned
col_count(sqlite3_stmt *s, int i)
{
	double v = sqlite3_column_double(s, i);

	return v > 0 ? (unsigned)v : 0;
}

/* The verdict from one row of VERDICT_SELECT: the one place the rules of a
 * recipient are decided, for the list and for `why` alike. A complaint
 * stays whatever follows it (the person asked not to be mailed); hard and
 * soft failures count only after the last delivery. */
static void
verdict_of(sqlite3_stmt *s, unsigned limit, struct cat_state_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->soft_limit = limit;
	v->has_delivery = sqlite3_column_type(s, 1) != SQLITE_NULL;
	v->last_delivery = sqlite3_column_int64(s, 1);
	v->complaints = col_count(s, 2);
	v->hard = col_count(s, 3);
	v->soft_sends = col_count(s, 4);
	v->lapsed = col_count(s, 5);
	v->blocks = col_count(s, 6);
	v->refusals = col_count(s, 7);
	v->deferrals = col_count(s, 8);
	v->others = col_count(s, 9);
	v->suppressed = 1;
	if (v->complaints)
		v->rule = CAT_RULE_COMPLAINT;
	else if (v->hard)
		v->rule = CAT_RULE_HARD;
	else if (v->soft_sends >= limit)
		v->rule = CAT_RULE_SOFT;
	else {
		v->suppressed = 0;
		if (v->soft_sends)
			v->rule = CAT_RULE_SOFT;
		else if (v->lapsed)
			v->rule = CAT_RULE_DELIVERED;
		else if (v->blocks)
			v->rule = CAT_RULE_BLOCK;
		else if (v->refusals)
			v->rule = CAT_RULE_REFUSAL;
		else if (v->deferrals)
			v->rule = CAT_RULE_DEFERRED;
		else if (v->others)
			v->rule = CAT_RULE_OTHER;
		else
			v->rule = v->has_delivery ? CAT_RULE_DELIVERED : CAT_RULE_NONE;
	}
}

enum cat_status
cat_state_suppressed(struct cat_state *st, unsigned soft_limit, char ***addrs, size_t *n,
		     struct cat_error *err)
{
	sqlite3_stmt *s;
	struct strbuf names = { 0 };
	struct cat_state_verdict v;
	size_t count = 0, i, off;
	char **out = NULL;
	enum cat_status rc = CAT_OK;
	int step;

	if (!st || !addrs || !n)
		return cat_fail(err, CAT_EUSAGE, "cat_state_suppressed: bad arguments");
	*addrs = NULL;
	*n = 0;
	if (!soft_limit)
		soft_limit = CAT_STATE_SOFT_LIMIT;
	s = st->st[ST_VERDICT_ALL];
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *a = (const char *)sqlite3_column_text(s, 0);

		verdict_of(s, soft_limit, &v);
		if (!v.suppressed || !a)
			continue;
		if (strbuf_add(&names, a, strlen(a) + 1)) {
			rc = cat_fail(err, CAT_ENOMEM, "out of memory");
			break;
		}
		count++;
	}
	if (rc == CAT_OK && step != SQLITE_DONE)
		rc = sql_fail(st, err, "suppression list");
	sqlite3_reset(s);
	if (rc != CAT_OK)
		goto out;
	/* one block: the pointers, then the strings */
	out = malloc((count + 1) * sizeof(*out) + names.len + 1);
	if (!out) {
		rc = cat_fail(err, CAT_ENOMEM, "out of memory");
		goto out;
	}
	if (names.len)
		memcpy((char *)(out + count + 1), names.data, names.len);
	for (i = 0, off = 0; i < count; i++) {
		out[i] = (char *)(out + count + 1) + off;
		off += strlen(out[i]) + 1;
	}
	out[count] = NULL;
	*addrs = out;
	*n = count;
out:
	strbuf_free(&names);
	return rc;
}

enum cat_status
cat_state_why(struct cat_state *st, const char *address, unsigned soft_limit,
	      struct cat_state_why **out, struct cat_error *err)
{
	struct cat_state_why *w = NULL;
	sqlite3_stmt *s;
	char *key = NULL;
	enum cat_status rc = CAT_OK;
	size_t cap = 0;
	int step;

	if (!st || !address || !*address || !out)
		return cat_fail(err, CAT_EUSAGE, "cat_state_why: no address");
	*out = NULL;
	if (!soft_limit)
		soft_limit = CAT_STATE_SOFT_LIMIT;
	w = calloc(1, sizeof(*w));
	key = malloc(strlen(address) + 1);
	if (key)
		address_key(address, key);
	if (!w || !key || !(w->arena = arena_new()) ||
	    !(w->recipient = arena_strdup(w->arena, key))) {
		rc = cat_fail(err, CAT_ENOMEM, "out of memory");
		goto out;
	}
	w->verdict.soft_limit = soft_limit;
	s = st->st[ST_VERDICT_ONE];
	if (sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT) != SQLITE_OK)
		rc = sql_fail(st, err, "verdict");
	else if ((step = sqlite3_step(s)) == SQLITE_ROW)
		verdict_of(s, soft_limit, &w->verdict);
	else if (step != SQLITE_DONE)
		rc = sql_fail(st, err, "verdict");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != CAT_OK)
		goto out;
	s = st->st[ST_EVENTS];
	if (sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT) != SQLITE_OK) {
		rc = sql_fail(st, err, "events");
		goto out;
	}
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct cat_state_event *e;
		struct cat_arena *a = w->arena;

		if (w->n == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			void *p = realloc(w->events, ncap * sizeof(*w->events));

			if (!p) {
				rc = cat_fail(err, CAT_ENOMEM, "out of memory");
				break;
			}
			w->events = p;
			cap = ncap;
		}
		e = &w->events[w->n];
		memset(e, 0, sizeof(*e));
		e->host = arena_strdup(a, (const char *)sqlite3_column_text(s, 0));
		e->queue_id = arena_strdup(a, (const char *)sqlite3_column_text(s, 1));
		e->time = arena_strdup(a, (const char *)sqlite3_column_text(s, 2));
		e->at = sqlite3_column_int64(s, 3);
		e->outcome = arena_strdup(a, (const char *)sqlite3_column_text(s, 4));
		e->rule = rule_of_name((const char *)sqlite3_column_text(s, 5));
		e->reason = arena_strdup(a, (const char *)sqlite3_column_text(s, 6));
		e->type = cat_type_of_name((const char *)sqlite3_column_text(s, 7));
		e->action = cat_action_of_name((const char *)sqlite3_column_text(s, 8));
		e->event = cat_event_of_name((const char *)sqlite3_column_text(s, 9));
		e->reply = sqlite3_column_int(s, 10);
		e->enhanced = arena_strdup(a, (const char *)sqlite3_column_text(s, 11));
		e->run = sqlite3_column_int64(s, 12);
		if (!e->host || !e->queue_id || !e->time || !e->outcome) {
			rc = cat_fail(err, CAT_ENOMEM, "out of memory");
			break;
		}
		/* what verdict_of() counted: complaints always, hard and soft
		 * after the last delivery, and that delivery itself */
		e->counts = e->rule == CAT_RULE_COMPLAINT ||
			    ((e->rule == CAT_RULE_HARD || e->rule == CAT_RULE_SOFT) &&
			     (!w->verdict.has_delivery || e->at > w->verdict.last_delivery)) ||
			    (e->rule == CAT_RULE_DELIVERED && e->at == w->verdict.last_delivery);
		w->n++;
	}
	if (rc == CAT_OK && step != SQLITE_DONE)
		rc = sql_fail(st, err, "events");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
out:
	free(key);
	if (rc != CAT_OK) {
		cat_state_why_free(w);
		return rc;
	}
	*out = w;
	return CAT_OK;
}

void
cat_state_why_free(struct cat_state_why *w)
{
	if (!w)
		return;
	free(w->events);
	arena_free(w->arena);
	free(w);
}

enum cat_status
cat_state_totals(struct cat_state *st, struct cat_state_totals *out, struct cat_error *err)
{
	int rc;
	int64_t v[3];

	if (!st || !out)
		return cat_fail(err, CAT_EUSAGE, "cat_state_totals: bad arguments");
	v[0] = int_query(st->db, "SELECT count(*) FROM run", &rc);
	if (rc == SQLITE_OK)
		v[1] = int_query(st->db, "SELECT count(*) FROM event", &rc);
	if (rc == SQLITE_OK)
		v[2] = int_query(st->db, "SELECT count(DISTINCT recipient) FROM event", &rc);
	if (rc != SQLITE_OK)
		return sql_fail(st, err, "totals");
	out->runs = (uint64_t)v[0];
	out->events = (uint64_t)v[1];
	out->recipients = (uint64_t)v[2];
	return CAT_OK;
}

/* ------------------------------------------------------------ why as JSON */

/* "2026-12-05T05:00:01Z" */
static void
jw_utc(struct jsonw *w, int64_t t)
{
	char buf[40];
	int64_t day = t / 86400 - (t < 0 && t % 86400), sec = t - day * 86400;
	int y, m, d;

	stamp_civil(day, &y, &m, &d);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(sec / 3600),
		 (int)(sec % 3600 / 60), (int)(sec % 60));
	jw_str(w, buf);
}

static const char *
empty_null(const char *s)
{
	return s && *s ? s : NULL;
}

enum cat_status
cat_state_why_json(const struct cat_state_why *why, char **buf, size_t *len, size_t *cap)
{
	struct jsonw w = { *buf, *len, *cap, 0, 0 };
	const struct cat_state_verdict *v = &why->verdict;
	size_t i;

	jw_obj(&w);
	JW_KEY_STR(&w, "recipient", why->recipient);
	JW_KEY(&w, "suppressed");
	jw_bool(&w, v->suppressed);
	JW_KEY_STR(&w, "rule", cat_rule_name(v->rule));
	JW_KEY_INT(&w, "soft_sends", v->soft_sends);
	JW_KEY_INT(&w, "soft_limit", v->soft_limit);
	JW_KEY_INT(&w, "hard", v->hard);
	JW_KEY_INT(&w, "complaints", v->complaints);
	JW_KEY_INT(&w, "lapsed", v->lapsed);
	JW_KEY_INT(&w, "blocks", v->blocks);
	JW_KEY_INT(&w, "refusals", v->refusals);
	JW_KEY_INT(&w, "deferrals", v->deferrals);
	JW_KEY_INT(&w, "others", v->others);
	JW_KEY(&w, "last_delivery");
	if (v->has_delivery)
		jw_utc(&w, v->last_delivery);
	else
		jw_null(&w);
	JW_KEY(&w, "events");
	jw_arr(&w);
	for (i = 0; i < why->n; i++) {
		const struct cat_state_event *e = &why->events[i];

		jw_obj(&w);
		JW_KEY(&w, "at");
		jw_utc(&w, e->at);
		JW_KEY_STR(&w, "time", empty_null(e->time));
		JW_KEY_STR(&w, "host", empty_null(e->host));
		JW_KEY_STR(&w, "queue_id", empty_null(e->queue_id));
		JW_KEY_STR(&w, "outcome", empty_null(e->outcome));
		JW_KEY_STR(&w, "rule", cat_rule_name(e->rule));
		JW_KEY(&w, "counts");
		jw_bool(&w, e->counts);
		JW_KEY_STR(&w, "event", cat_event_name(e->event));
		JW_KEY(&w, "reply_code");
		if (e->reply)
			jw_int(&w, e->reply);
		else
			jw_null(&w);
		JW_KEY_STR(&w, "enhanced_code", empty_null(e->enhanced));
		JW_KEY_STR(&w, "reason", e->reason);
		JW_KEY_STR(&w, "type", cat_type_name(e->type));
		JW_KEY_STR(&w, "action", cat_action_name(e->action));
		JW_KEY_INT(&w, "run", e->run);
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_end_obj(&w);
	jw__put(&w, "\n", 1);
	*buf = w.buf;
	*len = w.len;
	*cap = w.cap;
	return w.oom ? CAT_ENOMEM : CAT_OK;
}
