/* msgbench.c: whole bounce messages per second through cat_analyze(), in
 * process (linked with libcatalog.a), for bench/run.sh.
 *
 *	msgbench N ROUNDS DIR [MAILDIR]
 *
 * Templates: DIR/message-*.txt and DIR/dsn-*.txt of the bounce corpus (whole
 * DSN/NDR messages and DSN parts), read in name order. N messages are made
 * from them (template i % count, so every template is used alike), each
 * varied with a fixed-seed xorshift64* PRNG:
 *   * every recipient local part (the text left of '@', but MAILER-DAEMON,
 *     postmaster and the like) is replaced, consistently across the message;
 *   * the MIME boundary is replaced by another of the same length;
 *   * the digits of Date, Arrival-Date, Last-Attempt-Date, Message-ID and
 *     X-Postfix-Queue-ID header values are redrawn.
 * The catalog is the built-in one. One untimed pass over the N messages,
 * then ROUNDS timed passes, each analyzing the N messages in turn into one
 * reused struct cat_analysis (as a batch does). Then the same with
 * cat_diagnosis_json() for every diagnosis (what --json adds).
 *
 * Prints tab-separated records (times in milliseconds per pass):
 *	msgs	N	TEMPLATES	AVG_BYTES	DIAGNOSES_PER_PASS	DRIFT
 *	pass	MEDIAN	MIN	MAX	ROUNDS
 *	json	MEDIAN	MIN	MAX	ROUNDS
 * DRIFT counts varied messages whose first reason differs from their
 * template's (0 unless a variation changes what the message says).
 * With MAILDIR, the varied messages made from whole emails (templates with
 * a From: header field; the dsn-* parts are not emails) are also
 * written there as a Maildir (MAILDIR/cur/N.bench:2,S, and empty new/ and
 * tmp/), so that whole processes (bounce explain --messages, Sisimai) can
 * be timed on the same messages; their count is printed as
 *	maildir	COUNT
 * Exit status 0, or 1 if an engine call failed (message on stderr).
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "bench.h"
#include "bounce/catalog.h"

struct text {
	char *s;
	size_t n;
};

static uint64_t rng_state = 0x6d73676265ULL;

static uint64_t
rng(void)
{
	return xorshift64s(&rng_state);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
put_stats(const char *tag, double *v, size_t n)
{
	double med;

	qsort(v, n, sizeof(*v), cmp_double);
	med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	printf("%s\t%.4f\t%.4f\t%.4f\t%zu\n", tag, med, v[0], v[n - 1], n);
}

static int
read_file(const char *path, struct text *t)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 0, got;

	t->s = NULL;
	t->n = 0;
	if (!f)
		return -1;
	for (;;) {
		if (cap - t->n < 4096) {
			char *p = realloc(t->s, cap = cap ? cap * 2 : 16384);

			if (!p) {
				fclose(f);
				return -1;
			}
			t->s = p;
		}
		got = fread(t->s + t->n, 1, cap - t->n, f);
		t->n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	return 0;
}

static int
load_templates(const char *dir, struct text **out, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;

	if (!d) {
		perror(dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);

		if ((strncmp(e->d_name, "message-", 8) != 0 && strncmp(e->d_name, "dsn-", 4) != 0) ||
		    l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0)
			continue;
		if (n == cap) {
			char **p = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*names));

			if (!p)
				return -1;
			names = p;
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	if (n == 0) {
		fprintf(stderr, "msgbench: %s: no message-*.txt or dsn-*.txt\n", dir);
		return -1;
	}
	qsort(names, n, sizeof(*names), cmp_str);
	*out = calloc(n, sizeof(**out));
	if (!*out)
		return -1;
	for (i = 0; i < n; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (read_file(path, &(*out)[i]) != 0) {
			perror(path);
			return -1;
		}
		free(names[i]);
	}
	free(names);
	*count = n;
	return 0;
}

/* ------------------------------------------------------------ variation */

static int
is_local_char(int c)
{
	return isalnum(c) || c == '.' || c == '_' || c == '-' || c == '+';
}

static int
keep_local(const char *s, size_t n)
{
	static const char *const keep[] = { "mailer-daemon", "postmaster", "noreply", "no-reply",
					    "abuse", "root", "daemon", "bounce", "bounces",
					    "double-bounce", NULL };
	size_t i;

	for (i = 0; keep[i]; i++)
		if (strlen(keep[i]) == n && strncasecmp(s, keep[i], n) == 0)
			return 1;
	return 0;
}

struct subst {
	const char *from;
	size_t n;
	char to[64];
	size_t tn;
	int local; /* a local part: only before '@', at a word start */
};

enum { MAX_SUBST = 16 };

static void
rand_word(char *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = "abcdefghijklmnopqrstuvwxyz"[rng() % 26];
}

