#!/bin/sh
# What users reported (issue 14), checked on the real data: swing with FROM alone uses the
# catalogue's previous contest; an unknown seat name suggests the closest names; the swing map
# has its own "not contested" class; the report's group estimates lie in [0, 1] and its tables
# scroll. Usage: reported.sh path/to/bloc (BLOC_DATA set).
set -u
bloc=$1
. "$(dirname "$0")/../checks.sh"

# --- 1. swing FROM alone: the contest before it in CATALOG.csv ---
# same_rows ALONE FROM: `swing ALONE` has the rows of `swing FROM ALONE`, and says it used FROM.
same_rows() {
	alone=$1
	from=$2
	run alone.csv swing "$alone" --pair CON,LAB --format csv &&
		run both.csv swing "$from" "$alone" --pair CON,LAB --format csv || return
	checks=$((checks + 1))
	if [ "$(wc -l <"$tmp/alone.csv")" -lt 3 ] || ! cmp -s "$tmp/alone.csv" "$tmp/both.csv"; then
		fail "swing $alone: rows differ from swing $from $alone: $(diff "$tmp/alone.csv" "$tmp/both.csv" | head -5)"
	fi
	run alone.json swing "$alone" --pair CON,LAB --format json || return
	checks=$((checks + 1))
	grep -q "\"from\":\"$from\"" "$tmp/alone.json" ||
		fail "swing $alone: metadata 'from' is not $from: $(head -c 300 "$tmp/alone.json")"
	checks=$((checks + 1))
	grep -q "\"note\":\"[^\"]*$from[^\"]*previous" "$tmp/alone.json" ||
		fail "swing $alone: no note naming $from and the catalogue's previous column: $(head -c 400 "$tmp/alone.json")"
}
same_rows ge2024 ge2019-notional-2023
same_rows ge2019 ge2017

# --- 2. an unknown seat name suggests the closest names ---
# For every 25th seat of ge2024: its name less its last letter suggests it first, its name with
# a letter in the middle replaced suggests it among the others; never more than 3 names.
run seats.csv results ge2024 --by seat --format csv || exit 1
names=$(tail -n +2 "$tmp/seats.csv" | awk -F, 'NR % 25 == 1 && $2 !~ /"/ { print $2 }')
[ -n "$names" ] || fail "no seat names read from results ge2024 --by seat"
IFS='
'
for name in $names; do
	short=${name%?}
	mid=$((${#name} / 2))
	typo=$(printf '%s' "$name" | awk -v m="$mid" '{ print substr($0, 1, m - 1) "q" substr($0, m + 1) }')
	for q in "$short" "$typo"; do
		checks=$((checks + 1))
		if "$bloc" seat ge2024 "$q" >/dev/null 2>"$tmp/err"; then
			fail "seat ge2024 '$q': found a seat, expected suggestions"
			continue
		fi
		line=$(cat "$tmp/err")
		case $line in
		"bloc: no seat '$q' in ge2024; did you mean "*"?") ;;
		*)
			fail "seat ge2024 '$q': $line"
			continue
			;;
		esac
		list=${line#*did you mean }
		list=${list%\?}
		n=$(printf '%s\n' "$list" | awk -F', ' '{ print NF }')
		[ "$n" -le 3 ] || fail "seat ge2024 '$q': $n suggestions, at most 3 expected: $list"
		if [ "$q" = "$short" ]; then
			case $list in "$name" | "$name, "*) ;; *) fail "seat ge2024 '$q': '$name' not first: $list" ;; esac
		else
			case ", $list, " in *", $name, "*) ;; *) fail "seat ge2024 '$q': '$name' not suggested: $list" ;; esac
		fi
	done
done
unset IFS

# --- 3. the swing map: seats neither party of the pair stood in are "not contested" ---
# The seats where CON, LAB (and SNP, LAB) had no vote in either contest, from bloc swing itself;
# the map's hexes for exactly those seats have the "not contested" fill and tooltip.
for pair in CON,LAB SNP,LAB; do
	run sw.csv swing ge2019 ge2024 --pair "$pair" --format csv &&
		run map.svg map ge2024 --colour swing:ge2019 --pair "$pair" || continue
	a=${pair%,*}
	b=${pair#*,}
	awk -F, 'NR > 1 && $1 != "TOTAL" && $7 == 0 && $8 == 0 && $9 == 0 && $10 == 0 { print $1 }' \
		"$tmp/sw.csv" | sort >"$tmp/want"
	grep "not contested by $a or $b</title>" "$tmp/map.svg" |
		sed 's/.* data-code="\([^"]*\)".*/\1/' | sort >"$tmp/got"
	checks=$((checks + 1))
	[ -s "$tmp/want" ] || fail "swing ge2019 ge2024 --pair $pair: no seat without either party"
	cmp -s "$tmp/want" "$tmp/got" ||
		fail "map swing $pair: 'not contested' hexes differ from the swing's: $(diff "$tmp/want" "$tmp/got" | head -4)"
	fill=$(grep "not contested by $a or $b</title>" "$tmp/map.svg" | sed 's/.* fill="\([^"]*\)".*/\1/' | sort -u)
	checks=$((checks + 1))
	[ "$(printf '%s\n' "$fill" | wc -l)" -eq 1 ] &&
		grep -q "fill=\"$fill\"[^>]*/><text[^>]*>not contested by $a or $b</text>" "$tmp/map.svg" ||
		fail "map swing $pair: no legend line 'not contested by $a or $b' in the hexes' colour ($fill)"
	checks=$((checks + 1))
	if grep -q 'fill="'"$fill"'"[^>]*/><text[^>]*>0 to' "$tmp/map.svg"; then
		fail "map swing $pair: the 'not contested' colour $fill is also a swing class"
	fi
done

# --- 4. the report: the group's estimates inside [0, 1], the estimator named, tables scroll ---
if run report.html report ge2024 --group muslim; then
	sed -n '/<section id="ei">/,/<\/section>/p' "$tmp/report.html" >"$tmp/ei.html"
	checks=$((checks + 1))
	grep -q 'Estimator shown' "$tmp/ei.html" || fail "report: the EI section does not name its estimator"
	# the estimate column (the third cell of each body row)
	sed -n 's|^<tr><td>[^<]*</td><td>[^<]*</td><td class="num">\([^<]*\)</td>.*|\1|p' \
		"$tmp/ei.html" >"$tmp/est"
	checks=$((checks + 1))
	[ "$(wc -l <"$tmp/est")" -ge 4 ] || fail "report: fewer than 4 estimates in the EI table"
	bad=$(awk '$1 == "" || $1 + 0 < 0 || $1 + 0 > 1 || $1 !~ /^-?[0-9.]+$/' "$tmp/est")
	checks=$((checks + 1))
	[ -z "$bad" ] || fail "report: EI estimates outside [0, 1]: $(echo $bad)"
	# every table sits in a container that scrolls sideways
	checks=$((checks + 1))
	tables=$(grep -c '^<table' "$tmp/report.html")
	wrapped=$(grep -B1 '^<table' "$tmp/report.html" | grep -c '^<div class="scroll">$')
	[ "$tables" -gt 0 ] && [ "$tables" -eq "$wrapped" ] ||
		fail "report: $wrapped of $tables tables in a scroll container"
	checks=$((checks + 1))
	grep -q '\.scroll{overflow-x:auto}' "$tmp/report.html" || fail "report: .scroll does not scroll sideways"
	grep -q '\.note[^{]*{overflow-wrap:anywhere}' "$tmp/report.html" || fail "report: notes do not wrap"
fi

finish
