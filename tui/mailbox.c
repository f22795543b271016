/* mailbox.c: whole messages from files, mboxes and Maildirs, one at a time.
 *
 * An mbox is read as a stream, in blocks, and only the message being read
 * is kept in memory, so a mailbox of any size is read in memory bounded by
 * the largest message allowed (the caller's max).
 */
#define _POSIX_C_SOURCE 200809L
#include "mailbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* FIRST: enough of a line to tell an mbox's "From " line */
enum { BLOCK = 1024 * 1024, MAX_DEPTH = 32, FIRST = 80 };

/* The message being gathered: its first max bytes (`over` says that more
 * followed, until the message ends). */
struct gather {
	char *buf;
	size_t len, cap, max;
	int over;
};

static int
gather_add(struct gather *g, const char *p, size_t n)
{
	if (g->over)
		return 0;
	if (n > g->max - g->len) {
		g->over = 1;
		n = g->max - g->len;
	}
	if (g->len + n > g->cap) {
		size_t cap = g->cap ? g->cap : 65536;
		char *b;

		while (cap < g->len + n)
			cap *= 2;
		if (cap > g->max)
			cap = g->max;
		b = realloc(g->buf, cap);
		if (!b)
			return -1;
		g->buf = b;
		g->cap = cap;
	}
	memcpy(g->buf + g->len, p, n);
	g->len += n;
	return 0;
}

struct reader {
	const char *name; /* as the user gave it, for messages and for fn */
	mailbox_fn fn;
	void *ctx;
	int skipped; /* something was reported and skipped */
	int stop;    /* fn asked to stop */
	/* the read block and the message's buffer, kept from one file to the
	 * next: a Maildir is thousands of small files, and a block allocated
	 * and freed per file was mapped and unmapped per file (the unmap
	 * cost more than reading the message) */
	char *block;
	struct gather g;
};

/* Hands the gathered message to fn. */
static void
deliver(struct reader *r, struct gather *g, unsigned long index)
{
	size_t len = g->len;

	if (!r->stop) {
		/* the empty line before the next "From " belongs to the mbox */
		if (index && !g->over && len && g->buf[len - 1] == '\n') {
			len--;
			if (len && g->buf[len - 1] == '\r')
				len--;
		}
		if (r->fn(r->ctx, r->name, index, g->buf ? g->buf : "", len, g->over) != 0)
			r->stop = 1;
	}
	g->len = 0;
	g->over = 0;
}

/* An mbox's separator: "From SENDER Www Mmm ..." (the date as ctime()
 * writes it). A body line that merely starts with "From " (which a
 * careful writer quotes as ">From ") has no such date, so the check keeps
 * a message whole when the writer was not careful. */
static int
is_from_line(const char *p, size_t n)
{
	static const char days[] = "MonTueWedThuFriSatSun";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *e = p + n, *d;
	size_t i;

	if (n < 5 || memcmp(p, "From ", 5) != 0)
		return 0;
	for (p += 5; p < e && *p == ' '; p++)
		;
	while (p < e && *p != ' ' && *p != '\t' && *p != '\n')
		p++; /* the envelope sender */
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (e - p < 8 || p[3] != ' ')
		return 0;
	for (d = NULL, i = 0; i < 7 && !d; i++)
		if (memcmp(p, days + 3 * i, 3) == 0)
			d = p;
	for (i = 0; d && i < 12; i++)
		if (memcmp(p + 4, months + 3 * i, 3) == 0)
			return 1;
	return 0;
}

/* Reads one stream: a message or an mbox. Returns -1 on a read error or
 * when out of memory (reported), else 0. */
static int
read_stream(struct reader *r, int fd, size_t max)
{
	struct gather g = { r->g.buf, 0, r->g.cap, max, 0 };
	char *buf = r->block ? r->block : (r->block = malloc(BLOCK));
	size_t have = 0, off;
	unsigned long index = 0;
	int eof = 0, mbox = -1, bol = 1, prev_blank = 1, rc = 0;

	if (!buf) {
		cli_error("out of memory");
		return -1;
	}
	while (!r->stop) {
		char *p, *end;

		if (!eof && have < BLOCK) {
			ssize_t n = read(fd, buf + have, BLOCK - have);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				cli_error("%s: %s", r->name, strerror(errno));
				rc = -1;
				break;
			}
			if (n == 0)
				eof = 1;
			have += (size_t)n;
			/* the first line decides: an mbox or one message */
			if (mbox < 0 && !eof && have < FIRST && !memchr(buf, '\n', have))
				continue;
		}
		if (mbox < 0) {
			mbox = is_from_line(buf, have);
			if (!mbox && have == 0 && eof)
				break; /* an empty file: no message */
		}
		p = buf;
		end = buf + have;
		if (!mbox) {
			if (gather_add(&g, p, have) != 0) {
				cli_error("out of memory");
				rc = -1;
				break;
			}
			have = 0;
			if (eof) {
				deliver(r, &g, 0);
				break;
			}
			if (g.over) {
				/* its first max bytes are all that is read */
				deliver(r, &g, 0);
				break;
			}
			continue;
		}
		while (p < end) {
			char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = (size_t)((nl ? nl + 1 : end) - p);

			/* a line's start must be whole enough to tell "From " */
			if (bol && !nl && n < FIRST && !eof)
				break;
			if (!nl && !eof && p != buf && (size_t)(end - p) < BLOCK / 2)
				break; /* read more of this line before cutting it */
			if (bol && prev_blank && is_from_line(p, n)) {
				if (index)
					deliver(r, &g, index);
				index++;
				/* the "From " line itself is the mbox's, not the message's */
			} else if (gather_add(&g, p, n) != 0) {
				cli_error("out of memory");
				rc = -1;
				break;
			}
			if (bol)
				prev_blank = nl && (n == 1 || (n == 2 && p[0] == '\r'));
			else if (nl)
				prev_blank = 0;
			bol = nl != NULL;
			p += n;
		}
		if (rc)
			break;
		off = (size_t)(p - buf);
		memmove(buf, p, have - off);
		have -= off;
		if (eof && have == 0) {
			if (index)
				deliver(r, &g, index);
			break;
		}
	}
	r->g = g; /* its buffer, for the next file */
	return rc;
}

