/* ui.h: the state of the browser that every part of it shares.
 *
 * Only the plain state lives here, with the status line and dying: the
 * views (view.h), the search (search.h) and the loop (tui.c) keep their
 * logic in their own files. Nothing here includes a header of the browser
 * but the base ones (keymap, text), so every file may include this one
 * without making a cycle.
 */
#ifndef BOUNCE_TUI_UI_H
#define BOUNCE_TUI_UI_H

#include <stddef.h>
#include <stdint.h>

#include "bounce/catalog.h"
#include "keymap.h"
#include "text.h"

/* Below this size the browser shows the too-small screen (i goes on anyway). */
#define UI_MIN_COLS 60
#define UI_MIN_ROWS 16

/* The list views, in tab order (view.h). */
#define UI_NVIEWS 5

/* The screens that cover the list views, and the most open at once: the
 * analyzer or the report (bounce --log), help over it, the too-small
 * notice over both. */
enum ui_screen { UI_SCREEN_ANALYZER, UI_SCREEN_REPORT, UI_SCREEN_HELP, UI_SCREEN_SMALL, UI_NSCREENS };

enum ui_focus { FOCUS_LIST, FOCUS_DETAIL };

struct view;

/* The state of the browser. */
struct ui {
	struct catalog *cat;
	struct view *views;   /* the UI_NVIEWS list views */
	size_t cur_view;      /* the one shown when no screen covers it */
	struct view *screens; /* the UI_NSCREENS screens, open for the session */
	enum ui_screen shown[UI_NSCREENS]; /* the screens over the list, the top last */
	size_t nshown;
	enum ui_focus focus;
	struct keymap global;
	int too_small_ok; /* 'i' pressed: no too-small screen any more */
	/* status line */
	char status[512];
	int status_error;
	/* the prompt of the status line: 0, or '/', '?' or '&' while a search
	 * is typed (search.c), '|' or 's' while a command or file name is, 'S'
	 * while an overwrite waits for y (share.c) */
	int prompt;
	char prompt_label[256];    /* shown before the input when set */
	struct view *prompt_view;  /* the view the '|' or 's' prompt is for */
	struct tbuf input;
	char *query;       /* the active search, owned, or NULL */
	int query_is_code; /* matched with cat_lookup() */
	char **words;      /* query words for highlighting, owned */
	size_t nwords;
	int64_t *hit_ids;  /* row ids of the hits, sorted, owned (cat_free) */
	size_t nhits;
	size_t saved_line, saved_top; /* list line under the cursor before the prompt */
	int filter;        /* '&': lists show only the hits */
	int quit;          /* leave the loop */
	int tab_x[UI_NVIEWS + 1]; /* tab bar: where each tab starts, and the end */
	int tab_an_x, tab_an_end; /* the analyzer's tab */
	int tab_rep_x, tab_rep_end; /* the report's tab (only with a report) */
	int from_analyzer; /* the detail was opened from the analyzer or the
			      report: Back returns there */
	enum ui_screen back_to; /* which of the two */
	/* layout of the list views at the last frame */
	int list_y, list_x, list_h, list_w;
	int det_y, det_x, det_h, det_w;
	int side_by_side;
	int split; /* percent of the width (side by side) or height the list takes */
};

/* Sets the status line (sanitized when drawn). */
void
ui_status(struct ui *ui, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Out of memory and the like: restores the terminal and exits. */
void
ui_die(const char *what) __attribute__((noreturn));

#endif
