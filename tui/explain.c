/* explain.c: bounce explain, one input or a stream of lines.
 *
 * A stream is read in large blocks and split at newlines by hand: the
 * analyzer must keep up with big mail logs (a million lines a second), so
 * there is no stdio line reading and no allocation per line here.
 */
#include "explain.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum { BLOCK = 4 * 1024 * 1024, DEFAULT_MAX = 1024 * 1024 };

/* --exit-action: 0 nothing to do; 10 and up, one code per action. */
static const struct {
	const char *action;
	int status;
} action_status[] = {
	{ "none", 0 },
	{ "ignore", 0 },
	{ "suppress", 10 },
	{ "retry", 11 },
	{ "fix-sender", 12 },
	{ "fix-message", 13 },
	{ "review", 14 },
	{ "retry-then-suppress", 15 },
	{ "contact-recipient-admin", 16 },
};

int
explain_action_status(const char *action)
{
	size_t i;

	for (i = 0; action && i < sizeof(action_status) / sizeof(action_status[0]); i++)
		if (strcmp(action_status[i].action, action) == 0)
			return action_status[i].status;
	return 14; /* unknown: review */
}

struct out_state {
	char *json;
	size_t json_len, json_cap;
	int unknown; /* an input was not classified */
};

static int
emit(struct cli_out *o, struct out_state *os, const struct cat_analysis *an, const char *input,
     size_t len, unsigned long input_no, int json, int lines)
{
	size_t i;

	for (i = 0; i < an->n; i++) {
		const struct cat_diagnosis *d = &an->d[i];

		if (d->reason && strcmp(d->reason, "unknown") == 0)
			os->unknown = 1;
		if (json) {
			os->json_len = 0;
			if (cat_diagnosis_json(an, i, input, len, input_no, &os->json, &os->json_len,
					       &os->json_cap) != CAT_OK) {
				cli_error("out of memory");
				return -1;
			}
			fwrite(os->json, 1, os->json_len, o->f);
			fputc('\n', o->f);
		} else if (lines) {
			cli_print_diagnosis_line(o, input_no, d);
		} else {
			if (i)
				fputc('\n', o->f);
			cli_print_diagnosis(o, an, i, input, len);
		}
	}
	return 0;
}

/* Reads all of fd, at most max + 1 bytes. */
static char *
read_all(int fd, size_t max, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);

	while (buf) {
		ssize_t r;

		if (n == cap) {
			char *p;

			if (cap > max)
				break;
			cap *= 2;
			p = realloc(buf, cap);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max)
			break;
	}
	*len = n;
	return buf;
}

static int
explain_one(struct cat_analyzer *an_, const struct explain_opts *o, struct cli_out *out,
	    size_t max)
{
	struct out_state os = { 0 };
	struct cat_analysis *an = NULL;
	struct cat_error err;
	char *text = NULL;
	size_t len = 0, i;
	int rc = 2;

	if (o->n_args && !(o->n_args == 1 && strcmp(o->args[0], "-") == 0)) {
		for (i = 0; i < o->n_args; i++)
			len += strlen(o->args[i]) + 1;
		text = malloc(len + 1);
		if (!text) {
			cli_error("out of memory");
			return 2;
		}
		text[0] = '\0';
		for (i = 0; i < o->n_args; i++) {
			if (i)
				strcat(text, " ");
			strcat(text, o->args[i]);
		}
		len = strlen(text);
	} else {
		text = read_all(STDIN_FILENO, max, &len);
		if (!text) {
			cli_error("cannot read standard input: %s", strerror(errno));
			return 2;
		}
	}
	for (i = 0; i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' ||
				text[i] == '\t');
	     i++)
		;
	if (i == len) {
		cli_error("nothing to explain: the input is empty");
		goto out;
	}
	if (len > max) {
		cli_error("the input is larger than %zu bytes; raise --max-input, or use --lines "
			  "to read a log line by line",
			  max);
		goto out;
	}
	if (cat_analyze(an_, text, len, &an, &err) != CAT_OK) {
		cli_error("%s", err.msg);
		goto out;
	}
	if (emit(out, &os, an, text, len, 0, o->json, 0) != 0)
		goto out;
	if (o->exit_action)
		rc = an->n ? explain_action_status(an->d[0].action) : 14;
	else
		rc = os.unknown ? 1 : 0;
