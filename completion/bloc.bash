# bash completion for bloc. Installed as share/bash-completion/completions/bloc; to try it from
# a build: source completion/bloc.bash.
#
# The words come from bloc itself (`bloc __complete WORD... CURRENT`): commands, each command's
# options, their choices, contest ids from the data directory's catalogue, party codes and census
# groups. This script only joins what bash split at ':' and '=' and hands the words over.

_bloc() {
	local i w cur full pre c prog
	local -a words=() cands=()

	# bash splits "muslim:LAB=-20" into muslim : LAB = -20; join the pieces again
	for ((i = 1; i <= COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((${#words[@]} > 0)) && [[ $w =~ ^[:=]+$ || ${COMP_WORDS[i - 1]} =~ ^[:=]+$ ]]; then
			words[${#words[@]} - 1]+=$w
		else
			words+=("$w")
		fi
	done
	((${#words[@]} > 0)) || words=("")
	cur=${COMP_WORDS[COMP_CWORD]}
	full=${words[${#words[@]} - 1]}
	# what precedes the part of the word bash will replace
	pre=${full:0:${#full}-${#cur}}

	prog=${COMP_WORDS[0]}
	[[ $prog == "~/"* ]] && prog=$HOME/${prog#"~/"}
	mapfile -t cands < <("$prog" __complete -- "${words[@]}" 2>/dev/null)
	COMPREPLY=()
	for c in "${cands[@]}"; do
		case $c in
		@files)
			[[ -z $pre ]] && mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
			compopt -o filenames 2>/dev/null
			;;
		@dirs)
			[[ -z $pre ]] && mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -d -- "$cur")
			compopt -o filenames 2>/dev/null
			;;
		"$pre"*)
			COMPREPLY+=("${c#"$pre"}")
			# a list goes on ("muslim:", "LAB="): no space after it
			[[ $c == *[:=,] ]] && compopt -o nospace 2>/dev/null
			;;
		esac
	done
	return 0
}

complete -F _bloc bloc
