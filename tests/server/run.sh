#!/usr/bin/env bash
# bloc serve, end to end: start it on a free loopback port, exercise every route of docs/api.md
# and every error path with curl (statuses and JSON bodies), try to read files outside the
# embedded assets, send oversized bodies, URLs and headers, then stop it with SIGTERM (and a
# second one with SIGINT) and check that it exits 0 with nothing from the sanitizers.
#   bash run.sh BLOC          (BLOC_DATA names the data directory)
# Exit 0 pass, 1 fail, 77 skip (no curl).
set -u

bloc=${1:?usage: run.sh BLOC}
command -v curl >/dev/null || {
	echo "skip: curl is not installed"
	exit 77
}
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() {
	failed=$((failed + 1))
	echo "FAIL: $*"
}

# Start `bloc serve --port 0 ARGS...` with stderr in $tmp/$1.err; sets pid and url.
start() {
	local log=$tmp/$1.err i
	shift
	"$bloc" serve --port 0 "$@" 2>"$log" &
	pid=$!
	for i in $(seq 600); do
		grep -q 'listening on http://' "$log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	url=$(sed -n 's|.*listening on \(http://[^ ]*[0-9]\)/.*|\1|p' "$log")
	if [ -z "$url" ]; then
		echo "FAIL: bloc serve did not start:"
		cat "$log"
		exit 1
	fi
	# listening is printed once the daemon runs; wait until it answers too
	for i in $(seq 100); do
		curl -s -o /dev/null "$url/api/groups" && break
		sleep 0.1
	done
}

# Stop the server with signal $1 and check a clean exit 0 and a clean stderr ($2: its log).
stop() {
	local rc
	kill -"$1" "$pid"
	wait "$pid"
	rc=$?
	pid=
	if [ "$rc" -eq 0 ]; then ok; else bad "SIG$1: exit $rc, expected 0"; fi
	if grep -q "stopping" "$tmp/$2.err"; then ok; else bad "SIG$1: no 'stopping' message"; fi
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|ThreadSanitizer' "$tmp/$2.err"; then
		bad "SIG$1: sanitizer report:"
		cat "$tmp/$2.err"
	else
		ok
	fi
}

n=0
# check NAME STATUS REGEX [curl args...]: the status and a line of the body matching REGEX
# (extended regex). Every body is kept for the JSON check at the end.
check() {
	local name=$1 want=$2 pat=$3 got
	shift 3
	n=$((n + 1))
	got=$(curl -s -o "$tmp/body.$n" -w '%{http_code}' "$@")
	if [ "$got" != "$want" ]; then
		bad "$name: status $got, expected $want: $(head -c 300 "$tmp/body.$n")"
	elif ! grep -qE -- "$pat" "$tmp/body.$n"; then
		bad "$name: body does not match /$pat/: $(head -c 300 "$tmp/body.$n")"
	else
		ok
	fi
}

# An error body: {"error":{"status":N,"message":"..."}}
err() { echo "^\\{\"error\":\\{\"status\":$1,\"message\":\".+\"\\}\\}\$"; }

# check_type NAME CONTENT-TYPE [curl args...]
check_type() {
	local name=$1 want=$2 got
	shift 2
	got=$(curl -s -o /dev/null -w '%{content_type}' "$@")
	if [ "$got" = "$want" ]; then ok; else bad "$name: Content-Type '$got', expected '$want'"; fi
}

# ---- the command line ----
"$bloc" serve --bind 0.0.0.0 >/dev/null 2>"$tmp/cli.err"
if [ $? -eq 2 ] && grep -q 'allow-remote' "$tmp/cli.err"; then ok; else bad "--bind 0.0.0.0 without --allow-remote: expected exit 2"; fi
"$bloc" serve --bind not-an-address >/dev/null 2>&1
if [ $? -eq 2 ]; then ok; else bad "--bind not-an-address: expected exit 2"; fi
"$bloc" serve --port 70000 >/dev/null 2>&1
if [ $? -eq 2 ]; then ok; else bad "--port 70000: expected exit 2"; fi
"$bloc" serve --port 0 --data "$tmp/no-such-dir" >/dev/null 2>&1
if [ $? -eq 1 ]; then ok; else bad "--data of a missing directory: expected exit 1"; fi

