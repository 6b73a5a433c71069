#!/bin/sh
# The command line's contract: exit codes (0 ok, 1 data or runtime error, 2 usage error), every
# command's help, and -o writing all or nothing. Usage: run.sh path/to/bloc (BLOC_DATA set).
set -u
bloc=$1
. "$(dirname "$0")/../checks.sh"

# expect CODE ARGS...: run bloc with ARGS, check the exit code; stdout/stderr kept in $tmp.
expect() {
	want=$1
	shift
	checks=$((checks + 1))
	"$bloc" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
	got=$?
	# under ASan/UBSan a report may exit 1, like a data error: look for it
	if grep -q -e 'Sanitizer' -e 'runtime error' "$tmp/stderr"; then
		fail "bloc $*: sanitizer report: $(head -c 600 "$tmp/stderr")"
		return 1
	fi
	if [ "$got" -ne "$want" ]; then
		fail "bloc $* exited $got, expected $want; stderr: $(head -c 400 "$tmp/stderr")"
		return 1
	fi
	if [ "$want" -ne 0 ] && ! grep -q '^bloc: ' "$tmp/stderr"; then
		fail "bloc $*: no 'bloc: ' message on stderr"
	fi
	if [ "$want" -eq 2 ] && ! grep -q 'usage: bloc' "$tmp/stderr"; then
		fail "bloc $*: a usage error without the usage"
	fi
	return 0
}

# no_leftovers DIR: nothing but the files named after DIR is in DIR (no temporary files).
no_leftovers() {
	dir=$1
	shift
	left=$(cd "$dir" && ls -A)
	if [ "$left" != "$*" ]; then
		fail "files left in $dir: '$left', expected '$*'"
	fi
}

# --- usage errors: 2 ---
expect 2
expect 2 nosuchcommand
expect 2 --nosuchoption elections
expect 2 --format xml elections
expect 2 elections --format
expect 2 elections extra
expect 2 results
expect 2 results ge2019 ge2024
expect 2 results ge2019 --nosuchoption
expect 2 results ge2019 --by planet
expect 2 results ge2019 --help=yes
expect 2 seat ge2019
expect 2 targets ge2019 NOSUCHPARTY
grep -q "unknown party 'NOSUCHPARTY'" "$tmp/stderr" || fail "unknown party: message: $(cat "$tmp/stderr")"
expect 2 targets ge2019 LAB --limit ten
expect 2 targets ge2019 LAB --limit 0
expect 2 swing ge2019 ge2024
expect 2 swing ge2019 ge2024 --pair CON
expect 2 swing ge2019 ge2024 --pair CON,NOSUCHPARTY
expect 2 swing ge2019 ge2024 --pair LAB,Labour
expect 2 swing ge2019 ge2024 --pair CON,LAB --nation Atlantis
expect 2 export ge2019 --format json
expect 2 help nosuchcommand

# --- data and runtime errors: 1, and -o leaves nothing behind ---
mkdir "$tmp/out"
expect 1 results "$tmp/no-such-file.csv" -o "$tmp/out/r.csv"
no_leftovers "$tmp/out"
expect 1 --data "$tmp/no-such-dir" elections
expect 1 results nosuchcontest
expect 1 seat ge2019 "Nowhere and Nothing"
expect 1 seat ge2019 batley
grep -q 'Batley and Spen' "$tmp/stderr" || fail "seat: no suggestion in: $(cat "$tmp/stderr")"
expect 1 results ge2019 -o "$tmp/no-such-dir/r.csv"
printf 'not,a,results,file\n1,2,3,4\n' >"$tmp/bad.csv"
expect 1 export "$tmp/bad.csv" -o "$tmp/out/bad.csv"
no_leftovers "$tmp/out"

