/* tui.c: the browser: one input loop that asks the view on screen to draw
 * itself and to handle keys, mouse and pastes; the screens over the list
 * views; the global actions; the tab bar and the status line. */
#include "tui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce/catalog.h"
#include "config.h"
#include "detail.h"
#include "detail_nav.h"
#include "display.h"
#include "draw.h"
#include "keymap.h"
#include "script.h"
#include "search.h"
#include "share.h"
#include "text.h"
#include "ui.h"
#include "view.h"

static const struct view_ops *const view_table[UI_NVIEWS] = {
	&view_codes_ops, &view_enhanced_ops, &view_providers_ops, &view_reasons_ops,
	&view_guide_ops,
};

/* In enum ui_screen order. */
static const struct view_ops *const screen_table[UI_NSCREENS] = {
	&view_analyze_ops, &view_report_ops, &view_help_ops, &view_small_ops,
};

/* The analyzer is a screen, not a list view, but it is where one goes to
 * paste a bounce, so it may be opened at start as well. */
static const char analyzer_view[] = "analyzer";

const char *
tui_view_name(size_t i)
{
	if (i < UI_NVIEWS)
		return view_table[i]->name;
	return i == UI_NVIEWS ? analyzer_view : NULL;
}

void
tui_list_actions(FILE *f)
{
	keymap_print_actions(f);
}

void
tui_dump_config(FILE *f)
{
	config_dump(f);
}

/* ---------------------------------------------------------------- screens */

/* The view on screen: the top screen, or the current list view. */
static struct view *
screen(struct ui *ui)
{
	if (ui->nshown)
		return &ui->screens[ui->shown[ui->nshown - 1]];
	return view_current(ui);
}

static int
showing(const struct ui *ui, enum ui_screen s)
{
	size_t i;

	for (i = 0; i < ui->nshown; i++)
		if (ui->shown[i] == s)
			return 1;
	return 0;
}

static void
push_screen(struct ui *ui, enum ui_screen s)
{
	if (ui->nshown < UI_NSCREENS)
		ui->shown[ui->nshown++] = s;
}

/* The analyzer or the report: it replaces whatever covers the list views. */
static void
show_screen(struct ui *ui, enum ui_screen s)
{
	struct view *v = &ui->screens[s];

	ui->nshown = 0;
	push_screen(ui, s);
	ui->from_analyzer = 0;
	if (v->ops->show)
		v->ops->show(ui, v);
}

static void
show_analyzer(struct ui *ui)
{
	show_screen(ui, UI_SCREEN_ANALYZER);
}

static int
have_report(const struct ui *ui)
{
	return view_report_loaded(&ui->screens[UI_SCREEN_REPORT]);
}

static void
show_report(struct ui *ui)
{
	/* no bounce --log: the last bounce scan's, when one was saved */
	if (!have_report(ui) && view_report_load_last(ui, &ui->screens[UI_SCREEN_REPORT]) != 0)
		return;
	show_screen(ui, UI_SCREEN_REPORT);
}

/* Below the minimum size the too-small screen covers everything, until the
 * terminal grows or i is pressed. */
static void
fit_screen(struct ui *ui)
{
	int small = !ui->too_small_ok && (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS);
	int on = ui->nshown && ui->shown[ui->nshown - 1] == UI_SCREEN_SMALL;

	if (small && !on)
		push_screen(ui, UI_SCREEN_SMALL);
	else if (!small && on)
		ui->nshown--;
}

/* Shows key (class cls) in the list views, in the detail pane: Back with
 * no more history returns to the analyzer or the report, whichever is on
 * top now. */
