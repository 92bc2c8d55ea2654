# MR Steiger test of the causal direction (methods.md 6.2): aggregate (mr_steiger,
# mr_steiger2, directionality_test) and per variant (steiger_filtering). Closed forms,
# vectorised in R.

# Fisher-z test of two independent correlations (psych::r.test with r12, r34, n, n2):
# z = (atanh(r1) - atanh(r2)) / sqrt(1/(n1 - 3) + 1/(n2 - 3)), two-sided normal p (never
# below .Machine$double.xmin for a finite z; its exact log10 from steiger_p_log10()).
# Sample sizes of 3 or less give NA.
steiger_z <- function(r1, r2, n1, n2) {
  n1[!is.na(n1) & n1 <= 3] <- NA_real_
  n2[!is.na(n2) & n2 <= 3] <- NA_real_
  r1[!is.na(r1) & !(r1 >= 0 & r1 < 1)] <- NA_real_
  r2[!is.na(r2) & !(r2 >= 0 & r2 < 1)] <- NA_real_
  (atanh(r1) - atanh(r2)) / sqrt(1 / (n1 - 3) + 1 / (n2 - 3))
}

steiger_p <- function(z) p_normal_two_sided(z)
steiger_p_log10 <- function(z) log10_p_normal_two_sided(z)

# 'TwoSampleMR''s steiger_sensitivity() volumes, called with r (not r^2) as it does.
steiger_volumes <- function(rx, ry) {
  a <- max(rx, ry)
  b <- min(rx, ry)
  vz <- a * log(a) - b * log(b) + a * b * (log(b) - log(a))
  vz0 <- -2 * b - b * log(a) - a * b * log(a) + 2 * a * b
  vz1 <- abs(vz - vz0)
  list(vz = vz, vz0 = vz0, vz1 = vz1, sensitivity_ratio = vz1 / vz0)
}

# The result list of mr_steiger / mr_steiger2 from aggregate |r| and mean sample sizes.
steiger_result <- function(rx, ry, nx, ny, r_xxo, r_yyo) {
  if (isTRUE(rx >= 1) || isTRUE(ry >= 1)) {
    warn_mrkit("r_above_one", c("The aggregate correlation is 1 or more; the Steiger test is NA.",
                                i = "Make sure the variants are independent (clumped for LD)."))
  }
  rx_adj <- sqrt(rx^2 / r_xxo^2)
  ry_adj <- sqrt(ry^2 / r_yyo^2)
  vol <- if (is.na(rx) || is.na(ry)) {
    list(vz = NA_real_, vz0 = NA_real_, vz1 = NA_real_, sensitivity_ratio = NA_real_)
  } else {
    steiger_volumes(rx, ry)
  }
  z <- steiger_z(rx, ry, nx, ny)
  z_adj <- steiger_z(rx_adj, ry_adj, nx, ny)
  c(list(r2_exp = rx^2, r2_out = ry^2, r2_exp_adj = rx_adj^2, r2_out_adj = ry_adj^2,
         correct_causal_direction = rx > ry, steiger_test = steiger_p(z),
         correct_causal_direction_adj = rx_adj > ry_adj, steiger_test_adj = steiger_p(z_adj)),
    vol, list(steiger_test_log10 = steiger_p_log10(z), steiger_test_adj_log10 = steiger_p_log10(z_adj)))
}

check_reliability <- function(x, name, call) {
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || !(x > 0 && x <= 1)) {
    abort_mrkit("parameter", c("{.arg {name}} must be a single number in (0, 1].",
                               i = "It is the measurement precision (reliability) of the trait."), call = call)
  }
}

