/* analyze_codes.c: the reply and enhanced codes of an item's text. */
#include "analyze.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* ------------------------------------------------------------ codes */

/* What stands before a number says whether a code can stand there. A
 * number is a code only where servers write one; elsewhere it is a version
 * (X-Mailer: Foo 2.0.8), a user id (from userid 501), a port (:587), a
 * product (Office 365), a host or queue name, a date or an address. */
enum code_pos {
	POS_NONE,   /* glued to a word, a name, a number, a colon: never a code */
	POS_WORD,   /* after a word: only a reply code with its enhanced code
		       ("error 550 5.1.1"), which no version or count looks like */
	POS_CODE,   /* where replies are written: the start of the text or of a
		       line, after a colon, a sentence, '#', LED=, dsn=, stat= */
	POS_OPENER, /* inside a quote or a bracket, or after a type ("smtp;"):
		       where a wrapper quotes the remote's own reply */
};

/* The input byte at offset o starts its line (white space before it aside). */
static int
line_start(const char *input, size_t o)
{
	while (o > 0 && (input[o - 1] == ' ' || input[o - 1] == '\t'))
		o--;
	return o == 0 || input[o - 1] == '\n' || input[o - 1] == '\r';
}

/* The colon at input offset o ends the name of a header field that opens
 * its line and is written with a hyphen (Mailman-Version:, X-Mailer:): the
 * returned message's headers, whose numbers are no codes. Diagnostic-Code
 * (RFC 3464) is the one such field that carries a reply. */
static int
header_field_colon(const char *input, size_t o)
{
	size_t s = o;
	int hyphen = 0;

	while (s > 0 && (isalnum((unsigned char)input[s - 1]) || input[s - 1] == '-')) {
		s--;
		hyphen |= input[s] == '-';
	}
	if (!hyphen || s == o || !(s == 0 || input[s - 1] == '\n' || input[s - 1] == '\r'))
		return 0;
	return !(o - s == 15 && strncasecmp(input + s, "diagnostic-code", 15) == 0);
}

/* The keys of log fields whose value is a code ("dsn=5.1.1", "stat=",
 * "status=", "code=550", "reply=", "response=", and Exchange's "{LED=554
 * 5.2.2 ...}"), before the '=' at t[i]; not the keys of a URL's query. */
static int
code_key_before(const unsigned char *t, size_t i)
{
	static const char *const keys[] = { "dsn", "stat", "led", "status", "code", "reply", "response" };
	static const unsigned char lens[] = { 3, 4, 3, 6, 4, 5, 8 };
	size_t k, l;
	unsigned char b;

	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		l = lens[k];
		if (i < l || t[i - 1] != (unsigned char)keys[k][l - 1] ||
		    memcmp(t + i - l, keys[k], l) != 0)
			continue;
		b = i > l ? t[i - l - 1] : ' ';
		/* not a URL's query ("...?code=5.7.606") */
		return !(isalnum(b) || b == '?' || b == '&');
	}
	return 0;
}

/* The colon at t[o] ends a word that names a measure, not a reply: a spam
 * score or a version ("SpamAssassin score: 5.2.1", "version: 5.1.2"),
 * whose dotted number looks like an enhanced code. */
static int
measure_colon(const unsigned char *t, size_t o)
{
	static const char *const words[] = { "score", "version", "hits" };
	static const unsigned char lens[] = { 5, 7, 4 };
	size_t k, l;

	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
		l = lens[k];
		if (o >= l && t[o - 1] == (unsigned char)words[k][l - 1] &&
		    memcmp(t + o - l, words[k], l) == 0 && (o == l || !isalnum(t[o - l - 1])))
			return 1;
	}
	return 0;
}

