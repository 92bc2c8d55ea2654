test_that("simulate_mr_data() returns harmonised data with its truth and is reproducible", {
  a <- simulate_mr_data(nsnp = 30, b = 0.4, seed = 11)
  b <- simulate_mr_data(nsnp = 30, b = 0.4, seed = 11)
  expect_identical(a, b)
  expect_equal(nrow(a), 30)
  expect_true(all(a$mr_keep))
  expect_equal(attr(a, "truth")$b, 0.4)
  expect_true(all(c("SNP", "beta.exposure", "se.exposure", "beta.outcome", "se.outcome",
                    "effect_allele.exposure", "id.exposure", "id.outcome", "mr_keep") %in% names(a)))
})

test_that("the seed argument leaves the global RNG stream untouched", {
  set.seed(5); x1 <- stats::runif(1)
  set.seed(5); simulate_mr_data(nsnp = 10, seed = 99); x2 <- stats::runif(1)
  expect_equal(x1, x2)
})

test_that("instrument strength follows fstat", {
  strong <- simulate_mr_data(nsnp = 2000, fstat = 60, seed = 1)
  weak <- simulate_mr_data(nsnp = 2000, fstat = 5, seed = 1)
  f <- function(d) mean((d$beta.exposure / d$se.exposure)^2)
  expect_equal(f(strong), 60, tolerance = 0.1)
  expect_equal(f(weak), 5, tolerance = 0.1)
})

test_that("IVW recovers the causal effect without pleiotropy (mean of 200 replicates)", {
  est <- vapply(1:200, function(i) {
    d <- simulate_mr_data(nsnp = 30, b = 0.25, seed = i)
    mr_ivw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)$b
  }, numeric(1))
  # Strong instruments (F ~ 50): weak-instrument bias towards 0 is about b/F.
  expect_equal(mean(est), 0.25, tolerance = 0.03)
})

test_that("pleiotropy patterns have the declared structure", {
  d <- simulate_mr_data(nsnp = 100, pleiotropy = "directional", prop_invalid = 0.3, seed = 2)
  tr <- attr(d, "truth")
  expect_equal(sum(tr$invalid), 30)
  expect_true(all(tr$alpha[!tr$invalid] == 0))
  # Directional: pleiotropic effects are positive on average on the exposure-increasing allele.
  expect_gt(mean(tr$alpha[tr$invalid] * sign(tr$gamma[tr$invalid])), 0)
  o <- simulate_mr_data(nsnp = 50, pleiotropy = "outliers", prop_invalid = 0.1, seed = 3)
  expect_equal(sum(attr(o, "truth")$invalid), 5)
})

test_that("separate tables carry flipped outcome alleles and binary outcomes carry case counts", {
  s <- simulate_mr_data(nsnp = 40, output = "separate", flip_prop = 0.5, outcome_type = "binary", seed = 4)
  fl <- attr(s, "truth")$flipped
  expect_true(any(fl) && !all(fl))
  expect_equal(s$outcome$effect_allele.outcome[fl], s$exposure$other_allele.exposure[fl])
  expect_equal(unique(s$outcome$units.outcome), "log odds")
  expect_equal(unique(s$outcome$ncase.outcome), 30000)
})

test_that("invalid simulation settings are rejected", {
  expect_error(simulate_mr_data(nsnp = 0), class = "mrkit_error_parameter")
  expect_error(simulate_mr_data(fstat = 1), class = "mrkit_error_parameter")
})
