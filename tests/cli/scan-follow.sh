# bounce scan --follow: a FIFO is read until its writer closes it, a
# growing file until SIGTERM; the report then holds every line written,
# also those written after the scan reached the end of what was there.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-scan-follow.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
# RFC 3339 stamps: a FIFO's own time says nothing of the log's year
sed -n '1,12p' tests/data/scan/postfix.log | sed 's/^Dec  5 /2026-12-05T/' >"$tmp/a"
sed -n '13,$p' tests/data/scan/postfix.log | sed 's/^Dec  5 /2026-12-05T/' >"$tmp/b"
summary()
{
	grep -E '"record":"(scan|total)"' "$1" | sed 's/,"rates".*//'
}
mkfifo "$tmp/fifo" || exit 2
"$BOUNCE" --no-user-catalogs scan --follow --json "$tmp/fifo" >"$tmp/out1" 2>&1 &
pid=$!
exec 3>"$tmp/fifo"
cat "$tmp/a" >&3
sleep 1
cat "$tmp/b" >&3
exec 3>&-
wait "$pid"
echo "fifo: exit=$?"
summary "$tmp/out1"
cp "$tmp/a" "$tmp/mail.log"
"$BOUNCE" --no-user-catalogs scan --follow --json "$tmp/mail.log" >"$tmp/out2" 2>&1 &
pid=$!
sleep 1
cat "$tmp/b" >>"$tmp/mail.log"
# the appended lines are read within a second of being written
sleep 2
kill -TERM "$pid"
wait "$pid"
echo "file: exit=$?"
summary "$tmp/out2"
