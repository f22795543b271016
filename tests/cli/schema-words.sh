# Schema errors say which element and attribute is wrong in our words, not
# libxml2's ("Element reply failed to validate attributes", "Did not expect
# element marker there" for a marker whose strength is wrong).
d=$(mktemp -d)
head='<?xml version="1.0" encoding="UTF-8"?>
<catalog version="1">'
one()
{
	printf '%s\n%s\n</catalog>\n' "$head" "$2" >"$d/$1.xml"
	"$BOUNCE" --no-user-catalogs --catalog "$d/$1.xml" 550 2>&1 | sed "s|$d/||"
}
one unknown-attr '<codes><reply code="591" title="t" status="non-standard" rfc="none" colour="red"><meaning>m</meaning></reply></codes>'
one missing-attr '<codes><reply code="591" status="non-standard" rfc="none"><meaning>m</meaning></reply></codes>'
one bad-value '<codes><reply code="591" title="t" status="weird" rfc="none"><meaning>m</meaning></reply></codes>'
one unknown-element '<codes><reply code="591" title="t" status="non-standard" rfc="none"><meaning>m</meaning><bogus/></reply></codes>'
one bad-marker '<providers><provider id="x" name="X"><meaning>m</meaning><marker where="text" strength="huge">x</marker></provider></providers>'
rm -rf "$d"
