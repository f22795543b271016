# bounce scan over a generated day of Postfix log (2.5 MB: many jobs of
# the threaded reader) with 1, 2 and 3 threads, plain, through gzip and on
# standard input, and with a table of two deferred recipients: every run
# prints the report of one thread and an unbounded table, byte for byte.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-scan-threads.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
sh tests/scan/genday.sh 6000 >"$tmp/mail.log" || exit 2
touch -d '2026-12-06 00:00:00' "$tmp/mail.log"
gzip -c "$tmp/mail.log" >"$tmp/mail.log.gz" || exit 2
touch -d '2026-12-06 00:00:00' "$tmp/mail.log.gz"
"$BOUNCE" --no-user-catalogs scan --threads 1 --json "$tmp/mail.log" >"$tmp/one.json"
echo "exit=$?"
grep -E '"record":"(scan|total)"' "$tmp/one.json" | sed 's/,"rates".*//'
for t in 1 2 3; do
	for open in 2 100000; do
		"$BOUNCE" --no-user-catalogs scan --threads $t --max-open $open --json "$tmp/mail.log" |
			cmp -s - "$tmp/one.json" && echo "threads $t, max-open $open: same" ||
			echo "threads $t, max-open $open: differs"
	done
done
"$BOUNCE" --no-user-catalogs scan --threads 2 --json "$tmp/mail.log.gz" | cmp -s - "$tmp/one.json" &&
	echo "gzip: same" || echo "gzip: differs"
"$BOUNCE" --no-user-catalogs scan --threads 2 --json <"$tmp/mail.log" >"$tmp/stdin.json"
echo "exit=$?"
# standard input has no file time: the year is this one's, so the times differ
sed 's/"20[0-9][0-9]-/"Y-/g' "$tmp/one.json" >"$tmp/one.y"
sed 's/"20[0-9][0-9]-/"Y-/g' "$tmp/stdin.json" | cmp -s - "$tmp/one.y" && echo "stdin: same" ||
	echo "stdin: differs"
