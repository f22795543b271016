/* detail.c: one catalog entry in full, as the lines of the detail pane.
 *
 * The detail pane shows what 'bounce KEY' prints (cli.c) and more: every
 * related entry, the reason and the impact become links that Enter follows
 * (detail_nav.c keeps the history, like a browser).
 */
#include "detail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format.h"
#include "role.h"
#include "text.h"
#include "ui.h"

#define LABEL_W 12

struct builder {
	struct pane *p;
	int width; /* columns for the text after the label */
	struct tbuf seen; /* "\nkey\n" of every link added */
};

/* Splits sanitized text into lines at spaces, the first at most first
 * columns wide and the others width; calls out() for each. */
static void
wrap(const char *s, size_t len, int first, int width,
     void (*out)(void *, const char *, size_t), void *arg)
{
	size_t i = 0;
	int w = first;

	if (width < 8)
		width = 8;
	while (i < len) {
		size_t start = i, last_space = (size_t)-1, end;
		int col = 0;

		if (w < 8)
			w = 8;

		while (i < len && s[i] != '\n') {
			unsigned cp;
			size_t n = text_utf8_decode(s + i, len - i, &cp);
			int cw;

			if (n == 0)
				n = 1;
			cw = (int)text_width(s + i, n);
			if (col + cw > w)
				break;
			if (s[i] == ' ')
				last_space = i;
			col += cw;
			i += n;
		}
		end = i;
		if (i < len && s[i] != '\n' && last_space != (size_t)-1 && last_space > start) {
			end = last_space;
			i = last_space + 1;
		}
		out(arg, s + start, end - start);
		if (i < len && s[i] == '\n')
			i++;
		while (i < len && s[i] == ' ')
			i++;
		w = width;
	}
}

struct field_ctx {
	struct builder *b;
	const char *label;
	int first;
	enum draw_role role;
};

static void
field_line(void *arg, const char *s, size_t len)
{
	struct field_ctx *c = arg;
	struct tbuf t = { 0 };
	int lw = 0;
	struct line *l;

	if (c->first && c->label) {
		tbuf_adds(&t, c->label);
		lw = (int)text_width(c->label, strlen(c->label));
	}
	do
		tbuf_add(&t, " ", 1);
	while (++lw < LABEL_W);
	tbuf_add(&t, s, len);
	if (!t.s)
		ui_die("out of memory");
	l = pane_add(c->b->p, c->role, t.s, NULL, 0);
	l->mark = c->first && c->label ? strlen(c->label) : 0;
	c->first = 0;
	tbuf_free(&t);
}

/* "Label      text wrapped" */
static void
field(struct builder *b, const char *label, const char *text)
{
	struct tbuf t = { 0 };
	struct field_ctx c = { b, label, 1, ROLE_FIELD };
	int lw = label ? (int)text_width(label, strlen(label)) : 0;

	if (!text || !*text)
		return;
	if (!text_sanitize(text, strlen(text), 1, &t))
		ui_die("out of memory");
	/* a label wider than the column ("If transient (4xx)", "Also (RFC
	 * 3463)") pushes the first line right: that line is narrower, so no
	 * word runs past the edge of the pane; the rest wrap under the column */
	wrap(t.s, t.len, b->width - (lw + 1 > LABEL_W ? lw + 1 : LABEL_W), b->width - LABEL_W,
	     field_line, &c);
	tbuf_free(&t);
}

void
detail_add_field(struct pane *p, int width, const char *label, const char *text)
{
	struct builder b = { p, width, { 0 } };

	field(&b, label, text);
}

static const char *
nz(const char *s)
{
	return s ? s : "";
}

/* A link line, once per key. */
static void
add_link(struct builder *b, const char *key, const char *code, const char *title, const char *extra)
{
	char buf[1024];
	struct tbuf k = { 0 };
	struct line *l;

	if (!key)
		return;
	tbuf_adds(&k, "\n");
	tbuf_adds(&k, key);
	tbuf_adds(&k, "\n");
	if (!k.s)
		ui_die("out of memory");
	if (b->seen.s && strstr(b->seen.s, k.s)) {
		tbuf_free(&k);
		return;
	}
	tbuf_adds(&b->seen, k.s + (b->seen.len ? 1 : 0));
	tbuf_free(&k);
	snprintf(buf, sizeof(buf), "> %s  %s%s%s", code && *code ? code : key, nz(title),
		 extra ? "  " : "", nz(extra));
	l = pane_add(b->p, ROLE_LINK, buf, key, 0);
	l->indent = 2;
}

static void
label_line(struct builder *b, const char *text)
{
	struct line *l = pane_add(b->p, ROLE_FIELD, text, NULL, 0);

	l->mark = strlen(l->text);
}

