/* analyze.c: bounce text in, diagnosis out.
 *
 * Mechanism only: the formats of mail logs, DSNs and MIME are parsed here,
 * but every piece of knowledge (which phrase reveals which reason, which
 * marker names which provider, what a provider's reply means, what to do)
 * comes from the catalog and is compiled into one Aho-Corasick automaton
 * when the analyzer is built.
 *
 * One input goes through:
 *  1. structure: a whole message (MIME, DSN parts), a mail log line
 *     (Postfix, Exim, Sendmail, qmail), DSN fields, or plain text; each
 *     yields one or more "items" (a recipient with its diagnostic text,
 *     outcome, codes and host);
 *  2. per item: the text is folded to lower case with continuation prefixes
 *     of multi-line replies removed (keeping a map back to input offsets),
 *     scanned once by the automaton, and its codes are read;
 *  3. decision: provider, matching provider entry, reason by precedence,
 *     class, type, action, confidence, summary and fix, evidence.
 */
/* memmem(): glibc, the BSDs and macOS have it; glibc declares it for _GNU_SOURCE */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "analyze.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "acm.h"
#include "jsonw.h"
#include "mime.h"
#include "db.h"
#include "util.h"

/* MAX_ITEMS: recipients of one message that get their own diagnosis */
/* offsets into an input are kept in 32 bits (the map of normalize_into()) */
#define MAX_INPUT_LIMIT ((size_t)1 << 31)
enum { DEFAULT_MAX_INPUT = 1024 * 1024, MAX_ITEMS = 1024, MAX_EVIDENCE = 24, MAX_HITS = 256,
       MAX_ENTRIES = 6, MIME_DEPTH = 6, FRAG_MIN = 14, SEG_KEYS = 12, SEG_SLOTS = 256,
       CODES_PREFIX = 40, HOST_KEY = 96, HOST_HITS = 16, HOST_SLOTS = 64 };

/* Pattern ids: kind in the top byte, index below. */
enum { PAT_PHRASE = 1, PAT_MARKER, PAT_FRAG, PAT_TAG };
#define PAT_ID(kind, i) ((kind) << 24 | (i))
#define PAT_KIND(id) ((id) >> 24)
#define PAT_INDEX(id) ((id)&0xffffff)

/* A reason, with its words compiled into enums once, at cat_analyzer_new(). */
/* The reasons the analyzer's code names, X(field of struct cat_analyzer, id):
 * a catalog without one of them is refused by cat_analyzer_new(). */
#define A_REASON_LIST(X)                                                       \
	X(r_unknown, "unknown")                                                \
	X(r_success, "success")                                                \
	X(r_expired, "expired")                                                \
	X(r_auto_reply, "auto_reply")                                          \
	X(r_complaint, "complaint")

struct a_reason {
	const char *id, *group, *meaning, *fix, *transient;
	enum cat_type type;
	enum cat_action act, act_t; /* act_t: when transient; UNSET when none */
};

struct a_code { /* a generic reply or enhanced code */
	int reply;        /* for replies */
	int subj, det;    /* for enhanced codes */
	const char *key;
	const char *rule; /* "reply:550", "enhanced:X.1.1" */
	int reason;       /* index into reasons, -1 */
	const char *meaning, *fix;
};

struct a_entry {
	const char *key;
	const char *rule, *tag_rule; /* "entry:KEY", "tag:TAG" */
	int prov;
	int reply, ecls, esubj, elo, ehi;
	const char *tag;
	int reason;
	const char *meaning, *fix;
};

struct a_provider {
	const char *id;
	const char *rule; /* "marker:ID" */
	const char **domains;
	size_t n_domains;
};

struct a_phrase {
	const char *id;
	const char *rule; /* "phrase:ID" */
	int reason; /* -1 when it only hints a class */
	int cls;
	int isubj, idet; /* implied enhanced code, -1 */
	int weight;
	int subject_only;
	size_t len;
};

struct a_marker {
	int prov;
	int strong;
	int is_tag; /* a tag such as (S3150): it names the reply too */
	size_t len;
};

struct a_frag {
	int entry;
	size_t len;
	const char *text; /* folded */
	int generic; /* mostly one of the phrase packs' phrases: not the provider's own */
};

struct a_bitflags {
	int prov;
	const char *prefix; /* lower case */
	size_t plen;
	int digits;
	int reply;
	int reason;
};

struct cat_analyzer {
	struct catalog *cat;
	struct cat_arena *arena;
	struct acm *acm;
	size_t max_input;
	struct a_reason *reasons;
	size_t n_reasons;
	struct a_code *replies;
	size_t n_replies;
	struct a_code *enh;
	size_t n_enh;
	/* 1 + the index of the first reply code N in replies, 0 if none; and
	 * of the first X.S.D in enh, by S * 1000 + D */
	short reply_at[1000];
	short enh_at[8 * 1000];
	struct a_entry *entries;
	size_t n_entries;
	/* every provider's domains, a hash table (see index_domains()) */
	struct a_domain {
		const char *name;
		int prov;
	} *doms;
	size_t n_doms;
	/* the entries of provider p are by_prov[prov_off[p] .. prov_off[p + 1]) */
	int *by_prov;
	size_t *prov_off;
	struct a_provider *provs;
	size_t n_provs;
	struct a_phrase *phrases;
	size_t n_phrases;
	struct a_marker *markers;
	size_t n_markers;
	struct a_frag *frags;
	size_t n_frags;
	struct a_bitflags *bitflags;
	size_t n_bitflags;
#define A_REASON_FIELD(field, id) int field;
	A_REASON_LIST(A_REASON_FIELD)
#undef A_REASON_FIELD
};

/* What one analysis keeps between calls (cat_analysis.scratch): the
 * buffers of cat_analyze() and the JSON form of long-lived strings. It
 * belongs to the analysis, not to the analyzer, so that an analyzer is only
 * read once it is built and threads can share it. */
struct an_scratch {
	struct item *items; /* MAX_ITEMS */
	unsigned char *norm;
	uint32_t *map; /* input offsets: inputs are at most 2 GiB */
	size_t cap;
	/* the JSON form of long catalog strings (summaries and fixes), by
	 * pointer: they are written again for every line of a log */
	struct jcache {
		const char *key;
		char *json;
		size_t len;
	} *jc;
	size_t jc_cap, jc_n;
	/* runs of members whose values are all long-lived, by their values
	 * (see seg_write()): two runs, SEG_SLOTS slots each */
	struct jseg {
		const void *key[SEG_KEYS];
		size_t n_key;
		char *json;
		size_t len, cap;
	} seg[2][SEG_SLOTS];
	/* what the automaton finds in a relay's name, by the name: a log
	 * names the same few relays over and over (see analyze_item()) */
	struct hcache {
		unsigned char name[HOST_KEY];
		size_t len;
		size_t n_hits;
		struct {
			int id;
			uint16_t start, end;
		} hits[HOST_HITS];
	} hosts[HOST_SLOTS];
	/* the opening of an evidence object ({"rule":"reply:550"), by rule */
	struct jhead {
		const char *rule;
		char *json;
		size_t len;
	} head[SEG_SLOTS];
};

/* ------------------------------------------------------------ building */

static int
find_reason(const struct cat_analyzer *a, const char *id)
{
	size_t i;

	if (!id)
		return -1;
	for (i = 0; i < a->n_reasons; i++)
		if (strcmp(a->reasons[i].id, id) == 0)
			return (int)i;
	return -1;
}

static int
find_provider(const struct cat_analyzer *a, const char *id)
{
	size_t i;

	if (!id)
		return -1;
	for (i = 0; i < a->n_provs; i++)
		if (strcmp(a->provs[i].id, id) == 0)
			return (int)i;
	return -1;
}

static const char *
col(struct cat_analyzer *a, sqlite3_stmt *st, int c, int *oom)
{
	const unsigned char *s = sqlite3_column_text(st, c);
	char *p;

	if (!s)
		return NULL;
	p = arena_strndup(a->arena, (const char *)s, (size_t)sqlite3_column_bytes(st, c));
	if (!p)
		*oom = 1;
	return p;
}

static const char *
rule_name(struct cat_analyzer *a, const char *prefix, const char *name, int *oom)
{
	size_t pl = strlen(prefix), nl = name ? strlen(name) : 0;
	char *p = arena_alloc(a->arena, pl + nl + 1);

	if (!p) {
		*oom = 1;
		return NULL;
	}
	memcpy(p, prefix, pl);
	if (nl)
		memcpy(p + pl, name, nl);
	p[pl + nl] = '\0';
	return p;
}

static int
icol(sqlite3_stmt *st, int c, int dflt)
{
	return sqlite3_column_type(st, c) == SQLITE_NULL ? dflt : sqlite3_column_int(st, c);
}

/* Runs `sql` and calls row() for each row. */
static enum cat_status
each_row(struct cat_analyzer *a, const char *sql,
	 enum cat_status (*row)(struct cat_analyzer *, sqlite3_stmt *, struct cat_error *),
	 struct cat_error *err)
{
	sqlite3_stmt *st = NULL;
	enum cat_status s = CAT_OK;
	int rc;

