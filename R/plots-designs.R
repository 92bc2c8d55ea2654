# Pictures of study designs: the overview of a many-by-many scan, the two directions of a
# bidirectional MR, and the decomposition of a mediation analysis.

#' Overview of a scan of many exposures and outcomes
#'
#' One method's estimates of every exposure-outcome pair of [mr_scan()] or [mr_screen()]
#' (or any results table with `exposure`, `outcome`, `method`, `b`, `pval`), as a heatmap (exposures by
#' outcomes, colour = estimate, a dot on the pairs significant after multiple testing) or
#' a volcano plot (estimate against `-log10(p)`, one panel per outcome, the line at the
#' largest p-value still significant). Both stay readable for hundreds of exposures:
#' the heatmap drops the exposure names beyond 80 rows and the volcano names only the
#' `n_labels` most significant pairs of each outcome. For the estimates with intervals of
#' selected pairs, see [mr_forest_summary()].
#'
#' Significance comes from [mr_adjust()]'s columns when `res` has them; otherwise
#' [mr_adjust()] runs on the method's rows with `by = family` (default: one family per
#' outcome, over the exposures).
#'
#' @param res Results of [mr_scan()], a screen from [mr_screen()] (its `results`; a
#'   bidirectional screen shows both directions, each pair under its own exposure and
#'   outcome), or a data frame with `exposure`, `outcome`, `method`, `b` and `pval`.
#' @param type `"heatmap"` or `"volcano"`.
#' @param method The method shown; default inverse variance weighted when present, else
#'   the first method.
#' @param significance `"BH"` or `"bonferroni"`.
#' @param family Columns defining the multiple-testing families (default `"outcome"`).
#' @param alpha False discovery rate (BH) or family-wise error rate (Bonferroni).
#' @param n_labels Volcano plot: number of significant pairs named per outcome.
#' @param estimate_label What the estimate is called: the title of the heatmap's colour
#'   legend and the volcano plot's x axis (for example `"log OR per SD"`).
#' @return A ggplot object.
#' @export
#' @examples
#' panel <- simulate_scan_data(n_exposures = 12, n_outcomes = 3, seed = 1)
#' set.seed(1)
#' res <- mr_scan(panel$exposures, panel$outcomes, clump = FALSE, method_list = "mr_ivw")
#' mr_scan_plot(res)
#' mr_scan_plot(res, type = "volcano", estimate_label = "log OR per SD")
mr_scan_plot <- function(res, type = c("heatmap", "volcano"), method = NULL,
                         significance = c("BH", "bonferroni"), family = "outcome", alpha = 0.05,
                         n_labels = 5, estimate_label = "Estimate (b)") {
  call <- rlang::current_env()
  type <- rlang::arg_match(type)
  significance <- rlang::arg_match(significance)
  if (!is.character(estimate_label) || length(estimate_label) != 1L || is.na(estimate_label)) {
    abort_mrkit("parameter", "{.arg estimate_label} must be a single string.", call = call)
  }
  d <- scan_plot_data(res, method, significance, family, alpha, call = call)
  sig_title <- switch(significance, BH = sprintf("BH-adjusted p < %g", alpha),
                      bonferroni = sprintf("Bonferroni p < %g", alpha))
  title <- unique(d$method)
  if (type == "heatmap") scan_heatmap(d, sig_title, title, estimate_label) else
    scan_volcano(d, sig_title, title, n_labels, estimate_label)
}

