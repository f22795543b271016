/* view_report.c: the Report view: the scan of mail logs and bounce mailboxes (bounce --log FILE...).
 *
 * The inputs are read by tui/scan.c (scan_read(), the reading of bounce
 * scan) and the report is the engine's (cat_scan_report()); this file lays
 * it out as a pane: the totals, each rate beside its threshold with a bar,
 * the providers with a bar per rate and a sparkline over time, the reasons
 * and what to fix first. Enter on a row drills down to the events behind
 * it (file:line), Enter on an event shows its diagnosis with the catalog
 * entries it matched as links, which open in the list views; Back climbs
 * up again. The failure events are kept while reading (their line, at most
 * EV_TEXT_MAX bytes each and EV_TEXT_BUDGET in all) so that the drill-down
 * needs no second pass over the logs.
 */
#include "view.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bounce/catalog.h"
#include "cli.h"
#include "detail.h"
#include "display.h"
#include "draw.h"
#include "format.h"
#include "keymap.h"
#include "lastscan.h"
#include "pane.h"
#include "role.h"
#include "scan.h"
#include "text.h"
#include "ui.h"

/* An event's input is kept up to EV_TEXT_MAX bytes (a log line; most bounce
 * messages), and inputs up to EV_TEXT_BUDGET bytes in all: past that the
 * events are still listed, with what the scan said of them. */
#define EV_TEXT_MAX (64 * 1024)
#define EV_TEXT_BUDGET (64u * 1024 * 1024)
#define NOTES_MAX 8

/* One failure, deferral or complaint as the scan counted it. Strings point
 * into the same allocation. */
struct rep_event {
	enum cat_scan_kind kind;
	enum cat_type type;
	long long when;
	unsigned long line, message;
	size_t diag; /* its diagnosis in the analysis of text */
	int reply;
	char enhanced[16];
	const char *file, *provider, *dprovider, *reason, *recipient, *entry;
	const char *text; /* the input, or NULL when it was not kept */
	size_t len;
	int row;          /* text is a row of a CSV export, read by cols */
	struct cat_columns cols;
};

/* What the events pane lists: the row Enter was pressed on. */
enum rep_filter { F_PROVIDER, F_REASON, F_RATE, F_FIX };

enum rep_level { LV_REPORT, LV_EVENTS, LV_EVENT };

struct report {
	int loaded;
	size_t n_inputs;
	char last[64];         /* the last bounce scan's report: when it ran */
	char inputs[512];      /* and what it read */
	struct cat_analyzer *an;
	struct cat_scan *scan;
	const struct cat_scan_report *rep;
	struct rep_event **ev;
	size_t nev, capev;
	size_t kept;           /* bytes of input kept */
	unsigned long long dropped; /* events whose input was not kept */
	char notes[NOTES_MAX][256];
	size_t nnotes, nnotes_all;
	int utf8;
	/* the panes of the three levels */
	enum rep_level level;
	struct pane main, events, one;
	int main_w;            /* width the report was laid out for */
	double spark_max;      /* the highest share of failures of a point */
	char events_title[400], one_title[300];
	struct cat_analysis *res; /* the event's analysis (level 2) */
	size_t one_event;      /* which event that is */
	struct ui *ui;         /* while reading: for the progress */
	int y, h, w;           /* the layout of the last frame */
};

/* ---------------------------------------------------------------- reading */

static char *
dupz(char **at, const char *s)
{
	char *p = *at;
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	memcpy(p, s, n);
	*at += n;
	return p;
}

