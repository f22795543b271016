/* tui.c: the browser: one input loop, global actions, search, layout. */
#include "tui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "display.h"
#include "draw.h"
#include "keymap.h"
#include "script.h"
#include "view.h"

/* Below this size the browser shows a notice instead (i goes on anyway). */
#define MIN_COLS 60
#define MIN_ROWS 16
/* From this width the list and the detail are side by side. */
#define SIDE_COLS 120
/* Every hit of a search, not only the best ones. */

static const struct view_ops *const view_table[UI_NVIEWS] = {
	&view_codes_ops, &view_enhanced_ops, &view_providers_ops, &view_reasons_ops,
	&view_guide_ops,
};

void
tui_list_actions(FILE *f)
{
	keymap_print_actions(f);
}

static struct view *
cur(struct ui *ui)
{
	return &ui->views[ui->cur_view];
}

static int
too_small(const struct ui *ui)
{
	return !ui->too_small_ok && (COLS < MIN_COLS || LINES < MIN_ROWS);
}

/* ---------------------------------------------------------------- help */

static void
help_build(struct ui *ui)
{
	struct pane *p = &ui->help;
	char buf[512];
	int a;

	pane_clear(p);
	p->all_rows = 1;
	view_add_header(p, "Keys: all global but c (Enhanced view) and the *-input ones (analyzer)");
	for (a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		const char *keys = keymap_action_keys((enum keymap_action)a);
		struct line *l;
		int w = draw_width(keys);

		snprintf(buf, sizeof(buf), "%s%*s %-15s %s", keys, w < 26 ? 26 - w : 0, "",
			 keymap_action_name((enum keymap_action)a),
			 keymap_action_help((enum keymap_action)a));
		l = pane_add(p, ROLE_FIELD, buf, NULL, 0);
		l->mark = strlen(keys);
		l->indent = 1;
	}
	pane_add(p, ROLE_TEXT, "", NULL, 0);
	view_add_header(p, "In the search prompt");
	pane_add(p, ROLE_TEXT, " Type words to search as you type; the list narrows to the matches.", NULL, 0);
	pane_add(p, ROLE_TEXT, " A code (5.7.26, 550, TSS04, gmail 5.7.30) jumps straight to its entry.", NULL, 0);
	pane_add(p, ROLE_TEXT, " <Enter> keeps the search (n, N, &); <Esc> cancels; <Up> <Down> move.", NULL, 0);
	pane_add(p, ROLE_TEXT, " <Backspace> <C-w> <C-u> edit; an empty search clears the search.", NULL, 0);
	pane_add(p, ROLE_TEXT, "", NULL, 0);
	view_add_header(p, "In the analyzer (a)");
	pane_add(p, ROLE_TEXT, " Paste a bounce, or type it: every key is a character there, q too;", NULL, 0);
	pane_add(p, ROLE_TEXT, " <Enter> is a new line, <Backspace> <C-u> edit, <C-e> opens $VISUAL or $EDITOR.", NULL, 0);
	pane_add(p, ROLE_TEXT, " A paste is only ever text: no key in it does anything. The diagnosis", NULL, 0);
	pane_add(p, ROLE_TEXT, " follows the input; <Tab> moves to it, where j/k pick an entry and", NULL, 0);
	pane_add(p, ROLE_TEXT, " <Enter> opens it (<Backspace> comes back), e edits, q or <Esc> close.", NULL, 0);
	pane_add(p, ROLE_TEXT, " The input is at most 1 MiB and is never written to a history file.", NULL, 0);
	pane_add(p, ROLE_TEXT, "", NULL, 0);
	view_add_header(p, "Mouse");
	pane_add(p, ROLE_TEXT, " Click selects, double-click opens, the wheel scrolls; click a tab to switch.", NULL, 0);
	pane_add(p, ROLE_TEXT, " --no-mouse turns it off; Shift+drag selects text in most terminals.", NULL, 0);
	pane_add(p, ROLE_TEXT, "", NULL, 0);
	view_add_header(p, "Words and colours");
	{
		static const struct {
			enum draw_role role;
			const char *what;
		} legend[] = {
			{ ROLE_HARD, "HARD   permanent: the address or message will not be accepted" },
			{ ROLE_SOFT, "SOFT   transient: the sending server retries" },
			{ ROLE_BLOCK, "BLOCK  refused because of the sender: fix reputation or setup" },
			{ ROLE_SUCCESS, "OK     success" },
			{ ROLE_INFO, "INFO   informational" },
			{ ROLE_LINK, "> links: Enter follows, Backspace comes back" },
		};
		size_t i;

		for (i = 0; i < sizeof(legend) / sizeof(legend[0]); i++) {
			struct line *l = pane_add(p, legend[i].role, legend[i].what, NULL, 0);

			l->mark = legend[i].role == ROLE_LINK ? strlen(l->text) : 5;
			l->indent = 1;
		}
	}
	pane_refilter(p);
	pane_first(p);
}

