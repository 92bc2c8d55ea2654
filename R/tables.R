# Tables for papers: results written to CSV/TSV unrounded, and a formatter of publication
# tables ("OR (95% CI)", p-values as papers print them, method names as papers write them).

#' Write MR results to a CSV or TSV file
#'
#' Writes any mrkit result as a tidy table: the results of [mr()], [mr_heterogeneity()],
#' [mr_pleiotropy_test()], [directionality_test()], [mr_leaveoneout()], [mr_singlesnp()],
#' [mr_fstat()], [mr_outliers()], [mr_scan()], [mr_bidirectional()], [mr_mediation()], the
#' multivariable estimators ([mv_multiple()] and friends, their `result` table), MR-PRESSO
#' ([mr_presso()], [run_mr_presso()]) and radial MR ([mr_radial_ivw()]). The columns are
#' those of the result (documented on each function's help page), one row per row of the
#' result; numbers are written unrounded (the shortest decimal form that reads back to the
#' same double) unless `digits` is given.
#'
#' Some results hold more than one table. The first goes to `path`, the others beside it
#' as `<name>_<part>.<ext>`:
#' * MR-PRESSO: `path` holds the raw and outlier-corrected estimates; parts `global`,
#'   `outliers` and `distortion` the tests, as [mr_presso_tidy()] returns them.
#' * Mediation: `path` holds the effects; parts `steps` (the univariable estimate of each
#'   step) and `diagnostics` (variants per step, shared variants, F-statistics).
#' * Radial MR: `path` holds the coefficients with Cochran's Q (`Q, Q_df, Q_pval`); part
#'   `snps` the per-variant weights, contributions to Q and outlier flags.
#' * Any result with a non-empty `audit` attribute (rows of the input not used, with the
#'   reason): part `audit`.
#'
#' @param x A result of an mrkit analysis (see Description).
#' @param path File to write. The extension chooses the format: `.csv` (comma-separated)
#'   or `.tsv` / `.txt` (tab-separated), optionally followed by `.gz` for a gzip-compressed
#'   file.
#' @param digits `NULL` (default) to write every number unrounded, or a number of
#'   significant digits to round to.
#' @param na Text written for missing values.
#' @return The paths written, invisibly, named by part (`"main"` for `path`).
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 20, b = 0.2, seed = 1)
#' res <- mr(dat, method_list = c("mr_egger_regression", "mr_ivw"))
#' f <- tempfile(fileext = ".csv")
#' write_results(res, f)
#' read.csv(f)
#' write_results(mr_heterogeneity(dat), tempfile(fileext = ".tsv"))
write_results <- function(x, path, digits = NULL, na = "NA") {
  call <- rlang::current_env()
  if (!is.character(path) || length(path) != 1L || is.na(path) || !nzchar(path)) {
    abort_mrkit("parameter", "{.arg path} must be a single file path.", call = call)
  }
  if (!is.null(digits) && (!is.numeric(digits) || length(digits) != 1L || is.na(digits) || digits < 1)) {
    abort_mrkit("parameter", "{.arg digits} must be NULL or a single whole number >= 1.", call = call)
  }
  if (!is.character(na) || length(na) != 1L || is.na(na)) {
    abort_mrkit("parameter", "{.arg na} must be a single string.", call = call)
  }
  fmt <- table_file_format(path, call = call)
  tabs <- results_tables(x, call = call)
  paths <- c(main = path)
  for (part in setdiff(names(tabs), "main")) {
    paths[[part]] <- paste0(fmt$stem, "_", part, fmt$ext)
  }
  for (part in names(tabs)) write_table(tabs[[part]], paths[[part]], fmt$sep, digits, na)
  invisible(paths)
}

