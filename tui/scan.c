/* scan.c: bounce scan: mail logs (plain or gzip) and bounce mailboxes in,
 * the troubleshooting report out (text, NDJSON or CSV).
 *
 * Inputs are read here; every diagnosis goes through hand_on(), the one
 * place where it is handed to the engine's scan (and to anything else that
 * keeps records of events). The report is the engine's: this file only
 * lays it out.
 */
#define _POSIX_C_SOURCE 200809L
#include "scan.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "cli.h"
#include "jobs.h"
#include "lastscan.h"
#include "mailbox.h"
#include "text.h"

/* BLOCK: bytes read at once; LINE_CAP: a log line is read up to here (a
 * mail log's lines are a few hundred bytes; syslog cuts at 8 KiB), the
 * rest of a longer one is skipped and counted; PEEK: what tells a log from
 * a mailbox or a binary file; MSG_MAX: a bounce message's bytes analyzed */
enum {
	BLOCK = 1 << 20,
	LINE_CAP = 64 * 1024,
	PEEK = 4096,
	MSG_MAX = 1 << 20,
	FOLLOW_MS = 500,
	PROGRESS_MS = 200,
	UTF16_RAW = 64 * 1024,
	SAVE_SENT = 4,
};

/* One input being read: a descriptor, through zlib when it is gzip. */
struct input {
	const char *name; /* as given; "-" for standard input */
	int fd;
	gzFile gz;
	off_t size;       /* of a regular file, 0 when not known */
	int regular;
	int fifo;
	int live;         /* the input followed (--follow): a pipe is read plain */
	int broken;       /* a read error was reported: what came before counts */
	int ranged;       /* read by the workers by ranges: pos is where they are */
	off_t pos;
	/* UTF-16 (a byte order mark): its bytes read, converted to UTF-8 */
	iconv_t cd;
	char *raw;
	size_t raw_len;
	/* a CSV export read by its header row: 0 undecided (the first
	 * lines), 1 its rows, -1 not one */
	int trace;
	struct cat_columns cols;
};

struct scan_run {
	const struct scan_opts *o;
	struct cli_out *out;
	struct catalog *cat;
	struct cat_analyzer *an;
	struct cat_scan *scan;
	struct suppress *sup; /* --suppress, --state: NULL when neither */
	struct cat_analysis *res;
	/* the counts of the input being read, for its messages */
	unsigned long long lines, events, long_lines;
	/* all inputs */
	int read_any;          /* some input was read */
	int failed;            /* out of memory or an analysis failed: stop */
	unsigned long long total_events;
	/* the progress bar */
	int progress;
	unsigned long long done_bytes, all_bytes;
	struct timespec last_draw;
	char *json;
	size_t json_len, json_cap;
	const struct scan_sink *sink; /* scan_read(): its caller's hooks, else NULL */
	unsigned threads;             /* wanted for a log: 0 one per CPU */
	struct pipe *pipe;            /* the lines of a log in flight, else NULL */
	/* --follow's summaries: 1 NDJSON, 2 redrawn on a terminal, 0 none */
	int summaries;
	struct timespec last_summary;
	int summary_lines;   /* on the terminal now, to be redrawn */
	const struct cat_columns *row_cols; /* the row handed on is read by these */
	/* what is kept for the browser (lastscan.c): the input that gave the
	 * events of now, whether it is kept, the file last named */
	struct lastscan *save;
	const char *sv_text, *sv_from_file;
	unsigned long sv_no;
	int sv_kept;
	unsigned long long sv_ignored, save_ignored;
	char *sv_file;
	int sv_file_set;
	/* the deliveries of that input, to be kept as counts unless the
	 * input is kept whole; the month of the last event kept (year * 12 +
	 * month), and the last month found and its day */
	struct sv_sent {
		char domain[256], provider[64];
		int has_domain, has_provider;
		long long when;
	} sv_sent[SAVE_SENT];
	size_t sv_n_sent;
	long long sv_month, mc_month, mc_lo, mc_hi; /* the month of the day [mc_lo, mc_hi) */
	long long ign_first, ign_last; /* the times of the events counted ignored */
};

static volatile sig_atomic_t stop_follow;

static void
on_stop(int sig)
{
	(void)sig;
	stop_follow = 1;
}

/* ------------------------------------------------------------ handing on */

/* The file of what is kept next, named when it changes. */
static void
save_file(struct scan_run *r, const char *file)
{
	if (r->sv_file_set && (file && r->sv_file ? strcmp(file, r->sv_file) == 0 : file == r->sv_file))
		return;
	free(r->sv_file);
	r->sv_file = file ? strdup(file) : NULL;
	r->sv_file_set = 1;
	lastscan_file(r->save, file);
}

/* The month of a time (seconds since 1970 as a log writes them), as
 * year * 12 + month: days to a civil date (Howard Hinnant's algorithm).
 * The day is kept for save_month(), so a log's many lines a day cost two
 * compares (inlined) and no division. */
static long long
save_month_of(struct scan_run *r, long long when)
{
	long long z, era, doe, yoe, doy, mp;

	z = when / 86400 - (when < 0 && when % 86400);
	r->mc_lo = z * 86400;
	r->mc_hi = r->mc_lo + 86400;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	r->mc_month = (yoe + era * 400 + (mp >= 10)) * 12 + (mp < 10 ? mp + 3 : mp - 9);
	return r->mc_month;
}

static inline long long
save_month(struct scan_run *r, long long when)
{
	return when >= r->mc_lo && when < r->mc_hi ? r->mc_month : save_month_of(r, when);
}

/* The deliveries of the input before, counted (its line was not kept). */
static void
save_settle(struct scan_run *r)
{
	size_t i;

	for (i = 0; i < r->sv_n_sent; i++) {
		const struct sv_sent *x = &r->sv_sent[i];

		lastscan_delivery(r->save, 0, x->has_domain ? x->domain : NULL,
				  x->has_provider ? x->provider : NULL, x->when);
	}
	r->sv_n_sent = 0;
}

/* A delivery kept as a count rather than its line: 0 when it cannot be
 * (the line is then kept). Only a log line's delivery made to a recipient
 * never deferred (the scan's table of deferred recipients is not touched
 * by it, so counting it anywhere among the others gives the same report),
 * in the month of the event kept before (a syslog stamp's year is found
 * from the months that come before it: each change of month is read
 * again from a line). */
static int
save_sent(struct scan_run *r, const struct cat_scan_event *ev, const struct cat_scan_from *from)
{
	struct sv_sent *x;
	long long month = ev->when ? save_month(r, ev->when) : r->sv_month;
	size_t dl, pl;

	if (ev->kind != CAT_SCAN_SENT || !ev->final || ev->deferrals || ev->closed > 1 || !from->line ||
	    (ev->d && ev->d->event != CAT_EVENT_DELIVERY) || month != r->sv_month)
		return 0;
	/* a line counted from its fields gives one event: counted now */
	if (!ev->d) {
		lastscan_delivery(r->save, ev->domain_id, ev->domain, ev->provider, ev->when);
		return 1;
	}
	dl = ev->domain ? strlen(ev->domain) : 0;
	pl = ev->provider ? strlen(ev->provider) : 0;
	if (r->sv_n_sent == SAVE_SENT || dl >= sizeof(x->domain) || pl >= sizeof(x->provider))
		return 0;
	x = &r->sv_sent[r->sv_n_sent++];
	x->has_domain = ev->domain != NULL;
	x->has_provider = ev->provider != NULL;
	memcpy(x->domain, ev->domain ? ev->domain : "", dl + 1);
	memcpy(x->provider, ev->provider ? ev->provider : "", pl + 1);
	x->when = ev->when;
	return 1;
}

/* An event of no delivery kept as a count (and its time in the span the
 * count gives): 0 when its line is kept instead, as for a change of month
 * (save_sent()) or when it says whom a queue id is for (a qmail line the
 * scan links the next ones by). */
static int
save_ignored(struct scan_run *r, const struct cat_scan_event *ev)
{
	if ((ev->when && save_month(r, ev->when) != r->sv_month) ||
	    (ev->queue_id && ev->queue_id[0] && ev->recipient))
		return 0;
	r->sv_ignored++;
	r->save_ignored++;
	if (ev->when && (!r->ign_first || ev->when < r->ign_first))
		r->ign_first = ev->when;
	if (ev->when > r->ign_last)
		r->ign_last = ev->when;
	return 1;
}

/* Keeps the input of an event for the browser's Report of the last scan:
 * each input that gave an event other than "no delivery" once (its events
 * come one after another), deliveries made as counts, and a count of the
 * rest. */
static void
save_event(struct scan_run *r, const struct cat_scan_event *ev, const struct cat_scan_from *from)
{
	/* a job's buffer is used again: the same place and number in
	 * another file is another input */
	if (from->text != r->sv_text || from->line + from->message != r->sv_no ||
	    from->file != r->sv_from_file) {
		if (r->sv_n_sent)
			save_settle(r);
		r->sv_text = from->text;
		r->sv_from_file = from->file;
		r->sv_no = from->line + from->message;
		r->sv_kept = 0;
		r->sv_ignored = 0;
	}
	if (r->sv_kept || (ev->kind == CAT_SCAN_IGNORED ? save_ignored(r, ev) : save_sent(r, ev, from)))
		return;
	r->sv_kept = 1;
	r->sv_n_sent = 0; /* read again with it */
	r->save_ignored -= r->sv_ignored;
	if (ev->when)
		r->sv_month = save_month(r, ev->when);
	save_file(r, from->file);
	if (from->line)
		lastscan_line(r->save, from->line, from->text, from->len);
	else
		lastscan_message(r->save, from->message, from->text, from->len);
}

/* Every event of the scan passes here once, as the scan counted it: the
 * one place to hand events on to whatever else keeps records of them (the
 * diagnosis is ev->d; NULL for a delivered line counted from its fields). */
