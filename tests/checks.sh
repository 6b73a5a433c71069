# Sourced by the shell test scripts (. "$(dirname "$0")/../checks.sh"): a scratch directory $tmp,
# removed on exit; the counters checks and failures; fail MESSAGE, which counts and prints a
# failure; run NAME ARGS..., which runs $bloc (set by the script) counting a check; and finish,
# which prints the summary and returns the script's status.
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

# run NAME ARGS...: $bloc ARGS into $tmp/NAME (stderr into $tmp/NAME.err); 1 when it failed.
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
