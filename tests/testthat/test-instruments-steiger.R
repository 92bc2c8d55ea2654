# MR Steiger directionality (methods.md 6.2).

# Swap the exposure and outcome sides of a harmonised table.
swap_sides <- function(d) {
  nm <- names(d)
  new <- nm
  is_exp <- grepl("\\.exposure$", nm) | nm == "exposure"
  is_out <- grepl("\\.outcome$", nm) | nm == "outcome"
  new[is_exp] <- sub("exposure$", "outcome", nm[is_exp])
  new[is_out] <- sub("outcome$", "exposure", nm[is_out])
  names(d) <- new
  d
}

test_that("directionality_test matches TwoSampleMR on BMI -> CHD", {
  skip_if_no_shared()
  # Reference: TwoSampleMR 0.7.9 directionality_test(dat), ../shared/reference/bmi_chd.
  ref <- read_shared("reference", "bmi_chd", "directionality_test.csv")
  d <- bmi_chd()
  expect_message(dt <- directionality_test(d), "quantitative")
  expect_named(dt, c("id.exposure", "id.outcome", "exposure", "outcome", "snp_r2.exposure",
                     "snp_r2.outcome", "correct_causal_direction", "steiger_pval",
                     "steiger_pval_log10"))
  expect_identical(dt$id.exposure, ref$id.exposure)
  expect_identical(dt$outcome, ref$outcome)
  expect_lt(rel_diff(dt$snp_r2.exposure, ref$snp_r2.exposure), 1e-10)
  expect_lt(rel_diff(dt$snp_r2.outcome, ref$snp_r2.outcome), 1e-10)
  expect_lt(rel_diff(dt$steiger_pval, ref$pval), 1e-10)
  expect_lt(rel_diff(dt$steiger_pval_log10, log10(ref$pval)), 1e-10)
  expect_identical(dt$correct_causal_direction, ref$correct_causal_direction)
  # mr_keep is not applied: all rows count.
  d2 <- d
  d2$mr_keep[1:10] <- FALSE
  expect_identical(suppressMessages(directionality_test(d2)), dt)
})

test_that("steiger_filtering matches TwoSampleMR on BMI -> CHD (all 79 variants)", {
  skip_if_no_shared()
  # Reference: TwoSampleMR 0.7.9 steiger_filtering(dat), ../shared/reference/bmi_chd.
  ref <- read_shared("reference", "bmi_chd", "steiger_filtering.csv")
  d <- bmi_chd()
  s <- steiger_filtering(d)
  expect_identical(nrow(s), 79L)
  expect_identical(s$SNP, d$SNP)
  m <- match(ref$SNP, s$SNP)
  expect_false(anyNA(m))
  expect_lt(max(rel_diff(s$rsq.exposure[m], ref$rsq.exposure)), 1e-10)
  expect_lt(max(rel_diff(s$rsq.outcome[m], ref$rsq.outcome)), 1e-10)
  expect_lt(max(rel_diff(s$steiger_pval[m], ref$pval)), 1e-10)
  expect_identical(s$steiger_dir[m], ref$steiger_dir)
  expect_equal(s$effective_n.exposure, d$samplesize.exposure)
  expect_true(all(c("units.exposure", "units.outcome") %in% names(s)))
})

