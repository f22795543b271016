/* bounce/catalog.h: the public interface of the bounce catalog engine.
 *
 * The engine loads catalog XML files (validated against the RELAX NG schema)
 * into an in-memory SQLite database with a full-text index, and answers
 * lookups, lists and searches on it. It never prints, never exits, and never
 * touches a terminal: every error comes back as an enum cat_status plus a
 * message in a caller-owned struct cat_error.
 *
 * Typical use:
 *	struct catalog *cat = NULL;
 *	struct cat_error err;
 *	if (cat_open(&cat, &err) != CAT_OK) ...          (built-in catalog loaded)
 *	cat_load_file(cat, "overlay.xml", &err);          (optional, repeatable)
 *	cat_ready(cat, &err);                             (commit, index, check links)
 *	cat_lookup(cat, "550 5.7.26", &res, &err); ... cat_result_free(res);
 *	cat_close(cat);
 */
#ifndef BOUNCE_CATALOG_H
#define BOUNCE_CATALOG_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* Status codes: X(id, message). */
#define CAT_STATUS_LIST(X)                                                     \
	X(CAT_OK, "success")                                                   \
	X(CAT_NOTFOUND, "nothing found")                                       \
	X(CAT_ENOMEM, "out of memory")                                         \
	X(CAT_EIO, "cannot read file")                                         \
	X(CAT_EPARSE, "malformed XML")                                         \
	X(CAT_ESCHEMA, "catalog does not match the schema")                    \
	X(CAT_EDUP, "duplicate key")                                           \
	X(CAT_EREF, "reference to an unknown key")                             \
	X(CAT_ESQL, "database error")                                          \
	X(CAT_EUSAGE, "invalid argument")                                      \
	X(CAT_ESTATE, "catalog is not in the right state for this call")

enum cat_status {
#define CAT_STATUS_ENUM(id, msg) id,
	CAT_STATUS_LIST(CAT_STATUS_ENUM)
#undef CAT_STATUS_ENUM
};

/* The static message of a status code. */
const char *
cat_status_str(enum cat_status st);

/* Filled by any call that fails: "file:line: message" where a file and line
 * are known, otherwise just the message. Always NUL-terminated. */
struct cat_error {
	enum cat_status status;
	char msg[1024];
};

/* The kinds of item in the catalog. X(id, name). */
#define CAT_KIND_LIST(X)                                                       \
	X(CAT_KIND_CLASS, "class")                                             \
	X(CAT_KIND_SUBJECT, "subject")                                         \
	X(CAT_KIND_REPLY, "reply")                                             \
	X(CAT_KIND_ENHANCED, "enhanced")                                       \
	X(CAT_KIND_ENTRY, "provider-entry")                                    \
	X(CAT_KIND_PROVIDER, "provider")                                       \
	X(CAT_KIND_REASON, "reason")                                           \
	X(CAT_KIND_IMPACT, "impact")                                           \
	X(CAT_KIND_THRESHOLD, "threshold")                                     \
	X(CAT_KIND_PRACTICE, "practice")                                       \
	X(CAT_KIND_DECODED, "decoded-tag")

enum cat_kind {
#define CAT_KIND_ENUM(id, name) id,
	CAT_KIND_LIST(CAT_KIND_ENUM)
#undef CAT_KIND_ENUM
	CAT_KIND_COUNT
};

/* "class", "reply", ... for a kind; "" for an invalid value. */
const char *
cat_kind_name(enum cat_kind kind);

/* ------------------------------------------------------------ words
 *
 * The domain's vocabularies cross the API as these enums; their words exist
 * only where text or JSON is written. Each list is X(id, ...) and its first
 * member is "not known" (a NULL word: null in JSON, nothing on screen).
 */

/* The class of a code, X(id, digit, name, severity): `name` is the class
 * word of a diagnosis, `severity` the word an entry is shown with (its
 * hard/soft rating). */
#define CAT_CLASS_LIST(X)                                                      \
	X(CAT_CLASS_NONE, 0, NULL, NULL)                                       \
	X(CAT_CLASS_SUCCESS, 2, "success", "success")                          \
	X(CAT_CLASS_INTERMEDIATE, 3, "intermediate", "informational")          \
	X(CAT_CLASS_TRANSIENT, 4, "transient", "soft")                         \
	X(CAT_CLASS_PERMANENT, 5, "permanent", "hard")

enum cat_class {
#define CAT_CLASS_ENUM(id, digit, name, severity) id,
	CAT_CLASS_LIST(CAT_CLASS_ENUM)
#undef CAT_CLASS_ENUM
	CAT_CLASS_COUNT
};

/* The type of a reason or a diagnosis: what kind of failure it is. */
#define CAT_TYPE_LIST(X)                                                       \
	X(CAT_TYPE_NONE, NULL)                                                 \
	X(CAT_TYPE_HARD, "hard")                                               \
	X(CAT_TYPE_SOFT, "soft")                                               \
	X(CAT_TYPE_BLOCK, "block")                                             \
	X(CAT_TYPE_INFO, "info")                                               \
	X(CAT_TYPE_UNKNOWN, "unknown")

enum cat_type {
#define CAT_TYPE_ENUM(id, name) id,
	CAT_TYPE_LIST(CAT_TYPE_ENUM)
#undef CAT_TYPE_ENUM
	CAT_TYPE_COUNT
};

/* What to do about a bounce, X(id, name, exit): `exit` is the status of
 * `bounce explain --exit-action` (an action not known is reviewed). */
#define CAT_ACTION_LIST(X)                                                     \
	X(CAT_ACTION_UNSET, NULL, 14)                                          \
	X(CAT_ACTION_NONE, "none", 0)                                          \
	X(CAT_ACTION_SUPPRESS, "suppress", 10)                                 \
	X(CAT_ACTION_RETRY, "retry", 11)                                       \
	X(CAT_ACTION_RETRY_THEN_SUPPRESS, "retry-then-suppress", 15)           \
	X(CAT_ACTION_FIX_SENDER, "fix-sender", 12)                             \
	X(CAT_ACTION_FIX_MESSAGE, "fix-message", 13)                           \
	X(CAT_ACTION_CONTACT_RECIPIENT_ADMIN, "contact-recipient-admin", 16)   \
	X(CAT_ACTION_IGNORE, "ignore", 0)                                      \
	X(CAT_ACTION_REVIEW, "review", 14)

enum cat_action {
#define CAT_ACTION_ENUM(id, name, exit) id,
	CAT_ACTION_LIST(CAT_ACTION_ENUM)
#undef CAT_ACTION_ENUM
	CAT_ACTION_COUNT
};

/* Whose side a reason's problem is on: the group the browser files it under. */
#define CAT_GROUP_LIST(X)                                                      \
	X(CAT_GROUP_UNSET, NULL)                                               \
	X(CAT_GROUP_RECIPIENT, "recipient")                                    \
	X(CAT_GROUP_MESSAGE, "message")                                        \
	X(CAT_GROUP_SENDER, "sender")                                          \
	X(CAT_GROUP_REMOTE, "remote")                                          \
	X(CAT_GROUP_INFO, "info")                                              \
	X(CAT_GROUP_NONE, "none")

enum cat_group {
#define CAT_GROUP_ENUM(id, name) id,
	CAT_GROUP_LIST(CAT_GROUP_ENUM)
#undef CAT_GROUP_ENUM
	CAT_GROUP_COUNT
};

/* How sure the analyzer is of a diagnosis. */
#define CAT_CONFIDENCE_LIST(X)                                                 \
	X(CAT_CONFIDENCE_NONE, NULL)                                           \
	X(CAT_CONFIDENCE_LOW, "low")                                           \
	X(CAT_CONFIDENCE_MEDIUM, "medium")                                     \
	X(CAT_CONFIDENCE_HIGH, "high")

enum cat_confidence {
#define CAT_CONFIDENCE_ENUM(id, name) id,
	CAT_CONFIDENCE_LIST(CAT_CONFIDENCE_ENUM)
#undef CAT_CONFIDENCE_ENUM
	CAT_CONFIDENCE_COUNT
};

/* What one diagnosed item is, X(id, name). A log line is classified by what
 * it records; a message or a pasted reply by what it says it is. Only
 * bounce, delay, delivery and refusal concern a delivery that went wrong. */
