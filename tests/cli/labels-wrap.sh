# Every field wraps under its label at any width, long labels too ("Server
# says", "As 5.7.26", "Also (RFC ...)", "Recognised by"), and the heading's
# badge: no line is wider than COLUMNS unless its last word (a URL, a long
# key) would not fit on a line of its own either.
for w in 40 60 80 100; do
	for q in 'gmail 5.7.26' 550 provider:outlook 'microsoft 5.7.606'; do
		COLUMNS=$w "$BOUNCE" --no-user-catalogs --full $q |
			awk -v w=$w -v q="$q" '{ n = split($0, word, " ") }
			     length($0) > w && n > 1 && length(word[n]) <= w - 13 {
				print w " " q ": too long: " $0 }'
	done
done
COLUMNS=60 "$BOUNCE" --no-user-catalogs gmail.no_such_user | grep -A2 'Server says'
echo "exit=$?"
