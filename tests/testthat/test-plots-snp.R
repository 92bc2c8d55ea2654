# Forest, leave-one-out, funnel and density plots: the drawn rows, intervals and lines
# must be the single-SNP / leave-one-out results (ggplot_build() layer data), at 20 and at
# 500 SNPs, plus vdiffr snapshots.

layer_of <- function(p, geom, k = 1L) {
  i <- which(vapply(p$layers, function(l) inherits(l$geom, geom), logical(1)))
  stopifnot(length(i) >= k)
  ggplot2::layer_data(p, i[k])
}
y_labels <- function(p) {
  pp <- ggplot2::ggplot_build(p)$layout$panel_params[[1]]$y
  stats::setNames(pp$get_labels(), pp$breaks)
}

snp_dat <- function(nsnp = 20, seed = 1) simulate_mr_data(nsnp = nsnp, b = 0.3, seed = seed)

# TwoSampleMR's own single-SNP and leave-one-out tables of BMI -> CHD, with its columns.
tsmr_singlesnp <- function() {
  ref <- read_shared("reference", "bmi_chd", "singlesnp.csv")
  data.frame(exposure = ref$exposure, outcome = ref$outcome, id.exposure = ref$id.exposure,
             id.outcome = ref$id.outcome, samplesize = ref$samplesize, SNP = ref$SNP,
             b = ref$estimate, se = ref$se, p = ref$pval)
}
tsmr_leaveoneout <- function() {
  ref <- read_shared("reference", "bmi_chd", "leaveoneout.csv")
  data.frame(exposure = ref$exposure, outcome = ref$outcome, id.exposure = ref$id.exposure,
             id.outcome = ref$id.outcome, samplesize = ref$samplesize, SNP = ref$SNP_left_out,
             b = ref$estimate, se = ref$se, p = ref$pval)
}

test_that("forest rows are the single-SNP estimates +/- 1.96 se, sorted, summaries at the bottom", {
  ss <- mr_singlesnp(snp_dat())
  p <- mr_forest_plot(ss)
  expect_named(p, "exp1.out1")
  pts <- layer_of(p[[1]], "GeomPoint")
  bars <- layer_of(p[[1]], "GeomLinerange")
  expect_equal(nrow(pts), nrow(ss))
  snp <- !grepl("^All - ", ss$SNP)
  expect_equal(pts$x[pts$y > 3], sort(ss$b[snp]))
  expect_equal(pts$y[pts$y > 3], 3 + seq_len(20))
  o <- order(bars$y)
  ref <- rbind(ss[!snp, ], ss[snp, ][order(ss$b[snp]), ])
  expect_equal(bars$xmin[o], ref$b - 1.96 * ref$se)
  expect_equal(bars$xmax[o], ref$b + 1.96 * ref$se)
  labs <- y_labels(p[[1]])
  expect_equal(unname(labs), as.character(ref$SNP))
  expect_equal(unname(labs[1:2]), c("All - Inverse variance weighted", "All - MR Egger"))
  expect_equal(unique(pts$colour[pts$y <= 2]), "red")
  expect_equal(unique(pts$colour[pts$y > 3]), "black")
  expect_equal(layer_of(p[[1]], "GeomVline")$xintercept, 0)
  expect_equal(layer_of(p[[1]], "GeomHline")$yintercept, 3)
})

test_that("BMI -> CHD: TwoSampleMR's single-SNP table is drawn row for row", {
  skip_if_no_shared()
  ss <- tsmr_singlesnp()
  p <- mr_forest_plot(ss)[[1]]
  bars <- layer_of(p, "GeomLinerange")
  expect_equal(nrow(bars), 81L)
  expect_setequal(bars$xmin, ss$b - 1.96 * ss$se)
  labs <- y_labels(p)
  expect_setequal(labs, ss$SNP)
  lo <- tsmr_leaveoneout()
  p <- mr_leaveoneout_plot(lo)[[1]]
  pts <- layer_of(p, "GeomPoint")
  expect_equal(nrow(pts), nrow(lo))
  red <- pts$colour == "red"
  expect_equal(pts$x[red], lo$b[lo$SNP == "All"])
  expect_equal(pts$x[!red][order(pts$y[!red])], sort(lo$b[lo$SNP != "All"]))
  expect_lt(pts$y[red], min(pts$y[!red]))
})

