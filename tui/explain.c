/* explain.c: bounce explain, one input or a stream of lines.
 *
 * A stream is read straight into the jobs that analyze it and split at
 * newlines by hand: the analyzer must keep up with big mail logs (a million
 * lines a second), so there is no stdio line reading, no copy of a line and
 * no allocation per line here.
 */
#ifdef __linux__
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#endif
#include "explain.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define EXPLAIN_AVX2 1
#endif
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "cli.h"
#include "jobs.h"

/* LINE_MAX_BYTES: with --lines, a line is cut here whatever --max-input
 * says (bounce(1)), so that memory is bounded by it: a line is held whole
 * in a job (the start of one that runs on, up to max + 1 bytes, while it is
 * read), and the analysis of one costs several times its size. */
enum { DEFAULT_MAX = 1024 * 1024, LINE_MAX_BYTES = 4 * 1024 * 1024 };

struct out_state {
	char *json;
	size_t json_len, json_cap;
	int unknown; /* an input was not classified */
};

/* Prints the diagnoses of one input (explain without --lines). */
static int
emit(struct cli_out *o, struct out_state *os, const struct cat_analysis *an, const char *input,
     size_t len, int json)
{
	size_t i;

	for (i = 0; i < an->n; i++) {
		const struct cat_diagnosis *d = &an->d[i];

		if (d->reason && strcmp(d->reason, "unknown") == 0)
			os->unknown = 1;
		if (o->tsv && !json) {
			/* a log block's lines are numbered; an input is 1 */
			cli_print_diagnosis_line(o, an->per_line ? i + 1 : 1, d);
		} else if (json) {
			os->json_len = 0;
			if (cat_diagnosis_json(an, i, input, len, 0, &os->json, &os->json_len,
					       &os->json_cap) != CAT_OK) {
				cli_error("out of memory");
				return -1;
			}
			fwrite(os->json, 1, os->json_len, o->f);
			fputc('\n', o->f);
		} else {
			if (i)
				fputc('\n', o->f);
			/* a pasted block of log lines: which line this is */
			if (an->per_line && an->n > 1)
				fprintf(o->f, "Log line %zu of %zu\n", i + 1, an->n);
			cli_print_diagnosis(o, an, i, input, len);
		}
	}
	if (an->skipped)
		cli_error("%zu more log lines were not explained; use --lines to read a log of "
			  "any length", an->skipped);
	return 0;
}

/* Reads all of fd, at most max + 1 bytes. */
static char *
read_all(int fd, size_t max, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);

	while (buf) {
		ssize_t r;

		if (n == cap) {
			char *p;

			if (cap > max)
				break;
			cap *= 2;
			p = realloc(buf, cap);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max)
			break;
	}
	*len = n;
	return buf;
}

static int
explain_one(struct cat_analyzer *an_, const struct explain_opts *o, struct cli_out *out,
	    size_t max)
{
	struct out_state os = { 0 };
	struct cat_analysis *an = NULL;
	struct cat_error err;
	char *text = NULL;
	size_t len = 0, i;
	int rc = 2;

	if (o->n_args && !(o->n_args == 1 && strcmp(o->args[0], "-") == 0)) {
		for (i = 0; i < o->n_args; i++)
			len += strlen(o->args[i]) + 1;
		text = malloc(len + 1);
		if (!text) {
			cli_error("out of memory");
			return 2;
		}
		text[0] = '\0';
		for (i = 0; i < o->n_args; i++) {
			if (i)
				strcat(text, " ");
			strcat(text, o->args[i]);
		}
		len = strlen(text);
	} else {
		text = read_all(STDIN_FILENO, max, &len);
		if (!text) {
			cli_error("cannot read standard input: %s", strerror(errno));
			return 2;
		}
	}
	for (i = 0; i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' ||
				text[i] == '\t');
	     i++)
		;
	if (i == len) {
		cli_error("nothing to explain: the input is empty");
		goto out;
	}
	if (len > max) {
		cli_error("the input is larger than %zu bytes; raise --max-input, or use --lines "
			  "to read a log line by line",
			  max);
		goto out;
	}
	if (cat_analyze(an_, text, len, &an, &err) != CAT_OK) {
		cli_error("%s", err.msg);
		goto out;
	}
	if (emit(out, &os, an, text, len, o->json) != 0)
		goto out;
	if (o->exit_action) {
		/* the first diagnosis with something to do: in a pasted block of
		 * log lines or a bounce of several recipients, the lines of no
		 * delivery and the successes say nothing about the others */
		size_t k;

		for (k = 0; k < an->n && cat_action_exit(an->d[k].action) == 0; k++)
			;
		rc = an->n == 0 ? cat_action_exit(CAT_ACTION_REVIEW)
				: cat_action_exit(an->d[k < an->n ? k : 0].action);
	} else
		rc = os.unknown ? 1 : 0;
