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
#   BENCH_LOG_MB       size of the generated mail log in MB (256)

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

# Repetitions. The whole script takes about two minutes on the 2-CPU machine.
if [ "${BENCH_QUICK-}" = 1 ]; then
	START_RUNS=40 START_WARMUP=5 LOADS=10 QREPS=40 RSS_RUNS=2
	BIG_LOADS=1 BIG_QREPS=5 BIG_RUNS=1
	LOG_RUNS=1 LOG_SMALL_RUNS=1 MSG_N=2000 MSG_ROUNDS=3 MSGP_RUNS=1 TUI_RUNS=5
	LOG_MB=${BENCH_LOG_MB:-64}
else
	START_RUNS=200 START_WARMUP=20 LOADS=50 QREPS=200 RSS_RUNS=5
	BIG_LOADS=5 BIG_QREPS=21 BIG_RUNS=5
	LOG_RUNS=5 LOG_SMALL_RUNS=3 MSG_N=10000 MSG_ROUNDS=7 MSGP_RUNS=3 TUI_RUNS=21
	LOG_MB=${BENCH_LOG_MB:-256}
fi
BIG_N=${BENCH_BIG_N:-100000}
LOG_SMALL_MB=$((LOG_MB / 4)) # the same log, a quarter: peak RSS must not grow
QUERIES='mailbox full|m|spam|dmarc reject|5.7.26'
# One bounce line for the start-up of explain: the analyzer is built (or
# taken from the built-in image) and one line analyzed.
EXPLAIN_LINE='550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown in local recipient table'

# Targets.
T_START_RATIO=1.3    # bounce 5.1.1 start-to-exit <= 1.3x the no-op linked to the same libraries
T_EXPLAIN_RATIO=1.5  # bounce explain LINE start-to-exit <= 1.5x the same no-op (issue 14)
T_RSS_KB=16384       # peak RSS of 'bounce 5.1.1' < 16 MB
T_QUERY_MS=5         # built-in catalog: every query < 5 ms
T_BIG_LOAD_MS=2500   # generated catalog: load < 2.5 s, in-process and whole process
T_BIG_RSS_KB=153600  # generated catalog: peak RSS < 150 MB
T_BIG_QUERY_MS=50    # generated catalog: typical query < 50 ms
T_BIG_WORST_MS=250   # generated catalog: 1-letter prefix < 250 ms
T_OVERLAYS_MS=1000   # 1,000 small overlay files in $XDG_DATA_HOME/bounce: bounce 5.1.1 < 1 s
T_LOG_LPS=1500000    # explain --lines --json over a Postfix log into a pipe: >= 1,500,000 lines/s ...
T_LOG_NULL_X=2       # ... and to /dev/null <= 2x grep -c status= (issue 14)
T_MSG_PS=20000       # whole bounce messages through cat_analyze: >= 20,000 per second
T_MSGS_PS=20000      # bounce explain --messages over a Maildir, whole process: >= 20,000/s ...
T_SISIMAI_X=10       # ... and >= 10x Sisimai on the same Maildir (when libsisimai-perl is there)
T_LOG_RSS_KB=32768   # peak RSS of explain --lines over the log < 32 MB ...
T_LOG_GROWTH_KB=2048 # ... and no more than 2 MB above the run over a quarter of it
T_SCAN_X=2           # bounce scan over the Postfix log: <= 2x grep -c status= ...
T_SCAN_GZ_X=1.5      # ... and over its gzip <= 1.5x zcat | grep -c status=
T_SCAN_RSS_KB=65536  # ... in less than 64 MB of peak RSS
T_TUI_FIRST_MS=30    # browser: exec to the first complete screen < 30 ms
T_TUI_KEY_MS=5       # browser: one search keystroke < 5 ms
T_TUI_KEY_BIG_MS=30  # browser: one search keystroke < 30 ms at 100,000 entries
T_TUI_FIRST_BIG_MS=300 # browser: first screen < 300 ms at 100,000 entries (index cache warm)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-bench.XXXXXX") || exit 2
if [ -n "${BENCH_KEEP-}" ]; then
	trap 'echo "bench: scratch files kept in $tmp"' EXIT
else
	trap 'rm -rf "$tmp"' EXIT
fi
trap 'exit 2' HUP INT PIPE TERM

