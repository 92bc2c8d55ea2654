# Summary forest plots of many results at once: one row per exposure (or outcome, or any
# label), methods side by side, significance after multiple testing marked. The drawing is
# shared with the design plots (bidirectional, mediation) through forest_ggplot().

#' Summary forest plot of many MR results
#'
#' Draws one row per exposure (or outcome) with the estimates of every method side by side,
#' as odds ratios or on the scale of `b`, and marks the estimates that remain significant
#' after Bonferroni or Benjamini-Hochberg correction. Works on the results of [mr()],
#' [mr_scan()], [mr_bidirectional()], or any table of published estimates with columns `b`
#' and `se` (or `lo_ci`, `up_ci`); nothing is looked up on a server.
#'
#' Intervals are the result's own `lo_ci`, `up_ci` when present (they follow each method's
#' distribution), otherwise `b +- qnorm(0.975) * se`; with `exponentiate = TRUE` all three
#' are exponentiated (odds ratios) and the axis is logarithmic.
#'
#' Significance: when `res` already has the columns of [mr_adjust()]
#' (`significant_bh` or `significant_bonferroni`) they are used as they are; otherwise
#' [mr_adjust()] is called with `by = family`, by default one family per panel column and
#' method (for a scan: over the exposures, separately for each outcome and method).
#' Significant estimates are filled points, the others open.
#'
#' Results of [mr_mediation()] are drawn by [mr_mediation_plot()], and those of
#' [mr_bidirectional()] (with their `direction` column, unless `label` or `columns` is
#' given) by [mr_bidirectional_plot()].
#'
#' Many rows: with more than 100 rows and `top = NULL`, only the 50 rows with the smallest
#' p-value are drawn (a message says so); set `top = Inf` for all of them, or use
#' [mr_scan_plot()] for an overview of every pair. Points shrink as rows are added; row
#' labels are 8 pt and shrink when the plot is drawn until neighbouring rows no longer
#' overlap (long labels are broken onto lines of at most 32 characters), and axis titles
#' shrink to the length of their panel side, so nothing is cut off at small sizes. For
#' labels at their full size, a height of about 0.12 inches per row and method suits
#' [ggplot2::ggsave()].
#'
#' @param res A data frame of results: `b` and `se` (or `lo_ci` and `up_ci`), and usually
#'   `exposure`, `outcome`, `method`, `pval`. For [mr_scan()] results only the rows with
#'   `analysis == "mr"` are used.
#' @param label Column naming the rows; default `"exposure"` when there are several
#'   exposures, else `"outcome"`.
#' @param columns Column whose values become side-by-side panels; default `"outcome"` when
#'   the rows are exposures and there are several outcomes (and vice versa). `NA` for none.
#' @param group Optional column whose values group the rows under headers (for example an
#'   immune-cell panel).
#' @param methods Methods to show (values of `method`), in this order; `NULL` for all.
#' @param exponentiate Draw odds ratios `exp(b)` on a log axis.
#' @param significance `"BH"`, `"bonferroni"` or `"none"`.
#' @param family Columns defining the multiple-testing families for [mr_adjust()]; default
#'   `columns` and `method`.
#' @param alpha False discovery rate (BH) or family-wise error rate (Bonferroni).
#' @param sort `"none"` (order of `res`), `"estimate"` (largest estimate of `sort_method` on
#'   top) or `"pval"` (smallest p-value on top); within `group`.
#' @param sort_method Method whose estimate sorts the rows; default inverse variance weighted
#'   when present, else the first method.
#' @param top Keep the `top` rows with the smallest p-value (over methods and panels).
#' @param significant_only Keep only the rows with at least one significant estimate.
#' @param xlab Axis title.
#' @return A ggplot object.
#' @seealso [forest_plot_1_to_many()] for 'TwoSampleMR''s arguments, [mr_scan_plot()].
#' @importFrom rlang .data
#' @export
#' @examples
#' panel <- simulate_scan_data(n_exposures = 6, n_outcomes = 1, seed = 1)
#' res <- mr_scan(panel$exposures, panel$outcomes, clump = FALSE,
#'                method_list = c("mr_ivw", "mr_egger_regression"))
#' mr_forest_summary(res, sort = "estimate", exponentiate = TRUE, significance = "bonferroni")
mr_forest_summary <- function(res, label = NULL, columns = NULL, group = NULL, methods = NULL,
                              exponentiate = FALSE, significance = c("BH", "bonferroni", "none"),
                              family = NULL, alpha = 0.05, sort = c("none", "estimate", "pval"),
                              sort_method = NULL, top = NULL, significant_only = FALSE, xlab = NULL) {
  call <- rlang::current_env()
  significance <- rlang::arg_match(significance)
  sort <- rlang::arg_match(sort)
  # The designs with their own display: one pair in two directions, one effect decomposed.
  if (inherits(res, "mrkit_mediation")) return(mr_mediation_plot(res))
  if (is.data.frame(res) && "direction" %in% names(res) && is.null(label) && is.null(columns)) {
    return(mr_bidirectional_plot(res, methods = methods, exponentiate = exponentiate))
  }
  d <- forest_summary_data(res, label = label, columns = columns, group = group, methods = methods,
                           exponentiate = exponentiate, significance = significance,
                           family = family, alpha = alpha, sort = sort, sort_method = sort_method,
                           top = top, significant_only = significant_only, call = call)
  sig_title <- switch(significance, none = NULL,
                      BH = sprintf("BH-adjusted p < %g", alpha),
                      bonferroni = sprintf("Bonferroni p < %g", alpha))
  if (is.null(xlab)) xlab <- if (exponentiate) "Odds ratio (95% CI)" else "Estimate (95% CI)"
  forest_ggplot(d, palette = mr_method_colours(levels(d$series)), series_title = "Method",
                xlab = xlab, exponentiate = exponentiate, sig_title = sig_title)
}