start main
J='application/json; charset=utf-8'
CT='Content-Type: application/json'

# ---- the web app: exactly the embedded files ----
check "GET /" 200 '<html' "$url/"
check "GET /index.html" 200 '<html' "$url/index.html"
check "GET /app.js" 200 '.' "$url/app.js"
check "GET /app.css" 200 '.' "$url/app.css"
check_type "type of /" 'text/html; charset=utf-8' "$url/"
check_type "type of /app.js" 'text/javascript; charset=utf-8' "$url/app.js"
check_type "type of /app.css" 'text/css; charset=utf-8' "$url/app.css"
got=$(curl -s -I -o "$tmp/head" -w '%{http_code} %{size_download}' "$url/index.html")
if [ "$got" = "200 0" ] && grep -qi '^content-length: [1-9]' "$tmp/head"; then ok; else bad "HEAD /index.html: $got"; fi
if grep -qi '^x-content-type-options: nosniff' "$tmp/head"; then ok; else bad "no nosniff header"; fi
for p in /../etc/passwd /../../../../etc/passwd /%2e%2e/%2e%2e/etc/passwd /%2E%2E%2Fetc%2Fpasswd \
	//etc/passwd /etc/passwd /index.html/.. /./index.html /web/app.js /src/server/web/app.js \
	/CMakeLists.txt /.git/config /proc/self/environ /..%5c..%5cetc/passwd /INDEX.HTML \
	/index.html/ /app.js.map /api/../index.html; do
	check "GET $p" 404 "$(err 404)" --path-as-is "$url$p"
done
check "absolute-form target" 404 "$(err 404)" --request-target "http://localhost/etc/passwd" "$url/"
check "absolute path target" 404 "$(err 404)" --request-target "/etc/passwd" "$url/"
check "escaped NUL" 400 "$(err 400)" --path-as-is "$url/app.js%00.html"
check "escaped NUL in an argument" 400 "$(err 400)" "$url/api/results?contest=ge2024%00x"
check "POST /index.html" 405 "$(err 405)" -X POST -H "$CT" -d x "$url/index.html"
check "DELETE /" 405 "$(err 405)" -X DELETE "$url/"
for f in "$tmp/body."*; do
	if grep -q 'root:' "$f"; then bad "a response holds /etc/passwd: $f"; fi
done

# ---- GET /api/contests: the bloc elections table ----
check "contests" 200 '^\{"meta":\{' "$url/api/contests"
check "contests rows" 200 '^\{"id":"ge2024","kind":"general-election",.*"contest":"yes"' "$url/api/contests"
check_type "contests type" "$J" "$url/api/contests"
check "contests: no arguments" 400 "$(err 400)" "$url/api/contests?x=1"
"$bloc" elections --format json >"$tmp/cli.json"
curl -s "$url/api/contests" >"$tmp/api.json"
if cmp -s "$tmp/cli.json" "$tmp/api.json"; then ok; else bad "/api/contests differs from bloc elections --format json"; fi

# ---- GET /api/groups ----
check "groups" 200 '^\{"groups":\[\{"name":"[a-z-]+","label":"[^"]+"\}' "$url/api/groups"
check "groups: muslim" 200 '"name":"muslim"' "$url/api/groups"

# ---- GET /api/results ----
check "results" 200 '^\{"party":"LAB","seats":411,' "$url/api/results?contest=ge2024"
for by in uk nation region seat; do
	check "results by $by" 200 '^\{"meta":\{"contest":"ge2019"' "$url/api/results?contest=ge2019&by=$by"
	"$bloc" results ge2019 --by $by --format json >"$tmp/cli.json"
	curl -s "$url/api/results?contest=ge2019&by=$by" >"$tmp/api.json"
	if cmp -s "$tmp/cli.json" "$tmp/api.json"; then ok; else bad "/api/results by $by differs from bloc results --format json"; fi
