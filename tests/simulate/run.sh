#!/bin/sh
# bloc simulate on the real data: the CSV's columns, the same output for 1 and 2 threads, a
# broker campaign that moves the vote its way, a new candidate, bad input; --sweep gives one row
# per value; --fit meets its target; --actual, --by moved and --by spec; --all gives every seat,
# the same for 1 and 2 threads.
# Usage: run.sh path/to/bloc (BLOC_DATA set).
set -u
bloc=$1
. "$(dirname "$0")/../checks.sh"
args="--replicates 6 --electors 20000 --format csv"

run t1 simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 $args --threads 1 \
	--strategy RES=doorstep,LAB=broker
run t2 simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 $args --threads 2 \
	--strategy RES=doorstep,LAB=broker
cmp -s "$tmp/t1" "$tmp/t2" || fail "1 and 2 threads differ"
head -1 "$tmp/t1" | grep -q '^candidate,party,strategy,share_mean,share_lo90,share_hi90,p_win' ||
	fail "columns: $(head -1 "$tmp/t1")"

# brokers backing Respect in a seat half Muslim: Respect's share well above its 3.1% base
if run br simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 $args \
	--strategy RES=broker; then
	awk -F, '$2 == "RES" { found = 1; ok = $4 > 10 } END { exit !(found && ok) }' "$tmp/br" ||
		fail "broker campaign: $(grep RES "$tmp/br")"
fi
# a new candidate stands
if run st simulate "Batley and Spen" ge2019 $args --stand WPB --strategy WPB=both; then
	grep -q ',WPB,both,' "$tmp/st" || fail "--stand WPB: $(cat "$tmp/st")"
fi

# --sweep: one row per value; Respect's share rises with the doorstep's persuasion
if run sw simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 $args \
	--strategy RES=doorstep --sweep persuasion=0:0.3:4; then
	n=$(tail -n +2 "$tmp/sw" | wc -l)
	[ "$n" -eq 4 ] || fail "--sweep: $n rows, expected 4"
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "share_RES") c = i; if (!c) exit 1; next }
		{ if (NR > 2 && $c <= last) bad = 1; last = $c } END { exit bad || !c }' "$tmp/sw" ||
		fail "--sweep: Respect's share does not rise with persuasion: $(cat "$tmp/sw")"
fi

# --actual: the real result beside
if run ac simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 $args \
	--stand RES --actual by2012-bradford-west; then
	awk -F, '$2 == "RES" { found = 1; ok = $NF > 55.8 && $NF < 56 } END { exit !(found && ok) }' \
		"$tmp/ac" ||
		fail "--actual: Respect's 55.9%: $(cat "$tmp/ac")"
fi
# --actual: a party that did not stand in it has no real share (blank), and --fit refuses it
if run ac2 simulate "Batley and Spen" ge2019 --electors 3000 --replicates 2 --stand WPB \
	--actual by2021-batley-and-spen --format csv; then
	awk -F, '$2 == "GRN" { found = 1; ok = $NF == "" } END { exit !(found && ok) }' "$tmp/ac2" ||
		fail "--actual: the Greens did not stand in 2021: $(grep GRN "$tmp/ac2")"
fi
bad 2 simulate "Batley and Spen" ge2019 --electors 3000 --replicates 2 \
	--actual by2021-batley-and-spen --fit persuasion=GRN
# targeting the group's doors first, then the rest: in a seat whose group is tiny (Aberavon,
# 0.6%), a doorstep campaign also reaches everyone else (their turnout rises)
run dn simulate Aberavon ge2019 --electors 20000 --replicates 4 --by moved --format csv
run dy simulate Aberavon ge2019 --electors 20000 --replicates 4 --by moved --format csv \
	--strategy LAB=doorstep --cace 0.2
awk -F, 'FNR > 1 && $1 == "others" { v[FILENAME] += $4 } END {
	for (f in v) if (f ~ /dy$/) y = v[f]; else n = v[f]; exit !(y > n * 1.02) }' \
	"$tmp/dn" "$tmp/dy" || fail "doorstep: the rest of the seat is never knocked"
# --fit: turnout fitted to a figure lands on it (the fitted run's turnout within a point)
if run fit simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 \
	--replicates 4 --electors 5000 --fit turnout-scale=turnout:40 --fit-replicates 4; then
	grep -q '^# fit_1: turnout-scale = ' "$tmp/fit" || fail "--fit: no fit_1 line"
	t=$(sed -n 's/^# turnout: \([0-9.]*\)%.*/\1/p' "$tmp/fit")
	awk -v t="$t" 'BEGIN { exit !(t > 39 && t < 41) }' || fail "--fit: turnout $t, not 40"
