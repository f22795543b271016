/* analyze_logline.c: one mail log line (Postfix, Exim, Sendmail, qmail) as an item. */
#include "analyze.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "bytescan.h"
#include "util.h"

/* The address in "<a@b>" or "a@b" starting at s. */
struct span
logline_address(const char *base, const char *s, const char *end)
{
	const char *e;
	int at = 0;

	while (s < end && (*s == ' ' || *s == '<' || *s == '"'))
		s++;
	/* an '@' before the stop is one before the ':' and '.' trimmed */
	e = bs_find_addr_end(s, end, &at);
	while (e > s && (e[-1] == ':' || e[-1] == '.'))
		e--;
	if (e > s && at)
		return mkspan(base, s, e);
	return mkspan(base, s, s);
}

/* What an MTA says it did with a message, X(id, word, outcome, class): the
 * word as a log or a DSN's Action field writes it, the outcome recorded for
 * it (a diagnosis's `outcome`), and the class that outcome implies. The
 * words are matched in this order, as prefixes, without case. */
#define OUTCOME_LIST(X)                                                        \
	X(OUTCOME_BOUNCED, "bounced", "bounced", 5)                            \
	X(OUTCOME_DEFERRED, "deferred", "deferred", 4)                         \
	X(OUTCOME_SENT, "sent", "sent", 2)                                     \
	X(OUTCOME_EXPIRED, "expired", "expired", 5)                            \
	X(OUTCOME_UNDELIVERABLE, "undeliverable", "bounced", 5)                \
	X(OUTCOME_DELIVERED, "delivered", "delivered", 2)                      \
	X(OUTCOME_FAILED, "failed", "failed", 5)                               \
	X(OUTCOME_DELAYED, "delayed", "delayed", 4)                            \
	X(OUTCOME_RELAYED, "relayed", "relayed", 2)                            \
	X(OUTCOME_EXPANDED, "expanded", "expanded", 2)                         \
	X(OUTCOME_REJECTED, "rejected", "rejected", 5)                         \
	X(OUTCOME_REJECTED_T, "temporarily rejected", "rejected", 4)                \
	X(OUTCOME_WARNED, "reject_warning", "warned", 0)                       \
	X(OUTCOME_ATTEMPT_FAILED, "attempt failed", "attempt_failed", 4)

enum outcome {
#define OUTCOME_ENUM(id, word, outcome, cls) id,
	OUTCOME_LIST(OUTCOME_ENUM)
#undef OUTCOME_ENUM
	OUTCOME_COUNT
};

static const struct {
	const char *word;
	size_t len;
	const char *outcome;
	int cls;
} outcomes[] = {
#define OUTCOME_ROW(id, word, outcome, cls) [id] = { word, sizeof(word) - 1, outcome, cls },
	OUTCOME_LIST(OUTCOME_ROW)
#undef OUTCOME_ROW
};

/* Records what the MTA did, and the class that implies. */
static void
set_outcome(struct item *it, enum outcome o)
{
	it->outcome = outcomes[o].outcome;
	it->ocls = outcomes[o].cls;
	it->expired = o == OUTCOME_EXPIRED;
}

enum cat_class
cat_outcome_class(const char *outcome)
{
	size_t i;

	/* the first row that records the word: "rejected" is a refusal, 5xx,
	 * before the 4xx one that records the same word */
	for (i = 0; outcome && i < OUTCOME_COUNT; i++)
		if (strcmp(outcomes[i].outcome, outcome) == 0)
			return cat_class_of_digit(outcomes[i].cls);
	return CAT_CLASS_NONE;
}

/* The four bytes of "sent" as logline_outcome() loads a word's. */
static inline uint32_t
sent4(void)
{
	uint32_t v;

	memcpy(&v, outcomes[OUTCOME_SENT].word, 4);
	return v;
}

void
logline_outcome(struct item *it, const char *base, const char *w, const char *end)
{
	size_t i;
	int c0 = w < end ? (*w >= 'A' && *w <= 'Z' ? *w + 32 : *w) : 0;
	uint32_t w4 = 0;

	/* logs write the words as the rows do: their first four bytes (every
	 * word has four) compared at once, the rest without case; a word
	 * written otherwise is compared without case from the start */
	if (end - w >= 4)
		memcpy(&w4, w, 4);
	/* "sent", nine lines of ten: no row before it starts with 's' and its
	 * word is four bytes, so the loop would take it at once */
	if (w4 == sent4()) {
		set_outcome(it, OUTCOME_SENT);
		it->outcome_at = mkspan(base, w, w + 4);
		return;
	}
	for (i = 0; i < OUTCOME_COUNT; i++) {
		uint32_t l4;

		if (outcomes[i].word[0] != c0)
			continue;
		memcpy(&l4, outcomes[i].word, 4);
		if (w4 == l4 ? outcomes[i].len == 4 || ieq_prefix_rest(w + 4, end, outcomes[i].word + 4)
			     : ieq_prefix(w, end, outcomes[i].word)) {
			set_outcome(it, (enum outcome)i);
			it->outcome_at = mkspan(base, w, w + outcomes[i].len);
			return;
		}
	}
}

/* How logs name the SMTP command a reply answered, X(word, stage): the word
 * after Postfix's "(in reply to ", Exim's "after " and Postfix's "reject: ",
 * matched in this order, as prefixes, without case ("end of data" before
 * "data"). A content check (header_checks, body_checks) runs on the whole
 * message, so it answers the end of data. */
#define STAGE_WORD_LIST(X)                                                     \
	X("RCPT", CAT_STAGE_RCPT)                                              \
	X("MAIL", CAT_STAGE_MAIL)                                              \
	X("end of data", CAT_STAGE_END_OF_DATA)                                \
	X("END-OF-MESSAGE", CAT_STAGE_END_OF_DATA)                             \
	X("header ", CAT_STAGE_END_OF_DATA)                                    \
	X("body ", CAT_STAGE_END_OF_DATA)                                      \
	X("DATA", CAT_STAGE_DATA)                                              \
	X("BDAT", CAT_STAGE_DATA)                                              \
	X("EHLO", CAT_STAGE_HELO)                                              \
	X("HELO", CAT_STAGE_HELO)                                              \
	X("LHLO", CAT_STAGE_HELO)                                              \
	X("STARTTLS", CAT_STAGE_STARTTLS)                                      \
	X("AUTH", CAT_STAGE_AUTH)                                              \
	X("CONNECT", CAT_STAGE_CONNECT)                                        \
	X("initial connection", CAT_STAGE_CONNECT)                             \
	X("initial greeting", CAT_STAGE_CONNECT)                               \
	X("initial server greeting", CAT_STAGE_CONNECT)                        \
	X("message body", CAT_STAGE_DATA)

static const struct {
	const char *word;
	enum cat_stage stage;
} stage_words[] = {
#define STAGE_WORD_ROW(word, stage) { word, stage },
	STAGE_WORD_LIST(STAGE_WORD_ROW)
#undef STAGE_WORD_ROW
};

/* The stage the words at w name; Exim's "pipelined" before them is skipped. */
enum cat_stage
stage_at(const char *w, const char *end)
{
	size_t i;

	while (w < end && *w == ' ')
		w++;
	if (ieq_prefix(w, end, "pipelined "))
		w += 10;
	for (i = 0; i < sizeof(stage_words) / sizeof(stage_words[0]); i++)
		if (ieq_prefix(w, end, stage_words[i].word))
			return stage_words[i].stage;
	return CAT_STAGE_NONE;
}

/* The sender in "<a@b>" at s ("<>" too): it->sender and has_sender. */
static void
set_sender(struct item *it, const char *base, const char *s, const char *end)
{
	const char *e;

	if (s >= end || *s != '<')
		return;
	e = memchr(s, '>', (size_t)(end - s));
	if (!e)
		return;
	it->sender = mkspan(base, s + 1, e);
	it->has_sender = 1;
}

/* How Postfix smtp(8) and lmtp(8) log an attempt on one server that
 * failed before any reply, X(marker, host, stage): the marker that opens
 * the message, what precedes the server's name, and the stage (NONE: the
 * words after " while " say it). Postfix tries the next server, or defers
 * the recipients and logs their status=deferred lines itself. */
#define POSTFIX_FAILED_ATTEMPT_LIST(X)                                         \
	X("connect to ", "connect to ", CAT_STAGE_CONNECT)                     \
	X("lost connection with ", "lost connection with ", CAT_STAGE_NONE)    \
	X("conversation with ", "conversation with ", CAT_STAGE_NONE)          \
	X("SSL_connect error to ", "SSL_connect error to ", CAT_STAGE_STARTTLS) \
	X("Host or domain name not found. ", " name=", CAT_STAGE_NONE)

static const struct {
	const char *marker, *host;
	size_t len;
	enum cat_stage stage;
} postfix_failed_attempts[] = {
#define POSTFIX_FAILED_ATTEMPT_ROW(marker, host, stage) { marker, host, sizeof(marker) - 1, stage },
	POSTFIX_FAILED_ATTEMPT_LIST(POSTFIX_FAILED_ATTEMPT_ROW)
#undef POSTFIX_FAILED_ATTEMPT_ROW
};

/* The row of postfix_failed_attempts whose marker opens t, else -1. */
static int
failed_marker(const char *t, const char *end)
{
	size_t i;

	for (i = 0; i < sizeof(postfix_failed_attempts) / sizeof(postfix_failed_attempts[0]); i++)
		if ((size_t)(end - t) > postfix_failed_attempts[i].len &&
		    memcmp(t, postfix_failed_attempts[i].marker, postfix_failed_attempts[i].len) == 0)
			return (int)i;
	return -1;
}

/* The stage of a failed attempt of row i whose words are [p, end): the
 * row's, else what follows " while " ("while receiving the initial
 * server greeting", "while sending RCPT TO"). */
static enum cat_stage
failed_stage(int i, const char *p, const char *end)
{
	const char *w;

	if (postfix_failed_attempts[i].stage != CAT_STAGE_NONE ||
	    (w = find(p, end, " while ")) == NULL)
		return postfix_failed_attempts[i].stage;
	w += 7;
	if (ieq_prefix(w, end, "receiving "))
		w += 10;
	else if (ieq_prefix(w, end, "sending "))
		w += 8;
	else if (ieq_prefix(w, end, "performing the "))
		w += 15;
	if (ieq_prefix(w, end, "the "))
		w += 4;
	return stage_at(w, end);
}

