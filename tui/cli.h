/* cli.h: the command-line front end: printing catalog entries as text. */
#ifndef BOUNCE_TUI_CLI_H
#define BOUNCE_TUI_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "catalog.h"

/* Where and how text output goes. */
struct cli_out {
	FILE *f;
	int color;    /* emit SGR colour sequences */
	size_t width; /* wrap to this many columns */
	int full;     /* print every provider entry in full */
	int brief;    /* print every entry as one line */
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

/* What the CLI and the browser say of an analysis that read a decoded copy
 * of the message (cat_analysis.decoded). */
#define DECODED_NOTE                                                                     \
	"the message with its base64, quoted-printable or encoded-word parts decoded; "   \
	"the evidence quotes the decoded text"

/* Prints diagnosis i of an analysis of `input` as a block: type, reason,
 * provider, codes, recipient and host, what happened, what to do, the
 * note, the evidence (quoting the input, sanitized) and the entries. */
void
cli_print_diagnosis(struct cli_out *o, const struct cat_analysis *an, size_t i, const char *input,
		    size_t input_len);

/* The same as one line, for batches: "N  class type reason action code
 * provider recipient". */
void
cli_print_diagnosis_line(struct cli_out *o, unsigned long input_no, const struct cat_diagnosis *d);

struct tbuf;

/* The type of a diagnosis in capitals ("HARD"; "UNKNOWN" when none). */
void
cli_type_word(const struct cat_diagnosis *d, char *out, size_t size);

/* Appends what the "Codes" line says of a diagnosis ("550 (reply), 5.1.1
 * (enhanced), permanent; the MTA says bounced"): the CLI and the browser
 * show the same words. Nothing when it has no code, class or outcome. */
void
cli_codes_text(const struct cat_diagnosis *d, struct tbuf *c);

/* Writes s sanitized, then a newline. */
void
cli_put_line(FILE *f, const char *s);

/* Prints an error or notice to stderr as "bounce: MSG", sanitized. */
void
cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
