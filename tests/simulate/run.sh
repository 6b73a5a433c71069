#!/bin/sh
# bloc simulate on the real data (issue 17, first cut): the CSV's columns, the same output for 1
# and 2 threads, a broker campaign that moves the vote its way, a new candidate, bad input.
# --sweep gives one row per value.
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
	awk -F, '$2 == "RES" { exit !($4 > 10) }' "$tmp/br" ||
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
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "share_RES") c = i; next }
		{ if (NR > 2 && $c <= last) bad = 1; last = $c } END { exit bad }' "$tmp/sw" ||
		fail "--sweep: Respect's share does not rise with persuasion: $(cat "$tmp/sw")"
fi

bad 2 simulate "Bradford West"
bad 2 simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 --strategy RES=door
bad 1 simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06 --strategy WPB=broker
bad 1 simulate "Nowhere Central" ge2019
finish
