/* pager.h: long command-line output through $PAGER on a terminal, as git does. */
#ifndef BOUNCE_TUI_PAGER_H
#define BOUNCE_TUI_PAGER_H

#include <stdio.h>

struct pager {
	FILE *f;     /* where to write: a memory buffer when paging may follow */
	char *buf;   /* owned by the buffer until pager_end() */
	size_t size;
	int active;  /* output is being held for the pager */
};

/* Starts holding the output when `enabled` and standard output is a
 * terminal; p->f is then a memory stream, else stdout. Returns p->f (never
 * NULL: stdout when the buffer cannot be had). */
FILE *
pager_begin(struct pager *p, int enabled);

/* Writes what was held: through $PAGER (default "less -FRX", with LESS=FRX
 * when LESS is unset) when it has more lines than the terminal, else to
 * stdout. An empty PAGER or "cat" writes to stdout. Returns 0, or -1 when
 * the output could not be written. */
int
pager_end(struct pager *p);

#endif
