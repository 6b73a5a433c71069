#!/bin/sh
# Malformed input: `bloc results FILE` must refuse every file in this directory (and a generated
# file with a field over 64 KiB) with exit status 1 and exactly one line on stderr naming the file
# as FILE:LINE:COLUMN:, and no sanitizer report.
#
#   sh tests/bad/run.sh path/to/bloc tests/bad
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 BLOC_BINARY BAD_DIR" >&2
	exit 2
fi
bloc=$1
dir=$2
if [ ! -x "$bloc" ]; then
	echo "bad_input: $bloc is not an executable" >&2
	exit 1
fi
if [ ! -d "$dir" ]; then
	echo "bad_input: $dir is not a directory" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bloc-bad.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# A field longer than the reader's 64 KiB limit, generated rather than committed.
huge="$tmp/huge-field.csv"
{
	echo "contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,votes"
	printf 't,2024-07-04,E14000001,'
	dd if=/dev/zero bs=1000 count=70 2>/dev/null | tr '\000' 'x'
	echo ',London,England,1000,LAB,Ann Smith,500'
} >"$huge"

pass=0
fail=0

# Regular expression matching the literal text $1.
quote_re() {
	printf '%s\n' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'
}

check() {
	f=$1
	"$bloc" results "$f" >"$tmp/out" 2>"$tmp/err"
	status=$?
	why=""
	lines=$(wc -l <"$tmp/err" | tr -d ' ')
	if [ "$status" -ne 1 ]; then
		why="exit status $status, expected 1"
	elif grep -Eq 'Sanitizer|runtime error:|==[0-9]+==' "$tmp/err"; then
		why="sanitizer report"
	elif [ "$lines" -ne 1 ]; then
		why="$lines lines on stderr, expected 1"
	elif ! grep -Eq "$(quote_re "$f"):[0-9]+:[0-9]+:" "$tmp/err"; then
		why="stderr does not name $f:LINE:COLUMN:"
	fi
	if [ -z "$why" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $f: $why" >&2
		sed 's/^/    /' "$tmp/err" | head -n 5 >&2
	fi
}

for f in "$dir"/*.csv; do
	[ -e "$f" ] || continue
	check "$f"
done
check "$huge"

echo "bad_input: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
