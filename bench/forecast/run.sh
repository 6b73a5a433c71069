#!/usr/bin/env bash
# Forecast bench: bloc forecast's Monte Carlo side by side with an independent, vectorised R
# implementation of the same model (bench/forecast/reference.R) on the same inputs, in one run
# (figures, not pass/fail).
#   cases    2024  bloc forecast ge2019-notional-2023 --polls polls-ge2024-final --date 2024-07-03
#                  --stand REF@GB --stand GRN@GB
#            2019  bloc forecast ge2017 --polls pollbase --date 2019-12-11
#   inputs   bloc writes each case's model (every seat's centre, every error scale and
#            correlation) with --by spec; reference.R simulates from that file, so both sides
#            run the same spec and differ only in code and random streams
#   answers  by party, seats over the simulations: median, mean, 90% interval, P(majority),
#            P(largest party); a party is flagged (!) when bloc's mean seats, P(majority) or
#            P(largest) differ from R's by more than 4 Monte Carlo standard errors (mean: sd_R x
#            sqrt(1/N_bloc + 1/N_R); a probability: sqrt(p(1-p)(1/N_bloc + 1/N_R)) at the pooled
#            p), plus the rounding of bloc's printed figures (0.05 seats, 0.0005); the same test
#            on every seat's win probabilities (bloc --by seat, an extra untimed run) and on
#            P(hung parliament)
#   speed    wall time of the whole process (bloc: `bloc forecast ... --threads 2 --format json`,
#            JSON for the answers and the metadata in one run; R: Rscript reference.R, including
#            R's start-up, reading the spec and preparing), and the rate of the simulations alone
#            (bloc: its sims_per_second metadata; R: reference.R's own timer around its
#            simulation loop); ratios bloc / R. bloc runs on 2 threads, R on one.
#
#   bench/forecast/run.sh [BLOC_BINARY]   (default build-release/bloc)
# Environment (defaults): BENCH_FORECAST_SIMS=40000 (simulations, both sides; R runs at about
# 1,000-1,500 a second here, so 40,000 is half a minute a case), BENCH_FORECAST_SEED=1,
# BENCH_FORECAST_CHUNK=500 (R's simulations per vectorised chunk: memory is about 60 x chunk x
# cells bytes over R's own, 120 MB for 500 x 3,681 cells; larger chunks are slower here),
# BENCH_FORECAST_CASES="2024 2019", BENCH_FORECAST_KEEP=1 keeps the work directory.
# Needs Rscript with jsonlite (apt-get install -y r-cran-jsonlite).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bloc="$(realpath "${1:-$root/build-release/bloc}")"
sims="${BENCH_FORECAST_SIMS:-40000}"
seed="${BENCH_FORECAST_SEED:-1}"
cases="${BENCH_FORECAST_CASES:-2024 2019}"
export BENCH_FORECAST_CHUNK="${BENCH_FORECAST_CHUNK:-500}"

[ -x "$bloc" ] || { echo "bench/forecast: $bloc not built" >&2; exit 1; }
command -v Rscript >/dev/null || { echo "bench/forecast: Rscript not found" >&2; exit 1; }
Rscript -e 'if (!requireNamespace("jsonlite", quietly = TRUE)) stop("R package jsonlite missing", call. = FALSE)'

work="$(mktemp -d)"
if [ "${BENCH_FORECAST_KEEP:-0}" = 1 ]; then echo "== work dir: $work"; else trap 'rm -rf "$work"' EXIT; fi

echo "== machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $("$bloc" --version); $(Rscript --version 2>&1 | head -1); jsonlite $(Rscript -e 'cat(format(packageVersion("jsonlite")))')"
echo "== $sims simulations a side, seed $seed; bloc --threads 2, R single-threaded in chunks of $BENCH_FORECAST_CHUNK"

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }

