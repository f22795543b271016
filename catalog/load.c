/* load.c: catalog XML into the database.
 *
 * A file is read with libxml2's streaming reader and validated against the
 * RELAX NG schema while it is read; the DOM is never built, so a catalog of
 * 100,000 entries costs little more memory than its index. Each item is
 * collected into a struct item (strings in a per-item arena) and inserted
 * when its element closes. Each file is loaded inside a SAVEPOINT: any error
 * rolls the whole file back.
 */
#include "load.h"

#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include "builtin.h"
#include "cache.h"

#define ELEM_LIST(X)                                                           \
	X(E_CATALOG, "catalog")                                                \
	X(E_CLASSES, "classes")                                                \
	X(E_SUBJECTS, "subjects")                                              \
	X(E_REASONS, "reasons")                                                \
	X(E_GUIDE, "guide")                                                    \
	X(E_PROVIDERS, "providers")                                            \
	X(E_CODES, "codes")                                                    \
	X(E_ANALYSIS, "analysis")                                              \
	X(E_PHRASES, "phrases")                                                \
	X(E_CLASS, "class")                                                    \
	X(E_SUBJECT, "subject")                                                \
	X(E_REASON, "reason")                                                  \
	X(E_IMPACT, "impact")                                                  \
	X(E_THRESHOLD, "threshold")                                            \
	X(E_PRACTICE, "practice")                                              \
	X(E_PROVIDER, "provider")                                              \
	X(E_REPLY, "reply")                                                    \
	X(E_ENHANCED, "enhanced")                                              \
	X(E_ENTRY, "entry")                                                    \
	X(E_BITFLAGS, "bitflags")                                              \
	X(E_MEANING, "meaning")                                                \
	X(E_CAUSES, "causes")                                                  \
	X(E_FIX, "fix")                                                        \
	X(E_TRANSIENT, "transient")                                            \
	X(E_EXAMPLES, "examples")                                              \
	X(E_NONE, "none")                                                      \
	X(E_TITLE, "title")                                                    \
	X(E_ALIAS, "alias")                                                    \
	X(E_DOMAIN, "domain")                                                  \
	X(E_MARKER, "marker")                                                  \
	X(E_POSTMASTER, "postmaster")                                          \
	X(E_DELIST, "delist")                                                  \
	X(E_FLAG, "flag")                                                      \
	X(E_ASCLASS, "as-class")                                               \
	X(E_ALSO, "also")                                                      \
	X(E_PRINTED, "printed")                                                \
	X(E_SOURCE, "source")                                                  \
	X(E_SEE, "see")                                                        \
	X(E_TEXT, "text")                                                      \
	X(E_PHRASE, "phrase")

enum elem {
#define ELEM_ENUM(id, name) id,
	ELEM_LIST(ELEM_ENUM)
#undef ELEM_ENUM
	E_UNKNOWN
};

static const char *const elem_names[] = {
#define ELEM_NAME(id, name) [id] = name,
	ELEM_LIST(ELEM_NAME)
#undef ELEM_NAME
};

/* The reader hands out element names from its dictionary, one pointer per
 * distinct name: remember which pointer is which element, so that each
 * name is compared as a string once per file rather than once per node. */
struct elem_cache {
	const void *name[E_UNKNOWN + 8];
	enum elem el[E_UNKNOWN + 8];
	size_t n;
};

enum { MAX_ATTRS = 16 };

struct attrs {
	size_t n;
	const char *name[MAX_ATTRS];
	const char *value[MAX_ATTRS];
};

/* A list of up to four strings per node: texts, notes, sources, links...
 * A note is kind (enum cat_note_kind), num, a (its parameter) and b. */
struct lnode {
	struct lnode *next;
	const char *a, *b, *c, *d;
	int kind;
	int num;
	int line;
};

struct list {
	struct lnode *head, *tail;
	size_t n;
};

struct bitflags {
	struct bitflags *next;
	struct attrs attrs;
	const char *title, *none, *meaning, *causes, *fix, *source;
	struct list flags;
	int line;
};

struct item {
	enum elem el; /* E_UNKNOWN when no item is open */
	int line;
	struct attrs attrs;
	const char *meaning, *causes, *fix, *transient, *examples;
	const char *pm_href, *pm;
	const char *dl_by, *dl_href, *dl;
	struct list texts, notes, sources, links, aliases, domains, markers;
	struct bitflags *bf_head, *bf_tail;
};

struct loader {
	struct catalog *cat;
	xmlTextReaderPtr reader;
	const char *name; /* file name for messages */
	struct cat_error *err;
	enum cat_status st; /* first error */
	struct cat_arena *arena; /* per item */
	struct item item;
	struct bitflags *bf; /* open <bitflags>, or NULL */
	enum elem leaf;      /* open text element, or E_UNKNOWN */
	int leaf_line;
	struct attrs leaf_attrs;
	struct strbuf text;
	int saw_root;
	struct elem_cache names;
	int in_phrases;      /* inside <phrases>: lang and name below */
	char lang[32];
	char lang_name[128];
};

/* The line of the reader's current node. The parser's own line number runs
 * ahead of the node being handed out (it reads in chunks). */
static int
node_line(xmlTextReaderPtr r)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(r);
	long line = n ? xmlGetLineNo(n) : -1;

	return line > 0 ? (int)line : xmlTextReaderGetParserLineNumber(r);
}

static enum elem
elem_of(const char *name)
{
	size_t i;

	for (i = 0; i < E_UNKNOWN; i++)
		if (strcmp(elem_names[i], name) == 0)
			return (enum elem)i;
	return E_UNKNOWN;
}


static enum elem
elem_cached(struct elem_cache *c, const char *name)
{
	size_t i;
	enum elem el;

	for (i = 0; i < c->n; i++)
		if (c->name[i] == name)
			return c->el[i];
	el = elem_of(name);
	if (c->n < sizeof(c->name) / sizeof(c->name[0])) {
		c->name[c->n] = name;
		c->el[c->n++] = el;
	}
	return el;
}

static const char *
attr(const struct attrs *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->name[i], name) == 0)
			return a->value[i];
	return NULL;
}

static enum cat_status
fail_at(struct loader *ld, enum cat_status st, int line, const char *fmt, ...)
	CAT_PRINTF_LIKE(4, 5);

static enum cat_status
fail_at(struct loader *ld, enum cat_status st, int line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	if (ld->st != CAT_OK)
		return ld->st;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		cat_fail(ld->err, st, "%s:%d: %s", ld->name, line, msg);
	else
		cat_fail(ld->err, st, "%s: %s", ld->name, msg);
	ld->st = st;
	return st;
}

static enum cat_status
fail_sql(struct loader *ld, const char *what)
{
	char msg[512];

	if (ld->st != CAT_OK)
		return ld->st;
	snprintf(msg, sizeof(msg), "%s", sqlite3_errmsg(ld->cat->db));
	if (sqlite3_errcode(ld->cat->db) == SQLITE_NOMEM)
		return fail_at(ld, CAT_ENOMEM, ld->item.line, "out of memory (%s)", what);
	return fail_at(ld, CAT_ESQL, ld->item.line, "%s: %s", what, msg);
}

/* libxml2 reports parse and validity errors here. Only the first error is
 * kept: later ones are usually consequences of it. */
/* ------------------------------------------------------------ schema errors in our words
 *
 * libxml2 says "Element reply failed to validate attributes" or "Expecting
 * an element , got nothing". On such an error (only then) the built-in
 * schema is read as a document and the element's definition is looked up:
 * its attributes (through <ref>s, not into nested elements), which of them
 * are required, and the values an enumerated one takes. */

static int
rng_is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static int
rng_named(xmlNodePtr n, const char *el, const char *name)
{
	xmlChar *v;
	int same;

	if (!rng_is(n, el))
		return 0;
	v = xmlGetProp(n, (const xmlChar *)"name");
	same = v && strcmp((const char *)v, name) == 0;
	xmlFree(v);
	return same;
}

/* The first <el name="name"> under n, depth first. */
static xmlNodePtr
rng_find(xmlNodePtr n, const char *el, const char *name)
{
	xmlNodePtr c, f;

	for (c = n ? n->children : NULL; c; c = c->next) {
		if (rng_named(c, el, name))
			return c;
		if (c->type == XML_ELEMENT_NODE && (f = rng_find(c, el, name)))
			return f;
	}
	return NULL;
}

/* Appends the <value>s under n (through refs) to buf, comma-separated.
 * Returns -1 when a <data> or <text> lets any value through. */
static int
rng_values(xmlNodePtr root, xmlNodePtr n, char *buf, size_t size, int depth)
{
	xmlNodePtr c;
	int k = 0, r;

	for (c = n->children; c && depth < 16; c = c->next) {
		if (rng_is(c, "value")) {
			xmlChar *t = xmlNodeGetContent(c);
			size_t len = strlen(buf);

			snprintf(buf + len, size - len, "%s%s", len ? ", " : "", t ? (const char *)t : "");
			xmlFree(t);
			k++;
		} else if (rng_is(c, "data") || rng_is(c, "text")) {
			return -1;
		} else if (rng_is(c, "ref")) {
			xmlChar *name = xmlGetProp(c, (const xmlChar *)"name");
			xmlNodePtr d = name ? rng_find(root, "define", (const char *)name) : NULL;

			xmlFree(name);
			if (d && (r = rng_values(root, d, buf, size, depth + 1)) < 0)
				return -1;
			k += d ? r : 0;
		} else if (c->type == XML_ELEMENT_NODE) {
			r = rng_values(root, c, buf, size, depth + 1);
			if (r < 0)
				return -1;
			k += r;
		}
	}
	return k;
}