#define CAT_EVENT_LIST(X)                                                      \
	X(CAT_EVENT_NONE, NULL)                                                \
	X(CAT_EVENT_BOUNCE, "bounce")             /* a non-delivery report or reply */ \
	X(CAT_EVENT_DELAY, "delay")               /* a warning: still being retried */ \
	X(CAT_EVENT_DELIVERY, "delivery")         /* an outbound attempt in a log */   \
	X(CAT_EVENT_REFUSAL, "refusal")           /* our server refused a client */    \
	X(CAT_EVENT_LOCAL, "local")               /* a local delivery in a log */      \
	X(CAT_EVENT_NOT_DELIVERY, "not_delivery") /* a log line of no delivery */      \
	X(CAT_EVENT_SUCCESS, "success")           /* a report of a delivery made */    \
	X(CAT_EVENT_AUTO_REPLY, "auto_reply")                                  \
	X(CAT_EVENT_COMPLAINT, "complaint")                                    \
	X(CAT_EVENT_CHALLENGE, "challenge")       /* challenge-response */             \
	X(CAT_EVENT_MESSAGE, "message")           /* an ordinary message */

enum cat_event {
#define CAT_EVENT_ENUM(id, name) id,
	CAT_EVENT_LIST(CAT_EVENT_ENUM)
#undef CAT_EVENT_ENUM
	CAT_EVENT_COUNT
};

/* The SMTP stage a reply answered, X(id, name), as logs and DSNs say it
 * ("in reply to RCPT TO command", "after end of data"). */
#define CAT_STAGE_LIST(X)                                                      \
	X(CAT_STAGE_NONE, NULL)                                                \
	X(CAT_STAGE_CONNECT, "connect")                                        \
	X(CAT_STAGE_HELO, "helo")                                              \
	X(CAT_STAGE_STARTTLS, "starttls")                                      \
	X(CAT_STAGE_AUTH, "auth")                                              \
	X(CAT_STAGE_MAIL, "mail")                                              \
	X(CAT_STAGE_RCPT, "rcpt")                                              \
	X(CAT_STAGE_DATA, "data")                                              \
	X(CAT_STAGE_END_OF_DATA, "end_of_data")

enum cat_stage {
#define CAT_STAGE_ENUM(id, name) id,
	CAT_STAGE_LIST(CAT_STAGE_ENUM)
#undef CAT_STAGE_ENUM
	CAT_STAGE_COUNT
};

/* The words of each vocabulary: static strings, NULL for the first member
 * and for a value out of range. */
const char *
cat_class_name(enum cat_class c);
const char *
cat_class_severity(enum cat_class c);
const char *
cat_type_name(enum cat_type t);
const char *
cat_action_name(enum cat_action a);
const char *
cat_confidence_name(enum cat_confidence c);
const char *
cat_group_name(enum cat_group g);
const char *
cat_event_name(enum cat_event e);
const char *
cat_stage_name(enum cat_stage s);

/* The class digit (2..5) of a class, 0 for none; and the class of a digit
 * (CAT_CLASS_NONE for anything but 2..5). */
int
cat_class_digit(enum cat_class c);
enum cat_class
cat_class_of_digit(int digit);

/* The exit status of an action for `bounce explain --exit-action`. */
int
cat_action_exit(enum cat_action a);

/* A word back to its value: the first member (NONE/UNSET) when `name` is
 * NULL or not a word of the list. Comparison is exact. */
enum cat_type
cat_type_of_name(const char *name);
enum cat_action
cat_action_of_name(const char *name);
enum cat_group
cat_group_of_name(const char *name);
enum cat_event
cat_event_of_name(const char *name);

/* What a note of an entry is, X(id): the engine says what a note is, and
 * cat_note_label() writes its label ("As 4.1.1", "Also (RFC 4954)",
 * "digit 1"), the one text the front end and the JSON show. */
#define CAT_NOTE_LIST(X)                                                       \
	X(CAT_NOTE_AS_CLASS)   /* an enhanced code `param` (X.1.1) in class `num` */ \
	X(CAT_NOTE_ALSO)       /* another use of the code, defined in `param` */ \
	X(CAT_NOTE_ALIASES)    /* a provider's other names */                  \
	X(CAT_NOTE_DOMAINS)    /* its mail domains */                          \
	X(CAT_NOTE_MARKERS)    /* what its bounces are recognised by */        \
	X(CAT_NOTE_TAG_FAMILY) /* its tags that begin with `param` */          \
	X(CAT_NOTE_FLAG)       /* digit `num` of a decoded tag */              \
	X(CAT_NOTE_PRINTED)    /* a source prints the codes as `num` `param` */

enum cat_note_kind {
#define CAT_NOTE_ENUM(id) id,
	CAT_NOTE_LIST(CAT_NOTE_ENUM)
#undef CAT_NOTE_ENUM
	CAT_NOTE_COUNT
};

/* A paragraph about an entry: what it is (kind, with its number or text
 * parameter where the kind has one) and its text. */
struct cat_note {
	enum cat_note_kind kind;
	int num;           /* class digit, flag digit; 0 if none */
	const char *param; /* code, RFC, tag prefix; NULL if none */
	const char *body;
};

/* Writes the label of a note into buf (at most size bytes, NUL-terminated)
 * and returns buf. */
const char *
cat_note_label(const struct cat_note *n, char *buf, size_t size);

/* What the extra paragraph of an entry is, X(id, label): its label is the
 * word the front end and the JSON show above it. */
#define CAT_EXTRA_LIST(X)                                                      \
	X(CAT_EXTRA_NONE, NULL)                                                \
	X(CAT_EXTRA_ENHANCED_CLASS, "Enhanced class") /* the class's enhanced title */ \
	X(CAT_EXTRA_TRANSIENT, "If transient (4xx)") /* a reason after a 4xx */ \
	X(CAT_EXTRA_EXAMPLES, "Examples")             /* of an impact */         \
	X(CAT_EXTRA_NAMES, "Names")                   /* a provider's aliases and domains */

enum cat_extra {
#define CAT_EXTRA_ENUM(id, label) id,
	CAT_EXTRA_LIST(CAT_EXTRA_ENUM)
#undef CAT_EXTRA_ENUM
	CAT_EXTRA_COUNT
};

/* The label of an extra paragraph; NULL for CAT_EXTRA_NONE and out of range. */
const char *
cat_extra_label(enum cat_extra x);

/* Where a provider entry comes from. Fields may be NULL except title. */
struct cat_source {
	const char *title;
	const char *href;
	const char *as_of;
	const char *license;
};

/* A link to a related entry, resolved: key, its display code and title. */
struct cat_link {
	const char *key;
	const char *code;
	const char *title;
	const char *why;      /* NULL, or why the entries are related */
	const char *provider; /* NULL for generic entries */
	enum cat_kind kind;
};

/* One catalog item as a caller sees it. Every string is borrowed from the
 * result that holds the entry and is valid until that result is freed; a
 * field the item does not have is NULL (integers: 0). The arrays (notes,
 * sources, links, texts) are filled only by cat_get(); list, lookup and
 * search results carry the scalar fields. */
struct cat_entry {
	int64_t id; /* row id; 0 for a decoded tag */
	enum cat_kind kind;
	const char *key;   /* "550", "X.1.1", "gmail.no_such_user", ... */
	const char *code;  /* as shown: "550", "5.1.1", "550 5.7.26", "TSS04" */
	const char *title; /* never NULL */
	const char *status; /* standard, non-standard, documented, observed, ... */
	const char *rfc;
	const char *provider;      /* provider id */
	const char *provider_name; /* "Gmail / Google Workspace" */
	const char *tag;
	int reply;     /* basic reply code, 0 if none */
	int cls;       /* class digit in the context of the query, 0 if none */
	int subject;   /* enhanced subject, -1 if none */
	int detail_lo; /* enhanced detail (range low), -1 if none */
	int detail_hi; /* enhanced detail (range high), -1 if none */
	/* the class the entry is rated as: cat_class_severity() is its word
	 * (success, informational, soft, hard). The class of `cls`, except for a
	 * class row, which the catalog rates itself; NONE when cls is 0. */
	enum cat_class severity;
	const char *reason; /* reason id */
	const char *reason_title;
	enum cat_type reason_type;
	enum cat_group reason_group;
	const char *action; /* what to do, in words (the reason's advice) */
	/* what to do, as the analyzer says it of a diagnosis: the reason's
	 * action, its transient one for a code of class 4 */
	enum cat_action action_id;
	enum cat_action action_transient; /* the reason's action for class 4 */
	const char *impact; /* impact id */
	const char *impact_title;
	const char *impact_level;
	const char *likely; /* key of the code a non-standard code likely means */
	const char *assoc;  /* registry-associated reply codes */
	int differs;        /* provider gives a registered code another meaning */
	const char *registry_key;   /* generic enhanced key, for provider entries */
	const char *registry_title; /* its registry title */
	const char *meaning;
	const char *class_meaning; /* what the code means in class `cls` */
	const char *causes;
	const char *fix;
	enum cat_extra extra_kind; /* what `extra` is: cat_extra_label() */
	const char *extra;
	const char *metric; /* thresholds */
	const char *limit;
	const char *postmaster_href; /* providers */
	const char *postmaster;
	/* who removes a listing or block (providers and provider entries):
	 * delist_by is the catalog's word for who (sender, ip-owner,
	 * network-owner, receiver, expires), delist says how in words and
	 * delist_href is the page to do it; all NULL when not given */
	const char *delist_by;
	const char *delist;
	const char *delist_href;
	const char *origin; /* the catalog file the entry came from */
	int line;           /* its line there */
	size_t n_texts;     /* literal texts the server sends */
	const char *const *texts;
	size_t n_notes;
	const struct cat_note *notes;
	size_t n_sources;
	const struct cat_source *sources;
	size_t n_links;
	const struct cat_link *links;
};

