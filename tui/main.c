/* main.c: the entry point of bounce: options, catalogs, and the commands. */
#include <ctype.h>
#include <errno.h>
#include <locale.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bounce/catalog.h"
#include "cli.h"
#include "complete.h"
#include "explain.h"
#include "scan.h"
#include "suppress.h"
#include "export.h"
#include "pager.h"
#include "tui.h"

#ifndef BOUNCE_VERSION
#define BOUNCE_VERSION "0.0.0"
#endif
#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/bounce"
#endif

enum { EXIT_FOUND = 0, EXIT_NOTFOUND = 1, EXIT_ERROR = 2 };

enum { UI_VIEW_NAMES_MAX = 16 }; /* more than tui_view_name() has */

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct opts {
	int json, full, brief, help, version, no_user, no_cache;
	int no_mouse, list_actions, dump_config, no_pager;
	int tsv; /* explain --format tsv */
	const char *complete; /* --complete WHAT: words for shell completion */
	int lines, messages, exit_action; /* explain */
	int csv, follow, no_progress; /* scan */
	int no_save;                  /* scan */
	int last;                     /* scan --last */
	int top, max_open;            /* scan; 0: the defaults */
	int interval;                 /* scan --follow: seconds between summaries; 0: 10 */
	int log;                      /* --log: the arguments are logs for the Report view */
	int scan_opts;                /* an option of scan only was given */
	struct suppress_opts sup;     /* scan: --suppress, --state, --why, --merge */
	size_t max_input;
	int threads; /* explain --lines; 0: one per CPU */
	const char *script; /* --script FILE: the browser, headless */
	const char *view;   /* --view NAME: the browser's view at start */
	enum color_mode color;
	const char **catalogs;
	size_t n_catalogs;
	const char *export_db;
	struct cat_filter filter;
	int list_opts; /* a list-only option was given */
	size_t limit;
	char **args;
	size_t n_args;
};

static void
usage(FILE *f)
{
	fputs("Usage: bounce [OPTION]... [tui]\n"
	      "       bounce [OPTION]... CODE...\n"
	      "       bounce [OPTION]... search WORD...\n"
	      "       bounce [OPTION]... explain [--lines] [--exit-action] [TEXT... | FILE...]\n"
	      "       bounce [OPTION]... explain --messages [FILE|DIR...]\n"
	      "       bounce [OPTION]... scan [--json | --csv] [--follow] [FILE|DIR...]\n"
	      "       bounce [OPTION]... scan [--suppress FILE] [--state FILE] [FILE|DIR...]\n"
	      "       bounce [OPTION]... scan --state FILE --why ADDRESS\n"
	      "       bounce [OPTION]... scan --merge STATE... --state FILE\n"
	      "       ... | bounce       explain each line of standard input\n"
	      "       bounce [OPTION]... list [--class N] [--subject N] [--provider P]\n"
	      "                               [--reason R] [--impact I] [--kind K]\n"
	      "Explain email bounce codes: SMTP reply codes, enhanced status codes\n"
	      "(X.Y.Z) and the codes of mailbox providers, blocklists, gateways and\n"
	      "sending services ('bounce list --kind provider'), with their causes and fixes.\n"
	      "\n"
	      "Examples:\n"
	      "  bounce 5.1.1            an enhanced status code and who sends it\n"
	      "  bounce 550 5.7.26       a reply code with its enhanced code\n"
	      "  bounce TSS04            a provider tag; also BL000101, CS01, RP-001\n"
	      "  bounce gmail 5.7.30     one provider's meaning of a code\n"
	      "  bounce search mailbox full\n"
	      "  bounce list --provider yahoo\n"
	      "  bounce explain '550 5.1.1 <a@b.example>: Recipient address rejected'\n"
	      "  grep status=bounced /var/log/mail.log | bounce --json\n"
	      "  bounce scan /var/log/mail.log*   what bounces, at whom, and what to fix first\n"
	      "\n"
	      "Options:\n"
	      "  -j, --json            print one JSON document\n"
	      "      --full            print every matching provider entry in full\n"
	      "      --brief           print one line per entry\n"
	      "      --limit N         at most N search results (default 50)\n"
	      "      --catalog FILE    also load this catalog (repeatable; last wins)\n"
	      "      --no-user-catalogs  load only the built-in catalog and --catalog files\n"
	      "      --no-cache        load the catalog files; do not read or write the\n"
	      "                        index cache\n"
	      "      --export-db FILE  write the catalog index to a SQLite file\n"
	      "      --lines           explain: each input line is one bounce\n"
	      "      --messages        explain: each file, mbox message or Maildir message is\n"
	      "                        one bounce\n"
	      "      --exit-action     explain: the exit status says what to do\n"
	      "      --max-input N     explain: the largest input, in bytes (K, M: 1M default)\n"
	      "      --format tsv      explain: one row of tab-separated columns per diagnosis\n"
	      "      --threads N       explain --lines, scan: analyze with N threads (default:\n"
	      "                        one per CPU, at most 8)\n"
	      "      --csv             scan: the report's tables as CSV\n"
	      "      --follow          scan: keep reading the last file as it grows\n"
	      "      --interval N      scan --follow: a summary every N seconds (10)\n"
	      "      --top N           scan: rows of the domain, code and fix-first lists (10)\n"
	      "      --max-open N      scan: deferred recipients followed at once (100000)\n"
	      "      --no-progress     scan: no progress bar on a terminal\n"
	      "      --no-save         scan: keep no copy for the browser's Report view\n"
	      "      --last            scan: the report of the last scan saved, read no input\n"
	      "      --suppress FILE   scan: write the addresses to stop mailing to FILE\n"
	      "      --soft-limit N    scan: suppress after N sends given up on for a soft\n"
	      "                        reason (3)\n"
	      "      --state FILE      scan: keep the recipients' history in FILE across runs\n"
	      "      --why ADDRESS     scan: why the state suppresses ADDRESS, or not\n"
	      "      --merge           scan: the arguments are states to add to --state\n"
	      "      --color=WHEN      colour output: auto (default), always, never\n"
	      "  -h, --help            show this help and exit\n"
	      "  -V, --version         show the version and the loaded catalogs\n"
	      "      --no-pager        do not page long output on a terminal\n"
	      "      --log FILE...     browser: open on the Report view of these mail logs\n"
	      "                        and bounce mailboxes (what bounce scan reads)\n"
	      "      --no-mouse        browser: do not use the mouse\n"
	      "      --view NAME       browser: start in view NAME: codes, enhanced,\n"
	      "                        providers, reasons, guide or analyzer\n"
	      "      --script FILE     browser: run headless, keys from FILE (for tests)\n"
	      "      --list-actions    print the browser's keys and actions\n"
	      "      --dump-config     print the browser's built-in configuration\n"
	      "\n"
	      "List filters: --class 2|3|4|5, --subject 0-7, --provider NAME,\n"
	      "  --reason ID, --impact ID, --kind reply|enhanced|provider-entry|provider|\n"
	      "  reason|impact|threshold|practice|class|subject\n"
	      "\n"
	      "Exit status: 0 found, 1 nothing found, 2 usage or catalog error.\n"
	      "Catalogs: built-in, then " PKGDATADIR "/*.xml,\n"
	      "then $XDG_DATA_HOME/bounce/*.xml, then each --catalog FILE.\n"
	      "See bounce(1) and bounce-catalog(5).\n",
	      f);
}

