/* analyze_notice.c: a sending service's JSON notification as items (Amazon SES, also in SNS). */
#include "analyze.h"

#include <stddef.h>
#include <string.h>

/*
 * Amazon SES publishes what happened to a message as one JSON object (AWS,
 * "Amazon SNS notification contents for Amazon SES"): "notificationType"
 * ("eventType" with event publishing) is Bounce, Complaint, Delivery or
 * DeliveryDelay, and the object of that name lists the recipients, each
 * with its own status and diagnostic code. It arrives as it is (a webhook
 * body, a paste), in the body of a message, or as the string "Message" of
 * an Amazon SNS envelope, escaped once more.
 *
 * The reader below walks that JSON over the input in place, so that every
 * span it gives indexes the input. `level` is how many times the text is
 * escaped: 0 for JSON as it is, 1 for JSON inside a JSON string, where a
 * quote is written \" and white space may be written \n. Strings are
 * given raw (escapes are not undone): the values read are addresses, codes
 * and replies, which have none. Nesting is followed by counting, never by
 * recursion, and everything is bounded by the end of the input.
 */

struct jr {
	const char *start, *end;
	int level;
};

/* The number of backslashes right before p. */
static size_t
backslashes(const struct jr *j, const char *p)
{
	size_t k = 0;

	while (p - k > j->start && p[-(ptrdiff_t)k - 1] == '\\')
		k++;
	return k;
}

/* Whether a quote (the token, at level 0 '"', at level 1 '\"') starts at p. */
static int
quote_at(const struct jr *j, const char *p)
{
	if (j->level == 0)
		return p < j->end && *p == '"';
	return p + 1 < j->end && p[0] == '\\' && p[1] == '"';
}

static const char *
skip_ws(const struct jr *j, const char *p)
{
	while (p < j->end) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		else if (j->level && *p == '\\' && p + 1 < j->end &&
			 (p[1] == 'n' || p[1] == 'r' || p[1] == 't'))
			p += 2;
		else
			break;
	}
	return p;
}

/* The string whose opening quote is at p: its raw content in [*cs, *ce);
 * returns what follows its closing quote, NULL when there is none. A quote
 * closes the string when the backslashes before it leave it unescaped at
 * the reader's level: none escaping it at level 0 (an even number), and
 * at level 1 one for the outer string and an even number for the inner
 * (1 modulo 4). */
static const char *
jstring(const struct jr *j, const char *p, const char **cs, const char **ce)
{
	const char *q;

	if (!quote_at(j, p))
		return NULL;
	p += j->level ? 2 : 1;
	for (q = p; q < j->end && (q = memchr(q, '"', (size_t)(j->end - q))) != NULL; q++) {
		size_t k = backslashes(j, q);

		if (j->level == 0 ? k % 2 == 0 : k % 4 == 1) {
			*cs = p;
			*ce = j->level ? q - 1 : q;
			return q + 1;
		}
	}
	return NULL;
}

/* What follows the value that starts at p (white space skipped), NULL when
 * it does not end. */
static const char *
skip_value(const struct jr *j, const char *p)
{
	const char *cs, *ce;
	size_t depth = 0;

	p = skip_ws(j, p);
	if (quote_at(j, p))
		return jstring(j, p, &cs, &ce);
	if (p < j->end && *p != '{' && *p != '[') {
		/* a number, true, false, null */
		while (p < j->end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n' &&
		       *p != '\r' && *p != '\t' && *p != '\\')
			p++;
		return p;
	}
	while (p < j->end) {
		p = skip_ws(j, p);
		if (p >= j->end)
			break;
		if (quote_at(j, p)) {
			if (!(p = jstring(j, p, &cs, &ce)))
				return NULL;
			continue;
		}
		if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (depth == 0 || --depth == 0)
				return p + 1;
		}
		p++;
	}
	return NULL;
}

/* The value of member `key` of the object at p, NULL when it has none. */
static const char *
member(const struct jr *j, const char *p, const char *key)
{
	size_t n = strlen(key);

	if (!p || (p = skip_ws(j, p)) >= j->end || *p != '{')
		return NULL;
	p++;
	for (;;) {
		const char *cs, *ce;

		p = skip_ws(j, p);
		if (!(p = jstring(j, p, &cs, &ce)))
			return NULL;
		p = skip_ws(j, p);
		if (p >= j->end || *p != ':')
			return NULL;
		p = skip_ws(j, p + 1);
		if ((size_t)(ce - cs) == n && memcmp(cs, key, n) == 0)
			return p;
		if (!(p = skip_value(j, p)))
			return NULL;
		p = skip_ws(j, p);
		if (p >= j->end || *p != ',')
			return NULL;
		p++;
	}
}

/* The string value of member `key` of the object at p, raw, as a span;
 * empty when there is none or it is no string. */
static struct span
member_string(const struct jr *j, const char *base, const char *p, const char *key)
{
	const char *v = member(j, p, key), *cs, *ce;

	if (v && jstring(j, v, &cs, &ce))
		return mkspan(base, cs, ce);
	return mkspan(base, j->end, j->end);
}

/* The first element of the array at p, or the one after the element that
 * ends at p (first == 0); NULL at the end of the array. */
static const char *
element(const struct jr *j, const char *p, int first)
{
	if (!p || (p = skip_ws(j, p)) >= j->end)
		return NULL;
	if (*p != (first ? '[' : ','))
		return NULL;
	p = skip_ws(j, p + 1);
	return p < j->end && *p != ']' ? p : NULL;
}

