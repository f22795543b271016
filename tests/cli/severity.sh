# One rule rates entries and diagnoses (the browser draws the same words):
# a refusal of the sender is BLOCK even under 5xx, a full mailbox SOFT even
# when refused for good, and the Severity field says why.
"$BOUNCE" --no-user-catalogs 5.7.26 | sed -n '1,5p'; echo "exit=$?"
"$BOUNCE" --no-user-catalogs 5.2.2 | sed -n '1,5p'; echo "exit=$?"
"$BOUNCE" --no-user-catalogs explain '550 5.2.2 <bob@example.com>: mailbox full' | sed -n '1,5p'
echo "exit=$?"
