test_that("sign concordance test equals TwoSampleMR on BMI -> CHD to 1e-10", {
  skip_if_no_shared()
  d <- bmi_chd()
  r <- mr_sign(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  for (stat in c("b", "pval")) expect_lt(rel_diff(r[[stat]], tsmr_detail("mr_sign", stat)), 1e-10)
  expect_true(is.na(r$se))
  expect_equal(r$nsnp, 79L)
})

test_that("sign concordance test equals binom.test() and drops zero effects", {
  bx <- c(0.1, -0.2, 0.3, 0.1, -0.5, 0.2, 0.3, -0.1, 0, 0.2)
  by <- c(0.2, -0.1, -0.1, 0.3, -0.2, 0.1, 0.05, 0.1, 0.3, 0)
  r <- mr_sign(bx, by)
  keep <- bx != 0 & by != 0
  x <- sum(sign(bx[keep]) == sign(by[keep]))
  expect_equal(r$nsnp, 8L)
  expect_equal(r$n_concordant, x)
  expect_equal(r$b, 2 * (x / 8 - 0.5))
  expect_equal(r$pval, stats::binom.test(x, 8, 0.5)$p.value, tolerance = 1e-12)
  for (x in 0:13) {
    expect_equal(mr_sign(rep(1, 13), c(rep(1, x), rep(-1, 13 - x)))$pval,
                 stats::binom.test(x, 13, 0.5)$p.value, tolerance = 1e-12)
  }
})

test_that("sign concordance test needs 6 non-zero pairs", {
  expect_match(mr_sign(rep(0.1, 5), rep(0.1, 5))$note, "at least 6")
  expect_true(is.na(mr_sign(c(rep(0.1, 5), 0), rep(0.1, 6))$b))
  r6 <- mr_sign(rep(0.1, 6), rep(0.1, 6))
  expect_equal(r6$b, 1)
  expect_equal(r6$pval, 2 / 64)
  expect_equal(mr_sign(rep(-0.1, 6), rep(0.1, 6))$b, -1)
  expect_true(is.na(mr_sign(numeric(), numeric())$b))
  expect_error(mr_sign(1:6 / 10, 1:5 / 10), class = "mrkit_error_input_length")
})

test_that("mr() gives TwoSampleMR's mr_sign row on BMI -> CHD", {
  skip_if_no_shared()
  ref <- read_shared("reference", "bmi_chd", "mr_all_methods.csv")
  ref <- ref[ref$method_obj == "mr_sign", ]
  r <- mr(bmi_chd(), method_list = "mr_sign")
  expect_equal(r$method, ref$method)
  expect_equal(r$nsnp, ref$nsnp)
  expect_lt(rel_diff(r$b, ref$estimate), 1e-10)
  expect_lt(rel_diff(r$pval, ref$pval), 1e-10)
  if (is.na(ref$se)) expect_true(is.na(r$se)) else expect_lt(rel_diff(r$se, ref$se), 1e-10)
})