/* Finds what is wrong with the attributes of `el` against its definition
 * def: a required one missing, or a value outside its enumeration. */
static int
rng_check_attrs(xmlNodePtr root, xmlNodePtr def, int optional, int depth, xmlNodePtr el,
		char *msg, size_t size)
{
	xmlNodePtr c;

	for (c = def->children; c && depth < 16; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || rng_is(c, "element"))
			continue;
		if (rng_is(c, "attribute")) {
			xmlChar *name = xmlGetProp(c, (const xmlChar *)"name");
			xmlChar *v = name ? xmlGetProp(el, name) : NULL;
			char allowed[512] = "";
			int found = 0;

			if (name && !v && !optional) {
				snprintf(msg, size, "<%s> lacks the attribute %s, which it must have",
					 (const char *)el->name, (const char *)name);
				found = 1;
			} else if (v && rng_values(root, c, allowed, sizeof(allowed), 0) > 0) {
				char *p = allowed, *comma;
				size_t vl = strlen((const char *)v);

				found = 1;
				for (; p; p = comma ? comma + 2 : NULL) {
					comma = strstr(p, ", ");
					if ((size_t)((comma ? comma : p + strlen(p)) - p) == vl &&
					    strncmp(p, (const char *)v, vl) == 0)
						found = 0;
				}
				if (found)
					snprintf(msg, size, "<%s %s=\"%s\">: %s must be one of: %s",
						 (const char *)el->name, (const char *)name,
						 (const char *)v, (const char *)name, allowed);
			}
			xmlFree(v);
			xmlFree(name);
			if (found)
				return 1;
		} else if (rng_is(c, "ref")) {
			xmlChar *name = xmlGetProp(c, (const xmlChar *)"name");
			xmlNodePtr d = name ? rng_find(root, "define", (const char *)name) : NULL;

			xmlFree(name);
			if (d && rng_check_attrs(root, d, optional, depth + 1, el, msg, size))
				return 1;
		} else if (rng_check_attrs(root, c, optional || rng_is(c, "optional") ||
							    rng_is(c, "zeroOrMore") || rng_is(c, "choice"),
					   depth + 1, el, msg, size)) {
			return 1;
		}
	}
	return 0;
}

/* What is wrong with the attributes of element el (named name) by the
 * built-in schema, into msg; 0 when nothing is found. */
static int
rng_attr_words(xmlNodePtr el, const char *name, char *msg, size_t size)
{
	xmlDocPtr rng = xmlReadMemory((const char *)cat_builtin_rng, (int)cat_builtin_rng_len,
				      "catalog.rng", NULL, XML_PARSE_NONET);
	xmlNodePtr root = rng ? xmlDocGetRootElement(rng) : NULL;
	xmlNodePtr def = root ? rng_find(root, "element", name) : NULL;
	int found = def && rng_check_attrs(root, def, 0, 0, el, msg, size);

	xmlFreeDoc(rng);
	return found;
}

/* libxml2's RELAX NG error e in our words into msg; 0 to keep its own. */
static int
schema_words(const xmlError *e, char *msg, size_t size)
{
	xmlNodePtr n = e->node, el;
	const char *s1 = e->str1 ? e->str1 : "", *s2 = e->str2 ? e->str2 : "";

	if (e->domain != XML_FROM_RELAXNGV)
		return 0;
	switch (e->code) {
	case XML_RELAXNG_ERR_INVALIDATTR:
		snprintf(msg, size, "<%s> may not have the attribute %s", s2, s1);
		return 1;
	case XML_RELAXNG_ERR_ELEMWRONG:
		/* an element the schema knows, refused for its attributes */
		if (n && n->type == XML_ELEMENT_NODE && rng_attr_words(n, s1, msg, size))
			return 1;
		if (n && n->parent && n->parent->type == XML_ELEMENT_NODE)
			snprintf(msg, size, "<%s> is not allowed inside <%s>", s1,
				 (const char *)n->parent->name);
		else
			snprintf(msg, size, "<%s> is not allowed here", s1);
		return 1;
	case XML_RELAXNG_ERR_ELEMNAME:
		snprintf(msg, size, "<%s> found where <%s> must come", s2, s1);
		return 1;
	case XML_RELAXNG_ERR_NOELEM:
		if (!n || n->type != XML_ELEMENT_NODE)
			return 0;
		snprintf(msg, size, "<%s> lacks an element it must have (see the schema)",
			 (const char *)n->name);
		return 1;
	case XML_RELAXNG_ERR_EXTRACONTENT:
		snprintf(msg, size, "<%s> has content it may not have: %s", s1, s2);
		return 1;
	case XML_RELAXNG_ERR_CONTENTVALID:
		snprintf(msg, size, "the content of <%s> does not match the schema", s1);
		return 1;
	case XML_RELAXNG_ERR_ATTRVALID:
		break;
	default:
		return 0;
	}
	/* an attribute of s1: the element is the node or one of its parents */
	for (el = n; el && !(el->type == XML_ELEMENT_NODE && strcmp((const char *)el->name, s1) == 0);
	     el = el->parent)
		;
	if (!el || !rng_attr_words(el, s1, msg, size))
		snprintf(msg, size, "an attribute of <%s> is missing or has a value it may not have",
			 s1);
	return 1;
}

static void
on_xml_error(void *arg, xmlErrorPtr e)
{
	struct loader *ld = arg;
	enum cat_status st;
	char msg[640];
	size_t len;

	if (!ld || !e || e->level == XML_ERR_WARNING || ld->st != CAT_OK)
		return;
	if (!schema_words(e, msg, sizeof(msg)))
		snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "error");
	len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	st = (e->domain == XML_FROM_RELAXNGV || e->domain == XML_FROM_VALID ||
	      e->domain == XML_FROM_SCHEMASV)
		     ? CAT_ESCHEMA
		     : CAT_EPARSE;
	if (e->code == XML_ERR_NO_MEMORY)
		st = CAT_ENOMEM;
	fail_at(ld, st, e->line, "%s", msg);
}

static void
on_xml_quiet(void *arg, xmlErrorPtr e)
{
	(void)arg;
	(void)e;
}

void
load_quiet_libxml(void)
{
	xmlSetStructuredErrorFunc(NULL, on_xml_quiet);
}

/* Checks the library's version and keeps it quiet, before a file is read:
 * done here, not when a catalog is opened, since opening the built-in
 * image reads no XML. The error handler is the calling thread's. */
static void
xml_setup(void)
{
	LIBXML_TEST_VERSION
	load_quiet_libxml();
}

/* Collapses every run of white space to one space and trims both ends. */
static const char *
normalize(struct loader *ld, const char *s, size_t len)
{
	char *out = arena_alloc(ld->arena, len + 1);
	size_t i, n = 0;
	int space = 0;

	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = n > 0;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = 0;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return out;
}

/* ------------------------------------------------------------ lexical checks
 * The schema checks structure and enumerated values; the forms of codes,
 * ids and dates are checked here (see the comment in data/catalog.rng). */

static int
is_ident(const char *s, const char **end)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return 0;
	while ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')
		s++;
	*end = s;
	return 1;
}

static int
is_entry_id(const char *s)
{
	const char *p;

	if (!is_ident(s, &p) || *p != '.')
		return 0;
	p++;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
		return 0;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '.' || *p == '-'))
			return 0;
	return 1;
}

static int
is_digits(const char *s, size_t min, size_t max)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9')
			return 0;
	return n >= min && n <= max;
}

/* A percent: 0 to 100, at most three decimals ("2", "0.3", "100"). */
static int
is_percent(const char *s)
{
	const char *dot = strchr(s, '.');
	size_t ilen = dot ? (size_t)(dot - s) : strlen(s);
	char whole[4];

	if (ilen < 1 || ilen > 3)
		return 0;
	memcpy(whole, s, ilen);
	whole[ilen] = '\0';
	if (!is_digits(whole, 1, 3) || (dot && !is_digits(dot + 1, 1, 3)))
		return 0;
	if (ilen == 3 && (strcmp(whole, "100") != 0 || (dot && strspn(dot + 1, "0") != strlen(dot + 1))))
		return 0;
	return 1;
}

static int
is_date(const char *s)
{
	size_t n = strlen(s);

	if (n != 4 && n != 7 && n != 10)
		return 0;
	if (!is_digits((char[]){ s[0], s[1], s[2], s[3], 0 }, 4, 4))
		return 0;
	if (n >= 7 && (s[4] != '-' || !is_digits((char[]){ s[5], s[6], 0 }, 2, 2)))
		return 0;
	if (n == 10 && (s[7] != '-' || !is_digits((char[]){ s[8], s[9], 0 }, 2, 2)))
		return 0;
	return 1;
}

static int
is_tag(const char *s)
{
	const char *p = s;

	for (; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') ||
		      ((*p == '_' || *p == '.' || *p == '-' || *p == ':') && p > s)))
			return 0;
	return p > s;
}

static int
is_uri(const char *s)
{
	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return 0;
	for (; *s; s++)
		if (*s == ' ')
			return 0;
	return 1;
}

static int
parse_enhanced(const char *s, int *cls, int *subj, int *lo, int *hi);

