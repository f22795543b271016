#!/bin/sh
# tests/completeness/run-completeness.sh -- the built-in catalog holds what the
# seed tables list (an extension suite of tests/run.sh; see tests/README).
#
#  (a) every row of tests/completeness/*.tsv (provider, reply, enhanced, tag,
#      entry id) resolves: the entry id is found with that provider, and a
#      lookup of "PROVIDER TAG" (or "PROVIDER REPLY ENHANCED") lists the id.
#      Where the seed's codes deliberately differ from the entry's own (Yahoo
#      552 5.1.1, ...), the id must resolve with its provider and a lookup of
#      the entry's own code must list it.  A line that starts with # names
#      the table's source and the date it was read.
#  (b) every enhanced code of the IANA registry (iana-enhanced.txt) is there;
#  (c) every RFC and folk reply code of reply-codes.txt is there;
#  (d) the folk codes carry status non-standard and a likely key;
#  (e) row counts of the seed tables, guide items, and the --version counts.
#
# Uses only bounce --json, sh, awk, grep, sort.  Prints one line per failure,
# then "N passed, M failed" (one case per check), and exits 1 if anything
# failed.

set -u

SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BOUNCE=${BOUNCE:-$SRCDIR/bounce}
case $BOUNCE in
/*) ;;
*) BOUNCE=$SRCDIR/${BOUNCE#./} ;;
esac
here=$SRCDIR/tests/completeness

tmp=$(mktemp -d "${TMPDIR:-/tmp}/completeness.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

failures=0
checks=0

fail()
{
	failures=$((failures + 1))
	printf 'FAIL: %s\n' "$*"
}

ok()
{
	checks=$((checks + 1))
}

# bounce with only the built-in catalog, JSON out
bj()
{
	"$BOUNCE" --no-user-catalogs --json "$@"
}

# results: reads one bounce JSON document, prints one line per result:
#   key TAB kind TAB provider TAB code TAB status TAB likely
# Each result object starts with {"key":"...","kind":"..."; related links
# start with {"key":"...","code":... and are skipped.  Only the scalar
# fields before "texts" are read, so nested objects cannot be mistaken for
# the result's own fields.
results()
{
	awk '
	function field(line, name,    re, i, v, out, c) {
		re = "\"" name "\":"
		i = index(line, re)
		if (i == 0)
			return "-"
		v = substr(line, i + length(re))
		if (substr(v, 1, 1) != "\"") {
			sub(/[,}].*/, "", v)
			return v == "null" ? "-" : v
		}
		v = substr(v, 2)
		out = ""
		while (length(v) > 0) {
			c = substr(v, 1, 1)
			if (c == "\\") {
				out = out substr(v, 1, 2)
				v = substr(v, 3)
				continue
			}
			if (c == "\"")
				break
			out = out c
			v = substr(v, 2)
		}
		return out
	}
	# a run'"'"'s queries, written before its output by the query loop below
	/^#QUERY\t/ { print; next }
	# each object that starts with {"key":" on a line of its own (one awk
	# where there were two: this runs once per lookup)
	{
		gsub(/\{"key":"/, "\n&")
		n = split($0, part, "\n")
		for (k = 1; k <= n; k++) {
			line = part[k]
			if (line !~ /^\{"key":"[^"]*","kind":"/)
				continue
			i = index(line, "\"texts\":")
			if (i > 0)
				line = substr(line, 1, i - 1)
			printf "%s\t%s\t%s\t%s\t%s\t%s\n", field(line, "key"),
				field(line, "kind"), field(line, "provider"), field(line, "code"),
				field(line, "status"), field(line, "likely")
		}
	}'
}

# lookup OUT WORD...: bounce --json WORD... into OUT (results), exit status checked
lookup()
{
	out=$1
	shift
	bj "$@" >"$tmp/json" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
		fail "bounce --json $* exited $rc: $(head -n 1 "$tmp/err")"
		: >"$out"
		return 1
	fi
	results <"$tmp/json" >"$out"
	return 0
}

# ---------------------------------------------------------------- (a) seed rows
tsvs=$(ls "$here"/*.tsv 2>/dev/null)
if [ -z "$tsvs" ]; then
	fail "no tests/completeness/*.tsv"
fi
# every row: provider reply enhanced tag id, tab separated, five fields; a
# line starting with # names the table's source
cat $tsvs | awk -F'\t' '/^#/ { next } NF != 5 && NF > 0 { printf "bad TSV row %d: %s\n", NR, $0 }' \
	>"$tmp/bad"
if [ -s "$tmp/bad" ]; then
	while IFS= read -r l; do fail "$l"; done <"$tmp/bad"
fi
cat $tsvs | awk -F'\t' '!/^#/ && NF == 5' >"$tmp/rows"
# the seed's own tables, which (e) counts
seeds="$here/gmail-apple.tsv $here/microsoft.tsv $here/yahoo-comcast-att.tsv"
cat $seeds | awk -F'\t' '!/^#/ && NF == 5' >"$tmp/seed-rows"

# the ids, 16 to a query (a lookup of several keys lists each of them)
cut -f5 "$tmp/rows" | sort -u >"$tmp/ids"
: >"$tmp/found"
split_n=16
awk -v n=$split_n '{ printf "%s%s", $0, (NR % n == 0 ? "\n" : " ") } END { if (NR % n) print "" }' \
	"$tmp/ids" >"$tmp/id-batches"
while IFS= read -r batch; do
	[ -n "$batch" ] || continue
	# shellcheck disable=SC2086
	lookup "$tmp/r" $batch && cat "$tmp/r" >>"$tmp/found"
done <"$tmp/id-batches"

# decide per row which lookup must list the id: the seed's codes when they
# are the entry's own, else the entry's own code (a deliberate difference)
awk -F'\t' -v OFS='\t' '
	FILENAME == ARGV[1] { prov[$1] = $3; code[$1] = $4; next }
	{
		p = $1; reply = $2; enh = $3; tag = $4; id = $5
		if (!(id in prov)) {
			print "missing", id, p
			next
		}
		if (prov[id] != p) {
			print "provider", id, p, prov[id]
			next
		}
		# a tag names one entry: the seed and the entry must agree on it
		etag = "-"
		if (match(code[id], /\[[^]]*\]$/))
			etag = substr(code[id], RSTART + 1, RLENGTH - 2)
		if (tag != "-" && toupper(tag) != toupper(etag)) {
			print "tag", id, tag, etag
			next
		}
		seed = ""
		if (reply != "-") seed = reply
		if (enh != "-") seed = seed (seed != "" ? " " : "") enh
		if (tag != "-") seed = seed (seed != "" ? " " : "") "[" tag "]"
		# the same codes, or the same codes plus a tag the seed does not give
		if (seed == code[id] || (seed != "" && index(code[id], seed " [") == 1)) {
			q = p
			if (tag != "-") q = q " " tag
			else {
				if (reply != "-") q = q " " reply
				if (enh != "-") { e = enh; sub(/-.*/, "", e); q = q " " e }
			}
			print "lookup", id, q, "seed"
		} else {
			own = code[id]
			gsub(/-[0-9]+/, "", own)
			print "lookup", id, p " " own, "differs: seed \"" seed "\", entry \"" code[id] "\""
		}
	}' "$tmp/found" "$tmp/rows" >"$tmp/plan"

