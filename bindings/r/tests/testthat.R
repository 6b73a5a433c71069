library(testthat)
library(bloc)

test_check("bloc")