static void
build(struct detail *d)
{
	const struct cat_entry *e;
	struct builder b = { &d->pane, d->width, { 0 } };
	char buf[1024];
	size_t i;

	pane_clear(&d->pane);
	if (!d->res || d->res->n == 0) {
		if (d->error[0])
			pane_add(&d->pane, ROLE_ERROR, d->error, NULL, 0);
		goto out;
	}
	e = &d->res->entries[0];
	{
		struct tbuf t = { 0 };
		struct field_ctx c = { &b, NULL, 1, ROLE_TITLE };
		struct line *l;
		struct fmt_heading h;
		size_t first = d->pane.n;

		fmt_entry_heading(e, FMT_PANE, &h);
		snprintf(buf, sizeof(buf), "%s%s%s  %s", h.provider_line ? nz(h.provider) : "",
			 h.provider_line ? "  " : "", h.code, h.title);
		if (!text_sanitize(buf, strlen(buf), 0, &t))
			ui_die("out of memory");
		/* the title line: wrapped without a label column */
		wrap(t.s, t.len, b.width - 7, b.width - 7, field_line, &c);
		tbuf_free(&t);
		for (i = first; i < d->pane.n; i++) {
			l = &d->pane.lines[i];
			memmove(l->text, l->text + LABEL_W, strlen(l->text + LABEL_W) + 1);
		}
		if (d->pane.n > first) {
			l = &d->pane.lines[first];
			l->badge = fmt_rating_word(h.rating);
			l->badge_role = view_entry_role(e);
		}
	}
	{
		struct fmt_fields f = { 0 };

		if (fmt_entry_fields(e, FMT_PANE, &f) != 0)
			ui_die("out of memory");
		for (i = 0; i < f.n; i++)
			field(&b, f.v[i].label, f.v[i].body);
		fmt_fields_free(&f);
	}
	/* links: related entries, then what the fields above name */
	{
		size_t n = e->n_links, first;

		pane_add(&d->pane, ROLE_TEXT, "", NULL, 0);
		first = d->pane.n;
		label_line(&b, "Related");
		for (i = 0; i < n; i++) {
			const struct cat_link *k = &e->links[i];
			char extra[512] = "";

			/* "seen as" (a provider entry that uses this code) read as
			 * a dangling label after the title: say it whole */
			if (k->why && strcmp(k->why, "seen as") == 0)
				snprintf(extra, sizeof(extra), "(%s's use of this code)",
					 k->provider ? k->provider : "a provider");
			else if (k->provider || k->why)
				snprintf(extra, sizeof(extra), "%s%s%s%s%s", k->provider ? "(" : "",
					 nz(k->provider), k->provider ? ")" : "",
					 k->provider && k->why ? " " : "", nz(k->why));
			add_link(&b, k->key, k->code, k->title, extra[0] ? extra : NULL);
		}
		if (e->registry_key)
			add_link(&b, e->registry_key, e->registry_key, e->registry_title, "(registry)");
		if (e->likely)
			add_link(&b, e->likely, e->likely, NULL, "(most likely meaning)");
		if (e->reason) {
			snprintf(buf, sizeof(buf), "reason:%s", e->reason);
			add_link(&b, buf, e->reason, e->reason_title, "(reason)");
		}
		if (e->impact) {
			snprintf(buf, sizeof(buf), "impact:%s", e->impact);
			add_link(&b, buf, e->impact, e->impact_title, "(reputation impact)");
		}
		if (e->provider && e->kind != CAT_KIND_PROVIDER) {
			snprintf(buf, sizeof(buf), "provider:%s", e->provider);
			add_link(&b, buf, e->provider, e->provider_name, "(provider)");
		}
		if (d->pane.n == first + 1) {
			d->pane.n--;
			free(d->pane.lines[d->pane.n].text);
			free(d->pane.lines[d->pane.n].key);
			d->pane.n--; /* the blank line too */
			free(d->pane.lines[d->pane.n].text);
			free(d->pane.lines[d->pane.n].key);
		}
	}
	if (d->extra && d->extra->n) {
		snprintf(buf, sizeof(buf), "Entries with this %s (%zu)",
			 e->kind == CAT_KIND_REASON ? "reason" : "impact", d->extra->n);
		pane_add(&d->pane, ROLE_TEXT, "", NULL, 0);
		label_line(&b, buf);
		for (i = 0; i < d->extra->n; i++) {
			const struct cat_entry *x = &d->extra->entries[i];

			add_link(&b, x->key, x->code, x->title, x->provider ? x->provider : NULL);
		}
	}
out:
	tbuf_free(&b.seen);
	pane_refilter(&d->pane);
}

void
detail_build(struct detail *d)
{
	build(d);
}

const char *
detail_url(const struct cat_entry *e)
{
	size_t i;

	if (e->postmaster_href && *e->postmaster_href)
		return e->postmaster_href;
	for (i = 0; i < e->n_sources; i++)
		if (e->sources[i].href && *e->sources[i].href)
			return e->sources[i].href;
	return NULL;
}

const char *
detail_title(const struct detail *d)
{
	if (d->res && d->res->n)
		return d->res->entries[0].title;
	return d->error[0] ? "(not found)" : "";
}

char *
detail_text(struct ui *ui, const struct detail *d, size_t *len)
{
	struct cli_out o;
	struct cat_error err = { 0 };
	char *buf = NULL;
	size_t n = 0;
	FILE *f;

	if (!d->res || !d->res->n)
		return NULL;
	f = open_memstream(&buf, &n);
	if (!f)
		return NULL;
	memset(&o, 0, sizeof(o));
	o.f = f;
	o.width = 78;
	o.full = 1;
	if (cli_print_lookup(&o, ui->cat, d->res, &err) != CAT_OK)
		ui_status(ui, 1, "%s", err.msg);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}
