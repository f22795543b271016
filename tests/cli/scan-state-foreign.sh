# bounce scan --state FILE where FILE is not a state of ours: a text file,
# another program's SQLite database (bounce's own --export-db), a directory,
# an empty file (made a state when a scan creates it, refused by --why),
# a missing file for --why and --merge; and the options' usage errors. A
# refused file is left as it was.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-foreign.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
printf 'Dec  5 05:00:01 mx1 postfix/smtp[1234]: 4A0001: to=<gone@example.com>, relay=mx.example.com[192.0.2.10]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.10] said: 550 5.1.1 User unknown (in reply to RCPT TO command))\n' >mail.log
echo 'Not a database.' >text.db
"$BOUNCE" --no-user-catalogs --export-db catalog.db || exit 2
md5sum text.db catalog.db >before
mkdir dir.db
: >empty.db
scan() {
	"$BOUNCE" --no-user-catalogs scan --no-progress "$@" >/dev/null
	echo "exit $?"
}
scan --state text.db mail.log
scan --state catalog.db mail.log
scan --state dir.db mail.log
scan --suppress dir.db mail.log
"$BOUNCE" --no-user-catalogs scan --state empty.db --why gone@example.com
echo "exit $?"
"$BOUNCE" --no-user-catalogs scan --state missing.db --why gone@example.com
echo "exit $?"
"$BOUNCE" --no-user-catalogs scan --merge text.db missing.db --state merged.db
echo "exit $?"
"$BOUNCE" --no-user-catalogs scan --merge missing.db --state merged.db
echo "exit $?"
md5sum -c --quiet before && echo "text.db and catalog.db unchanged"
scan --state empty.db mail.log
"$BOUNCE" --no-user-catalogs scan --state empty.db --why gone@example.com | sed -n 2p
echo "--- usage"
"$BOUNCE" --no-user-catalogs scan --why gone@example.com
echo "exit $?"
"$BOUNCE" --no-user-catalogs scan --state empty.db --why gone@example.com mail.log
echo "exit $?"
"$BOUNCE" --no-user-catalogs scan --state empty.db --why gone@example.com --merge empty.db
echo "exit $?"
scan --soft-limit 3 mail.log
scan --soft-limit 0 --suppress x.txt mail.log
scan --soft-limit many --suppress x.txt mail.log
"$BOUNCE" --no-user-catalogs --suppress x.txt 5.1.1 >/dev/null
echo "exit $?"
