# Variance explained and instrument strength (methods.md 6.1, 6.3).

test_that("get_r_from_bsen is sign(b) sqrt(F / (n - 2 + F))", {
  b <- c(0.02, -0.05, 0); se <- c(0.004, 0.01, 0.01); n <- c(1e5, 2e4, 500)
  f <- (b / se)^2
  expect_equal(get_r_from_bsen(b, se, n), sign(b) * sqrt(f / (n - 2 + f)), tolerance = 1e-15)
  expect_equal(get_r_from_bsen(b, se, 1e5), get_r_from_bsen(b, se, rep(1e5, 3)))
  expect_warning(r <- get_r_from_bsen(b, se, c(1e5, 2, 1)), class = "mrkit_warning_small_n")
  expect_identical(is.na(r), c(FALSE, TRUE, TRUE))
  expect_error(get_r_from_bsen(0.1, 0, 100), class = "mrkit_error_se_nonpositive")
  expect_error(get_r_from_bsen(0.1, 0.1, c(100, 200, 300)), class = "mrkit_error_input_length")
  expect_error(get_r_from_bsen("a", 0.1, 100), class = "mrkit_error_input_type")
  expect_identical(get_r_from_bsen(NA_real_, 0.1, 100), NA_real_)
})

test_that("get_r_from_pn uses the F(1, n - 1) quantile with R2 = F / (n - 2 + F)", {
  p <- c(0.5, 1e-8, 1e-40, 1e-150); n <- c(1000, 5e4, 3e5, 3e5)
  f <- qf(p, 1, n - 1, lower.tail = FALSE)
  expect_equal(get_r_from_pn(p, n), sqrt(f / (n - 2 + f)), tolerance = 1e-14)
  # Round trip through get_p_from_r2n (whose F uses n - 2, TwoSampleMR's df quirk).
  expect_lt(max(rel_diff(get_p_from_r2n(get_r_from_pn(p, n)^2, n), p)), 1e-10)
  expect_message(r1 <- get_r_from_pn(p, 3e5), "same for all")
  expect_equal(r1, get_r_from_pn(p, rep(3e5, 4)))
  expect_gte(min(r1), 0)
})

test_that("get_r_from_pn finds R2 numerically where qf is not exact (tiny p)", {
  # For n - 1 > 4e5 qf() switches to a chi-squared approximation, visibly off at p = 1e-300:
  n <- 5e5
  f_qf <- qf(1e-300, 1, n - 1, lower.tail = FALSE)
  expect_gt(rel_diff(get_p_from_r2n(f_qf / (n - 2 + f_qf), n), 1e-300), 0.5)
  # The search solves get_p_from_r2n(R2, n) = p to full precision.
  r <- get_r_from_pn(c(1e-300, 1e-100, 1e-10), rep(n, 3))
  expect_lt(max(rel_diff(get_p_from_r2n(r^2, n), c(1e-300, 1e-100, 1e-10))), 1e-10)
  # Below that n, qf is exact and is what TwoSampleMR uses, also at p = 1e-300.
  r_small <- get_r_from_pn(1e-300, 1e4)
  f <- qf(1e-300, 1, 1e4 - 1, lower.tail = FALSE)
  expect_identical(r_small, sqrt(f / (1e4 - 2 + f)))
  expect_lt(rel_diff(get_p_from_r2n(r_small^2, 1e4), 1e-300), 1e-10)
  # The internal search agrees with the exact quantile where qf is exact.
  expect_equal(mrkit:::r2_search(1e-300, 1e4), r_small^2, tolerance = 1e-12)
  expect_equal(mrkit:::r2_search(0.01, 50), get_r_from_pn(0.01, 50)^2, tolerance = 1e-12)
  # Newton from a poor start, and the bracketing fallback, reach the same root.
  expect_equal(mrkit:::r2_search(1e-300, n, f0 = 1), r[1]^2, tolerance = 1e-12)
  fb <- mrkit:::f_bracket(1e-300, n)
  expect_equal(fb / (n - 2 + fb), r[1]^2, tolerance = 1e-12)
})