static int
pass_on(struct scan_run *r, const struct cat_scan_event *ev, const struct cat_scan_from *from)
{
	if (ev->kind != CAT_SCAN_IGNORED && ev->kind != CAT_SCAN_OTHER)
		r->events++;
	if (r->save && from && from->text)
		save_event(r, ev, from);
	if (suppress_add(r->sup, ev, from ? from->text : NULL, from ? from->len : 0) != 0) {
		r->failed = 1;
		return -1;
	}
	return 0;
}

/* pass_on() of a delivery counted from its line's fields (most lines):
 * the same steps, inlined where the count is made. */
static inline int
pass_sent(struct scan_run *r, const struct cat_scan_event *ev, const struct cat_scan_from *from)
{
	r->events++;
	/* save_event() of a new input whose delivery is kept as a count
	 * (save_sent()), inlined; anything else through it */
	if (r->save && !r->sv_n_sent &&
	    (from->text != r->sv_text || from->line != r->sv_no || from->file != r->sv_from_file) &&
	    !ev->deferrals && ev->closed <= 1 && from->line &&
	    (ev->when ? save_month(r, ev->when) : r->sv_month) == r->sv_month) {
		r->sv_text = from->text;
		r->sv_from_file = from->file;
		r->sv_no = from->line;
		r->sv_kept = 0;
		r->sv_ignored = 0;
		lastscan_delivery(r->save, ev->domain_id, ev->domain, ev->provider, ev->when);
	} else if (r->save) {
		save_event(r, ev, from);
	}
	if (r->sup && suppress_add(r->sup, ev, from->text, from->len) != 0) {
		r->failed = 1;
		return -1;
	}
	return 0;
}

/* A diagnosis to the engine's scan, and its event on. */
static int
hand_on(struct scan_run *r, const struct cat_analysis *an, size_t i, const struct cat_scan_from *from)
{
	struct cat_scan_event ev;
	struct cat_error err;

	if (cat_scan_add(r->scan, an, i, from, &ev, &err) != CAT_OK) {
		cli_error("%s", err.msg);
		r->failed = 1;
		return -1;
	}
	if (r->sink && r->sink->event)
		r->sink->event(r->sink->ctx, an, i, from, r->row_cols, &ev);
	return pass_on(r, &ev, from);
}

/* ------------------------------------------------------------ progress */

static long
ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)((now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000);
}

static void
progress_draw(struct scan_run *r, const struct input *in, int force)
{
	unsigned long long done = r->done_bytes;
	int pct, w = 30, k;
	char bar[64];

	if (!r->progress || (!force && ms_since(&r->last_draw) < PROGRESS_MS))
		return;
	clock_gettime(CLOCK_MONOTONIC, &r->last_draw);
	if (in && in->regular) {
		off_t at = in->gz       ? (off_t)gzoffset(in->gz)
			   : in->ranged ? in->pos
					: lseek(in->fd, 0, SEEK_CUR);

		if (at > 0)
			done += (unsigned long long)at;
	}
	if (done > r->all_bytes)
		done = r->all_bytes;
	if (r->sink) {
		if (r->sink->progress)
			r->sink->progress(r->sink->ctx, in ? in->name : NULL, done, r->all_bytes);
		return;
	}
	pct = r->all_bytes ? (int)(done * 100 / r->all_bytes) : 100;
	for (k = 0; k < w; k++)
		bar[k] = k < pct * w / 100 ? '#' : '.';
	bar[w] = '\0';
	fprintf(stderr, "\rscanning [%s] %3d%% %llu of %llu MB", bar, pct, done >> 20,
		r->all_bytes >> 20);
	fflush(stderr);
}

static void
progress_end(struct scan_run *r)
{
	if (!r->progress || r->sink)
		return;
	fprintf(stderr, "\r%*s\r", 70, "");
	fflush(stderr);
}

/* ------------------------------------------------------------ following */

static void
put_time(FILE *f, long long t, int with_date);
static void
put_text(FILE *f, const char *s, size_t max);
static void
put_code_head(FILE *f, const struct cat_scan_code *c);

/* The summary of the report so far, on a terminal: counts, rates against
 * their limits and the top problem, each line cut to the width so that it
 * can be drawn over the last one. */
static void
summary_text(const struct cat_scan_report *rep, FILE *f)
{
	const struct cat_scan_row *t = &rep->total;
	const struct cat_scan_code *top = rep->n_fix_first ? rep->fix_first[0]
					  : rep->n_codes	  ? &rep->codes[0]
							  : NULL;
	time_t now = time(NULL);
	struct tm tm;
	char clock[16] = "";
	size_t i;

	if (localtime_r(&now, &tm))
		strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	fprintf(f, "bounce scan --follow at %s: %llu items, ", clock, rep->stats.items);
	put_time(f, rep->first, 1);
	fputs(" to ", f);
	put_time(f, rep->last, rep->last - rep->first >= 86400);
	fprintf(f, "\n  %llu attempted: %llu sent, %llu deferred, %llu bounced, %llu expired; "
		   "%llu refusals\n ",
		t->c.attempted, t->c.sent, t->c.deferred, t->c.bounced, t->c.expired,
		rep->stats.kinds[CAT_SCAN_REFUSAL]);
	for (i = 0; i < t->n_rates && i < CAT_SCAN_RATE_COUNT; i++) {
		const struct cat_scan_rate *q = &t->rates[i];

		if (q->rate == CAT_SCAN_RATE_COMPLAINT && !q->count)
			continue;
		fprintf(f, " %s ", cat_scan_rate_name(q->rate));
		if (q->percent < 0)
			fputs("-", f);
		else
			fprintf(f, "%.2f%%", q->percent);
		if (q->limit >= 0)
			fprintf(f, " (%g%%)%s", q->limit, q->over ? " OVER" : "");
	}
	fputs("\n  top: ", f);
	if (top) {
		put_code_head(f, top);
		fprintf(f, "on %llu message%s: ", top->messages, top->messages == 1 ? "" : "s");
		put_text(f, top->reason_title ? top->reason_title : top->reason, 0);
	} else {
		fputs("nothing failed", f);
	}
	fputc('\n', f);
}

/* Draws the text summary over the last one (or clears it: rep NULL). */
static void
summary_draw(struct scan_run *r, const struct cat_scan_report *rep)
{
	FILE *f = r->out->f, *mf;
	char *b = NULL, *p, *e, *nl;
	size_t n = 0, width = r->out->width ? r->out->width : 80;

	if (r->summary_lines)
		fprintf(f, "\033[%dA\033[J", r->summary_lines);
	r->summary_lines = 0;
	if (rep && (mf = open_memstream(&b, &n)) != NULL) {
		summary_text(rep, mf);
		if (fclose(mf) == 0) {
			for (p = b, e = b + n; p < e; p = nl + 1) {
				size_t len, k;

				nl = memchr(p, '\n', (size_t)(e - p));
				if (!nl)
					nl = e;
				/* a line as wide as the terminal would wrap and
				 * move the next redraw: cut it short of that */
				for (len = 0, k = 0; len < (size_t)(nl - p) && k + 1 < width; len++)
					if (((unsigned char)p[len] & 0xc0) != 0x80)
						k++;
				while (len < (size_t)(nl - p) && ((unsigned char)p[len] & 0xc0) == 0x80)
					len++;
				fwrite(p, 1, len, f);
				fputc('\n', f);
				r->summary_lines++;
			}
		}
		free(b);
	}
	fflush(f);
}

/* With --follow, every interval: the summary so far, as one NDJSON record
 * or drawn over the last one on a terminal. */
static void
follow_tick(struct scan_run *r)
{
	const struct cat_scan_report *rep;
	struct cat_error err;

	if (!r->summaries || ms_since(&r->last_summary) < r->o->interval * 1000L)
		return;
	clock_gettime(CLOCK_MONOTONIC, &r->last_summary);
	if (cat_scan_report(r->scan, &rep, &err) != CAT_OK) {
		cli_error("%s", err.msg);
		return;
	}
	if (r->summaries == 2) {
		summary_draw(r, rep);
		return;
	}
	r->json_len = 0;
	if (cat_scan_summary_json(rep, (long long)time(NULL), &r->json, &r->json_len, &r->json_cap) !=
	    CAT_OK) {
		cli_error("out of memory");
		return;
	}
	fwrite(r->json, 1, r->json_len, r->out->f);
	fflush(r->out->f);
}

/* Waits for a followed pipe to have bytes, drawing the summaries when due.
 * 1 when a signal asked to stop. */
static int
follow_wait(struct scan_run *r, struct input *in)
{
	struct pollfd pfd = { in->fd, POLLIN, 0 };

	for (;;) {
		long left;
		int n;

		if (stop_follow)
			return 1;
		left = r->summaries ? r->o->interval * 1000L - ms_since(&r->last_summary) : -1;
		n = poll(&pfd, 1, left < 0 && r->summaries ? 0 : (int)left);

		if (n > 0)
			return 0;
		if (n < 0 && errno == EINTR && stop_follow)
			return 1;
		if (n < 0 && errno != EINTR)
			return 0; /* the read reports it */
		follow_tick(r);
	}
}

/* ------------------------------------------------------------ reading */

/* zlib's message without the "<fd:3>: " it names a descriptor by */
static const char *
gz_message(gzFile gz, int *e)
{
	const char *m = gzerror(gz, e), *p;

	if (m && strncmp(m, "<fd:", 4) == 0 && (p = strstr(m, ": ")) != NULL)
		return p + 2;
	return m;
}

static ssize_t
raw_read(struct input *in, char *buf, size_t n)
{
	ssize_t got;

	if (in->gz) {
		int e;
		const char *msg;

		got = gzread(in->gz, buf, (unsigned)n);
		if (got >= 0)
			return got;
		msg = gz_message(in->gz, &e);
		cli_error("%s: %s: what came before it is counted",
			  in->name, e == Z_ERRNO ? strerror(errno) : msg);
		in->broken = 1;
		return -1;
	}
	for (;;) {
		got = read(in->fd, buf, n);
		if (got >= 0 || errno != EINTR)
			break;
	}
	if (got < 0) {
		cli_error("%s: %s: what came before it is counted", in->name, strerror(errno));
		in->broken = 1;
	}
	return got;
}

