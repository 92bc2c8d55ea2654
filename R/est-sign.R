#' Sign concordance test
#'
#' Tests how often SNP-exposure and SNP-outcome effects have the same sign ('TwoSampleMR''s
#' `mr_sign()`; Hemani et al. 2018, eLife 7:e34408, \doi{10.7554/eLife.34408}). Variants with an effect of exactly zero, or a missing
#' effect, are left out; at least six must remain. With `x` concordant variants out of `n`,
#' the estimate is the concordance `2 * (x / n - 0.5)` (+1: all concordant, -1: all
#' discordant, 0: as many of each); it is not an effect size. The p-value is the exact
#' two-sided binomial test against 1/2, as `binom.test()`.
#'
#' @inheritParams mr_ivw
#' @param se_exp,se_out Not used (accepted for the common signature); may be `NULL`.
#' @param parameters Not used; accepted for the common signature.
#' @return A list with `b` (concordance), `se = NA`, `pval`, `nsnp` (= `n`) and
#'   `n_concordant` (= `x`). With fewer than six usable variants the estimates are `NA` and
#'   `note` says why.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, seed = 1)
#' mr_sign(d$beta.exposure, d$beta.outcome)
mr_sign <- function(b_exp, b_out, se_exp = NULL, se_out = NULL, parameters = default_parameters()) {
  # The test uses signs only: the standard errors are replaced by placeholders so that a
  # missing or absent SE never drops a variant.
  n <- length(b_exp)
  mr_method_fit("mr_sign", b_exp, b_out, rep(1, n), rep(1, length(b_out)), parameters)
}
