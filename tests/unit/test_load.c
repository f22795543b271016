/*
 * test_load.c -- loading catalog files and buffers: what is accepted, what
 * is refused with which status and "NAME:LINE:" message, and that a refused
 * file leaves nothing behind while earlier files stay intact.
 *
 * Every case starts from a fresh catalog: cat_open_empty(), then the small
 * valid fixture BASE ("base.xml"), then the case's fixture.  After a refused
 * fixture the catalog is made ready and each key of the fixture must be
 * CAT_NOTFOUND while every key of BASE still has its original text.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bounce/catalog.h"
#include "check.h"

#define XMLDECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
/* lines 1 and 2 of every fixture below */
#define HEAD XMLDECL "<catalog version=\"1\">\n"

/* A small catalog with one item of most kinds; the fixtures refer to it. */
static const char BASE[] =
	HEAD
	"  <reasons>\n"
	"    <reason id=\"user_unknown\" title=\"Base reason\" group=\"recipient\" type=\"hard\""
	" action=\"suppress\" impact=\"invalid_address\">\n"
	"      <meaning>Base reason meaning.</meaning>\n"
	"    </reason>\n"
	"  </reasons>\n"
	"  <guide>\n"
	"    <impact id=\"invalid_address\" title=\"Base impact\" level=\"severe\">\n"
	"      <examples>5.1.1</examples>\n"
	"      <meaning>Base impact meaning.</meaning>\n"
	"    </impact>\n"
	"  </guide>\n"
	"  <providers>\n"
	"    <provider id=\"acme\" name=\"Acme Mail\">\n"
	"      <alias>acmemail</alias>\n"
	"      <meaning>Base provider meaning.</meaning>\n"
	"    </provider>\n"
	"  </providers>\n"
	"  <codes>\n"
	"    <reply code=\"591\" title=\"Base reply\" status=\"non-standard\" rfc=\"none\""
	" reason=\"user_unknown\">\n"
	"      <meaning>Base reply meaning.</meaning>\n"
	"    </reply>\n"
	"    <enhanced code=\"X.9.1\" title=\"Base enhanced\" status=\"standard\" rfc=\"RFC 0\">\n"
	"      <meaning>Base enhanced meaning.</meaning>\n"
	"    </enhanced>\n"
	"    <entry id=\"acme.base\" provider=\"acme\" reply=\"550\" enhanced=\"5.9.1\""
	" title=\"Base entry\" status=\"observed\">\n"
	"      <text>base text</text>\n"
	"      <meaning>Base entry meaning.</meaning>\n"
	"      <source>test fixture</source>\n"
	"      <see ref=\"591\"/>\n"
	"    </entry>\n"
	"  </codes>\n"
	"</catalog>\n";

/* The items of BASE and their titles: all must survive any refused file. */
static const struct {
	const char *key, *title;
} base_items[] = {
	{ "reason:user_unknown", "Base reason" },
	{ "impact:invalid_address", "Base impact" },
	{ "provider:acme", "Acme Mail" },
	{ "591", "Base reply" },
	{ "X.9.1", "Base enhanced" },
	{ "acme.base", "Base entry" },
};

/* A valid reply item, one line; code is a string literal. */
#define REPLY(code, title)                                                                 \
	"    <reply code=\"" code "\" title=\"" title "\" status=\"non-standard\" rfc=\"none\">" \
	"<meaning>m</meaning></reply>\n"

/* Overrides acme.base (legal in a later file) so that a refused file also
 * proves the replaced entry comes back. One line. */
#define OVERRIDE_BASE                                                                      \
	"    <entry id=\"acme.base\" provider=\"acme\" reply=\"550\" title=\"Overridden\""     \
	" status=\"observed\"><meaning>o</meaning><source>s</source></entry>\n"

/* A file of our own whose content must never leak through an entity. */
#define SECRET "s3cr3t-XYZZY-7781"

struct load_case {
	const char *name;  /* the name given to cat_load_buffer */
	const char *xml;   /* NUL-terminated fixture */
	enum cat_status want;
	int line;          /* > 0: err.msg starts with "name:line:" */
	const char *has;   /* NULL, or a string err.msg must contain */
	const char *keys[4]; /* keys of the fixture: never present after a refusal */
	double max_seconds; /* > 0: the load must take less */
};

static char secret_path[1024];
static char xxe_file[2048];
static char xxe_param[2048];
static char xxe_attr[2048];