test_that("exponentiate draws odds ratios on a log axis with the reference at 1", {
  ss <- mr_singlesnp(snp_dat())
  p <- mr_forest_plot(ss, exponentiate = TRUE)[[1]]
  bars <- layer_of(p, "GeomLinerange")
  expect_equal(sort(10^bars$xmax), sort(exp(ss$b + 1.96 * ss$se)))
  expect_equal(10^layer_of(p, "GeomVline")$xintercept, 1)
  lo <- mr_leaveoneout(snp_dat())
  pts <- layer_of(mr_leaveoneout_plot(lo, exponentiate = TRUE)[[1]], "GeomPoint")
  expect_equal(sort(10^pts$x), sort(exp(lo$b)))
})

test_that("500 SNPs: all 500 rows drawn, names left out, thinner; top_k and snp_estimates", {
  ss <- mr_singlesnp(snp_dat(500, seed = 5))
  p <- mr_forest_plot(ss)[[1]]
  pts <- layer_of(p, "GeomPoint")
  expect_equal(nrow(pts), 502L)
  black <- pts$colour == "black"
  expect_equal(sum(black), 500L)
  expect_equal(pts$x[black][order(pts$y[black])], sort(ss$b[!grepl("^All", ss$SNP)]))
  expect_equal(pts$x[!black], ss$b[grepl("^All", ss$SNP)])
  expect_equal(unname(y_labels(p)), c("All - Inverse variance weighted", "All - MR Egger"))
  expect_equal(p$labels$y, "500 SNPs, ordered by estimate")
  expect_lt(unique(pts$size[black]), 1)
  # the summary rows keep a readable slot: 500 / 40 row heights each
  expect_equal(sort(pts$y[!black]), c(12.5, 25))
  expect_equal(ggplot2::calc_element("axis.text.y", ggplot2::theme_grey() + p$theme)$size, 8)
  # named rows at 8 pt as built; they shrink when drawn (test-plots-fit-text.R)
  p5 <- mr_forest_plot(ss, snp_labels = TRUE)[[1]]
  expect_equal(ggplot2::calc_element("axis.text.y", ggplot2::theme_grey() + p5$theme)$size, 8)

  p <- mr_forest_plot(ss, top_k = 30)[[1]]
  pts <- layer_of(p, "GeomPoint")
  snps <- ss[!grepl("^All", ss$SNP), ]
  keep <- snps[order(snps$se)[1:30], ]
  expect_equal(nrow(pts), 32L)
  expect_equal(pts$x[pts$y > 3], sort(keep$b))
  expect_setequal(y_labels(p), c(keep$SNP, "All - Inverse variance weighted", "All - MR Egger"))
  expect_match(p$labels$caption, "30 of 500 SNPs")

  p <- mr_forest_plot(ss, snp_estimates = FALSE)[[1]]
  expect_equal(nrow(layer_of(p, "GeomPoint")), 2L)
  expect_match(p$labels$caption, "500 SNP estimates not drawn")
  expect_equal(nrow(layer_of(mr_forest_plot(ss, snp_labels = TRUE)[[1]], "GeomPoint")), 502L)
  expect_length(y_labels(mr_forest_plot(ss, snp_labels = TRUE)[[1]]), 502L)
})

