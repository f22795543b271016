/*
 * test_memo.c -- the analyzer's remembered decisions (decide_memo() in
 * catalog/analyze_decide.c) give what deciding afresh gives, byte for byte.
 *
 * A log is built from every line of the corpus (tests/bounces/NAME.txt) that
 * a log-line reader takes (Postfix, Exim, Sendmail, qmail, Exchange and the
 * other heads): each line several times, with another recipient (its local
 * part replaced wherever the line repeats it, so the offsets move, and at
 * times its domain), another sender, queue id and time, in a shuffled order. It is analyzed with one
 * reused analysis, which remembers decisions, and with one whose memo is
 * off (struct analysis's no_memo, set here only); every diagnosis must be
 * the same, field by field, and its JSON (the form --json prints) the same
 * bytes. Twice: one line per input (as explain --lines and scan read a
 * log) and blocks of lines per input. The log is long enough that slots
 * are taken over, and the test fails unless remembered decisions of both
 * kinds (delivered lines and the others) were taken.
 *
 * Deterministic: the corpus is read in name order, the PRNG is xorshift64*
 * with a fixed seed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "bounce/catalog.h"
#include "check.h"
#include "corpus_names.h"
#include "util.h"

#define CORPUS_DIR "tests/bounces"

enum { REPEATS = 5, BLOCK_LINES = 40, LINE_MAX = 8192 };

static struct catalog *cat;
static struct cat_analyzer *az;

static uint64_t rng_s = 0x6d656d6f00000001ULL;

static uint64_t
rng(void)
{
	rng_s ^= rng_s >> 12;
	rng_s ^= rng_s << 25;
	rng_s ^= rng_s >> 27;
	return rng_s * 0x2545f4914f6cdd1dULL;
}

/* ------------------------------------------------------------ the corpus's log lines */

struct lines {
	char **s;
	size_t n, cap;
};

static int
lines_add(struct lines *l, const char *s, size_t n)
{
	char *c;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		char **p = realloc(l->s, cap * sizeof(*p));

		if (!p)
			return -1;
		l->s = p;
		l->cap = cap;
	}
	if (!(c = malloc(n + 1)))
		return -1;
	memcpy(c, s, n);
	c[n] = '\0';
	l->s[l->n++] = c;
	return 0;
}

/* Whether a log-line reader takes [s, e), as cat_analyze() tries them. */
static int
is_log_line(const char *s, const char *e)
{
	struct item it;

	memset(&it, 0, sizeof(it));
	if (logline_classify(s, s, e, &it))
		return 1;
	memset(&it, 0, sizeof(it));
	if (logline_postfix(s, s, e, &it))
		return 1;
	memset(&it, 0, sizeof(it));
	if (logline_exim(s, s, e, &it))
		return 1;
	memset(&it, 0, sizeof(it));
	if (logline_sendmail(s, s, e, &it))
		return 1;
	memset(&it, 0, sizeof(it));
	if (logline_qmail(s, s, e, &it))
		return 1;
	memset(&it, 0, sizeof(it));
	return logline_exchange(s, s, e, &it);
}

/* Every line of the corpus's inputs that a log-line reader takes. */
static int
corpus_lines(struct lines *out)
{
	char **names;
	size_t n, i;
	int rc = 0;

	if (corpus_names(CORPUS_DIR, 1, &names, &n) != 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		char path[4096], line[LINE_MAX];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, names[i]);
		if (!(f = fopen(path, "rb"))) {
			rc = -1;
			break;
		}
		while (rc == 0 && fgets(line, sizeof(line), f)) {
			size_t l = strcspn(line, "\r\n"), s = 0;

			while (s < l && (line[s] == ' ' || line[s] == '\t'))
				s++;
			while (l > s && (line[l - 1] == ' ' || line[l - 1] == '\t'))
				l--;
			if (l > s && is_log_line(line + s, line + l))
				rc = lines_add(out, line + s, l - s);
		}
		fclose(f);
	}
	corpus_names_free(names, n);
	return rc;
}

/* ------------------------------------------------------------ the log */

/* Rewrites line with every occurrence of `from` (n bytes) followed by
 * `after` (0: anything) replaced by `to`. */
