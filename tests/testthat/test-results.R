# Printing of result objects: compact summaries, seeds as integers, no dumped attributes.

test_that("mr() results print seeds as integers", {
  dat <- simulate_mr_data(nsnp = 15, b = 0.3, seed = 21)
  set.seed(3)
  res <- mr(dat, method_list = c("mr_ivw", "mr_weighted_median"), parameters = default_parameters(nboot = 100))
  expect_true(res$seed[2] > 1e8)
  out <- capture.output(print(res))
  expect_true(any(grepl(sprintf("%.0f", res$seed[2]), out, fixed = TRUE)))
  expect_snapshot(print(res))
  # The object itself is unchanged: a data frame with a numeric seed column.
  expect_type(res$seed, "double")
  expect_s3_class(as.data.frame(res), "data.frame")
})

test_that("run_mr_presso() and mr_rucker() print compactly without attributes", {
  dat <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 2)
  set.seed(1)
  p <- suppressWarnings(run_mr_presso(dat, NbDistribution = 500))
  out <- capture.output(print(p))
  expect_false(any(grepl("attr(,", out, fixed = TRUE)))
  expect_snapshot(print(p))
  # Still the list TwoSampleMR code indexes.
  expect_true(is.list(p))
  expect_named(p[[1]], c("Main MR results", "MR-PRESSO results"))
  r <- mr_rucker(dat)
  out <- capture.output(print(r))
  expect_false(any(grepl("attr(,", out, fixed = TRUE)))
  expect_lt(length(out), 40)
  expect_snapshot(print(r))
  expect_named(r[[1]], c("rucker", "intercept", "Q", "res", "selected", "cooksdistance"))
})

test_that("a scan prints a summary and the top rows, not the whole table", {
  sims <- lapply(1:3, function(i) {
    simulate_mr_data(nsnp = 20, b = c(0.3, 0, -0.2)[i], output = "separate", seed = 30 + i,
                     id_exposure = paste0("exp", i), exposure = paste("Exposure", i),
                     id_outcome = "out1", outcome = "Outcome")
  })
  exposures <- lapply(seq_along(sims), function(i) transform(sims[[i]]$exposure, SNP = paste0(SNP, "_", i)))
  outcome <- do.call(rbind, lapply(seq_along(sims), function(i) transform(sims[[i]]$outcome, SNP = paste0(SNP, "_", i))))
  set.seed(4)
  s <- suppressWarnings(mr_scan(exposures, outcome, method_list = c("mr_ivw", "mr_egger_regression"),
                                clump = FALSE))
  out <- capture.output(print(s))
  expect_lt(length(out), nrow(s) + 5)
  expect_snapshot(print(s, n = 4))
  expect_s3_class(s, "data.frame")
})

test_that("a column subset of a scan prints as plain results", {
  p <- simulate_scan_data(n_exposures = 2, n_outcomes = 1, seed = 3)
  s <- suppressWarnings(mr_scan(p$exposures, p$outcomes, method_list = "mr_ivw", clump = FALSE))
  sub <- s[s$analysis == "mr", c("exposure", "b", "pval")]
  out <- capture.output(print(sub))
  expect_false(any(grepl("mrkit_scan", out)))
  expect_true(any(grepl(format(signif(sub$b[1], 3)), out, fixed = TRUE)))
})
