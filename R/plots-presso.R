# The MR-PRESSO outlier test as a picture: each variant's observed residual sum of squares.

#' MR-PRESSO outlier plot
#'
#' The per-variant result of the MR-PRESSO outlier test of [mr_presso()] or
#' [run_mr_presso()]: each variant's observed residual sum of squares `RSSobs` (its squared
#' residual from the fit without it) against the value expected without pleiotropy (the
#' mean of the test's null distribution, `se_out^2 + theta_-j^2 se_exp^2`), on log scales
#' with the line observed = expected. The variants the test flags (Bonferroni-corrected
#' empirical p-value at most `SignifThreshold`) are coloured and named; the subtitle gives
#' the global test. For results without the expected values (made by other versions) the
#' variants are ranked by `RSSobs` instead, with their p-values printed.
#'
#' The outlier test runs only when the global test is significant; without it there is
#' nothing per variant to draw and the function stops with an error saying so.
#' P-values are read from the numbers mrkit keeps with the result, or else from the
#' `Pvalue` column, where 'MRPRESSO''s text `"<J/NbDistribution"` counts as that bound.
#'
#' @param x A result of [mr_presso()], or the list of [run_mr_presso()].
#' @param pair With a [run_mr_presso()] list, which exposure-outcome pair (position).
#' @return A ggplot object.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 1)
#' res <- mr_presso("beta.outcome", "beta.exposure", "se.outcome", "se.exposure", data = d,
#'                  OUTLIERtest = TRUE, DISTORTIONtest = TRUE, NbDistribution = 1000, seed = 1)
#' mr_presso_plot(res)
mr_presso_plot <- function(x, pair = 1L) {
  call <- rlang::current_env()
  r <- presso_pick(x, pair, call = call)
  d <- presso_outlier_table(r)
  if (is.null(d)) {
    abort_mrkit("presso_no_outlier_test", c("The MR-PRESSO outlier test did not run: the global test was not significant.",
                                            i = "There is no per-variant result to draw."), call = call)
  }
  g <- r$`MR-PRESSO results`$`Global Test`
  info <- attr(r, "mrkit")
  thr <- info[["SignifThreshold"]] %||% 0.05
  d$SNP <- factor(d$SNP, levels = d$SNP[order(d$RSSobs, method = "radix")])
  d$flag <- factor(ifelse(d$outlier, "yes", "no"), levels = c("yes", "no"))
  d$text <- ifelse(d$bound, paste0("p < ", format(signif(d$pval, 2))), paste0("p = ", format(signif(d$pval, 2))))
  many <- nrow(d) > 60L
  ids <- info$ids
  title <- if (!is.null(ids)) sprintf("%s -> %s", ids$exposure, ids$outcome)
  gp <- suppressWarnings(as.double(sub("^<", "", as.character(g$Pvalue))))
  sub <- sprintf("Global test: RSSobs = %.4g, p %s %.2g;\n%d outlier%s", as.double(g$RSSobs),
                 if (is.character(g$Pvalue) && startsWith(g$Pvalue, "<")) "<" else "=", gp,
                 sum(d$outlier), if (sum(d$outlier) == 1) "" else "s")
  colours <- ggplot2::scale_colour_manual(values = c(yes = "#D55E00", no = "grey40"), drop = FALSE,
                                          name = sprintf("Outlier (corrected p <= %g)", thr))
  theme <- ggplot2::theme_bw(base_size = 10) + plot_theme_fit() +
    ggplot2::theme(panel.grid.minor = ggplot2::element_blank(), legend.position = "bottom",
                   legend.direction = "vertical", plot.title.position = "plot")
  out <- d[d$outlier, , drop = FALSE]
  if (all(is.finite(d$RSSexp))) {
    return(ggplot2::ggplot(d, ggplot2::aes(x = .data$RSSexp, y = .data$RSSobs)) +
      ggplot2::geom_abline(intercept = 0, slope = 1, linetype = "dashed", colour = "grey50") +
      ggplot2::geom_point(ggplot2::aes(colour = .data$flag), size = if (many) 1 else 2) +
      plot_point_labels(out, 2.6, "#D55E00") +
      colours + ggplot2::scale_x_log10() + ggplot2::scale_y_log10() +
      ggplot2::labs(x = "Expected RSS without pleiotropy (null mean, log scale)",
                    y = "Observed RSS (log scale)", title = title, subtitle = sub) +
      theme)
  }
  ggplot2::ggplot(d, ggplot2::aes(x = .data$RSSobs, y = .data$SNP)) +
    ggplot2::geom_point(ggplot2::aes(colour = .data$flag), size = if (many) 0.8 else 2) +
    ggplot2::geom_text(data = out, ggplot2::aes(label = .data$text), hjust = -0.15,
                       size = 2.6, colour = "#D55E00") +
    colours +
    ggplot2::scale_x_log10(expand = ggplot2::expansion(mult = c(0.05, 0.2))) +
    ggplot2::labs(x = "Observed residual sum of squares (RSSobs, log scale)", y = NULL, title = title,
                  subtitle = sub) +
    theme +
    ggplot2::theme(axis.text.y = if (many) ggplot2::element_blank() else ggplot2::element_text(size = 7))
}

