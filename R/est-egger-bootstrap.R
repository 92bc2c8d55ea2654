#' MR-Egger regression with a parametric bootstrap
#'
#' 'TwoSampleMR''s bootstrap version of MR-Egger (Bowden, Davey Smith and Burgess 2015, International Journal of Epidemiology 44:512-525, \doi{10.1093/ije/dyv080}; Hemani et al. 2018, eLife 7:e34408, \doi{10.7554/eLife.34408}). Each of
#' `parameters$nboot` replicates draws SNP-exposure and SNP-outcome effects from normal
#' distributions with the observed means and standard errors, orients the variants so
#' that the drawn exposure effect is non-negative, and fits MR-Egger: weighted least squares
#' of the outcome on the exposure effects with an intercept and weights `1 / se_out^2`.
#'
#' `b` and `b_i` are the means of the bootstrap slopes and intercepts and `se`, `se_i` their
#' standard deviations. `pval` and `pval_i` are two-sided bootstrap p-values,
#' `min(1, 2 (k + 1) / (n + 1))` with `k` the number of the `n` replicates on the far side of
#' zero (Davison and Hinkley 1997, eq. 4.11), so never 0. The redrawn exposure effects add
#' measurement error to that of the data, so the mean slope is diluted towards zero (0.46
#' against MR-Egger's 0.50 on BMI -> CHD) and, with weak instruments, the test is conservative.
#' All are Monte Carlo quantities;
#' `set.seed()` or `parameters$seed` makes them reproducible. The bootstrap redraws the
#' effects with their standard errors only: it does not widen for heterogeneity beyond them.
#'
#' 'TwoSampleMR' differs twice: its regression is not weighted least squares (slope
#' `cov(w x, w y) / var(w x)` and intercept `mean(y) - mean(x) * slope`, `w = 1 / se_out^2`),
#' and its p-values are one-sided (the fraction of replicates with the sign opposite to the
#' mean, not doubled), which doubles the type-I error. `default_parameters(tsmr_quirks =
#' TRUE)` reproduces both; see [mrkit_differences].
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
