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

# mpi_env: mpiexec may run as root (CI) and put 2 ranks on one core; sanitizer builds do not
# report Open MPI's own allocations, which are not ours.
mpi_env() {
	OMPI_ALLOW_RUN_AS_ROOT=1
	OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
	OMPI_MCA_rmaps_base_oversubscribe=1
	export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM OMPI_MCA_rmaps_base_oversubscribe
	ASAN_OPTIONS=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0
	export ASAN_OPTIONS
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

# bad CODE ARGS...: $bloc ARGS must exit with CODE and write nothing to standard output (its
# output in $tmp/bad.out, its messages in $tmp/bad.err).
bad() {
	want=$1
	shift
	checks=$((checks + 1))
	"$bloc" "$@" >"$tmp/bad.out" 2>"$tmp/bad.err"
	rc=$?
	[ "$rc" -eq "$want" ] || fail "bloc $*: exit $rc, expected $want ($(head -c 200 "$tmp/bad.err"))"
	[ -s "$tmp/bad.out" ] && fail "bloc $*: wrote output on failure"
}
