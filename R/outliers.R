# Per-variant outlier diagnostics and re-estimation without the flagged variants.

#' Per-variant outlier diagnostics
#'
#' For each exposure-outcome pair of a harmonised table, one row per usable variant with
#' its contribution to Cochran's Q of the IVW fit (first-order weights `b_exp^2 / se_out^2`,
#' as [mr_heterogeneity()]), its radial contribution (modified second-order weights, as
#' [mr_radial_ivw()]) and, when MR-PRESSO is available in this installation of mrkit, its
#' MR-PRESSO outlier-test p-value. Each contribution `Qj` is compared with a chi-squared
#' distribution on 1 degree of freedom; a variant is flagged when its p-value is below
#' `alpha` (MR-PRESSO: below `SignifThreshold`, its outlier test being Bonferroni-corrected
#' already).
#'
#' @inheritParams mr
#' @param methods Which diagnostics to compute: any of `"q"`, `"radial"`, `"presso"`.
#' @param alpha Significance level of the Q and radial flags (default 0.05).
#' @param ... Passed to MR-PRESSO (e.g. `NbDistribution`, `SignifThreshold`).
#' @return A data frame of class `mrkit_outliers`, rows grouped by pair (split it by
#'   `id.exposure` and `id.outcome` for one table per pair), with columns `id.exposure,
#'   id.outcome, exposure, outcome, SNP`, then for `"q"`: `Qj, Qj_pval, q_outlier`; for
#'   `"radial"`: `radial_Qj, radial_Qj_pval, radial_outlier`; for `"presso"`: `presso_pval,
#'   presso_outlier` (`NA` with a message when MR-PRESSO is not available or the pair has
#'   too few variants); and `outlier` (flagged by any of the chosen diagnostics). Pairs with
#'   fewer than 2 (radial, Q) variants get `NA` diagnostics.
#' @seealso [mr_without_outliers()] to re-run [mr()] without the flagged variants.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 30, b = 0.2, pleiotropy = "outliers", seed = 2)
#' out <- mr_outliers(dat, methods = c("q", "radial"))
#' subset(out, outlier)
mr_outliers <- function(dat, parameters = default_parameters(), methods = c("q", "radial", "presso"),
                        alpha = 0.05, ...) {
  call <- rlang::current_env()
  if (!is.character(methods) || !length(methods) || !all(methods %in% c("q", "radial", "presso"))) {
    abort_mrkit("parameter", "{.arg methods} must be any of {.val {c('q', 'radial', 'presso')}}.", call = call)
  }
  if (!is.numeric(alpha) || length(alpha) != 1L || !(alpha > 0 && alpha < 1)) {
    abort_mrkit("parameter", "{.arg alpha} must be a single number in (0, 1).", call = call)
  }
  parameters <- check_parameters(parameters, call = call)
  prep <- prepare_pairs(dat, call = call)
  tabs <- lapply(seq_len(nrow(prep$pairs)), function(i) {
    rows <- seq.int(prep$offsets[i] + 1L, length.out = prep$offsets[i + 1L] - prep$offsets[i])
    d <- prep$data[rows, , drop = FALSE]
    bx <- d$beta.exposure; by <- d$beta.outcome; sx <- d$se.exposure; sy <- d$se.outcome
    out <- data.frame(id.exposure = prep$pairs$id.exposure[i], id.outcome = prep$pairs$id.outcome[i],
                      exposure = prep$pairs$exposure[i], outcome = prep$pairs$outcome[i],
                      SNP = d$SNP, stringsAsFactors = FALSE)
    J <- nrow(d)
    flags <- matrix(FALSE, J, 0)
    if ("q" %in% methods) {
      w <- bx^2 / sy^2
      theta <- if (J >= 2 && sum(w) > 0) sum(bx * by / sy^2) / sum(w) else NA_real_
      out$Qj <- (by - theta * bx)^2 / sy^2
      out$Qj_pval <- stats::pchisq(out$Qj, 1, lower.tail = FALSE)
      out$q_outlier <- out$Qj_pval < alpha
      flags <- cbind(flags, out$q_outlier)
    }
    if ("radial" %in% methods) {
      f <- call_core(cpp_radial(bx, by, sx, sy, "ivw", 3L, list(alpha = alpha, tol = 1e-5, nboot = 0L), 0),
                     what = "radial IVW", call = call)
      ok <- length(f$qj) == J
      out$radial_Qj <- if (ok) f$qj else NA_real_
      out$radial_Qj_pval <- if (ok) f$qj_pval else NA_real_
      out$radial_outlier <- if (ok) f$outlier else NA
      flags <- cbind(flags, out$radial_outlier)
    }
    if ("presso" %in% methods) {
      out$presso_pval <- NA_real_
      if (J >= 4) {
        p <- presso_outlier_pvalues(d, ...)
        if (length(p$pval) == J) out$presso_pval <- p$pval
        # MR-PRESSO flags a variant when its Bonferroni-corrected p is <= the threshold.
        out$presso_outlier <- out$presso_pval <= p$threshold
      } else {
        out$presso_outlier <- NA
      }
      flags <- cbind(flags, out$presso_outlier)
    }
    out$outlier <- apply(flags, 1L, function(f) any(f %in% TRUE))
    out
  })
  cols <- c("id.exposure", "id.outcome", "exposure", "outcome", "SNP")
  res <- if (length(tabs)) do.call(rbind, tabs) else
    data.frame(stats::setNames(replicate(length(cols), character(), simplify = FALSE), cols))
  rownames(res) <- NULL
  structure(res, class = c("mrkit_outliers", "data.frame"), alpha = alpha, methods = methods)
}

