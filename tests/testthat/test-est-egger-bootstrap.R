# MR-Egger bootstrap (methods.md 4.5): every output is a Monte Carlo quantity. By default
# weighted MR-Egger on each replicate with two-sided p-values; TwoSampleMR's regression and
# one-sided p-values with tsmr_quirks = TRUE (mrkit_differences).

test_that("with tsmr_quirks, MR-Egger bootstrap agrees with TwoSampleMR on BMI -> CHD within Monte Carlo error", {
  skip_if_no_shared()
  d <- bmi_chd()
  # The reference came from 1,000 replicates: its b has an MC SE of se/sqrt(1000) = 0.03 se
  # and its SE a relative MC error of about 2.2% (8% across seeds 1-3, reference README).
  # Tolerances as the README suggests: b within 0.1 se, se within 20% (same for intercept).
  r <- mr_egger_regression_bootstrap(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome,
                                     default_parameters(nboot = 10000, seed = 5, tsmr_quirks = TRUE))
  f <- "mr_egger_regression_bootstrap"
  expect_lt(abs(r$b - tsmr_detail(f, "b")), 0.1 * tsmr_detail(f, "se"))
  expect_lt(abs(r$se / tsmr_detail(f, "se") - 1), 0.2)
  expect_lt(abs(r$b_i - tsmr_detail(f, "b_i")), 0.1 * tsmr_detail(f, "se_i"))
  expect_lt(abs(r$se_i / tsmr_detail(f, "se_i") - 1), 0.2)
  expect_equal(r$pval, tsmr_detail(f, "pval"))   # 0: no replicate has a negative slope
  expect_lt(abs(r$pval_i - tsmr_detail(f, "pval_i")), 0.05)
  expect_equal(r$nsnp, 79L)
  expect_equal(r$nboot, 10000L)
})

test_that("the bootstrap regression is weighted MR-Egger; TwoSampleMR's non-WLS formula with tsmr_quirks", {
  # With near-zero standard errors every replicate reproduces the data, so b and b_i equal
  # the formula on the oriented data: slope cov(w x, w y) / var(w x), w = 1/sy^2 (not its
  # square root), intercept mean(y) - mean(x) slope. This differs from the WLS slope.
  withr::local_seed(6)
  d <- sim(nsnp = 30, b = 0.3, pleiotropy = "directional", seed = 6)
  bx <- d$beta.exposure; by <- d$beta.outcome
  sy <- d$se.outcome * runif(30, 0.5, 2)
  tiny <- 1e-9
  r <- mr_egger_regression_bootstrap(bx, by, rep(tiny, 30), sy * tiny,
                                     default_parameters(nboot = 50, seed = 1))
  q <- mr_egger_regression_bootstrap(bx, by, rep(tiny, 30), sy * tiny,
                                     default_parameters(nboot = 50, seed = 1, tsmr_quirks = TRUE))
  x <- abs(bx); y <- by * sign(bx)
  wls <- coef(lm(y ~ x, weights = 1 / sy^2))
  expect_equal(r$b, wls[[2]], tolerance = 1e-6)
  expect_lt(abs(r$b_i - wls[[1]]), 1e-6 * mean(abs(y)))
  w <- 1 / (sy * tiny)^2
  slope <- cov(x * w, y * w) / var(x * w)
  expect_equal(q$b, slope, tolerance = 1e-6)
  # The intercept is near 0: compare on the scale of the outcome effects.
  expect_lt(abs(q$b_i - (mean(y) - mean(x) * slope)), 1e-6 * mean(abs(y)))
  expect_gt(abs(slope - wls[[2]]), 1e-3)
  # No replicate on the far side of zero: the smallest p-values 50 replicates can give.
  expect_equal(q$pval, 0)
  expect_equal(r$pval, 2 / 51)
})