static size_t
lenz(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* scan_sink.event: keeps what a drill-down lists. Sent recipients and
 * lines of no delivery are only counted (they are most of a log). */
static void
on_event(void *ctx, const struct cat_analysis *an, size_t i, const struct cat_scan_from *from,
	 const struct cat_columns *cols, const struct cat_scan_event *ev)
{
	struct report *r = ctx;
	const struct cat_diagnosis *d = &an->d[i];
	struct rep_event *e;
	size_t size, keep = 0;
	char *at;

	if (ev->kind != CAT_SCAN_DEFERRED && ev->kind != CAT_SCAN_BOUNCED &&
	    ev->kind != CAT_SCAN_EXPIRED && ev->kind != CAT_SCAN_COMPLAINT)
		return;
	if (from && from->text && from->len <= EV_TEXT_MAX && r->kept + from->len <= EV_TEXT_BUDGET)
		keep = from->len;
	else
		r->dropped++;
	size = sizeof(*e) + lenz(from ? from->file : NULL) + lenz(ev->provider) + lenz(d->provider) +
	       lenz(ev->reason) + lenz(ev->recipient) + lenz(ev->entry) + keep + 1;
	if (r->nev == r->capev) {
		size_t cap = r->capev ? r->capev * 2 : 256;
		struct rep_event **p = realloc(r->ev, cap * sizeof(*p));

		if (!p)
			ui_die("out of memory");
		r->ev = p;
		r->capev = cap;
	}
	e = malloc(size);
	if (!e)
		ui_die("out of memory");
	memset(e, 0, sizeof(*e));
	at = (char *)(e + 1);
	e->kind = ev->kind;
	e->type = ev->type;
	e->when = ev->when;
	e->line = from ? from->line : 0;
	e->message = from ? from->message : 0;
	e->diag = i;
	if (cols) {
		e->row = 1;
		e->cols = *cols;
	}
	e->reply = d->reply;
	memcpy(e->enhanced, d->enhanced, sizeof(e->enhanced));
	e->file = dupz(&at, from ? from->file : NULL);
	e->provider = dupz(&at, ev->provider);
	e->dprovider = dupz(&at, d->provider);
	e->reason = dupz(&at, ev->reason);
	e->recipient = dupz(&at, ev->recipient);
	e->entry = dupz(&at, ev->entry);
	if (keep) {
		memcpy(at, from->text, keep);
		at[keep] = '\0';
		e->text = at;
		e->len = keep;
		r->kept += keep;
	}
	r->ev[r->nev++] = e;
}

/* scan_sink.progress: the status line says how far reading is, drawn at
 * once (the loop does not run while the logs are read). */
static void
on_progress(void *ctx, const char *name, unsigned long long done, unsigned long long all)
{
	struct report *r = ctx;
	struct ui *ui = r->ui;

	if (all)
		ui_status(ui, 0, "reading %s: %llu%% of %llu MB, %zu events kept", name ? name : "-",
			  done * 100 / all, (all + (1 << 20) - 1) >> 20, r->nev);
	else
		ui_status(ui, 0, "reading %s: %zu events kept", name ? name : "-", r->nev);
	draw_text(LINES - 1, 0, COLS, ROLE_STATUS, ui->status, "status");
	display_flush();
}

/* cli_error() while reading: a note of the report (and the status line). */
static void
on_message(void *ctx, const char *msg)
{
	struct report *r = ctx;

	if (r->nnotes < NOTES_MAX)
		snprintf(r->notes[r->nnotes++], sizeof(r->notes[0]), "%s", msg);
	r->nnotes_all++;
}

int
view_report_load(struct ui *ui, struct view *v, char **args, size_t n)
{
	struct report *r = v->priv;
	struct scan_sink sink = { on_event, on_progress, r };
	struct cat_error err = { 0 };
	int rc;

	r->ui = ui;
	r->n_inputs = n;
	ui_status(ui, 0, "reading %zu input%s...", n, n == 1 ? "" : "s");
	draw_text(LINES - 1, 0, COLS, ROLE_STATUS, ui->status, "status");
	display_flush();
	cli_error_to(on_message, r);
	rc = scan_read(ui->cat, args, n, &sink, &r->an, &r->scan);
	cli_error_to(NULL, NULL);
	r->main_w = -1;
	if (rc == 2) {
		ui_status(ui, 1, "report: %s", r->nnotes ? r->notes[0] : "nothing could be read");
		return -1;
	}
	if (cat_scan_report(r->scan, &r->rep, &err) != CAT_OK) {
		ui_status(ui, 1, "report: %s", err.msg);
		return -1;
	}
	r->loaded = 1;
	if (r->nnotes)
		ui_status(ui, 1, "%s%s", r->notes[0],
			  r->nnotes_all > 1 ? " (more under Notes at the end of the report)" : "");
	else
		ui_status(ui, 0, "read %zu input%s: %llu recipients attempted, %zu events to drill into", n,
			  n == 1 ? "" : "s", r->rep->total.c.attempted, r->nev);
	return 0;
}

int
view_report_load_last(struct ui *ui, struct view *v)
{
	struct report *r = v->priv;
	struct scan_sink sink = { on_event, NULL, r };
	struct lastscan_info info;
	struct cat_error err = { 0 };
	char msg[600];
	time_t at;
	struct tm tm;
	size_t i, k = 0;
	int rc;

	if (r->loaded)
		return 0;
	r->ui = ui;
	cli_error_to(on_message, r);
	rc = scan_replay(ui->cat, &sink, &r->an, &r->scan, &info, msg, sizeof(msg));
	cli_error_to(NULL, NULL);
	r->main_w = -1;
	if (rc == 1) {
		ui_status(ui, 1, "no report: bounce scan FILE... or bounce --log FILE... makes one");
		return -1;
	}
	if (rc != 0) {
		/* a damaged or foreign file: said, and left alone */
		ui_status(ui, 1, "the last scan's report is not shown: %s", msg);
		return -1;
	}
	if (cat_scan_report(r->scan, &r->rep, &err) != CAT_OK) {
		ui_status(ui, 1, "report: %s", err.msg);
		lastscan_info_free(&info);
		return -1;
	}
	at = (time_t)info.at;
	if (gmtime_r(&at, &tm))
		strftime(r->last, sizeof(r->last), "%Y-%m-%d %H:%M UTC", &tm);
	for (i = 0; i < info.n_inputs && k + 4 < sizeof(r->inputs); i++) {
		int n = snprintf(r->inputs + k, sizeof(r->inputs) - k, "%s%s", i ? " " : "",
				 info.inputs[i]);

		k = n < 0 || (size_t)n >= sizeof(r->inputs) - k ? sizeof(r->inputs) - 1 : k + (size_t)n;
	}
	if (!info.n_inputs)
		snprintf(r->inputs, sizeof(r->inputs), "the standard input");
	r->n_inputs = info.n_inputs ? info.n_inputs : 1;
	lastscan_info_free(&info);
	r->loaded = 1;
	ui_status(ui, 0, "the last bounce scan, %s: %llu recipients attempted, %zu events to drill into",
		  r->last, r->rep->total.c.attempted, r->nev);
	return 0;
}

int
view_report_loaded(const struct view *v)
{
	const struct report *r = v->priv;

	return r->loaded;
}

/* ---------------------------------------------------------------- drawing words */

static void
put_cp(struct tbuf *b, unsigned cp)
{
	char u[4];

	if (!tbuf_add(b, u, text_utf8_encode(cp, u)))
		ui_die("out of memory");
}

static void
put_s(struct tbuf *b, const char *s)
{
	if (!tbuf_adds(b, s))
		ui_die("out of memory");
}

static void
put_f(struct tbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
put_f(struct tbuf *b, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put_s(b, buf);
}

/* s padded or cut to w columns (sanitized here: text is measured as shown). */
static void
put_col(struct tbuf *b, const char *s, int w)
{
	struct tbuf t = { 0 };
	size_t i = 0, col = 0;

	if (!text_sanitize(s ? s : "", s ? strlen(s) : 0, 0, &t))
		ui_die("out of memory");
	while (i < t.len) {
		unsigned cp;
		size_t n = text_utf8_decode(t.s + i, t.len - i, &cp), cw;

		if (n == 0)
			n = 1;
		cw = text_width(t.s + i, n);
		if (col + cw > (size_t)w)
			break;
		if (!tbuf_add(b, t.s + i, n))
			ui_die("out of memory");
		col += cw;
		i += n;
	}
	for (; col < (size_t)w; col++)
		put_s(b, " ");
	tbuf_free(&t);
}

/* A bar of `cells` cells filled to frac (0..1) in eighths of a cell, or in
 * whole '#' cells where the terminal does not read UTF-8. */
static void
put_bar(struct tbuf *b, int utf8, double frac, int cells)
{
	long eighths;
	int k;

	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	eighths = (long)(frac * cells * 8 + 0.5);
	if (!utf8)
		eighths = (eighths + 4) / 8 * 8;
	for (k = 0; k < cells; k++, eighths -= 8) {
		if (eighths >= 8)
			utf8 ? put_cp(b, 0x2588) : put_s(b, "#");
		else if (eighths > 0)
			put_cp(b, 0x2590 - (unsigned)eighths); /* U+258F one eighth .. U+2589 */
		else
			utf8 ? put_cp(b, 0x00b7) : put_s(b, ".");
	}
}

/* A rate of a provider or reason row: "12.50%!" and a bar that is full at
 * the threshold (the '!' says it is reached). */
static void
put_rate_cell(struct tbuf *b, int utf8, const struct cat_scan_rate *q, int cells)
{
	if (q->percent < 0)
		put_f(b, "%7s ", "-");
	else
		put_f(b, "%6.2f%%%c", q->percent, q->over ? '!' : ' ');
	if (cells && q->limit > 0)
		put_bar(b, utf8, q->percent > 0 ? q->percent / q->limit : 0, cells);
	else if (cells)
		put_f(b, "%*s", cells, ""); /* no threshold: nothing to measure against */
	put_s(b, " ");
}

static unsigned long long
failed_of(const struct cat_scan_counts *c)
{
	return c->bounced + c->expired + c->deferred;
}

/* The highest share of failures of any point of a series. */
static double
series_max(const struct cat_scan_counts *series, size_t n)
{
	double most = 0;
	size_t i;

	for (i = 0; series && i < n; i++)
		if (series[i].attempted &&
		    (double)failed_of(&series[i]) / (double)series[i].attempted > most)
			most = (double)failed_of(&series[i]) / (double)series[i].attempted;
	return most;
}

/* A sparkline of a row's series in `cells` cells: the share of the
 * recipients attempted that failed, per point (points put together when
 * there are more than cells), scaled to `most` (the highest point of the
 * report, so that rows compare and a flat low rate looks low); a blank
 * where nothing was attempted. */
static void
put_spark(struct tbuf *b, int utf8, const struct cat_scan_counts *series, size_t n, int cells,
	  double most)
{
	static const char ascii[] = "_.-:=+*#";
	double v[256];
	int m = cells < 256 ? cells : 256, k;
	size_t per, i;

	if (!series || n == 0 || m <= 0)
		return;
	if ((size_t)m > n)
		m = (int)n;
	per = (n + (size_t)m - 1) / (size_t)m;
	m = (int)((n + per - 1) / per);
	for (k = 0; k < m; k++) {
		unsigned long long att = 0, fl = 0;

		for (i = (size_t)k * per; i < n && i < (size_t)(k + 1) * per; i++) {
			att += series[i].attempted;
			fl += failed_of(&series[i]);
		}
		v[k] = att ? (double)fl / (double)att : -1;
	}
	for (k = 0; k < m; k++) {
		int lv;

		if (v[k] < 0) {
			put_s(b, " ");
			continue;
		}
		lv = most > 0 ? (int)(v[k] / most * 7 + 0.5) : 0;
		if (lv > 7)
			lv = 7;
		if (utf8)
			put_cp(b, 0x2581 + (unsigned)lv);
		else
			put_f(b, "%c", ascii[lv]);
	}
}

static void
fmt_time(char *buf, size_t size, long long t, int with_date)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !gmtime_r(&tt, &tm))
		snprintf(buf, size, "-");
	else
		strftime(buf, size, with_date ? "%Y-%m-%d %H:%M" : "%H:%M", &tm);
}

