/* scan.c: bounce scan's engine: diagnoses in, a troubleshooting report out.
 *
 * Each diagnosis is an event keyed by (host, queue id, recipient). A
 * deferral opens (or updates) the recipient's entry in a bounded table; a
 * final event (sent, bounced, expired) closes it and is counted once, in
 * the rows of the total, the recipient's provider and domain and, for a
 * failure, its reason. What the report says of a recipient still open is
 * added when the report is built, so a report may be built again after
 * more events (--follow). Nothing here prints; knowledge (thresholds,
 * names, whose side a reason is on) is read from the catalog.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "analyze.h"
#include "bytescan.h"
#include "db.h"
#include "jsonw.h"
#include "stamp.h"
#include "util.h"

/* for the short steps of a delivered line's count, which gcc would call */
#define SCAN_INLINE static inline __attribute__((always_inline))

/* MAX_DOMAINS: rows of recipient domains kept (the others share one row);
 * MAX_CODES: codes told apart (the others are counted in the rows only);
 * MAX_POINTS: points of the time series kept (per series and slot);
 * MAX_RLIM: thresholds that count one reason; SAMPLE_MAX: a code's sample */
enum {
	DEF_MAX_OPEN = 100000,
	DEF_TOP = 10,
	MAX_DOMAINS = 20000,
	MAX_CODES = 4096,
	MAX_POINTS = 1 << 20,
	MAX_RLIM = 8,
	NAME_SLOTS = 1 << 16,
	/* bits of the filter of the open table's keys: a delivered line whose
	 * recipient was never deferred (nearly all) is told so from 128 KiB,
	 * not from the table's buckets, which cost a cache miss a line */
	FILTER_BITS = 1 << 20,
	DCACHE_SLOTS = 256,
	MIN_GHOSTS = 1024,
	DCACHE_DOM = 64,
	SAMPLE_MAX = 200,
	HOUR = 3600,
	DAY = 86400,
	/* beyond this span, points are days */
	HOURLY_SPAN = 7 * DAY,
};

static const char *const kind_names[] = {
#define KIND_NAME(id, name) name,
	CAT_SCAN_KIND_LIST(KIND_NAME)
#undef KIND_NAME
};

static const char *const rate_names[] = {
#define RATE_NAME(id, name) name,
	CAT_SCAN_RATE_LIST(RATE_NAME)
#undef RATE_NAME
};

const char *
cat_scan_kind_name(enum cat_scan_kind k)
{
	return (unsigned)k < CAT_SCAN_KIND_COUNT ? kind_names[k] : NULL;
}

const char *
cat_scan_rate_name(enum cat_scan_rate_kind r)
{
	return (unsigned)r < CAT_SCAN_RATE_COUNT ? rate_names[r] : NULL;
}

int
cat_scan_rate_of_name(const char *name)
{
	int i;

	for (i = 0; name && i < CAT_SCAN_RATE_COUNT; i++)
		if (strcmp(rate_names[i], name) == 0)
			return i;
	return -1;
}

/* ------------------------------------------------------------ string maps */

/* The last mix of the keys' hashes: the high bits folded into the low
 * ones a slot is taken from. */
static inline uint32_t
hash_fold(uint64_t h)
{
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

/* The hash of an open table's key, eight bytes at a time: it is taken for
 * every delivered line. The last bytes of a key of eight or more are the
 * eight that end it (some hashed twice), one load where a copy of fewer
 * is a call to memcpy(). Only where keys land depends on it. */
static uint32_t
hash_key(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;
	const char *end = s + n;

	if (n >= 8) {
		for (; end - s >= 8; s += 8) {
			memcpy(&w, s, 8);
			h = (h ^ w) * 0xff51afd7ed558ccdULL;
			h ^= h >> 32;
		}
		if (s < end) {
			memcpy(&w, end - 8, 8);
			h = (h ^ w) * 0xff51afd7ed558ccdULL;
		}
	} else if (n) {
		for (w = 0; s < end; s++)
			w = w << 8 | (unsigned char)*s;
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
	}
	return hash_fold(h);
}


/* The hash of a key of the open table (host NUL queue id NUL recipient),
 * taken for every delivered line: hash_key() sixteen bytes a round, the
 * second eight multiplied apart and folded in, so that a key of 40 to 60
 * bytes takes three or four rounds rather than six or eight. Only where
 * keys land (and the filter's bits) depends on it. */
static uint32_t
key_hash(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, a, b;
	const char *end = s + n;

	if (n < 16)
		return hash_key(s, n);
	for (; end - s >= 16; s += 16) {
		memcpy(&a, s, 8);
		memcpy(&b, s + 8, 8);
		h = ((h ^ a) * 0xff51afd7ed558ccdULL) ^ (b * 0xc4ceb9fe1a85ec53ULL);
		h ^= h >> 32;
	}
	if (s < end) {
		/* the last sixteen, some hashed twice: one load each */
		memcpy(&a, end - 16, 8);
		memcpy(&b, end - 8, 8);
		h = ((h ^ a) * 0xff51afd7ed558ccdULL) ^ (b * 0xc4ceb9fe1a85ec53ULL);
	}
	return hash_fold(h);
}

/* The hash of a recipient domain for its slot in the cache of domains,
 * taken for every delivered line: its first and last eight bytes and its
 * length, mixed by two multiplies. Domains alike but for their middle
 * share a slot, which costs a lookup, never an answer (a hit compares the
 * whole domain). */
static uint32_t
dom_hash(const char *d, size_t n)
{
	uint64_t a = 0, b = 0;
	size_t i;

	if (n >= 8) {
		memcpy(&a, d, 8);
		memcpy(&b, d + n - 8, 8);
	} else {
		for (i = 0; i < n; i++)
			a = a << 8 | (unsigned char)d[i];
	}
	/* the high half folded down before the last multiply: a product's
	 * bits depend only on those below them */
	a ^= b * 0xff51afd7ed558ccdULL ^ n;
	a = (a ^ a >> 32) * 0x9e3779b97f4a7c15ULL;
	return (uint32_t)(a >> 32);
}

/* A string to an int, open addressing; keys are copied into `arena`. Its
 * slots are never walked in order (the rows are), so the hash is free to
 * be hash_key()'s, eight bytes at a time: a failure line looks up three or
 * four names. */
struct strmap {
	const char **keys;
	int *vals;
	size_t cap, n;
};

static int
strmap_find(const struct strmap *m, const char *k, size_t n, size_t *slot)
{
	size_t i;

	if (!m->cap) {
		*slot = 0;
		return -1;
	}
	for (i = hash_key(k, n) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (strncmp(m->keys[i], k, n) == 0 && m->keys[i][n] == '\0') {
			*slot = i;
			return m->vals[i];
		}
	*slot = i;
	return -1;
}

static int
strmap_grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, i, j;
	const char **keys = calloc(cap, sizeof(*keys));
	int *vals = calloc(cap, sizeof(*vals));

	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -1;
	}
	for (i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		for (j = hash_key(m->keys[i], strlen(m->keys[i])) & (cap - 1); keys[j];
		     j = (j + 1) & (cap - 1))
			;
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return 0;
}

/* Adds k (not present) with value v; returns the stored copy of k. */
static const char *
strmap_put(struct strmap *m, struct cat_arena *arena, const char *k, size_t n, int v)
{
	size_t slot;
	const char *copy;

	if ((m->n + 1) * 2 > m->cap && strmap_grow(m) != 0)
		return NULL;
	(void)strmap_find(m, k, n, &slot);
	copy = arena_strndup(arena, k, n);
	if (!copy)
		return NULL;
	m->keys[slot] = copy;
	m->vals[slot] = v;
	m->n++;
	return copy;
}

static void
strmap_free(struct strmap *m)
{
	free(m->keys);
	free(m->vals);
}

/* ------------------------------------------------------------ the state */

struct row {
	const char *name, *title;
	struct cat_scan_counts c;
	unsigned long long rhits[MAX_RLIM]; /* failures a reason threshold counts */
	int series;                         /* series id, -1 for none */
	/* the point of its series last counted in: a log's times go forward,
	 * so most events land in the point of the one before; its times are
	 * [pt_lo, pt_hi), tested without a division */
	long long pt_lo, pt_hi;
	size_t pt_at; /* 1 + index in points; 0: none yet */
};

struct rows {
	struct row *v;
	size_t n, cap;
	struct strmap by_name;
	int none; /* the row without a name, -1 until needed */
};

/* A threshold the scan measures against. */
struct rlim {
	const char *key;
	enum cat_scan_rate_kind rate;
	int per_provider;
	const char *reason; /* NULL, or the one reason it counts */
	double pct;
};

struct code {
	struct cat_scan_code pub;
	/* its reason (a part of its key, when the key was not cut): the
	 * reason's catalog record and row (-1 until counted), so that a
	 * failure with a known code looks neither up by name */
	int whole;
	const struct reason_info *ri;
	int rsn_row;
};

/* A recipient still deferred. */
struct open {
	struct open *next;             /* hash chain of the whole key */
	struct open *qnext;            /* hash chain of host and queue id */
	struct open *older, *newer;    /* age list, for eviction */
	uint32_t hash, qhash;
	size_t qlen;                   /* of host NUL queue id */
	unsigned deferrals;
	int code;                      /* its last deferral's code, -1 */
	int prov, dom, reason;         /* its rows (reason: of the last deferral) */
	long long when;                /* its last deferral's time */
	int in_table;                  /* 0: a ghost's fields, on the stack */
	size_t klen;
	char key[];                    /* host NUL queue id NUL recipient */
};

/* A recipient evicted from the open table (counted as still deferred),
 * kept without its key: by 64-bit hashes of the key and of host NUL queue
 * id, so that its later end takes the count back and counts once. As many
 * as the table holds (at least MIN_GHOSTS: a ghost is small); the oldest
 * goes first, and counts as deferred for good. */
struct ghost {
	uint64_t key, qkey;
	unsigned deferrals;
	int code, prov, dom, reason;
	long long when;
	uint32_t next, qnext; /* 1 + index in the chains of key, qkey; 0 ends */
	int live;
};

struct point {
	int series;
	long long slot;
	struct cat_scan_counts c;
};

struct reason_info {
	const char *title;
	enum cat_group group;
	enum cat_type type;
};

struct cat_scan {
	struct catalog *cat;
	const struct cat_analyzer *a;
	struct cat_scan_opts o;
	struct cat_arena *arena;  /* names, keys, texts: as long as the scan */
	struct cat_arena *rarena; /* the report's: reset by each report */
	struct rlim lims[MAX_RLIM + CAT_SCAN_RATE_COUNT];
	size_t n_lims;
	struct strmap prov_names;   /* provider id -> index in prov_titles */
	const char **prov_titles;
	struct strmap reason_names; /* reason id -> index in reasons */
	struct reason_info *reasons;
	size_t n_reason_info;
	struct row total;
	struct rows provs, doms, rsns, refs;
	struct code *codes;
	size_t n_codes, codes_cap;
	struct strmap code_keys;
	unsigned long long codes_dropped;
	struct open **buckets, **qbuckets; /* by key; by host and queue id */
	size_t n_buckets;
	size_t n_open;
	struct open *oldest, *newest;
	struct ghost *ghosts;     /* a ring of max_open, made at the first eviction */
	size_t n_ghosts;           /* held */
	size_t ghost_at, ghost_used; /* the ring: its oldest slot, its slots used
				      (a ghost taken leaves its slot empty) */
	uint32_t *gbuckets, *gqbuckets; /* 1 + index; 2 x max_open rounded up */
	size_t n_gbuckets;
	unsigned char *filter;   /* FILTER_BITS bits, set by the keys' hashes */
	size_t filter_stale;     /* keys removed since it was last made */
	struct point *points;
	size_t n_points, points_cap;
	long long *point_slots; /* hash of (series, slot) -> 1 + index */
	size_t point_hcap;
	long slot_len;          /* seconds per stored slot */
	int n_series;
	long long first, last;
	int log_outcomes;       /* a final event came from a log: rates have a basis */
	int year_shift;         /* years added to syslog stamps (a new year) */
	int last_month;         /* of the last syslog stamp, 0 */
	/* the last syslog stamp read, to its minute ("Dec  5 10:55"), and its
	 * time at second 0: a log has many lines a minute */
	char tc_key[12];
	unsigned char lower[256]; /* tolower() of each byte, in the locale of
				     cat_scan_new(): a recipient is folded
				     for every line */
	int lower_ascii;          /* lower[] folds A-Z and keeps the rest of
				     ASCII: eight bytes are folded at once */
	int tc_ok, tc_month, tc_shift;
	long long tc_base;
	/* recipient domains of delivered lines: their provider and rows, by
	 * the domain (direct-mapped; the analyzer's answer never changes) */
	struct dcache {
		char dom[DCACHE_DOM];
		size_t len;  /* 0: empty */
		uint32_t hash; /* dom_hash() of dom: its slot */
		const char *prov;
		int prov_row, dom_row;
		int dom_over; /* the domain table was full: the row of the others */
	} *dcache;
	struct cat_scan_stats stats;
	/* whom a queue id is for, from lines of no delivery that say it
	 * (qmail's "starting delivery N: msg M to remote a@b"): a
	 * direct-mapped cache of "host NUL id" -> recipient, so bounded */
	struct name_slot {
		char *key, *rcpt;
		size_t klen;
	} *names;
	/* the event handed back */
	char *ev_buf;
	size_t ev_cap;
	/* the recipient a queue's final line (no recipient of its own) ended,
	 * when it ended exactly one: handed back in the event */
	char *q_rcpt;
	size_t q_cap;
	/* the report */
	struct cat_scan_report rep;
	struct cat_scan_row *prov_rows; /* rep.providers, to fill in its series */
	int have_rep;
};

/* ------------------------------------------------------------ the catalog */

static enum cat_status
read_catalog(struct cat_scan *s, struct cat_error *err)
{
	static const char sql_lim[] =
		"SELECT key, rate, pct, per, reason FROM entry WHERE kind = ?1 AND rate IS NOT NULL"
		" AND pct IS NOT NULL ORDER BY key";
	static const char sql_names[] = "SELECT code, title, rgroup, rtype FROM entry WHERE kind = ?1";
	sqlite3 *db = db_get(s->cat);
	sqlite3_stmt *st = NULL;
	enum cat_status rc = CAT_OK;
	size_t cap;
	int k;

	if (sqlite3_prepare_v2(db, sql_lim, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_int(st, 1, CAT_KIND_THRESHOLD) != SQLITE_OK)
		goto sql;
	while ((k = sqlite3_step(st)) == SQLITE_ROW) {
		struct rlim *l;
		int r = cat_scan_rate_of_name((const char *)sqlite3_column_text(st, 1));
		const char *reason = (const char *)sqlite3_column_text(st, 4);
		size_t with_reason = 0, i;

		for (i = 0; i < s->n_lims; i++)
			with_reason += s->lims[i].reason != NULL;
		if (r < 0 || (reason && with_reason == MAX_RLIM) ||
		    s->n_lims == sizeof(s->lims) / sizeof(s->lims[0]))
			continue;
		l = &s->lims[s->n_lims];
		l->key = arena_strdup(s->arena, (const char *)sqlite3_column_text(st, 0));
		l->rate = (enum cat_scan_rate_kind)r;
		l->pct = sqlite3_column_double(st, 2);
		l->per_provider = sqlite3_column_text(st, 3) &&
				  strcmp((const char *)sqlite3_column_text(st, 3), "provider") == 0;
		l->reason = reason ? arena_strdup(s->arena, reason) : NULL;
		if (!l->key || (reason && !l->reason))
			goto oom;
		/* without a reason, one threshold per rate: the first */
		for (i = 0; !l->reason && i < s->n_lims; i++)
			if (!s->lims[i].reason && s->lims[i].rate == l->rate &&
			    s->lims[i].per_provider == l->per_provider)
				break;
		if (l->reason || i == s->n_lims)
			s->n_lims++;
	}
	if (k != SQLITE_DONE)
		goto sql;
	sqlite3_finalize(st);
	st = NULL;

	/* providers: id -> name; reasons: id -> title, group */
	if (sqlite3_prepare_v2(db, sql_names, -1, &st, NULL) != SQLITE_OK)
		goto sql;
	for (k = 0; k < 2; k++) {
		int kind = k == 0 ? CAT_KIND_PROVIDER : CAT_KIND_REASON, r;
		size_t n = 0;

		if (sqlite3_reset(st) != SQLITE_OK || sqlite3_bind_int(st, 1, kind) != SQLITE_OK)
			goto sql;
		cap = 0;
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			const char *id = (const char *)sqlite3_column_text(st, 0);
			const char *title = (const char *)sqlite3_column_text(st, 1);
			const char *grp = (const char *)sqlite3_column_text(st, 2);
			struct strmap *m = k == 0 ? &s->prov_names : &s->reason_names;
			size_t slot;

			if (!id || strmap_find(m, id, strlen(id), &slot) >= 0)
				continue;
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 64;
				void *p = k == 0 ? realloc(s->prov_titles, nc * sizeof(*s->prov_titles))
						 : realloc(s->reasons, nc * sizeof(*s->reasons));

				if (!p)
					goto oom;
				if (k == 0)
					s->prov_titles = p;
				else
					s->reasons = p;
				cap = nc;
			}
			if (!strmap_put(m, s->arena, id, strlen(id), (int)n))
				goto oom;
			title = title ? arena_strdup(s->arena, title) : NULL;
			if (k == 0) {
				s->prov_titles[n] = title;
			} else {
				s->reasons[n].title = title;
				s->reasons[n].group = cat_group_of_name(grp);
				s->reasons[n].type =
					cat_type_of_name((const char *)sqlite3_column_text(st, 3));
				s->n_reason_info = n + 1;
			}
			n++;
		}
		if (r != SQLITE_DONE)
			goto sql;
	}
	goto out;
sql:
	rc = cat_fail(err, CAT_ESQL, "the scan's catalog query: %s", sqlite3_errmsg(db));
	goto out;
oom:
	rc = cat_fail(err, CAT_ENOMEM, "out of memory");
out:
	sqlite3_finalize(st);
	return rc;
}

