# Debiased IVW against MendelianRandomization 0.10.x mr_divw: closed form, so estimate, SE,
# p-value and condition agree to 1e-8 (relative).

divw_vs_mr <- function(bx, by, sx, sy, od = TRUE) {
  a <- MendelianRandomization::mr_divw(MendelianRandomization::mr_input(bx, sx, by, sy), over.dispersion = od)
  b <- mr_divw(bx, by, sx, sy, default_parameters(over.dispersion = od))
  expect_equal(b$b, a@Estimate, tolerance = 1e-8)
  expect_equal(b$se, a@StdError, tolerance = 1e-8)
  expect_equal(b$pval, a@Pvalue, tolerance = 1e-8)
  expect_equal(b$condition, a@Condition, tolerance = 1e-8)
  invisible(b)
}

test_that("mr_divw equals MendelianRandomization with and without over-dispersion", {
  skip_if_not_installed("MendelianRandomization")
  skip_if_no_shared()
  d <- bmi_chd()
  for (od in c(TRUE, FALSE)) divw_vs_mr(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, od)
  for (s in 1:3) {
    x <- sim(nsnp = 30, b = 0.2, pleiotropy = "balanced", fstat = 15, seed = s)
    for (od in c(TRUE, FALSE)) divw_vs_mr(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome, od)
  }
})

test_that("mr_divw matches its closed form and reduces to IVW's numerator", {
  x <- sim(nsnp = 30, b = 0.2, seed = 8)
  bx <- x$beta.exposure; by <- x$beta.outcome; sx <- x$se.exposure; sy <- x$se.outcome
  r <- mr_divw(bx, by, sx, sy, default_parameters(over.dispersion = FALSE))
  b <- sum(bx * by / sy^2) / sum((bx^2 - sx^2) / sy^2)
  expect_equal(r$b, b, tolerance = 1e-12)
  expect_equal(r$tau2, 0)
  expect_equal(r$pval, 2 * stats::pnorm(-abs(b / r$se)), tolerance = 1e-12)
})

test_that("mr_divw corrects weak-instrument bias (bias and coverage)", {
  res <- vapply(1:80, function(s) {
    x <- sim(nsnp = 50, b = 0.3, fstat = 8, seed = 400 + s)
    f <- mr_divw(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome)
    c(f$b, f$lo_ci <= 0.3 & f$up_ci >= 0.3,
      mr_ivw(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome)$b)
  }, numeric(3))
  expect_lt(abs(mean(res[1, ]) - 0.3), 0.015)
  expect_gt(abs(mean(res[3, ]) - 0.3), 0.02)
  # The reported interval covers at the nominal rate: at least qbinom(0.001, 80, 0.95) = 69
  # of 80 (a 1-SE interval covers 56).
  expect_equal(sum(res[2, ]), 79)   # seeded exact count: any change to the interval or estimate shows
  expect_gte(sum(res[2, ]), stats::qbinom(0.001, 80, 0.95))
})

test_that("mr_divw edge cases give NA with a note", {
  for (n in 0:1) {
    r <- mr_divw(rep(0.1, n), rep(0.05, n), rep(0.01, n), rep(0.02, n))
    expect_true(is.na(r$b))
    expect_match(r$note, "at least 2")
  }
  expect_true(is.finite(mr_divw(c(0.1, 0.2), c(0.05, 0.1), c(0.01, 0.01), c(0.02, 0.02))$b))
  ri <- mr_divw(c(0.1, 0.2, 0.3), c(0.05, 0.1, 0.15), rep(1e-6, 3), rep(0.02, 3))
  expect_equal(ri$b, 0.5, tolerance = 1e-8)
  rz <- mr_divw(rep(0, 3), c(0.05, 0.1, 0.15), rep(0.01, 3), rep(0.02, 3))
  expect_true(is.na(rz$b))
  expect_match(rz$note, "not positive")
  # Extreme weights: one variant dominates; estimate is its ratio up to the correction.
  re <- mr_divw(c(0.1, 0.2, 0.3), c(0.05, 0.1, 0.2), rep(1e-4, 3), c(1e-8, 0.02, 0.02))
  expect_equal(re$b, 0.5, tolerance = 1e-4)
})
