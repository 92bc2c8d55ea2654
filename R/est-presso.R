#' MR-PRESSO: pleiotropy residual sum and outlier test
#'
#' The MR-PRESSO global test of horizontal pleiotropy, the per-variant outlier test and the
#' distortion test (Verbanck et al. 2018, Nature Genetics 50:693-698, \doi{10.1038/s41588-018-0099-7}), with the arguments and the return structure of the
#' 'MRPRESSO' package, computed in the C++ core: all leave-one-out fits of a data set by
#' rank-one downdates, the `NbDistribution` null replicates on `threads` threads.
#'
#' The algorithm follows 'MRPRESSO' 1.0, including its conventions: variants are oriented by
#' the sign of the first exposure (a zero effect zeroes the row); weights are
#' `1 / SdOutcome^2`; null data draw every exposure effect from `N(beta, se)` and the outcome
#' effect from `N(beta_exposure * theta_-j, SdOutcome)` with the observed exposure effects and
#' the observed leave-one-out fit; empirical p-values count strict exceedances; outlier
#' p-values are multiplied by the number of variants (capped at 1) and a variant is an outlier
#' when that p-value is at most `SignifThreshold`; the outlier test only runs when the global
#' p-value is below `SignifThreshold`; the distortion null refits on the outliers followed by
#' random non-outliers, truncated to `J - m` rows (with a single non-outlier at row `i`, the
#' draw is uniform on rows `1..i`, as R's `sample(i)`); the outlier-corrected estimate exists
#' only when the distortion test ran and flagged at least one and not every variant. With
#' several exposures the distortion `Pvalue` reproduces 'MRPRESSO''s recycling of the
#' per-exposure vectors (and can exceed 1); per-exposure p-values are in [mr_presso_tidy()].
#'
#' The random numbers come from mrkit's own per-replicate streams, not R's generator, so the
#' Monte Carlo p-values agree with 'MRPRESSO' only within Monte Carlo error; everything else
#' (estimates, RSS, outlier set when not at the threshold) agrees exactly. Each empirical
#' p-value has its Monte Carlo standard error \eqn{\sqrt{p(1-p)/N}} beside it in
#' [mr_presso_tidy()] (for the outlier test, times the number of variants).
#'
#' A harmonised table (as from [harmonise_data()], one exposure-outcome pair) can be given
#' alone, `mr_presso(dat)` or `mr_presso(data = dat)`: the column names then default to
#' 'TwoSampleMR''s `beta.outcome`, `beta.exposure`, `se.outcome`, `se.exposure`, and the
#' rows used follow the rule of [mr_input] (`mr_keep` and complete values), which also
#' applies to a `data` with an `mr_keep` column when the names are given. Name all four
#' columns or none: a missing argument is an error of class `mrkit_error_missing_argument`.
#' Rows left out are announced in one message and listed in `attr(result, "audit")`.
#'
#' @param BetaOutcome Name of the column of SNP-outcome effects; or a harmonised table,
#'   with the other column arguments and `data` omitted.
#' @param BetaExposure Name(s) of the column(s) of SNP-exposure effects; several names give
#'   the multivariable model.
#' @param SdOutcome Name of the column of SNP-outcome standard errors.
#' @param SdExposure Name(s) of the column(s) of SNP-exposure standard errors, in the order of
#'   `BetaExposure`.
#' @param data A data frame; rows with `mr_keep` `FALSE` (when it has that column) or a
#'   missing value in these columns are not used.
#' @param OUTLIERtest Run the outlier test (when the global test is significant).
#' @param DISTORTIONtest Run the distortion test (when the outlier test ran).
#' @param SignifThreshold Significance threshold, at most 1.
#' @param NbDistribution Number of null replicates; must exceed the number of variants.
#' @param seed `NULL` to draw the stream seed from R's RNG (so [set.seed()] reproduces the
#'   result), or a non-negative whole number that fixes it. The seed used is recorded in
#'   `attr(result, "mrkit")$seed`.
#' @param threads Number of threads for the null replicates; results are identical for any
#'   number.
#' @return A list of class `mrkit_presso`: `"Main MR results"`, a data frame with columns
#'   `Exposure, MR Analysis, Causal Estimate, Sd, T-stat, P-value` (rows `"Raw"` and
#'   `"Outlier-corrected"` per exposure; standard errors as `summary(lm())`, p-values from
#'   Student t on `J - K` degrees of freedom), and `"MR-PRESSO results"`, a list with
#'   `"Global Test"` (`RSSobs`, `Pvalue`), and when they ran `"Outlier Test"` (a data frame
#'   `RSSobs`, `Pvalue`, one row per variant) and `"Distortion Test"` (`"Outliers Indices"`,
#'   `"Distortion Coefficient"` in percent, `Pvalue`). A p-value of 0 is reported as the text
#'   `"<1/NbDistribution"` (outlier test: `"<J/NbDistribution"`), as 'MRPRESSO' does.
#'   Attribute `"mrkit"` holds the seed, the settings, numeric p-values and their Monte
#'   Carlo standard errors (`global_p`, `outlier_p` (Bonferroni-corrected; 0 means below
#'   `J / NbDistribution`), `outlier_p_raw`, ...), `global_significant` and `outlier`
#'   (logical, MR-PRESSO's flags: `outlier_p <= SignifThreshold`; empty when the outlier
#'   test did not run), and the expected per-variant RSS of the outlier test
#'   (`outlier_rss_exp`, drawn by [mr_presso_plot()]). Attribute `"audit"` when rows were
#'   left out (see [mr_input]).
#' @seealso [run_mr_presso()] for harmonised data, [mr_presso_tidy()] for tidy tables.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 1)
#' res <- mr_presso("beta.outcome", "beta.exposure", "se.outcome", "se.exposure", data = d,
#'                  OUTLIERtest = TRUE, DISTORTIONtest = TRUE, NbDistribution = 1000, seed = 1)
#' res$`Main MR results`
#' # A harmonised table alone:
#' res <- mr_presso(d, OUTLIERtest = TRUE, NbDistribution = 1000, seed = 1)
#' which(attr(res, "mrkit")$outlier)
mr_presso <- function(BetaOutcome, BetaExposure, SdOutcome, SdExposure, data, OUTLIERtest = FALSE,
                      DISTORTIONtest = FALSE, SignifThreshold = 0.05, NbDistribution = 1000,
                      seed = NULL, threads = getOption("mrkit.threads", 1L)) {
  call <- rlang::current_env()
  miss <- c(BetaOutcome = missing(BetaOutcome), BetaExposure = missing(BetaExposure),
            SdOutcome = missing(SdOutcome), SdExposure = missing(SdExposure))
  if (!miss[["BetaOutcome"]] && is.data.frame(BetaOutcome) && all(miss[-1L]) && missing(data)) {
    data <- BetaOutcome                      # mr_presso(dat)
    miss[] <- TRUE
  }
  if (missing(data)) {
    abort_mrkit("missing_argument", c("{.arg data} is missing.",
                                      i = "Pass a harmonised table, {.code mr_presso(dat)}, or column names and {.arg data}."),
                call = call)
  }
  cols <- presso_columns(miss, list(BetaOutcome = if (!miss[["BetaOutcome"]]) BetaOutcome,
                                    BetaExposure = if (!miss[["BetaExposure"]]) BetaExposure,
                                    SdOutcome = if (!miss[["SdOutcome"]]) SdOutcome,
                                    SdExposure = if (!miss[["SdExposure"]]) SdExposure), call = call)
  BetaOutcome <- cols$BetaOutcome
  BetaExposure <- cols$BetaExposure
  inp <- presso_input(cols$BetaOutcome, cols$BetaExposure, cols$SdOutcome, cols$SdExposure, data,
                      snp_names = all(miss), call = call)
  check_presso_settings(OUTLIERtest, DISTORTIONtest, SignifThreshold, NbDistribution, call = call)
  threads <- check_threads(threads, call = call)
  J <- length(inp$by)
  K <- ncol(inp$bx)
  if (J <= K + 2L) {
    abort_mrkit("too_few_snps", c("MR-PRESSO needs more than {K + 2} complete variants with {K} exposure{?s} (rule: J > K + 2).",
                                  x = "There {?is/are} {J} complete variant{?s}."), call = call)
  }
  if (J >= NbDistribution) {
    abort_mrkit("nb_distribution", c("{.arg NbDistribution} must exceed the number of variants to give empirical p-values (rule: J < NbDistribution).",
                                     x = "{J} variant{?s} and NbDistribution = {NbDistribution}."), call = call)
  }
  seed <- presso_seed(seed, call = call)
  fit <- call_core(cpp_presso(inp$bx, inp$by, inp$sx, inp$sy, c(isTRUE(OUTLIERtest), isTRUE(DISTORTIONtest)),
                              as.double(SignifThreshold), as.integer(NbDistribution), seed, threads),
                   what = "mr_presso()", call = call)
  res <- presso_result(fit, inp, BetaExposure, BetaOutcome, OUTLIERtest, DISTORTIONtest,
                       SignifThreshold, as.integer(NbDistribution), seed)
  with_audit(res, inp$audit)
}

