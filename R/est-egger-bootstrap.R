#' MR-Egger regression with a parametric bootstrap
#'
#' 'TwoSampleMR''s bootstrap version of MR-Egger (Bowden, Davey Smith and Burgess 2015, International Journal of Epidemiology 44:512-525, \doi{10.1093/ije/dyv080}; Hemani et al. 2018, eLife 7:e34408, \doi{10.7554/eLife.34408}). Each of
#' `parameters$nboot` replicates draws SNP-exposure and SNP-outcome effects from normal
#' distributions with the observed means and standard errors, orients the variants so
#' that the drawn exposure effect is non-negative, and fits 'TwoSampleMR''s regression.
#' That regression is not weighted least squares: with `w = 1 / se_out^2` the slope is
#' `cov(w x, w y) / var(w x)` and the intercept `mean(y) - mean(x) * slope`. This quirk
#' is kept so that results agree with 'TwoSampleMR'.
#'
#' `b` and `b_i` are the means of the bootstrap slopes and intercepts, `se` and `se_i`
#' their standard deviations, and `pval`, `pval_i` the fraction of replicates with the
#' sign opposite to that mean (a one-sided proportion, not doubled). All are Monte Carlo
#' quantities; `set.seed()` or `parameters$seed` makes them reproducible.
#'
#' @inheritParams mr_ivw
#' @return A list with `b`, `se`, `pval`, `nsnp`, `b_i`, `se_i`, `pval_i`, `nboot`, `seed`
#'   and `note`. Needs at least three variants.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, seed = 1)
#' set.seed(1)
#' mr_egger_regression_bootstrap(d$beta.exposure, d$beta.outcome, d$se.exposure,
#'                               d$se.outcome, default_parameters(nboot = 200))$b
mr_egger_regression_bootstrap <- function(b_exp, b_out, se_exp, se_out,
                                          parameters = default_parameters()) {
  mr_method_fit("mr_egger_regression_bootstrap", b_exp, b_out, se_exp, se_out, parameters)
}
