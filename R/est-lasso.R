#' MR-Lasso
#'
#' 'MendelianRandomization''s `mr_lasso()` (Rees et al. 2019, PLoS ONE 14:e0222362, \doi{10.1371/journal.pone.0222362}): variants are oriented so that
#' `b_exp >= 0` (base `sign()`, a zero `b_exp` zeroes `b_out`), each variant gets its own
#' pleiotropic intercept, the causal effect is profiled out, and the intercepts are
#' estimated by the lasso. The lasso path is computed as 'glmnet' computes it
#' (`intercept = FALSE`, `standardize = TRUE`, 100 values of lambda, `lambda.min.ratio =
#' 1e-4` when there are at least as many rows as columns, convergence threshold 1e-7 and
#' early stopping of the path). Without `lambda`, the tuning parameter is the smallest on
#' the path after which the residual standard error of the valid variants exceeds 1 and
#' jumps by more than `qchisq(0.95, 1) / n_valid` (moved up until at least two variants are
#' valid). The estimate is the IVW estimate (SE divided by `min(1, sigma)`) on the variants
#' whose intercept is exactly zero. Where a lambda on the path leaves no valid variant,
#' its residual standard error counts as undefined (never a stopping point);
#' 'MendelianRandomization' 0.10.0 stops with an `lm()` error in that case.
#'
#' @inheritParams mr_ivw
#' @param parameters A list from [default_parameters()]; `distribution = "t"` gives
#'   Student t p-values on `Valid - 1` degrees of freedom (normal otherwise).
#' @param lambda `NULL` (choose lambda by the heterogeneity-stopping rule) or one
#'   non-negative number.
#' @return A list with `b`, `se`, `pval`, `nsnp`, `Valid` (number of valid variants),
#'   `ValidSNPs` (positions of the valid variants in the input), `RegIntercept` (the lasso
#'   intercepts, one per complete variant, in the oriented coding), `RegEstimate` (the
#'   estimate adjusted by the intercepts), `Lambda` and `note`. With fewer than three
#'   variants, or fewer than two valid ones, the estimate is `NA` and `note` says why.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 1)
#' fit <- mr_lasso(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
#' fit$b
#' fit$Valid
mr_lasso <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters(),
                     lambda = NULL) {
  v <- check_summary_vectors(b_exp, b_out, se_exp, se_out)
  parameters <- check_parameters(parameters)
  if (!is.null(lambda) && (!is.numeric(lambda) || length(lambda) != 1L || !is.finite(lambda) ||
                           lambda < 0)) {
    abort_mrkit("parameter", "{.arg lambda} must be NULL or one non-negative number.")
  }
  res <- call_core(cpp_mr_lasso(v$bx, v$by, v$sx, v$sy, parameters,
                                if (is.null(lambda)) -1 else as.double(lambda)),
                   what = "mr_lasso()")
  res$ValidSNPs <- which(v$keep)[res$ValidSNPs]
  res
}
