# Plots of per-SNP results: forest, leave-one-out, funnel and density plots, with
# 'TwoSampleMR''s names, arguments and list-of-ggplots return shape.

#' Forest plot of single-SNP estimates
#'
#' 'TwoSampleMR''s `mr_forest_plot()`: for each exposure-outcome
#' pair of [mr_singlesnp()] output, each SNP's Wald ratio with its interval `b +/- 1.96 se`,
#' SNPs sorted by estimate, and the rows `"All - <method>"` (estimates on all SNPs, by
#' default IVW and MR Egger) in red with thicker lines at the bottom, below a grey
#' separator, as in 'TwoSampleMR'; a dotted reference line at no effect.
#'
#' Readable from a handful to hundreds of SNPs at any size it is drawn at: the SNP names
#' are 8 pt, and shrink when the plot is drawn until neighbouring rows no longer overlap;
#' axis titles shrink (or break onto two lines) to the length of their panel side. Above
#' `snp_labels` rows the names are left out (the axis then says how many SNPs are drawn,
#' in order of estimate); points and lines get thinner. For names at their full size,
#' save the plot with a height of about `1 + 0.12 * rows` inches (e.g.
#' `ggplot2::ggsave(height = 13)` for 100 labelled rows).
#' `top_k` keeps only the `k` SNPs with the smallest standard errors (the largest
#' inverse-variance weights, which drive the IVW estimate), and `snp_estimates = FALSE`
#' keeps only the summary rows; the caption says how many SNPs are not drawn.
#'
#' @param singlesnp_results Output of [mr_singlesnp()], or a data frame with its columns
#'   `id.exposure, id.outcome, exposure, outcome, SNP, b, se`.
#' @param exponentiate `FALSE` (default): estimates on the scale of the analysis (for a
#'   binary outcome, log odds ratios) with the reference line at 0. `TRUE`: odds ratios
#'   `exp(b)` and their intervals on a logarithmic axis, reference line at 1.
#' @param snp_estimates `TRUE` (default) to draw the per-SNP rows; `FALSE` for the summary
#'   rows only.
#' @param top_k `NULL` (default) for every SNP, or a number `k`: draw only the `k` SNPs
#'   with the smallest standard errors.
#' @param snp_labels Whether to write the SNP names on the axis; `NULL` (default) writes
#'   them when at most 100 SNP rows are drawn.
#' @param category_colours `NULL` or a named vector of colours for the values of a
#'   `category` column of `singlesnp_results` (for instance a biological pathway per SNP);
#'   with a `category` column and `NULL`, the Okabe-Ito colours are used.
#' @return A list of ggplot objects, one per pair (sorted by `id.exposure`, then
#'   `id.outcome`), named `"<id.exposure>.<id.outcome>"`. A pair with fewer than two SNPs
#'   gets `NULL` and a message of class `mrkit_message_too_few_snps` (no blank panel).
#' @seealso [mr_leaveoneout_plot()], [mr_funnel_plot()], [mr_density_plot()],
#'   [mr_scatter_plot()]
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 20, b = 0.3, seed = 1)
#' p <- mr_forest_plot(mr_singlesnp(dat))
#' p[[1]]
#' big <- simulate_mr_data(nsnp = 300, b = 0.3, seed = 1)
#' p <- mr_forest_plot(mr_singlesnp(big), top_k = 30)
mr_forest_plot <- function(singlesnp_results, exponentiate = FALSE, snp_estimates = TRUE,
                           top_k = NULL, snp_labels = NULL, category_colours = NULL) {
  call <- rlang::current_env()
  snp_plot_check(singlesnp_results, "mr_singlesnp", call)
  plot_check_flag(exponentiate, "exponentiate", call = call)
  plot_check_flag(snp_estimates, "snp_estimates", call = call)
  forest_check_rows_args(top_k, snp_labels, call)
  plot_each_pair(singlesnp_results, function(d, pair) {
    d <- d[!is.na(d$b) & !is.na(d$se), , drop = FALSE]
    is_summary <- grepl("^All - ", d$SNP)
    n <- sum(!is_summary)
    if (n < 2L) return(plot_inform_too_few("forest plot", pair, n, 2L))
    forest_build(d, is_summary, exponentiate, snp_estimates, top_k, snp_labels, category_colours,
                 xlab = paste0(if (exponentiate) "MR odds ratio for" else "MR effect size for",
                               "\n'", d$exposure[1], "' on '", d$outcome[1], "'"))
  })
}

