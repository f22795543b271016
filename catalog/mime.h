/* mime.h: the MIME reader of the analyzer: headers, types, boundaries, the part tree, the decoded copy.
 *
 * Everything the analyzer knows about MIME syntax is in mime.c, one set of
 * primitives (where a header block ends, a field's value, a content type and
 * its parameters, a boundary line, a transfer encoding), used by two walks:
 *
 *  mime_walk()          the part tree, for the message stage
 *                       (analyze_message.c): each part with its header
 *                       block, type and body, as offsets into the input,
 *                       to find the delivery-status part, the first text
 *                       part, an ARF report;
 *  mime_decode_parts()  the copy of a message with its base64 and
 *                       quoted-printable text parts and its encoded-word
 *                       Subject decoded, which the analyzer reads instead
 *                       of the input when mime_walk() found a part that
 *                       needs it (mime_part_needs_decoding()).
 *
 * The two walks read the same syntax with the same primitives but with some
 * different rules. The copy was written to decode what looks encoded and copy
 * everything else, so it reads loosely and line by line; the tree decides
 * which words are the bounce's, so it reads strictly. Making one follow the
 * other's rule changes which bytes the analyzer reads, and so its output,
 * which this restructuring keeps: each difference is kept, named
 * (MIME_RULE_...) where it is applied in mime.c; a later issue may unify them.
 *
 *  MIME_RULE_DECODE_ANY_DASH_LINE    a part being decoded ends at any line
 *                                    starting with "--", the tree's parts at
 *                                    their declared boundary;
 *  MIME_RULE_DECODE_LOOSE_HEADERS    the decoder reads a header block line by
 *                                    line and takes the first line that is no
 *                                    header (a "--" line right after another
 *                                    one too) as the start of the body, copied
 *                                    as it is; it reads the first line of the
 *                                    Content-Type (an empty one is a type it
 *                                    does not decode) and the last
 *                                    Content-Transfer-Encoding. The tree reads
 *                                    a part whose block has a line that is no
 *                                    header as header-less text, and the first
 *                                    of each field, unfolded (mime_field());
 *  MIME_RULE_DECODE_ORIGINALS        the decoder also decodes text/rfc822-headers
 *                                    and the text parts of a returned original
 *                                    that is multipart (message/rfc822), at any
 *                                    depth; the tree does not enter either and
 *                                    stops at MIME_DEPTH;
 *  MIME_RULE_WALK_QP_ONLY_BEYOND_ASCII  a quoted-printable part asks for the
 *                                    copy only when it escapes bytes beyond
 *                                    ASCII; once the copy is made, every
 *                                    quoted-printable text part is decoded;
 *  MIME_RULE_SUBJECT_DECODED_IN_COPY the tree only sees an encoded-word
 *                                    Subject (the message stage flags it); the
 *                                    copy decodes it.
 */
#ifndef BOUNCE_CATALOG_MIME_H
#define BOUNCE_CATALOG_MIME_H

#include <stddef.h>

/* how deep the tree is read (a multipart in a multipart ... six times);
 * the longest boundary taken (RFC 2046 allows 70 characters) */
enum { MIME_DEPTH = 6, MIME_BOUNDARY_MAX = 200 };

enum mime_enc { MIME_ENC_NONE, MIME_ENC_BASE64, MIME_ENC_QP };

/* A content type as the analyzer tells them apart. */
enum mime_type {
	MIME_T_NONE,           /* no Content-Type: text/plain */
	MIME_T_TEXT,           /* text/... */
	MIME_T_MULTIPART,      /* multipart/... */
	MIME_T_DSN,            /* message/(global-)delivery-status */
	MIME_T_FEEDBACK,       /* message/feedback-report (ARF) */
	MIME_T_ORIGINAL,       /* message/rfc822, message/global: the returned original */
	MIME_T_ORIGINAL_HEADERS, /* text/rfc822-headers: the returned original's headers */
	MIME_T_OTHER
};

/* One part of the tree, in the input: [start, end) with its header block
 * [start, headers) (headers NULL when it has none: it is text) and its
 * body [body, end); its Content-Type value [ct, ct_end) (empty if none). */
struct mime_part {
	const char *start, *headers, *body, *end;
	const char *ct, *ct_end;
	enum mime_type type;
	int depth;
};

/* Past the mbox separator line ("From sender date", no colon after the
 * word) a message saved from a mailbox starts with; s when there is none. */
