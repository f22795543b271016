#!/bin/sh
# tests/checks/cycles.sh -- fails on any dependency cycle between the modules of the given dirs.
#
#   sh tests/checks/cycles.sh [-I DIR]... DIR...
#
# The graph has two kinds of edges between files: F -> G when F has
# '#include "G"' (G looked up next to F, then in each -I DIR), and A.c -> B.c
# when A.o (if built) uses a global symbol that B.o defines.  The objects
# matter: an umbrella header (one .h declaring the functions of several .c
# files) hides a cycle between those files from the #include lines alone.
# Each cycle is printed as "cycle: a -> b (why) -> a (why)"; the exit status
# is 1 if there is one, 0 if not, 2 on a usage error.

NM=${NM:-nm}
incdirs=
while [ $# -gt 0 ]; do
	case $1 in
	-I) incdirs="$incdirs $2"; shift 2 ;;
	-I*) incdirs="$incdirs ${1#-I}"; shift ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: cycles.sh [-I DIR]... DIR..." >&2; exit 2; }

edges=$(mktemp "${TMPDIR:-/tmp}/cycles.XXXXXX") || exit 2
trap 'rm -f "$edges"' EXIT

files=
objs=
for d in "$@"; do
	for f in "$d"/*.c "$d"/*.h "$d"/*/*.c "$d"/*/*.h; do
		[ -f "$f" ] && files="$files $f"
	done
	for f in "$d"/*.o "$d"/*/*.o; do
		[ -f "$f" ] && objs="$objs $f"
	done
done

{
	# include edges: E FROM-MODULE TO-FILE-CANDIDATES... (resolved below)
	if [ -n "$files" ]; then
		# shellcheck disable=SC2086
		awk -v incdirs="$incdirs" '
			/^[ \t]*#[ \t]*include[ \t]*"/ {
				name = $0
				sub(/^[^"]*"/, "", name)
				sub(/".*/, "", name)
				dir = FILENAME
				sub(/\/[^\/]*$/, "", dir)
				printf "I\t%s\t%s/%s", FILENAME, dir, name
				n = split(incdirs, inc, " ")
				for (i = 1; i <= n; i++)
					printf "\t%s/%s", inc[i], name
				printf "\n"
			}' $files
	fi
	# symbol edges: D OBJECT SYMBOL (defines), U OBJECT SYMBOL (uses); one
	# nm run for all objects (-A: each line starts with "OBJECT:")
	if [ -n "$objs" ]; then
		# shellcheck disable=SC2086
		"$NM" -A -g --defined-only $objs | awk '{
			o = $1; sub(/:[^:]*$/, "", o); if (NF >= 3) print "D\t" o "\t" $NF }'
		# shellcheck disable=SC2086
		"$NM" -A -u $objs | awk '{ o = $1; sub(/:[^:]*$/, "", o); print "U\t" o "\t" $NF }'
	fi
} >"$edges"

# Every file checked for existence once, in the shell: "F path" lines
for f in $files; do
	echo "F	$f"
done >>"$edges"

awk -F'\t' '
	function src(path) {
		sub(/\.o$/, ".c", path)
		sub(/^\.\//, "", path)
		return path
	}
	function add(a, b, why) {
		if (a == b)
			return
		if (!((a, b) in edge)) {
			edge[a, b] = why
			out[a] = out[a] " " b
		}
		node[a] = 1
		node[b] = 1
	}
	$1 == "F" { exists[$2] = 1; next }
	$1 == "I" { inc[++ni] = $0; next }
	$1 == "D" { def[$3] = $2; next }
	$1 == "U" { use[++nu] = $2 "\t" $3; next }
	END {
		for (i = 1; i <= ni; i++) {
			n = split(inc[i], f, "\t")
			for (k = 3; k <= n; k++) {
				p = f[k]
				# a/b/../c.h -> a/c.h
				while (sub(/[^\/]+\/\.\.\//, "", p))
					;
				if (p in exists) {
					add(src(f[2]), src(p), "includes")
					break
				}
			}
		}
		for (i = 1; i <= nu; i++) {
			split(use[i], u, "\t")
			if (u[2] in def)
				add(src(u[1]), src(def[u[2]]), "uses " u[2])
		}
		cycles = 0
		for (;;) {
			# drop modules that cannot be on a cycle: no way out or no way in
			do {
				changed = 0
				for (a in node) {
					outs = ins = 0
					for (b in node) {
						if ((a, b) in edge) outs++
						if ((b, a) in edge) ins++
					}
					if (outs == 0 || ins == 0) {
						delete node[a]
						changed = 1
					}
				}
			} while (changed)
			# what is left is on cycles: walk from the first module
			start = ""
			for (a in node)
				if (start == "" || a < start)
					start = a
			if (start == "")
				break
			for (a in seen)
				delete seen[a]
			len = 0
			a = start
			while (!(a in seen)) {
				seen[a] = ++len
				path[len] = a
				next_ = ""
				for (b in node)
					if ((a, b) in edge && (next_ == "" || b < next_))
						next_ = b
				a = next_
			}
			line = "cycle: " a
			for (k = seen[a]; k <= len; k++) {
				b = (k < len) ? path[k + 1] : a
				line = line " -> " b " (" edge[path[k], b] ")"
			}
			print line
			cycles++
			# forget the first edge of this cycle, then look again
			delete edge[a, (seen[a] < len) ? path[seen[a] + 1] : a]
		}
		exit cycles > 0
	}' "$edges"
