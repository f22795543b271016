# A marker of place "id" (Gmail's "si") counts only inside a token of a
# transaction id's shape, its evidence is the whole token, and the
# provider's "Recognised by" says where it counts.
for t in '550 5.7.1 Message rejected by policy. xp1si7533737lbb.14' \
	'550 5.7.1 Message rejected by policy. xp1si7533737lbb.14.' \
	'550 5.1.1 unknown user at host mx-si12345ab.example.net[192.0.2.26]' \
	'550 5.7.1 see mx1si1234567ab.12.example.org or absi1234567 for the single sign-on policy' \
	'550 5.7.1 rejected, see https://help.example.net/x1si1234567ab.12'; do
	"$BOUNCE" --no-user-catalogs --json explain "$t" |
		sed -n 's/.*"provider":\([^,]*\),.*/provider=\1/p'
	"$BOUNCE" --no-user-catalogs --json explain "$t" |
		grep -o '"rule":"marker:gmail","start":[0-9]*,"end":[0-9]*,"text":"[^"]*"'
done
"$BOUNCE" --no-user-catalogs --json gmail | grep -o 'si (inside its transaction ids)'