while IFS="$(printf '\t')" read -r what id a b; do
	case $what in
	missing) fail "(a) entry $id ($a) not found by bounce --json $id" ;;
	provider) fail "(a) entry $id has provider '$b', the seed says '$a'" ;;
	tag) fail "(a) entry $id has tag '$b', the seed says '$a'" ;;
	lookup)
		ok
		case $b in
		differs*) printf 'note: (a) %s %s; looked up by its own code\n' "$id" "$b" ;;
		esac
		;;
	esac
done <"$tmp/plan"

# one bounce run per distinct query; its keys go to qkeys as QUERY TAB KEY.
# "PROVIDER TAG" queries run 16 tags of a provider at a time (each tag names
# its own entries, so the keys of the run are those of each of its queries),
# and the outputs are read by one awk after the loop, not two per run: a few
# processes per row made the suite outlast its timeout on a loaded machine.
grep '^lookup' "$tmp/plan" | cut -f3 | sort -u >"$tmp/queries"
awk -v n=$split_n '
	{ k = split($0, w, " ") }
	k == 2 && w[2] !~ /^[0-9.]+$/ {
		if (w[1] != prov || cnt == n) {
			if (cnt) print line "\t" qs
			prov = w[1]; line = prov; qs = ""; cnt = 0
		}
		line = line " " w[2]; qs = qs (cnt ? "|" : "") $0; cnt++
		next
	}
	{ print $0 "\t" $0 }
	END { if (cnt) print line "\t" qs }' "$tmp/queries" >"$tmp/query-runs"
