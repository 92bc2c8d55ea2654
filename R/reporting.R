# Reporting helpers of TwoSampleMR's results tables (methods.md 3).

#' Odds ratios with their confidence intervals
#'
#' Adds `or = exp(b)`, `or_lci95 = exp(lo_ci)` and `or_uci95 = exp(up_ci)` to a results
#' table, with 'TwoSampleMR''s column names. The interval is the result's own: the
#' `lo_ci`/`up_ci` columns of [mr()] (level `1 - alpha`, from the distribution of each
#' method's p-value, so that it excludes 0 exactly when `pval < alpha`) are kept as they
#' are. A table without those columns gets the normal interval `b -/+ qnorm(1 - alpha / 2)
#' * se`. The names `or_lci95`/`or_uci95` are kept whatever the level.
#'
#' With `parameters$tsmr_quirks = TRUE` the result is 'TwoSampleMR''s exactly: `lo_ci =
#' b - 1.96 se` and `up_ci = b + 1.96 se` for every method, overwriting the result's
#' interval, whatever `alpha` and whatever distribution the method's p-value uses.
#'
#' @param mr_res Results with columns `b` and `se`, as from [mr()].
#' @param parameters A list from [default_parameters()]; `alpha` (for a table without an
#'   interval) and `tsmr_quirks` are used. Defaults to the parameters `mr_res` was computed
#'   with (its `parameters` attribute), else [default_parameters()].
#' @return `mr_res` with `lo_ci`, `up_ci`, `or`, `or_lci95` and `or_uci95`; its class and
#'   attributes are kept.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 20, b = 0.2, outcome_type = "binary", seed = 1)
#' res <- mr(dat, method_list = c("mr_ivw", "mr_egger_regression"))
#' generate_odds_ratios(res)
#' # TwoSampleMR's b -/+ 1.96 se for every method:
#' generate_odds_ratios(res, default_parameters(tsmr_quirks = TRUE))
generate_odds_ratios <- function(mr_res, parameters = attr(mr_res, "parameters")) {
  call <- rlang::current_env()
  check_columns(mr_res, c("b", "se"), what = "mr_res", call = call)
  parameters <- check_parameters(parameters %||% default_parameters(), call = call)
  if (isTRUE(parameters$tsmr_quirks)) {
    mr_res$lo_ci <- mr_res$b - 1.96 * mr_res$se
    mr_res$up_ci <- mr_res$b + 1.96 * mr_res$se
  } else if (!all(c("lo_ci", "up_ci") %in% names(mr_res))) {
    z <- stats::qnorm(1 - parameters$alpha / 2)
    mr_res$lo_ci <- mr_res$b - z * mr_res$se
    mr_res$up_ci <- mr_res$b + z * mr_res$se
  }
  mr_res$or <- exp(mr_res$b)
  mr_res$or_lci95 <- exp(mr_res$lo_ci)
  mr_res$or_uci95 <- exp(mr_res$up_ci)
  mr_res
}

#' Keep one method per exposure-outcome pair
#'
#' As 'TwoSampleMR''s `subset_on_method()`: keeps the rows of `single_snp_method` for
#' pairs estimated from one variant and the rows of `multi_snp_method` for pairs with more.
#'
#' @param mr_res Results from [mr()].
#' @param single_snp_method Method name (the `method` column) to keep when `nsnp == 1`.
#' @param multi_snp_method Method name to keep when `nsnp > 1`.
#' @return The kept rows of `mr_res`, with its class and attributes.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 20, b = 0.2, seed = 1)
#' subset_on_method(mr(dat, method_list = c("mr_ivw", "mr_egger_regression")))
subset_on_method <- function(mr_res, single_snp_method = "Wald ratio",
                             multi_snp_method = "Inverse variance weighted") {
  check_columns(mr_res, c("nsnp", "method"), what = "mr_res")
  keep <- (mr_res$nsnp == 1 & mr_res$method == single_snp_method) |
    (mr_res$nsnp > 1 & mr_res$method == multi_snp_method)
  keep_rows(mr_res, !is.na(keep) & keep)
}

