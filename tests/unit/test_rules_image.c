/*
 * test_rules_image.c -- the built-in analyzer compiled at build time
 * (gen/builtin_an.c, tools/mkanalyzer) is the analyzer rules_build() makes
 * from the built-in index at run time, member by member.
 *
 *  1. cat_analyzer_new() on the built-in catalog alone uses the image;
 *  2. every array of it equals rules_build()'s: strings by content, every
 *     other byte of each element as it is (a member added to a struct that
 *     tools/mkanalyzer does not write shows here), the code indexes, the
 *     domains' hash table and the Aho-Corasick tables;
 *  3. a catalog with a file loaded on top (an overlay adding a phrase) is
 *     compiled from its database, and the phrase is in it.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acm.h"
#include "analyze.h"
#include "check.h"

enum { MAX_REC = 256 };
#define NO_STR ((size_t)-1) /* an element without strings */

static int
same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Elements x and y of `size` bytes are equal: the strings at the offsets
 * str[] by content, all the rest byte for byte (padding is zero in both:
 * the image is static data, rules_build() clears each element). */
static int
same_rec(const void *x, const void *y, size_t size, const size_t *str, size_t n_str)
{
	unsigned char a[MAX_REC], b[MAX_REC];
	size_t i;

	if (size > MAX_REC)
		return 0;
	memcpy(a, x, size);
	memcpy(b, y, size);
	for (i = 0; i < n_str && str[i] != NO_STR; i++) {
		const char *sa, *sb;

		memcpy(&sa, a + str[i], sizeof(sa));
		memcpy(&sb, b + str[i], sizeof(sb));
		if (!same_str(sa, sb))
			return 0;
		memset(a + str[i], 0, sizeof(sa));
		memset(b + str[i], 0, sizeof(sb));
	}
	return memcmp(a, b, size) == 0;
}

