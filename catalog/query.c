/* query.c: lookups, lists, search and full entries. */
#include "query.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "lookup.h"
#include "result.h"
#include "util.h"

enum { SEARCH_DEFAULT_LIMIT = 50, RANK_ALL_MAX = 5000, MAX_TOKENS = 32 };

/* ------------------------------------------------------------ rows into results */

/* The class a severity word (success, informational, soft, hard) names;
 * NONE for NULL. */
static enum cat_class
class_of_severity(const unsigned char *word)
{
	int c;

	for (c = 1; word && c < CAT_CLASS_COUNT; c++)
		if (strcmp(cat_class_severity((enum cat_class)c), (const char *)word) == 0)
			return (enum cat_class)c;
	return CAT_CLASS_NONE;
}

/* The row ids already in a result, as an open-addressing hash set: a list of
 * 100,000 entries checked each row against all rows before it was
 * quadratic (seconds for one provider's list). */
struct idset {
	int64_t *slot; /* 0: empty (row ids start at 1) */
	size_t mask;
	size_t n;
};

static size_t
idset_hash(int64_t id, size_t mask)
{
	uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15u;

	return (size_t)(h >> 32) & mask;
}

/* Adds id; returns 1 if it was there, 0 if added, -1 on out of memory. */
static int
idset_add(struct idset *s, int64_t id)
{
	size_t i;

	if (id == 0)
		return 0;
	if (2 * (s->n + 1) > s->mask + 1 || !s->slot) {
		size_t cap = s->slot ? 2 * (s->mask + 1) : 64, k;
		int64_t *old = s->slot, *nw = calloc(cap, sizeof(*nw));
		size_t oldcap = s->slot ? s->mask + 1 : 0;

		if (!nw)
			return -1;
		s->slot = nw;
		s->mask = cap - 1;
		for (k = 0; k < oldcap; k++)
			if (old[k]) {
				for (i = idset_hash(old[k], s->mask); nw[i]; i = (i + 1) & s->mask)
					;
				nw[i] = old[k];
			}
		free(old);
	}
	for (i = idset_hash(id, s->mask); s->slot[i]; i = (i + 1) & s->mask)
		if (s->slot[i] == id)
			return 1;
	s->slot[i] = id;
	s->n++;
	return 0;
}

static const char *
col_str(struct cat_result *res, sqlite3_stmt *st, int col, int *oom)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	char *copy;

	if (!s)
		return NULL;
	copy = arena_strndup(res->arena, (const char *)s, (size_t)sqlite3_column_bytes(st, col));
	if (!copy)
		*oom = 1;
	return copy;
}

static int
col_int(sqlite3_stmt *st, int col, int dflt)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? dflt : sqlite3_column_int(st, col);
}

/* How each kind of field of ENTRY_FIELDS (db.h) is copied from its column;
 * the fields the engine fills are set by copy_row() and fill_details(). */
#define COPY_KEY(f) e->f = col_str(res, st, EC_##f, &oom);
#define COPY_KIND(f) e->f = (enum cat_kind)sqlite3_column_int(st, EC_##f);
#define COPY_TEXT(f) e->f = col_str(res, st, EC_##f, &oom);
#define COPY_TEXT_(f) COPY_TEXT(f)
#define COPY_INT(f) e->f = col_int(st, EC_##f, 0);
#define COPY_NUM(f) e->f = col_int(st, EC_##f, -1);
#define COPY_NUM_(f) COPY_NUM(f)
#define COPY_DETAIL(f) COPY_NUM(f)
#define COPY_BOOL(f) e->f = col_int(st, EC_##f, 0);
#define COPY_SEVERITY(f) e->f = class_of_severity(sqlite3_column_text(st, EC_##f));
#define COPY_TYPE(f) e->f = cat_type_of_name((const char *)sqlite3_column_text(st, EC_##f));
#define COPY_GROUP(f) e->f = cat_group_of_name((const char *)sqlite3_column_text(st, EC_##f));
#define COPY_ACTION(f) e->f = cat_action_of_name((const char *)sqlite3_column_text(st, EC_##f));
#define COPY_ACTION_(f) COPY_ACTION(f)
#define COPY_EXTRA(f) e->f = (enum cat_extra)col_int(st, EC_##f, CAT_EXTRA_NONE);
#define COPY_CALC(f)
#define COPY_ARRAY(f)
#define COPY_FIELD(how, field, column, member) COPY_##how(field)

/* Copies the current row (enum entry_col) into a new entry of res. `cls` is
 * the class the query asked about (0: the entry's own), or QUERY_RAW for
 * the row as stored (tools/mklookup). */
static enum cat_status
copy_row(struct cat_result *res, sqlite3_stmt *st, int cls, enum cat_match m, struct cat_error *err)
{
	struct cat_entry *e;
	int oom = 0;
	int64_t id = sqlite3_column_int64(st, EC_ID);

	e = result_add(res, m);
	if (!e)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	e->id = id;
	ENTRY_FIELDS(COPY_FIELD)
	if (cls != QUERY_RAW && result_in_class(res, e, cls) != 0)
		oom = 1;
	if (oom)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	return CAT_OK;
}

/* The row of entry `id` (ST_Q_ROW) into a new entry of res, as copy_row();
 * nothing when there is none. */
static enum cat_status
push_id(struct catalog *cat, struct cat_result *res, int64_t id, int cls, enum cat_match m,
	struct cat_error *err)
{
	sqlite3_stmt *st = db_stmt(cat, ST_Q_ROW);
	enum cat_status s = CAT_OK;
	int rc;

	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return db_fail(cat, err, "query");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		s = copy_row(res, st, cls, m, err);
	else if (rc != SQLITE_DONE)
		s = db_fail(cat, err, "query");
	sqlite3_reset(st);
	return s;
}

/* Steps st to the end, pushing each row not yet in res; *rows (if given)
 * counts the rows found, pushed or not. The rows are entry rows (enum
 * entry_col), or when `ids` is set only their ids, whose rows push_id()
 * reads. */
static enum cat_status
push_rows_ids(struct catalog *cat, struct cat_result *res, sqlite3_stmt *st, int ids, int cls,
	      enum cat_match m, size_t *rows, struct cat_error *err)
{
	enum cat_status s = CAT_OK;
	struct idset seen = { NULL, 0, 0 };
	size_t i;
	int rc = SQLITE_DONE;

	for (i = 0; s == CAT_OK && i < res->n; i++)
		if (idset_add(&seen, res->entries[i].id) < 0)
			s = cat_fail(err, CAT_ENOMEM, "out of memory");
	while (s == CAT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		if (rows)
			(*rows)++;
		switch (idset_add(&seen, id)) {
		case 1:
			continue;
		case -1:
			s = cat_fail(err, CAT_ENOMEM, "out of memory");
			continue;
		}
		s = ids ? push_id(cat, res, id, cls, m, err) : copy_row(res, st, cls, m, err);
	}
	if (s == CAT_OK && rc != SQLITE_DONE)
		s = db_fail(cat, err, "query");
	sqlite3_reset(st);
	free(seen.slot);
	return s;
}

static enum cat_status
push_rows_n(struct catalog *cat, struct cat_result *res, sqlite3_stmt *st, int cls,
	    enum cat_match m, size_t *rows, struct cat_error *err)
{
	return push_rows_ids(cat, res, st, 0, cls, m, rows, err);
}

/* push_rows_ids() of a statement of ids */
static enum cat_status
push_ids(struct catalog *cat, struct cat_result *res, sqlite3_stmt *st, int cls, enum cat_match m,
	 size_t *rows, struct cat_error *err)
{
	return push_rows_ids(cat, res, st, 1, cls, m, rows, err);
}

static enum cat_status
push_rows(struct catalog *cat, struct cat_result *res, sqlite3_stmt *st, int cls,
	  enum cat_match m, struct cat_error *err)
{
	return push_rows_n(cat, res, st, cls, m, NULL, err);
}

static enum cat_status
push_key(struct catalog *cat, struct cat_result *res, const char *key, int cls, enum cat_match m,
	 int *found, struct cat_error *err)
{
	sqlite3_stmt *st = db_stmt(cat, ST_Q_KEY);
	size_t rows = 0;
	enum cat_status s;

	if (db_bind_text(st, 1, key) != SQLITE_OK)
		return db_fail(cat, err, "lookup");
	s = push_ids(cat, res, st, cls, m, &rows, err);
	if (found)
		*found = rows > 0;
	return s;
}

/* ------------------------------------------------------------ providers */