/* ---------------------------------------------------------------- the report */

/* Keys of the report's rows: a letter for what it is and an index. */
static struct line *
add_row(struct pane *p, enum draw_role role, struct tbuf *b, char kind, size_t index, int over)
{
	char key[32];
	struct line *l;

	snprintf(key, sizeof(key), "%c%zu", kind, index);
	l = pane_add(p, role, b->s ? b->s : "", kind ? key : NULL, 0);
	if (over) {
		l->badge = "OVER";
		l->badge_role = ROLE_HARD;
	}
	tbuf_reset(b);
	return l;
}

static const char *
row_label(const struct cat_scan_row *row, const char *none)
{
	return row->title ? row->title : row->name ? row->name : none;
}

/* The columns of a provider row: " label attempted failed " (1 + label +
 * 16), four rates of "12.50%!" and a bar of `cells` (9 + cells each), the
 * sparkline, and room for the OVER badge (6). */
enum { COUNTS_W = 16, RATE_W = 9, BADGE_W = 6 };

static void
table_row(struct report *r, struct tbuf *b, const struct cat_scan_row *row, const char *none,
	  int label_w, int cells, int spark_w)
{
	size_t i;

	put_s(b, " ");
	put_col(b, row_label(row, none), label_w);
	put_f(b, " %7llu %6llu ", row->c.attempted, failed_of(&row->c));
	for (i = 0; i < CAT_SCAN_RATE_COUNT && i < row->n_rates; i++)
		if (row->rates[i].rate != CAT_SCAN_RATE_COMPLAINT)
			put_rate_cell(b, r->utf8, &row->rates[i], cells);
	if (spark_w > 0 && row->series)
		put_spark(b, r->utf8, row->series, r->rep->n_points, spark_w, r->spark_max);
}

