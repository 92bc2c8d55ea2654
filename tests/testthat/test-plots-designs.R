scan_fixture <- function() {
  res <- fixed_results()
  res <- res[res$method == "Inverse variance weighted", ]
  res$analysis <- "mr"
  res
}

test_that("scan heatmap: one tile per pair with its estimate, dots on the BH-significant pairs", {
  res <- scan_fixture()
  p <- mr_scan_plot(res)
  tiles <- plot_layer(p, "GeomTile")
  expect_equal(nrow(tiles), nrow(res))
  b <- ggplot2::ggplot_build(p)
  xs <- b$layout$panel_params[[1]]$x$get_labels()
  ys <- b$layout$panel_params[[1]]$y$get_labels()
  key_t <- paste(ys[tiles$y], xs[tiles$x])
  fill <- b$plot$scales$get_scales("fill")
  expect_equal(tiles$fill[match(paste(res$exposure, res$outcome), key_t)], fill$map(res$b))
  bh <- ave(res$pval, res$outcome, FUN = function(q) p.adjust(q, "BH"))
  dots <- plot_layer(p, "GeomPoint")
  expect_setequal(paste(ys[dots$y], xs[dots$x]), paste(res$exposure, res$outcome)[bh < 0.05])
  # Rows ordered by mean estimate over outcomes, largest on top
  m <- tapply(res$b, res$exposure, mean)
  expect_equal(ys, names(sort(m)))
})

test_that("scan volcano: -log10(p) against b, the line at the largest significant p of each outcome", {
  res <- scan_fixture()
  p <- mr_scan_plot(res, type = "volcano", significance = "bonferroni")
  pts <- plot_layer(p, "GeomPoint")
  i <- match(paste(res$b, res$outcome), paste(pts$x, pts$outcome))
  expect_equal(pts$y[i], -log10(res$pval))
  hl <- plot_layer(p, "GeomHline")
  for (o in unique(res$outcome)) {
    r <- res[res$outcome == o, ]
    s <- r$pval < 0.05 / nrow(r)
    want <- if (any(s)) max(r$pval[s]) else 0.05 / nrow(r)
    expect_equal(hl$yintercept[hl$outcome == o], -log10(want))
  }
  expect_error(mr_scan_plot(res, method = "MR Egger"), class = "mrkit_error_input_value")
})

test_that("scan heatmap stays one tile per pair for 300 exposures and hides their names", {
  withr::local_seed(2)
  res <- expand.grid(exposure = sprintf("cell %03d", 1:300), outcome = c("Zinc", "Iron"), stringsAsFactors = FALSE)
  res$method <- "Inverse variance weighted"
  res$b <- rnorm(600, 0, 0.05)
  res$pval <- 2 * pnorm(-abs(res$b / 0.02))
  p <- mr_scan_plot(res)
  expect_equal(nrow(plot_layer(p, "GeomTile")), 600L)
  expect_s3_class(p$theme$axis.text.y, "element_blank")
})

bidir_fixture <- function() {
  data.frame(direction = rep(c("forward", "reverse"), each = 2), id.exposure = rep(c("A", "B"), each = 2),
             id.outcome = rep(c("B", "A"), each = 2), outcome = rep(c("B", "A"), each = 2),
             exposure = rep(c("A", "B"), each = 2), method = rep(c("MR Egger", "Inverse variance weighted"), 2),
             nsnp = 24L, b = c(0.277, 0.302, 0.102, -0.0066), se = c(0.12, 0.028, 0.12, 0.026),
             pval = c(0.031, 5e-27, 0.41, 0.80), lo_ci = c(0.042, 0.247, -0.134, -0.058),
             up_ci = c(0.513, 0.357, 0.339, 0.045), correct_causal_direction = TRUE,
             steiger_pval = c(9.4e-67, 9.4e-67, 2.1e-126, 2.1e-126), stringsAsFactors = FALSE)
}

