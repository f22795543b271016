/* analyze_decide.c: the decision: provider, entry, reason, class, type, action, confidence. */
#include "analyze.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* ------------------------------------------------------------ deciding */

struct cand { /* a reason and why */
	int reason;
	int score;
	const char *rule;
	size_t start, end; /* input offsets, for evidence */
};

static const char *
astr(struct dstate *ds, const char *s)
{
	char *p;

	if (!s)
		return NULL;
	p = arena_strdup(ds->an->arena, s);
	if (!p)
		ds->oom = 1;
	return p;
}

const char *
decide_aspan(struct dstate *ds, const char *input, struct span sp)
{
	char *p;

	if (!span_ok(sp))
		return NULL;
	p = arena_strndup(ds->an->arena, input + sp.start, sp.end - sp.start);
	if (!p)
		ds->oom = 1;
	return p;
}

static void
evidence(struct dstate *ds, const char *rule, size_t start, size_t end)
{
	size_t i;

	if (!rule || end <= start)
		return;
	/* one rule's span inside another of its spans says nothing more
	 * ("protection.outlook.com" in "mail.protection.outlook.com"): the
	 * outer one is kept */
	for (i = 0; i < ds->n_ev; i++) {
		struct cat_span *e = &ds->ev[i];

		if (e->start > end || e->end < start ||
		    (e->rule != rule && strcmp(e->rule, rule) != 0))
			continue;
		if (e->start <= start && e->end >= end)
			return;
		if (start <= e->start && end >= e->end) {
			e->start = start;
			e->end = end;
			return;
		}
	}
	if (ds->n_ev < MAX_EVIDENCE) {
		ds->ev[ds->n_ev].rule = rule;
		ds->ev[ds->n_ev].start = start;
		ds->ev[ds->n_ev].end = end;
		ds->n_ev++;
	}
}

/* Evidence whose rule is prefix followed by name: "reply:550". */
static void
evidence_fmt(struct dstate *ds, size_t start, size_t end, const char *prefix, const char *name)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "%s%s", prefix, name ? name : "");
	evidence(ds, astr(ds, buf), start, end);
}

static void
add_entry_key(struct dstate *ds, const char *key)
{
	size_t i;

	if (!key)
		return;
	for (i = 0; i < ds->n_entries; i++)
		if (ds->entries[i] == key || strcmp(ds->entries[i], key) == 0)
			return;
	if (ds->n_entries < MAX_ENTRIES)
		ds->entries[ds->n_entries++] = key;
}

static const struct a_code *
find_reply(const struct cat_analyzer *a, int reply)
{
	return reply >= 0 && reply < 1000 && a->reply_at[reply] ? &a->replies[a->reply_at[reply] - 1]
							       : NULL;
}

static const struct a_code *
find_enh(const struct cat_analyzer *a, int subj, int det)
{
	return subj >= 0 && subj < 8 && det >= 0 && det < 1000 && a->enh_at[subj * 1000 + det]
		       ? &a->enh[a->enh_at[subj * 1000 + det] - 1]
		       : NULL;
}

static int
entry_fits(const struct a_entry *e, const struct codes *c)
{
	if (c->reply && e->reply && e->reply != c->reply)
		return 0;
	if (c->cls && e->esubj >= 0 &&
	    !(e->esubj == c->subj && c->det >= e->elo && c->det <= e->ehi &&
	      (!e->ecls || e->ecls == c->cls)))
		return 0;
	return 1;
}

/* entry_fits() without the reply code */
static int
entry_fits_enhanced(const struct a_entry *e, const struct codes *c)
{
	struct codes only = *c;

	only.reply = 0;
	return entry_fits(e, &only);
}

static int
domain_provider(const struct cat_analyzer *a, const char *input, struct span rcpt)
{
	const char *at;
	size_t i, dlen;
	char dom[256];

	if (!span_ok(rcpt))
		return -1;
	at = memchr(input + rcpt.start, '@', rcpt.end - rcpt.start);
	if (!at)
		return -1;
	dlen = (size_t)(input + rcpt.end - at - 1);
	if (dlen == 0 || dlen >= sizeof(dom))
		return -1;
	for (i = 0; i < dlen; i++)
		dom[i] = (char)tolower((unsigned char)at[1 + i]);
	dom[dlen] = '\0';
	return rules_domain_provider(a, dom, dlen);
}

