#!/bin/sh
# tests/tui/run-pages.sh -- a long Providers list is built in two steps: its
# first page for the first screen, the rest when the cursor comes near its
# end, or a search or a jump needs it. The catalog (5,100 entries of one
# invented provider, more than the browser builds at once) is written here.

SRCDIR=${SRCDIR:-$(pwd)}
cd "$SRCDIR" || exit 2
BOUNCE=${BOUNCE:-$SRCDIR/bounce}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pages.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

LC_ALL=C.UTF-8 TERM=dumb LINES=24 COLUMNS=80
XDG_CONFIG_HOME=$tmp/config XDG_STATE_HOME=$tmp/state
export LC_ALL TERM LINES COLUMNS XDG_CONFIG_HOME XDG_STATE_HOME

awk 'BEGIN {
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	print "<catalog version=\"1\" name=\"many entries\" as-of=\"2026-01-01\">"
	print "  <providers>"
	print "    <provider id=\"manymail\" name=\"Many Mail\">"
	print "      <domain>many.example</domain>"
	print "      <meaning>A provider with many entries.</meaning>"
	print "      <source href=\"https://many.example/postmaster\">Many Mail postmaster page</source>"
	print "    </provider>"
	print "  </providers>"
	print "  <codes>"
	for (i = 1; i <= 5100; i++) {
		printf "    <entry id=\"manymail.e%05d\" provider=\"manymail\" reply=\"550\"", i
		printf " enhanced=\"5.1.1\" title=\"Entry number %d\" status=\"unverified\">\n", i
		printf "      <meaning>Entry %d of many.</meaning>\n", i
		printf "      <source as-of=\"2026-01\">invented for tests</source>\n"
		printf "    </entry>\n"
	}
	print "  </codes>"
	print "</catalog>"
}' >"$tmp/many.xml"

passed=0
failed=0
# check NAME LABEL PATTERN: the row of dump LABEL with the list's title matches.
check() {
	row=$(sed -n "/^--- $2 ---\$/,/^roles:/p" "$tmp/out" | sed -n 4p)
	if printf '%s\n' "$row" | grep -q -- "$3"; then
		echo "ok: $1"
		passed=$((passed + 1))
	else
		echo "FAIL: $1: the title row is \"$row\", not /$3/"
		failed=$((failed + 1))
	fi
}

cat >"$tmp/keys" <<EOF
3
:dump first
G
:dump last
g
/Entry number 5099
<Enter>
:dump found
EOF
"$BOUNCE" --no-user-catalogs --catalog "$tmp/many.xml" --script "$tmp/keys" >"$tmp/out" 2>&1 </dev/null
# the built-in providers' entries count too: the first page is 200 of them
# and a heading per provider among them (so fewer than 300 rows)
check "the first screen is built from the first page" first \
	"^ Providers - the first of [0-9]* entries  *1/2[0-9][0-9]\$"
check "G builds the rest and goes to the last line" last "^ Providers  *\([0-9]*\)/\1\$"
printf '/manymail.e05099\n<Enter>\n:dump found\n' >"$tmp/keys"
"$BOUNCE" --no-user-catalogs --catalog "$tmp/many.xml" --script "$tmp/keys" >"$tmp/out" 2>&1 </dev/null
if sed -n '/^--- found ---$/,/^roles:/p' "$tmp/out" | grep -q 'Detail: manymail.e05099'; then
	echo "ok: a jump to an entry past the first page finds it in the list"
	passed=$((passed + 1))
else
	echo "FAIL: a jump to an entry past the first page finds it in the list"
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
