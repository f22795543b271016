/* lastscan.c: the inputs of the last bounce scan, kept for the browser's Report view. */
#define _GNU_SOURCE /* sync_file_range(), renameat2() */
#include "lastscan.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

/* The format's version is in its first line: a file of another version
 * (an older bounce's, whose deliveries were lines) is refused by name. */
#define MAGIC_WORD "bounce-last-scan "
#define VERSION 2
#define NAME "last-scan"
/* the file the last one becomes when a new one takes its place, removed
 * by the next scan that saves (see lastscan_end()) */
#define OLD_SUFFIX ".old"

/* SAVE_MAX: what is kept at most (the lines of failures and deferrals of
 * a log are a part of it, its deliveries a few counts an hour); past this
 * the save is given up rather than fill the disk. HOUR: a point of the
 * time series, unless the scan's bucket is shorter. PAIRS_MAX: domains
 * and providers followed at once; past it their counts are written and
 * the table starts again (a domain named twice is harmless). CHUNK,
 * CHUNKS: the buffers the records are written into, handed to the writer
 * thread one by one: the 256 MB bench log saves 36 MB in about 250 ms,
 * and eight let the scan go on for the 45 ms the writer may take to
 * remove the old file first. */
#define SAVE_MAX (1024ull * 1024 * 1024)
enum {
	HOUR = 3600,
	PAIRS_MIN = 256,
	PAIRS_MAX = 1 << 16,
	HEAD_MAX = 64,
	CHUNK = 1 << 20,
	CHUNKS = 8,
};

/* WRITE_BACK: how much is written between two requests to the kernel to
 * start writing the file out, so that it is on the disk soon after the
 * scan without the scan waiting for it. */
#define WRITE_BACK (8ull << 20)

/* A recipient domain and provider, with the count of its deliveries in
 * the point of the series being counted. */
struct pair {
	char *key;   /* domain NUL provider ("" for none) */
	size_t klen;
	uint32_t hash;
	long long lo, hi, first, last; /* the point's times: [lo, hi) */
	unsigned long long n;
};

/* The records are put in chunks by the scan's thread; a writer thread
 * writes the full ones, in order, so that neither the kernel's copy nor
 * a disk that is slow to take them is in the scan's way. Without a thread
 * (it could not be made) the scan's thread writes them itself. */
struct lastscan {
	int fd;
	char path[4096], tmp[4200], old[4200];
	unsigned long long written;
	int too_big;
	/* the chunks: [wr, wr + queued) wait for the writer, fill is being
	 * filled (fill_len bytes); under mu */
	char *chunk[CHUNKS];
	size_t len[CHUNKS];
	size_t fill, wr, queued;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int threaded, done;
	/* the writer's: what it wrote, when write-back was last started,
	 * whether it could write no more and why (errno) */
	unsigned long long out, synced;
	int wfailed, werr;
	/* the scan thread's: out of memory */
	int failed, err;
	long slot_len;
	struct pair *pairs; /* open addressing: key NULL is empty */
	size_t cap, n;
	/* the pairs by the scan's domain id: 1 + their slot (0: not known),
	 * forgotten when the slots change */
	uint32_t *by_id;
	size_t n_ids;
};

