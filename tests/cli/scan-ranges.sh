# A plain log file is read by the worker threads by ranges of bytes, its
# gzip in one stream: over a generated day with lines longer than the
# 64 KiB read of a line (one whose rest runs over several ranges), CR LF
# endings, empty lines and no newline at its end, both give the same
# report, the same count of long lines and the same saved lines with their
# numbers, with 1, 2 and 3 threads.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-scan-ranges.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
XDG_STATE_HOME=$tmp/state
export XDG_STATE_HOME
sh tests/scan/genday.sh 3000 >"$tmp/day.log" || exit 2
# every 97th line a CR before its newline, every 89th an empty line after
# it, and lines made longer by 65535, 65537, 140000 and 400000 bytes
awk 'BEGIN {
	n = split("65535 65537 140000 400000 70001 131073", len, " ")
	for (x = "x"; length(x) < 400000; x = x x)
		;
}
{
	line = $0
	if (NR % 97 == 0)
		line = line "\r"
	if (NR % 401 == 0) {
		line = line " " substr(x, 1, len[(NR / 401) % n + 1])
	}
	printf "%s\n", line
	if (NR % 89 == 0)
		printf "\n"
}' "$tmp/day.log" >"$tmp/mail.log"
# the last line without its newline
printf '%s' "$(tail -n 1 "$tmp/day.log")" >>"$tmp/mail.log"
gzip -c "$tmp/mail.log" >"$tmp/mail.log.gz" || exit 2
touch -d '2026-12-06 00:00:00' "$tmp/mail.log" "$tmp/mail.log.gz"
echo "$(wc -c <"$tmp/mail.log") bytes"
cd "$tmp" || exit 2
# the saved lines and counts, the file's name and the time of the scan put aside
saved()
{
	sed '/^[TFN] [0-9]* [0-9]*$/{N;d;}' state/bounce/last-scan
}
"$BOUNCE" --no-user-catalogs scan --json --threads 1 mail.log.gz >one.json 2>one.err
echo "exit=$?"
cat one.err
saved >one.saved
grep -c '^L ' one.saved
for t in 1 2 3; do
	"$BOUNCE" --no-user-catalogs scan --json --threads $t mail.log >ranges.json 2>ranges.err
	a=$?
	sed 's/mail\.log:/mail.log.gz:/' ranges.err | cmp -s - one.err &&
		cmp -s ranges.json one.json && saved | cmp -s - one.saved &&
		echo "threads $t: the same, exit $a" || {
		echo "threads $t: differs, exit $a"
		cat ranges.err
		saved | diff one.saved - | head -n 5
	}
done
