#!/bin/sh
# bench/tui.sh -- headless timings of the browser, for bench/run.sh to
# integrate: (1) exec to the first complete screen: 'bounce --script' with a
# script holding only ':dump' (then EOF, which quits); (2) one search
# keystroke: the same with 40 keystrokes typed into the search prompt,
# minus (1), divided by 40. Prints median milliseconds of RUNS runs.
# Targets: first screen < 30 ms, a search keystroke < 5 ms.
#   BOUNCE=./bounce RUNS=21 sh bench/tui.sh

cd "$(dirname "$0")/.." || exit 2
BOUNCE=${BOUNCE:-./bounce}
RUNS=${RUNS:-21}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-tui.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
LC_ALL=C.UTF-8 TERM=xterm-256color LINES=32 COLUMNS=120 HOME=$tmp
export LC_ALL TERM LINES COLUMNS HOME

printf ':dump first\n' >"$tmp/first.keys"
{
	printf '/'
	i=0
	while [ $i -lt 4 ]; do
		printf 'mailbox fu<C-u>'
		i=$((i + 1))
	done
	printf '\n:dump searched\n'
} >"$tmp/search.keys"

# median_ms KEYS: median wall time of RUNS runs, in microseconds.
median_us() {
	i=0
	: >"$tmp/times"
	while [ $i -lt "$RUNS" ]; do
		t0=$(date +%s%N)
		"$BOUNCE" --no-user-catalogs --script "$1" >/dev/null 2>&1 </dev/null || exit 2
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000)) >>"$tmp/times"
		i=$((i + 1))
	done
	sort -n "$tmp/times" | sed -n "$(((RUNS + 1) / 2))p"
}

first=$(median_us "$tmp/first.keys")
search=$(median_us "$tmp/search.keys")
# 40 printable keystrokes (4 x 10) plus 4 <C-u> that also search again
per=$(((search - first) / 44))
status=0
v1=PASS
v2=PASS
[ "$first" -lt 30000 ] || { v1=FAIL; status=1; }
[ "$per" -lt 5000 ] || { v2=FAIL; status=1; }
printf 'tui first screen     %6d.%03d ms  (target < 30 ms)  %s\n' $((first / 1000)) $((first % 1000)) "$v1"
printf 'tui search keystroke %6d.%03d ms  (target < 5 ms)   %s\n' $((per / 1000)) $((per % 1000)) "$v2"
exit $status
