/* keymap.h: the actions of the browser, key names, and keymaps.
 *
 * Every action is one line of KEYMAP_ACTIONS: its enum id, the name shown in
 * help and printed by --list-actions, its default keys (written in the same
 * key-name syntax the script mode and keymaps use) and a one-line help text.
 * The enum, the name table, the help screen, --list-actions and the default
 * keymap are all generated from that list.
 *
 * Keys are ints: a Unicode code point for a character (control keys are the
 * C0 code points, Enter is '\n'), or KEYMAP_FN + a curses KEY_* code for a
 * function key, so the two ranges never overlap.
 */
#ifndef BOUNCE_TUI_KEYMAP_H
#define BOUNCE_TUI_KEYMAP_H

#include <stddef.h>
#include <stdio.h>

/* ACTION(id, "name", "default keys", "help", flags) */
#define KEYMAP_ACTIONS(ACTION)                                                                     \
	ACTION(ACT_MOVE_DOWN, "move-down", "j <Down> <C-n>", "Move down one line", 0)              \
	ACTION(ACT_MOVE_UP, "move-up", "k <Up> <C-p>", "Move up one line", 0)                      \
	ACTION(ACT_PAGE_DOWN, "page-down", "<PageDown> <Space> <C-f>", "Move down one page", 0)    \
	ACTION(ACT_PAGE_UP, "page-up", "<PageUp> b <C-b>", "Move up one page", 0)                  \
	ACTION(ACT_HALF_DOWN, "half-page-down", "<C-d>", "Move down half a page", 0)              \
	ACTION(ACT_HALF_UP, "half-page-up", "<C-u>", "Move up half a page", 0)                    \
	ACTION(ACT_FIRST, "move-first", "g <Home>", "Go to the first line", 0)                    \
	ACTION(ACT_LAST, "move-last", "G <End>", "Go to the last line", 0)                        \
	ACTION(ACT_OPEN, "open", "<Enter> <Right>",                                                \
	       "Open the selected entry, or follow the selected link", KEYMAP_NEEDS_SELECTION)     \
	ACTION(ACT_BACK, "back", "<Backspace> <Esc> <Left>",                                       \
	       "Go back to the entry shown before; then to the list", 0)                          \
	ACTION(ACT_HIST_BACK, "history-back", "<C-o> [",                                           \
	       "Go back through the links followed (the detail pane's history)", 0)               \
	ACTION(ACT_HIST_FORWARD, "history-forward", "]",                                           \
	       "Go forward again through the links followed", 0)                                  \
	ACTION(ACT_FOCUS, "switch-pane", "<Tab> <S-Tab>",                                          \
	       "Move the focus between the list and the detail pane", 0)                          \
	ACTION(ACT_VIEW_CODES, "view-codes", "1", "Show reply codes by class", 0)                 \
	ACTION(ACT_VIEW_ENHANCED, "view-enhanced", "2", "Show enhanced codes by subject", 0)      \
	ACTION(ACT_VIEW_PROVIDERS, "view-providers", "3", "Show providers and their entries", 0)  \
	ACTION(ACT_VIEW_REASONS, "view-reasons", "4", "Show bounce reasons by group", 0)          \
	ACTION(ACT_VIEW_GUIDE, "view-guide", "5",                                                  \
	       "Show the guide: reputation impact, thresholds, practices", 0)                     \
	ACTION(ACT_ANALYZE, "analyze", "a",                                                        \
	       "Open the analyzer: paste or type a bounce to see what it means", 0)               \
	ACTION(ACT_REPORT, "report", "r",                                                          \
	       "Show the report of --log, else of the last bounce scan", 0)                        \
	ACTION(ACT_CLASS_FACET, "class-facet", "c",                                                \
	       "Enhanced view: cycle the class digit X, 2, 4, 5", KEYMAP_VIEW)                               \
	ACTION(ACT_ANALYZE_NOW, "analyze-input", "<C-d>",                                          \
	       "Analyzer input: analyze it now and move to the diagnosis", KEYMAP_VIEW)           \
	ACTION(ACT_CLEAR_INPUT, "clear-input", "<C-u>", "Analyzer input: clear it", KEYMAP_VIEW)   \
	ACTION(ACT_EDIT_INPUT, "edit-input", "e <C-e>",                                            \
	       "Analyzer: edit the input in $VISUAL or $EDITOR", KEYMAP_VIEW)                     \
	ACTION(ACT_SEARCH, "search", "/",                                                          \
	       "Search as you type; a code such as 5.7.26 or TSS04 jumps to it", 0)               \
	ACTION(ACT_SEARCH_BACK, "search-back", "?", "Search backwards as you type", 0)            \
	ACTION(ACT_NEXT_MATCH, "next-match", "n", "Go to the next match", 0)                      \
	ACTION(ACT_PREV_MATCH, "prev-match", "N", "Go to the previous match", 0)                  \
	ACTION(ACT_FILTER, "filter", "&", "Show only the matching lines, or all lines again", 0)  \
	ACTION(ACT_COPY, "copy", "y",                                                              \
	       "Copy the entry, or the diagnosis with its input, as text to the clipboard (OSC 52)", \
	       0)                                                                                  \
	ACTION(ACT_OPEN_LINK, "open-link", "o",                                                    \
	       "Open the entry's postmaster or source page with xdg-open, or show its URL", 0)    \
	ACTION(ACT_PIPE, "pipe", "|",                                                              \
	       "Pipe the entry or the diagnosis as text to a shell command", 0)                   \
	ACTION(ACT_SAVE, "save", "s", "Save the entry or the diagnosis as text to a file", 0)     \
	ACTION(ACT_SPLIT_LESS, "split-narrower", "<lt>",                                           \
	       "Give the list less room and the detail more (remembered)", 0)                     \
	ACTION(ACT_SPLIT_MORE, "split-wider", ">",                                                 \
	       "Give the list more room and the detail less (remembered)", 0)                     \
	ACTION(ACT_HELP, "help", "h <F1>", "Show or close the help screen", 0)                                   \
	ACTION(ACT_REDRAW, "redraw", "<C-l>", "Redraw the screen", 0)                             \
	ACTION(ACT_IGNORE_SIZE, "ignore-size", "i",                                                \
	       "Go on although the terminal is below the minimum size", 0)                        \
	ACTION(ACT_CLOSE, "close", "q", "Close the help or the detail pane; quit from the list", 0) \
	ACTION(ACT_QUIT, "quit", "Q <C-c>", "Quit at once", 0)

