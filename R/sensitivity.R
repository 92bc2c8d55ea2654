# Heterogeneity, pleiotropy, leave-one-out and single-variant analyses (methods.md 5),
# with 'TwoSampleMR''s function names, columns and row order.

#' Heterogeneity statistics
#'
#' Cochran's Q (IVW), Rucker's Q' (MR-Egger) and the Q statistic of any other method that
#' reports one, per exposure-outcome pair, as 'TwoSampleMR''s `mr_heterogeneity()`, with
#' the \eqn{I^2 = \max(0, (Q - Q_{df}) / Q)} of each row added. Pairs with fewer than two
#' usable variants are skipped with a message; rows whose `Q`, `Q_df` and `Q_pval` are all
#' `NA` are dropped (so a pair with two variants has only the IVW row).
#'
#' @inheritParams mr
#' @param method_list Methods whose Q to report, by `obj` name from [mr_method_list()];
#'   defaults to the methods with both `heterogeneity_test` and `use_by_default`
#'   (`"mr_egger_regression"`, `"mr_ivw"`).
#' @return A data frame with columns `id.exposure, id.outcome, outcome, exposure, method,
#'   Q, Q_df, Q_pval, I2, Q_pval_log10`, one row per pair and method, pairs in
#'   'TwoSampleMR''s order. `Q_pval` is never below `.Machine$double.xmin` for a finite `Q`
#'   (a smaller p-value is reported as that number); `Q_pval_log10` is its exact log10.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 30, b = 0.2, pleiotropy = "balanced", seed = 1)
#' mr_heterogeneity(dat)
mr_heterogeneity <- function(dat, parameters = default_parameters(), method_list = NULL,
                             threads = getOption("mrkit.threads", 1L)) {
  call <- rlang::current_env()
  tab <- mr_method_list()
  method_list <- method_list %||% tab$obj[tab$heterogeneity_test & tab$use_by_default]
  methods <- lookup_methods(method_list, call = call)
  parameters <- check_parameters(parameters, call = call)
  threads <- check_threads(threads, call = call)
  prep <- pairs_with_min_snps(dat, 2L, "heterogeneity", call = call)
  cols <- c("id.exposure", "id.outcome", "outcome", "exposure", "method", "Q", "Q_df", "Q_pval")
  if (nrow(prep$pairs) == 0L) return(empty_table(c(cols, "I2", "Q_pval_log10")))
  out <- run_methods_on_pairs(prep, methods, parameters, threads)[cols]
  out <- out[!(is.na(out$Q) & is.na(out$Q_df) & is.na(out$Q_pval)), , drop = FALSE]
  out$I2 <- pmax(0, (out$Q - out$Q_df) / out$Q)
  out$Q_pval_log10 <- log10_p_chisq_upper(out$Q, out$Q_df)
  rownames(out) <- NULL
  with_audit(out, prep$audit)
}

#' MR-Egger intercept test of directional pleiotropy
#'
#' The MR-Egger intercept per exposure-outcome pair, as 'TwoSampleMR''s
#' `mr_pleiotropy_test()`: its standard error is floored at the fixed-effect one and its
#' p-value comes from Student's t on `nsnp - 2` degrees of freedom. As in 'TwoSampleMR',
#' the default parameters are always used. Pairs with fewer than two usable variants are
#' skipped with a message; a pair with exactly two gives a row of `NA`s and a message.
#'
#' @inheritParams mr
#' @return A data frame with columns `id.exposure, id.outcome, outcome, exposure,
#'   egger_intercept, se, pval`.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 30, b = 0.2, pleiotropy = "directional", seed = 1)
#' mr_pleiotropy_test(dat)
mr_pleiotropy_test <- function(dat) {
  call <- rlang::current_env()
  prep <- pairs_with_min_snps(dat, 2L, "pleiotropy", call = call)
  cols <- c("id.exposure", "id.outcome", "outcome", "exposure", "egger_intercept", "se", "pval")
  if (nrow(prep$pairs) == 0L) return(empty_table(cols))
  out <- run_methods_on_pairs(prep, lookup_methods("mr_egger_regression"), default_parameters(), 1L)
  for (k in which(diff(prep$offsets) == 2L)) {
    cli::cli_inform("The MR-Egger intercept of {.val {prep$pairs$id.exposure[k]}} on {.val {prep$pairs$id.outcome[k]}} is {.val {NA}}: MR-Egger needs at least 3 SNPs, 2 are available.",
                    class = c("mrkit_message_too_few_snps", "mrkit_message"))
  }
  out <- data.frame(out[c("id.exposure", "id.outcome", "outcome", "exposure")],
                    egger_intercept = out$b_i, se = out$se_i, pval = out$pval_i,
                    stringsAsFactors = FALSE)
  rownames(out) <- NULL
  with_audit(out, prep$audit)
}

