# Each answer against the command line's CSV for the same question.

test_that("results equal the CLI's CSV", {
  expect_same_as_cli(bloc_results("ge2024"), c("results", "ge2024"))
  expect_same_as_cli(bloc_results("ge2019", by = "nation"),
                     c("results", "ge2019", "--by", "nation"))
  x <- bloc_results("ge2024", by = "seat")
  expect_same_as_cli(x, c("results", "ge2024", "--by", "seat"))
  expect_type(x$electorate, "integer")
  expect_type(x$turnout, "double")
})

test_that("swing equals the CLI's CSV, TOTAL row included", {
  x <- bloc_swing("ge2019", "ge2024", pair = c("CON", "LAB"))
  expect_same_as_cli(x, c("swing", "ge2019", "ge2024", "--pair", "CON,LAB"))
  expect_identical(x$code[nrow(x)], "TOTAL")
  expect_same_as_cli(bloc_swing("ge2017", "ge2019", pair = "LAB,CON",
                                nation = c("England", "Scotland", "Wales")),
                     c("swing", "ge2017", "ge2019", "--pair", "LAB,CON", "--nation",
                       "England,Scotland,Wales"))
  expect_same_as_cli(bloc_swing("by2012-bradford-west", pair = c("LAB", "RES")),
                     c("swing", "by2012-bradford-west", "--pair", "LAB,RES"))
})

test_that("a projection under a scenario equals the CLI's CSV", {
  args <- c("project", "ge2024", "--shares", "LAB=30,CON=22,REF=20", "--group",
            "muslim:LAB=-20,IND=+12,GRN=+6", "--model", "strong", "--baseline",
            "survey:LAB=86,CON=9,LD=3,GRN=2", "--stand", "IND:A. Candidate@Bradford West")
  x <- bloc_project("ge2024", shares = list(LAB = 30, CON = 22, REF = 20),
                    group = list(muslim = list(LAB = -20, IND = 12, GRN = 6)), model = "strong",
                    baseline = "survey:LAB=86,CON=9,LD=3,GRN=2",
                    stand = "IND:A. Candidate@Bradford West")
  expect_same_as_cli(x, args)
  expect_same_as_cli(bloc_project("ge2024", shares = c(LAB = 30, CON = 22, REF = 20),
                                  group = list(muslim = c(LAB = -20, IND = 12, GRN = 6)),
                                  model = "strong", by = "seat",
                                  baseline = "survey:LAB=86,CON=9,LD=3,GRN=2",
                                  stand = "IND:A. Candidate@Bradford West"),
                     c(args, "--by", "seat"))
  expect_same_as_cli(bloc_project("ge2019-notional-2023",
                                  region = list(Scotland = list(SNP = 36, LAB = 30)),
                                  swing = list("LAB:REF" = 5), model = "transition",
                                  by = "flow"),
                     c("project", "ge2019-notional-2023", "--region", "Scotland:SNP=36,LAB=30",
                       "--swing", "LAB:REF=5", "--model", "transition", "--by", "flow"))
})

test_that("a scenario given as a list is the same scenario as its JSON file", {
  sc <- list(shares = list(LAB = 34, CON = 24),
             swing = list(list(from = "LAB", to = "REF", points = 5)),
             groups = list(list(group = "muslim", change = list(LAB = -20, IND = 12))),
             baseline = "survey:LAB=86,CON=9,LD=3,GRN=2", model = "proportional")
  file <- tempfile(fileext = ".json")
  on.exit(unlink(file))
  writeLines(bloc:::.json(sc), file)
  x <- bloc_project("ge2024", scenario = sc)
  expect_same_as_cli(x, c("project", "ge2024", file))
  y <- bloc_project("ge2024", scenario = file)
  expect_identical(lapply(x, identity), lapply(y, identity))
  # the same metadata, but for the file's name
  expect_identical(attr(y, "meta")[names(attr(x, "meta"))], attr(x, "meta"))
  expect_identical(attr(y, "meta")$scenario_file, file)
})

