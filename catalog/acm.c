/* acm.c: Aho-Corasick automaton.
 *
 * States are kept in one array. Each state's edges are a sorted run in one
 * edge array (binary searched); the root has a full 256-entry table since
 * almost every byte of a scan passes through it. Outputs are linked lists
 * through the output array, shared along failure links.
 */
#include "acm.h"

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

struct output {
	int id;
	int next; /* next output (own or along the failure chain), -1 */
};

/* While building: edges kept per state as a linked list. */
struct bedge {
	unsigned char byte;
	int to;
	int next;
};

struct acm {
	struct state *st;
	size_t n_st, cap_st;
	struct output *out;
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
	free(m);
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

int
acm_build(struct acm *m)
{
	int *queue = NULL;
	size_t head = 0, tail = 0, s, k = 0;
	int e, c;

	if (m->built)
		return 0;
	/* flatten the edges, sorted per state */
	m->edge = malloc((m->n_be ? m->n_be : 1) * sizeof(*m->edge));
	queue = malloc(m->n_st * sizeof(*queue));
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
	free(queue);
	free(m->be);
	m->be = NULL;
	free(m->be_head);
	m->be_head = NULL;
	m->built = 1;
	return 0;
}

void
acm_scan(const struct acm *m, const unsigned char *text, size_t len, acm_hit_fn fn, void *arg)
{
	size_t i;
	int s = 0;

	if (!m->built)
		return;
	for (i = 0; i < len; i++) {
		int o;

		s = step(m, s, text[i]);
		for (o = m->st[s].out; o >= 0; o = m->out[o].next)
			if (fn(arg, m->out[o].id, i + 1))
				return;
	}
}
