# The words shell completion offers (bounce --complete WHAT): every option
# of --help and no other, and the lists the completion scripts ask for.
"$BOUNCE" --help | grep -o -- '--[a-z][a-z-]*' | sort -u >"$TMPDIR/help-options"
"$BOUNCE" --complete options | sort -u | diff "$TMPDIR/help-options" - && echo "options: as --help"
"$BOUNCE" --complete commands | paste -sd ' ' -
"$BOUNCE" --no-user-catalogs --complete providers | grep -cx 'yahoo\|aol\|xfinity\|gmail'
"$BOUNCE" --no-user-catalogs --complete reasons | grep -cx 'user_unknown\|mailbox_full'
"$BOUNCE" --no-user-catalogs --complete keys | grep -cx '550\|X\.1\.1\|5\.1\.1\|4\.1\.1\|TSS04\|gmail\.no_such_user'
"$BOUNCE" --complete nothing; echo "exit=$?"