static const char *
prov_title(const struct cat_scan *s, const char *id)
{
	size_t slot;
	int i = id ? strmap_find(&s->prov_names, id, strlen(id), &slot) : -1;

	return i >= 0 ? s->prov_titles[i] : NULL;
}

static const struct reason_info *
reason_info(const struct cat_scan *s, const char *id)
{
	size_t slot;
	int i = id ? strmap_find(&s->reason_names, id, strlen(id), &slot) : -1;

	return i >= 0 ? &s->reasons[i] : NULL;
}

const char *
cat_analyzer_domain_provider(const struct cat_analyzer *a, const char *domain)
{
	char dom[256];
	size_t n, i;
	const char *p;

	if (!a || !domain)
		return NULL;
	n = strlen(domain);
	if (n == 0 || n >= sizeof(dom))
		return NULL;
	for (i = 0; i < n; i++)
		dom[i] = (char)tolower((unsigned char)domain[i]);
	dom[n] = '\0';
	/* the domain, then each parent that still has a dot (mx.example.com,
	 * example.com; never com) */
	for (p = dom; p; ) {
		int prov = rules_domain_provider(a, p, strlen(p));

		if (prov >= 0)
			return a->provs[prov].id;
		p = strchr(p, '.');
		if (p && !strchr(p + 1, '.'))
			break;
		if (p)
			p++;
	}
	return NULL;
}

/* ------------------------------------------------------------ life */

enum cat_status
cat_scan_new(struct catalog *cat, const struct cat_analyzer *a, const struct cat_scan_opts *opts,
	     struct cat_scan **out, struct cat_error *err)
{
	struct cat_scan *s;
	enum cat_status rc;
	int k;

	if (!cat || !a || !out)
		return cat_fail(err, CAT_EUSAGE, "cat_scan_new: bad arguments");
	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	s->cat = cat;
	s->a = a;
	if (opts)
		s->o = *opts;
	if (!s->o.max_open)
		s->o.max_open = DEF_MAX_OPEN;
	if (!s->o.top)
		s->o.top = DEF_TOP;
	if (s->o.bucket < 0)
		s->o.bucket = 0;
	s->slot_len = s->o.bucket && s->o.bucket < HOUR ? s->o.bucket : HOUR;
	s->lower_ascii = 1;
	for (k = 0; k < 256; k++) {
		s->lower[k] = (unsigned char)tolower(k);
		if (k < 128 && s->lower[k] != (k >= 'A' && k <= 'Z' ? k + 32 : k))
			s->lower_ascii = 0;
	}
	s->provs.none = s->doms.none = s->rsns.none = s->refs.none = -1;
	s->total.series = s->n_series++;
	s->arena = arena_new();
	s->rarena = arena_new();
	s->n_buckets = 1024;
	s->buckets = calloc(s->n_buckets, sizeof(*s->buckets));
	s->qbuckets = calloc(s->n_buckets, sizeof(*s->qbuckets));
	s->filter = calloc(FILTER_BITS / 8, 1);
	if (!s->arena || !s->rarena || !s->buckets || !s->qbuckets || !s->filter) {
		cat_scan_free(s);
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	}
	if ((rc = read_catalog(s, err)) != CAT_OK) {
		cat_scan_free(s);
		return rc;
	}
	*out = s;
	return CAT_OK;
}

void
cat_scan_free(struct cat_scan *s)
{
	struct open *o, *n;

	if (!s)
		return;
	for (o = s->oldest; o; o = n) {
		n = o->newer;
		free(o);
	}
	free(s->buckets);
	free(s->qbuckets);
	free(s->filter);
	free(s->ghosts);
	free(s->gbuckets);
	free(s->gqbuckets);
	free(s->points);
	free(s->point_slots);
	free(s->codes);
	strmap_free(&s->code_keys);
	strmap_free(&s->prov_names);
	strmap_free(&s->reason_names);
	free(s->prov_titles);
	free(s->reasons);
	free(s->provs.v);
	strmap_free(&s->provs.by_name);
	free(s->doms.v);
	strmap_free(&s->doms.by_name);
	free(s->rsns.v);
	strmap_free(&s->rsns.by_name);
	free(s->refs.v);
	strmap_free(&s->refs.by_name);
	free(s->ev_buf);
	free(s->q_rcpt);
	free(s->dcache);
	if (s->names) {
		size_t i;

		for (i = 0; i < NAME_SLOTS; i++) {
			free(s->names[i].key);
			free(s->names[i].rcpt);
		}
		free(s->names);
	}
	arena_free(s->arena);
	arena_free(s->rarena);
	free(s);
}

/* ------------------------------------------------------------ rows */

/* The row named name[0..n) (NULL: the row without a name), made when
 * new; with `cap` rows and more, the row without a name. -1 when out of
 * memory. */
static int
row_of(struct cat_scan *s, struct rows *r, const char *name, size_t n, size_t cap, int series)
{
	size_t slot;
	int i;

	if (name && (i = strmap_find(&r->by_name, name, n, &slot)) >= 0)
		return i;
	if (!name || r->n >= cap) {
		if (name)
			s->stats.other_domains++;
		if (r->none >= 0)
			return r->none;
	}
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 32;
		struct row *v = realloc(r->v, nc * sizeof(*v));

		if (!v)
			return -1;
		r->v = v;
		r->cap = nc;
	}
	i = (int)r->n;
	memset(&r->v[i], 0, sizeof(r->v[i]));
	r->v[i].series = series ? s->n_series++ : -1;
	if (name && r->n < cap) {
		r->v[i].name = strmap_put(&r->by_name, s->arena, name, n, i);
		if (!r->v[i].name)
			return -1;
	} else {
		r->none = i;
	}
	r->n++;
	return i;
}

/* ------------------------------------------------------------ times */

/* The time of a stamp as a log writes it, in seconds since 1970 as
 * written (an offset is not applied: the report speaks the log's clock);
 * 0 when it cannot be read. */
static long long
parse_time(struct cat_scan *s, const char *t)
{
	struct stamp st;

	switch (stamp_read(t, &st)) {
	case STAMP_SYSLOG:
		/* no year: a stamp months before the last one means the log
		 * went on into the next year */
		if (s->last_month && st.month + 6 < s->last_month)
			s->year_shift++;
		s->last_month = st.month;
		return stamp_days((s->o.year ? s->o.year : 1970) + s->year_shift, st.month, st.day) *
			       DAY +
		       st.secs;
	case STAMP_CIVIL:
		return stamp_days(st.year, st.month, st.day) * DAY + st.secs;
	case STAMP_TAI64N:
		/* TAI, ten seconds ahead of UTC in 1972 */
		return st.tai > 10 ? st.tai - 10 : 0;
	default:
		return 0;
	}
}

/* Whether the 12 bytes at a and b are the same: two loads each, where
 * memcmp() is a call (once a delivered line). */
static inline int
same12(const char *a, const char *b)
{
	uint64_t a8, b8;
	uint32_t a4, b4;

	memcpy(&a8, a, 8);
	memcpy(&b8, b, 8);
	memcpy(&a4, a + 8, 4);
	memcpy(&b4, b + 8, 4);
	return a8 == b8 && a4 == b4;
}

/* parse_time() of t[0..n) through a copy, the syslog stamp's minute kept
 * (sec its seconds, -1: not one) for parse_time_n(). */
static long long
parse_time_copy(struct cat_scan *s, const char *t, size_t n, int sec)
{
	char buf[1024];
	long long v;

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, t, n);
	buf[n] = '\0';
	v = parse_time(s, buf);
	if (sec >= 0 && v) {
		memcpy(s->tc_key, t, sizeof(s->tc_key));
		s->tc_month = s->last_month;
		s->tc_shift = s->year_shift;
		s->tc_base = v - sec;
		s->tc_ok = 1;
	}
	return v;
}

/* parse_time() of t[0..n) (not NUL-terminated; cat_scan_sent_read() keeps
 * it under 1024 bytes). A delivered line's syslog stamp in the minute of
 * the one before, in the same month and year, is that one's time plus its
 * seconds: a log has many lines a minute. Inlined in the two callers that
 * take a line's stamp (the test of the minute is most of the calls). */
SCAN_INLINE long long
parse_time_n(struct cat_scan *s, const char *t, size_t n)
{
	int sec = -1, syslog = n == 15 && t[3] == ' ' && t[9] == ':' && t[12] == ':';

	if (syslog && t[13] >= '0' && t[13] <= '5' && t[14] >= '0' && t[14] <= '9')
		sec = (t[13] - '0') * 10 + (t[14] - '0');
	if (sec >= 0 && s->tc_ok && same12(t, s->tc_key) &&
	    s->last_month == s->tc_month && s->year_shift == s->tc_shift)
		return s->tc_base + sec;
	return parse_time_copy(s, t, n, sec);
}

/* ------------------------------------------------------------ points */

