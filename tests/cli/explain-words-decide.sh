# The words decide: Gmail's older wordings came with other codes (its DKIM
# rejection under 550 5.7.28 in 2024, its 50-hop loop under 554 5.6.0), and
# the diagnosis takes the entry its sentence names, not the codes' entry.
for t in '554 5.6.0 Message exceeded 50 hops, this may indicate a mail loop. For more information, go to Gmail Help. - gsmtp' \
	'550 5.7.28 This mail has been blocked because DKIM does not pass. Gmail requires all large senders to authenticate with DKIM. Authentication results: DKIM = did not pass. For instructions on setting up DKIM authentication, go to Turn on DKIM for your domain. - gsmtp'; do
	printf '%s\n' "$t" | "$BOUNCE" --no-user-catalogs explain --json |
		sed 's/.*"reason":"\([^"]*\)".*"entries":\[\([^]]*\)\].*/reason \1 entries \2/'
done
