# Run the installed package's test suite and end with "N passed, N failed" (testthat's
# counts of expectations; errors inside tests count as failures).
#   Rscript tools/run-tests.R            all test files
#   Rscript tools/run-tests.R ld mr      only test-ld.R and test-mr.R
Sys.setenv(NOT_CRAN = "true")
suppressPackageStartupMessages(library(testthat))
only <- commandArgs(trailingOnly = TRUE)
filter <- if (length(only)) paste0("^(", paste(only, collapse = "|"), ")$") else NULL
res <- testthat::test_dir("tests/testthat", package = "mrkit", load_package = "installed",
                          filter = filter,
                          reporter = testthat::ProgressReporter$new(show_praise = FALSE),
                          stop_on_failure = FALSE, stop_on_warning = FALSE)
df <- as.data.frame(res)
failed <- sum(df$failed) + sum(df$error)
skipped <- sum(df$skipped)
passed <- sum(df$nb) - sum(df$failed) - sum(df$skipped) - sum(df$warning)
cat(sprintf("\n%d passed, %d failed, %d skipped\n", passed, failed, skipped))
quit(status = if (failed > 0) 1L else 0L)
