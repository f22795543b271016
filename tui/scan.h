/* scan.h: bounce scan on the command line: logs and bounce mailboxes in, a report out. */
#ifndef BOUNCE_TUI_SCAN_H
#define BOUNCE_TUI_SCAN_H

#include <stddef.h>

#include "bounce/catalog.h"
#include "cli.h"

enum scan_format { SCAN_TEXT, SCAN_JSON, SCAN_CSV };

struct scan_opts {
	enum scan_format format;
	int follow;        /* keep reading the last input as it grows */
	int progress;      /* 1: a progress bar on stderr when it is a terminal */
	size_t top;        /* rows of the lists; 0: the engine's default */
	size_t max_open;   /* deferred recipients followed; 0: the engine's default */
	char **args;       /* files, directories, "-"; none: standard input */
	size_t n_args;
};

/* Runs bounce scan; returns the exit status: 0, 1 when a rate is at or
 * above its threshold, 2 when nothing could be read (bounce(1)). */
int
scan_run(struct catalog *cat, const struct scan_opts *o, struct cli_out *out);

#endif
