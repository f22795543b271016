/* cli.c: catalog entries as text for the command line.
 *
 * Every string that comes from a catalog is untrusted (a user overlay may
 * hold anything) and reaches the output only through text.c.
 */
#include "cli.h"

#include <stdarg.h>
#include <string.h>

#include "format.h"
#include "text.h"

enum { LABEL_W = 11, FULL_PROVIDER_MAX = 8 };

#define SGR_RESET "\033[0m"
#define SGR_BOLD "\033[1m"
#define SGR_DIM "\033[2m"

static void (*error_fn)(void *ctx, const char *msg);
static void *error_ctx;

void
cli_error_to(void (*fn)(void *ctx, const char *msg), void *ctx)
{
	error_fn = fn;
	error_ctx = ctx;
}

void
cli_error(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	struct tbuf b = { 0 };

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!text_sanitize(msg, strlen(msg), 0, &b))
		fputs("bounce: out of memory\n", stderr);
	else if (error_fn)
		error_fn(error_ctx, b.s);
	else
		fprintf(stderr, "bounce: %s\n", b.s);
	tbuf_free(&b);
}

void
cli_put_line(FILE *f, const char *s)
{
	struct tbuf b = { 0 };

	if (s && text_sanitize(s, strlen(s), 0, &b))
		fputs(b.s, f);
	fputc('\n', f);
	tbuf_free(&b);
}

/* The colour of a rating word (and of a diagnosis's type word). */
static const char *
rating_sgr(enum fmt_rating r)
{
	switch (r) {
	case FMT_RATING_NONE:
		return "";
	case FMT_RATING_HARD:
		return "\033[1;31m";
	case FMT_RATING_SOFT:
		return "\033[1;33m";
	case FMT_RATING_BLOCK:
		return "\033[1;35m";
	case FMT_RATING_SUCCESS:
		return "\033[1;32m";
	default:
		return "\033[1;36m";
	}
}

static void
sgr(struct cli_out *o, const char *seq)
{
	if (o->color && seq && *seq)
		fputs(seq, o->f);
}

/* Writes s sanitized, without wrapping; returns its width. */
static size_t
put(struct cli_out *o, const char *s)
{
	struct tbuf b = { 0 };
	size_t w = 0;

	if (!s)
		return 0;
	if (text_sanitize(s, strlen(s), 0, &b)) {
		fputs(b.s, o->f);
		w = text_width(b.s, b.len);
	}
	tbuf_free(&b);
	return w;
}

static size_t put_cut(struct cli_out *o, const char *s, size_t room);

/* "  Label      text wrapped to the width"; a label too long for its
 * column has a line of its own, and the text goes under it */
static void
field(struct cli_out *o, const char *label, const char *text)
{
	size_t lw = text_width(label, strlen(label));

	if (!text || !*text)
		return;
	fputs("  ", o->f);
	sgr(o, SGR_DIM);
	if (lw > LABEL_W - 1) {
		put_cut(o, label, o->width > 2 ? o->width - 2 : 1);
		sgr(o, SGR_RESET);
		fprintf(o->f, "\n%*s", LABEL_W + 2, "");
	} else {
		fprintf(o->f, "%-*s", LABEL_W - 1, label);
		sgr(o, SGR_RESET);
		fputc(' ', o->f);
	}
	text_wrap(o->f, text, LABEL_W + 2, LABEL_W + 2, o->width);
	fputc('\n', o->f);
}