/* A bit-flag tag such as bl000101 in the normalized text. */
static int
find_bitflag_tag(const struct cat_analyzer *a, const struct scan *sc, size_t *at, size_t *end)
{
	size_t b, i;

	for (b = 0; b < a->n_bitflags; b++) {
		const struct a_bitflags *bf = &a->bitflags[b];

		for (i = 0; bf->plen && i + bf->plen + (size_t)bf->digits <= sc->len; i++) {
			size_t k;

			if (sc->norm[i] != (unsigned char)bf->prefix[0] ||
			    memcmp(sc->norm + i, bf->prefix, bf->plen) != 0 ||
			    (i > 0 && isalnum(sc->norm[i - 1])))
				continue;
			for (k = 0; k < (size_t)bf->digits; k++)
				if (sc->norm[i + bf->plen + k] != '0' && sc->norm[i + bf->plen + k] != '1')
					break;
			if (k < (size_t)bf->digits)
				continue;
			k = i + bf->plen + (size_t)bf->digits;
			if (k < sc->len && isalnum(sc->norm[k]))
				continue;
			*at = i;
			*end = k;
			return (int)b;
		}
	}
	return -1;
}

/* "5.1.1" into a buffer of at least 16 bytes (each part 0-999). */
static void
format_code(char *out, int cls, int subj, int det)
{
	int parts[3] = { cls, subj, det }, k;
	char *p = out;

	for (k = 0; k < 3; k++) {
		int v = parts[k] < 0 ? 0 : parts[k] > 999 ? 999 : parts[k];

		if (k)
			*p++ = '.';
		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
	}
	*p = '\0';
}

/* The class of a diagnosis: an intermediate reply (3) names none. */
static enum cat_class
diagnosis_class(int cls)
{
	return cls == 3 ? CAT_CLASS_NONE : cat_class_of_digit(cls);
}

