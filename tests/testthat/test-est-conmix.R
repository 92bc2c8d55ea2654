# Contamination mixture against MendelianRandomization 0.10.x mr_conmix: the estimate is a
# grid point, so it must agree exactly (checked to 1e-8); p-value, CI bounds, psi and the
# valid set agree to 1e-8.

conmix_vs_mr <- function(bx, by, sx, sy, ...) {
  a <- MendelianRandomization::mr_conmix(MendelianRandomization::mr_input(bx, sx, by, sy), ...)
  b <- mr_conmix(bx, by, sx, sy, ...)
  expect_equal(b$b, a@Estimate, tolerance = 1e-8)
  expect_equal(b$pval, a@Pvalue, tolerance = 1e-8)
  expect_equal(b$ci_lower, a@CILower, tolerance = 1e-8)
  expect_equal(b$ci_upper, a@CIUpper, tolerance = 1e-8)
  expect_equal(b$psi, a@Psi, tolerance = 1e-10)
  expect_equal(b$valid, as.integer(a@Valid))
  expect_equal(c(b$CIMin, b$CIMax), c(a@CIMin, a@CIMax), tolerance = 1e-12)
  invisible(b)
}

test_that("mr_conmix equals MendelianRandomization on BMI -> CHD and simulated data", {
  skip_if_not_installed("MendelianRandomization")
  skip_if_no_shared()
  d <- bmi_chd()
  conmix_vs_mr(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  conmix_vs_mr(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, psi = 0.5, CIStep = 0.005)
  for (s in 1:4) {
    x <- sim(nsnp = 40, b = 0.3, pleiotropy = "outliers", seed = s)
    conmix_vs_mr(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome)
  }
  x <- sim(nsnp = 25, b = 0.2, pleiotropy = "directional", seed = 9)
  conmix_vs_mr(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome,
               CIMin = -1, CIMax = 1, CIStep = 0.001, alpha = 0.1)
})

test_that("mr_conmix returns a union of intervals when the likelihood is multimodal", {
  skip_if_not_installed("MendelianRandomization")
  # Two equal clusters of ratios (0.2 and 0.6) and a wide invalid component.
  bx <- rep(0.1, 10)
  by <- c(rep(0.02, 5), rep(0.06, 5)) + rep(c(-0.001, 0, 0.001, 0.0005, -0.0005), 2)
  sx <- rep(0.005, 10); sy <- rep(0.003, 10)
  r <- conmix_vs_mr(bx, by, sx, sy, psi = 1)
  expect_gt(length(r$ci_lower), 1)
  expect_true(all(r$ci_upper >= r$ci_lower))
})

test_that("mr_conmix finds the valid cluster with planted outliers (bias and coverage)", {
  res <- vapply(1:50, function(s) {
    x <- sim(nsnp = 50, b = 0.3, pleiotropy = "outliers", seed = 200 + s)
    f <- mr_conmix(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome)
    c(f$b, any(f$ci_lower <= 0.3 & f$ci_upper >= 0.3))
  }, numeric(2))
  expect_lt(abs(mean(res[1, ]) - 0.3), 0.03)
  # The reported interval (its pieces) covers at the nominal rate: at least
  # qbinom(0.001, 50, 0.95) = 42 of 50.
  expect_equal(sum(res[2, ]), 45)   # seeded exact count: any change to the interval or estimate shows
  expect_gte(sum(res[2, ]), stats::qbinom(0.001, 50, 0.95))
  # Directional pleiotropy in 20% of variants: conmix is closer to the truth than IVW.
  est <- vapply(1:40, function(s) {
    x <- sim(nsnp = 50, b = 0.3, pleiotropy = "directional", seed = 300 + s)
    c(mr_conmix(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome)$b,
      mr_ivw(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome)$b)
  }, numeric(2))
  expect_lt(abs(mean(est[1, ]) - 0.3), 0.03)
  expect_gt(abs(mean(est[2, ]) - 0.3), 2 * abs(mean(est[1, ]) - 0.3))
})

test_that("mr_conmix edge cases: few variants, zero effects, identical ratios, bad grid", {
  for (n in 0:1) {
    r <- mr_conmix(rep(0.1, n), rep(0.05, n), rep(0.01, n), rep(0.02, n))
    expect_true(is.na(r$b))
    expect_match(r$note, "at least 2")
  }
  r2 <- mr_conmix(c(0.1, 0.2), c(0.05, 0.09), c(0.01, 0.01), c(0.02, 0.02))
  expect_true(is.finite(r2$b))
  r3 <- mr_conmix(c(0.1, 0.2, 0.3), c(0.05, 0.1, 0.15), rep(0.01, 3), rep(0.02, 3))
  expect_equal(r3$b, 0.5, tolerance = 0.01 + 1e-12)  # identical ratios: psi = 0, grid point at 0.5
  expect_equal(r3$psi, 0)
  rz <- mr_conmix(c(0.1, 0, 0.3), c(0.05, 0.1, 0.15), rep(0.01, 3), rep(0.02, 3))
  expect_true(is.na(rz$b))
  expect_match(rz$note, "zero")
  rg <- mr_conmix(c(0.1, 0.2, 0.3), c(0.05, 0.1, 0.16), rep(0.01, 3), rep(0.02, 3), CIStep = 1e-9)
  expect_match(rg$note, "too many points")
  expect_error(mr_conmix(c(0.1, 0.2), c(0.05, 0.1), c(0.01, 0.01), c(0.02, 0.02), CIStep = 0),
               class = "mrkit_error_parameter")
  expect_error(mr_conmix(c(0.1, 0.2), c(0.05, 0.1), c(0.01, 0.01), c(0.02, 0.02), CIMin = 1, CIMax = 0),
               class = "mrkit_error_parameter")
  expect_snapshot(mr_conmix(1, 1, 1, 1, psi = "a"), error = TRUE)
})

test_that("mr() runs the contamination mixture through the registry", {
  d <- sim(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 4)
  res <- mr(d, method_list = "mr_conmix")
  direct <- mr_conmix(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  expect_equal(res$b, direct$b)
  expect_equal(res$pval, direct$pval)
  expect_true(is.na(res$se))
})
