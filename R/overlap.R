#' Bias and type-I error from sample overlap
#'
#' When the exposure and outcome GWAS share participants, weak-instrument bias is no longer
#' towards the null: Burgess, Davies and Thompson (2016, Genet Epidemiol 40:597-608,
#' \doi{10.1002/gepi.21998}) show that for a continuous outcome (or a binary one whose
#' exposure associations include the cases) the bias of the IVW / 2SLS estimate is about
#' linear in the proportion of overlap `overlap` between the samples,
#' `bias = overlap * ols_bias / fstat`, where `ols_bias` is the bias of the observational
#' (confounded) estimate, that is the observational association minus the causal effect
#' (under the null, the observational association itself), and `fstat` the expected
#' F-statistic of the instruments. With the estimate's standard error `se`, the type-I error
#' of a two-sided test at level `alpha` under the null is
#' `P(|N(bias, se^2)| > z se) = 2 - Phi(z + bias/se) - Phi(z - bias/se)`, `z = qnorm(1 - alpha/2)`.
#'
#' Without `se`, it is approximated as in the paper from the outcome GWAS size and the
#' instruments' R^2 for the exposure: `sqrt(var_outcome / (n_outcome rsq_exposure var_exposure))`
#' for a continuous outcome, and `sqrt(1 / (n_outcome rsq_exposure var_exposure case_prop (1 - case_prop)))`
#' for a binary outcome with proportion of cases `case_prop`. Without `fstat`, it is
#' `(n_exposure - nsnp - 1) / nsnp * rsq_exposure / (1 - rsq_exposure)`.
#'
#' All arguments are recycled, so a grid of scenarios is one call.
#' [add_overlap_bias()] reports the same beside the estimates of [mr()].
#'
#' @param overlap Proportion of overlap between the two samples, in \[0, 1\] (the number
#'   of shared participants over the size of the larger sample gives a conservative value).
#' @param ols_bias Bias of the observational estimate (observational association minus
#'   causal effect), on the scale of the MR estimate.
#' @param fstat Expected F-statistic of the instruments (e.g. the mean of
#'   `(b_exp / se_exp)^2`, as [mr_fstat()] reports).
#' @param se Standard error of the MR estimate.
#' @param n_exposure,n_outcome,nsnp,rsq_exposure Sample sizes, number of variants and R^2
#'   of the instruments for the exposure, used when `fstat` or `se` is not given.
#' @param case_prop Proportion of cases for a binary outcome (`NULL`: continuous).
#' @param var_exposure,var_outcome Variances of exposure and outcome (1 for SD units).
#' @param alpha Significance level of the test.
#' @return A data frame with `overlap`, `ols_bias`, `fstat`, `se`, `bias` (expected bias),
#'   `relative_bias` (`bias / ols_bias = overlap / fstat`) and `type1_error`.
#' @references Burgess S, Davies NM, Thompson SG (2016). Bias due to participant overlap in
#'   two-sample Mendelian randomization. Genet Epidemiol 40:597-608.
#' @export
#' @examples
#' # The paper's example: F = 10, full, half and 30% overlap
#' mr_overlap_bias(overlap = c(1, 0.5, 0.3), ols_bias = 0.2, fstat = 10, se = 0.05)
#' # From study sizes and R^2, binary outcome with 3.5% cases
#' mr_overlap_bias(overlap = 0.3, ols_bias = 0.2, n_exposure = 361194, nsnp = 196,
#'                 rsq_exposure = 0.068, n_outcome = 1125328, case_prop = 0.035)
mr_overlap_bias <- function(overlap, ols_bias, fstat = NULL, se = NULL, n_exposure = NULL,
                            n_outcome = NULL, nsnp = NULL, rsq_exposure = NULL, case_prop = NULL,
                            var_exposure = 1, var_outcome = 1, alpha = 0.05) {
  call <- rlang::current_env()
  overlap_number(overlap, "overlap", 0, 1, call)
  overlap_number(ols_bias, "ols_bias", -Inf, Inf, call)
  overlap_number(alpha, "alpha", 0, 1, call, open = TRUE)
  if (is.null(fstat)) {
    need <- c(n_exposure = is.null(n_exposure), nsnp = is.null(nsnp), rsq_exposure = is.null(rsq_exposure))
    if (any(need)) {
      abort_mrkit("missing_argument", c("Give {.arg fstat}, or {.arg n_exposure}, {.arg nsnp} and {.arg rsq_exposure}.",
                                        x = "{.arg {names(need)[need]}} {?is/are} missing."), call = call)
    }
    overlap_number(rsq_exposure, "rsq_exposure", 0, 1, call, open = TRUE)
    fstat <- (n_exposure - nsnp - 1) / nsnp * rsq_exposure / (1 - rsq_exposure)
  }
  overlap_number(fstat, "fstat", 0, Inf, call, open = TRUE)
  if (is.null(se)) {
    need <- c(n_outcome = is.null(n_outcome), rsq_exposure = is.null(rsq_exposure))
    if (any(need)) {
      abort_mrkit("missing_argument", c("Give {.arg se}, or {.arg n_outcome} and {.arg rsq_exposure}.",
                                        x = "{.arg {names(need)[need]}} {?is/are} missing."), call = call)
    }
    se <- if (is.null(case_prop)) {
      sqrt(var_outcome / (n_outcome * rsq_exposure * var_exposure))
    } else {
      overlap_number(case_prop, "case_prop", 0, 1, call, open = TRUE)
      sqrt(1 / (n_outcome * rsq_exposure * var_exposure * case_prop * (1 - case_prop)))
    }
  }
  overlap_number(se, "se", 0, Inf, call, open = TRUE)
  bias <- overlap * ols_bias / fstat
  data.frame(overlap = overlap, ols_bias = ols_bias, fstat = fstat, se = se, bias = bias,
             relative_bias = overlap / fstat, type1_error = overlap_type1(bias, se, alpha))
}