static void
try_help(void)
{
	fputs("Try 'bounce --help' for more information.\n", stderr);
}

static int
parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static int
parse_kind(const char *s, enum cat_kind *out)
{
	int k;

	for (k = 0; k < CAT_KIND_COUNT; k++)
		if (strcmp(cat_kind_name((enum cat_kind)k), s) == 0) {
			*out = (enum cat_kind)k;
			return 0;
		}
	if (strcmp(s, "entry") == 0) {
		*out = CAT_KIND_ENTRY;
		return 0;
	}
	return -1;
}

/* Options that take a value: the value is "--opt=V" or the next argument. */
static const char *const value_opts[] = {
	"--catalog", "--export-db", "--class", "--subject", "--provider", "--reason",
	"--impact", "--kind", "--limit", "--color", "--script", "--max-input", "--threads",
	"--format", "--complete", "--top", "--max-open", "--interval", "--suppress", "--state", "--soft-limit",
	"--why", "--view", NULL,
};

static int
takes_value(const char *name)
{
	size_t i;

	for (i = 0; value_opts[i]; i++)
		if (strcmp(value_opts[i], name) == 0)
			return 1;
	return 0;
}

static int
set_option(struct opts *o, const char *name, const char *val)
{
	int n;

	if (strcmp(name, "--catalog") == 0) {
		o->catalogs[o->n_catalogs++] = val;
	} else if (strcmp(name, "--script") == 0) {
		o->script = val;
	} else if (strcmp(name, "--view") == 0) {
		o->view = val;
	} else if (strcmp(name, "--export-db") == 0) {
		o->export_db = val;
	} else if (strcmp(name, "--class") == 0) {
		if (parse_int(val, 2, 5, &o->filter.cls))
			goto bad;
		o->list_opts = 1;
	} else if (strcmp(name, "--subject") == 0) {
		if (parse_int(val, 0, 7, &o->filter.subject))
			goto bad;
		o->filter.subject_set = 1;
		o->list_opts = 1;
	} else if (strcmp(name, "--provider") == 0) {
		o->filter.provider = val;
		o->list_opts = 1;
	} else if (strcmp(name, "--reason") == 0) {
		o->filter.reason = val;
		o->list_opts = 1;
	} else if (strcmp(name, "--impact") == 0) {
		o->filter.impact = val;
		o->list_opts = 1;
	} else if (strcmp(name, "--kind") == 0) {
		if (parse_kind(val, &o->filter.kind))
			goto bad;
		o->filter.kind_set = 1;
		o->list_opts = 1;
	} else if (strcmp(name, "--limit") == 0) {
		if (parse_int(val, 1, 100000, &n))
			goto bad;
		o->limit = (size_t)n;
	} else if (strcmp(name, "--complete") == 0) {
		o->complete = val;
	} else if (strcmp(name, "--format") == 0) {
		if (strcmp(val, "tsv") == 0)
			o->tsv = 1;
		else if (strcmp(val, "text") == 0)
			o->tsv = 0;
		else
			goto bad;
	} else if ((n = suppress_set_option(&o->sup, name, val)) != 0) {
		if (n < 0)
			goto bad;
		o->scan_opts = 1;
	} else if (strcmp(name, "--top") == 0) {
		if (parse_int(val, 1, 1000, &o->top))
			goto bad;
		o->scan_opts = 1;
	} else if (strcmp(name, "--max-open") == 0) {
		if (parse_int(val, 1, 100000000, &o->max_open))
			goto bad;
		o->scan_opts = 1;
	} else if (strcmp(name, "--interval") == 0) {
		if (parse_int(val, 1, 86400, &o->interval))
			goto bad;
		o->scan_opts = 1;
	} else if (strcmp(name, "--threads") == 0) {
		if (parse_int(val, 1, 8, &o->threads))
			goto bad;
	} else if (strcmp(name, "--max-input") == 0) {
		char *end;
		unsigned long long v;

		errno = 0;
		v = strtoull(val, &end, 10);
		if (errno || end == val || v == 0)
			goto bad;
		if (*end == 'k' || *end == 'K')
			v *= 1024, end++;
		else if (*end == 'm' || *end == 'M')
			v *= 1024 * 1024, end++;
		else if (*end == 'g' || *end == 'G')
			v *= 1024ULL * 1024 * 1024, end++;
		if (*end || v > (1ULL << 31))
			goto bad;
		o->max_input = (size_t)v;
	} else if (strcmp(name, "--color") == 0 || strcmp(name, "--colour") == 0) {
		if (strcmp(val, "auto") == 0)
			o->color = COLOR_AUTO;
		else if (strcmp(val, "always") == 0)
			o->color = COLOR_ALWAYS;
		else if (strcmp(val, "never") == 0)
			o->color = COLOR_NEVER;
		else
			goto bad;
	}
	return 0;
bad:
	cli_error("invalid value '%s' for %s", val, name);
	try_help();
	return -1;
}

