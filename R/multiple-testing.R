# Multiple-testing correction of any result table, with families defined by the user.

#' Bonferroni and Benjamini-Hochberg adjustment of MR results
#'
#' Adds multiple-testing columns to any table with a p-value column (results of [mr()],
#' [mr_scan()], [mr_bidirectional()], [mr_heterogeneity()], ...). The p-values are
#' adjusted within families: all rows together by default, or the groups of rows sharing
#' the values of the columns named in `by` (for example `by = c("id.outcome", "method")`
#' corrects over exposures separately for each outcome and method).
#'
#' Bonferroni: `pval_bonferroni = min(1, p * n)`, significant when `p < alpha / n`.
#' Benjamini-Hochberg: `pval_bh` as [stats::p.adjust()] with `method = "BH"`, significant
#' when `pval_bh < alpha`. `n` is the number of non-missing p-values of the family, or
#' `family_size` when given: studies that fix the number of tests in advance (0.05/9 for
#' nine brain regions) set `family_size = 9`. Rows with a missing p-value get `NA`.
#'
#' @param res A data frame with a p-value column.
#' @param method Corrections to add: any of `"bonferroni"` and `"BH"`.
#' @param by Names of the columns that define the families, or `NULL` for one family.
#' @param family_size `NULL`, or the number of tests of each family (a single whole number
#'   at least as large as the number of non-missing p-values in every family).
#' @param alpha Family-wise error rate (Bonferroni) or false discovery rate (BH).
#' @param pval_col Name of the p-value column (`"pval"`; `"p"` for the leave-one-out and
#'   single-variant tables).
#' @return `res`, with its class, and the columns `family_size` (tests per family), and
#'   for each method `pval_bonferroni, significant_bonferroni` and/or `pval_bh,
#'   significant_bh`.
#' @export
#' @examples
#' res <- data.frame(outcome = rep(c("a", "b"), each = 3),
#'                   pval = c(0.001, 0.02, 0.4, 0.004, 0.03, 0.9))
#' mr_adjust(res, by = "outcome")
#' mr_adjust(res, method = "bonferroni", family_size = 9)
mr_adjust <- function(res, method = c("bonferroni", "BH"), by = NULL, family_size = NULL,
                      alpha = 0.05, pval_col = "pval") {
  call <- rlang::current_env()
  if (!is.data.frame(res)) {
    abort_mrkit("input_type", "{.arg res} must be a data frame, not {.cls {class(res)}}.", call = call)
  }
  if (!is.character(method) || length(method) == 0L || !all(method %in% c("bonferroni", "BH"))) {
    abort_mrkit("parameter", c("{.arg method} must be one or both of {.val bonferroni} and {.val BH}.",
                               x = "Got {.val {method}}."), call = call)
  }
  check_columns(res, c(pval_col, by), what = "res", call = call)
  p <- res[[pval_col]]
  if (!is.numeric(p) && !all(is.na(p))) {
    abort_mrkit("input_type", "Column {.field {pval_col}} must be numeric.", call = call)
  }
  p <- as.double(p)
  bad <- which(!is.na(p) & (p < 0 | p > 1))
  if (length(bad)) {
    abort_mrkit("input_value", c("Column {.field {pval_col}} must hold p-values in [0, 1].",
                                 x = "Row{?s} {bad} {?is/are} outside."), call = call)
  }
  if (!is.numeric(alpha) || length(alpha) != 1L || is.na(alpha) || alpha <= 0 || alpha >= 1) {
    abort_mrkit("parameter", "{.arg alpha} must be a single number in (0, 1).", call = call)
  }
  family <- if (is.null(by)) rep(1L, nrow(res)) else
    match(do.call(paste, c(unname(as.list(res[by])), sep = "\r")),
          unique(do.call(paste, c(unname(as.list(res[by])), sep = "\r"))))
  counts <- tabulate(family[!is.na(p)], nbins = max(c(family, 0L)))
  if (!is.null(family_size)) {
    if (!is.numeric(family_size) || length(family_size) != 1L || is.na(family_size) ||
        family_size < 1 || family_size != round(family_size)) {
      abort_mrkit("parameter", "{.arg family_size} must be a single whole number >= 1.", call = call)
    }
    if (any(counts > family_size)) {
      abort_mrkit("parameter", c("{.arg family_size} is smaller than the number of tests in a family.",
                                 x = "{.arg family_size} = {family_size}; the largest family has {max(counts)} p-values.",
                                 i = "Define smaller families with {.arg by}."), call = call)
    }
  }
  n <- if (is.null(family_size)) counts[family] else rep(as.integer(family_size), length(family))
  res$family_size <- n
  if ("bonferroni" %in% method) {
    res$pval_bonferroni <- pmin(1, p * n)
    res$significant_bonferroni <- p < alpha / n
  }
  if ("BH" %in% method) {
    bh <- rep(NA_real_, length(p))
    for (f in unique(family)) {
      i <- which(family == f)
      if (all(is.na(p[i]))) next
      bh[i] <- stats::p.adjust(p[i], method = "BH", n = if (is.null(family_size)) sum(!is.na(p[i])) else family_size)
    }
    res$pval_bh <- bh
    res$significant_bh <- bh < alpha
  }
  attr(res, "multiple_testing") <- list(method = method, by = by, family_size = family_size,
                                        alpha = alpha, pval_col = pval_col)
  res
}