/* How a result entry matched a lookup. */
enum cat_match {
	CAT_MATCH_GENERIC,  /* registry or RFC meaning (reply, enhanced, class...) */
	CAT_MATCH_PROVIDER, /* a provider-specific entry */
	CAT_MATCH_OTHER,    /* search hit, list item, related item */
};

/* A list of entries. Owned by the caller; free with cat_result_free(). */
struct cat_result {
	size_t n;
	struct cat_entry *entries;
	enum cat_match *match; /* n elements */
	size_t truncated;      /* how many more matched than are listed */
	/* cat_lookup(): the words of the query that are no code, key, tag or
	 * provider name ("yahooo"); owned by the result */
	const char **unknown;
	size_t n_unknown;
	struct cat_arena *arena;
};

struct catalog;

/* Opens a new catalog with the built-in XML loaded (not yet ready: add
 * overlays with cat_load_file(), then call cat_ready()). On success *out is
 * an owned handle, free it with cat_close(). */
enum cat_status
cat_open(struct catalog **out, struct cat_error *err);

/* Like cat_open() but without the built-in catalog: for tests and for
 * generated catalogs. */
enum cat_status
cat_open_empty(struct catalog **out, struct cat_error *err);

/* Loads one catalog file on top of what is loaded: entries with a key that is
 * already present replace the earlier ones. The file is validated against the
 * schema; a file with any error is refused whole and nothing of it remains.
 * Errors: CAT_EIO, CAT_EPARSE, CAT_ESCHEMA, CAT_EDUP, CAT_EREF, CAT_ENOMEM. */
enum cat_status
cat_load_file(struct catalog *cat, const char *path, struct cat_error *err);

/* As cat_load_file() for a buffer; `name` is used in messages and origins. */
enum cat_status
cat_load_buffer(struct catalog *cat, const char *name, const char *buf, size_t len,
		struct cat_error *err);

/* Loads every *.xml file of a directory in name order; a missing directory
 * is not an error. Stops at the first failing file. */
enum cat_status
cat_load_dir(struct catalog *cat, const char *dir, struct cat_error *err);

/* Called by cat_load_dir_skipping() for each file it refuses: err is that
 * file's error ("FILE:LINE: ..."), valid during the call. */
typedef void (*cat_skip_fn)(void *ctx, const struct cat_error *err);

/* Like cat_load_dir(), for directories found rather than named (installed
 * and per-user overlays): a file with an error is refused whole (nothing
 * of it remains), reported to skipped(ctx, its error), and the other files
 * load; a directory that cannot be read is reported the same way. Returns
 * CAT_OK, or CAT_ENOMEM or CAT_ESQL, which stop it. */
enum cat_status
cat_load_dir_skipping(struct catalog *cat, const char *dir, cat_skip_fn skipped, void *ctx,
		      struct cat_error *err);

/* Commits the loads and builds the full-text index. After it, no more files
 * can be loaded and queries may run. */
enum cat_status
cat_ready(struct catalog *cat, struct cat_error *err);

/* ------------------------------------------------------------ the index cache
 *
 * Loading a large overlay (parsing, validating, inserting, indexing) takes
 * seconds; opening the index it produced takes milliseconds. A catalog may
 * keep the whole loaded index in a file of a cache directory and open that
 * file instead of its catalog files when they have not changed. */

/* What became of the cache, X(id, word). */
#define CAT_CACHE_LIST(X)                                                      \
	X(CAT_CACHE_OFF, "off")           /* cat_cache_use() was not called */ \
	X(CAT_CACHE_PENDING, "pending")   /* called; cat_ready() not yet */     \
	X(CAT_CACHE_NONE, "not needed")   /* nothing loaded but the built-in */ \
	X(CAT_CACHE_READ, "read")         /* the index came from the cache */   \
	X(CAT_CACHE_WRITTEN, "written")   /* files were loaded and the cache written */ \
	X(CAT_CACHE_NOT_WRITTEN, "not written") /* files were loaded; no cache made */

enum cat_cache_state {
#define CAT_CACHE_ENUM(id, word) id,
	CAT_CACHE_LIST(CAT_CACHE_ENUM)
#undef CAT_CACHE_ENUM
	CAT_CACHE_COUNT
};

/* The word of a cache state ("read", "not written"); NULL out of range. */
const char *
cat_cache_state_name(enum cat_cache_state s);

/* Makes the catalog use a cache file in directory `dir` (made, mode 0700,
 * with its missing parents, when a cache is written). Call it after
 * cat_open() and before the first file is loaded; `build` names the
 * program's version. From then on cat_load_file() and cat_load_dir*() check
 * each file (a missing file, a directory, a device are errors at once, as
 * without a cache) and note it; cat_ready() then opens the cache file made
 * from the same inputs, or loads the noted files in order (reporting and
 * skipping files as the call that noted them says) and writes the cache
 * file. The inputs are `build`, the SQLite library, the program file, the
 * built-in index, and each noted file's path as given, device, inode, size,
 * modification and change times, in order; a cache file made from other
 * inputs, cut short, damaged or not the user's own is ignored and replaced.
 * A file is written (temporary file, then rename(), mode 0600) only when
 * every noted file loaded unchanged, and never for the built-in catalog
 * alone. Failing to read or write the cache is never an error: see
 * cat_cache_info(). cat_load_buffer() while files are noted loads them
 * first, and the catalog then uses no cache. Errors: CAT_EUSAGE,
 * CAT_ESTATE (a file was loaded already), CAT_ENOMEM. */
enum cat_status
cat_cache_use(struct catalog *cat, const char *dir, const char *build, struct cat_error *err);

/* What became of the cache. *path (may be NULL) is the cache file, or NULL
 * when none was looked for; *why (may be NULL) says, for CAT_CACHE_WRITTEN,
 * why the file that was there was not used ("none yet", "made from other
 * inputs", ...) and for CAT_CACHE_NOT_WRITTEN why none was written, else
 * NULL. Borrowed, valid until cat_close(). */
enum cat_cache_state
cat_cache_info(const struct catalog *cat, const char **path, const char **why);

/* Frees everything. Accepts NULL. */
void
cat_close(struct catalog *cat);

/* Number of loaded catalog files and their names, in load order (borrowed,
 * valid until cat_close()). */
size_t
cat_origin_count(const struct catalog *cat);
const char *
cat_origin(const struct catalog *cat, size_t i);

/* Exact lookup of what a person types: "550", "5.1.1", "X.1.1", "5.7.620",
 * "550 5.7.26", "TSS04", "[CS01]", "BL000101", "gmail 5.7.30", a provider
 * name or alias, any entry key. A tag that no entry carries but a provider's
 * markers name ("S3150") finds that provider's entries that mention it, or
 * the provider. Generic entries come first, then provider entries.
 * CAT_NOTFOUND (with an empty result) when nothing matches; the words read
 * as nothing are in res->unknown either way. */
enum cat_status
cat_lookup(struct catalog *cat, const char *query, struct cat_result **out,
	   struct cat_error *err);