/* Options may come before or after the command and its arguments. */
static int
parse_args(struct opts *o, int argc, char **argv)
{
	int i, only_args = 0;

	o->catalogs = calloc((size_t)argc, sizeof(*o->catalogs));
	o->args = calloc((size_t)argc, sizeof(*o->args));
	if (!o->catalogs || !o->args) {
		cli_error("out of memory");
		return -1;
	}
	for (i = 1; i < argc; i++) {
		char *a = argv[i], *eq;
		char name[64];

		if (only_args || a[0] != '-' || a[1] == '\0') {
			o->args[o->n_args++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			o->help = 1;
		} else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			o->version = 1;
		} else if (strcmp(a, "-j") == 0 || strcmp(a, "--json") == 0) {
			o->json = 1;
		} else if (strcmp(a, "--full") == 0) {
			o->full = 1;
		} else if (strcmp(a, "--brief") == 0) {
			o->brief = 1;
		} else if (strcmp(a, "--lines") == 0) {
			o->lines = 1;
		} else if (strcmp(a, "--messages") == 0) {
			o->messages = 1;
		} else if (strcmp(a, "--exit-action") == 0) {
			o->exit_action = 1;
		} else if (strcmp(a, "--merge") == 0) {
			o->sup.merge = o->scan_opts = 1;
		} else if (strcmp(a, "--csv") == 0) {
			o->csv = o->scan_opts = 1;
		} else if (strcmp(a, "--follow") == 0) {
			o->follow = o->scan_opts = 1;
		} else if (strcmp(a, "--no-progress") == 0) {
			o->no_progress = o->scan_opts = 1;
		} else if (strcmp(a, "--no-save") == 0) {
			o->no_save = o->scan_opts = 1;
		} else if (strcmp(a, "--last") == 0) {
			o->last = o->scan_opts = 1;
		} else if (strcmp(a, "--log") == 0) {
			o->log = 1;
		} else if (strcmp(a, "--no-mouse") == 0) {
			o->no_mouse = 1;
		} else if (strcmp(a, "--no-pager") == 0) {
			o->no_pager = 1;
		} else if (strcmp(a, "--list-actions") == 0) {
			o->list_actions = 1;
		} else if (strcmp(a, "--dump-config") == 0) {
			o->dump_config = 1;
		} else if (strcmp(a, "--no-user-catalogs") == 0) {
			o->no_user = 1;
		} else if (strcmp(a, "--no-cache") == 0) {
			o->no_cache = 1;
		} else if (strcmp(a, "--color") == 0 || strcmp(a, "--colour") == 0) {
			/* "--color always" as well as "--color=always"; bare, auto */
			o->color = COLOR_AUTO;
			if (i + 1 < argc && (strcmp(argv[i + 1], "auto") == 0 ||
					     strcmp(argv[i + 1], "always") == 0 ||
					     strcmp(argv[i + 1], "never") == 0) &&
			    set_option(o, "--color", argv[++i]))
				return -1;
		} else if (a[1] != '-' && strspn(a + 1, "hjV") == strlen(a + 1)) {
			/* -jV: short flags together, as the synopsis writes them */
			size_t k;

			for (k = 1; a[k]; k++) {
				if (a[k] == 'h')
					o->help = 1;
				else if (a[k] == 'j')
					o->json = 1;
				else
					o->version = 1;
			}
		} else if (a[1] == '-') {
			const char *val;

			eq = strchr(a, '=');
			snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - a) : (int)strlen(a), a);
			if (!takes_value(name) && strcmp(name, "--colour") != 0) {
				cli_error("unknown option '%s'", a);
				try_help();
				return -1;
			}
			if (eq) {
				val = eq + 1;
			} else if (i + 1 < argc) {
				val = argv[++i];
			} else {
				cli_error("option '%s' needs a value", a);
				try_help();
				return -1;
			}
			if (set_option(o, name, val))
				return -1;
		} else if (a[0] == '-' && a[1] >= '0' && a[1] <= '9') {
			o->args[o->n_args++] = a; /* not an option: a pasted "-5.1.1"? */
		} else {
			cli_error("unknown option '%s'", a);
			try_help();
			return -1;
		}
	}
	return 0;
}