/* The header lines whose digits are redrawn. */
static int
digits_header(const char *s, const char *end)
{
	static const char *const names[] = { "Date:", "Arrival-Date:", "Last-Attempt-Date:",
					     "Message-ID:", "X-Postfix-Queue-ID:", NULL };
	size_t i;

	for (i = 0; names[i]; i++) {
		size_t l = strlen(names[i]);

		if ((size_t)(end - s) >= l && strncasecmp(s, names[i], l) == 0)
			return 1;
	}
	return 0;
}

static struct text
vary(const struct text *t)
{
	struct subst sub[MAX_SUBST];
	size_t ns = 0, i, k, cap = t->n * 2 + 256, o = 0;
	const char *s = t->s, *end = t->s + t->n, *bp;
	struct text r;
	int in_digits = 0;

	/* recipient local parts */
	for (i = 0; i < t->n && ns < MAX_SUBST - 1; i++) {
		size_t a;

		if (s[i] != '@')
			continue;
		for (a = i; a > 0 && is_local_char((unsigned char)s[a - 1]); a--)
			;
		if (a == i || i - a > 48 || keep_local(s + a, i - a))
			continue;
		for (k = 0; k < ns; k++)
			if (sub[k].n == i - a && memcmp(sub[k].from, s + a, i - a) == 0)
				break;
		if (k < ns)
			continue;
		sub[ns].from = s + a;
		sub[ns].n = i - a;
		sub[ns].tn = 3 + rng() % 10;
		sub[ns].local = 1;
		rand_word(sub[ns].to, sub[ns].tn);
		ns++;
	}
	/* the MIME boundary */
	bp = t->n > 9 ? strstr(s, "boundary=") : NULL;
	if (bp && ns < MAX_SUBST) {
		const char *b = bp + 9, *e;

		if (*b == '"')
			b++;
		for (e = b; e < end && *e != '"' && *e != ';' && *e != '\r' && *e != '\n'; e++)
			;
		if (e - b >= 4 && e - b < 64) {
			sub[ns].from = b;
			sub[ns].n = (size_t)(e - b);
			sub[ns].tn = sub[ns].n;
			sub[ns].local = 0;
			rand_word(sub[ns].to, sub[ns].tn);
			ns++;
		}
	}
	r.s = malloc(cap);
	r.n = 0;
	if (!r.s)
		return r;
	for (i = 0; i < t->n;) {
		if (i == 0 || s[i - 1] == '\n')
			in_digits = digits_header(s + i, end);
		for (k = 0; k < ns; k++) {
			const struct subst *x = &sub[k];

			if (t->n - i < x->n || memcmp(s + i, x->from, x->n) != 0)
				continue;
			if (!x->local ||
			    ((i == 0 || !is_local_char((unsigned char)s[i - 1])) &&
			     i + x->n < t->n && s[i + x->n] == '@'))
				break;
		}
		if (k < ns && o + sub[k].tn < cap) {
			memcpy(r.s + o, sub[k].to, sub[k].tn);
			o += sub[k].tn;
			i += sub[k].n;
			continue;
		}
		if (o + 1 >= cap)
			break;
		if (in_digits && isdigit((unsigned char)s[i]))
			r.s[o++] = (char)('0' + rng() % 10);
		else
			r.s[o++] = s[i];
		i++;
	}
	r.n = o;
	return r;
}

/* ------------------------------------------------------------ main */

/* Whether a template is a whole email: a header (up to the first empty
 * line) with a From: field; the dsn-* templates are report parts. */
static int
is_email(const struct text *t)
{
	const char *p = t->s, *end = t->s + t->n;

	while (p < end && *p != '\n' && !(*p == '\r' && p + 1 < end && p[1] == '\n')) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (end - p >= 5 && strncasecmp(p, "From:", 5) == 0)
			return 1;
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

/* The messages made from whole emails as a Maildir under dir (which must
 * not exist yet). Returns how many were written, or -1. */
static long
write_maildir(const char *dir, const struct text *msgs, size_t n, const struct text *tmpl,
	      size_t n_tmpl)
{
	static const char *const sub[] = { "", "/cur", "/new", "/tmp" };
	char path[4096];
	size_t i;
	long count = 0;

	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s%s", dir, sub[i]);
		if (mkdir(path, 0755) != 0) {
			fprintf(stderr, "msgbench: %s: %s\n", path, strerror(errno));
			return -1;
		}
	}
	for (i = 0; i < n; i++) {
		FILE *f;

		if (!is_email(&tmpl[i % n_tmpl]))
			continue;
		snprintf(path, sizeof(path), "%s/cur/%08zu.bench:2,S", dir, i + 1);
		f = fopen(path, "w");
		if (!f || fwrite(msgs[i].s, 1, msgs[i].n, f) != msgs[i].n || fclose(f) != 0) {
			fprintf(stderr, "msgbench: %s: %s\n", path, strerror(errno));
			return -1;
		}
		count++;
	}
	return count;
}

