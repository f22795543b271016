# A phrase with gaps ("..." a few words of one clause, "<n>" a number),
# from a user catalog: it matches across the words between its parts, not
# across a clause or past the gap's length, and its evidence is the whole span.
cat >"$TMPDIR/gaps.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<catalog version="1">
  <analysis>
    <phrases lang="en" name="English">
      <phrase id="en.test_gap_words" reason="mailbox_inactive" weight="9">the widget ... is asleep</phrase>
      <phrase id="en.test_gap_number" reason="expired" weight="9">waited &lt;n&gt; fortnights</phrase>
      <phrase id="en.test_gap_open" reason="user_unknown" weight="9">... opens with a gap</phrase>
    </phrases>
  </analysis>
</catalog>
XML
for t in 'the widget of kim@example.com is asleep' \
	'the widget said: kim is asleep' \
	'the widget of a very long list of words that goes on and on past the limit of the gap is asleep' \
	'the widgetry is asleep' \
	'we waited 12 fortnights' \
	'we waited many fortnights' \
	'it ... opens with a gap'; do
	"$BOUNCE" --no-user-catalogs --catalog "$TMPDIR/gaps.xml" explain --json "$t" |
		grep -o '"reason":"[a-z_]*"\|"rule":"phrase:[^"]*","start":[0-9]*,"end":[0-9]*'
	echo "--"
done
