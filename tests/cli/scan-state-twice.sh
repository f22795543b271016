# bounce scan --state: scanning the same log twice changes nothing: the
# suppression file is byte for byte the same, and the state holds the same
# events (counted by merging it into an empty state).
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-twice.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
pf() { # time queue-id recipient dsn status reply
	printf 'Dec  5 %s mx1 postfix/smtp[1234]: %s: to=<%s>, relay=mx.example.com[192.0.2.10]:25, delay=1, delays=0/0/0/1, dsn=%s, status=%s (%s)\n' "$@"
}
gone='host mx.example.com[192.0.2.10] said: 550 5.1.1 <x@example.com>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)'
full='host mx.example.com[192.0.2.10] said: 552 5.2.2 Mailbox full (in reply to RCPT TO command)'
{
	pf 05:00:01 4A0001 gone@example.com 5.1.1 bounced "$gone"
	pf 05:00:02 4A0002 full@example.com 5.2.2 bounced "$full"
	pf 05:00:03 4A0003 full@example.com 5.2.2 bounced "$full"
	pf 05:00:04 4A0004 full@example.com 5.2.2 bounced "$full"
	pf 05:00:05 4A0005 ok@example.com 2.0.0 sent '250 2.0.0 Ok: queued as 9F00A1'
	pf 05:00:06 4A0006 later@example.com 5.2.2 bounced "$full"
} >mail.log
count() { # the events a state holds
	rm -f probe.db
	"$BOUNCE" --no-user-catalogs scan --merge state.db --state probe.db
}
for run in 1 2; do
	"$BOUNCE" --no-user-catalogs scan --no-progress --state state.db --suppress list.txt mail.log >/dev/null
	echo "run $run: exit $?"
	md5sum <list.txt
	count
done
cat list.txt
