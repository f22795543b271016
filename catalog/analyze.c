/* analyze.c: the analyzer's entry point: one input cut into items, each run through the stages. */
#include "analyze.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytescan.h"
#include "jsonw.h"
#include "mime.h"
#include "util.h"

/* ------------------------------------------------------------ one input */

void
cat_analyzer_set_max_input(struct cat_analyzer *a, size_t max)
{
	if (a)
		a->max_input = !max ? DEFAULT_MAX_INPUT : max > MAX_INPUT_LIMIT ? MAX_INPUT_LIMIT : max;
}

/* jw__plain_len() of a whole input, 32 bytes at a time where the
 * processor has AVX2 (the build assumes only SSE2). */
static size_t
plain_len(const char *s, size_t n)
{
#ifdef JW_HAVE_AVX2
	if (n >= 64 && __builtin_cpu_supports("avx2"))
		return jw__plain_len_avx2((const unsigned char *)s, n);
#endif
	return jw__plain_len((const unsigned char *)s, n);
}

/* The evidence and entries analyze_item() copies in moves of known size. */
enum { EV_FEW = 4, ENTS_FEW = 4 };

/* Copies the span sp of input (l bytes) to p as a string for *to, noted in *str and
 * *len for the JSON of a remembered decision (memo_write()); an empty span
 * is NULL. Returns the end of what it wrote. */
static inline char *
put_span(char *p, const char *input, struct span sp, size_t l, const char **to, const char **str,
	 uint32_t *len)
{
	if (!l) {
		*to = *str = NULL;
		return p;
	}
	copy_short(p, input + sp.start, l);
	p[l] = '\0';
	*to = *str = p;
	*len = (uint32_t)l;
	return p + l + 1;
}

static enum cat_status
analyze_item(struct dstate *ds, size_t i, const char *input, const struct item *it,
	     struct scan *sc)
{
	struct an_scratch *x = ds->an->scratch;
	struct cat_diagnosis *d = ds->d;
	struct dmemo_use none, *u = x->dm_use ? &x->dm_use[i] : &none;
	struct cat_span *ev;
	const char **ents;

