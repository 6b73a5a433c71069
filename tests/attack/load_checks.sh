#!/usr/bin/env bash
# What the results loaders must still accept beside what they refuse (tests/bad/): two
# independents in one seat are two candidates, unnamed candidates of different labels are
# different, 29 February of a leap year is a polling day; and a large file with every seat's
# rows together loads in a moment (the duplicate checks hash, they do not scan).
#   bash load_checks.sh BLOC SOURCE_DIR
set -u
bloc=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bloc-load.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
H="contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,votes"

ok() { # FILE WHAT: FILE must load
	if ! "$bloc" results "$1" --by seat >"$tmp/out" 2>"$tmp/err"; then
		echo "FAIL $2: $(cat "$tmp/err")"
		fail=1
	fi
}

printf '%s\n' "$H" \
	"t,2024-02-29,E14000001,Testham,London,England,1000,IND,Ann Smith,300" \
	"t,2024-02-29,E14000001,Testham,London,England,1000,IND,Bob Jones,200" \
	"t,2024-02-29,E14000001,Testham,London,England,1000,LAB,Ann Smith,100" >"$tmp/ind.csv"
ok "$tmp/ind.csv" "two independents, and a namesake of another party"
grep -q "IND *IND *100 *16.67 *Ann Smith" "$tmp/out" || {
	echo "FAIL two independents: expected IND over IND by 100"
	cat "$tmp/out"
	fail=1
}

printf '%s\n' "$H" \
	"t,2000-02-29,E14000001,Testham,London,England,1000,IND,,300" \
	"t,2000-02-29,E14000001,Testham,London,England,1000,IND,,200" >"$tmp/unnamed.csv"
# the label is what tells unnamed candidates apart: add one
sed -e '1s/$/,party_label/' -e '2s/$/,IND1/' -e '3s/$/,IND2/' "$tmp/unnamed.csv" >"$tmp/labels.csv"
ok "$tmp/labels.csv" "unnamed independents with labels IND1 and IND2"
if "$bloc" results "$tmp/unnamed.csv" >/dev/null 2>"$tmp/err" ||
	! grep -q "unnamed.csv:3:.*again (first on line 2)" "$tmp/err"; then
	echo "FAIL unnamed candidates with the same label: expected a repeated-row error"
	cat "$tmp/err"
	fail=1
fi

# 20,000 seats x 8 candidates
awk -v H="$H" 'BEGIN {
	print H
	for (s = 0; s < 20000; s++)
		for (k = 0; k < 8; k++)
			printf "big,2024-07-04,X%08d,Seat %d,London,England,100000,P%d,Cand %d,%d\n", s, s, k, k, 1000 + 10 * k
}' >"$tmp/big.csv"
start=$(date +%s)
ok "$tmp/big.csv" "a large file"
took=$(($(date +%s) - start))
if [ "$took" -gt 60 ]; then
	echo "FAIL a large file took ${took}s"
	fail=1
fi
exit $fail
