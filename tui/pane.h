/* pane.h: a pane of lines with a cursor and a scroll position.
 *
 * Every list, the detail, the help and the analyzer's panes are one of
 * these: lines with a drawing role (draw.h), some of them selectable (they
 * have a key, or every line is when all_rows is set), a filter that shows
 * only the search hits, and the generic drawing of the visible rows.
 */
#ifndef BOUNCE_TUI_PANE_H
#define BOUNCE_TUI_PANE_H

#include <stddef.h>

#include "draw.h"
#include "keymap.h"

struct ui;

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

/* The moving actions (down, up, pages, first, last) on p. Returns 1 when a
 * was one of them, else 0 and p is unchanged. */
int
pane_action(struct pane *p, enum keymap_action a);

/* Draws rows of the pane in the rectangle (after pane_fit()), with the
 * words of the search highlighted. */
void
pane_draw(struct ui *ui, struct pane *p, int y, int x, int h, int w, int focused,
	  const char *name);

#endif
