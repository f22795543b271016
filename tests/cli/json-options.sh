# --json before or after the arguments gives the same single JSON document.
a=$("$BOUNCE" --no-user-catalogs --json TSS04); echo "exit=$?"
b=$("$BOUNCE" --no-user-catalogs TSS04 --json); echo "exit=$?"
[ "$a" = "$b" ] && echo same || echo different
# the entry's line in the built-in catalog moves when lines are added above it
printf '%s\n' "$a" | sed 's/"line":[0-9]*,/"line":N,/'