static void
open_entry(struct ui *ui, const char *key, int cls)
{
	struct view *v;
	int rep = ui->nshown && ui->shown[ui->nshown - 1] == UI_SCREEN_REPORT;

	ui->back_to = rep ? UI_SCREEN_REPORT : UI_SCREEN_ANALYZER;
	ui->nshown = 0;
	if (ui->query)
		search_drop(ui); /* the entry must be on the list: the search would hide it */
	view_jump(ui, key, cls);
	v = view_current(ui);
	if (!v->detail.key || strcmp(v->detail.key, key) != 0 || (cls && v->detail.cls != cls))
		detail_show(ui, &v->detail, key, cls, 1);
	ui->focus = FOCUS_DETAIL;
	ui->from_analyzer = (int)v->detail.nhist + 1;
	ui_status(ui, 0, "%s from the %s: <Backspace> returns to it", key,
		  rep ? "report" : "analyzer");
}

/* Does what a view asked for. */
static void
request(struct ui *ui, struct view_req *req)
{
	switch (req->kind) {
	case VIEW_REQ_NONE:
		break;
	case VIEW_REQ_OPEN:
		open_entry(ui, req->key, req->cls);
		break;
	case VIEW_REQ_CLOSE:
		if (ui->nshown)
			ui->nshown--;
		break;
	case VIEW_REQ_RETURN:
		show_screen(ui, ui->back_to);
		break;
	case VIEW_REQ_CLEAR_SEARCH:
		search_drop(ui);
		ui_status(ui, 0, "search cleared");
		break;
	}
	free(req->key);
	req->key = NULL;
}

/* ---------------------------------------------------------------- actions */

static void
switch_view(struct ui *ui, size_t k)
{
	if (k >= UI_NVIEWS)
		return;
	ui->cur_view = k;
	ui->focus = FOCUS_LIST;
	search_refilter(ui);
	if (ui->query && view_current(ui)->hits == 0)
		search_hint_others(ui);
}

/* What y, o, | and s act on: the screen on top, or under one that shows no
 * entry of its own (help) the current list view's entry. */
static struct view *
shared_view(struct ui *ui)
{
	struct view *v = screen(ui);

	return v->ops->text ? v : view_current(ui);
}

/* < and >: the list's share of the list views, remembered in the state file. */
static void
move_split(struct ui *ui, int delta)
{
	char err[256];
	int split = ui->split + delta;

	if (split < CONFIG_SPLIT_MIN || split > CONFIG_SPLIT_MAX) {
		ui_status(ui, 1, "the split is at its %s (%d%%)", delta < 0 ? "least" : "most",
			  ui->split);
		return;
	}
	ui->split = split;
	if (config_save_split(split, err, sizeof(err)) == 0)
		ui_status(ui, 0, "split: the list takes %d%%", split);
	else
		ui_status(ui, 1, "split %d%%, not remembered: %s", split, err);
}

/* What no view handled. Moving, open, back and switch-pane are every
 * view's own. */
static enum view_result
global_action(struct ui *ui, enum keymap_action a)
{
	switch (a) {
	case ACT_VIEW_CODES:
	case ACT_VIEW_ENHANCED:
	case ACT_VIEW_PROVIDERS:
	case ACT_VIEW_REASONS:
	case ACT_VIEW_GUIDE:
		ui->from_analyzer = 0;
		switch_view(ui, (size_t)(a - ACT_VIEW_CODES));
		break;
	case ACT_ANALYZE:
		show_analyzer(ui);
		break;
	case ACT_REPORT:
		show_report(ui);
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
		ui->from_analyzer = 0;
		ui->focus = FOCUS_LIST;
		search_open(ui, a == ACT_SEARCH ? '/' : '?');
		break;
	case ACT_NEXT_MATCH:
	case ACT_PREV_MATCH:
		search_next(ui, a == ACT_NEXT_MATCH ? 1 : -1);
		break;
	case ACT_FILTER:
		search_filter(ui);
		break;
	case ACT_COPY:
		share_copy(ui, shared_view(ui));
		break;
	case ACT_OPEN_LINK:
		share_open_link(ui, shared_view(ui));
		break;
	case ACT_PIPE:
		share_ask(ui, shared_view(ui), '|');
		break;
	case ACT_SAVE:
		share_ask(ui, shared_view(ui), 's');
		break;
	case ACT_HIST_BACK:
	case ACT_HIST_FORWARD:
		ui_status(ui, 1, "the link history is the detail pane's: in a list view");
		break;
	case ACT_SPLIT_LESS:
	case ACT_SPLIT_MORE:
		move_split(ui, a == ACT_SPLIT_LESS ? -CONFIG_SPLIT_STEP : CONFIG_SPLIT_STEP);
		break;
	case ACT_HELP:
		push_screen(ui, UI_SCREEN_HELP);
		break;
	case ACT_REDRAW:
		display_redraw();
		break;
	case ACT_IGNORE_SIZE:
		ui->too_small_ok = 1;
		break;
	case ACT_CLOSE:
		ui->from_analyzer = 0;
		return VIEW_QUIT;
	case ACT_QUIT:
		return VIEW_QUIT;
	default:
		break;
	}
	return VIEW_HANDLED;
}

