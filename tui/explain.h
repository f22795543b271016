/* explain.h: the analyzer on the command line: bounce explain. */
#ifndef BOUNCE_TUI_EXPLAIN_H
#define BOUNCE_TUI_EXPLAIN_H

#include <stddef.h>

#include "bounce/catalog.h"
#include "cli.h"

struct explain_opts {
	int json;        /* NDJSON: one object per diagnosis per line */
	int lines;       /* each input line is one input */
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

#endif
