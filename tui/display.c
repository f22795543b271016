/* display.c: the terminal: newterm, colours, input, signals, clipboard. */
#include "display.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "draw.h"
#include "keymap.h"

static SCREEN *screen;
static FILE *tty_in, *tty_out; /* opened here (headless: /dev/null) */
static int headless;
static int colors;
static volatile sig_atomic_t got_signal;

/* Bracketed paste: terminfo BE/BD switch it on and off, PS/PE mark a paste.
 * PS and PE become private key codes (define_key); between them the bytes
 * are read raw, with keypad off, so nothing of a paste is a key. */
#define KEY_PASTE_BEGIN (KEY_MAX + 1)
#define KEY_PASTE_END (KEY_MAX + 2)
#define PASTE_TIMEOUT_MS 3000
#define PASTE_TRAIL_MS 50
static const char *paste_on, *paste_off, *paste_end_seq;
static int paste_active; /* BE was sent */
static struct {
	char *s;
	size_t len, cap, total;
} paste;

/* Signal handlers only set a flag; the input loop quits and restores. */
static void
on_signal(int sig)
{
	got_signal = sig;
}

/* Ctrl-Z: ncurses's own SIGTSTP handler leaves the screen, stops and
 * comes back; ours wraps it so that bracketed paste is off while the shell
 * has the terminal (a paste there would carry ESC [200~ into the shell)
 * and on again after fg. Nothing but write(2) is added in the handler. */
static struct sigaction curses_tstp;
static size_t paste_on_len, paste_off_len;

static void
on_tstp(int sig)
{
	int saved = errno;
	ssize_t r = 0;

	if (paste_active && paste_off_len)
		r = write(STDOUT_FILENO, paste_off, paste_off_len);
	curses_tstp.sa_handler(sig);
	if (paste_active && paste_on_len)
		r = write(STDOUT_FILENO, paste_on, paste_on_len);
	(void)r;
	errno = saved;
}

static const char *
tistr(const char *cap)
{
	char *v = tigetstr(cap);

	return v && v != (char *)-1 && *v ? v : NULL;
}

/* The terminal given back from a signal handler, where endwin() cannot run:
 * the terminal's own strings for bracketed paste off, mouse off, keypad
 * off, attributes off, cursor on and leaving the alternate screen, made
 * once when the screen opens, and the termios of before. write(2) and
 * tcsetattr(3) are async-signal-safe. */
static char restore_seq[512];
static size_t restore_len;
static struct termios saved_tio;
static int saved_tio_ok;

/* The signals that end the program at once: SIGQUIT (Ctrl-\, which asks
 * for a core dump and gets it) and the crashes. Their actions before ours,
 * restored and then taken (ASan's report, a core dump). */
static const int fatal_signals[] = { SIGQUIT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

enum { N_FATAL_SIGNALS = sizeof(fatal_signals) / sizeof(fatal_signals[0]) };

static struct sigaction fatal_old[N_FATAL_SIGNALS];
static volatile sig_atomic_t fatal_installed;

static void
restore_add(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n && restore_len + n < sizeof(restore_seq)) {
		memcpy(restore_seq + restore_len, s, n);
		restore_len += n;
	}
}

/* Made while the screen is open (tigetstr needs it). */
static void
restore_setup(int mouse)
{
	const char *xm = tistr("XM");

	restore_len = 0;
	restore_add(paste_off);
	if (mouse) {
		/* what ncurses sends: XM with 0, else xterm's own reset */
		if (xm)
			restore_add(tiparm(xm, 0));
		else if (tistr("kmous"))
			restore_add("\033[?1000l");
	}
	restore_add(tistr("rmkx"));
	restore_add(tistr("sgr0"));
	restore_add(tistr("cnorm"));
	restore_add(tistr("rmcup"));
}

