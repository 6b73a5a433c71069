# The R peer of bench_project: one national projection of ge2024 (650 seats x parties) under
# uniform, proportional, transition and strong-transition swing, written as an R user would
# (vectorised matrix code, base R only), timed over the same list of targets.
#
#   bench_project --export-shares shares.csv        (writes the inputs; see bench_project.c)
#   Rscript bench/project.R shares.csv [TAU] [RUNS] [BATCHES]
#
# Reading the file is not timed. Each projection takes the base seat shares C (seats x parties),
# the seats' valid votes, the base national shares E and one target P, and returns the projected
# seat shares A (every row clipped at 0 and summing to 1), as bloc_projector_run does. Formulas:
# research/election-models.md §1.1. Prints, per model, the median microseconds per projection over
# BATCHES batches of RUNS runs, and the same checksums as bench_project (seats won by LAB at the
# last target, and summed over all targets; a seat's winner is its largest share, ties to the
# earlier column), computed outside the timed loops. Batches are timed with Sys.time(), which
# resolves microseconds; proc.time() reports whole milliseconds, 5 us per run in a batch of 200.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: Rscript bench/project.R SHARES.csv [TAU] [RUNS] [BATCHES]")
tau <- if (length(args) >= 2) as.numeric(args[2]) else 0.2
runs <- if (length(args) >= 3) as.integer(args[3]) else 200L
batches <- if (length(args) >= 4) as.integer(args[4]) else 21L

d <- read.csv(args[1], check.names = FALSE, stringsAsFactors = FALSE,
              colClasses = c(kind = "character", id = "character", valid = "numeric"))
parties <- names(d)[-(1:3)]
C <- as.matrix(d[d$kind == "seat", parties])
dimnames(C) <- NULL
Tv <- d$valid[d$kind == "seat"]
E <- unlist(d[d$kind == "base", parties], use.names = FALSE)
Tg <- as.matrix(d[d$kind == "target", parties])
targets <- lapply(seq_len(nrow(Tg)), function(k) unname(Tg[k, ]))
lab <- match("LAB", parties)
n <- nrow(C)

# a row of shares clipped at 0 and rescaled to sum to 1
normalise <- function(A) {
  A[A < 0] <- 0
  A / rowSums(A)
}

uniform <- function(C, Tv, E, P, tau) normalise(C + rep(P - E, each = nrow(C)))

proportional <- function(C, Tv, E, P, tau) {
  # a party with no base share gains uniformly
  A <- C * rep(ifelse(E > 0, P / E, 0), each = nrow(C))
  A[, E <= 0] <- rep(P[E <= 0], each = nrow(C))
  normalise(A)
}

# released votes go to the gainers in proportion to their national gains
transfer <- function(C, loss, E, P) {
  g <- pmax(P - E, 0)
  A <- C - loss
  if (sum(g) > 0) A <- A + outer(rowSums(loss), g / sum(g))
  normalise(A)
}

transition <- function(C, Tv, E, P, tau) {
  lf <- ifelse(P < E, 1 - P / E, 0)
  transfer(C, C * rep(lf, each = nrow(C)), E, P)
}

strong <- function(C, Tv, E, P, tau) {
  Wk <- pmin(C, tau)            # weak supporters: up to tau of the seat's turnout
  Sk <- C - Wk                  # strong supporters: the rest
  W <- colSums(Tv * Wk) / sum(Tv)
  S <- colSums(Tv * Sk) / sum(Tv)
  L <- E - P
  lw <- ifelse(L <= 0, 0, ifelse(L <= W, ifelse(W > 0, L / W, 0), 1))
  ls <- ifelse(L <= W, 0, pmin(ifelse(S > 0, (L - W) / S, 0), 1))
  loss <- Wk * rep(lw, each = nrow(C)) + Sk * rep(ls, each = nrow(C))
  transfer(C, loss, E, P)
}

models <- list(uniform = uniform, proportional = proportional, transition = transition,
               strong = strong)
nt <- length(targets)

cat(sprintf("project.R: %d seats x %d parties; %d targets; tau %g; median of %d batches of %d runs; %s\n",
            n, length(parties), nt, tau, batches, runs, R.version.string))
cat(sprintf("%-16s %10s %10s %10s %15s %15s %14s\n", "model", "median_us", "min_us", "p90_us",
            "scenarios_per_s", "lab_seats_last", "lab_seats_sum"))
for (name in names(models)) {
  f <- models[[name]]
  k <- 0L
  us <- numeric(batches)
  for (b in seq_len(batches + 1L)) { # the first batch warms up
    t0 <- Sys.time()
    for (i in seq_len(runs)) {
      k <- if (k == nt) 1L else k + 1L
      A <- f(C, Tv, E, targets[[k]], tau)
    }
    if (b > 1L) us[b - 1L] <- as.numeric(Sys.time() - t0, units = "secs") * 1e6 / runs
  }
  us <- sort(us)
  lab_seats <- vapply(targets, function(P) sum(max.col(f(C, Tv, E, P, tau), "first") == lab),
                      integer(1))
  med <- us[(batches %/% 2L) + 1L]
  cat(sprintf("%-16s %10.3f %10.3f %10.3f %15.0f %15d %14d\n", name, med, us[1],
              us[(batches * 9L) %/% 10L + 1L], 1e6 / med, lab_seats[nt], sum(lab_seats)))
}