	if (sqlite3_prepare_v2(a->cat->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(a->cat, err, "analyzer");
	while (s == CAT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		s = row(a, st, err);
	if (s == CAT_OK && rc != SQLITE_DONE)
		s = db_fail(a->cat, err, "analyzer");
	sqlite3_finalize(st);
	return s;
}

/* Grows an array of n elements by one; returns the new element or NULL. */
static void *
push(void **arr, size_t *n, size_t size)
{
	void *p;

	if ((*n & (*n + 1)) == 0 || *n == 0) { /* 0, 1, 3, 7, ...: next power of two */
		size_t cap = (*n + 1) * 2;

		p = realloc(*arr, cap * size);
		if (!p)
			return NULL;
		*arr = p;
	}
	p = (char *)*arr + *n * size;
	memset(p, 0, size);
	(*n)++;
	return p;
}

static enum cat_status
row_reason(struct cat_analyzer *a, sqlite3_stmt *st, struct cat_error *err)
{
	struct a_reason *r = push((void **)&a->reasons, &a->n_reasons, sizeof(*r));
	int oom = 0;

	if (!r)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	r->id = col(a, st, 0, &oom);
	r->type = cat_type_of_name((const char *)sqlite3_column_text(st, 1));
	r->group = col(a, st, 2, &oom);
	r->act = cat_action_of_name((const char *)sqlite3_column_text(st, 3));
	r->act_t = cat_action_of_name((const char *)sqlite3_column_text(st, 4));
	r->meaning = col(a, st, 5, &oom);
	r->fix = col(a, st, 6, &oom);
	r->transient = col(a, st, 7, &oom);
	return oom ? cat_fail(err, CAT_ENOMEM, "out of memory") : CAT_OK;
}

static enum cat_status
row_code(struct cat_analyzer *a, sqlite3_stmt *st, struct cat_error *err)
{
	int kind = sqlite3_column_int(st, 0), oom = 0;
	struct a_code *c = kind == CAT_KIND_REPLY ? push((void **)&a->replies, &a->n_replies, sizeof(*c))
						  : push((void **)&a->enh, &a->n_enh, sizeof(*c));

	if (!c)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	c->reply = icol(st, 1, 0);
	c->subj = icol(st, 2, -1);
	c->det = icol(st, 3, -1);
	c->key = col(a, st, 4, &oom);
	c->rule = rule_name(a, kind == CAT_KIND_REPLY ? "reply:" : "enhanced:", c->key, &oom);
	c->reason = find_reason(a, (const char *)sqlite3_column_text(st, 5));
	c->meaning = col(a, st, 6, &oom);
	c->fix = col(a, st, 7, &oom);
	return oom ? cat_fail(err, CAT_ENOMEM, "out of memory") : CAT_OK;
}

static enum cat_status
row_provider(struct cat_analyzer *a, sqlite3_stmt *st, struct cat_error *err)
{
	struct a_provider *p = push((void **)&a->provs, &a->n_provs, sizeof(*p));
	int oom = 0;

	if (!p)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	p->id = col(a, st, 0, &oom);
	p->rule = rule_name(a, "marker:", p->id, &oom);
	return oom ? cat_fail(err, CAT_ENOMEM, "out of memory") : CAT_OK;
}

static enum cat_status
row_domain(struct cat_analyzer *a, sqlite3_stmt *st, struct cat_error *err)
{
	int p = find_provider(a, (const char *)sqlite3_column_text(st, 0)), oom = 0;
	const char **d;

	if (p < 0)
		return CAT_OK;
	d = push((void **)&a->provs[p].domains, &a->provs[p].n_domains, sizeof(*d));
	if (!d)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	*d = col(a, st, 1, &oom);
	if (*d)
		for (char *q = (char *)(uintptr_t)*d; *q; q++)
			*q = (char)tolower((unsigned char)*q);
	return oom ? cat_fail(err, CAT_ENOMEM, "out of memory") : CAT_OK;
}

/* Folds ASCII and Latin-1 letters to lower case, byte length unchanged:
 * UTF-8 C3 80..9E (U+00C0..U+00DE, except U+00D7) become C3 A0..BE. */
static void
fold(unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (unsigned char)(s[i] + 32);
		else if (s[i] == 0xc3 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9e &&
			 s[i + 1] != 0x97)
			s[++i] += 0x20;
	}
}

static int
add_pattern(struct cat_analyzer *a, const char *text, size_t len, int id)
{
	char buf[512];

	if (len == 0 || len >= sizeof(buf))
		return 0;
	memcpy(buf, text, len);
	fold((unsigned char *)buf, len);
	return acm_add(a->acm, buf, len, id);
}

static enum cat_status
row_marker(struct cat_analyzer *a, sqlite3_stmt *st, struct cat_error *err)
{
	int p = find_provider(a, (const char *)sqlite3_column_text(st, 0));
	const char *strength = (const char *)sqlite3_column_text(st, 2);
	const char *body = (const char *)sqlite3_column_text(st, 3);
	struct a_marker *m;

	if (p < 0 || !body)
		return CAT_OK;
	m = push((void **)&a->markers, &a->n_markers, sizeof(*m));
	if (!m)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	m->prov = p;
	m->strong = !strength || strcmp(strength, "weak") != 0;
	m->is_tag = sqlite3_column_text(st, 1) &&
		    strcmp((const char *)sqlite3_column_text(st, 1), "tag") == 0;
	m->len = strlen(body);
	if (add_pattern(a, body, m->len, PAT_ID(PAT_MARKER, (int)(a->n_markers - 1))))
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	return CAT_OK;
}

static enum cat_status
row_entry(struct cat_analyzer *a, sqlite3_stmt *st, struct cat_error *err)
{
	struct a_entry *e = push((void **)&a->entries, &a->n_entries, sizeof(*e));
	int oom = 0;

	if (!e)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	e->key = col(a, st, 0, &oom);
	e->prov = find_provider(a, (const char *)sqlite3_column_text(st, 1));
	e->reply = icol(st, 2, 0);
	e->ecls = icol(st, 3, 0);
	e->esubj = icol(st, 4, -1);
	e->elo = icol(st, 5, -1);
	e->ehi = icol(st, 6, -1);
	e->tag = col(a, st, 7, &oom);
	e->rule = rule_name(a, "entry:", e->key, &oom);
	e->tag_rule = e->tag ? rule_name(a, "tag:", e->tag, &oom) : NULL;
	e->reason = find_reason(a, (const char *)sqlite3_column_text(st, 8));
	e->meaning = col(a, st, 9, &oom);
	e->fix = col(a, st, 10, &oom);
	if (oom)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	if (e->tag && strlen(e->tag) >= 3 &&
	    add_pattern(a, e->tag, strlen(e->tag), PAT_ID(PAT_TAG, (int)(a->n_entries - 1))))
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	return CAT_OK;
}

static int
entry_index(const struct cat_analyzer *a, sqlite3_int64 key_len, const char *key)
{
	size_t i;

	(void)key_len;
	for (i = 0; i < a->n_entries; i++)
		if (strcmp(a->entries[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* A literal provider text gives fragments: the runs between placeholders
 * (<IP>, <address>, ...), without a leading reply or enhanced code. Only
 * fragments long enough to be distinctive are matched. */
static enum cat_status
add_fragments(struct cat_analyzer *a, int entry, const char *text, struct cat_error *err)
{
	const char *p = text;

	while (*p) {
		const char *start = p, *end;
		size_t len;

		while (*p && *p != '<')
			p++;
		end = p;
		if (*p == '<') {
			const char *close = strchr(p, '>');

			p = close ? close + 1 : p + 1;
		}
		/* trim spaces and a leading "550 5.1.1 " / "550-5.1.1 " */
		while (start < end && *start == ' ')
			start++;
		if (end - start > 4 && isdigit((unsigned char)start[0]) &&
		    isdigit((unsigned char)start[1]) && isdigit((unsigned char)start[2]) &&
		    (start[3] == ' ' || start[3] == '-')) {
			start += 4;
			if (end - start > 6 && isdigit((unsigned char)start[0]) && start[1] == '.') {
				while (start < end && *start != ' ')
					start++;
			}
		}
		/* and a leading enhanced code without a reply ("5.7.1 ...") */
		if (end - start > 6 && (start[0] == '2' || start[0] == '4' || start[0] == '5') &&
		    start[1] == '.' && isdigit((unsigned char)start[2])) {
			const char *q = start;

			while (q < end && *q != ' ')
				q++;
			start = q;
		}
		while (start < end && (*start == ' ' || *start == '-'))
			start++;
		while (end > start && (end[-1] == ' ' || end[-1] == '.'))
			end--;
		len = (size_t)(end - start);
		if (len >= FRAG_MIN && len < 400) {
			struct a_frag *f = push((void **)&a->frags, &a->n_frags, sizeof(*f));

			if (!f)
				return cat_fail(err, CAT_ENOMEM, "out of memory");
			f->entry = entry;
			f->len = len;
			f->text = arena_strndup(a->arena, start, len);
			if (!f->text)
				return cat_fail(err, CAT_ENOMEM, "out of memory");
			fold((unsigned char *)(uintptr_t)f->text, len);
			if (add_pattern(a, start, len, PAT_ID(PAT_FRAG, (int)(a->n_frags - 1))))
				return cat_fail(err, CAT_ENOMEM, "out of memory");
		}
	}
	return CAT_OK;
}

static enum cat_status
row_text(struct cat_analyzer *a, sqlite3_stmt *st, struct cat_error *err)
{
	const char *key = (const char *)sqlite3_column_text(st, 0);
	const char *body = (const char *)sqlite3_column_text(st, 1);
	int e = key ? entry_index(a, 0, key) : -1;

	if (e < 0 || !body)
		return CAT_OK;
	return add_fragments(a, e, body, err);
}

static void
parse_implied(const char *s, int *subj, int *det)
{
	*subj = *det = -1;
	if (s && (s[0] == 'X' || s[0] == 'x') && s[1] == '.') {
		char *end;

		*subj = (int)strtol(s + 2, &end, 10);
		if (*end == '.')
			*det = atoi(end + 1);
		else
			*subj = -1;
	}
}

static enum cat_status
row_phrase(struct cat_analyzer *a, sqlite3_stmt *st, struct cat_error *err)
{
	struct a_phrase *p = push((void **)&a->phrases, &a->n_phrases, sizeof(*p));
	const char *body = (const char *)sqlite3_column_text(st, 6);
	const char *where = (const char *)sqlite3_column_text(st, 5);
	int oom = 0;

	if (!p)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	p->id = col(a, st, 0, &oom);
	p->rule = rule_name(a, "phrase:", p->id, &oom);
	p->reason = find_reason(a, (const char *)sqlite3_column_text(st, 1));
	p->cls = icol(st, 2, 0);
	parse_implied((const char *)sqlite3_column_text(st, 3), &p->isubj, &p->idet);
	p->weight = icol(st, 4, 5);
	p->subject_only = where && strcmp(where, "subject") == 0;
	p->len = body ? strlen(body) : 0;
	if (oom)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	if (body && add_pattern(a, body, p->len, PAT_ID(PAT_PHRASE, (int)(a->n_phrases - 1))))
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	return CAT_OK;
}

static enum cat_status
row_bitflags(struct cat_analyzer *a, sqlite3_stmt *st, struct cat_error *err)
{
	struct a_bitflags *b = push((void **)&a->bitflags, &a->n_bitflags, sizeof(*b));
	int oom = 0;

	if (!b)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	b->prov = find_provider(a, (const char *)sqlite3_column_text(st, 0));
	b->prefix = col(a, st, 1, &oom);
	b->plen = b->prefix ? strlen(b->prefix) : 0;
	if (b->prefix)
		fold((unsigned char *)(uintptr_t)b->prefix, b->plen);
	b->digits = icol(st, 2, 0);
	b->reply = icol(st, 3, 0);
	b->reason = find_reason(a, (const char *)sqlite3_column_text(st, 4));
	return oom ? cat_fail(err, CAT_ENOMEM, "out of memory") : CAT_OK;
}

struct coverage {
	const struct cat_analyzer *a;
	unsigned char covered[400];
};

static int
on_cover(void *arg, int id, size_t end)
{
	struct coverage *c = arg;
	size_t len, k;

	if (PAT_KIND(id) != PAT_PHRASE)
		return 0;
	len = c->a->phrases[PAT_INDEX(id)].len;
	for (k = end - len; k < end && k < sizeof(c->covered); k++)
		c->covered[k] = 1;
	return 0;
}

/* A provider text that is mostly one of the phrase packs' phrases ("Relay
 * access denied", "Sender address rejected: Domain not found") is said by
 * many servers: it names no provider by itself. */
static void
mark_generic_fragments(struct cat_analyzer *a)
{
	size_t i;

	for (i = 0; i < a->n_frags; i++) {
		struct coverage c;
		size_t k, n = 0, letters = 0;

		memset(&c, 0, sizeof(c));
		c.a = a;
		acm_scan(a->acm, (const unsigned char *)a->frags[i].text, a->frags[i].len, on_cover, &c);
		for (k = 0; k < a->frags[i].len && k < sizeof(c.covered); k++) {
			if (!isalpha((unsigned char)a->frags[i].text[k]))
				continue;
			letters++;
			n += c.covered[k];
		}
		/* phrases cover most of its letters */
		a->frags[i].generic = letters && n * 10 >= letters * 7;
	}
}

/* Groups the provider entries by provider, and within one provider by
 * reply code, keeping the catalog's order among equals: a line names one
 * provider and one reply code, and the entries that fit are then one short
 * run found by binary search. */
struct prov_key {
	int prov, reply, index;
};

static int
cmp_prov_key(const void *x, const void *y)
{
	const struct prov_key *e = x, *f = y;

	if (e->prov != f->prov)
		return e->prov < f->prov ? -1 : 1;
	if (e->reply != f->reply)
		return e->reply < f->reply ? -1 : 1;
	return (e->index > f->index) - (e->index < f->index);
}

static int
index_by_provider(struct cat_analyzer *a)
{
	size_t i, n = 0;
	struct prov_key *keys = malloc((a->n_entries ? a->n_entries : 1) * sizeof(*keys));

	a->prov_off = calloc(a->n_provs + 2, sizeof(*a->prov_off));
	a->by_prov = malloc((a->n_entries ? a->n_entries : 1) * sizeof(*a->by_prov));
	if (!keys || !a->prov_off || !a->by_prov) {
		free(keys);
		return -1;
	}
	for (i = 0; i < a->n_entries; i++)
		if (a->entries[i].prov >= 0) {
			keys[n].prov = a->entries[i].prov;
			keys[n].reply = a->entries[i].reply;
			keys[n].index = (int)i;
			n++;
			a->prov_off[a->entries[i].prov + 1]++;
		}
	for (i = 0; i < a->n_provs; i++)
		a->prov_off[i + 1] += a->prov_off[i];
	qsort(keys, n, sizeof(*keys), cmp_prov_key);
	for (i = 0; i < n; i++)
		a->by_prov[i] = keys[i].index;
	free(keys);
	return 0;
}

/* Reply and enhanced codes by number (the first of each wins, as a scan
 * would find it). */
static void
index_codes(struct cat_analyzer *a)
{
	size_t i;

	for (i = a->n_replies; i-- > 0;)
		if (a->replies[i].reply >= 0 && a->replies[i].reply < 1000 && i < 32767)
			a->reply_at[a->replies[i].reply] = (short)(i + 1);
	for (i = a->n_enh; i-- > 0;)
		if (a->enh[i].subj >= 0 && a->enh[i].subj < 8 && a->enh[i].det >= 0 &&
		    a->enh[i].det < 1000 && i < 32767)
			a->enh_at[a->enh[i].subj * 1000 + a->enh[i].det] = (short)(i + 1);
}

static uint32_t
hash_name(const char *s, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The recipient's domain names a provider: an open-addressing hash table
 * (n_doms slots, a power of two) of every provider's domains, where the
 * first provider listing a domain wins. */
static int
index_domains(struct cat_analyzer *a)
{
	size_t i, j, n = 0, cap = 16;

	for (i = 0; i < a->n_provs; i++)
		n += a->provs[i].n_domains;
	while (cap < 2 * n)
		cap *= 2;
	a->doms = calloc(cap, sizeof(*a->doms));
	if (!a->doms)
		return -1;
	a->n_doms = cap;
	for (i = 0; i < a->n_provs; i++)
		for (j = 0; j < a->provs[i].n_domains; j++) {
			const char *d = a->provs[i].domains[j];
			size_t k = hash_name(d, strlen(d)) & (cap - 1);

			while (a->doms[k].name && strcmp(a->doms[k].name, d) != 0)
				k = (k + 1) & (cap - 1);
			if (!a->doms[k].name) {
				a->doms[k].name = d;
				a->doms[k].prov = (int)i;
			}
		}
	return 0;
}

/* The run of provider prov's entries with this reply code (all of them
 * for reply 0): [*lo, *hi) in by_prov. */
static void
prov_entries(const struct cat_analyzer *a, int prov, int reply, size_t *lo, size_t *hi)
{
	size_t l = a->prov_off[prov], h = a->prov_off[prov + 1];

	*lo = l;
	*hi = h;
	if (!reply)
		return;
	while (l < h) { /* the first with a reply code >= reply */
		size_t mid = l + (h - l) / 2;

		if (a->entries[a->by_prov[mid]].reply < reply)
			l = mid + 1;
		else
			h = mid;
	}
	*lo = l;
	for (h = l; h < *hi && a->entries[a->by_prov[h]].reply == reply; h++)
		;
	*hi = h;
}

enum cat_status
cat_analyzer_new(struct catalog *cat, struct cat_analyzer **out, struct cat_error *err)
{
	struct cat_analyzer *a;
	enum cat_status s = CAT_OK;

	if (!cat || !out)
		return cat_fail(err, CAT_EUSAGE, "cat_analyzer_new: bad arguments");
	*out = NULL;
	if (!cat->ready)
		return cat_fail(err, CAT_ESTATE, "the catalog is not ready");
	a = calloc(1, sizeof(*a));
	if (!a)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	a->cat = cat;
	a->max_input = DEFAULT_MAX_INPUT;
	a->arena = arena_new();
	a->acm = acm_new();
	if (!a->arena || !a->acm) {
		s = cat_fail(err, CAT_ENOMEM, "out of memory");
		goto out;
	}
	s = each_row(a,
		     "SELECT code, rtype, rgroup, act, act_t, meaning, fix, extra FROM entry"
		     " WHERE kind = 6 ORDER BY id",
		     row_reason, err);
	if (s == CAT_OK)
		s = each_row(a,
			     "SELECT kind, reply, esubj, elo, key, reason, meaning, fix FROM entry"
			     " WHERE kind IN (2, 3) ORDER BY id",
			     row_code, err);
	if (s == CAT_OK)
		s = each_row(a, "SELECT provider FROM entry WHERE kind = 5 ORDER BY id", row_provider,
			     err);
	if (s == CAT_OK)
		s = each_row(a, "SELECT provider, name FROM domain", row_domain, err);
	if (s == CAT_OK)
		s = each_row(a, "SELECT provider, place, strength, body FROM marker", row_marker, err);
	if (s == CAT_OK)
		s = each_row(a,
			     "SELECT e.key, e.provider, e.reply, e.ecls, e.esubj, e.elo, e.ehi, e.tag,"
			     " COALESCE(e.reason, g.reason), e.meaning, e.fix FROM entry e"
			     " LEFT JOIN entry g ON g.kind = 3 AND g.esubj = e.esubj AND g.elo = e.elo"
			     "  AND e.elo = e.ehi"
			     " WHERE e.kind = 4 ORDER BY e.id",
			     row_entry, err);
	if (s == CAT_OK)
		s = each_row(a,
			     "SELECT e.key, t.body FROM text t JOIN entry e ON e.id = t.entry"
			     " WHERE e.kind = 4 ORDER BY t.entry, t.pos",
			     row_text, err);
	if (s == CAT_OK)
		s = each_row(a,
			     "SELECT id, reason, cls, implies, weight, place, body FROM phrase"
			     " ORDER BY rowid",
			     row_phrase, err);
	if (s == CAT_OK)
		s = each_row(a,
			     "SELECT provider, prefix, digits, reply, reason FROM bitflags ORDER BY id",
			     row_bitflags, err);
	if (s == CAT_OK && acm_build(a->acm) != 0)
		s = cat_fail(err, CAT_ENOMEM, "out of memory");
	if (s == CAT_OK)
		mark_generic_fragments(a);
	if (s == CAT_OK)
		index_codes(a);
	if (s == CAT_OK && (index_by_provider(a) != 0 || index_domains(a) != 0))
		s = cat_fail(err, CAT_ENOMEM, "out of memory");
#define A_REASON_FIND(field, id)                                                                   \
	if (s == CAT_OK && (a->field = find_reason(a, id)) < 0)                                    \
		s = cat_fail(err, CAT_EREF, "the catalog has no reason \"%s\", which the analyzer needs", \
			     id);
	A_REASON_LIST(A_REASON_FIND)
#undef A_REASON_FIND
out:
	if (s != CAT_OK) {
		cat_analyzer_free(a);
		return s;
	}
	*out = a;
	return CAT_OK;
}

void
cat_analyzer_free(struct cat_analyzer *a)
{
	size_t i;

	if (!a)
		return;
	acm_free(a->acm);
	for (i = 0; i < a->n_provs; i++)
		free(a->provs[i].domains);
	free(a->reasons);
	free(a->replies);
	free(a->enh);
	free(a->entries);
	free(a->provs);
	free(a->phrases);
	free(a->markers);
	free(a->frags);
	free(a->bitflags);
	free(a->by_prov);
	free(a->prov_off);
	free(a->doms);
	arena_free(a->arena);
	free(a);
}

void
cat_analyzer_set_max_input(struct cat_analyzer *a, size_t max)
{
	if (a)
		a->max_input = !max ? DEFAULT_MAX_INPUT : max > MAX_INPUT_LIMIT ? MAX_INPUT_LIMIT : max;
}

/* ------------------------------------------------------------ input items */

/* A span of the input. */
struct span {
	size_t start, end;
};

/* What the structure of the input says about one recipient. */
struct item {
	struct span text;      /* diagnostic text: the reply or the NDR's words */
	struct span extra;     /* more context (the human part of a message) */
	struct span subject;   /* a Subject header */
	struct span recipient;
	struct span host;      /* its name is scanned for provider markers too */
	struct span status;    /* an enhanced code from a structured field */
	const char *status_rule;
	const char *outcome;
	int ocls;              /* the class the outcome implies: 2, 4, 5, or 0 */
	int expired;           /* the MTA gave up on the message */
	struct span outcome_at;
	const char *format;    /* "log:postfix", "dsn", "message", ... */
	int qmail;             /* underscores stand for spaces */
	const char *forced_reason; /* auto_reply, complaint */
};

/* Exact search: the keys of mail logs (status=, to=<, relay=, dsn=) are
 * always written in lower case. The literals are short and the texts a
 * line long: memchr() for the literal's first punctuation byte (':' of
 * " said: ", '(' of "(in reply to"), which is rare in text, then a compare,
 * costs a fraction of memmem()'s set-up. */
static const char *
find(const char *s, const char *end, const char *lit)
{
	size_t n = strlen(lit), k;
	const char *p;

	if (s >= end || n == 0 || (size_t)(end - s) < n)
		return NULL;
	for (k = 0; k < n && ((lit[k] >= 'a' && lit[k] <= 'z') || (lit[k] >= 'A' && lit[k] <= 'Z') ||
			      (lit[k] >= '0' && lit[k] <= '9') || lit[k] == ' ');
	     k++)
		;
	if (k == n)
		k = 0;
	for (p = s + k; p < end && (p = memchr(p, lit[k], (size_t)(end - p))) != NULL; p++)
		if ((size_t)(end - (p - k)) >= n && memcmp(p - k, lit, n) == 0)
			return p - k;
	return NULL;
}

static struct span
mkspan(const char *base, const char *s, const char *e)
{
	struct span sp = { (size_t)(s - base), (size_t)(e - base) };

	return sp;
}

static int
span_ok(struct span s)
{
	return s.end > s.start;
}

static size_t
span_len(struct span s)
{
	return s.end > s.start ? s.end - s.start : 0;
}

/* The address in "<a@b>" or "a@b" starting at s. */
/* The bytes that end an address ("<a@b>, ..."), and a relay's name
 * ("relay=mx.b[1.2.3.4]:25, ..."). */
static const unsigned char addr_stop[256] = {
	['>'] = 1, [','] = 1, [' '] = 1, ['\n'] = 1, ['\r'] = 1, [';'] = 1, ['"'] = 1, [')'] = 1,
	['\t'] = 1,
};
static const unsigned char relay_stop[256] = { ['['] = 1, [','] = 1, [' '] = 1 };

static struct span
read_address(const char *base, const char *s, const char *end)
{
	const char *e;

	while (s < end && (*s == ' ' || *s == '<' || *s == '"'))
		s++;
	e = s;
	while (e < end && !addr_stop[(unsigned char)*e])
		e++;
	while (e > s && (e[-1] == ':' || e[-1] == '.'))
		e--;
	if (e > s && memchr(s, '@', (size_t)(e - s)))
		return mkspan(base, s, e);
	return mkspan(base, s, s);
}

/* Records what the MTA did, and the class that implies. */
static void
set_outcome(struct item *it, const char *word)
{
	static const struct {
		const char *word;
		int cls;
	} classes[] = { { "bounced", 5 }, { "expired", 5 }, { "failed", 5 }, { "deferred", 4 },
			{ "delayed", 4 }, { "sent", 2 }, { "delivered", 2 }, { "relayed", 2 },
			{ "expanded", 2 } };
	size_t i;

	it->outcome = word;
	it->ocls = 0;
	it->expired = 0;
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (classes[i].word[0] == word[0] && strcmp(classes[i].word, word) == 0) {
			it->ocls = classes[i].cls;
			it->expired = i == 1;
			break;
		}
}

static void
outcome_from_word(struct item *it, const char *base, const char *w, const char *end)
{
	static const struct {
		const char *word;  /* as the MTA writes it */
		size_t len;
		const char *outcome;
		int cls, expired;
	} words[] = {
		{ "bounced", 7, "bounced", 5, 0 },     { "deferred", 8, "deferred", 4, 0 },
		{ "sent", 4, "sent", 2, 0 },           { "expired", 7, "expired", 5, 1 },
		{ "undeliverable", 13, "bounced", 5, 0 }, { "delivered", 9, "delivered", 2, 0 },
		{ "failed", 6, "failed", 5, 0 },       { "delayed", 7, "delayed", 4, 0 },
		{ "relayed", 7, "relayed", 2, 0 },     { "expanded", 8, "expanded", 2, 0 },
	};
	size_t i;
	int c0 = w < end ? (*w >= 'A' && *w <= 'Z' ? *w + 32 : *w) : 0;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (words[i].word[0] == c0 && ieq_prefix(w, end, words[i].word)) {
			/* what set_outcome() would record, without looking it up */
			it->outcome = words[i].outcome;
			it->ocls = words[i].cls;
			it->expired = words[i].expired;
			it->outcome_at = mkspan(base, w, w + words[i].len);
			return;
		}
}

/* Postfix: ... to=<a@b>, relay=mx[1.2.3.4]:25, ..., dsn=5.1.1, status=bounced
 * (host mx[1.2.3.4] said: 550 5.1.1 ... (in reply to RCPT TO command)) */
static int
parse_postfix(const char *base, const char *s, const char *end, struct item *it)
{
	const char *st = NULL, *to = NULL, *relay = NULL, *dsn = NULL, *p, *open;

	/* one pass over the '=' signs of the line finds every key */
	for (p = s; p < end && (p = memchr(p, '=', (size_t)(end - p))); p++) {
		if (p - s >= 7 && memcmp(p - 7, " status", 7) == 0) {
			st = p - 7;
			break; /* the last field: what follows is the reply */
		}
		if (!to && p - s >= 3 && memcmp(p - 3, " to", 3) == 0 && p + 1 < end && p[1] == '<')
			to = p - 3;
		else if (!relay && p - s >= 5 && memcmp(p - 5, "relay", 5) == 0)
			relay = p - 5;
		else if (p - s >= 4 && memcmp(p - 4, " dsn", 4) == 0)
			dsn = p - 4;
	}
	if (!st)
		return 0;
	it->format = "log:postfix";
	outcome_from_word(it, base, st + 8, end);
	if ((p = to))
		it->recipient = read_address(base, p + 5, st);
	if ((p = relay)) {
		const char *h = p + 6, *e = h;

		while (e < end && !relay_stop[(unsigned char)*e])
			e++;
		if (e > h && !ieq_prefix(h, e, "none") && !ieq_prefix(h, e, "local"))
			it->host = mkspan(base, h, e);
	}
	if ((p = dsn) && p + 5 < end) {
		const char *e = p + 5;

		while (e < end && (isdigit((unsigned char)*e) || *e == '.'))
			e++;
		it->status = mkspan(base, p + 5, e);
		it->status_rule = "log:postfix:dsn";
	}
	open = memchr(st, '(', (size_t)(end - st));
	if (open) {
		const char *said = find(open, end, " said: "), *t = said ? said + 7 : open + 1;
		const char *e = find(t, end, "(in reply to");

		if (!e) {
			e = end;
			while (e > t && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
				e--;
			if (e > t && e[-1] == ')')
				e--;
		}
		if (said && !span_ok(it->host)) {
			const char *h = find_ci(open, said, "host ");

			if (h) {
				const char *he = h + 5;

				while (he < said && *he != '[' && *he != ' ')
					he++;
				it->host = mkspan(base, h + 5, he);
			}
		}
		it->text = mkspan(base, t, e);
	}
	return 1;
}

/* Exim main log: "id ** a@b R=... T=... H=mx [ip]: SMTP error from remote
 * mail server after RCPT TO:<a@b>: 550 5.1.1 ...", "==" deferred, "=>" sent. */
static int
parse_exim(const char *base, const char *s, const char *end, struct item *it)
{
	static const struct {
		const char *flag;
		const char *outcome;
	} flags[] = { { " ** ", "bounced" }, { " == ", "deferred" }, { " => ", "sent" },
		      { " -> ", "sent" }, { " *> ", "sent" } };
	const char *f = NULL, *p, *t;
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]) && !f; i++) {
		f = find_ci(s, end, flags[i].flag);
		/* the flag follows the message id: 1a2b3c-000abc-AB */
		if (f && !(f - s >= 16 && f - s <= 60)) {
			const char *q;

			for (q = f - 1; q > s && *q != ' '; q--)
				;
			if (!(q && memchr(q, '-', (size_t)(f - q))))
				f = NULL;
		}
		if (f) {
			set_outcome(it, flags[i].outcome);
			it->outcome_at = mkspan(base, f + 1, f + 3);
		}
	}
	if (!f)
		return 0;
	it->format = "log:exim";
	it->recipient = read_address(base, f + 4, end);
	if ((p = find_ci(f, end, " H="))) {
		const char *e = p + 3;

		while (e < end && *e != ' ' && *e != ':')
			e++;
		it->host = mkspan(base, p + 3, e);
	}
	t = find_ci(f, end, "SMTP error from remote mail server after ");
	if (t) {
		const char *colon = t + 41;

		/* after "RCPT TO:<a@b>: " or "end of data: " */
		p = colon;
		while (p < end && !(*p == ':' && p + 1 < end && p[1] == ' '))
			p++;
		t = p < end ? p + 2 : colon;
	} else {
		/* ": reason" after the routing fields, else everything after the flag */
		p = find_ci(f, end, "]: ");
		t = p ? p + 3 : f + 4;
		if (!p && (p = memchr(f + 4, ':', (size_t)(end - f - 4))))
			t = p + 1;
	}
	it->text = mkspan(base, t, end);
	return 1;
}

/* Sendmail: "... to=<a@b>, ..., relay=mx [ip], dsn=5.1.1, stat=User unknown" */
static int
parse_sendmail(const char *base, const char *s, const char *end, struct item *it)
{
	const char *st = find(s, end, "stat="), *p;

	if (!st || !find(s, end, "dsn="))
		return 0;
	it->format = "log:sendmail";
	if (ieq_prefix(st + 5, end, "sent"))
		set_outcome(it, "sent");
	else if (ieq_prefix(st + 5, end, "deferred"))
		set_outcome(it, "deferred");
	else
		set_outcome(it, "bounced");
	it->outcome_at = mkspan(base, st, st + 5);
	if ((p = find(s, end, "to=")))
		it->recipient = read_address(base, p + 3, end);
	if ((p = find(s, end, "relay="))) {
		const char *e = p + 6;

		while (e < end && *e != ' ' && *e != ',' && *e != '[')
			e++;
		it->host = mkspan(base, p + 6, e);
	}
	if ((p = find(s, end, "dsn="))) {
		const char *e = p + 4;

		while (e < end && (isdigit((unsigned char)*e) || *e == '.'))
			e++;
		it->status = mkspan(base, p + 4, e);
		it->status_rule = "log:sendmail:dsn";
	}
	it->text = mkspan(base, st + 5, end);
	return 1;
}

/* qmail-send: "delivery 42: failure: 1.2.3.4_does_not_like_recipient./Remote_host_said:_550..." */
static int
parse_qmail(const char *base, const char *s, const char *end, struct item *it)
{
	const char *d = find(s, end, "delivery "), *p;

	if (!d)
		return 0;
	for (p = d + 9; p < end && isdigit((unsigned char)*p); p++)
		;
	if (p == d + 9 || !ieq_prefix(p, end, ": "))
		return 0;
	p += 2;
	if (ieq_prefix(p, end, "success:"))
		set_outcome(it, "sent");
	else if (ieq_prefix(p, end, "failure:"))
		set_outcome(it, "bounced");
	else if (ieq_prefix(p, end, "deferral:"))
		set_outcome(it, "deferred");
	else
		return 0;
	it->format = "log:qmail";
	it->outcome_at = mkspan(base, p, p + strlen(it->outcome));
	it->qmail = 1;
	p = memchr(p, ':', (size_t)(end - p));
	it->text = mkspan(base, p ? p + 1 : end, end);
	return 1;
}

/* The value of a header or DSN field "Name: value" in [s, end), unfolded
 * continuation lines included. */
static struct span
field(const char *base, const char *s, const char *end, const char *name)
{
	size_t n = strlen(name);
	const char *p = s;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1, *e = eol;

			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			/* folded lines start with white space */
			while (e < end && e + 1 < end && (e[1] == ' ' || e[1] == '\t')) {
				const char *n2 = memchr(e + 1, '\n', (size_t)(end - e - 1));

				e = n2 ? n2 : end;
			}
			while (e > v && (e[-1] == '\r' || e[-1] == ' '))
				e--;
			return mkspan(base, v, e);
		}
		p = eol + 1;
	}
	return mkspan(base, s, s);
}

/* One group of DSN per-recipient fields: Final-Recipient, Action, Status,
 * Remote-MTA, Diagnostic-Code. */
static void
parse_dsn_group(const char *base, const char *s, const char *end, struct item *it)
{
	struct span v;

	it->format = "dsn";
	v = field(base, s, end, "Final-Recipient");
	if (!span_ok(v))
		v = field(base, s, end, "Original-Recipient");
	if (span_ok(v)) {
		const char *semi = memchr(base + v.start, ';', v.end - v.start);

		it->recipient = read_address(base, semi ? semi + 1 : base + v.start, base + v.end);
	}
	v = field(base, s, end, "Action");
	if (span_ok(v))
		outcome_from_word(it, base, base + v.start, base + v.end);
	v = field(base, s, end, "Status");
	if (span_ok(v)) {
		it->status = v;
		it->status_rule = "dsn:status";
	}
	v = field(base, s, end, "Remote-MTA");
	if (span_ok(v)) {
		const char *semi = memchr(base + v.start, ';', v.end - v.start);
		const char *h = semi ? semi + 1 : base + v.start, *e;

		while (h < base + v.end && *h == ' ')
			h++;
		for (e = h; e < base + v.end && *e != ' ' && *e != '[' && *e != '('; e++)
			;
		while (e > h && e[-1] == '.')
			e--;
		it->host = mkspan(base, h, e);
	}
	v = field(base, s, end, "Diagnostic-Code");
	if (span_ok(v)) {
		const char *semi = memchr(base + v.start, ';', v.end - v.start);

		it->text = mkspan(base, semi ? semi + 1 : base + v.start, base + v.end);
	} else {
		it->text = mkspan(base, s, end);
	}
}

static int
has_dsn_fields(const char *s, const char *end)
{
	return (find_ci(s, end, "\nstatus:") || ieq_prefix(s, end, "status:")) &&
	       (find_ci(s, end, "action:") || find_ci(s, end, "diagnostic-code:") ||
		find_ci(s, end, "final-recipient:"));
}

/* ------------------------------------------------------------ messages */

struct msg {
	const char *base;
	struct item *items;
	size_t n_items;
	struct span subject;
	struct span human;   /* the first text part */
	int auto_reply;      /* headers say an autoresponder wrote it (X-Autoreply, ...) */
	int auto_submitted;  /* Auto-Submitted: auto-replied, which bounces carry too */
	int from_daemon;     /* From: a mailer-daemon or postmaster */
	int feedback;        /* an ARF report */
	struct span failed;  /* X-Failed-Recipients */
	int encoded;         /* a text or delivery-status part needs decoding */
};

/* The end of the header block starting at s (the blank line), or NULL. */
static const char *
headers_end(const char *s, const char *end)
{
	const char *p = s;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			return NULL;
		if (eol == p || (eol == p + 1 && *p == '\r'))
			return p;
		if (!is_header_line(p, eol) && *p != ' ' && *p != '\t')
			return NULL;
		p = eol + 1;
	}
	return NULL;
}

/* A message starts with a header block that has at least one header only
 * messages have (a block of DSN fields has none of them). */
static int
looks_like_message(const char *s, const char *end)
{
	static const char *const names[] = { "from:", "subject:", "content-type:", "received:",
					      "return-path:", "date:", "message-id:", "mime-version:",
					      "to:", "delivered-to:", NULL };
	const char *he = headers_end(s, end), *p = s;
	size_t i;

	if (!he)
		return 0;
	while (p < he) {
		const char *eol = memchr(p, '\n', (size_t)(he - p));

		for (i = 0; names[i]; i++)
			if (ieq_prefix(p, he, names[i]))
				return 1;
		p = eol ? eol + 1 : he;
	}
	return 0;
}

/* The value of parameter `name` in a Content-Type value, unquoted. */
static struct span
ct_param(const char *base, struct span ct, const char *name)
{
	const char *s = base + ct.start, *end = base + ct.end, *p = s;
	size_t n = strlen(name);

	while ((p = find_ci(p, end, name))) {
		const char *q = p + n;

		if ((p == s || p[-1] == ';' || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n') &&
		    q < end && *q == '=') {
			const char *v = q + 1, *e;

			if (v < end && *v == '"') {
				v++;
				e = memchr(v, '"', (size_t)(end - v));
				if (!e)
					e = end;
			} else {
				for (e = v; e < end && *e != ';' && *e != ' ' && *e != '\r' && *e != '\n';
				     e++)
					;
			}
			return mkspan(base, v, e);
		}
		p = q;
	}
	return mkspan(base, s, s);
}

static void walk_part(struct msg *m, const char *s, const char *end, int depth);

/* Where a non-MIME bounce starts quoting the returned message (Exim,
 * qmail, older Postfix): its words are not the bounce's. */
static const char *
cut_original(const char *s, const char *end)
{
	static const char *const seps[] = { "\n------ This is a copy of the message",
					     "\n--- Below this line is a copy of the message",
					     "\n------ Received headers of the message",
					     "\n----- Original message -----",
					     "\nOriginal message headers:", NULL };
	const char *cut = end, *p;
	size_t i;

	for (i = 0; seps[i]; i++)
		if ((p = find(s, end, seps[i])) && p < cut)
			cut = p;
	return cut;
}

static void
walk_multipart(struct msg *m, const char *body, const char *end, struct span boundary, int depth)
{
	const char *b = m->base + boundary.start;
	size_t blen = boundary.end - boundary.start;
	const char *p = body, *part = NULL;

	if (blen == 0 || blen > 200)
		return;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;

		if (le - p >= (ptrdiff_t)(2 + blen) && p[0] == '-' && p[1] == '-' &&
		    memcmp(p + 2, b, blen) == 0) {
			if (part)
				walk_part(m, part, p, depth + 1);
			if (le - p >= (ptrdiff_t)(4 + blen) && p[2 + blen] == '-' && p[3 + blen] == '-')
				return; /* closing delimiter */
			part = eol ? eol + 1 : end;
		}
		p = eol ? eol + 1 : end;
	}
	if (part)
		walk_part(m, part, end, depth + 1);
}

static void
add_dsn_groups(struct msg *m, const char *s, const char *end)
{
	/* groups are separated by blank lines; the first is per-message */
	const char *p = s;

	while (p < end && m->n_items < MAX_ITEMS) {
		const char *q = p, *gend;

		/* find the end of this group */
		while (q < end) {
			const char *eol = memchr(q, '\n', (size_t)(end - q));

			if (!eol) {
				q = end;
				break;
			}
			if (eol == q || (eol == q + 1 && *q == '\r')) {
				break;
			}
			q = eol + 1;
		}
		gend = q;
		if (find_ci(p, gend, "final-recipient:") || find_ci(p, gend, "original-recipient:")) {
			struct item *it = &m->items[m->n_items++];

			memset(it, 0, sizeof(*it));
			parse_dsn_group(m->base, p, gend, it);
		}
		if (q >= end)
			break;
		p = memchr(q, '\n', (size_t)(end - q));
		p = p ? p + 1 : end;
	}
}

/* The part [s, end) with headers ending at he needs decoding before its
 * words can be read: it is base64, or quoted-printable with escapes of
 * bytes beyond ASCII ("Empf=C3=A4nger"). A quoted-printable part in ASCII
 * reads well as it is (soft breaks are joined while normalising), and its
 * evidence then stays in the input's own bytes. */
static int
part_encoded(const struct msg *m, const char *s, const char *he, const char *end)
{
	struct span v = field(m->base, s, he, "Content-Transfer-Encoding");
	const char *p;

	if (!span_ok(v))
		return 0;
	if (find_ci(m->base + v.start, m->base + v.end, "base64"))
		return 1;
	if (!find_ci(m->base + v.start, m->base + v.end, "quoted-printable"))
		return 0;
	for (p = he; (p = memchr(p, '=', (size_t)(end - p))) && p + 2 < end; p++)
		if (p[1] && strchr("89ABCDEFabcdef", p[1]) && isxdigit((unsigned char)p[2]))
			return 1;
	return 0;
}

static void
walk_part(struct msg *m, const char *s, const char *end, int depth)
{
	const char *he = headers_end(s, end), *body;
	struct span ct;

	if (depth > MIME_DEPTH)
		return;
	if (!he) {
		/* a part with no headers: text/plain */
		if (!span_ok(m->human))
			m->human = mkspan(m->base, s, cut_original(s, end));
		return;
	}
	body = memchr(he, '\n', (size_t)(end - he));
	body = body ? body + 1 : end;
	ct = field(m->base, s, he, "Content-Type");
	if (span_ok(ct)) {
		const char *ctv = m->base + ct.start, *cte = m->base + ct.end;

		if (ieq_prefix(ctv, cte, "multipart/")) {
			if (find_ci(ctv, cte, "feedback-report"))
				m->feedback = 1;
			walk_multipart(m, body, end, ct_param(m->base, ct, "boundary"), depth);
			return;
		}
		if (ieq_prefix(ctv, cte, "message/delivery-status") ||
		    ieq_prefix(ctv, cte, "message/global-delivery-status")) {
			if (part_encoded(m, s, he, end))
				m->encoded = 1;
			add_dsn_groups(m, body, end);
			return;
		}
		if (ieq_prefix(ctv, cte, "message/feedback-report")) {
			m->feedback = 1;
			return;
		}
		if (ieq_prefix(ctv, cte, "message/rfc822") || ieq_prefix(ctv, cte, "text/rfc822-headers") ||
		    ieq_prefix(ctv, cte, "message/global"))
			return; /* the returned original: not the bounce's words */
		if (!ieq_prefix(ctv, cte, "text/"))
			return;
	}
	if (part_encoded(m, s, he, end))
		m->encoded = 1;
	if (!span_ok(m->human))
		m->human = mkspan(m->base, body, cut_original(body, end));
}

/* Reads a whole message: its headers, MIME parts and DSN groups. */
static void
parse_message(struct msg *m, const char *s, const char *end)
{
	const char *he = headers_end(s, end);
	struct span v;

	m->subject = field(m->base, s, he, "Subject");
	/* RFC 2047 encoded words: the words are read from a decoded copy */
	if (span_ok(m->subject) &&
	    find(m->base + m->subject.start, m->base + m->subject.end, "=?"))
		m->encoded = 1;
	m->failed = field(m->base, s, he, "X-Failed-Recipients");
	v = field(m->base, s, he, "Auto-Submitted");
	if (span_ok(v) && find_ci(m->base + v.start, m->base + v.end, "auto-replied"))
		m->auto_submitted = 1;
	v = field(m->base, s, he, "From");
	if (span_ok(v) && (find_ci(m->base + v.start, m->base + v.end, "mailer-daemon") ||
			   find_ci(m->base + v.start, m->base + v.end, "postmaster@")))
		m->from_daemon = 1;
	if (span_ok(field(m->base, s, he, "X-Autoreply")) ||
	    span_ok(field(m->base, s, he, "X-Autorespond")))
		m->auto_reply = 1;
	v = field(m->base, s, he, "Precedence");
	if (span_ok(v) && find_ci(m->base + v.start, m->base + v.end, "auto_reply"))
		m->auto_reply = 1;
	walk_part(m, s, end, 0);
}

/* ------------------------------------------------------------ scanning one item */

struct hit {
	int id;
	size_t start, end; /* in the normalized text */
};

struct codes {
	int reply;
	size_t reply_at, reply_end; /* input offsets */
	int cls, subj, det; /* enhanced; cls 0 when none */
	size_t enh_at, enh_end;     /* input offsets; (size_t)-1 when from a field */
};

struct scan {
	const struct cat_analyzer *a;
	unsigned char *norm; /* folded, continuation prefixes removed */
	uint32_t *map;       /* norm offset -> input offset (at most 2 GiB) */
	size_t len;
	size_t n_hits;
	size_t subject_from; /* norm offsets at or past this are the Subject */
	size_t host_from;    /* and from here to subject_from, the remote host */
	size_t scan_off;     /* where the scan started (hits are relative to it) */
	int have_codes;      /* the codes were read from the raw text: */
	struct codes codes;  /* these, and the text was not normalized */
	/* the codes of the first "550-5.1.1 " continuation prefix removed, with
	 * input offsets: they, not numbers in the words, are the reply's */
	int cont_reply;
	size_t cont_reply_at;
	size_t cont_enh_at, cont_enh_end; /* equal when the prefix had none */
	struct hit hits[MAX_HITS]; /* last: cat_analyze() clears what comes before */
};

static int
on_hit(void *arg, int id, size_t end)
{
	struct scan *sc = arg;
	const struct cat_analyzer *a = sc->a;
	size_t len = 0, start;
	int idx = PAT_INDEX(id);

	switch (PAT_KIND(id)) {
	case PAT_PHRASE:
		len = a->phrases[idx].len;
		break;
	case PAT_MARKER:
		len = a->markers[idx].len;
		break;
	case PAT_FRAG:
		len = a->frags[idx].len;
		break;
	case PAT_TAG:
		len = strlen(a->entries[idx].tag);
		break;
	default:
		return 0;
	}
	end += sc->scan_off;
	start = end - len;
	/* a tag is a word of its own: CS01 is not in ABCS012 */
	if (PAT_KIND(id) == PAT_TAG &&
	    ((start > 0 && isalnum(sc->norm[start - 1])) || (end < sc->len && isalnum(sc->norm[end]))))
		return 0;
	if (sc->n_hits < MAX_HITS) {
		sc->hits[sc->n_hits].id = id;
		sc->hits[sc->n_hits].start = start;
		sc->hits[sc->n_hits].end = end;
		sc->n_hits++;
	}
	return 0;
}

/* Markers only: a delivered message needs no more. */
static int
on_hit_marker(void *arg, int id, size_t end)
{
	return PAT_KIND(id) == PAT_MARKER ? on_hit(arg, id, end) : 0;
}

/* What a byte inside a word becomes in the normalized text, or 0 when it
 * needs a closer look (space, controls, '=' of quoted-printable, '_' of
 * qmail, escape sequences, non-ASCII). */
static const unsigned char word_byte[256] = {
#define W(c) [c] = c
#define U(c) [c] = c + 32
	W('a'), W('b'), W('c'), W('d'), W('e'), W('f'), W('g'), W('h'), W('i'), W('j'), W('k'),
	W('l'), W('m'), W('n'), W('o'), W('p'), W('q'), W('r'), W('s'), W('t'), W('u'), W('v'),
	W('w'), W('x'), W('y'), W('z'), U('A'), U('B'), U('C'), U('D'), U('E'), U('F'), U('G'),
	U('H'), U('I'), U('J'), U('K'), U('L'), U('M'), U('N'), U('O'), U('P'), U('Q'), U('R'),
	U('S'), U('T'), U('U'), U('V'), U('W'), U('X'), U('Y'), U('Z'), W('0'), W('1'), W('2'),
	W('3'), W('4'), W('5'), W('6'), W('7'), W('8'), W('9'), W('.'), W(','), W(':'), W(';'),
	W('-'), W('/'), W('('), W(')'), W('['), W(']'), W('<'), W('>'), W('@'), W('!'), W('"'),
	W('#'), W('$'), W('%'), W('&'), W('\''), W('*'), W('+'), W('?'), W('^'), W('`'), W('{'), W('|'),
	W('}'), W('~'), W('\\'),
#undef W
#undef U
};

/* Appends input[s.start..s.end) to the normalized text: folded, white
 * space collapsed, "550-5.1.1 " continuation prefixes removed. */
static int
normalize_into(struct scan *sc, const char *input, struct span s, int qmail)
{
	/* locals, not sc's fields: a store through norm could alias them */
	unsigned char *norm = sc->norm;
	uint32_t *map = sc->map;
	size_t n = sc->len, i = s.start;
	int space = n > 0;
	unsigned cp;

	while (i < s.end) {
		unsigned char c;

		/* the common case: inside a word, bytes that need at most folding */
		if (!space && n > 0) {
			unsigned char w;

			for (;;) {
				while (i < s.end && (w = word_byte[(unsigned char)input[i]]) != 0) {
					norm[n] = w;
					map[n] = (uint32_t)i;
					n++;
					i++;
				}
				/* one space, then a word that does not start with a
				 * digit (which could be a continuation prefix): the
				 * space and the word go on here */
				if (i + 1 < s.end && input[i] == ' ' &&
				    (w = word_byte[(unsigned char)input[i + 1]]) != 0 &&
				    !(w >= '0' && w <= '9')) {
					norm[n] = ' ';
					map[n] = (uint32_t)(i + 1);
					n++;
					i++;
					continue;
				}
				break;
			}
			if (i == s.end)
				break;
		}
		c = (unsigned char)input[i];
		if (qmail && c == '_')
			c = ' ';
		/* a quoted-printable soft line break joins two lines of a word */
		if (c == '=' && i + 1 < s.end && (input[i + 1] == '\n' ||
						   (input[i + 1] == '\r' && i + 2 < s.end &&
						    input[i + 2] == '\n'))) {
			i += input[i + 1] == '\n' ? 2 : 3;
			continue;
		}
		if (c == 0x1b) {
			/* a terminal escape sequence separates words; it is not text */
			i++;
			if (i < s.end && input[i] == '[') {
				i++;
				while (i < s.end && ((unsigned char)input[i] < 0x40 ||
						     (unsigned char)input[i] > 0x7e))
					i++;
			}
			i++;
			space = 1;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c < 0x20 || c == 0x7f) {
			space = 1;
			i++;
			continue;
		}
		/* at a word start: drop "NNN-" and "NNN-X.Y.Z " of continuation
		 * lines, and the "NNN " or "NNN X.Y.Z " that starts the last
		 * line of the same reply ("550-... is not permitted to 550 relay
		 * through ...": the words go on across it) */
		if ((space || n == 0) && i + 4 <= s.end && isdigit((unsigned char)input[i]) &&
		    isdigit((unsigned char)input[i + 1]) && isdigit((unsigned char)input[i + 2]) &&
		    input[i] >= '2' && input[i] <= '5' &&
		    (input[i + 3] == '-' ||
		     (input[i + 3] == ' ' && sc->cont_reply &&
		      sc->cont_reply == (input[i] - '0') * 100 + (input[i + 1] - '0') * 10 +
					    (input[i + 2] - '0')))) {
			size_t j = i + 4;

			if (!sc->cont_reply) {
				sc->cont_reply = (input[i] - '0') * 100 + (input[i + 1] - '0') * 10 +
						 (input[i + 2] - '0');
				sc->cont_reply_at = i;
				sc->cont_enh_at = sc->cont_enh_end = j;
			}
			if (j < s.end && isdigit((unsigned char)input[j]) && j + 1 < s.end &&
			    input[j + 1] == '.') {
				while (j < s.end && input[j] != ' ' && input[j] != '\n' && input[j] != '\r')
					j++;
				if (sc->cont_enh_at == i + 4)
					sc->cont_enh_end = j;
			}
			i = j;
			space = 1;
			continue;
		}
		if (space && n > 0) {
			norm[n] = ' ';
			map[n] = (uint32_t)i;
			n++;
		}
		space = 0;
		/* folded here, as in fold(): ASCII and Latin-1 capitals */
		if (c >= 'A' && c <= 'Z') {
			c = (unsigned char)(c + 32);
		} else if (c == 0xc3 && i + 1 < s.end && (unsigned char)input[i + 1] >= 0x80 &&
			   (unsigned char)input[i + 1] <= 0x9e && (unsigned char)input[i + 1] != 0x97) {
			norm[n] = c;
			map[n] = (uint32_t)i;
			n++;
			i++;
			c = (unsigned char)((unsigned char)input[i] + 0x20);
		} else if (c >= 0xc0 && c != 0xd7 && c != 0xf7 &&
			   utf8_decode((const unsigned char *)input + i, s.end - i, &cp) == 0) {
			/* not UTF-8: a Latin-1 letter ("Empf\xe4nger"), written
			 * as its UTF-8 form, folded, so that phrases match */
			if (c <= 0xde)
				c = (unsigned char)(c + 0x20);
			norm[n] = 0xc3;
			map[n] = (uint32_t)i;
			n++;
			c = (unsigned char)(c - 0x40);
		}
		norm[n] = c;
		map[n] = (uint32_t)i;
		n++;
		i++;
	}
	if (n > 0) { /* a separator before the next span */
		norm[n] = ' ';
		map[n] = (uint32_t)s.end;
		n++;
	}
	sc->len = n;
	return 0;
}

/* ------------------------------------------------------------ codes */

static int
is_code_boundary_before(const unsigned char *t, size_t i)
{
	return i == 0 || !(isalnum(t[i - 1]) || t[i - 1] == '.' || t[i - 1] == '[' ||
			   t[i - 1] == '-' || t[i - 1] == '/' || t[i - 1] == '=' || t[i - 1] == '_' ||
			   t[i - 1] == '@');
}

/* An enhanced code at t+i: "5.1.1" (class 2, 4 or 5; subject and detail
 * 1-3 digits), not part of a longer dotted number. Returns its length. */
static size_t
enhanced_at(const unsigned char *t, size_t i, size_t len, int *cls, int *subj, int *det)
{
	size_t j = i, k;

	if (!(t[j] == '2' || t[j] == '4' || t[j] == '5') || j + 4 >= len + 0 || t[j + 1] != '.')
		return 0;
	j += 2;
	for (k = j; k < len && isdigit(t[k]) && k - j < 4; k++)
		;
	if (k == j || k - j > 3 || k >= len || t[k] != '.')
		return 0;
	*subj = 0;
	for (size_t d = j; d < k; d++)
		*subj = *subj * 10 + (t[d] - '0');
	j = k + 1;
	for (k = j; k < len && isdigit(t[k]) && k - j < 4; k++)
		;
	if (k == j || k - j > 3)
		return 0;
	if (k < len && (isalnum(t[k]) || (t[k] == '.' && k + 1 < len && isdigit(t[k + 1]))))
		return 0;
	*det = 0;
	for (size_t d = j; d < k; d++)
		*det = *det * 10 + (t[d] - '0');
	*cls = t[i] - '0';
	return k - i;
}

/* The first reply code and the first enhanced code of the normalized text,
 * or those of the first continuation prefix of a multi-line reply. Offsets
 * are into the input. */
static void
read_codes(const struct scan *sc, const char *input, struct codes *c)
{
	const unsigned char *t = sc->norm;
	size_t i, n = sc->len;

	memset(c, 0, sizeof(*c));
	if (sc->cont_reply) {
		int cl, su, de;

		c->reply = sc->cont_reply;
		c->reply_at = sc->cont_reply_at;
		c->reply_end = sc->cont_reply_at + 3;
		if (sc->cont_enh_end > sc->cont_enh_at &&
		    enhanced_at((const unsigned char *)input + sc->cont_enh_at, 0,
				sc->cont_enh_end - sc->cont_enh_at, &cl, &su, &de)) {
			c->cls = cl;
			c->subj = su;
			c->det = de;
			c->enh_at = sc->cont_enh_at;
			c->enh_end = sc->cont_enh_end;
			return;
		}
	}
	for (i = 0; i < n; i++) {
		int cl, su, de;
		size_t l;

		/* Exchange's "{LED=554 5.2.2 ...}" writes the reply after LED= */
		if (!is_code_boundary_before(t, i) && !(i > 0 && t[i - 1] == '#') &&
		    !(i >= 4 && memcmp(t + i - 4, "led=", 4) == 0))
			continue;
		if (!c->cls && (l = enhanced_at(t, i, n, &cl, &su, &de))) {
			c->cls = cl;
			c->subj = su;
			c->det = de;
			c->enh_at = sc->map[i];
			c->enh_end = sc->map[i + l - 1] + 1;
			i += l - 1;
			continue;
		}
		if (!c->reply && i + 3 <= n && t[i] >= '2' && t[i] <= '5' && isdigit(t[i + 1]) &&
		    isdigit(t[i + 2]) && (i + 3 == n || t[i + 3] == ' ' || t[i + 3] == '-' ||
					  t[i + 3] == ')' || t[i + 3] == '\'' || t[i + 3] == ',' ||
					  t[i + 3] == ';')) {
			/* not a port ":25" or part of a time or a count ("in 421 ms") */
			if (i > 0 && t[i - 1] == ':' && !(i > 1 && t[i - 2] == ' '))
				continue;
			c->reply = (t[i] - '0') * 100 + (t[i + 1] - '0') * 10 + (t[i + 2] - '0');
			c->reply_at = sc->map[i];
			c->reply_end = sc->map[i + 2] + 1;
		}
		if (c->reply && c->cls)
			break;
	}
}

/* ------------------------------------------------------------ deciding */

struct cand { /* a reason and why */
	int reason;
	int score;
	const char *rule;
	size_t start, end; /* input offsets, for evidence */
};

struct dstate {
	const struct cat_analyzer *a;
	struct cat_analysis *an;
	struct cat_diagnosis *d;
	size_t n_ev;
	size_t n_entries;
	int oom;
	/* the arrays last: cat_analyze() clears what comes before them */
	struct cat_span ev[MAX_EVIDENCE];
	const char *entries[MAX_ENTRIES];
};

static const char *
astr(struct dstate *ds, const char *s)
{
	char *p;

	if (!s)
		return NULL;
	p = arena_strdup(ds->an->arena, s);
	if (!p)
		ds->oom = 1;
	return p;
}

static const char *
aspan(struct dstate *ds, const char *input, struct span sp)
{
	char *p;

	if (!span_ok(sp))
		return NULL;
	p = arena_strndup(ds->an->arena, input + sp.start, sp.end - sp.start);
	if (!p)
		ds->oom = 1;
	return p;
}

static void
evidence(struct dstate *ds, const char *rule, size_t start, size_t end)
{
	size_t i;

	if (!rule || end <= start)
		return;
	/* one rule's span inside another of its spans says nothing more
	 * ("protection.outlook.com" in "mail.protection.outlook.com"): the
	 * outer one is kept */
	for (i = 0; i < ds->n_ev; i++) {
		struct cat_span *e = &ds->ev[i];

		if (e->start > end || e->end < start ||
		    (e->rule != rule && strcmp(e->rule, rule) != 0))
			continue;
		if (e->start <= start && e->end >= end)
			return;
		if (start <= e->start && end >= e->end) {
			e->start = start;
			e->end = end;
			return;
		}
	}
	if (ds->n_ev < MAX_EVIDENCE) {
		ds->ev[ds->n_ev].rule = rule;
		ds->ev[ds->n_ev].start = start;
		ds->ev[ds->n_ev].end = end;
		ds->n_ev++;
	}
}

/* Evidence whose rule is prefix followed by name: "reply:550". */
static void
evidence_fmt(struct dstate *ds, size_t start, size_t end, const char *prefix, const char *name)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "%s%s", prefix, name ? name : "");
	evidence(ds, astr(ds, buf), start, end);
}