static void
on_fatal(int sig, siginfo_t *info, void *ctx)
{
	int saved = errno;
	ssize_t r = 0;
	size_t i;

	if (restore_len)
		r = write(STDOUT_FILENO, restore_seq, restore_len);
	(void)r;
	if (saved_tio_ok)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	restore_len = 0;
	saved_tio_ok = 0;
	for (i = 0; i < N_FATAL_SIGNALS && fatal_signals[i] != sig; i++)
		;
	if (i == N_FATAL_SIGNALS)
		return;
	sigaction(sig, &fatal_old[i], NULL);
	errno = saved;
	if ((fatal_old[i].sa_flags & SA_SIGINFO) && fatal_old[i].sa_sigaction) {
		fatal_old[i].sa_sigaction(sig, info, ctx);
	} else if (fatal_old[i].sa_handler != SIG_DFL && fatal_old[i].sa_handler != SIG_IGN) {
		fatal_old[i].sa_handler(sig);
	} else if (fatal_old[i].sa_handler == SIG_DFL) {
		/* delivered when this handler returns (or, for a fault, the
		 * instruction faults again) with the default action */
		raise(sig);
	}
}

static void
catch_fatal(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fatal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < N_FATAL_SIGNALS; i++) {
		if (sigaction(fatal_signals[i], NULL, &fatal_old[i]) != 0 ||
		    (!(fatal_old[i].sa_flags & SA_SIGINFO) && fatal_old[i].sa_handler == SIG_IGN))
			continue; /* ignored on entry: stays ignored */
		sigaction(fatal_signals[i], &sa, NULL);
	}
	fatal_installed = 1;
}

static void
release_fatal(void)
{
	struct sigaction cur;
	size_t i;

	if (!fatal_installed)
		return;
	for (i = 0; i < N_FATAL_SIGNALS; i++)
		if (sigaction(fatal_signals[i], NULL, &cur) == 0 && (cur.sa_flags & SA_SIGINFO) &&
		    cur.sa_sigaction == on_fatal)
			sigaction(fatal_signals[i], &fatal_old[i], NULL);
	fatal_installed = 0;
	restore_len = 0;
	saved_tio_ok = 0;
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
	if (!headless)
		catch_fatal();
	/* only around a handler ncurses installed (it does when SIGTSTP was
	 * at its default) */
	if (!headless && paste_on_len && sigaction(SIGTSTP, NULL, &curses_tstp) == 0 &&
	    !(curses_tstp.sa_flags & SA_SIGINFO) && curses_tstp.sa_handler != SIG_DFL &&
	    curses_tstp.sa_handler != SIG_IGN) {
		sa = curses_tstp;
		sa.sa_handler = on_tstp;
		sigaction(SIGTSTP, &sa, NULL);
	}
}

static void
paste_mode(int on)
{
	if (headless || !paste_on || !paste_off || paste_active == on)
		return;
	putp(on ? paste_on : paste_off);
	fflush(stdout);
	paste_active = on;
}

/* Sets up bracketed paste when the terminal describes it. */
static void
paste_setup(void)
{
	const char *ps = tistr("PS"), *pe = tistr("PE");

	if (headless)
		return;
	paste_on = tistr("BE");
	paste_off = tistr("BD");
	if (!paste_on || !paste_off || !ps || !pe) {
		paste_on = paste_off = NULL;
		return;
	}
	paste_end_seq = pe;
	paste_on_len = strlen(paste_on);
	paste_off_len = strlen(paste_off);
	define_key(ps, KEY_PASTE_BEGIN);
	define_key(pe, KEY_PASTE_END);
	paste_mode(1);
}

static void
paste_add(int c)
{
	paste.total++;
	if (paste.len >= DISPLAY_PASTE_MAX + 1)
		return; /* counted, not kept: the caller refuses it */
	if (paste.len == paste.cap) {
		size_t cap = paste.cap ? paste.cap * 2 : 4096;
		char *p;

		if (cap > DISPLAY_PASTE_MAX + 1)
			cap = DISPLAY_PASTE_MAX + 1;
		p = realloc(paste.s, cap);
		if (!p)
			display_die("out of memory");
		paste.s = p;
		paste.cap = cap;
	}
	paste.s[paste.len++] = (char)c;
}