#' MR-PRESSO on harmonised data
#'
#' Runs [mr_presso()] with `OUTLIERtest = TRUE` and `DISTORTIONtest = TRUE` on the usable
#' variants (`mr_keep`, complete effects and standard errors) of every exposure-outcome pair
#' of a harmonised table, as 'TwoSampleMR''s `run_mr_presso()`. Each pair draws its own seed
#' from R's RNG, so [set.seed()] reproduces the whole run. The rows of each outlier table are
#' named by `SNP`. A pair with too few variants (at most 3) gives `NULL`. Rows not used
#' (rule of [mr_input]) and the rows of pairs too small to test are announced in one message
#' and listed in `attr(result, "audit")`. Pairs without an outlier-corrected estimate are
#' announced in one warning, with the reason of each (the global test not significant, so
#' the outlier test did not run; no outliers; all variants outliers). Progress over the
#' pairs is reported through 'progressr' when the user has enabled it
#' (`progressr::with_progress()` or `progressr::handlers(global = TRUE)`).
#'
#' @param dat Harmonised data, as from [harmonise_data()].
#' @inheritParams mr_presso
#' @return A list with one [mr_presso()] result per pair, with attributes `id.exposure`,
#'   `id.outcome`, `exposure` and `outcome` naming the pairs in order.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 2)
#' set.seed(1)
#' res <- run_mr_presso(dat, NbDistribution = 1000)
#' res[[1]]$`MR-PRESSO results`$`Global Test`
run_mr_presso <- function(dat, NbDistribution = 1000, SignifThreshold = 0.05,
                          threads = getOption("mrkit.threads", 1L)) {
  call <- rlang::current_env()
  prep <- prepare_pairs(dat, call = call, announce = FALSE)  # audited below with the skipped pairs
  check_presso_settings(TRUE, TRUE, SignifThreshold, NbDistribution, call = call)
  threads <- check_threads(threads, call = call)
  pairs <- prep$pairs
  res <- vector("list", nrow(pairs))
  audit <- prep$audit
  audit$row <- match(paste(audit$id.exposure, audit$id.outcome, audit$SNP),
                     paste(dat$id.exposure, dat$id.outcome, dat$SNP))
  no_correction <- vector("list", nrow(pairs))
  progress <- design_progressor(nrow(pairs))
  for (k in seq_len(nrow(pairs))) {
    x <- pair_data(prep, k)
    if (nrow(x) <= 3L) {
      progress()
      too_few <- data.frame(id.exposure = x$id.exposure, id.outcome = x$id.outcome, SNP = as.character(x$SNP),
                            reason = "pair has fewer than 4 usable variants: MR-PRESSO not run",
                            row = match(paste(x$id.exposure, x$id.outcome, x$SNP),
                                        paste(dat$id.exposure, dat$id.outcome, dat$SNP)),
                            stringsAsFactors = FALSE)
      audit <- rbind(audit, too_few[names(audit)])
      next
    }
    x <- data.frame(beta.exposure = x$beta.exposure, beta.outcome = x$beta.outcome,
                    se.exposure = x$se.exposure, se.outcome = x$se.outcome,
                    row.names = make.unique(as.character(x$SNP)))
    # The pairs without a corrected estimate are announced once, below.
    r <- withCallingHandlers(
      mr_presso("beta.outcome", "beta.exposure", "se.outcome", "se.exposure", data = x,
                OUTLIERtest = TRUE, DISTORTIONtest = TRUE, SignifThreshold = SignifThreshold,
                NbDistribution = NbDistribution, threads = threads),
      mrkit_warning_presso_no_correction = function(w) invokeRestart("muffleWarning"))
    progress()
    info <- attr(r, "mrkit")
    no_correction[k] <- list(info$no_correction)
    info$ids <- list(id.exposure = pairs$id.exposure[k], id.outcome = pairs$id.outcome[k],
                     exposure = pairs$exposure[k], outcome = pairs$outcome[k])
    attr(r, "mrkit") <- info
    res[k] <- list(r)
  }
  warn_presso_no_correction(no_correction, sum(!vapply(res, is.null, logical(1))))
  attr(res, "id.exposure") <- pairs$id.exposure
  attr(res, "id.outcome") <- pairs$id.outcome
  attr(res, "exposure") <- pairs$exposure
  attr(res, "outcome") <- pairs$outcome
  class(res) <- c("mrkit_presso_list", "mrkit_pair_list", "list")
  audit <- audit[c("id.exposure", "id.outcome", "SNP", "row", "reason")]
  rownames(audit) <- NULL
  announce_dropped(audit, nrow(dat), "run_mr_presso()")
  with_audit(res, audit)
}

