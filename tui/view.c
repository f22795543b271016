/* view.c: what every view shares: opening and closing, building lists, and
 * the list views' layout, keys and mouse. */
#include "view.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detail_nav.h"
#include "display.h"
#include "draw.h"
#include "format.h"
#include "role.h"
#include "text.h"
#include "ui.h"

/* From this width the list and the detail are side by side. */
#define SIDE_COLS 120

int
view_code_width(const struct cat_result *res, int cap)
{
	size_t i;
	int w = 0;

	for (i = 0; res && i < res->n; i++) {
		int cw = draw_width(res->entries[i].code ? res->entries[i].code : "");

		if (cw > w)
			w = cw;
	}
	return w > cap ? cap : w;
}

struct line *
view_add_entry(struct pane *p, const struct cat_entry *e, int code_w, int indent)
{
	struct tbuf code = { 0 }, b = { 0 };
	const char *c = e->code ? e->code : (e->key ? e->key : "?");
	struct line *l;
	int cw;

	if (!text_sanitize(c, strlen(c), 0, &code))
		ui_die("out of memory");
	cw = (int)text_width(code.s, code.len);
	tbuf_add(&b, code.s, code.len);
	while (cw++ < code_w)
		tbuf_add(&b, " ", 1);
	tbuf_adds(&b, "  ");
	l = pane_add(p, view_entry_role(e), NULL, e->key, e->cls);
	l->id = e->id;
	free(l->text);
	if (!text_sanitize(e->title ? e->title : "", e->title ? strlen(e->title) : 0, 0, &b))
		ui_die("out of memory");
	l->text = b.s;
	l->mark = code.len;
	l->badge = fmt_rating_word(fmt_entry_rating(e));
	l->indent = indent;
	tbuf_free(&code);
	return l;
}

size_t
view_add_header(struct pane *p, const char *text)
{
	pane_add(p, ROLE_HEADER, text, NULL, 0);
	p->last_header = p->n - 1;
	p->lines[p->n - 1].group = p->n - 1;
	return p->n - 1;
}