#' MR Steiger test of the causal direction
#'
#' 'TwoSampleMR''s `mr_steiger()`: is the variance the instruments explain in the exposure
#' larger than in the outcome (Hemani, Tilling and Davey Smith 2017,
#' \doi{10.1371/journal.pgen.1007081})? Per-variant correlations `r_exp`, `r_out` are used in
#' absolute value; missing ones come from [get_r_from_pn()] (quantitative-trait approximation).
#' They are aggregated as \eqn{r_x = \sqrt{\sum r_{x,j}^2}} over the variants with `r_exp`
#' present or `r_out` missing ('TwoSampleMR''s rule: a variant missing `r_exp` only is
#' dropped, one missing `r_out` makes the result `NA`), and compared with the Fisher-z test
#' of independent correlations at the mean sample sizes,
#' \eqn{z = (\mathrm{atanh}\, r_x - \mathrm{atanh}\, r_y) / \sqrt{1/(n_x - 3) + 1/(n_y - 3)}},
#' \eqn{p = 2\Phi(-|z|)}.
#'
#' The `_adj` versions divide \eqn{r^2} by the squared measurement precisions `r_xxo`,
#' `r_yyo`. The sensitivity volumes are 'TwoSampleMR''s `steiger_sensitivity()`, computed
#' (as there) from \eqn{r}, not \eqn{r^2}, with \eqn{a = \max(r_x, r_y)}, \eqn{b = \min}.
#' 'TwoSampleMR''s lattice wire-frame plot (`sensitivity_plot`) is not produced.
#'
#' @param p_exp,p_out P-values of the variant-exposure and variant-outcome associations.
#' @param n_exp,n_out Their sample sizes (one per variant, or a single number).
#' @param r_exp,r_out Correlations of the variants with exposure and outcome; `NULL` or
#'   `NA` entries are derived from the p-values and sample sizes.
#' @param r_xxo,r_yyo Measurement precision (reliability) of exposure and outcome, in (0, 1].
#' @return A list: `r2_exp, r2_out` (variance explained), `r2_exp_adj, r2_out_adj`,
#'   `correct_causal_direction` (`TRUE` when \eqn{r_x > r_y}), `steiger_test` (p-value),
#'   `correct_causal_direction_adj, steiger_test_adj`, and the sensitivity volumes `vz` (total),
#'   `vz0` (giving the inferred direction the wrong way), `vz1 = |vz - vz0|` and
#'   `sensitivity_ratio = vz1 / vz0`, then `steiger_test_log10, steiger_test_adj_log10`:
#'   the exact log10 of the p-values, which are never below `.Machine$double.xmin` (a
#'   smaller p-value is reported as that number).
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 20, seed = 1)
#' mr_steiger(d$pval.exposure, d$pval.outcome, d$samplesize.exposure, d$samplesize.outcome)
mr_steiger <- function(p_exp, p_out, n_exp, n_out, r_exp = NULL, r_out = NULL, r_xxo = 1, r_yyo = 1) {
  call <- rlang::current_env()
  check_numeric_args(list(p_exp = p_exp, p_out = p_out, n_exp = n_exp, n_out = n_out), call = call)
  J <- length(p_exp)
  if (is.null(r_exp)) r_exp <- rep(NA_real_, J)
  if (is.null(r_out)) r_out <- rep(NA_real_, J)
  check_numeric_args(list(r_exp = r_exp, r_out = r_out), call = call)
  check_recyclable(list(p_out = p_out, n_exp = n_exp, n_out = n_out, r_exp = r_exp, r_out = r_out),
                   J, call = call)
  check_reliability(r_xxo, "r_xxo", call)
  check_reliability(r_yyo, "r_yyo", call)
  if (J == 0L) {
    abort_mrkit("input_length", "At least one variant is needed for the Steiger test.", call = call)
  }
  n_exp <- rep_len(as.numeric(n_exp), J)
  n_out <- rep_len(as.numeric(n_out), J)
  r_exp <- abs(rep_len(as.numeric(r_exp), J))
  r_out <- abs(rep_len(as.numeric(r_out), J))
  r_exp <- fill_r(r_exp, rep_len(p_exp, J), n_exp)
  r_out <- fill_r(r_out, rep_len(p_out, J), n_out)
  use <- !is.na(r_exp) | is.na(r_out)
  if (any(use & is.na(r_out))) {
    warn_mrkit("missing_values",
               c("{sum(use & is.na(r_out))} variant{?s} lack{?s/} a variant-outcome correlation; the Steiger test is NA.",
                 i = "TwoSampleMR's rule: a variant missing only the exposure correlation is dropped, one missing the outcome correlation makes the test NA."))
  }
  rx <- sqrt(sum(r_exp[use]^2))
  ry <- sqrt(sum(r_out[use]^2))
  steiger_result(rx, ry, mean(n_exp), mean(n_out), r_xxo, r_yyo)
}

