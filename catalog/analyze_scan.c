/* analyze_scan.c: an item's texts normalized (folded, prefixes removed) and scanned once. */
#include "analyze.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "acm.h"
#include "util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Whether the words [start, end) of the normalized text t lie inside one
 * address or URL: a token (no blank in it) holding an '@' or "://". Words
 * there are no evidence: "spam" in <spam@example.net>, "spam" and
 * "blocked" in https://help.example.net/virus-and-spam/blocked. A token is
 * looked at only so far (an address is at most 254 bytes). */
static int
in_address(const unsigned char *t, size_t len, size_t start, size_t end)
{
	size_t i, lo, hi;

	for (i = start; i < end; i++)
		if (t[i] <= ' ')
			return 0;
	for (lo = start; lo > 0 && t[lo - 1] > ' ' && start - lo < 256; lo--)
		;
	for (hi = end; hi < len && t[hi] > ' ' && hi - end < 256; hi++)
		;
	if (memchr(t + lo, '@', hi - lo))
		return 1;
	for (i = lo; i + 3 <= hi; i++)
		if (t[i] == ':' && t[i + 1] == '/' && t[i + 2] == '/')
			return 1;
	return 0;
}

/* The longest run before an id marker's infix (Gmail's are about 40). */
#define ID_HEAD_MAX 64

/* Whether c may stand beside a token: a blank, the text's edge (0) or
 * punctuation that is not part of a host name, address, URL or path. */
static int
token_edge(unsigned char c)
{
	return c <= ' ' || strchr("()[]<>,;'\"", c) != NULL;
}

/* A marker of place "id" is the fixed infix of a provider's transaction
 * ids, such as Gmail's "si" in "xp1si7533737lbb.14": it counts only inside
 * a token of that shape, which ordinary words, host names and other
 * providers' ids do not have: at least two letters, digits or '-', the
 * infix at t[*start, *end), at least five digits, one to four letters, a
 * dot and one to five digits, the token ending there (a sentence's full
 * stop may follow). On a fit, [*start, *end) becomes the token: 1, else 0. */
static int
id_token(const unsigned char *t, size_t len, size_t *start, size_t *end)
{
	size_t b = *start, e = *end, n;

	/* after the infix first: most hits ("si" in "single") fail at once;
	 * before it at most ID_HEAD_MAX bytes, so a long token costs little */
	for (n = 0; e < len && isdigit(t[e]); e++)
		n++;
	if (n < 5)
		return 0;
	for (n = 0; e < len && isalpha(t[e]); e++)
		n++;
	if (n < 1 || n > 4 || e >= len || t[e] != '.')
		return 0;
	for (n = 0, e++; e < len && isdigit(t[e]); e++)
		n++;
	if (n < 1 || n > 5)
		return 0;
	if (e < len && !token_edge(t[e]) && !(t[e] == '.' && (e + 1 == len || t[e + 1] <= ' ')))
		return 0;
	for (n = 0; b > 0 && n <= ID_HEAD_MAX && (isalnum(t[b - 1]) || t[b - 1] == '-'); b--)
		n++;
	if (n < 2 || n > ID_HEAD_MAX || (b > 0 && !token_edge(t[b - 1])))
		return 0;
	*start = b;
	*end = e;
	return 1;
}

/* Whether byte c may be part of a host name's label. */
static int
label_byte(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_';
}

/* Whether the labels t[b, e) hold an IPv4 address written into a name:
 * four numbers of one to three digits, each joined to the next by one '-'
 * or '.' ("c-73-1-2-3", "ip68-1-2-3", "1.2.3.4.dynamic"). An ISP gives
 * such names to its customers' lines, and a refusal names them as the
 * client that connected, never as the server that answered. */
static int
ip_in_labels(const unsigned char *t, size_t b, size_t e)
{
	size_t i = b;
	int run = 0;

	while (i < e) {
		size_t d = i;

		while (d < e && isdigit(t[d]))
			d++;
		if (d == i || d - i > 3) {
			run = 0;
			i = d > i ? d : i + 1;
			continue;
		}
		if (++run == 4)
			return 1;
		if (d + 1 < e && (t[d] == '-' || t[d] == '.') && isdigit(t[d + 1]))
			i = d + 1;
		else {
			run = 0;
			i = d + 1;
		}
	}
	return 0;
}

