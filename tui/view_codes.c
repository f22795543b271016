/* view_codes.c: reply codes grouped by class (2xx, 3xx, 4xx, 5xx). */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "bounce/catalog.h"
#include "pane.h"
#include "ui.h"

static const char *const class_words[6] = {
	NULL, NULL, "success", "intermediate", "transient", "permanent",
};

static int
codes_open(struct ui *ui, struct view *v)
{
	struct cat_error err = { 0 };
	int cls;

	pane_clear(&v->list);
	for (cls = 2; cls <= 5; cls++) {
		struct cat_filter f;
		struct cat_result *cr = NULL, *res = NULL;
		char key[16], head[64];
		size_t h, i;
		int w;

		memset(&f, 0, sizeof(f));
		f.kind_set = 1;
		f.kind = CAT_KIND_REPLY;
		f.cls = cls;
		if (cat_list(ui->cat, &f, &res, &err) != CAT_OK && err.status != CAT_NOTFOUND) {
			ui_status(ui, 1, "%s", err.msg);
			cat_result_free(res);
			return -1;
		}
		snprintf(head, sizeof(head), "%dxx  %s", cls, class_words[cls]);
		h = view_add_header(&v->list, head);
		snprintf(key, sizeof(key), "class:%d", cls);
		w = view_code_width(res, 8);
		if (w < 5)
			w = 5;
		if (cat_get(ui->cat, key, 0, &cr, &err) == CAT_OK)
			view_add_entry(&v->list, &cr->entries[0], w, 1);
		cat_result_free(cr);
		for (i = 0; res && i < res->n; i++)
			view_add_entry(&v->list, &res->entries[i], w, 1);
		view_end_group(&v->list, h);
		cat_result_free(res);
	}
	return 0;
}

const struct view_ops view_codes_ops = {
	.name = "codes",
	.title = "Reply codes",
	.open = codes_open,
	.draw = view_list_draw,
	.hints = view_list_hints,
	.handle = view_list_handle,
	.mouse = view_list_mouse,
	.text = view_list_text,
	.url = view_list_url,
};