#' Leave-one-out analysis
#'
#' Refits `method` once without each variant, as 'TwoSampleMR''s `mr_leaveoneout()`: for a
#' pair with more than two usable variants, one row per omitted variant (named in `SNP`)
#' and a row `"All"` with every variant; with one or two variants only the `"All"` row;
#' without usable variants a single `"All"` row of `NA`s. The fits run in the C++ core,
#' threaded over the omitted variant; the inverse-variance weighted methods (`mr_ivw`,
#' `mr_ivw_mre`, `mr_ivw_fe`) use an O(J) closed form. A resampling method gets one seed
#' per subset, drawn from R's RNG (or `parameters$seed`), so `set.seed()` reproduces the
#' result for any number of threads.
#'
#' @inheritParams mr
#' @param method The method to refit: a function such as [mr_ivw] or a method name from
#'   [mr_method_list()] such as `"mr_ivw"`.
#' @return A data frame with columns `exposure, outcome, id.exposure, id.outcome,
#'   samplesize, SNP, b, se, p`; `samplesize` is the outcome sample size of the pair's
#'   first usable variant (`NA` without a `samplesize.outcome` column).
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 10, b = 0.2, seed = 1)
#' mr_leaveoneout(dat)
mr_leaveoneout <- function(dat, parameters = default_parameters(), method = mr_ivw,
                           threads = getOption("mrkit.threads", 1L)) {
  call <- rlang::current_env()
  obj <- resolve_method(method, substitute(method), "method", call = call)
  info <- lookup_methods(obj, call = call)
  parameters <- check_parameters(parameters, call = call)
  threads <- check_threads(threads, call = call)
  sens <- sensitivity_pairs(dat, call = call)
  rows <- lapply(seq_len(nrow(sens$all)), function(i) {
    k <- sens$index[i]
    if (is.na(k)) return(sensitivity_rows(sens$all[i, ], NA, "All", NA, NA, NA))
    x <- pair_data(sens$prep, k)
    J <- nrow(x)
    if (J > 2) {
      seeds <- method_seeds(info, J + 1L, parameters)
      res <- call_core(cpp_leave_one_out(x$beta.exposure, x$beta.outcome, x$se.exposure,
                                         x$se.outcome, obj, parameters, seeds, threads, TRUE),
                       what = "mr_leaveoneout()", call = call)
      snp <- c(as.character(x$SNP), "All")
    } else {
      res <- call_core(cpp_mr_method(obj, x$beta.exposure, x$beta.outcome, x$se.exposure,
                                     x$se.outcome, parameters, method_seeds(info, 1L, parameters),
                                     threads), what = "mr_leaveoneout()", call = call)
      snp <- "All"
    }
    sensitivity_rows(sens$all[i, ], outcome_samplesize(x), snp, res$b, res$se, res$pval)
  })
  with_audit(finish_sensitivity(rows), sens$prep$audit)
}

