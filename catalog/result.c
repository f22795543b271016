/* result.c: results of queries: making them, freeing them, and the class rules of an entry. */
#include "result.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ------------------------------------------------------------ results */

struct cat_result *
result_new(struct cat_error *err)
{
	struct cat_result *res = calloc(1, sizeof(*res));

	if (res)
		res->arena = arena_new();
	if (!res || !res->arena) {
		cat_result_free(res);
		cat_fail(err, CAT_ENOMEM, "out of memory");
		return NULL;
	}
	return res;
}

void
cat_result_free(struct cat_result *res)
{
	if (!res)
		return;
	free(res->entries);
	free(res->match);
	arena_free(res->arena);
	free(res);
}

/* A new zeroed entry at the end of res; NULL on out of memory. The arrays
 * grow at 8, 16, 32, ... entries. */
struct cat_entry *
result_add(struct cat_result *res, enum cat_match m)
{
	struct cat_entry *e;

	if (res->n == 0 || (res->n >= 8 && (res->n & (res->n - 1)) == 0)) {
		size_t cap = res->n ? res->n * 2 : 8;
		struct cat_entry *ne;
		enum cat_match *nm;

		ne = realloc(res->entries, cap * sizeof(*ne));
		if (!ne)
			return NULL;
		res->entries = ne;
		nm = realloc(res->match, cap * sizeof(*nm));
		if (!nm)
			return NULL;
		res->match = nm;
	}
	e = &res->entries[res->n];
	memset(e, 0, sizeof(*e));
	e->subject = e->detail_lo = e->detail_hi = -1;
	res->match[res->n++] = m;
	return e;
}

int
result_in_class(struct cat_result *res, struct cat_entry *e, int cls)
{
	int oom = 0;

	switch (e->kind) {
	case CAT_KIND_ENHANCED:
		e->cls = cls;
		if (cls >= 2 && cls <= 5 && e->key) {
			char *code = arena_strdup(res->arena, e->key);

			if (code)
				code[0] = (char)('0' + cls);
			else
				oom = 1;
			e->code = code;
		}
		break;
	case CAT_KIND_SUBJECT:
		e->cls = cls;
		break;
	case CAT_KIND_CLASS:
		break;
	case CAT_KIND_ENTRY:
		/* the reply decides the outcome: "550 4.4.7" is final */
		if (e->reply)
			e->cls = e->reply / 100;
		break;
	case CAT_KIND_REPLY:
		e->cls = e->reply / 100;
		break;
	default:
		e->cls = 0;
		break;
	}
	/* the analyzer's action for a transient code */
	if (e->cls == 4 && e->action_transient != CAT_ACTION_UNSET)
		e->action_id = e->action_transient;
	/* a class row has its severity from the catalog */
	if (e->severity == CAT_CLASS_NONE)
		e->severity = cat_class_of_digit(e->cls);
	return oom ? -1 : 0;
}

void
result_class_meaning(struct cat_entry *e)
{
	size_t i;

	for (i = 0; e->cls && i < e->n_notes; i++)
		if (e->notes[i].kind == CAT_NOTE_AS_CLASS && e->notes[i].num == e->cls)
			e->class_meaning = e->notes[i].body;
}

