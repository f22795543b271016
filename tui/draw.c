/* draw.c: writing sanitized text to curses, with semantic roles. */
#include "draw.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "text.h"

/* Where the role's attribute goes on a line. */
enum scope { SCOPE_WHOLE, SCOPE_MARK };

struct theme {
	short fg, bg;  /* colour pair; -1 is the terminal's default */
	attr_t color;  /* attributes with colours */
	attr_t mono;   /* attributes without colours */
	enum scope scope;
};

/* The theme: by meaning, not by look. Monochrome still tells roles apart.
 * The configuration's color lines change the colour column (draw_theme_set). */
static struct theme theme[ROLE_COUNT] = {
	[ROLE_TEXT] = { -1, -1, A_NORMAL, A_NORMAL, SCOPE_WHOLE },
	[ROLE_TABBAR] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE, SCOPE_WHOLE },
	[ROLE_TAB_ACTIVE] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD, SCOPE_WHOLE },
	[ROLE_PANE_TITLE] = { -1, -1, A_BOLD, A_BOLD, SCOPE_WHOLE },
	[ROLE_PANE_FOCUS] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD, SCOPE_WHOLE },
	[ROLE_HEADER] = { COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE, SCOPE_WHOLE },
	[ROLE_ENTRY] = { -1, -1, A_BOLD, A_BOLD, SCOPE_MARK },
	[ROLE_HARD] = { COLOR_RED, -1, A_BOLD, A_BOLD, SCOPE_MARK },
	[ROLE_SOFT] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD, SCOPE_MARK },
	[ROLE_BLOCK] = { COLOR_MAGENTA, -1, A_BOLD, A_BOLD, SCOPE_MARK },
	[ROLE_SUCCESS] = { COLOR_GREEN, -1, A_BOLD, A_BOLD, SCOPE_MARK },
	[ROLE_INFO] = { COLOR_CYAN, -1, A_NORMAL, A_BOLD, SCOPE_MARK },
	/* the Guide's six impact levels, each its own colour, from alarm to
	 * calm; without colours each its own attribute */
	[ROLE_LEVEL_CRITICAL] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD, SCOPE_MARK },
	[ROLE_LEVEL_SEVERE] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE, SCOPE_MARK },
	[ROLE_LEVEL_MODERATE] = { COLOR_MAGENTA, -1, A_BOLD, A_BOLD, SCOPE_MARK },
	[ROLE_LEVEL_LOW_MODERATE] = { COLOR_YELLOW, -1, A_NORMAL, A_UNDERLINE, SCOPE_MARK },
	[ROLE_LEVEL_LOW] = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL, SCOPE_MARK },
	[ROLE_LEVEL_MINIMAL] = { COLOR_GREEN, -1, A_DIM, A_DIM, SCOPE_MARK },
	[ROLE_TITLE] = { -1, -1, A_BOLD, A_BOLD, SCOPE_WHOLE },
	[ROLE_FIELD] = { COLOR_CYAN, -1, A_NORMAL, A_BOLD, SCOPE_MARK },
	[ROLE_LINK] = { COLOR_BLUE, -1, A_UNDERLINE, A_UNDERLINE, SCOPE_WHOLE },
	[ROLE_MATCH] = { COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_STANDOUT | A_UNDERLINE, SCOPE_WHOLE },
	[ROLE_CURSOR] = { -1, -1, A_REVERSE, A_REVERSE, SCOPE_WHOLE },
	[ROLE_CURSOR_IDLE] = { -1, -1, A_UNDERLINE, A_UNDERLINE, SCOPE_WHOLE },
	[ROLE_BORDER] = { COLOR_BLUE, -1, A_NORMAL, A_NORMAL, SCOPE_WHOLE },
	[ROLE_STATUS] = { -1, -1, A_NORMAL, A_NORMAL, SCOPE_WHOLE },
	[ROLE_PROMPT] = { -1, -1, A_BOLD, A_BOLD, SCOPE_WHOLE },
	[ROLE_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD, SCOPE_WHOLE },
	[ROLE_NOTICE] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD, SCOPE_WHOLE },
	[ROLE_DIM] = { -1, -1, A_DIM, A_NORMAL, SCOPE_WHOLE },
};

static const char *const role_names[ROLE_COUNT] = {
#define DRAW_ROLE_NAME(id, name) [id] = name,
	DRAW_ROLES(DRAW_ROLE_NAME)
#undef DRAW_ROLE_NAME
};

/* Colour names of the configuration, by curses number; "default" is -1. */
static const char *const color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	attr_t attr;
} attr_names[] = {
	{ "normal", A_NORMAL },	      { "bold", A_BOLD },	  { "dim", A_DIM },
	{ "underline", A_UNDERLINE }, { "reverse", A_REVERSE },	  { "standout", A_STANDOUT },
	{ "blink", A_BLINK },
};

