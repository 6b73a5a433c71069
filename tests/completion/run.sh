#!/usr/bin/env bash
# bash completion (completion/bloc.bash) against the real CLI, as bash calls it: COMP_WORDS split
# the way bash splits a line (at ':' and '=' too), COMP_CWORD the word being completed.
# Usage: run.sh path/to/bloc path/to/bloc.bash (BLOC_DATA set).
set -u
bloc=$1
data=${BLOC_DATA:?run.sh needs BLOC_DATA, the data directory}
# shellcheck source=/dev/null
source "$2"
failures=0
checks=0
BASH_TMP_ERR=$(mktemp)
trap 'rm -f "$BASH_TMP_ERR"' EXIT

fail() {
	failures=$((failures + 1))
	echo "FAIL: $*" >&2
}

# comp WORD...: complete the last word of "bloc WORD..."; the answers in COMPREPLY
comp() {
	COMP_WORDS=("$bloc" "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_bloc
}

# is WANT WORD...: the completions are exactly WANT (space-separated, in order)
is() {
	local want=$1
	shift
	checks=$((checks + 1))
	comp "$@"
	[ "${COMPREPLY[*]}" = "$want" ] || fail "bloc $*<TAB>: got '${COMPREPLY[*]}', expected '$want'"
}

# has WANT WORD...: WANT is among the completions, and every completion extends the word
has() {
	local want=$1 c cur
	shift
	checks=$((checks + 1))
	comp "$@"
	cur=${COMP_WORDS[COMP_CWORD]}
	[[ " ${COMPREPLY[*]} " == *" $want "* ]] || fail "bloc $*<TAB>: '$want' not in '${COMPREPLY[*]}'"
	for c in "${COMPREPLY[@]}"; do
		[[ $c == "$cur"* ]] || fail "bloc $*<TAB>: '$c' does not extend '$cur'"
	done
}

# the cases of issue 13
is project pro
is --shares project --sh
has ge2024 project ge20
is muslim power ge2024 --group mus
is muslim: project ge2024 --group mus

# commands, options and their values
has results re
is project help pro
is --version --vers
is json --format j
is json results ge2024 --format j
is "uk nation region seat" results ge2024 --by ""
is seat results ge2024 --by = se # --by=se, as bash splits it
is strong project ge2024 --model st
has ge2019-notional-2023 swing ge2019-n
has ge2024 --data "$data" results ge20
has census21-religion power ge2024 --census census2
is "" project ge2024 --nosuch
is "" nosuchcommand ""

# party codes: lists, pairs, a group's changes
has LAB targets ge2024 L
has CON,LAB swing ge2019 ge2024 --pair CON,L
has LAB=34,CON= project ge2024 --shares LAB=34,C
has LAB:REF= project ge2024 --swing LAB:R
has LAB= project ge2024 --group muslim : LA # muslim:LA
has :LAB= project ge2024 --group muslim :   # muslim:
has REF power ge2024 --third R

# bloc __complete itself, as the script runs it but with its standard error kept: exit 0 and
# nothing said (a sanitizer's report included), whatever the words
for words in "pro" "project ge20" "power ge2024 --census c" "project ge2024 --group muslim:L" \
	"--data /nonexistent results ge" "results --by=" "nosuchcommand x" "-- --"; do
	checks=$((checks + 1))
	# shellcheck disable=SC2086
	"$bloc" __complete -- $words >/dev/null 2>"$BASH_TMP_ERR"
	rc=$?
	[ "$rc" -eq 0 ] && [ ! -s "$BASH_TMP_ERR" ] ||
		fail "bloc __complete -- $words: exit $rc, stderr: $(head -c 400 "$BASH_TMP_ERR")"
done

# every command completes, and its options are exactly those of its --help
for cmd in $("$bloc" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'); do
	has "$cmd" "$cmd"
	[ "$cmd" = help ] && continue # its --help leaves out the global options it accepts
	want=$("$bloc" help "$cmd" | grep -oE '^  (-[a-z], |    )--[a-z0-9-]+' | sed 's/.*--/--/' | sort | tr '\n' ' ')
	comp "$cmd" --
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
	checks=$((checks + 1))
	[ "$got" = "$want" ] || fail "bloc $cmd --<TAB>: got '$got', --help lists '$want'"
done
[ "$checks" -gt 40 ] || fail "only $checks checks ran"

echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ]