static void
table_head(struct tbuf *b, int label_w, int cells, int spark_w)
{
	static const char *const names[] = { "hard", "soft", "block", "bounce" };
	size_t i;

	put_s(b, " ");
	put_col(b, "", label_w);
	put_f(b, " %7s %6s ", "attempt", "failed");
	for (i = 0; i < 4; i++)
		put_f(b, "%6s%-*s", names[i], RATE_W - 6 + cells, "");
	if (spark_w > 0)
		put_s(b, "failures");
}

static void
build_main(struct report *r, int width)
{
	const struct cat_scan_report *rep = r->rep;
	const struct cat_scan_row *t = &rep->total;
	struct pane *p = &r->main;
	struct tbuf b = { 0 };
	char t1[32], t2[32];
	int label_w, cells, spark_w;
	size_t i;

	pane_clear(p);
	r->main_w = width;
	r->spark_max = series_max(t->series, rep->n_points);
	for (i = 0; i < rep->n_providers; i++)
		if (series_max(rep->providers[i].series, rep->n_points) > r->spark_max)
			r->spark_max = series_max(rep->providers[i].series, rep->n_points);
	/* the bars from 96 columns, wider labels from 100 */
	label_w = width >= 120 ? 24 : width >= 100 ? 18 : 16;
	cells = width >= 96 ? 4 : 0;
	spark_w = width - (1 + label_w + COUNTS_W + 4 * (RATE_W + cells)) - BADGE_W;
	if (spark_w > 48)
		spark_w = 48;
	if (spark_w < 6)
		spark_w = 0;

	/* the totals */
	fmt_time(t1, sizeof(t1), rep->first, 1);
	fmt_time(t2, sizeof(t2), rep->last, 1);
	put_f(&b, "Scan of %zu input%s: %s to %s", r->n_inputs, r->n_inputs == 1 ? "" : "s", t1, t2);
	view_add_header(p, b.s);
	tbuf_reset(&b);
	if (r->last[0]) {
		put_f(&b, " The last bounce scan, %s: %s", r->last, r->inputs);
		add_row(p, ROLE_DIM, &b, 0, 0, 0);
	}
	put_f(&b, " %llu recipients attempted: %llu sent, %llu deferred, %llu bounced, %llu expired",
	      t->c.attempted, t->c.sent, t->c.deferred, t->c.bounced, t->c.expired);
	add_row(p, ROLE_TEXT, &b, 0, 0, 0);
	put_f(&b, " %llu deferrals, %llu delivered late; %llu inbound refusals (not bounces)",
	      t->c.deferrals, t->c.delayed, rep->stats.kinds[CAT_SCAN_REFUSAL]);
	add_row(p, ROLE_DIM, &b, 0, 0, 0);
	if (rep->n_points && t->series) {
		fmt_time(t2, sizeof(t2), rep->start, rep->bucket >= 86400);
		put_f(&b, " Failures over time (%zu %s from %s): ", rep->n_points,
		      rep->bucket >= 86400 ? "days" : rep->bucket >= 3600 ? "hours" : "points", t2);
		put_spark(&b, r->utf8, t->series, rep->n_points, width - 50 > 8 ? width - 50 : 8,
			  r->spark_max);
		add_row(p, ROLE_TEXT, &b, 0, 0, 0);
	}

	/* the rates beside their thresholds: the bar is twice the threshold
	 * long, with the threshold in the middle */
	pane_add(p, ROLE_TEXT, "", NULL, 0);
	view_add_header(p, "Rates of the recipients attempted, beside their thresholds");
	for (i = 0; i < t->n_rates; i++) {
		const struct cat_scan_rate *q = &t->rates[i];
		char lim[48];

		put_s(&b, " ");
		put_col(&b, cat_scan_rate_name(q->rate), 10);
		put_col(&b, q->reason ? q->reason : "", 14);
		if (q->percent < 0)
			put_f(&b, "%7s  ", "-");
		else
			put_f(&b, "%6.2f%%%c ", q->percent, q->over ? '!' : ' ');
		if (q->limit > 0 && q->percent >= 0) {
			double f = q->percent / (2 * q->limit);

			put_bar(&b, r->utf8, f * 2, 10);
			r->utf8 ? put_cp(&b, 0x2502) : put_s(&b, "|");
			put_bar(&b, r->utf8, f * 2 - 1, 10);
			snprintf(lim, sizeof(lim), "  limit %g%%", q->limit);
		} else {
			put_col(&b, "", 21);
			snprintf(lim, sizeof(lim), "  no threshold");
		}
		put_s(&b, lim);
		add_row(p, ROLE_TEXT, &b, 't', i, q->over);
	}

	/* the providers */
	pane_add(p, ROLE_TEXT, "", NULL, 0);
	view_add_header(p, "Providers (the bar of a rate is full at its threshold)");
	table_head(&b, label_w, cells, spark_w);
	add_row(p, ROLE_DIM, &b, 0, 0, 0);
	for (i = 0; i < rep->n_providers; i++) {
		table_row(r, &b, &rep->providers[i], "(no provider)", label_w, cells, spark_w);
		add_row(p, ROLE_TEXT, &b, 'p', i, rep->providers[i].over);
	}

	/* the reasons */
	if (rep->n_reasons) {
		pane_add(p, ROLE_TEXT, "", NULL, 0);
		view_add_header(p, "Reasons of the failures and deferrals");
		for (i = 0; i < rep->n_reasons; i++) {
			const struct cat_scan_row *row = &rep->reasons[i];

			put_s(&b, " ");
			put_col(&b, row->name ? row->name : "(none)", 24);
			put_f(&b, " %7llu failed %7llu deferrals  ", failed_of(&row->c), row->c.deferrals);
			put_s(&b, row->title ? row->title : "");
			add_row(p, ROLE_TEXT, &b, 'r', i, row->over);
		}
	}

	/* fix first */
	pane_add(p, ROLE_TEXT, "", NULL, 0);
	view_add_header(p, "Fix first: the sender-side causes, by the mail they cost");
	if (!rep->n_fix_first)
		pane_add(p, ROLE_DIM, " nothing on the sender's side", NULL, 0);
	for (i = 0; i < rep->n_fix_first; i++) {
		const struct cat_scan_code *c = rep->fix_first[i];
		const char *prov = c->provider_name ? c->provider_name : c->provider;

		fmt_time(t1, sizeof(t1), c->first, rep->last - rep->first >= 86400);
		put_f(&b, " %zu. %s%s", i + 1, prov ? prov : "", prov ? " " : "");
		if (c->reply)
			put_f(&b, "%d ", c->reply);
		if (c->enhanced[0])
			put_f(&b, "%s ", c->enhanced);
		put_f(&b, "on %llu message%s since %s: %s", c->messages, c->messages == 1 ? "" : "s", t1,
		      c->reason_title ? c->reason_title : c->reason ? c->reason : "");
		add_row(p, ROLE_BLOCK, &b, 'f', i, 0);
		if (c->fix)
			detail_add_field(p, width - 2, "    Fix", c->fix);
	}

	/* what reading said */
	if (r->nnotes_all || r->dropped) {
		pane_add(p, ROLE_TEXT, "", NULL, 0);
		view_add_header(p, "Notes");
		for (i = 0; i < r->nnotes; i++)
			pane_add(p, ROLE_NOTICE, r->notes[i], NULL, 0)->indent = 1;
		if (r->nnotes_all > r->nnotes) {
			put_f(&b, "and %zu more", r->nnotes_all - r->nnotes);
			add_row(p, ROLE_NOTICE, &b, 0, 0, 0)->indent = 1;
		}
		if (r->dropped) {
			put_f(&b, "%llu events are listed without their line (longer than %d KiB, or past "
				  "%u MiB kept)",
			      r->dropped, EV_TEXT_MAX / 1024, EV_TEXT_BUDGET >> 20);
			add_row(p, ROLE_NOTICE, &b, 0, 0, 0)->indent = 1;
		}
	}
	tbuf_free(&b);
	pane_refilter(p);
	pane_first(p);
}

