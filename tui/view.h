/* view.h: every screen of the browser is a view.
 *
 * A view is a table of operations (struct view_ops, one file per view):
 * the five list views (codes, enhanced, providers, reasons, guide), and the
 * screens that cover them: the analyzer, help and the too-small notice. The
 * loop (tui.c) asks the view on screen to draw itself and to handle keys,
 * mouse and pastes; what only the loop can do (open an entry in the list
 * views, close a screen, clear the search) a view asks for by filling in a
 * struct view_req. A list view keeps its own list position and its own
 * detail pane with a history, so switching views and back finds everything
 * where it was.
 */
#ifndef BOUNCE_TUI_VIEW_H
#define BOUNCE_TUI_VIEW_H

#include <stddef.h>

#include "bounce/catalog.h"
#include "detail.h"
#include "draw.h"
#include "keymap.h"
#include "pane.h"

struct ui;
struct view;
struct display_mouse;

/* What handle() did with an action (htop's HandlerResult): UNHANDLED falls
 * through to the global actions (tui.c). */
enum view_result { VIEW_HANDLED, VIEW_UNHANDLED, VIEW_REDRAW, VIEW_QUIT };

/* What a view asks the loop to do after it handled an action. */
enum view_req_kind {
	VIEW_REQ_NONE,
	VIEW_REQ_OPEN,         /* show key (class cls) in the list views' detail pane */
	VIEW_REQ_CLOSE,        /* close this screen: the one under it shows again */
	VIEW_REQ_RETURN,       /* show the analyzer or the report again (Back from an entry
				  it opened) */
	VIEW_REQ_CLEAR_SEARCH, /* forget the search */
};

struct view_req {
	enum view_req_kind kind;
	char *key; /* VIEW_REQ_OPEN: owned, freed by the loop */
	int cls;
};

/* Flags of a view. */
#define VIEW_MODAL 1  /* the whole screen (no tabs, no status line); its keys come
		       * before the search prompt, and unbound ones say nothing */
#define VIEW_FROZEN 2 /* the detail does not follow the list while it is shown */

struct view_ops {
	const char *name;   /* "codes": dumps and messages */
	const char *title;  /* "Reply codes": the tab bar */
	const char *keymap; /* the view's own bindings, keymap_load() syntax */
	unsigned flags;     /* VIEW_MODAL, VIEW_FROZEN */
	/* Builds the lines (again: after a facet change) or the state. 0, or
	 * -1 with a status message set. */
	int (*open)(struct ui *ui, struct view *v);
	/* The view comes on screen (a or a click on its tab). May be NULL. */
	void (*show)(struct ui *ui, struct view *v);
	/* Draws the view in the rectangle (below the tab bar, above the
	 * status line; the whole screen for a VIEW_MODAL one). */
	void (*draw)(struct ui *ui, struct view *v, int y, int x, int h, int w);
	/* Writes the key hints of the status line into buf. */
	void (*hints)(const struct ui *ui, const struct view *v, char *buf, size_t size);
	/* A key before any keymap (a view that takes text): 1 when it is done
	 * with it, else 0 with the action in *a (ACT_NONE: look it up in the
	 * view's keymap, then the global one). May be NULL. */
	int (*input)(struct ui *ui, struct view *v, int key, enum keymap_action *a);
	/* An action; UNHANDLED falls through to the global ones, after req. */
	enum view_result (*handle)(struct ui *ui, struct view *v, enum keymap_action a,
				   struct view_req *req);
	/* A click or the wheel below the tab bar. May be NULL. */
	void (*mouse)(struct ui *ui, struct view *v, const struct display_mouse *m);
	/* A bracketed paste of len bytes (total: how many the terminal sent);
	 * shown: the view was open. May be NULL. */
	void (*paste)(struct ui *ui, struct view *v, const char *s, size_t len, size_t total,
		      int shown);
	/* What is shown, as text (y, |, s): owned, *len bytes, and its name
	 * in what ("550", "the diagnosis"); NULL when nothing is. May be NULL. */
	char *(*text)(struct ui *ui, struct view *v, size_t *len, char *what, size_t whatsize);
	/* The web page of what is shown (o): its postmaster or source page,
	 * written into buf; 0, or -1 when there is none. May be NULL. */
	int (*url)(struct ui *ui, struct view *v, char *buf, size_t size);
	/* A view built in part for its first screen builds the rest: 1 when
	 * it did, 0 when it was whole, -1 with a status message. May be NULL. */
	int (*complete)(struct ui *ui, struct view *v);
	/* Frees the private data (not the view). May be NULL. */
	void (*close)(struct view *v);
	size_t private_size;
};

