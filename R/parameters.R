#' Parameters of the MR estimators
#'
#' The tuning parameters passed to every estimator, with the names and default values of
#' 'TwoSampleMR' (`test_dist` to `shrinkage`), followed by the conventions that make
#' numbers differ between 'TwoSampleMR' and 'MendelianRandomization'. The defaults
#' reproduce 'TwoSampleMR'; `convention = "MendelianRandomization"` switches every
#' convention at once, and each can also be set on its own.
#'
#' @param test_dist Distribution of IVW p-values in the Rucker framework, `"z"` or `"t"`.
#' @param nboot Number of bootstrap replicates for medians, modes and the MR-Egger bootstrap.
#' @param Cov Covariance between SNP-exposure and SNP-outcome estimates, used by
#'   second-order ratio standard errors.
#' @param penk Penalisation constant of the penalised weighted median and penalised mode.
#' @param phi Bandwidth multiplier(s) of the mode-based estimators.
#' @param alpha Significance level for confidence intervals.
#' @param Qthresh Heterogeneity threshold of the Rucker model selection.
#' @param over.dispersion,loss.function,shrinkage MR-RAPS settings.
#' @param median_weights Weights of the weighted and penalised weighted median:
#'   `"second_order"` (inverse second-order variance of the ratio, 'TwoSampleMR') or
#'   `"first_order"` (`bx^2 / sy^2`, 'MendelianRandomization').
#' @param distribution p-value distribution: `"TwoSampleMR"` (normal for IVW and medians,
#'   Student t for MR-Egger and modes, as 'TwoSampleMR' does), `"normal"` everywhere, or
#'   `"t"` ('MendelianRandomization' `distribution = "t-dist"`).
#' @param ivw_model Standard error of IVW: `"random"` (multiplicative random effects,
#'   never below the fixed-effect SE, for every number of variants; 'TwoSampleMR'),
#'   `"default"` (fixed effects for 3 or fewer variants, else random; 'MendelianRandomization')
#'   or `"fixed"`.
#' @param mode_bandwidth_floor Floor the mode bandwidth at 1e-8 as 'TwoSampleMR' does.
#' @param seed `NULL` (draw each estimator's random stream from R's RNG, so `set.seed()`
#'   reproduces results) or a number that fixes it.
#' @param tsmr_quirks `FALSE` (default): where 'TwoSampleMR' reports a number that is
#'   wrong, mrkit reports the correct one. `TRUE` reproduces 'TwoSampleMR''s output,
#'   defects included: the standard error of [mr_uwr()], the regression and one-sided
#'   p-values of [mr_egger_regression_bootstrap()] and the interval of the "Rucker mean" of
#'   [mr_rucker_bootstrap()], and the 1.96 intervals of [generate_odds_ratios()] (see
#'   [mrkit_differences]).
#' @param convention `"TwoSampleMR"` or `"MendelianRandomization"`: sets the defaults of
#'   `median_weights`, `distribution` and `ivw_model`.
#' @return A named list.
#' @export
#' @examples
#' default_parameters()$nboot
#' default_parameters(convention = "MendelianRandomization")$median_weights
default_parameters <- function(test_dist = "z", nboot = 1000, Cov = 0, penk = 20, phi = 1,
                               alpha = 0.05, Qthresh = 0.05, over.dispersion = TRUE,
                               loss.function = "huber", shrinkage = FALSE,
                               median_weights = NULL, distribution = NULL, ivw_model = NULL,
                               mode_bandwidth_floor = TRUE, seed = NULL, tsmr_quirks = FALSE,
                               convention = c("TwoSampleMR", "MendelianRandomization")) {
  convention <- match.arg(convention)
  mr_pkg <- convention == "MendelianRandomization"
  median_weights <- median_weights %||% if (mr_pkg) "first_order" else "second_order"
  distribution <- distribution %||% if (mr_pkg) "normal" else "TwoSampleMR"
  ivw_model <- ivw_model %||% if (mr_pkg) "default" else "random"
  p <- list(test_dist = test_dist, nboot = nboot, Cov = Cov, penk = penk, phi = phi,
            alpha = alpha, Qthresh = Qthresh, over.dispersion = over.dispersion,
            loss.function = loss.function, shrinkage = shrinkage,
            median_weights = median_weights, distribution = distribution,
            ivw_model = ivw_model, mode_bandwidth_floor = mode_bandwidth_floor, seed = seed,
            tsmr_quirks = tsmr_quirks, convention = convention)
  check_parameters(p)
}