/* The list views' detail follows their selection. */
static void
sync_detail(struct ui *ui)
{
	struct view *v = view_current(ui);

	detail_sync(ui, &v->detail, &v->list);
}

static void
handle_key(struct ui *ui, int key)
{
	struct view *v;
	struct view_req req = { VIEW_REQ_NONE, NULL, 0 };
	enum keymap_action a = ACT_NONE;
	enum view_result r;
	char name[32];
	int modal;

	fit_screen(ui);
	v = screen(ui);
	modal = (v->ops->flags & VIEW_MODAL) != 0;
	if (!modal) {
		if (share_prompting(ui)) {
			share_key(ui, key);
			return;
		}
		if (ui->prompt) {
			search_key(ui, key);
			sync_detail(ui);
			return;
		}
		ui->status[0] = '\0';
		ui->status_error = 0;
		if (v->ops->input && v->ops->input(ui, v, key, &a))
			return;
	}
	if (a == ACT_NONE)
		a = keymap_lookup(&v->keymap, key);
	if (a == ACT_NONE)
		a = keymap_lookup(&ui->global, key);
	if (a == ACT_NONE) {
		if (!modal)
			ui_status(ui, 1, "%s is not bound to anything; h shows the keys",
				  keymap_key_name(key, name, sizeof(name)));
		return;
	}
	r = v->ops->handle ? v->ops->handle(ui, v, a, &req) : VIEW_UNHANDLED;
	request(ui, &req);
	if (r == VIEW_UNHANDLED)
		r = global_action(ui, a);
	if (r == VIEW_QUIT)
		ui->quit = 1;
	if (!(screen(ui)->ops->flags & VIEW_FROZEN))
		sync_detail(ui);
}

/* ---------------------------------------------------------------- mouse */

static void
handle_mouse(struct ui *ui, const struct display_mouse *m)
{
	struct view *v;
	size_t k;

	fit_screen(ui);
	v = screen(ui);
	if ((v->ops->flags & VIEW_MODAL) || ui->prompt)
		return;
	if (m->y == 0) {
		for (k = 0; k < UI_NVIEWS; k++)
			if (m->x >= ui->tab_x[k] && m->x < ui->tab_x[k + 1] &&
			    m->kind == DISPLAY_CLICK) {
				ui->nshown = 0;
				ui->from_analyzer = 0;
				switch_view(ui, k);
				/* as the keys 1-5 do: the detail shows the selection */
				sync_detail(ui);
			}
		if (m->x >= ui->tab_an_x && m->x < ui->tab_an_end && m->kind == DISPLAY_CLICK)
			show_analyzer(ui);
		if (m->x >= ui->tab_rep_x && m->x < ui->tab_rep_end && m->kind == DISPLAY_CLICK)
			show_report(ui);
		return;
	}
	if (v->ops->mouse)
		v->ops->mouse(ui, v, m);
}

/* ---------------------------------------------------------------- drawing */

