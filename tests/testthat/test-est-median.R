# Median estimators (methods.md 4.6). Point estimates are deterministic and must equal
# TwoSampleMR to 1e-10; bootstrap SEs are Monte Carlo quantities.

median_funs <- c("mr_simple_median", "mr_weighted_median", "mr_penalised_weighted_median")

# Plain-R weighted median, written from the definition (methods.md 4.6).
wm_r <- function(r, w) {
  o <- order(r)
  r <- r[o]; w <- w[o]
  s <- (cumsum(w) - w / 2) / sum(w)
  k <- max(which(s < 0.5))
  r[k] + (r[k + 1] - r[k]) * (0.5 - s[k]) / (s[k + 1] - s[k])
}

test_that("median point estimates equal TwoSampleMR on BMI -> CHD to 1e-10", {
  skip_if_no_shared()
  d <- bmi_chd()
  all <- read_shared("reference", "bmi_chd", "mr_all_methods.csv")
  p <- default_parameters(nboot = 10, seed = 1)
  for (fun in median_funs) {
    r <- get(fun)(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p)
    expect_lt(rel_diff(r$b, tsmr_detail(fun, "b")), 1e-10)
    expect_lt(rel_diff(r$b, all$estimate[all$method_obj == fun]), 1e-10)
    expect_equal(r$nsnp, 79L)
  }
})

test_that("median bootstrap SEs agree with TwoSampleMR within Monte Carlo error", {
  skip_if_no_shared()
  d <- bmi_chd()
  # 10,000 replicates give our SE a relative MC error of about 1/sqrt(2 * 10000) = 0.7%;
  # the reference SE came from 1,000 replicates (about 2.2%), and across seeds 1-3 it moved
  # by up to 8% (reference README). A 15% tolerance is about 6 combined MC SDs, so it fails
  # only for a wrong SE definition (e.g. MAD instead of SD, or re-estimated weights).
  p <- default_parameters(nboot = 10000, seed = 11)
  for (fun in median_funs) {
    r <- get(fun)(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p)
    expect_lt(abs(r$se / tsmr_detail(fun, "se") - 1), 0.15)
    expect_equal(r$pval, 2 * pnorm(-abs(r$b / r$se)), tolerance = 1e-12)
    expect_equal(r$nboot, 10000L)
  }
})

test_that("the median bootstrap is a parametric bootstrap with fixed weights", {
  # With exposure effects measured almost without error, the ratio's SD is sy/|bx|; for
  # one dominant variant the weighted median's SE approaches that variant's ratio SE.
  bx <- c(1, 1, 1, 1, 1); by <- c(0.1, 0.2, 0.3, 0.4, 0.5)
  sx <- rep(1e-8, 5); sy <- c(10, 10, 0.001, 10, 10)
  r <- mr_weighted_median(bx, by, sx, sy, default_parameters(nboot = 4000, seed = 3))
  expect_equal(r$b, wm_r(by / bx, 1 / (sy^2 / bx^2)), tolerance = 1e-12)
  expect_lt(r$se, 0.02)
  expect_gt(r$se, 1e-4)
})

test_that("weighted_median() follows the definition, keeps ties in input order", {
  r <- c(0.3, 0.1, 0.2, 0.2, 0.5, 0.4)
  w <- c(1, 2, 0.5, 3, 1, 1)
  expect_equal(weighted_median(r, w), wm_r(r, w), tolerance = 1e-15)
  set.seed(5)
  for (i in 1:20) {
    x <- round(rnorm(15), 1)  # many ties
    v <- runif(15)
    expect_equal(weighted_median(x, v), wm_r(x, v), tolerance = 1e-14)
  }
  expect_equal(weighted_median(c(1, 2, 3), c(1, 1, 1)), 2)
  expect_true(is.na(weighted_median(1, 1)))
  expect_error(weighted_median(c(1, NA), c(1, 1)), class = "mrkit_error_input_value")
  expect_error(weighted_median(c(1, 2), c(1, -1)), class = "mrkit_error_input_value")
  expect_snapshot(weighted_median(1:3, 1:2), error = TRUE)
})

