/* cache.c: the index cache: a catalog's whole loaded index kept in a file and
 * opened instead of the catalog files it was made from while they are unchanged. */
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "util.h"

/* A file noted for cat_ready(), with what it was when noted. */
struct noted {
	char *path;
	struct stat sb;
	cat_skip_fn skipped; /* NULL: named on its own, its error stops cat_ready() */
	void *ctx;
};

struct cache {
	char *dir;
	char *build;
	struct noted *files;
	size_t n, cap;
	int noting;  /* loads are noted, not done */
	int base;    /* 1: the built-in catalog is loaded under the files */
	int tainted; /* something was skipped or changed: write no file */
	enum cat_cache_state state;
	char *path;        /* the cache file, once named */
	struct strbuf key; /* the inputs, as text */
	void *map;         /* the cache file, mapped; the database reads it */
	size_t map_len;
	char why[512];
};

/* The file: the database image (a SQLite database file), the key (the
 * inputs as text, compared byte for byte), then a trailer of TRAILER_LEN
 * bytes: the magic, the format, the lengths of the key and of the image,
 * and a checksum of the key and the image's first HEAD_LEN bytes (SQLite's
 * header and the schema), integers little-endian. The image comes first so
 * that SQLite writes it straight into the file: a copy in memory
 * (sqlite3_serialize) would double the peak memory of the start that
 * writes the cache. A reader checks each part before it trusts the next;
 * the rest of the image is read by SQLite in place, page by page, as
 * queries need it (see read_cache). */
enum { TRAILER_LEN = 40, FORMAT = 1, HEAD_LEN = 65536 };

/* Cache files kept in the directory, the most recently used (a read
 * refreshes a file's modification time): one per list of catalog files, so
 * without a bound every list ever loaded (each --catalog of a temporary
 * file) would leave an image as large as its index. */
enum { CACHE_KEEP = 8 };
static const char magic[8] = { 'b', 'o', 'u', 'n', 'c', 'e', 'i', 'x' };

static const char *const state_names[] = {
#define CAT_CACHE_NAME(id, word) word,
	CAT_CACHE_LIST(CAT_CACHE_NAME)
#undef CAT_CACHE_NAME
};

const char *
cat_cache_state_name(enum cat_cache_state s)
{
	return (unsigned)s < CAT_CACHE_COUNT ? state_names[s] : NULL;
}

static void
say_why(struct cache *c, const char *fmt, ...) CAT_PRINTF_LIKE(2, 3);