# Pinned like the tests: no user catalogs, a known locale, an index cache of
# the run's own (the rows that load XML say --no-cache; figure 8 compares).
mkdir -p "$tmp/home" || exit 2
LC_ALL=C.UTF-8
HOME=$tmp/home
XDG_DATA_HOME=$HOME/.local/share
XDG_CACHE_HOME=$HOME/.cache
TERM=dumb
export LC_ALL HOME XDG_DATA_HOME XDG_CACHE_HOME TERM
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
build -Iinclude $cat_cflags -o "$tmp/engine" bench/engine.c libcatalog.a $cat_libs
build -shared -fPIC -o "$tmp/hwm.so" bench/hwm.c
build -o "$tmp/pipetime" bench/pipetime.c
build -o "$tmp/genlog" bench/genlog.c
# shellcheck disable=SC2086
build -Iinclude $cat_cflags -o "$tmp/msgbench" bench/msgbench.c libcatalog.a $cat_libs

# Sanity: the command being timed must work.
"$bounce" --no-user-catalogs 5.1.1 >"$tmp/out" 2>&1 </dev/null ||
	{ cat "$tmp/out" >&2; die "'bounce --no-user-catalogs 5.1.1' failed"; }
"$bounce" --no-user-catalogs explain "$EXPLAIN_LINE" >"$tmp/out" 2>&1 </dev/null ||
	{ cat "$tmp/out" >&2; die "'bounce --no-user-catalogs explain LINE' failed"; }

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
	"$bounce" --no-user-catalogs 5.1.1 :: "$tmp/ref_noop" :: \
	"$bounce" --no-user-catalogs explain "$EXPLAIN_LINE" >"$tmp/start" 2>"$tmp/start.err"
r_med=$(cmd_field "$tmp/start" 1 3)
if [ -n "$r_med" ] && [ "$(cmd_field "$tmp/start" 1 8)" = 0 ]; then
	row "no-op linked to ncursesw+libxml2+sqlite3" \
		"$(fmt_range "$r_med" "$(cmd_field "$tmp/start" 1 4)" "$(cmd_field "$tmp/start" 1 5)")" \
		"(reference)" ""
fi
# start_row INDEX NAME TARGET: command INDEX of the run beside the no-op (1)
start_row()
{
	b_med=$(cmd_field "$tmp/start" "$1" 3)
	if [ -n "$b_med" ] && [ -n "$r_med" ] && [ "$(cmd_field "$tmp/start" "$1" 8)" = 0 ] &&
		[ "$(cmd_field "$tmp/start" 1 8)" = 0 ]; then
		ratio=$(calc "$b_med / $r_med")
		min_ratio=$(calc "$(cmd_field "$tmp/start" "$1" 4) / $(cmd_field "$tmp/start" 1 4)")
		judge "$(lt "$ratio" "$(calc "$3 + 0.0000001")" && echo 1)"
		row "$2" \
			"$(fmt_range "$b_med" "$(cmd_field "$tmp/start" "$1" 4)" "$(cmd_field "$tmp/start" "$1" 5)")" \
			"$(printf '%.2fx ref (min/min %.2fx) <= %sx' "$ratio" "$min_ratio" "$3")" \
			"$verdict"
	else
		judge 0
		row "$2" "error" "<= ${3}x ref" "$verdict"
		sed 's/^/    /' "$tmp/start.err" | sort | uniq -c | head -n 20
	fi
}
start_row 0 "bounce --no-user-catalogs 5.1.1" "$T_START_RATIO"
start_row 2 "bounce --no-user-catalogs explain LINE" "$T_EXPLAIN_RATIO"

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
	"$bounce" --no-user-catalogs --no-cache --catalog "$big" 5.1.1 >"$tmp/bigproc" 2>"$tmp/bigproc.err"
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

# 1,000 small overlays, as a directory of user catalogs: loading must stay
# linear in files plus entries (each file's reference check reads only its
# own rows)
many=$tmp/many/bounce
mkdir -p "$many"
awk -v d="$many" 'BEGIN {
	for (f = 0; f < 1000; f++) {
		fn = sprintf("%s/o%04d.xml", d, f)
		printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<catalog version=\"1\" name=\"o%d\">\n" \
		    "<providers><provider id=\"bench%d\" name=\"Bench %d\"><meaning>m</meaning>" \
		    "<source>s</source></provider></providers>\n<codes>\n", f, f, f >fn
		for (i = 0; i < 5; i++)
			printf "<entry id=\"bench%d.e%d\" provider=\"bench%d\" reply=\"550\" title=\"E %d\"" \
			    " status=\"observed\" reason=\"user_unknown\"><text>text %d %d</text>" \
			    "<meaning>m</meaning><source>s</source><see ref=\"X.1.1\"/></entry>\n",
			    f, i, f, i, f, i >fn
		print "</codes>\n</catalog>" >fn
		close(fn)
	}
}'
"$tmp/proctime" -n "$BIG_RUNS" -w 1 -t 120 env XDG_DATA_HOME="$tmp/many" "$bounce" --no-cache 5.1.1 \
	>"$tmp/manyproc" 2>"$tmp/manyproc.err"
