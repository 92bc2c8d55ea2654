# Internal helpers shared by the plot functions: splitting a table into exposure-outcome
# pairs, naming the list elements, the classed message for too few SNPs, sizes that scale
# with the number of rows, and the log / odds-ratio effect axis.

#' @importFrom rlang .data
NULL

# Check that a table to be plotted is a data frame with the named columns.
plot_check_table <- function(x, cols, what, from, call = rlang::caller_env()) {
  if (!is.data.frame(x)) {
    abort_mrkit("input_type", c("{.arg {what}} must be a data frame, not {.cls {class(x)}}.",
                                i = "Use the output of {.fn {from}}."), call = call)
  }
  missing <- setdiff(cols, names(x))
  if (length(missing)) {
    abort_mrkit("missing_column", c("{.arg {what}} lacks required column{?s} {.field {missing}}.",
                                    i = "Use the output of {.fn {from}} (or a table with its columns)."),
                call = call)
  }
  invisible(x)
}

# Rows of `x` grouped by exposure-outcome pair, in TwoSampleMR's order (sorted by
# id.exposure, then id.outcome), as a list named "<id.exposure>.<id.outcome>".
plot_split_pairs <- function(x) {
  key <- paste(x$id.exposure, x$id.outcome, sep = "\r")
  first <- !duplicated(key)
  pairs <- data.frame(id.exposure = as.character(x$id.exposure[first]),
                      id.outcome = as.character(x$id.outcome[first]), key = key[first],
                      stringsAsFactors = FALSE)
  pairs <- pairs[order(pairs$id.exposure, pairs$id.outcome), , drop = FALSE]
  out <- lapply(pairs$key, function(k) {
    d <- x[key == k, , drop = FALSE]
    rownames(d) <- NULL
    d
  })
  stats::setNames(out, plot_pair_name(pairs$id.exposure, pairs$id.outcome))
}

plot_pair_name <- function(id_exposure, id_outcome) paste(id_exposure, id_outcome, sep = ".")

# `fun(d, pair)` for the rows `d` of each pair of `x` (plot_split_pairs(): sorted and named
# by pair), with `pair` the pair's ids, which a message names even when `fun` keeps no row.
plot_each_pair <- function(x, fun) {
  lapply(plot_split_pairs(x), function(d) fun(d, d[1L, c("id.exposure", "id.outcome")]))
}

# The classed message for a pair with too few SNPs for a plot; the plot functions return
# NULL for that pair rather than a blank panel.
plot_inform_too_few <- function(plot, d, n, min_snps, unit = "SNP") {
  unit <- if (n == 1) unit else paste0(unit, "s")
  cli::cli_inform(
    c("No {plot} for {.val {d$id.exposure[1]}} on {.val {d$id.outcome[1]}}: {n} {unit}, at least {min_snps} needed.",
      i = "Its element of the returned list is {.code NULL}."),
    class = c("mrkit_message_too_few_snps", "mrkit_message"))
  NULL
}

# Font size (pt) of `n` SNP labels on a scatter plot: 8 pt up to 40 labels, then smaller,
# never below 5 pt. (Row labels of forest plots are 8 pt and shrink when drawn instead,
# to the spacing of their rows: plot_theme_fit().)
plot_row_text_size <- function(n) max(5, min(8, 320 / max(n, 1)))

# Long row labels (a pair "exposure -> outcome", a mediation effect) on lines of at most
# `width` characters, so that the label column never takes a small plot's whole width.
plot_wrap_label <- function(x, width = 32L) {
  vapply(x, function(s) {
    if (is.na(s) || nchar(s) <= width) return(s)
    paste(strwrap(s, width = width), collapse = "\n")
  }, character(1), USE.NAMES = FALSE)
}

# Default number of rows up to which SNP names are printed on a forest-type plot.
plot_snp_label_limit <- 100L

# An effect axis: on the log scale as estimated, or (exponentiate = TRUE) odds ratios on a
# log axis. `dat` columns named in `cols` are exponentiated in the second case.
plot_exponentiate <- function(d, cols, exponentiate) {
  if (isTRUE(exponentiate)) for (col in cols) d[[col]] <- exp(d[[col]])
  d
}

plot_effect_scale <- function(axis = c("x", "y"), exponentiate) {
  axis <- match.arg(axis)
  if (!isTRUE(exponentiate)) return(NULL)
  if (axis == "x") ggplot2::scale_x_log10() else ggplot2::scale_y_log10()
}

plot_check_flag <- function(x, arg, call = rlang::caller_env()) {
  if (!is.logical(x) || length(x) != 1L || is.na(x)) {
    abort_mrkit("parameter", "{.arg {arg}} must be TRUE or FALSE.", call = call)
  }
  x
}

# Labels (column SNP) of the points of `data` that do not hide one another: ggrepel's when
# it is installed, else plain text with overlapping labels left out. `size` in mm.
plot_point_labels <- function(data, size, colour) {
  aes_lab <- ggplot2::aes(label = .data$SNP)
  if (requireNamespace("ggrepel", quietly = TRUE)) {
    ggrepel::geom_text_repel(data = data, mapping = aes_lab, size = size, max.overlaps = Inf,
                             min.segment.length = 0, colour = colour, seed = 1)
  } else {
    ggplot2::geom_text(data = data, mapping = aes_lab, size = size, vjust = -0.6,
                       check_overlap = TRUE, colour = colour)
  }
}