test_that("weights follow median_weights and the penalty follows the definition", {
  d <- sim(nsnp = 40, b = 0.3, pleiotropy = "outliers", prop_invalid = 0.2, seed = 8)
  bx <- d$beta.exposure; by <- d$beta.outcome; sx <- d$se.exposure; sy <- d$se.outcome
  ratio <- by / bx
  w2 <- 1 / (sy^2 / bx^2 + by^2 * sx^2 / bx^4)
  w1 <- bx^2 / sy^2
  p <- default_parameters(nboot = 5, seed = 1)
  p1 <- default_parameters(nboot = 5, seed = 1, median_weights = "first_order")
  expect_equal(mr_weighted_median(bx, by, sx, sy, p)$b, wm_r(ratio, w2), tolerance = 1e-12)
  expect_equal(mr_weighted_median(bx, by, sx, sy, p1)$b, wm_r(ratio, w1), tolerance = 1e-12)
  expect_equal(mr_simple_median(bx, by, sx, sy, p)$b, wm_r(ratio, rep(1, 40)), tolerance = 1e-12)
  pen <- w2 * pmin(1, 20 * pchisq(w2 * (ratio - wm_r(ratio, w2))^2, 1, lower.tail = FALSE))
  expect_equal(mr_penalised_weighted_median(bx, by, sx, sy, p)$b, wm_r(ratio, pen), tolerance = 1e-12)
  # Cov enters the second-order weights.
  pc <- default_parameters(nboot = 5, seed = 1, Cov = 1e-6)
  w2c <- 1 / (sy^2 / bx^2 + by^2 * sx^2 / bx^4 - 2 * by * 1e-6 / bx^3)
  expect_equal(mr_weighted_median(bx, by, sx, sy, pc)$b, wm_r(ratio, w2c), tolerance = 1e-12)
  # t p-values on J - 1 df on request.
  rt <- mr_weighted_median(bx, by, sx, sy, default_parameters(nboot = 50, seed = 1, distribution = "t"))
  expect_equal(rt$pval, 2 * pt(-abs(rt$b / rt$se), 39), tolerance = 1e-12)
})

test_that("median point estimates equal MendelianRandomization with first-order weights", {
  skip_if_not_installed("MendelianRandomization")
  skip_if_no_shared()
  d <- bmi_chd()
  inp <- MendelianRandomization::mr_input(bx = d$beta.exposure, bxse = d$se.exposure,
                                          by = d$beta.outcome, byse = d$se.outcome)
  p <- default_parameters(nboot = 10, seed = 1, convention = "MendelianRandomization")
  expect_equal(p$median_weights, "first_order")
  map <- c(simple = "mr_simple_median", weighted = "mr_weighted_median",
           penalized = "mr_penalised_weighted_median")
  for (wt in names(map)) {
    ref <- MendelianRandomization::mr_median(inp, weighting = wt, iterations = 20)
    r <- get(map[[wt]])(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p)
    expect_lt(rel_diff(r$b, ref@Estimate), 1e-10)
  }
})

test_that("median bootstraps are reproducible and independent of the thread count", {
  d <- sim(nsnp = 30, b = 0.2, seed = 2)
  f <- function(fun, ...) get(fun)(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, ...)
  for (fun in median_funs) {
    set.seed(10); a <- f(fun)
    set.seed(10); b <- f(fun)
    expect_identical(a, b)
    set.seed(11); c <- f(fun)
    expect_false(identical(a$se, c$se))
    p7 <- default_parameters(seed = 7)
    one <- withr::with_options(list(mrkit.threads = 1L), f(fun, p7))
    two <- withr::with_options(list(mrkit.threads = 2L), f(fun, p7))
    expect_identical(one, two)
    expect_equal(one$seed, 7)
    expect_identical(f(fun, p7), one)
  }
})

