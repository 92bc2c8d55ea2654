# cML-MA: parity with MendelianRandomization 0.10.0 mr_cML() (without data perturbation to
# 1e-6; with data perturbation within Monte Carlo error, since the random numbers differ),
# thread invariance, bias and coverage, edge cases.

mr_pkg_cml <- function(d, ...) {
  MendelianRandomization::mr_cML(
    MendelianRandomization::mr_input(d$beta.exposure, d$se.exposure, d$beta.outcome, d$se.outcome), ...)
}
cml <- function(d, ...) mr_cml(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, ...)

test_that("cML-MA-BIC and cML-BIC equal MendelianRandomization on BMI -> CHD to 1e-6", {
  skip_if_no_shared()
  skip_if_not_installed("MendelianRandomization")
  d <- bmi_chd()
  d <- d[d$mr_keep, ]
  a <- mr_pkg_cml(d, n = 17723, DP = FALSE)
  m <- cml(d, n = 17723, DP = FALSE)
  expect_lt(rel_diff(m$b, a@Estimate), 1e-6)
  expect_lt(rel_diff(m$se, a@StdError), 1e-6)
  expect_lt(rel_diff(m$up_ci, a@CIUpper), 1e-6)
  a <- mr_pkg_cml(d, n = 17723, DP = FALSE, MA = FALSE)
  m <- cml(d, n = 17723, DP = FALSE, MA = FALSE)
  expect_lt(rel_diff(m$b, a@Estimate), 1e-6)
  expect_lt(rel_diff(m$se, a@StdError), 1e-6)
  expect_identical(m$BIC_invalid, as.integer(a@BIC_invalid))
})

test_that("cML-MA-BIC-DP agrees with MendelianRandomization within Monte Carlo error", {
  skip_if_no_shared()
  d <- bmi_chd()
  d <- d[d$mr_keep, ]
  # MendelianRandomization 0.10.0, mr_cML(mr_input(...), n = 17723) (DP, 200 perturbations,
  # random_seed = 314) on these 79 variants; it takes about 100 s, so the values are recorded:
  mr_b <- 0.465843635
  mr_se <- 0.056156838
  set.seed(1)
  m <- cml(d, n = 17723)
  # The DP estimate is a mean over 200 perturbations: its Monte Carlo SD is about
  # se / sqrt(200) = 0.004 for each package; allow 4 SDs of the difference.
  expect_lt(abs(m$b - mr_b), 4 * sqrt(2) * mr_se / sqrt(200))
  # The SE is an SD over 200 perturbations (relative Monte Carlo SD about 5%).
  expect_lt(abs(m$se / mr_se - 1), 0.25)
  # The goodness-of-fit p-values are not compared: they move by orders of magnitude with the
  # perturbation draws in both packages (MendelianRandomization: GOF1_p 0.107, 0.0038 and
  # 0.0012 with random_seed 314, 1 and 2 on these data).
})

test_that("cML DP matches MendelianRandomization on simulated data (run live)", {
  skip_if_not_installed("MendelianRandomization")
  d <- sim(nsnp = 12, b = 0.3, pleiotropy = "outliers", prop_invalid = 0.25, outlier_size = 12,
           fstat = 80, seed = 7)
  for (MA in c(TRUE, FALSE)) {
    a <- mr_pkg_cml(d, n = 1e5, MA = MA)
    set.seed(2)
    m <- cml(d, n = 1e5, MA = MA)
    expect_lt(abs(m$b - a@Estimate), 4 * sqrt(2) * a@StdError / sqrt(200))
    expect_lt(abs(m$se / a@StdError - 1), 0.3)
  }
  a <- mr_pkg_cml(d, n = 1e5, DP = FALSE, K_vec = 0:5)
  m <- cml(d, n = 1e5, DP = FALSE, K_vec = 0:5)
  expect_lt(rel_diff(m$b, a@Estimate), 1e-6)
  expect_lt(rel_diff(m$se, a@StdError), 1e-6)
})

