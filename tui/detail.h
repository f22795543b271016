/* detail.h: one catalog entry in full, as the lines of the detail pane.
 *
 * struct detail is the detail pane beside or below a list: the entry shown,
 * the lines built for it, and the history of links followed (which
 * detail_nav.h moves through). This part turns an entry into lines.
 */
#ifndef BOUNCE_TUI_DETAIL_H
#define BOUNCE_TUI_DETAIL_H

#include <stddef.h>

#include "bounce/catalog.h"
#include "pane.h"

struct ui;

/* One step of a detail pane's history. */
struct detail_step {
	char *key;
	int cls;
	size_t cur, top;
};

/* The detail pane: one entry in full, and where it came from. */
struct detail {
	struct pane pane;
	struct cat_result *res;   /* the entry shown (cat_get), owned */
	struct cat_result *extra; /* entries with this reason or impact, owned */
	char *key;                /* key shown, owned */
	int cls;
	char *list_key;           /* the list line it was opened from, owned */
	struct detail_step *hist; /* back history */
	size_t nhist, caphist;
	struct detail_step *fwd;  /* forward history: what Back left, the latest last */
	size_t nfwd, capfwd;
	int width;                /* wrap width the lines were built for */
	char error[256];          /* why nothing is shown */
};

/* Builds the lines of d->pane from d->res and d->extra (or d->error) for
 * d->width columns. */
void
detail_build(struct detail *d);

/* The entry as text (as 'bounce KEY' prints it), owned; NULL on error. */
char *
detail_text(struct ui *ui, const struct detail *d, size_t *len);

/* The web page of entry e: a provider's postmaster page, else the first
 * source with an address; NULL if none. Borrowed from e. */
const char *
detail_url(const struct cat_entry *e);

/* The title of the pane ("550  Mailbox unavailable"). */
const char *
detail_title(const struct detail *d);

/* "Label      text wrapped" lines of a field, as the detail pane shows
 * them, for text `width` columns wide. Nothing for NULL or empty text. */
void
detail_add_field(struct pane *p, int width, const char *label, const char *text);

#endif