m_med=$(cmd_field "$tmp/manyproc" 0 3)
if [ -n "$m_med" ] && [ "$(cmd_field "$tmp/manyproc" 0 8)" = 0 ]; then
	judge "$(lt "$m_med" "$T_OVERLAYS_MS" && echo 1)"
	row "1,000 overlay files: bounce 5.1.1 ($BIG_RUNS)" \
		"$(fmt_range "$m_med" "$(cmd_field "$tmp/manyproc" 0 4)" "$(cmd_field "$tmp/manyproc" 0 5)")" \
		"< $(fmt_ms "$T_OVERLAYS_MS") (whole process)" "$verdict"
else
	judge 0
	row "1,000 overlay files: bounce 5.1.1" "error" "< $(fmt_ms "$T_OVERLAYS_MS")" "$verdict"
	sed 's/^/    /' "$tmp/manyproc.err"
fi

section "   Search, generated catalog ($BIG_QREPS runs per query; 1-letter prefix: worst case)"
query_rows "$tmp/bigeng" "$T_BIG_QUERY_MS" "m" "$T_BIG_WORST_MS"
if [ "$engine_ok" != 1 ] || [ "$(grep -c "^query$tab" "$tmp/bigeng")" != "$#" ]; then
	judge 0
	row "  (not every query ran)" "error" "" "$verdict"
fi

# ---------------------------------------------------------------- 5, 7. mail log

# fmt_rate N: "1.23 M", "254 k", "980"
fmt_rate()
{
	awk -v v="$1" 'BEGIN {
		if (v >= 1e6) printf "%.2fM", v / 1e6;
		else if (v >= 1e4) printf "%.0fk", v / 1e3;
		else if (v >= 1e3) printf "%.1fk", v / 1e3;
		else printf "%.0f", v }'
}

# pipe_field FILE INDEX N: field N of pipetime's record for command INDEX.
pipe_field()
{
	awk -F"$tab" -v i="$2" -v n="$3" '$1 == "cmd" && $2 == i { print $n; exit }' "$1"
}

section "5. Mail log: explain --lines --json over a generated Postfix log ($LOG_RUNS runs each, interleaved with grep, after a warm-up run)"
log=$tmp/mail.log
log_small=$tmp/mail-small.log
log_ok=0
if "$tmp/genlog" $((LOG_MB * 1048576)) "$log" tests/bounces >"$tmp/genlog.out" 2>"$tmp/genlog.err" &&
	"$tmp/genlog" $((LOG_SMALL_MB * 1048576)) "$log_small" tests/bounces \
		>"$tmp/genlog-small.out" 2>>"$tmp/genlog.err"; then
	log_ok=1
	log_lines=$(awk '{ print $2 }' "$tmp/genlog.out")
	log_bytes=$(awk '{ print $4 }' "$tmp/genlog.out")
	log_small_lines=$(awk '{ print $2 }' "$tmp/genlog-small.out")
	row "log file (bench/genlog, ${LOG_MB} MB)" "$(fmt_rate "$log_lines") lines" \
		"$(awk '{ printf "%.1f%% sent, %.0f bytes per line", 100 * $6 / $2, $4 / $2 }' \
			"$tmp/genlog.out")" "info"
	cat "$log" "$log_small" >/dev/null # a warm page cache, as in the reference measurements
else
	judge 0
	row "bench/genlog" "error" "" "$verdict"
	sed 's/^/    /' "$tmp/genlog.err"
fi

# mb_s BYTES MS, lines_s LINES MS
mb_s()
{
	calc "$1 / 1048576 / ($2 / 1000)"
}
lines_s()
{
	calc "$1 / ($2 / 1000)"
}