test_that("weighted median is robust to 20% outliers and its CI covers the truth", {
  # 200 simulated data sets (directional outliers in 20% of variants, true effect 0.3);
  # 200 bootstrap replicates each. The weighted median's bias must be far below IVW's
  # (about 0.29 here), and its reported 95% CI (lo_ci, up_ci) must cover the truth at the
  # nominal rate: at least qbinom(0.001, 200, 0.95) = 179 of 200 (a 1-SE interval covers 146).
  est <- matrix(NA, 200, 5)
  p <- default_parameters(nboot = 200)
  withr::local_seed(99)
  for (i in 1:200) {
    d <- sim_directional_outliers()
    wm <- withr::with_options(list(mrkit.threads = 2L),
                              mr_weighted_median(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p))
    ivw <- mr_ivw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
    est[i, ] <- c(wm$b, wm$se, ivw$b, wm$lo_ci, wm$up_ci)
  }
  bias_wm <- abs(mean(est[, 1]) - 0.3)
  bias_ivw <- abs(mean(est[, 3]) - 0.3)
  expect_gt(bias_ivw, 0.1)
  expect_lt(bias_wm, 0.1 * bias_ivw)
  covered <- est[, 4] <= 0.3 & est[, 5] >= 0.3
  expect_equal(sum(covered), 192)   # seeded exact count: any change to the interval or estimate shows
  expect_gte(sum(covered), stats::qbinom(0.001, 200, 0.95))
})

test_that("median edge cases: 0, 1, 2, 3 variants and zero exposure effects", {
  for (J in 0:2) {
    for (fun in median_funs) {
      r <- get(fun)(rep(0.1, J), rep(0.05, J), rep(0.01, J), rep(0.02, J))
      expect_true(is.na(r$b))
      expect_match(r$note, "at least 3")
    }
  }
  r3 <- mr_weighted_median(c(0.1, 0.2, 0.3), c(0.05, 0.11, 0.14), rep(0.01, 3), rep(0.02, 3),
                           default_parameters(nboot = 100, seed = 1))
  expect_equal(r3$nsnp, 3L)
  expect_true(is.finite(r3$b) && is.finite(r3$se))
  r0 <- mr_weighted_median(c(0.1, 0, 0.3), c(0.05, 0.11, 0.14), rep(0.01, 3), rep(0.02, 3))
  expect_true(is.na(r0$b))
  expect_match(r0$note, "zero")
  # Incomplete rows are dropped before counting.
  r <- mr_simple_median(c(0.1, 0.2, NA, 0.3), c(0.05, 0.1, 0.2, 0.16), rep(0.01, 4), rep(0.02, 4),
                        default_parameters(nboot = 20, seed = 1))
  expect_equal(r$nsnp, 3L)
  expect_error(mr_weighted_median(c(0.1, 0.2, 0.3), c(1, 2), rep(0.01, 3), rep(0.02, 3)),
               class = "mrkit_error_input_length")
})

test_that("mr_median() returns TwoSampleMR's table", {
  d <- sim(nsnp = 30, b = 0.2, seed = 4)
  res <- mr_median(d, default_parameters(nboot = 100, seed = 3))
  expect_named(res, c("id.exposure", "id.outcome", "method", "nsnp", "b", "se", "ci_low", "ci_upp", "pval"))
  expect_equal(res$method, c("Simple median", "Weighted median", "Penalised median"))
  expect_equal(res$id.exposure, rep("exp1", 3))
  p <- default_parameters(nboot = 100, seed = 3)
  expect_equal(res$b[2], mr_weighted_median(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p)$b)
  expect_equal(res$se[3], mr_penalised_weighted_median(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p)$se)
  expect_equal(res$ci_low, res$b - qnorm(0.975) * res$se)
  d$mr_keep[-(1:2)] <- FALSE
  expect_warning(small <- mr_median(d), class = "mrkit_warning_too_few_snps")
  expect_true(all(is.na(small$b)))
  expect_error(mr_median(d[, "SNP", drop = FALSE]), class = "mrkit_error_missing_column")
})

test_that("mr() runs the median kernels with the same streams as the wrappers", {
  d <- sim(nsnp = 30, b = 0.2, seed = 4)
  p <- default_parameters(nboot = 200, seed = 7)
  res <- mr(d, p, method_list = c(median_funs, "mr_egger_regression_bootstrap"))
  expect_equal(res$method, c("Simple median", "Weighted median", "Penalised weighted median",
                             "MR Egger (bootstrap)"))
  for (i in seq_along(median_funs)) {
    r <- get(median_funs[i])(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p)
    expect_equal(c(res$b[i], res$se[i], res$pval[i]), c(r$b, r$se, r$pval))
  }
  eb <- mr_egger_regression_bootstrap(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p)
  expect_equal(res$b[4], eb$b)
  expect_equal(res$nboot, rep(200L, 4))
})