done
check "results by seat rows" 200 '^\{"code":"W07000081","name":"Aberafan Maesteg"' "$url/api/results?contest=ge2024&by=seat"
check "results: a by-election" 200 '"contest":"by2021-batley-and-spen"' "$url/api/results?contest=by2021-batley-and-spen"
check "results: no contest" 400 "$(err 400)" "$url/api/results"
check "results: empty contest" 400 "$(err 400)" "$url/api/results?contest="
check "results: unknown contest" 404 "$(err 404)" "$url/api/results?contest=ge1066"
check "results: not a contest" 422 "$(err 422)" "$url/api/results?contest=census21-religion"
check "results: a path" 404 "$(err 404)" "$url/api/results?contest=results/ge2024/HoC-GE2024-results-by-constituency.csv"
check "results: an absolute path" 404 "$(err 404)" "$url/api/results?contest=/etc/passwd"
check "results: traversal" 404 "$(err 404)" "$url/api/results?contest=../../../etc/passwd"
check "results: not UTF-8" 404 "$(err 404)" "$url/api/results?contest=%ff%fe"
check "results: bad by" 400 "$(err 400)" "$url/api/results?contest=ge2024&by=county"
check "results: unknown argument" 400 "$(err 400)" "$url/api/results?contest=ge2024&format=csv"
check "results: repeated argument" 400 "$(err 400)" "$url/api/results?contest=ge2024&contest=ge2019"
check "results: too many arguments" 414 "$(err 414)" "$url/api/results?$(printf 'a%d=1&' $(seq 20))"
# a question's settings as a JSON body: the same answer as the query arguments
curl -s "$url/api/results?contest=ge2024&by=nation" >"$tmp/get.json"
curl -s -X POST -H "$CT" -d '{"contest":"ge2024","by":"nation"}' "$url/api/results" >"$tmp/post.json"
if cmp -s "$tmp/get.json" "$tmp/post.json"; then ok; else bad "POST /api/results with a JSON body differs from GET"; fi
check "results: POST, not an object" 400 "$(err 400)" -X POST -H "$CT" -d '[1]' "$url/api/results"
check "results: POST, unknown setting" 400 "$(err 400)" -X POST -H "$CT" -d '{"contest":"ge2024","colour":"red"}' "$url/api/results"
check "results: DELETE" 405 "$(err 405)" -X DELETE "$url/api/results"
got=$(curl -s -o /dev/null -D - -X DELETE "$url/api/results" | tr -d '\r' | grep -i '^allow:')
if [ "$got" = "Allow: GET, HEAD, POST" ]; then ok; else bad "405 Allow header: '$got'"; fi

# ---- GET /api/hexmap ----
check "hexmap ge2024" 200 '^\{"layout":"odd-r","hexes":\[\{"code":"[ENSW][0-9]{8}","name":"[^"]+","q":-?[0-9]+,"r":-?[0-9]+,"region":"[^"]*"\}' "$url/api/hexmap?contest=ge2024"
check "hexmap: corrected Scottish codes" 200 '"code":"S14000107"' "$url/api/hexmap?contest=ge2024"
got=$(grep -o '"code":' "$tmp/body.$n" | wc -l)
if [ "$got" -eq 650 ]; then ok; else bad "hexmap ge2024: $got hexes, expected 650"; fi
check "hexmap ge2019" 200 '"code":"E14000530","name":"Aldershot"' "$url/api/hexmap?contest=ge2019"
check "hexmap: unknown contest" 404 "$(err 404)" "$url/api/hexmap?contest=nope"
check "hexmap: no contest" 400 "$(err 400)" "$url/api/hexmap"

