/* suppress.c: bounce scan's records: the --state history, the --suppress file, --why and --merge. */
#include "suppress.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

struct suppress {
	const struct suppress_opts *o;
	struct cat_state *st;
	int ended;
};

int
suppress_set_option(struct suppress_opts *o, const char *name, const char *val)
{
	char *end;
	unsigned long v;

	if (strcmp(name, "--suppress") == 0) {
		o->suppress = val;
	} else if (strcmp(name, "--state") == 0) {
		o->state = val;
	} else if (strcmp(name, "--why") == 0) {
		o->why = val;
	} else if (strcmp(name, "--soft-limit") == 0) {
		errno = 0;
		v = strtoul(val, &end, 10);
		if (errno || end == val || *end || *val == '-' || v < 1 || v > 1000)
			return -1;
		o->soft_limit = (unsigned)v;
	} else {
		return 0;
	}
	return 1;
}

int
suppress_is_command(const struct suppress_opts *o)
{
	return o->why || o->merge;
}

/* Whether the list can be written where --suppress says, asked before the
 * scan rather than found out after it: an existing path must be a regular
 * file, and its directory one we may create the temporary file in. */
static int
list_writable(const char *path)
{
	struct stat sb;
	const char *slash = strrchr(path, '/');
	char *dir;
	int ok;

	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		cli_error("%s: not a regular file", path);
		return 0;
	}
	dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	if (!dir) {
		cli_error("out of memory");
		return 0;
	}
	ok = access(dir, W_OK | X_OK) == 0;
	if (!ok)
		cli_error("%s: %s", dir, strerror(errno));
	free(dir);
	return ok;
}

int
suppress_check(const struct suppress_opts *o, int follow)
{
	(void)follow;
	if (o->soft_limit && !o->suppress && !o->state) {
		cli_error("--soft-limit goes with --suppress, --state or --why");
		return -1;
	}
	if (o->suppress && !list_writable(o->suppress))
		return -1;
	return 0;
}

/* ------------------------------------------------------------ the run */

