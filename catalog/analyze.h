/* analyze.h: what the stages of the analyzer share (private to catalog/analyze*.c).
 *
 * The analyzer is public through bounce/catalog.h (cat_analyzer_new, cat_analyze,
 * cat_diagnosis_json ...). Inside, one input goes through these files, in
 * this order:
 *
 *  analyze_rules.c    (once, at cat_analyzer_new) the catalog compiled into
 *                     struct cat_analyzer: reasons, codes, providers and their
 *                     domains, markers, entries and their texts, phrases,
 *                     bit-flag tags, one Aho-Corasick automaton over them all
 *  analyze.c          the entry point: cat_analyze() cuts one input into items
 *                     (a recipient with its diagnostic text, outcome, codes,
 *                     host) by its structure, then runs the stages below on each
 *  analyze_logline.c  a mail log line (Postfix, Exim, Sendmail, qmail) as an item
 *  analyze_message.c  a whole message: headers, DSN groups, ARF, failed
 *                     recipients, read from the parts of the MIME tree
 *  analyze_notice.c   a sending service's notification in JSON (Amazon SES,
 *                     also in an SNS envelope or a message's body)
 *  mime.c             the one MIME reader (mime.h): header blocks, fields,
 *                     types, boundaries, the part tree the message stage
 *                     visits, and the copy with the encoded parts decoded that
 *                     cat_analyze() reads instead when a part needs it
 *  analyze_scan.c     an item's texts folded to lower case with the
 *                     continuation prefixes of multi-line replies removed
 *                     (with a map back to input offsets), and scanned once
 *  analyze_codes.c    the reply and enhanced codes of the scanned text
 *  analyze_decide.c   the decision: provider, entry, reason, class, type,
 *                     action, confidence, summary, fix, evidence
 *  analyze_json.c     a diagnosis as one line of JSON, with its caches
 *
 * Mechanism only: every piece of knowledge (which phrase reveals which
 * reason, which marker names which provider, what a provider's reply means,
 * what to do) comes from the catalog.
 */
#ifndef BOUNCE_CATALOG_ANALYZE_H
#define BOUNCE_CATALOG_ANALYZE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bounce/catalog.h"

/* MAX_ITEMS: recipients of one message that get their own diagnosis */
/* offsets into an input are kept in 32 bits (the map of normalize_into()) */
#define MAX_INPUT_LIMIT ((size_t)1 << 31)
enum { DEFAULT_MAX_INPUT = 1024 * 1024, MAX_ITEMS = 1024, MAX_EVIDENCE = 24, MAX_HITS = 256,
       MAX_ENTRIES = 6, FRAG_MIN = 14, SEG_KEYS = 12, SEG_SLOTS = 256,
       CODES_PREFIX = 40, HOST_KEY = 96, HOST_HITS = 16, HOST_SLOTS = 64, DMEMO_SLOTS = 128,
       DMEMO_EV = 16, DMEMO_OWN = 8, FMEMO_SLOTS = 256, FMEMO_BYTES = 1024,
       FMEMO_SEEN = 4096, DOM_KEY = 56, DOM_SLOTS = 64,
       RAW_SLOTS = 16 };

/* Pattern ids: kind in the top byte, index below. */
enum { PAT_PHRASE = 1, PAT_MARKER, PAT_FRAG, PAT_TAG, PAT_PART };
#define PAT_ID(kind, i) ((kind) << 24 | (i))
#define PAT_KIND(id) ((id) >> 24)
#define PAT_INDEX(id) ((id)&0xffffff)

/* The reasons the analyzer's code names, X(field of struct cat_analyzer, id):
 * a catalog without one of them is refused by cat_analyzer_new(). */
#define A_REASON_LIST(X)                                                       \
	X(r_unknown, "unknown")                                                \
	X(r_success, "success")                                                \
	X(r_expired, "expired")                                                \
	X(r_auto_reply, "auto_reply")                                          \
	X(r_complaint, "complaint")                                            \
	X(r_no_delivery, "no_delivery")                                        \
	X(r_refused, "refused")                                                \
	X(r_policy_block, "policy_block")

