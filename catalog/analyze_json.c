/* analyze_json.c: a diagnosis as one line of JSON (cat_diagnosis_json), with its caches. */
#include "analyze.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "util.h"

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
json_str(const struct analysis *an, struct jsonw *w, const char *s)
{
	if (!s || arena_contains(an->arena, s))
		jw_str(w, s);
	else
		cached_str(an->scratch, w, s);
}

/* Whether p was made for this analysis (its arena): the arena's bounds are
 * looked up once per diagnosis, and most analyses of a line fill one block. */
struct abounds {
	const struct cat_arena *arena;
	const char *lo, *hi;
	int one; /* the arena is the one block [lo, hi) */
};

static void
abounds_init(struct abounds *b, const struct analysis *an)
{
	b->arena = an->arena;
	b->one = arena_bounds(an->arena, &b->lo, &b->hi);
}

static int
abounds_has(const struct abounds *b, const void *p)
{
	const char *c = p;

	return b->one ? c >= b->lo && c < b->hi : arena_contains(b->arena, p);
}

/* The members of run 0 (enhanced_inferred .. provider_tag) or run 1
 * (outcome .. decoded) of a diagnosis. */
static void
seg_members(const struct analysis *an, struct jsonw *w, const struct cat_diagnosis *d,
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
	JW_KEY(w, "stage");
	json_str(an, w, cat_stage_name(d->stage));
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
	jw_bool(w, an->pub.decoded);
}

/* Writes a run of members. Most lines of a log give the same few runs:
 * when every string of a run lives as long as the analyzer (none was made
 * for this input), the run's JSON is kept, keyed by the strings' addresses
 * and the flags, in a small direct-mapped cache, and copied whole the next
 * time. */