/* Checks the form of attribute `name` of element `el`; 0 when it is wrong. */
static int
attr_ok(enum elem el, const char *name, const char *v, const char **rule)
{
	const char *end;
	int c, sj, lo, hi;

	*rule = NULL;
	if (strcmp(name, "id") == 0) {
		if (el == E_PHRASE) {
			*rule = "lang.slug, such as en.user_unknown";
			return is_entry_id(v);
		}
		*rule = el == E_ENTRY ? "provider.slug, such as gmail.no_such_user"
				      : "lower-case letters, digits and _";
		return el == E_ENTRY ? is_entry_id(v) : is_ident(v, &end) && !*end;
	}
	if (strcmp(name, "provider") == 0 || strcmp(name, "reason") == 0 ||
	    strcmp(name, "impact") == 0 || strcmp(name, "lang") == 0) {
		*rule = "lower-case letters, digits and _";
		return is_ident(v, &end) && !*end;
	}
	if (strcmp(name, "reply") == 0 || (strcmp(name, "code") == 0 && el == E_REPLY)) {
		*rule = "three digits, 1xx to 5xx";
		return is_digits(v, 3, 3) && v[0] >= '1' && v[0] <= '5';
	}
	if (strcmp(name, "implies") == 0) {
		*rule = "X.subject.detail, such as X.2.2";
		return parse_enhanced(v, &c, &sj, &lo, &hi) == 0 && c == 0 && lo == hi;
	}
	if (strcmp(name, "event") == 0 && el == E_PHRASE) {
		enum cat_event e = cat_event_of_name(v);

		*rule = "delay, challenge or bounce";
		return e == CAT_EVENT_DELAY || e == CAT_EVENT_CHALLENGE || e == CAT_EVENT_BOUNCE;
	}
	if (strcmp(name, "class") == 0 && el == E_PHRASE) {
		*rule = "4 or 5";
		return (v[0] == '4' || v[0] == '5') && !v[1];
	}
	if (strcmp(name, "percent") == 0) {
		*rule = "a number from 0 to 100 with at most three decimals, such as 0.3";
		return is_percent(v);
	}
	if (strcmp(name, "weight") == 0) {
		*rule = "a digit from 1 to 9";
		return v[0] >= '1' && v[0] <= '9' && !v[1];
	}
	if (strcmp(name, "code") == 0 && el == E_ENHANCED) {
		*rule = "X.subject.detail, such as X.1.1";
		return parse_enhanced(v, &c, &sj, &lo, &hi) == 0 && c == 0 && lo == hi;
	}
	if (strcmp(name, "enhanced") == 0) {
		*rule = "class.subject.detail with class 2, 4 or 5, or a range such as 5.7.606-649";
		return parse_enhanced(v, &c, &sj, &lo, &hi) == 0 && c != 0;
	}
	if (strcmp(name, "tag") == 0) {
		*rule = "letters, digits, and _ . - : after the first";
		return is_tag(v);
	}
	if (strcmp(name, "as-of") == 0) {
		*rule = "YYYY, YYYY-MM or YYYY-MM-DD";
		return is_date(v);
	}
	if (strcmp(name, "href") == 0) {
		*rule = "an http:// or https:// URL";
		return is_uri(v);
	}
	if (strcmp(name, "digit") == 0) {
		if (el == E_CLASS) {
			*rule = "2, 3, 4 or 5";
			return v[0] >= '2' && v[0] <= '5' && !v[1];
		}
		if (el == E_ASCLASS) {
			*rule = "2, 4 or 5";
			return (v[0] == '2' || v[0] == '4' || v[0] == '5') && !v[1];
		}
		*rule = "a number from 0 to 999";
		return is_digits(v, 1, 3);
	}
	if (strcmp(name, "position") == 0 || strcmp(name, "digits") == 0) {
		*rule = "a digit from 1 to 9";
		return v[0] >= '1' && v[0] <= '9' && !v[1];
	}
	if (strcmp(name, "prefix") == 0) {
		*rule = "one to eight capital letters";
		for (c = 0; v[c]; c++)
			if (v[c] < 'A' || v[c] > 'Z')
				return 0;
		return c >= 1 && c <= 8;
	}
	return 1;
}

static int
read_attrs(struct loader *ld, struct attrs *a)
{
	xmlTextReaderPtr r = ld->reader;
	const char *ename = (const char *)xmlTextReaderConstLocalName(r);
	enum elem el = ename ? elem_cached(&ld->names, ename) : E_UNKNOWN;

	a->n = 0;
	if (xmlTextReaderHasAttributes(r) != 1)
		return 0;
	while (xmlTextReaderMoveToNextAttribute(r) == 1) {
		const char *name = (const char *)xmlTextReaderConstLocalName(r);
		const char *value = (const char *)xmlTextReaderConstValue(r);

		if (!name || !value)
			continue;
		if (a->n == MAX_ATTRS)
			return fail_at(ld, CAT_ESCHEMA, node_line(r),
				       "too many attributes");
		/* names come from the reader's dictionary and outlive the item */
		a->name[a->n] = name;
		a->value[a->n] = normalize(ld, value, strlen(value));
		if (!a->name[a->n] || !a->value[a->n])
			return fail_at(ld, CAT_ENOMEM, 0, "out of memory");
		if (!*a->value[a->n]) {
			xmlTextReaderMoveToElement(r);
			return fail_at(ld, CAT_ESCHEMA, node_line(r),
				       "attribute '%s' of <%s> is empty", name, ename ? ename : "?");
		} else {
			const char *rule;

			if (!attr_ok(el, name, a->value[a->n], &rule)) {
				xmlTextReaderMoveToElement(r);
				return fail_at(ld, CAT_ESCHEMA, node_line(r),
					       "attribute %s=\"%s\" of <%s>: expected %s", name, value,
					       ename ? ename : "?", rule ? rule : "another form");
			}
		}
		a->n++;
	}
	xmlTextReaderMoveToElement(r);
	return 0;
}

static struct lnode *
list_add(struct loader *ld, struct list *l)
{
	struct lnode *n = arena_alloc(ld->arena, sizeof(*n));

	if (!n) {
		fail_at(ld, CAT_ENOMEM, 0, "out of memory");
		return NULL;
	}
	if (l->tail)
		l->tail->next = n;
	else
		l->head = n;
	l->tail = n;
	l->n++;
	return n;
}

static void
item_reset(struct loader *ld)
{
	memset(&ld->item, 0, sizeof(ld->item));
	ld->item.el = E_UNKNOWN;
	ld->bf = NULL;
	arena_reset(ld->arena);
}

/* ------------------------------------------------------------ inserting */

/* Parameters of ST_ENTRY_INSERT, numbered from 1 in the order of
 * ENTRY_INSERT_LIST (db.h). */
enum ins {
	I_NONE,
#define INS_ENUM(id, column) id,
	ENTRY_INSERT_LIST(INS_ENUM)
#undef INS_ENUM
	I_COUNT
};

struct row {
	const char *s[I_COUNT];
	int n[I_COUNT];
	int set[I_COUNT];
};

static void
row_int(struct row *r, enum ins i, int v)
{
	r->n[i] = v;
	r->set[i] = 1;
}

/* Parses "5.7.606-649" or "X.1.1": class digit (0 for X), subject, detail
 * range. Returns 0, or -1 when the text is not such a code. */
static int
parse_enhanced(const char *s, int *cls, int *subj, int *lo, int *hi)
{
	char *end;
	long v;

	if (s[0] == 'X' || s[0] == 'x')
		*cls = 0;
	else if (s[0] >= '2' && s[0] <= '5')
		*cls = s[0] - '0';
	else
		return -1;
	if (s[1] != '.')
		return -1;
	v = strtol(s + 2, &end, 10);
	if (end == s + 2 || *end != '.' || v < 0 || v > 999)
		return -1;
	*subj = (int)v;
	s = end + 1;
	v = strtol(s, &end, 10);
	if (end == s || v < 0 || v > 999)
		return -1;
	*lo = *hi = (int)v;
	if (*end == '-') {
		s = end + 1;
		v = strtol(s, &end, 10);
		if (end == s || v < 0 || v > 999)
			return -1;
		*hi = (int)v;
	}
	return *end == '\0' && *lo <= *hi ? 0 : -1;
}

static const char *
fmt(struct loader *ld, const char *f, ...) CAT_PRINTF_LIKE(2, 3);

static const char *
fmt(struct loader *ld, const char *f, ...)
{
	va_list ap;
	char *s;
	int n;

	/* measured first: keys and texts are never cut (two long ids that
	 * differ only after a fixed length would make a false duplicate) */
	va_start(ap, f);
	n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	s = n < 0 ? NULL : arena_alloc(ld->arena, (size_t)n + 1);
	if (!s) {
		fail_at(ld, CAT_ENOMEM, 0, "out of memory");
		return NULL;
	}
	va_start(ap, f);
	vsnprintf(s, (size_t)n + 1, f, ap);
	va_end(ap);
	return s;
}

/* Joins the `a` strings of a list with sep. */
static const char *
join(struct loader *ld, const struct list *l, const char *sep)
{
	const struct lnode *n;
	size_t len = 1, slen = strlen(sep);
	char *out, *p;

	for (n = l->head; n; n = n->next)
		len += strlen(n->a) + slen;
	out = arena_alloc(ld->arena, len);
	if (!out) {
		fail_at(ld, CAT_ENOMEM, 0, "out of memory");
		return NULL;
	}
	p = out;
	for (n = l->head; n; n = n->next) {
		size_t k = strlen(n->a);

		if (p != out) {
			memcpy(p, sep, slen);
			p += slen;
		}
		memcpy(p, n->a, k);
		p += k;
	}
	*p = '\0';
	return out;
}

/* Strings bound by the loader live in the item's arena until the item is
 * inserted: SQLite need not copy them. */
