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
 * cat_analyzer_new() and rules_build() compile one from the database. Nor
 * does it look anything up: no lookup image (tools/noimage.c). */

static FILE *out;

/* A C string literal of s, or NULL. '?' is escaped: -std=c11 reads
 * trigraphs. */
static void
str(FILE *f, const char *s)
{
	if (!s) {
		fputs("NULL", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\' || c == '?')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\%03o", c); /* octal: at most 3 digits, never runs on */
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The statements of an_fill(): every pointer of the image is set there, by
 * code, instead of in the arrays' initializers. A pointer in initialized
 * data is a relocation the dynamic loader applies at every start, and the
 * page it writes becomes a private copy: some 6,400 of them over 41 pages
 * of .data cost `bounce 5.1.1`, which never analyzes, about 50 page
 * faults. Code refers to a string or an array by its distance from the
 * instruction, which needs no relocation. */
static FILE *fill;
static char *fill_buf;
static size_t fill_len;

/* ARR[I].FIELD = S; in an_fill(), unless S is NULL (the array is zero). */
static void
set_str(const char *arr, size_t i, const char *field, const char *s)
{
	if (!s)
		return;
	fprintf(fill, "\t%s[%zu].%s = ", arr, i, field);
	str(fill, s);
	fputs(";\n", fill);
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

		set_str("an_reasons", i, "id", r->id);
		set_str("an_reasons", i, "meaning", r->meaning);
		set_str("an_reasons", i, "fix", r->fix);
		set_str("an_reasons", i, "transient", r->transient);
		fprintf(out, "\t{ .group = %d, .type = %d, .act = %d, .act_t = %d, .refusal = %d },\n",
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
		fprintf(out, "\t{ .reply = %d, .subj = %d, .det = %d, .reason = %d },\n", c[i].reply,
			c[i].subj, c[i].det, c[i].reason);
		set_str(name, i, "key", c[i].key);
		set_str(name, i, "rule", c[i].rule);
		set_str(name, i, "meaning", c[i].meaning);
		set_str(name, i, "fix", c[i].fix);
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

		fprintf(out, "\t{ .prov = %d, .reply = %d, .ecls = %d, .esubj = %d, .elo = %d, .ehi = %d,"
			" .tag_word = %d, .reason = %d },\n", e->prov, e->reply, e->ecls, e->esubj, e->elo,
			e->ehi, e->tag_word, e->reason);
		set_str("an_entries", i, "key", e->key);
		set_str("an_entries", i, "rule", e->rule);
		set_str("an_entries", i, "tag_rule", e->tag_rule);
		set_str("an_entries", i, "tag", e->tag);
		set_str("an_entries", i, "meaning", e->meaning);
		set_str("an_entries", i, "fix", e->fix);
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
		fprintf(out, "static const char *an_dom%zu[%zu];\n", i, a->provs[i].n_domains);
		for (j = 0; j < a->provs[i].n_domains; j++) {
			fprintf(fill, "\tan_dom%zu[%zu] = ", i, j);
			str(fill, a->provs[i].domains[j]);
			fputs(";\n", fill);
		}
	}
	fprintf(out, "static struct a_provider an_provs[%zu] = {\n", a->n_provs + 1);
	for (i = 0; i < a->n_provs; i++) {
		fprintf(out, "\t{ .n_domains = %zu },\n", a->provs[i].n_domains);
		set_str("an_provs", i, "id", a->provs[i].id);
		set_str("an_provs", i, "rule", a->provs[i].rule);
		if (a->provs[i].n_domains)
			fprintf(fill, "\tan_provs[%zu].domains = an_dom%zu;\n", i, i);
	}
	fputs("};\n", out);
	/* the domains' hash table, slot by slot */
	fprintf(out, "static struct a_domain an_doms[%zu] = {\n", a->n_doms);
	for (i = 0; i < a->n_doms; i++) {
		fprintf(out, "\t{ .prov = %d },\n", a->doms[i].prov);
		set_str("an_doms", i, "name", a->doms[i].name);
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

		set_str("an_phrases", i, "id", p->id);
		set_str("an_phrases", i, "rule", p->rule);
		fprintf(out, "\t{ .reason = %d, .cls = %d, .isubj = %d, .idet = %d, .weight = %d,"
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

		fprintf(out, "\t{ .prov = %d, .strong = %d, .is_tag = %d, .is_id = %d, .is_host = %d,"
			" .reporter = %d, .len = %zu, .n_parts = %d },\n", m->prov, m->strong, m->is_tag,
			m->is_id, m->is_host, m->reporter, m->len, m->n_parts);
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

		fprintf(out, "\t{ .entry = %d, .len = %zu, .generic = %d, .marker = %d, .shared = %d },\n",
			f->entry, f->len, f->generic, f->marker, f->shared);
		set_str("an_frags", i, "text", f->text);
	}
	fputs("};\n", out);
	fprintf(out, "static struct a_bitflags an_bitflags[%zu] = {\n", a->n_bitflags + 1);
	for (i = 0; i < a->n_bitflags; i++) {
		const struct a_bitflags *b = &a->bitflags[i];

		fprintf(out, "\t{ .prov = %d, .plen = %zu, .digits = %d, .reply = %d, .reason = %d },\n",
			b->prov, b->plen, b->digits, b->reply, b->reason);
		set_str("an_bitflags", i, "prefix", b->prefix);
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
	fputs("static struct acm_tables an_acm = {\n\t.cls = {", out);
	for (i = 0; i < 256; i++)
		fprintf(out, "%s%u,", i % 16 ? " " : "\n\t\t", (unsigned)t->cls[i]);
	fprintf(out, "\n\t},\n\t.n_cls = %zu,\n\t.n_dense = %u,\n\t.n_states = %zu,\n\t.n_dedge = %zu,\n"
		"\t.n_out = %zu,\n};\n", t->n_cls, (unsigned)t->n_dense, t->n_states, t->n_dedge,
		t->n_out);
	fprintf(fill, "\tan_acm.%s = %s;\n\tan_acm.deep = an_deep;\n\tan_acm.dedge = an_dedge;\n"
		"\tan_acm.has_out = an_has_out;\n\tan_acm.outs = an_outs;\n\tan_acm.out = an_out;\n",
		t->t16 ? "t16" : "t32", t->t16 ? "an_t16" : "an_t32");
}

static void
analyzer(const struct cat_analyzer *a)
{
	static const char *const arrays[][2] = {
		{ "reasons", "an_reasons" }, { "replies", "an_replies" }, { "enh", "an_enh" },
		{ "entries", "an_entries" }, { "doms", "an_doms" }, { "by_prov", "an_by_prov" },
		{ "prov_off", "an_prov_off" }, { "provs", "an_provs" }, { "phrases", "an_phrases" },
		{ "parts", "an_parts" }, { "markers", "an_markers" }, { "frags", "an_frags" },
		{ "bitflags", "an_bitflags" },
	};
	size_t i;

	fputs("static struct cat_analyzer an_image = {\n", out);
	fprintf(out, "\t.n_reasons = %zu,\n", a->n_reasons);
	fprintf(out, "\t.n_replies = %zu,\n", a->n_replies);
	fprintf(out, "\t.n_enh = %zu,\n", a->n_enh);
	code_index("reply_at", a->reply_at, sizeof(a->reply_at) / sizeof(a->reply_at[0]));
	code_index("enh_at", a->enh_at, sizeof(a->enh_at) / sizeof(a->enh_at[0]));
	fprintf(out, "\t.n_entries = %zu,\n", a->n_entries);
	fprintf(out, "\t.n_doms = %zu,\n", a->n_doms);
	fprintf(out, "\t.n_provs = %zu,\n", a->n_provs);
	fprintf(out, "\t.n_phrases = %zu,\n", a->n_phrases);
	fprintf(out, "\t.n_parts = %zu,\n", a->n_parts);
	fprintf(out, "\t.n_markers = %zu,\n", a->n_markers);
	fprintf(out, "\t.n_frags = %zu,\n", a->n_frags);
	fprintf(out, "\t.n_bitflags = %zu,\n", a->n_bitflags);
#define A_REASON_EMIT(field, id) fprintf(out, "\t." #field " = %d,\n", a->field);
	A_REASON_LIST(A_REASON_EMIT)
#undef A_REASON_EMIT
	fprintf(out, "\t.r_refusal_warning = %d,\n};\n", a->r_refusal_warning);
	for (i = 0; i < sizeof(arrays) / sizeof(arrays[0]); i++)
		fprintf(fill, "\tan_image.%s = %s;\n", arrays[i][0], arrays[i][1]);
}

static void
emit(const struct cat_analyzer *a)
{
	size_t n_by_prov = a->prov_off[a->n_provs];

	fputs("/* gen/builtin_an.c: the built-in catalog's analyzer, made by tools/mkanalyzer"
	      " from gen/catalog.db. Do not edit. */\n"
	      "#include <pthread.h>\n#include <stddef.h>\n#include <stdint.h>\n\n"
	      "#include \"acm.h\"\n#include \"analyze.h\"\n#include \"builtin.h\"\n\n"
	      "/* Not const: an_fill() sets their pointers at the first use (see\n"
	      " * tools/mkanalyzer.c); nothing writes them after that (cat_analyze()\n"
	      " * reads a const analyzer). */\n", out);
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
	fputs("\n/* Every pointer of the image, set once at the first use. */\n"
	      "static void\nan_fill(void)\n{\n", out);
	fflush(fill);
	if (fill_len)
		fwrite(fill_buf, 1, fill_len, out);
	fputs("}\n\nstatic pthread_once_t an_once = PTHREAD_ONCE_INIT;\n\n"
	      "const struct cat_analyzer *\ncat_builtin_analyzer(void)\n{\n"
	      "\t(void)pthread_once(&an_once, an_fill);\n\treturn &an_image;\n}\n\n"
	      "const struct acm_tables *\ncat_builtin_acm(void)\n{\n"
	      "\t(void)pthread_once(&an_once, an_fill);\n\treturn &an_acm;\n}\n", out);
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
	fill = open_memstream(&fill_buf, &fill_len);
	out = fill ? fopen(argv[1], "w") : NULL;
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
	if (fill)
		fclose(fill);
	free(fill_buf);
	cat_analyzer_free(a);
	cat_close(cat);
	return rc;
}
