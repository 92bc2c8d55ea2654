#' Perform Mendelian randomization
#'
#' Runs each method of `method_list` on every exposure-outcome pair of a harmonised table,
#' as 'TwoSampleMR''s `mr()` does, with the same method names, row order and result
#' columns. Pairs run in parallel on `threads` threads; resampling estimators take one seed
#' per pair and method from R's RNG, so `set.seed()` reproduces results for any number of
#' threads.
#'
#' Only rows with `mr_keep == TRUE` and complete effects and standard errors are used;
#' every other row is listed with its reason in `attr(result, "audit")`. With more than one
#' variant the Wald ratio gives no row; with one variant only the Wald ratio does (rows in
#' which `b`, `se` and `pval` are all `NA` are dropped, as in 'TwoSampleMR').
#'
#' @section Confidence intervals and p-values:
#' The interval is `b -/+ q * se`, with `q` the `1 - alpha / 2` quantile of the same
#' distribution as the method's p-value, so that it excludes 0 exactly when `pval < alpha`.
#' Under the default `distribution = "TwoSampleMR"` that is Student t on `nsnp - 2`
#' degrees of freedom for MR-Egger (and its robust and penalised versions) and on
#' `nsnp - 1` for the mode estimators, and the normal distribution for the others. With
#' `distribution = "normal"` it is the normal for every method, and with `distribution =
#' "t"` Student t on `nsnp - 1` (MR-Egger: `nsnp - 2`), except where a method's p-value
#' ignores the setting: the Wald ratio, MR-RAPS and dIVW are always normal, MR-GRIP always
#' t on `nsnp - 2`. Under `distribution = "t"`, MR-Egger with residual standard error
#' `sigma < 1` follows 'MendelianRandomization' (the larger of a normal p-value and a t
#' p-value on the SE times `sigma`) with the interval that agrees with it, the wider of the
#' two intervals.
#'
#' Methods whose p-value is not a test of `b / se` differ: the contamination mixture and
#' pIVW report their own intervals (profile likelihood; bootstrap Fieller), the outermost
#' bounds when the interval is a union of several; the sign concordance test (binomial p,
#' no SE) has no interval; the MR-Egger bootstrap reports `b -/+ qnorm(1 - alpha / 2) * se`
#' from the bootstrap SD, with a p-value that counts replicates. For these the interval
#' and the p-value need not agree.
#'
#' P-values are computed so that they never underflow: a p-value below the smallest
#' positive normal double (`.Machine$double.xmin`, about 2.2e-308) is reported as that
#' number, and `pval_log10` holds the exact `log10` of the p-value (from log-scale tail
#' formulas) for every row.
#'
#' @section Correlated instruments:
#' With `ld` or `bfile`, every requested method that has a version for correlated
#' instruments runs that version ([mr_ivw_correlated()], [mr_egger_correlated()],
#' [mr_ml_correlated()] for `mr_ivw`, `mr_ivw_mre`, `mr_ivw_fe`, `mr_egger_regression`,
#' `mr_two_sample_ml`; also `"mr_pca_ivw"` and `"mr_pcgmm"`, see [mr_pca_ivw()]); the others
#' assume independent instruments and are left out with a message. The default methods
#' are then `c("mr_ivw", "mr_egger_regression", "mr_two_sample_ml", "mr_pca_ivw")`. The
#' result adds `fstat_ld`, the F-statistic of the correlated instruments `z^T ld^-1 z /
#' nsnp` (`z = beta.exposure / se.exposure`), and `n_pc` (principal components used).
#'
#' @param dat Harmonised data, as from [harmonise_data()].
#' @param parameters A list from [default_parameters()].
#' @param method_list Methods to run, by `obj` name from [mr_method_list()]. Defaults to
#'   the methods with `use_by_default`.
#' @param threads Number of threads; defaults to `getOption("mrkit.threads", 1)`.
#' @param ld,bfile For correlated instruments (a cis-MR): the signed LD matrix of the
#'   variants' effect alleles, named by SNP (as from [ld_matrix()] or [cis_instruments()]),
#'   or the path prefix of a PLINK reference panel from which mrkit computes it, aligned to
#'   `effect_allele.exposure` (variants it cannot align are left out and recorded in the
#'   audit). See "Correlated instruments".
#' @return A data frame of class `mrkit_results` with columns `id.exposure, id.outcome,
#'   outcome, exposure, method, nsnp, b, se, pval` followed by the confidence interval
#'   `lo_ci, up_ci` (level `1 - alpha`, see "Confidence intervals and p-values"),
#'   `pval_log10`, for resampling methods `nboot` and `seed`, and the
#'   instrument strength of the pair: mean and minimum F-statistic of the variants used and
#'   the number with F < 10 (`fstat_mean, fstat_min, fstat_nweak`; a classed warning
#'   `mrkit_warning_weak_instruments` is given when the mean is below 10).
#'   Attributes `parameters` and `audit` record the settings and the rows not used;
#'   `no_estimate` lists the method-pair combinations that gave no estimate (announced by
#'   a message of class `mrkit_message_no_estimate` when the pair has 3 or more variants).
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 40, b = 0.2, seed = 42)
#' set.seed(1)
#' mr(dat)
#' # a cis-MR with correlated variants and their LD matrix
#' cis <- simulate_cis_data(nsnp = 12, b = 0.2, seed = 1)
#' mr(cis, ld = attr(cis, "ld"))
mr <- function(dat, parameters = default_parameters(), method_list = NULL,
               threads = getOption("mrkit.threads", 1L), ld = NULL, bfile = NULL) {
  call <- rlang::current_env()
  correlated <- !is.null(ld) || !is.null(bfile)
  if (is.null(method_list) && !correlated) {
    tab <- mr_method_list()
    method_list <- tab$obj[tab$use_by_default]
  }
  needs_ld <- intersect(method_list, c("mr_pca_ivw", "mr_pcgmm"))
  if (!correlated && length(needs_ld)) {
    abort_mrkit("missing_argument", c("{.val {needs_ld}} need{?s/} the LD matrix of the variants.",
                                      i = "Pass {.arg ld} (e.g. from {.fn ld_matrix}) or {.arg bfile} (a PLINK reference panel)."),
                call = call)
  }
  methods <- if (correlated) lookup_correlated_methods(method_list, call = call) else lookup_methods(method_list, call = call)
  parameters <- check_parameters(parameters, call = call)
  threads <- check_threads(threads, call = call)
  prep <- prepare_pairs(dat, call = call)
  if (correlated) {
    cor <- run_correlated_on_pairs(prep, methods, parameters, ld, bfile, call = call)
    out <- cor$out
    prep <- cor$prep
    methods$resampling <- FALSE
  } else {
    out <- run_methods_on_pairs(prep, methods, parameters, threads)
  }
  empty <- is.na(out$b) & is.na(out$se) & is.na(out$pval)
  no_estimate <- frame_rows(out[c("id.exposure", "id.outcome", "method", "nsnp")], empty)
  inform_no_estimate(no_estimate)
  out <- frame_rows(out, !empty)
  out <- attach_fstat(out, prep)
  cols <- c("id.exposure", "id.outcome", "outcome", "exposure", "method", "nsnp", "b", "se",
            "pval", "lo_ci", "up_ci", "pval_log10", if (any(methods$resampling)) c("nboot", "seed"),
            "fstat_mean", "fstat_min", "fstat_nweak", if (correlated) c("fstat_ld", "n_pc"))
  out <- out[cols]
  rownames(out) <- NULL
  res <- new_mrkit_results(out, parameters = parameters, audit = prep$audit)
  attr(res, "no_estimate") <- no_estimate
  res
}

