# explain --lines A MISSING: all of A is explained and written, then the
# error for the missing file, exit 2, whatever the threads and timing (the
# jobs in flight were dropped). A is 40,000 lines, so several jobs.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-missing.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
awk 'BEGIN { for (i = 1; i <= 40000; i++)
	printf "Nov 27 10:02:11 mx1 postfix/smtp[42]: Q%d: to=<u%d@example.com>, relay=mx.example.com[192.0.2.1]:25, dsn=5.1.1, status=bounced (host mx.example.com said: 550 5.1.1 user unknown)\n", i, i }' \
	>"$tmp/a.log"
for threads in 1 2 4; do
	"$BOUNCE" --no-user-catalogs --threads $threads explain --lines --json "$tmp/a.log" \
		"$tmp/missing.log" >"$tmp/out" 2>"$tmp/err"
	echo "threads $threads: exit $?, $(wc -l <"$tmp/out") lines written, last line $(tail -n 1 "$tmp/out" |
		sed -n 's/.*"input":\([0-9]*\).*/\1/p')"
	sed "s|$tmp|TMP|g" "$tmp/err"
done
