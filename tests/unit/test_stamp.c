/*
 * test_stamp.c -- the one reader of log time stamps (catalog/stamp.c) that
 * the scan and its state share, and the header rows of message trace
 * exports (cat_columns_read()).
 */
#include <stdio.h>
#include <string.h>

#include "bounce/catalog.h"
#include "check.h"
#include "stamp.h"

int
main(void)
{
	static const struct {
		const char *in;
		enum stamp_kind kind;
		int year, month, day;
		long secs, offset;
	} cases[] = {
		{ NULL, STAMP_NONE, 0, 0, 0, 0, 0 },
		{ "", STAMP_NONE, 0, 0, 0, 0, 0 },
		{ "Dec  5 09:00:01 mx postfix/smtp[1]:", STAMP_SYSLOG, 0, 12, 5, 32401, 0 },
		{ "Jan 15 23:59:60 mx", STAMP_SYSLOG, 0, 1, 15, 86400, 0 },
		{ "Foo  5 09:00:01 mx", STAMP_NONE, 0, 0, 0, 0, 0 },
		{ "Dec  5 24:00:01 mx", STAMP_NONE, 0, 0, 0, 0, 0 },
		{ "2026-12-05T09:00:01.123+01:00 mx", STAMP_CIVIL, 2026, 12, 5, 32401, 3600 },
		{ "2026-12-05 09:00:01 1vA-000", STAMP_CIVIL, 2026, 12, 5, 32401, 0 },
		{ "2026-12-05T09:00:01.1234567Z,", STAMP_CIVIL, 2026, 12, 5, 32401, 0 },
		{ "2026-13-05T09:00:01Z", STAMP_NONE, 0, 0, 0, 0, 0 },
		/* PowerShell's en-US dates: month first, 12-hour clock */
		{ "12/5/2026 9:00:01 AM", STAMP_CIVIL, 2026, 12, 5, 32401, 0 },
		{ "12/5/2026 1:15:00 PM", STAMP_CIVIL, 2026, 12, 5, 47700, 0 },
		{ "1/31/2026 12:30:00 AM", STAMP_CIVIL, 2026, 1, 31, 1800, 0 },
		{ "1/31/2026 12:30:00 PM", STAMP_CIVIL, 2026, 1, 31, 45000, 0 },
		{ "12/5/2026 13:15:00", STAMP_CIVIL, 2026, 12, 5, 47700, 0 },
		/* a first number above 12 is a day */
		{ "25/12/2026 08:00:00", STAMP_CIVIL, 2026, 12, 25, 28800, 0 },
		{ "12/5/2026 13:15:00 PM", STAMP_NONE, 0, 0, 0, 0, 0 },
		{ "13/13/2026 08:00:00", STAMP_NONE, 0, 0, 0, 0, 0 },
		{ "12/5/26 9:00:01 AM", STAMP_NONE, 0, 0, 0, 0, 0 },
	};
	static const struct {
		const char *in;
		int ok;
		int time, recipient, status, event, detail, id;
	} headers[] = {
		{ "", 0, -1, -1, -1, -1, -1, -1 },
		{ "Received,RecipientAddress", 0, 0, 1, -1, -1, -1, -1 },
		{ "\"Received\",\"SenderAddress\",\"RecipientAddress\",\"Status\",\"MessageId\","
		  "\"MessageTraceId\"",
		  1, 0, 2, 3, -1, -1, 5 },
		{ "\xef\xbb\xbf\"Recipient address\",\"Delivery status\",\"Date (UTC)\"", 1, 2, 0, 1, -1,
		  -1, -1 },
		{ "date_time_utc,event_id,internal_message_id,network_message_id,recipient_address,"
		  "recipient_status",
		  1, 0, 4, -1, 1, 5, 3 },
		{ "Date,Event,Detail,RecipientAddress", 1, 0, 3, -1, 1, 2, -1 },
	};
	struct stamp st;
	struct cat_columns c;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_CASE("stamp \"%s\"", cases[i].in ? cases[i].in : "(null)");
		CHECK_INT_EQ(stamp_read(cases[i].in, &st), cases[i].kind);
		if (cases[i].kind == STAMP_NONE)
			continue;
		CHECK_INT_EQ(st.year, cases[i].year);
		CHECK_INT_EQ(st.month, cases[i].month);
		CHECK_INT_EQ(st.day, cases[i].day);
		CHECK_INT_EQ(st.secs, cases[i].secs);
		CHECK_INT_EQ(st.offset, cases[i].offset);
	}
	CHECK_CASE("TAI64N");
	CHECK_INT_EQ(stamp_read("@4000000069328c5d00000000 x", &st), STAMP_TAI64N);
	CHECK(st.tai == 0x69328c5dLL);
	CHECK_CASE("days and back");
	for (i = 0; i < 800000; i += 997) {
		int y, m, d;

		stamp_civil((long long)i - 400000, &y, &m, &d);
		if (!CHECK(stamp_days(y, m, d) == (long long)i - 400000))
			break;
	}
	CHECK(stamp_days(1970, 1, 1) == 0);
	CHECK(stamp_days(2026, 12, 5) == 20792);
	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		CHECK_CASE("header \"%s\"", headers[i].in);
		CHECK_INT_EQ(cat_columns_read(headers[i].in, strlen(headers[i].in), &c), headers[i].ok);
		CHECK_INT_EQ(c.at[CAT_COLUMN_TIME], headers[i].time);
		CHECK_INT_EQ(c.at[CAT_COLUMN_RECIPIENT], headers[i].recipient);
		CHECK_INT_EQ(c.at[CAT_COLUMN_STATUS], headers[i].status);
		CHECK_INT_EQ(c.at[CAT_COLUMN_EVENT], headers[i].event);
		CHECK_INT_EQ(c.at[CAT_COLUMN_DETAIL], headers[i].detail);
		CHECK_INT_EQ(c.at[CAT_COLUMN_ID], headers[i].id);
	}
	return check_done();
}
