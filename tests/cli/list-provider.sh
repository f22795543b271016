# Everything one provider sends.
"$BOUNCE" --no-user-catalogs list --provider yahoo; echo "exit=$?"