#' 1-to-many forest plot ('TwoSampleMR' arguments)
#'
#' 'TwoSampleMR''s `forest_plot_1_to_many()` with its arguments, drawn by mrkit as one
#' ggplot: one row per trait of `TraitM`, in the order of `mr_res`, with `b +- qnorm(0.975)
#' se` intervals. When `TraitM` is the outcome and `mr_res` has several exposures (or the
#' reverse), each exposure gets its own panel, as in 'TwoSampleMR'; several methods per
#' trait are drawn side by side in [mr_method_colours()]. Use [sort_1_to_many()]-style
#' ordering beforehand, or [mr_forest_summary()] for sorting, top-k selection and
#' multiple-testing marks.
#'
#' Arguments that lay out 'TwoSampleMR''s grid of separate plots (`col1_width`,
#' `addcol_widths`) have no counterpart in a single ggplot and are accepted and ignored.
#' `ao_slc = TRUE` (look trait categories up on the IEU server) is not supported: mrkit
#' works without a server; give the categories in a column and name it in `by`.
#'
#' @param mr_res Data frame of results.
#' @param b,se Names of the columns of estimates and standard errors.
#' @param TraitM Column naming the rows (the "many" traits).
#' @param col1_width Ignored.
#' @param col1_title Title of the trait column (the y axis).
#' @param exponentiate Draw `exp(b)` and its interval (odds ratios).
#' @param trans Transformation of the x axis, as `ggplot2::scale_x_continuous(trans =)`
#'   (for example `"log2"` for odds ratios).
#' @param ao_slc Must be `FALSE` (see Details).
#' @param lo,up Limits of the x axis (both or neither).
#' @param by Column whose values group the rows under subheadings.
#' @param xlab Title of the x axis.
#' @param addcols Columns printed as text to the right of the plot.
#' @param addcol_widths Ignored.
#' @param addcol_titles Titles of `addcols`.
#' @param subheading_size Text size (points) of the subheadings.
#' @param shape_points Shape of the points.
#' @param colour_scheme Colour of the points and lines when there is one method.
#' @param col_text_size Text size of the trait names (the default 5 gives 10 points).
#' @param weight `NULL` for equal points, or the name of a column scaling the point sizes.
#' @return A ggplot object.
#' @export
#' @examples
#' res <- data.frame(outcome = c("Asthma", "Eczema", "Psoriasis", "Crohn's disease"),
#'                   category = c("Allergy", "Allergy", "Autoimmune", "Autoimmune"),
#'                   b = c(0.12, 0.05, -0.08, 0.2), se = c(0.04, 0.03, 0.05, 0.07),
#'                   nsnp = c(25L, 25L, 24L, 22L))
#' forest_plot_1_to_many(res, by = "category", exponentiate = TRUE, trans = "log2",
#'                       addcols = "nsnp", addcol_titles = "SNPs")
forest_plot_1_to_many <- function(mr_res = "mr_res", b = "b", se = "se", TraitM = "outcome",
                                  col1_width = 1, col1_title = "", exponentiate = FALSE,
                                  trans = "identity", ao_slc = FALSE, lo = NULL, up = NULL,
                                  by = NULL, xlab = "Effect (95% confidence interval)",
                                  addcols = NULL, addcol_widths = NULL, addcol_titles = "",
                                  subheading_size = 6, shape_points = 15, colour_scheme = "black",
                                  col_text_size = 5, weight = NULL) {
  call <- rlang::current_env()
  if (!is.data.frame(mr_res)) {
    abort_mrkit("input_type", "{.arg mr_res} must be a data frame of results, not {.cls {class(mr_res)}}.", call = call)
  }
  if (isTRUE(ao_slc)) {
    abort_mrkit("unsupported", c("{.arg ao_slc = TRUE} looks trait categories up on a server, which mrkit does not do.",
                                 i = "Put the categories in a column of {.arg mr_res} and name it in {.arg by}."), call = call)
  }
  check_columns(mr_res, c(b, se, TraitM, by, addcols, weight), what = "mr_res", call = call)
  if (xor(is.null(lo), is.null(up))) {
    abort_mrkit("parameter", "Give both {.arg lo} and {.arg up}, or neither.", call = call)
  }
  df <- as.data.frame(mr_res)
  other <- setdiff(c("exposure", "outcome"), TraitM)
  cols <- if (length(other) == 1L && other %in% names(df) && length(unique(df[[other]])) > 1L) other
  est <- as.double(df[[b]])
  s <- as.double(df[[se]])
  z <- stats::qnorm(0.975)
  tf <- if (exponentiate) exp else identity
  methods <- if ("method" %in% names(df)) as.character(df$method) else rep("Estimate", nrow(df))
  d <- data.frame(label = as.character(df[[TraitM]]), series = methods,
                  b = tf(est), lo = tf(est - z * s), up = tf(est + z * s), sig = NA,
                  column = if (is.null(cols)) NA_character_ else as.character(df[[cols]]),
                  group = if (is.null(by)) NA_character_ else as.character(df[[by]]),
                  size = if (is.null(weight)) NA_real_ else as.double(df[[weight]]),
                  stringsAsFactors = FALSE)
  labels <- unique(d$label)
  if (!is.null(by)) {
    grp <- d$group[match(labels, d$label)]
    labels <- labels[order(match(grp, unique(grp)), method = "radix")]
  }
  d$row <- match(d$label, labels)
  d$series <- factor(d$series, levels = unique(d$series))
  sec <- NULL
  if (length(addcols)) {
    txt <- do.call(paste, c(lapply(addcols, function(a) format(df[[a]])), sep = "   "))
    sec <- list(labels = txt, title = paste(rep_len(addcol_titles, length(addcols)), collapse = "   "))
  }
  one <- nlevels(d$series) == 1L
  palette <- if (one) stats::setNames(colour_scheme, levels(d$series)) else mr_method_colours(levels(d$series))
  forest_ggplot(d, palette = palette, series_title = if (one) NULL else "Method", xlab = xlab,
                exponentiate = exponentiate, trans = trans,
                xlim = if (!is.null(lo)) c(lo, up), ytitle = col1_title, shape = shape_points,
                strip_size = subheading_size, label_size = 2 * col_text_size,
                sec = sec)
}

