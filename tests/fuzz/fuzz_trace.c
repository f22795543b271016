/* fuzz_trace.c: a libFuzzer target for the message-trace reader (Microsoft
 * 365 CSV exports, as 'bounce scan' reads them): the first byte picks the
 * header row (the input's own first row, or one of the documented
 * exports': Get-MessageTrace, Get-MessageTraceDetail, the extended and
 * the enhanced summary report) and whether the diagnoses go to a scan of
 * one to four open recipients; the rest is cut into rows by
 * cat_columns_row_end() (quoted fields may hold line breaks), the header
 * read by cat_columns_read() and every row analyzed by cat_analyze_row().
 * Checked: the rows cut the input into pieces that end at line breaks
 * outside quotes, a header's columns are within it, each row's analysis
 * (fuzz_check_analysis(): diagnoses, evidence inside the row, clean JSON),
 * at most one diagnosis a row unless the header reads recipients in
 * pairs, and the scan's events and counts. See tests/fuzz/README. */
#include "fuzz.h"

static struct cat_analysis *reused;
static char *json;
static size_t json_cap, json_len;

static const char *const headers[] = {
	NULL,
	"\"Organization\",\"MessageId\",\"Received\",\"SenderAddress\",\"RecipientAddress\","
	"\"Subject\",\"Status\",\"ToIP\",\"FromIP\",\"Size\",\"MessageTraceId\",\"StartDate\","
	"\"EndDate\",\"Index\"",
	"\"Date\",\"Event\",\"Action\",\"Detail\",\"Data\",\"RecipientAddress\",\"SenderAddress\","
	"\"MessageTraceId\",\"MessageId\",\"Organization\"",
	"origin_timestamp,sender_address,recipient_status,message_subject,total_bytes,message_id,"
	"network_message_id,original_client_ip,directionality,connector_id,delivery_priority",
};

/* Whether [p, p + n) holds a quote: a row without one ends at its first
 * line break. */
static int
has_quote(const char *p, size_t n)
{
	return memchr(p, '"', n) != NULL;
}

static void
check_counts(const struct cat_scan_counts *c)
{
	if (c->attempted != c->sent + c->bounced + c->expired + c->deferred)
		fuzz_die("fuzz_trace", "attempted is not the sum of the outcomes");
	if (c->delayed > c->sent)
		fuzz_die("fuzz_trace", "more delayed than sent");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cat_columns cols;
	struct cat_scan *scan = NULL;
	struct cat_error err;
	const char *p, *end;
	unsigned long no = 0;
	int have_cols = 0;
	size_t k;

	fuzz_setup("fuzz_trace", 1);
	if (size < 1)
		return 0;
	if (data[0] & 4) {
		struct cat_scan_opts o;

		memset(&o, 0, sizeof(o));
		o.max_open = 1 + ((data[0] >> 3) & 3);
		o.year = 2026;
		if (cat_scan_new(fuzz_cat, fuzz_az, &o, &scan, &err) != CAT_OK)
			fuzz_die("fuzz_trace", err.msg);
	}
	if (headers[data[0] & 3]) {
		const char *h = headers[data[0] & 3];

		if (!cat_columns_read(h, strlen(h), &cols))
			fuzz_die("fuzz_trace", "a documented header is not read");
		have_cols = 1;
	}
	p = (const char *)data + 1;
	end = (const char *)data + size;
	while (p < end) {
		size_t n = (size_t)(end - p), at, len;
		const char *nl;

		/* as bounce scan cuts it: a header's row at the first line
		 * break, a row by cat_columns_row_end() */
		if (have_cols) {
			at = cat_columns_row_end(p, n);
			if (at > n || (at < n && p[at] != '\n'))
				fuzz_die("fuzz_trace", "a row does not end at a line break");
			nl = memchr(p, '\n', n);
			if (!has_quote(p, at) && (nl ? (size_t)(nl - p) : n) != at)
				fuzz_die("fuzz_trace", "a row without quotes goes past its line break");
		} else {
			nl = memchr(p, '\n', n);
			at = nl ? (size_t)(nl - p) : n;
		}
		len = at;
		if (len && p[len - 1] == '\r')
			len--;
		no++;
		if (!have_cols) {
			have_cols = cat_columns_read(p, len, &cols);
			if (have_cols) {
				for (k = 0; k < CAT_COLUMN_COUNT; k++)
					if (cols.at[k] < -1 || cols.at[k] >= (int)cols.n)
						fuzz_die("fuzz_trace", "a column outside the header");
				if (cols.at[CAT_COLUMN_RECIPIENT] < 0)
					fuzz_die("fuzz_trace", "a header read without a recipient column");
			}
		} else if (len) {
			if (cat_analyze_row(fuzz_az, &cols, p, len, &reused, &err) != CAT_OK)
				fuzz_die("fuzz_trace", err.msg);
			fuzz_check_analysis("fuzz_trace", reused, p, len, no, &json, &json_cap);
			if (reused->n > 1 && !cols.pairs)
				fuzz_die("fuzz_trace", "a row of one recipient gave more diagnoses");
			for (k = 0; scan && k < reused->n; k++) {
				struct cat_scan_from from = { "trace.csv", no, 0, p, len };
				struct cat_scan_event ev;

				if (cat_scan_add(scan, reused, k, &from, &ev, &err) != CAT_OK)
					fuzz_die("fuzz_trace", err.msg);
				if ((unsigned)ev.kind >= CAT_SCAN_KIND_COUNT)
					fuzz_die("fuzz_trace", "an event of no kind");
				if (ev.recipient && ev.domain && !strstr(ev.recipient, ev.domain))
					fuzz_die("fuzz_trace", "an event's domain is not its recipient's");
			}
		}
		p += at < n ? at + 1 : n;
	}
	if (scan) {
		const struct cat_scan_report *rep;

		if (cat_scan_report(scan, &rep, &err) != CAT_OK)
			fuzz_die("fuzz_trace", err.msg);
		check_counts(&rep->total.c);
		for (k = 0; k < rep->n_providers; k++)
			check_counts(&rep->providers[k].c);
		for (k = 0; k < rep->n_domains; k++)
			check_counts(&rep->domains[k].c);
		json_len = 0;
		if (cat_scan_report_json(rep, &json, &json_len, &json_cap) != CAT_OK)
			fuzz_die("fuzz_trace", "cat_scan_report_json failed");
		for (k = 0; k < json_len; k++)
			if ((unsigned char)json[k] < 0x20 && json[k] != '\n')
				fuzz_die("fuzz_trace", "a raw control in the report's JSON");
		cat_scan_free(scan);
	}
	return 0;
}