#' Tidy tables of MR-PRESSO results
#'
#' Turns a [mr_presso()] result, or the list returned by [run_mr_presso()], into data frames:
#' the raw and outlier-corrected estimates in the shape of [mr()]'s result, and the global,
#' outlier and distortion tests with numeric p-values and their Monte Carlo standard errors.
#'
#' @param x A result of [mr_presso()] or [run_mr_presso()].
#' @return A list of four data frames, each starting with `id.exposure, id.outcome, outcome,
#'   exposure` (the ids are `NA` for a direct [mr_presso()] call, where `exposure` and
#'   `outcome` are the column names):
#'   * `estimates`: `method` (`"MR-PRESSO (raw)"`, `"MR-PRESSO (outlier-corrected)"`),
#'     `nsnp, b, se, pval`; the corrected row is `NA` when there is no correction.
#'   * `global`: `nsnp, RSSobs, pval, mcse, NbDistribution, seed`.
#'   * `outliers`: `SNP, RSSobs, pval` (Bonferroni-corrected), `pval_raw`, `mcse` (of `pval`),
#'     `outlier` (`pval <= SignifThreshold`); no rows when the outlier test did not run.
#'   * `distortion`: `status`, `n_outliers`, `outlier_indices` (`;`-separated),
#'     `distortion_coefficient` (percent), `pval` (per exposure), `mcse`; no rows when the
#'     distortion test did not run.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 1)
#' res <- mr_presso("beta.outcome", "beta.exposure", "se.outcome", "se.exposure", data = d,
#'                  OUTLIERtest = TRUE, DISTORTIONtest = TRUE, NbDistribution = 1000, seed = 1)
#' mr_presso_tidy(res)$estimates
mr_presso_tidy <- function(x) {
  if (inherits(x, "mrkit_presso")) x <- list(x)
  ok <- is.list(x) && all(vapply(x, function(r) is.null(r) || inherits(r, "mrkit_presso"), logical(1)))
  if (!ok) {
    abort_mrkit("input_type", "{.arg x} must be a result of {.fn mr_presso} or {.fn run_mr_presso}.")
  }
  parts <- lapply(Filter(Negate(is.null), x), presso_tidy_one)
  bind <- function(what) {
    out <- do.call(rbind, lapply(parts, `[[`, what))
    rownames(out) <- NULL
    out
  }
  if (length(parts) == 0L) return(list(estimates = NULL, global = NULL, outliers = NULL, distortion = NULL))
  list(estimates = bind("estimates"), global = bind("global"), outliers = bind("outliers"),
       distortion = bind("distortion"))
}

