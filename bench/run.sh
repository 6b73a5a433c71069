#!/usr/bin/env bash
# Benchmarks, side by side in one run (never tests; they print figures, not pass/fail):
#   1. `bloc results ge2024` as a whole process, and the R peer bench/results.R (read.csv of the
#      same HoC file, seats and votes by party, the same table), both under hyperfine;
#   2. bench_load: the library alone (load + seat results + totals + indices + targets).
#   3. bench_project: one national projection of ge2024 (650 seats) in the library, per model,
#      and the R peer bench/project.R (vectorised base R) on the same inputs, which bench_project
#      exports; both must give LAB the same seats, at the last target and summed over all targets.
# Prints the ratio R / bloc and the figures against the budgets (process <= 20 ms, library <= 5 ms,
# projection: uniform <= 20 us, strong transition <= 100 us).
#
#   bench/run.sh [BUILD_DIR]     (default build-release; `make bench` builds it first)
# Needs hyperfine and Rscript (apt-get install -y hyperfine r-base-core).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$root/build-release}" && pwd)"
data="${BLOC_DATA:-$root/data}"
bloc="$build/bloc"
bench_load="$build/bench/bench_load"
bench_project="$build/bench/bench_project"
script="$root/bench/results.R"
runs="${BENCH_RUNS:-30}"

for tool in hyperfine Rscript; do
	if ! command -v "$tool" >/dev/null; then
		echo "bench: $tool not found (apt-get install -y hyperfine r-base-core)" >&2
		exit 1
	fi
done
# `make bench` builds bloc and bench_load; bench_project is brought up to date here.
if [ -f "$build/CMakeCache.txt" ]; then
	cmake --build "$build" --target bench_project >/dev/null
fi
for exe in "$bloc" "$bench_load" "$bench_project"; do
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
echo

# 3. One national projection: the kernel in C and the same projection in R, on the same numbers.
"$bench_project" --data "$data" --export-shares "$tmp/shares.csv" | tee "$tmp/project.txt"
echo
Rscript "$root/bench/project.R" "$tmp/shares.csv" 0.2 "${BENCH_R_RUNS:-200}" \
	"${BENCH_R_BATCHES:-21}" | tee "$tmp/project_r.txt"
echo
# rows: model median_us min_us p90_us scenarios_per_s lab_seats_last lab_seats_sum
awk '
	FNR == 1 { file++ }
	$1 == "model" || $1 ~ /:$/ { next }
	file == 1 { bloc[$1] = $2; sps[$1] = $5; last[$1] = $6; sum[$1] = $7; order[++n] = $1 }
	file == 2 { r[$1] = $2; rlast[$1] = $6; rsum[$1] = $7 }
	END {
		budget["uniform"] = 20; budget["strong"] = 100
		printf "== summary: one national projection of ge2024 (650 seats), medians\n"
		printf "   %-16s %9s %13s %9s %9s %17s   %s\n", "model", "bloc us", "scenarios/s",
		       "R us", "R / bloc", "LAB seats bloc/R", "budget"
		for (i = 1; i <= n; i++) {
			m = order[i]
			if (!(m in r)) {
				printf "   %-16s %9.2f %13.0f %9s %9s %17s\n", m, bloc[m], sps[m], "-",
				       "-", last[m] "/-"
				continue
			}
			same = last[m] == rlast[m] && sum[m] == rsum[m]
			if (!same)
				bad++
			b = m in budget ? sprintf("<= %d us: %s", budget[m],
			                          bloc[m] <= budget[m] ? "within" : "OVER") : "-"
			printf "   %-16s %9.2f %13.0f %9.1f %8.1fx %17s   %s%s\n", m, bloc[m], sps[m],
			       r[m], r[m] / bloc[m], last[m] "/" rlast[m], b, same ? "" : "   DISAGREE"
		}
		if (bad) {
			printf "bench: bloc and R disagree on LAB seats for %d model(s)\n", bad > "/dev/stderr"
			exit 1
		}
		printf "   same answer: bloc and R give LAB the same seats under every model, at the " \
		       "last target and summed over all targets\n"
	}' "$tmp/project.txt" "$tmp/project_r.txt"
