# explain --messages: whole messages from an mbox (cut at "From " lines that
# start the file or follow an empty line; a ">From " line stays inside), a
# Maildir (cur/ and new/, tmp/ skipped), a plain file, standard input and a
# directory; a message over --max-input is read in part and said so; an
# unreadable path is reported and the rest still read (exit 2).
d=$TMPDIR/msgs
mkdir -p "$d/maildir/cur" "$d/maildir/new" "$d/maildir/tmp"
dsn()
{
	# dsn RECIPIENT STATUS DIAGNOSTIC: an RFC 3464 report from example.org
	cat <<MSG
From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: <sender@example.com>
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

Your message could not be delivered.

From the postmaster: this line starts with From but follows text.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; $1
Action: failed
Status: $2
Diagnostic-Code: smtp; $3

--b1--
MSG
}
{
	echo "From MAILER-DAEMON Sat Dec  5 01:00:00 2026"
	dsn ann@example.net 5.1.1 "550 5.1.1 <ann@example.net>: Recipient address rejected: User unknown"
	echo
	echo "From MAILER-DAEMON Sat Dec  5 01:05:00 2026"
	dsn bob@example.net 4.2.2 "452 4.2.2 Mailbox full"
	echo ">From a quoted line inside the body"
	echo
	echo "From MAILER-DAEMON Sat Dec  5 01:10:00 2026"
	dsn cy@example.net 5.7.1 "550 5.7.1 Message rejected as spam by Content Filtering"
} >"$d/box.mbox"
dsn dee@example.net 5.2.1 "550 5.2.1 The email account that you tried to reach is disabled" \
	>"$d/maildir/cur/1700000000.1.host:2,S"
dsn eve@example.net 5.1.1 "550 5.1.1 No such user" >"$d/maildir/new/1700000001.1.host"
dsn tmp@example.net 5.1.1 "550 5.1.1 No such user" >"$d/maildir/tmp/1700000002.1.host"
cd "$d" || exit 1
echo "== mbox"
"$BOUNCE" --no-user-catalogs explain --messages box.mbox
echo "exit=$?"
echo "== maildir, then the mbox as JSON members"
"$BOUNCE" --no-user-catalogs explain --messages maildir
echo "exit=$?"
"$BOUNCE" --no-user-catalogs --json explain --messages box.mbox maildir/new |
	sed 's/"event".*"recipient":\("[^"]*"\).*/\1/'
echo "== standard input"
"$BOUNCE" --no-user-catalogs explain --messages <box.mbox | wc -l
echo "== a message over --max-input: its start is read"
"$BOUNCE" --no-user-catalogs explain --messages --max-input 400 maildir/new 2>&1
echo "exit=$?"
echo "== a missing path among others"
"$BOUNCE" --no-user-catalogs explain --messages maildir/new missing maildir/cur 2>&1
echo "exit=$?"
echo "== not with --lines"
"$BOUNCE" --no-user-catalogs explain --messages --lines box.mbox 2>&1
echo "exit=$?"