/* "provider  code  title            BADGE", the title wrapped if need be */
static void
header(struct cli_out *o, const struct cat_entry *e)
{
	struct fmt_heading h;
	size_t col = 0, tw, start, i;

	fmt_entry_heading(e, FMT_CLI, &h);
	i = h.badge ? strlen(h.badge) : 0;
	sgr(o, SGR_BOLD);
	if (h.provider_line) {
		col += put(o, h.provider ? h.provider : "?");
		/* a long code goes under the provider rather than past the edge */
		if (e->code && col + 2 + text_width(e->code, strlen(e->code)) > o->width) {
			fputc('\n', o->f);
			col = 0;
		} else {
			fputs("  ", o->f);
			col += 2;
		}
	}
	col += put(o, e->code);
	sgr(o, SGR_RESET);
	fputs("  ", o->f);
	col += 2;
	start = col;
	tw = text_width(e->title, strlen(e->title));
	if (col + tw + (i ? i + 2 : 0) <= o->width) {
		col += put(o, e->title);
	} else {
		/* wrap under the title; the badge follows on the last line */
		col = text_wrap(o->f, e->title, col, start < o->width / 2 ? start : 4,
				o->width > i + 2 ? o->width - i - 2 : o->width);
	}
	if (i) {
		if (col + 2 + i <= o->width)
			fprintf(o->f, "%*s", (int)(o->width - col - i), "");
		else if (o->width > i)
			fprintf(o->f, "\n%*s", (int)(o->width - i), ""); /* a line of its own */
		else
			fputs("\n", o->f);
		sgr(o, rating_sgr(h.rating));
		fputs(h.badge, o->f);
		sgr(o, SGR_RESET);
	}
	fputc('\n', o->f);
}

static void
print_full(struct cli_out *o, const struct cat_entry *e)
{
	struct fmt_fields f = { 0 };
	size_t i;

	header(o, e);
	if (fmt_entry_fields(e, FMT_CLI, &f) != 0)
		cli_error("out of memory");
	for (i = 0; i < f.n; i++)
		field(o, f.v[i].label ? f.v[i].label : "", f.v[i].body);
	fmt_fields_free(&f);
}

/* Pads from column *col to column `to` (at least one space). */
static void
pad_to(struct cli_out *o, size_t *col, size_t to)
{
	if (*col < to) {
		fprintf(o->f, "%*s", (int)(to - *col), "");
		*col = to;
	} else {
		fputc(' ', o->f);
		(*col)++;
	}
}

/* Writes sanitized s cut to `room` columns with an ellipsis; returns width. */
static size_t
put_cut(struct cli_out *o, const char *s, size_t room)
{
	struct tbuf b = { 0 };
	size_t w = 0;

	if (!s || !text_sanitize(s, strlen(s), 0, &b)) {
		tbuf_free(&b);
		return 0;
	}
	w = text_width(b.s, b.len);
	if (w <= room) {
		fputs(b.s, o->f);
	} else {
		size_t i = 0, cw = 0;

		while (i < b.len) {
			unsigned cp;
			size_t n = text_utf8_decode(b.s + i, b.len - i, &cp), chw;

			if (n == 0)
				n = 1;
			chw = text_width(b.s + i, n);
			if (cw + chw + 1 > room)
				break;
			cw += chw;
			i += n;
		}
		fwrite(b.s, 1, i, o->f);
		fputs("\xe2\x80\xa6", o->f); /* ... */
		w = cw + 1;
	}
	tbuf_free(&b);
	return w;
}

/* One line: the key (what to type to see it in full), the code coloured by
 * severity when the key is not the code itself, and the title. */
static void
print_line(struct cli_out *o, const struct cat_entry *e)
{
	const int generic = !e->key || strcmp(e->key, e->code) == 0;
	size_t col = 2, key_w = o->width >= 100 ? 34 : 28;

	fputs("  ", o->f);
	if (generic) {
		sgr(o, rating_sgr(fmt_entry_rating(e)));
		col += put(o, e->code);
		sgr(o, SGR_RESET);
		pad_to(o, &col, 2 + 12);
	} else {
		col += put(o, e->key);
		pad_to(o, &col, 2 + key_w);
		sgr(o, rating_sgr(fmt_entry_rating(e)));
		col += put(o, e->code);
		sgr(o, SGR_RESET);
		pad_to(o, &col, 2 + key_w + 16);
	}
	put_cut(o, e->title, o->width > col + 8 ? o->width - col : 8);
	fputc('\n', o->f);
}