int
suppress_begin(struct suppress **out, struct catalog *cat, const struct suppress_opts *o)
{
	struct suppress *s;
	struct cat_error err;

	*out = NULL;
	if (!o->suppress && !o->state)
		return 0;
	s = calloc(1, sizeof(*s));
	if (!s) {
		cli_error("out of memory");
		return -1;
	}
	s->o = o;
	if (cat_state_open(&s->st, o->state, CAT_STATE_CREATE, cat, &err) != CAT_OK ||
	    cat_state_begin(s->st, (int64_t)time(NULL), &err) != CAT_OK) {
		cli_error("%s", err.msg);
		suppress_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

int
suppress_add(struct suppress *s, const struct cat_scan_event *ev, const char *text, size_t len)
{
	struct cat_error err;

	if (!s)
		return 0;
	if (cat_state_add_event(s->st, ev, text, len, NULL, &err) != CAT_OK) {
		cli_error("%s", err.msg);
		return -1;
	}
	return 0;
}

/* The mode a new list gets: the old file's, else what the umask allows. */
static mode_t
list_mode(const char *path)
{
	struct stat sb;
	mode_t m;

	if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
		return sb.st_mode & 07777;
	m = umask(0);
	umask(m);
	return 0666 & ~m;
}

/* The list, one address a line, written to a temporary file in the same
 * directory and renamed over `path`: a reader (the mailer about to send)
 * sees the old list or the new one, never half of one. */
static int
write_list(const char *path, char *const *addrs, size_t n)
{
	size_t len = strlen(path), i;
	char *tmp = malloc(len + sizeof(".tmpXXXXXX"));
	FILE *f = NULL;
	int fd = -1, rc = -1, made = 0;

	if (!tmp) {
		cli_error("out of memory");
		return -1;
	}
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".tmpXXXXXX", sizeof(".tmpXXXXXX"));
	fd = mkstemp(tmp);
	if (fd < 0) {
		cli_error("%s: %s", path, strerror(errno));
		goto out;
	}
	made = 1;
	if (fchmod(fd, list_mode(path)) != 0 || !(f = fdopen(fd, "w"))) {
		cli_error("%s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	for (i = 0; i < n; i++) {
		fputs(addrs[i], f);
		fputc('\n', f);
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		cli_error("%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (fclose(f) != 0) {
		f = NULL;
		cli_error("%s: %s", tmp, strerror(errno));
		goto out;
	}
	f = NULL;
	if (rename(tmp, path) != 0) {
		cli_error("%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (rc != 0 && made)
		unlink(tmp);
	free(tmp);
	return rc;
}

static int
write_suppressed(struct cat_state *st, const struct suppress_opts *o)
{
	struct cat_error err;
	char **addrs = NULL;
	size_t n = 0;
	int rc;

	if (!o->suppress)
		return 0;
	if (cat_state_suppressed(st, o->soft_limit, &addrs, &n, &err) != CAT_OK) {
		cli_error("%s", err.msg);
		return -1;
	}
	rc = write_list(o->suppress, addrs, n);
	cat_free(addrs);
	return rc;
}

int
suppress_end(struct suppress *s)
{
	struct cat_error err;

	if (!s)
		return 0;
	if (cat_state_commit(s->st, &err) != CAT_OK) {
		cli_error("%s", err.msg);
		return -1;
	}
	s->ended = 1;
	return write_suppressed(s->st, s->o);
}

void
suppress_free(struct suppress *s)
{
	if (!s)
		return;
	cat_state_close(s->st); /* rolls back a run not committed */
	free(s);
}

/* ------------------------------------------------------------ --why */

static const char *
verdict_text(const struct cat_state_verdict *v, char *buf, size_t size)
{
	switch (v->rule) {
	case CAT_RULE_COMPLAINT:
		snprintf(buf, size, "suppressed: the recipient complained (a feedback report); "
				    "no delivery lifts that");
		break;
	case CAT_RULE_HARD:
		snprintf(buf, size, "suppressed: a hard bounce since the last delivery");
		break;
	case CAT_RULE_SOFT:
		snprintf(buf, size, "%s: %u send%s given up on for a soft reason since the last delivery "
			 "(limit %u)",
			 v->suppressed ? "suppressed" : "kept", v->soft_sends, v->soft_sends == 1 ? "" : "s",
			 v->soft_limit);
		break;
	case CAT_RULE_DELIVERED:
		if (v->lapsed)
			snprintf(buf, size, "kept: delivered since its failures (%u lapsed)", v->lapsed);
		else
			snprintf(buf, size, "kept: delivered, no failure since");
		break;
	case CAT_RULE_BLOCK:
		snprintf(buf, size, "kept: its failures are blocks (the sender's or the message's "
				    "problem), which never suppress");
		break;
	case CAT_RULE_REFUSAL:
		snprintf(buf, size, "kept: only refusals by our own server, which never suppress");
		break;
	case CAT_RULE_DEFERRED:
		snprintf(buf, size, "kept: only deferrals; a send still being retried does not count");
		break;
	case CAT_RULE_OTHER:
		snprintf(buf, size, "kept: its failures are of reasons the catalog does not suppress for");
		break;
	default:
		snprintf(buf, size, "kept: nothing recorded");
		break;
	}
	return buf;
}

/* The columns of an event line: time, host and queue id, outcome, rule,
 * codes, reason. */
enum { COLS = 6 };

static void
event_cols(const struct cat_state_event *e, char col[COLS][256])
{
	snprintf(col[0], 256, "%s", *e->time ? e->time : "(no time stamp)");
	snprintf(col[1], 256, "%s%s%s", e->host, *e->host ? " " : "", e->queue_id);
	snprintf(col[2], 256, "%s", *e->outcome ? e->outcome : "-");
	snprintf(col[3], 256, "%s", cat_rule_name(e->rule) ? cat_rule_name(e->rule) : "-");
	if (e->reply && e->enhanced)
		snprintf(col[4], 256, "%d %s", e->reply, e->enhanced);
	else if (e->reply)
		snprintf(col[4], 256, "%d", e->reply);
	else
		snprintf(col[4], 256, "%s", e->enhanced ? e->enhanced : "-");
	snprintf(col[5], 256, "%s", e->reason ? e->reason : "-");
}

static void
print_why(FILE *f, const struct cat_state_why *w)
{
	char line[2048], col[COLS][256];
	size_t width[COLS] = { 0 }, i, k, n;

	fputs("Address:  ", f);
	cli_put_line(f, w->recipient);
	fprintf(f, "Verdict:  %s\n", verdict_text(&w->verdict, line, sizeof(line)));
	if (!w->n)
		return;
	fprintf(f, "Events:   %zu, oldest first; * marks what the verdict counts\n", w->n);
	for (i = 0; i < w->n; i++) {
		event_cols(&w->events[i], col);
		for (k = 0; k < COLS; k++)
			if (strlen(col[k]) > width[k])
				width[k] = strlen(col[k]);
	}
	for (i = 0; i < w->n; i++) {
		event_cols(&w->events[i], col);
		n = (size_t)snprintf(line, sizeof(line), "  %c", w->events[i].counts ? '*' : ' ');
		for (k = 0; k < COLS && n < sizeof(line); k++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, k ? "  %-*s" : " %-*s",
					      k + 1 < COLS ? (int)width[k] : 0, col[k]);
		cli_put_line(f, line);
	}
}

static int
why(struct catalog *cat, const struct suppress_opts *o, int json, struct cli_out *out)
{
	struct cat_state *st = NULL;
	struct cat_state_why *w = NULL;
	struct cat_error err;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = 2;

	if (cat_state_open(&st, o->state, CAT_STATE_READ, cat, &err) != CAT_OK ||
	    cat_state_why(st, o->why, o->soft_limit, &w, &err) != CAT_OK) {
		cli_error("%s", err.msg);
		goto out;
	}
	if (json) {
		if (cat_state_why_json(w, &buf, &len, &cap) != CAT_OK) {
			cli_error("out of memory");
			goto out;
		}
		fwrite(buf, 1, len, out->f);
	} else {
		print_why(out->f, w);
	}
	rc = w->n ? 0 : 1;
out:
	free(buf);
	cat_state_why_free(w);
	cat_state_close(st);
	return rc;
}

/* ------------------------------------------------------------ --merge */

static int
merge(const struct suppress_opts *o, char **files, size_t n, struct cli_out *out)
{
	struct cat_state *st = NULL;
	struct cat_state_counts c;
	struct cat_error err;
	char line[4300];
	size_t i;
	int rc = 2;

	if (cat_state_open(&st, o->state, CAT_STATE_CREATE, NULL, &err) != CAT_OK) {
		cli_error("%s", err.msg);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (cat_state_merge(st, files[i], (int64_t)time(NULL), &err) != CAT_OK) {
			cli_error("%s", err.msg);
			goto out;
		}
		cat_state_counts(st, &c);
		snprintf(line, sizeof(line), "%s: %llu events, %llu new", files[i],
			 (unsigned long long)c.offered, (unsigned long long)c.recorded);
		cli_put_line(out->f, line);
	}
	if (write_suppressed(st, o) != 0)
		goto out;
	rc = 0;
out:
	cat_state_close(st);
	return rc;
}

int
suppress_command(struct catalog *cat, const struct suppress_opts *o, int json, char **args,
		 size_t n_args, struct cli_out *out)
{
	if (o->why && o->merge) {
		cli_error("--why and --merge are two commands: give one");
		return 2;
	}
	if (!o->state) {
		cli_error("%s needs --state FILE", o->why ? "--why" : "--merge");
		return 2;
	}
	if (o->why) {
		if (n_args || o->suppress) {
			cli_error("--why reads the state only: no files, no --suppress");
			return 2;
		}
		return why(cat, o, json, out);
	}
	if (o->suppress && !list_writable(o->suppress))
		return 2;
	if (!n_args) {
		cli_error("--merge needs the state files to merge: bounce scan --merge A.db B.db "
			  "--state ALL.db");
		return 2;
	}
	if (json) {
		cli_error("--merge has no --json output");
		return 2;
	}
	return merge(o, args, n_args, out);
}