out:
	cat_analysis_free(an);
	free(os.json);
	free(text);
	return rc;
}

/* ------------------------------------------------------------ batches
 *
 * A batch (--lines) is cut into jobs of whole lines, about JOB_BYTES each,
 * in the ordered pool of jobs.c: worker threads analyze jobs, each with its
 * own cat_analysis (the analyzer is shared: it is only read); a finisher
 * thread writes the jobs' output in input order. With one thread, or while
 * the input is still within its first job, the main thread analyzes and
 * writes the jobs itself, so a short input never starts a thread. At most
 * n_jobs jobs are in flight, so memory stays flat however long the input is.
 *
 * Why a writer of its own: into a pipe, a write blocks until the reader
 * has taken most of what came before. When the thread that reads the input
 * also wrote, the workers ran out of jobs while it waited, and a core stood
 * idle while the reader of the pipe (cat, a log shipper) alone ran.
 *
 * Why reader, workers and finisher stay apart: on a busy machine a thread
 * that runs jobs is preempted at any point, and one that also read, or
 * finished jobs, held up every other thread while it waited for its turn;
 * the reader and the finisher run briefly and sleep, and a thread that
 * wakes from a sleep is scheduled at once.
 */

enum { JOB_BYTES = 256 * 1024, IDLE_MS = 50 };

/* A line of a job: where it starts in the job's input, and its length
 * (without the CR of a CRLF, cut at the input limit). */
struct jline {
	size_t off, len;
};

struct job {
	unsigned long first_line;
	char *in; /* the input as read: its lines, then maybe the start of the next */
	size_t in_len, in_cap;
	size_t scan; /* in[0, scan) is whole lines, each found in lines */
	struct jline *lines;
	size_t n_lines, lines_cap; /* lines_cap: in elements */
	char *out; /* what they print */
	size_t out_len, out_cap;
	int failed; /* the analysis of line err_line failed */
	unsigned long err_line;
	char err[sizeof(((struct cat_error *)0)->msg)];
};

struct batch {
	const struct cat_analyzer *an;
	const struct explain_opts *o;
	struct cli_out *out;
	struct jobs *pool;
	struct job *cur; /* being filled */
	char *carry; /* the start of a line the job handed in did not hold whole */
	size_t carry_len, carry_cap;
};

static int
grow_buf(char **buf, size_t *cap, size_t need)
{
	size_t c = *cap ? *cap : 4096;
	char *p;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	p = realloc(*buf, c);
	if (!p)
		return -1;
	*buf = p;
	*cap = c;
	return 0;
}

