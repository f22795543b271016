# bounce scan reads the delivery lines of Exim (its own log), Sendmail,
# qmail (multilog; a delivery number is matched to its recipient by its
# "starting delivery" line) and Exchange's message tracking log (CSV):
# each log holds a recipient delivered, one deferred and then delivered,
# one refused for good and, where the MTA logs them, a refusal by our own
# server, written from the MTAs' documented formats.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-scan-mtas.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
for mta in exim sendmail qmail exchange; do
	cp "tests/data/scan/$mta.log" "$tmp/$mta.log" || exit 2
	touch -d '2026-12-06 00:00:00' "$tmp/$mta.log"
	echo "== $mta"
	"$BOUNCE" --no-user-catalogs scan --json "$tmp/$mta.log" |
		grep -E '"record":"(scan|total|domain|refusal|code|fix)"' |
		sed 's/,"rates".*//; s/,"summary".*//'
done