static size_t
term_width(int fd)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	int n;

	if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	if (cols && parse_int(cols, 20, 1000, &n) == 0)
		return (size_t)n;
	return 80;
}

/* Colour for --color=always; for auto, on a terminal that has it (not
 * TERM=dumb or unset) unless NO_COLOR is set. */
static int
want_color(const struct opts *o)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (o->color != COLOR_AUTO)
		return o->color == COLOR_ALWAYS;
	return isatty(STDOUT_FILENO) && !(nc && *nc) && term && *term && strcmp(term, "dumb") != 0;
}

/* Overlays found in the data directories that were refused: each is named
 * on stderr as it is skipped; the browser shows the first on its status
 * line (stderr is under its screen). */
static char skipped_notice[1100];
static size_t n_skipped;

static void
on_skipped(void *ctx, const struct cat_error *err)
{
	(void)ctx;
	cli_error("%s (this overlay is skipped; the others are loaded)", err->msg);
	if (n_skipped++ == 0)
		snprintf(skipped_notice, sizeof(skipped_notice), "overlay skipped: %s", err->msg);
}

/* The index cache's directory, $XDG_CACHE_HOME/bounce or ~/.cache/bounce
 * (a relative XDG_CACHE_HOME is ignored, as the XDG spec says); 0 when
 * there is none. */
static int
cache_dir(char *path, size_t size)
{
	const char *dir = getenv("XDG_CACHE_HOME");
	int n;

	if (dir && dir[0] == '/')
		n = snprintf(path, size, "%s/bounce", dir);
	else if ((dir = getenv("HOME")) && dir[0] == '/')
		n = snprintf(path, size, "%s/.cache/bounce", dir);
	else
		return 0;
	return n > 0 && (size_t)n < size;
}

/* Built-in, then the installed directory, the user's, and --catalog files.
 * A broken overlay found in a directory is skipped; a file named with
 * --catalog is the user's request, and its error stops bounce. With
 * overlays, the index they make is kept in the cache and read from it at the
 * next start with the same files (unless --no-cache); the cache never
 * changes what is loaded, and failing to write it is silent (--version
 * says what became of it). */
static int
open_catalog(const struct opts *o, struct catalog **out)
{
	struct cat_error err = { 0 };
	struct catalog *cat = NULL;
	const char *dir;
	char path[4096];
	size_t i;

	if (cat_open(&cat, &err) != CAT_OK)
		goto fail;
	if (!o->no_cache && cache_dir(path, sizeof(path)) &&
	    cat_cache_use(cat, path, BOUNCE_VERSION, &err) != CAT_OK)
		goto fail;
	if (!o->no_user) {
		dir = getenv("BOUNCE_DATADIR");
		if (cat_load_dir_skipping(cat, dir && *dir ? dir : PKGDATADIR, on_skipped, NULL,
					  &err) != CAT_OK)
			goto fail;
		dir = getenv("XDG_DATA_HOME");
		if (dir && *dir) {
			snprintf(path, sizeof(path), "%s/bounce", dir);
		} else if ((dir = getenv("HOME")) && *dir) {
			snprintf(path, sizeof(path), "%s/.local/share/bounce", dir);
		} else {
			path[0] = '\0';
		}
		if (path[0] && cat_load_dir_skipping(cat, path, on_skipped, NULL, &err) != CAT_OK)
			goto fail;
	}
	for (i = 0; i < o->n_catalogs; i++)
		if (cat_load_file(cat, o->catalogs[i], &err) != CAT_OK)
			goto fail;
	if (cat_ready(cat, &err) != CAT_OK)
		goto fail;
	*out = cat;
	return 0;
fail:
	cli_error("%s", err.msg);
	cat_close(cat);
	return -1;
}

/* What became of the index cache, when there is one to speak of: files
 * were loaded over the built-in catalog. */
static void
print_cache(struct catalog *cat)
{
	const char *path, *why;
	enum cat_cache_state st = cat_cache_info(cat, &path, &why);
	char line[8400];

	if (cat_origin_count(cat) < 2)
		return;
	if (st == CAT_CACHE_READ)
		snprintf(line, sizeof(line), "Cache:  read from %s", path);
	else if (st == CAT_CACHE_WRITTEN)
		snprintf(line, sizeof(line), "Cache:  written to %s (%s)", path,
			 why ? why : "there was none");
	else if (st == CAT_CACHE_NOT_WRITTEN)
		snprintf(line, sizeof(line), "Cache:  not written to %s: %s", path ? path : "",
			 why ? why : "");
	else
		snprintf(line, sizeof(line), "Cache:  not used");
	cli_put_line(stdout, line);
}