/* Writes a chunk out (the writer thread, or the scan's without one). */
static void
write_chunk(struct lastscan *ls, const char *p, size_t n)
{
	while (n && !ls->wfailed) {
		ssize_t k = write(ls->fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			ls->wfailed = 1;
			ls->werr = k < 0 ? errno : EIO;
			return;
		}
		p += k;
		n -= (size_t)k;
		ls->out += (unsigned long long)k;
	}
#ifdef SYNC_FILE_RANGE_WRITE
	/* start write-back now, while the scan computes (a failure is
	 * harmless: the kernel writes it out in its time) */
	if (!ls->wfailed && ls->out - ls->synced >= WRITE_BACK) {
		ls->synced = ls->out;
		(void)sync_file_range(ls->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	}
#endif
}

/* The writer thread: first removes the file the last scan but one left
 * (freeing a large file's blocks can take tens of milliseconds, which
 * nobody need wait for), then writes the chunks as they come. */
static void *
writer(void *arg)
{
	struct lastscan *ls = arg;

	(void)unlink(ls->old);
	pthread_mutex_lock(&ls->mu);
	for (;;) {
		size_t i;

		while (!ls->queued && !ls->done)
			pthread_cond_wait(&ls->cv, &ls->mu);
		if (!ls->queued)
			break;
		i = ls->wr;
		pthread_mutex_unlock(&ls->mu);
		write_chunk(ls, ls->chunk[i], ls->len[i]);
		pthread_mutex_lock(&ls->mu);
		ls->len[i] = 0;
		ls->wr = (ls->wr + 1) % CHUNKS;
		ls->queued--;
		pthread_cond_broadcast(&ls->cv);
	}
	pthread_mutex_unlock(&ls->mu);
	return NULL;
}

/* Hands the chunk being filled to the writer and takes the next one,
 * waiting while all are full. */
static void
chunk_next(struct lastscan *ls)
{
	if (!ls->threaded) {
		write_chunk(ls, ls->chunk[0], ls->len[0]);
		ls->len[0] = 0;
		return;
	}
	pthread_mutex_lock(&ls->mu);
	ls->queued++;
	pthread_cond_broadcast(&ls->cv);
	while (ls->queued == CHUNKS)
		pthread_cond_wait(&ls->cv, &ls->mu);
	ls->fill = (ls->fill + 1) % CHUNKS;
	pthread_mutex_unlock(&ls->mu);
	/* the chunks are made as they are first needed */
	if (!ls->chunk[ls->fill] && !(ls->chunk[ls->fill] = malloc(CHUNK))) {
		ls->failed = 1;
		ls->err = ENOMEM;
	}
}

/* Appends n bytes to the records. */
static void
out(struct lastscan *ls, const char *p, size_t n)
{
	while (n && !ls->failed) {
		size_t room = CHUNK - ls->len[ls->fill], k = n < room ? n : room;

		memcpy(ls->chunk[ls->fill] + ls->len[ls->fill], p, k);
		ls->len[ls->fill] += k;
		p += k;
		n -= k;
		if (ls->len[ls->fill] == CHUNK)
			chunk_next(ls);
	}
}

/* The last chunk written and the writer stopped: what was written is all
 * there is. */
static void
writer_end(struct lastscan *ls)
{
	if (!ls->threaded) {
		write_chunk(ls, ls->chunk[0], ls->len[0]);
		return;
	}
	pthread_mutex_lock(&ls->mu);
	if (ls->len[ls->fill])
		ls->queued++;
	ls->done = 1;
	pthread_cond_broadcast(&ls->cv);
	pthread_mutex_unlock(&ls->mu);
	pthread_join(ls->thread, NULL);
	ls->threaded = 0;
}

/* The decimal digits of v, written backwards from end; returns their start. */
static char *
digits(char *end, unsigned long long v)
{
	do
		*--end = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	return end;
}

/* A record: "TAG NUM LEN\n", the LEN bytes of text then of more (either
 * may be NULL when empty), "\n". The head is formatted by hand: a record
 * is written for each line of a failure, and fprintf() cost more than the
 * rest of it. */
static int
put2(struct lastscan *ls, char tag, unsigned long long num, const char *text, size_t len,
     const char *more, size_t more_len)
{
	char head[64], *h = head + sizeof(head), *p;

	if (!ls || ls->failed || ls->too_big)
		return -1;
	if (ls->written + len + more_len > SAVE_MAX) {
		ls->too_big = 1;
		return -1;
	}
	*--h = '\n';
	h = digits(h, len + more_len);
	*--h = ' ';
	h = digits(h, num);
	*--h = ' ';
	*--h = tag;
	p = head + sizeof(head);
	/* most records fit whole in the chunk: one check, three copies */
	if (CHUNK - ls->len[ls->fill] > (size_t)(p - h) + len + more_len) {
		char *to = ls->chunk[ls->fill] + ls->len[ls->fill];

		memcpy(to, h, (size_t)(p - h));
		to += p - h;
		if (len)
			memcpy(to, text, len);
		to += len;
		if (more_len)
			memcpy(to, more, more_len);
		to[more_len] = '\n';
		ls->len[ls->fill] += (size_t)(p - h) + len + more_len + 1;
	} else {
		out(ls, h, (size_t)(p - h));
		out(ls, text, len);
		out(ls, more, more_len);
		out(ls, "\n", 1);
	}
	ls->written += len + more_len + 32;
	return 0;
}

static int
put(struct lastscan *ls, char tag, unsigned long long num, const char *text, size_t len)
{
	return put2(ls, tag, num, text, len, NULL, 0);
}

struct lastscan *
lastscan_begin(char *const *inputs, size_t n, int year, long long at, const struct lastscan_opts *o,
	       char *err, size_t errsize)
{
	struct lastscan *ls = calloc(1, sizeof(*ls));
	char opts[96];
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
	snprintf(ls->old, sizeof(ls->old), "%s%s", ls->path, OLD_SUFFIX);
	fd = mkstemp(ls->tmp);
	if (fd < 0 || !(ls->chunk[0] = malloc(CHUNK))) {
		snprintf(err, errsize, "%s: %s", ls->tmp, fd < 0 ? strerror(errno) : "out of memory");
		if (fd >= 0) {
			close(fd);
			unlink(ls->tmp);
		}
		free(ls);
		return NULL;
	}
	ls->fd = fd;
	if (pthread_mutex_init(&ls->mu, NULL) == 0) {
		if (pthread_cond_init(&ls->cv, NULL) == 0) {
			ls->threaded = pthread_create(&ls->thread, NULL, writer, ls) == 0;
			if (!ls->threaded)
				pthread_cond_destroy(&ls->cv);
		}
		if (!ls->threaded)
			pthread_mutex_destroy(&ls->mu);
	}
	if (!ls->threaded)
		(void)unlink(ls->old);
	ls->slot_len = o->bucket > 0 && o->bucket < HOUR ? o->bucket : HOUR;
	snprintf(opts, sizeof(opts), "%s%d\n", MAGIC_WORD, VERSION);
	out(ls, opts, strlen(opts));
	put(ls, 'T', (unsigned long long)at, NULL, 0);
	put(ls, 'Y', (unsigned long long)(year > 0 ? year : 0), NULL, 0);
	snprintf(opts, sizeof(opts), "%zu %zu %ld", o->max_open, o->top, o->bucket);
	put(ls, 'O', 0, opts, strlen(opts));
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

/* ------------------------------------------------------------ deliveries */

/* A hash of a domain by its length and its last eight bytes (domains
 * differ most at their ends: example.com, example.net), which a
 * comparison then confirms: it is taken for every delivery. */
static uint32_t
pair_hash(const char *s, size_t n, size_t pl)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (n << 8 | pl), w = 0;
	size_t i;

	if (n >= 8) {
		memcpy(&w, s + n - 8, 8);
	} else {
		for (i = 0; i < n; i++)
			w |= (uint64_t)(unsigned char)s[i] << (8 * i);
	}
	h = (h ^ w) * 0xff51afd7ed558ccdULL;
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return (uint32_t)(h ^ (h >> 32));
}

/* The count of a pair's point: "C n len\nfirst last domain NUL provider\n". */
static int
put_count(struct lastscan *ls, struct pair *p)
{
	char times[64];
	int k;

	if (!p->n)
		return 0;
	k = snprintf(times, sizeof(times), "%lld %lld ", p->first, p->last);
	if (k < 0 || (size_t)k >= sizeof(times) || put2(ls, 'C', p->n, times, (size_t)k, p->key, p->klen))
		return -1;
	p->n = 0;
	return 0;
}

/* Writes every count and empties the table. */
static int
pairs_flush(struct lastscan *ls)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < ls->cap; i++) {
		if (!ls->pairs[i].key)
			continue;
		if (put_count(ls, &ls->pairs[i]) != 0)
			rc = -1;
		free(ls->pairs[i].key);
		ls->pairs[i].key = NULL;
	}
	ls->n = 0;
	if (ls->by_id)
		memset(ls->by_id, 0, ls->n_ids * sizeof(*ls->by_id));
	return rc;
}

