# Run the installed package's test suite and end with "N passed, N failed" (testthat's
# counts of expectations; errors inside tests count as failures).
Sys.setenv(NOT_CRAN = "true")
suppressPackageStartupMessages(library(testthat))
res <- testthat::test_dir("tests/testthat", package = "mrkit", load_package = "installed",
                          reporter = testthat::ProgressReporter$new(show_praise = FALSE),
                          stop_on_failure = FALSE, stop_on_warning = FALSE)
df <- as.data.frame(res)
failed <- sum(df$failed) + sum(df$error)
skipped <- sum(df$skipped)
passed <- sum(df$nb) - sum(df$failed) - sum(df$skipped) - sum(df$warning)
cat(sprintf("\n%d passed, %d failed, %d skipped\n", passed, failed, skipped))
quit(status = if (failed > 0) 1L else 0L)
