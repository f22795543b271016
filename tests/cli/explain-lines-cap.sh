# explain --lines cuts a line at 4 MiB whatever --max-input says (bounce(1)):
# a 6 MiB line under --max-input 1G is analyzed from its first 4 MiB, with
# a warning, and the line after it is read as usual.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bounce-cap.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
{
	printf '550 5.1.1 user unknown '
	head -c 6291456 /dev/zero | tr '\0' 'x'
	echo
	echo '452 4.2.2 mailbox full'
} >"$tmp/log"
"$BOUNCE" --no-user-catalogs --max-input 1G explain --lines --json "$tmp/log" >"$tmp/out" 2>"$tmp/err"
echo "exit $?"
sed "s|$tmp|TMP|g" "$tmp/err"
sed -n 's/.*"input":\([0-9]*\).*"reason":"\([a-z_]*\)".*/\1 \2/p' "$tmp/out"