static int
bind_str(sqlite3_stmt *st, int idx, const char *s)
{
	if (!s)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_STATIC);
}

static enum cat_status
step_done(struct loader *ld, sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		return fail_sql(ld, what);
	return CAT_OK;
}

/* Replaces an entry of an earlier file; a key twice in one file is an error. */
static enum cat_status
claim_key(struct loader *ld, const char *key)
{
	struct catalog *cat = ld->cat;
	sqlite3_stmt *st = db_stmt(cat, ST_ENTRY_FIND);
	sqlite3_int64 id;
	int origin, line;

	if (bind_str(st, 1, key) != SQLITE_OK)
		return fail_sql(ld, "find key");
	switch (sqlite3_step(st)) {
	case SQLITE_DONE:
		return CAT_OK;
	case SQLITE_ROW:
		break;
	default:
		return fail_sql(ld, "find key");
	}
	id = sqlite3_column_int64(st, 0);
	origin = sqlite3_column_int(st, 1);
	line = sqlite3_column_int(st, 2);
	if (origin == cat->origin_id)
		return fail_at(ld, CAT_EDUP, ld->item.line, "duplicate key '%s' (first defined at line %d)",
			       key, line);
	st = db_stmt(cat, ST_ENTRY_DELETE);
	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
		return fail_sql(ld, "replace entry");
	return step_done(ld, st, "replace entry");
}

static enum cat_status
insert_row(struct loader *ld, struct row *r, sqlite3_int64 *id)
{
	sqlite3_stmt *st;
	int i, rc = SQLITE_OK;

	if (ld->st != CAT_OK)
		return ld->st;
	st = db_stmt(ld->cat, ST_ENTRY_INSERT);
	row_int(r, I_ORIGIN, ld->cat->origin_id);
	row_int(r, I_LINE, ld->item.line);
	for (i = 1; i < I_COUNT && rc == SQLITE_OK; i++) {
		if (r->set[i])
			rc = sqlite3_bind_int(st, i, r->n[i]);
		else
			rc = bind_str(st, i, r->s[i]);
	}
	if (rc != SQLITE_OK)
		return fail_sql(ld, "insert entry");
	/* Insert first: a key that exists already is rare, and only then is it
	 * looked up (an override of an earlier file, or a duplicate). The
	 * bindings survive the reset for the second try. */
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT &&
	    sqlite3_extended_errcode(ld->cat->db) == SQLITE_CONSTRAINT_UNIQUE) {
		sqlite3_reset(st);
		if (claim_key(ld, r->s[I_KEY]) != CAT_OK)
			return ld->st;
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_DONE)
		return fail_sql(ld, "insert entry");
	*id = sqlite3_last_insert_rowid(ld->cat->db);
	return CAT_OK;
}

static enum cat_status
insert_note(struct loader *ld, sqlite3_int64 id, int pos, const struct lnode *n)
{
	sqlite3_stmt *st = db_stmt(ld->cat, ST_NOTE_INSERT);

	if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK || sqlite3_bind_int(st, 2, pos) != SQLITE_OK ||
	    sqlite3_bind_int(st, 3, n->kind) != SQLITE_OK ||
	    db_bind_int(st, 4, n->num > 0, n->num) != SQLITE_OK || bind_str(st, 5, n->a) != SQLITE_OK ||
	    bind_str(st, 6, n->b) != SQLITE_OK)
		return fail_sql(ld, "insert note");
	return step_done(ld, st, "insert note");
}

static enum cat_status
insert_children(struct loader *ld, sqlite3_int64 id)
{
	const struct item *it = &ld->item;
	const struct lnode *n;
	sqlite3_stmt *st;
	int pos;

	for (pos = 0, n = it->texts.head; n && ld->st == CAT_OK; n = n->next, pos++) {
		st = db_stmt(ld->cat, ST_TEXT_INSERT);
		if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
		    sqlite3_bind_int(st, 2, pos) != SQLITE_OK || bind_str(st, 3, n->a) != SQLITE_OK)
			return fail_sql(ld, "insert text");
		step_done(ld, st, "insert text");
	}
	for (pos = 0, n = it->notes.head; n && ld->st == CAT_OK; n = n->next, pos++)
		insert_note(ld, id, pos, n);
	for (pos = 0, n = it->sources.head; n && ld->st == CAT_OK; n = n->next, pos++) {
		st = db_stmt(ld->cat, ST_SOURCE_INSERT);
		if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
		    sqlite3_bind_int(st, 2, pos) != SQLITE_OK || bind_str(st, 3, n->a) != SQLITE_OK ||
		    bind_str(st, 4, n->b) != SQLITE_OK || bind_str(st, 5, n->c) != SQLITE_OK ||
		    bind_str(st, 6, n->d) != SQLITE_OK)
			return fail_sql(ld, "insert source");
		step_done(ld, st, "insert source");
	}
	for (pos = 0, n = it->links.head; n && ld->st == CAT_OK; n = n->next, pos++) {
		st = db_stmt(ld->cat, ST_LINK_INSERT);
		if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
		    sqlite3_bind_int(st, 2, pos) != SQLITE_OK || bind_str(st, 3, n->a) != SQLITE_OK ||
		    bind_str(st, 4, n->b) != SQLITE_OK || sqlite3_bind_int(st, 5, n->line) != SQLITE_OK)
			return fail_sql(ld, "insert link");
		step_done(ld, st, "insert link");
	}
	return ld->st;
}

static enum cat_status
insert_alias(struct loader *ld, const char *provider, const char *name)
{
	sqlite3_stmt *st = db_stmt(ld->cat, ST_ALIAS_FIND);

	if (bind_str(st, 1, name) != SQLITE_OK)
		return fail_sql(ld, "find alias");
	switch (sqlite3_step(st)) {
	case SQLITE_ROW: {
		const char *owner = (const char *)sqlite3_column_text(st, 0);

		if (owner && strcmp(owner, provider) == 0)
			return CAT_OK; /* the id repeated as an alias, say */
		return fail_at(ld, CAT_EDUP, ld->item.line,
			       "alias '%s' already names provider '%s'", name,
			       owner ? owner : "?");
	}
	case SQLITE_DONE:
		break;
	default:
		return fail_sql(ld, "find alias");
	}
	st = db_stmt(ld->cat, ST_ALIAS_INSERT);
	if (bind_str(st, 1, provider) != SQLITE_OK || bind_str(st, 2, name) != SQLITE_OK)
		return fail_sql(ld, "insert alias");
	return step_done(ld, st, "insert alias");
}

static enum cat_status
insert_provider_tables(struct loader *ld, const char *id, const char *name)
{
	const struct item *it = &ld->item;
	const struct lnode *n;
	const struct bitflags *bf;
	sqlite3_stmt *st;

	insert_alias(ld, id, id);
	insert_alias(ld, id, name);
	for (n = it->aliases.head; n && ld->st == CAT_OK; n = n->next)
		insert_alias(ld, id, n->a);
	for (n = it->domains.head; n && ld->st == CAT_OK; n = n->next) {
		st = db_stmt(ld->cat, ST_DOMAIN_INSERT);
		if (bind_str(st, 1, id) != SQLITE_OK || bind_str(st, 2, n->a) != SQLITE_OK)
			return fail_sql(ld, "insert domain");
		step_done(ld, st, "insert domain");
	}
	for (n = it->markers.head; n && ld->st == CAT_OK; n = n->next) {
		st = db_stmt(ld->cat, ST_MARKER_INSERT);
		if (bind_str(st, 1, id) != SQLITE_OK || bind_str(st, 2, n->a) != SQLITE_OK ||
		    bind_str(st, 3, n->b) != SQLITE_OK || bind_str(st, 4, n->c) != SQLITE_OK ||
		    bind_str(st, 5, n->d) != SQLITE_OK)
			return fail_sql(ld, "insert marker");
		step_done(ld, st, "insert marker");
	}
	for (bf = it->bf_head; bf && ld->st == CAT_OK; bf = bf->next) {
		const char *reply = attr(&bf->attrs, "reply");
		sqlite3_int64 bid;

		st = db_stmt(ld->cat, ST_BITFLAGS_INSERT);
		if (bind_str(st, 1, id) != SQLITE_OK ||
		    bind_str(st, 2, attr(&bf->attrs, "prefix")) != SQLITE_OK ||
		    sqlite3_bind_int(st, 3, atoi(attr(&bf->attrs, "digits"))) != SQLITE_OK ||
		    db_bind_int(st, 4, reply != NULL, reply ? atoi(reply) : 0) != SQLITE_OK ||
		    bind_str(st, 5, attr(&bf->attrs, "reason")) != SQLITE_OK ||
		    bind_str(st, 6, attr(&bf->attrs, "impact")) != SQLITE_OK ||
		    bind_str(st, 7, bf->title) != SQLITE_OK ||
		    bind_str(st, 8, bf->none) != SQLITE_OK ||
		    bind_str(st, 9, bf->meaning) != SQLITE_OK ||
		    bind_str(st, 10, bf->causes) != SQLITE_OK ||
		    bind_str(st, 11, bf->fix) != SQLITE_OK ||
		    bind_str(st, 12, bf->source) != SQLITE_OK ||
		    sqlite3_bind_int(st, 13, ld->cat->origin_id) != SQLITE_OK ||
		    sqlite3_bind_int(st, 14, bf->line) != SQLITE_OK)
			return fail_sql(ld, "insert bitflags");
		if (step_done(ld, st, "insert bitflags") != CAT_OK)
			return ld->st;
		bid = sqlite3_last_insert_rowid(ld->cat->db);
		for (n = bf->flags.head; n && ld->st == CAT_OK; n = n->next) {
			st = db_stmt(ld->cat, ST_FLAG_INSERT);
			if (sqlite3_bind_int64(st, 1, bid) != SQLITE_OK ||
			    sqlite3_bind_int(st, 2, n->num) != SQLITE_OK ||
			    bind_str(st, 3, n->a) != SQLITE_OK)
				return fail_sql(ld, "insert flag");
			step_done(ld, st, "insert flag");
		}
	}
	return ld->st;
}