if [ "$log_ok" = 1 ]; then
	rm -f "$tmp/hwm-log" "$tmp/hwm-log-small"
	"$tmp/pipetime" -n "$LOG_RUNS" -w 1 -t 300 \
		env LD_PRELOAD="$tmp/hwm.so" BENCH_HWM_FILE="$tmp/hwm-log" \
		"$bounce" --no-user-catalogs explain --lines --json "$log" :: \
		grep -c status= "$log" :: \
		sh -c 'exec "$0" --no-user-catalogs explain --lines --json "$1" >/dev/null' "$bounce" "$log" \
		>"$tmp/logrun" 2>"$tmp/logrun.err"
	b_med=$(pipe_field "$tmp/logrun" 0 3)
	g_med=$(pipe_field "$tmp/logrun" 1 3)
	if [ -n "$g_med" ] && [ "$(pipe_field "$tmp/logrun" 1 8)" = 0 ]; then
		row "grep -c status= (to a pipe)" \
			"$(fmt_range "$g_med" "$(pipe_field "$tmp/logrun" 1 4)" "$(pipe_field "$tmp/logrun" 1 5)")" \
			"$(fmt_rate "$(lines_s "$log_lines" "$g_med")") lines/s, $(printf '%.0f' "$(mb_s "$log_bytes" "$g_med")") MB/s (reference)" ""
	else
		g_med=
		row "grep -c status= (to a pipe)" "error" "(reference)" ""
	fi
	if [ -n "$b_med" ] && [ "$(pipe_field "$tmp/logrun" 0 8)" = 0 ]; then
		b_min=$(pipe_field "$tmp/logrun" 0 4)
		b_max=$(pipe_field "$tmp/logrun" 0 5)
		lps=$(lines_s "$log_lines" "$b_med")
		judge "$(lt "$lps" "$T_LOG_LPS" || echo 1)"
		row "bounce explain --lines --json (to a pipe)" "$(fmt_range "$b_med" "$b_min" "$b_max")" \
			"$(fmt_rate "$lps") lines/s [$(fmt_rate "$(lines_s "$log_lines" "$b_max")")-$(fmt_rate "$(lines_s "$log_lines" "$b_min")")] >= $(fmt_rate "$T_LOG_LPS")" \
			"$verdict"
		row "  MB/s of input" "$(printf '%.1f MB/s' "$(mb_s "$log_bytes" "$b_med")")" \
			"output $(fmt_mb "$(($(pipe_field "$tmp/logrun" 0 9) / 1024))") of NDJSON" "info"
		if [ -n "$g_med" ]; then
			row "  time relative to grep" "$(printf '%.1fx grep' "$(calc "$b_med / $g_med")")" \
				"$(printf 'min/min %.1fx' "$(calc "$b_min / $(pipe_field "$tmp/logrun" 1 4)")")" "info"
		fi
		n_med=$(pipe_field "$tmp/logrun" 2 3)
		if [ -n "$g_med" ] && [ -n "$n_med" ] && [ "$(pipe_field "$tmp/logrun" 2 8)" = 0 ]; then
			nx=$(calc "$n_med / $g_med")
			judge "$(lt "$T_LOG_NULL_X" "$nx" || echo 1)"
			row "bounce explain --lines --json >/dev/null" \
				"$(fmt_range "$n_med" "$(pipe_field "$tmp/logrun" 2 4)" "$(pipe_field "$tmp/logrun" 2 5)")" \
				"$(printf '%.2fx grep (min/min %.2fx) <= %sx' "$nx" \
					"$(calc "$(pipe_field "$tmp/logrun" 2 4) / $(pipe_field "$tmp/logrun" 1 4)")" \
					"$T_LOG_NULL_X")" "$verdict"
		else
			judge 0
			row "bounce explain --lines --json >/dev/null" "error" "<= ${T_LOG_NULL_X}x grep" "$verdict"
		fi
		out_lines=$(pipe_field "$tmp/logrun" 0 10)
		if [ "$out_lines" != "$log_lines" ]; then
			judge 0
			row "  one JSON line per log line" "$out_lines lines" "want $log_lines" "$verdict"
		fi
	else
		judge 0
		row "bounce explain --lines --json" "error" ">= $(fmt_rate "$T_LOG_LPS") lines/s" "$verdict"
		sed 's/^/    /' "$tmp/logrun.err" | sort | uniq -c | head -n 20
	fi
	"$tmp/pipetime" -n "$LOG_SMALL_RUNS" -w 0 -t 300 \
		env LD_PRELOAD="$tmp/hwm.so" BENCH_HWM_FILE="$tmp/hwm-log-small" \
		"$bounce" --no-user-catalogs explain --lines --json "$log_small" \
		>"$tmp/logsmall" 2>"$tmp/logsmall.err"
	s_med=$(pipe_field "$tmp/logsmall" 0 3)
	if [ -n "$s_med" ] && [ "$(pipe_field "$tmp/logsmall" 0 8)" = 0 ]; then
		row "  the same over ${LOG_SMALL_MB} MB ($LOG_SMALL_RUNS)" \
			"$(fmt_range "$s_med" "$(pipe_field "$tmp/logsmall" 0 4)" "$(pipe_field "$tmp/logsmall" 0 5)")" \
			"$(fmt_rate "$(lines_s "$log_small_lines" "$s_med")") lines/s" "info"
	fi