const char *
cat_provider_id(struct catalog *cat, const char *name)
{
	sqlite3_stmt *st;
	const char *id = NULL;

	if (!cat || !name || !*name)
		return NULL;
	/* the lookup image holds every name of the built-in providers */
	if (lk_of(cat))
		return lk_provider_id(lk_of(cat), name);
	st = db_stmt(cat, ST_Q_ALIAS);
	if (db_bind_text(st, 1, name) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);

		/* provider ids are few: keep one copy of each in the catalog arena */
		if (v)
			id = query_intern(cat, v);
	}
	sqlite3_reset(st);
	return id;
}

enum cat_status
cat_provider_names(struct catalog *cat, char ***names, size_t *n, struct cat_error *err)
{
	sqlite3_stmt *st;
	size_t count = 0, bytes = 0, i;
	char **v = NULL, *p;
	int rc;

	if (!cat || !names || !n)
		return cat_fail(err, CAT_EUSAGE, "cat_provider_names: bad arguments");
	*names = NULL;
	*n = 0;
	if (!cat->ready)
		return cat_fail(err, CAT_ESTATE, "the catalog is not ready");
	/* two passes: the sizes, then one block of pointers and strings */
	st = db_stmt(cat, ST_Q_NAMES);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		count++;
		bytes += (size_t)sqlite3_column_bytes(st, 0) + 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(cat, err, "provider names");
	v = malloc((count + 1) * sizeof(*v) + bytes);
	if (!v)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	p = (char *)(v + count + 1);
	for (i = 0; i < count && sqlite3_step(st) == SQLITE_ROW; i++) {
		size_t len = (size_t)sqlite3_column_bytes(st, 0);
		const unsigned char *t = sqlite3_column_text(st, 0);

		memcpy(p, t ? (const char *)t : "", t ? len : 0);
		p[t ? len : 0] = '\0';
		v[i] = p;
		p += len + 1;
	}
	sqlite3_reset(st);
	v[i] = NULL;
	*names = v;
	*n = i;
	return CAT_OK;
}

const char *
query_intern(struct catalog *cat, const char *s)
{
	struct interned {
		struct interned *next;
		char s[];
	};
	static const size_t hdr = sizeof(struct interned);
	struct interned **head = (struct interned **)&cat->interned, *n;

	for (n = *head; n; n = n->next)
		if (strcmp(n->s, s) == 0)
			return n->s;
	n = arena_alloc(cat->arena, hdr + strlen(s) + 1);
	if (!n)
		return NULL;
	strcpy(n->s, s);
	n->next = *head;
	*head = n;
	return n->s;
}

/* ------------------------------------------------------------ decoded tags */

/* What a decoded tag's reason and impact say (their titles, the reason's
 * type, group and action), as the joins of ENTRY_COLS give them to an
 * entry of the catalog. */
static enum cat_status
decoded_words(struct catalog *cat, struct cat_result *res, struct cat_entry *e,
	      struct cat_error *err)
{
	struct cat_result *tmp = NULL;
	enum cat_status s = CAT_OK;
	char key[160];
	int found = 0, oom = 0;

	if (e->reason) {
		tmp = result_new(err);
		if (!tmp)
			return CAT_ENOMEM;
		snprintf(key, sizeof(key), "reason:%s", e->reason);
		s = push_key(cat, tmp, key, 0, CAT_MATCH_OTHER, &found, err);
		if (s == CAT_OK && found) {
			const struct cat_entry *r = &tmp->entries[0];

			e->reason_title = r->title ? arena_strdup(res->arena, r->title) : NULL;
			e->reason_type = r->reason_type;
			e->reason_group = r->reason_group;
			e->action = r->action ? arena_strdup(res->arena, r->action) : NULL;
			e->action_id = e->cls == 4 && r->action_transient != CAT_ACTION_UNSET
					       ? r->action_transient
					       : r->action_id;
			e->action_transient = r->action_transient;
			oom |= (r->title && !e->reason_title) || (r->action && !e->action);
			if (!e->impact && r->impact) {
				e->impact = arena_strdup(res->arena, r->impact);
				oom |= !e->impact;
			}
		}
		cat_result_free(tmp);
		tmp = NULL;
	}
	if (s == CAT_OK && e->impact) {
		tmp = result_new(err);
		if (!tmp)
			return CAT_ENOMEM;
		snprintf(key, sizeof(key), "impact:%s", e->impact);
		s = push_key(cat, tmp, key, 0, CAT_MATCH_OTHER, &found, err);
		if (s == CAT_OK && found) {
			const struct cat_entry *i = &tmp->entries[0];

			e->impact_title = i->title ? arena_strdup(res->arena, i->title) : NULL;
			e->impact_level = i->impact_level ? arena_strdup(res->arena, i->impact_level)
							  : NULL;
			oom |= (i->title && !e->impact_title) || (i->impact_level && !e->impact_level);
		}
		cat_result_free(tmp);
	}
	if (s == CAT_OK && oom)
		s = cat_fail(err, CAT_ENOMEM, "out of memory");
	return s;
}

/* Decodes a tag of a bit-flag family (Comcast's BL000101) into a synthetic
 * entry. *found is 0 when no family matches or a digit is not 0/1. */
static enum cat_status
push_decoded(struct catalog *cat, struct cat_result *res, const char *tag, int *found,
	     struct cat_error *err)
{
	sqlite3_stmt *st = db_stmt(cat, ST_Q_BITFLAGS);
	enum cat_status s = CAT_OK;
	int rc;

	*found = 0;
	if (db_bind_text(st, 1, tag) != SQLITE_OK)
		return db_fail(cat, err, "decode tag");
	while (s == CAT_OK && !*found && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t bid = sqlite3_column_int64(st, 0);
		size_t plen = (size_t)sqlite3_column_bytes(st, 3);
		int digits = sqlite3_column_int(st, 4), i, oom = 0, any = 0;
		const char *bits = tag + plen;
		struct cat_entry *e;
		struct cat_note *notes;
		struct strbuf names = { 0 };
		sqlite3_stmt *fl;

		for (i = 0; i < digits; i++)
			if (bits[i] != '0' && bits[i] != '1')
				break;
		if (i < digits)
			continue;
		e = result_add(res, CAT_MATCH_PROVIDER);
		notes = e ? arena_alloc(res->arena, (size_t)digits * sizeof(*notes)) : NULL;
		if (!e || !notes) {
			s = cat_fail(err, CAT_ENOMEM, "out of memory");
			break;
		}
		*found = 1;
		e->kind = CAT_KIND_DECODED;
		{
			char *key = arena_strdup(res->arena, tag);

			for (char *p = key; p && *p; p++)
				*p = (char)toupper((unsigned char)*p);
			e->key = key;
			if (!key)
				oom = 1;
		}
		e->code = e->key;
		e->tag = e->key;
		e->status = "decoded";
		e->provider = col_str(res, st, 1, &oom);
		e->provider_name = col_str(res, st, 2, &oom);
		e->reply = col_int(st, 5, 0);
		e->cls = e->reply / 100;
		e->severity = cat_class_of_digit(e->cls);
		e->reason = col_str(res, st, 6, &oom);
		e->impact = col_str(res, st, 7, &oom);
		e->meaning = col_str(res, st, 10, &oom);
		e->causes = col_str(res, st, 11, &oom);
		e->fix = col_str(res, st, 12, &oom);
		e->origin = col_str(res, st, 14, &oom);
		e->line = sqlite3_column_int(st, 15);
		if (sqlite3_column_type(st, 13) != SQLITE_NULL) {
			struct cat_source *src = arena_alloc(res->arena, sizeof(*src));

			if (src) {
				src->title = col_str(res, st, 13, &oom);
				e->sources = src;
				e->n_sources = 1;
			} else {
				oom = 1;
			}
		}
		/* one note per digit, the rightmost digit is position 1 */
		fl = db_stmt(cat, ST_Q_FLAGS);
		if (sqlite3_bind_int64(fl, 1, bid) != SQLITE_OK) {
			s = db_fail(cat, err, "decode tag");
			break;
		}
		while ((rc = sqlite3_step(fl)) == SQLITE_ROW) {
			int pos = sqlite3_column_int(fl, 0);
			const char *name = (const char *)sqlite3_column_text(fl, 1);
			int set;
			char body[512];

			if (pos < 1 || pos > digits || !name)
				continue;
			set = bits[digits - pos] == '1';
			snprintf(body, sizeof(body), "%s: %s", name, set ? "listed" : "not listed");
			notes[e->n_notes].kind = CAT_NOTE_FLAG;
			notes[e->n_notes].num = pos;
			notes[e->n_notes].body = arena_strdup(res->arena, body);
			if (!notes[e->n_notes].body)
				oom = 1;
			e->n_notes++;
			if (set) {
				if (any)
					strbuf_add(&names, " + ", 3);
				strbuf_add(&names, name, strlen(name));
				any = 1;
			}
		}
		sqlite3_reset(fl);
		/* digits set with no known flag */
		for (i = 1; i <= digits; i++) {
			if (bits[digits - i] != '1')
				continue;
			int known = 0;

			for (size_t k = 0; k < e->n_notes; k++)
				if (notes[k].num == i)
					known = 1;
			if (!known) {
				char unk[64];

				snprintf(unk, sizeof(unk), "%sunknown flag (digit %d)", any ? " + " : "", i);
				strbuf_add(&names, unk, strlen(unk));
				any = 1;
			}
		}
		e->notes = notes;
		{
			const char *title = (const char *)sqlite3_column_text(st, 8);
			const char *none = (const char *)sqlite3_column_text(st, 9);
			char buf[768];

			snprintf(buf, sizeof(buf), "%s: %s", title ? title : "",
				 any ? (names.data ? names.data : "") : (none ? none : ""));
			e->title = arena_strdup(res->arena, buf);
			if (!e->title)
				oom = 1;
		}
		strbuf_free(&names);
		if (oom)
			s = cat_fail(err, CAT_ENOMEM, "out of memory");
	}
	sqlite3_reset(st);
	if (s == CAT_OK && *found)
		s = decoded_words(cat, res, &res->entries[res->n - 1], err);
	return s;
}

