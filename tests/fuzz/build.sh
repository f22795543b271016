#!/bin/sh
# tests/fuzz/build.sh -- builds the libFuzzer harness fuzz_analyze with clang,
# ASan and UBSan, into OUT (default /tmp/bounce-fuzz). Needs the generated
# catalog sources: run 'make' first. Nothing is written to the source tree.
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

if [ ! -f gen/builtin.c ] || [ ! -f gen/builtin_db.c ]; then
	echo "fuzz: gen/builtin.c or gen/builtin_db.c is missing: run make first" >&2
	exit 2
fi
mkdir -p "$OUT/obj"
# the engine may have subdirectories (catalog/NAME/*.c)
for f in catalog/*.c catalog/*/*.c gen/builtin.c gen/builtin_db.c; do
	[ -f "$f" ] || continue
	o=$OUT/obj/$(echo "$f" | tr / _ | sed 's/\.c$/.o/')
	# shellcheck disable=SC2086
	$CLANG $FLAGS -fsanitize=fuzzer-no-link $PKG_CFLAGS -c -o "$o" "$f"
done
# shellcheck disable=SC2086
$CLANG $FLAGS -fsanitize=fuzzer $PKG_CFLAGS -o "$OUT/fuzz_analyze" tests/fuzz/fuzz_analyze.c \
	"$OUT"/obj/*.o $PKG_LIBS
# a seed corpus: the bounce corpus, one file per input
mkdir -p "$OUT/seeds"
cp tests/bounces/*.txt "$OUT/seeds/"
echo "fuzz: built $OUT/fuzz_analyze; seeds in $OUT/seeds"
