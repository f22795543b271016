/* view_analyze.c: the analyzer: a bounce pasted or typed, and what it means.
 *
 * The input is a small editor of bytes: a paste may hold anything (NUL,
 * escape sequences, bidi controls, invalid UTF-8), so it is kept as it came
 * and shown only through the sanitizer, wrapped, with the evidence of every
 * diagnosis highlighted. The diagnoses are shown below the input (beside it
 * on wide terminals) as 'bounce explain' prints them, the matched catalog
 * entries as links that open in the catalog views. Nothing of the input is
 * ever written anywhere but the editor's temporary file, which is removed.
 */
#include "view.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bounce/catalog.h"
#include "cli.h"
#include "detail.h"
#include "display.h"
#include "draw.h"
#include "format.h"
#include "keymap.h"
#include "pane.h"
#include "role.h"
#include "text.h"
#include "ui.h"

/* The largest input: the analyzer's own default limit. */
#define INPUT_MAX (1024 * 1024)
/* From this width the input and the diagnosis are side by side. */
#define SIDE_COLS 120

enum an_focus { AN_INPUT, AN_DIAG };

struct analyze {
	struct tbuf in; /* the input, bytes as typed or pasted */
	struct cat_analyzer *analyzer;
	struct cat_analysis *res;
	char error[256]; /* why there is no analysis */
	enum an_focus focus;
	int dirty;       /* the input changed since the last analysis */
	/* the wrapped input: one line per row, its spans of evidence */
	struct pane rows;
	int rows_width;
	int rows_dirty;
	size_t *row_src;   /* input offset of each row's first character */
	size_t *row_span;  /* first span of each row in spans[] (n + 1 of them) */
	struct draw_span *spans;
	size_t nspans, capspans, caprows;
	size_t in_top;
	int follow_end;    /* the input view follows the end (typing) */
	int end_col;       /* column after the last character */
	/* the diagnoses */
	struct pane diag;
	int diag_width;
	int dirty_diag;     /* rebuilt for a new analysis, not a new width */
	size_t *diag_first; /* first line of each diagnosis */
	size_t ndiag;
	/* layout of the last frame */
	int in_y, in_x, in_h, in_w, d_y, d_x, d_h, d_w;
	struct keymap km_input, km_diag;
};

/* Keys of the input, then of the diagnosis, before the global keymap.
 * Characters, Enter and Backspace are the editor's. */
static const char keys_input[] = "<Tab> <S-Tab> switch-pane\n"
				 "<Esc> close\n"
				 "<C-d> analyze-input\n"
				 "<C-e> edit-input\n"
				 "<C-u> clear-input\n"
				 "<C-c> quit\n"
				 "<C-l> redraw\n"
				 "<F1> help\n"
				 "<Up> move-up\n"
				 "<Down> move-down\n"
				 "<PageUp> page-up\n"
				 "<PageDown> page-down\n";
static const char keys_diag[] = "e <C-e> edit-input\n";

static int
analyze_open(struct ui *ui, struct view *v)
{
	struct analyze *an = v->priv;
	char err[256];

	(void)ui;
	if (keymap_load(&an->km_input, keys_input, err, sizeof(err)) ||
	    keymap_load(&an->km_diag, keys_diag, err, sizeof(err)))
		ui_die(err);
	an->diag_width = -1;
	an->rows_width = -1;
	an->follow_end = 1;
	return 0;
}

static void
analyze_close(struct view *v)
{
	struct analyze *an = v->priv;

	tbuf_free(&an->in);
	cat_analysis_free(an->res);
	cat_analyzer_free(an->analyzer);
	pane_free(&an->rows);
	pane_free(&an->diag);
	free(an->row_src);
	free(an->row_span);
	free(an->spans);
	free(an->diag_first);
	keymap_free(&an->km_input);
	keymap_free(&an->km_diag);
}

static void
changed(struct analyze *an)
{
	an->dirty = 1;
	an->rows_dirty = 1;
	an->follow_end = 1;
}

/* On screen again: an empty input is where typing goes. */
static void
analyze_show(struct ui *ui, struct view *v)
{
	struct analyze *an = v->priv;

	(void)ui;
	if (an->in.len == 0)
		an->focus = AN_INPUT;
}

/* Leaves the screen: a request closes it. */
static void
hide(struct view_req *req)
{
	req->kind = VIEW_REQ_CLOSE;
	display_cursor(-1, 0);
}

/* ---------------------------------------------------------------- analysis */