/* ------------------------------------------------------------ lookup */

struct enh {
	int cls; /* 0 for X */
	int subj;
	int detail;
};

struct parsed {
	int replies[MAX_TOKENS];
	size_t n_replies;
	struct enh enh[MAX_TOKENS];
	size_t n_enh;
	struct enh subjects[MAX_TOKENS]; /* detail unused */
	size_t n_subjects;
	int classes[MAX_TOKENS];
	size_t n_classes;
	const char *tags[MAX_TOKENS];
	size_t n_tags;
	unsigned char weak[MAX_TOKENS]; /* tags[i] is a word in capitals: a tag only if found */
	const char *keys[MAX_TOKENS];
	size_t n_keys;
	const char *idents[MAX_TOKENS]; /* NoSuchUser: words shaped like identifiers */
	size_t n_idents;
	const char *unknown[MAX_TOKENS]; /* words that are none of the above */
	size_t n_unknown;
	const char *provider; /* interned id */
	int order[4 * MAX_TOKENS]; /* generic tokens in input order: kind<<8 | index */
	size_t n_order;
};

enum { TOK_REPLY = 1, TOK_ENH, TOK_SUBJ, TOK_CLASS, TOK_KEY };

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return n > 0;
}

/* "5.1.1", "X.1.1", "5.7.620" -> enh; returns 1 on success */
static int
parse_enh_token(const char *s, struct enh *out, int want_detail)
{
	int cls;
	const char *p = s, *dot;
	long v;
	char *end;

	if (*p == 'X' || *p == 'x')
		cls = 0;
	else if (*p >= '2' && *p <= '5')
		cls = *p - '0';
	else
		return 0;
	if (p[1] != '.')
		return 0;
	p += 2;
	dot = strchr(p, '.');
	if (!want_detail) {
		if (dot || !all_digits(p, strlen(p)) || strlen(p) > 3)
			return 0;
		out->cls = cls;
		out->subj = atoi(p);
		out->detail = -1;
		return 1;
	}
	if (!dot || !all_digits(p, (size_t)(dot - p)) || dot - p > 3)
		return 0;
	if (!all_digits(dot + 1, strlen(dot + 1)) || strlen(dot + 1) > 3)
		return 0;
	v = strtol(p, &end, 10);
	out->cls = cls;
	out->subj = (int)v;
	out->detail = atoi(dot + 1);
	return 1;
}

static void
add_order(struct parsed *pq, int kind, size_t idx)
{
	if (pq->n_order < sizeof(pq->order) / sizeof(pq->order[0]))
		pq->order[pq->n_order++] = kind << 8 | (int)idx;
}

/* Four dot-separated numbers of one to three digits: an IPv4 address. */
static int
is_dotted_quad(const char *s)
{
	int parts = 0, digits = 0;

	for (;; s++) {
		if (isdigit((unsigned char)*s)) {
			if (++digits > 3)
				return 0;
		} else if ((*s == '.' || *s == '\0') && digits) {
			parts++;
			digits = 0;
			if (*s == '\0')
				return parts == 4;
		} else {
			return 0;
		}
	}
}

static int
has_alpha_and_digit(const char *s)
{
	int a = 0, d = 0;

	for (; *s; s++) {
		if (isalpha((unsigned char)*s))
			a = 1;
		else if (isdigit((unsigned char)*s))
			d = 1;
	}
	return a && d;
}

/* A word shaped like a program's identifier, NoSuchUser, IPv6AuthError or
 * RfcMessageNonCompliant: a letter, then letters and digits, an upper-case
 * letter after a lower-case one, at least 6 long. Ordinary words are not,
 * nor codes and tags (no lower case before a capital). */
static int
is_ident_word(const char *s)
{
	size_t n = 0;
	int lower = 0, camel = 0;

	if (!isalpha((unsigned char)*s))
		return 0;
	for (; *s; s++, n++) {
		if (isdigit((unsigned char)*s))
			continue;
		if (!isalpha((unsigned char)*s))
			return 0;
		if (islower((unsigned char)*s))
			lower = 1;
		else if (lower)
			camel = 1;
	}
	return camel && n >= 6;
}

/* Whether a word or a number is an entry's tag: a sending service's own
 * codes are such (Mailgun's 605, Postmark's HardBounce, SES's
 * OnAccountSuppressionList). Only a tag that exists counts, and only with
 * a capital or a digit, so that the other words of a query ("gmail
 * mailbox full", "ztblk") stay what they were. */