: >"$tmp/runs"
while IFS="$(printf '\t')" read -r q qs; do
	printf '\n#QUERY\t%s\n' "$qs" >>"$tmp/runs"
	# shellcheck disable=SC2086
	bj $q >>"$tmp/runs" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
		fail "bounce --json $q exited $rc: $(head -n 1 "$tmp/err")"
	fi
done <"$tmp/query-runs"
results <"$tmp/runs" | awk -F'\t' '
	/^#QUERY\t/ { n = split($2, qs, "|"); next }
	{ for (i = 1; i <= n; i++) print qs[i] "\t" $1 }' >"$tmp/qkeys"
# every planned lookup lists its id (one awk, not a few processes per row)
awk -F'\t' '
	FILENAME == ARGV[1] { listed[$1 SUBSEP $2] = 1; next }
	$1 == "lookup" && !(($3 SUBSEP $2) in listed) {
		printf "(a) bounce --json %s does not list %s (%s)\n", $3, $2, $4
	}' "$tmp/qkeys" "$tmp/plan" >"$tmp/afail"
while IFS= read -r l; do fail "$l"; done <"$tmp/afail"

# ---------------------------------------------------------------- (b), (c), (d)
# check_codes FILE KIND: each line of FILE is the key of an item of KIND
check_codes()
{
	file=$1
	kind=$2
	: >"$tmp/codes-found"
	awk -v n=$split_n '{ printf "%s%s", $1, (NR % n == 0 ? "\n" : " ") } END { if (NR % n) print "" }' \
		"$file" >"$tmp/code-batches"
	while IFS= read -r batch; do
		[ -n "$batch" ] || continue
		# shellcheck disable=SC2086
		lookup "$tmp/r" $batch && cat "$tmp/r" >>"$tmp/codes-found"
	done <"$tmp/code-batches"
	# one awk decides for every code: "ok" or the code not found
	awk -F'\t' -v kind="$kind" '
		FILENAME == ARGV[1] { if ($2 == kind) found[$1] = 1; next }
		$0 == "" { next }
		{ print(($0 in found) ? "ok" : "missing\t" $0) }' "$tmp/codes-found" "$file" \
		>"$tmp/code-verdicts"
	while IFS="$(printf '\t')" read -r verdict code; do
		if [ "$verdict" = ok ]; then
			ok
		else
			fail "($3) $kind $code not found by bounce --json $code"
		fi
	done <"$tmp/code-verdicts"
}

count=$(grep -c . "$here/iana-enhanced.txt")
[ "$count" -eq 81 ] || fail "(b) iana-enhanced.txt has $count codes, want 81"
check_codes "$here/iana-enhanced.txt" enhanced b

count=$(grep -c . "$here/reply-codes.txt")
[ "$count" -eq 63 ] || fail "(c) reply-codes.txt has $count codes, want 63"
check_codes "$here/reply-codes.txt" reply c
cp "$tmp/codes-found" "$tmp/replies-found"

for code in 431 441 442 446 447 471 510 511 512 513 541 571; do
	line=$(awk -F'\t' -v k="$code" '$1 == k && $2 == "reply" { print; exit }' "$tmp/replies-found")
	if [ -z "$line" ]; then
		fail "(d) reply $code not found"
		continue
	fi
	status=$(printf '%s\n' "$line" | cut -f5)
	likely=$(printf '%s\n' "$line" | cut -f6)
	[ "$status" = non-standard ] || fail "(d) reply $code has status '$status', want non-standard"
	if [ "$likely" = - ] || [ -z "$likely" ]; then
		fail "(d) reply $code has no likely key"
	elif ! bj "$likely" >/dev/null 2>&1; then
		fail "(d) reply $code: its likely key '$likely' does not resolve"
	else
		ok
	fi
done
# and the standard codes are not marked non-standard
for code in 250 421 450 550 552 554; do
	status=$(awk -F'\t' -v k="$code" '$1 == k && $2 == "reply" { print $5; exit }' "$tmp/replies-found")
	[ "$status" = standard ] || fail "(d) reply $code has status '$status', want standard"
done

