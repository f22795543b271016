/*
 * test_analyze.c -- robustness of the analyzer (cat_analyze and
 * cat_diagnosis_json) with the built-in catalog.
 *
 *  1. argument checks: NULL and empty first, then a foreign *out;
 *  2. hostile inputs (NUL bytes, invalid UTF-8, C0/C1 controls, escape
 *     sequences, U+202E) still give the diagnosis their codes say; so do
 *     multi-line replies with numbers in their words, and a DSN with 100
 *     failed recipients gives 100 diagnoses; short inputs that end in a tag
 *     or a code, each the first input of a fresh analyzer (whose scratch
 *     buffers are no larger than that input: an over-read shows under ASan);
 *  3. the max-input limit: CAT_EUSAGE with a clear message, then 0 restores
 *     the default of 1 MiB;
 *  4. one struct cat_analysis reused over many inputs gives the same results
 *     as a fresh one per input (compared field by field), and delivered log
 *     lines that repeat a decision the same JSON;
 *  5. 10,000 random binary inputs (fixed seed, 0-4 KB);
 *  6. a mutation loop over the corpus (every tests/bounces/NAME.txt): byte flips,
 *     truncations, duplicated slices, inserted MIME boundaries, header lines
 *     and control bytes.
 *
 * Every analysis of sections 2-6 must hold the invariants of check_analysis():
 * CAT_OK, at least one diagnosis, the mandatory fields set, every evidence
 * span inside the input (or inside its decoded copy, never longer, when
 * the analysis read one), and for every diagnosis a cat_diagnosis_json()
 * document that SQLite's json_valid() accepts, that gives back the reason
 * and the evidence count, and that holds no raw control byte (C0, DEL), no
 * raw C1 (UTF-8 C2 80..9F) and no raw U+202E.
 *
 * Deterministic: the PRNG is xorshift64* with fixed seeds and the corpus is
 * read in name order. A failure prints the case (seed, iteration, file), and
 * the input is written to $TMPDIR/test_analyze-fail-N.bin (the first few) so
 * it can be replayed with 'bounce explain - <FILE'.
 * TEST_ANALYZE_SCALE=N multiplies the random and mutation iterations.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bounce/catalog.h"
#include "check.h"
#include "corpus_names.h"

#define CORPUS_DIR "tests/bounces"
#define N_RANDOM 10000
#define RANDOM_MAX_LEN 4096
#define N_MUTATIONS 20000
#define MUTATED_MAX_LEN 65536
#define MAX_SAVED_FAILURES 5

static struct catalog *cat;
static struct cat_analyzer *az;
static sqlite3 *db;
static sqlite3_stmt *st_json; /* json_valid(?1), json_extract(?1,'$.reason'), ... */

static char *json_buf;
static size_t json_len, json_cap;
static unsigned saved_failures;

/* ------------------------------------------------------------ PRNG */

struct rng {
	uint64_t s;
};

static uint64_t
rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

/* A number in [0, n); n > 0. */
static size_t
rng_below(struct rng *r, size_t n)
{
	return (size_t)(rng_next(r) % n);
}

/* ------------------------------------------------------------ helpers */

static size_t
scale(void)
{
	const char *s = getenv("TEST_ANALYZE_SCALE");
	long v = s ? strtol(s, NULL, 10) : 1;

	return v > 0 ? (size_t)v : 1;
}

/* Writes a failing input where it can be replayed (once per test run for
 * the first few failures). */
static void
save_input(const char *text, size_t len)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	FILE *f;

	if (saved_failures >= MAX_SAVED_FAILURES)
		return;
	snprintf(path, sizeof(path), "%s/test_analyze-fail-%u.bin", dir && *dir ? dir : "/tmp",
		 saved_failures++);
	f = fopen(path, "wb");
	if (!f)
		return;
	if (len)
		fwrite(text, 1, len, f);
	fclose(f);
	fprintf(stderr, "\tinput (%zu bytes) written to %s\n", len, path);
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *p;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			p = realloc(buf, cap);
			if (!p) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*len = n;
	return buf;
}

struct corpus {
	size_t n;
	char **name;
	char **text;
	size_t *len;
};

/* Reads every *.txt of the corpus, in name order. */
static int
corpus_load(struct corpus *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	if (corpus_names(CORPUS_DIR, 1, &c->name, &c->n) != 0 || c->n == 0)
		return -1;
	c->text = calloc(c->n, sizeof(*c->text));
	c->len = calloc(c->n, sizeof(*c->len));
	if (!c->text || !c->len)
		return -1;
	for (i = 0; i < c->n; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, c->name[i]);
		c->text[i] = read_file(path, &c->len[i]);
		if (!c->text[i])
			return -1;
	}
	return 0;
}

static void
corpus_free(struct corpus *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->name[i]);
		if (c->text)
			free(c->text[i]);
	}
	free(c->name);
	free(c->text);
	free(c->len);
	memset(c, 0, sizeof(*c));
}

/* ------------------------------------------------------------ invariants */

/* The offset of the first raw control byte (C0 or DEL), raw C1 (UTF-8
 * C2 80..9F) or raw U+202E (E2 80 AE) in s, or -1. */
static long
raw_control_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++) {
		if (u[i] < 0x20 || u[i] == 0x7f)
			return (long)i;
		if (u[i] == 0xc2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)
			return (long)i;
		if (u[i] == 0xe2 && i + 2 < n && u[i + 1] == 0x80 && u[i + 2] == 0xae)
			return (long)i;
	}
	return -1;
}

/* Checks one JSON document: valid for SQLite, with the diagnosis' reason
 * and evidence count, and no raw control. Returns 1 when it is fine. */
static int
check_json(const struct cat_diagnosis *d, const char *js, size_t n)
{
	const unsigned char *reason;
	long at;
	int ok = 1;

	at = raw_control_at(js, n);
	if (!CHECK(at < 0)) {
		fprintf(stderr, "\traw control at offset %ld of the JSON: ...%.40s\n", at,
			js + (at > 20 ? at - 20 : 0));
		ok = 0;
	}
	if (!CHECK(strlen(js) == n))
		ok = 0;
	sqlite3_reset(st_json);
	sqlite3_bind_text(st_json, 1, js, (int)n, SQLITE_STATIC);
	if (!CHECK(sqlite3_step(st_json) == SQLITE_ROW))
		return 0;
	if (!CHECK(sqlite3_column_int(st_json, 0) == 1)) {
		fprintf(stderr, "\tinvalid JSON: %.300s\n", js);
		sqlite3_reset(st_json);
		return 0;
	}
	reason = sqlite3_column_text(st_json, 1);
	if (!CHECK_STR_EQ((const char *)reason, d->reason))
		ok = 0;
	if (!CHECK_INT_EQ(sqlite3_column_int64(st_json, 2), d->n_evidence))
		ok = 0;
	if (!CHECK_INT_EQ(sqlite3_column_int(st_json, 3), 1)) /* a JSON object */
		ok = 0;
	sqlite3_reset(st_json);
	return ok;
}