	if (!decide_memo(ds, input, it)) {
		/* the spans of an item are normalized one after another, each
		 * byte into at most two (a Latin-1 letter becomes UTF-8), plus
		 * a separator each */
		size_t need = 2 * (span_len(it->text) + span_len(it->extra) + span_len(it->host) +
				   span_len(it->origin) + span_len(it->subject)) + 8;

		/* a remembered decision fills the whole diagnosis and needs
		 * no scan: those are cleared only for a decision made here
		 * (first, so a failed growth leaves no stale diagnosis) */
		memset(d, 0, sizeof(*d));
		if (need > x->cap) {
			unsigned char *nn = realloc(x->norm, need);
			uint32_t *nm = nn ? realloc(x->map, need * sizeof(*nm)) : NULL;

			if (nn)
				x->norm = nn;
			if (nm)
				x->map = nm;
			if (!nn || !nm)
				return CAT_ENOMEM;
			x->cap = need;
		}
		if (!sc->a) {
			memset(sc, 0, offsetof(struct scan, hits));
			sc->a = ds->a;
		}
		sc->norm = x->norm;
		sc->map = x->map;
		scan_item(sc, x, input, it);
		ds->n_ev = 0;
		ds->n_entries = 0;
		decide_item(ds, input, it, sc);
		decide_memo_keep(ds, input, it);
		/* the first remembered decision allocates dm_use */
		u = x->dm_use ? &x->dm_use[i] : &none;
	}
	/* for the JSON of the whole decision (analyze_json.c) */
	u->slot = ds->memo_hit >= 0 ? (uint32_t)ds->memo_hit + 1 : 0;
	u->gen = ds->memo_hit >= 0 ? x->dm[ds->memo_hit].gen : 0;
	{
		/* the strings the item quotes, copied into one allocation with
		 * the evidence and the entries: a line of a log has five. An
		 * ordinary message or an automatic reply names no failed
		 * recipient: an address in its words (or in the message it
		 * quotes) would be a guess */
		struct span rcpt = d->event != CAT_EVENT_MESSAGE && d->event != CAT_EVENT_AUTO_REPLY
					   ? it->recipient
					   : mkspan(input, input, input);
		/* room for at least EV_FEW and ENTS_FEW: those are copied whole,
		 * in moves of known size (a line has about four and two) */
		size_t n_ev = ds->n_ev > EV_FEW ? ds->n_ev : EV_FEW,
		       n_ents = ds->n_entries > ENTS_FEW ? ds->n_entries : ENTS_FEW;
		size_t l0 = span_len(rcpt), l1 = span_len(it->host), l2 = span_len(it->sender),
		       l3 = span_len(it->queue_id), l4 = span_len(it->time);
		size_t size = n_ev * sizeof(*ev) + n_ents * sizeof(*ents) + DUSE_STRS + l0 + l1 + l2 +
			      l3 + l4;
		char *p;

		/* every byte of it is written below but alignment's (never read) */
		p = arena_alloc_raw(ds->an->arena, size);
		if (!p || ds->oom)
			return CAT_ENOMEM;
		/* the arrays first: the arena aligns the block, and pointers
		 * need it */
		ev = (struct cat_span *)(void *)p;
		ents = (const char **)(void *)(p + n_ev * sizeof(*ev));
		p += n_ev * sizeof(*ev) + n_ents * sizeof(*ents);
		p = put_span(p, input, rcpt, l0, &d->recipient, &u->str[0], &u->len[0]);
		p = put_span(p, input, it->host, l1, &d->remote_host, &u->str[1], &u->len[1]);
		p = put_span(p, input, it->sender, l2, &d->sender, &u->str[2], &u->len[2]);
		p = put_span(p, input, it->queue_id, l3, &d->queue_id, &u->str[3], &u->len[3]);
		put_span(p, input, it->time, l4, &d->time, &u->str[4], &u->len[4]);
		if (it->has_sender && !span_ok(it->sender)) {
			d->sender = u->str[2] = "";
			u->len[2] = 0;
		}
	}
	ds->d->stage = it->stage;
	if (ds->n_ev <= EV_FEW)
		memcpy(ev, ds->ev, EV_FEW * sizeof(*ev));
	else
		memcpy(ev, ds->ev, ds->n_ev * sizeof(*ev));
	if (ds->n_entries <= ENTS_FEW)
		memcpy(ents, ds->entries, ENTS_FEW * sizeof(*ents));
	else
		memcpy(ents, ds->entries, ds->n_entries * sizeof(*ents));
	ds->d->evidence = ev;
	ds->d->n_evidence = ds->n_ev;
	ds->d->entries = ents;
	ds->d->n_entries = ds->n_entries;
	return CAT_OK;
}

void
cat_analysis_free(struct cat_analysis *pub)
{
	struct analysis *an;

	if (!pub)
		return;
	an = analysis_of(pub);
	if (an->scratch) {
		struct an_scratch *x = an->scratch;
		size_t i;

		free(x->items);
		free(x->norm);
		free(x->map);
		for (i = 0; i < x->jc_cap; i++)
			free(x->jc[i].json);
		free(x->jc);
		if (x->dm)
			for (i = 0; i < DMEMO_SLOTS + FMEMO_SLOTS; i++) {
				free(x->dm[i].json);
				free(x->dm[i].bytes);
				free(x->dm[i].strs);
			}
		free(x->dm);
		free(x->dm_use);
		free(x->fseen);
		for (i = 0; i < 2 * SEG_SLOTS; i++)
			free(x->seg[i / SEG_SLOTS][i % SEG_SLOTS].json);
		for (i = 0; i < SEG_SLOTS; i++)
			free(x->head[i].json);
		free(x);
	}
	free(an->pub.d);
	arena_free(an->arena);
	free(an);
}

static int
is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* One log line [s, e) as an item: classified by its head, else read by
 * the delivery line readers; 0 when it is neither. */
static int
log_item(const char *input, const char *s, const char *e, struct item *it)
{
	if (logline_classify(input, s, e, it) || logline_postfix(input, s, e, it) ||
	    logline_exim(input, s, e, it) || logline_sendmail(input, s, e, it) ||
	    logline_qmail(input, s, e, it) || logline_exchange(input, s, e, it)) {
		/* a line of no delivery has nothing to read */
		if (!span_ok(it->text) && it->event != CAT_EVENT_NOT_DELIVERY)
			it->text = mkspan(input, s, e);
		return 1;
	}
	return 0;
}

