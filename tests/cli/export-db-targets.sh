# --export-db refuses a target that exists and is not a regular file (a FIFO
# here; a device node alike), and writes through a symbolic link to the file
# it names, keeping the link; a link to nothing is refused.
d=$(mktemp -d)
mkfifo "$d/fifo"
{ "$BOUNCE" --no-user-catalogs --export-db "$d/fifo"; echo "exit=$?"; } 2>&1 | sed "s|$d|DIR|g"
test -p "$d/fifo" && echo "the FIFO is still a FIFO"
echo old >"$d/real.db"
mkdir "$d/sub"
ln -s ../real.db "$d/sub/link.db"
"$BOUNCE" --no-user-catalogs --export-db "$d/sub/link.db"; echo "exit=$?"
test -L "$d/sub/link.db" && echo "the link is still a link"
head -c 15 "$d/real.db"; echo
ln -s nowhere.db "$d/dangling.db"
{ "$BOUNCE" --no-user-catalogs --export-db "$d/dangling.db"; echo "exit=$?"; } 2>&1 | sed "s|$d|DIR|g"
test -L "$d/dangling.db" && echo "the dangling link is still a link"
(cd "$d" && ls . sub)
rm -rf "$d"