/* UTF-16 to UTF-8: more of the input's bytes, converted into buf. An
 * invalid sequence (a lone surrogate) becomes U+FFFD; a sequence cut by
 * the end of what was read waits for the rest. */
static ssize_t
utf16_read(struct input *in, char *buf, size_t n)
{
	for (;;) {
		char *src = in->raw, *dst = buf;
		size_t left = in->raw_len, room = n;
		ssize_t got = 0;

		if (in->raw_len < UTF16_RAW / 2) {
			got = raw_read(in, in->raw + in->raw_len, UTF16_RAW - in->raw_len);
			if (got < 0)
				return -1;
			in->raw_len += (size_t)got;
			left = in->raw_len;
		}
		while (left && room >= 4 &&
		       iconv(in->cd, &src, &left, &dst, &room) == (size_t)-1 && errno == EILSEQ) {
			memcpy(dst, "\xef\xbf\xbd", 3);
			dst += 3;
			room -= 3;
			src += 2;
			left = left >= 2 ? left - 2 : 0;
		}
		memmove(in->raw, src, left);
		in->raw_len = left;
		if (dst > buf || got == 0)
			return dst - buf;
	}
}

static ssize_t
input_read(struct input *in, char *buf, size_t n)
{
	return in->raw ? utf16_read(in, buf, n) : raw_read(in, buf, n);
}

/* An input that starts with a UTF-16 byte order mark (Exchange and
 * PowerShell write their exports so): the bytes read after the mark are
 * kept to be converted with the rest, and buf is read again. -1 when it
 * cannot be converted (reported). */
static int
utf16_begin(struct input *in, char *buf, size_t *have)
{
	int be = (unsigned char)buf[0] == 0xfe;

	in->cd = iconv_open("UTF-8", be ? "UTF-16BE" : "UTF-16LE");
	if (in->cd == (iconv_t)-1) {
		in->cd = NULL;
		cli_error("%s: UTF-16 cannot be read here: %s", in->name, strerror(errno));
		return -1;
	}
	in->raw = malloc(UTF16_RAW);
	if (!in->raw) {
		cli_error("out of memory");
		return -1;
	}
	memcpy(in->raw, buf + 2, *have - 2);
	in->raw_len = *have - 2;
	*have = 0;
	while (*have < PEEK) {
		ssize_t got = input_read(in, buf + *have, PEEK - *have);

		if (got <= 0)
			break;
		*have += (size_t)got;
	}
	return 0;
}

/* Whether the bytes look like a binary file: a NUL, or many control
 * characters that text never holds. */
static int
looks_binary(const char *p, size_t n)
{
	size_t i, ctl = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == 0)
			return 1;
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b)
			ctl++;
	}
	return ctl * 10 > n;
}

/* Whether the bytes start like a mail message or an mbox: a "From " line
 * or a header field ("Return-Path: ...", "Received: ..."). A log line
 * starts with a time stamp, a CSV export with its fields. */
static int
looks_message(const char *p, size_t n)
{
	size_t i;

	if (n >= 5 && memcmp(p, "From ", 5) == 0)
		return 1;
	for (i = 0; i < n && i < 76; i++) {
		char c = p[i];

		if (c == ':')
			return i > 0 && i + 1 < n && (p[i + 1] == ' ' || p[i + 1] == '\t');
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9' && i) ||
		      (c == '-' && i)))
			return 0;
	}
	return 0;
}

/* A line of a CSV export read by its header row (a message trace): the
 * header is looked for in the first line, after the "#TYPE" line Windows
 * PowerShell's Export-Csv writes first. 1 when the line was read so, 0
 * when it is not one (in->trace is then -1 for the rest), -1 to stop. */
static int
trace_line(struct scan_run *r, struct input *in, const char *p, size_t len, unsigned long no)
{
	struct cat_scan_from from = { strcmp(in->name, "-") == 0 ? NULL : in->name, no, 0, p, len };
	struct cat_error err;
	size_t i;

	if (in->trace == 0) {
		if (no == 1 && len >= 5 && memcmp(p, "#TYPE", 5) == 0)
			return 1;
		in->trace = no <= 2 && cat_columns_read(p, len, &in->cols) ? 1 : -1;
		if (in->trace > 0 && r->save) {
			save_file(r, strcmp(in->name, "-") == 0 ? NULL : in->name);
			lastscan_header(r->save, p, len);
		}
		return in->trace > 0;
	}
	r->lines++;
	if (cat_analyze_row(r->an, &in->cols, p, len, &r->res, &err) != CAT_OK) {
		cli_error("%s: line %lu: %s", in->name, no, err.msg);
		r->failed = 1;
		return -1;
	}
	r->row_cols = &in->cols;
	for (i = 0; i < r->res->n; i++)
		if (hand_on(r, r->res, i, &from) != 0)
			break;
	r->row_cols = NULL;
	return i < r->res->n ? -1 : 1;
}

static int
pipe_line(struct scan_run *r, struct input *in, const char *p, size_t len, unsigned long no);

/* One line of a log. */
static int
scan_line(struct scan_run *r, struct input *in, const char *p, size_t len, unsigned long no)
{
	struct cat_scan_from from = { strcmp(in->name, "-") == 0 ? NULL : in->name, no, 0, p, len };
	struct cat_scan_event ev;
	struct cat_error err;
	size_t i;
	int t;

	if (in->trace >= 0 && (t = trace_line(r, in, p, len, no)) != 0)
		return t < 0 ? -1 : 0;
	r->lines++;
	/* a delivery made is counted from its fields: most lines are those */
	switch (cat_scan_sent_line(r->scan, p, len, &from, &ev)) {
	case 1:
		return pass_on(r, &ev, &from);
	case 0:
		break;
	default:
		cli_error("out of memory");
		r->failed = 1;
		return -1;
	}
	if (cat_analyze(r->an, p, len, &r->res, &err) != CAT_OK) {
		cli_error("%s: line %lu: %s", in->name, no, err.msg);
		r->failed = 1;
		return -1;
	}
	for (i = 0; i < r->res->n; i++)
		if (hand_on(r, r->res, i, &from) != 0)
			return -1;
	return 0;
}

/* ------------------------------------------------------------ threads */

/*
 * A long log is read in jobs of whole lines (each job one read's worth, in
 * its own buffer, so no line is copied), in the ordered pool of jobs.c.
 * Once its first lines have shown it is a log, a plain regular file is
 * read by the workers themselves, each job a range of bytes (pread()), so
 * that the kernel's copy and the search for line ends are not all on the
 * thread that counts: a job's lines are those that start in its range,
 * and their numbers are counted from the job's start, made absolute when
 * the job is counted.
 * Worker threads find the deliveries made among a job's lines
 * (cat_scan_sent_read()) and analyze the others; the main thread reads,
 * cuts the jobs and counts their lines in input order, since the scan's
 * table follows each message from line to line. A worker moves each
 * analysis into a light holder of the job (cat_analysis_move()), at most
 * PIPE_HELD a job: a line past them is analyzed by the main thread when it
 * counts it, as is a line whose analysis failed (its error is then
 * reported in order). The main thread is one of the threads: while the
 * job to count next is not done, it analyzes the oldest one not started.
 * At most 2 x threads + 1 jobs are in flight, so memory stays flat. A log
 * within its first job starts no thread.
 */
enum { PIPE_READ = 128 * 1024, PIPE_CAP = PIPE_READ + LINE_CAP, PIPE_HELD = 128 };

enum pline_kind { PLINE_LATER, PLINE_SENT, PLINE_HELD };

struct pline {
	size_t off, len;       /* in the job's buffer */
	unsigned long no;
	enum pline_kind kind;
	unsigned held;         /* PLINE_HELD: its holder */
	struct cat_scan_sent f; /* PLINE_SENT: its fields */
};

struct pjob {
	struct input *in;
	/* a range: the lines that start in [at, at + PIPE_READ), read by the
	 * worker; at_line when at is known to start a line; what the worker
	 * found: lines (empty ones too), long lines, errno of a failed read */
	int ranged, at_line, err;
	off_t at;
	unsigned long n_no;
	unsigned long long long_lines;
	char *buf; /* PIPE_CAP + 1 bytes */
	struct pline *lines;
	size_t n_lines, lines_cap;
	struct cat_analysis *held[PIPE_HELD];
	/* the keys of its delivered lines (cat_scan_sent_key()), made by the
	 * thread that runs it: less for the one that counts */
	char *keys;
	size_t keys_cap;
};

struct pipe {
	struct scan_run *r;
	const struct cat_analyzer *an;
	const struct cat_scan *scan;
	struct jobs *pool;
	struct pjob *cur; /* being filled */
	/* reading by ranges: the number of the line before the next job's
	 * first; dead after a read error (the jobs after it are not counted) */
	unsigned long no_at;
	int dead;
};

/* Makes room for more lines in a job: -1 when out of memory. */
static int
pjob_grow(struct pjob *j)
{
	size_t cap = j->lines_cap ? 2 * j->lines_cap : 1024;
	struct pline *v = realloc(j->lines, cap * sizeof(*v));

	if (!v)
		return -1;
	j->lines = v;
	j->lines_cap = cap;
	return 0;
}

/* Adds a line to a job (once a line, in the worker: inlined, the room
 * made out of line): -1 when out of memory. */
static inline int
pjob_line(struct pjob *j, size_t off, size_t len, unsigned long no)
{
	struct pline *l;

	if (j->n_lines == j->lines_cap && pjob_grow(j) != 0)
		return -1;
	l = &j->lines[j->n_lines++];
	l->off = off;
	l->len = len;
	l->no = no;
	return 0;
}

/* Reads a range job's bytes from the file up to `to` (of its buffer):
 * *eof at the end of the file; -1 with j->err after an error. */
