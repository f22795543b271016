#!/bin/sh
# tests/run.sh -- run every test of bounce; 'make check' calls it after building.
#
# What is counted is cases: a unit test program or a suite script that ends
# its output with the line "N passed, M failed" counts N + M cases; anything
# else (a golden CLI case, a schema or header check) is one case.  The last
# line printed is exactly "N passed, N failed"; the exit status is 1 if
# anything failed.  Independent cases run in parallel (TEST_JOBS at a time,
# the number of CPUs by default); their results are printed in a fixed order.
# UPDATE=1 rewrites the expected output of golden cases instead of comparing;
# TEST_TIMES=1 shows the seconds each case took.
# See tests/README for the layout and how to add a suite.

cd "$(dirname "$0")/.." || exit 2
srcdir=$(pwd)

CC=${CC:-cc}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
CPPFLAGS=${CPPFLAGS-}
UPDATE=${UPDATE-}
NM=${NM:-nm}
# the directory of the engine's public header (Makefile.in: CAT_PUBLIC_INC)
CAT_PUBLIC_INC=${CAT_PUBLIC_INC:-include}
# a hang guard, not a speed limit: a loaded machine (parallel builds) can take
# several times the usual 10-20 s over the longest suites
TEST_TIMEOUT=${TEST_TIMEOUT:-180}
TEST_JOBS=${TEST_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
case $TEST_JOBS in '' | *[!0-9]* | 0) TEST_JOBS=2 ;; esac

