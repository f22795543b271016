/* analyze_rules.c: the catalog compiled into an analyzer, once (cat_analyzer_new). */
#include "analyze.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acm.h"
#include "builtin.h"
#include "db.h"
#include "util.h"

/* ------------------------------------------------------------ building */

int
rules_find_reason(const struct cat_analyzer *a, const char *id)
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

	if (sqlite3_prepare_v2(db_get(a->cat), sql, -1, &st, NULL) != SQLITE_OK)
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
	r->group = cat_group_of_name((const char *)sqlite3_column_text(st, 2));
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
	c->reason = rules_find_reason(a, (const char *)sqlite3_column_text(st, 5));
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

/* Folds s[0..n) in place as normalize_into() folds a bounce's text, and
 * returns the folded length: ASCII and Latin-1 letters to lower case
 * (UTF-8 C3 80..9E, U+00C0..U+00DE except U+00D7, become C3 A0..BE), the
 * capitals of Latin Extended-A and Cyrillic (letter_fold2()) and
 * typographic marks to their ASCII (punct_fold(), which shortens). The
 * result is NUL-terminated when it got shorter. */
static size_t
fold(unsigned char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char pa, low[2];
		size_t pk;

		if (s[i] >= 'A' && s[i] <= 'Z') {
			s[o++] = (unsigned char)(s[i] + 32);
		} else if (s[i] == 0xc3 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9e &&
			   s[i + 1] != 0x97) {
			s[o++] = s[i++];
			s[o++] = (unsigned char)(s[i] + 0x20);
		} else if ((s[i] == 0xc4 || s[i] == 0xc5 || s[i] == 0xd0) &&
			   letter_fold2(s + i, n - i, low)) {
			s[o++] = low[0];
			s[o++] = low[1];
			i++;
		} else if (s[i] >= 0xc2 && (pk = punct_fold(s + i, n - i, &pa)) > 0) {
			s[o++] = pa;
			i += pk - 1;
		} else {
			s[o++] = s[i];
		}
	}
	if (o < n)
		s[o] = 0;
	return o;
}

/* Adds text[0..len), folded, as pattern id; *folded (when not NULL)
 * becomes its folded length, the length a hit of it has. */
static int
add_pattern(struct cat_analyzer *a, const char *text, size_t len, int id, size_t *folded)
{
	char buf[512];

	if (folded)
		*folded = len;
	if (len == 0 || len >= sizeof(buf))
		return 0;
	memcpy(buf, text, len);
	len = fold((unsigned char *)buf, len);
	if (folded)
		*folded = len;
	return acm_add(a->acm, buf, len, id);
}

/* The gap a phrase's text has at s ("...", "<n>"), and its length; 0
 * when none. */
static size_t
gap_at(const char *s, enum gap *gap)
{
	if (strncmp(s, "...", 3) == 0) {
		*gap = GAP_WORDS;
		return 3;
	}
	if (strncmp(s, "<n>", 3) == 0) {
		*gap = GAP_NUMBER;
		return 3;
	}
	return 0;
}

/* The runs of a phrase's or marker's text between its gaps, trimmed of
 * spaces, each with the gap before it. */
enum { MAX_PARTS = 16 };
struct part_text {
	const char *b, *e;
	enum gap gap;
};

/* Splits body into pt[] and returns the number of parts; 0 when a part is
 * empty (a gap opens or closes the text, or follows another) or there are
 * more than MAX_PARTS: the text is then matched whole. */
static size_t
split_parts(const char *body, struct part_text *pt)
{
	const char *s = body, *run = body;
	enum gap gap = GAP_NONE, next = GAP_NONE;
	size_t n = 0, g;

	for (;;) {
		const char *b = run, *e = s;

		g = *s ? gap_at(s, &next) : 0;
		if (*s && !g) {
			s++;
			continue;
		}
		while (b < e && *b == ' ')
			b++;
		while (e > b && e[-1] == ' ')
			e--;
		if (e == b || n == MAX_PARTS)
			return 0;
		pt[n].b = b;
		pt[n].e = e;
		pt[n].gap = gap;
		n++;
		if (!*s)
			return n;
		gap = next;
		s += g;
		run = s;
	}
}

