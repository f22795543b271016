# An overlay found in $XDG_DATA_HOME/bounce with an error is refused whole
# and named with file:line on stderr (and on the browser's status line);
# the other overlays load and the command runs. The same file named with
# --catalog is an error, exit 2.
d=$(mktemp -d)
mkdir "$d/bounce"
cp "$TESTDATA/valid-override.xml" "$d/bounce/b-good.xml"
cat >"$d/bounce/a-bad.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<catalog version="1" name="broken overlay">
  <codes>
    <reply code="591" title="A reply" status="non-standard" rfc="none"><meaning>m</meaning></reply>
    <reply code="591" title="Again" status="non-standard" rfc="none"><meaning>m</meaning></reply>
  </codes>
</catalog>
XML
export XDG_DATA_HOME="$d"
{ "$BOUNCE" gmail.no_such_user | head -n 1; } 2>&1 | sed "s|$d|DIR|g"
{ "$BOUNCE" 591; echo "exit=$?"; } 2>&1 | sed "s|$d|DIR|g"
printf ':dump start\n' >"$d/keys"
TERM=dumb COLUMNS=200 "$BOUNCE" --script "$d/keys" 2>/dev/null | grep -o 'overlay skipped: .*a-bad\.xml:5:' |
	sed "s|$d|DIR|g"
{ "$BOUNCE" --catalog "$d/bounce/a-bad.xml" 550; echo "exit=$?"; } 2>&1 | sed "s|$d|DIR|g"
rm -rf "$d"