/* Whether [s, end), which holds more than one line, is a block of log
 * lines: most of its lines that are not blank start with a log line's head
 * (a pasted log may hold a wrapped line or a note). */
static int
is_log_block(const char *s, const char *end)
{
	size_t logs = 0, others = 0;

	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s)), *e = eol ? eol : end;

		while (s < e && is_space(*s))
			s++;
		if (s < e) {
			if (logline_is_log(s, e))
				logs++;
			else
				others++;
		}
		s = eol ? eol + 1 : end;
	}
	return logs > others;
}

/* Every line of a block of log lines as its own item, at most MAX_ITEMS;
 * *skipped counts the lines past them. */
static size_t
log_items(const char *input, const char *s, const char *end, struct item *items, size_t *skipped)
{
	size_t n = 0;

	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s)), *e = eol ? eol : end;

		while (s < e && is_space(*s))
			s++;
		while (e > s && is_space(e[-1]))
			e--;
		if (s < e && n == MAX_ITEMS) {
			(*skipped)++;
		} else if (s < e) {
			struct item *it = &items[n++];

			memset(it, 0, sizeof(*it));
			if (!log_item(input, s, e, it)) {
				/* a line of something else: read as a reply */
				const char *lt = memchr(s, '<', (size_t)(e - s));

				memset(it, 0, sizeof(*it));
				it->format = "text";
				it->text = mkspan(input, s, e);
				it->recipient = lt ? logline_address(input, lt, e)
						   : message_line_address(input, it->text);
			}
		}
		s = eol ? eol + 1 : end;
	}
	return n;
}

/* The items of a whole message at [s, end) of input: its DSN groups,
 * complaints, per-recipient sections of its words, or one item of its
 * words. */
static size_t
message_items(const char *input, const char *s, const char *end, struct item *items, struct msg *m)
{
	struct item *it = &items[0];
	size_t n, k;
	int plain;

	memset(m, 0, sizeof(*m));
	m->base = input;
	m->items = items;
	message_parse(m, s, end);
	if (m->n_items == 0 && !m->feedback && span_ok(m->forwarded) && !m->from_daemon &&
	    !span_ok(m->failed)) {
		/* a bounce a person forwarded as an attachment: the
		 * bounce is what there is to read */
		struct span fw = m->forwarded;
		int enc = m->encoded;

		memset(m, 0, sizeof(*m));
		m->base = input;
		m->items = items;
		message_parse(m, input + fw.start, input + fw.end);
		m->encoded |= enc;
	}
	if (m->feedback) {
		/* one complaint per report; DSN groups are not read in a
		 * report */
		for (k = n = 0; k < m->n_items; k++)
			if (items[k].forced_reason)
				items[n++] = items[k];
		if (n == 0) {
			memset(&items[0], 0, sizeof(items[0]));
			items[0].format = "message:arf";
			items[0].forced_reason = "complaint";
			n = 1;
		}
		for (k = 0; k < n; k++) {
			if (!span_ok(items[k].text))
				items[k].text = m->human;
			if (n == 1)
				items[k].subject = m->subject;
		}
		if (n == 1 && !span_ok(items[0].recipient) && span_ok(m->failed))
			items[0].recipient = message_list_address(input, m->failed);
		return n;
	}
	if (m->n_items > 0) {
		/* each group with its own words of the human part */
		message_dsn_sections(input, m);
		return m->n_items;
	}
	/* a list of addresses in a message that shows no sign of being
	 * a bounce (no mailer daemon, null sender, report or failed
	 * list) is no list of failed recipients */
	plain = !m->from_daemon && !m->null_sender && !m->report && !span_ok(m->failed);
	if (!plain && span_ok(m->human) &&
	    (n = message_split_recipients(input, m, items)) > 1)
		return n;
	/* a notification sent as a message (Amazon SNS email-json) */
	if (span_ok(m->human) &&
	    (n = notice_ses(input, input + m->human.start, input + m->human.end, items)) > 0)
		return n;
	memset(it, 0, sizeof(*it));
	it->format = "message";
	/* bounces carry Auto-Submitted too: only a message with no sign of
	 * being a bounce is an auto-reply on that header alone */
	if (m->auto_reply || (m->auto_submitted && !m->from_daemon && !span_ok(m->failed))) {
		it->forced_reason = "auto_reply";
		/* what it quotes of the message it answers is not its own:
		 * no code, recipient or host comes from there */
		if (span_ok(m->human))
			m->human = message_own_words(input, m->human);
	}
	it->text = m->human;
	it->subject = m->subject;
	if (span_ok(m->failed))
		it->recipient = message_list_address(input, m->failed);
	else if (span_ok(m->human) || span_ok(m->orig))
		it->recipient = message_words_recipient(input, m); /* else the returned To */
	if (span_ok(m->human))
		it->host = message_text_host(input, m->human);
	/* a bounce forwarded in the words ("From: Mail Delivery System
	 * <MAILER-DAEMON@...>" under the forward's separator) is no
	 * ordinary message either */
	it->plain = plain && !find_ci(input + m->human.start, input + m->human.end, "mailer-daemon@");
	message_drop_echo(input, m, it);
	return 1;
}

