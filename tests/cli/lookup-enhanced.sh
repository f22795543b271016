# An enhanced code: the registry meaning in class 5, then who sends it.
"$BOUNCE" --no-user-catalogs 5.1.1; echo "exit=$?"