static const struct load_case cases[] = {
	/* ---- the smallest things first */
	{ "empty-root.xml", XMLDECL "<catalog version=\"1\"/>\n", CAT_OK, 0, NULL, { NULL }, 0 },
	{ "decl-only.xml", XMLDECL, CAT_EPARSE, 0, NULL, { NULL }, 0 },
	{ "spaces.xml", "   \n\n  ", CAT_EPARSE, 0, NULL, { NULL }, 0 },
	{ "minimal.xml",
	  HEAD "  <codes>\n" REPLY("592", "Minimal") "  </codes>\n</catalog>\n", CAT_OK, 0, NULL,
	  { NULL }, 0 },

	/* ---- malformed XML */
	{ "unclosed.xml",
	  HEAD "  <codes>\n"                                                      /* 3 */
	       REPLY("593", "Before")                                             /* 4 */
	       "    <reply code=\"594\" title=\"T\" status=\"standard\" rfc=\"x\">\n" /* 5 */
	       "      <meaning>never closed\n"                                    /* 6 */
	       "    </reply>\n"                                                   /* 7 */
	       "  </codes>\n"
	       "</catalog>\n",
	  CAT_EPARSE, 7, NULL, { "593", "594" }, 0 },
	{ "truncated.xml",
	  HEAD "  <codes>\n" REPLY("593", "Before") "    <reply code=\"594\"", /* line 5, EOF */
	  CAT_EPARSE, 5, NULL, { "593", "594" }, 0 },
	{ "two-roots.xml",
	  HEAD "  <codes>\n" REPLY("593", "Before") "  </codes>\n</catalog>\n" /* 6 */
	       "<catalog version=\"1\"/>\n",                                  /* 7 */
	  CAT_EPARSE, 7, NULL, { "593" }, 0 },

	/* ---- schema violations */
	{ "unknown-element.xml",
	  HEAD "  <codes>\n" REPLY("593", "Before") /* 4 */
	       "    <bogus/>\n"                     /* 5 */
	       "  </codes>\n</catalog>\n",
	  CAT_ESCHEMA, 5, NULL, { "593" }, 0 },
	{ "unknown-section.xml",
	  HEAD "  <codes>\n" REPLY("593", "Before") "  </codes>\n" /* 5 */
	       "  <extras/>\n"                                    /* 6 */
	       "</catalog>\n",
	  CAT_ESCHEMA, 6, NULL, { "593" }, 0 },
	{ "missing-title.xml",
	  HEAD "  <codes>\n" REPLY("593", "Before")                              /* 4 */
	       "    <reply code=\"594\" status=\"standard\" rfc=\"RFC 5321\">\n" /* 5 */
	       "      <meaning>m</meaning>\n"
	       "    </reply>\n"
	       "  </codes>\n</catalog>\n",
	  CAT_ESCHEMA, 5, NULL, { "593", "594" }, 0 },
	{ "missing-source.xml",
	  HEAD "  <codes>\n" REPLY("593", "Before") /* 4 */
	       "    <entry id=\"acme.nosource\" provider=\"acme\" reply=\"550\" title=\"t\""
	       " status=\"observed\"><meaning>m</meaning></entry>\n" /* 5 */
	       "  </codes>\n</catalog>\n",
	  CAT_ESCHEMA, 5, NULL, { "593", "acme.nosource" }, 0 },
	{ "bad-reply-code.xml",
	  HEAD "  <codes>\n" REPLY("593", "Before")                                          /* 4 */
	       "    <reply code=\"5x5\" title=\"t\" status=\"standard\" rfc=\"RFC 5321\">\n" /* 5 */
	       "      <meaning>m</meaning>\n"
	       "    </reply>\n"
	       "  </codes>\n</catalog>\n",
	  CAT_ESCHEMA, 5, NULL, { "593", "5x5" }, 0 },
	{ "bad-enhanced-code.xml",
	  HEAD "  <codes>\n" REPLY("593", "Before") /* 4 */
	       "    <enhanced code=\"5.1.99\" title=\"t\" status=\"standard\" rfc=\"r\">\n" /* 5 */
	       "      <meaning>m</meaning>\n"
	       "    </enhanced>\n"
	       "  </codes>\n</catalog>\n",
	  CAT_ESCHEMA, 5, NULL, { "593", "X.1.99", "5.1.99" }, 0 },
	{ "bad-entry-range.xml",
	  HEAD "  <codes>\n" REPLY("593", "Before") /* 4 */
	       "    <entry id=\"acme.range\" provider=\"acme\" enhanced=\"5.7.9-\" title=\"t\""
	       " status=\"observed\">\n" /* 5 */
	       "      <meaning>m</meaning><source>s</source>\n"
	       "    </entry>\n"
	       "  </codes>\n</catalog>\n",
	  CAT_ESCHEMA, 5, NULL, { "593", "acme.range" }, 0 },
	{ "reversed-range.xml",
	  HEAD "  <codes>\n" REPLY("593", "Before") /* 4 */
	       "    <entry id=\"acme.reversed\" provider=\"acme\" enhanced=\"5.7.9-3\" title=\"t\""
	       " status=\"observed\">\n" /* 5 */
	       "      <meaning>m</meaning><source>s</source>\n"
	       "    </entry>\n"
	       "  </codes>\n</catalog>\n",
	  CAT_ESCHEMA, 5, NULL, { "593", "acme.reversed" }, 0 },
	{ "bad-version.xml", XMLDECL "<catalog version=\"2\">\n</catalog>\n", CAT_ESCHEMA, 2, NULL,
	  { NULL }, 0 },
	{ "wrong-root.xml", XMLDECL "<codes>\n" REPLY("593", "Before") "</codes>\n", CAT_ESCHEMA,
	  2, NULL, { "593" }, 0 },
	{ "empty-meaning.xml",
	  HEAD "  <codes>\n" REPLY("593", "Before") /* 4 */
	       "    <reply code=\"594\" title=\"t\" status=\"standard\" rfc=\"r\">\n" /* 5 */
	       "      <meaning></meaning>\n" /* 6 */
	       "    </reply>\n"
	       "  </codes>\n</catalog>\n",
	  CAT_ESCHEMA, 6, NULL, { "593", "594" }, 0 },

	/* ---- duplicate keys in one file; the override before it is rolled back */
	{ "dup-reply.xml",
	  HEAD "  <codes>\n" OVERRIDE_BASE /* 4 */
	       REPLY("596", "First")      /* 5 */
	       REPLY("596", "Second")     /* 6 */
	       "  </codes>\n</catalog>\n",
	  CAT_EDUP, 6, "'596'", { "596" }, 0 },
	{ "dup-entry.xml",
	  HEAD "  <codes>\n" OVERRIDE_BASE /* 4 */
	       "    <entry id=\"acme.twice\" provider=\"acme\" reply=\"550\" title=\"a\""
	       " status=\"observed\"><meaning>m</meaning><source>s</source></entry>\n" /* 5 */
	       REPLY("597", "Between")                                                  /* 6 */
	       "    <entry id=\"acme.twice\" provider=\"acme\" reply=\"551\" title=\"b\""
	       " status=\"observed\"><meaning>m</meaning><source>s</source></entry>\n" /* 7 */
	       "  </codes>\n</catalog>\n",
	  CAT_EDUP, 7, "'acme.twice'", { "acme.twice", "597" }, 0 },
	{ "dup-enhanced-spelling.xml", /* X.9.01 is the key X.9.1 again */
	  HEAD "  <codes>\n"
	       "    <enhanced code=\"X.8.1\" title=\"a\" status=\"standard\" rfc=\"r\">"
	       "<meaning>m</meaning></enhanced>\n" /* 4 */
	       "    <enhanced code=\"X.8.01\" title=\"b\" status=\"standard\" rfc=\"r\">"
	       "<meaning>m</meaning></enhanced>\n" /* 5 */
	       "  </codes>\n</catalog>\n",
	  CAT_EDUP, 5, "'X.8.1'", { "X.8.1" }, 0 },
	{ "dup-provider-alias.xml",
	  HEAD "  <providers>\n"
	       "    <provider id=\"other\" name=\"Other Mail\">\n" /* 4 */
	       "      <alias>acmemail</alias>\n"
	       "      <meaning>m</meaning>\n"
	       "    </provider>\n"
	       "  </providers>\n</catalog>\n",
	  CAT_EDUP, 4, "acmemail", { "provider:other" }, 0 },

	/* ---- references to unknown keys */
	{ "ref-see.xml",
	  HEAD "  <codes>\n" OVERRIDE_BASE /* 4 */
	       "    <reply code=\"598\" title=\"t\" status=\"standard\" rfc=\"r\">\n" /* 5 */
	       "      <meaning>m</meaning>\n"                                         /* 6 */
	       "      <see ref=\"X.9.99\"/>\n"                                        /* 7 */
	       "    </reply>\n"
	       "  </codes>\n</catalog>\n",
	  CAT_EREF, 7, "X.9.99", { "598" }, 0 },
	{ "ref-reason.xml",
	  HEAD "  <codes>\n" OVERRIDE_BASE /* 4 */
	       "    <reply code=\"598\" title=\"t\" status=\"standard\" rfc=\"r\""
	       " reason=\"no_such_reason\">\n" /* 5 */
	       "      <meaning>m</meaning>\n"
	       "    </reply>\n"
	       "  </codes>\n</catalog>\n",
	  CAT_EREF, 5, "no_such_reason", { "598" }, 0 },
	{ "ref-impact.xml",
	  HEAD "  <codes>\n" OVERRIDE_BASE /* 4 */
	       "    <enhanced code=\"X.9.2\" title=\"t\" status=\"standard\" rfc=\"r\""
	       " impact=\"no_such_impact\">\n" /* 5 */
	       "      <meaning>m</meaning>\n"
	       "    </enhanced>\n"
	       "  </codes>\n</catalog>\n",
	  CAT_EREF, 5, "no_such_impact", { "X.9.2" }, 0 },
	{ "ref-provider.xml",
	  HEAD "  <codes>\n" OVERRIDE_BASE /* 4 */
	       "    <entry id=\"nobody.thing\" provider=\"nobody\" reply=\"550\" title=\"t\""
	       " status=\"observed\">\n" /* 5 */
	       "      <meaning>m</meaning><source>s</source>\n"
	       "    </entry>\n"
	       "  </codes>\n</catalog>\n",
	  CAT_EREF, 5, "nobody", { "nobody.thing" }, 0 },
	{ "ref-likely.xml",
	  HEAD "  <codes>\n" OVERRIDE_BASE /* 4 */
	       "    <reply code=\"598\" title=\"t\" status=\"non-standard\" rfc=\"r\""
	       " likely=\"999\">\n" /* 5 */
	       "      <meaning>m</meaning>\n"
	       "    </reply>\n"
	       "  </codes>\n</catalog>\n",
	  CAT_EREF, 5, "999", { "598" }, 0 },

	/* ---- DOCTYPE, external entities, entity expansion */
	{ "xxe-passwd.xml",
	  XMLDECL "<!DOCTYPE catalog [\n" /* 2 */
		  "  <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n"
		  "]>\n"
		  "<catalog version=\"1\">\n"
		  "  <codes>\n"
		  "    <reply code=\"599\" title=\"t\" status=\"standard\" rfc=\"r\">"
		  "<meaning>&xxe;</meaning></reply>\n"
		  "  </codes>\n</catalog>\n",
	  CAT_EPARSE, 2, NULL, { "599" }, 0 },
	{ "xxe-http.xml",
	  XMLDECL "<!DOCTYPE catalog [\n"
		  "  <!ENTITY xxe SYSTEM \"http://127.0.0.1:9/" SECRET "\">\n"
		  "]>\n"
		  "<catalog version=\"1\">\n"
		  "  <codes>\n"
		  "    <reply code=\"599\" title=\"t\" status=\"standard\" rfc=\"r\">"
		  "<meaning>&xxe;</meaning></reply>\n"
		  "  </codes>\n</catalog>\n",
	  CAT_EPARSE, 2, NULL, { "599" }, 0 },
	{ "xxe-external-dtd.xml",
	  XMLDECL "<!DOCTYPE catalog SYSTEM \"file:///etc/passwd\">\n"
		  "<catalog version=\"1\">\n"
		  "  <codes>\n" REPLY("599", "t") "  </codes>\n</catalog>\n",
	  CAT_EPARSE, 2, NULL, { "599" }, 0 },
	{ "xxe-secret-file.xml", xxe_file, CAT_EPARSE, 2, NULL, { "599" }, 0 },
	{ "xxe-parameter.xml", xxe_param, CAT_EPARSE, 2, NULL, { "599" }, 0 },
	{ "xxe-in-attribute.xml", xxe_attr, CAT_EPARSE, 0, NULL, { "599" }, 0 },
	{ "billion-laughs.xml",
	  XMLDECL "<!DOCTYPE catalog [\n"
		  " <!ENTITY lol \"lol\">\n"
		  " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
		  " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
		  " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
		  " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
		  " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
		  " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
		  " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
		  " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
		  " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
		  "]>\n"
		  "<catalog version=\"1\">\n"
		  "  <codes>\n"
		  "    <reply code=\"599\" title=\"&lol9;\" status=\"standard\" rfc=\"r\">"
		  "<meaning>&lol9;&lol9;&lol9;</meaning></reply>\n"
		  "  </codes>\n</catalog>\n",
	  CAT_EPARSE, 0, NULL, { "599" }, 1.0 },
	{ "undeclared-entity.xml",
	  HEAD "  <codes>\n"
	       "    <reply code=\"599\" title=\"t\" status=\"standard\" rfc=\"r\">"
	       "<meaning>&nope;</meaning></reply>\n" /* 4 */
	       "  </codes>\n</catalog>\n",
	  CAT_EPARSE, 4, NULL, { "599" }, 0 },

	/* ---- bytes that are not UTF-8 */
	{ "bad-utf8.xml",
	  HEAD "  <codes>\n" REPLY("593", "Before") /* 4 */
	       "    <reply code=\"599\" title=\"t\" status=\"standard\" rfc=\"r\">\n" /* 5 */
	       "      <meaning>caf\xe9 \xff\xfe bytes</meaning>\n"                   /* 6 */
	       "    </reply>\n"
	       "  </codes>\n</catalog>\n",
	  CAT_EPARSE, 6, NULL, { "593", "599" }, 0 },
	{ "overlong-utf8.xml",
	  HEAD "  <codes>\n" REPLY("593", "Before") /* 4 */
	       "    <reply code=\"599\" title=\"t\" status=\"standard\" rfc=\"r\">\n" /* 5 */
	       "      <meaning>slash \xc0\xaf here</meaning>\n"                     /* 6 */
	       "    </reply>\n"
	       "  </codes>\n</catalog>\n",
	  CAT_EPARSE, 6, NULL, { "593", "599" }, 0 },
	{ "bad-utf8-attr.xml",
	  HEAD "  <codes>\n" REPLY("593", "Before") /* 4 */
	       "    <reply code=\"599\" title=\"t\xed\xa0\x80\" status=\"standard\" rfc=\"r\">\n"
	       "      <meaning>m</meaning>\n"
	       "    </reply>\n"
	       "  </codes>\n</catalog>\n",
	  CAT_EPARSE, 5, NULL, { "593", "599" }, 0 },
};