#define SAME_ARRAY(what, type, n, ...)                                                             \
	do {                                                                                       \
		static const size_t str_[] = { __VA_ARGS__ };                                      \
		size_t i_;                                                                         \
		CHECK_CASE("%s", #what);                                                           \
		if (!CHECK_INT_EQ(img->n, built->n))                                               \
			break;                                                                     \
		for (i_ = 0; i_ < built->n; i_++)                                                 \
			if (!same_rec(&img->what[i_], &built->what[i_], sizeof(type), str_,         \
				      sizeof(str_) / sizeof(str_[0]))) {                            \
				CHECK_CASE("%s[%zu]", #what, i_);                                  \
				CHECK(!"the image differs from rules_build()");                    \
				break;                                                             \
			}                                                                          \
	} while (0)

static void
same_analyzer(const struct cat_analyzer *img, const struct cat_analyzer *built)
{
	size_t i, j;

	SAME_ARRAY(reasons, struct a_reason, n_reasons, offsetof(struct a_reason, id),
		   offsetof(struct a_reason, meaning), offsetof(struct a_reason, fix),
		   offsetof(struct a_reason, transient));
	SAME_ARRAY(replies, struct a_code, n_replies, offsetof(struct a_code, key),
		   offsetof(struct a_code, rule), offsetof(struct a_code, meaning),
		   offsetof(struct a_code, fix));
	SAME_ARRAY(enh, struct a_code, n_enh, offsetof(struct a_code, key), offsetof(struct a_code, rule),
		   offsetof(struct a_code, meaning), offsetof(struct a_code, fix));
	SAME_ARRAY(entries, struct a_entry, n_entries, offsetof(struct a_entry, key),
		   offsetof(struct a_entry, rule), offsetof(struct a_entry, tag_rule),
		   offsetof(struct a_entry, tag), offsetof(struct a_entry, meaning),
		   offsetof(struct a_entry, fix));
	/* a provider's domains are an array of strings: compared below */
	CHECK_CASE("%s", "providers");
	for (i = 0; CHECK_INT_EQ(img->n_provs, built->n_provs) && i < built->n_provs; i++) {
		struct a_provider x = img->provs[i], y = built->provs[i];

		x.domains = y.domains = NULL;
		if (!CHECK(same_rec(&x, &y, sizeof(x), (const size_t[]){ offsetof(struct a_provider, id),
									 offsetof(struct a_provider, rule) },
				    2)) ||
		    !CHECK_INT_EQ(img->provs[i].n_domains, built->provs[i].n_domains))
			break;
		for (j = 0; j < built->provs[i].n_domains; j++)
			CHECK(same_str(img->provs[i].domains[j], built->provs[i].domains[j]));
	}
	SAME_ARRAY(phrases, struct a_phrase, n_phrases, offsetof(struct a_phrase, id),
		   offsetof(struct a_phrase, rule));
	SAME_ARRAY(parts, struct a_part, n_parts, NO_STR);
	SAME_ARRAY(markers, struct a_marker, n_markers, NO_STR);
	SAME_ARRAY(frags, struct a_frag, n_frags, offsetof(struct a_frag, text));
	SAME_ARRAY(bitflags, struct a_bitflags, n_bitflags, offsetof(struct a_bitflags, prefix));
	SAME_ARRAY(doms, struct a_domain, n_doms, offsetof(struct a_domain, name));
	CHECK_CASE("%s", "code indexes");
	CHECK(memcmp(img->reply_at, built->reply_at, sizeof(img->reply_at)) == 0);
	CHECK(memcmp(img->enh_at, built->enh_at, sizeof(img->enh_at)) == 0);
	CHECK_CASE("%s", "entries by provider");
	if (CHECK_INT_EQ(img->n_provs, built->n_provs) &&
	    CHECK(memcmp(img->prov_off, built->prov_off, (built->n_provs + 2) * sizeof(size_t)) == 0))
		CHECK(memcmp(img->by_prov, built->by_prov, built->prov_off[built->n_provs] * sizeof(int)) ==
		      0);
	CHECK_CASE("%s", "reasons the code names");
#define SAME_REASON(field, id) CHECK_INT_EQ(img->field, built->field);
	A_REASON_LIST(SAME_REASON)
#undef SAME_REASON
	CHECK_INT_EQ(img->r_refusal_warning, built->r_refusal_warning);
}

static void
same_automaton(const struct acm_tables *x, const struct acm_tables *y)
{
	size_t rows;

	CHECK_CASE("%s", "automaton");
	if (!CHECK(x && y) || !CHECK_INT_EQ(x->n_cls, y->n_cls) || !CHECK_INT_EQ(x->n_dense, y->n_dense) ||
	    !CHECK_INT_EQ(x->n_states, y->n_states) || !CHECK_INT_EQ(x->n_dedge, y->n_dedge) ||
	    !CHECK_INT_EQ(x->n_out, y->n_out) || !CHECK_INT_EQ(!x->t16, !y->t16))
		return;
	rows = (size_t)y->n_dense * y->n_cls;
	CHECK(memcmp(x->cls, y->cls, sizeof(x->cls)) == 0);
	if (y->t16)
		CHECK(memcmp(x->t16, y->t16, rows * sizeof(*y->t16)) == 0);
	else
		CHECK(memcmp(x->t32, y->t32, rows * sizeof(*y->t32)) == 0);
	CHECK(memcmp(x->deep, y->deep, (y->n_states - y->n_dense) * sizeof(*y->deep)) == 0);
	/* struct acm_dedge has padding after its byte: compare the members */
	for (size_t i = 0; i < y->n_dedge; i++)
		if (!CHECK(x->dedge[i].byte == y->dedge[i].byte && x->dedge[i].to == y->dedge[i].to))
			break;
	CHECK(memcmp(x->has_out, y->has_out, y->n_states / 8 + 1) == 0);
	CHECK(memcmp(x->outs, y->outs, y->n_states * sizeof(*y->outs)) == 0);
	CHECK(memcmp(x->out, y->out, y->n_out * sizeof(*y->out)) == 0);
}

static const char overlay[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<catalog version=\"1\">\n"
	"  <analysis>\n"
	"    <phrases lang=\"en\" name=\"English\">\n"
	"      <phrase id=\"test.image_overlay\" reason=\"user_unknown\" weight=\"8\">"
	"no such test mailbox here</phrase>\n"
	"    </phrases>\n"
	"  </analysis>\n"
	"</catalog>\n";

int
main(void)
{
	struct catalog *cat = NULL;
	struct cat_analyzer *img = NULL, *built = NULL, *over = NULL;
	struct cat_error err;
	size_t i;
	int found = 0;

	memset(&err, 0, sizeof(err));
	CHECK_CASE("%s", "built-in catalog");
	if (!CHECK_INT_EQ(cat_open(&cat, &err), CAT_OK) || !CHECK_INT_EQ(cat_ready(cat, &err), CAT_OK) ||
	    !CHECK_INT_EQ(cat_analyzer_new(cat, &img, &err), CAT_OK) ||
	    !CHECK_INT_EQ(rules_build(cat, &built, &err), CAT_OK)) {
		fprintf(stderr, "test_rules_image: %s\n", err.msg);
		goto out;
	}
	CHECK_CASE("%s", "the built-in catalog alone uses the image");
	CHECK(img->from_image);
	CHECK(!built->from_image);
	same_analyzer(img, built);
	same_automaton(acm_tables(img->acm), acm_tables(built->acm));
	cat_analyzer_free(img);
	cat_analyzer_free(built);
	img = built = NULL;
	cat_close(cat);
	cat = NULL;

	CHECK_CASE("%s", "an overlay's phrase: compiled from the database");
	if (!CHECK_INT_EQ(cat_open(&cat, &err), CAT_OK) ||
	    !CHECK_INT_EQ(cat_load_buffer(cat, "overlay.xml", overlay, sizeof(overlay) - 1, &err), CAT_OK) ||
	    !CHECK_INT_EQ(cat_ready(cat, &err), CAT_OK) ||
	    !CHECK_INT_EQ(cat_analyzer_new(cat, &over, &err), CAT_OK)) {
		fprintf(stderr, "test_rules_image: %s\n", err.msg);
		goto out;
	}
	CHECK(!over->from_image);
	for (i = 0; i < over->n_phrases; i++)
		found |= strcmp(over->phrases[i].id, "test.image_overlay") == 0;
	CHECK(found);
out:
	cat_analyzer_free(img);
	cat_analyzer_free(built);
	cat_analyzer_free(over);
	cat_close(cat);
	return check_done();
}