static void
say_why(struct cache *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------- checksum */

/* A checksum to find damage (a file overwritten, bit-rotten), not a
 * defence against someone who may write the user's files: Fletcher's two
 * running sums over four lanes of 8-byte words, whose additions a compiler
 * vectorizes, and a final mix. The second sum weighs each word by its
 * place, so swapped or shifted blocks change it too. Taken in pieces:
 * sum_blocks() over whole blocks of 32 bytes, then sum_end() over the last
 * few. */
#define H_P1 0x9E3779B185EBCA87ULL
#define H_P2 0xC2B2AE3D27D4EB4FULL

struct sum {
	uint64_t a[4], b[4];
	uint64_t n;
};

static uint64_t
rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static void
sum_init(struct sum *s)
{
	memset(s, 0, sizeof(*s));
}

static void
sum_blocks(struct sum *s, const unsigned char *p, size_t n)
{
	uint64_t a0 = s->a[0], a1 = s->a[1], a2 = s->a[2], a3 = s->a[3];
	uint64_t b0 = s->b[0], b1 = s->b[1], b2 = s->b[2], b3 = s->b[3], w[4];
	size_t i;

	for (i = 0; i + 32 <= n; i += 32) {
		memcpy(w, p + i, sizeof(w));
		a0 += w[0];
		a1 += w[1];
		a2 += w[2];
		a3 += w[3];
		b0 += a0;
		b1 += a1;
		b2 += a2;
		b3 += a3;
	}
	s->a[0] = a0, s->a[1] = a1, s->a[2] = a2, s->a[3] = a3;
	s->b[0] = b0, s->b[1] = b1, s->b[2] = b2, s->b[3] = b3;
	s->n += i;
}

static uint64_t
sum_end(struct sum *s, const unsigned char *p, size_t n)
{
	uint64_t h = (s->n + (uint64_t)n) * H_P1;
	size_t i;
	int k;

	for (k = 0; k < 4; k++) {
		h = rotl64(h ^ (s->a[k] * H_P2), 27) * H_P1;
		h = rotl64(h ^ (s->b[k] * H_P2), 31) * H_P1;
	}
	for (i = 0; i < n; i++)
		h = rotl64(h ^ (p[i] * H_P1), 11) * H_P2;
	h ^= h >> 33;
	h *= H_P2;
	h ^= h >> 29;
	h *= H_P1;
	h ^= h >> 32;
	return h;
}

static uint64_t
checksum(const unsigned char *p, size_t n)
{
	struct sum s;
	size_t whole = n & ~(size_t)31;

	sum_init(&s);
	sum_blocks(&s, p, whole);
	return sum_end(&s, p + whole, n - whole);
}

/* The trailer's checksum: of the key and the image's first bytes. */
static uint64_t
head_sum(const void *key, size_t klen, const unsigned char *image, size_t ilen)
{
	return (checksum(key, klen) * H_P1) ^ checksum(image, ilen < HEAD_LEN ? ilen : HEAD_LEN);
}

/* Whether an image starts as a whole SQLite database file of `len` bytes
 * does: its header's page size times its page count (valid when the file
 * was last written by a SQLite that keeps the count) is the length. */
static int
image_whole(const unsigned char *p, uint64_t len)
{
	uint32_t psize, pages;

	if (len < 100 || memcmp(p, "SQLite format 3", 16) != 0)
		return 0;
	psize = (uint32_t)p[16] << 8 | p[17];
	if (psize == 1)
		psize = 65536;
	pages = (uint32_t)p[28] << 24 | (uint32_t)p[29] << 16 | (uint32_t)p[30] << 8 | p[31];
	return psize >= 512 && (psize & (psize - 1)) == 0 && memcmp(p + 24, p + 92, 4) == 0 &&
	       (uint64_t)psize * pages == len;
}

static void
put64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t
get64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* ---------------------------------------------------------------- noting */

int
cache_noting(const struct catalog *cat)
{
	return cat->cache && cat->cache->noting;
}

void
cache_taint(struct catalog *cat)
{
	if (cat->cache && !cat->cache->tainted) {
		cat->cache->tainted = 1;
		say_why(cat->cache, "a catalog file was skipped");
	}
}

enum cat_status
cache_note(struct catalog *cat, const char *path, const struct stat *sb, cat_skip_fn skipped,
	   void *ctx, struct cat_error *err)
{
	struct cache *c = cat->cache;
	struct noted *f;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct noted *grown = realloc(c->files, cap * sizeof(*grown));

		if (!grown)
			return cat_fail(err, CAT_ENOMEM, "out of memory");
		c->files = grown;
		c->cap = cap;
	}
	f = &c->files[c->n];
	f->path = strdup(path);
	if (!f->path)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	f->sb = *sb;
	f->skipped = skipped;
	f->ctx = ctx;
	c->n++;
	return CAT_OK;
}

enum cat_status
cat_cache_use(struct catalog *cat, const char *dir, const char *build, struct cat_error *err)
{
	struct cache *c;

	if (!cat || !dir || !*dir || !build)
		return cat_fail(err, CAT_EUSAGE, "cat_cache_use: bad arguments");
	if (cat->ready || cat->dirty || cat->cache)
		return cat_fail(err, CAT_ESTATE, "cat_cache_use: call it once, before any file is "
				"loaded");
	c = calloc(1, sizeof(*c));
	if (!c)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	c->dir = strdup(dir);
	c->build = strdup(build);
	if (!c->dir || !c->build) {
		cache_free(c);
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	}
	c->noting = 1;
	c->base = cat->n_origins > 0;
	c->state = CAT_CACHE_PENDING;
	cat->cache = c;
	return CAT_OK;
}

enum cat_cache_state
cat_cache_info(const struct catalog *cat, const char **path, const char **why)
{
	const struct cache *c = cat ? cat->cache : NULL;

	if (path)
		*path = c ? c->path : NULL;
	if (why)
		*why = c && c->why[0] && (c->state == CAT_CACHE_WRITTEN ||
					  c->state == CAT_CACHE_NOT_WRITTEN)
			       ? c->why
			       : NULL;
	return c ? c->state : CAT_CACHE_OFF;
}

void
cache_free(struct cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++)
		free(c->files[i].path);
	free(c->files);
	free(c->dir);
	free(c->build);
	free(c->path);
	strbuf_free(&c->key);
	/* cat_close() closed the database that read the mapping */
	if (c->map)
		munmap(c->map, c->map_len);
	free(c);
}

