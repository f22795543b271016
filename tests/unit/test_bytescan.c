/*
 * test_bytescan.c -- the sixteen-bytes-at-a-time scans of log lines
 * (catalog/bytescan.h) against the byte loops they stand for.
 *
 * Every scan runs over every start and end of random lines of up to 80
 * bytes (the stop bytes of each set, letters, digits, capitals and bytes
 * from 0x80 are all frequent) and must give the byte loop's answer. The
 * lines end at a page that cannot be read, so a load past the end of a
 * line crashes the test. Folding to lower case must give the byte loop's
 * copy, write nothing past it, and refuse every line with a byte from 0x80.
 * find_ci() (util.c), which looks for its literal's first byte sixteen
 * bytes at a time, must find what a search byte by byte with strncasecmp()
 * finds, in texts where the literal's first bytes abound.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <strings.h>

#include "bytescan.h"
#include "check.h"
#include "util.h"

static const char *
ref_first(const char *p, const char *end, int (*stop)(unsigned char))
{
	while (p < end && !stop((unsigned char)*p))
		p++;
	return p;
}

static const char *
ref_alnum_run(const char *p, const char *lim, int *ud)
{
	for (; p < lim; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))
			*ud = 1;
		else if (!(c >= 'a' && c <= 'z'))
			break;
	}
	return p;
}

static int
stop_addr(unsigned char c)
{
	return bs_addr_stop(c);
}

static int
stop_relay(unsigned char c)
{
	return bs_relay_stop(c);
}

static int
stop_prog(unsigned char c)
{
	return bs_prog_stop(c);
}

static int
stop_eq(unsigned char c)
{
	return bs_eq(c);
}

static int
stop_at(unsigned char c)
{
	return bs_at(c);
}

static int
stop_space(unsigned char c)
{
	return bs_space(c);
}

static int
stop_rbracket(unsigned char c)
{
	return bs_rbracket(c);
}

/* the '@' before the stop of an address, byte by byte */
static int
ref_at_before(const char *p, const char *end)
{
	const char *e = ref_first(p, end, stop_addr);

	return memchr(p, '@', (size_t)(e - p)) != NULL;
}

/* find_ci() as it was: a byte at a time, then strncasecmp() */
static const char *
ref_find_ci(const char *s, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if (n == 0 || s >= end || (size_t)(end - s) < n)
		return NULL;
	for (; s <= end - n; s++)
		if ((*s == tolower((unsigned char)lit[0]) || *s == toupper((unsigned char)lit[0])) &&
		    strncasecmp(s + 1, lit + 1, n - 1) == 0)
			return s;
	return NULL;
}

enum { MAXLEN = 80 };

