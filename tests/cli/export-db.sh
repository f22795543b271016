# --export-db writes the index as a SQLite file, atomically (no temp file left).
d=$(mktemp -d)
"$BOUNCE" --no-user-catalogs --export-db "$d/index.db"; echo "exit=$?"
head -c 15 "$d/index.db"; echo
ls "$d"
{ "$BOUNCE" --no-user-catalogs --export-db "$d"; echo "exit=$?"; } 2>&1 | sed "s|$d|DIR|g"
ls "$d"
ls "$d".tmp* 2>/dev/null
rm -rf "$d"
