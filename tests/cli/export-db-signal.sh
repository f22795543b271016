# --export-db killed by a catchable signal while it writes removes its
# temporary file (FILE.tmpXXXXXX): the signal is sent as soon as that file
# appears. A 30,000-entry overlay makes the write last long enough to be
# caught; an attempt where the export won the race is tried again. A
# background job starts with SIGINT and SIGQUIT ignored (and bounce leaves an
# ignored signal ignored): env --default-signal gives them their default
# back. The shell's own "Terminated" notices go to /dev/null.
ulimit -c 0 # SIGQUIT would dump a core
d=$(mktemp -d)
awk 'BEGIN {
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	print "<catalog version=\"1\" name=\"big\"><providers>"
	print "<provider id=\"bigp\" name=\"Big\"><meaning>m</meaning><source>s</source></provider>"
	print "</providers><codes>"
	for (i = 0; i < 30000; i++)
		printf "<entry id=\"bigp.e%d\" provider=\"bigp\" reply=\"550\" title=\"Entry %d\" " \
		    "status=\"observed\"><text>text number %d of the overlay</text>" \
		    "<meaning>meaning %d</meaning><source>s</source></entry>\n", i, i, i, i
	print "</codes></catalog>"
}' >"$d/big.xml"
for sig in TERM INT HUP QUIT; do
	tries=0
	while [ $tries -lt 10 ]; do
		tries=$((tries + 1))
		env --default-signal=INT,QUIT "$BOUNCE" --no-user-catalogs --catalog "$d/big.xml" --export-db "$d/out.db" 2>>"$d/err" &
		pid=$!
		while :; do
			set -- "$d"/out.db.tmp*
			if [ -e "$1" ] || ! kill -0 $pid 2>/dev/null; then
				break
			fi
		done
		kill -s $sig $pid 2>/dev/null
		wait $pid 2>/dev/null
		rc=$?
		rm -f "$d/out.db"
		[ $rc -gt 128 ] && break
	done
	echo "SIG$sig: killed by signal $((rc - 128)) ($(kill -l $((rc - 128))))"
	(cd "$d" && ls)
done
cat "$d/err"
rm -rf "$d"
