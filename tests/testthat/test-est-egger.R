test_that("MR-Egger equals TwoSampleMR on BMI -> CHD to 1e-10", {
  skip_if_no_shared()
  d <- bmi_chd()
  r <- mr_egger_regression(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  for (stat in c("b", "se", "pval", "b_i", "se_i", "pval_i", "Q", "Q_df", "Q_pval")) {
    expect_lt(rel_diff(r[[stat]], tsmr_detail("mr_egger_regression", stat)), 1e-10)
  }
})

test_that("MR-Egger equals weighted lm after orientation", {
  d <- sim(nsnp = 30, b = 0.2, pleiotropy = "directional", prop_invalid = 1)
  bx <- d$beta.exposure; by <- d$beta.outcome; sy <- d$se.outcome
  s <- ifelse(bx >= 0, 1, -1)
  fit <- summary(stats::lm(I(by * s) ~ abs(bx), weights = 1 / sy^2))
  r <- mr_egger_regression(bx, by, d$se.exposure, sy)
  floor <- min(1, fit$sigma)
  expect_equal(r$b, fit$coefficients[2, 1], tolerance = 1e-10)
  expect_equal(r$se, fit$coefficients[2, 2] / floor, tolerance = 1e-10)
  expect_equal(r$b_i, fit$coefficients[1, 1], tolerance = 1e-10)
  expect_equal(r$pval, 2 * stats::pt(-abs(r$b / r$se), 28), tolerance = 1e-10)
  # MendelianRandomization: normal p-values.
  rn <- mr_egger_regression(bx, by, d$se.exposure, sy, default_parameters(distribution = "normal"))
  expect_equal(rn$pval, 2 * stats::pnorm(-abs(r$b / r$se)), tolerance = 1e-10)
})

test_that("MR-Egger detects directional pleiotropy in a simulation (intercept > 0)", {
  d <- sim(nsnp = 200, b = 0.2, pleiotropy = "directional", prop_invalid = 1,
           pleiotropy_mean = 1, pleiotropy_sd = 0.2, seed = 3)
  r <- mr_egger_regression(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  expect_lt(r$pval_i, 0.01)
  expect_gt(r$b_i, 0)
})

test_that("MR-Egger needs 3 variants and reports collinearity", {
  expect_true(is.na(mr_egger_regression(c(0.1, 0.2), c(0.1, 0.2), c(0.01, 0.01), c(0.01, 0.01))$b))
  r <- mr_egger_regression(c(0.1, 0.1, -0.1), c(0.05, 0.04, -0.06), rep(0.01, 3), rep(0.02, 3))
  expect_true(is.na(r$b))
  expect_match(r$note, "collinear")
  r3 <- mr_egger_regression(c(0.1, 0.2, 0.3), c(0.05, 0.11, 0.14), rep(0.01, 3), rep(0.02, 3))
  expect_equal(r3$Q_df, 1)
})
