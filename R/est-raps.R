#' MR-RAPS: robust adjusted profile score
#'
#' The robust adjusted profile score estimator (Zhao et al. 2020, Annals of Statistics
#' 48:1742-1769, \doi{10.1214/19-AOS1866}), computed as 'TwoSampleMR''s `mr_raps()`
#' computes it through 'mr.raps' 0.4.2: the settings come from
#' `parameters$over.dispersion` (default `TRUE`), `parameters$loss.function` (`"l2"`,
#' `"huber"` (default) or `"tukey"`) and `parameters$shrinkage` (default `FALSE`).
#'
#' As in 'mr.raps', profile fits give the starting values and the reference: with
#' squared-error and Huber loss (and the chosen loss), beta is sought in
#' `+-2 q95(|b_out / b_exp|)` without over-dispersion and `+-10 q95(|b_out / b_exp|)` with it
#' (the interval doubled, at most 20 times, while the maximum lies in its outer 5%), and
#' with over-dispersion tau2 (in `[0, 100 q95(se_out^2)]`, variants with `se_exp` above 10
#' times its median left out) and beta are fitted alternately, tau2 first. The estimating
#' equations are then solved by Newton's method from the squared-error and Huber fits and
#' from eight random perturbations of the former; of the roots inside the search interval
#' (and with tau2 at most `10 median(se_out)`), the one closest to the reference fit is
#' reported, with its sandwich standard error and a normal p-value. The perturbations (and,
#' with shrinkage, the random starts of the two-component normal mixture prior) come from a
#' stream seeded from R's RNG or `parameters$seed`, so `set.seed()` reproduces the result.
#'
#' When no root with finite over-dispersion exists, or the estimated over-dispersion is
#' negative, the model is refitted without over-dispersion and `note` says so. When a
#' profile fit finds no maximum inside its search interval, or the estimating equation has
#' no root there, the fit has not converged: `b`, `se` and `pval` are `NA`, `note` says
#' why, and a warning of class `mrkit_warning_raps_nonconvergence` is given.
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
  v <- check_summary_vectors(b_exp, b_out, se_exp, se_out)
  res <- with_audit(mr_method_fit("mr_raps", v$bx, v$by, v$sx, v$sy, parameters), v$audit)
  res$nboot <- NULL
  if (startsWith(res$note, "MR-RAPS did not converge")) {
    na <- intersect(c("b", "se", "pval", "pval_log10", "lo_ci", "up_ci"), names(res))
    res[na] <- NA_real_
    warn_mrkit("raps_nonconvergence", c("{res$note}.", i = "{.field b}, {.field se} and {.field pval} are {.val {NA}}."))
  }
  strength <- sum((v$bx / v$sx)^2)
  n <- length(v$bx)
  if (n >= 3 && strength < n - sqrt(n)) {
    warn_mrkit("weak_instruments", c("The instruments look weak for MR-RAPS.",
                                     i = "sum((b_exp / se_exp)^2) = {signif(strength, 3)} is below nsnp - sqrt(nsnp)."))
  }
  res
}