static int
is_word_tag(struct catalog *cat, const char *tok)
{
	sqlite3_stmt *st;
	const char *p;
	int found;

	/* as the service prints it: a word in lower case is a word, not a tag
	 * (the tag column ignores case); an underscore makes it an identifier
	 * (Brevo's event names, hard_bounce) */
	for (p = tok; *p && !isupper((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_'; p++)
		;
	if (!*p)
		return 0;
	st = db_stmt(cat, ST_Q_TAG);

	found = db_bind_text(st, 1, tok) == SQLITE_OK && db_bind_text(st, 2, NULL) == SQLITE_OK &&
		sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

/* Three or more capital letters and nothing else: CXBL, SUSPEND. */
static int
is_capitals(const char *s)
{
	const char *p = s;

	while (*p >= 'A' && *p <= 'Z')
		p++;
	return !*p && p - s >= 3;
}

/* One to three letters, a colon, then letters or digits: DT:SPM, MI:SFQ. */
static int
is_colon_tag(const char *s)
{
	const char *colon = strchr(s, ':'), *p;

	if (!colon || colon == s || colon - s > 3 || !colon[1])
		return 0;
	for (p = s; p < colon; p++)
		if (!isalpha((unsigned char)*p))
			return 0;
	for (p = colon + 1; *p; p++)
		if (!isalnum((unsigned char)*p))
			return 0;
	return 1;
}

/* Classifies one token (already stripped of brackets and punctuation). */
static void
classify(struct catalog *cat, struct parsed *pq, char *tok)
{
	size_t len = strlen(tok);
	struct enh e;
	char *dash;

	if (len == 0)
		return;
	/* 550-5.1.1: a continuation line of a multi-line reply */
	dash = strchr(tok, '-');
	if (dash && dash - tok == 3 && all_digits(tok, 3) && parse_enh_token(dash + 1, &e, 1)) {
		*dash = '\0';
		classify(cat, pq, tok);
		classify(cat, pq, dash + 1);
		return;
	}
	if (len == 3 && all_digits(tok, 3) && tok[0] >= '1' && tok[0] <= '5') {
		if (pq->n_replies < MAX_TOKENS) {
			pq->replies[pq->n_replies] = atoi(tok);
			add_order(pq, TOK_REPLY, pq->n_replies++);
		}
		/* and a service's own code that looks like one (Postmark's
		 * API error 406) */
		if (is_word_tag(cat, tok) && pq->n_tags < MAX_TOKENS)
			pq->tags[pq->n_tags++] = tok;
		return;
	}
	if (parse_enh_token(tok, &e, 1)) {
		if (pq->n_enh < MAX_TOKENS) {
			pq->enh[pq->n_enh] = e;
			add_order(pq, TOK_ENH, pq->n_enh++);
		}
		return;
	}
	if (parse_enh_token(tok, &e, 0)) {
		if (pq->n_subjects < MAX_TOKENS) {
			pq->subjects[pq->n_subjects] = e;
			add_order(pq, TOK_SUBJ, pq->n_subjects++);
		}
		return;
	}
	/* 5xx, 5.x.x, class:5 */
	if ((len == 3 && tok[0] >= '2' && tok[0] <= '5' && tolower((unsigned char)tok[1]) == 'x' &&
	     tolower((unsigned char)tok[2]) == 'x') ||
	    (len == 5 && tok[0] >= '2' && tok[0] <= '5' && tok[1] == '.' &&
	     tolower((unsigned char)tok[2]) == 'x' && tok[3] == '.' &&
	     tolower((unsigned char)tok[4]) == 'x')) {
		if (pq->n_classes < MAX_TOKENS) {
			pq->classes[pq->n_classes] = tok[0] - '0';
			add_order(pq, TOK_CLASS, pq->n_classes++);
		}
		return;
	}
	if (!pq->provider) {
		const char *id = cat_provider_id(cat, tok);

		if (id) {
			pq->provider = id;
			return;
		}
	}
	/* a DNS blocklist's answer (127.255.255.254) is the tag of the entry
	 * that explains it, not a key; so is a provider's code with a colon
	 * (NetEase's DT:SPM): a key has a word before its colon
	 * (reason:user_unknown, class:5) */
	if (is_dotted_quad(tok) || is_colon_tag(tok)) {
		if (pq->n_tags < MAX_TOKENS)
			pq->tags[pq->n_tags++] = tok;
		return;
	}
	if (strchr(tok, ':') || strchr(tok, '.')) {
		if (pq->n_keys < MAX_TOKENS) {
			pq->keys[pq->n_keys] = tok;
			add_order(pq, TOK_KEY, pq->n_keys++);
		}
		return;
	}
	/* letters and digits (TSS04, but not an identifier such as Gmail's
	 * IPv6AuthError), capitals alone as providers print them (Cox's CXBL),
	 * or a word that is an entry's tag (Postmark's HardBounce): any other
	 * word is not a code */
	if (((has_alpha_and_digit(tok) && !is_ident_word(tok)) || is_capitals(tok) ||
	     is_word_tag(cat, tok)) &&
	    pq->n_tags < MAX_TOKENS) {
		pq->weak[pq->n_tags] = !has_alpha_and_digit(tok);
		pq->tags[pq->n_tags++] = tok;
	} else if (is_ident_word(tok) && pq->n_idents < MAX_TOKENS) {
		pq->idents[pq->n_idents++] = tok;
	} else if (!is_ident_word(tok) && pq->n_unknown < MAX_TOKENS) {
		pq->unknown[pq->n_unknown++] = tok;
	}
}

/* Splits q (modified in place) into tokens. */
static void
parse_query(struct catalog *cat, char *q, struct parsed *pq)
{
	char *save = NULL, *tok;

	for (tok = strtok_r(q, " \t\r\n,;", &save); tok; tok = strtok_r(NULL, " \t\r\n,;", &save)) {
		size_t len;

		/* [TSS04], (S3150), "5.1.1", #5.1.1, 5.1.1:, -5.1.1 */
		while (*tok && strchr("[(<{\"'#-", *tok))
			tok++;
		len = strlen(tok);
		while (len > 0 && strchr("])>}\"'.:!?", tok[len - 1]))
			tok[--len] = '\0';
		/* AUP#CXBL, AUP#I-1010: the code is what follows the '#' */
		if (strrchr(tok, '#') && strrchr(tok, '#')[1])
			tok = strrchr(tok, '#') + 1;
		classify(cat, pq, tok);
	}
}

/* A tag that no entry carries but a provider's markers name, as the
 * analyzer reads it ("S3150" from the marker "(S3150)"): the provider's
 * entries that mention it, else the provider itself. *found is 0 when no
 * marker names the tag. */
static enum cat_status
push_marker_tag(struct catalog *cat, struct cat_result *res, const char *tag,
		const char *provider, int *found, struct cat_error *err)
{
	sqlite3_stmt *st = db_stmt(cat, ST_Q_MARKER_TAG);
	struct strbuf q = { 0 };
	enum cat_status s = CAT_OK;
	char *owner = NULL, key[160];
	size_t before = res->n;
	const unsigned char *p;

	*found = 0;
	if (db_bind_text(st, 1, tag) != SQLITE_OK || db_bind_text(st, 2, provider) != SQLITE_OK)
		return db_fail(cat, err, "lookup");
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);

		owner = v ? strdup(v) : NULL;
		if (v && !owner)
			s = cat_fail(err, CAT_ENOMEM, "out of memory");
	}
	sqlite3_reset(st);
	if (!owner)
		return s;
	*found = 1;
	/* the tag as one phrase of the index's words: "VS1-IP" is "VS1 IP" */
	if (strbuf_add(&q, "{code title tag texts meaning} : \"", 34) != 0) {
		s = cat_fail(err, CAT_ENOMEM, "out of memory");
		goto out;
	}
	for (p = (const unsigned char *)tag; *p; p++)
		if (strbuf_addc(&q, isalnum(*p) || *p >= 0x80 ? (char)*p : ' ') != 0) {
			s = cat_fail(err, CAT_ENOMEM, "out of memory");
			goto out;
		}
	if (strbuf_addc(&q, '"') != 0) {
		s = cat_fail(err, CAT_ENOMEM, "out of memory");
		goto out;
	}
	st = db_stmt(cat, ST_Q_TAG_TEXT);
	if (db_bind_text(st, 1, q.data) != SQLITE_OK || db_bind_text(st, 2, owner) != SQLITE_OK) {
		s = db_fail(cat, err, "lookup");
		goto out;
	}
	s = push_rows(cat, res, st, 0, CAT_MATCH_PROVIDER, err);
	if (s == CAT_OK && res->n == before) {
		snprintf(key, sizeof(key), "provider:%s", owner);
		s = push_key(cat, res, key, 0, CAT_MATCH_GENERIC, NULL, err);
	}
out:
	strbuf_free(&q);
	free(owner);
	return s;
}

static enum cat_status
lookup_entries(struct catalog *cat, struct cat_result *res, const int *reply, const struct enh *e,
	       const char *provider, struct cat_error *err)
{
	sqlite3_stmt *st = db_stmt(cat, e ? ST_Q_ENTRIES_ENH : reply ? ST_Q_ENTRIES_REPLY : ST_Q_ENTRIES);

	if (db_bind_int(st, 1, reply != NULL, reply ? *reply : 0) != SQLITE_OK ||
	    db_bind_int(st, 2, e != NULL, e ? e->subj : 0) != SQLITE_OK ||
	    db_bind_int(st, 3, e != NULL, e ? e->detail : 0) != SQLITE_OK ||
	    db_bind_int(st, 4, e && e->cls, e ? e->cls : 0) != SQLITE_OK ||
	    db_bind_text(st, 5, provider) != SQLITE_OK)
		return db_fail(cat, err, "lookup");
	return push_ids(cat, res, st, 0, CAT_MATCH_PROVIDER, NULL, err);
}

/* The provider entries whose literal texts hold the identifier `word`: the
 * help-link ids of a provider's replies (Gmail's ?p=NoSuchUser) and the
 * component names of its texts (TenantInboundAttribution) name their entry. */
static enum cat_status
lookup_ident(struct catalog *cat, struct cat_result *res, const char *word, const char *provider,
	     struct cat_error *err)
{
	sqlite3_stmt *st = db_stmt(cat, ST_Q_TEXT_WORD);
	char q[96];

	/* letters and digits only (is_ident_word), so quoting it makes a valid phrase */
	if (strlen(word) >= sizeof(q) - 16)
		return CAT_OK;
	snprintf(q, sizeof(q), "texts : \"%s\"", word);
	if (db_bind_text(st, 1, q) != SQLITE_OK || db_bind_text(st, 2, provider) != SQLITE_OK)
		return db_fail(cat, err, "lookup");
	return push_rows(cat, res, st, 0, CAT_MATCH_PROVIDER, err);
}

/* The entries a source prints as `reply` `e`, or as `e` with any reply when
 * `reply` is 0 (a class digit is needed: the page shows a code as sent,
 * never X.7.40). */
static enum cat_status
lookup_printed(struct catalog *cat, struct cat_result *res, int reply, const struct enh *e,
	       const char *provider, struct cat_error *err)
{
	sqlite3_stmt *st = db_stmt(cat, ST_Q_PRINTED);
	char code[40];

	if (!e->cls)
		return CAT_OK;
	snprintf(code, sizeof(code), "%d.%d.%d", e->cls, e->subj, e->detail);
	if (sqlite3_bind_int(st, 1, CAT_NOTE_PRINTED) != SQLITE_OK ||
	    sqlite3_bind_int(st, 2, reply) != SQLITE_OK ||
	    db_bind_text(st, 3, code) != SQLITE_OK || db_bind_text(st, 4, provider) != SQLITE_OK)
		return db_fail(cat, err, "lookup");
	return push_ids(cat, res, st, 0, CAT_MATCH_PROVIDER, NULL, err);
}

/* Copies the words the lookup could not read into res->unknown. */
static enum cat_status
keep_unknown(struct cat_result *res, const struct parsed *pq, struct cat_error *err)
{
	size_t i;

	if (!pq->n_unknown)
		return CAT_OK;
	res->unknown = arena_alloc(res->arena, pq->n_unknown * sizeof(*res->unknown));
	if (!res->unknown)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	for (i = 0; i < pq->n_unknown; i++) {
		res->unknown[i] = arena_strdup(res->arena, pq->unknown[i]);
		if (!res->unknown[i])
			return cat_fail(err, CAT_ENOMEM, "out of memory");
		res->n_unknown++;
	}
	return CAT_OK;
}

/* Fills res with what query names (cat_lookup()); the words it could not
 * read go to res->unknown. */
static enum cat_status
lookup_run(struct catalog *cat, const char *query, struct cat_result *res, struct cat_error *err)
{
	struct parsed pq;
	enum cat_status s = CAT_OK;
	char *q = NULL;
	size_t i, j, before;
	int has_tags = 0;
	const char *whole;

	q = strdup(query);
	if (!q)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	memset(&pq, 0, sizeof(pq));
	/* a provider named in several words: "google workspace", "at&t" */
	whole = cat_provider_id(cat, query);
	if (whole)
		pq.provider = whole;
	else
		parse_query(cat, q, &pq);

	/* 1. generic meanings, in the order they were typed */
	for (i = 0; i < pq.n_order && s == CAT_OK; i++) {
		int kind = pq.order[i] >> 8;
		size_t idx = (size_t)(pq.order[i] & 0xff);
		char key[64];
		int found = 0;

		switch (kind) {
		case TOK_REPLY:
			snprintf(key, sizeof(key), "%d", pq.replies[idx]);
			s = push_key(cat, res, key, 0, CAT_MATCH_GENERIC, &found, err);
			break;
		case TOK_ENH:
			snprintf(key, sizeof(key), "X.%d.%d", pq.enh[idx].subj, pq.enh[idx].detail);
			s = push_key(cat, res, key, pq.enh[idx].cls, CAT_MATCH_GENERIC, &found, err);
			if (s == CAT_OK && !found) {
				/* no registry code (5.7.620): the subject still says something */
				snprintf(key, sizeof(key), "X.%d", pq.enh[idx].subj);
				s = push_key(cat, res, key, pq.enh[idx].cls, CAT_MATCH_GENERIC, NULL,
					     err);
			}
			break;
		case TOK_SUBJ:
			snprintf(key, sizeof(key), "X.%d", pq.subjects[idx].subj);
			s = push_key(cat, res, key, pq.subjects[idx].cls, CAT_MATCH_GENERIC, &found,
				     err);
			break;
		case TOK_CLASS:
			snprintf(key, sizeof(key), "class:%d", pq.classes[idx]);
			s = push_key(cat, res, key, 0, CAT_MATCH_GENERIC, &found, err);
			break;
		case TOK_KEY:
			s = push_key(cat, res, pq.keys[idx], 0, CAT_MATCH_GENERIC, &found, err);
			if (s == CAT_OK && found && res->n &&
			    res->entries[res->n - 1].kind == CAT_KIND_ENTRY)
				res->match[res->n - 1] = CAT_MATCH_PROVIDER;
			/* no such key: a provider's dotted tag (Exchange's
			 * APPROVAL.InvalidExpiry) is looked up as a tag */
			else if (s == CAT_OK && !found && pq.n_tags < MAX_TOKENS)
				pq.tags[pq.n_tags++] = pq.keys[idx];
			break;
		default:
			break;
		}
	}

	/* 2. provider entries; a word in capitals counts as a tag only when
	 * an entry carries it ("gmail SPAM" is still Gmail) */
	if (s == CAT_OK && pq.n_tags) {
		for (i = 0; i < pq.n_tags && s == CAT_OK; i++) {
			sqlite3_stmt *st = db_stmt(cat, ST_Q_TAG);
			int found;

			before = res->n;
			if (db_bind_text(st, 1, pq.tags[i]) != SQLITE_OK ||
			    db_bind_text(st, 2, pq.provider) != SQLITE_OK) {
				s = db_fail(cat, err, "lookup");
				break;
			}
			s = push_ids(cat, res, st, 0, CAT_MATCH_PROVIDER, NULL, err);
			if (s == CAT_OK && res->n == before && !pq.weak[i])
				s = push_decoded(cat, res, pq.tags[i], &found, err);
			if (s == CAT_OK && res->n == before)
				s = push_marker_tag(cat, res, pq.tags[i], pq.provider, &found, err);
			if (!pq.weak[i] || res->n > before)
				has_tags = 1;
			/* capitals that name nothing (GMIAL) are a word not read */
			else if (pq.n_unknown < MAX_TOKENS)
				pq.unknown[pq.n_unknown++] = pq.tags[i];
		}
	}
	/* a tag names one reply: "421 4.7.0 [TSS04]" is that entry, not every
	 * provider's 421 4.7.0 */
	if (s == CAT_OK && has_tags && res->n > 0) {
		size_t k;

		for (k = 0; k < res->n; k++)
			if (res->match[k] == CAT_MATCH_PROVIDER)
				goto out;
	}
	if (s == CAT_OK && pq.n_replies && pq.n_enh) {
		before = res->n;
		for (i = 0; i < pq.n_replies && s == CAT_OK; i++)
			for (j = 0; j < pq.n_enh && s == CAT_OK; j++)
				s = lookup_entries(cat, res, &pq.replies[i], &pq.enh[j], pq.provider,
						   err);
		/* no entry has both: a source may print these very codes for an
		 * entry that has others (Google's page shows 504 5.7.40 for
		 * 504 5.7.4); else show the entries with the enhanced code */
		for (i = 0; i < pq.n_replies && s == CAT_OK && res->n == before; i++)
			for (j = 0; j < pq.n_enh && s == CAT_OK; j++)
				s = lookup_printed(cat, res, pq.replies[i], &pq.enh[j], pq.provider,
						   err);
		for (j = 0; j < pq.n_enh && s == CAT_OK && res->n == before; j++)
			s = lookup_entries(cat, res, NULL, &pq.enh[j], pq.provider, err);
	} else if (s == CAT_OK && pq.n_enh) {
		before = res->n;
		for (j = 0; j < pq.n_enh && s == CAT_OK; j++)
			s = lookup_entries(cat, res, NULL, &pq.enh[j], pq.provider, err);
		/* no entry has the code: a source may print it alone for an entry
		 * that has another (Google's sender FAQ shows 4.7.31 for the
		 * deferral its error page and the servers give as 4.7.40) */
		for (j = 0; j < pq.n_enh && s == CAT_OK && res->n == before; j++)
			s = lookup_printed(cat, res, 0, &pq.enh[j], pq.provider, err);
	} else if (s == CAT_OK && pq.n_replies) {
		for (i = 0; i < pq.n_replies && s == CAT_OK; i++)
			s = lookup_entries(cat, res, &pq.replies[i], NULL, pq.provider, err);
	} else if (s == CAT_OK && pq.provider && !has_tags && !pq.n_order && !pq.n_idents) {
		char key[128];

		snprintf(key, sizeof(key), "provider:%s", pq.provider);
		s = push_key(cat, res, key, 0, CAT_MATCH_GENERIC, NULL, err);
		if (s == CAT_OK)
			s = lookup_entries(cat, res, NULL, NULL, pq.provider, err);
	}
	/* "yahoo 5.1.1": Yahoo sends no 5.1.1, but it has replies for the same
	 * reason (user unknown); show those rather than nothing */
	if (s == CAT_OK && pq.provider && (pq.n_enh || pq.n_replies)) {
		const char *reason = NULL;
		size_t k;

		for (k = 0; k < res->n; k++) {
			if (res->match[k] == CAT_MATCH_PROVIDER)
				break;
			if (!reason && res->entries[k].reason)
				reason = res->entries[k].reason;
		}
		if (k == res->n && reason) {
			sqlite3_stmt *st = db_stmt(cat, ST_Q_LIST);

			if (db_bind_int(st, 1, 1, CAT_KIND_ENTRY) != SQLITE_OK ||
			    db_bind_text(st, 4, pq.provider) != SQLITE_OK ||
			    db_bind_text(st, 5, reason) != SQLITE_OK)
				s = db_fail(cat, err, "lookup");
			else
				s = push_rows(cat, res, st, 0, CAT_MATCH_PROVIDER, err);
		}
	}
	/* an identifier of a reply's text, when nothing else was asked */
	for (i = 0; s == CAT_OK && res->n == 0 && !pq.n_replies && !pq.n_enh && i < pq.n_idents; i++)
		s = lookup_ident(cat, res, pq.idents[i], pq.provider, err);
out:
	if (s == CAT_OK)
		s = keep_unknown(res, &pq, err);
	free(q);
	return s;
}

enum cat_status
cat_lookup(struct catalog *cat, const char *query, struct cat_result **out, struct cat_error *err)
{
	struct cat_result *res = NULL;
	enum cat_status s;

	if (!cat || !query || !out)
		return cat_fail(err, CAT_EUSAGE, "cat_lookup: bad arguments");
	*out = NULL;
	if (!cat->ready)
		return cat_fail(err, CAT_ESTATE, "the catalog is not ready");
	res = result_new(err);
	if (!res)
		return CAT_ENOMEM;
	/* an exact key of the built-in catalog is answered without SQLite */
	if (lk_of(cat) && lk_lookup(lk_of(cat), query, res, &s, err)) {
		if (s != CAT_OK) {
			cat_result_free(res);
			return s;
		}
		*out = res;
		return CAT_OK;
	}
	s = lookup_run(cat, query, res, err);
	if (s == CAT_OK && res->n == 0)
		s = cat_fail(err, CAT_NOTFOUND, "no code matches '%s'", query);
	if (s != CAT_OK && s != CAT_NOTFOUND) {
		cat_result_free(res);
		return s;
	}
	*out = res;
	return s;
}

/* ------------------------------------------------------------ search */

/* Builds an FTS5 query: every word as a prefix, all required. Words are
 * runs of letters, digits and non-ASCII bytes; dotted codes stay phrases. */
static int
fts_query(const char *text, struct strbuf *q)
{
	const unsigned char *p = (const unsigned char *)text;
	int words = 0;

	while (*p) {
		const unsigned char *start;
		int dotted = 0;

		while (*p && !(isalnum(*p) || *p >= 0x80))
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && (isalnum(*p) || *p >= 0x80 ||
			      (*p == '.' && p[1] && isalnum(p[1]) && p > start))) {
			if (*p == '.')
				dotted = 1;
			p++;
		}
		if (words++ && strbuf_addc(q, ' ') != 0)
			return -1;
		if (strbuf_addc(q, '"') != 0 || strbuf_add(q, (const char *)start, (size_t)(p - start)) != 0 ||
		    strbuf_add(q, dotted ? "\"" : "\"*", dotted ? 1 : 2) != 0)
			return -1;
	}
	return words;
}

enum cat_status
cat_search(struct catalog *cat, const char *text, size_t limit, struct cat_result **out,
	   struct cat_error *err)
{
	struct strbuf q = { 0 };
	struct cat_result *res = NULL;
	enum cat_status s = CAT_OK;
	sqlite3_stmt *st;
	int words;
	int64_t hits = 0;
	size_t n_exact, want, total, i;

	if (!cat || !text || !out)
		return cat_fail(err, CAT_EUSAGE, "cat_search: bad arguments");
	*out = NULL;
	if (!cat->ready)
		return cat_fail(err, CAT_ESTATE, "the catalog is not ready");
	if (limit == 0)
		limit = SEARCH_DEFAULT_LIMIT;
	words = fts_query(text, &q);
	if (words < 0) {
		s = cat_fail(err, CAT_ENOMEM, "out of memory");
		goto out;
	}
	if (words == 0) {
		s = cat_fail(err, CAT_EUSAGE, "nothing to search for in '%s'", text);
		goto out;
	}
	res = result_new(err);
	if (!res) {
		s = CAT_ENOMEM;
		goto out;
	}
	/* what the query names exactly comes first: "5.1.1" is X.1.1 */
	s = lookup_run(cat, text, res, err);
	if (s != CAT_OK)
		goto out;
	if (res->n_unknown || res->n > limit) {
		/* words to search for: the lookup read only some of them */
		res->n = res->n_unknown ? 0 : limit;
	}
	for (n_exact = 0; n_exact < res->n; n_exact++)
		res->match[n_exact] = CAT_MATCH_OTHER;
	res->unknown = NULL;
	res->n_unknown = 0;
	st = db_stmt(cat, ST_Q_SEARCH_COUNT);
	if (db_bind_text(st, 1, q.data) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		s = db_fail(cat, err, "search");
		goto out;
	}
	hits = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	/* the exact matches are among the hits, mostly: ask for that many more */
	want = limit + n_exact;
	/* Ranking costs time for every hit: with very many hits (a one-letter
	 * prefix in a huge catalog) rank the code and title matches only, then
	 * fill up with unranked hits. */
	if (hits > RANK_ALL_MAX) {
		struct strbuf tq = { 0 };

		if (strbuf_add(&tq, "{code title tag} : (", 20) != 0 ||
		    strbuf_add(&tq, q.data, q.len) != 0 || strbuf_addc(&tq, ')') != 0) {
			strbuf_free(&tq);
			s = cat_fail(err, CAT_ENOMEM, "out of memory");
			goto out;
		}
		st = db_stmt(cat, ST_Q_SEARCH);
		if (db_bind_text(st, 1, tq.data) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 2, (sqlite3_int64)want) != SQLITE_OK)
			s = db_fail(cat, err, "search");
		else
			s = push_rows(cat, res, st, 0, CAT_MATCH_OTHER, err);
		strbuf_free(&tq);
		if (s == CAT_OK && res->n < limit) {
			st = db_stmt(cat, ST_Q_SEARCH_FAST);
			if (db_bind_text(st, 1, q.data) != SQLITE_OK ||
			    sqlite3_bind_int64(st, 2, (sqlite3_int64)want * 2) != SQLITE_OK)
				s = db_fail(cat, err, "search");
			else
				s = push_rows(cat, res, st, 0, CAT_MATCH_OTHER, err);
		}
	} else {
		st = db_stmt(cat, ST_Q_SEARCH);
		if (db_bind_text(st, 1, q.data) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 2, (sqlite3_int64)want) != SQLITE_OK)
			s = db_fail(cat, err, "search");
		else
			s = push_rows(cat, res, st, 0, CAT_MATCH_OTHER, err);
	}
	/* every hit and every exact match counts once */
	total = (size_t)hits + n_exact;
	for (i = 0; s == CAT_OK && i < n_exact; i++) {
		st = db_stmt(cat, ST_Q_SEARCH_HAS);
		if (db_bind_text(st, 1, q.data) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 2, res->entries[i].id) != SQLITE_OK) {
			s = db_fail(cat, err, "search");
			break;
		}
		if (sqlite3_step(st) == SQLITE_ROW)
			total--;
		sqlite3_reset(st);
	}
	if (s == CAT_OK) {
		if (res->n > limit)
			res->n = limit;
		res->truncated = total > res->n ? total - res->n : 0;
		if (res->n == 0)
			s = cat_fail(err, CAT_NOTFOUND, "nothing matches '%s'", text);
	}
