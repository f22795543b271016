/*
 * test_cache.c -- the index cache (cat_cache_use): written at the first start
 * with overlays, read at the next with the same files, ignored and replaced
 * when a file changed or the cache file is damaged, cut short, garbage or
 * not the user's own; never written for the built-in catalog alone, nor when
 * a file was skipped; a cache directory that cannot be made costs nothing but
 * the cache. Each "start" is a fresh catalog, as each run of bounce is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "bounce/catalog.h"
#include "check.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<catalog version=\"1\">\n"

/* An overlay that replaces a built-in provider entry; TITLE is 6 letters,
 * so that two versions of it have the same size. */
#define OVERLAY(TITLE)                                                                      \
	HEAD "  <codes>\n"                                                                  \
	"    <entry id=\"gmail.no_such_user\" provider=\"gmail\" reply=\"550\" enhanced=\"5.1.1\"" \
	" title=\"Cache test " TITLE "\" status=\"observed\" reason=\"user_unknown\">\n"    \
	"      <meaning>Written by test_cache.</meaning>\n"                                \
	"      <source>tests/unit/test_cache.c</source>\n"                                 \
	"    </entry>\n"                                                                    \
	"  </codes>\n"                                                                      \
	"</catalog>\n"

static char root[4096], cache[4200], overlay[4200], second[4200], odir[4200];
static size_t n_skipped;

