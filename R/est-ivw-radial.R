#' Radial inverse-variance weighted estimate
#'
#' The radial IVW estimate that 'TwoSampleMR''s `mr_ivw_radial()` takes from 'RadialMR'
#' (`ivw_radial(weights = 3)`, row "Effect (Mod.2nd)"; Bowden et al. 2018, International Journal of Epidemiology 47:1264-1278, \doi{10.1093/ije/dyy101}). Ratio estimates
#' `ratio = b_out / b_exp` are fitted on the radial scale, `ratio * sqrt(W) ~ 0 + sqrt(W)`, first
#' with first-order weights `W = b_exp^2 / se_out^2` and then once more with the modified
#' second-order weights `W = b_exp^2 / (se_out^2 + theta1^2 se_exp^2)`, where `theta1` is the
#' first fit's slope. The standard error is lm's (scaled by the residual standard error,
#' without a floor). 'RadialMR''s internal 1000-replicate bootstrap, whose results
#' 'TwoSampleMR' discards, is not run, so this function uses no random numbers.
#'
#' @inheritParams mr_ivw
#' @return A list with `b`, `se`, `pval` (normal; Student t on `nsnp - 1` df with
#'   `distribution = "t"`), `nsnp`, and Cochran's `Q = sum(W * (ratio - b)^2)` with the modified
#'   weights, `Q_df = nsnp - 1`, `Q_pval`. With fewer than two variants, or a zero
#'   SNP-exposure effect, the estimates are `NA` and `note` says why.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, seed = 1)
#' mr_ivw_radial(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)$b
mr_ivw_radial <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_ivw_radial", b_exp, b_out, se_exp, se_out, parameters)
}
