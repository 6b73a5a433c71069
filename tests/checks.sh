# Sourced by the shell test scripts (. "$(dirname "$0")/../checks.sh"): a scratch directory $tmp,
# removed on exit; the counters checks and failures; fail MESSAGE, which counts and prints a
# failure; and finish, which prints the summary and returns the script's status.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0

fail() {
	failures=$((failures + 1))
	echo "FAIL: $*" >&2
}

finish() {
	echo "$checks checks, $failures failed"
	[ "$failures" -eq 0 ]
}