# -- data ---------------------------------------------------------------------------------

# The rows drawn by mr_forest_summary(): one per result, with label, series (method),
# b / lo / up (exponentiated when asked), sig, column, group and row (1 = top).
forest_summary_data <- function(res, label, columns, group, methods, exponentiate, significance,
                                family, alpha, sort, sort_method, top, significant_only = FALSE, call) {
  if (!is.data.frame(res)) {
    abort_mrkit("input_type", "{.arg res} must be a data frame of results, not {.cls {class(res)}}.", call = call)
  }
  df <- as.data.frame(res)
  if ("analysis" %in% names(df)) df <- df[!is.na(df$analysis) & df$analysis == "mr", , drop = FALSE]
  check_columns(df, "b", what = "res", call = call)
  if (!"se" %in% names(df) && !all(c("lo_ci", "up_ci") %in% names(df))) {
    abort_mrkit("missing_column", "{.arg res} needs a column {.field se} or the columns {.field lo_ci} and {.field up_ci}.", call = call)
  }
  if (!"method" %in% names(df)) df$method <- "Estimate"
  df$method <- as.character(df$method)
  if (!is.null(methods)) {
    miss <- setdiff(methods, df$method)
    if (length(miss)) {
      abort_mrkit("input_value", c("{.arg methods} must name methods of {.arg res}.",
                                   x = "Not found: {.val {miss}}.", i = "Methods: {.val {unique(df$method)}}."), call = call)
    }
    df <- df[df$method %in% methods, , drop = FALSE]
  }
  if (nrow(df) == 0L) abort_mrkit("input_value", "{.arg res} has no results to plot.", call = call)
  n_distinct <- function(col) if (col %in% names(df)) length(unique(df[[col]])) else 0L
  if (is.null(label) && n_distinct("exposure") == 1L && n_distinct("outcome") == 1L) {
    # One pair: its row is named "exposure -> outcome".
    df$pair <- paste(df$exposure, "->", df$outcome)
    label <- "pair"
    columns <- columns %||% NA
  }
  if (is.null(label)) label <- if (n_distinct("exposure") > 1L || n_distinct("outcome") == 0L) "exposure" else "outcome"
  if (is.null(columns)) {
    other <- setdiff(c("exposure", "outcome"), label)
    columns <- if (length(other) == 1L && n_distinct(other) > 1L) other else NA
  }
  columns <- if (length(columns) == 1L && is.na(columns)) NULL else columns
  check_columns(df, c(label, columns, group), what = "res", call = call)
  z <- stats::qnorm(0.975)
  lo <- if ("lo_ci" %in% names(df)) as.double(df$lo_ci) else rep(NA_real_, nrow(df))
  up <- if ("up_ci" %in% names(df)) as.double(df$up_ci) else rep(NA_real_, nrow(df))
  if ("se" %in% names(df)) {
    miss <- is.na(lo) | is.na(up)
    lo[miss] <- df$b[miss] - z * df$se[miss]
    up[miss] <- df$b[miss] + z * df$se[miss]
  }
  sig <- forest_significance(df, significance, family %||% c(columns, "method"), alpha, call = call)
  tf <- if (exponentiate) exp else identity
  pval <- if ("pval" %in% names(df)) as.double(df$pval) else rep(NA_real_, nrow(df))
  d <- data.frame(label = as.character(df[[label]]), series = df$method, b = tf(as.double(df$b)),
                  lo = tf(lo), up = tf(up), sig = sig, pval = pval,
                  column = if (is.null(columns)) NA_character_ else as.character(df[[columns]]),
                  group = if (is.null(group)) NA_character_ else as.character(df[[group]]),
                  size = NA_real_, stringsAsFactors = FALSE)
  d <- d[!is.na(d$b), , drop = FALSE]
  if (nrow(d) == 0L) abort_mrkit("input_value", "Every estimate in {.arg res} is missing.", call = call)
  if (isTRUE(significant_only)) {
    if (significance == "none") {
      abort_mrkit("parameter", "{.arg significant_only} needs {.arg significance} other than {.val none}.", call = call)
    }
    keep <- unique(d$label[d$sig %in% TRUE])
    if (length(keep) == 0L) abort_mrkit("input_value", "No estimate is significant after {significance} correction.", call = call)
    d <- d[d$label %in% keep, , drop = FALSE]
  }
  labels <- unique(d$label)
  min_p <- vapply(split(d$pval, factor(d$label, levels = labels)),
                  function(p) if (all(is.na(p))) Inf else min(p, na.rm = TRUE), 1)
  if (is.null(top) && length(labels) > 100L) {
    top <- 50L
    cli::cli_inform(c("{length(labels)} rows: drawing the 50 with the smallest p-value.",
                      i = "Set {.arg top} (or {.code top = Inf}) to choose; {.fn mr_scan_plot} shows every pair."))
  }
  if (!is.null(top) && is.finite(top) && top < length(labels)) {
    keep <- labels[order(min_p, method = "radix")[seq_len(top)]]
    d <- d[d$label %in% keep, , drop = FALSE]
    labels <- labels[labels %in% keep]
    min_p <- min_p[labels]
  }
  d$series <- factor(d$series, levels = methods %||% unique(d$series))
  key <- switch(sort,
    none = seq_along(labels),
    pval = rank(min_p, ties.method = "first"),
    estimate = {
      sm <- sort_method %||% (if ("Inverse variance weighted" %in% d$series) "Inverse variance weighted" else levels(d$series)[1])
      if (length(sm) != 1L || !sm %in% levels(d$series)) {
        abort_mrkit("input_value", c("{.arg sort_method} must be one method of the plotted results.",
                                     i = "Methods: {.val {levels(d$series)}}."), call = call)
      }
      first_col <- d$column[1]
      s <- d[d$series == sm & (is.na(first_col) | d$column == first_col), , drop = FALSE]
      -s$b[match(labels, s$label)]
    })
  grp <- d$group[match(labels, d$label)]
  ord <- order(match(grp, unique(grp)), key, seq_along(labels), method = "radix", na.last = TRUE)
  d$row <- match(d$label, labels[ord])
  d
}