static void
add_entry_key(struct dstate *ds, const char *key)
{
	size_t i;

	if (!key)
		return;
	for (i = 0; i < ds->n_entries; i++)
		if (ds->entries[i] == key || strcmp(ds->entries[i], key) == 0)
			return;
	if (ds->n_entries < MAX_ENTRIES)
		ds->entries[ds->n_entries++] = key;
}

static const struct a_code *
find_reply(const struct cat_analyzer *a, int reply)
{
	return reply >= 0 && reply < 1000 && a->reply_at[reply] ? &a->replies[a->reply_at[reply] - 1]
							       : NULL;
}

static const struct a_code *
find_enh(const struct cat_analyzer *a, int subj, int det)
{
	return subj >= 0 && subj < 8 && det >= 0 && det < 1000 && a->enh_at[subj * 1000 + det]
		       ? &a->enh[a->enh_at[subj * 1000 + det] - 1]
		       : NULL;
}

static int
entry_fits(const struct a_entry *e, const struct codes *c)
{
	if (c->reply && e->reply && e->reply != c->reply)
		return 0;
	if (c->cls && e->esubj >= 0 &&
	    !(e->esubj == c->subj && c->det >= e->elo && c->det <= e->ehi &&
	      (!e->ecls || e->ecls == c->cls)))
		return 0;
	return 1;
}

