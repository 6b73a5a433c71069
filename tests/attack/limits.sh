#!/usr/bin/env bash
# What one request may cost on the server (docs/api.md, Limits) holds however the settings come:
# as query arguments or in a JSON body. Each over-limit request is refused before any work.
#   bash limits.sh BLOC [SOURCE_DIR]      (BLOC_DATA names the data directory)
# Exit 0 pass, 1 fail, 77 skip (no curl).
set -u
bloc=${1:?usage: limits.sh BLOC}
command -v curl >/dev/null || { echo "skip: curl is not installed"; exit 77; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -KILL $pid 2>/dev/null; rm -rf "$tmp"' EXIT

"$bloc" serve --port 0 2>"$tmp/err" &
pid=$!
for _ in $(seq 300); do
	grep -q 'listening on http://' "$tmp/err" && break
	sleep 0.1
done
url=$(sed -n 's|.*listening on \(http://[^ ]*[0-9]\)/.*|\1|p' "$tmp/err")
[ -n "$url" ] || { echo "FAIL: bloc serve did not start"; cat "$tmp/err"; exit 1; }

failed=0
# post NAME STATUS REGEX PATH BODY
post() {
	local got
	got=$(curl -s -o "$tmp/body" -w '%{http_code}' -H 'Content-Type: application/json' \
		--data-binary "$5" "$url$4")
	if [ "$got" != "$2" ] || ! grep -qE "$3" "$tmp/body"; then
		echo "FAIL: $1: HTTP $got (expected $2 matching /$3/): $(head -c 300 "$tmp/body")"
		failed=$((failed + 1))
	fi
}
get() {
	local got
	got=$(curl -s -o "$tmp/body" -w '%{http_code}' "$url$4")
	if [ "$got" != "$2" ] || ! grep -qE "$3" "$tmp/body"; then
		echo "FAIL: $1: HTTP $got (expected $2 matching /$3/): $(head -c 300 "$tmp/body")"
		failed=$((failed + 1))
	fi
}

p='"contest":"ge2024","group":"muslim"'
post "power sims in a body" 422 'sims: at most 10000' /api/power "{$p,\"sims\":100000000}"
post "power sims as text in a body" 422 'sims: at most 10000' /api/power "{$p,\"sims\":\"10001\"}"
get "power sims as an argument" 422 'sims: at most 10000' "/api/power?contest=ge2024&group=muslim&sims=10001"
post "power threads in a body" 400 'threads: not a setting' /api/power "{$p,\"threads\":2}"
get "power threads as an argument" 400 'threads: not a setting' "/api/power?contest=ge2024&group=muslim&threads=2"
post "power within the limit" 200 '"pivot_prob"' /api/power "{$p,\"sims\":100,\"seed\":3}"
e='"contest":"ge2024","groups":"muslim"'
post "ei rxc at its default sweeps" 422 'draws: at most 2000' /api/ei "{$e,\"method\":\"rxc\"}"
post "ei rxc with many draws" 422 'draws: at most 2000' /api/ei "{$e,\"method\":\"rxc\",\"draws\":2001}"
post "ei king with many draws" 422 'draws: at most 2000' /api/ei "{$e,\"method\":\"king\",\"draws\":50000}"
post "ei rxc threads" 400 'threads: not a setting' /api/ei "{$e,\"method\":\"rxc\",\"draws\":100,\"threads\":2}"
post "ei goodman (no draws)" 200 '"estimate"' /api/ei "{$e}"
post "ei-synth units" 422 'units: at most 10000' /api/ei-synth '{"units":1000000}'

kill -TERM "$pid"
wait "$pid"
pid=
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$tmp/err"; then
	echo "FAIL: sanitizer report:"
	cat "$tmp/err"
	failed=$((failed + 1))
fi
[ "$failed" -eq 0 ] && echo "limits: all passed"
[ "$failed" -eq 0 ]
