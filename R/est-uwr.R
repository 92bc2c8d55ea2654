#' Unweighted regression
#'
#' Ordinary least squares of SNP-outcome on SNP-exposure effects through the origin,
#' ignoring all standard errors ('TwoSampleMR''s `mr_uwr()`; Hemani et al. 2018, eLife 7:e34408, \doi{10.7554/eLife.34408}).
#'
#' The estimate, `sum(b_exp * b_out) / sum(b_exp^2)`, is 'TwoSampleMR''s. Its standard error
#' is the variance of that least-squares slope with the outcome variances known,
#' `sum(b_exp^2 * se_out^2) / sum(b_exp^2)^2`, multiplied by `max(1, phi)`, where
#' `phi = sum((e / se_out)^2) / (nsnp - 1)` measures over-dispersion of the residuals `e`
#' (multiplicative random effects, the convention of [mr_ivw()]: never below the
#' fixed-effect SE). The SE of `lm()` is not used: it assumes equal residual variances, while
#' the variance of GWAS effects falls as `|b_exp|` rises, and it under-covers (about 89% for
#' a 95% interval in simulations).
#'
#' 'TwoSampleMR' reports `lm()`'s SE divided by `min(1, sigma)`, i.e.
#' `max(1, sigma) / sqrt(sum(b_exp^2))`; because the residual standard error `sigma` is on
#' the scale of the effects (far below 1), this is `1 / sqrt(sum(b_exp^2))`, not a standard
#' error (3.8 on the BMI-CHD example, where IVW's is 0.059 and this one 0.075).
#' `default_parameters(tsmr_quirks = TRUE)` reproduces it; see [mrkit_differences]. `Q` is, as in 'TwoSampleMR', the
#' unweighted residual sum of squares on `nsnp - 1` degrees of freedom.
#'
#' @inheritParams mr_ivw
#' @return A list with `b`, `se`, `pval` (normal; Student t on `nsnp - 1` df with
#'   `distribution = "t"`), `nsnp`, `Q`, `Q_df`, `Q_pval`. With fewer than two variants the
#'   estimates are `NA` and `note` says why.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, seed = 1)
#' mr_uwr(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)$b
mr_uwr <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_uwr", b_exp, b_out, se_exp, se_out, parameters)
}
