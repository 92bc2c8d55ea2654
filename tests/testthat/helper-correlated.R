# Fixtures of the correlated estimators (tests/testthat/fixtures/correlated, made by
# data-raw/make-correlated-fixtures.R from MendelianRandomization 0.10.0).

correlated_fixture <- function(name) {
  dir <- testthat::test_path("fixtures", "correlated")
  d <- utils::read.csv(file.path(dir, paste0(name, ".csv")), stringsAsFactors = FALSE)
  ld <- as.matrix(utils::read.csv(file.path(dir, paste0(name, "_ld.csv")), row.names = 1, check.names = FALSE))
  list(snp = d$SNP, bx = d$bx, sx = d$sx, by = d$by, sy = d$sy, nx = d$nx[1], ny = d$ny[1], ld = ld)
}

correlated_reference <- function() {
  utils::read.csv(testthat::test_path("fixtures", "correlated", "reference.csv"), stringsAsFactors = FALSE)
}

correlated_datasets <- c("calcium", "ar_10", "ar_25_strong_ld", "weak", "three_snps", "heterogeneous", "panel_block")

# mrkit's field for each MendelianRandomization slot.
mr_slot_field <- c(Estimate = "b", StdError = "se", CILower = "lo_ci", CIUpper = "up_ci", Pvalue = "pval",
                   RSE = "rse", Fstat = "fstat", Q = "Q", Q_pval = "Q_pval", StdError.Est = "se",
                   CILower.Est = "lo_ci", CIUpper.Est = "up_ci", Pvalue.Est = "pval", Intercept = "b_i",
                   StdError.Int = "se_i", Pvalue.Int = "pval_i", PCs = "n_pc", Overdispersion = "kappa")

# Compare an mrkit result with the reference rows of one call: the largest relative
# difference over the stats mrkit reports.
ref_diff <- function(res, ref_rows) {
  rows <- ref_rows[ref_rows$stat %in% names(mr_slot_field), , drop = FALSE]
  got <- vapply(mr_slot_field[rows$stat], function(f) as.numeric(res[[f]]), 0)
  stats::setNames(abs(got - rows$value) / pmax(abs(rows$value), 1e-300), rows$stat)
}
