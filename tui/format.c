/* format.c: entries and diagnoses as labelled fields, drawn by both the CLI and the browser. */
#include "format.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static const char *const rating_words[] = {
#define FMT_RATING_WORD(id, word) [id] = word,
	FMT_RATING_LIST(FMT_RATING_WORD)
#undef FMT_RATING_WORD
};

/* The rating of a type: `other` for none (and for INFO, the caller's). */
static enum fmt_rating
rating_of_type(enum cat_type t, enum fmt_rating info, enum fmt_rating other)
{
	switch (t) {
	case CAT_TYPE_HARD:
		return FMT_RATING_HARD;
	case CAT_TYPE_SOFT:
		return FMT_RATING_SOFT;
	case CAT_TYPE_BLOCK:
		return FMT_RATING_BLOCK;
	case CAT_TYPE_INFO:
		return info;
	default:
		return other;
	}
}

enum fmt_rating
fmt_rating_of(int cls, enum cat_type reason_type)
{
	/* the analyzer's rule for a diagnosis (step_words()), for the class
	 * and the reason alone */
	switch (cls) {
	case 2:
		return FMT_RATING_SUCCESS;
	case 3:
		return FMT_RATING_INFO;
	case 4:
		return reason_type == CAT_TYPE_INFO ? FMT_RATING_INFO : FMT_RATING_SOFT;
	default:
		break;
	}
	return rating_of_type(reason_type, FMT_RATING_INFO,
			      cls == 5 ? FMT_RATING_HARD : FMT_RATING_NONE);
}

enum fmt_rating
fmt_entry_rating(const struct cat_entry *e)
{
	int cls = cat_class_digit(e->severity);
	enum fmt_rating r = fmt_rating_of(cls, e->reason_type);

	/* as the analyzer types a diagnosis (step_words()): a soft reason
	 * under a permanent code is a refusal that will not be taken back,
	 * block, except a state of the address (X.2.2, or a soft reason of the
	 * recipient's group in the catalog: a full mailbox, 552 alone) and
	 * the MTA's own expiry after its retries ("expired", a reason the
	 * engine requires of every catalog) */
	if (r == FMT_RATING_SOFT && cls == 5 && !(e->subject == 2 && e->detail_lo == 2) &&
	    e->reason_group != CAT_GROUP_RECIPIENT && !(e->reason && strcmp(e->reason, "expired") == 0))
		r = FMT_RATING_BLOCK;
	return r;
}

enum fmt_rating
fmt_diagnosis_rating(const struct cat_diagnosis *d)
{
	return rating_of_type(d->type,
			      cat_class_digit(d->cls) == 2 ? FMT_RATING_SUCCESS : FMT_RATING_INFO,
			      FMT_RATING_NONE);
}

const char *
fmt_severity_text(enum fmt_rating r, int cls, enum cat_action act)
{
	switch (r) {
	case FMT_RATING_HARD:
		return "HARD: a permanent failure; sending the same again will not help";
	case FMT_RATING_SOFT:
		if (cls == 5)
			return "SOFT: the server refused this message for good, but the cause can "
			       "clear: keep the address and send again later";
		if (cls == 4)
			return "SOFT: a transient failure; the server asks for another try later";
		return "SOFT: the cause can clear";
	case FMT_RATING_BLOCK:
		/* whose side it is on is the reason's (its `do` in the
		 * catalog): a receiver's own policy or broken setup is not
		 * the sender's to fix */
		if (act == CAT_ACTION_CONTACT_RECIPIENT_ADMIN)
			return "BLOCK: a refusal by the receiving side's own rules or setup, not "
			       "a verdict on the recipient's address: keep the address and take "
			       "it up with the receiver's admin";
		if (act == CAT_ACTION_FIX_MESSAGE)
			return "BLOCK: a refusal of this message (its content, size or format), "
			       "not of the recipient: fix the message and send it again";
		return "BLOCK: a refusal of the sender (its address, domain, authentication "
		       "or content), not of the recipient: fix the sending side";
	case FMT_RATING_SUCCESS:
		return "OK: a success, not a failure";
	case FMT_RATING_INFO:
		return "INFO: not a failure";
	default:
		return NULL;
	}
}

