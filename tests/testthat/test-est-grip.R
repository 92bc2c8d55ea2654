test_that("MR-GRIP equals TwoSampleMR on BMI -> CHD to 1e-10, weak-instrument adjustment included", {
  skip_if_no_shared()
  d <- bmi_chd()
  r <- mr_grip(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  for (stat in c("b", "se", "pval", "b_i", "se_i", "pval_i", "b.adj", "se.adj", "pval.adj")) {
    expect_lt(rel_diff(r[[stat]], tsmr_detail("mr_grip", stat)), 1e-10)
  }
  expect_equal(r$nsnp, 79L)
})

test_that("MR-GRIP is the weighted lm of by*bx on bx^2 and is invariant to allele coding", {
  d <- sim(nsnp = 30, b = 0.25, pleiotropy = "directional", prop_invalid = 0.5, seed = 5)
  bx <- d$beta.exposure; by <- d$beta.outcome; sx <- d$se.exposure; sy <- d$se.outcome
  fit <- summary(stats::lm(I(by * bx) ~ I(bx^2), weights = 1 / (bx^2 * sy^2)))
  r <- mr_grip(bx, by, sx, sy)
  expect_equal(r$b, fit$coefficients[2, 1], tolerance = 1e-10)
  expect_equal(r$se, fit$coefficients[2, 2], tolerance = 1e-10)
  expect_equal(r$b_i, fit$coefficients[1, 1], tolerance = 1e-10)
  expect_equal(r$pval, 2 * stats::pt(-abs(r$b / r$se), 28), tolerance = 1e-10)
  flip <- rep(c(-1, 1, 1), length.out = 30)
  rf <- mr_grip(bx * flip, by * flip, sx, sy)
  for (stat in c("b", "se", "b_i", "b.adj", "se.adj")) expect_equal(rf[[stat]], r[[stat]], tolerance = 1e-12)
  # The adjusted slope from its closed form.
  w <- 1 / sy^2
  num <- sum(w) * sum(w * by * bx * (bx^2 - 3 * sx^2)) - sum(w * by * bx) * sum(w * (bx^2 - sx^2))
  den <- sum(w) * sum(w * (bx^4 - 6 * bx^2 * sx^2 + 3 * sx^4)) - sum(w * (bx^2 - sx^2))^2
  expect_equal(r$b.adj, num / den, tolerance = 1e-12)
})

test_that("MR-GRIP edge cases", {
  expect_match(mr_grip(c(0.1, 0.2), c(0.1, 0.2), c(0.01, 0.01), c(0.02, 0.02))$note, "at least 3")
  # Three variants, one residual degree of freedom: the GRIP regression by hand with lm().
  bx3 <- c(0.1, 0.2, 0.3)
  by3 <- c(0.05, 0.11, 0.14)
  r3 <- mr_grip(bx3, by3, rep(0.01, 3), rep(0.02, 3))
  ref <- summary(stats::lm(I(by3 * bx3) ~ I(bx3^2), weights = 1 / (bx3^2 * 0.02^2)))$coefficients
  expect_equal(c(r3$b, r3$se, r3$pval), unname(ref[2, c(1, 2, 4)]), tolerance = 1e-10)
  expect_match(mr_grip(c(0.1, -0.1, 0.1), c(0.05, 0.04, 0.06), rep(0.01, 3), rep(0.02, 3))$note,
               "collinear")
  expect_match(mr_grip(c(0, 0.1, 0.2), c(0.05, 0.04, 0.06), rep(0.01, 3), rep(0.02, 3))$note,
               "non-zero")
  # Identical ratios and no intercept: perfect fit, slope equals the common ratio.
  bx <- c(0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
  rp <- mr_grip(bx, 0.5 * bx, rep(0.01, 6), rep(0.02, 6))
  expect_equal(rp$b, 0.5)
  expect_lt(rp$se, 1e-10)
})

test_that("mr() gives TwoSampleMR's mr_grip row on BMI -> CHD", {
  skip_if_no_shared()
  ref <- read_shared("reference", "bmi_chd", "mr_all_methods.csv")
  ref <- ref[ref$method_obj == "mr_grip", ]
  r <- mr(bmi_chd(), method_list = "mr_grip")
  expect_equal(r$method, ref$method)
  expect_equal(r$nsnp, ref$nsnp)
  expect_lt(rel_diff(r$b, ref$estimate), 1e-10)
  expect_lt(rel_diff(r$pval, ref$pval), 1e-10)
  if (is.na(ref$se)) expect_true(is.na(r$se)) else expect_lt(rel_diff(r$se, ref$se), 1e-10)
})