static struct cat_scan_counts *
point_of(struct cat_scan *s, int series, long long when)
{
	long long slot;
	size_t i;
	uint32_t h;

	if (series < 0 || !when)
		return NULL;
	slot = when / s->slot_len - (when < 0 && when % s->slot_len);
	if ((s->n_points + 1) * 2 > s->point_hcap) {
		size_t cap = s->point_hcap ? s->point_hcap * 2 : 1024, k;
		long long *v;

		if (s->n_points >= MAX_POINTS)
			return NULL;
		v = calloc(cap, sizeof(*v));
		if (!v)
			return NULL;
		for (k = 0; k < s->n_points; k++) {
			struct point *p = &s->points[k];

			h = fnv1a32((const char *)&p->slot, sizeof(p->slot)) ^ (uint32_t)p->series;
			for (i = h & (cap - 1); v[i]; i = (i + 1) & (cap - 1))
				;
			v[i] = (long long)k + 1;
		}
		free(s->point_slots);
		s->point_slots = v;
		s->point_hcap = cap;
	}
	h = fnv1a32((const char *)&slot, sizeof(slot)) ^ (uint32_t)series;
	for (i = h & (s->point_hcap - 1); s->point_slots[i]; i = (i + 1) & (s->point_hcap - 1)) {
		struct point *p = &s->points[s->point_slots[i] - 1];

		if (p->slot == slot && p->series == series)
			return &p->c;
	}
	if (s->n_points == s->points_cap) {
		size_t cap = s->points_cap ? s->points_cap * 2 : 256;
		struct point *v = realloc(s->points, cap * sizeof(*v));

		if (!v)
			return NULL;
		s->points = v;
		s->points_cap = cap;
	}
	s->point_slots[i] = (long long)s->n_points + 1;
	memset(&s->points[s->n_points], 0, sizeof(s->points[0]));
	s->points[s->n_points].series = series;
	s->points[s->n_points].slot = slot;
	return &s->points[s->n_points++].c;
}

/* row_point() past the row's last point: the point found and kept. */
static struct cat_scan_counts *
row_point_find(struct cat_scan *s, struct row *r, long long when)
{
	long long slot;
	struct cat_scan_counts *c = point_of(s, r->series, when);

	if (c) {
		const struct point *p = (const struct point *)(const void *)((const char *)c -
									     offsetof(struct point, c));

		slot = when / s->slot_len - (when < 0 && when % s->slot_len);
		r->pt_at = (size_t)(p - s->points) + 1;
		r->pt_lo = slot * s->slot_len;
		r->pt_hi = r->pt_lo + s->slot_len;
	}
	return c;
}

/* point_of() for a row's series, through the row's last point (most
 * events land there: inlined). */
SCAN_INLINE struct cat_scan_counts *
row_point(struct cat_scan *s, struct row *r, long long when)
{
	if (r->series < 0 || !when)
		return NULL;
	if (r->pt_at && when >= r->pt_lo && when < r->pt_hi)
		return &s->points[r->pt_at - 1].c;
	return row_point_find(s, r, when);
}

/* ------------------------------------------------------------ the open table */

/* The filter's bit of a key's hash: a second mix of it, so that it is
 * not the bucket index. */
static size_t
filter_bit(uint32_t h)
{
	h ^= h >> 15;
	h *= 0x2c1b3c6dU;
	h ^= h >> 12;
	return h & (FILTER_BITS - 1);
}

static void
filter_add(struct cat_scan *s, uint32_t h)
{
	size_t b = filter_bit(h);

	s->filter[b / 8] |= (unsigned char)(1U << (b % 8));
}

/* The filter made again from the keys in the table: removed keys leave
 * their bits, which only cost a look in the table. */
static void
filter_remake(struct cat_scan *s)
{
	struct open *o;

	memset(s->filter, 0, FILTER_BITS / 8);
	for (o = s->oldest; o; o = o->newer)
		filter_add(s, o->hash);
	s->filter_stale = 0;
}

static void
open_unlink(struct cat_scan *s, struct open *o)
{
	struct open **pp = &s->buckets[o->hash & (s->n_buckets - 1)];

	while (*pp != o)
		pp = &(*pp)->next;
	*pp = o->next;
	pp = &s->qbuckets[o->qhash & (s->n_buckets - 1)];
	while (*pp != o)
		pp = &(*pp)->qnext;
	*pp = o->qnext;
	if (o->older)
		o->older->newer = o->newer;
	else
		s->oldest = o->newer;
	if (o->newer)
		o->newer->older = o->older;
	else
		s->newest = o->older;
	s->n_open--;
	if (++s->filter_stale > FILTER_BITS / 16 && s->filter_stale > s->n_open)
		filter_remake(s);
}

/* open_find() past the filter: the key's bucket. */
static struct open *
open_chain(struct cat_scan *s, const char *key, size_t klen, uint32_t h)
{
	struct open *o;

	for (o = s->buckets[h & (s->n_buckets - 1)]; o; o = o->next)
		if (o->hash == h && o->klen == klen && memcmp(o->key, key, klen) == 0)
			return o;
	return NULL;
}

/* The entry of key[0..klen) (hash h), NULL when none: the filter says so
 * for nearly every delivered line (inlined). */
SCAN_INLINE struct open *
open_find(struct cat_scan *s, const char *key, size_t klen, uint32_t h)
{
	size_t b = filter_bit(h);

	if (!(s->filter[b / 8] & (1U << (b % 8))))
		return NULL;
	return open_chain(s, key, klen, h);
}

static int
open_grow(struct cat_scan *s)
{
	size_t cap = s->n_buckets * 2;
	struct open **b = calloc(cap, sizeof(*b)), **q = calloc(cap, sizeof(*q)), *o;

	if (!b || !q) {
		free(b);
		free(q);
		return -1;
	}
	for (o = s->oldest; o; o = o->newer) {
		o->next = b[o->hash & (cap - 1)];
		b[o->hash & (cap - 1)] = o;
		o->qnext = q[o->qhash & (cap - 1)];
		q[o->qhash & (cap - 1)] = o;
	}
	free(s->buckets);
	free(s->qbuckets);
	s->buckets = b;
	s->qbuckets = q;
	s->n_buckets = cap;
	return 0;
}

/* ------------------------------------------------------------ counting */

/* Adds one recipient's end to counts: its kind (sent, bounced, expired,
 * or deferred: still open), the type of its failure. */
static void
count_final(struct cat_scan_counts *c, enum cat_scan_kind k, enum cat_type t, unsigned deferrals)
{
	if (!c)
		return;
	c->attempted++;
	switch (k) {
	case CAT_SCAN_SENT:
		c->sent++;
		c->delayed += deferrals > 0;
		return;
	case CAT_SCAN_BOUNCED:
		c->bounced++;
		break;
	case CAT_SCAN_EXPIRED:
		c->expired++;
		break;
	default:
		c->deferred++;
		break;
	}
	/* a failure whose type is not hard or block (soft, unknown) is soft:
	 * the bounce rate counts every failure either way */
	if (t == CAT_TYPE_HARD)
		c->hard++;
	else if (t == CAT_TYPE_BLOCK)
		c->block++;
	else
		c->soft++;
}

/* The reason thresholds a failure of this reason and type counts for, as
 * bits in the order of rhits[] (found once for the rows of a failure). */
static unsigned
rhits_mask(const struct cat_scan *s, const char *reason, enum cat_type t)
{
	size_t i, k = 0;
	unsigned m = 0;

	if (!reason)
		return 0;
	for (i = 0; i < s->n_lims; i++) {
		const struct rlim *l = &s->lims[i];

		if (!l->reason)
			continue;
		if (strcmp(l->reason, reason) == 0 &&
		    (l->rate == CAT_SCAN_RATE_BOUNCE ||
		     (l->rate == CAT_SCAN_RATE_HARD && t == CAT_TYPE_HARD) ||
		     (l->rate == CAT_SCAN_RATE_BLOCK && t == CAT_TYPE_BLOCK) ||
		     (l->rate == CAT_SCAN_RATE_SOFT && t != CAT_TYPE_HARD && t != CAT_TYPE_BLOCK)))
			m |= 1U << k;
		k++;
	}
	return m;
}

/* Counts a failure in a row's reason thresholds (mask: rhits_mask()). */
static void
count_rhits(struct row *r, unsigned mask)
{
	size_t k;

	for (k = 0; r && mask; k++, mask >>= 1)
		if (mask & 1)
			r->rhits[k]++;
}

static struct row *
row_at(struct rows *r, int i)
{
	return i >= 0 ? &r->v[i] : NULL;
}

/* count_final() of a delivery (most events are), in one count. */
static void
count_delivery(struct cat_scan_counts *c, unsigned deferrals)
{
	if (!c)
		return;
	c->attempted++;
	c->sent++;
	c->delayed += deferrals > 0;
}

/* A delivery in its rows: the total, provider and domain rows, then the
 * points of the first two (each point found after the one before: finding
 * one may move the others). */
SCAN_INLINE void
count_sent(struct cat_scan *s, int prov, int dom, unsigned deferrals, long long when)
{
	struct row *pr = row_at(&s->provs, prov), *dr = row_at(&s->doms, dom);

	count_delivery(&s->total.c, deferrals);
	if (pr)
		count_delivery(&pr->c, deferrals);
	if (dr)
		count_delivery(&dr->c, deferrals);
	count_delivery(row_point(s, &s->total, when), deferrals);
	if (pr)
		count_delivery(row_point(s, pr, when), deferrals);
}

/* One recipient's end in every row it belongs to, at time `when`. */
static void
end_recipient(struct cat_scan *s, enum cat_scan_kind k, enum cat_type t, const char *reason,
	      int prov, int dom, int rsn, unsigned deferrals, long long when)
{
	struct row *rows[4] = { &s->total, row_at(&s->provs, prov), row_at(&s->doms, dom),
				k == CAT_SCAN_SENT ? NULL : row_at(&s->rsns, rsn) };
	size_t i;
	unsigned mask;

	if (k == CAT_SCAN_SENT) {
		count_sent(s, prov, dom, deferrals, when);
		return;
	}

	mask = rhits_mask(s, reason, t);
	for (i = 0; i < 4; i++) {
		if (!rows[i])
			continue;
		count_final(&rows[i]->c, k, t, deferrals);
		count_rhits(rows[i], mask);
		if (i < 2)
			count_final(row_point(s, rows[i], when), k, t, deferrals);
	}
}

/* Takes back what end_recipient() counted of a recipient still deferred
 * (an evicted one that turned up again). */
static void
unend_deferred(struct cat_scan *s, const struct ghost *g)
{
	struct row *rows[4] = { &s->total, row_at(&s->provs, g->prov), row_at(&s->doms, g->dom),
				row_at(&s->rsns, g->reason) };
	const char *reason = g->reason >= 0 ? s->rsns.v[g->reason].name : NULL;
	size_t i, j, k;

	for (i = 0; i < 4; i++) {
		struct cat_scan_counts *c[2] = { rows[i] ? &rows[i]->c : NULL,
						 i < 2 && rows[i] ? row_point(s, rows[i], g->when) : NULL };

		if (!rows[i])
			continue;
		for (j = 0; j < 2; j++) {
			if (!c[j])
				continue;
			c[j]->attempted--;
			c[j]->deferred--;
			c[j]->soft--;
		}
		/* count_rhits() of a soft failure */
		for (j = k = 0; j < s->n_lims; j++) {
			const struct rlim *l = &s->lims[j];

			if (!l->reason)
				continue;
			if (reason && strcmp(l->reason, reason) == 0 &&
			    (l->rate == CAT_SCAN_RATE_BOUNCE || l->rate == CAT_SCAN_RATE_SOFT))
				rows[i]->rhits[k]--;
			k++;
		}
	}
	s->stats.evicted--;
}

static void
ghost_unlink(struct cat_scan *s, size_t i)
{
	struct ghost *g = &s->ghosts[i];
	uint32_t *pp = &s->gbuckets[g->key & (s->n_gbuckets - 1)];

	while (*pp != i + 1)
		pp = &s->ghosts[*pp - 1].next;
	*pp = g->next;
	pp = &s->gqbuckets[g->qkey & (s->n_gbuckets - 1)];
	while (*pp != i + 1)
		pp = &s->ghosts[*pp - 1].qnext;
	*pp = g->qnext;
	g->live = 0;
	s->n_ghosts--;
}

/* Keeps an evicted recipient as a ghost; without memory for them, it is
 * only counted (as before ghosts). */
static void
ghost_add(struct cat_scan *s, const struct open *o)
{
	size_t cap = s->o.max_open > MIN_GHOSTS ? s->o.max_open : MIN_GHOSTS, i;
	struct ghost *g;

	if (!s->ghosts) {
		for (s->n_gbuckets = 1024; s->n_gbuckets < 2 * cap; s->n_gbuckets *= 2)
			;
		s->ghosts = calloc(cap, sizeof(*s->ghosts));
		s->gbuckets = calloc(s->n_gbuckets, sizeof(*s->gbuckets));
		s->gqbuckets = calloc(s->n_gbuckets, sizeof(*s->gqbuckets));
		if (!s->ghosts || !s->gbuckets || !s->gqbuckets) {
			free(s->ghosts);
			free(s->gbuckets);
			free(s->gqbuckets);
			s->ghosts = NULL;
			s->gbuckets = s->gqbuckets = NULL;
			return;
		}
	}
	/* the ring: when full, the oldest slot is taken (its ghost, if it is
	 * still there, is forgotten) */
	if (s->ghost_used == cap) {
		i = s->ghost_at;
		if (s->ghosts[i].live)
			ghost_unlink(s, i);
		s->ghost_at = (s->ghost_at + 1) % cap;
	} else {
		i = (s->ghost_at + s->ghost_used++) % cap;
	}
	g = &s->ghosts[i];
	/* 64 bits: two keys held at once share a hash in about 2^64 / 10^10
	 * cases */
	g->key = fnv1a64(o->key, o->klen);
	g->qkey = fnv1a64(o->key, o->qlen);
	g->deferrals = o->deferrals;
	g->code = o->code;
	g->prov = o->prov;
	g->dom = o->dom;
	g->reason = o->reason;
	g->when = o->when;
	g->live = 1;
	g->next = s->gbuckets[g->key & (s->n_gbuckets - 1)];
	s->gbuckets[g->key & (s->n_gbuckets - 1)] = (uint32_t)i + 1;
	g->qnext = s->gqbuckets[g->qkey & (s->n_gbuckets - 1)];
	s->gqbuckets[g->qkey & (s->n_gbuckets - 1)] = (uint32_t)i + 1;
	s->n_ghosts++;
}

