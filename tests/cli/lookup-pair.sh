# A reply code with its enhanced code, as servers send them.
"$BOUNCE" --no-user-catalogs 550 5.7.26; echo "exit=$?"
