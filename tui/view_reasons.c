/* view_reasons.c: the bounce taxonomy, grouped recipient / message / sender
 * / remote / info; the detail of a reason links every entry with it. */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "bounce/catalog.h"
#include "pane.h"
#include "ui.h"

/* The groups listed, in order; a reason in none of them is listed under "other". */
static const enum cat_group groups[] = {
	CAT_GROUP_RECIPIENT, CAT_GROUP_MESSAGE, CAT_GROUP_SENDER, CAT_GROUP_REMOTE, CAT_GROUP_INFO,
};

#define N_GROUPS (sizeof(groups) / sizeof(groups[0]))

static int
listed_group(enum cat_group g)
{
	size_t i;

	for (i = 0; i < N_GROUPS; i++)
		if (groups[i] == g)
			return 1;
	return 0;
}

/* Adds the reasons of group g, or with other = 1 those of no listed group. */
static void
add_group(struct view *v, const struct cat_result *res, enum cat_group g, int other)
{
	size_t i, h = 0;
	int w = view_code_width(res, 20), any = 0;

	for (i = 0; i < res->n; i++) {
		const struct cat_entry *e = &res->entries[i];
		int match = other ? !listed_group(e->reason_group) : e->reason_group == g;

		if (!match)
			continue;
		if (!any) {
			h = view_add_header(&v->list, other ? "other" : cat_group_name(g));
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
	for (g = 0; g < N_GROUPS; g++)
		add_group(v, res, groups[g], 0);
	add_group(v, res, CAT_GROUP_UNSET, 1);
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
	.text = view_list_text,
	.url = view_list_url,
};
