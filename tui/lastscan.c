/* lastscan.c: the inputs of the last bounce scan, kept for the browser's Report view. */
#define _POSIX_C_SOURCE 200809L
#include "lastscan.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

#define MAGIC "bounce-last-scan 1\n"
#define NAME "last-scan"

/* What is kept at most: a scan's events are a small part of its logs (the
 * deliveries of a busy server's day are a few MB); past this the save is
 * given up rather than slow the scan or fill the disk. */
#define SAVE_MAX (64u * 1024 * 1024)

struct lastscan {
	FILE *f;
	char path[4096], tmp[4200];
	size_t written;
	int failed;  /* a write failed (errno kept) */
	int too_big;
	int err;
};

static int
put(struct lastscan *ls, char tag, unsigned long long num, const char *text, size_t len)
{
	if (!ls || ls->failed || ls->too_big)
		return -1;
	if (ls->written + len > SAVE_MAX) {
		ls->too_big = 1;
		return -1;
	}
	if (fprintf(ls->f, "%c %llu %zu\n", tag, num, len) < 0 ||
	    (len && fwrite(text, 1, len, ls->f) != len) || putc('\n', ls->f) == EOF) {
		ls->failed = 1;
		ls->err = errno;
		return -1;
	}
	ls->written += len + 32;
	return 0;
}

struct lastscan *
lastscan_begin(char *const *inputs, size_t n, int year, long long at, char *err, size_t errsize)
{
	struct lastscan *ls = calloc(1, sizeof(*ls));
	int fd = -1;
	size_t i;

	if (!ls) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	errno = 0;
	if (config_state_path(ls->path, sizeof(ls->path), NAME, 1) != 0) {
		snprintf(err, errsize, "%s",
			 errno ? strerror(errno) : "neither XDG_STATE_HOME nor HOME is set");
		free(ls);
		return NULL;
	}
	snprintf(ls->tmp, sizeof(ls->tmp), "%s.XXXXXX", ls->path);
	fd = mkstemp(ls->tmp);
	if (fd < 0 || !(ls->f = fdopen(fd, "w"))) {
		snprintf(err, errsize, "%s: %s", ls->tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(ls->tmp);
		}
		free(ls);
		return NULL;
	}
	fputs(MAGIC, ls->f);
	put(ls, 'T', (unsigned long long)at, NULL, 0);
	put(ls, 'Y', (unsigned long long)(year > 0 ? year : 0), NULL, 0);
	for (i = 0; i < n; i++)
		put(ls, 'N', 0, inputs[i], strlen(inputs[i]));
	return ls;
}

int
lastscan_file(struct lastscan *ls, const char *name)
{
	/* standard input: 1 and no name */
	return put(ls, 'F', name ? 0 : 1, name, name ? strlen(name) : 0);
}

int
lastscan_header(struct lastscan *ls, const char *text, size_t len)
{
	return put(ls, 'H', 0, text, len);
}

int
lastscan_line(struct lastscan *ls, unsigned long no, const char *text, size_t len)
{
	return put(ls, 'L', no, text, len);
}

int
lastscan_message(struct lastscan *ls, unsigned long index, const char *text, size_t len)
{
	return put(ls, 'M', index, text, len);
}

int
lastscan_end(struct lastscan *ls, int ok, unsigned long long ignored, char *err, size_t errsize)
{
	int rc = -1;

	if (!ls)
		return -1;
	put(ls, 'I', ignored, NULL, 0);
	put(ls, 'E', 0, NULL, 0);
	if (fflush(ls->f) != 0 || fsync(fileno(ls->f)) != 0) {
		ls->failed = 1;
		ls->err = errno;
	}
	if (fclose(ls->f) != 0 && !ls->failed) {
		ls->failed = 1;
		ls->err = errno;
	}
	if (!ok) {
		err[0] = '\0';
	} else if (ls->too_big) {
		snprintf(err, errsize, "its events are more than %u MB", SAVE_MAX >> 20);
	} else if (ls->failed) {
		snprintf(err, errsize, "%s: %s", ls->tmp, strerror(ls->err));
	} else if (rename(ls->tmp, ls->path) != 0) {
		snprintf(err, errsize, "%s: %s", ls->path, strerror(errno));
	} else {
		rc = 0;
	}
	if (rc != 0)
		unlink(ls->tmp);
	free(ls);
	return rc;
}

/* ------------------------------------------------------------ reading */

/* One record at *p of [*p, end): its tag, number and payload; 0 at a
 * record that is not well formed. */
