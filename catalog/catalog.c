/* catalog.c: the life cycle of a catalog: open, ready, export, close. */
#include "bounce/catalog.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "builtin.h"
#include "cache.h"
#include "db.h"
#include "load.h"
#include "util.h"

static enum cat_status
open_with(struct catalog **out, const unsigned char *image, size_t len, struct cat_error *err)
{
	struct catalog *cat = NULL;
	enum cat_status st;

	if (!out)
		return cat_fail(err, CAT_EUSAGE, "cat_open: no handle");
	*out = NULL;
	/* libxml2 is set up by the first file loaded (load.c): opening the
	 * built-in image reads no XML */
	cat = calloc(1, sizeof(*cat));
	if (!cat)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	cat->arena = arena_new();
	if (!cat->arena) {
		st = cat_fail(err, CAT_ENOMEM, "out of memory");
		goto out;
	}
	st = db_open(cat, image, len, err);
	if (st != CAT_OK)
		goto out;
	if (st == CAT_OK && image) {
		/* the image holds the built-in catalog, loaded and indexed */
		cat->origins = malloc(sizeof(*cat->origins));
		if (cat->origins)
			cat->origins[0] = strdup("built-in");
		if (!cat->origins || !cat->origins[0])
			st = cat_fail(err, CAT_ENOMEM, "out of memory");
		else
			cat->n_origins = 1;
	}
out:
	if (st != CAT_OK) {
		cat_close(cat);
		return st;
	}
	*out = cat;
	return CAT_OK;
}

enum cat_status
cat_open_empty(struct catalog **out, struct cat_error *err)
{
	return open_with(out, NULL, 0, err);
}

enum cat_status
cat_open(struct catalog **out, struct cat_error *err)
{
	enum cat_status st;

	if (cat_builtin_db_len > 0)
		return open_with(out, cat_builtin_db, cat_builtin_db_len, err);
	st = cat_open_empty(out, err);
	if (st != CAT_OK)
		return st;
	st = cat_load_buffer(*out, "built-in", (const char *)cat_builtin_xml, cat_builtin_xml_len,
			     err);
	if (st != CAT_OK) {
		cat_close(*out);
		*out = NULL;
	}
	return st;
}

enum cat_status
cat_ready(struct catalog *cat, struct cat_error *err)
{
	enum cat_status st;

	if (!cat)
		return cat_fail(err, CAT_EUSAGE, "cat_ready: no catalog");
	if (cat->ready)
		return CAT_OK;
	if (cache_noting(cat)) {
		int hit;

		st = cache_open(cat, &hit, err);
		if (st == CAT_OK && !hit)
			st = load_noted(cat, err);
		if (st != CAT_OK)
			return st;
	}
	/* the index of a database image is already built: rebuild it only
	 * when files were loaded on top */
	if (cat->dirty) {
		st = db_index(cat, 1, err);
		if (st == CAT_OK)
			st = db_exec(cat, "INSERT INTO fts(fts) VALUES('rebuild')", err);
		if (st != CAT_OK)
			return st;
	}
	/* the built-in image not opened yet has no transaction to end */
	st = cat->db ? db_exec(cat, "COMMIT", err) : CAT_OK;
	if (st != CAT_OK)
		return st;
	cat->ready = 1;
	cache_write(cat);
	return CAT_OK;
}

void
cat_close(struct catalog *cat)
{
	size_t i;

	if (!cat)
		return;
	db_close(cat);
	cache_free(cat->cache);
	if (cat->schema)
		xmlRelaxNGFree(cat->schema);
	for (i = 0; i < cat->n_origins; i++)
		free(cat->origins[i]);
	free(cat->origins);
	arena_free(cat->arena);
	free(cat);
}

size_t
cat_origin_count(const struct catalog *cat)
{
	return cat ? cat->n_origins : 0;
}

const char *
cat_origin(const struct catalog *cat, size_t i)
{
	return cat && i < cat->n_origins ? cat->origins[i] : NULL;
}

void
cat_free(void *p)
{
	free(p);
}

