#!/bin/sh
# bloc map, bloc chart and bloc report end to end: every output is well-formed XML (xmllint
# --noout; the report is HTML5 written as well-formed XML), the hex map has exactly 650 hex
# cells, each hex's fill is the registry colour of the winner bloc computes (bloc results --by
# seat), the report links to nothing (no http:// or https://), output is the same bytes twice,
# and bad options are usage errors.
# Usage: run.sh path/to/bloc SOURCE_DIR (BLOC_DATA set). Without xmllint (Debian package
# libxml2-utils) the other checks still run, then the test reports itself skipped (exit 77).
set -u
bloc=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0
have_xmllint=1
command -v xmllint >/dev/null 2>&1 || have_xmllint=0

fail() {
	failures=$((failures + 1))
	echo "FAIL: $*" >&2
}

# run WANT ARGS...: run bloc, check the exit code and that no sanitizer spoke.
run() {
	want=$1
	shift
	checks=$((checks + 1))
	"$bloc" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
	got=$?
	if grep -q -e 'Sanitizer' -e 'runtime error' "$tmp/stderr"; then
		fail "bloc $*: sanitizer report: $(head -c 600 "$tmp/stderr")"
		return 1
	fi
	if [ "$got" -ne "$want" ]; then
		fail "bloc $* exited $got, expected $want; stderr: $(head -c 400 "$tmp/stderr")"
		return 1
	fi
	return 0
}

# well_formed FILE [--html]: xmllint accepts it.
well_formed() {
	checks=$((checks + 1))
	[ "$have_xmllint" -eq 1 ] || return 0
	if ! xmllint --noout "$1" 2>"$tmp/xmllint"; then
		fail "$1 is not well-formed XML: $(head -c 600 "$tmp/xmllint")"
	fi
}

# hexes FILE: the number of hex cells.
hexes() {
	grep -c '<path class="hex"' "$1"
}

# ---- the winner map: 650 hexes, each in the registry colour of bloc's winner ----
if run 0 map ge2024 -o "$tmp/ge2024.svg"; then
	well_formed "$tmp/ge2024.svg"
	checks=$((checks + 1))
	[ "$(hexes "$tmp/ge2024.svg")" -eq 650 ] ||
		fail "map ge2024: $(hexes "$tmp/ge2024.svg") hex cells, expected 650"
	head -n 2 "$tmp/ge2024.svg" | grep -q 'xmlns="http://www.w3.org/2000/svg"' ||
		fail "map ge2024: not a standalone SVG"
	# the registry: CODE #RRGGBB, from the party table
	sed -n 's/^ *{"\([A-Z][A-Z]*\)", "[^"]*", "\(#[0-9A-Fa-f]\{6\}\)".*/\1 \2/p' \
		"$src/src/lib/data/party_table.h" >"$tmp/colours"
	checks=$((checks + 1))
	[ "$(wc -l <"$tmp/colours")" -ge 15 ] || fail "could not read the party colours"
	# each hex: CODE FILL PARTY
	sed -n 's/.*<path class="hex" .* fill="\(#[0-9A-Fa-f]*\)" data-code="\([^"]*\)" data-party="\([^"]*\)".*/\2 \1 \3/p' \
		"$tmp/ge2024.svg" >"$tmp/fills"
	if run 0 results ge2024 --by seat --format csv; then
		# code and winner (columns 1 and 8) of the CSV, whose names may be quoted
		awk '
		function field(line, k,    i, c, n, q, f) {
			n = 1; q = 0; f = ""
			for (i = 1; i <= length(line); i++) {
				c = substr(line, i, 1)
				if (q) {
					if (c == "\"") {
						if (substr(line, i + 1, 1) == "\"") { f = f c; i++ }
						else q = 0
					} else f = f c
				} else if (c == "\"") q = 1
				else if (c == ",") { if (n == k) return f; n++; f = "" }
				else f = f c
			}
			return n == k ? f : ""
		}
		NR == 1 { if (field($0, 1) != "code" || field($0, 8) != "winner") { print "BAD HEADER"; exit } next }
		{ print field($0, 1), field($0, 8) }' "$tmp/stdout" >"$tmp/winners"
		checks=$((checks + 1))
		awk '
		FILENAME == ARGV[1] { colour[$1] = $2; next }
		FILENAME == ARGV[2] { winner[$1] = $2; nw++; next }
		{
			n++
			if (!($1 in winner)) { print "hex " $1 " is not a seat of ge2024"; bad++; next }
			w = winner[$1]
			if (toupper($2) != toupper(colour[w])) { print $1 ": fill " $2 ", winner " w " is " colour[w]; bad++ }
			if ($3 != w) { print $1 ": data-party " $3 ", winner " w; bad++ }
		}
		END {
			if (nw != 650) { print nw " winners, expected 650"; bad++ }
			if (n != 650) { print n " hexes with fill, code and party, expected 650"; bad++ }
			exit bad ? 1 : 0
		}' "$tmp/colours" "$tmp/winners" "$tmp/fills" >"$tmp/mismatch" ||
			fail "map ge2024: fills do not match the winners: $(head -n 5 "$tmp/mismatch")"
	fi
	# the same bytes again
	if run 0 map ge2024 -o "$tmp/again.svg"; then
		checks=$((checks + 1))
		cmp -s "$tmp/ge2024.svg" "$tmp/again.svg" || fail "map ge2024: output differs between runs"
	fi
fi