/* Splits the input into items by its structure; no_lf: it holds no LF
 * (one line), so none is looked for. */
static size_t
items_of(const char *input, size_t len, int no_lf, struct item *items, struct msg *m,
	 struct cat_analysis *pub)
{
	const char *s = input, *end = input + len, *nl, *e, *ms;
	struct item *it = &items[0];
	size_t n;

	bs_clear(it, sizeof(*it));
	pub->skipped = 0;
	pub->per_line = 0;
	/* leading white space does not make a message */
	while (s < end && is_space(*s))
		s++;
	/* a log line is the common case in a batch: try those first; several
	 * pasted log lines are explained each */
	nl = no_lf ? NULL : memchr(s, '\n', (size_t)(end - s));
	for (e = nl; e && e < end && is_space(*e); e++)
		;
	if (e && e < end && logline_is_log(s, nl) && is_log_block(s, end)) {
		pub->per_line = 1;
		return log_items(input, s, end, items, &pub->skipped);
	}
	/* a whole message is read by its structure first: a message is not a
	 * log line, and the log-line readers would search all of it for their
	 * patterns (a message saved from a mailbox starts with its mbox
	 * "From " line) */
	ms = mime_skip_mbox_line(s, end);
	if (nl && message_looks_like(ms, end))
		return message_items(input, ms, end, items, m);
	for (e = end; e > s && is_space(e[-1]); e--)
		;
	if (log_item(input, s, e, it))
		return 1;
	memset(it, 0, sizeof(*it));
	if (s < end && *s == '{' && (n = notice_ses(input, s, end, items)) > 0)
		return n;
	memset(it, 0, sizeof(*it));
	s = ms;
	if (message_looks_like(s, end))
		return message_items(input, s, end, items, m);
	if (message_has_dsn_fields(s, end)) {
		message_dsn_group(input, s, end, it);
		return 1;
	}
	/* Microsoft: Remote Server returned '550 5.1.1 ...' */
	{
		const char *p = find_ci(s, end, "remote server returned '");

		it->format = "text";
		it->text = mkspan(input, s, end);
		if (p) {
			/* the closing quote ends its line: the reply may hold
			 * apostrophes ("weren't") */
			const char *q = NULL, *r = p + 24;
			const char *eol = memchr(r, '\n', (size_t)(end - r));

			for (; r < (eol ? eol : end); r++)
				if (*r == '\'')
					q = r;

			it->text = mkspan(input, p + 24, q ? q : end);
			it->extra = mkspan(input, s, p);
		}
		if (!span_ok(it->recipient))
			it->recipient = message_text_recipient(input, mkspan(input, s, end));
	}
	return 1;
}

