#' MR-GRIP: MR-Egger with the genotype-recoding invariance property
#'
#' 'TwoSampleMR''s `mr_grip()` (Hemani et al. 2018, eLife 7:e34408, \doi{10.7554/eLife.34408}): weighted regression of
#' `b_out * b_exp` on `b_exp^2` with an intercept and weights `1 / (b_exp^2 se_out^2)`.
#' Every term is a product of two associations with the same allele, so the fit does not
#' depend on which allele is coded as the effect allele (unlike MR-Egger, which needs
#' orientation). The standard errors are lm's, without a floor, and p-values use the
#' Student t distribution on `nsnp - 2` df.
#'
#' The weak-instrument adjusted slope `b.adj` corrects the regression for measurement error
#' in `b_exp` (weights `1 / se_out^2`); its standard error `se.adj` uses the common residual
#' variance of the GRIP fit, as 'TwoSampleMR' does.
#'
#' @inheritParams mr_ivw
#' @return A list with `b`, `se`, `pval`, `nsnp`, intercept `b_i`, `se_i`, `pval_i`, and
#'   `b.adj`, `se.adj`, `pval.adj`. With fewer than three variants, a zero SNP-exposure
#'   effect or collinear `b_exp^2`, the estimates are `NA` and `note` says why.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, seed = 1)
#' r <- mr_grip(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
#' c(r$b, r$b.adj)
mr_grip <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_grip", b_exp, b_out, se_exp, se_out, parameters)
}
