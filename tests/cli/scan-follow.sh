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
# while following, a summary every --interval seconds: one NDJSON record
# ("record":"summary") with --json, before the report at the end; it is
# there while the writer still holds the FIFO open
wait_for()
{
	i=0
	while [ "$(grep -c "$1" "$2" 2>/dev/null)" -lt "${3:-1}" ]; do
		i=$((i + 1))
		[ "$i" -lt 300 ] || return 1
		sleep 0.1
	done
}
rm -f "$tmp/fifo"
mkfifo "$tmp/fifo" || exit 2
"$BOUNCE" --no-user-catalogs scan --follow --interval 1 --json "$tmp/fifo" >"$tmp/out3" 2>&1 &
pid=$!
exec 3>"$tmp/fifo"
cat "$tmp/a" >&3
wait_for '"record":"summary".*"items":12,' "$tmp/out3" || echo "no summary while the FIFO is open"
grep -m1 '"record":"summary".*"items":12,' "$tmp/out3" | sed 's/"at":"[^"]*",//; s/,"rates".*"top":/,"top":/' |
	cut -c1-400
cat "$tmp/b" >&3
exec 3>&-
wait "$pid"
echo "summaries: exit=$?"
grep -v '"record":"summary"' "$tmp/out3" >"$tmp/out3r"
summary "$tmp/out3r"
# on a terminal, the text summary is drawn over the last one and cleared
# before the report
if command -v script >/dev/null 2>&1; then
	rm -f "$tmp/fifo"
	mkfifo "$tmp/fifo" || exit 2
	TERM=xterm script -qfec "$BOUNCE --no-user-catalogs scan --follow --interval 1 $tmp/fifo" \
		/dev/null >"$tmp/out4" 2>&1 &
	pid=$!
	exec 3>"$tmp/fifo"
	cat "$tmp/a" >&3
	wait_for 'bounce scan --follow at' "$tmp/out4" 2 || echo "no second summary on the terminal"
	cat "$tmp/b" >&3
	exec 3>&-
	wait "$pid"
	echo "terminal: exit=$?"
	esc=$(printf '\033')
	tr -d '\r' <"$tmp/out4" >"$tmp/out4t"
	sed "s/$esc\[[0-9]*[AJ]//g" "$tmp/out4t" >"$tmp/out4c"
	grep -c 'bounce scan --follow at' "$tmp/out4c" | sed 's/^[2-9][0-9]*$/redrawn/'
	grep -q "$esc\[4A$esc\[Jbounce scan: " "$tmp/out4t" && echo "cleared before the report"
	sed -n 's/.*\(top: .*\)/\1/p' "$tmp/out4c" | head -1
	grep -A1 '^bounce scan: ' "$tmp/out4c"
fi