scan_plot_data <- function(res, method, significance, family, alpha, call) {
  if (inherits(res, "mrkit_screen")) res <- res$results
  if (!is.data.frame(res)) {
    abort_mrkit("input_type", "{.arg res} must be a data frame of results, not {.cls {class(res)}}.", call = call)
  }
  df <- as.data.frame(res)
  if ("analysis" %in% names(df)) df <- df[!is.na(df$analysis) & df$analysis == "mr", , drop = FALSE]
  check_columns(df, c("exposure", "outcome", "method", "b", "pval"), what = "res", call = call)
  methods <- unique(as.character(df$method))
  if (is.null(method)) method <- if ("Inverse variance weighted" %in% methods) "Inverse variance weighted" else methods[1]
  if (length(method) != 1L || !method %in% methods) {
    abort_mrkit("input_value", c("{.arg method} must be one method of {.arg res}.",
                                 i = "Methods: {.val {methods}}."), call = call)
  }
  df <- df[df$method == method, , drop = FALSE]
  col <- c(BH = "significant_bh", bonferroni = "significant_bonferroni")[[significance]]
  if (!col %in% names(df)) {
    fam <- intersect(family, names(df))
    df <- mr_adjust(df, method = significance, by = if (length(fam)) fam, alpha = alpha)
  }
  d <- data.frame(exposure = as.character(df$exposure), outcome = as.character(df$outcome),
                  method = method, b = as.double(df$b), pval = as.double(df$pval),
                  sig = as.logical(df[[col]]), family = if (length(intersect(family, names(df))))
                    do.call(paste, c(unname(as.list(df[intersect(family, names(df))])), sep = " / ")) else "all",
                  stringsAsFactors = FALSE)
  d$outcome <- factor(d$outcome, levels = unique(d$outcome))
  attr(d, "alpha") <- alpha
  d
}

scan_heatmap <- function(d, sig_title, title, estimate_label = "Estimate (b)") {
  ex <- unique(d$exposure)
  # Exposures ordered by their mean estimate over outcomes, largest on top.
  mean_b <- vapply(split(d$b, factor(d$exposure, levels = ex)), mean, 1, na.rm = TRUE)
  d$exposure <- factor(d$exposure, levels = ex[order(mean_b, method = "radix")])
  lim <- max(abs(d$b), na.rm = TRUE)
  many <- length(ex) > 80L
  sig <- d[!is.na(d$sig) & d$sig, , drop = FALSE]
  ggplot2::ggplot(d, ggplot2::aes(x = .data$outcome, y = .data$exposure)) +
    ggplot2::geom_tile(ggplot2::aes(fill = .data$b), colour = if (many) NA else "white") +
    ggplot2::geom_point(data = sig, ggplot2::aes(shape = sig_title), size = if (many) 0.6 else 1.6) +
    ggplot2::scale_fill_gradient2(low = "#2166AC", mid = "white", high = "#B2182B", midpoint = 0,
                                  limits = c(-lim, lim), name = estimate_label) +
    ggplot2::scale_shape_manual(values = 16, name = NULL) +
    ggplot2::labs(x = NULL, y = if (many) sprintf("%d exposures", length(ex)) else NULL, title = title) +
    ggplot2::theme_minimal(base_size = 10) +
    plot_theme_fit() +
    ggplot2::theme(panel.grid = ggplot2::element_blank(), plot.title.position = "plot",
                   # theme_minimal() has no background: a saved PNG would be transparent
                   plot.background = ggplot2::element_rect(fill = "white", colour = NA),
                   axis.text.y = if (many) ggplot2::element_blank() else ggplot2::element_text(size = if (length(ex) > 40) 6 else 8),
                   axis.text.x = ggplot2::element_text(angle = 30, hjust = 1))
}