/* Display notes of a provider: aliases, domains, markers, tag families. */
static void
provider_notes(struct loader *ld)
{
	struct item *it = &ld->item;
	struct lnode *n;
	struct list tmp = { 0 };
	const struct bitflags *bf;

	if (it->aliases.n && (n = list_add(ld, &it->notes))) {
		n->kind = CAT_NOTE_ALIASES;
		n->b = join(ld, &it->aliases, ", ");
	}
	if (it->domains.n && (n = list_add(ld, &it->notes))) {
		n->kind = CAT_NOTE_DOMAINS;
		n->b = join(ld, &it->domains, ", ");
	}
	for (n = it->markers.head; n; n = n->next) {
		struct lnode *m = list_add(ld, &tmp);

		if (!m)
			return;
		/* an id marker is an infix, meaningless bare: say where it counts */
		m->a = n->a && strcmp(n->a, "id") == 0 ? fmt(ld, "%s (inside its transaction ids)", n->c) : n->c;
		if (!m->a)
			return;
	}
	if (tmp.n && (n = list_add(ld, &it->notes))) {
		n->kind = CAT_NOTE_MARKERS;
		n->b = join(ld, &tmp, ", ");
	}
	for (bf = it->bf_head; bf; bf = bf->next) {
		struct list flags = { 0 };
		const struct lnode *f;

		for (f = bf->flags.head; f; f = f->next) {
			struct lnode *m = list_add(ld, &flags);

			if (!m)
				return;
			m->a = fmt(ld, "digit %d from the right = %s", f->num, f->a);
		}
		if ((n = list_add(ld, &it->notes))) {
			n->kind = CAT_NOTE_TAG_FAMILY;
			n->a = attr(&bf->attrs, "prefix");
			n->b = fmt(ld, "%s: %s digits, each 0 or 1; %s; all zero: %s. %s",
				   bf->title, attr(&bf->attrs, "digits"), join(ld, &flags, ", "),
				   bf->none, bf->meaning);
		}
	}
}

static enum cat_status
finish_item(struct loader *ld)
{
	struct item *it = &ld->item;
	const struct attrs *a = &it->attrs;
	struct row r;
	sqlite3_int64 id = 0;
	const char *v;
	int cls = 0, subj = 0, lo = 0, hi = 0;

	memset(&r, 0, sizeof(r));
	row_int(&r, I_DIFFERS, 0);
	row_int(&r, I_EXTRA_KIND, CAT_EXTRA_NONE);
	r.s[I_TITLE] = attr(a, "title");
	r.s[I_STATUS] = attr(a, "status");
	r.s[I_RFC] = attr(a, "rfc");
	r.s[I_REASON] = attr(a, "reason");
	r.s[I_IMPACT] = attr(a, "impact");
	r.s[I_MEANING] = it->meaning;
	r.s[I_CAUSES] = it->causes;
	r.s[I_FIX] = it->fix;
	r.s[I_DL_BY] = it->dl_by;
	r.s[I_DL] = it->dl;
	r.s[I_DL_HREF] = it->dl_href;
	if (it->texts.n)
		r.s[I_TEXTS] = join(ld, &it->texts, "\n");

	switch (it->el) {
	case E_CLASS:
		v = attr(a, "digit");
		row_int(&r, I_KIND, CAT_KIND_CLASS);
		row_int(&r, I_ECLS, atoi(v));
		r.s[I_KEY] = fmt(ld, "class:%s", v);
		r.s[I_CODE] = fmt(ld, "%sxx", v);
		r.s[I_LEVEL] = attr(a, "severity");
		if ((v = attr(a, "enhanced-title"))) {
			row_int(&r, I_EXTRA_KIND, CAT_EXTRA_ENHANCED_CLASS);
			r.s[I_EXTRA] = fmt(ld, "%s.X.X %s", attr(a, "digit"), v);
		}
		break;
	case E_SUBJECT:
		v = attr(a, "digit");
		row_int(&r, I_KIND, CAT_KIND_SUBJECT);
		row_int(&r, I_ESUBJ, atoi(v));
		r.s[I_KEY] = fmt(ld, "X.%s", v);
		r.s[I_CODE] = r.s[I_KEY];
		break;
	case E_REASON:
		v = attr(a, "id");
		row_int(&r, I_KIND, CAT_KIND_REASON);
		r.s[I_KEY] = fmt(ld, "reason:%s", v);
		r.s[I_CODE] = v;
		r.s[I_REASON] = NULL; /* a reason is not classified by a reason */
		r.s[I_RGROUP] = attr(a, "group");
		r.s[I_RTYPE] = attr(a, "type");
		r.s[I_ACTION] = attr(a, "action");
		r.s[I_ACT] = attr(a, "do");
		r.s[I_ACT_T] = attr(a, "do-transient");
		if (it->transient) {
			row_int(&r, I_EXTRA_KIND, CAT_EXTRA_TRANSIENT);
			r.s[I_EXTRA] = it->transient;
		}
		break;
	case E_IMPACT:
		v = attr(a, "id");
		row_int(&r, I_KIND, CAT_KIND_IMPACT);
		r.s[I_KEY] = fmt(ld, "impact:%s", v);
		r.s[I_CODE] = v;
		r.s[I_IMPACT] = NULL;
		r.s[I_LEVEL] = attr(a, "level");
		row_int(&r, I_EXTRA_KIND, CAT_EXTRA_EXAMPLES);
		r.s[I_EXTRA] = it->examples;
		break;
	case E_THRESHOLD:
		v = attr(a, "id");
		row_int(&r, I_KIND, CAT_KIND_THRESHOLD);
		r.s[I_KEY] = fmt(ld, "threshold:%s", v);
		r.s[I_CODE] = v;
		r.s[I_TITLE] = fmt(ld, "%s: %s", attr(a, "metric"), attr(a, "limit"));
		r.s[I_METRIC] = attr(a, "metric");
		r.s[I_LIM] = attr(a, "limit");
		/* the limit for bounce scan; a percent is a REAL column */
		r.s[I_RATE] = attr(a, "rate");
		r.s[I_PER] = r.s[I_RATE] ? (attr(a, "per") ? attr(a, "per") : "all") : NULL;
		r.s[I_PCT] = attr(a, "percent");
		break;
	case E_PRACTICE:
		v = attr(a, "id");
		row_int(&r, I_KIND, CAT_KIND_PRACTICE);
		r.s[I_KEY] = fmt(ld, "practice:%s", v);
		r.s[I_CODE] = v;
		break;
	case E_PROVIDER:
		v = attr(a, "id");
		row_int(&r, I_KIND, CAT_KIND_PROVIDER);
		r.s[I_KEY] = fmt(ld, "provider:%s", v);
		r.s[I_CODE] = v;
		r.s[I_TITLE] = attr(a, "name");
		r.s[I_PROVIDER] = v;
		r.s[I_PM_HREF] = it->pm_href;
		r.s[I_PM] = it->pm;
		provider_notes(ld);
		/* aliases and domains are searchable */
		if (it->aliases.n || it->domains.n) {
			row_int(&r, I_EXTRA_KIND, CAT_EXTRA_NAMES);
			r.s[I_EXTRA] = fmt(ld, "%s %s", it->aliases.n ? join(ld, &it->aliases, ", ") : "",
					   it->domains.n ? join(ld, &it->domains, ", ") : "");
		}
		break;
	case E_REPLY:
		v = attr(a, "code");
		row_int(&r, I_KIND, CAT_KIND_REPLY);
		row_int(&r, I_REPLY, atoi(v));
		r.s[I_KEY] = v;
		r.s[I_CODE] = v;
		r.s[I_LIKELY] = attr(a, "likely");
		break;
	case E_ENHANCED:
		v = attr(a, "code");
		if (parse_enhanced(v, &cls, &subj, &lo, &hi) != 0 || cls != 0)
			return fail_at(ld, CAT_ESCHEMA, it->line, "bad enhanced code '%s'", v);
		row_int(&r, I_KIND, CAT_KIND_ENHANCED);
		row_int(&r, I_ESUBJ, subj);
		row_int(&r, I_ELO, lo);
		row_int(&r, I_EHI, hi);
		r.s[I_KEY] = fmt(ld, "X.%d.%d", subj, lo);
		r.s[I_CODE] = r.s[I_KEY];
		r.s[I_ASSOC] = attr(a, "assoc");
		break;
	case E_ENTRY: {
		const char *reply = attr(a, "reply"), *enh = attr(a, "enhanced");
		const char *tag = attr(a, "tag");

		row_int(&r, I_KIND, CAT_KIND_ENTRY);
		r.s[I_KEY] = attr(a, "id");
		r.s[I_PROVIDER] = attr(a, "provider");
		r.s[I_TAG] = tag;
		if (reply)
			row_int(&r, I_REPLY, atoi(reply));
		if (enh) {
			if (parse_enhanced(enh, &cls, &subj, &lo, &hi) != 0)
				return fail_at(ld, CAT_ESCHEMA, it->line, "bad enhanced code '%s'", enh);
			row_int(&r, I_ECLS, cls);
			row_int(&r, I_ESUBJ, subj);
			row_int(&r, I_ELO, lo);
			row_int(&r, I_EHI, hi);
		}
		/* "550 4.4.7" is real (Exchange's expiry NDR): the classes may differ */
		if (!reply && !enh && !tag)
			return fail_at(ld, CAT_ESCHEMA, it->line,
				       "entry '%s' needs a reply code, an enhanced code or a tag",
				       r.s[I_KEY]);
		r.s[I_CODE] = fmt(ld, "%s%s%s%s%s%s", reply ? reply : "", reply && enh ? " " : "",
				  enh ? enh : "", (reply || enh) && tag ? " " : "", tag ? "[" : "",
				  tag ? tag : "");
		if (tag)
			r.s[I_CODE] = fmt(ld, "%s]", r.s[I_CODE]);
		v = attr(a, "differs");
		row_int(&r, I_DIFFERS, v && strcmp(v, "yes") == 0);
		break;
	}
	default:
		return fail_at(ld, CAT_ESCHEMA, it->line, "unexpected element <%s>",
			       elem_names[it->el]);
	}
	if (ld->st != CAT_OK)
		return ld->st;
	/* a code or entry is found by its reason too (see the fts table) */
	if (it->el == E_REPLY || it->el == E_ENHANCED || it->el == E_ENTRY)
		r.s[I_TERMS] = attr(a, "reason");
	if (!r.s[I_MEANING] || !r.s[I_TITLE])
		return fail_at(ld, CAT_ESCHEMA, it->line, "<%s> lacks a title or a meaning",
			       elem_names[it->el]);
	if (insert_row(ld, &r, &id) != CAT_OK || insert_children(ld, id) != CAT_OK)
		return ld->st;
	if (it->el == E_PROVIDER)
		insert_provider_tables(ld, r.s[I_PROVIDER], r.s[I_TITLE]);
	return ld->st;
}

