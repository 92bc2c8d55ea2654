# MR-RAPS. The CRAN package mr.raps needs a newer R than this machine's 4.2, so parity is
# against TwoSampleMR's recorded mr_raps row on BMI -> CHD (mr.raps 0.4.2 underneath; its
# random starts change the root by ~1e-10 between seeds) and the values documented in
# methods.md 4.9 / 10 at their printed precision.

raps <- function(d, ...) {
  mr_raps(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome,
          default_parameters(seed = 1, ...))
}

test_that("MR-RAPS equals TwoSampleMR's mr_raps on BMI -> CHD to 1e-6 (relative)", {
  skip_if_no_shared()
  d <- bmi_chd()
  r <- raps(d)
  expect_lt(rel_diff(r$b, tsmr_detail("mr_raps", "b")), 1e-6)
  expect_lt(rel_diff(r$se, tsmr_detail("mr_raps", "se")), 1e-6)
  expect_lt(rel_diff(r$pval, tsmr_detail("mr_raps", "pval")), 1e-4)
  expect_equal(r$nsnp, 79L)
  expect_gt(r$tau2, 0)
  ref <- read_shared("reference", "bmi_chd", "mr_all_methods.csv")
  row <- ref[ref$method_obj == "mr_raps", ]
  expect_lt(rel_diff(r$b, as.numeric(row$estimate)), 1e-6)
  expect_lt(rel_diff(r$se, as.numeric(row$se)), 1e-6)
})

test_that("MR-RAPS settings reproduce the documented BMI -> CHD values", {
  skip_if_no_shared()
  d <- bmi_chd()
  expect_equal(round(raps(d, over.dispersion = FALSE)$b, 4), 0.4682)
  expect_equal(round(raps(d, loss.function = "tukey")$b, 4), 0.4788)
  # l2 loss without over-dispersion is the profile-likelihood estimate: check it against
  # a direct optimisation of the profile likelihood.
  bx <- d$beta.exposure; by <- d$beta.outcome; sx <- d$se.exposure; sy <- d$se.outcome
  pl <- function(b) sum((by - b * bx)^2 / (sy^2 + b^2 * sx^2))
  b_pl <- stats::optimize(pl, c(-2, 2), tol = 1e-12)$minimum
  expect_equal(raps(d, over.dispersion = FALSE, loss.function = "l2")$b, b_pl, tolerance = 1e-7)
})

test_that("MR-RAPS sandwich SE without over-dispersion matches the closed form for l2", {
  d <- sim(nsnp = 40, b = 0.3, seed = 5)
  bx <- d$beta.exposure; by <- d$beta.outcome; sx <- d$se.exposure; sy <- d$se.outcome
  r <- mr_raps(bx, by, sx, sy, default_parameters(over.dispersion = FALSE, loss.function = "l2", seed = 1))
  b <- r$b
  v <- sy^2 + b^2 * sx^2
  g <- (bx / sx^2 + b * by / sy^2) / (1 / sx^2 + b^2 / sy^2)
  gb <- (by / sy^2) / (1 / sx^2 + b^2 / sy^2)
  expect_equal(sum(g * (by - b * bx) / v), 0, tolerance = 1e-8)
  V2 <- sum((gb * (by - b * bx) / sqrt(v) - g * bx / sqrt(v)) / sqrt(v))
  expect_equal(r$se, sqrt(sum(g^2 / v)) / abs(V2), tolerance = 1e-8)
  expect_equal(r$pval, 2 * stats::pnorm(-abs(r$b / r$se)), tolerance = 1e-10)
})