test_that("p-values are two-sided bootstrap p-values; one-sided with tsmr_quirks", {
  # A null effect: the bootstrap slopes straddle zero.
  withr::local_seed(12)
  bx <- runif(20, 0.05, 0.15); by <- rnorm(20, 0, 0.02)
  r <- mr_egger_regression_bootstrap(bx, by, rep(0.02, 20), rep(0.02, 20),
                                     default_parameters(nboot = 2000, seed = 2))
  q <- mr_egger_regression_bootstrap(bx, by, rep(0.02, 20), rep(0.02, 20),
                                     default_parameters(nboot = 2000, seed = 2, tsmr_quirks = TRUE))
  expect_gt(r$pval, 0.05)
  expect_lte(r$pval, 1)
  # (k + 1) / (n + 1) doubled, k the replicates on the far side of zero.
  k <- (r$pval * 2001 / 2) - 1
  expect_equal(k, round(k), tolerance = 1e-9)
  expect_gt(q$pval, 0.05)
  expect_lte(q$pval, 0.5)
  expect_lte(q$pval_i, 0.5)
  expect_equal(q$pval * 2000, round(q$pval * 2000))
})

test_that("two-sided p-values hold the type-I error; TwoSampleMR's one-sided ones double it", {
  # Known truth b = 0, no pleiotropy, strong instruments (mean F = 300): 300 data sets of 20
  # variants, 200 replicates each. Monte Carlo SE of a 5% rejection rate: 0.013. (With weaker
  # instruments the redrawn exposure effects dilute the bootstrap slopes towards zero and
  # the two-sided test is conservative: about 2% at F = 50.)
  withr::local_seed(31)
  p <- default_parameters(nboot = 200)
  pq <- default_parameters(nboot = 200, tsmr_quirks = TRUE)
  rej <- vapply(seq_len(300), function(i) {
    d <- simulate_mr_data(nsnp = 20, b = 0, fstat = 300)
    f <- function(par) {
      mr_egger_regression_bootstrap(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome,
                                    par)$pval
    }
    c(f(p) < 0.05, f(pq) < 0.05)
  }, logical(2))
  se <- sqrt(0.05 * 0.95 / 300)
  expect_lt(abs(mean(rej[1, ]) - 0.05), 3 * se)
  # One-sided proportions compared with 0.05 reject about twice as often.
  expect_gt(mean(rej[2, ]), 1.5 * mean(rej[1, ]))
})

test_that("MR-Egger bootstrap is reproducible and independent of the thread count", {
  d <- sim(nsnp = 30, b = 0.2, seed = 2)
  f <- function(...) mr_egger_regression_bootstrap(d$beta.exposure, d$beta.outcome, d$se.exposure,
                                                   d$se.outcome, ...)
  set.seed(10); a <- f()
  set.seed(10); b <- f()
  set.seed(11); c <- f()
  expect_identical(a, b)
  expect_false(identical(a$b, c$b))
  p7 <- default_parameters(seed = 7)
  one <- withr::with_options(list(mrkit.threads = 1L), f(p7))
  two <- withr::with_options(list(mrkit.threads = 2L), f(p7))
  expect_identical(one, two)
  expect_equal(one$seed, 7)
})

test_that("MR-Egger bootstrap needs 3 variants", {
  for (J in 0:2) {
    r <- mr_egger_regression_bootstrap(rep(0.1, J), rep(0.05, J), rep(0.01, J), rep(0.02, J))
    expect_true(is.na(r$b))
    expect_match(r$note, "at least 3")
  }
  r3 <- mr_egger_regression_bootstrap(c(0.1, 0.2, 0.3), c(0.05, 0.11, 0.14), rep(0.01, 3),
                                      rep(0.02, 3), default_parameters(nboot = 200, seed = 1))
  expect_true(is.finite(r3$b) && is.finite(r3$se) && is.finite(r3$b_i))
  # A zero exposure effect is allowed: the draws are almost surely non-zero.
  rz <- mr_egger_regression_bootstrap(c(0.1, 0, 0.3, 0.2), c(0.05, 0.01, 0.14, 0.1), rep(0.01, 4),
                                      rep(0.02, 4), default_parameters(nboot = 200, seed = 1))
  expect_true(is.finite(rz$b))
})