test_that("mr_steiger is the Fisher-z test of the aggregate correlations", {
  rx <- c(0.03, -0.02, 0.025); ry <- c(0.002, 0.001, -0.004)
  nx <- c(1e5, 1.2e5, 0.9e5); ny <- 2e5
  s <- mr_steiger(rep(NA, 3), rep(NA, 3), nx, ny, rx, ry)
  Rx <- sqrt(sum(rx^2)); Ry <- sqrt(sum(ry^2))
  z <- (atanh(Rx) - atanh(Ry)) / sqrt(1 / (mean(nx) - 3) + 1 / (2e5 - 3))
  expect_equal(s$r2_exp, Rx^2)
  expect_equal(s$r2_out, Ry^2)
  expect_equal(s$steiger_test, 2 * pnorm(-abs(z)), tolerance = 1e-13)
  expect_true(s$correct_causal_direction)
  # Volumes from r (not r^2), a = max, b = min.
  a <- Rx; b <- Ry
  vz <- a * log(a) - b * log(b) + a * b * (log(b) - log(a))
  vz0 <- -2 * b - b * log(a) - a * b * log(a) + 2 * a * b
  expect_equal(unlist(s[c("vz", "vz0", "vz1", "sensitivity_ratio")]),
               c(vz = vz, vz0 = vz0, vz1 = abs(vz - vz0), sensitivity_ratio = abs(vz - vz0) / vz0))
  expect_named(s, c("r2_exp", "r2_out", "r2_exp_adj", "r2_out_adj", "correct_causal_direction",
                    "steiger_test", "correct_causal_direction_adj", "steiger_test_adj", "vz", "vz0",
                    "vz1", "sensitivity_ratio", "steiger_test_log10", "steiger_test_adj_log10"))
  # Measurement-error adjusted versions divide r2 by the squared precisions.
  sa <- mr_steiger(rep(NA, 3), rep(NA, 3), nx, ny, rx, ry, r_xxo = 0.5, r_yyo = 0.9)
  expect_equal(sa$r2_exp_adj, Rx^2 / 0.25)
  expect_equal(sa$r2_out_adj, Ry^2 / 0.81)
  za <- (atanh(Rx / 0.5) - atanh(Ry / 0.9)) / sqrt(1 / (mean(nx) - 3) + 1 / (2e5 - 3))
  expect_equal(sa$steiger_test_adj, 2 * pnorm(-abs(za)), tolerance = 1e-13)
  expect_identical(sa$r2_exp, s$r2_exp)
  # mr_steiger2 gives the same from supplied r.
  expect_equal(mr_steiger2(rx, ry, nx, ny), s)
  expect_equal(mr_steiger2(rx, ry, nx, ny, r_xxo = 0.5, r_yyo = 0.9), sa)
  expect_error(mr_steiger(0.1, 0.1, 100, 100, r_xxo = 1.5), class = "mrkit_error_parameter")
  expect_error(mr_steiger2(0.1, 0.1, 100, 100, r_yyo = 0), class = "mrkit_error_parameter")
  expect_error(mr_steiger(numeric(0), numeric(0), 100, 100), class = "mrkit_error_input_length")
})

test_that("a huge difference in variance explained gives p > 0 and its exact log10 p-value", {
  # r_x = 0.9 vs r_y = 0.01 with a million samples each: z ~ 1040, p ~ 1e-235000.
  s <- mr_steiger(NA, NA, 1e6, 1e6, r_exp = 0.9, r_out = 0.01)
  z <- (atanh(0.9) - atanh(0.01)) / sqrt(2 / (1e6 - 3))
  expect_gt(z, 1000)
  expect_identical(s$steiger_test, .Machine$double.xmin)
  # log(2 Phi(-z)) = log(2 phi(z) / z) + log(1 - 1/z^2 + 3/z^4 - 15/z^6): Mills' ratio series.
  ref <- (log(2) - z^2 / 2 - log(z) - 0.5 * log(2 * pi) + log1p(-1 / z^2 + 3 / z^4 - 15 / z^6)) / log(10)
  expect_lt(abs(s$steiger_test_log10 / ref - 1), 1e-12)
  d <- sim(nsnp = 3, seed = 1)
  d$r.exposure <- 0.5; d$r.outcome <- 0.01
  d$samplesize.exposure <- 1e6; d$samplesize.outcome <- 1e6
  dt <- directionality_test(d)
  expect_identical(dt$steiger_pval, .Machine$double.xmin)
  expect_lt(dt$steiger_pval_log10, -1e5)
})

test_that("mr_steiger fills missing r from p and n, with TwoSampleMR's NA rule", {
  p_exp <- c(1e-10, 1e-12, 1e-9); p_out <- c(0.01, 0.2, 0.05); n <- 1e5
  s <- mr_steiger(p_exp, p_out, n, 2e5)
  expect_equal(s$r2_exp, sum(get_r_from_pn(p_exp, rep(1e5, 3))^2))
  expect_equal(s$r2_out, sum(get_r_from_pn(p_out, rep(2e5, 3))^2))
  # A variant missing only the exposure correlation is dropped from both sums ...
  s2 <- mr_steiger(c(NA, p_exp[-1]), p_out, n, 2e5)
  expect_equal(s2$r2_exp, sum(get_r_from_pn(p_exp[-1], c(1e5, 1e5))^2))
  expect_equal(s2$r2_out, sum(get_r_from_pn(p_out[-1], c(2e5, 2e5))^2))
  # ... one missing the outcome correlation makes the test NA, with a classed warning.
  expect_warning(s3 <- mr_steiger(p_exp, c(NA, p_out[-1]), n, 2e5), class = "mrkit_warning_missing_values")
  expect_true(is.na(s3$steiger_test))
  expect_warning(s4 <- mr_steiger2(c(0.1, NA), c(0.01, 0.02), 100, 100), class = "mrkit_warning_missing_values")
  expect_true(is.na(s4$steiger_test))
  expect_true(is.na(s4$sensitivity_ratio))
  # Aggregate r of 1 or more (variants not independent): NA with a classed warning.
  expect_warning(s5 <- mr_steiger2(rep(0.6, 3), rep(0.1, 3), 1000, 1000), class = "mrkit_warning_r_above_one")
  expect_true(is.na(s5$steiger_test))
  expect_true(s5$correct_causal_direction)
})