test_that("MR-RAPS is reproducible: fixed seed, set.seed, and shrinkage", {
  d <- sim(nsnp = 40, b = 0.3, pleiotropy = "balanced", seed = 3)
  args <- list(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  set.seed(10); a <- do.call(mr_raps, args)
  set.seed(10); b <- do.call(mr_raps, args)
  expect_identical(a, b)
  s1 <- do.call(mr_raps, c(args, list(default_parameters(shrinkage = TRUE, seed = 4))))
  s2 <- do.call(mr_raps, c(args, list(default_parameters(shrinkage = TRUE, seed = 4))))
  expect_identical(s1, s2)
  expect_true(is.finite(s1$b) && is.finite(s1$se))
  expect_lt(abs(s1$b - a$b), 3 * a$se)
  # Random starts only pick among roots: the estimate does not depend on the seed here.
  s3 <- do.call(mr_raps, c(args, list(default_parameters(seed = 99))))
  expect_equal(s3$b, a$b, tolerance = 1e-9)
})

test_that("MR-RAPS is unbiased and covers under balanced pleiotropy and robust to outliers", {
  fits <- vapply(1:60, function(r) {
    d <- sim(nsnp = 50, b = 0.3, pleiotropy = "balanced", seed = r)
    f <- mr_raps(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, default_parameters(seed = r))
    c(f$b, abs(f$b - 0.3) < 1.96 * f$se)
  }, numeric(2))
  expect_lt(abs(mean(fits[1, ]) - 0.3), 0.02)
  expect_gte(mean(fits[2, ]), 0.87)
  expect_lte(mean(fits[2, ]), 0.995)
  # Directional pleiotropy in a minority: Tukey's loss resists it better than IVW.
  est <- vapply(1:30, function(r) {
    d <- sim(nsnp = 60, b = 0.3, pleiotropy = "directional", prop_invalid = 0.15, seed = 100 + r)
    c(mr_raps(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome,
              default_parameters(seed = r, loss.function = "tukey"))$b,
      mr_ivw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)$b)
  }, numeric(2))
  expect_lt(abs(mean(est[1, ]) - 0.3), abs(mean(est[2, ]) - 0.3))
  expect_lt(abs(mean(est[1, ]) - 0.3), 0.05)
})

test_that("MR-RAPS edge cases give NA with a note, never a crash", {
  for (n in 0:2) {
    r <- mr_raps(rep(0.1, n), rep(0.05, n), rep(0.01, n), rep(0.02, n))
    expect_true(is.na(r$b))
    expect_match(r$note, "at least 3")
  }
  r3 <- mr_raps(c(0.1, 0.2, 0.3), c(0.05, 0.11, 0.14), rep(0.01, 3), rep(0.02, 3),
                default_parameters(seed = 1))
  expect_true(is.finite(r3$b))
  # Identical ratios: no over-dispersion, estimate is the common ratio.
  ri <- mr_raps(c(0.1, 0.2, 0.3, 0.4), c(0.05, 0.1, 0.15, 0.2), rep(0.01, 4), rep(0.02, 4),
                default_parameters(seed = 1))
  expect_equal(ri$b, 0.5, tolerance = 1e-6)
  expect_equal(ri$tau2, 0)
  rz <- suppressWarnings(mr_raps(rep(0, 4), c(0.05, 0.1, 0.15, 0.2), rep(0.01, 4), rep(0.02, 4)))
  expect_true(is.na(rz$b))
  expect_match(rz$note, "zero")
  # Extreme weights: one variant a million times more precise.
  d <- sim(nsnp = 20, b = 0.3, seed = 2)
  sy <- d$se.outcome; sy[1] <- sy[1] / 1e3
  re <- mr_raps(d$beta.exposure, d$beta.outcome, d$se.exposure, sy, default_parameters(seed = 1))
  expect_true(is.finite(re$b) || nzchar(re$note))
  expect_warning(mr_raps(c(0.01, 0.02, 0.01, 0.02), c(0.05, 0.1, 0.15, 0.2), rep(0.05, 4), rep(0.02, 4),
                         default_parameters(seed = 1)), class = "mrkit_warning_weak_instruments")
  expect_error(mr_raps(1:3, 1:3, c(1, 1, 0), c(1, 1, 1)), class = "mrkit_error_se_nonpositive")
})

test_that("mr() runs MR-RAPS with one seed per pair", {
  d <- sim(nsnp = 30, b = 0.3, seed = 4)
  set.seed(2)
  res <- mr(d, method_list = c("mr_ivw", "mr_raps"))
  expect_equal(res$method, c("Inverse variance weighted", "Robust adjusted profile score (RAPS)"))
  direct <- mr_raps(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome,
                    default_parameters(seed = res$seed[2]))
  expect_equal(res$b[2], direct$b, tolerance = 1e-12)
  expect_equal(res$se[2], direct$se, tolerance = 1e-12)
})
