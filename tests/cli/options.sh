# Options as the synopsis and bounce(1) write them: short flags together
# (-jV), "--color always" with a space, and no colour on a terminal whose
# TERM is dumb (script(1) gives the command a terminal).
"$BOUNCE" --no-user-catalogs -jV | head -n 1; echo "exit=$?"
"$BOUNCE" --no-user-catalogs -hj | head -n 1; echo "exit=$?"
"$BOUNCE" --no-user-catalogs --brief --color always 4.2.2 | cat -v | head -n 1
"$BOUNCE" --no-user-catalogs --brief --color never 4.2.2 | cat -v | head -n 1
"$BOUNCE" --no-user-catalogs -jx 550; echo "exit=$?"
if command -v script >/dev/null 2>&1; then
	for t in dumb xterm; do
		TERM=$t script -qec "'$BOUNCE' --no-user-catalogs --no-pager --brief 4.2.2" /dev/null |
			tr -d '\r' | cat -v | head -n 1
	done
else
	echo "note: script(1) is absent; the TERM=dumb case was not run"
fi
