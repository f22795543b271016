# explain --format tsv: the same eleven tab-separated columns on every line,
# "-" for none, so that awk's default split gives the same fields as -F'\t'.
printf '%s\n' \
	'550 5.1.1 <a@example.com>: Recipient address rejected: User unknown' \
	'421 4.7.0 [TSS04] Messages from 203.0.113.5 temporarily deferred due to user complaints' \
	'nothing to see here' \
	'550 5.2.2 <b@example.org>: mailbox full' >"$TMPDIR/in.log"
"$BOUNCE" --no-user-catalogs explain --lines --format tsv "$TMPDIR/in.log"; echo "exit=$?"
"$BOUNCE" --no-user-catalogs explain --lines --format tsv "$TMPDIR/in.log" |
	awk -F'\t' '{ t = NF } { n = split($0, w, " ") } t != 11 || n != 11 { print "bad: " $0 }
	     END { print NR " rows" }'
"$BOUNCE" --no-user-catalogs explain --format tsv '550 5.1.1 <a@example.com>: User unknown' |
	awk '{ print $1, $3, $4, $10 }'
"$BOUNCE" --no-user-catalogs --format tsv 550; echo "exit=$?"