/* Analyzes the lines of a job into its output. Any thread. */
static void
run_job(void *ctx, void *job, void **local)
{
	struct batch *b = ctx;
	struct job *j = job;
	struct cat_analysis *an = *local;
	unsigned long no = j->first_line;
	size_t k;
	struct cat_error err;
	struct cli_out o = *b->out;
	FILE *mf = NULL;
	size_t mf_len = 0;
	char *mf_buf = NULL;

	j->out_len = 0;
	j->failed = 0;
	if (!b->o->json) {
		/* the text form is printed by the CLI's own functions */
		mf = open_memstream(&mf_buf, &mf_len);
		if (!mf) {
			j->failed = 1;
			j->err_line = no;
			snprintf(j->err, sizeof(j->err), "out of memory");
			return;
		}
		o.f = mf;
	}
	for (k = 0; k < j->n_lines; k++) {
		const char *p = j->in + j->lines[k].off;
		size_t len = j->lines[k].len, i;

		if (cat_analyze(b->an, p, len, &an, &err) != CAT_OK) {
			j->failed = 1;
			j->err_line = no;
			snprintf(j->err, sizeof(j->err), "%s", err.msg);
			break;
		}
		for (i = 0; i < an->n; i++) {
			if (!b->o->json) {
				cli_print_diagnosis_line(&o, no, &an->d[i]);
				continue;
			}
			if (cat_diagnosis_json(an, i, p, len, no, &j->out, &j->out_len, &j->out_cap) !=
				    CAT_OK ||
			    grow_buf(&j->out, &j->out_cap, j->out_len + 1)) {
				j->failed = 1;
				j->err_line = no;
				snprintf(j->err, sizeof(j->err), "out of memory");
				break;
			}
			j->out[j->out_len++] = '\n';
		}
		if (j->failed)
			break;
		no++;
	}
	*local = an;
	if (mf) {
		if (fclose(mf) != 0 && !j->failed) {
			j->failed = 1;
			j->err_line = no;
			snprintf(j->err, sizeof(j->err), "out of memory");
		}
		free(j->out);
		j->out = mf_buf;
		j->out_len = mf_len;
		j->out_cap = mf_len;
	}
}

/* Writes n bytes of buf to f: to its file descriptor at once when f has
 * nothing buffered (one write(2) a job, where fwrite() copied the first
 * bytes into its buffer and wrote twice). What cannot be written goes
 * through f, so that an error is f's, which main() reports. */