test_that("leave-one-out: the All row in red at the bottom; top_k keeps the largest shifts", {
  lo <- mr_leaveoneout(snp_dat(40))
  p <- mr_leaveoneout_plot(lo)[[1]]
  pts <- layer_of(p, "GeomPoint")
  expect_equal(pts$colour[pts$y == 1], "red")
  expect_equal(unname(y_labels(p)[1]), "All")
  bars <- layer_of(p, "GeomLinerange")
  expect_setequal(bars$xmin, lo$b - 1.96 * lo$se)
  p <- mr_leaveoneout_plot(lo, top_k = 5)[[1]]
  all_b <- lo$b[lo$SNP == "All"]
  rest <- lo[lo$SNP != "All", ]
  keep <- rest$SNP[order(-abs(rest$b - all_b))[1:5]]
  expect_setequal(y_labels(p), c("All", keep))
})

test_that("too few SNPs: a classed message naming the pair, and NULL for it", {
  d1 <- snp_dat(10)
  d2 <- snp_dat(10, seed = 2)
  d2$id.exposure <- "A"
  d2$mr_keep[-(1:2)] <- FALSE
  dat <- rbind(d1, d2)
  ss <- mr_singlesnp(dat)
  lo <- suppressMessages(mr_leaveoneout(dat))
  res <- mr(dat, method_list = "mr_ivw")
  expect_message(p <- mr_leaveoneout_plot(lo), class = "mrkit_message_too_few_snps")
  expect_named(p, c("A.out1", "exp1.out1"))
  expect_null(p[["A.out1"]])
  expect_s3_class(p[["exp1.out1"]], "ggplot")
  ss1 <- ss[!(ss$id.exposure == "A" & ss$SNP == ss$SNP[ss$id.exposure == "A"][1]), ]
  expect_message(p <- mr_forest_plot(ss1), class = "mrkit_message_too_few_snps")
  expect_null(p[["A.out1"]])
  expect_message(p <- mr_funnel_plot(ss1), class = "mrkit_message_too_few_snps")
  expect_null(p[["A.out1"]])
  expect_message(p <- mr_density_plot(ss1, res), class = "mrkit_message_too_few_snps")
  expect_null(p[["A.out1"]])
  expect_snapshot(invisible(mr_leaveoneout_plot(lo)))
})

test_that("funnel: x = single-SNP b, y = 1/se, one line per summary estimate", {
  ss <- mr_singlesnp(snp_dat(), all_method = c("mr_ivw", "mr_egger_regression", "mr_weighted_median"))
  p <- mr_funnel_plot(ss)[[1]]
  pts <- layer_of(p, "GeomPoint")
  snp <- !grepl("^All - ", ss$SNP)
  expect_equal(pts$x, ss$b[snp])
  expect_equal(pts$y, 1 / ss$se[snp])
  vl <- layer_of(p, "GeomVline")
  expect_equal(vl$xintercept, ss$b[!snp])
  expect_equal(vl$colour, unname(mr_method_colours(sub("All - ", "", ss$SNP[!snp]))))
})

test_that("density: 1/se-weighted kernel density of the SNP estimates, method lines of the pair", {
  dat <- snp_dat(30)
  ss <- mr_singlesnp(dat)
  res <- mr(dat, method_list = c("mr_ivw", "mr_egger_regression"))
  other <- res
  other$id.exposure <- "other"
  other$b <- other$b + 5
  p <- mr_density_plot(ss, rbind(res, other))[[1]]
  snp <- ss[!grepl("^All - ", ss$SNP), ]
  dens <- layer_of(p, "GeomDensity")
  w <- (1 / snp$se) / sum(1 / snp$se)
  ref <- stats::density(snp$b, weights = w, bw = "nrd0", from = min(dens$x), to = max(dens$x), n = 512)
  expect_equal(dens$y, ref$y)
  pts <- layer_of(p, "GeomPoint")
  expect_equal(pts$x, snp$b)
  expect_true(all(pts$y == 0))
  vl <- layer_of(p, "GeomVline", 2L)
  expect_setequal(vl$xintercept, res$b)
  p <- mr_density_plot(ss, res, bandwidth = 0.05)[[1]]
  dens <- layer_of(p, "GeomDensity")
  ref <- stats::density(snp$b, weights = w, bw = 0.05, from = min(dens$x), to = max(dens$x), n = 512)
  expect_equal(dens$y, ref$y)
})

