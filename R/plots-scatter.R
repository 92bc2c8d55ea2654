# The scatter plot of SNP effects on the outcome against SNP effects on the exposure, with
# one line per MR method: 'TwoSampleMR''s mr_scatter_plot(), returning ggplot objects.

#' Scatter plot of SNP effects with one line per MR method
#'
#' 'TwoSampleMR''s `mr_scatter_plot()` (Hemani et al. 2018, eLife 7:e34408,
#' \doi{10.7554/eLife.34408}): for each exposure-outcome
#' pair, the SNP effects on the outcome against the SNP effects on the exposure, each with
#' error bars of plus and minus one standard error in both directions, oriented so that
#' every SNP-exposure effect is positive (SNPs with a negative exposure effect have both
#' effects flipped), and one line per method of `mr_results`. Only rows with `mr_keep`
#' are drawn, as in [mr()].
#'
#' The lines: a method's slope is its estimate `b`, through the origin, except
#' * the MR-Egger methods (`"MR Egger"`, `"MR Egger (bootstrap)"`, `"Penalised MR Egger"`,
#'   `"Robust MR Egger"`, `"Penalised robust MR Egger"`), whose intercept is the `b_i` the
#'   same estimator returns on the plotted SNPs with the settings (attribute
#'   `parameters`) and seed recorded in `mr_results` -- so the bootstrap intercept belongs
#'   to the plotted bootstrap slope (a table without a `seed` column gets a fresh
#'   bootstrap from R's generator, as in 'TwoSampleMR');
#' * `"MR GRIP"`, which regresses `b_out * b_exp` on `b_exp^2`. Its fitted relationship,
#'   divided by `b_exp`, is `b_out = b * b_exp + b_i / b_exp`: a curve, not a straight
#'   line, drawn over the range of the SNP-exposure effects (and cut where it leaves the
#'   range of the points). 'TwoSampleMR' draws a straight line with slope `b` and an
#'   intercept instead, which is not the model's fit;
#' * `"Sign concordance test"`, whose `b` is not a slope: it gets no line.
#'
#' Beyond 'TwoSampleMR': SNP labels (with 'ggrepel' when installed, so that labels do not
#' overlap; otherwise plain labels, overlapping ones left out), highlighted SNPs (outliers
#' of [mr_outliers()], MR-PRESSO, radial MR, Steiger filtering) named in a legend, one
#' colour per method from [mr_method_colours()] (distinct for every method of [mr()]), and
#' an odds-ratio axis for binary outcomes.
#'
#' @param mr_results Output of [mr()], or a data frame with its columns `id.exposure,
#'   id.outcome, method, b` (for example a published 'TwoSampleMR' table); rows with a
#'   missing `b` are ignored.
#' @param dat Harmonised data, as given to [mr()] (columns `id.exposure, id.outcome,
#'   exposure, outcome, SNP, beta.exposure, beta.outcome, se.exposure, se.outcome,
#'   mr_keep`).
#' @param exponentiate `FALSE` (default, 'TwoSampleMR''s look): the outcome axis in the
#'   units of `beta.outcome`. `TRUE`: the outcome axis labelled in odds ratios
#'   (`exp(beta.outcome)`) for a binary outcome; points and lines are unchanged, so the
#'   lines stay straight.
#' @param labels `FALSE` (default) for no SNP labels, `TRUE` to label every SNP,
#'   `"highlighted"` to label the highlighted SNPs, or a character vector of SNPs to label.
#' @param highlight SNPs to highlight: `NULL` (none); a character vector of SNPs; a named
#'   list of character vectors (the names are the legend entries); the output of
#'   [mr_outliers()] (its `q_outlier`, `radial_outlier`, `presso_outlier` columns); a
#'   harmonised table with a `steiger_dir` column from [steiger_filtering()] (SNPs with
#'   `steiger_dir == FALSE`); an [mr_radial_ivw()] / [mr_radial_egger()] result (called
#'   with `snps = dat$SNP`); or an
#'   [mr_presso()] result or the list of [run_mr_presso()] (its outlier test's outliers).
#'   Tables with `id.exposure` and `id.outcome` apply to their own pair only.
#' @return A list of ggplot objects, one per exposure-outcome pair of `dat` (sorted by
#'   `id.exposure`, then `id.outcome`), named `"<id.exposure>.<id.outcome>"`. A pair with
#'   fewer than two usable SNPs gets `NULL` and a message of class
#'   `mrkit_message_too_few_snps` (no blank panel). The plots are not printed; add layers,
#'   scales or themes to restyle them. The methods are listed above the plot in two columns,
#'   which need a plot about 4 inches wide; for a narrower one, add
#'   `ggplot2::guides(colour = ggplot2::guide_legend(ncol = 1))`.
#' @seealso [mr_forest_plot()], [mr_leaveoneout_plot()], [mr_funnel_plot()],
#'   [mr_density_plot()]
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 25, b = 0.3, pleiotropy = "outliers", seed = 2)
#' res <- mr(dat, method_list = c("mr_ivw", "mr_egger_regression", "mr_weighted_median"))
#' p <- mr_scatter_plot(res, dat)
#' names(p)
#' out <- mr_outliers(dat, methods = c("q", "radial"))
#' p <- mr_scatter_plot(res, dat, highlight = out, labels = "highlighted")
#' p[[1]] + ggplot2::theme_bw()
mr_scatter_plot <- function(mr_results, dat, exponentiate = FALSE, labels = FALSE,
                            highlight = NULL) {
  call <- rlang::current_env()
  plot_check_table(mr_results, c("id.exposure", "id.outcome", "method", "b"), "mr_results", "mr",
                   call = call)
  plot_check_table(dat, c("id.exposure", "id.outcome", "exposure", "outcome", "SNP",
                          "beta.exposure", "beta.outcome", "se.exposure", "se.outcome", "mr_keep"),
                   "dat", "harmonise_data", call = call)
  plot_check_flag(exponentiate, "exponentiate", call = call)
  if (!(isTRUE(labels) || isFALSE(labels) || is.character(labels))) {
    abort_mrkit("parameter", "{.arg labels} must be TRUE, FALSE, {.val highlighted} or SNP names.",
                call = call)
  }
  parameters <- attr(mr_results, "parameters")
  if (is.null(parameters)) parameters <- default_parameters()
  plot_each_pair(dat, function(d, pair) {
    keep <- !is.na(d$mr_keep) & as.logical(d$mr_keep) &
      stats::complete.cases(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
    d <- d[keep, , drop = FALSE]
    if (nrow(d) < 2L) return(plot_inform_too_few("scatter plot", pair, nrow(d), 2L))
    res <- mr_results[mr_results$id.exposure == d$id.exposure[1] &
                        mr_results$id.outcome == d$id.outcome[1] & !is.na(mr_results$b), , drop = FALSE]
    # intercepts from the data as mr() saw them (the estimators orient internally; a
    # bootstrap replayed with its recorded seed needs the same input to give the same b)
    lines <- scatter_method_lines(res, d, parameters)
    d <- scatter_orient(d)
    groups <- scatter_highlight_groups(highlight, d, call = call)
    scatter_build(d, lines, groups, labels, exponentiate)
  })
}

# SNPs with a negative effect on the exposure get both effects flipped.
scatter_orient <- function(d) {
  flip <- d$beta.exposure < 0
  d$beta.exposure[flip] <- -d$beta.exposure[flip]
  d$beta.outcome[flip] <- -d$beta.outcome[flip]
  d
}

# Methods whose line has an intercept: the estimator's b_i on the oriented SNPs.
scatter_intercept_methods <- c("mr_egger_regression", "mr_egger_regression_bootstrap",
                               "mr_egger_penalised", "mr_egger_robust",
                               "mr_egger_robust_penalised", "mr_grip")

# One row per method to draw: method, slope b, intercept a (for the oriented SNPs: the
# estimators orient internally), and whether it is the GRIP curve. Each refit uses the
# recorded parameters and, for resampling methods, the recorded seed, so the intercept
# belongs to the plotted slope.
scatter_method_lines <- function(res, d, parameters) {
  res <- res[res$method != "Sign concordance test", , drop = FALSE]
  reg <- mr_method_list()
  obj <- reg$obj[match(res$method, reg$name)]
  a <- numeric(nrow(res))
  for (i in which(obj %in% scatter_intercept_methods)) {
    p <- parameters
    if (!is.null(res$seed) && !is.na(res$seed[i])) p$seed <- res$seed[i]
    if (!is.null(res$nboot) && !is.na(res$nboot[i])) p$nboot <- as.integer(res$nboot[i])
    fit <- mr_method_fit(obj[i], d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p)
    a[i] <- fit$b_i
  }
  data.frame(method = as.character(res$method), b = res$b, a = a,
             curve = !is.na(obj) & obj == "mr_grip", stringsAsFactors = FALSE)
}

# Points of the GRIP curve b_out = b * b_exp + b_i / b_exp over the range of the SNPs,
# cut (NA) where it leaves the vertical range of the points and their error bars.
scatter_grip_curve <- function(line, d, n = 200L) {
  x <- seq(min(d$beta.exposure), max(d$beta.exposure), length.out = n)
  x <- x[x > 0]
  y <- line$b * x + line$a / x
  ylim <- range(c(d$beta.outcome - d$se.outcome, d$beta.outcome + d$se.outcome))
  y[y < ylim[1] | y > ylim[2]] <- NA
  data.frame(method = line$method, beta.exposure = x, beta.outcome = y, stringsAsFactors = FALSE)
}

# Highlight groups for the SNPs of one pair: a character vector named by SNP (the legend
# entry of each highlighted SNP), empty when nothing is highlighted.
scatter_highlight_groups <- function(highlight, d, call) {
  if (is.null(highlight)) return(stats::setNames(character(0), character(0)))
  sets <- scatter_highlight_sets(highlight, d, call)
  snp <- as.character(d$SNP)
  grp <- vapply(snp, function(s) {
    hit <- names(sets)[vapply(sets, function(v) s %in% v, logical(1))]
    if (length(hit)) paste(hit, collapse = " & ") else NA_character_
  }, character(1))
  grp[!is.na(grp)]
}

# A named list of SNP sets (names = legend entries) from the accepted `highlight` shapes.
scatter_highlight_sets <- function(h, d, call) {
  if (is.character(h)) return(list(Highlighted = h))
  if (inherits(h, "mrkit_radial")) return(list(`Radial outlier` = h$snps$SNP[h$snps$outlier %in% TRUE]))
  if (is.list(h) && !is.data.frame(h) && !is.null(attr(h, "id.exposure"))) {
    # run_mr_presso(): one mr_presso() result per pair
    k <- which(attr(h, "id.exposure") == d$id.exposure[1] & attr(h, "id.outcome") == d$id.outcome[1])
    return(if (length(k)) scatter_highlight_sets(h[[k[1]]], d, call) else list())
  }
  if (inherits(h, "mrkit_presso")) {
    # The outlier flags exist whenever the outlier test ran (with or without the distortion test).
    info <- attr(h, "mrkit")
    return(list(`MR-PRESSO outlier` = as.character(info$snp[info$outlier %in% TRUE])))
  }
  if (is.list(h) && !is.data.frame(h)) {
    if (is.null(names(h)) || any(!nzchar(names(h))) || !all(vapply(h, is.character, logical(1)))) {
      abort_mrkit("parameter", "A list {.arg highlight} must be named, with SNP names as elements.",
                  call = call)
    }
    return(h)
  }
  if (is.data.frame(h) && "SNP" %in% names(h)) {
    if (all(c("id.exposure", "id.outcome") %in% names(h))) {
      h <- h[h$id.exposure == d$id.exposure[1] & h$id.outcome == d$id.outcome[1], , drop = FALSE]
    }
    flags <- c(q_outlier = "Q outlier", radial_outlier = "Radial outlier",
               presso_outlier = "MR-PRESSO outlier")
    sets <- list()
    for (col in intersect(names(flags), names(h))) sets[[flags[[col]]]] <- h$SNP[h[[col]] %in% TRUE]
    if (!length(sets) && "outlier" %in% names(h)) sets$Outlier <- h$SNP[h$outlier %in% TRUE]
    if ("steiger_dir" %in% names(h)) sets$`Steiger: reverse direction` <- h$SNP[h$steiger_dir %in% FALSE]
    if (length(sets)) return(sets)
  }
  abort_mrkit("parameter", c("{.arg highlight} is not a shape that names SNPs.",
                             i = "Give SNP names, a named list of them, {.fn mr_outliers} output, a table with {.field steiger_dir}, or a radial MR result."),
              call = call)
}

scatter_build <- function(d, lines, groups, labels, exponentiate) {
  n <- nrow(d)
  d$highlight <- unname(groups[as.character(d$SNP)])
  straight <- lines[!lines$curve, , drop = FALSE]
  curve <- do.call(rbind, c(list(data.frame(method = character(0), beta.exposure = numeric(0),
                                            beta.outcome = numeric(0))),
                            lapply(which(lines$curve), function(i) scatter_grip_curve(lines[i, ], d))))
  point_size <- if (n > 200) 0.8 else if (n > 50) 1.2 else 1.5
  p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$beta.exposure, y = .data$beta.outcome)) +
    ggplot2::geom_errorbar(ggplot2::aes(ymin = .data$beta.outcome - .data$se.outcome,
                                        ymax = .data$beta.outcome + .data$se.outcome),
                           colour = "grey", width = 0) +
    # horizontal bars as a line range: geom_errorbarh() is deprecated from ggplot2 4.0
    ggplot2::geom_linerange(ggplot2::aes(xmin = .data$beta.exposure - .data$se.exposure,
                                         xmax = .data$beta.exposure + .data$se.exposure),
                            colour = "grey", orientation = "y") +
    ggplot2::geom_point(size = point_size)
  if (length(groups)) {
    hd <- d[!is.na(d$highlight), , drop = FALSE]
    p <- p + ggplot2::geom_point(data = hd, ggplot2::aes(fill = .data$highlight),
                                 shape = 21, size = point_size + 1.5, colour = "black") +
      ggplot2::scale_fill_manual(values = scatter_highlight_colours(sort(unique(hd$highlight))),
                                 name = "Highlighted SNPs")
  }
  methods <- unique(lines$method)
  p <- p + ggplot2::geom_abline(data = straight, ggplot2::aes(intercept = .data$a, slope = .data$b,
                                                              colour = .data$method),
                                show.legend = NA)
  if (nrow(curve)) {
    p <- p + ggplot2::geom_line(data = curve, ggplot2::aes(colour = .data$method), na.rm = TRUE)
  }
  p <- p + scatter_labels(d, labels, n) +
    ggplot2::scale_colour_manual(values = mr_method_colours(methods), breaks = methods,
                                 name = "MR Test") +
    ggplot2::expand_limits(x = 0, y = 0) +
    ggplot2::labs(x = paste("SNP effect on", d$exposure[1]),
                  y = paste0("SNP effect on ", d$outcome[1], if (exponentiate) " (odds ratio)")) +
    plot_theme_fit() +
    # methods above the plot in two columns, as in 'TwoSampleMR' (one column for one or two
    # methods, or when a name is too long for two columns to fit a plot 4 inches wide); the
    # highlighted SNPs' legend below the methods', not beside it
    ggplot2::theme(legend.position = "top", legend.direction = "vertical",
                   legend.box = "vertical",
                   legend.title = ggplot2::element_text(size = 9),
                   legend.text = ggplot2::element_text(size = 8),
                   legend.spacing.y = ggplot2::unit(2, "pt"),
                   legend.margin = ggplot2::margin(0, 0, 0, 0),
                   legend.box.spacing = ggplot2::unit(4, "pt")) +
    ggplot2::guides(colour = ggplot2::guide_legend(ncol = scatter_legend_columns(methods),
                                                   order = 1))
  if (exponentiate) {
    p <- p + ggplot2::scale_y_continuous(labels = function(v) format(signif(exp(v), 3), trim = TRUE))
  }
  p
}

# Columns of the method legend: two (about 3.7 inches at 8 points for the longest default
# name, "Inverse variance weighted") unless there are at most two methods or a longer name.
scatter_legend_columns <- function(methods) {
  if (length(methods) > 2L && max(nchar(methods)) <= 26L) 2L else 1L
}

# Fill colours of highlight groups: strong colours away from grey and black points.
scatter_highlight_colours <- function(groups) {
  pal <- c("#E41A1C", "#FF7F00", "#984EA3", "#4DAF4A", "#377EB8", "#A65628", "#F781BF", "#FFFF33")
  stats::setNames(rep_len(pal, length(groups)), groups)
}

# SNP label layer: ggrepel's non-overlapping labels when installed, else plain text with
# overlapping labels left out.
scatter_labels <- function(d, labels, n) {
  if (isFALSE(labels)) return(NULL)
  lab <- if (isTRUE(labels)) d else if (identical(labels, "highlighted")) {
    d[!is.na(d$highlight), , drop = FALSE]
  } else d[as.character(d$SNP) %in% labels, , drop = FALSE]
  if (!nrow(lab)) return(NULL)
  plot_point_labels(lab, plot_row_text_size(nrow(lab)) / ggplot2::.pt, "grey20")
}
