/* config.c: the browser's configuration: built-in defaults, the user's file, the state. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "draw.h"
#include "keymap.h"

/* The options, with their default values, as the dump writes them. */
static const char defaults_head[] =
	"# bounce: the built-in configuration (bounce --dump-config).\n"
	"# $XDG_CONFIG_HOME/bounce/config (~/.config/bounce/config) in the same\n"
	"# syntax changes any of it; $XDG_STATE_HOME/bounce/state is read last and\n"
	"# holds what the browser remembers (the split that < and > move).\n"
	"\n"
	"# set NAME = VALUE\n"
	"set split = 40\t\t# percent of the width (side by side) or height the list takes\n"
	"set mouse = yes\t\t# yes or no (--no-mouse)\n"
	"set color = auto\t# auto, always or never (--color)\n"
	"set theme = default\t# default, light (a light background) or mono (no colours)\n"
	"\n"
	"# color ROLE FG BG [ATTR...]: colours are default, black, red, green, yellow,\n"
	"# blue, magenta, cyan, white or 0-255; attributes normal, bold, dim,\n"
	"# underline, reverse, standout, blink\n";

/* The light theme: the default one's colours that are hard to read on a
 * light background (yellow, cyan, white text) replaced. */
static const char theme_light[] = "color tab-active   white    black    bold\n"
				  "color pane-focus   white    blue     bold\n"
				  "color header       blue     default  bold underline\n"
				  "color soft         black    yellow   normal\n"
				  "color info         blue     default  normal\n"
				  "color field        blue     default  bold\n"
				  "color match        black    cyan     normal\n"
				  "color border       black    default  normal\n"
				  "color notice       magenta  default  bold\n";

/* The default colours, as text, captured before any file changed them. */
static char *default_colors;

struct parse {
	struct config *c;
	struct keymap *km;
	const char *name;
	size_t line;
};

static void
fail(struct parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
fail(struct parse *p, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->c->nerrors++ == 0)
		snprintf(p->c->error, sizeof(p->c->error), "%s:%zu: %s", p->name, p->line, msg);
}

static void parse_text(struct parse *p, const char *text);

static int
yes_no(const char *v)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on") || !strcmp(v, "1"))
		return 1;
	if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off") || !strcmp(v, "0"))
		return 0;
	return -1;
}

static void
set_option(struct parse *p, const char *name, const char *v)
{
	if (strcmp(name, "split") == 0) {
		char *end;
		long n = strtol(v, &end, 10);

		if (end == v || *end || n < CONFIG_SPLIT_MIN || n > CONFIG_SPLIT_MAX)
			fail(p, "split must be a number from %d to %d", CONFIG_SPLIT_MIN,
			     CONFIG_SPLIT_MAX);
		else
			p->c->split = (int)n;
	} else if (strcmp(name, "mouse") == 0) {
		if (yes_no(v) < 0)
			fail(p, "mouse must be yes or no");
		else
			p->c->mouse = yes_no(v);
	} else if (strcmp(name, "color") == 0) {
		if (!strcmp(v, "auto"))
			p->c->color = 0;
		else if (!strcmp(v, "always"))
			p->c->color = 1;
		else if (!strcmp(v, "never"))
			p->c->color = 2;
		else
			fail(p, "color must be auto, always or never");
	} else if (strcmp(name, "theme") == 0) {
		struct parse sub = *p;

		if (strcmp(v, "default") && strcmp(v, "light") && strcmp(v, "mono")) {
			fail(p, "theme must be default, light or mono");
			return;
		}
		/* a theme is colour lines over the default ones */
		sub.name = "(built-in theme)";
		if (default_colors)
			parse_text(&sub, default_colors);
		if (!strcmp(v, "light"))
			parse_text(&sub, theme_light);
		p->c->mono = strcmp(v, "mono") == 0;
	} else {
		fail(p, "unknown option '%s' (split, mouse, color, theme)", name);
	}
}

/* One line, cut into words (at most 32); a word that starts with '#' starts
 * a comment. */
static void
parse_line(struct parse *p, char *s)
{
	char *w[32];
	size_t n = 0;

	for (s = strtok(s, " \t\r"); s && n < 32 && *s != '#'; s = strtok(NULL, " \t\r"))
		w[n++] = s;
	if (n == 0)
		return;
	if (strcmp(w[0], "set") == 0) {
		if (n == 4 && strcmp(w[2], "=") == 0)
			set_option(p, w[1], w[3]);
		else
			fail(p, "expected 'set NAME = VALUE'");
	} else if (strcmp(w[0], "color") == 0) {
		char err[256];

		if (n < 4)
			fail(p, "expected 'color ROLE FG BG [ATTR...]'");
		else if (draw_theme_set(w[1], w[2], w[3], w + 4, n - 4, err, sizeof(err)))
			fail(p, "%s", err);
	} else if (strcmp(w[0], "bind") == 0) {
		char line[256] = "", err[256];
		size_t i;

		if (n < 3) {
			fail(p, "expected 'bind KEY... ACTION'");
			return;
		}
		for (i = 1; i < n; i++) {
			if (strlen(line) + strlen(w[i]) + 2 >= sizeof(line))
				break;
			strcat(line, w[i]);
			strcat(line, i + 1 < n ? " " : "");
		}
		if (keymap_load(p->km, line, err, sizeof(err)))
			fail(p, "%s", err);
	} else {
		fail(p, "unknown command '%s' (set, color, bind)", w[0]);
	}
}