static void
replace_all(char *line, size_t cap, const char *from, size_t n, char after, const char *to)
{
	char out[LINE_MAX + 512];
	size_t o = 0, tl = strlen(to);
	const char *s = line;

	if (!n)
		return;
	while (*s && o + tl + 2 < sizeof(out)) {
		if (strncmp(s, from, n) == 0 && (!after || s[n] == after)) {
			memcpy(out + o, to, tl);
			o += tl;
			s += n;
			continue;
		}
		out[o++] = *s++;
	}
	out[o] = '\0';
	if (o < cap)
		memcpy(line, out, o + 1);
}

/* A new local part: one of a few, so that lines that quote the recipient
 * repeat too; of several lengths, so that the offsets after it move. */
static void
new_local(char *out, size_t cap)
{
	static const char *const names[] = { "ann", "bob.longer-name", "c" };
	uint64_t v = rng();

	snprintf(out, cap, "%s%u", names[v % 3], (unsigned)(v >> 8) % (v & 0x100 ? 10u : 1000u));
}

/* The same characters of another value: digits for digits, letters for
 * letters of the same case. */
static void
new_like(char *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];
		unsigned v = (unsigned)(rng() >> 20);

		out[i] = c >= '0' && c <= '9'	? (char)('0' + v % 10)
			 : c >= 'A' && c <= 'F' ? (char)('A' + v % 6)
			 : c >= 'a' && c <= 'f' ? (char)('a' + v % 6)
			 : c >= 'G' && c <= 'Z' ? (char)('G' + v % 20)
			 : c >= 'g' && c <= 'z' ? (char)('g' + v % 20)
						: c;
	}
	out[n] = '\0';
}

/* One copy of line: its recipient's and sender's local parts, queue id
 * and the last digit of its time changed, as the analysis of the line
 * reads them. */
static void
vary(struct cat_analysis **an, const char *line, char *out, size_t cap)
{
	struct cat_error err;
	char to[128];

	snprintf(out, cap, "%s", line);
	if (cat_analyze(az, line, strlen(line), an, &err) != CAT_OK || (*an)->n < 1)
		return;
	{
		const struct cat_diagnosis *d = &(*an)->d[0];
		const char *at;
		char from[LINE_MAX];

		if (d->recipient && (at = strchr(d->recipient, '@')) != NULL && at > d->recipient) {
			/* the whole address, sometimes at another domain (whose
			 * provider the decision may read), then the local part
			 * wherever else it stands */
			static const char *const doms[] = { NULL, "gmail.com", "example.net",
							    "outlook.com" };
			const char *dom = doms[rng() % 4];
			char addr[LINE_MAX];

			new_local(to, sizeof(to));
			snprintf(addr, sizeof(addr), "%s@%s", to, dom ? dom : at + 1);
			replace_all(out, cap, d->recipient, strlen(d->recipient), 0, addr);
			snprintf(from, sizeof(from), "%.*s", (int)(at - d->recipient), d->recipient);
			replace_all(out, cap, from, strlen(from), '@', to);
		}
		if (d->sender && (at = strchr(d->sender, '@')) != NULL && at > d->sender) {
			snprintf(from, sizeof(from), "%.*s", (int)(at - d->sender), d->sender);
			new_local(to, sizeof(to));
			replace_all(out, cap, from, strlen(from), '@', to);
		}
		if (d->queue_id && strlen(d->queue_id) < sizeof(to)) {
			snprintf(from, sizeof(from), "%s", d->queue_id);
			new_like(to, from, strlen(from));
			replace_all(out, cap, from, strlen(from), 0, to);
		}
		if (d->time && *d->time) {
			size_t l = strlen(d->time);
			char *t = strstr(out, d->time);

			if (t && t[l - 1] >= '0' && t[l - 1] <= '9')
				t[l - 1] = (char)('0' + (unsigned)(rng() >> 20) % 10);
		}
	}
}

/* ------------------------------------------------------------ comparing */