/* A marker of place "host" (comcast.net) names its provider only as the
 * whole last labels of a host name: not inside another name
 * (notcomcast.net, comcast.net.example.org), not as an address's domain
 * (alice@comcast.net: the sender's address, or the recipient's, whose
 * provider the recipient's domain already gives), not as a bare domain of
 * two labels (a domain named in a sentence, "Unauthenticated email from
 * comcast.net", is mostly the sender's: a server's name has a label more)
 * and not as the name of a customer's line with its IP address in it
 * (c-73-1-2-3.hsd1.ca.comcast.net, the client a refusal is about). A
 * marker's edge that is not a label byte ("email-smtp.") is no boundary to
 * check. */
static int
host_token(const unsigned char *t, size_t len, size_t start, size_t end)
{
	size_t b, n, i, dots = 0;

	if (start > 0 && label_byte(t[start]) && label_byte(t[start - 1]))
		return 0;
	if (end < len && label_byte(t[end - 1]) &&
	    (label_byte(t[end]) || (t[end] == '.' && end + 1 < len && label_byte(t[end + 1]))))
		return 0;
	for (b = start, n = 0; b > 0 && n < 256 && (label_byte(t[b - 1]) || t[b - 1] == '.'); b--)
		n++;
	if (b > 0 && t[b - 1] == '@')
		return 0;
	for (i = start; i < end; i++)
		dots += t[i] == '.';
	if (dots == 1 && label_byte(t[start]) && label_byte(t[end - 1]) && b == start)
		return 0;
	return !ip_in_labels(t, b, start);
}

/* Whether hits[] holds parts[part] ending at or before the byte at. */
static int
part_before(const struct scan *sc, int part, size_t at)
{
	size_t i = sc->n_hits;

	while (i-- > 0)
		if (sc->hits[i].id == PAT_ID(PAT_PART, part) && sc->hits[i].end <= at)
			return 1;
	return 0;
}

static int
on_hit(void *arg, int id, size_t end)
{
	struct scan *sc = arg;
	const struct cat_analyzer *a = sc->a;
	size_t len = 0, start;
	int idx = PAT_INDEX(id);

	switch (PAT_KIND(id)) {
	case PAT_PHRASE:
		len = a->phrases[idx].len;
		break;
	case PAT_MARKER:
		len = a->markers[idx].len;
		break;
	case PAT_FRAG:
		len = a->frags[idx].len;
		break;
	case PAT_TAG:
		len = strlen(a->entries[idx].tag);
		break;
	case PAT_PART:
		len = a->parts[idx].len;
		break;
	default:
		return 0;
	}
	end += sc->scan_off;
	start = end - len;
	/* a tag is a word of its own: CS01 is not in ABCS012 */
	if (PAT_KIND(id) == PAT_TAG &&
	    ((start > 0 && isalnum(sc->norm[start - 1])) || (end < sc->len && isalnum(sc->norm[end]))))
		return 0;
	if (PAT_KIND(id) == PAT_PHRASE && in_address(sc->norm, sc->len, start, end))
		return 0;
	if (PAT_KIND(id) == PAT_MARKER && a->markers[idx].is_id && !id_token(sc->norm, sc->len, &start, &end))
		return 0;
	if (PAT_KIND(id) == PAT_MARKER && a->markers[idx].is_host &&
	    !host_token(sc->norm, sc->len, start, end))
		return 0;
	/* a later part of a phrase or marker with gaps joins only a part found
	 * before it: without one it is not kept, so a short part such as the
	 * ")" of "(AS<n>)" costs no room in hits[] on text without the rest */
	if (PAT_KIND(id) == PAT_PART && a->parts[idx].k > 0 && !part_before(sc, idx - 1, start))
		return 0;
	if (sc->n_hits < MAX_HITS) {
		sc->hits[sc->n_hits].id = id;
		sc->hits[sc->n_hits].start = start;
		sc->hits[sc->n_hits].end = end;
		sc->n_hits++;
	}
	return 0;
}

/* Markers only (and the parts of markers with gaps): a delivered message
 * needs no more. */
static int
on_hit_marker(void *arg, int id, size_t end)
{
	const struct scan *sc = arg;

	return PAT_KIND(id) == PAT_MARKER ||
			       (PAT_KIND(id) == PAT_PART && sc->a->parts[PAT_INDEX(id)].marker >= 0)
		       ? on_hit(arg, id, end)
		       : 0;
}

