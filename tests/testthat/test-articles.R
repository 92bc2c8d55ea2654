# The study articles of the package's site (vignettes/articles/, not installed with the
# package) run end to end: each checks its own claims (its stopifnot() chunks) as it
# renders. Like test-bad-input.R, this file tests no single R file. Each article renders in
# a fresh R process, as the site builds it, with the installed mrkit.

articles_dir <- function() {
  d <- testthat::test_path("..", "..", "vignettes", "articles")
  if (dir.exists(d)) normalizePath(d) else NA_character_
}

test_that("the study articles render and their checks hold", {
  skip_on_cran()
  dir <- articles_dir()
  skip_if(is.na(dir), "the articles are in the source tree only")
  skip_if_not_installed("rmarkdown")
  skip_if_not_installed("knitr")
  skip_if(!rmarkdown::pandoc_available(), "pandoc is not available")
  rmds <- list.files(dir, "\\.Rmd$", full.names = TRUE)
  expect_length(rmds, 3L)
  out <- withr::local_tempdir()
  rscript <- file.path(R.home("bin"), "Rscript")
  for (f in rmds) {
    expr <- sprintf("rmarkdown::render('%s', output_dir = '%s', intermediates_dir = '%s', quiet = TRUE)",
                    f, out, out)
    log <- suppressWarnings(system2(rscript, c("-e", shQuote(expr)), stdout = TRUE, stderr = TRUE))
    status <- attr(log, "status") %||% 0L
    expect_identical(status, 0L, label = paste(basename(f), "exit status"))
    if (status != 0L) cat(utils::tail(log, 20), sep = "\n")
    expect_true(file.exists(file.path(out, sub("\\.Rmd$", ".html", basename(f)))), label = basename(f))
  }
})
