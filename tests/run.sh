#!/bin/sh
# tests/run.sh -- run every test of bounce; 'make check' calls it after building.
#
# Each case counts as one test.  The last line printed is exactly
# "N passed, N failed"; the exit status is 1 if anything failed.
# UPDATE=1 rewrites the expected output of golden cases instead of comparing.
# See tests/README for the layout and how to add a suite.

cd "$(dirname "$0")/.." || exit 2
srcdir=$(pwd)

CC=${CC:-cc}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
CPPFLAGS=${CPPFLAGS-}
UPDATE=${UPDATE-}
TEST_TIMEOUT=${TEST_TIMEOUT:-60}

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
passed=0
failed=0

pass()
{
	passed=$((passed + 1))
	printf 'PASS: %s\n' "$1"
}

# fail NAME [FILE-WITH-DETAILS]
fail()
{
	failed=$((failed + 1))
	printf 'FAIL: %s\n' "$1"
	if [ -n "${2-}" ] && [ -s "$2" ]; then
		sed -e 's/^/    /' "$2" | head -n 300
	fi
}

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

# timed_out STATUS: true if STATUS says the case was killed by timeout.
timed_out()
{
	[ "$1" -eq 124 ] || [ "$1" -eq 137 ]
}

out=$tmp/out

# ---------------------------------------------------------------- (a) unit tests
for t in tests/unit/test_*; do
	case $t in *.c | *.o | *.d | *.h) continue ;; esac
	# Only binaries built from a test_*.c that still exists.
	[ -f "$t" ] && [ -x "$t" ] && [ -f "$t.c" ] || continue
	name="unit: ${t#tests/unit/}"
	run_limited "./$t" >"$out" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		pass "$name"
	else
		if timed_out $rc; then
			echo "(timed out after ${TEST_TIMEOUT}s)" >>"$out"
		else
			echo "(exit status $rc)" >>"$out"
		fi
		fail "$name" "$out"
	fi
done

# ---------------------------------------------------------------- (b) CLI golden cases
for t in tests/cli/*.sh; do
	[ -f "$t" ] || continue
	base=${t%.sh}
	name="cli: ${base#tests/cli/}"
	expected=$base.expected
	run_limited sh "$t" >"$out" 2>&1
	rc=$?
	if timed_out $rc; then
		echo "(timed out after ${TEST_TIMEOUT}s)" >>"$out"
		fail "$name" "$out"
	elif [ "$UPDATE" = 1 ]; then
		if cp "$out" "$expected"; then
			pass "$name (updated $expected)"
		else
			fail "$name (cannot write $expected)"
		fi
	elif [ ! -f "$expected" ]; then
		echo "missing $expected; create it with: make check UPDATE=1" >"$tmp/diff"
		fail "$name" "$tmp/diff"
	elif diff -u "$expected" "$out" >"$tmp/diff" 2>&1; then
		pass "$name"
	else
		fail "$name" "$tmp/diff"
	fi
done

# ---------------------------------------------------------------- (c) schema
for x in data/catalog.xml tests/data/valid-*.xml; do
	[ "$x" = data/catalog.xml ] || [ -f "$x" ] || continue
	name="schema: $x"
	if ! have xmllint; then
		echo "xmllint not found (Debian: libxml2-utils; ./configure --install-deps)" >"$out"
		fail "$name" "$out"
	elif xmllint --noout --nonet --relaxng data/catalog.rng "$x" >"$out" 2>&1; then
		pass "$name"
	else
		fail "$name" "$out"
	fi
done

# ---------------------------------------------------------------- (d) man pages
for m in doc/*.1 doc/*.5; do
	[ -f "$m" ] || continue
	name="man: $m"
	if have mandoc; then
		mandoc -Tlint -Wwarning "$m" >"$out" 2>&1
		rc=$?
	elif have groff; then
		groff -ww -z -mandoc "$m" >"$out" 2>&1
		rc=$?
	else
		echo "neither mandoc nor groff found (Debian: mandoc)" >"$out"
		rc=1
	fi
	if [ $rc -eq 0 ] && [ ! -s "$out" ]; then
		pass "$name"
	else
		fail "$name" "$out"
	fi
done

# ---------------------------------------------------------------- (e) module boundaries
# Strip comments and string literals (roughly), then grep; prints file:line: text.
strip_c()
{
	sed -e "s|'\\\\.'|''|g" \
		-e "s|'[^'\\\\]'|''|g" \
		-e 's|"[^"\\]*\(\\.[^"\\]*\)*"|""|g' \
		-e 's|//.*$||' \
		-e 's|/\*.*\*/||g' \
		-e 's|^[[:space:]]*\*.*$||' \
		-e 's|/\*.*$||' "$1"
}

