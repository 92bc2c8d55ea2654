#' Debiased inverse-variance weighted estimator (dIVW)
#'
#' The debiased IVW estimator of Ye, Shao and Kang as 'MendelianRandomization''s
#' `mr_divw()` computes it (Ye, Shao and Kang 2021, Annals of Statistics 49:2079-2100, \doi{10.1214/20-AOS2027}): the IVW denominator loses the measurement-error
#' term, `b = sum(b_exp b_out / se_out^2) / sum((b_exp^2 - se_exp^2) / se_out^2)`, with the
#' over-dispersion `tau2` (when `parameters$over.dispersion`, default `TRUE`) entering the
#' standard error; normal p-value. `condition = (mean((b_exp / se_exp)^2) - 1) sqrt(nsnp)`
#' should exceed about 20 for the estimator to be reliable.
#'
#' @inheritParams mr_ivw
#' @return A list with `b`, `se`, `pval`, `nsnp`, `tau2`, `condition` and `note`. Fewer than
#'   two variants, or a non-positive debiased denominator (very weak instruments), give
#'   `NA` estimates with a `note`.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 40, b = 0.3, seed = 1)
#' mr_divw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)$b
mr_divw <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_divw", b_exp, b_out, se_exp, se_out, parameters)
}