/* What a byte inside a word becomes in the normalized text, or 0 when it
 * needs a closer look (space, controls, '=' of quoted-printable, '_' of
 * qmail, escape sequences, non-ASCII). */
static const unsigned char word_byte[256] = {
#define W(c) [c] = c
#define U(c) [c] = c + 32
	W('a'), W('b'), W('c'), W('d'), W('e'), W('f'), W('g'), W('h'), W('i'), W('j'), W('k'),
	W('l'), W('m'), W('n'), W('o'), W('p'), W('q'), W('r'), W('s'), W('t'), W('u'), W('v'),
	W('w'), W('x'), W('y'), W('z'), U('A'), U('B'), U('C'), U('D'), U('E'), U('F'), U('G'),
	U('H'), U('I'), U('J'), U('K'), U('L'), U('M'), U('N'), U('O'), U('P'), U('Q'), U('R'),
	U('S'), U('T'), U('U'), U('V'), U('W'), U('X'), U('Y'), U('Z'), W('0'), W('1'), W('2'),
	W('3'), W('4'), W('5'), W('6'), W('7'), W('8'), W('9'), W('.'), W(','), W(':'), W(';'),
	W('-'), W('/'), W('('), W(')'), W('['), W(']'), W('<'), W('>'), W('@'), W('!'), W('"'),
	W('#'), W('$'), W('%'), W('&'), W('\''), W('*'), W('+'), W('?'), W('^'), W('`'), W('{'), W('|'),
	W('}'), W('~'), W('\\'),
#undef W
#undef U
};

#ifdef __SSE2__
/* The word bytes (word_byte[] not 0: '!' to '~' but '=' and '_') that
 * start the 16 bytes at in, folded into out with their offsets (off on)
 * into map; returns how many. out and map take 16 whatever the count. */
static int
word_run16(const char *in, unsigned char *out, uint32_t *map, uint32_t off)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)in);
	__m128i word = _mm_andnot_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('=')),
						     _mm_cmpeq_epi8(x, _mm_set1_epi8('_'))),
					_mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(' ')),
						      _mm_cmplt_epi8(x, _mm_set1_epi8(0x7f))));
	__m128i upper = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)),
				      _mm_cmplt_epi8(x, _mm_set1_epi8('Z' + 1)));
	__m128i o = _mm_set1_epi32((int)off);
	unsigned m = (unsigned)_mm_movemask_epi8(word);

	_mm_storeu_si128((__m128i *)(void *)out,
			 _mm_add_epi8(x, _mm_and_si128(upper, _mm_set1_epi8(32))));
	_mm_storeu_si128((__m128i *)(void *)map, _mm_add_epi32(o, _mm_setr_epi32(0, 1, 2, 3)));
	_mm_storeu_si128((__m128i *)(void *)(map + 4), _mm_add_epi32(o, _mm_setr_epi32(4, 5, 6, 7)));
	_mm_storeu_si128((__m128i *)(void *)(map + 8), _mm_add_epi32(o, _mm_setr_epi32(8, 9, 10, 11)));
	_mm_storeu_si128((__m128i *)(void *)(map + 12),
			 _mm_add_epi32(o, _mm_setr_epi32(12, 13, 14, 15)));
	return m == 0xffff ? 16 : __builtin_ctz(~m);
}
#endif

/* Whether a number goes on at input[j] after "NNN-" ("555-0100", a
 * telephone number in a signature; "450-500", a range): a digit that does
 * not start the enhanced code of a continuation line ("550-5.1.1"). */
static int
number_goes_on(const char *input, size_t j, size_t end)
{
	return j < end && isdigit((unsigned char)input[j]) && !(j + 1 < end && input[j + 1] == '.');
}

/* Appends input[s.start..s.end) to the normalized text: folded, white
 * space collapsed, "550-5.1.1 " continuation prefixes removed. */
