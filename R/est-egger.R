#' MR-Egger regression
#'
#' Weighted regression of SNP-outcome on SNP-exposure effects with an intercept, after
#' orienting every variant so that its exposure effect is non-negative (Bowden, Davey Smith and Burgess 2015, International Journal of Epidemiology 44:512-525, \doi{10.1093/ije/dyv080}).
#' Standard errors are floored at their fixed-effect values; p-values use Student t on
#' `nsnp - 2` degrees of freedom ('TwoSampleMR'), or the normal distribution with
#' `default_parameters(distribution = "normal")` ('MendelianRandomization').
#'
#' @inheritParams mr_ivw
#' @return A list with `b`, `se`, `pval`, `nsnp`, the intercept `b_i`, `se_i`, `pval_i`,
#'   and Rucker's `Q`, `Q_df`, `Q_pval`. Needs at least three variants.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "directional", seed = 1)
#' mr_egger_regression(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)$b_i
mr_egger_regression <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_egger_regression", b_exp, b_out, se_exp, se_out, parameters)
}