#' @export
print.mrkit_presso <- function(x, ...) {
  info <- attr(x, "mrkit")
  print(unclass(x)[c("Main MR results", "MR-PRESSO results")], ...)
  cat(sprintf("MR-PRESSO (mrkit): %d variants, NbDistribution = %d, seed = %s\n",
              info$nsnp, info$NbDistribution, format(info$seed, scientific = FALSE)))
  invisible(x)
}

# -- helpers ------------------------------------------------------------------------------

# The column names: all four given, or none (a harmonised table: TwoSampleMR's names).
presso_columns <- function(miss, given, call) {
  tsmr <- list(BetaOutcome = "beta.outcome", BetaExposure = "beta.exposure", SdOutcome = "se.outcome",
               SdExposure = "se.exposure")
  if (all(miss)) return(tsmr)
  if (any(miss)) {
    abort_mrkit("missing_argument", c("{.arg {names(miss)[miss]}} {?is/are} missing.",
                                      i = "Name all four columns, or none to use a harmonised table's {.field {unlist(tsmr)}}."),
                call = call)
  }
  given
}

presso_input <- function(BetaOutcome, BetaExposure, SdOutcome, SdExposure, data, snp_names = FALSE,
                         call) {
  for (a in list(list("BetaOutcome", BetaOutcome), list("SdOutcome", SdOutcome))) {
    if (!is.character(a[[2]]) || length(a[[2]]) != 1L || is.na(a[[2]])) {
      abort_mrkit("input_type", "{.arg {a[[1]]}} must be a single column name.", call = call)
    }
  }
  for (a in list(list("BetaExposure", BetaExposure), list("SdExposure", SdExposure))) {
    if (!is.character(a[[2]]) || length(a[[2]]) < 1L || anyNA(a[[2]])) {
      abort_mrkit("input_type", "{.arg {a[[1]]}} must be a character vector of column names.", call = call)
    }
  }
  if (length(BetaExposure) != length(SdExposure)) {
    abort_mrkit("input_length", c("{.arg BetaExposure} and {.arg SdExposure} must have the same number of elements.",
                                  x = "They have {length(BetaExposure)} and {length(SdExposure)}."), call = call)
  }
  if (!is.data.frame(data)) {
    abort_mrkit("input_type", "{.arg data} must be a data frame, not {.cls {class(data)}}.", call = call)
  }
  cols <- c(BetaOutcome, BetaExposure, SdOutcome, SdExposure)
  check_columns(data, cols, what = "data", call = call)
  data <- as.data.frame(data)
  check_one_pair(data, call = call)
  n <- nrow(data)
  eligible <- if ("mr_keep" %in% names(data)) !is.na(data$mr_keep) & as.logical(data$mr_keep) else rep(TRUE, n)
  for (col in unique(cols)) {
    v <- data[[col]]
    if (!(is.numeric(v) || is.logical(v) && all(is.na(v)))) {
      abort_mrkit("input_type", c("Column {.field {col}} must be numeric.", x = "It is {.cls {class(v)}}."), call = call)
    }
  }
  snp <- if ("SNP" %in% names(data)) as.character(data$SNP) else rownames(data)
  for (col in unique(cols)) {
    bad <- which(eligible & is.infinite(data[[col]]))
    if (length(bad)) {
      abort_mrkit("input_value", c("Column {.field {col}} must be finite.",
                                   x = "SNP{?s} {.val {snp[bad]}} {?has/have} infinite values."), call = call)
    }
  }
  complete <- rowSums(is.na(data[, cols, drop = FALSE])) == 0
  keep <- eligible & complete
  dup <- which(keep & duplicated(ifelse(keep, snp, NA)) & "SNP" %in% names(data))
  if (length(dup)) {
    abort_mrkit("duplicated_snp", c("Each SNP may appear once per exposure-outcome pair.",
                                    x = "Duplicated SNP{?s}: {.val {unique(snp[dup])}}."), call = call)
  }
  reason <- ifelse(!eligible, "mr_keep is FALSE", "missing effect or standard error")
  audit <- rows_audit(which(!keep), reason[!keep], snp,
                      list(id.exposure = pair_id(data, "id.exposure"), id.outcome = pair_id(data, "id.outcome")))
  d <- data[keep, cols, drop = FALSE]
  if (snp_names && "SNP" %in% names(data)) rownames(d) <- make.unique(snp[keep])
  bad <- which(d[[SdOutcome]] <= 0)
  if (length(bad)) {
    abort_mrkit("se_nonpositive", c("Column {.field {SdOutcome}} must be positive (rule: SE > 0).",
                                    x = "Row{?s} {rownames(d)[bad]} {?has/have} SE <= 0."), call = call)
  }
  for (col in SdExposure) {
    bad <- which(d[[col]] < 0)
    if (length(bad)) {
      abort_mrkit("se_nonpositive", c("Column {.field {col}} must not be negative (rule: SE >= 0).",
                                      x = "Row{?s} {rownames(d)[bad]} {?has/have} SE < 0."), call = call)
    }
  }
  announce_dropped(audit, n, call_label(call))
  list(bx = as.matrix(d[, BetaExposure, drop = FALSE]) + 0, by = as.double(d[[BetaOutcome]]),
       sx = as.matrix(d[, SdExposure, drop = FALSE]) + 0, sy = as.double(d[[SdOutcome]]),
       rownames = rownames(d), audit = audit)
}

