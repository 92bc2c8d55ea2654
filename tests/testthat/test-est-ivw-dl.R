dl_by_hand <- function(bx, by, sy) {
  r <- by / bx; s2 <- (sy / abs(bx))^2; w <- 1 / s2
  tf <- sum(w * r) / sum(w)
  Q <- sum(w * (r - tf)^2)
  tau2 <- max(0, (Q - (length(r) - 1)) / (sum(w) - sum(w^2) / sum(w)))
  ws <- 1 / (s2 + tau2)
  list(b = sum(ws * r) / sum(ws), se = 1 / sqrt(sum(ws)), Q = Q, tau2 = tau2)
}

test_that("DerSimonian-Laird IVW equals a direct base-R computation", {
  d <- sim(nsnp = 40, b = 0.3, pleiotropy = "balanced", prop_invalid = 0.5, seed = 6)
  bx <- d$beta.exposure; by <- d$beta.outcome; sy <- d$se.outcome
  h <- dl_by_hand(bx, by, sy)
  r <- mr_ivw_dl(bx, by, d$se.exposure, sy)
  expect_gt(h$tau2, 0)
  expect_equal(r$b, h$b, tolerance = 1e-12)
  expect_equal(r$se, h$se, tolerance = 1e-12)
  expect_equal(r$tau2, h$tau2, tolerance = 1e-12)
  expect_equal(r$Q, h$Q, tolerance = 1e-12)
  expect_equal(r$pval, 2 * stats::pnorm(-abs(h$b / h$se)), tolerance = 1e-12)
  expect_equal(r$I2, max(0, (h$Q - 39) / h$Q), tolerance = 1e-12)
  # Cochran's Q is the IVW one; with tau2 = 0 the estimate is fixed-effect IVW.
  expect_equal(r$Q, mr_ivw(bx, by, d$se.exposure, sy)$Q, tolerance = 1e-12)
  # Under-dispersed data (Q < J - 1): tau2 = 0 and the estimate is fixed-effect IVW.
  bx0 <- c(0.1, 0.2, 0.15, 0.12, 0.3); sy0 <- rep(0.02, 5)
  by0 <- 0.4 * bx0 + c(0.002, -0.001, 0.001, -0.002, 0.0005)
  r0 <- mr_ivw_dl(bx0, by0, rep(0.01, 5), sy0)
  fe <- mr_ivw_fe(bx0, by0, rep(0.01, 5), sy0)
  expect_lt(r0$Q, 4)
  expect_equal(r0$tau2, 0)
  expect_equal(r0$I2, 0)
  expect_equal(r0$b, fe$b, tolerance = 1e-12)
  expect_equal(r0$se, fe$se, tolerance = 1e-12)
})

test_that("DerSimonian-Laird IVW edge cases", {
  expect_match(mr_ivw_dl(0.1, 0.05, 0.01, 0.02)$note, "at least 2")
  r2 <- mr_ivw_dl(c(0.1, 0.2), c(0.05, 0.1), c(0.01, 0.01), c(0.02, 0.02))
  expect_equal(r2$b, 0.5)
  expect_equal(r2$tau2, 0)
  expect_match(mr_ivw_dl(c(0, 0.2), c(0.1, 0.1), c(0.01, 0.01), c(0.02, 0.02))$note, "non-zero")
  neg <- mr_ivw_dl(-c(0.1, 0.2, 0.3), c(0.05, 0.1, 0.2), rep(0.01, 3), rep(0.02, 3))
  expect_equal(neg$b, mr_ivw_dl(c(0.1, 0.2, 0.3), -c(0.05, 0.1, 0.2), rep(0.01, 3), rep(0.02, 3))$b)
})
