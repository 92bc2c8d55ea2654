# write_results() round trips and the publication-table formatters (values derived by hand).

test_that("format_estimate_ci() gives odds ratios with the interval, hand-checked", {
  # exp(0.5) = 1.6487, exp(0.5 - 0.196) = 1.3553, exp(0.5 + 0.196) = 2.0057
  expect_identical(format_estimate_ci(0.5, 0.5 - 1.96 * 0.1, 0.5 + 1.96 * 0.1, exponentiate = TRUE),
                   "1.65 (1.36, 2.01)")
  expect_identical(format_estimate_ci(-0.0123, -0.05, 0.025, digits = 3), "-0.012 (-0.050, 0.025)")
  # no "-0.00": a negative number that rounds to zero is printed as zero
  expect_identical(format_estimate_ci(-0.001, -0.02, 0.018), "0.00 (-0.02, 0.02)")
  expect_identical(format_estimate_ci(c(0.1, NA), c(0, NA), c(0.2, NA)), c("0.10 (0.00, 0.20)", NA))
})

test_that("format_pvalue() prints as papers do and never prints 0", {
  p <- c(0.5, 0.0342, 0.00123, 3.2e-12, 9.96e-5, 1, NA)
  expect_identical(format_pvalue(p), c("0.50", "0.034", "0.0012", "3.2e-12", "1.0e-4", "1.0", NA))
  below <- format_pvalue(c(1e-320, 0))
  expect_match(below, "below double range", fixed = TRUE)
  expect_false(any(grepl("^0$|^0\\.0+$|^0e", below)))
  # the smallest normal double is still printed as a number
  expect_identical(format_pvalue(3e-308), "3.0e-308")
  # with log10(p) the value below the double range is printed in full: 10^-511.39 = 4.07e-512
  expect_identical(format_pvalue(c(0, 0.2), log10_p = c(-511.39, log10(0.2))), c("4.1e-512", "0.20"))
  expect_error(format_pvalue("a"), class = "mrkit_error_input_type")
})

test_that("format_mr_table() keeps the result's interval and writes method names as papers do", {
  res <- data.frame(exposure = "BMI", outcome = "CHD",
                    method = c("MR Egger", "Inverse variance weighted", "Inverse variance weighted (fixed effects)",
                               "Robust adjusted profile score (RAPS)"),
                    nsnp = c(10, 10, 10, 10), b = 0.5, se = 0.1, lo_ci = 0.3, up_ci = 0.8, pval = 3.2e-12,
                    stringsAsFactors = FALSE)
  tab <- format_mr_table(res, exponentiate = TRUE)
  expect_identical(tab$method, c("MR-Egger", "Inverse-variance weighted", "IVW (fixed effects)", "MR-RAPS"))
  # exp(0.3) = 1.3499, exp(0.8) = 2.2255: the asymmetric interval of the result, not b +- 1.96 se
  expect_identical(tab[["OR (95% CI)"]], rep("1.65 (1.35, 2.23)", 4))
  expect_identical(tab$P, rep("3.2e-12", 4))
  expect_identical(tab$nsnp, rep(10L, 4))
  # without lo_ci/up_ci: b +- qnorm(0.975) se
  tab <- format_mr_table(res[c("method", "b", "se", "pval")])
  expect_identical(tab[["b (95% CI)"]][1], "0.50 (0.30, 0.70)")
  tab <- format_mr_table(res[c("b", "se")], level = 0.9)
  expect_identical(names(tab), "b (90% CI)")
  expect_identical(tab[[1]][1], "0.50 (0.34, 0.66)")
})

test_that("format_mr_table() reads mr() and mr_scan() results", {
  dat <- simulate_mr_data(nsnp = 20, b = 0.2, seed = 1)
  res <- mr(dat, method_list = c("mr_egger_regression", "mr_ivw"))
  tab <- format_mr_table(res, digits = 4)
  expect_identical(tab[["b (95% CI)"]], sprintf("%.4f (%.4f, %.4f)", res$b, res$lo_ci, res$up_ci))
  expect_identical(tab$method, c("MR-Egger", "Inverse-variance weighted"))
  panel <- mrkit:::simulate_panel_data(n_exposures = 2, n_outcomes = 1, seed = 1)
  scan <- withr::with_seed(1, mr_scan(panel$exposures, panel$outcomes, method_list = "mr_ivw"))
  expect_identical(nrow(format_mr_table(scan)), sum(scan$analysis == "mr"))
})

read_back <- function(path, sep = ",") utils::read.table(path, sep = sep, header = TRUE, stringsAsFactors = FALSE)

test_that("write_results() round-trips mr() results unrounded", {
  dat <- simulate_mr_data(nsnp = 20, b = 0.2, seed = 1)
  res <- withr::with_seed(1, mr(dat, method_list = c("mr_egger_regression", "mr_weighted_median", "mr_ivw")))
  f <- withr::local_tempfile(fileext = ".csv")
  paths <- write_results(res, f)
  expect_identical(unname(paths[["main"]]), f)
  back <- read_back(f)
  df <- as.data.frame(res)
  expect_identical(names(back), names(df))
  for (nm in names(df)) {
    if (is.double(df[[nm]])) expect_identical(as.double(back[[nm]]), df[[nm]], label = nm) else
      expect_equal(back[[nm]], df[[nm]], label = nm, ignore_attr = TRUE)
  }
  # tab-separated by extension, gzip-compressed with .gz
  g <- withr::local_tempfile(fileext = ".tsv.gz")
  write_results(res, g)
  expect_identical(read_back(g, sep = "\t")$b, df$b)
  con <- gzfile(g)
  expect_identical(readLines(con, n = 1), paste(sprintf('"%s"', names(df)), collapse = "\t"))
  close(con)
  # rounded when asked
  r <- withr::local_tempfile(fileext = ".csv")
  write_results(res, r, digits = 3)
  expect_identical(read_back(r)$b, signif(df$b, 3))
})

