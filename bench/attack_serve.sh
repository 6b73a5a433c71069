#!/usr/bin/env bash
# bloc serve under attack (a benchmark, not a test): the acceptance figures of the server's
# robustness, measured over loopback on this machine (bench/attack_serve.py says how).
#   flood  1,000 idle + 70 slowloris connections held open: a probe on a new connection must be
#          answered within 1 s, every time
#   heavy  six clients asking /api/power?contest=ge2024&group=muslim&sims=10000 (never cached):
#          cheap requests on another connection keep p99 under 100 ms
#
#   bench/attack_serve.sh [BLOC] [SECONDS] [MODE]
#     BLOC     the binary (default build-release/bloc; build it with `make release`)
#     SECONDS  how long each mode runs (default 40)
#     MODE     flood, heavy or both (default)
# Needs python3. BLOC_DATA names the data directory (default: the project's data/).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bloc=${1:-$root/build-release/bloc}
secs=${2:-40}
mode=${3:-both}
: "${BLOC_DATA:=$root/data}"
export BLOC_DATA

command -v python3 >/dev/null || { echo "attack: python3 is not installed" >&2; exit 1; }
[ -x "$bloc" ] || { echo "attack: $bloc is not built (make release)" >&2; exit 1; }
# the attacker holds over a thousand sockets
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

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
echo "attack: $(sed -n 's/^bloc: serve: //p' "$log" | head -1)"
echo "attack: $(nproc) CPUs on this machine (the attackers and the server share them)"
curl -s -o /dev/null "$url/api/groups" || true
curl -s -o /dev/null "$url/api/results?contest=ge2024" || true
curl -s -o /dev/null "$url/api/hexmap?contest=ge2024" || true
python3 "$root/bench/attack_serve.py" "$url" "$mode" "$secs"
kill -TERM "$pid"
start=$(date +%s.%N)
wait "$pid"
rc=$?
echo "attack: SIGTERM: exit $rc after $(echo "$(date +%s.%N) - $start" | bc) s; $(grep -c . "$log") lines on stderr: $(tail -2 "$log" | tr '\n' ' ')"
trap 'rm -f "$log"' EXIT
