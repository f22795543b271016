# One JSON policy for every output: lookups, search and list escape C1
# controls and the invisible and bidi code points (\u009b, \u202e, \u200b)
# as explain --json does, from the list the terminal sanitizer uses (U+061C
# and the tag characters too), and write valid UTF-8 whatever the input (a
# file name that is not UTF-8 becomes U+FFFD). test_jsonw checks the
# explain --json writer against the same list.
d=$(mktemp -d)
h=$TESTDATA/hostile-tui.xml
for args in "evil.quota" "search hostile" "list --provider evil"; do
	# shellcheck disable=SC2086
	"$BOUNCE" --no-user-catalogs --catalog "$h" --json $args >"$d/out"
	echo "$args: $(grep -o '"title":"Over quota[^"]*"' "$d/out" | head -n 1)," \
		"bytes beyond ASCII: $(LC_ALL=C tr -d '\000-\177' <"$d/out" | wc -c)"
done
cp "$TESTDATA/valid-override.xml" "$d/$(printf 'over\377ride.xml')"
"$BOUNCE" --no-user-catalogs --catalog "$d/$(printf 'over\377ride.xml')" --json gmail.no_such_user |
	grep -o '"catalogs":\[[^]]*\]' | sed "s|$d|DIR|g"
rm -rf "$d"