static int
normalize_into(struct scan *sc, const char *input, struct span s, int qmail)
{
	/* locals, not sc's fields: a store through norm could alias them */
	unsigned char *norm = sc->norm;
	uint32_t *map = sc->map;
	size_t n = sc->len, i = s.start;
	int space = n > 0;
	unsigned cp;
	unsigned char low[2];

	while (i < s.end) {
		unsigned char c;

		/* the common case: inside a word, bytes that need at most folding */
		if (!space && n > 0) {
			unsigned char w;

			for (;;) {
#ifdef __SSE2__
				/* sixteen word bytes at a time: most of a host name
				 * or a reply is words, and a byte at a time was the
				 * most of the normalizing */
				while (i + 16 <= s.end) {
					int k = word_run16(input + i, norm + n, map + n, (uint32_t)i);

					n += (size_t)k;
					i += (size_t)k;
					if (k < 16)
						break;
				}
#endif
				while (i < s.end && (w = word_byte[(unsigned char)input[i]]) != 0) {
					norm[n] = w;
					map[n] = (uint32_t)i;
					n++;
					i++;
				}
				/* one space, then a word that does not start with a
				 * digit (which could be a continuation prefix): the
				 * space and the word go on here */
				if (i + 1 < s.end && input[i] == ' ' &&
				    (w = word_byte[(unsigned char)input[i + 1]]) != 0 &&
				    !(w >= '0' && w <= '9')) {
					norm[n] = ' ';
					map[n] = (uint32_t)(i + 1);
					n++;
					i++;
					continue;
				}
				break;
			}
			if (i == s.end)
				break;
		}
		c = (unsigned char)input[i];
		if (qmail && c == '_')
			c = ' ';
		/* a quoted-printable soft line break joins two lines of a word */
		if (c == '=' && i + 1 < s.end && (input[i + 1] == '\n' ||
						   (input[i + 1] == '\r' && i + 2 < s.end &&
						    input[i + 2] == '\n'))) {
			i += input[i + 1] == '\n' ? 2 : 3;
			continue;
		}
		if (c == 0x1b) {
			/* a terminal escape sequence separates words; it is not text */
			i++;
			if (i < s.end && input[i] == '[') {
				i++;
				while (i < s.end && ((unsigned char)input[i] < 0x40 ||
						     (unsigned char)input[i] > 0x7e))
					i++;
			}
			i++;
			space = 1;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c < 0x20 || c == 0x7f) {
			space = 1;
			i++;
			continue;
		}
		/* at a word start: drop "NNN-" and "NNN-X.Y.Z " of continuation
		 * lines, and the "NNN " or "NNN X.Y.Z " that starts the last
		 * line of the same reply ("550-... is not permitted to 550 relay
		 * through ...": the words go on across it) */
		if ((space || n == 0) && i + 4 <= s.end && isdigit((unsigned char)input[i]) &&
		    isdigit((unsigned char)input[i + 1]) && isdigit((unsigned char)input[i + 2]) &&
		    input[i] >= '2' && input[i] <= '5' &&
		    ((input[i + 3] == '-' && !number_goes_on(input, i + 4, s.end)) ||
		     (input[i + 3] == ' ' && sc->cont_reply &&
		      sc->cont_reply == (input[i] - '0') * 100 + (input[i + 1] - '0') * 10 +
					    (input[i + 2] - '0')))) {
			size_t j = i + 4;
			int r = (input[i] - '0') * 100 + (input[i + 1] - '0') * 10 + (input[i + 2] - '0');

			/* a greeting or an EHLO reply of a transcript ("220-", "250-")
			 * gives way to the failure after it */
			if (!sc->cont_reply || (sc->cont_reply < 400 && r >= 400)) {
				sc->cont_reply = r;
				sc->cont_reply_at = i;
				sc->cont_enh_at = sc->cont_enh_end = j;
			}
			/* a relay quoting the remote's reply glues a quote to it:
			 * "550-'5.7.1 ...'" */
			if (j + 2 < s.end && (input[j] == '\'' || input[j] == '"') &&
			    isdigit((unsigned char)input[j + 1]) && input[j + 2] == '.') {
				if (sc->cont_enh_at == i + 4)
					sc->cont_enh_at = sc->cont_enh_end = j + 1;
				j++;
			}
			if (j < s.end && isdigit((unsigned char)input[j]) && j + 1 < s.end &&
			    input[j + 1] == '.') {
				while (j < s.end && input[j] != ' ' && input[j] != '\n' && input[j] != '\r')
					j++;
				if (sc->cont_enh_end == sc->cont_enh_at && sc->cont_enh_at >= i + 4 &&
				    sc->cont_enh_at <= i + 5)
					sc->cont_enh_end = j;
			}
			i = j;
			space = 1;
			continue;
		}
		/* a typographic mark pasted from a word processor or a web page
		 * is read as its ASCII form (the phrases are written in ASCII);
		 * the byte maps to the mark's first, evidence() widens an end
		 * inside it */
		if (c >= 0xc2 && c <= 0xe2) {
			unsigned char pa;
			size_t pk = punct_fold((const unsigned char *)input + i, s.end - i, &pa);

			if (pk && pa == ' ') {
				space = 1;
				i += pk;
				continue;
			}
			if (pk) {
				if (space && n > 0) {
					norm[n] = ' ';
					map[n] = (uint32_t)i;
					n++;
				}
				space = 0;
				norm[n] = pa;
				map[n] = (uint32_t)i;
				n++;
				i += pk;
				continue;
			}
		}
		if (space && n > 0) {
			norm[n] = ' ';
			map[n] = (uint32_t)i;
			n++;
		}
		space = 0;
		/* folded here, as in fold(): ASCII, Latin-1, Latin Extended-A
		 * and Cyrillic capitals */
		if (c >= 'A' && c <= 'Z') {
			c = (unsigned char)(c + 32);
		} else if ((c == 0xc4 || c == 0xc5 || c == 0xd0) &&
			   letter_fold2((const unsigned char *)input + i, s.end - i, low)) {
			norm[n] = low[0];
			map[n] = (uint32_t)i;
			n++;
			i++;
			c = low[1];
		} else if (c == 0xc3 && i + 1 < s.end && (unsigned char)input[i + 1] >= 0x80 &&
			   (unsigned char)input[i + 1] <= 0x9e && (unsigned char)input[i + 1] != 0x97) {
			norm[n] = c;
			map[n] = (uint32_t)i;
			n++;
			i++;
			c = (unsigned char)((unsigned char)input[i] + 0x20);
		} else if (c >= 0xc0 && c != 0xd7 && c != 0xf7 &&
			   utf8_decode((const unsigned char *)input + i, s.end - i, &cp) == 0) {
			/* not UTF-8: a Latin-1 letter ("Empf\xe4nger"), written
			 * as its UTF-8 form, folded, so that phrases match */
			if (c <= 0xde)
				c = (unsigned char)(c + 0x20);
			norm[n] = 0xc3;
			map[n] = (uint32_t)i;
			n++;
			c = (unsigned char)(c - 0x40);
		}
		norm[n] = c;
		map[n] = (uint32_t)i;
		n++;
		i++;
	}
	if (n > 0) { /* a separator before the next span */
		norm[n] = ' ';
		map[n] = (uint32_t)s.end;
		n++;
	}
	sc->len = n;
	return 0;
}