/* A reason, with its words compiled into enums once, at cat_analyzer_new(). */
struct a_reason {
	const char *id, *meaning, *fix, *transient;
	enum cat_group group;
	enum cat_type type;
	enum cat_action act, act_t; /* act_t: when transient; UNSET when none */
	/* the reason whose texts explain a refusal by our own server for this
	 * reason ("refused_<id>" in the catalog, such as our resolver refused
	 * by Spamhaus for receiver_config); -1 for the plain "refused" */
	int refusal;
};

struct a_code { /* a generic reply or enhanced code */
	int reply;        /* for replies */
	int subj, det;    /* for enhanced codes */
	const char *key;
	const char *rule; /* "reply:550", "enhanced:X.1.1" */
	int reason;       /* index into reasons, -1 */
	const char *meaning, *fix;
};

struct a_entry {
	const char *key;
	const char *rule, *tag_rule; /* "entry:KEY", "tag:TAG" */
	int prov;
	int reply, ecls, esubj, elo, ehi;
	const char *tag;
	int tag_word;  /* the tag is a word or a number (an API's own code:
			  605, HardBounce): it counts only where its provider
			  is named (see step_entry_by_text()) */
	int reason;
	const char *meaning, *fix;
};

struct a_provider {
	const char *id;
	const char *rule; /* "marker:ID" */
	const char **domains;
	size_t n_domains;
};

struct a_phrase {
	const char *id;
	const char *rule; /* "phrase:ID" */
	int reason; /* -1 when it only hints a class */
	int cls;
	int isubj, idet; /* implied enhanced code, -1 */
	int weight;
	int subject_only;
	enum cat_event event; /* what the wording says the message is; NONE */
	size_t len;      /* for a phrase with gaps, its parts' lengths together */
	int part0;       /* a phrase with gaps: its first part in parts[], */
	int n_parts;     /* and how many; 0 for a phrase matched whole */
};

/* A phrase written with gaps ("host ... not found", "after <n> days") is
 * matched as parts, each a pattern of the automaton: decide_item() joins
 * them when they come in order with the right gap between them. A
 * provider marker may have gaps too ("(AS<n>)"): the same parts, owned by
 * the marker. */
enum gap {
	GAP_NONE,   /* before the first part */
	GAP_WORDS,  /* "...": any words, at most GAP_WORDS_MAX bytes */
	GAP_NUMBER, /* "<n>": a number */
};
enum { GAP_WORDS_MAX = 64, GAP_NUMBER_MAX = 16 };

struct a_part {
	int phrase;   /* its phrase, an index into phrases; -1 for a marker's */
	int marker;   /* its marker, an index into markers; -1 for a phrase's */
	int k;        /* its place in the phrase, 0 first */
	enum gap gap; /* what comes between it and the part before */
	size_t len;
};

struct a_marker {
	int prov;
	int strong;
	int is_tag; /* a tag such as (S3150): it names the reply too */
	int is_id;  /* the infix of a transaction id such as Gmail's "si" (id_token()) */
	int is_host; /* where="host": a host name's own labels, not an address's (host_token()) */
	int reporter; /* role="reporter": it names the MTA that wrote the report
			 (an NDR's boilerplate), not the server whose reply it relays */
	size_t len; /* for a marker with gaps, its parts' lengths together */
	int n_parts; /* a marker with gaps: how many parts; 0 when matched whole */
};

struct a_frag {
	int entry;
	size_t len;
	const char *text; /* folded */
	int generic; /* mostly one of the phrase packs' phrases: not the provider's own */
	int marker;  /* wholly a marker of its provider: it names the provider, no entry */
	int shared;  /* another entry of the same provider has it too: it names none of them */
};

struct a_bitflags {
	int prov;
	const char *prefix; /* lower case */
	size_t plen;
	int digits;
	int reply;
	int reason;
};