# ---- POST /api/project ----
P='{"base":"ge2024","shares":{"LAB":30,"CON":22,"REF":20}}'
check "project" 200 '^\{"party":\{"meta":\{"by":"party","base":"ge2024"' -X POST -H "$CT" -d "$P" "$url/api/project"
check "project seats" 200 '^,"seats":\{"meta":\{"by":"seat"' -X POST -H "$CT" -d "$P" "$url/api/project"
check "project seat rows" 200 '^\{"code":"W07000081","name":"Aberafan Maesteg","winner_base":"LAB"' -X POST -H "$CT" -d "$P" "$url/api/project"
check_type "project type" "$J" -X POST -H "$CT" -d "$P" "$url/api/project"
{
	printf '{"party":'
	"$bloc" project ge2024 --shares LAB=30,CON=22,REF=20 --format json
	printf ',"seats":'
	"$bloc" project ge2024 --shares LAB=30,CON=22,REF=20 --by seat --format json
	printf '}\n'
} >"$tmp/cli.json"
curl -s -X POST -H "$CT" -d "$P" "$url/api/project" >"$tmp/api.json"
if cmp -s "$tmp/cli.json" "$tmp/api.json"; then ok; else bad "/api/project differs from bloc project --format json (party, then --by seat)"; fi
# ?view=party: the party table alone; ?view=winners: it and each seat's projected winner
"$bloc" project ge2024 --shares LAB=30,CON=22,REF=20 --format json >"$tmp/cli-party.json"
curl -s -X POST -H "$CT" -d "$P" "$url/api/project?view=party" >"$tmp/api-party.json"
if cmp -s "$tmp/cli-party.json" "$tmp/api-party.json"; then ok; else bad "/api/project?view=party differs from bloc project --format json"; fi
check "project view=full" 200 '^,"seats":\{"meta":\{"by":"seat"' -X POST -H "$CT" -d "$P" "$url/api/project?view=full"
check "project view=winners" 200 '^\{"party":\{"meta":\{"by":"party","base":"ge2024"' -X POST -H "$CT" -d "$P" "$url/api/project?view=winners"
check "project view=winners map" 200 '^,"winners":\{"W07000081":"LAB",("[EWSN][0-9]{8}":"[A-Z]+",){648}"[EWSN][0-9]{8}":"[A-Z]+"\}\}$' -X POST -H "$CT" -d "$P" "$url/api/project?view=winners"
check_type "project view=winners type" "$J" -X POST -H "$CT" -d "$P" "$url/api/project?view=winners"
sed -n 's/^{"code":"\([^"]*\)",.*"winner":"\([^"]*\)",.*/\1 \2/p' "$tmp/api.json" | sort >"$tmp/winners-full"
curl -s -X POST -H "$CT" -d "$P" "$url/api/project?view=winners" | sed -n 's/^,"winners":{\(.*\)}}$/\1/p' | tr ',' '\n' |
	sed 's/^"\([^"]*\)":"\([^"]*\)"$/\1 \2/' | sort >"$tmp/winners-map"
