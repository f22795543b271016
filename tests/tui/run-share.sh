#!/bin/sh
# tests/tui/run-share.sh -- what the browser hands to the world, and its
# configuration: | pipes the entry or the diagnosis to a command, s saves it
# (asking before it overwrites), o runs xdg-open when there is a display, < >
# move the split and the state file remembers it, the config file sets
# options, colours and keys (a mistake is named FILE:LINE on the status line
# and the browser starts anyway), and --dump-config reads back without error.
# Headless (bounce --script); the files the browser writes are checked.

SRCDIR=${SRCDIR:-$(pwd)}
cd "$SRCDIR" || exit 2
BOUNCE=${BOUNCE:-$SRCDIR/bounce}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/share.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

LC_ALL=C.UTF-8 TERM=dumb LINES=24 COLUMNS=80 TMPDIR=$tmp
XDG_CONFIG_HOME=$tmp/config XDG_STATE_HOME=$tmp/state
export LC_ALL TERM LINES COLUMNS TMPDIR XDG_CONFIG_HOME XDG_STATE_HOME
unset DISPLAY WAYLAND_DISPLAY
mkdir -p "$tmp/config/bounce" "$tmp/bin"

passed=0
failed=0
ok() {
	echo "ok: $1"
	passed=$((passed + 1))
}
fail() {
	echo "FAIL: $1"
	[ -f "$tmp/out" ] && sed -e 's/^/    | /' "$tmp/out" | grep -v '^    | *[0-9]* [a-z-]*:' | head -n 40
	failed=$((failed + 1))
}
# run NAME: the browser on $tmp/NAME.keys; the dumps in $tmp/out.
run() {
	"$BOUNCE" --no-user-catalogs --script "$tmp/$1.keys" >"$tmp/out" 2>&1 </dev/null
}
# status LABEL: the status line (the row before "roles:") of dump LABEL.
status() {
	sed -n "/^--- $1 ---\$/,/^roles:/p" "$tmp/out" | grep -B1 '^roles:' | head -n 1
}

# 1. | pipes the entry to a command; s saves the same text.
cat >"$tmp/pipe.keys" <<EOF
/550 5.1.1
<Enter>
|
:type cat >'$tmp/piped.txt'
<Enter>
:dump piped
s
:type $tmp/saved.txt
<Enter>
:dump saved
EOF
COLUMNS=200 run pipe
if grep -q '^550  *Requested action not taken' "$tmp/piped.txt" 2>/dev/null &&
	status piped | grep -q "^piped 550 ([0-9]* bytes) to 'cat >.*': exit 0"; then
	ok "| pipes the entry to the command"
else
	fail "| pipes the entry to the command"
fi
if cmp -s "$tmp/piped.txt" "$tmp/saved.txt" && status saved | grep -q "^saved 550 "; then
	ok "s saves the entry, the same text"
else
	fail "s saves the entry, the same text"
fi

# 2. s asks before it overwrites: n keeps the file, y replaces it.
echo keep >"$tmp/exists.txt"
cat >"$tmp/overwrite.keys" <<EOF
s
:type $tmp/exists.txt
<Enter>
:dump asked
n
:dump kept
s
:type $tmp/exists.txt
<Enter>
y
:dump replaced
EOF
COLUMNS=200 run overwrite
if status asked | grep -q "exists.txt exists: overwrite? (y/n)" &&
	status kept | grep -q '^not saved' && [ "$(head -c 5 "$tmp/exists.txt")" != keep ] &&
	status replaced | grep -q '^saved class:2'; then
	ok "s asks before overwriting; y replaces"
else
	fail "s asks before overwriting; y replaces"
fi
echo keep >"$tmp/exists2.txt"
sed 's/exists.txt/exists2.txt/; /^y$/d' "$tmp/overwrite.keys" >"$tmp/keep.keys"
COLUMNS=200 run keep
if [ "$(cat "$tmp/exists2.txt")" = keep ] && status kept | grep -q '^not saved'; then
	ok "s keeps an existing file unless y"
else
	fail "s keeps an existing file unless y"
fi

# 3. the diagnosis is saved with its input.
cat >"$tmp/diag.keys" <<EOF
a
:paste 550 5.1.1 <ana@example.com>: Recipient address rejected: User unknown
<C-d>
s
:type $tmp/diag.txt
<Enter>
:dump saved
EOF
COLUMNS=200 run diag
if grep -q '^550 5.1.1 <ana@example.com>: Recipient address rejected' "$tmp/diag.txt" 2>/dev/null &&
	grep -q 'HARD' "$tmp/diag.txt" && status saved | grep -q '^saved the diagnosis'; then
	ok "s saves the diagnosis with its input"
