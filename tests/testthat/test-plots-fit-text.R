# Text that fits the size a plot is drawn at: axis titles no longer than their panel side,
# row labels that do not overlap, full size whenever there is room.

fit_scatter <- function() {
  dat <- simulate_mr_data(nsnp = 20, b = 0.3, seed = 1,
                          exposure = "Body mass index (simulated)",
                          outcome = "Coronary heart disease (simulated)")
  res <- mr(dat, method_list = c("mr_ivw", "mr_egger_regression", "mr_weighted_median"))
  mr_scatter_plot(res, dat)[[1]]
}

test_that("axis titles keep their size when they fit and shrink to the panel side when not", {
  skip_if_not_installed("ggplot2")
  p <- fit_scatter()
  big <- plot_drawn_text(p, 7, 5)
  small <- plot_drawn_text(p, 3, 3)
  ytitle <- function(d) d$text[d$text$rot == 90, , drop = FALSE]
  xtitle <- function(d) d$text[grepl("^SNP effect on Body", d$text$label), , drop = FALSE]
  # 7 x 5 inches: room for both titles at the theme's 11 pt
  expect_equal(ytitle(big)$size, 11)
  expect_equal(xtitle(big)$size, 11)
  # 3 x 3 inches: the y title is longer than the panel at 11 pt, so it shrinks (and
  # breaks onto two lines when that gives the larger text) to the panel's height
  yt <- ytitle(small)
  expect_lt(yt$size, 11)
  expect_gt(plot_string_pt("SNP effect on Coronary heart disease (simulated)", 11), small$panel[["height"]])
  expect_lte(plot_string_pt(gsub("|", "\n", yt$label, fixed = TRUE), yt$size), small$panel[["height"]] + 0.5)
  xt <- xtitle(small)
  expect_lte(plot_string_pt(xt$label, xt$size), small$panel[["width"]] + 0.5)
  # the tick labels fit at full size at both sizes
  ticks <- small$text[small$text$rot == 0 & grepl("0.0", small$text$label, fixed = TRUE), ]
  expect_true(all(ticks$size == 8.8))
})

test_that("row labels shrink until neighbouring rows no longer overlap", {
  skip_if_not_installed("ggplot2")
  ss <- mr_singlesnp(simulate_mr_data(nsnp = 120, b = 0.3, seed = 5))
  p <- mr_forest_plot(ss, snp_labels = TRUE)[[1]]
  d <- plot_drawn_text(p, 6, 9)
  rows <- d$text[grepl("All - MR Egger", d$text$label, fixed = TRUE), ]
  expect_equal(nrow(rows), 1L)
  # one SNP row is one unit of the y axis: its height in points when drawn
  yr <- ggplot2::ggplot_build(p)$layout$panel_params[[1]]$y.range
  row_pt <- d$panel[["height"]] / diff(yr)
  expect_lt(rows$size, 8)
  expect_lte(rows$size * 1.05, row_pt * 1.01)
  expect_gt(rows$size * 1.05, row_pt * 0.99)   # as large as the rows allow, no smaller
  # 20 rows on the same page: 8 pt, as set
  p20 <- mr_forest_plot(mr_singlesnp(simulate_mr_data(nsnp = 20, b = 0.3, seed = 5)))[[1]]
  d20 <- plot_drawn_text(p20, 6, 9)
  expect_equal(d20$text$size[grepl("All - MR Egger", d20$text$label, fixed = TRUE)], 8)
})

test_that("a user's theme settings still apply, and blank parents stay blank", {
  skip_if_not_installed("ggplot2")
  p <- fit_scatter()
  p14 <- p + ggplot2::theme(axis.title.y = ggplot2::element_text(size = 14, colour = "red"))
  d <- plot_drawn_text(p14, 10, 8)
  expect_equal(d$text$size[d$text$rot == 90], 14)
  # a complete theme replaces the fitting elements: ggplot2's fixed sizes
  expect_no_error(ggplot2::ggplotGrob(p + ggplot2::theme_bw()))
  el <- ggplot2::calc_element("axis.text.y.left",
                              ggplot2::theme_grey() + p$theme + ggplot2::theme(axis.text.y = ggplot2::element_blank()))
  expect_s3_class(el, "element_blank")
})

test_that("a one-line title breaks at the space nearest its middle", {
  expect_equal(fit_split_two_lines("SNP effect on Coronary heart disease"), "SNP effect on\nCoronary heart disease")
  expect_null(fit_split_two_lines("Density"))
  expect_null(fit_split_two_lines("two\nlines"))
  expect_equal(plot_wrap_label("Body mass index (simulated) -> Coronary heart disease (simulated)"),
               "Body mass index (simulated) ->\nCoronary heart disease\n(simulated)")
  expect_equal(plot_wrap_label(c("Asthma", NA)), c("Asthma", NA))
})

test_that("rotated column labels of a heatmap shrink until their strips no longer overlap", {
  skip_if_not_installed("ggplot2")
  g <- expand.grid(exposure = paste("Trait", 1:3), outcome = paste("Outcome", 1:12),
                   stringsAsFactors = FALSE)
  g$method <- "Inverse variance weighted"
  g$b <- seq(-0.2, 0.2, length.out = nrow(g))
  g$pval <- 0.5
  p <- mr_scan_plot(g)
  cols <- function(d) d$text[grepl("^Outcome 1\\|", d$text$label), , drop = FALSE]
  expect_equal(cols(plot_drawn_text(p, 10, 8))$size, 8)
  small <- plot_drawn_text(p, 3, 3)
  s <- cols(small)$size
  expect_lt(s, 8)
  # labels at 30 degrees, one per column: their strips are column width x sin(30) apart
  xr <- ggplot2::ggplot_build(p)$layout$panel_params[[1]]$x.range
  col_pt <- small$panel[["width"]] / diff(xr)
  expect_lte(s * 1.05 / sin(pi / 6), col_pt * 1.01)
  expect_gt(s * 1.05 / sin(pi / 6), col_pt * 0.99)
})

test_that("shrunk row labels stay against the panel, justified as their theme says", {
  skip_if_not_installed("ggplot2")
  ss <- mr_singlesnp(simulate_mr_data(nsnp = 40, b = 0.3, seed = 5))
  p <- mr_forest_plot(ss)[[1]]
  grDevices::pdf(NULL, width = 4, height = 3)
  on.exit(grDevices::dev.off())
  grid::grid.newpage()
  grid::grid.draw(ggplot2::ggplotGrob(p))
  forced <- grid::grid.force(redraw = FALSE)
  fits <- grid::getGrob(grid::grid.get(grid::gPath(grid::grid.ls(print = FALSE)$name[1])),
                        "mrkit_fit_title", grep = TRUE, global = TRUE)
  # the y axis's row labels: a child whose placement is justified right (hjust 1) and as
  # wide as the shrunk text, inside the room reserved at full size
  rows <- Filter(function(f) length(f$children[[1]]$vp) && inherits(f$children[[1]]$vp, "vpStack"), fits)
  expect_gte(length(rows), 1L)
  outer <- rows[[1]]$children[[1]]$vp[[1]]
  expect_equal(as.numeric(outer$x), 1)
  expect_equal(outer$valid.just, c(1, 0.5))
  expect_lt(grid::convertWidth(outer$width, "pt", TRUE), sum(grid::convertWidth(rows[[1]]$widths, "pt", TRUE)))
})
