/* view_providers.c: every provider (built-in or from a user catalog) with
 * its entries; the provider line itself opens its postmaster page. */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "bounce/catalog.h"
#include "pane.h"
#include "ui.h"

static int
providers_open(struct ui *ui, struct view *v)
{
	struct cat_error err = { 0 };
	struct cat_result *provs = NULL;
	struct cat_filter f;
	size_t k;
	int rc = 0;

	pane_clear(&v->list);
	memset(&f, 0, sizeof(f));
	f.kind_set = 1;
	f.kind = CAT_KIND_PROVIDER;
	if (cat_list(ui->cat, &f, &provs, &err) != CAT_OK) {
		if (err.status == CAT_NOTFOUND)
			return 0;
		ui_status(ui, 1, "%s", err.msg);
		return -1;
	}
	for (k = 0; k < provs->n; k++) {
		const struct cat_entry *pe = &provs->entries[k];
		struct cat_result *res = NULL;
		size_t h, i;
		int w;

		memset(&f, 0, sizeof(f));
		f.kind_set = 1;
		f.kind = CAT_KIND_ENTRY;
		f.provider = pe->code ? pe->code : pe->key;
		if (cat_list(ui->cat, &f, &res, &err) != CAT_OK && err.status != CAT_NOTFOUND) {
			ui_status(ui, 1, "%s", err.msg);
			rc = -1;
			break;
		}
		h = view_add_header(&v->list, pe->title);
		w = view_code_width(res, 18);
		view_add_entry(&v->list, pe, w, 1);
		for (i = 0; res && i < res->n; i++)
			view_add_entry(&v->list, &res->entries[i], w, 1);
		view_end_group(&v->list, h);
		cat_result_free(res);
	}
	cat_result_free(provs);
	return rc;
}

const struct view_ops view_providers_ops = {
	.name = "providers",
	.title = "Providers",
	.open = providers_open,
	.draw = view_list_draw,
	.hints = view_list_hints,
	.handle = view_list_handle,
	.mouse = view_list_mouse,
	.text = view_list_text,
	.url = view_list_url,
};