/* Ghost i back as *o (not in the table): its deferred count taken back,
 * its slot freed. */
static void
ghost_revive(struct cat_scan *s, uint32_t i, struct open *o)
{
	const struct ghost *g = &s->ghosts[i];

	memset(o, 0, sizeof(*o));
	o->deferrals = g->deferrals;
	o->code = g->code;
	o->prov = g->prov;
	o->dom = g->dom;
	o->reason = g->reason;
	o->when = g->when;
	unend_deferred(s, g);
	ghost_unlink(s, i);
}

/* The ghost of key[0..klen), taken: its count taken back and its fields in
 * *o (not in the table). 0 when there is none. */
static int
ghost_take(struct cat_scan *s, const char *key, size_t klen, struct open *o)
{
	uint64_t h;
	uint32_t i;

	if (!s->n_ghosts)
		return 0;
	h = fnv1a64(key, klen);
	for (i = s->gbuckets[h & (s->n_gbuckets - 1)]; i; i = s->ghosts[i - 1].next)
		if (s->ghosts[i - 1].key == h)
			break;
	if (!i)
		return 0;
	ghost_revive(s, i - 1, o);
	return 1;
}

/* A recipient dropped from the open table, counted as still deferred. */
static void
evict(struct cat_scan *s)
{
	struct open *o = s->oldest;
	const char *reason = o->reason >= 0 ? s->rsns.v[o->reason].name : NULL;

	end_recipient(s, CAT_SCAN_DEFERRED, CAT_TYPE_SOFT, reason, o->prov, o->dom, o->reason,
		      o->deferrals, o->when);
	s->stats.evicted++;
	ghost_add(s, o);
	open_unlink(s, o);
	free(o);
}

/* The code of a diagnosis: its provider, codes and what it matched. -1
 * when the table of codes is full (the event still counts in the rows). */
static int
code_of(struct cat_scan *s, const struct cat_analysis *an, const struct cat_diagnosis *d,
	const char *prov)
{
	char key[512];
	const char *entry = d->n_entries ? d->entries[0] : NULL;
	const struct reason_info *ri;
	struct cat_scan_code *c;
	size_t slot, i;
	int n, k;

	/* "prov|reply|enhanced|entry|reason", cut as snprintf() would */
	{
		char num[16];
		const char *part[9] = { prov ? prov : "", "|", num, "|", d->enhanced, "|",
					entry ? entry : "", "|", d->reason ? d->reason : "" };
		size_t at = 0, j, l;
		int r = d->reply, neg = r < 0;
		unsigned u = neg ? 0U - (unsigned)r : (unsigned)r;
		char *q = num + sizeof(num);

		*--q = '\0';
		do
			*--q = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (neg)
			*--q = '-';
		part[2] = q;
		for (j = 0; j < 9 && at < sizeof(key) - 1; j++) {
			if (j & 1) {
				key[at++] = '|'; /* part[j], with room for it */
				continue;
			}
			l = strlen(part[j]);
			if (l > sizeof(key) - 1 - at)
				l = sizeof(key) - 1 - at;
			memcpy(key + at, part[j], l);
			at += l;
		}
		key[at] = '\0';
		n = (int)at;
	}
	if ((k = strmap_find(&s->code_keys, key, (size_t)n, &slot)) >= 0)
		return k;
	if (s->n_codes == MAX_CODES) {
		s->codes_dropped++;
		return -1;
	}
	if (s->n_codes == s->codes_cap) {
		size_t cap = s->codes_cap ? s->codes_cap * 2 : 64;
		struct code *v = realloc(s->codes, cap * sizeof(*v));

		if (!v)
			return -2;
		s->codes = v;
		s->codes_cap = cap;
	}
	ri = reason_info(s, d->reason);
	s->codes[s->n_codes].whole = n < (int)sizeof(key) - 1;
	s->codes[s->n_codes].ri = ri;
	s->codes[s->n_codes].rsn_row = -1;
	c = &s->codes[s->n_codes].pub;
	memset(c, 0, sizeof(*c));
#define KEEP(dst, src) \
	do { \
		if ((src) && !((dst) = arena_strdup(s->arena, (src)))) \
			return -2; \
	} while (0)
	KEEP(c->provider, prov);
	c->provider_name = prov_title(s, prov);
	c->reply = d->reply;
	memcpy(c->enhanced, d->enhanced, sizeof(c->enhanced));
	KEEP(c->reason, d->reason);
	c->reason_title = ri ? ri->title : NULL;
	c->type = d->type;
	c->group = ri ? ri->group : CAT_GROUP_UNSET;
	c->action = d->action;
	KEEP(c->entry, entry);
	KEEP(c->summary, d->summary);
	KEEP(c->fix, d->fix);
	c->sender_side = c->group == CAT_GROUP_SENDER || c->group == CAT_GROUP_MESSAGE;
	/* the server's words: from the first code read, to the end of its line */
	for (i = 0; i < d->n_evidence && an->text; i++) {
		const struct cat_span *e = &d->evidence[i];

		if ((strncmp(e->rule, "reply:", 6) == 0 || strncmp(e->rule, "enhanced:", 9) == 0) &&
		    e->start < an->text_len) {
			const char *p = an->text + e->start, *end = an->text + an->text_len;
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t len = (size_t)((nl ? nl : end) - p);

			if (len > SAMPLE_MAX)
				len = SAMPLE_MAX;
			while (len && (p[len - 1] == '\r' || p[len - 1] == ' '))
				len--;
			if (!(c->sample = arena_strndup(s->arena, p, len)))
				return -2;
			break;
		}
	}
#undef KEEP
	if (!strmap_put(&s->code_keys, s->arena, key, (size_t)n, (int)s->n_codes))
		return -2;
	return (int)s->n_codes++;
}

static void
code_seen(struct cat_scan *s, int k, long long when)
{
	struct cat_scan_code *c = &s->codes[k].pub;

	c->events++;
	if (when && (!c->first || when < c->first))
		c->first = when;
	if (when > c->last)
		c->last = when;
}

/* Ends one recipient with the final event e: counted in its rows (an
 * expiry under the reason and type of the last error before it), its code
 * charged, its entry in the open table (o, may be NULL) freed. */
static void
close_recipient(struct cat_scan *s, struct cat_scan_event *e, const struct cat_diagnosis *d,
		struct open *o, int code, int prov, int dom, int rsn)
{
	const char *reason = rsn >= 0 ? s->rsns.v[rsn].name : NULL;
	const struct reason_info *ri;
	enum cat_type type = e->type;
	unsigned deferrals = 0;

	if (o) {
		deferrals = o->deferrals;
		if (e->kind == CAT_SCAN_EXPIRED && o->reason >= 0 && d->reason &&
		    strcmp(d->reason, "expired") == 0) {
			rsn = o->reason;
			reason = s->rsns.v[rsn].name;
			if (o->code >= 0)
				code = o->code;
			/* the last error's own type: a transient block is a block */
			if ((ri = reason_info(s, reason)) != NULL && ri->type != CAT_TYPE_NONE)
				type = ri->type;
		}
	}
	if (code >= 0 && e->kind != CAT_SCAN_SENT) {
		struct cat_scan_code *c = &s->codes[code].pub;

		c->failed++;
		if (!o || o->code != code)
			c->messages++;
	}
	end_recipient(s, e->kind, type, reason, prov, dom, rsn, deferrals, e->when);
	e->deferrals = deferrals;
	e->type = type;
	e->reason = reason;
	if (o && o->in_table) {
		open_unlink(s, o);
		free(o);
	}
}

/* The name slot of "host NUL queue id" (k, n bytes). */
static struct name_slot *
name_slot(struct cat_scan *s, const char *k, size_t n)
{
	if (!s->names && !(s->names = calloc(NAME_SLOTS, sizeof(*s->names))))
		return NULL;
	return &s->names[fnv1a32(k, n) & (NAME_SLOTS - 1)];
}

static void
name_put(struct cat_scan *s, const char *k, size_t n, const char *rcpt)
{
	struct name_slot *x = name_slot(s, k, n);
	char *key, *r;

	if (!x || !(key = malloc(n)))
		return; /* a lost name costs a recipient's link, not the count */
	if (!(r = strdup(rcpt))) {
		free(key);
		return;
	}
	memcpy(key, k, n);
	free(x->key);
	free(x->rcpt);
	x->key = key;
	x->klen = n;
	x->rcpt = r;
}

static const char *
name_get(struct cat_scan *s, const char *k, size_t n)
{
	struct name_slot *x = s->names ? name_slot(s, k, n) : NULL;

	return x && x->key && x->klen == n && memcmp(x->key, k, n) == 0 ? x->rcpt : NULL;
}

/* What a diagnosis is to the scan. */
static enum cat_scan_kind
kind_of(const struct cat_diagnosis *d)
{
	const char *o = d->outcome;

	switch (d->event) {
	case CAT_EVENT_NOT_DELIVERY:
		return CAT_SCAN_IGNORED;
	case CAT_EVENT_REFUSAL:
		return CAT_SCAN_REFUSAL;
	case CAT_EVENT_COMPLAINT:
		return CAT_SCAN_COMPLAINT;
	case CAT_EVENT_DELAY:
		return CAT_SCAN_DEFERRED;
	case CAT_EVENT_SUCCESS:
		return CAT_SCAN_SENT;
	case CAT_EVENT_DELIVERY:
	case CAT_EVENT_BOUNCE:
		break;
	default:
		return CAT_SCAN_OTHER;
	}
	/* the words by their first letter first: a failure line's outcome
	 * is none of them */
	if (o && (o[0] == 'r' || o[0] == 'w' || o[0] == 'e' || o[0] == 'a')) {
		if (strcmp(o, "rejected") == 0 || strcmp(o, "warned") == 0)
			return CAT_SCAN_REFUSAL;
		if (strcmp(o, "expired") == 0)
			return CAT_SCAN_EXPIRED;
		/* a failed attempt on one server names no recipient: the
		 * recipients' own lines follow */
		if (strcmp(o, "attempt_failed") == 0 || strcmp(o, "expanded") == 0)
			return CAT_SCAN_OTHER;
	}
	switch (d->cls) {
	case CAT_CLASS_SUCCESS:
		return CAT_SCAN_SENT;
	case CAT_CLASS_TRANSIENT:
		return CAT_SCAN_DEFERRED;
	case CAT_CLASS_PERMANENT:
		return CAT_SCAN_BOUNCED;
	default:
		break;
	}
	if (o && (strcmp(o, "sent") == 0 || strcmp(o, "delivered") == 0 || strcmp(o, "relayed") == 0))
		return CAT_SCAN_SENT;
	if (o && (strcmp(o, "deferred") == 0 || strcmp(o, "delayed") == 0))
		return CAT_SCAN_DEFERRED;
	if (o && (strcmp(o, "bounced") == 0 || strcmp(o, "failed") == 0))
		return CAT_SCAN_BOUNCED;
	/* a bounce that says nothing of its class is still a bounce, when
	 * it names something: a code or a recipient (a line of noise that
	 * no reader knew is not one) */
	return d->event == CAT_EVENT_BOUNCE && (d->reply || d->enhanced[0] || d->recipient)
		       ? CAT_SCAN_BOUNCED
		       : CAT_SCAN_OTHER;
}

/* Makes room for the event's strings: host, queue id, recipient. */
static char *
ev_room(struct cat_scan *s, size_t need)
{
	if (need > s->ev_cap) {
		char *p = realloc(s->ev_buf, need);

		if (!p)
			return NULL;
		s->ev_buf = p;
		s->ev_cap = need;
	}
	return s->ev_buf;
}

/* The key of an event's recipient in the open table, in the event
 * buffer: host NUL queue id NUL recipient NUL, the recipient in lower
 * case. A line that says whom a queue id is for (qmail's "starting
 * delivery") is remembered; one with a queue id and no recipient takes
 * the one remembered, followed by its address alone. Sets e's host,
 * recipient and domain, and the lengths of host, queue id and recipient;
 * returns the key's length, or -1 when out of memory. */
SCAN_INLINE size_t
fold_rcpt(const struct cat_scan *s, unsigned char *to, const unsigned char *r, size_t rl);

static long
event_key(struct cat_scan *s, const struct cat_diagnosis *d, const struct cat_scan_from *from,
	  struct cat_scan_event *e, size_t *hlp, size_t *qlp, size_t *rlp)
{
	const char *hs = "", *he = hs, *qid, *rcpt;
	size_t hl, ql, rl, k, klen;
	char *buf;