/* The slot of a relay's name in the cache: its length and its first and
 * last eight bytes are enough to spread names (the compare decides). */
static size_t
host_slot(const unsigned char *name, size_t len)
{
	uint64_t a = 0, b = 0;

	if (len >= 8) {
		memcpy(&a, name, 8);
		memcpy(&b, name + len - 8, 8);
	} else {
		memcpy(&a, name, len);
	}
	return (size_t)((((a * 0x9e3779b97f4a7c15ULL) ^ b) * 0xff51afd7ed558ccdULL ^ len) >> 40) %
	       HOST_SLOTS;
}

/* Normalizes the texts of one item (its diagnostic text, context, relay and
 * Subject, in that order) into sc and runs the automaton over them: all of
 * them, or for a delivered line only what names the provider. The hits of
 * a relay's name are kept in x->hosts. */
void
scan_item(struct scan *sc, struct an_scratch *x, const char *input, const struct item *it)
{
	sc->len = 0;
	sc->n_hits = 0;
	sc->cont_reply = 0;
	sc->have_codes = 0;
	sc->codes_end = (size_t)-1;
	/* a bounce is never a success: where the MTA says the message failed,
	 * or in a message with no DSN that reports otherwise, a 2xx or 2.X.X
	 * is a decoy or a line of the transcript */
	sc->no_success = it->ocls == 4 || it->ocls == 5 ||
			 (!it->ocls && it->format && strncmp(it->format, "message", 7) == 0);
	sc->delivered = it->ocls == 2;
	sc->exit_status = it->exit_status;
	if (span_ok(it->text) && it->ocls == 2 && it->outcome && !it->forced_reason &&
	    span_ok(it->host) && codes_raw(input, it->text, &sc->codes))
		sc->have_codes = 1; /* a delivered line: its text is not needed */
	else if (span_ok(it->text)) {
		struct span t = it->text;

		/* a delivered line named by its relay needs only the reply's
		 * codes from its text, and they come first ("250 2.0.0 Ok:
		 * queued as ..."): its start is enough when both are there */
		if (it->ocls == 2 && it->outcome && !it->forced_reason && span_ok(it->host) &&
		    span_len(t) > CODES_PREFIX) {
			const char *sp = memchr(input + t.start + CODES_PREFIX, ' ',
						span_len(t) - CODES_PREFIX);
			struct codes c;

			if (sp) {
				t.end = (size_t)(sp - input);
				normalize_into(sc, input, t, it->qmail);
				codes_read(sc, input, &c);
				if (!c.reply || !c.cls) { /* read it all */
					sc->len = 0;
					sc->cont_reply = 0;
					t = it->text;
				}
			}
		}
		if (sc->len == 0)
			normalize_into(sc, input, t, it->qmail);
	}
	if (span_ok(it->extra))
		normalize_into(sc, input, it->extra, it->qmail);
	sc->codes_end = sc->len;
	sc->host_from = sc->len;
	if (span_ok(it->host))
		normalize_into(sc, input, it->host, 0);
	sc->origin_from = sc->len;
	if (span_ok(it->origin))
		normalize_into(sc, input, it->origin, 0);
	sc->subject_from = sc->len;
	if (span_ok(it->subject))
		normalize_into(sc, input, it->subject, 0);
	/* a delivered message needs no phrases or provider rules: most lines
	 * of a mail log are those, and they take this short way */
	sc->scan_off = 0;
	if (!(it->outcome && !it->forced_reason &&
	      it->ocls == 2)) {
		acm_scan(sc->a->acm, sc->norm, sc->len, on_hit, sc);
	} else if (sc->origin_from == sc->host_from) {
		/* no relay named (qmail): the short reply says who answered */
		acm_scan(sc->a->acm, sc->norm, sc->len, on_hit_marker, sc);
	} else {
		/* only the relay's name, for the provider; the same name gives
		 * the same hits (the bytes around it are separators), so they
		 * are kept by name */
		const unsigned char *name = sc->norm + sc->host_from;
		size_t len = sc->origin_from - sc->host_from, k;
		struct hcache *hc = NULL, *empty = NULL;
		size_t base = host_slot(name, len), q;

		/* four slots from the hash's: two relays never evict each other */
		for (q = 0; q < 4 && len <= HOST_KEY; q++) {
			struct hcache *t = &x->hosts[(base + q) % HOST_SLOTS];

			if (t->n_hits != (size_t)-1 && t->len == len && memcmp(t->name, name, len) == 0) {
				hc = t;
				break;
			}
			if (t->n_hits == (size_t)-1 && !empty)
				empty = t;
		}
		if (hc) {
			for (k = 0; k < hc->n_hits; k++) {
				sc->hits[k].id = hc->hits[k].id;
				sc->hits[k].start = sc->host_from + hc->hits[k].start;
				sc->hits[k].end = sc->host_from + hc->hits[k].end;
			}
			sc->n_hits = hc->n_hits;
		} else {
			sc->scan_off = sc->host_from;
			acm_scan(sc->a->acm, name, len, on_hit, sc);
			sc->scan_off = 0;
			hc = empty ? empty : &x->hosts[base % HOST_SLOTS];
			if (len <= HOST_KEY && sc->n_hits <= HOST_HITS) {
				memcpy(hc->name, name, len);
				hc->len = len;
				hc->n_hits = sc->n_hits;
				for (k = 0; k < sc->n_hits; k++) {
					hc->hits[k].id = sc->hits[k].id;
					hc->hits[k].start = (uint16_t)(sc->hits[k].start - sc->host_from);
					hc->hits[k].end = (uint16_t)(sc->hits[k].end - sc->host_from);
				}
			}
		}
	}
}
