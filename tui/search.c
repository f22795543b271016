/* search.c: the search: the / ? & prompt, search as you type, hits in every view. */
#include "search.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/catalog.h"
#include "draw.h"
#include "keymap.h"
#include "pane.h"
#include "text.h"
#include "ui.h"
#include "view.h"

void
search_free(struct ui *ui)
{
	size_t i;

	cat_free(ui->hit_ids);
	ui->hit_ids = NULL;
	ui->nhits = 0;
	for (i = 0; i < ui->nwords; i++)
		free(ui->words[i]);
	free(ui->words);
	ui->words = NULL;
	ui->nwords = 0;
	free(ui->query);
	ui->query = NULL;
	ui->query_is_code = 0;
}

static char *
xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		ui_die("out of memory");
	return d;
}

/* A code, a tag or a provider code: the first word holds a digit. */
static int
looks_like_code(const char *s)
{
	for (; *s && *s != ' '; s++)
		if (*s >= '0' && *s <= '9')
			return 1;
	return 0;
}

static void
set_words(struct ui *ui, const char *text)
{
	const char *s = text;

	while (*s) {
		const char *e;
		char **w;

		while (*s == ' ' || *s == '"' || *s == '*' || *s == '(' || *s == ')')
			s++;
		e = s;
		while (*e && *e != ' ' && *e != '"' && *e != '*' && *e != '(' && *e != ')')
			e++;
		if (e > s) {
			w = realloc(ui->words, (ui->nwords + 1) * sizeof(*w));
			if (!w)
				ui_die("out of memory");
			ui->words = w;
			ui->words[ui->nwords] = strndup(s, (size_t)(e - s));
			if (!ui->words[ui->nwords])
				ui_die("out of memory");
			ui->nwords++;
		}
		s = e;
	}
}

