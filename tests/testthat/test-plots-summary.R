test_that("every drawn point and interval is a result row: estimate, its own CI, its label and method", {
  res <- fixed_results()
  p <- mr_forest_summary(res)
  pts <- plot_layer(p, "GeomPoint")
  rng <- plot_layer(p, "GeomLinerange")
  expect_equal(nrow(pts), nrow(res))
  pal <- mr_method_colours(unique(res$method))
  got <- data.frame(exposure = plot_y_label(p, pts$y), outcome = pts$column,
                    method = names(pal)[match(pts$colour, pal)], b = pts$x)
  key <- function(d) paste(d$exposure, d$outcome, d$method)
  m <- match(key(res), key(got))
  expect_false(anyNA(m))
  expect_equal(got$b[m], res$b)
  rkey <- paste(plot_y_label(p, rng$y), rng$column, names(pal)[match(rng$colour, pal)])
  r <- match(key(res), rkey)
  expect_equal(rng$xmin[r], res$lo_ci)
  expect_equal(rng$xmax[r], res$up_ci)
})

test_that("filled points are the rows significant after BH within outcome and method", {
  res <- fixed_results()
  # Independent adjustment: p.adjust over the 6 exposures of each outcome and method.
  res$bh <- ave(res$pval, res$outcome, res$method, FUN = function(p) p.adjust(p, "BH"))
  pts <- plot_layer(mr_forest_summary(res), "GeomPoint")
  b <- res$b
  filled <- pts$shape == 16
  expect_setequal(pts$x[filled], b[res$bh < 0.05])
  expect_true(any(res$bh < 0.05) && any(res$bh >= 0.05))
  # Bonferroni: p < 0.05 / 6
  pts <- plot_layer(mr_forest_summary(res, significance = "bonferroni"), "GeomPoint")
  expect_setequal(pts$x[pts$shape == 16], b[res$pval < 0.05 / 6])
  # columns of mr_adjust() are used as they are
  res$significant_bh <- FALSE
  res$significant_bh[1] <- TRUE
  pts <- plot_layer(mr_forest_summary(res), "GeomPoint")
  expect_equal(pts$x[pts$shape == 16], res$b[1])
})

test_that("odds ratios: the log axis carries exp(b) and the result's interval", {
  res <- fixed_results()
  p <- mr_forest_summary(res, exponentiate = TRUE)
  pts <- plot_layer(p, "GeomPoint")
  rng <- plot_layer(p, "GeomLinerange")
  expect_setequal(round(exp(pts$x), 10), round(exp(res$b), 10))
  expect_setequal(round(exp(rng$xmin), 10), round(exp(res$lo_ci), 10))
  vl <- plot_layer(p, "GeomVline")
  expect_equal(unique(vl$xintercept), 0)   # OR = 1 on the log scale
})

test_that("without lo_ci/up_ci the interval is b +- qnorm(0.975) se", {
  res <- fixed_results()
  res$lo_ci <- res$up_ci <- NULL
  rng <- plot_layer(mr_forest_summary(res), "GeomLinerange")
  pts <- plot_layer(mr_forest_summary(res), "GeomPoint")
  se <- res$se[match(pts$x, res$b)]
  expect_equal(rng$xmax - rng$x, stats::qnorm(0.975) * se, ignore_attr = TRUE)
})

test_that("sorting, grouping, top-k and method selection", {
  res <- fixed_results()
  p <- mr_forest_summary(res, sort = "estimate")
  pts <- plot_layer(p, "GeomPoint")
  ivw <- pts[pts$column == "Outcome 1" & pts$colour == mr_method_colours("Inverse variance weighted"), ]
  expect_equal(order(-ivw$y), order(-ivw$x))   # largest IVW estimate of the first outcome on top
  p <- mr_forest_summary(res, sort = "pval")
  pts <- plot_layer(p, "GeomPoint")
  top_label <- plot_y_label(p, max(round(pts$y)))
  expect_equal(top_label, res$exposure[which.min(res$pval)])
  p <- mr_forest_summary(res, group = "panel")
  pts <- plot_layer(p, "GeomPoint")
  expect_setequal(unique(pts$group), unique(res$panel))
  expect_true(all(res$panel[match(plot_y_label(p, pts$y), res$exposure)] == pts$group))
  p <- mr_forest_summary(res, top = 2, methods = "Weighted median")
  pts <- plot_layer(p, "GeomPoint")
  wm <- res[res$method == "Weighted median", ]
  best <- unique(wm$exposure[order(ave(wm$pval, wm$exposure, FUN = min))])[1:2]
  expect_setequal(unique(plot_y_label(p, pts$y)), best)
  expect_equal(nrow(pts), 4L)
  expect_error(mr_forest_summary(res, methods = "MR Egger"), class = "mrkit_error_input_value")
  expect_error(mr_forest_summary(res, sort = "estimate", sort_method = "MR Egger"), class = "mrkit_error_input_value")
})

