#!/bin/sh
# The manual pages the build writes with `bloc help --man` (man/man.cmake): bloc(1) and one
# page per command `bloc --help` lists; each renders with groff and man(1) without a warning;
# and each says what --help says: every option with its help text, and every example.
# Usage: run.sh path/to/bloc MAN1_DIR (skipped, exit 77, without groff).
set -u
bloc=$1
dir=$2
command -v groff >/dev/null 2>&1 || {
	echo "skipped: groff is not installed (apt-get install groff-base man-db)"
	exit 77
}
. "$(dirname "$0")/../checks.sh"

# render PAGE: the page as plain text on one line (no hyphenation, no bold or underline)
render() {
	groff -man -Tutf8 -rHY=0 -rLL=300n -P-cbou "$1" 2>/dev/null | tr -s ' \n' '  '
}

# mentions PAGE TEXT WHAT: the rendered page contains TEXT (spaces collapsed)
mentions() {
	checks=$((checks + 1))
	want=$(printf '%s' "$2" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//')
	grep -qF -- "$want" "$tmp/page.txt" || fail "$(basename "$1"): $3 missing: '$want'"
}

# check PAGE: renders without a warning, with groff and with man
check_renders() {
	checks=$((checks + 1))
	if [ ! -s "$1" ]; then
		fail "$1: no page"
		return 1
	fi
	warn=$(groff -man -Tutf8 -ww -z "$1" 2>&1)
	[ -z "$warn" ] || fail "$(basename "$1"): groff: $warn"
	if command -v man >/dev/null 2>&1; then
		warn=$(MANPAGER=cat MANWIDTH=80 man --warnings -l "$1" 2>&1 >/dev/null)
		[ $? -eq 0 ] && [ -z "$warn" ] || fail "$(basename "$1"): man -l: $warn"
	fi
	render "$1" >"$tmp/page.txt"
	for section in NAME SYNOPSIS DESCRIPTION "SEE ALSO"; do
		mentions "$1" "$section" "section $section"
	done
	return 0
}

# options OPTIONS-TEXT: the --name and help text of each option of --help, as "NAME<TAB>HELP"
# lines (an option's help starts at column 25, on its line or the next, and goes on there)
options() {
	awk '
	/^  (-[a-zA-Z], |    )--[a-z0-9-]/ {
		if (name != "") print name "\t" help
		match($0, /--[a-z0-9-]+/); name = substr($0, RSTART, RLENGTH)
		help = (length($0) > 24 && substr($0, 24, 1) == " ") ? substr($0, 25) : ""
		next
	}
	/^                        [^ ]/ && name != "" { help = help (help == "" ? "" : " ") substr($0, 25); next }
	{ if (name != "") print name "\t" help; name = "" }
	END { if (name != "") print name "\t" help }'
}

commands=$("$bloc" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
[ "$(echo "$commands" | wc -w)" -ge 10 ] || fail "bloc --help lists too few commands: $commands"

# bloc(1): every command and global option
page=$dir/bloc.1
if check_renders "$page"; then
	"$bloc" --help | options >"$tmp/opts"
	[ -s "$tmp/opts" ] || fail "bloc --help: no options found"
	while IFS="$(printf '\t')" read -r name help; do
		mentions "$page" "$name" "option"
		mentions "$page" "$help" "help of $name"
	done <"$tmp/opts"
	for cmd in $commands; do
		mentions "$page" "bloc-$cmd(1)" "command"
	done
	mentions "$page" "BLOC_DATA" "environment"
fi

for cmd in $commands; do
	page=$dir/bloc-$cmd.1
	check_renders "$page" || continue
	"$bloc" help "$cmd" >"$tmp/help"
	mentions "$page" "$("$bloc" help "$cmd" | sed -n 3p)" "summary"
	options <"$tmp/help" >"$tmp/opts"
	while IFS="$(printf '\t')" read -r name help; do
		mentions "$page" "$name" "option"
		mentions "$page" "$help" "help of $name"
	done <"$tmp/opts"
	if grep -q '^Global options' "$tmp/help"; then
		for section in "GLOBAL OPTIONS" ENVIRONMENT FILES; do
			mentions "$page" "$section" "section $section"
		done
	fi
	# every example line
	sed -n '/^Examples*:$/,/^$/{/^  /p}' "$tmp/help" >"$tmp/examples"
	if [ -s "$tmp/examples" ]; then
		mentions "$page" "EXAMPLES" "section EXAMPLES"
		while read -r line; do
			mentions "$page" "$line" "example"
		done <"$tmp/examples"
	fi
done
# bloc help --man of an unknown command is a usage error
checks=$((checks + 1))
"$bloc" help --man nosuchcommand >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] && [ ! -s "$tmp/out" ] || fail "bloc help --man nosuchcommand: exit $rc, output: $(head -c 200 "$tmp/out")"
[ "$checks" -gt 200 ] || fail "only $checks checks ran"

finish
