/* fuzz_scan.c: a libFuzzer target for the log scanner ('bounce scan'): the
 * first byte picks the scan's options (a table of 1 to 8 open recipients,
 * so that eviction runs, the time series' bucket, a state database or
 * none); the rest is a log cut at newlines as 'bounce scan' cuts it. Each
 * line goes to cat_scan_sent_line() or is analyzed and every diagnosis
 * handed to cat_scan_add(), and recorded in a temporary state when there
 * is one. The events, the report (built halfway and at the end) and its
 * NDJSON are checked; the state's verdicts must agree with its list of
 * suppressed addresses. See tests/fuzz/README. */
#include "fuzz.h"

#include <sqlite3.h>

static struct cat_analysis *reused;
static char *json;
static size_t json_len, json_cap;
static sqlite3 *checker; /* json_valid() of each NDJSON line */

static void
check_event(const struct cat_scan_event *ev)
{
	if ((unsigned)ev->kind >= CAT_SCAN_KIND_COUNT)
		fuzz_die("fuzz_scan", "an event of no kind");
	if (ev->final && ev->kind != CAT_SCAN_SENT && ev->kind != CAT_SCAN_BOUNCED &&
	    ev->kind != CAT_SCAN_EXPIRED)
		fuzz_die("fuzz_scan", "a final event that is not sent, bounced or expired");
	if (!ev->host)
		fuzz_die("fuzz_scan", "an event with a NULL host");
	if (ev->recipient && ev->domain && !strstr(ev->recipient, ev->domain))
		fuzz_die("fuzz_scan", "an event's domain is not its recipient's");
}

static void
check_counts(const struct cat_scan_counts *c, const char *what)
{
	if (c->attempted != c->sent + c->bounced + c->expired + c->deferred) {
		fprintf(stderr, "fuzz_scan: %s: attempted %llu, sent %llu bounced %llu expired %llu "
				"deferred %llu\n",
			what, c->attempted, c->sent, c->bounced, c->expired, c->deferred);
		fuzz_die("fuzz_scan", "attempted is not the sum of the outcomes");
	}
	if (c->delayed > c->sent)
		fuzz_die("fuzz_scan", "more delayed than sent");
}

static void
check_row(const struct cat_scan_row *row, size_t n_points, const char *what)
{
	size_t i;

	check_counts(&row->c, what);
	for (i = 0; i < row->n_rates; i++) {
		const struct cat_scan_rate *q = &row->rates[i];

		/* below 0: no basis (nothing attempted, or only bounce messages) */
		if (q->percent > 100.0 + 1e-9 || (q->percent < 0 && q->percent != -1)) {
			fprintf(stderr, "fuzz_scan: %s: %s rate: %llu of %llu, %.2f%%\n", what,
				cat_scan_rate_name(q->rate), q->count, row->c.attempted, q->percent);
			fuzz_die("fuzz_scan", "a rate out of 0-100");
		}
		if (q->over && (q->percent < 0 || q->limit < 0 || q->percent < q->limit - 0.005))
			fuzz_die("fuzz_scan", "a rate flagged below its threshold");
		if (!q->over && q->limit >= 0 && q->percent >= q->limit + 0.005)
			fuzz_die("fuzz_scan", "a rate over its threshold not flagged");
	}
	if (row->series)
		for (i = 0; i < n_points; i++)
			check_counts(&row->series[i], "a point of a series");
}

