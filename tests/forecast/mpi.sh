#!/bin/sh
# The same seed gives the same forecast alone, from 1 MPI rank and from 2 (the simulations split
# between the ranks, their counts summed with MPI_Allreduce). Only rank 0 writes.
# Usage: mpi.sh path/to/bloc path/to/mpiexec (BLOC_DATA set).
set -u
bloc=$1
mpiexec=$2
. "$(dirname "$0")/../checks.sh"
mpi_env
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
