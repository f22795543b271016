/* view_providers.c: every provider (built-in or from a user catalog) with
 * its entries; the provider line itself opens its postmaster page. */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "bounce/catalog.h"
#include "pane.h"
#include "ui.h"

/* Above this many provider entries the view is built in two steps: the
 * first PROVIDERS_PAGE entries for the first screen, the rest when the
 * cursor comes near its end, a search or a jump needs every line, or the
 * terminal is idle (view_complete()). At 100,000 entries the whole list
 * takes about a second to build. */
#define PROVIDERS_AT_ONCE 5000
#define PROVIDERS_PAGE 200

struct providers {
	int partial; /* only the first page is built */
	int full;    /* build everything (set once the rest is wanted) */
};

static int
providers_open(struct ui *ui, struct view *v)
{
	struct providers *pp = v->priv;
	struct cat_error err = { 0 };
	struct cat_result *provs = NULL;
	struct cat_filter f;
	size_t k, total = 0, budget = PROVIDERS_PAGE;
	int rc = 0;

	pane_clear(&v->list);
	v->subtitle[0] = '\0';
	pp->partial = !pp->full && cat_count(ui->cat, CAT_KIND_ENTRY, &total, &err) == CAT_OK &&
		      total > PROVIDERS_AT_ONCE;
	memset(&f, 0, sizeof(f));
	f.kind_set = 1;
	f.kind = CAT_KIND_PROVIDER;
	if (cat_list(ui->cat, &f, &provs, &err) != CAT_OK) {
		if (err.status == CAT_NOTFOUND)
			return 0;
		ui_status(ui, 1, "%s", err.msg);
		return -1;
	}
	for (k = 0; k < provs->n && !(pp->partial && budget == 0); k++) {
		const struct cat_entry *pe = &provs->entries[k];
		struct cat_result *res = NULL;
		size_t h, i;
		int w;

		memset(&f, 0, sizeof(f));
		f.kind_set = 1;
		f.kind = CAT_KIND_ENTRY;
		f.provider = pe->code ? pe->code : pe->key;
		f.limit = pp->partial ? budget : 0;
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
		if (pp->partial)
			budget -= res && res->n < budget ? res->n : budget;
		cat_result_free(res);
	}
	if (pp->partial)
		snprintf(v->subtitle, sizeof(v->subtitle), "the first of %zu entries", total);
	cat_result_free(provs);
	return rc;
}

/* Builds the whole list once the first page is not enough. */
static int
providers_complete(struct ui *ui, struct view *v)
{
	struct providers *pp = v->priv;

	if (!pp->partial)
		return 0;
	pp->full = 1;
	return providers_open(ui, v) == 0 ? 1 : -1;
}

const struct view_ops view_providers_ops = {
	.name = "providers",
	.title = "Providers",
	.open = providers_open,
	.draw = view_list_draw,
	.hints = view_list_hints,
	.handle = view_list_handle,
	.mouse = view_list_mouse,
	.complete = providers_complete,
	.private_size = sizeof(struct providers),
	.text = view_list_text,
	.url = view_list_url,
};