static void
check_report(struct cat_scan *scan)
{
	const struct cat_scan_report *rep;
	struct cat_error err;
	sqlite3_stmt *st;
	size_t i;
	char *p, *end, *nl;

	if (cat_scan_report(scan, &rep, &err) != CAT_OK)
		fuzz_die("fuzz_scan", err.msg);
	check_row(&rep->total, rep->n_points, "total");
	for (i = 0; i < rep->n_providers; i++)
		check_row(&rep->providers[i], rep->n_points, "a provider");
	for (i = 0; i < rep->n_domains; i++)
		check_row(&rep->domains[i], 0, "a domain");
	for (i = 0; i < rep->n_reasons; i++)
		check_row(&rep->reasons[i], 0, "a reason");
	for (i = 0; i < rep->n_codes; i++)
		if (rep->codes[i].failed > rep->codes[i].messages)
			fuzz_die("fuzz_scan", "a code failed more messages than it cost");
	for (i = 0; i < rep->n_fix_first; i++)
		if (!rep->fix_first[i] || !rep->fix_first[i]->sender_side)
			fuzz_die("fuzz_scan", "a fix-first cause that is not the sender's");
	json_len = 0;
	if (cat_scan_report_json(rep, &json, &json_len, &json_cap) != CAT_OK)
		fuzz_die("fuzz_scan", "cat_scan_report_json failed");
	/* one object a line, each valid JSON with no raw control but the
	 * newline that ends it */
	if (sqlite3_prepare_v2(checker, "SELECT json_valid(?1)", -1, &st, NULL) != SQLITE_OK)
		fuzz_die("fuzz_scan", sqlite3_errmsg(checker));
	for (p = json, end = json + json_len; p < end; p = nl + 1) {
		size_t n;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			fuzz_die("fuzz_scan", "the NDJSON does not end with a newline");
		n = (size_t)(nl - p);
		if (n < 2 || p[0] != '{' || p[n - 1] != '}' || fuzz_raw_control(p, n))
			fuzz_die("fuzz_scan", "an NDJSON line is not a clean object");
		sqlite3_bind_text(st, 1, p, (int)n, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0) != 1) {
			fprintf(stderr, "fuzz_scan: %.*s\n", (int)n, p);
			fuzz_die("fuzz_scan", "an NDJSON line is not valid JSON");
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

/* Every address the state suppresses has a verdict that says so. */
static void
check_state(struct cat_state *state)
{
	struct cat_error err;
	char **addrs = NULL;
	size_t i, n = 0;

	if (cat_state_suppressed(state, 0, &addrs, &n, &err) != CAT_OK)
		fuzz_die("fuzz_scan", err.msg);
	for (i = 0; i < n && i < 16; i++) {
		struct cat_state_why *w = NULL;

		if (cat_state_why(state, addrs[i], 0, &w, &err) != CAT_OK)
			fuzz_die("fuzz_scan", err.msg);
		if (!w->verdict.suppressed || w->n == 0)
			fuzz_die("fuzz_scan", "a suppressed address whose verdict is not");
		json_len = 0;
		if (cat_state_why_json(w, &json, &json_len, &json_cap) != CAT_OK)
			fuzz_die("fuzz_scan", "cat_state_why_json failed");
		/* one line: the newline that ends it and no other control */
		if (json_len < 3 || json[json_len - 1] != '\n' || json[0] != '{' ||
		    fuzz_raw_control(json, json_len - 1)) {
			fprintf(stderr, "fuzz_scan: %.*s\n", (int)json_len, json);
			fuzz_die("fuzz_scan", "the state's JSON is not one clean line");
		}
		cat_state_why_free(w);
	}
	cat_free(addrs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cat_scan_opts opts;
	struct cat_scan *scan = NULL;
	struct cat_state *state = NULL;
	struct cat_error err;
	const char *p, *end;
	unsigned long no = 0, half;

	fuzz_setup("fuzz_scan", 1);
	if (!checker && sqlite3_open(":memory:", &checker) != SQLITE_OK)
		fuzz_die("fuzz_scan", "sqlite3_open");
	if (size < 1)
		return 0;
	memset(&opts, 0, sizeof(opts));
	opts.max_open = 1 + (data[0] & 7);
	opts.bucket = (data[0] & 0x08) ? 60 : 0;
	opts.top = 1 + ((data[0] >> 4) & 3);
	opts.year = 2026;
	if (cat_scan_new(fuzz_cat, fuzz_az, &opts, &scan, &err) != CAT_OK)
		fuzz_die("fuzz_scan", err.msg);
	if (data[0] & 0x40) {
		if (cat_state_open(&state, NULL, CAT_STATE_CREATE, fuzz_cat, &err) != CAT_OK ||
		    cat_state_begin(state, 1796083200, &err) != CAT_OK)
			fuzz_die("fuzz_scan", err.msg);
	}
	p = (const char *)data + 1;
	end = (const char *)data + size;
	half = (unsigned long)(size / 80) + 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t i, len = (size_t)((nl ? nl : end) - p);
		struct cat_scan_from from = { "fuzz.log", ++no, 0, p, 0 };
		struct cat_scan_event ev;
		int sent;

		if (len && p[len - 1] == '\r')
			len--;
		from.len = len;
		sent = cat_scan_sent_line(scan, p, len, &from, &ev);
		if (sent < 0)
			fuzz_die("fuzz_scan", "cat_scan_sent_line: out of memory");
		if (sent) {
			check_event(&ev);
			if (ev.kind != CAT_SCAN_SENT || ev.d)
				fuzz_die("fuzz_scan", "a sent line that is not a delivery");
			if (state && cat_state_add_event(state, &ev, p, len, NULL, &err) != CAT_OK)
				fuzz_die("fuzz_scan", err.msg);
		} else {
			if (cat_analyze(fuzz_az, p, len, &reused, &err) != CAT_OK)
				fuzz_die("fuzz_scan", err.msg);
			for (i = 0; i < reused->n; i++) {
				if (cat_scan_add(scan, reused, i, &from, &ev, &err) != CAT_OK)
					fuzz_die("fuzz_scan", err.msg);
				check_event(&ev);
				if (state && cat_state_add_event(state, &ev, p, len, NULL, &err) != CAT_OK)
					fuzz_die("fuzz_scan", err.msg);
			}
		}
		if (no == half)
			check_report(scan); /* --follow builds it again later */
		p = nl ? nl + 1 : end;
	}
	check_report(scan);
	if (state) {
		if (cat_state_commit(state, &err) != CAT_OK)
			fuzz_die("fuzz_scan", err.msg);
		check_state(state);
		cat_state_close(state);
	}
	cat_scan_free(scan);
	return 0;
}
