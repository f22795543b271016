# The index cache of overlays: written at the first start, read at the next, replaced when the overlay changed or the cache file is damaged; --no-cache; a cache directory that cannot be made is silent.
XDG_CACHE_HOME=$TMPDIR/cache
export XDG_CACHE_HOME
over=$TMPDIR/over.xml
cp "$TESTDATA/valid-override.xml" "$over" || exit 1
# bounce --version's catalogs and cache, with the temporary directory and the file's hash hidden
v()
{
	"$BOUNCE" --no-user-catalogs --catalog "$over" --version "$@" 2>&1 |
		grep -Ev '^(bounce |Copyright|Catalog:)' |
		sed -e "s|$TMPDIR|TMP|g" -e 's|index-[0-9a-f]\{16\}\.db|index-HASH.db|'
}
echo "--- first start"
v
echo "--- next start"
v
echo "--- the same answer either way"
"$BOUNCE" --no-user-catalogs --catalog "$over" gmail.no_such_user >"$TMPDIR/hit" 2>&1
"$BOUNCE" --no-user-catalogs --catalog "$over" --no-cache gmail.no_such_user >"$TMPDIR/cold" 2>&1
cmp "$TMPDIR/hit" "$TMPDIR/cold" && grep -c 'Overlay title' "$TMPDIR/hit"
echo "--- the overlay touched"
touch -m -d "@$(($(stat -c %Y "$over") + 1))" "$over"
v
v
echo "--- the cache file damaged"
f=$(ls "$XDG_CACHE_HOME"/bounce/index-*.db)
printf 'xxxxxxxxxxxxxxxx' | dd of="$f" bs=1 seek=40 conv=notrunc 2>/dev/null
v
v
echo "--- --no-cache reads and writes nothing"
XDG_CACHE_HOME=$TMPDIR/other v --no-cache
ls "$TMPDIR/other" 2>&1 | sed "s|$TMPDIR|TMP|"
echo "--- a cache directory that cannot be made: still works, silently"
: >"$TMPDIR/a-file"
XDG_CACHE_HOME=$TMPDIR/a-file "$BOUNCE" --no-user-catalogs --catalog "$over" gmail.no_such_user 2>&1 |
	cmp - "$TMPDIR/cold" && echo "same answer, nothing on stderr"
XDG_CACHE_HOME=$TMPDIR/a-file v
echo "--- the built-in catalog alone: no cache file"
XDG_CACHE_HOME=$TMPDIR/alone "$BOUNCE" --no-user-catalogs --version | grep -c '^Cache'
ls "$TMPDIR/alone" 2>&1 | sed "s|$TMPDIR|TMP|"
echo "--- an overlay's phrase from the cache: the analyzer is built from the cached index, not the built-in one"
cat >"$TMPDIR/phrase.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<catalog version="1">
  <analysis>
    <phrases lang="en" name="English">
      <phrase id="test.cached_phrase" reason="user_unknown" weight="8">zorblax mailbox quux</phrase>
    </phrases>
  </analysis>
</catalog>
XML
XDG_CACHE_HOME=$TMPDIR/phrase
for run in cold warm; do
	printf '%s: ' "$run"
	"$BOUNCE" --no-user-catalogs --catalog "$TMPDIR/phrase.xml" --json explain '550 zorblax mailbox quux' |
		grep -o '"reason":"[a-z_]*"'
done
"$BOUNCE" --no-user-catalogs --catalog "$TMPDIR/phrase.xml" --version | grep -c '^Cache: *read'
