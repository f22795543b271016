/* analyze_logline.c: one mail log line (Postfix, Exim, Sendmail, qmail) as an item. */
#include "analyze.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

/* The bytes that end an address ("<a@b>, ..."), and a relay's name
 * ("relay=mx.b[1.2.3.4]:25, ..."). */
static const unsigned char addr_stop[256] = {
	['>'] = 1, [','] = 1, [' '] = 1, ['\n'] = 1, ['\r'] = 1, [';'] = 1, ['"'] = 1, [')'] = 1,
	['\t'] = 1,
};
static const unsigned char relay_stop[256] = { ['['] = 1, [','] = 1, [' '] = 1 };

/* The address in "<a@b>" or "a@b" starting at s. */
struct span
logline_address(const char *base, const char *s, const char *end)
{
	const char *e;

	while (s < end && (*s == ' ' || *s == '<' || *s == '"'))
		s++;
	e = s;
	while (e < end && !addr_stop[(unsigned char)*e])
		e++;
	while (e > s && (e[-1] == ':' || e[-1] == '.'))
		e--;
	if (e > s && memchr(s, '@', (size_t)(e - s)))
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
	X(OUTCOME_EXPANDED, "expanded", "expanded", 2)

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

void
logline_outcome(struct item *it, const char *base, const char *w, const char *end)
{
	size_t i;
	int c0 = w < end ? (*w >= 'A' && *w <= 'Z' ? *w + 32 : *w) : 0;

	for (i = 0; i < OUTCOME_COUNT; i++)
		if (outcomes[i].word[0] == c0 && ieq_prefix(w, end, outcomes[i].word)) {
			set_outcome(it, (enum outcome)i);
			it->outcome_at = mkspan(base, w, w + outcomes[i].len);
			return;
		}
}

/* Postfix: ... to=<a@b>, relay=mx[1.2.3.4]:25, ..., dsn=5.1.1, status=bounced
 * (host mx[1.2.3.4] said: 550 5.1.1 ... (in reply to RCPT TO command)) */
int
logline_postfix(const char *base, const char *s, const char *end, struct item *it)
{
	const char *st = NULL, *to = NULL, *relay = NULL, *dsn = NULL, *p, *open;

	/* one pass over the '=' signs of the line finds every key */
	for (p = s; p < end && (p = memchr(p, '=', (size_t)(end - p))); p++) {
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
	}
	if (!st)
		return 0;
	it->format = "log:postfix";
	it->event = CAT_EVENT_DELIVERY;
	logline_outcome(it, base, st + 8, end);
	if ((p = to))
		it->recipient = logline_address(base, p + 5, st);
	if ((p = relay)) {
		const char *h = p + 6, *e = h;

		while (e < end && !relay_stop[(unsigned char)*e])
			e++;
		if (e > h && !ieq_prefix(h, e, "none") && !ieq_prefix(h, e, "local"))
			it->host = mkspan(base, h, e);
	}
	if ((p = dsn) && p + 5 < end) {
		const char *e = p + 5;

		while (e < end && (isdigit((unsigned char)*e) || *e == '.'))
			e++;
		it->status = mkspan(base, p + 5, e);
		it->status_rule = "log:postfix:dsn";
	}
	open = memchr(st, '(', (size_t)(end - st));
	if (open) {
		const char *said = find(open, end, " said: "), *t = said ? said + 7 : open + 1;
		const char *e = find(t, end, "(in reply to");

		if (!e) {
			e = end;
			while (e > t && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
				e--;
			if (e > t && e[-1] == ')')
				e--;
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

/* Exim main log: "id ** a@b R=... T=... H=mx [ip]: SMTP error from remote
 * mail server after RCPT TO:<a@b>: 550 5.1.1 ...", "==" deferred, "=>" sent. */
int
logline_exim(const char *base, const char *s, const char *end, struct item *it)
{
	static const struct {
		const char *flag;
		enum outcome outcome;
	} flags[] = { { " ** ", OUTCOME_BOUNCED }, { " == ", OUTCOME_DEFERRED },
		      { " => ", OUTCOME_SENT }, { " -> ", OUTCOME_SENT }, { " *> ", OUTCOME_SENT } };
	const char *f = NULL, *p, *t;
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]) && !f; i++) {
		f = find_ci(s, end, flags[i].flag);
		/* the flag follows the message id: 1a2b3c-000abc-AB */
		if (f && !(f - s >= 16 && f - s <= 60)) {
			const char *q;

			for (q = f - 1; q > s && *q != ' '; q--)
				;
			if (!(q && memchr(q, '-', (size_t)(f - q))))
				f = NULL;
		}
		if (f) {
			set_outcome(it, flags[i].outcome);
			it->outcome_at = mkspan(base, f + 1, f + 3);
		}
	}
	if (!f)
		return 0;
	it->format = "log:exim";
	it->event = CAT_EVENT_DELIVERY;
	it->recipient = logline_address(base, f + 4, end);
	if ((p = find_ci(f, end, " H="))) {
		const char *e = p + 3;

		while (e < end && *e != ' ' && *e != ':')
			e++;
		it->host = mkspan(base, p + 3, e);
	}
	t = find_ci(f, end, "SMTP error from remote mail server after ");
	if (t) {
		const char *colon = t + 41;

		/* after "RCPT TO:<a@b>: " or "end of data: " */
		p = colon;
		while (p < end && !(*p == ':' && p + 1 < end && p[1] == ' '))
			p++;
		t = p < end ? p + 2 : colon;
	} else {
		/* ": reason" after the routing fields, else everything after the flag */
		p = find_ci(f, end, "]: ");
		t = p ? p + 3 : f + 4;
		if (!p && (p = memchr(f + 4, ':', (size_t)(end - f - 4))))
			t = p + 1;
	}
	it->text = mkspan(base, t, end);
	return 1;
}

/* Sendmail: "... to=<a@b>, ..., relay=mx [ip], dsn=5.1.1, stat=User unknown" */
int
logline_sendmail(const char *base, const char *s, const char *end, struct item *it)
{
	const char *st = find(s, end, "stat="), *p;

	if (!st || !find(s, end, "dsn="))
		return 0;
	it->format = "log:sendmail";
	it->event = CAT_EVENT_DELIVERY;
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
	p += 2;
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
