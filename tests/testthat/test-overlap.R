# Sample-overlap bias (Burgess, Davies and Thompson 2016, Genet Epidemiol 40:597-608).

test_that("relative bias is overlap / F: the paper's worked numbers", {
  # Abstract: "if the relative bias of the one-sample instrumental variable estimate is
  # 10% (corresponding to an F parameter of 10), then the relative bias with 50% sample
  # overlap is 5%, and with 30% sample overlap is 3%."
  r <- mr_overlap_bias(overlap = c(1, 0.5, 0.3), ols_bias = 0.4, fstat = 10, se = 0.1)
  expect_equal(r$relative_bias, c(0.10, 0.05, 0.03))
  expect_equal(r$bias, c(0.04, 0.02, 0.012))
  # no overlap, no bias, nominal type-I error
  r0 <- mr_overlap_bias(overlap = 0, ols_bias = 0.4, fstat = 10, se = 0.1)
  expect_identical(r0$bias, 0)
  expect_equal(r0$type1_error, 0.05)
})

test_that("type-I error at hand-derived points", {
  # bias = 1.959964 SE: half the estimates fall beyond the upper limit, plus the far tail
  # Phi(-3.919928) = 4.4304e-5 (normal table).
  r <- mr_overlap_bias(overlap = 1, ols_bias = stats::qnorm(0.975), fstat = 1, se = 1)
  expect_equal(r$type1_error, 0.5 + 4.4304e-5, tolerance = 1e-5)
  # alpha = 0.01 without bias
  expect_equal(mr_overlap_bias(0, 1, fstat = 10, se = 1, alpha = 0.01)$type1_error, 0.01)
})

test_that("F and SE from study sizes and R^2 follow the paper's approximations", {
  r <- mr_overlap_bias(overlap = 0.3, ols_bias = 0.2, n_exposure = 10100, nsnp = 100,
                       rsq_exposure = 0.1, n_outcome = 20000)
  # F = (N - K - 1) / K * R2 / (1 - R2) = 9999 / 100 / 9
  expect_equal(r$fstat, 9999 / 900)
  expect_equal(r$se, sqrt(1 / (20000 * 0.1)))
  rb <- mr_overlap_bias(overlap = 0.3, ols_bias = 0.2, fstat = 20, n_outcome = 20000,
                        rsq_exposure = 0.1, case_prop = 0.2)
  expect_equal(rb$se, sqrt(1 / (20000 * 0.1 * 0.2 * 0.8)))
})

test_that("the predicted bias matches a simulation with overlapping samples (known truth)", {
  # Individual-level data, null causal effect, confounder U with observational bias
  # var(U) / var(X); K = 10 variants; the outcome sample shares `rho` of its participants
  # with the exposure sample. IVW from per-variant regressions; F is about 10. The paper's
  # formula is an approximation: here it overstates the simulated bias by about 15%
  # (seeds 1, 2, 42), so it is held to 25% plus 3 Monte Carlo SEs.
  withr::local_seed(42)
  K <- 10; N <- 3000; gamma <- rep(0.12, K); maf <- 0.3; reps <- 600
  one <- function(rho) {
    shared <- round(rho * N)
    M <- 2 * N - shared
    G <- matrix(stats::rbinom(M * K, 2, maf), M, K)
    U <- stats::rnorm(M)
    X <- drop(G %*% gamma) + U + stats::rnorm(M)
    Y <- U + stats::rnorm(M)
    ix <- seq_len(N); iy <- (N - shared) + seq_len(N)
    Gx <- scale(G[ix, ], scale = FALSE); Gy <- scale(G[iy, ], scale = FALSE)
    vx <- colSums(Gx^2); vy <- colSums(Gy^2)
    bx <- drop(crossprod(Gx, X[ix] - mean(X[ix]))) / vx
    by <- drop(crossprod(Gy, Y[iy] - mean(Y[iy]))) / vy
    sx <- sqrt(colSums((X[ix] - mean(X[ix]) - sweep(Gx, 2, bx, `*`))^2) / (N - 2) / vx)
    sy <- sqrt(colSums((Y[iy] - mean(Y[iy]) - sweep(Gy, 2, by, `*`))^2) / (N - 2) / vy)
    c(ivw = sum(bx * by / sy^2) / sum(bx^2 / sy^2), F = mean((bx / sx)^2))
  }
  ols_bias <- 1 / (1 + 1 + sum(gamma^2) * 2 * maf * (1 - maf))
  means <- c()
  for (rho in c(0, 0.5, 1)) {
    sims <- vapply(seq_len(reps), function(i) one(rho), numeric(2))
    pred <- mr_overlap_bias(rho, ols_bias, fstat = mean(sims["F", ]), se = stats::sd(sims["ivw", ]))
    mc_se <- stats::sd(sims["ivw", ]) / sqrt(reps)
    means[as.character(rho)] <- mean(sims["ivw", ])
    expect_lt(abs(mean(sims["ivw", ]) - pred$bias), 3 * mc_se + 0.25 * pred$bias)
  }
  expect_gt(means[["1"]], 6 * mc_se)  # the bias is really there with full overlap
  expect_lt(means[["0"]], means[["0.5"]])
  expect_lt(means[["0.5"]], means[["1"]])
})

test_that("add_overlap_bias() reports beside mr() estimates", {
  dat <- simulate_mr_data(nsnp = 30, fstat = 15, seed = 1)
  res <- mr(dat, method_list = c("mr_ivw", "mr_egger_regression"))
  out <- add_overlap_bias(res, dat, overlap = 0.4, ols_bias = 0.3)
  expect_s3_class(out, "mrkit_results")
  f <- mean((dat$beta.exposure / dat$se.exposure)^2)
  expect_equal(out$overlap_bias, rep(0.4 * 0.3 / f, 2))
  expect_identical(out$overlap, c(0.4, 0.4))
  expect_true(all(out$overlap_type1_error > 0.05))
  expect_error(add_overlap_bias(res, dat, overlap = c(0.1, 0.2, 0.3), ols_bias = 0.3),
               class = "mrkit_error_input_length")
})

test_that("bad input gives classed errors", {
  expect_error(mr_overlap_bias(1.2, 0.2, fstat = 10, se = 1), class = "mrkit_error_parameter")
  expect_error(mr_overlap_bias(0.5, 0.2, se = 1), class = "mrkit_error_missing_argument")
  expect_error(mr_overlap_bias(0.5, 0.2, fstat = 10), class = "mrkit_error_missing_argument")
  expect_snapshot(error = TRUE, mr_overlap_bias(0.5, 0.2, fstat = -1, se = 1))
})
