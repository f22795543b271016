# Colour: never on a pipe by default, on with --color=always, off with NO_COLOR.
"$BOUNCE" --no-user-catalogs --brief 4.2.2 | cat -v
"$BOUNCE" --no-user-catalogs --brief --color=always 4.2.2 | cat -v | head -n 2
NO_COLOR=1 "$BOUNCE" --no-user-catalogs --brief 4.2.2 | cat -v | head -n 1