/* A phrase goes straight into its table: it is not an entry. */
static void
insert_phrase(struct loader *ld, const struct attrs *a, const char *text)
{
	const char *id = attr(a, "id"), *cls = attr(a, "class"), *w = attr(a, "weight");
	const char *where = attr(a, "where");
	sqlite3_stmt *st;
	char lower[1024];
	size_t i;

	if (strlen(text) >= sizeof(lower)) {
		fail_at(ld, CAT_ESCHEMA, ld->leaf_line, "phrase '%s' is longer than %zu bytes", id,
			sizeof(lower) - 1);
		return;
	}
	for (i = 0; text[i]; i++)
		lower[i] = (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] + 32 : text[i]);
	lower[i] = '\0';
	if (strcmp(lower, text) != 0) {
		fail_at(ld, CAT_ESCHEMA, ld->leaf_line, "phrase '%s' must be written in lower case",
			id);
		return;
	}
	st = db_stmt(ld->cat, ST_PHRASE_FIND);
	if (bind_str(st, 1, id) != SQLITE_OK) {
		fail_sql(ld, "find phrase");
		return;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		int origin = sqlite3_column_int(st, 0), line = sqlite3_column_int(st, 1);

		if (origin == ld->cat->origin_id) {
			fail_at(ld, CAT_EDUP, ld->leaf_line,
				"duplicate phrase '%s' (first defined at line %d)", id, line);
			return;
		}
		st = db_stmt(ld->cat, ST_PHRASE_DELETE);
		if (bind_str(st, 1, id) != SQLITE_OK || step_done(ld, st, "replace phrase") != CAT_OK)
			return;
	}
	st = db_stmt(ld->cat, ST_PHRASE_INSERT);
	if (bind_str(st, 1, id) != SQLITE_OK || bind_str(st, 2, ld->lang) != SQLITE_OK ||
	    bind_str(st, 3, ld->lang_name) != SQLITE_OK ||
	    bind_str(st, 4, attr(a, "reason")) != SQLITE_OK ||
	    db_bind_int(st, 5, cls != NULL, cls ? atoi(cls) : 0) != SQLITE_OK ||
	    bind_str(st, 6, attr(a, "implies")) != SQLITE_OK ||
	    sqlite3_bind_int(st, 7, w ? atoi(w) : 5) != SQLITE_OK ||
	    bind_str(st, 8, where ? where : "text") != SQLITE_OK || bind_str(st, 9, text) != SQLITE_OK ||
	    sqlite3_bind_int(st, 10, ld->cat->origin_id) != SQLITE_OK ||
	    sqlite3_bind_int(st, 11, ld->leaf_line) != SQLITE_OK ||
	    bind_str(st, 12, attr(a, "event")) != SQLITE_OK) {
		fail_sql(ld, "insert phrase");
		return;
	}
	step_done(ld, st, "insert phrase");
}

/* ------------------------------------------------------------ walking */

static void
leaf_done(struct loader *ld)
{
	struct item *it = &ld->item;
	const struct attrs *a = &ld->leaf_attrs;
	const char *text = normalize(ld, ld->text.data ? ld->text.data : "", ld->text.len);
	struct bitflags *bf = ld->bf;
	struct lnode *n = NULL;

	if (!text) {
		fail_at(ld, CAT_ENOMEM, 0, "out of memory");
		return;
	}
	if (*text == '\0' && ld->leaf != E_SEE) {
		fail_at(ld, CAT_ESCHEMA, ld->leaf_line, "<%s> is empty", elem_names[ld->leaf]);
		return;
	}
	switch (ld->leaf) {
	case E_MEANING:
		*(bf ? &bf->meaning : &it->meaning) = text;
		break;
	case E_CAUSES:
		*(bf ? &bf->causes : &it->causes) = text;
		break;
	case E_FIX:
		*(bf ? &bf->fix : &it->fix) = text;
		break;
	case E_TRANSIENT:
		it->transient = text;
		break;
	case E_EXAMPLES:
		it->examples = text;
		break;
	case E_TITLE:
		if (bf)
			bf->title = text;
		break;
	case E_NONE:
		if (bf)
			bf->none = text;
		break;
	case E_FLAG:
		if (bf && (n = list_add(ld, &bf->flags))) {
			n->a = text;
			n->num = atoi(attr(a, "position"));
		}
		break;
	case E_ALIAS:
		if ((n = list_add(ld, &it->aliases)))
			n->a = text;
		break;
	case E_DOMAIN:
		if ((n = list_add(ld, &it->domains)))
			n->a = text;
		break;
	case E_MARKER:
		if ((n = list_add(ld, &it->markers))) {
			n->a = attr(a, "where");
			n->b = attr(a, "strength") ? attr(a, "strength") : "strong";
			n->c = text;
			n->d = attr(a, "role"); /* NULL: it names the answering server */
		}
		break;
	case E_POSTMASTER:
		it->pm_href = attr(a, "href");
		it->pm = text;
		break;
	case E_DELIST:
		it->dl_by = attr(a, "by");
		it->dl_href = attr(a, "href");
		it->dl = text;
		break;
	case E_TEXT:
		if ((n = list_add(ld, &it->texts)))
			n->a = text;
		break;
	case E_ASCLASS:
		if ((n = list_add(ld, &it->notes))) {
			n->kind = CAT_NOTE_AS_CLASS;
			n->num = atoi(attr(a, "digit"));
			n->a = attr(&it->attrs, "code");
			n->b = text;
		}
		break;
	case E_ALSO:
		if ((n = list_add(ld, &it->notes))) {
			n->kind = CAT_NOTE_ALSO;
			n->a = attr(a, "rfc");
			n->b = fmt(ld, "%s. %s", attr(a, "title"), text);
		}
		break;
	case E_PRINTED:
		/* codes a source prints for this reply that the server does not
		 * send (a typo on the provider's page): a lookup of what the page
		 * shows must still reach the entry */
		if ((n = list_add(ld, &it->notes))) {
			n->kind = CAT_NOTE_PRINTED;
			n->num = atoi(attr(a, "reply"));
			n->a = attr(a, "enhanced");
			n->b = fmt(ld, "%s %s (%s)", attr(a, "reply"), n->a, text);
		}
		break;
	case E_SOURCE:
		if (bf) {
			bf->source = text;
			break;
		}
		if ((n = list_add(ld, &it->sources))) {
			n->a = text;
			n->b = attr(a, "href");
			n->c = attr(a, "as-of");
			n->d = attr(a, "license");
		}
		break;
	case E_PHRASE:
		insert_phrase(ld, a, text);
		break;
	case E_SEE:
		if ((n = list_add(ld, &it->links))) {
			n->a = attr(a, "ref");
			n->b = attr(a, "why");
			n->line = ld->leaf_line;
		}
		break;
	default:
		fail_at(ld, CAT_ESCHEMA, ld->leaf_line, "unexpected element <%s>",
			elem_names[ld->leaf]);
	}
}

static int
is_item(enum elem el)
{
	return el >= E_CLASS && el <= E_ENTRY;
}

static int
is_section(enum elem el)
{
	return el >= E_CLASSES && el <= E_ANALYSIS;
}

