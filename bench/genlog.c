/* genlog.c: writes a synthetic Postfix mail log for bench/run.sh.
 *
 *	genlog BYTES OUT DIR
 *
 * The lines are made from the Postfix lines of the bounce corpus, DIR/postfix-*.txt
 * (read in name order): the ones with status=sent are the delivered
 * templates, every other one (bounced, deferred, expired, across providers)
 * a problem template. 90% of the lines are delivered, 10% problems, the
 * template picked at random. Each line gets its own time stamp (increasing),
 * process id, queue id and recipient local part (replaced wherever the
 * template repeats it, as in "said: 550 5.1.1 <bob@...>"); the rest of the
 * template is kept as it is.
 *
 * The PRNG is xorshift64* with a fixed seed, so the same BYTES and corpus
 * always give the same bytes, and a smaller BYTES gives a prefix of a larger
 * one. The file ends at the last whole line that fits in BYTES.
 * Prints "lines N\tbytes B\tsent S\tproblems P" on stdout.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

enum { MAX_TEMPLATES = 1024, LINE_MAX_LEN = 8192 };

struct tmpl {
	char *prog;  /* "postfix/smtp" */
	char *rest;  /* after "QUEUEID: " */
	char *local; /* the recipient's local part, or NULL */
};

static struct tmpl sent[MAX_TEMPLATES], prob[MAX_TEMPLATES];
static size_t n_sent, n_prob;

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

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

/* "Mar  3 10:55:00 mail01 postfix/smtp[18301]: AFFB8B16F9: to=<...>..." */
static int
parse_template(char *line, struct tmpl *t)
{
	char *p = line + 16, *prog, *br, *q, *to, *at;

	if (strlen(line) < 40)
		return -1;
	p = strchr(p, ' '); /* after the host name */
	if (!p)
		return -1;
	prog = p + 1;
	br = strchr(prog, '[');
	if (!br || strncmp(prog, "postfix", 7) != 0)
		return -1;
	q = strstr(br, "]: ");
	if (!q)
		return -1;
	q += 3;
	q = strstr(q, ": "); /* after the queue id */
	if (!q)
		return -1;
	*br = '\0';
	t->prog = strdup(prog);
	t->rest = strdup(q + 2);
	t->local = NULL;
	to = strstr(t->rest, "to=<");
	if (to && (at = strchr(to + 4, '@')) != NULL && at - to - 4 > 0 && at - to - 4 < 64)
		t->local = strndup(to + 4, (size_t)(at - to - 4));
	return t->prog && t->rest ? 0 : -1;
}

static int
load(const char *dir)
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

		if (strncmp(e->d_name, "postfix-", 8) != 0 || l < 5 ||
		    strcmp(e->d_name + l - 4, ".txt") != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 128;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				return -1;
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		char path[4096], line[LINE_MAX_LEN];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = fopen(path, "r");
		if (!f) {
			perror(path);
			return -1;
		}
		if (fgets(line, sizeof(line), f)) {
			struct tmpl t;

			line[strcspn(line, "\r\n")] = '\0';
			if (parse_template(line, &t) == 0) {
				if (strstr(t.rest, "status=sent") && n_sent < MAX_TEMPLATES)
					sent[n_sent++] = t;
				else if (!strstr(t.rest, "status=sent") && n_prob < MAX_TEMPLATES)
					prob[n_prob++] = t;
			}
		}
		fclose(f);
		free(names[i]);
	}
	free(names);
	if (n_sent == 0 || n_prob == 0) {
		fprintf(stderr, "genlog: %s: no postfix-*.txt templates (sent %zu, other %zu)\n", dir,
			n_sent, n_prob);
		return -1;
	}
	return 0;
}

static const char *const first[] = { "john", "mary", "j.doe", "a.smith", "li.wei", "p.chen",
				     "r.diaz", "t.brown", "sales", "info", "kim", "olga",
				     "m.rossi", "h.mueller", "yuki", "ana.silva" };

/* Appends t->rest to out with the recipient's local part replaced by nl. */
static size_t
render_rest(char *out, size_t cap, const struct tmpl *t, const char *nl)
{
	const char *s = t->rest;
	size_t n = 0, ol = t->local ? strlen(t->local) : 0, ll = strlen(nl);

	while (*s && n + ll + 2 < cap) {
		if (ol && strncmp(s, t->local, ol) == 0 && s[ol] == '@' &&
		    (s == t->rest || strchr("<=;: (", s[-1]))) {
			memcpy(out + n, nl, ll);
			n += ll;
			s += ol;
			continue;
		}
		out[n++] = *s++;
	}
	out[n++] = '\n';
	return n;
}

int
main(int argc, char **argv)
{
	static const char *const month[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	static char buf[1 << 20];
	char line[LINE_MAX_LEN + 256], local[64];
	unsigned long long limit, total = 0, lines = 0, n_ok = 0, n_bad = 0;
	unsigned long secs = 0; /* since Mar 1 00:00:00 */
	size_t used = 0;
	FILE *out;
	char *end;

	if (argc != 4) {
		fputs("usage: genlog BYTES OUT DIR\n", stderr);
		return 2;
	}
	limit = strtoull(argv[1], &end, 10);
	if (*end || limit == 0)
		return 2;
	if (load(argv[3]) != 0)
		return 1;
	out = fopen(argv[2], "wb");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	for (;;) {
		uint64_t v = rng();
		int is_sent = v % 10 != 0;
		const struct tmpl *t = is_sent ? &sent[(v >> 8) % n_sent] : &prob[(v >> 8) % n_prob];
		unsigned long day, mon, d;
		static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		char qid[11];
		size_t n, k;
		int len;

		secs += (unsigned long)((v >> 20) % 3); /* a few lines per second */
		day = secs / 86400;
		for (mon = 2, d = day; d >= mdays[mon % 12]; mon++)
			d -= mdays[mon % 12];
		for (k = 0; k < 10; k++)
			qid[k] = "0123456789ABCDEF"[(rng() >> 17) & 15];
		qid[10] = '\0';
		v = rng();
		snprintf(local, sizeof(local), "%s%u", first[v % (sizeof(first) / sizeof(first[0]))],
			 (unsigned)((v >> 8) % 10000));
		len = snprintf(line, sizeof(line), "%s %2lu %02lu:%02lu:%02lu mail01 %s[%u]: %s: ",
			       month[mon % 12], d + 1, secs / 3600 % 24, secs / 60 % 60, secs % 60,
			       t->prog, (unsigned)(1000 + (v >> 24) % 31000), qid);
		if (len < 0)
			return 1;
		n = (size_t)len + render_rest(line + len, sizeof(line) - (size_t)len, t, local);
		if (total + n > limit)
			break;
		if (used + n > sizeof(buf)) {
			if (fwrite(buf, 1, used, out) != used) {
				perror(argv[2]);
				return 1;
			}
			used = 0;
		}
		memcpy(buf + used, line, n);
		used += n;
		total += n;
		lines++;
		if (is_sent)
			n_ok++;
		else
			n_bad++;
	}
	if (fwrite(buf, 1, used, out) != used || fclose(out) != 0) {
		perror(argv[2]);
		return 1;
	}
	printf("lines %llu\tbytes %llu\tsent %llu\tproblems %llu\n", lines, total, n_ok, n_bad);
	return 0;
}