fi

# ---------------------------------------------------------------- 5b. bounce scan

# bounce scan over the same log and over its gzip, each interleaved with its
# reference: grep -c status= reads every line as scan must; zcat | grep the
# same through gzip. scan exits 1 when a rate is flagged, which is a success
# here.
section "5b. Mail log: bounce scan --json over the log and its gzip ($LOG_RUNS runs each, interleaved with grep and zcat | grep, after a warm-up run)"
if [ "$log_ok" = 1 ] && gzip -c "$log" >"$log.gz" 2>"$tmp/gzip.err"; then
	rm -f "$tmp/hwm-scan"
	scan_cmd='LD_PRELOAD="$2" BENCH_HWM_FILE="$3" "$0" --no-user-catalogs scan --json --no-progress "$1"; [ $? -le 1 ]'
	# shellcheck disable=SC2016
	"$tmp/pipetime" -n "$LOG_RUNS" -w 1 -t 300 \
		sh -c "$scan_cmd" "$bounce" "$log" "$tmp/hwm.so" "$tmp/hwm-scan" :: \
		grep -c status= "$log" :: \
		sh -c "$scan_cmd" "$bounce" "$log.gz" "$tmp/hwm.so" "$tmp/hwm-scan" :: \
		sh -c 'zcat "$0" | grep -c status=' "$log.gz" >"$tmp/scanrun" 2>"$tmp/scanrun.err"
	for k in 0 1 2 3; do
		eval "med$k=\$(pipe_field \"\$tmp/scanrun\" $k 3)"
		eval "ok$k=\$(pipe_field \"\$tmp/scanrun\" $k 8)"
	done
	# scan_row NAME SCAN_INDEX REF_INDEX REF_NAME TARGET_X
	scan_row()
	{
		eval "sm=\$med$2 so=\$ok$2 rm=\$med$3 ro=\$ok$3"
		if [ -n "$rm" ] && [ "$ro" = 0 ]; then
			row "$4" "$(fmt_range "$rm" "$(pipe_field "$tmp/scanrun" "$3" 4)" \
				"$(pipe_field "$tmp/scanrun" "$3" 5)")" "(reference)" ""
		else
			rm=
			row "$4" "error" "(reference)" ""
		fi
		if [ -n "$sm" ] && [ "$so" = 0 ] && [ -n "$rm" ]; then
			x=$(calc "$sm / $rm")
			judge "$(lt "$x" "$5" && echo 1)"
			row "$1" "$(fmt_range "$sm" "$(pipe_field "$tmp/scanrun" "$2" 4)" \
				"$(pipe_field "$tmp/scanrun" "$2" 5)")" \
				"$(printf '%.2fx' "$x") <= ${5}x, $(printf '%.0f' "$(mb_s "$log_bytes" "$sm")") MB/s of log" \
				"$verdict"
		else
			judge 0
			row "$1" "error" "<= ${5}x" "$verdict"
			sed 's/^/    /' "$tmp/scanrun.err" | sort | uniq -c | head -n 20
		fi
	}
	scan_row "bounce scan --json (${LOG_MB} MB log)" 0 1 "grep -c status= (to a pipe)" "$T_SCAN_X"
	scan_row "bounce scan --json (its gzip)" 2 3 "zcat | grep -c status=" "$T_SCAN_GZ_X"
	h_scan=$(max_of "$tmp/hwm-scan" 2>/dev/null)
	if [ -n "$h_scan" ]; then
		judge "$(lt "$h_scan" "$T_SCAN_RSS_KB" && echo 1)"
		row "  peak RSS of bounce scan" "$(fmt_mb "$h_scan") VmHWM" "< $(fmt_mb "$T_SCAN_RSS_KB")" "$verdict"
	fi
else
	judge 0
	row "bounce scan" "error (no log)" "<= ${T_SCAN_X}x grep" "$verdict"
fi

