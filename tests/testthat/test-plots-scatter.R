# mr_scatter_plot(): the drawn points, error bars and method lines must be the oriented
# SNP effects and the results' estimates (checked on ggplot_build() layer data), plus
# vdiffr snapshots of the look.

layer_of <- function(p, geom, k = 1L) {
  i <- which(vapply(p$layers, function(l) inherits(l$geom, geom), logical(1)))
  stopifnot(length(i) >= k)
  ggplot2::layer_data(p, i[k])
}
highlight_layer <- function(p) layer_of(p, "GeomPoint", 2L)
label_layer <- function(p) layer_of(p, c("GeomTextRepel", "GeomText"))

scatter_dat <- function() simulate_mr_data(nsnp = 25, b = 0.3, pleiotropy = "outliers", seed = 2)

test_that("points and error bars are the oriented SNP effects, +/- one SE", {
  dat <- scatter_dat()
  res <- mr(dat, method_list = c("mr_ivw", "mr_egger_regression"))
  p <- mr_scatter_plot(res, dat)[[1]]
  pts <- layer_of(p, "GeomPoint")
  flip <- sign(dat$beta.exposure)
  expect_true(any(flip < 0))
  expect_equal(nrow(pts), nrow(dat))
  o <- order(abs(dat$beta.exposure))
  ord <- order(pts$x)
  expect_equal(pts$x[ord], abs(dat$beta.exposure)[o])
  expect_equal(pts$y[ord], (flip * dat$beta.outcome)[o])
  ey <- layer_of(p, "GeomErrorbar")
  expect_equal(sort(ey$ymax - ey$ymin), sort(2 * dat$se.outcome))
  ex <- layer_of(p, "GeomLinerange")
  expect_equal(sort(ex$xmax - ex$xmin), sort(2 * dat$se.exposure))
})

test_that("rows without mr_keep are not drawn", {
  dat <- scatter_dat()
  dat$mr_keep[1:3] <- FALSE
  res <- mr(dat, method_list = "mr_ivw")
  p <- mr_scatter_plot(res, dat)[[1]]
  expect_equal(nrow(layer_of(p, "GeomPoint")), 22L)
})

test_that("lines have the results' slopes; Egger's intercept is its b_i on oriented data", {
  dat <- scatter_dat()
  res <- mr(dat, method_list = c("mr_ivw", "mr_egger_regression", "mr_weighted_median"))
  ab <- layer_of(mr_scatter_plot(res, dat)[[1]], "GeomAbline")
  expect_equal(nrow(ab), 3L)
  expect_setequal(ab$slope, res$b)
  eg <- mr_egger_regression(abs(dat$beta.exposure), sign(dat$beta.exposure) * dat$beta.outcome,
                            dat$se.exposure, dat$se.outcome)
  expect_equal(ab$intercept[ab$slope == res$b[res$method == "MR Egger"]], eg$b_i)
  expect_equal(ab$intercept[ab$slope != res$b[res$method == "MR Egger"]], c(0, 0))
})

test_that("BMI -> CHD: a TwoSampleMR results table gets TwoSampleMR's Egger line", {
  skip_if_no_shared()
  dat <- bmi_chd()
  ref <- read_shared("reference", "bmi_chd", "mr_all_methods.csv")
  ref <- ref[ref$method %in% c("Inverse variance weighted", "MR Egger", "Weighted median"), ]
  tab <- data.frame(id.exposure = ref$id.exposure, id.outcome = ref$id.outcome,
                    method = ref$method, b = ref$estimate)
  p <- mr_scatter_plot(tab, dat)
  expect_named(p, "ieu-a-2.ieu-a-7")
  ab <- layer_of(p[[1]], "GeomAbline")
  expect_setequal(ab$slope, ref$estimate)
  egger <- ab$slope == ref$estimate[ref$method == "MR Egger"]
  expect_equal(ab$intercept[egger], tsmr_detail("mr_egger_regression", "b_i"), tolerance = 1e-8)
  expect_equal(nrow(layer_of(p[[1]], "GeomPoint")), sum(dat$mr_keep))
})