static int
pairs_grow(struct lastscan *ls)
{
	size_t cap = ls->cap ? 2 * ls->cap : PAIRS_MIN, i, j;
	struct pair *v;

	if (cap > PAIRS_MAX)
		return pairs_flush(ls); /* the table starts again, as large */
	v = calloc(cap, sizeof(*v));
	if (!v) {
		ls->failed = 1;
		ls->err = ENOMEM;
		return -1;
	}
	for (i = 0; i < ls->cap; i++) {
		if (!ls->pairs[i].key)
			continue;
		for (j = ls->pairs[i].hash & (cap - 1); v[j].key; j = (j + 1) & (cap - 1))
			;
		v[j] = ls->pairs[i];
	}
	free(ls->pairs);
	ls->pairs = v;
	ls->cap = cap;
	if (ls->by_id)
		memset(ls->by_id, 0, ls->n_ids * sizeof(*ls->by_id));
	return 0;
}

/* Notes the slot of the pair of a domain id. */
static void
id_note(struct lastscan *ls, unsigned id, size_t slot)
{
	if (id >= ls->n_ids) {
		size_t n = ls->n_ids ? 2 * ls->n_ids : 1024;
		uint32_t *v;

		while (n <= id)
			n *= 2;
		if (!(v = realloc(ls->by_id, n * sizeof(*v))))
			return; /* found by its strings */
		memset(v + ls->n_ids, 0, (n - ls->n_ids) * sizeof(*v));
		ls->by_id = v;
		ls->n_ids = n;
	}
	ls->by_id[id] = (uint32_t)slot + 1;
}