#' Single-variant analysis
#'
#' Each variant's own estimate by `single_method` (the Wald ratio by default), followed by
#' rows `"All - <method name>"` with each of `all_method` on all variants, as
#' 'TwoSampleMR''s `mr_singlesnp()`. A pair without usable variants gives a single row
#' `"No available data"`. Methods that cannot be estimated on the data (MR-Egger with
#' fewer than three variants) give rows of `NA`s. The fits run in the C++ core, threaded.
#'
#' @inheritParams mr
#' @param single_method Method applied to each variant alone: a name from
#'   [mr_method_list()] or a function such as [mr_wald_ratio].
#' @param all_method Methods applied to all variants: a character vector of names, or a
#'   function or list of functions.
#' @return A data frame with columns `exposure, outcome, id.exposure, id.outcome,
#'   samplesize, SNP, b, se, p`.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 10, b = 0.2, seed = 1)
#' mr_singlesnp(dat)
mr_singlesnp <- function(dat, parameters = default_parameters(), single_method = "mr_wald_ratio",
                         all_method = c("mr_ivw", "mr_egger_regression"),
                         threads = getOption("mrkit.threads", 1L)) {
  call <- rlang::current_env()
  single <- resolve_method(single_method, substitute(single_method), "single_method", call = call)
  all_expr <- substitute(all_method)
  if (is.function(all_method)) all_method <- list(all_method)
  if (is.list(all_method)) {
    labels <- if (is.call(all_expr) && identical(all_expr[[1]], quote(list))) as.list(all_expr)[-1] else
      vector("list", length(all_method))
    all_method <- vapply(seq_along(all_method), function(i) {
      resolve_method(all_method[[i]], labels[[i]], "all_method", call = call)
    }, character(1))
  }
  single_info <- lookup_methods(single, call = call)
  all_info <- lookup_methods(all_method, call = call)
  parameters <- check_parameters(parameters, call = call)
  threads <- check_threads(threads, call = call)
  sens <- sensitivity_pairs(dat, call = call)
  rows <- lapply(seq_len(nrow(sens$all)), function(i) {
    k <- sens$index[i]
    if (is.na(k)) return(sensitivity_rows(sens$all[i, ], NA, "No available data", NA, NA, NA))
    x <- pair_data(sens$prep, k)
    J <- nrow(x)
    seeds <- c(method_seeds(single_info, J, parameters),
               unlist(lapply(seq_len(nrow(all_info)), function(m) method_seeds(all_info[m, ], 1L, parameters))))
    res <- call_core(cpp_single_snp(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome,
                                    single, all_info$obj, parameters, as.double(seeds), threads),
                     what = "mr_singlesnp()", call = call)
    snp <- c(as.character(x$SNP), paste0("All - ", all_info$name))
    sensitivity_rows(sens$all[i, ], outcome_samplesize(x), snp, res$b, res$se, res$pval)
  })
  with_audit(finish_sensitivity(rows), sens$prep$audit)
}

# -- helpers ------------------------------------------------------------------------------

# The registry name of a method given as a name or as a function. A function is matched to
# mrkit's estimator of that name; otherwise the symbol it was passed as (e.g. mr_ivw or
# TwoSampleMR::mr_ivw) names it.
resolve_method <- function(method, expr, arg, call = rlang::caller_env()) {
  if (is.character(method) && length(method) == 1L && !is.na(method)) return(method)
  if (is.function(method)) {
    ns <- asNamespace("mrkit")
    for (obj in mr_method_list()$obj) {
      if (exists(obj, envir = ns, inherits = FALSE) && identical(method, get(obj, envir = ns))) return(obj)
    }
    if (is.call(expr) && (identical(expr[[1]], quote(`::`)) || identical(expr[[1]], quote(`:::`)))) {
      expr <- expr[[3]]
    }
    if (is.symbol(expr) && as.character(expr) %in% mr_method_list()$obj) return(as.character(expr))
  }
  abort_mrkit("unknown_method", c("{.arg {arg}} must be an MR method name or estimator function.",
                                  i = "See {.fn mr_method_list} for the available methods."), call = call)
}