/* ------------------------------------------------------------ helpers */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* err.msg starts with "name:line:" */
static int
check_line(const char *msg, const char *name, int line)
{
	char want[600], got[600];

	snprintf(want, sizeof(want), "%s:%d:", name, line);
	snprintf(got, sizeof(got), "%.*s", (int)strlen(want), msg);
	if (CHECK_STR_EQ(got, want))
		return 1;
	fprintf(stderr, "\tmessage: %s\n", msg);
	return 0;
}

/* An empty catalog with BASE loaded. */
static struct catalog *
fresh(void)
{
	struct catalog *cat = NULL;
	struct cat_error err;

	if (!CHECK_INT_EQ(cat_open_empty(&cat, &err), CAT_OK))
		return NULL;
	if (!CHECK_INT_EQ(cat_load_buffer(cat, "base.xml", BASE, strlen(BASE), &err), CAT_OK)) {
		fprintf(stderr, "\tmessage: %s\n", err.msg);
		cat_close(cat);
		return NULL;
	}
	return cat;
}

/* Every item of BASE is there with its own title and origin. */
static void
check_base_intact(struct catalog *cat)
{
	struct cat_result *res = NULL;
	struct cat_error err;
	size_t i;

	for (i = 0; i < sizeof(base_items) / sizeof(base_items[0]); i++) {
		if (!CHECK_INT_EQ(cat_get(cat, base_items[i].key, 0, &res, &err), CAT_OK)) {
			fprintf(stderr, "\tkey %s: %s\n", base_items[i].key, err.msg);
			continue;
		}
		if (CHECK_INT_EQ(res->n, 1)) {
			CHECK_STR_EQ(res->entries[0].key, base_items[i].key);
			CHECK_STR_EQ(res->entries[0].title, base_items[i].title);
			CHECK_STR_EQ(res->entries[0].origin, "base.xml");
		}
		cat_result_free(res);
	}
	/* the children of the base entry: its text, source and link */
	if (CHECK_INT_EQ(cat_get(cat, "acme.base", 0, &res, &err), CAT_OK)) {
		const struct cat_entry *e = &res->entries[0];

		if (CHECK_INT_EQ(e->n_texts, 1))
			CHECK_STR_EQ(e->texts[0], "base text");
		if (CHECK_INT_EQ(e->n_sources, 1))
			CHECK_STR_EQ(e->sources[0].title, "test fixture");
		CHECK(e->n_links >= 1);
		CHECK_INT_EQ(e->reply, 550);
		cat_result_free(res);
	}
	CHECK_STR_EQ(cat_provider_id(cat, "acmemail"), "acme");
	CHECK_STR_EQ(cat_provider_id(cat, "ACME MAIL"), "acme");
	CHECK_STR_EQ(cat_origin(cat, 0), "base.xml");
}