# ---------------------------------------------------------------- 6. whole messages

section "6. Whole bounce messages through cat_analyze (in-process, $MSG_N messages, $MSG_ROUNDS passes)"
if "$tmp/msgbench" "$MSG_N" "$MSG_ROUNDS" tests/bounces "$tmp/maildir" >"$tmp/msgs" 2>"$tmp/msgs.err"; then
	m_n=$(field "$tmp/msgs" msgs 2)
	m_med=$(field "$tmp/msgs" pass 2)
	m_min=$(field "$tmp/msgs" pass 3)
	m_max=$(field "$tmp/msgs" pass 4)
	row "messages (message-*, dsn-* varied)" "$m_n from $(field "$tmp/msgs" msgs 3) templates" \
		"$(field "$tmp/msgs" msgs 4) bytes each on average, $(field "$tmp/msgs" msgs 5) diagnoses" "info"
	mps=$(calc "$m_n / ($m_med / 1000)")
	judge "$(lt "$mps" "$T_MSG_PS" || echo 1)"
	row "cat_analyze, messages per second" \
		"$(fmt_rate "$mps")/s [$(fmt_rate "$(calc "$m_n / ($m_max / 1000)")")-$(fmt_rate "$(calc "$m_n / ($m_min / 1000)")")]" \
		"$(printf '%.1f us per message; ' "$(calc "$m_med * 1000 / $m_n")")>= $(fmt_rate "$T_MSG_PS")/s" \
		"$verdict"
	j_med=$(field "$tmp/msgs" json 2)
	row "  with cat_diagnosis_json per diagnosis" "$(fmt_rate "$(calc "$m_n / ($j_med / 1000)")")/s" \
		"$(printf '%.1f us per message' "$(calc "$j_med * 1000 / $m_n")")" "info"
	drift=$(field "$tmp/msgs" msgs 6)
	if [ "$drift" != 0 ]; then
		row "  varied messages read differently" "$drift of $m_n" "(the first reason is not the template's)" "info"
	fi
else
	judge 0
	row "cat_analyze, messages per second" "error" ">= $(fmt_rate "$T_MSG_PS")/s" "$verdict"
	sed 's/^/    /' "$tmp/msgs.err"
fi

# The same messages as a Maildir, read by whole processes: bounce explain
# --messages (exit 1 only says that a message was not classified) and, when
# Debian's libsisimai-perl is installed, Sisimai dumping the same Maildir as
# JSON, interleaved.
md_n=$(field "$tmp/msgs" maildir 2)
section "6b. The ${md_n:-0} of those made from whole emails as a Maildir, whole processes ($MSGP_RUNS runs each)"
if [ -d "$tmp/maildir/cur" ] && [ "${md_n:-0}" -gt 0 ]; then
	# the messages' directory itself: Sisimai reads the files of a directory
	set -- sh -c '"$0" --no-user-catalogs --json explain --messages "$1"; [ $? -le 1 ]' \
		"$bounce" "$tmp/maildir/cur"
	have_sisimai=0
	if perl -MSisimai -e 1 2>/dev/null; then
		have_sisimai=1
		# its warnings about the varied dates would flood the table
		set -- "$@" :: perl -MSisimai -e 'open STDERR, ">", "/dev/null"; print Sisimai->dump(shift) // ""' \
			"$tmp/maildir/cur"
	fi
	"$tmp/proctime" -n "$MSGP_RUNS" -w 1 -t 300 "$@" >"$tmp/msgproc" 2>"$tmp/msgproc.err"
	b_med=$(cmd_field "$tmp/msgproc" 0 3)
	if [ -n "$b_med" ] && [ "$(cmd_field "$tmp/msgproc" 0 8)" = 0 ]; then
		bps=$(calc "$md_n / ($b_med / 1000)")
		judge "$(lt "$bps" "$T_MSGS_PS" || echo 1)"
		row "bounce explain --messages --json DIR" \
			"$(fmt_rate "$bps")/s [$(fmt_rate "$(calc "$md_n / ($(cmd_field "$tmp/msgproc" 0 5) / 1000)")")-$(fmt_rate "$(calc "$md_n / ($(cmd_field "$tmp/msgproc" 0 4) / 1000)")")]" \
			"$(fmt_ms "$b_med") per run; >= $(fmt_rate "$T_MSGS_PS")/s" "$verdict"
	else
		judge 0
		row "bounce explain --messages --json DIR" "error" ">= $(fmt_rate "$T_MSGS_PS")/s" "$verdict"
		sed 's/^/    /' "$tmp/msgproc.err"
	fi
	s_med=$(cmd_field "$tmp/msgproc" 1 3)
	if [ "$have_sisimai" = 1 ] && [ -n "$s_med" ] && [ "$(cmd_field "$tmp/msgproc" 1 8)" = 0 ] &&
	   [ -n "$b_med" ]; then
		x=$(calc "$s_med / $b_med")
		judge "$(lt "$x" "$T_SISIMAI_X" || echo 1)"
		row "  Sisimai $(perl -MSisimai -e 'print $Sisimai::VERSION'), Sisimai->dump(DIR)" \
			"$(fmt_rate "$(calc "$md_n / ($s_med / 1000)")")/s, $(printf '%.1f' "$x")x slower" \
			">= ${T_SISIMAI_X}x faster than Sisimai" "$verdict"
	elif [ "$have_sisimai" = 1 ]; then
		judge 0
		row "  Sisimai->dump(DIR)" "error" ">= ${T_SISIMAI_X}x faster than Sisimai" "$verdict"
		sed 's/^/    /' "$tmp/msgproc.err"
	else
		row "  Sisimai" "not installed" "(apt-get install libsisimai-perl to compare)" "info"
	fi