static int
span_is(const char *base, struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return span_len(s) == n && memcmp(base + s.start, lit, n) == 0;
}

/* Whether the value at p is the object of an SES notification. */
static int
ses_object(const struct jr *j, const char *base, const char *p, struct span *type)
{
	*type = member_string(j, base, p, "notificationType");
	if (!span_ok(*type))
		*type = member_string(j, base, p, "eventType");
	return span_ok(*type);
}

size_t
notice_ses(const char *base, const char *s, const char *end, struct item *items)
{
	struct jr j = { s, end, 0 };
	struct span type, kind, origin;
	const char *obj, *o, *list, *el;
	const char *rlist = "bouncedRecipients", *objname = "bounce";
	enum cat_event ev = CAT_EVENT_BOUNCE;
	size_t n = 0;

	s = skip_ws(&j, s);
	/* cheap refusals first: a log line or a text is no JSON object */
	if (s >= end || *s != '{' || !find(s, end, "Type"))
		return 0;
	obj = s;
	if (!ses_object(&j, base, obj, &type)) {
		/* an Amazon SNS envelope: the notification is its Message */
		const char *m = member(&j, s, "Message");

		if (!m || m + 1 >= end || *m != '"' || m[1] != '{')
			return 0;
		j.level = 1;
		obj = m + 1;
		if (!ses_object(&j, base, obj, &type))
			return 0;
	}
	if (span_is(base, type, "Complaint")) {
		objname = "complaint";
		rlist = "complainedRecipients";
		ev = CAT_EVENT_COMPLAINT;
	} else if (span_is(base, type, "Delivery")) {
		objname = "delivery";
		rlist = "recipients";
		ev = CAT_EVENT_NONE; /* a success, by its reply */
	} else if (span_is(base, type, "DeliveryDelay")) {
		objname = "deliveryDelay";
		rlist = "delayedRecipients";
		ev = CAT_EVENT_DELAY;
	} else if (!span_is(base, type, "Bounce")) {
		return 0;
	}
	o = member(&j, obj, objname);
	/* Bounce: bounceType Permanent, Transient or Undetermined, and a
	 * subtype (General, NoEmail, Suppressed, OnAccountSuppressionList,
	 * MailboxFull ...); Complaint: complaintFeedbackType (abuse ...) */
	kind = member_string(&j, base, o, ev == CAT_EVENT_COMPLAINT ? "complaintFeedbackType" :
							  "bounceSubType");
	list = member(&j, o, rlist);
	/* what names the service that sent the notice: the identity's ARN
	 * (arn:aws:ses:...), else the reporting MTA; the reply in it is the
	 * receiver's, so this only lets the service's own codes (the bounce
	 * subtype) name its entries */
	origin = member_string(&j, base, member(&j, obj, "mail"), "sourceArn");
	if (!span_ok(origin))
		origin = member_string(&j, base, o, "reportingMTA");
	if (!span_ok(origin) && span_ok(kind)) {
		/* neither (a test or simulator notice): the subtype's own
		 * member name, a few bytes before its value, names the format */
		const char *v = base + kind.start, *from = v - 40 > s ? v - 40 : s;
		const char *k = find(from, v, "bounceSubType");

		if (k)
			origin = mkspan(base, k, k + 13);
	}
	/* one item per recipient; one without a recipient when none is listed */
	el = element(&j, list, 1);
	do {
		struct item *it = &items[n];
		struct span v;

		memset(it, 0, sizeof(*it));
		it->format = "ses";
		it->event = ev;
		it->text = kind;
		it->origin = origin;
		if (ev == CAT_EVENT_COMPLAINT)
			it->forced_reason = "complaint";
		if (ev == CAT_EVENT_NONE)
			it->text = member_string(&j, base, o, "smtpResponse");
		if (el && *el == '{') {
			v = member_string(&j, base, el, "emailAddress");
			it->recipient = logline_address(base, base + v.start, base + v.end);
			v = member_string(&j, base, el, "status");
			if (span_ok(v)) {
				it->status = v;
				it->status_rule = "ses:status";
			}
			v = member_string(&j, base, el, "action");
			if (span_ok(v))
				logline_outcome(it, base, base + v.start, base + v.end);
			v = member_string(&j, base, el, "diagnosticCode");
			if (span_ok(v)) {
				/* "smtp; 550 5.1.1 ...": the reply after the type */
				const char *semi = memchr(base + v.start, ';', span_len(v));

				it->text = mkspan(base, semi ? semi + 1 : base + v.start, base + v.end);
				it->extra = kind;
			}
		} else if (el && quote_at(&j, el)) {
			const char *cs, *ce;

			if (jstring(&j, el, &cs, &ce))
				it->recipient = logline_address(base, cs, ce);
		}
		/* a transient bounce is a soft one whatever the action says */
		if (ev == CAT_EVENT_BOUNCE) {
			struct span bt = member_string(&j, base, o, "bounceType");

			if (span_is(base, bt, "Transient"))
				it->ocls = 4;
			else if (span_is(base, bt, "Permanent") && !it->ocls)
				it->ocls = 5;
			if (it->ocls && !it->outcome)
				it->outcome = it->ocls == 4 ? "deferred" : "failed";
		}
		n++;
		if (!el || !(el = skip_value(&j, el)) || !(el = element(&j, el, 0)))
			break;
	} while (n < MAX_ITEMS);
	return n;
}
