# Radial IVW / MR-Egger. RadialMR is GitHub-only (not installable here), so the kernels are
# checked against a direct base-R computation from RadialMR's definitions (methods.md 4.4),
# and the modified second-order row against TwoSampleMR's recorded mr_ivw_radial (which calls
# RadialMR::ivw_radial(weights = 3)) on BMI -> CHD.

radial_lm <- function(r, w, intercept = FALSE) {
  sw <- sqrt(w)
  y <- r * sw
  fit <- if (intercept) stats::lm(y ~ sw) else stats::lm(y ~ -1 + sw)
  summary(fit)$coefficients
}

test_that("radial IVW rows equal base-R fits of RadialMR's definitions", {
  x <- sim(nsnp = 40, b = 0.3, pleiotropy = "balanced", seed = 12)
  bx <- x$beta.exposure; by <- x$beta.outcome; sx <- x$se.exposure; sy <- x$se.outcome
  f <- mr_radial_ivw(bx, by, sx, sy, default_parameters(seed = 1, nboot = 50), snps = x$SNP)
  r <- by / bx
  J <- length(r)
  w1 <- bx^2 / sy^2
  w2 <- 1 / (sy^2 / bx^2 + by^2 * sx^2 / bx^4)
  c1 <- radial_lm(r, w1); c2 <- radial_lm(r, w2)
  w3 <- 1 / (sy^2 / bx^2 + c1[1, 1]^2 * sx^2 / bx^2)
  c3 <- radial_lm(r, w3)
  cf <- f$coefficients
  expect_equal(cf$term, c("Effect (1st)", "Effect (2nd)", "Effect (Mod.2nd)", "Iterative", "Exact (FE)", "Exact (RE)"))
  expect_equal(cf$estimate[1:3], c(c1[1, 1], c2[1, 1], c3[1, 1]), tolerance = 1e-10)
  expect_equal(cf$se[1:3], c(c1[1, 2], c2[1, 2], c3[1, 2]), tolerance = 1e-10)
  expect_equal(cf$pval[1:3], c(c1[1, 4], c2[1, 4], c3[1, 4]), tolerance = 1e-8)
  # Iterative: modified weights re-evaluated at the current slope until |change| < 1e-5.
  th <- c1[1, 1]
  repeat {
    nw <- radial_lm(r, 1 / (sy^2 / bx^2 + th^2 * sx^2 / bx^2))[1, 1]
    done <- abs(nw - th) < 1e-5
    th <- nw
    if (done) break
  }
  expect_equal(cf$estimate[4], th, tolerance = 1e-10)
  # Exact fixed effects.
  q <- function(t, phi = 1) sum((r - t)^2 / (phi * sy^2 / bx^2 + t^2 * sx^2 / bx^2))
  te <- stats::optimize(q, c(-2, 2), tol = 1e-12)$minimum
  expect_equal(cf$estimate[5], te, tolerance = 1e-7)
  expect_equal(cf$se[5], 1 / sqrt(sum(1 / (sy^2 / bx^2 + te^2 * sx^2 / bx^2))), tolerance = 1e-7)
  # Exact random effects: phi such that Q = J - 1 at the re-estimated theta.
  g <- function(phi) q(stats::optimize(function(t) q(t, phi), c(-2, 2), tol = 1e-12)$minimum, phi) - (J - 1)
  if (g(1) > 0) {
    phi <- stats::uniroot(g, c(1, 1e3), tol = 1e-12)$root
    expect_equal(f$phi, phi, tolerance = 1e-6)
    expect_equal(cf$estimate[6], stats::optimize(function(t) q(t, phi), c(-2, 2), tol = 1e-12)$minimum,
                 tolerance = 1e-6)
  }
  expect_true(is.finite(cf$se[6]) && cf$se[6] > 0)
  # Q contributions and flags with the chosen (modified) weights.
  qj <- w3 * (r - c3[1, 1])^2
  expect_equal(f$snps$Qj, qj, tolerance = 1e-10)
  expect_equal(f$snps$outlier, stats::pchisq(qj, 1, lower.tail = FALSE) < 0.05)
  expect_equal(f$Q$Q, sum(qj), tolerance = 1e-10)
  expect_equal(f$Q$Q_df, J - 1)
  expect_equal(f$snps$SNP, x$SNP)
  # First-order weights: Q is Cochran's Q of IVW.
  f1 <- mr_radial_ivw(bx, by, sx, sy, default_parameters(nboot = 2), weights = "first")
  expect_equal(f1$Q$Q, mr_ivw(bx, by, sx, sy)$Q, tolerance = 1e-10)
  expect_equal(mr_radial_ivw(bx, by, sx, sy, default_parameters(nboot = 2), weights = 2)$Q$Q,
               sum(w2 * (r - c2[1, 1])^2), tolerance = 1e-10)
})

