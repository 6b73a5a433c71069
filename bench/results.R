# The R peer of `bloc results ge2024 --format csv`, in base R (no packages): read the same two HoC
# files with read.csv (the constituency file for the winners, the candidate file for every
# candidate's votes, as bloc does) and total seats and votes by party, giving the same table.
#
#   Rscript bench/results.R [DATA_DIR]        (default: $BLOC_DATA, else ./data)
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else Sys.getenv("BLOC_DATA", "data")
seats_file <- file.path(dir, "results/ge2024/HoC-GE2024-results-by-constituency.csv")
cands_file <- file.path(dir, "results/ge2024/HoC-GE2024-results-by-candidate.csv")
d <- read.csv(seats_file, check.names = FALSE, stringsAsFactors = FALSE)
cand <- read.csv(cands_file, check.names = FALSE, stringsAsFactors = FALSE,
                 fileEncoding = "UTF-8-BOM")

# Party names in the candidate file, and the First party labels, as bloc's party codes.
# Anything else is OTH, as in bloc's registry.
by_name <- c("Conservative" = "CON", "Labour" = "LAB", "Labour and Co-operative" = "LAB",
             "Liberal Democrat" = "LD", "Reform UK" = "REF", "Green" = "GRN",
             "Scottish Green Party" = "GRN", "Green Party Northern Ireland" = "GRN",
             "Scottish National Party" = "SNP", "Plaid Cymru" = "PC",
             "Democratic Unionist Party" = "DUP", "Sinn Fein" = "SF",
             "Social Democratic and Labour Party" = "SDLP", "Ulster Unionist Party" = "UUP",
             "Alliance" = "ALL", "Traditional Unionist Voice" = "TUV", "Speaker" = "SPK",
             "UK Independence Party" = "UKIP", "Workers Party of Britain" = "WPB",
             "Independent" = "IND")
by_label <- c(Con = "CON", Lab = "LAB", LD = "LD", RUK = "REF", Green = "GRN", SNP = "SNP",
              PC = "PC", DUP = "DUP", SF = "SF", SDLP = "SDLP", UUP = "UUP", APNI = "ALL",
              TUV = "TUV", Spk = "SPK", Ind = "IND", WPB = "WPB")
to_code <- function(x, map) ifelse(x %in% names(map), map[x], "OTH")

votes <- tapply(cand[["Votes"]], to_code(cand[["Party name"]], by_name), sum)
seats <- table(to_code(d[["First party"]], by_label))
res <- data.frame(party = names(votes), votes = as.numeric(votes))
res$seats <- ifelse(res$party %in% names(seats), as.integer(seats[res$party]), 0L)
res$share <- sprintf("%.2f", 100 * res$votes / sum(d[["Valid votes"]]))
res <- res[order(-res$seats, -res$votes), c("party", "seats", "votes", "share")]
res$votes <- format(res$votes, scientific = FALSE, trim = TRUE)
write.csv(res, stdout(), row.names = FALSE, quote = FALSE)