static int
record(const char **p, const char *end, char *tag, unsigned long long *num, const char **text,
       size_t *len)
{
	const char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));
	char *e;
	unsigned long long n;

	if (!nl || nl - s < 5 || s[1] != ' ' || s[2] < '0' || s[2] > '9')
		return 0;
	*tag = s[0];
	errno = 0;
	*num = strtoull(s + 2, &e, 10);
	if (errno || *e != ' ' || e[1] < '0' || e[1] > '9')
		return 0;
	n = strtoull(e + 1, &e, 10);
	/* the payload and its newline (a name read before ends in NUL) */
	if (errno || e != nl || n >= (unsigned long long)(end - nl - 1) ||
	    (nl[1 + n] != '\n' && nl[1 + n] != '\0'))
		return 0;
	*text = nl + 1;
	*len = (size_t)n;
	*p = nl + 2 + n;
	return 1;
}

/* Reads the records; with replay 0 only checks them and fills info. */
static int
records(struct lastscan_info *info, const struct lastscan_sink *sink, int replay)
{
	const char *p = info->data + strlen(MAGIC), *end = info->data + info->len, *text;
	unsigned long long num;
	size_t len, k = 0;
	char tag, name[4096];
	int rc = 0;

	while (p < end && rc == 0) {
		if (!record(&p, end, &tag, &num, &text, &len))
			return -1;
		switch (tag) {
		case 'T':
			info->at = (long long)num;
			break;
		case 'Y':
			info->year = (int)num;
			break;
		case 'N':
			if (!replay) {
				if (k >= info->n_inputs)
					return -1;
				/* NUL over the record's newline */
				info->inputs[k] = info->data + (text - info->data);
				info->data[text - info->data + (ptrdiff_t)len] = '\0';
				k++;
			}
			break;
		case 'F':
			if (len >= sizeof(name))
				return -1;
			memcpy(name, text, len);
			name[len] = '\0';
			if (replay && sink && sink->file)
				sink->file(sink->ctx, num ? NULL : name);
			break;
		case 'H':
			if (replay && sink && sink->header)
				rc = sink->header(sink->ctx, text, len);
			break;
		case 'L':
			if (replay && sink && sink->line)
				rc = sink->line(sink->ctx, (unsigned long)num, text, len);
			break;
		case 'M':
			if (replay && sink && sink->message)
				rc = sink->message(sink->ctx, (unsigned long)num, text, len);
			break;
		case 'I':
			info->ignored = num;
			break;
		case 'E':
			/* the end: nothing may follow */
			return p == end ? rc : -1;
		default:
			return -1;
		}
	}
	return rc ? rc : -1; /* no end record: cut short */
}

int
lastscan_read(const char *path, const struct lastscan_sink *sink, struct lastscan_info *info,
	      char *err, size_t errsize)
{
	char def[4096];
	struct stat st;
	FILE *f = NULL;
	const char *p, *end;
	size_t n_inputs = 0;
	int rc = -1;

	memset(info, 0, sizeof(*info));
	if (!path) {
		if (config_state_path(def, sizeof(def), NAME, 0) != 0)
			return 1;
		path = def;
	}
	f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? 1 : (snprintf(err, errsize, "%s: %s", path, strerror(errno)), -1);
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
	    (unsigned long long)st.st_size > SAVE_MAX + (8u << 20)) {
		snprintf(err, errsize, "the saved file is not one bounce scan wrote");
		goto out;
	}
	info->len = (size_t)st.st_size;
	info->data = malloc(info->len + 1);
	if (!info->data) {
		snprintf(err, errsize, "out of memory");
		goto out;
	}
	if (fread(info->data, 1, info->len, f) != info->len || info->len < strlen(MAGIC) ||
	    memcmp(info->data, MAGIC, strlen(MAGIC)) != 0) {
		snprintf(err, errsize, "the saved file is not one bounce scan wrote");
		goto out;
	}
	info->data[info->len] = '\0';
	/* the inputs' names, counted first */
	for (p = info->data, end = p + info->len; (p = memchr(p, '\n', (size_t)(end - p))) != NULL;)
		if (++p < end && *p == 'N')
			n_inputs++;
	info->inputs = calloc(n_inputs + 1, sizeof(*info->inputs));
	if (!info->inputs) {
		snprintf(err, errsize, "out of memory");
		goto out;
	}
	info->n_inputs = n_inputs; /* room for them */
	if (records(info, NULL, 0) != 0) {
		snprintf(err, errsize, "the saved file is damaged (cut short, or changed)");
		goto out;
	}
	for (info->n_inputs = 0; info->n_inputs < n_inputs && info->inputs[info->n_inputs];)
		info->n_inputs++;
	rc = records(info, sink, 1);
	if (rc != 0)
		snprintf(err, errsize, "the saved scan could not be read again");
out:
	if (f)
		fclose(f);
	if (rc != 0) {
		lastscan_info_free(info);
		memset(info, 0, sizeof(*info));
	}
	return rc;
}

void
lastscan_info_free(struct lastscan_info *info)
{
	if (!info)
		return;
	free(info->data);
	free(info->inputs);
	info->data = NULL;
	info->inputs = NULL;
}
