/* script.c: reading test scripts for headless runs. */
#include "script.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"

struct script {
	FILE *f;
	const char *path;
	char *line;     /* current line, owned */
	size_t cap;
	const char *at; /* next key in a key or :type line, or NULL */
	long lineno;
	int typing;     /* `at` is :type text: every character is itself */
};

struct script *
script_open(const char *path, char *err, size_t errsize)
{
	struct script *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	s->f = fopen(path, "r");
	if (!s->f) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		free(s);
		return NULL;
	}
	s->path = path;
	return s;
}

void
script_close(struct script *s)
{
	if (!s)
		return;
	fclose(s->f);
	free(s->line);
	free(s);
}

static void
fail(struct script *s, struct script_event *ev, const char *what)
{
	ev->kind = SCRIPT_ERROR;
	snprintf(ev->error, sizeof(ev->error), "%s:%ld: %s", s->path, s->lineno, what);
}

static int
mouse(const char *args, struct script_event *ev, enum display_mouse_kind kind)
{
	ev->kind = SCRIPT_MOUSE;
	ev->mouse.kind = kind;
	return sscanf(args, "%d %d", &ev->mouse.x, &ev->mouse.y) == 2 ? 0 : -1;
}

void
script_next(struct script *s, struct script_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	for (;;) {
		ssize_t n;
		char *l;

		if (s->at && *s->at) {
			size_t used;

			if (s->typing) {
				unsigned char c = (unsigned char)*s->at;

				/* pasted text: '<' is itself, not a key name */
				if (c == '<') {
					ev->kind = SCRIPT_KEY;
					ev->key = '<';
					s->at++;
					return;
				}
			}
			used = keymap_parse_key(s->at, &ev->key);
			if (used == 0) {
				fail(s, ev, "invalid UTF-8 in a key line");
				s->at = NULL;
				return;
			}
			s->at += used;
			ev->kind = SCRIPT_KEY;
			return;
		}
		s->at = NULL;
		s->typing = 0;
		n = getline(&s->line, &s->cap, s->f);
		if (n < 0) {
			ev->kind = SCRIPT_EOF;
			return;
		}
		s->lineno++;
		l = s->line;
		if (n > 0 && l[n - 1] == '\n')
			l[--n] = '\0';
		if (l[0] == '\0' || l[0] == '#')
			continue;
		if (l[0] != ':') {
			s->at = l;
			continue;
		}
		if (strncmp(l, ":type ", 6) == 0) {
			s->at = l + 6;
			s->typing = 1;
			continue;
		}
		if (strncmp(l, ":dump", 5) == 0 && (l[5] == '\0' || l[5] == ' ')) {
			ev->kind = SCRIPT_DUMP;
			ev->label = l[5] ? l + 6 : "";
			return;
		}
		if (strncmp(l, ":resize ", 8) == 0) {
			ev->kind = SCRIPT_RESIZE;
			if (sscanf(l + 8, "%dx%d", &ev->cols, &ev->rows) != 2 || ev->cols < 1 ||
			    ev->rows < 1 || ev->cols > 1000 || ev->rows > 1000)
				fail(s, ev, "bad :resize, want COLSxROWS");
			return;
		}
		if (strncmp(l, ":click ", 7) == 0) {
			if (mouse(l + 7, ev, DISPLAY_CLICK))
				fail(s, ev, "bad :click, want X Y");
			return;
		}
		if (strncmp(l, ":dclick ", 8) == 0) {
			if (mouse(l + 8, ev, DISPLAY_DOUBLE_CLICK))
				fail(s, ev, "bad :dclick, want X Y");
			return;
		}
		if (strncmp(l, ":wheel up ", 10) == 0) {
			if (mouse(l + 10, ev, DISPLAY_WHEEL_UP))
				fail(s, ev, "bad :wheel, want up|down X Y");
			return;
		}
		if (strncmp(l, ":wheel down ", 12) == 0) {
			if (mouse(l + 12, ev, DISPLAY_WHEEL_DOWN))
				fail(s, ev, "bad :wheel, want up|down X Y");
			return;
		}
		fail(s, ev, "unknown command");
		return;
	}
}