struct cat_analyzer {
	struct catalog *cat;
	struct cat_arena *arena;
	struct acm *acm;
	size_t max_input;
	struct a_reason *reasons;
	size_t n_reasons;
	struct a_code *replies;
	size_t n_replies;
	struct a_code *enh;
	size_t n_enh;
	/* 1 + the index of the first reply code N in replies, 0 if none; and
	 * of the first X.S.D in enh, by S * 1000 + D */
	short reply_at[1000];
	short enh_at[8 * 1000];
	struct a_entry *entries;
	size_t n_entries;
	/* every provider's domains, a hash table (see index_domains()) */
	struct a_domain {
		const char *name;
		int prov;
	} *doms;
	size_t n_doms;
	/* the entries of provider p are by_prov[prov_off[p] .. prov_off[p + 1]) */
	int *by_prov;
	size_t *prov_off;
	struct a_provider *provs;
	size_t n_provs;
	struct a_phrase *phrases;
	size_t n_phrases;
	struct a_part *parts;
	size_t n_parts;
	struct a_marker *markers;
	size_t n_markers;
	struct a_frag *frags;
	size_t n_frags;
	struct a_bitflags *bitflags;
	size_t n_bitflags;
#define A_REASON_FIELD(field, id) int field;
	A_REASON_LIST(A_REASON_FIELD)
#undef A_REASON_FIELD
	int r_refusal_warning; /* optional: -1 when the catalog has none */
	int from_image; /* the arrays are the built-in image's (cat_builtin_analyzer()) */
};

/* What one analysis keeps between calls (cat_analysis.scratch): the
 * buffers of cat_analyze() and the JSON form of long-lived strings. It
 * belongs to the analysis, not to the analyzer, so that an analyzer is only
 * read once it is built and threads can share it. */
enum { DUSE_STRS = 5 };

struct an_scratch {
	struct item *items; /* MAX_ITEMS */
	unsigned char *norm;
	uint32_t *map; /* input offsets: inputs are at most 2 GiB */
	size_t cap;
	/* the JSON form of long catalog strings (summaries and fixes), by
	 * pointer: they are written again for every line of a log */
	struct jcache {
		const char *key;
		char *json;
		size_t len;
	} *jc;
	size_t jc_cap, jc_n;
	/* runs of members whose values are all long-lived, by their values
	 * (see seg_write()): two runs, SEG_SLOTS slots each */
	struct jseg {
		const void *key[SEG_KEYS];
		size_t n_key;
		char *json;
		size_t len, cap;
	} seg[2][SEG_SLOTS];
	/* what the automaton finds in a relay's name, by the name: a log
	 * names the same few relays over and over (see analyze_item()) */
	struct hcache {
		unsigned char name[HOST_KEY];
		size_t len;
		size_t n_hits;
		struct {
			int id;
			uint16_t start, end;
		} hits[HOST_HITS];
	} hosts[HOST_SLOTS];
	/* the opening of an evidence object ({"rule":"reply:550"), by rule */
	struct jhead {
		const char *rule;
		char *json;
		size_t len;
	} head[SEG_SLOTS];
	/* the decisions of log lines, by what decides them (see
	 * decide_memo()): DMEMO_SLOTS of delivered lines (struct dkey), then
	 * FMEMO_SLOTS of the others (struct fkey), allocated at the first */
	struct dmemo *dm;
	/* the keys of other lines seen once, by their hash: only a key seen
	 * before takes a slot over (FMEMO_SEEN, allocated with dm) */
	uint32_t *fseen;
	/* which remembered decision each diagnosis of the analysis took
	 * (MAX_ITEMS, allocated with dm): its slot + 1 (0: none) and the
	 * slot's generation then, for the JSON of a whole decision */
	struct dmemo_use {
		uint32_t slot, gen;
		/* the strings analyze_item() copied (recipient, remote host,
		 * sender, queue id, time) and their lengths, so that the JSON
		 * of a remembered decision measures none of them again */
		const char *str[DUSE_STRS];
		uint32_t len[DUSE_STRS];
	} *dm_use;
	/* the input the last analysis read when every byte of it is plain
	 * (jw__plain_len()), else NULL: it then holds no CR nor LF, and no
	 * span of it needs a test of its own for escapes (memo_write()) */
	const char *plain_in;
	size_t plain_len;
	/* the provider of a recipient's domain, by the domain as written
	 * (see domain_provider()): its first and last eight bytes, and what
	 * lies between them; len 0: empty */
	struct domcache {
		uint64_t w0, w1;
		uint32_t len;
		int prov;
		unsigned char name[DOM_KEY - 16];
	} doms[DOM_SLOTS];
	/* codes_raw() of a delivered line's reply by its first sixteen
	 * bytes, and codes_enhanced_at() of its status field by its bytes
	 * (see dmemo_key()) */
	struct rawcodes {
		uint64_t w0, w1;
		uint32_t enh_len; /* 0: no codes */
		int reply, cls, subj, det;
	} raw[RAW_SLOTS];
	struct stcodes {
		uint64_t w;
		uint32_t n, l;
		int cls, subj, det;
	} st[RAW_SLOTS];
};

