#!/usr/bin/env bash
# A hex layout without hexes ("hexes":{} or no "hexes" at all) is a broken file: bloc map and
# bloc report must fail with exit 1 and the file's line and column, not draw the contest on
# another layout (or none) with a warning and exit 0.
#   bash load_hexjson.sh BLOC SOURCE_DIR   (BLOC_DATA: the data directory to copy from)
set -u
bloc=$1
src=${BLOC_DATA:-}
if [ -z "$src" ] || [ ! -f "$src/CATALOG.csv" ] || [ ! -d "$src/results/ge2024" ]; then
	echo "skip: no data directory with ge2024"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bloc-hexjson.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
data="$tmp/data"
mkdir -p "$data/results"
cp "$src/CATALOG.csv" "$data/" && cp -R "$src/results/ge2024" "$data/results/" &&
	cp -R "$src/hexmaps" "$data/" || exit 1
layout="$data/hexmaps/uk-constituencies-2023.hexjson"

# check WHAT LINE:COL ARGS...: exit 1, one message naming the layout file at LINE:COL
check() {
	what=$1
	pos=$2
	shift 2
	"$bloc" --data "$data" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$status" -ne 1 ]; then
		echo "FAIL $what: exit status $status, expected 1"
		fail=1
	elif ! grep -q "uk-constituencies-2023.hexjson:$pos: " "$tmp/err"; then
		echo "FAIL $what: expected a message naming uk-constituencies-2023.hexjson:$pos:"
		fail=1
	else
		return 0
	fi
	sed 's/^/    /' "$tmp/err" | head -n 5
}

# the copy draws as the original does
if ! "$bloc" --data "$data" map ge2024 >"$tmp/out" 2>"$tmp/err"; then
	echo "FAIL map ge2024 with the layouts intact:"
	cat "$tmp/err"
	exit 1
fi

printf '{"layout":"odd-r","hexes":{}}\n' >"$layout"
check "map, hexes {}" 1:27 map ge2024
check "report, hexes {}" 1:27 report ge2024
check "map of ge2024-candidates, hexes {}" 1:27 map ge2024-candidates

printf '{\n  "layout": "odd-r"\n}\n' >"$layout"
check "map, no hexes" 3:1 map ge2024
exit $fail
