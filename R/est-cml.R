#' Constrained maximum likelihood with model averaging (cML-MA)
#'
#' 'MendelianRandomization''s `mr_cML()` (Xue, Shen and Pan 2021, American Journal of Human Genetics 108:1251-1269, \doi{10.1016/j.ajhg.2021.05.014}). For each number `K` of invalid
#' variants in `K_vec`, the negative log-likelihood of the SNP-exposure and SNP-outcome
#' effects is minimised with exactly `K` non-zero pleiotropic effects (block-coordinate
#' descent from `theta = 0`, plus `random_start` random starts); `BIC = log(n) K + 2 l`.
#' `MA = TRUE` averages the fits with weights proportional to `exp(-BIC / 2)`; otherwise
#' the fit with the smallest BIC is reported. With `DP = TRUE` (data perturbation) the whole
#' procedure is repeated on `num_pert` data sets perturbed by normal noise with the
#' observed standard errors; estimates and likelihoods are averaged over the perturbations
#' and the SE is their standard deviation; `GOF1_p` and `GOF2_p` test whether the
#' original-data SE agrees with the perturbation SD at the BIC-selected `K`.
#'
#' Not in [mr()]'s method list, because it needs the GWAS sample size `n`. Random starts and
#' perturbations use mrkit's own random streams, seeded from R's RNG (`set.seed()`
#' reproduces) or from `parameters$seed`; perturbations run on `threads` threads with
#' identical results for any number of threads. Without random starts and perturbations
#' (`DP = FALSE`), the result equals 'MendelianRandomization''s; with `DP = TRUE` it agrees
#' within Monte Carlo error (the random numbers differ). As in 'MendelianRandomization', the
#' BIC of the perturbed fits counts `K` as `0, 1, ...` in the order of `K_vec`.
#'
#' @inheritParams mr_ivw
#' @param MA Model averaging (`TRUE`) or BIC selection.
#' @param DP Data perturbation.
#' @param K_vec Numbers of invalid variants to consider (whole numbers from 0 to
#'   `nsnp - 2`); default `0:(nsnp - 2)`.
#' @param random_start,random_start_pert Number of random starting points for the original
#'   and the perturbed data.
#' @param num_pert Number of perturbed data sets.
#' @param maxit Maximum iterations of the block-coordinate algorithm.
#' @param n Sample size (the smaller GWAS sample size). Required.
#' @param Alpha Significance level of the confidence interval.
#' @param threads Threads over perturbations.
#' @return A list with `b`, `se`, `pval`, `lo_ci`, `up_ci`, `nsnp`, `GOF1_p`, `GOF2_p`
#'   (`NA` without DP), `BIC_invalid` (positions of the invalid variants of the BIC-selected
#'   fit when `MA = FALSE, DP = FALSE`), `fits` (per `K`: estimate, SE, negative
#'   log-likelihood and BIC on the original data), `seed` and `note`.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 20, b = 0.3, pleiotropy = "outliers", seed = 1)
#' mr_cml(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome,
#'        n = 50000, DP = FALSE)$b
mr_cml <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters(), MA = TRUE,
                   DP = TRUE, K_vec = NULL, random_start = 0, num_pert = 200,
                   random_start_pert = 0, maxit = 100, n, Alpha = 0.05,
                   threads = getOption("mrkit.threads", 1L)) {
  v <- check_summary_vectors(b_exp, b_out, se_exp, se_out)
  parameters <- check_parameters(parameters)
  threads <- check_threads(threads)
  if (missing(n) || is.null(n)) {
    abort_mrkit("missing_argument", c("{.arg n} (the GWAS sample size) is required by {.fn mr_cml}.",
                                      i = "Use the smaller of the exposure and outcome sample sizes."))
  }
  whole <- function(x, nm, lower, upper = Inf, len = 1L) {
    if (!is.numeric(x) || (!is.na(len) && length(x) != len) || length(x) < 1L || anyNA(x) ||
        any(x != round(x)) || any(x < lower) || any(x > upper)) {
      abort_mrkit("parameter", "{.arg {nm}} must be {if (is.na(len)) 'whole numbers' else 'a whole number'} in [{lower}, {upper}].",
                  call = rlang::caller_env(2))
    }
  }
  if (!is.numeric(n) || length(n) != 1L || !is.finite(n) || n <= 1) {
    abort_mrkit("parameter", "{.arg n} must be one number greater than 1.")
  }
  for (nm in c("MA", "DP")) {
    x <- get(nm)
    if (!is.logical(x) || length(x) != 1L || is.na(x)) abort_mrkit("parameter", "{.arg {nm}} must be TRUE or FALSE.")
  }
  whole(random_start, "random_start", 0)
  whole(random_start_pert, "random_start_pert", 0)
  whole(num_pert, "num_pert", 2)
  whole(maxit, "maxit", 1)
  if (!is.numeric(Alpha) || length(Alpha) != 1L || !(Alpha > 0 && Alpha < 1)) {
    abort_mrkit("parameter", "{.arg Alpha} must be a number in (0, 1).")
  }
  J <- length(v$bx)
  na_result <- function(note) {
    list(b = NA_real_, se = NA_real_, pval = NA_real_, lo_ci = NA_real_, up_ci = NA_real_,
         nsnp = J, GOF1_p = NA_real_, GOF2_p = NA_real_, BIC_invalid = integer(),
         fits = NULL, seed = NA_real_, note = note)
  }
  if (J < 3) return(na_result("cML needs at least 3 variants"))
  if (any(v$bx == 0)) {
    abort_mrkit("input_value", c("{.fn mr_cml} needs non-zero SNP-exposure effects (rule: b_exp != 0).",
                                 x = "Variant{?s} {which(v$keep)[v$bx == 0]} {?has/have} b_exp = 0."))
  }
  if (is.null(K_vec)) K_vec <- 0:(J - 2)
  whole(K_vec, "K_vec", 0, J - 2, len = NA)
  seed <- draw_seed(parameters)
  opts <- list(K_vec = as.integer(K_vec), random_start = as.integer(random_start),
               random_start_pert = as.integer(random_start_pert), num_pert = as.integer(num_pert),
               maxit = as.integer(maxit), n = as.double(n), MA = MA, DP = DP, Alpha = Alpha)
  res <- call_core(cpp_mr_cml(v$bx, v$by, v$sx, v$sy, opts, seed, threads), what = "mr_cml()")
  res$BIC_invalid <- which(v$keep)[res$BIC_invalid]
  note <- ""
  if (isTRUE(res$se_not_positive)) {
    note <- "some fits had a non-positive Fisher information (SE NaN); try a larger maxit or random starts"
    warn_mrkit("cml_information", note)
  }
  res$se_not_positive <- NULL
  c(res[c("b", "se", "pval", "lo_ci", "up_ci")], list(nsnp = J),
    res[c("GOF1_p", "GOF2_p", "BIC_invalid", "fits")],
    list(seed = if (DP || random_start > 0) seed else NA_real_, note = note))
}
