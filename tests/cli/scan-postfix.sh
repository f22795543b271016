# bounce scan over a Postfix log written from Postfix's documented lines:
# a recipient deferred three times and then delivered counts once, as sent,
# with its deferrals as soft events; a message that expires after
# deferrals counts under the reason of its last error (Yahoo's TSS04:
# reputation, a block); our own smtpd's and cleanup's refusals are counted
# apart; connects, qmgr, cleanup, bounce, local delivery and IMAP lines are
# no deliveries; a recipient still deferred at the end is deferred.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-scan-postfix.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cp tests/data/scan/postfix.log "$tmp/mail.log" || exit 2
touch -d '2026-12-06 00:00:00' "$tmp/mail.log"
"$BOUNCE" --no-user-catalogs scan "$tmp/mail.log"
echo "exit=$?"
"$BOUNCE" --no-user-catalogs scan --json "$tmp/mail.log"
echo "exit=$?"
"$BOUNCE" --no-user-catalogs scan --csv "$tmp/mail.log"
echo "exit=$?"