# boundary_grep DIR REGEX: print every match in DIR/*.c DIR/*.h
boundary_grep()
{
	for f in "$1"/*.c "$1"/*.h; do
		[ -f "$f" ] || continue
		strip_c "$f" | grep -n -E "$2" | cut -d: -f1 | while read -r n; do
			printf '%s:%s: %s\n' "$f" "$n" "$(sed -n "${n}p" "$f")"
		done
	done
}

inc='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]'
w='(^|[^[:alnum:]_])'
boundary_grep catalog \
	"$inc(ncursesw/|ncurses/)?(n?curses|term|panel|menu|form|unctrl)\.h[>\"]" >"$out"
boundary_grep catalog \
	"$w(printf|vprintf|puts|putchar|perror|exit)[[:space:]]*\(" >>"$out"
boundary_grep catalog \
	"$w(v?fprintf|fputs|fputc|putc|fwrite|fflush)[[:space:]]*\(([^;]*[^[:alnum:]_])?(stdout|stderr)([^[:alnum:]_]|$)" >>"$out"
if [ -s "$out" ]; then
	{
		echo "catalog/ must not use curses, print, or call exit():"
		cat "$out"
	} >"$tmp/why"
	fail "boundary: catalog/" "$tmp/why"
else
	pass "boundary: catalog/"
fi

boundary_grep tui "$inc((sqlite3|sqlite3ext)\.h|(libxml2/)?libxml/)" >"$out"
if [ -s "$out" ]; then
	{
		echo "tui/ must not include sqlite3.h or libxml headers (use catalog.h):"
		cat "$out"
	} >"$tmp/why"
	fail "boundary: tui/" "$tmp/why"
else
	pass "boundary: tui/"
fi

# ---------------------------------------------------------------- (f) header self-compile
cat_cflags=$($PKG_CONFIG --cflags libxml-2.0 sqlite3 2>/dev/null)
tui_cflags=$($PKG_CONFIG --cflags ncursesw 2>/dev/null)
for h in catalog/*.h tui/*.h; do
	[ -f "$h" ] || continue
	name="header: $h"
	case $h in
	catalog/*) pcflags=$cat_cflags ;;
	*) pcflags=$tui_cflags ;;
	esac
	# Included twice: the second include also proves the include guard.
	printf '#include "%s/%s"\n#include "%s/%s"\n' "$srcdir" "$h" "$srcdir" "$h" >"$tmp/hdr.c"
	# shellcheck disable=SC2086
	if $CC -std=c11 -fsyntax-only -Wall -Wextra -Wstrict-prototypes -D_POSIX_C_SOURCE=200809L \
		-I"$srcdir" -I"$srcdir/catalog" $pcflags $CPPFLAGS "$tmp/hdr.c" >"$out" 2>&1; then
		pass "$name"
	else
		fail "$name" "$out"
	fi
done

# ---------------------------------------------------------------- (g) whitespace
find . \( -name .git -o -name gen -o -name node_modules \) -prune -o -type f \
	\( -name '*.c' -o -name '*.h' -o -name '*.in' -o -name '*.sh' -o -name '*.xml' \
	-o -name '*.rng' -o -name '*.md' -o -path ./configure -o -path ./.ci/run \) -print |
	LC_ALL=C sort >"$tmp/files"
tab=$(printf '\t')
: >"$out"
while IFS= read -r f; do
	grep -n -E "[[:blank:]]+\$| $tab" "$f" 2>/dev/null | head -n 20 | sed -e "s|^|${f#./}:|" >>"$out"
done <"$tmp/files"
if [ -s "$out" ]; then
	{
		echo "trailing whitespace or a tab after a space:"
		cat "$out"
	} >"$tmp/why"
	fail "whitespace" "$tmp/why"
else
	pass "whitespace"
fi

# ---------------------------------------------------------------- (h) extension suites
# tests/*/run-*.sh: each is one test; exit 0 = pass.  Run from the source dir,
# with the same pinned environment plus SRCDIR, and TMPDIR set to a fresh
# directory of its own.  An executable script runs by its #! line, others by sh.
for s in tests/*/run-*.sh; do
	[ -f "$s" ] || continue
	name="suite: $s"
	sdir=$(mktemp -d "$tmp/suite.XXXXXX") || exit 2
	if [ -x "$s" ]; then
		run_limited env SRCDIR="$srcdir" TMPDIR="$sdir" "./$s" >"$out" 2>&1
	else
		run_limited env SRCDIR="$srcdir" TMPDIR="$sdir" sh "$s" >"$out" 2>&1
	fi
	rc=$?
	if [ $rc -eq 0 ]; then
		pass "$name"
	else
		if timed_out $rc; then
			echo "(timed out after ${TEST_TIMEOUT}s)" >>"$out"
		else
			echo "(exit status $rc)" >>"$out"
		fi
		fail "$name" "$out"
	fi
	rm -rf "$sdir"
done

# ---------------------------------------------------------------- summary
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
