/* view_small.c: the screen shown instead of everything below the minimum terminal size. */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "keymap.h"
#include "ui.h"

/* Draws the words of s centred in lines of at most w columns from row y;
 * returns the next row. A message cut at the edge lost the size needed,
 * the one thing the notice is for. */
static int
draw_wrapped(int y, int x, int w, int last, enum draw_role role, const char *s)
{
	while (*s && y <= last) {
		char line[160];
		size_t n = 0, fit = 0;
		int off;

		while (s[n] && n < sizeof(line) - 1) {
			size_t e = n;

			while (s[e] == ' ')
				e++;
			while (s[e] && s[e] != ' ')
				e++;
			if ((int)e > w || e >= sizeof(line))
				break;
			fit = n = e;
		}
		if (fit == 0) /* one word wider than the screen: cut it */
			fit = strcspn(s, " ") < (size_t)w ? strcspn(s, " ") : (size_t)(w > 0 ? w : 1);
		if (fit >= sizeof(line))
			fit = sizeof(line) - 1;
		memcpy(line, s, fit);
		line[fit] = '\0';
		off = (w - (int)fit) / 2 > 0 ? (w - (int)fit) / 2 : 0;
		draw_text(y, x + off, w - off, role, line, "notice");
		s += fit;
		while (*s == ' ')
			s++;
		y++;
	}
	return y;
}

static void
small_draw(struct ui *ui, struct view *v, int y, int x, int h, int w)
{
	char buf[128];
	int row = y + h / 2 - 2;

	(void)ui;
	(void)v;
	if (row < y)
		row = y;
	snprintf(buf, sizeof(buf), "Terminal too small: %dx%d, bounce needs %dx%d.", w, h,
		 UI_MIN_COLS, UI_MIN_ROWS);
	row = draw_wrapped(row, x, w, y + h - 1, ROLE_NOTICE, buf);
	draw_wrapped(row, x, w, y + h - 1, ROLE_TEXT,
		     "Resize it, press i to go on anyway, or q to quit.");
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
