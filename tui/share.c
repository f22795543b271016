/* share.c: what the browser hands to the world: copy, open, pipe and save. */
#include "share.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "display.h"
#include "keymap.h"
#include "text.h"
#include "ui.h"
#include "view.h"

/* The text of what v shows, owned; NULL with a status message. */
static char *
text_of(struct ui *ui, struct view *v, size_t *len, char *what, size_t whatsize, const char *verb)
{
	char *text = v && v->ops->text ? v->ops->text(ui, v, len, what, whatsize) : NULL;

	if (!text)
		ui_status(ui, 1, "nothing to %s here: select an entry, or analyze a bounce", verb);
	return text;
}

void
share_copy(struct ui *ui, struct view *v)
{
	char what[128];
	size_t len = 0;
	char *text = text_of(ui, v, &len, what, sizeof(what), "copy");

	if (!text)
		return;
	if (display_clipboard(text, len) == 0)
		ui_status(ui, 0, "copied %s (%zu bytes) to the clipboard (OSC 52)", what, len);
	else
		ui_status(ui, 1, "cannot copy: this terminal has no clipboard control (terminfo Ms); "
				 "| or s hand it to a command or a file");
	free(text);
}

/* Whether PATH holds an executable name. */
static int
in_path(const char *name)
{
	const char *path = getenv("PATH"), *s;
	char buf[4096];

	for (s = path; s && *s;) {
		size_t n = strcspn(s, ":");

		if (n && snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, s, name) < (int)sizeof(buf) &&
		    access(buf, X_OK) == 0)
			return 1;
		s += n;
		if (*s == ':')
			s++;
	}
	return 0;
}

/* Starts xdg-open URL detached (its own session, no terminal, not waited
 * for by the loop: the middle child exits at once). 0, or -1. */
static int
spawn_opener(const char *url)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd;

		setsid();
		if (fork() != 0)
			_exit(0);
		fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
		execlp("xdg-open", "xdg-open", url, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return 0;
}

void
share_open_link(struct ui *ui, struct view *v)
{
	const char *x = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");
	char url[2048];

	if (!v || !v->ops->url || v->ops->url(ui, v, url, sizeof(url)) != 0) {
		ui_status(ui, 1, "no web page for this: an entry with a source or a provider has one");
		return;
	}
	/* a URL from a catalog is data: only a web address goes to the opener */
	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) {
		ui_status(ui, 1, "not a web address: %s", url);
		return;
	}
	if (((x && *x) || (w && *w)) && in_path("xdg-open") && spawn_opener(url) == 0)
		ui_status(ui, 0, "opening %s", url);
	else
		ui_status(ui, 0, "%s", url);
}

void
share_ask(struct ui *ui, struct view *v, int kind)
{
	char what[128];
	size_t len = 0;
	char *text = text_of(ui, v, &len, what, sizeof(what), kind == '|' ? "pipe" : "save");

	if (!text)
		return;
	free(text);
	ui->prompt = kind;
	ui->prompt_view = v;
	snprintf(ui->prompt_label, sizeof(ui->prompt_label), "%s %.60s: ",
		 kind == '|' ? "Pipe" : "Save", what);
	tbuf_reset(&ui->input);
	tbuf_add(&ui->input, "", 0);
	ui->status[0] = '\0';
}

int
share_prompting(const struct ui *ui)
{
	return ui->prompt == '|' || ui->prompt == 's' || ui->prompt == 'S';
}

static void
close_prompt(struct ui *ui)
{
	ui->prompt = 0;
	ui->prompt_label[0] = '\0';
	ui->prompt_view = NULL;
}

/* Writes all of buf to fd. 0, or -1 with errno. */
static int
write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The command's standard input is a temporary file holding the text: the
 * command may be a pager that wants the terminal, so the text cannot come
 * through a pipe written by the loop. On a terminal the child's output stays
 * on screen until Enter, as in tig. */