void
view_end_group(struct pane *p, size_t h)
{
	char buf[32];
	struct tbuf b = { 0 };
	size_t i, n = 0;

	for (i = h + 1; i < p->n; i++)
		if (p->lines[i].group == h && p->lines[i].key)
			n++;
	snprintf(buf, sizeof(buf), " (%zu)", n);
	tbuf_adds(&b, p->lines[h].text);
	tbuf_adds(&b, buf);
	if (!b.s)
		ui_die("out of memory");
	free(p->lines[h].text);
	p->lines[h].text = b.s;
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

void
view_mark_hits(struct ui *ui, struct view *v)
{
	size_t i;

	v->hits = 0;
	for (i = 0; i < v->list.n; i++) {
		struct line *l = &v->list.lines[i];

		l->flags &= ~LINE_HIT;
		if (l->id && ui->nhits &&
		    bsearch(&l->id, ui->hit_ids, ui->nhits, sizeof(int64_t), cmp_id)) {
			l->flags |= LINE_HIT;
			v->hits++;
		}
	}
}

int
view_build(struct ui *ui, struct view *v)
{
	if (v->built)
		return 0;
	v->built = 1;
	if (v->ops->open && v->ops->open(ui, v))
		return -1;
	view_mark_hits(ui, v);
	pane_refilter(&v->list);
	pane_first(&v->list);
	return 0;
}

void
view_complete(struct ui *ui, struct view *v)
{
	const struct line *sel;
	char *key = NULL;
	size_t top;

	if (!v->built || !v->ops->complete)
		return;
	sel = pane_selected(&v->list);
	if (sel && sel->key && !(key = strdup(sel->key)))
		ui_die("out of memory");
	top = v->list.top;
	if (v->ops->complete(ui, v) == 1) {
		long pos;

		view_mark_hits(ui, v);
		pane_refilter(&v->list);
		pos = pane_find_key(&v->list, key);
		pane_first(&v->list);
		if (pos >= 0) {
			/* the page was the start of the list: the same rows stay on screen */
			v->list.top = top;
			pane_set_cur(&v->list, (size_t)pos);
		}
	}
	free(key);
}

int
view_open(struct ui *ui, struct view *v, const struct view_ops *ops, int lazy)
{
	char err[256];

	v->ops = ops;
	if (ops->private_size) {
		v->priv = calloc(1, ops->private_size);
		if (!v->priv)
			ui_die("out of memory");
	}
	v->detail.pane.all_rows = 1;
	if (ops->keymap && keymap_load(&v->keymap, ops->keymap, err, sizeof(err))) {
		ui_status(ui, 1, "%s keymap: %s", ops->name, err);
		return -1;
	}
	return lazy ? 0 : view_build(ui, v);
}

void
view_close(struct view *v)
{
	if (v->ops && v->ops->close)
		v->ops->close(v);
	free(v->priv);
	v->priv = NULL;
	pane_free(&v->list);
	detail_free(&v->detail);
	keymap_free(&v->keymap);
}

/* ---------------------------------------------------------------- the list views */

struct view *
view_at(struct ui *ui, size_t k)
{
	struct view *v = &ui->views[k];

	view_build(ui, v);
	return v;
}

struct view *
view_current(struct ui *ui)
{
	return view_at(ui, ui->cur_view);
}

void
view_jump(struct ui *ui, const char *key, int cls)
{
	size_t i, k;

	for (i = 0; i < UI_NVIEWS; i++) {
		long pos;

		k = (ui->cur_view + i) % UI_NVIEWS;
		view_complete(ui, view_at(ui, k));
		pos = pane_find_key(&ui->views[k].list, key);
		if (pos >= 0) {
			struct view *v = &ui->views[k];

			ui->cur_view = k;
			pane_set_cur(&v->list, (size_t)pos);
			detail_sync(ui, &v->detail, &v->list);
			if (v->detail.cls != cls && cls)
				detail_show(ui, &v->detail, key, cls, 0);
			ui->focus = FOCUS_LIST;
			return;
		}
	}
	/* listed nowhere (a decoded tag such as BL000101): the current view's
	 * detail shows it, and keeps it while the list selection stays */
	{
		struct view *v = view_current(ui);
		const struct line *sel = pane_selected(&v->list);

		detail_show(ui, &v->detail, key, cls, 1);
		free(v->detail.list_key);
		v->detail.list_key = sel && sel->key ? strdup(sel->key) : NULL;
		ui->focus = FOCUS_DETAIL;
	}
}

void
view_list_draw(struct ui *ui, struct view *v, int y, int x, int h, int w)
{
	char left[256], right[64];
	int lh;

	ui->side_by_side = w >= SIDE_COLS;
	if (ui->side_by_side) {
		int lw = w * ui->split / 100;

		ui->list_y = y + 1;
		ui->list_x = x;
		ui->list_w = lw;
		ui->list_h = h - 1;
		ui->det_y = y + 1;
		ui->det_x = x + lw + 1;
		ui->det_w = w - lw - 1;
		ui->det_h = h - 1;
		draw_vline(y, x + lw, h);
	} else {
		lh = (h - 2) * ui->split / 100;
		if (lh < 3)
			lh = 3;
		ui->list_y = y + 1;
		ui->list_x = x;
		ui->list_w = w;
		ui->list_h = lh;
		ui->det_y = y + 1 + lh + 1;
		ui->det_x = x;
		ui->det_w = w;
		ui->det_h = h - lh - 2;
		if (ui->det_h < 1)
			ui->det_h = 1;
	}
	/* list */
	{
		const struct line *sel = pane_selected(&v->list);
		size_t n = 0, i, at = 0;

		for (i = 0; i < v->list.nvis; i++)
			if (v->list.lines[v->list.vis[i]].key) {
				n++;
				if (sel && i <= v->list.cur)
					at++;
			}
		snprintf(left, sizeof(left), " %s%s%s%s", v->ops->title, v->subtitle[0] ? " - " : "",
			 v->subtitle, ui->query && ui->filter ? "  [only matches]" : "");
		snprintf(right, sizeof(right), "%zu/%zu", at, n);
		draw_title(ui->list_y - 1, ui->list_x, ui->list_w, ui->focus == FOCUS_LIST, left,
			   right, "list");
		pane_draw(ui, &v->list, ui->list_y, ui->list_x, ui->list_h, ui->list_w,
			  ui->focus == FOCUS_LIST, "list");
	}
	/* detail */
	detail_layout(ui, &v->detail, ui->det_w - 1);
	snprintf(left, sizeof(left), " %s", v->detail.key ? detail_title(&v->detail) : "(nothing selected)");
	if (v->detail.key)
		snprintf(left, sizeof(left), " Detail: %s", v->detail.key);
	if (v->detail.nhist)
		snprintf(right, sizeof(right), "%zu back", v->detail.nhist);
	else
		right[0] = '\0';
	draw_title(ui->det_y - 1, ui->det_x, ui->det_w, ui->focus == FOCUS_DETAIL, left,
		   right[0] ? right : NULL, "detail");
	pane_draw(ui, &v->detail.pane, ui->det_y, ui->det_x + 1, ui->det_h, ui->det_w - 1,
		  ui->focus == FOCUS_DETAIL, "detail");
}

enum view_result
view_list_handle(struct ui *ui, struct view *v, enum keymap_action a, struct view_req *req)
{
	struct pane *p = ui->focus == FOCUS_DETAIL ? &v->detail.pane : &v->list;

	if ((keymap_action_flags(a) & KEYMAP_NEEDS_SELECTION) && !pane_selected(&v->list) &&
	    !v->detail.res) {
		ui_status(ui, 1, "%s: nothing selected", keymap_action_name(a));
		return VIEW_HANDLED;
	}
	/* the cursor going to or near the end of a list built in part */
	if (p == &v->list && v->ops->complete &&
	    (a == ACT_LAST || a == ACT_PAGE_DOWN || a == ACT_HALF_DOWN || a == ACT_MOVE_DOWN) &&
	    (a == ACT_LAST || p->cur + (size_t)(p->height > 0 ? p->height : 1) >= p->nvis))
		view_complete(ui, v);
	if (pane_action(p, a))
		return VIEW_HANDLED;
	switch (a) {
	case ACT_OPEN:
		if (ui->focus == FOCUS_LIST) {
			if (pane_selected(&v->list))
				ui->focus = FOCUS_DETAIL;
		} else if (detail_follow(ui, &v->detail)) {
			ui_status(ui, 1, "not a link: the links are the lines under Related");
		}
		return VIEW_HANDLED;
	case ACT_BACK:
		if (ui->from_analyzer && ui->focus == FOCUS_DETAIL &&
		    v->detail.nhist + 1 <= (size_t)ui->from_analyzer)
			req->kind = VIEW_REQ_RETURN;
		else if (detail_back(ui, &v->detail) == 0)
			ui_status(ui, 0, "back: %zu more", v->detail.nhist);
		else if (ui->focus == FOCUS_DETAIL)
			ui->focus = FOCUS_LIST;
		else if (ui->query)
			req->kind = VIEW_REQ_CLEAR_SEARCH;
		return VIEW_HANDLED;
	case ACT_HIST_BACK:
		if (detail_back(ui, &v->detail) == 0) {
			ui->focus = FOCUS_DETAIL;
			ui_status(ui, 0, "back: %zu more, %zu forward (])", v->detail.nhist,
				  v->detail.nfwd);
		} else {
			ui_status(ui, 1, "no link followed to go back from");
		}
		return VIEW_HANDLED;
	case ACT_HIST_FORWARD:
		if (detail_forward(ui, &v->detail) == 0) {
			ui->focus = FOCUS_DETAIL;
			ui_status(ui, 0, "forward: %zu more, %zu back ([)", v->detail.nfwd,
				  v->detail.nhist);
		} else {
			ui_status(ui, 1, "nothing to go forward to: [ or C-o go back first");
		}
		return VIEW_HANDLED;
	case ACT_FOCUS:
		ui->from_analyzer = 0;
		ui->focus = ui->focus == FOCUS_LIST ? FOCUS_DETAIL : FOCUS_LIST;
		return VIEW_HANDLED;
	case ACT_CLOSE:
		if (ui->focus != FOCUS_DETAIL)
			return VIEW_UNHANDLED; /* quits */
		ui->from_analyzer = 0;
		ui->focus = FOCUS_LIST;
		return VIEW_HANDLED;
	default:
		return VIEW_UNHANDLED;
	}
}

static int
inside(int y, int x, int ry, int rx, int rh, int rw)
{
	return y >= ry && y < ry + rh && x >= rx && x < rx + rw;
}

void
view_list_mouse(struct ui *ui, struct view *v, const struct display_mouse *m)
{
	struct pane *p = NULL;
	int in_list = 0;

	if (inside(m->y, m->x, ui->list_y, ui->list_x, ui->list_h, ui->list_w)) {
		p = &v->list;
		in_list = 1;
	} else if (inside(m->y, m->x, ui->det_y, ui->det_x, ui->det_h, ui->det_w)) {
		p = &v->detail.pane;
	} else {
		return;
	}
	if (m->kind == DISPLAY_WHEEL_UP || m->kind == DISPLAY_WHEEL_DOWN) {
		if (in_list && m->kind == DISPLAY_WHEEL_DOWN &&
		    p->top + 2 * (size_t)(p->height > 0 ? p->height : 1) >= p->nvis)
			view_complete(ui, v);
		pane_scroll(p, m->kind == DISPLAY_WHEEL_UP ? -3 : 3);
	} else {
		size_t pos = p->top + (size_t)(m->y - (in_list ? ui->list_y : ui->det_y));

		if (pos < p->nvis && (p->all_rows || p->lines[p->vis[pos]].key)) {
			p->cur = pos;
			ui->focus = in_list ? FOCUS_LIST : FOCUS_DETAIL;
			if (m->kind == DISPLAY_DOUBLE_CLICK) {
				if (in_list)
					ui->focus = FOCUS_DETAIL;
				else
					detail_follow(ui, &v->detail);
			}
		}
	}
	detail_sync(ui, &v->detail, &v->list);
}

char *
view_list_text(struct ui *ui, struct view *v, size_t *len, char *what, size_t whatsize)
{
	char *text = v->detail.key ? detail_text(ui, &v->detail, len) : NULL;

	if (text)
		snprintf(what, whatsize, "%s", v->detail.key);
	return text;
}

int
view_list_url(struct ui *ui, struct view *v, char *buf, size_t size)
{
	const char *url;

	(void)ui;
	if (!v->detail.res || !v->detail.res->n)
		return -1;
	url = detail_url(&v->detail.res->entries[0]);
	if (!url)
		return -1;
	snprintf(buf, size, "%s", url);
	return 0;
}

void
view_list_hints(const struct ui *ui, const struct view *v, char *buf, size_t size)
{
	(void)v;
	snprintf(buf, size, "%s%s%sj/k move  Enter open  Tab pane  / search  & filter  "
			    "a analyze  h help  q quit",
		 ui->query ? "/" : "", ui->query ? ui->query : "", ui->query ? "  n/N  " : "");
}

int
view_code_cls(int reply, const char *enhanced)
{
	if (reply >= 200 && reply < 600)
		return reply / 100;
	if (enhanced && enhanced[0] >= '2' && enhanced[0] <= '5')
		return enhanced[0] - '0';
	return 0;
}

void
view_add_entry_link(struct ui *ui, struct pane *p, const char *key, int cls)
{
	struct cat_result *res = NULL;
	struct cat_error err = { 0 };
	char buf[1024];
	struct line *l;

	if (cat_get(ui->cat, key, cls, &res, &err) == CAT_OK && res->n) {
		const struct cat_entry *e = &res->entries[0];

		snprintf(buf, sizeof(buf), "> %s%s%s  %s", e->provider ? e->provider : "",
			 e->provider ? "  " : "", e->code ? e->code : key, e->title ? e->title : "");
		l = pane_add(p, ROLE_LINK, buf, key, cls);
		l->badge = fmt_rating_word(fmt_entry_rating(e));
		l->badge_role = view_entry_role(e);
	} else {
		snprintf(buf, sizeof(buf), "> %s", key);
		l = pane_add(p, ROLE_LINK, buf, key, cls);
	}
	l->indent = 2;
	cat_result_free(res);
}