test_that("write_results() writes the audit of rows not used beside the results", {
  sim <- simulate_mr_data(nsnp = 12, output = "separate", flip_prop = 0.5, seed = 2)
  dat <- harmonise_data(sim$exposure, sim$outcome)
  dat$mr_keep[1:2] <- FALSE
  res <- mr(dat, method_list = "mr_ivw")
  f <- withr::local_tempfile(fileext = ".csv")
  paths <- write_results(res, f)
  expect_named(paths, c("main", "audit"))
  expect_identical(read_back(paths[["audit"]])$SNP, attr(res, "audit")$SNP)
})

test_that("write_results() writes every result class", {
  dat <- simulate_mr_data(nsnp = 15, b = 0.2, pleiotropy = "outliers", seed = 3)
  dir <- withr::local_tempdir()
  one <- function(x, name) {
    f <- file.path(dir, paste0(name, ".csv"))
    p <- write_results(x, f)
    lapply(p, read_back)
  }
  het <- mr_heterogeneity(dat)
  expect_identical(one(het, "het")$main$Q, het$Q)
  plt <- mr_pleiotropy_test(dat)
  expect_identical(one(plt, "plt")$main$egger_intercept, plt$egger_intercept)
  st <- suppressMessages(directionality_test(dat))
  back <- one(st, "steiger")$main
  expect_identical(back$steiger_pval, st$steiger_pval)
  expect_identical(back$correct_causal_direction, st$correct_causal_direction)
  loo <- mr_leaveoneout(dat)
  expect_identical(one(loo, "loo")$main$b, loo$b)

  presso <- suppressWarnings(withr::with_seed(1, run_mr_presso(dat, NbDistribution = 200)))
  back <- one(presso, "presso")
  tidy <- mr_presso_tidy(presso)
  expect_named(back, c("main", "global", "outliers", "distortion"))
  expect_identical(back$main$b, tidy$estimates$b)
  expect_identical(as.double(back$global$pval), tidy$global$pval)
  expect_identical(back$outliers$SNP, tidy$outliers$SNP)
  expect_true(file.exists(file.path(dir, "presso_global.csv")))

  rad <- mr_radial_ivw(dat$beta.exposure, dat$beta.outcome, dat$se.exposure, dat$se.outcome, snps = dat$SNP)
  back <- one(rad, "radial")
  expect_identical(back$main$estimate, rad$coefficients$estimate)
  expect_identical(back$main$Q, rep(rad$Q$Q, nrow(rad$coefficients)))
  expect_identical(back$snps$Qj, rad$snps$Qj)

  sim <- mrkit:::simulate_mediation_data(seed = 1)
  med <- mr_mediation(sim$dat_xm, sim$dat_my, sim$dat_xy, sim$mvdat)
  back <- one(med, "mediation")
  expect_identical(back$main$b, med$b)
  expect_identical(back$steps$b, attr(med, "steps")$b)

  mvdat <- simulate_mvmr_data(nsnp = 60, b = c(0.3, -0.2), seed = 2)
  mv <- mv_multiple(mvdat)
  expect_identical(one(mv, "mv")$main$b, mv$result$b)

  a <- simulate_mr_data(nsnp = 20, b = 0.3, output = "separate", seed = 1,
                        id_exposure = "A", id_outcome = "B", exposure = "A", outcome = "B")
  b <- simulate_mr_data(nsnp = 20, b = 0, output = "separate", seed = 2,
                        id_exposure = "B", id_outcome = "A", exposure = "B", outcome = "A")
  bi <- suppressMessages(mr_bidirectional(a$exposure, b$exposure, b$outcome, a$outcome, method_list = "mr_ivw"))
  back <- one(bi, "bidirectional")$main
  expect_identical(back$direction, c("forward", "reverse"))
  expect_identical(back$steiger_pval, bi$steiger_pval)

  panel <- mrkit:::simulate_panel_data(n_exposures = 2, n_outcomes = 2, seed = 1)
  scan <- withr::with_seed(1, mr_scan(panel$exposures, panel$outcomes, method_list = "mr_ivw"))
  back <- one(scan, "scan")$main
  expect_identical(back$analysis, scan$analysis)
  expect_identical(back$mean_F, scan$mean_F)
})

test_that("write_results() rejects unknown formats and non-results with classed errors", {
  res <- data.frame(b = 1)
  expect_error(write_results(res, tempfile(fileext = ".xlsx")), class = "mrkit_error_parameter")
  expect_error(write_results(1:3, tempfile(fileext = ".csv")), class = "mrkit_error_input_type")
  expect_error(write_results(res, c("a.csv", "b.csv")), class = "mrkit_error_parameter")
  expect_snapshot(write_results(res, "results.xlsx"), error = TRUE)
})
