# A message read from its decoded copy (quoted-printable "Empf=C3=A4nger")
# says so, and its evidence quotes the decoded text; a message read as it
# is (ASCII quoted-printable) has no such line.
"$BOUNCE" --no-user-catalogs explain <tests/bounces/message-de-qp-mailbox-full.txt; echo "exit=$?"
"$BOUNCE" --no-user-catalogs explain <tests/bounces/message-microsoft-ndr-recipient-not-found.txt |
	grep -c '^  Read'
# the JSON says which text the offsets index
"$BOUNCE" --no-user-catalogs explain --json <tests/bounces/message-de-qp-mailbox-full.txt |
	grep -o '"decoded":[a-z]*,"evidence":\[{"rule":"[^"]*","start":[0-9]*,"end":[0-9]*,"text":"[^"]*"'
"$BOUNCE" --no-user-catalogs explain --json '550 5.1.1 user unknown' | grep -o '"decoded":[a-z]*'