const char *
mime_skip_mbox_line(const char *s, const char *end);

/* The blank line that ends the header block starting at s, or NULL when a
 * line before it is no header (nor a folded one) or there is none. */
const char *
mime_headers_end(const char *s, const char *end);

/* The value of the field "Name: value" in [s, end) (a header block, a group
 * of DSN fields), its folded lines included, without the blanks around it,
 * in [*v, *ve); returns 0 when there is no such field. */
int
mime_field(const char *s, const char *end, const char *name, const char **v, const char **ve);

/* The value of parameter `name` in the Content-Type value [s, end),
 * unquoted, in [*v, *ve); returns 0 when there is none. */
int
mime_param(const char *s, const char *end, const char *name, const char **v, const char **ve);

/* The type a Content-Type value [v, e) names (blanks before it skipped). */
enum mime_type
mime_type_of(const char *v, const char *e);

/* The encoding a Content-Transfer-Encoding value [v, e) names. */
enum mime_enc
mime_encoding(const char *v, const char *e);

/* Whether the line [p, le) (without its line end) is a delimiter of the
 * boundary b[0..blen): 0 no, 1 a delimiter, 2 the closing one. With b NULL,
 * any line starting with "--" is a delimiter (never a closing one). */
int
mime_delimiter(const char *p, const char *le, const char *b, size_t blen);

/* Visits the parts of the message [s, end) in order, a multipart before its
 * parts, down to MIME_DEPTH; a message/rfc822 part is visited but not
 * entered. Messages as they arrive: a multipart whose declared boundary
 * never appears is walked by the boundary its body uses (the first "--X"
 * line before a header line), or visited as text when it has none; a
 * message declared as text (or not declared) whose body is made of parts
 * with their own Content-Type, under a delimiter that comes back, is
 * walked as a multipart. */
void
mime_walk(const char *s, const char *end, void (*visit)(void *ctx, const struct mime_part *p),
	  void *ctx);

/* Whether the words of a part (of type text, none or DSN) can only be read
 * from the decoded copy: it is base64, or quoted-printable with escapes of
 * bytes beyond ASCII, or text beyond ASCII in a charset the copy converts
 * (mime_part_converts()). */
int
mime_part_needs_decoding(const struct mime_part *p);

/* Whether the part's text is in a charset the decoded copy converts to
 * UTF-8 (ISO-2022-JP, Shift_JIS, GB2312, Big5, EUC-KR, KOI8-R ...: scripts
 * other than Latin). */
int
mime_part_converts(const struct mime_part *p);

/* Whether the encoded words in [s, e) ("=?gb2312?B?...?=") name such a
 * charset. */
int
mime_words_convert(const char *s, const char *e);

/* Copies the message in[0..len) to out with the bodies of its base64 and
 * quoted-printable parts of type text/... or message/(global-)delivery-status
 * (or of no type) decoded, and returns the length written. out must have
 * room for cap >= len bytes. In base64, characters outside the alphabet are
 * skipped and a partial last group is dropped; in quoted-printable, "=XX" is
 * a byte, a final "=" joins lines, and anything else is itself. The encoded
 * words of the message's Subject (RFC 2047) are decoded too. The text of a
 * part (of any transfer encoding) and an encoded word in a charset of
 * mime_part_converts() is converted to UTF-8 when it fits in cap (converted
 * text can grow, at most three times); with cap == len nothing grows, as
 * decoding only shrinks. Headers, boundaries and other parts are copied as
 * they are, so the structure read from the copy is the input's. */
size_t
mime_decode_parts(const char *in, size_t len, char *out, size_t cap);

/* Whether the part is text/html. */
int
mime_part_is_html(const struct mime_part *p);

/* Copies the message in[0..len) to out with the HTML of in[start, stop)
 * (a text/html part's body) made text, as a browser shows it: tags, comments
 * and the content of script, style and head dropped, a line end after the
 * tags that start a new line (p, br, div, td, li ...), source line ends read
 * as blanks, character references (&amp;, &#39;, &#x2019;) as their UTF-8
 * bytes (typographic quotes and no-break spaces as ASCII); a "<" that opens
 * no tag ("<ana@example.net>") stays. Returns the length written: out must
 * have room for len + 1 bytes (only the closing line end can grow it). */
size_t
mime_html_text(const char *in, size_t len, size_t start, size_t stop, char *out);

#endif