/* The server of a failed attempt whose words open t ("connect to mx[ip]:25:
 * Connection refused", also a status's text, after "delivery temporarily
 * suspended: "): it->host unless it is known, and it->stage. Returns the
 * row, or -1. */
static int
failed_server(const char *base, const char *t, const char *end, struct item *it)
{
	const char *h, *e;
	int i;

	if (ieq_prefix(t, end, "delivery temporarily suspended: "))
		t += 32;
	if ((i = failed_marker(t, end)) < 0)
		return -1;
	it->stage = failed_stage(i, t, end);
	if (span_ok(it->host))
		return i;
	if ((h = find(t, end, postfix_failed_attempts[i].host)) != NULL) {
		h += strlen(postfix_failed_attempts[i].host);
		for (e = h; e < end && *e != '[' && *e != ' ' && *e != ':' && *e != ',' && *e != ')'; e++)
			;
		if (e > h)
			it->host = mkspan(base, h, e);
	}
	return i;
}

/* Postfix: ... to=<a@b>, relay=mx[1.2.3.4]:25, ..., dsn=5.1.1, status=bounced
 * (host mx[1.2.3.4] said: 550 5.1.1 ... (in reply to RCPT TO command)) */
int
logline_postfix(const char *base, const char *s, const char *end, struct item *it)
{
	const char *st = NULL, *to = NULL, *from = NULL, *relay = NULL, *dsn = NULL, *p, *open;

	/* one pass over the '=' signs of the line finds every key */
	for (p = s; (p = bs_find_eq(p, end)) < end; p++) {
		if (p - s >= 7 && memcmp(p - 7, " status", 7) == 0) {
			st = p - 7;
			break; /* the last field: what follows is the reply */
		}
		if (!to && p - s >= 3 && memcmp(p - 3, " to", 3) == 0 && p + 1 < end && p[1] == '<')
			to = p - 3;
		else if (!relay && p - s >= 5 && memcmp(p - 5, "relay", 5) == 0)
			relay = p - 5;
		else if (p - s >= 4 && memcmp(p - 4, " dsn", 4) == 0)
			dsn = p - 4;
		else if (!from && p - s >= 5 && memcmp(p - 5, " from", 5) == 0)
			from = p + 1; /* the queue manager's "from=<a@b>, status=expired" */
	}
	if (!st)
		return 0;
	it->format = "log:postfix";
	it->event = CAT_EVENT_DELIVERY;
	logline_outcome(it, base, st + 8, end);
	if ((p = to))
		it->recipient = logline_address(base, p + 5, st);
	if (from)
		set_sender(it, base, from, st);
	if ((p = relay)) {
		const char *h = p + 6, *e = bs_find_relay_stop(h, end);

		if (e > h && ieq_prefix(h, e, "local"))
			it->event = CAT_EVENT_LOCAL; /* local(8), virtual(8), pipe(8) to a mailbox */
		if (e > h && !ieq_prefix(h, e, "none") && !ieq_prefix(h, e, "local"))
			it->host = mkspan(base, h, e);
	}
	if ((p = dsn) && p + 5 < end) {
		const char *e = p + 5;

		/* "2.0.0" and a stop, as most are: the loop's answer at once */
		if (end - e >= 6 && (unsigned)(e[0] - '0') < 10u && e[1] == '.' &&
		    (unsigned)(e[2] - '0') < 10u && e[3] == '.' && (unsigned)(e[4] - '0') < 10u &&
		    (unsigned)(e[5] - '0') >= 10u && e[5] != '.')
			e += 5;
		while (e < end && ((unsigned)(*e - '0') < 10u || *e == '.'))
			e++;
		it->status = mkspan(base, p + 5, e);
		it->status_rule = "log:postfix:dsn";
	}
	open = memchr(st, '(', (size_t)(end - st));
	if (open) {
		const char *said = FIND_AT(open, end, " said: ", 5), *t = said ? said + 7 : open + 1;
		const char *e = FIND_AT(t, end, "(in reply to", 0);

		if (e)
			it->stage = stage_at(e + 12, end); /* at the space */
		else {
			e = end;
			while (e > t && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
				e--;
			if (e > t && e[-1] == ')')
				e--;
			/* "host mx[ip] refused to talk to me: 554 ...": the greeting;
			 * "connect to mx[ip]:25: Connection timed out" and the other
			 * failed attempts, on a failure or a deferral (relay=none, or
			 * the server's when known) */
			if (!said && FIND_AT(open, e, " refused to talk to me", 15))
				it->stage = CAT_STAGE_CONNECT;
			else if (!said && it->ocls > 2)
				failed_server(base, open + 1, e, it);
		}
		if (said && !span_ok(it->host)) {
			const char *h = find_ci(open, said, "host ");

			if (h) {
				const char *he = h + 5;

				while (he < said && *he != '[' && *he != ' ')
					he++;
				it->host = mkspan(base, h + 5, he);
			}
		}
		it->text = mkspan(base, t, e);
	}
	return 1;
}

/* The flags of Exim's delivery lines, after the message id. */
static const struct {
	const char *flag;
	enum outcome outcome;
} exim_flags[] = { { " ** ", OUTCOME_BOUNCED }, { " == ", OUTCOME_DEFERRED },
		   { " => ", OUTCOME_SENT }, { " -> ", OUTCOME_SENT }, { " *> ", OUTCOME_SENT } };

/* Fills it from an Exim delivery line whose flag (" ** ") is at f. */
static void
exim_delivery(const char *base, const char *f, const char *end, enum outcome o, struct item *it)
{
	const char *p, *t, *sp;

	set_outcome(it, o);
	it->outcome_at = mkspan(base, f + 1, f + 3);
	it->format = "log:exim";
	it->event = CAT_EVENT_DELIVERY;
	it->recipient = logline_address(base, f + 4, end);
	/* "=> bob <bob@example.com> R=...": a local part, then the address */
	if (!span_ok(it->recipient) && (sp = memchr(f + 4, ' ', (size_t)(end - f - 4))) &&
	    sp + 1 < end && sp[1] == '<')
		it->recipient = logline_address(base, sp + 1, end);
	if ((p = find_ci(f, end, " H="))) {
		const char *e = p + 3;

		while (e < end && *e != ' ' && *e != ':')
			e++;
		it->host = mkspan(base, p + 3, e);
	} else if (o == OUTCOME_SENT) {
		it->event = CAT_EVENT_LOCAL; /* no remote host: a local transport */
	}
	if ((p = find(f, end, " F=<")))
		set_sender(it, base, p + 3, end);
	t = find_ci(f, end, "SMTP error from remote mail server after ");
	if (t) {
		const char *colon = t + 41;

		it->stage = stage_at(colon, end);
		/* after "RCPT TO:<a@b>: " or "end of data: " */
		p = colon;
		while (p < end && !(*p == ':' && p + 1 < end && p[1] == ' '))
			p++;
		t = p < end ? p + 2 : colon;
	} else if (o == OUTCOME_SENT && (p = find(f, end, " C=\"")) != NULL) {
		/* the server's confirmation, with +smtp_confirmation: C="250 ..." */
		const char *q = memchr(p + 4, '"', (size_t)(end - p - 4));

		t = p + 4;
		end = q ? q : end;
	} else {
		/* ": reason" after the routing fields, else everything after the flag */
		p = find_ci(f, end, "]: ");
		t = p ? p + 3 : f + 4;
		if (!p && (p = memchr(f + 4, ':', (size_t)(end - f - 4))))
			t = p + 1;
	}
	it->text = mkspan(base, t, end);
}

/* Whether the word that ends at f is an Exim message id: 1a2b3c-000abc-AB
 * (6-6-2 base-62 characters), or 1rAbCd-000000005Xy-AbCd since Exim 4.97
 * (6-11-4). */
static int
exim_id_before(const char *s, const char *f)
{
	const char *w = f;
	size_t n, k;

	while (w > s && w[-1] != ' ')
		w--;
	n = (size_t)(f - w);
	if (n != 16 && n != 23)
		return 0;
	for (k = 0; k < n; k++) {
		int dash = k == 6 || k == (n == 16 ? 13 : 18);

		if (dash ? w[k] != '-' : !isalnum((unsigned char)w[k]))
			return 0;
	}
	return 1;
}

/* Exim main log: "id ** a@b R=... T=... H=mx [ip]: SMTP error from remote
 * mail server after RCPT TO:<a@b>: 550 5.1.1 ...", "==" deferred, "=>" sent. */
int
logline_exim(const char *base, const char *s, const char *end, struct item *it)
{
	const char *f = NULL;
	size_t i;

	for (i = 0; i < sizeof(exim_flags) / sizeof(exim_flags[0]) && !f; i++) {
		f = find_ci(s, end, exim_flags[i].flag);
		/* the flag follows the message id: a " -> " inside a reply
		 * ("... detected as spam -> 554 5.7.1 ...", Exchange's chain of
		 * replies) is not a delivery line */
		if (f && !exim_id_before(s, f))
			f = NULL;
		if (f)
			exim_delivery(base, f, end, exim_flags[i].outcome, it);
	}
	return f != NULL;
}

/* Fills it from a Sendmail delivery line whose "stat=" is at st. */
static void
sendmail_delivery(const char *base, const char *s, const char *st, const char *end, struct item *it)
{
	const char *p;

	it->format = "log:sendmail";
	it->event = CAT_EVENT_DELIVERY;
	if ((p = find(s, st, "mailer=")) && ieq_prefix(p + 7, st, "local"))
		it->event = CAT_EVENT_LOCAL;
	if (ieq_prefix(st + 5, end, "sent"))
		set_outcome(it, OUTCOME_SENT);
	else if (ieq_prefix(st + 5, end, "deferred"))
		set_outcome(it, OUTCOME_DEFERRED);
	else
		set_outcome(it, OUTCOME_BOUNCED);
	it->outcome_at = mkspan(base, st, st + 5);
	if ((p = find(s, end, "to=")))
		it->recipient = logline_address(base, p + 3, end);
	if ((p = find(s, end, "relay="))) {
		const char *e = p + 6;

		while (e < end && *e != ' ' && *e != ',' && *e != '[')
			e++;
		it->host = mkspan(base, p + 6, e);
	}
	if ((p = find(s, end, "dsn="))) {
		const char *e = p + 4;

		while (e < end && (isdigit((unsigned char)*e) || *e == '.'))
			e++;
		it->status = mkspan(base, p + 4, e);
		it->status_rule = "log:sendmail:dsn";
	}
	it->text = mkspan(base, st + 5, end);
}

/* Sendmail: "... to=<a@b>, ..., relay=mx [ip], dsn=5.1.1, stat=User unknown" */
int
logline_sendmail(const char *base, const char *s, const char *end, struct item *it)
{
	const char *st = find(s, end, "stat=");

	if (!st || !find(s, end, "dsn="))
		return 0;
	sendmail_delivery(base, s, st, end, it);
	return 1;
}

/* qmail-send: "delivery 42: failure: 1.2.3.4_does_not_like_recipient./Remote_host_said:_550..." */
int
logline_qmail(const char *base, const char *s, const char *end, struct item *it)
{
	const char *d = find(s, end, "delivery "), *p;

	if (!d)
		return 0;
	for (p = d + 9; p < end && isdigit((unsigned char)*p); p++)
		;
	if (p == d + 9 || !ieq_prefix(p, end, ": "))
		return 0;
	/* the delivery number: the result line names only it, and
	 * "starting delivery N: msg M to remote a@b" says whom it is for */
	it->queue_id = mkspan(base, d + 9, p);
	p += 2;
	if (ieq_prefix(p, end, "msg ")) {
		const char *to = find(p, end, " to remote ");

		to = to ? to + 11 : (to = find(p, end, " to local ")) ? to + 10 : NULL;
		if (!to)
			return 0;
		it->format = "log:qmail";
		it->event = CAT_EVENT_NOT_DELIVERY;
		it->outcome = NULL;
		it->ocls = 0;
		it->text = it->host = mkspan(base, s, s);
		it->recipient = logline_address(base, to, end);
		return 1;
	}
	if (ieq_prefix(p, end, "success:"))
		set_outcome(it, OUTCOME_SENT);
	else if (ieq_prefix(p, end, "failure:"))
		set_outcome(it, OUTCOME_BOUNCED);
	else if (ieq_prefix(p, end, "deferral:"))
		set_outcome(it, OUTCOME_DEFERRED);
	else
		return 0;
	it->format = "log:qmail";
	it->event = CAT_EVENT_DELIVERY;
	it->outcome_at = mkspan(base, p, p + strlen(it->outcome));
	it->qmail = 1;
	p = memchr(p, ':', (size_t)(end - p));
	it->text = mkspan(base, p ? p + 1 : end, end);
	return 1;
}

/* ------------------------------------------------------------ what a line is */

/* The head of a log line: its time stamp, the program that wrote it and
 * where its message starts. */
struct loghead {
	const char *time, *time_end;
	const char *prog, *prog_end; /* "postfix/smtp", without "[pid]"; NULL if none */
	const char *host, *host_end; /* syslog's and RFC 3339's; NULL for the others */
	const char *msg;
	int exim; /* Exim's own log: a time stamp, then the message */
};

static int
dig(char c)
{
	return c >= '0' && c <= '9';
}

static int
alnum(char c)
{
	return dig(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Reads the head of a line: syslog's "Dec  4 10:00:01 host prog[pid]: ",
 * RFC 3339's "2026-12-04T10:00:01.123+00:00 host prog[pid]: ", Exim's
 * "2026-12-04 10:00:01[.123][ +0000][ [pid]] " and multilog's
 * "@4000000063a1b2c3... ". Returns 0 when the line starts with none. */
static int
log_head(const char *s, const char *end, struct loghead *h)
{
	size_t n = (size_t)(end - s);
	const char *p, *q;

	memset(h, 0, sizeof(*h));
	if (n >= 17 && s[0] >= 'A' && s[0] <= 'Z' && s[3] == ' ' && dig(s[5]) && s[6] == ' ' &&
	    dig(s[7]) && s[9] == ':' && s[12] == ':' && s[15] == ' ') {
		h->time = s;
		h->time_end = s + 15;
		p = s + 16;
	} else if (n >= 20 && dig(s[0]) && dig(s[3]) && s[4] == '-' && s[7] == '-' && dig(s[11]) &&
		   s[13] == ':' && s[16] == ':') {
		h->time = s;
		if (s[10] == 'T') {
			/* the time ends at a space: a comma makes it a field of
			 * a CSV record (message tracking logs) */
			for (q = s + 19; q < end && (dig(*q) || *q == '.' || *q == ':' || *q == '+' ||
						     *q == '-' || *q == 'Z');
			     q++)
				;
			if (q >= end || *q != ' ')
				return 0;
			h->time_end = q;
			p = q + 1;
		} else if (s[10] == ' ') {
			q = s + 19;
			if (q < end && *q == '.')
				for (q++; q < end && dig(*q); q++)
					;
			if (end - q >= 7 && q[0] == ' ' && (q[1] == '+' || q[1] == '-') && dig(q[2]) &&
			    dig(q[5]))
				q += 6;
			h->time_end = q;
			while (q < end && *q == ' ')
				q++;
			if (q < end && *q == '[' && (p = memchr(q, ']', (size_t)(end - q))))
				q = p + 1 < end && p[1] == ' ' ? p + 2 : p + 1;
			h->msg = q;
			h->exim = 1;
			return 1;
		} else {
			return 0;
		}
	} else if (n >= 26 && s[0] == '@' && s[1] == '4' && s[25] == ' ') {
		h->time = s;
		h->time_end = s + 25;
		h->msg = s + 26;
		return 1;
	} else {
		return 0;
	}
	/* the host, then the program and its process id */
	q = bs_find_space(p, end);
	if (q == end)
		return 0;
	h->host = p;
	h->host_end = q;
	p = q + 1;
	h->msg = p;
	q = bs_find_prog_stop(p, end - p > 64 ? p + 64 : end);
	h->prog_end = q;
	if (q > p && q < end && *q == '[' && (q = bs_find_rbracket(q, end)) == end)
		q = NULL;
	if (q && q > p && q + 1 < end && *q == ']')
		q++;
	if (q && q > p && q + 1 < end && q[0] == ':' && q[1] == ' ') {
		h->prog = p;
		h->msg = q + 2;
	} else {
		h->prog_end = NULL;
	}
	return 1;
}

/* The families of programs that write mail logs, X(name, family): a
 * program is of a family when its name starts with the name (exim4,
 * postfix-out/smtp, qmail-send). */
#define LOG_PROGRAM_LIST(X)                                                    \
	X("postfix", PROG_POSTFIX)                                             \
	X("sendmail", PROG_SENDMAIL)                                           \
	X("sm-mta", PROG_SENDMAIL)                                             \
	X("sm-msp-queue", PROG_SENDMAIL)                                       \
	X("exim", PROG_EXIM)                                                   \
	X("qmail", PROG_QMAIL)                                                 \
	X("dovecot", PROG_DOVECOT)                                             \
	X("smtpd", PROG_OPENSMTPD)

enum prog_family {
	PROG_OTHER,
	PROG_POSTFIX,
	PROG_SENDMAIL,
	PROG_EXIM,
	PROG_QMAIL,
	PROG_DOVECOT,
	PROG_OPENSMTPD
};

static const struct {
	const char *name;
	size_t len;
	enum prog_family family;
} log_programs[] = {
#define LOG_PROGRAM_ROW(name, family) { name, sizeof(name) - 1, family },
	LOG_PROGRAM_LIST(LOG_PROGRAM_ROW)
#undef LOG_PROGRAM_ROW
};

/* What a Postfix program's lines can record, X(name, kind): delivery
 * attempts (smtp, lmtp; the queue manager's "status=expired"), local
 * deliveries, refusals of clients (smtpd, postscreen, and cleanup's
 * header and body checks and milters). Any other program (pickup, bounce,
 * anvil, scache, tlsmgr, master ...) records no delivery. */
#define POSTFIX_PROGRAM_LIST(X)                                                \
	X("smtp", LINE_DELIVERY)                                               \
	X("lmtp", LINE_DELIVERY)                                               \
	X("error", LINE_DELIVERY)                                              \
	X("retry", LINE_DELIVERY)                                              \
	X("discard", LINE_DELIVERY)                                            \
	X("qmgr", LINE_DELIVERY)                                               \
	X("nqmgr", LINE_DELIVERY)                                              \
	X("local", LINE_LOCAL)                                                 \
	X("virtual", LINE_LOCAL)                                               \
	X("pipe", LINE_LOCAL)                                                  \
	X("smtpd", LINE_REFUSAL)                                               \
	X("postscreen", LINE_REFUSAL)                                          \
	X("cleanup", LINE_REFUSAL)

enum line_kind { LINE_NONE, LINE_DELIVERY, LINE_LOCAL, LINE_REFUSAL };

static const struct {
	const char *name;
	size_t len;
	enum line_kind kind;
} postfix_programs[] = {
#define POSTFIX_PROGRAM_ROW(name, kind) { name, sizeof(name) - 1, kind },
	POSTFIX_PROGRAM_LIST(POSTFIX_PROGRAM_ROW)
#undef POSTFIX_PROGRAM_ROW
};

/* A line of no delivery: what wrote it is its evidence. */
static int
not_delivery(const char *base, const struct loghead *h, const char *format, struct item *it)
{
	it->format = format;
	it->event = CAT_EVENT_NOT_DELIVERY;
	it->text = it->host = it->recipient = mkspan(base, base, base);
	it->outcome = NULL;
	it->ocls = 0;
	it->expired = 0;
	it->stage = CAT_STAGE_NONE;
	if (h->prog)
		it->outcome_at = mkspan(base, h->prog, h->prog_end);
	return 1;
}

/* The MTA's queue id at the start of a message ("3F2A1C0D4E: "), else p. */
static const char *
queue_id(const char *base, const char *p, const char *end, struct item *it)
{
	int upper_or_digit = 0;
	const char *q = bs_alnum_run(p, end - p > 25 ? p + 25 : end, &upper_or_digit);

	if (q + 1 >= end || q[0] != ':' || q[1] != ' ' || q - p < 5)
		return p;
	/* "NOQUEUE": no id yet; "warning:", "statistics:": no id at all */
	if (upper_or_digit && !(q - p == 7 && memcmp(p, "NOQUEUE", 7) == 0))
		it->queue_id = mkspan(base, p, q);
	return q + 2;
}

/* The client of a refusal at p: "host[ip]", "unknown[ip]", "[ip]:port";
 * its name, else its address. Returns where it ends. */
static const char *
client_at(const char *base, const char *p, const char *end, struct item *it)
{
	const char *b = p, *e;

	while (b < end && *b != '[' && *b != ' ' && *b != ';' && *b != ':')
		b++;
	if (b < end && *b == '[' && (e = memchr(b, ']', (size_t)(end - b)))) {
		if (b > p && !(b - p == 7 && memcmp(p, "unknown", 7) == 0))
			it->host = mkspan(base, p, b);
		else
			it->host = mkspan(base, b + 1, e);
		b = e + 1;
		if (b < end && *b == ':' && b + 1 < end && dig(b[1]))
			for (b++; b < end && dig(*b); b++)
				;
		return b;
	}
	if (b > p)
		it->host = mkspan(base, p, b);
	return b;
}

/* Postfix: "reject: RCPT from host[ip]: 554 5.7.1 text; from=<s> to=<r>
 * proto=ESMTP helo=<h>", "milter-reject: END-OF-MESSAGE from ...", and
 * cleanup's "reject: header Subject: ... from host[ip]; from=<s> to=<r>
 * proto=ESMTP helo=<h>: 5.7.1 text". p is after "reject: ". */
static void
postfix_refusal(const char *base, const char *r, const char *p, const char *end, struct item *it)
{
	const char *fr = find(p, end, "; from=<"), *lim = fr ? fr : end, *c, *t = NULL, *q;

	it->format = "log:postfix";
	it->event = CAT_EVENT_REFUSAL;
	set_outcome(it, OUTCOME_REJECTED);
	it->outcome_at = mkspan(base, r, r + 6);
	it->stage = stage_at(p, end);
	/* the client follows the last " from " before the fields */
	c = NULL;
	for (q = p; (q = find(q, lim, " from ")) != NULL; q += 6)
		c = q + 6;
	if (c) {
		c = client_at(base, c, lim, it);
		if (c + 1 < lim && c[0] == ':' && c[1] == ' ')
			t = c + 2;
	}
	if (fr) {
		set_sender(it, base, fr + 7, end);
		if ((q = find(fr, end, "to=<")))
			it->recipient = logline_address(base, q + 3, end);
		/* a content check's text comes after the fields */
		if (!t && (q = find(fr, end, ">: ")))
			t = q + 3, lim = end;
	}
	if (t)
		it->text = mkspan(base, t, lim);
}

/* A failed attempt on one server (postfix_failed_attempts): a delivery
 * problem with that server, transient, of no recipient (the line names
 * none, and the recipients' own status lines follow). */
static int
postfix_failed_attempt(const char *base, const char *p, const char *end, struct item *it)
{
	int i = failed_server(base, p, end, it);

	if (i < 0)
		return 0;
	it->format = "log:postfix";
	it->event = CAT_EVENT_DELIVERY;
	set_outcome(it, OUTCOME_ATTEMPT_FAILED);
	it->outcome_at = mkspan(base, p, p + postfix_failed_attempts[i].len - 1);
	it->text = mkspan(base, p, end);
	return 1;
}

/* Postfix smtp(8) and lmtp(8) without a status: "host mx[ip] said: 451 ...
 * (in reply to RCPT TO command)" (it tries the next server) and "host
 * mx[ip] refused to talk to me: 554 ...". */
static int
postfix_attempt(const char *base, const char *p, const char *end, struct item *it)
{
	const char *h = find(p, end, "host "), *t, *e, *he;

	if (!h)
		return postfix_failed_attempt(base, p, end, it);
	if ((t = find(h, end, " said: ")))
		t += 7;
	else if ((t = find(h, end, " refused to talk to me: "))) {
		it->stage = CAT_STAGE_CONNECT;
		t += 24;
	} else {
		return 0;
	}
	it->format = "log:postfix";
	it->event = CAT_EVENT_DELIVERY;
	for (he = h + 5; he < t && *he != '[' && *he != ' '; he++)
		;
	it->host = mkspan(base, h + 5, he);
	e = find(t, end, "(in reply to");
	if (e)
		it->stage = stage_at(e + 12, end); /* at the space */
	it->text = mkspan(base, t, e ? e : end);
	return 1;
}

static int
postfix_line(const char *base, const struct loghead *h, const char *end, struct item *it)
{
	const char *sub = h->prog_end, *p;
	enum line_kind kind = LINE_NONE;
	size_t i;

	while (sub > h->prog && sub[-1] != '/')
		sub--;
	/* the first row (smtp) writes most lines: its compare inlined, its
	 * length known at compile time */
	if ((size_t)(h->prog_end - sub) == postfix_programs[0].len &&
	    memcmp(sub, postfix_programs[0].name, postfix_programs[0].len) == 0)
		kind = postfix_programs[0].kind;
	for (i = 0; kind == LINE_NONE && i < sizeof(postfix_programs) / sizeof(postfix_programs[0]); i++)
		if ((size_t)(h->prog_end - sub) == postfix_programs[i].len &&
		    memcmp(sub, postfix_programs[i].name, postfix_programs[i].len) == 0) {
			kind = postfix_programs[i].kind;
			break;
		}
	p = queue_id(base, h->msg, end, it);
	switch (kind) {
	case LINE_DELIVERY:
	case LINE_LOCAL:
		if (logline_postfix(base, p - 1, end, it)) { /* from the space: " to=<" */
			if (kind == LINE_LOCAL)
				it->event = CAT_EVENT_LOCAL;
			return 1;
		}
		if (kind == LINE_DELIVERY && postfix_attempt(base, p, end, it))
			return 1;
		break;
	case LINE_REFUSAL:
		if (ieq_prefix(p, end, "reject: ")) {
			postfix_refusal(base, p, p + 8, end, it);
		} else if (ieq_prefix(p, end, "reject_warning: ")) {
			/* a policy in warn-only mode (warn_if_reject): what it
			 * would have refused; the client was not refused */
			postfix_refusal(base, p, p + 16, end, it);
			set_outcome(it, OUTCOME_WARNED);
			it->outcome_at = mkspan(base, p, p + 14);
			it->warn_only = 1;
		}
		else if (ieq_prefix(p, end, "milter-reject: "))
			postfix_refusal(base, p + 7, p + 15, end, it);
		else
			break;
		return 1;
	case LINE_NONE:
		break;
	}
	return not_delivery(base, h, "log:postfix", it);
}

/* Exim: "H=host [ip] F=<s> rejected RCPT <r>: text", "temporarily
 * rejected", "rejected MAIL <s>", "rejected after DATA", "rejected EHLO
 * or HELO", "rejected connection". p is at "H=", r at "rejected". */
static void
exim_refusal(const char *base, const char *p, const char *r, const char *end, struct item *it)
{
	const char *w = r + 9, *q, *t;
	int temp = r - p >= 12 && memcmp(r - 12, "temporarily ", 12) == 0;

	it->format = "log:exim";
	it->event = CAT_EVENT_REFUSAL;
	set_outcome(it, temp ? OUTCOME_REJECTED_T : OUTCOME_REJECTED);
	it->outcome_at = mkspan(base, temp ? r - 12 : r, r + 8);
	/* H=host [ip], H=(helo) [ip], H=[ip]: the name, else the address */
	q = p + 2;
	if (q < r && *q != '(' && *q != '[') {
		const char *e = q;

		while (e < r && *e != ' ')
			e++;
		it->host = mkspan(base, q, e);
	} else if ((q = memchr(q, '[', (size_t)(r - q))) != NULL) {
		const char *e = memchr(q, ']', (size_t)(r - q));

		if (e)
			it->host = mkspan(base, q + 1, e);
	}
	if ((q = find(p, r, " F=<")))
		set_sender(it, base, q + 3, r);
	if (ieq_prefix(w, end, "after DATA"))
		it->stage = CAT_STAGE_END_OF_DATA; /* the DATA ACL: the whole message */
	else if (ieq_prefix(w, end, "connection"))
		it->stage = CAT_STAGE_CONNECT;
	else
		it->stage = stage_at(w, end);
	/* "RCPT <r>", "MAIL <s>": the address after the word */
	q = w + 4 < end ? w + 5 : end;
	if (it->stage == CAT_STAGE_RCPT)
		it->recipient = logline_address(base, q, end);
	else if (it->stage == CAT_STAGE_MAIL && !it->has_sender)
		set_sender(it, base, q, end);
	t = find(w, end, ": ");
	it->text = mkspan(base, t ? t + 2 : w, end);
}

static int
exim_line(const char *base, const struct loghead *h, const char *end, struct item *it)
{
	const char *p = h->msg, *q = p, *r;
	size_t i, n;

	while (q < end && *q != ' ')
		q++;
	n = (size_t)(q - p);
	/* a message id: 1a2b3c-000abc-AB, or 1a2b3c-000000000ab-ABCD (4.97) */
	if ((n == 16 && p[6] == '-' && p[13] == '-') || (n == 23 && p[6] == '-' && p[18] == '-')) {
		it->queue_id = mkspan(base, p, q);
		for (i = 0; i < sizeof(exim_flags) / sizeof(exim_flags[0]); i++)
			if (end - q >= 4 && memcmp(q, exim_flags[i].flag, 4) == 0) {
				exim_delivery(base, q, end, exim_flags[i].outcome, it);
				return 1;
			}
		p = q + 1;
	}
	if (ieq_prefix(p, end, "H=") && (r = find(p, end, " rejected ")) != NULL) {
		exim_refusal(base, p, r + 1, end, it);
		return 1;
	}
	/* "H=host [ip] sender verify fail for <s>: text": our check of a
	 * client's sender failed (its ACL then refuses, or only warns): a
	 * refusal of the client, with no outcome of its own */
	if (ieq_prefix(p, end, "H=") && (r = find(p, end, " sender verify fail for <")) != NULL) {
		exim_refusal(base, p, r + 1, end, it);
		it->outcome = NULL;
		it->ocls = 0;
		it->outcome_at = mkspan(base, r + 1, r + 19);
		it->stage = CAT_STAGE_NONE;
		set_sender(it, base, r + 24, end);
		it->text = mkspan(base, r + 1, end);
		return 1;
	}
	if (!h->prog) {
		/* Exim's own log names no program: its word ("<=", "Completed")
		 * is the evidence */
		struct loghead w = *h;

		for (w.prog = w.prog_end = p; w.prog_end < end && *w.prog_end != ' '; w.prog_end++)
			;
		return not_delivery(base, &w, "log:exim", it);
	}
	return not_delivery(base, h, "log:exim", it);
}

/* Sendmail: "ruleset=check_rcpt, arg1=<r>, relay=host [ip], reject=550
 * 5.7.1 <r>... Relaying denied"; check_mail names the sender, check_relay
 * the client. */
static void
sendmail_refusal(const char *base, const char *p, const char *rj, const char *end, struct item *it)
{
	static const struct {
		const char *ruleset;
		enum cat_stage stage;
	} rulesets[] = { { "check_rcpt", CAT_STAGE_RCPT }, { "check_mail", CAT_STAGE_MAIL },
			 { "check_relay", CAT_STAGE_CONNECT } };
	const char *q;
	size_t i;

	it->format = "log:sendmail";
	it->event = CAT_EVENT_REFUSAL;
	set_outcome(it, OUTCOME_REJECTED);
	it->outcome_at = mkspan(base, rj, rj + 6);
	for (i = 0; i < sizeof(rulesets) / sizeof(rulesets[0]); i++)
		if (ieq_prefix(p + 8, end, rulesets[i].ruleset))
			it->stage = rulesets[i].stage;
	if ((q = find(p, rj, "arg1="))) {
		if (it->stage == CAT_STAGE_RCPT)
			it->recipient = logline_address(base, q + 5, rj);
		else if (it->stage == CAT_STAGE_MAIL)
			set_sender(it, base, q + 5, rj);
	}
	if ((q = find(p, rj, "relay="))) {
		q += 6;
		if (q < rj && *q == '[') {
			const char *e = memchr(q, ']', (size_t)(rj - q));

			if (e)
				it->host = mkspan(base, q + 1, e);
		} else {
			const char *e = q;

			while (e < rj && *e != ' ' && *e != ',')
				e++;
			it->host = mkspan(base, q, e);
		}
	}
	it->text = mkspan(base, rj + 7, end);
}

static int
sendmail_line(const char *base, const struct loghead *h, const char *end, struct item *it)
{
	const char *p = queue_id(base, h->msg, end, it), *q;

	if (ieq_prefix(p, end, "NOQUEUE: "))
		p += 9;
	if ((q = find(p, end, "stat="))) {
		sendmail_delivery(base, p, q, end, it);
		return 1;
	}
	if (ieq_prefix(p, end, "ruleset=") && (q = find(p, end, "reject="))) {
		sendmail_refusal(base, p, q, end, it);
		return 1;
	}
	/* "from=<s>, size=0, ..., relay=host [ip], reject=553 5.1.8 ...": the
	 * MAIL command refused */
	if (ieq_prefix(p, end, "from=") && (q = find(p, end, " reject=")) != NULL) {
		sendmail_refusal(base, p, q + 1, end, it);
		it->stage = CAT_STAGE_MAIL;
		set_sender(it, base, p + 5, q);
		return 1;
	}
	/* "<r>... User unknown": the server's own refusal of a RCPT, logged
	 * with the queue id of the session's envelope */
	if (p < end && *p == '<' && (q = FIND_AT(p, end, ">... ", 1)) != NULL) {
		it->format = "log:sendmail";
		it->event = CAT_EVENT_REFUSAL;
		set_outcome(it, OUTCOME_REJECTED);
		it->stage = CAT_STAGE_RCPT;
		it->recipient = logline_address(base, p, q + 1);
		it->text = mkspan(base, q + 5, end);
		return 1;
	}
	return not_delivery(base, h, "log:sendmail", it);
}

/* Dovecot's LDA and LMTP: "lda(bob@example.com)<...>: msgid=<...>: saved
 * mail to INBOX", "...: rejected: Quota exceeded (...)". */
static int
dovecot_line(const char *base, const struct loghead *h, const char *end, struct item *it)
{
	const char *p = h->msg, *q;

	if (!(ieq_prefix(p, end, "lda(") || ieq_prefix(p, end, "lmtp(")))
		return not_delivery(base, h, "log:dovecot", it);
	it->format = "log:dovecot";
	if ((q = find(p, end, ": saved mail to "))) {
		set_outcome(it, OUTCOME_DELIVERED);
		it->outcome_at = mkspan(base, q + 2, q + 12);
		it->text = mkspan(base, q + 2, end);
	} else if ((q = find(p, end, ": rejected: "))) {
		set_outcome(it, OUTCOME_BOUNCED);
		it->outcome_at = mkspan(base, q + 2, q + 10);
		it->text = mkspan(base, q + 12, end);
	} else {
		return not_delivery(base, h, "log:dovecot", it);
	}
	it->event = CAT_EVENT_LOCAL;
	p = memchr(p, '(', (size_t)(end - p));
	it->recipient = logline_address(base, p + 1, end);
	return 1;
}

/* Another program's line that quotes a failing reply ("550 5.1.1 ...",
 * as an MTA we do not know logs a delivery): read as a reply, not as a
 * line of no delivery. Only lines of programs not known come here. */
static int
other_reply(const char *base, const struct loghead *h, const char *end, struct item *it)
{
	const char *p, *q;
	int cls, subj, det;

	for (p = h->msg; p < end && (p = memchr(p, '.', (size_t)(end - p))) != NULL; p++) {
		if (p - h->msg < 5 || !(p[-1] == '4' || p[-1] == '5') || p[-2] != ' ' ||
		    !dig(p[-3]) || !dig(p[-4]) || p[-5] != p[-1] ||
		    !codes_enhanced_at((const unsigned char *)p - 1, 0, (size_t)(end - p + 1), &cls,
				       &subj, &det))
			continue;
		it->format = "log:syslog";
		it->event = CAT_EVENT_DELIVERY;
		it->text = mkspan(base, p - 5, end);
		if ((q = find(h->msg, end, "to=<")))
			it->recipient = logline_address(base, q + 3, end);
		return 1;
	}
	return 0;
}

/* OpenSMTPD's results of a delivery, X(word, outcome): "result=PermFail"
 * (6.x), "delivery: PermFail for ..." (older), matched as prefixes. */
#define SMTPD_RESULT_LIST(X)                                                   \
	X("Ok", OUTCOME_SENT)                                                  \
	X("TempFail", OUTCOME_DEFERRED)                                        \
	X("PermFail", OUTCOME_BOUNCED)                                         \
	X("Loop", OUTCOME_BOUNCED)

static const struct {
	const char *word;
	size_t len;
	enum outcome outcome;
} smtpd_results[] = {
#define SMTPD_RESULT_ROW(word, outcome) { word, sizeof(word) - 1, outcome },
	SMTPD_RESULT_LIST(SMTPD_RESULT_ROW)
#undef SMTPD_RESULT_ROW
};

/* The end of a value at p: a quoted one ("...") at its quote, else at
 * the comma or space after it. */
static const char *
smtpd_value(const char *p, const char *end, const char **v)
{
	const char *e;

	if (p < end && *p == '"') {
		*v = p + 1;
		e = memchr(p + 1, '"', (size_t)(end - p - 1));
		return e ? e : end;
	}
	*v = p;
	for (e = p; e < end && *e != ',' && *e != ' '; e++)
		;
	return e;
}

/* OpenSMTPD: "mta delivery evpid=... from=<s> to=<r> rcpt=<r> source=\"ip\"
 * relay=\"mx [ip]\" delay=2s result=\"PermFail\" stat=\"550 5.1.1 ...\""
 * (mda: a local delivery), the older "delivery: PermFail for 1a2b3c4d:
 * from=<s>, to=<r>, ..., relay=mx [ip], stat=550 ...", and the refusals of
 * its server "smtp failed-command command=\"RCPT TO:<r>\" result=\"550
 * ...\"". Any other line records no delivery. */
static int
smtpd_line(const char *base, const struct loghead *h, const char *end, struct item *it)
{
	const char *p = h->msg, *d, *q, *v, *e;
	size_t i;

	it->format = "log:opensmtpd";
	if ((d = find(p, end, " failed-command ")) != NULL &&
	    (q = find(d, end, "command=\"")) != NULL) {
		it->event = CAT_EVENT_REFUSAL;
		set_outcome(it, OUTCOME_REJECTED);
		it->outcome_at = mkspan(base, d + 1, d + 15);
		e = smtpd_value(q + 8, end, &v);
		it->stage = stage_at(v, e);
		if (it->stage == CAT_STAGE_RCPT)
			it->recipient = logline_address(base, v + 8 < e ? v + 8 : e, e);
		else if (it->stage == CAT_STAGE_MAIL && v + 10 < e)
			set_sender(it, base, v + 10, e);
		if ((q = find(e, end, "result=")) != NULL) {
			e = smtpd_value(q + 7, end, &v);
			it->text = mkspan(base, v, e);
		}
		return 1;
	}
	if (!(d = find(p, end, "delivery")) || !(d + 8 < end && (d[8] == ' ' || d[8] == ':')))
		return not_delivery(base, h, "log:opensmtpd", it);
	if ((q = find(d, end, " result=")) != NULL)
		q += 8;
	else if (d[8] == ':' && d + 10 < end)
		q = d + 10;
	else
		return not_delivery(base, h, "log:opensmtpd", it);
	e = smtpd_value(q, end, &v);
	for (i = 0; i < sizeof(smtpd_results) / sizeof(smtpd_results[0]); i++)
		if ((size_t)(e - v) >= smtpd_results[i].len &&
		    memcmp(v, smtpd_results[i].word, smtpd_results[i].len) == 0)
			break;
	if (i == sizeof(smtpd_results) / sizeof(smtpd_results[0]))
		return not_delivery(base, h, "log:opensmtpd", it);
	it->event = find(p, d, "mda") ? CAT_EVENT_LOCAL : CAT_EVENT_DELIVERY;
	set_outcome(it, it->event == CAT_EVENT_LOCAL && smtpd_results[i].outcome == OUTCOME_SENT
				? OUTCOME_DELIVERED
				: smtpd_results[i].outcome);
	it->outcome_at = mkspan(base, v, v + smtpd_results[i].len);
	/* the envelope's id (evpid=), else the message's ("for 1a2b3c4d:") */
	if ((q = find(d, end, "evpid=")) != NULL) {
		for (e = q + 6; e < end && alnum(*e); e++)
			;
		it->queue_id = mkspan(base, q + 6, e);
	} else if ((q = find(d, end, " for ")) != NULL) {
		for (e = q + 5; e < end && alnum(*e); e++)
			;
		if (e < end && *e == ':')
			it->queue_id = mkspan(base, q + 5, e);
	}
	if ((q = find(d, end, "from=<")) != NULL)
		set_sender(it, base, q + 5, end);
	if ((q = find(d, end, "to=<")) != NULL)
		it->recipient = logline_address(base, q + 3, end);
	if ((q = find(d, end, "relay=")) != NULL) {
		const char *r = q + 6 < end && q[6] == '"' ? q + 7 : q + 6;

		for (e = r; e < end && !bs_relay_stop((unsigned char)*e) && *e != '"'; e++)
			;
		/* "198.51.100.5 (mx.example.org)": the name, in parentheses */
		if (e + 2 < end && e[0] == ' ' && e[1] == '(') {
			r = e + 2;
			for (e = r; e < end && *e != ')' && *e != '"' && *e != ' '; e++)
				;
		}
		if (e > r)
			it->host = mkspan(base, r, e);
	}
	if ((q = find(d, end, "stat=")) != NULL) {
		e = q + 5 < end && q[5] == '"' ? smtpd_value(q + 5, end, &v) : (v = q + 5, end);
		it->text = mkspan(base, v, e);
	}
	return 1;
}

int
logline_is_log(const char *s, const char *end)
{
	struct loghead h;

	return log_head(s, end, &h);
}

void
logline_host(const char *s, const char *end, const char **hs, const char **he)
{
	struct loghead h;

	*hs = *he = s;
	if (!log_head(s, end, &h) || !h.host)
		return;
	*hs = h.host;
	*he = h.host_end;
}

int
logline_classify(const char *base, const char *s, const char *end, struct item *it)
{
	struct loghead h;
	enum prog_family fam = PROG_OTHER;
	size_t i;
	int ok;

	if (!log_head(s, end, &h))
		return 0;
	/* the first row (postfix) writes most lines: its compare inlined,
	 * its length known at compile time */
	if (h.prog && (size_t)(h.prog_end - h.prog) >= log_programs[0].len &&
	    memcmp(h.prog, log_programs[0].name, log_programs[0].len) == 0)
		fam = log_programs[0].family;
	else if (h.prog)
		for (i = 0; i < sizeof(log_programs) / sizeof(log_programs[0]); i++)
			if (h.prog[0] == log_programs[i].name[0] &&
			    (size_t)(h.prog_end - h.prog) >= log_programs[i].len &&
			    memcmp(h.prog, log_programs[i].name, log_programs[i].len) == 0) {
				fam = log_programs[i].family;
				break;
			}
	if (h.exim) {
		ok = exim_line(base, &h, end, it);
	} else {
		switch (fam) {
		case PROG_POSTFIX:
			ok = postfix_line(base, &h, end, it);
			break;
		case PROG_EXIM: {
			/* through syslog: Exim's line, with its own time stamp or
			 * without it (syslog_timestamp) */
			struct loghead x;

			if (log_head(h.msg, end, &x) && x.exim)
				h.msg = x.msg;
			ok = exim_line(base, &h, end, it);
			break;
		}
		case PROG_SENDMAIL:
			ok = sendmail_line(base, &h, end, it);
			break;
		case PROG_QMAIL:
			ok = logline_qmail(base, h.msg, end, it) ||
			     not_delivery(base, &h, "log:qmail", it);
			break;
		case PROG_DOVECOT:
			ok = dovecot_line(base, &h, end, it);
			break;
		case PROG_OPENSMTPD:
			ok = smtpd_line(base, &h, end, it);
			break;
		default:
			/* another program, or multilog's: a delivery line of a
			 * format known, else no delivery */
			ok = logline_postfix(base, h.msg, end, it) ||
			     logline_exim(base, h.msg, end, it) ||
			     logline_sendmail(base, h.msg, end, it) ||
			     logline_qmail(base, h.msg, end, it) || other_reply(base, &h, end, it) ||
			     not_delivery(base, &h, "log:syslog", it);
			break;
		}
	}
	it->time = mkspan(base, h.time, h.time_end);
	return ok;
}

/* ------------------------------------------------------------ Exchange */

/* Exchange Server's message tracking log (MSGTRK*.LOG, or an export of
 * Get-MessageTrackingLog as CSV), one event a row, its fields in the
 * order of its "#Fields:" header: date-time, client-ip, client-hostname,
 * server-ip, server-hostname, source-context, connector-id, source,
 * event-id, internal-message-id, message-id, network-message-id,
 * recipient-address, recipient-status, total-bytes, recipient-count,
 * related-recipient-address, reference, message-subject, sender-address,
 * ... X(event-id, outcome): the events of a delivery; any other (RECEIVE,
 * SUBMIT, RESOLVE, EXPAND, ...) records none. */
#define EXCHANGE_EVENT_LIST(X)                                                 \
	X("SEND", OUTCOME_SENT)                                                \
	X("DELIVER", OUTCOME_DELIVERED)                                        \
	X("FAIL", OUTCOME_FAILED)                                              \
	X("DEFER", OUTCOME_DEFERRED)

enum { EX_TIME = 0, EX_SERVER_HOST = 4, EX_EVENT = 8, EX_INTERNAL_ID = 9, EX_RECIPIENT = 12,
       EX_STATUS = 13, EX_SENDER = 19, EX_FIELDS = 20 };

/* The fields of a CSV row [s, end): f[i] and f[i + 1] bound field i/2,
 * without its quotes; returns how many (at most max). */
static size_t
csv_fields(const char *s, const char *end, const char **f, size_t max)
{
	size_t n = 0;

	while (n < max && s <= end) {
		const char *e;

		if (s < end && *s == '"') {
			/* a quoted field: "" is a quote inside it */
			for (e = s + 1; e < end && !(*e == '"' && (e + 1 == end || e[1] != '"')); e++)
				if (*e == '"')
					e++;
			f[2 * n] = s + 1;
			f[2 * n + 1] = e;
			e = e < end ? e + 1 : e;
		} else {
			e = memchr(s, ',', (size_t)(end - s));
			if (!e)
				e = end;
			f[2 * n] = s;
			f[2 * n + 1] = e;
		}
		n++;
		if (e >= end || *e != ',')
			break;
		s = e + 1;
	}
	return n;
}

/* Whether [s, end) starts like such a row: an ISO 8601 time, then a comma. */
static int
exchange_head(const char *s, const char *end)
{
	const char *p;

	if (end - s < 21 || !dig(s[0]) || !dig(s[3]) || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return 0;
	for (p = s + 19; p < end && (dig(*p) || *p == '.' || *p == 'Z' || *p == '+' || *p == ':');
	     p++)
		;
	return p < end && *p == ',';
}

int
logline_exchange(const char *base, const char *s, const char *end, struct item *it)
{
	static const struct {
		const char *word;
		enum outcome outcome;
	} events[] = {
#define EXCHANGE_EVENT_ROW(word, outcome) { word, outcome },
		EXCHANGE_EVENT_LIST(EXCHANGE_EVENT_ROW)
#undef EXCHANGE_EVENT_ROW
	};
	const char *f[2 * EX_FIELDS], *r, *re;
	size_t i, n;

	if (!exchange_head(s, end))
		return 0;
	n = csv_fields(s, end, f, EX_FIELDS);
	if (n < EX_FIELDS)
		return 0;
	it->format = "log:exchange";
	it->time = mkspan(base, f[2 * EX_TIME], f[2 * EX_TIME + 1]);
	if (f[2 * EX_INTERNAL_ID + 1] > f[2 * EX_INTERNAL_ID])
		it->queue_id = mkspan(base, f[2 * EX_INTERNAL_ID], f[2 * EX_INTERNAL_ID + 1]);
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if ((size_t)(f[2 * EX_EVENT + 1] - f[2 * EX_EVENT]) == strlen(events[i].word) &&
		    memcmp(f[2 * EX_EVENT], events[i].word, strlen(events[i].word)) == 0)
			break;
	if (i == sizeof(events) / sizeof(events[0])) {
		it->event = CAT_EVENT_NOT_DELIVERY;
		it->text = it->host = it->recipient = mkspan(base, s, s);
		return 1;
	}
	it->event = CAT_EVENT_DELIVERY;
	set_outcome(it, events[i].outcome);
	it->outcome_at = mkspan(base, f[2 * EX_EVENT], f[2 * EX_EVENT + 1]);
	/* the first of the recipients (a row may list several, by ";") */
	r = f[2 * EX_RECIPIENT];
	re = f[2 * EX_RECIPIENT + 1];
	if (memchr(r, ';', (size_t)(re - r)))
		re = memchr(r, ';', (size_t)(re - r));
	it->recipient = logline_address(base, r, re);
	it->host = mkspan(base, f[2 * EX_SERVER_HOST], f[2 * EX_SERVER_HOST + 1]);
	if (f[2 * EX_SENDER + 1] > f[2 * EX_SENDER]) {
		it->sender = mkspan(base, f[2 * EX_SENDER], f[2 * EX_SENDER + 1]);
		it->has_sender = 1;
	}
	it->text = mkspan(base, f[2 * EX_STATUS], f[2 * EX_STATUS + 1]);
	return 1;
}

/* ------------------------------------------------------------ message trace */

/* Microsoft 365's message trace exports: CSV whose header row names the
 * columns, in any order. X(role, name): a header name, compared without
 * case and without anything but letters and digits ("Recipient address",
 * "RecipientAddress" and "recipient_address" are one), and the role it
 * plays. Names, from Microsoft's documentation: Get-MessageTrace and
 * Get-MessageTraceV2 output (Received, SenderAddress, RecipientAddress,
 * Status, MessageTraceId, MessageId), Get-MessageTraceDetail's (Date,
 * Event, Detail), the historical search's extended report (date_time_utc,
 * server_hostname, event_id, internal_message_id, network_message_id,
 * recipient_address, recipient_status, sender_address) and the admin
 * center's columns ("Date (UTC)", "Sender address", "Delivery status"),
 * the enhanced summary report's (origin_timestamp, sender_address,
 * recipient_status, message_id, network_message_id): its recipient_status
 * names each recipient with the events of its message, "address##Receive,
 * Send" (Microsoft's "Message trace in the Microsoft Defender portal"),
 * so a header with no recipient column reads it so (cat_columns.pairs).
 * Of the ids, the first of the list that a header has is the key. */
#define TRACE_COLUMN_LIST(X)                                                   \
	X(CAT_COLUMN_TIME, "received")                                         \
	X(CAT_COLUMN_TIME, "receivedtime")                                     \
	X(CAT_COLUMN_TIME, "receiveddatetime")                                 \
	X(CAT_COLUMN_TIME, "date")                                             \
	X(CAT_COLUMN_TIME, "dateutc")                                          \
	X(CAT_COLUMN_TIME, "datetime")                                         \
	X(CAT_COLUMN_TIME, "datetimeutc")                                      \
	X(CAT_COLUMN_TIME, "origintimestamputc")                               \
	X(CAT_COLUMN_TIME, "origintimestamp")                                  \
	X(CAT_COLUMN_SENDER, "senderaddress")                                  \
	X(CAT_COLUMN_SENDER, "sender")                                         \
	X(CAT_COLUMN_RECIPIENT, "recipientaddress")                            \
	X(CAT_COLUMN_RECIPIENT, "recipient")                                   \
	X(CAT_COLUMN_STATUS, "status")                                         \
	X(CAT_COLUMN_STATUS, "deliverystatus")                                 \
	X(CAT_COLUMN_EVENT, "event")                                           \
	X(CAT_COLUMN_EVENT, "eventid")                                         \
	X(CAT_COLUMN_DETAIL, "detail")                                         \
	X(CAT_COLUMN_DETAIL, "recipientstatus")                                \
	X(CAT_COLUMN_ID, "messagetraceid")                                     \
	X(CAT_COLUMN_ID, "networkmessageid")                                   \
	X(CAT_COLUMN_ID, "internalmessageid")                                  \
	X(CAT_COLUMN_ID, "messageid")                                          \
	X(CAT_COLUMN_HOST, "serverhostname")

/* A delivery status (Get-MessageTraceV2's -Status values) or the first
 * word of a detail row's event (Get-MessageTraceDetailV2's -Event values;
 * the admin center writes "Send external"), X(word, what): an outcome, or
 * TRACE_REFUSAL for what the service's own filtering kept (quarantine,
 * spam filtering: never a bounce of the sender's mail), or TRACE_NONE for
 * no delivery (Expanded: a group's members are their own rows;
 * GettingStatus: not known yet; RECEIVE, EXPAND, TRANSFER ...). Words not
 * listed are no delivery too. Matched without case. */
#define TRACE_WORD_LIST(X)                                                     \
	X("Delivered", OUTCOME_DELIVERED)                                      \
	X("Failed", OUTCOME_FAILED)                                            \
	X("Pending", OUTCOME_DEFERRED)                                         \
	X("Quarantined", TRACE_REFUSAL)                                        \
	X("FilteredAsSpam", TRACE_REFUSAL)                                     \
	X("Expanded", TRACE_NONE)                                              \
	X("GettingStatus", TRACE_NONE)                                         \
	X("None", TRACE_NONE)                                                  \
	X("SEND", OUTCOME_SENT)                                                \
	X("DELIVER", OUTCOME_DELIVERED)                                        \
	X("FAIL", OUTCOME_FAILED)                                              \
	X("DEFER", OUTCOME_DEFERRED)

enum { TRACE_REFUSAL = OUTCOME_COUNT, TRACE_NONE, TRACE_MAX_COLUMNS = 64, TRACE_NAME_MAX = 32 };

int
cat_columns_read(const char *line, size_t len, struct cat_columns *out)
{
	static const struct {
		enum cat_column role;
		const char *name;
	} names[] = {
#define TRACE_COLUMN_ROW(role, name) { role, name },
		TRACE_COLUMN_LIST(TRACE_COLUMN_ROW)
#undef TRACE_COLUMN_ROW
	};
	const char *f[2 * TRACE_MAX_COLUMNS], *end = line + len;
	size_t best[CAT_COLUMN_COUNT], i, k, n, pairs = (size_t)-1;

	if (!line || !out)
		return 0;
	out->pairs = 0;
	if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
		line += 3; /* a UTF-8 byte order mark */
	n = csv_fields(line, end, f, TRACE_MAX_COLUMNS);
	for (k = 0; k < CAT_COLUMN_COUNT; k++) {
		out->at[k] = -1;
		best[k] = (size_t)-1;
	}
	out->n = n;
	for (i = 0; i < n; i++) {
		char name[TRACE_NAME_MAX];
		size_t m = 0;
		const char *p;

		for (p = f[2 * i]; p < f[2 * i + 1] && m + 1 < sizeof(name); p++)
			if (alnum(*p))
				name[m++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		name[m] = '\0';
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (strcmp(name, names[k].name) == 0 && k < best[names[k].role]) {
				best[names[k].role] = k;
				out->at[names[k].role] = (int)i;
			}
		if (strcmp(name, "recipientstatus") == 0)
			pairs = i;
	}
	/* recipient_status without recipient_address nor an event column:
	 * the enhanced summary report's pairs of recipient and status */
	if (out->at[CAT_COLUMN_RECIPIENT] < 0 && out->at[CAT_COLUMN_STATUS] < 0 &&
	    out->at[CAT_COLUMN_EVENT] < 0 && pairs != (size_t)-1) {
		out->at[CAT_COLUMN_RECIPIENT] = (int)pairs;
		if (out->at[CAT_COLUMN_DETAIL] == (int)pairs)
			out->at[CAT_COLUMN_DETAIL] = -1;
		out->pairs = 1;
		return 1;
	}
	return out->at[CAT_COLUMN_RECIPIENT] >= 0 &&
	       (out->at[CAT_COLUMN_STATUS] >= 0 || out->at[CAT_COLUMN_EVENT] >= 0);
}

size_t
cat_columns_row_end(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	if (!text)
		return 0;
	/* field by field, as csv_fields() reads them: a quote opens a quoted
	 * field only at the field's start ("" inside is a quote); elsewhere
	 * it is a character */
	for (;;) {
		if (p < end && *p == '"') {
			for (p++; p < end; p++)
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"')
						p++;
					else
						break;
				}
			if (p == end)
				return len;
			p++;
		}
		while (p < end && *p != ',' && *p != '\n')
			p++;
		if (p == end)
			return len;
		if (*p == '\n')
			return (size_t)(p - text);
		p++;
	}
}

/* What the word [s, e) says (TRACE_WORD_LIST): its first word, without case. */
static int
trace_word(const char *s, const char *e)
{
	static const struct {
		const char *word;
		int what;
	} words[] = {
#define TRACE_WORD_ROW(word, what) { word, what },
		TRACE_WORD_LIST(TRACE_WORD_ROW)
#undef TRACE_WORD_ROW
	};
	const char *w = s;
	size_t i;

	while (w < e && *w != ' ')
		w++;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if ((size_t)(w - s) == strlen(words[i].word) && ieq_prefix(s, w, words[i].word))
			return words[i].what;
	return TRACE_NONE;
}

/* The common fields of a row's items. */
static void
trace_common(const char *base, const struct span *col, struct item *it)
{
	memset(it, 0, sizeof(*it));
	it->format = "log:m365";
	it->time = col[CAT_COLUMN_TIME];
	it->queue_id = col[CAT_COLUMN_ID];
	it->host = col[CAT_COLUMN_HOST];
	if (span_ok(col[CAT_COLUMN_SENDER])) {
		it->sender = col[CAT_COLUMN_SENDER];
		it->has_sender = 1;
	}
	(void)base;
}

/* What a row's word says, into it: 0 when it is no delivery. */
static int
trace_outcome(const char *base, const char *s, int what, struct item *it)
{
	if (what == TRACE_NONE) {
		it->event = CAT_EVENT_NOT_DELIVERY;
		it->text = it->host = it->recipient = mkspan(base, s, s);
		it->sender = mkspan(base, s, s);
		it->has_sender = 0;
		return 0;
	}
	it->event = what == TRACE_REFUSAL ? CAT_EVENT_REFUSAL : CAT_EVENT_DELIVERY;
	if (what != TRACE_REFUSAL)
		set_outcome(it, (enum outcome)what);
	return 1;
}

/* The pairs of an enhanced summary report's recipient_status, [r, re):
 * "address##Receive, Send;address##Receive, Fail", each recipient with the
 * events of the message for it, the last of which says what became of
 * it. An item per pair, at most max; a row that names none is one of no
 * delivery. */
static size_t
trace_pairs(const char *base, const char *s, const char *r, const char *re, const struct span *col,
	    struct item *items, size_t max)
{
	size_t n = 0;

	while (r < re && n < max) {
		const char *pe = memchr(r, ';', (size_t)(re - r)), *h, *w, *we;
		struct item *it = &items[n];

		if (!pe)
			pe = re;
		for (h = r; h + 1 < pe && !(h[0] == '#' && h[1] == '#'); h++)
			;
		if (h + 1 < pe) {
			/* the last event: after the last comma, without spaces */
			for (w = pe; w > h + 2 && w[-1] != ','; w--)
				;
			while (w < pe && *w == ' ')
				w++;
			for (we = pe; we > w && (we[-1] == ' ' || we[-1] == '"'); we--)
				;
			trace_common(base, col, it);
			it->recipient = logline_address(base, r, h);
			if (span_ok(it->recipient)) {
				if (trace_outcome(base, s, trace_word(w, we), it))
					it->outcome_at = it->text = mkspan(base, w, we);
				n++;
			}
		}
		r = pe < re ? pe + 1 : re;
	}
	if (!n) {
		trace_common(base, col, &items[0]);
		trace_outcome(base, s, TRACE_NONE, &items[0]);
		n = 1;
	}
	return n;
}

size_t
logline_trace_row(const char *base, const char *s, const char *end, const struct cat_columns *c,
		  struct item *items, size_t max)
{
	const char *f[2 * TRACE_MAX_COLUMNS], *r, *re;
	struct span col[CAT_COLUMN_COUNT];
	size_t n = csv_fields(s, end, f, TRACE_MAX_COLUMNS), k;
	struct item *it = &items[0];
	int what = TRACE_NONE, i;

	for (k = 0; k < CAT_COLUMN_COUNT; k++) {
		i = c->at[k];
		col[k] = i >= 0 && (size_t)i < n ? mkspan(base, f[2 * i], f[2 * i + 1])
						 : mkspan(base, s, s);
	}
	if (c->pairs)
		return trace_pairs(base, s, base + col[CAT_COLUMN_RECIPIENT].start,
				   base + col[CAT_COLUMN_RECIPIENT].end, col, items, max);
	trace_common(base, col, it);
	/* the event of a detail row says what that row did; a summary row
	 * has only the message's status */
	if (span_ok(col[CAT_COLUMN_EVENT])) {
		what = trace_word(base + col[CAT_COLUMN_EVENT].start, base + col[CAT_COLUMN_EVENT].end);
		it->outcome_at = col[CAT_COLUMN_EVENT];
	} else if (span_ok(col[CAT_COLUMN_STATUS])) {
		what = trace_word(base + col[CAT_COLUMN_STATUS].start,
				  base + col[CAT_COLUMN_STATUS].end);
		it->outcome_at = col[CAT_COLUMN_STATUS];
	}
	if (!trace_outcome(base, s, what, it))
		return 1;
	/* the first of the recipients (a row may list several, by ";") */
	r = base + col[CAT_COLUMN_RECIPIENT].start;
	re = base + col[CAT_COLUMN_RECIPIENT].end;
	if (memchr(r, ';', (size_t)(re - r)))
		re = memchr(r, ';', (size_t)(re - r));
	it->recipient = logline_address(base, r, re);
	/* the server's reply when the export gives it, else the status */
	it->text = span_ok(col[CAT_COLUMN_DETAIL]) ? col[CAT_COLUMN_DETAIL] : it->outcome_at;
	return 1;
}

/* ------------------------------------------------------------ delivered */

/* Whether the n bytes at p are the literal lit (n at most 8): one load
 * and compare, where memcmp() would be a call. */
static inline int
eq8(const char *p, const char *lit, size_t n)
{
	uint64_t a = 0, b = 0;

	memcpy(&a, p, n);
	memcpy(&b, lit, n);
	return a == b;
}

/* Whether "status=sent " stands at p (12 bytes there). */
static inline int
is_status_sent(const char *p)
{
	return eq8(p, "status=s", 8) && eq8(p + 8, "ent ", 4);
}

/* find(s, end, "status=sent "), with the literal known: where SSE2 is,
 * sixteen places at a time that have its 's' and, six bytes on, its '='
 * (the other fields' '=' are not preceded so), each then compared whole.
 * memchr() for each '=' and memcmp() cost more than the line's other
 * fields together: a delivery line has half a dozen before its status. */
static const char *
status_sent(const char *s, const char *end)
{
	const char *p = s;

#ifdef __SSE2__
	const __m128i ls = _mm_set1_epi8('s'), le = _mm_set1_epi8('=');

	/* thirty-two places a turn: one test of the two halves' bits */
	for (; end - p >= 38; p += 32) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 6));
		__m128i c = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
		__m128i d = _mm_loadu_si128((const __m128i *)(const void *)(p + 22));
		uint32_t m = (uint32_t)_mm_movemask_epi8(
				     _mm_and_si128(_mm_cmpeq_epi8(a, ls), _mm_cmpeq_epi8(b, le))) |
			     (uint32_t)_mm_movemask_epi8(
				     _mm_and_si128(_mm_cmpeq_epi8(c, ls), _mm_cmpeq_epi8(d, le)))
				     << 16;

		for (; m; m &= m - 1) {
			const char *x = p + __builtin_ctz(m);

			if (end - x >= 12 && is_status_sent(x))
				return x;
		}
	}
	for (; end - p >= 22; p += 16) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 6));
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_and_si128(_mm_cmpeq_epi8(a, ls), _mm_cmpeq_epi8(b, le)));

		for (; m; m &= m - 1) {
			const char *x = p + __builtin_ctz(m);

			if (end - x >= 12 && is_status_sent(x))
				return x;
		}
	}