presso_pick <- function(x, pair, call) {
  if (inherits(x, "mrkit_presso")) return(x)
  ok <- is.list(x) && length(x) > 0L && all(vapply(x, function(r) is.null(r) || inherits(r, "mrkit_presso"), TRUE))
  if (!ok) abort_mrkit("input_type", "{.arg x} must be a result of {.fn mr_presso} or {.fn run_mr_presso}.", call = call)
  if (!is.numeric(pair) || length(pair) != 1L || pair < 1 || pair > length(x) || is.null(x[[pair]])) {
    abort_mrkit("parameter", "{.arg pair} must be the position of a pair with an MR-PRESSO result (1 to {length(x)}).", call = call)
  }
  x[[pair]]
}

# SNP, RSSobs, RSSexp (NA when unknown), pval (numeric; an upper bound when bound), bound,
# outlier; NULL without an
# outlier test. Uses numeric columns or mrkit's stored p-values when present, else parses
# MRPRESSO's "<J/N" text.
presso_outlier_table <- function(r) {
  ot <- r$`MR-PRESSO results`$`Outlier Test`
  if (is.null(ot) || nrow(ot) == 0L) return(NULL)
  info <- attr(r, "mrkit")
  thr <- info[["SignifThreshold"]] %||% 0.05
  pv <- ot$Pvalue
  txt <- as.character(pv)
  bound <- !is.numeric(pv) & startsWith(txt, "<")
  p <- suppressWarnings(as.double(sub("^<", "", txt)))
  # [[ ]], not $: a list's $ would match outlier_p_raw when outlier_p is absent.
  if (length(info[["outlier_p"]]) == nrow(ot)) {
    p <- ifelse(bound, p, info[["outlier_p"]])
  }
  snp <- if ("SNP" %in% names(ot)) as.character(ot$SNP) else
    if (length(info[["snp"]]) == nrow(ot)) info[["snp"]] else rownames(ot)
  # A bound "<J/N" stands for an empirical p-value of 0, which the test flags whatever J/N is
  # (J/N may exceed the threshold when NbDistribution is small for the number of variants).
  outlier <- if ("outlier" %in% names(ot)) as.logical(ot$outlier) else
    if (length(info[["outlier"]]) == nrow(ot)) as.logical(info[["outlier"]]) else bound | p <= thr
  exp_rss <- if ("RSSexp" %in% names(ot)) as.double(ot$RSSexp) else
    if (length(info[["outlier_rss_exp"]]) == nrow(ot)) info[["outlier_rss_exp"]] else rep(NA_real_, nrow(ot))
  data.frame(SNP = snp, RSSobs = as.double(ot$RSSobs), RSSexp = exp_rss, pval = p, bound = bound,
             outlier = outlier, stringsAsFactors = FALSE)
}