out:
	cat_analysis_free(an);
	free(os.json);
	free(text);
	return rc;
}

/* One stream, line by line. Returns 0, or -1 after an error. */
static int
explain_fd(struct cat_analyzer *an_, int fd, const char *name, const struct explain_opts *o,
	   struct cli_out *out, size_t max, unsigned long *line_no, struct out_state *os)
{
	/* a block holds any line up to the input limit whole */
	size_t block = max + 65536 > BLOCK ? max + 65536 : BLOCK;
	char *buf = malloc(block + 1);
	size_t have = 0, skipping = 0;
	int eof = 0, rc = 0;
	struct cat_error err;

	if (!buf) {
		cli_error("out of memory");
		return -1;
	}
	struct cat_analysis *an = NULL; /* reused for every line */

	while (!eof || have) {
		char *p = buf, *end, *nl;

		if (!eof && have < block) {
			ssize_t r = read(fd, buf + have, block - have);

			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0) {
				cli_error("%s: %s", name, strerror(errno));
				rc = -1;
				break;
			}
			if (r == 0)
				eof = 1;
			have += (size_t)r;
			if (r > 0 && have < block)
				continue;
		}
		end = buf + have;
		while (p < end) {
			size_t len;

			nl = memchr(p, '\n', (size_t)(end - p));
			if (!nl && !eof && (size_t)(end - p) < block)
				break; /* an incomplete line: read more */
			len = (size_t)((nl ? nl : end) - p);
			if (skipping) {
				/* the rest of a line longer than the block was dropped */
				if (nl)
					skipping = 0;
				p = nl ? nl + 1 : end;
				continue;
			}
			if (!nl && !eof)
				skipping = 1; /* longer than a block: analyze its start */
			if (len && p[len - 1] == '\r')
				len--;
			++*line_no;
			if (len > max) {
				cli_error("%s: line %lu is longer than %zu bytes: only its start is analyzed",
					  name, *line_no, max);
				len = max;
			}
			if (cat_analyze(an_, p, len, &an, &err) != CAT_OK) {
				cli_error("%s: line %lu: %s", name, *line_no, err.msg);
				rc = -1;
			} else if (emit(out, os, an, p, len, *line_no, o->json, 1) != 0) {
				rc = -1;
			}
			if (rc)
				break;
			p = nl ? nl + 1 : end;
		}
		if (rc)
			break;
		memmove(buf, p, (size_t)(end - p));
		have = (size_t)(end - p);
		if (eof && have == 0)
			break;
	}
	cat_analysis_free(an);
	free(buf);
	return rc;
}

int
explain_run(struct catalog *cat, const struct explain_opts *o, struct cli_out *out)
{
	struct cat_analyzer *an = NULL;
	struct out_state os = { 0 };
	struct cat_error err;
	size_t max = o->max_input ? o->max_input : DEFAULT_MAX;
	unsigned long line_no = 0;
	int rc = 2;
	size_t i;

	if (cat_analyzer_new(cat, &an, &err) != CAT_OK) {
		cli_error("%s", err.msg);
		return 2;
	}
	cat_analyzer_set_max_input(an, max);
	if (!o->lines) {
		rc = explain_one(an, o, out, max);
		goto out;
	}
	rc = 0;
	if (o->n_args == 0) {
		if (explain_fd(an, STDIN_FILENO, "standard input", o, out, max, &line_no, &os))
			rc = 2;
	}
	for (i = 0; i < o->n_args && rc == 0; i++) {
		int fd = strcmp(o->args[i], "-") == 0 ? STDIN_FILENO : open(o->args[i], O_RDONLY);

		if (fd < 0) {
			cli_error("%s: %s", o->args[i], strerror(errno));
			rc = 2;
			break;
		}
		if (explain_fd(an, fd, o->args[i], o, out, max, &line_no, &os))
			rc = 2;
		if (fd != STDIN_FILENO)
			close(fd);
	}
	/* a batch succeeds when every line was read, classified or not */
out:
	free(os.json);
	cat_analyzer_free(an);
	return rc;
}