static int
pjob_read(struct pjob *j, size_t back, size_t *got, size_t to, int *eof)
{
	while (*got < to && !*eof) {
		ssize_t k = pread(j->in->fd, j->buf + *got, to - *got, j->at - (off_t)back + (off_t)*got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			j->err = errno;
			return -1;
		}
		if (k == 0)
			*eof = 1;
		*got += (size_t)k;
	}
	return 0;
}

/* A range job's bytes read and cut into lines as scan_lines() cuts them:
 * a line longer than LINE_CAP is read to there (and counted), the rest of
 * it skipped; a line ending at the end of the file without its newline
 * counts; empty lines are numbered, not kept. The job reads its range and
 * the byte before it (whether that ends a line tells whether the range
 * starts one), then, for its last line, what follows until its newline or
 * LINE_CAP + 1 bytes (a few KiB at a time: reading LINE_CAP past every
 * range copied half as much again as the log). Any thread. */
static void
pjob_cut(struct pjob *j)
{
	size_t back = j->at_line ? 0 : 1, lim = back + PIPE_READ, got = 0, p;
	unsigned long no = 0;
	int eof = 0;

	j->n_lines = 0;
	j->n_no = 0;
	j->long_lines = 0;
	j->err = 0;
	if (pjob_read(j, back, &got, lim, &eof) != 0)
		return;
	p = back;
	if (back && got && j->buf[0] != '\n') {
		/* the range starts inside a line: the next one is its first */
		const char *nl = memchr(j->buf, '\n', got);

		p = nl ? (size_t)(nl - j->buf) + 1 : got;
	}
	while (p < lim && p < got) {
		size_t rest = got - p, len, next;
		const char *nl = memchr(j->buf + p, '\n', rest < LINE_CAP + 1 ? rest : LINE_CAP + 1);

		if (!nl && !eof && rest < LINE_CAP + 1) {
			/* a line that runs past what was read: more of it */
			size_t to = p + LINE_CAP + 1;

			if (pjob_read(j, back, &got, got + 4096 < to ? got + 4096 : to, &eof) != 0)
				return;
			continue;
		}
		if (nl) {
			len = (size_t)(nl - (j->buf + p));
			next = p + len + 1;
		} else if (eof && rest <= LINE_CAP) {
			len = rest;
			next = got;
		} else {
			/* longer than LINE_CAP: its start is read, the rest
			 * skipped to the next line (past what was read: not
			 * one that starts in this range) */
			len = LINE_CAP;
			j->long_lines++;
			nl = rest > LINE_CAP + 1
				     ? memchr(j->buf + p + LINE_CAP + 1, '\n', rest - LINE_CAP - 1)
				     : NULL;
			next = nl ? (size_t)(nl - j->buf) + 1 : got;
		}
		if (len && j->buf[p + len - 1] == '\r')
			len--;
		no++;
		if (len && pjob_line(j, p, len, no) != 0) {
			j->err = ENOMEM;
			return;
		}
		p = next;
	}
	j->n_no = no;
}

/* Finds what each line of a job is. Any thread. */
static void
pipe_run(void *ctx, void *job, void **local)
{
	struct pipe *pp = ctx;
	struct pjob *j = job;
	struct cat_analysis *own = *local;
	size_t k, n_held = 0, at = 0, need;
	struct cat_error err;

	if (j->ranged)
		pjob_cut(j);
	/* a key is at most its line's bytes and three NULs; the room is made
	 * before the first, which later ones must not move */
	need = j->n_lines ? j->lines[j->n_lines - 1].off + j->lines[j->n_lines - 1].len -
				    j->lines[0].off + 3 * j->n_lines
			  : 0;
	if (need > j->keys_cap) {
		free(j->keys);
		j->keys = malloc(need);
		j->keys_cap = j->keys ? need : 0;
	}
	for (k = 0; k < j->n_lines; k++) {
		struct pline *l = &j->lines[k];
		const char *p = j->buf + l->off;

		l->kind = PLINE_LATER;
		if (cat_scan_sent_read(p, l->len, &l->f)) {
			size_t size = cat_scan_sent_key_size(&l->f);

			l->kind = PLINE_SENT;
			/* without room (out of memory) the count makes it */
			if (j->keys && at + size <= j->keys_cap) {
				cat_scan_sent_key(pp->scan, &l->f, j->keys + at);
				at += size;
			}
		} else if (n_held < PIPE_HELD && cat_analyze(pp->an, p, l->len, &own, &err) == CAT_OK &&
			   cat_analysis_move(own, &j->held[n_held], &err) == CAT_OK) {
			l->kind = PLINE_HELD;
			l->held = (unsigned)n_held++;
		}
	}
	*local = own;
}

/* Counts the lines of a job, in order. Main thread. */
static int
pipe_count(void *ctx, void *job)
{
	struct pipe *pp = ctx;
	struct scan_run *r = pp->r;
	struct pjob *j = job;
	const char *file = strcmp(j->in->name, "-") == 0 ? NULL : j->in->name;
	unsigned long base = j->ranged ? pp->no_at : 0;
	size_t k, i;

	if (j->ranged) {
		if (pp->dead)
			return 0;
		if (j->err == ENOMEM) {
			cli_error("out of memory");
			r->failed = 1;
			return -1;
		}
		if (j->err) {
			/* as a read of the input that fails: what came before counts */
			cli_error("%s: %s: what came before it is counted", j->in->name, strerror(j->err));
			j->in->broken = 1;
			pp->dead = 1;
			return 0;
		}
		pp->no_at += j->n_no;
		r->long_lines += j->long_lines;
	}
	for (k = 0; k < j->n_lines; k++) {
		const struct pline *l = &j->lines[k];
		const char *p = j->buf + l->off;
		struct cat_scan_from from = { file, base + l->no, 0, p, l->len };
		struct cat_scan_event ev;
		const struct cat_analysis *an;

		switch (l->kind) {
		case PLINE_SENT:
			r->lines++;
			if (cat_scan_sent_add(r->scan, &l->f, &from, &ev) < 0) {
				cli_error("out of memory");
				r->failed = 1;
				return -1;
			}
			if (pass_sent(r, &ev, &from) != 0)
				return -1;
			break;
		case PLINE_HELD:
			r->lines++;
			an = j->held[l->held];
			for (i = 0; i < an->n; i++)
				if (hand_on(r, an, i, &from) != 0)
					return -1;
			break;
		default:
			if (scan_line(r, j->in, p, l->len, base + l->no) != 0)
				return -1;
			break;
		}
	}
	return 0;
}

static void
pipe_clear(void *ctx, void *job)
{
	struct pjob *j = job;
	size_t i;

	(void)ctx;
	free(j->buf);
	free(j->lines);
	free(j->keys);
	for (i = 0; i < PIPE_HELD; i++)
		cat_analysis_free(j->held[i]);
}

static const struct jobs_ops pipe_ops = {
	.run = pipe_run,
	.finish = pipe_count,
	.clear = pipe_clear,
	.local_free = jobs_free_analysis,
};

/* A free job, its buffer holding the n bytes at p (a line begun). */
static struct pjob *
pipe_take(struct scan_run *r, struct input *in, const char *p, size_t n)
{
	struct pjob *j = jobs_take(r->pipe->pool);

	if (!j)
		return NULL;
	if (!j->buf && !(j->buf = malloc(PIPE_CAP + 1))) {
		cli_error("out of memory");
		r->failed = 1;
		return NULL;
	}
	memmove(j->buf, p, n);
	j->in = in;
	j->n_lines = 0;
	j->ranged = 0;
	return j;
}

/* Hands the job being filled on (or, with nothing in it, gives it back). */
static int
pipe_submit(struct scan_run *r)
{
	struct pipe *pp = r->pipe;
	struct pjob *j = pp->cur;

	if (!j)
		return 0;
	pp->cur = NULL;
	if (!j->n_lines) {
		jobs_drop(pp->pool, j);
		return 0;
	}
	return jobs_submit(pp->pool, j);
}

static int
pipe_line(struct scan_run *r, struct input *in, const char *p, size_t len, unsigned long no)
{
	struct pjob *j = r->pipe->cur;

	(void)in;
	if (pjob_line(j, (size_t)(p - j->buf), len, no) != 0) {
		cli_error("out of memory");
		r->failed = 1;
		return -1;
	}
	return 0;
}

/* The reader's next buffer, holding the n bytes at p (a line begun): the
 * job being filled goes to the workers, a new one is taken. NULL after an
 * error. */
static char *
pipe_next(struct scan_run *r, struct input *in, const char *p, size_t n)
{
	struct pipe *pp = r->pipe;
	struct pjob *j = pp->cur;

	if (j && !j->n_lines) {
		memmove(j->buf, p, n);
		return j->buf;
	}
	/* the old buffer is only read until the bytes are copied, and only
	 * this thread writes buffers: the new job may be the old one */
	if (pipe_submit(r) != 0 || !(j = pipe_take(r, in, p, n)))
		return NULL;
	pp->cur = j;
	return j->buf;
}

/* Whether the rest of an input can be read by ranges: a plain regular
 * file, known to be a log (not a message trace, whose rows may hold line
 * breaks), not followed. */
static int
ranges_ok(const struct scan_run *r, const struct input *in)
{
	return r->pipe && in->regular && !in->gz && !in->raw && !in->live && !in->broken &&
	       in->trace < 0;
}

/* The rest of an input, from `at` (a line's start; the line before it
 * numbered no), handed to the workers by ranges; the file is looked at
 * again at its end, as a read would find it grown. */
