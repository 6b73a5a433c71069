#!/usr/bin/env bash
# Benchmarks, side by side in one run (never tests; they print figures, not pass/fail):
#   1. `bloc results ge2024` as a whole process, and the R peer bench/results.R (read.csv of the
#      same HoC file, seats and votes by party, the same table), both under hyperfine;
#   2. bench_load: the library alone (load + seat results + totals + indices + targets).
# Prints the ratio R / bloc and the figures against the budgets (process <= 20 ms, library <= 5 ms).
#
#   bench/run.sh [BUILD_DIR]     (default build-release; `make bench` builds it first)
# Needs hyperfine and Rscript (apt-get install -y hyperfine r-base-core).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$root/build-release}" && pwd)"
data="${BLOC_DATA:-$(realpath -m "$root/../shared/data")}"
bloc="$build/bloc"
bench_load="$build/bench/bench_load"
script="$root/bench/results.R"
runs="${BENCH_RUNS:-30}"

for tool in hyperfine Rscript; do
	if ! command -v "$tool" >/dev/null; then
		echo "bench: $tool not found (apt-get install -y hyperfine r-base-core)" >&2
		exit 1
	fi
done
for exe in "$bloc" "$bench_load"; do
	[ -x "$exe" ] || { echo "bench: $exe not built (run 'make bench')" >&2; exit 1; }
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "== data: $data"
echo "== machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
echo "== $("$bloc" --version); $(Rscript --version 2>&1 | head -1); $(hyperfine --version)"

# The two programs must give the same answer before their speed means anything.
"$bloc" --data "$data" results ge2024 --format csv >"$tmp/bloc.csv"
Rscript "$script" "$data" >"$tmp/r.csv"
if ! diff -u "$tmp/bloc.csv" "$tmp/r.csv" >"$tmp/diff"; then
	echo "bench: bloc and R disagree on ge2024:" >&2
	cat "$tmp/diff" >&2
	exit 1
fi
echo "== same answer: bloc results ge2024 and bench/results.R agree on all $(($(wc -l <"$tmp/bloc.csv") - 1)) parties"
echo

hyperfine -N --warmup 3 --runs "$runs" --export-csv "$tmp/hf.csv" \
	-n "bloc results ge2024" "$bloc --data $data results ge2024 --format csv" \
	-n "Rscript bench/results.R" "Rscript $script $data"
echo

"$bench_load" --data "$data" --contest ge2024 --iterations "${BENCH_ITERATIONS:-300}" | tee "$tmp/load.txt"
# for comparison: the constituency file alone (ge2024 also reads the 670 KB candidate file)
"$bench_load" --data "$data" --iterations "${BENCH_ITERATIONS:-300}" \
	--contest "$data/results/ge2024/HoC-GE2024-results-by-constituency.csv" | tail -2 |
	sed "s/^bench_load:/bench_load (constituency file only):/"
echo

# hyperfine CSV: command,mean,stddev,median,user,system,min,max (seconds)
load_ms="$(grep -m1 'median' "$tmp/load.txt" | sed 's/.*median \([0-9.]*\) ms.*/\1/')"
awk -F, -v load="$load_ms" '
	NR == 2 { bloc = $4 * 1000; bloc_mean = $2 * 1000 }
	NR == 3 { r = $4 * 1000; r_mean = $2 * 1000 }
	END {
		printf "== summary (medians)\n"
		printf "   bloc results ge2024, whole process: %8.2f ms   budget 20 ms: %s\n", bloc,
		       bloc <= 20 ? "within" : "OVER"
		printf "   R read.csv + aggregate, whole process: %8.2f ms\n", r
		printf "   library load + analysis (bench_load): %8.3f ms   budget 5 ms: %s\n", load,
		       load <= 5 ? "within" : "OVER"
		printf "   ratio R / bloc: %.1fx (medians), %.1fx (means)\n", r / bloc, r_mean / bloc_mean
	}' "$tmp/hf.csv"
