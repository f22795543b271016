/* text.h: making untrusted text safe to show, and measuring it.
 *
 * Catalog overlays and pasted bounces are untrusted: they may hold terminal
 * escape sequences, C1 controls, bidi overrides or invalid UTF-8. Everything
 * shown to a person goes through text_sanitize() first, which keeps
 * printable characters and makes every other one visible (\x1b, <U+202E>,
 * U+FFFD for invalid bytes) instead of dropping it: a troubleshooter needs
 * to see what was there.
 */
#ifndef BOUNCE_TUI_TEXT_H
#define BOUNCE_TUI_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* A growable NUL-terminated string. */
struct tbuf {
	char *s;
	size_t len;
	size_t cap;
};

/* Appends; on out of memory the buffer keeps what it had and 0 is returned
 * (callers that cannot go on call die()). Returns 1 on success. */
int
tbuf_add(struct tbuf *b, const char *s, size_t len);
int
tbuf_adds(struct tbuf *b, const char *s);
void
tbuf_reset(struct tbuf *b);
void
tbuf_free(struct tbuf *b);

/* Appends a safe copy of s[0..len) to out: valid UTF-8, printable code
 * points only; tabs become spaces; newlines are kept when keep_newlines is
 * set, otherwise shown as a space. Returns 1, or 0 on out of memory. */
int
text_sanitize(const char *s, size_t len, int keep_newlines, struct tbuf *out);

/* Decodes one UTF-8 code point at s (at most n bytes). Returns its length
 * (1..4) and sets *cp, or returns 0 for an invalid or truncated sequence.
 * The engine's cat_utf8_decode(), so the two read UTF-8 alike. */
size_t
text_utf8_decode(const char *s, size_t n, unsigned *cp);

/* Encodes code point cp (at most U+10FFFF) as UTF-8 into out; returns its
 * length, 1 to 4. */
size_t
text_utf8_encode(unsigned cp, char out[4]);

/* Whether the terminal reads UTF-8 (as the locale says): where it does not,
 * drawings (bars, sparklines) use ASCII, as text_sanitize() does for text. */
int
text_utf8_terminal(void);

/* Columns a sanitized string takes on a terminal. */
size_t
text_width(const char *s, size_t len);

/* Writes sanitized text wrapped to `width` columns: the first line starts
 * at column `col` (already used), continuation lines start with `indent`
 * spaces. Returns the column after the last character. */
size_t
text_wrap(FILE *f, const char *s, size_t col, size_t indent, size_t width);

#endif