/* Full-text search: every word must match, as a prefix. When every word of
 * the query is one cat_lookup() reads (codes, keys, tags, a provider), what
 * the lookup finds comes first; then registry codes (reply and enhanced),
 * then provider entries, then the other kinds, each ranked by bm25.
 * At most `limit` entries (0: a default of 50); `truncated` counts the rest.
 * CAT_NOTFOUND when nothing matches; CAT_EUSAGE for a query with no word. */
enum cat_status
cat_search(struct catalog *cat, const char *text, size_t limit, struct cat_result **out,
	   struct cat_error *err);

/* The row ids (struct cat_entry.id) of every entry that cat_search() would
 * find for `text`, in ascending order, at most `limit` (0: no limit): only the
 * full-text index is read, so this is what an interface that marks hits in
 * long lists calls at each keystroke. *ids is owned, free it with cat_free();
 * *n is the number of ids. CAT_NOTFOUND when nothing matches (with *n = 0),
 * CAT_EUSAGE for a query with no word. */
enum cat_status
cat_search_ids(struct catalog *cat, const char *text, size_t limit, int64_t **ids, size_t *n,
	       struct cat_error *err);

/* Filters for cat_list(); zero/NULL fields do not filter. */
struct cat_filter {
	int kind_set; /* filter on kind when non-zero */
	enum cat_kind kind;
	int cls;              /* class digit 2..5 */
	int subject;          /* enhanced subject 0..7; set subject_set */
	int subject_set;
	const char *provider; /* provider id or alias */
	const char *reason;   /* reason id */
	const char *impact;   /* impact id */
	size_t limit;         /* at most this many entries (0: all)... */
	size_t offset;        /* ...after skipping this many: a page of a long list */
};

/* Entries matching every filter, in catalog order (class, subject, code),
 * or the page of them that limit and offset choose. CAT_NOTFOUND when
 * nothing matches (or the page is past the end); CAT_EUSAGE for an unknown provider,
 * reason or impact. */
enum cat_status
cat_list(struct catalog *cat, const struct cat_filter *filter, struct cat_result **out,
	 struct cat_error *err);

/* One entry in full (texts, notes, sources, related links), by key, seen in
 * class `cls` (0: its own class). The result holds exactly one entry. A
 * decoded tag such as "BL000101" is accepted as a key. */
enum cat_status
cat_get(struct catalog *cat, const char *key, int cls, struct cat_result **out,
	struct cat_error *err);

/* Resolves a provider id or alias (case-insensitive) to its id; NULL if
 * unknown. Borrowed, valid until cat_close(). */
const char *
cat_provider_id(struct catalog *cat, const char *name_or_alias);

/* Frees a result. Accepts NULL. */
void
cat_result_free(struct cat_result *res);

/* Every name a provider is known by (ids, names and aliases, as in
 * cat_provider_id()), sorted without regard to case. On success *names is
 * owned: free it with cat_free() (one block; the strings are inside). */
enum cat_status
cat_provider_names(struct catalog *cat, char ***names, size_t *n, struct cat_error *err);

/* The entries of `res` as one JSON document, produced by SQLite's JSON
 * functions: {"query": ..., "count": n, "truncated": t, "results": [...]}
 * with every entry in full. *out is owned; free it with cat_free(). */
enum cat_status
cat_result_json(struct catalog *cat, const struct cat_result *res, const char *query,
		char **out, struct cat_error *err);

/* Frees memory returned by the engine (JSON text). Accepts NULL. */
void
cat_free(void *p);

/* Writes the whole index to a SQLite database file, atomically: a temporary
 * file beside it (FILE.tmpXXXXXX, written without a journal), then rename().
 * A path that exists and is not a regular file (a device, a FIFO, a
 * directory) is refused with CAT_EIO; a symbolic link is followed to the
 * file it names, which is replaced (the link stays), and a link to nothing
 * is refused. Same as cat_export_db_tmp(cat, path, NULL, err). */
enum cat_status
cat_export_db(struct catalog *cat, const char *path, struct cat_error *err);

/* The temporary file of an export in progress, in memory the caller owns,
 * so that a signal handler can remove it: while `active` is 1, `name` is a
 * file the export created and has not yet renamed (unlink(2) is
 * async-signal-safe). The export sets and clears it, with SIGINT, SIGTERM,
 * SIGHUP and SIGQUIT blocked in the calling thread for those few
 * instructions (a signal between creating the file and setting `active`
 * would leave it). */
struct cat_export_tmp {
	volatile sig_atomic_t active;
	char name[4096 + 16];
};

/* cat_export_db() that records its temporary file in *tmp (may be NULL). */
enum cat_status
cat_export_db_tmp(struct catalog *cat, const char *path, struct cat_export_tmp *tmp,
		  struct cat_error *err);

/* Counts of loaded items per kind, for --version and tests. */
enum cat_status
cat_count(struct catalog *cat, enum cat_kind kind, size_t *out, struct cat_error *err);

/* Decodes one UTF-8 code point at s (at most n bytes): returns its length
 * (1..4) and sets *cp, or returns 0 for an invalid, overlong, surrogate or
 * truncated sequence. The engine and the front end read UTF-8 alike. */
size_t
cat_utf8_decode(const char *s, size_t n, unsigned *cp);

/* Whether code point cp is one that is invisible or changes how a terminal
 * shows the text around it (zero-width characters, bidi embeddings,
 * overrides, isolates and marks, line and paragraph separators, the BOM,
 * the soft hyphen, interlinear annotation, tag characters). The one list:
 * every JSON output escapes these as \u, the terminal sanitizer shows them
 * as <U+XXXX>. Controls (C0, DEL, C1) are not in it: both treat them on
 * their own. */
int
cat_cp_invisible(unsigned cp);

/* ------------------------------------------------------------ the analyzer
 *
 * Reads a bounce as a person pastes it (a reply line, a multi-line reply,
 * DSN fields, a mail log line, a provider's NDR text, a whole bounce
 * message) and says what happened and what to do. Everything it knows comes
 * from the catalog: provider markers and tags, the literal texts of provider
 * entries, phrase packs per language, the reasons and their actions.
 */

struct cat_analyzer;

/* A rule that matched a span of the input: `rule` names the catalog rule
 * ("reply:550", "enhanced:X.1.1", "phrase:en.user_unknown",
 * "marker:gmail", "entry:gmail.no_such_user", "tag:TSS04", "log:postfix",
 * "dsn:status", ...); start and end are byte offsets into the input. */
struct cat_span {
	const char *rule;
	size_t start;
	size_t end;
};

/* One diagnosis. Strings are borrowed from the cat_analysis that holds it;
 * a field the input does not tell is NULL (integers 0, enhanced "", enums
 * their first member). The words of cls, type, action and confidence are
 * cat_class_name(), cat_type_name(), cat_action_name(), cat_confidence_name(). */
struct cat_diagnosis {
	int reply;              /* basic reply code, 0 if none */
	char enhanced[16];      /* "5.1.1", "" if none */
	int enhanced_inferred;  /* inferred (from text or a provider entry), not read */
	enum cat_class cls;     /* success, transient, permanent; CAT_CLASS_NONE when the
				   class is not known or is 3 (intermediate) */
	const char *reason;     /* reason id; "unknown" when nothing matched */
	enum cat_type type;     /* the reason's type (soft when transient, info on success) */
	enum cat_action action; /* what to do; CAT_ACTION_REVIEW when the reason names none */
	enum cat_confidence confidence;
	const char *provider;   /* provider id */
	const char *provider_tag; /* TSS04, BL000001, CS01, S3150, ... */
	const char *recipient;
	const char *remote_host;
	const char *outcome;    /* what the MTA did, from a log or DSN: bounced, deferred,
				   sent, expired, failed, delayed, delivered, relayed, expanded;
				   rejected (our server refused a client) */
	enum cat_event event;   /* what the item is: a bounce, a log line's kind ... */
	enum cat_stage stage;   /* the SMTP stage the reply answered, when said */
	const char *sender;     /* from a log line: the envelope sender ("" for <>) */
	const char *queue_id;   /* from a log line: the MTA's id of the message */
	const char *time;       /* from a log line: its time stamp, as written */
	size_t n_entries;       /* keys of the catalog entries that matched, best first */
	const char *const *entries;
	const char *summary;    /* one paragraph: what happened */
	const char *fix;        /* what to do */
	const char *note;       /* where the number and the text disagree, and who won */
	size_t n_evidence;
	const struct cat_span *evidence;
};

/* The diagnoses of one input: at least one (an input with nothing in it
 * gives one diagnosis with reason "unknown"). Free with cat_analysis_free(). */