check_presso_settings <- function(OUTLIERtest, DISTORTIONtest, SignifThreshold, NbDistribution, call) {
  for (a in list(list("OUTLIERtest", OUTLIERtest), list("DISTORTIONtest", DISTORTIONtest))) {
    if (!is.logical(a[[2]]) || length(a[[2]]) != 1L || is.na(a[[2]])) {
      abort_mrkit("parameter", "{.arg {a[[1]]}} must be TRUE or FALSE.", call = call)
    }
  }
  if (!is.numeric(SignifThreshold) || length(SignifThreshold) != 1L || is.na(SignifThreshold) ||
      SignifThreshold <= 0) {
    abort_mrkit("parameter", "{.arg SignifThreshold} must be a single positive number.", call = call)
  }
  if (SignifThreshold > 1) {
    abort_mrkit("parameter", c("The significance threshold cannot be greater than 1 (rule: SignifThreshold <= 1).",
                               x = "{.arg SignifThreshold} is {SignifThreshold}."), call = call)
  }
  if (!is.numeric(NbDistribution) || length(NbDistribution) != 1L || is.na(NbDistribution) ||
      NbDistribution < 1 || NbDistribution != round(NbDistribution) || NbDistribution > .Machine$integer.max) {
    abort_mrkit("parameter", "{.arg NbDistribution} must be a single whole number >= 1.", call = call)
  }
  invisible(TRUE)
}

