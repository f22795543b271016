/* test_scan_state.c: bounce scan's state: the suppression rules, idempotence, whole runs, merge, why;
 * and a delivered line's key made in another thread. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bounce/catalog.h"
#include "check.h"

/* The run's clock: 2026-12-05 12:00:00 UTC, after every stamp below. */
#define NOW INT64_C(1796472000)

static struct catalog *cat;
static struct cat_analyzer *az;
static char dir[4096];

/* A Postfix smtp(8) line of host mx1 at 05:MM:SS. */
static char *
pf(char *buf, size_t size, const char *hms, const char *qid, const char *rcpt, const char *dsn,
   const char *status, const char *reply)
{
	snprintf(buf, size,
		 "Dec  5 %s mx1 postfix/smtp[1234]: %s: to=<%s>, relay=mx.example.com[192.0.2.10]:25, "
		 "delay=1, delays=0/0/0/1, dsn=%s, status=%s (%s)",
		 hms, qid, rcpt, dsn, status, reply);
	return buf;
}

/* Analyzes `text` and records every diagnosis in the open run. */
static int
feed(struct cat_state *st, const char *text, enum cat_rule *last)
{
	struct cat_analysis *an = NULL;
	struct cat_error err;
	size_t i;
	int ok = 1;

	if (cat_analyze(az, text, strlen(text), &an, &err) != CAT_OK) {
		fprintf(stderr, "analyze: %s\n", err.msg);
		return 0;
	}
	for (i = 0; i < an->n; i++)
		if (cat_state_add(st, &an->d[i], text, strlen(text), last, &err) != CAT_OK) {
			fprintf(stderr, "add: %s\n", err.msg);
			ok = 0;
		}
	cat_analysis_free(an);
	return ok;
}

/* One run of lines into a state. */
static int
run(struct cat_state *st, const char *const *lines, size_t n)
{
	struct cat_error err;
	size_t i;
	int ok = cat_state_begin(st, NOW, &err) == CAT_OK;

	for (i = 0; ok && i < n; i++)
		ok = feed(st, lines[i], NULL);
	if (ok)
		ok = cat_state_commit(st, &err) == CAT_OK;
	if (!ok)
		fprintf(stderr, "run: %s\n", err.msg);
	return ok;
}

static struct cat_state *
temp_state(void)
{
	struct cat_state *st = NULL;
	struct cat_error err;

	if (cat_state_open(&st, NULL, CAT_STATE_CREATE, cat, &err) != CAT_OK)
		fprintf(stderr, "open: %s\n", err.msg);
	return st;
}

static int
verdict(struct cat_state *st, const char *addr, unsigned limit, struct cat_state_verdict *v)
{
	struct cat_state_why *w = NULL;
	struct cat_error err;

	if (cat_state_why(st, addr, limit, &w, &err) != CAT_OK) {
		fprintf(stderr, "why: %s\n", err.msg);
		return 0;
	}
	*v = w->verdict;
	cat_state_why_free(w);
	return 1;
}

/* The suppression list as one string, an address a line. */
static char *
listed(struct cat_state *st, unsigned limit)
{
	static char out[4096];
	struct cat_error err;
	char **a = NULL;
	size_t n = 0, i;

	out[0] = 0;
	if (cat_state_suppressed(st, limit, &a, &n, &err) != CAT_OK) {
		snprintf(out, sizeof(out), "error: %s", err.msg);
		return out;
	}
	for (i = 0; i < n; i++) {
		strncat(out, a[i], sizeof(out) - strlen(out) - 2);
		strcat(out, "\n");
	}
	cat_free(a);
	return out;
}

