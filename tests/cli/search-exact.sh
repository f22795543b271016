# A code searched for: its own entry first, then registry codes, then
# provider entries.
"$BOUNCE" --no-user-catalogs search --limit 3 5.1.1; echo "exit=$?"
"$BOUNCE" --no-user-catalogs search --limit 3 5.7.1; echo "exit=$?"
"$BOUNCE" --no-user-catalogs search --limit 3 TSS04; echo "exit=$?"
