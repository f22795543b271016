/* acm.h: an Aho-Corasick matcher over bytes, for the analyzer.
 *
 * The analyzer looks for hundreds of phrases, markers, tags and fragments of
 * provider texts in every bounce. One pass of this automaton finds all of
 * them, whatever their number: no regular expression runs per line.
 * Patterns and text are compared byte for byte; the analyzer folds case
 * before adding patterns and before matching.
 */
#ifndef BOUNCE_CATALOG_ACM_H
#define BOUNCE_CATALOG_ACM_H

#include <stddef.h>

struct acm;

/* A new, empty matcher; NULL on out of memory. */
struct acm *
acm_new(void);

/* Frees it. Accepts NULL. */
void
acm_free(struct acm *m);

/* Adds a pattern of len > 0 bytes with a caller's id. Returns 0, or -1 on
 * out of memory. Patterns may be added only before acm_build(). */
int
acm_add(struct acm *m, const char *pat, size_t len, int id);

/* Computes the failure links; the matcher is then read-only. 0 or -1. */
int
acm_build(struct acm *m);

/* Called for every occurrence: the pattern id and the offset one past its
 * last byte in the text. Return non-zero to stop the scan. */
typedef int (*acm_hit_fn)(void *arg, int id, size_t end);

/* Scans text[0..len) and reports every occurrence of every pattern, in
 * order of end offset. */
void
acm_scan(const struct acm *m, const unsigned char *text, size_t len, acm_hit_fn fn, void *arg);

#endif