/* ---------------------------------------------------------------- search */

static void
free_search(struct ui *ui)
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

static void
refilter_all(struct ui *ui)
{
	size_t k;

	for (k = 0; k < UI_NVIEWS; k++) {
		struct pane *p = &ui->views[k].list;
		int want = ui->query && (ui->filter || (ui->prompt && k == ui->cur_view));

		p->only_hits = want;
		pane_refilter(p);
	}
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Runs the search for text: hits in every view, the current list narrowed
 * while the prompt is open. */
static void
run_search(struct ui *ui, const char *text)
{
	struct cat_result *res = NULL;
	struct cat_error err = { 0 };
	enum cat_status st = CAT_NOTFOUND;
	size_t i, total = 0, k;

	free_search(ui);
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
			view_mark_hits(ui);
			refilter_all(ui);
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
	view_mark_hits(ui);
	refilter_all(ui);
	for (k = 0; k < UI_NVIEWS; k++)
		total += ui->views[k].hits;
	if (ui->query)
		ui_status(ui, 0, "%zu match%s here, %zu in all views%s", cur(ui)->hits,
			  cur(ui)->hits == 1 ? "" : "es", total,
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
	struct view *v = cur(ui);
	long pos = find_hit(&v->list, v->list.cur, dir, include_from);

	if (pos >= 0)
		v->list.cur = (size_t)pos;
}

static void
other_views_hint(struct ui *ui)
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

static void
prompt_open(struct ui *ui, int kind)
{
	struct view *v = cur(ui);

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
	struct pane *p = &cur(ui)->list;

	run_search(ui, ui->input.s ? ui->input.s : "");
	if (!ui->query) {
		pane_set_cur(p, pos_of_line(p, ui->saved_line));
		return;
	}
	/* the first hit from where the cursor was */
	p->cur = pos_of_line(p, ui->saved_line);
	seek_hit(ui, ui->prompt == '?' ? -1 : 1, 1);
	if (cur(ui)->hits == 0)
		other_views_hint(ui);
}

static void
prompt_cancel(struct ui *ui)
{
	struct pane *p = &cur(ui)->list;

	ui->prompt = 0;
	free_search(ui);
	view_mark_hits(ui);
	refilter_all(ui);
	pane_set_cur(p, pos_of_line(p, ui->saved_line));
	p->top = pos_of_line(p, ui->saved_top);
	ui->status[0] = '\0';
}

/* Shows key (class cls) in the first view that lists it; else in the
 * detail pane of the current view. */
static void
jump_to(struct ui *ui, const char *key, int cls)
{
	size_t i, k;

	for (i = 0; i < UI_NVIEWS; i++) {
		long pos;

		k = (ui->cur_view + i) % UI_NVIEWS;
		if (i > 0 && k == 0)
			k = 0;
		pos = pane_find_key(&ui->views[k].list, key);
		if (pos >= 0) {
			struct view *v = &ui->views[k];

			ui->cur_view = k;
			pane_set_cur(&v->list, (size_t)pos);
			detail_sync(ui, v);
			if (v->detail.cls != cls && cls)
				detail_show(ui, &v->detail, key, cls, 0);
			ui->focus = FOCUS_LIST;
			return;
		}
	}
	detail_show(ui, &cur(ui)->detail, key, cls, 1);
	ui->focus = FOCUS_DETAIL;
}

void
ui_open_entry(struct ui *ui, const char *key, int cls)
{
	struct view *v;

	ui->analyze_open = 0;
	ui->help_open = 0;
	if (ui->query) {
		/* the entry must be on the list: the search would hide it */
		ui->filter = 0;
		free_search(ui);
		view_mark_hits(ui);
		refilter_all(ui);
	}
	jump_to(ui, key, cls);
	v = cur(ui);
	if (!v->detail.key || strcmp(v->detail.key, key) != 0 || (cls && v->detail.cls != cls))
		detail_show(ui, &v->detail, key, cls, 1);
	ui->focus = FOCUS_DETAIL;
	ui->from_analyzer = (int)v->detail.nhist + 1;
	ui_status(ui, 0, "%s from the analyzer: <Backspace> returns to it", key);
}

static void
prompt_confirm(struct ui *ui)
{
	char *text = xstrdup(ui->input.s ? ui->input.s : "");
	int kind = ui->prompt;

	ui->prompt = 0;
	if (!*text) {
		prompt_cancel(ui);
		free(text);
		return;
	}
	if (kind == '&')
		ui->filter = 1;
	if (ui->query_is_code) {
		struct cat_result *res = NULL;
		struct cat_error err = { 0 };

		if (cat_lookup(ui->cat, text, &res, &err) == CAT_OK && res->n) {
			char *key = xstrdup(res->entries[0].key ? res->entries[0].key : "");
			int cls = res->entries[0].cls;

			refilter_all(ui);
			jump_to(ui, key, cls);
			free(key);
			ui_status(ui, 0, "%s: %zu entr%s (n/N for the others)", text, res->n,
				  res->n == 1 ? "y" : "ies");
		}
		cat_result_free(res);
	} else {
		refilter_all(ui);
		if (cur(ui)->hits == 0)
			other_views_hint(ui);
	}
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

static void
prompt_key(struct ui *ui, int key)
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
		pane_move(&cur(ui)->list, 1);
		return;
	case KEYMAP_FN + KEY_UP:
		pane_move(&cur(ui)->list, -1);
		return;
	default:
		if (key < 0x20 || key == 0x7f || key >= KEYMAP_FN || (key >= 0x80 && key < 0xa0))
			return;
		input_add(ui, (unsigned)key);
		break;
	}
	prompt_update(ui);
}

/* ---------------------------------------------------------------- actions */

static struct pane *
focused_pane(struct ui *ui)
{
	if (ui->help_open)
		return &ui->help;
	return ui->focus == FOCUS_DETAIL ? &cur(ui)->detail.pane : &cur(ui)->list;
}

static void
switch_view(struct ui *ui, size_t k)
{
	if (k >= UI_NVIEWS)
		return;
	ui->cur_view = k;
	ui->focus = FOCUS_LIST;
	refilter_all(ui);
	if (ui->query && cur(ui)->hits == 0)
		other_views_hint(ui);
}

static void
copy_entry(struct ui *ui)
{
	struct detail *d = &cur(ui)->detail;
	size_t len = 0;
	char *text = detail_text(ui, d, &len);

	if (!text) {
		ui_status(ui, 1, "nothing to copy");
		return;
	}
	if (display_clipboard(text, len) == 0)
		ui_status(ui, 0, "copied %s (%zu bytes) to the clipboard (OSC 52)", d->key, len);
	else
		ui_status(ui, 1, "cannot copy: this terminal has no clipboard control (terminfo Ms); "
				 "try 'bounce %s' in a shell", d->key);
	free(text);
}

static enum view_result
global_action(struct ui *ui, enum keymap_action a)
{
	struct view *v = cur(ui);
	struct pane *p = focused_pane(ui);
	long page = p->height > 1 ? p->height - 1 : 1;

	switch (a) {
	case ACT_MOVE_DOWN:
		pane_move(p, 1);
		break;
	case ACT_MOVE_UP:
		pane_move(p, -1);
		break;
	case ACT_PAGE_DOWN:
		pane_scroll(p, page);
		pane_move(p, 0);
		if (p->top + (size_t)page >= p->nvis)
			pane_last(p);
		break;
	case ACT_PAGE_UP:
		pane_scroll(p, -page);
		if (p->top == 0)
			pane_first(p);
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
	case ACT_OPEN:
		if (ui->help_open)
			break;
		if (ui->focus == FOCUS_LIST) {
			if (pane_selected(&v->list))
				ui->focus = FOCUS_DETAIL;
		} else if (detail_follow(ui, &v->detail)) {
			ui_status(ui, 1, "not a link: the links are the lines under Related");
		}
		break;
	case ACT_BACK:
		if (ui->help_open) {
			ui->help_open = 0;
		} else if (ui->from_analyzer && ui->focus == FOCUS_DETAIL &&
			   v->detail.nhist + 1 <= (size_t)ui->from_analyzer) {
			analyze_show(ui);
		} else if (detail_back(ui, &v->detail) == 0) {
			ui_status(ui, 0, "back: %zu more", v->detail.nhist);
		} else if (ui->focus == FOCUS_DETAIL) {
			ui->focus = FOCUS_LIST;
		} else if (ui->query) {
			ui->filter = 0;
			free_search(ui);
			view_mark_hits(ui);
			refilter_all(ui);
			ui_status(ui, 0, "search cleared");
		}
		break;
	case ACT_FOCUS:
		ui->from_analyzer = 0;
		if (!ui->help_open)
			ui->focus = ui->focus == FOCUS_LIST ? FOCUS_DETAIL : FOCUS_LIST;
		break;
	case ACT_VIEW_CODES:
	case ACT_VIEW_ENHANCED:
	case ACT_VIEW_PROVIDERS:
	case ACT_VIEW_REASONS:
	case ACT_VIEW_GUIDE:
		ui->help_open = 0;
		ui->from_analyzer = 0;
		switch_view(ui, (size_t)(a - ACT_VIEW_CODES));
		break;
	case ACT_ANALYZE:
		analyze_show(ui);
		break;
	case ACT_ANALYZE_NOW:
	case ACT_CLEAR_INPUT:
	case ACT_EDIT_INPUT:
		ui_status(ui, 1, "%s works in the analyzer: a opens it", keymap_action_name(a));
		break;
	case ACT_CLASS_FACET:
		ui_status(ui, 1, "c cycles the class digit in the Enhanced view (2)");
		break;
	case ACT_SEARCH:
	case ACT_SEARCH_BACK:
		ui->help_open = 0;
		ui->from_analyzer = 0;
		ui->focus = FOCUS_LIST;
		prompt_open(ui, a == ACT_SEARCH ? '/' : '?');
		break;
	case ACT_NEXT_MATCH:
	case ACT_PREV_MATCH:
		if (!ui->query) {
			ui_status(ui, 1, "no search: / searches");
		} else if (v->hits == 0) {
			other_views_hint(ui);
		} else {
			size_t before = v->list.cur;

			seek_hit(ui, a == ACT_NEXT_MATCH ? 1 : -1, 0);
			ui->focus = FOCUS_LIST;
			if ((a == ACT_NEXT_MATCH) != (v->list.cur > before))
				ui_status(ui, 0, "search wrapped");
		}
		break;
	case ACT_FILTER:
		if (!ui->query) {
			ui->focus = FOCUS_LIST;
			prompt_open(ui, '&');
		} else {
			ui->filter = !ui->filter;
			refilter_all(ui);
			ui_status(ui, 0, ui->filter ? "showing only the matches (& shows all)"
						    : "showing all lines");
		}
		break;
	case ACT_COPY:
		copy_entry(ui);
		break;
	case ACT_HELP:
		ui->help_open = !ui->help_open;
		break;
	case ACT_REDRAW:
		display_redraw();
		break;
	case ACT_IGNORE_SIZE:
		ui->too_small_ok = 1;
		break;
	case ACT_CLOSE:
		ui->from_analyzer = 0;
		if (ui->help_open)
			ui->help_open = 0;
		else if (ui->focus == FOCUS_DETAIL)
			ui->focus = FOCUS_LIST;
		else
			return VIEW_QUIT;
		break;
	case ACT_QUIT:
		return VIEW_QUIT;
	case ACT_NONE:
	case ACT_COUNT:
		break;
	}
	return VIEW_HANDLED;
}

static void
handle_key(struct ui *ui, int key)
{
	struct view *v = cur(ui);
	enum keymap_action a;
	enum view_result r = VIEW_UNHANDLED;
	char name[32];

	if (too_small(ui)) {
		a = keymap_lookup(&ui->global, key);
		if (a == ACT_IGNORE_SIZE)
			ui->too_small_ok = 1;
		else if (a == ACT_CLOSE || a == ACT_QUIT)
			ui->quit = 1;
		return;
	}
	if (ui->prompt) {
		prompt_key(ui, key);
		detail_sync(ui, cur(ui));
		return;
	}
	ui->status[0] = '\0';
	ui->status_error = 0;
	if (ui->analyze_open && !ui->help_open) {
		if (analyze_key(ui, key, &a))
			return;
		if (a == ACT_NONE)
			a = keymap_lookup(&ui->global, key);
		if (a == ACT_NONE) {
			ui_status(ui, 1, "%s is not bound to anything; h shows the keys",
				  keymap_key_name(key, name, sizeof(name)));
			return;
		}
		r = analyze_action(ui, a);
		if (r == VIEW_UNHANDLED)
			r = global_action(ui, a);
		if (r == VIEW_QUIT)
			ui->quit = 1;
		if (!ui->help_open)
			detail_sync(ui, cur(ui));
		return;
	}
	a = ui->help_open ? ACT_NONE : keymap_lookup(&v->keymap, key);
	if (a == ACT_NONE)
		a = keymap_lookup(&ui->global, key);
	if (a == ACT_NONE) {
		ui_status(ui, 1, "%s is not bound to anything; h shows the keys",
			  keymap_key_name(key, name, sizeof(name)));
		return;
	}
	if ((keymap_action_flags(a) & KEYMAP_NEEDS_SELECTION) && !ui->help_open &&
	    !pane_selected(&v->list) && !v->detail.res) {
		ui_status(ui, 1, "%s: nothing selected", keymap_action_name(a));
		return;
	}
	if (!ui->help_open && v->ops->handle)
		r = v->ops->handle(ui, v, a);
	if (r == VIEW_UNHANDLED)
		r = global_action(ui, a);
	if (r == VIEW_QUIT)
		ui->quit = 1;
	if (!ui->help_open)
		detail_sync(ui, cur(ui));
}

/* ---------------------------------------------------------------- mouse */

static int
inside(int y, int x, int ry, int rx, int rh, int rw)
{
	return y >= ry && y < ry + rh && x >= rx && x < rx + rw;
}

static void
handle_mouse(struct ui *ui, const struct display_mouse *m)
{
	struct view *v = cur(ui);
	struct pane *p = NULL;
	size_t k;
	int in_list = 0;

	if (too_small(ui) || ui->prompt)
		return;
	if (m->y == 0) {
		for (k = 0; k < UI_NVIEWS; k++)
			if (m->x >= ui->tab_x[k] && m->x < ui->tab_x[k + 1] &&
			    m->kind == DISPLAY_CLICK) {
				ui->help_open = 0;
				ui->analyze_open = 0;
				switch_view(ui, k);
			}
		if (m->x >= ui->tab_an_x && m->x < ui->tab_an_end && m->kind == DISPLAY_CLICK)
			analyze_show(ui);
		return;
	}
	if (ui->analyze_open && !ui->help_open) {
		if (m->kind == DISPLAY_WHEEL_UP || m->kind == DISPLAY_WHEEL_DOWN)
			analyze_wheel(ui, m->y, m->kind == DISPLAY_WHEEL_UP ? -3 : 3);
		return;
	}
	if (ui->help_open) {
		p = &ui->help;
	} else if (inside(m->y, m->x, ui->list_y, ui->list_x, ui->list_h, ui->list_w)) {
		p = &v->list;
		in_list = 1;
	} else if (inside(m->y, m->x, ui->det_y, ui->det_x, ui->det_h, ui->det_w)) {
		p = &v->detail.pane;
	} else {
		return;
	}
	if (m->kind == DISPLAY_WHEEL_UP || m->kind == DISPLAY_WHEEL_DOWN) {
		pane_scroll(p, m->kind == DISPLAY_WHEEL_UP ? -3 : 3);
	} else if (!ui->help_open) {
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
	if (!ui->help_open)
		detail_sync(ui, v);
}

/* ---------------------------------------------------------------- drawing */

static void
draw_too_small(void)
{
	char buf[128];
	int y = LINES / 2 - 1;

	if (y < 0)
		y = 0;
	snprintf(buf, sizeof(buf), "Terminal too small: %dx%d, bounce needs %dx%d.", COLS, LINES,
		 MIN_COLS, MIN_ROWS);
	draw_text(y, 0, COLS, ROLE_NOTICE, buf, "notice");
	if (y + 1 < LINES)
		draw_text(y + 1, 0, COLS, ROLE_TEXT, "Resize it, press i to go on anyway, or q to quit.",
			  "notice");
}

static void
draw_pane_title(int y, int x, int w, int focused, const char *left, const char *right,
		const char *name)
{
	int rw = right ? draw_width(right) : 0;

	draw_text(y, x, w, focused ? ROLE_PANE_FOCUS : ROLE_PANE_TITLE, left, name);
	if (right && rw + 2 < w - draw_width(left))
		draw_piece(y, x + w - rw - 1, rw, focused ? ROLE_PANE_FOCUS : ROLE_PANE_TITLE, right);
}

static void
draw_status(struct ui *ui, int y)
{
	char buf[640];

	if (ui->prompt) {
		int used;

		snprintf(buf, sizeof(buf), "%c%s", ui->prompt, ui->input.s ? ui->input.s : "");
		used = draw_text(y, 0, COLS, ROLE_PROMPT, buf, "status");
		if (ui->status[0] && used + 4 < COLS)
			draw_piece(y, used + 3, COLS - used - 3,
				   ui->status_error ? ROLE_ERROR : ROLE_DIM, ui->status);
		display_cursor(y, used < COLS ? used : COLS - 1);
		return;
	}
	if (!ui->analyze_open || ui->help_open)
		display_cursor(-1, 0);
	if (ui->status[0]) {
		draw_text(y, 0, COLS, ui->status_error ? ROLE_ERROR : ROLE_STATUS, ui->status,
			  "status");
		return;
	}
	if (ui->help_open)
		snprintf(buf, sizeof(buf), "j/k move  Space page  q close help  Q quit");
	else if (ui->analyze_open)
		snprintf(buf, sizeof(buf), "%s", analyze_hints(ui));
	else
		snprintf(buf, sizeof(buf), "%s%s%sj/k move  Enter open  Tab pane  / search  & filter  "
					   "a analyze  h help  q quit",
			 ui->query ? "/" : "", ui->query ? ui->query : "", ui->query ? "  n/N  " : "");
	draw_text(y, 0, COLS, ROLE_DIM, buf, "status");
}

static void
frame(struct ui *ui)
{
	struct view *v = cur(ui);
	int rows = LINES, cols = COLS, h, lh;
	char left[256], right[64];

	draw_begin();
	if (too_small(ui)) {
		draw_too_small();
		display_cursor(-1, 0);
		display_flush();
		return;
	}
	view_draw_tabs(ui, 0, cols);
	h = rows - 2;
	if (ui->help_open) {
		if (ui->help.n == 0)
			help_build(ui);
		draw_pane_title(1, 0, cols, 1, " Help: keys (q closes)", NULL, "help");
		ui->list_h = ui->det_h = 0;
		pane_draw(ui, &ui->help, 2, 0, h - 1, cols, 1, "help");
		draw_status(ui, rows - 1);
		display_flush();
		return;
	}
	if (ui->analyze_open) {
		ui->list_h = ui->det_h = 0;
		analyze_draw(ui, 1, h, cols);
		draw_status(ui, rows - 1);
		display_flush();
		return;
	}
	ui->side_by_side = cols >= SIDE_COLS;
	if (ui->side_by_side) {
		int lw = cols * 2 / 5;

		if (lw > 60)
			lw = 60;
		ui->list_y = 2;
		ui->list_x = 0;
		ui->list_w = lw;
		ui->list_h = h - 1;
		ui->det_y = 2;
		ui->det_x = lw + 1;
		ui->det_w = cols - lw - 1;
		ui->det_h = h - 1;
		draw_vline(1, lw, h);
	} else {
		lh = (h - 2) * 2 / 5;
		if (lh < 3)
			lh = 3;
		ui->list_y = 2;
		ui->list_x = 0;
		ui->list_w = cols;
		ui->list_h = lh;
		ui->det_y = 2 + lh + 1;
		ui->det_x = 0;
		ui->det_w = cols;
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
		draw_pane_title(ui->list_y - 1, ui->list_x, ui->list_w, ui->focus == FOCUS_LIST, left,
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
	draw_pane_title(ui->det_y - 1, ui->det_x, ui->det_w, ui->focus == FOCUS_DETAIL, left,
			right[0] ? right : NULL, "detail");
	pane_draw(ui, &v->detail.pane, ui->det_y, ui->det_x + 1, ui->det_h, ui->det_w - 1,
		  ui->focus == FOCUS_DETAIL, "detail");
	draw_status(ui, rows - 1);
	display_flush();
}

/* ---------------------------------------------------------------- the loop */

/* A bracketed paste: into the search prompt when it is open (its first
 * line), else into the analyzer. Never keys. */
static void
handle_paste(struct ui *ui, const char *s, size_t len, size_t total)
{
	size_t i = 0;

	if (!ui->prompt) {
		analyze_paste(ui, s, len, total);
		return;
	}
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

static void
dispatch(struct ui *ui, enum display_input in, int key, const struct display_mouse *m)
{
	size_t len, total;
	const char *s;

	switch (in) {
	case DISPLAY_KEY:
		handle_key(ui, key);
		break;
	case DISPLAY_MOUSE:
		handle_mouse(ui, m);
		break;
	case DISPLAY_PASTE:
		s = display_paste(&len, &total);
		handle_paste(ui, s, len, total);
		break;
	case DISPLAY_RESIZE:
	case DISPLAY_NONE:
		break;
	case DISPLAY_SIGNAL:
		ui->quit = 1;
		break;
	}
}

static void
ui_free(struct ui *ui)
{
	size_t k;

	free_search(ui);
	for (k = 0; k < UI_NVIEWS; k++)
		view_close(&ui->views[k]);
	pane_free(&ui->help);
	keymap_free(&ui->global);
	tbuf_free(&ui->input);
	analyze_free(ui);
}

int
tui_run(struct catalog *cat, const struct tui_opts *opts)
{
	struct ui ui;
	struct script *script = NULL;
	char err[256];
	int rc = 2;
	size_t k;

	memset(&ui, 0, sizeof(ui));
	ui.cat = cat;
	if (opts->script) {
		script = script_open(opts->script, err, sizeof(err));
		if (!script) {
			fprintf(stderr, "bounce: %s\n", err);
			return 2;
		}
	}
	if (keymap_load_defaults(&ui.global, err, sizeof(err))) {
		fprintf(stderr, "bounce: %s\n", err);
		goto out;
	}
	if (display_open(opts->color, opts->mouse, script != NULL, err, sizeof(err))) {
		fprintf(stderr, "bounce: %s\n", err);
		goto out;
	}
	for (k = 0; k < UI_NVIEWS; k++)
		if (view_open(&ui, &ui.views[k], view_table[k]))
			break; /* the message is on the status line */
	detail_sync(&ui, cur(&ui));
	for (;;) {
		struct display_mouse m;
		int key = 0;

		frame(&ui);
		if (ui.quit)
			break;
		if (script) {
			struct script_event ev;

			script_next(script, &ev);
			if (ev.kind == SCRIPT_EOF)
				break;
			switch (ev.kind) {
			case SCRIPT_KEY:
				handle_key(&ui, ev.key);
				break;
			case SCRIPT_DUMP:
				draw_dump(stdout, ev.label);
				break;
			case SCRIPT_RESIZE:
				display_resize(ev.cols, ev.rows);
				break;
			case SCRIPT_MOUSE:
				handle_mouse(&ui, &ev.mouse);
				break;
			case SCRIPT_PASTE:
				handle_paste(&ui, ev.paste, ev.paste_len, ev.paste_len);
				break;
			case SCRIPT_ERROR:
				display_close();
				fprintf(stderr, "bounce: %s\n", ev.error);
				goto out;
			case SCRIPT_EOF:
				break;
			}
			continue;
		}
		{
			enum display_input in = display_read(1000, &key, &m);

			dispatch(&ui, in, key, &m);
		}
		/* what is already there is handled before the next frame: typed
		 * text without bracketed paste is analyzed once it pauses */
		while (!ui.quit) {
			enum display_input in = display_read(0, &key, &m);

			if (in == DISPLAY_NONE)
				break;
			dispatch(&ui, in, key, &m);
		}
	}
	rc = display_signal() ? 128 + display_signal() : 0;
	display_close();
out:
	ui_free(&ui);
	script_close(script);
	if (fflush(stdout) != 0)
		rc = 2;
	return rc;
}