static void
on_start(struct loader *ld)
{
	xmlTextReaderPtr r = ld->reader;
	const char *name = (const char *)xmlTextReaderConstLocalName(r);
	int line = node_line(r);
	int empty = xmlTextReaderIsEmptyElement(r) == 1;
	enum elem el = name ? elem_cached(&ld->names, name) : E_UNKNOWN;

	if (ld->leaf != E_UNKNOWN) {
		fail_at(ld, CAT_ESCHEMA, line, "unexpected element <%s> inside <%s>",
			name ? name : "?", elem_names[ld->leaf]);
		return;
	}
	if (el == E_UNKNOWN) {
		fail_at(ld, CAT_ESCHEMA, line, "unknown element <%s>", name ? name : "?");
		return;
	}
	if (el == E_CATALOG) {
		struct attrs a;

		if (ld->saw_root) {
			fail_at(ld, CAT_ESCHEMA, line, "nested <catalog>");
			return;
		}
		ld->saw_root = 1;
		if (read_attrs(ld, &a) == 0 && (!attr(&a, "version") || strcmp(attr(&a, "version"), "1")))
			fail_at(ld, CAT_ESCHEMA, line, "unsupported catalog version (want 1)");
		arena_reset(ld->arena);
		return;
	}
	if (!ld->saw_root) {
		fail_at(ld, CAT_ESCHEMA, line, "the root element must be <catalog>");
		return;
	}
	if (is_section(el))
		return;
	if (el == E_PHRASES) {
		struct attrs pa;

		if (read_attrs(ld, &pa) == 0) {
			snprintf(ld->lang, sizeof(ld->lang), "%s", attr(&pa, "lang") ? attr(&pa, "lang") : "");
			snprintf(ld->lang_name, sizeof(ld->lang_name), "%s",
				 attr(&pa, "name") ? attr(&pa, "name") : "");
		}
		ld->in_phrases = 1;
		return;
	}
	if (el == E_PHRASE && ld->in_phrases && ld->item.el == E_UNKNOWN) {
		arena_reset(ld->arena);
		ld->leaf = el;
		ld->leaf_line = line;
		strbuf_reset(&ld->text);
		read_attrs(ld, &ld->leaf_attrs);
		if (empty) {
			leaf_done(ld);
			ld->leaf = E_UNKNOWN;
		}
		return;
	}
	if (is_item(el)) {
		if (ld->item.el != E_UNKNOWN) {
			fail_at(ld, CAT_ESCHEMA, line, "<%s> inside another item", name);
			return;
		}
		item_reset(ld);
		ld->item.el = el;
		ld->item.line = line;
		read_attrs(ld, &ld->item.attrs);
		if (empty)
			fail_at(ld, CAT_ESCHEMA, line, "<%s> is empty", name);
		return;
	}
	if (ld->item.el == E_UNKNOWN) {
		fail_at(ld, CAT_ESCHEMA, line, "<%s> outside an item", name);
		return;
	}
	if (el == E_BITFLAGS) {
		struct bitflags *bf = arena_alloc(ld->arena, sizeof(*bf));

		if (!bf) {
			fail_at(ld, CAT_ENOMEM, 0, "out of memory");
			return;
		}
		bf->line = line;
		read_attrs(ld, &bf->attrs);
		if (ld->item.bf_tail)
			ld->item.bf_tail->next = bf;
		else
			ld->item.bf_head = bf;
		ld->item.bf_tail = bf;
		ld->bf = bf;
		return;
	}
	ld->leaf = el;
	ld->leaf_line = line;
	strbuf_reset(&ld->text);
	read_attrs(ld, &ld->leaf_attrs);
	if (empty) {
		leaf_done(ld);
		ld->leaf = E_UNKNOWN;
	}
}

static void
on_end(struct loader *ld)
{
	const char *name = (const char *)xmlTextReaderConstLocalName(ld->reader);
	enum elem el = name ? elem_cached(&ld->names, name) : E_UNKNOWN;

	if (ld->leaf != E_UNKNOWN && el == ld->leaf) {
		leaf_done(ld);
		ld->leaf = E_UNKNOWN;
	} else if (el == E_BITFLAGS) {
		ld->bf = NULL;
	} else if (el == E_PHRASES) {
		ld->in_phrases = 0;
	} else if (is_item(el) && el == ld->item.el) {
		finish_item(ld);
		item_reset(ld);
	}
}

static void
on_text(struct loader *ld)
{
	const char *v = (const char *)xmlTextReaderConstValue(ld->reader);

	if (ld->leaf == E_UNKNOWN || !v)
		return; /* white space between elements */
	if (strbuf_add(&ld->text, v, strlen(v)) != 0)
		fail_at(ld, CAT_ENOMEM, 0, "out of memory");
}

static enum cat_status
walk(struct loader *ld)
{
	xmlTextReaderPtr r = ld->reader;
	int rc;

	while (ld->st == CAT_OK && (rc = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		int line = node_line(r);

		switch (type) {
		case XML_READER_TYPE_ELEMENT:
			on_start(ld);
			break;
		case XML_READER_TYPE_END_ELEMENT:
			on_end(ld);
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			on_text(ld);
			break;
		case XML_READER_TYPE_WHITESPACE:
		case XML_READER_TYPE_COMMENT:
		case XML_READER_TYPE_PROCESSING_INSTRUCTION:
		case XML_READER_TYPE_XML_DECLARATION:
			break;
		case XML_READER_TYPE_DOCUMENT_TYPE:
			/* no DTD: this also shuts out external and expanding entities */
			fail_at(ld, CAT_EPARSE, line,
				"a catalog may not have a document type declaration (DOCTYPE)");
			break;
		default:
			fail_at(ld, CAT_EPARSE, line, "unexpected XML node (type %d)", type);
			break;
		}
		if (ld->st == CAT_OK && xmlTextReaderIsValid(r) == 0)
			fail_at(ld, CAT_ESCHEMA, line, "catalog does not match the schema");
	}
	if (ld->st == CAT_OK && rc < 0)
		fail_at(ld, CAT_EPARSE, node_line(r), "malformed XML");
	if (ld->st == CAT_OK && !ld->saw_root)
		fail_at(ld, CAT_EPARSE, 0, "the document is empty");
	return ld->st;
}

static enum cat_status
check_refs(struct loader *ld)
{
	sqlite3_stmt *st = db_stmt(ld->cat, ST_CHECK_REFS);
	enum cat_status rc;

	if (sqlite3_bind_int(st, 1, ld->cat->origin_id) != SQLITE_OK)
		return fail_sql(ld, "check references");
	switch (sqlite3_step(st)) {
	case SQLITE_DONE:
		rc = CAT_OK;
		break;
	case SQLITE_ROW:
		rc = fail_at(ld, CAT_EREF, sqlite3_column_int(st, 0), "unknown %s '%s'",
			     (const char *)sqlite3_column_text(st, 1),
			     (const char *)sqlite3_column_text(st, 2));
		break;
	default:
		rc = fail_sql(ld, "check references");
		break;
	}
	/* a statement left on a row keeps its tables locked (DROP INDEX) */
	sqlite3_reset(st);
	return rc;
}

enum cat_status
load_schema(struct catalog *cat, struct cat_error *err)
{
	xmlRelaxNGParserCtxtPtr pctx;

	pctx = xmlRelaxNGNewMemParserCtxt((const char *)cat_builtin_rng, (int)cat_builtin_rng_len);
	if (!pctx)
		return cat_fail(err, CAT_ENOMEM, "cannot read the built-in schema");
	cat->schema = xmlRelaxNGParse(pctx);
	xmlRelaxNGFreeParserCtxt(pctx);
	if (!cat->schema)
		return cat_fail(err, CAT_ESCHEMA, "the built-in schema does not compile");
	return CAT_OK;
}

/* Loads from a reader (which this function frees) inside a savepoint. */
static enum cat_status
load_reader(struct catalog *cat, xmlTextReaderPtr reader, const char *name, struct cat_error *err)
{
	struct loader ld;
	sqlite3_stmt *st;
	char *copy = NULL;
	char **grown;

	memset(&ld, 0, sizeof(ld));
	ld.cat = cat;
	ld.reader = reader;
	ld.name = name;
	ld.err = err;
	ld.leaf = E_UNKNOWN;
	ld.item.el = E_UNKNOWN;
	if (!reader) {
		xmlFreeTextReader(reader);
		return cat_fail(err, CAT_ENOMEM, "%s: cannot create an XML reader", name);
	}
	if (cat->ready) {
		xmlFreeTextReader(reader);
		return cat_fail(err, CAT_ESTATE, "%s: the catalog is already in use", name);
	}
	ld.arena = arena_new();
	copy = strdup(name);
	if (!ld.arena || !copy) {
		fail_at(&ld, CAT_ENOMEM, 0, "out of memory");
		goto out;
	}
	/* compiled when the first file is loaded: opening the built-in image
	 * validates nothing and needs no schema */
	if (!cat->schema && load_schema(cat, err) != CAT_OK) {
		ld.st = err->status;
		goto out;
	}
	if (db_leave_image(cat, err) != CAT_OK) {
		ld.st = err->status;
		goto out;
	}
	if (!cat->dirty && db_index(cat, 0, err) != CAT_OK) {
		ld.st = err->status;
		goto out;
	}
	xmlSetStructuredErrorFunc(&ld, on_xml_error);
	xmlTextReaderSetStructuredErrorHandler(reader, on_xml_error, &ld);
	if (xmlTextReaderRelaxNGSetSchema(reader, cat->schema) != 0) {
		fail_at(&ld, CAT_ESCHEMA, 0, "cannot use the schema");
		goto out;
	}
	if (db_exec(cat, "SAVEPOINT load", err) != CAT_OK) {
		ld.st = err->status;
		goto out;
	}
	st = db_stmt(cat, ST_ORIGIN_INSERT);
	if (bind_str(st, 1, name) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
		fail_sql(&ld, "record origin");
	cat->origin_id = (int)sqlite3_last_insert_rowid(cat->db);
	if (ld.st == CAT_OK && walk(&ld) == CAT_OK)
		check_refs(&ld);
	if (ld.st == CAT_OK) {
		grown = realloc(cat->origins, (cat->n_origins + 1) * sizeof(*grown));
		if (!grown)
			fail_at(&ld, CAT_ENOMEM, 0, "out of memory");
		else
			cat->origins = grown;
	}
	if (ld.st == CAT_OK) {
		struct cat_error ignore;

		cat->origins[cat->n_origins++] = copy;
		copy = NULL;
		cat->dirty = 1;
		if (db_exec(cat, "RELEASE load", &ignore) != CAT_OK) {
			*err = ignore;
			ld.st = ignore.status;
		}
	} else {
		struct cat_error ignore;

		/* the file is refused whole */
		db_exec(cat, "ROLLBACK TO load", &ignore);
		db_exec(cat, "RELEASE load", &ignore);
	}
out:
	cat->origin_id = 0;
	xmlFreeTextReader(reader);
	load_quiet_libxml();
	strbuf_free(&ld.text);
	arena_free(ld.arena);
	free(copy);
	return ld.st;
}

/* Scans the prolog (XML declaration, comments, processing instructions,
 * white space) for a DOCTYPE. Returns its line, 0 if the prolog ends
 * without one, -1 if the prolog runs past the buffer. A DOCTYPE is refused
 * before libxml2 parses it, so no entity declaration is ever read. */
static int
doctype_line(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	int line = 1;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *close = NULL;

		if (*p == '\n') {
			line++;
			p++;
		} else if (*p == ' ' || *p == '\t' || *p == '\r') {
			p++;
		} else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			close = "-->";
		} else if (end - p >= 2 && memcmp(p, "<?", 2) == 0) {
			close = "?>";
		} else if (end - p >= 9 && memcmp(p, "<!DOCTYPE", 9) == 0) {
			return line;
		} else if (end - p < 9 && *p == '<') {
			return -1; /* cut off: cannot tell */
		} else {
			return 0;
		}
		if (close) {
			size_t clen = strlen(close);

			for (; p < end && (end - p < (ptrdiff_t)clen || memcmp(p, close, clen)); p++)
				if (*p == '\n')
					line++;
			if (p >= end)
				return -1;
			p += clen;
		}
	}
	return p >= end && len > 0 ? -1 : 0;
}