/* The item's fields that the scan and the decision read of a log line,
 * in both memo keys (filled by ikey_fill()), with the provider of the
 * recipient's domain. */
struct ikey {
	const char *outcome, *format, *status_rule;
	uint32_t outcome_len;        /* outcome_at: only where it is is read */
	int domain_prov, ocls, expired, event, stage, warn_only, plain, exit_status;
};

/* What decides a delivered log line whose reply starts with its codes
 * ("250 2.0.0 ..."): only these are read by scan_item() and decide_item()
 * for it, so two lines with the same key get the same diagnosis. Offsets
 * are relative to the span they lie in. Cleared whole before it is filled,
 * so that it compares with memcmp(). */
struct dkey {
	unsigned char host[HOST_KEY]; /* the relay's name, as written */
	size_t host_len;
	int reply, cls, subj, det;    /* codes_raw() of the text */
	size_t reply_at, reply_end, enh_at, enh_end;
	size_t st_len;                /* the status field (dsn=) and what it reads as */
	size_t st_l;
	int st_cls, st_subj, st_det;
	struct ikey it;
};

/* Where an evidence span of a remembered decision lies. The first
 * FK_SPANS are the spans whose bytes an fkey holds, in the order it
 * hashes them; the outcome's span is read only for where it lies. */
enum dregion { DREGION_TEXT, DREGION_EXTRA, DREGION_HOST, DREGION_ORIGIN, DREGION_SUBJECT,
	       DREGION_STATUS, DREGION_OUTCOME, DREGION_COUNT, FK_SPANS = DREGION_OUTCOME };

/* What decides any other line of a log (a failure, a deferral, a line
 * of no delivery): the bytes of every span scan_item() and decide_item()
 * read (kept in the slot, hashed here), the item's fields they read, the
 * provider of the recipient's domain and what the codes' reader sees of
 * the bytes before the text and the context (see fmemo_key()). Cleared
 * whole before it is filled, so that it compares with memcmp(). */
struct fkey {
	uint64_t hash;               /* of the bytes of the spans */
	uint32_t len[FK_SPANS];
	struct ikey it;
	const char *forced_reason;
	int qmail;
	int text_line, extra_line;   /* the text and the context start a line */
	int extra_blank;             /* the context's start follows a line's start and blanks */
	/* the spans that overlap (a relay's name inside the text): each
	 * span's group of overlapping spans, by its first (enum dregion), and
	 * where it starts from that one's start */
	uint8_t group[DREGION_COUNT];
	int32_t group_at[DREGION_COUNT];
};