/* entry_fits() without the reply code */
static int
entry_fits_enhanced(const struct a_entry *e, const struct codes *c)
{
	struct codes only = *c;

	only.reply = 0;
	return entry_fits(e, &only);
}

static int
domain_provider(const struct cat_analyzer *a, const char *input, struct span rcpt)
{
	const char *at;
	size_t i, dlen;
	char dom[256];

	if (!span_ok(rcpt))
		return -1;
	at = memchr(input + rcpt.start, '@', rcpt.end - rcpt.start);
	if (!at)
		return -1;
	dlen = (size_t)(input + rcpt.end - at - 1);
	if (dlen == 0 || dlen >= sizeof(dom))
		return -1;
	for (i = 0; i < dlen; i++)
		dom[i] = (char)tolower((unsigned char)at[1 + i]);
	dom[dlen] = '\0';
	for (i = hash_name(dom, dlen) & (a->n_doms - 1); a->doms[i].name; i = (i + 1) & (a->n_doms - 1))
		if (a->doms[i].name[0] == dom[0] && strcmp(a->doms[i].name, dom) == 0)
			return a->doms[i].prov;
	return -1;
}

/* A bit-flag tag such as bl000101 in the normalized text. */
static int
find_bitflag_tag(const struct cat_analyzer *a, const struct scan *sc, size_t *at, size_t *end)
{
	size_t b, i;

	for (b = 0; b < a->n_bitflags; b++) {
		const struct a_bitflags *bf = &a->bitflags[b];

		for (i = 0; bf->plen && i + bf->plen + (size_t)bf->digits <= sc->len; i++) {
			size_t k;

			if (sc->norm[i] != (unsigned char)bf->prefix[0] ||
			    memcmp(sc->norm + i, bf->prefix, bf->plen) != 0 ||
			    (i > 0 && isalnum(sc->norm[i - 1])))
				continue;
			for (k = 0; k < (size_t)bf->digits; k++)
				if (sc->norm[i + bf->plen + k] != '0' && sc->norm[i + bf->plen + k] != '1')
					break;
			if (k < (size_t)bf->digits)
				continue;
			k = i + bf->plen + (size_t)bf->digits;
			if (k < sc->len && isalnum(sc->norm[k]))
				continue;
			*at = i;
			*end = k;
			return (int)b;
		}
	}
	return -1;
}

