#!/bin/sh
# tests/tui/run-tui.sh -- headless screen tests of the browser.
#
# Each tests/tui/NAME.keys is a script for 'bounce --script' (see
# tui/script.h); its dumps go to stdout and must equal NAME.expected
# (diff -u). Lines at the top of a .keys file may set up the case:
#   # args: --catalog tests/data/hostile-tui.xml     more bounce options
#   # env: TERM=xterm-256color                       more environment
#   # setup: "$BOUNCE" scan tests/tui/report-mail.log  a command run first,
#                                                     with the case's state
# UPDATE=1 rewrites the expected files instead (review them with a diff).
# Run from the source directory by tests/run.sh, or by hand:
#   BOUNCE=./bounce sh tests/tui/run-tui.sh [NAME...]

SRCDIR=${SRCDIR:-$(pwd)}
cd "$SRCDIR" || exit 2
BOUNCE=${BOUNCE:-$SRCDIR/bounce}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tui.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

# The pinned screen: no tty, no stdin, 80x24 unless a case resizes.
LC_ALL=C.UTF-8
TERM=dumb
LINES=24
COLUMNS=80
export LC_ALL TERM LINES COLUMNS
unset NO_COLOR

passed=0
failed=0
if [ $# -gt 0 ]; then
	cases=$*
else
	cases=$(ls tests/tui/*.keys | sed -e 's|^tests/tui/||' -e 's|\.keys$||')
fi
for name in $cases; do
	keys=tests/tui/$name.keys
	expected=tests/tui/$name.expected
	args=$(sed -n 's/^# args: //p' "$keys")
	envs=$(sed -n 's/^# env: //p' "$keys")
	setup=$(sed -n 's/^# setup: //p' "$keys")
	# a configuration and a state of the case's own (a case may write
	# the state, and the user's files must not change the screens)
	rm -rf "$tmp/xdg"
	mkdir -p "$tmp/xdg/config" "$tmp/xdg/state"
	if [ -n "$setup" ]; then
		env BOUNCE="$BOUNCE" XDG_CONFIG_HOME="$tmp/xdg/config" XDG_STATE_HOME="$tmp/xdg/state" \
			sh -c "$setup" >/dev/null 2>&1 </dev/null
	fi
	# shellcheck disable=SC2086
	env XDG_CONFIG_HOME="$tmp/xdg/config" XDG_STATE_HOME="$tmp/xdg/state" $envs "$BOUNCE" \
		--no-user-catalogs $args --script "$keys" >"$tmp/raw" 2>&1 </dev/null
	echo "exit=$?" >>"$tmp/raw"
	# where an entry stands in the built-in catalog moves whenever lines are
	# added above it; the screens test the browser, so that number is masked
	# and the time a saved scan ran is the test's
	sed -e 's/\(the built-in catalog, line \)[0-9][0-9]*/\1N/g' \
		-e 's/\(last bounce scan, \)[0-9-]* [0-9:]* UTC/\1DATE UTC/g' "$tmp/raw" >"$tmp/out"
	if [ "${UPDATE-}" = 1 ]; then
		cp "$tmp/out" "$expected"
		echo "updated: $expected"
		passed=$((passed + 1))
	elif [ ! -f "$expected" ]; then
		echo "FAIL: $name: missing $expected (UPDATE=1 creates it)"
		failed=$((failed + 1))
	elif diff -u "$expected" "$tmp/out" >"$tmp/diff"; then
		echo "ok: $name"
		passed=$((passed + 1))
	else
		echo "FAIL: $name"
		head -n 200 "$tmp/diff"
		failed=$((failed + 1))
	fi
done
# the last line is the count of cases that tests/run.sh adds up
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
