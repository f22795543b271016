# In the C locale (a terminal that does not read UTF-8) the sanitizer lets
# only ASCII through: U+011B is C4 9B in UTF-8, and 0x9B alone is CSI there.
# Catalog text is shown as <U+011B>, invalid bytes as \xNN, on the command
# line and in the browser; the same run in C.UTF-8 shows the characters.
d=$(mktemp -d)
printf '<?xml version="1.0" encoding="UTF-8"?>\n<catalog version="1" name="t">\n<providers>\n<provider id="cloc" name="C Locale"><meaning>m</meaning><source>s</source></provider>\n</providers>\n<codes>\n<entry id="cloc.e1" provider="cloc" reply="550" title="Ch\304\233ck \303\251t\303\251 \302\233" status="observed"><text>t</text><meaning>m</meaning><source>s</source></entry>\n</codes>\n</catalog>\n' >"$d/c.xml"
LC_ALL=C "$BOUNCE" --no-user-catalogs --catalog "$d/c.xml" cloc.e1 | head -n 1
LC_ALL=C.UTF-8 "$BOUNCE" --no-user-catalogs --catalog "$d/c.xml" cloc.e1 | head -n 1
printf '3\n/cloc\n<Enter>\n:dump search\n' >"$d/keys"
LC_ALL=C TERM=dumb LINES=24 COLUMNS=80 "$BOUNCE" --no-user-catalogs --catalog "$d/c.xml" \
	--script "$d/keys" | grep -a 'cloc.e1\|Ch' | head -n 3
echo "bytes 0x80-0xff in the C locale's output: $(
	{ LC_ALL=C "$BOUNCE" --no-user-catalogs --catalog "$d/c.xml" cloc.e1
	  LC_ALL=C TERM=dumb "$BOUNCE" --no-user-catalogs --catalog "$d/c.xml" --script "$d/keys"; } |
	LC_ALL=C tr -d '\000-\177' | wc -c)"
rm -rf "$d"
