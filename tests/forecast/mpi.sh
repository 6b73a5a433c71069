#!/bin/sh
# The same seed gives the same forecast alone, from 1 MPI rank and from 2 (the simulations split
# between the ranks, their counts summed with MPI_Allreduce). Only rank 0 writes.
# Usage: mpi.sh path/to/bloc path/to/mpiexec (BLOC_DATA set).
set -u
bloc=$1
mpiexec=$2
. "$(dirname "$0")/../checks.sh"
# root in CI; a one-core machine still runs 2 ranks
OMPI_ALLOW_RUN_AS_ROOT=1
OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM OMPI_MCA_rmaps_base_oversubscribe
# sanitizer builds: Open MPI's own allocations are not ours to report
ASAN_OPTIONS=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0
export ASAN_OPTIONS
args="forecast ge2017 --polls pollbase --date 2019-12-11 --sims 5000 --format csv"
for view in party seat; do
	run alone $args --by $view
	checks=$((checks + 2))
	"$mpiexec" -np 1 "$bloc" $args --by $view >"$tmp/np1" 2>"$tmp/np1.err" ||
		fail "mpiexec -np 1: $(head -c 300 "$tmp/np1.err")"
	"$mpiexec" -np 2 "$bloc" $args --by $view >"$tmp/np2" 2>"$tmp/np2.err" ||
		fail "mpiexec -np 2: $(head -c 300 "$tmp/np2.err")"
	cmp -s "$tmp/alone" "$tmp/np1" || fail "$view: alone and 1 rank differ"
	cmp -s "$tmp/alone" "$tmp/np2" || fail "$view: alone and 2 ranks differ"
done
finish
