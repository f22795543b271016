/* acm.c: Aho-Corasick automaton.
 *
 * While patterns are added, the trie's edges are linked lists per state;
 * acm_build() sorts them into one edge array, computes the failure links,
 * and compiles the automaton for scanning in two parts:
 *
 * - the shallow states (at most DENSE_DEPTH bytes deep: about 1,800 of the
 *   shipped catalog's 39,000) get a row of a table with one column per byte
 *   class, holding the state the byte leads to (failure links already
 *   followed). A scan spends most of its time here, one load per byte, and
 *   the table (about 250 KB) stays in the CPU's cache;
 * - the deep states keep their few edges (usually one) and their failure
 *   link, numbered in the order the trie was built, so that following a
 *   long match (a provider's text quoted whole) reads neighbouring memory.
 *
 * A full table for every state was tried: 5.5 MB, it made each step a
 * cache miss and a scan no faster, and cost 4 ms and 4 MB at start-up.
 * Byte classes are the bytes that occur in some pattern, one each, and
 * class 0 for all others (about 70). Table entries are 16 bits while the
 * states fit, 32 beyond. A bit per state says whether it has outputs;
 * outputs are linked lists through the output array, shared along failure
 * links.
 */
#include "acm.h"

enum { DENSE_DEPTH = 6 }; /* see compile() */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct edge {
	unsigned char byte;
	int to;
};

struct state {
	int fail;
	int out;     /* first output of this state, -1 if none */
	int edges;   /* index of its first edge (after build) */
	int n_edges;
	int depth;
};

/* While building: edges kept per state as a linked list. */
struct bedge {
	unsigned char byte;
	int to;
	int next;
};

struct acm {
	struct acm_tables c; /* the compiled automaton (acm.h) */
	int wrapped;         /* c is someone else's (acm_wrap()) */
	/* the trie */
	struct state *st;
	size_t n_st, cap_st;
	struct acm_output *out;
	size_t n_out, cap_out;
	struct bedge *be; /* build edges */
	size_t n_be, cap_be;
	int *be_head;     /* per state, first build edge */
	struct edge *edge; /* flattened, sorted */
	int root[256];
	int built;
};

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	void *q;
	size_t c = *cap ? *cap : 64;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	q = realloc(*p, c * size);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static int
new_state(struct acm *m, int depth)
{
	size_t cap_heads = m->cap_st;

	if (grow((void **)&m->st, &m->cap_st, m->n_st + 1, sizeof(*m->st)))
		return -1;
	if (m->cap_st != cap_heads || !m->be_head) {
		int *h = realloc(m->be_head, m->cap_st * sizeof(*h));

		if (!h)
			return -1;
		m->be_head = h;
	}
	m->st[m->n_st].fail = 0;
	m->st[m->n_st].out = -1;
	m->st[m->n_st].edges = 0;
	m->st[m->n_st].n_edges = 0;
	m->st[m->n_st].depth = depth;
	m->be_head[m->n_st] = -1;
	return (int)m->n_st++;
}

struct acm *
acm_new(void)
{
	struct acm *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	if (new_state(m, 0) != 0) {
		acm_free(m);
		return NULL;
	}
	return m;
}

/* free() of what the const view points at: memory this matcher allocated */
static void
free_owned(const void *p)
{
	free((void *)(uintptr_t)p);
}

void
acm_free(struct acm *m)
{
	if (!m)
		return;
	free(m->st);
	free(m->out);
	free(m->be);
	free(m->be_head);
	free(m->edge);
	if (!m->wrapped) {
		free_owned(m->c.t16);
		free_owned(m->c.t32);
		free_owned(m->c.deep);
		free_owned(m->c.dedge);
		free_owned(m->c.outs);
		free_owned(m->c.has_out);
	}
	free(m);
}

const struct acm_tables *
acm_tables(const struct acm *m)
{
	return m->built ? &m->c : NULL;
}

struct acm *
acm_wrap(const struct acm_tables *t)
{
	struct acm *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->c = *t;
	m->wrapped = 1;
	m->built = 1;
	return m;
}

static int
build_child(const struct acm *m, int s, unsigned char c)
{
	int e;

	for (e = m->be_head[s]; e >= 0; e = m->be[e].next)
		if (m->be[e].byte == c)
			return m->be[e].to;
	return -1;
}

int
acm_add(struct acm *m, const char *pat, size_t len, int id)
{
	int s = 0;
	size_t i;

	if (m->built || len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)pat[i];
		int t = build_child(m, s, c);

		if (t < 0) {
			t = new_state(m, (int)i + 1);
			if (t < 0 || grow((void **)&m->be, &m->cap_be, m->n_be + 1, sizeof(*m->be)))
				return -1;
			m->be[m->n_be].byte = c;
			m->be[m->n_be].to = t;
			m->be[m->n_be].next = m->be_head[s];
			m->be_head[s] = (int)m->n_be++;
		}
		s = t;
	}
	if (grow((void **)&m->out, &m->cap_out, m->n_out + 1, sizeof(*m->out)))
		return -1;
	m->out[m->n_out].id = id;
	m->out[m->n_out].next = m->st[s].out;
	m->st[s].out = (int)m->n_out++;
	return 0;
}

