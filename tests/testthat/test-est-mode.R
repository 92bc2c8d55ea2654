# Mode-based estimators (methods.md 4.7). Point estimates are grid points of R's
# density() and must equal TwoSampleMR to 1e-10; SEs are Monte Carlo quantities.

mode_funs <- c("mr_simple_mode", "mr_weighted_mode", "mr_weighted_mode_nome", "mr_simple_mode_nome")

# Plain-R mode estimate with stats::density(), written from the definition.
mode_r <- function(r, s, phi = 1, floor = TRUE) {
  h <- 0.9 * min(sd(r), mad(r)) / length(r)^(1 / 5) * phi
  if (floor) h <- max(1e-8, h)
  w <- s^-2 / sum(s^-2)
  dens <- stats::density(r, weights = w, bw = h)
  dens$x[which.max(dens$y)]
}

test_that("the mode density reproduces stats::density() (R < 4.4 grid)", {
  skip_if(getRversion() >= "4.4.0", "R >= 4.4 changed density()'s grid")
  withr::local_seed(3)
  for (J in c(3, 10, 79, 400)) {
    x <- c(rnorm(J - 1), 25)
    w <- runif(J); w <- w / sum(w)
    h <- 0.9 * min(sd(x), mad(x)) / J^0.2
    ref <- stats::density(x, weights = w, bw = h)
    got <- mrkit:::mode_density(x, w, h)
    expect_lt(max(abs(got$x - ref$x)) / diff(range(ref$x)), 1e-14)
    expect_lt(max(abs(got$y - ref$y)) / max(ref$y), 1e-13)
    expect_equal(got$mode, ref$x[which.max(ref$y)])
  }
  # A far outlier makes the bandwidth small against the grid spacing (kernel aliasing).
  x <- c(rnorm(20, 0, 0.01), 1000)
  h <- 0.9 * min(sd(x), mad(x)) / 21^0.2
  ref <- stats::density(x, weights = rep(1 / 21, 21), bw = h)
  got <- mrkit:::mode_density(x, rep(1 / 21, 21), h)
  expect_lt(max(abs(got$y - ref$y)) / max(ref$y), 1e-13)
  expect_equal(got$mode, ref$x[which.max(ref$y)])
  # Bandwidths from far below to about the grid step (h / step from 1e-7 to 0.5): the
  # kernel spectrum is summed over the kernel's few taps there (the Poisson sum would need
  # millions of terms per frequency; one variant with a near-zero exposure effect in a
  # bootstrap gives such ranges).
  for (far in c(1e5, 300, 40, 12)) {
    x <- c(rnorm(29, 0, 0.01), far)
    h <- 0.9 * min(sd(x), mad(x)) / 30^0.2
    ref <- stats::density(x, weights = rep(1 / 30, 30), bw = h)
    got <- mrkit:::mode_density(x, rep(1 / 30, 30), h)
    expect_lt(max(abs(got$y - ref$y)) / max(ref$y), 1e-13)
    expect_equal(got$mode, ref$x[which.max(ref$y)])
  }
  expect_error(mrkit:::mode_density(1:3, rep(1 / 3, 3), 0.5, grid = 2L), class = "mrkit_error_core")
})

test_that("the R >= 4.4 density grid removes the old grid's excess mass of 1/(2n - 2)", {
  # R's own example for density() (R >= 4.4): with x <- runif(2^12) after set.seed(7), the
  # old-coordinates density is the new one times about 1 + 1/(2n - 2), n = 512, with a mean
  # relative difference of about 1e-4 after that correction.
  withr::local_seed(7)
  x <- runif(2^12)
  w <- rep(1 / 2^12, 2^12)
  h <- stats::bw.nrd0(x)
  old <- mrkit:::mode_density(x, w, h, grid = 0L)
  new <- mrkit:::mode_density(x, w, h, grid = 1L)
  expect_equal(new$x, old$x)
  corr0 <- 1 - 1 / (2 * 512 - 2)
  rel <- mean(abs(new$y - old$y * corr0)) / mean(abs(new$y))
  expect_lt(rel, 5e-4)
  expect_gt(stats::median(old$y / new$y), 1 + 0.5 / 1022)
  if (getRversion() >= "4.4.0") {
    ref <- stats::density(x, weights = w, bw = h)
    expect_lt(max(abs(new$y - ref$y)) / max(ref$y), 1e-13)
  }
})

