# Every deliberate difference from TwoSampleMR (?mrkit_differences), with both numbers:
# mrkit's default and TwoSampleMR's (its recorded output on BMI -> CHD, or
# tsmr_quirks = TRUE on simulated data).

quirks <- default_parameters(tsmr_quirks = TRUE)

test_that("maximum likelihood: the exact optimum, not TwoSampleMR's unconverged Nelder-Mead", {
  skip_if_no_shared()
  d <- bmi_chd()
  r <- mr_two_sample_ml(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  # TwoSampleMR: b = 0.4499, Q = 141.8; the maximum: b = 0.4581, Q = 140.7.
  expect_equal(tsmr_detail("mr_two_sample_ml", "b"), 0.4499, tolerance = 1e-4)
  expect_equal(r$b, 0.4581, tolerance = 1e-4)
  expect_lt(r$Q, tsmr_detail("mr_two_sample_ml", "Q") - 1)
  # tsmr_quirks does not change it (see test-est-ml.R for optim() reproducing TwoSampleMR).
  rq <- mr_two_sample_ml(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, quirks)
  expect_identical(rq$b, r$b)
})

test_that("unweighted regression: a standard error, or TwoSampleMR's (sum bx^2)^(-1/2)", {
  skip_if_no_shared()
  d <- bmi_chd()
  r <- mr(d, method_list = c("mr_uwr", "mr_ivw"))
  rq <- mr(d, method_list = "mr_uwr", parameters = quirks)
  expect_lt(rel_diff(rq$se, tsmr_detail("mr_uwr", "se")), 1e-10)
  expect_equal(rq$se, 1 / sqrt(sum(d$beta.exposure^2)), tolerance = 1e-10)
  expect_equal(r$b[1], rq$b)
  # TwoSampleMR's SE is 80 times IVW's; mrkit's has IVW's order of magnitude.
  expect_gt(rq$se / r$se[2], 50)
  expect_lt(r$se[1] / r$se[2], 3)
  expect_gt(tsmr_detail("mr_uwr", "pval"), 0.9)
  expect_lt(r$pval[1], 1e-3)
})

test_that("MR-Egger bootstrap: weighted MR-Egger and a two-sided p; TwoSampleMR's with tsmr_quirks", {
  skip_if_no_shared()
  d <- bmi_chd()
  f <- function(p) mr_egger_regression_bootstrap(d$beta.exposure, d$beta.outcome, d$se.exposure,
                                                 d$se.outcome, p)
  r <- f(default_parameters(nboot = 2000, seed = 3))
  rq <- f(default_parameters(nboot = 2000, seed = 3, tsmr_quirks = TRUE))
  egger <- mr_egger_regression(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  tsmr_b <- tsmr_detail("mr_egger_regression_bootstrap", "b")
  tsmr_se <- tsmr_detail("mr_egger_regression_bootstrap", "se")
  # TwoSampleMR's mean slope is 0.530 (Monte Carlo SE 0.003), above MR-Egger's 0.502; the
  # mean of weighted MR-Egger slopes (0.46) lies below it, as the redrawn exposure effects
  # add measurement error (regression dilution) to that of the data.
  expect_lt(abs(rq$b - tsmr_b), 0.15 * tsmr_se)
  expect_lt(r$b, egger$b)
  expect_gt(r$b, egger$b - 0.5 * egger$se)
  expect_gt(tsmr_b - r$b, 0.05)
  # p-values: TwoSampleMR's one-sided intercept p (0.092) against a two-sided one, about twice.
  expect_lt(abs(rq$pval_i - tsmr_detail("mr_egger_regression_bootstrap", "pval_i")), 0.05)
  expect_gt(r$pval_i, 1.5 * rq$pval_i)
  expect_gt(r$pval, 0)
  expect_equal(rq$pval, 0)
})

test_that("Rucker mean: a 1 - alpha interval, or TwoSampleMR's with lower bound above upper", {
  skip_if_no_shared()
  d <- bmi_chd()
  run <- function(p) {
    set.seed(4)
    res <- mr_rucker_bootstrap(d, p)[[1]]$res
    res[res$Method == "Rucker mean", ]
  }
  m <- run(default_parameters(nboot = 200))
  mq <- run(default_parameters(nboot = 200, tsmr_quirks = TRUE))
  expect_identical(m$Estimate, mq$Estimate)
  expect_lt(m$CI_low, m$Estimate)
  expect_gt(m$CI_upp, m$Estimate)
  expect_gt(mq$CI_low, mq$CI_upp)
  expect_equal(mq$CI_low, m$CI_upp, tolerance = 1e-12)  # qnorm(0.025) = -qnorm(0.975)
})

test_that("odds ratios keep each method's interval; TwoSampleMR's use 1.96", {
  skip_if_no_shared()
  d <- bmi_chd()
  ref <- read_shared("reference", "bmi_chd", "mr_default_with_odds_ratios.csv")
  egger_ref <- ref[ref$method == "MR Egger", ]
  # TwoSampleMR: exp(b -/+ 1.96 se) even for MR-Egger, whose test is t on nsnp - 2 df.
  expect_equal(egger_ref$or_lci95, exp(egger_ref$estimate - 1.96 * egger_ref$se), tolerance = 1e-10)
  res <- mr(d, method_list = "mr_egger_regression")
  r <- generate_odds_ratios(res)
  expect_equal(r$or_lci95, exp(res$lo_ci), tolerance = 1e-12)
  expect_equal(r$lo_ci, r$b - stats::qt(0.975, 77) * r$se, tolerance = 1e-10)
  expect_lt(r$or_lci95, egger_ref$or_lci95)
  rq <- generate_odds_ratios(res, default_parameters(tsmr_quirks = TRUE))
  expect_lt(rel_diff(rq$or_lci95, egger_ref$or_lci95), 1e-10)
  expect_lt(rel_diff(rq$or_uci95, egger_ref$or_uci95), 1e-10)
})