#' Combine the results of an MR analysis into one table
#'
#' Merges the results of [mr()], [mr_heterogeneity()], [mr_pleiotropy_test()] and
#' [mr_singlesnp()] as 'TwoSampleMR''s `combine_all_mrresults()` does: each method row gets
#' its `Q, Q_df, Q_pval`; the `"MR Egger"` row gets the intercept test
#' (`intercept, intercept_se, intercept_pval`); the per-variant Wald ratios are appended as
#' rows of method `"Wald ratio"` with `nsnp = 1`, and every other method row lists the
#' pair's variants in `SNP` (separated by `"; "`). Rows are sorted by `id.outcome`,
#' `id.exposure` and `Method`, and the columns `Method, outcome, exposure, nsnp, b, se,
#' pval, ...` come first.
#'
#' Differences from 'TwoSampleMR': `ao_slc` has no effect, because the study metadata it
#' merges come from the OpenGWAS server (`available_outcomes()`), which mrkit does not use;
#' and the variant list in `SNP` is built per exposure-outcome pair, where 'TwoSampleMR'
#' pools the variants of all exposures with the same outcome.
#'
#' @param res Results from [mr()].
#' @param het Results from [mr_heterogeneity()].
#' @param plt Results from [mr_pleiotropy_test()].
#' @param sin Results from [mr_singlesnp()].
#' @param ao_slc Accepted for compatibility; no effect (see Details).
#' @param Exp If `TRUE`, add `or, or_lci95, or_uci95`: the exponentiated `b`, `lo_ci` and
#'   `up_ci`, as [generate_odds_ratios()] (with 'TwoSampleMR''s `b -/+ 1.96 se` when the
#'   results were computed with `tsmr_quirks = TRUE`).
#' @param split.exposure,split.outcome If `TRUE`, keep only the trait name of
#'   `"name || id:..."` exposure (outcome) labels.
#' @return A data frame (of class `mrkit_results` when `res` has it).
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 10, b = 0.2, seed = 1)
#' res <- mr(dat, method_list = c("mr_egger_regression", "mr_ivw"))
#' combine_all_mrresults(res, mr_heterogeneity(dat), mr_pleiotropy_test(dat),
#'                       mr_singlesnp(dat), ao_slc = FALSE)
combine_all_mrresults <- function(res, het, plt, sin, ao_slc = TRUE, Exp = FALSE,
                                  split.exposure = FALSE, split.outcome = FALSE) {
  call <- rlang::current_env()
  ids <- c("id.exposure", "id.outcome")
  check_columns(res, c(ids, "outcome", "exposure", "method", "nsnp", "b", "se", "pval"), what = "res", call = call)
  check_columns(het, c(ids, "method", "Q", "Q_df", "Q_pval"), what = "het", call = call)
  check_columns(plt, c(ids, "egger_intercept", "se", "pval"), what = "plt", call = call)
  check_columns(sin, c(ids, "exposure", "outcome", "SNP", "b", "se", "p"), what = "sin", call = call)
  for (flag in c("ao_slc", "Exp", "split.exposure", "split.outcome")) {
    v <- get(flag)
    if (!is.logical(v) || length(v) != 1L || is.na(v)) {
      abort_mrkit("parameter", "{.arg {flag}} must be TRUE or FALSE.", call = call)
    }
  }
  parameters <- attr(res, "parameters")
  audit <- attr(res, "audit")
  cls <- inherits(res, "mrkit_results")
  res <- factors_to_character(as.data.frame(res))
  het <- factors_to_character(as.data.frame(het))[c(ids, "method", "Q", "Q_df", "Q_pval")]
  sin <- factors_to_character(as.data.frame(sin))
  sin <- sin[grepl("[:0-9]", sin$SNP), , drop = FALSE]
  sin <- data.frame(sin[c("exposure", "outcome", ids, "SNP", "b", "se")], pval = sin$p,
                    Method = rep("Wald ratio", nrow(sin)), stringsAsFactors = FALSE)
  names(res)[names(res) == "method"] <- "Method"
  names(het)[names(het) == "method"] <- "Method"
  by <- c("id.outcome", "id.exposure", "Method")
  out <- merge(res, het, by = by, all.x = TRUE)
  out <- bind_fill(out, sin)
  out$nsnp[is.na(out$nsnp)] <- 1
  pair <- paste(out$id.exposure, out$id.outcome, sep = "\r")
  wald <- out$Method == "Wald ratio" & !is.na(out$SNP)
  for (p in unique(pair)) {
    rows <- pair == p & out$Method != "Wald ratio"
    if (any(rows)) out$SNP[rows] <- paste(out$SNP[pair == p & wald], collapse = "; ")
  }
  alpha <- parameters$alpha %||% 0.05
  z <- stats::qnorm(1 - alpha / 2)
  if ("lo_ci" %in% names(out)) {
    # The appended per-variant Wald ratios: normal intervals, as their p-values.
    fill <- is.na(out$lo_ci) & out$Method == "Wald ratio"
    out$lo_ci[fill] <- out$b[fill] - z * out$se[fill]
    out$up_ci[fill] <- out$b[fill] + z * out$se[fill]
  }
  if ("pval_log10" %in% names(out)) {
    fill <- is.na(out$pval_log10) & out$Method == "Wald ratio"
    out$pval_log10[fill] <- log10_p_normal_two_sided(out$b[fill] / out$se[fill])
  }
  if (Exp) {
    out$or <- exp(out$b)
    if (isTRUE(parameters$tsmr_quirks) || !"lo_ci" %in% names(out)) {
      if (isTRUE(parameters$tsmr_quirks)) z <- 1.96
      out$or_lci95 <- exp(out$b - out$se * z)
      out$or_uci95 <- exp(out$b + out$se * z)
    } else {
      out$or_lci95 <- exp(out$lo_ci)
      out$or_uci95 <- exp(out$up_ci)
    }
  }
  plt <- factors_to_character(as.data.frame(plt))
  plt <- data.frame(plt[c("id.outcome", "id.exposure")], intercept = plt$egger_intercept,
                    intercept_se = plt$se, intercept_pval = plt$pval,
                    Method = rep("MR Egger", nrow(plt)), stringsAsFactors = FALSE)
  out <- merge(out, plt, by = by, all.x = TRUE)
  if (split.exposure) out$exposure <- trait_name(out$exposure)
  if (split.outcome) out$outcome <- trait_name(out$outcome)
  first <- c("Method", "outcome", "exposure", "nsnp", "b", "se", "pval", "intercept",
             "intercept_se", "intercept_pval", "Q", "Q_df", "Q_pval")
  out <- out[c(names(out)[names(out) %in% first], names(out)[!names(out) %in% first])]
  rownames(out) <- NULL
  if (cls) out <- new_mrkit_results(out, parameters = parameters, audit = audit)
  out
}