/* Decides one diagnosis from the scanned text and the item's structure. */
void
decide_item(struct dstate *ds, const char *input, const struct item *it, struct scan *sc)
{
	const struct cat_analyzer *a = ds->a;
	struct cat_diagnosis *d = ds->d;
	struct codes c;
	struct cand best = { -1, 0, NULL, 0, 0 };
	int prov = -1, prov_strong = 0, entry = -1, entry_score = 0, text_cls = 0;
	size_t prov_len = 0;
	int domain_prov;
	const struct hit *marker_tag = NULL;
	int text_cls_weight = 0;
	size_t text_cls_at = 0, text_cls_end = 0, i;
	const struct a_code *rc = NULL, *ec = NULL;
	const char *tag = NULL;
	int implied_subj = -1, implied_det = -1, cls = 0, icls;
	char note[256]; /* not "= \"\"": that clears all 256 bytes per call */

	note[0] = '\0';
	if (sc->have_codes)
		c = sc->codes;
	else
		codes_read(sc, input, &c);
	/* a structured status field wins over the first code of the text when
	 * it is more specific (Postfix writes dsn=5.0.0 for many replies) */
	if (span_ok(it->status)) {
		int cl, su, de;
		const unsigned char *t = (const unsigned char *)input + it->status.start;
		size_t l = codes_enhanced_at(t, 0, it->status.end - it->status.start, &cl, &su, &de);

		if (l && (!c.cls || !(su == 0 && de == 0) || c.cls != cl)) {
			if (!c.cls || (c.subj == 0 && c.det == 0) || cl != c.cls) {
				c.cls = cl;
				c.subj = su;
				c.det = de;
				c.enh_at = c.enh_end = (size_t)-1;
				evidence(ds, it->status_rule, it->status.start, it->status.end);
			}
		}
	}
	if (c.reply) {
		rc = find_reply(a, c.reply);
		if (rc)
			evidence(ds, rc->rule, c.reply_at, c.reply_end);
		else
			evidence_fmt(ds, c.reply_at, c.reply_end, "reply:", "?");
	}
	if (c.cls) {
		char *code = d->enhanced;

		ec = find_enh(a, c.subj, c.det);
		format_code(code, c.cls, c.subj, c.det);
		if (c.enh_at != (size_t)-1)
		{
			if (ec)
				evidence(ds, ec->rule, c.enh_at, c.enh_end);
			else
				evidence_fmt(ds, c.enh_at, c.enh_end, "enhanced:", code);
		}
	}
	d->reply = c.reply;

	domain_prov = domain_provider(a, input, it->recipient);
	/* provider: markers, tags, the recipient's domain */
	for (i = 0; i < sc->n_hits; i++) {
		const struct hit *h = &sc->hits[i];
		int k = PAT_KIND(h->id), idx = PAT_INDEX(h->id);

		if (k == PAT_MARKER) {
			const struct a_marker *m = &a->markers[idx];

			/* strong before weak, then the longest: olc.protection.outlook.com
			 * (Outlook.com) is more specific than protection.outlook.com */
			if (prov < 0 || (m->strong && !prov_strong) ||
			    (m->strong == prov_strong && m->len > prov_len)) {
				prov = m->prov;
				prov_strong = m->strong;
				prov_len = m->len;
			}
			if (m->is_tag && !marker_tag) {
				marker_tag = h;
			}
			evidence(ds, a->provs[m->prov].rule, sc->map[h->start], sc->map[h->end - 1] + 1);
		}
	}
	/* provider entries: by tag, by literal text, then by provider and codes */
	for (i = 0; i < sc->n_hits; i++) {
		const struct hit *h = &sc->hits[i];
		int k = PAT_KIND(h->id), idx = PAT_INDEX(h->id), score = 0, e = -1;

		if (k == PAT_TAG) {
			e = idx;
			score = 1000;
		} else if (k == PAT_FRAG) {
			e = a->frags[idx].entry;
			score = (int)a->frags[idx].len;
		}
		if (e < 0)
			continue;
		/* a long literal text identifies the entry even when the reply code
		 * is one of its other variants ("530 5.7.1 Client was not
		 * authenticated" beside its usual 550) */
		if (!entry_fits(&a->entries[e], &c) &&
		    !(k == PAT_FRAG && a->frags[idx].len >= 20 && c.reply &&
		      entry_fits_enhanced(&a->entries[e], &c)))
			continue;
		if (prov >= 0 && prov_strong && a->entries[e].prov != prov && k != PAT_TAG)
			continue;
		/* a short literal text is often a generic MTA phrase that a provider
		 * happens to send too ("Relay access denied"): it identifies the
		 * provider's entry only when something else names the provider */
		if (k == PAT_FRAG && a->frags[idx].generic && a->entries[e].prov != prov &&
		    a->entries[e].prov != domain_prov)
			continue;
		if (score > entry_score) {
			entry = e;
			entry_score = score;
		}
	}
	if (entry < 0 && it->ocls != 2) {
		size_t bs, be;
		int b = find_bitflag_tag(a, sc, &bs, &be);

		if (b >= 0 && (prov < 0 || prov == a->bitflags[b].prov)) {
			prov = a->bitflags[b].prov;
			{
				/* the normalized text is not NUL-terminated: copy the tag alone */
				char *t = arena_strndup(ds->an->arena, (const char *)sc->norm + bs, be - bs);

				if (!t)
					ds->oom = 1;
				tag = t;
				for (; t && *t; t++)
					*t = (char)toupper((unsigned char)*t);
			}
			if (a->bitflags[b].reason >= 0 && 9 > best.score) {
				best.reason = a->bitflags[b].reason;
				best.score = 9;
				best.rule = astr(ds, "bitflags");
				best.start = sc->map[bs];
				best.end = sc->map[be - 1] + 1;
			}
			evidence_fmt(ds, sc->map[bs], sc->map[be - 1] + 1, "tag:", tag ? tag : "");
		}
	}
	/* the provider's entry for these codes, when its markers are in the
	 * text; the recipient's domain alone names the provider, not the reply
	 * (a Postfix relay in front of it may have written the text) */
	if (entry < 0 && prov >= 0 && (c.reply || c.cls)) {
		/* the provider's entry for exactly these codes, when there is one */
		int found = -1, count = 0;
		size_t k, lo, hi;

		rules_prov_entries(a, prov, c.reply, &lo, &hi);
		for (k = lo; k < hi; k++) {
			const struct a_entry *e = &a->entries[a->by_prov[k]];

			i = (size_t)a->by_prov[k];
			/* cheap tests first: exactly this reply code, no tag */
			if (c.reply && e->reply != c.reply)
				continue;
			if (e->tag)
				continue; /* a tagged entry needs its tag */
			if ((c.cls && e->esubj < 0) || (!c.cls && e->esubj >= 0) || !entry_fits(e, &c))
				continue;
			if (found < 0)
				found = (int)i;
			count++;
		}
		if (found >= 0 && count == 1) {
			entry = found;
			entry_score = 1;
		}
	}
	if (entry >= 0) {
		const struct a_entry *e = &a->entries[entry];

		prov = e->prov;
		if (e->tag)
			tag = e->tag;
		for (i = 0; i < sc->n_hits; i++) {
			const struct hit *h = &sc->hits[i];
			int k = PAT_KIND(h->id), idx = PAT_INDEX(h->id);

			if ((k == PAT_TAG && idx == entry) ||
			    (k == PAT_FRAG && a->frags[idx].entry == entry))
				evidence(ds, k == PAT_TAG ? e->tag_rule : e->rule, sc->map[h->start],
					 sc->map[h->end - 1] + 1);
		}
		if (e->reason >= 0) {
			/* by tag 12, by its own text 11; by provider and codes only 8,
			 * which a decisive phrase of the text still overrides */
			best.reason = e->reason;
			best.score = entry_score >= 1000 ? 12 : entry_score > 1 ? 11 : 8;
			best.rule = e->key;
		}
		add_entry_key(ds, e->key);
	}

	/* reasons from codes */
	if (rc && rc->reason >= 0 && best.score < 2) {
		best.reason = rc->reason;
		best.score = 2;
		best.rule = rc->key;
	}
	if (ec && ec->reason >= 0 && best.score < 4) {
		best.reason = ec->reason;
		best.score = 4;
		best.rule = ec->key;
	}
	/* phrases: the heaviest, then the longest; a decisive phrase beats the
	 * enhanced code's registry reason, never a provider entry */
	{
		int pw = 0;
		size_t plen = 0;
		const struct hit *ph = NULL;

		for (i = 0; i < sc->n_hits; i++) {
			const struct hit *h = &sc->hits[i];
			const struct a_phrase *p;

			if (PAT_KIND(h->id) != PAT_PHRASE)
				continue;
			p = &a->phrases[PAT_INDEX(h->id)];
			if (p->subject_only && h->start < sc->subject_from)
				continue;
			if (p->cls && p->weight > text_cls_weight) {
				text_cls = p->cls;
				text_cls_weight = p->weight;
				text_cls_at = h->start;
				text_cls_end = h->end;
			}
			if (p->reason < 0)
				continue;
			evidence(ds, p->rule, sc->map[h->start], sc->map[h->end - 1] + 1);
			if (p->weight > pw || (p->weight == pw && p->len > plen)) {
				pw = p->weight;
				plen = p->len;
				ph = h;
			}
		}
		if (ph) {
			const struct a_phrase *p = &a->phrases[PAT_INDEX(ph->id)];
			/* vague phrases only fill in; decisive ones override codes */
			int score = p->weight >= 5 ? 5 + p->weight / 2 : 1;

			if (score > best.score || best.reason < 0) {
				if (best.reason >= 0 && best.reason != p->reason && best.score >= 2)
					snprintf(note, sizeof(note), "the text says %s; the code alone says %s",
						 a->reasons[p->reason].id, a->reasons[best.reason].id);
				best.reason = p->reason;
				best.score = score;
				best.rule = p->id;
			}
			if (p->isubj >= 0) {
				implied_subj = p->isubj;
				implied_det = p->idet;
			}
		}
	}
	if (text_cls)
		evidence(ds, "phrase:class", sc->map[text_cls_at],
			 sc->map[text_cls_end - 1] + 1);

	/* class: reply, else enhanced code, else the MTA's outcome */
	cls = c.reply ? c.reply / 100 : c.cls;
	if (!cls && it->outcome) {
		cls = it->ocls;
	}
	if (it->outcome && span_ok(it->outcome_at))
		evidence(ds, it->format, it->outcome_at.start, it->outcome_at.end);
	/* the MTA gave up: the message expired, whatever the last error was */
	if (it->expired && best.score < 4) {
		best.reason = a->r_expired;
		best.score = 4;
		best.rule = it->format;
	}
	if (c.reply == 0 && c.cls == 0 && !it->outcome && text_cls)
		cls = text_cls;
	else if (text_cls == 4 && cls == 5) {
		snprintf(note + strlen(note), sizeof(note) - strlen(note), "%sthe code is permanent but the text says the failure is temporary",
			 note[0] ? "; " : "");
		cls = 4;
	}

	/* the structure can settle it: auto-replies and complaints */
	if (it->forced_reason) {
		int r = rules_find_reason(a, it->forced_reason);

		if (r >= 0) {
			best.reason = r;
			best.score = 20;
			best.rule = it->forced_reason;
			cls = 0;
		}
	}
	if (cls == 2 && !it->forced_reason) {
		best.reason = a->r_success;
		best.score = 20;
	}
	if (best.reason < 0)
		best.reason = a->r_unknown;

	/* no code and no outcome at all ("Benutzer unbekannt"): the class of
	 * the code the text implies follows the reason's type, a hard or
	 * blocking reason permanent, a soft one transient. It names the class
	 * and the inferred code only: type and action stay the reason's own
	 * (a bare "mailbox full" is retried, then suppressed). */
	icls = cls;
	if (!icls && !c.reply && !c.cls && !it->outcome && best.reason >= 0 &&
	    best.reason != a->r_unknown) {
		enum cat_type t = a->reasons[best.reason].type;

		icls = t == CAT_TYPE_HARD || t == CAT_TYPE_BLOCK ? 5 : t == CAT_TYPE_SOFT ? 4 : 0;
	}
	/* the enhanced code, inferred when none was read */
	if (!c.cls && icls && icls != 3) {
		int s = -1, dt = -1;

		if (entry >= 0 && a->entries[entry].esubj >= 0 &&
		    a->entries[entry].elo == a->entries[entry].ehi) {
			s = a->entries[entry].esubj;
			dt = a->entries[entry].elo;
		} else if (implied_subj >= 0) {
			s = implied_subj;
			dt = implied_det;
		}
		if (s >= 0) {
			format_code(d->enhanced, icls, s, dt);
			d->enhanced_inferred = 1;
			ec = find_enh(a, s, dt);
		}
	}

	d->cls = diagnosis_class(d->enhanced_inferred ? icls : cls);
	if (best.reason >= 0) {
		const struct a_reason *r = &a->reasons[best.reason];
		int info = r->type == CAT_TYPE_INFO;

		d->reason = r->id;
		if (cls == 4 && !info)
			d->type = CAT_TYPE_SOFT;
		else if (cls == 2)
			d->type = CAT_TYPE_INFO;
		else
			d->type = r->type;
		d->action = cls == 4 && r->act_t != CAT_ACTION_UNSET ? r->act_t : r->act;
		if (cls == 2 || d->action == CAT_ACTION_UNSET)
			d->action = cls == 2 ? CAT_ACTION_NONE : CAT_ACTION_REVIEW;
	}
	if (prov < 0)
		prov = domain_prov;
	if (prov >= 0)
		d->provider = a->provs[prov].id;
	if (!tag && marker_tag) {
		/* "(S3150)" -> S3150 */
		size_t st0 = marker_tag->start, en = marker_tag->end;
		char buf[64];
		size_t n = 0, k2;

		for (k2 = st0; k2 < en && n + 1 < sizeof(buf); k2++)
			if (isalnum(sc->norm[k2]) || sc->norm[k2] == '-' || sc->norm[k2] == '_')
				buf[n++] = (char)toupper(sc->norm[k2]);
		buf[n] = '\0';
		if (n)
			tag = astr(ds, buf);
	}
	d->provider_tag = tag;
	d->outcome = it->outcome;

	/* confidence */
	if (best.reason == a->r_unknown)
		d->confidence = CAT_CONFIDENCE_LOW;
	else if (entry >= 0 || best.score >= 20 || (ec && !(icls && !cls) && best.score >= 4) ||
		 (c.cls && best.score >= 7))
		d->confidence = CAT_CONFIDENCE_HIGH;
	else if (best.score >= 2)
		d->confidence = CAT_CONFIDENCE_MEDIUM;
	else
		d->confidence = CAT_CONFIDENCE_LOW;

	/* what happened and what to do: the most specific text we have */
	if (entry >= 0) {
		d->summary = a->entries[entry].meaning;
		d->fix = a->entries[entry].fix;
	}
	/* the registry code explains only when its reason is the one chosen */
	if (!d->summary && ec && best.reason == ec->reason)
		d->summary = ec->meaning;
	if (!d->fix && ec && best.reason == ec->reason)
		d->fix = ec->fix;
	if (best.reason >= 0) {
		const struct a_reason *r = &a->reasons[best.reason];

		if (!d->summary)
			d->summary = r->meaning;
		if (!d->fix)
			d->fix = cls == 4 && r->transient ? r->transient : r->fix;
	}
	if (rc)
		add_entry_key(ds, rc->key);
	if (ec)
		add_entry_key(ds, ec->key);
	if (note[0])
		d->note = astr(ds, note);
}