`%||%` <- function(x, y) if (is.null(x)) y else x

# Complete a (possibly partial, TwoSampleMR-style) parameter list with the defaults and
# validate every entry. Returns the full list.
check_parameters <- function(parameters, call = rlang::caller_env()) {
  if (!is.list(parameters)) {
    abort_mrkit("parameter", "{.arg parameters} must be a list, as from {.fn default_parameters}.", call = call)
  }
  defaults <- list(test_dist = "z", nboot = 1000, Cov = 0, penk = 20, phi = 1, alpha = 0.05,
                   Qthresh = 0.05, over.dispersion = TRUE, loss.function = "huber",
                   shrinkage = FALSE, median_weights = "second_order",
                   distribution = "TwoSampleMR", ivw_model = "random",
                   mode_bandwidth_floor = TRUE, seed = NULL, tsmr_quirks = FALSE,
                   convention = "TwoSampleMR")
  unknown <- setdiff(names(parameters), c(names(defaults), "density_grid"))
  if (is.null(names(parameters)) && length(parameters)) unknown <- "(unnamed entries)"
  if (length(unknown)) {
    abort_mrkit("parameter", c("Unknown entr{?y/ies} in {.arg parameters}: {.val {unknown}}.",
                               i = "Known entries are {.field {names(defaults)}}; see {.fn default_parameters}."),
                call = call)
  }
  for (nm in setdiff(names(defaults), names(parameters))) parameters[nm] <- list(defaults[[nm]])
  choice <- function(nm, allowed) {
    v <- parameters[[nm]]
    if (!is.character(v) || length(v) != 1L || !v %in% allowed) {
      abort_mrkit("parameter", c("{.field {nm}} must be one of {.val {allowed}}.",
                                 x = "It is {.val {format(v)}}."), call = call)
    }
  }
  number <- function(nm, lower = -Inf, upper = Inf, n = 1L, integer = FALSE) {
    v <- parameters[[nm]]
    ok <- is.numeric(v) && (is.na(n) || length(v) == n) && length(v) >= 1L && all(is.finite(v)) &&
      all(v >= lower) && all(v <= upper) && (!integer || all(v == round(v)))
    if (!ok) {
      abort_mrkit("parameter", "{.field {nm}} must be {if (integer) 'a whole number' else 'a number'} in [{lower}, {upper}].",
                  call = call)
    }
  }
  flag <- function(nm) {
    v <- parameters[[nm]]
    if (!is.logical(v) || length(v) != 1L || is.na(v)) {
      abort_mrkit("parameter", "{.field {nm}} must be TRUE or FALSE.", call = call)
    }
  }
  choice("test_dist", c("z", "t"))
  number("nboot", 1, 1e8, integer = TRUE)
  number("Cov")
  number("penk", 0)
  number("phi", .Machine$double.eps, n = NA)
  number("alpha", 1e-12, 1 - 1e-12)
  number("Qthresh", 0, 1)
  flag("over.dispersion")
  choice("loss.function", c("l2", "huber", "tukey"))
  flag("shrinkage")
  choice("median_weights", c("second_order", "first_order"))
  choice("distribution", c("TwoSampleMR", "normal", "t"))
  choice("ivw_model", c("random", "default", "fixed"))
  flag("mode_bandwidth_floor")
  flag("tsmr_quirks")
  if (!is.null(parameters$seed)) number("seed", 0, 2^53, integer = TRUE)
  parameters$nboot <- as.integer(parameters$nboot)
  # density() changed its grid coordinates in R 4.4.0; the modes follow the running R.
  parameters$density_grid <- density_grid_version()
  parameters
}

# 1 on R >= 4.4.0 (density()'s new grid coordinates), else 0; computed once per session
# (getRversion() comparisons cost more than the rest of check_parameters()).
density_grid_version <- local({
  version <- NULL
  function() {
    if (is.null(version)) version <<- if (getRversion() >= "4.4.0") 1L else 0L
    version
  }
})
