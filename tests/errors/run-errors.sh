#!/bin/sh
# tests/errors/run-errors.sh -- how the bounce command line handles bad
# catalogs and bad arguments (an extension suite of tests/run.sh; see
# tests/README).
#
# An error exits with status 2 exactly (never a crash, never > 128), prints
# nothing on stdout, and one line on stderr: "bounce: FILE:LINE: ..." for a
# catalog error with a line, "bounce: FILE: ..." without one, "bounce: ..."
# otherwise.  A usage error may add the hint line "Try 'bounce --help' for
# more information." and nothing else.  Text from a catalog or from the
# command line never reaches the terminal with raw control characters.
#
# Fixtures: tests/data/bad-*.xml (refused) and tests/data/valid-*.xml
# (loaded); anything with raw control bytes is made in $TMPDIR.

set -u

SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BOUNCE=${BOUNCE:-$SRCDIR/bounce}
case $BOUNCE in
/*) ;;
*) BOUNCE=$SRCDIR/${BOUNCE#./} ;;
esac
data=$SRCDIR/tests/data

tmp=$(mktemp -d "${TMPDIR:-/tmp}/errors.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

failures=0
cases=0
ESC=$(printf '\033')
C1=$(printf '\302\233')     # U+009B as UTF-8
RLO=$(printf '\342\200\256') # U+202E as UTF-8
HINT="Try 'bounce --help' for more information."

have()
{
	command -v "$1" >/dev/null 2>&1
}

# fail NAME WHY: one line per failure, then what the command printed; a
# case counts as failed once however many of its checks fail
failed_case=-1
fail()
{
	if [ "$failed_case" -ne "$cases" ]; then
		failures=$((failures + 1))
		failed_case=$cases
	fi
	printf 'FAIL: %s: %s\n' "$1" "$2"
	if [ -s "$tmp/out" ]; then
		echo "    stdout:"
		head -n 5 "$tmp/out" | LC_ALL=C od -c | head -n 10 | sed 's/^/      /'
	fi
	if [ -s "$tmp/err" ]; then
		echo "    stderr:"
		head -n 5 "$tmp/err" | sed 's/^/      /' | LC_ALL=C tr '\033\233' '??'
	fi
}

# run LIMIT CMD...: runs bounce's arguments CMD with a time limit (seconds);
# sets rc, fills $tmp/out and $tmp/err
run()
{
	limit=$1
	shift
	if have timeout; then
		timeout "$limit" "$BOUNCE" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	else
		"$BOUNCE" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	fi
	rc=$?
}

# no_raw_controls NAME FILE: FILE has no ESC, no U+009B, no U+202E
no_raw_controls()
{
	if LC_ALL=C grep -q "$ESC" "$2"; then
		fail "$1" "a raw ESC in $(basename "$2")"
		return 1
	fi
	if LC_ALL=C grep -qF "$C1" "$2"; then
		fail "$1" "a raw U+009B in $(basename "$2")"
		return 1
	fi
	if LC_ALL=C grep -qF "$RLO" "$2"; then
		fail "$1" "a raw U+202E in $(basename "$2")"
		return 1
	fi
	return 0
}

# expect_error NAME WANT_RC PREFIX [--hint-ok] -- ARGS...
# bounce ARGS must exit WANT_RC, print nothing on stdout, and one line on
# stderr starting with PREFIX (plus the --help hint when --hint-ok).
expect_error()
{
	name=$1
	want=$2
	prefix=$3
	shift 3
	hint_ok=0
	if [ "$1" = --hint-ok ]; then
		hint_ok=1
		shift
	fi
	[ "$1" = -- ] && shift
	cases=$((cases + 1))
	run 10 "$@"
	if [ "$rc" -ne "$want" ]; then
		if [ "$rc" -gt 128 ]; then
			fail "$name" "killed by signal $((rc - 128)) (exit $rc), want exit $want"
		elif [ "$rc" -eq 124 ]; then
			fail "$name" "timed out, want exit $want"
		else
			fail "$name" "exit $rc, want $want"
		fi
		return
	fi
	if [ -s "$tmp/out" ]; then
		fail "$name" "stdout is not empty"
		return
	fi
	no_raw_controls "$name" "$tmp/err" || return
	lines=$(wc -l <"$tmp/err")
	extra=$(sed -n '2,$p' "$tmp/err")
	if [ "$lines" -eq 0 ]; then
		fail "$name" "nothing on stderr"
		return
	fi
	if [ "$lines" -gt 1 ] && ! { [ $hint_ok = 1 ] && [ "$lines" -eq 2 ] && [ "$extra" = "$HINT" ]; }; then
		fail "$name" "$lines lines on stderr, want one"
		return
	fi
	if ! P=$prefix awk 'NR == 1 { exit index($0, ENVIRON["P"]) != 1 }' "$tmp/err"; then
		fail "$name" "stderr does not start with '$prefix'"
		return
	fi
	# a prefix that ends in ": " is followed by the message itself
	case $prefix in
	*": ")
		if ! P=$prefix awk 'NR == 1 { exit length($0) <= length(ENVIRON["P"]) + 2 }' "$tmp/err"; then
			fail "$name" "the message is empty after '$prefix'"
			return
		fi
		;;
	esac
}

# expect_in NAME FILE TEXT: FILE contains TEXT (literal)
expect_in()
{
	if ! LC_ALL=C grep -qF -- "$3" "$2"; then
		fail "$1" "'$3' not in $(basename "$2")"
		return 1
	fi
	return 0
}

B="--no-user-catalogs"

# ---------------------------------------------------------------- bad catalogs
f=$data/bad-malformed.xml
expect_error "malformed XML" 2 "bounce: $f:7: " -- $B --catalog "$f" 550

f=$data/bad-schema.xml
expect_error "unknown element" 2 "bounce: $f:6: " -- $B --catalog "$f" 550

f=$data/bad-missing-attr.xml
expect_error "missing attribute" 2 "bounce: $f:5: " -- $B --catalog "$f" 550

f=$data/bad-dup.xml
expect_error "duplicate key" 2 "bounce: $f:8: " -- $B --catalog "$f" 550 &&
	expect_in "duplicate key" "$tmp/err" "599"

f=$data/bad-ref.xml
expect_error "unknown reference" 2 "bounce: $f:7: " -- $B --catalog "$f" 550 &&
	expect_in "unknown reference" "$tmp/err" "X.9.99"

f=$data/bad-empty.xml
expect_error "empty file" 2 "bounce: $f: " -- $B --catalog "$f" 550

f=$data/bad-threshold-percent.xml
expect_error "a threshold's percent with its sign" 2 "bounce: $f:5: " -- $B --catalog "$f" 550 &&
	expect_in "a threshold's percent with its sign" "$tmp/err" "percent"

f=$tmp/no-such-file.xml
expect_error "missing file" 2 "bounce: $f: " -- $B --catalog "$f" 550 &&
	expect_in "missing file" "$tmp/err" "No such file"

mkdir "$tmp/a-directory.xml"
f=$tmp/a-directory.xml
expect_error "directory" 2 "bounce: $f: " -- $B --catalog "$f" 550 &&
	expect_in "directory" "$tmp/err" "directory"

# the file is refused whole even when an earlier --catalog was fine
f=$data/bad-dup.xml
expect_error "good then bad catalog" 2 "bounce: $f:8: " -- \
	$B --catalog "$data/valid-override.xml" --catalog "$f" 550

# 50 MB of random bytes
f=$tmp/random.xml
if head -c 52428800 /dev/urandom >"$f" 2>/dev/null; then
	expect_error "50 MB of random bytes" 2 "bounce: $f" -- $B --catalog "$f" 550
	rm -f "$f"
else
	cases=$((cases + 1))
	fail "50 MB of random bytes" "cannot write $f"
fi

# XXE: refused, and nothing of /etc/passwd is shown
f=$data/bad-xxe.xml
expect_error "XXE" 2 "bounce: $f:2: " -- $B --catalog "$f" 599
if LC_ALL=C grep -q 'root:' "$tmp/err" "$tmp/out"; then
	fail "XXE" "the content of /etc/passwd was shown"
fi
expect_error "XXE, JSON" 2 "bounce: $f:" -- $B --json --catalog "$f" 599
if LC_ALL=C grep -q 'root:' "$tmp/err" "$tmp/out"; then
	fail "XXE, JSON" "the content of /etc/passwd was shown"
fi

# billion laughs: refused within 5 seconds
f=$data/bad-billion-laughs.xml
start=$(date +%s)
expect_error "billion laughs" 2 "bounce: $f:" -- $B --catalog "$f" 599
end=$(date +%s)
if [ $((end - start)) -ge 5 ]; then
	fail "billion laughs" "took $((end - start)) s, want < 5 s"
fi

# ESC cannot be in a catalog (XML 1.0 has no such character): refused, and
# the message shows no raw ESC
printf '<?xml version="1.0" encoding="UTF-8"?>\n<catalog version="1">\n  <codes>\n    <reply code="599" title="t" status="non-standard" rfc="none"><meaning>red \033[31m here</meaning></reply>\n  </codes>\n</catalog>\n' \
	>"$tmp/raw-esc.xml"
f=$tmp/raw-esc.xml
expect_error "raw ESC in a catalog" 2 "bounce: $f:4: " -- $B --catalog "$f" 599
LC_ALL=C sed "s/$ESC/\\&#27;/" "$f" >"$tmp/ref-esc.xml"
f=$tmp/ref-esc.xml
expect_error "ESC by reference in a catalog" 2 "bounce: $f:4: " -- $B --catalog "$f" 599
# a raw C1 byte (not UTF-8)
printf '<?xml version="1.0" encoding="UTF-8"?>\n<catalog version="1">\n  <codes>\n    <reply code="599" title="t" status="non-standard" rfc="none"><meaning>csi \233 here</meaning></reply>\n  </codes>\n</catalog>\n' \
	>"$tmp/raw-c1.xml"
f=$tmp/raw-c1.xml
expect_error "raw 0x9b byte in a catalog" 2 "bounce: $f:4: " -- $B --catalog "$f" 599
if LC_ALL=C grep -q "$(printf '\233')" "$tmp/err"; then
	fail "raw 0x9b byte in a catalog" "a raw 0x9b byte on stderr"
fi
# a catalog file whose name holds an ESC sequence: the name is shown escaped
f="$tmp/name$ESC[31mred.xml"
cp "$data/bad-dup.xml" "$f"
expect_error "ESC in a catalog's file name" 2 "bounce: $tmp/name\\x1b[31mred.xml:8: " -- \
	$B --catalog "$f" 599

# ---------------------------------------------------------------- good catalogs
# an overlay replaces a built-in entry: its text, and "From" names the file.
# The file is named relative to its directory: the "From" line is checked
# whole, and a long path (a clone in a deep directory) would wrap it.
cd "$data" || exit 2
f=valid-override.xml
cases=$((cases + 1))
run 10 $B --color=never --catalog "$f" gmail.no_such_user
if [ "$rc" -ne 0 ]; then
	fail "override" "exit $rc, want 0"
elif [ -s "$tmp/err" ]; then
	fail "override" "stderr is not empty"
else
	expect_in "override" "$tmp/out" "Overlay title for the test suite" &&
		expect_in "override" "$tmp/out" "Overlay meaning" &&
		expect_in "override" "$tmp/out" "Overlay text sent by the server"
	if ! grep -q "^ *From  *$f, line 5\$" "$tmp/out"; then
		fail "override" "no line 'From $f, line 5'"
	fi
	if grep -q "Account does not exist" "$tmp/out"; then
		fail "override" "the built-in title is still shown"
	fi
fi
# the same in JSON: the origin is the file
cases=$((cases + 1))
run 10 $B --json --catalog "$f" gmail.no_such_user
if [ "$rc" -ne 0 ]; then
	fail "override, JSON" "exit $rc, want 0"
else
	expect_in "override, JSON" "$tmp/out" "\"origin\":\"$f\""
	expect_in "override, JSON" "$tmp/out" "\"title\":\"Overlay title for the test suite\""
fi
cd "$SRCDIR" || exit 2

# control characters from a catalog are shown escaped, never raw
f=$data/valid-escapes.xml
for mode in "" --full --brief; do
	name="escapes in catalog text ${mode:-(default)}"
	cases=$((cases + 1))
	# shellcheck disable=SC2086
	run 10 $B --color=never $mode --catalog "$f" ESCTEST1
	if [ "$rc" -ne 0 ]; then
		fail "$name" "exit $rc, want 0"
		continue
	fi
	no_raw_controls "$name" "$tmp/out" || continue
	no_raw_controls "$name" "$tmp/err" || continue
	# the title, in every form
	expect_in "$name" "$tmp/out" 'CSI\x9b1 RLO<U+202E>X' || continue
	if [ "$mode" != --brief ]; then
		expect_in "$name" "$tmp/out" 'red \x9b31m and <U+202E>reversed' &&
			expect_in "$name" "$tmp/out" 'clear \x9b2J and <U+202E>reversed'
	fi
done
cases=$((cases + 1))
run 10 $B --color=never search reversed --catalog "$f"
if [ "$rc" -ne 0 ]; then
	fail "escapes in search results" "exit $rc, want 0"
else
	no_raw_controls "escapes in search results" "$tmp/out" &&
		expect_in "escapes in search results" "$tmp/out" 'CSI\x9b1 RLO<U+202E>X'
fi
# ... and in the "From" line, from the file name (relative, so that a long
# $TMPDIR cannot wrap the line inside the name)
cd "$tmp" || exit 2
f="esc$ESC[31m$C1$RLO.xml"
cp "$data/valid-escapes.xml" "$f"
cases=$((cases + 1))
run 10 $B --color=never --catalog "$f" ESCTEST1
if [ "$rc" -ne 0 ]; then
	fail "ESC in an overlay's file name" "exit $rc, want 0"
else
	no_raw_controls "ESC in an overlay's file name" "$tmp/out" &&
		expect_in "ESC in an overlay's file name" "$tmp/out" 'esc\x1b[31m\x9b<U+202E>.xml'
fi
# --version lists the file names escaped too
cases=$((cases + 1))
run 10 $B --version --catalog "$f"
if [ "$rc" -ne 0 ]; then
	fail "ESC in a file name, --version" "exit $rc, want 0"
else
	no_raw_controls "ESC in a file name, --version" "$tmp/out" &&
		expect_in "ESC in a file name, --version" "$tmp/out" 'esc\x1b[31m'
fi
cd "$SRCDIR" || exit 2
# a query with controls: not found, echoed escaped
expect_error "ESC in a query" 1 "bounce: " -- $B "$ESC[31mnosuchcode$C1$RLO" &&
	expect_in "ESC in a query" "$tmp/err" '\x1b[31mnosuchcode\x9b<U+202E>'

# ---------------------------------------------------------------- arguments
expect_error "unknown option" 2 "bounce: unknown option '--bogus'" --hint-ok -- $B --bogus 550
expect_error "unknown short option" 2 "bounce: unknown option '-q'" --hint-ok -- $B -q 550
expect_error "list with a word" 2 "bounce: " --hint-ok -- $B list mailbox
expect_error "--class 9" 2 "bounce: " --hint-ok -- $B list --class 9
expect_error "--class x" 2 "bounce: " --hint-ok -- $B list --class x
expect_error "--subject 8" 2 "bounce: " --hint-ok -- $B list --subject 8
expect_error "--kind bogus" 2 "bounce: " --hint-ok -- $B list --kind bogus
expect_error "--limit 0" 2 "bounce: " --hint-ok -- $B --limit 0 search mailbox
expect_error "--color=sometimes" 2 "bounce: " --hint-ok -- $B --color=sometimes 550
expect_error "--catalog without a file" 2 "bounce: " --hint-ok -- $B 550 --catalog
expect_error "list filter without list" 2 "bounce: " --hint-ok -- $B --class 5 550
expect_error "search without words" 2 "bounce: " --hint-ok -- $B search
expect_error "explain with no input" 2 "bounce: " -- $B explain
expect_error "unknown provider" 2 "bounce: " --hint-ok -- $B list --provider nosuchprovider
expect_error "unknown reason" 2 "bounce: " --hint-ok -- $B list --reason nosuchreason
expect_error "unknown impact" 2 "bounce: " --hint-ok -- $B list --impact nosuchimpact
expect_error "search with no word" 2 "bounce: " -- $B search '""'
expect_error "scan --csv --json" 2 "bounce: " --hint-ok -- $B scan --csv --json /dev/null
expect_error "--follow without scan" 2 "bounce: " --hint-ok -- $B --follow 550
expect_error "scan --top 0" 2 "bounce: " --hint-ok -- $B scan --top 0 /dev/null

# --export-db to a directory: refused, and no temporary file is left
mkdir "$tmp/export-dir"
expect_error "--export-db to a directory" 2 "bounce: " -- $B --export-db "$tmp/export-dir"
left=$(ls -A "$tmp" | grep -c 'export-dir\.')
if [ "$left" -ne 0 ]; then
	fail "--export-db to a directory" "a temporary file was left: $(ls -A "$tmp" | grep 'export-dir\.')"
fi
expect_error "--export-db into a missing directory" 2 "bounce: " -- \
	$B --export-db "$tmp/missing/x.db"

# ---------------------------------------------------------------- not found
expect_error "lookup not found" 1 "bounce: " -- $B nonsensewords
expect_error "search not found" 1 "bounce: " -- $B search zzzzqqq
# with --json a miss prints the empty document on stdout instead
cases=$((cases + 1))
run 10 $B --json nonsensewords
if [ "$rc" -ne 1 ]; then
	fail "lookup not found, JSON" "exit $rc, want 1"
elif ! grep -q '"count":0' "$tmp/out"; then
	fail "lookup not found, JSON" "no '\"count\":0' on stdout"
fi

# ---------------------------------------------------------------- explain: big and hostile input
# run_in LIMIT INPUT CMD...: like run, with INPUT on standard input
run_in()
{
	limit=$1
	input=$2
	shift 2
	if have timeout; then
		timeout "$limit" "$BOUNCE" "$@" >"$tmp/out" 2>"$tmp/err" <"$input"
	else
		"$BOUNCE" "$@" >"$tmp/out" 2>"$tmp/err" <"$input"
	fi
	rc=$?
}

# peak_kb LIMIT INPUT CMD...: run_in, and sets kb to the peak RSS in KB (GNU
# time's %M), or empty when /usr/bin/time is missing
peak_kb()
{
	limit=$1
	input=$2
	shift 2
	kb=
	if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
		if have timeout; then
			timeout "$limit" /usr/bin/time -f %M -o "$tmp/rss" "$BOUNCE" "$@" \
				>"$tmp/out" 2>"$tmp/err" <"$input"
		else
			/usr/bin/time -f %M -o "$tmp/rss" "$BOUNCE" "$@" >"$tmp/out" 2>"$tmp/err" <"$input"
		fi
		rc=$?
		kb=$(tail -n 1 "$tmp/rss" | tr -dc 0-9)
	else
		run_in "$limit" "$input" "$@"
	fi
}

# rc_is NAME WANT: the last run exited WANT (a signal or a time-out is named)
rc_is()
{
	if [ "$rc" -eq "$2" ]; then
		return 0
	fi
	if [ "$rc" -gt 128 ] && [ "$rc" -ne 124 ]; then
		fail "$1" "killed by signal $((rc - 128)) (exit $rc), want exit $2"
	elif [ "$rc" -eq 124 ]; then
		fail "$1" "timed out, want exit $2"
	else
		fail "$1" "exit $rc, want $2"
	fi
	return 1
}

# line_count FILE: the number of lines, a last one without a newline included
line_count()
{
	LC_ALL=C awk 'END { print NR }' "$1"
}

# a 100 MB line: one result, one warning, bounded memory
f=$tmp/line-100m.txt
if head -c 104857600 /dev/zero 2>/dev/null | tr '\0' x >"$f" 2>/dev/null && echo >>"$f"; then
	name="explain --lines, a 100 MB line"
	cases=$((cases + 1))
	peak_kb 30 "$f" $B explain --lines
	if rc_is "$name" 0; then
		if [ "$(line_count "$tmp/out")" -ne 1 ]; then
			fail "$name" "$(line_count "$tmp/out") lines on stdout, want 1"
		elif [ "$(line_count "$tmp/err")" -ne 1 ]; then
			fail "$name" "$(line_count "$tmp/err") lines on stderr, want one warning"
		elif ! expect_in "$name" "$tmp/err" "bounce: " || ! expect_in "$name" "$tmp/err" "line 1"; then
			:
		elif [ -n "$kb" ] && [ "$kb" -ge 65536 ]; then
			fail "$name" "peak RSS $kb KB, want < 64 MB"
		fi
	fi
	# the line after it is read whole and explained
	name="explain --lines, a 100 MB line, then a bounce"
	cases=$((cases + 1))
	echo '550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown' >>"$f"
	peak_kb 30 "$f" $B explain --lines --json
	if rc_is "$name" 0; then
		if [ "$(line_count "$tmp/out")" -ne 2 ]; then
			fail "$name" "$(line_count "$tmp/out") lines on stdout, want 2"
		elif ! sed -n 2p "$tmp/out" | grep -q '"input":2,.*"reason":"user_unknown"'; then
			fail "$name" "line 2 is not explained as user_unknown"
		elif [ -n "$kb" ] && [ "$kb" -ge 65536 ]; then
			fail "$name" "peak RSS $kb KB, want < 64 MB"
		fi
	fi
	rm -f "$f"
else
	cases=$((cases + 1))
	fail "explain --lines, a 100 MB line" "cannot write $f"
fi

# a line longer than the read block (4 MiB) but within --max-input is
# analyzed whole, or at least not cut without a word
f=$tmp/line-5m.txt
{
	head -c 5000000 /dev/zero | tr '\0' ' '
	echo '550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown'
} >"$f"
name="explain --lines --max-input 8M, a 5 MB line"
cases=$((cases + 1))
run_in 30 "$f" $B explain --lines --max-input 8M
if rc_is "$name" 0; then
	if [ "$(line_count "$tmp/out")" -ne 1 ]; then
		fail "$name" "$(line_count "$tmp/out") lines on stdout, want 1"
	elif ! grep -q user_unknown "$tmp/out" && [ ! -s "$tmp/err" ]; then
		fail "$name" "the end of the line was dropped without a warning (not user_unknown)"
	fi
fi
rm -f "$f"

# binary data into the filter: one result line per input line, exit 0
f=$tmp/binary.bin
{
	i=0
	while [ $i -lt 256 ]; do
		# shellcheck disable=SC2059 # an octal escape made on purpose
		printf "\\$(printf %03o $i)"
		i=$((i + 1))
	done
	head -c 1048576 "$BOUNCE"
	printf '\033[31m\302\233\342\200\256\377\376\000\r\n\r\n\n'
	head -c 65536 "$BOUNCE" | LC_ALL=C tr '\n' '\r'
} >"$f"
name="binary data into the filter"
cases=$((cases + 1))
run_in 60 "$f" $B
if rc_is "$name" 0; then
	want=$(line_count "$f")
	got=$(line_count "$tmp/out")
	if [ "$got" -ne "$want" ]; then
		fail "$name" "$got result lines, want $want (one per input line)"
	else
		no_raw_controls "$name" "$tmp/out"
	fi
fi
name="binary data into the filter, JSON"
cases=$((cases + 1))
run_in 60 "$f" $B --json
if rc_is "$name" 0; then
	if [ "$(line_count "$tmp/out")" -ne "$(line_count "$f")" ]; then
		fail "$name" "$(line_count "$tmp/out") result lines, want $(line_count "$f")"
	elif LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$tmp/out"; then
		fail "$name" "a raw control byte in the JSON"
	else
		no_raw_controls "$name" "$tmp/out"
	fi
fi
rm -f "$f"

# 2 MB of standard input: refused without --max-input, explained with it
f=$tmp/big-2m.txt
{
	echo '550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown'
	head -c 2097152 /dev/zero | tr '\0' ' '
} >"$f"
name="explain, 2 MB of stdin"
cases=$((cases + 1))
run_in 30 "$f" $B explain
if rc_is "$name" 2; then
	if [ -s "$tmp/out" ]; then
		fail "$name" "stdout is not empty"
	elif [ "$(line_count "$tmp/err")" -ne 1 ]; then
		fail "$name" "$(line_count "$tmp/err") lines on stderr, want 1"
	else
		expect_in "$name" "$tmp/err" "bounce: " && expect_in "$name" "$tmp/err" "--max-input"
	fi
fi
name="explain --max-input 4M, 2 MB of stdin"
cases=$((cases + 1))
run_in 30 "$f" $B explain --max-input 4M
if rc_is "$name" 0; then
	if [ -s "$tmp/err" ]; then
		fail "$name" "stderr is not empty"
	else
		expect_in "$name" "$tmp/out" "user_unknown"
	fi
fi
rm -f "$f"
for v in 0 x -1 4X; do
	expect_error "--max-input $v" 2 "bounce: " --hint-ok -- $B explain --max-input "$v" 550 &&
		expect_in "--max-input $v" "$tmp/err" "--max-input" &&
		if LC_ALL=C grep -q "unknown option" "$tmp/err"; then
			fail "--max-input $v" "--max-input is not a known option"
		fi
done

# --exit-action: 10 for suppress (a user unknown), 11 for retry (greylisting)
name="explain --exit-action, user unknown"
cases=$((cases + 1))
run 10 $B explain --exit-action '550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown'
if rc_is "$name" 10; then
	expect_in "$name" "$tmp/out" "suppress"
fi
name="explain --exit-action, greylisting"
cases=$((cases + 1))
run 10 $B explain --exit-action '450 4.2.0 <bob@example.net>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.net.html'
if rc_is "$name" 11; then
	expect_in "$name" "$tmp/out" "retry"
fi
name="explain --exit-action, a greylisting log line on stdin"
cases=$((cases + 1))
run_in 10 "$SRCDIR/tests/bounces/postfix-deferred-greylisted.txt" $B explain --exit-action
rc_is "$name" 11

# the last line is the count of cases that tests/run.sh adds up
echo "$((cases - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
