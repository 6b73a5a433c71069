#!/usr/bin/env bash
# Ecological-inference bench: bloc's EI methods side by side with R's eiPack and ei on the same
# data with known truth, in one run (figures, not pass/fail).
#   datasets  synthN    bloc ei-synth --dirichlet, 650 units x 3 groups x 4 parties, about 40,000
#                       voters per unit (a constituency's valid votes; BENCH_EI_TOTAL), seed N
#                       (eiPack's own model; truth = realised aggregate shares)
#             senc      eiPack's senc: 212 North Carolina precincts, white/black/natam x
#                       dem/rep/non, true cells whdem..natamnon (exported by peers.R at run time)
#             senc2x2   senc as black vs other (white+natam) x dem vs notdem (rep+non)
#             synth2x2  bloc ei-synth --dirichlet, 650 units x 2 groups x 2 parties
#   methods   bloc goodman, bloc king (2x2 only), bloc rxc; eiPack ei.reg, eiPack tuneMD +
#             ei.MD.bayes ("eiPack MD"), ei::ei (2x2 only); the R x C samplers skip the 2x2
#             views unless BENCH_EI_2X2_RXC=1
# A bloc method that does not exist yet (or fails) is printed as "not available".
#
#   bench/ei/run.sh [BLOC_BINARY]   (default build-release/bloc)
# Environment (defaults): BENCH_EI_SEEDS="1" (synthN seeds; "1 2 3" for more, about a minute each),
# BENCH_EI_TOTAL=40000 (voters per synthetic unit, both synthN and synth2x2), BENCH_EI_MD="tunes=20
# tunedraws=1000 burnin=10000 sample=2000 thin=20" (eiPack MD: 20 x 1,000 tuning + 50,000 sampling
# iterations; 20 short tuning rounds rather than tuneMD's default 10 x 10,000, which is 100 s here,
# because each round can shrink a proposal SD by 0.84 only, and 20,000 voters per unit need SDs
# well under 0.05 x 0.84^8 = 0.012), BENCH_EI_RXC="--chains 4 --threads 2 --draws 40000", BENCH_EI_KING_DRAWS=2000,
# BENCH_EI_2X2_RXC=1 adds bloc rxc and eiPack MD on the 2x2 views (several minutes more),
# BENCH_EI_TIMEOUT=600 (seconds per bloc run), BENCH_EI_KEEP=1 keeps the work directory. Needs Rscript with eiPack, ei, coda and jsonlite
# (apt-get install -y r-cran-eipack r-cran-ei r-cran-coda r-cran-jsonlite).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bloc="$(realpath "${1:-$root/build-release/bloc}")"
seeds="${BENCH_EI_SEEDS:-1}"
total="${BENCH_EI_TOTAL:-40000}"
md_opts="${BENCH_EI_MD:-tunes=20 tunedraws=1000 burnin=10000 sample=2000 thin=20}"
rxc_opts="${BENCH_EI_RXC:---chains 4 --threads 2 --draws 40000}"
king_draws="${BENCH_EI_KING_DRAWS:-2000}"
tmo="${BENCH_EI_TIMEOUT:-600}"
# the R x C samplers on the 2x2 views only on request: both mix slowly there (bloc rxc runs to its
# sweep cap, minutes), and the 2x2 views are for King's method
x2=""
[ "${BENCH_EI_2X2_RXC:-0}" = 1 ] && x2=",md"

[ -x "$bloc" ] || { echo "bench/ei: $bloc not built" >&2; exit 1; }
command -v Rscript >/dev/null || { echo "bench/ei: Rscript not found" >&2; exit 1; }
Rscript -e 'for (p in c("eiPack", "ei", "coda", "jsonlite")) if (!requireNamespace(p, quietly = TRUE)) stop("R package ", p, " missing", call. = FALSE)'

work="$(mktemp -d)"
if [ "${BENCH_EI_KEEP:-0}" = 1 ]; then echo "== work dir: $work"; else trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work/data" "$work/out"
: >"$work/datasets.txt"

