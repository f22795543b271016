/* draw.h: the only code that writes text to curses.
 *
 * Every string passes through text_sanitize() (text.h) on its way to the
 * screen, so catalog text can never send control sequences, bidi overrides
 * or invalid UTF-8 to the terminal: they are drawn visibly instead. Nothing
 * is ever used as a printf format.
 *
 * Colours are semantic roles. The theme table in draw.c maps each role to a
 * colour pair and attributes, with a monochrome column used when colours are
 * off (NO_COLOR, --color=never, or a terminal without colours). Views never
 * pick colours or attributes themselves.
 */
#ifndef BOUNCE_TUI_DRAW_H
#define BOUNCE_TUI_DRAW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* DRAW_ROLE(id, "name") */
#define DRAW_ROLES(DRAW_ROLE)                                                                      \
	DRAW_ROLE(ROLE_TEXT, "text")                                                               \
	DRAW_ROLE(ROLE_TABBAR, "tabbar")                                                           \
	DRAW_ROLE(ROLE_TAB_ACTIVE, "tab-active")                                                   \
	DRAW_ROLE(ROLE_PANE_TITLE, "pane-title")                                                   \
	DRAW_ROLE(ROLE_PANE_FOCUS, "pane-focus")                                                   \
	DRAW_ROLE(ROLE_HEADER, "header")                                                           \
	DRAW_ROLE(ROLE_ENTRY, "entry")                                                             \
	DRAW_ROLE(ROLE_HARD, "hard")                                                               \
	DRAW_ROLE(ROLE_SOFT, "soft")                                                               \
	DRAW_ROLE(ROLE_BLOCK, "block")                                                             \
	DRAW_ROLE(ROLE_SUCCESS, "success")                                                         \
	DRAW_ROLE(ROLE_INFO, "info")                                                               \
	DRAW_ROLE(ROLE_LEVEL_CRITICAL, "level-critical")                                           \
	DRAW_ROLE(ROLE_LEVEL_SEVERE, "level-severe")                                               \
	DRAW_ROLE(ROLE_LEVEL_MODERATE, "level-moderate")                                           \
	DRAW_ROLE(ROLE_LEVEL_LOW_MODERATE, "level-low-moderate")                                   \
	DRAW_ROLE(ROLE_LEVEL_LOW, "level-low")                                                     \
	DRAW_ROLE(ROLE_LEVEL_MINIMAL, "level-minimal")                                             \
	DRAW_ROLE(ROLE_TITLE, "title")                                                             \
	DRAW_ROLE(ROLE_FIELD, "field")                                                             \
	DRAW_ROLE(ROLE_LINK, "link")                                                               \
	DRAW_ROLE(ROLE_MATCH, "match")                                                             \
	DRAW_ROLE(ROLE_CURSOR, "cursor")                                                           \
	DRAW_ROLE(ROLE_CURSOR_IDLE, "cursor-idle")                                                 \
	DRAW_ROLE(ROLE_BORDER, "border")                                                           \
	DRAW_ROLE(ROLE_STATUS, "status")                                                           \
	DRAW_ROLE(ROLE_PROMPT, "prompt")                                                           \
	DRAW_ROLE(ROLE_ERROR, "error")                                                             \
	DRAW_ROLE(ROLE_NOTICE, "notice")                                                           \
	DRAW_ROLE(ROLE_DIM, "dim")

enum draw_role {
#define DRAW_ROLE_ENUM(id, name) id,
	DRAW_ROLES(DRAW_ROLE_ENUM)
#undef DRAW_ROLE_ENUM
	ROLE_COUNT
};

/* Flags of a line. */
#define LINE_HIT 1u /* a search hit */

/* One line of a list, detail or help pane. The view that builds it owns
 * `text` and `key`. Lines with a key are selectable. */
struct line {
	enum draw_role role;
	char *text;         /* sanitized when built; drawn sanitized again */
	size_t mark;        /* bytes at the start drawn in the role (entries, fields) */
	const char *badge;  /* static word drawn at the right ("HARD"), or NULL */
	enum draw_role badge_role;
	char *key;          /* catalog key of a selectable line, else NULL */
	int64_t id;         /* its row id (struct cat_entry.id), 0 if none */
	int cls;            /* class context for cat_get() */
	unsigned flags;     /* LINE_HIT */
	size_t group;       /* index of the group header above it */
	int indent;         /* columns of indentation */
};

/* The name of a role ("hard"), for dumps. */
const char *
draw_role_name(enum draw_role role);

/* Sets up colour pairs for the roles when color is non-zero (start_color()
 * has been called by display.c); otherwise the monochrome column is used. */
void
draw_theme_init(int color);

/* Sets the colour column of the theme for role `role` (its name, as in
 * dumps): fg and bg are colour names (default, black, red, green, yellow,
 * blue, magenta, cyan, white) or numbers 0-255, attrs the attribute words
 * (normal, bold, dim, underline, reverse, standout, blink). Before
 * draw_theme_init(). 0, or -1 with a message in err. */
int
draw_theme_set(const char *role, const char *fg, const char *bg, char *const *attrs,
	       size_t nattrs, char *err, size_t errsize);

/* Writes the colour column as "color ROLE FG BG ATTR..." lines. */
void
draw_theme_dump(FILE *f);

/* Clears the screen and forgets the roles recorded for the last frame. */
void
draw_begin(void);

/* Draws sanitized s at (y, x), at most w columns, in the role's attributes,
 * and fills the rest of the w columns with blanks. Returns the columns used
 * by the text. `pane` names the pane in dumps (NULL: not recorded). */
int
draw_text(int y, int x, int w, enum draw_role role, const char *s, const char *pane);

/* Like draw_text() without filling, for composing a row from pieces. */
int
draw_piece(int y, int x, int w, enum draw_role role, const char *s);

/* Draws one line of a pane: the role's attributes on its mark or on the
 * whole line, search words highlighted as ROLE_MATCH (case-insensitive,
 * at word starts), the badge on the right, a cut marked with an ellipsis,
 * and the cursor bar when `selected` (ROLE_CURSOR if `focused`). */
void
draw_line(int y, int x, int w, const struct line *l, int selected, int focused,
	  const char *const *words, size_t nwords, const char *pane);

/* A byte range [start, end) of a line's text drawn in another role. */
struct draw_span {
	size_t start, end;
	enum draw_role role;
};

/* draw_line() with spans of the text in their own roles (the evidence in
 * pasted text); the dump records "+ROLE" for the first span's role. */
void
draw_line_spans(int y, int x, int w, const struct line *l, int selected, int focused,
		const struct draw_span *spans, size_t nspans, const char *pane);

/* A pane's title row: left in the title role (the focused one when focused),
 * right at the right end when there is room. */
void
draw_title(int y, int x, int w, int focused, const char *left, const char *right,
	   const char *pane);

/* A vertical separator of h rows at column x from row y. */
void
draw_vline(int y, int x, int h);

/* Writes the screen as text (rows right-trimmed) and the role of every
 * recorded row to f, under "--- label ---". */
void
draw_dump(FILE *f, const char *label);

/* Columns of sanitized s (what draw_text would use without a limit). */
int
draw_width(const char *s);

/* Frees the scratch buffers. */
void
draw_end(void);

#endif