/* ---------------------------------------------------------------- loading */

static int
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

const char *
cache_noted(const struct catalog *cat, size_t i, cat_skip_fn *skipped, void **ctx)
{
	const struct cache *c = cat->cache;

	if (!c || i >= c->n)
		return NULL;
	*skipped = c->files[i].skipped;
	*ctx = c->files[i].ctx;
	return c->files[i].path;
}

void
cache_loaded(struct catalog *cat, size_t i)
{
	struct cache *c = cat->cache;
	struct stat now;

	/* a file that changed since it was noted is in the index as it is
	 * now, under the identity it had: keyed so, the cache would be wrong
	 * the next time */
	if (c && i < c->n && !c->tainted &&
	    (stat(c->files[i].path, &now) != 0 || !same_file(&now, &c->files[i].sb))) {
		c->tainted = 1;
		say_why(c, "%s changed while it was loaded", c->files[i].path);
	}
}

void
cache_give_up(struct catalog *cat)
{
	if (cat->cache) {
		cat->cache->noting = 0;
		cat->cache->state = CAT_CACHE_OFF;
	}
}

/* ---------------------------------------------------------------- the key */

static int
key_add(struct strbuf *b, const char *fmt, ...) CAT_PRINTF_LIKE(2, 3);

static int
key_add(struct strbuf *b, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		return -1;
	return strbuf_add(b, line, (size_t)n);
}

static int
key_stat(struct strbuf *b, const struct stat *sb)
{
	return key_add(b, " %llu %llu %lld %lld.%09ld %lld.%09ld", (unsigned long long)sb->st_dev,
		       (unsigned long long)sb->st_ino, (long long)sb->st_size,
		       (long long)sb->st_mtim.tv_sec, (long)sb->st_mtim.tv_nsec,
		       (long long)sb->st_ctim.tv_sec, (long)sb->st_ctim.tv_nsec);
}

/* The inputs as text, one a line. The program file stands for the code
 * that loaded the index (a rebuild with the same version changes it); a
 * path is written with its length, so no path can read as more lines. */
static int
make_key(struct cache *c)
{
	struct strbuf *b = &c->key;
	const unsigned char *img = cat_builtin_db_len ? cat_builtin_db : cat_builtin_xml;
	size_t img_len = cat_builtin_db_len ? cat_builtin_db_len : cat_builtin_xml_len;
	struct stat sb;
	size_t i;
	int bad = 0;

	bad |= key_add(b, "bounce index cache %d\nbuild %zu:%s\nsqlite %s\n", FORMAT,
		       strlen(c->build), c->build, sqlite3_sourceid());
	if (stat("/proc/self/exe", &sb) == 0) {
		bad |= key_add(b, "program");
		bad |= key_stat(b, &sb);
		bad |= key_add(b, "\n");
	} else {
		bad |= key_add(b, "program unknown\n");
	}
	if (c->base)
		bad |= key_add(b, "built-in %zu %016llx\n", img_len,
			       (unsigned long long)checksum(img, img_len));
	else
		bad |= key_add(b, "built-in none\n");
	for (i = 0; i < c->n; i++) {
		bad |= key_add(b, "file");
		bad |= key_stat(b, &c->files[i].sb);
		bad |= key_add(b, " %zu:", strlen(c->files[i].path));
		bad |= strbuf_add(b, c->files[i].path, strlen(c->files[i].path));
		bad |= key_add(b, "\n");
	}
	return bad ? -1 : 0;
}

/* The cache file's name: one per list of files (absolute paths, in order)
 * and version, so that the browser alone and `--catalog big.xml` keep a
 * file each, and an edited overlay replaces its file instead of adding
 * one. */
static int
make_path(struct cache *c)
{
	struct strbuf names = { 0 };
	char cwd[PATH_MAX];
	int have_cwd = getcwd(cwd, sizeof(cwd)) != NULL, bad = 0;
	size_t i, len;

	bad |= strbuf_add(&names, c->build, strlen(c->build) + 1);
	for (i = 0; i < c->n; i++) {
		const char *p = c->files[i].path;

		if (p[0] != '/' && have_cwd) {
			bad |= strbuf_add(&names, cwd, strlen(cwd));
			bad |= strbuf_addc(&names, '/');
		}
		bad |= strbuf_add(&names, p, strlen(p) + 1);
	}
	len = strlen(c->dir) + sizeof("/index-0123456789abcdef.db");
	c->path = bad ? NULL : malloc(len);
	if (c->path)
		snprintf(c->path, len, "%s/index-%016llx.db", c->dir,
			 (unsigned long long)checksum((const unsigned char *)names.data, names.len));
	strbuf_free(&names);
	return c->path ? 0 : -1;
}