static int
pipe_ranges(struct scan_run *r, struct input *in, off_t at, unsigned long no)
{
	struct pipe *pp = r->pipe;
	struct stat st;
	off_t size = 0;
	int first = 1;

	pp->no_at = no;
	pp->dead = 0;
	in->ranged = 1;
	in->pos = at;
	for (;;) {
		struct pjob *j;

		if (at >= size) {
			if (fstat(in->fd, &st) != 0) {
				/* as a read that fails: what came before counts */
				cli_error("%s: %s: what came before it is counted", in->name,
					  strerror(errno));
				in->broken = 1;
				break;
			}
			if ((size = st.st_size) <= at)
				break;
		}
		if (!(j = jobs_take(pp->pool)))
			return -1;
		if (in->broken) {
			jobs_drop(pp->pool, j);
			break;
		}
		if (!j->buf && !(j->buf = malloc(PIPE_CAP + 1))) {
			jobs_drop(pp->pool, j);
			cli_error("out of memory");
			r->failed = 1;
			return -1;
		}
		j->in = in;
		j->n_lines = 0;
		j->ranged = 1;
		j->at = at;
		j->at_line = first;
		first = 0;
		at += PIPE_READ;
		in->pos = at < size ? at : size;
		if (jobs_submit(pp->pool, j) != 0)
			return -1;
		r->read_any = 1;
		progress_draw(r, in, 0);
	}
	return 0;
}

/* The end of an input: every job in flight is counted. */
static int
pipe_finish(struct scan_run *r)
{
	int rc = pipe_submit(r);

	return rc == 0 ? jobs_wait(r->pipe->pool) : rc;
}

static struct pipe *
pipe_new(struct scan_run *r, const struct cat_analyzer *an, unsigned threads)
{
	struct pipe *pp = calloc(1, sizeof(*pp));

	if (!pp)
		return NULL;
	pp->r = r;
	pp->an = an;
	pp->scan = r->scan;
	if (!threads)
		threads = jobs_cpu_count();
	if (threads > JOBS_MAX_THREADS)
		threads = JOBS_MAX_THREADS;
	/* two jobs per thread keep them busy while this one counts; it
	 * analyzes too while the next job to count is not done, so that on
	 * two CPUs one worker and this thread keep both busy */
	pp->pool = jobs_new(&pipe_ops, pp, sizeof(struct pjob), threads, threads > 1 ? 2 * threads + 1 : 1,
			    JOBS_HELP);
	if (!pp->pool) {
		free(pp);
		return NULL;
	}
	return pp;
}

static void
pipe_free(struct pipe *pp)
{
	if (!pp)
		return;
	jobs_free(pp->pool);
	free(pp);
}

/* The lines of an input, from the bytes already in buf[0..have) on. With
 * follow, the end of a regular file is waited at (it may grow) until a
 * signal; a pipe or FIFO ends when its writer closes it. */
static int
scan_lines(struct scan_run *r, struct input *in, char *buf, size_t have, int follow)
{
	unsigned long no = 0;
	size_t skipping = 0, cap = BLOCK;
	int eof = 0, rc = 0;

	if (r->pipe) {
		/* the lines are read into the jobs' buffers */
		if (!(r->pipe->cur = pipe_take(r, in, buf, have)))
			return -1;
		buf = r->pipe->cur->buf;
		cap = PIPE_CAP;
	}
	for (;;) {
		char *p = buf, *end = buf + have, *nl, *q;

		while (p < end) {
			size_t len;

			/* a CSV export's row may hold line breaks in a quoted
			 * field */
			if (in->trace > 0) {
				nl = p + cat_columns_row_end(p, (size_t)(end - p));
				nl = nl < end ? nl : NULL;
			} else {
				nl = memchr(p, '\n', (size_t)(end - p));
			}
			if (!nl && !eof && (size_t)(end - p) < LINE_CAP)
				break; /* an incomplete line: read more */
			len = (size_t)((nl ? nl : end) - p);
			if (skipping) {
				/* the rest of a line past LINE_CAP */
				if (nl)
					skipping = 0;
				p = nl ? nl + 1 : end;
				continue;
			}
			if (len > LINE_CAP) {
				len = LINE_CAP;
				nl = NULL;
			}
			if (!nl && !eof) {
				skipping = 1;
				r->long_lines++;
			}
			if (len && p[len - 1] == '\r')
				len--;
			no++;
			/* a CSV export is read by its header, row by row: its
			 * lines (and the first two, which decide it) are not
			 * handed to the threads */
			if (len && (r->pipe && in->trace < 0 ? pipe_line(r, in, p, len, no)
							     : scan_line(r, in, p, len, no)) != 0)
				return -1;
			/* the next row's number is that of its first line */
			for (q = p; in->trace > 0 && (q = memchr(q, '\n', (size_t)(p + len - q))) != NULL;
			     q++)
				no++;
			p = nl ? nl + 1 : p + len;
		}
		if (!eof && !skipping && ranges_ok(r, in)) {
			/* the workers read the rest, from this line's start */
			off_t at = lseek(in->fd, 0, SEEK_CUR);

			if (at >= (off_t)(end - p)) {
				if (pipe_submit(r) != 0 || pipe_ranges(r, in, at - (off_t)(end - p), no) != 0)
					return -1;
				break;
			}
		}
		if (!r->pipe)
			memmove(buf, p, (size_t)(end - p));
		else if (!(buf = pipe_next(r, in, p, (size_t)(end - p))))
			return -1;
		have = (size_t)(end - p);
		if (eof)
			break;
		/* the end of a damaged input: its last line may be cut, so
		 * only whole lines count */
		if (in->broken) {
			if (have)
				cli_error("%s: its last, incomplete line was not read", in->name);
			break;
		}
		for (;;) {
			ssize_t got;

			/* the lines read so far are counted: a summary may be due */
			if (in->live)
				follow_tick(r);
			if (in->live && !in->regular && follow_wait(r, in) != 0) {
				eof = 1;
				break;
			}
			got = input_read(in, buf + have, cap - have);
			if (got < 0)
				break; /* reported: the whole lines read count */
			if (got > 0) {
				have += (size_t)got;
				r->read_any = 1;
				progress_draw(r, in, 0);
				break;
			}
			if (!follow || !in->regular || stop_follow) {
				eof = 1;
				/* zlib tells a gzip file cut short only here */
				if (in->gz) {
					int e;
					const char *msg = gz_message(in->gz, &e);

					if (e != Z_OK) {
						cli_error("%s: %s: what came before it is counted",
							  in->name, msg);
						in->broken = 1;
						eof = 0;
					}
				}
				break;
			}
			/* a growing file: wait for more */
			{
				struct timespec ts = { 0, FOLLOW_MS * 1000000L };

				nanosleep(&ts, NULL);
			}
			if (in->gz)
				gzclearerr(in->gz);
		}
	}
	if (r->pipe && pipe_finish(r) != 0)
		return -1;
	return rc;
}

/* ------------------------------------------------------------ mailboxes */

static int
on_message(void *ctx, const char *file, unsigned long index, const char *msg, size_t len, int cut)
{
	struct scan_run *r = ctx;
	struct cat_scan_from from = { strcmp(file, "-") == 0 ? NULL : file, 0, index, msg, len };
	struct cat_error err;
	size_t i;

	(void)cut; /* the report comes before the returned original */
	r->lines++;
	if (len == 0)
		return 0;
	if (cat_analyze(r->an, msg, len, &r->res, &err) != CAT_OK) {
		cli_error("%s: message %lu: %s", file, index, err.msg);
		return 0;
	}
	for (i = 0; i < r->res->n; i++)
		if (hand_on(r, r->res, i, &from) != 0)
			return -1;
	return 0;
}

/* ------------------------------------------------------------ an input */

static int
open_input(struct input *in, const char *name)
{
	struct stat st;

	memset(in, 0, sizeof(*in));
	in->name = name;
	in->fd = strcmp(name, "-") == 0 ? STDIN_FILENO : open(name, O_RDONLY);
	if (in->fd < 0 || fstat(in->fd, &st) != 0) {
		cli_error("%s: %s", name, strerror(errno));
		if (in->fd > STDIN_FILENO)
			close(in->fd);
		in->fd = -1;
		return -1;
	}
	in->regular = S_ISREG(st.st_mode);
	in->fifo = S_ISFIFO(st.st_mode);
	in->size = in->regular ? st.st_size : 0;
	return 0;
}

static void
close_input(struct input *in)
{
	if (in->gz)
		gzclose_r(in->gz); /* closes the descriptor */
	else if (in->fd > STDIN_FILENO)
		close(in->fd);
	in->gz = NULL;
	in->fd = -1;
	if (in->cd)
		iconv_close(in->cd);
	in->cd = NULL;
	free(in->raw);
	in->raw = NULL;
}

/* Reads up to n bytes, waiting for them (a pipe gives them in pieces). */
static size_t
read_full(struct input *in, char *buf, size_t n)
{
	size_t have = 0;

	while (have < n) {
		ssize_t got = input_read(in, buf + have, n - have);

		if (got <= 0)
			break;
		have += (size_t)got;
	}
	return have;
}

/* One input: a directory of messages (Maildir), a mailbox or message, or
 * a log (plain or gzip). Returns -1 to stop (out of memory). */