static int
print_version(struct catalog *cat)
{
	struct cat_error err;
	size_t i, n[CAT_KIND_COUNT] = { 0 };
	int k;

	for (k = 0; k < CAT_KIND_COUNT; k++)
		if (cat_count(cat, (enum cat_kind)k, &n[k], &err) != CAT_OK) {
			cli_error("%s", err.msg);
			return EXIT_ERROR;
		}
	printf("bounce %s\n"
	       "Copyright (c) 2026, the bounce authors. License: BSD-2-Clause.\n"
	       "Catalog: %zu reply codes, %zu enhanced codes, %zu provider entries"
	       " from %zu providers, %zu reasons.\n",
	       BOUNCE_VERSION, n[CAT_KIND_REPLY], n[CAT_KIND_ENHANCED], n[CAT_KIND_ENTRY],
	       n[CAT_KIND_PROVIDER], n[CAT_KIND_REASON]);
	for (i = 0; i < cat_origin_count(cat); i++) {
		fputs(i == 0 ? "Loaded: " : "        ", stdout);
		cli_put_line(stdout, cat_origin(cat, i));
	}
	print_cache(cat);
	return EXIT_FOUND;
}

static int
print_json(FILE *f, struct catalog *cat, const struct cat_result *res, const char *query)
{
	struct cat_error err;
	char *json = NULL;

	if (cat_result_json(cat, res, query, &json, &err) != CAT_OK) {
		cli_error("%s", err.msg);
		return -1;
	}
	fputs(json, f);
	fputc('\n', f);
	cat_free(json);
	return 0;
}

/* The arguments joined by spaces (owned). */
static char *
join_args(char **args, size_t n)
{
	size_t i, len = 1;
	char *s;

	for (i = 0; i < n; i++)
		len += strlen(args[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, args[i]);
	}
	return s;
}

/* The commands, for "did you mean" (the lookup is what any other first
 * word starts). */
static const char *const command_words[] = { "explain", "scan", "search", "list", "tui", NULL };

enum { NAME_MAX_LEN = 63 };

/* The edit distance of a and b without regard to ASCII case: insertions,
 * deletions, substitutions and swaps of neighbours each count one; words
 * longer than NAME_MAX_LEN are far from everything. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[NAME_MAX_LEN + 1][NAME_MAX_LEN + 1];

	if (la > NAME_MAX_LEN || lb > NAME_MAX_LEN)
		return (size_t)-1;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
			size_t v = d[i - 1][j - 1] + (ca != cb);

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			/* two neighbours swapped */
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

/* The name of names (NULL-terminated) nearest to word, when it is near
 * enough to be a slip of the fingers: one edit for words of up to four
 * letters, two beyond; none for words shorter than three, which are too
 * near to too much. NULL when none is, or word is a name itself. */
static const char *
nearest_name(const char *word, const char *const *names)
{
	size_t len = strlen(word), best = (size_t)-1, d, i;
	size_t tolerance = len <= 4 ? 1 : 2;
	const char *pick = NULL;

	if (len < 3)
		return NULL;
	for (i = 0; names[i]; i++) {
		if (strchr(names[i], ' '))
			continue;
		d = edit_distance(word, names[i]);
		if (d == 0)
			return NULL;
		if (d <= tolerance && d < best) {
			best = d;
			pick = names[i];
		}
	}
	return pick;
}

static int
is_command(const char *word)
{
	size_t i;

	for (i = 0; command_words[i]; i++)
		if (strcmp(command_words[i], word) == 0)
			return 1;
	return 0;
}

/* Whether the only argument of explain is a file's name: then the file was
 * meant, and the name is not a bounce to read. */
static int
names_a_file(const char *arg)
{
	struct stat sb;

	return arg[0] && !strpbrk(arg, " \t\n") && stat(arg, &sb) == 0 && !S_ISDIR(sb.st_mode);
}

/* What a lookup read as nothing: a slip in a provider's name is an error
 * with the name meant (-1); other words are said to be ignored. */
static int
check_unknown_words(struct catalog *cat, const struct cat_result *res)
{
	struct cat_error err;
	char **names = NULL, list[512];
	const char *near = NULL;
	size_t n, i, len = 0;

	if (res->n_unknown == 0)
		return 0;
	if (res->n_unknown == 1 && cat_provider_names(cat, &names, &n, &err) == CAT_OK)
		near = nearest_name(res->unknown[0], (const char *const *)names);
	if (near) {
		cli_error("unknown provider '%s'; did you mean '%s'?", res->unknown[0], near);
		try_help();
		cat_free(names);
		return -1;
	}
	cat_free(names);
	if (res->n == 0)
		return 0;
	list[0] = '\0';
	for (i = 0; i < res->n_unknown && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s'%s'", i ? " " : "",
					res->unknown[i]);
	cli_error("ignored %s: not a code, tag, key or provider (to read a whole bounce, use "
		  "'bounce explain')", list);
	return 0;
}