static int
same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* The first field in which two diagnoses differ, NULL when none. */
static const char *
diff_field(const struct cat_diagnosis *a, const struct cat_diagnosis *b)
{
	size_t k;

	if (a->reply != b->reply)
		return "reply";
	if (strcmp(a->enhanced, b->enhanced) != 0)
		return "enhanced";
	if (a->enhanced_inferred != b->enhanced_inferred)
		return "enhanced_inferred";
	if (a->cls != b->cls)
		return "cls";
	if (!same_str(a->reason, b->reason))
		return "reason";
	if (a->type != b->type)
		return "type";
	if (a->action != b->action)
		return "action";
	if (a->confidence != b->confidence)
		return "confidence";
	if (!same_str(a->provider, b->provider))
		return "provider";
	if (!same_str(a->provider_tag, b->provider_tag))
		return "provider_tag";
	if (!same_str(a->recipient, b->recipient))
		return "recipient";
	if (!same_str(a->remote_host, b->remote_host))
		return "remote_host";
	if (!same_str(a->outcome, b->outcome))
		return "outcome";
	if (a->event != b->event)
		return "event";
	if (a->stage != b->stage)
		return "stage";
	if (!same_str(a->sender, b->sender))
		return "sender";
	if (!same_str(a->queue_id, b->queue_id))
		return "queue_id";
	if (!same_str(a->time, b->time))
		return "time";
	if (!same_str(a->summary, b->summary))
		return "summary";
	if (!same_str(a->fix, b->fix))
		return "fix";
	if (!same_str(a->note, b->note))
		return "note";
	if (a->n_entries != b->n_entries)
		return "n_entries";
	for (k = 0; k < a->n_entries; k++)
		if (!same_str(a->entries[k], b->entries[k]))
			return "entries";
	if (a->n_evidence != b->n_evidence)
		return "n_evidence";
	for (k = 0; k < a->n_evidence; k++)
		if (!same_str(a->evidence[k].rule, b->evidence[k].rule) ||
		    a->evidence[k].start != b->evidence[k].start ||
		    a->evidence[k].end != b->evidence[k].end)
			return "evidence";
	return NULL;
}

struct hits {
	unsigned long delivered, other, diagnoses;
};

/* Counts the remembered decisions the diagnoses of an took. */
static void
count_hits(struct cat_analysis *an, struct hits *h)
{
	const struct an_scratch *x = analysis_of(an)->scratch;
	size_t i;

	h->diagnoses += an->n;
	if (!x || !x->dm_use)
		return;
	for (i = 0; i < an->n; i++) {
		if (!x->dm_use[i].slot)
			continue;
		if (x->dm_use[i].slot - 1 < DMEMO_SLOTS)
			h->delivered++;
		else
			h->other++;
	}
}

/* Analyzes text (the lines first .. of the log) with the memo and without
 * and compares. Returns 1 when they agree. */
static int
same_both_ways(struct cat_analysis **memo, struct cat_analysis **plain, const char *text,
	       size_t len, unsigned long first, struct hits *h)
{
	static char *ja, *jb;
	static size_t ca, cb;
	struct cat_error err;
	size_t la, lb, i;
	const char *what;

	if (!CHECK_INT_EQ(cat_analyze(az, text, len, memo, &err), CAT_OK) ||
	    !CHECK_INT_EQ(cat_analyze(az, text, len, plain, &err), CAT_OK) ||
	    !CHECK_INT_EQ((*memo)->n, (*plain)->n))
		return 0;
	count_hits(*memo, h);
	for (i = 0; i < (*memo)->n; i++) {
		const struct cat_origin from = { "mail.log", 0 };
		unsigned long no = (*memo)->per_line ? first + i : first;

		if ((what = diff_field(&(*memo)->d[i], &(*plain)->d[i])) != NULL) {
			fprintf(stderr, "\tdiagnosis %zu: %s differs\n", i, what);
			CHECK(what == NULL);
			return 0;
		}
		la = lb = 0;
		if (!CHECK_INT_EQ(cat_diagnosis_json(*memo, i, text, len, no, &ja, &la, &ca), CAT_OK) ||
		    !CHECK_INT_EQ(cat_diagnosis_json(*plain, i, text, len, no, &jb, &lb, &cb), CAT_OK))
			return 0;
		if (la != lb || memcmp(ja, jb, la) != 0) {
			CHECK_STR_EQ(ja, jb);
			return 0;
		}
		la = lb = 0;
		if (!CHECK_INT_EQ(cat_diagnosis_json_from(*memo, i, text, len, &from, &ja, &la, &ca),
				  CAT_OK) ||
		    !CHECK_INT_EQ(cat_diagnosis_json_from(*plain, i, text, len, &from, &jb, &lb, &cb),
				  CAT_OK))
			return 0;
		if (la != lb || memcmp(ja, jb, la) != 0) {
			CHECK_STR_EQ(ja, jb);
			return 0;
		}
	}
	CHECK(1);
	return 1;
}