static char *
path_of(const char *name)
{
	static char p[4][4200];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

#define USER_UNKNOWN "host mx.example.com[192.0.2.10] said: 550 5.1.1 <%s>: Recipient address " \
		     "rejected: User unknown in local recipient table (in reply to RCPT TO command)"
#define FULL "host mx.example.com[192.0.2.10] said: 552 5.2.2 Mailbox full (in reply to RCPT TO command)"
#define FULL_T "host mx.example.com[192.0.2.10] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command)"
#define SENT "250 2.0.0 Ok: queued as 9F00A1"

static void
test_usage(void)
{
	struct cat_state *st = NULL;
	struct cat_state_why *w = NULL;
	struct cat_diagnosis d;
	struct cat_error err;

	CHECK_CASE("NULL and empty arguments");
	memset(&d, 0, sizeof(d));
	CHECK_INT_EQ(cat_state_open(NULL, NULL, CAT_STATE_CREATE, cat, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_state_open(&st, NULL, CAT_STATE_READ, cat, &err), CAT_EUSAGE);
	CHECK(st == NULL);
	cat_state_close(NULL);
	cat_state_why_free(NULL);
	CHECK(cat_rule_name(CAT_RULE_NONE) == NULL);
	CHECK_STR_EQ(cat_rule_name(CAT_RULE_SOFT), "soft");
	CHECK(cat_rule_name(CAT_RULE_COUNT) == NULL);
	CHECK_INT_EQ(cat_outcome_class(NULL), CAT_CLASS_NONE);
	CHECK_INT_EQ(cat_outcome_class("expired"), CAT_CLASS_PERMANENT);
	CHECK_INT_EQ(cat_outcome_class("deferred"), CAT_CLASS_TRANSIENT);
	CHECK_INT_EQ(cat_outcome_class("sent"), CAT_CLASS_SUCCESS);
	CHECK_INT_EQ(cat_outcome_class("warned"), CAT_CLASS_NONE);
	st = temp_state();
	if (!CHECK(st != NULL))
		return;
	CHECK_INT_EQ(cat_state_add(st, &d, NULL, 0, NULL, &err), CAT_ESTATE);
	CHECK_INT_EQ(cat_state_commit(st, &err), CAT_ESTATE);
	CHECK_INT_EQ(cat_state_why(st, "", 0, &w, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_state_why(st, NULL, 0, &w, &err), CAT_EUSAGE);
	CHECK_INT_EQ(cat_state_begin(st, NOW, &err), CAT_OK);
	CHECK_INT_EQ(cat_state_begin(st, NOW, &err), CAT_ESTATE);
	/* a diagnosis without a recipient is offered but not recorded */
	CHECK_INT_EQ(cat_state_add(st, &d, NULL, 0, NULL, &err), CAT_OK);
	CHECK_INT_EQ(cat_state_commit(st, &err), CAT_OK);
	CHECK_STR_EQ(listed(st, 0), "");
	CHECK_INT_EQ(cat_state_why(st, "nobody@example.com", 0, &w, &err), CAT_OK);
	if (CHECK(w != NULL)) {
		CHECK_INT_EQ(w->n, 0);
		CHECK_INT_EQ(w->verdict.rule, CAT_RULE_NONE);
		CHECK_INT_EQ(w->verdict.suppressed, 0);
	}
	cat_state_why_free(w);
	cat_state_close(st);
}

static void
test_hard(void)
{
	char l[1024], r[256];
	struct cat_state *st = temp_state();
	struct cat_state_verdict v;
	const char *lines[1];

	CHECK_CASE("hard: a 550 5.1.1 suppresses at once");
	if (!CHECK(st != NULL))
		return;
	snprintf(r, sizeof(r), USER_UNKNOWN, "gone@example.com");
	lines[0] = pf(l, sizeof(l), "05:00:01", "4A0001", "Gone@Example.com", "5.1.1", "bounced", r);
	CHECK(run(st, lines, 1));
	CHECK_STR_EQ(listed(st, 0), "gone@example.com\n");
	if (CHECK(verdict(st, "GONE@example.com", 0, &v))) {
		CHECK_INT_EQ(v.suppressed, 1);
		CHECK_INT_EQ(v.rule, CAT_RULE_HARD);
		CHECK_INT_EQ(v.hard, 1);
	}
	cat_state_close(st);
}

static const char arf[] =
	"From: feedback@example.net\r\n"
	"To: abuse@example.org\r\n"
	"Subject: complaint report\r\n"
	"MIME-Version: 1.0\r\n"
	"Content-Type: multipart/report; report-type=feedback-report; boundary=\"b1\"\r\n"
	"\r\n"
	"--b1\r\n"
	"Content-Type: text/plain\r\n"
	"\r\n"
	"A person reported a message from 192.0.2.30 as spam.\r\n"
	"\r\n"
	"--b1\r\n"
	"Content-Type: message/feedback-report\r\n"
	"\r\n"
	"Feedback-Type: abuse\r\n"
	"User-Agent: ExampleFBL/1.0\r\n"
	"Version: 1\r\n"
	"Original-Mail-From: <news@example.org>\r\n"
	"Original-Rcpt-To: <reader@example.net>\r\n"
	"Source-IP: 192.0.2.30\r\n"
	"\r\n"
	"--b1\r\n"
	"Content-Type: text/rfc822-headers\r\n"
	"\r\n"
	"From: news@example.org\r\n"
	"To: reader@example.net\r\n"
	"Subject: Weekly news\r\n"
	"\r\n"
	"--b1--\r\n";

static const char jmrp[] =
	"From: staff@example.com\n"
	"To: fbl@example.org\n"
	"Subject: complaint about message from 192.0.2.30\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/mixed; boundary=\"j1\"\n"
	"\n"
	"--j1\n"
	"Content-Type: text/plain\n"
	"\n"
	"A user marked this message as junk.\n"
	"\n"
	"--j1\n"
	"Content-Type: message/rfc822\n"
	"\n"
	"X-HmXmrOriginalRecipient: <junker@example.com>\n"
	"From: news@example.org\n"
	"To: junker@example.com\n"
	"Subject: Weekly news\n"
	"\n"
	"Hello.\n"
	"--j1--\n";

static void
test_complaint(void)
{
	char l[1024];
	struct cat_state *st = temp_state();
	struct cat_state_verdict v;
	const char *lines[3];

	CHECK_CASE("complaint: ARF and JMRP suppress at once, a later delivery does not lift it");
	if (!CHECK(st != NULL))
		return;
	lines[0] = arf;
	lines[1] = jmrp;
	/* the complaint's message has no time stamp: it is dated at the run,
	 * so this delivery is made earlier; one of the next day follows */
	lines[2] = pf(l, sizeof(l), "05:00:01", "4A0002", "reader@example.net", "2.0.0", "sent", SENT);
	CHECK(run(st, lines, 3));
	CHECK_STR_EQ(listed(st, 0), "junker@example.com\nreader@example.net\n");
	if (CHECK(verdict(st, "reader@example.net", 0, &v))) {
		CHECK_INT_EQ(v.rule, CAT_RULE_COMPLAINT);
		CHECK_INT_EQ(v.has_delivery, 1);
	}
	cat_state_close(st);
}

static void
test_soft(void)
{
	char l[6][1024];
	struct cat_state *st = temp_state();
	struct cat_state_verdict v;
	const char *lines[6];

	CHECK_CASE("soft: suppressed after 3 distinct sends given up on, not before");
	if (!CHECK(st != NULL))
		return;
	/* one send bounced twice (two hosts' relays) and deferred: one send */
	lines[0] = pf(l[0], 1024, "05:00:01", "4B0001", "full@example.com", "4.2.2", "deferred", FULL_T);
	lines[1] = pf(l[1], 1024, "05:10:01", "4B0001", "full@example.com", "5.2.2", "bounced", FULL);
	lines[2] = pf(l[2], 1024, "05:20:01", "4B0002", "full@example.com", "5.2.2", "bounced", FULL);
	CHECK(run(st, lines, 3));
	CHECK_STR_EQ(listed(st, 0), "");
	if (CHECK(verdict(st, "full@example.com", 0, &v))) {
		CHECK_INT_EQ(v.suppressed, 0);
		CHECK_INT_EQ(v.rule, CAT_RULE_SOFT);
		CHECK_INT_EQ(v.soft_sends, 2);
		CHECK_INT_EQ(v.deferrals, 1);
	}
	/* a lower limit suppresses on the same events */
	CHECK_STR_EQ(listed(st, 2), "full@example.com\n");
	/* deferrals of other sends are not failures yet */
	lines[0] = pf(l[0], 1024, "06:00:01", "4B0003", "full@example.com", "4.2.2", "deferred", FULL_T);
	lines[1] = pf(l[1], 1024, "06:00:02", "4B0004", "full@example.com", "4.2.2", "deferred", FULL_T);
	CHECK(run(st, lines, 2));
	CHECK_STR_EQ(listed(st, 0), "");
	/* the third send given up on: it expired with the mailbox still full */
	lines[0] = pf(l[0], 1024, "07:00:01", "4B0003", "full@example.com", "4.2.2",
		      "expired, returned to sender", FULL_T);
	CHECK(run(st, lines, 1));
	CHECK_STR_EQ(listed(st, 0), "full@example.com\n");
	if (CHECK(verdict(st, "full@example.com", 0, &v))) {
		CHECK_INT_EQ(v.suppressed, 1);
		CHECK_INT_EQ(v.rule, CAT_RULE_SOFT);
		CHECK_INT_EQ(v.soft_sends, 3);
	}
	CHECK_STR_EQ(listed(st, 4), "");
	cat_state_close(st);
}

static void
test_reset(void)
{
	char l[6][1024], r[256];
	struct cat_state *st = temp_state();
	struct cat_state_verdict v;
	const char *lines[6];

	CHECK_CASE("a delivery resets: soft failures and a hard one before it lapse");
	if (!CHECK(st != NULL))
		return;
	snprintf(r, sizeof(r), USER_UNKNOWN, "back@example.com");
	lines[0] = pf(l[0], 1024, "05:00:01", "4C0001", "full@example.com", "5.2.2", "bounced", FULL);
	lines[1] = pf(l[1], 1024, "05:00:02", "4C0002", "full@example.com", "5.2.2", "bounced", FULL);
	lines[2] = pf(l[2], 1024, "05:00:03", "4C0003", "full@example.com", "2.0.0", "sent", SENT);
	lines[3] = pf(l[3], 1024, "05:00:04", "4C0004", "full@example.com", "5.2.2", "bounced", FULL);
	lines[4] = pf(l[4], 1024, "05:00:05", "4C0005", "back@example.com", "5.1.1", "bounced", r);
	lines[5] = pf(l[5], 1024, "05:00:06", "4C0006", "back@example.com", "2.0.0", "sent", SENT);
	CHECK(run(st, lines, 6));
	CHECK_STR_EQ(listed(st, 0), "");
	if (CHECK(verdict(st, "full@example.com", 0, &v))) {
		CHECK_INT_EQ(v.soft_sends, 1);
		CHECK_INT_EQ(v.lapsed, 2);
		CHECK_INT_EQ(v.rule, CAT_RULE_SOFT);
	}
	if (CHECK(verdict(st, "back@example.com", 0, &v))) {
		CHECK_INT_EQ(v.suppressed, 0);
		CHECK_INT_EQ(v.rule, CAT_RULE_DELIVERED);
		CHECK_INT_EQ(v.lapsed, 1);
	}
	/* without the delivery the same four failures of full@ suppress */
	CHECK_STR_EQ(listed(st, 1), "full@example.com\n");
	cat_state_close(st);
}

static void
test_block(void)
{
	char l[8][1024];
	struct cat_state *st = temp_state();
	struct cat_state_verdict v;
	const char *lines[8];
	enum cat_rule rule = CAT_RULE_NONE;
	struct cat_error err;
	size_t i;

	CHECK_CASE("block: authentication, spam, blocklists and rate limits never suppress");
	if (!CHECK(st != NULL))
		return;
	for (i = 0; i < 3; i++) {
		char q[16], t[16];

		snprintf(q, sizeof(q), "4D000%zu", i);
		snprintf(t, sizeof(t), "05:00:0%zu", i);
		lines[i] = pf(l[i], 1024, t, q, "alice@gmail.com", "5.7.26", "bounced",
			      "host gmail-smtp-in.l.google.com[192.0.2.20] said: 550-5.7.26 This mail is "
			      "unauthenticated, which poses a security risk to the sender and Gmail users, "
			      "and has been blocked. (in reply to end of DATA command)");
	}
	for (i = 3; i < 6; i++) {
		char q[16], t[16];

		snprintf(q, sizeof(q), "4D000%zu", i);
		snprintf(t, sizeof(t), "05:00:0%zu", i);
		lines[i] = pf(l[i], 1024, t, q, "spam@example.com", "5.7.1", "bounced",
			      "host mx.example.com[192.0.2.10] said: 554 5.7.1 Message rejected as spam "
			      "(in reply to end of DATA command)");
	}
	lines[6] = pf(l[6], 1024, "05:00:07", "4D0007", "bl@example.com", "4.7.1",
		      "expired, returned to sender",
		      "host mx.example.com[192.0.2.10] said: 450 4.7.1 Service unavailable; Client host "
		      "[198.51.100.7] blocked using zen.spamhaus.org (in reply to RCPT TO command)");
	lines[7] = pf(l[7], 1024, "05:00:08", "4D0008", "rate@example.com", "4.7.0",
		      "expired, returned to sender",
		      "host mx.example.com[192.0.2.10] said: 421 4.7.0 Too many messages from your IP, "
		      "try again later");
	CHECK(run(st, lines, 6));
	CHECK_STR_EQ(listed(st, 1), "");
	if (CHECK(verdict(st, "alice@gmail.com", 1, &v))) {
		CHECK_INT_EQ(v.suppressed, 0);
		CHECK_INT_EQ(v.rule, CAT_RULE_BLOCK);
		CHECK_INT_EQ(v.blocks, 3);
	}
	if (CHECK(verdict(st, "spam@example.com", 1, &v)))
		CHECK_INT_EQ(v.rule, CAT_RULE_BLOCK);
	/* a transient blocklisting is typed soft, but its reason is block-type */
	if (CHECK_INT_EQ(cat_state_begin(st, NOW, &err), CAT_OK)) {
		CHECK(feed(st, lines[6], &rule));
		CHECK_INT_EQ(rule, CAT_RULE_BLOCK);
		/* a rate limit is soft, and the catalog never suppresses for it */
		CHECK(feed(st, lines[7], &rule));
		CHECK_INT_EQ(rule, CAT_RULE_OTHER);
		CHECK_INT_EQ(cat_state_commit(st, &err), CAT_OK);
	}
	CHECK_STR_EQ(listed(st, 1), "");
	cat_state_close(st);
}

static void
test_refusal(void)
{
	struct cat_state *st = temp_state();
	struct cat_state_verdict v;
	enum cat_rule rule = CAT_RULE_NONE;
	struct cat_error err;

	CHECK_CASE("refusal: our server's rejection of a client never suppresses our user");
	if (!CHECK(st != NULL))
		return;
	if (CHECK_INT_EQ(cat_state_begin(st, NOW, &err), CAT_OK)) {
		CHECK(feed(st,
			   "Dec  5 05:00:06 mx1 postfix/smtpd[999]: NOQUEUE: reject: RCPT from "
			   "unknown[203.0.113.5]: 550 5.1.1 <nobody@example.org>: Recipient address "
			   "rejected: User unknown in local recipient table; from=<x@example.net> "
			   "to=<nobody@example.org> proto=ESMTP helo=<client.example.net>",
			   &rule));
		CHECK_INT_EQ(rule, CAT_RULE_REFUSAL);
		CHECK_INT_EQ(cat_state_commit(st, &err), CAT_OK);
	}
	CHECK_STR_EQ(listed(st, 1), "");
	if (CHECK(verdict(st, "nobody@example.org", 1, &v))) {
		CHECK_INT_EQ(v.rule, CAT_RULE_REFUSAL);
		CHECK_INT_EQ(v.refusals, 1);
	}
	cat_state_close(st);
}

/* A log of every rule, scanned twice into one file. */
static void
test_idempotent(void)
{
	char l[5][1024], r[256], first[4096];
	struct cat_state *st = NULL;
	struct cat_state_counts c;
	struct cat_state_totals t1, t2;
	struct cat_error err;
	const char *lines[7];

	CHECK_CASE("the same log twice changes nothing");
	snprintf(r, sizeof(r), USER_UNKNOWN, "gone@example.com");
	lines[0] = pf(l[0], 1024, "05:00:01", "4E0001", "gone@example.com", "5.1.1", "bounced", r);
	lines[1] = pf(l[1], 1024, "05:00:02", "4E0002", "full@example.com", "5.2.2", "bounced", FULL);
	lines[2] = pf(l[2], 1024, "05:00:03", "4E0003", "full@example.com", "5.2.2", "bounced", FULL);
	lines[3] = pf(l[3], 1024, "05:00:04", "4E0004", "full@example.com", "5.2.2", "bounced", FULL);
	lines[4] = pf(l[4], 1024, "05:00:05", "4E0005", "ok@example.com", "2.0.0", "sent", SENT);
	lines[5] = arf;
	lines[6] = jmrp;
	if (!CHECK_INT_EQ(cat_state_open(&st, path_of("twice.db"), CAT_STATE_CREATE, cat, &err),
			  CAT_OK))
		return;
	CHECK(run(st, lines, 7));
	cat_state_counts(st, &c);
	CHECK_INT_EQ(c.offered, 7);
	CHECK_INT_EQ(c.recorded, 7);
	CHECK_INT_EQ(c.known, 0);
	CHECK_INT_EQ(cat_state_totals(st, &t1, &err), CAT_OK);
	snprintf(first, sizeof(first), "%s", listed(st, 0));
	CHECK_STR_EQ(first, "full@example.com\ngone@example.com\njunker@example.com\nreader@example.net\n");
	cat_state_close(st);
	st = NULL;
	/* a later run, in a new process's way: the file reopened */
	if (!CHECK_INT_EQ(cat_state_open(&st, path_of("twice.db"), CAT_STATE_CREATE, cat, &err),
			  CAT_OK))
		return;
	CHECK(run(st, lines, 7));
	cat_state_counts(st, &c);
	CHECK_INT_EQ(c.recorded, 0);
	CHECK_INT_EQ(c.known, 7);
	CHECK_INT_EQ(cat_state_totals(st, &t2, &err), CAT_OK);
	CHECK_INT_EQ(t2.events, t1.events);
	CHECK_INT_EQ(t2.recipients, t1.recipients);
	CHECK_INT_EQ(t2.runs, t1.runs + 1);
	CHECK_STR_EQ(listed(st, 0), first);
	cat_state_close(st);
}

static void
test_kill(void)
{
	char l[2][1024];
	struct cat_state *st = NULL;
	struct cat_state_totals t;
	struct cat_error err;
	const char *lines[2];
	pid_t pid;
	int status = 0;

	CHECK_CASE("kill -9 in a run: the database opens and holds the runs before it, whole");
	lines[0] = pf(l[0], 1024, "05:00:01", "4F0001", "full@example.com", "5.2.2", "bounced", FULL);
	lines[1] = pf(l[1], 1024, "05:00:02", "4F0002", "other@example.com", "5.2.2", "bounced", FULL);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		/* the child: one whole run, then one killed after an insert */
		if (cat_state_open(&st, path_of("killed.db"), CAT_STATE_CREATE, cat, &err) != CAT_OK ||
		    !run(st, lines, 1) || cat_state_begin(st, NOW, &err) != CAT_OK ||
		    !feed(st, lines[1], NULL))
			_exit(3);
		raise(SIGKILL);
		_exit(4);
	}
	if (!CHECK(pid > 0) || !CHECK(waitpid(pid, &status, 0) == pid))
		return;
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	if (!CHECK_INT_EQ(cat_state_open(&st, path_of("killed.db"), CAT_STATE_READ, cat, &err), CAT_OK))
		return;
	CHECK_INT_EQ(cat_state_totals(st, &t, &err), CAT_OK);
	CHECK_INT_EQ(t.runs, 1);
	CHECK_INT_EQ(t.events, 1);
	CHECK_INT_EQ(t.recipients, 1);
	cat_state_close(st);
	/* and the next run writes as usual */
	st = NULL;
	if (CHECK_INT_EQ(cat_state_open(&st, path_of("killed.db"), CAT_STATE_CREATE, cat, &err), CAT_OK)) {
		CHECK(run(st, lines, 2));
		CHECK_INT_EQ(cat_state_totals(st, &t, &err), CAT_OK);
		CHECK_INT_EQ(t.runs, 2);
		CHECK_INT_EQ(t.events, 2);
	}
	cat_state_close(st);
}

static void
test_merge(void)
{
	char l[4][1024];
	struct cat_state *a = NULL, *b = NULL, *all = NULL;
	struct cat_state_totals t, t2;
	struct cat_state_counts c;
	struct cat_error err;
	const char *lines[4];

	CHECK_CASE("merge: the union of two hosts' states, idempotent");
	/* host mx1 saw two sends fail, host mx2 a third: only the merged
	 * state reaches the limit; one event is in both files */
	lines[0] = pf(l[0], 1024, "05:00:01", "4G0001", "full@example.com", "5.2.2", "bounced", FULL);
	lines[1] = pf(l[1], 1024, "05:00:02", "4G0002", "full@example.com", "5.2.2", "bounced", FULL);
	snprintf(l[2], 1024,
		 "Dec  5 05:00:03 mx2 postfix/smtp[77]: 4G0001: to=<full@example.com>, "
		 "relay=mx.example.com[192.0.2.10]:25, delay=1, delays=0/0/0/1, dsn=5.2.2, "
		 "status=bounced (" FULL ")");
	lines[2] = l[2];
	if (!CHECK_INT_EQ(cat_state_open(&a, path_of("a.db"), CAT_STATE_CREATE, cat, &err), CAT_OK) ||
	    !CHECK_INT_EQ(cat_state_open(&b, path_of("b.db"), CAT_STATE_CREATE, cat, &err), CAT_OK))
		goto out;
	CHECK(run(a, lines, 2));
	CHECK(run(b, lines + 1, 2));
	CHECK_STR_EQ(listed(a, 0), "");
	CHECK_STR_EQ(listed(b, 0), "");
	cat_state_close(a);
	cat_state_close(b);
	a = b = NULL;
	if (!CHECK_INT_EQ(cat_state_open(&all, path_of("all.db"), CAT_STATE_CREATE, NULL, &err), CAT_OK))
		goto out;
	CHECK_INT_EQ(cat_state_merge(all, path_of("a.db"), NOW, &err), CAT_OK);
	cat_state_counts(all, &c);
	CHECK_INT_EQ(c.recorded, 2);
	CHECK_INT_EQ(cat_state_merge(all, path_of("b.db"), NOW, &err), CAT_OK);
	cat_state_counts(all, &c);
	CHECK_INT_EQ(c.offered, 2);
	CHECK_INT_EQ(c.recorded, 1);
	CHECK_INT_EQ(c.known, 1);
	CHECK_STR_EQ(listed(all, 0), "full@example.com\n");
	CHECK_INT_EQ(cat_state_totals(all, &t, &err), CAT_OK);
	CHECK_INT_EQ(t.events, 3);
	CHECK_INT_EQ(cat_state_merge(all, path_of("a.db"), NOW, &err), CAT_OK);
	CHECK_INT_EQ(cat_state_merge(all, path_of("b.db"), NOW, &err), CAT_OK);
	cat_state_counts(all, &c);
	CHECK_INT_EQ(c.recorded, 0);
	CHECK_INT_EQ(cat_state_totals(all, &t2, &err), CAT_OK);
	CHECK_INT_EQ(t2.events, t.events);
	CHECK_STR_EQ(listed(all, 0), "full@example.com\n");
	/* merging a file that is not a state changes nothing */
	CHECK_INT_EQ(cat_state_merge(all, path_of("missing.db"), NOW, &err), CAT_EIO);
	CHECK_INT_EQ(cat_state_merge(all, path_of("text.db"), NOW, &err), CAT_EIO);
	CHECK(strstr(err.msg, "not a bounce state database") != NULL);
	CHECK_INT_EQ(cat_state_totals(all, &t2, &err), CAT_OK);
	CHECK_INT_EQ(t2.events, t.events);
	CHECK_INT_EQ(t2.runs, t.runs + 2);
out:
	cat_state_close(a);
	cat_state_close(b);
	cat_state_close(all);
}

static void
test_why(void)
{
	char l[4][1024];
	struct cat_state *st = temp_state();
	struct cat_state_why *w = NULL;
	struct cat_error err;
	const char *lines[4];

	CHECK_CASE("why: the events in time order, what counts, the rule");
	if (!CHECK(st != NULL))
		return;
	/* given out of order: the stamps order them, whatever the form */
	snprintf(l[0], 1024,
		 "2026-12-05T06:00:00+01:00 mx2 postfix/smtp[77]: 4H0003: to=<full@example.com>, "
		 "relay=mx.example.com[192.0.2.10]:25, delay=1, delays=0/0/0/1, dsn=5.2.2, "
		 "status=bounced (" FULL ")");
	lines[0] = l[0];
	lines[1] = pf(l[1], 1024, "04:00:00", "4H0001", "full@example.com", "5.2.2", "bounced", FULL);
	lines[2] = pf(l[2], 1024, "04:30:00", "4H0002", "full@example.com", "2.0.0", "sent", SENT);
	snprintf(l[3], 1024,
		 "2026-12-05 05:30:00 1kXyZ1-000abc-AB ** full@example.com R=dnslookup T=remote_smtp "
		 "H=mx.example.com [192.0.2.10]: SMTP error from remote mail server after RCPT "
		 "TO:<full@example.com>: 552 5.2.2 Mailbox full");
	lines[3] = l[3];
	CHECK(run(st, lines, 4));
	if (!CHECK_INT_EQ(cat_state_why(st, "Full@Example.COM", 0, &w, &err), CAT_OK))
		goto out;
	CHECK_STR_EQ(w->recipient, "full@example.com");
	if (CHECK_INT_EQ(w->n, 4)) {
		CHECK_STR_EQ(w->events[0].queue_id, "4H0001");
		CHECK_INT_EQ(w->events[0].at, NOW - 8 * 3600);
		CHECK_INT_EQ(w->events[0].counts, 0);
		CHECK_STR_EQ(w->events[0].host, "mx1");
		CHECK_STR_EQ(w->events[0].reason, "mailbox_full");
		CHECK_INT_EQ(w->events[0].reply, 552);
		CHECK_STR_EQ(w->events[0].enhanced, "5.2.2");
		CHECK_STR_EQ(w->events[1].queue_id, "4H0002");
		CHECK_INT_EQ(w->events[1].rule, CAT_RULE_DELIVERED);
		CHECK_INT_EQ(w->events[1].counts, 1);
		CHECK_STR_EQ(w->events[2].queue_id, "4H0003");
		CHECK_INT_EQ(w->events[2].at, NOW - 7 * 3600);
		CHECK_INT_EQ(w->events[2].counts, 1);
		CHECK_STR_EQ(w->events[3].queue_id, "1kXyZ1-000abc-AB");
		CHECK_INT_EQ(w->events[3].at, NOW - 6 * 3600 - 1800);
		CHECK_INT_EQ(w->events[3].rule, CAT_RULE_SOFT);
		CHECK_STR_EQ(w->events[3].host, "");
	}
	CHECK_INT_EQ(w->verdict.soft_sends, 2);
	CHECK_INT_EQ(w->verdict.lapsed, 1);
	CHECK_INT_EQ(w->verdict.suppressed, 0);
	CHECK_INT_EQ(w->verdict.soft_limit, 3);
out:
	cat_state_why_free(w);
	cat_state_close(st);
}

static void
test_stamps(void)
{
	static const struct {
		const char *stamp;
		int64_t at;
	} cases[] = {
		/* syslog has no year: the run's, or the one before if that
		 * would put the stamp more than a day after the run */
		{ "Dec  6 11:00:00", NOW + 23 * 3600 },
		{ "Dec 31 23:00:00", INT64_C(1767222000) },
		{ "Jan  1 00:00:00", INT64_C(1767225600) },
		{ "2026-12-05T11:00:00Z", NOW - 3600 },
		{ "2026-12-05T13:30:00.5+02:30", NOW - 3600 },
		{ "2026-12-05 11:00:00 -0100", NOW },
		{ "@400000006b13fcca00000000", NOW },
	};
	char l[1024];
	struct cat_state *st = temp_state();
	struct cat_state_why *w = NULL;
	struct cat_error err;
	size_t i;

	if (!st)
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_CASE("the time of a stamp: %s", cases[i].stamp);
		if (cases[i].stamp[10] == ' ') /* Exim's own log */
			snprintf(l, sizeof(l),
				 "%s 1kXyZ2-000ab%zu-AB => t%zu@example.com R=dnslookup T=remote_smtp "
				 "H=mx.example.com [192.0.2.10] C=\"250 2.0.0 Ok\"",
				 cases[i].stamp, i, i);
		else
			snprintf(l, sizeof(l),
				 "%s mx1 postfix/smtp[1]: 4J000%zu: to=<t%zu@example.com>, relay="
				 "mx.example.com[192.0.2.10]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, "
				 "status=sent (" SENT ")",
				 cases[i].stamp, i, i);
		if (!CHECK_INT_EQ(cat_state_begin(st, NOW, &err), CAT_OK))
			continue;
		CHECK(feed(st, l, NULL));
		CHECK_INT_EQ(cat_state_commit(st, &err), CAT_OK);
		snprintf(l, sizeof(l), "t%zu@example.com", i);
		if (CHECK_INT_EQ(cat_state_why(st, l, 0, &w, &err), CAT_OK) && CHECK_INT_EQ(w->n, 1))
			CHECK_INT_EQ(w->events[0].at, cases[i].at);
		cat_state_why_free(w);
		w = NULL;
	}
	cat_state_close(st);
}

static void
test_not_ours(void)
{
	struct cat_state *st = NULL;
	struct cat_error err;

	CHECK_CASE("a file that is not our state database is refused by name");
	CHECK_INT_EQ(cat_state_open(&st, path_of("text.db"), CAT_STATE_CREATE, cat, &err), CAT_EIO);
	CHECK(strstr(err.msg, "text.db: not a bounce state database (not a SQLite database)") != NULL);
	CHECK_INT_EQ(cat_state_open(&st, path_of("catalog.db"), CAT_STATE_CREATE, cat, &err), CAT_EIO);
	CHECK(strstr(err.msg, "catalog.db: not a bounce state database (a SQLite database of something "
			      "else)") != NULL);
	CHECK_INT_EQ(cat_state_open(&st, dir, CAT_STATE_CREATE, cat, &err), CAT_EIO);
	CHECK(strstr(err.msg, "not a regular file") != NULL);
	CHECK_INT_EQ(cat_state_open(&st, path_of("missing.db"), CAT_STATE_READ, cat, &err), CAT_EIO);
	CHECK_INT_EQ(cat_state_open(&st, path_of("empty.db"), CAT_STATE_READ, cat, &err), CAT_EIO);
	CHECK(strstr(err.msg, "empty") != NULL);
	CHECK(st == NULL);
	/* an empty file becomes a state when created, and is ours after */
	CHECK_INT_EQ(cat_state_open(&st, path_of("empty.db"), CAT_STATE_CREATE, cat, &err), CAT_OK);
	cat_state_close(st);
	st = NULL;
	CHECK_INT_EQ(cat_state_open(&st, path_of("empty.db"), CAT_STATE_READ, NULL, &err), CAT_OK);
	/* a state opened to read takes no run */
	if (st)
		CHECK_INT_EQ(cat_state_begin(st, NOW, &err), CAT_ESTATE);
	cat_state_close(st);
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return 0;
	fputs(text, f);
	return fclose(f) == 0;
}

/* The same scan, line by line: each counted whole (cat_scan_sent_line()),
 * or read, keyed (cat_scan_sent_key(), as a worker thread does it) and
 * counted. 1 when every event and the reports are the same. */
static int
same_keyed(const char *const *lines, size_t n)
{
	struct cat_scan_opts o = { 0, 2026, 0, 0 };
	struct cat_scan *a = NULL, *b = NULL;
	const struct cat_scan_report *ra, *rb;
	struct cat_error err;
	char *ja = NULL, *jb = NULL, key[1200];
	size_t la = 0, lb = 0, ca = 0, cb = 0, i;
	int ok = 1;

	if (cat_scan_new(cat, az, &o, &a, &err) != CAT_OK ||
	    cat_scan_new(cat, az, &o, &b, &err) != CAT_OK) {
		fprintf(stderr, "scan: %s\n", err.msg);
		ok = 0;
	}
	for (i = 0; ok && i < n; i++) {
		struct cat_scan_event ea, eb;
		struct cat_scan_sent f;
		size_t len = strlen(lines[i]);
		int ka = cat_scan_sent_line(a, lines[i], len, NULL, &ea), kb = 0;

		if (cat_scan_sent_read(lines[i], len, &f) &&
		    cat_scan_sent_key_size(&f) <= sizeof(key)) {
			cat_scan_sent_key(b, &f, key);
			kb = cat_scan_sent_add(b, &f, NULL, &eb);
		}
		if (ka != kb) {
			fprintf(stderr, "line %zu: counted %d and %d\n", i + 1, ka, kb);
			ok = 0;
		} else if (ka == 1 && (strcmp(ea.host, eb.host) != 0 ||
				       strcmp(ea.queue_id, eb.queue_id) != 0 ||
				       !ea.recipient != !eb.recipient ||
				       (ea.recipient && strcmp(ea.recipient, eb.recipient) != 0) ||
				       !ea.domain != !eb.domain ||
				       (ea.domain && strcmp(ea.domain, eb.domain) != 0) ||
				       ea.provider != eb.provider || ea.when != eb.when)) {
			fprintf(stderr, "line %zu: the events differ\n", i + 1);
			ok = 0;
		}
	}
	if (ok && (cat_scan_report(a, &ra, &err) != CAT_OK ||
		   cat_scan_report_json(ra, &ja, &la, &ca) != CAT_OK ||
		   cat_scan_report(b, &rb, &err) != CAT_OK ||
		   cat_scan_report_json(rb, &jb, &lb, &cb) != CAT_OK || la != lb ||
		   memcmp(ja, jb, la) != 0)) {
		fprintf(stderr, "the reports differ\n");
		ok = 0;
	}
	free(ja);
	free(jb);
	cat_scan_free(a);
	cat_scan_free(b);
	return ok;
}

static void
test_sent_key(void)
{
	/* recipients as a log may write them: capitals, a byte past ASCII,
	 * an '@' last or twice, no domain, sixteen bytes and about them (the
	 * folding goes sixteen at a time) */
	static const char *const rcpts[] = {
		"ann@example.net",
		"Bob.Smith@Example.ORG",
		"x@",
		"a@b@c.example",
		"caf\xc3\xa9@example.com",
		"UPPER@\xc3\x89XAMPLE.COM",
		"sixteen@abc.def",
		"seventeen@abcd.ef",
		"fifteen@ab.cd",
		"exactly.thirty.two.bytes@a.b.c.d",
		"very.long.local.part.with.dots@mail.sub.example.co.uk",
	};
	char buf[32][512], nul[512], qid[16];
	const char *lines[32];
	size_t n = 0, i;

	CHECK_CASE("a delivered line keyed in another thread counts as if keyed where counted");
	for (i = 0; i < sizeof(rcpts) / sizeof(rcpts[0]); i++) {
		const char *hms = i % 2 ? "05:10:00" : "05:10:30";

		snprintf(qid, sizeof(qid), "4A1B2C3D%02zu", i);
		lines[n] = pf(buf[n], sizeof(buf[n]), hms, qid, rcpts[i], "2.0.0", "sent", SENT);
		n++;
	}
	/* deferred first, then delivered: the delivery ends an open recipient */
	lines[n] = pf(buf[n], sizeof(buf[n]), "05:11:00", "4A1B2C3D99", "Dee@Example.net", "4.2.2",
		      "deferred", FULL_T);
	n++;
	lines[n] = pf(buf[n], sizeof(buf[n]), "05:12:00", "4A1B2C3D99", "dee@example.NET", "2.0.0",
		      "sent", SENT);
	n++;
	CHECK(same_keyed(lines, n));
	/* each recipient's domain: after its last '@', in lower case */
	for (i = 0; i < sizeof(rcpts) / sizeof(rcpts[0]); i++) {
		struct cat_scan_opts o = { 0, 2026, 0, 0 };
		struct cat_scan *sc = NULL;
		struct cat_scan_event ev;
		struct cat_error err;
		char want[128], *at;
		size_t k;

		for (k = 0; rcpts[i][k] && k + 1 < sizeof(want); k++) {
			char c = rcpts[i][k];

			want[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		want[k] = '\0';
		at = strrchr(want, '@');
		CHECK(cat_scan_new(cat, az, &o, &sc, &err) == CAT_OK);
		CHECK_INT_EQ(cat_scan_sent_line(sc, lines[i], strlen(lines[i]), NULL, &ev), 1);
		if (at && at[1]) {
			CHECK(ev.domain != NULL);
			if (ev.domain)
				CHECK_STR_EQ(ev.domain, at + 1);
		} else {
			CHECK(ev.domain == NULL);
		}
		cat_scan_free(sc);
	}
	/* a NUL in the recipient: strrchr() stops there, so must the key */
	for (i = 0; i < 3; i++) {
		static const char *const r[] = { "ab@c\001d@e.example", "ab@\001ef",
						 "\001@a.example" };
		size_t len;
		char *z;

		pf(nul, sizeof(nul), "05:13:00", "4A1B2C3D77", r[i], "2.0.0", "sent", SENT);
		len = strlen(nul);
		z = memchr(nul, '\001', len);
		*z = '\0';
		{
			struct cat_scan_opts o = { 0, 2026, 0, 0 };
			struct cat_scan *a = NULL, *b = NULL;
			struct cat_scan_event ea, eb;
			struct cat_scan_sent f;
			struct cat_error err;
			char key[600];
			int ka, kb = 0;

			CHECK(cat_scan_new(cat, az, &o, &a, &err) == CAT_OK);
			CHECK(cat_scan_new(cat, az, &o, &b, &err) == CAT_OK);
			ka = cat_scan_sent_line(a, nul, len, NULL, &ea);
			if (cat_scan_sent_read(nul, len, &f)) {
				cat_scan_sent_key(b, &f, key);
				kb = cat_scan_sent_add(b, &f, NULL, &eb);
			}
			CHECK_INT_EQ(ka, kb);
			if (ka == 1 && kb == 1) {
				/* as strrchr() reads the recipient: up to its NUL */
				static const char *const dom[] = { "c", NULL, NULL };

				CHECK(!ea.domain == !dom[i]);
				CHECK(!eb.domain == !dom[i]);
				if (ea.domain && eb.domain && dom[i]) {
					CHECK_STR_EQ(ea.domain, dom[i]);
					CHECK_STR_EQ(eb.domain, dom[i]);
				}
			}
			cat_scan_free(a);
			cat_scan_free(b);
		}
	}
}

int
main(void)
{
	struct cat_error err;
	const char *tmp = getenv("TMPDIR");
	char cmd[8400];

	snprintf(dir, sizeof(dir), "%s/state.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	if (cat_open(&cat, &err) != CAT_OK || cat_ready(cat, &err) != CAT_OK ||
	    cat_analyzer_new(cat, &az, &err) != CAT_OK) {
		fprintf(stderr, "set-up: %s\n", err.msg);
		return 1;
	}
	if (!write_file(path_of("text.db"), "This is a text file, not a database.\n") ||
	    !write_file(path_of("empty.db"), "") ||
	    cat_export_db(cat, path_of("catalog.db"), &err) != CAT_OK) {
		fprintf(stderr, "set-up: cannot write in %s\n", dir);
		return 1;
	}
	test_usage();
	test_hard();
	test_complaint();
	test_soft();
	test_reset();
	test_block();
	test_refusal();
	test_idempotent();
	test_kill();
	test_merge();
	test_why();
	test_stamps();
	test_not_ours();
	test_sent_key();
	cat_analyzer_free(az);
	cat_close(cat);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return check_done();
}