/* The invariants of an analysis of `text`; returns 1 when they all hold. */
static int
check_analysis(const struct cat_analysis *an, const char *text, size_t len)
{
	size_t i, k;
	int ok = 1;

	if (!CHECK(an != NULL) || !CHECK(an->n >= 1) || !CHECK(an->d != NULL))
		return 0;
	/* the text the evidence indexes: the input, or its decoded copy, which
	 * is never longer, except where text in a CJK or Cyrillic charset was
	 * converted to UTF-8 (at most three bytes for one) */
	if (an->decoded) {
		ok &= CHECK(an->text != NULL && an->text_len <= 3 * len + 1);
		len = an->text_len;
	} else {
		ok &= CHECK(an->text_len == len && (an->text == text || len == 0));
	}
	for (i = 0; i < an->n; i++) {
		const struct cat_diagnosis *d = &an->d[i];

		ok &= CHECK(d->reason != NULL && d->reason[0] != '\0');
		ok &= CHECK(cat_type_name(d->type) != NULL && cat_action_name(d->action) != NULL &&
			    cat_confidence_name(d->confidence) != NULL);
		ok &= CHECK(memchr(d->enhanced, '\0', sizeof(d->enhanced)) != NULL);
		ok &= CHECK(d->reply == 0 || (d->reply >= 200 && d->reply <= 599));
		ok &= CHECK(d->n_entries == 0 || d->entries != NULL);
		for (k = 0; k < d->n_entries && d->entries; k++)
			ok &= CHECK(d->entries[k] != NULL && d->entries[k][0] != '\0');
		ok &= CHECK(d->n_evidence == 0 || d->evidence != NULL);
		for (k = 0; k < d->n_evidence && d->evidence; k++) {
			const struct cat_span *e = &d->evidence[k];

			ok &= CHECK(e->rule != NULL && e->rule[0] != '\0');
			if (!CHECK(e->start <= e->end && e->end <= len)) {
				fprintf(stderr, "\tdiagnosis %zu, evidence %zu (%s): [%zu, %zu) in %zu bytes\n",
					i, k, e->rule ? e->rule : "(null)", e->start, e->end, len);
				ok = 0;
			}
		}
		json_len = 0;
		if (!CHECK(cat_diagnosis_json(an, i, text, len, i + 1, &json_buf, &json_len,
					      &json_cap) == CAT_OK)) {
			ok = 0;
			continue;
		}
		ok &= check_json(d, json_buf, json_len);
	}
	return ok;
}

/* Analyzes text into *an (reused when not NULL) and checks the invariants. */
static int
analyze_checked(const char *text, size_t len, struct cat_analysis **an)
{
	struct cat_error err;

	memset(&err, 0, sizeof(err));
	if (!CHECK_INT_EQ(cat_analyze(az, text, len, an, &err), CAT_OK)) {
		fprintf(stderr, "\t%s\n", err.msg);
		return 0;
	}
	return check_analysis(*an, text, len);
}

/* ------------------------------------------------------------ comparing */

static int
same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Field-by-field equality of two analyses; prints the first difference. */
static int
same_analysis(const struct cat_analysis *x, const struct cat_analysis *y)
{
	size_t i, k;

	if (x->n != y->n) {
		fprintf(stderr, "\t%zu diagnoses, want %zu\n", x->n, y->n);
		return 0;
	}
	for (i = 0; i < x->n; i++) {
		const struct cat_diagnosis *a = &x->d[i], *b = &y->d[i];
		const char *what = NULL;

		if (a->reply != b->reply)
			what = "reply";
		else if (strcmp(a->enhanced, b->enhanced) != 0)
			what = "enhanced";
		else if (a->enhanced_inferred != b->enhanced_inferred)
			what = "enhanced_inferred";
		else if (a->cls != b->cls)
			what = "cls";
		else if (!same_str(a->reason, b->reason))
			what = "reason";
		else if (a->type != b->type)
			what = "type";
		else if (a->action != b->action)
			what = "action";
		else if (a->confidence != b->confidence)
			what = "confidence";
		else if (!same_str(a->provider, b->provider))
			what = "provider";
		else if (!same_str(a->provider_tag, b->provider_tag))
			what = "provider_tag";
		else if (!same_str(a->recipient, b->recipient))
			what = "recipient";
		else if (!same_str(a->remote_host, b->remote_host))
			what = "remote_host";
		else if (!same_str(a->outcome, b->outcome))
			what = "outcome";
		else if (!same_str(a->summary, b->summary))
			what = "summary";
		else if (!same_str(a->fix, b->fix))
			what = "fix";
		else if (!same_str(a->note, b->note))
			what = "note";
		else if (a->n_entries != b->n_entries)
			what = "n_entries";
		else if (a->n_evidence != b->n_evidence)
			what = "n_evidence";
		for (k = 0; !what && k < a->n_entries; k++)
			if (!same_str(a->entries[k], b->entries[k]))
				what = "entries";
		for (k = 0; !what && k < a->n_evidence; k++)
			if (!same_str(a->evidence[k].rule, b->evidence[k].rule) ||
			    a->evidence[k].start != b->evidence[k].start ||
			    a->evidence[k].end != b->evidence[k].end)
				what = "evidence";
		if (what) {
			fprintf(stderr, "\tdiagnosis %zu: %s differs (reused: reason %s; fresh: %s)\n", i,
				what, a->reason ? a->reason : "(null)", b->reason ? b->reason : "(null)");
			return 0;
		}
	}
	return 1;
}

/* ------------------------------------------------------------ 1. arguments */