# ---------------------------------------------------------------- (e) counts
# rows per provider in the seed TSVs, and the seed's tables within them (the
# tables of later sources, *-2026.tsv and the like, are not counted here)
awk -F'\t' '
	{ n[$1]++ }
	$1 == "gmail" && $2 ~ /^4/ { gt++ }
	$1 == "gmail" && $2 ~ /^5/ { gp++ }
	$1 == "microsoft" && ($3 ~ /^5\.1\./ || $3 ~ /^5\.4\./) { ma++ }
	$1 == "microsoft" && $3 ~ /^5\.[23]\./ { mm++ }
	$1 == "microsoft" && $3 ~ /^5\.7\./ { ms++ }
	$1 == "yahoo" && $2 ~ /^4/ { yt++ }
	$1 == "yahoo" && $2 ~ /^5/ { yp++ }
	$1 == "comcast" && $4 == "-" { cs++ }
	$1 == "comcast" && $4 != "-" { cp++ }
	END {
		printf "gmail %d\nmicrosoft %d\nyahoo %d\napple %d\ncomcast %d\natt %d\n",
			n["gmail"], n["microsoft"], n["yahoo"], n["apple"], n["comcast"], n["att"]
		printf "gmail-temporary %d\ngmail-permanent %d\n", gt, gp
		printf "microsoft-address %d\nmicrosoft-mailbox %d\nmicrosoft-security %d\n", ma, mm, ms
		printf "yahoo-temporary %d\nyahoo-permanent %d\n", yt, yp
		printf "comcast-standard %d\ncomcast-proprietary %d\n", cs, cp
	}' "$tmp/seed-rows" >"$tmp/counts"
while read -r name want; do
	got=$(awk -v k="$name" '$1 == k { print $2 }' "$tmp/counts")
	if [ "$got" = "$want" ]; then
		ok
	else
		fail "(e) seed table $name: $got rows in the TSVs, want $want"
	fi
done <<EOF
gmail 42
microsoft 41
yahoo 21
apple 10
comcast 13
att 3
gmail-temporary 19
gmail-permanent 23
microsoft-address 7
microsoft-mailbox 3
microsoft-security 31
yahoo-temporary 9
yahoo-permanent 12
comcast-standard 7
comcast-proprietary 6
EOF

# the seed's reply code table (2xx 8, 3xx 2, 4xx 10, 5xx 17) is within the catalog's
for pair in 2:8 3:2 4:10 5:17; do
	cls=${pair%:*}
	want=${pair#*:}
	got=$(awk -F'\t' -v c="$cls" '$2 == "reply" && substr($1, 1, 1) == c' "$tmp/replies-found" | wc -l)
	if [ "$got" -ge "$want" ]; then
		ok
	else
		fail "(e) ${cls}xx reply codes: $got in the catalog, the seed table has $want"
	fi
done

# guide items: reputation categories 9, thresholds 4, best practices 10
for pair in impact:9 threshold:4 practice:10; do
	kind=${pair%:*}
	want=${pair#*:}
	lookup "$tmp/r" list --kind "$kind"
	got=$(awk -F'\t' -v k="$kind" '$2 == k' "$tmp/r" | wc -l)
	if [ "$got" -ge "$want" ]; then
		ok
	else
		fail "(e) bounce --json list --kind $kind: $got items, want at least $want"
	fi
done

# every provider of the seed has at least its seed rows in the catalog
for pair in gmail:42 microsoft:41 yahoo:21 apple:10 comcast:13 att:3; do
	p=${pair%:*}
	want=${pair#*:}
	lookup "$tmp/r" list --provider "$p" --kind provider-entry
	got=$(awk -F'\t' -v p="$p" '$2 == "provider-entry" && $3 == p' "$tmp/r" | wc -l)
	if [ "$got" -ge "$want" ]; then
		ok
	else
		fail "(e) bounce --json list --provider $p: $got entries, want at least $want"
	fi
done

# bounce --version
"$BOUNCE" --no-user-catalogs --version >"$tmp/version" 2>&1
line=$(grep '^Catalog:' "$tmp/version")
case $line in
*" 63 reply codes, 81 enhanced codes,"*) ok ;;
*) fail "(e) bounce --version says '$line', want 63 reply codes and 81 enhanced codes" ;;
esac

# the last line is the count of cases that tests/run.sh adds up
echo "$checks passed, $failures failed"
[ "$failures" -eq 0 ]