#' Forest plot of leave-one-out estimates
#'
#' 'TwoSampleMR''s `mr_leaveoneout_plot()`: for each pair of
#' [mr_leaveoneout()] output, the estimate without each SNP (row named by the omitted SNP)
#' with `b +/- 1.96 se`, sorted by estimate, and the `"All"` row (every SNP) in red at the
#' bottom, below a grey separator. Sizes, SNP names and `top_k` as in [mr_forest_plot()]
#' (`top_k` keeps the `k` rows whose omission moves the estimate most).
#'
#' @inheritParams mr_forest_plot
#' @param leaveoneout_results Output of [mr_leaveoneout()], or a data frame with its
#'   columns `id.exposure, id.outcome, exposure, outcome, SNP, b, se`.
#' @return A list of ggplot objects, one per pair, named `"<id.exposure>.<id.outcome>"`. A
#'   pair with fewer than three SNPs gets `NULL` and a message of class
#'   `mrkit_message_too_few_snps`.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 20, b = 0.3, seed = 1)
#' p <- mr_leaveoneout_plot(mr_leaveoneout(dat))
#' p[[1]]
mr_leaveoneout_plot <- function(leaveoneout_results, exponentiate = FALSE, top_k = NULL,
                                snp_labels = NULL) {
  call <- rlang::current_env()
  snp_plot_check(leaveoneout_results, "mr_leaveoneout", call)
  plot_check_flag(exponentiate, "exponentiate", call = call)
  forest_check_rows_args(top_k, snp_labels, call)
  plot_each_pair(leaveoneout_results, function(d, pair) {
    d <- d[!is.na(d$b) & !is.na(d$se), , drop = FALSE]
    is_summary <- d$SNP == "All"
    n <- sum(!is_summary)
    if (n < 3L) return(plot_inform_too_few("leave-one-out plot", pair, n, 3L, "left-out SNP"))
    if (!is.null(top_k) && any(is_summary)) {
      # rank by the shift of the estimate from the all-SNP estimate
      d$se_rank <- d$se
      d$se_rank[!is_summary] <- -abs(d$b[!is_summary] - d$b[is_summary][1])
    }
    forest_build(d, is_summary, exponentiate, TRUE, top_k, snp_labels, NULL,
                 xlab = paste0("MR leave-one-out sensitivity analysis", if (exponentiate) " (odds ratio)",
                               " for\n'", d$exposure[1], "' on '", d$outcome[1], "'"),
                 what = if (!is.null(top_k)) "with the largest change of the estimate" else NULL)
  })
}

forest_check_rows_args <- function(top_k, snp_labels, call) {
  if (!is.null(top_k) && (!is.numeric(top_k) || length(top_k) != 1L || is.na(top_k) || top_k < 1)) {
    abort_mrkit("parameter", "{.arg top_k} must be NULL or a single number >= 1.", call = call)
  }
  if (!is.null(snp_labels)) plot_check_flag(snp_labels, "snp_labels", call = call)
}

snp_plot_check <- function(x, from, call) {
  plot_check_table(x, c("id.exposure", "id.outcome", "exposure", "outcome", "SNP", "b", "se"),
                   paste0(sub("^mr_", "", from), "_results"), from, call = call)
}