enum cat_status
cat_count(struct catalog *cat, enum cat_kind kind, size_t *out, struct cat_error *err)
{
	sqlite3_stmt *st;

	if (!cat || !out)
		return cat_fail(err, CAT_EUSAGE, "cat_count: bad arguments");
	st = db_stmt(cat, ST_Q_COUNT);
	if (sqlite3_bind_int(st, 1, (int)kind) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
		return db_fail(cat, err, "count entries");
	*out = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return CAT_OK;
}

/* The regular file that the symbolic link `path` leads to, through every
 * link on the way (a relative link is read from its own directory), so
 * that the index is renamed over it and the link stays. Owned (free()). */
static enum cat_status
follow_links(const char *path, char **out, struct cat_error *err)
{
	char *cur = strdup(path), *next;
	char link[4096];
	struct stat sb;
	ssize_t n;
	int hops;

	for (hops = 0; cur && hops < 40; hops++) {
		const char *slash;
		size_t dir;

		if (lstat(cur, &sb) != 0 || !S_ISLNK(sb.st_mode)) {
			*out = cur;
			return CAT_OK;
		}
		n = readlink(cur, link, sizeof(link) - 1);
		if (n < 0 || n == (ssize_t)sizeof(link) - 1) {
			free(cur);
			return cat_fail(err, CAT_EIO, "%s: cannot read the link", path);
		}
		link[n] = '\0';
		slash = strrchr(cur, '/');
		dir = link[0] == '/' || !slash ? 0 : (size_t)(slash - cur) + 1;
		next = malloc(dir + (size_t)n + 1);
		if (next) {
			memcpy(next, cur, dir);
			memcpy(next + dir, link, (size_t)n + 1);
		}
		free(cur);
		cur = next;
	}
	if (!cur)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	free(cur);
	return cat_fail(err, CAT_EIO, "%s: %s", path, strerror(ELOOP));
}

/* Where an export writes: `path`, or the file a symbolic link there names
 * (the link stays a link). Refuses what exists and is not a regular file:
 * rename() would replace a device node or a FIFO with the index. The result
 * is owned (free()). */
static enum cat_status
export_target(const char *path, char **out, struct cat_error *err)
{
	struct stat sb;

	*out = NULL;
	if (lstat(path, &sb) != 0) {
		if (errno != ENOENT)
			return cat_fail(err, CAT_EIO, "%s: %s", path, strerror(errno));
		*out = strdup(path);
		return *out ? CAT_OK : cat_fail(err, CAT_ENOMEM, "out of memory");
	}
	if (S_ISLNK(sb.st_mode)) {
		if (stat(path, &sb) != 0 && errno == ENOENT)
			return cat_fail(err, CAT_EIO, "%s: a symbolic link to a file that does not "
					"exist; not written", path);
		if (stat(path, &sb) != 0)
			return cat_fail(err, CAT_EIO, "%s: %s", path, strerror(errno));
		if (S_ISREG(sb.st_mode))
			return follow_links(path, out, err);
	}
	if (!S_ISREG(sb.st_mode))
		return cat_fail(err, CAT_EIO, "%s: exists and is not a regular file%s; not replaced",
				path, S_ISDIR(sb.st_mode) ? " (a directory)" : "");
	*out = strdup(path);
	return *out ? CAT_OK : cat_fail(err, CAT_ENOMEM, "out of memory");
}

/* Blocks, in this thread, the signals that end a program and can be
 * caught, saving the mask in *old. */
static void
hold_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

enum cat_status
cat_export_db(struct catalog *cat, const char *path, struct cat_error *err)
{
	return cat_export_db_tmp(cat, path, NULL, err);
}

enum cat_status
cat_export_db_tmp(struct catalog *cat, const char *path, struct cat_export_tmp *tmp,
		  struct cat_error *err)
{
	enum cat_status st = CAT_OK;
	struct cat_export_tmp own;
	sqlite3 *dst = NULL;
	sqlite3_backup *bk;
	char *target = NULL;
	sigset_t old_mask;
	int fd, rc, e;

	if (!cat || !path || !*path)
		return cat_fail(err, CAT_EUSAGE, "cat_export_db: bad arguments");
	if (!cat->ready)
		return cat_fail(err, CAT_ESTATE, "the catalog is not ready");
	if (!tmp)
		tmp = &own;
	tmp->active = 0;
	st = export_target(path, &target, err);
	if (st != CAT_OK)
		return st;
	if (strlen(target) + sizeof(".tmpXXXXXX") > sizeof(tmp->name)) {
		st = cat_fail(err, CAT_EIO, "%s: %s", path, strerror(ENAMETOOLONG));
		free(target);
		return st;
	}
	/* mkstemp makes the name ours; SQLite then writes into that file. The
	 * signals a caller's handler removes the file on are held back from
	 * the file's creation until `active` says so, or a signal in between
	 * would leave it. */
	snprintf(tmp->name, sizeof(tmp->name), "%s.tmpXXXXXX", target);
	hold_signals(&old_mask);
	fd = mkstemp(tmp->name);
	if (fd >= 0)
		tmp->active = 1;
	e = errno;
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	if (fd < 0) {
		st = cat_fail(err, CAT_EIO, "%s: cannot create a temporary file: %s", path,
			      strerror(e));
		free(target);
		return st;
	}
	{
		/* mkstemp makes the file 0600; give it the mode a new file gets */
		mode_t mask = umask(0);

		umask(mask);
		if (fchmod(fd, 0666 & ~mask) != 0) {
			/* not fatal: the file is still ours and complete */
		}
	}
	close(fd);
	if (sqlite3_open_v2(tmp->name, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		st = cat_fail(err, CAT_EIO, "%s: %s", tmp->name,
			      dst ? sqlite3_errmsg(dst) : "cannot open");
		goto out;
	}
	/* The file is new and renamed into place only when complete, so a
	 * journal would only be one more file for an interruption to leave. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode = OFF", NULL, NULL, NULL) != SQLITE_OK) {
		st = cat_fail(err, CAT_EIO, "%s: %s", path, sqlite3_errmsg(dst));
		goto out;
	}
	bk = db_get(cat) ? sqlite3_backup_init(dst, "main", cat->db, "main") : NULL;
	if (!bk) {
		st = cat_fail(err, CAT_ESQL, "%s: backup: %s", path, sqlite3_errmsg(dst));
		goto out;
	}
	rc = sqlite3_backup_step(bk, -1);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE) {
		st = cat_fail(err, CAT_EIO, "%s: backup: %s", path, sqlite3_errstr(rc));
		goto out;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		st = cat_fail(err, CAT_EIO, "%s: cannot close: %s", path, sqlite3_errmsg(dst));
		goto out;
	}
	dst = NULL;
	hold_signals(&old_mask);
	if (rename(tmp->name, target) == 0)
		tmp->active = 0;
	else
		st = cat_fail(err, CAT_EIO, "%s: cannot write the index there: %s", path,
			      strerror(errno));
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
out:
	if (dst)
		sqlite3_close(dst);
	if (st != CAT_OK)
		unlink(tmp->name);
	tmp->active = 0;
	free(target);
	return st;
}
