#' MR-RAPS: robust adjusted profile score
#'
#' The robust adjusted profile score estimator of Zhao et al. (Zhao et al. 2020, Annals of Statistics 48:1742-1769, \doi{10.1214/19-AOS1866}), as
#' 'TwoSampleMR''s `mr_raps()` runs it through the 'mr.raps' package: the settings come from
#' `parameters$over.dispersion` (default `TRUE`), `parameters$loss.function` (`"l2"`,
#' `"huber"` (default) or `"tukey"`) and `parameters$shrinkage` (default `FALSE`). The
#' estimating equations are solved by Newton's method from the profile fits with squared
#' and Huber loss and from random perturbations of the former; the root closest to the
#' profile fit of the chosen loss is kept. The perturbations (and, with shrinkage, the random
#' starts of the two-component normal mixture prior) come from a stream seeded from R's RNG
#' or `parameters$seed`, so `set.seed()` reproduces the result. The standard error is the
#' sandwich estimate and the p-value is normal.
#'
#' When no root with finite over-dispersion exists, or the estimated over-dispersion is
#' negative, the model is refitted without over-dispersion and `note` says so.
#'
#' @inheritParams mr_ivw
#' @return A list with `b`, `se`, `pval`, `nsnp`, the over-dispersion `tau2` and its
#'   standard error `tau2_se`, `nboot`/`seed` (the random stream used) and `note`. Fewer
#'   than three variants give `NA` estimates with a `note`.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 40, b = 0.3, pleiotropy = "balanced", seed = 1)
#' mr_raps(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)$b
mr_raps <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  res <- mr_method_fit("mr_raps", b_exp, b_out, se_exp, se_out, parameters)
  res$nboot <- NULL
  ok <- !is.na(b_exp) & !is.na(b_out) & !is.na(se_exp) & !is.na(se_out)
  strength <- sum((b_exp[ok] / se_exp[ok])^2)
  n <- sum(ok)
  if (n >= 3 && strength < n - sqrt(n)) {
    warn_mrkit("weak_instruments", c("The instruments look weak for MR-RAPS.",
                                     i = "sum((b_exp / se_exp)^2) = {signif(strength, 3)} is below nsnp - sqrt(nsnp)."))
  }
  res
}
