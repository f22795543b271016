/* pane.c: a pane of lines: building, the cursor, scrolling, filtering, drawing. */
#include "pane.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "ui.h"

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

/* A page down (delta > 0) or up: the cursor and the first row move by the
 * same number of rows, as in less and tig, so the line under the cursor
 * keeps its place on screen; at either end the cursor goes to the first or
 * last line. Moving the view first and then looking for the cursor inside
 * it never reached the last page (the view stops a page before the end)
 * and sent the cursor to the first line from the last one. */
static void
pane_page(struct pane *p, long delta)
{
	size_t h = p->height > 0 ? (size_t)p->height : 1, step = (size_t)(delta < 0 ? -delta : delta);
	size_t max_top = p->nvis > h ? p->nvis - h : 0;

	if (p->nvis == 0)
		return;
	if (delta > 0) {
		if (p->cur + step >= p->nvis - 1) {
			pane_last(p);
			return;
		}
		p->top = p->top + step > max_top ? max_top : p->top + step;
		pane_set_cur(p, p->cur + step);
	} else {
		if (p->cur <= step) {
			pane_first(p);
			return;
		}
		p->top = p->top > step ? p->top - step : 0;
		pane_set_cur(p, p->cur - step);
	}
}

int
pane_action(struct pane *p, enum keymap_action a)
{
	long page = p->height > 1 ? p->height - 1 : 1;

	switch (a) {
	case ACT_MOVE_DOWN:
		pane_move(p, 1);
		break;
	case ACT_MOVE_UP:
		pane_move(p, -1);
		break;
	case ACT_PAGE_DOWN:
		pane_page(p, page);
		break;
	case ACT_PAGE_UP:
		pane_page(p, -page);
		break;
	case ACT_HALF_DOWN:
		pane_move(p, page / 2 ? page / 2 : 1);
		break;
	case ACT_HALF_UP:
		pane_move(p, -(page / 2 ? page / 2 : 1));
		break;
	case ACT_FIRST:
		pane_first(p);
		break;
	case ACT_LAST:
		pane_last(p);
		break;
	default:
		return 0;
	}
	return 1;
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