/* ---------------------------------------------------------------- drilling down */

static int
same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int
failure(const struct rep_event *e)
{
	return e->kind == CAT_SCAN_BOUNCED || e->kind == CAT_SCAN_EXPIRED ||
	       e->kind == CAT_SCAN_DEFERRED;
}

/* Whether event e is behind the row (filter f, index i) of the report. */
static int
matches(const struct report *r, const struct rep_event *e, enum rep_filter f, size_t i)
{
	const struct cat_scan_rate *q;
	const struct cat_scan_code *c;

	switch (f) {
	case F_PROVIDER:
		return failure(e) && same(e->provider, r->rep->providers[i].name);
	case F_REASON:
		return failure(e) && same(e->reason, r->rep->reasons[i].name);
	case F_FIX:
		c = r->rep->fix_first[i];
		return same(e->reason, c->reason) && e->reply == c->reply &&
		       strcmp(e->enhanced, c->enhanced) == 0 &&
		       same(e->dprovider ? e->dprovider : e->provider, c->provider);
	case F_RATE:
		q = &r->rep->total.rates[i];
		if (q->reason && !same(e->reason, q->reason))
			return 0;
		switch (q->rate) {
		case CAT_SCAN_RATE_HARD:
			return failure(e) && e->type == CAT_TYPE_HARD;
		case CAT_SCAN_RATE_SOFT:
			return failure(e) && e->type == CAT_TYPE_SOFT;
		case CAT_SCAN_RATE_BLOCK:
			return failure(e) && e->type == CAT_TYPE_BLOCK;
		case CAT_SCAN_RATE_BOUNCE:
			return failure(e);
		case CAT_SCAN_RATE_COMPLAINT:
			return e->kind == CAT_SCAN_COMPLAINT;
		case CAT_SCAN_RATE_COUNT:
			break;
		}
		return 0;
	}
	return 0;
}

