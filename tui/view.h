/* view.h: views, panes of lines, and the state the browser shares.
 *
 * A view is a table of operations (struct view_ops, one file per view) that
 * builds the lines of its list; the generic code here moves the cursor,
 * scrolls, filters and draws them. Every view keeps its own list position
 * and its own detail pane with a history, so switching views and back finds
 * everything where it was.
 */
#ifndef BOUNCE_TUI_VIEW_H
#define BOUNCE_TUI_VIEW_H

#include <stddef.h>

#include "catalog.h"
#include "draw.h"
#include "keymap.h"
#include "text.h"

/* What handle() did with an action (htop's HandlerResult). */
enum view_result { VIEW_HANDLED, VIEW_UNHANDLED, VIEW_REDRAW, VIEW_QUIT };

/* Lines, the visible subset, a cursor and a scroll position. */
struct pane {
	struct line *lines;
	size_t n, cap;
	size_t *vis;   /* indices of the visible lines */
	size_t nvis;
	size_t cur;    /* position in vis of the cursor */
	size_t top;    /* position in vis of the first row shown */
	int height;    /* rows of content at the last layout */
	int all_rows;  /* every line takes the cursor (detail, help), not only keyed ones */
	int only_hits; /* show only LINE_HIT lines and their group headers */
	size_t last_header; /* index of the latest group header while building */
};

/* One step of a detail pane's history. */
struct detail_step {
	char *key;
	int cls;
	size_t cur, top;
};

/* The detail pane: one entry in full, and where it came from. */
struct detail {
	struct pane pane;
	struct cat_result *res;   /* the entry shown (cat_get), owned */
	struct cat_result *extra; /* entries with this reason or impact, owned */
	char *key;                /* key shown, owned */
	int cls;
	char *list_key;           /* the list line it was opened from, owned */
	struct detail_step *hist; /* back history */
	size_t nhist, caphist;
	int width;                /* wrap width the lines were built for */
	char error[256];          /* why nothing is shown */
};

struct ui;
struct view;

struct view_ops {
	const char *name;   /* "codes": dumps and messages */
	const char *title;  /* "Reply codes": the tab bar */
	const char *keymap; /* the view's own bindings, keymap_load() syntax */
	/* Builds the list lines (again: after a facet change). 0 or -1 with
	 * a status message set. */
	int (*open)(struct ui *ui, struct view *v);
	/* Draws the list in the rectangle; NULL for the generic renderer. */
	void (*draw)(struct ui *ui, struct view *v, int y, int x, int h, int w);
	/* View-specific actions; UNHANDLED falls through to the global ones. */
	enum view_result (*handle)(struct ui *ui, struct view *v, enum keymap_action a);
	/* Frees the private data (not the view). May be NULL. */
	void (*close)(struct view *v);
	size_t private_size;
};

struct view {
	const struct view_ops *ops;
	struct pane list;
	struct detail detail;
	struct keymap keymap;
	void *priv;   /* private_size bytes, zeroed, freed by view_close() */
	size_t hits;  /* lines of this view that match the search */
	char subtitle[64];
};

enum ui_focus { FOCUS_LIST, FOCUS_DETAIL };

#define UI_NVIEWS 5

/* The state of the browser. */
struct ui {
	struct catalog *cat;
	struct view views[UI_NVIEWS];
	size_t cur_view;
	enum ui_focus focus;
	struct keymap global;
	int help_open;
	struct pane help;
	int too_small_ok; /* 'i' pressed on the too-small notice */
	/* status line */
	char status[512];
	int status_error;
	/* search: prompt is 0, '/', '?' or '&' while typing */
	int prompt;
	struct tbuf input;
	char *query;       /* the active search, owned, or NULL */
	int query_is_code; /* matched with cat_lookup() */
	char **words;      /* query words for highlighting, owned */
	size_t nwords;
	int64_t *hit_ids;  /* row ids of the hits, sorted, owned (cat_free) */
	size_t nhits;
	size_t saved_line, saved_top; /* list line under the cursor before the prompt */
	int filter;        /* '&': lists show only the hits */
	int quit;          /* leave the loop with this status + 1 */
	int tab_x[UI_NVIEWS + 1]; /* tab bar: where each tab starts, and the end */
	int tab_an_x, tab_an_end; /* the analyzer's tab */
	/* the analyzer (view_analyze.c): shown instead of the views while open */
	int analyze_open;
	int from_analyzer; /* the detail was opened from it: Back returns there */
	struct analyze *an; /* its state, kept for the session; NULL until first use */
	/* layout of the last frame */
	int list_y, list_x, list_h, list_w;
	int det_y, det_x, det_h, det_w;
	int side_by_side;
};

/* The view table, in tab order. */
extern const struct view_ops view_codes_ops;
extern const struct view_ops view_enhanced_ops;
extern const struct view_ops view_providers_ops;
extern const struct view_ops view_reasons_ops;
extern const struct view_ops view_guide_ops;

