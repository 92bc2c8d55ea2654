#' Median-based MR estimators
#'
#' The simple, weighted and penalised weighted median of the ratio estimates
#' `b_out / b_exp` (Bowden et al. 2016, Genetic Epidemiology 40:304-314, \doi{10.1002/gepi.21965}), with standard errors from a parametric bootstrap:
#' each of `parameters$nboot` replicates draws new SNP-exposure and SNP-outcome effects
#' from normal distributions with the observed means and standard errors and recomputes
#' the weighted median of the new ratios with the original weights; the SE is the SD of
#' the replicates. p-values are normal (Student t on `nsnp - 1` degrees of freedom with
#' `default_parameters(distribution = "t")`).
#'
#' Weights: the simple median gives each variant `1 / nsnp`; the weighted median uses the
#' inverse second-order variance of the ratio (with `parameters$Cov`; 'TwoSampleMR') or,
#' with `median_weights = "first_order"`, `b_exp^2 / se_out^2` ('MendelianRandomization').
#' The penalised weighted median multiplies each weight by
#' `min(1, penk * P(chisq_1 > w (ratio - weighted median)^2))`.
#'
#' The bootstrap uses mrkit's own random streams, seeded from R's RNG (so `set.seed()`
#' reproduces results, for any number of threads) or from `parameters$seed`. Point
#' estimates equal 'TwoSampleMR''s; bootstrap SEs agree within Monte Carlo error.
#'
#' @inheritParams mr_ivw
#' @return A list with `b`, `se`, `pval`, `nsnp`, `nboot`, `seed` and `note` (why the
#'   estimate is `NA`, when it is). Needs at least three variants, none with a zero
#'   SNP-exposure effect.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, seed = 1)
#' set.seed(1)
#' mr_weighted_median(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)$b
mr_weighted_median <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_weighted_median", b_exp, b_out, se_exp, se_out, parameters)
}

#' @rdname mr_weighted_median
#' @export
mr_simple_median <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_simple_median", b_exp, b_out, se_exp, se_out, parameters)
}

#' @rdname mr_weighted_median
#' @export
mr_penalised_weighted_median <- function(b_exp, b_out, se_exp, se_out,
                                         parameters = default_parameters()) {
  mr_method_fit("mr_penalised_weighted_median", b_exp, b_out, se_exp, se_out, parameters)
}

#' Weighted median
#'
#' The weighted median of `b_iv` as 'TwoSampleMR' and 'MendelianRandomization' define it:
#' values sorted ascending (ties keep their order), cumulative standardised weights
#' `S_k = (sum_{i <= k} w_i - w_k / 2) / sum(w)`, and linear interpolation between the
#' largest `k` with `S_k < 0.5` and the next value.
#'
#' @param b_iv Numeric vector of ratio estimates (finite).
#' @param weights Non-negative weights, one per value.
#' @return A number; `NA` when the interpolation is undefined (fewer than two values, or
#'   all weight on the smallest value).
#' @export
#' @examples
#' weighted_median(c(0.1, 0.4, 0.2, 0.3), c(1, 1, 2, 1))
weighted_median <- function(b_iv, weights) {
  if (!is.numeric(b_iv) || anyNA(b_iv) || any(!is.finite(b_iv))) {
    abort_mrkit("input_value", "{.arg b_iv} must be a numeric vector of finite values.")
  }
  if (!is.numeric(weights) || length(weights) != length(b_iv) || anyNA(weights) ||
      any(!is.finite(weights)) || any(weights < 0)) {
    abort_mrkit("input_value", "{.arg weights} must be finite, non-negative and as long as {.arg b_iv}.")
  }
  call_core(cpp_weighted_median(as.double(b_iv), as.double(weights)), what = "weighted_median()")
}

#' All median-based estimators on harmonised data
#'
#' Runs the simple, weighted and penalised weighted median on the rows of `dat` with
#' `mr_keep` (when present) and returns 'TwoSampleMR''s `mr_median()` table.
#'
#' @param dat Harmonised data with columns `beta.exposure`, `beta.outcome`, `se.exposure`,
#'   `se.outcome` (and optionally `mr_keep`, `id.exposure`, `id.outcome`).
#' @param parameters A list from [default_parameters()].
#' @return A data frame with rows "Simple median", "Weighted median", "Penalised median"
#'   and columns `id.exposure, id.outcome, method, nsnp, b, se, ci_low, ci_upp, pval`
#'   (confidence intervals at level `1 - alpha` from the distribution of the p-value, as in
#'   [mr()]: normal, or t on `nsnp - 1` with `distribution = "t"`). With fewer than three variants the
#'   estimates are `NA` and a warning of class `mrkit_warning_too_few_snps` says why.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, seed = 1)
#' set.seed(1)
#' mr_median(d, default_parameters(nboot = 200))
mr_median <- function(dat, parameters = default_parameters()) {
  dat <- usable_rows(dat)
  parameters <- check_parameters(parameters)
  fits <- lapply(c("mr_simple_median", "mr_weighted_median", "mr_penalised_weighted_median"),
                 function(m) mr_method_fit(m, dat$beta.exposure, dat$beta.outcome,
                                           dat$se.exposure, dat$se.outcome, parameters))
  res <- data.frame(id.exposure = first_id(dat, "id.exposure"),
                    id.outcome = first_id(dat, "id.outcome"),
                    method = c("Simple median", "Weighted median", "Penalised median"),
                    nsnp = nrow(dat), b = vapply(fits, `[[`, 0, "b"),
                    se = vapply(fits, `[[`, 0, "se"), stringsAsFactors = FALSE)
  res$ci_low <- vapply(fits, `[[`, 0, "lo_ci")
  res$ci_upp <- vapply(fits, `[[`, 0, "up_ci")
  res$pval <- vapply(fits, `[[`, 0, "pval")
  if (nrow(dat) < 3L) warn_mrkit("too_few_snps", "Median estimators need at least 3 SNPs; {nrow(dat)} available.")
  res
}

# The rows of a harmonised table an estimator uses: mr_keep (when present) and complete
# effects and standard errors.
usable_rows <- function(dat, call = rlang::caller_env()) {
  check_columns(dat, c("beta.exposure", "beta.outcome", "se.exposure", "se.outcome"), call = call)
  if ("mr_keep" %in% names(dat)) dat <- dat[!is.na(dat$mr_keep) & as.logical(dat$mr_keep), , drop = FALSE]
  v <- check_summary_vectors(dat$beta.exposure, dat$beta.outcome, dat$se.exposure,
                             dat$se.outcome, call = call)
  dat[v$keep, , drop = FALSE]
}

first_id <- function(dat, col) if (col %in% names(dat) && nrow(dat) > 0L) dat[[col]][1] else ""