static void
test_arguments(void)
{
	struct cat_analyzer *other = NULL;
	struct cat_analysis *an = NULL, *foreign = NULL;
	struct cat_error err;
	char *buf = NULL;
	size_t len = 0, cap = 0;

	/* NULL everything */
	CHECK_CASE("cat_analyzer_new(NULL, ...)");
	memset(&err, 0, sizeof(err));
	CHECK_INT_EQ(cat_analyzer_new(NULL, &other, &err), CAT_EUSAGE);
	CHECK(err.msg[0] != '\0');
	CHECK_INT_EQ(cat_analyzer_new(cat, NULL, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_analyzer_new(NULL, NULL, NULL), CAT_EUSAGE);

	CHECK_CASE("cat_analyze(NULL analyzer)");
	memset(&err, 0, sizeof(err));
	CHECK_INT_EQ(cat_analyze(NULL, "550", 3, &an, &err), CAT_EUSAGE);
	CHECK(an == NULL);
	CHECK_INT_EQ(err.status, CAT_EUSAGE);
	CHECK(err.msg[0] != '\0');

	CHECK_CASE("cat_analyze(NULL out)");
	memset(&err, 0, sizeof(err));
	CHECK_INT_EQ(cat_analyze(az, "550", 3, NULL, &err), CAT_EUSAGE);
	CHECK(err.msg[0] != '\0');

	CHECK_CASE("cat_analyze(NULL text, len 3)");
	CHECK_INT_EQ(cat_analyze(az, NULL, 3, &an, &err), CAT_EUSAGE);
	CHECK(an == NULL);

	CHECK_CASE("cat_analyze(NULL err)");
	CHECK_INT_EQ(cat_analyze(NULL, "550", 3, &an, NULL), CAT_EUSAGE);
	CHECK(an == NULL);

	CHECK_CASE("frees accept NULL");
	cat_analysis_free(NULL);
	cat_analyzer_free(NULL);
	cat_analyzer_set_max_input(NULL, 10);

	CHECK_CASE("cat_diagnosis_json(NULL analysis)");
	CHECK_INT_EQ(cat_diagnosis_json(NULL, 0, "", 0, 0, &buf, &len, &cap), CAT_EUSAGE);

	/* empty inputs: one diagnosis, reason "unknown" */
	CHECK_CASE("cat_analyze(NULL text, len 0)");
	memset(&err, 0, sizeof(err));
	if (CHECK_INT_EQ(cat_analyze(az, NULL, 0, &an, &err), CAT_OK) && CHECK(an != NULL) &&
	    CHECK_INT_EQ(an->n, 1)) {
		CHECK_STR_EQ(an->d[0].reason, "unknown");
		CHECK_INT_EQ(an->d[0].n_evidence, 0);
		check_analysis(an, NULL, 0);
	}
	CHECK_CASE("cat_analyze(\"\", 0)");
	if (CHECK_INT_EQ(cat_analyze(az, "", 0, &an, &err), CAT_OK) && CHECK_INT_EQ(an->n, 1)) {
		CHECK_STR_EQ(an->d[0].reason, "unknown");
		CHECK_INT_EQ(an->d[0].reply, 0);
		CHECK_STR_EQ(an->d[0].enhanced, "");
		CHECK_INT_EQ(an->d[0].cls, CAT_CLASS_NONE);
		check_analysis(an, "", 0);
	}
	CHECK_CASE("cat_analyze(\"550\", 0): only len counts");
	if (CHECK_INT_EQ(cat_analyze(az, "550", 0, &an, &err), CAT_OK) && CHECK_INT_EQ(an->n, 1))
		CHECK_STR_EQ(an->d[0].reason, "unknown");
	CHECK_CASE("whitespace and NULs only");
	if (CHECK_INT_EQ(cat_analyze(az, " \t\r\n\0\0 \n", 8, &an, &err), CAT_OK) &&
	    CHECK_INT_EQ(an->n, 1)) {
		CHECK_STR_EQ(an->d[0].reason, "unknown");
		check_analysis(an, " \t\r\n\0\0 \n", 8);
	}

	CHECK_CASE("cat_diagnosis_json: index out of range");
	CHECK_INT_EQ(cat_diagnosis_json(an, an ? an->n : 0, "", 0, 0, &buf, &len, &cap),
		     CAT_EUSAGE);
	CHECK_CASE("cat_diagnosis_json: NULL input gives null evidence texts");
	len = 0;
	if (CHECK_INT_EQ(cat_analyze(az, "550 5.1.1 user unknown", 22, &an, &err), CAT_OK) &&
	    CHECK_INT_EQ(cat_diagnosis_json(an, 0, NULL, 0, 0, &buf, &len, &cap), CAT_OK))
		CHECK(check_json(&an->d[0], buf, len));

	/* an analysis made by another analyzer cannot be reused */
	CHECK_CASE("cat_analyze(*out of another analyzer)");
	if (CHECK_INT_EQ(cat_analyzer_new(cat, &other, &err), CAT_OK) &&
	    CHECK_INT_EQ(cat_analyze(other, "550 5.1.1", 9, &foreign, &err), CAT_OK)) {
		struct cat_analysis *keep = foreign;

		memset(&err, 0, sizeof(err));
		CHECK_INT_EQ(cat_analyze(az, "550 5.1.1", 9, &foreign, &err), CAT_EUSAGE);
		CHECK(err.msg[0] != '\0');
		CHECK(foreign == keep);
		/* ... and it is left as it was */
		if (CHECK_INT_EQ(foreign->n, 1))
			CHECK_STR_EQ(foreign->d[0].reason, "user_unknown");
	}
	cat_analysis_free(foreign);
	cat_analyzer_free(other);
	cat_analysis_free(an);
	free(buf);
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ 2. hostile inputs */

#define S(lit) lit, sizeof(lit) - 1

static const struct hostile {
	const char *name;
	const char *text;
	size_t len;
	int reply;
	const char *enhanced;
	const char *reason;
	const char *recipient; /* NULL: not checked */
} hostile[] = {
	{ "ESC, 0xff and NUL", S("550 5.1.1 \x1b[31m user unknown \xff\x00"), 550, "5.1.1",
	  "user_unknown", NULL },
	{ "NUL inside the words", S("550 5.1.1 user\0unknown"), 550, "5.1.1", "user_unknown", NULL },
	{ "NULs before the codes", S("\0\0\0" "550 5.1.1 user unknown"), 550, "5.1.1", "user_unknown",
	  NULL },
	{ "C1 CSI and U+202E", S("\xc2\x9b" "31m 552 5.2.2 mailbox full \xe2\x80\xae"), 552, "5.2.2",
	  "mailbox_full", NULL },
	{ "raw 0x9b byte", S("\x9b" "31m 552 5.2.2 mailbox full \x9b" "0m"), 552, "5.2.2",
	  "mailbox_full", NULL },
	{ "BEL, BS, DEL, overlong UTF-8", S("450 4.2.0 \x07\x08\x7f greylisted \xc0\xaf"), 450,
	  "4.2.0", "greylisted", NULL },
	{ "surrogate, OSC title", S("450 4.2.0 \xed\xa0\x80 greylisted \x1b]0;title\x07"), 450,
	  "4.2.0", "greylisted", NULL },
	{ "truncated UTF-8 at the end", S("550 5.1.1 user unknown \xe2\x80"), 550, "5.1.1",
	  "user_unknown", NULL },
	{ "NULs in a blocklist reply",
	  S("554 5.7.1 \0\0\0 Service unavailable; Client host [203.0.113.45] blocked using "
	    "zen.spamhaus.org"),
	  554, "5.7.1", "blocklisted", NULL },
	{ "CRLF, VT, FF", S("\r\n\v\f550 5.1.1 \r\n<bob@example.net>: user unknown\r\n"), 550,
	  "5.1.1", "user_unknown", NULL },
	{ "Postfix line, ESC in the recipient and U+202E in the reply",
	  S("Mar  3 10:10:20 mail01 postfix/smtp[8463]: 8265E860C8: to=<\x1b[2Jbob@example.net>, "
	    "relay=mx.example.net[198.51.100.7]:25, delay=0.9, delays=0.05/0.01/0.4/0.44, dsn=5.1.1, "
	    "status=bounced (host mx.example.net[198.51.100.7] said: 550 5.1.1 <bob@example.net>: "
	    "Recipient address rejected: User unknown \xe2\x80\xae in virtual mailbox table (in reply "
	    "to RCPT TO command))"),
	  550, "5.1.1", "user_unknown", "\x1b[2Jbob@example.net" },
	{ "Postfix line, C1 and 0xff in the host",
	  S("Mar  3 10:49:14 mail01 postfix/smtp[13261]: 6DE2B4B978: to=<bob@example.net>, "
	    "relay=mx.\xc2\x85\xff.example.net[198.51.100.7]:25, delay=0.6, delays=0.1/0.01/0.3/0.2, "
	    "dsn=4.2.0, status=deferred (host mx.example.net[198.51.100.7] said: 450 4.2.0 "
	    "<bob@example.net>: Recipient address rejected: Greylisted, see "
	    "http://postgrey.schweikert.ch/help/example.net.html (in reply to RCPT TO command))"),
	  450, "4.2.0", "greylisted", "bob@example.net" },
	{ "DSN fields with controls",
	  S("Final-Recipient: rfc822; \x1b[31mcarol@example.org\xe2\x80\xae\r\n"
	    "Action: failed\r\nStatus: 5.1.1\r\n"
	    "Diagnostic-Code: smtp; 550 5.1.1 \x00\x9b<carol@example.org>: user unknown\r\n"),
	  550, "5.1.1", "user_unknown", NULL },
};

static void
test_hostile(void)
{
	struct cat_analysis *an = NULL;
	struct cat_error err;
	size_t i;

	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		const struct hostile *h = &hostile[i];

		CHECK_CASE("hostile[%zu] %s", i, h->name);
		memset(&err, 0, sizeof(err));
		if (!CHECK_INT_EQ(cat_analyze(az, h->text, h->len, &an, &err), CAT_OK)) {
			fprintf(stderr, "\t%s\n", err.msg);
			continue;
		}
		if (!check_analysis(an, h->text, h->len))
			save_input(h->text, h->len);
		if (!CHECK(an->n >= 1))
			continue;
		CHECK_INT_EQ(an->d[0].reply, h->reply);
		CHECK_STR_EQ(an->d[0].enhanced, h->enhanced);
		CHECK_STR_EQ(an->d[0].reason, h->reason);
		if (h->recipient)
			CHECK_STR_EQ(an->d[0].recipient, h->recipient);
	}
	cat_analysis_free(an);
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ 2b. multi-line replies */

/* A number in the words of a multi-line reply ("550-5.1.1 ... 250 days")
 * is not the reply code: the code is the one of the line prefixes. */
static const struct hostile multiline[] = {
	{ "two lines, a 250 in the first",
	  S("550-5.1.1 The account is gone since 250 days\r\n550 5.1.1 user unknown\r\n"), 550,
	  "5.1.1", "user_unknown", NULL },
	{ "two lines, LF only", S("550-5.1.1 gone since 250 days\n550 5.1.1 user unknown"), 550,
	  "5.1.1", "user_unknown", NULL },
	{ "three lines, a 421 in the second",
	  S("550-5.1.1 user unknown\r\n550-5.1.1 retry in 421 seconds\r\n550 5.1.1 end\r\n"), 550,
	  "5.1.1", "user_unknown", NULL },
	{ "joined on one line, as Postfix logs it",
	  S("Mar  3 10:19:24 mail01 postfix/smtp[1583]: C75F9E68D0: to=<j.doe@gmail.com>, "
	    "relay=gmail-smtp-in.l.google.com[142.251.9.27]:25, delay=1.3, "
	    "delays=0.05/0.01/0.52/0.72, dsn=5.1.1, status=bounced (host "
	    "gmail-smtp-in.l.google.com[142.251.9.27] said: 550-5.1.1 The email account that you "
	    "tried to reach does not exist, 250 days 550 5.1.1 "
	    "https://support.google.com/mail/?p=NoSuchUser - gsmtp (in reply to RCPT TO command))"),
	  550, "5.1.1", "user_unknown", "j.doe@gmail.com" },
};

static void
test_multiline(void)
{
	struct cat_analysis *an = NULL;
	struct cat_error err;
	size_t i;

	for (i = 0; i < sizeof(multiline) / sizeof(multiline[0]); i++) {
		const struct hostile *h = &multiline[i];

		CHECK_CASE("multi-line reply[%zu] %s", i, h->name);
		memset(&err, 0, sizeof(err));
		if (!CHECK_INT_EQ(cat_analyze(az, h->text, h->len, &an, &err), CAT_OK))
			continue;
		check_analysis(an, h->text, h->len);
		if (!CHECK(an->n >= 1))
			continue;
		CHECK_INT_EQ(an->d[0].reply, h->reply);
		CHECK_STR_EQ(an->d[0].enhanced, h->enhanced);
		CHECK_INT_EQ(an->d[0].cls, CAT_CLASS_PERMANENT);
		CHECK_STR_EQ(an->d[0].reason, h->reason);
		if (h->recipient)
			CHECK_STR_EQ(an->d[0].recipient, h->recipient);
	}
	cat_analysis_free(an);
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ 2b'. a service's own codes */

/* A sending service's own code (Mailgun's 605, SES's MailboxFull) is an
 * entry tag that is a plain number or word: it names its entry only where
 * its provider is named (a marker, the recipient's domain, or the service
 * that issued a notice when no receiver is named), never as a bare token. */
static const struct {
	const char *name, *text;
	const char *provider; /* the provider it must name; NULL: not `not` */
	const char *not;      /* the provider it must not name */
	const char *tag, *reason;
} service_codes[] = {
	{ "Mailgun's text and code", "{\"event\":\"failed\",\"delivery-status\":{\"code\":605,"
	  "\"message\":\"Not delivering to previously bounced address\"}}",
	  "mailgun", NULL, "605", "suppressed" },
	{ "Mailgun's code beside its host", "relay smtp.mailgun.org: failed with code 605",
	  "mailgun", NULL, "605", "suppressed" },
	{ "605 in another server's reply", "550 5.1.1 <ann@example.com>: Recipient address rejected: "
	  "User unknown (ticket 605)", NULL, "mailgun", NULL, "user_unknown" },
	{ "MailboxFull with no SES in sight", "552 5.2.2 Quota exceeded: MailboxFull", NULL, "ses",
	  NULL, "mailbox_full" },
	{ "an SES notice names SES for its subtype",
	  "{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Transient\",\"bounceSubType\":"
	  "\"MailboxFull\",\"bouncedRecipients\":[{\"emailAddress\":\"ann@example.net\"}]}}",
	  "ses", NULL, "MailboxFull", "mailbox_full" },
	{ "a Gmail reply inside an SES notice stays Gmail's",
	  "{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Transient\",\"bounceSubType\":"
	  "\"MailboxFull\",\"bouncedRecipients\":[{\"emailAddress\":\"ann@example.net\",\"status\":"
	  "\"4.2.2\",\"diagnosticCode\":\"smtp; 452-4.2.2 The recipient's inbox is out of storage "
	  "space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp "
	  "a1si1 - gsmtp\"}]},\"mail\":{\"sourceArn\":\"arn:aws:ses:us-east-1:111122223333:identity/"
	  "example.org\"}}",
	  "gmail", NULL, NULL, "mailbox_full" },
};

static void
test_service_codes(void)
{
	struct cat_analysis *an = NULL;
	struct cat_error err;
	size_t i;

	for (i = 0; i < sizeof(service_codes) / sizeof(service_codes[0]); i++) {
		const char *p;

		CHECK_CASE("service code[%zu] %s", i, service_codes[i].name);
		memset(&err, 0, sizeof(err));
		cat_analysis_free(an);
		an = NULL;
		if (!CHECK_INT_EQ(cat_analyze(az, service_codes[i].text, strlen(service_codes[i].text), &an,
					      &err), CAT_OK) ||
		    !CHECK(an->n >= 1))
			continue;
		p = an->d[0].provider;
		if (service_codes[i].provider)
			CHECK_STR_EQ(p, service_codes[i].provider);
		if (service_codes[i].not)
			CHECK(!p || strcmp(p, service_codes[i].not) != 0);
		if (service_codes[i].tag)
			CHECK_STR_EQ(an->d[0].provider_tag, service_codes[i].tag);
		CHECK_STR_EQ(an->d[0].reason, service_codes[i].reason);
	}
	cat_analysis_free(an);
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ 2c. many recipients */

/* A DSN with 100 failed recipients gives 100 diagnoses, in order. */
static void
test_many_recipients(void)
{
	enum { N = 100 };
	static const char head[] =
		"From: MAILER-DAEMON@mail.example.org\n"
		"To: news@example.org\n"
		"Subject: Undelivered Mail Returned to Sender\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"BB\"\n\n"
		"--BB\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n"
		"--BB\nContent-Type: message/delivery-status\n\n"
		"Reporting-MTA: dns; mail.example.org\n\n";
	struct cat_analysis *an = NULL;
	struct cat_error err;
	char *text = malloc(sizeof(head) + N * 200 + 16), want[32];
	size_t len = sizeof(head) - 1, i;

	if (!CHECK(text != NULL))
		return;
	memcpy(text, head, len);
	for (i = 0; i < N; i++)
		len += (size_t)sprintf(text + len,
				       "Final-Recipient: rfc822; u%zu@example.net\nAction: failed\n"
				       "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n\n",
				       i);
	len += (size_t)sprintf(text + len, "--BB--\n");
	CHECK_CASE("a DSN with %d failed recipients", N);
	if (CHECK_INT_EQ(cat_analyze(az, text, len, &an, &err), CAT_OK)) {
		check_analysis(an, text, len);
		CHECK_INT_EQ(an->n, N);
		for (i = 0; i < an->n && i < N; i++) {
			snprintf(want, sizeof(want), "u%zu@example.net", i);
			if (!CHECK_STR_EQ(an->d[i].recipient, want) ||
			    !CHECK_STR_EQ(an->d[i].reason, "user_unknown"))
				break;
		}
	}
	cat_analysis_free(an);
	free(text);
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ 2d. fresh analyzers */

/* The analyzer keeps its scratch buffers between inputs and grows them to
 * the largest input seen; an over-read past the text in use shows (under
 * ASan) only when the input is the first and so the largest. Each of these
 * is the first input of a new analyzer. */
static const struct {
	const char *name, *text;
	size_t len;
	const char *tag; /* provider_tag wanted, NULL: not checked */
} firsts[] = {
	{ "a bit-flag tag at the end", S("550 BL000001"), "BL000001" },
	{ "a bit-flag tag after a URL", S("550 odes.php#BL000001"), "BL000001" },
	{ "a bit-flag tag after bytes", S("550 \xae BL000001\n"), "BL000001" },
	{ "a bit-flag tag, no code", S("BL000001"), NULL },
	{ "a provider tag at the end", S("554 5.7.1 [CS01]"), NULL },
	{ "a tag at the end", S("553 5.7.1 TSS04"), NULL },
	{ "an enhanced code at the end", S("5.1.1"), NULL },
	{ "a reply code at the end", S("550"), NULL },
	{ "a log line cut after dsn=", S("postfix/smtp[1]: A: to=<a@b.c>, dsn=5.1.1"), NULL },
	{ "a DSN field at the end", S("Status: 5.1.1\nDiagnostic-Code: smtp; 550"), NULL },
	{ "a header at the end", S("Content-Type: multipart/report; boundary="), NULL },
};

static void
test_fresh(const struct corpus *c)
{
	struct cat_analyzer *saved = az;
	struct cat_error err;
	struct rng r = { 0xf7e54ULL };
	size_t i, n_firsts = sizeof(firsts) / sizeof(firsts[0]);

	for (i = 0; i < n_firsts + 40; i++) {
		struct cat_analysis *an = NULL;
		const char *text, *name;
		size_t len;

		if (i < n_firsts) {
			text = firsts[i].text;
			len = firsts[i].len;
			name = firsts[i].name;
		} else if (c->n) { /* and a few corpus files */
			size_t f = rng_below(&r, c->n);

			text = c->text[f];
			len = c->len[f];
			name = c->name[f];
		} else {
			break;
		}
		CHECK_CASE("first input of a fresh analyzer: %s", name);
		memset(&err, 0, sizeof(err));
		az = NULL;
		if (!CHECK_INT_EQ(cat_analyzer_new(cat, &az, &err), CAT_OK))
			break;
		if (analyze_checked(text, len, &an) && i < n_firsts && firsts[i].tag)
			CHECK_STR_EQ(an->d[0].provider_tag, firsts[i].tag);
		cat_analysis_free(an);
		cat_analyzer_free(az);
	}
	az = saved;
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ 3. max input */

static void
test_max_input(void)
{
	struct cat_analysis *an = NULL;
	struct cat_error err;
	const size_t big = 1024 * 1024;
	char *text = malloc(big + 1);
	char want[64];

	if (!CHECK(text != NULL))
		return;
	memset(text, 'x', big + 1);
	memcpy(text, "550 5.1.1 user unknown", 22);

	CHECK_CASE("max input 64: 64 bytes");
	cat_analyzer_set_max_input(az, 64);
	memset(&err, 0, sizeof(err));
	if (CHECK_INT_EQ(cat_analyze(az, text, 64, &an, &err), CAT_OK) && CHECK_INT_EQ(an->n, 1))
		CHECK_STR_EQ(an->d[0].reason, "user_unknown");

	CHECK_CASE("max input 64: 65 bytes, into a reused analysis");
	memset(&err, 0, sizeof(err));
	CHECK_INT_EQ(cat_analyze(az, text, 65, &an, &err), CAT_EUSAGE);
	CHECK_INT_EQ(err.status, CAT_EUSAGE);
	/* the message says what is wrong: both sizes and the word "limit" */
	CHECK(strstr(err.msg, "65") != NULL);
	CHECK(strstr(err.msg, "64") != NULL);
	CHECK(strstr(err.msg, "limit") != NULL);
	CHECK(strchr(err.msg, '\n') == NULL);
	/* the analysis is still usable */
	CHECK(an != NULL);
	if (CHECK_INT_EQ(cat_analyze(az, "450 4.2.0 greylisted", 20, &an, &err), CAT_OK) &&
	    CHECK_INT_EQ(an->n, 1))
		CHECK_STR_EQ(an->d[0].reason, "greylisted");

	CHECK_CASE("max input 64: 65 bytes, fresh");
	{
		struct cat_analysis *fresh = NULL;

		CHECK_INT_EQ(cat_analyze(az, text, 65, &fresh, &err), CAT_EUSAGE);
		CHECK(fresh == NULL);
		cat_analysis_free(fresh);
	}

	CHECK_CASE("max input 0 restores 1 MiB");
	cat_analyzer_set_max_input(az, 0);
	memset(&err, 0, sizeof(err));
	if (CHECK_INT_EQ(cat_analyze(az, text, big, &an, &err), CAT_OK))
		CHECK(check_analysis(an, text, big));
	memset(&err, 0, sizeof(err));
	CHECK_INT_EQ(cat_analyze(az, text, big + 1, &an, &err), CAT_EUSAGE);
	snprintf(want, sizeof(want), "%zu", big);
	CHECK(strstr(err.msg, want) != NULL);

	CHECK_CASE("max input 2 MiB");
	cat_analyzer_set_max_input(az, 2 * big);
	CHECK_INT_EQ(cat_analyze(az, text, big + 1, &an, &err), CAT_OK);
	cat_analyzer_set_max_input(az, 0);

	cat_analysis_free(an);
	free(text);
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ 4. reuse */

/* Analyzes inputs[order[i]] in turn into one reused analysis and compares
 * each with a fresh one. */
static void
reuse_pass(const struct corpus *c, const char *pass, const size_t *order)
{
	struct cat_analysis *reused = NULL;
	struct cat_error err;
	size_t i;

	for (i = 0; i < c->n; i++) {
		struct cat_analysis *fresh = NULL;
		size_t j = order[i];

		CHECK_CASE("reuse (%s): %s after %s", pass, c->name[j],
			   i ? c->name[order[i - 1]] : "nothing");
		memset(&err, 0, sizeof(err));
		if (CHECK_INT_EQ(cat_analyze(az, c->text[j], c->len[j], &reused, &err), CAT_OK) &&
		    CHECK_INT_EQ(cat_analyze(az, c->text[j], c->len[j], &fresh, &err), CAT_OK))
			CHECK(same_analysis(reused, fresh));
		cat_analysis_free(fresh);
	}
	cat_analysis_free(reused);
}

static void
test_reuse(const struct corpus *c)
{
	size_t *order = malloc((c->n ? c->n : 1) * sizeof(*order));
	struct rng r = { 0x5eed0001ULL };
	size_t i;

	if (!CHECK(order != NULL))
		return;
	/* name order (messages with several recipients next to one-liners) */
	for (i = 0; i < c->n; i++)
		order[i] = i;
	reuse_pass(c, "name order", order);
	/* longest first, so every later input is smaller than the memory kept */
	for (i = 0; i < c->n; i++) {
		size_t k, best = i;

		for (k = i + 1; k < c->n; k++)
			if (c->len[order[k]] > c->len[order[best]])
				best = k;
		k = order[i];
		order[i] = order[best];
		order[best] = k;
	}
	reuse_pass(c, "longest first", order);
	/* shuffled */
	for (i = c->n; i > 1; i--) {
		size_t k = rng_below(&r, i), t = order[i - 1];

		order[i - 1] = order[k];
		order[k] = t;
	}
	reuse_pass(c, "shuffled", order);

	/* the hostile table too, reused after a multi-recipient message */
	{
		struct cat_analysis *reused = NULL;
		struct cat_error err;

		for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
			struct cat_analysis *fresh = NULL;
			const struct hostile *h = &hostile[i];

			CHECK_CASE("reuse: hostile[%zu] %s", i, h->name);
			if (CHECK_INT_EQ(cat_analyze(az, h->text, h->len, &reused, &err), CAT_OK) &&
			    CHECK_INT_EQ(cat_analyze(az, h->text, h->len, &fresh, &err), CAT_OK))
				CHECK(same_analysis(reused, fresh));
			cat_analysis_free(fresh);
		}
		cat_analysis_free(reused);
	}
	free(order);
	CHECK_CASE("%s", "");
}

/* Whether every diagnosis of line (number no) has the same JSON from the
 * reused analysis as from a fresh one. */
static int
memo_json_same(struct cat_analysis **reused, const char *line, size_t n, unsigned long no)
{
	struct cat_analysis *fresh = NULL;
	struct cat_error err;
	char *json = NULL, *one = NULL;
	size_t len = 0, cap = 0, k;
	int same = 1;

	if (!CHECK_INT_EQ(cat_analyze(az, line, n, reused, &err), CAT_OK) ||
	    !CHECK_INT_EQ(cat_analyze(az, line, n, &fresh, &err), CAT_OK) ||
	    !CHECK_INT_EQ((*reused)->n, fresh->n)) {
		cat_analysis_free(fresh);
		return 0;
	}
	for (k = 0; k < fresh->n && same; k++) {
		len = 0;
		if (!CHECK_INT_EQ(cat_diagnosis_json(fresh, k, line, n, no, &json, &len, &cap), CAT_OK) ||
		    !CHECK((one = strdup(json)) != NULL))
			break;
		len = 0;
		if (!CHECK_INT_EQ(cat_diagnosis_json(*reused, k, line, n, no, &json, &len, &cap), CAT_OK))
			break;
		same = strcmp(one, json) == 0;
		if (!same)
			CHECK_STR_EQ(json, one);
		free(one);
		one = NULL;
	}
	free(one);
	free(json);
	cat_analysis_free(fresh);
	return same;
}

/* Delivered log lines repeat a few decisions, which a reused analysis
 * remembers with their JSON (analyze_json.c): every line's JSON from one
 * analysis reused over all of them must be the JSON of a fresh analysis of
 * that line alone. 300 relays, each three times in a row with another
 * recipient, queue id, time and offsets, go round the 128 remembered
 * decisions twice, so slots are taken over and taken again; some lines
 * hold strings that need escapes ('"', UTF-8, a tab, a control byte). */
static void
test_memo_json(void)
{
	static const char *const rcpt[] = { "ann", "b\"ob", "j\xc3\xa4rg", "c\x01d", "eve.long-name" };
	static const char *const reply[] = { "250 2.0.0 Ok: queued as 4F2A81C0D42",
					     "250 2.6.0 <x@example.org> Queued mail for delivery",
					     "250 Ok" };
	struct cat_analysis *reused = NULL;
	char line[512];
	size_t n, bad = 0;
	unsigned long lines = 0;
	unsigned r, round, rep;

	/* the first few differences are shown */
	for (round = 0; round < 2 && bad < 3; round++)
		for (r = 0; r < 300 && bad < 3; r++)
			for (rep = 0; rep < 3 && bad < 3; rep++) {
				unsigned v = round * 7 + r * 3 + rep;

				n = (size_t)snprintf(line, sizeof(line),
					"Mar %2u 00:%02u:%02u%smail01 postfix/smtp[%u]: %04X%u: to=<%s%u@example.%s>, "
					"relay=mx%u.example.net[192.0.2.%u]:25, delay=0.4, dsn=2.%u.0, "
					"status=sent (%s)",
					1 + v % 28, v % 60, (v * 7) % 60, v % 11 ? " " : "\t", 100 + v * 37 % 90000,
					v * 2654435761u % 65536, rep, rcpt[v % 5], v, r % 2 ? "com" : "org", r,
					r % 250 + 1, r % 3 ? 0 : 6, reply[r % 3]);
				lines++;
				CHECK_CASE("memo json: line %lu: %s", lines, line);
				if (!memo_json_same(&reused, line, n, lines))
					bad++;
			}
	CHECK_CASE("memo json: %lu lines", lines);
	CHECK(bad == 0);
	cat_analysis_free(reused);
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ 5. random inputs */

/* Bytes that steer the parsers: digits, dots, separators, header and log
 * punctuation, controls and UTF-8 lead bytes. */
static const char steer[] = "0123455555.......    \n\n\r\t:;<>@=()[]-_/ssdtatusx\x1b\x9b\xc2\xe2"
			    "\x80\xae\xff\0";

static size_t
random_input(struct rng *r, char *buf, size_t max)
{
	size_t len = rng_below(r, max + 1), i;
	unsigned mode = (unsigned)rng_below(r, 4);

	for (i = 0; i < len; i++) {
		uint64_t v = rng_next(r);

		switch (mode) {
		case 0: /* uniform bytes */
			buf[i] = (char)(v >> 24);
			break;
		case 1: /* mostly steering bytes */
			buf[i] = (v & 7) ? steer[(v >> 8) % (sizeof(steer) - 1)] : (char)(v >> 32);
			break;
		case 2: /* printable ASCII with controls */
			buf[i] = (v & 15) ? (char)(' ' + (v >> 8) % 95) : (char)((v >> 16) % 32);
			break;
		default: /* code-like tokens */
			if ((v & 3) == 0 && i + 10 < len) {
				int n = snprintf(buf + i, 11, "%c%02u %c.%u.%u ",
						 (char)('2' + (v >> 8) % 4), (unsigned)(v >> 16) % 100,
						 (char)('2' + (v >> 24) % 4), (unsigned)(v >> 32) % 8,
						 (unsigned)(v >> 40) % 30);
				i += (size_t)(n > 0 ? n : 1) - 1;
			} else {
				buf[i] = steer[(v >> 8) % (sizeof(steer) - 1)];
			}
		}
	}
	return len;
}

static void
test_random(void)
{
	struct rng r = { 0xb0a7ce5eedULL };
	struct cat_analysis *an = NULL;
	char *buf = malloc(RANDOM_MAX_LEN + 16);
	size_t n = N_RANDOM * scale(), i, bad = 0;

	if (!CHECK(buf != NULL))
		return;
	/* one case: a failure names the input it failed on */
	CHECK_CASE("%zu random inputs", n);
	for (i = 0; i < n; i++) {
		size_t len = random_input(&r, buf, RANDOM_MAX_LEN);

		if (!analyze_checked(buf, len, &an)) {
			fprintf(stderr, "    (random input %zu, %zu bytes)\n", i, len);
			save_input(buf, len);
			if (++bad >= 20)
				break;
		}
		/* now and then, a fresh analysis must agree with the reused one */
		if (i % 97 == 0 && an) {
			struct cat_analysis *fresh = NULL;
			struct cat_error err;

			if (CHECK_INT_EQ(cat_analyze(az, buf, len, &fresh, &err), CAT_OK))
				CHECK(same_analysis(an, fresh));
			cat_analysis_free(fresh);
		}
	}
	cat_analysis_free(an);
	free(buf);
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ 6. mutations */

static const char *const insertions[] = {
	"\n--BOUNDARY\n",
	"\n--BOUNDARY--\n",
	"\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"BOUNDARY\"\n\n",
	"\nContent-Type: message/delivery-status\n\n",
	"\nContent-Type: text/rfc822-headers\n\n",
	"\nContent-Type: message/rfc822\n\n",
	"\nContent-Transfer-Encoding: base64\n\n",
	"\nContent-Transfer-Encoding: quoted-printable\n\n",
	"\nFinal-Recipient: rfc822; x@example.com\n",
	"\nOriginal-Recipient: rfc822;\n",
	"\nAction: failed\n",
	"\nAction: delayed\n",
	"\nStatus: 5.1.1\n",
	"\nStatus: 4.\n",
	"\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n",
	"\nDiagnostic-Code: smtp;\n",
	"\nRemote-MTA: dns; mx.example.com\n",
	"\nX-Failed-Recipients: a@example.com, b@example.com\n",
	"\nSubject: Undelivered Mail Returned to Sender\n",
	"\nFrom: MAILER-DAEMON@example.com\n",
	"\nAuto-Submitted: auto-replied\n",
	"\n\n",
	"\n ",
	"=\n",
	"=C2=9B",
	" postfix/smtp[1]: ABC: to=<",
	", status=bounced (",
	" said: ",
	"550-5.1.1 ",
	"\x1b[31m",
	"\xc2\x9b",
	"\xe2\x80\xae",
	"\0",
	"\xff\xfe",
};

/* Where the input names its MIME boundary, or NULL. */
static const char *
boundary_of(const char *s, size_t n, size_t *blen)
{
	const char *p = s, *end = s + n;

	while (p < end) {
		const char *q = memchr(p, 'b', (size_t)(end - p));

		if (!q)
			break;
		if ((size_t)(end - q) > 9 && strncmp(q, "boundary=", 9) == 0) {
			const char *b = q + 9, *e;

			if (b < end && *b == '"')
				b++;
			for (e = b; e < end && *e != '"' && *e != ';' && *e != '\r' && *e != '\n' &&
				    *e != ' ';
			     e++)
				;
			*blen = (size_t)(e - b);
			return *blen ? b : NULL;
		}
		p = q + 1;
	}
	return NULL;
}

/* Inserts n bytes of ins at offset at of buf (length *len, capacity cap). */
static void
insert_at(char *buf, size_t *len, size_t cap, size_t at, const char *ins, size_t n)
{
	if (*len + n > cap)
		n = cap - *len;
	memmove(buf + at + n, buf + at, *len - at);
	memcpy(buf + at, ins, n);
	*len += n;
}

static size_t
mutate(struct rng *r, const char *src, size_t srclen, char *buf, size_t cap)
{
	size_t len = srclen < cap ? srclen : cap, rounds = 1 + rng_below(r, 4), k;

	memcpy(buf, src, len);
	for (k = 0; k < rounds; k++) {
		size_t at = len ? rng_below(r, len + 1) : 0;

		switch (rng_below(r, 7)) {
		case 0: /* flip bytes */
		{
			size_t flips = 1 + rng_below(r, 8), f;

			for (f = 0; f < flips && len; f++) {
				size_t p = rng_below(r, len);

				if (rng_below(r, 2))
					buf[p] = (char)(buf[p] ^ (1u << rng_below(r, 8)));
				else
					buf[p] = (char)rng_next(r);
			}
			break;
		}
		case 1: /* truncate */
			len = at;
			break;
		case 2: /* cut a slice out */
		{
			size_t n = len - at ? rng_below(r, len - at + 1) : 0;

			memmove(buf + at, buf + at + n, len - at - n);
			len -= n;
			break;
		}
		case 3: /* duplicate a slice somewhere */
		{
			size_t from = len ? rng_below(r, len) : 0;
			size_t n = len - from ? 1 + rng_below(r, len - from) : 0;
			char *tmp = malloc(n ? n : 1);

			if (tmp) {
				memcpy(tmp, buf + from, n);
				insert_at(buf, &len, cap, at, tmp, n);
				free(tmp);
			}
			break;
		}
		case 4: /* a MIME boundary line: the input's own when it has one */
		{
			size_t blen = 0;
			const char *b = boundary_of(buf, len, &blen);
			char line[256];
			int n;

			if (!b || blen > 200) {
				b = "BOUNDARY";
				blen = 8;
			}
			n = snprintf(line, sizeof(line), "\n--%.*s%s\n", (int)blen, b,
				     rng_below(r, 4) ? "" : "--");
			insert_at(buf, &len, cap, at, line, (size_t)n);
			break;
		}
		case 5: /* a header line or token; at a line start when there is one */
		{
			const char *ins = insertions[rng_below(r, sizeof(insertions) /
								      sizeof(insertions[0]))];
			size_t n = ins[0] ? strlen(ins) : 1;
			const char *nl = at < len ? memchr(buf + at, '\n', len - at) : NULL;

			if (nl && rng_below(r, 2))
				at = (size_t)(nl - buf);
			insert_at(buf, &len, cap, at, ins, n);
			break;
		}
		default: /* a run of one byte (long lines, long tokens) */
		{
			size_t n = 1 + rng_below(r, 2048);
			char *tmp = malloc(n);

			if (tmp) {
				memset(tmp, len ? buf[rng_below(r, len)] : 'x', n);
				insert_at(buf, &len, cap, at, tmp, n);
				free(tmp);
			}
		}
		}
	}
	return len;
}

static void
test_mutations(const struct corpus *c)
{
	struct rng r = { 0x00c0ffee1234ULL };
	struct cat_analysis *an = NULL;
	char *buf = malloc(MUTATED_MAX_LEN);
	size_t n = N_MUTATIONS * scale(), i, bad = 0;

	if (!CHECK(buf != NULL) || !CHECK(c->n > 0)) {
		free(buf);
		return;
	}
	/* one case: a failure names the input it failed on */
	CHECK_CASE("%zu mutations of the corpus", n);
	for (i = 0; i < n; i++) {
		size_t f = rng_below(&r, c->n);
		size_t len = mutate(&r, c->text[f], c->len[f], buf, MUTATED_MAX_LEN);

		if (!analyze_checked(buf, len, &an)) {
			fprintf(stderr, "    (mutation %zu of %s, %zu bytes)\n", i, c->name[f], len);
			save_input(buf, len);
			if (++bad >= 20)
				break;
		}
		if (i % 101 == 0 && an) {
			struct cat_analysis *fresh = NULL;
			struct cat_error err;

			if (CHECK_INT_EQ(cat_analyze(az, buf, len, &fresh, &err), CAT_OK))
				CHECK(same_analysis(an, fresh));
			cat_analysis_free(fresh);
		}
	}
	cat_analysis_free(an);
	free(buf);
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ required reasons */

/* The reasons the analyzer's code names (see A_REASON_LIST in analyze.c). */
static const char *const required_reasons[] = { "unknown", "success", "expired", "auto_reply",
						 "complaint", "no_delivery", "refused",
						 "policy_block" };

/* A fixture catalog with every required reason but `skip` (NULL: all). */
static enum cat_status
analyzer_of_fixture(const char *skip, struct cat_error *err)
{
	struct catalog *fc = NULL;
	struct cat_analyzer *fa = NULL;
	char xml[4096];
	size_t n = 0, i;
	enum cat_status st;

	n += (size_t)snprintf(xml + n, sizeof(xml) - n,
			      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			      "<catalog version=\"1\">\n  <reasons>\n");
	for (i = 0; i < sizeof(required_reasons) / sizeof(required_reasons[0]); i++)
		if (!skip || strcmp(skip, required_reasons[i]) != 0)
			n += (size_t)snprintf(xml + n, sizeof(xml) - n,
					      "    <reason id=\"%s\" title=\"T\" group=\"none\""
					      " type=\"unknown\" action=\"review\">\n"
					      "      <meaning>M.</meaning>\n    </reason>\n",
					      required_reasons[i]);
	n += (size_t)snprintf(xml + n, sizeof(xml) - n, "  </reasons>\n</catalog>\n");
	st = cat_open_empty(&fc, err);
	if (st == CAT_OK)
		st = cat_load_buffer(fc, "fixture.xml", xml, n, err);
	if (st == CAT_OK)
		st = cat_ready(fc, err);
	if (st == CAT_OK)
		st = cat_analyzer_new(fc, &fa, err);
	cat_analyzer_free(fa);
	cat_close(fc);
	return st;
}

static void
test_required_reasons(void)
{
	struct cat_error err;
	size_t i;

	CHECK_CASE("a catalog with every reason the analyzer names");
	memset(&err, 0, sizeof(err));
	if (!CHECK_INT_EQ(analyzer_of_fixture(NULL, &err), CAT_OK))
		fprintf(stderr, "  %s\n", err.msg);
	for (i = 0; i < sizeof(required_reasons) / sizeof(required_reasons[0]); i++) {
		CHECK_CASE("a catalog without reason %s is refused", required_reasons[i]);
		memset(&err, 0, sizeof(err));
		CHECK_INT_EQ(analyzer_of_fixture(required_reasons[i], &err), CAT_EREF);
		CHECK(strstr(err.msg, required_reasons[i]) != NULL);
	}
	CHECK_CASE("%s", "");
}

/* ------------------------------------------------------------ main */

int
main(void)
{
	struct cat_error err;
	struct corpus c;
	size_t i;

	memset(&err, 0, sizeof(err));
	memset(&c, 0, sizeof(c));
	if (!CHECK_INT_EQ(cat_open(&cat, &err), CAT_OK) || !CHECK_INT_EQ(cat_ready(cat, &err), CAT_OK) ||
	    !CHECK_INT_EQ(cat_analyzer_new(cat, &az, &err), CAT_OK)) {
		fprintf(stderr, "test_analyze: %s\n", err.msg);
		cat_close(cat);
		return check_done();
	}
	if (!CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK) ||
	    !CHECK(sqlite3_prepare_v2(db,
				      "SELECT json_valid(?1),"
				      " CASE WHEN json_valid(?1) THEN json_extract(?1, '$.reason') END,"
				      " CASE WHEN json_valid(?1) THEN json_array_length(?1, '$.evidence') END,"
				      " CASE WHEN json_valid(?1) THEN json_type(?1) = 'object' END",
				      -1, &st_json, NULL) == SQLITE_OK)) {
		fprintf(stderr, "test_analyze: sqlite3: %s\n", db ? sqlite3_errmsg(db) : "no memory");
		sqlite3_close(db);
		cat_analyzer_free(az);
		cat_close(cat);
		return check_done();
	}

	test_arguments();
	test_required_reasons();
	test_hostile();
	test_multiline();
	test_service_codes();
	test_many_recipients();
	test_max_input();
	CHECK_CASE("corpus %s", CORPUS_DIR);
	if (CHECK(corpus_load(&c) == 0)) {
		/* the corpus itself holds the invariants */
		struct cat_analysis *an = NULL;

		for (i = 0; i < c.n; i++) {
			CHECK_CASE("corpus %s", c.name[i]);
			analyze_checked(c.text[i], c.len[i], &an);
		}
		cat_analysis_free(an);
		test_reuse(&c);
	}
	test_memo_json();
	test_fresh(&c);
	test_random();
	test_mutations(&c);

	corpus_free(&c);
	free(json_buf);
	sqlite3_finalize(st_json);
	sqlite3_close(db);
	cat_analyzer_free(az);
	cat_close(cat);
	return check_done();
}
