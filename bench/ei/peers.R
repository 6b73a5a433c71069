# The R peers of `bloc ei`: eiPack (ei.reg, tuneMD + ei.MD.bayes) and ei::ei (King's 2x2) on
# one units file, and the export of eiPack's senc data with its true cells.
#
#   Rscript bench/ei/peers.R senc OUTDIR
#       writes OUTDIR/senc.csv (id,white,black,natam,dem,rep,non; id = county_precinct),
#       OUTDIR/senc.truth.csv (group,party,truth: the true aggregate shares from whdem..natamnon),
#       and the 2x2 view OUTDIR/senc2x2.csv (id,black,other,dem,notdem) with senc2x2.truth.csv
#       (the dem column only: in a 2x2 the other column is 1 minus it).
#   Rscript bench/ei/peers.R run UNITS.csv GROUPS PARTIES METHODS [key=value ...]
#       METHODS: comma-separated of reg (eiPack ei.reg), md (eiPack tuneMD + ei.MD.bayes),
#       king (ei::ei, 2 groups x 2 parties only). Keys (defaults): seed=1, tunes=20,
#       tunedraws=1000 (iterations per tuning chain), burnin=10000, sample=2000, thin=20.
#       Prints CSV: method,group,party,estimate,lo95,hi95,rhat,ess,seconds,note
#       seconds = wall time of the fit alone (data already read, packages loaded); for md it
#       includes tuneMD, and note gives tuning and sampling apart.
suppressPackageStartupMessages({
  library(eiPack)
  library(coda)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: peers.R senc OUTDIR | peers.R run UNITS GROUPS PARTIES METHODS ...")

if (args[1] == "senc") {
  data(senc, package = "eiPack", envir = environment())
  out <- args[2]
  id <- gsub("[^A-Za-z0-9]+", "_", paste(senc$county, senc$precinct, sep = "_"))
  stopifnot(!anyDuplicated(id))
  units <- data.frame(id = id, senc[c("white", "black", "natam", "dem", "rep", "non")])
  write.csv(units, file.path(out, "senc.csv"), row.names = FALSE, quote = FALSE)
  cells <- expand.grid(party = c("dem", "rep", "non"), group = c("white", "black", "natam"),
                       stringsAsFactors = FALSE)
  prefix <- c(white = "wh", black = "bl", natam = "natam")
  cells$truth <- mapply(function(g, p) sum(senc[[paste0(prefix[[g]], p)]]) / sum(senc[[g]]),
                        cells$group, cells$party)
  write.csv(cells[c("group", "party", "truth")], file.path(out, "senc.truth.csv"),
            row.names = FALSE, quote = FALSE)
  # 2x2: black vs the rest (white + natam), dem vs the rest (rep + non)
  u2 <- data.frame(id = id, black = senc$black, other = senc$white + senc$natam,
                   dem = senc$dem, notdem = senc$rep + senc$non)
  write.csv(u2, file.path(out, "senc2x2.csv"), row.names = FALSE, quote = FALSE)
  t2 <- data.frame(group = c("black", "other"), party = "dem",
                   truth = c(sum(senc$bldem) / sum(senc$black),
                             sum(senc$whdem + senc$natamdem) / sum(senc$white + senc$natam)))
  write.csv(t2, file.path(out, "senc2x2.truth.csv"), row.names = FALSE, quote = FALSE)
  quit(save = "no")
}

stopifnot(args[1] == "run", length(args) >= 5)
d <- read.csv(args[2], stringsAsFactors = FALSE)
groups <- strsplit(args[3], ",")[[1]]
parties <- strsplit(args[4], ",")[[1]]
methods <- strsplit(args[5], ",")[[1]]
opt <- list(seed = 1, tunes = 20, tunedraws = 1000, burnin = 10000, sample = 2000, thin = 20)
for (kv in args[-(1:5)]) {
  k <- sub("=.*", "", kv)
  if (!k %in% names(opt)) stop("unknown option ", kv)
  opt[[k]] <- as.numeric(sub(".*=", "", kv))
}
f <- as.formula(sprintf("cbind(%s) ~ cbind(%s)", paste(parties, collapse = ","),
                        paste(groups, collapse = ",")))
rows <- list()
emit <- function(method, group, party, est, lo, hi, rhat, ess, secs, note) {
  rows[[length(rows) + 1]] <<- data.frame(method = method, group = group, party = party,
    estimate = est, lo95 = lo, hi95 = hi, rhat = rhat, ess = ess, seconds = secs, note = note,
    stringsAsFactors = FALSE)
}
secs_since <- function(t0) as.numeric(difftime(Sys.time(), t0, units = "secs"))

if ("reg" %in% methods) {
  # Goodman: for each party, lm(share ~ group shares - 1); interval est +- t(0.975, n - R) se
  t0 <- Sys.time()
  fit <- ei.reg(f, data = d)
  secs <- secs_since(t0)
  tq <- qt(0.975, nrow(d) - length(groups))
  for (g in groups) for (p in parties) {
    est <- fit$coef[g, p]
    se <- fit$se[g, p]
    emit("eiPack ei.reg", g, p, est, est - tq * se, est + tq * se, NA, NA, secs,
         "OLS per party, no intercept")
  }
}

if ("md" %in% methods) {
  set.seed(opt$seed)
  t0 <- Sys.time()
  tune <- tuneMD(f, data = d, ntunes = opt$tunes, totaldraws = opt$tunedraws, ret.beta = "d")
  tune_secs <- secs_since(t0)
  t1 <- Sys.time()
  fit <- ei.MD.bayes(f, data = d, tune.list = tune, burnin = opt$burnin, sample = opt$sample,
                     thin = opt$thin, ret.beta = "d")
  run_secs <- secs_since(t1)
  # aggregate shares per draw: Cell.counts[r,c] / N_r (what lambda.MD computes)
  cc <- fit$draws$Cell.counts
  iters <- opt$burnin + opt$sample * opt$thin
  note <- sprintf(paste("tuneMD %.1fs (%d x %d it) + run %.1fs (%d burn-in + %d x thin %d = %d it),",
                        "1 chain, ESS = coda::effectiveSize of Cell.counts/N_r"),
                  tune_secs, opt$tunes, opt$tunedraws, run_secs, opt$burnin, opt$sample,
                  opt$thin, iters)
  for (g in groups) for (p in parties) {
    x <- as.numeric(cc[, paste("ccount", g, p, sep = ".")]) / sum(d[[g]])
    q <- quantile(x, c(0.025, 0.975), names = FALSE)
    emit("eiPack MD", g, p, mean(x), q[1], q[2], NA, unname(effectiveSize(x)),
         tune_secs + run_secs, note)
  }
}

if ("king" %in% methods) {
  if (length(groups) != 2 || length(parties) != 2) stop("king: 2 groups and 2 parties only")
  suppressPackageStartupMessages(library(ei))
  n <- rowSums(d[groups])
  k <- data.frame(x = d[[groups[1]]] / n, t = d[[parties[1]]] / n, n = n)
  set.seed(opt$seed)
  t0 <- Sys.time()
  invisible(capture.output(suppressMessages(fit <- ei(t ~ x, total = "n", data = k))))
  a <- eiread(fit, "aggs") # draws x (Bb, Bw): group 1 and group 2 share for party 1
  secs <- secs_since(t0)
  for (j in 1:2) {
    x <- a[, j]
    q <- quantile(x, c(0.025, 0.975), names = FALSE)
    emit("ei::ei", groups[j], parties[1], mean(x), q[1], q[2], NA, NA, secs,
         sprintf("%d importance-resampled draws (hard-coded in ei)", length(x)))
    q2 <- quantile(1 - x, c(0.025, 0.975), names = FALSE)
    emit("ei::ei", groups[j], parties[2], mean(1 - x), q2[1], q2[2], NA, NA, secs, "")
  }
}

out <- do.call(rbind, rows)
write.csv(out, stdout(), row.names = FALSE, na = "")
