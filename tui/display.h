/* display.h: owning the terminal (or the headless screen of script mode).
 *
 * display.c alone calls newterm(), start_color() and endwin(). It reads keys
 * and mouse events, turns Ctrl-C, SIGTERM and SIGHUP into a flag the input
 * loop checks, leaves Ctrl-Z to ncurses (which restores the screen on fg),
 * and lets ncurses deliver KEY_RESIZE: there is no SIGWINCH handler here.
 */
#ifndef BOUNCE_TUI_DISPLAY_H
#define BOUNCE_TUI_DISPLAY_H

#include <stddef.h>

#include "tui.h"

/* Mouse events, already decoded. */
enum display_mouse_kind {
	DISPLAY_CLICK,
	DISPLAY_DOUBLE_CLICK,
	DISPLAY_WHEEL_UP,
	DISPLAY_WHEEL_DOWN,
};

struct display_mouse {
	enum display_mouse_kind kind;
	int x, y;
};

/* What display_read() returned. */
enum display_input {
	DISPLAY_NONE,   /* timeout */
	DISPLAY_KEY,    /* *key is set (keymap.h encoding) */
	DISPLAY_MOUSE,  /* *mouse is set */
	DISPLAY_RESIZE, /* the terminal changed size */
	DISPLAY_SIGNAL, /* a terminating signal arrived: quit */
};

/* Opens the terminal, or with headless set a screen on /dev/null whose size
 * comes from LINES and COLUMNS. Sets colours per mode and the mouse.
 * Returns 0, or -1 with a message in err. */
int
display_open(enum tui_color color, int mouse, int headless, char *err, size_t errsize);

/* Restores the terminal and frees the screen. Safe to call twice. */
void
display_close(void);

/* Restores the terminal, prints "bounce: MSG" to stderr and exits 2. */
void
display_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Non-zero when colours are in use. */
int
display_has_colors(void);

/* Waits up to timeout_ms (negative: forever) for input. */
enum display_input
display_read(int timeout_ms, int *key, struct display_mouse *mouse);

/* The signal that asked us to quit, or 0. */
int
display_signal(void);

/* Headless: resizes the virtual screen. */
void
display_resize(int cols, int rows);

/* Shows the frame drawn since the last call (nothing when headless). */
void
display_flush(void);

/* Makes the next display_flush() repaint the whole terminal (Ctrl-L). */
void
display_redraw(void);

/* Puts the terminal cursor at (y, x) and shows it, or hides it (y < 0). */
void
display_cursor(int y, int x);

/* Copies text to the terminal's clipboard with OSC 52 when terminfo has
 * Ms. Returns 0, or -1 when the terminal cannot do it. */
int
display_clipboard(const char *text, size_t len);

#endif