# Missing correlations from p-values and sample sizes, where both are present.
fill_r <- function(r, p, n) {
  need <- is.na(r) & !is.na(p) & !is.na(n)
  if (any(need)) r[need] <- get_r_from_pn(p[need], n[need])
  r
}

#' MR Steiger test from supplied correlations
#'
#' 'TwoSampleMR''s `mr_steiger2()`: as [mr_steiger()], with all per-variant correlations
#' given. Any missing value in the inputs makes the result `NA` (as in 'TwoSampleMR'),
#' with a warning of class `mrkit_warning_missing_values`.
#'
#' @inheritParams mr_steiger
#' @param r_exp,r_out Correlations of the variants with exposure and outcome.
#' @return The list of [mr_steiger()].
#' @export
#' @examples
#' mr_steiger2(c(0.03, 0.02, 0.025), c(0.002, 0.001, 0.004), 1e5, 2e5)
mr_steiger2 <- function(r_exp, r_out, n_exp, n_out, r_xxo = 1, r_yyo = 1) {
  call <- rlang::current_env()
  check_numeric_args(list(r_exp = r_exp, r_out = r_out, n_exp = n_exp, n_out = n_out), call = call)
  J <- length(r_exp)
  check_recyclable(list(r_out = r_out, n_exp = n_exp, n_out = n_out), J, call = call)
  check_reliability(r_xxo, "r_xxo", call)
  check_reliability(r_yyo, "r_yyo", call)
  if (J == 0L) {
    abort_mrkit("input_length", "At least one variant is needed for the Steiger test.", call = call)
  }
  if (anyNA(r_exp) || anyNA(r_out) || anyNA(n_exp) || anyNA(n_out)) {
    warn_mrkit("missing_values", c("Missing correlations or sample sizes; the Steiger test is NA.",
                                   i = "Remove the incomplete variants first."))
    return(steiger_result(NA_real_, NA_real_, NA_real_, NA_real_, r_xxo, r_yyo))
  }
  steiger_result(sqrt(sum(r_exp^2)), sqrt(sum(r_out^2)), mean(n_exp), mean(n_out), r_xxo, r_yyo)
}