/* An analysis that remembers no decision. */
static struct cat_analysis *
plain_analysis(void)
{
	struct cat_analysis *an = NULL;
	struct cat_error err;

	if (cat_analyze(az, "", 0, &an, &err) != CAT_OK)
		return NULL;
	analysis_of(an)->no_memo = 1;
	return an;
}

static void
test_log(const struct lines *corpus)
{
	struct lines log = { NULL, 0, 0 };
	struct cat_analysis *tmp = NULL, *memo = NULL, *plain = NULL;
	struct hits h = { 0, 0, 0 };
	struct strbuf block = { NULL, 0, 0 };
	char line[LINE_MAX + 512];
	size_t i, r, bad = 0;

	CHECK_CASE("memo: %zu log lines of the corpus", corpus->n);
	/* the corpus has lines of every log reader: at least these many */
	if (!CHECK(corpus->n >= 200))
		return;
	for (r = 0; r < REPEATS; r++)
		for (i = 0; i < corpus->n; i++) {
			vary(&tmp, corpus->s[i], line, sizeof(line));
			if (!CHECK(lines_add(&log, line, strlen(line)) == 0))
				goto out;
		}
	for (i = log.n; i > 1; i--) {
		size_t k = (size_t)(rng() % i);
		char *t = log.s[i - 1];

		log.s[i - 1] = log.s[k];
		log.s[k] = t;
	}
	/* one line per input */
	if (!CHECK((plain = plain_analysis()) != NULL))
		goto out;
	for (i = 0; i < log.n && bad < 3; i++) {
		CHECK_CASE("memo: line %zu: %s", i + 1, log.s[i]);
		if (!same_both_ways(&memo, &plain, log.s[i], strlen(log.s[i]), i + 1, &h))
			bad++;
	}
	CHECK_CASE("memo: one line per input: %lu diagnoses, %lu + %lu remembered", h.diagnoses,
		   h.delivered, h.other);
	CHECK(bad == 0);
	/* both kinds were taken, the others for most lines that are not
	 * deliveries (a line that quotes its recipient repeats less) */
	CHECK(h.delivered > 0);
	CHECK(h.other > log.n / 10);
	/* blocks of lines per input, into the same analyses */
	memset(&h, 0, sizeof(h));
	for (i = 0; i < log.n && bad < 3; i += BLOCK_LINES) {
		size_t k;

		block.len = 0;
		for (k = i; k < log.n && k < i + BLOCK_LINES; k++)
			if (!CHECK(strbuf_add(&block, log.s[k], strlen(log.s[k])) == 0 &&
				   strbuf_addc(&block, '\n') == 0))
				goto out;
		CHECK_CASE("memo: block of lines %zu-%zu", i + 1, k);
		if (!same_both_ways(&memo, &plain, block.data, block.len, i + 1, &h))
			bad++;
	}
	CHECK_CASE("memo: blocks: %lu diagnoses, %lu + %lu remembered", h.diagnoses, h.delivered,
		   h.other);
	CHECK(bad == 0);
	CHECK(h.other > 0);
out:
	CHECK_CASE("%s", "");
	for (i = 0; i < log.n; i++)
		free(log.s[i]);
	free(log.s);
	strbuf_free(&block);
	cat_analysis_free(tmp);
	cat_analysis_free(memo);
	cat_analysis_free(plain);
}

int
main(void)
{
	struct cat_error err;
	struct lines corpus = { NULL, 0, 0 };
	size_t i;

	memset(&err, 0, sizeof(err));
	if (!CHECK_INT_EQ(cat_open(&cat, &err), CAT_OK) || !CHECK_INT_EQ(cat_ready(cat, &err), CAT_OK) ||
	    !CHECK_INT_EQ(cat_analyzer_new(cat, &az, &err), CAT_OK)) {
		fprintf(stderr, "test_memo: %s\n", err.msg);
		cat_close(cat);
		return check_done();
	}
	CHECK_CASE("memo: the corpus %s", CORPUS_DIR);
	if (CHECK(corpus_lines(&corpus) == 0))
		test_log(&corpus);
	for (i = 0; i < corpus.n; i++)
		free(corpus.s[i]);
	free(corpus.s);
	cat_analyzer_free(az);
	cat_close(cat);
	return check_done();
}
