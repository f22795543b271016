/* detail_nav.c: what the detail pane shows: the entry, links followed, back. */
#include "detail_nav.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/catalog.h"
#include "detail.h"
#include "pane.h"
#include "ui.h"

static void
load(struct ui *ui, struct detail *d, const char *key, int cls)
{
	struct cat_error err = { 0 };
	struct cat_filter f;
	const struct cat_entry *e;

	cat_result_free(d->res);
	cat_result_free(d->extra);
	d->res = d->extra = NULL;
	d->error[0] = '\0';
	free(d->key);
	d->key = NULL;
	if (!key)
		return;
	d->key = strdup(key);
	if (!d->key)
		ui_die("out of memory");
	d->cls = cls;
	if (cat_get(ui->cat, key, cls, &d->res, &err) != CAT_OK) {
		snprintf(d->error, sizeof(d->error), "%.200s", err.msg);
		ui_status(ui, 1, "%s", err.msg);
		return;
	}
	e = &d->res->entries[0];
	memset(&f, 0, sizeof(f));
	if (e->kind == CAT_KIND_REASON && e->code)
		f.reason = e->code;
	else if (e->kind == CAT_KIND_IMPACT && e->code)
		f.impact = e->code;
	else
		return;
	if (cat_list(ui->cat, &f, &d->extra, &err) != CAT_OK && err.status != CAT_NOTFOUND)
		ui_status(ui, 1, "%s", err.msg);
}

/* Puts what d shows on a history stack (the key moves there). */
static void
push_step(struct detail *d, struct detail_step **stack, size_t *n, size_t *cap)
{
	struct detail_step *s;

	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 8;

		s = realloc(*stack, c * sizeof(*s));
		if (!s)
			ui_die("out of memory");
		*stack = s;
		*cap = c;
	}
	s = &(*stack)[(*n)++];
	s->key = d->key;
	s->cls = d->cls;
	s->cur = d->pane.cur;
	s->top = d->pane.top;
	d->key = NULL;
}

static void
clear_forward(struct detail *d)
{
	while (d->nfwd)
		free(d->fwd[--d->nfwd].key);
}

void
detail_show(struct ui *ui, struct detail *d, const char *key, int cls, int push)
{
	/* a new way from here: what Back left behind is no way forward now */
	clear_forward(d);
	if (push && d->key)
		push_step(d, &d->hist, &d->nhist, &d->caphist);
	load(ui, d, key, cls);
	detail_build(d);
	pane_first(&d->pane);
}

int
detail_follow(struct ui *ui, struct detail *d)
{
	const struct line *l = pane_selected(&d->pane);
	char *key;

	if (!l || !l->key)
		return -1;
	key = strdup(l->key);
	if (!key)
		ui_die("out of memory");
	detail_show(ui, d, key, l->cls, 1);
	free(key);
	return 0;
}

/* Goes to the latest step of one stack, putting what is shown on the
 * other: Back and Forward are this with the stacks swapped. */
static int
go_step(struct ui *ui, struct detail *d, struct detail_step *from, size_t *nfrom,
	struct detail_step **to, size_t *nto, size_t *capto)
{
	struct detail_step s;

	if (*nfrom == 0)
		return -1;
	s = from[--*nfrom];
	if (d->key)
		push_step(d, to, nto, capto);
	load(ui, d, s.key, s.cls);
	detail_build(d);
	free(s.key);
	pane_set_cur(&d->pane, s.cur);
	d->pane.top = s.top;
	return 0;
}

int
detail_back(struct ui *ui, struct detail *d)
{
	return go_step(ui, d, d->hist, &d->nhist, &d->fwd, &d->nfwd, &d->capfwd);
}

int
detail_forward(struct ui *ui, struct detail *d)
{
	return go_step(ui, d, d->fwd, &d->nfwd, &d->hist, &d->nhist, &d->caphist);
}

void
detail_layout(struct ui *ui, struct detail *d, int width)
{
	size_t cur = d->pane.cur;
	const struct line *l = pane_selected(&d->pane);
	char *key = l && l->key ? strdup(l->key) : NULL;

	(void)ui;
	if (width == d->width)
		goto out;
	d->width = width;
	detail_build(d);
	if (key && pane_find_key(&d->pane, key) >= 0)
		pane_set_cur(&d->pane, (size_t)pane_find_key(&d->pane, key));
	else
		pane_set_cur(&d->pane, cur);
out:
	free(key);
}

void
detail_free(struct detail *d)
{
	size_t i;

	for (i = 0; i < d->nhist; i++)
		free(d->hist[i].key);
	free(d->hist);
	clear_forward(d);
	free(d->fwd);
	free(d->key);
	free(d->list_key);
	cat_result_free(d->res);
	cat_result_free(d->extra);
	pane_free(&d->pane);
	memset(d, 0, sizeof(*d));
}

void
detail_sync(struct ui *ui, struct detail *d, const struct pane *list)
{
	const struct line *l = pane_selected(list);
	size_t i;

	if (!l) {
		if (d->list_key || d->key) {
			free(d->list_key);
			d->list_key = NULL;
			load(ui, d, NULL, 0);
			detail_build(d);
		}
		return;
	}
	if (d->list_key && strcmp(d->list_key, l->key) == 0)
		return;
	free(d->list_key);
	d->list_key = strdup(l->key);
	if (!d->list_key)
		ui_die("out of memory");
	for (i = 0; i < d->nhist; i++)
		free(d->hist[i].key);
	d->nhist = 0;
	detail_show(ui, d, l->key, l->cls, 0);
}