static int
out_write(FILE *f, const char *buf, size_t n)
{
	int fd = fileno(f);

	if (fd >= 0 && fflush(f) == 0)
		while (n) {
			ssize_t w = write(fd, buf, n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			buf += w;
			n -= (size_t)w;
		}
	return n == 0 || fwrite(buf, 1, n, f) == n ? 0 : -1;
}

/* Writes a done job. Returns -1 when the job failed (its error is
 * reported) or the output cannot be written. */
static int
write_job(void *ctx, void *job)
{
	struct batch *b = ctx;
	struct job *j = job;
	int rc = 0;

	if (j->out_len && out_write(b->out->f, j->out, j->out_len) != 0)
		rc = -1; /* main() reports the write error */
	if (j->failed) {
		cli_error("line %lu: %s", j->err_line, j->err);
		rc = -1;
	}
	if (!b->o->json) { /* open_memstream's buffer: a new one each time */
		free(j->out);
		j->out = NULL;
		j->out_cap = 0;
	}
	j->out_len = 0;
	return rc;
}

static void
clear_job(void *ctx, void *job)
{
	struct job *j = job;

	(void)ctx;
	free(j->in);
	free(j->lines);
	free(j->out);
}

static const struct jobs_ops batch_ops = {
	.run = run_job,
	.finish = write_job,
	.clear = clear_job,
	.local_free = jobs_free_analysis,
};

/* Hands the job being filled to the pool; the start of a line after its
 * whole lines is kept for the next one. */
static int
submit(struct batch *b)
{
	struct job *j = b->cur;
	size_t tail;

	if (!j)
		return 0;
	b->cur = NULL;
	tail = j->in_len - j->scan;
	if (tail) {
		if (grow_buf(&b->carry, &b->carry_cap, tail)) {
			cli_error("out of memory");
			return -1;
		}
		memcpy(b->carry, j->in + j->scan, tail);
		j->in_len = j->scan;
	}
	b->carry_len = tail;
	if (j->n_lines == 0) {
		jobs_drop(b->pool, j);
		return 0;
	}
	return jobs_submit(b->pool, j);
}

/* The job being filled, taken from the pool when there is none (with
 * what the last one did not hold whole); its input can take at least
 * `room` bytes more. NULL after an error. */
static struct job *
cur_job(struct batch *b, size_t room)
{
	struct job *j = b->cur;

	if (!j) {
		if (!(j = b->cur = jobs_take(b->pool)))
			return NULL;
		j->in_len = j->scan = 0;
		j->n_lines = 0;
		if (b->carry_len) {
			if (grow_buf(&j->in, &j->in_cap, b->carry_len)) {
				cli_error("out of memory");
				return NULL;
			}
			memcpy(j->in, b->carry, b->carry_len);
			j->in_len = b->carry_len;
			b->carry_len = 0;
		}
	}
	if (grow_buf(&j->in, &j->in_cap, j->in_len + room)) {
		cli_error("out of memory");
		return NULL;
	}
	return j;
}

/* Records the line at off in the job being filled, its length len. */
static inline int
job_line(struct job *j, size_t off, size_t len, unsigned long line_no)
{
	if (j->n_lines == j->lines_cap) {
		size_t cap = j->lines_cap ? 2 * j->lines_cap : 1024;
		struct jline *l = realloc(j->lines, cap * sizeof(*l));

		if (!l) {
			cli_error("out of memory");
			return -1;
		}
		j->lines = l;
		j->lines_cap = cap;
	}
	if (j->n_lines == 0)
		j->first_line = line_no;
	j->lines[j->n_lines].off = off;
	j->lines[j->n_lines++].len = len;
	return 0;
}

/* ------------------------------------------------------------ newlines
 *
 * The reader finds the newlines of what it read in one walk, 64 bytes a
 * test where the processor has AVX2 (32 where it has SSE2), into a small
 * queue of offsets that the line loop takes from: a memchr() call per line
 * cost more than the search (a log line is some 300 bytes), and the walk
 * looks at each byte once. */

enum { NL_BATCH = 1024 };

struct nlq {
	uint32_t pos[NL_BATCH]; /* offsets from the job's input */
	size_t k, n;            /* pos[k..n) are still to take */
	const char *from;       /* where the walk goes on */
};

/* The offsets from base of the newlines in [*from, end), at most `room`;
 * returns how many, *from moved past the bytes looked at. */
static size_t
nl_find_bytes(const char *base, const char **from, const char *end, uint32_t *out, size_t room)
{
	const char *p = *from;
	size_t n = 0;

	for (; p < end && n < room; p++)
		if (*p == '\n')
			out[n++] = (uint32_t)(p - base);
	*from = p;
	return n;
}

#ifdef EXPLAIN_AVX2
__attribute__((target("avx2"))) static size_t
nl_find_avx2(const char *base, const char **from, const char *end, uint32_t *out, size_t room)
{
	const __m256i nl = _mm256_set1_epi8('\n');
	const char *p = *from;
	size_t n = 0;

	for (; end - p >= 64 && room - n >= 64; p += 64) {
		__m256i a = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(const void *)p), nl);
		__m256i b = _mm256_cmpeq_epi8(
			_mm256_loadu_si256((const __m256i *)(const void *)(p + 32)), nl);
		uint64_t m;

		if (_mm256_testz_si256(_mm256_or_si256(a, b), _mm256_or_si256(a, b)))
			continue;
		m = (uint64_t)(uint32_t)_mm256_movemask_epi8(a) |
		    (uint64_t)(uint32_t)_mm256_movemask_epi8(b) << 32;
		for (; m; m &= m - 1)
			out[n++] = (uint32_t)(p - base + __builtin_ctzll(m));
	}
	*from = p;
	if (end - p >= 64)
		return n; /* the queue is full: the rest next time */
	return n + nl_find_bytes(base, from, end, out + n, room - n);
}
#endif

/* The offsets from base of the newlines in [*from, end), at most `room`
 * (at least 64); returns how many, *from moved past the bytes looked at. */
static size_t
nl_find(const char *base, const char **from, const char *end, uint32_t *out, size_t room)
{
	const char *p = *from;
	size_t n = 0;

#ifdef EXPLAIN_AVX2
	if (__builtin_cpu_supports("avx2"))
		return nl_find_avx2(base, from, end, out, room);
#endif
#ifdef __SSE2__
	{
		const __m128i nl = _mm_set1_epi8('\n');

		for (; end - p >= 32 && room - n >= 32; p += 32) {
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
					     _mm_loadu_si128((const __m128i *)(const void *)p), nl)) |
				     (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
					     _mm_loadu_si128((const __m128i *)(const void *)(p + 16)), nl))
					     << 16;

			for (; m; m &= m - 1)
				out[n++] = (uint32_t)(p - base + (unsigned)__builtin_ctz(m));
		}
		if (end - p >= 32) {
			*from = p;
			return n;
		}
	}