const char *
fmt_rating_word(enum fmt_rating r)
{
	return (size_t)r < sizeof(rating_words) / sizeof(rating_words[0]) ? rating_words[r] : NULL;
}

const char *
fmt_class_words(int cls)
{
	switch (cls) {
	case 2:
		return "success";
	case 3:
		return "intermediate";
	case 4:
		return "transient failure";
	case 5:
		return "permanent failure";
	default:
		return NULL;
	}
}

static const char *
nz(const char *s)
{
	return s ? s : "";
}

static int
is_provider_entry(const struct cat_entry *e)
{
	return e->kind == CAT_KIND_ENTRY || e->kind == CAT_KIND_DECODED;
}

void
fmt_entry_heading(const struct cat_entry *e, unsigned style, struct fmt_heading *h)
{
	const char *w = NULL;
	size_t i;

	memset(h, 0, sizeof(*h));
	h->provider = is_provider_entry(e) ? e->provider : NULL;
	h->provider_line = is_provider_entry(e);
	h->code = e->code ? e->code : nz(e->key);
	h->title = nz(e->title);
	h->rating = fmt_entry_rating(e);
	h->severity = e->severity;
	(void)style;
	if (e->kind != CAT_KIND_SUBJECT)
		w = fmt_rating_word(h->rating);
	for (i = 0; w && w[i] && i + 1 < sizeof(h->badge_buf); i++)
		h->badge_buf[i] = (char)(w[i] >= 'a' && w[i] <= 'z' ? w[i] - 32 : w[i]);
	h->badge_buf[i] = '\0';
	h->badge = i ? h->badge_buf : NULL;
}

/* Appends a field; nothing for NULL or empty text. -1 on out of memory. */
static int
add(struct fmt_fields *f, const char *label, const char *body)
{
	struct fmt_field *v;

	if (!body || !*body)
		return 0;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;

		v = realloc(f->v, cap * sizeof(*v));
		if (!v)
			return -1;
		f->v = v;
		f->cap = cap;
	}
	v = &f->v[f->n];
	v->label = label ? strdup(label) : NULL;
	v->body = strdup(body);
	if ((label && !v->label) || !v->body) {
		free(v->label);
		free(v->body);
		return -1;
	}
	f->n++;
	return 0;
}