#' Report sample-overlap bias beside MR estimates
#'
#' Adds to a result table of [mr()] the expected bias and type-I error that a declared
#' overlap between the exposure and outcome samples implies ([mr_overlap_bias()]), using
#' each pair's mean F-statistic over the variants [mr()] uses and each row's standard
#' error: columns `overlap`, `overlap_bias` and `overlap_type1_error`.
#'
#' @param res A result table from [mr()].
#' @param dat The harmonised data `res` was computed from.
#' @param overlap Proportion of overlap between the samples: one number, or one per row of
#'   `res`.
#' @param ols_bias Bias of the observational estimate (one number or one per row).
#' @param alpha Significance level.
#' @return `res` with the three columns added; class and attributes are kept.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 30, fstat = 15, seed = 1)
#' res <- mr(dat, method_list = c("mr_ivw", "mr_egger_regression"))
#' add_overlap_bias(res, dat, overlap = 0.4, ols_bias = 0.3)
add_overlap_bias <- function(res, dat, overlap, ols_bias, alpha = 0.05) {
  call <- rlang::current_env()
  if (!is.data.frame(res)) {
    abort_mrkit("input_type", c("{.arg res} must be a data frame from {.fn mr}.",
                                x = "It is {.cls {class(res)}}."), call = call)
  }
  check_columns(res, c("id.exposure", "id.outcome", "se"), what = "res", call = call)
  for (nm in c("overlap", "ols_bias")) {
    if (!length(get(nm)) %in% c(1L, nrow(res))) {
      abort_mrkit("input_length", "{.arg {nm}} must be one number or one per row of {.arg res}.", call = call)
    }
  }
  tab <- fstat_table(prepare_pairs(dat, call = call))
  m <- match(paste(res$id.exposure, res$id.outcome, sep = "\r"),
             paste(tab$id.exposure, tab$id.outcome, sep = "\r"))
  fstat <- tab$mean_F[m]
  ok <- !is.na(fstat) & !is.na(res$se) & res$se > 0
  overlap <- rep_len(overlap, nrow(res)); ols_bias <- rep_len(ols_bias, nrow(res))
  res$overlap <- overlap
  res$overlap_bias <- NA_real_
  res$overlap_type1_error <- NA_real_
  if (any(ok)) {
    ob <- mr_overlap_bias(overlap[ok], ols_bias[ok], fstat = fstat[ok], se = res$se[ok], alpha = alpha)
    res$overlap_bias[ok] <- ob$bias
    res$overlap_type1_error[ok] <- ob$type1_error
  }
  res
}

overlap_type1 <- function(bias, se, alpha) {
  z <- stats::qnorm(1 - alpha / 2)
  stats::pnorm(-z - bias / se) + stats::pnorm(-z + bias / se)
}

overlap_number <- function(x, name, lo, hi, call, open = FALSE) {
  bad <- !is.numeric(x) || !length(x) || anyNA(x) ||
    (if (open) any(x <= lo | (is.finite(hi) & x >= hi)) else any(x < lo | x > hi))
  if (bad) {
    range <- if (is.finite(lo) && is.finite(hi)) sprintf(" in %s%s, %s%s", if (open) "(" else "[", lo, hi, if (open) ")" else "]")
             else if (is.finite(lo)) sprintf(" > %s", lo) else ""
    abort_mrkit("parameter", "{.arg {name}} must be numeric{range}, without missing values.", call = call)
  }
  invisible(x)
}
