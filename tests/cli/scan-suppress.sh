# bounce scan --suppress: each rule of the suppression list on a log and a
# feedback report we wrote: a hard bounce at once, a complaint at once, a
# full mailbox after three sends given up on (a deferral is not one), a
# delivery that lifts earlier failures, and never a block (authentication,
# spam, a blocklisting, a rate limit) or a refusal by our own server.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-suppress.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
pf() { # time queue-id recipient dsn status reply
	printf 'Dec  5 %s mx1 postfix/smtp[1234]: %s: to=<%s>, relay=mx.example.com[192.0.2.10]:25, delay=1, delays=0/0/0/1, dsn=%s, status=%s (%s)\n' "$@"
}
gone='host mx.example.com[192.0.2.10] said: 550 5.1.1 <x@example.com>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)'
full='host mx.example.com[192.0.2.10] said: 552 5.2.2 Mailbox full (in reply to RCPT TO command)'
full_t='host mx.example.com[192.0.2.10] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command)'
auth='host gmail-smtp-in.l.google.com[192.0.2.20] said: 550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked. (in reply to end of DATA command)'
spam='host mx.example.com[192.0.2.10] said: 554 5.7.1 Message rejected as spam (in reply to end of DATA command)'
listed='host mx.example.com[192.0.2.10] said: 450 4.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org (in reply to RCPT TO command)'
rate='host mx.example.com[192.0.2.10] said: 421 4.7.0 Too many messages from your IP, try again later'
sent='250 2.0.0 Ok: queued as 9F00A1'
{
	pf 05:00:01 4A0001 Gone@Example.com 5.1.1 bounced "$gone"
	pf 05:01:00 4B0001 full@example.com 4.2.2 deferred "$full_t"
	pf 05:02:00 4B0001 full@example.com 5.2.2 bounced "$full"
	pf 05:03:00 4B0002 full@example.com 5.2.2 bounced "$full"
	pf 05:04:00 4B0003 full@example.com 4.2.2 deferred "$full_t"
	pf 05:05:00 4B0004 full@example.com 4.2.2 'expired, returned to sender' "$full_t"
	pf 05:06:00 4C0001 back@example.com 5.1.1 bounced "$gone"
	pf 05:07:00 4C0002 back@example.com 2.0.0 sent "$sent"
	for q in 1 2 3; do
		pf 05:1$q:00 4D000$q alice@gmail.com 5.7.26 bounced "$auth"
		pf 05:2$q:00 4E000$q spam@example.com 5.7.1 bounced "$spam"
		pf 05:3$q:00 4F000$q bl@example.com 4.7.1 'expired, returned to sender' "$listed"
		pf 05:4$q:00 4G000$q rate@example.com 4.7.0 'expired, returned to sender' "$rate"
	done
	# RFC 3339 stamps (rsyslog's): with their year and zone, the times of
	# the JSON below do not depend on the day the test runs
	echo '2026-12-05T06:00:00+01:00 mx2 postfix/smtp[77]: 4H0001: to=<rfc@example.com>, relay=mx.example.com[192.0.2.10]:25, delay=1, delays=0/0/0/1, dsn=5.2.2, status=bounced (host mx.example.com[192.0.2.10] said: 552 5.2.2 Mailbox full (in reply to RCPT TO command))'
	echo '2026-12-05T05:30:00Z mx2 postfix/smtp[77]: 4H0002: to=<rfc@example.com>, relay=mx.example.com[192.0.2.10]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9F00A2)'
	echo 'Dec  5 05:50:00 mx1 postfix/smtpd[999]: NOQUEUE: reject: RCPT from unknown[203.0.113.5]: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table; from=<x@example.net> to=<nobody@example.org> proto=ESMTP helo=<client.example.net>'
} >mail.log
printf '%s\r\n' 'From: feedback@example.net' 'To: abuse@example.org' 'Subject: complaint report' \
	'MIME-Version: 1.0' 'Content-Type: multipart/report; report-type=feedback-report; boundary="b1"' '' \
	'--b1' 'Content-Type: text/plain' '' 'A person reported a message from 192.0.2.30 as spam.' '' \
	'--b1' 'Content-Type: message/feedback-report' '' 'Feedback-Type: abuse' 'User-Agent: ExampleFBL/1.0' \
	'Version: 1' 'Original-Mail-From: <news@example.org>' 'Original-Rcpt-To: <reader@example.net>' '' \
	'--b1' 'Content-Type: text/rfc822-headers' '' 'From: news@example.org' 'To: reader@example.net' \
	'Subject: Weekly news' '' '--b1--' >report.eml
"$BOUNCE" --no-user-catalogs scan --no-progress --suppress list.txt mail.log report.eml >/dev/null
echo "scan: exit $?"
echo "--- list.txt"
cat list.txt
"$BOUNCE" --no-user-catalogs scan --no-progress --suppress list4.txt --soft-limit 4 mail.log report.eml >/dev/null
echo "--- --soft-limit 4"
cat list4.txt
"$BOUNCE" --no-user-catalogs scan --no-progress --state state.db mail.log report.eml >/dev/null
for a in gone@example.com full@example.com back@example.com reader@example.net alice@gmail.com \
	spam@example.com bl@example.com rate@example.com nobody@example.org; do
	echo "--- --why $a"
	"$BOUNCE" --no-user-catalogs scan --state state.db --why "$a"
	echo "exit $?"
done
echo "--- --why --soft-limit 5 FULL@example.com"
"$BOUNCE" --no-user-catalogs scan --state state.db --why FULL@example.com --soft-limit 5 | sed -n 2p
echo "--- --why --json rfc@example.com"
"$BOUNCE" --no-user-catalogs scan --state state.db --why rfc@example.com --json
echo "exit $?"
echo "--- --why unknown@example.com"
"$BOUNCE" --no-user-catalogs scan --state state.db --why unknown@example.com
echo "exit $?"