enum cat_status
cat_analysis_move(struct cat_analysis *from, struct cat_analysis **to, struct cat_error *err)
{
	struct analysis *f, *t;
	struct cat_analysis pub;
	struct cat_arena *arena;
	size_t cap;

	if (!from || !to)
		return cat_fail(err, CAT_EUSAGE, "cat_analysis_move: bad arguments");
	f = analysis_of(from);
	if (!*to) {
		t = calloc(1, sizeof(*t));
		if (t && !(t->arena = arena_new())) {
			free(t);
			t = NULL;
		}
		if (!t)
			return cat_fail(err, CAT_ENOMEM, "out of memory");
		t->analyzer = f->analyzer;
		*to = &t->pub;
	}
	t = analysis_of(*to);
	if (t == f || t->analyzer != f->analyzer)
		return cat_fail(err, CAT_EUSAGE, "cat_analysis_move: bad arguments");
	/* the diagnoses, the array they are in and the arena their strings
	 * are in change hands; the scratch memory stays */
	pub = t->pub;
	t->pub = f->pub;
	f->pub = pub;
	arena = t->arena;
	t->arena = f->arena;
	f->arena = arena;
	cap = t->cap;
	t->cap = f->cap;
	f->cap = cap;
	arena_reset(f->arena);
	if (f->scratch)
		f->scratch->plain_in = NULL;
	if (t->scratch)
		t->scratch->plain_in = NULL;
	f->pub.n = 0;
	f->pub.text = NULL;
	f->pub.text_len = 0;
	return CAT_OK;
}

/* One row of a message trace export as its item. */
static size_t
row_items(const char *input, size_t len, const struct cat_columns *cols, struct item *items,
	  struct cat_analysis *pub)
{
	const char *e = input + len;

	memset(&items[0], 0, sizeof(items[0]));
	pub->skipped = 0;
	pub->per_line = 0;
	while (e > input && is_space(e[-1]))
		e--;
	return logline_trace_row(input, input, e, cols, items, MAX_ITEMS);
}

/* cat_analyze(), or cat_analyze_row() when cols is not NULL. */
static enum cat_status
analyze(const struct cat_analyzer *a, const struct cat_columns *cols, const char *text, size_t len,
	struct cat_analysis **out, struct cat_error *err)
{
	struct item *items;
	struct analysis *an = NULL;
	struct scan sc;
	struct msg m;
	struct dstate ds;
	struct an_scratch *x;
	const char *input; /* as given, before any copy */
	enum cat_status s = CAT_OK;
	size_t n, i;