#' Format MR results as a publication table
#'
#' Turns a results table into the columns papers print: exposure, outcome, method (named
#' as papers write it: `"MR-Egger"`, `"Inverse-variance weighted"`, `"IVW (fixed
#' effects)"`, `"MR-RAPS"`, ...), number of variants, the estimate with its confidence
#' interval as one text (`"1.65 (1.36, 2.01)"`) and the p-value.
#'
#' The interval is the one in the result (`lo_ci`, `up_ci`, as [mr()] computes it from each
#' method's distribution); only when the result has none is it `b +- z se` with the normal
#' quantile of `level`. With `exponentiate = TRUE` the estimate and its limits are `exp()`ed
#' (odds ratios for a log-odds outcome). p-values are printed by [format_pvalue()].
#'
#' @param x Results with columns `b` and `se` and optionally `lo_ci, up_ci, pval,
#'   pval_log10, method, nsnp, exposure, outcome` (from [mr()], [mr_scan()] (its
#'   `analysis == "mr"` rows are used), [mr_bidirectional()], [mr_mediation()],
#'   [mr_presso_tidy()]`$estimates`, the `result` of [mv_multiple()], ...).
#' @param exponentiate `TRUE` to report `exp(b)` (odds ratios), `FALSE` for `b`. `NULL`
#'   (default): `TRUE` when the result has a column `or` (as [generate_odds_ratios()]
#'   adds), else `FALSE`.
#' @param digits Decimal places of the estimate and its limits.
#' @param level Confidence level of intervals computed from `se` (only when `x` has no
#'   `lo_ci`/`up_ci`).
#' @return A data frame with columns `exposure`, `outcome`, `method`, `nsnp` (those the
#'   input has, plus `direction`, `mediator`, `effect` when present), then
#'   `"OR (95% CI)"` or `"b (95% CI)"` and `"P"`, all text except `nsnp`.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 20, b = 0.2, outcome_type = "binary", seed = 1)
#' res <- mr(dat, method_list = c("mr_egger_regression", "mr_weighted_median", "mr_ivw"))
#' format_mr_table(res, exponentiate = TRUE)
format_mr_table <- function(x, exponentiate = NULL, digits = 2, level = 0.95) {
  call <- rlang::current_env()
  if (inherits(x, "mrkit_scan") && "analysis" %in% names(x)) x <- x[x$analysis == "mr", , drop = FALSE]
  alpha <- if (is.data.frame(x)) attr(x, "parameters")$alpha
  x <- results_tables(x, call = call)$main
  check_columns(x, c("b", "se"), what = "x", call = call)
  if (!is.numeric(digits) || length(digits) != 1L || is.na(digits) || digits < 0) {
    abort_mrkit("parameter", "{.arg digits} must be a single number >= 0.", call = call)
  }
  if (!is.numeric(level) || length(level) != 1L || is.na(level) || level <= 0 || level >= 1) {
    abort_mrkit("parameter", "{.arg level} must be a single number in (0, 1).", call = call)
  }
  if (is.null(exponentiate)) exponentiate <- "or" %in% names(x)
  if (!is.logical(exponentiate) || length(exponentiate) != 1L || is.na(exponentiate)) {
    abort_mrkit("parameter", "{.arg exponentiate} must be TRUE, FALSE or NULL.", call = call)
  }
  has_ci <- all(c("lo_ci", "up_ci") %in% names(x))
  ci_label <- paste0(format(100 * if (has_ci) 1 - (alpha %||% 0.05) else level), "% CI")
  z <- stats::qnorm(1 - (1 - level) / 2)
  lo <- if (has_ci) x$lo_ci else x$b - z * x$se
  up <- if (has_ci) x$up_ci else x$b + z * x$se
  keep <- intersect(c("direction", "exposure", "mediator", "outcome", "effect", "method", "nsnp"), names(x))
  out <- x[keep]
  if ("method" %in% keep) out$method <- paper_method_names(out$method)
  if ("nsnp" %in% keep) out$nsnp <- as.integer(out$nsnp)
  est_name <- paste0(if (exponentiate) "OR" else "b", " (", ci_label, ")")
  out[[est_name]] <- format_estimate_ci(x$b, lo, up, exponentiate = exponentiate, digits = digits)
  if ("pval" %in% names(x)) out$P <- format_pvalue(x$pval, log10_p = x$pval_log10)
  rownames(out) <- NULL
  out
}