struct dmemo {
	union {
		struct dkey key;     /* a delivered line's slot (the first DMEMO_SLOTS) */
		struct fkey fkey;    /* another line's, with its bytes: */
	} k;
	unsigned char *bytes;        /* the spans' one after another */
	size_t bytes_cap;
	int used;
	uint32_t gen; /* counts the decisions the slot has held */
	/* the JSON a diagnosis with this decision writes whatever its line
	 * (made by diagnosis_json() at the first line that takes it, NULL
	 * until then): the members from "event" to "provider_tag", those
	 * from "outcome" to the opening of "evidence", and each evidence
	 * object's opening; piece k ends at cut[k] */
	char *json;
	uint32_t cut[2 + DMEMO_EV];
	struct cat_diagnosis d; /* as decide_item() left it */
	size_t n_ev, n_entries;
	struct {
		const char *rule;
		uint32_t region; /* enum dregion */
		uint32_t start, end;
	} ev[DMEMO_EV];
	const char *entries[MAX_ENTRIES];
	/* the strings decide_item() made for the line (a note, an unknown
	 * code's rule, a bit-flag tag), kept in strs: each is copied into
	 * the analysis of a line that takes the decision, where the one it
	 * stands for points (enum downed: which, and idx of the entries or
	 * the evidence) */
	struct {
		uint8_t which, idx;
		uint32_t at;
	} own[DMEMO_OWN];
	size_t n_own;
	char *strs;
	size_t strs_cap;
};

/* ------------------------------------------------------------ input items */

/* A span of the input. */
struct span {
	size_t start, end;
};

/* What the structure of the input says about one recipient. */
struct item {
	struct span text;      /* diagnostic text: the reply or the NDR's words */
	struct span extra;     /* more context (the human part of a message) */
	struct span subject;   /* a Subject header */
	struct span recipient;
	struct span host;      /* its name is scanned for provider markers too */
	struct span origin;    /* what names the service that issued a notice
				  (an SES sourceArn): scanned like the host,
				  never shown as the remote host */
	struct span status;    /* an enhanced code from a structured field */
	const char *status_rule;
	const char *outcome;
	int ocls;              /* the class the outcome implies: 2, 4, 5, or 0 */
	int expired;           /* the MTA gave up on the message */
	struct span outcome_at;
	const char *format;    /* "log:postfix", "dsn", "message", ... */
	int qmail;             /* underscores stand for spaces */
	int group_text;        /* text is a whole DSN group: it had no Diagnostic-Code */
	const char *forced_reason; /* auto_reply, complaint */
	enum cat_event event;  /* what the item is; CAT_EVENT_NONE: a bounce, or
				  what its verdict says (see step_event()) */
	int plain;             /* a message with no sign of a bounce in its
				  structure: with no code nor known wording
				  either, an ordinary message */
	enum cat_stage stage;  /* the SMTP stage its reply answered */
	struct span sender;    /* from a log line; empty for "<>" */
	int has_sender;        /* a sender was logged (the null sender too) */
	struct span queue_id;
	struct span time;
	int exit_status;       /* the text starts with a local mailer's exit status
				  (Diagnostic-Code: X-Unix; N), not a reply code */
	int warn_only;         /* a refusal our policy only logged (Postfix
				  reject_warning): nothing was refused */
};

/* Whether an item's format is a log line's ("log:postfix"): byte by byte,
 * so that a shorter format stops at its NUL, and no call. */
static inline int
format_is_log(const char *f)
{
	return f && f[0] == 'l' && f[1] == 'o' && f[2] == 'g' && f[3] == ':';
}

static inline struct span
mkspan(const char *base, const char *s, const char *e)
{
	struct span sp = { (size_t)(s - base), (size_t)(e - base) };

	return sp;
}

static inline int
span_ok(struct span s)
{
	return s.end > s.start;
}

static inline size_t
span_len(struct span s)
{
	return s.end > s.start ? s.end - s.start : 0;
}

/* Exact search: the keys of mail logs (status=, to=<, relay=, dsn=) are
 * always written in lower case. The literals are short and the texts a
 * line long: memchr() for the literal's first punctuation byte (':' of
 * " said: ", '(' of "(in reply to"), which is rare in text, then a compare,
 * costs a fraction of memmem()'s set-up. */
static inline const char *
find_at(const char *s, const char *end, const char *lit, size_t n, size_t k)
{
	const char *p;

	if (s >= end || n == 0 || (size_t)(end - s) < n)
		return NULL;
	for (p = s + k; p < end && (p = memchr(p, lit[k], (size_t)(end - p))) != NULL; p++)
		if ((size_t)(end - (p - k)) >= n && memcmp(p - k, lit, n) == 0)
			return p - k;
	return NULL;
}