test_that("the bootstrap Egger line uses the recorded seed: its slope's own intercept", {
  dat <- scatter_dat()
  set.seed(4)
  res <- mr(dat, method_list = "mr_egger_regression_bootstrap", parameters = default_parameters(nboot = 200))
  ab <- layer_of(mr_scatter_plot(res, dat)[[1]], "GeomAbline")
  fit <- mr_egger_regression_bootstrap(dat$beta.exposure, dat$beta.outcome, dat$se.exposure, dat$se.outcome,
                                       default_parameters(nboot = 200, seed = res$seed))
  expect_equal(fit$b, res$b)
  expect_equal(ab$intercept, fit$b_i)
  expect_equal(ab$slope, res$b)
})

test_that("MR GRIP is drawn as its fitted curve b * x + b_i / x", {
  dat <- scatter_dat()
  res <- mr(dat, method_list = c("mr_ivw", "mr_grip"))
  p <- mr_scatter_plot(res, dat)[[1]]
  ab <- layer_of(p, "GeomAbline")
  expect_equal(ab$slope, res$b[res$method == "Inverse variance weighted"])
  cv <- layer_of(p, "GeomLine")
  cv <- cv[!is.na(cv$y), ]
  expect_gt(nrow(cv), 50L)
  grip <- mr_grip(abs(dat$beta.exposure), sign(dat$beta.exposure) * dat$beta.outcome,
                  dat$se.exposure, dat$se.outcome)
  expect_equal(grip$b, res$b[res$method == "MR GRIP"])
  expect_equal(cv$y, grip$b * cv$x + grip$b_i / cv$x)
  expect_gte(min(cv$x), min(abs(dat$beta.exposure)))
  expect_lte(max(cv$x), max(abs(dat$beta.exposure)))
})

test_that("sign concordance gets no line; colours come from mr_method_colours()", {
  dat <- scatter_dat()
  res <- mr(dat, method_list = c("mr_ivw", "mr_sign", "mr_egger_regression"))
  ab <- layer_of(mr_scatter_plot(res, dat)[[1]], "GeomAbline")
  expect_equal(nrow(ab), 2L)
  cols <- mr_method_colours(c("Inverse variance weighted", "MR Egger"))
  expect_setequal(ab$colour, unname(cols))
  expect_equal(ab$colour[ab$slope == res$b[res$method == "MR Egger"]], unname(cols["MR Egger"]))
})

test_that("the method legend has TwoSampleMR's two columns unless names are long or few", {
  dat <- scatter_dat()
  ncol_of <- function(methods) mr_scatter_plot(mr(dat, method_list = methods), dat)[[1]]$guides$colour$ncol
  expect_equal(ncol_of(c("mr_ivw", "mr_egger_regression", "mr_weighted_median")), 2)
  expect_equal(ncol_of(c("mr_ivw", "mr_egger_regression")), 1)
  # "Inverse variance weighted (multiplicative random effects)" is too long for two columns
  expect_equal(ncol_of(c("mr_ivw", "mr_egger_regression", "mr_ivw_mre")), 1)
})

test_that("every pair gets a named element; too few SNPs give a classed message and NULL", {
  d1 <- simulate_mr_data(nsnp = 10, b = 0.3, seed = 1)
  d2 <- simulate_mr_data(nsnp = 10, b = 0.1, seed = 3)
  d2$id.exposure <- "A"
  d2$mr_keep[-1] <- FALSE
  dat <- rbind(d1, d2)
  res <- mr(dat, method_list = "mr_ivw")
  expect_message(p <- mr_scatter_plot(res, dat), class = "mrkit_message_too_few_snps")
  expect_named(p, c("A.out1", "exp1.out1"))
  expect_null(p[["A.out1"]])
  expect_s3_class(p[["exp1.out1"]], "ggplot")
  expect_snapshot(invisible(mr_scatter_plot(res, dat)))
  # no usable row at all: the message still names the pair
  d2$mr_keep <- FALSE
  expect_message(mr_scatter_plot(res, d2), '"A" on "out1": 0 SNPs', class = "mrkit_message_too_few_snps")
})

