/* cli.h: the command-line front end: printing catalog entries as text. */
#ifndef BOUNCE_TUI_CLI_H
#define BOUNCE_TUI_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "bounce/catalog.h"

/* Where and how text output goes. */
struct cli_out {
	FILE *f;
	int color;    /* emit SGR colour sequences */
	size_t width; /* wrap to this many columns */
	int full;     /* print every provider entry in full */
	int brief;    /* print every entry as one line */
	int tsv;      /* diagnoses as rows of tab-separated columns */
};

/* Prints the result of a lookup: generic entries in full, then the
 * provider-specific ones (in full when few, as one line each when many).
 * Full entries are fetched with cat_get(). Returns a cat_status. */
enum cat_status
cli_print_lookup(struct cli_out *o, struct catalog *cat, const struct cat_result *res,
		 struct cat_error *err);

/* Prints search hits or a list, one line per entry, with a heading. */
void
cli_print_lines(struct cli_out *o, const struct cat_result *res, const char *heading);

/* Prints diagnosis i of an analysis of `input` as a block: type, reason,
 * provider, codes, recipient and host, what happened, what to do, the
 * note, the evidence (quoting the input, sanitized) and the entries. */
void
cli_print_diagnosis(struct cli_out *o, const struct cat_analysis *an, size_t i, const char *input,
		    size_t input_len);

/* The same as one line, for batches: "N  class type reason action code
 * provider recipient"; with o->tsv, the fixed tab-separated columns of
 * bounce(1) (explain --format tsv). */
void
cli_print_diagnosis_line(struct cli_out *o, unsigned long input_no, const struct cat_diagnosis *d);

/* The same row with a label of the caller's in the first column (a file
 * name and message number), sanitized. */
void
cli_print_diagnosis_row(struct cli_out *o, const char *label, const struct cat_diagnosis *d);

/* Writes s sanitized, then a newline. */
void
cli_put_line(FILE *f, const char *s);

/* Prints an error or notice to stderr as "bounce: MSG", sanitized. */
void
cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* While fn is set, cli_error() hands it the sanitized message (without
 * "bounce: ") instead of writing to stderr: the browser reads logs with the
 * screen up, where stderr would scribble over it. NULL restores stderr. */
void
cli_error_to(void (*fn)(void *ctx, const char *msg), void *ctx);

#endif
