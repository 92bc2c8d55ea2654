# Unweighted regression: the estimate is TwoSampleMR's; its standard error by default is a
# real one (mrkit_differences), TwoSampleMR's with tsmr_quirks = TRUE.

quirks <- default_parameters(tsmr_quirks = TRUE)

test_that("with tsmr_quirks, unweighted regression equals TwoSampleMR on BMI -> CHD to 1e-10", {
  skip_if_no_shared()
  d <- bmi_chd()
  r <- mr_uwr(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, quirks)
  for (stat in c("b", "se", "pval", "Q", "Q_df", "Q_pval")) {
    expect_lt(rel_diff(r[[stat]], tsmr_detail("mr_uwr", stat)), 1e-10)
  }
  # The Q row of mr_heterogeneity().
  het <- read_shared("reference", "bmi_chd", "heterogeneity.csv")
  h <- het[het$method == "Unweighted regression", ]
  expect_lt(rel_diff(r$Q, h$Q), 1e-10)
  expect_equal(r$Q_df, h$Q_df)
})

test_that("by default the estimate and Q are TwoSampleMR's and the SE is a standard error", {
  skip_if_no_shared()
  d <- bmi_chd()
  r <- mr_uwr(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  expect_lt(rel_diff(r$b, tsmr_detail("mr_uwr", "b")), 1e-10)
  expect_lt(rel_diff(r$Q, tsmr_detail("mr_uwr", "Q")), 1e-10)
  # TwoSampleMR's SE (3.77) is (sum bx^2)^(-1/2), 80 times IVW's; mrkit's is of IVW's order.
  ivw <- mr_ivw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  expect_gt(tsmr_detail("mr_uwr", "se") / ivw$se, 50)
  expect_lt(r$se / ivw$se, 3)
  expect_gt(r$se / ivw$se, 0.5)
})

test_that("the default SE is the known-variance least-squares SE with over-dispersion", {
  # Hand derivation: var(sum bx by / sum bx^2) = sum(bx^2 sy^2) / (sum bx^2)^2 when the
  # outcome effects are independent with variances sy^2, scaled by
  # max(1, sum((e/sy)^2) / (J - 1)) as multiplicative random effects.
  for (case in list(list(pl = "none", seed = 3), list(pl = "balanced", seed = 4))) {
    d <- sim(nsnp = 20, b = 0.4, pleiotropy = case$pl, seed = case$seed)
    bx <- d$beta.exposure; by <- d$beta.outcome; sy <- d$se.outcome
    fit <- stats::lm(by ~ 0 + bx)
    r <- mr_uwr(bx, by, d$se.exposure, sy)
    expect_equal(r$b, unname(stats::coef(fit)), tolerance = 1e-12)
    phi <- sum((stats::residuals(fit) / sy)^2) / 19
    se_fe <- sqrt(sum(bx^2 * sy^2)) / sum(bx^2)
    expect_equal(r$se, se_fe * sqrt(max(1, phi)), tolerance = 1e-12)
    expect_equal(r$pval, 2 * stats::pnorm(-abs(r$b / r$se)), tolerance = 1e-12)
    rt <- mr_uwr(bx, by, d$se.exposure, sy, default_parameters(distribution = "t"))
    expect_equal(rt$pval, 2 * stats::pt(-abs(r$b / r$se), 19), tolerance = 1e-12)
  }
})

test_that("with tsmr_quirks the SE is lm()'s divided by min(1, sigma)", {
  d <- sim(nsnp = 20, b = 0.4)
  bx <- d$beta.exposure; by <- d$beta.outcome
  fit <- summary(stats::lm(by ~ 0 + bx))
  r <- mr_uwr(bx, by, d$se.exposure, d$se.outcome, quirks)
  expect_equal(r$b, fit$coefficients[1, 1], tolerance = 1e-12)
  expect_equal(r$se, fit$coefficients[1, 2] / min(1, fit$sigma), tolerance = 1e-12)
  # sigma is on the beta scale, so this "SE" is (sum bx^2)^(-1/2).
  expect_lt(fit$sigma, 1)
  expect_equal(r$se, 1 / sqrt(sum(bx^2)), tolerance = 1e-12)
  expect_equal(r$Q, fit$sigma^2 * 19, tolerance = 1e-12)
})

test_that("the default SE gives nominal coverage and type-I error; TwoSampleMR's does not", {
  # Known truth: 400 data sets (J = 10 and 30; b = 0.2 and 0), no pleiotropy and balanced
  # pleiotropy. Monte Carlo SE of a 95% coverage over 400 replicates: 0.011.
  withr::local_seed(20)
  p <- default_parameters(distribution = "t")
  pq <- default_parameters(distribution = "t", tsmr_quirks = TRUE)
  out <- vapply(seq_len(400), function(i) {
    b <- if (i %% 2) 0.2 else 0
    d <- simulate_mr_data(nsnp = if (i %% 4 < 2) 10 else 30, b = b,
                          pleiotropy = if (i > 200) "balanced" else "none")
    r <- mr_uwr(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p)
    q <- mr_uwr(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, pq)
    c(abs(r$b - b) <= stats::qt(0.975, r$nsnp - 1) * r$se, b == 0 && r$pval < 0.05,
      b == 0 && q$pval < 0.05)
  }, numeric(3))
  coverage <- mean(out[1, ])
  expect_gt(coverage, 0.95 - 3 * sqrt(0.95 * 0.05 / 400))
  expect_lt(coverage, 0.99)
  type1 <- sum(out[2, ]) / 200
  expect_lt(type1, 0.05 + 3 * sqrt(0.05 * 0.95 / 200))
  # TwoSampleMR's "SE" is so large that it never rejects.
  expect_equal(sum(out[3, ]), 0)
})

test_that("unweighted regression edge cases", {
  expect_match(mr_uwr(0.1, 0.05, 0.01, 0.02)$note, "at least 2")
  expect_true(is.na(mr_uwr(numeric(), numeric(), numeric(), numeric())$b))
  r2 <- mr_uwr(c(0.1, -0.2), c(0.05, -0.1), c(0.01, 0.01), c(0.02, 0.02))
  expect_equal(r2$b, 0.5)
  expect_equal(r2$Q, 0)           # perfect fit: sigma = 0, the SE stays the fixed-effect one
  expect_equal(r2$se, sqrt(0.05 * 0.02^2) / 0.05)
  expect_equal(mr_uwr(c(0.1, -0.2), c(0.05, -0.1), c(0.01, 0.01), c(0.02, 0.02), quirks)$se,
               1 / sqrt(0.05))
  expect_match(mr_uwr(c(0, 0), c(0.1, 0.2), c(0.01, 0.01), c(0.02, 0.02))$note, "zero")
  expect_error(mr_uwr(c(0.1, 0.2), c(0.1, 0.2), c(0.01, -0.01), c(0.02, 0.02)),
               class = "mrkit_error_se_nonpositive")
})

test_that("mr(tsmr_quirks = TRUE) gives TwoSampleMR's mr_uwr row on BMI -> CHD", {
  skip_if_no_shared()
  ref <- read_shared("reference", "bmi_chd", "mr_all_methods.csv")
  ref <- ref[ref$method_obj == "mr_uwr", ]
  r <- mr(bmi_chd(), method_list = "mr_uwr", parameters = quirks)
  expect_equal(r$method, ref$method)
  expect_equal(r$nsnp, ref$nsnp)
  expect_lt(rel_diff(r$b, ref$estimate), 1e-10)
  expect_lt(rel_diff(r$pval, ref$pval), 1e-10)
  if (is.na(ref$se)) expect_true(is.na(r$se)) else expect_lt(rel_diff(r$se, ref$se), 1e-10)
})