static void read_path(struct reader *r, const char *path, size_t max, int depth);

/* A directory's entry: its name, and its type as readdir() gave it
 * (DT_UNKNOWN when the file system does not say). */
struct dent {
	char *name;
	unsigned char type;
};

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct dent *)a)->name, ((const struct dent *)b)->name);
}

/* The entries of a directory, sorted by name, without the dot files. */
static struct dent *
dir_names(const char *path, size_t *n)
{
	DIR *d = opendir(path);
	struct dirent *e;
	struct dent *v = NULL;
	size_t cap = 0;

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (*n == cap) {
			struct dent *nv = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
		}
		if ((v[*n].name = strdup(e->d_name)) == NULL)
			break;
#ifdef DT_UNKNOWN
		v[*n].type = e->d_type;
#else
		v[*n].type = 0;
#endif
		++*n;
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), by_name);
	return v ? v : calloc(1, sizeof(*v));
}

static char *
join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *s = malloc(a + b + 2);

	if (s) {
		memcpy(s, dir, a);
		s[a] = '/';
		memcpy(s + a + 1, name, b + 1);
	}
	return s;
}

static int
is_dir(const char *dir, const char *name)
{
	char *p = join(dir, name);
	struct stat st;
	int yes = p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);

	free(p);
	return yes;
}

/* A directory: a Maildir's cur/ and new/, or every file in it. */
static void
read_dir(struct reader *r, const char *path, size_t max, int depth)
{
	size_t n, i;
	struct dent *names;
	int maildir = is_dir(path, "cur") && (is_dir(path, "new") || is_dir(path, "tmp"));

	if (depth > MAX_DEPTH) {
		cli_error("%s: directories nested more than %d deep: skipped", path, MAX_DEPTH);
		r->skipped = 1;
		return;
	}
	names = dir_names(path, &n);
	if (!names) {
		cli_error("%s: %s", path, strerror(errno));
		r->skipped = 1;
		return;
	}
	for (i = 0; i < n && !r->stop; i++) {
		char *sub;
		struct stat st;

		/* a Maildir's tmp/ holds messages still being written */
		if (maildir && strcmp(names[i].name, "cur") != 0 && strcmp(names[i].name, "new") != 0)
			continue;
		sub = join(path, names[i].name);
		if (!sub) {
			cli_error("out of memory");
			r->skipped = 1;
			break;
		}
#ifdef DT_REG
		if (names[i].type == DT_REG) {
			/* what readdir() says spares an lstat() per message
			 * of a Maildir; open() and fstat() still check it */
			read_path(r, sub, max, depth + 1);
			free(sub);
			continue;
		}
#endif
		if (lstat(sub, &st) != 0) {
			cli_error("%s: %s", sub, strerror(errno));
			r->skipped = 1;
		} else if (S_ISDIR(st.st_mode)) {
			read_path(r, sub, max, depth + 1);
		} else if (S_ISREG(st.st_mode) || (S_ISLNK(st.st_mode) && stat(sub, &st) == 0 &&
						   S_ISREG(st.st_mode))) {
			read_path(r, sub, max, depth + 1);
		}
		free(sub);
	}
	for (i = 0; i < n; i++)
		free(names[i].name);
	free(names);
}

static void
read_path(struct reader *r, const char *path, size_t max, int depth)
{
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0) {
		r->name = "-";
		if (read_stream(r, STDIN_FILENO, max) != 0)
			r->skipped = 1;
		return;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) != 0) {
		cli_error("%s: %s", path, strerror(errno));
		r->skipped = 1;
		if (fd >= 0)
			close(fd);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		read_dir(r, path, max, depth);
		return;
	}
	r->name = path;
	if (read_stream(r, fd, max) != 0)
		r->skipped = 1;
	close(fd);
}

int
mailbox_read(const char *path, size_t max, mailbox_fn fn, void *ctx)
{
	struct reader r = { path, fn, ctx, 0, 0, NULL, { NULL, 0, 0, 0, 0 } };

	read_path(&r, path, max, 0);
	free(r.block);
	free(r.g.buf);
	return r.stop ? -1 : r.skipped;
}