test_that("get_r_from_pn: p = 0, missing values and small n", {
  expect_warning(r <- get_r_from_pn(c(0, 1e-8, NA), c(1e4, 1e4, 1e4)), class = "mrkit_warning_p_zero")
  expect_identical(is.na(r), c(TRUE, FALSE, TRUE))
  expect_warning(r <- get_r_from_pn(c(1e-8, 1e-8), c(2, NA)), class = "mrkit_warning_small_n")
  expect_true(all(is.na(r)))
  expect_error(get_r_from_pn(1.5, 100), class = "mrkit_error_input_value")
  expect_error(get_r_from_pn(1e-8, "100"), class = "mrkit_error_input_type")
  expect_snapshot(invisible(get_r_from_pn(0, 100)))
})

test_that("get_p_from_r2n is the upper tail of F(1, n - 1) at r2 (n - 2) / (1 - r2)", {
  r2 <- c(0, 1e-4, 0.01); n <- c(100, 1e5, 1e3)
  expect_equal(get_p_from_r2n(r2, n), pf(r2 * (n - 2) / (1 - r2), 1, n - 1, lower.tail = FALSE),
               tolerance = 1e-15)
  expect_identical(get_p_from_r2n(0, 100), 1)
  expect_error(get_p_from_r2n(1.2, 100), class = "mrkit_error_input_value")
})

# Liability r2 written out from a 2x2 table with case fraction prop, allele frequencies in
# cases and controls, and prevalence K.
lor_from_table <- function(af_case, af_control, prop, K, ve = pi^2 / 3) {
  lor <- log(af_case / (1 - af_case)) - log(af_control / (1 - af_control))
  q <- af_control * (1 - K) + af_case * K
  vg <- lor^2 * q * (1 - q)
  list(lor = lor, af = prop * af_case + (1 - prop) * af_control, r = sign(lor) * sqrt(vg / (vg + ve)))
}

test_that("get_r_from_lor recovers the 2x2 table it was given", {
  af_case <- c(0.35, 0.20, 0.6, 0.05, 0.3); af_control <- c(0.30, 0.25, 0.6, 0.04, 0.3 + 1e-9)
  ncase <- c(5000, 1000, 2000, 30000, 4000); ncontrol <- c(15000, 9000, 2000, 300000, 4000)
  prop <- ncase / (ncase + ncontrol)
  K <- c(0.05, 0.1, 0.2, 0.01, 0.1)
  t <- lor_from_table(af_case, af_control, prop, K)
  expect_equal(get_r_from_lor(t$lor, t$af, ncase, ncontrol, K), t$r, tolerance = 1e-12)
  # Probit: V_E = 1; correction divides r2 by 0.58.
  tp <- lor_from_table(af_case, af_control, prop, K, ve = 1)
  expect_equal(get_r_from_lor(t$lor, t$af, ncase, ncontrol, K, model = "probit"), tp$r, tolerance = 1e-12)
  expect_equal(get_r_from_lor(t$lor, t$af, ncase, ncontrol, K, correction = TRUE)^2, t$r^2 / 0.58,
               tolerance = 1e-12)
})

test_that("get_r_from_lor matches a hand computation", {
  # OR = 1.5, af = 0.3, 1:1 cases and controls (prop = 0.5), prevalence 0.1.
  # Quadratic (OR-1) z^2 + [(af+prop)(1-OR) - 1] z + OR af prop = 0:
  #   0.5 z^2 - 1.4 z + 0.225 = 0, roots 1.4 -/+ sqrt(1.4^2 - 4 * 0.5 * 0.225); only the
  #   smaller leaves every cell non-negative.
  z <- 1.4 - sqrt(1.96 - 0.45)
  af_case <- z / 0.5
  af_control <- (0.3 - z) / 0.5
  q <- af_control * 0.9 + af_case * 0.1
  vg <- log(1.5)^2 * q * (1 - q)
  expect_equal(get_r_from_lor(log(1.5), 0.3, 1000, 1000, 0.1), sqrt(vg / (vg + pi^2 / 3)), tolerance = 1e-13)
  expect_equal(signif(get_r_from_lor(log(1.5), 0.3, 1000, 1000, 0.1), 7), 0.09831117)
  # A protective allele gives a negative r of the same construction.
  expect_lt(get_r_from_lor(-log(1.5), 0.3, 1000, 1000, 0.1), 0)
  # OR = 1 exactly: the linear case, r = 0.
  expect_identical(get_r_from_lor(0, 0.3, 1000, 1000, 0.1), 0)
})