/* ---------------------------------------------------------------- reading */

static int
read_at(int fd, void *buf, size_t n, off_t off)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t got = pread(fd, p, n > (size_t)1 << 30 ? (size_t)1 << 30 : n, off);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		p += got;
		off += got;
		n -= (size_t)got;
	}
	return 0;
}

/* Whether the database holds what the noted files make: the built-in
 * catalog (when loaded), then each file under its name, in order. */
static int
holds_inputs(sqlite3 *db, const struct cache *c)
{
	sqlite3_stmt *st = NULL;
	size_t i = 0;
	int ok = 1, rc;

	if (sqlite3_prepare_v2(db, "SELECT name FROM origin ORDER BY id", -1, &st, NULL) !=
	    SQLITE_OK) {
		sqlite3_finalize(st);
		return 0;
	}
	while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		size_t f = i - (size_t)c->base;
		const char *want = i < (size_t)c->base ? "built-in" : f < c->n ? c->files[f].path : NULL;

		ok = name && want && strcmp(name, want) == 0;
		i++;
	}
	if (ok && rc != SQLITE_DONE)
		ok = 0;
	sqlite3_finalize(st);
	return ok && i == c->n + (size_t)c->base;
}

/* Opens the cache file into *db when it was made from these inputs and is
 * whole; else says why not and returns -1. */
static int
read_cache(struct cache *c, sqlite3 **db)
{
	unsigned char head[TRAILER_LEN];
	unsigned char *image;
	uint64_t klen, ilen;
	char *key = NULL;
	struct stat sb;
	int fd, rc = -1;

	*db = NULL;
	fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			say_why(c, "there was none");
		else
			say_why(c, "cannot open it: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		say_why(c, "it is not a regular file");
		goto out;
	}
	/* someone else's file in the user's cache is not trusted */
	if (sb.st_uid != geteuid() || (sb.st_mode & 022)) {
		say_why(c, "it is not the user's own");
		goto out;
	}
	if (sb.st_size < TRAILER_LEN ||
	    read_at(fd, head, sizeof(head), (off_t)(sb.st_size - TRAILER_LEN)) != 0 ||
	    memcmp(head, magic, sizeof(magic)) != 0 || get64(head + 8) != FORMAT) {
		say_why(c, "it is not an index cache of this format");
		goto out;
	}
	klen = get64(head + 16);
	ilen = get64(head + 24);
	if (klen != c->key.len) {
		say_why(c, "it was made from other inputs");
		goto out;
	}
	if (ilen == 0 || ilen > (uint64_t)INT64_MAX - TRAILER_LEN - klen ||
	    (uint64_t)sb.st_size != TRAILER_LEN + klen + ilen) {
		say_why(c, "it is cut short or too long");
		goto out;
	}
	key = malloc(klen ? klen : 1);
	if (!key || read_at(fd, key, klen, (off_t)ilen) != 0) {
		say_why(c, key ? "cannot read it" : "out of memory");
		goto out;
	}
	if (memcmp(key, c->key.data, klen) != 0) {
		say_why(c, "it was made from other inputs");
		goto out;
	}
	/* Mapped, and read only where SQLite reads: a first screen reads a
	 * few hundred of its pages. Reading or checksumming all of an 80 MB
	 * image cost 200 ms (the first touch of each page, on a virtual
	 * machine) and 70 MB of memory, more than the rest of the start. The
	 * whole image is checked as far as it can be without reading it: its
	 * length and SQLite's header, and the checksum covers its first pages
	 * (SQLite's header and the schema); what is beyond is SQLite's to
	 * check as it reads, as with any database file. A writer replaces the
	 * file by rename() only once it is complete and synced, so the mapping
	 * never changes and a file here is whole or absent. */
	if (ilen > SIZE_MAX - TRAILER_LEN - klen) {
		say_why(c, "it is too large");
		goto out;
	}
	c->map_len = (size_t)sb.st_size;
	c->map = mmap(NULL, c->map_len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (c->map == MAP_FAILED) {
		c->map = NULL;
		say_why(c, "cannot map it: %s", strerror(errno));
		goto out;
	}
	image = c->map;
	if (head_sum(key, (size_t)klen, image, (size_t)ilen) != get64(head + 32) ||
	    !image_whole(image, ilen)) {
		say_why(c, "it is damaged: its checksum or header does not match");
		goto out;
	}
	if (db_open_image(image, (size_t)ilen, 1, db) != SQLITE_OK) {
		say_why(c, "it is not a database image");
		goto out;
	}
	if (!holds_inputs(*db, c)) {
		say_why(c, "it does not hold its inputs' catalogs");
		sqlite3_close(*db);
		*db = NULL;
		goto out;
	}
	rc = 0;
out:
	if (rc != 0 && c->map) {
		munmap(c->map, c->map_len);
		c->map = NULL;
	}
	free(key);
	close(fd);
	return rc;
}

/* The catalog's names of its loaded files: the noted files after the
 * built-in catalog, as loading them would have made it. */
static enum cat_status
set_origins(struct catalog *cat, const struct cache *c, struct cat_error *err)
{
	char **grown = realloc(cat->origins, (cat->n_origins + c->n) * sizeof(*grown));
	size_t i;

	if (!grown)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	cat->origins = grown;
	for (i = 0; i < c->n; i++) {
		grown[cat->n_origins] = strdup(c->files[i].path);
		if (!grown[cat->n_origins])
			return cat_fail(err, CAT_ENOMEM, "out of memory");
		cat->n_origins++;
	}
	return CAT_OK;
}

enum cat_status
cache_open(struct catalog *cat, int *hit, struct cat_error *err)
{
	struct cache *c = cat->cache;
	enum cat_status st;
	sqlite3 *db = NULL;

	*hit = 0;
	c->noting = 0;
	if (c->n == 0) {
		/* the built-in index is an image already: nothing to gain */
		c->state = CAT_CACHE_NONE;
		return CAT_OK;
	}
	if (make_key(c) != 0 || make_path(c) != 0)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	if (!c->tainted && read_cache(c, &db) == 0) {
		st = db_replace(cat, db, err);
		if (st == CAT_OK)
			st = set_origins(cat, c, err);
		if (st != CAT_OK)
			return st;
		c->state = CAT_CACHE_READ;
		*hit = 1;
		/* used now: the last to go when the directory is pruned */
		utimensat(AT_FDCWD, c->path, NULL, AT_SYMLINK_NOFOLLOW);
	}
	return CAT_OK;
}

/* ---------------------------------------------------------------- writing */

static int
write_all(int fd, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	while (n > 0) {
		ssize_t put = write(fd, p, n > (size_t)1 << 30 ? (size_t)1 << 30 : n);

		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0)
			return -1;
		p += put;
		n -= (size_t)put;
	}
	return 0;
}

