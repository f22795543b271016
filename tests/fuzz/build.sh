#!/bin/sh
# tests/fuzz/build.sh -- builds the libFuzzer targets with clang, ASan and
# UBSan, into OUT (default $TMPDIR/bounce-fuzz), with a seed corpus per
# target in OUT/seeds/TARGET. Needs the generated catalog sources: run
# 'make' first ('make fuzz' does). Nothing is written to the source tree.
#	sh tests/fuzz/build.sh [OUT]
# See tests/fuzz/README.
set -eu
cd "$(dirname "$0")/../.."
OUT=${1:-${TMPDIR:-/tmp}/bounce-fuzz}
CLANG=${CLANG:-clang}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
SAN='-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer'
FLAGS="-std=c11 -g -O1 $SAN -D_POSIX_C_SOURCE=200809L -I. -Icatalog -Iinclude"
PKG_CFLAGS=$($PKG_CONFIG --cflags libxml-2.0 sqlite3)
PKG_LIBS=$($PKG_CONFIG --libs libxml-2.0 sqlite3)
CURSES_CFLAGS=$($PKG_CONFIG --cflags ncursesw)
CURSES_LIBS=$($PKG_CONFIG --libs ncursesw)
TARGETS='fuzz_analyze fuzz_lines fuzz_mime fuzz_load fuzz_query fuzz_script fuzz_scan fuzz_trace'

if [ ! -f gen/builtin.c ] || [ ! -f gen/builtin_db.c ] || [ ! -f gen/builtin_an.c ] ||
	[ ! -f gen/builtin_lk.c ]; then
	echo "fuzz: gen/builtin.c, gen/builtin_db.c, gen/builtin_an.c or gen/builtin_lk.c is missing:" \
		"run make first" >&2
	exit 2
fi
mkdir -p "$OUT/obj" "$OUT/tui"
# the engine (it may have subdirectories, catalog/NAME/*.c), instrumented
# for coverage; an object is rebuilt when its source is newer, all of them
# when a header is
for h in catalog/*.h catalog/*/*.h include/bounce/*.h; do
	if [ -f "$h" ] && [ "$h" -nt "$OUT/obj/stamp" ]; then
		rm -f "$OUT"/obj/*.o
		break
	fi
done
touch "$OUT/obj/stamp"
for f in catalog/*.c catalog/*/*.c gen/builtin.c gen/builtin_db.c gen/builtin_an.c gen/builtin_lk.c; do
	[ -f "$f" ] || continue
	o=$OUT/obj/$(echo "$f" | tr / _ | sed 's/\.c$/.o/')
	[ "$o" -nt "$f" ] && continue
	# shellcheck disable=SC2086
	$CLANG $FLAGS -fsanitize=fuzzer-no-link $PKG_CFLAGS -c -o "$o" "$f"
done
# the front end's script parser and what it uses
for f in tui/script.c tui/keymap.c tui/text.c; do
	o=$OUT/tui/$(basename "$f" .c).o
	# shellcheck disable=SC2086
	$CLANG $FLAGS -Itui -fsanitize=fuzzer-no-link $CURSES_CFLAGS -c -o "$o" "$f"
done
for t in $TARGETS; do
	extra=
	libs=$PKG_LIBS
	if [ "$t" = fuzz_script ]; then
		extra="-Itui $OUT/tui/script.o $OUT/tui/keymap.o $OUT/tui/text.o"
		libs="$PKG_LIBS $CURSES_LIBS"
	fi
	# shellcheck disable=SC2086
	$CLANG $FLAGS -fsanitize=fuzzer $PKG_CFLAGS -Itests/fuzz -o "$OUT/$t" "tests/fuzz/$t.c" \
		$extra "$OUT"/obj/*.o $libs
done

# seed corpora from tests/, one file per input
rm -rf "$OUT/seeds"
for t in fuzz_analyze fuzz_lines fuzz_mime; do
	mkdir -p "$OUT/seeds/$t"
	cp tests/bounces/*.txt "$OUT/seeds/$t/"
done
mkdir -p "$OUT/seeds/fuzz_load" "$OUT/seeds/fuzz_script" "$OUT/seeds/fuzz_query" "$OUT/seeds/fuzz_scan" \
	"$OUT/seeds/fuzz_trace"
cp tests/data/*.xml "$OUT/seeds/fuzz_load/"
cp tests/tui/*.keys "$OUT/seeds/fuzz_script/"
# a scan seed per log of tests/data/scan/, its first byte the scan's options
# (a state, a table of few open recipients), and one from the day generator
n=0
for f in tests/data/scan/*.log; do
	for op in 2 67 73; do
		n=$((n + 1))
		{ printf "\\$(printf '%03o' $op)"; cat "$f"; } >"$OUT/seeds/fuzz_scan/s$n"
	done
done
{ printf 'C'; sh tests/scan/genday.sh 60 2>/dev/null; } >"$OUT/seeds/fuzz_scan/day"
# a trace seed per export of tests/data/scan/ with its own header (first
# byte 0, or 4 and 12: a scan), and its rows under each documented header
n=0
for f in tests/data/scan/*.csv; do
	for op in 0 4 12; do
		n=$((n + 1))
		{ printf "\\$(printf '%03o' $op)"; cat "$f"; } >"$OUT/seeds/fuzz_trace/t$n"
	done
	for op in 5 6 7; do
		n=$((n + 1))
		{ printf "\\$(printf '%03o' $op)"; sed 1d "$f"; } >"$OUT/seeds/fuzz_trace/t$n"
	done
done
# a query seed per line of queries.txt and per operation (the first byte)
n=0
while IFS= read -r q; do
	for op in 0 1 2 3; do
		n=$((n + 1))
		{ printf "\\$(printf '%03o' $op)"; printf '%s' "$q"; } >"$OUT/seeds/fuzz_query/q$n"
	done
done <tests/fuzz/queries.txt
# the regression inputs are seeds too
for t in $TARGETS; do
	if [ -d "tests/fuzz/regress/$t" ]; then
		cp tests/fuzz/regress/"$t"/* "$OUT/seeds/$t/"
	fi
done
echo "fuzz: built $TARGETS in $OUT; seeds in $OUT/seeds"