	if (from && from->text && from->line)
		logline_host(from->text, from->text + from->len, &hs, &he);
	hl = (size_t)(he - hs);
	qid = d->queue_id ? d->queue_id : "";
	rcpt = d->recipient ? d->recipient : "";
	ql = strlen(qid);
	rl = strlen(rcpt);
	if (ql) {
		/* a line that says whom a queue id is for, or one that needs it */
		char hq[512];
		size_t n = hl + 1 + ql;

		if (n <= sizeof(hq)) {
			memcpy(hq, hs, hl);
			hq[hl] = '\0';
			memcpy(hq + hl + 1, qid, ql);
			if (e->kind == CAT_SCAN_IGNORED && rl) {
				name_put(s, hq, n, rcpt);
			} else if (!rl && e->kind != CAT_SCAN_IGNORED &&
				   (rcpt = name_get(s, hq, n)) != NULL) {
				/* that id names one attempt (qmail's delivery
				 * number): the recipient is followed by its
				 * address alone */
				rl = strlen(rcpt);
				ql = 0;
				qid = "";
			} else {
				rcpt = d->recipient ? d->recipient : "";
			}
		}
	}
	klen = hl + 1 + ql + 1 + rl;
	buf = ev_room(s, klen + 1);
	if (!buf)
		return -1;
	memcpy(buf, hs, hl);
	buf[hl] = '\0';
	memcpy(buf + hl + 1, qid, ql);
	buf[hl + 1 + ql] = '\0';
	/* folded as a delivered line's recipient is, its domain found in
	 * the same pass (where strrchr() finds the last '@') */
	k = fold_rcpt(s, (unsigned char *)buf + hl + 2 + ql, (const unsigned char *)rcpt, rl);
	buf[klen] = '\0';
	e->host = buf;
	e->recipient = rl ? buf + hl + 2 + ql : NULL;
	e->domain = k ? buf + hl + 2 + ql + k : NULL;
	*hlp = hl;
	*qlp = ql;
	*rlp = rl;
	return (long)klen;
}

/* The scan's span of time and the count of events without one. */
static void
note_time(struct cat_scan *s, const struct cat_scan_event *e)
{
	if (e->when) {
		if (!s->first || e->when < s->first)
			s->first = e->when;
		if (e->when > s->last)
			s->last = e->when;
	} else if (e->kind != CAT_SCAN_IGNORED && e->kind != CAT_SCAN_OTHER) {
		s->stats.no_time++;
	}
}

/* A refusal of a client by our server: counted by its reason alone. -1
 * when out of memory. */
static int
count_refusal(struct cat_scan *s, const struct cat_diagnosis *d, const struct reason_info *ri)
{
	const char *reason = d->reason ? d->reason : "unknown";
	int row = row_of(s, &s->refs, reason, strlen(reason), (size_t)-1, 0);

	if (row < 0)
		return -1;
	s->refs.v[row].c.attempted++;
	if (!s->refs.v[row].title && ri)
		s->refs.v[row].title = ri->title;
	return 0;
}

/* The slot of the domain cache for dom (n bytes, lower case; dh its
 * dom_hash()), with *hit when it holds that domain; NULL when the domain
 * is too long for it or out of memory. */
SCAN_INLINE struct dcache *
dom_slot(struct cat_scan *s, const char *dom, size_t n, uint32_t dh, int *hit)
{
	struct dcache *c;

	*hit = 0;
	if (n >= DCACHE_DOM || (!s->dcache && !(s->dcache = calloc(DCACHE_SLOTS, sizeof(*s->dcache)))))
		return NULL;
	c = &s->dcache[dh & (DCACHE_SLOTS - 1)];
	if (c->hash != dh || c->len != n) {
		*hit = 0;
	} else if (n >= 8 && n <= 16) {
		/* most domains: two loads each, overlapping, where memcmp()
		 * is a call */
		uint64_t a0, a1, b0, b1;

		memcpy(&a0, c->dom, 8);
		memcpy(&a1, c->dom + n - 8, 8);
		memcpy(&b0, dom, 8);
		memcpy(&b1, dom + n - 8, 8);
		*hit = a0 == b0 && a1 == b1;
	} else {
		*hit = memcmp(c->dom, dom, n) == 0;
	}
	return c;
}

/* Notes a domain's provider and rows in its cache slot c (may be NULL). */
static void
dom_note(struct cat_scan *s, struct dcache *c, const char *dom, size_t n, uint32_t dh,
	 const char *prov, int pr, int dr)
{
	if (!c)
		return;
	memcpy(c->dom, dom, n);
	c->len = n;
	c->hash = dh;
	c->prov = prov;
	c->prov_row = pr;
	c->dom_row = dr;
	c->dom_over = !s->doms.v[dr].name;
}

/* The rows of an event's recipient: its provider (by its domain, `prov`;
 * else the one the diagnosis names, e->provider) and its domain. -1 when
 * out of memory. */
static int
event_rows(struct cat_scan *s, const struct cat_scan_event *e, const char *prov,
	   const struct dcache *dc, int *prov_row, int *dom_row)
{
	if (dc) {
		/* the domain's rows known (dom_cached()): its provider's row
		 * when the domain has one, the domain's row as row_of() finds
		 * it, counted past a full table as row_of() counts it */
		if (prov) {
			*prov_row = dc->prov_row;
		} else {
			*prov_row = row_of(s, &s->provs, e->provider,
					   e->provider ? strlen(e->provider) : 0, (size_t)-1, 1);
			if (*prov_row < 0)
				return -1;
			if (!s->provs.v[*prov_row].title && e->provider)
				s->provs.v[*prov_row].title = prov_title(s, e->provider);
		}
		if (dc->dom_over)
			s->stats.other_domains++;
		*dom_row = dc->dom_row;
		return 0;
	}
	if (e->provider)
		*prov_row = row_of(s, &s->provs, e->provider, strlen(e->provider), (size_t)-1, 1);
	else
		*prov_row = row_of(s, &s->provs, NULL, 0, (size_t)-1, 1);
	if (*prov_row < 0)
		return -1;
	if (!s->provs.v[*prov_row].title && e->provider)
		s->provs.v[*prov_row].title = prov_title(s, e->provider);
	*dom_row = row_of(s, &s->doms, e->domain, e->domain ? strlen(e->domain) : 0, MAX_DOMAINS, 0);
	if (*dom_row < 0)
		return -1;
	/* a domain's "title" is the provider its <domain> names (the
	 * analyzer's string: it outlives the scan) */
	if (!s->doms.v[*dom_row].title && s->doms.v[*dom_row].name && prov)
		s->doms.v[*dom_row].title = prov;
	return 0;
}

/* A failure's reason row and code (the code names the provider that
 * refused: the diagnosis's, else the recipient's), its code charged with
 * the event. -1 when out of memory. */
static int
failure_rows(struct cat_scan *s, const struct cat_diagnosis *d, const struct reason_info *ri,
	     const struct cat_scan_event *e, int *rsn_row, int code)
{
	const char *reason = d->reason ? d->reason : "unknown";
	struct code *c = code >= 0 && s->codes[code].whole ? &s->codes[code] : NULL;

	if (c && c->rsn_row >= 0) {
		/* the row made and titled by the code's first failure */
		*rsn_row = c->rsn_row;
	} else {
		*rsn_row = row_of(s, &s->rsns, reason, strlen(reason), (size_t)-1, 0);
		if (*rsn_row < 0)
			return -1;
		if (!s->rsns.v[*rsn_row].title && ri)
			s->rsns.v[*rsn_row].title = ri->title;
		if (c)
			c->rsn_row = *rsn_row;
	}
	if (code >= 0)
		code_seen(s, code, e->when);
	return 0;
}

/* A new entry of the open table for key[0..klen) (hash h; its first qlen
 * bytes are host NUL queue id), the newest; the oldest is evicted when
 * the table is full. NULL when out of memory. */
static struct open *
open_add(struct cat_scan *s, const char *key, size_t klen, uint32_t h, size_t qlen)
{
	struct open *o;

	if (s->n_open >= s->o.max_open)
		evict(s);
	if (s->n_open * 2 >= s->n_buckets && open_grow(s) != 0)
		return NULL;
	o = malloc(sizeof(*o) + klen + 1);
	if (!o)
		return NULL;
	memset(o, 0, sizeof(*o));
	memcpy(o->key, key, klen + 1);
	o->klen = klen;
	o->hash = h;
	o->code = -1;
	o->in_table = 1;
	o->next = s->buckets[h & (s->n_buckets - 1)];
	s->buckets[h & (s->n_buckets - 1)] = o;
	o->qlen = qlen;
	o->qhash = hash_key(key, o->qlen);
	o->qnext = s->qbuckets[o->qhash & (s->n_buckets - 1)];
	s->qbuckets[o->qhash & (s->n_buckets - 1)] = o;
	filter_add(s, h);
	o->older = s->newest;
	if (s->newest)
		s->newest->newer = o;
	else
		s->oldest = o;
	s->newest = o;
	s->n_open++;
	return o;
}

/* A deferral: counted as a soft event in its rows, and its recipient
 * opened (or kept open) in the table when there is something to key it by
 * (a queue id or a recipient). -1 when out of memory. */
static int
count_deferral(struct cat_scan *s, const struct cat_scan_event *e, const char *key, size_t klen,
	       uint32_t h, size_t qlen, int keyed, struct open *o, int code, int prov_row,
	       int dom_row, int rsn_row)
{
	struct row *rows[3] = { &s->total, &s->provs.v[prov_row], &s->doms.v[dom_row] };
	size_t k;

	for (k = 0; k < 3; k++)
		rows[k]->c.deferrals++;
	s->rsns.v[rsn_row].c.deferrals++;
	for (k = 0; k < 2; k++) {
		struct cat_scan_counts *p = row_point(s, rows[k], e->when);

		if (p)
			p->deferrals++;
	}
	if (!keyed) {
		/* nothing to follow it by: one message delayed */
		if (code >= 0)
			s->codes[code].pub.messages++;
		return 0;
	}
	if (!o) {
		/* evicted before, deferred again: followed again, its count
		 * as deferred taken back */
		struct open g;
		int ghost = ghost_take(s, key, klen, &g);

		if (!(o = open_add(s, key, klen, h, qlen)))
			return -1;
		if (ghost) {
			o->deferrals = g.deferrals;
			o->code = g.code;
		}
	}
	o->deferrals++;
	if (code >= 0 && o->code != code)
		s->codes[code].pub.messages++;
	o->code = code;
	o->prov = prov_row;
	o->dom = dom_row;
	o->reason = rsn_row;
	if (e->when)
		o->when = e->when;
	return 0;
}

/* Copies the recipient of open entry o (its key: host NUL queue id NUL
 * recipient) for the event; 0 when it cannot. */
static int
q_note(struct cat_scan *s, const struct open *o)
{
	size_t n;

	if (o->klen <= o->qlen + 1)
		return 0;
	n = o->klen - o->qlen - 1;
	if (n + 1 > s->q_cap) {
		char *p = realloc(s->q_rcpt, n + 1);

		if (!p)
			return 0;
		s->q_rcpt = p;
		s->q_cap = n + 1;
	}
	memcpy(s->q_rcpt, o->key + o->qlen + 1, n);
	s->q_rcpt[n] = '\0';
	return s->q_rcpt[0] != '\0';
}

/* A final event of a line with a queue id and no recipient (Postfix's
 * qmgr "status=expired, returned to sender"): it ends every recipient of
 * the message still deferred, those in the table and those evicted.
 * Returns how many it ended. */
static unsigned
close_queue(struct cat_scan *s, struct cat_scan_event *e, const struct cat_diagnosis *d,
	    const char *key, size_t qlen, int code, int rsn_row)
{
	uint32_t qh = hash_key(key, qlen);
	struct open *o, *n;
	unsigned closed = 0;
	int one = 0, prov = -1;

	for (o = s->qbuckets[qh & (s->n_buckets - 1)]; o; o = n) {
		n = o->qnext;
		if (o->qhash != qh || o->qlen != qlen || memcmp(o->key, key, o->qlen) != 0)
			continue;
		/* the one recipient it ends is the event's (a drill-down lists
		 * it under its provider, with its address) */
		one = !closed && q_note(s, o);
		prov = o->prov;
		close_recipient(s, e, d, o, code, o->prov, o->dom, rsn_row);
		closed++;
	}
	if (s->n_ghosts) {
		/* and those of its recipients that were evicted */
		uint64_t q64 = fnv1a64(key, qlen);
		uint32_t i, next;
		struct open g;

		for (i = s->gqbuckets[q64 & (s->n_gbuckets - 1)]; i; i = next) {
			struct ghost *gh = &s->ghosts[i - 1];

			next = gh->qnext;
			if (gh->qkey != q64)
				continue;
			ghost_revive(s, i - 1, &g);
			close_recipient(s, e, d, &g, code, g.prov, g.dom, rsn_row);
			closed++;
		}
	}
	/* exactly one ended, and it from the table (a ghost keeps no name):
	 * the event is its */
	if (closed == 1 && one) {
		const char *at = strrchr(s->q_rcpt, '@');

		e->recipient = s->q_rcpt;
		e->domain = at && at[1] ? at + 1 : NULL;
		if (prov >= 0 && s->provs.v[prov].name)
			e->provider = s->provs.v[prov].name;
	}
	return closed;
}

/* Counts diagnosis d (of an, which may be NULL for a diagnosis made from
 * a line's fields: it quotes no sample): its event, its rows, and its
 * recipient's entry in the open table (a deferral opens it, a final event
 * closes it). */
