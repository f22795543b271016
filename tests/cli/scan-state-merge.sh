# bounce scan --merge: two mail hosts' states into one. Each host saw a
# full mailbox on some sends (one send on both); only the union reaches the
# limit of three distinct sends. Merging again adds nothing.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-merge.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
pf() { # host time queue-id recipient
	printf 'Dec  5 %s %s postfix/smtp[1234]: %s: to=<%s>, relay=mx.example.com[192.0.2.10]:25, delay=1, delays=0/0/0/1, dsn=5.2.2, status=bounced (host mx.example.com[192.0.2.10] said: 552 5.2.2 Mailbox full (in reply to RCPT TO command))\n' "$2" "$1" "$3" "$4"
}
{
	pf mx1 05:00:01 4A0001 full@example.com
	pf mx1 05:00:02 4A0002 full@example.com
} >mx1.log
{
	pf mx1 05:00:02 4A0002 full@example.com
	pf mx2 05:00:03 4A0001 full@example.com
} >mx2.log
"$BOUNCE" --no-user-catalogs scan --no-progress --state a.db --suppress a.txt mx1.log >/dev/null
"$BOUNCE" --no-user-catalogs scan --no-progress --state b.db --suppress b.txt mx2.log >/dev/null
echo "a.txt: $(wc -l <a.txt) addresses, b.txt: $(wc -l <b.txt) addresses"
"$BOUNCE" --no-user-catalogs scan --merge a.db b.db --state all.db --suppress all.txt
echo "merge: exit $?"
cat all.txt
md5sum <all.txt
"$BOUNCE" --no-user-catalogs scan --merge b.db a.db --state all.db --suppress all.txt
echo "merge again: exit $?"
md5sum <all.txt
"$BOUNCE" --no-user-catalogs scan --state all.db --why full@example.com
echo "--- usage"
"$BOUNCE" --no-user-catalogs scan --merge a.db b.db
echo "exit $?"
"$BOUNCE" --no-user-catalogs scan --merge --state all.db
echo "exit $?"
"$BOUNCE" --no-user-catalogs scan --merge a.db --state all.db --json
echo "exit $?"
