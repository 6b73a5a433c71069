# The R side of bench/r_vs_c.sh: bloc_project() called N times on one opened store, the same
# questions as bench/r_vs_c.c asks in C (LAB's share stepping through 30, 30.5, ..., 34.5), each
# answer a data frame with its metadata. Prints the median time of one call over B batches and
# LAB's seats summed over the last batch (the C loop prints the same checksum).
#
#   Rscript bench/r_vs_c.R DATA_DIR [CALLS] [BATCHES]    (the bloc package on R_LIBS)
suppressPackageStartupMessages(library(bloc))
args <- commandArgs(trailingOnly = TRUE)
data <- if (length(args) >= 1L) args[[1]] else NULL
calls <- if (length(args) >= 2L) as.integer(args[[2]]) else 1000L
batches <- if (length(args) >= 3L) as.integer(args[[3]]) else 5L

st <- bloc_open(data)
# loads ge2024, and lets R compile the loop's functions before the timed batches
for (i in 0:99)
  invisible(bloc_project("ge2024", shares = list(LAB = 30 + 0.5 * (i %% 10), CON = 24),
                         store = st))
times <- numeric(batches)
for (b in seq_len(batches)) {
  checksum <- 0L
  t0 <- proc.time()[["elapsed"]]
  for (i in seq_len(calls) - 1L) {
    x <- bloc_project("ge2024", shares = list(LAB = 30 + 0.5 * (i %% 10), CON = 24), store = st)
    checksum <- checksum + x$seats[x$party == "LAB"]
  }
  times[b] <- (proc.time()[["elapsed"]] - t0) / calls * 1e6
}
cat(sprintf("r_us_per_call %.1f %.1f\n", stats::median(times), min(times)))
cat(sprintf("checksum_lab_seats %d\n", checksum))