/* No key of a refused fixture is there, by cat_get and by cat_lookup. */
static void
check_gone(struct catalog *cat, const char *const *keys, size_t n)
{
	struct cat_result *res = NULL;
	struct cat_error err;
	size_t i;

	for (i = 0; i < n && keys[i]; i++) {
		CHECK_CASE("%s gone", keys[i]);
		CHECK_INT_EQ(cat_get(cat, keys[i], 0, &res, &err), CAT_NOTFOUND);
		CHECK(res == NULL);
		cat_result_free(res);
		res = NULL;
		if (CHECK_INT_EQ(cat_lookup(cat, keys[i], &res, &err), CAT_NOTFOUND))
			CHECK_INT_EQ(res ? res->n : 0, 0);
		cat_result_free(res);
		res = NULL;
	}
}

/* The whole catalog as JSON does not contain needle. */
static void
check_nowhere(struct catalog *cat, const char *needle)
{
	struct cat_filter f;
	struct cat_result *res = NULL;
	struct cat_error err;
	char *json = NULL;

	memset(&f, 0, sizeof(f));
	if (CHECK_INT_EQ(cat_list(cat, &f, &res, &err), CAT_OK) &&
	    CHECK_INT_EQ(cat_result_json(cat, res, "all", &json, &err), CAT_OK)) {
		CHECK(strstr(json, needle) == NULL);
		CHECK(strstr(json, "root:") == NULL);
	}
	cat_free(json);
	cat_result_free(res);
	res = NULL;
	CHECK_INT_EQ(cat_search(cat, needle, 0, &res, &err), CAT_NOTFOUND);
	cat_result_free(res);
}

/* Runs one refused (or accepted) fixture on a fresh catalog. */
static void
run_case(const char *label, const char *name, const char *buf, size_t len, enum cat_status want,
	 int line, const char *has, const char *const *keys, size_t n_keys, double max_seconds,
	 int is_file)
{
	struct catalog *cat;
	struct cat_error err;
	enum cat_status st;
	double t0, dt;

	CHECK_CASE("%s", label);
	cat = fresh();
	if (!cat)
		return;
	memset(&err, 0, sizeof(err));
	t0 = now();
	st = is_file ? cat_load_file(cat, name, &err) : cat_load_buffer(cat, name, buf, len, &err);
	dt = now() - t0;
	CHECK_CASE("%s", label);
	if (!CHECK_INT_EQ(st, want))
		fprintf(stderr, "\tmessage: %s\n", err.msg);
	if (max_seconds > 0 && !CHECK(dt < max_seconds))
		fprintf(stderr, "\ttook %.3f s\n", dt);
	if (st != CAT_OK) {
		CHECK_INT_EQ(err.status, st);
		CHECK(err.msg[0] != '\0');
		CHECK(memchr(err.msg, '\0', sizeof(err.msg)) != NULL);
		CHECK(strstr(err.msg, SECRET) == NULL);
		CHECK(strstr(err.msg, "root:") == NULL);
		/* the message names the file */
		CHECK(strncmp(err.msg, name, strlen(name)) == 0);
		if (line > 0)
			check_line(err.msg, name, line);
		if (has && !CHECK(strstr(err.msg, has) != NULL))
			fprintf(stderr, "\tmessage: %s (want '%s' in it)\n", err.msg, has);
		CHECK_INT_EQ(cat_origin_count(cat), 1);
	} else {
		CHECK_INT_EQ(cat_origin_count(cat), 2);
		CHECK_STR_EQ(cat_origin(cat, 1), name);
	}
	if (!CHECK_INT_EQ(cat_ready(cat, &err), CAT_OK))
		fprintf(stderr, "\tmessage: %s\n", err.msg);
	CHECK_CASE("%s: base intact", label);
	if (st != CAT_OK || want == CAT_OK)
		check_base_intact(cat);
	if (st != CAT_OK) {
		check_gone(cat, keys, n_keys);
		CHECK_CASE("%s: secret", label);
		check_nowhere(cat, SECRET);
	}
	/* a second cat_ready is harmless; loading after it is refused */
	CHECK_INT_EQ(cat_ready(cat, &err), CAT_OK);
	CHECK_INT_EQ(cat_load_buffer(cat, "late.xml", BASE, strlen(BASE), &err), CAT_ESTATE);
	cat_close(cat);
	CHECK_CASE("%s", "");
}