test_that("significant_only keeps the rows with a significant estimate; one pair is named exposure -> outcome", {
  res <- fixed_results()
  res$bh <- ave(res$pval, res$outcome, res$method, FUN = function(p) p.adjust(p, "BH"))
  p <- mr_forest_summary(res, significant_only = TRUE)
  expect_setequal(unique(plot_y_label(p, plot_layer(p, "GeomPoint")$y)), unique(res$exposure[res$bh < 0.05]))
  expect_error(mr_forest_summary(res, significance = "none", significant_only = TRUE), class = "mrkit_error_parameter")
  one <- res[res$exposure == "Trait A" & res$outcome == "Outcome 1", ]
  p <- mr_forest_summary(one)
  pts <- plot_layer(p, "GeomPoint")
  expect_equal(unique(plot_y_label(p, pts$y)), "Trait A -> Outcome 1")
  expect_setequal(pts$x, one$b)
})

test_that("many rows: the 50 smallest p-values are drawn, with a message", {
  withr::local_seed(3)
  res <- data.frame(exposure = sprintf("cell %03d", 1:150), outcome = "Y", method = "Inverse variance weighted",
                    b = rnorm(150, 0, 0.05), se = 0.03)
  res$pval <- 2 * pnorm(-abs(res$b / res$se))
  expect_message(p <- mr_forest_summary(res), "150 rows")
  pts <- plot_layer(p, "GeomPoint")
  expect_setequal(plot_y_label(p, pts$y), res$exposure[order(res$pval)][1:50])
  expect_no_message(p <- mr_forest_summary(res, top = Inf))
  expect_equal(nrow(plot_layer(p, "GeomPoint")), 150L)
})

test_that("a scan result: only the MR rows are drawn, panels are outcomes", {
  panel <- mrkit:::simulate_panel_data(n_exposures = 4, n_outcomes = 2, seed = 11)
  set.seed(1)
  res <- suppressWarnings(mr_scan(panel$exposures, panel$outcomes, method_list = c("mr_ivw", "mr_egger_regression")))
  mr_rows <- res[res$analysis == "mr", ]
  pts <- plot_layer(mr_forest_summary(res), "GeomPoint")
  expect_equal(nrow(pts), nrow(mr_rows))
  expect_setequal(pts$x, mr_rows$b)
  expect_setequal(pts$column, unique(mr_rows$outcome))
})

test_that("forest_plot_1_to_many: TwoSampleMR's arguments, rows in input order", {
  res <- data.frame(outcome = c("Asthma", "Eczema", "Psoriasis", "Crohn's disease"),
                    category = c("Allergy", "Allergy", "Autoimmune", "Autoimmune"),
                    b = c(0.12, 0.05, -0.08, 0.2), se = c(0.04, 0.03, 0.05, 0.07), nsnp = c(25L, 25L, 24L, 22L))
  p <- forest_plot_1_to_many(res, exponentiate = TRUE, trans = "log2", by = "category",
                             addcols = "nsnp", addcol_titles = "SNPs", colour_scheme = "black")
  pts <- plot_layer(p, "GeomPoint")
  rng <- plot_layer(p, "GeomLinerange")
  lab <- plot_y_label(p, pts$y)
  i <- match(res$outcome, lab)
  expect_equal(2^pts$x[i], exp(res$b))
  expect_equal(2^rng$xmin[i], exp(res$b - qnorm(0.975) * res$se))
  expect_equal(order(-pts$y[i]), 1:4)                 # first row of mr_res on top
  expect_equal(pts$group[i], res$category)
  expect_equal(unique(pts$colour), "black")
  expect_equal(unique(pts$shape), 15)
  sec <- p$scales$get_scales("y")$secondary.axis
  expect_equal(sec$name, "SNPs")
  expect_equal(sec$labels(pts$y[i]), format(res$nsnp))
  expect_error(forest_plot_1_to_many(res, ao_slc = TRUE), class = "mrkit_error_unsupported")
  expect_snapshot(forest_plot_1_to_many(res, ao_slc = TRUE), error = TRUE)
  expect_error(forest_plot_1_to_many(res, lo = 0.5), class = "mrkit_error_parameter")
  expect_error(forest_plot_1_to_many(res, b = "beta"), class = "mrkit_error_missing_column")
})