presso_seed <- function(seed, call) {
  if (is.null(seed)) return(floor(stats::runif(1L) * 2^31))
  if (!is.numeric(seed) || length(seed) != 1L || is.na(seed) || seed < 0 || seed != round(seed) ||
      seed >= 2^53) {
    abort_mrkit("parameter", "{.arg seed} must be NULL or a single non-negative whole number.", call = call)
  }
  as.double(seed)
}

# The 'MRPRESSO' text for an empirical p-value of 0.
presso_format_p <- function(p, zero_text) {
  if (length(p) == 0L) return(p)
  if (any(p == 0, na.rm = TRUE)) replace(p, which(p == 0), zero_text) else p
}

presso_result <- function(fit, inp, BetaExposure, BetaOutcome, OUTLIERtest, DISTORTIONtest,
                          SignifThreshold, N, seed) {
  J <- length(inp$by)
  K <- length(BetaExposure)
  main_rows <- function(label, f) {
    data.frame(Exposure = BetaExposure, `MR Analysis` = label, `Causal Estimate` = f$b, Sd = f$se,
               `T-stat` = f$t, `P-value` = f$p, check.names = FALSE, stringsAsFactors = FALSE)
  }
  corrected <- isTRUE(fit$distortion_ran) && identical(fit$distortion_status, 1L)
  no_correction <- if (!corrected) presso_no_correction_reason(fit, OUTLIERtest, DISTORTIONtest, SignifThreshold)
  if (!corrected) {
    warn_mrkit("presso_no_correction", paste0("The outlier-corrected MR results are NA: ", no_correction, "."))
  }
  main <- rbind(main_rows("Raw", fit$raw), main_rows("Outlier-corrected", fit$corrected))
  rownames(main) <- NULL

  global <- list(RSSobs = fit$rss_obs,
                 Pvalue = if (fit$global_p == 0) paste0("<", 1 / N) else fit$global_p)
  res <- list(`Global Test` = global)
  if (isTRUE(fit$outlier_ran)) {
    ot <- data.frame(RSSobs = fit$outlier_rss, Pvalue = presso_format_p(fit$outlier_p, paste0("<", J / N)),
                     row.names = inp$rownames, stringsAsFactors = FALSE)
    res$`Outlier Test` <- ot
    if (isTRUE(DISTORTIONtest)) {
      res$`Distortion Test` <- switch(as.character(fit$distortion_status),
        "0" = list(`Outliers Indices` = "No significant outliers", `Distortion Coefficient` = NA, Pvalue = NA),
        "2" = list(`Outliers Indices` = "All SNPs considered as outliers", `Distortion Coefficient` = NA, Pvalue = NA),
        list(`Outliers Indices` = fit$outliers,
             `Distortion Coefficient` = stats::setNames(fit$distortion_coef, BetaExposure),
             Pvalue = if (fit$distortion_p == 0) paste0("<", 1 / N) else fit$distortion_p))
    }
    if (J / N > SignifThreshold) {
      warn_mrkit("presso_unstable", c("The outlier test is unstable: a corrected p-value below {SignifThreshold} cannot be reached with NbDistribution = {N} and {J} variants.",
                                      i = "Corrected p-values move in steps of {J / N}; increase {.arg NbDistribution}."))
    }
  }
  out <- list(`Main MR results` = main, `MR-PRESSO results` = res)
  attr(out, "mrkit") <- list(
    seed = seed, NbDistribution = N, SignifThreshold = SignifThreshold, nsnp = J,
    exposure = BetaExposure, outcome = BetaOutcome, snp = inp$rownames,
    global_p = fit$global_p, global_mcse = fit$global_mcse,
    global_significant = fit$global_p < SignifThreshold,
    outlier_p = fit$outlier_p, outlier_p_raw = fit$outlier_p_raw, outlier_mcse = fit$outlier_mcse,
    # Mean of each variant's null residual square (by* - bx* theta_-j)^2 in the outlier test:
    # sy^2 + sum_k theta_-j,k^2 sx_k^2. Drawn by mr_presso_plot() against RSSobs.
    outlier_rss_exp = if (isTRUE(fit$outlier_ran)) inp$sy^2 + rowSums(as.matrix(fit$theta_loo)^2 * inp$sx^2),
    outlier = if (isTRUE(fit$outlier_ran)) fit$outlier_p <= SignifThreshold else logical(),
    outliers = fit$outliers, distortion_status = fit$distortion_status,
    distortion_p = fit$distortion_p, distortion_p_k = fit$distortion_p_k,
    distortion_mcse = fit$distortion_mcse, no_correction = no_correction, ids = NULL)
  class(out) <- c("mrkit_presso", "list")
  out
}

