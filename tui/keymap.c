/* keymap.c: the action table, key names and keymaps. */
#include "keymap.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

struct action_info {
	const char *name;
	const char *keys;
	const char *help;
	int flags;
};

static const struct action_info actions[ACT_COUNT] = {
	[ACT_NONE] = { "", "", "", 0 },
#define KEYMAP_INFO(id, name, keys, help, flags) [id] = { name, keys, help, flags },
	KEYMAP_ACTIONS(KEYMAP_INFO)
#undef KEYMAP_INFO
};

/* Named keys, in the order keymap_key_name() prefers. */
struct key_name {
	const char *name;
	int key;
};

static const struct key_name key_names[] = {
	{ "Enter", '\n' },
	{ "Return", '\n' },
	{ "Esc", 27 },
	{ "Escape", 27 },
	{ "Tab", '\t' },
	{ "S-Tab", KEYMAP_FN + KEY_BTAB },
	{ "Backspace", KEYMAP_FN + KEY_BACKSPACE },
	{ "BS", KEYMAP_FN + KEY_BACKSPACE },
	{ "Space", ' ' },
	{ "lt", '<' },
	{ "Up", KEYMAP_FN + KEY_UP },
	{ "Down", KEYMAP_FN + KEY_DOWN },
	{ "Left", KEYMAP_FN + KEY_LEFT },
	{ "Right", KEYMAP_FN + KEY_RIGHT },
	{ "PageUp", KEYMAP_FN + KEY_PPAGE },
	{ "PageDown", KEYMAP_FN + KEY_NPAGE },
	{ "Home", KEYMAP_FN + KEY_HOME },
	{ "End", KEYMAP_FN + KEY_END },
	{ "Insert", KEYMAP_FN + KEY_IC },
	{ "Delete", KEYMAP_FN + KEY_DC },
	{ "Resize", KEYMAP_FN + KEY_RESIZE },
};

const char *
keymap_action_name(enum keymap_action a)
{
	return (unsigned)a < ACT_COUNT ? actions[a].name : "";
}

const char *
keymap_action_keys(enum keymap_action a)
{
	return (unsigned)a < ACT_COUNT ? actions[a].keys : "";
}

const char *
keymap_action_help(enum keymap_action a)
{
	return (unsigned)a < ACT_COUNT ? actions[a].help : "";
}

int
keymap_action_flags(enum keymap_action a)
{
	return (unsigned)a < ACT_COUNT ? actions[a].flags : 0;
}

enum keymap_action
keymap_action_by_name(const char *name)
{
	int a;

	for (a = ACT_NONE + 1; a < ACT_COUNT; a++)
		if (strcmp(actions[a].name, name) == 0)
			return (enum keymap_action)a;
	return ACT_NONE;
}

int
keymap_normalize(int key)
{
	switch (key) {
	case '\r':
	case KEYMAP_FN + KEY_ENTER:
		return '\n';
	case 8:
	case 127:
		return KEYMAP_FN + KEY_BACKSPACE;
	default:
		return key;
	}
}

/* Parses the NAME of <NAME> (len bytes); -1 if unknown. */
static int
parse_name(const char *s, size_t len)
{
	size_t i;
	char buf[16];

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (strcmp(key_names[i].name, buf) == 0)
			return key_names[i].key;
	if (len == 3 && buf[0] == 'C' && buf[1] == '-') {
		char c = buf[2];

		if (c >= 'a' && c <= 'z')
			return c - 'a' + 1;
		if (c >= 'A' && c <= 'Z')
			return c - 'A' + 1;
	}
	if ((len == 2 || len == 3) && buf[0] == 'F' && buf[1] >= '1' && buf[1] <= '9') {
		int n = atoi(buf + 1);

		if (n >= 1 && n <= 12)
			return KEYMAP_FN + KEY_F(n);
	}
	return -1;
}

size_t
keymap_parse_key(const char *s, int *key)
{
	unsigned cp;
	size_t n;

	if (!s || !*s)
		return 0;
	if (s[0] == '<') {
		const char *end = strchr(s + 1, '>');

		if (end) {
			int k = parse_name(s + 1, (size_t)(end - s - 1));

			if (k >= 0) {
				*key = keymap_normalize(k);
				return (size_t)(end - s) + 1;
			}
		}
		*key = '<';
		return 1;
	}
	n = text_utf8_decode(s, strlen(s), &cp);
	if (n == 0)
		return 0;
	*key = keymap_normalize((int)cp);
	return n;
}