#' Steiger test of the causal direction for each exposure-outcome pair
#'
#' 'TwoSampleMR''s `directionality_test()`: [mr_steiger()] on all rows of each pair (`mr_keep`
#' is not applied). Correlations come from columns `r.exposure`, `r.outcome` where present,
#' otherwise as `r2_method` says:
#' * `"pn"` (default, as 'TwoSampleMR'): from `pval.*` and `samplesize.*` by
#'   [get_r_from_pn()], which assumes quantitative traits (a message says so);
#' * `"add_rsq"`: the variance explained of [add_rsq()], as [steiger_filtering()] uses it:
#'   for a binary trait (`units.* = "log odds"`) on the liability scale by
#'   [get_r_from_lor()], for traits in SD units \eqn{2\beta^2 f(1-f)}, with the effective
#'   sample sizes of [add_rsq()]. Then `snp_r2.outcome` is the sum of
#'   [steiger_filtering()]'s `rsq.outcome` over the pair's variants.
#'
#' For a binary outcome the two differ (the quantitative approximation ignores that the
#' outcome is binary); compute `r.*` first, or use `r2_method = "add_rsq"`.
#'
#' @param dat Harmonised data, as from [harmonise_data()].
#' @param r2_method `"pn"` or `"add_rsq"`: how correlations missing from `dat` are
#'   estimated (see Details).
#' @return A data frame, one row per pair in `id.exposure, id.outcome` order, with columns
#'   `id.exposure, id.outcome, exposure, outcome, snp_r2.exposure, snp_r2.outcome,
#'   correct_causal_direction, steiger_pval, steiger_pval_log10` (the p-value is never below
#'   `.Machine$double.xmin`; `steiger_pval_log10` is its exact log10, also where it would
#'   underflow). Pairs whose test is `NA` are named in a
#'   warning of class `mrkit_warning_missing_values`.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 30, seed = 1)
#' directionality_test(dat)
directionality_test <- function(dat, r2_method = c("pn", "add_rsq")) {
  call <- rlang::current_env()
  r2_method <- rlang::arg_match(r2_method)
  check_columns(dat, c("id.exposure", "id.outcome", "exposure", "outcome"), call = call)
  if (r2_method == "add_rsq" && nrow(dat) > 0L) dat <- steiger_r_from_rsq(dat)
  has_r <- c("r.exposure", "r.outcome") %in% names(dat)
  if (nrow(dat) == 0L) {
    return(empty_table(c("id.exposure", "id.outcome", "exposure", "outcome", "snp_r2.exposure",
                         "snp_r2.outcome", "correct_causal_direction", "steiger_pval",
                         "steiger_pval_log10")))
  }
  if (!all(has_r)) {
    check_columns(dat, c("pval.exposure", "pval.outcome", "samplesize.exposure", "samplesize.outcome"),
                  call = call)
    inform_plain("approximate_r",
                 paste("Correlations approximated from p-values and sample sizes (r.exposure and/or r.outcome",
                       "not present), assuming quantitative traits; for binary traits compute them with",
                       "get_r_from_lor(), or use r2_method = \"add_rsq\" (as steiger_filtering())."))
  }
  col_or_na <- function(x) if (x %in% names(dat)) dat[[x]] else rep(NA_real_, nrow(dat))
  pairs <- unique(dat[c("id.exposure", "id.outcome")])
  pairs <- pairs[order(pairs$id.exposure, pairs$id.outcome), , drop = FALSE]
  key <- paste(dat$id.exposure, dat$id.outcome, sep = "\r")
  rows_of <- split(seq_len(nrow(dat)), factor(key, levels = paste(pairs$id.exposure, pairs$id.outcome, sep = "\r")))
  px <- col_or_na("pval.exposure"); py <- col_or_na("pval.outcome")
  nx <- col_or_na("samplesize.exposure"); ny <- col_or_na("samplesize.outcome")
  rx <- col_or_na("r.exposure"); ry <- col_or_na("r.outcome")
  res <- lapply(rows_of, function(i) {
    s <- withCallingHandlers(
      mr_steiger(px[i], py[i], nx[i], ny[i], rx[i], ry[i]),
      mrkit_warning_missing_values = function(w) invokeRestart("muffleWarning"))
    data.frame(exposure = dat$exposure[i[1]], outcome = dat$outcome[i[1]],
               snp_r2.exposure = s$r2_exp, snp_r2.outcome = s$r2_out,
               correct_causal_direction = s$correct_causal_direction,
               steiger_pval = s$steiger_test, steiger_pval_log10 = s$steiger_test_log10,
               stringsAsFactors = FALSE)
  })
  out <- cbind(pairs, do.call(rbind, res))
  rownames(out) <- NULL
  bad <- which(is.na(out$steiger_pval))
  if (length(bad)) {
    labels <- paste0(out$id.exposure[bad], " on ", out$id.outcome[bad])
    warn_mrkit("missing_values",
               c("Steiger test is NA for {length(bad)} pair{?s}: {.val {labels}}.",
                 i = "Correlations (or p-values and sample sizes) are missing for some variants, sample sizes are 3 or less, or the aggregate correlation reaches 1."))
  }
  out
}

# Correlations r.* (and the sample sizes used with them) from add_rsq()'s variance
# explained, where dat has no r.* column: what steiger_filtering() uses.
steiger_r_from_rsq <- function(dat) {
  d <- add_rsq(dat)
  for (what in c("exposure", "outcome")) {
    r <- paste0("r.", what)
    if (r %in% names(dat)) next
    dat[[r]] <- sqrt(d[[paste0("rsq.", what)]])
    en <- d[[paste0("effective_n.", what)]]
    if (!is.null(en)) dat[[paste0("samplesize.", what)]] <- ifelse(is.na(en), dat[[paste0("samplesize.", what)]], en)
  }
  dat
}

