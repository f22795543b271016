/* stamp.h: log time stamps read into their fields: one reader for the scan and its state. */
#ifndef BOUNCE_CATALOG_STAMP_H
#define BOUNCE_CATALOG_STAMP_H

enum stamp_kind {
	STAMP_NONE,
	STAMP_SYSLOG, /* "Dec  5 09:00:01": no year */
	STAMP_CIVIL,  /* RFC 3339, Exim's "2026-12-05 09:00:01", or the US
			 "12/5/2026 9:00:01 AM" of a PowerShell export */
	STAMP_TAI64N, /* multilog's "@4000000069..." */
};

/* A stamp's fields as written; what to do with a missing year or an offset
 * is the caller's (the scan speaks the log's clock, the state UTC). */
struct stamp {
	enum stamp_kind kind;
	int year;        /* 0 for syslog */
	int month, day;  /* 1..12, 1..31 */
	long secs;       /* of the day */
	int has_offset;  /* RFC 3339 with "+hh:mm" or "-hh:mm" ("Z" is none) */
	long offset;     /* seconds east of UTC */
	long long tai;   /* TAI64N: seconds since 1970, TAI (10 s ahead of the
			    label tai64nlocal removes) */
};

/* Reads the stamp at the start of NUL-terminated t; STAMP_NONE (0) when
 * it is none of the forms, or a field is out of range. */
enum stamp_kind
stamp_read(const char *t, struct stamp *out);

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), and back. */
long long
stamp_days(long long y, int m, int d);
void
stamp_civil(long long days, int *y, int *m, int *d);

#endif
