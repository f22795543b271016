/* view_enhanced.c: enhanced status codes grouped by subject (X.0 to X.7),
 * with the class digit as a facet: X (all), 2, 4 or 5. */
#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/catalog.h"
#include "draw.h"
#include "keymap.h"
#include "pane.h"
#include "search.h"
#include "ui.h"

struct enhanced {
	int facet; /* 0 (X), 2, 4, 5 */
};

static int
enhanced_open(struct ui *ui, struct view *v)
{
	struct enhanced *p = v->priv;
	struct cat_error err = { 0 };
	struct cat_result *subjects = NULL;
	struct cat_filter f;
	size_t s;
	int rc = 0;

	pane_clear(&v->list);
	memset(&f, 0, sizeof(f));
	f.kind_set = 1;
	f.kind = CAT_KIND_SUBJECT;
	if (cat_list(ui->cat, &f, &subjects, &err) != CAT_OK) {
		ui_status(ui, 1, "%s", err.msg);
		return -1;
	}
	for (s = 0; s < subjects->n; s++) {
		const struct cat_entry *se = &subjects->entries[s];
		struct cat_result *res = NULL;
		char head[256];
		size_t h, i;
		int w;

		memset(&f, 0, sizeof(f));
		f.kind_set = 1;
		f.kind = CAT_KIND_ENHANCED;
		f.subject = se->subject;
		f.subject_set = 1;
		f.cls = p->facet;
		if (cat_list(ui->cat, &f, &res, &err) != CAT_OK && err.status != CAT_NOTFOUND) {
			ui_status(ui, 1, "%s", err.msg);
			rc = -1;
			break;
		}
		if (p->facet)
			snprintf(head, sizeof(head), "%d.%d  %s", p->facet, se->subject, se->title);
		else
			snprintf(head, sizeof(head), "X.%d  %s", se->subject, se->title);
		h = view_add_header(&v->list, head);
		w = view_code_width(res, 10);
		if (w < 6)
			w = 6;
		view_add_entry(&v->list, se, w, 1)->cls = p->facet;
		for (i = 0; res && i < res->n; i++)
			view_add_entry(&v->list, &res->entries[i], w, 1);
		view_end_group(&v->list, h);
		cat_result_free(res);
	}
	cat_result_free(subjects);
	snprintf(v->subtitle, sizeof(v->subtitle), "class %c (c: X/2/4/5)",
		 p->facet ? '0' + p->facet : 'X');
	return rc;
}

static enum view_result
enhanced_handle(struct ui *ui, struct view *v, enum keymap_action a, struct view_req *req)
{
	struct enhanced *p = v->priv;
	const struct line *l;
	char *key = NULL;

	if (a != ACT_CLASS_FACET)
		return view_list_handle(ui, v, a, req);
	l = pane_selected(&v->list);
	if (l && l->key) {
		key = strdup(l->key);
		if (!key)
			ui_die("out of memory");
	}
	p->facet = p->facet == 0 ? 2 : p->facet == 2 ? 4 : p->facet == 4 ? 5 : 0;
	if (enhanced_open(ui, v) == 0) {
		long pos;

		search_mark_hits(ui);
		pane_refilter(&v->list);
		pos = pane_find_key(&v->list, key);
		pane_first(&v->list);
		if (pos >= 0)
			pane_set_cur(&v->list, (size_t)pos);
		free(v->detail.list_key);
		v->detail.list_key = NULL;
		ui_status(ui, 0, "class facet: %c", p->facet ? '0' + p->facet : 'X');
	}
	free(key);
	return VIEW_REDRAW;
}

const struct view_ops view_enhanced_ops = {
	.name = "enhanced",
	.title = "Enhanced",
	.keymap = "c class-facet\n",
	.open = enhanced_open,
	.draw = view_list_draw,
	.hints = view_list_hints,
	.mouse = view_list_mouse,
	.text = view_list_text,
	.url = view_list_url,
	.handle = enhanced_handle,
	.private_size = sizeof(struct enhanced),
};
