#!/bin/sh
# The same seed gives the same simulation alone, from 1 MPI rank and from 2 (the replicates, or
# with --all the seats, split between the ranks, their counts summed with MPI_Allreduce): one
# seat, and every seat scaled down (5 replicates of 650 seats: the ranks split a seat). Only
# rank 0 writes. The time, peak memory and ranks lines differ.
# Usage: mpi.sh path/to/bloc path/to/mpiexec (BLOC_DATA set).
set -u
bloc=$1
mpiexec=$2
. "$(dirname "$0")/../checks.sh"
mpi_env
strip() { grep -v '^# \(time\|peak_memory\|ranks\):' "$1"; }
n=0
# Bradford West (E14000589) from 2010, and every seat of 2019 scaled down
for args in "E14000589 by-elections-previous-ge:election_date=2010-05-06 --replicates 5 --electors 8000 --stand RES --strategy RES=doorstep,LAB=broker" \
	"--all ge2019 --scale 0.003 --replicates 5"; do
	n=$((n + 1))
	# shellcheck disable=SC2086 # the arguments split on spaces
	run alone$n simulate $args
	checks=$((checks + 2))
	# shellcheck disable=SC2086
	"$mpiexec" -np 1 "$bloc" simulate $args >"$tmp/np1" 2>"$tmp/np1.err" ||
		fail "mpiexec -np 1: $(head -c 300 "$tmp/np1.err")"
	# shellcheck disable=SC2086
	"$mpiexec" -np 2 "$bloc" simulate $args >"$tmp/np2" 2>"$tmp/np2.err" ||
		fail "mpiexec -np 2: $(head -c 300 "$tmp/np2.err")"
	strip "$tmp/alone$n" >"$tmp/a.s"
	strip "$tmp/np1" >"$tmp/1.s"
	strip "$tmp/np2" >"$tmp/2.s"
	[ -s "$tmp/a.s" ] || fail "case $n: no output"
	cmp -s "$tmp/a.s" "$tmp/1.s" || fail "case $n: alone and 1 rank differ"
	cmp -s "$tmp/a.s" "$tmp/2.s" || fail "case $n: alone and 2 ranks differ"
	grep -q '^# ranks: 2 ' "$tmp/np2" || fail "case $n: 2 ranks did not split the work"
done
finish