# Why there is no outlier-corrected estimate, as the tests ran (no braces: used in cli text).
presso_no_correction_reason <- function(fit, OUTLIERtest, DISTORTIONtest, SignifThreshold) {
  if (!isTRUE(OUTLIERtest)) return("the outlier test was not requested (OUTLIERtest = FALSE)")
  if (!isTRUE(fit$outlier_ran)) {
    return(sprintf("the global test found no horizontal pleiotropy (p >= %s), so the outlier test did not run",
                   format(SignifThreshold)))
  }
  if (!isTRUE(fit$distortion_ran)) return("the distortion test was not requested (DISTORTIONtest = FALSE)")
  if (identical(fit$distortion_status, 2L)) return("all variants were identified as outliers")
  "no outliers were identified"
}

# run_mr_presso(): one warning for all pairs without a corrected estimate, by reason.
warn_presso_no_correction <- function(reasons, n_pairs) {
  reasons <- unlist(reasons)
  if (!length(reasons)) return(invisible())
  tab <- table(factor(reasons, levels = unique(reasons)))
  parts <- sprintf("%s (%d pair%s)", names(tab), as.integer(tab), ifelse(tab == 1L, "", "s"))
  if (n_pairs == 1L) parts <- names(tab)
  warn_mrkit("presso_no_correction",
             paste0("The outlier-corrected MR results are NA", if (n_pairs > 1L) sprintf(" for %d of %d pairs", length(reasons), n_pairs),
                    ": ", paste(parts, collapse = "; "), "."))
}