BOUNCE=${BOUNCE:-./bounce}
case $BOUNCE in
/*) ;;
*) BOUNCE=$srcdir/${BOUNCE#./} ;;
esac
TESTDATA=$srcdir/tests/data

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-tests.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT PIPE TERM

# ---------------------------------------------------------------- environment
# Pinned so that output does not depend on the machine or the user.
mkdir -p "$tmp/home/.local/share" "$tmp/home/.config" "$tmp/home/.cache" \
	"$tmp/home/.local/state" "$tmp/xdg-data-dirs" "$tmp/xdg-config-dirs" "$tmp/work" || exit 2
LC_ALL=C.UTF-8
TZ=UTC
TERM=dumb
LINES=24
COLUMNS=80
HOME=$tmp/home
XDG_DATA_HOME=$HOME/.local/share
XDG_CONFIG_HOME=$HOME/.config
XDG_CACHE_HOME=$HOME/.cache
XDG_STATE_HOME=$HOME/.local/state
XDG_DATA_DIRS=$tmp/xdg-data-dirs
XDG_CONFIG_DIRS=$tmp/xdg-config-dirs
export LC_ALL TZ TERM LINES COLUMNS HOME XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME \
	XDG_STATE_HOME XDG_DATA_DIRS XDG_CONFIG_DIRS BOUNCE TESTDATA UPDATE CC PKG_CONFIG
unset NO_COLOR LANG LANGUAGE LC_CTYPE LC_MESSAGES COLORTERM TERMINFO TERMINFO_DIRS \
	BOUNCE_DATA BOUNCE_DATADIR 2>/dev/null

# ---------------------------------------------------------------- helpers
have()
{
	command -v "$1" >/dev/null 2>&1
}

# run_limited CMD...: run with the per-case timeout and no stdin.
if have timeout; then
	run_limited()
	{
		timeout "$TEST_TIMEOUT" "$@" </dev/null
	}
else
	run_limited()
	{
		"$@" </dev/null
	}
fi

# say_status RC: one line about an exit status that is not 0
say_status()
{
	if [ "$1" -eq 124 ] || [ "$1" -eq 137 ]; then
		echo "(timed out after ${TEST_TIMEOUT}s)"
	else
		echo "(exit status $1)"
	fi
}

# ---------------------------------------------------------------- the cases
# Each case is a function run with its own directory $ctmp (also its TMPDIR);
# what it prints is shown when it fails, its exit status says pass (0) or
# fail.  A case that counts several cases prints "N passed, M failed" last.

case_unit()
{
	run_limited env TMPDIR="$ctmp" "./$1"
	rc=$?
	[ $rc -eq 0 ] || say_status $rc
	return $rc
}

case_cli()
{
	base=${1%.sh}
	expected=$base.expected
	run_limited env TMPDIR="$ctmp" sh "$1" >"$ctmp/out" 2>&1
	rc=$?
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		cat "$ctmp/out"
		say_status $rc
		return 1
	elif [ "$UPDATE" = 1 ]; then
		cp "$ctmp/out" "$expected" || return 1
		echo "updated $expected"
	elif [ ! -f "$expected" ]; then
		echo "missing $expected; create it with: make check UPDATE=1"
		return 1
	else
		diff -u "$expected" "$ctmp/out"
	fi
}

case_schema()
{
	if ! have xmllint; then
		echo "xmllint not found (Debian: libxml2-utils; ./configure --install-deps)"
		return 1
	fi
	xmllint --noout --nonet --relaxng data/catalog.rng "$1"
}

case_man()
{
	if have mandoc; then
		mandoc -Tlint -Wwarning "$1" >"$ctmp/out" 2>&1
		rc=$?
	elif have groff; then
		groff -ww -z -mandoc "$1" >"$ctmp/out" 2>&1
		rc=$?
	else
		echo "neither mandoc nor groff found (Debian: mandoc)" >"$ctmp/out"
		rc=1
	fi
	cat "$ctmp/out"
	[ $rc -eq 0 ] && [ ! -s "$ctmp/out" ]
}

# boundary_grep DIR REGEX: print "file:line: text" for every line of
# DIR/*.[ch] (and one level down) that matches REGEX once its comments and
# string literals are stripped (roughly).  One awk for all files: a sed, a
# grep and a cut per file made this slow.
boundary_grep()
{
	files=
	for f in "$1"/*.c "$1"/*.h "$1"/*/*.c "$1"/*/*.h; do
		[ -f "$f" ] && files="$files $f"
	done
	[ -n "$files" ] || return 0
	# shellcheck disable=SC2086
	RE=$2 awk '
		{
			line = $0
			gsub(/\047\\.\047/, "\047\047", line)
			gsub(/\047[^\047\\]\047/, "\047\047", line)
			gsub(/"[^"\\]*(\\.[^"\\]*)*"/, "\"\"", line)
			sub(/\/\/.*$/, "", line)
			gsub(/\/\*.*\*\//, "", line)
			sub(/^[[:space:]]*\*.*$/, "", line)
			sub(/\/\*.*$/, "", line)
			if (line ~ ENVIRON["RE"])
				print FILENAME ":" FNR ": " $0
		}' $files
}

inc='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]'
w='(^|[^[:alnum:]_])'

case_boundary_catalog()
{
	{
		boundary_grep catalog \
			"$inc(ncursesw/|ncurses/)?(n?curses|term|panel|menu|form|unctrl)\.h[>\"]"
		boundary_grep catalog \
			"$w(printf|vprintf|puts|putchar|perror|exit)[[:space:]]*\("
		boundary_grep catalog \
			"$w(v?fprintf|fputs|fputc|putc|fwrite|fflush)[[:space:]]*\(([^;]*[^[:alnum:]_])?(stdout|stderr)([^[:alnum:]_]|$)"
	} >"$ctmp/out"
	[ -s "$ctmp/out" ] || return 0
	echo "catalog/ must not use curses, print, or call exit():"
	cat "$ctmp/out"
	return 1
}

case_boundary_tui()
{
	boundary_grep tui "$inc((sqlite3|sqlite3ext)\.h|(libxml2/)?libxml/)" >"$ctmp/out"
	[ -s "$ctmp/out" ] || return 0
	echo "tui/ must not include sqlite3.h or libxml headers (use bounce/catalog.h):"
	cat "$ctmp/out"
	return 1
}

cat_cflags=$($PKG_CONFIG --cflags libxml-2.0 sqlite3 2>/dev/null)
tui_cflags=$($PKG_CONFIG --cflags ncursesw 2>/dev/null)

case_header()
{
	# tui/ headers see only the engine's public header, like tui/*.c
	case $1 in
	tui/*) pcflags="-I$srcdir/$CAT_PUBLIC_INC $tui_cflags" ;;
	*) pcflags="-I$srcdir -I$srcdir/catalog -I$srcdir/$CAT_PUBLIC_INC $cat_cflags" ;;
	esac
	# Included twice: the second include also proves the include guard.
	printf '#include "%s/%s"\n#include "%s/%s"\n' "$srcdir" "$1" "$srcdir" "$1" >"$ctmp/hdr.c"
	# shellcheck disable=SC2086
	$CC -std=c11 -fsyntax-only -Wall -Wextra -Wstrict-prototypes -D_POSIX_C_SOURCE=200809L \
		$pcflags $CPPFLAGS "$ctmp/hdr.c"
}

# No dependency cycle between the files of catalog/ and tui/: neither in the
# #include lines nor in which object uses which one's symbols.
case_cycles()
{
	sh tests/checks/cycles.sh -I catalog -I "$CAT_PUBLIC_INC" catalog tui
}

# The cycle check itself, on small trees made here: it passes a tree without
# a cycle and names the planted ones (an include cycle, a symbol cycle).
case_cycles_selftest()
{
	t=$ctmp/tree
	mkdir -p "$t/ok" "$t/inc" "$t/sym" || return 1
	printf '#include "b.h"\nint b(void);\nint\na(void)\n{\n\treturn b();\n}\n' >"$t/ok/a.c"
	printf '#ifndef B_H\n#define B_H\n#endif\n' >"$t/ok/b.h"
	printf 'int\nb(void)\n{\n\treturn 0;\n}\n' >"$t/ok/b.c"
	cp "$t/ok/a.c" "$t/ok/b.c" "$t/ok/b.h" "$t/sym/"
	printf 'int a(void);\nint\nb(void)\n{\n\treturn a();\n}\n' >"$t/sym/b.c"
	printf '#include "y.h"\n' >"$t/inc/x.h"
	printf '#include "x.h"\n' >"$t/inc/y.h"
	for d in ok sym; do
		for c in "$t/$d"/*.c; do
			$CC -c -o "${c%.c}.o" "$c" || return 1
		done
	done
	ok=0
	sh tests/checks/cycles.sh "$t/ok" || { echo "a tree without a cycle fails"; ok=1; }
	sh tests/checks/cycles.sh "$t/inc" >"$ctmp/out" && { echo "the include cycle is not found"; ok=1; }
	grep -q 'x\.h -> .*y\.h (includes) -> .*x\.h (includes)' "$ctmp/out" ||
		{ echo "the include cycle is not named:"; cat "$ctmp/out"; ok=1; }
	sh tests/checks/cycles.sh "$t/sym" >"$ctmp/out" && { echo "the symbol cycle is not found"; ok=1; }
	grep -q 'a\.c -> .*b\.c (uses b) -> .*a\.c (uses a)' "$ctmp/out" ||
		{ echo "the symbol cycle is not named:"; cat "$ctmp/out"; ok=1; }
	return $ok
}

# libcatalog.a exports only cat_ names (Makefile.in seals it).
case_symbols()
{
	NM=$NM sh tests/checks/symbols.sh libcatalog.a
}

# The symbol check itself: it names a planted symbol without the prefix.
case_symbols_selftest()
{
	printf 'int cat_fine(void);\nint leaked(void);\nint\ncat_fine(void)\n{\n\treturn 0;\n}\nint\nleaked(void)\n{\n\treturn 1;\n}\n' \
		>"$ctmp/leak.c"
	$CC -c -o "$ctmp/leak.o" "$ctmp/leak.c" || return 1
	ar rc "$ctmp/libleak.a" "$ctmp/leak.o" || return 1
	if NM=$NM sh tests/checks/symbols.sh "$ctmp/libleak.a" >"$ctmp/out"; then
		echo "the planted symbol 'leaked' is not found"
		return 1
	fi
	grep -q 'leaked is exported without' "$ctmp/out" && ! grep -q cat_fine "$ctmp/out" || {
		cat "$ctmp/out"
		return 1
	}
}

# The formatting rule of every C file (tests/checks/format.sh).
case_format()
{
	source_files | grep -E '\.[ch]$' | LC_ALL=C xargs sh tests/checks/format.sh
}

# The source files whose form is checked: every text file of the project.
source_files()
{
	find . \( -name .git -o -name gen -o -name node_modules \) -prune -o -type f \
		\( -name '*.c' -o -name '*.h' -o -name '*.in' -o -name '*.sh' -o -name '*.xml' \
		-o -name '*.rng' -o -name '*.md' -o -path ./configure -o -path ./.ci/run \) -print |
		LC_ALL=C sort
}

case_whitespace()
{
	# one awk over every file (a process per file made this slow)
	source_files | LC_ALL=C xargs awk '
		/[[:blank:]]$| \t/ && n[FILENAME]++ < 20 {
			f = FILENAME; sub(/^\.\//, "", f); print f ":" FNR ":" $0
		}' >"$ctmp/out"
	[ -s "$ctmp/out" ] || return 0
	echo "trailing whitespace or a tab after a space:"
	cat "$ctmp/out"
	return 1
}

# tests/*/run-*.sh: run from the source dir, with the same pinned environment
# plus SRCDIR, and TMPDIR set to a fresh directory of its own.  An executable
# script runs by its #! line, others by sh.
case_suite()
{
	if [ -x "$1" ]; then
		run_limited env SRCDIR="$srcdir" TMPDIR="$ctmp" "./$1"
	else
		run_limited env SRCDIR="$srcdir" TMPDIR="$ctmp" sh "$1"
	fi
	rc=$?
	[ $rc -eq 0 ] || say_status $rc
	return $rc
}