# The comparison: bloc's JSON answers (party and seat views) against reference.R's CSVs.
# Arguments: CASE_DIR LABEL N BLOC_WALL_SECONDS R_WALL_SECONDS
cat >"$work/compare.R" <<'EOF'
suppressPackageStartupMessages(library(jsonlite))
options(width = 250)
a <- commandArgs(trailingOnly = TRUE)
dir <- a[1]; label <- a[2]; N <- as.numeric(a[3]); b_wall <- as.numeric(a[4]); r_wall <- as.numeric(a[5])
f <- function(name) file.path(dir, name)
bj <- fromJSON(f("bloc.json"))
b <- bj$rows
r <- read.csv(f("r.csv"), stringsAsFactors = FALSE)
rmeta <- readLines(f("r.err"))
rkey <- function(k) as.numeric(sub(".*: ", "", grep(paste0("^# ", k, ":"), rmeta, value = TRUE)[1]))
Nb <- as.numeric(bj$meta$sims); Nr <- rkey("sims")
# z of a difference: |d| less bloc's rounding, over its Monte Carlo standard error
zval <- function(d, se, round) ifelse(se > 0, sign(d) * pmax(abs(d) - round, 0) / se, ifelse(abs(d) > round, Inf, 0))
se_p <- function(p1, p2) { p <- (p1 * Nb + p2 * Nr) / (Nb + Nr); sqrt(p * (1 - p) * (1 / Nb + 1 / Nr)) }
m <- merge(r, b, by = "party", all.x = TRUE, suffixes = c(".r", ".b"), sort = FALSE)
m <- m[match(r$party, m$party), ]
# bloc leaves out a party with no seat in its 90% interval, none in the central projection or
# the base and under half a point: only that can be compared for it
missing <- is.na(m$mean.b)
left_out <- m$party[missing & m$hi90.r == 0]
m <- m[!(missing & m$hi90.r == 0), ]
missing <- is.na(m$mean.b)
d_mean <- m$mean.b - m$mean.r
z_mean <- zval(d_mean, m$sd * sqrt(1 / Nb + 1 / Nr), 0.05)
z_maj <- zval(m$p_majority.b - m$p_majority.r, se_p(m$p_majority.b, m$p_majority.r), 0.0005)
z_lar <- zval(m$p_largest.b - m$p_largest.r, se_p(m$p_largest.b, m$p_largest.r), 0.0005)
flag <- ifelse(missing | abs(z_mean) > 4 | abs(z_maj) > 4 | abs(z_lar) > 4, "!", "")
fmt <- function(x, d) ifelse(is.na(x), "-", formatC(x, format = "f", digits = d))
tab <- data.frame(party = m$party,
	b_med = fmt(m$median.b, 0), b_mean = fmt(m$mean.b, 1),
	b_90 = ifelse(is.na(m$lo90.b), "-", paste0(m$lo90.b, "-", m$hi90.b)),
	b_pmaj = fmt(m$p_majority.b, 3), b_plar = fmt(m$p_largest.b, 3),
	r_med = fmt(m$median.r, 0), r_mean = fmt(m$mean.r, 2), r_90 = paste0(m$lo90.r, "-", m$hi90.r),
	r_pmaj = fmt(m$p_majority.r, 3), r_plar = fmt(m$p_largest.r, 3), r_sd = fmt(m$sd, 2),
	d_mean = fmt(d_mean, 2), z_mean = fmt(z_mean, 1), z_pmaj = fmt(z_maj, 1), z_plar = fmt(z_lar, 1),
	flag = flag)
cat("\n== ", label, "\n", sep = "")
cat("   seats by party, bloc (b_) and R (r_); z: difference in Monte Carlo SEs beyond bloc's rounding; ! = |z| > 4\n")
print(tab, row.names = FALSE, right = TRUE)
if (length(left_out))
	cat("   not shown (no row from bloc, and a 90% interval of 0-0 in R, as bloc's rule for leaving a party out):",
	    paste(left_out, collapse = " "), "\n")
# P(hung)
ph_b <- as.numeric(bj$meta$p_hung); ph_r <- rkey("p_hung")
cat(sprintf("   p_hung: bloc %.3f, R %.4f, z %.1f%s\n", ph_b, ph_r, zval(ph_b - ph_r, se_p(ph_b, ph_r), 0.0005),
            if (abs(zval(ph_b - ph_r, se_p(ph_b, ph_r), 0.0005)) > 4) " !" else ""))
