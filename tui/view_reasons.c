/* view_reasons.c: the bounce taxonomy, grouped recipient / message / sender
 * / remote / info; the detail of a reason links every entry with it. */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "bounce/catalog.h"
#include "pane.h"
#include "ui.h"

static const char *const groups[] = { "recipient", "message", "sender", "remote", "info", NULL };

static int
known_group(const char *g)
{
	size_t i;

	for (i = 0; g && groups[i]; i++)
		if (strcmp(groups[i], g) == 0)
			return 1;
	return 0;
}

static void
add_group(struct view *v, const struct cat_result *res, const char *g)
{
	size_t i, h = 0;
	int w = view_code_width(res, 20), any = 0;

	for (i = 0; i < res->n; i++) {
		const struct cat_entry *e = &res->entries[i];
		int match = g ? e->reason_group && strcmp(e->reason_group, g) == 0
			      : !known_group(e->reason_group);

		if (!match)
			continue;
		if (!any) {
			h = view_add_header(&v->list, g ? g : "other");
			any = 1;
		}
		view_add_entry(&v->list, e, w, 1);
	}
	if (any)
		view_end_group(&v->list, h);
}

static int
reasons_open(struct ui *ui, struct view *v)
{
	struct cat_error err = { 0 };
	struct cat_result *res = NULL;
	struct cat_filter f;
	size_t g;

	pane_clear(&v->list);
	memset(&f, 0, sizeof(f));
	f.kind_set = 1;
	f.kind = CAT_KIND_REASON;
	if (cat_list(ui->cat, &f, &res, &err) != CAT_OK) {
		if (err.status == CAT_NOTFOUND)
			return 0;
		ui_status(ui, 1, "%s", err.msg);
		return -1;
	}
	for (g = 0; groups[g]; g++)
		add_group(v, res, groups[g]);
	add_group(v, res, NULL);
	cat_result_free(res);
	return 0;
}

const struct view_ops view_reasons_ops = {
	.name = "reasons",
	.title = "Reasons",
	.open = reasons_open,
	.draw = view_list_draw,
	.hints = view_list_hints,
	.handle = view_list_handle,
	.mouse = view_list_mouse,
};
