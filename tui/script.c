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
	char *paste;    /* the last :paste, owned */
};

static void
fail(struct script *s, struct script_event *ev, const char *what);

enum { PASTE_REPEAT_MAX = 16 * 1024 * 1024 };

static int
hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads the C escapes of s into bytes at out (never longer than s).
 * Returns the length, or -1 on a bad escape. */
static long
unescape(const char *s, char *out)
{
	long n = 0;

	while (*s) {
		if (*s != '\\') {
			out[n++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n':
			out[n++] = '\n';
			break;
		case 'r':
			out[n++] = '\r';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case 'e':
			out[n++] = 27;
			break;
		case '0':
			out[n++] = 0;
			break;
		case '\\':
			out[n++] = '\\';
			break;
		case 'x':
			if (hex(s[1]) < 0 || hex(s[2]) < 0)
				return -1;
			out[n++] = (char)(hex(s[1]) * 16 + hex(s[2]));
			s += 2;
			break;
		default:
			return -1;
		}
		s++;
	}
	return n;
}

/* :paste TEXT, or :paste-repeat N TEXT: the bytes, repeated. */
static void
paste_event(struct script *s, struct script_event *ev, const char *text, unsigned long times)
{
	size_t len = strlen(text), i;
	long n;
	char *one = malloc(len + 1), *all;

	if (!one) {
		fail(s, ev, "out of memory");
		return;
	}
	n = unescape(text, one);
	/* the bound is checked by division: n * times may not fit in size_t */
	if (n < 0 || times == 0 || (n > 0 && times > PASTE_REPEAT_MAX / (size_t)n)) {
		free(one);
		fail(s, ev, n < 0 ? "bad escape in :paste (\\n \\r \\t \\e \\0 \\\\ \\xHH)"
				  : "bad :paste-repeat count");
		return;
	}
	all = malloc((size_t)n * times + 1);
	if (!all) {
		free(one);
		fail(s, ev, "out of memory");
		return;
	}
	for (i = 0; i < times; i++)
		memcpy(all + i * (size_t)n, one, (size_t)n);
	free(one);
	free(s->paste);
	s->paste = all;
	ev->kind = SCRIPT_PASTE;
	ev->paste = all;
	ev->paste_len = (size_t)n * times;
}

struct script *
script_open(const char *path, char *err, size_t errsize)
{
	FILE *f = fopen(path, "r");
	struct script *s;

	if (!f) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return NULL;
	}
	s = script_open_stream(f, path);
	if (!s)
		snprintf(err, errsize, "out of memory");
	return s;
}

struct script *
script_open_stream(FILE *f, const char *name)
{
	struct script *s = calloc(1, sizeof(*s));

	if (!s) {
		fclose(f);
		return NULL;
	}
	s->f = f;
	s->path = name;
	return s;
}

void
script_close(struct script *s)
{
	if (!s)
		return;
	fclose(s->f);
	free(s->line);
	free(s->paste);
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
		if (strncmp(l, ":paste ", 7) == 0) {
			paste_event(s, ev, l + 7, 1);
			return;
		}
		if (strncmp(l, ":paste-repeat ", 14) == 0) {
			char *end;
			unsigned long times;

			/* strtoul() takes "-1" as ULONG_MAX and saturates on
			 * overflow: only digits, and no ERANGE */
			errno = 0;
			times = strtoul(l + 14, &end, 10);
			if (l[14] < '0' || l[14] > '9' || end == l + 14 || *end != ' ' || errno == ERANGE) {
				fail(s, ev, "bad :paste-repeat, want N TEXT");
				return;
			}
			paste_event(s, ev, end + 1, times);
			return;
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
