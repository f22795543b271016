# 5.7.620 lies inside the Microsoft range 5.7.606-649.
"$BOUNCE" --no-user-catalogs 5.7.620; echo "exit=$?"