static int
run(struct opts *o, struct catalog *cat, struct cli_out *out)
{
	enum { CMD_LOOKUP, CMD_SEARCH, CMD_LIST } cmd = CMD_LOOKUP;
	struct cat_result *res = NULL;
	struct cat_error err = { 0 };
	enum cat_status st;
	char **args = o->args;
	size_t nargs = o->n_args;
	char *query = NULL;
	int rc = EXIT_ERROR;

	if (nargs && !is_command(args[0]) && !cat_provider_id(cat, args[0])) {
		const char *near = nearest_name(args[0], command_words);

		if (near) {
			cli_error("unknown command '%s'; did you mean '%s'?", args[0], near);
			try_help();
			return EXIT_ERROR;
		}
	}
	if (nargs && strcmp(args[0], "scan") == 0) {
		struct scan_opts so;

		if (o->list_opts || o->tsv || o->lines || o->messages || o->exit_action) {
			cli_error("'scan' takes --json, --csv, --follow, --interval, --top, --max-open, "
				  "--no-progress, --no-save, --last, --suppress, --soft-limit, --state, --why and "
				  "--merge");
			try_help();
			return EXIT_ERROR;
		}
		if (o->csv && o->json) {
			cli_error("--csv and --json are two formats: give one");
			try_help();
			return EXIT_ERROR;
		}
		if (suppress_is_command(&o->sup)) {
			if (o->csv || o->follow) {
				cli_error("--why and --merge read no log: no --csv, no --follow");
				try_help();
				return EXIT_ERROR;
			}
			return suppress_command(cat, &o->sup, o->json, args + 1, nargs - 1, out);
		}
		if (o->last) {
			if (nargs > 1 || o->follow || o->interval || o->no_save || o->top || o->max_open ||
			    o->no_progress || o->sup.suppress || o->sup.state || o->sup.why ||
			    o->sup.soft_limit || o->sup.merge) {
				cli_error("--last reads no input: it takes --json or --csv alone");
				try_help();
				return EXIT_ERROR;
			}
			memset(&so, 0, sizeof(so));
			so.format = o->json ? SCAN_JSON : o->csv ? SCAN_CSV : SCAN_TEXT;
			return scan_last(cat, &so, out);
		}
		if (suppress_check(&o->sup, o->follow) != 0) {
			try_help();
			return EXIT_ERROR;
		}
		memset(&so, 0, sizeof(so));
		so.format = o->json ? SCAN_JSON : o->csv ? SCAN_CSV : SCAN_TEXT;
		so.sup = o->sup;
		so.follow = o->follow;
		so.interval = o->interval ? o->interval : 10;
		if (o->interval && !o->follow) {
			cli_error("--interval goes with --follow");
			try_help();
			return EXIT_ERROR;
		}
		so.progress = !o->no_progress;
		so.no_save = o->no_save;
		so.top = (size_t)o->top;
		so.max_open = (size_t)o->max_open;
		so.threads = (unsigned)o->threads;
		so.args = args + 1;
		so.n_args = nargs - 1;
		if (so.n_args == 0 && isatty(STDIN_FILENO)) {
			cli_error("'scan' needs a mail log or a mailbox: name files, or give one on "
				  "standard input");
			try_help();
			return EXIT_ERROR;
		}
		return scan_run(cat, &so, out);
	}
	if (o->scan_opts) {
		cli_error("--csv, --follow, --interval, --top, --max-open, --no-progress, --no-save, --last, "
			  "--suppress, --soft-limit, "
			  "--state, --why and --merge go with 'scan'");
		try_help();
		return EXIT_ERROR;
	}
	if (nargs && strcmp(args[0], "explain") == 0) {
		struct explain_opts eo;

		if (!o->lines && !o->messages && nargs == 2 && names_a_file(args[1])) {
			cli_error("'%s' is a file: 'bounce explain --messages %s' reads it as a "
				  "message or an mbox, 'bounce explain --lines %s' one bounce a line",
				  args[1], args[1], args[1]);
			try_help();
			return EXIT_ERROR;
		}

		if (o->list_opts) {
			cli_error("--class, --subject, --provider, --reason, --impact and --kind go with 'list'");
			try_help();
			return EXIT_ERROR;
		}
		if (o->tsv && o->json) {
			cli_error("--format tsv and --json are two formats: give one");
			try_help();
			return EXIT_ERROR;
		}
		memset(&eo, 0, sizeof(eo));
		eo.json = o->json;
		eo.lines = o->lines;
		eo.messages = o->messages;
		eo.exit_action = o->exit_action;
		eo.max_input = o->max_input;
		eo.jobs = (unsigned)o->threads;
		eo.args = args + 1;
		eo.n_args = nargs - 1;
		if (eo.messages && (eo.lines || eo.exit_action)) {
			cli_error("--messages reads whole messages: it goes with neither --lines nor "
				  "--exit-action");
			try_help();
			return EXIT_ERROR;
		}
		if (!eo.lines && eo.n_args == 0 && isatty(STDIN_FILENO)) {
			cli_error("'explain' needs a bounce: give it as arguments or on standard input");
			try_help();
			return EXIT_ERROR;
		}
		return explain_run(cat, &eo, out);
	}
	if (o->tsv) {
		cli_error("--format goes with 'explain'");
		try_help();
		return EXIT_ERROR;
	}
	if (o->lines || o->messages || o->exit_action) {
		cli_error("--lines, --messages and --exit-action go with 'explain'");
		try_help();
		return EXIT_ERROR;
	}
	if (nargs && strcmp(args[0], "search") == 0) {
		cmd = CMD_SEARCH;
		args++;
		nargs--;
	} else if (nargs && strcmp(args[0], "list") == 0) {
		cmd = CMD_LIST;
		args++;
		nargs--;
	}
	if (o->list_opts && cmd != CMD_LIST) {
		cli_error("--class, --subject, --provider, --reason, --impact and --kind go with 'list'");
		try_help();
		return EXIT_ERROR;
	}
	if (cmd == CMD_LIST && nargs) {
		cli_error("'list' takes options, not words: try 'bounce search %s'", args[0]);
		try_help();
		return EXIT_ERROR;
	}
	if (cmd != CMD_LIST && nargs == 0) {
		cli_error(cmd == CMD_SEARCH ? "'search' needs words to search for"
					    : "no code given");
		try_help();
		return EXIT_ERROR;
	}
	query = join_args(args, nargs);
	if (!query) {
		cli_error("out of memory");
		return EXIT_ERROR;
	}
	if (cmd == CMD_LOOKUP && !query[strspn(query, " \t\r\n,;")]) {
		cli_error("nothing to look up: give a code, a tag, a key or a provider");
		try_help();
		rc = EXIT_ERROR;
		goto out;
	}
	switch (cmd) {
	case CMD_LOOKUP:
		st = cat_lookup(cat, query, &res, &err);
		break;
	case CMD_SEARCH:
		st = cat_search(cat, query, o->limit, &res, &err);
		break;
	default:
		st = cat_list(cat, &o->filter, &res, &err);
		break;
	}
	if (st != CAT_OK && st != CAT_NOTFOUND) {
		cli_error("%s", err.msg);
		rc = EXIT_ERROR;
		goto out;
	}
	if (cmd == CMD_LOOKUP && check_unknown_words(cat, res) != 0) {
		rc = EXIT_ERROR;
		goto out;
	}
	if (o->json) {
		rc = print_json(out->f, cat, res, query) ? EXIT_ERROR : (res->n ? EXIT_FOUND : EXIT_NOTFOUND);
		goto out;
	}
	if (st == CAT_NOTFOUND) {
		if (cmd == CMD_LOOKUP)
			cli_error("%s; try 'bounce search %s'", err.msg, query);
		else
			cli_error("%s", err.msg);
		rc = EXIT_NOTFOUND;
		goto out;
	}
	if (cmd == CMD_LOOKUP) {
		if (cli_print_lookup(out, cat, res, &err) != CAT_OK) {
			cli_error("%s", err.msg);
			goto out;
		}
	} else {
		char heading[256];

		if (cmd == CMD_SEARCH)
			snprintf(heading, sizeof(heading), "%zu result%s for \"%.200s\":",
				 res->n + res->truncated, res->n + res->truncated == 1 ? "" : "s",
				 query);
		else
			snprintf(heading, sizeof(heading), "%zu entr%s:", res->n,
				 res->n == 1 ? "y" : "ies");
		cli_print_lines(out, res, heading);
	}
	rc = EXIT_FOUND;
out:
	cat_result_free(res);
	free(query);
	return rc;
}