# Rows without an estimate are dropped, as in 'TwoSampleMR' (this is how one variant gives
# only the Wald ratio). With three or more variants a missing estimate means the method
# needs more variants (the sign test needs six) or did not converge (MR-RAPS): say so once.
inform_no_estimate <- function(no_estimate) {
  x <- frame_rows(no_estimate, no_estimate$nsnp >= 3 & no_estimate$method != "Wald ratio")
  if (!nrow(x)) return(invisible())
  what <- sprintf("%s for %s on %s (%d SNPs)", x$method, x$id.exposure, x$id.outcome, x$nsnp)
  cli::cli_inform(c("{nrow(x)} method-pair combination{?s} gave no estimate and {?is/are} left out of the results: {.val {utils::head(what, 5)}}{if (nrow(x) > 5) ', ...' else ''}.",
                    i = "The method needs more variants or did not converge; each estimator's help page says which. All are listed in {.code attr(result, \"no_estimate\")}."),
                  class = "mrkit_message_no_estimate")
}

# Split a harmonised table into exposure-outcome pairs of usable rows, in TwoSampleMR's
# pair order, and record every row that is not used.
prepare_pairs <- function(dat, call = rlang::caller_env(), announce = TRUE) {
  needed <- c("id.exposure", "id.outcome", "exposure", "outcome", "SNP", "beta.exposure",
              "beta.outcome", "se.exposure", "se.outcome", "mr_keep")
  check_columns(dat, needed, call = call)
  dat <- as_plain_frame(dat)
  for (col in c("id.exposure", "id.outcome", "exposure", "outcome", "SNP")) {
    if (is.factor(.subset2(dat, col))) dat[[col]] <- as.character(.subset2(dat, col))
  }
  if (nrow(dat) == 0L) {
    abort_mrkit("no_data", c("{.arg dat} has no rows.", i = "Pass the result of {.fn harmonise_data}."), call = call)
  }
  for (col in c("beta.exposure", "beta.outcome", "se.exposure", "se.outcome")) {
    if (!is.numeric(.subset2(dat, col))) {
      abort_mrkit("input_type", c("Column {.field {col}} must be numeric.",
                                  x = "It is {.cls {class(dat[[col]])}}."), call = call)
    }
    bad <- which(is.infinite(.subset2(dat, col)))
    if (length(bad)) {
      abort_mrkit("input_value", c("Column {.field {col}} must be finite.",
                                   x = "SNP{?s} {.val {dat$SNP[bad]}} {?has/have} infinite values."), call = call)
    }
  }
  keep <- !is.na(dat$mr_keep) & as.logical(dat$mr_keep)
  complete <- stats::complete.cases(dat$beta.exposure, dat$beta.outcome, dat$se.exposure, dat$se.outcome)
  for (col in c("se.exposure", "se.outcome")) {
    bad <- which(keep & complete & .subset2(dat, col) <= 0)
    if (length(bad)) {
      abort_mrkit("se_nonpositive", c("Column {.field {col}} must be positive (rule: SE > 0).",
                                      x = "SNP{?s} {.val {dat$SNP[bad]}} {?has/have} SE <= 0."), call = call)
    }
  }
  reason <- ifelse(!keep, "mr_keep is FALSE", ifelse(!complete, "missing effect or standard error", NA))
  usable <- which(keep & complete)
  pair_key <- paste(dat$id.exposure, dat$id.outcome, sep = "\r")
  dup <- usable[duplicated(paste(pair_key[usable], dat$SNP[usable], sep = "\r"))]
  if (length(dup)) {
    abort_mrkit("duplicated_snp", c("Each SNP may appear once per exposure-outcome pair.",
                                    x = "Duplicated SNP{?s}: {.val {unique(dat$SNP[dup])}}."), call = call)
  }
  dropped <- !is.na(reason)
  audit <- new_frame(list(id.exposure = dat$id.exposure[dropped], id.outcome = dat$id.outcome[dropped],
                          SNP = dat$SNP[dropped], reason = reason[dropped]))
  # Rows with mr_keep = FALSE were announced where they were marked (harmonise_data()); rows
  # with a missing effect or standard error are announced here unless the caller audits them.
  if (announce && any(reason == "missing effect or standard error", na.rm = TRUE)) {
    announce_dropped(frame_rows(audit, audit$reason == "missing effect or standard error"), nrow(dat), call_label(call))
  }
  # The first row of each pair, pairs sorted by exposure and outcome id.
  first <- which(!duplicated(pair_key))
  first <- first[order(dat$id.exposure[first], dat$id.outcome[first])]
  id_exp <- dat$id.exposure[first]
  id_out <- dat$id.outcome[first]
  pkey <- pair_key[first]
  used_key <- pair_key[usable]
  empty <- !pkey %in% used_key
  for (i in which(empty)) {
    cli::cli_inform("No SNPs available for MR analysis of {.val {id_exp[i]}} on {.val {id_out[i]}}.",
                    class = c("mrkit_message_no_snps", "mrkit_message"))
  }
  nonzero <- tabulate(match(used_key[dat$beta.exposure[usable] != 0], pkey), nbins = length(pkey))
  for (i in which(!empty & nonzero == 0L)) {
    warn_mrkit("zero_exposure_effects",
               "All exposure effects of {.val {id_exp[i]}} on {.val {id_out[i]}} are 0: the instruments carry no information, so there is no estimate.")
  }
  pkey <- pkey[!empty]
  pos <- match(used_key, pkey)
  used <- frame_rows(dat, usable[order(pos)])
  sizes <- tabulate(pos, nbins = length(pkey))
  first_row <- cumsum(c(1L, sizes))[seq_along(sizes)]
  pairs <- new_frame(list(id.exposure = id_exp[!empty], id.outcome = id_out[!empty],
                          exposure = used$exposure[first_row], outcome = used$outcome[first_row]))
  list(data = used, pairs = pairs, offsets = c(0L, cumsum(sizes)), audit = audit)
}

