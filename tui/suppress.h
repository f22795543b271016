/* suppress.h: bounce scan's suppression list and --state history: options, the run, --why, --merge. */
#ifndef BOUNCE_TUI_SUPPRESS_H
#define BOUNCE_TUI_SUPPRESS_H

#include <stddef.h>

#include "bounce/catalog.h"
#include "cli.h"

/* The options of bounce scan that keep records (bounce(1)). */
struct suppress_opts {
	const char *suppress; /* --suppress FILE: the addresses to stop mailing */
	const char *state;    /* --state FILE: the history across runs */
	const char *why;      /* --why ADDRESS */
	unsigned soft_limit;  /* --soft-limit N; 0: the engine's default */
	int merge;            /* --merge: the arguments are state files */
};

/* Reads option `name` with its value when it is one of ours: 1 when it
 * was, 0 when it is not ours, -1 when its value is bad (not reported). */
int
suppress_set_option(struct suppress_opts *o, const char *name, const char *val);

/* Whether the options ask for --why or --merge, which read no log. */
int
suppress_is_command(const struct suppress_opts *o);

/* Checks the combination of options for a scan of logs (`follow`: the scan
 * follows its input); reports what is wrong and returns -1, else 0. */
int
suppress_check(const struct suppress_opts *o, int follow);

/* bounce scan --why ADDRESS and --merge FILE...: exit status 0, 1 (--why:
 * the state holds nothing of the address) or 2 (an error, reported). */
int
suppress_command(struct catalog *cat, const struct suppress_opts *o, int json, char **args,
		 size_t n_args, struct cli_out *out);

/* The records of one scan: NULL when the options keep none. */
struct suppress;

/* Opens the state (--state, else a temporary one) and begins a run, when
 * --suppress or --state is given; *out stays NULL otherwise. Returns 0, or
 * -1 with the error reported. */
int
suppress_begin(struct suppress **out, struct catalog *cat, const struct suppress_opts *o);

/* Records an event of the scan, read from `text` (a log line or a
 * message). Accepts a NULL suppress. Returns 0, or -1 with the error
 * reported. */
int
suppress_add(struct suppress *s, const struct cat_scan_event *ev, const char *text, size_t len);

/* Commits the run and writes the --suppress file. Accepts NULL. Returns 0,
 * or -1 with the error reported (the run is then not committed, or the
 * list not written). */
int
suppress_end(struct suppress *s);

/* Frees; a run not ended is rolled back. Accepts NULL. */
void
suppress_free(struct suppress *s);

#endif
