/* messages.c: bounce explain --messages: many whole messages in one process.
 *
 * A procmail recipe or an MTA pipe that runs `bounce explain` once per
 * bounce pays for the analyzer's construction every time; a mailbox or a
 * directory of bounces read here pays for it once.
 */
#include "explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "mailbox.h"

struct run {
	const struct explain_opts *o;
	struct cli_out *out;
	const struct cat_analyzer *an;
	struct cat_analysis *res; /* reused from message to message */
	char *json;
	size_t json_len, json_cap;
	unsigned long cut;  /* messages read only in part */
	int unknown;        /* a diagnosis had no known reason */
	int failed;         /* an analysis failed (reported) */
};

static int
is_blank(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
		p++;
		n--;
	}
	return n == 0;
}

static int
on_message(void *ctx, const char *file, unsigned long index, const char *msg, size_t len, int cut)
{
	struct run *r = ctx;
	struct cat_origin from = { strcmp(file, "-") == 0 ? NULL : file, index };
	struct cat_error err;
	char *label = NULL;
	size_t i;

	if (is_blank(msg, len))
		return 0; /* an empty file or an empty mbox message: nothing sent */
	r->cut += cut != 0;
	if (cat_analyze(r->an, msg, len, &r->res, &err) != CAT_OK) {
		if (index)
			cli_error("%s: message %lu: %s", file, index, err.msg);
		else
			cli_error("%s: %s", file, err.msg);
		r->failed = 1;
		return 0;
	}
	if (!r->o->json) {
		size_t n = strlen(file) + 24;

		label = malloc(n);
		if (!label) {
			cli_error("out of memory");
			return -1;
		}
		if (index)
			snprintf(label, n, "%s:%lu", file, index);
		else
			snprintf(label, n, "%s", file);
	}
	for (i = 0; i < r->res->n; i++) {
		const struct cat_diagnosis *d = &r->res->d[i];

		if (d->reason && strcmp(d->reason, "unknown") == 0)
			r->unknown = 1;
		if (!r->o->json) {
			cli_print_diagnosis_row(r->out, label, d);
			continue;
		}
		r->json_len = 0;
		if (cat_diagnosis_json_from(r->res, i, msg, len, &from, &r->json, &r->json_len,
					    &r->json_cap) != CAT_OK) {
			cli_error("out of memory");
			free(label);
			return -1;
		}
		fwrite(r->json, 1, r->json_len, r->out->f);
		fputc('\n', r->out->f);
	}
	free(label);
	/* a closed pipe (| head) ends the run; main() reports other errors */
	return ferror(r->out->f) ? -1 : 0;
}

int
explain_messages(const struct cat_analyzer *an, const struct explain_opts *o, struct cli_out *out,
		 size_t max)
{
	struct run r = { o, out, an, NULL, NULL, 0, 0, 0, 0, 0 };
	size_t n = o->n_args ? o->n_args : 1, i;
	int skipped = 0, rc;

	for (i = 0; i < n; i++) {
		rc = mailbox_read(o->n_args ? o->args[i] : "-", max, on_message, &r);
		if (rc < 0)
			break;
		skipped |= rc;
	}
	if (r.cut == 1)
		cli_error("1 message was longer than %zu bytes: only its first %zu bytes were read "
			  "(see --max-input)",
			  max, max);
	else if (r.cut)
		cli_error("%lu messages were longer than %zu bytes: only the first %zu bytes of each "
			  "were read (see --max-input)",
			  r.cut, max, max);
	cat_analysis_free(r.res);
	free(r.json);
	if (skipped || r.failed || (i < n && !ferror(out->f)))
		return 2;
	return r.unknown ? 1 : 0;
}
