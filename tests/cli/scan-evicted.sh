# bounce scan with a table of one deferred recipient (--max-open 1): a
# recipient evicted from it and then delivered (Postfix's fast path),
# bounced (an analyzed line), deferred again, or expired by its queue id
# (qmgr's "status=expired" names no recipient) counts once, so the report
# is the one of a table that never fills, but for "evicted" and "open".
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-scan-evicted.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cp tests/data/scan/evicted.log "$tmp/mail.log" || exit 2
touch -d '2026-12-06 00:00:00' "$tmp/mail.log"
"$BOUNCE" --no-user-catalogs scan --max-open 1 "$tmp/mail.log"
echo "exit=$?"
"$BOUNCE" --no-user-catalogs scan --json "$tmp/mail.log" >"$tmp/all.json"
echo "exit=$?"
"$BOUNCE" --no-user-catalogs scan --max-open 1 --json "$tmp/mail.log" >"$tmp/one.json"
echo "exit=$?"
diff "$tmp/all.json" "$tmp/one.json" | sed 's/,"other":.*//'
