/* lastscan.h: the inputs of the last bounce scan, kept for the browser's Report view. */
#ifndef BOUNCE_TUI_LASTSCAN_H
#define BOUNCE_TUI_LASTSCAN_H

#include <stddef.h>

/* The file is $XDG_STATE_HOME/bounce/last-scan: a magic line, then records
 * "TAG NUM LEN\n" followed by LEN bytes and "\n". What it keeps is what the
 * scan read that gave an event other than "no delivery" (the line or the
 * message as read, with its file and number), the header rows of CSV
 * exports, and the count of the rest; reading it through the scan again
 * gives the same report. */

struct lastscan;

/* Starts writing (a temporary file beside the last one). NULL with a
 * message in err when it cannot. `inputs` are named as given. */
struct lastscan *
lastscan_begin(char *const *inputs, size_t n, int year, long long at, char *err, size_t errsize);

/* Records; each returns -1 when the file could not be written or grew past
 * its limit (the save is then given up: lastscan_end() says why). */
int
lastscan_file(struct lastscan *ls, const char *name);
int
lastscan_header(struct lastscan *ls, const char *text, size_t len);
int
lastscan_line(struct lastscan *ls, unsigned long no, const char *text, size_t len);
int
lastscan_message(struct lastscan *ls, unsigned long index, const char *text, size_t len);

/* Ends the file and puts it in place (rename: the last one stays whole
 * until then), or, with ok 0 or after an error, removes it. -1 with a
 * message when it was not saved; frees ls. Accepts NULL. */
int
lastscan_end(struct lastscan *ls, int ok, unsigned long long ignored, char *err, size_t errsize);

/* What lastscan_read() hands its caller. */
struct lastscan_sink {
	void (*file)(void *ctx, const char *name); /* NULL: standard input */
	int (*header)(void *ctx, const char *text, size_t len);
	int (*line)(void *ctx, unsigned long no, const char *text, size_t len);
	int (*message)(void *ctx, unsigned long index, const char *text, size_t len);
	void *ctx;
};

/* A saved scan read back. Strings point into `data`. */
struct lastscan_info {
	char *data;
	size_t len;
	long long at;           /* when the scan ran, seconds since 1970 */
	int year;               /* of syslog stamps */
	const char **inputs;    /* as given to bounce scan */
	size_t n_inputs;
	unsigned long long ignored;
};

/* Reads the saved scan (path NULL: the default place) into info, calling
 * the sink's callbacks for its records in order; a callback that returns
 * -1 stops it. Returns 0; 1 when there is no saved scan; -1 with a message
 * in err when the file is not one bounce wrote or is damaged (nothing of it
 * is to be trusted). Free with lastscan_info_free(). */
int
lastscan_read(const char *path, const struct lastscan_sink *sink, struct lastscan_info *info,
	      char *err, size_t errsize);

void
lastscan_info_free(struct lastscan_info *info);

#endif
