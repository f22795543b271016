/* detail_nav.h: what the detail pane shows: the entry, links followed, back.
 *
 * The pane follows the list selection (detail_sync), and Enter on a link
 * shows that entry with the one before on a back history, like a browser.
 */
#ifndef BOUNCE_TUI_DETAIL_NAV_H
#define BOUNCE_TUI_DETAIL_NAV_H

#include "detail.h"
#include "pane.h"

struct ui;

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

/* Goes forward again to what detail_back() left. 0, or -1 when there is
 * nothing to go forward to. */
int
detail_forward(struct ui *ui, struct detail *d);

/* Rebuilds the lines when the width changed. */
void
detail_layout(struct ui *ui, struct detail *d, int width);

/* Makes sure d shows the selection of list (when it changed, the history
 * starts again). */
void
detail_sync(struct ui *ui, struct detail *d, const struct pane *list);

/* Frees everything of d. */
void
detail_free(struct detail *d);

#endif
