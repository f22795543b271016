#!/bin/sh
# tests/checks/format.sh -- the formatting rule of the C sources, checked (there is no .clang-format).
#
#   sh tests/checks/format.sh FILE...
#
# The rule (tests/README, .editorconfig):
#   - indentation is tabs (width 8); spaces may follow the tabs only to align
#     a continued line, fewer than 8 of them;
#   - no trailing whitespace, no space before a tab;
#   - at most 110 columns (a tab counts to the next multiple of 8, a UTF-8
#     character as one), except a line that holds a string literal: a
#     message is not broken, so that it can be found with grep.
# Prints "FILE:LINE: why" per offence (20 per file at most) and exits 1 if
# there is one.
LC_ALL=C
export LC_ALL
[ $# -gt 0 ] || exit 0
awk -v max=110 '
	function say(why) {
		if (n[FILENAME]++ < 20)
			printf "%s:%d: %s\n", FILENAME, FNR, why
		bad = 1
	}
	/^\t*        / { say("indented with spaces") }
	/[ \t]$/ { say("trailing whitespace") }
	/ \t/ { say("a space before a tab") }
	!/"/ {
		t = $0
		gsub(/[\200-\277]/, "", t)	# UTF-8 continuation bytes take no column
		col = 0
		len = length(t)
		for (i = 1; i <= len; i++)
			col = substr(t, i, 1) == "\t" ? col + 8 - col % 8 : col + 1
		if (col > max)
			say(col " columns, more than " max)
	}
	END { exit bad }' "$@"
