/* display.h: owning the terminal (or the headless screen of script mode).
 *
 * display.c alone calls newterm(), start_color() and endwin(). It reads keys
 * and mouse events, turns Ctrl-C, SIGTERM and SIGHUP into a flag the input
 * loop checks, leaves Ctrl-Z to ncurses (which restores the screen on fg),
 * and lets ncurses deliver KEY_RESIZE: there is no SIGWINCH handler here.
 * Bracketed paste is on while the browser owns the terminal (terminfo BE,
 * BD, PS, PE): a paste arrives whole as DISPLAY_PASTE, never as keys.
 */
#ifndef BOUNCE_TUI_DISPLAY_H
#define BOUNCE_TUI_DISPLAY_H

#include <stddef.h>

/* Colours: when the terminal has them and NO_COLOR is unset, always, never. */
enum display_color { DISPLAY_COLOR_AUTO, DISPLAY_COLOR_ALWAYS, DISPLAY_COLOR_NEVER };

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
	DISPLAY_PASTE,  /* a bracketed paste: see display_paste() */
};

/* The largest paste kept; a longer one is counted but not kept. */
#define DISPLAY_PASTE_MAX (1024 * 1024)

/* Opens the terminal, or with headless set a screen on /dev/null whose size
 * comes from LINES and COLUMNS. Sets colours per mode and the mouse.
 * Returns 0, or -1 with a message in err. */
int
display_open(enum display_color color, int mouse, int headless, char *err, size_t errsize);

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

/* The text of the paste display_read() just returned: its bytes as they
 * came (they may hold NUL, escapes, invalid UTF-8), at most
 * DISPLAY_PASTE_MAX of them, and in *total how many there were. Valid until
 * the next display_read(). */
const char *
display_paste(size_t *len, size_t *total);

/* Gives the terminal to a child program (bracketed paste off, endwin), and
 * takes it back after (bracketed paste on, full repaint). Headless: nothing. */
void
display_suspend(void);
void
display_resume(void);

/* Runs `sh -c CMD sh ARG` on the terminal (suspended meanwhile, Ctrl-C
 * going to the child) and waits for it. Returns its exit status, 128+N
 * after signal N, or -1 when it could not start. */
int
display_run(const char *cmd, const char *arg);

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