# --- project and backtest: bad options are usage errors (2), bad scenario values data errors (1)
expect 2 project
expect 2 project ge2024 --nosuchoption
expect 2 project ge2024 --by planet
expect 2 project ge2024 a.json b.json
expect 2 backtest ge2017
expect 2 backtest ge2017 ge2019 --model bogus
expect 2 backtest ge2017 ge2019 --by planet
expect 2 backtest ge2017 ge2019 --threshold 2
printf '{\n  "shares": {"LAB": 34,}\n}\n' >"$tmp/bad.json"
expect 1 project ge2024 "$tmp/bad.json"
grep -q "bad.json:2:[0-9]*: " "$tmp/stderr" || fail "bad JSON: no file:line:column in: $(cat "$tmp/stderr")"
printf '{"shares": {"LAB": 34, "XYZ": 3}}' >"$tmp/party.json"
expect 1 project ge2024 "$tmp/party.json"
grep -q "shares.XYZ: unknown party 'XYZ'" "$tmp/stderr" || fail "JSON unknown party: $(cat "$tmp/stderr")"
printf '{"shares": {"LAB": 60, "CON": 50}}' >"$tmp/sum.json"
expect 1 project ge2024 "$tmp/sum.json"
grep -q "above 100" "$tmp/stderr" || fail "JSON shares above 100: $(cat "$tmp/stderr")"
printf '{"colour": "red"}' >"$tmp/key.json"
expect 1 project ge2024 "$tmp/key.json"
grep -q "unknown key 'colour'" "$tmp/stderr" || fail "JSON unknown key: $(cat "$tmp/stderr")"
printf '{"shares": {"LAB": 30}}' >"$tmp/nobase.json"
expect 2 project "$tmp/nobase.json"
expect 1 project ge2024 "$tmp/no-such-scenario.json"
expect 1 project ge2024 --shares LAB=34,XYZ=3
grep -q "unknown party 'XYZ'" "$tmp/stderr" || fail "unknown party: $(cat "$tmp/stderr")"
expect 1 project ge2024 --region Atlantis:LAB=30
grep -q "Atlantis" "$tmp/stderr" || fail "unknown region: $(cat "$tmp/stderr")"
expect 1 project ge2024 --group martians:LAB=-20
grep -q "unknown group 'martians'" "$tmp/stderr" || fail "unknown group: $(cat "$tmp/stderr")"
expect 1 project ge2024 --shares LAB=60,CON=50
grep -q "above 100" "$tmp/stderr" || fail "shares above 100: $(cat "$tmp/stderr")"
expect 1 project ge2024 --shares LAB=60 --shares CON=50
grep -q "above 100" "$tmp/stderr" || fail "merged shares above 100: $(cat "$tmp/stderr")"
expect 1 project ge2024 --shares LAB=thirty
expect 1 project ge2024 --swing LAB:REF=50
expect 1 project ge2024 --model bogus
expect 1 project ge2024 --threshold 20
# a scenario with no change reproduces the base: no seat changes hands, the same seats per party
if expect 0 project ge2024 --by changes --format csv; then
	[ "$(wc -l <"$tmp/stdout")" -eq 1 ] || fail "a zero-change projection changes seats"
fi
if expect 0 project ge2024 --format csv; then
	cut -d, -f1,2 "$tmp/stdout" | grep -v ',0$' | sort >"$tmp/projected"
	expect 0 results ge2024 --format csv &&
		cut -d, -f1,2 "$tmp/stdout" | grep -v ',0$' | sort >"$tmp/actual"
	cmp -s "$tmp/projected" "$tmp/actual" || fail "zero-change projection: seats differ from results"
fi
# repeated flags merge, after the file, in order; standard input as the file
printf '{"base": "ge2024", "shares": {"LAB": 30, "REF": 20}}' >"$tmp/s.json"
if expect 0 project - --shares CON=20 --shares LAB=31 --format json <"$tmp/s.json"; then
	grep -q '"shares\\":{\\"LAB\\":31,\\"REF\\":20,\\"CON\\":20}' "$tmp/stdout" ||
		fail "merged scenario not echoed: $(head -c 600 "$tmp/stdout")"
fi
if expect 0 project ge2024 --by seat --format csv; then
	head -n 1 "$tmp/stdout" | grep -q '^code,name,winner_base,winner,majority_pct,CON,LAB,' ||
		fail "project --by seat: header $(head -n 1 "$tmp/stdout")"
	[ "$(wc -l <"$tmp/stdout")" -eq 651 ] || fail "project --by seat: not 650 seats"
