# bloc for R: every question of libbloc as one function. The settings are the command line's
# options (adult_ratio for --adult-ratio), set on a request in the order given, exactly as the
# CLI sets them; the answer is a data.frame (the CSV's columns) or a document (a string).

.bloc <- new.env(parent = emptyenv())

.codes <- c("BLOC_ENOMEM" = -1L, "BLOC_EINVAL" = -2L, "BLOC_EIO" = -3L, "BLOC_EPARSE" = -4L,
            "BLOC_ENUMERIC" = -5L, "BLOC_EPAR" = -6L, "BLOC_ENOTFOUND" = -7L,
            "BLOC_EUSAGE" = -8L)

# A failure from the library as an R condition of class bloc_error, carrying bloc's message
# (bloc_error_last()), its code (a bloc_err, negative) and that code's name.
.signal <- function(f, call) {
  status <- names(.codes)[match(f$code, .codes)]
  cond <- structure(class = c("bloc_error", "error", "condition"),
                    list(message = f$message, call = call, code = f$code,
                         status = if (is.na(status)) "BLOC_ERROR" else status))
  stop(cond)
}

bloc_data_dir <- function(data = NULL) {
  .Call(C_blocr_default_dir, data)
}

bloc_version <- function() .Call(C_blocr_version)

bloc_questions <- function() .Call(C_blocr_questions)

bloc_open <- function(data = NULL) {
  if (!is.null(data) && !(is.character(data) && length(data) == 1L && !is.na(data)))
    stop("bloc_open: 'data' must be NULL or the name of one directory", call. = FALSE)
  if (!is.null(data))
    data <- path.expand(data)
  st <- .Call(C_blocr_open, data)
  if (inherits(st, "bloc_failure"))
    .signal(st, sys.call())
  st
}

bloc_close <- function(store) {
  if (!inherits(store, "bloc_store"))
    stop("bloc_close: not a bloc store", call. = FALSE)
  if (!is.null(.bloc$store) && identical(store, .bloc$store))
    .bloc$store <- NULL
  .Call(C_blocr_close, store)
  invisible(NULL)
}

# The session's store: opened on first use from the default data directory and kept, so calls
# do not read the files again; opened afresh if that directory changes ($BLOC_DATA).
bloc_store <- function() {
  dir <- .Call(C_blocr_default_dir, NULL)
  st <- .bloc$store
  if (is.null(st) || !identical(.bloc$dir, dir) || !.Call(C_blocr_is_open, st)) {
    st <- bloc_open()
    .bloc$store <- st
    .bloc$dir <- dir
  }
  st
}

print.bloc_store <- function(x, ...) {
  cat("<bloc store: ", attr(x, "dir"),
      if (.Call(C_blocr_is_open, x)) ">\n" else " (closed)>\n", sep = "")
  invisible(x)
}

print.bloc_document <- function(x, ...) {
  lines <- strsplit(x, "\n", fixed = TRUE)[[1]]
  cat("<bloc document: ", attr(x, "media_type"), ", ", nchar(x, type = "bytes"), " bytes>\n",
      sep = "")
  cat(utils::head(substr(lines, 1, 100), 5), sep = "\n")
  if (length(lines) > 5)
    cat("...\n")
  invisible(x)
}

# ---- settings as the text the library's setters take ----

# Numbers as a person types them: 34, -20, 0.87 (15 significant digits, as the C side writes
# a number setting).
.num <- function(x) sprintf("%.15g", as.double(x))

# list(LAB = 34, CON = 24) or c(LAB = 34, CON = 24) -> "LAB=34,CON=24"; text is kept as given.
.pairs <- function(key, x) {
  nm <- names(x)
  if (is.null(nm) && is.character(x))
    return(paste(x, collapse = ","))
  if (is.null(nm) || !all(nzchar(nm)))
    stop(sprintf("%s: expected a named list such as list(LAB = 34, CON = 24)", key),
         call. = FALSE)
  if (is.list(x)) {
    if (!all(lengths(x) == 1L))
      stop(sprintf("%s: expected one value per party", key), call. = FALSE)
    x <- unlist(x, use.names = FALSE)
  }
  paste0(nm, "=", if (is.numeric(x)) .num(x) else x, collapse = ",")
}

