/* mkanalyzer: compiles the built-in catalog's analyzer at build time, as C data.
 *
 *	tools/mkanalyzer gen/builtin_an.c
 *
 * Opens the built-in index image (gen/builtin_db.o, made by tools/mkindex
 * from data/catalog.xml), builds its analyzer with the engine's own code
 * (rules_build(): the same as at run time over any catalog), and writes
 * every array of it and the tables of its Aho-Corasick automaton as C
 * initializers. cat_analyzer_new() uses them where they are when the
 * catalog is that image alone, instead of compiling the phrases, markers,
 * tags and provider texts again at every start. The data still has one
 * source, data/catalog.xml; this program only moves the work to the build.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acm.h"
#include "analyze.h"
#include "builtin.h"
#include "db.h"
#include "lookup.h"

/* This program makes the analyzer image: it has none of its own, so that
 * cat_analyzer_new() and rules_build() compile one from the database. */
const struct cat_analyzer *const cat_builtin_analyzer = NULL;
const struct acm_tables *const cat_builtin_acm = NULL;
/* Nor does it look anything up: no lookup image (tools/mklookup's). */
const struct lk_image *const cat_builtin_lookup = NULL;

static FILE *out;

/* A C string literal of s, or NULL. '?' is escaped: -std=c11 reads
 * trigraphs. */
