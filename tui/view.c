/* view.c: panes of lines, the shared list logic, search hits, the tab bar. */
#include "view.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "display.h"
#include "format.h"

void
ui_die(const char *what)
{
	display_die("%s", what);
}

void
ui_status(struct ui *ui, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof(ui->status), fmt, ap);
	va_end(ap);
	ui->status_error = error;
}

static char *
xstrdup(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		ui_die("out of memory");
	return d;
}

/* ---------------------------------------------------------------- panes */

struct line *
pane_add(struct pane *p, enum draw_role role, const char *text, const char *key, int cls)
{
	struct line *l;
	struct tbuf b = { 0 };

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct line *nl = realloc(p->lines, cap * sizeof(*nl));

		if (!nl)
			ui_die("out of memory");
		p->lines = nl;
		p->cap = cap;
	}
	if (!text_sanitize(text ? text : "", text ? strlen(text) : 0, 0, &b))
		ui_die("out of memory");
	l = &p->lines[p->n++];
	memset(l, 0, sizeof(*l));
	l->role = role;
	l->text = b.s;
	l->key = xstrdup(key);
	l->cls = cls;
	l->badge_role = role;
	l->group = p->last_header;
	return l;
}

void
pane_clear(struct pane *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->lines[i].text);
		free(p->lines[i].key);
	}
	p->n = 0;
	p->nvis = 0;
	p->cur = p->top = 0;
	p->last_header = 0;
}

void
pane_free(struct pane *p)
{
	pane_clear(p);
	free(p->lines);
	free(p->vis);
	memset(p, 0, sizeof(*p));
}

static int
selectable(const struct pane *p, size_t pos)
{
	return pos < p->nvis && (p->all_rows || p->lines[p->vis[pos]].key);
}

struct line *
pane_selected(const struct pane *p)
{
	if (!selectable(p, p->cur))
		return NULL;
	return &p->lines[p->vis[p->cur]];
}

void
pane_refilter(struct pane *p)
{
	size_t i, old = p->cur < p->nvis ? p->vis[p->cur] : (size_t)-1, oldtop_line;
	size_t *v;
	unsigned char *shown = NULL;

	oldtop_line = p->top < p->nvis ? p->vis[p->top] : 0;
	v = realloc(p->vis, (p->n ? p->n : 1) * sizeof(*v));
	if (!v)
		ui_die("out of memory");
	p->vis = v;
	p->nvis = 0;
	if (p->only_hits) {
		shown = calloc(p->n ? p->n : 1, 1);
		if (!shown)
			ui_die("out of memory");
		for (i = 0; i < p->n; i++)
			if (p->lines[i].flags & LINE_HIT) {
				shown[i] = 1;
				if (p->lines[i].group < p->n && !p->lines[p->lines[i].group].key)
					shown[p->lines[i].group] = 1;
			}
	}
	for (i = 0; i < p->n; i++)
		if (!shown || shown[i])
			p->vis[p->nvis++] = i;
	free(shown);
	/* keep the cursor on its line, or the nearest one after it */
	p->cur = p->nvis ? p->nvis - 1 : 0;
	for (i = 0; i < p->nvis; i++)
		if (old == (size_t)-1 || p->vis[i] >= old) {
			p->cur = i;
			break;
		}
	p->top = 0;
	for (i = 0; i < p->nvis; i++)
		if (p->vis[i] >= oldtop_line) {
			p->top = i;
			break;
		}
	pane_set_cur(p, p->cur);
}

void
pane_set_cur(struct pane *p, size_t pos)
{
	size_t i;

	if (p->nvis == 0) {
		p->cur = p->top = 0;
		return;
	}
	if (pos >= p->nvis)
		pos = p->nvis - 1;
	for (i = pos; i < p->nvis; i++)
		if (selectable(p, i)) {
			p->cur = i;
			return;
		}
	for (i = pos + 1; i-- > 0;)
		if (selectable(p, i)) {
			p->cur = i;
			return;
		}
	p->cur = pos;
}

void
pane_move(struct pane *p, long delta)
{
	size_t pos = p->cur, target = p->cur;
	long left = delta < 0 ? -delta : delta;

	while (left > 0) {
		if (delta < 0) {
			if (pos == 0)
				break;
			pos--;
		} else {
			if (pos + 1 >= p->nvis)
				break;
			pos++;
		}
		if (selectable(p, pos)) {
			target = pos;
			left--;
		}
	}
	p->cur = target;
}

void
pane_first(struct pane *p)
{
	pane_set_cur(p, 0);
	p->top = 0;
}

void
pane_last(struct pane *p)
{
	size_t i;

	for (i = p->nvis; i-- > 0;)
		if (selectable(p, i)) {
			p->cur = i;
			break;
		}
	if (p->nvis && p->height > 0 && p->nvis > (size_t)p->height)
		p->top = p->nvis - (size_t)p->height;
}