struct cat_analysis {
	size_t n;
	struct cat_diagnosis *d;
	/* the text the evidence offsets index: the input itself, or, when
	 * `decoded`, a copy of the message with its base64-encoded text parts
	 * decoded, or its HTML text part as text (it lives as long as this
	 * analysis) */
	const char *text;
	size_t text_len;
	int decoded;
	int per_line;   /* the input was a block of log lines: diagnosis i is
			   of its i-th line that is not blank */
	size_t skipped; /* lines of such a block past the most diagnoses one
			   input gets (1024): not diagnosed */
};

/* Builds an analyzer from a ready catalog (its rules are compiled once).
 * The catalog must outlive the analyzer. */
enum cat_status
cat_analyzer_new(struct catalog *cat, struct cat_analyzer **out, struct cat_error *err);

/* Accepts NULL. */
void
cat_analyzer_free(struct cat_analyzer *a);

/* Analyzes one input of `len` bytes (it need not be NUL-terminated; it may
 * hold NUL bytes, invalid UTF-8 and control characters). A whole bounce
 * message gives one diagnosis per failed recipient. Inputs longer than the
 * analyzer's limit are refused with CAT_EUSAGE.
 * *out must be NULL, or an analysis made by an earlier call with the same
 * analyzer: it is then reused (its memory kept, its contents replaced), which
 * is how a batch avoids allocating per line. An analyzer is not safe to use
 * from two threads at once. */
enum cat_status
cat_analyze(const struct cat_analyzer *a, const char *text, size_t len, struct cat_analysis **out,
	    struct cat_error *err);

/* Moves the diagnoses of `from` (with the memory their strings are in)
 * into *to, which must be NULL (a holder is made) or a holder made before
 * with the same analyzer; *to's old diagnoses go, and `from` is left with
 * none, its caches kept for its next cat_analyze(). A holder is light (no
 * caches): a reader that analyzes in one thread and counts in another keeps
 * one per input in flight. It can be read and handed to cat_scan_add(), but
 * cat_diagnosis_json() refuses it (CAT_EUSAGE); cat_analyze() into it gives
 * it caches again. Returns CAT_OK, CAT_EUSAGE or CAT_ENOMEM. */
enum cat_status
cat_analysis_move(struct cat_analysis *from, struct cat_analysis **to, struct cat_error *err);

/* The default limit is 1 MiB; 0 restores it; at most 2 GiB (a larger
 * limit is taken as 2 GiB). */
void
cat_analyzer_set_max_input(struct cat_analyzer *a, size_t max);

/* Accepts NULL. */
void
cat_analysis_free(struct cat_analysis *an);

/* Appends diagnosis `i` of `an` as one line of JSON (no newline) to a
 * malloc'd buffer *buf of length *len (grown as needed): the fields input
 * (`input_no`, or null when 0), event, reply_code, enhanced_code,
 * enhanced_inferred, class, reason, type, action, confidence, provider,
 * provider_tag, recipient, remote_host, sender, queue_id, time, outcome,
 * stage, entries, summary, fix, note, decoded, evidence [{rule, start, end,
 * text}]; absent values are null. The
 * evidence text is taken from `input` (from the decoded copy when the
 * analysis is `decoded`; its offsets then index that copy). Returns CAT_OK
 * or CAT_ENOMEM. */
enum cat_status
cat_diagnosis_json(const struct cat_analysis *an, size_t i, const char *input, size_t input_len,
		   unsigned long input_no, char **buf, size_t *len, size_t *cap);

/* Where a whole message came from (bounce explain --messages): the file it
 * was read from (NULL: standard input) and its number in an mbox (from 1;
 * 0 when the file is one message). */
struct cat_origin {
	const char *file;
	unsigned long message;
};

/* cat_diagnosis_json() for a message read from a file: "input" is null and
 * "file" and "message" follow it (message null for a file of one message). */
enum cat_status
cat_diagnosis_json_from(const struct cat_analysis *an, size_t i, const char *input,
			size_t input_len, const struct cat_origin *from, char **buf, size_t *len,
			size_t *cap);

/* A CSV export whose header row names its columns, in any order: Microsoft
 * 365's message trace (Get-MessageTrace, Get-MessageTraceV2 and
 * Get-MessageTraceDetail piped to Export-Csv, the admin center's
 * downloads, historical search reports). X(id, role): what a column is
 * to the analyzer; which header names mean which role is the analyzer's. */
#define CAT_COLUMN_LIST(X)                                                     \
	X(CAT_COLUMN_TIME, "time")                                             \
	X(CAT_COLUMN_SENDER, "sender")                                         \
	X(CAT_COLUMN_RECIPIENT, "recipient")                                   \
	X(CAT_COLUMN_STATUS, "status")       /* Delivered, Failed, Pending ... */ \
	X(CAT_COLUMN_EVENT, "event")         /* a detail row's SEND, FAIL ... */ \
	X(CAT_COLUMN_DETAIL, "detail")       /* the server's reply, when given */ \
	X(CAT_COLUMN_ID, "id")               /* the message's id in the trace */  \
	X(CAT_COLUMN_HOST, "host")

enum cat_column {
#define CAT_COLUMN_ENUM(id, role) id,
	CAT_COLUMN_LIST(CAT_COLUMN_ENUM)
#undef CAT_COLUMN_ENUM
	CAT_COLUMN_COUNT
};

struct cat_columns {
	int at[CAT_COLUMN_COUNT]; /* each role's column, from 0; -1 when absent */
	size_t n;                 /* columns the header names */
	int pairs;                /* the recipient column holds "address##status"
				     pairs, one per recipient (an enhanced summary
				     report's recipient_status): a row is a
				     diagnosis per recipient */
};

/* Whether the line [line, line + len) is the header row of such an export
 * (it names a recipient column and a status or event column, or a column
 * of recipients with their status): 1 with *out filled, else 0. */
int
cat_columns_read(const char *line, size_t len, struct cat_columns *out);

/* Where the row of such an export that starts at text ends: the offset of
 * the line break after it, one that is not inside a quoted field (RFC
 * 4180: a quoted field may hold line breaks, as a server's reply of
 * several lines does); len when [text, text + len) holds no such break
 * (the row goes on past it, or ends the input). */
size_t
cat_columns_row_end(const char *text, size_t len);

/* cat_analyze() of one row of such an export, read by the columns of its
 * header: one diagnosis (a row of no delivery is one of event
 * not_delivery), or with cols->pairs one per recipient named. */
enum cat_status
cat_analyze_row(const struct cat_analyzer *a, const struct cat_columns *cols, const char *row,
		size_t len, struct cat_analysis **out, struct cat_error *err);

/* ------------------------------------------------------------ the scan
 *
 * A scan turns the diagnoses of a mail log's lines and of bounce messages
 * into a troubleshooting report: what was sent, deferred, bounced and
 * expired; hard, soft and block rates overall, per provider, per recipient
 * domain and per reason, each beside the catalog's threshold for it; a
 * time series; the top codes; and "fix first", the sender-side causes
 * ranked by the mail they cost.
 *
 * Each diagnosis is one event, keyed by (host, queue id, recipient): a
 * recipient deferred three times and then delivered counts once as sent,
 * with three deferrals (soft events); bounced and expired are final.
 * Refusals by our own server (outcome "rejected") are counted apart and
 * never as our bounces; lines of no delivery are counted and ignored.
 * Recipients still deferred are kept in a bounded table; when it is full
 * the oldest is evicted (counted as still deferred) and the evictions are
 * counted. Thresholds are data: the <threshold> elements of the catalog
 * with a machine-readable `rate` and `percent`.
 *
 * Typical use:
 *	cat_scan_new(cat, analyzer, NULL, &scan, &err);
 *	for each input: cat_analyze(analyzer, line, len, &an, &err);
 *		for each i < an->n: cat_scan_add(scan, an, i, &from, &ev, &err);
 *	cat_scan_report(scan, &report, &err);  (read it, or cat_scan_report_json())
 *	cat_scan_free(scan);
 * A scan is not safe to use from two threads at once.
 */

struct cat_scan;