static void
str(const char *s)
{
	if (!s) {
		fputs("NULL", out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\' || c == '?')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\%03o", c); /* octal: at most 3 digits, never runs on */
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* An array of n numbers, 12 to a line. */
#define NUMBERS(type, name, arr, n, fmt, cast)                                                     \
	do {                                                                                       \
		size_t i_;                                                                         \
		fprintf(out, "static const %s %s[%zu] = {", type, name, (n) ? (size_t)(n) : 1);   \
		for (i_ = 0; i_ < (size_t)(n); i_++)                                               \
			fprintf(out, "%s" fmt ",", i_ % 12 ? " " : "\n\t", cast(arr)[i_]);         \
		fputs((n) ? "\n};\n" : " 0 };\n", out);                                          \
	} while (0)

static void
reasons(const struct cat_analyzer *a)
{
	size_t i;

	fprintf(out, "static struct a_reason an_reasons[%zu] = {\n", a->n_reasons + 1);
	for (i = 0; i < a->n_reasons; i++) {
		const struct a_reason *r = &a->reasons[i];

		fputs("\t{ .id = ", out);
		str(r->id);
		fputs(", .meaning = ", out);
		str(r->meaning);
		fputs(", .fix = ", out);
		str(r->fix);
		fputs(", .transient = ", out);
		str(r->transient);
		fprintf(out, ", .group = %d, .type = %d, .act = %d, .act_t = %d, .refusal = %d },\n",
			(int)r->group, (int)r->type, (int)r->act, (int)r->act_t, r->refusal);
	}
	fputs("};\n", out);
}

static void
codes(const char *name, const struct a_code *c, size_t n)
{
	size_t i;

	fprintf(out, "static struct a_code %s[%zu] = {\n", name, n + 1);
	for (i = 0; i < n; i++) {
		fprintf(out, "\t{ .reply = %d, .subj = %d, .det = %d, .key = ", c[i].reply, c[i].subj,
			c[i].det);
		str(c[i].key);
		fputs(", .rule = ", out);
		str(c[i].rule);
		fprintf(out, ", .reason = %d, .meaning = ", c[i].reason);
		str(c[i].meaning);
		fputs(", .fix = ", out);
		str(c[i].fix);
		fputs(" },\n", out);
	}
	fputs("};\n", out);
}

static void
entries(const struct cat_analyzer *a)
{
	size_t i;

	fprintf(out, "static struct a_entry an_entries[%zu] = {\n", a->n_entries + 1);
	for (i = 0; i < a->n_entries; i++) {
		const struct a_entry *e = &a->entries[i];

		fputs("\t{ .key = ", out);
		str(e->key);
		fputs(", .rule = ", out);
		str(e->rule);
		fputs(", .tag_rule = ", out);
		str(e->tag_rule);
		fprintf(out, ", .prov = %d, .reply = %d, .ecls = %d, .esubj = %d, .elo = %d, .ehi = %d,"
			" .tag = ", e->prov, e->reply, e->ecls, e->esubj, e->elo, e->ehi);
		str(e->tag);
		fprintf(out, ", .tag_word = %d, .reason = %d, .meaning = ", e->tag_word, e->reason);
		str(e->meaning);
		fputs(", .fix = ", out);
		str(e->fix);
		fputs(" },\n", out);
	}
	fputs("};\n", out);
}

static void
providers(const struct cat_analyzer *a)
{
	size_t i, j;

	for (i = 0; i < a->n_provs; i++) {
		if (!a->provs[i].n_domains)
			continue;
		fprintf(out, "static const char *an_dom%zu[%zu] = {", i, a->provs[i].n_domains);
		for (j = 0; j < a->provs[i].n_domains; j++) {
			fputs(j ? ", " : " ", out);
			str(a->provs[i].domains[j]);
		}
		fputs(" };\n", out);
	}
	fprintf(out, "static struct a_provider an_provs[%zu] = {\n", a->n_provs + 1);
	for (i = 0; i < a->n_provs; i++) {
		fputs("\t{ .id = ", out);
		str(a->provs[i].id);
		fputs(", .rule = ", out);
		str(a->provs[i].rule);
		if (a->provs[i].n_domains)
			fprintf(out, ", .domains = an_dom%zu, .n_domains = %zu", i, a->provs[i].n_domains);
		fputs(" },\n", out);
	}
	fputs("};\n", out);
	/* the domains' hash table, slot by slot */
	fprintf(out, "static struct a_domain an_doms[%zu] = {\n", a->n_doms);
	for (i = 0; i < a->n_doms; i++) {
		fputs("\t{ ", out);
		str(a->doms[i].name);
		fprintf(out, ", %d },\n", a->doms[i].prov);
	}
	fputs("};\n", out);
}

static void
phrases(const struct cat_analyzer *a)
{
	size_t i;

	fprintf(out, "static struct a_phrase an_phrases[%zu] = {\n", a->n_phrases + 1);
	for (i = 0; i < a->n_phrases; i++) {
		const struct a_phrase *p = &a->phrases[i];

		fputs("\t{ .id = ", out);
		str(p->id);
		fputs(", .rule = ", out);
		str(p->rule);
		fprintf(out, ", .reason = %d, .cls = %d, .isubj = %d, .idet = %d, .weight = %d,"
			" .subject_only = %d, .event = %d, .len = %zu, .part0 = %d, .n_parts = %d },\n",
			p->reason, p->cls, p->isubj, p->idet, p->weight, p->subject_only, (int)p->event,
			p->len, p->part0, p->n_parts);
	}
	fputs("};\n", out);
	fprintf(out, "static struct a_part an_parts[%zu] = {\n", a->n_parts + 1);
	for (i = 0; i < a->n_parts; i++)
		fprintf(out, "\t{ .phrase = %d, .marker = %d, .k = %d, .gap = %d, .len = %zu },\n",
			a->parts[i].phrase, a->parts[i].marker, a->parts[i].k, (int)a->parts[i].gap,
			a->parts[i].len);
	fputs("};\n", out);
	fprintf(out, "static struct a_marker an_markers[%zu] = {\n", a->n_markers + 1);
	for (i = 0; i < a->n_markers; i++) {
		const struct a_marker *m = &a->markers[i];

		fprintf(out, "\t{ .prov = %d, .strong = %d, .is_tag = %d, .is_id = %d, .reporter = %d,"
			" .len = %zu, .n_parts = %d },\n", m->prov, m->strong, m->is_tag, m->is_id,
			m->reporter, m->len, m->n_parts);
	}
	fputs("};\n", out);
}

static void
frags(const struct cat_analyzer *a)
{
	size_t i;

	fprintf(out, "static struct a_frag an_frags[%zu] = {\n", a->n_frags + 1);
	for (i = 0; i < a->n_frags; i++) {
		const struct a_frag *f = &a->frags[i];

		fprintf(out, "\t{ .entry = %d, .len = %zu, .text = ", f->entry, f->len);
		str(f->text);
		fprintf(out, ", .generic = %d, .marker = %d, .shared = %d },\n", f->generic, f->marker,
			f->shared);
	}
	fputs("};\n", out);
	fprintf(out, "static struct a_bitflags an_bitflags[%zu] = {\n", a->n_bitflags + 1);
	for (i = 0; i < a->n_bitflags; i++) {
		const struct a_bitflags *b = &a->bitflags[i];

		fprintf(out, "\t{ .prov = %d, .prefix = ", b->prov);
		str(b->prefix);
		fprintf(out, ", .plen = %zu, .digits = %d, .reply = %d, .reason = %d },\n", b->plen,
			b->digits, b->reply, b->reason);
	}
	fputs("};\n", out);
}

/* The sparse code indexes: only their non-zero slots. */
static void
code_index(const char *member, const short *at, size_t n)
{
	size_t i;

	fprintf(out, "\t.%s = {", member);
	for (i = 0; i < n; i++)
		if (at[i])
			fprintf(out, "\n\t\t[%zu] = %d,", i, at[i]);
	fputs("\n\t},\n", out);
}

static void
automaton(const struct acm_tables *t)
{
	size_t rows = (size_t)t->n_dense * t->n_cls, n_deep = t->n_states - t->n_dense, i;

	if (t->t16)
		NUMBERS("uint16_t", "an_t16", t->t16, rows, "%u", (unsigned));
	else
		NUMBERS("uint32_t", "an_t32", t->t32, rows, "%u", (unsigned));
	fprintf(out, "static const struct acm_deep an_deep[%zu] = {", n_deep ? n_deep : 1);
	for (i = 0; i < n_deep; i++)
		fprintf(out, "%s{ %u, %u, %u },", i % 4 ? " " : "\n\t", (unsigned)t->deep[i].fail,
			(unsigned)t->deep[i].edges, (unsigned)t->deep[i].n_edges);
	fputs(n_deep ? "\n};\n" : " { 0, 0, 0 } };\n", out);
	fprintf(out, "static const struct acm_dedge an_dedge[%zu] = {", t->n_dedge ? t->n_dedge : 1);
	for (i = 0; i < t->n_dedge; i++)
		fprintf(out, "%s{ %u, %u },", i % 6 ? " " : "\n\t", (unsigned)t->dedge[i].byte,
			(unsigned)t->dedge[i].to);
	fputs(t->n_dedge ? "\n};\n" : " { 0, 0 } };\n", out);
	NUMBERS("unsigned char", "an_has_out", t->has_out, t->n_states / 8 + 1, "%u", (unsigned));
	NUMBERS("int", "an_outs", t->outs, t->n_states, "%d", (int));
	fprintf(out, "static const struct acm_output an_out[%zu] = {", t->n_out ? t->n_out : 1);
	for (i = 0; i < t->n_out; i++)
		fprintf(out, "%s{ %d, %d },", i % 6 ? " " : "\n\t", t->out[i].id, t->out[i].next);
	fputs(t->n_out ? "\n};\n" : " { 0, 0 } };\n", out);
	fputs("static const struct acm_tables an_acm = {\n\t.cls = {", out);
	for (i = 0; i < 256; i++)
		fprintf(out, "%s%u,", i % 16 ? " " : "\n\t\t", (unsigned)t->cls[i]);
	fprintf(out, "\n\t},\n\t.n_cls = %zu,\n\t.n_dense = %u,\n\t.n_states = %zu,\n\t.n_dedge = %zu,\n"
		"\t.n_out = %zu,\n\t.%s = %s,\n\t.deep = an_deep,\n\t.dedge = an_dedge,\n"
		"\t.has_out = an_has_out,\n\t.outs = an_outs,\n\t.out = an_out,\n};\n",
		t->n_cls, (unsigned)t->n_dense, t->n_states, t->n_dedge, t->n_out,
		t->t16 ? "t16" : "t32", t->t16 ? "an_t16" : "an_t32");
}

static void
analyzer(const struct cat_analyzer *a)
{
	fputs("static const struct cat_analyzer an_image = {\n", out);
	fprintf(out, "\t.reasons = an_reasons,\n\t.n_reasons = %zu,\n", a->n_reasons);
	fprintf(out, "\t.replies = an_replies,\n\t.n_replies = %zu,\n", a->n_replies);
	fprintf(out, "\t.enh = an_enh,\n\t.n_enh = %zu,\n", a->n_enh);
	code_index("reply_at", a->reply_at, sizeof(a->reply_at) / sizeof(a->reply_at[0]));
	code_index("enh_at", a->enh_at, sizeof(a->enh_at) / sizeof(a->enh_at[0]));
	fprintf(out, "\t.entries = an_entries,\n\t.n_entries = %zu,\n", a->n_entries);
	fprintf(out, "\t.doms = an_doms,\n\t.n_doms = %zu,\n", a->n_doms);
	fputs("\t.by_prov = an_by_prov,\n\t.prov_off = an_prov_off,\n", out);
	fprintf(out, "\t.provs = an_provs,\n\t.n_provs = %zu,\n", a->n_provs);
	fprintf(out, "\t.phrases = an_phrases,\n\t.n_phrases = %zu,\n", a->n_phrases);
	fprintf(out, "\t.parts = an_parts,\n\t.n_parts = %zu,\n", a->n_parts);
	fprintf(out, "\t.markers = an_markers,\n\t.n_markers = %zu,\n", a->n_markers);
	fprintf(out, "\t.frags = an_frags,\n\t.n_frags = %zu,\n", a->n_frags);
	fprintf(out, "\t.bitflags = an_bitflags,\n\t.n_bitflags = %zu,\n", a->n_bitflags);
#define A_REASON_EMIT(field, id) fprintf(out, "\t." #field " = %d,\n", a->field);
	A_REASON_LIST(A_REASON_EMIT)
#undef A_REASON_EMIT
	fprintf(out, "\t.r_refusal_warning = %d,\n};\n", a->r_refusal_warning);
}

static void
emit(const struct cat_analyzer *a)
{
	size_t n_by_prov = a->prov_off[a->n_provs];

	fputs("/* gen/builtin_an.c: the built-in catalog's analyzer, made by tools/mkanalyzer"
	      " from gen/catalog.db. Do not edit. */\n"
	      "#include <stddef.h>\n#include <stdint.h>\n\n"
	      "#include \"acm.h\"\n#include \"analyze.h\"\n#include \"builtin.h\"\n\n"
	      "/* Not const where struct cat_analyzer's members point at them; nothing\n"
	      " * writes them (cat_analyze() reads a const analyzer). */\n", out);
	reasons(a);
	codes("an_replies", a->replies, a->n_replies);
	codes("an_enh", a->enh, a->n_enh);
	entries(a);
	providers(a);
	phrases(a);
	frags(a);
	/* by_prov and prov_off are members of pointer-to-non-const type too */
	fprintf(out, "static int an_by_prov[%zu] = {", n_by_prov + 1);
	for (size_t i = 0; i < n_by_prov; i++)
		fprintf(out, "%s%d,", i % 12 ? " " : "\n\t", a->by_prov[i]);
	fputs("\n};\n", out);
	fprintf(out, "static size_t an_prov_off[%zu] = {", a->n_provs + 2);
	for (size_t i = 0; i < a->n_provs + 2; i++)
		fprintf(out, "%s%zu,", i % 12 ? " " : "\n\t", a->prov_off[i]);
	fputs("\n};\n", out);
	analyzer(a);
	automaton(acm_tables(a->acm));
	fputs("\nconst struct cat_analyzer *const cat_builtin_analyzer = &an_image;\n"
	      "const struct acm_tables *const cat_builtin_acm = &an_acm;\n", out);
}

int
main(int argc, char **argv)
{
	struct catalog *cat = NULL;
	struct cat_analyzer *a = NULL;
	struct cat_error err = { 0 };
	int rc = 1;

	if (argc != 2) {
		fputs("usage: mkanalyzer OUT.c\n", stderr);
		return 2;
	}
	if (cat_builtin_db_len == 0) {
		fputs("mkanalyzer: there is no built-in index image\n", stderr);
		return 1;
	}
	if (cat_open(&cat, &err) != CAT_OK || cat_ready(cat, &err) != CAT_OK ||
	    rules_build(cat, &a, &err) != CAT_OK) {
		fprintf(stderr, "mkanalyzer: %s\n", err.msg);
		goto done;
	}
	out = fopen(argv[1], "w");
	if (!out) {
		fprintf(stderr, "mkanalyzer: %s: %s\n", argv[1], strerror(errno));
		goto done;
	}
	emit(a);
	if (ferror(out) | (fclose(out) != 0)) {
		fprintf(stderr, "mkanalyzer: %s: cannot write\n", argv[1]);
		remove(argv[1]);
		goto done;
	}
	rc = 0;
done:
	cat_analyzer_free(a);
	cat_close(cat);
	return rc;
}