if [ "$(wc -l <"$tmp/winners-map")" -eq 650 ] && cmp -s "$tmp/winners-full" "$tmp/winners-map"; then ok; else bad "/api/project?view=winners: winners differ from the seat table's"; fi
check "project: group shift, view=winners" 200 '^,"winners":\{' -X POST -H "$CT" -d '{"base":"ge2024","model":"strong","groups":[{"group":"muslim","change":{"LAB":-20,"IND":12}}],"baseline":"survey:LAB=86,CON=9,LD=3,GRN=2"}' "$url/api/project?view=winners"
check "project: region, view=winners" 200 '^,"winners":\{' -X POST -H "$CT" -d '{"base":"ge2019-notional-2023","regions":{"Scotland":{"SNP":30}}}' "$url/api/project?view=winners"
check "project: unknown view" 400 "$(err 400)" -X POST -H "$CT" -d "$P" "$url/api/project?view=seats"
check "project: view twice" 400 "$(err 400)" -X POST -H "$CT" -d "$P" "$url/api/project?view=party&view=winners"
check "project: view, bad scenario" 422 "$(err 422)" -X POST -H "$CT" -d '{"base":"ge2024","shares":{"XYZ":30}}' "$url/api/project?view=winners"
check "project: group shift" 200 '"group":"muslim: LAB=-20' -X POST -H "$CT" -d '{"base":"ge2024","model":"strong","groups":[{"group":"muslim","change":{"LAB":-20,"IND":12}}],"baseline":"survey:LAB=86,CON=9,LD=3,GRN=2"}' "$url/api/project"
check "project: region" 200 '"base":"ge2019-notional-2023"' -X POST -H "$CT" -d '{"base":"ge2019-notional-2023","regions":{"Scotland":{"SNP":30}}}' "$url/api/project"
check "project: no body" 400 "$(err 400)" -X POST -H "$CT" "$url/api/project"
check "project: malformed JSON" 400 "$(err 400)" -X POST -H "$CT" -d '{"base":"ge2024"' "$url/api/project"
check "project: not UTF-8" 400 "$(err 400)" -X POST -H "$CT" --data-binary $'{"base":"ge2024\xff"}' "$url/api/project"
check "project: no base" 400 "$(err 400)" -X POST -H "$CT" -d '{"shares":{"LAB":30}}' "$url/api/project"
check "project: unknown base" 404 "$(err 404)" -X POST -H "$CT" -d '{"base":"ge1066"}' "$url/api/project"
check "project: base a path" 404 "$(err 404)" -X POST -H "$CT" -d '{"base":"/etc/passwd"}' "$url/api/project"
check "project: unknown key" 422 "$(err 422)" -X POST -H "$CT" -d '{"base":"ge2024","colour":"red"}' "$url/api/project"
check "project: unknown party" 422 "$(err 422)" -X POST -H "$CT" -d '{"base":"ge2024","shares":{"XYZ":30}}' "$url/api/project"
check "project: shares above 100" 422 "$(err 422)" -X POST -H "$CT" -d '{"base":"ge2024","shares":{"LAB":90,"CON":30}}' "$url/api/project"
check "project: bad model" 422 "$(err 422)" -X POST -H "$CT" -d '{"base":"ge2024","model":"magic"}' "$url/api/project"
check "project: unknown region" 422 "$(err 422)" -X POST -H "$CT" -d '{"base":"ge2024","regions":{"Atlantis":{"LAB":30}}}' "$url/api/project"
check "project: unknown group" 422 "$(err 422)" -X POST -H "$CT" -d '{"base":"ge2024","groups":[{"group":"martians","change":{"LAB":-20}}]}' "$url/api/project"
check "project: an array" 422 "$(err 422)" -X POST -H "$CT" -d '[1,2]' "$url/api/project"
check "project: not JSON" 415 "$(err 415)" -X POST -H 'Content-Type: text/plain' -d "$P" "$url/api/project"
check "project: no Content-Type" 415 "$(err 415)" -X POST -H 'Content-Type:' -d "$P" "$url/api/project"
check "project: JSON with a charset" 200 '^\{"party":' -X POST -H 'Content-Type: application/json; charset=utf-8' -d "$P" "$url/api/project"
check "project: foreign Origin" 403 "$(err 403)" -X POST -H "$CT" -H 'Origin: http://evil.example' -d "$P" "$url/api/project"
check "project: own Origin" 200 '^\{"party":' -X POST -H "$CT" -H "Origin: $url" -d "$P" "$url/api/project"
check "project: cross-site" 403 "$(err 403)" -X POST -H "$CT" -H 'Sec-Fetch-Site: cross-site' -d "$P" "$url/api/project"
check "project: query arguments" 400 "$(err 400)" -X POST -H "$CT" -d "$P" "$url/api/project?base=ge2019"
check "project: GET without settings" 400 "$(err 400)" "$url/api/project"
check "project: GET with settings" 200 '^\{"meta":\{"by":"party","base":"ge2024"' "$url/api/project?base=ge2024&shares=LAB%3D30"
head -c 70000 /dev/zero | tr '\0' ' ' >"$tmp/big"
check "project: body of 70000 bytes" 413 "$(err 413)" -X POST -H "$CT" --data-binary @"$tmp/big" "$url/api/project"
# chunked, no length: the server answers 413 once the body passes the limit, and closes the
# connection
got=$(curl -s -o "$tmp/chunked" -w '%{http_code}' -X POST -H "$CT" -H 'Transfer-Encoding: chunked' --data-binary @"$tmp/big" "$url/api/project")
if [ "$got" = 413 ]; then ok; else bad "chunked body of 70000 bytes: status $got"; fi
if grep -q '"status":413' "$tmp/chunked"; then ok; else bad "chunked body of 70000 bytes: $(head -c 200 "$tmp/chunked")"; fi
# 60000 bytes of spaces and a scenario: under the limit, accepted
{
	head -c 60000 /dev/zero | tr '\0' ' '
	printf '%s' "$P"
} >"$tmp/big-ok"
check "project: body of 60000 bytes" 200 '^\{"party":' -X POST -H "$CT" --data-binary @"$tmp/big-ok" "$url/api/project"

