# On a terminal (script(1) gives one), output longer than the screen goes
# through $PAGER; shorter output, --no-pager and a pipe do not.
if ! command -v script >/dev/null 2>&1; then
	echo "note: script(1) is absent; the pager was not tried"
	exit 0
fi
run() {
	TERM=dumb PAGER='sed s/^/paged:/' LINES=10 COLUMNS=80 script -qec "$1" /dev/null | tr -d '\r' |
		awk '{ n++ } /^paged:/ { p++ } NR == 1 { first = $0 }
		     END { print n " lines, " p + 0 " paged; first: " first }'
}
run "'$BOUNCE' --no-user-catalogs 5.1.1"
run "'$BOUNCE' --no-user-catalogs --brief X.2.2"
run "'$BOUNCE' --no-user-catalogs --no-pager 5.1.1"
run "'$BOUNCE' --no-user-catalogs 5.1.1 | cat"
# an empty PAGER: no pager at all
TERM=dumb PAGER= LINES=10 script -qec "'$BOUNCE' --no-user-catalogs 5.1.1" /dev/null | tr -d '\r' | grep -c '^paged:'