enum keymap_action {
	ACT_NONE = 0,
#define KEYMAP_ENUM(id, name, keys, help, flags) id,
	KEYMAP_ACTIONS(KEYMAP_ENUM)
#undef KEYMAP_ENUM
	ACT_COUNT
};

/* Flags of an action: needs a selected entry; bound only by a view's own
 * keymap (its default keys are documentation for that view). */
#define KEYMAP_NEEDS_SELECTION 1
#define KEYMAP_VIEW 2

/* Function keys: KEYMAP_FN + KEY_xxx. */
#define KEYMAP_FN 0x200000

/* A keymap: sorted pairs, owned by the caller of keymap_add() (static or
 * freed with keymap_free()). */
struct keymap_entry {
	int key;
	enum keymap_action action;
};
struct keymap {
	struct keymap_entry *e;
	size_t n, cap;
};

/* The name, default keys, help text and flags of an action ("" / 0 for
 * ACT_NONE or an invalid value). Static strings. */
const char *
keymap_action_name(enum keymap_action a);
const char *
keymap_action_keys(enum keymap_action a);
const char *
keymap_action_help(enum keymap_action a);
int
keymap_action_flags(enum keymap_action a);

/* The action called `name`, or ACT_NONE. */
enum keymap_action
keymap_action_by_name(const char *name);

/* Maps the variants a terminal sends to one key: '\r' and KEY_ENTER to
 * '\n', DEL and ^H to <Backspace>. */
int
keymap_normalize(int key);

/* Parses one key name at s: a character ("j", "é"), or <Name> such as
 * <Enter>, <Down>, <C-n>, <F1>, <Space>, <lt>. A '<' that does not start a
 * known name is the key '<'. Stores the key and returns the number of bytes
 * used, or 0 when s is empty or holds invalid UTF-8. */
size_t
keymap_parse_key(const char *s, int *key);

/* The name of a key in the syntax keymap_parse_key() reads, written into buf
 * (always NUL-terminated). Returns buf. */
const char *
keymap_key_name(int key, char *buf, size_t size);

/* Adds bindings from a string "KEY... ACTION-NAME", one binding set per line
 * (for example "c <C-x> class-facet\n"). Returns 0, or -1 on an unknown
 * key or action name or out of memory, with a message in err. */
int
keymap_load(struct keymap *km, const char *text, char *err, size_t errsize);

/* Builds the global keymap from the default keys of every action. */
int
keymap_load_defaults(struct keymap *km, char *err, size_t errsize);

/* The action bound to key in km, or ACT_NONE. */
enum keymap_action
keymap_lookup(const struct keymap *km, int key);

/* Frees the bindings of km (not km itself). Accepts an empty keymap. */
void
keymap_free(struct keymap *km);

/* Prints "KEYS<TAB>NAME<TAB>HELP" for every action, in table order. */
void
keymap_print_actions(FILE *f);

#endif
