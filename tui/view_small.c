/* view_small.c: the screen shown instead of everything below the minimum terminal size. */
#include "view.h"

#include <stdio.h>

#include "draw.h"
#include "keymap.h"
#include "ui.h"

static void
small_draw(struct ui *ui, struct view *v, int y, int x, int h, int w)
{
	char buf[128];
	int row = y + h / 2 - 1;

	(void)ui;
	(void)v;
	if (row < 0)
		row = 0;
	snprintf(buf, sizeof(buf), "Terminal too small: %dx%d, bounce needs %dx%d.", w, h,
		 UI_MIN_COLS, UI_MIN_ROWS);
	draw_text(row, x, w, ROLE_NOTICE, buf, "notice");
	if (row + 1 < y + h)
		draw_text(row + 1, x, w, ROLE_TEXT, "Resize it, press i to go on anyway, or q to quit.",
			  "notice");
}

/* Only i (the global action sets too_small_ok: the loop switches back), q
 * and Q do something; every other key waits for a resize. */
static enum view_result
small_handle(struct ui *ui, struct view *v, enum keymap_action a, struct view_req *req)
{
	(void)ui;
	(void)v;
	(void)req;
	if (a == ACT_IGNORE_SIZE || a == ACT_QUIT)
		return VIEW_UNHANDLED;
	if (a == ACT_CLOSE)
		return VIEW_QUIT;
	return VIEW_HANDLED;
}

const struct view_ops view_small_ops = {
	.name = "small",
	.title = "Too small",
	.flags = VIEW_MODAL | VIEW_FROZEN,
	.draw = small_draw,
	.handle = small_handle,
};
