# Plot tests: the built data of a plot's layers, found by geom, with each row's facet values.
plot_build_cache <- new.env()
plot_layer <- function(p, geom) {
  # One build per plot: tests read several layers of the same plot.
  if (!identical(plot_build_cache$plot, p)) {
    plot_build_cache$plot <- p
    plot_build_cache$built <- ggplot2::ggplot_build(p)
  }
  b <- plot_build_cache$built
  i <- which(vapply(p$layers, function(l) inherits(l$geom, geom), TRUE))
  stopifnot(length(i) >= 1L)
  d <- b$data[[i[1]]]
  lay <- b$layout$layout
  extra <- setdiff(names(lay), c("PANEL", "ROW", "COL", "SCALE_X", "SCALE_Y"))
  for (v in extra) d[[v]] <- as.character(lay[[v]][match(d$PANEL, lay$PANEL)])
  d
}

# The y-axis label a forest plot draws at position y.
plot_y_label <- function(p, y) {
  sc <- p$scales$get_scales("y")
  sc$labels(round(y))
}

# Results of 6 exposures x 2 outcomes x 2 methods, fixed numbers (no RNG).
fixed_results <- function() {
  ex <- paste("Trait", LETTERS[1:6])
  g <- expand.grid(exposure = ex, outcome = c("Outcome 1", "Outcome 2"),
                   method = c("Inverse variance weighted", "Weighted median"), stringsAsFactors = FALSE)
  k <- seq_len(nrow(g))
  g$b <- round(sin(k * 1.7) * 0.3, 4)
  g$se <- round(0.05 + (k %% 5) * 0.02, 4)
  g$lo_ci <- g$b - 2.1 * g$se   # deliberately not b +- 1.96 se: the plot must use these
  g$up_ci <- g$b + 2.0 * g$se
  g$pval <- 2 * stats::pnorm(-abs(g$b / g$se))
  g$panel <- rep(c("T cells", "T cells", "B cells", "B cells", "Monocytes", "Monocytes"), 4)
  g
}