static inline const char *
find(const char *s, const char *end, const char *lit)
{
	size_t n = strlen(lit), k;

	for (k = 0; k < n && ((lit[k] >= 'a' && lit[k] <= 'z') || (lit[k] >= 'A' && lit[k] <= 'Z') ||
			      (lit[k] >= '0' && lit[k] <= '9') || lit[k] == ' ');
	     k++)
		;
	return find_at(s, end, lit, n, k == n ? 0 : k);
}

/* find() of a literal whose searched byte is lit[k], given where it runs
 * on every line: the choice of the byte costs as much as the search */
#define FIND_AT(s, end, lit, k) find_at((s), (end), (lit), sizeof(lit) - 1, (k))


/* ------------------------------------------------------------ messages */

struct msg {
	const char *base;
	struct item *items;
	size_t n_items;
	struct span subject;
	struct span human;   /* the first text part */
	int auto_reply;      /* headers say an autoresponder wrote it (X-Autoreply, ...) */
	int auto_submitted;  /* Auto-Submitted: auto-replied, which bounces carry too */
	int from_daemon;     /* From: a mailer-daemon or postmaster */
	int null_sender;     /* Return-Path: <> (RFC 5321 4.5.5: bounces use it) */
	int report;          /* a multipart/report, or returned headers */
	int feedback;        /* an ARF report, or a JMRP complaint */
	struct span failed;  /* X-Failed-Recipients */
	struct span from, to; /* the bounce's own From and To addresses */
	struct span orig_from; /* the From address of the returned message */
	struct span orig;    /* the returned message (its header block first), or empty */
	struct span report_text; /* the first text part of the ARF report being read */
	int in_report;       /* reading a report forwarded whole (message/rfc822) */
	int reported;        /* the reported message of the last report was read */
	int encoded;         /* a text or delivery-status part needs decoding */
	int convert;         /* and its charset converting to UTF-8 (the copy may grow) */
	struct span dsn_alt; /* a part of another type that holds DSN fields */
	struct span forwarded; /* an attached message that is a bounce */
	struct span html;    /* the body of the first text part when it is text/html */
};

/* ------------------------------------------------------------ scanning one item */

struct hit {
	int id;
	size_t start, end; /* in the normalized text */
};

struct codes {
	int reply;
	size_t reply_at, reply_end; /* input offsets */
	int cls, subj, det; /* enhanced; cls 0 when none */
	size_t enh_at, enh_end;     /* input offsets; (size_t)-1 when from a field */
	/* the remote's own reply quoted inside a wrapper (a relay's "554 5.7.0 <
	 * ... smtp;550 5.7.23 ...>"), normalized offsets; equal when there is none */
	size_t own_start, own_end;
};

struct scan {
	const struct cat_analyzer *a;
	unsigned char *norm; /* folded, continuation prefixes removed */
	uint32_t *map;       /* norm offset -> input offset (at most 2 GiB) */
	size_t len;
	size_t n_hits;
	size_t subject_from; /* norm offsets at or past this are the Subject */
	size_t host_from;    /* and from here to origin_from, the remote host */
	size_t origin_from;  /* and from here to subject_from, a notice's origin */
	size_t scan_off;     /* where the scan started (hits are relative to it) */
	size_t codes_end;    /* codes are read before this: the text and its context,
				never the relay's name or the Subject */
	int no_success;      /* the structure says it failed: a 2xx or 2.X.X in it is a
				decoy or a line of the transcript */
	int delivered;       /* the structure says it was delivered: its first codes are it */
	int exit_status;     /* the text starts with an exit status (item.exit_status) */
	int have_codes;      /* the codes were read from the raw text: */
	struct codes codes;  /* these, and the text was not normalized */
	/* the codes of the first "550-5.1.1 " continuation prefix removed, with
	 * input offsets: they, not numbers in the words, are the reply's */
	int cont_reply;
	size_t cont_reply_at;
	size_t cont_enh_at, cont_enh_end; /* equal when the prefix had none */
	struct hit hits[MAX_HITS]; /* last: cat_analyze() clears what comes before */
};
/* An analysis as the engine holds it: the public struct, then what only
 * the engine sees. cat_analyze() hands out &pub; analysis_of() finds the
 * whole again. */
