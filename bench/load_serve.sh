#!/usr/bin/env bash
# Load test of bloc serve (a benchmark, not a test): wrk GETs /api/groups or POSTs projection
# scenarios to /api/project over loopback with 2 threads and keep-alive connections, and the
# server's resident memory is sampled before, during and after. Acceptance (the issue): GET
# /api/groups >= 20,000 requests/s on 2 cores (wrk shares them); the POST modes zero errors and
# flat memory over 60 s. bench/attack_serve.sh measures the server under attack.
#
#   bench/load_serve.sh [BLOC] [SECONDS] [MODE]
#     BLOC     the binary (default build-release/bloc; build it with `make release`)
#     SECONDS  how long wrk runs (default 60)
#     MODE     groups: GET /api/groups (a cached answer: the cost of HTTP itself);
#              same (default): one scenario, answered from the answer cache after the first;
#              varied: 2000 scenarios in turn, each projected and rendered afresh (full answer);
#              map: the same 2000 scenarios with ?view=winners (party table and seat winners);
#              both: same then varied; all: groups, same, varied, map
#   CONNECTIONS=32 THREADS=2 override wrk's settings.
# Needs wrk (Debian: apt-get install wrk) and curl. BLOC_DATA names the data directory (default: the project's data/).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bloc=${1:-$root/build-release/bloc}
secs=${2:-60}
mode=${3:-same}
conns=${CONNECTIONS:-32}
threads=${THREADS:-2}
: "${BLOC_DATA:=$root/data}"
export BLOC_DATA

command -v wrk >/dev/null || { echo "load: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -x "$bloc" ] || { echo "load: $bloc is not built (make release)" >&2; exit 1; }

log=$(mktemp)
"$bloc" serve --port 0 2>"$log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do
	grep -q 'listening on' "$log" && break
	sleep 0.1
done
url=$(sed -n 's|.*listening on \(http://[^ ]*[0-9]\)/.*|\1|p' "$log")
[ -n "$url" ] || { cat "$log" >&2; exit 1; }

rss() { ps -o rss= -p "$pid" | tr -d ' '; }

echo "load: $(sed -n 's/^bloc: serve: //p' "$log" | head -1)"
echo "load: $(nproc) CPUs on this machine (wrk and the server share them): $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
# warm up: load the contest and fill the caches the first requests would fill
J='Content-Type: application/json'
curl -s -o /dev/null -X POST -H "$J" -d '{"base":"ge2024"}' "$url/api/project"
curl -s -o /dev/null "$url/api/groups"
bytes=$(curl -s -X POST -H "$J" -d '{"base":"ge2024","model":"uniform","shares":{"LAB":25.00,"CON":22,"REF":18}}' "$url/api/project" | wc -c)
echo "load: one answer is $bytes bytes (the party and seat tables)"
bytes=$(curl -s -X POST -H "$J" -d '{"base":"ge2024","model":"uniform","shares":{"LAB":25.00,"CON":22,"REF":18}}' "$url/api/project?view=winners" | wc -c)
echo "load: one ?view=winners answer is $bytes bytes (the party table and seat winners)"

run() {
	local m=$1 before after samples="" t path=/api/project
	[ "$m" = groups ] && path=/api/groups
	before=$(rss)
	(
		for t in $(seq 5 5 "$secs"); do
			sleep 5
			printf '%s ' "$(rss)"
		done
	) >"$log.rss" &
	local sampler=$!
	LOAD_MODE=$m wrk -t "$threads" -c "$conns" -d "${secs}s" --latency \
		-s "$root/bench/load_serve.lua" "$url$path" | tee "$log.wrk" | grep -E '^load:|Non-2xx|Socket errors|Requests/sec|Transfer/sec'
	wait "$sampler" 2>/dev/null || true
	after=$(rss)
	samples=$(cat "$log.rss")
	echo "load: mode $m: RSS before ${before} KiB, every 5 s: ${samples}, after ${after} KiB"
}

case $mode in
groups | same | varied | map) run "$mode" ;;
both)
	run same
	run varied
	;;
all)
	run groups
	run same
	run varied
	run map
	;;
*)
	echo "load: MODE is groups, same, varied, map, both or all" >&2
	exit 2
	;;
esac
kill -TERM "$pid"
wait "$pid"
echo "load: server stopped, exit $?"
trap 'rm -f "$log" "$log.rss" "$log.wrk"' EXIT