# -- helpers ------------------------------------------------------------------------------

# Rows of a data frame, keeping its class and attributes.
keep_rows <- function(x, keep) {
  attrs <- attributes(x)[setdiff(names(attributes(x)), c("names", "row.names", "class"))]
  cls <- class(x)
  out <- as.data.frame.data.frame(unclass_df(x))[keep, , drop = FALSE]
  rownames(out) <- NULL
  for (a in names(attrs)) attr(out, a) <- attrs[[a]]
  class(out) <- cls
  out
}

unclass_df <- function(x) {
  class(x) <- "data.frame"
  x
}

factors_to_character <- function(x) {
  for (nm in names(x)) if (is.factor(x[[nm]])) x[[nm]] <- as.character(x[[nm]])
  x
}

# Row-bind two data frames, filling the columns one lacks with NA.
bind_fill <- function(a, b) {
  cols <- union(names(a), names(b))
  for (nm in setdiff(cols, names(a))) a[[nm]] <- rep(NA, nrow(a))
  for (nm in setdiff(cols, names(b))) b[[nm]] <- rep(NA, nrow(b))
  rbind(a[cols], b[cols])
}

# "Body mass index || id:ieu-a-2" -> "Body mass index"; other labels unchanged.
trait_name <- function(x) {
  x <- as.character(x)
  has <- grepl("||", x, fixed = TRUE)
  x[has] <- trimws(sub("\\|\\|.*$", "", x[has]))
  x
}