test_that("Steiger finds the simulated direction and flags the reversed one", {
  d <- sim(nsnp = 40, b = 0.2, fstat = 50, seed = 11)
  # The outcome's variance explained is about b^2 times the exposure's.
  dt <- suppressMessages(directionality_test(d))
  expect_true(dt$correct_causal_direction)
  expect_lt(dt$steiger_pval, 1e-10)
  sw <- swap_sides(d)
  dr <- suppressMessages(directionality_test(sw))
  expect_false(dr$correct_causal_direction)
  expect_lt(dr$steiger_pval, 1e-10)
  expect_equal(dr$snp_r2.exposure, dt$snp_r2.outcome)
  sf <- steiger_filtering(d)
  expect_gt(mean(sf$steiger_dir), 0.9)
  sr <- steiger_filtering(sw)
  expect_lt(mean(sr$steiger_dir), 0.1)
  expect_equal(sr$steiger_pval, sf$steiger_pval)
  # Per variant: rsq from 2 b^2 eaf (1 - eaf) (SD units) and the Fisher-z test.
  z <- (atanh(sqrt(sf$rsq.exposure)) - atanh(sqrt(sf$rsq.outcome))) /
    sqrt(1 / (d$samplesize.exposure - 3) + 1 / (d$samplesize.outcome - 3))
  expect_equal(sf$steiger_pval, 2 * pnorm(-abs(z)))
})

test_that("steiger_filtering on a binary outcome uses the liability scale", {
  d <- sim(nsnp = 12, outcome_type = "binary", seed = 14)
  expect_warning(sf <- steiger_filtering(d), class = "mrkit_warning_prevalence_assumed")
  r_out <- get_r_from_lor(d$beta.outcome, d$eaf.outcome, d$ncase.outcome, d$ncontrol.outcome, 0.1)
  expect_equal(sf$rsq.outcome, r_out^2, tolerance = 1e-14)
  neff <- effective_n(d$ncase.outcome, d$ncontrol.outcome)
  expect_equal(sf$effective_n.outcome, neff)
  z <- (atanh(sqrt(sf$rsq.exposure)) - atanh(abs(r_out))) / sqrt(1 / (d$samplesize.exposure - 3) + 1 / (neff - 3))
  expect_equal(sf$steiger_pval, 2 * pnorm(-abs(z)), tolerance = 1e-12)
})

test_that("directionality_test uses r.exposure / r.outcome when given", {
  d <- sim(nsnp = 25, outcome_type = "binary", seed = 12)
  d$r.exposure <- get_r_from_bsen(d$beta.exposure, d$se.exposure, d$samplesize.exposure)
  d$r.outcome <- get_r_from_lor(d$beta.outcome, d$eaf.outcome, d$ncase.outcome, d$ncontrol.outcome, 0.05)
  expect_no_message(dt <- directionality_test(d))
  s <- mr_steiger2(d$r.exposure, d$r.outcome, d$samplesize.exposure, d$samplesize.outcome)
  expect_equal(dt$snp_r2.exposure, s$r2_exp)
  expect_equal(dt$steiger_pval, s$steiger_test)
})

test_that("pairs come out in TwoSampleMR's order", {
  a <- sim(nsnp = 10, seed = 1, id_exposure = "b-exp")
  b <- sim(nsnp = 12, seed = 2, id_exposure = "a-exp")
  d <- rbind(a, b)
  dt <- suppressMessages(directionality_test(d))
  expect_identical(dt$id.exposure, c("a-exp", "b-exp"))
  expect_equal(dt$snp_r2.exposure[2], suppressMessages(directionality_test(a))$snp_r2.exposure)
  # steiger_filtering: pairs in order of first appearance, rows in input order within.
  mixed <- d[c(1, 11, 2:10, 12:22), ]
  sf <- steiger_filtering(mixed)
  expect_identical(sf$SNP, c(a$SNP, b$SNP))
  expect_identical(sf$id.exposure, rep(c("b-exp", "a-exp"), c(10, 12)))
  expect_equal(sf$rsq.exposure[1:10], steiger_filtering(a)$rsq.exposure)
})