/* A phrase or marker with gaps becomes its parts (split_parts()), each a
 * pattern; one split into fewer than two is matched whole (*n_parts stays
 * 0). The parts belong to phrases[phrase] or markers[marker] (the other
 * -1); *part0 is the first, *len their lengths together. */
static enum cat_status
add_parts(struct cat_analyzer *a, int phrase, int marker, const char *body, int *part0, int *n_parts,
	  size_t *len, struct cat_error *err)
{
	struct part_text txt[MAX_PARTS];
	size_t first = a->n_parts, n = split_parts(body, txt), total = 0, k;

	if (n < 2)
		return CAT_OK;
	for (k = 0; k < n; k++) {
		struct a_part *pt = push((void **)&a->parts, &a->n_parts, sizeof(*pt));

		if (!pt)
			return cat_fail(err, CAT_ENOMEM, "out of memory");
		pt->phrase = phrase;
		pt->marker = marker;
		pt->k = (int)k;
		pt->gap = txt[k].gap;
		pt->len = (size_t)(txt[k].e - txt[k].b);
		if (add_pattern(a, txt[k].b, pt->len, PAT_ID(PAT_PART, (int)(a->n_parts - 1)), &pt->len))
			return cat_fail(err, CAT_ENOMEM, "out of memory");
		total += pt->len;
	}
	*part0 = (int)first;
	*n_parts = (int)n;
	*len = total;
	return CAT_OK;
}

static enum cat_status
row_marker(struct cat_analyzer *a, sqlite3_stmt *st, struct cat_error *err)
{
	int p = find_provider(a, (const char *)sqlite3_column_text(st, 0));
	const char *place = (const char *)sqlite3_column_text(st, 1);
	const char *strength = (const char *)sqlite3_column_text(st, 2);
	const char *body = (const char *)sqlite3_column_text(st, 3);
	const char *role = (const char *)sqlite3_column_text(st, 4);
	struct a_marker *m;

	if (p < 0 || !body)
		return CAT_OK;
	m = push((void **)&a->markers, &a->n_markers, sizeof(*m));
	if (!m)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	m->prov = p;
	m->strong = !strength || strcmp(strength, "weak") != 0;
	m->is_tag = place && strcmp(place, "tag") == 0;
	m->is_id = place && strcmp(place, "id") == 0;
	m->is_host = place && strcmp(place, "host") == 0;
	m->reporter = role && strcmp(role, "reporter") == 0;
	m->len = strlen(body);
	m->n_parts = 0;
	/* an id marker is matched whole: its shape around it is id_token()'s */
	if (!m->is_id && (strstr(body, "...") || strstr(body, "<n>"))) {
		int part0;
		enum cat_status s = add_parts(a, -1, (int)(a->n_markers - 1), body, &part0, &m->n_parts,
					      &m->len, err);

		if (s != CAT_OK || m->n_parts)
			return s;
	}
	if (add_pattern(a, body, m->len, PAT_ID(PAT_MARKER, (int)(a->n_markers - 1)), &m->len))
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	return CAT_OK;
}

/* Whether a tag holds both letters and digits (TSS04, BL000101): such a
 * tag names its entry wherever it stands; a plain word or number does not. */
