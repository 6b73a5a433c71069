#!/bin/sh
# Group scenarios (issue 14) through the command line, on the real data:
#  - --baseline ei: the group's votes in each seat are bloc ei's per-seat posterior means for the
#    same run (GE2019, Muslim voters; a short run, cached under the test's scratch directory);
#  - --stand with a group shift: the group's votes move to IND only in the seats named;
#  - a shift larger than the group's vote for a party is an error naming the seat;
#  - the shares set hold within 0.05 points in every model, and the metadata says so.
# Usage: scenarios.sh path/to/bloc (BLOC_DATA set).
set -u
bloc=$1
. "$(dirname "$0")/../checks.sh"
BLOC_CACHE=$tmp/cache
export BLOC_CACHE
EI="draws=200,chains=2,burnin=100"

# 1. --baseline ei reproduces bloc ei --by seat (the same options: one run, then the cache)
checks=$((checks + 1))
if "$bloc" project ge2019 --group muslim:LAB=+0 --baseline "ei:$EI" --by group --format csv \
	>"$tmp/group.csv" 2>"$tmp/group.err" &&
	"$bloc" ei ge2019 --groups muslim --method rxc --by seat --draws 200 --chains 2 \
		--burnin 100 --format csv >"$tmp/ei.csv" 2>"$tmp/ei.err"; then
	# ei: code,group,party,estimate,... (fractions, 4 decimals); project: code,name,party,
	# group_base (points, 4 decimals). BRX is REF in a projection; OTH is spread over the
	# small parties' candidates, so it is not compared.
	out=$(awk -F, '
		NR == FNR { if (FNR > 1 && $2 == "muslim" && $3 != "OTH" && $10 > 0) {
			p = $3 == "BRX" ? "REF" : $3; want[$1 "," p] = 100 * $4; n++ } next }
		# (a seat name may hold a comma: count the fields from the end)
		FNR > 1 && ($1 "," $(NF - 4)) in want {
			k = $1 "," $(NF - 4); d = $(NF - 3) - want[k]; if (d < 0) d = -d
			seen++; if (d > 0.0051) { bad++; if (bad < 4) print "  " k ": " $(NF - 3) " vs " want[k] } }
		END { printf "%d %d %d\n", n, seen, bad + 0 }' "$tmp/ei.csv" "$tmp/group.csv")
	set -- $out
	if [ "$1" -lt 2000 ] || [ "$2" -ne "$1" ] || [ "$3" -ne 0 ]; then
		fail "baseline ei: $1 ei cells, $2 in the projection, $3 differ: $(echo "$out" | tail -n +2)"
	fi
	"$bloc" project ge2019 --group muslim:LAB=+0 --baseline "ei:$EI" >"$tmp/group.txt" 2>&1
	grep -q "^# baseline: ei:$EI" "$tmp/group.txt" || fail "baseline ei: not in the metadata"
else
	fail "baseline ei run: $(cat "$tmp/group.err" "$tmp/ei.err" 2>/dev/null | head -c 400)"
fi

# codes_of NAME...: the seats' codes, sorted, ';'-joined (from bloc seat)
codes_of() {
	for n in "$@"; do
		"$bloc" seat ge2019-notional-2023 "$n" | sed -n 's/^# seat: //p'
	done | sort | tr '\n' ';'
}

# 2. --stand: IND's group votes land only where an independent was stood
checks=$((checks + 1))
if "$bloc" project ge2019-notional-2023 --stand "IND@Leicester South,Birmingham Perry Barr" \
	--group muslim:LAB=-10,IND=+10 --baseline survey:LAB=86,CON=9,LD=3,GRN=2 --by group \
	--format csv >"$tmp/stand.csv" 2>"$tmp/stand.err" &&
	"$bloc" project ge2019-notional-2023 --stand "IND@Leicester South,Birmingham Perry Barr" \
		--group muslim:LAB=-10,IND=+10 --baseline survey:LAB=86,CON=9,LD=3,GRN=2 \
		>"$tmp/stand.txt" 2>>"$tmp/stand.err"; then
	got=$(awk -F, '$(NF - 4) == "IND" && $NF - $(NF - 1) > 0.5 { print $1 }' "$tmp/stand.csv" | sort | tr '\n' ';')
	[ "$got" = "$(codes_of "Birmingham Perry Barr" "Leicester South")" ] ||
		fail "stand: the group's IND votes landed in '$got'"
	grep -q '^# stood: 2' "$tmp/stand.txt" || fail "stand: metadata has no 'stood: 2'"
	grep -q '^# group_home_votes: [1-9]' "$tmp/stand.txt" ||
		fail "stand: the shift towards IND where none stands did not stay at home"
else
	fail "stand run: $(head -c 400 "$tmp/stand.err")"
fi

# 3. a shift the group's vote cannot pay is an error naming a seat (the census baseline)
checks=$((checks + 1))
if "$bloc" project ge2019 --group muslim:LAB=-40 >/dev/null 2>"$tmp/over.err"; then
	fail "a 40-point shift from LAB under the census baseline did not fail"
elif ! grep -q 'cannot lose more of a party than it gave it' "$tmp/over.err" ||
	! grep -qE '\((E|S|W)[0-9]{8}\)' "$tmp/over.err"; then
	fail "over-large shift: $(head -c 300 "$tmp/over.err")"
fi

# held_gap FILE: from a projection's metadata, the national parties held and the largest
# |reached - asked| among them, in points
held_gap() {
	printf '%s\n%s\n' "$(sed -n 's/^# shares_asked: national: //p' "$1")" \
		"$(sed -n 's/^# shares_reached: national: //p' "$1")" | awk -F, '
		NR == 1 { for (i = 1; i <= NF; i++) { split($i, kv, "="); a[kv[1]] = kv[2] } }
		NR == 2 { for (i = 1; i <= NF; i++) { split($i, kv, "="); d = kv[2] - a[kv[1]]
			if (d < 0) d = -d; if (d > m) m = d; n++ } }
		END { printf "%d %.4f\n", n, m }'
}

# 4. shares held with a group shift, in every model
for model in uniform proportional transition strong; do
	checks=$((checks + 1))
	if ! "$bloc" project ge2019-notional-2023 --shares LAB=33.7,CON=23.7,REF=14.3,LD=12.2 \
		--stand REF@GB --group muslim:LAB=-15,GRN=+5 --baseline survey:LAB=86,CON=9,LD=3,GRN=2 \
		--model "$model" >"$tmp/hold.txt" 2>"$tmp/hold.err"; then
		fail "hold $model: $(head -c 300 "$tmp/hold.err")"
		continue
	fi
	set -- $(held_gap "$tmp/hold.txt")
	[ "$1" -eq 4 ] && awk "BEGIN { exit !($2 <= 0.05) }" ||
		fail "hold $model: $1 parties, largest gap $2 ($(grep '^# shares_' "$tmp/hold.txt"))"
done
# 4b. every GB party's 2024 share held at once, REF standing everywhere: what the held parties
# share together hardly moves with their targets, so a Newton step can be very long; shortened
# as a whole it still gets there (clipped party by party, it stopped with "cannot hold SNP at
# 2.52%").
checks=$((checks + 1))
if "$bloc" project ge2019-notional-2023 --stand REF@GB \
	--shares LAB=33.70,CON=23.70,LD=12.22,SNP=2.52,REF=14.29,GRN=6.75,PC=0.68 \
	>"$tmp/all.txt" 2>"$tmp/all.err"; then
	set -- $(held_gap "$tmp/all.txt")
	[ "$1" -eq 7 ] && awk "BEGIN { exit !($2 <= 0.05) }" ||
		fail "all GB parties held: $1 parties, largest gap $2 ($(grep '^# shares_' "$tmp/all.txt"))"
else
	fail "all GB parties held: $(head -c 300 "$tmp/all.err")"
fi
# 5. the share map shows a candidate's share: Bradford West's leading independent, not the three
checks=$((checks + 1))
if "$bloc" map ge2024 --colour share:IND -o "$tmp/ind.svg" 2>"$tmp/ind.err"; then
	lead=$("$bloc" seat ge2024 "Bradford West" --format csv | awk -F, '$2 == "IND" { print $4; exit }')
	want=$(printf '%.1f' "$lead")
	grep -q "IND $want%" "$tmp/ind.svg" || fail "map share:IND: no 'IND $want%' (the leading independent) in the SVG"
else
	fail "map share:IND: $(head -c 300 "$tmp/ind.err")"
fi
finish