/* Reads the bytes of a paste up to PE, raw. */
static void
paste_read(void)
{
	size_t elen = strlen(paste_end_seq), matched = 0, k;

	paste.len = paste.total = 0;
	keypad(stdscr, FALSE);
	timeout(PASTE_TIMEOUT_MS);
	for (;;) {
		int c = getch();

		if (c == ERR || got_signal)
			break; /* the terminal stopped mid-paste: keep what came */
		if (c > 0xff)
			continue; /* KEY_RESIZE: the next frame lays out again */
		if ((unsigned char)c == (unsigned char)paste_end_seq[matched]) {
			int next;

			if (++matched < elen)
				continue;
			/* The real end is the last marker of the paste: a terminal
			 * that does not filter pasted text sends an ESC [201~ of
			 * the text itself, and then goes on with the rest at once.
			 * Bytes within PASTE_TRAIL_MS make that marker text. */
			timeout(PASTE_TRAIL_MS);
			next = getch();
			timeout(PASTE_TIMEOUT_MS);
			if (next == ERR || got_signal)
				break;
			for (k = 0; k < matched; k++)
				paste_add((unsigned char)paste_end_seq[k]);
			matched = 0;
			ungetch(next);
			continue;
		}
		/* a partial end marker was text after all */
		for (k = 0; k < matched; k++)
			paste_add((unsigned char)paste_end_seq[k]);
		matched = 0;
		if ((unsigned char)c == (unsigned char)paste_end_seq[0])
			matched = 1;
		else
			paste_add(c);
	}
	keypad(stdscr, TRUE);
}

const char *
display_paste(size_t *len, size_t *total)
{
	*len = paste.len > DISPLAY_PASTE_MAX ? DISPLAY_PASTE_MAX : paste.len;
	*total = paste.total;
	return paste.s ? paste.s : "";
}

void
display_suspend(void)
{
	if (headless || !screen)
		return;
	paste_mode(0);
	endwin();
}

void
display_resume(void)
{
	if (headless || !screen)
		return;
	reset_prog_mode();
	paste_mode(1);
	clearok(curscr, TRUE);
	refresh();
}

int
display_run(const char *cmd, const char *arg)
{
	struct sigaction ign, old_int, old_quit;
	pid_t pid;
	int status = 0, rc = -1;

	fflush(stdout);
	display_suspend();
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	/* like system(): Ctrl-C belongs to the child while it runs */
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if (headless) {
			/* tests: the child gets no terminal either */
			int fd = open("/dev/null", O_RDWR);

			if (fd >= 0) {
				dup2(fd, 0);
				dup2(fd, 1);
				if (fd > 2)
					close(fd);
			}
		}
		execl("/bin/sh", "sh", "-c", cmd, "sh", arg, (char *)NULL);
		_exit(127);
	}
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	display_resume();
	return rc;
}

static int
want_colors(enum display_color mode)
{
	const char *nc = getenv("NO_COLOR");

	if (mode == DISPLAY_COLOR_NEVER)
		return 0;
	if (mode == DISPLAY_COLOR_AUTO && nc && *nc)
		return 0;
	return has_colors();
}

int
display_open(enum display_color color, int mouse, int is_headless, char *err, size_t errsize)
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
		saved_tio_ok = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
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
	paste_setup();
	if (!headless)
		restore_setup(mouse);
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
		paste_mode(0);
		endwin();
		delscreen(screen);
		screen = NULL;
	}
	release_fatal();
	draw_end();
	if (tty_in)
		fclose(tty_in);
	if (tty_out)
		fclose(tty_out);
	tty_in = tty_out = NULL;
	free(paste.s);
	memset(&paste, 0, sizeof(paste));
	paste_on = paste_off = paste_end_seq = NULL;
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
		if (wc == KEY_PASTE_BEGIN && paste_end_seq) {
			paste_read();
			return DISPLAY_PASTE;
		}
		if (wc == KEY_PASTE_END)
			return DISPLAY_NONE; /* a stray end marker */
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
