/* complete.c: the words shell completion offers, for bounce --complete WHAT. */
#include "complete.h"

#include <string.h>

#include "cli.h"
#include "tui.h"

static const char *const commands[] = { "explain", "scan", "search", "list", "tui", NULL };

/* Every option of --help (tests/cli/complete compares the two). */
static const char *const options[] = {
	"--json", "--full", "--brief", "--limit", "--catalog", "--no-user-catalogs", "--no-cache",
	"--export-db", "--lines", "--messages", "--exit-action", "--max-input", "--format",
	"--threads", "--color", "--help", "--version", "--no-pager", "--no-mouse", "--log", "--script",
	"--list-actions", "--dump-config", "--class", "--subject", "--provider", "--reason", "--impact", "--kind",
	"--csv", "--follow", "--interval", "--top", "--max-open", "--no-progress", "--no-save",
	"--last", "--suppress", "--soft-limit", "--state", "--why", "--merge", "--view", NULL,
};

static const char *const colors[] = { "auto", "always", "never", NULL };
static const char *const formats[] = { "text", "tsv", NULL };

static void
print_words(FILE *f, const char *const *w)
{
	for (; *w; w++)
		fprintf(f, "%s\n", *w);
}

int
complete_needs_catalog(const char *what)
{
	return strcmp(what, "providers") == 0 || strcmp(what, "reasons") == 0 ||
	       strcmp(what, "impacts") == 0 || strcmp(what, "keys") == 0;
}

/* The keys of one kind without their "reason:" prefix, or every key and
 * tag for CAT_KIND_COUNT. */
static int
print_keys(FILE *f, struct catalog *cat, enum cat_kind kind)
{
	struct cat_filter filter;
	struct cat_result *res = NULL;
	struct cat_error err;
	size_t i;

	memset(&filter, 0, sizeof(filter));
	if (kind != CAT_KIND_COUNT) {
		filter.kind = kind;
		filter.kind_set = 1;
	}
	if (cat_list(cat, &filter, &res, &err) != CAT_OK && !res) {
		cli_error("%s", err.msg);
		return -1;
	}
	for (i = 0; i < res->n; i++) {
		const struct cat_entry *e = &res->entries[i];
		const char *k = e->key, *colon;

		if (!k)
			continue;
		colon = strchr(k, ':');
		/* a word a shell splits on is no use to complete */
		if (strpbrk(k, " \t\n'\"\\"))
			continue;
		fprintf(f, "%s\n", kind != CAT_KIND_COUNT && colon ? colon + 1 : k);
		/* X.7.26 is typed as 5.7.26 or 4.7.26 */
		if (kind == CAT_KIND_COUNT && e->kind == CAT_KIND_ENHANCED && k[0] == 'X')
			fprintf(f, "4%s\n5%s\n", k + 1, k + 1);
		if (kind == CAT_KIND_COUNT && e->tag && !strpbrk(e->tag, " \t\n'\"\\"))
			fprintf(f, "%s\n", e->tag);
	}
	cat_result_free(res);
	return 0;
}

int
complete_print(FILE *f, struct catalog *cat, const char *what)
{
	struct cat_error err;
	char **names = NULL;
	size_t n, i;
	int k;

	if (strcmp(what, "commands") == 0) {
		print_words(f, commands);
	} else if (strcmp(what, "options") == 0) {
		print_words(f, options);
	} else if (strcmp(what, "colors") == 0) {
		print_words(f, colors);
	} else if (strcmp(what, "formats") == 0) {
		print_words(f, formats);
	} else if (strcmp(what, "views") == 0) {
		for (i = 0; tui_view_name(i); i++)
			fprintf(f, "%s\n", tui_view_name(i));
	} else if (strcmp(what, "kinds") == 0) {
		for (k = 0; k < CAT_KIND_COUNT; k++)
			if (*cat_kind_name((enum cat_kind)k))
				fprintf(f, "%s\n", cat_kind_name((enum cat_kind)k));
	} else if (strcmp(what, "providers") == 0) {
		if (cat_provider_names(cat, &names, &n, &err) != CAT_OK) {
			cli_error("%s", err.msg);
			return -1;
		}
		for (i = 0; i < n; i++)
			if (!strpbrk(names[i], " \t\n'\"\\"))
				fprintf(f, "%s\n", names[i]);
		cat_free(names);
	} else if (strcmp(what, "reasons") == 0) {
		return print_keys(f, cat, CAT_KIND_REASON);
	} else if (strcmp(what, "impacts") == 0) {
		return print_keys(f, cat, CAT_KIND_IMPACT);
	} else if (strcmp(what, "keys") == 0) {
		return print_keys(f, cat, CAT_KIND_COUNT);
	} else {
		cli_error("--complete: unknown word list '%s'", what);
		return -1;
	}
	return 0;
}