out:
	strbuf_free(&q);
	if (s != CAT_OK && s != CAT_NOTFOUND) {
		cat_result_free(res);
		return s;
	}
	*out = res;
	return s;
}

enum cat_status
cat_search_ids(struct catalog *cat, const char *text, size_t limit, int64_t **ids, size_t *n,
	       struct cat_error *err)
{
	struct strbuf q = { 0 };
	enum cat_status s = CAT_OK;
	sqlite3_stmt *st;
	int64_t *v = NULL;
	size_t cap = 0, count = 0;
	int words, rc;

	if (!cat || !text || !ids || !n)
		return cat_fail(err, CAT_EUSAGE, "cat_search_ids: bad arguments");
	*ids = NULL;
	*n = 0;
	if (!cat->ready)
		return cat_fail(err, CAT_ESTATE, "the catalog is not ready");
	words = fts_query(text, &q);
	if (words <= 0) {
		strbuf_free(&q);
		return words < 0 ? cat_fail(err, CAT_ENOMEM, "out of memory")
				 : cat_fail(err, CAT_EUSAGE, "nothing to search for in '%s'", text);
	}
	st = db_stmt(cat, ST_Q_SEARCH_IDS);
	if (db_bind_text(st, 1, q.data) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1) != SQLITE_OK) {
		s = db_fail(cat, err, "search");
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			int64_t *nv;

			cap = cap ? cap * 2 : 256;
			nv = realloc(v, cap * sizeof(*nv));
			if (!nv) {
				s = cat_fail(err, CAT_ENOMEM, "out of memory");
				goto out;
			}
			v = nv;
		}
		v[count++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE) {
		s = db_fail(cat, err, "search");
		goto out;
	}
	if (count == 0)
		s = cat_fail(err, CAT_NOTFOUND, "nothing matches '%s'", text);