fi
# a target out of reach is said so
if run fit2 simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 \
	--replicates 2 --electors 2000 --fit persuasion=CON:99 --fit-replicates 2; then
	grep -q 'out of reach' "$tmp/fit2" || fail "--fit CON:99: not said out of reach"
fi
# --by moved: 2 parts x 2 sexes x 6 age bands
if run mv simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 $args \
	--strategy RES=doorstep --by moved; then
	n=$(grep -c -v '^#' "$tmp/mv")
	[ "$n" -eq 25 ] || fail "--by moved: $n lines, expected a header and 24 rows"
fi
# --by spec: JSON with the seat's households by size summing to 1
if run sp simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 --by spec; then
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); \
assert abs(sum(d["household_group"]) - 1) < 1e-9 and abs(sum(d["household_rest"]) - 1) < 1e-9; \
assert d["electors"] > 50000 and 0.4 < d["group_share"] < 0.6; \
assert sum(k * v for k, v in enumerate(d["household_group"], 1)) > \
       sum(k * v for k, v in enumerate(d["household_rest"], 1))' "$tmp/sp" ||
		fail "--by spec: $(head -c 300 "$tmp/sp")"
fi
# --by chart: an SVG with a row per candidate and the real result marked; the sweep's chart
if run ch simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 $args \
	--actual by2012-bradford-west --by chart; then
	xmllint --noout "$tmp/ch" 2>/dev/null || fail "--by chart: not well-formed XML"
	n=$(grep -c '<g class="candidate"' "$tmp/ch")
	[ "$n" -eq 7 ] || fail "--by chart: $n candidates, expected 7"
	grep -q 'class="actual"' "$tmp/ch" || fail "--by chart: no real result marked"
fi
if run swc simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 \
	--replicates 2 --electors 3000 --sweep persuasion=0:0.3:3 --by chart; then
	xmllint --noout "$tmp/swc" 2>/dev/null || fail "--sweep --by chart: not well-formed XML"
	grep -q '<polyline' "$tmp/swc" || fail "--sweep --by chart: no lines"
fi
# bloc report --simulate: a section with the chart and the table
if run rp report by-elections-previous-ge:election_date=2010-05-06 --simulate "Bradford West" \
	--strategy RES=doorstep --replicates 3; then
	grep -q '<section id="simulation"' "$tmp/rp" || fail "report --simulate: no section"
	grep -q 'data-party="RES"' "$tmp/rp" || fail "report --simulate: no chart"
fi
# homophily by age and sex: required of every friend, nearly every tie joins the same age band
# and sex (a friend is redrawn 64 times at most); without it, about one in five and one in two
if run ho simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 \
	--replicates 2 --electors 8000 --homophily-age 1 --homophily-sex 1 && run hn simulate \
	"Bradford West" by-elections-previous-ge:election_date=2010-05-06 --replicates 2 --electors 8000
then
	share() { sed -n "s/^# friendships: .* \([0-9.]*\)% within one $2.*/\1/p" "$tmp/$1"; }
	awk -v a="$(share ho 'age band')" -v s="$(share ho sex)" -v b="$(share hn 'age band')" \
		-v t="$(share hn sex)" 'BEGIN { exit !(a > 95 && s > 95 && b < 30 && t > 45 && t < 55) }' ||
		fail "homophily: $(grep friendships "$tmp/ho" "$tmp/hn")"
fi
# --all: every seat, scaled down; the same for 1 and 2 threads
run a1 simulate --all ge2019 --scale 0.005 --replicates 2 --threads 1 --format csv
run a2 simulate --all ge2019 --scale 0.005 --replicates 2 --threads 2 --format csv
grep -v '^# \(time\|peak_memory\):' "$tmp/a1" >"$tmp/a1.s"
grep -v '^# \(time\|peak_memory\):' "$tmp/a2" >"$tmp/a2.s"
cmp -s "$tmp/a1.s" "$tmp/a2.s" || fail "--all: 1 and 2 threads differ"
n=$(grep -c -v '^#' "$tmp/a1")
[ "$n" -eq 651 ] || fail "--all ge2019: $n lines, expected a header and 650 seats"
head -1 "$tmp/a1" | grep -q '^code,seat,electors,group_pct,base_winner,winner,p_win' ||
	fail "--all columns: $(head -1 "$tmp/a1")"

bad 2 simulate "Bradford West"
bad 2 simulate --all "Bradford West" ge2019
bad 2 simulate --all ge2019 --fit persuasion=LAB
bad 2 simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 --fit nosuch=LAB
bad 2 simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 --fit persuasion=RES
bad 2 simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 --strategy RES=door
bad 1 simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 --strategy WPB=broker
bad 1 simulate "Nowhere Central" ge2019
finish