# The shared forest layout of the single-SNP and leave-one-out plots. Rows are placed at
# numeric positions: summary rows 1..m from the bottom (times a gap that grows with the
# number of SNP rows), a separator, then the SNP rows sorted by estimate (smallest next to
# the separator), one unit apart.
forest_build <- function(d, is_summary, exponentiate, snp_estimates, top_k, snp_labels,
                         category_colours, xlab, what = NULL) {
  d$up <- d$b + 1.96 * d$se
  d$lo <- d$b - 1.96 * d$se
  summ <- d[is_summary, , drop = FALSE]
  snps <- d[!is_summary, , drop = FALSE]
  n_all <- nrow(snps)
  if (!snp_estimates) snps <- snps[0, , drop = FALSE]
  if (!is.null(top_k) && nrow(snps) > top_k) {
    rank_by <- if (is.null(snps$se_rank)) snps$se else snps$se_rank
    snps <- snps[order(rank_by)[seq_len(top_k)], , drop = FALSE]
    if (is.null(what)) what <- "with the smallest standard errors"
  }
  snps <- snps[order(snps$b), , drop = FALSE]
  m <- nrow(summ)
  n <- nrow(snps)
  # With many SNP rows the summary rows get a taller slot (gap rows of height), so that
  # their labels and red intervals stay readable below hundreds of thin SNP rows.
  gap <- max(1, n / 40)
  summ$y <- gap * seq_len(m)
  sep <- gap * (m + 1)
  snps$y <- if (n) sep + seq_len(n) else numeric(0)
  summ$row_type <- rep("summary", m)
  snps$row_type <- rep("SNP", n)
  has_category <- "category" %in% names(d) && n > 0
  if (has_category) snps$row_type <- as.character(snps$category)
  cols <- intersect(names(summ), names(snps))
  rows <- rbind(summ[cols], snps[cols])
  if (is.null(snp_labels)) snp_labels <- n <= plot_snp_label_limit
  labels <- c(as.character(summ$SNP), if (snp_labels) as.character(snps$SNP))
  breaks <- c(summ$y, if (snp_labels) snps$y)
  # row labels at 8 pt, shrunk when drawn until neighbouring rows no longer overlap
  # (plot_theme_fit()); with more than plot_snp_label_limit SNP rows they are left out
  text_size <- 8
  thin <- n > plot_snp_label_limit
  colours <- c(summary = "red", SNP = "black")
  if (has_category) colours <- c(colours, forest_category_colours(unique(snps$row_type), category_colours))
  rows <- plot_exponentiate(rows, c("b", "lo", "up"), exponentiate)
  caption <- NULL
  if (n < n_all) {
    caption <- if (n == 0) paste0(n_all, " SNP estimates not drawn (snp_estimates = FALSE).")
               else paste0("Showing the ", n, " of ", n_all, " SNPs ", what, ".")
  }
  ylab <- if (!snp_labels && n > 0) paste0(n, " SNPs, ordered by estimate") else ""
  p <- ggplot2::ggplot(rows, ggplot2::aes(y = .data$y, x = .data$b)) +
    ggplot2::geom_vline(xintercept = if (exponentiate) 1 else 0, linetype = "dotted") +
    ggplot2::geom_linerange(ggplot2::aes(xmin = .data$lo, xmax = .data$up, colour = .data$row_type,
                                         linewidth = .data$row_type == "summary"), orientation = "y") +
    ggplot2::geom_point(ggplot2::aes(colour = .data$row_type),
                        size = ifelse(rows$row_type == "summary" | !thin, 1.5, 0.6))
  if (n) p <- p + ggplot2::geom_hline(yintercept = sep, colour = "grey")
  p + ggplot2::scale_colour_manual(values = colours, breaks = setdiff(names(colours), c("summary", "SNP")),
                                   name = if (has_category) "Category" else NULL) +
    ggplot2::scale_linewidth_manual(values = c(`FALSE` = if (thin) 0.2 else 0.3, `TRUE` = 1),
                                    guide = "none") +
    ggplot2::scale_y_continuous(breaks = breaks, labels = labels, expand = ggplot2::expansion(add = 0.6 * gap)) +
    plot_effect_scale("x", exponentiate) +
    plot_theme_fit() +
    ggplot2::theme(legend.position = if (has_category) "right" else "none",
                   axis.text.y = ggplot2::element_text(size = text_size),
                   axis.ticks.y = ggplot2::element_blank(),
                   axis.title.x = ggplot2::element_text(size = 8),
                   panel.grid.minor.y = ggplot2::element_blank(),
                   panel.grid.major.y = if (thin) ggplot2::element_blank() else NULL) +
    ggplot2::labs(y = ylab, x = xlab, caption = caption)
}