out:
	sqlite3_reset(st);
	strbuf_free(&q);
	if (s != CAT_OK) {
		free(v);
		return s;
	}
	*ids = v;
	*n = count;
	return CAT_OK;
}

/* ------------------------------------------------------------ list */

enum cat_status
cat_list(struct catalog *cat, const struct cat_filter *f, struct cat_result **out,
	 struct cat_error *err)
{
	struct cat_result *res = NULL;
	const char *provider = NULL;
	enum cat_status s;
	sqlite3_stmt *st;
	char key[160];
	int found;

	if (!cat || !f || !out)
		return cat_fail(err, CAT_EUSAGE, "cat_list: bad arguments");
	*out = NULL;
	if (!cat->ready)
		return cat_fail(err, CAT_ESTATE, "the catalog is not ready");
	if (f->provider) {
		provider = cat_provider_id(cat, f->provider);
		if (!provider)
			return cat_fail(err, CAT_EUSAGE, "unknown provider '%s'", f->provider);
	}
	res = result_new(err);
	if (!res)
		return CAT_ENOMEM;
	/* a filter on an unknown reason or impact is a mistake, not an empty list */
	if (f->reason) {
		snprintf(key, sizeof(key), "reason:%s", f->reason);
		s = push_key(cat, res, key, 0, CAT_MATCH_OTHER, &found, err);
		res->n = 0;
		if (s == CAT_OK && !found)
			s = cat_fail(err, CAT_EUSAGE, "unknown reason '%s'", f->reason);
		if (s != CAT_OK)
			goto out;
	}
	if (f->impact) {
		snprintf(key, sizeof(key), "impact:%s", f->impact);
		s = push_key(cat, res, key, 0, CAT_MATCH_OTHER, &found, err);
		res->n = 0;
		if (s == CAT_OK && !found)
			s = cat_fail(err, CAT_EUSAGE, "unknown impact category '%s'", f->impact);
		if (s != CAT_OK)
			goto out;
	}
	st = db_stmt(cat, ST_Q_LIST);
	if (db_bind_int(st, 1, f->kind_set, (int)f->kind) != SQLITE_OK ||
	    db_bind_int(st, 2, f->cls != 0, f->cls) != SQLITE_OK ||
	    db_bind_int(st, 3, f->subject_set, f->subject) != SQLITE_OK ||
	    db_bind_text(st, 4, provider) != SQLITE_OK || db_bind_text(st, 5, f->reason) != SQLITE_OK ||
	    db_bind_text(st, 6, f->impact) != SQLITE_OK ||
	    (f->limit && sqlite3_bind_int64(st, 7, (sqlite3_int64)f->limit) != SQLITE_OK) ||
	    (f->offset && sqlite3_bind_int64(st, 8, (sqlite3_int64)f->offset) != SQLITE_OK)) {
		s = db_fail(cat, err, "list");
		goto out;
	}
	s = push_rows(cat, res, st, f->cls, CAT_MATCH_OTHER, err);
	if (s == CAT_OK && res->n == 0)
		s = cat_fail(err, CAT_NOTFOUND, "no entry matches these filters");
out:
	if (s != CAT_OK && s != CAT_NOTFOUND) {
		cat_result_free(res);
		return s;
	}
	*out = res;
	return s;
}