test_that("edge cases give classed conditions or NA rows, not internal errors", {
  d <- sim(nsnp = 8, seed = 13)
  # Missing columns needed for the approximation.
  nos <- d
  nos$samplesize.outcome <- NULL
  expect_error(suppressMessages(directionality_test(nos)), class = "mrkit_error_missing_column")
  expect_error(steiger_filtering(d[c("id.exposure", "SNP")]), class = "mrkit_error_missing_column")
  # Missing sample sizes on some rows: NA results with a warning.
  na_n <- d
  na_n$samplesize.outcome[2] <- NA
  expect_warning(dt <- suppressMessages(directionality_test(na_n)), class = "mrkit_warning_missing_values")
  expect_true(is.na(dt$steiger_pval))
  na_n$units.outcome <- NA
  expect_warning(sf <- steiger_filtering(na_n), class = "mrkit_warning_missing_values")
  expect_identical(which(is.na(sf$steiger_pval)), 2L)
  # NA effect.
  na_b <- d
  na_b$beta.exposure[3] <- NA
  expect_warning(sf <- steiger_filtering(na_b), class = "mrkit_warning_missing_values")
  expect_identical(which(is.na(sf$steiger_pval)), 3L)
  # n <= 2 and n <= 3.
  small <- d
  small$units.exposure <- NA
  small$samplesize.exposure[1:2] <- c(2, 3)
  expect_warning(expect_warning(sf <- steiger_filtering(small), class = "mrkit_warning_small_n"),
                 class = "mrkit_warning_missing_values")
  expect_identical(which(is.na(sf$steiger_pval)), 1:2)
  # p = 0 in directionality_test: that variant's r is NA (classed warning) and is dropped.
  p0 <- d
  p0$pval.exposure[1] <- 0
  expect_warning(dt0 <- suppressMessages(directionality_test(p0)), class = "mrkit_warning_p_zero")
  expect_equal(dt0$snp_r2.exposure,
               suppressMessages(directionality_test(d[-1, ]))$snp_r2.exposure)
  # ... and in steiger_filtering (floored at 1e-300, the SD-unit rsq does not use it).
  expect_no_warning(steiger_filtering(p0))
  # Units that differ within a pair.
  mix <- d
  mix$units.exposure[1] <- "kg"
  expect_error(steiger_filtering(mix), class = "mrkit_error_input_value")
  expect_snapshot(steiger_filtering(mix), error = TRUE)
  # Zero rows.
  expect_identical(nrow(directionality_test(d[0, ])), 0L)
  expect_identical(nrow(steiger_filtering(d[0, ])), 0L)
})

test_that("directionality_test and steiger_filtering agree on a binary outcome's R2 with r2_method = 'add_rsq'", {
  # The simulated example outcome is binary (log odds, 59,400 cases / 120,600 controls).
  h <- suppressMessages(harmonise_data(example_exposure, example_outcome))
  h$prevalence.outcome <- 0.05
  sf <- steiger_filtering(h)
  dt <- directionality_test(h, r2_method = "add_rsq")
  expect_equal(dt$snp_r2.outcome, sum(sf$rsq.outcome), tolerance = 1e-12)
  expect_equal(dt$snp_r2.exposure, sum(sf$rsq.exposure), tolerance = 1e-12)
  # The liability-scale R2 of each variant, by hand from the log odds ratio (Lee et al.
  # 2011 via get_r_from_lor), is what both use.
  lor_r2 <- get_r_from_lor(h$beta.outcome, h$eaf.outcome, h$ncase.outcome, h$ncontrol.outcome, 0.05)^2
  expect_equal(sum(sf$rsq.outcome), sum(lor_r2), tolerance = 1e-12)
  # The default is TwoSampleMR's quantitative approximation from p-values: another number.
  d0 <- suppressMessages(directionality_test(h))
  r_pn <- get_r_from_pn(h$pval.outcome, h$samplesize.outcome)
  expect_equal(d0$snp_r2.outcome, sum(r_pn^2), tolerance = 1e-12)
  expect_gt(abs(d0$snp_r2.outcome - dt$snp_r2.outcome), 1e-4)
  expect_error(directionality_test(h, r2_method = "nope"))
})