static int
scan_input(struct scan_run *r, const char *name, char *buf, int last)
{
	struct input in;
	struct stat st;
	unsigned char magic[2];
	size_t have, n;
	int rc = 0;

	r->lines = r->events = r->long_lines = 0;
	if (strcmp(name, "-") != 0 && stat(name, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (mailbox_read(name, MSG_MAX, on_message, r) < 0)
			return r->failed ? -1 : 0;
		r->read_any = 1;
		goto said;
	}
	if (open_input(&in, name) != 0)
		return 0;
	/* gzip by its magic number, whatever the name; a pipe cannot be
	 * peeked at, so it is read through zlib, which passes other bytes on */
	n = in.regular ? (size_t)pread(in.fd, magic, 2, 0) : 0;
	/* a followed pipe is read as it comes, plain (zlib would wait for
	 * its buffer to fill): a live log is not compressed */
	in.live = last && r->o->follow;
	if ((!in.regular && !in.live) || (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b)) {
		in.gz = gzdopen(in.fd, "rb");
		if (!in.gz) {
			cli_error("%s: out of memory", name);
			close(in.fd);
			return -1;
		}
		gzbuffer(in.gz, BLOCK);
	}
	if (in.live && !in.regular) {
		/* a live pipe: what is there now, not a full peek */
		ssize_t got = follow_wait(r, &in) ? 0 : input_read(&in, buf, PEEK);

		have = got > 0 ? (size_t)got : 0;
	} else {
		have = read_full(&in, buf, PEEK);
	}
	if (have >= 2 && (((unsigned char)buf[0] == 0xff && (unsigned char)buf[1] == 0xfe) ||
			  ((unsigned char)buf[0] == 0xfe && (unsigned char)buf[1] == 0xff)) &&
	    utf16_begin(&in, buf, &have) != 0) {
		close_input(&in);
		return r->failed ? -1 : 0;
	}
	if (have >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		/* a UTF-8 byte order mark: not part of the first line */
		memmove(buf, buf + 3, have - 3);
		have -= 3;
	}
	if (have == 0) {
		if (!in.broken) {
			r->read_any = 1;
			cli_error("%s: empty", name);
		}
		close_input(&in);
		return 0;
	}
	r->read_any = 1;
	if (looks_binary(buf, have)) {
		cli_error("%s: a binary file, not a log or a mailbox: skipped", name);
		close_input(&in);
		r->done_bytes += (unsigned long long)in.size;
		return 0;
	}
	if (looks_message(buf, have)) {
		if (in.gz || !in.regular) {
			cli_error("%s: a mailbox is read from a file or a directory, not from a pipe or "
				  "a compressed file: skipped", name);
		} else {
			close_input(&in);
			if (mailbox_read(name, MSG_MAX, on_message, r) < 0 && r->failed)
				return -1;
			r->done_bytes += (unsigned long long)in.size;
			goto said;
		}
		close_input(&in);
		return 0;
	}
	rc = scan_lines(r, &in, buf, have, in.live);
	r->done_bytes += (unsigned long long)in.size;
	close_input(&in);
	if (rc != 0)
		return -1;
said:
	if (r->long_lines)
		cli_error("%s: %llu line%s longer than %d bytes: only the start of each was read",
			  name, r->long_lines, r->long_lines == 1 ? "" : "s", LINE_CAP);
	if (r->lines && !r->events)
		cli_error("%s: %llu %s, none of them a delivery, a bounce or a refusal this reads "
			  "(Postfix, Exim, Sendmail, qmail and Exchange logs; bounce messages)",
			  name, r->lines, r->lines == 1 ? "item" : "items");
	r->total_events += r->events;
	return 0;
}

/* ------------------------------------------------------------ text */

static void
put_time(FILE *f, long long t, int with_date)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];

	if (!t || !gmtime_r(&tt, &tm)) {
		fputs("-", f);
		return;
	}
	strftime(buf, sizeof(buf), with_date ? "%Y-%m-%d %H:%M" : "%H:%M", &tm);
	fputs(buf, f);
}

/* A sanitized string, cut to `max` columns' worth of bytes with "...". */
static void
put_text(FILE *f, const char *s, size_t max)
{
	struct tbuf b = { 0 };

	if (!s)
		s = "-";
	if (!text_sanitize(s, strlen(s), 0, &b)) {
		tbuf_free(&b);
		return;
	}
	if (max && b.len > max) {
		size_t k = max - 3;

		while (k && ((unsigned char)b.s[k] & 0xc0) == 0x80)
			k--; /* not inside a UTF-8 sequence */
		fwrite(b.s, 1, k, f);
		fputs("...", f);
	} else {
		fputs(b.s, f);
	}
	tbuf_free(&b);
}

/* The first sentence of a paragraph. */
static size_t
first_sentence(const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if (*p == '.' && (p[1] == ' ' || p[1] == '\0'))
			return (size_t)(p - s + 1);
	return strlen(s);
}

static void
put_sentence(FILE *f, const char *s, size_t col, size_t width)
{
	char *one;
	size_t n;

	if (!s)
		return;
	n = first_sentence(s);
	one = strndup(s, n);
	if (!one)
		return;
	text_wrap(f, one, col, col, width);
	fputc('\n', f);
	free(one);
}

static void
put_pct(FILE *f, const struct cat_scan_rate *q)
{
	char b[32];

	if (q->percent < 0)
		snprintf(b, sizeof(b), "-");
	else
		snprintf(b, sizeof(b), "%.2f%%", q->percent);
	fprintf(f, "%8s%s", b, q->over ? "!" : " ");
}

static const char *
row_label(const struct cat_scan_row *row, const char *none)
{
	return row->title ? row->title : row->name ? row->name : none;
}

enum { LABEL = 24 };

static void
put_row(FILE *f, const struct cat_scan_row *row, const char *label)
{
	struct tbuf b = { 0 };
	size_t i, w;

	fputs("  ", f);
	if (text_sanitize(label, strlen(label), 0, &b)) {
		w = text_width(b.s, b.len);
		if (w > LABEL) {
			put_text(f, label, LABEL);
			w = LABEL;
		} else {
			fputs(b.s, f);
		}
		fprintf(f, "%*s", (int)(LABEL - w), "");
	}
	tbuf_free(&b);
	fprintf(f, " %9llu %7llu %9llu", row->c.attempted,
		row->c.bounced + row->c.expired + row->c.deferred, row->c.deferrals);
	for (i = 0; i < CAT_SCAN_RATE_COUNT && i < row->n_rates; i++)
		if (row->rates[i].rate != CAT_SCAN_RATE_COMPLAINT)
			put_pct(f, &row->rates[i]);
	/* a threshold that counts one reason: shown where it has something */
	for (i = CAT_SCAN_RATE_COUNT; i < row->n_rates; i++) {
		const struct cat_scan_rate *q = &row->rates[i];

		if (q->percent >= 0 && (q->count || q->over)) {
			fprintf(f, "  %s ", q->reason ? q->reason : "");
			put_pct(f, q);
		}
	}
	fputc('\n', f);
}

/* A table: rows labelled by their title, or their name (by_name: the
 * name always; a domain's "title" is its provider). */
static void
put_table(FILE *f, const char *heading, const struct cat_scan_row *rows, size_t n, const char *none,
	  int by_name)
{
	size_t i;

	if (!n)
		return;
	fprintf(f, "\n%-*s %9s %7s %9s %9s %9s %9s %9s\n", LABEL + 2, heading, "attempted", "failed",
		"deferrals", "hard", "soft", "block", "bounce");
	for (i = 0; i < n; i++)
		put_row(f, &rows[i],
			by_name ? (rows[i].name ? rows[i].name : none) : row_label(&rows[i], none));
}

static void
put_code_head(FILE *f, const struct cat_scan_code *c)
{
	put_text(f, c->provider_name ? c->provider_name : c->provider ? c->provider : "", 40);
	if (c->provider_name || c->provider)
		fputc(' ', f);
	if (c->reply)
		fprintf(f, "%d ", c->reply);
	if (c->enhanced[0])
		fprintf(f, "%s ", c->enhanced);
}

static void
print_text(struct scan_run *r, const struct cat_scan_report *rep)
{
	FILE *f = r->out->f;
	size_t width = r->out->width ? r->out->width : 80, i, k;
	const struct cat_scan_row *t = &rep->total;

	fputs("bounce scan: ", f);
	put_time(f, rep->first, 1);
	fputs(" to ", f);
	put_time(f, rep->last, 1);
	fprintf(f, "\n  %llu recipients attempted: %llu sent, %llu deferred, %llu bounced, %llu "
		   "expired\n",
		t->c.attempted, t->c.sent, t->c.deferred, t->c.bounced, t->c.expired);
	fprintf(f, "  %llu deferrals (soft events); %llu recipients delivered after a deferral\n",
		t->c.deferrals, t->c.delayed);
	fprintf(f, "  %llu refusals by this server (inbound, not counted as bounces); %llu lines "
		   "of no delivery\n",
		rep->stats.kinds[CAT_SCAN_REFUSAL], rep->stats.kinds[CAT_SCAN_IGNORED]);
	if (rep->stats.kinds[CAT_SCAN_COMPLAINT])
		fprintf(f, "  %llu complaints\n", rep->stats.kinds[CAT_SCAN_COMPLAINT]);
	if (rep->stats.evicted)
		fprintf(f, "  %llu deferred recipients were no longer followed (the table was full) and "
			   "count as deferred\n",
			rep->stats.evicted);

	fputs("\nFix first\n", f);
	if (!rep->n_fix_first)
		fputs("  nothing on the sender's side\n", f);
	for (i = 0; i < rep->n_fix_first; i++) {
		const struct cat_scan_code *c = rep->fix_first[i];

		fprintf(f, "%3zu. ", i + 1);
		put_code_head(f, c);
		fprintf(f, "on %llu message%s", c->messages, c->messages == 1 ? "" : "s");
		if (c->failed != c->messages)
			fprintf(f, " (%llu failed)", c->failed);
		fputs(" since ", f);
		put_time(f, c->first, rep->last - rep->first >= 86400);
		fputs(": ", f);
		put_text(f, c->reason_title ? c->reason_title : c->reason, 0);
		fputc('\n', f);
		if (c->summary) {
			fputs("     ", f);
			put_sentence(f, c->summary, 5, width);
		}
		if (c->fix) {
			fputs("     Fix: ", f);
			put_sentence(f, c->fix, 10, width);
		}
		if (c->entry) {
			fputs("     Entry: ", f);
			put_text(f, c->entry, 0);
			fputs(" (bounce ", f);
			put_text(f, c->entry, 0);
			fputs(")\n", f);
		}
	}

	fputs("\nRates (of the recipients attempted)\n", f);
	for (i = 0; i < t->n_rates; i++) {
		const struct cat_scan_rate *q = &t->rates[i];
		char lim[32];

		fprintf(f, "  %-10s %-14s", cat_scan_rate_name(q->rate), q->reason ? q->reason : "");
		put_pct(f, q);
		if (q->limit >= 0)
			snprintf(lim, sizeof(lim), "limit %g%%", q->limit);
		else
			snprintf(lim, sizeof(lim), "no threshold");
		fprintf(f, "  %-14s %s%s\n", lim, q->over ? "OVER " : "",
			q->threshold ? q->threshold : "");
	}
	put_table(f, "Per provider", rep->providers, rep->n_providers, "(no provider)", 0);
	put_table(f, "Per recipient domain", rep->domains, rep->n_domains, "(the others)", 1);
	put_table(f, "Per reason", rep->reasons, rep->n_reasons, "(none)", 0);
	if (rep->n_refusals) {
		fputs("\nRefusals by this server (inbound)\n", f);
		for (i = 0; i < rep->n_refusals; i++) {
			fprintf(f, "  %9llu  ", rep->refusals[i].c.attempted);
			put_text(f, row_label(&rep->refusals[i], "-"), 60);
			fputc('\n', f);
		}
	}
	if (rep->n_points && t->series) {
		unsigned long long most = 1;

		fprintf(f, "\nOver time (per %s)%31s %9s %7s\n",
			rep->bucket >= 86400 ? "day" : rep->bucket >= 3600 ? "hour" : "point", "",
			"attempted", "failed");
		for (i = 0; i < rep->n_points; i++) {
			unsigned long long fl = t->series[i].bounced + t->series[i].expired +
						t->series[i].deferred;

			if (fl > most)
				most = fl;
		}
		for (i = 0; i < rep->n_points; i++) {
			const struct cat_scan_counts *c = &t->series[i];
			unsigned long long fl = c->bounced + c->expired + c->deferred;
			size_t bar = (size_t)(fl * 30 / most);

			fputs("  ", f);
			put_time(f, rep->start + (long long)i * rep->bucket, 1);
			fprintf(f, "%*s %9llu %7llu ", 30, "", c->attempted, fl);
			for (k = 0; k < bar; k++)
				fputc('#', f);
			fputc('\n', f);
		}
	}
	if (rep->n_codes) {
		fputs("\nTop codes\n", f);
		for (i = 0; i < rep->n_codes; i++) {
			const struct cat_scan_code *c = &rep->codes[i];

			fprintf(f, "%3zu. %llu x ", i + 1, c->events);
			put_code_head(f, c);
			fputs("(", f);
			put_text(f, c->reason, 0);
			fputs(")\n", f);
			if (c->sample) {
				fputs("     \"", f);
				put_text(f, c->sample, width > 12 ? width - 8 : 0);
				fputs("\"\n", f);
			}
			if (c->summary) {
				fputs("     ", f);
				put_sentence(f, c->summary, 5, width);
			}
			if (c->fix) {
				fputs("     Fix: ", f);
				put_sentence(f, c->fix, 10, width);
			}
		}
	}
}