static int
tag_mixed(const char *t)
{
	int alpha = 0, digit = 0;

	for (; *t; t++) {
		alpha |= isalpha((unsigned char)*t) != 0;
		digit |= isdigit((unsigned char)*t) != 0;
	}
	return alpha && digit;
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
	e->tag_word = e->tag && !tag_mixed(e->tag);
	e->rule = rule_name(a, "entry:", e->key, &oom);
	e->tag_rule = e->tag ? rule_name(a, "tag:", e->tag, &oom) : NULL;
	e->reason = rules_find_reason(a, (const char *)sqlite3_column_text(st, 8));
	e->meaning = col(a, st, 9, &oom);
	e->fix = col(a, st, 10, &oom);
	if (oom)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	if (e->tag && strlen(e->tag) >= 3 &&
	    add_pattern(a, e->tag, strlen(e->tag), PAT_ID(PAT_TAG, (int)(a->n_entries - 1)), NULL))
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
			f->len = fold((unsigned char *)(uintptr_t)f->text, len);
			if (add_pattern(a, start, len, PAT_ID(PAT_FRAG, (int)(a->n_frags - 1)), NULL))
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
	p->reason = rules_find_reason(a, (const char *)sqlite3_column_text(st, 1));
	p->cls = icol(st, 2, 0);
	parse_implied((const char *)sqlite3_column_text(st, 3), &p->isubj, &p->idet);
	p->weight = icol(st, 4, 5);
	p->subject_only = where && strcmp(where, "subject") == 0;
	{
		const char *ev = (const char *)sqlite3_column_text(st, 7);

		p->event = cat_event_of_name(ev);
	}
	p->len = body ? strlen(body) : 0;
	p->part0 = -1;
	p->n_parts = 0;
	if (oom)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	if (body && (strstr(body, "...") || strstr(body, "<n>"))) {
		enum cat_status s = add_parts(a, (int)(a->n_phrases - 1), -1, body, &p->part0, &p->n_parts,
					      &p->len, err);

		if (s != CAT_OK || p->n_parts)
			return s;
	}
	if (body && add_pattern(a, body, p->len, PAT_ID(PAT_PHRASE, (int)(a->n_phrases - 1)), &p->len))
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
		b->plen = fold((unsigned char *)(uintptr_t)b->prefix, b->plen);
	b->digits = icol(st, 2, 0);
	b->reply = icol(st, 3, 0);
	b->reason = rules_find_reason(a, (const char *)sqlite3_column_text(st, 4));
	return oom ? cat_fail(err, CAT_ENOMEM, "out of memory") : CAT_OK;
}

struct coverage {
	const struct cat_analyzer *a;
	int prov; /* the fragment's provider */
	unsigned char covered[400];
	size_t marker_len; /* the longest of its provider's markers in it */
};

