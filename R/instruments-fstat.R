# Instrument strength (methods.md 4.5 and 6.3): I^2 statistics, F-statistics, and the F summary
# that mr() results can carry.

#' I-squared heterogeneity statistic
#'
#' 'TwoSampleMR''s `Isq()`: Cochran's Q of `y` around its inverse-variance weighted mean
#' (weights `1 / s^2`) turned into \eqn{I^2 = \max(0, (Q - (k - 1)) / Q)} for `k` values.
#'
#' @param y Estimates.
#' @param s Their standard errors (positive).
#' @return A number in `[0, 1]`; `NA` when `y` or `s` has missing values or fewer than two
#'   values are given.
#' @export
#' @examples
#' Isq(c(0.1, 0.3, 0.2, 0.5), c(0.05, 0.05, 0.1, 0.1))
Isq <- function(y, s) {
  call <- rlang::current_env()
  check_pair_vectors(y, s, "y", "s", call = call)
  if (length(y) < 2L || anyNA(y) || anyNA(s)) return(NA_real_)
  w <- 1 / s^2
  mu <- sum(w * y) / sum(w)
  Q <- sum(w * (y - mu)^2)
  max(0, (Q - (length(y) - 1)) / Q)
}

#' I-squared of the SNP-exposure effects (I²_GX)
#'
#' The NOME-violation diagnostic of MR-Egger (Bowden et al. 2016, International Journal of Epidemiology 45:1961-1974, \doi{10.1093/ije/dyw220}) in either package's
#' definition. `"TwoSampleMR"`: what 'TwoSampleMR' users compute,
#' `Isq(abs(b_exp), se_exp)`. `"MendelianRandomization"`: the `I.sq` slot of
#' `mr_egger()`, computed on the outcome-SE scale, `Isq(abs(b_exp) / se_out, se_exp / se_out)`;
#' the two agree only when `se_out` is constant. Values near 1 mean little dilution of the
#' MR-Egger slope; below 0.9 calls for caution.
#'
#' @param b_exp,se_exp SNP-exposure effects and standard errors.
#' @param se_out SNP-outcome standard errors; needed for `"MendelianRandomization"`.
#' @param convention `"TwoSampleMR"` or `"MendelianRandomization"`.
#' @return A number in `[0, 1]`, or `NA` (see [Isq()]).
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, seed = 1)
#' isq_gx(d$beta.exposure, d$se.exposure)
#' isq_gx(d$beta.exposure, d$se.exposure, d$se.outcome, convention = "MendelianRandomization")
isq_gx <- function(b_exp, se_exp, se_out = NULL,
                   convention = c("TwoSampleMR", "MendelianRandomization")) {
  call <- rlang::current_env()
  convention <- rlang::arg_match(convention)
  check_pair_vectors(b_exp, se_exp, "b_exp", "se_exp", call = call)
  if (convention == "TwoSampleMR") return(Isq(abs(b_exp), se_exp))
  if (is.null(se_out)) {
    abort_mrkit("missing_argument", c("{.arg se_out} is needed for {.code convention = \"MendelianRandomization\"}.",
                                      i = "That definition scales by the SNP-outcome standard errors."), call = call)
  }
  check_pair_vectors(b_exp, se_out, "b_exp", "se_out", call = call)
  Isq(abs(b_exp) / se_out, se_exp / se_out)
}

#' Per-variant F-statistics
#'
#' The F-statistic of each variant's association with the exposure, \eqn{(b / se)^2}
#' (for example Burgess and Thompson 2011, International Journal of Epidemiology 40:755-764, \doi{10.1093/ije/dyr036}).
#'
#' @param b_exp,se_exp SNP-exposure effects and standard errors.
#' @return A numeric vector of F-statistics.
#' @export
#' @examples
#' fstat_snp(c(0.02, -0.05), c(0.004, 0.01))
fstat_snp <- function(b_exp, se_exp) {
  check_pair_vectors(b_exp, se_exp, "b_exp", "se_exp", call = rlang::current_env())
  (b_exp / se_exp)^2
}

#' Instrument strength per exposure-outcome pair
#'
#' Summarises the F-statistics of the usable variants of each exposure-outcome pair (the
#' rows [mr()] uses) and their I²_GX. A classed warning (`mrkit_warning_weak_instruments`)
#' names the pairs whose mean F is below 10.
#'
#' @inheritParams mr
#' @param convention Definition of I²_GX, see [isq_gx()].
#' @return A data frame with columns `id.exposure, id.outcome, outcome, exposure, nsnp,
#'   mean_F, min_F, median_F, isq_gx, nweak_F` (`nweak_F`: number of variants with F < 10).
#'   [add_fstat()] attaches the summary to a result table of [mr()].
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 30, fstat = 40, seed = 1)
#' mr_fstat(dat)
mr_fstat <- function(dat, convention = c("TwoSampleMR", "MendelianRandomization")) {
  call <- rlang::current_env()
  convention <- rlang::arg_match(convention)
  prep <- prepare_pairs(dat, call = call)
  out <- fstat_table(prep, convention)
  warn_weak_instruments(out)
  with_audit(out, prep$audit)
}

