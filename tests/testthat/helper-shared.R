# Access to ../shared (real data and reference outputs of other packages), which sits
# beside the repository in development and CI but not in a user's checkout. Tests that
# use it call skip_if_no_shared() first.

shared_dir <- function() {
  env <- Sys.getenv("MRKIT_SHARED", "")
  candidates <- c(env, file.path(testthat::test_path(), "..", "..", "..", "shared"),
                  file.path(getwd(), "..", "..", "..", "shared"))
  for (d in candidates[nzchar(candidates)]) {
    if (dir.exists(file.path(d, "reference"))) return(normalizePath(d))
  }
  NA_character_
}

skip_if_no_shared <- function() {
  if (is.na(shared_dir())) testthat::skip("../shared (reference data) is not available")
}

shared_file <- function(...) file.path(shared_dir(), ...)

read_shared <- function(...) utils::read.csv(shared_file(...), stringsAsFactors = FALSE)

# The BMI -> CHD harmonised data (79 SNPs) of TwoSampleMR's vignette.
bmi_chd <- function() read_shared("data", "bmi_chd", "harmonised.csv")

# TwoSampleMR's direct-call outputs on bmi_chd: value of `stat` returned by `fun`.
tsmr_detail <- function(fun, stat) {
  ref <- read_shared("reference", "bmi_chd", "method_details_long.csv")
  v <- ref$value[ref$function. == fun & ref$stat == stat]
  stopifnot(length(v) == 1L)
  v
}

# Relative difference, safe for exact zeros.
rel_diff <- function(x, y) abs(x - y) / pmax(abs(y), .Machine$double.xmin)
