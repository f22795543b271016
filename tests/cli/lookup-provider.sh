# A provider name filters: the Gmail meaning of 5.7.30 beside the registry one.
"$BOUNCE" --no-user-catalogs gmail 5.7.30; echo "exit=$?"
