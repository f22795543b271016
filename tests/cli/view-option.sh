# --view NAME: a view of the browser (checked, with "did you mean"), and only with the browser.
"$BOUNCE" --view provders; echo "exit=$?"
"$BOUNCE" --view nothing; echo "exit=$?"
"$BOUNCE" --view providers 5.1.1; echo "exit=$?"
"$BOUNCE" --view providers --version; echo "exit=$?"
# no terminal: the browser was asked for, so no filter mode
echo '550 5.1.1 user unknown' | "$BOUNCE" --view providers; echo "exit=$?"
"$BOUNCE" tui --view reasons </dev/null; echo "exit=$?"
"$BOUNCE" --complete views; echo "exit=$?"