/* What one diagnosis was to the scan, X(id, name). */
#define CAT_SCAN_KIND_LIST(X)                                                  \
	X(CAT_SCAN_IGNORED, "ignored")     /* no delivery: a connect, qmgr ... */ \
	X(CAT_SCAN_SENT, "sent")           /* a recipient delivered: final */      \
	X(CAT_SCAN_DEFERRED, "deferred")   /* a soft event: still being retried */ \
	X(CAT_SCAN_BOUNCED, "bounced")     /* a recipient refused: final */        \
	X(CAT_SCAN_EXPIRED, "expired")     /* the MTA gave up retrying: final */   \
	X(CAT_SCAN_REFUSAL, "refusal")     /* our server refused a client */       \
	X(CAT_SCAN_COMPLAINT, "complaint") /* a feedback report */                 \
	X(CAT_SCAN_OTHER, "other")         /* local delivery, auto-reply, a message */

enum cat_scan_kind {
#define CAT_SCAN_KIND_ENUM(id, name) id,
	CAT_SCAN_KIND_LIST(CAT_SCAN_KIND_ENUM)
#undef CAT_SCAN_KIND_ENUM
	CAT_SCAN_KIND_COUNT
};

/* The rates of a report, X(id, name): the share of the recipients
 * attempted that ended in a failure of that type (hard, soft, block; soft
 * counts the recipients still deferred at the end as well), in any failure
 * (bounce: hard + soft + block), or that complained. */
#define CAT_SCAN_RATE_LIST(X)                                                  \
	X(CAT_SCAN_RATE_HARD, "hard")                                          \
	X(CAT_SCAN_RATE_SOFT, "soft")                                          \
	X(CAT_SCAN_RATE_BLOCK, "block")                                        \
	X(CAT_SCAN_RATE_BOUNCE, "bounce")                                      \
	X(CAT_SCAN_RATE_COMPLAINT, "complaint")

enum cat_scan_rate_kind {
#define CAT_SCAN_RATE_ENUM(id, name) id,
	CAT_SCAN_RATE_LIST(CAT_SCAN_RATE_ENUM)
#undef CAT_SCAN_RATE_ENUM
	CAT_SCAN_RATE_COUNT
};

/* The words: static strings, NULL out of range; and back (-1 when unknown). */
const char *
cat_scan_kind_name(enum cat_scan_kind k);
const char *
cat_scan_rate_name(enum cat_scan_rate_kind r);
int
cat_scan_rate_of_name(const char *name);

/* Options of a scan; a NULL pointer or a zero field takes the default. */
struct cat_scan_opts {
	size_t max_open;   /* recipients kept while deferred (100,000) */
	int year;          /* the year of syslog time stamps, which have none
			      (a later stamp that goes back months moves to the
			      next year); 0: 1970 */
	size_t top;        /* rows of the code, domain and fix-first lists (10) */
	long bucket;       /* seconds per point of the time series; 0: an hour,
			      or a day when the times span more than 7 days */
};

/* Where the diagnosis handed to cat_scan_add() came from. `text` is the
 * input it was analyzed from (a log line, a message): the scan reads the
 * log line's host from it and quotes the server's reply as a sample. */
struct cat_scan_from {
	const char *file;      /* NULL: standard input */
	unsigned long line;    /* its line in the file (1-based); 0 for a message */
	unsigned long message; /* its number in an mbox (from 1); 0 */
	const char *text;
	size_t len;
};

/* One event as the scan counted it, for a caller that keeps its own
 * records (suppression, history). Strings are borrowed: valid until the
 * next call on the scan; a field not known is NULL ("" for host). */
struct cat_scan_event {
	enum cat_scan_kind kind;
	int final;            /* sent, bounced or expired: the recipient's end */
	unsigned deferrals;   /* with a final event: the recipient's deferrals
				 counted before it */
	unsigned closed;      /* with a final event: the recipients it ended (a
				 line without a recipient, such as Postfix's qmgr
				 "status=expired", ends every recipient of its queue
				 id still deferred; 0 when none was; when it
				 ended exactly one, recipient, domain and
				 provider are that recipient's) */
	const char *host;     /* the log line's host; "" when the line has none */
	const char *queue_id;
	const char *recipient; /* lower case */
	const char *domain;    /* the recipient's domain, lower case */
	const char *provider;  /* the provider of that domain (catalog <domain>s),
				  else the one the diagnosis names */
	long long when;        /* seconds since 1970 (UTC as written), 0: unknown */
	enum cat_type type;    /* of a final failure: its reason's (an expiry takes
				  the reason and type of the error before it) */
	enum cat_action action;
	enum cat_group group;  /* whose side the reason is on */
	const char *reason;
	const char *entry;     /* the catalog entry that matched best; NULL */
	const struct cat_diagnosis *d; /* NULL for a line counted from its fields
					  (cat_scan_sent_line()) */
	unsigned domain_id;    /* a line counted from its fields: a number for its
				  domain, the same for every event of the scan
				  with that domain (and so that provider), from 1
				  up to the domains the report has rows for; 0
				  for other events and domains past those rows */
};

/* Counts of a row or of a point of a time series. A recipient counts once,
 * by its last event: attempted = sent + bounced + expired + deferred. */
struct cat_scan_counts {
	unsigned long long attempted;
	unsigned long long sent;
	unsigned long long deferred;  /* still deferred at the end (or evicted) */
	unsigned long long bounced;
	unsigned long long expired;
	unsigned long long delayed;   /* sent after one deferral or more */
	unsigned long long deferrals; /* deferral events: soft events */
	unsigned long long hard, soft, block; /* the failures (bounced, expired,
						  deferred) by their type */
	unsigned long long complaints;
};

/* A rate of a row beside its threshold. */
struct cat_scan_rate {
	enum cat_scan_rate_kind rate;
	const char *reason;    /* NULL, or the only reason it counts (a threshold
				  "unknown users per provider" counts user_unknown) */
	unsigned long long count;
	double percent;        /* of attempted; < 0: no basis (nothing attempted) */
	double limit;          /* the threshold, in percent; < 0: none in the catalog */
	const char *threshold; /* the threshold's key ("threshold:hard_bounce_rate"); NULL */
	int over;              /* percent >= limit: flagged */
};

/* A row of a table: the whole scan, a provider, a recipient domain or a
 * reason. The rates are the CAT_SCAN_RATE_COUNT rates in enum order, then
 * one per catalog threshold that counts a single reason. */
struct cat_scan_row {
	const char *name;  /* provider id, domain, reason id; NULL for the total and
			      for the row of what the others leave */
	const char *title; /* the provider's name, the reason's title, the domain's
			      provider (id); NULL */
	struct cat_scan_counts c;
	size_t n_rates;
	const struct cat_scan_rate *rates;
	int over;          /* a rate is flagged */
	const struct cat_scan_counts *series; /* the total and providers: one per
						 point (n_points); NULL for others */
};

/* A code as servers sent it, with what the catalog says of it: the top
 * codes, and the fix-first causes. */
struct cat_scan_code {
	const char *provider;      /* the provider the diagnosis names, else the
				      recipient's; NULL */
	const char *provider_name; /* "Gmail / Google Workspace"; NULL */
	int reply;                 /* 0 if none */
	char enhanced[16];         /* "" if none */
	const char *reason;
	const char *reason_title;
	enum cat_type type;
	enum cat_group group;
	enum cat_action action;
	const char *entry;   /* the catalog entry's key; NULL */
	const char *summary; /* what it means (the diagnosis's summary) */
	const char *fix;     /* what to do */
	const char *sample;  /* the server's words, as first seen (at most 200 bytes) */
	unsigned long long events;   /* diagnoses */
	unsigned long long messages; /* recipients it cost: failed or delayed */
	unsigned long long failed;   /* of which failed for good */
	long long first, last;       /* times of the first and last event; 0 */
	int sender_side;             /* the reason is the sender's (group sender
					or message): a cause to fix first */
};

/* What was read and what was set aside. */
struct cat_scan_stats {
	unsigned long long items;      /* diagnoses handed to cat_scan_add() */
	unsigned long long kinds[CAT_SCAN_KIND_COUNT];
	unsigned long long no_time;    /* events without a time stamp it could read */
	unsigned long long evicted;    /* deferred recipients dropped from the table */
	unsigned long long open;       /* deferred recipients in it at the end */
	unsigned long long other_domains; /* domains beyond the table, counted in its
					     last row */
};

/* The report. Owned by the scan: valid until the next cat_scan_add(),
 * cat_scan_report() or cat_scan_free(). Lists are sorted by the failures
 * they hold, most first (then by name). */
