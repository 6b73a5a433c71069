#!/usr/bin/env Rscript
# A vectorised R reference for bloc's forecast Monte Carlo (src/lib/forecast/sim.c, the model in
# include/bloc/forecast.h): the same model, independent code and random streams, so the answers
# agree in distribution (within Monte Carlo error), not bit for bit.
#
#   Rscript bench/forecast/reference.R SPEC.json N SEED [SEATS.csv]
#
# SPEC.json is what `bloc forecast BASE --polls ID ... --by spec -o SPEC.json` writes: every input
# of the simulation (row-major arrays). N elections are simulated in chunks of
# BENCH_FORECAST_CHUNK (default 500) simulations, every chunk as matrices over simulations x
# candidate cells. Standard output: CSV party,median,mean,lo90,hi90,p_majority,p_largest,sd
# (seats over the simulations; sd for Monte Carlo standard errors). Standard error: `# key:
# value` lines (sims, seconds, sims_per_second of the simulation loop alone, p_hung). SEATS.csv,
# if given, gets each seat's win probabilities (code,party,p; cells with a candidate).
# Needs jsonlite (apt-get install -y r-cran-jsonlite).
suppressPackageStartupMessages(library(jsonlite))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 3)
	stop("usage: Rscript reference.R SPEC.json N SEED [SEATS.csv]", call. = FALSE)
nsims <- as.integer(args[2])
seed <- as.integer(args[3])
seats_out <- if (length(args) >= 4) args[4] else NA
chunk <- as.integer(Sys.getenv("BENCH_FORECAST_CHUNK", "500"))
stopifnot(nsims >= 1, chunk >= 1)

t_start <- Sys.time()
sp <- fromJSON(args[1], simplifyVector = TRUE)
num <- function(v) as.numeric(unlist(v)) # empty JSON arrays come back as list()

S <- sp$nseats
P <- sp$nparties
R <- sp$nregions
K <- sp$nfactors
parties <- unlist(sp$parties)
region <- as.integer(num(sp$region)) + 1L # 1-based
centre <- matrix(num(sp$centre), S, P, byrow = TRUE) # seat x party, fractions
ref <- num(sp$ref) # points
national_cov <- matrix(num(sp$national_cov), P, P, byrow = TRUE) # points^2
region_sd <- num(sp$region_sd)
region_corr <- matrix(num(sp$region_corr), R, R, byrow = TRUE)
load <- matrix(num(sp$load), S, K, byrow = TRUE) # census shares
factor_sd <- matrix(num(sp$factor_sd), K, P, byrow = TRUE) # points per unit loading
own_sd <- num(sp$own_sd) # points per unit of (share - ref / 100)
df <- sp$df
seat_df <- sp$seat_df
seat_sd <- sp$seat_sd
majority <- sp$majority

# ---- prepared once ---------------------------------------------------------------------------

invref <- ifelse(ref > 0.01, 1 / ref, 100) # points -> log scale
Lnat <- t(chol(national_cov)) # lower Cholesky factors (chol() stops if not positive definite)
Lreg <- t(chol(region_corr))

# Seat noise T: a unit-SD Student-t with seat_df degrees of freedom (the normal for 0). bloc
# draws it from a table of the quantile function at (j + 0.5) / 4097, j = 0..4096, so its draws
# stop at the quantiles 0.5 / 4097 and 1 - 0.5 / 4097 (7.19 SD for 5 df, 3.67 for the normal):
# here the same truncation, by redrawing the few draws beyond it. It matters for the mean
# correction below (a t has no exponential moment: E[exp(sigma T)] is finite only truncated).
p_tail <- 0.5 / 4097
if (seat_df > 0) {
	t_scale <- sqrt((seat_df - 2) / seat_df)
	t_max <- -qt(p_tail, seat_df) * t_scale
	t_dens <- function(t) dt(t / t_scale, seat_df) / t_scale
	t_draw <- function(n) rt(n, seat_df) * t_scale
} else {
	t_max <- -qnorm(p_tail)
	t_dens <- dnorm
	t_draw <- rnorm
}
draw_noise <- function(n) {
	v <- t_draw(n)
	while (length(bad <- which(abs(v) > t_max)))
		v[bad] <- t_draw(length(bad))
	v
}
t_mass <- 1 - 2 * p_tail # the truncated density's normaliser
# m(sigma) = log E[exp(sigma T)] over the truncated T, by numerical integration
noise_mean <- function(sigma) {
	f <- function(t) exp(sigma * t) * t_dens(t)
	log((integrate(f, -t_max, 0, rel.tol = 1e-10)$value +
	     integrate(f, 0, t_max, rel.tol = 1e-10)$value) / t_mass)
}

# Candidate cells (centre > 0), seat-major: seat, party, and each cell's fixed terms.
cand <- which(t(centre) > 0) - 1L # 0-based positions in the row-major seat x party array
cell_s <- cand %/% P + 1L
cell_p <- cand %% P + 1L
C <- length(cand)
cc <- centre[cbind(cell_s, cell_p)]
cf <- pmax(cc, 0.01)
nscale <- seat_sd / 100 * sqrt(cf * (1 - cf)) / sqrt(0.35 * 0.65) / cf # seat noise SD, log scale
own <- cc - ref[cell_p] / 100 # the differential swing's loading
# variance of the other (normal-theory) terms on the log scale: their mean correction is var / 2
v <- diag(national_cov)[cell_p] + region_sd[region[cell_s]]^2 + own^2 * own_sd[cell_p]^2
for (k in seq_len(K))
	v <- v + load[cell_s, k]^2 * factor_sd[k, cell_p]^2