/* ------------------------------------------------------------ CSV */

static void
csv_field(FILE *f, const char *s)
{
	struct tbuf b = { 0 };
	size_t i;

	if (!s)
		return;
	if (!text_sanitize(s, strlen(s), 0, &b)) {
		tbuf_free(&b);
		return;
	}
	if (!strpbrk(b.s, ",\"\n\r")) {
		fputs(b.s, f);
	} else {
		fputc('"', f);
		for (i = 0; i < b.len; i++) {
			if (b.s[i] == '"')
				fputc('"', f);
			fputc(b.s[i], f);
		}
		fputc('"', f);
	}
	tbuf_free(&b);
}

static void
csv_row(FILE *f, const char *record, const struct cat_scan_row *row)
{
	const struct cat_scan_counts *c = &row->c;
	size_t i;

	fprintf(f, "%s,", record);
	csv_field(f, row->name);
	fputc(',', f);
	csv_field(f, row->title);
	fprintf(f, ",%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu", c->attempted, c->sent,
		c->deferred, c->bounced, c->expired, c->delayed, c->deferrals, c->hard, c->soft,
		c->block, c->complaints);
	for (i = 0; i < CAT_SCAN_RATE_COUNT; i++) {
		const struct cat_scan_rate *q = &row->rates[i];

		if (q->percent >= 0)
			fprintf(f, ",%.2f", q->percent);
		else
			fputc(',', f);
	}
	fprintf(f, ",%s\n", row->over ? "yes" : "no");
}

static void
print_csv(struct scan_run *r, const struct cat_scan_report *rep)
{
	FILE *f = r->out->f;
	size_t i;

	fputs("record,name,title,attempted,sent,deferred,bounced,expired,delayed,deferrals,hard,soft,"
	      "block,complaints,hard_rate,soft_rate,block_rate,bounce_rate,complaint_rate,over\n",
	      f);
	csv_row(f, "total", &rep->total);
	for (i = 0; i < rep->n_providers; i++)
		csv_row(f, "provider", &rep->providers[i]);
	for (i = 0; i < rep->n_domains; i++)
		csv_row(f, "domain", &rep->domains[i]);
	for (i = 0; i < rep->n_reasons; i++)
		csv_row(f, "reason", &rep->reasons[i]);
}

/* ------------------------------------------------------------ the run */

static int
print_report(struct scan_run *r)
{
	const struct cat_scan_report *rep;
	struct cat_error err;

	if (cat_scan_report(r->scan, &rep, &err) != CAT_OK) {
		cli_error("%s", err.msg);
		return -1;
	}
	switch (r->o->format) {
	case SCAN_JSON:
		r->json_len = 0;
		if (cat_scan_report_json(rep, &r->json, &r->json_len, &r->json_cap) != CAT_OK) {
			cli_error("out of memory");
			return -1;
		}
		fwrite(r->json, 1, r->json_len, r->out->f);
		break;
	case SCAN_CSV:
		print_csv(r, rep);
		break;
	default: {
		/* laid out in memory, written without the spaces that pad
		 * the ends of lines */
		char *b = NULL, *p, *e, *nl;
		size_t n = 0;
		FILE *f = r->out->f, *mf = open_memstream(&b, &n);

		if (!mf) {
			cli_error("out of memory");
			return -1;
		}
		r->out->f = mf;
		print_text(r, rep);
		r->out->f = f;
		if (fclose(mf) != 0) {
			free(b);
			cli_error("out of memory");
			return -1;
		}
		for (p = b, e = b + n; p < e; p = nl + 1) {
			size_t len;

			nl = memchr(p, '\n', (size_t)(e - p));
			if (!nl)
				nl = e;
			for (len = (size_t)(nl - p); len && p[len - 1] == ' '; len--)
				;
			fwrite(p, 1, len, f);
			if (nl < e)
				fputc('\n', f);
		}
		free(b);
		break;
	}
	}
	fflush(r->out->f);
	return rep->total.over ? 1 : 0;
}

/* The end of what is kept for the browser: put in place when ok. */
static void
save_end(struct scan_run *r, int ok)
{
	char e[512];

	if (r->save && ok)
		save_settle(r);
	if (r->save &&
	    lastscan_end(r->save, ok, r->save_ignored, r->ign_first, r->ign_last, e, sizeof(e)) != 0 &&
	    ok)
		cli_error("the report is not kept for the browser: %s", e);
	r->save = NULL;
	free(r->sv_file);
	r->sv_file = NULL;
}

/* Where a file stands in its rotation: "mail.log.2.gz" is mail.log's
 * second older file, "mail.log-20261204.gz" the one of that date; the base
 * name's length goes to *base_len. Older files have larger keys. */
static long long
rotation(const char *name, size_t *base_len)
{
	size_t n = strlen(name), e = n, d;
	long long v = 0;

	if (e > 3 && strcmp(name + e - 3, ".gz") == 0)
		e -= 3;
	for (d = e; d > 0 && name[d - 1] >= '0' && name[d - 1] <= '9'; d--)
		;
	if (d < e && d > 0 && e - d <= 9 && (name[d - 1] == '.' || name[d - 1] == '-')) {
		const char *p;

		for (p = name + d; p < name + e; p++)
			v = v * 10 + (*p - '0');
		*base_len = d - 1;
		/* a date: the older, the smaller; a number: the older, the larger */
		return name[d - 1] == '-' ? 100000000LL - v : v;
	}
	*base_len = e;
	return 0;
}

/* The inputs in the order to read them: the files of one rotated log
 * oldest first (a shell lists mail.log* newest first), so that a message
 * deferred in one file and delivered in the next is followed; the others
 * as given. An insertion sort: the lists are short. */
static void
rotation_order(char **v, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		char *x = v[i];
		size_t bx, bj;
		long long kx = rotation(x, &bx), kj;

		for (j = i; j > 0; j--) {
			kj = rotation(v[j - 1], &bj);
			/* x goes before the newer files of its own log */
			if (bj != bx || strncmp(v[j - 1], x, bx) != 0 || kj >= kx)
				break;
			v[j] = v[j - 1];
		}
		v[j] = x;
	}
}

/* The year of syslog time stamps, which have none: the year the first
 * input was last written (a log is read after it was written), else now. */
static int
stamp_year(const struct scan_opts *o)
{
	struct stat st;
	time_t t = time(NULL);
	struct tm tm;
	size_t i;

	for (i = 0; i < o->n_args; i++)
		if (strcmp(o->args[i], "-") != 0 && stat(o->args[i], &st) == 0 && S_ISREG(st.st_mode)) {
			t = st.st_mtime;
			break;
		}
	return gmtime_r(&t, &tm) ? tm.tm_year + 1900 : 1970;
}

