# bounce scan keeps what the browser's Report view needs in
# $XDG_STATE_HOME/bounce/last-scan, put in place by rename: the browser
# started without --log shows the same report as bounce --log of the same
# inputs (logs, gzip, a message trace CSV read by its header); --no-save
# and a scan that found nothing leave the last one; without a place to
# keep it the scan still runs and says so. A new save keeps the one it
# replaces as last-scan.old until the next save.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-scan-save.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
XDG_STATE_HOME=$tmp/state
export XDG_STATE_HOME
cp "$TESTDATA/scan/postfix.log" "$tmp/mail.log"
gzip -c "$TESTDATA/scan/exim.log" >"$tmp/exim.log.gz"
cp "$TESTDATA/scan/m365-detail.csv" "$tmp/trace.csv"
touch -d '2026-12-06 00:00:00' "$tmp/mail.log" "$tmp/exim.log.gz" "$tmp/trace.csv"
cd "$tmp" || exit 2
"$BOUNCE" --no-user-catalogs scan --json mail.log exim.log.gz trace.csv >/dev/null
echo "scan: exit=$?"
ls -A state/bounce
head -1 state/bounce/last-scan
# the browser's report of the last scan, and bounce --log's of the inputs
printf 'r\nr\n:dump report\n' >keys
screen()
{
	TERM=dumb LINES=60 COLUMNS=100 "$BOUNCE" --no-user-catalogs "$@" --script keys </dev/null 2>&1 |
		sed '/The last bounce scan, /d; /^the last bounce scan, /d; /^read 3 inputs/d; /^ *$/d; /^roles:/,$d'
}
screen >last.screen
screen --log mail.log exim.log.gz trace.csv >log.screen
if cmp -s last.screen log.screen; then
	echo "the report of the last scan is bounce --log's"
else
	diff -u log.screen last.screen
fi
grep -c . last.screen
cp state/bounce/last-scan kept
"$BOUNCE" --no-user-catalogs scan --no-save --json mail.log >/dev/null
cmp -s kept state/bounce/last-scan && echo "--no-save: the last scan stays"
printf 'nothing to see\n' >empty.log
"$BOUNCE" --no-user-catalogs scan empty.log
cmp -s kept state/bounce/last-scan && echo "nothing found: the last scan stays"
env -u XDG_STATE_HOME -u HOME "$BOUNCE" --no-user-catalogs scan --json mail.log >/dev/null
echo "no place: exit=$?"
ls -A state/bounce
# a new save takes the last one's place and the last one is kept beside
# it as last-scan.old (freeing it would keep the scan waiting), until the
# next save removes it while it scans: never more than the two
"$BOUNCE" --no-user-catalogs scan --json --no-save exim.log.gz >exim.json
"$BOUNCE" --no-user-catalogs scan --json exim.log.gz >/dev/null
ls -A state/bounce
cmp -s kept state/bounce/last-scan.old && echo "the last one is last-scan.old"
"$BOUNCE" --no-user-catalogs scan --last --json | cmp -s - exim.json && echo "--last: the new one"
cp state/bounce/last-scan kept
"$BOUNCE" --no-user-catalogs scan --json mail.log >/dev/null
ls -A state/bounce
cmp -s kept state/bounce/last-scan.old && echo "the last one is last-scan.old"