void
search_refilter(struct ui *ui)
{
	size_t k;

	for (k = 0; k < UI_NVIEWS; k++) {
		struct pane *p = &ui->views[k].list;
		int want = ui->query && (ui->filter || (ui->prompt && k == ui->cur_view));

		p->only_hits = want;
		/* a view not built yet is filtered when it is built */
		if (ui->views[k].built)
			pane_refilter(p);
	}
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The hits of every view. */
static size_t
search_total(const struct ui *ui)
{
	size_t k, total = 0;

	for (k = 0; k < UI_NVIEWS; k++)
		total += ui->views[k].hits;
	return total;
}

/* Runs the search for text: hits in every view, the current list narrowed
 * while the prompt is open. */
static void
run_search(struct ui *ui, const char *text)
{
	struct cat_result *res = NULL;
	struct cat_error err = { 0 };
	enum cat_status st = CAT_NOTFOUND;
	size_t i, total;

	search_free(ui);
	if (*text) {
		ui->query = xstrdup(text);
		if (looks_like_code(text)) {
			st = cat_lookup(ui->cat, text, &res, &err);
			if (st == CAT_OK)
				ui->query_is_code = 1;
			else
				cat_result_free(res), res = NULL;
		}
		/* one letter matches nearly everything and costs the most:
		 * searching starts with the second */
		if (!ui->query_is_code && strlen(text) < 2) {
			free(ui->query);
			ui->query = NULL;
			search_mark_hits(ui);
			search_refilter(ui);
			ui_status(ui, 0, "type one more letter to search");
			return;
		}
		/* only the ids of the hits: a keystroke must stay quick in a
		 * catalog of 100,000 entries */
		if (!ui->query_is_code) {
			st = cat_search_ids(ui->cat, text, 0, &ui->hit_ids, &ui->nhits, &err);
		} else if (st == CAT_OK) {
			ui->hit_ids = malloc((res->n ? res->n : 1) * sizeof(int64_t));
			if (!ui->hit_ids)
				ui_die("out of memory");
			for (i = 0; i < res->n; i++)
				if (res->entries[i].id)
					ui->hit_ids[ui->nhits++] = res->entries[i].id;
			qsort(ui->hit_ids, ui->nhits, sizeof(int64_t), cmp_id);
		}
		if (st != CAT_OK && st != CAT_NOTFOUND && st != CAT_EUSAGE)
			ui_status(ui, 1, "%s", err.msg);
		cat_result_free(res);
		set_words(ui, text);
	}
	search_mark_hits(ui);
	search_refilter(ui);
	total = search_total(ui);
	if (ui->query)
		ui_status(ui, 0, "%zu match%s here, %zu in all views%s", view_current(ui)->hits,
			  view_current(ui)->hits == 1 ? "" : "es", total,
			  ui->query_is_code ? " (code)" : "");
}

/* The first hit from line index `from` forwards (dir 1) or backwards,
 * wrapping; -1 if none. */
static long
find_hit(const struct pane *p, size_t from_pos, int dir, int include_from)
{
	size_t n = p->nvis, i, pos;

	for (i = include_from ? 0 : 1; n && i <= n; i++) {
		pos = dir > 0 ? (from_pos + i) % n : (from_pos + n - i % n) % n;
		if (p->lines[p->vis[pos]].flags & LINE_HIT)
			return (long)pos;
	}
	return -1;
}

/* Visible position of the first line at or after line index `line`. */
static size_t
pos_of_line(const struct pane *p, size_t line)
{
	size_t i;

	for (i = 0; i < p->nvis; i++)
		if (p->vis[i] >= line)
			return i;
	return p->nvis ? p->nvis - 1 : 0;
}

static void
seek_hit(struct ui *ui, int dir, int include_from)
{
	struct view *v = view_current(ui);
	long pos = find_hit(&v->list, v->list.cur, dir, include_from);

	if (pos >= 0)
		v->list.cur = (size_t)pos;
}

void
search_hint_others(struct ui *ui)
{
	char buf[256] = "";
	size_t k, n = 0;

	for (k = 0; k < UI_NVIEWS; k++)
		if (k != ui->cur_view && ui->views[k].hits) {
			size_t len = strlen(buf);

			snprintf(buf + len, sizeof(buf) - len, "%s%zu %s (%zu)", n ? ", " : "", k + 1,
				 ui->views[k].ops->title, ui->views[k].hits);
			n++;
		}
	if (n)
		ui_status(ui, 1, "no match in this view; matches in %s", buf);
	else
		ui_status(ui, 1, "no match for \"%s\"", ui->query ? ui->query : "");
}

void
search_open(struct ui *ui, int kind)
{
	struct view *v = view_current(ui);

	ui->prompt = kind;
	tbuf_reset(&ui->input);
	tbuf_add(&ui->input, "", 0);
	ui->saved_line = v->list.cur < v->list.nvis ? v->list.vis[v->list.cur] : 0;
	ui->saved_top = v->list.top < v->list.nvis ? v->list.vis[v->list.top] : 0;
	ui->status[0] = '\0';
}

static void
prompt_update(struct ui *ui)
{
	struct pane *p = &view_current(ui)->list;

	run_search(ui, ui->input.s ? ui->input.s : "");
	if (!ui->query) {
		pane_set_cur(p, pos_of_line(p, ui->saved_line));
		return;
	}
	/* the first hit from where the cursor was */
	p->cur = pos_of_line(p, ui->saved_line);
	seek_hit(ui, ui->prompt == '?' ? -1 : 1, 1);
	if (ui->query_is_code && search_total(ui) == 0)
		ui_status(ui, 0, "Enter opens %s", ui->query);
	else if (view_current(ui)->hits == 0)
		search_hint_others(ui);
}

static void
prompt_cancel(struct ui *ui)
{
	struct pane *p = &view_current(ui)->list;

	ui->prompt = 0;
	search_free(ui);
	search_mark_hits(ui);
	search_refilter(ui);
	pane_set_cur(p, pos_of_line(p, ui->saved_line));
	p->top = pos_of_line(p, ui->saved_top);
	ui->status[0] = '\0';
}

/* The entry a lookup of what was typed stands for: the first, unless the
 * words name a provider ("gmail 5.7.30"), then that provider's entry. */
static const struct cat_entry *
lookup_pick(struct ui *ui, const char *text, const struct cat_result *res)
{
	char word[64];
	size_t i, n = strcspn(text, " ");

	if (n < sizeof(word)) {
		memcpy(word, text, n);
		word[n] = '\0';
		if (strchr(text, ' ') && cat_provider_id(ui->cat, word))
			for (i = 0; i < res->n; i++)
				if (res->match[i] == CAT_MATCH_PROVIDER)
					return &res->entries[i];
	}
	return &res->entries[0];
}

/* Moves to the entry whose key is key in the view that lists it. */
static void
go_to(struct ui *ui, const char *key, int cls)
{
	char *k = xstrdup(key);

	ui->nshown = 0; /* a screen over the lists (help) would hide it */
	view_jump(ui, k, cls);
	free(k);
}

/* Enter on words: the best-ranked hit (the engine's search order) that the
 * current list shows, else the best-ranked one in another view, which comes
 * on screen. The first hit in list order was often a poor one (the 4xx
 * class for "mailbox full"). */
static void
go_to_best(struct ui *ui, const char *text)
{
	struct cat_result *res = NULL;
	struct cat_error err = { 0 };
	struct view *v = view_current(ui);
	size_t i;

	if (cat_search(ui->cat, text, 0, &res, &err) == CAT_OK) {
		for (i = 0; i < res->n; i++) {
			long pos = pane_find_key(&v->list, res->entries[i].key);

			if (pos >= 0 && (v->list.lines[v->list.vis[pos]].flags & LINE_HIT)) {
				pane_set_cur(&v->list, (size_t)pos);
				break;
			}
		}
		if (i == res->n && v->hits == 0 && res->n)
			go_to(ui, res->entries[0].key, res->entries[0].cls);
	}
	cat_result_free(res);
	if (view_current(ui)->hits == 0)
		search_hint_others(ui);
	else
		ui_status(ui, 0, "best match of %zu here, %zu in all views: n/N for the others",
			  view_current(ui)->hits, search_total(ui));
}

static void
prompt_confirm(struct ui *ui)
{
	char *text = xstrdup(ui->input.s ? ui->input.s : "");
	int kind = ui->prompt;
	struct cat_result *res = NULL;
	struct cat_error err = { 0 };

	ui->prompt = 0;
	if (!*text) {
		prompt_cancel(ui);
		free(text);
		return;
	}
	if (kind == '&')
		ui->filter = 1;
	search_refilter(ui);
	/* a code, a tag, a key or a provider opens its entry, as 'bounce
	 * TEXT' shows it, from any view */
	if (cat_lookup(ui->cat, text, &res, &err) == CAT_OK && res->n) {
		const struct cat_entry *e = lookup_pick(ui, text, res);

		go_to(ui, e->key, e->cls);
		ui_status(ui, 0, "%s: %zu entr%s%s", text, res->n, res->n == 1 ? "y" : "ies",
			  res->n > 1 ? " (n/N for the others)" : "");
	} else if (kind != '&' && ui->query && !ui->query_is_code) {
		go_to_best(ui, text);
	} else if (view_current(ui)->hits == 0) {
		search_hint_others(ui);
	}
	cat_result_free(res);
	free(text);
}

/* Appends code point cp to the prompt input as UTF-8. */
static void
input_add(struct ui *ui, unsigned cp)
{
	char u[4];
	size_t n = text_utf8_encode(cp, u);

	if (ui->input.len + n < 200 && !tbuf_add(&ui->input, u, n))
		ui_die("out of memory");
}

void
search_key(struct ui *ui, int key)
{
	struct tbuf *in = &ui->input;

	switch (key) {
	case '\n':
		prompt_confirm(ui);
		return;
	case 27:
	case 3: /* C-c */
	case 7: /* C-g */
		prompt_cancel(ui);
		return;
	case KEYMAP_FN + KEY_BACKSPACE:
		if (in->len == 0) {
			prompt_cancel(ui);
			return;
		}
		do
			in->len--;
		while (in->len && ((unsigned char)in->s[in->len] & 0xc0) == 0x80);
		in->s[in->len] = '\0';
		break;
	case 21: /* C-u */
		tbuf_reset(in);
		break;
	case 23: /* C-w */
		while (in->len && in->s[in->len - 1] == ' ')
			in->len--;
		while (in->len && in->s[in->len - 1] != ' ')
			in->len--;
		if (in->s)
			in->s[in->len] = '\0';
		break;
	case KEYMAP_FN + KEY_DOWN:
		pane_move(&view_current(ui)->list, 1);
		return;
	case KEYMAP_FN + KEY_UP:
		pane_move(&view_current(ui)->list, -1);
		return;
	default:
		if (key < 0x20 || key == 0x7f || key >= KEYMAP_FN || (key >= 0x80 && key < 0xa0))
			return;
		input_add(ui, (unsigned)key);
		break;
	}
	prompt_update(ui);
}

void
search_mark_hits(struct ui *ui)
{
	size_t k;

	/* the tabs count the hits of every view: a search builds them all */
	for (k = 0; k < UI_NVIEWS; k++) {
		if (ui->query) {
			view_build(ui, &ui->views[k]);
			view_complete(ui, &ui->views[k]);
		}
		if (ui->views[k].built)
			view_mark_hits(ui, &ui->views[k]);
	}
}

void
search_paste(struct ui *ui, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] != '\n' && s[i] != '\r') {
		unsigned cp;
		size_t n = text_utf8_decode(s + i, len - i, &cp);

		if (n == 0) {
			cp = 0xfffd;
			n = 1;
		}
		if (cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0))
			input_add(ui, cp);
		i += n;
	}
	prompt_update(ui);
}

void
search_drop(struct ui *ui)
{
	ui->filter = 0;
	search_free(ui);
	search_mark_hits(ui);
	search_refilter(ui);
}

void
search_next(struct ui *ui, int dir)
{
	struct view *v = view_current(ui);

	if (!ui->query) {
		ui_status(ui, 1, "no search: / searches");
	} else if (v->hits == 0) {
		search_hint_others(ui);
	} else {
		size_t before = v->list.cur;

		seek_hit(ui, dir, 0);
		ui->focus = FOCUS_LIST;
		if ((dir > 0) != (v->list.cur > before))
			ui_status(ui, 0, "search wrapped");
	}
}

void
search_filter(struct ui *ui)
{
	if (!ui->query) {
		ui->focus = FOCUS_LIST;
		search_open(ui, '&');
	} else {
		ui->filter = !ui->filter;
		search_refilter(ui);
		ui_status(ui, 0, ui->filter ? "showing only the matches (& shows all)"
					    : "showing all lines");
	}
}