struct view {
	const struct view_ops *ops;
	struct pane list;
	struct detail detail;
	struct keymap keymap;
	void *priv;   /* private_size bytes, zeroed, freed by view_close() */
	size_t hits;  /* lines of this view that match the search */
	char subtitle[64];
	int built;    /* open() has run: a list view is built when first needed */
};

/* The list views, in tab order. */
extern const struct view_ops view_codes_ops;
extern const struct view_ops view_enhanced_ops;
extern const struct view_ops view_providers_ops;
extern const struct view_ops view_reasons_ops;
extern const struct view_ops view_guide_ops;

/* The screens over them (enum ui_screen order). */
extern const struct view_ops view_analyze_ops;
extern const struct view_ops view_report_ops;
extern const struct view_ops view_help_ops;
extern const struct view_ops view_small_ops;

/* The report (view_report.c): reads the inputs (bounce scan's) into the
 * report screen v, with the progress on the status line. 0, or -1 with a
 * status message. */
int
view_report_load(struct ui *ui, struct view *v, char **args, size_t n);

/* The report of the last bounce scan (saved by it, lastscan.c) into the
 * report screen v, when it holds none yet. 0, or -1 with a status message
 * (no saved scan; a damaged or foreign file, which is left alone). */
int
view_report_load_last(struct ui *ui, struct view *v);

/* Whether v, the report screen, holds a report. */
int
view_report_loaded(const struct view *v);

/* ---- building lists ---- */

/* Appends an entry line "code  title" with the code padded to code_w
 * columns; the code takes the entry's role. */
struct line *
view_add_entry(struct pane *p, const struct cat_entry *e, int code_w, int indent);

/* Appends a group header and returns its index (for view_end_group()). */
size_t
view_add_header(struct pane *p, const char *text);

/* Appends " (N)" to the header at index h, N being the entries added since. */
void
view_end_group(struct pane *p, size_t h);

/* Widest code of res (capped). */
int
view_code_width(const struct cat_result *res, int cap);

/* ---- every view ---- */

/* Opens v as a view of ops: loads its keymap; runs open() now unless lazy
 * is set, else when the view is first needed (view_build()). */
int
view_open(struct ui *ui, struct view *v, const struct view_ops *ops, int lazy);

/* Builds v if it is not built yet (open(), the search hits marked). 0, or
 * -1 with a status message set. */
int
view_build(struct ui *ui, struct view *v);

/* Builds the rest of v when only its first page is built, keeping the
 * cursor on its line. */
void
view_complete(struct ui *ui, struct view *v);

/* Marks the lines of v's list that are search hits (ui->hit_ids) and
 * counts them in v->hits. */
void
view_mark_hits(struct ui *ui, struct view *v);

/* Frees a view. */
void
view_close(struct view *v);

/* ---- the list views: what they share ---- */

/* The current list view, built. */
struct view *
view_current(struct ui *ui);

/* List view k (tab order), built. */
struct view *
view_at(struct ui *ui, size_t k);

/* Shows key (class cls) in the first list view that lists it, from the
 * current one on; else in the detail pane of the current one. */
void
view_jump(struct ui *ui, const char *key, int cls);

/* The list and its detail pane, side by side on a wide screen. */
void
view_list_draw(struct ui *ui, struct view *v, int y, int x, int h, int w);

/* Moving in the focused pane, opening, following links, Back, Tab, q. */
enum view_result
view_list_handle(struct ui *ui, struct view *v, enum keymap_action a, struct view_req *req);

/* Click selects, double-click opens, the wheel scrolls. */
void
view_list_mouse(struct ui *ui, struct view *v, const struct display_mouse *m);

/* The entry in the detail pane as text, and its web page (view_ops text
 * and url of the list views). */
char *
view_list_text(struct ui *ui, struct view *v, size_t *len, char *what, size_t whatsize);
int
view_list_url(struct ui *ui, struct view *v, char *buf, size_t size);

/* The search and the main keys. */
void
view_list_hints(const struct ui *ui, const struct view *v, char *buf, size_t size);

/* The class digit a diagnosis gives the entries it names (its reply code,
 * else its enhanced code; 0 when neither says). */
int
view_code_cls(int reply, const char *enhanced);

/* A link line "> provider  code  title" to catalog entry `key`, with its
 * rating as badge (a key the catalog lacks is shown bare). */
void
view_add_entry_link(struct ui *ui, struct pane *p, const char *key, int cls);
#endif
