test_that("IVW variants equal TwoSampleMR on BMI -> CHD to 1e-10", {
  skip_if_no_shared()
  d <- bmi_chd()
  for (fun in c("mr_ivw", "mr_ivw_mre", "mr_ivw_fe")) {
    r <- get(fun)(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
    for (stat in c("b", "se", "pval", "Q", "Q_df", "Q_pval")) {
      expect_lt(rel_diff(r[[stat]], tsmr_detail(fun, stat)), 1e-10)
    }
    expect_equal(r$nsnp, 79L)
  }
})

test_that("IVW matches the closed form and its SE conventions on simulated data", {
  d <- sim(nsnp = 25, b = 0.3, pleiotropy = "balanced", prop_invalid = 0.5)
  bx <- d$beta.exposure; by <- d$beta.outcome; sy <- d$se.outcome
  w <- 1 / sy^2
  b <- sum(w * bx * by) / sum(w * bx^2)
  se_fe <- 1 / sqrt(sum(w * bx^2))
  Q <- sum(w * (by - b * bx)^2)
  sigma <- sqrt(Q / 24)
  r <- mr_ivw(bx, by, d$se.exposure, sy)
  expect_equal(r$b, b, tolerance = 1e-12)
  expect_equal(r$se, se_fe * max(1, sigma), tolerance = 1e-12)
  expect_equal(mr_ivw_fe(bx, by, d$se.exposure, sy)$se, se_fe, tolerance = 1e-12)
  expect_equal(mr_ivw_mre(bx, by, d$se.exposure, sy)$se, se_fe * sigma, tolerance = 1e-12)
  expect_equal(r$Q, Q, tolerance = 1e-12)
})

test_that("IVW SE is floored at the fixed-effect SE only in mr_ivw", {
  # Under-dispersed data: outcome effects exactly proportional (sigma < 1).
  bx <- c(0.1, 0.2, 0.15, 0.12); sy <- rep(0.02, 4)
  by <- 0.5 * bx + c(1e-4, -1e-4, 5e-5, -5e-5)
  r <- mr_ivw(bx, by, rep(0.01, 4), sy)
  fe <- mr_ivw_fe(bx, by, rep(0.01, 4), sy)
  mre <- mr_ivw_mre(bx, by, rep(0.01, 4), sy)
  expect_equal(r$se, fe$se)
  expect_lt(mre$se, fe$se)
})

test_that("MendelianRandomization's IVW model rule uses fixed effects for <= 3 variants", {
  bx <- c(0.1, 0.2, 0.15); by <- c(0.05, 0.02, 0.12); sx <- rep(0.01, 3); sy <- rep(0.02, 3)
  p <- default_parameters(convention = "MendelianRandomization")
  expect_equal(mr_ivw(bx, by, sx, sy, p)$se, mr_ivw_fe(bx, by, sx, sy)$se)
  expect_gt(mr_ivw(bx, by, sx, sy)$se, mr_ivw_fe(bx, by, sx, sy)$se)
  pt <- default_parameters(distribution = "t")
  r <- mr_ivw(bx, by, sx, sy, pt)
  expect_equal(r$pval, 2 * pt(-abs(r$b / r$se), df = 2))
})

test_that("IVW with 0 or 1 variants is NA with a note, with 2 it is estimated", {
  r1 <- mr_ivw(0.1, 0.05, 0.01, 0.02)
  expect_true(is.na(r1$b))
  expect_match(r1$note, "at least 2")
  r0 <- mr_ivw(numeric(), numeric(), numeric(), numeric())
  expect_true(is.na(r0$b))
  r2 <- mr_ivw(c(0.1, 0.2), c(0.05, 0.09), c(0.01, 0.01), c(0.02, 0.02))
  expect_equal(r2$nsnp, 2L)
  expect_false(is.na(r2$se))
})

test_that("incomplete variants are dropped, bad input gives classed errors", {
  r <- mr_ivw(c(0.1, 0.2, NA), c(0.05, 0.09, 0.1), c(0.01, 0.01, 0.01), c(0.02, 0.02, 0.02))
  expect_equal(r$nsnp, 2L)
  expect_snapshot(error = TRUE, mr_ivw(c(0.1, 0.2), c(0.05, 0.09), c(0.01, -0.01), c(0.02, 0.02)))
  expect_snapshot(error = TRUE, mr_ivw(c(0.1, 0.2), c(0.05, 0.09, 1), c(0.01, 0.01), c(0.02, 0.02)))
  expect_snapshot(error = TRUE, mr_ivw(c("a", "b"), c(0.05, 0.09), c(0.01, 0.01), c(0.02, 0.02)))
  expect_error(mr_ivw(c(0.1, Inf), c(0.05, 0.09), c(0.01, 0.01), c(0.02, 0.02)),
               class = "mrkit_error_input_value")
})