fi
if expect 0 backtest ge2017 ge2019 --format csv; then
	head -n 4 "$tmp/stdout" | tr '\n' ' ' | grep -q '^metric,value seats_wrong,[0-9]* seats,632 share_mae,' ||
		fail "backtest: first rows $(head -n 4 "$tmp/stdout")"
fi

# --- power: views and Monte Carlo settings are usage errors (2), assumptions and census data
# errors (1); simulations do not depend on the thread count ---
fixtures=$(cd "$(dirname "$0")/../power" && pwd)
expect 2 power
expect 2 power ge2024
grep -q -- '--group NAME is required' "$tmp/stderr" || fail "power without --group: $(cat "$tmp/stderr")"
expect 2 power ge2024 --group muslim --nosuchoption
expect 2 power ge2024 ge2019 --group muslim
expect 2 power ge2024 --summary --group muslim
expect 2 power ge2024 --group muslim --curve --decisive
expect 2 power ge2024 --group muslim --curve --cohesion 0.5
expect 2 power ge2024 --group muslim --sims ten
expect 2 power ge2024 --group muslim --sims -5
expect 2 power ge2024 --group muslim --seed 1.5
expect 2 power ge2024 --group muslim --threads many
expect 2 power ge2024 --group muslim --decisive=yes
expect 1 power ge2024 --group martians
{ grep -q "martians" "$tmp/stderr" && grep -q "muslim" "$tmp/stderr"; } ||
	fail "power: unknown group does not list the groups: $(cat "$tmp/stderr")"
expect 1 power ge2024 --group muslim --cohesion 1.2
grep -q -- "--cohesion" "$tmp/stderr" || fail "power --cohesion 1.2: $(cat "$tmp/stderr")"
expect 1 power ge2024 --group muslim --cohesion -0.1
expect 1 power ge2024 --group muslim --cohesion high
expect 1 power ge2024 --group muslim --turnout 1.5
expect 1 power ge2024 --group muslim --turnout 0
expect 1 power ge2024 --group muslim --adult-ratio 0
expect 1 power ge2024 --group muslim --support LAB=87,CON=20
grep -q "above 100" "$tmp/stderr" || fail "power --support above 100: $(cat "$tmp/stderr")"
expect 1 power ge2024 --group muslim --support LAB=60 --support CON=50
grep -q "above 100" "$tmp/stderr" || fail "power: merged --support above 100: $(cat "$tmp/stderr")"
expect 1 power ge2024 --group muslim --support XYZ=5
grep -q "unknown party 'XYZ'" "$tmp/stderr" || fail "power --support XYZ: $(cat "$tmp/stderr")"
expect 1 power ge2024 --group muslim --support LAB
expect 1 power ge2024 --group muslim --third XYZ
expect 1 power nosuchcontest --group muslim
expect 1 power ge2024 --group muslim --census "$tmp/no-such-shares.csv"
expect 1 power ge2024 --group kashmiri --census "$fixtures/bad-share.csv"
grep -q "bad-share.csv:3:[0-9]*: " "$tmp/stderr" || fail "power: bad shares file: no file:line:column in: $(cat "$tmp/stderr")"
expect 1 power ge2024 --group sikh --census "$fixtures/ge2024-shares.csv"
expect 1 power ge2024 --group muslim --census ge2019
expect 1 power ge2024 --group muslim --census bes2019
grep -q "census21_wpc_religion" "$tmp/stderr" || fail "power --census bes2019 for ge2024: $(cat "$tmp/stderr")"
expect 0 power ge2024 --group muslim --census census21-religion --format csv
if expect 0 power ge2024 --group muslim --format csv; then
	head -n 1 "$tmp/stdout" | grep -q '^code,name,winner,second,majority,group_share,group_voters,flip_switch,flip_abstain,decisive,pivot_prob,' ||
		fail "power: header $(head -n 1 "$tmp/stdout")"
	[ "$(wc -l <"$tmp/stdout")" -eq 651 ] || fail "power: not 650 seats"
	# Northern Ireland has no census: its group columns are empty
	grep -q '^N05[0-9]*,[^,]*,[^,]*,[^,]*,[0-9]*,,,,,,' "$tmp/stdout" ||
		fail "power: a Northern Irish seat has group figures"
	cp "$tmp/stdout" "$tmp/power_default.csv"
	expect 0 power ge2024 --group muslim --census census21-religion --format csv &&
		{ cmp -s "$tmp/stdout" "$tmp/power_default.csv" || fail "power --census census21-religion differs from the default"; }