struct cat_scan_report {
	struct cat_scan_stats stats;
	struct cat_scan_row total;
	size_t n_providers;
	const struct cat_scan_row *providers; /* the last row (name NULL): no provider */
	size_t n_domains;
	const struct cat_scan_row *domains;   /* the top ones; with more, the last row
						 (name NULL) holds the rest */
	size_t n_reasons;
	const struct cat_scan_row *reasons;   /* failures and deferrals by reason */
	size_t n_refusals;
	const struct cat_scan_row *refusals;  /* our server's refusals by reason: only
						 c.attempted counts them */
	long long first, last;                /* the times seen; 0 when none */
	long long start;                      /* the first point's start */
	long bucket;                          /* seconds per point */
	size_t n_points;
	size_t n_codes;
	const struct cat_scan_code *codes;    /* top codes, by events */
	size_t n_fix_first;
	const struct cat_scan_code *const *fix_first; /* sender-side, by messages */
};

/* Starts a scan over diagnoses made by `a`, which must outlive it; `cat`
 * (the catalog `a` was built from) gives the thresholds and the names of
 * providers and reasons. `opts` may be NULL. Errors: CAT_ENOMEM,
 * CAT_ESQL, CAT_EUSAGE. */
enum cat_status
cat_scan_new(struct catalog *cat, const struct cat_analyzer *a, const struct cat_scan_opts *opts,
	     struct cat_scan **out, struct cat_error *err);

/* Accepts NULL. */
void
cat_scan_free(struct cat_scan *s);

/* Counts diagnosis i of an analysis; `from` says where it came from (may
 * be NULL), `ev` (may be NULL) receives the event as counted. Returns
 * CAT_OK, CAT_EUSAGE (i out of range) or CAT_ENOMEM (nothing counted). */
enum cat_status
cat_scan_add(struct cat_scan *s, const struct cat_analysis *an, size_t i,
	     const struct cat_scan_from *from, struct cat_scan_event *ev, struct cat_error *err);

/* Counts a log line of a delivery made (a Postfix smtp or lmtp
 * "status=sent" line) from its fields alone, without an analysis: most
 * lines of a log are these. Returns 1 when the line was one and was
 * counted, with *ev filled (ev may be NULL; ev->d is NULL), 0 when it is
 * not one (analyze it and hand its diagnoses to cat_scan_add()), -1 when
 * out of memory. `from` gives the line's file and number (may be NULL). */
int
cat_scan_sent_line(struct cat_scan *s, const char *line, size_t len,
		   const struct cat_scan_from *from, struct cat_scan_event *ev);

/* cat_scan_sent_line() in two steps, so that a reader may find the lines
 * in one thread and count them in another: the fields of such a line,
 * pointers into it (not NUL-terminated). */
struct cat_scan_sent {
	const char *time, *host, *queue_id, *recipient;
	size_t time_len, host_len, queue_id_len, recipient_len;
	/* set by cat_scan_sent_key(), else NULL: the line's key in the
	 * table of recipients (host NUL queue id NUL recipient in lower case
	 * NUL, key_len bytes before the last NUL), its hash, and where its
	 * domain starts (0: none) and that domain's hash */
	const char *key;
	size_t key_len, domain_at;
	unsigned key_hash, domain_hash;
};

/* 1 when the line is a delivery made that cat_scan_sent_line() would
 * count, with *f filled; else 0. Reads the line alone: safe in any thread. */
int
cat_scan_sent_read(const char *line, size_t len, struct cat_scan_sent *f);

/* The bytes cat_scan_sent_key() writes for f. */
size_t
cat_scan_sent_key_size(const struct cat_scan_sent *f);

/* Makes in dst (cat_scan_sent_key_size(f) bytes) the key that
 * cat_scan_sent_add() counts f by, and notes it in f: work taken off the
 * thread that counts. Reads only what cat_scan_new() set in s: safe in
 * any thread while another counts. dst must stay until f is counted. */
void
cat_scan_sent_key(const struct cat_scan *s, struct cat_scan_sent *f, char *dst);

/* Counts a line cat_scan_sent_read() filled f from (the line must still be
 * there) as cat_scan_sent_line() does: 1, or -1 when out of memory. */
int
cat_scan_sent_add(struct cat_scan *s, const struct cat_scan_sent *f, const struct cat_scan_from *from,
		  struct cat_scan_event *ev);

/* Counts n deliveries made to recipients that were never deferred, for a
 * caller that kept their counts and not their lines (the saved last scan):
 * as cat_scan_sent_add() or cat_scan_add() counts each such delivery. The
 * recipients are of `domain` (lower case; NULL: none was named), counted
 * under the domain's provider, else under `provider` (the one a diagnosis
 * named; may be NULL). n - 1 are counted at `first` and one at `last`
 * (seconds since 1970 as cat_scan_event.when gives them; both 0: no
 * time), which must fall in one point of the series (the same hour, or
 * the same `bucket` when that is shorter). With n 0 nothing is counted but
 * the rows are made: which domains the table keeps depends on the order
 * they first come in. Returns 0, or -1 when out of memory. */
int
cat_scan_sent_count(struct cat_scan *s, const char *domain, const char *provider, long long first,
		    long long last, unsigned long long n);

/* Counts n lines of no delivery that were not handed to the scan (a
 * caller that kept only their count, as the saved last scan does), as
 * ignored; `first` and `last` are the earliest and latest of their times
 * (0: none), which the report's span takes in as it does an ignored
 * line's. */
void
cat_scan_add_ignored(struct cat_scan *s, unsigned long long n, long long first, long long last);

/* Builds the report of everything added so far (it may be called again
 * after more events: --follow). *out is owned by the scan. */
enum cat_status
cat_scan_report(struct cat_scan *s, const struct cat_scan_report **out, struct cat_error *err);

/* The report as NDJSON (bounce(1), SCAN JSON), appended to the malloc'd
 * buffer *buf of length *len and capacity *cap: one object per line, each
 * with a "record" member saying what it is (scan, total, provider, domain,
 * reason, refusal, point, code, fix). Returns CAT_OK or CAT_ENOMEM. */
enum cat_status
cat_scan_report_json(const struct cat_scan_report *r, char **buf, size_t *len, size_t *cap);

/* Appends one line of JSON (with its newline) that sums the report up, for
 * a reader following a live log: {"record":"summary","version":1, "at"
 * (`now`, seconds since 1970 UTC), first, last, items, refusal, the total's
 * counts, rates and over, "top": the first fix-first code (record "fix"),
 * else the top code (record "code"), with a code record's members, or
 * null}. Returns CAT_OK or CAT_ENOMEM. */
enum cat_status
cat_scan_summary_json(const struct cat_scan_report *r, long long now, char **buf, size_t *len,
		      size_t *cap);

/* The provider whose mail domain (a <domain> of the catalog) is `domain`
 * or a parent of it (any case); NULL when none. Borrowed, valid as long as
 * the analyzer. */
const char *
cat_analyzer_domain_provider(const struct cat_analyzer *a, const char *domain);

/* The class an MTA's outcome word (struct cat_diagnosis.outcome) implies:
 * CAT_CLASS_PERMANENT when the MTA gave up (bounced, expired, failed,
 * rejected), CAT_CLASS_TRANSIENT while it still tries (deferred, delayed),
 * CAT_CLASS_SUCCESS for a delivery made (sent, delivered, relayed,
 * expanded); CAT_CLASS_NONE for NULL or a word that implies none. */
enum cat_class
cat_outcome_class(const char *outcome);

/* ------------------------------------------------------------ scan state
 *
 * The history of recipients across runs of `bounce scan`, in a SQLite
 * database of its own (a file, or a temporary database), and the rules that
 * say which addresses to stop mailing. An event is one diagnosis of one
 * recipient, keyed by the logging host, queue id, recipient, time and
 * outcome, so recording the same log twice adds nothing. A run is one
 * transaction: a process killed during a run leaves the database as it was
 * before the run began.
 */

struct cat_state;

/* What an event is for the suppression rules, X(id, name). An event's rule
 * is decided when it is recorded, from the diagnosis and its reason's type
 * and action in the catalog; a recipient's verdict is decided from its
 * events (see cat_state_verdict). */
#define CAT_RULE_LIST(X)                                                       \
	X(CAT_RULE_NONE, NULL)             /* nothing recorded */                 \
	X(CAT_RULE_HARD, "hard")           /* a permanent address failure: at once */ \
	X(CAT_RULE_COMPLAINT, "complaint") /* a feedback report: at once */        \
	X(CAT_RULE_SOFT, "soft")           /* a send given up on, for a reason the \
					      catalog suppresses after repeats */ \
	X(CAT_RULE_DELIVERED, "delivered") /* a delivery: failures before it lapse */ \
	X(CAT_RULE_BLOCK, "block")         /* a block-type reason: never */        \
	X(CAT_RULE_REFUSAL, "refusal")     /* our server refused a client: never */ \
	X(CAT_RULE_DEFERRED, "deferred")   /* a send still being retried */       \
	X(CAT_RULE_OTHER, "other")         /* a failure the rules leave alone */