/* --view NAME names a view of the browser and goes with nothing else. */
static int
check_view(const struct opts *o)
{
	const char *names[UI_VIEW_NAMES_MAX + 1], *near;
	char list[256];
	size_t i, n, len = 0;

	for (n = 0; n < UI_VIEW_NAMES_MAX && (names[n] = tui_view_name(n)); n++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", n ? ", " : "",
					names[n]);
	names[n] = NULL;
	for (i = 0; i < n; i++)
		if (strcmp(o->view, names[i]) == 0)
			break;
	if (i == n) {
		near = nearest_name(o->view, names);
		if (near)
			cli_error("unknown view '%s'; did you mean '%s'?", o->view, near);
		else
			cli_error("unknown view '%s'; the views are %s", o->view, list);
		try_help();
		return -1;
	}
	if ((o->n_args && !(o->n_args == 1 && strcmp(o->args[0], "tui") == 0)) || o->version ||
	    o->export_db) {
		cli_error("--view goes with the browser: 'bounce --view %s' or 'bounce tui --view %s'",
			  o->view, o->view);
		try_help();
		return -1;
	}
	return 0;
}

enum browser_mode {
	BROWSER_NO,        /* a CLI command */
	BROWSER_RUN,       /* run the browser (or its headless script) */
	BROWSER_NOT_A_TTY, /* wanted, but stdin or stdout is not a terminal */
	BROWSER_DUMB,      /* wanted on a terminal that cannot do it */
};

/* The browser runs for --script FILE, for the 'tui' command, and for no
 * arguments at all, when stdin and stdout are terminals and TERM is usable. */
