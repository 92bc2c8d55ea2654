new_results_with_direction <- function() {
  x <- data.frame(direction = c("forward", "reverse"), exposure = c("A", "B"), outcome = c("B", "A"),
                  method = "Inverse variance weighted", b = c(0.3, 0), se = c(0.03, 0.03), pval = c(1e-20, 1))
  mrkit:::new_mrkit_results(x)
}

test_that("autoplot and plot draw the obvious picture of each result class", {
  d <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 1)
  set.seed(1)
  res <- mr(d, method_list = c("mr_ivw", "mr_egger_regression"))
  p <- ggplot2::autoplot(res)
  expect_s3_class(p, "ggplot")
  expect_setequal(plot_layer(p, "GeomPoint")$x, res$b)
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  expect_invisible(q <- plot(res))
  expect_s3_class(q, "ggplot")

  fit <- mr_radial_ivw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  expect_equal(plot_layer(ggplot2::autoplot(fit), "GeomPoint")$x, fit$snps$Wj)
  expect_s3_class(plot(fit), "ggplot")

  panel <- mrkit:::simulate_panel_data(n_exposures = 3, n_outcomes = 2, seed = 1)
  set.seed(1)
  scan <- suppressWarnings(mr_scan(panel$exposures, panel$outcomes, method_list = "mr_ivw"))
  expect_true(inherits(ggplot2::autoplot(scan)$layers[[1]]$geom, "GeomTile"))

  sim <- mrkit:::simulate_mediation_data(seed = 1)
  med <- mr_mediation(sim$dat_xm, sim$dat_my, sim$dat_xy)
  expect_setequal(plot_layer(ggplot2::autoplot(med), "GeomPoint")$x, med$b)

  bi <- new_results_with_direction()
  expect_match(levels(ggplot2::autoplot(bi)$data$series)[1], "^forward")
})

test_that("variant-level tables are refused", {
  x <- mrkit:::new_mrkit_results(data.frame(SNP = "rs1", b = 1, se = 1))
  expect_error(ggplot2::autoplot(x), class = "mrkit_error_unsupported")
  x <- mrkit:::new_mrkit_results(data.frame(Q = 1))
  expect_error(ggplot2::autoplot(x), class = "mrkit_error_unsupported")
})
