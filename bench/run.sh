#!/bin/sh
# bench/run.sh -- performance benchmarks of bounce; 'make bench' runs it with
# BOUNCE=./bounce after building bounce and libcatalog.a.
#
# Prints one table row per figure: median [min-max] over repeated runs, the
# reference or target it is judged against, and PASS or FAIL.  The last line
# is exactly "bench: N passed, N failed"; the exit status is 1 if any target
# failed, 2 if the benchmark could not run.  See bench/README.
#
# Environment (all optional):
#   CC, PKG_CONFIG     compiler and pkg-config for the helpers (cc, pkg-config)
#   BENCH_CFLAGS       flags for the helpers (-O2 -g, as bounce is built)
#   BENCH_QUICK=1      fewer repetitions, for trying the script out
#   BENCH_KEEP=1       keep the scratch directory (generated catalog, helpers)
#   BENCH_BIG_N        entries of the generated catalog (100000)

cd "$(dirname "$0")/.." || exit 2
srcdir=$(pwd)

CC=${CC:-cc}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
BENCH_CFLAGS=${BENCH_CFLAGS:--O2 -g}
BOUNCE=${BOUNCE:-./bounce}
case $BOUNCE in
/*) ;;
*) BOUNCE=$srcdir/${BOUNCE#./} ;;
esac

# Repetitions. The whole script takes under a minute on the 2-CPU machine.
if [ "${BENCH_QUICK-}" = 1 ]; then
	START_RUNS=40 START_WARMUP=5 LOADS=10 QREPS=40 RSS_RUNS=2
	BIG_LOADS=1 BIG_QREPS=5 BIG_RUNS=1
else
	START_RUNS=200 START_WARMUP=20 LOADS=50 QREPS=200 RSS_RUNS=5
	BIG_LOADS=5 BIG_QREPS=21 BIG_RUNS=5
fi
BIG_N=${BENCH_BIG_N:-100000}
QUERIES='mailbox full|m|spam|dmarc reject|5.7.26'

# Targets.
T_START_RATIO=3      # bounce start-to-exit <= 3x the no-op linked to the same libraries
T_RSS_KB=16384       # peak RSS of 'bounce 5.1.1' < 16 MB
T_QUERY_MS=5         # built-in catalog: every query < 5 ms
T_BIG_LOAD_MS=2500   # generated catalog: load < 2.5 s, in-process and whole process
T_BIG_RSS_KB=153600  # generated catalog: peak RSS < 150 MB
T_BIG_QUERY_MS=50    # generated catalog: typical query < 50 ms
T_BIG_WORST_MS=250   # generated catalog: 1-letter prefix < 250 ms

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-bench.XXXXXX") || exit 2
if [ -n "${BENCH_KEEP-}" ]; then
	trap 'echo "bench: scratch files kept in $tmp"' EXIT
else
	trap 'rm -rf "$tmp"' EXIT
fi
trap 'exit 2' HUP INT PIPE TERM

# Pinned like the tests: no user catalogs, a known locale.
mkdir -p "$tmp/home" || exit 2
LC_ALL=C.UTF-8
HOME=$tmp/home
XDG_DATA_HOME=$HOME/.local/share
TERM=dumb
export LC_ALL HOME XDG_DATA_HOME TERM
unset NO_COLOR LANG LANGUAGE BOUNCE_DATADIR LD_PRELOAD BENCH_HWM_FILE 2>/dev/null

tab=$(printf '\t')
passed=0
failed=0
t_begin=$(date +%s)

die()
{
	echo "bench: $*" >&2
	echo "bench: 0 passed, 1 failed"
	exit 2
}

# ---------------------------------------------------------------- helpers

# lt A B: true when the number A is below B.
lt()
{
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'
}

# calc EXPR: prints the value of an awk expression.
calc()
{
	awk "BEGIN { printf \"%s\", $1 }"
}

# fmt_ms MS: "8.12 ms", "1.84 s"
fmt_ms()
{
	awk -v v="$1" 'BEGIN {
		if (v >= 1000) printf "%.2f s", v / 1000;
		else if (v >= 100) printf "%.0f ms", v;
		else if (v >= 10) printf "%.1f ms", v;
		else printf "%.2f ms", v }'
}

# fmt_range MED MIN MAX: "8.12 ms [6.90-15.2]"
fmt_range()
{
	printf '%s [%s-%s]' "$(fmt_ms "$1")" "$(fmt_ms "$2" | sed 's/ .*//')" \
		"$(fmt_ms "$3" | sed 's/ .*//')"
}

