# Transient mailbox codes.
"$BOUNCE" --no-user-catalogs list --class 4 --subject 2; echo "exit=$?"