scan_volcano <- function(d, sig_title, title, n_labels, estimate_label = "Estimate (b)") {
  d$logp <- -log10(d$pval)
  d$significance <- factor(ifelse(!is.na(d$sig) & d$sig, "yes", "no"), levels = c("yes", "no"))
  # The line of each outcome panel: the largest p-value significant in its family, or, when
  # none is, the smallest p-value that could be (alpha / n, the first BH and Bonferroni step).
  thr <- do.call(rbind, lapply(split(d, d$outcome, drop = TRUE), function(s) {
    p <- if (any(s$sig, na.rm = TRUE)) max(s$pval[s$sig %in% TRUE]) else NA_real_
    data.frame(outcome = s$outcome[1], pval = p, stringsAsFactors = FALSE)
  }))
  n_fam <- vapply(split(d$pval, d$outcome, drop = TRUE), function(p) sum(!is.na(p)), 1)
  alpha <- attr(d, "alpha") %||% 0.05
  thr$pval[is.na(thr$pval)] <- alpha / n_fam[as.character(thr$outcome[is.na(thr$pval)])]
  thr$logp <- -log10(thr$pval)
  lab <- do.call(rbind, lapply(split(d, d$outcome, drop = TRUE), function(s) {
    s <- s[s$significance == "yes", , drop = FALSE]
    utils::head(s[order(s$pval, method = "radix"), , drop = FALSE], n_labels)
  }))
  # long trait names on short lines: a label wider than half a panel cannot be turned
  # inward and is cut at the panel's edge
  if (!is.null(lab) && nrow(lab)) lab$exposure <- plot_wrap_label(lab$exposure, width = 20L)
  ggplot2::ggplot(d, ggplot2::aes(x = .data$b, y = .data$logp)) +
    ggplot2::geom_vline(xintercept = 0, colour = "grey60", linewidth = 0.3) +
    ggplot2::geom_hline(data = thr, ggplot2::aes(yintercept = .data$logp), linetype = "dashed", colour = "grey30") +
    ggplot2::geom_point(ggplot2::aes(colour = .data$significance), size = if (nrow(d) > 500) 0.8 else 1.6) +
    ggplot2::geom_text(data = lab, ggplot2::aes(label = .data$exposure), size = 2.6, vjust = -0.7,
                       hjust = "inward", check_overlap = TRUE) +
    # few breaks: several outcome panels side by side are narrow
    ggplot2::scale_x_continuous(breaks = function(lim) pretty(lim, n = 3)) +
    ggplot2::scale_y_continuous(expand = ggplot2::expansion(mult = c(0.03, 0.1))) +
    ggplot2::scale_colour_manual(values = c(yes = "#D55E00", no = "grey55"), name = sig_title, drop = FALSE) +
    ggplot2::facet_wrap(ggplot2::vars(.data$outcome)) +
    ggplot2::labs(x = estimate_label, y = expression(-log[10](p)), title = title) +
    ggplot2::theme_bw(base_size = 10) +
    plot_theme_fit() +
    ggplot2::theme(panel.grid.minor = ggplot2::element_blank(), legend.position = "bottom",
                   legend.direction = "vertical", plot.title.position = "plot")
}

#' Forward and reverse estimates of a bidirectional MR
#'
#' The result of [mr_bidirectional()] as a forest plot: one row per method, the forward
#' (A on B) and reverse (B on A) estimates side by side with their intervals, and the
#' Steiger directionality test of each direction in the legend.
#'
#' @param res Result of [mr_bidirectional()] (a data frame with `direction`, `exposure`,
#'   `outcome`, `method`, `b`, `lo_ci`, `up_ci`).
#' @param methods Methods to show, in this order; `NULL` for all.
#' @param exponentiate Draw odds ratios on a log axis.
#' @return A ggplot object.
#' @export
#' @examples
#' a <- simulate_mr_data(nsnp = 30, b = 0.3, output = "separate", seed = 1,
#'                       id_exposure = "A", id_outcome = "B", exposure = "A", outcome = "B")
#' b <- simulate_mr_data(nsnp = 30, b = 0, output = "separate", seed = 2,
#'                       id_exposure = "B", id_outcome = "A", exposure = "B", outcome = "A")
#' res <- mr_bidirectional(a$exposure, b$exposure, b$outcome, a$outcome,
#'                         method_list = c("mr_egger_regression", "mr_ivw"), clump = FALSE)
#' mr_bidirectional_plot(res)
mr_bidirectional_plot <- function(res, methods = NULL, exponentiate = FALSE) {
  call <- rlang::current_env()
  if (!is.data.frame(res)) {
    abort_mrkit("input_type", "{.arg res} must be a result of {.fn mr_bidirectional}, not {.cls {class(res)}}.", call = call)
  }
  df <- as.data.frame(res)
  check_columns(df, c("direction", "exposure", "outcome", "method", "b"), what = "res", call = call)
  # Each direction is drawn as a "series" of the summary forest, the methods as its rows.
  df$series <- bidirectional_series(df)
  df$label <- df$method
  d <- forest_summary_data(transform_for_forest(df), label = "label", columns = NA, group = NULL,
                           methods = NULL, exponentiate = exponentiate, significance = "none",
                           family = NULL, alpha = 0.05, sort = "none", sort_method = NULL,
                           top = Inf, call = call)
  if (!is.null(methods)) {
    miss <- setdiff(methods, d$label)
    if (length(miss)) abort_mrkit("input_value", c("{.arg methods} must name methods of {.arg res}.", x = "Not found: {.val {miss}}."), call = call)
    d <- d[d$label %in% methods, , drop = FALSE]
    d$row <- match(d$label, methods)
  }
  pal <- stats::setNames(c("#0072B2", "#D55E00"), levels(d$series)[1:2])
  forest_ggplot(d, palette = pal[!is.na(names(pal))], series_title = "Direction",
                xlab = if (exponentiate) "Odds ratio (95% CI)" else "Estimate (95% CI)",
                exponentiate = exponentiate) +
    ggplot2::guides(colour = ggplot2::guide_legend(ncol = 1))
}