test_that("highlighted SNPs are the flagged ones, named by the diagnostic", {
  dat <- scatter_dat()
  res <- mr(dat, method_list = "mr_ivw")
  out <- mr_outliers(dat, methods = c("q", "radial"))
  p <- mr_scatter_plot(res, dat, highlight = out, labels = "highlighted")[[1]]
  flagged <- out$SNP[out$q_outlier | out$radial_outlier]
  expect_gt(length(flagged), 0L)
  hl <- highlight_layer(p)
  expect_equal(nrow(hl), length(flagged))
  expect_setequal(hl$x, abs(dat$beta.exposure[match(flagged, dat$SNP)]))
  lab <- label_layer(p)
  expect_setequal(lab$label, flagged)
  fills <- ggplot2::ggplot_build(p)$plot$scales$get_scales("fill")$get_limits()
  expect_true(all(fills %in% c("Q outlier", "Radial outlier", "Q outlier & Radial outlier")))

  p2 <- mr_scatter_plot(res, dat, highlight = list(`My SNPs` = dat$SNP[1:2]), labels = TRUE)[[1]]
  expect_equal(nrow(highlight_layer(p2)), 2L)
  expect_equal(nrow(label_layer(p2)), nrow(dat))
  st <- dat
  st$steiger_dir <- seq_len(nrow(dat)) > 3
  p3 <- mr_scatter_plot(res, dat, highlight = st)[[1]]
  expect_equal(sort(highlight_layer(p3)$x), sort(abs(dat$beta.exposure[1:3])))
  expect_error(mr_scatter_plot(res, dat, highlight = 1:3), class = "mrkit_error_parameter")
})

test_that("MR-PRESSO and radial MR outliers can be highlighted from their results", {
  dat <- scatter_dat()
  res <- mr(dat, method_list = "mr_ivw")
  set.seed(1)
  pr <- suppressWarnings(run_mr_presso(dat, NbDistribution = 2000))
  info <- attr(pr[[1]], "mrkit")
  flagged <- info$snp[info$outliers]
  expect_gt(length(flagged), 0L)
  for (h in list(pr, pr[[1]])) {
    hl <- highlight_layer(mr_scatter_plot(res, dat, highlight = h)[[1]])
    expect_setequal(hl$x, abs(dat$beta.exposure[match(flagged, dat$SNP)]))
  }
  rad <- mr_radial_ivw(dat$beta.exposure, dat$beta.outcome, dat$se.exposure, dat$se.outcome,
                       snps = dat$SNP)
  p <- mr_scatter_plot(res, dat, highlight = rad)[[1]]
  expect_setequal(highlight_layer(p)$x, abs(dat$beta.exposure[dat$SNP %in% rad$snps$SNP[rad$snps$outlier]]))
  expect_equal(ggplot2::ggplot_build(p)$plot$scales$get_scales("fill")$get_limits(), "Radial outlier")
})

test_that("exponentiate labels the outcome axis in odds ratios without moving anything", {
  dat <- scatter_dat()
  res <- mr(dat, method_list = "mr_ivw")
  p0 <- mr_scatter_plot(res, dat)[[1]]
  p1 <- mr_scatter_plot(res, dat, exponentiate = TRUE)[[1]]
  expect_equal(layer_of(p1, "GeomPoint")$y, layer_of(p0, "GeomPoint")$y)
  b <- ggplot2::ggplot_build(p1)
  brk <- b$layout$panel_params[[1]]$y$breaks
  lab <- b$layout$panel_params[[1]]$y$get_labels()
  expect_equal(as.numeric(lab[!is.na(brk)]), signif(exp(brk[!is.na(brk)]), 3))
})

test_that("bad input is a classed error", {
  dat <- scatter_dat()
  res <- mr(dat, method_list = "mr_ivw")
  expect_error(mr_scatter_plot(res, dat[, -1]), class = "mrkit_error_missing_column")
  expect_error(mr_scatter_plot(as.list(res), dat), class = "mrkit_error_input_type")
  expect_error(mr_scatter_plot(res, dat, exponentiate = NA), class = "mrkit_error_parameter")
})

test_that("scatter plots look as recorded", {
  skip_if_not_installed("vdiffr")
  dat <- scatter_dat()
  set.seed(1)
  res <- mr(dat, method_list = c("mr_ivw", "mr_egger_regression", "mr_weighted_median",
                                 "mr_weighted_mode", "mr_grip"),
            parameters = default_parameters(nboot = 100))
  vdiffr::expect_doppelganger("scatter simulated", mr_scatter_plot(res, dat)[[1]])
  out <- mr_outliers(dat, methods = c("q", "radial"))
  vdiffr::expect_doppelganger("scatter highlighted",
                              mr_scatter_plot(res, dat, highlight = out, labels = "highlighted")[[1]])
  vdiffr::expect_doppelganger("scatter odds ratio axis",
                              mr_scatter_plot(res[res$method == "Inverse variance weighted", ], dat,
                                              exponentiate = TRUE)[[1]])
})