static int
cmp_edge(const void *a, const void *b)
{
	return (int)((const struct edge *)a)->byte - (int)((const struct edge *)b)->byte;
}

/* The state reached from s by byte c, following failure links. */
static int
step(const struct acm *m, int s, unsigned char c)
{
	for (;;) {
		const struct state *st;
		int lo, hi;

		if (s == 0)
			return m->root[c];
		st = &m->st[s];
		lo = st->edges;
		hi = st->edges + st->n_edges - 1;
		while (lo <= hi) {
			int mid = (lo + hi) / 2;

			if (m->edge[mid].byte == c)
				return m->edge[mid].to;
			if (m->edge[mid].byte < c)
				lo = mid + 1;
			else
				hi = mid - 1;
		}
		s = st->fail;
	}
}

/* Compiles the automaton: states at most DENSE_DEPTH deep get a row of
 * the table, the deeper ones keep their few edges and their failure link.
 * `order` holds every state but the root, breadth first (a state's failure
 * comes before it). */
static int
compile(struct acm *m, const int *order)
{
	size_t n = m->n_st, ncls = 1, i, nd = 0, k = 0;
	int wide = n > 65536;
	uint32_t *num = malloc(n * sizeof(*num)), next_deep;
	unsigned char *cls = m->c.cls, *has_out;
	uint16_t *t16 = NULL;
	uint32_t *t32 = NULL;
	struct acm_deep *deep;
	struct acm_dedge *dedge;
	int *outs;

	if (!num)
		return -1;
	memset(cls, 0, sizeof(m->c.cls));
	for (i = 0; i < m->n_be; i++)
		if (!cls[m->be[i].byte])
			cls[m->be[i].byte] = (unsigned char)ncls++;
	m->c.n_cls = ncls;
	/* numbers: shallow states first, then deep ones, each in the order
	 * the trie was built (a pattern's deep states are neighbours) */
	for (i = 0; i < n; i++)
		if (m->st[i].depth <= DENSE_DEPTH)
			num[i] = (uint32_t)nd++;
	next_deep = (uint32_t)nd;
	for (i = 0; i < n; i++)
		if (m->st[i].depth > DENSE_DEPTH)
			num[i] = next_deep++;
	m->c.n_dense = (uint32_t)nd;
	m->c.n_states = n;
	m->c.n_dedge = m->n_be;
	m->c.n_out = m->n_out;
	m->c.out = m->out;
	m->c.outs = outs = malloc(n * sizeof(*outs));
	m->c.has_out = has_out = calloc(n / 8 + 1, 1);
	m->c.deep = deep = malloc((n - nd + 1) * sizeof(*deep));
	m->c.dedge = dedge = malloc((m->n_be + 1) * sizeof(*dedge));
	if (wide)
		m->c.t32 = t32 = malloc(nd * ncls * sizeof(*t32));
	else
		m->c.t16 = t16 = malloc(nd * ncls * sizeof(*t16));
	if (!outs || !has_out || !deep || !dedge || !(t16 || t32)) {
		free(num);
		return -1;
	}
	/* breadth first: a shallow state goes where its failure goes (whose
	 * row is made), except along its own edges */
	for (i = 0; i < n; i++) {
		int s = i == 0 ? 0 : order[i - 1], e;
		const struct state *st = &m->st[s];
		uint32_t id = num[s];

		outs[id] = st->out;
		if (st->out >= 0)
			has_out[id / 8] |= (unsigned char)(1u << (id % 8));
		if (id >= nd)
			continue;
		{
			size_t row = (size_t)id * ncls, frow = (size_t)num[st->fail] * ncls;

			if (wide) {
				if (s == 0)
					memset(t32, 0, ncls * sizeof(*t32));
				else
					memcpy(t32 + row, t32 + frow, ncls * sizeof(*t32));
			} else {
				if (s == 0)
					memset(t16, 0, ncls * sizeof(*t16));
				else
					memcpy(t16 + row, t16 + frow, ncls * sizeof(*t16));
			}
			for (e = 0; e < st->n_edges; e++) {
				const struct edge *ed = &m->edge[st->edges + e];

				if (wide)
					t32[row + cls[ed->byte]] = num[ed->to];
				else
					t16[row + cls[ed->byte]] = (uint16_t)num[ed->to];
			}
		}
	}
	/* deep states, in their numbers' order */
	for (i = 0; i < n; i++) {
		const struct state *st = &m->st[i];
		struct acm_deep *d;
		int e;

		if (num[i] < nd)
			continue;
		d = &deep[num[i] - nd];
		d->fail = num[st->fail];
		d->edges = (uint32_t)k;
		d->n_edges = (uint32_t)st->n_edges;
		for (e = 0; e < st->n_edges; e++, k++) {
			dedge[k].byte = m->edge[st->edges + e].byte;
			dedge[k].to = num[m->edge[st->edges + e].to];
		}
	}
	free(num);
	return 0;
}

