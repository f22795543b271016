# Bad input to bounce scan: a clear message, a report of what could be
# read, and exit 2 only where nothing could: a truncated gzip (its whole
# lines count), a binary file, a line of 100 MB, a log of an MTA this does
# not read, a file that is missing, an empty file.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-scan-bad.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cp tests/data/scan/postfix.log "$tmp/mail.log" || exit 2
gzip -cn "$tmp/mail.log" >"$tmp/full.gz"
head -c "$(($(wc -c <"$tmp/full.gz") * 2 / 3))" "$tmp/full.gz" >"$tmp/mail.log.1.gz"
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\003\000>\000' >"$tmp/a.out"
head -c 4096 /dev/urandom >>"$tmp/a.out"
{
	head -n 8 "$tmp/mail.log"
	head -c 104857600 /dev/zero | tr '\0' 'x'
	echo
	sed -n '9,$p' "$tmp/mail.log"
} >"$tmp/long.log"
printf '%s\n' '2026-12-05T10:00:00+00:00 mx1 mymta[12]: queued message 42 for bob@example.net' \
	'2026-12-05T10:00:01+00:00 mx1 mymta[12]: handed message 42 to mx.example.net' >"$tmp/other.log"
: >"$tmp/empty.log"
touch -d '2026-12-06 00:00:00' "$tmp"/*
sum()
{
	sed "s|$tmp|TMP|g" | grep -v '^  \|^$' | sed -n '1,3p'
}
echo "== truncated gzip"
"$BOUNCE" --no-user-catalogs scan "$tmp/mail.log.1.gz" 2>&1 | sum
"$BOUNCE" --no-user-catalogs scan "$tmp/mail.log.1.gz" >/dev/null 2>&1; echo "exit=$?"
echo "== a binary file alone"
"$BOUNCE" --no-user-catalogs scan "$tmp/a.out" 2>&1 | sum
"$BOUNCE" --no-user-catalogs scan "$tmp/a.out" >/dev/null 2>&1; echo "exit=$?"
echo "== a binary file beside a log"
"$BOUNCE" --no-user-catalogs scan "$tmp/a.out" "$tmp/mail.log" 2>&1 | sum
"$BOUNCE" --no-user-catalogs scan "$tmp/a.out" "$tmp/mail.log" >/dev/null 2>&1; echo "exit=$?"
echo "== a line of 100 MB"
"$BOUNCE" --no-user-catalogs scan --json "$tmp/long.log" 2>&1 | sed "s|$tmp|TMP|g" | grep -v '"record":"\(provider\|domain\|reason\|refusal\|point\|code\|fix\)"' | sed 's/,"rates".*//'
echo "== an MTA this does not read"
"$BOUNCE" --no-user-catalogs scan "$tmp/other.log" 2>&1 | sum
"$BOUNCE" --no-user-catalogs scan "$tmp/other.log" >/dev/null 2>&1; echo "exit=$?"
echo "== a missing file beside a log"
"$BOUNCE" --no-user-catalogs scan "$tmp/missing.log" "$tmp/mail.log" 2>&1 | sum
"$BOUNCE" --no-user-catalogs scan "$tmp/missing.log" "$tmp/mail.log" >/dev/null 2>&1; echo "exit=$?"
echo "== only a missing file"
"$BOUNCE" --no-user-catalogs scan "$tmp/missing.log" 2>&1 | sum
"$BOUNCE" --no-user-catalogs scan "$tmp/missing.log" >/dev/null 2>&1; echo "exit=$?"
echo "== an empty file"
"$BOUNCE" --no-user-catalogs scan "$tmp/empty.log" 2>&1 | sum
"$BOUNCE" --no-user-catalogs scan "$tmp/empty.log" >/dev/null 2>&1; echo "exit=$?"
