/* script.h: headless input for tests: keys and commands from a file.
 *
 * One item per line:
 *	j  <Down>  <Enter>  jj<C-d>   keys, in keymap_parse_key() syntax
 *	:type TEXT                     typed text, one key per character
 *	:paste TEXT                    a bracketed paste of TEXT, with C escapes
 *	                               (\n \r \t \e \0 \\ \xHH) read as bytes
 *	:paste-repeat N TEXT           a bracketed paste of TEXT N times over
 *	:dump LABEL                    write the screen and its roles to stdout
 *	:resize COLSxROWS              resize, then the same path as KEY_RESIZE
 *	:click X Y  :dclick X Y        a click or double-click at column X, row Y
 *	:wheel up|down X Y             the mouse wheel
 *	# comment, and empty lines, are skipped
 * The end of the file quits.
 */
#ifndef BOUNCE_TUI_SCRIPT_H
#define BOUNCE_TUI_SCRIPT_H

#include <stddef.h>
#include <stdio.h>

#include "display.h"

enum script_kind {
	SCRIPT_KEY,
	SCRIPT_DUMP,
	SCRIPT_RESIZE,
	SCRIPT_MOUSE,
	SCRIPT_PASTE,
	SCRIPT_EOF,
	SCRIPT_ERROR,
};

struct script_event {
	enum script_kind kind;
	int key;                    /* SCRIPT_KEY */
	const char *label;          /* SCRIPT_DUMP; valid until the next call */
	int cols, rows;             /* SCRIPT_RESIZE */
	struct display_mouse mouse; /* SCRIPT_MOUSE */
	const char *paste;          /* SCRIPT_PASTE: bytes, valid until the next call */
	size_t paste_len;
	char error[128];            /* SCRIPT_ERROR: "FILE:LINE: what" */
};

struct script;

/* Opens a script file. Returns an owned handle (free with script_close()),
 * or NULL with a message in err. */
struct script *
script_open(const char *path, char *err, size_t errsize);

/* Reads a script from an open stream (the fuzz target reads one from
 * memory); `name` is used in messages and must outlive the handle. Takes
 * f over: script_close() closes it, and so does a failure (NULL: out of
 * memory). */
struct script *
script_open_stream(FILE *f, const char *name);

/* The next event. */
void
script_next(struct script *s, struct script_event *ev);

/* Frees the handle. Accepts NULL. */
void
script_close(struct script *s);

#endif
