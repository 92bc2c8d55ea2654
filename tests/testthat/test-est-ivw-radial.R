test_that("radial IVW equals TwoSampleMR (RadialMR weights = 3) on BMI -> CHD to 1e-10", {
  skip_if_no_shared()
  d <- bmi_chd()
  r <- mr_ivw_radial(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  for (stat in c("b", "se", "pval", "Q", "Q_df", "Q_pval")) {
    expect_lt(rel_diff(r[[stat]], tsmr_detail("mr_ivw_radial", stat)), 1e-10)
  }
  het <- read_shared("reference", "bmi_chd", "heterogeneity.csv")
  h <- het[het$method == "IVW radial", ]
  expect_lt(rel_diff(r$Q, h$Q), 1e-10)
  expect_lt(rel_diff(r$Q_pval, h$Q_pval), 1e-10)
})

test_that("radial IVW is the refitted radial regression with modified second-order weights", {
  d <- sim(nsnp = 25, b = 0.3, pleiotropy = "balanced", prop_invalid = 0.4, seed = 4)
  bx <- d$beta.exposure; by <- d$beta.outcome; sx <- d$se.exposure; sy <- d$se.outcome
  ratio <- by / bx
  w1 <- bx^2 / sy^2
  t1 <- stats::coef(stats::lm(I(ratio * sqrt(w1)) ~ 0 + sqrt(w1)))[[1]]
  W <- bx^2 / (sy^2 + t1^2 * sx^2)
  fit <- summary(stats::lm(I(ratio * sqrt(W)) ~ 0 + sqrt(W)))
  r <- mr_ivw_radial(bx, by, sx, sy)
  expect_equal(r$b, fit$coefficients[1, 1], tolerance = 1e-12)
  expect_equal(r$se, fit$coefficients[1, 2], tolerance = 1e-12)
  expect_equal(r$Q, sum(W * (ratio - r$b)^2), tolerance = 1e-12)
  # Invariant to allele coding.
  flip <- rep(c(1, -1), length.out = 25)
  expect_equal(mr_ivw_radial(bx * flip, by * flip, sx, sy)$b, r$b, tolerance = 1e-12)
})

test_that("radial IVW edge cases", {
  expect_match(mr_ivw_radial(0.1, 0.05, 0.01, 0.02)$note, "at least 2")
  r2 <- mr_ivw_radial(c(0.1, 0.2), c(0.05, 0.1), c(0.01, 0.01), c(0.02, 0.02))
  expect_equal(r2$b, 0.5)
  expect_equal(r2$Q, 0, tolerance = 1e-20)  # identical ratios: perfect fit
  expect_match(mr_ivw_radial(c(0, 0.2, 0.1), c(0.1, 0.2, 0.1), rep(0.01, 3), rep(0.02, 3))$note,
               "non-zero")
  neg <- mr_ivw_radial(-c(0.1, 0.2, 0.15), -c(0.05, 0.08, 0.09), rep(0.01, 3), rep(0.02, 3))
  pos <- mr_ivw_radial(c(0.1, 0.2, 0.15), c(0.05, 0.08, 0.09), rep(0.01, 3), rep(0.02, 3))
  expect_equal(neg$b, pos$b)
})

test_that("mr() gives TwoSampleMR's mr_ivw_radial row on BMI -> CHD", {
  skip_if_no_shared()
  ref <- read_shared("reference", "bmi_chd", "mr_all_methods.csv")
  ref <- ref[ref$method_obj == "mr_ivw_radial", ]
  r <- mr(bmi_chd(), method_list = "mr_ivw_radial")
  expect_equal(r$method, ref$method)
  expect_equal(r$nsnp, ref$nsnp)
  expect_lt(rel_diff(r$b, ref$estimate), 1e-10)
  expect_lt(rel_diff(r$pval, ref$pval), 1e-10)
  if (is.na(ref$se)) expect_true(is.na(r$se)) else expect_lt(rel_diff(r$se, ref$se), 1e-10)
})