#' Format p-values as papers print them
#'
#' p-values of 0.001 or more get two significant digits (`"0.034"`, `"0.50"`); smaller
#' ones scientific notation with two significant digits and no padded exponent
#' (`"3.2e-12"`). A p-value is never printed as `0`: one below the smallest normal double
#' (about 2.2e-308), where it cannot be trusted or is `0` after underflow, is printed as
#' `"< 2.2e-308 (below double range)"`, unless `log10_p` gives its value on the log scale,
#' which is then printed in full (`"4.1e-512"`).
#'
#' @param p Numeric p-values.
#' @param log10_p Optional `log10(p)` of the same length (as a `pval_log10` column holds),
#'   used where `p` is below the double range.
#' @param digits Significant digits.
#' @return A character vector; `NA` for missing p-values.
#' @export
#' @examples
#' format_pvalue(c(0.5, 0.0342, 0.00123, 3.2e-12, 1e-320, 0, NA))
#' format_pvalue(0, log10_p = -511.39)
format_pvalue <- function(p, log10_p = NULL, digits = 2) {
  if (!is.numeric(p)) abort_mrkit("input_type", "{.arg p} must be numeric.")
  if (!is.null(log10_p) && length(log10_p) != length(p)) {
    abort_mrkit("input_length", "{.arg log10_p} must have the length of {.arg p}.")
  }
  out <- rep(NA_character_, length(p))
  ok <- !is.na(p)
  big <- ok & p >= 0.001
  out[big] <- formatC(signif(p[big], digits), digits = digits, format = "fg", flag = "#")
  out[big] <- sub("\\.$", "", out[big])
  small <- ok & p < 0.001 & p >= .Machine$double.xmin
  out[small] <- sci_text(log10(p[small]), digits)
  tiny <- ok & p < .Machine$double.xmin
  out[tiny] <- "< 2.2e-308 (below double range)"
  if (!is.null(log10_p)) {
    from_log <- tiny & !is.na(log10_p) & is.finite(log10_p)
    out[from_log] <- sci_text(log10_p[from_log], digits)
  }
  out
}

#' Format an estimate and its confidence interval as one text
#'
#' `"b (lo, up)"` with `digits` decimal places, after `exp()` when `exponentiate = TRUE`
#' (for example `b = 0.5`, limits `0.304, 0.696` give `"1.65 (1.36, 2.01)"` as an odds
#' ratio).
#'
#' @param b,lo,up Estimates and their lower and upper confidence limits (log scale when
#'   `exponentiate = TRUE`).
#' @param exponentiate Report `exp()` of the three numbers.
#' @param digits Decimal places.
#' @return A character vector; `NA` where `b` is missing.
#' @export
#' @examples
#' format_estimate_ci(0.5, 0.5 - 1.96 * 0.1, 0.5 + 1.96 * 0.1, exponentiate = TRUE)
#' format_estimate_ci(-0.0123, -0.05, 0.025, digits = 3)
format_estimate_ci <- function(b, lo, up, exponentiate = FALSE, digits = 2) {
  if (exponentiate) {
    b <- exp(b); lo <- exp(lo); up <- exp(up)
  }
  f <- function(v) {
    s <- formatC(v, digits = digits, format = "f")
    s[s == formatC(-0, digits = digits, format = "f")] <- formatC(0, digits = digits, format = "f")
    s[is.na(v)] <- "NA"
    s
  }
  out <- sprintf("%s (%s, %s)", f(b), f(lo), f(up))
  out[is.na(b)] <- NA_character_
  out
}

# -- helpers ------------------------------------------------------------------------------

# "m e-x" text of 10^l10 with `digits` significant digits, for any l10 (also below the
# double range).
sci_text <- function(l10, digits) {
  e <- floor(l10)
  m <- round(10^(l10 - e), digits - 1L)
  carry <- m >= 10
  m[carry] <- m[carry] / 10
  e[carry] <- e[carry] + 1
  sprintf("%se%d", formatC(m, digits = digits - 1L, format = "f"), as.integer(e))
}

# Method names as papers write them.
paper_method_names <- function(m) {
  m <- as.character(m)
  out <- m
  out[m == "Inverse variance weighted"] <- "Inverse-variance weighted"
  rest <- m != "Inverse variance weighted"
  out[rest] <- gsub("[Ii]nverse variance weighted", "IVW", out[rest])
  out <- gsub("MR Egger", "MR-Egger", out, fixed = TRUE)
  out <- gsub("MR GRIP", "MR-GRIP", out, fixed = TRUE)
  out[m == "Robust adjusted profile score (RAPS)"] <- "MR-RAPS"
  out[m == "Contamination mixture"] <- "MR contamination mixture"
  out <- sub("^Penalised IVW \\(pIVW\\)$", "pIVW", out)
  out
}