static enum browser_mode
browser_mode(struct opts *o)
{
	const char *term = getenv("TERM");
	int tui_cmd = o->n_args == 1 && strcmp(o->args[0], "tui") == 0;

	if (o->script && !o->version && !o->export_db)
		return BROWSER_RUN;
	if (!tui_cmd && !o->log && (o->n_args || o->version || o->export_db))
		return BROWSER_NO;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return BROWSER_NOT_A_TTY;
	if (!term || !*term || strcmp(term, "dumb") == 0)
		return BROWSER_DUMB;
	return BROWSER_RUN;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct catalog *cat = NULL;
	struct cli_out out;
	struct pager pager;
	enum browser_mode mode;
	int rc = EXIT_ERROR;

#if defined(__GLIBC__) && defined(M_TRIM_THRESHOLD)
	/* Loading many catalog files frees and regrows the top of the heap at
	 * each file; with glibc's default trim threshold every file gave the
	 * memory back (brk) and faulted it in again: 1,000 overlay files took
	 * 1.7 s, 0.9 s of it in the kernel, instead of 0.2 s. Keeping up to
	 * 8 MB at the top costs nothing the process would not use again. */
	mallopt(M_TRIM_THRESHOLD, 8 << 20);
#endif
	/* The character set and widths of the user's locale, and nothing
	 * else of it: numbers in JSON and CSV must keep their '.' whatever
	 * LC_NUMERIC says ("percent":11,24 is not JSON), and the text is
	 * English throughout. Loading the other eleven categories was also
	 * 58 of the 220 system calls of a lookup. */
	setlocale(LC_CTYPE, "");
	memset(&o, 0, sizeof(o));
	if (parse_args(&o, argc, argv) != 0)
		goto out;
	if (o.help) {
		usage(stdout);
		rc = EXIT_FOUND;
		goto out;
	}
	if (o.complete) {
		/* hidden: the shell completion scripts ask for their words */
		if (complete_needs_catalog(o.complete) && open_catalog(&o, &cat) != 0)
			goto out;
		rc = complete_print(stdout, cat, o.complete) ? EXIT_ERROR : EXIT_FOUND;
		goto out;
	}
	if (o.dump_config) {
		tui_dump_config(stdout);
		rc = fflush(stdout) == 0 ? EXIT_FOUND : EXIT_ERROR;
		goto out;
	}
	if (o.list_actions) {
		tui_list_actions(stdout);
		rc = EXIT_FOUND;
		goto out;
	}
	if (o.view && check_view(&o) != 0)
		goto out;
	if (o.log) {
		size_t k;

		/* the browser's keys come from the terminal: no log on stdin */
		for (k = 0; k < o.n_args; k++)
			if (strcmp(o.args[k], "-") == 0)
				break;
		if (o.n_args == 0 || k < o.n_args || o.version || o.export_db) {
			cli_error(o.n_args == 0 ? "--log needs FILE...: mail logs or bounce mailboxes"
				  : k < o.n_args ? "--log reads files, not standard input "
						   "(bounce scan reads it)"
						 : "--log opens the browser: not with --version or --export-db");
			try_help();
			goto out;
		}
	}
	/* a filter: "grep status=bounced mail.log | bounce" explains each line */
	if (o.n_args == 0 && !o.version && !o.export_db && !o.script && !o.view &&
	    !isatty(STDIN_FILENO)) {
		struct explain_opts eo;

		if (open_catalog(&o, &cat) != 0)
			goto out;
		memset(&eo, 0, sizeof(eo));
		eo.json = o.json;
		eo.lines = 1;
		eo.max_input = o.max_input;
		eo.jobs = (unsigned)o.threads;
		out.f = stdout;
		out.width = term_width(STDOUT_FILENO);
		out.full = out.brief = 0;
		out.tsv = o.tsv;
		out.color = want_color(&o);
		rc = explain_run(cat, &eo, &out);
		goto out;
	}
	mode = browser_mode(&o);
	if (mode == BROWSER_NOT_A_TTY) {
		cli_error(o.n_args || o.view ? "the browser needs a terminal on standard input and output"
					     : "no code given");
		try_help();
		goto out;
	}
	if (mode == BROWSER_DUMB) {
		cli_error("the browser needs a capable terminal (TERM is '%s'); "
			  "give a code or a command instead",
			  getenv("TERM") ? getenv("TERM") : "");
		usage(stdout);
		rc = EXIT_FOUND;
		goto out;
	}
	if (open_catalog(&o, &cat) != 0)
		goto out;
	if (mode == BROWSER_RUN) {
		struct tui_opts topts;

		memset(&topts, 0, sizeof(topts));
		topts.color = o.color == COLOR_ALWAYS  ? TUI_COLOR_ALWAYS
			      : o.color == COLOR_NEVER ? TUI_COLOR_NEVER
						       : TUI_COLOR_AUTO;
		topts.mouse = !o.no_mouse;
		topts.script = o.script;
		topts.notice = n_skipped ? skipped_notice : NULL;
		topts.logs = o.log ? o.args : NULL;
		topts.n_logs = o.log ? o.n_args : 0;
		topts.view = o.view;
		rc = tui_run(cat, &topts);
		goto out;
	}
	if (o.version) {
		rc = print_version(cat);
		goto out;
	}
	if (o.export_db) {
		if (export_db(cat, o.export_db) != 0)
			goto out;
		rc = EXIT_FOUND;
		if (o.n_args == 0)
			goto out;
	}
	/* explain --lines may be a stream: it is written as it comes */
	out.f = pager_begin(&pager, !o.no_pager && !o.lines && !o.follow);
	out.width = term_width(STDOUT_FILENO);
	out.full = o.full;
	out.brief = o.brief;
	out.tsv = o.tsv;
	out.color = want_color(&o);
	rc = run(&o, cat, &out);
	if (pager_end(&pager) != 0)
		rc = EXIT_ERROR;
out:
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write the output: %s", strerror(errno));
		rc = EXIT_ERROR;
	}
	cat_close(cat);
	free(o.catalogs);
	free(o.args);
	return rc;
}