test_that("bloc power equals the CLI's CSV", {
  expect_same_as_cli(bloc_power("ge2024", group = "muslim"),
                     c("power", "ge2024", "--group", "muslim"))
  expect_same_as_cli(bloc_power("ge2024", group = "muslim", decisive = TRUE, sims = 200,
                                seed = 7, support = list(LAB = 60, IND = 25)),
                     c("power", "ge2024", "--group", "muslim", "--decisive", "--sims", "200",
                       "--seed", "7", "--support", "LAB=60,IND=25"))
  expect_same_as_cli(bloc_power("ge2024", group = "hindu", cohesion = 0.9, turnout = 0.55,
                                adult_ratio = 0.8, third = "CON"),
                     c("power", "ge2024", "--group", "hindu", "--cohesion", "0.9", "--turnout",
                       "0.55", "--adult-ratio", "0.8", "--third", "CON"))
  expect_same_as_cli(bloc_power("ge2024", summary = TRUE),
                     c("power", "ge2024", "--summary"))
})

test_that("targets, indices, backtest, seat and elections equal the CLI's CSV", {
  expect_same_as_cli(bloc_targets("ge2024", "CON", limit = 25),
                     c("targets", "ge2024", "CON", "--limit", "25"))
  expect_same_as_cli(bloc_targets("ge2019", "Labour"), c("targets", "ge2019", "Labour"))
  expect_same_as_cli(bloc_indices("ge2024"), c("indices", "ge2024"))
  expect_same_as_cli(bloc_indices("ge2019", wasted = TRUE), c("indices", "ge2019", "--wasted"))
  expect_same_as_cli(bloc_backtest("ge2017", "ge2019", model = "strong", by = "region"),
                     c("backtest", "ge2017", "ge2019", "--model", "strong", "--by", "region"))
  expect_same_as_cli(bloc_seat("ge2019", "batley and spen"),
                     c("seat", "ge2019", "batley and spen"))
  expect_same_as_cli(bloc_elections(), "elections")
})

test_that("ecological inference equals the CLI's CSV", {
  expect_same_as_cli(bloc_ei("ge2024", groups = "muslim"),
                     c("ei", "ge2024", "--groups", "muslim"))
  # the CLI writes synthetic units to -o FILE.csv and their true cells to FILE.truth.csv
  x <- bloc_ei_synth(units = 50, seed = 3)
  file <- tempfile(fileext = ".csv")
  truth <- sub("[.]csv$", ".truth.csv", file)
  on.exit(unlink(c(file, truth)))
  r <- run_cli(c("ei-synth", "--units", "50", "--seed", "3", "-o", file))
  expect_identical(r$status, 0L)
  expect_same_as_cli(x, ref = utils::read.csv(file, colClasses = "character",
                                              check.names = FALSE))
  expect_identical(attr(x, "aux_suffix"), ".truth.csv")
  expect_identical(unclass(attr(x, "aux")),
                   paste0(paste(readLines(truth, encoding = "UTF-8"), collapse = "\n"), "\n"))
})

test_that("the generic bloc_query asks any question by name", {
  expect_identical(bloc_query("targets", contest = "ge2024", party = "LAB", limit = 5),
                   bloc_targets("ge2024", "LAB", limit = 5))
  expect_identical(bloc_query("project", base = "ge2024", shares = list(LAB = 34),
                              adult_ratio = 0.8, group = list(muslim = list(LAB = -10)),
                              baseline = "survey:LAB=86,CON=9,LD=3,GRN=2"),
                   bloc_project("ge2024", shares = list(LAB = 34), adult_ratio = 0.8,
                                group = list(muslim = list(LAB = -10)),
                                baseline = "survey:LAB=86,CON=9,LD=3,GRN=2"))
  expect_setequal(bloc_questions(), c("elections", "results", "seat", "swing", "targets",
                                      "indices", "export", "project", "backtest", "power",
                                      "ei", "ei-synth", "forecast", "simulate", "map", "chart",
                                      "report"))
})

test_that("a simulated by-election and every seat simulated equal the CLI's CSV", {
  base <- "by-elections-previous-ge:election_date=2010-05-06"
  expect_same_as_cli(bloc_simulate("Bradford West", base, stand = "RES",
                                   strategy = list(RES = "doorstep"), electors = 3000,
                                   replicates = 3, params = list("word-of-mouth" = 0.2)),
                     c("simulate", "Bradford West", base, "--stand", "RES", "--strategy",
                       "RES=doorstep", "--electors", "3000", "--replicates", "3",
                       "--word-of-mouth", "0.2"))
  x <- bloc_simulate(base = "ge2019", all = TRUE, scale = 0.002, replicates = 1)
  expect_equal(nrow(x), 650)
  expect_same_as_cli(x, c("simulate", "--all", "ge2019", "--scale", "0.002", "--replicates", "1"))
})
