#!/bin/sh
# Candidates are people (issue 14), on GE2024 Bradford West, where Labour held the seat by 707
# votes over the first of three independents: the majority is 707, IND's target is the leading
# independent's share (not the three added together), and so is IND's share in the swing from
# 2019. Every expected figure is read from bloc's own answers (the seat's candidates).
# Usage: candidates.sh path/to/bloc (BLOC_DATA set).
set -u
bloc=$1
. "$(dirname "$0")/../checks.sh"

# run NAME ARGS...: bloc ARGS into $tmp/NAME; 1 when it failed.
run() {
	name=$1
	shift
	checks=$((checks + 1))
	if ! "$bloc" "$@" >"$tmp/$name" 2>"$tmp/$name.err"; then
		fail "bloc $*: exited non-zero: $(head -c 400 "$tmp/$name.err")"
		return 1
	fi
	return 0
}

# col FILE CODE NAME: the value of column NAME in the row of FILE (CSV) whose column code is CODE.
col() {
	awk -F, -v code="$2" -v name="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) { if ($i == name) c = i; if ($i == "code") k = i }; next }
		$k == code && c { print $c; exit }' "$1"
}

# near A B TOL: |A - B| <= TOL
near() {
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && b != "" && d <= t) }'
}

code=E14001120
run seat.csv seat ge2024 "Bradford West" --format csv || exit 1
# the leading independent's share, the sum of all the independents' shares, and how many stood
lead=$(awk -F, '$2 == "IND" { print $4; exit }' "$tmp/seat.csv")
sum=$(awk -F, '$2 == "IND" { s += $4 } END { printf "%.2f", s }' "$tmp/seat.csv")
n=$(awk -F, '$2 == "IND"' "$tmp/seat.csv" | wc -l)
lab=$(awk -F, '$2 == "LAB" { print $4; exit }' "$tmp/seat.csv")
checks=$((checks + 1))
[ "$n" -ge 2 ] && [ -n "$lead" ] && [ -n "$lab" ] ||
	fail "seat ge2024 Bradford West: expected Labour and several independents: $(cat "$tmp/seat.csv")"

# --- results --by seat: Labour by 707 over an independent ---
if run seats.csv results ge2024 --by seat --format csv; then
	checks=$((checks + 1))
	[ "$(col "$tmp/seats.csv" $code winner)" = LAB ] &&
		[ "$(col "$tmp/seats.csv" $code second)" = IND ] &&
		[ "$(col "$tmp/seats.csv" $code majority)" = 707 ] ||
		fail "results ge2024 --by seat: Bradford West is not LAB by 707 over IND: $(grep "^$code," "$tmp/seats.csv")"
fi

# --- targets ge2024 IND: (LAB share - leading IND share) / 2, positive ---
if run targets.csv targets ge2024 IND --format csv; then
	party=$(col "$tmp/targets.csv" $code party_share)
	holder=$(col "$tmp/targets.csv" $code holder_share)
	need=$(col "$tmp/targets.csv" $code swing_needed)
	checks=$((checks + 1))
	near "$party" "$lead" 0.005 ||
		fail "targets ge2024 IND: Bradford West's party_share is $party, the leading independent has $lead (all of them: $sum)"
	checks=$((checks + 1))
	near "$holder" "$lab" 0.005 || fail "targets ge2024 IND: Bradford West's holder_share is $holder, Labour has $lab"
	checks=$((checks + 1))
	want=$(awk -v a="$lab" -v b="$lead" 'BEGIN { printf "%.4f", (a - b) / 2 }')
	near "$need" "$want" 0.011 && awk -v x="$need" 'BEGIN { exit !(x > 0) }' ||
		fail "targets ge2024 IND: Bradford West needs $need, expected (LAB $lab - IND $lead) / 2 = $want > 0"
	checks=$((checks + 1))
	"$bloc" targets ge2024 IND --format json | grep -q '"party_share":"[^"]*leading independent' ||
		fail "targets ge2024 IND: the metadata does not say IND is the leading independent"
fi

# --- swing ge2019 ge2024 --pair LAB,IND: IND's 2024 share is the leading independent's ---
if run swing.csv swing ge2019 ge2024 --pair LAB,IND --format csv; then
	b_to=$(col "$tmp/swing.csv" $code b_to)
	a_to=$(col "$tmp/swing.csv" $code a_to)
	checks=$((checks + 1))
	near "$b_to" "$lead" 0.005 ||
		fail "swing ge2019 ge2024 --pair LAB,IND: Bradford West's b_to is $b_to, the leading independent has $lead (all of them: $sum)"
	checks=$((checks + 1))
	near "$a_to" "$lab" 0.005 || fail "swing: Bradford West's a_to is $a_to, Labour has $lab"
	# the notional 2019 result names no candidate: the 2024 independent is new, from 0
	checks=$((checks + 1))
	[ "$(col "$tmp/swing.csv" $code b_from)" = 0.00 ] ||
		fail "swing: Bradford West's b_from is $(col "$tmp/swing.csv" $code b_from), expected 0 (no named independent in 2019)"
	checks=$((checks + 1))
	"$bloc" swing ge2019 ge2024 --pair LAB,IND --format json | grep -q '"independents":"[^"]*same name' ||
		fail "swing: the metadata does not state how independents are matched"
fi

# --- the help states the rule ---
for cmd in swing targets; do
	checks=$((checks + 1))
	"$bloc" $cmd --help | grep -q "leading independent" || fail "bloc $cmd --help does not state the rule for independents"
done

finish