static void
run(struct ui *ui, struct analyze *an)
{
	struct cat_error err = { 0 };

	an->dirty = 0;
	an->error[0] = '\0';
	an->diag_width = -1; /* rebuild */
	an->dirty_diag = 1;
	an->rows_dirty = 1;
	if (an->in.len == 0)
		return;
	if (!an->analyzer && cat_analyzer_new(ui->cat, &an->analyzer, &err) != CAT_OK) {
		snprintf(an->error, sizeof(an->error), "the analyzer cannot start: %.200s", err.msg);
		return;
	}
	if (cat_analyze(an->analyzer, an->in.s, an->in.len, &an->res, &err) != CAT_OK) {
		snprintf(an->error, sizeof(an->error), "%.250s", err.msg);
		cat_analysis_free(an->res);
		an->res = NULL;
	}
}

static int
have_result(const struct analyze *an)
{
	return an->in.len && !an->error[0] && an->res && an->res->n;
}

/* ---------------------------------------------------------------- the input */

static void
add_span(struct analyze *an, size_t start, size_t end)
{
	if (an->nspans == an->capspans) {
		size_t cap = an->capspans ? an->capspans * 2 : 64;
		struct draw_span *p = realloc(an->spans, cap * sizeof(*p));

		if (!p)
			ui_die("out of memory");
		an->spans = p;
		an->capspans = cap;
	}
	an->spans[an->nspans].start = start;
	an->spans[an->nspans].end = end;
	an->spans[an->nspans].role = ROLE_MATCH;
	an->nspans++;
}

/* One row: shown[start, end) of a logical line whose bytes come from the
 * input offsets src[] and are evidence where ev[] is set. */
static void
add_row(struct analyze *an, const char *shown, const uint32_t *src, const unsigned char *ev,
	size_t start, size_t end, size_t line_src)
{
	size_t n = an->rows.n, i;
	struct tbuf t = { 0 };

	if (n + 2 > an->caprows) {
		size_t cap = an->caprows ? an->caprows * 2 : 64;
		size_t *a = realloc(an->row_src, cap * sizeof(*a)), *b;

		if (!a)
			ui_die("out of memory");
		an->row_src = a;
		b = realloc(an->row_span, cap * sizeof(*b));
		if (!b)
			ui_die("out of memory");
		an->row_span = b;
		an->caprows = cap;
	}
	if (!tbuf_add(&t, shown + start, end - start))
		ui_die("out of memory");
	pane_add(&an->rows, ROLE_TEXT, t.s, NULL, 0);
	tbuf_free(&t);
	an->row_src[n] = start < end ? line_src + src[start] : line_src;
	an->row_span[n] = an->nspans;
	for (i = start; i < end; i++) {
		size_t j;

		if (!ev[i])
			continue;
		for (j = i; j < end && ev[j]; j++)
			;
		add_span(an, i - start, j - start);
		i = j;
	}
	an->row_span[n + 1] = an->nspans;
}

struct linebuf {
	struct tbuf shown;   /* the sanitized line */
	uint32_t *src;       /* per shown byte: offset in the line */
	unsigned char *ev;   /* per shown byte: inside evidence */
	size_t cap;
};

/* Wraps one logical line (input[from, to), no newline) into rows. */
static void
wrap_line(struct analyze *an, struct linebuf *lb, const unsigned char *evmap, size_t from,
	  size_t to, int width)
{
	const char *s = an->in.s;
	size_t i = from, start, len;

	tbuf_reset(&lb->shown);
	while (i < to) {
		unsigned cp;
		size_t n = text_utf8_decode(s + i, to - i, &cp), before = lb->shown.len, k;

		if (n == 0)
			n = 1;
		if (!text_sanitize(s + i, n, 0, &lb->shown))
			ui_die("out of memory");
		if (lb->shown.len > lb->cap) {
			size_t cap = lb->cap ? lb->cap : 256;
			uint32_t *a;
			unsigned char *b;

			while (cap < lb->shown.len)
				cap *= 2;
			a = realloc(lb->src, cap * sizeof(*a));
			if (!a)
				ui_die("out of memory");
			lb->src = a;
			b = realloc(lb->ev, cap);
			if (!b)
				ui_die("out of memory");
			lb->ev = b;
			lb->cap = cap;
		}
		for (k = before; k < lb->shown.len; k++) {
			lb->src[k] = (uint32_t)(i - from);
			lb->ev[k] = evmap ? evmap[i] : 0;
		}
		i += n;
	}
	len = lb->shown.len;
	if (len == 0) {
		add_row(an, "", NULL, NULL, 0, 0, from);
		an->end_col = 0;
		return;
	}
	/* at spaces where it can, else anywhere: a log line has long words */
	start = 0;
	while (start < len) {
		size_t j = start, last_space = (size_t)-1, end;
		int col = 0;

		while (j < len) {
			unsigned cp;
			size_t n = text_utf8_decode(lb->shown.s + j, len - j, &cp);
			int cw;

			if (n == 0)
				n = 1;
			cw = (int)text_width(lb->shown.s + j, n);
			if (col + cw > width)
				break;
			if (lb->shown.s[j] == ' ')
				last_space = j;
			col += cw;
			j += n;
		}
		end = j;
		if (j < len && last_space != (size_t)-1 && last_space > start) {
			end = last_space + 1; /* the space stays on the row */
			col = (int)text_width(lb->shown.s + start, end - start);
		}
		add_row(an, lb->shown.s, lb->src, lb->ev, start, end, from);
		an->end_col = col;
		start = end;
	}
	if (to == an->in.len && an->end_col >= width) {
		/* the cursor goes to the next row */
		add_row(an, "", NULL, NULL, 0, 0, to);
		an->end_col = 0;
	}
}