test_that("mode point estimates equal TwoSampleMR on BMI -> CHD to 1e-10", {
  skip_if_no_shared()
  d <- bmi_chd()
  all <- read_shared("reference", "bmi_chd", "mr_all_methods.csv")
  p <- default_parameters(nboot = 10, seed = 1)
  for (fun in mode_funs) {
    r <- get(fun)(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p)
    expect_lt(rel_diff(r$b, tsmr_detail(fun, "b")), 1e-10)
    expect_lt(rel_diff(r$b, all$estimate[all$method_obj == fun]), 1e-10)
  }
})

test_that("mode bootstrap SEs agree with TwoSampleMR within Monte Carlo error", {
  skip_if_no_shared()
  d <- bmi_chd()
  # 10,000 replicates; SE = MAD of the replicates, whose relative MC error is larger than
  # an SD's (about 1.2/sqrt(n): 1.2% here, about 4% for the 1,000-replicate reference),
  # and the replicates are grid points, which adds discreteness. The reference README
  # suggests 15-20%; 20% is about 4-5 combined MC SDs, while using se1 draws instead of se2
  # (or SD instead of MAD) changes these SEs by more.
  p <- default_parameters(nboot = 10000, seed = 21)
  for (fun in mode_funs) {
    r <- get(fun)(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p)
    expect_lt(abs(r$se / tsmr_detail(fun, "se") - 1), 0.2)
    expect_equal(r$pval, 2 * pt(-abs(r$b / r$se), 78), tolerance = 1e-12)
  }
})

test_that("mr_mode() gives all rows per phi; wrappers equal its rows for one seed", {
  d <- sim(nsnp = 40, b = 0.25, pleiotropy = "outliers", seed = 5)
  p <- default_parameters(nboot = 300, seed = 9)
  res <- mr_mode(d, p)
  expect_named(res, c("id.exposure", "id.outcome", "method", "nsnp", "b", "se", "ci_low", "ci_upp", "pval"))
  expect_equal(res$method, c("Simple mode", "Weighted mode", "Penalised mode", "Simple mode (NOME)",
                             "Weighted mode (NOME)"))
  f <- function(fun) get(fun)(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p)
  rows <- c(mr_simple_mode = 1, mr_weighted_mode = 2, mr_simple_mode_nome = 4, mr_weighted_mode_nome = 5)
  for (fun in names(rows)) {
    r <- f(fun)
    expect_equal(c(r$b, r$se, r$pval), unlist(res[rows[[fun]], c("b", "se", "pval")]), ignore_attr = TRUE)
  }
  # Intervals from the p-value's distribution, t(J - 1) (issue 14).
  expect_equal(res$ci_upp, res$b + qt(0.975, 39) * res$se)
  # Point estimates against a plain-R implementation with stats::density().
  bx <- d$beta.exposure; by <- d$beta.outcome; sx <- d$se.exposure; sy <- d$se.outcome
  r <- by / bx
  se2 <- sqrt(sy^2 / bx^2 + by^2 * sx^2 / bx^4)
  se1 <- sy / abs(bx)
  wmode <- mode_r(r, se2)
  w <- 1 / se2^2
  pen <- w * pmin(1, 20 * pchisq(w * (r - wmode)^2, 1, lower.tail = FALSE))
  expect_equal(res$b, c(mode_r(r, rep(1, 40)), wmode, mode_r(r, sqrt(1 / pen)),
                        mode_r(r, rep(1, 40)), mode_r(r, se1)), tolerance = 1e-12)
  # Several bandwidths: one row per method and phi, method-major.
  res2 <- mr_mode(d, default_parameters(nboot = 50, seed = 9, phi = c(0.5, 1, 2)))
  expect_equal(nrow(res2), 15L)
  expect_equal(res2$method[1:3], rep("Simple mode", 3))
  expect_equal(res2$b[4:6], c(mode_r(r, se2, 0.5), wmode, mode_r(r, se2, 2)), tolerance = 1e-12)
  one <- mr_mode(d, p, mode_method = "Penalised mode")
  expect_equal(one$b, res$b[3])
  expect_equal(one$nsnp, 40L)
  expect_error(mr_mode(d, p, mode_method = "Median"), class = "mrkit_error_parameter")
})

