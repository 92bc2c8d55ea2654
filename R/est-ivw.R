#' Inverse-variance weighted estimators
#'
#' Weighted regression of SNP-outcome on SNP-exposure effects through the origin, with
#' weights `1 / se_out^2` (Burgess, Butterworth and Thompson 2013, Genetic Epidemiology 37:658-665, \doi{10.1002/gepi.21758}). `mr_ivw()` uses multiplicative random effects
#' with the standard error never below the fixed-effect one ('TwoSampleMR''s default);
#' `mr_ivw_mre()` drops that floor; `mr_ivw_fe()` is the fixed-effect estimate. Cochran's Q
#' on `nsnp - 1` degrees of freedom is returned with each.
#'
#' @param b_exp,b_out Vectors of SNP-exposure and SNP-outcome effects, aligned to the same
#'   effect allele.
#' @param se_exp,se_out Their standard errors (positive).
#' @param parameters A list from [default_parameters()]; `ivw_model` and `distribution`
#'   select the 'MendelianRandomization' conventions.
#' @return A list with `b`, `se`, `pval`, `nsnp`, `Q`, `Q_df`, `Q_pval`. With fewer than
#'   two variants (after dropping incomplete ones) the estimates are `NA` and `note` says why.
#'   Like every estimator with this signature it also has `lo_ci`, `up_ci` (the interval of
#'   [mr()], at level `1 - alpha` from the distribution of the p-value), `pval_log10` and
#'   `df` (degrees of freedom of that distribution: `Inf` for the normal, `NA` where the
#'   p-value is not a test of `b / se`; see [mr()], "Confidence intervals and p-values").
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, seed = 1)
#' mr_ivw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)$b
mr_ivw <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_ivw", b_exp, b_out, se_exp, se_out, parameters)
}

#' @rdname mr_ivw
#' @export
mr_ivw_mre <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_ivw_mre", b_exp, b_out, se_exp, se_out, parameters)
}

#' @rdname mr_ivw
#' @export
mr_ivw_fe <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_ivw_fe", b_exp, b_out, se_exp, se_out, parameters)
}