#endif
	for (; end - p >= 12; p++)
		if (*p == 's' && is_status_sent(p))
			return p;
	return NULL;
}

/* The first c in [p, end), else end: memchr() without its call (a
 * delivered line looks for a few bytes, each a field or so on). */
static inline const char *
find_byte(const char *p, const char *end, char c)
{
#ifdef __SSE2__
	const __m128i x = _mm_set1_epi8(c);

	for (; end - p >= 16; p += 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), x));

		if (m)
			return p + __builtin_ctz(m);
	}
#endif
	while (p < end && *p != c)
		p++;
	return p;
}

/* The recipient's closing '>' from p on, else NULL; *at is set when an
 * '@' comes before it: memchr() of each in one pass. */
static inline const char *
rcpt_end(const char *p, const char *end, int *at)
{
#ifdef __SSE2__
	const __m128i gt = _mm_set1_epi8('>'), ch = _mm_set1_epi8('@');

	for (; end - p >= 16; p += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned g = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, gt));
		unsigned a = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, ch));

		if (g) {
			/* the '@' bits below the first '>' */
			*at |= (a & ((g & (0u - g)) - 1)) != 0;
			return p + __builtin_ctz(g);
		}
		*at |= a != 0;
	}
#endif
	for (; p < end; p++) {
		if (*p == '>')
			return p;
		*at |= *p == '@';
	}
	return NULL;
}

