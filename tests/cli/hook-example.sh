# The bounce-hook that make install puts under the doc directory is the one
# bounce(1) shows in EXAMPLES, and it is valid sh.
src=$TESTDATA/../..
sed -n '/^#!\/bin\/sh$/,/^exit 0$/p' "$src/doc/bounce.1" | sed 's/\\e/\\/g' |
	diff - "$src/doc/examples/bounce-hook" && echo "same as bounce(1)"
sh -n "$src/doc/examples/bounce-hook" && echo "valid sh"
