#!/bin/sh
# tests/checks/symbols.sh -- fails when a library exports a symbol without the cat_ prefix.
#
#   sh tests/checks/symbols.sh LIBRARY...
#
# Lists the global symbols that LIBRARY defines (nm -g --defined-only; NM
# overrides nm) and prints each one whose name does not start with cat_.
# libcatalog.a is sealed by the Makefile (ld -r, then objcopy
# --keep-global-symbol='cat_*'), so a program linked with it can only reach
# the public API.  Exit status 1 if a symbol leaks, 2 if nm fails.
NM=${NM:-nm}
[ $# -gt 0 ] || { echo "usage: symbols.sh LIBRARY..." >&2; exit 2; }
status=0
for lib in "$@"; do
	if ! "$NM" -g --defined-only "$lib" >"${TMPDIR:-/tmp}/symbols.$$" 2>&1; then
		cat "${TMPDIR:-/tmp}/symbols.$$"
		rm -f "${TMPDIR:-/tmp}/symbols.$$"
		exit 2
	fi
	# "ADDRESS TYPE NAME" lines; archive member headers and blank lines skipped
	awk -v lib="$lib" '
		NF >= 3 && $NF !~ /^cat_/ { printf "%s: %s %s is exported without the cat_ prefix\n", lib, $(NF - 1), $NF; bad = 1 }
		NF >= 3 { n++ }
		END {
			if (n == 0) { printf "%s: exports no symbol at all\n", lib; bad = 1 }
			exit bad
		}' "${TMPDIR:-/tmp}/symbols.$$" || status=1
	rm -f "${TMPDIR:-/tmp}/symbols.$$"
done
exit $status
