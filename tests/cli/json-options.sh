# --json before or after the arguments gives the same single JSON document.
a=$("$BOUNCE" --no-user-catalogs --json TSS04); echo "exit=$?"
b=$("$BOUNCE" --no-user-catalogs TSS04 --json); echo "exit=$?"
[ "$a" = "$b" ] && echo same || echo different
printf '%s\n' "$a"