# The tables of a result: a named list of plain data frames, "main" first.
results_tables <- function(x, call = rlang::caller_env()) {
  is_presso <- inherits(x, "mrkit_presso") ||
    (is.list(x) && !is.data.frame(x) && length(x) > 0L &&
       all(vapply(x, function(r) is.null(r) || inherits(r, "mrkit_presso"), logical(1))))
  tabs <- if (is_presso) {
    t <- mr_presso_tidy(x)
    list(main = t$estimates, global = t$global, outliers = t$outliers, distortion = t$distortion)
  } else if (inherits(x, "mrkit_radial")) {
    main <- cbind(data.frame(model = rep(x$model, nrow(x$coefficients)),
                             weights = rep(x$weights, nrow(x$coefficients)),
                             nsnp = rep(as.integer(x$nsnp), nrow(x$coefficients)),
                             stringsAsFactors = FALSE),
                  x$coefficients, x$Q[rep(1L, nrow(x$coefficients)), , drop = FALSE])
    list(main = main, snps = x$snps)
  } else if (inherits(x, "mrkit_mediation")) {
    list(main = x, steps = attr(x, "steps"), diagnostics = attr(x, "diagnostics"))
  } else if (is.list(x) && !is.data.frame(x) && is.data.frame(x$result)) {
    list(main = x$result)
  } else if (is.data.frame(x)) {
    list(main = x)
  } else {
    abort_mrkit("input_type", c("{.arg x} must be an mrkit result, not {.cls {class(x)}}.",
                                i = "Data frames and the results of {.fn mr}, {.fn mr_scan}, {.fn mr_presso}, {.fn mr_mediation}, {.fn mv_multiple}, ... are accepted."),
                call = call)
  }
  audit <- if (is.data.frame(x)) attr(x, "audit")
  if (is.data.frame(audit) && nrow(audit) > 0L) tabs$audit <- audit
  tabs <- Filter(function(t) !is.null(t), tabs)
  lapply(tabs, plain_table)
}

# A data frame without class or attributes beyond names and row names; factors as text.
plain_table <- function(x) {
  cols <- lapply(as.list(x), function(v) {
    if (is.factor(v)) v <- as.character(v)
    if (is.list(v)) v <- vapply(v, function(e) paste(format(e), collapse = ";"), character(1))
    attributes(v) <- attributes(v)[intersect(names(attributes(v)), "names")]
    unname(v)
  })
  out <- as.data.frame(cols, stringsAsFactors = FALSE, optional = TRUE)
  names(out) <- names(x)
  out
}

table_file_format <- function(path, call = rlang::caller_env()) {
  gz <- grepl("\\.gz$", path, ignore.case = TRUE)
  base <- sub("\\.gz$", "", path, ignore.case = TRUE)
  ext <- tolower(tools::file_ext(base))
  if (!ext %in% c("csv", "tsv", "txt")) {
    abort_mrkit("parameter", c("{.arg path} must end in {.val .csv}, {.val .tsv} or {.val .txt} (optionally {.val .gz}).",
                               x = "Got {.file {path}}."), call = call)
  }
  stem <- substr(base, 1L, nchar(base) - nchar(ext) - 1L)
  list(sep = if (ext == "csv") "," else "\t", stem = stem,
       ext = paste0(".", tools::file_ext(base), if (gz) substring(path, nchar(base) + 1L) else ""))
}

# Numbers as the shortest decimal text that reads back to the same double (15 significant
# digits when that suffices, else 17), or rounded to `digits` significant digits.
number_text <- function(v, digits) {
  out <- rep(NA_character_, length(v))
  ok <- !is.na(v)
  if (!is.null(digits)) {
    out[ok] <- format_number_shortest(signif(v[ok], digits))
  } else {
    out[ok] <- format_number_shortest(v[ok])
  }
  out
}

format_number_shortest <- function(v) {
  s <- sprintf("%.15g", v)
  bad <- suppressWarnings(as.double(s)) != v
  bad[is.na(bad)] <- FALSE
  s[bad] <- sprintf("%.17g", v[bad])
  s[is.infinite(v)] <- ifelse(v[is.infinite(v)] > 0, "Inf", "-Inf")
  s[is.nan(v)] <- "NaN"
  s
}

write_table <- function(tab, path, sep, digits, na) {
  text_cols <- which(vapply(tab, is.character, logical(1)))
  for (nm in names(tab)) {
    if (is.double(tab[[nm]])) tab[[nm]] <- number_text(tab[[nm]], digits)
  }
  con <- if (grepl("\\.gz$", path, ignore.case = TRUE)) gzfile(path, "w") else file(path, "w")
  on.exit(close(con))
  utils::write.table(tab, con, sep = sep, na = na, row.names = FALSE, qmethod = "double",
                     quote = if (length(text_cols)) unname(text_cols) else FALSE)
}