static enum code_pos
code_position(const struct scan *sc, const char *input, size_t i)
{
	const unsigned char *t = sc->norm;
	unsigned char p;

	if (i == 0)
		return POS_CODE;
	p = t[i - 1];
	if (p == ' ') {
		if (line_start(input, sc->map[i]))
			return POS_CODE;
		if (i == 1)
			return POS_CODE;
		p = t[i - 2];
		switch (p) {
		case ':':
			if (header_field_colon(input, sc->map[i - 2]) || measure_colon(t, i - 2))
				return POS_NONE;
			return POS_CODE;
		case '.': case '!': case '?': case '>': case '#': case '=': case '|': case '-': case '*':
			return POS_CODE;
		case '<': /* Sendmail's transcript marks a line "<<< 550 ...": the
			     next one is the next reply, not a quote of this one */
			return i >= 3 && t[i - 3] == '<' ? POS_CODE : POS_OPENER;
		case '\'': case '"': case '[': case '(': case '{': case ';':
			return POS_OPENER;
		case 0x9a: /* a full-width colon, U+FF1A, as CJK text writes it */
			return i >= 4 && t[i - 4] == 0xef && t[i - 3] == 0xbc ? POS_CODE : POS_WORD;
		default:
			return POS_WORD;
		}
	}
	switch (p) {
	case '\'': case '"': case '[': case '(': case '<': case '{': case ';':
		return POS_OPENER;
	case '#':
		return POS_CODE;
	case '-': /* "smtp;550-5.1.1": a continuation prefix the scan left, a
		     reply glued to a type, the enhanced code glued to it */
		return i >= 4 && (i == 4 || !isalnum(t[i - 5])) && t[i - 4] >= '2' && t[i - 4] <= '5' &&
		       isdigit(t[i - 3]) && isdigit(t[i - 2]) ? POS_CODE : POS_NONE;
	case ',': /* a field of a CSV log ("...,550 5.1.1 ..."), or a number ("2,500") */
		return POS_WORD;
	case 0x9a: /* "原因：550": a full-width colon, U+FF1A */
		return i >= 3 && t[i - 3] == 0xef && t[i - 2] == 0xbc ? POS_CODE : POS_NONE;
	case '=':
		return code_key_before(t, i - 1) ? POS_CODE : POS_NONE;
	default:
		return POS_NONE;
	}
}

/* An enhanced code at t+i: "5.1.1" (class 2, 4 or 5; subject and detail
 * 1-3 digits), not part of a longer dotted number. Returns its length. */
size_t
codes_enhanced_at(const unsigned char *t, size_t i, size_t len, int *cls, int *subj, int *det)
{
	size_t j = i, k;
	int v;

	if (!(t[j] == '2' || t[j] == '4' || t[j] == '5') || j + 4 >= len + 0 || t[j + 1] != '.')
		return 0;
	j += 2;
	/* each number is read while it is found (a digit is at most 3 apart
	 * from the start, so v cannot overflow) */
	for (k = j, v = 0; k < len && (unsigned)(t[k] - '0') < 10u && k - j < 4; k++)
		v = v * 10 + (t[k] - '0');
	if (k == j || k - j > 3 || k >= len || t[k] != '.')
		return 0;
	*subj = v;
	j = k + 1;
	for (k = j, v = 0; k < len && (unsigned)(t[k] - '0') < 10u && k - j < 4; k++)
		v = v * 10 + (t[k] - '0');
	if (k == j || k - j > 3)
		return 0;
	/* what follows ends the code: the common space or bracket costs a
	 * compare; isalnum() (the locale's) only for bytes beyond ASCII */
	if (k < len && t[k] >= '0' &&
	    (t[k] < 0x80 ? ((unsigned)(t[k] - '0') < 10u || (unsigned)((t[k] | 0x20) - 'a') < 26u)
			 : isalnum(t[k])))
		return 0;
	if (k < len && t[k] == '.' && k + 1 < len && isdigit(t[k + 1]))
		return 0;
	*det = v;
	*cls = t[i] - '0';
	return k - i;
}

/* Whether one of the n words (of lengths lens) stands before t+i, after
 * one space. */
