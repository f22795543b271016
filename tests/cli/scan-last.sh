# bounce scan --last prints the report of the last scan saved, read again
# from $XDG_STATE_HOME/bounce/last-scan: it is the scan's own report, byte
# for byte, as NDJSON, text and CSV, over each log and export of
# tests/data/scan, all of them at once, a generated day with Gmail's
# mid-day problem (deliveries across hours, some deferred then delivered),
# its options (--max-open, --top) and a log that runs into a new year with
# only deliveries over the change. Deliveries to recipients never deferred
# are kept as counts, not lines. A file of another format version, not
# bounce's, or cut short (even empty) gives a message and exit 2.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-scan-last.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
XDG_STATE_HOME=$tmp/state
export XDG_STATE_HOME
saved=$tmp/state/bounce/last-scan
# same LABEL ARGS...: the scan and --last, in each format
same()
{
	label=$1
	shift
	for fmt in --json --csv text; do
		f=$fmt
		[ "$f" = text ] && f=
		# shellcheck disable=SC2086
		"$BOUNCE" --no-user-catalogs scan $f "$@" >"$tmp/scan.out" 2>/dev/null
		a=$?
		# shellcheck disable=SC2086
		"$BOUNCE" --no-user-catalogs scan --last $f >"$tmp/last.out" 2>"$tmp/last.err"
		b=$?
		if [ $a = $b ] && cmp -s "$tmp/scan.out" "$tmp/last.out"; then
			echo "$label $fmt: the same ($(wc -l <"$tmp/scan.out") lines, exit $a)"
		else
			echo "$label $fmt: exit $a, --last exit $b"
			cat "$tmp/last.err"
			diff "$tmp/scan.out" "$tmp/last.out" | head -n 10
		fi
	done
}
for f in "$TESTDATA"/scan/*.log "$TESTDATA"/scan/*.csv; do
	cp "$f" "$tmp/"
	touch -d '2026-12-06 00:00:00' "$tmp/${f##*/}"
	same "${f##*/}" "$tmp/${f##*/}"
done
gzip -c "$TESTDATA/scan/exim.log" >"$tmp/exim.log.1.gz"
touch -d '2026-12-06 00:00:00' "$tmp/exim.log.1.gz"
same "all at once" "$tmp"/*.log "$tmp"/*.csv "$tmp/exim.log.1.gz"

sh tests/scan/genday.sh >"$tmp/day.log" || exit 2
touch -d '2026-12-06 00:00:00' "$tmp/day.log"
same "a day" "$tmp/day.log"
echo "deliveries in the log: $(grep -c 'status=sent' "$tmp/day.log"), kept as lines: $(grep -c 'status=sent' "$saved")"
cp "$saved" "$tmp/good"
same "a day, --max-open 2 --top 3" --max-open 2 --top 3 "$tmp/day.log"

# one bounce in July, deliveries on the first of each month to February
# (over the new year), one bounce in March: the March line is of the next
# year, which only the deliveries' months tell
{
	echo 'Jul 10 10:00:00 mail1 postfix/smtp[101]: 1A2B3C4D01: to=<ann@example.net>, relay=mx.example.net[192.0.2.7]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.7] said: 550 5.1.1 <ann@example.net>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))'
	for m in Aug Sep Oct Nov Dec Jan Feb; do
		echo "$m  1 09:00:00 mail1 postfix/smtp[102]: 1A2B3C4D02: to=<bob@example.org>, relay=mx.example.org[192.0.2.8]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 99AA)"
	done
	echo 'Mar  2 10:00:00 mail1 postfix/smtp[103]: 1A2B3C4D03: to=<cyd@example.net>, relay=mx.example.net[192.0.2.7]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.7] said: 550 5.1.1 <cyd@example.net>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))'
} >"$tmp/year.log"
touch -d '2026-07-11 00:00:00' "$tmp/year.log"
same "a new year" "$tmp/year.log"
"$BOUNCE" --no-user-catalogs scan --last --json | grep '"record":"scan"' | sed 's/"items".*//'

# files the browser and --last refuse, and why
sed '1s/ 2$/ 1/' "$tmp/good" >"$saved"
"$BOUNCE" --no-user-catalogs scan --last
echo "format 1: exit=$?"
sed '1s/ 2$/ 9/' "$tmp/good" >"$saved"
"$BOUNCE" --no-user-catalogs scan --last --json
echo "format 9: exit=$?"
head -c 1000 "$tmp/good" >"$saved"
"$BOUNCE" --no-user-catalogs scan --last
echo "cut short: exit=$?"
# the save is not synced: a crash can leave it empty or cut in its first
# line, which is damage too, not another program's file
: >"$saved"
"$BOUNCE" --no-user-catalogs scan --last
echo "empty: exit=$?"
head -c 10 "$tmp/good" >"$saved"
"$BOUNCE" --no-user-catalogs scan --last
echo "cut in its first line: exit=$?"
sed 's/^C \([0-9]*\) /C x\1 /' "$tmp/good" >"$saved"
"$BOUNCE" --no-user-catalogs scan --last
echo "a count changed: exit=$?"
printf 'SQLite format 3\000junk\n' >"$saved"
"$BOUNCE" --no-user-catalogs scan --last
echo "not bounce's: exit=$?"
rm -f "$saved"
"$BOUNCE" --no-user-catalogs scan --last
echo "none: exit=$?"
"$BOUNCE" --no-user-catalogs scan --last "$tmp/day.log"
echo "with an input: exit=$?"