# ---------------------------------------------------------------- the list
# One line per case: NAME TAB FUNCTION TAB ARGUMENT.  The slow ones first,
# so that the parallel run ends soon after the slowest.
list=$tmp/list
{
	for s in tests/*/run-*.sh; do
		[ -f "$s" ] && printf 'suite: %s\tcase_suite\t%s\n' "$s" "$s"
	done
	for t in tests/unit/test_*; do
		case $t in *.c | *.o | *.d | *.h) continue ;; esac
		# Only binaries built from a test_*.c that still exists.
		[ -f "$t" ] && [ -x "$t" ] && [ -f "$t.c" ] || continue
		printf 'unit: %s\tcase_unit\t%s\n' "${t#tests/unit/}" "$t"
	done
	for t in tests/cli/*.sh; do
		[ -f "$t" ] || continue
		base=${t%.sh}
		printf 'cli: %s\tcase_cli\t%s\n' "${base#tests/cli/}" "$t"
	done
	for x in data/catalog.xml tests/data/valid-*.xml; do
		[ "$x" = data/catalog.xml ] || [ -f "$x" ] || continue
		printf 'schema: %s\tcase_schema\t%s\n' "$x" "$x"
	done
	for m in doc/*.1 doc/*.5; do
		[ -f "$m" ] && printf 'man: %s\tcase_man\t%s\n' "$m" "$m"
	done
	printf 'boundary: catalog/\tcase_boundary_catalog\t-\n'
	printf 'boundary: tui/\tcase_boundary_tui\t-\n'
	for h in catalog/*.h catalog/*/*.h "$CAT_PUBLIC_INC"/*/*.h tui/*.h; do
		[ -f "$h" ] && printf 'header: %s\tcase_header\t%s\n' "$h" "$h"
	done | awk '!seen[$0]++'
	printf 'whitespace\tcase_whitespace\t-\n'
	printf 'format: C sources\tcase_format\t-\n'
	printf 'cycles: catalog/ tui/\tcase_cycles\t-\n'
	printf 'cycles: the check finds planted cycles\tcase_cycles_selftest\t-\n'
	printf 'symbols: libcatalog.a\tcase_symbols\t-\n'
	printf 'symbols: the check finds a planted symbol\tcase_symbols_selftest\t-\n'
} >"$list"

# ---------------------------------------------------------------- running
# A pool of TEST_JOBS tokens in a FIFO: a case takes one to start and gives
# it back when it ends.  Each case writes res/N.out and then res/N.rc.
res=$tmp/res
mkdir "$res" || exit 2
mkfifo "$tmp/pool" || exit 2
exec 3<>"$tmp/pool"
i=0
while [ $i -lt "$TEST_JOBS" ]; do
	echo >&3
	i=$((i + 1))
done
n=0
tab=$(printf '\t')
while IFS="$tab" read -r name fn arg; do
	n=$((n + 1))
	read -r _ <&3
	(
		ctmp=$tmp/case.$n
		mkdir "$ctmp" || exit 2
		# the index cache of each case its own: a case's later starts
		# read what its first wrote, never another case's
		XDG_CACHE_HOME=$ctmp/cache
		export XDG_CACHE_HOME
		[ -z "${TEST_TIMES-}" ] || date +%s.%N >"$res/$n.start"
		"$fn" "$arg" >"$res/$n.out" 2>&1 </dev/null 3>&-
		echo $? >"$res/$n.rc"
		[ -z "${TEST_TIMES-}" ] || date +%s.%N >"$res/$n.end"
		rm -rf "$ctmp"
		echo >&3
	) &
done <"$list"
wait
exec 3>&-

# ---------------------------------------------------------------- reporting
passed=0
failed=0
n=0
while IFS="$tab" read -r name fn arg; do
	n=$((n + 1))
	out=$res/$n.out
	rc=$(cat "$res/$n.rc" 2>/dev/null)
	[ -n "$rc" ] || rc=2
	# a program's own count: its last "N passed, M failed" line
	count=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" 2>/dev/null | tail -n 1)
	if [ -n "$count" ]; then
		p=${count%% *}
		f=${count#*, }
		f=${f%% *}
		# a program that failed without naming a failed case counts one
		[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
		what=" ($((p + f)) cases)"
		[ "$f" -gt 0 ] && what=" ($f of $((p + f)) cases failed)"
	else
		p=1
		f=0
		[ "$rc" -ne 0 ] && p=0 && f=1
		what=
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	# TEST_TIMES=1: the seconds each case took, to find the slow ones
	if [ -n "${TEST_TIMES-}" ] && [ -f "$res/$n.end" ]; then
		what="$what [$(awk 'NR == 1 { s = $1 } END { printf "%.2f s", $1 - s }' "$res/$n.start" \
			"$res/$n.end")]"
	fi
	if [ "$rc" -eq 0 ] && [ "$f" -eq 0 ]; then
		printf 'PASS: %s%s\n' "$name" "$what"
	else
		printf 'FAIL: %s%s\n' "$name" "$what"
		sed -e 's/^/    /' "$out" | head -n 300
	fi
done <"$list"

# ---------------------------------------------------------------- summary
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