#endif
	*from = p;
	return n + nl_find_bytes(base, from, end, out + n, room - n);
}

/* The next newline of the job's input base[..end), else NULL. */
static inline char *
nlq_next(struct nlq *q, char *base, const char *end)
{
	while (q->k == q->n) {
		if (q->from >= end)
			return NULL;
		q->n = nl_find(base, &q->from, end, q->pos, NL_BATCH);
		q->k = 0;
	}
	return base + q->pos[q->k++];
}

static int
batch_init(struct batch *b, const struct cat_analyzer *an, const struct explain_opts *o,
	   struct cli_out *out)
{
	unsigned threads = o->jobs ? o->jobs : jobs_cpu_count();

	memset(b, 0, sizeof(*b));
	b->an = an;
	b->o = o;
	b->out = out;
	if (threads > JOBS_MAX_THREADS)
		threads = JOBS_MAX_THREADS;
	/* three jobs per thread keep them busy while the writer waits for
	 * the reader of a pipe: one written, one being filled, the others
	 * analyzed or waiting */
	b->pool = jobs_new(&batch_ops, b, sizeof(struct job), threads,
			   threads > 1 ? 3 * threads + 2 : 1, JOBS_FINISHER);
	return b->pool ? 0 : -1;
}

/* Finishes the batch: with ok, the last job is submitted and all are
 * written; otherwise what is in flight is dropped. Returns -1 after an
 * error. */
static int
batch_end(struct batch *b, int ok)
{
	int rc = 0;

	if (ok) {
		rc = submit(b);
		if (rc == 0)
			rc = jobs_wait(b->pool);
	}
	jobs_free(b->pool);
	free(b->carry);
	return rc;
}

/* Whether the writer of fd (a pipe or terminal) has paused: nothing more
 * to read within IDLE_MS. A regular file never pauses; a fast producer
 * (cat, grep) has written again long before. */
static int
input_idle(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	int n;

	while ((n = poll(&p, 1, IDLE_MS)) < 0 && errno == EINTR)
		;
	return n == 0;
}

/* Analyzes and writes everything read so far, and flushes the output:
 * for a pause in the input. Returns -1 after an error. */
static int
batch_flush(struct batch *b)
{
	int rc = submit(b);

	if (rc == 0)
		rc = jobs_wait(b->pool);
	if (rc == 0 && fflush(b->out->f) != 0)
		rc = -1; /* main() reports the write error */
	return rc;
}

/* One stream, line by line, into the batch. The input is read straight
 * into the job being filled, whose lines are found as they come; the start
 * of a line that a job does not hold whole goes to the next job. Returns 0,
 * or -1 after an error. */