test_that("get_r_from_lor validates its input", {
  expect_error(get_r_from_lor(0.1, 0, 100, 100, 0.1), class = "mrkit_error_input_value")
  expect_error(get_r_from_lor(0.1, 0.3, 100, 100, 1), class = "mrkit_error_input_value")
  expect_error(get_r_from_lor(0.1, 0.3, 0, 100, 0.1), class = "mrkit_error_input_value")
  expect_error(get_r_from_lor(0.1, c(0.3, 0.2), 100, 100, 0.1), class = "mrkit_error_input_length")
  expect_error(get_r_from_lor(c(0.1, 0.2), c(0.3, 0.2), c(1, 2, 3), 100, 0.1), class = "mrkit_error_input_length")
  expect_error(get_r_from_lor(0.1, 0.3, 100, 100, 0.1, model = "cloglog"), class = "mrkit_error_input_value")
  expect_identical(get_r_from_lor(c(NA, 0.1), c(0.3, NA), 100, 100, 0.1), c(NA_real_, NA_real_))
})

test_that("effective_n is 2 / (1 / ncase + 1 / ncontrol)", {
  expect_equal(effective_n(c(1000, 5000), c(9000, 5000)), c(1800, 5000))
  expect_equal(effective_n(1000, c(1000, 3000)), c(1000, 1500))
  expect_error(effective_n(0, 100), class = "mrkit_error_input_value")
  expect_error(effective_n(c(1, 2), c(1, 2, 3)), class = "mrkit_error_input_length")
})

test_that("add_rsq on continuous traits: SD units from eaf, otherwise from b, se, n", {
  d <- sim(nsnp = 20, seed = 4)
  a <- add_rsq(d)
  expect_equal(a$rsq.exposure, 2 * d$beta.exposure^2 * d$eaf.exposure * (1 - d$eaf.exposure))
  expect_equal(a$rsq.outcome, 2 * d$beta.outcome^2 * d$eaf.outcome * (1 - d$eaf.outcome))
  expect_identical(a$effective_n.exposure, d$samplesize.exposure)
  # Without units (or with a missing eaf), rsq comes from get_r_from_bsen.
  d2 <- d
  d2$units.exposure <- NULL
  d2$eaf.outcome[3] <- NA
  a2 <- add_rsq(d2)
  expect_equal(a2$rsq.exposure, get_r_from_bsen(d$beta.exposure, d$se.exposure, d$samplesize.exposure)^2)
  expect_equal(a2$rsq.outcome, get_r_from_bsen(d$beta.outcome, d$se.outcome, d$samplesize.outcome)^2)
  # Existing rsq columns are kept; p-values are floored at 1e-300.
  d3 <- d
  d3$rsq.exposure <- 0.5
  d3$pval.outcome[1] <- 0
  a3 <- add_rsq(d3)
  expect_identical(a3$rsq.exposure, rep(0.5, 20))
  expect_false("effective_n.exposure" %in% names(a3))
  expect_identical(a3$pval.outcome[1], 1e-300)
})