fmt_mb()
{
	awk -v v="$1" 'BEGIN { printf "%.1f MB", v / 1024 }'
}

# judge OK: counts a PASS (OK is 1) or a FAIL and sets $verdict.
judge()
{
	if [ "$1" = 1 ]; then
		passed=$((passed + 1))
		verdict=PASS
	else
		failed=$((failed + 1))
		verdict=FAIL
	fi
}

# row NAME FIGURE AGAINST VERDICT
row()
{
	printf '%-44s %-28s %-40s %s\n' "$1" "$2" "$3" "$4"
}

section()
{
	printf '\n%s\n' "$*"
}

# field FILE TAG N: field N of the first record tagged TAG.
field()
{
	awk -F"$tab" -v t="$2" -v n="$3" '$1 == t { print $n; exit }' "$1"
}

# cmd_field FILE INDEX N: field N of proctime's record for command INDEX.
cmd_field()
{
	awk -F"$tab" -v i="$2" -v n="$3" '$1 == "cmd" && $2 == i { print $n; exit }' "$1"
}

# max_of FILE: the largest number in FILE (one per line), or empty.
max_of()
{
	awk 'NR == 1 || $1 + 0 > m { m = $1 + 0 } END { if (NR) print m }' "$1"
}

# ---------------------------------------------------------------- build the helpers

[ -x "$BOUNCE" ] || die "$BOUNCE is missing: run make first"
[ -f "$srcdir/libcatalog.a" ] || die "libcatalog.a is missing: run make first"
# A snapshot, so that a rebuild during the run cannot change what is measured.
cp "$BOUNCE" "$tmp/bounce" || die "cannot copy $BOUNCE"
bounce=$tmp/bounce

cat_cflags=$($PKG_CONFIG --cflags libxml-2.0 sqlite3) || die "pkg-config libxml-2.0 sqlite3"
cat_libs=$($PKG_CONFIG --libs libxml-2.0 sqlite3) || die "pkg-config libxml-2.0 sqlite3"
all_cflags=$($PKG_CONFIG --cflags ncursesw libxml-2.0 sqlite3) || die "pkg-config ncursesw"
all_libs=$($PKG_CONFIG --libs ncursesw libxml-2.0 sqlite3) || die "pkg-config ncursesw"

build()
{
	# shellcheck disable=SC2086 # flags are word lists
	$CC -std=c11 $BENCH_CFLAGS "$@" 2>"$tmp/cc.err" || {
		cat "$tmp/cc.err" >&2
		die "cannot compile a helper: $CC $*"
	}
}
build -o "$tmp/proctime" bench/proctime.c
build -o "$tmp/gencat" bench/gencat.c
# shellcheck disable=SC2086
build $all_cflags -o "$tmp/ref_noop" bench/ref_noop.c $all_libs
# shellcheck disable=SC2086
build -Icatalog $cat_cflags -o "$tmp/engine" bench/engine.c libcatalog.a $cat_libs
build -shared -fPIC -o "$tmp/hwm.so" bench/hwm.c

# Sanity: the command being timed must work.
"$bounce" --no-user-catalogs 5.1.1 >"$tmp/out" 2>&1 </dev/null ||
	{ cat "$tmp/out" >&2; die "'bounce --no-user-catalogs 5.1.1' failed"; }

# The queries as separate arguments.
set -f
old_ifs=$IFS
IFS='|'
# shellcheck disable=SC2086
set -- $QUERIES
IFS=$old_ifs
set +f

echo "bounce benchmarks: $(uname -srm), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')" \
	"CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "Each figure: median [min-max] over the runs shown; times are wall clock."
row "measure" "median [min-max]" "reference / target" "result"

# ---------------------------------------------------------------- 1. process start

section "1. Process start to exit ($START_RUNS runs each, interleaved, after $START_WARMUP warm-up runs)"
"$tmp/proctime" -n "$START_RUNS" -w "$START_WARMUP" \
	"$bounce" --no-user-catalogs 5.1.1 :: "$tmp/ref_noop" >"$tmp/start" 2>"$tmp/start.err"