static int
explain_fd(struct batch *bt, int fd, const char *name, size_t max, unsigned long *line_no)
{
	int skipping = 0; /* the rest of a line longer than max is dropped */
	struct nlq q;

	for (;;) {
		struct job *j = bt->cur;
		size_t want, at;
		ssize_t r;
		char *p, *end, *nl;
		int eof, idle = 0;

		/* a job of whole lines: handed in, and its last line's start
		 * goes to the next one */
		if (j && j->in_len >= JOB_BYTES && j->scan > 0 && submit(bt) != 0)
			return -1;
		if (!(j = cur_job(bt, 0)))
			return -1;
		/* a line longer than a job (up to max + 1 bytes) grows it */
		want = j->in_len < JOB_BYTES ? JOB_BYTES : 2 * j->in_len;
		if (grow_buf(&j->in, &j->in_cap, want)) {
			cli_error("out of memory");
			return -1;
		}
		at = j->in_len;
		r = read(fd, j->in + at, want - at);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			cli_error("%s: %s", name, strerror(errno));
			return -1;
		}
		eof = r == 0;
		j->in_len += (size_t)r;
		if (skipping && r > 0) {
			nl = memchr(j->in + at, '\n', (size_t)r);
			if (nl) {
				size_t rest = (size_t)(j->in + j->in_len - (nl + 1));

				memmove(j->in + at, nl + 1, rest);
				j->in_len = at + rest;
				skipping = 0;
			} else {
				j->in_len = at;
			}
		}
		/* a producer that pauses (tail -f) has its lines explained now */
		if (r > 0 && at + (size_t)r < want)
			idle = input_idle(fd);
		p = j->in + j->scan;
		end = j->in + j->in_len;
		/* what came before `at` holds no newline: the lines it ended
		 * were taken, and a carried start of a line has none */
		q.k = q.n = 0;
		q.from = j->in + (at > j->scan ? at : j->scan);
		while (p < end) {
			size_t len;

			nl = nlq_next(&q, j->in, end);
			if (!nl && !eof) {
				if ((size_t)(end - p) < max + 2)
					break; /* an incomplete line: read more */
				/* longer than max, whatever follows: its start */
				++*line_no;
				cli_error("%s: line %lu is longer than %zu bytes: only its start is analyzed",
					  name, *line_no, max);
				if (job_line(j, (size_t)(p - j->in), max, *line_no) != 0)
					return -1;
				j->in_len = (size_t)(p - j->in) + max;
				p = end = j->in + j->in_len;
				skipping = 1;
				break;
			}
			len = (size_t)((nl ? nl : end) - p);
			if (len && p[len - 1] == '\r')
				len--;
			++*line_no;
			if (len > max) {
				cli_error("%s: line %lu is longer than %zu bytes: only its start is analyzed",
					  name, *line_no, max);
				len = max;
			}
			if (job_line(j, (size_t)(p - j->in), len, *line_no) != 0)
				return -1;
			p = nl ? nl + 1 : end;
		}
		j->scan = (size_t)(p - j->in);
		if (eof)
			return 0;
		if (idle && batch_flush(bt) != 0)
			return -1;
	}
}

/* A pipe's default 64 KiB buffer makes the writer and the reader take turns
 * every 64 KiB; 1 MiB lets NDJSON flow several times faster. */
static void
widen_pipe(int fd)
{
#ifdef F_SETPIPE_SZ
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) && fcntl(fd, F_GETPIPE_SZ) < (1 << 20))
		(void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#else
	(void)fd;
#endif
}

int
explain_run(struct catalog *cat, const struct explain_opts *o, struct cli_out *out)
{
	struct cat_analyzer *an = NULL;
	struct batch bt;
	struct cat_error err;
	size_t max = o->max_input ? o->max_input : DEFAULT_MAX;
	unsigned long line_no = 0;
	int rc = 2;
	size_t i;

	if (cat_analyzer_new(cat, &an, &err) != CAT_OK) {
		cli_error("%s", err.msg);
		return 2;
	}
	cat_analyzer_set_max_input(an, max);
	if (o->messages) {
		rc = explain_messages(an, o, out, max);
		goto out;
	}
	if (!o->lines) {
		rc = explain_one(an, o, out, max);
		goto out;
	}
	if (batch_init(&bt, an, o, out) != 0) {
		cli_error("out of memory");
		goto out;
	}
	if (fileno(out->f) >= 0) {
		fflush(out->f);
		widen_pipe(fileno(out->f));
	}
	rc = 0;
	if (max > LINE_MAX_BYTES)
		max = LINE_MAX_BYTES;
	if (o->n_args == 0) {
		if (explain_fd(&bt, STDIN_FILENO, "standard input", max, &line_no))
			rc = 2;
	}
	for (i = 0; i < o->n_args && rc == 0; i++) {
		int fd = strcmp(o->args[i], "-") == 0 ? STDIN_FILENO : open(o->args[i], O_RDONLY);

		if (fd < 0) {
			int e = errno;

			/* what came before is explained and written first, so that
			 * the output does not depend on the threads' timing */
			if (batch_flush(&bt) == 0)
				cli_error("%s: %s", o->args[i], strerror(e));
			rc = 2;
			break;
		}
		if (explain_fd(&bt, fd, o->args[i], max, &line_no))
			rc = 2;
		if (fd != STDIN_FILENO)
			close(fd);
	}
	if (batch_end(&bt, rc == 0) != 0)
		rc = 2;
	/* a batch succeeds when every line was read, classified or not */
out:
	cat_analyzer_free(an);
	return rc;
}