test_that("forest_plot_1_to_many with several exposures draws a panel per exposure", {
  res <- fixed_results()
  res <- res[res$outcome == "Outcome 1" & res$method == "Inverse variance weighted", ]
  names(res)[names(res) == "exposure"] <- "outcome2"
  res$exposure <- rep(c("BMI", "LDL"), 3)
  res$outcome <- res$outcome2
  pts <- plot_layer(forest_plot_1_to_many(res), "GeomPoint")
  expect_setequal(pts$column, c("BMI", "LDL"))
  expect_setequal(pts$x, res$b)
})

test_that("summary forest pictures", {
  skip_if_not_installed("vdiffr")
  res <- fixed_results()
  vdiffr::expect_doppelganger("summary forest grouped", mr_forest_summary(res, group = "panel", sort = "estimate"))
  vdiffr::expect_doppelganger("summary forest odds ratios", mr_forest_summary(res, exponentiate = TRUE))
  r1 <- data.frame(outcome = c("Asthma", "Eczema", "Psoriasis"), category = c("Allergy", "Allergy", "Autoimmune"),
                   b = c(0.12, 0.05, -0.08), se = c(0.04, 0.03, 0.05), nsnp = c(25L, 25L, 24L))
  vdiffr::expect_doppelganger("forest 1 to many", forest_plot_1_to_many(r1, by = "category", addcols = "nsnp",
                                                                        addcol_titles = "SNPs"))
})

test_that("sort_1_to_many orders rows as TwoSampleMR's sort actions describe", {
  res <- data.frame(outcome = c("Asthma", "Eczema", "Psoriasis", "Crohn's disease", "Gout"),
                    category = c("Allergy", "Allergy", "Autoimmune", "Autoimmune", "Metabolic"),
                    b = c(0.05, 0.12, -0.08, 0.2, 0.01), stringsAsFactors = FALSE)
  res$category[5] <- "Arthritis"
  expect_equal(sort_1_to_many(res, sort_action = 4)$b, c(0.2, 0.12, 0.05, 0.01, -0.08))
  expect_equal(sort_1_to_many(res, sort_action = 5)$b, c(-0.08, 0.01, 0.05, 0.12, 0.2))
  expect_equal(sort_1_to_many(res, sort_action = 1, group = "category")$outcome,
               c("Eczema", "Asthma", "Crohn's disease", "Psoriasis", "Gout"))
  expect_equal(sort_1_to_many(res, sort_action = 2, group = "category")$outcome,
               c("Eczema", "Asthma", "Gout", "Crohn's disease", "Psoriasis"))
  # Action 3: methods of one trait together, traits placed by their IVW estimate
  m <- data.frame(exposure = rep(c("BMI", "LDL", "SBP"), c(2, 2, 1)),
                  method = c("MR Egger", "IVW", "IVW", "MR Egger", "IVW"),
                  b = c(0.5, 0.1, 0.3, -0.2, 0.2), stringsAsFactors = FALSE)
  s <- sort_1_to_many(m, trait_m = "method", group = "exposure", sort_action = 3, priority = "IVW")
  expect_equal(paste(s$exposure, s$method),
               c("LDL IVW", "LDL MR Egger", "SBP IVW", "BMI IVW", "BMI MR Egger"))
  expect_error(sort_1_to_many(res, sort_action = 1), class = "mrkit_error_missing_argument")
  expect_error(sort_1_to_many(res, sort_action = 6), class = "mrkit_error_parameter")
})

test_that("mediation and bidirectional results get their own display", {
  sim <- mrkit:::simulate_mediation_data(seed = 1)
  med <- mr_mediation(sim$dat_xm, sim$dat_my, sim$dat_xy)
  p <- mr_forest_summary(med)
  expect_true("Proportion mediated" %in% plot_layer(p, "GeomPoint")$column)
  bi <- data.frame(direction = c("forward", "reverse"), exposure = c("A", "B"), outcome = c("B", "A"),
                   method = "Inverse variance weighted", b = c(0.3, 0), se = c(0.03, 0.03), pval = c(1e-20, 1))
  expect_match(levels(mr_forest_summary(bi)$data$series)[2], "^reverse: B")
})