/* Where an event came from: file:line, or file message N. */
static void
put_where(struct tbuf *b, const struct rep_event *e)
{
	put_s(b, e->file ? e->file : "(stdin)");
	if (e->line)
		put_f(b, ":%lu", e->line);
	else if (e->message)
		put_f(b, " message %lu", e->message);
}

static void
build_events(struct report *r, enum rep_filter f, size_t i, const char *what)
{
	struct pane *p = &r->events;
	struct tbuf b = { 0 };
	char t[32], key[32];
	size_t k, n = 0;

	pane_clear(p);
	for (k = 0; k < r->nev; k++) {
		const struct rep_event *e = r->ev[k];
		struct line *l;

		if (!matches(r, e, f, i))
			continue;
		fmt_time(t, sizeof(t), e->when, 0);
		put_s(&b, " ");
		put_where(&b, e);
		put_f(&b, "  %s  %-9s ", t, cat_scan_kind_name(e->kind));
		if (e->reply)
			put_f(&b, "%d ", e->reply);
		if (e->enhanced[0])
			put_f(&b, "%s ", e->enhanced);
		put_f(&b, " %s  %s", e->recipient ? e->recipient : "-", e->reason ? e->reason : "-");
		snprintf(key, sizeof(key), "e%zu", k);
		l = pane_add(p, ROLE_TEXT, b.s, key, 0);
		l->badge = fmt_rating_word(fmt_rating_of(e->reply / 100, e->type));
		l->badge_role = view_type_role(e->type);
		tbuf_reset(&b);
		n++;
	}
	if (!n)
		pane_add(p, ROLE_DIM, " no event of this row was kept", NULL, 0);
	snprintf(r->events_title, sizeof(r->events_title), " Events of %.200s: %zu (Enter explains one, "
		 "Backspace returns)", what, n);
	tbuf_free(&b);
	pane_refilter(p);
	pane_first(p);
}

/* One event: its line, then its diagnosis as the analyzer shows it, with
 * the catalog entries as links. */
