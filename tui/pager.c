/* pager.c: long command-line output through $PAGER on a terminal, as git does. */
#include "pager.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

FILE *
pager_begin(struct pager *p, int enabled)
{
	memset(p, 0, sizeof(*p));
	p->f = stdout;
	if (!enabled || !isatty(STDOUT_FILENO))
		return p->f;
	p->f = open_memstream(&p->buf, &p->size);
	if (!p->f) {
		p->f = stdout;
		return p->f;
	}
	p->active = 1;
	return p->f;
}

/* The rows of the terminal on standard output (LINES, then 24, when it
 * will not say). */
static size_t
screen_rows(void)
{
	struct winsize ws;
	const char *lines = getenv("LINES");

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
		return ws.ws_row;
	if (lines && atoi(lines) > 0)
		return (size_t)atoi(lines);
	return 24;
}

int
pager_end(struct pager *p)
{
	const char *cmd = getenv("PAGER");
	size_t i, lines = 0;
	FILE *pipe = NULL;
	int rc = 0;

	if (!p->active)
		return 0;
	p->active = 0;
	if (fclose(p->f) != 0) {
		free(p->buf);
		return -1;
	}
	p->f = stdout;
	for (i = 0; i < p->size; i++)
		lines += p->buf[i] == '\n';
	if (!cmd)
		cmd = "less -FRX";
	/* the prompt's line stays on the screen: a screenful is one less */
	if (lines >= screen_rows() && *cmd && strcmp(cmd, "cat") != 0) {
		fflush(stdout);
		setenv("LESS", "FRX", 0);
		pipe = popen(cmd, "w");
	}
	if (pipe) {
		void (*old)(int) = signal(SIGPIPE, SIG_IGN);

		/* the reader may quit before the end: that is no error */
		fwrite(p->buf, 1, p->size, pipe);
		pclose(pipe);
		signal(SIGPIPE, old);
	} else if (p->size && fwrite(p->buf, 1, p->size, stdout) != p->size) {
		rc = -1;
	}
	free(p->buf);
	p->buf = NULL;
	return rc;
}