static enum cat_status
refuse_doctype(const char *name, int line, struct cat_error *err)
{
	return cat_fail(err, CAT_EPARSE,
			"%s:%d: a catalog may not have a document type declaration (DOCTYPE)", name,
			line);
}

enum cat_status
cat_load_buffer(struct catalog *cat, const char *name, const char *buf, size_t len,
		struct cat_error *err)
{
	int dt;

	if (!cat || !name || !buf || len > (size_t)0x7fffffff)
		return cat_fail(err, CAT_EUSAGE, "cat_load_buffer: bad arguments");
	/* the files noted before it come first */
	if (cache_noting(cat)) {
		enum cat_status st;

		cache_give_up(cat);
		st = load_noted(cat, err);
		if (st != CAT_OK)
			return st;
	}
	if ((dt = doctype_line(buf, len)) > 0)
		return refuse_doctype(name, dt, err);
	xml_setup();
	return load_reader(cat, xmlReaderForMemory(buf, (int)len, name, NULL, XML_PARSE_NONET),
			   name, err);
}

/* Loads a file, or notes it for cat_ready() when the catalog uses a cache
 * (skipped and ctx: the callback of the directory it was found in). What
 * makes a file no catalog file at all is an error at once either way. */
static enum cat_status
load_or_note(struct catalog *cat, const char *path, cat_skip_fn skipped, void *ctx,
	     struct cat_error *err)
{
	struct stat sb;
	FILE *f;

	if (stat(path, &sb) != 0)
		return cat_fail(err, CAT_EIO, "%s: %s", path, strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return cat_fail(err, CAT_EIO, "%s: is a directory, not a catalog file", path);
	if (!S_ISREG(sb.st_mode))
		return cat_fail(err, CAT_EIO, "%s: not a regular file", path);
	/* open it ourselves for a clear message when it is unreadable, and to
	 * look for a DOCTYPE in its prolog */
	f = fopen(path, "rb");
	if (!f)
		return cat_fail(err, CAT_EIO, "%s: %s", path, strerror(errno));
	if (cache_noting(cat)) {
		fclose(f);
		return cache_note(cat, path, &sb, skipped, ctx, err);
	}
	{
		/* the whole prolog, however long: read on while it goes on */
		char *head = NULL, *grown;
		size_t n = 0, cap = 0, got;
		int dt = -1;

		do {
			if (n == cap) {
				cap = cap ? cap * 2 : 65536;
				grown = realloc(head, cap);
				if (!grown) {
					free(head);
					fclose(f);
					return cat_fail(err, CAT_ENOMEM, "out of memory");
				}
				head = grown;
			}
			got = fread(head + n, 1, cap - n, f);
			n += got;
			if (n == cap || got == 0)
				dt = doctype_line(head, n);
		} while (dt < 0 && got > 0);
		free(head);
		fclose(f);
		if (dt > 0)
			return refuse_doctype(path, dt, err);
	}
	if (sb.st_size == 0)
		return cat_fail(err, CAT_EPARSE, "%s: the file is empty", path);
	xml_setup();
	return load_reader(cat, xmlReaderForFile(path, NULL, XML_PARSE_NONET), path, err);
}


enum cat_status
cat_load_file(struct catalog *cat, const char *path, struct cat_error *err)
{
	if (!cat || !path)
		return cat_fail(err, CAT_EUSAGE, "cat_load_file: bad arguments");
	return load_or_note(cat, path, NULL, NULL, err);
}

/* `make install` puts a copy of the built-in catalog beside the overlays;
 * loading it again would change nothing but the origin of every entry. An
 * installed catalog.xml that an admin edited differs, and is loaded. */
static int
same_as_builtin(const char *path)
{
	struct stat sb;
	char *buf;
	FILE *f;
	int same = 0;

	if (stat(path, &sb) != 0 || (size_t)sb.st_size != cat_builtin_xml_len)
		return 0;
	f = fopen(path, "rb");
	if (!f)
		return 0;
	buf = malloc(cat_builtin_xml_len);
	if (buf && fread(buf, 1, cat_builtin_xml_len, f) == cat_builtin_xml_len)
		same = memcmp(buf, cat_builtin_xml, cat_builtin_xml_len) == 0;
	free(buf);
	fclose(f);
	return same;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether a file's error stops the loading of its directory even when
 * files are skipped: the catalog itself is in trouble, not the file. */
static int
load_fatal(enum cat_status st)
{
	return st == CAT_ENOMEM || st == CAT_ESQL || st == CAT_ESTATE || st == CAT_EUSAGE;
}

static enum cat_status
load_dir(struct catalog *cat, const char *dir, cat_skip_fn skipped, void *ctx,
	 struct cat_error *err)
{
	enum cat_status st = CAT_OK;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;

	if (!cat || !dir)
		return cat_fail(err, CAT_EUSAGE, "cat_load_dir: bad arguments");
	d = opendir(dir);
	if (!d && (errno == ENOENT || errno == ENOTDIR))
		return CAT_OK;
	if (!d) {
		st = cat_fail(err, CAT_EIO, "%s: %s", dir, strerror(errno));
		if (skipped) {
			skipped(ctx, err);
			cache_taint(cat);
			st = CAT_OK;
		}
		return st;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		char *path;

		if (de->d_name[0] == '.' || len < 5 || strcmp(de->d_name + len - 4, ".xml") != 0)
			continue;
		if (n == cap) {
			char **grown;

			cap = cap ? cap * 2 : 8;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown) {
				st = cat_fail(err, CAT_ENOMEM, "out of memory");
				goto out;
			}
			names = grown;
		}
		path = malloc(strlen(dir) + len + 2);
		if (!path) {
			st = cat_fail(err, CAT_ENOMEM, "out of memory");
			goto out;
		}
		sprintf(path, "%s/%s", dir, de->d_name);
		names[n++] = path;
	}
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n && st == CAT_OK; i++) {
		if (same_as_builtin(names[i]))
			continue;
		st = load_or_note(cat, names[i], skipped, ctx, err);
		/* the file was refused whole (its savepoint rolled back) */
		if (st != CAT_OK && skipped && !load_fatal(st)) {
			skipped(ctx, err);
			cache_taint(cat);
			st = CAT_OK;
		}
	}
out:
	closedir(d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return st;
}

enum cat_status
cat_load_dir(struct catalog *cat, const char *dir, struct cat_error *err)
{
	return load_dir(cat, dir, NULL, NULL, err);
}

enum cat_status
cat_load_dir_skipping(struct catalog *cat, const char *dir, cat_skip_fn skipped, void *ctx,
		      struct cat_error *err)
{
	if (!skipped)
		return cat_fail(err, CAT_EUSAGE, "cat_load_dir_skipping: bad arguments");
	return load_dir(cat, dir, skipped, ctx, err);
}

enum cat_status
load_noted(struct catalog *cat, struct cat_error *err)
{
	enum cat_status st;
	cat_skip_fn skipped;
	const char *path;
	void *ctx;
	size_t i;

	for (i = 0; (path = cache_noted(cat, i, &skipped, &ctx)) != NULL; i++) {
		st = load_or_note(cat, path, NULL, NULL, err);
		if (st == CAT_OK) {
			cache_loaded(cat, i);
		} else if (skipped && !load_fatal(st)) {
			skipped(ctx, err);
			cache_taint(cat);
		} else {
			return st;
		}
	}
	return CAT_OK;
}
