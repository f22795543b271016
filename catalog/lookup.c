/* lookup.c: answers from the lookup image (lookup.h), the same entries SQLite would give. */
#include "lookup.h"

#include <string.h>

#include "result.h"
#include "util.h"

uint32_t
lk_hash(const char *s, size_t n, int fold)
{
	uint32_t h = 2166136261u;
	unsigned char c;

	while (n--) {
		c = (unsigned char)*s++;
		if (fold && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 16777619u;
	}
	return h;
}

/* SQLite's NOCASE: ASCII letters only. */
static int
same_folded(const char *a, const char *b)
{
	unsigned char x, y;

	do {
		x = (unsigned char)*a++;
		y = (unsigned char)*b++;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
	} while (x && x == y);
	return x == y;
}

static const char *
str_at(const struct lk_image *im, uint32_t off)
{
	return off ? im->pool + off : NULL;
}

/* The index of the record whose text (text_of(i)) is s, in table t: exact
 * bytes, or ASCII case folded; -1 when none. */
static long
find(const struct lk_image *im, const struct lk_table *t, const char *s, int fold,
     uint32_t (*text_of)(const struct lk_image *, uint32_t))
{
	size_t n = strlen(s);
	uint32_t i, v;

	for (i = lk_hash(s, n, fold) & t->mask; (v = t->slot[i]) != 0; i = (i + 1) & t->mask) {
		const char *text = im->pool + text_of(im, v - 1);

		if (fold ? same_folded(text, s) : strcmp(text, s) == 0)
			return (long)(v - 1);
	}
	return -1;
}

static uint32_t
query_text(const struct lk_image *im, uint32_t i)
{
	return im->queries[i].text;
}

static uint32_t
key_text(const struct lk_image *im, uint32_t i)
{
	return im->entries[i].key;
}

static uint32_t
name_text(const struct lk_image *im, uint32_t i)
{
	return im->names[i].text;
}

/* How each kind of field of ENTRY_FIELDS is set from a record; arrays are
 * set by lk_get(), computed fields by the engine. */
#define LK_SET_KEY(f) e->f = str_at(im, r->f);
#define LK_SET_KIND(f) e->f = (enum cat_kind)r->f;
#define LK_SET_TEXT(f) e->f = str_at(im, r->f);
#define LK_SET_TEXT_(f) LK_SET_TEXT(f)
#define LK_SET_INT(f) e->f = r->f;
#define LK_SET_NUM(f) e->f = r->f;
#define LK_SET_NUM_(f) e->f = r->f;
#define LK_SET_DETAIL(f) e->f = r->f;
#define LK_SET_BOOL(f) e->f = r->f;
#define LK_SET_SEVERITY(f) e->f = (enum cat_class)r->f;
#define LK_SET_TYPE(f) e->f = (enum cat_type)r->f;
#define LK_SET_GROUP(f) e->f = (enum cat_group)r->f;
#define LK_SET_ACTION(f) e->f = (enum cat_action)r->f;
#define LK_SET_ACTION_(f) LK_SET_ACTION(f)
#define LK_SET_EXTRA(f) e->f = (enum cat_extra)r->f;
#define LK_SET_CALC(f)
#define LK_SET_ARRAY(f)
#define LK_SET(how, field, column, member) LK_SET_##how(field)

/* Entry i of the image as a query in class cls sees it, added to res;
 * NULL when out of memory. The strings stay in the image. */
static struct cat_entry *
add_entry(const struct lk_image *im, uint32_t i, int cls, enum cat_match m,
	  struct cat_result *res)
{
	const struct lk_entry *r = &im->entries[i];
	struct cat_entry *e = result_add(res, m);

	if (!e)
		return NULL;
	e->id = r->id;
	ENTRY_FIELDS(LK_SET)
	return result_in_class(res, e, cls) == 0 ? e : NULL;
}

int
lk_knows(const struct lk_image *im, const char *query)
{
	return find(im, &im->name_index, query, 1, name_text) >= 0 ||
	       find(im, &im->query_index, query, 0, query_text) >= 0;
}

int
lk_lookup(const struct lk_image *im, const char *query, struct cat_result *res,
	  enum cat_status *st, struct cat_error *err)
{
	const struct lk_answer *a;
	long i;
	uint32_t k;

	/* as lookup_run(): a query that names a provider is that provider */
	i = find(im, &im->name_index, query, 1, name_text);
	if (i >= 0) {
		a = &im->providers[im->names[i].first];
	} else {
		i = find(im, &im->query_index, query, 0, query_text);
		if (i < 0)
			return 0;
		a = &im->queries[i];
	}
	*st = CAT_OK;
	for (k = 0; k < a->n; k++) {
		const struct lk_item *it = &im->items[a->first + k];

		if (!add_entry(im, it->entry, it->cls, (enum cat_match)it->match, res)) {
			*st = cat_fail(err, CAT_ENOMEM, "out of memory");
			break;
		}
	}
	return 1;
}

const char *
lk_provider_id(const struct lk_image *im, const char *name)
{
	long i = find(im, &im->name_index, name, 1, name_text);

	return i < 0 ? NULL : im->pool + im->providers[im->names[i].first].text;
}

int
lk_get(const struct lk_image *im, const char *key, int cls, struct cat_result *res,
       enum cat_status *st, struct cat_error *err)
{
	const struct lk_entry *r;
	struct cat_entry *e;
	const char **texts = NULL;
	struct cat_note *notes = NULL;
	struct cat_source *sources = NULL;
	struct cat_link *links = NULL;
	long i = find(im, &im->key_index, key, 1, key_text);
	uint32_t k;

	if (i < 0)
		return 0;
	r = &im->entries[i];
	e = add_entry(im, (uint32_t)i, cls, CAT_MATCH_OTHER, res);
	if (e && r->n_texts)
		texts = arena_alloc(res->arena, r->n_texts * sizeof(*texts));
	if (e && r->n_notes)
		notes = arena_alloc(res->arena, r->n_notes * sizeof(*notes));
	if (e && r->n_sources)
		sources = arena_alloc(res->arena, r->n_sources * sizeof(*sources));
	if (e && r->n_links)
		links = arena_alloc(res->arena, r->n_links * sizeof(*links));
	if (!e || (r->n_texts && !texts) || (r->n_notes && !notes) ||
	    (r->n_sources && !sources) || (r->n_links && !links)) {
		*st = cat_fail(err, CAT_ENOMEM, "out of memory");
		return 1;
	}
	for (k = 0; k < r->n_texts; k++)
		texts[k] = str_at(im, im->texts[r->texts + k]);
	for (k = 0; k < r->n_notes; k++) {
		const struct lk_note *n = &im->notes[r->notes + k];

		notes[k].kind = (enum cat_note_kind)n->kind;
		notes[k].num = n->num;
		notes[k].param = str_at(im, n->param);
		notes[k].body = str_at(im, n->body);
	}
	for (k = 0; k < r->n_sources; k++) {
		const struct lk_source *s = &im->sources[r->sources + k];

		sources[k].title = str_at(im, s->title);
		sources[k].href = str_at(im, s->href);
		sources[k].as_of = str_at(im, s->as_of);
		sources[k].license = str_at(im, s->license);
	}
	for (k = 0; k < r->n_links; k++) {
		const struct lk_link *l = &im->links[r->links + k];

		links[k].key = str_at(im, l->key);
		links[k].code = str_at(im, l->code);
		links[k].title = str_at(im, l->title);
		links[k].why = str_at(im, l->why);
		links[k].provider = str_at(im, l->provider);
		links[k].kind = (enum cat_kind)l->kind;
	}
	e->texts = texts;
	e->n_texts = r->n_texts;
	e->notes = notes;
	e->n_notes = r->n_notes;
	e->sources = sources;
	e->n_sources = r->n_sources;
	e->links = links;
	e->n_links = r->n_links;
	result_class_meaning(e);
	*st = CAT_OK;
	return 1;
}