enum cat_rule {
#define CAT_RULE_ENUM(id, name) id,
	CAT_RULE_LIST(CAT_RULE_ENUM)
#undef CAT_RULE_ENUM
	CAT_RULE_COUNT
};

/* The word of a rule; NULL for CAT_RULE_NONE and out of range. */
const char *
cat_rule_name(enum cat_rule r);

/* How cat_state_open() opens its file. */
enum cat_state_mode {
	CAT_STATE_CREATE, /* read and write; a missing or empty file is made a state */
	CAT_STATE_READ,   /* read only; the file must exist and be a state */
};

/* The schema version this engine writes; a database of a newer version is
 * refused. */
#define CAT_STATE_VERSION 1

/* Opens the state database at `path`, or a temporary one (kept by SQLite in
 * memory and spilled to a temporary file when it grows) when path is NULL.
 * `cat` (borrowed; it must outlive the state) is the ready catalog whose
 * reasons decide the rule of each event; it may be NULL for a state that
 * only answers cat_state_why(), lists or merges. On success *out is owned:
 * free it with cat_state_close().
 * Errors: CAT_EIO (a path that is not a regular file, a missing file in
 * CAT_STATE_READ mode, a file that is not a bounce state database, or a
 * state of a newer version: the message says which), CAT_ESQL, CAT_ENOMEM. */
enum cat_status
cat_state_open(struct cat_state **out, const char *path, enum cat_state_mode mode,
	       struct catalog *cat, struct cat_error *err);

/* Rolls back a run not committed, then frees everything. Accepts NULL. */
void
cat_state_close(struct cat_state *st);

/* Starts a run: one transaction that cat_state_commit() ends. `now` (seconds
 * since the epoch) is the run's time: it dates events whose input has no time
 * stamp, and gives the year to syslog time stamps, which have none (the
 * latest year that does not put the stamp more than a day after `now`).
 * Errors: CAT_ESTATE (a run is open, a read-only state or no catalog),
 * CAT_ESQL (the database is busy or cannot be written). */
enum cat_status
cat_state_begin(struct cat_state *st, int64_t now, struct cat_error *err);

/* Records diagnosis `d` in the open run. `input` (len bytes, may be NULL) is
 * the text the diagnosis came from, one log line or one message: the host
 * of the event is the one a log line's head names ("" when none), and when
 * the diagnosis has no queue id (a bounce or feedback message) a digest of
 * the text stands for it, so that the same message read twice is one event. A diagnosis with no
 * recipient, or that records no delivery (a connection, an auto-reply, an
 * ordinary message), is not recorded. *rule (may be NULL) is set to the
 * event's rule, CAT_RULE_NONE when it was not recorded.
 * Errors: CAT_ESTATE (no run open), CAT_ESQL, CAT_ENOMEM. */
enum cat_status
cat_state_add(struct cat_state *st, const struct cat_diagnosis *d, const char *input, size_t len,
	      enum cat_rule *rule, struct cat_error *err);

/* Records an event of a scan (cat_scan_add(), cat_scan_sent_line()) read
 * from `input` (the log line or the message): its diagnosis as
 * cat_state_add() does, or, for a delivery the scan counted from the line's
 * fields (ev->d NULL), the delivery read from the line. Other events without
 * a diagnosis record nothing. Errors: as cat_state_add(). */
enum cat_status
cat_state_add_event(struct cat_state *st, const struct cat_scan_event *ev, const char *input,
		    size_t len, enum cat_rule *rule, struct cat_error *err);

/* What the open run (or the last one committed) did: diagnoses offered to
 * cat_state_add(), events recorded, and those ignored because the state
 * already held them. */
struct cat_state_counts {
	uint64_t offered;
	uint64_t recorded;
	uint64_t known;
};

void
cat_state_counts(const struct cat_state *st, struct cat_state_counts *out);

/* Commits the open run. Errors: CAT_ESTATE (no run open), CAT_ESQL. */
enum cat_status
cat_state_commit(struct cat_state *st, struct cat_error *err);

/* Adds every event of the state database at `path` that this one does not
 * hold, as one run started at `now` (a merge is idempotent: merging the same
 * file twice adds nothing the second time); cat_state_counts() then says
 * how many it offered and recorded. The file is checked as cat_state_open()
 * checks one. Errors: as cat_state_open(), and CAT_ESTATE (a run is open or
 * the state is read-only). */
enum cat_status
cat_state_merge(struct cat_state *st, const char *path, int64_t now, struct cat_error *err);

/* Where one recipient stands. */
struct cat_state_verdict {
	int suppressed;      /* 1: stop mailing the address */
	enum cat_rule rule;  /* the rule that decides: complaint, hard or soft
				when suppressed; when kept, soft (fewer sends
				than the limit), delivered (a delivery after
				the failures), block, refusal, deferred, other,
				or none (no failure recorded) */
	unsigned soft_sends; /* distinct sends given up on since the last delivery */
	unsigned soft_limit; /* the limit it was judged by */
	unsigned hard;       /* hard events since the last delivery */
	unsigned complaints;
	unsigned lapsed;     /* hard and soft events before the last delivery */
	unsigned blocks, refusals, deferrals, others;
	int has_delivery;
	int64_t last_delivery; /* seconds since the epoch, when has_delivery */
};

/* One recorded event of a recipient. Strings are borrowed from the
 * cat_state_why that holds them; a field the diagnosis did not have is NULL
 * (reply 0). */
struct cat_state_event {
	const char *host;     /* the host that logged it; "" when not known */
	const char *queue_id; /* the MTA's queue id, or "msg:" and a digest */
	const char *time;     /* as written in the input; "" when none */
	int64_t at;           /* seconds since the epoch: the order of events */
	const char *outcome;  /* "" when none */
	enum cat_rule rule;
	int counts;           /* 1: the verdict counts this event */
	const char *reason;
	enum cat_type type;
	enum cat_action action;
	enum cat_event event;
	int reply;
	const char *enhanced;
	int64_t run;          /* the run that recorded it */
};

/* What cat_state_why() returns: owned, free with cat_state_why_free(). */
struct cat_state_why {
	const char *recipient; /* the address as the state keys it (lower case) */
	struct cat_state_verdict verdict;
	size_t n;
	struct cat_state_event *events; /* in time order */
	struct cat_arena *arena;
};

/* Every event of `address` and the verdict on it with `soft_limit` (0: the
 * default, 3). An address with no event gives n = 0 and rule none.
 * Errors: CAT_EUSAGE (no address), CAT_ESQL, CAT_ENOMEM. */
enum cat_status
cat_state_why(struct cat_state *st, const char *address, unsigned soft_limit,
	      struct cat_state_why **out, struct cat_error *err);

/* Accepts NULL. */
void
cat_state_why_free(struct cat_state_why *w);

/* `w` as one line of JSON (bounce(1), SCAN STATE), appended to the malloc'd
 * buffer *buf of length *len and capacity *cap: recipient, suppressed,
 * rule, the verdict's counts, last_delivery, and events [{at, time, host,
 * queue_id, outcome, rule, counts, event, reply_code, enhanced_code, reason,
 * type, action, run}]; times in UTC as "2026-12-05T05:00:01Z", absent
 * values null. Returns CAT_OK or CAT_ENOMEM. */
enum cat_status
cat_state_why_json(const struct cat_state_why *w, char **buf, size_t *len, size_t *cap);

/* The addresses to stop mailing with `soft_limit` (0: 3), sorted (bytewise),
 * each once. *addrs is owned, one block with the strings inside: free it with
 * cat_free(). Errors: CAT_ESQL, CAT_ENOMEM. */
enum cat_status
cat_state_suppressed(struct cat_state *st, unsigned soft_limit, char ***addrs, size_t *n,
		     struct cat_error *err);

/* Counts of what the state holds: runs committed, events, recipients. */
struct cat_state_totals {
	uint64_t runs, events, recipients;
};

enum cat_status
cat_state_totals(struct cat_state *st, struct cat_state_totals *out, struct cat_error *err);

#define CAT_STATE_SOFT_LIMIT 3

#endif