/* logline_sent() for a line with a syslog head, read in one pass: the
 * same answer as the general way below, found in a third of the time (a
 * log of deliveries is nearly all such lines). The bytes looked for are
 * found without a call each (find_byte(), rcpt_end()), and the queue id's
 * letters and digits sixteen at a time (bs_alnum_run()). */
static int
sent_syslog(const char *s, const char *end, struct logline_sent *f)
{
	const char *host = s + 16, *he, *prog, *pe, *q, *msg, *p, *st;
	int at = 0, caps = 0;

	/* log_head()'s head: the host, then "prog[pid]: " */
	if ((he = find_byte(host, end, ' ')) == end)
		return 0;
	prog = he + 1;
	/* the program's name is checked below; its start now, so that the
	 * search for its end starts past "postfix" */
	if (end - prog < 12 || !eq8(prog, "postfix", 7))
		return 0;
	/* "postfix/smtp[" as a rule; else its end is looked for */
	if (end - prog > 12 && prog[12] == '[' && (eq8(prog + 7, "/smtp", 5) || eq8(prog + 7, "/lmtp", 5)))
		q = prog + 12;
	else
		for (q = prog + 7; q < end && q - prog < 64 && *q != '[' && *q != ':' && *q != ' '; q++)
			;
	pe = q;
	if (q > prog && q < end && *q == '[' && (q = find_byte(q, end, ']')) == end)
		q = NULL;
	/* the pid's brackets: the one place of the head, with the recipient,
	 * whose bytes may hold "status=sent " (see below) */
	if (q && q > pe && q - pe > 12 && status_sent(pe + 1, q))
		return 0;
	if (q && q > prog && q + 1 < end && *q == ']')
		q++;
	if (!q || q <= prog || q + 1 >= end || q[0] != ':' || q[1] != ' ')
		return 0;
	msg = q + 2;
	if (pe - prog < 12 || !eq8(prog, "postfix", 7) ||
	    (!eq8(pe - 5, "/smtp", 5) && !eq8(pe - 5, "/lmtp", 5)))
		return 0;
	/* "QUEUEID: to=<rcpt>" ("to" in any case, as ieq_prefix() reads it) */
	p = bs_alnum_run(msg, end, &caps);
	if (p == msg || end - p < 6 || p[0] != ':' || p[1] != ' ' || (p[2] | 32) != 't' ||
	    (p[3] | 32) != 'o' || p[4] != '=' || p[5] != '<')
		return 0;
	f->qid = msg;
	f->qid_end = p;
	p += 6;
	q = rcpt_end(p, end, &at);
	if (!q || !at)
		return 0;
	/* the line's first "status=sent " comes after the recipient. It is
	 * looked for from the recipient's start: before it, one can stand
	 * only inside the pid's brackets (looked at above) or end at the
	 * host's end. The time has spaces where the literal has letters; the
	 * host, the program's name and the queue id have no space, and what
	 * follows each (' ', '[' or ':', ": to=<") could only be the
	 * literal's last byte if it is the host's space; the literal holds
	 * no '>', '[', ']', ':' or '<', so none straddles the recipient's
	 * end nor a bracket. */
	if (he - host >= 11 && is_status_sent(he - 11))
		return 0;
	st = status_sent(p, end);
	if (!st || st < q)
		return 0;
	f->rcpt = p;
	f->rcpt_end = q;
	f->time = s;
	f->time_end = s + 15;
	f->host = host;
	f->host_end = he;
	return 1;
}