test_that("mode point estimates equal MendelianRandomization::mr_mbe without the floor", {
  skip_if_not_installed("MendelianRandomization")
  skip_if_no_shared()
  d <- bmi_chd()
  inp <- MendelianRandomization::mr_input(bx = d$beta.exposure, bxse = d$se.exposure,
                                          by = d$beta.outcome, byse = d$se.outcome)
  p <- default_parameters(nboot = 10, seed = 1, mode_bandwidth_floor = FALSE,
                          convention = "MendelianRandomization")
  map <- list(c("weighted", "delta", "mr_weighted_mode"), c("unweighted", "delta", "mr_simple_mode"),
              c("weighted", "simple", "mr_weighted_mode_nome"), c("unweighted", "simple", "mr_simple_mode_nome"))
  for (m in map) {
    ref <- MendelianRandomization::mr_mbe(inp, weighting = m[1], stderror = m[2], phi = 1, iterations = 5)
    r <- get(m[3])(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p)
    expect_lt(rel_diff(r$b, ref@Estimate[1]), 1e-10)
    expect_equal(r$pval, 2 * pnorm(-abs(r$b / r$se)), tolerance = 1e-12)
  }
})

test_that("mode bootstraps are reproducible and independent of the thread count", {
  d <- sim(nsnp = 30, b = 0.2, seed = 2)
  f <- function(fun, ...) get(fun)(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, ...)
  for (fun in mode_funs) {
    set.seed(10); a <- f(fun, default_parameters(nboot = 200))
    set.seed(10); b <- f(fun, default_parameters(nboot = 200))
    expect_identical(a, b)
    p7 <- default_parameters(nboot = 200, seed = 7)
    one <- withr::with_options(list(mrkit.threads = 1L), f(fun, p7))
    two <- withr::with_options(list(mrkit.threads = 2L), f(fun, p7))
    expect_identical(one, two)
    expect_equal(one$seed, 7)
  }
  p7 <- default_parameters(nboot = 200, seed = 7)
  expect_identical(mr_mode(d, p7, threads = 1), mr_mode(d, p7, threads = 2))
  set.seed(3); m1 <- mr_mode(d, default_parameters(nboot = 100))
  set.seed(3); m2 <- mr_mode(d, default_parameters(nboot = 100))
  set.seed(4); m3 <- mr_mode(d, default_parameters(nboot = 100))
  expect_identical(m1, m2)
  expect_false(identical(m1$se, m3$se))
})

