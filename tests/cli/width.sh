# Output is wrapped to COLUMNS when stdout is not a terminal; only a single
# word longer than the line (a URL, a Microsoft diagnostic) may overflow it.
COLUMNS=60 "$BOUNCE" --no-user-catalogs X.2.2 |
	awk '{ line = $0; sub(/^ +/, "", line) }
	     length($0) > 60 && line ~ / / { print "too long: " $0 }
	     END { print NR " lines" }'
