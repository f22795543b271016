/* mailbox.h: whole messages read from files, mboxes and Maildirs. */
#ifndef BOUNCE_TUI_MAILBOX_H
#define BOUNCE_TUI_MAILBOX_H

#include <stddef.h>

/* Called once per message: `file` names where it was read ("-" for
 * standard input), `index` is its number in an mbox (from 1; 0 when the
 * file holds one message), `cut` says that the message was longer than
 * the limit and msg holds its first max bytes. A non-zero return stops
 * the reading. */
typedef int (*mailbox_fn)(void *ctx, const char *file, unsigned long index, const char *msg,
			  size_t len, int cut);

/* Reads the messages at `path` ("-": standard input) and calls fn for each:
 * a file of one message; an mbox (a file whose first line starts with
 * "From "), cut at each "From " line that starts the file or follows an
 * empty line; a Maildir (its cur/ and new/ messages); any other directory
 * (its files and subdirectories, by name; names starting with a dot are
 * skipped and symbolic links to directories are not followed). Of a
 * message longer than max bytes, fn gets the first max bytes. A file that
 * cannot be read is reported on stderr and skipped. Returns 0 when every
 * message was given to fn, 1 when something was reported and skipped, -1
 * when fn asked to stop. */
int
mailbox_read(const char *path, size_t max, mailbox_fn fn, void *ctx);

#endif