# All exposure-outcome pairs of `dat` in TwoSampleMR's order (with the names of their first
# row) and, for each, its index among the pairs with usable variants (NA when none).
sensitivity_pairs <- function(dat, call = rlang::caller_env(), quiet_empty = FALSE) {
  # pairs_with_min_snps() names the pairs it skips itself; dropped rows are still announced
  prep <- withCallingHandlers(prepare_pairs(dat, call = call), mrkit_message_no_snps = function(m) {
    if (quiet_empty) invokeRestart("muffleMessage")
  })
  first <- !duplicated(dat[c("id.exposure", "id.outcome")])
  all <- dat[first, c("id.exposure", "id.outcome", "exposure", "outcome"), drop = FALSE]
  all <- all[order(all$id.exposure, all$id.outcome), , drop = FALSE]
  rownames(all) <- NULL
  index <- match(paste(all$id.exposure, all$id.outcome, sep = "\r"),
                 paste(prep$pairs$id.exposure, prep$pairs$id.outcome, sep = "\r"))
  all$exposure[!is.na(index)] <- prep$pairs$exposure[index[!is.na(index)]]
  all$outcome[!is.na(index)] <- prep$pairs$outcome[index[!is.na(index)]]
  list(prep = prep, all = all, index = index)
}

# The pairs with at least `min_snps` usable variants; a message names each pair skipped.
pairs_with_min_snps <- function(dat, min_snps, what, call = rlang::caller_env()) {
  sens <- sensitivity_pairs(dat, call = call, quiet_empty = TRUE)
  sizes <- diff(sens$prep$offsets)
  n <- ifelse(is.na(sens$index), 0L, sizes[sens$index])
  for (i in which(n < min_snps)) {
    cli::cli_inform("Not enough SNPs available for {what} analysis of {.val {sens$all$id.exposure[i]}} on {.val {sens$all$id.outcome[i]}}.")
  }
  subset_prep(sens$prep, which(sizes >= min_snps))
}

# Restrict a prepare_pairs() result to the pairs `keep`.
subset_prep <- function(prep, keep) {
  sizes <- diff(prep$offsets)
  rows <- unlist(lapply(keep, function(k) seq_len(sizes[k]) + prep$offsets[k]))
  list(data = prep$data[rows %||% integer(), , drop = FALSE],
       pairs = prep$pairs[keep, , drop = FALSE],
       offsets = c(0L, cumsum(sizes[keep])), audit = prep$audit)
}

pair_data <- function(prep, k) prep$data[seq(prep$offsets[k] + 1L, prep$offsets[k + 1L]), , drop = FALSE]

outcome_samplesize <- function(x) {
  if ("samplesize.outcome" %in% names(x)) x$samplesize.outcome[1] else NA
}

# Base seeds for `n` fits of a method: draws from R's RNG for resampling methods, zeros otherwise.
method_seeds <- function(info, n, parameters) {
  if (!isTRUE(info$resampling)) return(rep(0, n))
  vapply(seq_len(n), function(i) draw_seed(parameters), numeric(1))
}

sensitivity_rows <- function(pair, samplesize, snp, b, se, p) {
  data.frame(exposure = pair$exposure, outcome = pair$outcome, id.exposure = pair$id.exposure,
             id.outcome = pair$id.outcome, samplesize = samplesize, SNP = snp,
             b = as.double(b), se = as.double(se), p = as.double(p), stringsAsFactors = FALSE)
}

finish_sensitivity <- function(rows) {
  cols <- c("exposure", "outcome", "id.exposure", "id.outcome", "samplesize", "SNP", "b", "se", "p")
  if (length(rows) == 0L) return(empty_table(cols))
  out <- do.call(rbind, rows)
  rownames(out) <- NULL
  out
}

empty_table <- function(cols) {
  out <- as.data.frame(stats::setNames(rep(list(logical()), length(cols)), cols))
  out
}
