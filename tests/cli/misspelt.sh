# A slip in a provider's name or a command is an error that names what was
# meant; other words a lookup cannot read are said to be ignored; an empty
# query and a file name given to explain are errors that say what to do.
"$BOUNCE" --no-user-catalogs yahooo 421; echo "exit=$?"
"$BOUNCE" --no-user-catalogs 421 GMIAL; echo "exit=$?"
"$BOUNCE" --no-user-catalogs explian '550 5.1.1 <a@example.com>: Recipient address rejected'; echo "exit=$?"
"$BOUNCE" --no-user-catalogs serach mailbox; echo "exit=$?"
"$BOUNCE" --no-user-catalogs --brief 550 5.1.1 Recipient address rejected; echo "exit=$?"
"$BOUNCE" --no-user-catalogs ''; echo "exit=$?"
"$BOUNCE" --no-user-catalogs ' , '; echo "exit=$?"
cd "$TESTDATA" || exit 1
"$BOUNCE" --no-user-catalogs explain valid-words.xml; echo "exit=$?"