static int
parse_color(const char *s, short *out)
{
	char *end;
	long n;
	size_t i;

	if (strcmp(s, "default") == 0) {
		*out = -1;
		return 0;
	}
	for (i = 0; i < 8; i++)
		if (strcmp(s, color_names[i]) == 0) {
			*out = (short)i;
			return 0;
		}
	if (strncmp(s, "color", 5) == 0)
		s += 5;
	n = strtol(s, &end, 10);
	if (end == s || *end || n < 0 || n > 255)
		return -1;
	*out = (short)n;
	return 0;
}

int
draw_theme_set(const char *role, const char *fg, const char *bg, char *const *attrs,
	       size_t nattrs, char *err, size_t errsize)
{
	struct theme t;
	size_t i, k;
	int r;

	for (r = 0; r < ROLE_COUNT; r++)
		if (strcmp(role_names[r], role) == 0)
			break;
	if (r == ROLE_COUNT) {
		snprintf(err, errsize, "unknown colour role '%s'", role);
		return -1;
	}
	t = theme[r];
	if (parse_color(fg, &t.fg) || parse_color(bg, &t.bg)) {
		snprintf(err, errsize, "bad colour '%s' (default, black, red, green, yellow, blue, "
				       "magenta, cyan, white or 0-255)",
			 parse_color(fg, &t.fg) ? fg : bg);
		return -1;
	}
	t.color = A_NORMAL;
	for (i = 0; i < nattrs; i++) {
		for (k = 0; k < sizeof(attr_names) / sizeof(attr_names[0]); k++)
			if (strcmp(attrs[i], attr_names[k].name) == 0)
				break;
		if (k == sizeof(attr_names) / sizeof(attr_names[0])) {
			snprintf(err, errsize, "unknown attribute '%s'", attrs[i]);
			return -1;
		}
		t.color |= attr_names[k].attr;
	}
	theme[r] = t;
	return 0;
}

static void
color_name(short c, char *buf, size_t size)
{
	if (c < 0)
		snprintf(buf, size, "default");
	else if (c < 8)
		snprintf(buf, size, "%s", color_names[c]);
	else
		snprintf(buf, size, "%d", c);
}

void
draw_theme_dump(FILE *f)
{
	char fg[16], bg[16];
	size_t k;
	int r;

	for (r = 0; r < ROLE_COUNT; r++) {
		color_name(theme[r].fg, fg, sizeof(fg));
		color_name(theme[r].bg, bg, sizeof(bg));
		fprintf(f, "color %-12s %-8s %-8s", role_names[r], fg, bg);
		if (theme[r].color == A_NORMAL)
			fputs(" normal", f);
		for (k = 1; k < sizeof(attr_names) / sizeof(attr_names[0]); k++)
			if (theme[r].color & attr_names[k].attr)
				fprintf(f, " %s", attr_names[k].name);
		fputc('\n', f);
	}
}

static int use_color;
static attr_t attrs[ROLE_COUNT];

/* What each row of the last frame showed, for dumps. */
static struct tbuf *rows;
static int nrows;

/* Scratch buffers reused for every string. */
static struct tbuf scratch;
static unsigned char *hl;
static size_t hl_cap;

const char *
draw_role_name(enum draw_role role)
{
	return (unsigned)role < ROLE_COUNT ? role_names[role] : "?";
}

void
draw_theme_init(int color)
{
	int i;

	use_color = color;
	for (i = 0; i < ROLE_COUNT; i++) {
		if (color) {
			attrs[i] = theme[i].color;
			/* a 256-colour number on a terminal with fewer keeps the attributes */
			if ((theme[i].fg != -1 || theme[i].bg != -1) && theme[i].fg < COLORS &&
			    theme[i].bg < COLORS) {
				init_pair((short)(i + 1), theme[i].fg, theme[i].bg);
				attrs[i] |= COLOR_PAIR(i + 1);
			}
		} else {
			attrs[i] = theme[i].mono;
		}
	}
}

static void
record(int y, const char *pane, const char *what)
{
	if (!pane || y < 0 || y >= nrows)
		return;
	if (rows[y].len)
		tbuf_adds(&rows[y], "  ");
	tbuf_adds(&rows[y], pane);
	tbuf_adds(&rows[y], ":");
	tbuf_adds(&rows[y], what);
}

void
draw_begin(void)
{
	int i;

	if (LINES > nrows) {
		struct tbuf *p = realloc(rows, (size_t)LINES * sizeof(*p));

		if (p) {
			memset(p + nrows, 0, (size_t)(LINES - nrows) * sizeof(*p));
			rows = p;
			nrows = LINES;
		}
	}
	for (i = 0; i < nrows; i++)
		tbuf_reset(&rows[i]);
	erase();
}

