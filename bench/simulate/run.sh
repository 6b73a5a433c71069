#!/usr/bin/env bash
# Simulate bench: bloc simulate's agent-based by-election side by side with an independent R
# implementation of the same model using igraph (bench/simulate/reference.R) on the same inputs,
# in one run (figures, not pass/fail).
#   case     bloc simulate "Bradford West" by-elections-previous-ge:election_date=2010-05-06
#                --stand RES --strategy RES=doorstep,LAB=broker
#   inputs   bloc writes the seat's model (every field of bloc_sim_params: the electorate by age,
#            sex and household, the leanings, the networks, the campaigns and their budgets) with
#            --by spec; reference.R runs from that file, so both sides run the same inputs and
#            differ only in code and random streams
#   answers  by candidate, the share of the vote over the replicates: mean, 90% interval,
#            P(win); and the turnout. A row is flagged (!) when bloc's mean or P(win) differs
#            from R's by more than 4 Monte Carlo standard errors (mean: sd_R x sqrt(1/N_bloc +
#            1/N_R); P(win): sqrt(p(1-p)(1/N_bloc + 1/N_R)) at the pooled p), plus the rounding
#            of bloc's printed figures (0.05 points, 0.0005). bloc prints shares and turnout to a
#            tenth of a point, so a difference under about 0.05 points + 4 SE goes unseen
#   speed    wall time of the whole process (bloc: `bloc simulate ... --format json`, the answers
#            and the metadata in one run; R: Rscript reference.R, including R's start-up, loading
#            igraph and reading the spec), and the rate of the replicates alone (bloc: its `time`
#            metadata; R: reference.R's own timer around its replicate loop); ratios bloc / R.
#            bloc runs on 2 threads (BLOC_REPLICATES) and on 1 (the same replicates as R), R on
#            one
#
#   bench/simulate/run.sh [BLOC_BINARY]   (default build-release/bloc)
# Environment (defaults): BENCH_SIMULATE_REPLICATES=400 (R's replicates: about 0.15 s each here,
# a minute), BENCH_SIMULATE_BLOC_REPLICATES=2 x that (bloc on 2 threads),
# BENCH_SIMULATE_SEED=1, BENCH_SIMULATE_KEEP=1 keeps the work directory.
# Needs Rscript with igraph and jsonlite (apt-get install -y r-cran-igraph r-cran-jsonlite).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bloc="$(realpath "${1:-$root/build-release/bloc}")"
nr="${BENCH_SIMULATE_REPLICATES:-400}"
nb="${BENCH_SIMULATE_BLOC_REPLICATES:-$((2 * nr))}"
seed="${BENCH_SIMULATE_SEED:-1}"

[ -x "$bloc" ] || { echo "bench/simulate: $bloc not built" >&2; exit 1; }
command -v Rscript >/dev/null || { echo "bench/simulate: Rscript not found" >&2; exit 1; }
Rscript -e 'for (p in c("igraph", "jsonlite")) if (!requireNamespace(p, quietly = TRUE)) stop("R package ", p, " missing", call. = FALSE)'

work="$(mktemp -d)"
if [ "${BENCH_SIMULATE_KEEP:-0}" = 1 ]; then echo "== work dir: $work"; else trap 'rm -rf "$work"' EXIT; fi

echo "== machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $("$bloc" --version); $(Rscript --version 2>&1 | head -1); igraph $(Rscript -e 'cat(format(packageVersion("igraph")))'), jsonlite $(Rscript -e 'cat(format(packageVersion("jsonlite")))')"
echo "== replicates: bloc $nb (--threads 2) and $nr (--threads 1), R $nr (one thread); seed $seed"

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }

# The comparison: bloc's JSON answers against reference.R's CSV.
# Arguments: DIR LABEL BLOC2_WALL BLOC1_WALL R_WALL
cat >"$work/compare.R" <<'EOF'
suppressPackageStartupMessages(library(jsonlite))
options(width = 250)
a <- commandArgs(trailingOnly = TRUE)
dir <- a[1]; label <- a[2]; b2_wall <- as.numeric(a[3]); b1_wall <- as.numeric(a[4]); r_wall <- as.numeric(a[5])
f <- function(name) file.path(dir, name)
bj <- fromJSON(f("bloc.json"))
b1j <- fromJSON(f("bloc1.json"))
b <- bj$rows
r <- read.csv(f("r.csv"), stringsAsFactors = FALSE)
rmeta <- readLines(f("r.err"))
rkey <- function(k) as.numeric(sub(".*: ", "", grep(paste0("^# ", k, ":"), rmeta, value = TRUE)[1]))
secs <- function(j) as.numeric(sub(" s$", "", j$meta$time)) # bloc's timer around its replicates
Nb <- as.numeric(bj$meta$replicates); Nb1 <- as.numeric(b1j$meta$replicates); Nr <- rkey("replicates")
# bloc's turnout: "48.3% [47.9, 48.6]"
tv <- as.numeric(regmatches(bj$meta$turnout, gregexpr("[0-9.]+", bj$meta$turnout))[[1]])
b <- rbind(b[, c("party", "share_mean", "share_lo90", "share_hi90", "p_win")],
           data.frame(party = "TURNOUT", share_mean = tv[1], share_lo90 = tv[2], share_hi90 = tv[3], p_win = NA))
