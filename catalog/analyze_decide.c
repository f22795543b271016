/* analyze_decide.c: the decision: provider, entry, reason, class, type, action, confidence. */
#include "analyze.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytescan.h"
#include "util.h"

/* ------------------------------------------------------------ deciding */

/* The precedence of the evidence for a reason: a step sets the reason
 * when its score beats the one so far (the registry's reasons and the
 * MTA's "expired" only fill in below theirs). And the thresholds the
 * steps weigh with. */
enum score {
	SCORE_VAGUE_PHRASE = 1,    /* a phrase below PHRASE_DECISIVE_WEIGHT: fills in only */
	SCORE_REPLY = 2,           /* the registry's reason of the basic reply code */
	SCORE_ENHANCED = 4,        /* the registry's reason of the enhanced code; and the
				      MTA gave up on the message (expired) */
	SCORE_PHRASE = 5,          /* a decisive phrase scores SCORE_PHRASE + weight / 2 */
	SCORE_DECISIVE_PHRASE = 7, /* the least a decisive phrase scores (weight 5) */
	SCORE_ENTRY_BY_CODES = 7,  /* a provider entry by provider and codes only: a
				      phrase of weight 6 or more overrides it (the
				      entry is a guess from the number; its own text
				      was not found) */
	SCORE_BITFLAGS = 9,        /* a provider's bit-flag tag (BL000101) */
	SCORE_ENTRY_BY_TEXT = 11,  /* a provider entry by its own literal text */
	SCORE_ENTRY_BY_TAG = 12,   /* a provider entry by its tag (TSS04) */
	SCORE_STRUCTURE = 20,      /* the structure says it: auto-reply, complaint, success */
};

enum {
	PHRASE_DECISIVE_WEIGHT = 5, /* a phrase this heavy or heavier is decisive */
	ENTRY_MATCH_CODES = 1,      /* how an entry matched: by provider and codes, */
	ENTRY_MATCH_OWN_CODE = 2,   /* by the provider's own enhanced code (one the
				       registry lacks: Microsoft's 5.7.133), */
	ENTRY_MATCH_TAG = 1000,     /* by its tag; by a literal text, the text's length
				       (at most ENTRY_MATCH_TAG_OTHER - 1) */
	ENTRY_MATCH_TAG_OTHER = 998, /* by its tag under codes the entry does not list
				       (+1 when of the entry's class): the tag names the
				       reason, the reply's class the type */
	LONG_TEXT = 20,             /* a literal text this long names its entry even under
				       another of its reply codes */
	WORDS_TEXT = 40,            /* and this long, under other codes of the same class
				       from the same provider: the words decide */
	PHRASE_CAUSE_WEIGHT = 9,    /* a phrase this heavy names a cause that beats an
				       entry found only by a generic frame of its text */
};

struct cand { /* a reason and why */
	int reason;
	int score; /* enum score */
	const char *rule;
	size_t start, end; /* input offsets, for evidence */
};

/* The evidence gathered so far about one item and the diagnosis being
 * chosen: what the steps of decide_item() read and write. */
struct verdict {
	struct codes c;                 /* the codes read */
	const struct a_code *rc, *ec;   /* their registry entries (reply, enhanced) */
	struct cand best;               /* the reason so far */
	int prov, prov_strong;          /* the provider the markers name, -1 */
	size_t prov_len;                /* the length of its marker */
	int domain_prov;                /* the provider of the recipient's domain, -1 */
	int origin_prov;                /* the service a notice's origin names, -1 */
	const struct hit *marker_tag;   /* a marker that is a tag: "(S3150)" */
	size_t marker_tag_start;        /* where it starts: its first part's start */
	int entry, entry_score;         /* the provider entry, -1; how it matched */
	int entry_generic;              /* it matched by a generic fragment (an MTA's
					   template around the provider's name) */
	const char *tag;                /* the provider's tag */
	int text_cls, text_cls_weight;  /* the class the phrases say, and its weight */
	size_t text_cls_at, text_cls_end;
	int implied_subj, implied_det;  /* the enhanced code the phrase implies, -1 */
	const char *phrase_id;          /* the phrase that set the reason, NULL */
	int gave_up;                    /* the MTA says it gave up (an expiry) */
	int cls;                        /* the class digit */
	int icls;                       /* the class of an inferred code */
	enum cat_event phrase_event;    /* what the heaviest phrase with an event says */
	int phrase_event_weight;
	const char *phrase_event_rule;
	size_t phrase_event_at, phrase_event_end; /* input offsets */
	char note[256];                 /* where the number and the text disagree */
};

static void
verdict_init(struct verdict *v)
{
	/* field by field: clearing note[] whole costs 256 bytes per line */
	memset(&v->c, 0, sizeof(v->c));
	v->rc = v->ec = NULL;
	v->best.reason = -1;
	v->best.score = 0;
	v->best.rule = NULL;
	v->best.start = v->best.end = 0;
	v->prov = -1;
	v->prov_strong = 0;
	v->prov_len = 0;
	v->domain_prov = -1;
	v->origin_prov = -1;
	v->marker_tag = NULL;
	v->marker_tag_start = 0;
	v->entry = -1;
	v->entry_score = 0;
	v->entry_generic = 0;
	v->tag = NULL;
	v->text_cls = v->text_cls_weight = 0;
	v->text_cls_at = v->text_cls_end = 0;
	v->implied_subj = v->implied_det = -1;
	v->phrase_id = NULL;
	v->gave_up = 0;
	v->cls = v->icls = 0;
	v->phrase_event = CAT_EVENT_NONE;
	v->phrase_event_weight = 0;
	v->note[0] = '\0';
}

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

static void
evidence(struct dstate *ds, const char *rule, size_t start, size_t end)
{
	size_t i;

	if (!rule || end <= start)
		return;
	/* a typographic mark is one byte of the normalized text and maps to
	 * its first byte (punct_fold()): a span ending on it takes it whole */
	while (end < ds->an->pub.text_len && ((unsigned char)ds->an->pub.text[end] & 0xc0) == 0x80)
		end++;
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
		if (ds->entries[i] == key ||
		    (ds->entries[i][0] == key[0] && strcmp(ds->entries[i], key) == 0))
			return;
	if (ds->n_entries < MAX_ENTRIES)
		ds->entries[ds->n_entries++] = key;
}

/* Takes key back out of the entries of the diagnosis. */
static void
drop_entry_key(struct dstate *ds, const char *key)
{
	size_t i;

	for (i = 0; i < ds->n_entries; i++)
		if (ds->entries[i] == key) {
			memmove(&ds->entries[i], &ds->entries[i + 1],
				(ds->n_entries - i - 1) * sizeof(ds->entries[0]));
			ds->n_entries--;
			return;
		}
}

/* Takes the evidence of rule back out (an entry dropped for what the words
 * say does not explain the diagnosis). */