void
draw_end(void)
{
	int i;

	for (i = 0; i < nrows; i++)
		tbuf_free(&rows[i]);
	free(rows);
	rows = NULL;
	nrows = 0;
	tbuf_free(&scratch);
	free(hl);
	hl = NULL;
	hl_cap = 0;
}

/* Sanitizes s into the scratch buffer; NULL on out of memory. */
static const char *
clean(const char *s, size_t *len)
{
	tbuf_reset(&scratch);
	if (!text_sanitize(s ? s : "", s ? strlen(s) : 0, 0, &scratch))
		return NULL;
	*len = scratch.len;
	return scratch.s;
}

/* Puts one code point of width cw at (y, x). */
static void
put_cp(int y, int x, unsigned cp, attr_t a)
{
	wchar_t wc[2];

	wc[0] = (wchar_t)cp;
	wc[1] = 0;
	attrset(a);
	mvaddnwstr(y, x, wc, 1);
}

static void
blank(int y, int x, int w, attr_t a)
{
	int i;

	attrset(a);
	for (i = 0; i < w; i++)
		mvaddch(y, x + i, ' ');
}

/* Draws s[0..len) from column x, at most w columns, with per-byte
 * attributes from `at` (or a when at is NULL). Stops before a character
 * that does not fit. Returns the columns used. */
static int
put_run(int y, int x, int w, const char *s, size_t len, const attr_t *at, attr_t a)
{
	size_t i = 0;
	int col = 0;

	while (i < len) {
		unsigned cp;
		size_t n = text_utf8_decode(s + i, len - i, &cp);
		int cw;

		if (n == 0) {
			cp = 0xfffd;
			n = 1;
		}
		cw = (int)text_width(s + i, n);
		if (cw < 1) {
			i += n;
			continue;
		}
		if (col + cw > w)
			break;
		put_cp(y, x + col, cp, at ? at[i] : a);
		col += cw;
		i += n;
	}
	return col;
}

int
draw_piece(int y, int x, int w, enum draw_role role, const char *s)
{
	size_t len = 0;
	const char *c;

	if (w <= 0)
		return 0;
	c = clean(s, &len);
	if (!c)
		return 0;
	return put_run(y, x, w, c, len, NULL, attrs[role]);
}

int
draw_text(int y, int x, int w, enum draw_role role, const char *s, const char *pane)
{
	int used;

	if (w <= 0)
		return 0;
	used = draw_piece(y, x, w, role, s);
	blank(y, x + used, w - used, attrs[role]);
	record(y, pane, draw_role_name(role));
	attrset(A_NORMAL);
	return used;
}

int
draw_width(const char *s)
{
	size_t len = 0;
	const char *c = clean(s, &len);

	return c ? (int)text_width(c, len) : 0;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int
is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c >= 0x80;
}

/* Marks in hl[] every occurrence of each word at a word start. */
static void
mark_words(const char *s, size_t len, const char *const *words, size_t nwords)
{
	size_t i, k, j;

	for (k = 0; k < nwords; k++) {
		size_t wl = strlen(words[k]);

		if (wl == 0 || wl > len)
			continue;
		for (i = 0; i + wl <= len; i++) {
			if (i > 0 && is_word((unsigned char)s[i - 1]) &&
			    is_word((unsigned char)words[k][0]))
				continue;
			for (j = 0; j < wl; j++)
				if (lower((unsigned char)s[i + j]) != lower((unsigned char)words[k][j]))
					break;
			if (j == wl) {
				memset(hl + i, 1, wl);
				i += wl - 1;
			}
		}
	}
}

static void
line_draw(int y, int x, int w, const struct line *l, int selected, int focused,
	  const char *const *words, size_t nwords, const struct draw_span *spans, size_t nspans,
	  const char *pane);

void
draw_line(int y, int x, int w, const struct line *l, int selected, int focused,
	  const char *const *words, size_t nwords, const char *pane)
{
	line_draw(y, x, w, l, selected, focused, words, nwords, NULL, 0, pane);
}

void
draw_line_spans(int y, int x, int w, const struct line *l, int selected, int focused,
		const struct draw_span *spans, size_t nspans, const char *pane)
{
	line_draw(y, x, w, l, selected, focused, NULL, 0, spans, nspans, pane);
}

