# bounce scan reads Microsoft 365 message trace exports by their header
# row, whatever the order of the columns: Get-MessageTrace piped to
# Windows PowerShell's Export-Csv (a "#TYPE" line, every field quoted, US
# dates, a status per recipient), Get-MessageTraceDetail's rows (an event
# and the server's reply in Detail) and the historical search's extended
# report, as UTF-8, UTF-8 with a byte order mark and UTF-16LE with one
# (as Exchange writes it), plain and gzip'd; a detail export whose replies
# run over several lines inside their quotes (RFC 4180), and the enhanced
# summary report, whose recipient_status names each recipient with the
# events of its message ("ann@example.net##Receive, Send;..."). Written
# from the documented column names and status values.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-scan-m365.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
show()
{
	grep -E '"record":"(scan|total|domain|refusal|code|fix)"' | sed 's/,"rates".*//; s/,"summary".*//'
}
for f in trace detail extended multiline summary; do
	echo "== $f"
	"$BOUNCE" --no-user-catalogs scan --json "$TESTDATA/scan/m365-$f.csv" | show
done
# the same rows in the encodings Exchange and PowerShell write
printf '\357\273\277' >"$tmp/bom8.csv"
cat "$TESTDATA/scan/m365-extended.csv" >>"$tmp/bom8.csv"
printf '\377\376' >"$tmp/utf16.csv"
iconv -f UTF-8 -t UTF-16LE "$TESTDATA/scan/m365-extended.csv" >>"$tmp/utf16.csv" || exit 2
gzip -c "$tmp/utf16.csv" >"$tmp/utf16.csv.gz"
"$BOUNCE" --no-user-catalogs scan --json "$TESTDATA/scan/m365-extended.csv" >"$tmp/plain"
for f in bom8.csv utf16.csv utf16.csv.gz; do
	"$BOUNCE" --no-user-catalogs scan --json "$tmp/$f" >"$tmp/out"
	echo "$f: exit=$?"
	cmp -s "$tmp/plain" "$tmp/out" && echo "$f: the report of the UTF-8 file"
done
cat "$tmp/utf16.csv" | "$BOUNCE" --no-user-catalogs scan --json - | cmp -s "$tmp/plain" - &&
	echo "utf16 on a pipe: the report of the UTF-8 file"
# the text report names the Microsoft block first
"$BOUNCE" --no-user-catalogs scan "$TESTDATA/scan/m365-detail.csv" | sed -n '/^Fix first/,/^$/p'