test_that("the weighted mode is robust to 20% directional outliers", {
  # 100 simulated data sets with 200 bootstrap replicates each: the weighted mode's bias
  # must be far below IVW's (about 0.29 here) and its reported 95% CI (lo_ci, up_ci) must
  # cover the truth at least at the nominal rate: qbinom(0.001, 100, 0.95) = 87 of 100 (a
  # 1-SE interval covers 77). The bootstrap SE of the mode is conservative here (all 100
  # cover), as in Hartwig et al. (2017)'s simulations.
  withr::local_seed(42)
  p <- default_parameters(nboot = 200)
  est <- t(replicate(100, {
    d <- sim_directional_outliers()
    m <- withr::with_options(list(mrkit.threads = 2L),
                             mr_weighted_mode(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p))
    c(m$b, m$se, mr_ivw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)$b, m$lo_ci, m$up_ci)
  }))
  expect_gt(abs(mean(est[, 3]) - 0.3), 0.1)
  expect_lt(abs(mean(est[, 1]) - 0.3), 0.1 * abs(mean(est[, 3]) - 0.3))
  covered <- est[, 4] <= 0.3 & est[, 5] >= 0.3
  expect_equal(sum(covered), 100)   # seeded exact count: any change to the interval or estimate shows
  expect_gte(sum(covered), stats::qbinom(0.001, 100, 0.95))
})

test_that("mode edge cases: few variants, identical ratios, no floor, zero effects", {
  for (J in 0:2) {
    for (fun in mode_funs) {
      r <- get(fun)(rep(0.1, J), rep(0.05, J), rep(0.01, J), rep(0.02, J))
      expect_true(is.na(r$b))
      expect_match(r$note, "at least 3")
    }
  }
  r3 <- mr_weighted_mode(c(0.1, 0.2, 0.3), c(0.05, 0.11, 0.14), rep(0.01, 3), rep(0.02, 3),
                         default_parameters(nboot = 100, seed = 1))
  expect_true(is.finite(r3$b) && is.finite(r3$se))
  expect_equal(r3$b, mode_r(c(0.5, 0.55, 0.14 / 0.3), sqrt(0.02^2 / c(0.1, 0.2, 0.3)^2 +
    c(0.05, 0.11, 0.14)^2 * 0.01^2 / c(0.1, 0.2, 0.3)^4)), tolerance = 1e-12)
  # Identical ratios: SD = MAD = 0, the bandwidth is floored at 1e-8 and the mode sits on
  # the common ratio (to within the 512-point grid over +-3e-8).
  bx <- c(0.1, 0.2, 0.4, 0.3); by <- 0.5 * bx
  r <- mr_simple_mode(bx, by, rep(0.01, 4), rep(0.02, 4), default_parameters(nboot = 50, seed = 1))
  expect_lt(abs(r$b - 0.5), 1e-9)
  expect_equal(r$b, mode_r(by / bx, rep(1, 4)))
  # Without the floor (MendelianRandomization) the bandwidth is 0: NA with a note.
  r0 <- mr_simple_mode(bx, by, rep(0.01, 4), rep(0.02, 4),
                       default_parameters(nboot = 50, seed = 1, mode_bandwidth_floor = FALSE))
  expect_true(is.na(r0$b))
  expect_match(r0$note, "bandwidth")
  rz <- mr_weighted_mode(c(0.1, 0, 0.3), c(0.05, 0.11, 0.14), rep(0.01, 3), rep(0.02, 3))
  expect_true(is.na(rz$b))
  expect_match(rz$note, "zero")
  d <- sim(nsnp = 10, seed = 1)
  d$mr_keep[-(1:2)] <- FALSE
  expect_warning(small <- mr_mode(d, default_parameters(nboot = 10)), class = "mrkit_warning_too_few_snps")
  expect_true(all(is.na(small$b)))
})

test_that("mr() runs the mode kernels with the same streams as the wrappers", {
  d <- sim(nsnp = 30, b = 0.2, seed = 4)
  p <- default_parameters(nboot = 200, seed = 7)
  res <- mr(d, p, method_list = mode_funs)
  expect_equal(res$method, c("Simple mode", "Weighted mode", "Weighted mode (NOME)", "Simple mode (NOME)"))
  for (i in seq_along(mode_funs)) {
    r <- get(mode_funs[i])(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p)
    expect_equal(c(res$b[i], res$se[i], res$pval[i]), c(r$b, r$se, r$pval))
  }
})