fi

# ---------------------------------------------------------------- 7. peak RSS of the log run

section "7. Peak RSS of explain --lines --json over the mail log (VmHWM, max over the runs)"
if [ "$log_ok" = 1 ]; then
	h_big=$(max_of "$tmp/hwm-log" 2>/dev/null)
	h_small=$(max_of "$tmp/hwm-log-small" 2>/dev/null)
	if [ -n "$h_small" ]; then
		judge "$(lt "$h_small" "$T_LOG_RSS_KB" && echo 1)"
		row "  over ${LOG_SMALL_MB} MB" "$(fmt_mb "$h_small") VmHWM" "< $(fmt_mb "$T_LOG_RSS_KB")" "$verdict"
	else
		judge 0
		row "  over ${LOG_SMALL_MB} MB" "error" "< $(fmt_mb "$T_LOG_RSS_KB")" "$verdict"
	fi
	if [ -n "$h_big" ]; then
		judge "$(lt "$h_big" "$T_LOG_RSS_KB" && echo 1)"
		row "  over ${LOG_MB} MB" "$(fmt_mb "$h_big") VmHWM" "< $(fmt_mb "$T_LOG_RSS_KB")" "$verdict"
	else
		judge 0
		row "  over ${LOG_MB} MB" "error" "< $(fmt_mb "$T_LOG_RSS_KB")" "$verdict"
	fi
	if [ -n "$h_big" ] && [ -n "$h_small" ]; then
		growth=$((h_big - h_small))
		judge "$(lt "$growth" "$T_LOG_GROWTH_KB" && echo 1)"
		row "  growth, ${LOG_SMALL_MB} MB -> ${LOG_MB} MB" "$(fmt_mb "$growth")" \
			"< $(fmt_mb "$T_LOG_GROWTH_KB") (flat: not growing with the input)" "$verdict"
	fi
else
	judge 0
	row "peak RSS" "error (no log)" "< $(fmt_mb "$T_LOG_RSS_KB")" "$verdict"
fi

# ---------------------------------------------------------------- 8. browser

# The figures of bench/tui.sh, with the same key scripts and targets, timed
# with proctime (median [min-max]).
section "8. Browser, headless (bounce --script, $TUI_RUNS runs each, interleaved; as bench/tui.sh)"
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
TERM=xterm-256color LINES=32 COLUMNS=120 "$tmp/proctime" -n "$TUI_RUNS" -w 3 \
	"$bounce" --no-user-catalogs --script "$tmp/first.keys" :: \
	"$bounce" --no-user-catalogs --script "$tmp/search.keys" >"$tmp/tui" 2>"$tmp/tui.err"
