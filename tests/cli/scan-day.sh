# bounce scan over a generated day of Postfix log (tests/scan/genday.sh) in
# which Gmail starts refusing unauthenticated mail at 13:00: the report
# names the Gmail problem first, with its fix and its catalog entry, the
# rates beside their thresholds, and the jump at 13:00 in the hours.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-scan-day.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
sh tests/scan/genday.sh >"$tmp/mail.log" || exit 2
# syslog stamps have no year: the file's own year gives it
touch -d '2026-12-06 00:00:00' "$tmp/mail.log"
"$BOUNCE" --no-user-catalogs scan "$tmp/mail.log"
echo "exit=$?"
"$BOUNCE" --no-user-catalogs scan --json "$tmp/mail.log" | grep -E '"record":"(scan|total|fix)"'
# a table of two deferred recipients: older ones are evicted, counted as
# still deferred until they end (each recipient counts once, so the counts
# are those of a table that never fills), and the report says how many are
# left
"$BOUNCE" --no-user-catalogs scan --max-open 2 --json "$tmp/mail.log" | grep -E '"record":"(scan|total)"' |
	sed 's/,"rates".*//'
"$BOUNCE" --no-user-catalogs scan --max-open 2 "$tmp/mail.log" | sed -n '1,6p'
