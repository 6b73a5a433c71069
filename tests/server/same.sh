#!/usr/bin/env bash
# Every question answered twice: by the CLI (`--format json`, or the SVG/HTML/CSV document) and by
# bloc serve (/api/<question>), from the same data directory: the answers must be the same bytes.
#   bash same.sh BLOC          (BLOC_DATA names the data directory)
# Exit 0 pass, 1 fail, 77 skip (no curl).
set -u

bloc=${1:?usage: same.sh BLOC}
command -v curl >/dev/null || {
	echo "skip: curl is not installed"
	exit 77
}
data=${BLOC_DATA:?BLOC_DATA must name the data directory}
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

"$bloc" --data "$data" serve --port 0 2>"$tmp/serve.err" &
pid=$!
url=
for i in $(seq 600); do
	url=$(sed -n 's|.*listening on \(http://[^ ]*[0-9]\)/.*|\1|p' "$tmp/serve.err")
	[ -n "$url" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$url" ]; then
	echo "FAIL: bloc serve did not start:"
	cat "$tmp/serve.err"
	exit 1
fi

passed=0
failed=0
# same NAME PATH?QUERY -- CLI ARGS...: the server's answer to PATH and the CLI's stdout agree.
same() {
	local name=$1 path=$2
	shift 3
	"$bloc" --data "$data" "$@" >"$tmp/cli" 2>"$tmp/cli.err"
	local rc=$?
	local status
	status=$(curl -s -o "$tmp/api" -w '%{http_code}' "$url$path")
	if [ "$rc" -ne 0 ]; then
		failed=$((failed + 1))
		echo "FAIL: $name: bloc $* exited $rc: $(head -c 300 "$tmp/cli.err")"
	elif [ "$status" != 200 ]; then
		failed=$((failed + 1))
		echo "FAIL: $name: $path: status $status: $(head -c 300 "$tmp/api")"
	elif ! cmp -s "$tmp/cli" "$tmp/api"; then
		failed=$((failed + 1))
		echo "FAIL: $name: the CLI and $path differ:"
		cmp "$tmp/cli" "$tmp/api" | head -3
	else
		passed=$((passed + 1))
	fi
}

# ei-synth writes its units to -o FILE (and the truth beside it): compare the file
"$bloc" ei-synth --units 60 --groups 2 --parties 3 --seed 3 --format json -o "$tmp/synth.json" 2>"$tmp/cli.err" &&
	curl -s -o "$tmp/api" "$url/api/ei-synth?units=60&groups=2&parties=3&seed=3" &&
	cmp -s "$tmp/synth.json" "$tmp/api" && passed=$((passed + 1)) ||
	{
		failed=$((failed + 1))
		echo "FAIL: ei-synth: the CLI's -o file and /api/ei-synth differ"
	}
same elections "/api/elections" -- elections --format json
same contests "/api/contests" -- elections --format json
same results "/api/results?contest=ge2024&by=nation" -- results ge2024 --by nation --format json
same results-seat "/api/results?contest=by2021-batley-and-spen&by=seat" -- results by2021-batley-and-spen --by seat --format json
same seat "/api/seat?contest=ge2019&seat=E14000548" -- seat ge2019 E14000548 --format json
same swing "/api/swing?from=ge2019&to=ge2024&pair=CON,LAB&nation=Wales" -- swing ge2019 ge2024 --pair CON,LAB --nation Wales --format json
same swing-by "/api/swing?from=by2012-bradford-west&pair=LAB,RES" -- swing by2012-bradford-west --pair LAB,RES --format json
same swing-previous "/api/swing?from=ge2024&pair=CON,LAB" -- swing ge2024 --pair CON,LAB --format json
same map-swing-uncontested "/api/map?contest=ge2024&colour=swing:ge2019&pair=SNP,LAB" -- map ge2024 --colour swing:ge2019 --pair SNP,LAB
same targets "/api/targets?contest=ge2019&party=LAB&limit=10" -- targets ge2019 LAB --limit 10 --format json
same indices "/api/indices?contest=ge2024&wasted" -- indices ge2024 --wasted --format json
same export "/api/export?contest=by2021-batley-and-spen" -- export by2021-batley-and-spen
same project "/api/project?base=ge2024&shares=LAB%3D30,CON%3D22,REF%3D20&by=seat" -- project ge2024 --shares LAB=30,CON=22,REF=20 --by seat --format json
same project-group "/api/project?base=ge2024&group=muslim:LAB%3D-20,IND%3D%2B12&baseline=survey:LAB%3D86,CON%3D9,LD%3D3,GRN%3D2&by=changes" -- project ge2024 --group muslim:LAB=-20,IND=+12 --baseline survey:LAB=86,CON=9,LD=3,GRN=2 --by changes --format json
same project-map "/api/project?base=ge2024&shares=LAB%3D30,CON%3D22&by=map" -- project ge2024 --shares LAB=30,CON=22 --by map
same backtest "/api/backtest?from=ge2017&to=ge2019&model=strong&by=region" -- backtest ge2017 ge2019 --model strong --by region --format json
same power "/api/power?contest=ge2024&group=muslim&sims=200&seed=7&decisive" -- power ge2024 --group muslim --sims 200 --seed 7 --decisive --format json
same power-summary "/api/power?contest=ge2019&summary" -- power ge2019 --summary --format json
same ei "/api/ei?contest=ge2024&groups=muslim" -- ei ge2024 --groups muslim --format json
same ei-king "/api/ei?contest=ge2024&groups=muslim&method=king&draws=300&seed=2" -- ei ge2024 --groups muslim --method king --draws 300 --seed 2 --format json
same map "/api/map?contest=ge2024&colour=share:REF" -- map ge2024 --colour share:REF
same map-change "/api/map?contest=ge2019&colour=change&shares=LAB%3D30" -- map ge2019 --colour change --shares LAB=30
same chart "/api/chart?contest=ge2024&type=parliament" -- chart ge2024 --type parliament
same chart-swing "/api/chart?contest=ge2024&type=swing:ge2019&pair=CON,LAB" -- chart ge2024 --type swing:ge2019 --pair CON,LAB
same report "/api/report?contest=ge2024&group=muslim" -- report ge2024 --group muslim

kill -TERM "$pid"
wait "$pid"
pid=
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