/* Makes directory `dir` and its missing parents, mode 0700. A directory
 * that others may write in (and rename files in) is refused. */
static int
make_dirs(const char *dir)
{
	char path[PATH_MAX];
	struct stat sb;
	size_t i, len = strlen(dir);

	if (len >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, len + 1);
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			return -1;
		path[i] = i < len ? '/' : '\0';
	}
	if (stat(dir, &sb) != 0)
		return -1;
	if (!S_ISDIR(sb.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	if (sb.st_uid != geteuid() || (sb.st_mode & 022)) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/* Writes the index into the new file `tmp` with the backup API, without a
 * journal (the file is renamed into place only when whole). */
static int
write_image(struct catalog *cat, const char *tmp)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *bk;
	int rc;

	rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, "PRAGMA journal_mode = OFF", NULL, NULL, NULL);
	if (rc == SQLITE_OK) {
		bk = db_get(cat) ? sqlite3_backup_init(dst, "main", cat->db, "main") : NULL;
		rc = bk ? sqlite3_backup_step(bk, -1) : sqlite3_errcode(dst);
		sqlite3_backup_finish(bk);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	if (sqlite3_close(dst) != SQLITE_OK && rc == SQLITE_OK)
		rc = SQLITE_IOERR;
	return rc == SQLITE_OK ? 0 : -1;
}

/* Appends the key and the trailer to the image in the open file fd. */
static int
write_trailer(struct cache *c, int fd)
{
	unsigned char trailer[TRAILER_LEN], *head;
	struct stat sb;
	size_t n;
	int rc = -1;

	if (fstat(fd, &sb) != 0 || sb.st_size <= 0)
		return -1;
	n = sb.st_size < HEAD_LEN ? (size_t)sb.st_size : HEAD_LEN;
	head = malloc(n);
	if (!head)
		return -1;
	if (read_at(fd, head, n, 0) != 0 || !image_whole(head, (uint64_t)sb.st_size)) {
		errno = EIO;
		goto out;
	}
	memcpy(trailer, magic, sizeof(magic));
	put64(trailer + 8, FORMAT);
	put64(trailer + 16, c->key.len);
	put64(trailer + 24, (uint64_t)sb.st_size);
	put64(trailer + 32, head_sum(c->key.data, c->key.len, head, n));
	if (lseek(fd, 0, SEEK_END) == sb.st_size && write_all(fd, c->key.data, c->key.len) == 0 &&
	    write_all(fd, trailer, sizeof(trailer)) == 0)
		rc = 0;
out:
	free(head);
	return rc;
}

/* Removes the temporary files of writes that a signal or a crash ended
 * (an image each, as large as the index), once they are old enough not to
 * be another start's write in progress. */
static void
remove_stale(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat sb;
	time_t now = time(NULL);
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "index-", 6) != 0 || !strstr(de->d_name, ".db.tmp"))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path))
			continue;
		if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_uid == geteuid() &&
		    now - sb.st_mtime > 600)
			unlink(path);
	}
	closedir(d);
}

