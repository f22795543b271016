/* stamp.c: log time stamps read into their fields: one reader for the scan and its state. */
#include "stamp.h"

#include <string.h>

/* The value of n digits at s, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0;

	while (n--) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

/* One or two digits at *s, moved past; -1 when none. */
static int
digits12(const char **s)
{
	int v = digits(*s, 1);

	if (v < 0)
		return -1;
	(*s)++;
	if (**s >= '0' && **s <= '9')
		v = v * 10 + (*(*s)++ - '0');
	return v;
}

/* "hh:mm:ss" at s into seconds of the day; -1 when it is not one. */
static long
clock_at(const char *s)
{
	int h = digits(s, 2), m = digits(s + 3, 2), sec = digits(s + 6, 2);

	if (h < 0 || s[2] != ':' || m < 0 || s[5] != ':' || sec < 0 || h > 23 || m > 59 || sec > 60)
		return -1;
	return h * 3600L + m * 60L + sec;
}

static enum stamp_kind
civil_ok(struct stamp *o)
{
	if (o->month < 1 || o->month > 12 || o->day < 1 || o->day > 31 || o->secs < 0)
		return o->kind = STAMP_NONE;
	return o->kind;
}

/* "12/5/2026 9:00:01 AM": month first, as PowerShell writes a date in the
 * en-US culture (Export-Csv of Get-MessageTrace); a first number above 12
 * can only be a day (the day-first cultures). Without AM or PM the hour is
 * read as 0..23. */
static enum stamp_kind
slashed(const char *t, struct stamp *o)
{
	const char *p = t;
	int a, b, y, h, m, sec;

	if ((a = digits12(&p)) < 0 || *p++ != '/' || (b = digits12(&p)) < 0 || *p++ != '/' ||
	    (y = digits(p, 4)) < 0 || p[4] != ' ')
		return STAMP_NONE;
	p += 5;
	if ((h = digits12(&p)) < 0 || *p != ':' || (m = digits(p + 1, 2)) < 0 || p[3] != ':' ||
	    (sec = digits(p + 4, 2)) < 0 || m > 59 || sec > 60)
		return STAMP_NONE;
	p += 6;
	if (p[0] == ' ' && (p[1] == 'A' || p[1] == 'P') && p[2] == 'M') {
		if (h < 1 || h > 12)
			return STAMP_NONE;
		h = h % 12 + (p[1] == 'P' ? 12 : 0);
	} else if (h > 23) {
		return STAMP_NONE;
	}
	o->kind = STAMP_CIVIL;
	o->year = y;
	o->month = a > 12 ? b : a;
	o->day = a > 12 ? a : b;
	o->secs = h * 3600L + m * 60L + sec;
	return civil_ok(o);
}

enum stamp_kind
stamp_read(const char *t, struct stamp *o)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	size_t n = t ? strlen(t) : 0;
	int i;

	memset(o, 0, sizeof(*o));
	if (n >= 15 && t[3] == ' ' && t[6] == ' ') {
		/* syslog: "Dec  5 09:00:01" */
		for (i = 0; i < 12 && memcmp(months + 3 * i, t, 3) != 0; i++)
			;
		o->kind = STAMP_SYSLOG;
		o->month = i + 1;
		o->day = t[4] == ' ' ? digits(t + 5, 1) : digits(t + 4, 2);
		o->secs = clock_at(t + 7);
		return civil_ok(o);
	}
	if (n >= 19 && t[4] == '-' && t[7] == '-' && (t[10] == 'T' || t[10] == ' ') && t[13] == ':' &&
	    t[16] == ':') {
		const char *p = t + 19;
		int oh, om;

		o->kind = STAMP_CIVIL;
		o->year = digits(t, 4);
		o->month = digits(t + 5, 2);
		o->day = digits(t + 8, 2);
		o->secs = clock_at(t + 11);
		if (o->year < 0)
			return o->kind = STAMP_NONE;
		if (*p == '.' || *p == ',')
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
		while (*p == ' ')
			p++;
		if ((*p == '+' || *p == '-') && (oh = digits(p + 1, 2)) >= 0) {
			om = digits(p + (p[3] == ':' ? 4 : 3), 2);
			o->has_offset = 1;
			o->offset = (*p == '-' ? -1 : 1) * (oh * 3600L + (om > 0 ? om : 0) * 60L);
		}
		return civil_ok(o);
	}
	if (n >= 17 && t[0] == '@') {
		/* TAI64N: 2^62 + TAI seconds in 16 hex digits */
		unsigned long long v = 0;

		for (i = 1; i <= 16; i++) {
			int c = t[i] >= 'A' && t[i] <= 'F' ? t[i] + 32 : t[i];
			int x = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

			if (x < 0)
				return STAMP_NONE;
			v = v << 4 | (unsigned)x;
		}
		o->kind = STAMP_TAI64N;
		o->tai = (long long)(v - (1ULL << 62));
		return o->kind;
	}
	if (n >= 14 && t[0] >= '0' && t[0] <= '9')
		return slashed(t, o);
	return STAMP_NONE;
}

long long
stamp_days(long long y, int m, int d)
{
	/* H. Hinnant's algorithm: days since 1970-01-01 of a proleptic
	 * Gregorian date, without the C library's time zone */
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

void
stamp_civil(long long z, int *y, int *m, int *d)
{
	/* the inverse of stamp_days() (same author) */
	long long era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (long long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}