# "forward: A -> B (Steiger: correct direction, p = ...)" per row, as an ordered factor.
bidirectional_series <- function(df) {
  st <- if (all(c("correct_causal_direction", "steiger_pval") %in% names(df))) {
    ifelse(is.na(df$steiger_pval), "",
           sprintf(" (Steiger: %s, p = %s)", ifelse(df$correct_causal_direction, "direction supported", "direction not supported"),
                   formatC(df$steiger_pval, digits = 2, format = "g")))
  } else ""
  # the Steiger test on a line of its own: one line is wider than a small plot
  s <- sprintf("%s: %s -> %s%s", df$direction, df$exposure, df$outcome, sub("^ ", "\n", st))
  factor(s, levels = unique(s[order(match(df$direction, c("forward", "reverse")), method = "radix")]))
}

# The forest data builder reads method names from `method`; here the series is the method.
transform_for_forest <- function(df) {
  df$method <- as.character(df$series)
  df$exposure <- df$outcome <- NULL
  df
}

#' Mediation analysis display
#'
#' The result of [mr_mediation()] as a forest plot: total, direct and indirect effects with
#' their intervals (left panel), and the proportion mediated with its interval (right
#' panel, its own scale), coloured by approach (univariable total effect, two-step
#' product of coefficients, difference method), one row per effect and mediator.
#'
#' @param res Result of [mr_mediation()].
#' @return A ggplot object.
#' @export
#' @examples
#' sim <- simulate_mediation_data(seed = 1)
#' med <- mr_mediation(sim$dat_xm, sim$dat_my, sim$dat_xy, sim$mvdat)
#' mr_mediation_plot(med)
mr_mediation_plot <- function(res) {
  call <- rlang::current_env()
  if (!is.data.frame(res)) {
    abort_mrkit("input_type", "{.arg res} must be a result of {.fn mr_mediation}, not {.cls {class(res)}}.", call = call)
  }
  df <- as.data.frame(res)
  check_columns(df, c("effect", "approach", "mediator", "b", "lo_ci", "up_ci"), what = "res", call = call)
  effect_names <- c(total = "Total effect", direct = "Direct effect", indirect = "Indirect effect",
                    proportion_mediated = "Proportion mediated")
  med <- as.character(df$mediator)
  label <- ifelse(df$effect == "total", "Total effect",
           ifelse(df$effect == "indirect", paste0("Indirect effect via ", med),
           ifelse(df$effect == "direct", paste0("Direct effect (not via ", med, ")"),
                  paste0("Proportion mediated by ", med))))
  approaches <- c(univariable = "Total (univariable)", `two-step` = "Two-step\n(product of coefficients)",
                  difference = "Difference\n(multivariable)")
  series <- factor(approaches[df$approach], levels = approaches[approaches %in% approaches[df$approach]])
  panel <- ifelse(df$effect == "proportion_mediated", "Proportion mediated", "Effect")
  ord <- order(match(df$effect, names(effect_names)), method = "radix")
  labels <- unique(label[ord])
  d <- data.frame(label = label, series = series, b = df$b, lo = df$lo_ci, up = df$up_ci, sig = NA,
                  column = panel, group = NA_character_,
                  size = NA_real_, row = match(label, labels), stringsAsFactors = FALSE)
  pal <- stats::setNames(c("#000000", "#0072B2", "#D55E00"), approaches)[levels(series)]
  ex <- unique(df$exposure[!is.na(df$exposure)])
  out <- unique(df$outcome[!is.na(df$outcome)])
  forest_ggplot(d, palette = pal, series_title = "Approach", xlab = "Estimate (95% CI)",
                exponentiate = FALSE, facet_scales = "free") +
    ggplot2::labs(title = sprintf("%s -> %s", ex[1], out[1])) +
    # a long title starts at the left edge of the plot, not of the panels (else it is cut)
    ggplot2::theme(plot.title.position = "plot") +
    ggplot2::guides(colour = ggplot2::guide_legend(ncol = 1))
}