int
lastscan_delivery(struct lastscan *ls, unsigned id, const char *domain, const char *provider,
		  long long when)
{
	size_t dl, pl, i;
	uint32_t h;
	struct pair *p;
	long long slot;

	if (!ls || ls->failed || ls->too_big)
		return -1;
	/* most deliveries: a domain whose pair is known by its id */
	if (id && id < ls->n_ids && ls->by_id[id]) {
		p = &ls->pairs[ls->by_id[id] - 1];
		goto counted;
	}
	/* none is "": a domain or provider is never empty */
	domain = domain ? domain : "";
	provider = provider ? provider : "";
	dl = strlen(domain);
	pl = strlen(provider);
	h = pair_hash(domain, dl, pl);
	for (;;) {
		for (i = ls->cap ? h & (ls->cap - 1) : 0; ls->cap && ls->pairs[i].key;
		     i = (i + 1) & (ls->cap - 1)) {
			p = &ls->pairs[i];
			if (p->hash == h && p->klen == dl + 1 + pl && p->key[dl] == '\0' &&
			    memcmp(p->key, domain, dl) == 0 &&
			    memcmp(p->key + dl + 1, provider, pl) == 0)
				goto found;
		}
		if ((ls->n + 1) * 2 <= ls->cap)
			break;
		if (pairs_grow(ls) != 0)
			return -1;
	}
	/* new: named now, its first place among the scan's events */
	p = &ls->pairs[i];
	memset(p, 0, sizeof(*p));
	p->klen = dl + 1 + pl;
	if (!(p->key = malloc(p->klen + 1))) {
		ls->failed = 1;
		ls->err = ENOMEM;
		return -1;
	}
	if (dl)
		memcpy(p->key, domain, dl);
	p->key[dl] = '\0';
	if (pl)
		memcpy(p->key + dl + 1, provider, pl);
	p->key[p->klen] = '\0';
	p->hash = h;
	ls->n++;
	if (put(ls, 'D', 0, p->key, p->klen) != 0)
		return -1;
found:
	if (id)
		id_note(ls, id, (size_t)(p - ls->pairs));
counted:
	/* the point of the series: its times tested, the slot found by a
	 * division only for a new one (floor, for times before 1970) */
	if (p->n && (when < p->lo || when >= p->hi || !p->first != !when) && put_count(ls, p) != 0)
		return -1;
	if (!p->n) {
		slot = when / ls->slot_len - (when < 0 && when % ls->slot_len);
		p->lo = slot * ls->slot_len;
		p->hi = p->lo + ls->slot_len;
		p->first = p->last = when;
	} else if (when < p->first) {
		p->first = when;
	} else if (when > p->last) {
		p->last = when;
	}
	p->n++;
	return 0;
}

