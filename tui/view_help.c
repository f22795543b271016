/* view_help.c: the help screen: every key, the prompt, the analyzer, the mouse, the colours. */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "display.h"
#include "draw.h"
#include "keymap.h"
#include "pane.h"
#include "ui.h"

static int
help_open(struct ui *ui, struct view *v)
{
	struct pane *p = &v->list;
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
	pane_add(p, ROLE_TEXT, " <Enter> on a code or key (5.7.26, TSS04, gmail 5.7.30) opens its entry;", NULL, 0);
	pane_add(p, ROLE_TEXT, " on words it goes to the best match, in another view if this has none.", NULL, 0);
	pane_add(p, ROLE_TEXT, " The search stays (n, N, &); <Esc> cancels; <Up> <Down> move.", NULL, 0);
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
	view_add_header(p, "In the report (r, with bounce --log FILE...)");
	pane_add(p, ROLE_TEXT, " The scan of the logs: rates beside their thresholds (! and OVER when at or", NULL, 0);
	pane_add(p, ROLE_TEXT, " above), providers with a bar per rate (full at the threshold) and failures", NULL, 0);
	pane_add(p, ROLE_TEXT, " over time, reasons, fix first. <Enter> on a row lists its events (file:line),", NULL, 0);
	pane_add(p, ROLE_TEXT, " on an event shows its diagnosis, on an entry opens it; <Backspace> goes back.", NULL, 0);
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
	(void)ui;
	return 0;
}

static void
help_draw(struct ui *ui, struct view *v, int y, int x, int h, int w)
{
	draw_title(y, x, w, 1, " Help: keys (q closes)", NULL, "help");
	pane_draw(ui, &v->list, y + 1, x, h - 1, w, 1, "help");
}

static void
help_hints(const struct ui *ui, const struct view *v, char *buf, size_t size)
{
	(void)ui;
	(void)v;
	snprintf(buf, size, "j/k move  Space page  q close help  Q quit");
}

static enum view_result
help_handle(struct ui *ui, struct view *v, enum keymap_action a, struct view_req *req)
{
	if (pane_action(&v->list, a))
		return VIEW_HANDLED;
	switch (a) {
	case ACT_OPEN:
		return VIEW_HANDLED;
	case ACT_FOCUS:
		ui->from_analyzer = 0;
		return VIEW_HANDLED;
	case ACT_CLOSE:
		ui->from_analyzer = 0;
		req->kind = VIEW_REQ_CLOSE;
		return VIEW_HANDLED;
	case ACT_BACK:
	case ACT_HELP:
		req->kind = VIEW_REQ_CLOSE;
		return VIEW_HANDLED;
	case ACT_VIEW_CODES:
	case ACT_VIEW_ENHANCED:
	case ACT_VIEW_PROVIDERS:
	case ACT_VIEW_REASONS:
	case ACT_VIEW_GUIDE:
	case ACT_REPORT:
	case ACT_SEARCH:
	case ACT_SEARCH_BACK:
		/* closes, and the global action switches or searches */
		req->kind = VIEW_REQ_CLOSE;
		return VIEW_UNHANDLED;
	default:
		return VIEW_UNHANDLED;
	}
}

static void
help_mouse(struct ui *ui, struct view *v, const struct display_mouse *m)
{
	(void)ui;
	if (m->kind == DISPLAY_WHEEL_UP || m->kind == DISPLAY_WHEEL_DOWN)
		pane_scroll(&v->list, m->kind == DISPLAY_WHEEL_UP ? -3 : 3);
}

const struct view_ops view_help_ops = {
	.name = "help",
	.title = "Help",
	.flags = VIEW_FROZEN,
	.open = help_open,
	.draw = help_draw,
	.hints = help_hints,
	.handle = help_handle,
	.mouse = help_mouse,
};
