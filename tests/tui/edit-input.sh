#!/bin/sh
# tests/tui/edit-input.sh -- a stand-in for $VISUAL in analyze-edit.keys:
# appends to the file what it can tell about it (its mode, its name), then
# a Yahoo reply, so the dump shows the editor's work.
f=$1
case $f in
*/bounce-input-*) name=ok ;;
*) name=unexpected ;;
esac
mode=$(stat -c %a "$f" 2>/dev/null || echo '?')
{
	echo
	echo "temporary file: name $name, mode $mode"
	echo "421 4.7.0 [TSS04] Messages from 192.0.2.7 temporarily deferred due to unexpected volume or user complaints"
} >>"$f"
