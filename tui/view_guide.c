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

			l->id = e->id;

			l->indent = 1;
			if (e->impact_level) {
				/* the level is a word, shown whether or not colours are on */
				l->badge = strcmp(e->impact_level, "high") == 0 ? "HIGH"
					   : strstr(e->impact_level, "high") ? "MOD-HIGH"
					   : strstr(e->impact_level, "moderate") ? "MODERATE"
										 : "LOW";
				l->badge_role = l->badge[0] == 'H' ? ROLE_HARD
						: l->badge[0] == 'L' ? ROLE_INFO
								     : ROLE_SOFT;
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