# Significance flags: mr_adjust()'s columns when res has them, else computed.
forest_significance <- function(df, significance, family, alpha, call) {
  if (significance == "none") return(rep(NA, nrow(df)))
  col <- c(BH = "significant_bh", bonferroni = "significant_bonferroni")[[significance]]
  if (col %in% names(df)) return(as.logical(df[[col]]))
  if (!"pval" %in% names(df)) return(rep(NA, nrow(df)))
  family <- intersect(family, names(df))
  adj <- mr_adjust(df, method = significance, by = if (length(family)) family, alpha = alpha)
  adj[[col]]
}

# -- drawing ------------------------------------------------------------------------------

# Draw forest rows: `d` has label, series (factor), b, lo, up (on the drawn scale), sig
# (logical or NA), column, group (NA for none), size (NA for constant) and row (1 = top).
# Rows are at y = n_rows - row + 1; the series of a row are spread around it (first on top).
forest_ggplot <- function(d, palette, series_title, xlab, exponentiate, sig_title = NULL,
                          trans = if (exponentiate) "log" else "identity", xlim = NULL,
                          ytitle = NULL, shape = 16, strip_size = NULL, label_size = NULL,
                          sec = NULL, facet_scales = "free_y", null_value = if (exponentiate) 1 else 0) {
  n_rows <- max(d$row)
  lev <- levels(d$series)
  m <- length(lev)
  width <- if (m > 1L) 0.75 else 0
  offset <- ((m + 1) / 2 - seq_len(m)) * width / max(m, 1L)
  d$y <- n_rows - d$row + 1 + offset[as.integer(d$series)]
  has_sig <- !is.null(sig_title) && any(!is.na(d$sig))
  if (has_sig) {
    d$significance <- factor(ifelse(!is.na(d$sig) & d$sig, "yes", "no"), levels = c("yes", "no"))
  }
  pos <- n_rows - seq_len(n_rows) + 1
  lab_of <- plot_wrap_label(d$label[match(seq_len(n_rows), d$row)])
  sec_lab <- if (!is.null(sec)) sec$labels[match(seq_len(n_rows), d$row)]
  lookup <- function(values) function(b) values[match(round(b, 6), round(pos, 6))]
  # Points shrink with the number of drawn rows; row labels are 8 pt and shrink when drawn
  # until neighbouring rows no longer overlap (plot_theme_fit(), as the per-SNP forests).
  dense <- n_rows * max(1L, m)
  text_size <- label_size %||% 8
  pt <- if (dense <= 40) 2 else if (dense <= 100) 1.5 else 1
  has_size <- !all(is.na(d$size))
  mapping <- if (has_sig && has_size) ggplot2::aes(shape = .data$significance, size = .data$size) else
    if (has_sig) ggplot2::aes(shape = .data$significance) else if (has_size) ggplot2::aes(size = .data$size)
  params <- c(if (!has_size) list(size = pt), if (!has_sig) list(shape = shape))
  pt_layer <- do.call(ggplot2::geom_point, c(list(mapping = mapping), params))
  p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$b, y = .data$y, colour = .data$series)) +
    ggplot2::geom_vline(xintercept = null_value, colour = "grey50", linetype = "dashed", linewidth = 0.3) +
    ggplot2::geom_linerange(ggplot2::aes(xmin = .data$lo, xmax = .data$up), orientation = "y",
                            linewidth = if (dense <= 100) 0.5 else 0.3) +
    pt_layer +
    ggplot2::scale_colour_manual(values = palette, breaks = lev, name = series_title,
                                 guide = if (is.null(series_title)) "none" else ggplot2::guide_legend(order = 1)) +
    ggplot2::scale_y_continuous(
      breaks = pos, labels = lookup(lab_of), expand = ggplot2::expansion(add = 0.6),
      name = ytitle,
      sec.axis = if (!is.null(sec)) ggplot2::dup_axis(labels = lookup(sec_lab), name = sec$title) else ggplot2::waiver()) +
    ggplot2::scale_x_continuous(trans = trans, name = xlab,
                                breaks = if (!identical(trans, "identity")) forest_log_breaks else ggplot2::waiver()) +
    ggplot2::theme_bw(base_size = 10) +
    plot_theme_fit() +
    ggplot2::theme(panel.grid.minor = ggplot2::element_blank(),
                   panel.grid.major.y = ggplot2::element_blank(),
                   axis.text.y = ggplot2::element_text(size = text_size),
                   strip.text.y.left = ggplot2::element_text(angle = 0, hjust = 0),
                   strip.placement = "outside",
                   strip.background = ggplot2::element_rect(fill = "grey92", colour = NA),
                   # legends one entry a line: a row of method names is wider than a small
                   # plot; aligned to the panel's right edge, so that a legend wider than
                   # the panel reaches left under the row labels, not off the plot
                   legend.position = "bottom", legend.box = "vertical", legend.direction = "vertical",
                   legend.justification = "right", legend.box.just = "left")
  if (!is.null(strip_size)) p <- p + ggplot2::theme(strip.text = ggplot2::element_text(size = strip_size))
  if (has_sig) {
    p <- p + ggplot2::scale_shape_manual(values = c(yes = 16, no = 1), name = sig_title, drop = FALSE,
                                         guide = ggplot2::guide_legend(order = 2))
  }
  if (has_size) p <- p + ggplot2::scale_size_continuous(guide = "none", range = c(1, 4))
  if (!is.null(xlim)) p <- p + ggplot2::coord_cartesian(xlim = xlim)
  has_col <- any(!is.na(d$column))
  has_grp <- any(!is.na(d$group))
  # Panels in the order of the results (groups: of the rows), not alphabetical.
  if (has_col) p$data$column <- factor(d$column, levels = unique(d$column))
  if (has_grp) p$data$group <- factor(d$group, levels = unique(d$group[order(d$row)]))
  if (facet_scales == "free" && has_col) {
    p <- p + ggplot2::facet_wrap(ggplot2::vars(.data$column), scales = "free", ncol = 1)
  } else if (has_col || has_grp) {
    p <- p + ggplot2::facet_grid(rows = if (has_grp) ggplot2::vars(.data$group),
                                 cols = if (has_col) ggplot2::vars(.data$column),
                                 scales = facet_scales, space = if (facet_scales == "free_y") "free_y" else "fixed",
                                 switch = if (has_grp) "y")
  }
  p
}

