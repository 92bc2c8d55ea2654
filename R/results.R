# The result class of mr() and the other TwoSampleMR-style verbs: a data.frame with a class
# in front, so code that treats it as a data.frame keeps working.

new_mrkit_results <- function(x, parameters = NULL, audit = NULL, class = character()) {
  stopifnot(is.data.frame(x))
  attr(x, "parameters") <- parameters
  attr(x, "audit") <- audit
  class(x) <- unique(c(class, "mrkit_results", "data.frame"))
  x
}

#' @export
print.mrkit_results <- function(x, digits = 4, ...) {
  n_pairs <- if (all(c("id.exposure", "id.outcome") %in% names(x))) {
    nrow(unique(as.data.frame(x)[c("id.exposure", "id.outcome")]))
  } else NA
  cli::cat_line(cli::format_inline("{.cls mrkit_results}: {nrow(x)} row{?s}",
                                   if (!is.na(n_pairs)) ", {n_pairs} exposure-outcome pair{?s}" else ""))
  df <- as.data.frame(x)
  attr(df, "parameters") <- attr(df, "audit") <- NULL
  print(format_seed_column(df), digits = digits, ...)
  p <- attr(x, "parameters")
  if (!is.null(p) && "nboot" %in% names(df) && any(!is.na(df$nboot))) {
    cli::cat_line(cli::format_inline("Bootstrap: nboot = {p$nboot}; seeds in column {.field seed}."))
  }
  if (!is.null(p) && !identical(p$convention, "TwoSampleMR")) {
    cli::cat_line(cli::format_inline("Convention: {p$convention}."))
  }
  audit <- attr(x, "audit")
  if (!is.null(audit) && nrow(audit) > 0) {
    cli::cat_line(cli::format_inline("{nrow(audit)} row{?s} of the input not used; see {.code attr(x, \"audit\")}."))
  }
  invisible(x)
}

#' @export
as.data.frame.mrkit_results <- function(x, ...) {
  attr(x, "parameters") <- attr(x, "audit") <- NULL
  class(x) <- "data.frame"
  x
}

# Seeds are whole numbers up to 2^31: shown as integers, not as 1.458e+09.
format_seed_column <- function(df) {
  if ("seed" %in% names(df) && is.numeric(df$seed)) {
    df$seed <- ifelse(is.na(df$seed), NA_character_, sprintf("%.0f", df$seed))
  }
  df
}

#' @export
print.mrkit_scan <- function(x, n = 10, digits = 3, ...) {
  # A column subset of a scan is printed as plain results.
  needed <- c("analysis", "id.exposure", "id.outcome", "exposure", "outcome", "method",
              "nsnp", "b", "se", "pval")
  if (!all(needed %in% names(x))) return(NextMethod())
  df <- as.data.frame(x)
  mr_rows <- df[df$analysis == "mr", , drop = FALSE]
  n_exp <- length(unique(df$id.exposure))
  n_out <- length(unique(df$id.outcome))
  n_pairs <- nrow(unique(mr_rows[c("id.exposure", "id.outcome")]))
  methods <- unique(mr_rows$method)
  cli::cat_line(cli::format_inline(
    "{.cls mrkit_scan}: {n_exp} exposure{?s} x {n_out} outcome{?s}, {n_pairs} pair{?s} with estimates; {nrow(df)} row{?s}."))
  if (length(methods)) cli::cat_line(cli::format_inline("Methods: {methods}."))
  if (nrow(mr_rows)) {
    # Benjamini-Hochberg within each method, across the pairs of the scan.
    mr_rows$pval_bh <- stats::ave(mr_rows$pval, mr_rows$method, FUN = function(p) stats::p.adjust(p, "BH"))
    sig <- vapply(methods, function(m) sum(mr_rows$pval_bh[mr_rows$method == m] < 0.05, na.rm = TRUE), 1L)
    cli::cat_line("Significant at FDR 5% (Benjamini-Hochberg within each method across pairs): ",
                  paste0(methods, " ", sig, collapse = "; "), ".")
  }
  strength <- df[df$analysis == "instrument_strength", , drop = FALSE]
  if (nrow(strength)) {
    weak <- sum(strength$mean_F < 10, na.rm = TRUE)
    cli::cat_line(cli::format_inline("Instrument strength: mean F {.val {signif(stats::median(strength$mean_F, na.rm = TRUE), 3)}} (median over pairs); {weak} pair{?s} with mean F < 10."))
  }
  if (nrow(mr_rows)) {
    top <- mr_rows[order(mr_rows$pval), c("exposure", "outcome", "method", "nsnp", "b", "se", "pval", "pval_bh"), drop = FALSE]
    short <- function(z, w = 24L) ifelse(nchar(z) > w, paste0(substr(z, 1L, w - 3L), "..."), z)
    top$exposure <- short(top$exposure)
    top$outcome <- short(top$outcome)
    shown <- utils::head(top, n)
    cli::cat_line(cli::format_inline("Top {nrow(shown)} of {nrow(top)} estimate{?s} by p-value:"))
    rownames(shown) <- NULL
    print(shown, digits = digits, ...)
  }
  audit <- attr(x, "audit")
  if (!is.null(audit) && nrow(audit) > 0) {
    cli::cat_line(cli::format_inline("{nrow(audit)} exposure{?s}/pair{?s} without results; see {.code attr(x, \"audit\")}."))
  }
  cli::cat_line(cli::format_inline("All rows: {.code as.data.frame(x)}; analyses: {.val {unique(df$analysis)}}."))
  invisible(x)
}