struct analysis {
	struct cat_analysis pub;
	struct cat_arena *arena;             /* the strings and arrays of the diagnoses */
	const struct cat_analyzer *analyzer; /* the one that made it */
	struct an_scratch *scratch;
	size_t cap;                          /* of pub.d */
	/* remember no decision (decide_memo()): set by the tests only, to
	 * hold the remembered decisions to the ones made afresh */
	int no_memo;
};

static inline struct analysis *
analysis_of(struct cat_analysis *an)
{
	return (struct analysis *)(void *)((char *)an - offsetof(struct analysis, pub));
}

static inline const struct analysis *
analysis_of_const(const struct cat_analysis *an)
{
	return (const struct analysis *)(const void *)((const char *)an -
						       offsetof(struct analysis, pub));
}

struct dstate {
	const struct cat_analyzer *a;
	struct analysis *an;
	struct cat_diagnosis *d;
	size_t n_ev;
	size_t n_entries;
	int oom;
	/* the arrays last: cat_analyze() clears what comes before them */
	struct cat_span ev[MAX_EVIDENCE];
	const char *entries[MAX_ENTRIES];
	/* decide_memo(): the key of the item, when it may be remembered:
	 * memo_ok 1 by key (a delivered line), 2 by fkey (another) */
	int memo_ok;
	struct dkey key;
	struct fkey fkey;
	int memo_hit; /* the slot whose decision the item took, or -1 */
};

/* ------------------------------------------------------------ the stages */

/* analyze_rules.c */
/* An analyzer compiled from the catalog's database, whatever it holds:
 * what cat_analyzer_new() does unless the catalog is the built-in image
 * alone, and what tools/mkanalyzer writes out. */
enum cat_status
rules_build(struct catalog *cat, struct cat_analyzer **out, struct cat_error *err);
int
rules_find_reason(const struct cat_analyzer *a, const char *id);
/* The entries of provider `prov` with reply code `reply` (0: all of them)
 * are by_prov[*lo .. *hi). */
void
rules_prov_entries(const struct cat_analyzer *a, int prov, int reply, size_t *lo, size_t *hi);
int
rules_domain_provider(const struct cat_analyzer *a, const char *dom, size_t dlen);

/* analyze_logline.c: each fills `it` from one log line in [s, end) of the
 * input `base` and returns non-zero when the line is of its format. */
struct span
logline_address(const char *base, const char *s, const char *end);
void
logline_outcome(struct item *it, const char *base, const char *w, const char *end);
int
logline_postfix(const char *base, const char *s, const char *end, struct item *it);
int
logline_exim(const char *base, const char *s, const char *end, struct item *it);
int
logline_sendmail(const char *base, const char *s, const char *end, struct item *it);
int
logline_qmail(const char *base, const char *s, const char *end, struct item *it);
/* A line of a mail log with a head (a syslog, RFC 3339, Exim or multilog
 * time stamp), classified by the program that wrote it: a delivery attempt,
 * a local delivery, a refusal of a client by our server, or a line of no
 * delivery (event CAT_EVENT_NOT_DELIVERY, no text). Fills it, with the
 * time stamp, queue id, sender, stage where the line has them; 0 when the
 * line has no such head (it is left to the other readers). */
int
logline_classify(const char *base, const char *s, const char *end, struct item *it);
/* Whether [s, end) starts with the head of a log line. */
int
logline_is_log(const char *s, const char *end);
/* The fields of a Postfix smtp or lmtp line of a delivery made
 * ("status=sent"), read without an analysis (bounce scan's fast path). */
struct logline_sent {
	const char *time, *time_end;
	const char *qid, *qid_end;
	const char *rcpt, *rcpt_end;
	const char *host, *host_end; /* the head's host (logline_host()) */
};

/* 1 when [s, end) is such a line, with f filled; else 0. */
int
logline_sent(const char *s, const char *end, struct logline_sent *f);

/* A row of Exchange's message tracking log (CSV): 1 when [s, end) is one,
 * with it filled (a delivery event, or a row of no delivery). */