# Colours of SNP categories: the user's named colours, else Okabe-Ito (without black,
# used for uncategorised SNPs).
forest_category_colours <- function(categories, category_colours) {
  if (!is.null(category_colours)) {
    missing <- setdiff(categories, names(category_colours))
    if (length(missing)) {
      abort_mrkit("parameter", "{.arg category_colours} has no colour for categor{?y/ies} {.val {missing}}.",
                  call = NULL)
    }
    return(category_colours[categories])
  }
  pal <- c("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999")
  stats::setNames(rep_len(pal, length(categories)), sort(categories))
}

#' Funnel plot of single-SNP estimates
#'
#' 'TwoSampleMR''s `mr_funnel_plot()`: for each pair of
#' [mr_singlesnp()] output, each SNP's Wald ratio `b` (x) against its precision `1 / se`
#' (y), with a vertical line at each `"All - <method>"` estimate, coloured by method as in
#' [mr_method_colours()]. Points get smaller and translucent with many SNPs.
#'
#' @inheritParams mr_forest_plot
#' @return A list of ggplot objects, one per pair, named `"<id.exposure>.<id.outcome>"`. A
#'   pair with fewer than two SNPs gets `NULL` and a message of class
#'   `mrkit_message_too_few_snps`.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 40, b = 0.3, seed = 1)
#' p <- mr_funnel_plot(mr_singlesnp(dat))
#' p[[1]]
mr_funnel_plot <- function(singlesnp_results, exponentiate = FALSE) {
  call <- rlang::current_env()
  snp_plot_check(singlesnp_results, "mr_singlesnp", call)
  plot_check_flag(exponentiate, "exponentiate", call = call)
  plot_each_pair(singlesnp_results, function(d, pair) {
    d <- d[!is.na(d$b) & !is.na(d$se), , drop = FALSE]
    is_summary <- grepl("^All - ", d$SNP)
    snps <- d[!is_summary, , drop = FALSE]
    if (nrow(snps) < 2L) return(plot_inform_too_few("funnel plot", pair, nrow(snps), 2L))
    summ <- d[is_summary, , drop = FALSE]
    summ$method <- sub("^All - ", "", summ$SNP)
    snps <- plot_exponentiate(snps, "b", exponentiate)
    summ <- plot_exponentiate(summ, "b", exponentiate)
    n <- nrow(snps)
    ggplot2::ggplot(snps, ggplot2::aes(x = .data$b, y = 1 / .data$se)) +
      ggplot2::geom_point(size = if (n > 200) 0.8 else 1.5, alpha = if (n > 200) 0.6 else 1) +
      ggplot2::geom_vline(data = summ, ggplot2::aes(xintercept = .data$b, colour = .data$method)) +
      ggplot2::scale_colour_manual(values = mr_method_colours(summ$method), breaks = summ$method,
                                   name = "MR Method") +
      plot_effect_scale("x", exponentiate) +
      ggplot2::labs(y = expression(1 / SE[IV]),
                    x = if (exponentiate) expression(exp(beta[IV])) else expression(beta[IV])) +
      plot_theme_fit() +
      ggplot2::theme(legend.position = "top", legend.direction = "vertical")
  })
}

