# Full-text search: every word as a prefix, ranked.
"$BOUNCE" --no-user-catalogs search mailbox full; echo "exit=$?"
