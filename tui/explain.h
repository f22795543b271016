/* explain.h: the analyzer on the command line: bounce explain. */
#ifndef BOUNCE_TUI_EXPLAIN_H
#define BOUNCE_TUI_EXPLAIN_H

#include <stddef.h>

#include "bounce/catalog.h"
#include "cli.h"

struct explain_opts {
	int json;        /* NDJSON: one object per diagnosis per line */
	int lines;       /* each input line is one input */
	int messages;    /* each file, mbox message or Maildir message is one input */
	int exit_action; /* the exit status says what to do */
	size_t max_input; /* bytes; 0: the analyzer's default (1 MiB) */
	unsigned jobs;   /* with lines: threads; 0: one per CPU, at most 8 */
	char **args;     /* the text (joined by spaces), or with lines: files */
	size_t n_args;
};

/* Runs the analyzer as the options say; returns the exit status: 0 when
 * every input was classified, 1 when one was not (reason unknown), 2 on an
 * error; with exit_action, the code of the first diagnosis's action (see
 * bounce(1), EXIT STATUS). */
int
explain_run(struct catalog *cat, const struct explain_opts *o, struct cli_out *out);

/* explain --messages (messages.c): the messages in the files, mboxes and
 * directories of o->args (standard input when none), each analyzed whole
 * (its first max bytes); the exit status as explain_run's, and 2 when a
 * file could not be read. */
int
explain_messages(const struct cat_analyzer *an, const struct explain_opts *o, struct cli_out *out,
		 size_t max);

#endif
