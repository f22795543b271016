# A log that is still being written ("tail -f mail.log | bounce"): each
# line is explained when it arrives, not when the input ends or a block
# fills. The first line is written to a FIFO and its result must come back
# while the writer still holds the FIFO open; only then is the second line
# written and the input closed.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-live.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
mkfifo "$tmp/in" "$tmp/out" || exit 2
"$BOUNCE" --no-user-catalogs explain --lines <"$tmp/in" >"$tmp/out" 2>&1 &
pid=$!
exec 3>"$tmp/in" 4<"$tmp/out"
echo '550 5.1.1 <a@example.com>: Recipient address rejected: User unknown' >&3
# the result of the first line, within 10 seconds, the input still open
if first=$(timeout 10 sh -c 'IFS= read -r l && printf "%s\n" "$l"' <&4); then
	echo "while the input is open: $first"
else
	echo "no result while the input is open"
fi
echo '452 4.2.2 The email account that you tried to reach is over quota' >&3
exec 3>&-
timeout 10 cat <&4
wait "$pid"
echo "exit=$?"