static enum cat_status
add_diagnosis(struct cat_scan *s, const struct cat_analysis *an, const struct cat_diagnosis *d,
	      const struct cat_scan_from *from, struct cat_scan_event *ev, struct cat_error *err)
{
	struct cat_scan_event e;
	const char *prov;
	size_t hl, ql, rl, klen, tl, dl = 0;
	long kl;
	int prov_row = -1, dom_row = -1, rsn_row = -1, code = -1, hit = 0;
	uint32_t h, dh = 0;
	struct dcache *dc = NULL;
	struct open *o = NULL, g;
	const struct reason_info *ri;

	memset(&e, 0, sizeof(e));
	e.d = d;
	e.kind = kind_of(d);
	e.type = d->type;
	e.action = d->action;
	e.reason = d->reason;
	e.entry = d->n_entries ? d->entries[0] : NULL;
	e.queue_id = d->queue_id;
	/* a log's stamps through the cache of their minute, as a delivered
	 * line's */
	tl = d->time ? strlen(d->time) : 0;
	e.when = tl && tl < 1024 ? parse_time_n(s, d->time, tl) : parse_time(s, d->time);
	s->stats.items++;
	if ((kl = event_key(s, d, from, &e, &hl, &ql, &rl)) < 0)
		goto oom;
	klen = (size_t)kl;
	/* the domain's provider and rows as a delivered line's are found:
	 * through the cache of domains (the same answers) */
	if (e.domain) {
		dl = strlen(e.domain);
		dh = dom_hash(e.domain, dl);
		dc = dom_slot(s, e.domain, dl, dh, &hit);
	}
	if (hit) {
		prov = dc->prov;
	} else {
		prov = cat_analyzer_domain_provider(s->a, e.domain);
	}
	e.provider = prov ? prov : d->provider;
	/* a failure's code (it names the provider that refused: the
	 * diagnosis's, else the recipient's) before its rows: a code known
	 * knows its reason */
	if (an && (e.kind == CAT_SCAN_DEFERRED || e.kind == CAT_SCAN_BOUNCED ||
		   e.kind == CAT_SCAN_EXPIRED) &&
	    (code = code_of(s, an, d, d->provider ? d->provider : e.provider)) == -2)
		goto oom;
	ri = code >= 0 && s->codes[code].whole ? s->codes[code].ri : reason_info(s, d->reason);
	e.group = ri ? ri->group : CAT_GROUP_UNSET;
	note_time(s, &e);
	s->stats.kinds[e.kind]++;
	if (e.kind == CAT_SCAN_IGNORED || e.kind == CAT_SCAN_OTHER)
		goto done;
	if (e.kind == CAT_SCAN_REFUSAL) {
		if (count_refusal(s, d, ri) != 0)
			goto oom;
		goto done;
	}
	if (event_rows(s, &e, prov, hit ? dc : NULL, &prov_row, &dom_row) != 0)
		goto oom;
	/* a domain with a provider: its rows are those a delivery to it
	 * makes, in the same order (the provider's, then the domain's) */
	if (!hit && prov && e.domain)
		dom_note(s, dc, e.domain, dl, dh, prov, prov_row, dom_row);
	if (e.kind == CAT_SCAN_COMPLAINT) {
		s->total.c.complaints++;
		s->provs.v[prov_row].c.complaints++;
		s->doms.v[dom_row].c.complaints++;
		goto done;
	}
	if (e.kind != CAT_SCAN_SENT && failure_rows(s, d, ri, &e, &rsn_row, code) != 0)
		goto oom;
	/* the recipient's entry in the open table: only with something to
	 * key it by (a queue id or a recipient) */
	h = key_hash(e.host, klen);
	if (ql || rl)
		o = open_find(s, e.host, klen, h);
	if (e.kind == CAT_SCAN_DEFERRED) {
		if (count_deferral(s, &e, e.host, klen, h, hl + 1 + ql, ql || rl, o, code, prov_row,
				   dom_row, rsn_row) != 0)
			goto oom;
		goto done;
	}
	/* a final event */
	e.final = 1;
	if (d->event == CAT_EVENT_DELIVERY)
		s->log_outcomes = 1;
	if (!rl && ql) {
		e.closed = close_queue(s, &e, d, e.host, hl + 1 + ql, code, rsn_row);
		if (e.closed)
			goto done;
		o = NULL;
	}
	/* an evicted recipient's end: counted once */
	if (!o && (ql || rl) && ghost_take(s, e.host, klen, &g))
		o = &g;
	close_recipient(s, &e, d, o, code, prov_row, dom_row, rsn_row);
	e.closed = 1;
done:
	s->have_rep = 0;
	if (ev)
		*ev = e;
	return CAT_OK;
oom:
	return cat_fail(err, CAT_ENOMEM, "out of memory");
}

enum cat_status
cat_scan_add(struct cat_scan *s, const struct cat_analysis *an, size_t i,
	     const struct cat_scan_from *from, struct cat_scan_event *ev, struct cat_error *err)
{
	if (!s || !an || i >= an->n)
		return cat_fail(err, CAT_EUSAGE, "cat_scan_add: bad arguments");
	return add_diagnosis(s, an, &an->d[i], from, ev, err);
}

int
cat_scan_sent_read(const char *line, size_t len, struct cat_scan_sent *f)
{
	struct logline_sent ls;

	if (!line || !f || !logline_sent(line, line + len, &ls))
		return 0;
	f->time = ls.time;
	f->time_len = (size_t)(ls.time_end - ls.time);
	f->host = ls.host;
	f->host_len = (size_t)(ls.host_end - ls.host);
	f->queue_id = ls.qid;
	f->queue_id_len = (size_t)(ls.qid_end - ls.qid);
	f->recipient = ls.rcpt;
	f->recipient_len = (size_t)(ls.rcpt_end - ls.rcpt);
	f->key = NULL;
	f->key_len = f->domain_at = 0;
	f->key_hash = f->domain_hash = 0;
	/* the bounds the analyzer's copy of a line had: a longer one is
	 * analyzed */
	return f->time_len + f->queue_id_len + f->recipient_len + 3 <= 1024;
}

/* The provider and rows of a delivered line's recipient domain (dom, n
 * bytes, lower case, NUL-terminated; dh its dom_hash()), as add_diagnosis() finds them for a
 * delivery: the provider by the domain, its row, then the domain's row.
 * Returns -1 when out of memory. */
static int
sent_rows(struct cat_scan *s, const char *dom, size_t n, uint32_t dh, const char **prov, int *pr,
	  int *dr)
{
	int hit;
	struct dcache *c = dom_slot(s, dom, n, dh, &hit);

	/* the domain's hash is known (cat_scan_sent_key()): its slot at once */
	if (hit) {
		/* what row_of() counts when the table is full */
		if (c->dom_over)
			s->stats.other_domains++;
		*prov = c->prov;
		*pr = c->prov_row;
		*dr = c->dom_row;
		return 0;
	}
	*prov = cat_analyzer_domain_provider(s->a, dom);
	*pr = row_of(s, &s->provs, *prov, *prov ? strlen(*prov) : 0, (size_t)-1, 1);
	if (*pr < 0)
		return -1;
	if (!s->provs.v[*pr].title && *prov)
		s->provs.v[*pr].title = prov_title(s, *prov);
	*dr = row_of(s, &s->doms, dom, n, MAX_DOMAINS, 0);
	if (*dr < 0)
		return -1;
	if (!s->doms.v[*dr].title && s->doms.v[*dr].name && *prov)
		s->doms.v[*dr].title = *prov;
	dom_note(s, c, dom, n, dh, *prov, *pr, *dr);
	return 0;
}

size_t
cat_scan_sent_key_size(const struct cat_scan_sent *f)
{
	return f->host_len + 1 + f->queue_id_len + 1 + f->recipient_len + 1;
}

/* The recipient rl bytes at r into `to`, in lower case, and where its
 * domain starts as strrchr() would find it in the string: one past the
 * last '@' before the first NUL, when something other than that NUL
 * follows (0: no domain). ASCII is folded sixteen bytes at a time with
 * the '@' and NUL found in the same pass; an address with a byte past
 * ASCII goes by the locale's table. */
SCAN_INLINE size_t
fold_rcpt(const struct cat_scan *s, unsigned char *to, const unsigned char *r, size_t rl)
{
	size_t i = 0, last = 0, stop = rl;

#ifdef __SSE2__
	if (s->lower_ascii && rl >= 16) {
		const __m128i ch = _mm_set1_epi8('@'), zero = _mm_setzero_si128();
		size_t base;

		for (i = 0; i < rl; i = base + 16) {
			/* the last sixteen overlap those before: their bits are
			 * dropped from the masks */
			__m128i x;
			unsigned seen, am, zm;

			base = i + 16 <= rl ? i : rl - 16;
			x = _mm_loadu_si128((const __m128i *)(const void *)(r + base));
			if (_mm_movemask_epi8(x))
				break; /* past ASCII: the table */
			_mm_storeu_si128((__m128i *)(void *)(to + base), bs__fold(x));
			seen = (unsigned)(i - base);
			am = ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, ch)) >> seen) << seen;
			zm = ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, zero)) >> seen) << seen;
			if (stop < rl)
				continue;
			if (zm) {
				stop = base + (size_t)__builtin_ctz(zm);
				am &= (1u << __builtin_ctz(zm)) - 1;
			}
			if (am)
				last = base + (size_t)(31 - __builtin_clz(am)) + 1;
		}
		if (i >= rl)
			return last && last < stop ? last : 0;
		last = 0;
		stop = rl;
	}
#endif
	for (i = 0; i < rl; i++) {
		unsigned char c = r[i];

		to[i] = s->lower[c];
		if (stop < rl)
			continue;
		if (c == '@')
			last = i + 1;
		else if (!c)
			stop = i;
	}
	return last && last < stop ? last : 0;
}

/* host NUL queue id NUL recipient NUL in buf, the recipient in lower case;
 * its length (the last NUL not counted), and in *dat where its domain
 * starts (0: none). */
SCAN_INLINE size_t
sent_key(const struct cat_scan *s, const struct cat_scan_sent *f, char *buf, size_t *dat)
{
	size_t hl = f->host_len, ql = f->queue_id_len, rl = f->recipient_len, d;

	copy_short(buf, f->host, hl);
	buf[hl] = '\0';
	copy_short(buf + hl + 1, f->queue_id, ql);
	buf[hl + 1 + ql] = '\0';
	d = fold_rcpt(s, (unsigned char *)buf + hl + 2 + ql, (const unsigned char *)f->recipient, rl);
	buf[hl + 2 + ql + rl] = '\0';
	*dat = d ? hl + 2 + ql + d : 0;
	return hl + 1 + ql + 1 + rl;
}

void
cat_scan_sent_key(const struct cat_scan *s, struct cat_scan_sent *f, char *dst)
{
	size_t klen;

	if (!s || !f || !dst)
		return;
	klen = sent_key(s, f, dst, &f->domain_at);
	f->key = dst;
	f->key_len = klen;
	f->key_hash = key_hash(dst, klen);
	f->domain_hash = f->domain_at ? dom_hash(dst + f->domain_at, klen - f->domain_at) : 0;
}

int
cat_scan_sent_add(struct cat_scan *s, const struct cat_scan_sent *f, const struct cat_scan_from *from,
		  struct cat_scan_event *ev)
{
	struct cat_scan_event tmp, *e = ev ? ev : &tmp;
	size_t hl, ql, rl, klen, dat;
	const char *key;
	uint32_t kh, dh;
	int prov_row, dom_row;
	struct open *o, g;

	(void)from; /* the fields say all: the host is the line's */
	if (!s || !f)
		return -1;
	hl = f->host_len;
	ql = f->queue_id_len;
	rl = f->recipient_len;
	/* this is add_diagnosis() for a delivery made, without the steps
	 * that cannot apply to one; the key made by cat_scan_sent_key() in
	 * the thread that read the line, else here */
	if (f->key) {
		key = f->key;
		klen = f->key_len;
		kh = f->key_hash;
		dat = f->domain_at;
		dh = f->domain_hash;
	} else {
		char *buf = ev_room(s, cat_scan_sent_key_size(f));

		if (!buf)
			return -1;
		klen = sent_key(s, f, buf, &dat);
		key = buf;
		kh = key_hash(key, klen);
		dh = dat ? dom_hash(key + dat, klen - dat) : 0;
	}
	memset(e, 0, sizeof(*e));
	e->kind = CAT_SCAN_SENT;
	e->type = CAT_TYPE_INFO;
	e->action = CAT_ACTION_NONE;
	e->group = CAT_GROUP_UNSET;
	e->host = key;
	e->queue_id = key + hl + 1;
	e->recipient = rl ? key + hl + 2 + ql : NULL;
	e->when = parse_time_n(s, f->time, f->time_len);
	s->stats.items++;
	e->domain = dat ? key + dat : NULL;
	if (e->when) {
		if (!s->first || e->when < s->first)
			s->first = e->when;
		if (e->when > s->last)
			s->last = e->when;
	} else {
		s->stats.no_time++;
	}
	s->stats.kinds[CAT_SCAN_SENT]++;
	if (e->domain) {
		if (sent_rows(s, e->domain, klen - dat, dh, &e->provider, &prov_row, &dom_row) != 0)
			return -1;
		/* a row of its own is one domain's, and its provider is the
		 * domain's */
		if (s->doms.v[dom_row].name)
			e->domain_id = (unsigned)dom_row + 1;
	} else {
		prov_row = row_of(s, &s->provs, NULL, 0, (size_t)-1, 1);
		dom_row = prov_row >= 0 ? row_of(s, &s->doms, NULL, 0, MAX_DOMAINS, 0) : -1;
		if (dom_row < 0)
			return -1;
	}
	o = open_find(s, key, klen, kh);
	if (!o && s->n_ghosts && ghost_take(s, key, klen, &g))
		o = &g;
	e->final = 1;
	s->log_outcomes = 1;
	if (o) {
		close_recipient(s, e, NULL, o, -1, prov_row, dom_row, -1);
	} else {
		/* close_recipient() of a recipient never deferred: its rows */
		count_sent(s, prov_row, dom_row, 0, e->when);
	}
	e->closed = 1;
	s->have_rep = 0;
	return 1;
}