f_med=$(cmd_field "$tmp/tui" 0 3)
s_med=$(cmd_field "$tmp/tui" 1 3)
if [ -n "$f_med" ] && [ -n "$s_med" ] && [ "$(cmd_field "$tmp/tui" 0 8)" = 0 ] &&
	[ "$(cmd_field "$tmp/tui" 1 8)" = 0 ]; then
	judge "$(lt "$f_med" "$T_TUI_FIRST_MS" && echo 1)"
	row "first screen (exec to :dump)" \
		"$(fmt_range "$f_med" "$(cmd_field "$tmp/tui" 0 4)" "$(cmd_field "$tmp/tui" 0 5)")" \
		"< $(fmt_ms "$T_TUI_FIRST_MS")" "$verdict"
	# 40 printable keystrokes (4 x 10) plus 4 <C-u> that also search again
	key=$(calc "($s_med - $f_med) / 44")
	judge "$(lt "$key" "$T_TUI_KEY_MS" && echo 1)"
	row "search keystroke ((search - first) / 44)" "$(fmt_ms "$key")" \
		"< $(fmt_ms "$T_TUI_KEY_MS") (search script $(fmt_ms "$s_med"))" "$verdict"
else
	judge 0
	row "browser, headless" "error" "" "$verdict"
	sed 's/^/    /' "$tmp/tui.err" | sort | uniq -c | head -n 20
fi

# The same keystrokes with the generated catalog: the start (loading it) is
# long and noisy, so the search script types 440 keys and the difference is
# divided by them.
if [ -s "$big" ]; then
	{
		printf '/'
		i=0
		while [ $i -lt 40 ]; do
			printf 'mailbox fu<C-u>'
			i=$((i + 1))
		done
		printf '\n:dump searched\n'
	} >"$tmp/search440.keys"
	# the first screen with the index cache warm (written by the run
	# before), beside the same screen loading the XML (--no-cache) and the
	# shipped catalog's; the search script starts warm as well
	"$bounce" --no-user-catalogs --catalog "$big" --version >"$tmp/tuiprime" 2>&1
	TERM=xterm-256color LINES=32 COLUMNS=120 "$tmp/proctime" -n 3 -w 0 -t 120 \
		"$bounce" --no-user-catalogs --catalog "$big" --script "$tmp/first.keys" :: \
		"$bounce" --no-user-catalogs --catalog "$big" --script "$tmp/search440.keys" :: \
		"$bounce" --no-user-catalogs --no-cache --catalog "$big" --script "$tmp/first.keys" :: \
		"$bounce" --no-user-catalogs --script "$tmp/first.keys" \
		>"$tmp/tuibig" 2>"$tmp/tuibig.err"
	bf=$(cmd_field "$tmp/tuibig" 0 3)
	bs=$(cmd_field "$tmp/tuibig" 1 3)
	bc=$(cmd_field "$tmp/tuibig" 2 3)
	bb=$(cmd_field "$tmp/tuibig" 3 3)
	if [ -n "$bf" ] && [ -n "$bc" ] && [ -n "$bb" ] && grep -q '^Cache:  written' "$tmp/tuiprime"; then
		judge "$(lt "$bf" "$T_TUI_FIRST_BIG_MS" && echo 1)"
		row "first screen, $BIG_N entries, cache warm" \
			"$(fmt_range "$bf" "$(cmd_field "$tmp/tuibig" 0 4)" "$(cmd_field "$tmp/tuibig" 0 5)")" \
			"< $(fmt_ms "$T_TUI_FIRST_BIG_MS") (shipped catalog alone $(fmt_ms "$bb"))" "$verdict"
		row "  cold: --no-cache, loading the XML" \
			"$(fmt_range "$bc" "$(cmd_field "$tmp/tuibig" 2 4)" "$(cmd_field "$tmp/tuibig" 2 5)")" \
			"$(calc "$bc / $bf" | awk '{ printf "%.0fx the warm first screen", $1 }')" "info"
	else
		judge 0
		row "first screen, $BIG_N entries" "error" "< $(fmt_ms "$T_TUI_FIRST_BIG_MS")" "$verdict"
		sed 's/^/    /' "$tmp/tuiprime" "$tmp/tuibig.err" | head -n 20
	fi
	if [ -n "$bf" ] && [ -n "$bs" ]; then
		bkey=$(calc "($bs - $bf) / 440")
		judge "$(lt "$bkey" "$T_TUI_KEY_BIG_MS" && echo 1)"
		row "search keystroke, $BIG_N entries" "$(fmt_ms "$bkey")" \
			"< $(fmt_ms "$T_TUI_KEY_BIG_MS") (start $(fmt_ms "$bf"), 440 keys $(fmt_ms "$bs"))" \
			"$verdict"
	else
		judge 0
		row "search keystroke, $BIG_N entries" "error" "" "$verdict"
	fi
fi

# ---------------------------------------------------------------- summary

echo
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null); took $(($(date +%s) - t_begin)) s"
echo "bench: $passed passed, $failed failed"
[ "$failed" = 0 ]
