# explain --lines on worker threads: whatever the number of threads, the
# output is the same, line for line and in input order, as with one.
# The input is every one-line bounce of the corpus, over and over (about
# 1.5 MB: several jobs of 256 KB), with CRLF line ends, empty lines, control
# bytes, invalid UTF-8 and lines longer than --max-input mixed in.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-threads.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cr=$(printf '\r')
# one-line bounces (a message with bare CR line ends is not one), each
# ended by a newline; a few processes in all, not a few per file
wc -l tests/bounces/*.txt | awk '$1 <= 1 && $2 != "total" { print $2 }' >"$tmp/short"
grep -l "$cr" tests/bounces/*.txt >"$tmp/cr"
grep -vxF -f "$tmp/cr" "$tmp/short" | xargs sed -s -e '$a\' | grep -av '^$' >"$tmp/one"
i=0
while [ $i -lt 15 ]; do
	cat "$tmp/one"
	printf '550 5.1.1 crlf line\r\n\n\001\033[31m 421 4.7.0 \377\376 try later\n'
	head -c 3000 /dev/zero | tr '\0' 'x'
	echo ' 550 5.2.2 mailbox full (long line)'
	i=$((i + 1))
done >"$tmp/log"
n=$(wc -l <"$tmp/log")
[ "$n" -gt 5000 ] && [ "$(wc -c <"$tmp/log")" -gt 1000000 ] && echo "input: more than 5000 lines, 1 MB"
for mode in "--json" ""; do
	# shellcheck disable=SC2086
	"$BOUNCE" --no-user-catalogs --max-input 2k --threads 1 explain --lines $mode "$tmp/log" \
		>"$tmp/one.out" 2>"$tmp/one.err"
	echo "threads 1${mode:+ $mode}: exit $?, $(wc -l <"$tmp/one.err") warnings"
	[ -n "$mode" ] && cp "$tmp/one.out" "$tmp/json.out"
	for t in 2 3 8; do
		# shellcheck disable=SC2086
		"$BOUNCE" --no-user-catalogs --max-input 2k --threads $t explain --lines $mode "$tmp/log" \
			>"$tmp/t.out" 2>"$tmp/t.err"
		rc=$?
		if cmp -s "$tmp/one.out" "$tmp/t.out" && cmp -s "$tmp/one.err" "$tmp/t.err"; then
			echo "threads $t${mode:+ $mode}: exit $rc, the same output"
		else
			echo "threads $t${mode:+ $mode}: exit $rc, DIFFERENT output"
			diff "$tmp/one.out" "$tmp/t.out" | head -n 5
		fi
	done
	# standard input, and the filter form, read the same
	# shellcheck disable=SC2086
	"$BOUNCE" --no-user-catalogs --max-input 2k explain --lines $mode <"$tmp/log" >"$tmp/t.out" 2>/dev/null
	cmp -s "$tmp/one.out" "$tmp/t.out" && echo "standard input${mode:+ $mode}: the same output"
done
# one result line per input line, numbered in order
"$BOUNCE" --no-user-catalogs --max-input 2k --threads 2 explain --lines --json "$tmp/log" 2>/dev/null |
	sed 's/^{"input":\([0-9]*\),.*/\1/' >"$tmp/nums"
seq 1 "$n" | cmp -s - "$tmp/nums" && echo "json: inputs 1..N in order, one line each"
# the filter form: "... | bounce --json"
"$BOUNCE" --no-user-catalogs --max-input 2k --json <"$tmp/log" 2>/dev/null | cmp -s "$tmp/json.out" - &&
	echo "filter form: the same output"
# a bad --threads
"$BOUNCE" --threads 0 explain --lines x 2>&1; echo "exit=$?"
"$BOUNCE" --threads 9 explain --lines x 2>&1; echo "exit=$?"