/* "5.1.1" into a buffer of at least 16 bytes (each part 0-999). */
static void
format_code(char *out, int cls, int subj, int det)
{
	int parts[3] = { cls, subj, det }, k;
	char *p = out;

	for (k = 0; k < 3; k++) {
		int v = parts[k] < 0 ? 0 : parts[k] > 999 ? 999 : parts[k];

		if (k)
			*p++ = '.';
		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
	}
	*p = '\0';
}

/* The class of a diagnosis: an intermediate reply (3) names none. */
static enum cat_class
diagnosis_class(int cls)
{
	return cls == 3 ? CAT_CLASS_NONE : cat_class_of_digit(cls);
}

/* Decides one diagnosis from the scanned text and the item's structure. */
static void
decide(struct dstate *ds, const char *input, const struct item *it, struct scan *sc)
{
	const struct cat_analyzer *a = ds->a;
	struct cat_diagnosis *d = ds->d;
	struct codes c;
	struct cand best = { -1, 0, NULL, 0, 0 };
	int prov = -1, prov_strong = 0, entry = -1, entry_score = 0, text_cls = 0;
	size_t prov_len = 0;
	int domain_prov;
	const struct hit *marker_tag = NULL;
	int text_cls_weight = 0;
	size_t text_cls_at = 0, text_cls_end = 0, i;
	const struct a_code *rc = NULL, *ec = NULL;
	const char *tag = NULL;
	int implied_subj = -1, implied_det = -1, cls = 0, icls;
	char note[256]; /* not "= \"\"": that clears all 256 bytes per call */

	note[0] = '\0';
	if (sc->have_codes)
		c = sc->codes;
	else
		read_codes(sc, input, &c);
	/* a structured status field wins over the first code of the text when
	 * it is more specific (Postfix writes dsn=5.0.0 for many replies) */
	if (span_ok(it->status)) {
		int cl, su, de;
		const unsigned char *t = (const unsigned char *)input + it->status.start;
		size_t l = enhanced_at(t, 0, it->status.end - it->status.start, &cl, &su, &de);

		if (l && (!c.cls || !(su == 0 && de == 0) || c.cls != cl)) {
			if (!c.cls || (c.subj == 0 && c.det == 0) || cl != c.cls) {
				c.cls = cl;
				c.subj = su;
				c.det = de;
				c.enh_at = c.enh_end = (size_t)-1;
				evidence(ds, it->status_rule, it->status.start, it->status.end);
			}
		}
	}
	if (c.reply) {
		rc = find_reply(a, c.reply);
		if (rc)
			evidence(ds, rc->rule, c.reply_at, c.reply_end);
		else
			evidence_fmt(ds, c.reply_at, c.reply_end, "reply:", "?");
	}
	if (c.cls) {
		char *code = d->enhanced;

		ec = find_enh(a, c.subj, c.det);
		format_code(code, c.cls, c.subj, c.det);
		if (c.enh_at != (size_t)-1)
		{
			if (ec)
				evidence(ds, ec->rule, c.enh_at, c.enh_end);
			else
				evidence_fmt(ds, c.enh_at, c.enh_end, "enhanced:", code);
		}
	}
	d->reply = c.reply;

	domain_prov = domain_provider(a, input, it->recipient);
	/* provider: markers, tags, the recipient's domain */
	for (i = 0; i < sc->n_hits; i++) {
		const struct hit *h = &sc->hits[i];
		int k = PAT_KIND(h->id), idx = PAT_INDEX(h->id);

		if (k == PAT_MARKER) {
			const struct a_marker *m = &a->markers[idx];

			/* strong before weak, then the longest: olc.protection.outlook.com
			 * (Outlook.com) is more specific than protection.outlook.com */
			if (prov < 0 || (m->strong && !prov_strong) ||
			    (m->strong == prov_strong && m->len > prov_len)) {
				prov = m->prov;
				prov_strong = m->strong;
				prov_len = m->len;
			}
			if (m->is_tag && !marker_tag) {
				marker_tag = h;
			}
			evidence(ds, a->provs[m->prov].rule, sc->map[h->start], sc->map[h->end - 1] + 1);
		}
	}
	/* provider entries: by tag, by literal text, then by provider and codes */
	for (i = 0; i < sc->n_hits; i++) {
		const struct hit *h = &sc->hits[i];
		int k = PAT_KIND(h->id), idx = PAT_INDEX(h->id), score = 0, e = -1;

		if (k == PAT_TAG) {
			e = idx;
			score = 1000;
		} else if (k == PAT_FRAG) {
			e = a->frags[idx].entry;
			score = (int)a->frags[idx].len;
		}
		if (e < 0)
			continue;
		/* a long literal text identifies the entry even when the reply code
		 * is one of its other variants ("530 5.7.1 Client was not
		 * authenticated" beside its usual 550) */
		if (!entry_fits(&a->entries[e], &c) &&
		    !(k == PAT_FRAG && a->frags[idx].len >= 20 && c.reply &&
		      entry_fits_enhanced(&a->entries[e], &c)))
			continue;
		if (prov >= 0 && prov_strong && a->entries[e].prov != prov && k != PAT_TAG)
			continue;
		/* a short literal text is often a generic MTA phrase that a provider
		 * happens to send too ("Relay access denied"): it identifies the
		 * provider's entry only when something else names the provider */
		if (k == PAT_FRAG && a->frags[idx].generic && a->entries[e].prov != prov &&
		    a->entries[e].prov != domain_prov)
			continue;
		if (score > entry_score) {
			entry = e;
			entry_score = score;
		}
	}
	if (entry < 0 && it->ocls != 2) {
		size_t bs, be;
		int b = find_bitflag_tag(a, sc, &bs, &be);

		if (b >= 0 && (prov < 0 || prov == a->bitflags[b].prov)) {
			prov = a->bitflags[b].prov;
			{
				/* the normalized text is not NUL-terminated: copy the tag alone */
				char *t = arena_strndup(ds->an->arena, (const char *)sc->norm + bs, be - bs);

				if (!t)
					ds->oom = 1;
				tag = t;
				for (; t && *t; t++)
					*t = (char)toupper((unsigned char)*t);
			}
			if (a->bitflags[b].reason >= 0 && 9 > best.score) {
				best.reason = a->bitflags[b].reason;
				best.score = 9;
				best.rule = astr(ds, "bitflags");
				best.start = sc->map[bs];
				best.end = sc->map[be - 1] + 1;
			}
			evidence_fmt(ds, sc->map[bs], sc->map[be - 1] + 1, "tag:", tag ? tag : "");
		}
	}
	/* the provider's entry for these codes, when its markers are in the
	 * text; the recipient's domain alone names the provider, not the reply
	 * (a Postfix relay in front of it may have written the text) */
	if (entry < 0 && prov >= 0 && (c.reply || c.cls)) {
		/* the provider's entry for exactly these codes, when there is one */
		int found = -1, count = 0;
		size_t k, lo, hi;

		prov_entries(a, prov, c.reply, &lo, &hi);
		for (k = lo; k < hi; k++) {
			const struct a_entry *e = &a->entries[a->by_prov[k]];

			i = (size_t)a->by_prov[k];
			/* cheap tests first: exactly this reply code, no tag */
			if (c.reply && e->reply != c.reply)
				continue;
			if (e->tag)
				continue; /* a tagged entry needs its tag */
			if ((c.cls && e->esubj < 0) || (!c.cls && e->esubj >= 0) || !entry_fits(e, &c))
				continue;
			if (found < 0)
				found = (int)i;
			count++;
		}
		if (found >= 0 && count == 1) {
			entry = found;
			entry_score = 1;
		}
	}
	if (entry >= 0) {
		const struct a_entry *e = &a->entries[entry];

		prov = e->prov;
		if (e->tag)
			tag = e->tag;
		for (i = 0; i < sc->n_hits; i++) {
			const struct hit *h = &sc->hits[i];
			int k = PAT_KIND(h->id), idx = PAT_INDEX(h->id);

			if ((k == PAT_TAG && idx == entry) ||
			    (k == PAT_FRAG && a->frags[idx].entry == entry))
				evidence(ds, k == PAT_TAG ? e->tag_rule : e->rule, sc->map[h->start],
					 sc->map[h->end - 1] + 1);
		}
		if (e->reason >= 0) {
			/* by tag 12, by its own text 11; by provider and codes only 8,
			 * which a decisive phrase of the text still overrides */
			best.reason = e->reason;
			best.score = entry_score >= 1000 ? 12 : entry_score > 1 ? 11 : 8;
			best.rule = e->key;
		}
		add_entry_key(ds, e->key);
	}

	/* reasons from codes */
	if (rc && rc->reason >= 0 && best.score < 2) {
		best.reason = rc->reason;
		best.score = 2;
		best.rule = rc->key;
	}
	if (ec && ec->reason >= 0 && best.score < 4) {
		best.reason = ec->reason;
		best.score = 4;
		best.rule = ec->key;
	}
	/* phrases: the heaviest, then the longest; a decisive phrase beats the
	 * enhanced code's registry reason, never a provider entry */
	{
		int pw = 0;
		size_t plen = 0;
		const struct hit *ph = NULL;

		for (i = 0; i < sc->n_hits; i++) {
			const struct hit *h = &sc->hits[i];
			const struct a_phrase *p;

			if (PAT_KIND(h->id) != PAT_PHRASE)
				continue;
			p = &a->phrases[PAT_INDEX(h->id)];
			if (p->subject_only && h->start < sc->subject_from)
				continue;
			if (p->cls && p->weight > text_cls_weight) {
				text_cls = p->cls;
				text_cls_weight = p->weight;
				text_cls_at = h->start;
				text_cls_end = h->end;
			}
			if (p->reason < 0)
				continue;
			evidence(ds, p->rule, sc->map[h->start], sc->map[h->end - 1] + 1);
			if (p->weight > pw || (p->weight == pw && p->len > plen)) {
				pw = p->weight;
				plen = p->len;
				ph = h;
			}
		}
		if (ph) {
			const struct a_phrase *p = &a->phrases[PAT_INDEX(ph->id)];
			/* vague phrases only fill in; decisive ones override codes */
			int score = p->weight >= 5 ? 5 + p->weight / 2 : 1;

			if (score > best.score || best.reason < 0) {
				if (best.reason >= 0 && best.reason != p->reason && best.score >= 2)
					snprintf(note, sizeof(note), "the text says %s; the code alone says %s",
						 a->reasons[p->reason].id, a->reasons[best.reason].id);
				best.reason = p->reason;
				best.score = score;
				best.rule = p->id;
			}
			if (p->isubj >= 0) {
				implied_subj = p->isubj;
				implied_det = p->idet;
			}
		}
	}
	if (text_cls)
		evidence(ds, "phrase:class", sc->map[text_cls_at],
			 sc->map[text_cls_end - 1] + 1);

	/* class: reply, else enhanced code, else the MTA's outcome */
	cls = c.reply ? c.reply / 100 : c.cls;
	if (!cls && it->outcome) {
		cls = it->ocls;
	}
	if (it->outcome && span_ok(it->outcome_at))
		evidence(ds, it->format, it->outcome_at.start, it->outcome_at.end);
	/* the MTA gave up: the message expired, whatever the last error was */
	if (it->expired && best.score < 4) {
		best.reason = a->r_expired;
		best.score = 4;
		best.rule = it->format;
	}
	if (c.reply == 0 && c.cls == 0 && !it->outcome && text_cls)
		cls = text_cls;
	else if (text_cls == 4 && cls == 5) {
		snprintf(note + strlen(note), sizeof(note) - strlen(note), "%sthe code is permanent but the text says the failure is temporary",
			 note[0] ? "; " : "");
		cls = 4;
	}

	/* the structure can settle it: auto-replies and complaints */
	if (it->forced_reason) {
		int r = find_reason(a, it->forced_reason);

		if (r >= 0) {
			best.reason = r;
			best.score = 20;
			best.rule = it->forced_reason;
			cls = 0;
		}
	}
	if (cls == 2 && !it->forced_reason) {
		best.reason = a->r_success;
		best.score = 20;
	}
	if (best.reason < 0)
		best.reason = a->r_unknown;

	/* no code and no outcome at all ("Benutzer unbekannt"): the class of
	 * the code the text implies follows the reason's type, a hard or
	 * blocking reason permanent, a soft one transient. It names the class
	 * and the inferred code only: type and action stay the reason's own
	 * (a bare "mailbox full" is retried, then suppressed). */
	icls = cls;
	if (!icls && !c.reply && !c.cls && !it->outcome && best.reason >= 0 &&
	    best.reason != a->r_unknown) {
		enum cat_type t = a->reasons[best.reason].type;

		icls = t == CAT_TYPE_HARD || t == CAT_TYPE_BLOCK ? 5 : t == CAT_TYPE_SOFT ? 4 : 0;
	}
	/* the enhanced code, inferred when none was read */
	if (!c.cls && icls && icls != 3) {
		int s = -1, dt = -1;

		if (entry >= 0 && a->entries[entry].esubj >= 0 &&
		    a->entries[entry].elo == a->entries[entry].ehi) {
			s = a->entries[entry].esubj;
			dt = a->entries[entry].elo;
		} else if (implied_subj >= 0) {
			s = implied_subj;
			dt = implied_det;
		}
		if (s >= 0) {
			format_code(d->enhanced, icls, s, dt);
			d->enhanced_inferred = 1;
			ec = find_enh(a, s, dt);
		}
	}

	d->cls = diagnosis_class(d->enhanced_inferred ? icls : cls);
	if (best.reason >= 0) {
		const struct a_reason *r = &a->reasons[best.reason];
		int info = r->type == CAT_TYPE_INFO;

		d->reason = r->id;
		if (cls == 4 && !info)
			d->type = CAT_TYPE_SOFT;
		else if (cls == 2)
			d->type = CAT_TYPE_INFO;
		else
			d->type = r->type;
		d->action = cls == 4 && r->act_t != CAT_ACTION_UNSET ? r->act_t : r->act;
		if (cls == 2 || d->action == CAT_ACTION_UNSET)
			d->action = cls == 2 ? CAT_ACTION_NONE : CAT_ACTION_REVIEW;
	}
	if (prov < 0)
		prov = domain_prov;
	if (prov >= 0)
		d->provider = a->provs[prov].id;
	if (!tag && marker_tag) {
		/* "(S3150)" -> S3150 */
		size_t st0 = marker_tag->start, en = marker_tag->end;
		char buf[64];
		size_t n = 0, k2;

		for (k2 = st0; k2 < en && n + 1 < sizeof(buf); k2++)
			if (isalnum(sc->norm[k2]) || sc->norm[k2] == '-' || sc->norm[k2] == '_')
				buf[n++] = (char)toupper(sc->norm[k2]);
		buf[n] = '\0';
		if (n)
			tag = astr(ds, buf);
	}
	d->provider_tag = tag;
	d->outcome = it->outcome;

	/* confidence */
	if (best.reason == a->r_unknown)
		d->confidence = CAT_CONFIDENCE_LOW;
	else if (entry >= 0 || best.score >= 20 || (ec && !(icls && !cls) && best.score >= 4) ||
		 (c.cls && best.score >= 7))
		d->confidence = CAT_CONFIDENCE_HIGH;
	else if (best.score >= 2)
		d->confidence = CAT_CONFIDENCE_MEDIUM;
	else
		d->confidence = CAT_CONFIDENCE_LOW;

	/* what happened and what to do: the most specific text we have */
	if (entry >= 0) {
		d->summary = a->entries[entry].meaning;
		d->fix = a->entries[entry].fix;
	}
	/* the registry code explains only when its reason is the one chosen */
	if (!d->summary && ec && best.reason == ec->reason)
		d->summary = ec->meaning;
	if (!d->fix && ec && best.reason == ec->reason)
		d->fix = ec->fix;
	if (best.reason >= 0) {
		const struct a_reason *r = &a->reasons[best.reason];

		if (!d->summary)
			d->summary = r->meaning;
		if (!d->fix)
			d->fix = cls == 4 && r->transient ? r->transient : r->fix;
	}
	if (rc)
		add_entry_key(ds, rc->key);
	if (ec)
		add_entry_key(ds, ec->key);
	if (note[0])
		d->note = astr(ds, note);
}