else
	fail "s saves the diagnosis with its input"
fi

# 4. o: xdg-open with a display, the address on the status line without.
cat >"$tmp/bin/xdg-open" <<EOF
#!/bin/sh
printf '%s\n' "\$1" >'$tmp/opened'
EOF
chmod +x "$tmp/bin/xdg-open"
printf '3\n/provider:gmail\n<Enter>\no\n:dump opened\n' >"$tmp/open.keys"
DISPLAY=:99 PATH=$tmp/bin:$PATH run open
i=0
while [ ! -s "$tmp/opened" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
if [ "$(cat "$tmp/opened" 2>/dev/null)" = https://postmaster.google.com ] &&
	status opened | grep -q '^opening https://postmaster.google.com'; then
	ok "o opens the postmaster page with xdg-open when there is a display"
else
	fail "o opens the postmaster page with xdg-open when there is a display"
fi
rm -f "$tmp/opened"
PATH=$tmp/bin:$PATH run open
if [ ! -e "$tmp/opened" ] && [ "$(status opened)" = https://postmaster.google.com ]; then
	ok "o without a display shows the address"
else
	fail "o without a display shows the address"
fi

# 5. > moves the split and the next start has it.
printf ':resize 120x30\n>\n:dump wider\n' >"$tmp/split.keys"
printf ':resize 120x30\n:dump again\n' >"$tmp/again.keys"
run split
sed -n '/^--- wider ---$/,/^roles:/p' "$tmp/out" | sed '1d;$d' | sed '$d' >"$tmp/wider"
run again
sed -n '/^--- again ---$/,/^roles:/p' "$tmp/out" | sed '1d;$d' | sed '$d' >"$tmp/again"
if grep -q '^set split = 45$' "$tmp/state/bounce/state" 2>/dev/null &&
	cmp -s "$tmp/wider" "$tmp/again" && grep -q '^ Reply codes  *1/67 x' "$tmp/again"; then
	ok "> moves the split, remembered in the state file"
else
	fail "> moves the split, remembered in the state file"
fi
rm -rf "$tmp/state"

# 6. the config file: options, keys, colours; mistakes named FILE:LINE.
cfg=$tmp/config/bounce/config
cat >"$cfg" <<EOF
# a user's configuration
set split = 30
bind x view-guide
set nosuch = 1
color hard 300 default
set theme = mono
EOF
printf ':dump started\nx\n:dump bound\n' >"$tmp/config.keys"
# wide enough for the file's name; the split (30%) puts the separator at column 61
TERM=xterm-256color COLUMNS=200 run config
if status started | grep -q "^config: $cfg:4: unknown option 'nosuch'" &&
	grep -q '^size 200x24, colours off' "$tmp/out" &&
	sed -n '/^--- bound ---$/,/^roles:/p' "$tmp/out" | grep -q '^ Guide' &&
	[ "$(sed -n '/^--- started ---$/,/^roles:/p' "$tmp/out" | awk 'NR == 4 { print index($0, "1/67 x") }')" = 56 ]; then
	ok "config: set, bind and theme work; the first mistake is named FILE:LINE"
else
	fail "config: set, bind and theme work; the first mistake is named FILE:LINE"
fi
printf 'color hard 300 default\n' >"$cfg"
COLUMNS=200 run config
if status started | grep -q "^config: $cfg:1: bad colour '300'"; then
	ok "config: a bad colour is named"
else
	fail "config: a bad colour is named"
fi

# 7. --dump-config reads back without a mistake and changes nothing.
rm -f "$cfg"
printf ':resize 120x30\n/550\n<Enter>\n:dump screen\n' >"$tmp/same.keys"
TERM=xterm-256color run same
cp "$tmp/out" "$tmp/without"
"$BOUNCE" --dump-config >"$cfg" || fail "--dump-config exits 0"
printf 'set theme = light\n' >>"$cfg"
TERM=xterm-256color run same
if cmp -s "$tmp/without" "$tmp/out" && grep -q '^set split = 40' "$cfg" &&
	grep -q '^bind / *search$' "$cfg" && grep -q '^color hard  *red  *default  *bold$' "$cfg"; then
	ok "--dump-config is a configuration that reads back without a mistake"
else
	diff "$tmp/without" "$tmp/out" | head -n 20
	fail "--dump-config is a configuration that reads back without a mistake"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
