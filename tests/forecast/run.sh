#!/bin/sh
# bloc forecast on the real data (issue 16):
#  1. the final-poll error history reproduces the published per-election errors (PollBase's
#     final week against the GB result: forecast.md's table, 1970, 1992, 1997, 2001);
#  2. the same seed gives the same output for 1 and 2 threads (party and seat views), and a
#     different seed a different one;
#  3. the 2019 backtest (base ge2017, PollBase's polls to 11 December 2019): the actual seats of
#     CON, LAB and LD inside the forecast's 90% intervals, and the winner given p >= 0.5 in at
#     least as many seats as the deterministic projection calls right;
#  4. --given: every kept simulation has the seat going that way (p_<PARTY> of that seat is 1);
#  5. by-election mode (Batley and Spen 2021);
#  6. --by map and --by chart are SVG (650 hexes; the majority line);
#  7. bloc report --polls has a forecast section;
#  8. bad input: no --polls, a bad date, an unknown poll file, a poll file with a column that
#     is no party, an unknown seat in --given.
# Usage: run.sh path/to/bloc (BLOC_DATA set).
set -u
bloc=$1
. "$(dirname "$0")/../checks.sh"
B19="ge2017 --polls pollbase --date 2019-12-11"

# 1. the error history against the published figures ([d] rows of forecast.md section 1)
if run hist forecast $B19 --by history --format csv; then
	for want in "1970-06-18 -2.1 4.1 -1.0" "1992-04-09 -5.5 4.2 1.1" \
		"1997-05-01 -1.0 3.9 -2.5" "2001-06-07 -1.8 4.0 -1.5"; do
		set -- $want
		got=$(awk -F, -v d="$1" '$1 == d { print $9, $10, $11 }' "$tmp/hist")
		[ -n "$got" ] || { fail "history: no row for $1"; continue; }
		echo "$got $2 $3 $4" | awk '{ for (i = 1; i <= 3; i++) { d = $i - $(i + 3);
			if (d < 0) d = -d; if (d > 0.15) exit 1 } }' ||
			fail "history $1: errors $got, published $2 $3 $4"
	done
	n=$(tail -n +2 "$tmp/hist" | wc -l)
	[ "$n" -eq 20 ] || fail "history before 2019-12-11: $n elections, expected 20 (1945-2017)"
fi

# 2. threads and seeds
run t1 forecast $B19 --sims 6000 --threads 1 --format csv
run t2 forecast $B19 --sims 6000 --threads 2 --format csv
cmp -s "$tmp/t1" "$tmp/t2" || fail "party view: 1 and 2 threads differ"
run s1 forecast $B19 --sims 6000 --threads 1 --by seat --format csv
run s2 forecast $B19 --sims 6000 --threads 2 --by seat --format csv
cmp -s "$tmp/s1" "$tmp/s2" || fail "seat view: 1 and 2 threads differ"
run seed7 forecast $B19 --sims 6000 --seed 7 --by seat --format csv
cmp -s "$tmp/s1" "$tmp/seed7" && fail "seeds 1 and 7 gave the same seat view"
head -1 "$tmp/t1" | grep -q '^party,median,mean,lo50,hi50,lo80,hi80,lo90,hi90,p_majority,p_largest,share' ||
	fail "party view columns: $(head -1 "$tmp/t1")"
head -1 "$tmp/s1" | grep -q '^code,name,winner_base,favourite,p_favourite,class,p_' ||
	fail "seat view columns: $(head -1 "$tmp/s1")"

# 3. the 2019 backtest
if run bt forecast $B19 --actual ge2019; then
	line=$(grep '^# actual_seats:' "$tmp/bt")
	for p in CON LAB LD; do
		echo "$line" | grep -q " $p [0-9]* \[[0-9]*, [0-9]*\]" ||
			fail "2019 backtest: no $p in '$line'"
		echo "$line" | grep -q " $p [0-9]* \[[0-9]*, [0-9]*\] outside" &&
			fail "2019 backtest: $p outside its 90% interval: $line"
	done
	w=$(grep '^# backtest_winners:' "$tmp/bt" | sed 's/.*p >= 0.5 in \([0-9]*\) seats.*called \([0-9]*\) right.*/\1 \2/')
	set -- $w
	[ "$#" -eq 2 ] && [ "$1" -ge "$2" ] ||
		fail "2019 backtest: winner p >= 0.5 in '$1' seats, deterministic right in '$2'"
	grep -q '^# seed: 1$' "$tmp/bt" || fail "the seed is not echoed"
	grep -q '^# sims_per_second: [0-9]' "$tmp/bt" || fail "no sims_per_second"