/* ------------------------------------------------------------ one input */

/* The slot of a relay's name in the cache: its length and its first and
 * last eight bytes are enough to spread names (the compare decides). */
static size_t
host_slot(const unsigned char *name, size_t len)
{
	uint64_t a = 0, b = 0;

	if (len >= 8) {
		memcpy(&a, name, 8);
		memcpy(&b, name + len - 8, 8);
	} else {
		memcpy(&a, name, len);
	}
	return (size_t)((((a * 0x9e3779b97f4a7c15ULL) ^ b) * 0xff51afd7ed558ccdULL ^ len) >> 40) %
	       HOST_SLOTS;
}

/* The codes of a reply that starts "250 2.0.0 " (a reply code and a
 * space, an enhanced code, then a space or the end), read from the text
 * as it is: what read_codes() would find first in its normalized form.
 * Returns 0 for any other start. */
static int
raw_codes(const char *input, struct span t, struct codes *c)
{
	const unsigned char *p = (const unsigned char *)input + t.start;
	size_t n = span_len(t), l;
	int cl, su, de;

	if (n < 10 || p[0] < '2' || p[0] > '5' || !isdigit(p[1]) || !isdigit(p[2]) || p[3] != ' ')
		return 0;
	l = enhanced_at(p, 4, n, &cl, &su, &de);
	if (!l || (4 + l < n && p[4 + l] != ' '))
		return 0;
	memset(c, 0, sizeof(*c));
	c->reply = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	c->reply_at = t.start;
	c->reply_end = t.start + 3;
	c->cls = cl;
	c->subj = su;
	c->det = de;
	c->enh_at = t.start + 4;
	c->enh_end = t.start + 4 + l;
	return 1;
}