# The F-statistic summary of each pair of prepare_pairs() output (no warning).
fstat_table <- function(prep, convention = "TwoSampleMR") {
  cols <- c("id.exposure", "id.outcome", "outcome", "exposure", "nsnp", "mean_F", "min_F",
            "median_F", "isq_gx", "nweak_F")
  if (nrow(prep$pairs) == 0L) return(empty_table(cols))
  stats <- lapply(seq_len(nrow(prep$pairs)), function(k) {
    x <- pair_data(prep, k)
    f <- (x$beta.exposure / x$se.exposure)^2
    data.frame(nsnp = length(f), mean_F = mean(f), min_F = min(f), median_F = stats::median(f),
               isq_gx = isq_gx(x$beta.exposure, x$se.exposure, x$se.outcome, convention = convention),
               nweak_F = sum(f < 10))
  })
  out <- cbind(prep$pairs[c("id.exposure", "id.outcome", "outcome", "exposure")], do.call(rbind, stats))
  rownames(out) <- NULL
  out
}

# One classed warning naming the pairs of an fstat_table() whose mean F is below 10.
warn_weak_instruments <- function(tab) {
  weak <- which(tab$mean_F < 10)
  if (length(weak)) {
    labels <- paste0(tab$id.exposure[weak], " on ", tab$id.outcome[weak])
    warn_mrkit("weak_instruments",
               c("Weak instruments: mean F-statistic below 10 for {length(weak)} pair{?s}.",
                 i = "{.val {labels}}: mean F = {format(signif(tab$mean_F[weak], 3))}."))
  }
  invisible(weak)
}

# Two numeric vectors of equal length, the second a vector of positive standard errors.
check_pair_vectors <- function(x, s, x_name, s_name, call = rlang::caller_env()) {
  for (nm in c(x_name, s_name)) {
    v <- if (nm == x_name) x else s
    if (!is.numeric(v)) {
      abort_mrkit("input_type", c("{.arg {nm}} must be a numeric vector.", x = "It is {.cls {class(v)}}."),
                  call = call)
    }
  }
  if (length(x) != length(s)) {
    abort_mrkit("input_length", c("{.arg {x_name}} and {.arg {s_name}} must have the same length.",
                                  x = "Lengths are {length(x)} and {length(s)}."), call = call)
  }
  bad <- which(!is.na(s) & !(s > 0))
  if (length(bad)) {
    abort_mrkit("se_nonpositive", c("{.arg {s_name}} must be positive (rule: SE > 0).",
                                    x = "Element{?s} {bad} {?is/are} zero or negative."), call = call)
  }
  invisible(TRUE)
}

#' Attach instrument strength to MR results
#'
#' Adds the F-statistic summary of [mr_fstat()] to a result table of [mr()], matched by
#' `id.exposure` and `id.outcome`: `fstat_mean` (mean F), `fstat_min` (smallest F) and
#' `fstat_nweak` (number of variants with F < 10), computed on the rows [mr()] uses
#' (`mr_keep` and complete effects). A warning of class `mrkit_warning_weak_instruments`
#' names the pairs whose mean F is below 10.
#'
#' @param res A result table from [mr()].
#' @param dat The harmonised data `res` was computed from.
#' @return `res` with columns `fstat_mean, fstat_min, fstat_nweak` (`NA` for pairs not in
#'   `dat`); class and attributes are kept.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 30, fstat = 40, seed = 1)
#' res <- mr(dat, method_list = c("mr_egger_regression", "mr_ivw"))
#' add_fstat(res, dat)
add_fstat <- function(res, dat) {
  call <- rlang::current_env()
  if (!is.data.frame(res)) {
    abort_mrkit("input_type", c("{.arg res} must be a data frame from {.fn mr}.",
                                x = "It is {.cls {class(res)}}."), call = call)
  }
  check_columns(res, c("id.exposure", "id.outcome"), what = "res", call = call)
  attach_fstat(res, prepare_pairs(dat, call = call))
}

# For mr(): attach the F summary from the pairs it has already prepared (no second
# validation pass), with the weak-instrument warning.
attach_fstat <- function(res, prep) {
  n <- diff(prep$offsets)
  idx <- rep.int(seq_along(n), n)
  f <- (prep$data$beta.exposure / prep$data$se.exposure)^2
  tab <- new_frame(list(id.exposure = prep$pairs$id.exposure, id.outcome = prep$pairs$id.outcome,
                        mean_F = as.vector(rowsum(f, idx, reorder = FALSE)) / n,
                        min_F = vapply(split(f, idx), min, numeric(1), USE.NAMES = FALSE),
                        nweak_F = as.integer(rowsum(as.integer(f < 10), idx, reorder = FALSE))))
  warn_weak_instruments(tab)
  m <- match(paste(res$id.exposure, res$id.outcome, sep = "\r"),
             paste(tab$id.exposure, tab$id.outcome, sep = "\r"))
  res$fstat_mean <- tab$mean_F[m]
  res$fstat_min <- tab$min_F[m]
  res$fstat_nweak <- tab$nweak_F[m]
  res
}