# list(Scotland = list(SNP = 30), muslim = list(LAB = -20)) -> one "NAME:LAB=...,..." setting
# per name; text is kept as given (one setting per element).
.areas <- function(key, x) {
  if (is.character(x) && is.null(names(x)))
    return(x)
  nm <- names(x)
  if (is.null(nm) || any(!nzchar(nm)))
    stop(sprintf("%s: expected a named list such as list(muslim = list(LAB = -20))", key),
         call. = FALSE)
  vapply(seq_along(x), function(i) paste0(nm[i], ":", .pairs(key, x[[i]])), "")
}

# list("LAB:REF" = 5) -> "LAB:REF=5", one setting per swing.
.swings <- function(x) {
  if (is.character(x) && is.null(names(x)))
    return(x)
  nm <- names(x)
  if (is.null(nm) || any(!grepl(":", nm, fixed = TRUE)))
    stop("swing: expected a named list such as list(\"LAB:REF\" = 5)", call. = FALSE)
  if (is.list(x))
    x <- unlist(x, use.names = FALSE)
  paste0(nm, "=", if (is.numeric(x)) .num(x) else x)
}

# c("CON", "LAB") -> "CON,LAB"
.list <- function(x) if (is.null(x)) NULL else paste(x, collapse = ",")

.json_str <- function(s) {
  s <- gsub("\\", "\\\\", s, fixed = TRUE)
  s <- gsub("\"", "\\\"", s, fixed = TRUE)
  s <- gsub("\n", "\\n", s, fixed = TRUE)
  s <- gsub("\t", "\\t", s, fixed = TRUE)
  paste0("\"", enc2utf8(s), "\"")
}

# A scenario as JSON: named lists are objects, unnamed lists arrays.
.json <- function(x) {
  if (is.null(x))
    return("null")
  if (!is.null(names(x)) && (is.list(x) || length(x) > 0L))
    return(paste0("{", paste0(.json_str(names(x)), ":",
                              vapply(seq_along(x), function(i) .json(x[[i]]), ""),
                              collapse = ","), "}"))
  if (is.list(x) || length(x) != 1L)
    return(paste0("[", paste(vapply(seq_along(x), function(i) .json(x[[i]]), ""),
                             collapse = ","), "]"))
  if (is.character(x))
    return(.json_str(x))
  if (is.logical(x))
    return(if (isTRUE(x)) "true" else "false")
  .num(x)
}

# Ask `question` with `settings`, a named list set in order: NULL and FALSE are left out, TRUE
# is a flag, text and numbers are set as typed, a vector of several values is that setting given
# several times.
.ask <- function(question, settings, store, call) {
  if (is.null(store))
    store <- bloc_store()
  else if (!inherits(store, "bloc_store"))
    stop("store: expected a store from bloc_open()", call. = FALSE)
  x <- .Call(C_blocr_query, store, question, settings)
  if (inherits(x, "bloc_failure"))
    .signal(x, call)
  w <- attr(x, "warnings")
  if (!is.null(w))
    for (line in strsplit(w, "\n", fixed = TRUE)[[1]])
      warning(sprintf("bloc: %s: %s", question, line), call. = FALSE)
  if (is.character(x))
    class(x) <- "bloc_document"
  x
}

# ---- the questions ----

bloc_query <- function(question, ..., store = NULL) {
  args <- list(...)
  nm <- names(args)
  if (length(args) && (is.null(nm) || any(!nzchar(nm))))
    stop("bloc_query: every setting needs a name (contest = \"ge2024\")", call. = FALSE)
  settings <- lapply(seq_along(args), function(i) {
    v <- args[[i]]
    if (is.list(v) || (!is.null(names(v)) && length(v)))
      if (all(vapply(v, function(e) is.list(e) || !is.null(names(e)), TRUE)))
        .areas(nm[i], v)
      else .pairs(nm[i], v)
    else v
  })
  names(settings) <- gsub("_", "-", nm, fixed = TRUE)
  .ask(question, settings, store, sys.call())
}

bloc_elections <- function(store = NULL) {
  .ask("elections", list(), store, sys.call())
}

bloc_results <- function(contest, by = NULL, store = NULL) {
  .ask("results", list(contest = contest, by = by), store, sys.call())
}

bloc_seat <- function(contest, seat, store = NULL) {
  .ask("seat", list(contest = contest, seat = seat), store, sys.call())
}

bloc_swing <- function(from, to = NULL, pair, nation = NULL, region = NULL, store = NULL) {
  .ask("swing", list(from = from, to = to, pair = .list(pair), nation = .list(nation),
                     region = .list(region)), store, sys.call())
}