static void
line_draw(int y, int x, int w, const struct line *l, int selected, int focused,
	  const char *const *words, size_t nwords, const struct draw_span *spans, size_t nspans,
	  const char *pane)
{
	const struct theme *t = &theme[l->role];
	attr_t base = attrs[ROLE_TEXT], role_a = attrs[l->role], cur = 0, *at = NULL;
	size_t len = 0, i, mark;
	const char *s;
	int badge_w = 0, room, used = 0, indent = l->indent, full;
	char what[64];

	if (w <= 0)
		return;
	if (selected)
		cur = attrs[focused ? ROLE_CURSOR : ROLE_CURSOR_IDLE];
	if (t->scope == SCOPE_WHOLE)
		base = role_a;
	base |= cur;
	blank(y, x, w, base);
	if (indent > w)
		indent = w;
	if (l->badge && w - indent >= 24)
		badge_w = draw_width(l->badge);
	s = clean(l->text, &len);
	if (!s)
		return;
	if (len + 1 > hl_cap) {
		unsigned char *p = realloc(hl, len + 1);

		if (!p)
			return;
		hl = p;
		hl_cap = len + 1;
	}
	memset(hl, 0, len + 1);
	if (nwords)
		mark_words(s, len, words, nwords);
	at = malloc((len + 1) * sizeof(*at));
	if (!at)
		return;
	mark = l->mark < len ? l->mark : len;
	for (i = 0; i < len; i++) {
		attr_t a = t->scope == SCOPE_MARK && i < mark ? role_a : attrs[ROLE_TEXT];

		if (t->scope == SCOPE_WHOLE)
			a = role_a;
		if (hl[i])
			a = attrs[ROLE_MATCH];
		at[i] = a | cur;
	}
	/* spans index the sanitized text, which sanitizing again keeps as is */
	for (i = 0; i < nspans; i++) {
		size_t k;

		for (k = spans[i].start; k < spans[i].end && k < len; k++)
			at[k] = attrs[spans[i].role] | cur;
	}
	room = w - indent - (badge_w ? badge_w + 1 : 0);
	full = (int)text_width(s, len);
	if (full <= room) {
		used = put_run(y, x + indent, room, s, len, at, base);
	} else if (room > 1) {
		used = put_run(y, x + indent, room - 1, s, len, at, base);
		put_cp(y, x + indent + used, 0x2026, base); /* ... */
		used++;
	}
	if (badge_w)
		put_run(y, x + w - badge_w, badge_w, l->badge, strlen(l->badge), NULL,
			attrs[l->badge_role] | cur);
	free(at);
	attrset(A_NORMAL);
	snprintf(what, sizeof(what), "%s%s%s%s%s", draw_role_name(l->role),
		 l->flags & LINE_HIT ? "+hit" : "", nspans ? "+" : "",
		 nspans ? draw_role_name(spans[0].role) : "",
		 selected ? (focused ? "+cursor" : "+sel") : "");
	record(y, pane, what);
}

void
draw_vline(int y, int x, int h)
{
	int i;

	attrset(attrs[ROLE_BORDER]);
	for (i = 0; i < h; i++)
		mvaddch(y + i, x, ACS_VLINE);
	attrset(A_NORMAL);
}

/* Appends code point cp to b as UTF-8 (whatever the locale). */
static void
add_utf8(struct tbuf *b, unsigned cp)
{
	char u[4];
	size_t n = text_utf8_encode(cp, u);

	tbuf_add(b, u, n);
}

void
draw_dump(FILE *f, const char *label)
{
	wchar_t *w = calloc((size_t)COLS + 1, sizeof(*w));
	struct tbuf b = { 0 };
	int y, i, n;

	fprintf(f, "--- %s ---\n", label);
	fprintf(f, "size %dx%d, colours %s\n", COLS, LINES, use_color ? "on" : "off");
	if (!w)
		return;
	for (y = 0; y < LINES; y++) {
		tbuf_reset(&b);
		tbuf_add(&b, "", 0);
		n = mvwinnwstr(stdscr, y, 0, w, COLS);
		for (i = 0; i < n && w[i]; i++)
			add_utf8(&b, (unsigned)w[i]);
		while (b.len && b.s[b.len - 1] == ' ')
			b.s[--b.len] = '\0';
		fprintf(f, "%s\n", b.s);
	}
	fputs("roles:\n", f);
	for (y = 0; y < LINES && y < nrows; y++)
		if (rows[y].len)
			fprintf(f, "%2d %s\n", y, rows[y].s);
	tbuf_free(&b);
	free(w);
}

void
draw_title(int y, int x, int w, int focused, const char *left, const char *right,
	   const char *pane)
{
	int rw = right ? draw_width(right) : 0;

	draw_text(y, x, w, focused ? ROLE_PANE_FOCUS : ROLE_PANE_TITLE, left, pane);
	if (right && rw + 2 < w - draw_width(left))
		draw_piece(y, x + w - rw - 1, rw, focused ? ROLE_PANE_FOCUS : ROLE_PANE_TITLE, right);
}