# ---- GET /api/power ----
check "power" 200 '^\{"meta":\{"contest":"ge2024".*"group":"muslim"' "$url/api/power?contest=ge2024&group=muslim"
check "power rows" 200 '^\{"code":"[ENSW][0-9]{8}","name":"[^"]+","winner":"[A-Z]+"' "$url/api/power?contest=ge2024&group=muslim"
"$bloc" power ge2019 --group hindu --cohesion 0.8 --turnout 0.6 --format json >"$tmp/cli.json"
curl -s "$url/api/power?contest=ge2019&group=hindu&cohesion=0.8&turnout=0.6" >"$tmp/api.json"
if cmp -s "$tmp/cli.json" "$tmp/api.json"; then ok; else bad "/api/power differs from bloc power --format json"; fi
check "power: simulations" 200 '"pivot_prob":[0-9]' "$url/api/power?contest=ge2024&group=muslim&sims=200&seed=7"
check "power: no group" 400 "$(err 400)" "$url/api/power?contest=ge2024"
check "power: no contest" 400 "$(err 400)" "$url/api/power?group=muslim"
check "power: unknown group" 404 "$(err 404)" "$url/api/power?contest=ge2024&group=martians"
check "power: unknown contest" 404 "$(err 404)" "$url/api/power?contest=ge1066&group=muslim"
check "power: cohesion not a number" 400 "$(err 400)" "$url/api/power?contest=ge2024&group=muslim&cohesion=high"
check "power: cohesion nan" 400 "$(err 400)" "$url/api/power?contest=ge2024&group=muslim&cohesion=nan"
check "power: cohesion hex" 400 "$(err 400)" "$url/api/power?contest=ge2024&group=muslim&cohesion=0x1p-1"
check "power: cohesion empty" 400 "$(err 400)" "$url/api/power?contest=ge2024&group=muslim&cohesion="
check "power: cohesion above 1" 422 "$(err 422)" "$url/api/power?contest=ge2024&group=muslim&cohesion=1.5"
check "power: turnout 0" 422 "$(err 422)" "$url/api/power?contest=ge2024&group=muslim&turnout=0"
check "power: turnout negative" 422 "$(err 422)" "$url/api/power?contest=ge2024&group=muslim&turnout=-0.5"
check "power: sims negative" 400 "$(err 400)" "$url/api/power?contest=ge2024&group=muslim&sims=-1"
check "power: sims fractional" 400 "$(err 400)" "$url/api/power?contest=ge2024&group=muslim&sims=1.5"
check "power: sims too many" 422 "$(err 422)" "$url/api/power?contest=ge2024&group=muslim&sims=100000000"
check "power: seed overflow" 400 "$(err 400)" "$url/api/power?contest=ge2024&group=muslim&seed=18446744073709551616"
check "power: unknown argument" 400 "$(err 400)" "$url/api/power?contest=ge2024&group=muslim&colour=red"
check "power: threads" 400 "$(err 400)" "$url/api/power?contest=ge2024&group=muslim&threads=64"

