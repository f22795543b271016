# Blocklists: a DNS blocklist's answer as typed (the Spamhaus error code of
# a refused resolver), a list's entries with who delists, the list by name.
"$BOUNCE" --no-user-catalogs 127.255.255.254; echo "exit=$?"
"$BOUNCE" --no-user-catalogs --brief list --provider spamhaus; echo "exit=$?"
"$BOUNCE" --no-user-catalogs spamhaus.pbl; echo "exit=$?"
"$BOUNCE" --no-user-catalogs --json spamcop.scbl | grep -o '"delist_by":"[a-z-]*"'; echo "exit=$?"