const char *
keymap_key_name(int key, char *buf, size_t size)
{
	size_t i;

	if (size == 0)
		return buf;
	for (i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (key_names[i].key == key) {
			snprintf(buf, size, "<%s>", key_names[i].name);
			return buf;
		}
	if (key >= 1 && key <= 26) {
		snprintf(buf, size, "<C-%c>", 'a' + key - 1);
	} else if (key >= KEYMAP_FN + KEY_F(1) && key <= KEYMAP_FN + KEY_F(12)) {
		snprintf(buf, size, "<F%d>", key - KEYMAP_FN - KEY_F(0));
	} else if (key >= 0x20 && key < 0x7f) {
		snprintf(buf, size, "%c", key);
	} else if (key > 0x7f && key < 0x110000 && !(key >= 0x80 && key < 0xa0)) {
		unsigned cp = (unsigned)key;
		char u[5] = { 0 };

		/* UTF-8 by hand: the locale may not be UTF-8 */
		if (cp < 0x800) {
			u[0] = (char)(0xc0 | (cp >> 6));
			u[1] = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			u[0] = (char)(0xe0 | (cp >> 12));
			u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
			u[2] = (char)(0x80 | (cp & 0x3f));
		} else {
			u[0] = (char)(0xf0 | (cp >> 18));
			u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
			u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
			u[3] = (char)(0x80 | (cp & 0x3f));
		}
		snprintf(buf, size, "%s", u);
	} else {
		snprintf(buf, size, "<0x%x>", (unsigned)key);
	}
	return buf;
}

static int
bind(struct keymap *km, int key, enum keymap_action a)
{
	size_t i;

	for (i = 0; i < km->n; i++)
		if (km->e[i].key == key) {
			km->e[i].action = a;
			return 0;
		}
	if (km->n == km->cap) {
		size_t cap = km->cap ? km->cap * 2 : 64;
		struct keymap_entry *p = realloc(km->e, cap * sizeof(*p));

		if (!p)
			return -1;
		km->e = p;
		km->cap = cap;
	}
	km->e[km->n].key = key;
	km->e[km->n].action = a;
	km->n++;
	return 0;
}

/* One line "KEY... ACTION": the last word is the action. */
static int
load_line(struct keymap *km, const char *line, size_t len, char *err, size_t errsize)
{
	char buf[256];
	char *words[32];
	size_t nw = 0, i;
	enum keymap_action a;
	char *p;

	if (len >= sizeof(buf)) {
		snprintf(err, errsize, "keymap line too long");
		return -1;
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	for (p = strtok(buf, " \t"); p && nw < 32; p = strtok(NULL, " \t"))
		words[nw++] = p;
	if (nw == 0 || words[0][0] == '#')
		return 0;
	if (nw < 2) {
		snprintf(err, errsize, "keymap line '%s' has no key", words[0]);
		return -1;
	}
	a = keymap_action_by_name(words[nw - 1]);
	if (a == ACT_NONE) {
		snprintf(err, errsize, "unknown action '%s'", words[nw - 1]);
		return -1;
	}
	for (i = 0; i + 1 < nw; i++) {
		int key;
		size_t n = keymap_parse_key(words[i], &key);

		if (n == 0 || words[i][n] != '\0') {
			snprintf(err, errsize, "bad key name '%s'", words[i]);
			return -1;
		}
		if (bind(km, key, a)) {
			snprintf(err, errsize, "out of memory");
			return -1;
		}
	}
	return 0;
}

int
keymap_load(struct keymap *km, const char *text, char *err, size_t errsize)
{
	const char *s = text, *nl;

	while (s && *s) {
		nl = strchr(s, '\n');
		if (load_line(km, s, nl ? (size_t)(nl - s) : strlen(s), err, errsize))
			return -1;
		s = nl ? nl + 1 : NULL;
	}
	return 0;
}

int
keymap_load_defaults(struct keymap *km, char *err, size_t errsize)
{
	char line[256];
	int a;

	for (a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		if (actions[a].flags & KEYMAP_VIEW)
			continue;
		snprintf(line, sizeof(line), "%s %s", actions[a].keys, actions[a].name);
		if (keymap_load(km, line, err, errsize))
			return -1;
	}
	return 0;
}

enum keymap_action
keymap_lookup(const struct keymap *km, int key)
{
	size_t i;

	for (i = 0; km && i < km->n; i++)
		if (km->e[i].key == key)
			return km->e[i].action;
	return ACT_NONE;
}

void
keymap_free(struct keymap *km)
{
	free(km->e);
	km->e = NULL;
	km->n = km->cap = 0;
}

void
keymap_print_actions(FILE *f)
{
	int a;

	for (a = ACT_NONE + 1; a < ACT_COUNT; a++)
		fprintf(f, "%s\t%s\t%s\n", actions[a].keys, actions[a].name, actions[a].help);
}
