test_that("the simulated region has the stated LD, heritability and truth", {
  d <- simulate_cis_data(nsnp = 6, b = 0.3, r = 0.5, h2 = 0.02, nx = 1e12, ny = 1e12, seed = 1)
  ld <- attr(d, "ld")
  tr <- attr(d, "truth")
  expect_equal(abs(ld[1, 3]), 0.25)
  expect_equal(drop(t(tr$alpha) %*% ld %*% tr$alpha), 0.02)
  expect_equal(d$beta.exposure, tr$gamma, tolerance = 1e-4)
  expect_equal(d$beta.outcome / d$beta.exposure, rep(0.3, 6), tolerance = 1e-3)
  expect_equal(rownames(ld), d$SNP)
  expect_identical(simulate_cis_data(seed = 5), simulate_cis_data(seed = 5))
  expect_error(simulate_cis_data(nsnp = 0), class = "mrkit_error_parameter")
  expect_error(simulate_cis_data(r = 1), class = "mrkit_error_parameter")
})

test_that("the estimates are drawn with covariance ld / n", {
  ld <- matrix(c(1, 0.8, 0.8, 1), 2)
  err <- t(vapply(1:600, function(i) {
    d <- simulate_cis_data(nsnp = 2, ld = ld, nx = 100, seed = i)
    d$beta.exposure - attr(d, "truth")$gamma
  }, numeric(2)))
  # Monte Carlo SEs at 600 draws: about 0.015 for the correlation, 6% for the variances
  expect_equal(cor(err)[1, 2], 0.8, tolerance = 0.06)
  expect_equal(unname(apply(err, 2, var)), c(0.01, 0.01), tolerance = 0.2)
})