m <- merge(r, b, by = "party", all = TRUE, sort = FALSE)
m <- m[order(match(m$party, c(r$party, b$party))), ]
# z of a difference: |d| less bloc's rounding, over its Monte Carlo standard error
zval <- function(d, se, round) ifelse(se > 0, sign(d) * pmax(abs(d) - round, 0) / se, ifelse(abs(d) > round, Inf, 0)) + 0
se_p <- function(p1, p2) { p <- (p1 * Nb + p2 * Nr) / (Nb + Nr); sqrt(p * (1 - p) * (1 / Nb + 1 / Nr)) }
d_mean <- m$share_mean - m$mean
z_mean <- zval(d_mean, m$sd * sqrt(1 / Nb + 1 / Nr), 0.05)
z_win <- zval(m$p_win.y - m$p_win.x, se_p(m$p_win.y, m$p_win.x), 0.0005)
bad <- is.na(m$mean) | is.na(m$share_mean) | abs(z_mean) > 4 | (!is.na(z_win) & abs(z_win) > 4)
fmt <- function(x, d) ifelse(is.na(x), "-", formatC(x, format = "f", digits = d))
tab <- data.frame(party = m$party, strategy = ifelse(is.na(m$strategy), "", m$strategy),
	b_mean = fmt(m$share_mean, 1), b_90 = paste0(fmt(m$share_lo90, 1), "-", fmt(m$share_hi90, 1)),
	b_pwin = fmt(m$p_win.y, 3),
	r_mean = fmt(m$mean, 3), r_90 = paste0(fmt(m$lo90, 2), "-", fmt(m$hi90, 2)),
	r_pwin = fmt(m$p_win.x, 3), r_sd = fmt(m$sd, 3),
	d_mean = fmt(d_mean, 3), z_mean = fmt(z_mean, 1), z_pwin = fmt(z_win, 1),
	flag = ifelse(bad, "!", ""))
cat("\n== ", label, "\n", sep = "")
cat(sprintf("   %s, %s electors; shares of the vote in points over the replicates (TURNOUT: turnout), bloc (b_, %d replicates) and R (r_, %d)\n",
            bj$meta$seat, format(bj$meta$electors, big.mark = ","), Nb, Nr))
cat("   z: difference in Monte Carlo SEs beyond bloc's rounding; ! = |z| > 4\n")
print(tab, row.names = FALSE, right = TRUE)
cat(sprintf("   agreement: %d of %d rows within 4 SE (mean and P(win))\n", sum(!bad), length(bad)))
# speed
b2 <- secs(bj); b1 <- secs(b1j); rs <- rkey("sim_seconds")
cat(sprintf("   speed: bloc --threads 2  %7.3f s wall (%6.2f replicates/s), replicates %7.3f s (%6.2f/s, %.1f ms each); peak %s\n",
            b2_wall, Nb / b2_wall, b2, Nb / b2, 1000 * b2 / Nb, bj$meta$peak_memory))
cat(sprintf("          bloc --threads 1  %7.3f s wall (%6.2f replicates/s), replicates %7.3f s (%6.2f/s, %.1f ms each)\n",
            b1_wall, Nb1 / b1_wall, b1, Nb1 / b1, 1000 * b1 / Nb1))
cat(sprintf("          R (one thread)    %7.3f s wall (%6.2f replicates/s), replicates %7.3f s (%6.2f/s, %.1f ms each; reading the spec and summarising %.3f s)\n",
            r_wall, Nr / r_wall, rs, Nr / rs, 1000 * rs / Nr, rkey("total_seconds") - rs))
steps <- grep("^# step_", rmeta, value = TRUE)
cat("          R per replicate, ms:", paste(sprintf("%s %.1f", sub("^# step_(.*):.*", "\\1", steps),
                                                  1000 * as.numeric(sub(".*: ", "", steps)) / Nr), collapse = ", "), "\n")
cat(sprintf("          ratio bloc / R: 2 threads: whole process %.1fx, replicates %.1fx; 1 thread: whole process %.1fx, replicates %.1fx\n",
            (Nb / b2_wall) / (Nr / r_wall), (Nb / b2) / (Nr / rs), (Nb1 / b1_wall) / (Nr / r_wall), (Nb1 / b1) / (Nr / rs)))
EOF

# bench NAME LABEL bloc-simulate-arguments...
bench() {
	local name="$1" dir="$work/$1" label="$1: bloc simulate $2" t0 t1 b2w b1w rw
	shift 2
	mkdir -p "$dir"
	"$bloc" simulate "$@" --by spec -o "$dir/spec.json"
	echo "-- $name: bloc, $nb replicates on 2 threads ..." >&2
	t0="$(now)"
	"$bloc" simulate "$@" --replicates "$nb" --seed "$seed" --threads 2 --format json -o "$dir/bloc.json"
	t1="$(now)"
	b2w="$(seconds "$t0" "$t1")"
	echo "-- $name: bloc, $nr replicates on 1 thread ..." >&2
	t0="$(now)"
	"$bloc" simulate "$@" --replicates "$nr" --seed "$seed" --threads 1 --format json -o "$dir/bloc1.json"
	t1="$(now)"
	b1w="$(seconds "$t0" "$t1")"
	echo "-- $name: R, $nr replicates ..." >&2
	t0="$(now)"
	Rscript "$here/reference.R" "$dir/spec.json" "$nr" "$seed" >"$dir/r.csv" 2>"$dir/r.err" ||
		{ echo "bench/simulate: reference.R failed on $name:" >&2; cat "$dir/r.err" >&2; return 1; }
	t1="$(now)"
	rw="$(seconds "$t0" "$t1")"
	Rscript "$work/compare.R" "$dir" "$label" "$b2w" "$b1w" "$rw"
	echo "   load after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine slows bloc's 2 threads first)"
}

bench bradford-west '"Bradford West" by-elections-previous-ge:election_date=2010-05-06 --stand RES --strategy RES=doorstep,LAB=broker' \
	"Bradford West" by-elections-previous-ge:election_date=2010-05-06 --stand RES \
	--strategy RES=doorstep,LAB=broker