static void
build_rows(struct analyze *an, int width)
{
	struct linebuf lb = { { 0 }, NULL, NULL, 0 };
	unsigned char *evmap = NULL;
	size_t i, from = 0;

	if (width < 8)
		width = 8;
	pane_clear(&an->rows);
	an->nspans = 0;
	an->rows_width = width;
	an->rows_dirty = 0;
	/* a decoded message's evidence indexes its decoded copy, not these
	 * bytes: nothing is highlighted then */
	if (have_result(an) && !an->res->decoded) {
		size_t k, e;

		evmap = calloc(an->in.len ? an->in.len : 1, 1);
		if (!evmap)
			ui_die("out of memory");
		for (k = 0; k < an->res->n; k++)
			for (e = 0; e < an->res->d[k].n_evidence; e++) {
				const struct cat_span *sp = &an->res->d[k].evidence[e];

				if (sp->start < sp->end && sp->end <= an->in.len)
					memset(evmap + sp->start, 1, sp->end - sp->start);
			}
	}
	for (i = 0; i <= an->in.len; i++)
		if (i == an->in.len || an->in.s[i] == '\n') {
			wrap_line(an, &lb, evmap, from, i, width);
			from = i + 1;
		}
	if (an->rows.n == 0)
		add_row(an, "", NULL, NULL, 0, 0, 0);
	pane_refilter(&an->rows);
	free(evmap);
	free(lb.src);
	free(lb.ev);
	tbuf_free(&lb.shown);
}

/* ---------------------------------------------------------------- editing */

static int
room_for(struct ui *ui, size_t base, size_t more)
{
	if (base + more <= INPUT_MAX)
		return 1;
	ui_status(ui, 1, "refused: %zu bytes is more than the 1 MiB the input holds", base + more);
	return 0;
}

static void
add_bytes(struct ui *ui, struct analyze *an, const char *s, size_t len)
{
	if (!room_for(ui, an->in.len, len))
		return;
	if (!tbuf_add(&an->in, s, len))
		ui_die("out of memory");
	changed(an);
}

static void
type_cp(struct ui *ui, struct analyze *an, unsigned cp)
{
	char u[4];
	size_t n = text_utf8_encode(cp, u);

	add_bytes(ui, an, u, n);
}

/* Removes the last character: a whole UTF-8 sequence, or one stray byte. */
static void
backspace(struct analyze *an)
{
	size_t len = an->in.len, back;

	if (len == 0)
		return;
	for (back = 1; back <= 4 && back <= len; back++) {
		unsigned cp;

		if (text_utf8_decode(an->in.s + len - back, back, &cp) == back)
			break;
	}
	if (back > 4 || back > len)
		back = 1;
	an->in.len -= back;
	an->in.s[an->in.len] = '\0';
	changed(an);
}

static void
clear_input(struct analyze *an)
{
	tbuf_reset(&an->in);
	cat_analysis_free(an->res);
	an->res = NULL;
	changed(an);
	an->in_top = 0;
	an->dirty_diag = 1;
}

/* Replaces the input with s, line ends made \n. */
static void
set_input(struct analyze *an, const char *s, size_t len, int append)
{
	size_t i;

	if (!append)
		clear_input(an);
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\r') {
			if (i + 1 < len && s[i + 1] == '\n')
				continue;
			c = '\n';
		}
		if (!tbuf_add(&an->in, &c, 1))
			ui_die("out of memory");
	}
	if (!an->in.s && !tbuf_add(&an->in, "", 0))
		ui_die("out of memory");
	changed(an);
}

/* Opens the analyzer (the loop puts it on screen) with the paste as a new
 * input, or added to the input being typed. */
static void
analyze_paste(struct ui *ui, struct view *v, const char *s, size_t len, size_t total, int shown)
{
	struct analyze *an = v->priv;
	int append = shown && an->focus == AN_INPUT;
	size_t before;

	analyze_show(ui, v);
	if (total > len || !room_for(ui, append ? an->in.len : 0, total))
		return;
	before = append ? an->in.len : 0;
	set_input(an, s, len, append);
	if (!append)
		an->focus = AN_DIAG; /* a new bounce: read it; q closes, Tab edits */
	ui_status(ui, 0, "pasted %zu bytes%s", an->in.len - before,
		  append ? "; Tab moves to the diagnosis" : " as a new input; Tab edits it");
}

