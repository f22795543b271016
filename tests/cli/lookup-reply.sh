# A bare reply code: the RFC meaning in full, provider replies as lines.
"$BOUNCE" --no-user-catalogs 550; echo "exit=$?"