static int
word_before(const unsigned char *t, size_t i, const char *const *words, const unsigned char *lens, size_t n)
{
	size_t k, l;

	if (i < 2 || t[i - 1] != ' ')
		return 0;
	for (k = 0; k < n; k++) {
		l = lens[k];
		if (i - 1 >= l && t[i - 2] == (unsigned char)words[k][l - 1] &&
		    memcmp(t + i - 1 - l, words[k], l) == 0 && (i - 1 == l || !isalnum(t[i - 2 - l])))
			return 1;
	}
	return 0;
}

/* Whether the word before t+i (after one space) names what follows as a
 * reply: "error 550", "code 550", "reply 550". These are the words of the
 * reply's own syntax, as "dsn=" is; a number after any other word
 * ("userid 501", "version 550") is not a code. */
static int
reply_word_before(const unsigned char *t, size_t i)
{
	static const char *const words[] = { "error", "code", "reply" };
	static const unsigned char lens[] = { 5, 4, 5 };

	return word_before(t, i, words, lens, sizeof(words) / sizeof(words[0]));
}

/* Whether the word before t+i (after one space) names what follows as a
 * status: "with status 5.1.1", "error code 5.7.1". */
static int
status_word_before(const unsigned char *t, size_t i)
{
	static const char *const words[] = { "status", "code", "error" };
	static const unsigned char lens[] = { 6, 4, 5 };

	return word_before(t, i, words, lens, sizeof(words) / sizeof(words[0]));
}

/* A reply code at t+i: three digits, the first 2-5 and the second 0-5 (RFC
 * 5321), then a space, the end, or what servers glue to it ("550-", "550:",
 * "550'", "[550]"). Returns it, or 0. */
static int
reply_at(const unsigned char *t, size_t i, size_t n)
{
	if (i + 3 > n || t[i] < '2' || t[i] > '5' || t[i + 1] < '0' || t[i + 1] > '5' ||
	    !isdigit(t[i + 2]))
		return 0;
	if (i + 3 < n && !(t[i + 3] == ' ' || t[i + 3] == '-' || t[i + 3] == ')' || t[i + 3] == '\'' ||
			   t[i + 3] == ',' || t[i + 3] == ';' || t[i + 3] == ':' || t[i + 3] == ']' ||
			   t[i + 3] == '"' || t[i + 3] == '>'))
		return 0;
	return (t[i] - '0') * 100 + (t[i + 1] - '0') * 10 + (t[i + 2] - '0');
}

/* The reply code at t+i goes on with an enhanced code or words ("'550
 * 5.7.1 ...", "smtp;550 ..."): a reply of its own, not a number in
 * brackets ("... [550]"). */
static int
quoted_reply(const unsigned char *t, size_t i, size_t n)
{
	return i + 4 < n && (t[i + 3] == ' ' || t[i + 3] == '-' || t[i + 3] == ':') &&
	       (isalnum(t[i + 4]) || (t[i + 4] == ' ' && i + 5 < n && isalnum(t[i + 5])));
}

/* Where the reply quoted at t+k ends: at the last closer of the quote or
 * bracket that opens it, else at n (after "smtp;" it runs to the end). */
static size_t
own_end_of(const unsigned char *t, size_t k, size_t n)
{
	unsigned char o = k > 0 ? t[k - 1] : 0, c;
	size_t e;

	if (o == ' ' && k > 1)
		o = t[k - 2];
	c = o == '\'' ? '\'' : o == '"' ? '"' : o == '[' ? ']' : o == '(' ? ')' : o == '<' ? '>'
	  : o == '{' ? '}' : 0;
	if (!c)
		return n;
	for (e = n; e > k; e--)
		if (t[e - 1] == c)
			return e - 1;
	return n;
}

/* The reply and enhanced codes of the normalized text, where codes can
 * stand (code_position()), or those of the first continuation prefix of a
 * multi-line reply. A wrapper's reply gives way to the remote's own reply
 * it quotes (the innermost one); a 2xx or 3xx reply of a transcript (a
 * greeting, "250 Ok") to a failure after it; in a text the structure says
 * failed, a success code is never read. Offsets are into the input. */