fi
if expect 0 power ge2024 --group muslim --sims 2000 --seed 7 --decisive --format csv --threads 1; then
	cp "$tmp/stdout" "$tmp/power_t1.csv"
	expect 0 power ge2024 --group muslim --sims 2000 --seed 7 --decisive --format csv --threads 2 &&
		{ cmp -s "$tmp/stdout" "$tmp/power_t1.csv" || fail "power: --threads 2 differs from --threads 1"; }
	expect 0 power ge2024 --group muslim --sims 2000 --seed 7 --decisive --format csv --threads 5 &&
		{ cmp -s "$tmp/stdout" "$tmp/power_t1.csv" || fail "power: --threads 5 differs from --threads 1"; }
	expect 0 power ge2024 --group muslim --sims 2000 --seed 8 --decisive --format csv &&
		{ cmp -s "$tmp/stdout" "$tmp/power_t1.csv" && fail "power: --seed 8 gives the same as --seed 7"; }
fi
# without --sims pivot_prob is empty (null in JSON)
if expect 0 power ge2024 --group muslim --format json; then
	grep -q '"pivot_prob":[0-9]' "$tmp/stdout" && fail "power: pivot_prob given without --sims"
	grep -q '"pivot_prob":null' "$tmp/stdout" || fail "power: no pivot_prob in JSON"
fi
if expect 0 power ge2024 --group muslim --sims 200 --seed 3 --format json; then
	grep -q '"seed":"3"' "$tmp/stdout" || fail "power: the seed is not echoed: $(head -c 300 "$tmp/stdout")"
fi
if expect 0 power ge2024 --summary --format csv; then
	[ "$(wc -l <"$tmp/stdout")" -eq 15 ] || fail "power --summary: not 14 groups"
	head -n 1 "$tmp/stdout" | grep -q '^group,national_share,seats_decisive,' ||
		fail "power --summary: header $(head -n 1 "$tmp/stdout")"
fi
if expect 0 power ge2024 --group muslim --curve --format csv; then
	[ "$(wc -l <"$tmp/stdout")" -eq 12 ] || fail "power --curve: not 11 points"
	# more cohesion never decides fewer seats
	awk -F, 'NR > 2 && $2 < last { bad = 1 } NR > 1 { last = $2 } END { exit bad }' "$tmp/stdout" ||
		fail "power --curve: decisive seats fall as cohesion rises"
fi
if expect 0 power ge2024 --summary --census "$fixtures/ge2024-shares.csv" --format csv; then
	[ "$(cut -d, -f1 "$tmp/stdout" | tr '\n' ' ')" = "group muslim " ] ||
		fail "power --summary with a shares file: $(cat "$tmp/stdout")"
fi

# --- -o: the same bytes as standard output, atomically, over an old file ---
if expect 0 results ge2019 --format csv; then
	cp "$tmp/stdout" "$tmp/expected.csv"
	echo old >"$tmp/out/r.csv"
	expect 1 results "$tmp/no-such-file.csv" --format csv -o "$tmp/out/r.csv"
	[ "$(cat "$tmp/out/r.csv")" = old ] || fail "a failed run changed the existing -o file"
	expect 0 results ge2019 --format csv -o "$tmp/out/r.csv"
	[ -s "$tmp/stdout" ] && fail "-o: something went to standard output too"
	cmp -s "$tmp/expected.csv" "$tmp/out/r.csv" || fail "-o: the file differs from stdout"
	no_leftovers "$tmp/out" r.csv
	# the format follows the file name when --format is not given
	expect 0 results ge2019 -o "$tmp/out/r.json"
	head -c 8 "$tmp/out/r.json" | grep -q '^{"meta"' || fail "-o FILE.json did not write JSON"
	rm -f "$tmp/out/r.json"
	expect 0 export ge2019 -o "$tmp/out/e.csv"
	head -n 1 "$tmp/out/e.csv" | grep -q '^contest,date,seat_code,seat_name' ||
		fail "export -o: not the canonical header"
	no_leftovers "$tmp/out" "e.csv