void
pane_scroll(struct pane *p, long delta)
{
	long top = (long)p->top + delta, max;
	size_t h = p->height > 0 ? (size_t)p->height : 1;

	max = (long)p->nvis - (long)h;
	if (max < 0)
		max = 0;
	if (top > max)
		top = max;
	if (top < 0)
		top = 0;
	p->top = (size_t)top;
	if (p->cur < p->top)
		pane_set_cur(p, p->top);
	else if (p->cur >= p->top + h) {
		size_t i;

		for (i = p->top + h; i-- > p->top;)
			if (selectable(p, i)) {
				p->cur = i;
				break;
			}
	}
}

long
pane_find_key(const struct pane *p, const char *key)
{
	size_t i;

	for (i = 0; key && i < p->nvis; i++) {
		const struct line *l = &p->lines[p->vis[i]];

		if (l->key && strcmp(l->key, key) == 0)
			return (long)i;
	}
	return -1;
}

void
pane_fit(struct pane *p, int height)
{
	size_t h = height > 0 ? (size_t)height : 1;

	p->height = height;
	if (p->cur < p->top)
		p->top = p->cur;
	if (p->cur >= p->top + h)
		p->top = p->cur - h + 1;
	if (p->top + h > p->nvis)
		p->top = p->nvis > h ? p->nvis - h : 0;
	/* show the group header above the first entry of a group */
	if (p->top > 0 && p->top == p->cur && !p->lines[p->vis[p->top - 1]].key && !p->all_rows)
		p->top--;
}

void
pane_draw(struct ui *ui, struct pane *p, int y, int x, int h, int w, int focused,
	  const char *name)
{
	int r;

	pane_fit(p, h);
	for (r = 0; r < h; r++) {
		size_t pos = p->top + (size_t)r;

		if (pos >= p->nvis)
			break;
		draw_line(y + r, x, w, &p->lines[p->vis[pos]], pos == p->cur && selectable(p, pos),
			  focused, (const char *const *)ui->words, ui->nwords, name);
	}
}

/* ---------------------------------------------------------------- lists */

enum draw_role
view_entry_role(const struct cat_entry *e)
{
	switch (fmt_entry_rating(e)) {
	case FMT_RATING_HARD:
		return ROLE_HARD;
	case FMT_RATING_SOFT:
		return ROLE_SOFT;
	case FMT_RATING_BLOCK:
		return ROLE_BLOCK;
	case FMT_RATING_SUCCESS:
		return ROLE_SUCCESS;
	case FMT_RATING_INFO:
		return ROLE_INFO;
	default:
		return ROLE_ENTRY;
	}
}

const char *
view_role_word(enum draw_role role)
{
	switch (role) {
	case ROLE_HARD:
		return "HARD";
	case ROLE_SOFT:
		return "SOFT";
	case ROLE_BLOCK:
		return "BLOCK";
	case ROLE_SUCCESS:
		return "OK";
	case ROLE_INFO:
		return "INFO";
	default:
		return NULL;
	}
}

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
	l->badge = view_role_word(l->role);
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
view_mark_hits(struct ui *ui)
{
	size_t i, k;

	for (k = 0; k < UI_NVIEWS; k++) {
		struct view *v = &ui->views[k];

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
}

int
view_open(struct ui *ui, struct view *v, const struct view_ops *ops)
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
	if (ops->open(ui, v))
		return -1;
	pane_refilter(&v->list);
	pane_first(&v->list);
	return 0;
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

void
view_draw_tabs(struct ui *ui, int y, int w)
{
	char buf[96];
	int x = 0;
	size_t k, n;

	draw_text(y, 0, w, ROLE_TABBAR, "", "tabs");
	x += draw_piece(y, x, w - x, ROLE_TABBAR, " bounce ");
	for (k = 0; k < UI_NVIEWS; k++) {
		const struct view *v = &ui->views[k];

		ui->tab_x[k] = x;
		if (ui->query)
			snprintf(buf, sizeof(buf), " %zu%s%s (%zu) ", k + 1,
				 w < 100 && k != ui->cur_view ? "" : " ",
				 w < 100 && k != ui->cur_view ? "" : v->ops->title, v->hits);
		else
			snprintf(buf, sizeof(buf), " %zu %s ", k + 1, v->ops->title);
		x += draw_piece(y, x, w - x,
				k == ui->cur_view && !ui->analyze_open ? ROLE_TAB_ACTIVE : ROLE_TABBAR,
				buf);
	}
	ui->tab_x[UI_NVIEWS] = x;
	ui->tab_an_x = x;
	x += draw_piece(y, x, w - x, ui->analyze_open ? ROLE_TAB_ACTIVE : ROLE_TABBAR,
			ui->query && w < 100 && !ui->analyze_open ? " a " : " a Analyzer ");
	ui->tab_an_end = x;
	n = cat_origin_count(ui->cat);
	if (n > 1)
		snprintf(buf, sizeof(buf), "catalog: built-in + %zu file%s ", n - 1, n > 2 ? "s" : "");
	else
		snprintf(buf, sizeof(buf), "catalog: built-in ");
	if (w - x > draw_width(buf) + 1)
		draw_piece(y, w - draw_width(buf), draw_width(buf), ROLE_TABBAR, buf);
}
