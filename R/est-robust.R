#' Penalised and robust IVW and MR-Egger
#'
#' 'MendelianRandomization''s `mr_ivw()` and `mr_egger()` with `penalized = TRUE` and/or
#' `robust = TRUE` (Burgess et al. 2016, robust instrumental variable methods, arXiv:1606.03729).
#'
#' * Penalised IVW (`mr_ivw_penalised()`): each variant's weight is multiplied by
#'   `min(1, 100 * p_j)`, with `p_j = P(chisq_1 > w_j (ratio_j - median ratio)^2)`, `w_j =
#'   b_exp^2 / se_out^2` and the unweighted median of the ratios. With `weights = "delta"`
#'   the weights and `w_j` are the inverse second-order variances (with correlation `psi`)
#'   and the factor is `min(1, 20 * p_j)`: the constants 100 and 20 are
#'   'MendelianRandomization''s.
#' * Penalised MR-Egger (`mr_egger_penalised()`): `p_j` from the squared standardised
#'   residuals of the ordinary MR-Egger fit, factor `min(1, 100 * p_j)`.
#' * Robust (`mr_ivw_robust()`, `mr_egger_robust()`): the weighted regression is an
#'   MM-estimate (as `robustbase::lmrob()`'s default with `k.max = 500, maxit.scale = 500`:
#'   S-estimate from 500 random subsamples, bisquare psi with 95% efficiency) with its robust
#'   standard error; `*_robust_penalised()` combine the two.
#'
#' Standard errors follow the random-effects rule (divided by `min(1, sigma)`, with `sigma`
#' the residual scale); `parameters$ivw_model` selects `"fixed"` (divided by `sigma`) or
#' `"default"` (fixed for 3 or fewer variants) for IVW. IVW p-values are normal (or t on
#' `nsnp - 1` df with `distribution = "t"`); MR-Egger p-values follow
#' `parameters$distribution` as in [mr_egger_regression()] (use `distribution = "normal"`
#' for 'MendelianRandomization''s default). MR-Egger orients variants with base `sign()`.
#' `Q` is `(nsnp - 1) sigma^2` for robust IVW, the standardised residual sum of squares for
#' robust MR-Egger, and `NA` for penalised fits.
#'
#' The S-step draws random subsamples from mrkit's random stream, seeded from R's RNG (so
#' `set.seed()` reproduces) or from `parameters$seed`. For the data sets we tested, it lands
#' on the same solution as `lmrob()`, whose own subsampling is not seeded by
#' 'MendelianRandomization'. Above 2,000 variants `lmrob()` switches to a large-sample
#' variant of fast-S (subsamples drawn within groups); mrkit always runs the ordinary
#' fast-S, which reaches the same S-solution up to the subsampling.
#'
#' @inheritParams mr_ivw
#' @param weights `"simple"` (first-order) or `"delta"` (second-order) weights, IVW only.
#' @param psi Correlation between SNP-exposure and SNP-outcome estimates for `"delta"`.
#' @return A list with `b`, `se`, `pval`, `nsnp`, `Q`, `Q_df`, `Q_pval`, `sigma` (residual
#'   scale), for MR-Egger also `b_i`, `se_i`, `pval_i`, for robust fits `seed`, and `note`.
#'   IVW needs 2 variants, MR-Egger 3; otherwise the estimates are `NA` with a `note`.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 1)
#' mr_ivw_penalised(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)$b
#' set.seed(1)
#' mr_ivw_robust(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)$b
mr_ivw_penalised <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters(),
                             weights = c("simple", "delta"), psi = 0) {
  robust_fit("ivw", FALSE, TRUE, b_exp, b_out, se_exp, se_out, parameters, weights, psi)
}

#' @rdname mr_ivw_penalised
#' @export
mr_ivw_robust <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters(),
                          weights = c("simple", "delta"), psi = 0) {
  robust_fit("ivw", TRUE, FALSE, b_exp, b_out, se_exp, se_out, parameters, weights, psi)
}

#' @rdname mr_ivw_penalised
#' @export
mr_ivw_robust_penalised <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters(),
                                    weights = c("simple", "delta"), psi = 0) {
  robust_fit("ivw", TRUE, TRUE, b_exp, b_out, se_exp, se_out, parameters, weights, psi)
}

#' @rdname mr_ivw_penalised
#' @export
mr_egger_penalised <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  robust_fit("egger", FALSE, TRUE, b_exp, b_out, se_exp, se_out, parameters)
}

#' @rdname mr_ivw_penalised
#' @export
mr_egger_robust <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  robust_fit("egger", TRUE, FALSE, b_exp, b_out, se_exp, se_out, parameters)
}

#' @rdname mr_ivw_penalised
#' @export
mr_egger_robust_penalised <- function(b_exp, b_out, se_exp, se_out,
                                      parameters = default_parameters()) {
  robust_fit("egger", TRUE, TRUE, b_exp, b_out, se_exp, se_out, parameters)
}

robust_fit <- function(model, robust, penalized, b_exp, b_out, se_exp, se_out, parameters,
                       weights = "simple", psi = 0, call = rlang::caller_env()) {
  v <- check_summary_vectors(b_exp, b_out, se_exp, se_out, call = call)
  parameters <- check_parameters(parameters, call = call)
  weights <- weights[1]
  if (!is.character(weights) || !weights %in% c("simple", "delta")) {
    abort_mrkit("parameter", "{.arg weights} must be {.val simple} or {.val delta}.", call = call)
  }
  if (!is.numeric(psi) || length(psi) != 1L || !is.finite(psi) || abs(psi) > 1) {
    abort_mrkit("parameter", "{.arg psi} must be one number in [-1, 1].", call = call)
  }
  seed <- if (robust) draw_seed(parameters) else 0
  opts <- list(robust = robust, penalized = penalized, weights = weights, psi = as.double(psi))
  what <- paste0("mr_", model, if (penalized && robust) "_robust_penalised" else
    if (robust) "_robust" else "_penalised", "()")
  res <- call_core(cpp_mr_robust_penalised(model, v$bx, v$by, v$sx, v$sy, parameters, seed, opts),
                   what = what, call = call)
  if (model == "ivw") res$b_i <- res$se_i <- res$pval_i <- NULL
  if (robust) res$seed <- seed
  res
}