static enum cat_status
analyze_item(struct dstate *ds, const char *input, const struct item *it, struct scan *sc)
{
	struct cat_span *ev;
	const char **ents;

	sc->len = 0;
	sc->n_hits = 0;
	sc->cont_reply = 0;
	sc->have_codes = 0;
	if (span_ok(it->text) && it->ocls == 2 && it->outcome && !it->forced_reason &&
	    span_ok(it->host) && raw_codes(input, it->text, &sc->codes))
		sc->have_codes = 1; /* a delivered line: its text is not needed */
	else if (span_ok(it->text)) {
		struct span t = it->text;

		/* a delivered line named by its relay needs only the reply's
		 * codes from its text, and they come first ("250 2.0.0 Ok:
		 * queued as ..."): its start is enough when both are there */
		if (it->ocls == 2 && it->outcome && !it->forced_reason && span_ok(it->host) &&
		    span_len(t) > CODES_PREFIX) {
			const char *sp = memchr(input + t.start + CODES_PREFIX, ' ',
						span_len(t) - CODES_PREFIX);
			struct codes c;

			if (sp) {
				t.end = (size_t)(sp - input);
				normalize_into(sc, input, t, it->qmail);
				read_codes(sc, input, &c);
				if (!c.reply || !c.cls) { /* read it all */
					sc->len = 0;
					sc->cont_reply = 0;
					t = it->text;
				}
			}
		}
		if (sc->len == 0)
			normalize_into(sc, input, t, it->qmail);
	}
	if (span_ok(it->extra))
		normalize_into(sc, input, it->extra, it->qmail);
	sc->host_from = sc->len;
	if (span_ok(it->host))
		normalize_into(sc, input, it->host, 0);
	sc->subject_from = sc->len;
	if (span_ok(it->subject))
		normalize_into(sc, input, it->subject, 0);
	/* a delivered message needs no phrases or provider rules: most lines
	 * of a mail log are those, and they take this short way */
	sc->scan_off = 0;
	if (!(it->outcome && !it->forced_reason &&
	      it->ocls == 2)) {
		acm_scan(ds->a->acm, sc->norm, sc->len, on_hit, sc);
	} else if (sc->subject_from == sc->host_from) {
		/* no relay named (qmail): the short reply says who answered */
		acm_scan(ds->a->acm, sc->norm, sc->len, on_hit_marker, sc);
	} else {
		/* only the relay's name, for the provider; the same name gives
		 * the same hits (the bytes around it are separators), so they
		 * are kept by name */
		const unsigned char *name = sc->norm + sc->host_from;
		size_t len = sc->subject_from - sc->host_from, k;
		struct hcache *hc = NULL, *empty = NULL;
		size_t base = host_slot(name, len), q;

		/* four slots from the hash's: two relays never evict each other */
		for (q = 0; q < 4 && len <= HOST_KEY; q++) {
			struct hcache *t = &ds->an->scratch->hosts[(base + q) % HOST_SLOTS];

			if (t->n_hits != (size_t)-1 && t->len == len && memcmp(t->name, name, len) == 0) {
				hc = t;
				break;
			}
			if (t->n_hits == (size_t)-1 && !empty)
				empty = t;
		}
		if (hc) {
			for (k = 0; k < hc->n_hits; k++) {
				sc->hits[k].id = hc->hits[k].id;
				sc->hits[k].start = sc->host_from + hc->hits[k].start;
				sc->hits[k].end = sc->host_from + hc->hits[k].end;
			}
			sc->n_hits = hc->n_hits;
		} else {
			sc->scan_off = sc->host_from;
			acm_scan(ds->a->acm, name, len, on_hit, sc);
			sc->scan_off = 0;
			hc = empty ? empty : &ds->an->scratch->hosts[base % HOST_SLOTS];
			if (len <= HOST_KEY && sc->n_hits <= HOST_HITS) {
				memcpy(hc->name, name, len);
				hc->len = len;
				hc->n_hits = sc->n_hits;
				for (k = 0; k < sc->n_hits; k++) {
					hc->hits[k].id = sc->hits[k].id;
					hc->hits[k].start = (uint16_t)(sc->hits[k].start - sc->host_from);
					hc->hits[k].end = (uint16_t)(sc->hits[k].end - sc->host_from);
				}
			}
		}
	}
	ds->n_ev = 0;
	ds->n_entries = 0;
	decide(ds, input, it, sc);
	ds->d->recipient = aspan(ds, input, it->recipient);
	ds->d->remote_host = aspan(ds, input, it->host);
	ev = arena_alloc(ds->an->arena, (ds->n_ev ? ds->n_ev : 1) * sizeof(*ev));
	ents = arena_alloc(ds->an->arena, (ds->n_entries ? ds->n_entries : 1) * sizeof(*ents));
	if (!ev || !ents || ds->oom)
		return CAT_ENOMEM;
	memcpy(ev, ds->ev, ds->n_ev * sizeof(*ev));
	memcpy(ents, ds->entries, ds->n_entries * sizeof(*ents));
	ds->d->evidence = ev;
	ds->d->n_evidence = ds->n_ev;
	ds->d->entries = ents;
	ds->d->n_entries = ds->n_entries;
	return CAT_OK;
}

void
cat_analysis_free(struct cat_analysis *an)
{
	if (!an)
		return;
	if (an->scratch) {
		struct an_scratch *x = an->scratch;
		size_t i;

		free(x->items);
		free(x->norm);
		free(x->map);
		for (i = 0; i < x->jc_cap; i++)
			free(x->jc[i].json);
		free(x->jc);
		for (i = 0; i < 2 * SEG_SLOTS; i++)
			free(x->seg[i / SEG_SLOTS][i % SEG_SLOTS].json);
		for (i = 0; i < SEG_SLOTS; i++)
			free(x->head[i].json);
		free(x);
	}
	free(an->d);
	arena_free(an->arena);
	free(an);
}

static struct span text_host(const char *base, struct span sp);

/* A bounce without a DSN part that names several failed recipients
 * (X-Failed-Recipients) and lists them in its words, each followed by its
 * own error (Exim): one item per recipient, with its own section. Returns
 * the number of items, 0 when the words do not list them. */
static size_t
split_recipients(const char *base, const struct msg *m, struct item *items)
{
	const char *list = base + m->failed.start, *lend = base + m->failed.end;
	const char *hs = base + m->human.start, *he = base + m->human.end;
	const char *starts[MAX_ITEMS];
	struct span rcpt[MAX_ITEMS];
	size_t n = 0, i, j;

	while (list < lend && n < MAX_ITEMS) {
		struct span a = read_address(base, list, lend);
		const char *p;

		if (!span_ok(a))
			break;
		/* the address at the start of a line of the words */
		for (p = hs; (p = find(p, he, "\n")) && p < he; p++) {
			const char *q = p + 1;

			while (q < he && (*q == ' ' || *q == '\t' || *q == '<'))
				q++;
			if ((size_t)(he - q) >= a.end - a.start &&
			    strncasecmp(q, base + a.start, a.end - a.start) == 0)
				break;
		}
		if (p && p < he) {
			starts[n] = p + 1;
			rcpt[n] = a;
			n++;
		}
		list = base + a.end;
		while (list < lend && (*list == ',' || *list == ' ' || *list == '>'))
			list++;
	}
	if (n < 2)
		return 0;
	/* sections in the order they appear */
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (starts[j] < starts[i]) {
				const char *t = starts[i];
				struct span ts = rcpt[i];

				starts[i] = starts[j];
				starts[j] = t;
				rcpt[i] = rcpt[j];
				rcpt[j] = ts;
			}
	for (i = 0; i < n; i++) {
		const char *e = i + 1 < n ? starts[i + 1] : he;

		memset(&items[i], 0, sizeof(items[i]));
		items[i].format = "message";
		items[i].text = mkspan(base, starts[i], e);
		items[i].subject = m->subject;
		items[i].recipient = rcpt[i];
		items[i].host = text_host(base, items[i].text);
	}
	return n;
}

/* An address alone on its line, perhaps followed by a parenthesis or a
 * colon, as NDRs list their failed recipients ("ana@contoso.com",
 * "  bob@example.net (bob@example.net)"); not a mailer's own address. */
static struct span
line_address(const char *base, struct span sp)
{
	const char *s = base + sp.start, *end = base + sp.end;

	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		const char *le = eol ? eol : end, *p = s;
		struct span a;

		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
		a = read_address(base, p, le);
		if (span_ok(a) && base + a.start == p && !ieq_prefix(p, le, "postmaster@") &&
		    !ieq_prefix(p, le, "mailer-daemon@")) {
			const char *q = base + a.end;

			while (q < le && (*q == ' ' || *q == '\t' || *q == '\r' || *q == ':'))
				q++;
			if (q == le || *q == '(')
				return a;
		}
		s = eol ? eol + 1 : end;
	}
	return mkspan(base, end, end);
}

/* The first address written as <a@b> in a span. */
static struct span
first_address(const char *base, struct span sp)
{
	const char *s = base + sp.start, *end = base + sp.end;

	while ((s = memchr(s, '<', (size_t)(end - s)))) {
		struct span a = read_address(base, s + 1, end);

		if (span_ok(a))
			return a;
		s++;
	}
	return line_address(base, sp);
}

/* "host mx.example.net [192.0.2.1]" or "host mx[192.0.2.1] said" in a
 * bounce's words: the name of the remote server. */
static struct span
text_host(const char *base, struct span sp)
{
	const char *s = base + sp.start, *end = base + sp.end;

	while ((s = find(s, end, "host "))) {
		const char *h = s + 5, *e = h;

		while (e < end && (isalnum((unsigned char)*e) || *e == '.' || *e == '-'))
			e++;
		if (e > h && memchr(h, '.', (size_t)(e - h)) && e < end &&
		    (*e == '[' || (*e == ' ' && e + 1 < end && e[1] == '[')))
			return mkspan(base, h, e);
		s = h;
	}
	return mkspan(base, end, end);
}