test_that("data perturbation is identical for any thread count and reproducible", {
  d <- sim(nsnp = 20, pleiotropy = "outliers", seed = 3)
  set.seed(9); r1 <- cml(d, n = 5e4, num_pert = 50, threads = 1)
  set.seed(9); r2 <- cml(d, n = 5e4, num_pert = 50, threads = 2)
  expect_identical(r1, r2)
  r3 <- cml(d, n = 5e4, num_pert = 50, parameters = default_parameters(seed = r1$seed))
  expect_identical(r3$b, r1$b)
  # Random starts never increase the negative log-likelihood of the best start.
  r0 <- cml(d, n = 5e4, DP = FALSE)
  # One of these random starts has a non-positive information but is not kept: no warning.
  expect_warning(rs <- cml(d, n = 5e4, DP = FALSE, random_start = 3), NA)
  expect_true(all(rs$fits$neg_loglik <= r0$fits$neg_loglik + 1e-9))
})

test_that("cML-MA removes planted outliers: bias and coverage over 100 replicates", {
  set.seed(12)
  res <- t(vapply(1:100, function(i) {
    d <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", prop_invalid = 0.2,
                          outlier_size = 15, fstat = 100, seed = 2000 + i)
    m <- cml(d, n = 1e5, DP = FALSE)
    c(m$b, m$se, m$lo_ci, m$up_ci)
  }, numeric(4)))
  expect_lt(abs(mean(res[, 1]) - 0.3), 0.01)
  # The reported interval covers at the nominal rate: at least qbinom(0.001, 100, 0.95) = 87
  # of 100 (a 1-SE interval covers 69).
  covered <- res[, 3] <= 0.3 & res[, 4] >= 0.3
  expect_equal(sum(covered), 93)   # seeded exact count: any change to the interval or estimate shows
  expect_gte(sum(covered), stats::qbinom(0.001, 100, 0.95))
  # A few DP replicates, for the DP code path.
  dp <- vapply(1:10, function(i) {
    d <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", prop_invalid = 0.2,
                          outlier_size = 15, fstat = 100, seed = 3000 + i)
    cml(d, n = 1e5, num_pert = 50)$b
  }, numeric(1))
  expect_lt(abs(mean(dp) - 0.3), 0.03)
})

test_that("cML edge cases: classed errors and NA results", {
  d <- sim(nsnp = 10, seed = 1)
  expect_error(cml(d), class = "mrkit_error_missing_argument")
  expect_snapshot(cml(d), error = TRUE)
  expect_error(cml(d, n = 1e4, K_vec = 0:9), class = "mrkit_error_parameter")
  expect_error(cml(d, n = -1), class = "mrkit_error_parameter")
  for (J in 0:2) {
    r <- mr_cml(rep(0.1, J), rep(0.05, J), rep(0.01, J), rep(0.02, J), n = 1e4)
    expect_true(is.na(r$b))
    expect_match(r$note, "at least 3")
  }
  # Three variants: MendelianRandomization 0.10.0 mr_cML(mr_input(c(.1, .2, .3), rep(.01, 3),
  # c(.05, .09, .16), rep(.02, 3)), n = 1e4, DP = FALSE) gives 0.506735139137 (SE 0.0557354931977).
  r3 <- mr_cml(c(0.1, 0.2, 0.3), c(0.05, 0.09, 0.16), rep(0.01, 3), rep(0.02, 3), n = 1e4, DP = FALSE)
  expect_equal(r3$b, 0.506735139137, tolerance = 1e-10)
  expect_equal(r3$se, 0.0557354931977, tolerance = 1e-10)
  expect_error(mr_cml(c(0, 0.2, 0.3), c(0.05, 0.09, 0.16), rep(0.01, 3), rep(0.02, 3), n = 1e4),
               class = "mrkit_error_input_value")
  bx <- c(0.1, 0.2, 0.3, 0.4, 0.5)
  ri <- mr_cml(bx, 0.5 * bx, rep(0.01, 5), rep(0.02, 5), n = 1e4, DP = FALSE)
  expect_equal(ri$b, 0.5, tolerance = 1e-6)
  sy <- d$se.outcome
  sy[1] <- 1e-12
  re <- suppressWarnings(mr_cml(d$beta.exposure, d$beta.outcome, d$se.exposure, sy, n = 1e4, DP = FALSE))
  # MendelianRandomization 0.10.0 on the same data (n = 1e4, DP = FALSE): estimate
  # -0.0244577988282. Some K have a non-positive Fisher information there; mrkit says so in
  # `note` (its model-averaged SE, 0.0359, then differs from MendelianRandomization's 0.0508).
  expect_equal(re$b, -0.0244577988282, tolerance = 1e-9)
  expect_match(re$note, "non-positive Fisher information")
})