static void
build_event(struct ui *ui, struct report *r, const struct rep_event *e, int width)
{
	struct pane *p = &r->one;
	struct cat_error err = { 0 };
	struct fmt_fields f = { 0 };
	struct tbuf b = { 0 };
	char buf[2048], word[16];
	struct line *l;
	size_t k, n;

	pane_clear(p);
	put_where(&b, e);
	snprintf(r->one_title, sizeof(r->one_title), " %s (Backspace returns)", b.s);
	tbuf_reset(&b);
	cat_analysis_free(r->res);
	r->res = NULL;
	if (e->text &&
	    (e->row ? cat_analyze_row(r->an, &e->cols, e->text, e->len, &r->res, &err)
		    : cat_analyze(r->an, e->text, e->len, &r->res, &err)) == CAT_OK &&
	    e->diag < r->res->n) {
		const struct cat_diagnosis *d = &r->res->d[e->diag];

		if (e->line)
			detail_add_field(p, width, "Line", e->text);
		fmt_type_word(d, word, sizeof(word));
		n = (size_t)snprintf(buf, sizeof(buf), "%-11s %s  ", "Diagnosis", word);
		fmt_diagnosis_heading(d, buf + n, sizeof(buf) - n);
		l = pane_add(p, view_type_role(d->type), buf, NULL, 0);
		l->mark = 12 + strlen(word);
		/* the entries first: they are what Enter opens */
		if (d->n_entries) {
			l = pane_add(p, ROLE_FIELD, "Entries", NULL, 0);
			l->mark = strlen(l->text);
			for (k = 0; k < d->n_entries; k++)
				view_add_entry_link(ui, p, d->entries[k],
						    view_code_cls(e->reply, e->enhanced));
		}
		if (fmt_diagnosis_fields(r->res, e->diag, e->text, e->len, FMT_PANE, &f) != 0)
			ui_die("out of memory");
		for (k = 0; k < f.n; k++)
			detail_add_field(p, width, f.v[k].label, f.v[k].body);
		fmt_fields_free(&f);
	} else {
		/* the line was not kept: what the scan said of it */
		put_f(&b, "%s  %s", cat_scan_kind_name(e->kind), e->reason ? e->reason : "-");
		detail_add_field(p, width, "Event", b.s);
		detail_add_field(p, width, "Recipient", e->recipient ? e->recipient : "-");
		detail_add_field(p, width, "Line", "not kept (see Notes in the report)");
		if (e->entry) {
			l = pane_add(p, ROLE_FIELD, "Entries", NULL, 0);
			l->mark = strlen(l->text);
			view_add_entry_link(ui, p, e->entry, view_code_cls(e->reply, e->enhanced));
		}
	}
	tbuf_free(&b);
	pane_refilter(p);
	pane_first(p);
}

/* Enter on a row of the report. */
static void
drill(struct ui *ui, struct report *r, const struct line *l)
{
	size_t i = (size_t)strtoul(l->key + 1, NULL, 10);
	char what[256];
	enum rep_filter f;

	switch (l->key[0]) {
	case 'p':
		f = F_PROVIDER;
		snprintf(what, sizeof(what), "%s", row_label(&r->rep->providers[i], "no provider"));
		break;
	case 'r':
		f = F_REASON;
		snprintf(what, sizeof(what), "%s", row_label(&r->rep->reasons[i], "no reason"));
		break;
	case 'f':
		f = F_FIX;
		snprintf(what, sizeof(what), "fix-first %zu", i + 1);
		break;
	case 't':
		f = F_RATE;
		snprintf(what, sizeof(what), "the %s rate%s%s",
			 cat_scan_rate_name(r->rep->total.rates[i].rate),
			 r->rep->total.rates[i].reason ? ": " : "",
			 r->rep->total.rates[i].reason ? r->rep->total.rates[i].reason : "");
		break;
	default:
		return;
	}
	build_events(r, f, i, what);
	r->level = LV_EVENTS;
	(void)ui;
}

/* ---------------------------------------------------------------- the view */

static int
report_open(struct ui *ui, struct view *v)
{
	struct report *r = v->priv;

	(void)ui;
	r->utf8 = text_utf8_terminal();
	r->main_w = -1;
	return 0;
}

static void
report_close(struct view *v)
{
	struct report *r = v->priv;
	size_t i;

	for (i = 0; i < r->nev; i++)
		free(r->ev[i]);
	free(r->ev);
	pane_free(&r->main);
	pane_free(&r->events);
	pane_free(&r->one);
	cat_analysis_free(r->res);
	cat_scan_free(r->scan);
	cat_analyzer_free(r->an);
}

static struct pane *
shown_pane(struct report *r)
{
	return r->level == LV_EVENT ? &r->one : r->level == LV_EVENTS ? &r->events : &r->main;
}

static void
report_draw(struct ui *ui, struct view *v, int y, int x, int h, int w)
{
	struct report *r = v->priv;
	const char *title;
	char right[64];
	struct pane *p;

	r->y = y;
	r->h = h;
	r->w = w;
	if (!r->loaded) {
		draw_title(y, x, w, 1, " Report", NULL, "report-title");
		draw_text(y + 1, x, w, ROLE_DIM, " No report: bounce --log FILE... reads mail logs into one",
			  "report");
		return;
	}
	if (r->main_w != w)
		build_main(r, w);
	p = shown_pane(r);
	title = r->level == LV_EVENT ? r->one_title : r->level == LV_EVENTS ? r->events_title
									     : " Report";
	right[0] = '\0';
	if (p->nvis > (size_t)(h - 1))
		snprintf(right, sizeof(right), "%zu-%zu of %zu", p->top + 1,
			 p->top + (size_t)(h - 1) < p->nvis ? p->top + (size_t)(h - 1) : p->nvis,
			 p->nvis);
	draw_title(y, x, w, 1, title, right[0] ? right : NULL, "report-title");
	pane_draw(ui, p, y + 1, x, h - 1, w, 1, "report");
}

