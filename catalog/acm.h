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
#include <stdint.h>

struct acm;

/* The compiled automaton, all acm_scan() reads (see acm.c for its layout):
 * what tools/mkanalyzer writes into gen/ as C data for the built-in catalog,
 * and what acm_wrap() scans in place. */
struct acm_deep { /* a state deeper than the table: its edges and failure */
	uint32_t fail;
	uint32_t edges; /* in dedge */
	uint32_t n_edges;
};
struct acm_dedge {
	unsigned char byte;
	uint32_t to;
};
struct acm_output {
	int id;
	int next; /* next output (own or along the failure chain), -1 */
};
struct acm_tables {
	unsigned char cls[256]; /* byte -> class */
	size_t n_cls;
	uint32_t n_dense;       /* states numbered below this have a table row */
	size_t n_states, n_dedge, n_out;
	const uint16_t *t16;    /* [state * n_cls + class] -> state, or */
	const uint32_t *t32;    /* the same, when there are more than 65,536 states */
	const struct acm_deep *deep; /* the others, numbered from n_dense */
	const struct acm_dedge *dedge;
	const unsigned char *has_out; /* a bit per state */
	const int *outs;              /* per state: its first output, -1 */
	const struct acm_output *out;
};

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

/* The compiled tables of a built matcher (NULL before acm_build()); they
 * belong to m. */
const struct acm_tables *
acm_tables(const struct acm *m);

/* A built matcher that scans `t` where it is, without copying (t must
 * outlive it); NULL on out of memory. acm_free() frees only the handle. */
struct acm *
acm_wrap(const struct acm_tables *t);

/* Called for every occurrence: the pattern id and the offset one past its
 * last byte in the text. Return non-zero to stop the scan. */
typedef int (*acm_hit_fn)(void *arg, int id, size_t end);

/* Scans text[0..len) and reports every occurrence of every pattern, in
 * order of end offset. */
void
acm_scan(const struct acm *m, const unsigned char *text, size_t len, acm_hit_fn fn, void *arg);

#endif