test_that("add_rsq on a binary (log odds) outcome, with the prevalence warning", {
  d <- sim(nsnp = 15, outcome_type = "binary", seed = 5)
  expect_warning(a <- add_rsq(d), class = "mrkit_warning_prevalence_assumed")
  expect_equal(a$rsq.outcome, get_r_from_lor(d$beta.outcome, d$eaf.outcome, d$ncase.outcome,
                                             d$ncontrol.outcome, 0.1)^2, tolerance = 1e-14)
  expect_equal(a$effective_n.outcome, effective_n(d$ncase.outcome, d$ncontrol.outcome))
  expect_identical(a$prevalence.outcome, rep(0.1, 15))
  d$prevalence.outcome <- 0.02
  d$ncase.outcome[2] <- NA
  expect_no_warning(a2 <- add_rsq(d))
  expect_true(is.na(a2$rsq.outcome[2]))
  expect_equal(a2$rsq.outcome[-2], get_r_from_lor(d$beta.outcome[-2], d$eaf.outcome[-2], d$ncase.outcome[-2],
                                                  d$ncontrol.outcome[-2], 0.02)^2, tolerance = 1e-14)
  # No complete variant: NA with a classed warning naming the id.
  d$ncase.outcome <- NA
  expect_warning(a3 <- add_rsq(d), class = "mrkit_warning_rsq_unavailable")
  expect_true(all(is.na(a3$rsq.outcome)))
})

test_that("add_rsq works per id and rejects mixed units within an id", {
  d1 <- sim(nsnp = 5, seed = 6)
  d2 <- sim(nsnp = 5, seed = 7, id_exposure = "exp2")
  d2$units.exposure <- "kg"
  a <- add_rsq(rbind(d1, d2))
  expect_equal(a$rsq.exposure[1:5], 2 * d1$beta.exposure^2 * d1$eaf.exposure * (1 - d1$eaf.exposure))
  expect_equal(a$rsq.exposure[6:10], get_r_from_bsen(d2$beta.exposure, d2$se.exposure, d2$samplesize.exposure)^2)
  bad <- d1
  bad$units.exposure[2] <- "kg"
  expect_error(add_rsq(bad), class = "mrkit_error_input_value")
  nos <- d1
  nos$samplesize.exposure <- NULL
  nos$units.exposure <- NA
  expect_warning(a <- add_rsq(nos), class = "mrkit_warning_rsq_unavailable")
  expect_true(all(is.na(a$rsq.exposure)))
  expect_error(add_rsq(list(1)), class = "mrkit_error_input_type")
  expect_snapshot(add_rsq(bad), error = TRUE)
})

test_that("estimate_trait_sd and standardise_units", {
  d <- sim(nsnp = 40, seed = 8)
  z <- d$beta.exposure / d$se.exposure
  n <- d$samplesize.exposure; p <- d$eaf.exposure
  std <- sign(z) * sqrt(z^2 / (z^2 + n - 2) / (2 * p * (1 - p)))
  expect_equal(estimate_trait_sd(d$beta.exposure, d$se.exposure, n, p), d$beta.exposure / std)
  # Simulated in SD units: the estimated SD is close to 1.
  expect_lt(abs(mean(estimate_trait_sd(d$beta.exposure, d$se.exposure, n, p)) - 1), 0.02)
  scaled <- d
  scaled$beta.exposure <- 3 * d$beta.exposure
  scaled$se.exposure <- 3 * d$se.exposure
  scaled$units.exposure <- "kg"
  scaled$units.outcome <- "log odds"
  s <- standardise_units(scaled)
  est <- mean(estimate_trait_sd(scaled$beta.exposure, scaled$se.exposure, n, p))
  expect_equal(s$estimated_sd.exposure, rep(est, 40))
  expect_equal(s$beta.exposure, scaled$beta.exposure / est)
  expect_equal(s$se.exposure, scaled$se.exposure / est)
  expect_identical(unique(s$units.exposure), "SD")
  expect_identical(s$beta.outcome, scaled$beta.outcome)
  expect_true(all(is.na(s$estimated_sd.outcome)))
  expect_error(estimate_trait_sd(0.1, 0.01, 100, 1), class = "mrkit_error_input_value")
  expect_error(standardise_units(d[c("id.exposure", "id.outcome")]), class = "mrkit_error_missing_column")
})
