# Numbers keep their '.' in any locale: only the locale's character set is
# used (LC_CTYPE). Under a German LC_NUMERIC, printf's %.2f writes 37,50,
# which broke the JSON ("percent":37,50) and the CSV columns of scan.
d=$(mktemp -d)
if ! localedef -i de_DE -f UTF-8 "$d/de_DE.UTF-8" >/dev/null 2>&1; then
	echo "cannot build the de_DE.UTF-8 locale with localedef (configure --install-deps installs locales)"
fi
# three bounced and five delivered: a hard-bounce rate of 37.50%
for i in 1 2 3 4 5 6 7 8; do
	printf 'Mar  3 10:0%d:00 mx1 postfix/smtp[100]: ABC%d: to=<u%d@example.com>, ' "$i" "$i" "$i"
	printf 'relay=mx.example.com[192.0.2.1]:25, delay=1, delays=0/0/0/1, '
	if [ "$i" -le 3 ]; then
		printf 'dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 '
		printf '<u%d@example.com>: Recipient address rejected: User unknown ' "$i"
		printf '(in reply to RCPT TO command))\n'
	else
		printf 'dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 12%d)\n' "$i"
	fi
done >"$d/mail.log"
LOCPATH=$d LC_ALL=de_DE.UTF-8 "$BOUNCE" --no-user-catalogs scan --json "$d/mail.log" |
	grep -o '"percent":[0-9.,]*' | sort | uniq -c
LOCPATH=$d LC_ALL=de_DE.UTF-8 "$BOUNCE" --no-user-catalogs scan --csv "$d/mail.log" |
	grep '^total,'
rm -rf "$d"
