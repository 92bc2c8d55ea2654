#' Contamination mixture estimator
#'
#' 'MendelianRandomization''s `mr_conmix()` (Burgess et al. 2020, Nature Communications 11:376, \doi{10.1038/s41467-019-14156-4}): every
#' variant's ratio estimate is either valid (centred at the causal effect) or invalid
#' (centred at zero with spread `psi`); the profile likelihood is maximised over a grid
#' from `CIMin` to `CIMax` in steps of `CIStep`. The confidence interval collects the grid
#' points within the likelihood-ratio bound, inflated by the over-dispersion of the valid
#' variants, and can be a union of several intervals. There is no standard error.
#'
#' @inheritParams mr_ivw
#' @param psi Standard deviation of the ratio estimates of invalid variants; `0` (default)
#'   uses `1.5 * sd(b_out / b_exp)`.
#' @param CIMin,CIMax Ends of the grid; `NA` (default) uses the smallest and largest
#'   `(b_out -/+ 2 se_out) / b_exp`.
#' @param CIStep Grid step (default 0.01).
#' @param alpha Significance level; defaults to `parameters$alpha`.
#' @return A list with `b` (the estimate), `se = NA`, `pval`, `nsnp`, `ci_lower` and
#'   `ci_upper` (vectors, one element per interval), `psi`, `phi`, `CIMin`, `CIMax`,
#'   `CIStep`, `valid` (positions of the valid variants among the complete ones) and `note`.
#'   Fewer than two variants or a zero `b_exp` give `NA` with a `note`.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 40, b = 0.3, pleiotropy = "outliers", seed = 1)
#' r <- mr_conmix(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
#' c(r$b, r$ci_lower, r$ci_upper)
mr_conmix <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters(),
                      psi = 0, CIMin = NA, CIMax = NA, CIStep = 0.01, alpha = NULL) {
  call <- rlang::current_env()
  v <- check_summary_vectors(b_exp, b_out, se_exp, se_out, call = call)
  parameters <- check_parameters(parameters, call = call)
  alpha <- alpha %||% parameters$alpha
  scalar <- function(x, nm, na_ok = FALSE, positive = FALSE) {
    ok <- is.numeric(x) || (na_ok && length(x) == 1L && is.na(x))
    ok <- ok && length(x) == 1L && (na_ok && is.na(x) || is.finite(x) && (!positive || x > 0))
    if (!ok) abort_mrkit("parameter", "{.arg {nm}} must be a single {if (positive) 'positive '}number{if (na_ok) ' or NA'}.", call = call)
    as.double(x)
  }
  opts <- list(psi = scalar(psi, "psi"), CIMin = scalar(CIMin, "CIMin", TRUE),
               CIMax = scalar(CIMax, "CIMax", TRUE), CIStep = scalar(CIStep, "CIStep", positive = TRUE),
               alpha = scalar(alpha, "alpha", positive = TRUE))
  if (opts$alpha >= 1) abort_mrkit("parameter", "{.arg alpha} must be below 1.", call = call)
  if (!is.na(opts$CIMin) && !is.na(opts$CIMax) && opts$CIMax < opts$CIMin) {
    abort_mrkit("parameter", "{.arg CIMax} must not be below {.arg CIMin}.", call = call)
  }
  f <- call_core(cpp_conmix(v$bx, v$by, v$sx, v$sy, opts), what = "mr_conmix", call = call)
  list(b = f$estimate, se = NA_real_, pval = f$pval, nsnp = length(v$bx),
       ci_lower = f$ci_lower, ci_upper = f$ci_upper, psi = f$psi, phi = f$phi,
       CIMin = f$CIMin, CIMax = f$CIMax, CIStep = f$CIStep, valid = f$valid, note = f$note)
}
