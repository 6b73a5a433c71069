# The bloc command line, to compare the package's answers with: $BLOC_CLI, else `bloc` on the
# PATH. Both read the same data directory ($BLOC_DATA, else the installed data).
bloc_cli <- function() {
  cli <- Sys.getenv("BLOC_CLI", unname(Sys.which("bloc")))
  if (!nzchar(cli) || !file.exists(cli))
    stop("the tests compare with the bloc command line: set BLOC_CLI to the built bloc binary",
         call. = FALSE)
  cli
}

# Run the CLI; list(status, stdout, stderr) as UTF-8 lines.
run_cli <- function(args) {
  err <- tempfile()
  on.exit(unlink(err))
  out <- suppressWarnings(system2(bloc_cli(), shQuote(args), stdout = TRUE, stderr = err))
  status <- attr(out, "status")
  Encoding(out) <- "UTF-8"
  list(status = if (is.null(status)) 0L else status, stdout = out,
       stderr = readLines(err, encoding = "UTF-8", warn = FALSE))
}

# The CLI's CSV answer, every field as the text printed.
cli_csv <- function(args) {
  r <- run_cli(c("--format", "csv", args))
  if (r$status != 0L)
    stop(sprintf("bloc %s: exit %d: %s", paste(args, collapse = " "), r$status,
                 paste(r$stderr, collapse = "\n")), call. = FALSE)
  utils::read.csv(text = r$stdout, colClasses = "character", check.names = FALSE,
                  na.strings = character(), encoding = "UTF-8")
}

# The CLI's metadata: the "# key: value" lines below its table, gathered by key in order.
cli_meta <- function(args) {
  r <- run_cli(c("--format", "table", args))
  lines <- grep("^# [^:]+: ", r$stdout, value = TRUE)
  keys <- sub("^# ([^:]+): .*$", "\\1", lines)
  vals <- sub("^# [^:]+: ", "", lines)
  split(vals, factor(keys, levels = unique(keys)))
}

# A column of the package's answer as the CSV prints it: reals at the column's decimals
# (without the sign of a negative zero, as the CLI), whole numbers in full, missing as "".
as_csv_text <- function(v, decimals) {
  if (is.double(v) && !is.na(decimals)) {
    s <- sprintf("%.*f", decimals, v)
    s <- sub("^-(0\\.?0*)$", "\\1", s)
  } else if (is.double(v)) {
    s <- sprintf("%.0f", v)
  } else {
    s <- as.character(v)
  }
  s[is.na(v)] <- ""
  s
}

# The package's data.frame has the CLI CSV's columns (names, order), rows and printed values
# (`ref`: the CSV read as text, when it does not come from standard output).
expect_same_as_cli <- function(x, args, ref = cli_csv(args)) {
  expect_s3_class(x, "data.frame")
  expect_identical(names(x), names(ref))
  expect_identical(nrow(x), nrow(ref))
  dec <- attr(x, "decimals")
  expect_identical(names(dec), names(x))
  for (col in names(x)) {
    v <- x[[col]]
    d <- dec[[col]]
    if (!is.na(d))
      expect_type(v, "double")
    else
      expect_true(is.character(v) || is.integer(v) ||
                    (is.double(v) && all(is.na(v) | v == round(v))), label = col)
    expect_identical(as_csv_text(v, d), ref[[col]], label = sprintf("column '%s'", col))
  }
  invisible(ref)
}
