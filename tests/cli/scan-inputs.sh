# bounce scan's inputs: a log rotated into mail.log, mail.log.1 and
# mail.log.2.gz reads as the whole log did (the order of the files does not
# matter); standard input; a mailbox of bounce messages and a Maildir
# beside a log.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-scan-in.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cp tests/data/scan/postfix.log "$tmp/whole.log" || exit 2
sed -n '1,9p' "$tmp/whole.log" >"$tmp/mail.log.2"
sed -n '10,18p' "$tmp/whole.log" >"$tmp/mail.log.1"
sed -n '19,$p' "$tmp/whole.log" >"$tmp/mail.log"
gzip -n "$tmp/mail.log.2" || exit 2
touch -d '2026-12-06 00:00:00' "$tmp/whole.log" "$tmp/mail.log" "$tmp/mail.log.1" "$tmp/mail.log.2.gz"
summary()
{
	grep -E '"record":"(scan|total)"' | sed 's/,"rates".*//'
}
echo "== whole"
"$BOUNCE" --no-user-catalogs scan --json "$tmp/whole.log" | summary
echo "== rotated, oldest first"
"$BOUNCE" --no-user-catalogs scan --json "$tmp/mail.log.2.gz" "$tmp/mail.log.1" "$tmp/mail.log" | summary
echo "== rotated, as a shell lists mail.log*"
"$BOUNCE" --no-user-catalogs scan --json "$tmp/mail.log" "$tmp/mail.log.1" "$tmp/mail.log.2.gz" | summary
echo "== standard input"
"$BOUNCE" --no-user-catalogs scan --json <"$tmp/whole.log" | summary
echo "== gzip on standard input"
gzip -cn "$tmp/whole.log" | "$BOUNCE" --no-user-catalogs scan --json - | summary
# bounces: an mbox of two DSNs and a Maildir of one, with the log
mkdir -p "$tmp/Maildir/cur" "$tmp/Maildir/new" "$tmp/Maildir/tmp"
for r in fay@example.net gus@example.org; do
	cat <<MSG
From MAILER-DAEMON Sat Dec  5 13:00:00 2026
From: Mail Delivery System <MAILER-DAEMON@mx1.example.com>
To: news@example.com
Subject: Undelivered Mail Returned to Sender
Date: Sat, 5 Dec 2026 13:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"

--dsn
Content-Type: text/plain

This is the mail system at host mx1.example.com.

--dsn
Content-Type: message/delivery-status

Reporting-MTA: dns; mx1.example.com

Final-Recipient: rfc822; $r
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <$r>: Recipient address rejected: User unknown

--dsn--

MSG
done >"$tmp/bounces.mbox"
cat >"$tmp/Maildir/new/1733403600.1.mx1" <<'MSG'
From: Mail Delivery System <MAILER-DAEMON@mx1.example.com>
To: news@example.com
Subject: Delivery Status Notification (Delay)
Date: Sat, 5 Dec 2026 13:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"

--dsn
Content-Type: text/plain

Delivery to the following recipient has been delayed: hal@example.org

--dsn
Content-Type: message/delivery-status

Reporting-MTA: dns; mx1.example.com

Final-Recipient: rfc822; hal@example.org
Action: delayed
Status: 4.4.1
Diagnostic-Code: smtp; 421 4.4.1 Connection timed out

--dsn--
MSG
echo "== a log, an mbox and a Maildir"
"$BOUNCE" --no-user-catalogs scan --json "$tmp/whole.log" "$tmp/bounces.mbox" "$tmp/Maildir" | summary
echo "exit=$?"