/* ------------------------------------------------------------ one entry */

/* An entry related to the one asked about, with its place in the list:
 * group * REL_GROUP + position, as the candidates below number them. */
struct rel {
	int64_t id;
	int64_t order;
	struct cat_link link;
};

struct rels {
	struct rel *v;
	size_t n, cap;
	int64_t self;
};

enum { REL_GROUP = 1000000000 };

/* Adds the entry of st's row (id, key, code, title, provider, kind) at
 * `order`, for the reason `why` (copied), unless it is the entry itself. */
static enum cat_status
rel_push(struct cat_result *res, struct rels *rl, sqlite3_stmt *st, int64_t order, const char *why,
	 struct cat_error *err)
{
	struct rel *r;
	int oom = 0;

	if (sqlite3_column_int64(st, 0) == rl->self)
		return CAT_OK;
	if (rl->n == rl->cap) {
		size_t cap = rl->cap ? rl->cap * 2 : 32;
		struct rel *nv = realloc(rl->v, cap * sizeof(*nv));

		if (!nv)
			return cat_fail(err, CAT_ENOMEM, "out of memory");
		rl->v = nv;
		rl->cap = cap;
	}
	r = &rl->v[rl->n++];
	r->id = sqlite3_column_int64(st, 0);
	r->order = order;
	r->link.key = col_str(res, st, 1, &oom);
	r->link.code = col_str(res, st, 2, &oom);
	r->link.title = col_str(res, st, 3, &oom);
	r->link.why = why ? arena_strdup(res->arena, why) : NULL;
	r->link.provider = col_str(res, st, 4, &oom);
	r->link.kind = (enum cat_kind)sqlite3_column_int(st, 5);
	if (oom || (why && !r->link.why))
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	return CAT_OK;
}

/* Adds the entry keyed `key` (none when NULL or when no entry has it, as
 * the entry itself) at `order`, for the reason `why` (copied). */
static enum cat_status
rel_add(struct catalog *cat, struct cat_result *res, struct rels *rl, int64_t order,
	const char *key, const char *why, struct cat_error *err)
{
	sqlite3_stmt *st;
	enum cat_status s = CAT_OK;
	int rc;

	if (!key)
		return CAT_OK;
	st = db_stmt(cat, ST_Q_REL_ENTRY);
	if (db_bind_text(st, 1, key) != SQLITE_OK)
		return db_fail(cat, err, "related entries");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		s = rel_push(res, rl, st, order, why, err);
	else if (rc != SQLITE_DONE)
		s = db_fail(cat, err, "related entries");
	sqlite3_reset(st);
	return s;
}

/* Adds the entry of each row of st (as rel_push() reads it), seen as, or
 * linking to, the one asked about: group `grp`, ordered by their row ids. */