presso_tidy_one <- function(r) {
  info <- attr(r, "mrkit")
  ids <- info$ids %||% list(id.exposure = NA_character_, id.outcome = NA_character_,
                            exposure = NA_character_, outcome = info$outcome)
  K <- length(info$exposure)
  expo <- if (is.null(info$ids)) info$exposure else rep(ids$exposure, K)
  id_cols <- function(n, exposure = rep(expo, length.out = n)) {
    data.frame(id.exposure = rep(ids$id.exposure, n), id.outcome = rep(ids$id.outcome, n),
               outcome = rep(ids$outcome, n), exposure = exposure, stringsAsFactors = FALSE)
  }
  main <- r$`Main MR results`
  m <- length(info$outliers)
  nsnp_cor <- ifelse(is.na(main$`Causal Estimate`[main$`MR Analysis` == "Outlier-corrected"]), NA_integer_,
                     as.integer(info$nsnp - m))
  est <- cbind(id_cols(2L * K, rep(expo, 2L)),
               method = rep(c("MR-PRESSO (raw)", "MR-PRESSO (outlier-corrected)"), each = K),
               nsnp = c(rep(as.integer(info$nsnp), K), nsnp_cor),
               b = main$`Causal Estimate`, se = main$Sd, pval = main$`P-value`, stringsAsFactors = FALSE)
  global <- cbind(id_cols(1L, paste(expo, collapse = "+")), nsnp = as.integer(info$nsnp),
                  RSSobs = r$`MR-PRESSO results`$`Global Test`$RSSobs, pval = info$global_p,
                  mcse = info$global_mcse, NbDistribution = info$NbDistribution, seed = info$seed)
  ot <- r$`MR-PRESSO results`$`Outlier Test`
  outliers <- if (is.null(ot)) {
    cbind(id_cols(0L, character()), SNP = character(), RSSobs = numeric(), pval = numeric(),
          pval_raw = numeric(), mcse = numeric(), outlier = logical())
  } else {
    cbind(id_cols(nrow(ot), rep(paste(expo, collapse = "+"), nrow(ot))), SNP = info$snp,
          RSSobs = ot$RSSobs, pval = info$outlier_p, pval_raw = info$outlier_p_raw,
          mcse = info$outlier_mcse, outlier = info$outlier_p <= info$SignifThreshold,
          stringsAsFactors = FALSE)
  }
  dt <- r$`MR-PRESSO results`$`Distortion Test`
  distortion <- if (is.null(dt)) {
    cbind(id_cols(0L, character()), status = character(), n_outliers = integer(),
          outlier_indices = character(), distortion_coefficient = numeric(), pval = numeric(),
          mcse = numeric())
  } else {
    status <- c("No significant outliers", "tested", "All SNPs considered as outliers")[info$distortion_status + 1L]
    tested <- identical(info$distortion_status, 1L)
    p_k <- if (tested) info$distortion_p_k else rep(NA_real_, K)
    cbind(id_cols(K), status = status, n_outliers = m,
          outlier_indices = paste(info$outliers, collapse = ";"),
          distortion_coefficient = if (tested) unname(dt$`Distortion Coefficient`) else NA_real_,
          pval = p_k, mcse = sqrt(p_k * (1 - p_k) / info$NbDistribution), stringsAsFactors = FALSE)
  }
  list(estimates = est, global = global, outliers = outliers, distortion = distortion)
}