/* Whether a name is a cache file's: index-, 16 hex digits, .db. */
static int
is_cache_name(const char *name)
{
	return strlen(name) == 25 && strncmp(name, "index-", 6) == 0 &&
	       strspn(name + 6, "0123456789abcdef") == 16 && strcmp(name + 22, ".db") == 0;
}

struct aged {
	time_t mtime;
	long nsec;
	char name[32];
};

static int
newer_first(const void *a, const void *b)
{
	const struct aged *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? 1 : -1;
	return x->nsec < y->nsec ? 1 : x->nsec > y->nsec ? -1 : 0;
}

/* Removes all but the CACHE_KEEP most recently used cache files of dir. */
static void
prune(const char *dir)
{
	char path[PATH_MAX];
	struct aged *all = NULL, *grown;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	struct stat sb;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!is_cache_name(de->d_name) ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path) ||
		    lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			grown = realloc(all, cap * sizeof(*all));
			if (!grown)
				break;
			all = grown;
		}
		all[n].mtime = sb.st_mtim.tv_sec;
		all[n].nsec = sb.st_mtim.tv_nsec;
		snprintf(all[n].name, sizeof(all[n].name), "%s", de->d_name);
		n++;
	}
	closedir(d);
	if (n > CACHE_KEEP) {
		qsort(all, n, sizeof(*all), newer_first);
		for (i = CACHE_KEEP; i < n; i++)
			if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, all[i].name) <
			    sizeof(path))
				unlink(path);
	}
	free(all);
}

void
cache_write(struct catalog *cat)
{
	struct cache *c = cat->cache;
	char *tmp = NULL;
	int fd = -1, made = 0;

	if (!c || c->state != CAT_CACHE_PENDING)
		return;
	c->state = CAT_CACHE_NOT_WRITTEN;
	if (c->tainted)
		return; /* why is said */
	if (make_dirs(c->dir) != 0) {
		say_why(c, "cannot make %s: %s", c->dir,
			errno == EPERM ? "not the user's own directory" : strerror(errno));
		goto out;
	}
	remove_stale(c->dir);
	tmp = malloc(strlen(c->path) + sizeof(".tmpXXXXXX"));
	if (!tmp) {
		say_why(c, "out of memory");
		goto out;
	}
	sprintf(tmp, "%s.tmpXXXXXX", c->path);
	/* mkstemp makes the file 0600, and its name is new: nobody else's
	 * file or link is written through */
	fd = mkstemp(tmp);
	if (fd < 0) {
		say_why(c, "cannot write in %s: %s", c->dir, strerror(errno));
		goto out;
	}
	made = 1;
	if (write_image(cat, tmp) != 0) {
		say_why(c, "cannot write %s: %s", tmp, sqlite3_errstr(SQLITE_IOERR));
		goto out;
	}
	/* synced before the rename, so that a cache file is whole or absent
	 * even after a crash: it is read without checking every byte */
	if (write_trailer(c, fd) != 0 || fsync(fd) != 0) {
		say_why(c, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		say_why(c, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, c->path) != 0) {
		say_why(c, "cannot rename %s: %s", tmp, strerror(errno));
		goto out;
	}
	made = 0;
	c->state = CAT_CACHE_WRITTEN;
	prune(c->dir);
out:
	if (fd >= 0)
		close(fd);
	/* only a file this call made: a failed mkstemp leaves a name that
	 * may be another's */
	if (made)
		unlink(tmp);
	free(tmp);
}