# Lists with one result per exposure-outcome pair (run_mr_presso(), mr_rucker() and its
# bootstrap and jackknife): printed pair by pair, compactly, without the attributes.
#' @export
print.mrkit_pair_list <- function(x, digits = 4, ...) {
  ids_e <- attr(x, "exposure") %||% attr(x, "id.exposure")
  ids_o <- attr(x, "outcome") %||% attr(x, "id.outcome")
  cli::cat_line(cli::format_inline("{.cls {class(x)[1]}}: {length(x)} exposure-outcome pair{?s}; elements {.code x[[i]]}."))
  for (i in seq_along(x)) {
    label <- if (length(ids_e) >= i) paste0(ids_e[i], " on ", ids_o[i]) else paste("Pair", i)
    cli::cat_line()
    cli::cat_line(cli::rule(left = paste0("[[", i, "]] ", label)))
    el <- x[[i]]
    if (is.null(el)) {
      cli::cat_line("No result (too few variants).")
    } else if (inherits(el, "mrkit_presso")) {
      print_presso_compact(el, digits = digits)
    } else {
      print_list_compact(el, digits = digits)
    }
  }
  invisible(x)
}

print_presso_compact <- function(el, digits) {
  main <- el[["Main MR results"]]
  print(main, digits = digits, row.names = FALSE)
  res <- el[["MR-PRESSO results"]]
  g <- res[["Global Test"]]
  cli::cat_line("Global test: RSSobs = ", format(g$RSSobs, digits = digits), ", p = ",
                format(g$Pvalue, digits = digits))
  ot <- res[["Outlier Test"]]
  info <- attr(el, "mrkit")
  if (!is.null(ot)) {
    idx <- info$outliers
    out <- if (is.numeric(idx) && length(idx)) rownames(ot)[idx] else character()
    cli::cat_line("Outlier test: ", length(out), " outlier", if (length(out) != 1L) "s", " of ", nrow(ot),
                  " variants", if (length(out)) paste0(" (", paste(utils::head(out, 10), collapse = ", "),
                                                      if (length(out) > 10) ", ..." else "", ")"))
  }
  dt <- res[["Distortion Test"]]
  if (!is.null(dt) && !is.character(dt[["Outliers Indices"]])) {
    cli::cat_line("Distortion test: coefficient = ", format(unname(dt[["Distortion Coefficient"]]), digits = digits),
                  ", p = ", format(dt$Pvalue, digits = digits))
  }
  if (!is.null(info)) {
    cli::cat_line("NbDistribution = ", info$NbDistribution, ", seed = ", sprintf("%.0f", info$seed))
  }
}

# Data frames as short tables, scalars on one line, long vectors summarised.
print_list_compact <- function(el, digits) {
  for (nm in names(el)) {
    v <- el[[nm]]
    if (is.data.frame(v)) {
      cli::cat_line(nm, ":")
      print(format_seed_column(utils::head(v, 8)), digits = digits, row.names = FALSE)
      if (nrow(v) > 8) cli::cat_line("  ... ", nrow(v) - 8, " more rows (", nrow(v), " in all)")
    } else if (is.atomic(v) && length(v) == 1L) {
      val <- if (nm == "seed" && is.numeric(v)) sprintf("%.0f", v) else format(v, digits = digits)
      cli::cat_line(nm, ": ", val)
    } else if (is.numeric(v)) {
      top <- if (!is.null(names(v)) && any(!is.na(v))) paste0(" (largest: ", names(v)[which.max(v)], ")") else ""
      cli::cat_line(nm, ": ", length(v), " values, range ", format(min(v, na.rm = TRUE), digits = digits),
                    " to ", format(max(v, na.rm = TRUE), digits = digits), top)
    } else if (is.list(v)) {
      cli::cat_line(nm, ": a list (", paste(names(v), collapse = ", "), ")")
    } else {
      cli::cat_line(nm, ": ", paste(utils::head(format(v), 10), collapse = ", "), if (length(v) > 10) ", ...")
    }
  }
}
