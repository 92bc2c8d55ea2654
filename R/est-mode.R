#' Mode-based MR estimators
#'
#' The mode of a weighted Gaussian kernel density of the ratio estimates `b_out / b_exp`
#' (Hartwig, Davey Smith and Bowden 2017, International Journal of Epidemiology 46:1985-1998, \doi{10.1093/ije/dyx102}). The bandwidth is `0.9 min(SD, MAD) / nsnp^(1/5)` times `phi`
#' (floored at 1e-8 unless `mode_bandwidth_floor = FALSE`); the density is computed as
#' R's `stats::density()` computes it (512 grid points, linear binning, FFT), and the
#' estimate is the grid point of highest density (the first one if tied). Standard errors
#' come from a parametric bootstrap on the ratio scale (each replicate draws
#' `ratio_j ~ N(ratio_j, s_j)` and re-estimates with the original weights); the SE is the
#' median absolute deviation of the replicates. p-values use Student t on `nsnp - 1`
#' degrees of freedom ('TwoSampleMR'), or the normal distribution with
#' `default_parameters(distribution = "normal")` ('MendelianRandomization').
#'
#' `s_j` is the second-order SE of the ratio (with `parameters$Cov`), or the first-order
#' SE `se_out / |b_exp|` for the NOME variants. The simple modes weight variants equally;
#' the weighted modes by `s_j^-2`. These wrappers use the first value of `phi`; [mr_mode()]
#' gives every estimator for every `phi` from one shared bootstrap.
#'
#' The density grid is that of R before 4.4.0 (`density(old.coords = TRUE)` in newer R).
#'
#' @inheritParams mr_ivw
#' @return A list with `b`, `se`, `pval`, `nsnp`, `nboot`, `seed` and `note`. Needs at
#'   least three variants, none with a zero SNP-exposure effect.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, seed = 1)
#' set.seed(1)
#' mr_weighted_mode(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)$b
mr_weighted_mode <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_weighted_mode", b_exp, b_out, se_exp, se_out, parameters)
}

#' @rdname mr_weighted_mode
#' @export
mr_simple_mode <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_simple_mode", b_exp, b_out, se_exp, se_out, parameters)
}

#' @rdname mr_weighted_mode
#' @export
mr_weighted_mode_nome <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_weighted_mode_nome", b_exp, b_out, se_exp, se_out, parameters)
}

#' @rdname mr_weighted_mode
#' @export
mr_simple_mode_nome <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_simple_mode_nome", b_exp, b_out, se_exp, se_out, parameters)
}

mode_methods <- c("Simple mode", "Weighted mode", "Penalised mode", "Simple mode (NOME)",
                  "Weighted mode (NOME)")

#' All mode-based estimators on harmonised data
#'
#' 'TwoSampleMR''s `mr_mode()`: the simple, weighted and penalised mode and the NOME
#' variants of the simple and weighted mode, for every bandwidth multiplier in
#' `parameters$phi`, from one shared parametric bootstrap (see [mr_weighted_mode()]).
#' The penalised mode multiplies the weights `1 / s_j^2` by
#' `min(1, penk * P(chisq_1 > (ratio_j - weighted mode)^2 / s_j^2))`, recomputing the
#' penalty against each replicate's weighted mode in the bootstrap.
#'
#' @inheritParams mr_median
#' @param mode_method `"all"`, or one of the row names (`"Simple mode"`,
#'   `"Weighted mode"`, `"Penalised mode"`, `"Simple mode (NOME)"`, `"Weighted mode (NOME)"`).
#' @param threads Number of threads for the bootstrap.
#' @return With `mode_method = "all"`, a data frame with one row per method and `phi`
#'   (methods in the order above) and columns `id.exposure, id.outcome, method, nsnp, b,
#'   se, ci_low, ci_upp, pval` (confidence intervals at level `1 - alpha` from the
#'   distribution of the p-value, as in [mr()]: t on `nsnp - 1`, or normal with
#'   `distribution = "normal"`). Otherwise a list with `b`,
#'   `se`, `pval` (vectors over `phi`) and `nsnp`. With fewer than three variants the
#'   estimates are `NA` and a warning of class `mrkit_warning_too_few_snps` says why.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, seed = 1)
#' set.seed(1)
#' mr_mode(d, default_parameters(nboot = 100))
mr_mode <- function(dat, parameters = default_parameters(), mode_method = "all",
                    threads = getOption("mrkit.threads", 1L)) {
  if (!is.character(mode_method) || length(mode_method) != 1L || !mode_method %in% c("all", mode_methods)) {
    abort_mrkit("parameter", c("{.arg mode_method} must be {.val all} or one of {.val {mode_methods}}."))
  }
  dat <- usable_rows(dat)
  parameters <- check_parameters(parameters)
  threads <- check_threads(threads)
  seed <- draw_seed(parameters)
  r <- call_core(cpp_mr_mode(as.double(dat$beta.exposure), as.double(dat$beta.outcome),
                             as.double(dat$se.exposure), as.double(dat$se.outcome),
                             parameters, seed, threads), what = "mr_mode()")
  if (nzchar(r$note)) warn_mrkit(if (nrow(dat) < 3L) "too_few_snps" else "not_estimable", "{r$note}.")
  res <- data.frame(id.exposure = first_id(dat, "id.exposure"),
                    id.outcome = first_id(dat, "id.outcome"), method = r$method,
                    nsnp = nrow(dat), b = r$b, se = r$se, stringsAsFactors = FALSE)
  res$ci_low <- r$lo_ci
  res$ci_upp <- r$up_ci
  res$pval <- r$pval
  if (mode_method == "all") return(res)
  i <- res$method == mode_method
  list(b = res$b[i], se = res$se[i], pval = res$pval[i], nsnp = nrow(dat))
}

# The weighted Gaussian kernel density the mode estimators use, on R's grid (internal;
# tests compare it with stats::density(x, weights = weights, bw = bw)).
mode_density <- function(x, weights, bw, grid = 0L) {
  call_core(cpp_mode_density(as.double(x), as.double(weights), as.double(bw), as.integer(grid)),
            what = "the mode density")
}
