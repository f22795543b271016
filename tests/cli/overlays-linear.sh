# Loading user catalogs is linear in files plus entries: 1,000 overlay files
# of 20 entries take less than 6 times the CPU time of 250 such files (4
# when linear; the per-file reference check that scanned every row loaded
# before made it about 9). CPU time of the children, from the shell's times.
d=$(mktemp -d)
gen()
{
	mkdir -p "$d/$1/bounce"
	awk -v d="$d/$1/bounce" -v n="$1" 'BEGIN {
		for (f = 0; f < n; f++) {
			fn = sprintf("%s/o%04d.xml", d, f)
			printf "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<catalog version=\"1\">\n" \
			    "<providers><provider id=\"lin%d\" name=\"L %d\"><meaning>m</meaning>" \
			    "<source>s</source></provider></providers>\n<codes>\n", f, f >fn
			for (i = 0; i < 20; i++)
				printf "<entry id=\"lin%d.e%d\" provider=\"lin%d\" reply=\"550\" title=\"E\"" \
				    " status=\"observed\" reason=\"user_unknown\"><meaning>m</meaning>" \
				    "<source>s</source><see ref=\"X.1.1\"/></entry>\n", f, i, f >fn
			print "</codes>\n</catalog>" >fn
			close(fn)
		}
	}'
}
# cpu FILE: the children's user + system seconds in the output of times,
# which must run in this shell (a subshell counts its own children)
cpu()
{
	sed -n '2s/^\([0-9]*\)m\([0-9.]*\)s \([0-9]*\)m\([0-9.]*\)s$/\1 \2 \3 \4/p' "$1" |
		awk '{ print $1 * 60 + $2 + $3 * 60 + $4 }'
}
gen 250
gen 1000
times >"$d/t0"
XDG_DATA_HOME=$d/250 "$BOUNCE" lin249.e19 | head -n 1
times >"$d/t1"
XDG_DATA_HOME=$d/1000 "$BOUNCE" lin999.e19 | head -n 1
times >"$d/t2"
awk -v a="$(cpu "$d/t0")" -v b="$(cpu "$d/t1")" -v c="$(cpu "$d/t2")" 'BEGIN {
	small = b - a; big = c - b
	if (big < 6 * small) print "1,000 files: less than 6 times the CPU time of 250"
	else printf "1,000 files: %.2f s, 250 files: %.2f s: not linear\n", big, small
}'
rm -rf "$d"