static void
seg_write(const struct analysis *an, const struct abounds *ab, struct jsonw *w,
	  const struct cat_diagnosis *d, int run)
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
	} else if (d->n_entries <= SEG_KEYS - 6) {
		key[n++] = an->pub.decoded ? "d" : "";
		key[n++] = d->outcome;
		key[n++] = cat_stage_name(d->stage);
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
		for (k = 0; k < n; k++) {
			const char *p = key[k];

			if (p && abounds_has(ab, p)) {
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
ev_open(const struct analysis *an, const struct abounds *ab, struct jsonw *w, const char *rule)
{
	struct jhead *h;

	if (!rule || abounds_has(ab, rule)) {
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

/* The remembered decision diagnosis i took, when its slot still holds
 * it (see decide_memo()); else NULL. */
static inline struct dmemo *
memo_of(const struct analysis *an, size_t i)
{
	const struct an_scratch *x = an->scratch;
	struct dmemo *m;

	if (!x || !x->dm_use || !x->dm_use[i].slot || an->pub.decoded)
		return NULL;
	m = &x->dm[x->dm_use[i].slot - 1];
	return m->gen == x->dm_use[i].gen ? m : NULL;
}

/* Keeps what a diagnosis of remembered decision m wrote whatever its line:
 * out[at[k]..at[k + 1]) for the pieces k = 0, 2, 4, ... of at (see
 * struct dmemo); a copy that fails is not kept (it only saves time). */
static void
memo_json_keep(struct dmemo *m, const char *out, const size_t *at, size_t n_pieces)
{
	size_t k, len = 0;
	char *p;

	for (k = 0; k < n_pieces; k++)
		len += at[2 * k + 1] - at[2 * k];
	if (len > UINT32_MAX || !(p = malloc(len ? len : 1)))
		return;
	m->json = p;
	for (k = len = 0; k < n_pieces; k++) {
		memcpy(p + len, out + at[2 * k], at[2 * k + 1] - at[2 * k]);
		len += at[2 * k + 1] - at[2 * k];
		m->cut[k] = (uint32_t)len;
	}
}

/* 0 to 999 as four bytes each: the digits, then zeros, then in the last
 * byte how many digits there are. The offsets of a log line (two or three
 * digits) are then one move of four bytes and one load, not a division. */
#define DIG1(c) c "\0\0\1"
#define DIG2(b, c) b c "\0\2"
#define DIG3(a, b, c) a b c "\3"
#define DIG_TEN(X, ...)                                                                    \
	X(__VA_ARGS__, "0") X(__VA_ARGS__, "1") X(__VA_ARGS__, "2") X(__VA_ARGS__, "3")       \
	X(__VA_ARGS__, "4") X(__VA_ARGS__, "5") X(__VA_ARGS__, "6") X(__VA_ARGS__, "7")   \
	X(__VA_ARGS__, "8") X(__VA_ARGS__, "9")
#define DIG_ONES DIG1("0") DIG1("1") DIG1("2") DIG1("3") DIG1("4") DIG1("5") DIG1("6") \
	DIG1("7") DIG1("8") DIG1("9")
#define DIG_HUNDRED(a) DIG_TEN(DIG3, a, "0") DIG_TEN(DIG3, a, "1") DIG_TEN(DIG3, a, "2") \
	DIG_TEN(DIG3, a, "3") DIG_TEN(DIG3, a, "4") DIG_TEN(DIG3, a, "5") DIG_TEN(DIG3, a, "6") \
	DIG_TEN(DIG3, a, "7") DIG_TEN(DIG3, a, "8") DIG_TEN(DIG3, a, "9")
static const char dig4[] = DIG_ONES DIG_TEN(DIG2, "1") DIG_TEN(DIG2, "2") DIG_TEN(DIG2, "3")
	DIG_TEN(DIG2, "4") DIG_TEN(DIG2, "5") DIG_TEN(DIG2, "6") DIG_TEN(DIG2, "7")
	DIG_TEN(DIG2, "8") DIG_TEN(DIG2, "9") DIG_HUNDRED("1") DIG_HUNDRED("2") DIG_HUNDRED("3")
	DIG_HUNDRED("4") DIG_HUNDRED("5") DIG_HUNDRED("6") DIG_HUNDRED("7") DIG_HUNDRED("8")
	DIG_HUNDRED("9");
_Static_assert(sizeof(dig4) == 4 * 1000 + 1, "dig4: four bytes for each of 0 to 999");
#undef DIG_HUNDRED
#undef DIG_ONES
#undef DIG_TEN
#undef DIG3
#undef DIG2
#undef DIG1

/* The digits of u < 1000 at d, as four bytes (the buffer has room: what
 * lies past the digits is written over next); returns their end. */
static inline char *
put_small(char *d, size_t u)
{
	memcpy(d, dig4 + 4 * u, 4);
	return d + dig4[4 * u + 3];
}

/* Digits of u at d; returns their end. */
static inline char *
put_uint(char *d, size_t u)
{
	size_t nd, t;

	if (u < 1000)
		return put_small(d, u);
	if (u < 1000000) { /* a line number: two moves */
		size_t hi = u / 1000, lo = u - 1000 * hi;
		char *e = put_small(d, hi);

		/* the three digits of lo, zeros too */
		e[0] = (char)('0' + lo / 100);
		memcpy(e + 1, jw__pairs + 2 * (lo % 100), 2);
		return e + 3;
	}
	for (nd = 4, t = 10000; nd < 20 && u >= t; t *= 10)
		nd++;
	jw__udigits(d + nd, u);
	return d + nd;
}

/* n bytes of s to d, up to 64 without a call: moves from both ends that
 * overlap, none past n (the pieces of a remembered decision's JSON are
 * 20 to 60 bytes, where a call to memcpy() costs more than the copy). */
static inline void
copy_piece(char *d, const char *s, size_t n)
{
	if (n > 64) {
		memcpy(d, s, n);
	} else if (n > 32) {
		memcpy(d, s, 32);
		memcpy(d + n - 32, s + n - 32, 32);
	} else {
		copy_short(d, s, n);
	}
}

/* A member at d: the key ",\"k\":" of kn bytes, then "s" (n bytes, plain)
 * or null. Returns the end. */
static inline char *
put_member(char *d, const char *key, size_t kn, const char *s, size_t n)
{
	memcpy(d, key, kn);
	d += kn;
	if (!s) {
		memcpy(d, "null", 4);
		return d + 4;
	}
	*d++ = '"';
	copy_piece(d, s, n);
	d += n;
	*d++ = '"';
	return d;
}

#define PUT_MEMBER(d, lit, s, n) put_member((d), ",\"" lit "\":", sizeof(",\"" lit "\":") - 1, (s), (n))

/* The length of a string s of a diagnosis for memo_write(): l, the one
 * analyze_item() noted with its copy c, unless s was replaced since (a NUL
 * inside is not plain, so the general writer, which measures, writes
 * those); 0 for NULL; SIZE_MAX when it needs escapes. plain: see below. */
static inline size_t
memo_strlen(const char *s, const char *c, uint32_t l, int plain)
{
	size_t n;

	if (!s)
		return 0;
	if (s == c && plain)
		return l;
	n = s == c ? l : strlen(s);
	return jw__all_plain((const unsigned char *)s, n) ? n : SIZE_MAX;
}

/* Diagnosis d, which took the remembered decision m whose JSON is kept:
 * the object's opening and "input" when `head` (input_no, 0 for null),
 * then everything after them: the kept pieces and the line's own strings
 * and offsets, written straight into the buffer once it is large enough
 * for all of them. Returns 0, having written nothing, when a string needs
 * escapes (the general writer does those). plain: input is the analysis's
 * own and every byte of it is plain, so the strings copied from it and the
 * evidence texts are not tested again. */
static int
memo_write(struct jsonw *w, const struct dmemo *m, const struct dmemo_use *u,
	   const struct cat_diagnosis *d, const char *input, size_t input_len, int plain, int head,
	   unsigned long input_no)
{
	size_t n0 = memo_strlen(d->recipient, u->str[0], u->len[0], plain),
	       n1 = memo_strlen(d->remote_host, u->str[1], u->len[1], plain),
	       n2 = memo_strlen(d->sender, u->str[2], u->len[2], plain),
	       n3 = memo_strlen(d->queue_id, u->str[3], u->len[3], plain),
	       n4 = memo_strlen(d->time, u->str[4], u->len[4], plain);
	size_t k, need = m->cut[1 + d->n_evidence] + 8 + 32;
	char *o;

	if (n0 == SIZE_MAX || n1 == SIZE_MAX || n2 == SIZE_MAX || n3 == SIZE_MAX || n4 == SIZE_MAX)
		return 0;
	need += n0 + n1 + n2 + n3 + n4 + DUSE_STRS * 20;
	/* two numbers, the keys, quotes and a brace an evidence, and its
	 * text: of a plain input, at most the input each (not measured) */
	need += d->n_evidence * (2 * 20 + 32);
	if (plain)
		need += d->n_evidence * input_len;
	for (k = 0; k < d->n_evidence && !plain; k++) {
		const struct cat_span *e = &d->evidence[k];

		if (input && e->end <= input_len) {
			if (!jw__all_plain((const unsigned char *)input + e->start, e->end - e->start))
				return 0;
			need += e->end - e->start;
		}
	}
	if (w->oom)
		return 0;
	if (w->len + need > w->cap) {
		size_t cap = w->cap ? w->cap : 256;
		char *p;

		while (cap < w->len + need)
			cap *= 2;
		if (!(p = realloc(w->buf, cap)))
			return 0; /* the general writer reports it */
		w->buf = p;
		w->cap = cap;
	}
	o = w->buf + w->len;
	if (head && input_no) {
		memcpy(o, "{\"input\":", 9);
		o = put_uint(o + 9, input_no);
	} else if (head) {
		memcpy(o, "{\"input\":null", 13);
		o += 13;
	}
	memcpy(o, m->json, m->cut[0]);
	o += m->cut[0];
	o = PUT_MEMBER(o, "recipient", d->recipient, n0);
	o = PUT_MEMBER(o, "remote_host", d->remote_host, n1);
	o = PUT_MEMBER(o, "sender", d->sender, n2);
	o = PUT_MEMBER(o, "queue_id", d->queue_id, n3);
	o = PUT_MEMBER(o, "time", d->time, n4);
	memcpy(o, m->json + m->cut[0], m->cut[1] - m->cut[0]);
	o += m->cut[1] - m->cut[0];
	for (k = 0; k < d->n_evidence; k++) {
		const struct cat_span *e = &d->evidence[k];
		size_t a = m->cut[k + 1], b = m->cut[k + 2];

		copy_piece(o, m->json + a, b - a);
		o += b - a;
		memcpy(o, ",\"start\":", 9);
		o = put_uint(o + 9, e->start);
		memcpy(o, ",\"end\":", 7);
		o = put_uint(o + 7, e->end);
		if (input && e->end <= input_len)
			o = PUT_MEMBER(o, "text", input + e->start, e->end - e->start);
		else
			o = PUT_MEMBER(o, "text", NULL, 0);
		*o++ = '}';
	}
	*o++ = ']';
	*o++ = '}';
	*o = '\0';
	w->len = (size_t)(o - w->buf);
	w->need_comma = 1;
	return 1;
}

/* One diagnosis as JSON; `from` (may be NULL) adds the file and message
 * members after "input". */
static enum cat_status
diagnosis_json(const struct cat_analysis *pub, size_t i, const char *input, size_t input_len,
	       unsigned long input_no, const struct cat_origin *from, char **buf, size_t *len,
	       size_t *cap)
{
	const struct analysis *an;
	const struct cat_diagnosis *d;
	struct jsonw w = { *buf, *len, *cap, 0, 0 };
	struct abounds ab;
	struct dmemo *m;
	size_t k, at[2 * (2 + DMEMO_EV)];

	/* a holder made by cat_analysis_move() has no caches to write with */
	if (!pub || i >= pub->n || !analysis_of_const(pub)->scratch)
		return CAT_EUSAGE;
	an = analysis_of_const(pub);
	if (pub->decoded) {
		input = pub->text;
		input_len = pub->text_len;
	}
	d = &pub->d[i];
	/* a delivered line that took a remembered decision writes the same
	 * members as every line that took it, but for the line's own
	 * strings and offsets: those pieces are copied whole (the first
	 * time, written and kept); see cat_diagnosis_json() too */
	m = memo_of(an, i);
	if (m && (d->n_evidence > DMEMO_EV || w.oom))
		m = NULL;
	jw_obj(&w);
	if (input_no) {
		JW_KEY_INT(&w, "input", (long long)input_no);
	} else {
		JW_KEY(&w, "input");
		jw_null(&w);
	}
	if (from) {
		JW_KEY_STR(&w, "file", from->file);
		if (from->message) {
			JW_KEY_INT(&w, "message", (long long)from->message);
		} else {
			JW_KEY(&w, "message");
			jw_null(&w);
		}
	}
	if (m && m->json &&
	    memo_write(&w, m, &an->scratch->dm_use[i], d, input, input_len,
		       input && input == an->scratch->plain_in && input_len == an->scratch->plain_len,
		       0, 0))
		goto out;
	/* the general writer: which strings the analysis made */
	abounds_init(&ab, an);
	if (m && m->json) {
		jw_members(&w, m->json, m->cut[0]);
	} else {
		at[0] = w.len;
		JW_KEY_STR(&w, "event", cat_event_name(d->event));
		if (d->reply) {
			JW_KEY_INT(&w, "reply_code", d->reply);
		} else {
			JW_KEY(&w, "reply_code");
			jw_null(&w);
		}
		JW_KEY_STR(&w, "enhanced_code", d->enhanced[0] ? d->enhanced : NULL);
		seg_write(an, &ab, &w, d, 0);
		at[1] = w.len;
	}
	JW_KEY_STR(&w, "recipient", d->recipient);
	JW_KEY_STR(&w, "remote_host", d->remote_host);
	JW_KEY_STR(&w, "sender", d->sender);
	JW_KEY_STR(&w, "queue_id", d->queue_id);
	JW_KEY_STR(&w, "time", d->time);
	if (m && m->json) {
		jw_members(&w, m->json + m->cut[0], m->cut[1] - m->cut[0]);
		w.need_comma = 0; /* it ends with the array's [ */
	} else {
		at[2] = w.len;
		seg_write(an, &ab, &w, d, 1);
		JW_KEY(&w, "evidence");
		jw_arr(&w);
		at[3] = w.len;
	}
	for (k = 0; k < d->n_evidence; k++) {
		const struct cat_span *e = &d->evidence[k];

		if (m && m->json) {
			jw_members(&w, m->json + m->cut[k + 1], m->cut[k + 2] - m->cut[k + 1]);
		} else if (m) {
			at[4 + 2 * k] = w.len;
			ev_open(an, &ab, &w, e->rule);
			at[5 + 2 * k] = w.len;
		} else {
			ev_open(an, &ab, &w, e->rule);
		}
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
	if (m && !m->json && !w.oom)
		memo_json_keep(m, w.buf, at, 2 + d->n_evidence);
out:
	*buf = w.buf;
	*len = w.len;
	*cap = w.cap;
	return w.oom ? CAT_ENOMEM : CAT_OK;
}

enum cat_status
cat_diagnosis_json(const struct cat_analysis *pub, size_t i, const char *input, size_t input_len,
		   unsigned long input_no, char **buf, size_t *len, size_t *cap)
{
	const struct analysis *an = pub ? analysis_of_const(pub) : NULL;
	const struct dmemo *m;

	/* most lines of a log: a remembered decision whose JSON is kept,
	 * the whole object written by memo_write() (its head too) */
	if (an && i < pub->n && an->scratch && (m = memo_of(an, i)) != NULL && m->json &&
	    pub->d[i].n_evidence <= DMEMO_EV) {
		struct jsonw w = { *buf, *len, *cap, 0, 0 };

		if (memo_write(&w, m, &an->scratch->dm_use[i], &pub->d[i], input, input_len,
			       input && input == an->scratch->plain_in &&
				       input_len == an->scratch->plain_len,
			       1, input_no)) {
			*buf = w.buf;
			*len = w.len;
			*cap = w.cap;
			return CAT_OK;
		}
	}
	return diagnosis_json(pub, i, input, input_len, input_no, NULL, buf, len, cap);
}

enum cat_status
cat_diagnosis_json_from(const struct cat_analysis *an, size_t i, const char *input,
			size_t input_len, const struct cat_origin *from, char **buf, size_t *len,
			size_t *cap)
{
	return diagnosis_json(an, i, input, input_len, 0, from, buf, len, cap);
}