b_med=$(cmd_field "$tmp/start" 0 3)
r_med=$(cmd_field "$tmp/start" 1 3)
if [ -n "$b_med" ] && [ -n "$r_med" ] && [ "$(cmd_field "$tmp/start" 0 8)" = 0 ] &&
	[ "$(cmd_field "$tmp/start" 1 8)" = 0 ]; then
	ratio=$(calc "$b_med / $r_med")
	min_ratio=$(calc "$(cmd_field "$tmp/start" 0 4) / $(cmd_field "$tmp/start" 1 4)")
	row "no-op linked to ncursesw+libxml2+sqlite3" \
		"$(fmt_range "$r_med" "$(cmd_field "$tmp/start" 1 4)" "$(cmd_field "$tmp/start" 1 5)")" \
		"(reference)" ""
	judge "$(lt "$ratio" "$T_START_RATIO.0000001" && echo 1)"
	row "bounce --no-user-catalogs 5.1.1" \
		"$(fmt_range "$b_med" "$(cmd_field "$tmp/start" 0 4)" "$(cmd_field "$tmp/start" 0 5)")" \
		"$(printf '%.2fx ref (min/min %.2fx) <= %sx' "$ratio" "$min_ratio" "$T_START_RATIO")" \
		"$verdict"
else
	judge 0
	row "bounce --no-user-catalogs 5.1.1" "error" "<= ${T_START_RATIO}x ref" "$verdict"
	sed 's/^/    /' "$tmp/start.err" | sort | uniq -c | head -n 20
fi

# ---------------------------------------------------------------- 2, 3. built-in catalog

section "2. Built-in catalog load (in-process, $LOADS loads) and peak RSS"
if "$tmp/engine" "$LOADS" "$QREPS" -- "$@" >"$tmp/builtin" 2>"$tmp/builtin.err"; then
	engine_ok=1
else
	engine_ok=0
	sed 's/^/    /' "$tmp/builtin.err"
fi
if [ -n "$(field "$tmp/builtin" load 2)" ]; then
	row "cat_open + cat_ready (built-in)" \
		"$(fmt_range "$(field "$tmp/builtin" load 2)" "$(field "$tmp/builtin" load 3)" \
			"$(field "$tmp/builtin" load 4)")" \
		"open $(fmt_ms "$(awk -F"$tab" '$2 == "open" { print $3 }' "$tmp/builtin")"), ready $(fmt_ms "$(awk -F"$tab" '$2 == "ready" { print $3 }' "$tmp/builtin")")" \
		"info"
else
	judge 0
	row "cat_open + cat_ready (built-in)" "error" "" "$verdict"
fi

rm -f "$tmp/hwm"
BENCH_HWM_FILE=$tmp/hwm LD_PRELOAD=$tmp/hwm.so \
	"$tmp/proctime" -n "$RSS_RUNS" -w 0 "$bounce" --no-user-catalogs 5.1.1 \
	>"$tmp/rss" 2>"$tmp/rss.err"
hwm=$(max_of "$tmp/hwm" 2>/dev/null)
if [ -n "$hwm" ] && [ "$(cmd_field "$tmp/rss" 0 8)" = 0 ]; then
	judge "$(lt "$hwm" "$T_RSS_KB" && echo 1)"
	row "peak RSS, bounce 5.1.1 ($RSS_RUNS runs, max)" \
		"$(fmt_mb "$hwm") VmHWM" \
		"< $(fmt_mb "$T_RSS_KB") (wait4 maxrss $(fmt_mb "$(cmd_field "$tmp/rss" 0 7)"))" \
		"$verdict"
else
	judge 0
	row "peak RSS, bounce 5.1.1" "error" "< $(fmt_mb "$T_RSS_KB")" "$verdict"
	sed 's/^/    /' "$tmp/rss.err"
fi

# query_rows FILE LIMIT WORST_QUERY WORST_LIMIT: one judged row per query record.
query_rows()
{
	while IFS=$tab read -r tag med min max _ hits q; do
		[ "$tag" = query ] || continue
		limit=$2
		[ "$q" = "$3" ] && limit=$4
		if [ "$hits" -gt 0 ] 2>/dev/null; then
			judge "$(lt "$med" "$limit" && echo 1)"
			against="< $limit ms"
		else
			judge 0
			against="no hits: the search is broken"
		fi
		row "  \"$q\" ($hits hits)" "$(fmt_range "$med" "$min" "$max")" "$against" "$verdict"
	done <"$1"
}

section "3. Search, built-in catalog (cat_search, limit 50, $QREPS runs per query)"
query_rows "$tmp/builtin" "$T_QUERY_MS" "" "$T_QUERY_MS"
if [ "$engine_ok" != 1 ] || [ "$(grep -c "^query$tab" "$tmp/builtin")" != "$#" ]; then
	judge 0
	row "  (not every query ran)" "error" "" "$verdict"
fi

# ---------------------------------------------------------------- 4. generated catalog

