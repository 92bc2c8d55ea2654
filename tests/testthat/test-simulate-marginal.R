# simulate_marginal_effects(): marginal effects and sampling errors with the panel's LD.
# The truth is the panel itself: LD and allele frequencies of its genotypes (ld_matrix(),
# the panel reader), with 4,000 people, so sample LD is within about 0.03 of the model's.

marginal_setup <- function(env = parent.frame()) {
  dir <- withr::local_tempdir(.local_envir = env)
  simulate_ld_panel(4000, 60, block_size = 30, prefix = file.path(dir, "panel"), seed = 5)
}

test_that("marginal effects are causal effects projected through the panel's LD, frequency-scaled", {
  panel <- marginal_setup()
  v <- panel$variants
  R <- unclass(ld_matrix(v$SNP, panel$bfile))
  f <- mrkit:::cpp_panel_freq(panel$bfile, 0:59)       # A1 frequencies of the genotypes
  effects <- numeric(60)
  effects[c(8, 20, 45)] <- c(0.05, -0.04, 0.03)
  m <- simulate_marginal_effects(panel, effects)
  expect_named(m, c("SNP", "freq", "marginal"))
  expect_equal(m$SNP, v$SNP)
  expect_lt(max(abs(m$freq - f)), 0.03)
  # Hand derivation: b_j = sum_k beta_k r_jk sd_k / sd_j, sd = sqrt(2 f (1 - f)); blocks
  # are independent (1-30, 31-60).
  sd <- sqrt(2 * f * (1 - f))
  hand <- numeric(60)
  for (k in c(8, 20, 45)) {
    blk <- if (k <= 30) 1:30 else 31:60
    hand[blk] <- hand[blk] + effects[k] * R[blk, k] * sd[k] / sd[blk]
  }
  expect_lt(max(abs(m$marginal - hand)), 0.004)
  expect_equal(m$marginal[c(8, 45)], hand[c(8, 45)], tolerance = 0.1)
  expect_true(all(m$marginal[(1:60)[-c(1:30, 45 + (-15:15))]] == 0))
})

test_that("sampling errors have SE 1 / sqrt(2 f (1 - f) N) and the panel's correlation", {
  panel <- marginal_setup()
  R <- unclass(ld_matrix(panel$variants$SNP, panel$bfile))
  reps <- 3000
  sim <- simulate_marginal_effects(panel, matrix(0, 60, reps), n = 1e4, seed = 1)
  expect_named(sim, c("freq", "marginal", "se", "beta"))
  expect_equal(sim$se[, 1], 1 / sqrt(2 * sim$freq * (1 - sim$freq) * 1e4))
  z <- sim$beta / sim$se
  expect_lt(max(abs(rowMeans(z))), 4 / sqrt(reps))
  expect_lt(max(abs(apply(z, 1, stats::sd) - 1)), 0.06)
  C <- stats::cor(t(z))
  # within blocks: the LD of the genotypes; between blocks: none (MC SE 0.018)
  expect_lt(max(abs(C[1:30, 1:30] - R[1:30, 1:30])), 0.1)
  expect_lt(max(abs(C[31:60, 31:60] - R[31:60, 31:60])), 0.1)
  expect_lt(max(abs(C[1:30, 31:60])), 0.08)
  expect_gt(min(C[cbind(1:29, 2:30)] * sign(R[cbind(1:29, 2:30)])), 0.7)
})

test_that("the seed reproduces, sample sizes go by column, bad input is rejected", {
  panel <- marginal_setup()
  e <- numeric(60)
  e[3] <- 0.1
  a <- simulate_marginal_effects(panel, e, n = 5000, seed = 3)
  expect_identical(a, simulate_marginal_effects(panel, e, n = 5000, seed = 3))
  expect_named(a, c("SNP", "freq", "marginal", "se", "beta"))
  two <- simulate_marginal_effects(panel, cbind(x = e, y = 2 * e), n = c(5000, 20000))
  expect_equal(two$marginal[, "y"], 2 * two$marginal[, "x"])
  expect_equal(two$se[, "x"], 2 * two$se[, "y"])
  expect_error(simulate_marginal_effects(panel, numeric(10)), class = "mrkit_error_parameter")
  expect_error(simulate_marginal_effects(panel, e, n = c(1, 2)), class = "mrkit_error_parameter")
  expect_error(simulate_marginal_effects(list(variants = panel$variants), e),
               class = "mrkit_error_input_type")
  expect_error(simulate_marginal_effects("x", e), class = "mrkit_error_input_type")
})