test_that("radial IVW (modified second order) equals TwoSampleMR's mr_ivw_radial on BMI -> CHD", {
  skip_if_no_shared()
  d <- bmi_chd()
  f <- mr_radial_ivw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome,
                     default_parameters(nboot = 2), snps = d$SNP)
  row <- f$coefficients[f$coefficients$term == "Effect (Mod.2nd)", ]
  expect_lt(rel_diff(row$estimate, tsmr_detail("mr_ivw_radial", "b")), 1e-10)
  expect_lt(rel_diff(row$se, tsmr_detail("mr_ivw_radial", "se")), 1e-10)
  expect_lt(rel_diff(f$Q$Q, tsmr_detail("mr_ivw_radial", "Q")), 1e-10)
  expect_lt(rel_diff(f$Q$Q_pval, tsmr_detail("mr_ivw_radial", "Q_pval")), 1e-8)
  # TwoSampleMR reports a normal p-value for this row; RadialMR a t(J - 1) one.
  expect_lt(rel_diff(2 * stats::pnorm(-abs(row$estimate / row$se)), tsmr_detail("mr_ivw_radial", "pval")), 1e-8)
})

test_that("radial MR-Egger equals base-R fits of RadialMR's definitions", {
  x <- sim(nsnp = 40, b = 0.3, pleiotropy = "directional", seed = 13)
  bx <- x$beta.exposure; by <- x$beta.outcome; sx <- x$se.exposure; sy <- x$se.outcome
  r <- by / bx
  w1 <- bx^2 / sy^2
  c1 <- radial_lm(r, w1, intercept = TRUE)
  w3 <- 1 / (sy^2 / bx^2 + c1[2, 1]^2 * sx^2 / bx^2)
  c3 <- radial_lm(r, w3, intercept = TRUE)
  f <- mr_radial_egger(bx, by, sx, sy)
  expect_equal(f$coefficients$term, c("Intercept", "Wj"))
  expect_equal(f$coefficients$estimate, unname(c3[, 1]), tolerance = 1e-10)
  expect_equal(f$coefficients$se, unname(c3[, 2]), tolerance = 1e-10)
  expect_equal(f$coefficients$pval, unname(c3[, 4]), tolerance = 1e-8)
  qj <- w3 * (r - c3[1, 1] / sqrt(w3) - c3[2, 1])^2
  expect_equal(f$snps$Qj, qj, tolerance = 1e-10)
  expect_equal(f$Q$Q_df, 38)
  f1 <- mr_radial_egger(bx, by, sx, sy, weights = "first")
  expect_equal(f1$coefficients$estimate, unname(c1[, 1]), tolerance = 1e-10)
})

test_that("radial estimates: bias and coverage in simulations", {
  # The radial fits report no interval; their tests are Student t on nsnp - 2 (Egger) and
  # nsnp - 1 (IVW) df (documented), so the 95% interval is estimate +/- qt(0.975, df) se.
  radial_covers <- function(b, se, df) abs(b - 0.3) <= stats::qt(0.975, df) * se
  res <- vapply(1:60, function(s) {
    x <- sim(nsnp = 60, b = 0.3, pleiotropy = "directional", fstat = 300, prop_invalid = 0.5, seed = 600 + s)
    e <- mr_radial_egger(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome)$coefficients
    i <- mr_radial_ivw(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome,
                       default_parameters(nboot = 2))$coefficients
    c(e$estimate[2], radial_covers(e$estimate[2], e$se[2], 60 - 2), i$estimate[3])
  }, numeric(3))
  expect_lt(abs(mean(res[1, ]) - 0.3), 0.06)   # Egger: slope robust to directional pleiotropy
  expect_gt(mean(res[3, ]) - 0.3, 0.15)         # IVW: biased
  # Radial Egger's slope interval covers at the nominal rate: at least
  # qbinom(0.001, 60, 0.95) = 51 of 60 (a 1-SE interval covers 40).
  expect_equal(sum(res[2, ]), 57)   # seeded exact count: any change to the interval or estimate shows
  expect_gte(sum(res[2, ]), stats::qbinom(0.001, 60, 0.95))
  cov <- vapply(1:60, function(s) {
    x <- sim(nsnp = 50, b = 0.3, pleiotropy = "balanced", seed = 700 + s)
    i <- mr_radial_ivw(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome,
                       default_parameters(nboot = 2))$coefficients
    c(i$estimate[3], radial_covers(i$estimate[3], i$se[3], 50 - 1))
  }, numeric(2))
  expect_lt(abs(mean(cov[1, ]) - 0.3), 0.03)
  # Modified second-order radial IVW: 54 of 60 (1-SE intervals: 40); nominal check as above.
  expect_equal(sum(cov[2, ]), 54)   # seeded exact count
  expect_gte(sum(cov[2, ]), stats::qbinom(0.001, 60, 0.95))
  # Planted outliers are flagged more often than valid variants.
  x <- sim(nsnp = 50, b = 0.3, pleiotropy = "outliers", prop_invalid = 0.1, outlier_size = 15, seed = 7)
  f <- mr_radial_ivw(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome,
                     default_parameters(nboot = 2), snps = x$SNP)
  expect_gte(sum(f$snps$outlier), 3)
})