# One seed per method and pair from R's RNG, pair by pair in method order (0 for methods
# without random numbers); methods with the same `shared_draws` share their pair's seed, so
# that the core draws their bootstrap once.
pair_method_seeds <- function(methods, n_pairs, parameters) {
  n_methods <- nrow(methods)
  seeds <- matrix(0, nrow = n_methods, ncol = n_pairs)
  group <- methods$shared_draws
  first <- ifelse(is.na(group), seq_len(n_methods), match(group, group))
  draw <- which(methods$resampling & first == seq_len(n_methods))
  share <- which(methods$resampling & first != seq_len(n_methods))
  for (i in seq_len(n_pairs)) {
    for (m in draw) seeds[m, i] <- draw_seed(parameters)
    seeds[share, i] <- seeds[first[share], i]
  }
  seeds
}

# Run every method on every pair in the core; rows pair-major in method order.
run_methods_on_pairs <- function(prep, methods, parameters, threads) {
  n_pairs <- nrow(prep$pairs)
  n_methods <- nrow(methods)
  seeds <- pair_method_seeds(methods, n_pairs, parameters)
  d <- prep$data
  res <- call_core(cpp_mr_pairs(as.double(d$beta.exposure), as.double(d$beta.outcome),
                                as.double(d$se.exposure), as.double(d$se.outcome),
                                as.integer(prep$offsets), methods$obj, parameters,
                                as.double(seeds), threads), what = "mr()")
  pair <- rep(seq_len(n_pairs), each = n_methods)
  resampling <- rep(methods$resampling, times = n_pairs)
  bootstrap <- rep(methods$bootstrap, times = n_pairs)
  new_frame(c(list(id.exposure = prep$pairs$id.exposure[pair],
                   id.outcome = prep$pairs$id.outcome[pair],
                   outcome = prep$pairs$outcome[pair], exposure = prep$pairs$exposure[pair],
                   method = rep(methods$name, times = n_pairs), nsnp = res$nsnp,
                   b = res$b, se = res$se, pval = res$pval, lo_ci = res$lo_ci,
                   up_ci = res$up_ci, pval_log10 = res$pval_log10,
                   nboot = ifelse(bootstrap, parameters$nboot, NA_integer_),
                   seed = ifelse(resampling, as.vector(seeds), NA_real_)),
                res[c("b_i", "se_i", "pval_i", "Q", "Q_df", "Q_pval")]))
}
