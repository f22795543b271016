/* tui.h: the terminal browser of the catalog.
 *
 * main.c calls tui_run() when bounce starts with no arguments on a capable
 * terminal, for the 'tui' command, and for --script FILE (headless: no
 * terminal is touched, keys come from FILE and screens are dumped to
 * standard output; see script.h).
 */
#ifndef BOUNCE_TUI_TUI_H
#define BOUNCE_TUI_TUI_H

#include <stdio.h>

#include "bounce/catalog.h"

enum tui_color { TUI_COLOR_AUTO, TUI_COLOR_ALWAYS, TUI_COLOR_NEVER };

struct tui_opts {
	enum tui_color color; /* AUTO: colours when the terminal has them and NO_COLOR is unset */
	int mouse;            /* non-zero: click, double-click and wheel */
	const char *script;   /* headless script file, or NULL for the terminal */
	const char *notice;   /* an error for the status line at start, or NULL */
	char **logs;          /* bounce --log FILE...: inputs of the report, or NULL */
	size_t n_logs;
};

/* Runs the browser on cat (borrowed; must be ready). Returns the exit
 * status: 0 after a normal quit, 2 when the terminal or the script cannot
 * be used (with a message on stderr), 128+N after signal N. */
int
tui_run(struct catalog *cat, const struct tui_opts *opts);

/* Prints one line per action, "KEYS<TAB>NAME<TAB>HELP", for --list-actions
 * and the KEYS section of bounce(1). */
void
tui_list_actions(FILE *f);

/* Prints the built-in configuration, in the syntax of the config file, for
 * --dump-config. */
void
tui_dump_config(FILE *f);

#endif
