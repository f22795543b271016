#!/bin/sh
# tests/tui/run-keys.sh -- the KEYS section of doc/bounce.1 must list the
# same actions, keys and help as 'bounce --list-actions' (both come from
# the ACTION table in tui/keymap.h). Each action is written in the page as
#   .It Ic NAME Pq Cm \&KEY \&KEY ...
#   HELP.
# On a mismatch this prints the diff and the section as it should read.

SRCDIR=${SRCDIR:-$(pwd)}
cd "$SRCDIR" || exit 2
BOUNCE=${BOUNCE:-$SRCDIR/bounce}
page=doc/bounce.1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/keys.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

"$BOUNCE" --list-actions >"$tmp/actions" || exit 1

# The KEYS section as KEYS<TAB>NAME<TAB>HELP.
awk '
	/^\.Sh / { inkeys = ($2 == "KEYS"); next }
	!inkeys { next }
	/^\.It Ic / {
		name = $3
		keys = $0
		sub(/^\.It Ic [^ ]+ Pq Cm /, "", keys)
		gsub(/\\&/, "", keys)
		getline help
		sub(/\.$/, "", help)
		printf "%s\t%s\t%s\n", keys, name, help
	}
' "$page" >"$tmp/page"

if diff -u "$tmp/actions" "$tmp/page" >"$tmp/diff"; then
	echo "ok: the KEYS section of $page lists every action"
	exit 0
fi
echo "FAIL: the KEYS section of $page differs from 'bounce --list-actions'"
echo "(--- from the binary, +++ from the page):"
cat "$tmp/diff"
echo
echo "The list of the KEYS section should read:"
echo ".Bl -tag -width Ds"
awk -F '\t' '{
	n = split($1, k, " ")
	keys = ""
	for (i = 1; i <= n; i++)
		keys = keys (i > 1 ? " " : "") "\\&" k[i]
	printf ".It Ic %s Pq Cm %s\n%s.\n", $2, keys, $3
}' "$tmp/actions"
echo ".El"
exit 1
