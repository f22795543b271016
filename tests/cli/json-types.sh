# One JSON type per member: "detail" and "detail_max" are numbers (a range
# has both ends), "action" is the id explain --json gives, "action_text"
# the words; shown for the first result of each lookup.
for q in microsoft.banned_sending_ip 4.2.2 5.2.2 BL000101; do
	json=$("$BOUNCE" --no-user-catalogs --json $q) || echo "exit=$?"
	for m in key detail detail_max action action_text; do
		printf '%s ' "$(printf '%s\n' "$json" | grep -o "\"$m\":[^,]*" | head -n 1)"
	done
	echo
done
"$BOUNCE" --no-user-catalogs explain --json '452 4.2.2 mailbox full' | grep -o '"action":[^,]*'