int
main(int argc, char **argv)
{
	struct catalog *cat = NULL;
	struct cat_analyzer *az = NULL;
	struct cat_analysis *an = NULL;
	struct cat_error err;
	struct text *tmpl = NULL, *msgs;
	const char **want;
	size_t n, rounds, n_tmpl = 0, i, r, total = 0, diagnoses = 0, drift = 0;
	double *t_pass, *t_json;
	char *json = NULL;
	size_t json_len = 0, json_cap = 0;
	long in_maildir = -1;

	if ((argc != 4 && argc != 5) || (n = strtoul(argv[1], NULL, 10)) == 0 ||
	    (rounds = strtoul(argv[2], NULL, 10)) == 0) {
		fputs("usage: msgbench N ROUNDS DIR [MAILDIR]\n", stderr);
		return 2;
	}
	if (load_templates(argv[3], &tmpl, &n_tmpl) != 0)
		return 1;
	if (cat_open(&cat, &err) != CAT_OK || cat_ready(cat, &err) != CAT_OK ||
	    cat_analyzer_new(cat, &az, &err) != CAT_OK) {
		fprintf(stderr, "msgbench: %s\n", err.msg);
		return 1;
	}
	/* the reason of each template, to see that the variations keep it */
	want = calloc(n_tmpl, sizeof(*want));
	msgs = calloc(n, sizeof(*msgs));
	t_pass = calloc(rounds, sizeof(*t_pass));
	t_json = calloc(rounds, sizeof(*t_json));
	if (!want || !msgs || !t_pass || !t_json)
		return 1;
	for (i = 0; i < n_tmpl; i++) {
		if (cat_analyze(az, tmpl[i].s, tmpl[i].n, &an, &err) != CAT_OK) {
			fprintf(stderr, "msgbench: %s\n", err.msg);
			return 1;
		}
		want[i] = an->d[0].reason; /* catalog strings outlive the analysis */
	}
	for (i = 0; i < n; i++) {
		msgs[i] = vary(&tmpl[i % n_tmpl]);
		if (!msgs[i].s)
			return 1;
		total += msgs[i].n;
	}
	if (argc == 5 && (in_maildir = write_maildir(argv[4], msgs, n, tmpl, n_tmpl)) < 0)
		return 1;
	/* untimed pass: warms the caches, counts diagnoses and drift */
	for (i = 0; i < n; i++) {
		if (cat_analyze(az, msgs[i].s, msgs[i].n, &an, &err) != CAT_OK) {
			fprintf(stderr, "msgbench: message %zu: %s\n", i, err.msg);
			return 1;
		}
		diagnoses += an->n;
		if (strcmp(an->d[0].reason, want[i % n_tmpl]) != 0)
			drift++;
	}
	for (r = 0; r < rounds; r++) {
		double t0 = now_ms();

		for (i = 0; i < n; i++)
			if (cat_analyze(az, msgs[i].s, msgs[i].n, &an, &err) != CAT_OK) {
				fprintf(stderr, "msgbench: message %zu: %s\n", i, err.msg);
				return 1;
			}
		t_pass[r] = now_ms() - t0;
	}
	for (r = 0; r < rounds; r++) {
		double t0 = now_ms();
		size_t k;

		for (i = 0; i < n; i++) {
			if (cat_analyze(az, msgs[i].s, msgs[i].n, &an, &err) != CAT_OK) {
				fprintf(stderr, "msgbench: message %zu: %s\n", i, err.msg);
				return 1;
			}
			for (k = 0; k < an->n; k++) {
				json_len = 0;
				if (cat_diagnosis_json(an, k, msgs[i].s, msgs[i].n, i + 1, &json,
						       &json_len, &json_cap) != CAT_OK) {
					fputs("msgbench: cat_diagnosis_json failed\n", stderr);
					return 1;
				}
			}
		}
		t_json[r] = now_ms() - t0;
	}
	printf("msgs\t%zu\t%zu\t%zu\t%zu\t%zu\n", n, n_tmpl, total / n, diagnoses, drift);
	put_stats("pass", t_pass, rounds);
	put_stats("json", t_json, rounds);
	if (in_maildir >= 0)
		printf("maildir\t%ld\n", in_maildir);

	for (i = 0; i < n; i++)
		free(msgs[i].s);
	for (i = 0; i < n_tmpl; i++)
		free(tmpl[i].s);
	free(tmpl);
	free(msgs);
	free(want);
	free(t_pass);
	free(t_json);
	free(json);
	cat_analysis_free(an);
	cat_analyzer_free(az);
	cat_close(cat);
	return 0;
}
