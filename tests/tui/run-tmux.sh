#!/bin/sh
# tests/tui/run-tmux.sh -- end-to-end tests: the real binary on a real
# terminal (tmux), read back with capture-pane. Each step waits until the
# expected text is on the screen or a deadline passes; nothing sleeps a
# fixed time. Uses a private tmux server (-L) and kills it at the end.
# tmux is required (CI installs it; Debian: tmux).

SRCDIR=${SRCDIR:-$(pwd)}
cd "$SRCDIR" || exit 2
BOUNCE=${BOUNCE:-$SRCDIR/bounce}
DEADLINE=${TMUX_DEADLINE:-10}

if ! command -v tmux >/dev/null 2>&1; then
	echo "FAIL: tmux not found (Debian: apt-get install tmux)"
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tmux.XXXXXX") || exit 2
sock=bounce-test-$$
t() {
	tmux -L "$sock" -f /dev/null "$@"
}
cleanup() {
	t kill-server 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' HUP INT TERM

passed=0
failed=0
screen=$tmp/screen

# wait_for TEXT: polls the pane until TEXT is on it; 1 after the deadline.
wait_for() {
	end=$(($(date +%s) + DEADLINE))
	while :; do
		t capture-pane -p -t bt >"$screen" 2>/dev/null
		if grep -F -q -- "$1" "$screen"; then
			return 0
		fi
		if [ "$(date +%s)" -ge "$end" ]; then
			return 1
		fi
		# poll again shortly: no fixed wait for the program
		sleep 0.05
	done
}

# check NAME TEXT: one assertion on the screen.
check() {
	if wait_for "$2"; then
		echo "ok: $1"
		passed=$((passed + 1))
	else
		echo "FAIL: $1: no \"$2\" on the screen within ${DEADLINE}s:"
		sed -e 's/^/    | /' "$screen"
		failed=$((failed + 1))
	fi
}

# Each start has a server of its own: a killed server may still be exiting
# when the next command reaches its socket, and a session created on it
# would go with it (seen on a loaded machine as "no server running").
starts=0
# start COLS ROWS [ARGS]: ARGS are more options of bounce, quoted for sh.
start() {
	t kill-server 2>/dev/null
	starts=$((starts + 1))
	sock=bounce-test-$$-$starts
	t new-session -d -s bt -x "$1" -y "$2" \
		"env -u LINES -u COLUMNS TERM=tmux-256color LC_ALL=C.UTF-8 '$BOUNCE' --no-user-catalogs ${3-}; echo EXITED=\$?; sleep 60"
}

# 1. start-up: the tab bar, the list and the detail, side by side at 120.
start 120 32
check "start-up: tab bar" "1 Reply codes  2 Enhanced  3 Providers  4 Reasons  5 Guide"
check "start-up: list" "2xx  success"
check "start-up: detail side by side" "│ Detail: class:2"

# 2. search and open an entry, follow a link and come back.
t send-keys -t bt 3 / m a i l b o x Space f u l l
check "search: narrowed" "/mailbox full"
t send-keys -t bt Enter
# the best in this view is the first provider entry of the engine's search
best=$("$BOUNCE" --no-user-catalogs --json search mailbox full |
	grep -o '"key":"[^"]*","kind":"provider-entry"' | head -n 1 | cut -d'"' -f4)
check "search: the best-ranked match in this view" "Detail: ${best:-(none)}"
t send-keys -t bt g n
check "search: first match in list order, found by its reason" "Detail: apple.over_quota"
# n moves to the next match; how many matches lie between Apple's entry and
# Comcast's depends on the providers the catalog has (AT&T's and Brevo's
# records mention full mailboxes too), so n is pressed until Comcast's entry
# is shown, each press waiting for the detail to change
next_until() {
	tries=0
	while [ $tries -lt 12 ]; do
		t capture-pane -p -t bt >"$screen" 2>/dev/null
		before=$(grep -o 'Detail: [^ ]*' "$screen" | head -n 1)
		t send-keys -t bt n
		end=$(($(date +%s) + DEADLINE))
		while :; do
			t capture-pane -p -t bt >"$screen" 2>/dev/null
			now=$(grep -o 'Detail: [^ ]*' "$screen" | head -n 1)
			[ "$now" != "$before" ] && break
			[ "$(date +%s)" -ge "$end" ] && return 1
			sleep 0.05
		done
		[ "$now" = "Detail: $1" ] && return 0
		tries=$((tries + 1))
	done
	return 1
}
next_until comcast.over_quota
check "search: next match" "Detail: comcast.over_quota"
t send-keys -t bt Enter G Enter
check "open and follow a link" "1 back"
t send-keys -t bt BSpace
check "back" "back: 0 more"

# 3. resize: stacked below 120 columns, the notice below the minimum.
t resize-window -t bt -x 80 -y 24
check "resize: stacked" " Detail: comcast.over_quota"
t resize-window -t bt -x 50 -y 12
check "resize: too small" "Terminal too small: 50x12"
t resize-window -t bt -x 120 -y 32
check "resize: back" "│ Detail: comcast.over_quota"

# 4. the analyzer: a bracketed paste (tmux paste-buffer -p) on the list opens
#    it; the paste is only text, even the q and the escape sequence in it
#    (without bracketed paste that q would quit); the diagnosis is beside it.
printf 'q\033[31mred\nNov 27 10:02:11 mx1 postfix/smtp[4242]: 4F3A1: to=<ana@yahoo.com>, relay=mta6.am0.yahoodns.net[67.195.204.77]:25, dsn=4.7.0, status=deferred (host mta6.am0.yahoodns.net said: 421 4.7.0 [TSS04] Messages from 192.0.2.7 temporarily deferred due to unexpected volume or user complaints)\n' >"$tmp/paste"
t load-buffer -b bp "$tmp/paste"
t paste-buffer -p -d -b bp -t bt
check "analyzer: the paste opens it" "Analyzer input"
check "analyzer: diagnosis of the paste" "Diagnosis   SOFT  reputation  yahoo [TSS04]"
check "analyzer: the escape is shown, the q did not quit" "q\x1b[31mred"
t send-keys -t bt q
check "analyzer: q closes from the diagnosis" "a analyze  h help  q quit"
t send-keys -t bt a Tab
check "analyzer: a opens it again, Tab to the input" "Analyzer input (typing)"
t send-keys -t bt Escape

# 4b. a paste whose text holds the end marker ESC [201~ (tmux does not
#    filter it): the marker is text, the paste ends at its real end, and
#    nothing after the inner marker runs as keys.
printf '550 5.1.1 user unknown\033[201~Q after the marker\n' >"$tmp/paste-end"
t send-keys -t bt a
check "paste with an end marker: the analyzer" "Analyzer input"
t send-keys -t bt C-u
t load-buffer -b bpe "$tmp/paste-end"
t paste-buffer -p -d -b bpe -t bt
check "paste with an end marker: the marker is text" "unknown\x1b[201~Q after the"
check "paste with an end marker: all 47 bytes are the paste" "pasted 47 bytes"
t send-keys -t bt Escape
check "paste with an end marker: the browser is still there" "a analyze  h help  q quit"

# 5. quit restores the terminal and exits 0.
t send-keys -t bt Q
check "quit: exit status 0" "EXITED=0"

# 6. y copies through OSC 52 (tmux keeps what an application sets when
#    set-clipboard is on), from the list and from the analyzer (the
#    diagnosis with its input); | gives the terminal to the command and
#    takes it back after Enter.
start 100 30
t set-option -g set-clipboard on
check "share: started" "1 Reply codes"
t send-keys -t bt / 5 5 0 Space 5 . 1 . 1 Enter
check "share: the entry" "Detail: 550"
t send-keys -t bt y
check "share: y copies" "copied 550"
if t show-buffer 2>/dev/null | grep -q '^550  *Requested action not taken'; then
	echo "ok: share: the clipboard holds the entry"
	passed=$((passed + 1))
else
	echo "FAIL: share: the clipboard holds the entry:"
	t show-buffer 2>&1 | head -n 5 | sed -e 's/^/    | /'
	failed=$((failed + 1))
fi
t send-keys -t bt '|'
check "share: the pipe prompt" "Pipe 550:"
t send-keys -t bt "grep -c Meaning" Enter
check "share: the command has the terminal" "Enter returns to bounce"
t send-keys -t bt Enter
check "share: back in the browser" "piped 550"
check "share: the screen is restored" "Detail: 550"
printf '550 5.1.1 <ana@example.com>: Recipient address rejected: User unknown' >"$tmp/paste-y"
t load-buffer -b by "$tmp/paste-y"
t paste-buffer -p -d -b by -t bt
t send-keys -t bt C-d
check "share: a diagnosis" "Diagnosis"
t send-keys -t bt y
check "share: y copies the diagnosis" "copied the diagnosis"
if t show-buffer 2>/dev/null | grep -q '^550 5.1.1 <ana@example.com>: Recipient address rejected'; then
	echo "ok: share: the clipboard holds the diagnosis with its input"
	passed=$((passed + 1))
else
	echo "FAIL: share: the clipboard holds the diagnosis with its input:"
	t show-buffer 2>&1 | head -n 5 | sed -e 's/^/    | /'
	failed=$((failed + 1))
fi

# 7. Ctrl-Z from a shell: the shell gets the terminal back with bracketed
#    paste off (a paste there is plain text, not ESC [200~ ... ESC [201~),
#    and fg restores the browser with it on again (a paste opens the
#    analyzer). dash does not turn bracketed paste on by itself.
t kill-server 2>/dev/null
sock=$sock-suspend # a server of its own: the last one may still be exiting
t new-session -d -s bt -x 100 -y 30 \
	"env -u LINES -u COLUMNS -u ENV TERM=tmux-256color LC_ALL=C.UTF-8 PS1='sh> ' sh; echo SHELL-EXITED=\$?; sleep 60"
check "suspend: a shell" "sh>"
t send-keys -t bt "'$BOUNCE' --no-user-catalogs" Enter
check "suspend: the browser from the shell" "1 Reply codes"
t send-keys -t bt C-z
check "suspend: Ctrl-Z gives the shell back" "Stopped"
printf 'echo pasted-$((6 * 7))' >"$tmp/paste2"
t load-buffer -b bp2 "$tmp/paste2"
t paste-buffer -p -b bp2 -t bt
t send-keys -t bt Enter
check "suspend: a paste in the shell is plain text" "pasted-42"
if grep -F -q '200~' "$screen"; then
	echo "FAIL: suspend: the paste in the shell was bracketed"
	sed -e 's/^/    | /' "$screen"
	failed=$((failed + 1))
else
	echo "ok: suspend: the paste in the shell was not bracketed"
	passed=$((passed + 1))
fi
t send-keys -t bt fg Enter
check "suspend: fg restores the browser" "1 Reply codes"
t load-buffer -b bp3 "$tmp/paste"
t paste-buffer -p -b bp3 -t bt
check "suspend: bracketed paste is on again" "Analyzer input"

# 7. every signal that ends the browser gives the terminal back as it was:
#    stty -a, and tmux's view of the pane's modes (alternate screen, cursor,
#    keypad, mouse); bracketed paste is off again (a paste in the shell is
#    plain text). SIGINT and SIGQUIT come from the keyboard (Ctrl-C, Ctrl-\\),
#    SIGTERM and SIGHUP from kill. SIGQUIT still ends with a core (none is
#    written here: ulimit -c 0). SIGSEGV from kill takes the path of a crash
#    (its status depends on the build: under ASan its report ends it).
modes='#{alternate_on} cursor=#{cursor_flag} keypad=#{keypad_flag},#{keypad_cursor_flag}'
modes="$modes mouse=#{mouse_any_flag},#{mouse_button_flag},#{mouse_standard_flag}"
modes="$modes,#{mouse_all_flag},#{mouse_sgr_flag},#{mouse_utf8_flag}"
for spec in INT:2 QUIT:3 TERM:15 HUP:1 SEGV:; do
	sig=${spec%:*}
	t kill-server 2>/dev/null
	sock=bounce-test-$$-$sig
	rm -f "$tmp/pid" "$tmp/stty-after"
	t new-session -d -s bt -x 100 -y 30 \
		"env -u LINES -u COLUMNS -u ENV TERM=tmux-256color LC_ALL=C.UTF-8 PS1='sh> ' sh; sleep 60"
	check "signal $sig: a shell" "sh>"
	t display -p -t bt "$modes" >"$tmp/modes-before"
	t send-keys -t bt "ulimit -c 0; stty -a >'$tmp/stty-before'; sh -c 'echo \$\$ >$tmp/pid; exec" \
		" $BOUNCE --no-user-catalogs'; echo EXIT=\$?; stty -a >'$tmp/stty-after'" Enter
	check "signal $sig: the browser" "1 Reply codes"
	case $sig in
	INT) t send-keys -t bt C-c ;;
	QUIT) t send-keys -t bt 'C-\' ;;
	*) kill -s "$sig" "$(cat "$tmp/pid")" ;;
	esac
	if [ -n "${spec#*:}" ]; then
		check "signal $sig: ended by the signal" "EXIT=$((128 + ${spec#*:}))"
	else
		check "signal $sig: ended" "EXIT="
	fi
	check "signal $sig: the shell again" "sh> "
	# the shell writes stty -a after it prints EXIT= (and "sh> " is on the
	# screen from the start): wait for the file, not for the screen (stty
	# writes its few lines with one write at exit)
	end=$(($(date +%s) + DEADLINE))
	while [ ! -s "$tmp/stty-after" ] && [ "$(date +%s)" -lt "$end" ]; do
		sleep 0.05
	done
	t display -p -t bt "$modes" >"$tmp/modes-after"
	if wait_for "sh> " && [ -s "$tmp/stty-after" ] && cmp -s "$tmp/stty-before" "$tmp/stty-after" &&
	    cmp -s "$tmp/modes-before" "$tmp/modes-after"; then
		echo "ok: signal $sig: stty -a and the terminal modes as before"
		passed=$((passed + 1))
	else
		echo "FAIL: signal $sig: the terminal is not as before"
		diff "$tmp/stty-before" "$tmp/stty-after" | sed -e 's/^/    | /'
		diff "$tmp/modes-before" "$tmp/modes-after" | sed -e 's/^/    | /'
		failed=$((failed + 1))
	fi
	t send-keys -t bt clear Enter
	printf 'echo pasted-$((6 * 7))' >"$tmp/paste4"
	t load-buffer -b bp4 "$tmp/paste4"
	t paste-buffer -p -b bp4 -t bt
	t send-keys -t bt Enter
	check "signal $sig: a paste in the shell" "pasted-42"
	if grep -F -q '200~' "$screen"; then
		echo "FAIL: signal $sig: bracketed paste is still on"
		sed -e 's/^/    | /' "$screen"
		failed=$((failed + 1))
	else
		echo "ok: signal $sig: bracketed paste is off"
		passed=$((passed + 1))
	fi
done

# the Report view of a log we write (bounce --log FILE) at 100x30: its tab,
# a provider row with its flagged rate, Enter lists the row's events (file:line),
# Enter on one shows its diagnosis, Back returns to the events and the report.
start 100 30 "--log '$SRCDIR/tests/tui/report-mail.log'"
check "report: its tab" "a Analyzer  r Report"
check "report: the Gmail row" "Gmail / Google Wor      21      9"
check "report: its bounce rate flagged" "42.86%!"
check "report: the total bounce rate over its threshold" "29.41%!"
t send-keys -t bt j j j j j Enter
check "report: Enter lists the row's events" "Events of Gmail / Google Workspace: 9"
check "report: an event by file:line" "report-mail.log:21  12:02  bounced   550 5.7.26"
t send-keys -t bt Enter
check "report: Enter explains the event" "Diagnosis   BLOCK  authentication  gmail"
t send-keys -t bt BSpace
check "report: back to the events" "Events of Gmail / Google Workspace: 9"
t send-keys -t bt BSpace
check "report: back to the report" "Providers (the bar of a rate is full at its threshold)"
t send-keys -t bt q q
check "report: closed, then quit" "EXITED=0"

# the last line is the count of cases that tests/run.sh adds up
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