static void
parse_text(struct parse *p, const char *text)
{
	const char *s = text;
	size_t line0 = p->line;

	p->line = 0;
	while (*s) {
		size_t len = strcspn(s, "\n");
		char *copy = strndup(s, len);

		p->line++;
		if (!copy) {
			fail(p, "out of memory");
			break;
		}
		parse_line(p, copy);
		free(copy);
		s += len;
		if (*s == '\n')
			s++;
	}
	p->line = line0;
}

/* The bindings of every global action, from the action table. */
static void
dump_binds(FILE *f)
{
	int a;

	fputs("\n# bind KEY... ACTION: keys as in <Enter>, <C-o>, <PageDown>, <lt> (the key <),\n"
	      "# j; actions as bounce --list-actions names them. The keys of a view's own\n"
	      "# actions are shown commented out: they are bound in that view.\n",
	      f);
	for (a = ACT_NONE + 1; a < ACT_COUNT; a++)
		fprintf(f, "%sbind %-28s %s\n", keymap_action_flags(a) & KEYMAP_VIEW ? "# " : "",
			keymap_action_keys(a), keymap_action_name(a));
}

static char *
dump_to_string(void (*what)(FILE *))
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	if (!f)
		return NULL;
	what(f);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

void
config_dump(FILE *f)
{
	fputs(defaults_head, f);
	if (default_colors)
		fputs(default_colors, f);
	else
		draw_theme_dump(f);
	dump_binds(f);
}

void
config_load_file(struct config *c, struct keymap *km, const char *path)
{
	struct parse p = { c, km, path, 0 };
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0;
	ssize_t got;

	if (!f) {
		if (errno != ENOENT)
			fail(&p, "%s", strerror(errno));
		return;
	}
	while ((got = getline(&buf, &n, f)) >= 0) {
		p.line++;
		if (got > 0 && buf[got - 1] == '\n')
			buf[got - 1] = '\0';
		parse_line(&p, buf);
	}
	if (ferror(f))
		fail(&p, "%s", strerror(errno));
	free(buf);
	fclose(f);
}

/* $VAR/bounce/NAME, or $HOME/DFLT/bounce/NAME; 0, or -1 when neither is set. */
static int
xdg_path(char *buf, size_t size, const char *var, const char *dflt, const char *name)
{
	const char *dir = getenv(var), *home = getenv("HOME");
	int n;

	if (dir && *dir)
		n = snprintf(buf, size, "%s/bounce/%s", dir, name);
	else if (home && *home)
		n = snprintf(buf, size, "%s/%s/bounce/%s", home, dflt, name);
	else
		return -1;
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

void
config_load(struct config *c, struct keymap *km)
{
	struct parse p = { c, km, "(built-in)", 0 };
	char path[4096], *text;

	memset(c, 0, sizeof(*c));
	c->split = 40;
	c->mouse = 1;
	if (!default_colors)
		default_colors = dump_to_string(draw_theme_dump);
	text = dump_to_string(config_dump);
	if (!text) {
		fail(&p, "out of memory");
		return;
	}
	parse_text(&p, text);
	free(text);
	if (xdg_path(path, sizeof(path), "XDG_CONFIG_HOME", ".config", "config") == 0)
		config_load_file(c, km, path);
	if (xdg_path(path, sizeof(path), "XDG_STATE_HOME", ".local/state", "state") == 0)
		config_load_file(c, km, path);
}

/* mkdir -p of the directories above path. */
static int
make_parents(char *path)
{
	char *s;

	for (s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			*s = '/';
			return -1;
		}
		*s = '/';
	}
	return 0;
}

int
config_state_path(char *buf, size_t size, const char *name, int make)
{
	if (xdg_path(buf, size, "XDG_STATE_HOME", ".local/state", name))
		return -1;
	return make ? make_parents(buf) : 0;
}

int
config_save_split(int split, char *err, size_t errsize)
{
	char path[4096], tmp[4200];
	FILE *f;

	if (xdg_path(path, sizeof(path), "XDG_STATE_HOME", ".local/state", "state")) {
		snprintf(err, errsize, "neither XDG_STATE_HOME nor HOME is set");
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (make_parents(path) != 0 || !(f = fopen(tmp, "w"))) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return -1;
	}
	fprintf(f, "# written by bounce: what the browser remembers (< and > move the split)\n"
		   "set split = %d\n",
		split);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