# every seat's win probabilities
if (file.exists(f("bloc-seat.json")) && file.exists(f("r-seat.csv"))) {
	bs <- fromJSON(f("bloc-seat.json"))$rows
	rs <- read.csv(f("r-seat.csv"), stringsAsFactors = FALSE)
	col <- paste0("p_", rs$party)
	pb <- rep(NA_real_, nrow(rs))
	ok <- col %in% names(bs)
	i <- match(rs$code, bs$code)
	pb[ok] <- as.numeric(as.matrix(bs[, unique(col[ok]), drop = FALSE])[cbind(i[ok], match(col[ok], unique(col[ok])))])
	pb[!ok] <- 0 # a party the seat view has no column for: bloc never gave it a seat
	z <- zval(pb - rs$p, se_p(pb, rs$p), 0.0005)
	seat_names <- bs$name[i]
	cat(sprintf("   seats: %d candidate cells, win probability |bloc - R| mean %.4f, max %.4f; %d cells beyond 4 SE (about %.1f expected by chance, were cells independent)\n",
	            length(z), mean(abs(pb - rs$p)), max(abs(pb - rs$p)), sum(abs(z) > 4), 2 * pnorm(-4) * length(z)))
	w <- head(order(-abs(z)), 5)
	cat(sprintf("     %-30s %-5s bloc %.3f  R %.4f  z %5.1f\n", substr(seat_names[w], 1, 30), rs$party[w], pb[w], rs$p[w], z[w]), sep = "")
}
# speed
b_rate <- as.numeric(bj$meta$sims_per_second); r_rate <- rkey("sims_per_second")
cat(sprintf("   speed: bloc %.3f s wall (%.0f sims/s), simulations %.0f sims/s (2 threads)\n", b_wall, Nb / b_wall, b_rate))
cat(sprintf("          R    %.3f s wall (%.0f sims/s), simulations %.0f sims/s (1 thread; %.3f s preparing)\n",
            r_wall, Nr / r_wall, r_rate, rkey("total_seconds") - rkey("sim_seconds")))
cat(sprintf("          ratio bloc / R: whole process %.0fx, simulations %.0fx (per thread about %.0fx)\n",
            (Nb / b_wall) / (Nr / r_wall), b_rate / r_rate, b_rate / r_rate / 2))
EOF

# bench LABEL bloc-forecast-arguments...
bench() {
	local label="$1" dir="$work/$1" t0 t1 bw rw
	shift
	mkdir -p "$dir"
	echo "-- $label: bloc ..." >&2
	"$bloc" forecast "$@" --by spec -o "$dir/spec.json"
	t0="$(now)"
	"$bloc" forecast "$@" --sims "$sims" --seed "$seed" --threads 2 --format json -o "$dir/bloc.json"
	t1="$(now)"
	bw="$(seconds "$t0" "$t1")"
	"$bloc" forecast "$@" --sims "$sims" --seed "$seed" --threads 2 --by seat --format json \
		-o "$dir/bloc-seat.json"
	echo "-- $label: R ..." >&2
	t0="$(now)"
	Rscript "$here/reference.R" "$dir/spec.json" "$sims" "$seed" "$dir/r-seat.csv" \
		>"$dir/r.csv" 2>"$dir/r.err" ||
		{ echo "bench/forecast: reference.R failed on $label:" >&2; cat "$dir/r.err" >&2; return 1; }
	t1="$(now)"
	rw="$(seconds "$t0" "$t1")"
	Rscript "$work/compare.R" "$dir" "$label: bloc forecast $* ($sims simulations a side)" "$sims" "$bw" "$rw"
}

for c in $cases; do
	case "$c" in
	2024) bench 2024 ge2019-notional-2023 --polls polls-ge2024-final --date 2024-07-03 \
		--stand REF@GB --stand GRN@GB ;;
	2019) bench 2019 ge2017 --polls pollbase --date 2019-12-11 ;;
	*) echo "bench/forecast: unknown case $c (2024, 2019)" >&2; exit 1 ;;
	esac
done