/* Sets the status line (sanitized when drawn). */
void
ui_status(struct ui *ui, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- panes ---- */

/* Appends a line; text is copied (sanitized). key may be NULL. Returns the
 * line, or dies on out of memory. */
struct line *
pane_add(struct pane *p, enum draw_role role, const char *text, const char *key, int cls);

/* Frees every line (keeps the allocation for reuse) and resets the cursor. */
void
pane_clear(struct pane *p);

/* Frees everything. */
void
pane_free(struct pane *p);

/* Recomputes the visible lines (after a change of lines or of only_hits)
 * and keeps the cursor on the same line when it is still visible. */
void
pane_refilter(struct pane *p);

/* The line under the cursor, or NULL (empty, or not a selectable line). */
struct line *
pane_selected(const struct pane *p);

/* Moves the cursor by delta selectable lines (clamped). */
void
pane_move(struct pane *p, long delta);

/* Moves the cursor to the first or last selectable line. */
void
pane_first(struct pane *p);
void
pane_last(struct pane *p);

/* Scrolls by delta rows and keeps the cursor on screen. */
void
pane_scroll(struct pane *p, long delta);

/* Puts the cursor on the visible position pos (the nearest selectable line). */
void
pane_set_cur(struct pane *p, size_t pos);

/* Finds the visible position of the line with key; -1 if none. */
long
pane_find_key(const struct pane *p, const char *key);

/* Makes top keep the cursor inside `height` rows. */
void
pane_fit(struct pane *p, int height);

/* Draws rows of the pane in the rectangle (after pane_fit()). */
void
pane_draw(struct ui *ui, struct pane *p, int y, int x, int h, int w, int focused,
	  const char *name);

/* ---- lists ---- */

/* The role of an entry by what it means for the sender: hard, soft, block,
 * success, info (or entry when it has no severity). */
enum draw_role
view_entry_role(const struct cat_entry *e);

/* The severity word of the role ("HARD"), or NULL. */
const char *
view_role_word(enum draw_role role);

/* Appends an entry line "code  title" with the code padded to code_w
 * columns; the code takes the entry's role. */
struct line *
view_add_entry(struct pane *p, const struct cat_entry *e, int code_w, int indent);

/* Appends a group header and returns its index (for view_end_group()). */
size_t
view_add_header(struct pane *p, const char *text);

/* Appends " (N)" to the header at index h, N being the entries added since. */
void
view_end_group(struct pane *p, size_t h);

/* Widest code of res (capped). */
int
view_code_width(const struct cat_result *res, int cap);

/* Marks search hits in every view from ui->hit_ids and counts them. */
void
view_mark_hits(struct ui *ui);

/* The view with the selected list line's entry, in focus: runs open(). */
int
view_open(struct ui *ui, struct view *v, const struct view_ops *ops);

/* Frees a view. */
void
view_close(struct view *v);

/* Draws the tab bar on row y. */
void
view_draw_tabs(struct ui *ui, int y, int w);

/* ---- detail (detail.c) ---- */

/* Shows key (class context cls) in d, replacing what is shown; with
 * push set the current entry goes to the back history. */
void
detail_show(struct ui *ui, struct detail *d, const char *key, int cls, int push);

/* Follows the link under the detail cursor. 0, or -1 if none. */
int
detail_follow(struct ui *ui, struct detail *d);

/* Goes back one step. 0, or -1 when the history is empty. */
int
detail_back(struct ui *ui, struct detail *d);

/* Rebuilds the lines when the width changed. */
void
detail_layout(struct ui *ui, struct detail *d, int width);

/* The entry as text (as 'bounce KEY' prints it), owned; NULL on error. */
char *
detail_text(struct ui *ui, const struct detail *d, size_t *len);

/* The title of the pane ("550  Mailbox unavailable"). */
const char *
detail_title(const struct detail *d);

/* Frees everything of d. */
void
detail_free(struct detail *d);

/* Makes sure the detail shows the list selection of v (when it changed,
 * the history starts again). */
void
detail_sync(struct ui *ui, struct view *v);

/* "Label      text wrapped" lines of a field, as the detail pane shows
 * them, for text `width` columns wide. Nothing for NULL or empty text. */
void
detail_add_field(struct pane *p, int width, const char *label, const char *text);

/* ---- the analyzer (view_analyze.c) ---- */

/* Opens key (class cls) in the catalog views, in the detail pane, from the
 * analyzer: Back with no more history returns to it (tui.c). */
void
ui_open_entry(struct ui *ui, const char *key, int cls);

/* Opens the analyzer (its input keeps what it had). */
void
analyze_show(struct ui *ui);

/* A key while the analyzer is open. Returns 1 when it is done with the key
 * (typed into the input, or an analyzer action); otherwise stores in *a
 * the action for the global handler (ACT_NONE: not bound). */
int
analyze_key(struct ui *ui, int key, enum keymap_action *a);

/* A global action while the analyzer is open: UNHANDLED falls through to
 * the global handler (which may have closed the analyzer first). */
enum view_result
analyze_action(struct ui *ui, enum keymap_action a);

/* A bracketed paste of len bytes (total: how many the terminal sent, more
 * when it was cut); opens the analyzer when it is closed. */
void
analyze_paste(struct ui *ui, const char *s, size_t len, size_t total);

/* Draws the analyzer below the tab bar, in rows y .. y+h-1. */
void
analyze_draw(struct ui *ui, int y, int h, int w);

/* The key hints for the status line. */
const char *
analyze_hints(const struct ui *ui);

/* The mouse wheel over the analyzer. */
void
analyze_wheel(struct ui *ui, int y, int delta);

/* Frees the analyzer's state. */
void
analyze_free(struct ui *ui);

/* ---- dying ---- */

/* Out of memory and the like: restores the terminal and exits. */
void
ui_die(const char *what) __attribute__((noreturn));

#endif
