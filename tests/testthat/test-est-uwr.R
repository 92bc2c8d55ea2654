test_that("unweighted regression equals TwoSampleMR on BMI -> CHD to 1e-10", {
  skip_if_no_shared()
  d <- bmi_chd()
  r <- mr_uwr(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  for (stat in c("b", "se", "pval", "Q", "Q_df", "Q_pval")) {
    expect_lt(rel_diff(r[[stat]], tsmr_detail("mr_uwr", stat)), 1e-10)
  }
  # The Q row of mr_heterogeneity().
  het <- read_shared("reference", "bmi_chd", "heterogeneity.csv")
  h <- het[het$method == "Unweighted regression", ]
  expect_lt(rel_diff(r$Q, h$Q), 1e-10)
  expect_equal(r$Q_df, h$Q_df)
})

test_that("unweighted regression is lm() through the origin with TwoSampleMR's SE quirk", {
  d <- sim(nsnp = 20, b = 0.4)
  bx <- d$beta.exposure; by <- d$beta.outcome
  fit <- summary(stats::lm(by ~ 0 + bx))
  r <- mr_uwr(bx, by, d$se.exposure, d$se.outcome)
  expect_equal(r$b, fit$coefficients[1, 1], tolerance = 1e-12)
  expect_equal(r$se, fit$coefficients[1, 2] / min(1, fit$sigma), tolerance = 1e-12)
  # The quirk: sigma is on the beta scale, so the SE is (sum bx^2)^(-1/2).
  expect_lt(fit$sigma, 1)
  expect_equal(r$se, 1 / sqrt(sum(bx^2)), tolerance = 1e-12)
  expect_equal(r$Q, fit$sigma^2 * 19, tolerance = 1e-12)
  expect_equal(r$pval, 2 * stats::pnorm(-abs(r$b / r$se)), tolerance = 1e-12)
  rt <- mr_uwr(bx, by, d$se.exposure, d$se.outcome, default_parameters(distribution = "t"))
  expect_equal(rt$pval, 2 * stats::pt(-abs(r$b / r$se), 19), tolerance = 1e-12)
})

test_that("unweighted regression edge cases", {
  expect_match(mr_uwr(0.1, 0.05, 0.01, 0.02)$note, "at least 2")
  expect_true(is.na(mr_uwr(numeric(), numeric(), numeric(), numeric())$b))
  r2 <- mr_uwr(c(0.1, -0.2), c(0.05, -0.1), c(0.01, 0.01), c(0.02, 0.02))
  expect_equal(r2$b, 0.5)
  expect_equal(r2$Q, 0)           # perfect fit: sigma = 0, SE stays finite
  expect_equal(r2$se, 1 / sqrt(0.05))
  expect_match(mr_uwr(c(0, 0), c(0.1, 0.2), c(0.01, 0.01), c(0.02, 0.02))$note, "zero")
  expect_error(mr_uwr(c(0.1, 0.2), c(0.1, 0.2), c(0.01, -0.01), c(0.02, 0.02)),
               class = "mrkit_error_se_nonpositive")
})

test_that("mr() gives TwoSampleMR's mr_uwr row on BMI -> CHD", {
  skip_if_no_shared()
  ref <- read_shared("reference", "bmi_chd", "mr_all_methods.csv")
  ref <- ref[ref$method_obj == "mr_uwr", ]
  r <- mr(bmi_chd(), method_list = "mr_uwr")
  expect_equal(r$method, ref$method)
  expect_equal(r$nsnp, ref$nsnp)
  expect_lt(rel_diff(r$b, ref$estimate), 1e-10)
  expect_lt(rel_diff(r$pval, ref$pval), 1e-10)
  if (is.na(ref$se)) expect_true(is.na(r$se)) else expect_lt(rel_diff(r$se, ref$se), 1e-10)
})