static void
drop_evidence(struct dstate *ds, const char *rule)
{
	size_t i, n = 0;

	for (i = 0; i < ds->n_ev; i++)
		if (ds->ev[i].rule != rule)
			ds->ev[n++] = ds->ev[i];
	ds->n_ev = n;
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

/* Whether no other literal text has the run of words of fragment idx: a run
 * between placeholders can be shared ("is not a valid RFC 5321
 * address" follows both Gmail's recipient and its sender address). */
static int
frag_is_unique(const struct cat_analyzer *a, int idx)
{
	const struct a_frag *f = &a->frags[idx];
	size_t i;

	for (i = 0; i < a->n_frags; i++)
		if ((int)i != idx && a->frags[i].len == f->len &&
		    memcmp(a->frags[i].text, f->text, f->len) == 0)
			return 0;
	return 1;
}

/* The entry's class digit is the one the codes were sent with. */
static int
entry_same_class(const struct a_entry *e, const struct codes *c)
{
	int ec = e->reply ? e->reply / 100 : e->ecls;
	int cc = c->reply ? c->reply / 100 : c->cls;

	return ec && ec == cc;
}

/* entry_fits() without the reply code */
static int
entry_fits_enhanced(const struct a_entry *e, const struct codes *c)
{
	struct codes only = *c;

	only.reply = 0;
	return entry_fits(e, &only);
}

/* The provider of the recipient's domain (rules_domain_provider()), or -1.
 * A log names the same few domains over and over: what the table gave is
 * kept in x (may be NULL) by the domain's bytes as written, so a domain
 * seen before costs a hash and a compare, not a fold, a hash and a
 * string compare. */
static int
domain_provider(const struct cat_analyzer *a, struct an_scratch *x, const char *input,
		struct span rcpt)
{
	const char *at;
	size_t i, dlen;
	char dom[256];
	struct domcache *slot = NULL;
	int prov;

	if (!span_ok(rcpt))
		return -1;
	at = bs_find_at(input + rcpt.start, input + rcpt.end);
	if (at == input + rcpt.end)
		return -1;
	dlen = (size_t)(input + rcpt.end - at - 1);
	if (dlen == 0 || dlen >= sizeof(dom))
		return -1;
	if (x && dlen <= DOM_KEY) {
		/* the first and the last eight bytes (overlapping below
		 * sixteen, which they then hold whole) and the length: no
		 * pointer is hashed, so runs repeat */
		uint64_t w0 = 0, w1 = 0, h;

		if (dlen >= 8) {
			memcpy(&w0, at + 1, 8);
			memcpy(&w1, at + 1 + dlen - 8, 8);
		} else {
			for (i = 0; i < dlen; i++)
				w0 |= (uint64_t)(unsigned char)at[1 + i] << (8 * i);
		}
		h = ((w0 * 0x9e3779b97f4a7c15ULL) ^ w1 ^ dlen) * 0xff51afd7ed558ccdULL;
		slot = &x->doms[(h >> 40) % DOM_SLOTS];
		if (slot->len == dlen && slot->w0 == w0 && slot->w1 == w1 &&
		    (dlen <= 16 || memcmp(slot->name, at + 9, dlen - 16) == 0))
			return slot->prov;
		slot->len = 0; /* refilled below */
		slot->w0 = w0;
		slot->w1 = w1;
	}
	/* DNS names fold ASCII only: compares, not tolower() per byte (whose
	 * table follows the locale: a Turkish one folds 'I' out of ASCII);
	 * sixteen bytes at a time, unless a byte beyond ASCII is there */
	if (!bs_fold_ascii(dom, at + 1, dlen))
		for (i = 0; i < dlen; i++) {
			unsigned char c = (unsigned char)at[1 + i];

			dom[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c < 0x80 ? c : tolower(c));
		}
	dom[dlen] = '\0';
	prov = rules_domain_provider(a, dom, dlen);
	if (slot) {
		if (dlen > 16)
			memcpy(slot->name, at + 9, dlen - 16);
		slot->len = (uint32_t)dlen;
		slot->prov = prov;
	}
	return prov;
}

/* A bit-flag tag such as bl000101 in the normalized text. */
static int
find_bitflag_tag(const struct cat_analyzer *a, const struct scan *sc, size_t *at, size_t *end)
{
	size_t b, i;

	for (b = 0; b < a->n_bitflags; b++) {
		const struct a_bitflags *bf = &a->bitflags[b];

		size_t last;
		const unsigned char *p;

		if (!bf->plen || bf->plen + (size_t)bf->digits > sc->len)
			continue;
		last = sc->len - bf->plen - (size_t)bf->digits; /* the last start */
		/* the candidates by memchr() for the prefix's first byte: the
		 * text of every failed line is searched once per family */
		for (i = 0; i <= last &&
			    (p = memchr(sc->norm + i, (unsigned char)bf->prefix[0], last + 1 - i));
		     i++) {
			size_t k;

			i = (size_t)(p - sc->norm);
			if (memcmp(sc->norm + i, bf->prefix, bf->plen) != 0 ||
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

/* The codes: the reply and enhanced codes of the text, a structured status
 * field (dsn=, Status:) over the text's enhanced code when it is more
 * specific, and their registry entries. */
static void
step_read_codes(struct dstate *ds, struct verdict *v, const char *input, const struct item *it,
		const struct scan *sc)
{
	const struct cat_analyzer *a = ds->a;
	struct cat_diagnosis *d = ds->d;

	if (sc->have_codes)
		v->c = sc->codes;
	else
		codes_read(sc, input, &v->c);
	/* a structured status field (dsn=, Status:) against the text's own
	 * enhanced code: a specific field is kept over a generic code of the
	 * text, and over one of another class; a generic field (X.0.0: Postfix
	 * writes dsn=5.0.0 for many replies) gives way to a specific code in
	 * the recipient's own diagnostic text, whatever its class */
	if (span_ok(it->status)) {
		int cl, su, de;
		const unsigned char *t = (const unsigned char *)input + it->status.start;
		size_t l = codes_enhanced_at(t, 0, it->status.end - it->status.start, &cl, &su, &de);
		int field_generic = su == 0 && de == 0, text_generic = v->c.subj == 0 && v->c.det == 0;

		if (l && (!v->c.cls || (text_generic && !field_generic) ||
			  (cl != v->c.cls && (text_generic || !field_generic)))) {
			v->c.cls = cl;
			v->c.subj = su;
			v->c.det = de;
			v->c.enh_at = v->c.enh_end = (size_t)-1;
			evidence(ds, it->status_rule, it->status.start, it->status.end);
		}
	}
	if (v->c.reply) {
		v->rc = find_reply(a, v->c.reply);
		if (v->rc)
			evidence(ds, v->rc->rule, v->c.reply_at, v->c.reply_end);
		else
			evidence_fmt(ds, v->c.reply_at, v->c.reply_end, "reply:", "?");
	}
	if (v->c.cls) {
		char *code = d->enhanced;

		v->ec = find_enh(a, v->c.subj, v->c.det);
		format_code(code, v->c.cls, v->c.subj, v->c.det);
		if (v->c.enh_at != (size_t)-1)
		{
			if (v->ec)
				evidence(ds, v->ec->rule, v->c.enh_at, v->c.enh_end);
			else
				evidence_fmt(ds, v->c.enh_at, v->c.enh_end, "enhanced:", code);
		}
	}
	d->reply = v->c.reply;
}

static long join_parts(const struct cat_analyzer *a, const struct scan *sc, size_t last);

/* Whether the item names a remote host (Remote-MTA, "host X[...] said",
 * "Remote Server at X returned") in whose name no marker of provider prov
 * is found: the reply came from a server prov does not run, and a marker
 * of prov with role="reporter" names only the MTA that wrote the report
 * (Exchange's "Diagnostic information for administrators" around another
 * server's reply). */
static int
remote_host_other(const struct cat_analyzer *a, const struct scan *sc, int prov)
{
	size_t i;

	if (sc->origin_from <= sc->host_from)
		return 0;
	for (i = 0; i < sc->n_hits; i++) {
		const struct hit *h = &sc->hits[i];

		if (PAT_KIND(h->id) == PAT_MARKER && h->start >= sc->host_from &&
		    h->start < sc->origin_from && a->markers[PAT_INDEX(h->id)].prov == prov)
			return 0;
	}
	return 1;
}

/* The provider: its markers in the text (strong before weak, then the
 * longest), and apart from them the provider of the recipient's domain.
 * A reporter marker counts only where the reply is not a remote host's
 * that its provider does not run (remote_host_other()).
 * A marker with gaps counts where its last part is found, once its other
 * parts are found before it (as a phrase's do). */
static void
step_provider_markers(struct dstate *ds, struct verdict *v, const char *input,
		      const struct item *it, const struct scan *sc)
{
	const struct cat_analyzer *a = ds->a;
	size_t i;
	int other_prov = -1, other = 0; /* remote_host_other() of other_prov */
	int in_host = 0;                /* the marker chosen is in the relay's name */

	v->domain_prov = domain_provider(a, ds->an->scratch, input, it->recipient);
	/* provider: markers, tags, the recipient's domain */
	for (i = 0; i < sc->n_hits; i++) {
		const struct hit *h = &sc->hits[i];
		int k = PAT_KIND(h->id), idx = PAT_INDEX(h->id);
		size_t start = h->start;

		if (k == PAT_PART && a->parts[idx].marker >= 0) {
			const struct a_part *pt = &a->parts[idx];
			long b;

			if (pt->k != a->markers[pt->marker].n_parts - 1 || (b = join_parts(a, sc, i)) < 0)
				continue;
			start = (size_t)b;
			k = PAT_MARKER;
			idx = pt->marker;
		}
		if (k == PAT_MARKER && start >= sc->origin_from && start < sc->subject_from) {
			/* the service that issued a notice (SES) is not the
			 * server that answered: it only lets that service's
			 * own codes count (step_entry_by_text()) */
			if (v->origin_prov < 0)
				v->origin_prov = a->markers[idx].prov;
			evidence(ds, a->provs[a->markers[idx].prov].rule, sc->map[start],
				 sc->map[h->end - 1] + 1);
			continue;
		}
		if (k == PAT_MARKER) {
			const struct a_marker *m = &a->markers[idx];

			if (m->reporter) {
				if (other_prov != m->prov) {
					other_prov = m->prov;
					other = remote_host_other(a, sc, m->prov);
				}
				if (other)
					continue;
			}
			/* strong before weak, then the longest: olc.protection.outlook.com
			 * (Outlook.com) is more specific than protection.outlook.com */
			if (v->prov < 0 || (m->strong && !v->prov_strong) ||
			    (m->strong == v->prov_strong && m->len > v->prov_len)) {
				v->prov = m->prov;
				v->prov_strong = m->strong;
				v->prov_len = m->len;
				in_host = start >= sc->host_from && start < sc->origin_from;
			}
			/* a marker with gaps is a tag from its first part on:
			 * "AS(1450)", "(AS3130)" */
			if (m->is_tag && !v->marker_tag) {
				v->marker_tag = h;
				v->marker_tag_start = start;
			}
			evidence(ds, a->provs[m->prov].rule, sc->map[start], sc->map[h->end - 1] + 1);
		}
	}
	/* a weak marker in the text names a platform several providers share
	 * (the Exchange Online Protection hosts that end Microsoft 365's and
	 * Outlook.com's replies alike), a list the receiver consulted, or the
	 * service that wrote the report: the recipient's own provider, where
	 * its domain names one, is the better guess at who answered. The
	 * relay's own name (relay=, "host X said") is who answered. */
	if (v->prov >= 0 && !v->prov_strong && !in_host && v->domain_prov >= 0)
		v->prov = v->domain_prov;
}

/* Whether the codes read are exactly the entry's own and the entry gives
 * the enhanced code a meaning of another type than the registry's:
 * Outlook.com sends "550 5.5.0" (a protocol error in the registry) for a
 * missing mailbox, so its generic text under that pair is still its own.
 * A refinement of the same type ("554 5.7.1 Relay access denied", a
 * policy refusal either way) is what any server says. */
static int
own_use_of_code(const struct cat_analyzer *a, const struct a_entry *en, const struct verdict *v)
{
	return v->ec && v->ec->reason >= 0 && v->c.reply && en->reply == v->c.reply &&
	       en->ecls == v->c.cls && en->esubj == v->c.subj && en->elo == v->c.det &&
	       en->ehi == v->c.det && en->reason >= 0 &&
	       a->reasons[en->reason].type != a->reasons[v->ec->reason].type;
}

/* A provider entry named by the text: its tag (SCORE_ENTRY_MATCH_TAG) or
 * the longest of its literal texts (their length). */
static void
step_entry_by_text(struct dstate *ds, struct verdict *v, const struct scan *sc)
{
	const struct cat_analyzer *a = ds->a;
	size_t i;

	/* provider entries: by tag, by literal text, then by provider and codes */
	for (i = 0; i < sc->n_hits; i++) {
		const struct hit *h = &sc->hits[i];
		int k = PAT_KIND(h->id), idx = PAT_INDEX(h->id), score = 0, e = -1;

		if (k == PAT_TAG) {
			e = idx;
			score = ENTRY_MATCH_TAG;
		} else if (k == PAT_FRAG && !a->frags[idx].marker && !a->frags[idx].shared) {
			e = a->frags[idx].entry;
			score = a->frags[idx].len < ENTRY_MATCH_TAG_OTHER ? (int)a->frags[idx].len
									   : ENTRY_MATCH_TAG_OTHER - 1;
		}
		if (e < 0)
			continue;
		/* a tag is the provider's own name for what it refused, whatever
		 * reply carries it: "554 DT:SPM" is NetEase's spam verdict though
		 * its table lists DT:SPM under 451. It names the entry below a
		 * tag whose codes fit (two entries may share a tag, CS01 under
		 * 550 and 554), not against a strong marker of another
		 * provider, and not under an enhanced code about something
		 * else ("550 5.1.1 ... [TSS04]": the subject 1, the address,
		 * is not the 7 of the tag's entry; X.0.0 says nothing); the
		 * reply's class then gives the type */
		if (k == PAT_TAG && !entry_fits(&a->entries[e], &v->c)) {
			if (v->prov >= 0 && v->prov_strong && a->entries[e].prov != v->prov)
				continue;
			if (v->c.cls && v->c.subj && a->entries[e].esubj >= 0 &&
			    a->entries[e].esubj != v->c.subj)
				continue;
			score = ENTRY_MATCH_TAG_OTHER + entry_same_class(&a->entries[e], &v->c);
		}
		/* a long literal text identifies the entry even when the reply code
		 * is one of its other variants ("530 5.7.1 Client was not
		 * authenticated" beside its usual 550) */
		/* and a provider's own sentence names its entry whatever enhanced
		 * code it came with: Gmail's 2024 wording put its DKIM rejection
		 * under 5.7.28 and its 50-hop loop under 5.6.0, and the words,
		 * not the code's entry, say what happened */
		if (k != PAT_TAG && !entry_fits(&a->entries[e], &v->c) &&
		    !(k == PAT_FRAG && a->frags[idx].len >= LONG_TEXT && v->c.reply &&
		      entry_fits_enhanced(&a->entries[e], &v->c)) &&
		    !(k == PAT_FRAG && a->frags[idx].len >= WORDS_TEXT && v->prov >= 0 &&
		      a->entries[e].prov == v->prov && entry_same_class(&a->entries[e], &v->c) &&
		      frag_is_unique(a, idx)))
			continue;
		if (v->prov >= 0 && v->prov_strong && a->entries[e].prov != v->prov && k != PAT_TAG)
			continue;
		/* an API's own code (Mailgun's 605, SES's MailboxFull) is a
		 * common word or number elsewhere: it names the entry only
		 * when the provider is named too; the service that issued a
		 * notice names it only when no receiver is named (a Gmail
		 * reply inside an SES notice is Gmail's) */
		if (k == PAT_TAG && a->entries[e].tag_word && a->entries[e].prov != v->prov &&
		    a->entries[e].prov != v->domain_prov &&
		    !(v->prov < 0 && a->entries[e].prov == v->origin_prov))
			continue;
		/* a short literal text is often a generic MTA phrase that a provider
		 * happens to send too ("Relay access denied"): it identifies the
		 * provider's entry only when something else names the provider */
		if (k == PAT_FRAG && a->frags[idx].generic && a->entries[e].prov != v->prov &&
		    a->entries[e].prov != v->domain_prov && !own_use_of_code(a, &a->entries[e], v))
			continue;
		if (score > v->entry_score) {
			v->entry = e;
			v->entry_score = score;
			v->entry_generic = k == PAT_FRAG && a->frags[idx].generic;
		}
	}
}

/* A provider's bit-flag tag (BL000101) when no entry matched: it names
 * the provider, and its reason at SCORE_BITFLAGS. */
static void
step_bitflag_tag(struct dstate *ds, struct verdict *v, const struct item *it, const struct scan *sc)
{
	const struct cat_analyzer *a = ds->a;

	if (v->entry < 0 && it->ocls != 2) {
		size_t bs, be;
		int b = find_bitflag_tag(a, sc, &bs, &be);

		if (b >= 0 && (v->prov < 0 || v->prov == a->bitflags[b].prov)) {
			v->prov = a->bitflags[b].prov;
			{
				/* the normalized text is not NUL-terminated: copy the tag alone */
				char *t = arena_strndup(ds->an->arena, (const char *)sc->norm + bs, be - bs);

				if (!t)
					ds->oom = 1;
				v->tag = t;
				for (; t && *t; t++)
					*t = (char)toupper((unsigned char)*t);
			}
			if (a->bitflags[b].reason >= 0 && SCORE_BITFLAGS > v->best.score) {
				v->best.reason = a->bitflags[b].reason;
				v->best.score = SCORE_BITFLAGS;
				v->best.rule = astr(ds, "bitflags");
				v->best.start = sc->map[bs];
				v->best.end = sc->map[be - 1] + 1;
			}
			evidence_fmt(ds, sc->map[bs], sc->map[be - 1] + 1, "tag:", v->tag ? v->tag : "");
		}
	}
}

/* A provider named by its own code: an enhanced code the registry does not
 * have (5.7.708, 5.7.509) that the entries of exactly one provider use is
 * that provider's, when nothing else in the line named one. */
static void
step_provider_by_code(struct dstate *ds, struct verdict *v)
{
	const struct cat_analyzer *a = ds->a;
	size_t i;
	int prov = -1;

	if (v->prov >= 0 || v->entry >= 0 || !v->c.cls || v->ec)
		return;
	for (i = 0; i < a->n_entries; i++) {
		const struct a_entry *e = &a->entries[i];

		if (e->esubj != v->c.subj || v->c.det < e->elo || v->c.det > e->ehi || e->prov < 0)
			continue;
		if (prov >= 0 && prov != e->prov)
			return; /* two providers use it */
		prov = e->prov;
	}
	v->prov = prov;
}

/* A provider entry named by the provider and the codes alone: when the
 * provider is known and exactly one of its untagged entries fits the codes. */
static void
step_entry_by_codes(struct dstate *ds, struct verdict *v)
{
	const struct cat_analyzer *a = ds->a;
	size_t i;

	/* the provider's entry for these codes, when its markers are in the
	 * text; the recipient's domain alone names the provider, not the reply
	 * (a Postfix relay in front of it may have written the text) */
	if (v->entry < 0 && v->prov >= 0 && (v->c.reply || v->c.cls)) {
		/* the provider's entry for exactly these codes, when there is one */
		int found = -1, count = 0, pass;
		size_t k, lo, hi;

		/* first the entries with exactly this reply code; when none fits,
		 * those that name no reply code (Exchange Server's table gives
		 * enhanced codes only), which fit any */
		for (pass = 0; pass < 2 && found < 0; pass++) {
			if (pass == 1 && !v->c.reply)
				break;
			rules_prov_entries(a, v->prov, pass ? 0 : v->c.reply, &lo, &hi);
			for (k = lo; k < hi; k++) {
				const struct a_entry *e = &a->entries[a->by_prov[k]];

				i = (size_t)a->by_prov[k];
				/* cheap tests first: exactly this reply code, no tag; in
				 * the second pass no reply code, and those come first */
				if (pass && e->reply != 0)
					break;
				if (!pass && v->c.reply && e->reply != v->c.reply)
					continue;
				if (e->tag)
					continue; /* a tagged entry needs its tag */
				/* with an enhanced code, only entries of its subject can fit
				 * (entry_fits()): a compare before the call, since the
				 * entries with no reply code are many (Exchange's table) */
				if (v->c.cls ? e->esubj != v->c.subj : e->esubj >= 0)
					continue;
				if (!entry_fits(e, &v->c))
					continue;
				if (found < 0)
					found = (int)i;
				count++;
			}
		}
		if (found >= 0 && count == 1) {
			const struct a_entry *e = &a->entries[found];

			v->entry = found;
			/* a code of the provider's own, which the registry does
			 * not have and the entry names exactly, says as much as
			 * the entry's text: it is no guess from a common number,
			 * and the words around it ("authentication required"
			 * beside 5.7.133, a group's sender restriction) do not
			 * override it */
			v->entry_score = v->c.cls && !v->ec && e->esubj == v->c.subj &&
						 e->elo == v->c.det && e->ehi == v->c.det
					 ? ENTRY_MATCH_OWN_CODE
					 : ENTRY_MATCH_CODES;
		}
	}
}

/* The entry chosen gives the provider, the tag, its evidence and its reason:
 * SCORE_ENTRY_BY_TAG, SCORE_ENTRY_BY_TEXT or SCORE_ENTRY_BY_CODES. */
static void
step_entry_reason(struct dstate *ds, struct verdict *v, const struct scan *sc)
{
	const struct cat_analyzer *a = ds->a;
	size_t i;

	if (v->entry >= 0) {
		const struct a_entry *e = &a->entries[v->entry];

		v->prov = e->prov;
		if (e->tag)
			v->tag = e->tag;
		for (i = 0; i < sc->n_hits; i++) {
			const struct hit *h = &sc->hits[i];
			int k = PAT_KIND(h->id), idx = PAT_INDEX(h->id);

			if ((k == PAT_TAG && idx == v->entry) ||
			    (k == PAT_FRAG && a->frags[idx].entry == v->entry))
				evidence(ds, k == PAT_TAG ? e->tag_rule : e->rule, sc->map[h->start],
					 sc->map[h->end - 1] + 1);
		}
		if (e->reason >= 0) {
			/* by tag 12, by its own text or the provider's own code 11;
			 * by provider and codes only 7, which a decisive phrase of
			 * the text still overrides */
			v->best.reason = e->reason;
			v->best.score = v->entry_score >= ENTRY_MATCH_TAG_OTHER ? SCORE_ENTRY_BY_TAG
				: v->entry_score > ENTRY_MATCH_CODES ? SCORE_ENTRY_BY_TEXT
								       : SCORE_ENTRY_BY_CODES;
			v->best.rule = e->key;
		}
		add_entry_key(ds, e->key);
		/* a tag under a reply its entry does not list: say so, since
		 * the entry's class (its advice to wait, or not) is not this one */
		if (v->entry_score >= ENTRY_MATCH_TAG_OTHER && v->entry_score < ENTRY_MATCH_TAG &&
		    e->reply && v->c.reply)
			snprintf(v->note, sizeof(v->note), "%s is listed under %d, not %d", e->tag, e->reply,
				 v->c.reply);
	}
}

/* The registry's reasons of the codes, below any provider entry: the reply
 * code's at SCORE_REPLY, the enhanced code's at SCORE_ENHANCED. */
static void
step_registry_reason(struct verdict *v)
{
	if (v->rc && v->rc->reason >= 0 && v->best.score < SCORE_REPLY) {
		v->best.reason = v->rc->reason;
		v->best.score = SCORE_REPLY;
		v->best.rule = v->rc->key;
	}
	if (v->ec && v->ec->reason >= 0 && v->best.score < SCORE_ENHANCED) {
		v->best.reason = v->ec->reason;
		v->best.score = SCORE_ENHANCED;
		v->best.rule = v->ec->key;
	}
}

/* The gap between two parts of a phrase, norm[from, to), is what the
 * phrase says: "..." some words of the same clause (a word ends and
 * begins on each side, no ": ", "; " or ". " between), "<n>" a number. */
static int
gap_fits(const struct scan *sc, size_t from, size_t to, enum gap gap)
{
	size_t i, digits = 0;

	if (to <= from)
		return 0;
	if (gap == GAP_WORDS) {
		if (to - from > GAP_WORDS_MAX || isalnum(sc->norm[from]) || isalnum(sc->norm[to - 1]))
			return 0;
		/* within one clause: "host a.example said: 550 user not found"
		 * is not "host ... not found" */
		for (i = from; i + 1 < to; i++)
			if ((sc->norm[i] == ':' || sc->norm[i] == ';' || sc->norm[i] == '.') &&
			    sc->norm[i + 1] == ' ')
				return 0;
		/* at least one word: "user unknown" is the phrase without a
		 * gap, not "user ... unknown" a second time */
		for (i = from; i < to; i++)
			if (isalnum(sc->norm[i]) || sc->norm[i] >= 0x80)
				return 1;
		return 0;
	}
	if (gap != GAP_NUMBER || to - from > GAP_NUMBER_MAX)
		return 0;
	for (i = from; i < to; i++) {
		unsigned char c = sc->norm[i];

		if (isdigit(c))
			digits++;
		else if (c != ' ' && !((c == '.' || c == ',') && digits))
			return 0;
	}
	return digits > 0;
}

/* The last part of a phrase with gaps was found at hits[last]: the start
 * of the whole phrase when its other parts come before it, in order, with
 * the gaps it says (the nearest fitting hit of each part); -1 when not. */
static long
join_parts(const struct cat_analyzer *a, const struct scan *sc, size_t last)
{
	const struct a_part *pt = &a->parts[PAT_INDEX(sc->hits[last].id)];
	size_t begin = sc->hits[last].start, i = last;
	int want = PAT_INDEX(sc->hits[last].id);

	while (pt->k > 0) {
		enum gap gap = pt->gap;
		int found = 0;

		want--;
		while (i-- > 0) {
			const struct hit *h = &sc->hits[i];

			if (h->id != PAT_ID(PAT_PART, want) || h->end > begin)
				continue;
			if (gap_fits(sc, h->end, begin, gap)) {
				found = 1;
				begin = h->start;
				break;
			}
		}
		if (!found)
			return -1;
		pt = &a->parts[want];
	}
	return (long)begin;
}

/* A phrase inside the remote's own reply that a wrapper quotes (codes_read()
 * found it): 1, else 0. */
static int
own_phrase(const struct codes *c, const struct hit *h)
{
	return c->own_end > c->own_start && h->start >= c->own_start && h->end <= c->own_end;
}

/* Whether norm[start, end) overlaps a fragment of the entry's own texts
 * found in the text: words of the entry's text are not a cause beside it. */
static int
in_entry_text(const struct cat_analyzer *a, int entry, const struct scan *sc, size_t start,
	      size_t end)
{
	size_t i;

	for (i = 0; i < sc->n_hits; i++) {
		const struct hit *h = &sc->hits[i];

		if (PAT_KIND(h->id) == PAT_FRAG && a->frags[PAT_INDEX(h->id)].entry == entry &&
		    h->start < end && start < h->end)
			return 1;
	}
	return 0;
}

/* The phrases of the text: the class the heaviest class phrase says, and
 * the reason of the heaviest, then longest, reason phrase. A decisive phrase
 * (weight PHRASE_DECISIVE_WEIGHT or more) scores SCORE_PHRASE + weight / 2
 * and overrides codes; a vague one scores SCORE_VAGUE_PHRASE and only fills in.
 * A phrase with gaps counts where its last part is found, once its other
 * parts are found before it. */
static void
step_phrases(struct dstate *ds, struct verdict *v, const struct item *it, const struct scan *sc)
{
	const struct cat_analyzer *a = ds->a;
	size_t i;

	/* phrases: the heaviest, then the longest; a decisive phrase beats the
	 * enhanced code's registry reason, never a provider entry. Where a
	 * wrapper quotes the remote's own reply, the reply's phrases come
	 * before any of the wrapper's (own_phrase()). */
	{
		int pw = 0, pown = 0, pcause = 0;
		size_t plen = 0, bstart = 0, bend = 0;
		const struct a_phrase *best = NULL;
		/* a remote server refused it for good, at a stage the words
		 * name: the MTA gave up because of that reply, not because
		 * time ran out ("... does not like recipient. Remote host said:
		 * 554 ... Giving up on 198.51.100.7.", qmail) */
		int refused = it->stage != CAT_STAGE_NONE &&
			      (v->c.reply / 100 == 5 || (!v->c.reply && v->c.cls == 5));

		for (i = 0; i < sc->n_hits; i++) {
			const struct a_phrase *p;
			struct hit h = sc->hits[i]; /* a phrase with gaps: its whole span */
			int own, cause;

			if (PAT_KIND(h.id) == PAT_PART) {
				const struct a_part *pt = &a->parts[PAT_INDEX(h.id)];
				long b;

				if (pt->phrase < 0)
					continue; /* a marker's: step_provider_markers() */
				p = &a->phrases[pt->phrase];
				if (pt->k != p->n_parts - 1 || (b = join_parts(a, sc, i)) < 0)
					continue;
				h.start = (size_t)b;
			} else if (PAT_KIND(h.id) == PAT_PHRASE) {
				p = &a->phrases[PAT_INDEX(h.id)];
			} else {
				continue;
			}
			if (p->subject_only && h.start < sc->subject_from)
				continue;
			if (p->cls && p->weight > v->text_cls_weight) {
				v->text_cls = p->cls;
				v->text_cls_weight = p->weight;
				v->text_cls_at = h.start;
				v->text_cls_end = h.end;
			}
			if (p->event && p->weight > v->phrase_event_weight) {
				v->phrase_event = p->event;
				v->phrase_event_weight = p->weight;
				v->phrase_event_rule = p->rule;
				v->phrase_event_at = sc->map[h.start];
				v->phrase_event_end = sc->map[h.end - 1] + 1;
			}
			/* a message still being retried has not expired
			 * ("could not be delivered for more than 4 hours") */
			if (p->reason < 0 ||
			    (p->reason == a->r_expired && (it->event == CAT_EVENT_DELAY || refused)))
				continue;
			evidence(ds, p->rule, sc->map[h.start], sc->map[h.end - 1] + 1);
			if (p->reason == a->r_expired)
				v->gave_up = 1;
			own = own_phrase(&v->c, &h);
			/* cause over outcome: "mailbox is full: retry timeout
			 * exceeded" is a full mailbox that the MTA then gave up
			 * on, so any decisive cause beats the expiry's words */
			cause = p->reason != a->r_expired && p->weight >= PHRASE_DECISIVE_WEIGHT;
			if (own > pown ||
			    (own == pown && (cause > pcause ||
					     (cause == pcause && (p->weight > pw ||
								  (p->weight == pw && p->len > plen)))))) {
				pown = own;
				pcause = cause;
				pw = p->weight;
				plen = p->len;
				best = p;
				bstart = h.start;
				bend = h.end;
			}
		}
		if (best) {
			const struct a_phrase *p = best;
			/* vague phrases only fill in; decisive ones override codes */
			int score = p->weight >= PHRASE_DECISIVE_WEIGHT ? SCORE_PHRASE + p->weight / 2
								 : SCORE_VAGUE_PHRASE;
			/* cause over outcome: an entry found only by a generic
			 * frame of its text (Postfix's "Client host [...] blocked
			 * using zen.spamhaus.org" around a list's zone) says the
			 * outcome; the heaviest words beside it name the cause
			 * ("Query via public/open resolver": the answer was the
			 * list's error, not a listing) */
			int frame = v->entry >= 0 && v->entry_generic && v->best.rule &&
				    v->best.rule == a->entries[v->entry].key &&
				    p->weight >= PHRASE_CAUSE_WEIGHT && p->reason != v->best.reason &&
				    !in_entry_text(a, v->entry, sc, bstart, bend);

			if (score > v->best.score || v->best.reason < 0 || frame) {
				int was = v->best.reason;

				/* an entry the codes alone named is a guess that the
				 * words contradict: its texts (Mail.ru's spam entry
				 * for any 550) would explain something else, so it
				 * goes, and the code's own registry reason is what
				 * the note compares with; so does an entry whose
				 * frame the cause's words override */
				if (v->entry >= 0 && (v->entry_score == ENTRY_MATCH_CODES || frame) &&
				    a->entries[v->entry].reason != p->reason) {
					drop_entry_key(ds, a->entries[v->entry].key);
					drop_evidence(ds, a->entries[v->entry].rule);
					v->entry = -1;
					was = v->ec && v->ec->reason >= 0   ? v->ec->reason
					      : v->rc && v->rc->reason >= 0 ? v->rc->reason
									    : -1;
				}
				if (was >= 0 && was != p->reason && v->best.score >= SCORE_REPLY)
					snprintf(v->note, sizeof(v->note), "the text says %s; the code alone says %s",
						 a->reasons[p->reason].id, a->reasons[was].id);
				v->best.reason = p->reason;
				v->best.score = score;
				v->best.rule = p->id;
				v->phrase_id = p->id;
			}
			if (p->isubj >= 0) {
				v->implied_subj = p->isubj;
				v->implied_det = p->idet;
			}
		}
	}
	if (v->text_cls)
		evidence(ds, "phrase:class", sc->map[v->text_cls_at],
			 sc->map[v->text_cls_end - 1] + 1);
}

/* Whose side: an enhanced code about the sender's address (subject 1 with
 * a reason of the sender's group in the registry: X.1.7, X.1.8) is never
 * a recipient's problem, whatever recipient words the text uses ("553
 * 5.1.7 <a@example.net>... is not a valid mailbox" is the sender's
 * mailbox): the code's reason stands, with a note. An entry still wins. */
static void
step_side(struct dstate *ds, struct verdict *v)
{
	const struct cat_analyzer *a = ds->a;
	const struct a_reason *r, *cr;
	size_t n;

	/* X.1.x, and X.7.27 (RFC 7505: the sender's domain has a null MX) */
	if (v->entry >= 0 || !v->ec || !(v->c.subj == 1 || (v->c.subj == 7 && v->c.det == 27)) ||
	    v->ec->reason < 0 || v->best.reason < 0 || v->best.reason == v->ec->reason)
		return;
	r = &a->reasons[v->best.reason];
	cr = &a->reasons[v->ec->reason];
	if (r->group != CAT_GROUP_RECIPIENT || cr->group != CAT_GROUP_SENDER)
		return;
	n = strlen(v->note);
	snprintf(v->note + n, sizeof(v->note) - n, "%sthe code is about the sender's address: not %s",
		 n ? "; " : "", r->id);
	v->best.reason = v->ec->reason;
	v->best.score = SCORE_ENHANCED;
	v->best.rule = v->ec->key;
}

/* The class: the reply code's digit, else the enhanced code's, else the
 * MTA's outcome, else the class the text says; a transient text over a
 * permanent code makes it transient. An expired message is reason expired
 * at SCORE_ENHANCED. */
static void
step_class_digit(struct dstate *ds, struct verdict *v, const struct item *it)
{
	const struct cat_analyzer *a = ds->a;

	/* class: reply, else enhanced code, else the MTA's outcome */
	v->cls = v->c.reply ? v->c.reply / 100 : v->c.cls;
	if (!v->cls && it->outcome) {
		v->cls = it->ocls;
	}
	if (it->outcome && span_ok(it->outcome_at))
		evidence(ds, it->format, it->outcome_at.start, it->outcome_at.end);
	if (it->expired)
		v->gave_up = 1;
	/* the MTA gave up: the message expired, whatever the last error was */
	if (it->expired && v->best.score < SCORE_ENHANCED) {
		v->best.reason = a->r_expired;
		v->best.score = SCORE_ENHANCED;
		v->best.rule = it->format;
	}
	/* an MTA that says it will retry (Postfix status=deferred, Exim "==",
	 * a DSN's Action: delayed) has not given up, whatever code it quotes:
	 * the failure is transient until it says otherwise */
	if (it->ocls == 4 && v->cls == 5) {
		size_t n = strlen(v->note);

		snprintf(v->note + n, sizeof(v->note) - n,
			 "%sthe code is permanent but the MTA will retry", n ? "; " : "");
		v->cls = 4;
	}
	/* the same said in the MTA's own words where no structure says it: a
	 * pasted delay notice ("Message will be retried for 2 more day(s)",
	 * "Will keep trying until message is 5 days old") quoting the 5xx of
	 * its last attempt. Only a decisive delay wording counts, not a bare
	 * "has been delayed" */
	else if (!it->outcome && v->cls == 5 && v->phrase_event == CAT_EVENT_DELAY &&
		 v->phrase_event_weight >= PHRASE_DECISIVE_WEIGHT + 2) {
		size_t n = strlen(v->note);

		snprintf(v->note + n, sizeof(v->note) - n,
			 "%sthe code is permanent but the words say the MTA will retry",
			 n ? "; " : "");
		v->cls = 4;
	}
	/* the words give the class only when no code does: a 5xx whose text
	 * says "try again later" is still permanent (only the MTA's own retry,
	 * above, makes a permanent code transient) */
	if (v->c.reply == 0 && v->c.cls == 0 && !it->outcome && v->text_cls)
		v->cls = v->text_cls;
}

/* The reason whose texts explain a refusal: "refusal_warning" for a
 * policy only tried out (nothing was refused), when the catalog has it;
 * else "refused". */
static int
refusal_reason(const struct cat_analyzer *a, const struct item *it, int reason)
{
	if (it->warn_only && a->r_refusal_warning >= 0)
		return a->r_refusal_warning;
	/* a reason that means our own setup failed (receiver_config: our
	 * resolver refused by the blocklist) has its own reading: it is not
	 * a policy doing its job */
	if (reason >= 0 && a->reasons[reason].refusal >= 0)
		return a->reasons[reason].refusal;
	return a->r_refused;
}

/* Whether a phrase of the automatic replies is found in the item's own
 * words: its Subject, or its text before the first quoted line
 * (message_own_words(): '>', Outlook's "-----Original Message-----"). */
static int
own_auto_reply(const struct cat_analyzer *a, const char *input, const struct item *it,
	       const struct scan *sc)
{
	size_t i, own_end = 0;
	int found = 0;

	for (i = 0; i < sc->n_hits; i++) {
		const struct hit *h = &sc->hits[i];
		size_t at;

		if (PAT_KIND(h->id) != PAT_PHRASE || a->phrases[PAT_INDEX(h->id)].reason != a->r_auto_reply)
			continue;
		if (!found) {
			found = 1;
			own_end = span_ok(it->text) ? message_own_words(input, it->text).end : 0;
		}
		at = sc->map[h->start];
		if (h->start >= sc->subject_from || at < own_end)
			return 1;
	}
	return 0;
}

/* The structure can settle it: an auto-reply or a complaint, and a
 * success, score SCORE_STRUCTURE; with no reason at all, "unknown". */
static void
step_structure(struct dstate *ds, struct verdict *v, const char *input, const struct item *it,
	       const struct scan *sc)
{
	const struct cat_analyzer *a = ds->a;

	/* the structure can settle it: auto-replies and complaints */
	if (it->forced_reason) {
		int r = rules_find_reason(a, it->forced_reason);

		if (r >= 0) {
			v->best.reason = r;
			v->best.score = SCORE_STRUCTURE;
			v->best.rule = it->forced_reason;
			v->cls = 0;
		}
	}
	/* a message with no sign of a bounce in its structure whose own
	 * words say it is an automatic reply (no Auto-Submitted nor
	 * X-Autoreply said so): the structure's reading, as if the headers
	 * had; a code it quotes ("if you get a 550 5.1.1 from my old
	 * address", a quoted bounce below "-----Original Message-----") is
	 * no failure of this message */
	if (!it->forced_reason && it->plain &&
	    (v->best.reason == a->r_auto_reply || own_auto_reply(a, input, it, sc))) {
		if (v->best.reason != a->r_auto_reply) {
			v->best.reason = a->r_auto_reply;
			v->best.rule = "auto_reply";
			if (v->entry >= 0)
				drop_entry_key(ds, a->entries[v->entry].key);
			v->entry = -1;
		}
		v->best.score = SCORE_STRUCTURE;
		v->cls = 0;
		v->note[0] = '\0';
	}
	if (v->cls == 2 && !it->forced_reason) {
		v->best.reason = a->r_success;
		v->best.score = SCORE_STRUCTURE;
	}
	/* a log line of no delivery: what wrote it says so */
	if (it->event == CAT_EVENT_NOT_DELIVERY) {
		v->best.reason = a->r_no_delivery;
		v->best.score = SCORE_STRUCTURE;
		v->best.rule = it->format;
		v->cls = 0;
		evidence(ds, it->format, it->outcome_at.start, it->outcome_at.end);
	}
	/* our server refused a client for a reason its text does not name */
	if (it->event == CAT_EVENT_REFUSAL && (v->best.reason < 0 || v->best.reason == a->r_unknown)) {
		v->best.reason = refusal_reason(a, it, -1);
		v->best.score = SCORE_STRUCTURE;
		v->best.rule = it->format;
	}
	if (v->best.reason < 0)
		v->best.reason = a->r_unknown;
}

/* The stage weighs in: a reply to anything but RCPT TO (the end of data
 * above all) concerns the message or the session, not only the address.
 * A recipient's reason stands there only when an addressing or mailbox
 * status code (X.1.x, X.2.x) or a provider entry says it, or, with no
 * enhanced code, a decisive phrase does; otherwise the enhanced code's own
 * reason (X.7.1: policy) or, failing that, a refusal by policy takes its
 * place ("550 5.7.1 Recipient address rejected: Access denied" after the
 * end of data is not an unknown user). */
static void
step_stage(struct dstate *ds, struct verdict *v, const struct item *it)
{
	const struct cat_analyzer *a = ds->a;
	const struct a_reason *r;
	int to;
	size_t n;

	if (it->stage == CAT_STAGE_NONE || it->stage == CAT_STAGE_RCPT || v->best.reason < 0 ||
	    v->entry >= 0)
		return;
	r = &a->reasons[v->best.reason];
	if (r->group != CAT_GROUP_RECIPIENT)
		return;
	if (v->c.cls ? v->c.subj == 1 || v->c.subj == 2 : v->best.score > SCORE_ENHANCED)
		return;
	to = a->r_policy_block;
	if (v->ec && v->ec->reason >= 0 && a->reasons[v->ec->reason].group != CAT_GROUP_UNSET &&
	    a->reasons[v->ec->reason].group != CAT_GROUP_RECIPIENT)
		to = v->ec->reason;
	n = strlen(v->note);
	snprintf(v->note + n, sizeof(v->note) - n, "%sthe reply answered %s, not RCPT TO: not %s",
		 n ? "; " : "", cat_stage_name(it->stage), r->id);
	v->best.reason = to;
	v->best.rule = cat_stage_name(it->stage);
}

/* A refusal of a client by our own server is read from our side: the
 * reason names the policy that fired, but nothing failed for a recipient
 * of ours, so type, action and texts are the refusal's (never suppress). */
static void
step_refusal(struct dstate *ds, const struct verdict *v, const struct item *it)
{
	const struct cat_analyzer *a = ds->a;
	const struct a_reason *r;
	struct cat_diagnosis *d = ds->d;

	if (it->event != CAT_EVENT_REFUSAL)
		return;
	r = &a->reasons[refusal_reason(a, it, v->best.reason)];
	d->type = r->type;
	d->action = v->cls == 4 && r->act_t != CAT_ACTION_UNSET ? r->act_t : r->act;
	d->summary = r->meaning;
	d->fix = v->cls == 4 && r->transient ? r->transient : r->fix;
}

/* With no code and no outcome, the class and enhanced code the text
 * implies: the class follows the reason's type, the code the entry's or
 * the phrase's. */
static void
step_inferred_code(struct dstate *ds, struct verdict *v, const char *input, const struct item *it)
{
	const struct cat_analyzer *a = ds->a;
	struct cat_diagnosis *d = ds->d;

	/* no code and no outcome at all ("Benutzer unbekannt"): the class of
	 * the code the text implies follows the reason's type, a hard or
	 * blocking reason permanent, a soft one transient. It names the class
	 * and the inferred code only: type and action stay the reason's own
	 * (a bare "mailbox full" is retried, then suppressed). */
	v->icls = v->cls;
	if (!v->icls && !v->c.reply && !v->c.cls && !it->outcome && v->best.reason >= 0 &&
	    v->best.reason != a->r_unknown) {
		enum cat_type t = a->reasons[v->best.reason].type;
		const struct a_entry *e = v->entry >= 0 ? &a->entries[v->entry] : NULL;

		/* an entry found by its own words was sent under its own
		 * class: Gmail's "rate limited because TLS wasn't used" is a
		 * 421, whatever the reason's type says */
		if (e && e->reason == v->best.reason && (e->reply || e->ecls))
			v->icls = e->reply ? e->reply / 100 : e->ecls;
		else
			v->icls = t == CAT_TYPE_HARD || t == CAT_TYPE_BLOCK ? 5 : t == CAT_TYPE_SOFT ? 4 : 0;
	}
	/* the enhanced code, inferred when none was read */
	if (!v->c.cls && v->icls && v->icls != 3) {
		int s = -1, dt = -1, cl;

		if (v->entry >= 0 && a->entries[v->entry].esubj >= 0 &&
		    a->entries[v->entry].elo == a->entries[v->entry].ehi) {
			s = a->entries[v->entry].esubj;
			dt = a->entries[v->entry].elo;
		} else if (v->implied_subj >= 0) {
			s = v->implied_subj;
			dt = v->implied_det;
		}
		if (s >= 0) {
			format_code(d->enhanced, v->icls, s, dt);
			d->enhanced_inferred = 1;
			v->ec = find_enh(a, s, dt);
		} else if (v->c.reply && v->c.enh_end > v->c.enh_at && v->c.enh_end != (size_t)-1 &&
			   codes_enhanced_at((const unsigned char *)input + v->c.enh_at, 0,
					     v->c.enh_end - v->c.enh_at, &cl, &s, &dt) &&
			   cl == v->icls) {
			/* the words imply none: the code the wrapper wrote around
			 * the remote's bare reply ("< #5.0.0 smtp;554 Transaction
			 * failed>") is the one the line carries, in its class */
			format_code(d->enhanced, cl, s, dt);
			v->ec = find_enh(a, s, dt);
			if (v->ec)
				evidence(ds, v->ec->rule, v->c.enh_at, v->c.enh_end);
			else
				evidence_fmt(ds, v->c.enh_at, v->c.enh_end, "enhanced:", d->enhanced);
		}
	}
}

/* The reason so far is the registry's reason of a code that was read, and
 * nothing else said more. */
static int
reason_from_code_alone(const struct verdict *v)
{
	return v->best.score <= SCORE_ENHANCED && v->best.rule &&
	       ((v->rc && v->best.rule == v->rc->key) || (v->ec && v->best.rule == v->ec->key));
}

/* The reason is a full mailbox by RFC 3463's X.2.2, which it means as a
 * persistent transient failure even under 5: the code read says so, or
 * the phrase that set the reason implies it. */
static int
mailbox_state(const struct verdict *v)
{
	return (v->c.cls && v->c.subj == 2 && v->c.det == 2) ||
	       (v->phrase_id && v->best.rule == v->phrase_id && v->implied_subj == 2 &&
		v->implied_det == 2);
}

/* The diagnosis's class, reason, type and action: a transient class makes
 * the type soft and the action the reason's transient one. A permanent
 * class is never soft for what the code's subject sounds like (5.3.x
 * system, 5.4.x network, 5.5.3 too many recipients) or for what a phrase
 * says ("550 Operating system error", "550 too many messages, try again
 * later"): the server will not take the message again, so the type is
 * block, with the action review when only the code spoke and the
 * reason's own permanent action when the words did; a text not understood
 * under a known class is block (permanent, not about the address) or
 * soft, never unknown. A full mailbox (X.2.2) and an expiry (the MTA's
 * own verdict after its retries, also when the words name its cause:
 * "Message expired, connection refused") keep their soft type. */
static void
step_words(struct dstate *ds, struct verdict *v)
{
	const struct cat_analyzer *a = ds->a;
	struct cat_diagnosis *d = ds->d;

	d->cls = diagnosis_class(d->enhanced_inferred ? v->icls : v->cls);
	/* a code whose registry meaning is a success (X.1.5 "destination
	 * address valid", X.1.9) under a failing class says nothing of why
	 * it failed: the words were not understood, so the class decides */
	if (v->best.reason >= 0 && (v->cls == 4 || v->cls == 5) &&
	    a->reasons[v->best.reason].type == CAT_TYPE_INFO && reason_from_code_alone(v))
		v->best.reason = a->r_unknown;
	if (v->best.reason >= 0) {
		const struct a_reason *r = &a->reasons[v->best.reason];
		int info = r->type == CAT_TYPE_INFO;

		d->reason = r->id;
		d->action = v->cls == 4 && r->act_t != CAT_ACTION_UNSET ? r->act_t : r->act;
		if (v->cls == 4 && !info) {
			d->type = CAT_TYPE_SOFT;
		} else if (v->cls == 2) {
			d->type = CAT_TYPE_INFO;
		} else if (v->cls == 5 && r->type == CAT_TYPE_UNKNOWN) {
			d->type = CAT_TYPE_BLOCK;
		} else if (v->cls == 5 && r->type == CAT_TYPE_SOFT && !mailbox_state(v) &&
			   v->best.reason != a->r_expired && !v->gave_up) {
			/* X.2.2 is exempt: it names the recipient's full mailbox
			 * (RFC 3463 means it as a persistent transient failure
			 * even under 5), a state of the address that the
			 * reason's own action retries a few times, then stops */
			d->type = CAT_TYPE_BLOCK;
			if (reason_from_code_alone(v))
				d->action = CAT_ACTION_REVIEW;
		} else {
			d->type = r->type;
		}
		if (v->cls == 2 || d->action == CAT_ACTION_UNSET)
			d->action = v->cls == 2 ? CAT_ACTION_NONE : CAT_ACTION_REVIEW;
	}
}

/* The provider (the domain's when nothing in the text named one) and the
 * tag, from the entry, the bit flags or a marker that is a tag. */
static void
step_provider_tag(struct dstate *ds, struct verdict *v, const struct item *it,
		  const struct scan *sc)
{
	const struct cat_analyzer *a = ds->a;
	struct cat_diagnosis *d = ds->d;

	if (v->prov < 0)
		v->prov = v->domain_prov;
	if (v->prov >= 0)
		d->provider = a->provs[v->prov].id;
	if (!v->tag && v->marker_tag) {
		/* "(S3150)" -> S3150 */
		size_t st0 = v->marker_tag_start, en = v->marker_tag->end;
		char buf[64];
		size_t n = 0, k2;

		for (k2 = st0; k2 < en && n + 1 < sizeof(buf); k2++)
			if (isalnum(sc->norm[k2]) || sc->norm[k2] == '-' || sc->norm[k2] == '_')
				buf[n++] = (char)toupper(sc->norm[k2]);
		buf[n] = '\0';
		if (n)
			v->tag = astr(ds, buf);
	}
	d->provider_tag = v->tag;
	d->outcome = it->outcome;
}

/* The confidence: high for an entry, a structural reason, a registry
 * reason of a code read (not inferred), or a decisive phrase beside an
 * enhanced code; medium from SCORE_REPLY; low otherwise and for unknown. */
static void
step_confidence(struct dstate *ds, struct verdict *v)
{
	const struct cat_analyzer *a = ds->a;
	struct cat_diagnosis *d = ds->d;

	if (v->best.reason == a->r_unknown)
		d->confidence = CAT_CONFIDENCE_LOW;
	else if (v->entry >= 0 || v->best.score >= SCORE_STRUCTURE ||
		 (v->ec && !(v->icls && !v->cls) && v->best.score >= SCORE_ENHANCED) ||
		 (v->c.cls && v->best.score >= SCORE_DECISIVE_PHRASE))
		d->confidence = CAT_CONFIDENCE_HIGH;
	else if (v->best.score >= SCORE_REPLY)
		d->confidence = CAT_CONFIDENCE_MEDIUM;
	else
		d->confidence = CAT_CONFIDENCE_LOW;
}

/* What happened and what to do: the entry's texts, else the enhanced
 * code's when its reason is the one chosen, else the reason's. */
static void
step_texts(struct dstate *ds, struct verdict *v)
{
	const struct cat_analyzer *a = ds->a;
	struct cat_diagnosis *d = ds->d;

	/* what happened and what to do: the most specific text we have; an
	 * entry of another class (a tag under another reply) says what
	 * happened, but what to do follows the class of this reply */
	if (v->entry >= 0) {
		const struct a_entry *e = &a->entries[v->entry];
		int ecls = e->reply ? e->reply / 100 : e->ecls;

		d->summary = e->meaning;
		if (!ecls || !v->cls || ecls == v->cls)
			d->fix = e->fix;
	}
	/* the registry code explains only when its reason is the one chosen */
	if (!d->summary && v->ec && v->best.reason == v->ec->reason)
		d->summary = v->ec->meaning;
	if (!d->fix && v->ec && v->best.reason == v->ec->reason)
		d->fix = v->ec->fix;
	if (v->best.reason >= 0) {
		const struct a_reason *r = &a->reasons[v->best.reason];

		if (!d->summary)
			d->summary = r->meaning;
		if (!d->fix)
			d->fix = v->cls == 4 && r->transient ? r->transient : r->fix;
	}
	if (v->rc)
		add_entry_key(ds, v->rc->key);
	if (v->ec)
		add_entry_key(ds, v->ec->key);
	if (v->note[0])
		d->note = astr(ds, v->note);
}

/* Decides one diagnosis from the scanned text and the item's structure:
 * the steps in order, each weighing one kind of evidence into the verdict
 * (the order is the order of the evidence too). */
/* What the item is: what its structure said (a log line's kind, a
 * message's), else what the verdict makes of it: an auto-reply or a
 * complaint by its reason, a report of a delivery made by its class, and
 * otherwise a bounce. */
static void
step_event(struct dstate *ds, const struct verdict *v, const struct item *it)
{
	const struct cat_analyzer *a = ds->a;
	struct cat_diagnosis *d = ds->d;

	int coded = v->c.reply || v->c.cls;

	if (it->event)
		d->event = it->event;
	/* the wording says what the message is: a delay warning that
	 * carries no permanent code, a challenge that carries none */
	else if ((v->phrase_event == CAT_EVENT_DELAY && v->cls != 5 &&
		  v->best.reason != a->r_auto_reply) ||
		 (v->phrase_event == CAT_EVENT_CHALLENGE && !coded && !it->outcome)) {
		d->event = v->phrase_event;
		evidence(ds, v->phrase_event_rule, v->phrase_event_at, v->phrase_event_end);
	}
	else if (v->best.reason == a->r_unknown && it->plain && !coded && !it->outcome &&
		 v->phrase_event != CAT_EVENT_BOUNCE)
		/* a message with no sign of a bounce in its structure and no
		 * code nor known wording in its words */
		d->event = CAT_EVENT_MESSAGE;
	else if (v->best.reason == a->r_auto_reply)
		d->event = CAT_EVENT_AUTO_REPLY;
	else if (v->best.reason == a->r_complaint)
		d->event = CAT_EVENT_COMPLAINT;
	else if (d->cls == CAT_CLASS_SUCCESS)
		d->event = CAT_EVENT_SUCCESS;
	else
		d->event = CAT_EVENT_BOUNCE;
	/* a delay is a warning: the MTA still tries, so the address is never
	 * given up on for it (what the sender may have to fix stays); nothing
	 * is to be done about an ordinary message */
	if (d->event == CAT_EVENT_DELAY) {
		if (d->type != CAT_TYPE_INFO)
			d->type = CAT_TYPE_SOFT;
		if (d->action == CAT_ACTION_SUPPRESS || d->action == CAT_ACTION_RETRY_THEN_SUPPRESS)
			d->action = CAT_ACTION_RETRY;
	} else if (d->event == CAT_EVENT_MESSAGE) {
		d->action = CAT_ACTION_IGNORE;
	}
}

void
decide_item(struct dstate *ds, const char *input, const struct item *it, struct scan *sc)
{
	struct verdict v;

	verdict_init(&v);
	step_read_codes(ds, &v, input, it, sc);
	step_provider_markers(ds, &v, input, it, sc);
	step_entry_by_text(ds, &v, sc);
	step_bitflag_tag(ds, &v, it, sc);
	step_provider_by_code(ds, &v);
	step_entry_by_codes(ds, &v);
	step_entry_reason(ds, &v, sc);
	step_registry_reason(&v);
	step_phrases(ds, &v, it, sc);
	step_side(ds, &v);
	step_class_digit(ds, &v, it);
	step_structure(ds, &v, input, it, sc);
	step_stage(ds, &v, it);
	step_inferred_code(ds, &v, input, it);
	step_words(ds, &v);
	step_provider_tag(ds, &v, it, sc);
	step_confidence(ds, &v);
	step_texts(ds, &v);
	step_refusal(ds, &v, it);
	step_event(ds, &v, it);
}

/* ------------------------------------------------------------ remembered decisions
 *
 * The lines of a mail log repeat: nine of ten are deliveries, where the
 * same relays answer "250 2.0.0 Ok" over and over, and the failures and
 * deferrals repeat a few hundred texts. A line decided as one before it
 * takes that decision without scanning or deciding: the decision is
 * remembered by what decides it, with each evidence span relative to the
 * span of the item it lies in. Two kinds of key:
 *
 *  - a delivered line (a delivered outcome, a relay named, a reply that
 *    starts with its codes): scan_item() reads only the codes and the
 *    relay's name, and decide_item() only those and a few fields of the
 *    item (struct dkey), so the key is small and copied whole;
 *  - any other line of a log: the bytes of every span scan_item() reads,
 *    with the fields decide_item() reads (struct fkey); the bytes are
 *    hashed, kept in the slot and compared whole on a hit.
 *
 * The strings decide_item() made for its own line (a note, an unknown
 * code's rule) are kept in the slot and copied into the analysis of each
 * line that takes the decision, so its diagnosis owns them as it would
 * have. */

/* The spans of an item that evidence lies in, by enum dregion: the first
 * FK_SPANS are those whose bytes an fkey holds. */
static void
item_regions(const struct item *it, struct span r[DREGION_COUNT])
{
	r[DREGION_TEXT] = it->text;
	r[DREGION_EXTRA] = it->extra;
	r[DREGION_HOST] = it->host;
	r[DREGION_ORIGIN] = it->origin;
	r[DREGION_SUBJECT] = it->subject;
	r[DREGION_STATUS] = it->status;
	r[DREGION_OUTCOME] = it->outcome_at;
}

static int
regions_meet(struct span a, struct span b)
{
	return span_ok(a) && span_ok(b) && a.start < b.end && b.start < a.end;
}

/* The slot of a key: the relay's name (its length, its first and its
 * last eight bytes: the key is cleared whole, so the bytes past a name
 * shorter than eight are zeros; the slot is a hint, the compare decides)
 * and the codes. No pointer is hashed: where a string lies changes from
 * run to run, and so would which decisions evict which. */
static size_t
dmemo_slot(const struct dkey *k)
{
	uint64_t h = (uint64_t)k->host_len * 0x9e3779b97f4a7c15ULL, w0, w1;

	memcpy(&w0, k->host, 8);
	memcpy(&w1, k->host + (k->host_len > 8 ? k->host_len - 8 : 0), 8);
	h = (h ^ w0) * 0xff51afd7ed558ccdULL;
	h = (h ^ (w1 * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;
	h ^= (uint64_t)(k->reply * 1000 + k->subj * 100 + k->det) ^
	     ((uint64_t)(unsigned)(k->it.domain_prov + 1) << 20) ^ ((uint64_t)k->it.outcome_len << 7);
	h *= 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 40) % DMEMO_SLOTS;
}

/* The slot of an fkey, among the FMEMO_SLOTS after the delivered ones. */
static size_t
fmemo_slot(const struct fkey *k)
{
	uint64_t h = k->hash ^ ((uint64_t)k->it.outcome_len << 5) ^
		     ((uint64_t)(unsigned)k->it.event << 16) ^
		     ((uint64_t)(unsigned)(k->it.domain_prov + 1) << 32);

	h *= 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 40) % FMEMO_SLOTS;
}

/* The string fields of a diagnosis that a remembered decision may own a
 * copy of (struct dmemo's own[].which), then the entries and the rules
 * of the evidence. */
enum { DOWN_FIELDS = 7, DOWN_ENTRY = DOWN_FIELDS, DOWN_RULE };

static const char **
down_field(struct cat_diagnosis *d, unsigned which)
{
	const char **f[DOWN_FIELDS] = { &d->reason, &d->provider, &d->provider_tag, &d->outcome,
					&d->summary, &d->fix, &d->note };

	return f[which];
}

/* Fills ds->d, its evidence and entries from the remembered decision m. */
static void
memo_take(struct dstate *ds, const struct dmemo *m, const struct item *it)
{
	struct span r[DREGION_COUNT];
	size_t i;

	item_regions(it, r);
	*ds->d = m->d;
	for (i = 0; i < m->n_ev; i++) {
		ds->ev[i].rule = m->ev[i].rule;
		ds->ev[i].start = r[m->ev[i].region].start + m->ev[i].start;
		ds->ev[i].end = r[m->ev[i].region].start + m->ev[i].end;
	}
	ds->n_ev = m->n_ev;
	memcpy(ds->entries, m->entries, m->n_entries * sizeof(*ds->entries));
	ds->n_entries = m->n_entries;
	for (i = 0; i < m->n_own; i++) {
		const char *s = astr(ds, m->strs + m->own[i].at);

		if (m->own[i].which < DOWN_FIELDS)
			*down_field(ds->d, m->own[i].which) = s;
		else if (m->own[i].which == DOWN_ENTRY)
			ds->entries[m->own[i].idx] = s;
		else
			ds->ev[m->own[i].idx].rule = s;
	}
}

/* codes_raw() of text t, remembered in x (may be NULL) by the text's
 * first sixteen bytes: from a text of sixteen bytes or more, codes_raw()
 * reads none past the fifteenth ("250 2.0.0 " and at most three digits a
 * number), so those bytes give the same codes. All zeros (an empty slot)
 * are no codes, as codes_raw() finds. */
static int
raw_codes(struct an_scratch *x, const char *input, struct span t, struct codes *c)
{
	struct rawcodes *r;
	uint64_t w0, w1;

	if (!x || span_len(t) < 16)
		return codes_raw(input, t, c);
	memcpy(&w0, input + t.start, 8);
	memcpy(&w1, input + t.start + 8, 8);
	r = &x->raw[(((w0 ^ (w1 * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL) >> 40) % RAW_SLOTS];
	if (r->w0 != w0 || r->w1 != w1) {
		int ok = codes_raw(input, t, c);

		r->w0 = w0;
		r->w1 = w1;
		r->enh_len = ok ? (uint32_t)(c->enh_end - c->enh_at) : 0;
		r->reply = ok ? c->reply : 0;
		r->cls = ok ? c->cls : 0;
		r->subj = ok ? c->subj : 0;
		r->det = ok ? c->det : 0;
		return ok;
	}
	if (!r->enh_len)
		return 0;
	c->own_start = c->own_end = 0; /* the rest is set: codes_raw() clears it all */
	c->reply = r->reply;
	c->reply_at = t.start;
	c->reply_end = t.start + 3;
	c->cls = r->cls;
	c->subj = r->subj;
	c->det = r->det;
	c->enh_at = t.start + 4;
	c->enh_end = t.start + 4 + r->enh_len;
	return 1;
}

/* codes_enhanced_at() of a status field of n bytes at p, remembered in x
 * by its bytes when it has at most eight (it reads none past its end). */
static size_t
status_codes(struct an_scratch *x, const unsigned char *p, size_t n, int *cls, int *subj, int *det)
{
	struct stcodes *r;
	uint64_t w = 0;
	size_t i;

	if (n > 8)
		return codes_enhanced_at(p, 0, n, cls, subj, det);
	if (n >= 4) {
		uint32_t lo, hi;

		/* two overlapping words and the length hold the bytes */
		memcpy(&lo, p, 4);
		memcpy(&hi, p + n - 4, 4);
		w = lo | (uint64_t)hi << 32;
	} else {
		for (i = 0; i < n; i++)
			w |= (uint64_t)p[i] << (8 * i);
	}
	r = &x->st[((((w ^ n) * 0x9e3779b97f4a7c15ULL)) >> 40) % RAW_SLOTS];
	if (r->n != n || r->w != w) {
		/* n is at least 1: an empty slot (n 0) is never taken */
		r->w = w;
		r->n = (uint32_t)n;
		r->cls = r->subj = r->det = 0;
		r->l = (uint32_t)codes_enhanced_at(p, 0, n, &r->cls, &r->subj, &r->det);
	}
	if (r->l) {
		*cls = r->cls;
		*subj = r->subj;
		*det = r->det;
	}
	return r->l;
}

/* The fields of an ikey, from it (the key around it cleared before). */
static void
ikey_fill(struct dstate *ds, const char *input, const struct item *it, struct ikey *k)
{
	k->outcome = it->outcome;
	k->format = it->format;
	k->status_rule = it->status_rule;
	k->outcome_len = (uint32_t)span_len(it->outcome_at);
	k->domain_prov = domain_provider(ds->a, ds->an->scratch, input, it->recipient);
	k->ocls = it->ocls;
	k->expired = it->expired;
	k->event = (int)it->event;
	k->stage = (int)it->stage;
	k->warn_only = it->warn_only;
	k->plain = it->plain;
	k->exit_status = it->exit_status;
}

/* The key of a delivered line whose reply starts with its codes, in
 * ds->key: 1, else 0 (the line is not one). */
static int
dmemo_key(struct dstate *ds, const char *input, const struct item *it)
{
	struct dkey *k = &ds->key;
	struct codes c;

	if (it->ocls != 2 || !it->outcome || it->forced_reason || !span_ok(it->text) ||
	    !span_ok(it->host) || span_ok(it->extra) || span_ok(it->origin) || span_ok(it->subject) ||
	    span_len(it->host) > HOST_KEY || !raw_codes(ds->an->scratch, input, it->text, &c))
		return 0;
	bs_clear(k, sizeof(*k));
	k->host_len = span_len(it->host);
	memcpy(k->host, input + it->host.start, k->host_len);
	k->reply = c.reply;
	k->cls = c.cls;
	k->subj = c.subj;
	k->det = c.det;
	k->reply_at = c.reply_at - it->text.start;
	k->reply_end = c.reply_end - it->text.start;
	k->enh_at = c.enh_at - it->text.start;
	k->enh_end = c.enh_end - it->text.start;
	if (span_ok(it->status)) {
		k->st_len = span_len(it->status);
		k->st_l = status_codes(ds->an->scratch, (const unsigned char *)input + it->status.start,
				       k->st_len, &k->st_cls, &k->st_subj, &k->st_det);
		if (!k->st_l) /* not read: what it held does not count */
			k->st_cls = k->st_subj = k->st_det = 0;
	}
	ikey_fill(ds, input, it, &k->it);
	return 1;
}

/* The n bytes at p into the hash h, eight at a time. */
static uint64_t
hash_bytes(uint64_t h, const unsigned char *p, size_t n)
{
	uint64_t w;

	h = (h ^ n) * 0x9e3779b97f4a7c15ULL;
	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 29;
	}
	if (n) {
		w = 0;
		memcpy(&w, p, n);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 29;
	}
	return h;
}

/* Whether a header field's name may be glued to the start of a span at
 * `at`: the codes' reader looks behind a colon for one (a letter, a digit
 * or '-' run back to the line's start: header_field_colon()), and would
 * read across the span's start into the line. */
static int
glued_before(const char *input, size_t at)
{
	return at > 0 && (isalnum((unsigned char)input[at - 1]) || input[at - 1] == '-');
}

static int
line_head(const char *input, size_t at)
{
	return at == 0 || input[at - 1] == '\n' || input[at - 1] == '\r';
}

/* The key of any other line of a log, in ds->fkey: 1, else 0 (it cannot
 * be remembered). What scan_item() and decide_item() read beyond the
 * spans' bytes and the item's fields is in it too: what stands before the
 * text and the context (the codes' reader looks behind a colon for a
 * header field's name, behind blanks for a line's start), and where the
 * spans that overlap lie from each other (a relay's name inside the text:
 * evidence() merges spans of one rule that overlap). No span may be
 * followed by a UTF-8 continuation byte (evidence() widens an end over
 * them). */
static int
fmemo_key(struct dstate *ds, const char *input, const struct item *it)
{
	struct fkey *k = &ds->fkey;
	struct span r[DREGION_COUNT];
	const char *text = ds->an->pub.text;
	size_t i, j, n = 0, total = 0, len = ds->an->pub.text_len;
	uint8_t on[DREGION_COUNT]; /* the spans that are not empty */
	uint64_t h = 0;

	if (!format_is_log(it->format))
		return 0;
	if ((span_ok(it->text) && glued_before(input, it->text.start)) ||
	    (span_ok(it->extra) && glued_before(input, it->extra.start)))
		return 0;
	item_regions(it, r);
	for (i = 0; i < DREGION_COUNT; i++) {
		if (!span_ok(r[i]))
			continue;
		if (r[i].end < len && ((unsigned char)text[r[i].end] & 0xc0) == 0x80)
			return 0;
		on[n++] = (uint8_t)i;
	}
	for (i = 0; i < FK_SPANS; i++)
		total += span_len(r[i]);
	if (total > FMEMO_BYTES)
		return 0;
	bs_clear(k, sizeof(*k));
	for (i = 0; i < FK_SPANS; i++) {
		k->len[i] = (uint32_t)span_len(r[i]);
		h = hash_bytes(h, (const unsigned char *)input + r[i].start, k->len[i]);
	}
	k->hash = h;
	/* the groups of spans that overlap: each span joins the group of the
	 * first span before it that it overlaps, and a span that overlaps
	 * two groups joins them */
	for (i = 0; i < DREGION_COUNT; i++)
		k->group[i] = (uint8_t)i;
	for (i = 1; i < n; i++)
		for (j = 0; j < i; j++) {
			uint8_t a = k->group[on[i]], b = k->group[on[j]], from, to;
			size_t q;

			if (a == b || r[on[i]].start >= r[on[j]].end || r[on[j]].start >= r[on[i]].end)
				continue;
			from = a > b ? a : b;
			to = a < b ? a : b;
			for (q = 0; q <= i; q++)
				if (k->group[on[q]] == from)
					k->group[on[q]] = to;
		}
	for (i = 0; i < n; i++)
		if (k->group[on[i]] != on[i])
			k->group_at[on[i]] = (int32_t)((int64_t)r[on[i]].start -
						       (int64_t)r[k->group[on[i]]].start);
	ikey_fill(ds, input, it, &k->it);
	k->forced_reason = it->forced_reason;
	k->qmail = it->qmail;
	if (span_ok(it->text))
		k->text_line = line_head(input, it->text.start);
	if (span_ok(it->extra)) {
		size_t o = it->extra.start;

		k->extra_line = line_head(input, o);
		while (o > 0 && (input[o - 1] == ' ' || input[o - 1] == '\t'))
			o--;
		k->extra_blank = line_head(input, o);
	}
	return 1;
}

/* Whether slot t holds fkey k with the bytes of the item's spans. */
static int
fmemo_same(const struct dmemo *t, const struct fkey *k, const char *input, const struct item *it)
{
	struct span s[DREGION_COUNT];
	size_t i, off = 0;

	if (!t->used || memcmp(&t->k.fkey, k, sizeof(*k)) != 0)
		return 0;
	item_regions(it, s);
	for (i = 0; i < FK_SPANS; i++) {
		if (k->len[i] && memcmp(t->bytes + off, input + s[i].start, k->len[i]) != 0)
			return 0;
		off += k->len[i];
	}
	return 1;
}

int
decide_memo(struct dstate *ds, const char *input, const struct item *it)
{
	const struct dmemo *dm = ds->an->scratch->dm, *m = NULL;
	size_t base, q, slot = 0;

	ds->memo_ok = 0;
	ds->memo_hit = -1;
	if (ds->an->no_memo)
		return 0;
	if (dmemo_key(ds, input, it)) {
		ds->memo_ok = 1;
		if (!dm)
			return 0;
		base = dmemo_slot(&ds->key);
		for (q = 0; q < 4 && !m; q++) {
			slot = (base + q) % DMEMO_SLOTS;
			if (dm[slot].used && memcmp(&dm[slot].k.key, &ds->key, sizeof(ds->key)) == 0)
				m = &dm[slot];
		}
	} else if (fmemo_key(ds, input, it)) {
		ds->memo_ok = 2;
		if (!dm)
			return 0;
		base = fmemo_slot(&ds->fkey);
		for (q = 0; q < 4 && !m; q++) {
			slot = DMEMO_SLOTS + (base + q) % FMEMO_SLOTS;
			if (fmemo_same(&dm[slot], &ds->fkey, input, it))
				m = &dm[slot];
		}
	}
	if (!m)
		return 0;
	ds->memo_hit = (int)slot;
	memo_take(ds, m, it);
	return 1;
}

/* The string of ds's decision that own[].which and idx name. */
static const char *
own_str(struct dstate *ds, unsigned which, size_t idx)
{
	return which < DOWN_FIELDS ? *down_field(ds->d, which)
	       : which == DOWN_ENTRY ? ds->entries[idx]
				     : ds->ev[idx].rule;
}

/* Notes in m->own[] the strings of ds's decision that were made for its
 * line (in the analysis's arena), with their total size in *size: 0 when
 * there are more than DMEMO_OWN. */
static int
memo_owned(struct dstate *ds, struct dmemo *m, size_t *size)
{
	const struct cat_arena *ar = ds->an->arena;
	size_t i, n = 0, at = 0, count[] = { DOWN_FIELDS, ds->n_entries, ds->n_ev };
	unsigned kind;

	for (kind = 0; kind < 3; kind++)
		for (i = 0; i < count[kind]; i++) {
			unsigned which = kind == 0 ? (unsigned)i : kind == 1 ? DOWN_ENTRY : DOWN_RULE;
			const char *s = own_str(ds, which, i);

			if (!s || !arena_contains(ar, s))
				continue;
			if (n == DMEMO_OWN)
				return 0;
			m->own[n].which = (uint8_t)which;
			m->own[n].idx = (uint8_t)i;
			m->own[n].at = (uint32_t)at;
			at += strlen(s) + 1;
			n++;
		}
	m->n_own = n;
	*size = at;
	return 1;
}

void
decide_memo_keep(struct dstate *ds, const char *input, const struct item *it)
{
	struct an_scratch *x = ds->an->scratch;
	uint32_t in[DMEMO_EV];
	struct span r[DREGION_COUNT];
	struct dmemo *m = NULL, own;
	size_t base, q, i, j, lo, n, need = 0, strs = 0;

	if (!ds->memo_ok || ds->oom || ds->n_ev > DMEMO_EV)
		return;
	item_regions(it, r);
	/* a delivered line's spans are apart, so that each evidence lies in
	 * one (another line's key says how they overlap) */
	if (ds->memo_ok == 1)
		for (i = 0; i < DREGION_COUNT; i++)
			for (j = i + 1; j < DREGION_COUNT; j++)
				if (regions_meet(r[i], r[j]))
					return;
	for (i = 0; i < ds->n_ev; i++) {
		const struct cat_span *e = &ds->ev[i];

		for (j = 0; j < DREGION_COUNT; j++)
			if (span_ok(r[j]) && e->start >= r[j].start && e->end <= r[j].end)
				break;
		if (j == DREGION_COUNT)
			return;
		in[i] = (uint32_t)j;
	}
	if (!memo_owned(ds, &own, &strs))
		return;
	if (!x->dm) {
		x->dm = calloc(DMEMO_SLOTS + FMEMO_SLOTS, sizeof(*x->dm));
		x->dm_use = calloc(MAX_ITEMS, sizeof(*x->dm_use));
		x->fseen = calloc(FMEMO_SEEN, sizeof(*x->fseen));
		if (!x->dm || !x->dm_use || !x->fseen) {
			free(x->dm);
			free(x->dm_use);
			free(x->fseen);
			x->dm = NULL;
			x->dm_use = NULL;
			x->fseen = NULL;
			return; /* it only saves time */
		}
	}
	/* four slots from the hash's, the first free one, else the first */
	if (ds->memo_ok == 1) {
		lo = 0;
		n = DMEMO_SLOTS;
		base = dmemo_slot(&ds->key);
	} else {
		lo = DMEMO_SLOTS;
		n = FMEMO_SLOTS;
		base = fmemo_slot(&ds->fkey);
	}
	for (q = 0; q < 4 && !m; q++)
		if (!x->dm[lo + (base + q) % n].used)
			m = &x->dm[lo + (base + q) % n];
	if (!m)
		m = &x->dm[lo + base];
	/* a line's text often quotes its recipient, and such a key never
	 * comes again: a key takes a slot over only once seen before, so
	 * that those do not evict the ones that repeat */
	if (m->used && ds->memo_ok == 2) {
		uint64_t h = ds->fkey.hash * 0x9e3779b97f4a7c15ULL;
		uint32_t *seen = &x->fseen[(h >> 20) % FMEMO_SEEN], tag = (uint32_t)(h >> 32) | 1;

		if (*seen != tag) {
			*seen = tag;
			return;
		}
	}
	/* the slot's buffers first: when one cannot grow, the slot keeps
	 * what it held */
	if (ds->memo_ok == 2)
		for (i = 0; i < FK_SPANS; i++)
			need += ds->fkey.len[i];
	if (need > m->bytes_cap) {
		unsigned char *b = realloc(m->bytes, need);

		if (!b)
			return;
		m->bytes = b;
		m->bytes_cap = need;
	}
	if (strs > m->strs_cap) {
		char *b = realloc(m->strs, strs);

		if (!b)
			return;
		m->strs = b;
		m->strs_cap = strs;
	}
	if (ds->memo_ok == 2) {
		size_t off = 0;

		for (i = 0; i < FK_SPANS; i++) {
			if (!ds->fkey.len[i])
				continue; /* a line of no delivery may have no bytes at all */
			memcpy(m->bytes + off, input + r[i].start, ds->fkey.len[i]);
			off += ds->fkey.len[i];
		}
		memcpy(&m->k.fkey, &ds->fkey, sizeof(ds->fkey)); /* compared with memcmp(): padding too */
	} else {
		memcpy(&m->k.key, &ds->key, sizeof(ds->key));
	}
	/* another decision: the JSON made for the one it held goes */
	free(m->json);
	m->json = NULL;
	m->gen++;
	m->d = *ds->d;
	for (i = 0; i < ds->n_ev; i++) {
		m->ev[i].rule = ds->ev[i].rule;
		m->ev[i].region = in[i];
		m->ev[i].start = (uint32_t)(ds->ev[i].start - r[in[i]].start);
		m->ev[i].end = (uint32_t)(ds->ev[i].end - r[in[i]].start);
	}
	m->n_ev = ds->n_ev;
	memcpy(m->entries, ds->entries, ds->n_entries * sizeof(*m->entries));
	m->n_entries = ds->n_entries;
	memcpy(m->own, own.own, own.n_own * sizeof(*own.own));
	m->n_own = own.n_own;
	for (i = 0; i < m->n_own; i++) {
		const char *str = own_str(ds, m->own[i].which, m->own[i].idx);

		memcpy(m->strs + m->own[i].at, str, strlen(str) + 1);
	}
	m->used = 1;
}