int
logline_sent(const char *s, const char *end, struct logline_sent *f)
{
	struct loghead h;
	const char *p, *q, *st;
	size_t n;

	n = (size_t)(end - s);
	if (n >= 17 && s[0] >= 'A' && s[0] <= 'Z' && s[3] == ' ' && dig(s[5]) && s[6] == ' ' &&
	    dig(s[7]) && s[9] == ':' && s[12] == ':' && s[15] == ' ')
		return sent_syslog(s, end, f);

	/* the cheap test first: most lines of a log are deliveries made */
	st = find(s, end, "status=sent ");
	if (!st || !log_head(s, end, &h) || !h.prog || h.exim)
		return 0;
	n = (size_t)(h.prog_end - h.prog);
	if (n < 12 || memcmp(h.prog, "postfix", 7) != 0 ||
	    (memcmp(h.prog_end - 5, "/smtp", 5) != 0 && memcmp(h.prog_end - 5, "/lmtp", 5) != 0))
		return 0;
	/* "QUEUEID: to=<rcpt>, ..." */
	for (p = h.msg; p < end && alnum(*p); p++)
		;
	if (p == h.msg || !ieq_prefix(p, end, ": to=<"))
		return 0;
	f->qid = h.msg;
	f->qid_end = p;
	p += 6;
	q = memchr(p, '>', (size_t)(end - p));
	if (!q || q > st || !memchr(p, '@', (size_t)(q - p)))
		return 0;
	f->rcpt = p;
	f->rcpt_end = q;
	f->time = h.time;
	f->time_end = h.time_end;
	f->host = h.host;
	f->host_end = h.host_end;
	return 1;
}