test_that("bidirectional: forward and reverse estimates of each method side by side", {
  res <- bidir_fixture()
  p <- mr_bidirectional_plot(res)
  pts <- plot_layer(p, "GeomPoint")
  rng <- plot_layer(p, "GeomLinerange")
  lab <- plot_y_label(p, pts$y)
  pal <- c("#0072B2", "#D55E00")
  dir <- c("forward", "reverse")[match(pts$colour, pal)]
  i <- match(paste(res$direction, res$method), paste(dir, lab))
  expect_equal(pts$x[i], res$b)
  expect_equal(rng$xmin[i], res$lo_ci)
  expect_equal(rng$xmax[i], res$up_ci)
  # forward above reverse within each method
  expect_true(all(pts$y[i][res$direction == "forward"] > pts$y[i][res$direction == "reverse"]))
  leg <- levels(p$data$series)
  expect_match(leg[1], "forward: A -> B\\n\\(Steiger: direction supported, p = 9.4e-67\\)")
  expect_equal(nrow(plot_layer(mr_bidirectional_plot(res, methods = "MR Egger"), "GeomPoint")), 2L)
})

test_that("mediation: total, direct and indirect with their intervals; proportion in its own panel", {
  sim <- simulate_mediation_data(seed = 1)
  med <- mr_mediation(sim$dat_xm, sim$dat_my, sim$dat_xy, sim$mvdat)
  p <- mr_mediation_plot(med)
  pts <- plot_layer(p, "GeomPoint")
  rng <- plot_layer(p, "GeomLinerange")
  expect_equal(nrow(pts), nrow(med))
  i <- match(med$b, pts$x)
  expect_false(anyNA(i))
  expect_equal(rng$xmin[i], med$lo_ci)
  expect_equal(rng$xmax[i], med$up_ci)
  expect_equal(pts$column[i] == "Proportion mediated", med$effect == "proportion_mediated")
  lab <- plot_y_label(p, pts$y[i])
  expect_equal(lab[med$effect == "total"], "Total effect")
  expect_true(all(lab[med$effect == "indirect"] == "Indirect effect via Mediator"))
})

test_that("the estimate's name is the caller's: heatmap legend and volcano axis", {
  res <- scan_fixture()
  expect_identical(mr_scan_plot(res)$scales$get_scales("fill")$name, "Estimate (b)")
  p <- mr_scan_plot(res, estimate_label = "log OR per SD")
  expect_identical(p$scales$get_scales("fill")$name, "log OR per SD")
  v <- mr_scan_plot(res, type = "volcano", estimate_label = "log OR per SD")
  expect_identical(v$labels$x, "log OR per SD")
  expect_error(mr_scan_plot(res, estimate_label = c("a", "b")), class = "mrkit_error_parameter")
})

test_that("volcano labels of long trait names are broken onto short lines", {
  res <- data.frame(exposure = c("CD28- CD45RA- CD8dim T cell %CD8dim T cell", "B cell"),
                    outcome = "Pain", method = "Inverse variance weighted",
                    b = c(0.3, 0.01), pval = c(1e-9, 0.5))
  v <- mr_scan_plot(res, type = "volcano")
  txt <- plot_layer(v, "GeomText")
  expect_equal(gsub("\n", " ", txt$label), "CD28- CD45RA- CD8dim T cell %CD8dim T cell")
  expect_true(all(nchar(strsplit(txt$label, "\n")[[1]]) <= 20))
})

test_that("the mediation title is placed from the plot's left edge, so long titles are not cut", {
  sim <- simulate_mediation_data(seed = 1)
  med <- mr_mediation(sim$dat_xm, sim$dat_my, sim$dat_xy, sim$mvdat)
  expect_identical(mr_mediation_plot(med)$theme$plot.title.position, "plot")
})

test_that("design pictures", {
  skip_if_not_installed("vdiffr")
  res <- scan_fixture()
  vdiffr::expect_doppelganger("scan heatmap", mr_scan_plot(res))
  vdiffr::expect_doppelganger("scan volcano", mr_scan_plot(res, type = "volcano"))
  vdiffr::expect_doppelganger("bidirectional", mr_bidirectional_plot(bidir_fixture()))
  sim <- simulate_mediation_data(seed = 1)
  med <- mr_mediation(sim$dat_xm, sim$dat_my, sim$dat_xy, sim$mvdat)
  vdiffr::expect_doppelganger("mediation", mr_mediation_plot(med))
})
