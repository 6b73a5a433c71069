# Scores the EI bench (bench/ei/run.sh) and prints the table.
#
#   Rscript bench/ei/score.R WORKDIR
#
# Reads, for each dataset D (in the order of WORKDIR/datasets.txt):
#   WORKDIR/data/D.truth.csv      group,party,truth (true aggregate shares; only these cells are scored)
#   WORKDIR/out/D.M.json          `bloc ei --method M --format json` (M = goodman, king, rxc),
#   WORKDIR/out/D.M.seconds       with its wall time, or WORKDIR/out/D.M.na (why it did not run)
#   WORKDIR/out/D.peers.csv       bench/ei/peers.R run (eiPack ei.reg, eiPack MD, ei::ei)
# Per method: seconds (wall), ESS min and median over the scored cells and both over seconds
# (samplers only), MAE against the truth in percentage points, how many true cells lie inside
# the 95% interval, and the largest R-hat. Then bloc rxc against eiPack MD where both ran.
suppressPackageStartupMessages(library(jsonlite))
args <- commandArgs(trailingOnly = TRUE)
work <- args[1]
datasets <- readLines(file.path(work, "datasets.txt"))
order <- c("bloc goodman", "eiPack ei.reg", "bloc king", "ei::ei", "bloc rxc", "eiPack MD")

num <- function(x) if (is.null(x)) NA_real_ else suppressWarnings(as.numeric(x))

read_bloc <- function(d, m) {
  base <- file.path(work, "out", paste(d, m, sep = "."))
  name <- paste("bloc", m)
  if (file.exists(paste0(base, ".na")))
    return(list(name = name, na = paste(readLines(paste0(base, ".na")), collapse = " ")))
  if (!file.exists(paste0(base, ".json"))) return(NULL)
  j <- fromJSON(paste0(base, ".json"))
  r <- j$rows
  meta <- j$meta
  keep <- names(meta)[grepl("sweep|chain|draw|converged|accept|method", names(meta))]
  list(name = name, secs = as.numeric(readLines(paste0(base, ".seconds"))),
       rows = data.frame(group = r$group, party = r$party, estimate = num(r$estimate),
                         lo95 = num(r$lo95), hi95 = num(r$hi95), rhat = num(r$rhat),
                         ess = num(r$ess), stringsAsFactors = FALSE),
       note = paste(sprintf("%s=%s", keep, sapply(meta[keep], paste, collapse = ",")),
                    collapse = "; "))
}

read_peers <- function(d) {
  f <- file.path(work, "out", paste0(d, ".peers.csv"))
  if (!file.exists(f) || file.size(f) == 0) return(list())
  p <- read.csv(f, stringsAsFactors = FALSE)
  lapply(split(p, factor(p$method, levels = unique(p$method))), function(x)
    list(name = x$method[1], secs = x$seconds[1], rows = x, note = x$note[1]))
}

score <- function(res, truth) {
  m <- merge(truth, res$rows, by = c("group", "party"))
  if (nrow(m) < nrow(truth)) stop(res$name, ": missing cells")
  ess <- if (all(is.na(m$ess))) c(NA, NA) else c(min(m$ess), median(m$ess))
  data.frame(method = res$name, seconds = res$secs, ess_min = ess[1], ess_med = ess[2],
             esss_min = ess[1] / res$secs, esss_med = ess[2] / res$secs,
             mae_pp = 100 * mean(abs(m$estimate - m$truth)),
             cover = sprintf("%d/%d", sum(m$lo95 <= m$truth & m$truth <= m$hi95), nrow(m)),
             rhat = if (all(is.na(m$rhat))) NA else max(m$rhat), stringsAsFactors = FALSE)
}

f <- function(x, fmt) ifelse(is.na(x), "-", sprintf(fmt, x))
cat(sprintf("%-9s %-14s %9s %8s %8s %9s %9s %8s %6s %6s\n", "dataset", "method", "seconds",
            "ESS min", "ESS med", "ESSmin/s", "ESSmed/s", "MAE pp", "cov95", "Rhat"))
notes <- character()
ratios <- character()
for (d in datasets) {
  truth <- read.csv(file.path(work, "data", paste0(d, ".truth.csv")), stringsAsFactors = FALSE)
  truth <- truth[c("group", "party", "truth")]
  res <- c(lapply(c("goodman", "king", "rxc"), function(m) read_bloc(d, m)), read_peers(d))
  res <- Filter(Negate(is.null), res)
  res <- res[order(match(sapply(res, `[[`, "name"), order))]
  s <- list()
  for (r in res) {
    if (!is.null(r[["na"]])) {
      cat(sprintf("%-9s %-14s not available (%s)\n", d, r$name, r[["na"]]))
      next
    }
    x <- score(r, truth)
    s[[r$name]] <- x
    cat(sprintf("%-9s %-14s %9.3f %8s %8s %9s %9s %8.3f %6s %6s\n", d, r$name, x$seconds,
                f(x$ess_min, "%.0f"), f(x$ess_med, "%.0f"), f(x$esss_min, "%.1f"),
                f(x$esss_med, "%.1f"), x$mae_pp, x$cover, f(x$rhat, "%.3f")))
    if (!is.na(r$note) && nzchar(r$note)) notes <- c(notes, sprintf("%s %s: %s", d, r$name, r$note))
  }
  b <- s[["bloc rxc"]]
  e <- s[["eiPack MD"]]
  if (!is.null(b) && !is.null(e)) {
    run <- as.numeric(sub(".*run ([0-9.]+)s.*", "\\1", res[[which(sapply(res, `[[`, "name") ==
                                                              "eiPack MD")]]$note))
    ratios <- c(ratios, sprintf(paste0("%-9s ESS/s min %.1fx, median %.1fx (eiPack without ",
                                       "tuning: %.1fx, %.1fx); time %.2fs vs %.2fs; MAE %.3f vs ",
                                       "%.3f pp; cov95 %s vs %s"), d,
                                b$esss_min / e$esss_min, b$esss_med / e$esss_med,
                                b$esss_min / (e$ess_min / run), b$esss_med / (e$ess_med / run),
                                b$seconds, e$seconds, b$mae_pp, e$mae_pp, b$cover, e$cover))
  }
}
if (length(ratios)) {
  cat("\n== bloc rxc vs eiPack MD (ratios bloc / eiPack; ESS/s: higher is better)\n")
  cat(ratios, sep = "\n")
}
cat("\n== notes\n")
cat(notes, sep = "\n")