int
scan_run(struct catalog *cat, const struct scan_opts *o, struct cli_out *out)
{
	static char dash[] = "-";
	char *stdin_arg[] = { dash };
	struct scan_run r;
	struct cat_scan_opts so;
	struct cat_error err;
	struct sigaction sa;
	char **args = o->n_args ? o->args : stdin_arg;
	size_t n = o->n_args ? o->n_args : 1, i;
	char *buf = NULL;
	int rc = 2;

	memset(&r, 0, sizeof(r));
	rotation_order(args, n);
	r.o = o;
	r.out = out;
	r.cat = cat;
	memset(&so, 0, sizeof(so));
	so.max_open = o->max_open;
	so.top = o->top;
	so.year = stamp_year(o);
	if (cat_analyzer_new(cat, &r.an, &err) != CAT_OK ||
	    cat_scan_new(cat, r.an, &so, &r.scan, &err) != CAT_OK) {
		cli_error("%s", err.msg);
		goto out;
	}
	if (suppress_begin(&r.sup, cat, &o->sup) != 0)
		goto out;
	if (!o->no_save) {
		char e[512];

		struct lastscan_opts lo = { so.max_open, so.top, so.bucket };

		r.save = lastscan_begin(args, n, so.year, (long long)time(NULL), &lo, e, sizeof(e));
		if (!r.save)
			cli_error("the report is not kept for the browser: %s", e);
	}
	buf = malloc(BLOCK + 1);
	/* a log that is followed is read as it comes, line by line */
	if (!buf || (!o->follow && !(r.pipe = pipe_new(&r, r.an, o->threads)))) {
		cli_error("out of memory");
		goto out;
	}
	/* a progress bar: on a terminal, when every input has a size */
	if (o->progress && isatty(STDERR_FILENO)) {
		struct stat st;

		r.progress = 1;
		for (i = 0; i < n && r.progress; i++) {
			if (strcmp(args[i], "-") == 0 || stat(args[i], &st) != 0 || !S_ISREG(st.st_mode))
				r.progress = 0;
			else
				r.all_bytes += (unsigned long long)st.st_size;
		}
		clock_gettime(CLOCK_MONOTONIC, &r.last_draw);
	}
	if (o->follow && o->interval > 0) {
		/* summaries while following: NDJSON, or drawn on a terminal
		 * (text on a pipe is the report at the end alone) */
		if (o->format == SCAN_JSON)
			r.summaries = 1;
		else if (o->format == SCAN_TEXT && isatty(fileno(out->f)))
			r.summaries = 2;
		clock_gettime(CLOCK_MONOTONIC, &r.last_summary);
	}
	if (o->follow) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_stop;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	for (i = 0; i < n; i++)
		if (scan_input(&r, args[i], buf, i + 1 == n) != 0)
			break;
	progress_end(&r);
	if (r.summaries == 2)
		summary_draw(&r, NULL); /* the report replaces it */
	if (r.failed)
		goto out;
	if (!r.read_any) {
		cli_error("nothing could be read");
		goto out;
	}
	if (!r.total_events) {
		/* a report of nothing: only where a program reads it */
		if (o->format != SCAN_TEXT && print_report(&r) < 0)
			goto out;
		cli_error("no delivery, bounce or refusal was found in the input");
		goto out;
	}
	/* the run is committed only once everything was read */
	if (suppress_end(r.sup) != 0)
		goto out;
	save_end(&r, 1);
	rc = print_report(&r);
	if (rc < 0)
		rc = 2;
out:
	pipe_free(r.pipe);
	save_end(&r, 0);
	free(buf);
	free(r.json);
	cat_analysis_free(r.res);
	suppress_free(r.sup);
	cat_scan_free(r.scan);
	cat_analyzer_free(r.an);
	return rc;
}

int
scan_read(struct catalog *cat, char **args, size_t n, const struct scan_sink *sink,
	  struct cat_analyzer **an, struct cat_scan **scan)
{
	struct scan_opts o;
	struct scan_run r;
	struct cat_scan_opts so;
	struct cat_error err;
	struct stat st;
	char *buf = NULL;
	size_t i;
	int rc = 2;

	*an = NULL;
	*scan = NULL;
	rotation_order(args, n);
	memset(&o, 0, sizeof(o));
	o.args = args;
	o.n_args = n;
	memset(&r, 0, sizeof(r));
	r.o = &o;
	r.cat = cat;
	r.sink = sink;
	memset(&so, 0, sizeof(so));
	so.year = stamp_year(&o);
	if (cat_analyzer_new(cat, &r.an, &err) != CAT_OK ||
	    cat_scan_new(cat, r.an, &so, &r.scan, &err) != CAT_OK) {
		cli_error("%s", err.msg);
		goto out;
	}
	buf = malloc(BLOCK + 1);
	if (!buf || !(r.pipe = pipe_new(&r, r.an, 0))) {
		cli_error("out of memory");
		goto out;
	}
	/* progress: the sizes of the regular files (a pipe's are not known) */
	r.progress = 1;
	for (i = 0; i < n; i++)
		if (strcmp(args[i], "-") != 0 && stat(args[i], &st) == 0 && S_ISREG(st.st_mode))
			r.all_bytes += (unsigned long long)st.st_size;
	clock_gettime(CLOCK_MONOTONIC, &r.last_draw);
	for (i = 0; i < n; i++)
		if (scan_input(&r, args[i], buf, 0) != 0)
			break;
	if (r.failed)
		goto out;
	if (!r.read_any) {
		cli_error("nothing could be read");
		goto out;
	}
	rc = r.total_events ? 0 : 1;
	pipe_free(r.pipe);
	r.pipe = NULL;
	*an = r.an;
	*scan = r.scan;
	r.an = NULL;
	r.scan = NULL;
out:
	pipe_free(r.pipe);
	free(buf);
	cat_analysis_free(r.res);
	cat_scan_free(r.scan);
	cat_analyzer_free(r.an);
	return rc;
}

/* ------------------------------------------------------------ the last scan */

struct replay {
	struct scan_run *r;
	struct input in;
	char *name;
	const struct lastscan_info *info;
	struct catalog *cat;
};

/* The scan of the replay, made when its first record comes (the year of
 * syslog stamps is the saved one). */
static int
replay_scan(struct replay *p)
{
	struct cat_scan_opts so;
	struct cat_error err;

	if (p->r->scan)
		return 0;
	memset(&so, 0, sizeof(so));
	so.year = p->info->year;
	so.max_open = p->info->opts.max_open;
	so.top = p->info->opts.top;
	so.bucket = p->info->opts.bucket;
	if (cat_analyzer_new(p->cat, &p->r->an, &err) != CAT_OK ||
	    cat_scan_new(p->cat, p->r->an, &so, &p->r->scan, &err) != CAT_OK) {
		cli_error("%s", err.msg);
		return -1;
	}
	return 0;
}

static void
replay_file(void *ctx, const char *name)
{
	struct replay *p = ctx;

	free(p->name);
	p->name = strdup(name ? name : "-");
	p->in.name = p->name ? p->name : "-";
	p->in.trace = -1;
}

static int
replay_header(void *ctx, const char *text, size_t len)
{
	struct replay *p = ctx;

	p->in.trace = cat_columns_read(text, len, &p->in.cols) ? 1 : -1;
	return 0;
}

static int
replay_line(void *ctx, unsigned long no, const char *text, size_t len)
{
	struct replay *p = ctx;

	if (replay_scan(p) != 0)
		return -1;
	return scan_line(p->r, &p->in, text, len, no) != 0 ? -1 : 0;
}

static int
replay_message(void *ctx, unsigned long index, const char *text, size_t len)
{
	struct replay *p = ctx;

	if (replay_scan(p) != 0)
		return -1;
	return on_message(p->r, p->in.name, index, text, len, 0) != 0 ? -1 : 0;
}

static int
replay_count(void *ctx, const char *domain, const char *provider, long long first, long long last,
	     unsigned long long n)
{
	struct replay *p = ctx;

	if (replay_scan(p) != 0)
		return -1;
	if (cat_scan_sent_count(p->r->scan, domain, provider, first, last, n) != 0) {
		cli_error("out of memory");
		return -1;
	}
	return 0;
}

int
scan_replay(struct catalog *cat, const struct scan_sink *sink, struct cat_analyzer **an,
	    struct cat_scan **scan, struct lastscan_info *info, char *err, size_t errsize)
{
	struct scan_opts o;
	struct scan_run r;
	struct replay p;
	struct lastscan_sink ls = { replay_file, replay_header, replay_line, replay_message, replay_count,
				    &p };
	int rc;

	*an = NULL;
	*scan = NULL;
	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	memset(&p, 0, sizeof(p));
	r.o = &o;
	r.cat = cat;
	r.sink = sink;
	p.r = &r;
	p.cat = cat;
	p.info = info;
	p.in.name = "-";
	p.in.trace = -1;
	rc = lastscan_read(NULL, &ls, info, err, errsize);
	if (rc == 0 && (r.failed || replay_scan(&p) != 0)) {
		snprintf(err, errsize, "the last scan could not be read again");
		rc = -1;
	}
	if (rc == 0) {
		cat_scan_add_ignored(r.scan, info->ignored, info->ignored_first, info->ignored_last);
		*an = r.an;
		*scan = r.scan;
		r.an = NULL;
		r.scan = NULL;
	}
	free(p.name);
	cat_analysis_free(r.res);
	cat_scan_free(r.scan);
	cat_analyzer_free(r.an);
	return rc < 0 ? 2 : rc;
}

int
scan_last(struct catalog *cat, const struct scan_opts *o, struct cli_out *out)
{
	struct lastscan_info info;
	struct scan_run r;
	char err[600];
	int rc;

	memset(&r, 0, sizeof(r));
	r.o = o;
	r.out = out;
	r.cat = cat;
	rc = scan_replay(cat, NULL, &r.an, &r.scan, &info, err, sizeof(err));
	if (rc == 1) {
		cli_error("no scan was saved: bounce scan FILE... makes one");
		return 2;
	}
	if (rc != 0) {
		cli_error("the last scan's report is not shown: %s", err);
		return 2;
	}
	lastscan_info_free(&info);
	rc = print_report(&r);
	free(r.json);
	cat_scan_free(r.scan);
	cat_analyzer_free(r.an);
	return rc < 0 ? 2 : rc;
}