# Breaks of a logarithmic odds-ratio axis: round numbers on the odds-ratio scale, several
# of them even when the intervals span a narrow range around 1.
forest_log_breaks <- function(limits) {
  limits <- limits[is.finite(limits) & limits > 0]
  if (length(limits) < 2L) return(NULL)
  if (max(limits) / min(limits) > 4) return(grDevices::axisTicks(log10(range(limits)), log = TRUE))
  pretty(limits)
}

#' Sort results for a 1-to-many forest plot ('TwoSampleMR' arguments)
#'
#' Orders the rows of a results table before [forest_plot_1_to_many()], which draws rows in
#' the order given, with the sort actions of 'TwoSampleMR''s `sort_1_to_many()`:
#'
#' 1. by decreasing effect within groups, groups in their order of first appearance;
#' 2. by group (alphabetically), then by decreasing effect;
#' 3. rows sharing a value of `group` together (for example the results of several methods
#'    for one trait): each group placed by the effect of its `priority` row (the row whose
#'    `trait_m` equals `priority`, listed first in the group), groups of one row by their
#'    own effect, largest first;
#' 4. by decreasing effect;
#' 5. by increasing effect.
#'
#' @param mr_res Data frame of results.
#' @param b Name of the effect column.
#' @param trait_m Name of the column of trait names (the "many" traits).
#' @param sort_action 1 to 5, see Details.
#' @param group Name of the grouping column (sort actions 1 to 3).
#' @param priority For sort action 3, the value of `trait_m` that orders and leads each group.
#' @return `mr_res` with its rows reordered.
#' @export
#' @examples
#' res <- data.frame(outcome = c("Asthma", "Eczema", "Psoriasis", "Crohn's disease"),
#'                   category = c("Allergy", "Allergy", "Autoimmune", "Autoimmune"),
#'                   b = c(0.05, 0.12, -0.08, 0.2), se = c(0.04, 0.03, 0.05, 0.07))
#' sort_1_to_many(res, sort_action = 1, group = "category")
sort_1_to_many <- function(mr_res, b = "b", trait_m = "outcome", sort_action = 4, group = NULL,
                           priority = NULL) {
  call <- rlang::current_env()
  if (!is.data.frame(mr_res)) {
    abort_mrkit("input_type", "{.arg mr_res} must be a data frame of results, not {.cls {class(mr_res)}}.", call = call)
  }
  if (!is.numeric(sort_action) || length(sort_action) != 1L || !sort_action %in% 1:5) {
    abort_mrkit("parameter", "{.arg sort_action} must be one of 1, 2, 3, 4, 5.", call = call)
  }
  check_columns(mr_res, c(b, trait_m, group), what = "mr_res", call = call)
  if (sort_action %in% 1:3 && is.null(group)) {
    abort_mrkit("missing_argument", "Sort action {sort_action} needs a grouping column {.arg group}.", call = call)
  }
  if (sort_action == 3 && is.null(priority)) {
    abort_mrkit("missing_argument", "Sort action 3 needs {.arg priority}, a value of {.field {trait_m}}.", call = call)
  }
  est <- as.double(mr_res[[b]])
  g <- if (!is.null(group)) as.character(mr_res[[group]])
  ord <- switch(as.character(sort_action),
    "1" = order(match(g, unique(g)), -est, method = "radix"),
    "2" = order(g, -est, method = "radix"),
    "3" = {
      lead <- as.character(mr_res[[trait_m]]) == as.character(priority)
      size <- stats::ave(seq_along(g), g, FUN = length)
      key <- ifelse(size > 1L, NA_real_, est)
      pri <- tapply(ifelse(lead, est, NA_real_), g, function(v) if (all(is.na(v))) NA_real_ else max(v, na.rm = TRUE))
      key[size > 1L] <- pri[g[size > 1L]]
      order(-key, match(g, unique(g)), !lead, method = "radix")
    },
    "4" = order(-est, method = "radix"),
    "5" = order(est, method = "radix"))
  out <- mr_res[ord, , drop = FALSE]
  out
}
