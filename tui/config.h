/* config.h: the browser's configuration: built-in defaults, the user's file, the state.
 *
 * One syntax for all three, tig's: `set NAME = VALUE`, `color ROLE FG BG
 * [ATTR...]` and `bind KEY... ACTION`, with # comments. The built-in
 * defaults are that text (bounce --dump-config prints it) and are read by the
 * same parser as $XDG_CONFIG_HOME/bounce/config (~/.config/bounce/config) and
 * $XDG_STATE_HOME/bounce/state (~/.local/state/bounce/state: what the browser
 * remembers, the split of < and >), in that order. A mistake in a file is
 * reported as FILE:LINE and skipped: the browser still starts.
 */
#ifndef BOUNCE_TUI_CONFIG_H
#define BOUNCE_TUI_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "keymap.h"

/* The split's bounds and step, in percent of the list views' width (side by
 * side) or height (stacked) that the list takes. */
#define CONFIG_SPLIT_MIN 15
#define CONFIG_SPLIT_MAX 85
#define CONFIG_SPLIT_STEP 5

/* What the configuration set. color: 0 auto, 1 always, 2 never. */
struct config {
	int split;
	int mouse;
	int color;
	int mono;        /* set theme = mono: attributes only, even with colours */
	char error[512]; /* the first mistake, "FILE:LINE: what", or "" */
	size_t nerrors;
};

/* Fills c with the built-in defaults (keys into km, colours into the draw
 * theme), then reads the user's file and the state file over them. */
void
config_load(struct config *c, struct keymap *km);

/* Reads one file over c; a missing file is not an error. */
void
config_load_file(struct config *c, struct keymap *km, const char *path);

/* Writes the built-in defaults, in the syntax config_load() reads. */
void
config_dump(FILE *f);

/* Remembers the split in the state file. 0, or -1 with a message in err. */
int
config_save_split(int split, char *err, size_t errsize);

/* $XDG_STATE_HOME/bounce/NAME (~/.local/state/bounce/NAME) into buf; with
 * make, its directories are made (0700). -1 when neither variable is set,
 * the path does not fit, or a directory cannot be made (errno). */
int
config_state_path(char *buf, size_t size, const char *name, int make);

#endif