# MR-PRESSO outlier-test p-values of one pair (NA when the global test is not significant,
# as MR-PRESSO then runs no outlier test).
presso_outlier_pvalues <- function(d, NbDistribution = 1000, SignifThreshold = 0.05, seed = NULL) {
  seed <- seed %||% draw_seed(list(seed = NULL))
  res <- mr_presso(BetaOutcome = "beta.outcome", BetaExposure = "beta.exposure",
                SdOutcome = "se.outcome", SdExposure = "se.exposure",
                data = as.data.frame(d[c("beta.exposure", "beta.outcome", "se.exposure", "se.outcome")]),
                OUTLIERtest = TRUE, DISTORTIONtest = FALSE, SignifThreshold = SignifThreshold,
                NbDistribution = NbDistribution, seed = seed)
  main <- res[["MR-PRESSO results"]] %||% res
  ot <- main[["Outlier Test"]]
  pval <- if (is.data.frame(ot) && "Pvalue" %in% names(ot)) {
    suppressWarnings(as.numeric(sub("<", "", as.character(ot$Pvalue), fixed = TRUE)))
  } else {
    NA_real_
  }
  list(pval = pval, threshold = SignifThreshold)
}

#' Re-run MR without outlying variants
#'
#' Drops the variants flagged by [mr_outliers()] from each exposure-outcome pair and runs
#' [mr()] on the rest, in one call. The dropped variants are appended to the result's
#' `audit` attribute with reason `"outlier (<diagnostics>)"`, and the diagnostics table is
#' kept in `attr(result, "outliers")`.
#'
#' @inheritParams mr
#' @param outliers A table from [mr_outliers()]; `NULL` (default) computes it with
#'   `methods` and `alpha`.
#' @param flag Which flags remove a variant: `"any"` (default: flagged by any computed
#'   diagnostic), or one or more of `"q"`, `"radial"`, `"presso"`.
#' @param methods,alpha,... Passed to [mr_outliers()] when `outliers` is `NULL`.
#' @return The [mr()] result (class `mrkit_results`) on the data without the flagged
#'   variants, with attributes `audit` (including the removed variants) and `outliers`.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 30, b = 0.2, pleiotropy = "outliers", seed = 2)
#' res <- mr_without_outliers(dat, method_list = c("mr_ivw", "mr_egger_regression"),
#'                            methods = c("q", "radial"))
#' res
#' attr(res, "audit")
mr_without_outliers <- function(dat, outliers = NULL, flag = "any", parameters = default_parameters(),
                                method_list = NULL, threads = getOption("mrkit.threads", 1L),
                                methods = c("q", "radial", "presso"), alpha = 0.05, ...) {
  call <- rlang::current_env()
  outliers <- outliers %||% mr_outliers(dat, parameters, methods = methods, alpha = alpha, ...)
  if (!inherits(outliers, "mrkit_outliers")) {
    abort_mrkit("input_type", "{.arg outliers} must be a table from {.fn mr_outliers}.", call = call)
  }
  cols <- c(q = "q_outlier", radial = "radial_outlier", presso = "presso_outlier")
  if (!is.character(flag) || !length(flag) || !all(flag %in% c("any", names(cols)))) {
    abort_mrkit("parameter", "{.arg flag} must be {.val any} or any of {.val {names(cols)}}.", call = call)
  }
  use <- if ("any" %in% flag) names(cols) else flag
  use <- use[cols[use] %in% names(outliers)]
  if (!length(use)) {
    abort_mrkit("parameter", "{.arg outliers} has none of the flags named in {.arg flag}.", call = call)
  }
  hit <- as.matrix(as.data.frame(outliers)[cols[use]]) %in% TRUE
  hit <- matrix(hit, nrow = nrow(outliers))
  bad <- rowSums(hit) > 0
  removed <- as.data.frame(outliers)[bad, c("id.exposure", "id.outcome", "SNP"), drop = FALSE]
  removed$reason <- if (any(bad)) {
    apply(hit[bad, , drop = FALSE], 1L, function(h) paste0("outlier (", paste(use[h], collapse = ", "), ")"))
  } else character()
  key <- function(x) paste(x$id.exposure, x$id.outcome, x$SNP, sep = "\r")
  keep <- !key(dat) %in% key(removed)
  res <- mr(dat[keep, , drop = FALSE], parameters = parameters, method_list = method_list, threads = threads)
  audit <- attr(res, "audit")
  audit <- rbind(audit, removed[names(audit)])
  rownames(audit) <- NULL
  attr(res, "audit") <- audit
  attr(res, "outliers") <- outliers
  res
}

#' @export
print.mrkit_outliers <- function(x, ...) {
  df <- as.data.frame(x)
  if (!all(c("id.exposure", "id.outcome", "outlier") %in% names(df))) {
    print(structure(df, class = "data.frame"), ...)
    return(invisible(x))
  }
  n_pairs <- nrow(unique(df[c("id.exposure", "id.outcome")]))
  cat("Outlier diagnostics (", paste(attr(x, "methods"), collapse = ", "), "; alpha = ",
      attr(x, "alpha"), ") for ", n_pairs, " exposure-outcome pair", if (n_pairs == 1) "" else "s",
      ": ", sum(x$outlier), " of ", nrow(x), " variants flagged\n", sep = "")
  print(structure(df, class = "data.frame"), ...)
  invisible(x)
}
