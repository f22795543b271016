# An entry is typed as the analyzer types a diagnosis of it: a reason that
# can clear (a sending limit, a throttle, congestion) under a 5xx is a
# block, not soft, and the analysis of the same reply agrees; a full
# mailbox under 552 and an expiry stay soft.
for q in '550 5.4.5' '550 5.2.251' '552' '5.4.7'; do
	echo "== $q"
	"$BOUNCE" --no-user-catalogs "$q" | grep -E ' (HARD|SOFT|BLOCK|INFO)$' | sed 's/  */ /g'
done
"$BOUNCE" --no-user-catalogs explain --json \
	'550 5.4.5 Daily user sending limit exceeded. For more information on Gmail sending limits, go to https://support.google.com/a/answer/166852 - gsmtp' |
	sed 's/.*"reason":"\([^"]*\)","type":"\([^"]*\)".*/\1 \2/'
echo "exit=$?"
