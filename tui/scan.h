/* scan.h: bounce scan on the command line: logs and bounce mailboxes in, a report out. */
#ifndef BOUNCE_TUI_SCAN_H
#define BOUNCE_TUI_SCAN_H

#include <stddef.h>

#include "bounce/catalog.h"
#include "cli.h"
#include "suppress.h"

enum scan_format { SCAN_TEXT, SCAN_JSON, SCAN_CSV };

struct scan_opts {
	enum scan_format format;
	int follow;        /* keep reading the last input as it grows */
	int interval;      /* with follow: seconds between summaries */
	int no_save;       /* keep no copy for the browser's Report (lastscan.c) */
	int progress;      /* 1: a progress bar on stderr when it is a terminal */
	size_t top;        /* rows of the lists; 0: the engine's default */
	size_t max_open;   /* deferred recipients followed; 0: the engine's default */
	unsigned threads;  /* analyzing a log; 0: one per CPU, at most 8 */
	struct suppress_opts sup; /* --suppress, --state, --soft-limit */
	char **args;       /* files, directories, "-"; none: standard input */
	size_t n_args;
};

/* Runs bounce scan; returns the exit status: 0, 1 when a rate is at or
 * above its threshold, 2 when nothing could be read (bounce(1)). */
int
scan_run(struct catalog *cat, const struct scan_opts *o, struct cli_out *out);

/* What scan_read() tells its caller while it reads; any member may be NULL. */
struct scan_sink {
	/* each diagnosis once, as the scan counted it (ev: borrowed, valid
	 * during the call, as are an and from; cols: the input is a row of a
	 * CSV export, analyzed by cat_analyze_row(), else NULL); a delivery
	 * the scan counted from the line's fields without a diagnosis is not
	 * passed */
	void (*event)(void *ctx, const struct cat_analysis *an, size_t i,
		      const struct cat_scan_from *from, const struct cat_columns *cols,
		      const struct cat_scan_event *ev);
	/* now and then (every 200 ms at most): bytes read of the regular
	 * files' total; name is the input being read */
	void (*progress)(void *ctx, const char *name, unsigned long long done,
			 unsigned long long all);
	void *ctx;
};

/* Reads inputs as bounce scan does (logs plain or gzip, mailboxes,
 * directories, "-") into a new scan, for a caller that shows the report
 * itself (the browser's Report view). Messages go through cli_error().
 * Returns 0 with *an and *scan set (owned: cat_scan_free() then
 * cat_analyzer_free()), 1 when they are set but no delivery, bounce or
 * refusal was found, 2 when nothing could be read (both NULL). */
int
scan_read(struct catalog *cat, char **args, size_t n, const struct scan_sink *sink,
	  struct cat_analyzer **an, struct cat_scan **scan);

struct lastscan_info;

/* The last bounce scan, as saved for the browser (lastscan.c), read again
 * through the same reading into a new scan: 0 with *an and *scan set
 * (owned, as scan_read()) and info filled (free it with
 * lastscan_info_free()); 1 when no scan was saved; 2 with a message in err
 * when the saved one is damaged or not bounce's (nothing set). */
int
scan_replay(struct catalog *cat, const struct scan_sink *sink, struct cat_analyzer **an,
	    struct cat_scan **scan, struct lastscan_info *info, char *err, size_t errsize);

/* bounce scan --last: the report of the last scan saved (scan_replay()),
 * printed as scan_run() prints it (o: its format); the exit status as
 * scan_run()'s, 2 when none was saved or it cannot be read. */
int
scan_last(struct catalog *cat, const struct scan_opts *o, struct cli_out *out);

#endif
