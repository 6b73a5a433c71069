#!/bin/sh
# Candidates are people (issue 14), on GE2024 Bradford West, where Labour held the seat by 707
# votes over the first of three independents: the majority is 707, IND's target is the leading
# independent's share (not the three added together), and so is IND's share in the swing from
# 2019. Every expected figure is read from bloc's own answers (the seat's candidates). Then the
# swing chart leaves out the seats neither party stood in, and the report's tables have no
# column without a value.
# Usage: candidates.sh path/to/bloc (BLOC_DATA set).
set -u
bloc=$1
. "$(dirname "$0")/../checks.sh"

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

# --- the swing chart: seats neither party stood in are not drawn as a swing of 0 ---
# The seats with no CON or LAB share on either side, from bloc swing itself; the chart draws a bar
# for every other seat and says how many it left out.
if run sw.csv swing ge2019 ge2024 --pair CON,LAB --format csv &&
	run chart.svg chart ge2024 --type swing:ge2019 --pair CON,LAB; then
	nc=$(awk -F, 'NR > 1 && $1 != "TOTAL" && $7 == 0 && $8 == 0 && $9 == 0 && $10 == 0' "$tmp/sw.csv" | wc -l)
	rows=$(awk -F, 'NR > 1 && $1 != "TOTAL"' "$tmp/sw.csv" | wc -l)
	bars=$(grep -c '<rect[^>]* data-code=' "$tmp/chart.svg")
	checks=$((checks + 1))
	[ "$nc" -gt 0 ] && [ "$bars" -eq $((rows - nc)) ] ||
		fail "chart swing CON,LAB: $bars bars, expected $rows seats less $nc not contested"
	checks=$((checks + 1))
	grep -q "Not contested: $nc seats where neither CON nor LAB stood" "$tmp/chart.svg" ||
		fail "chart swing CON,LAB: no note on the $nc seats not contested"
	for code in $(awk -F, 'NR > 1 && $1 != "TOTAL" && $7 == 0 && $8 == 0 && $9 == 0 && $10 == 0 { print $1 }' "$tmp/sw.csv"); do
		checks=$((checks + 1))
		! grep -q "data-code=\"$code\"" "$tmp/chart.svg" || fail "chart swing CON,LAB: $code, not contested, has a bar"
	done
fi

# --- the report: no column without a value, notes in the page's own size ---
if run report.html report ge2024 --group muslim; then
	sed -n '/<section id="ei">/,/<\/section>/p' "$tmp/report.html" >"$tmp/ei.html"
	head=$(grep -m1 '^<thead>' "$tmp/ei.html")
	checks=$((checks + 1))
	case $head in
	*lo95* | *hi95* | *'>se<'*) fail "report: the EI table still has interval columns without a value: $head" ;;
	*estimate*bound_lo*bound_hi*) ;;
	*) fail "report: the EI table lacks estimate and bounds: $head" ;;
	esac
	checks=$((checks + 1))
	grep -q 'left out: lo95, hi95' "$tmp/ei.html" || fail "report: no note naming the columns left out"
	# no column of any report table is "-" in every row
	checks=$((checks + 1))
	empty=$(awk '
		/^<table>/ { n = 0; delete seen; delete any; cols = 0 }
		/^<tr>/ { n++; c = 0; line = $0
			while (match(line, /<td[^>]*>[^<]*<\/td>/)) {
				cell = substr(line, RSTART, RLENGTH); line = substr(line, RSTART + RLENGTH); c++
				sub(/<td[^>]*>/, "", cell); sub(/<\/td>/, "", cell)
				if (cell != "-") any[c] = 1
			}
			if (c > cols) cols = c }
		/^<\/table>/ { for (i = 1; i <= cols; i++) if (n && !any[i]) e++ }
		END { print e + 0 }' "$tmp/report.html")
	[ "$empty" -eq 0 ] || fail "report: $empty table columns have no value in any row"
	# each table alone scrolls sideways: its notes and metadata follow the scroll container and
	# wrap to the page
	checks=$((checks + 1))
	tables=$(grep -c '^</table>' "$tmp/report.html")
	closed=$(grep -A1 '^</table>' "$tmp/report.html" | grep -c '^</div>$')
	[ "$tables" -gt 0 ] && [ "$tables" -eq "$closed" ] ||
		fail "report: $closed of $tables tables end their scroll container (notes inside it scroll away)"
	# the page's note style is for its paragraphs: an SVG's note keeps the size it was laid out in
	checks=$((checks + 1))
	! grep -q '\(^\|[{}]\)\.note{' "$tmp/report.html" || fail "report: a bare .note rule restyles the maps' notes"
fi

# --- the help states the rule ---
for cmd in swing targets; do
	checks=$((checks + 1))
	"$bloc" $cmd --help | grep -q "leading independent" || fail "bloc $cmd --help does not state the rule for independents"
done

finish
