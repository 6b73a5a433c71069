test_that("the metadata is an attribute, key by key as the CLI prints it", {
  x <- bloc_results("ge2024")
  meta <- attr(x, "meta")
  expect_type(meta, "list")
  expect_identical(meta, cli_meta(c("results", "ge2024")))
  expect_identical(meta$contest, "ge2024")
  expect_length(meta$source, 2L) # the constituency and the candidate file
  p <- bloc_project("ge2024", shares = list(LAB = 34, CON = 24))
  expect_identical(attr(p, "meta"),
                   cli_meta(c("project", "ge2024", "--shares", "LAB=34,CON=24")))
  expect_true(all(c("model", "scenario") %in% names(attr(p, "meta"))))
  s <- bloc_swing("ge2019", "ge2024", pair = c("CON", "LAB"))
  expect_identical(attr(s, "meta")$from, "ge2019-notional-2023")
})

test_that("documents are the CLI's bytes with their media type", {
  m <- bloc_map("ge2024")
  expect_s3_class(m, "bloc_document")
  expect_identical(attr(m, "media_type"), "image/svg+xml")
  expect_identical(strsplit(unclass(m), "\n", fixed = TRUE)[[1]],
                   run_cli(c("map", "ge2024"))$stdout)
  ch <- bloc_chart("ge2024", type = "votes-seats", shares = list(LAB = 30))
  expect_identical(strsplit(unclass(ch), "\n", fixed = TRUE)[[1]],
                   run_cli(c("chart", "ge2024", "--type", "votes-seats", "--shares",
                             "LAB=30"))$stdout)
  r <- bloc_report("ge2024", group = "muslim")
  expect_match(attr(r, "media_type"), "^text/html")
  expect_identical(strsplit(unclass(r), "\n", fixed = TRUE)[[1]],
                   run_cli(c("report", "ge2024", "--group", "muslim"))$stdout)
  e <- bloc_export("by2012-bradford-west")
  expect_match(attr(e, "media_type"), "^text/csv")
  expect_identical(utils::read.csv(text = e, check.names = FALSE, colClasses = "character"),
                   cli_csv(c("export", "by2012-bradford-west")))
})

test_that("errors are bloc_error conditions with bloc's message and code", {
  e <- tryCatch(bloc_results("nope"), error = identity)
  expect_s3_class(e, c("bloc_error", "error", "condition"), exact = TRUE)
  expect_identical(e$status, "BLOC_ENOTFOUND")
  expect_identical(e$code, -7L)
  cli <- run_cli(c("results", "nope"))
  expect_identical(cli$status, 1L)
  expect_identical(cli$stderr[1], paste0("bloc: ", conditionMessage(e)))

  e <- tryCatch(bloc_project("ge2024", shares = list(LAB = 70, CON = 40)), error = identity)
  expect_s3_class(e, "bloc_error")
  cli <- run_cli(c("project", "ge2024", "--shares", "LAB=70,CON=40"))
  expect_identical(cli$stderr[1], paste0("bloc: ", conditionMessage(e)))

  e <- tryCatch(bloc_swing("ge2019", "ge2024", pair = "CON,CON"), error = identity)
  expect_identical(e$status, "BLOC_EUSAGE")
  expect_match(conditionMessage(e), "--pair")
  expect_identical(run_cli(c("swing", "ge2019", "ge2024", "--pair", "CON,CON"))$status, 2L)

  e <- tryCatch(bloc_power("ge2024", group = "muslim", cohesion = 2), error = identity)
  expect_s3_class(e, "bloc_error")
  expect_match(conditionMessage(e), "cohesion")
  expect_error(bloc_query("nosuch"), class = "bloc_error", regexp = "no question 'nosuch'")
  expect_error(bloc_query("results", contest = "ge2024", nosuch = 1), class = "bloc_error",
               regexp = "unknown setting 'nosuch'")
  e <- tryCatch(bloc_targets("ge2024", "CON", limit = NA), error = identity)
  expect_identical(e$status, "BLOC_EUSAGE")
  expect_match(conditionMessage(e), "--limit: NA is not a value", fixed = TRUE)
  expect_error(bloc_results("ge2024", by = list(1)), class = "bloc_error", regexp = "--by")
})

test_that("a store is opened once, reused, and closed", {
  expect_identical(bloc_store(), bloc_store())
  st <- bloc_open(bloc_data_dir())
  expect_s3_class(st, "bloc_store")
  expect_identical(attr(st, "dir"), bloc_data_dir())
  expect_identical(bloc_results("ge2019", store = st), bloc_results("ge2019"))
  bloc_close(st)
  expect_error(bloc_results("ge2019", store = st), class = "bloc_error", regexp = "closed")
  e <- tryCatch(bloc_open(file.path(tempdir(), "no-such-dir")), error = identity)
  expect_s3_class(e, "bloc_error")
  expect_match(conditionMessage(e), "no-such-dir")
})