#' Density plot of single-SNP estimates
#'
#' 'TwoSampleMR''s `mr_density_plot()`: for each pair, the kernel
#' density of the SNPs' Wald ratios weighted by their precision `1 / se` (weights
#' normalised to sum to one), the SNPs as points on the axis sized by `1 / se`, and a
#' vertical line for each method of `mr_results` for that pair (colours of
#' [mr_method_colours()]). 'TwoSampleMR' draws every method line of every pair on each
#' plot and ignores `exponentiate`; here each plot has its own pair's lines and
#' `exponentiate = TRUE` shows odds ratios on a logarithmic axis.
#'
#' @inheritParams mr_forest_plot
#' @param mr_results Output of [mr()] (or a data frame with `id.exposure, id.outcome,
#'   method, b`) for the method lines.
#' @param bandwidth Kernel bandwidth, as `bw` of [stats::density()]: a number or a rule
#'   such as `"nrd0"` (default) or `"SJ"`.
#' @return A list of ggplot objects, one per pair of `singlesnp_results`, named
#'   `"<id.exposure>.<id.outcome>"`. A pair with fewer than two SNPs gets `NULL` and a
#'   message of class `mrkit_message_too_few_snps`.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 40, b = 0.3, seed = 1)
#' res <- mr(dat, method_list = c("mr_ivw", "mr_egger_regression"))
#' p <- mr_density_plot(mr_singlesnp(dat), res)
#' p[[1]]
mr_density_plot <- function(singlesnp_results, mr_results, exponentiate = FALSE,
                            bandwidth = "nrd0") {
  call <- rlang::current_env()
  snp_plot_check(singlesnp_results, "mr_singlesnp", call)
  plot_check_table(mr_results, c("id.exposure", "id.outcome", "method", "b"), "mr_results", "mr",
                   call = call)
  plot_check_flag(exponentiate, "exponentiate", call = call)
  plot_each_pair(singlesnp_results, function(d, pair) {
    d <- d[!is.na(d$b) & !is.na(d$se) & !grepl("^All - ", d$SNP), , drop = FALSE]
    if (nrow(d) < 2L) return(plot_inform_too_few("density plot", pair, nrow(d), 2L))
    res <- mr_results[mr_results$id.exposure == d$id.exposure[1] &
                        mr_results$id.outcome == d$id.outcome[1] & !is.na(mr_results$b), , drop = FALSE]
    d$weight <- (1 / d$se) / sum(1 / d$se)
    d <- plot_exponentiate(d, "b", exponentiate)
    res <- plot_exponentiate(res, "b", exponentiate)
    n <- nrow(d)
    ggplot2::ggplot(d, ggplot2::aes(x = .data$b)) +
      ggplot2::geom_vline(xintercept = if (exponentiate) 1 else 0, linetype = "dotted") +
      ggplot2::geom_density(ggplot2::aes(weight = .data$weight), bw = bandwidth) +
      ggplot2::geom_point(ggplot2::aes(size = 1 / .data$se), y = 0, colour = "red",
                          alpha = if (n > 200) 0.4 else 0.8) +
      ggplot2::geom_vline(data = res, ggplot2::aes(xintercept = .data$b, colour = .data$method)) +
      ggplot2::scale_colour_manual(values = mr_method_colours(res$method), breaks = res$method,
                                   name = "MR Test") +
      ggplot2::scale_size_area(max_size = if (n > 200) 2 else 4, name = "1/SE") +
      plot_effect_scale("x", exponentiate) +
      ggplot2::labs(x = if (exponentiate) "Per SNP MR estimate (odds ratio)" else "Per SNP MR estimate",
                    y = "Density") +
      plot_theme_fit() +
      ggplot2::theme(legend.position = "top", legend.direction = "vertical", legend.box = "horizontal")
  })
}
