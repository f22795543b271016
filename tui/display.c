/* display.c: the terminal: newterm, colours, input, signals, clipboard. */
#include "display.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

#include "draw.h"
#include "keymap.h"

static SCREEN *screen;
static FILE *tty_in, *tty_out; /* opened here (headless: /dev/null) */
static int headless;
static int colors;
static volatile sig_atomic_t got_signal;

/* Signal handlers only set a flag; the input loop quits and restores. */
static void
on_signal(int sig)
{
	got_signal = sig;
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int
want_colors(enum tui_color mode)
{
	const char *nc = getenv("NO_COLOR");

	if (mode == TUI_COLOR_NEVER)
		return 0;
	if (mode == TUI_COLOR_AUTO && nc && *nc)
		return 0;
	return has_colors();
}

int
display_open(enum tui_color color, int mouse, int is_headless, char *err, size_t errsize)
{
	const char *term = getenv("TERM");

	headless = is_headless;
	if (headless) {
		tty_in = fopen("/dev/null", "r");
		tty_out = fopen("/dev/null", "w");
		if (!tty_in || !tty_out) {
			snprintf(err, errsize, "/dev/null: %s", strerror(errno));
			goto fail;
		}
		if (!term || !*term)
			term = "dumb";
		screen = newterm(term, tty_out, tty_in);
	} else {
		screen = newterm(term, stdout, stdin);
	}
	if (!screen) {
		snprintf(err, errsize, "cannot use the terminal type '%s'", term ? term : "");
		goto fail;
	}
	set_term(screen);
	if (!headless && !tigetstr("cup")) {
		snprintf(err, errsize, "the terminal '%s' cannot move the cursor", term ? term : "");
		goto fail;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	if (!headless)
		curs_set(0);
	colors = want_colors(color);
	if (colors && start_color() == OK) {
		use_default_colors();
	} else {
		colors = 0;
	}
	draw_theme_init(colors);
	if (mouse && !headless)
		mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED |
				  BUTTON5_PRESSED,
			  NULL);
	catch_signals();
	return 0;
fail:
	display_close();
	return -1;
}

void
display_close(void)
{
	if (screen) {
		if (!headless)
			curs_set(1);
		endwin();
		delscreen(screen);
		screen = NULL;
	}
	draw_end();
	if (tty_in)
		fclose(tty_in);
	if (tty_out)
		fclose(tty_out);
	tty_in = tty_out = NULL;
}

void
display_die(const char *fmt, ...)
{
	va_list ap;

	display_close();
	fputs("bounce: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

int
display_has_colors(void)
{
	return colors;
}

int
display_signal(void)
{
	return got_signal;
}

enum display_input
display_read(int timeout_ms, int *key, struct display_mouse *m)
{
	wint_t wc = 0;
	MEVENT ev;
	int r;

	if (got_signal)
		return DISPLAY_SIGNAL;
	timeout(timeout_ms);
	r = get_wch(&wc);
	if (got_signal)
		return DISPLAY_SIGNAL;
	if (r == ERR)
		return DISPLAY_NONE;
	if (r == KEY_CODE_YES) {
		if (wc == KEY_RESIZE)
			return DISPLAY_RESIZE;
		if (wc == KEY_MOUSE) {
			if (getmouse(&ev) != OK)
				return DISPLAY_NONE;
			m->x = ev.x;
			m->y = ev.y;
			if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
				m->kind = DISPLAY_DOUBLE_CLICK;
			else if (ev.bstate & BUTTON1_CLICKED)
				m->kind = DISPLAY_CLICK;
			else if (ev.bstate & BUTTON4_PRESSED)
				m->kind = DISPLAY_WHEEL_UP;
			else if (ev.bstate & BUTTON5_PRESSED)
				m->kind = DISPLAY_WHEEL_DOWN;
			else
				return DISPLAY_NONE;
			return DISPLAY_MOUSE;
		}
		*key = keymap_normalize(KEYMAP_FN + (int)wc);
		return DISPLAY_KEY;
	}
	*key = keymap_normalize((int)wc);
	return DISPLAY_KEY;
}

void
display_resize(int cols, int rows)
{
	resize_term(rows, cols);
}

void
display_flush(void)
{
	if (!headless)
		refresh();
}

void
display_redraw(void)
{
	if (!headless)
		clearok(curscr, TRUE);
}

void
display_cursor(int y, int x)
{
	if (headless)
		return;
	if (y < 0) {
		curs_set(0);
	} else {
		move(y, x);
		curs_set(1);
	}
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
display_clipboard(const char *text, size_t len)
{
	char *ms = tigetstr("Ms"), *enc, *seq;
	size_t i, o = 0;

	if (!ms || ms == (char *)-1)
		return -1;
	enc = malloc(len / 3 * 4 + 5);
	if (!enc)
		return -1;
	for (i = 0; i + 2 < len; i += 3) {
		unsigned v = (unsigned char)text[i] << 16 | (unsigned char)text[i + 1] << 8 |
			     (unsigned char)text[i + 2];

		enc[o++] = b64[v >> 18];
		enc[o++] = b64[(v >> 12) & 63];
		enc[o++] = b64[(v >> 6) & 63];
		enc[o++] = b64[v & 63];
	}
	if (i < len) {
		unsigned v = (unsigned char)text[i] << 16;

		if (i + 1 < len)
			v |= (unsigned char)text[i + 1] << 8;
		enc[o++] = b64[v >> 18];
		enc[o++] = b64[(v >> 12) & 63];
		enc[o++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		enc[o++] = '=';
	}
	enc[o] = '\0';
	if (!headless) {
		seq = tiparm(ms, "c", enc);
		if (seq) {
			putp(seq);
			fflush(stdout);
		}
	}
	free(enc);
	return 0;
}
