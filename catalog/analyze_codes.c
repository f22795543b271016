/* analyze_codes.c: the reply and enhanced codes of an item's text. */
#include "analyze.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

/* ------------------------------------------------------------ codes */

static int
is_code_boundary_before(const unsigned char *t, size_t i)
{
	return i == 0 || !(isalnum(t[i - 1]) || t[i - 1] == '.' || t[i - 1] == '[' ||
			   t[i - 1] == '-' || t[i - 1] == '/' || t[i - 1] == '=' || t[i - 1] == '_' ||
			   t[i - 1] == '@');
}

/* An enhanced code at t+i: "5.1.1" (class 2, 4 or 5; subject and detail
 * 1-3 digits), not part of a longer dotted number. Returns its length. */
size_t
codes_enhanced_at(const unsigned char *t, size_t i, size_t len, int *cls, int *subj, int *det)
{
	size_t j = i, k;

	if (!(t[j] == '2' || t[j] == '4' || t[j] == '5') || j + 4 >= len + 0 || t[j + 1] != '.')
		return 0;
	j += 2;
	for (k = j; k < len && isdigit(t[k]) && k - j < 4; k++)
		;
	if (k == j || k - j > 3 || k >= len || t[k] != '.')
		return 0;
	*subj = 0;
	for (size_t d = j; d < k; d++)
		*subj = *subj * 10 + (t[d] - '0');
	j = k + 1;
	for (k = j; k < len && isdigit(t[k]) && k - j < 4; k++)
		;
	if (k == j || k - j > 3)
		return 0;
	if (k < len && (isalnum(t[k]) || (t[k] == '.' && k + 1 < len && isdigit(t[k + 1]))))
		return 0;
	*det = 0;
	for (size_t d = j; d < k; d++)
		*det = *det * 10 + (t[d] - '0');
	*cls = t[i] - '0';
	return k - i;
}

/* The first reply code and the first enhanced code of the normalized text,
 * or those of the first continuation prefix of a multi-line reply. Offsets
 * are into the input. */
void
codes_read(const struct scan *sc, const char *input, struct codes *c)
{
	const unsigned char *t = sc->norm;
	size_t i, n = sc->len;

	memset(c, 0, sizeof(*c));
	if (sc->cont_reply) {
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
			return;
		}
	}
	for (i = 0; i < n; i++) {
		int cl, su, de;
		size_t l;

		/* Exchange's "{LED=554 5.2.2 ...}" writes the reply after LED= */
		if (!is_code_boundary_before(t, i) && !(i > 0 && t[i - 1] == '#') &&
		    !(i >= 4 && memcmp(t + i - 4, "led=", 4) == 0))
			continue;
		if (!c->cls && (l = codes_enhanced_at(t, i, n, &cl, &su, &de))) {
			c->cls = cl;
			c->subj = su;
			c->det = de;
			c->enh_at = sc->map[i];
			c->enh_end = sc->map[i + l - 1] + 1;
			i += l - 1;
			continue;
		}
		if (!c->reply && i + 3 <= n && t[i] >= '2' && t[i] <= '5' && isdigit(t[i + 1]) &&
		    isdigit(t[i + 2]) && (i + 3 == n || t[i + 3] == ' ' || t[i + 3] == '-' ||
					  t[i + 3] == ')' || t[i + 3] == '\'' || t[i + 3] == ',' ||
					  t[i + 3] == ';')) {
			/* not a port ":25" or part of a time or a count ("in 421 ms") */
			if (i > 0 && t[i - 1] == ':' && !(i > 1 && t[i - 2] == ' '))
				continue;
			c->reply = (t[i] - '0') * 100 + (t[i + 1] - '0') * 10 + (t[i + 2] - '0');
			c->reply_at = sc->map[i];
			c->reply_end = sc->map[i + 2] + 1;
		}
		if (c->reply && c->cls)
			break;
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

	if (n < 10 || p[0] < '2' || p[0] > '5' || !isdigit(p[1]) || !isdigit(p[2]) || p[3] != ' ')
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