static int
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return 0;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok;
}

/* xorshift64*: a fixed sequence, the same on every run */
static uint64_t
prng(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* ------------------------------------------------------------ groups */

static void
test_null_and_empty(void)
{
	struct catalog *cat = NULL;
	struct cat_result *res = NULL;
	struct cat_error err;
	size_t n = 99;

	CHECK_CASE("NULL and empty arguments");
	cat_close(NULL);
	cat_result_free(NULL);
	cat_free(NULL);
	CHECK_INT_EQ(cat_open_empty(NULL, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_open(NULL, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_load_buffer(NULL, "x", "x", 1, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_load_file(NULL, "x", &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_load_dir(NULL, "x", &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_ready(NULL, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_count(NULL, CAT_KIND_REPLY, &n, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_origin_count(NULL), 0);
	CHECK(cat_origin(NULL, 0) == NULL);
	CHECK(cat_provider_id(NULL, "gmail") == NULL);
	CHECK_INT_EQ(cat_lookup(NULL, "550", &res, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_search(NULL, "x", 0, &res, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_get(NULL, "550", 0, &res, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_export_db(NULL, "/nonexistent/x.db", &err), CAT_EUSAGE);
	CHECK(cat_status_str(CAT_OK) != NULL);
	CHECK_STR_EQ(cat_status_str((enum cat_status)999), "unknown status");
	CHECK_STR_EQ(cat_kind_name(CAT_KIND_COUNT), "");
	CHECK_STR_EQ(cat_kind_name(CAT_KIND_ENTRY), "provider-entry");

	if (!CHECK_INT_EQ(cat_open_empty(&cat, &err), CAT_OK))
		return;
	CHECK_INT_EQ(cat_origin_count(cat), 0);
	CHECK(cat_origin(cat, 0) == NULL);
	CHECK_INT_EQ(cat_load_buffer(cat, NULL, "x", 1, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_load_buffer(cat, "null.xml", NULL, 0, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_load_file(cat, NULL, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_load_dir(cat, NULL, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_count(cat, CAT_KIND_REPLY, NULL, &err), CAT_EUSAGE);
	CHECK(cat_provider_id(cat, NULL) == NULL);
	CHECK(cat_provider_id(cat, "") == NULL);
	/* an empty path is a missing file */
	CHECK_INT_EQ(cat_load_file(cat, "", &err), CAT_EIO);
	/* queries before cat_ready */
	CHECK_INT_EQ(cat_lookup(cat, "550", &res, &err), CAT_ESTATE);
	CHECK(res == NULL);
	CHECK_INT_EQ(cat_search(cat, "mailbox", 0, &res, &err), CAT_ESTATE);
	CHECK_INT_EQ(cat_get(cat, "550", 0, &res, &err), CAT_ESTATE);
	CHECK_INT_EQ(cat_export_db(cat, "/nonexistent/x.db", &err), CAT_ESTATE);

	/* an empty buffer is an error, and leaves nothing behind */
	CHECK_CASE("empty buffer");
	memset(&err, 0, sizeof(err));
	if (!CHECK_INT_EQ(cat_load_buffer(cat, "empty.xml", "", 0, &err), CAT_EPARSE))
		fprintf(stderr, "\tmessage: %s\n", err.msg);
	CHECK(strncmp(err.msg, "empty.xml", 9) == 0);
	CHECK_INT_EQ(cat_load_buffer(cat, "nul.xml", "\0", 1, &err), CAT_EPARSE);
	CHECK_INT_EQ(cat_origin_count(cat), 0);
	CHECK_INT_EQ(cat_ready(cat, &err), CAT_OK);
	CHECK_INT_EQ(cat_count(cat, CAT_KIND_REPLY, &n, &err), CAT_OK);
	CHECK_INT_EQ(n, 0);
	/* an empty catalog answers queries with "nothing found" */
	CHECK_INT_EQ(cat_lookup(cat, "550", &res, &err), CAT_NOTFOUND);
	CHECK(res != NULL && res->n == 0);
	cat_result_free(res);
	res = NULL;
	CHECK_INT_EQ(cat_lookup(cat, "", &res, &err), CAT_NOTFOUND);
	cat_result_free(res);
	res = NULL;
	CHECK_INT_EQ(cat_lookup(cat, NULL, &res, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_lookup(cat, "550", NULL, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_search(cat, "", 0, &res, &err), CAT_EUSAGE);
	CHECK(res == NULL);
	CHECK_INT_EQ(cat_get(cat, NULL, 0, &res, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_get(cat, "", 0, &res, &err), CAT_NOTFOUND);
	CHECK(res == NULL);
	CHECK_INT_EQ(cat_list(cat, NULL, &res, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_result_json(cat, NULL, "q", NULL, &err), CAT_EUSAGE);
	cat_close(cat);
	CHECK_CASE("%s", "");
}

static void
test_buffers(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct load_case *c = &cases[i];
		char label[128];

		snprintf(label, sizeof(label), "cases[%zu] %s", i, c->name);
		run_case(label, c->name, c->xml, strlen(c->xml), c->want, c->line, c->has, c->keys,
			 sizeof(c->keys) / sizeof(c->keys[0]), c->max_seconds, 0);
	}
}

/* A later file replaces an entry by key: the new title and the origin. */
static void
test_override(void)
{
	static const char over[] =
		HEAD "  <codes>\n"
		     "    <entry id=\"acme.base\" provider=\"acme\" reply=\"550\" enhanced=\"5.9.1\""
		     " title=\"New title\" status=\"documented\">\n" /* 4 */
		     "      <meaning>New meaning.</meaning><source>new source</source>\n"
		     "    </entry>\n"
		     "    <reply code=\"591\" title=\"New reply\" status=\"non-standard\""
		     " rfc=\"none\"><meaning>m</meaning></reply>\n" /* 7 */
		     "  </codes>\n</catalog>\n";
	struct catalog *cat;
	struct cat_result *res = NULL;
	struct cat_error err;
	size_t i, seen = 0;

	CHECK_CASE("override");
	cat = fresh();
	if (!cat)
		return;
	if (!CHECK_INT_EQ(cat_load_buffer(cat, "override.xml", over, strlen(over), &err), CAT_OK))
		fprintf(stderr, "\tmessage: %s\n", err.msg);
	CHECK_INT_EQ(cat_ready(cat, &err), CAT_OK);
	CHECK_INT_EQ(cat_origin_count(cat), 2);
	CHECK_STR_EQ(cat_origin(cat, 1), "override.xml");
	if (CHECK_INT_EQ(cat_lookup(cat, "acme.base", &res, &err), CAT_OK) &&
	    CHECK_INT_EQ(res->n, 1)) {
		CHECK_STR_EQ(res->entries[0].title, "New title");
		CHECK_STR_EQ(res->entries[0].origin, "override.xml");
		CHECK_INT_EQ(res->entries[0].line, 4);
		CHECK_STR_EQ(res->entries[0].status, "documented");
		CHECK_INT_EQ(res->match[0], CAT_MATCH_PROVIDER);
	}
	cat_result_free(res);
	res = NULL;
	/* by code, the old entry is not listed beside the new one */
	if (CHECK_INT_EQ(cat_lookup(cat, "550 5.9.1", &res, &err), CAT_OK)) {
		for (i = 0; i < res->n; i++) {
			if (res->entries[i].key && strcmp(res->entries[i].key, "acme.base") == 0) {
				seen++;
				CHECK_STR_EQ(res->entries[i].title, "New title");
			}
			CHECK(strcmp(res->entries[i].title, "Base entry") != 0);
		}
		CHECK_INT_EQ(seen, 1);
	}
	cat_result_free(res);
	res = NULL;
	/* the replaced entry's children went with it */
	if (CHECK_INT_EQ(cat_get(cat, "acme.base", 0, &res, &err), CAT_OK)) {
		const struct cat_entry *e = &res->entries[0];

		CHECK_INT_EQ(e->n_texts, 0);
		if (CHECK_INT_EQ(e->n_sources, 1))
			CHECK_STR_EQ(e->sources[0].title, "new source");
	}
	cat_result_free(res);
	res = NULL;
	if (CHECK_INT_EQ(cat_get(cat, "591", 0, &res, &err), CAT_OK)) {
		CHECK_STR_EQ(res->entries[0].title, "New reply");
		CHECK_STR_EQ(res->entries[0].origin, "override.xml");
		CHECK_INT_EQ(res->entries[0].line, 7);
	}
	cat_result_free(res);
	res = NULL;
	/* the old meaning is not searchable any more, the new one is */
	CHECK_INT_EQ(cat_search(cat, "Base entry meaning", 0, &res, &err), CAT_NOTFOUND);
	cat_result_free(res);
	res = NULL;
	CHECK_INT_EQ(cat_search(cat, "New meaning", 0, &res, &err), CAT_OK);
	cat_result_free(res);
	/* untouched items keep their origin */
	if (CHECK_INT_EQ(cat_get(cat, "X.9.1", 0, &res, &err), CAT_OK))
		CHECK_STR_EQ(res->entries[0].origin, "base.xml");
	cat_result_free(res);
	cat_close(cat);
	CHECK_CASE("%s", "");
}

/* <delist>: who removes a listing, on a provider and on an entry, read
 * into delist_by, delist and delist_href; a word for who that the schema
 * does not know is refused with its line. */
static void
test_delist(void)
{
	static const char good[] =
		HEAD "  <providers>\n"
		     "    <provider id=\"lister\" name=\"A List\"><meaning>m</meaning>\n"
		     "      <delist by=\"expires\">Ends by itself.</delist>\n" /* 5 */
		     "    </provider>\n"
		     "  </providers>\n"
		     "  <codes>\n"
		     "    <entry id=\"lister.error\" provider=\"lister\" enhanced=\"5.7.1\""
		     " title=\"Error answer\" status=\"documented\">\n"
		     "      <meaning>m</meaning>\n"
		     "      <delist by=\"receiver\" href=\"https://lister.example.net/err\">"
		     "The receiver fixes it.</delist>\n"
		     "      <source>test fixture</source>\n"
		     "    </entry>\n"
		     "  </codes>\n</catalog>\n";
	static const char bad[] =
		HEAD "  <providers>\n"
		     "    <provider id=\"lister\" name=\"A List\"><meaning>m</meaning>\n"
		     "      <delist by=\"someone\">Who?</delist>\n" /* 5 */
		     "    </provider>\n"
		     "  </providers>\n</catalog>\n";
	struct catalog *cat;
	struct cat_result *res = NULL;
	struct cat_error err;

	CHECK_CASE("delist");
	cat = fresh();
	if (!cat)
		return;
	if (!CHECK_INT_EQ(cat_load_buffer(cat, "delist.xml", good, strlen(good), &err), CAT_OK))
		fprintf(stderr, "\tmessage: %s\n", err.msg);
	CHECK_INT_EQ(cat_ready(cat, &err), CAT_OK);
	if (CHECK_INT_EQ(cat_get(cat, "lister.error", 0, &res, &err), CAT_OK)) {
		CHECK_STR_EQ(res->entries[0].delist_by, "receiver");
		CHECK_STR_EQ(res->entries[0].delist, "The receiver fixes it.");
		CHECK_STR_EQ(res->entries[0].delist_href, "https://lister.example.net/err");
	}
	cat_result_free(res);
	res = NULL;
	if (CHECK_INT_EQ(cat_get(cat, "provider:lister", 0, &res, &err), CAT_OK)) {
		CHECK_STR_EQ(res->entries[0].delist_by, "expires");
		CHECK(res->entries[0].delist_href == NULL);
	}
	cat_result_free(res);
	res = NULL;
	/* an entry without one has none */
	if (CHECK_INT_EQ(cat_get(cat, "acme.base", 0, &res, &err), CAT_OK))
		CHECK(res->entries[0].delist_by == NULL && res->entries[0].delist == NULL);
	cat_result_free(res);
	cat_close(cat);
	CHECK_CASE("delist: an unknown word for who");
	cat = fresh();
	if (!cat)
		return;
	memset(&err, 0, sizeof(err));
	CHECK_INT_EQ(cat_load_buffer(cat, "delist-bad.xml", bad, strlen(bad), &err), CAT_ESCHEMA);
	check_line(err.msg, "delist-bad.xml", 5);
	cat_close(cat);
	CHECK_CASE("%s", "");
}

/* XXE fixtures that point at a file of our own holding SECRET. */
static void
make_xxe(const char *dir)
{
	snprintf(secret_path, sizeof(secret_path), "%s/secret.txt", dir);
	CHECK(write_file(secret_path, SECRET "\n", strlen(SECRET) + 1));
	snprintf(xxe_file, sizeof(xxe_file),
		 XMLDECL "<!DOCTYPE catalog [\n"
			 "  <!ENTITY xxe SYSTEM \"file://%s\">\n"
			 "]>\n"
			 "<catalog version=\"1\">\n"
			 "  <codes>\n"
			 "    <reply code=\"599\" title=\"t\" status=\"standard\" rfc=\"r\">"
			 "<meaning>&xxe;</meaning></reply>\n"
			 "  </codes>\n</catalog>\n",
		 secret_path);
	snprintf(xxe_param, sizeof(xxe_param),
		 XMLDECL "<!DOCTYPE catalog [\n"
			 "  <!ENTITY %% p SYSTEM \"file://%s\">\n"
			 "  %%p;\n"
			 "]>\n"
			 "<catalog version=\"1\">\n"
			 "  <codes>\n" REPLY("599", "t") "  </codes>\n</catalog>\n",
		 secret_path);
	snprintf(xxe_attr, sizeof(xxe_attr),
		 XMLDECL "<!DOCTYPE catalog [\n"
			 "  <!ENTITY xxe SYSTEM \"file://%s\">\n"
			 "]>\n"
			 "<catalog version=\"1\">\n"
			 "  <codes>\n"
			 "    <reply code=\"599\" title=\"&xxe;\" status=\"standard\" rfc=\"r\">"
			 "<meaning>m</meaning></reply>\n"
			 "  </codes>\n</catalog>\n",
		 secret_path);
}

/* The same fixtures as files: names are paths, and file-only errors. */
static void
test_files(const char *dir)
{
	static const char *const no_keys[] = { NULL };
	static const char *const unclosed_keys[] = { "593", "594" };
	static const char *const xxe_keys[] = { "599" };
	char path[1024], sub[1024], good[1024];
	struct catalog *cat;
	struct cat_error err;
	size_t i;

	/* a file with a parse error: the message names the path and line */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(cases[i].name, "unclosed.xml") == 0)
			break;
	if (CHECK(i < sizeof(cases) / sizeof(cases[0]))) {
		snprintf(path, sizeof(path), "%s/unclosed.xml", dir);
		CHECK(write_file(path, cases[i].xml, strlen(cases[i].xml)));
		run_case("file unclosed.xml", path, NULL, 0, CAT_EPARSE, cases[i].line, NULL,
			 unclosed_keys, 2, 0, 1);
	}
	/* the XXE fixture as a file */
	snprintf(path, sizeof(path), "%s/xxe.xml", dir);
	CHECK(write_file(path, xxe_file, strlen(xxe_file)));
	run_case("file xxe.xml", path, NULL, 0, CAT_EPARSE, 2, NULL, xxe_keys, 1, 0, 1);

	/* zero bytes */
	snprintf(path, sizeof(path), "%s/zero.xml", dir);
	CHECK(write_file(path, "", 0));
	run_case("file zero.xml", path, NULL, 0, CAT_EPARSE, 0, "empty", no_keys, 0, 0, 1);

	/* missing */
	snprintf(path, sizeof(path), "%s/missing.xml", dir);
	run_case("file missing.xml", path, NULL, 0, CAT_EIO, 0, "No such file", no_keys, 0, 0, 1);
	snprintf(path, sizeof(path), "%s/no-such-dir/missing.xml", dir);
	run_case("file in a missing dir", path, NULL, 0, CAT_EIO, 0, "No such file", no_keys, 0, 0,
		 1);

	/* a directory */
	snprintf(sub, sizeof(sub), "%s/adir.xml", dir);
	CHECK(mkdir(sub, 0700) == 0);
	run_case("file is a directory", sub, NULL, 0, CAT_EIO, 0, "directory", no_keys, 0, 0, 1);

	/* a good file: its path is the origin */
	snprintf(good, sizeof(good), "%s/good.xml", dir);
	{
		static const char xml[] =
			HEAD "  <codes>\n" REPLY("592", "From a file") "  </codes>\n</catalog>\n";
		struct cat_result *res = NULL;

		CHECK_CASE("good file");
		CHECK(write_file(good, xml, strlen(xml)));
		cat = fresh();
		if (cat) {
			CHECK_INT_EQ(cat_load_file(cat, good, &err), CAT_OK);
			CHECK_INT_EQ(cat_ready(cat, &err), CAT_OK);
			if (CHECK_INT_EQ(cat_get(cat, "592", 0, &res, &err), CAT_OK)) {
				CHECK_STR_EQ(res->entries[0].title, "From a file");
				CHECK_STR_EQ(res->entries[0].origin, good);
				CHECK_INT_EQ(res->entries[0].line, 4);
			}
			cat_result_free(res);
			cat_close(cat);
		}
	}

	/* a directory of catalogs: name order, stops at the first bad file */
	{
		char cdir[1024], f[1200];
		static const char a[] =
			HEAD "  <codes>\n" REPLY("581", "from a") REPLY("582", "from a") "  </codes>\n</catalog>\n";
		static const char b[] =
			HEAD "  <codes>\n" REPLY("582", "from b") "  </codes>\n</catalog>\n";
		static const char c[] =
			HEAD "  <codes>\n" REPLY("583", "from c") "  </codes>\n</catalogue>\n";
		static const char d[] =
			HEAD "  <codes>\n" REPLY("584", "from d") "  </codes>\n</catalog>\n";
		struct cat_result *res = NULL;

		CHECK_CASE("cat_load_dir");
		snprintf(cdir, sizeof(cdir), "%s/catalogs", dir);
		CHECK(mkdir(cdir, 0700) == 0);
		snprintf(f, sizeof(f), "%s/b.xml", cdir);
		CHECK(write_file(f, b, strlen(b)));
		snprintf(f, sizeof(f), "%s/a.xml", cdir);
		CHECK(write_file(f, a, strlen(a)));
		snprintf(f, sizeof(f), "%s/c.xml", cdir);
		CHECK(write_file(f, c, strlen(c)));
		snprintf(f, sizeof(f), "%s/d.xml", cdir);
		CHECK(write_file(f, d, strlen(d)));
		snprintf(f, sizeof(f), "%s/notes.txt", cdir);
		CHECK(write_file(f, "not a catalog", 13));
		snprintf(f, sizeof(f), "%s/.hidden.xml", cdir);
		CHECK(write_file(f, "not a catalog", 13));
		cat = fresh();
		if (cat) {
			snprintf(f, sizeof(f), "%s/c.xml", cdir);
			CHECK_INT_EQ(cat_load_dir(cat, cdir, &err), CAT_EPARSE);
			CHECK(strncmp(err.msg, f, strlen(f)) == 0);
			CHECK_INT_EQ(cat_origin_count(cat), 3);
			CHECK_INT_EQ(cat_ready(cat, &err), CAT_OK);
			if (CHECK_INT_EQ(cat_get(cat, "582", 0, &res, &err), CAT_OK))
				CHECK_STR_EQ(res->entries[0].title, "from b");
			cat_result_free(res);
			res = NULL;
			CHECK_INT_EQ(cat_get(cat, "581", 0, &res, &err), CAT_OK);
			cat_result_free(res);
			res = NULL;
			CHECK_INT_EQ(cat_get(cat, "583", 0, &res, &err), CAT_NOTFOUND);
			CHECK_INT_EQ(cat_get(cat, "584", 0, &res, &err), CAT_NOTFOUND);
			cat_close(cat);
		}
		/* a missing directory is not an error */
		cat = fresh();
		if (cat) {
			snprintf(f, sizeof(f), "%s/no-such-dir", dir);
			CHECK_INT_EQ(cat_load_dir(cat, f, &err), CAT_OK);
			CHECK_INT_EQ(cat_origin_count(cat), 1);
			cat_close(cat);
		}
	}
	CHECK_CASE("%s", "");
}

/* 50 MB of random bytes: refused as malformed, quickly. */
static void
test_random(void)
{
	const size_t len = 50u * 1024 * 1024;
	static const char *const keys[] = { NULL };
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	char *buf = malloc(len);
	size_t i;

	if (!CHECK(buf != NULL))
		return;
	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t v = prng(&s);

		memcpy(buf + i, &v, 8);
	}
	run_case("50 MB of random bytes", "random.bin", buf, len, CAT_EPARSE, 0, NULL, keys, 0, 2.0,
		 0);
	/* the same bytes behind a valid start: still malformed */
	memcpy(buf, HEAD "  <codes>\n    <meaning>", strlen(HEAD "  <codes>\n    <meaning>"));
	run_case("random bytes after a valid start", "random2.bin", buf, len, CAT_EPARSE, 0, NULL,
		 keys, 0, 2.0, 0);
	free(buf);
}

/* Every fixture line counts; a long catalog keeps correct line numbers. */
static void
test_long_catalog(void)
{
	enum { N = 3000 };
	static const char *const keys[] = { "X.9.100", "X.9.999" };
	char *buf = malloc((size_t)N * 160 + 512);
	size_t len = 0;
	int i;

	if (!CHECK(buf != NULL))
		return;
	len += (size_t)sprintf(buf + len, HEAD "  <codes>\n");
	for (i = 100; i < 100 + N; i++) /* lines 4 .. N + 3 */
		len += (size_t)sprintf(buf + len,
				       "    <enhanced code=\"X.9.%d\" title=\"t%d\" status=\"standard\""
				       " rfc=\"r\"><meaning>m</meaning></enhanced>\n",
				       i % 1000, i);
	len += (size_t)sprintf(buf + len, "  </codes>\n</catalog>\n");
	/* details 100..999, then 0..: X.9.100 comes back at i = 1100, line 1004 */
	run_case("long catalog with a late duplicate", "long.xml", buf, len, CAT_EDUP, 1004,
		 "'X.9.100'", keys, 2, 0, 0);
	free(buf);
}

/* Keys and texts are built at their full length: two reason ids of 600
 * bytes that differ only in their last byte are two reasons (a key cut at
 * 511 bytes made them a "duplicate"), and an <also> text of 900 bytes is
 * kept whole. */
static void
test_long_strings(void)
{
	char id_a[601], id_b[601], also[901], *xml;
	struct cat_result *res = NULL;
	struct catalog *cat;
	struct cat_error err;
	char key[700];
	size_t i, found = 0;

	CHECK_CASE("long keys and texts");
	memset(id_a, 'r', 600);
	memcpy(id_b, id_a, 600);
	id_a[599] = 'a';
	id_b[599] = 'b';
	id_a[600] = id_b[600] = '\0';
	memset(also, 'w', 900);
	also[900] = '\0';
	xml = malloc(4096);
	if (!CHECK(xml != NULL))
		return;
	snprintf(xml, 4096,
		 HEAD "  <reasons>\n"
		      "    <reason id=\"%s\" title=\"A\" group=\"recipient\" type=\"hard\""
		      " action=\"suppress\"><meaning>a</meaning></reason>\n"
		      "    <reason id=\"%s\" title=\"B\" group=\"recipient\" type=\"hard\""
		      " action=\"suppress\"><meaning>b</meaning></reason>\n"
		      "  </reasons>\n  <codes>\n"
		      "    <reply code=\"592\" title=\"Long also\" status=\"non-standard\""
		      " rfc=\"none\"><meaning>m</meaning>"
		      "<also rfc=\"RFC 1\" title=\"T\">%s</also></reply>\n"
		      "  </codes>\n</catalog>\n",
		 id_a, id_b, also);
	cat = fresh();
	if (!cat) {
		free(xml);
		return;
	}
	if (!CHECK_INT_EQ(cat_load_buffer(cat, "long.xml", xml, strlen(xml), &err), CAT_OK))
		fprintf(stderr, "\tmessage: %s\n", err.msg);
	free(xml);
	CHECK_INT_EQ(cat_ready(cat, &err), CAT_OK);
	snprintf(key, sizeof(key), "reason:%s", id_b);
	if (CHECK_INT_EQ(cat_get(cat, key, 0, &res, &err), CAT_OK))
		CHECK_STR_EQ(res->entries[0].title, "B");
	cat_result_free(res);
	res = NULL;
	if (CHECK_INT_EQ(cat_get(cat, "592", 0, &res, &err), CAT_OK)) {
		const struct cat_entry *e = &res->entries[0];

		for (i = 0; i < e->n_notes; i++)
			if (e->notes[i].kind == CAT_NOTE_ALSO) {
				found++;
				CHECK_INT_EQ(strlen(e->notes[i].body), strlen("T. ") + 900);
			}
		CHECK_INT_EQ(found, 1);
	}
	cat_result_free(res);
	cat_close(cat);
	CHECK_CASE("%s", "");
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	char dir[512];
	char cmd[600];

	snprintf(dir, sizeof(dir), "%s/bounce-test-load.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!CHECK(mkdtemp(dir) != NULL))
		return check_done();
	test_null_and_empty();
	make_xxe(dir);
	test_buffers();
	test_override();
	test_long_strings();
	test_delist();
	test_files(dir);
	test_random();
	test_long_catalog();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	return check_done();
}