/* Puts the new file in place of the last one. With RENAME_EXCHANGE the
 * two swap names, so that the last one becomes the .old file rather than
 * be freed here: freeing tens of megabytes took 15 to 60 ms on a mount
 * with discard, all of it waited for at the end of the scan. The next
 * save removes it in its writer thread, while it scans. */
static int
put_in_place(struct lastscan *ls)
{
#ifdef RENAME_EXCHANGE
	if (renameat2(AT_FDCWD, ls->tmp, AT_FDCWD, ls->path, RENAME_EXCHANGE) == 0) {
		if (rename(ls->tmp, ls->old) != 0)
			(void)unlink(ls->tmp);
		return 0;
	}
	/* none yet (ENOENT), or a file system or kernel without it: the
	 * plain rename */
#endif
	return rename(ls->tmp, ls->path);
}

int
lastscan_end(struct lastscan *ls, int ok, unsigned long long ignored, long long ignored_first,
	     long long ignored_last, char *err, size_t errsize)
{
	char span[64];
	int rc = -1, threaded;
	size_t i;

	if (!ls)
		return -1;
	if (ls->pairs)
		pairs_flush(ls);
	free(ls->pairs);
	free(ls->by_id);
	snprintf(span, sizeof(span), "%lld %lld", ignored_first, ignored_last);
	put(ls, 'I', ignored, span, strlen(span));
	put(ls, 'E', 0, NULL, 0);
	threaded = ls->threaded;
	writer_end(ls);
	if (threaded) {
		pthread_cond_destroy(&ls->cv);
		pthread_mutex_destroy(&ls->mu);
	}
	if (!ls->failed && ls->wfailed) {
		ls->failed = 1;
		ls->err = ls->werr;
	}
	/* No fsync(): the file is a copy of what the scan read, made again
	 * by scanning again, and it is read only when it ends with its end
	 * record and every record before is whole. A crash soon after the
	 * scan can leave it cut short (or empty): the browser and --last then
	 * say so and ask for a new scan, where an fsync() would have made
	 * every scan wait for the disk (25 ms on the bench, far more on a
	 * mail host whose disk is busy with its logs). */
	if (close(ls->fd) != 0 && !ls->failed) {
		ls->failed = 1;
		ls->err = errno;
	}
	for (i = 0; i < CHUNKS; i++)
		free(ls->chunk[i]);
	if (!ok) {
		err[0] = '\0';
	} else if (ls->too_big) {
		snprintf(err, errsize, "its events are more than %llu MB", SAVE_MAX >> 20);
	} else if (ls->failed) {
		snprintf(err, errsize, "%s: %s", ls->tmp, strerror(ls->err));
	} else if (put_in_place(ls) != 0) {
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

struct reader {
	FILE *f;
	char *buf; /* the record's payload, NUL-terminated */
	size_t cap;
};

/* The next record: 1 with its tag, number and payload (r->buf, *len
 * bytes), 0 at the end of the file, -1 at a record that is not well
 * formed. */
static int
next_record(struct reader *r, char *tag, unsigned long long *num, size_t *len)
{
	char head[HEAD_MAX], *e;
	unsigned long long n;
	size_t k = 0;
	int c;

	while ((c = getc(r->f)) != EOF && c != '\n') {
		if (k + 1 >= sizeof(head))
			return -1;
		head[k++] = (char)c;
	}
	if (c == EOF)
		return k == 0 && !ferror(r->f) ? 0 : -1;
	head[k] = '\0';
	if (k < 5 || head[1] != ' ' || head[2] < '0' || head[2] > '9')
		return -1;
	*tag = head[0];
	errno = 0;
	*num = strtoull(head + 2, &e, 10);
	if (errno || *e != ' ' || e[1] < '0' || e[1] > '9')
		return -1;
	n = strtoull(e + 1, &e, 10);
	if (errno || *e != '\0' || n > SAVE_MAX)
		return -1;
	if (n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		char *b;

		while (cap < n + 1)
			cap *= 2;
		if (!(b = realloc(r->buf, cap)))
			return -1;
		r->buf = b;
		r->cap = cap;
	}
	if (fread(r->buf, 1, (size_t)n, r->f) != n || getc(r->f) != '\n')
		return -1;
	r->buf[n] = '\0';
	*len = (size_t)n;
	return 1;
}

/* A key "domain NUL provider" of len bytes: its two parts, NULL for
 * empty; 0 when it is not one. */
static int
split_key(char *key, size_t len, const char **domain, const char **provider)
{
	char *nul = memchr(key, '\0', len);

	if (!nul || memchr(nul + 1, '\0', len - (size_t)(nul + 1 - key)))
		return 0;
	*domain = nul > key ? key : NULL;
	*provider = nul + 1 < key + len ? nul + 1 : NULL;
	return 1;
}

/* A count's payload "first last key": 0 when it is not one. */
static int
read_count(char *text, size_t len, long long *first, long long *last, const char **domain,
	   const char **provider)
{
	char *e, *end = text + len;

	errno = 0;
	*first = strtoll(text, &e, 10);
	if (errno || e == text || e >= end || *e != ' ')
		return 0;
	text = e + 1;
	*last = strtoll(text, &e, 10);
	if (errno || e == text || e >= end || *e != ' ' || *last < *first || !*first != !*last)
		return 0;
	return split_key(e + 1, (size_t)(end - e - 1), domain, provider);
}

/* Reads the records; with replay 0 only checks them and fills info. */
static int
records(struct reader *r, struct lastscan_info *info, const struct lastscan_sink *sink, int replay)
{
	unsigned long long num;
	size_t len;
	char tag;
	int rc = 0, got;

	while (rc == 0 && (got = next_record(r, &tag, &num, &len)) == 1) {
		const char *dom, *prov;
		long long first, last;

		switch (tag) {
		case 'T':
			info->at = (long long)num;
			break;
		case 'Y':
			info->year = (int)num;
			break;
		case 'O': {
			struct lastscan_opts o;
			char *e;

			errno = 0;
			o.max_open = (size_t)strtoull(r->buf, &e, 10);
			if (*e == ' ')
				o.top = (size_t)strtoull(e + 1, &e, 10);
			if (*e == ' ')
				o.bucket = strtol(e + 1, &e, 10);
			if (errno || *e != '\0' || e != r->buf + len || o.bucket < 0)
				return -1;
			info->opts = o;
			break;
		}
		case 'N':
			if (!replay) {
				char **v = realloc(info->inputs, (info->n_inputs + 2) * sizeof(*v));

				if (!v)
					return -1;
				info->inputs = v;
				if (memchr(r->buf, '\0', len) || !(v[info->n_inputs] = strdup(r->buf)))
					return -1;
				v[++info->n_inputs] = NULL;
			}
			break;
		case 'F':
			if (memchr(r->buf, '\0', len))
				return -1;
			if (replay && sink->file)
				sink->file(sink->ctx, num ? NULL : r->buf);
			break;
		case 'H':
			if (replay && sink->header)
				rc = sink->header(sink->ctx, r->buf, len);
			break;
		case 'L':
			if (replay && sink->line)
				rc = sink->line(sink->ctx, (unsigned long)num, r->buf, len);
			break;
		case 'M':
			if (replay && sink->message)
				rc = sink->message(sink->ctx, (unsigned long)num, r->buf, len);
			break;
		case 'D':
			if (!split_key(r->buf, len, &dom, &prov))
				return -1;
			if (replay && sink->count)
				rc = sink->count(sink->ctx, dom, prov, 0, 0, 0);
			break;
		case 'C':
			if (!num || !read_count(r->buf, len, &first, &last, &dom, &prov))
				return -1;
			if (replay && sink->count)
				rc = sink->count(sink->ctx, dom, prov, first, last, num);
			break;
		case 'I': {
			char *e;

			errno = 0;
			info->ignored = num;
			info->ignored_first = strtoll(r->buf, &e, 10);
			if (errno || e == r->buf || *e != ' ')
				return -1;
			info->ignored_last = strtoll(e + 1, &e, 10);
			if (errno || *e != '\0' || e != r->buf + len)
				return -1;
			break;
		}
		case 'E':
			/* the end: nothing may follow */
			return next_record(r, &tag, &num, &len) == 0 ? rc : -1;
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
	static const struct lastscan_sink none = { 0 };
	char def[4096], magic[64];
	struct reader r = { NULL, NULL, 0 };
	struct stat st;
	size_t k = 0, m;
	int rc = -1, c = EOF, version = -1;

	memset(info, 0, sizeof(*info));
	if (!sink)
		sink = &none;
	if (!path) {
		if (config_state_path(def, sizeof(def), NAME, 0) != 0)
			return 1;
		path = def;
	}
	r.f = fopen(path, "r");
	if (!r.f)
		return errno == ENOENT ? 1 : (snprintf(err, errsize, "%s: %s", path, strerror(errno)), -1);
	if (fstat(fileno(r.f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsize, "the saved file is not one bounce scan wrote");
		goto out;
	}
	while (k + 1 < sizeof(magic) && (c = getc(r.f)) != EOF && c != '\n')
		magic[k++] = (char)c;
	magic[k] = '\0';
	if (k > strlen(MAGIC_WORD) && memcmp(magic, MAGIC_WORD, strlen(MAGIC_WORD)) == 0) {
		char *e;

		errno = 0;
		version = (int)strtol(magic + strlen(MAGIC_WORD), &e, 10);
		if (errno || *e || e == magic + strlen(MAGIC_WORD))
			version = -1;
	}
	/* empty, or cut inside its first line: a save that a crash cut
	 * short (it is not synced: see lastscan_end()) */
	m = k < strlen(MAGIC_WORD) ? k : strlen(MAGIC_WORD);
	if (version < 0 && c == EOF && !ferror(r.f) && memcmp(magic, MAGIC_WORD, m) == 0 &&
	    strspn(magic + m, "0123456789") == k - m) {
		snprintf(err, errsize, "the saved file is damaged (cut short, or changed)");
		goto out;
	}
	if (version < 0) {
		snprintf(err, errsize, "the saved file is not one bounce scan wrote");
		goto out;
	}
	if (version != VERSION) {
		snprintf(err, errsize,
			 "the saved scan is in format %d, this bounce reads format %d: run bounce scan "
			 "again",
			 version, VERSION);
		goto out;
	}
	if (records(&r, info, NULL, 0) != 0) {
		snprintf(err, errsize, "the saved file is damaged (cut short, or changed)");
		goto out;
	}
	/* checked whole: now read again, handed on */
	if (fseek(r.f, 0, SEEK_SET) != 0 || !fgets(magic, sizeof(magic), r.f)) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = records(&r, info, sink, 1);
	if (rc != 0)
		snprintf(err, errsize, "the saved scan could not be read again");
out:
	if (r.f)
		fclose(r.f);
	free(r.buf);
	if (rc != 0)
		lastscan_info_free(info);
	return rc;
}

void
lastscan_info_free(struct lastscan_info *info)
{
	size_t i;

	if (!info)
		return;
	for (i = 0; i < info->n_inputs; i++)
		free(info->inputs[i]);
	free(info->inputs);
	memset(info, 0, sizeof(*info));
}
