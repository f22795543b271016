/* search.h: the search: the / ? & prompt, search as you type, hits in every view.
 *
 * While the prompt is open every key is the prompt's: the current list
 * narrows to the hits as the words are typed, a code (5.7.26, 550) jumps to
 * its entry on Enter. The hits are marked in every list view and counted on
 * the tabs; n and N move between them, & shows only them. The state is in
 * struct ui (ui.h): prompt, input, query, words, hit_ids, filter.
 */
#ifndef BOUNCE_TUI_SEARCH_H
#define BOUNCE_TUI_SEARCH_H

#include <stddef.h>

struct ui;

/* Opens the prompt: kind is '/', '?' (backwards) or '&' (only the hits). */
void
search_open(struct ui *ui, int kind);

/* A key while the prompt is open. */
void
search_key(struct ui *ui, int key);

/* A paste while the prompt is open: its first line is typed. */
void
search_paste(struct ui *ui, const char *s, size_t len);

/* The next (dir 1) or previous hit in the current list, wrapping. */
void
search_next(struct ui *ui, int dir);

/* &: shows only the hits, or all lines again; opens the prompt when there
 * is no search. */
void
search_filter(struct ui *ui);

/* Forgets the search: every line shows again, unmarked. */
void
search_drop(struct ui *ui);

/* Marks the hits in every list view from ui->hit_ids and counts them. */
void
search_mark_hits(struct ui *ui);

/* Shows only the hits in the lists that should (the filter, or the current
 * list while the prompt is open). */
void
search_refilter(struct ui *ui);

/* "no match in this view; matches in 2 Enhanced (3)" on the status line. */
void
search_hint_others(struct ui *ui);

/* Frees the search (not the prompt's input). */
void
search_free(struct ui *ui);

#endif