static int
on_cover(void *arg, int id, size_t end)
{
	struct coverage *c = arg;
	size_t len, k;

	if (PAT_KIND(id) == PAT_MARKER && c->a->markers[PAT_INDEX(id)].prov == c->prov &&
	    c->a->markers[PAT_INDEX(id)].len > c->marker_len)
		c->marker_len = c->a->markers[PAT_INDEX(id)].len;
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
		c.prov = a->frags[i].entry >= 0 ? a->entries[a->frags[i].entry].prov : -1;
		acm_scan(a->acm, (const unsigned char *)a->frags[i].text, a->frags[i].len, on_cover, &c);
		/* "554 delivery error: dd <address> is no longer valid" opens
		 * with the provider's marker and nothing more: every reply of
		 * the provider opens so, and the words decide which it is */
		a->frags[i].marker = c.marker_len >= a->frags[i].len;
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

/* A provider text that is a standard reply's own text (RFC 5321's "550
 * Requested action not taken: mailbox unavailable") is what any server may
 * send: it is generic too, also where the provider's template puts it
 * after the address ("550 <address>: Requested action not taken: mailbox
 * unavailable" leaves the fragment ": requested action ..."). */
static enum cat_status
row_reply_title(struct cat_analyzer *a, sqlite3_stmt *st, struct cat_error *err)
{
	const char *title = (const char *)sqlite3_column_text(st, 0);
	unsigned char buf[400];
	size_t i, len = title ? strlen(title) : 0;

	(void)err;
	if (len < FRAG_MIN || len >= sizeof(buf))
		return CAT_OK;
	memcpy(buf, title, len);
	len = fold(buf, len);
	for (i = 0; i < a->n_frags; i++) {
		const char *t = a->frags[i].text;
		size_t n = a->frags[i].len;

		while (n > len && !isalnum((unsigned char)*t)) {
			t++;
			n--;
		}
		if (n == len && memcmp(t, buf, len) == 0)
			a->frags[i].generic = 1;
	}
	return CAT_OK;
}

static int
cmp_frag(const void *x, const void *y)
{
	const struct a_frag *f = *(const struct a_frag *const *)x, *g = *(const struct a_frag *const *)y;

	if (f->len != g->len)
		return f->len < g->len ? -1 : 1;
	return memcmp(f->text, g->text, f->len);
}

/* A fragment that several entries of one provider share (the "Service
 * unavailable; Client host [" of Postfix's refusal around each of a
 * blocklist's zones) cannot tell those entries apart: it names none of
 * them, and their own fragments decide. Entries of different providers
 * sharing one keep it, but as an MTA's template it is generic: it names
 * an entry only where a marker or the domain names that provider (the
 * "Service unavailable; Sender address [" of Postfix's sender-domain
 * lists named SURBL on a refusal that named dbl.spamhaus.org). */
static int
mark_shared_fragments(struct cat_analyzer *a)
{
	const struct a_frag **v;
	size_t i, j, k;

	if (a->n_frags < 2)
		return 0;
	v = malloc(a->n_frags * sizeof(*v));
	if (!v)
		return -1;
	for (i = 0; i < a->n_frags; i++)
		v[i] = &a->frags[i];
	qsort(v, a->n_frags, sizeof(*v), cmp_frag);
	for (i = 0; i < a->n_frags; i = j) {
		for (j = i + 1; j < a->n_frags && cmp_frag(&v[i], &v[j]) == 0; j++)
			;
		for (k = i; k < j; k++) {
			size_t m;

			if (v[k]->entry < 0)
				continue;
			for (m = i; m < j; m++) {
				if (v[m]->entry < 0 || v[m]->entry == v[k]->entry)
					continue;
				if (a->entries[v[m]->entry].prov == a->entries[v[k]->entry].prov)
					a->frags[v[k] - a->frags].shared = 1;
				else
					a->frags[v[k] - a->frags].generic = 1;
			}
		}
	}
	free(v);
	return 0;
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
			size_t k = fnv1a32(d, strlen(d)) & (cap - 1);

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
void
rules_prov_entries(const struct cat_analyzer *a, int prov, int reply, size_t *lo, size_t *hi)
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

/* The provider whose domain is dom[0..dlen) (lower case, NUL-terminated), or -1. */
int
rules_domain_provider(const struct cat_analyzer *a, const char *dom, size_t dlen)
{
	size_t i;

	for (i = fnv1a32(dom, dlen) & (a->n_doms - 1); a->doms[i].name; i = (i + 1) & (a->n_doms - 1))
		if (a->doms[i].name[0] == dom[0] && strcmp(a->doms[i].name, dom) == 0)
			return a->doms[i].prov;
	return -1;
}

/* The built-in catalog's analyzer as tools/mkanalyzer compiled it: its
 * arrays and automaton are used where they are, read-only, and only the
 * handle is allocated. Building it from the database costs about 40 M
 * instructions (the automaton of some 39,000 states, the fragments' and
 * phrases' marks), most of `bounce explain`'s start. */
static enum cat_status
analyzer_from_image(struct catalog *cat, const struct cat_analyzer *img, const struct acm_tables *t,
		    struct cat_analyzer **out, struct cat_error *err)
{
	struct cat_analyzer *a = malloc(sizeof(*a));

	if (!a)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	*a = *img;
	a->cat = cat;
	a->arena = NULL;
	a->max_input = DEFAULT_MAX_INPUT;
	a->from_image = 1;
	a->acm = acm_wrap(t);
	if (!a->acm) {
		free(a);
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	}
	*out = a;
	return CAT_OK;
}

enum cat_status
cat_analyzer_new(struct catalog *cat, struct cat_analyzer **out, struct cat_error *err)
{
	if (!cat || !out)
		return cat_fail(err, CAT_EUSAGE, "cat_analyzer_new: bad arguments");
	*out = NULL;
	if (!cat->ready)
		return cat_fail(err, CAT_ESTATE, "the catalog is not ready");
	/* the image answers for the built-in database alone: a file loaded on
	 * top (which takes the database out of the image) may add or replace
	 * anything the analyzer reads */
	if (cat->builtin_image) {
		const struct cat_analyzer *img = cat_builtin_analyzer();
		const struct acm_tables *t = cat_builtin_acm();

		if (img && t)
			return analyzer_from_image(cat, img, t, out, err);
	}
	return rules_build(cat, out, err);
}

/* Each reason's own reading as a refusal by our server: the catalog's
 * reason "refused_<id>", when it has one. */
static void
find_refusal_reasons(struct cat_analyzer *a)
{
	size_t i;

	for (i = 0; i < a->n_reasons; i++) {
		char id[96];
		struct a_reason *r = &a->reasons[i];

		r->refusal = -1;
		if (r->id && (size_t)snprintf(id, sizeof(id), "refused_%s", r->id) < sizeof(id))
			r->refusal = rules_find_reason(a, id);
	}
}

enum cat_status
rules_build(struct catalog *cat, struct cat_analyzer **out, struct cat_error *err)
{
	struct cat_analyzer *a;
	enum cat_status s = CAT_OK;

	*out = NULL;
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
		     " WHERE kind = kind_id('reason') ORDER BY id",
		     row_reason, err);
	if (s == CAT_OK)
		s = each_row(a,
			     "SELECT kind, reply, esubj, elo, key, reason, meaning, fix FROM entry"
			     " WHERE kind IN (kind_id('reply'), kind_id('enhanced')) ORDER BY id",
			     row_code, err);
	if (s == CAT_OK)
		s = each_row(a,
			     "SELECT provider FROM entry WHERE kind = kind_id('provider') ORDER BY id",
			     row_provider, err);
	if (s == CAT_OK)
		s = each_row(a, "SELECT provider, name FROM domain", row_domain, err);
	if (s == CAT_OK)
		s = each_row(a, "SELECT provider, place, strength, body, role FROM marker", row_marker, err);
	if (s == CAT_OK)
		s = each_row(a,
			     "SELECT e.key, e.provider, e.reply, e.ecls, e.esubj, e.elo, e.ehi, e.tag,"
			     " COALESCE(e.reason, g.reason), e.meaning, e.fix FROM entry e"
			     " LEFT JOIN entry g ON g.kind = kind_id('enhanced') AND g.esubj = e.esubj AND g.elo = e.elo"
			     "  AND e.elo = e.ehi"
			     " WHERE e.kind = kind_id('provider-entry') ORDER BY e.id",
			     row_entry, err);
	if (s == CAT_OK)
		s = each_row(a,
			     "SELECT e.key, t.body FROM text t JOIN entry e ON e.id = t.entry"
			     " WHERE e.kind = kind_id('provider-entry') ORDER BY t.entry, t.pos",
			     row_text, err);
	if (s == CAT_OK)
		s = each_row(a,
			     "SELECT id, reason, cls, implies, weight, place, body, event FROM phrase"
			     " ORDER BY rowid",
			     row_phrase, err);
	if (s == CAT_OK)
		s = each_row(a,
			     "SELECT provider, prefix, digits, reply, reason FROM bitflags ORDER BY id",
			     row_bitflags, err);
	if (s == CAT_OK && acm_build(a->acm) != 0)
		s = cat_fail(err, CAT_ENOMEM, "out of memory");
	if (s == CAT_OK) {
		mark_generic_fragments(a);
		s = each_row(a,
			     "SELECT title FROM entry WHERE kind = kind_id('reply') AND status = 'standard'",
			     row_reply_title, err);
	}
	if (s == CAT_OK && mark_shared_fragments(a) != 0)
		s = cat_fail(err, CAT_ENOMEM, "out of memory");
	if (s == CAT_OK)
		index_codes(a);
	if (s == CAT_OK && (index_by_provider(a) != 0 || index_domains(a) != 0))
		s = cat_fail(err, CAT_ENOMEM, "out of memory");
#define A_REASON_FIND(field, id)                                                                   \
	if (s == CAT_OK && (a->field = rules_find_reason(a, id)) < 0)                                    \
		s = cat_fail(err, CAT_EREF, "the catalog has no reason \"%s\", which the analyzer needs", \
			     id);
	A_REASON_LIST(A_REASON_FIND)
#undef A_REASON_FIND
	a->r_refusal_warning = rules_find_reason(a, "refusal_warning");
	if (s == CAT_OK)
		find_refusal_reasons(a);
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
	if (a->from_image) { /* its arrays are the image's */
		free(a);
		return;
	}
	for (i = 0; i < a->n_provs; i++)
		free(a->provs[i].domains);
	free(a->reasons);
	free(a->replies);
	free(a->enh);
	free(a->entries);
	free(a->provs);
	free(a->phrases);
	free(a->parts);
	free(a->markers);
	free(a->frags);
	free(a->bitflags);
	free(a->by_prov);
	free(a->prov_off);
	free(a->doms);
	arena_free(a->arena);
	free(a);
}