static void
draw_tabs(struct ui *ui, int y, int w)
{
	char buf[96];
	int x = 0, an = showing(ui, UI_SCREEN_ANALYZER), rep = showing(ui, UI_SCREEN_REPORT);
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
				k == ui->cur_view && !an && !rep ? ROLE_TAB_ACTIVE : ROLE_TABBAR,
				buf);
	}
	ui->tab_x[UI_NVIEWS] = x;
	ui->tab_an_x = x;
	/* narrow, the analyzer's tab leaves its name to the report's */
	x += draw_piece(y, x, w - x, an ? ROLE_TAB_ACTIVE : ROLE_TABBAR,
			(ui->query || have_report(ui)) && w < 100 && !an ? " a " : " a Analyzer ");
	ui->tab_an_end = x;
	/* the report's tab, after the others, only when there is a report */
	ui->tab_rep_x = ui->tab_rep_end = x;
	if (have_report(ui)) {
		x += draw_piece(y, x, w - x, rep ? ROLE_TAB_ACTIVE : ROLE_TABBAR,
				ui->query && w < 100 && !rep ? " r " : " r Report ");
		ui->tab_rep_end = x;
	}
	n = cat_origin_count(ui->cat);
	if (n > 1)
		snprintf(buf, sizeof(buf), "catalog: built-in + %zu file%s ", n - 1, n > 2 ? "s" : "");
	else
		snprintf(buf, sizeof(buf), "catalog: built-in ");
	if (w - x > draw_width(buf) + 1)
		draw_piece(y, w - draw_width(buf), draw_width(buf), ROLE_TABBAR, buf);
}

static void
draw_status(struct ui *ui, struct view *v, int y)
{
	char buf[640];

	if (ui->prompt) {
		int used;

		if (ui->prompt_label[0])
			snprintf(buf, sizeof(buf), "%s%s", ui->prompt_label,
				 ui->input.s ? ui->input.s : "");
		else
			snprintf(buf, sizeof(buf), "%c%s", ui->prompt, ui->input.s ? ui->input.s : "");
		used = draw_text(y, 0, COLS, ROLE_PROMPT, buf, "status");
		if (ui->status[0] && used + 4 < COLS)
			draw_piece(y, used + 3, COLS - used - 3,
				   ui->status_error ? ROLE_ERROR : ROLE_DIM, ui->status);
		display_cursor(y, used < COLS ? used : COLS - 1);
		return;
	}
	/* a view that takes text has put the cursor where typing goes */
	if (!v->ops->input)
		display_cursor(-1, 0);
	if (ui->status[0]) {
		draw_text(y, 0, COLS, ui->status_error ? ROLE_ERROR : ROLE_STATUS, ui->status,
			  "status");
		return;
	}
	v->ops->hints(ui, v, buf, sizeof(buf));
	draw_text(y, 0, COLS, ROLE_DIM, buf, "status");
}

static void
frame(struct ui *ui)
{
	struct view *v;

	fit_screen(ui);
	v = screen(ui);
	draw_begin();
	if (v->ops->flags & VIEW_MODAL) {
		v->ops->draw(ui, v, 0, 0, LINES, COLS);
		display_cursor(-1, 0);
		display_flush();
		return;
	}
	draw_tabs(ui, 0, COLS);
	/* no list on screen for a click to hit unless a list view lays it out */
	ui->list_h = ui->det_h = 0;
	v->ops->draw(ui, v, 1, 0, LINES - 2, COLS);
	draw_status(ui, v, LINES - 1);
	display_flush();
}

/* ---------------------------------------------------------------- the loop */

/* A bracketed paste: into the search prompt when it is open (its first
 * line), else into the analyzer, which comes on screen. Never keys. */