# ---- Host: the server's own names only (DNS rebinding) ----
check "Host evil.example" 421 "$(err 421)" -H 'Host: evil.example' "$url/api/groups"
check "Host evil.example, a file" 421 "$(err 421)" -H 'Host: evil.example' "$url/"
check "Host localhost" 200 '"groups"' -H "Host: localhost:${url##*:}" "$url/api/groups"
check "Host without the port" 200 '"groups"' -H 'Host: 127.0.0.1' "$url/api/groups"
check "empty Host" 400 "$(err 400)" -H 'Host:' -H 'Host;' "$url/api/groups"

# ---- other API paths and methods ----
check "unknown API path" 404 "$(err 404)" "$url/api/nope"
check "/api" 404 "$(err 404)" "$url/api"
check "/api/" 404 "$(err 404)" "$url/api/"
check "PUT /api/groups" 405 "$(err 405)" -X PUT -d x "$url/api/groups"

# ---- limits ----
long=$(head -c 5000 /dev/zero | tr '\0' a)
check "URL of 5000 bytes" 414 "$(err 414)" "$url/api/results?contest=$long"
check "URL of 4000 bytes" 404 "$(err 404)" "$url/api/results?contest=${long:0:3950}"
huge=$(head -c 100000 /dev/zero | tr '\0' a)
got=$(curl -s -o /dev/null -w '%{http_code}' "$url/$huge")
if [ "$got" = 414 ]; then ok; else bad "URL of 100000 bytes: status $got"; fi
check "headers of 17000 bytes" 431 "$(err 431)" -H "X-Filler: $(head -c 17000 /dev/zero | tr '\0' a)" "$url/api/groups"
check "headers of 15000 bytes" 200 '"groups"' -H "X-Filler: $(head -c 15000 /dev/zero | tr '\0' a)" "$url/api/groups"
got=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Filler: $huge" "$url/api/groups")
if [ "$got" = 431 ]; then ok; else bad "headers of 100000 bytes: status $got"; fi

# ---- many requests at once, over every contest (the caches under concurrency) ----
for c in ge2017 ge2019 ge2024 ge2019-notional-2023 by2012-bradford-west by2021-batley-and-spen; do
	for by in uk seat; do echo "$url/api/results?contest=$c&by=$by"; done
	echo "$url/api/hexmap?contest=$c"
done >"$tmp/urls"
got=$(xargs -P 8 -n 1 curl -s -o /dev/null -w '%{http_code}\n' <"$tmp/urls" | sort | uniq -c | tr -s ' ')
if [ "$got" = " 18 200" ]; then ok; else bad "concurrent requests: $got"; fi
for i in $(seq 16); do echo "{\"base\":\"ge2024\",\"shares\":{\"LAB\":$((20 + i))}}"; done >"$tmp/scenarios"
got=$(xargs -P 8 -I{} -d '\n' curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "$CT" -d {} "$url/api/project" <"$tmp/scenarios" | sort | uniq -c | tr -s ' ')
if [ "$got" = " 16 200" ]; then ok; else bad "concurrent projections: $got"; fi

# ---- every body is JSON (where a JSON parser is at hand) ----
json=
if command -v python3 >/dev/null; then
	json="python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding=\"utf-8\"))'"
elif command -v node >/dev/null; then
	json="node -e 'JSON.parse(require(\"fs\").readFileSync(process.argv[1], \"utf8\"))'"
fi
if [ -n "$json" ]; then
	for i in $(seq "$n"); do
		f=$tmp/body.$i
		[ -s "$f" ] || continue
		head -c 1 "$f" | grep -q '{' || continue # the web app's files
		if eval "$json" "$f" 2>/dev/null; then ok; else bad "body $i is not JSON: $(head -c 200 "$f")"; fi
	done
fi

stop TERM main

# ---- SIGINT stops it the same way ----
start second
check "second server" 200 '"groups"' "$url/api/groups"
stop INT second

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