# ---- change of hands on the 2010 layout (ge2019) ----
if run 0 map ge2019 --colour change --shares LAB=30 -o "$tmp/change.svg"; then
	well_formed "$tmp/change.svg"
	checks=$((checks + 1))
	[ "$(hexes "$tmp/change.svg")" -eq 650 ] ||
		fail "map ge2019 change: $(hexes "$tmp/change.svg") hex cells, expected 650"
	grep -q 'gain from' "$tmp/change.svg" || fail "map ge2019 change: no seat changes hands"
fi

# ---- the other colourings ----
for colour in share:REF swing:ge2019 group:muslim decisive:muslim; do
	if run 0 map ge2024 --colour "$colour" -o "$tmp/map-$colour.svg"; then
		well_formed "$tmp/map-$colour.svg"
		checks=$((checks + 1))
		[ "$(hexes "$tmp/map-$colour.svg")" -eq 650 ] || fail "map --colour $colour: not 650 hexes"
	fi
done
# to standard output without -o
if run 0 map by2021-batley-and-spen; then
	checks=$((checks + 1))
	[ "$(hexes "$tmp/stdout")" -eq 650 ] || fail "map of a by-election: not the full layout"
	grep -c 'data-party=' "$tmp/stdout" | grep -q '^1$' || fail "map of a by-election: not one seat"
fi

# ---- every chart type ----
for type in seats parliament votes-seats swing:ge2019 majority; do
	if run 0 chart ge2024 --type "$type" -o "$tmp/chart-$type.svg"; then
		well_formed "$tmp/chart-$type.svg"
	fi
done
checks=$((checks + 1))
[ "$(grep -o '<circle ' "$tmp/chart-parliament.svg" | wc -l)" -eq 650 ] ||
	fail "chart parliament: not 650 seats"
grep -q '326 for a majority' "$tmp/chart-parliament.svg" || fail "chart parliament: no majority line"
if run 0 chart ge2024 --type parliament --shares LAB=30,REF=22 -o "$tmp/chart-projected.svg"; then
	well_formed "$tmp/chart-projected.svg"
fi

# ---- the report ----
if run 0 report ge2024 --group muslim -o "$tmp/report.html"; then
	well_formed "$tmp/report.html"
	checks=$((checks + 1))
	if grep -q -i -e 'http://' -e 'https://' "$tmp/report.html"; then
		fail "report.html references: $(grep -o -i -e 'https\{0,1\}://[^" <]*' "$tmp/report.html" | head -n 3)"
	fi
	checks=$((checks + 1))
	grep -q -i -e '<script' -e '<link' -e '<img' -e '@import' -e 'url(' "$tmp/report.html" &&
		fail "report.html loads something from outside itself"
	checks=$((checks + 1))
	[ "$(grep -c '<path class="hex"' "$tmp/report.html")" -eq 1300 ] ||
		fail "report: expected two maps of 650 hexes (winners, decisive seats)"
	grep -q '<section id="power">' "$tmp/report.html" || fail "report: no bloc power section"
	grep -q '<section id="targets">' "$tmp/report.html" || fail "report: no targets section"
	grep -q '<section id="ei">' "$tmp/report.html" || fail "report: no 'how the group voted' section"
	grep -q 'aggregation bias' "$tmp/report.html" || fail "report: no aggregation-bias caveat"
	[ "$(grep -c '<td>muslim</td>' "$tmp/report.html")" -ge 5 ] ||
		fail "report: the EI table has fewer than 5 muslim rows"
	if run 0 report ge2024 --group muslim -o "$tmp/report2.html"; then
		checks=$((checks + 1))
		cmp -s "$tmp/report.html" "$tmp/report2.html" || fail "report: output differs between runs"
	fi
fi
if run 0 report ge2019 --shares LAB=30 --group muslim:LAB=-20,IND=+12 --baseline survey:LAB=86,CON=9,LD=3,GRN=2 -o "$tmp/scenario.html"; then
	well_formed "$tmp/scenario.html"
	grep -q '<section id="scenario">' "$tmp/scenario.html" || fail "report: no scenario section"
	grep -q -e 'http://' -e 'https://' "$tmp/scenario.html" && fail "scenario report has URLs"
fi

# ---- usage and data errors ----
run 2 map ge2024 --colour rainbow
run 2 map ge2024 --colour share
run 2 map ge2024 --colour share:NOSUCHPARTY
run 2 map ge2024 --colour group:muslim --shares LAB=30
run 2 map ge2024 --format json
run 2 chart ge2024 --type pie
run 2 chart ge2024 --type swing
run 2 chart ge2024 --type swing:ge2019 --shares LAB=30
run 2 chart ge2024 --type swing:ge2019 --pair CON
run 2 report
mkdir "$tmp/out"
run 1 map nosuchcontest -o "$tmp/out/x.svg"
run 1 map ge2024 --colour group:martians -o "$tmp/out/x.svg"
run 1 report ge2024 --group martians -o "$tmp/out/x.html"
run 1 map ge2024 --shares LAB=thirty -o "$tmp/out/x.svg"
checks=$((checks + 1))
[ -z "$(ls -A "$tmp/out")" ] || fail "a failed run left files: $(ls -A "$tmp/out")"

echo "$((checks - failures)) passed, $failures failed ($checks checks)"
[ "$failures" -eq 0 ] || exit 1
if [ "$have_xmllint" -eq 0 ]; then
	echo "xmllint not found (Debian package libxml2-utils): well-formedness not checked; skipped"
	exit 77
fi
exit 0