fi

# 4. --given Leicester South to LAB (the 2019 base holds it): p_LAB there is 1
if run given forecast $B19 --sims 4000 --given "Leicester South=LAB" --by seat --format csv; then
	p=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "p_LAB") c = i }
		/Leicester South/ { print $c }' "$tmp/given")
	[ "$p" = "1.000" ] || fail "--given: p_LAB in Leicester South is '$p', expected 1.000"
fi

# 5. by-election mode: Batley and Spen 2021 from its 2019 result, the record of by-elections
#    before it (1945-2019) as the prior; each row's interval holds its median, the p_win add up
#    to 1, Labour (which held it) is the favourite, and the actual result is named
if run by forecast by-elections-previous-ge:election_date=2019-12-12 \
	--by-election "Batley and Spen" --actual by2021-batley-and-spen --sims 8000 --format csv; then
	awk -F, 'NR > 1 { s += $7; if ($5 > $3 || $3 > $6) bad = bad " " $1; if ($7 > best) { best = $7; fav = $1 } }
		END { if (s < 0.995 || s > 1.005) { print "p_win sums to " s; exit 1 }
		      if (bad != "") { print "median outside its interval:" bad; exit 1 }
		      if (fav != "LAB") { print "favourite " fav; exit 1 } }' "$tmp/by" >"$tmp/by.msg" ||
		fail "by-election: $(cat "$tmp/by.msg")"
fi
# a new candidate (--stand) gets the others' rise: a row for WPB with a share above 0 somewhere
if run bys forecast by-elections-previous-ge:election_date=2019-12-12 --by-election "Batley and Spen" \
	--date 2021-07-01 --stand "WPB@Batley and Spen" --sims 4000 --format csv; then
	awk -F, '$1 == "WPB" && $2 == 0 && $6 > 1 { ok = 1 } END { exit !ok }' "$tmp/bys" ||
		fail "--stand WPB in a by-election: $(grep WPB "$tmp/bys")"
fi
run byt forecast by-elections-previous-ge:election_date=2019-12-12 --by-election "Batley and Spen" \
	--date 2021-07-01 --sims 2000
grep -q "^# prior: 460 by-elections in Great Britain 1945-10-01 to 2019-08-01" "$tmp/byt" ||
	fail "by-election prior: $(grep prior "$tmp/byt")"

# 6. the probability map and the seat-distribution chart: SVG (well-formed where xmllint is)
for view in map chart; do
	if run "$view.svg" forecast $B19 --sims 2000 --by $view; then
		head -c 200 "$tmp/$view.svg" | grep -q '<svg' || fail "--by $view: not SVG"
		if command -v xmllint >/dev/null 2>&1; then
			xmllint --noout "$tmp/$view.svg" 2>"$tmp/$view.xml" ||
				fail "--by $view: $(head -c 300 "$tmp/$view.xml")"
		fi
	fi
done
grep -c 'class="hex"' "$tmp/map.svg" | grep -q '^650$' || fail "--by map: not 650 hexes"
grep -q 'majority: 326' "$tmp/chart.svg" || fail "--by chart: no majority line"

# 7. the report's forecast section: the party table, the chart and the map, inline
if run report.html report ge2017 --polls pollbase --date 2019-12-11 --sims 2000; then
	grep -q 'id="forecast"' "$tmp/report.html" || fail "report --polls: no forecast section"
	grep -q 'majority: 326' "$tmp/report.html" || fail "report --polls: no seat-distribution chart"
	grep -q 'poll_average' "$tmp/report.html" || fail "report --polls: the assumptions are missing"
	if command -v xmllint >/dev/null 2>&1; then
		xmllint --noout "$tmp/report.html" 2>"$tmp/report.xml" ||
			fail "report --polls: $(head -c 300 "$tmp/report.xml")"
	fi
fi

# 8. bad input
bad 2 forecast ge2017
bad 2 forecast ge2017 --polls pollbase --date 2019-13-40
bad 1 forecast ge2017 --polls no-such-polls.csv
printf 'pollster,end,con,lab,whatever\nX,2019-12-01,40,30,5\n' >"$tmp/polls.csv"
bad 1 forecast ge2017 --polls "$tmp/polls.csv"
grep -q "polls.csv:1:5: column 'whatever'" "$tmp/bad.err" ||
	fail "bad poll column: $(cat "$tmp/bad.err")"
bad 1 forecast ge2017 --polls pollbase --date 2019-12-11 --given "Nowhere Central=LAB"
finish
