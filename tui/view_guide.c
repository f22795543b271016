/* view_guide.c: reputation impact by category, bounce-rate thresholds and
 * best practices. */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "bounce/catalog.h"
#include "draw.h"
#include "pane.h"
#include "ui.h"

static const struct {
	enum cat_kind kind;
	const char *title;
} sections[] = {
	{ CAT_KIND_IMPACT, "Reputation impact" },
	{ CAT_KIND_THRESHOLD, "Bounce-rate thresholds" },
	{ CAT_KIND_PRACTICE, "Best practices" },
};

/* The impact levels of the catalog's schema (impact-level), each with its
 * own badge word and role: six distinct words, never folded into fewer. */
static const struct {
	const char *level, *badge;
	enum draw_role role;
} levels[] = {
	{ "critical", "CRITICAL", ROLE_LEVEL_CRITICAL },
	{ "severe", "SEVERE", ROLE_LEVEL_SEVERE },
	{ "moderate", "MODERATE", ROLE_LEVEL_MODERATE },
	{ "low-moderate", "LOW-MOD", ROLE_LEVEL_LOW_MODERATE },
	{ "low", "LOW", ROLE_LEVEL_LOW },
	{ "minimal", "MINIMAL", ROLE_LEVEL_MINIMAL },
};

static int
guide_open(struct ui *ui, struct view *v)
{
	struct cat_error err = { 0 };
	size_t s, i;

	pane_clear(&v->list);
	for (s = 0; s < sizeof(sections) / sizeof(sections[0]); s++) {
		struct cat_result *res = NULL;
		struct cat_filter f;
		size_t h;

		memset(&f, 0, sizeof(f));
		f.kind_set = 1;
		f.kind = sections[s].kind;
		if (cat_list(ui->cat, &f, &res, &err) != CAT_OK) {
			cat_result_free(res);
			if (err.status == CAT_NOTFOUND)
				continue;
			ui_status(ui, 1, "%s", err.msg);
			return -1;
		}
		h = view_add_header(&v->list, sections[s].title);
		for (i = 0; i < res->n; i++) {
			const struct cat_entry *e = &res->entries[i];
			struct line *l = pane_add(&v->list, ROLE_ENTRY, e->title, e->key, 0);
			size_t k;

			l->id = e->id;

			l->indent = 1;
			/* the level is a word, shown whether or not colours are on; a
			 * level the table lacks (an overlay's "none") gets no badge */
			for (k = 0; e->impact_level && k < sizeof(levels) / sizeof(levels[0]); k++) {
				if (strcmp(e->impact_level, levels[k].level) == 0) {
					l->badge = levels[k].badge;
					l->badge_role = levels[k].role;
					break;
				}
			}
		}
		view_end_group(&v->list, h);
		cat_result_free(res);
	}
	return 0;
}

const struct view_ops view_guide_ops = {
	.name = "guide",
	.title = "Guide",
	.open = guide_open,
	.draw = view_list_draw,
	.hints = view_list_hints,
	.handle = view_list_handle,
	.mouse = view_list_mouse,
	.text = view_list_text,
	.url = view_list_url,
};