void
codes_read(const struct scan *sc, const char *input, struct codes *c)
{
	const unsigned char *t = sc->norm;
	size_t i, n = sc->len < sc->codes_end ? sc->len : sc->codes_end;
	size_t reply_norm = 0; /* where the reply read starts, in t */
	size_t any_reply = 0;  /* 1 + where the last reply code seen starts */
	int failed_only = sc->no_success;
	size_t word_reply = 0; /* 1 + where "error 550" starts */
	size_t word_enh = 0;   /* 1 + where "status 5.1.1" starts */

	memset(c, 0, sizeof(*c));
	if (sc->cont_reply && !(sc->no_success && sc->cont_reply < 400)) {
		int cl, su, de;

		c->reply = sc->cont_reply;
		c->reply_at = sc->cont_reply_at;
		c->reply_end = sc->cont_reply_at + 3;
		if (sc->cont_enh_end > sc->cont_enh_at &&
		    codes_enhanced_at((const unsigned char *)input + sc->cont_enh_at, 0,
				sc->cont_enh_end - sc->cont_enh_at, &cl, &su, &de)) {
			c->cls = cl;
			c->subj = su;
			c->det = de;
			c->enh_at = sc->cont_enh_at;
			c->enh_end = sc->cont_enh_end;
			/* "error 550-'5.7.1 ...'": a relay quotes the remote's reply,
			 * whose words are its own (the prefix is not in t) */
			if (sc->cont_enh_at > 0 && (input[sc->cont_enh_at - 1] == '\'' ||
						    input[sc->cont_enh_at - 1] == '"')) {
				for (i = 0; i < n && sc->map[i] < sc->cont_enh_end; i++)
					;
				if (i > 0 && i < n) {
					unsigned char q = (unsigned char)input[sc->cont_enh_at - 1];

					c->own_start = i;
					for (c->own_end = n; c->own_end > i && t[c->own_end - 1] != q;
					     c->own_end--)
						;
					if (c->own_end == i)
						c->own_end = n;
				}
			}
			return;
		}
	}
	for (i = 0; i < n; i++) {
		enum code_pos pos;
		int cl, su, de, r;
		size_t l;

		while (i < n && (unsigned)(t[i] - '2') > 3u)
			i++;
		if (i == n)
			break;
		/* a delivered line's codes come first: nothing after them counts */
		if (sc->delivered && c->reply && c->cls)
			break;
		pos = code_position(sc, input, i);
		if (pos == POS_NONE)
			continue;
		if ((l = codes_enhanced_at(t, i, n, &cl, &su, &de))) {
			/* after a word only right after a reply ("error 550 5.1.1") */
			int paired = c->reply && i == reply_norm + 4;

			/* the remote's own reply quoted by a wrapper has its own
			 * codes: the wrapper's after the quote ("(#5.0.0)") are not */
			int outside = c->own_end && (i < c->own_start || i >= c->own_end);

			/* a generic X.0.0 gives way to a specific code of its
			 * class after it: Exchange 2003's "< #5.0.0 smtp; 5.1.0 -
			 * Unknown address error ...>" */
			int specific = c->cls == cl && c->subj == 0 && c->det == 0 && (su || de) &&
				       !c->own_end;

			if (su <= 7 && !outside && (pos != POS_WORD || any_reply == i - 3) &&
			    !(failed_only && cl == 2) &&
			    (!c->cls || (c->cls == 2 && cl != 2) || paired || specific)) {
				c->cls = cl;
				c->subj = su;
				c->det = de;
				c->enh_at = sc->map[i];
				c->enh_end = sc->map[i + l - 1] + 1;
			} else if (!c->cls && pos == POS_WORD && !word_enh && su <= 7 &&
				   !(failed_only && cl == 2) && status_word_before(t, i)) {
				/* "failed with status 5.1.1", "error code 5.7.1":
				 * an enhanced code named as such, kept in case no
				 * other stands where a code can */
				word_enh = i + 1;
			}
			i += l - 1;
			continue;
		}
		if (!(r = reply_at(t, i, n)) || (failed_only && r < 400))
			continue;
		if (pos == POS_WORD && !(i + 4 < n && t[i + 3] == ' ' &&
					 codes_enhanced_at(t, i + 4, n, &cl, &su, &de))) {
			/* "SMTP error 550 User unknown", "Permanent Error 550": a
			 * failure's reply named as such, kept in case no reply
			 * stands where a code can */
			if (!word_reply && r >= 400 && reply_word_before(t, i))
				word_reply = i + 1;
			continue;
		}
		/* the exit status of a local mailer (X-Unix; 67) */
		if (sc->exit_status && i == 0)
			continue;
		any_reply = i + 1;
		if (!c->reply && !(pos == POS_OPENER && c->cls && r >= 400 && quoted_reply(t, i, n))) {
			/* the first reply */
		} else if (c->reply && c->reply < 400 && r >= 400 && !sc->delivered) {
			/* a transcript: the failure after a greeting or "250 Ok" */
			if (c->cls == 2)
				c->cls = 0;
		} else if (pos == POS_OPENER && quoted_reply(t, i, n) && r / 100 >= c->reply / 100 &&
			   (!c->own_end || (i > c->own_start && i < c->own_end))) {
			/* the remote's own reply quoted by a wrapper: its codes,
			 * not the wrapper's, and its text first. The innermost
			 * wins (a quote inside the quote), not the next line of a
			 * transcript; a permanent wrapper around a transient reply
			 * is the verdict (it gave up) and the reply its cause */
			c->cls = 0; /* enh_at, enh_end keep the wrapper's */
			c->own_start = i;
			c->own_end = own_end_of(t, i, n);
		} else {
			i += 2;
			continue;
		}
		c->reply = r;
		c->reply_at = sc->map[i];
		c->reply_end = sc->map[i + 2] + 1;
		reply_norm = i;
		if (r >= 400)
			failed_only = 1;
		i += 2;
	}
	if (!c->cls && word_enh && !c->own_end) {
		int cl, su, de;
		size_t l;

		i = word_enh - 1;
		l = codes_enhanced_at(t, i, n, &cl, &su, &de);
		c->cls = cl;
		c->subj = su;
		c->det = de;
		c->enh_at = sc->map[i];
		c->enh_end = sc->map[i + l - 1] + 1;
	}
	if (!c->reply && word_reply && !(sc->exit_status && word_reply == 1)) {
		i = word_reply - 1;
		c->reply = reply_at(t, i, n);
		c->reply_at = sc->map[i];
		c->reply_end = sc->map[i + 2] + 1;
	}
}

/* The codes of a reply that starts "250 2.0.0 " (a reply code and a
 * space, an enhanced code, then a space or the end), read from the text
 * as it is: what codes_read() would find first in its normalized form.
 * Returns 0 for any other start. */
int
codes_raw(const char *input, struct span t, struct codes *c)
{
	const unsigned char *p = (const unsigned char *)input + t.start;
	size_t n = span_len(t), l;
	int cl, su, de;

	if (n < 10 || p[0] < '2' || p[0] > '5' || p[1] < '0' || p[1] > '9' || p[2] < '0' || p[2] > '9' ||
	    p[3] != ' ')
		return 0;
	l = codes_enhanced_at(p, 4, n, &cl, &su, &de);
	if (!l || (4 + l < n && p[4 + l] != ' '))
		return 0;
	memset(c, 0, sizeof(*c));
	c->reply = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	c->reply_at = t.start;
	c->reply_end = t.start + 3;
	c->cls = cl;
	c->subj = su;
	c->det = de;
	c->enh_at = t.start + 4;
	c->enh_end = t.start + 4 + l;
	return 1;
}