static void
handle_paste(struct ui *ui, const char *s, size_t len, size_t total)
{
	struct view *an = &ui->screens[UI_SCREEN_ANALYZER];

	if (ui->prompt) {
		search_paste(ui, s, len);
		return;
	}
	/* the analyzer does what showing it does, at the right moment */
	an->ops->paste(ui, an, s, len, total, showing(ui, UI_SCREEN_ANALYZER));
	ui->nshown = 0;
	push_screen(ui, UI_SCREEN_ANALYZER);
	ui->from_analyzer = 0;
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

	search_free(ui);
	for (k = 0; ui->views && k < UI_NVIEWS; k++)
		view_close(&ui->views[k]);
	for (k = 0; ui->screens && k < UI_NSCREENS; k++)
		view_close(&ui->screens[k]);
	free(ui->views);
	free(ui->screens);
	keymap_free(&ui->global);
	tbuf_free(&ui->input);
}

int
tui_run(struct catalog *cat, const struct tui_opts *opts)
{
	struct ui ui;
	struct script *script = NULL;
	struct config cfg;
	enum display_color color;
	char err[256];
	int rc = 2;
	size_t k;

	memset(&ui, 0, sizeof(ui));
	ui.cat = cat;
	ui.views = calloc(UI_NVIEWS, sizeof(*ui.views));
	ui.screens = calloc(UI_NSCREENS, sizeof(*ui.screens));
	if (!ui.views || !ui.screens) {
		fprintf(stderr, "bounce: out of memory\n");
		goto out;
	}
	if (opts->script) {
		script = script_open(opts->script, err, sizeof(err));
		if (!script) {
			fprintf(stderr, "bounce: %s\n", err);
			return 2;
		}
	}
	/* the built-in defaults, the user's file and the state, in that order;
	 * a mistake in a file is on the status line, not a reason not to start */
	config_load(&cfg, &ui.global);
	ui.split = cfg.split;
	color = opts->color == TUI_COLOR_ALWAYS	 ? DISPLAY_COLOR_ALWAYS
		: opts->color == TUI_COLOR_NEVER ? DISPLAY_COLOR_NEVER
		: cfg.mono || cfg.color == 2	 ? DISPLAY_COLOR_NEVER
		: cfg.color == 1		 ? DISPLAY_COLOR_ALWAYS
						 : DISPLAY_COLOR_AUTO;
	if (display_open(color, opts->mouse && cfg.mouse, script != NULL, err, sizeof(err))) {
		fprintf(stderr, "bounce: %s\n", err);
		goto out;
	}
	/* a list view is built when it is first shown or searched: the first
	 * screen costs only the first view */
	for (k = 0; k < UI_NVIEWS; k++)
		if (view_open(&ui, &ui.views[k], view_table[k], 1))
			break; /* the message is on the status line */
	for (k = 0; k < UI_NSCREENS; k++)
		view_open(&ui, &ui.screens[k], screen_table[k], 0);
	/* --view: main.c checked the name; only that view is built */
	for (k = 0; opts->view && k < UI_NVIEWS; k++)
		if (strcmp(opts->view, view_table[k]->name) == 0)
			ui.cur_view = k;
	detail_sync(&ui, &view_current(&ui)->detail, &view_current(&ui)->list);
	if (opts->view && strcmp(opts->view, analyzer_view) == 0)
		show_analyzer(&ui);
	/* bounce --log FILE...: the report on screen while the logs are read */
	if (opts->n_logs) {
		push_screen(&ui, UI_SCREEN_REPORT);
		frame(&ui);
		if (view_report_load(&ui, &ui.screens[UI_SCREEN_REPORT], opts->logs, opts->n_logs))
			ui.nshown = 0;
	}
	/* one status line: a skipped overlay first, else the config's error */
	if (opts->notice)
		ui_status(&ui, 1, "%s", opts->notice);
	else if (opts->n_logs)
		; /* the report's status stays */
	else if (cfg.nerrors)
		ui_status(&ui, 1, "config: %s%s", cfg.error,
			  cfg.nerrors > 1 ? " (and more: bounce --dump-config shows the syntax)" : "");
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

			/* idle: a view shown from its first page gets the rest */
			if (in == DISPLAY_NONE)
				for (k = 0; k < UI_NVIEWS; k++)
					view_complete(&ui, &ui.views[k]);
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
