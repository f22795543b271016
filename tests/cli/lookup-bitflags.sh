# A Comcast BL code with no entry of its own is decoded from its bit flags.
"$BOUNCE" --no-user-catalogs BL000101; echo "exit=$?"