#' Steiger test of the causal direction for each variant
#'
#' 'TwoSampleMR''s `steiger_filtering()`: for each exposure-outcome pair, [add_rsq()]
#' estimates the variance each variant explains in exposure and outcome, then each variant
#' gets the Fisher-z test of \eqn{\sqrt{rsq.exposure}} against \eqn{\sqrt{rsq.outcome}} with
#' sample sizes `effective_n.exposure`, `effective_n.outcome`. Filtering (keeping
#' `steiger_dir == TRUE`) is left to the user. Where `rsq.T` is already present but
#' `effective_n.T` is not, `samplesize.T` is used. [directionality_test()] with
#' `r2_method = "add_rsq"` aggregates the same variance explained; its default (as in
#' 'TwoSampleMR') differs for binary traits.
#'
#' @param dat Harmonised data, as from [harmonise_data()].
#' @return `dat` (rows grouped by pair in order of first appearance, with `units.*` columns
#'   added when absent) with columns `rsq.exposure, rsq.outcome, effective_n.exposure,
#'   effective_n.outcome`, `steiger_dir` (`rsq.exposure > rsq.outcome`), `steiger_pval`
#'   (two-sided; never below `.Machine$double.xmin`) and `steiger_pval_log10` (its exact
#'   log10). Variants whose test cannot be computed have `NA`, and a warning of class
#'   `mrkit_warning_missing_values` counts them.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 10, seed = 1)
#' steiger_filtering(dat)[, c("SNP", "rsq.exposure", "rsq.outcome", "steiger_dir", "steiger_pval")]
steiger_filtering <- function(dat) {
  call <- rlang::current_env()
  check_columns(dat, c("id.exposure", "id.outcome", "exposure", "outcome", "beta.exposure",
                       "beta.outcome"), call = call)
  for (what in c("exposure", "outcome")) {
    u <- paste0("units.", what)
    if (!u %in% names(dat)) dat[[u]] <- NA
  }
  key <- paste(dat$id.exposure, dat$id.outcome, sep = "\r")
  groups <- split(seq_len(nrow(dat)), factor(key, levels = unique(key)))
  for (rows in groups) {
    for (col in c("exposure", "outcome", "units.exposure", "units.outcome")) {
      if (length(unique(dat[[col]][rows])) > 1L) {
        abort_mrkit("input_value",
                    c("Column {.field {col}} must be constant within an exposure-outcome pair.",
                      x = "Pair {.val {dat$id.exposure[rows[1]]}} on {.val {dat$id.outcome[rows[1]]}} has {.val {unique(dat[[col]][rows])}}."),
                    call = call)
      }
    }
  }
  dat <- dat[unlist(groups, use.names = FALSE), , drop = FALSE]
  rownames(dat) <- NULL
  dat <- add_rsq(dat)
  for (what in c("exposure", "outcome")) {
    en <- paste0("effective_n.", what)
    if (!en %in% names(dat)) {
      check_columns(dat, paste0("samplesize.", what), call = call)
      dat[[en]] <- dat[[paste0("samplesize.", what)]]
    }
  }
  z <- steiger_z(sqrt(dat$rsq.exposure), sqrt(dat$rsq.outcome), dat$effective_n.exposure,
                 dat$effective_n.outcome)
  dat$steiger_dir <- dat$rsq.exposure > dat$rsq.outcome
  dat$steiger_pval <- steiger_p(z)
  dat$steiger_pval_log10 <- steiger_p_log10(z)
  bad <- which(is.na(dat$steiger_pval))
  if (length(bad)) {
    warn_mrkit("missing_values",
               c("Steiger test is NA for {length(bad)} variant{?s}: {.val {dat$SNP[bad]}}.",
                 i = "Variance explained or effective sample size (> 3) is missing."))
  }
  dat
}
