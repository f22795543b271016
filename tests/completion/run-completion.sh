#!/bin/sh
# tests/completion/run-completion.sh -- the completion of bash, zsh and fish
# (completion/), each run by the shell's own machinery: bash's complete -p
# and COMP_WORDS, zsh's compinit and its _comps table, fish's complete -C.
# A shell that is not installed is a pass with a note (configure
# --install-deps installs zsh and fish). By hand: sh tests/completion/run-completion.sh

SRCDIR=${SRCDIR:-$(pwd)}
cd "$SRCDIR" || exit 2
BOUNCE=${BOUNCE:-$SRCDIR/bounce}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/completion.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
# the scripts run the 'bounce' the command line names: this one
mkdir "$tmp/bin" && ln -s "$BOUNCE" "$tmp/bin/bounce" || exit 2
PATH=$tmp/bin:$PATH
HOME=$tmp
export PATH HOME

passed=0
failed=0
# check NAME WANT GOT: WANT is a word that must be among GOT's lines, or
# !WORD one that must not be
check()
{
	case $2 in
	!*) if printf '%s\n' "$3" | grep -qxF -- "${2#!}"; then ok=0; else ok=1; fi ;;
	*) if printf '%s\n' "$3" | grep -qxF -- "$2"; then ok=1; else ok=0; fi ;;
	esac
	if [ $ok = 1 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $1: wanted ${2}; got:"
		printf '%s\n' "$3" | head -n 10 | sed 's/^/    /'
	fi
}
skip()
{
	echo "note: $1 is not installed; its completion was not tried (configure --install-deps)"
	passed=$((passed + 1))
}

# Each case: the words typed (the last is being completed), then what must
# be offered (!WORD: what must not).
cases='
bounce --provider ya|yahoo
bounce --provider x|xfinity
bounce --reason user_|user_unknown
bounce --impact |ip_blacklisted
bounce --kind prov|provider-entry
bounce --color al|always
bounce --format t|tsv
bounce --view prov|providers
bounce --view |analyzer
bounce --view |!gmail
bounce tui --view re|reasons
bounce --no-c|--no-cache
bounce --no-|--no-pager
bounce --li|--limit
bounce ex|explain
bounce sc|scan
bounce scan --fol|--follow
bounce --cs|--csv
bounce gma|gmail
bounce gmail.no|gmail.no_such_user
bounce TSS|TSS04
bounce X.1.|X.1.1
bounce 55|550
bounce reason:mailbox|reason:mailbox_full
bounce search mail|!mailbox_full
bounce gmail 5.7.|5.7.26
bounce scan --sup|--suppress
bounce scan --soft|--soft-limit
bounce scan --sta|--state
bounce scan --wh|--why
bounce scan --mer|--merge
bounce scan --why |!gmail
bounce scan --state |!gmail
bounce scan --merge a.db |!gmail
bounce --lo|--log
bounce --log |!gmail
bounce --log |!explain
'

printf '%s\n' "$cases" | sed '/^$/d' >"$tmp/cases"
# and every option bounce has, typed whole: each shell must offer it (fish
# lists its options itself, so a new one can be missing there)
"$BOUNCE" --complete options | sed 's/.*/bounce &|&/' >>"$tmp/cases" || exit 2
# the offers for one case from a shell's output: the lines after "== typed"
offers()
{
	awk -v t="== $2" '$0 == t { on = 1; next } /^== / { on = 0 } on' "$1"
}
# run SHELL: check every case against $tmp/SHELL.out
run()
{
	while IFS='|' read -r typed want; do
		check "$1: $typed" "$want" "$(offers "$tmp/$1.out" "$typed")"
	done <"$tmp/cases"
}

# Each shell reads every case in one process: the shells' start-up, not
# bounce, is what costs time.
if command -v bash >/dev/null 2>&1; then
	bash -c '. completion/bounce.bash; complete -p bounce' >"$tmp/out" 2>&1
	check "bash: complete -p bounce" "complete -F _bounce bounce" "$(cat "$tmp/out")"
	bash -c '. completion/bounce.bash
		fn=$(complete -p bounce | sed "s/.*-F \([^ ]*\) .*/\1/")
		while IFS="|" read -r typed want; do
			read -r -a COMP_WORDS <<<"$typed"
			case $typed in *" ") COMP_WORDS+=("") ;; esac
			COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
			COMPREPLY=()
			$fn
			echo "== $typed"
			printf "%s\n" "${COMPREPLY[@]}"
		done' <"$tmp/cases" >"$tmp/bash.out" 2>&1
	run bash
else
	skip bash
fi

if command -v zsh >/dev/null 2>&1; then
	# compinit registers _bounce from fpath; a compadd outside a widget
	# cannot run, so it prints what it was given, matched against the word
	# as zsh matches (a prefix)
	zsh -f -c 'fpath=(completion $fpath)
		autoload -U compinit && compinit -u -D
		[[ $_comps[bounce] == _bounce ]] || print "== not registered"
		compadd() { local -a all; all=(${(P)${@[-1]}}); print -l -- ${(M)all:#${PREFIX}*}; }
		_files() { print "(files)"; }
		while IFS="|" read -r typed want; do
			words=(${(z)typed}); [[ $typed == *" " ]] && words+=("")
			CURRENT=${#words}; PREFIX=${words[CURRENT]}
			print -r -- "== $typed"
			$_comps[bounce]
		done' <"$tmp/cases" >"$tmp/zsh.out" 2>&1
	run zsh
else
	skip zsh
fi

if command -v fish >/dev/null 2>&1; then
	fish --no-config -c 'set fish_complete_path completion $fish_complete_path
		while read -l line
			set -l typed (string split -m1 "|" -- $line)[1]
			echo "== $typed"
			complete -C "$typed" | string replace -r "\t.*" ""
		end' <"$tmp/cases" >"$tmp/fish.out" 2>&1
	run fish
else
	skip fish
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