static enum cat_status
rel_add_rows(struct catalog *cat, struct cat_result *res, struct rels *rl, sqlite3_stmt *st,
	     int64_t grp, const char *why, struct cat_error *err)
{
	enum cat_status s = CAT_OK;
	int rc;

	while (s == CAT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		s = rel_push(res, rl, st, grp * REL_GROUP + sqlite3_column_int64(st, 0), why, err);
	if (s == CAT_OK && rc != SQLITE_DONE)
		s = db_fail(cat, err, "related entries");
	sqlite3_reset(st);
	return s;
}

static int
rel_by_id(const void *a, const void *b)
{
	const struct rel *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int
rel_by_order(const void *a, const void *b)
{
	const struct rel *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The entries related to e, each once, where it comes first: 0 its own
 * links; 1 the likely meaning; 2 its codes (reply, registry code, subject,
 * class); 3 its reason, impact and provider; 4 the provider entries seen
 * as a reply or enhanced code; 5 the entries that link to it. */
static enum cat_status
fill_related(struct catalog *cat, struct cat_result *res, struct cat_entry *e,
	     struct cat_error *err)
{
	struct rels rl = { NULL, 0, 0, e->id };
	sqlite3_stmt *me = db_stmt(cat, ST_Q_REL_ME), *st;
	enum cat_status s = CAT_OK;
	struct cat_link *links;
	char key[160];
	const char *mkey;
	int kind, rc, pe;
	size_t i, n;

	if (sqlite3_bind_int64(me, 1, e->id) != SQLITE_OK)
		return db_fail(cat, err, "related entries");
	rc = sqlite3_step(me);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(me);
		return rc == SQLITE_DONE ? CAT_OK : db_fail(cat, err, "related entries");
	}
	/* me's columns stay valid while it is not stepped again */
	mkey = (const char *)sqlite3_column_text(me, 0);
	kind = sqlite3_column_int(me, 1);
	pe = kind == CAT_KIND_ENTRY;
#define ME_NULL(c) (sqlite3_column_type(me, (c)) == SQLITE_NULL)
#define ME_INT(c) sqlite3_column_int64(me, (c))
#define ME_TEXT(c) ((const char *)sqlite3_column_text(me, (c)))
	st = db_stmt(cat, ST_Q_REL_LINKS);
	if (sqlite3_bind_int64(st, 1, e->id) != SQLITE_OK)
		s = db_fail(cat, err, "related entries");
	while (s == CAT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		s = rel_add(cat, res, &rl, sqlite3_column_int64(st, 0),
			    (const char *)sqlite3_column_text(st, 1),
			    (const char *)sqlite3_column_text(st, 2), err);
	if (s == CAT_OK && rc != SQLITE_DONE)
		s = db_fail(cat, err, "related entries");
	sqlite3_reset(st);
	if (s == CAT_OK)
		s = rel_add(cat, res, &rl, 1 * (int64_t)REL_GROUP, ME_TEXT(2), "likely meaning", err);
	if (s == CAT_OK && pe && !ME_NULL(3)) {
		snprintf(key, sizeof(key), "%lld", (long long)ME_INT(3));
		s = rel_add(cat, res, &rl, 2 * (int64_t)REL_GROUP, key, "reply code", err);
	}
	if (s == CAT_OK && pe && !ME_NULL(4) && !ME_NULL(5) && !ME_NULL(6) && ME_INT(5) == ME_INT(6)) {
		snprintf(key, sizeof(key), "X.%lld.%lld", (long long)ME_INT(4), (long long)ME_INT(5));
		s = rel_add(cat, res, &rl, 2 * (int64_t)REL_GROUP + 1, key, "registry meaning", err);
	}
	if (s == CAT_OK && (pe || kind == CAT_KIND_ENHANCED) && !ME_NULL(4)) {
		snprintf(key, sizeof(key), "X.%lld", (long long)ME_INT(4));
		s = rel_add(cat, res, &rl, 2 * (int64_t)REL_GROUP + 2, key, "subject", err);
	}
	if (s == CAT_OK && (pe || kind == CAT_KIND_REPLY) && (!ME_NULL(7) || !ME_NULL(3))) {
		snprintf(key, sizeof(key), "class:%lld", (long long)(!ME_NULL(7) ? ME_INT(7) : ME_INT(3) / 100));
		s = rel_add(cat, res, &rl, 2 * (int64_t)REL_GROUP + 3, key, "class", err);
	}
	if (s == CAT_OK && ME_TEXT(8)) {
		snprintf(key, sizeof(key), "reason:%s", ME_TEXT(8));
		s = rel_add(cat, res, &rl, 3 * (int64_t)REL_GROUP, key, "reason", err);
	}
	if (s == CAT_OK && ME_TEXT(9)) {
		snprintf(key, sizeof(key), "impact:%s", ME_TEXT(9));
		s = rel_add(cat, res, &rl, 3 * (int64_t)REL_GROUP + 1, key, "reputation impact", err);
	}
	if (s == CAT_OK && pe && ME_TEXT(10)) {
		snprintf(key, sizeof(key), "provider:%s", ME_TEXT(10));
		s = rel_add(cat, res, &rl, 3 * (int64_t)REL_GROUP + 2, key, "provider", err);
	}
	if (s == CAT_OK && kind == CAT_KIND_REPLY && !ME_NULL(3)) {
		st = db_stmt(cat, ST_Q_REL_SEEN_REPLY);
		if (sqlite3_bind_int64(st, 1, ME_INT(3)) != SQLITE_OK)
			s = db_fail(cat, err, "related entries");
		else
			s = rel_add_rows(cat, res, &rl, st, 4, "seen as", err);
	}
	if (s == CAT_OK && kind == CAT_KIND_ENHANCED && !ME_NULL(4) && !ME_NULL(5)) {
		st = db_stmt(cat, ST_Q_REL_SEEN_ENH);
		if (sqlite3_bind_int64(st, 1, ME_INT(4)) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 2, ME_INT(5)) != SQLITE_OK)
			s = db_fail(cat, err, "related entries");
		else
			s = rel_add_rows(cat, res, &rl, st, 4, "seen as", err);
	}
	if (s == CAT_OK && mkey) {
		st = db_stmt(cat, ST_Q_REL_HERE);
		if (db_bind_text(st, 1, mkey) != SQLITE_OK)
			s = db_fail(cat, err, "related entries");
		else
			s = rel_add_rows(cat, res, &rl, st, 5, "links here", err);
	}
#undef ME_NULL
#undef ME_INT
#undef ME_TEXT
	sqlite3_reset(me);
	/* each entry once, at its first place */
	if (s == CAT_OK && rl.n) {
		qsort(rl.v, rl.n, sizeof(*rl.v), rel_by_id);
		for (i = n = 0; i < rl.n; i++)
			if (n == 0 || rl.v[n - 1].id != rl.v[i].id)
				rl.v[n++] = rl.v[i];
		qsort(rl.v, n, sizeof(*rl.v), rel_by_order);
		links = arena_alloc(res->arena, n * sizeof(*links));
		if (!links) {
			s = cat_fail(err, CAT_ENOMEM, "out of memory");
		} else {
			for (i = 0; i < n; i++)
				links[i] = rl.v[i].link;
			e->links = links;
			e->n_links = n;
		}
	}
	free(rl.v);
	return s;
}


static enum cat_status
fill_details(struct catalog *cat, struct cat_result *res, struct cat_entry *e,
	     struct cat_error *err)
{
	sqlite3_stmt *st;
	size_t n, cap;
	int oom = 0, rc;

	/* texts */
	st = db_stmt(cat, ST_Q_TEXTS);
	sqlite3_bind_int64(st, 1, e->id);
	{
		const char **v = NULL, **nv;

		n = cap = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (!(nv = arena_grow(res->arena, v, n, &cap, sizeof(*v)))) {
				oom = 1;
				break;
			}
			v = nv;
			v[n++] = col_str(res, st, 0, &oom);
		}
		e->texts = v;
		e->n_texts = n;
	}
	/* notes; the one for the asked class is also the class meaning */
	st = db_stmt(cat, ST_Q_NOTES);
	sqlite3_bind_int64(st, 1, e->id);
	{
		struct cat_note *v = NULL, *nv;

		n = cap = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (!(nv = arena_grow(res->arena, v, n, &cap, sizeof(*v)))) {
				oom = 1;
				break;
			}
			v = nv;
			v[n].kind = (enum cat_note_kind)sqlite3_column_int(st, 0);
			v[n].num = col_int(st, 1, 0);
			v[n].param = col_str(res, st, 2, &oom);
			v[n].body = col_str(res, st, 3, &oom);
			n++;
		}
		e->notes = v;
		e->n_notes = n;
		result_class_meaning(e);
	}
	/* sources */
	st = db_stmt(cat, ST_Q_SOURCES);
	sqlite3_bind_int64(st, 1, e->id);
	{
		struct cat_source *v = NULL, *nv;

		n = cap = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (!(nv = arena_grow(res->arena, v, n, &cap, sizeof(*v)))) {
				oom = 1;
				break;
			}
			v = nv;
			v[n].title = col_str(res, st, 0, &oom);
			v[n].href = col_str(res, st, 1, &oom);
			v[n].as_of = col_str(res, st, 2, &oom);
			v[n].license = col_str(res, st, 3, &oom);
			n++;
		}
		e->sources = v;
		e->n_sources = n;
	}
	if (oom)
		return cat_fail(err, CAT_ENOMEM, "out of memory");
	return fill_related(cat, res, e, err);
}

enum cat_status
cat_get(struct catalog *cat, const char *key, int cls, struct cat_result **out,
	struct cat_error *err)
{
	struct cat_result *res;
	enum cat_status s;
	int found = 0;

	if (!cat || !key || !out)
		return cat_fail(err, CAT_EUSAGE, "cat_get: bad arguments");
	*out = NULL;
	if (!cat->ready)
		return cat_fail(err, CAT_ESTATE, "the catalog is not ready");
	res = result_new(err);
	if (!res)
		return CAT_ENOMEM;
	/* an entry of the built-in catalog comes whole from the lookup image */
	if (lk_of(cat) && lk_get(lk_of(cat), key, cls, res, &s, err))
		found = 2;
	else
		s = push_key(cat, res, key, cls, CAT_MATCH_OTHER, &found, err);
	if (s == CAT_OK && found == 1)
		s = fill_details(cat, res, &res->entries[0], err);
	else if (s == CAT_OK && !found && has_alpha_and_digit(key))
		s = push_decoded(cat, res, key, &found, err);
	if (s == CAT_OK && !found)
		s = cat_fail(err, CAT_NOTFOUND, "no entry '%s'", key);
	if (s != CAT_OK) {
		cat_result_free(res);
		return s;
	}
	*out = res;
	return CAT_OK;
}

enum cat_status
query_entry_raw(struct catalog *cat, const char *key, struct cat_result *res,
		struct cat_error *err)
{
	enum cat_status s;
	int found = 0;

	s = push_key(cat, res, key, QUERY_RAW, CAT_MATCH_OTHER, &found, err);
	if (s == CAT_OK && !found)
		s = cat_fail(err, CAT_NOTFOUND, "no entry '%s'", key);
	if (s == CAT_OK)
		s = fill_details(cat, res, &res->entries[res->n - 1], err);
	return s;
}