/* Writes the input to a private temporary file, runs $VISUAL or $EDITOR
 * on it, reads it back and removes it. */
static void
edit(struct ui *ui, struct analyze *an)
{
	const char *ed = getenv("VISUAL"), *dir = getenv("TMPDIR");
	char path[4096], cmd[4096];
	struct stat st;
	size_t off = 0;
	int fd, rc;
	char *buf = NULL;

	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	if (!dir || !*dir)
		dir = "/tmp";
	if ((size_t)snprintf(path, sizeof(path), "%s/bounce-input-XXXXXX", dir) >= sizeof(path) ||
	    (size_t)snprintf(cmd, sizeof(cmd), "%s \"$1\"", ed) >= sizeof(cmd)) {
		ui_status(ui, 1, "cannot edit: $TMPDIR or the editor command is too long");
		return;
	}
	fd = mkstemp(path);
	if (fd < 0) {
		ui_status(ui, 1, "cannot edit: %s: %s", dir, strerror(errno));
		return;
	}
	if (fchmod(fd, 0600) != 0)
		goto fail_write;
	while (off < an->in.len) {
		ssize_t w = write(fd, an->in.s + off, an->in.len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail_write;
		off += (size_t)w;
	}
	if (close(fd) != 0) {
		fd = -1;
		goto fail_write;
	}
	fd = -1;
	rc = display_run(cmd, path);
	if (rc != 0) {
		ui_status(ui, 1, "the editor (%s) exited with status %d: the input is unchanged", ed,
			  rc);
		goto out;
	}
	/* the editor may have replaced the file: open it by name again */
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) != 0) {
		ui_status(ui, 1, "cannot read the edited input: %s", strerror(errno));
		goto out;
	}
	if (st.st_size > INPUT_MAX) {
		room_for(ui, 0, (size_t)st.st_size);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		ui_die("out of memory");
	off = 0;
	for (;;) {
		ssize_t r = read(fd, buf + off, (size_t)st.st_size + 1 - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ui_status(ui, 1, "cannot read the edited input: %s", strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		off += (size_t)r;
		if (off > (size_t)st.st_size) {
			room_for(ui, 0, INPUT_MAX + 1);
			goto out;
		}
	}
	set_input(an, buf, off, 0);
	an->focus = AN_DIAG;
	ui_status(ui, 0, "edited: %zu bytes", an->in.len);
	goto out;
fail_write:
	ui_status(ui, 1, "cannot write the temporary file %s: %s", path, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	unlink(path);
	free(buf);
}

/* ---------------------------------------------------------------- diagnoses */

static const char *
nz(const char *s)
{
	return s ? s : "";
}

static void
add_diagnosis(struct ui *ui, struct analyze *an, size_t i, int width)
{
	const struct cat_diagnosis *d = &an->res->d[i];
	struct pane *p = &an->diag;
	char buf[2048], word[16];
	struct fmt_fields f = { 0 };
	struct line *l;
	size_t k, n;

	if (an->res->n > 1) {
		n = (size_t)snprintf(buf, sizeof(buf), "Diagnosis %zu of %zu%s%s", i + 1, an->res->n,
				     d->recipient ? ": " : "", nz(d->recipient));
		/* a pasted log longer than the engine explains: say so once */
		if (i == 0 && an->res->skipped && n < sizeof(buf))
			snprintf(buf + n, sizeof(buf) - n, " (%zu more lines not explained)",
				 an->res->skipped);
		view_add_header(p, buf);
	}
	fmt_type_word(d, word, sizeof(word));
	n = (size_t)snprintf(buf, sizeof(buf), "%-11s %s  ", "Diagnosis", word);
	fmt_diagnosis_heading(d, buf + n, sizeof(buf) - n);
	l = pane_add(p, view_type_role(d->type), buf, NULL, 0);
	l->mark = 12 + strlen(word);
	/* the same fields, in the same order, as 'bounce explain' (format.c);
	 * the evidence quotes the input as it is now */
	if (fmt_diagnosis_fields(an->res, i, an->in.s, an->in.len, FMT_PANE, &f) != 0)
		ui_die("out of memory");
	for (k = 0; k < f.n; k++)
		detail_add_field(p, width, f.v[k].label, f.v[k].body);
	fmt_fields_free(&f);
	if (d->n_entries) {
		l = pane_add(p, ROLE_FIELD, "Entries", NULL, 0);
		l->mark = strlen(l->text);
		for (k = 0; k < d->n_entries; k++)
			view_add_entry_link(ui, p, d->entries[k], view_code_cls(d->reply, d->enhanced));
	}
}

static void
build_diag(struct ui *ui, struct analyze *an, int width)
{
	struct pane *p = &an->diag;
	size_t i;

	pane_clear(p);
	an->diag_width = width;
	an->ndiag = 0;
	if (an->error[0]) {
		pane_add(p, ROLE_ERROR, an->error, NULL, 0);
	} else if (!have_result(an)) {
		pane_add(p, ROLE_DIM, "Paste a bounce or type it: an SMTP reply, a mail log line, DSN",
			 NULL, 0);
		pane_add(p, ROLE_DIM, "fields, a provider's NDR text, or a whole bounce message.",
			 NULL, 0);
		pane_add(p, ROLE_DIM, "The diagnosis appears here as you paste or type.", NULL, 0);
	} else {
		size_t *f = realloc(an->diag_first, an->res->n * sizeof(*f));

		if (!f)
			ui_die("out of memory");
		an->diag_first = f;
		for (i = 0; i < an->res->n; i++) {
			if (i)
				pane_add(p, ROLE_TEXT, "", NULL, 0);
			an->diag_first[i] = p->n;
			add_diagnosis(ui, an, i, width);
		}
		an->ndiag = an->res->n;
	}
	pane_refilter(p);
	pane_first(p);
}

/* ---------------------------------------------------------------- moving */

static int
visible(const struct pane *p, size_t pos, int h)
{
	return pos >= p->top && pos < p->top + (size_t)(h > 0 ? h : 1);
}

static void
clamp_top(struct pane *p, int h)
{
	size_t rows = h > 0 ? (size_t)h : 1;

	if (p->top + rows > p->nvis)
		p->top = p->nvis > rows ? p->nvis - rows : 0;
}

/* j/k: the next or previous link; when the cursor is off the screen, the
 * first link from the screen on (or the last up to it). */
static void
move_link(struct pane *p, int h, int dir)
{
	size_t rows = h > 0 ? (size_t)h : 1;

	if (!pane_selected(p))
		return;
	if (visible(p, p->cur, h)) {
		pane_move(p, dir);
	} else if (dir > 0) {
		pane_set_cur(p, p->top);
	} else {
		size_t pos = p->top + rows - 1, i;

		for (i = pos + 1 < p->nvis ? pos + 1 : p->nvis; i-- > 0;)
			if (p->lines[p->vis[i]].key) {
				p->cur = i;
				break;
			}
	}
	if (p->cur < p->top)
		p->top = p->cur;
	else if (p->cur >= p->top + rows)
		p->top = p->cur - rows + 1;
}

static void
scroll_pane(struct pane *p, int h, long delta)
{
	long top = (long)p->top + delta;

	p->top = top < 0 ? 0 : (size_t)top;
	clamp_top(p, h);
}

static void
scroll_input(struct analyze *an, long delta)
{
	long top = (long)an->in_top + delta;

	an->follow_end = 0;
	an->in_top = top < 0 ? 0 : (size_t)top;
}

/* The diagnosis the diagnosis pane is on: the selected link's, or the
 * first one on the screen. */
static size_t
current_diag(const struct analyze *an)
{
	size_t line, i, at = 0;

	if (an->ndiag == 0 || an->diag.nvis == 0)
		return 0;
	line = visible(&an->diag, an->diag.cur, an->d_h) && pane_selected(&an->diag)
		       ? an->diag.vis[an->diag.cur]
		       : an->diag.vis[an->diag.top < an->diag.nvis ? an->diag.top : 0];
	for (i = 0; i < an->ndiag; i++)
		if (an->diag_first[i] <= line)
			at = i;
	return at;
}

/* The diagnoses with the input they are about, as 'bounce explain' prints
 * them (y, |, s). */
static char *
analyze_text(struct ui *ui, struct view *v, size_t *len, char *what, size_t whatsize)
{
	struct analyze *an = v->priv;
	struct cli_out o;
	char *buf = NULL;
	size_t n = 0, i;
	FILE *f;

	(void)ui;
	if (!have_result(an))
		return NULL;
	f = open_memstream(&buf, &n);
	if (!f)
		ui_die("out of memory");
	memset(&o, 0, sizeof(o));
	o.f = f;
	o.width = 78;
	fwrite(an->in.s, 1, an->in.len, f);
	if (an->in.len && an->in.s[an->in.len - 1] != '\n')
		fputc('\n', f);
	for (i = 0; i < an->res->n; i++) {
		fputc('\n', f);
		cli_print_diagnosis(&o, an->res, i, an->in.s, an->in.len);
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	snprintf(what, whatsize, "the diagnosis");
	*len = n;
	return buf;
}

/* The page of the entry under the cursor among the diagnosis' links, else
 * of the best entry of the diagnosis the pane is on. */
static int
analyze_url(struct ui *ui, struct view *v, char *buf, size_t size)
{
	struct analyze *an = v->priv;
	const struct line *l = pane_selected(&an->diag);
	struct cat_result *res = NULL;
	struct cat_error err = { 0 };
	const char *key = NULL, *url;
	int cls = 0, rc = -1;

	if (!have_result(an))
		return -1;
	if (l && l->key) {
		key = l->key;
		cls = l->cls;
	} else if (an->ndiag && an->res->d[current_diag(an)].n_entries) {
		key = an->res->d[current_diag(an)].entries[0];
	}
	if (key && cat_get(ui->cat, key, cls, &res, &err) == CAT_OK &&
	    (url = detail_url(&res->entries[0])) != NULL) {
		snprintf(buf, size, "%s", url);
		rc = 0;
	}
	cat_result_free(res);
	return rc;
}

/* ---------------------------------------------------------------- keys */

/* Characters, Enter and Backspace go into the input; the rest are looked
 * up in the keymap of the pane in focus. */
static int
analyze_input(struct ui *ui, struct view *v, int key, enum keymap_action *a)
{
	struct analyze *an = v->priv;
	char name[32];

	*a = ACT_NONE;
	if (an->focus == AN_DIAG) {
		*a = keymap_lookup(&an->km_diag, key);
		return 0;
	}
	switch (key) {
	case '\n':
		add_bytes(ui, an, "\n", 1);
		return 1;
	case KEYMAP_FN + KEY_BACKSPACE:
		backspace(an);
		return 1;
	default:
		break;
	}
	*a = keymap_lookup(&an->km_input, key);
	if (*a != ACT_NONE)
		return 0;
	if (key >= 0x20 && key != 0x7f && key < KEYMAP_FN && !(key >= 0x80 && key < 0xa0) &&
	    key < 0x110000) {
		type_cp(ui, an, (unsigned)key);
		return 1;
	}
	ui_status(ui, 1, "%s does nothing in the input; Tab moves to the diagnosis, Esc closes",
		  keymap_key_name(key, name, sizeof(name)));
	return 1;
}

static enum view_result
analyze_handle(struct ui *ui, struct view *v, enum keymap_action a, struct view_req *req)
{
	struct analyze *an = v->priv;
	struct pane *p = &an->diag;
	int h = an->d_h > 0 ? an->d_h : 1, ih = an->in_h > 0 ? an->in_h : 1;
	int input = an->focus == AN_INPUT;
	const struct line *l;

	switch (a) {
	case ACT_ANALYZE:
		an->focus = AN_INPUT;
		return VIEW_HANDLED;
	case ACT_ANALYZE_NOW:
		if (an->in.len == 0) {
			ui_status(ui, 1, "nothing to analyze: paste or type a bounce");
			return VIEW_HANDLED;
		}
		run(ui, an);
		an->focus = AN_DIAG;
		return VIEW_HANDLED;
	case ACT_CLEAR_INPUT:
		clear_input(an);
		an->focus = AN_INPUT;
		return VIEW_HANDLED;
	case ACT_EDIT_INPUT:
		edit(ui, an);
		return VIEW_HANDLED;
	case ACT_FOCUS:
		an->focus = input ? AN_DIAG : AN_INPUT;
		return VIEW_HANDLED;
	case ACT_MOVE_DOWN:
	case ACT_MOVE_UP:
		if (input)
			scroll_input(an, a == ACT_MOVE_DOWN ? 1 : -1);
		else if (pane_selected(p))
			move_link(p, h, a == ACT_MOVE_DOWN ? 1 : -1);
		else
			scroll_pane(p, h, a == ACT_MOVE_DOWN ? 1 : -1);
		return VIEW_HANDLED;
	case ACT_PAGE_DOWN:
	case ACT_PAGE_UP:
	case ACT_HALF_DOWN:
	case ACT_HALF_UP: {
		long page = (input ? ih : h) - 1;

		if (a == ACT_HALF_DOWN || a == ACT_HALF_UP)
			page = (page + 1) / 2;
		if (page < 1)
			page = 1;
		if (a == ACT_PAGE_UP || a == ACT_HALF_UP)
			page = -page;
		if (input)
			scroll_input(an, page);
		else
			scroll_pane(p, h, page);
		return VIEW_HANDLED;
	}
	case ACT_FIRST:
		p->top = 0;
		pane_first(p);
		return VIEW_HANDLED;
	case ACT_LAST:
		pane_last(p);
		p->height = h;
		p->top = p->nvis > (size_t)h ? p->nvis - (size_t)h : 0;
		return VIEW_HANDLED;
	case ACT_OPEN:
		l = pane_selected(p);
		if (!l || !visible(p, p->cur, h)) {
			ui_status(ui, 1, "no link here: j/k select the entries under Entries");
			return VIEW_HANDLED;
		}
		hide(req);
		req->kind = VIEW_REQ_OPEN;
		req->key = strdup(l->key);
		req->cls = l->cls;
		if (!req->key)
			ui_die("out of memory");
		return VIEW_HANDLED;
	case ACT_BACK:
	case ACT_CLOSE:
		hide(req);
		return VIEW_HANDLED;
	case ACT_VIEW_CODES:
	case ACT_VIEW_ENHANCED:
	case ACT_VIEW_PROVIDERS:
	case ACT_VIEW_REASONS:
	case ACT_VIEW_GUIDE:
	case ACT_REPORT:
	case ACT_SEARCH:
	case ACT_SEARCH_BACK:
	case ACT_NEXT_MATCH:
	case ACT_PREV_MATCH:
	case ACT_FILTER:
		hide(req);
		return VIEW_UNHANDLED;
	case ACT_COPY:
	case ACT_OPEN_LINK:
	case ACT_PIPE:
	case ACT_SAVE:
	case ACT_HIST_BACK:
	case ACT_HIST_FORWARD:
	case ACT_SPLIT_LESS:
	case ACT_SPLIT_MORE:
	case ACT_CLASS_FACET:
	case ACT_HELP:
	case ACT_REDRAW:
	case ACT_IGNORE_SIZE:
	case ACT_QUIT:
	case ACT_NONE:
	case ACT_COUNT:
		break;
	}
	return VIEW_UNHANDLED;
}

/* The wheel scrolls the input or the diagnosis under it; clicks do nothing. */
static void
analyze_mouse(struct ui *ui, struct view *v, const struct display_mouse *m)
{
	struct analyze *an = v->priv;
	int delta = m->kind == DISPLAY_WHEEL_UP ? -3 : 3;

	(void)ui;
	if (m->kind != DISPLAY_WHEEL_UP && m->kind != DISPLAY_WHEEL_DOWN)
		return;
	if (m->y >= an->in_y && m->y < an->in_y + an->in_h)
		scroll_input(an, delta);
	else
		scroll_pane(&an->diag, an->d_h, delta);
}

static void
analyze_hints(const struct ui *ui, const struct view *v, char *buf, size_t size)
{
	const struct analyze *an = v->priv;

	(void)ui;
	if (an->focus == AN_DIAG)
		snprintf(buf, size, "j/k links  Enter open  Tab input  e edit  y copy  o web  |/s pipe/save  q close");
	else
		snprintf(buf, size, "type or paste a bounce  Tab diagnosis  C-e editor  C-u clear  "
				    "Esc close");
}

/* ---------------------------------------------------------------- drawing */

static void
title(int y, int x, int w, int focused, const char *left, const char *right, const char *name)
{
	int rw = right ? draw_width(right) : 0;

	draw_text(y, x, w, focused ? ROLE_PANE_FOCUS : ROLE_PANE_TITLE, left, name);
	if (right && rw + 2 < w - draw_width(left))
		draw_piece(y, x + w - rw - 1, rw, focused ? ROLE_PANE_FOCUS : ROLE_PANE_TITLE, right);
}

/* The row holding input offset off. */
static size_t
row_of(const struct analyze *an, size_t off)
{
	size_t lo = 0, hi = an->rows.n;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (an->row_src[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static void
layout(struct analyze *an, int y, int h, int w)
{
	if (w >= SIDE_COLS) {
		int iw = w * 2 / 5;

		an->in_y = y + 1;
		an->in_x = 0;
		an->in_w = iw;
		an->in_h = h - 1;
		an->d_y = y + 1;
		an->d_x = iw + 1;
		an->d_w = w - iw - 1;
		an->d_h = h - 1;
		return;
	}
	an->in_y = y + 1;
	an->in_x = 0;
	an->in_w = w;
	an->in_h = 0; /* after the rows are built */
	an->d_x = 0;
	an->d_w = w;
}

static void
analyze_draw(struct ui *ui, struct view *v, int y, int x, int h, int w)
{
	struct analyze *an = v->priv;
	int side = w >= SIDE_COLS, r, max_ih;
	char left[256], right[96];
	size_t nrows, i;

	(void)x; /* the analyzer takes the whole width */
	if (an->dirty)
		run(ui, an);
	layout(an, y, h, w);
	if (an->rows_dirty || an->rows_width != an->in_w - 1)
		build_rows(an, an->in_w - 1);
	nrows = an->rows.n;
	if (!side) {
		/* the input takes what it needs, up to 2/5 of the screen */
		max_ih = (h - 2) * 2 / 5;
		if (max_ih < 1)
			max_ih = 1;
		an->in_h = nrows < (size_t)max_ih ? (int)nrows : max_ih;
		if (an->in_h < 3 && max_ih >= 3)
			an->in_h = 3;
		an->d_y = an->in_y + an->in_h + 1;
		an->d_h = y + h - an->d_y;
		if (an->d_h < 1)
			an->d_h = 1;
	}
	if (an->diag_width != an->d_w - 1) {
		/* a new width keeps the link under the cursor; a new analysis
		 * starts at the top */
		const struct line *l = an->dirty_diag ? NULL : pane_selected(&an->diag);
		char *key = l && l->key ? strdup(l->key) : NULL;
		size_t cur = an->diag.cur;

		build_diag(ui, an, an->d_w - 1);
		if (key && cur < an->diag.nvis && an->diag.lines[an->diag.vis[cur]].key &&
		    strcmp(an->diag.lines[an->diag.vis[cur]].key, key) == 0) {
			an->diag.cur = cur;
			an->diag.top = cur >= (size_t)an->d_h / 2 ? cur - (size_t)an->d_h / 2 : 0;
		}
		an->dirty_diag = 0;
		free(key);
	}
	/* which input rows: the end while typing, else the evidence of the
	 * diagnosis the pane is on */
	if (an->focus == AN_INPUT && an->follow_end) {
		an->in_top = nrows > (size_t)an->in_h ? nrows - (size_t)an->in_h : 0;
	} else if (an->focus == AN_DIAG && an->ndiag && !an->res->decoded) {
		const struct cat_diagnosis *d = &an->res->d[current_diag(an)];
		size_t first = (size_t)-1, k;

		for (k = 0; k < d->n_evidence; k++)
			if (d->evidence[k].start < first)
				first = d->evidence[k].start;
		if (first != (size_t)-1) {
			size_t row = row_of(an, first);

			if (row < an->in_top || row >= an->in_top + (size_t)an->in_h)
				an->in_top = row > 0 ? row - 1 : 0;
		}
	}
	if (an->in_top + (size_t)an->in_h > nrows)
		an->in_top = nrows > (size_t)an->in_h ? nrows - (size_t)an->in_h : 0;
	/* the input */
	snprintf(left, sizeof(left), " Analyzer input%s", an->focus == AN_INPUT ? " (typing)" : "");
	if (an->in.len)
		snprintf(right, sizeof(right), "%zu byte%s", an->in.len, an->in.len == 1 ? "" : "s");
	else
		snprintf(right, sizeof(right), "empty");
	if (nrows > (size_t)an->in_h) {
		size_t len = strlen(right);

		snprintf(right + len, sizeof(right) - len, ", rows %zu-%zu of %zu", an->in_top + 1,
			 an->in_top + (size_t)an->in_h, nrows);
	}
	title(y, 0, side ? an->in_w : w, an->focus == AN_INPUT, left, right, "input-title");
	for (r = 0; r < an->in_h; r++) {
		size_t row = an->in_top + (size_t)r;

		if (row >= nrows)
			break;
		draw_line_spans(an->in_y + r, an->in_x, an->in_w - 1, &an->rows.lines[row], 0, 0,
				an->spans + an->row_span[row], an->row_span[row + 1] - an->row_span[row],
				"input");
	}
	/* the diagnoses */
	if (side)
		draw_vline(y, an->in_w, h);
	if (an->ndiag > 1)
		snprintf(left, sizeof(left), " Diagnoses: %zu", an->ndiag);
	else
		snprintf(left, sizeof(left), " Diagnosis");
	right[0] = '\0';
	if (an->ndiag)
		snprintf(right, sizeof(right), "%zu of %zu", current_diag(an) + 1, an->ndiag);
	title(an->d_y - 1, an->d_x, an->d_w, an->focus == AN_DIAG, left, right[0] ? right : NULL,
	      "diagnosis-title");
	clamp_top(&an->diag, an->d_h);
	an->diag.height = an->d_h;
	for (r = 0; r < an->d_h; r++) {
		size_t pos = an->diag.top + (size_t)r;

		if (pos >= an->diag.nvis)
			break;
		i = an->diag.vis[pos];
		draw_line(an->d_y + r, an->d_x + 1, an->d_w - 1, &an->diag.lines[i],
			  pos == an->diag.cur && an->diag.lines[i].key != NULL,
			  an->focus == AN_DIAG, NULL, 0, "diagnosis");
	}
	/* the terminal cursor where typing goes */
	if (an->focus == AN_INPUT && !ui->prompt) {
		size_t last = nrows ? nrows - 1 : 0;

		if (last >= an->in_top && last < an->in_top + (size_t)an->in_h)
			display_cursor(an->in_y + (int)(last - an->in_top),
				       an->in_x + (an->end_col < an->in_w - 1 ? an->end_col : an->in_w - 2));
		else
			display_cursor(-1, 0);
	} else {
		display_cursor(-1, 0);
	}
}

const struct view_ops view_analyze_ops = {
	.name = "analyzer",
	.title = "Analyzer",
	.open = analyze_open,
	.show = analyze_show,
	.draw = analyze_draw,
	.hints = analyze_hints,
	.input = analyze_input,
	.handle = analyze_handle,
	.text = analyze_text,
	.url = analyze_url,
	.mouse = analyze_mouse,
	.paste = analyze_paste,
	.close = analyze_close,
	.private_size = sizeof(struct analyze),
};