/* Splits the input into items by its structure. */
static size_t
items_of(const char *input, size_t len, struct item *items, struct msg *m)
{
	const char *s = input, *end = input + len;
	struct item *it = &items[0];
	size_t n;

	memset(it, 0, sizeof(*it));
	/* leading white space does not make a message */
	while (s < end && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'))
		s++;
	/* a log line is the common case in a batch: try those first */
	if (parse_postfix(input, s, end, it) || parse_exim(input, s, end, it) ||
	    parse_sendmail(input, s, end, it) || parse_qmail(input, s, end, it)) {
		if (!span_ok(it->text))
			it->text = mkspan(input, s, end);
		return 1;
	}
	memset(it, 0, sizeof(*it));
	if (looks_like_message(s, end)) {
		memset(m, 0, sizeof(*m));
		m->base = input;
		m->items = items;
		parse_message(m, s, end);
		if (m->feedback) {
			memset(&items[0], 0, sizeof(items[0]));
			items[0].format = "message:arf";
			items[0].forced_reason = "complaint";
			items[0].text = m->human;
			items[0].subject = m->subject;
			if (span_ok(m->failed))
				items[0].recipient = read_address(input, input + m->failed.start, end);
			return 1;
		}
		if (m->n_items > 0) {
			/* the human part speaks of every recipient: it may only help
			 * when there is one */
			for (n = 0; n < m->n_items; n++) {
				if (m->n_items == 1)
					items[n].extra = m->human;
				items[n].subject = m->subject;
			}
			return m->n_items;
		}
		it->format = "message";
		it->text = m->human;
		it->subject = m->subject;
		if (span_ok(m->failed) && span_ok(m->human) &&
		    (n = split_recipients(input, m, items)) > 1)
			return n;
		if (span_ok(m->failed))
			it->recipient = read_address(input, input + m->failed.start, end);
		else if (span_ok(m->human))
			it->recipient = first_address(input, m->human);
		if (span_ok(m->human))
			it->host = text_host(input, m->human);
		/* bounces carry Auto-Submitted too: only a message with no sign of
		 * being a bounce is an auto-reply on that header alone */
		if (m->auto_reply ||
		    (m->auto_submitted && !m->from_daemon && !span_ok(m->failed)))
			it->forced_reason = "auto_reply";
		return 1;
	}
	if (has_dsn_fields(s, end)) {
		parse_dsn_group(input, s, end, it);
		return 1;
	}
	/* Microsoft: Remote Server returned '550 5.1.1 ...' */
	{
		const char *p = find_ci(s, end, "remote server returned '");

		it->format = "text";
		it->text = mkspan(input, s, end);
		if (p) {
			/* the closing quote ends its line: the reply may hold
			 * apostrophes ("weren't") */
			const char *q = NULL, *r = p + 24;
			const char *eol = memchr(r, '\n', (size_t)(end - r));

			for (; r < (eol ? eol : end); r++)
				if (*r == '\'')
					q = r;

			it->text = mkspan(input, p + 24, q ? q : end);
			it->extra = mkspan(input, s, p);
		}
		if (!span_ok(it->recipient)) {
			const char *lt = memchr(s, '<', (size_t)(end - s));

			if (lt)
				it->recipient = read_address(input, lt, end);
			else
				it->recipient = line_address(input, mkspan(input, s, end));
		}
	}
	return 1;
}

enum cat_status
cat_analyze(const struct cat_analyzer *a, const char *text, size_t len, struct cat_analysis **out,
	    struct cat_error *err)
{
	struct item *items;
	struct cat_analysis *an = NULL;
	struct scan sc;
	struct msg m;
	struct dstate ds;
	struct an_scratch *x;
	const char *input; /* as given, before any copy */
	enum cat_status s = CAT_OK;
	size_t n, i, need;

	if (!a || !out || (!text && len) || (*out && (*out)->analyzer != a))
		return cat_fail(err, CAT_EUSAGE, "cat_analyze: bad arguments");
	if (len > a->max_input)
		return cat_fail(err, CAT_EUSAGE, "the input is %zu bytes, more than the limit of %zu",
				len, a->max_input);
	if (!text)
		text = "";
	memset(&sc, 0, offsetof(struct scan, hits));
	sc.a = a;
	an = *out;
	if (an) {
		arena_reset(an->arena);
		an->n = 0;
	} else {
		an = calloc(1, sizeof(*an));
		if (an) {
			an->arena = arena_new();
			an->analyzer = a;
			an->scratch = calloc(1, sizeof(*an->scratch));
			if (an->scratch) {
				an->scratch->items = malloc(MAX_ITEMS * sizeof(*an->scratch->items));
				for (i = 0; i < HOST_SLOTS; i++)
					an->scratch->hosts[i].n_hits = (size_t)-1; /* empty */
			}
		}
		if (!an || !an->arena || !an->scratch || !an->scratch->items) {
			cat_analysis_free(an);
			return cat_fail(err, CAT_ENOMEM, "out of memory");
		}
		*out = an;
	}
	x = an->scratch;
	items = x->items;
	m.encoded = 0;
	an->decoded = 0;
	{
		/* a message with bare CR line ends (old Mac mail programs, and
		 * bounces saved by them) is read as if they were LF: a copy of
		 * the same length, so every offset still indexes the input */
		const char *cr = len ? memchr(text, '\r', len) : NULL;

		input = text;

		if (cr && (cr + 1 == text + len || cr[1] != '\n') && !memchr(text, '\n', len)) {
			char *lf = arena_alloc(an->arena, len + 1);
			size_t k;

			if (!lf)
				return cat_fail(err, CAT_ENOMEM, "out of memory");
			for (k = 0; k < len; k++)
				lf[k] = text[k] == '\r' ? '\n' : text[k];
			text = lf;
		}
	}
	n = items_of(text, len, items, &m);
	if (m.encoded) {
		/* read it again with its text parts decoded */
		char *dec = arena_alloc(an->arena, len + 1);

		if (!dec)
			return cat_fail(err, CAT_ENOMEM, "out of memory");
		len = mime_decode_parts(text, len, dec);
		dec[len] = '\0';
		text = dec;
		an->decoded = 1;
		n = items_of(text, len, items, &m);
	}
	/* the CR-to-LF copy indexes like the input: the input is what the
	 * evidence quotes (only a decoded copy replaces it) */
	an->text = an->decoded ? text : input;
	an->text_len = len;
	/* the spans of an item are normalized one after another, each byte
	 * into at most two (a Latin-1 letter becomes UTF-8), plus a separator
	 * each */
	need = 8;
	for (i = 0; i < n; i++) {
		size_t k = 2 * (span_len(items[i].text) + span_len(items[i].extra) +
				span_len(items[i].host) + span_len(items[i].subject)) + 8;

		if (k > need)
			need = k;
	}
	if (need > x->cap) {
		unsigned char *nn = realloc(x->norm, need);
		uint32_t *nm = nn ? realloc(x->map, need * sizeof(*nm)) : NULL;

		if (nn)
			x->norm = nn;
		if (nm)
			x->map = nm;
		if (!nn || !nm)
			return cat_fail(err, CAT_ENOMEM, "out of memory");
		x->cap = need;
	}
	sc.norm = x->norm;
	sc.map = x->map;
	if (n > an->cap) {
		struct cat_diagnosis *d = realloc(an->d, n * sizeof(*d));

		if (!d)
			return cat_fail(err, CAT_ENOMEM, "out of memory");
		an->d = d;
		an->cap = n;
	}
	memset(an->d, 0, n * sizeof(*an->d));
	memset(&ds, 0, offsetof(struct dstate, ev));
	ds.a = a;
	ds.an = an;
	for (i = 0; i < n && s == CAT_OK; i++) {
		ds.d = &an->d[i];
		if (analyze_item(&ds, text, &items[i], &sc) != CAT_OK)
			s = cat_fail(err, CAT_ENOMEM, "out of memory");
		an->n++;
	}
	return s;
}

/* ------------------------------------------------------------ JSON */

/* Writes s, a string that lives as long as the analyzer (a catalog text, a
 * rule name, a word of the program), from the cache of its JSON form; the
 * first time, the form is made. Strings of one analysis (in its arena) are
 * written directly: their memory is reused by the next input. */
static void
cached_str(struct an_scratch *a, struct jsonw *w, const char *s)
{
	size_t h, i;

	if (!s || !a) {
		jw_str(w, s);
		return;
	}
	if (a->jc_n * 2 >= a->jc_cap) {
		size_t cap = a->jc_cap ? a->jc_cap * 2 : 1024, k;
		struct jcache *jc = calloc(cap, sizeof(*jc));

		if (!jc) {
			jw_str(w, s);
			return;
		}
		for (k = 0; k < a->jc_cap; k++) {
			if (!a->jc[k].key)
				continue;
			h = ((uintptr_t)a->jc[k].key >> 3) * 0x9e3779b97f4a7c15ULL;
			for (i = h & (cap - 1); jc[i].key; i = (i + 1) & (cap - 1))
				;
			jc[i] = a->jc[k];
		}
		free(a->jc);
		a->jc = jc;
		a->jc_cap = cap;
	}
	h = ((uintptr_t)s >> 3) * 0x9e3779b97f4a7c15ULL;
	for (i = h & (a->jc_cap - 1); a->jc[i].key; i = (i + 1) & (a->jc_cap - 1)) {
		if (a->jc[i].key == s) {
			jw_raw(w, a->jc[i].json, a->jc[i].len);
			return;
		}
	}
	{
		struct jsonw one = { NULL, 0, 0, 0, 0 };

		jw_str(&one, s);
		if (one.oom) {
			free(one.buf);
			jw_str(w, s);
			return;
		}
		a->jc[i].key = s;
		a->jc[i].json = one.buf;
		a->jc[i].len = one.len;
		a->jc_n++;
		jw_raw(w, one.buf, one.len);
	}
}

/* A string of the analysis (arena) is written as it is; any other is a
 * long-lived one and comes from the cache. */
static void
json_str(const struct cat_analysis *an, struct jsonw *w, const char *s)
{
	if (!s || arena_contains(an->arena, s))
		jw_str(w, s);
	else
		cached_str(an->scratch, w, s);
}

/* The members of run 0 (enhanced_inferred .. provider_tag) or run 1
 * (outcome .. decoded) of a diagnosis. */
static void
seg_members(const struct cat_analysis *an, struct jsonw *w, const struct cat_diagnosis *d,
	    int run)
{
	size_t k;

	if (run == 0) {
		JW_KEY(w, "enhanced_inferred");
		jw_bool(w, d->enhanced_inferred);
		JW_KEY(w, "class");
		json_str(an, w, cat_class_name(d->cls));
		JW_KEY(w, "reason");
		json_str(an, w, d->reason);
		JW_KEY(w, "type");
		json_str(an, w, cat_type_name(d->type));
		JW_KEY(w, "action");
		json_str(an, w, cat_action_name(d->action));
		JW_KEY(w, "confidence");
		json_str(an, w, cat_confidence_name(d->confidence));
		JW_KEY(w, "provider");
		json_str(an, w, d->provider);
		JW_KEY(w, "provider_tag");
		json_str(an, w, d->provider_tag);
		return;
	}
	JW_KEY(w, "outcome");
	json_str(an, w, d->outcome);
	JW_KEY(w, "entries");
	jw_arr(w);
	for (k = 0; k < d->n_entries; k++)
		json_str(an, w, d->entries[k]);
	jw_end_arr(w);
	JW_KEY(w, "summary");
	cached_str(an->scratch, w, d->summary);
	JW_KEY(w, "fix");
	cached_str(an->scratch, w, d->fix);
	JW_KEY(w, "note");
	json_str(an, w, d->note);
	JW_KEY(w, "decoded");
	jw_bool(w, an->decoded);
}

/* Writes a run of members. Most lines of a log give the same few runs:
 * when every string of a run lives as long as the analyzer (none was made
 * for this input), the run's JSON is kept, keyed by the strings' addresses
 * and the flags, in a small direct-mapped cache, and copied whole the next
 * time. */
static void
seg_write(const struct cat_analysis *an, struct jsonw *w, const struct cat_diagnosis *d, int run)
{
	const void *key[SEG_KEYS];
	size_t n = 0, k;
	uintptr_t h = 0;
	struct jseg *slot;

	if (run == 0) {
		key[n++] = d->enhanced_inferred ? "i" : "";
		key[n++] = cat_class_name(d->cls);
		key[n++] = d->reason;
		key[n++] = cat_type_name(d->type);
		key[n++] = cat_action_name(d->action);
		key[n++] = cat_confidence_name(d->confidence);
		key[n++] = d->provider;
		key[n++] = d->provider_tag;
	} else if (d->n_entries <= SEG_KEYS - 5) {
		key[n++] = an->decoded ? "d" : "";
		key[n++] = d->outcome;
		key[n++] = d->summary;
		key[n++] = d->fix;
		key[n++] = d->note;
		for (k = 0; k < d->n_entries; k++)
			key[n++] = d->entries[k];
	} else {
		seg_members(an, w, d, run);
		return;
	}
	{
		const char *lo, *hi;
		int one = arena_bounds(an->arena, &lo, &hi);

		for (k = 0; k < n; k++) {
			const char *p = key[k];

			if (p && (one ? p >= lo && p < hi : arena_contains(an->arena, p))) {
				seg_members(an, w, d, run); /* made for this input */
				return;
			}
			h = (h ^ ((uintptr_t)p >> 3)) * 0x9e3779b97f4a7c15ULL;
		}
	}
	/* four slots from the hash's, the first empty one taken on a miss, or
	 * else the first (two hot runs never evict each other for long) */
	{
		size_t base = (size_t)(h >> 40), q;

		slot = NULL;
		for (q = 0; q < 4; q++) {
			struct jseg *t = &an->scratch->seg[run][(base + q) % SEG_SLOTS];

			if (t->json && t->n_key == n && memcmp(t->key, key, n * sizeof(*key)) == 0) {
				jw_members(w, t->json, t->len);
				return;
			}
			if (!t->json && !slot)
				slot = t;
		}
		if (!slot)
			slot = &an->scratch->seg[run][(base + (h & 3)) % SEG_SLOTS];
	}
	{
		/* made in the slot's own buffer, which a miss reuses */
		struct jsonw one = { slot->json, 0, slot->cap, 1, 0 };

		slot->json = NULL; /* not valid while it is rewritten */
		seg_members(an, &one, d, run);
		if (one.oom) {
			free(one.buf);
			slot->cap = 0;
			seg_members(an, w, d, run);
			return;
		}
		memcpy(slot->key, key, n * sizeof(*key));
		slot->n_key = n;
		slot->json = one.buf;
		slot->len = one.len;
		slot->cap = one.cap;
		jw_members(w, slot->json, slot->len);
	}
}

/* Opens an evidence object with its rule: from the cache when the rule
 * lives as long as the analyzer. */
static void
ev_open(const struct cat_analysis *an, struct jsonw *w, const char *rule)
{
	struct jhead *h;

	if (!rule || arena_contains(an->arena, rule)) {
		jw_obj(w);
		JW_KEY(w, "rule");
		jw_str(w, rule);
		return;
	}
	{
		/* four slots from the hash's: two rules never evict each other */
		size_t base = (size_t)(((uintptr_t)rule >> 3) * 0x9e3779b97f4a7c15ULL >> 40), q;
		struct jhead *empty = NULL;

		for (q = 0, h = NULL; q < 4 && !h; q++) {
			struct jhead *t = &an->scratch->head[(base + q) % SEG_SLOTS];

			if (t->rule == rule)
				h = t;
			else if (!t->rule && !empty)
				empty = t;
		}
		if (!h)
			h = empty ? empty : &an->scratch->head[base % SEG_SLOTS];
	}
	if (h->rule != rule) {
		struct jsonw one = { NULL, 0, 0, 0, 0 };

		jw_obj(&one);
		JW_KEY(&one, "rule");
		cached_str(an->scratch, &one, rule);
		if (one.oom) {
			free(one.buf);
			jw_obj(w);
			JW_KEY(w, "rule");
			jw_str(w, rule);
			return;
		}
		free(h->json);
		h->rule = rule;
		h->json = one.buf;
		h->len = one.len;
	}
	jw_obj_open(w, h->json, h->len);
}

enum cat_status
cat_diagnosis_json(const struct cat_analysis *an, size_t i, const char *input, size_t input_len,
		   unsigned long input_no, char **buf, size_t *len, size_t *cap)
{
	const struct cat_diagnosis *d;
	struct jsonw w = { *buf, *len, *cap, 0, 0 };
	size_t k;

	if (!an || i >= an->n)
		return CAT_EUSAGE;
	if (an->decoded) {
		input = an->text;
		input_len = an->text_len;
	}
	d = &an->d[i];
	jw_obj(&w);
	if (input_no) {
		JW_KEY_INT(&w, "input", (long long)input_no);
	} else {
		JW_KEY(&w, "input");
		jw_null(&w);
	}
	if (d->reply) {
		JW_KEY_INT(&w, "reply_code", d->reply);
	} else {
		JW_KEY(&w, "reply_code");
		jw_null(&w);
	}
	JW_KEY_STR(&w, "enhanced_code", d->enhanced[0] ? d->enhanced : NULL);
	seg_write(an, &w, d, 0);
	JW_KEY_STR(&w, "recipient", d->recipient);
	JW_KEY_STR(&w, "remote_host", d->remote_host);
	seg_write(an, &w, d, 1);
	JW_KEY(&w, "evidence");
	jw_arr(&w);
	for (k = 0; k < d->n_evidence; k++) {
		const struct cat_span *e = &d->evidence[k];

		ev_open(an, &w, e->rule);
		JW_KEY_INT(&w, "start", (long long)e->start);
		JW_KEY_INT(&w, "end", (long long)e->end);
		if (input && e->end <= input_len) {
			JW_KEY_STRN(&w, "text", input + e->start, e->end - e->start);
		} else {
			JW_KEY(&w, "text");
			jw_null(&w);
		}
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_end_obj(&w);
	*buf = w.buf;
	*len = w.len;
	*cap = w.cap;
	return w.oom ? CAT_ENOMEM : CAT_OK;
}
