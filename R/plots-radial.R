# The radial plot of radial IVW / radial MR-Egger fits.

#' Radial MR plot
#'
#' The radial plot of Bowden et al. (2018): each variant at `(sqrt(W_j), r_j sqrt(W_j))`
#' (columns `Wj` and `BetaWj` of the fit's `snps` table), where `r_j` is its ratio estimate
#' and `W_j` its weight, so that a variant's distance from a line through the origin
#' measures its contribution to Cochran's Q. The fitted line is drawn for each fit: the
#' radial IVW slope through the origin (the estimate of the fit's weighting) and the
#' radial MR-Egger intercept and slope. Outliers (`P(chi^2_1 > Q_j) < alpha`) are coloured
#' and named.
#'
#' @param x A result of [mr_radial_ivw()] or [mr_radial_egger()], or a list of such fits on
#'   the same variants (for example both); points come from the first.
#' @param label_outliers Name the outlying variants.
#' @return A ggplot object.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 1)
#' ivw <- mr_radial_ivw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome,
#'                      snps = d$SNP)
#' egger <- mr_radial_egger(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome,
#'                          snps = d$SNP)
#' mr_radial_plot(list(ivw, egger))
mr_radial_plot <- function(x, label_outliers = TRUE) {
  call <- rlang::current_env()
  fits <- if (inherits(x, "mrkit_radial")) list(x) else x
  if (!is.list(fits) || length(fits) == 0L || !all(vapply(fits, inherits, TRUE, "mrkit_radial"))) {
    abort_mrkit("input_type", "{.arg x} must be a result of {.fn mr_radial_ivw} or {.fn mr_radial_egger}, or a list of them.", call = call)
  }
  snps <- fits[[1]]$snps
  if (nrow(snps) == 0L) {
    abort_mrkit("input_value", c("The radial fit has no variants to draw.", i = fits[[1]]$note), call = call)
  }
  lines <- do.call(rbind, lapply(fits, radial_line))
  d <- data.frame(SNP = snps$SNP, Wj = snps$Wj, BetaWj = snps$BetaWj,
                  outlier = factor(ifelse(snps$outlier, "yes", "no"), levels = c("yes", "no")),
                  stringsAsFactors = FALSE)
  out <- d[d$outlier == "yes", , drop = FALSE]
  alpha <- fits[[1]]$alpha
  p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$Wj, y = .data$BetaWj)) +
    ggplot2::geom_hline(yintercept = 0, colour = "grey60", linewidth = 0.3) +
    ggplot2::geom_abline(data = lines, ggplot2::aes(intercept = .data$intercept, slope = .data$slope,
                                                    linetype = .data$fit)) +
    ggplot2::geom_point(ggplot2::aes(colour = .data$outlier), size = if (nrow(d) > 200) 1 else 2) +
    ggplot2::scale_colour_manual(values = c(yes = "#D55E00", no = "grey40"), drop = FALSE,
                                 name = paste0("Outlier (Q_j p < ", format(signif(alpha, 2)), ")")) +
    ggplot2::scale_linetype_manual(values = stats::setNames(c("solid", "dashed")[seq_len(nrow(lines))], lines$fit),
                                   name = NULL) +
    ggplot2::scale_x_continuous(limits = c(0, NA), expand = ggplot2::expansion(mult = c(0, 0.05))) +
    ggplot2::labs(x = expression(sqrt(W[j])), y = expression(hat(beta)[j] * sqrt(W[j]))) +
    ggplot2::theme_bw(base_size = 10) +
    plot_theme_fit() +
    ggplot2::theme(panel.grid.minor = ggplot2::element_blank(), legend.position = "bottom",
                   legend.box = "vertical", legend.direction = "vertical")
  if (label_outliers && nrow(out)) {
    p <- p + plot_point_labels(out, 2.6, "#D55E00")
  }
  p
}

# The fitted line of one radial fit: IVW through the origin with the slope of its weighting,
# MR-Egger with its intercept.
radial_line <- function(f) {
  co <- f$coefficients
  if (f$model == "ivw") {
    term <- c(first = "Effect (1st)", second = "Effect (2nd)", modified = "Effect (Mod.2nd)")[[f$weights]]
    slope <- co$estimate[co$term == term]
    data.frame(fit = sprintf("Radial IVW (%s order): %.3g", sub("modified", "modified 2nd", f$weights), slope),
               intercept = 0, slope = slope, stringsAsFactors = FALSE)
  } else {
    data.frame(fit = sprintf("Radial MR-Egger: %.3g (intercept %.3g)", co$estimate[co$term == "Wj"],
                             co$estimate[co$term == "Intercept"]),
               intercept = co$estimate[co$term == "Intercept"], slope = co$estimate[co$term == "Wj"],
               stringsAsFactors = FALSE)
  }
}