int
main(void)
{
	static const char alphabet[] = "aZ09zA9m>,; \t\n\r\")[]:=.@-_\x80\xe9\xff\x7f";
	long page = sysconf(_SC_PAGESIZE);
	char *map, *line;
	unsigned seed = 12345;
	size_t round, len, i, j, bad = 0;

	map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!CHECK(map != MAP_FAILED))
		return check_done();
	/* the page after the lines cannot be read */
	CHECK(mprotect(map + page, (size_t)page, PROT_NONE) == 0);
	for (round = 0; round < 400; round++) {
		/* sparse stop bytes in some rounds, so long runs reach the tails */
		unsigned spread = round % 4 == 0 ? 2 : round % 4 == 1 ? 8 : 32;

		len = (size_t)(round % (MAXLEN + 1));
		line = map + page - len;
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			line[i] = (seed >> 16) % spread == 0
					  ? alphabet[(seed >> 8) % (sizeof(alphabet) - 1)]
					  : "abcXYZ0189qQ"[(seed >> 20) % 12];
		}
		CHECK_CASE("round %zu: a line of %zu bytes", round, len);
		for (i = 0; i <= len; i++)
			for (j = i; j <= len; j++) {
				const char *p = line + i, *e = line + j;
				int ud = 0, ud_ref = 0, at;

				bad += bs_find_addr_stop(p, e) != ref_first(p, e, stop_addr);
				bad += bs_find_relay_stop(p, e) != ref_first(p, e, stop_relay);
				bad += bs_find_prog_stop(p, e) != ref_first(p, e, stop_prog);
				bad += bs_find_eq(p, e) != ref_first(p, e, stop_eq);
				bad += bs_find_at(p, e) != ref_first(p, e, stop_at);
				bad += bs_find_space(p, e) != ref_first(p, e, stop_space);
				bad += bs_find_rbracket(p, e) != ref_first(p, e, stop_rbracket);
				at = 0;
				bad += bs_find_addr_end(p, e, &at) != ref_first(p, e, stop_addr);
				bad += at != ref_at_before(p, e);
				bad += bs_alnum_run(p, e, &ud) != ref_alnum_run(p, e, &ud_ref);
				bad += ud != ud_ref;
			}
		for (i = 0; i <= len; i++) {
			/* folding: from every start to the end of the line */
			char got[MAXLEN + 1], ref[MAXLEN + 1];
			size_t n = len - i, k;
			int high = 0;

			memset(got, '#', sizeof(got));
			for (k = 0; k < n; k++) {
				unsigned char c = (unsigned char)line[i + k];

				high |= c >= 0x80;
				ref[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			}
			if (bs_fold_ascii(got, line + i, n))
				bad += high || memcmp(got, ref, n) != 0 || got[n] != '#';
			else
				bad += !high;
		}
		CHECK_INT_EQ(bad, 0);
	}
	{
		static const char *const lits[] = { "\nfinal-recipient:", "smtp error from remote ",
						    "(in reply", "s", "sS", "\n\n", "mailer-daemon" };
		static const char pieces[] = "sSmtp \nFinal-RECIPIENT:final-recipient:(In Reply(in "
					     "reply\nMAILER-daemon smtp error from remote x\xe9";
		size_t k;

		for (round = 0; round < 300; round++) {
			len = (size_t)(round % (MAXLEN + 1));
			line = map + page - len;
			for (i = 0; i < len; i++) {
				seed = seed * 1103515245u + 12345u;
				/* runs of the pieces, so that whole literals occur */
				line[i] = (seed >> 16) % 3 ? pieces[(i + round) % (sizeof(pieces) - 1)]
							   : pieces[(seed >> 8) % (sizeof(pieces) - 1)];
			}
			CHECK_CASE("find_ci, round %zu: %zu bytes", round, len);
			for (i = 0; i <= len; i++)
				for (k = 0; k < sizeof(lits) / sizeof(lits[0]); k++)
					bad += find_ci(line + i, line + len, lits[k]) !=
					       ref_find_ci(line + i, line + len, lits[k]);
			CHECK_INT_EQ(bad, 0);
		}
	}
	CHECK_CASE("the sets hold what the readers stop at");
	CHECK(bs_addr_stop('>') && bs_addr_stop(',') && bs_addr_stop('\t') && !bs_addr_stop('@'));
	CHECK(bs_relay_stop('[') && !bs_relay_stop(':') && bs_prog_stop(':') && !bs_prog_stop(']'));
	CHECK_CASE("bs_clear() zeroes exactly the bytes it is given");
	{
		unsigned char buf[80];
		size_t off, n, k;

		bad = 0;
		for (off = 0; off < 8; off++)
			for (n = 0; n + off + 8 <= sizeof(buf); n++) {
				memset(buf, 0xa5, sizeof(buf));
				bs_clear(buf + off, n);
				for (k = 0; k < sizeof(buf); k++)
					bad += buf[k] != (k >= off && k < off + n ? 0 : 0xa5);
			}
		CHECK_INT_EQ(bad, 0);
	}
	munmap(map, (size_t)page * 2);
	return check_done();
}