echo "== machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $("$bloc" --version); $(Rscript --version 2>&1 | head -1); eiPack $(Rscript -e 'cat(format(packageVersion("eiPack")))'), ei $(Rscript -e 'cat(format(packageVersion("ei")))')"
echo "== eiPack MD: tuneMD + ei.MD.bayes with $md_opts (iterations = tunes x tunedraws + burnin + sample x thin), 1 chain"
echo "== bloc rxc: $rxc_opts; bloc king: --draws $king_draws; ei::ei: its fixed 99 draws"
echo

now() { date +%s.%N; }

# run_bloc DATASET METHOD GROUPS PARTIES [extra options]: out/DATASET.METHOD.{json,seconds} or .na
run_bloc() {
	local d="$1" m="$2" g="$3" p="$4"
	shift 4
	local base="$work/out/$d.$m" t0 t1
	t0="$(now)"
	if timeout "$tmo" "$bloc" ei --units "$work/data/$d.csv" --id id --groups "$g" --parties "$p" \
		--method "$m" "$@" --format json -o "$base.json" 2>"$base.err"; then
		t1="$(now)"
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }' >"$base.seconds"
	else
		local st=$?
		if [ "$st" = 124 ]; then echo "timed out after $tmo s" >"$base.na"; else head -c 200 "$base.err" | head -1 >"$base.na"; fi
		rm -f "$base.json"
	fi
}

# bench DATASET GROUPS PARTIES PEER_METHODS: every method on one dataset
bench() {
	local d="$1" g="$2" p="$3" peers="$4" seed="${5:-1}"
	echo "$d" >>"$work/datasets.txt"
	echo "-- $d: bloc ..." >&2
	run_bloc "$d" goodman "$g" "$p"
	if [ "$(echo "$g" | tr ',' '\n' | wc -l)" = 2 ] && [ "$(echo "$p" | tr ',' '\n' | wc -l)" = 2 ]; then
		run_bloc "$d" king "$g" "$p" --draws "$king_draws" --seed "$seed"
	fi
	case ",$peers," in *,md,*)
		# shellcheck disable=SC2086
		run_bloc "$d" rxc "$g" "$p" --seed "$seed" $rxc_opts ;;
	esac
	echo "-- $d: R peers ($peers) ..." >&2
	# shellcheck disable=SC2086
	Rscript "$here/peers.R" run "$work/data/$d.csv" "$g" "$p" "$peers" seed="$seed" $md_opts \
		>"$work/out/$d.peers.csv" 2>"$work/out/$d.peers.err" ||
		{ echo "bench/ei: peers.R failed on $d:" >&2; cat "$work/out/$d.peers.err" >&2; }
}

for s in $seeds; do
	"$bloc" ei-synth --units 650 --groups 3 --parties 4 --dirichlet --total "$total" --seed "$s" \
		-o "$work/data/synth$s.csv"
	bench "synth$s" G1,G2,G3 P1,P2,P3,P4 reg,md "$s"
done
Rscript "$here/peers.R" senc "$work/data"
bench senc white,black,natam dem,rep,non reg,md
bench senc2x2 black,other dem,notdem "reg,king$x2"
"$bloc" ei-synth --units 650 --groups 2 --parties 2 --dirichlet --total "$total" --seed 1 \
	-o "$work/data/synth2x2.csv"
# score the first party only: in a 2x2 the other is 1 minus it (same error, same coverage)
grep -v ',P2,' "$work/data/synth2x2.truth.csv" >"$work/data/synth2x2.truth.tmp"
mv "$work/data/synth2x2.truth.tmp" "$work/data/synth2x2.truth.csv"
bench synth2x2 G1,G2 P1,P2 "reg,king$x2"

echo
echo "== EI bench: seconds = wall time (bloc: whole process; R: the fit alone, eiPack MD incl. tuneMD);"
echo "   ESS over the scored aggregate cells (bloc rxc: its multi-chain ESS; eiPack: coda::effectiveSize);"
echo "   MAE in percentage points against the true aggregate shares; cov95 = true cells inside the 95% interval"
Rscript "$here/score.R" "$work"
