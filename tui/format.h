/* format.h: entries and diagnoses as labelled fields, drawn by both the CLI and the browser. */
#ifndef BOUNCE_TUI_FORMAT_H
#define BOUNCE_TUI_FORMAT_H

#include <stddef.h>

#include "bounce/catalog.h"

/* How an entry rates for the sender, X(id, word): the word is the badge the
 * browser shows. */
#define FMT_RATING_LIST(X)                                                     \
	X(FMT_RATING_NONE, NULL)                                               \
	X(FMT_RATING_HARD, "HARD")                                             \
	X(FMT_RATING_SOFT, "SOFT")                                             \
	X(FMT_RATING_BLOCK, "BLOCK")                                           \
	X(FMT_RATING_SUCCESS, "OK")                                            \
	X(FMT_RATING_INFO, "INFO")

enum fmt_rating {
#define FMT_RATING_ENUM(id, word) id,
	FMT_RATING_LIST(FMT_RATING_ENUM)
#undef FMT_RATING_ENUM
};

/* The one rule that rates a code, for entries and diagnoses alike (the
 * analyzer's step_words() decides a diagnosis's type the same way): a
 * success is OK, an intermediate reply INFO, a transient failure SOFT
 * (INFO for an informational reason); otherwise the reason's type decides
 * (a full mailbox is SOFT though refused for good, a refusal of the sender
 * BLOCK), and a permanent failure with no reason type is HARD. cls is the
 * class digit, 0 for none. */
enum fmt_rating
fmt_rating_of(int cls, enum cat_type reason_type);

/* The rating of an entry: fmt_rating_of() its class and reason type. */
enum fmt_rating
fmt_entry_rating(const struct cat_entry *e);

/* The rating of a diagnosis: its type (the analyzer applied the rule). */
enum fmt_rating
fmt_diagnosis_rating(const struct cat_diagnosis *d);

/* What a rating means, for the "Severity" field ("SOFT: ..."), given the
 * class digit (0: none) and the reason's action after that class (whose
 * side a block is to be fixed on); NULL for none. Static text. */
const char *
fmt_severity_text(enum fmt_rating r, int cls, enum cat_action act);

/* The badge word of a rating ("HARD"), or NULL for none. */
const char *
fmt_rating_word(enum fmt_rating r);

/* The words of a reply class digit ("permanent failure" for 5), or NULL. */
const char *
fmt_class_words(int cls);

/* Where the command line and the detail pane said an entry differently
 * when each had a renderer of its own. Issue 8 changed no output, so each
 * difference is kept as a named option until one wording is chosen. */
enum fmt_style {
	/* the Registry field before the "As 5.1.1" field and in the pane's
	 * sentence, "(the registry meaning; this provider uses the code
	 * differently)"; without it after, and "This provider gives the code
	 * another meaning." */
	FMT_REGISTRY_FIRST = 1 << 1,
	/* the Reason field as the reason's title, without its id */
	FMT_REASON_TITLE_ONLY = 1 << 2,
	/* a Related field of keys (the pane lists links to them instead) */
	FMT_RELATED_KEYS = 1 << 3,
	/* a From field for an entry of the built-in catalog too */
	FMT_FROM_BUILTIN = 1 << 4,
	/* diagnoses: one Evidence field per span, the quote and the rule made
	 * safe together; without it, every span in one field, the quotes made
	 * safe on their own (and a span that ends past the input, or begins
	 * after its end, quoted as the CLI did) */
	FMT_EVIDENCE_EACH = 1 << 6,
	/* diagnoses: an Entries field of keys (the pane lists links to them) */
	FMT_ENTRIES_KEYS = 1 << 7,
};

#define FMT_CLI (FMT_RELATED_KEYS | FMT_ENTRIES_KEYS)
#define FMT_PANE                                                                               \
	(FMT_REGISTRY_FIRST | FMT_REASON_TITLE_ONLY | FMT_FROM_BUILTIN | FMT_EVIDENCE_EACH)

/* One labelled field: "Meaning  The mailbox does not exist". */
struct fmt_field {
	char *label; /* owned; NULL: the field continues the one above */
	char *body;  /* owned, never empty; catalog text, not yet sanitized */
};

/* The fields of an entry, in order. */
struct fmt_fields {
	struct fmt_field *v;
	size_t n, cap;
};

/* The heading of an entry: "gmail  550 5.7.26  Unauthenticated ...".
 * badge points into badge_buf: use the struct where it was filled. */
struct fmt_heading {
	int provider_line;    /* a provider entry or decoded tag: the provider comes first */
	const char *provider; /* may be NULL all the same */
	const char *code;
	const char *title;
	const char *badge;    /* capitals, NULL for none */
	enum fmt_rating rating;
	enum cat_class severity; /* the class whose colour the badge takes (CLI) */
	char badge_buf[24];
};

/* Fills h for entry e in style `style` (enum fmt_style bits). Borrows from
 * e. */
void
fmt_entry_heading(const struct cat_entry *e, unsigned style, struct fmt_heading *h);

/* Appends the fields of entry e, below its heading, in style `style`.
 * Returns 0, or -1 when out of memory (what was added stays). */
int
fmt_entry_fields(const struct cat_entry *e, unsigned style, struct fmt_fields *out);

/* What the CLI and the browser say of an analysis that read a decoded copy
 * of the message (cat_analysis.decoded). */
#define FMT_DECODED_NOTE                                                                 \
	"the message with its base64, quoted-printable, encoded-word or HTML parts "      \
	"decoded; the evidence quotes the decoded text"

/* The type of a diagnosis in capitals ("HARD"; "UNKNOWN" when none). */
void
fmt_type_word(const struct cat_diagnosis *d, char *out, size_t size);

/* The heading of a diagnosis after its type word: "user_unknown  gmail
 * [TSS04]   confidence high", written into out (cut to size). */
void
fmt_diagnosis_heading(const struct cat_diagnosis *d, char *out, size_t size);

struct tbuf;

/* Appends what the "Codes" field says of a diagnosis ("550 (reply), 5.1.1
 * (enhanced), permanent; the MTA says bounced"); nothing when it has no
 * code, class or outcome. */
void
fmt_codes_text(const struct cat_diagnosis *d, struct tbuf *c);

/* Appends the fields of diagnosis i of an, below its heading, in style
 * `style`: Codes, Action, Recipient, Host, What, Do, Note, Read, Evidence
 * (quoting `input`, or the decoded copy when the analysis read one) and
 * Entries (with FMT_ENTRIES_KEYS). Returns 0, or -1 when out of memory. */
int
fmt_diagnosis_fields(const struct cat_analysis *an, size_t i, const char *input,
		     size_t input_len, unsigned style, struct fmt_fields *out);

/* Frees the fields (accepts an empty set) and empties it. */
void
fmt_fields_free(struct fmt_fields *f);

#endif