void
cli_print_lines(struct cli_out *o, const struct cat_result *res, const char *heading)
{
	size_t i;

	if (heading) {
		sgr(o, SGR_BOLD);
		put(o, heading);
		sgr(o, SGR_RESET);
		fputc('\n', o->f);
	}
	for (i = 0; i < res->n; i++)
		print_line(o, &res->entries[i]);
	if (res->truncated)
		fprintf(o->f, "  ... and %zu more; add words to narrow the search, or use --limit\n",
			res->truncated);
}

static enum cat_status
print_one_full(struct cli_out *o, struct catalog *cat, const struct cat_entry *e,
	       struct cat_error *err)
{
	struct cat_result *full = NULL;
	enum cat_status st = CAT_OK;

	if (e->kind == CAT_KIND_DECODED) {
		print_full(o, e);
		return CAT_OK;
	}
	st = cat_get(cat, e->key, e->cls, &full, err);
	if (st == CAT_OK)
		print_full(o, &full->entries[0]);
	cat_result_free(full);
	return st;
}

enum cat_status
cli_print_lookup(struct cli_out *o, struct catalog *cat, const struct cat_result *res,
		 struct cat_error *err)
{
	enum cat_status st = CAT_OK;
	size_t i, nprov = 0, printed = 0;
	char heading[128];

	for (i = 0; i < res->n; i++)
		if (res->match[i] == CAT_MATCH_PROVIDER)
			nprov++;
	for (i = 0; i < res->n && st == CAT_OK; i++) {
		if (res->match[i] == CAT_MATCH_PROVIDER)
			continue;
		if (o->brief) {
			print_line(o, &res->entries[i]);
			continue;
		}
		if (printed++)
			fputc('\n', o->f);
		st = print_one_full(o, cat, &res->entries[i], err);
	}
	if (st != CAT_OK || nprov == 0)
		return st;
	if (o->brief || (!o->full && nprov > FULL_PROVIDER_MAX)) {
		snprintf(heading, sizeof(heading), "%sProvider-specific replies (%zu):",
			 printed ? "\n" : "", nprov);
		sgr(o, SGR_BOLD);
		fputs(heading, o->f);
		sgr(o, SGR_RESET);
		fputc('\n', o->f);
		for (i = 0; i < res->n; i++)
			if (res->match[i] == CAT_MATCH_PROVIDER)
				print_line(o, &res->entries[i]);
		if (!o->brief)
			fputs("  (bounce KEY shows one in full; --full shows them all)\n", o->f);
		return CAT_OK;
	}
	if (printed) {
		snprintf(heading, sizeof(heading), "\nProvider-specific (%zu):", nprov);
		sgr(o, SGR_BOLD);
		fputs(heading, o->f);
		sgr(o, SGR_RESET);
		fputc('\n', o->f);
	}
	for (i = 0; i < res->n && st == CAT_OK; i++) {
		if (res->match[i] != CAT_MATCH_PROVIDER)
			continue;
		if (printed++)
			fputc('\n', o->f);
		st = print_one_full(o, cat, &res->entries[i], err);
	}
	return st;
}

/* ------------------------------------------------------------ diagnoses */

