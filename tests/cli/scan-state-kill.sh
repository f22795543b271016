# bounce scan --state killed with kill -9 in the middle of a run: the
# database opens and holds the earlier runs whole and nothing of the killed
# one. The killed run reads a log (its events go into the run's
# transaction), then a FIFO: the shell's open of the FIFO for writing
# returns only once bounce has opened it, that is once the log is read, and
# bounce then waits for input that never comes; it is killed there.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-kill.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
pf() { # time queue-id recipient dsn status reply
	printf 'Dec  5 %s mx1 postfix/smtp[1234]: %s: to=<%s>, relay=mx.example.com[192.0.2.10]:25, delay=1, delays=0/0/0/1, dsn=%s, status=%s (%s)\n' "$@"
}
gone='host mx.example.com[192.0.2.10] said: 550 5.1.1 <x@example.com>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)'
pf 05:00:01 4A0001 first@example.com 5.1.1 bounced "$gone" >one.log
pf 06:00:01 4B0001 second@example.com 5.1.1 bounced "$gone" >two.log
pf 07:00:01 4C0001 third@example.com 5.1.1 bounced "$gone" >three.log
count() { # the events a state holds
	rm -f probe.db
	"$BOUNCE" --no-user-catalogs scan --merge "$1" --state probe.db --suppress probe.txt
	cat probe.txt
}
"$BOUNCE" --no-user-catalogs scan --no-progress --state state.db one.log >/dev/null
echo "run 1: exit $?"
cp state.db whole.db
mkfifo stall || exit 2
"$BOUNCE" --no-user-catalogs scan --no-progress --state state.db two.log stall >/dev/null 2>&1 &
pid=$!
exec 3>stall
{
	kill -9 "$pid"
	wait "$pid"
	echo "run 2: killed by signal $(($? - 128))"
} 2>/dev/null
exec 3>&-
count state.db
"$BOUNCE" --no-user-catalogs scan --state state.db --why second@example.com | sed -n 2p
# the same run not killed records the second log
"$BOUNCE" --no-user-catalogs scan --no-progress --state whole.db two.log three.log >/dev/null
echo "run 2 again, whole: exit $?"
count whole.db
# and the killed state takes its next run
"$BOUNCE" --no-user-catalogs scan --no-progress --state state.db three.log >/dev/null
echo "run 3: exit $?"
count state.db