int
logline_exchange(const char *base, const char *s, const char *end, struct item *it);
/* A row of a message trace export (cat_columns_read()) as items: one (a
 * delivery event, a refusal by the service's own filtering, or a row of no
 * delivery), or with c->pairs one per recipient of its recipient column
 * (at most max, at least one). Returns how many were filled. */
size_t
logline_trace_row(const char *base, const char *s, const char *end, const struct cat_columns *c,
		  struct item *items, size_t max);
/* The host a log line's head names (syslog's and RFC 3339's; Exim's own
 * log and multilog name none): [*hs, *he) inside [s, end), else empty. */
void
logline_host(const char *s, const char *end, const char **hs, const char **he);
/* The SMTP stage the command words at w name ("RCPT TO", "end of data",
 * "pipelined MAIL FROM"), CAT_STAGE_NONE when none: the one table of stage
 * words, shared by the log lines and the words of a bounce. */
enum cat_stage
stage_at(const char *w, const char *end);

/* analyze_message.c */
void
message_dsn_group(const char *base, const char *s, const char *end, struct item *it);
int
message_has_dsn_fields(const char *s, const char *end);
int
message_looks_like(const char *s, const char *end);
void
message_parse(struct msg *m, const char *s, const char *end);
size_t
message_split_recipients(const char *base, const struct msg *m, struct item *items);
void
message_dsn_sections(const char *base, struct msg *m);
struct span
message_words_recipient(const char *base, const struct msg *m);

/* Leaves out of the item of a one-recipient message what the bounce
 * repeats of the message it returns: the sender's subject after the
 * bounce's own words in its Subject, and the line of its words that quotes
 * that subject (the item's words then are the text before that line and
 * the extra after it). */
void
message_drop_echo(const char *base, const struct msg *m, struct item *it);
/* The words of [sp) before they quote an earlier message ('>' lines,
 * Outlook's "-----Original Message-----" or its rule of underscores):
 * what an automatic reply says itself; sp when it quotes nothing. */
struct span
message_own_words(const char *base, struct span sp);
struct span
message_list_address(const char *base, struct span list);
struct span
message_line_address(const char *base, struct span sp);
struct span
message_text_host(const char *base, struct span sp);
/* The SMTP stage the words [sp) say the failing reply answered: Postfix's
 * "(in reply to RCPT TO command)", Exim's "SMTP error from remote mail
 * server after end of data:", the last command of Sendmail's transcript
 * before its failing "<<< 5xx"; CAT_STAGE_NONE when they say none. */
enum cat_stage
message_stage(const char *base, struct span sp);
/* The failed recipient of a pasted text that is no message and no log
 * line, never a Message-ID nor the sender; an empty span when it names none. */
struct span
message_text_recipient(const char *base, struct span sp);

/* analyze_notice.c: the items of an Amazon SES notification (as it is, or
 * in an Amazon SNS envelope) that starts at s, one per recipient; returns
 * their number, 0 when [s, end) is none. */
size_t
notice_ses(const char *base, const char *s, const char *end, struct item *items);

/* analyze_scan.c */
void
scan_item(struct scan *sc, struct an_scratch *x, const char *input, const struct item *it);

/* analyze_codes.c */
size_t
codes_enhanced_at(const unsigned char *t, size_t i, size_t len, int *cls, int *subj, int *det);
void
codes_read(const struct scan *sc, const char *input, struct codes *c);
int
codes_raw(const char *input, struct span t, struct codes *c);

/* analyze_decide.c */
void
decide_item(struct dstate *ds, const char *input, const struct item *it, struct scan *sc);
/* A log line decided as one before it with the same key (struct dkey for
 * a delivered line, struct fkey for any other): fills ds->d, its evidence
 * and entries as decide_item() would and returns 1; else 0, and
 * decide_memo_keep() after decide_item() remembers the decision when it
 * can be. */
int
decide_memo(struct dstate *ds, const char *input, const struct item *it);
void
decide_memo_keep(struct dstate *ds, const char *input, const struct item *it);

#endif