void
cli_print_diagnosis(struct cli_out *o, const struct cat_analysis *an, size_t i, const char *input,
		    size_t input_len)
{
	const struct cat_diagnosis *d = &an->d[i];
	struct fmt_fields f = { 0 };
	char word[32], rest[1022];
	size_t k;

	fmt_type_word(d, word, sizeof(word));
	fputs("  ", o->f);
	sgr(o, SGR_DIM);
	fprintf(o->f, "%-*s", LABEL_W - 1, "Diagnosis");
	sgr(o, SGR_RESET);
	fputc(' ', o->f);
	sgr(o, rating_sgr(fmt_diagnosis_rating(d)));
	fputs(word, o->f);
	sgr(o, SGR_RESET);
	fputs("  ", o->f);
	fmt_diagnosis_heading(d, rest, sizeof(rest));
	put(o, rest);
	fputc('\n', o->f);
	if (fmt_diagnosis_fields(an, i, input, input_len, FMT_CLI, &f) != 0)
		cli_error("out of memory");
	for (k = 0; k < f.n; k++)
		field(o, f.v[k].label ? f.v[k].label : "", f.v[k].body);
	fmt_fields_free(&f);
}

/* A diagnosis as one row after its first column (which the caller wrote). */
static void
print_row(struct cli_out *o, const struct cat_diagnosis *d)
{
	char code[48], word[32];

	snprintf(code, sizeof(code), "%.0d%s%s%s", d->reply, d->reply && d->enhanced[0] ? " " : "",
		 d->enhanced, d->enhanced_inferred ? "*" : "");
	fmt_type_word(d, word, sizeof(word));
	sgr(o, rating_sgr(fmt_diagnosis_rating(d)));
	fprintf(o->f, "%-7s", word);
	sgr(o, SGR_RESET);
	fprintf(o->f, " %-18s %-24s %-15s ", d->reason ? d->reason : "unknown",
		d->action ? cat_action_name(d->action) : "", code[0] ? code : "-");
	put(o, d->provider ? d->provider : "-");
	fputc(' ', o->f);
	put(o, d->recipient ? d->recipient : "-");
	fputc('\n', o->f);
}

/* One column of a tsv row: "-" for none, blanks and controls as '_', so
 * that the columns are the same for awk's default split as for -F'\t'. */
static void
tsv_col(struct cli_out *o, const char *s, int last)
{
	struct tbuf b = { 0 };
	size_t i;

	if (s && *s && text_sanitize(s, strlen(s), 0, &b)) {
		for (i = 0; i < b.len; i++)
			if (b.s[i] == ' ' || b.s[i] == '\t')
				b.s[i] = '_';
		fputs(b.s, o->f);
	} else {
		fputc('-', o->f);
	}
	tbuf_free(&b);
	fputc(last ? '\n' : '\t', o->f);
}

/* input, event, type, reason, action, reply, enhanced, provider, tag,
 * recipient, confidence */
static void
print_tsv(struct cli_out *o, unsigned long input_no, const struct cat_diagnosis *d)
{
	char num[32], enh[40];

	fprintf(o->f, "%lu\t", input_no);
	tsv_col(o, cat_event_name(d->event), 0);
	tsv_col(o, d->type ? cat_type_name(d->type) : "unknown", 0);
	tsv_col(o, d->reason ? d->reason : "unknown", 0);
	tsv_col(o, d->action ? cat_action_name(d->action) : NULL, 0);
	snprintf(num, sizeof(num), "%.0d", d->reply);
	tsv_col(o, num, 0);
	snprintf(enh, sizeof(enh), "%s%s", d->enhanced, d->enhanced[0] && d->enhanced_inferred ? "*" : "");
	tsv_col(o, enh, 0);
	tsv_col(o, d->provider, 0);
	tsv_col(o, d->provider_tag, 0);
	tsv_col(o, d->recipient, 0);
	tsv_col(o, d->confidence ? cat_confidence_name(d->confidence) : "low", 1);
}

void
cli_print_diagnosis_line(struct cli_out *o, unsigned long input_no, const struct cat_diagnosis *d)
{
	if (o->tsv) {
		print_tsv(o, input_no, d);
		return;
	}
	fprintf(o->f, "%lu\t", input_no);
	print_row(o, d);
}

void
cli_print_diagnosis_row(struct cli_out *o, const char *label, const struct cat_diagnosis *d)
{
	put(o, label);
	fputc('\t', o->f);
	print_row(o, d);
}
