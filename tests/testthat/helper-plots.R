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

# A plot drawn on a null PDF device of `width` x `height` inches: the text of its fitting
# elements (plot_theme_fit()) as drawn -- label and font size -- and the panel's size in
# points. Sizes are read from the grobs after grid has laid the plot out at that size.
plot_drawn_text <- function(p, width, height) {
  grDevices::pdf(NULL, width = width, height = height)
  on.exit(grDevices::dev.off())
  g <- ggplot2::ggplotGrob(p)
  grid::grid.newpage()
  grid::grid.draw(g)
  # one panel: the device less every fixed-size row and column
  fixed <- function(u, conv) sum(vapply(seq_along(u), function(i)
    if (grid::unitType(u[i]) == "null") 0 else conv(u[i], "pt", TRUE), 1))
  panel <- c(width = width * 72 - fixed(g$widths, grid::convertWidth),
             height = height * 72 - fixed(g$heights, grid::convertHeight))
  forced <- grid::grid.force(redraw = FALSE)
  texts <- list()
  walk <- function(x) {
    if (inherits(x, "mrkit_fit_title")) {
      find <- function(y) {
        if (inherits(y, "text")) {
          texts[[length(texts) + 1L]] <<- data.frame(label = paste(y$label, collapse = "|"),
                                                     size = y$gp$fontsize %||% NA_real_,
                                                     rot = y$rot, stringsAsFactors = FALSE)
        }
        for (ch in y$children) find(ch)
      }
      find(x)
      return(invisible())
    }
    if (inherits(x, "gTree")) for (ch in x$children) walk(ch)
  }
  walk(grid::grid.get(grid::gPath(g$name)))
  list(text = unique(do.call(rbind, texts)), panel = panel)
}

# Width in points of a string at a font size (the font of the theme).
plot_string_pt <- function(s, size) {
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  max(vapply(strsplit(s, "\n", fixed = TRUE)[[1]], function(l)
    grid::convertWidth(grid::grobWidth(grid::textGrob(l, gp = grid::gpar(fontsize = size))), "pt", TRUE), 1))
}