bloc_targets <- function(contest, party, limit = NULL, store = NULL) {
  .ask("targets", list(contest = contest, party = party, limit = limit), store, sys.call())
}

bloc_indices <- function(contest, wasted = FALSE, store = NULL) {
  .ask("indices", list(contest = contest, wasted = wasted), store, sys.call())
}

bloc_export <- function(contest, store = NULL) {
  .ask("export", list(contest = contest), store, sys.call())
}

# The scenario settings of project, map, chart and report, in the CLI's order.
.scene <- function(shares, swing, region, group, model, threshold, adult_ratio, turnout_ratio,
                   stand = NULL, baseline = NULL, hold_shares = NULL) {
  list(shares = if (!is.null(shares)) .pairs("shares", shares),
       swing = if (!is.null(swing)) .swings(swing),
       region = if (!is.null(region)) .areas("region", region),
       group = if (!is.null(group)) .areas("group", group),
       model = model, threshold = threshold, "adult-ratio" = adult_ratio,
       "turnout-ratio" = turnout_ratio, stand = if (!is.null(stand)) as.character(stand),
       baseline = baseline,
       "hold-shares" = if (is.logical(hold_shares)) (if (hold_shares) "yes" else "no")
                       else hold_shares)
}

bloc_project <- function(base, scenario = NULL, shares = NULL, swing = NULL, region = NULL,
                         group = NULL, model = NULL, threshold = NULL, adult_ratio = NULL,
                         turnout_ratio = NULL, stand = NULL, baseline = NULL, hold_shares = NULL, by = NULL, store = NULL) {
  file <- if (is.character(scenario)) scenario
  json <- if (is.list(scenario)) .json(scenario)
  .ask("project", c(list(base = if (!missing(base)) base, scenario = file,
                         "scenario-json" = json),
                    .scene(shares, swing, region, group, model, threshold, adult_ratio,
                           turnout_ratio, stand, baseline, hold_shares),
                    list(by = by)), store, sys.call())
}

bloc_backtest <- function(from, to, model = NULL, by = NULL, threshold = NULL, wrong = FALSE,
                          store = NULL) {
  .ask("backtest", list(from = from, to = to, model = model, by = by, threshold = threshold,
                        wrong = wrong), store, sys.call())
}

bloc_power <- function(contest, group = NULL, cohesion = NULL, support = NULL, turnout = NULL,
                       adult_ratio = NULL, third = NULL, sims = NULL, seed = NULL,
                       threads = NULL, census = NULL, decisive = FALSE, summary = FALSE,
                       curve = FALSE, store = NULL) {
  .ask("power", list(contest = contest, group = group, census = census, cohesion = cohesion,
                     turnout = turnout, "adult-ratio" = adult_ratio,
                     support = if (!is.null(support)) .pairs("support", support),
                     third = third, sims = sims, seed = seed, threads = threads,
                     decisive = decisive, summary = summary, curve = curve),
       store, sys.call())
}

bloc_forecast <- function(base, polls, date = NULL, window = NULL, halflife = NULL,
                          house_effects = FALSE, shares = NULL, swing = NULL, region = NULL,
                          group = NULL, model = NULL, threshold = NULL, adult_ratio = NULL,
                          turnout_ratio = NULL, stand = NULL, baseline = NULL,
                          hold_shares = NULL, sims = NULL, seed = NULL, threads = NULL,
                          df = NULL, seat_df = NULL, seat_sd = NULL, region_sd = NULL,
                          error_scale = NULL, factors = NULL, calibrate = NULL, given = NULL,
                          actual = NULL, compare = NULL, history = NULL, by = NULL,
                          store = NULL) {
  .ask("forecast", c(list(base = base, polls = polls, date = date, window = window,
                          halflife = halflife, "house-effects" = house_effects,
                          history = history),
                     .scene(shares, swing, region, group, model, threshold, adult_ratio,
                            turnout_ratio, stand, baseline, hold_shares),
                     list(sims = sims, seed = seed, threads = threads, df = df,
                          "seat-df" = seat_df, "seat-sd" = seat_sd, "region-sd" = region_sd,
                          "error-scale" = error_scale, factors = factors,
                          calibrate = calibrate, given = given, actual = actual,
                          compare = compare, by = by)),
       store, sys.call())
}

