# A Yahoo tag, in brackets and lower case as pasted.
"$BOUNCE" --no-user-catalogs "[tss04]"; echo "exit=$?"
