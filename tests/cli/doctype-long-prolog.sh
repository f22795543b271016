# A DOCTYPE after a prolog longer than 64 KiB (comments and a processing
# instruction) is refused from the prolog scan with its own line, before
# libxml2 reads it.
d=$(mktemp -d)
awk 'BEGIN {
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	for (i = 0; i < 2000; i++)
		print "<!-- a comment line of the prolog, there to make it long: " i " -->"
	print "<?bounce a processing instruction?>"
	print "<!DOCTYPE catalog [ <!ENTITY e \"x\"> ]>"
	print "<catalog version=\"1\" name=\"x\"/>"
}' >"$d/long.xml"
wc -c <"$d/long.xml"
{ "$BOUNCE" --no-user-catalogs --catalog "$d/long.xml" 550; echo "exit=$?"; } 2>&1 | sed "s|$d|DIR|g"
rm -rf "$d"