bloc_simulate <- function(seat = NULL, base, group = NULL, group_lean = NULL, stand = NULL,
                          strategy = NULL, budget = NULL, replicates = NULL, seed = NULL,
                          threads = NULL, electors = NULL, all = FALSE, actual = NULL,
                          fit = NULL, fit_replicates = NULL, sweep = NULL, by = NULL,
                          scale = NULL, params = NULL, store = NULL) {
  settings <- list(seat = seat, base = base, group = group,
                   "group-lean" = if (!is.null(group_lean)) .pairs("group-lean", group_lean),
                   stand = if (!is.null(stand)) paste(stand, collapse = ","),
                   strategy = if (!is.null(strategy))
                     paste(names(strategy), unlist(strategy), sep = "=", collapse = ","),
                   budget = if (!is.null(budget)) .pairs("budget", budget),
                   replicates = replicates, seed = seed, threads = threads,
                   electors = electors, all = all, actual = actual,
                   fit = if (!is.null(fit))
                     paste(names(fit), unlist(fit), sep = "=", collapse = ","),
                   "fit-replicates" = fit_replicates, sweep = sweep, by = by, scale = scale)
  # the model's parameters by their option names: list("word-of-mouth" = 0.2, persuasion = 0.1)
  for (k in names(params)) settings[[k]] <- params[[k]]
  .ask("simulate", settings, store, sys.call())
}

bloc_ei <- function(contest = NULL, groups, units = NULL, id = NULL, parties = NULL,
                    threshold = NULL, abstention = FALSE, method = NULL, weighted = FALSE,
                    seed = NULL, draws = NULL, chains = NULL, threads = NULL, target_ess = NULL,
                    burnin = NULL, by = NULL, covariates = NULL, covariate_bins = NULL,
                    store = NULL) {
  .ask("ei", list(contest = contest, units = units, id = id, groups = .list(groups),
                  parties = .list(parties), threshold = threshold, abstention = abstention,
                  method = method, weighted = weighted, seed = seed, draws = draws,
                  chains = chains, threads = threads, "target-ess" = target_ess,
                  burnin = burnin, by = by, covariates = covariates,
                  "covariate-bins" = covariate_bins), store, sys.call())
}

bloc_ei_synth <- function(units = NULL, groups = NULL, parties = NULL, seed = NULL, bias = NULL,
                          total = NULL, dirichlet = FALSE, store = NULL) {
  .ask("ei-synth", list(units = units, groups = groups, parties = parties, seed = seed,
                        bias = bias, total = total, dirichlet = dirichlet), store, sys.call())
}

bloc_map <- function(contest, scenario = NULL, colour = NULL, pair = NULL, shares = NULL,
                     swing = NULL, region = NULL, group = NULL, model = NULL, threshold = NULL,
                     adult_ratio = NULL, turnout_ratio = NULL, stand = NULL, baseline = NULL, hold_shares = NULL, store = NULL) {
  .ask("map", c(list(contest = contest, scenario = scenario, colour = colour,
                     pair = .list(pair)),
                .scene(shares, swing, region, group, model, threshold, adult_ratio,
                       turnout_ratio, stand, baseline, hold_shares)), store, sys.call())
}

bloc_chart <- function(contest, scenario = NULL, type = NULL, pair = NULL, shares = NULL,
                       swing = NULL, region = NULL, group = NULL, model = NULL,
                       threshold = NULL, adult_ratio = NULL, turnout_ratio = NULL, stand = NULL,
                       baseline = NULL, hold_shares = NULL, store = NULL) {
  .ask("chart", c(list(contest = contest, scenario = scenario, type = type,
                       pair = .list(pair)),
                  .scene(shares, swing, region, group, model, threshold, adult_ratio,
                         turnout_ratio, stand, baseline, hold_shares)), store, sys.call())
}

# group: a census group's name alone ("muslim") chooses the report's bloc power section; a
# named list shifts that group's support as in bloc_project().
bloc_report <- function(contest, scenario = NULL, group = NULL, shares = NULL, swing = NULL,
                        region = NULL, model = NULL, threshold = NULL, adult_ratio = NULL,
                        turnout_ratio = NULL, stand = NULL, baseline = NULL, hold_shares = NULL, store = NULL) {
  .ask("report", c(list(contest = contest, scenario = scenario),
                   .scene(shares, swing, region, group, model, threshold, adult_ratio,
                          turnout_ratio, stand, baseline, hold_shares)), store, sys.call())
}
