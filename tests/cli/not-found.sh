# Nothing matches: exit 1 and a hint.
"$BOUNCE" --no-user-catalogs 9.9.9; echo "exit=$?"; "$BOUNCE" --no-user-catalogs search zzzqqqxx; echo "exit=$?"