int
acm_build(struct acm *m)
{
	int *queue = NULL;
	size_t head = 0, tail = 0, s, k = 0;
	int e, c, rc;

	if (m->built)
		return 0;
	/* flatten the edges, sorted per state */
	m->edge = malloc((m->n_be ? m->n_be : 1) * sizeof(*m->edge));
	queue = malloc(m->n_st * sizeof(*queue)); /* all but the root, breadth first */
	if (!m->edge || !queue) {
		free(queue);
		return -1;
	}
	for (s = 0; s < m->n_st; s++) {
		m->st[s].edges = (int)k;
		for (e = m->be_head[s]; e >= 0; e = m->be[e].next) {
			m->edge[k].byte = m->be[e].byte;
			m->edge[k].to = m->be[e].to;
			k++;
		}
		m->st[s].n_edges = (int)k - m->st[s].edges;
		qsort(m->edge + m->st[s].edges, (size_t)m->st[s].n_edges, sizeof(*m->edge), cmp_edge);
	}
	for (c = 0; c < 256; c++)
		m->root[c] = 0;
	for (e = 0; e < m->st[0].n_edges; e++) {
		const struct edge *ed = &m->edge[m->st[0].edges + e];

		m->root[ed->byte] = ed->to;
		m->st[ed->to].fail = 0;
		queue[tail++] = ed->to;
	}
	/* breadth first: a state's failure is computed after its parent's */
	while (head < tail) {
		int r = queue[head++];

		for (e = 0; e < m->st[r].n_edges; e++) {
			const struct edge *ed = &m->edge[m->st[r].edges + e];
			int t = ed->to, f = step(m, m->st[r].fail, ed->byte);

			m->st[t].fail = f;
			/* share the failure state's outputs: append them to t's list */
			if (m->st[t].out < 0) {
				m->st[t].out = m->st[f].out;
			} else {
				int o = m->st[t].out;

				while (m->out[o].next >= 0)
					o = m->out[o].next;
				m->out[o].next = m->st[f].out;
			}
			queue[tail++] = t;
		}
	}
	rc = compile(m, queue);
	free(queue);
	free(m->be);
	m->be = NULL;
	free(m->be_head);
	m->be_head = NULL;
	if (rc == 0)
		m->built = 1;
	return rc;
}

/* The scan, for one width of table entries: from a deep state, its own
 * edges, else its failure, until a shallow state's row answers. */
#define SCAN(T)                                                                        \
	do {                                                                           \
		const T *t = (const T *)(tab);                                          \
		uint32_t s = 0;                                                         \
		for (i = 0; i < len; i++) {                                              \
			unsigned char c = text[i];                                       \
			while (s >= nd) {                                                \
				const struct acm_deep *d = &m->c.deep[s - nd];           \
				const struct acm_dedge *e = m->c.dedge + d->edges;       \
				uint32_t k, to = UINT32_MAX;                             \
				for (k = 0; k < d->n_edges; k++)                         \
					if (e[k].byte == c) {                            \
						to = e[k].to;                            \
						break;                                   \
					}                                                \
				if (to != UINT32_MAX) {                                  \
					s = to;                                          \
					goto moved_##T;                                  \
				}                                                        \
				s = d->fail;                                             \
			}                                                                \
			s = t[(size_t)s * ncls + m->c.cls[c]];                           \
		moved_##T:                                                               \
			if (m->c.has_out[s / 8] & (1u << (s % 8))) {                     \
				int o;                                                   \
				for (o = m->c.outs[s]; o >= 0; o = m->c.out[o].next)     \
					if (fn(arg, m->c.out[o].id, i + 1))              \
						return;                                  \
			}                                                                \
		}                                                                        \
	} while (0)

void
acm_scan(const struct acm *m, const unsigned char *text, size_t len, acm_hit_fn fn, void *arg)
{
	size_t i, ncls;
	uint32_t nd;
	const void *tab;

	if (!m->built)
		return;
	ncls = m->c.n_cls;
	nd = m->c.n_dense;
	if (m->c.t16) {
		tab = m->c.t16;
		SCAN(uint16_t);
	} else {
		tab = m->c.t32;
		SCAN(uint32_t);
	}
}