test_that("radial fits: edge cases, reproducibility, classed errors and printing", {
  for (n in 0:1) {
    f <- mr_radial_ivw(rep(0.1, n), rep(0.05, n), rep(0.01, n), rep(0.02, n))
    expect_match(f$note, "at least 2")
    expect_equal(nrow(f$coefficients), 0L)
    expect_equal(nrow(f$snps), 0L)
  }
  expect_match(mr_radial_egger(c(0.1, 0.2), c(0.05, 0.1), c(0.01, 0.01), c(0.02, 0.02))$note, "at least 3")
  f2 <- mr_radial_ivw(c(0.1, 0.2), c(0.05, 0.12), c(0.01, 0.01), c(0.02, 0.02), default_parameters(nboot = 10, seed = 1))
  expect_equal(f2$Q$Q_df, 1)
  fz <- mr_radial_ivw(c(0.1, 0, 0.3), c(0.05, 0.1, 0.15), rep(0.01, 3), rep(0.02, 3))
  expect_match(fz$note, "zero")
  fi <- mr_radial_ivw(c(0.1, 0.2, 0.3), c(0.05, 0.1, 0.15), rep(0.01, 3), rep(0.02, 3), default_parameters(nboot = 5))
  expect_equal(fi$coefficients$estimate[1], 0.5, tolerance = 1e-12)
  expect_equal(fi$Q$Q, 0, tolerance = 1e-12)
  expect_false(any(fi$snps$outlier))
  fe <- mr_radial_egger(c(0.1, 0.1, 0.1), c(0.05, 0.06, 0.04), rep(0.01, 3), rep(0.02, 3), weights = "first")
  expect_match(fe$note, "constant")
  x <- sim(nsnp = 20, b = 0.3, seed = 3)
  args <- list(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome)
  set.seed(1); a <- do.call(mr_radial_ivw, c(args, list(default_parameters(nboot = 100))))
  set.seed(1); b <- do.call(mr_radial_ivw, c(args, list(default_parameters(nboot = 100))))
  expect_identical(a, b)
  expect_error(mr_radial_ivw(1:3, 1:3, c(1, 1, 1), c(1, 1, 1), weights = "exact"), class = "mrkit_error_parameter")
  expect_error(mr_radial_ivw(1:3, 1:3, c(1, 1, 1), c(1, 1, 1), snps = "a"), class = "mrkit_error_input_length")
  x <- sim(nsnp = 12, b = 0.3, pleiotropy = "outliers", seed = 3)
  expect_snapshot(print(mr_radial_ivw(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome,
                                      default_parameters(nboot = 20, seed = 1), snps = x$SNP)))
  expect_snapshot(print(mr_radial_egger(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome)))
  expect_snapshot(print(fz))
})

test_that("the modified second-order row equals mrkit's TwoSampleMR-style mr_ivw_radial", {
  x <- sim(nsnp = 35, b = 0.25, pleiotropy = "balanced", seed = 14)
  args <- list(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome)
  f <- do.call(mr_radial_ivw, c(args, list(default_parameters(nboot = 2))))
  t <- do.call(mr_ivw_radial, args)
  expect_equal(f$coefficients$estimate[3], t$b, tolerance = 1e-12)
  expect_equal(f$coefficients$se[3], t$se, tolerance = 1e-10)
  expect_equal(f$Q$Q, t$Q, tolerance = 1e-10)
})
