# --exit-action on a pasted block of log lines: the first line with
# something to do decides (a refusal by our server and lines of no
# delivery have nothing; the bounced delivery says suppress, 10); a block
# with nothing to do exits 0.
"$BOUNCE" --no-user-catalogs explain --exit-action "$(cat tests/bounces/log-block-postfix.txt)" >/dev/null
echo "exit=$?"
"$BOUNCE" --no-user-catalogs explain --exit-action "$(head -n 3 tests/bounces/log-block-postfix.txt)" >/dev/null
echo "exit=$?"