v <- v * invref[cell_p]^2
u_scale <- unique(nscale) # the integral once per distinct scale
m_cell <- vapply(u_scale, noise_mean, 0)[match(nscale, u_scale)]
logc <- log(cc) - 0.5 * v - m_cell
shrow <- region[cell_s] + (cell_p - 1L) * R # row of the cell's (region, party) shift

# Each seat's candidates as slots 1..J (J = the most candidates in a seat): slot_cell[s, j] is
# the cell of seat s's j-th candidate, NA past its last.
seats_with <- sort(unique(cell_s)) # seats without a candidate have no winner
S1 <- length(seats_with)
seat_row <- match(cell_s, seats_with)
slot <- ave(seq_len(C), cell_s, FUN = seq_along)
J <- max(slot)
slot_cell <- matrix(NA_integer_, S1, J)
slot_cell[cbind(seat_row, slot)] <- seq_len(C)
slot_rows <- lapply(seq_len(J), function(j) which(!is.na(slot_cell[, j])))

# ---- the simulations -------------------------------------------------------------------------

# One chunk of M simulations, every term a matrix with one row per cell (or party, or region x
# party) and one column per simulation, so per-cell vectors recycle down the columns. Returns
# seats, an M x P matrix of seats won, and wins, each cell's wins over the chunk (length C).
simulate_chunk <- function(M) {
	# national: multivariate t = normal x sqrt((df - 2) / chi2(df)), covariance national_cov
	wt <- if (df > 0) sqrt((df - 2) / rchisq(M, df)) else rep(1, M)
	e <- (Lnat %*% matrix(rnorm(P * M), P, M)) * rep(wt, each = P) # P x M, points
	# regional: each party's vector over the regions, correlation region_corr, SD region_sd;
	# R x (P * M), then as (R * P) x M with row r + (p - 1) R
	u <- (Lreg %*% matrix(rnorm(R * P * M), R, P * M)) * region_sd
	shift <- (matrix(u, R * P, M) + e[rep(seq_len(P), each = R), , drop = FALSE]) *
		rep(invref, each = R)
	x <- shift[shrow, , drop = FALSE] + logc # C x M: the fixed terms and the shifts
	# differential swing o[p], per unit of (share - ref / 100)
	o <- matrix(rnorm(P * M), P, M) * (own_sd * invref)
	x <- x + o[cell_p, , drop = FALSE] * own
	# census factors g[k, p], per unit of loading
	for (k in seq_len(K)) {
		g <- matrix(rnorm(P * M), P, M) * (factor_sd[k, ] * invref)
		x <- x + g[cell_p, , drop = FALSE] * load[cell_s, k]
	}
	# seat noise
	x <- x + matrix(draw_noise(C * M), C, M) * nscale
	# winners: each seat's largest log share (a running maximum over its slots), then the cells
	# equal to their seat's maximum (ties have probability 0)
	best <- x[slot_cell[, 1], , drop = FALSE] # S1 x M
	for (j in seq_len(J)[-1]) {
		r <- slot_rows[[j]]
		best[r, ] <- pmax(best[r, , drop = FALSE], x[slot_cell[r, j], , drop = FALSE])
	}
	win <- which(x == best[seat_row, , drop = FALSE]) - 1L # 0-based positions in x
	if (length(win) != S1 * M)
		stop("a tie for a seat's largest share: ", length(win), " winners for ", S1 * M, call. = FALSE)
	cell <- win %% C + 1L
	sim <- win %/% C + 1L
	list(seats = matrix(tabulate(sim + (cell_p[cell] - 1L) * M, M * P), M, P),
	     wins = tabulate(cell, C))
}

set.seed(seed)
cell_wins <- numeric(C) # wins by cell
seats <- matrix(0L, nsims, P) # seats won, by simulation and party
t_sim <- Sys.time()
done <- 0L
while (done < nsims) {
	M <- min(chunk, nsims - done)
	r <- simulate_chunk(M)
	seats[done + seq_len(M), ] <- r$seats
	cell_wins <- cell_wins + r$wins
	done <- done + M
}
sim_sec <- as.numeric(Sys.time() - t_sim, units = "secs")

# ---- summaries, as bloc's (src/lib/forecast/summary.c) ----------------------------------------

# the smallest k whose cumulative count reaches q of the simulations
seat_quantile <- function(x, q) {
	cum <- cumsum(tabulate(x + 1L, S + 1L))
	which(cum >= q * length(x) & cum > 0)[1] - 1L
}
most <- do.call(pmax, as.data.frame(seats))
top <- max.col(seats, ties.method = "first")
alone <- rowSums(seats == most) == 1 & most > 0
out <- data.frame(
	party = parties,
	median = apply(seats, 2, seat_quantile, 0.5),
	mean = colMeans(seats),
	lo90 = apply(seats, 2, seat_quantile, 0.05),
	hi90 = apply(seats, 2, seat_quantile, 0.95),
	p_majority = colMeans(seats >= majority),
	p_largest = tabulate(top[alone], P) / nsims,
	sd = apply(seats, 2, sd))
write.csv(format(out, digits = 6, scientific = FALSE, trim = TRUE), stdout(), row.names = FALSE,
          quote = FALSE)
if (!is.na(seats_out)) {
	write.csv(data.frame(code = unlist(sp$codes)[cell_s], party = parties[cell_p],
	                     p = cell_wins / nsims), seats_out, row.names = FALSE, quote = FALSE)
}
cat(sprintf("# sims: %d\n# chunk: %d\n# cells: %d\n# sim_seconds: %.3f\n# sims_per_second: %.0f\n",
            nsims, chunk, C, sim_sec, nsims / sim_sec), file = stderr())
cat(sprintf("# total_seconds: %.3f\n# p_hung: %.4f\n",
            as.numeric(Sys.time() - t_start, units = "secs"),
            mean(rowSums(seats >= majority) == 0)), file = stderr())