static void
run_pipe(struct ui *ui, const char *cmd, const char *text, size_t len, const char *what)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	struct tbuf sh = { 0 };
	int fd, rc;

	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(path, sizeof(path), "%s/bounce-pipe-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0) {
		ui_status(ui, 1, "cannot pipe: %s: %s", dir, strerror(errno));
		return;
	}
	if (write_all(fd, text, len) != 0 || close(fd) != 0) {
		ui_status(ui, 1, "cannot pipe: %s: %s", path, strerror(errno));
		unlink(path);
		return;
	}
	tbuf_adds(&sh, "( ");
	tbuf_adds(&sh, cmd);
	tbuf_adds(&sh, "\n) <\"$1\"; s=$?; if [ -t 0 ]; then printf '\\n[exit %d] Enter returns to "
		       "bounce ' \"$s\"; read -r _; fi; exit $s");
	if (!sh.s)
		ui_die("out of memory");
	rc = display_run(sh.s, path);
	unlink(path);
	tbuf_free(&sh);
	if (rc < 0)
		ui_status(ui, 1, "cannot run /bin/sh");
	else
		ui_status(ui, rc != 0, "piped %s (%zu bytes) to '%s': exit %d", what, len, cmd, rc);
}

/* ~/ is the home directory, as a shell would read it. */
static void
expand_path(const char *in, char *out, size_t size)
{
	const char *home = getenv("HOME");

	if (in[0] == '~' && in[1] == '/' && home && *home)
		snprintf(out, size, "%s%s", home, in + 1);
	else
		snprintf(out, size, "%s", in);
}

static void
save_to(struct ui *ui, const char *path, int overwrite, const char *text, size_t len,
	const char *what)
{
	int fd = open(path, O_WRONLY | O_CREAT | (overwrite ? O_TRUNC : O_EXCL), 0644);

	if (fd < 0) {
		ui_status(ui, 1, "cannot save: %s: %s", path, strerror(errno));
		return;
	}
	if (write_all(fd, text, len) != 0 || close(fd) != 0) {
		ui_status(ui, 1, "cannot save: %s: %s", path, strerror(errno));
		return;
	}
	ui_status(ui, 0, "saved %s (%zu bytes) to %s", what, len, path);
}

/* Enter: pipe, save, or ask before overwriting. */
static void
confirm(struct ui *ui, int yes)
{
	struct view *v = ui->prompt_view;
	int kind = ui->prompt;
	char what[128], path[4096];
	size_t len = 0;
	char *text;
	const char *in = ui->input.s ? ui->input.s : "";
	struct stat st;

	close_prompt(ui);
	if (kind == 'S' && !yes) {
		ui_status(ui, 0, "not saved");
		return;
	}
	if (!*in) {
		ui_status(ui, 0, kind == '|' ? "not piped" : "not saved");
		return;
	}
	text = text_of(ui, v, &len, what, sizeof(what), kind == '|' ? "pipe" : "save");
	if (!text)
		return;
	if (kind == '|') {
		run_pipe(ui, in, text, len, what);
	} else {
		expand_path(in, path, sizeof(path));
		if (kind == 's' && stat(path, &st) == 0) {
			/* keep the name in the input for the question's answer */
			ui->prompt = 'S';
			ui->prompt_view = v;
			snprintf(ui->prompt_label, sizeof(ui->prompt_label), "%.*s exists: overwrite? (y/n) ",
				 (int)sizeof(ui->prompt_label) - 32,
				 path);
		} else {
			save_to(ui, path, kind == 'S', text, len, what);
		}
	}
	free(text);
}

void
share_key(struct ui *ui, int key)
{
	struct tbuf *in = &ui->input;

	if (ui->prompt == 'S') {
		confirm(ui, key == 'y' || key == 'Y');
		return;
	}
	switch (key) {
	case '\n':
		confirm(ui, 1);
		return;
	case 27:
	case 3: /* C-c */
	case 7: /* C-g */
		close_prompt(ui);
		ui_status(ui, 0, "cancelled");
		return;
	case KEYMAP_FN + KEY_BACKSPACE:
		if (in->len == 0) {
			close_prompt(ui);
			return;
		}
		do
			in->len--;
		while (in->len && ((unsigned char)in->s[in->len] & 0xc0) == 0x80);
		in->s[in->len] = '\0';
		return;
	case 21: /* C-u */
		tbuf_reset(in);
		tbuf_add(in, "", 0);
		return;
	default:
		break;
	}
	if (key >= 0x20 && key != 0x7f && key < KEYMAP_FN && !(key >= 0x80 && key < 0xa0) &&
	    in->len < 1024) {
		char u[4];
		size_t n = text_utf8_encode((unsigned)key, u);

		if (!tbuf_add(in, u, n))
			ui_die("out of memory");
	}
}