section "4. Generated catalog of $BIG_N entries"
big=$tmp/big.xml
if "$tmp/gencat" "$BIG_N" "$big"; then
	big_kb=$(du -k "$big" | cut -f1)
	row "catalog file (bench/gencat $BIG_N)" "$(fmt_mb "$big_kb")" \
		"$(awk -v k="$big_kb" -v n="$BIG_N" 'BEGIN { printf "%.0f bytes per entry", k * 1024 / n }')" "info"
else
	judge 0
	row "bench/gencat $BIG_N" "error" "" "$verdict"
fi

if "$tmp/engine" "$BIG_LOADS" "$BIG_QREPS" "$big" -- "$@" >"$tmp/bigeng" 2>"$tmp/bigeng.err"; then
	engine_ok=1
else
	engine_ok=0
	sed 's/^/    /' "$tmp/bigeng.err"
fi
load_med=$(field "$tmp/bigeng" load 2)
if [ -n "$load_med" ]; then
	judge "$(lt "$load_med" "$T_BIG_LOAD_MS" && echo 1)"
	row "open_empty + load_file + ready ($BIG_LOADS)" \
		"$(fmt_range "$load_med" "$(field "$tmp/bigeng" load 3)" "$(field "$tmp/bigeng" load 4)")" \
		"< $(fmt_ms "$T_BIG_LOAD_MS")" "$verdict"
	row "  of which load_file / ready" \
		"$(fmt_ms "$(awk -F"$tab" '$2 == "file" { print $3 }' "$tmp/bigeng")") / $(fmt_ms "$(awk -F"$tab" '$2 == "ready" { print $3 }' "$tmp/bigeng")")" \
		"$(awk -v l="$load_med" -v n="$BIG_N" 'BEGIN { printf "%.1f us per entry", l * 1000 / n }')" \
		"info"
	row "  VmHWM of the benchmark process" "$(fmt_mb "$(field "$tmp/bigeng" hwm_kb 2)")" \
		"(in-process, after the loads)" "info"
else
	judge 0
	row "open_empty + load_file + ready" "error" "< $(fmt_ms "$T_BIG_LOAD_MS")" "$verdict"
fi

rm -f "$tmp/hwm"
BENCH_HWM_FILE=$tmp/hwm LD_PRELOAD=$tmp/hwm.so \
	"$tmp/proctime" -n "$BIG_RUNS" -w 0 -t 120 \
	"$bounce" --no-user-catalogs --catalog "$big" 5.1.1 >"$tmp/bigproc" 2>"$tmp/bigproc.err"
p_med=$(cmd_field "$tmp/bigproc" 0 3)
hwm=$(max_of "$tmp/hwm" 2>/dev/null)
if [ -n "$p_med" ] && [ "$(cmd_field "$tmp/bigproc" 0 8)" = 0 ]; then
	judge "$(lt "$p_med" "$T_BIG_LOAD_MS" && echo 1)"
	row "bounce --catalog big.xml 5.1.1 ($BIG_RUNS)" \
		"$(fmt_range "$p_med" "$(cmd_field "$tmp/bigproc" 0 4)" "$(cmd_field "$tmp/bigproc" 0 5)")" \
		"< $(fmt_ms "$T_BIG_LOAD_MS") (whole process)" "$verdict"
else
	judge 0
	row "bounce --catalog big.xml 5.1.1" "error" "< $(fmt_ms "$T_BIG_LOAD_MS")" "$verdict"
	sed 's/^/    /' "$tmp/bigproc.err"
fi
if [ -n "$hwm" ] && [ "$(cmd_field "$tmp/bigproc" 0 8)" = 0 ]; then
	judge "$(lt "$hwm" "$T_BIG_RSS_KB" && echo 1)"
	row "  peak RSS of that process (max)" "$(fmt_mb "$hwm") VmHWM" \
		"< $(fmt_mb "$T_BIG_RSS_KB") (wait4 maxrss $(fmt_mb "$(cmd_field "$tmp/bigproc" 0 7)"))" \
		"$verdict"
else
	judge 0
	row "  peak RSS of that process" "error" "< $(fmt_mb "$T_BIG_RSS_KB")" "$verdict"
fi

section "   Search, generated catalog ($BIG_QREPS runs per query; 1-letter prefix: worst case)"
query_rows "$tmp/bigeng" "$T_BIG_QUERY_MS" "m" "$T_BIG_WORST_MS"
if [ "$engine_ok" != 1 ] || [ "$(grep -c "^query$tab" "$tmp/bigeng")" != "$#" ]; then
	judge 0
	row "  (not every query ran)" "error" "" "$verdict"
fi

# ---------------------------------------------------------------- summary

echo
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null); took $(($(date +%s) - t_begin)) s"
echo "bench: $passed passed, $failed failed"
[ "$failed" = 0 ]