int
cat_scan_sent_line(struct cat_scan *s, const char *line, size_t len,
		   const struct cat_scan_from *from, struct cat_scan_event *ev)
{
	struct cat_scan_sent f;

	if (!s || !cat_scan_sent_read(line, len, &f))
		return 0;
	return cat_scan_sent_add(s, &f, from, ev);
}

int
cat_scan_sent_count(struct cat_scan *s, const char *domain, const char *provider, long long first,
		    long long last, unsigned long long n)
{
	const char *prov, *p;
	unsigned long long others;
	struct row *rows[3];
	size_t i;
	int prov_row, dom_row;

	if (!s)
		return -1;
	/* the rows as add_diagnosis() finds them for a delivery: the
	 * provider by the domain, else the diagnosis's, then the domain */
	prov = domain ? cat_analyzer_domain_provider(s->a, domain) : NULL;
	p = prov ? prov : provider;
	prov_row = row_of(s, &s->provs, p, p ? strlen(p) : 0, (size_t)-1, 1);
	if (prov_row < 0)
		return -1;
	if (!s->provs.v[prov_row].title && p)
		s->provs.v[prov_row].title = prov_title(s, p);
	others = s->stats.other_domains;
	dom_row = row_of(s, &s->doms, domain, domain ? strlen(domain) : 0, MAX_DOMAINS, 0);
	if (dom_row < 0)
		return -1;
	if (!s->doms.v[dom_row].title && s->doms.v[dom_row].name && prov)
		s->doms.v[dom_row].title = prov;
	/* row_of() counts one event past the domain table: these are n */
	if (s->stats.other_domains != others)
		s->stats.other_domains = others + n;
	if (!n)
		return 0;
	s->stats.items += n;
	s->stats.kinds[CAT_SCAN_SENT] += n;
	if (!first || !last) {
		s->stats.no_time += n;
	} else {
		if (!s->first || first < s->first)
			s->first = first;
		if (last > s->last)
			s->last = last;
	}
	s->log_outcomes = 1;
	rows[0] = &s->total;
	rows[1] = &s->provs.v[prov_row];
	rows[2] = &s->doms.v[dom_row];
	for (i = 0; i < 3; i++) {
		struct cat_scan_counts *c = &rows[i]->c;

		c->attempted += n;
		c->sent += n;
		if (i < 2 && first && last) {
			/* the series: n - 1 at first, one at last */
			if (n > 1 && (c = row_point(s, rows[i], first)) != NULL) {
				c->attempted += n - 1;
				c->sent += n - 1;
			}
			if ((c = row_point(s, rows[i], last)) != NULL) {
				c->attempted++;
				c->sent++;
			}
		}
	}
	s->have_rep = 0;
	return 0;
}

void
cat_scan_add_ignored(struct cat_scan *s, unsigned long long n, long long first, long long last)
{
	if (!s)
		return;
	s->stats.items += n;
	s->stats.kinds[CAT_SCAN_IGNORED] += n;
	if (first && (!s->first || first < s->first))
		s->first = first;
	if (last && last > s->last)
		s->last = last;
	s->have_rep = 0;
}

/* ------------------------------------------------------------ the report */

/* Adds (sign 1) or takes back (sign -1) what the recipients still open
 * say: each is a recipient still deferred, a soft failure, at the time of
 * its last deferral. The report is built between the two, so it can be
 * built again after more events. */
static void
count_open(struct cat_scan *s, int sign)
{
	struct open *o;

	for (o = s->oldest; o; o = o->newer) {
		struct cat_scan_counts *c[5] = {
			&s->total.c,
			o->prov >= 0 ? &s->provs.v[o->prov].c : NULL,
			o->dom >= 0 ? &s->doms.v[o->dom].c : NULL,
			o->reason >= 0 ? &s->rsns.v[o->reason].c : NULL,
			NULL,
		};
		/* through the rows' last points: the table is in the order
		 * of the deferrals, so most land in the point before */
		struct cat_scan_counts *p[2] = {
			row_point(s, &s->total, o->when),
			o->prov >= 0 ? row_point(s, &s->provs.v[o->prov], o->when) : NULL,
		};
		size_t i;

		for (i = 0; i < 4; i++) {
			if (!c[i])
				continue;
			c[i]->attempted += (unsigned long long)(long long)sign;
			c[i]->deferred += (unsigned long long)(long long)sign;
			c[i]->soft += (unsigned long long)(long long)sign;
		}
		for (i = 0; i < 2; i++) {
			if (!p[i])
				continue;
			p[i]->attempted += (unsigned long long)(long long)sign;
			p[i]->deferred += (unsigned long long)(long long)sign;
			p[i]->soft += (unsigned long long)(long long)sign;
		}
	}
}

static unsigned long long
failures(const struct cat_scan_counts *c)
{
	return c->bounced + c->expired + c->deferred;
}

static int
by_failures(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	unsigned long long fa = failures(&a->c), fb = failures(&b->c);

	if (!a->name != !b->name)
		return a->name ? -1 : 1; /* the row without a name last */
	if (fa != fb)
		return fa > fb ? -1 : 1;
	if (a->c.deferrals != b->c.deferrals)
		return a->c.deferrals > b->c.deferrals ? -1 : 1;
	if (a->c.attempted != b->c.attempted)
		return a->c.attempted > b->c.attempted ? -1 : 1;
	return a->name ? strcmp(a->name, b->name) : 0;
}

static int
by_events(const void *pa, const void *pb)
{
	const struct cat_scan_code *a = pa, *b = pb;

	if (a->events != b->events)
		return a->events > b->events ? -1 : 1;
	if (a->messages != b->messages)
		return a->messages > b->messages ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

static int
by_cost(const void *pa, const void *pb)
{
	const struct cat_scan_code *a = *(const struct cat_scan_code *const *)pa;
	const struct cat_scan_code *b = *(const struct cat_scan_code *const *)pb;

	if (a->failed != b->failed)
		return a->failed > b->failed ? -1 : 1;
	if (a->messages != b->messages)
		return a->messages > b->messages ? -1 : 1;
	return by_events(a, b);
}

enum row_kind { ROW_TOTAL, ROW_PROVIDER, ROW_DOMAIN, ROW_REASON };

/* The threshold of a rate for a row of this kind: a reason's own ones are
 * extra rates; per provider ones hold for providers, before the general. */
static const struct rlim *
limit_of(const struct cat_scan *s, enum cat_scan_rate_kind rate, enum row_kind k)
{
	const struct rlim *any = NULL;
	size_t i;

	for (i = 0; i < s->n_lims; i++) {
		const struct rlim *l = &s->lims[i];

		if (l->reason || l->rate != rate)
			continue;
		if (l->per_provider && k == ROW_PROVIDER)
			return l;
		if (!l->per_provider && !any)
			any = l;
	}
	return any;
}

static void
set_rate(struct cat_scan_rate *r, enum cat_scan_rate_kind kind, unsigned long long count,
	 unsigned long long basis, int have_basis, const struct rlim *l)
{
	memset(r, 0, sizeof(*r));
	r->rate = kind;
	r->count = count;
	r->percent = have_basis && basis ? 100.0 * (double)count / (double)basis : -1;
	r->limit = l ? l->pct : -1;
	r->threshold = l ? l->key : NULL;
	r->reason = l ? l->reason : NULL;
	/* compared in hundredths of a percent, so that what is shown decides */
	r->over = r->percent >= 0 && r->limit >= 0 &&
		  (long long)(r->percent * 100 + 0.5) >= (long long)(r->limit * 100 + 0.5);
}

/* The public form of a row, its rates in the report's arena. */
static int
fill_row(struct cat_scan *s, struct cat_scan_row *out, const struct row *r, enum row_kind k,
	 unsigned long long basis)
{
	struct cat_scan_rate *rates;
	size_t n = CAT_SCAN_RATE_COUNT, i, j, hit;
	unsigned long long counts[CAT_SCAN_RATE_COUNT];

	for (i = 0; i < s->n_lims; i++)
		if (s->lims[i].reason && (!s->lims[i].per_provider || k == ROW_PROVIDER))
			n++;
	rates = arena_alloc(s->rarena, n * sizeof(*rates));
	if (!rates)
		return -1;
	counts[CAT_SCAN_RATE_HARD] = r->c.hard;
	counts[CAT_SCAN_RATE_SOFT] = r->c.soft;
	counts[CAT_SCAN_RATE_BLOCK] = r->c.block;
	counts[CAT_SCAN_RATE_BOUNCE] = r->c.hard + r->c.soft + r->c.block;
	counts[CAT_SCAN_RATE_COMPLAINT] = r->c.complaints;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < CAT_SCAN_RATE_COUNT; i++)
		set_rate(&rates[i], (enum cat_scan_rate_kind)i, counts[i], basis, s->log_outcomes,
			 limit_of(s, (enum cat_scan_rate_kind)i, k));
	for (i = 0, j = CAT_SCAN_RATE_COUNT, hit = 0; i < s->n_lims; i++) {
		const struct rlim *l = &s->lims[i];

		if (!l->reason)
			continue;
		/* rhits[] is in the order of the reason thresholds */
		if (!l->per_provider || k == ROW_PROVIDER)
			set_rate(&rates[j++], l->rate, r->rhits[hit], basis, s->log_outcomes, l);
		hit++;
	}
	out->name = r->name;
	out->title = r->title;
	out->c = r->c;
	out->n_rates = n;
	out->rates = rates;
	for (i = 0; i < n; i++)
		out->over |= rates[i].over;
	return 0;
}

/* The public rows of a set, sorted; with `top`, the rows past it are
 * added up into one row without a name. */
static int
fill_rows(struct cat_scan *s, struct rows *rs, enum row_kind k, size_t top,
	  const struct cat_scan_row **out, size_t *n_out)
{
	struct row *v, rest;
	struct cat_scan_row *o;
	size_t n = rs->n, i, keep, r;
	int have_rest = 0;

	*out = NULL;
	*n_out = 0;
	if (!n)
		return 0;
	v = arena_alloc(s->rarena, n * sizeof(*v));
	o = arena_alloc(s->rarena, (n + 1) * sizeof(*o));
	if (!v || !o)
		return -1;
	/* rows that ended with nothing counted (a reason an expiry was
	 * reclassified from) are left out */
	for (i = r = 0; i < rs->n; i++)
		if (rs->v[i].c.attempted || rs->v[i].c.deferrals || rs->v[i].c.complaints)
			v[r++] = rs->v[i];
	n = r;
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), by_failures);
	keep = top && n > top ? top : n;
	memset(&rest, 0, sizeof(rest));
	rest.series = -1;
	for (i = keep; i < n; i++) {
		size_t q;

		have_rest = 1;
		rest.c.attempted += v[i].c.attempted;
		rest.c.sent += v[i].c.sent;
		rest.c.deferred += v[i].c.deferred;
		rest.c.bounced += v[i].c.bounced;
		rest.c.expired += v[i].c.expired;
		rest.c.delayed += v[i].c.delayed;
		rest.c.deferrals += v[i].c.deferrals;
		rest.c.hard += v[i].c.hard;
		rest.c.soft += v[i].c.soft;
		rest.c.block += v[i].c.block;
		rest.c.complaints += v[i].c.complaints;
		for (q = 0; q < MAX_RLIM; q++)
			rest.rhits[q] += v[i].rhits[q];
	}
	for (i = r = 0; i < keep; i++)
		if (fill_row(s, &o[r++], &v[i], k,
			     k == ROW_REASON ? s->total.c.attempted : v[i].c.attempted) != 0)
			return -1;
	if (have_rest && fill_row(s, &o[r++], &rest, k,
				  k == ROW_REASON ? s->total.c.attempted : rest.c.attempted) != 0)
		return -1;
	if (k == ROW_PROVIDER)
		s->prov_rows = o;
	*out = o;
	*n_out = r;
	return 0;
}

/* The time series: the stored slots added into points of `bucket`
 * seconds, for the total and each provider row. */
static int
fill_series(struct cat_scan *s, struct cat_scan_report *rep)
{
	long long b0, b1;
	size_t i, n;
	struct cat_scan_counts **by_series;
	long b;

	rep->n_points = 0;
	if (!s->first)
		return 0;
	b = s->o.bucket ? s->o.bucket : s->last - s->first > HOURLY_SPAN ? DAY : HOUR;
	/* at most 2,000 points: a longer span takes longer points */
	while ((s->last - s->first) / b >= 2000)
		b *= 2;
	b0 = s->first / b;
	b1 = s->last / b;
	n = (size_t)(b1 - b0 + 1);
	rep->bucket = b;
	rep->start = b0 * b;
	rep->n_points = n;
	by_series = arena_alloc(s->rarena, (size_t)s->n_series * sizeof(*by_series));
	if (!by_series)
		return -1;
	/* the total and the providers have series */
	by_series[s->total.series] = arena_alloc(s->rarena, n * sizeof(struct cat_scan_counts));
	if (!by_series[s->total.series])
		return -1;
	rep->total.series = by_series[s->total.series];
	for (i = 0; i < rep->n_providers; i++) {
		size_t k;

		for (k = 0; k < s->provs.n; k++)
			if (s->provs.v[k].name == rep->providers[i].name)
				break;
		if (k == s->provs.n || s->provs.v[k].series < 0)
			continue;
		by_series[s->provs.v[k].series] =
			arena_alloc(s->rarena, n * sizeof(struct cat_scan_counts));
		if (!by_series[s->provs.v[k].series])
			return -1;
		s->prov_rows[i].series = by_series[s->provs.v[k].series];
	}
	for (i = 0; i < s->n_points; i++) {
		const struct point *p = &s->points[i];
		long long t = p->slot * s->slot_len, at = t / b - b0;
		struct cat_scan_counts *c;

		if (p->series < 0 || p->series >= s->n_series || !by_series[p->series] || at < 0 ||
		    at >= (long long)n)
			continue;
		c = &by_series[p->series][at];
		c->attempted += p->c.attempted;
		c->sent += p->c.sent;
		c->deferred += p->c.deferred;
		c->bounced += p->c.bounced;
		c->expired += p->c.expired;
		c->delayed += p->c.delayed;
		c->deferrals += p->c.deferrals;
		c->hard += p->c.hard;
		c->soft += p->c.soft;
		c->block += p->c.block;
		c->complaints += p->c.complaints;
	}
	return 0;
}