static int
addf(struct fmt_fields *f, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* As add() with the body formatted (cut at 2047 bytes, as both renderers
 * cut it before). */
static int
addf(struct fmt_fields *f, const char *label, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return add(f, label, buf);
}

/* The registry meaning of a provider entry's code. */
static int
add_registry(const struct cat_entry *e, unsigned style, struct fmt_fields *f)
{
	if (!e->registry_key)
		return 0;
	if (e->differs && (style & FMT_REGISTRY_FIRST))
		return addf(f, "Registry",
			    "%s %s (the registry meaning; this provider uses the code differently)",
			    e->registry_key, nz(e->registry_title));
	if (e->differs)
		return addf(f, "Registry", "%s %s. This provider gives the code another meaning.",
			    e->registry_key, nz(e->registry_title));
	return addf(f, "Registry", "%s %s", e->registry_key, nz(e->registry_title));
}

/* "As 5.1.1": what the code means in the class it was asked in. */
static int
add_class_meaning(const struct cat_entry *e, struct fmt_fields *f)
{
	char label[1024];

	if (!e->class_meaning)
		return 0;
	snprintf(label, sizeof(label), "As %s", nz(e->code));
	return add(f, label, e->class_meaning);
}

enum { RELATED_MAX = 16 };

static int
add_related(const struct cat_entry *e, struct fmt_fields *f)
{
	char *s = NULL, more[64];
	size_t i, len = 0;
	int rc;

	if (!e->n_links)
		return 0;
	for (i = 0; i < e->n_links && i < RELATED_MAX; i++)
		len += strlen(nz(e->links[i].key)) + 2;
	s = malloc(len + sizeof(more));
	if (!s)
		return -1;
	s[0] = '\0';
	for (i = 0; i < e->n_links && i < RELATED_MAX; i++) {
		if (i)
			strcat(s, "  ");
		strcat(s, nz(e->links[i].key));
	}
	if (i < e->n_links) {
		snprintf(more, sizeof(more), "  (+%zu more)", e->n_links - i);
		strcat(s, more);
	}
	rc = add(f, "Related", s);
	free(s);
	return rc;
}

int
fmt_entry_fields(const struct cat_entry *e, unsigned style, struct fmt_fields *f)
{
	const char *type = cat_type_name(e->reason_type);
	const char *group = cat_group_name(e->reason_group);
	int rc = 0;
	size_t i;

	if (is_provider_entry(e))
		rc |= addf(f, "Provider", "%s%s%s",
			   e->provider_name ? e->provider_name : nz(e->provider),
			   e->status ? ", " : "", nz(e->status));
	for (i = 0; i < e->n_texts; i++)
		rc |= add(f, i == 0 ? "Server says" : NULL, e->texts[i]);
	if (e->cls && fmt_class_words(e->cls) && e->kind != CAT_KIND_CLASS)
		rc |= addf(f, "Class", "%d, %s", e->cls, fmt_class_words(e->cls));
	/* a subject is in every class: no word of its own */
	if (e->kind != CAT_KIND_SUBJECT && e->kind != CAT_KIND_REASON)
		rc |= add(f, "Severity",
			  fmt_severity_text(fmt_entry_rating(e), cat_class_digit(e->severity),
					    e->action_id));
	if (e->status && !is_provider_entry(e) && strcmp(e->status, "standard") != 0)
		rc |= addf(f, "Status", "%s%s%s", e->status,
			   e->likely ? "; most likely means " : "", nz(e->likely));
	rc |= add(f, "Defined in", e->rfc);
	rc |= add(f, "Meaning", e->meaning);
	if (style & FMT_REGISTRY_FIRST) {
		rc |= add_registry(e, style, f);
		rc |= add_class_meaning(e, f);
	} else {
		rc |= add_class_meaning(e, f);
		rc |= add_registry(e, style, f);
	}
	rc |= add(f, "Causes", e->causes);
	rc |= add(f, "Fix", e->fix);
	if (e->metric)
		rc |= addf(f, "Threshold", "%s: %s", e->metric, nz(e->limit));
	/* a provider's names are there for the search; the notes below show
	 * its aliases and domains */
	if (e->extra_kind != CAT_EXTRA_NAMES)
		rc |= add(f, e->extra_kind != CAT_EXTRA_NONE ? cat_extra_label(e->extra_kind) : "More",
			  e->extra);
	for (i = 0; i < e->n_notes; i++) {
		char label[512];

		/* the as-class note for the asked class is shown above */
		if (e->class_meaning && e->notes[i].body == e->class_meaning)
			continue;
		rc |= add(f, cat_note_label(&e->notes[i], label, sizeof(label)), e->notes[i].body);
	}
	if (e->reason)
		rc |= addf(f, e->kind == CAT_KIND_REPLY ? "Usually" : "Reason",
			   "%s%s%s%s%s%s%s%s",
			   (style & FMT_REASON_TITLE_ONLY) ? "" : e->reason,
			   (style & FMT_REASON_TITLE_ONLY) || !e->reason_title ? "" : ": ",
			   nz(e->reason_title), type ? " (" : "", nz(type),
			   group ? ", " : "", nz(group), type ? ")" : "");
	else if (e->kind == CAT_KIND_REASON && type)
		rc |= addf(f, "Type", "%s (%s)", type, nz(group));
	rc |= add(f, "Action", e->action);
	if (e->impact)
		rc |= addf(f, "Reputation", "%s%s%s%s",
			   e->impact_title ? e->impact_title : e->impact,
			   e->impact_level ? " (" : "", nz(e->impact_level),
			   e->impact_level ? ")" : "");
	else
		rc |= add(f, "Level", e->impact_level);
	if (e->postmaster)
		rc |= addf(f, "Postmaster", "%s %s", e->postmaster, nz(e->postmaster_href));
	/* who delists comes before the text: "receiver" or "expires" changes
	 * what the reader does more than the words after it */
	if (e->delist_by)
		rc |= addf(f, "Delisting", "by %s: %s%s%s", e->delist_by, nz(e->delist),
			   e->delist_href ? " " : "", nz(e->delist_href));
	for (i = 0; i < e->n_sources; i++) {
		const struct cat_source *s = &e->sources[i];

		rc |= addf(f, i == 0 ? "Source" : NULL, "%s%s%s%s%s%s%s%s", nz(s->title),
			   s->license ? " (" : "", nz(s->license), s->license ? ")" : "",
			   s->as_of ? ", as of " : "", nz(s->as_of), s->href ? " " : "",
			   nz(s->href));
	}
	if (style & FMT_RELATED_KEYS)
		rc |= add_related(e, f);
	if (e->origin && strcmp(e->origin, "built-in") != 0)
		rc |= addf(f, "From", "%s, line %d", e->origin, e->line);
	else if (e->origin && (style & FMT_FROM_BUILTIN))
		rc |= addf(f, "From", "the built-in catalog, line %d", e->line);
	return rc ? -1 : 0;
}

/* ------------------------------------------------------------ diagnoses */

enum { QUOTE_MAX = 40 };

void
fmt_type_word(const struct cat_diagnosis *d, char *out, size_t size)
{
	const char *w = cat_type_name(d->type);
	size_t i;

	if (!w)
		w = "unknown";
	for (i = 0; w[i] && i + 1 < size; i++)
		out[i] = (char)(w[i] >= 'a' && w[i] <= 'z' ? w[i] - 32 : w[i]);
	if (size)
		out[i] = '\0';
}

void
fmt_diagnosis_heading(const struct cat_diagnosis *d, char *out, size_t size)
{
	snprintf(out, size, "%s%s%s%s%s%s   confidence %s", d->reason ? d->reason : "unknown",
		 d->provider ? "  " : "", nz(d->provider), d->provider_tag ? " [" : "",
		 nz(d->provider_tag), d->provider_tag ? "]" : "",
		 d->confidence ? cat_confidence_name(d->confidence) : "low");
}

void
fmt_codes_text(const struct cat_diagnosis *d, struct tbuf *c)
{
	char num[16];

	if (d->reply) {
		snprintf(num, sizeof(num), "%d", d->reply);
		tbuf_adds(c, num);
		tbuf_adds(c, " (reply)");
	}
	if (d->enhanced[0]) {
		tbuf_adds(c, c->len ? ", " : "");
		tbuf_adds(c, d->enhanced);
		tbuf_adds(c, d->enhanced_inferred ? " (enhanced, inferred)" : " (enhanced)");
	}
	if (d->cls != CAT_CLASS_NONE) {
		tbuf_adds(c, c->len ? ", " : "");
		tbuf_adds(c, cat_class_name(d->cls));
	}
	if (d->outcome) {
		tbuf_adds(c, c->len ? "; " : "");
		tbuf_adds(c, "the MTA says ");
		tbuf_adds(c, d->outcome);
	}
}

/* "\"quote\" -> rule" for span e of src: the quote cut at QUOTE_MAX bytes,
 * the whole made safe (FMT_EVIDENCE_EACH). */
static int
add_evidence_each(struct fmt_fields *f, const char *label, const struct cat_span *e,
		  const char *src, size_t srclen)
{
	struct tbuf q = { 0 }, r = { 0 };
	int rc = -1;

	tbuf_adds(&q, "\"");
	if (src && e->start <= e->end && e->end <= srclen) {
		size_t n = e->end - e->start;

		tbuf_add(&q, src + e->start, n > QUOTE_MAX ? QUOTE_MAX : n);
		if (n > QUOTE_MAX)
			tbuf_adds(&q, "\xe2\x80\xa6");
	}
	tbuf_adds(&q, "\" -> ");
	tbuf_adds(&q, nz(e->rule));
	/* made safe here, bytes and all: a NUL in the quote must not cut the
	 * rule, a newline not break the line */
	if (q.s && text_sanitize(q.s, q.len, 0, &r))
		rc = add(f, label, r.s);
	tbuf_free(&q);
	tbuf_free(&r);
	return rc;
}

/* Every span in one field: "\"q1\" -> rule1, \"q2\" -> rule2", each quote
 * cut at QUOTE_MAX bytes and made safe. */
static int
add_evidence_joined(struct fmt_fields *f, const struct cat_diagnosis *d, const char *src,
		    size_t srclen)
{
	struct tbuf b = { 0 };
	size_t k;
	int rc;

	for (k = 0; k < d->n_evidence; k++) {
		const struct cat_span *e = &d->evidence[k];
		size_t n = e->end - e->start;

		if (k)
			tbuf_adds(&b, ", ");
		tbuf_adds(&b, "\"");
		if (src && e->end <= srclen) {
			struct tbuf q = { 0 };

			text_sanitize(src + e->start, n > QUOTE_MAX ? QUOTE_MAX : n, 0, &q);
			if (q.s)
				tbuf_adds(&b, q.s);
			if (n > QUOTE_MAX)
				tbuf_adds(&b, "\xe2\x80\xa6");
			tbuf_free(&q);
		}
		tbuf_adds(&b, "\" -> ");
		tbuf_adds(&b, nz(e->rule));
	}
	rc = add(f, "Evidence", b.s);
	tbuf_free(&b);
	return rc;
}

int
fmt_diagnosis_fields(const struct cat_analysis *an, size_t i, const char *input,
		     size_t input_len, unsigned style, struct fmt_fields *f)
{
	const struct cat_diagnosis *d = &an->d[i];
	struct tbuf c = { 0 };
	size_t k;
	int rc = 0;

	if (an->decoded) {
		/* the evidence indexes the decoded copy of the message */
		input = an->text;
		input_len = an->text_len;
	}
	fmt_codes_text(d, &c);
	rc |= add(f, "Codes", c.s);
	tbuf_free(&c);
	/* the word says what to do, the class what the server did: say why
	 * when they seem to disagree (SOFT for a permanent 550 5.2.2) */
	if (cat_class_digit(d->cls) == 5 && fmt_diagnosis_rating(d) != FMT_RATING_HARD &&
	    fmt_diagnosis_rating(d) != FMT_RATING_BLOCK)
		rc |= add(f, "Severity", fmt_severity_text(fmt_diagnosis_rating(d), 5, d->action));
	rc |= add(f, "Action", cat_action_name(d->action));
	/* a bounce is what a diagnosis is read as: only other kinds say so */
	if (d->event != CAT_EVENT_BOUNCE)
		rc |= add(f, "Event", cat_event_name(d->event));
	rc |= add(f, "Recipient", d->recipient);
	rc |= add(f, d->event == CAT_EVENT_REFUSAL ? "Client" : "Host", d->remote_host);
	if (d->sender)
		rc |= add(f, "Sender", *d->sender ? d->sender : "<> (the null sender)");
	rc |= add(f, "Stage", cat_stage_name(d->stage));
	rc |= add(f, "Queue id", d->queue_id);
	rc |= add(f, "Time", d->time);
	rc |= add(f, "What", d->summary);
	rc |= add(f, "Do", d->fix);
	rc |= add(f, "Note", d->note);
	if (an->decoded)
		rc |= add(f, "Read", FMT_DECODED_NOTE);
	if (style & FMT_EVIDENCE_EACH) {
		for (k = 0; k < d->n_evidence; k++)
			rc |= add_evidence_each(f, k == 0 ? "Evidence" : NULL, &d->evidence[k],
						input, input_len);
	} else {
		rc |= add_evidence_joined(f, d, input, input_len);
	}
	if ((style & FMT_ENTRIES_KEYS) && d->n_entries) {
		struct tbuf b = { 0 };

		for (k = 0; k < d->n_entries; k++) {
			if (k)
				tbuf_adds(&b, "  ");
			tbuf_adds(&b, d->entries[k]);
		}
		rc |= add(f, "Entries", b.s);
		tbuf_free(&b);
	}
	return rc ? -1 : 0;
}

void
fmt_fields_free(struct fmt_fields *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].label);
		free(f->v[i].body);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}