r.csv"
fi

# --- help: every command, both ways, exits 0 on stdout ---
expect 0 --help && grep -q '^Commands:' "$tmp/stdout" || fail "bloc --help lists no commands"
expect 0 help
expect 0 --version && grep -q '^bloc [0-9]' "$tmp/stdout" || fail "--version: $(cat "$tmp/stdout")"
"$bloc" --help | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' >"$tmp/commands"
[ "$(wc -l <"$tmp/commands")" -ge 7 ] || fail "bloc --help lists $(wc -l <"$tmp/commands") commands"
while read -r cmd; do
	for how in "$cmd --help" "$cmd -h" "help $cmd"; do
		# shellcheck disable=SC2086
		if expect 0 $how; then
			grep -q "^usage: bloc $cmd" "$tmp/stdout" || fail "bloc $how: no usage line"
			[ -s "$tmp/stderr" ] && fail "bloc $how: wrote to stderr"
		fi
	done
done <"$tmp/commands"
# help wins over missing arguments
expect 0 swing --help

# --- ecological inference: methods and their options ---
units="$(dirname "$0")/../ei/small.csv"
ei_args="ei --units $units --id ward --groups A,B --parties X,Y"
# shellcheck disable=SC2086
{
	expect 2 $ei_args --method nosuch
	expect 2 $ei_args --seed 3             # goodman is not random
	expect 2 $ei_args --method king --chains 3
	expect 2 $ei_args --method rxc --weighted
	expect 2 $ei_args --method rxc --chains 1
	expect 2 $ei_args --method rxc --target-ess lots
	expect 2 $ei_args --by party
	if expect 0 $ei_args --method king --draws 200 --format csv; then
		head -1 "$tmp/stdout" | grep -q '^group,party,estimate,lo95,hi95,rhat,ess,se,bound_lo,bound_hi,outside$' ||
			fail "ei --method king: header $(head -1 "$tmp/stdout")"
		[ "$(wc -l <"$tmp/stdout")" -eq 5 ] || fail "ei --method king: $(wc -l <"$tmp/stdout") lines, expected 5"
	fi
	# the sampler: same numbers whatever the threads; rhat and ess filled
	rxc="$ei_args --method rxc --burnin 100 --target-ess 50 --draws 3000 --format csv"
	if expect 0 $rxc --threads 1 -o "$tmp/rxc1.csv" && expect 0 $rxc --threads 3 -o "$tmp/rxc3.csv"; then
		cmp -s "$tmp/rxc1.csv" "$tmp/rxc3.csv" || fail "ei --method rxc: --threads 1 and 3 differ"
		awk -F, 'NR > 1 && ($6 == "" || $7 == "") { bad = 1 } END { exit bad }' "$tmp/rxc1.csv" ||
			fail "ei --method rxc: empty rhat or ess"
	fi
	if expect 0 $rxc --by seat; then
		[ "$(wc -l <"$tmp/stdout")" -eq 21 ] || fail "ei --method rxc --by seat: $(wc -l <"$tmp/stdout") lines, expected 21"
	fi
	# abstention as a party: the electorate is the total
	if expect 0 ei ge2024 --groups muslim --abstention --format csv; then
		grep -q '^muslim,ABSTAIN,' "$tmp/stdout" || fail "ei --abstention: no ABSTAIN column"
	fi
	expect 2 $ei_args --abstention
	"$bloc" ei-synth --units 30 --groups 3 --parties 2 -o "$tmp/three.csv" >/dev/null 2>&1
	expect 2 ei --units "$tmp/three.csv" --id id --groups G1,G2,G3 --parties P1,P2 --method king
}

finish
