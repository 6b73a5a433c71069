#!/usr/bin/env bash
# The R package against C, side by side in one run: bloc_project() called 1,000 times from R on
# an opened store (bench/r_vs_c.R, through bindings/r) and the same loop in C (bench/r_vs_c.c:
# request, query, every cell of the answer read, answer freed). Both are built against the same
# libbloc, found with pkg-config as the R package finds it, and must give the same checksum.
# They run in turns (C, R, C, R, ...); each prints the median microseconds per call over its
# batches, and the figure is the median over the rounds. Prints R / C (acceptance: <= 3).
# A benchmark, not a test: it prints figures, it does not pass or fail on time.
#
#   bench/r_vs_c.sh [ROUNDS]    (default 3)
# Needs Rscript, R CMD INSTALL's tools, and bloc installed where pkg-config finds it
# (BLOC_PREFIX=PREFIX or PKG_CONFIG_PATH=...; cmake --install build --prefix PREFIX).
# The data directory is $BLOC_DATA, else the library's default.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
calls="${BENCH_CALLS:-1000}"
batches="${BENCH_BATCHES:-5}"

if [ -n "${BLOC_PREFIX:-}" ]; then
	for d in "$BLOC_PREFIX"/lib/pkgconfig "$BLOC_PREFIX"/lib64/pkgconfig \
		"$BLOC_PREFIX"/lib/*-linux-gnu/pkgconfig; do
		[ -d "$d" ] && PKG_CONFIG_PATH="$d${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
	done
	export PKG_CONFIG_PATH
fi
command -v Rscript >/dev/null || { echo "r_vs_c: Rscript not found (apt-get install r-base-dev)" >&2; exit 1; }
pkg-config --exists bloc || { echo "r_vs_c: pkg-config finds no bloc: set BLOC_PREFIX or PKG_CONFIG_PATH" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The C loop, linked as the R package links (shared libbloc with an rpath, else static).
libdir="$(pkg-config --variable=libdir bloc)"
if ls "$libdir"/libbloc.so* >/dev/null 2>&1; then
	libs="$(pkg-config --libs bloc) -Wl,-rpath,$libdir"
else
	libs="$(pkg-config --libs --static bloc)"
fi
# shellcheck disable=SC2086
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L $(pkg-config --cflags bloc) "$root/bench/r_vs_c.c" \
	-o "$tmp/r_vs_c" $libs
mkdir "$tmp/lib"
cp -r "$root/bindings/r" "$tmp/r-src" # R CMD INSTALL builds in place
R CMD INSTALL --no-test-load -l "$tmp/lib" "$tmp/r-src" >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log" >&2; exit 1; }

data="$(R_LIBS="$tmp/lib" Rscript -e 'cat(bloc::bloc_data_dir())')"
echo "== bloc $(pkg-config --modversion bloc) from $(pkg-config --variable=prefix bloc); data: $data"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//'); $(Rscript --version 2>&1 | head -1)"
echo "== bloc_project(\"ge2024\", shares = ...) x $calls, median of $batches batches, $rounds rounds"

: >"$tmp/c.txt"
: >"$tmp/r.txt"
for i in $(seq "$rounds"); do
	"$tmp/r_vs_c" --data "$data" --calls "$calls" --batches "$batches" 2>/dev/null >"$tmp/c.out"
	R_LIBS="$tmp/lib" Rscript "$root/bench/r_vs_c.R" "$data" "$calls" "$batches" >"$tmp/r.out"
	c_sum="$(awk '/^checksum/ {print $2}' "$tmp/c.out")"
	r_sum="$(awk '/^checksum/ {print $2}' "$tmp/r.out")"
	if [ "$c_sum" != "$r_sum" ]; then
		echo "r_vs_c: C and R answered differently (LAB seats $c_sum against $r_sum)" >&2
		exit 1
	fi
	c_us="$(awk '/^c_us_per_call/ {print $2}' "$tmp/c.out")"
	r_us="$(awk '/^r_us_per_call/ {print $2}' "$tmp/r.out")"
	echo "round $i: C $c_us us/call, R $r_us us/call (LAB seats summed: $c_sum in both)"
	echo "$c_us" >>"$tmp/c.txt"
	echo "$r_us" >>"$tmp/r.txt"
done

median() { sort -n "$1" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
c_med="$(median "$tmp/c.txt")"
r_med="$(median "$tmp/r.txt")"
awk -v c="$c_med" -v r="$r_med" 'BEGIN {
	printf "C: %.1f us per call (%.0f calls/s)\n", c, 1e6 / c
	printf "R: %.1f us per call (%.0f calls/s)\n", r, 1e6 / r
	printf "R / C = %.2f (acceptance: within 3x: %s)\n", r / c, (r / c <= 3) ? "yes" : "NO"
}'
