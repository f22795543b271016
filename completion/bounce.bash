# bounce.bash: bash completion for bounce(1); the words come from 'bounce --complete WHAT'.
_bounce()
{
	local cur prev cmd first i words_list
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_CWORD:+${COMP_WORDS[COMP_CWORD-1]}}
	cmd=${COMP_WORDS[0]}
	COMPREPLY=()
	case $prev in
	--provider) words_list=$("$cmd" --complete providers 2>/dev/null) ;;
	--reason) words_list=$("$cmd" --complete reasons 2>/dev/null) ;;
	--impact) words_list=$("$cmd" --complete impacts 2>/dev/null) ;;
	--kind) words_list=$("$cmd" --complete kinds 2>/dev/null) ;;
	--color | --colour) words_list=$("$cmd" --complete colors 2>/dev/null) ;;
	--format) words_list=$("$cmd" --complete formats 2>/dev/null) ;;
	--view) words_list=$("$cmd" --complete views 2>/dev/null) ;;
	--class) words_list='2 3 4 5' ;;
	--subject) words_list='0 1 2 3 4 5 6 7' ;;
	--catalog | --export-db | --script | --suppress | --state)
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	--limit | --max-input | --threads | --top | --max-open | --interval | --soft-limit | --why) return 0 ;;
	esac
	if [ -z "$words_list" ]; then
		# the first word that is not an option: the command, if any
		first=
		for ((i = 1; i < COMP_CWORD; i++)); do
			case ${COMP_WORDS[i]} in
			--log) first=--log; break ;; # the browser's logs follow
			-*) ;;
			*) first=${COMP_WORDS[i]}; break ;;
			esac
		done
		if [[ $cur == -* ]]; then
			words_list=$("$cmd" --complete options 2>/dev/null)
		elif [ "$first" = explain ] || [ "$first" = scan ] || [ "$first" = --log ]; then
			COMPREPLY=($(compgen -f -- "$cur"))
			return 0
		elif [ "$first" = search ] || [ "$first" = list ] || [ "$first" = tui ]; then
			return 0
		elif [ -z "$first" ]; then
			words_list="$("$cmd" --complete commands 2>/dev/null)
$("$cmd" --complete providers 2>/dev/null)
$("$cmd" --complete keys 2>/dev/null)"
		else
			words_list="$("$cmd" --complete providers 2>/dev/null)
$("$cmd" --complete keys 2>/dev/null)"
		fi
	fi
	local IFS=$'\n'
	COMPREPLY=($(compgen -W "$words_list" -- "$cur"))
	return 0
}
complete -F _bounce bounce
