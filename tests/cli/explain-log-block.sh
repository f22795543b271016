# A pasted block of log lines (as an argument and on standard input) is
# explained line by line: each line its own diagnosis, headed by its
# number; lines of no delivery read as such, never as unknown (exit 0).
"$BOUNCE" --no-user-catalogs explain "$(cat tests/bounces/log-block-exim.txt)"; echo "exit=$?"
"$BOUNCE" --no-user-catalogs explain --json <tests/bounces/log-block-postfix.txt |
	grep -o '"input":null,"event":"[a-z_]*"' | sort | uniq -c
# more lines than one input is explained for: the first 1024, and a note
awk '{ for (i = 0; i < 90; i++) print }' tests/bounces/log-block-postfix.txt |
	"$BOUNCE" --no-user-catalogs explain --json 2>&1 >/dev/null; echo "exit=$?"
awk '{ for (i = 0; i < 90; i++) print }' tests/bounces/log-block-postfix.txt |
	"$BOUNCE" --no-user-catalogs explain --json 2>/dev/null | wc -l
