# Each rate is flagged at its catalog threshold and not below it, on both
# sides of each limit (data/catalog.xml: hard 2%, all bounces 5%, unknown
# users at one provider 2%, complaints 0.3%): logs of 100 recipients (1000
# for complaints, with feedback reports in an mbox beside the log).
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-scan-thr.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
# log N_SENT HARD SOFT DOMAIN: a Postfix log of N_SENT delivered recipients,
# HARD unknown users and SOFT full mailboxes (bounced), at DOMAIN
log()
{
	awk -v n="$1" -v hard="$2" -v soft="$3" -v dom="$4" 'BEGIN {
		for (i = 0; i < n + hard + soft; i++) {
			q = sprintf("%010X", 65536 + i)
			to = q ": to=<u" i "@" dom ">, relay=mx." dom "[198.51.100.7]:25, delay=1, delays=0.1/0/0.4/0.5, "
			if (i < hard)
				s = "dsn=5.1.1, status=bounced (host mx." dom "[198.51.100.7] said: 550 5.1.1 <u" i "@" dom ">: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command))"
			else if (i < hard + soft)
				s = "dsn=5.2.2, status=bounced (host mx." dom "[198.51.100.7] said: 552 5.2.2 <u" i "@" dom ">: Mailbox full (in reply to RCPT TO command))"
			else
				s = "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as Q" q ")"
			printf "Dec  5 10:%02d:%02d mx1 postfix/smtp[42]: %s%s\n", int(i / 60) % 60, i % 60, to, s
		}
	}' >"$tmp/mail.log"
	touch -d '2026-12-06 00:00:00' "$tmp/mail.log"
}
# the total's rates, or a provider's (rates RECORD [FILE...])
rates()
{
	record=$1
	shift
	"$BOUNCE" --no-user-catalogs scan --json "$@" | grep "\"record\":\"$record\"" | head -n 1 |
		sed 's/.*"rates":\[//; s/\],"over".*//; s/},{/}\n{/g' |
		sed -E 's/.*"rate":"([a-z]*)","reason":(null|"[a-z_]*"),"count":([0-9]*),"percent":([0-9.]*|null),"limit":([0-9.]*|null),.*"over":(true|false).*/\1 \2 \3 \4% limit \5 over=\6/' |
		grep -v ' limit null '
}
echo "== hard 1 of 100"; log 99 1 0 example.net; rates total "$tmp/mail.log"
echo "== hard 2 of 100"; log 98 2 0 example.net; rates total "$tmp/mail.log"
echo "== bounces 4 of 100"; log 96 0 4 example.net; rates total "$tmp/mail.log"
echo "== bounces 5 of 100"; log 95 0 5 example.net; rates total "$tmp/mail.log"
echo "== unknown users at Gmail 1 of 100"; log 99 1 0 gmail.com; rates provider "$tmp/mail.log"
echo "== unknown users at Gmail 2 of 100"; log 98 2 0 gmail.com; rates provider "$tmp/mail.log"
# complaints: N feedback reports about recipients of a log of 1000
arf()
{
	: >"$tmp/fbl.mbox"
	i=0
	while [ $i -lt "$1" ]; do
		cat >>"$tmp/fbl.mbox" <<MSG
From feedbackloop@example-isp.net Sat Dec  5 12:00:0$i 2026
From: feedbackloop@example-isp.net
To: fbl@example.org
Subject: FW: News
Date: Sat, 5 Dec 2026 12:00:0$i +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
	boundary="b$i"

--b$i
Content-Type: text/plain; charset="US-ASCII"

This is an email abuse report.

--b$i
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: Generator/1.0
Version: 1
Original-Mail-From: <news@example.org>
Original-Rcpt-To: <u10$i@example.net>
Source-IP: 192.0.2.1

--b$i--

MSG
		i=$((i + 1))
	done
}
log 1000 0 0 example.net
echo "== complaints 2 of 1000"; arf 2; rates total "$tmp/mail.log" "$tmp/fbl.mbox"
echo "== complaints 3 of 1000"; arf 3; rates total "$tmp/mail.log" "$tmp/fbl.mbox"
# the limits are the catalog's: an overlay makes the hard limit 1% and adds
# one for blocks
echo "== hard 1 of 100, an overlay's limit of 1%"
log 99 1 0 example.net
"$BOUNCE" --no-user-catalogs --catalog tests/data/scan/thresholds-overlay.xml scan --json "$tmp/mail.log" |
	grep '"record":"total"' | sed 's/.*"rates":\[//; s/\],"over".*//; s/},{/}\n{/g' | grep -v '"limit":null'