	if (!a || !out || (!text && len) || (*out && analysis_of(*out)->analyzer != a))
		return cat_fail(err, CAT_EUSAGE, "cat_analyze: bad arguments");
	if (len > a->max_input)
		return cat_fail(err, CAT_EUSAGE, "the input is %zu bytes, more than the limit of %zu",
				len, a->max_input);
	if (!text)
		text = "";
	sc.a = NULL; /* cleared when an item needs a scan (analyze_item()) */
	an = *out ? analysis_of(*out) : NULL;
	if (an) {
		arena_reset(an->arena);
		an->pub.n = 0;
	} else {
		an = calloc(1, sizeof(*an));
		if (an) {
			an->arena = arena_new();
			an->analyzer = a;
		}
		if (!an || !an->arena) {
			cat_analysis_free(an ? &an->pub : NULL);
			return cat_fail(err, CAT_ENOMEM, "out of memory");
		}
		*out = &an->pub;
	}
	if (!an->scratch) {
		/* new, or made by cat_analysis_move() */
		an->scratch = calloc(1, sizeof(*an->scratch));
		if (an->scratch) {
			an->scratch->items = malloc(MAX_ITEMS * sizeof(*an->scratch->items));
			for (i = 0; i < HOST_SLOTS; i++)
				an->scratch->hosts[i].n_hits = (size_t)-1; /* empty */
		}
		if (!an->scratch || !an->scratch->items) {
			if (an->scratch)
				free(an->scratch->items);
			free(an->scratch);
			an->scratch = NULL;
			return cat_fail(err, CAT_ENOMEM, "out of memory");
		}
	}
	x = an->scratch;
	items = x->items;
	m.encoded = m.convert = 0;
	m.html.start = m.html.end = 0;
	an->pub.decoded = 0;
	{
		/* a message with bare CR line ends (old Mac mail programs, and
		 * bounces saved by them), all of them or mixed with LF and CRLF
		 * (parts pasted together, a relay that rewrote some), is read
		 * as if they were LF: a copy of the same length, so every offset
		 * still indexes the input. One stray CR is left alone. */
		size_t plain = plain_len(text, len);
		const char *cr = plain < len ? memchr(text + plain, '\r', len - plain) : NULL;
		const char *end = text + len;
		size_t bare = 0;

		/* a log line is plain, most often: no CR, no LF, nothing to
		 * escape, found in one walk */
		x->plain_in = plain == len ? text : NULL;
		x->plain_len = len;
		input = text;
		while (cr && bare < 2) {
			if (cr + 1 == end || cr[1] != '\n')
				bare++;
			cr = cr + 1 < end ? memchr(cr + 1, '\r', (size_t)(end - cr - 1)) : NULL;
		}
		if (bare == 2 || (bare && !memchr(text, '\n', len))) {
			char *lf = arena_alloc(an->arena, len + 1);
			size_t k;

			if (!lf)
				return cat_fail(err, CAT_ENOMEM, "out of memory");
			for (k = 0; k < len; k++) {
				int bare_cr = text[k] == '\r' && (k + 1 == len || text[k + 1] != '\n');

				lf[k] = bare_cr ? '\n' : text[k];
			}
			text = lf;
		}
	}
	n = cols ? row_items(text, len, cols, items, &an->pub)
		 : items_of(text, len, x->plain_in != NULL, items, &m, &an->pub);
	if (m.encoded) {
		/* read it again with its text parts decoded (and converted
		 * to UTF-8 from a CJK or Cyrillic charset, up to three times
		 * as long) */
		size_t cap = m.convert ? 3 * len : len;
		char *dec = arena_alloc(an->arena, cap + 1);

		if (!dec)
			return cat_fail(err, CAT_ENOMEM, "out of memory");
		len = mime_decode_parts(text, len, dec, cap);
		dec[len] = '\0';
		text = dec;
		an->pub.decoded = 1;
		n = items_of(text, len, 0, items, &m, &an->pub);
	}
	if (span_ok(m.html)) {
		/* its words are HTML: read them again as text, from a copy
		 * (evidence then indexes the copy, as for the decoded one) */
		char *txt = arena_alloc(an->arena, len + 2);

		if (!txt)
			return cat_fail(err, CAT_ENOMEM, "out of memory");
		len = mime_html_text(text, len, m.html.start, m.html.end, txt);
		txt[len] = '\0';
		text = txt;
		an->pub.decoded = 1;
		n = items_of(text, len, 0, items, &m, &an->pub);
	}
	/* the stage a bounce's words say its reply answered (a log line's
	 * reader has set its own): the recipient's own words first */
	for (i = 0; i < n; i++)
		if (items[i].stage == CAT_STAGE_NONE &&
		    !format_is_log(items[i].format) &&
		    (items[i].stage = message_stage(text, items[i].text)) == CAT_STAGE_NONE)
			items[i].stage = message_stage(text, items[i].extra);
	/* the CR-to-LF copy indexes like the input: the input is what the
	 * evidence quotes (only a decoded copy replaces it) */
	an->pub.text = an->pub.decoded ? text : input;
	an->pub.text_len = len;
	/* the scan's buffers are grown by the item that needs them
	 * (analyze_item()): a remembered decision needs none */
	if (n > an->cap) {
		struct cat_diagnosis *d = realloc(an->pub.d, n * sizeof(*d));

		if (!d)
			return cat_fail(err, CAT_ENOMEM, "out of memory");
		an->pub.d = d;
		an->cap = n;
	}
	memset(&ds, 0, offsetof(struct dstate, ev));
	ds.a = a;
	ds.an = an;
	for (i = 0; i < n && s == CAT_OK; i++) {
		ds.d = &an->pub.d[i];
		if (analyze_item(&ds, i, text, &items[i], &sc) != CAT_OK)
			s = cat_fail(err, CAT_ENOMEM, "out of memory");
		an->pub.n++;
	}
	return s;
}

enum cat_status
cat_analyze(const struct cat_analyzer *a, const char *text, size_t len, struct cat_analysis **out,
	    struct cat_error *err)
{
	return analyze(a, NULL, text, len, out, err);
}

enum cat_status
cat_analyze_row(const struct cat_analyzer *a, const struct cat_columns *cols, const char *row,
		size_t len, struct cat_analysis **out, struct cat_error *err)
{
	if (!cols)
		return cat_fail(err, CAT_EUSAGE, "cat_analyze_row: bad arguments");
	return analyze(a, cols, row, len, out, err);
}
