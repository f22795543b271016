/* lastscan.h: the inputs of the last bounce scan, kept for the browser's Report view. */
#ifndef BOUNCE_TUI_LASTSCAN_H
#define BOUNCE_TUI_LASTSCAN_H

#include <stddef.h>

/* The file is $XDG_STATE_HOME/bounce/last-scan: a magic line with the
 * format's version, then records "TAG NUM LEN\n" followed by LEN bytes and
 * "\n". What it keeps is what the scan read that gave an event other than
 * "no delivery" (the line or the message as read, with its file and
 * number), the header rows of CSV exports, the scan's options, and the
 * count of the rest; deliveries made to recipients never deferred are
 * kept as counts by recipient domain and hour, with the order in which
 * each domain first came. Reading it through the scan again gives the
 * same report. */

struct lastscan;

/* The scan's options the report depends on, kept with it. */
struct lastscan_opts {
	size_t max_open, top;
	long bucket;
};

/* Starts writing (a temporary file beside the last one). NULL with a
 * message in err when it cannot. `inputs` are named as given. */
struct lastscan *
lastscan_begin(char *const *inputs, size_t n, int year, long long at, const struct lastscan_opts *o,
	       char *err, size_t errsize);

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

/* A delivery made to a recipient never deferred, kept as a count: of the
 * recipient's domain (NULL: none), under `provider` (the event's; NULL),
 * at `when` (0: no time). A domain and provider not seen before are named
 * at once (their place in the order); the counts are written by the hour
 * (or the scan's shorter bucket), in any order. `id` is the event's
 * domain_id (0: none), which finds the pair without its strings: the
 * same id must come with the same domain and provider. */
int
lastscan_delivery(struct lastscan *ls, unsigned id, const char *domain, const char *provider,
		  long long when);

/* Ends the file with the count of events of no delivery not kept, and the
 * span of their times (0: none), and puts it in place (rename: the last one stays whole
 * until then), or, with ok 0 or after an error, removes it. -1 with a
 * message when it was not saved; frees ls. Accepts NULL. */
int
lastscan_end(struct lastscan *ls, int ok, unsigned long long ignored, long long ignored_first,
	     long long ignored_last, char *err, size_t errsize);

/* What lastscan_read() hands its caller; a callback that returns -1 stops
 * the reading. */
struct lastscan_sink {
	void (*file)(void *ctx, const char *name); /* NULL: standard input */
	int (*header)(void *ctx, const char *text, size_t len);
	int (*line)(void *ctx, unsigned long no, const char *text, size_t len);
	int (*message)(void *ctx, unsigned long index, const char *text, size_t len);
	/* n deliveries (as cat_scan_sent_count(); n 0: a domain's first
	 * place): domain and provider NULL when none */
	int (*count)(void *ctx, const char *domain, const char *provider, long long first,
		     long long last, unsigned long long n);
	void *ctx;
};

/* A saved scan read back. */
struct lastscan_info {
	long long at;           /* when the scan ran, seconds since 1970 */
	int year;               /* of syslog stamps */
	struct lastscan_opts opts;
	char **inputs;          /* as given to bounce scan */
	size_t n_inputs;
	unsigned long long ignored;          /* events of no delivery not kept */
	long long ignored_first, ignored_last; /* their times; 0 */
};

/* Reads the saved scan (path NULL: the default place) into info, checking
 * the whole file first, then calling the sink's callbacks for its records
 * in order. Returns 0; 1 when there is no saved scan; -1 with a message
 * in err when the file is not one bounce wrote, was written in another
 * version of the format, or is damaged (nothing of it is then handed on).
 * Free with lastscan_info_free(). */
int
lastscan_read(const char *path, const struct lastscan_sink *sink, struct lastscan_info *info,
	      char *err, size_t errsize);

void
lastscan_info_free(struct lastscan_info *info);

#endif