static int
fill_codes(struct cat_scan *s, struct cat_scan_report *rep)
{
	struct cat_scan_code *v;
	const struct cat_scan_code **ff;
	size_t i, n = s->n_codes, nf = 0;

	rep->n_codes = rep->n_fix_first = 0;
	if (!n)
		return 0;
	v = arena_alloc(s->rarena, n * sizeof(*v));
	ff = arena_alloc(s->rarena, n * sizeof(*ff));
	if (!v || !ff)
		return -1;
	for (i = 0; i < n; i++)
		v[i] = s->codes[i].pub;
	qsort(v, n, sizeof(*v), by_events);
	for (i = 0; i < n; i++)
		if (v[i].sender_side && v[i].messages)
			ff[nf++] = &v[i];
	qsort(ff, nf, sizeof(*ff), by_cost);
	rep->codes = v;
	rep->n_codes = n < s->o.top ? n : s->o.top;
	rep->fix_first = ff;
	rep->n_fix_first = nf < s->o.top ? nf : s->o.top;
	return 0;
}

enum cat_status
cat_scan_report(struct cat_scan *s, const struct cat_scan_report **out, struct cat_error *err)
{
	struct cat_scan_report *rep;
	int bad = 0;

	if (!s || !out)
		return cat_fail(err, CAT_EUSAGE, "cat_scan_report: bad arguments");
	rep = &s->rep;
	if (s->have_rep) {
		*out = rep;
		return CAT_OK;
	}
	arena_reset(s->rarena);
	memset(rep, 0, sizeof(*rep));
	count_open(s, 1);
	rep->stats = s->stats;
	rep->stats.open = s->n_open;
	rep->first = s->first;
	rep->last = s->last;
	if (fill_row(s, &rep->total, &s->total, ROW_TOTAL, s->total.c.attempted) != 0 ||
	    fill_rows(s, &s->provs, ROW_PROVIDER, 0, &rep->providers, &rep->n_providers) != 0 ||
	    fill_rows(s, &s->doms, ROW_DOMAIN, s->o.top, &rep->domains, &rep->n_domains) != 0 ||
	    fill_rows(s, &s->rsns, ROW_REASON, 0, &rep->reasons, &rep->n_reasons) != 0 ||
	    fill_rows(s, &s->refs, ROW_REASON, 0, &rep->refusals, &rep->n_refusals) != 0 ||
	    fill_series(s, rep) != 0 || fill_codes(s, rep) != 0)
		bad = 1;
	count_open(s, -1);
	if (bad)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	s->have_rep = 1;
	*out = rep;
	return CAT_OK;
}

/* ------------------------------------------------------------ JSON */

static void
jw_time(struct jsonw *w, long long t)
{
	char buf[32];
	int y, mo, d;
	long long day = t / DAY - (t < 0 && t % DAY), sec = t - day * DAY;

	if (!t) {
		jw_null(w);
		return;
	}
	stamp_civil(day, &y, &mo, &d);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, (int)(sec / HOUR),
		 (int)(sec % HOUR / 60), (int)(sec % 60));
	jw_str(w, buf);
}

/* A percent (two decimals) or a limit (as the catalog writes it); null
 * when negative: not known. */
static void
jw_num(struct jsonw *w, double v, int limit)
{
	char buf[32];
	int n;

	if (v < 0) {
		jw_null(w);
		return;
	}
	n = limit ? snprintf(buf, sizeof(buf), "%g", v) : snprintf(buf, sizeof(buf), "%.2f", v);
	jw_raw(w, buf, (size_t)n);
}

static void
json_counts(struct jsonw *w, const struct cat_scan_counts *c)
{
	JW_KEY_INT(w, "attempted", (long long)c->attempted);
	JW_KEY_INT(w, "sent", (long long)c->sent);
	JW_KEY_INT(w, "deferred", (long long)c->deferred);
	JW_KEY_INT(w, "bounced", (long long)c->bounced);
	JW_KEY_INT(w, "expired", (long long)c->expired);
	JW_KEY_INT(w, "delayed", (long long)c->delayed);
	JW_KEY_INT(w, "deferrals", (long long)c->deferrals);
	JW_KEY_INT(w, "hard", (long long)c->hard);
	JW_KEY_INT(w, "soft", (long long)c->soft);
	JW_KEY_INT(w, "block", (long long)c->block);
	JW_KEY_INT(w, "complaints", (long long)c->complaints);
}

static void
json_rates(struct jsonw *w, const struct cat_scan_row *r);

/* Ends an NDJSON record: its object, the newline, and no comma before the
 * next record's first member. */
static void
json_record_end(struct jsonw *w)
{
	jw_end_obj(w);
	jw__put(w, "\n", 1);
	w->need_comma = 0;
}

static void
json_row(struct jsonw *w, const char *record, const char *name_key, const struct cat_scan_row *r,
	 const char *title_key)
{
	jw_obj(w);
	JW_KEY_STR(w, "record", record);
	if (name_key) {
		jw_key(w, name_key);
		jw_str(w, r->name);
		jw_key(w, title_key);
		jw_str(w, r->title);
	}
	json_counts(w, &r->c);
	json_rates(w, r);
	json_record_end(w);
}

/* A row's "rates" and "over". */
static void
json_rates(struct jsonw *w, const struct cat_scan_row *r)
{
	size_t i;

	JW_KEY(w, "rates");
	jw_arr(w);
	for (i = 0; i < r->n_rates; i++) {
		const struct cat_scan_rate *q = &r->rates[i];

		jw_obj(w);
		JW_KEY_STR(w, "rate", cat_scan_rate_name(q->rate));
		JW_KEY_STR(w, "reason", q->reason);
		JW_KEY_INT(w, "count", (long long)q->count);
		JW_KEY(w, "percent");
		jw_num(w, q->percent, 0);
		JW_KEY(w, "limit");
		jw_num(w, q->limit, 1);
		JW_KEY_STR(w, "threshold", q->threshold);
		JW_KEY(w, "over");
		jw_bool(w, q->over);
		jw_end_obj(w);
	}
	jw_end_arr(w);
	JW_KEY(w, "over");
	jw_bool(w, r->over);
}

static void
json_code_fields(struct jsonw *w, const struct cat_scan_code *c);

static void
json_code(struct jsonw *w, const char *record, size_t rank, const struct cat_scan_code *c)
{
	jw_obj(w);
	JW_KEY_STR(w, "record", record);
	JW_KEY_INT(w, "rank", (long long)rank);
	json_code_fields(w, c);
	json_record_end(w);
}

/* A code's members after its record and rank. */
static void
json_code_fields(struct jsonw *w, const struct cat_scan_code *c)
{
	JW_KEY_STR(w, "provider", c->provider);
	JW_KEY_STR(w, "provider_name", c->provider_name);
	JW_KEY(w, "reply_code");
	if (c->reply)
		jw_int(w, c->reply);
	else
		jw_null(w);
	JW_KEY_STR(w, "enhanced_code", c->enhanced[0] ? c->enhanced : NULL);
	JW_KEY_STR(w, "reason", c->reason);
	JW_KEY_STR(w, "reason_title", c->reason_title);
	JW_KEY_STR(w, "type", cat_type_name(c->type));
	JW_KEY_STR(w, "group", cat_group_name(c->group));
	JW_KEY_STR(w, "action", cat_action_name(c->action));
	JW_KEY_STR(w, "entry", c->entry);
	JW_KEY_INT(w, "events", (long long)c->events);
	JW_KEY_INT(w, "messages", (long long)c->messages);
	JW_KEY_INT(w, "failed", (long long)c->failed);
	JW_KEY(w, "first");
	jw_time(w, c->first);
	JW_KEY(w, "last");
	jw_time(w, c->last);
	JW_KEY(w, "sender_side");
	jw_bool(w, c->sender_side);
	JW_KEY_STR(w, "summary", c->summary);
	JW_KEY_STR(w, "fix", c->fix);
	JW_KEY_STR(w, "sample", c->sample);
}

static void
json_points(struct jsonw *w, const struct cat_scan_report *r, const struct cat_scan_row *row)
{
	size_t i;

	for (i = 0; row->series && i < r->n_points; i++) {
		const struct cat_scan_counts *c = &row->series[i];

		/* a provider's empty points are left out; the total's are all there */
		if (row != &r->total && !c->attempted && !c->deferrals && !c->complaints)
			continue;
		jw_obj(w);
		JW_KEY_STR(w, "record", "point");
		JW_KEY(w, "start");
		jw_time(w, r->start + (long long)i * r->bucket);
		JW_KEY_INT(w, "seconds", r->bucket);
		JW_KEY_STR(w, "provider", row == &r->total ? NULL : row->name);
		json_counts(w, c);
		json_record_end(w);
	}
}

enum cat_status
cat_scan_report_json(const struct cat_scan_report *r, char **buf, size_t *len, size_t *cap)
{
	struct jsonw w = { *buf, *len, *cap, 0, 0 };
	size_t i, k;

	jw_obj(&w);
	JW_KEY_STR(&w, "record", "scan");
	JW_KEY_INT(&w, "version", 1);
	JW_KEY(&w, "first");
	jw_time(&w, r->first);
	JW_KEY(&w, "last");
	jw_time(&w, r->last);
	JW_KEY_INT(&w, "items", (long long)r->stats.items);
	for (k = 0; k < CAT_SCAN_KIND_COUNT; k++) {
		jw_key(&w, cat_scan_kind_name((enum cat_scan_kind)k));
		jw_int(&w, (long long)r->stats.kinds[k]);
	}
	JW_KEY_INT(&w, "no_time", (long long)r->stats.no_time);
	JW_KEY_INT(&w, "evicted", (long long)r->stats.evicted);
	JW_KEY_INT(&w, "open", (long long)r->stats.open);
	JW_KEY_INT(&w, "other_domains", (long long)r->stats.other_domains);
	json_record_end(&w);
	json_row(&w, "total", NULL, &r->total, NULL);
	for (i = 0; i < r->n_providers; i++)
		json_row(&w, "provider", "provider", &r->providers[i], "name");
	for (i = 0; i < r->n_domains; i++)
		json_row(&w, "domain", "domain", &r->domains[i], "provider");
	for (i = 0; i < r->n_reasons; i++)
		json_row(&w, "reason", "reason", &r->reasons[i], "title");
	for (i = 0; i < r->n_refusals; i++) {
		jw_obj(&w);
		JW_KEY_STR(&w, "record", "refusal");
		JW_KEY_STR(&w, "reason", r->refusals[i].name);
		JW_KEY_STR(&w, "title", r->refusals[i].title);
		JW_KEY_INT(&w, "count", (long long)r->refusals[i].c.attempted);
		json_record_end(&w);
	}
	json_points(&w, r, &r->total);
	for (i = 0; i < r->n_providers; i++)
		json_points(&w, r, &r->providers[i]);
	for (i = 0; i < r->n_codes; i++)
		json_code(&w, "code", i + 1, &r->codes[i]);
	for (i = 0; i < r->n_fix_first; i++)
		json_code(&w, "fix", i + 1, r->fix_first[i]);
	*buf = w.buf;
	*len = w.len;
	*cap = w.cap;
	return w.oom ? CAT_ENOMEM : CAT_OK;
}

enum cat_status
cat_scan_summary_json(const struct cat_scan_report *r, long long now, char **buf, size_t *len,
		      size_t *cap)
{
	struct jsonw w = { *buf, *len, *cap, 0, 0 };
	const struct cat_scan_code *top = r->n_fix_first ? r->fix_first[0]
					  : r->n_codes	  ? &r->codes[0]
							  : NULL;

	jw_obj(&w);
	JW_KEY_STR(&w, "record", "summary");
	JW_KEY_INT(&w, "version", 1);
	JW_KEY(&w, "at");
	jw_time(&w, now);
	JW_KEY(&w, "first");
	jw_time(&w, r->first);
	JW_KEY(&w, "last");
	jw_time(&w, r->last);
	JW_KEY_INT(&w, "items", (long long)r->stats.items);
	JW_KEY_INT(&w, "refusal", (long long)r->stats.kinds[CAT_SCAN_REFUSAL]);
	json_counts(&w, &r->total.c);
	json_rates(&w, &r->total);
	JW_KEY(&w, "top");
	if (top) {
		jw_obj(&w);
		JW_KEY_STR(&w, "record", r->n_fix_first ? "fix" : "code");
		json_code_fields(&w, top);
		jw_end_obj(&w);
	} else {
		jw_null(&w);
	}
	jw_end_obj(&w);
	jw__put(&w, "\n", 1);
	*buf = w.buf;
	*len = w.len;
	*cap = w.cap;
	return w.oom ? CAT_ENOMEM : CAT_OK;
}