test_that("bad input is a classed error", {
  ss <- mr_singlesnp(snp_dat())
  expect_error(mr_forest_plot(ss[, -7]), class = "mrkit_error_missing_column")
  expect_error(mr_forest_plot(ss, top_k = 0), class = "mrkit_error_parameter")
  expect_error(mr_funnel_plot(ss, exponentiate = "yes"), class = "mrkit_error_parameter")
  expect_error(mr_leaveoneout_plot(list()), class = "mrkit_error_input_type")
})

test_that("SNP categories get their own colours and a legend", {
  ss <- mr_singlesnp(snp_dat())
  ss$category <- ifelse(seq_len(nrow(ss)) %% 2 == 0, "pathway A", "pathway B")
  p <- mr_forest_plot(ss, category_colours = c(`pathway A` = "blue", `pathway B` = "orange"))[[1]]
  pts <- layer_of(p, "GeomPoint")
  snp <- !grepl("^All - ", ss$SNP)
  expect_equal(sort(table(pts$colour[pts$y > 3])), sort(table(c(blue = "blue", orange = "orange")[
    ifelse(ss$category[snp] == "pathway A", "blue", "orange")])))
  expect_error(mr_forest_plot(ss, category_colours = c(`pathway A` = "blue")), class = "mrkit_error_parameter")
})

test_that("SNP plots look as recorded", {
  skip_if_not_installed("vdiffr")
  dat <- snp_dat()
  ss <- mr_singlesnp(dat)
  res <- mr(dat, method_list = c("mr_ivw", "mr_egger_regression"))
  vdiffr::expect_doppelganger("forest 20 snps", mr_forest_plot(ss)[[1]])
  vdiffr::expect_doppelganger("forest odds ratios", mr_forest_plot(ss, exponentiate = TRUE)[[1]])
  vdiffr::expect_doppelganger("leave-one-out 20 snps", mr_leaveoneout_plot(mr_leaveoneout(dat))[[1]])
  vdiffr::expect_doppelganger("funnel 20 snps", mr_funnel_plot(ss)[[1]])
  vdiffr::expect_doppelganger("density 20 snps", mr_density_plot(ss, res)[[1]])
  big <- mr_singlesnp(snp_dat(500, seed = 5))
  vdiffr::expect_doppelganger("forest 500 snps", mr_forest_plot(big)[[1]])
})

# A TwoSampleMR plotting script, unchanged, on mrkit objects: every plot is drawn without
# warnings, one named element per pair.
run_tsmr_plot_script <- function(dat) {
  res <- mr(dat)
  p1 <- mr_scatter_plot(res, dat)
  res_single <- mr_singlesnp(dat)
  p2 <- mr_forest_plot(res_single)
  p3 <- mr_leaveoneout_plot(mr_leaveoneout(dat))
  p4 <- mr_funnel_plot(res_single)
  p5 <- mr_density_plot(res_single, res)
  list(p1[[1]], p2[[1]], p3[[1]], p4[[1]], p5[[1]])
}

draw_all <- function(plots) {
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off())
  for (p in plots) ggplot2::ggplot_gtable(ggplot2::ggplot_build(p))
  invisible(TRUE)
}

test_that("a TwoSampleMR plotting script runs unchanged: BMI -> CHD and 500 SNPs", {
  skip_if_no_shared()
  set.seed(1)
  plots <- run_tsmr_plot_script(bmi_chd())
  expect_true(all(vapply(plots, ggplot2::is.ggplot, logical(1))))
  expect_no_warning(draw_all(plots))
  set.seed(1)
  plots <- run_tsmr_plot_script(snp_dat(500, seed = 5))
  expect_no_warning(draw_all(plots))
  expect_equal(nrow(layer_of(plots[[1]], "GeomPoint")), 500L)
  expect_equal(nrow(layer_of(plots[[2]], "GeomPoint")), 502L)
  expect_equal(nrow(layer_of(plots[[3]], "GeomPoint")), 501L)
})
