#!/usr/bin/env bash
# A seat whose candidates all have 0 votes has no winner: it is shown as missing ("-" in tables,
# null in JSON, "no votes" on maps), never as won by the first candidate listed, never as nan,
# and swing, targets, project, backtest and power leave it out.
#   bash zero_votes.sh BLOC SOURCE_DIR
set -u
bloc=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bloc-zero.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
f="$tmp/zero.csv"
cat >"$f" <<'CSV'
contest,date,seat_code,seat_name,region,nation,electorate,party,candidate,votes
zv,2024-07-04,E14000530,Alpha,London,England,1000,LAB,Ann Smith,500
zv,2024-07-04,E14000530,Alpha,London,England,1000,CON,Bob Jones,300
zv,2024-07-04,E14000531,Beta,London,England,1000,LAB,Cat Brown,0
zv,2024-07-04,E14000531,Beta,London,England,1000,CON,Dan Green,0
zv,2024-07-04,E14000532,Gamma,London,England,1000,CON,Eve White,400
zv,2024-07-04,E14000532,Gamma,London,England,1000,LAB,Fay Black,350
CSV

bad() {
	echo "FAIL $1"
	[ -s "$tmp/out" ] && sed 's/^/    /' "$tmp/out" | head -n 12
	[ -s "$tmp/err" ] && sed 's/^/    /' "$tmp/err" | head -n 5
	fail=1
}

# run NAME ARGS...: must succeed, with no nan anywhere in the output
run() {
	name=$1
	shift
	if ! "$bloc" "$@" >"$tmp/out" 2>"$tmp/err"; then
		bad "$name: exit status not 0"
		return 1
	fi
	if grep -Eiq '(^|[^a-z])nan([^a-z]|$)|inf%' "$tmp/out"; then
		bad "$name: nan in the output"
		return 1
	fi
	return 0
}

# expect NAME REGEX: the last output has a line matching REGEX
expect() {
	grep -Eq "$2" "$tmp/out" || bad "$1: expected a line matching /$2/"
}
refuse() {
	! grep -Eq "$2" "$tmp/out" || bad "$1: expected no line matching /$2/"
}

run results results "$f" && expect results '^LAB +1 ' && expect results '^CON +1 '
run "results --by seat" results "$f" --by seat &&
	expect "results --by seat" '^E14000531 +Beta .* 0 +0\.00 +- +- +- +- +-$'
run "results json" --format json results "$f" --by seat &&
	expect "results json" '"code":"E14000531".*"winner":null,"second":null,"majority":null,"majority_pct":null,"winner_candidate":null'
run seat seat "$f" E14000531 && expect seat '^# winner: -$' && expect seat '^# majority: -$' &&
	refuse seat 'winner_candidate'
run "seat json" --format json seat "$f" E14000531 &&
	expect "seat json" '"winner":null,"majority":null,"majority_pct":null'
run swing swing "$f" "$f" --pair CON,LAB && expect swing '^E14000531 +Beta +- +- +- +- '
run targets targets "$f" LAB && refuse targets 'E14000531'
run "targets CON" targets "$f" CON && refuse "targets CON" 'E14000531'
run project project "$f" --shares LAB=60,CON=40 && expect project '^LAB +2 ' && expect project '^CON +0 '
run "project --by seat" project "$f" --by seat --shares LAB=60,CON=40 &&
	expect "project --by seat" '^E14000531 +Beta +- +- +- +- +-$'
run "project --by winners json" --format json project "$f" --by winners &&
	expect "project --by winners json" '"code":"E14000531","winner":null'
run "project --by flow" project "$f" --by flow && expect "project --by flow" '^TOTAL +1 +1 +2$'
run backtest backtest "$f" "$f" && expect backtest '^seats +2$'
run map map "$f" && expect map 'data-code="E14000531"><title>Beta \(E14000531\): no votes' &&
	refuse map 'nan%'
run "map share" map "$f" --colour share:LAB && refuse "map share" 'nan%'
run "map change" map "$f" --colour change --shares LAB=60,CON=40 &&
	expect "map change" 'Beta \(E14000531\): no votes'
run report report "$f" && expect report 'Beta \(E14000531\): no votes'
run indices indices "$f" --wasted
run chart chart "$f" --type seats
if "$bloc" power "$f" --group muslim --census bes2019 >"$tmp/out" 2>"$tmp/err"; then
	grep -Eiq '(^|[^a-z])nan([^a-z]|$)' "$tmp/out" && bad "power: nan in the output"
	expect power '^E14000531 +Beta +- +- +- '
fi
exit $fail