static int
write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(text, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static void
on_skip(void *ctx, const struct cat_error *err)
{
	(void)ctx;
	(void)err;
	n_skipped++;
}

/* One start: the built-in catalog, a cache in `dir` (NULL: none), the
 * files, then the directory `from` (NULL: none), skipping its bad files. */
static struct catalog *
start(const char *dir, const char *const *files, size_t n, const char *from,
      enum cat_status *ready)
{
	struct catalog *cat = NULL;
	struct cat_error err;
	size_t i;

	if (!CHECK_INT_EQ(cat_open(&cat, &err), CAT_OK))
		return NULL;
	if (dir && !CHECK_INT_EQ(cat_cache_use(cat, dir, "test 1", &err), CAT_OK))
		goto fail;
	for (i = 0; i < n; i++)
		if (!CHECK_INT_EQ(cat_load_file(cat, files[i], &err), CAT_OK))
			goto fail;
	if (from && !CHECK_INT_EQ(cat_load_dir_skipping(cat, from, on_skip, NULL, &err), CAT_OK))
		goto fail;
	*ready = cat_ready(cat, &err);
	if (*ready != CAT_OK)
		fprintf(stderr, "cat_ready: %s\n", err.msg);
	return cat;
fail:
	cat_close(cat);
	return NULL;
}

/* The title of gmail.no_such_user, in a static buffer ("" if none). */
static const char *
title_of(struct catalog *cat)
{
	static char title[256];
	struct cat_result *res = NULL;
	struct cat_error err;

	title[0] = '\0';
	if (cat_get(cat, "gmail.no_such_user", 0, &res, &err) == CAT_OK && res->n == 1)
		snprintf(title, sizeof(title), "%s", res->entries[0].title);
	cat_result_free(res);
	return title;
}

/* Starts with the overlay and checks the cache's state, its reason (NULL:
 * none; else a part of it) and the overlay's title. */
static void
check_start(const char *const *files, size_t n, enum cat_cache_state want, const char *why_part,
	    const char *title)
{
	enum cat_status ready = CAT_EUSAGE;
	struct catalog *cat = start(cache, files, n, NULL, &ready);
	const char *path = NULL, *why = NULL;
	enum cat_cache_state st;

	if (!CHECK(cat != NULL) || !CHECK_INT_EQ(ready, CAT_OK)) {
		cat_close(cat);
		return;
	}
	st = cat_cache_info(cat, &path, &why);
	CHECK_STR_EQ(cat_cache_state_name(st), cat_cache_state_name(want));
	if (why_part) {
		if (CHECK(why != NULL) && !CHECK(strstr(why, why_part) != NULL))
			fprintf(stderr, "  why: %s (wanted \"%s\")\n", why, why_part);
	} else if (!CHECK(why == NULL)) {
		fprintf(stderr, "  why: %s\n", why);
	}
	CHECK(path != NULL && strncmp(path, cache, strlen(cache)) == 0);
	CHECK_STR_EQ(title_of(cat), title);
	CHECK_INT_EQ((long)cat_origin_count(cat), (long)n + 1);
	if (n && cat_origin_count(cat) == n + 1)
		CHECK_STR_EQ(cat_origin(cat, n), files[n - 1]);
	cat_close(cat);
}

/* The one cache file of the cache directory, or "" when there is none. */
static const char *
cache_file(void)
{
	static char path[4400];
	const char *p = NULL;
	enum cat_status ready;
	struct catalog *cat;
	const char *files[] = { overlay };

	path[0] = '\0';
	/* the name is the engine's: ask it (this start reads the file) */
	cat = start(cache, files, 1, NULL, &ready);
	if (cat && cat_cache_info(cat, &p, NULL) == CAT_CACHE_READ && p)
		snprintf(path, sizeof(path), "%s", p);
	cat_close(cat);
	return path;
}

/* Overwrites `len` bytes at `off` of a file with 'x'. */
static int
damage(const char *path, long off, size_t len)
{
	char buf[64];
	FILE *f = fopen(path, "r+b");
	int ok;

	if (!f || len > sizeof(buf))
		return -1;
	memset(buf, 'x', len);
	ok = fseek(f, off, SEEK_SET) == 0 && fwrite(buf, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Moves a file's modification time one second on, as `touch` would. */
static int
touch(const char *path)
{
	struct stat sb;
	struct timeval tv[2];

	if (stat(path, &sb) != 0)
		return -1;
	tv[0].tv_sec = tv[1].tv_sec = sb.st_mtime + 1;
	tv[0].tv_usec = tv[1].tv_usec = 0;
	return utimes(path, tv);
}

int
main(void)
{
	static const char a[] = OVERLAY("AAAAAA"), b[] = OVERLAY("BBBBBB");
	const char *tmp = getenv("TMPDIR"), *files[2];
	struct catalog *cat = NULL;
	struct cat_error err;
	enum cat_status ready;
	const char *path, *why;
	char file[4400];
	struct stat sb;

	snprintf(root, sizeof(root), "%s/test_cache.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root)) {
		perror(root);
		return 1;
	}
	snprintf(cache, sizeof(cache), "%s/cache/bounce", root);
	snprintf(overlay, sizeof(overlay), "%s/overlay.xml", root);
	snprintf(second, sizeof(second), "%s/second.xml", root);
	snprintf(odir, sizeof(odir), "%s/overlays", root);
	files[0] = overlay;
	files[1] = second;

	CHECK_CASE("bad arguments and states");
	CHECK_INT_EQ(cat_cache_use(NULL, cache, "test", &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_cache_info(NULL, NULL, NULL), CAT_CACHE_OFF);
	CHECK(cat_cache_state_name(CAT_CACHE_COUNT) == NULL);
	if (CHECK_INT_EQ(write_file(overlay, a, sizeof(a) - 1), 0) &&
	    CHECK_INT_EQ(cat_open(&cat, &err), CAT_OK)) {
		CHECK_INT_EQ(cat_cache_use(cat, "", "test", &err), CAT_EUSAGE);
		CHECK_INT_EQ(cat_load_file(cat, overlay, &err), CAT_OK);
		/* too late: a file is loaded */
		CHECK_INT_EQ(cat_cache_use(cat, cache, "test", &err), CAT_ESTATE);
		CHECK_INT_EQ(cat_ready(cat, &err), CAT_OK);
		CHECK_INT_EQ(cat_cache_info(cat, NULL, NULL), CAT_CACHE_OFF);
	}
	cat_close(cat);
	cat = NULL;

	CHECK_CASE("the built-in catalog alone: no cache file");
	cat = start(cache, NULL, 0, NULL, &ready);
	if (CHECK(cat != NULL)) {
		CHECK_INT_EQ(ready, CAT_OK);
		CHECK_INT_EQ(cat_cache_info(cat, &path, &why), CAT_CACHE_NONE);
		CHECK(path == NULL && why == NULL);
		CHECK(stat(cache, &sb) != 0 && errno == ENOENT);
	}
	cat_close(cat);

	CHECK_CASE("first start with an overlay: written");
	check_start(files, 1, CAT_CACHE_WRITTEN, "there was none", "Cache test AAAAAA");
	CHECK_CASE("next start: read");
	check_start(files, 1, CAT_CACHE_READ, NULL, "Cache test AAAAAA");
	snprintf(file, sizeof(file), "%s", cache_file());
	CHECK_CASE("the cache file is the user's alone");
	if (CHECK(file[0] != '\0') && CHECK_INT_EQ(stat(file, &sb), 0))
		CHECK_INT_EQ((long)(sb.st_mode & 0777), 0600);
	if (CHECK_INT_EQ(stat(cache, &sb), 0))
		CHECK_INT_EQ((long)(sb.st_mode & 0777), 0700);

	CHECK_CASE("a touched overlay: written again");
	CHECK_INT_EQ(touch(overlay), 0);
	check_start(files, 1, CAT_CACHE_WRITTEN, "made from other inputs", "Cache test AAAAAA");
	check_start(files, 1, CAT_CACHE_READ, NULL, "Cache test AAAAAA");

	CHECK_CASE("an overlay edited to the same size: its new text");
	CHECK_INT_EQ(write_file(overlay, b, sizeof(b) - 1), 0);
	check_start(files, 1, CAT_CACHE_WRITTEN, "made from other inputs", "Cache test BBBBBB");
	check_start(files, 1, CAT_CACHE_READ, NULL, "Cache test BBBBBB");

	CHECK_CASE("a write that was cut off leaves no file for long");
	{
		char stale[4500], fresh[4500];
		struct timeval tv[2];

		snprintf(stale, sizeof(stale), "%s/index-0123456789abcdef.db.tmpAAAAAA", cache);
		snprintf(fresh, sizeof(fresh), "%s/index-0123456789abcdef.db.tmpBBBBBB", cache);
		CHECK_INT_EQ(write_file(stale, "x", 1), 0);
		CHECK_INT_EQ(write_file(fresh, "x", 1), 0);
		tv[0].tv_sec = tv[1].tv_sec = time(NULL) - 3600;
		tv[0].tv_usec = tv[1].tv_usec = 0;
		CHECK_INT_EQ(utimes(stale, tv), 0);
		CHECK_INT_EQ(touch(overlay), 0);
		check_start(files, 1, CAT_CACHE_WRITTEN, "made from other inputs", "Cache test BBBBBB");
		CHECK(stat(stale, &sb) != 0 && errno == ENOENT);
		/* one that may be another start's write in progress stays */
		CHECK_INT_EQ(stat(fresh, &sb), 0);
		unlink(fresh);
	}

	CHECK_CASE("the cache directory keeps the 8 files used last");
	{
		char old[4500];
		struct timeval tv[2];
		int k, left = 0;

		/* ten files of other lists, used an hour ago and before */
		for (k = 0; k < 10; k++) {
			snprintf(old, sizeof(old), "%s/index-00000000000000%02d.db", cache, k);
			CHECK_INT_EQ(write_file(old, "x", 1), 0);
			tv[0].tv_sec = tv[1].tv_sec = time(NULL) - 3600 - k;
			tv[0].tv_usec = tv[1].tv_usec = 0;
			CHECK_INT_EQ(utimes(old, tv), 0);
		}
		CHECK_INT_EQ(touch(overlay), 0);
		check_start(files, 1, CAT_CACHE_WRITTEN, "made from other inputs", "Cache test BBBBBB");
		for (k = 0; k < 10; k++) {
			snprintf(old, sizeof(old), "%s/index-00000000000000%02d.db", cache, k);
			if (stat(old, &sb) == 0) {
				left++;
				CHECK(k < 7); /* the seven used last, with the one written */
				unlink(old);
			}
		}
		CHECK_INT_EQ(left, 7);
		check_start(files, 1, CAT_CACHE_READ, NULL, "Cache test BBBBBB");
	}

	CHECK_CASE("a second overlay: a cache file of its own");
	CHECK_INT_EQ(write_file(second, a, sizeof(a) - 1), 0);
	check_start(files, 2, CAT_CACHE_WRITTEN, "there was none", "Cache test AAAAAA");
	check_start(files, 2, CAT_CACHE_READ, NULL, "Cache test AAAAAA");
	check_start(files, 1, CAT_CACHE_READ, NULL, "Cache test BBBBBB");

	CHECK_CASE("a damaged cache file (SQLite's header page): ignored and replaced");
	CHECK_INT_EQ(damage(file, 40, 16), 0);
	check_start(files, 1, CAT_CACHE_WRITTEN, "damaged", "Cache test BBBBBB");
	check_start(files, 1, CAT_CACHE_READ, NULL, "Cache test BBBBBB");

	CHECK_CASE("a damaged cache file (its key): ignored and replaced");
	if (CHECK_INT_EQ(stat(file, &sb), 0))
		CHECK_INT_EQ(damage(file, (long)sb.st_size - 100, 8), 0);
	check_start(files, 1, CAT_CACHE_WRITTEN, "made from other inputs", "Cache test BBBBBB");

	CHECK_CASE("a cache file cut short: ignored and replaced");
	if (CHECK_INT_EQ(stat(file, &sb), 0))
		CHECK_INT_EQ(truncate(file, sb.st_size / 2), 0);
	check_start(files, 1, CAT_CACHE_WRITTEN, "not an index cache", "Cache test BBBBBB");
	if (CHECK_INT_EQ(stat(file, &sb), 0)) {
		/* cut in the image, the trailer moved along: the lengths disagree */
		char *buf = malloc((size_t)sb.st_size);
		FILE *f = fopen(file, "rb");

		if (CHECK(buf && f) && CHECK_INT_EQ((long)fread(buf, 1, (size_t)sb.st_size, f),
						    (long)sb.st_size)) {
			memmove(buf + 4096, buf + 8192, (size_t)sb.st_size - 8192);
			CHECK_INT_EQ(write_file(file, buf, (size_t)sb.st_size - 4096), 0);
		}
		if (f)
			fclose(f);
		free(buf);
	}
	check_start(files, 1, CAT_CACHE_WRITTEN, "cut short", "Cache test BBBBBB");

	CHECK_CASE("a cache file of garbage: ignored and replaced");
	CHECK_INT_EQ(write_file(file, "garbage\n", 8), 0);
	check_start(files, 1, CAT_CACHE_WRITTEN, "not an index cache", "Cache test BBBBBB");

	CHECK_CASE("a cache file others may write: not trusted");
	CHECK_INT_EQ(chmod(file, 0666), 0);
	check_start(files, 1, CAT_CACHE_WRITTEN, "not the user's own", "Cache test BBBBBB");
	check_start(files, 1, CAT_CACHE_READ, NULL, "Cache test BBBBBB");

	CHECK_CASE("a cache directory that cannot be made: the catalog still loads");
	snprintf(file, sizeof(file), "%s/a-file", root);
	CHECK_INT_EQ(write_file(file, "x", 1), 0);
	snprintf(file, sizeof(file), "%s/a-file/bounce", root);
	cat = start(file, files, 1, NULL, &ready);
	if (CHECK(cat != NULL)) {
		CHECK_INT_EQ(ready, CAT_OK);
		CHECK_INT_EQ(cat_cache_info(cat, NULL, &why), CAT_CACHE_NOT_WRITTEN);
		CHECK(why && strstr(why, "cannot make"));
		CHECK_STR_EQ(title_of(cat), "Cache test BBBBBB");
	}
	cat_close(cat);

	CHECK_CASE("a skipped file: reported at every start, no cache file");
	CHECK_INT_EQ(mkdir(odir, 0700), 0);
	snprintf(file, sizeof(file), "%s/a.xml", odir);
	CHECK_INT_EQ(write_file(file, a, sizeof(a) - 1), 0);
	snprintf(file, sizeof(file), "%s/b.xml", odir);
	CHECK_INT_EQ(write_file(file, "<catalog", 8), 0);
	n_skipped = 0;
	cat = start(cache, NULL, 0, odir, &ready);
	if (CHECK(cat != NULL)) {
		CHECK_INT_EQ(ready, CAT_OK);
		CHECK_INT_EQ(cat_cache_info(cat, NULL, &why), CAT_CACHE_NOT_WRITTEN);
		CHECK(why && strstr(why, "skipped"));
		CHECK_STR_EQ(title_of(cat), "Cache test AAAAAA");
	}
	cat_close(cat);
	cat = start(cache, NULL, 0, odir, &ready);
	if (CHECK(cat != NULL))
		CHECK_INT_EQ(cat_cache_info(cat, NULL, NULL), CAT_CACHE_NOT_WRITTEN);
	cat_close(cat);
	CHECK_INT_EQ((long)n_skipped, 2);

	CHECK_CASE("a broken file named on its own: cat_ready() fails with its error");
	files[1] = file;
	cat = start(cache, files, 2, NULL, &ready);
	CHECK_INT_EQ(ready, CAT_EPARSE);
	cat_close(cat);

	CHECK_CASE("a buffer while files are noted: loaded after them, no cache");
	if (CHECK_INT_EQ(cat_open(&cat, &err), CAT_OK)) {
		CHECK_INT_EQ(cat_cache_use(cat, cache, "test 1", &err), CAT_OK);
		CHECK_INT_EQ(cat_load_file(cat, overlay, &err), CAT_OK);
		CHECK_INT_EQ(cat_load_buffer(cat, "buffer", a, sizeof(a) - 1, &err), CAT_OK);
		CHECK_INT_EQ(cat_ready(cat, &err), CAT_OK);
		CHECK_INT_EQ(cat_cache_info(cat, NULL, NULL), CAT_CACHE_OFF);
		CHECK_INT_EQ((long)cat_origin_count(cat), 3);
		CHECK_STR_EQ(cat_origin(cat, 2), "buffer");
		CHECK_STR_EQ(title_of(cat), "Cache test AAAAAA");
	}
	cat_close(cat);

	{
		char cmd[4500];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", root);
	}
	return check_done();
}