static void
report_hints(const struct ui *ui, const struct view *v, char *buf, size_t size)
{
	const struct report *r = v->priv;

	(void)ui;
	if (r->level == LV_EVENT)
		snprintf(buf, size, "j/k links  Enter open entry  Backspace events  q close  h help");
	else if (r->level == LV_EVENTS)
		snprintf(buf, size, "j/k move  Enter explain  Backspace report  q close  h help");
	else
		snprintf(buf, size, "j/k rows  Enter drill down  Backspace/q close  1-5 lists  h help");
}

static enum view_result
report_handle(struct ui *ui, struct view *v, enum keymap_action a, struct view_req *req)
{
	struct report *r = v->priv;
	struct pane *p = shown_pane(r);
	const struct line *l;

	if (pane_action(p, a))
		return VIEW_HANDLED;
	switch (a) {
	case ACT_OPEN:
		l = pane_selected(p);
		if (!r->loaded || !l || !l->key) {
			ui_status(ui, 1, "nothing to open here");
			return VIEW_HANDLED;
		}
		if (r->level == LV_REPORT) {
			drill(ui, r, l);
		} else if (r->level == LV_EVENTS) {
			size_t i = (size_t)strtoul(l->key + 1, NULL, 10);

			if (i < r->nev) {
				build_event(ui, r, r->ev[i], r->w - 2);
				r->one_event = i;
				r->level = LV_EVENT;
			}
		} else {
			req->kind = VIEW_REQ_OPEN;
			req->key = strdup(l->key);
			req->cls = l->cls;
			if (!req->key)
				ui_die("out of memory");
		}
		return VIEW_HANDLED;
	case ACT_BACK:
		if (r->level == LV_REPORT)
			req->kind = VIEW_REQ_CLOSE;
		else
			r->level = r->level == LV_EVENT ? LV_EVENTS : LV_REPORT;
		return VIEW_HANDLED;
	case ACT_CLOSE:
		req->kind = VIEW_REQ_CLOSE;
		return VIEW_HANDLED;
	case ACT_REPORT:
		r->level = LV_REPORT;
		return VIEW_HANDLED;
	case ACT_FOCUS:
		return VIEW_HANDLED;
	case ACT_VIEW_CODES:
	case ACT_VIEW_ENHANCED:
	case ACT_VIEW_PROVIDERS:
	case ACT_VIEW_REASONS:
	case ACT_VIEW_GUIDE:
	case ACT_ANALYZE:
	case ACT_SEARCH:
	case ACT_SEARCH_BACK:
		/* closes, and the global action switches or searches */
		req->kind = VIEW_REQ_CLOSE;
		return VIEW_UNHANDLED;
	default:
		return VIEW_UNHANDLED;
	}
}

/* What is shown as text (y, |, s): an event's line with its diagnosis as
 * bounce explain prints it, else the lines of the pane (the report or the
 * events), as drawn. */
static char *
report_text(struct ui *ui, struct view *v, size_t *len, char *what, size_t whatsize)
{
	struct report *r = v->priv;
	const struct pane *p = shown_pane(r);
	struct rep_event *e = NULL;
	struct cli_out o;
	char *buf = NULL;
	size_t n = 0, i;
	FILE *f;

	(void)ui;
	if (!r->loaded)
		return NULL;
	f = open_memstream(&buf, &n);
	if (!f)
		ui_die("out of memory");
	if (r->level == LV_EVENT && r->res && r->one_event < r->nev)
		e = r->ev[r->one_event];
	if (e && e->text && e->diag < r->res->n) {
		memset(&o, 0, sizeof(o));
		o.f = f;
		o.width = 78;
		fwrite(e->text, 1, e->len, f);
		fputc('\n', f);
		fputc('\n', f);
		cli_print_diagnosis(&o, r->res, e->diag, e->text, e->len);
		snprintf(what, whatsize, "the event's diagnosis");
	} else {
		for (i = 0; i < p->n; i++) {
			fprintf(f, "%*s", p->lines[i].indent, "");
			cli_put_line(f, p->lines[i].text);
		}
		snprintf(what, whatsize, r->level == LV_REPORT ? "the report" : "the events");
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static void
report_mouse(struct ui *ui, struct view *v, const struct display_mouse *m)
{
	struct report *r = v->priv;

	(void)ui;
	if (m->kind == DISPLAY_WHEEL_UP || m->kind == DISPLAY_WHEEL_DOWN)
		pane_scroll(shown_pane(r), m->kind == DISPLAY_WHEEL_UP ? -3 : 3);
}

const struct view_ops view_report_ops = {
	.name = "report",
	.title = "Report",
	.flags = VIEW_FROZEN,
	.open = report_open,
	.draw = report_draw,
	.hints = report_hints,
	.handle = report_handle,
	.mouse = report_mouse,
	.text = report_text,
	.close = report_close,
	.private_size = sizeof(struct report),
};
