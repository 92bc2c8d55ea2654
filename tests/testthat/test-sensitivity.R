# Reference values: ../shared/reference/bmi_chd (TwoSampleMR 0.7.9 on the 79-SNP BMI -> CHD
# data; see its README for the exact calls).

# A harmonised table of several exposure-outcome pairs made from simulated pairs.
stack_pairs <- function(...) {
  parts <- list(...)
  do.call(rbind, lapply(parts, function(p) {
    d <- sim(nsnp = p$nsnp, b = p$b %||% 0.2, seed = p$seed %||% 1)
    d$id.exposure <- p$exp; d$id.outcome <- p$out
    d$exposure <- paste("Exposure", p$exp); d$outcome <- paste("Outcome", p$out)
    if (!is.null(p$keep)) d$mr_keep <- p$keep
    d
  }))
}
`%||%` <- function(x, y) if (is.null(x)) y else x

test_that("mr_heterogeneity equals TwoSampleMR on BMI -> CHD (MR Egger, IVW) to 1e-10", {
  skip_if_no_shared()
  ref <- read_shared("reference", "bmi_chd", "heterogeneity.csv")
  h <- mr_heterogeneity(bmi_chd())
  expect_named(h, c("id.exposure", "id.outcome", "outcome", "exposure", "method", "Q", "Q_df",
                    "Q_pval", "I2", "Q_pval_log10"))
  expect_identical(h$method, c("MR Egger", "Inverse variance weighted"))
  r <- ref[match(h$method, ref$method), ]
  expect_identical(h$exposure, r$exposure)
  expect_identical(h$outcome, r$outcome)
  for (stat in c("Q", "Q_df", "Q_pval")) expect_lt(max(rel_diff(h[[stat]], r[[stat]])), 1e-10)
  expect_equal(h$I2, pmax(0, (r$Q - r$Q_df) / r$Q), tolerance = 1e-12)
  expect_equal(h$Q_pval_log10, log10(r$Q_pval), tolerance = 1e-10)
})

test_that("a huge Q has p > 0 and its exact log10 p-value", {
  # Three variants with wildly different ratios: IVW's Q on 2 df, whose upper tail is
  # exp(-Q / 2) exactly, so log10 p = -Q / (2 log 10).
  d <- sim(nsnp = 3, b = 0.3, seed = 1)
  d$beta.exposure <- c(0.1, 0.1, 0.1)
  d$beta.outcome <- c(-1, 0.03, 1)
  d$se.outcome <- 0.01
  h <- mr_heterogeneity(d, method_list = "mr_ivw")
  expect_gt(h$Q, 1e4)
  expect_identical(h$Q_pval, .Machine$double.xmin)
  expect_lt(abs(h$Q_pval_log10 / (-h$Q / (2 * log(10))) - 1), 1e-12)
  # MR-Egger's Q' with four variants: 2 df as well.
  d4 <- sim(nsnp = 4, b = 0.3, seed = 1)
  d4$beta.exposure <- c(0.1, 0.2, 0.3, 0.4)
  d4$beta.outcome <- c(0.1, -1, 1, 0.1)
  d4$se.outcome <- 0.01
  e <- mr_heterogeneity(d4, method_list = "mr_egger_regression")
  expect_identical(e$Q_df, 2)
  expect_identical(e$Q_pval, .Machine$double.xmin)
  expect_lt(abs(e$Q_pval_log10 / (-e$Q / (2 * log(10))) - 1), 1e-12)
})

test_that("mr_heterogeneity equals TwoSampleMR for ML, IVW radial and UWR rows", {
  skip_if_no_shared()
  skip_if_not(all(c("mr_two_sample_ml", "mr_ivw_radial", "mr_uwr") %in% mrkit:::cpp_registered_methods()))
  ref <- read_shared("reference", "bmi_chd", "heterogeneity.csv")
  methods <- c("mr_two_sample_ml", "mr_egger_regression", "mr_ivw", "mr_ivw_radial", "mr_uwr")
  h <- mr_heterogeneity(bmi_chd(), method_list = methods)
  expect_identical(h$method, ref$method)
  det <- h$method != "Maximum likelihood"
  for (stat in c("Q", "Q_df", "Q_pval")) expect_lt(max(rel_diff(h[[stat]][det], ref[[stat]][det])), 1e-10)
  # Maximum likelihood: TwoSampleMR's Nelder-Mead over 80 parameters stops at its iteration
  # limit before converging (Q 141.82); mrkit's exact optimum has a smaller Q (140.74).
  ml <- !det
  expect_lte(h$Q[ml], ref$Q[ml])
  expect_lt(rel_diff(h$Q[ml], ref$Q[ml]), 0.01)
  expect_equal(h$Q_df[ml], ref$Q_df[ml])
})

test_that("mr_pleiotropy_test equals TwoSampleMR on BMI -> CHD to 1e-10", {
  skip_if_no_shared()
  ref <- read_shared("reference", "bmi_chd", "pleiotropy_test.csv")
  p <- mr_pleiotropy_test(bmi_chd())
  expect_named(p, c("id.exposure", "id.outcome", "outcome", "exposure", "egger_intercept", "se", "pval"))
  expect_lt(rel_diff(p$egger_intercept, ref$estimate), 1e-10)
  expect_lt(rel_diff(p$se, ref$se), 1e-10)
  expect_lt(rel_diff(p$pval, ref$pval), 1e-10)
})

test_that("mr_leaveoneout equals TwoSampleMR on BMI -> CHD (80 rows) to 1e-10", {
  skip_if_no_shared()
  ref <- read_shared("reference", "bmi_chd", "leaveoneout.csv")
  l <- mr_leaveoneout(bmi_chd())
  expect_named(l, c("exposure", "outcome", "id.exposure", "id.outcome", "samplesize", "SNP", "b", "se", "p"))
  expect_identical(nrow(l), 80L)
  expect_identical(l$SNP, ref$SNP_left_out)
  expect_equal(l$samplesize, ref$samplesize)
  expect_lt(max(rel_diff(l$b, ref$estimate)), 1e-10)
  expect_lt(max(rel_diff(l$se, ref$se)), 1e-10)
  expect_lt(max(rel_diff(l$p, ref$pval)), 1e-10)
  # The generic path (every subset refitted) gives the same numbers.
  d <- bmi_chd()
  g <- mrkit:::cpp_leave_one_out(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome,
                                 "mr_ivw", default_parameters(), rep(0, 80), 1L, FALSE)
  expect_lt(max(rel_diff(g$b, ref$estimate)), 1e-10)
  expect_lt(max(rel_diff(g$se, ref$se)), 1e-10)
})

test_that("mr_singlesnp equals TwoSampleMR on BMI -> CHD (81 rows) to 1e-10", {
  skip_if_no_shared()
  ref <- read_shared("reference", "bmi_chd", "singlesnp.csv")
  s <- mr_singlesnp(bmi_chd())
  expect_named(s, c("exposure", "outcome", "id.exposure", "id.outcome", "samplesize", "SNP", "b", "se", "p"))
  expect_identical(nrow(s), 81L)
  expect_identical(s$SNP, ref$SNP)
  expect_equal(s$samplesize, ref$samplesize)
  expect_lt(max(rel_diff(s$b, ref$estimate)), 1e-10)
  expect_lt(max(rel_diff(s$se, ref$se)), 1e-10)
  expect_lt(max(rel_diff(s$p, ref$pval)), 1e-10)
})

test_that("closed-form IVW leave-one-out equals the generic path to 1e-12", {
  d <- sim(nsnp = 40, b = 0.3, pleiotropy = "balanced", seed = 7)
  cases <- list(list("mr_ivw", default_parameters()), list("mr_ivw_mre", default_parameters()),
                list("mr_ivw_fe", default_parameters()),
                list("mr_ivw", default_parameters(convention = "MendelianRandomization")),
                list("mr_ivw", default_parameters(distribution = "t")))
  for (sub in list(d, d[1:4, ], d[1:3, ])) {
    for (cs in cases) {
      run <- function(fast) mrkit:::cpp_leave_one_out(sub$beta.exposure, sub$beta.outcome, sub$se.exposure,
                                                      sub$se.outcome, cs[[1]], cs[[2]],
                                                      rep(0, nrow(sub) + 1), 1L, fast)
      f <- run(TRUE); g <- run(FALSE)
      expect_lt(max(rel_diff(f$b, g$b)), 1e-12)
      expect_lt(max(rel_diff(f$se, g$se)), 1e-12)
      expect_lt(max(rel_diff(f$pval, g$pval)), 1e-10)
      expect_identical(f$nsnp, g$nsnp)
    }
  }
  # Each generic leave-one-out row is the method refitted without that variant.
  l <- mr_leaveoneout(d[1:5, ], method = "mr_ivw_fe")
  for (j in 1:5) {
    r <- mr_ivw_fe(d$beta.exposure[1:5][-j], d$beta.outcome[1:5][-j], d$se.exposure[1:5][-j], d$se.outcome[1:5][-j])
    expect_equal(l$b[j], r$b, tolerance = 1e-12)
    expect_equal(l$se[j], r$se, tolerance = 1e-12)
  }
})

test_that("leave-one-out and single-SNP results do not depend on the number of threads", {
  d <- sim(nsnp = 60, b = 0.2, pleiotropy = "directional", seed = 11)
  expect_identical(mr_leaveoneout(d, method = "mr_egger_regression", threads = 1),
                   mr_leaveoneout(d, method = "mr_egger_regression", threads = 2))
  expect_identical(mr_singlesnp(d, threads = 1), mr_singlesnp(d, threads = 2))
  g <- function(th) mrkit:::cpp_leave_one_out(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome,
                                               "mr_ivw", default_parameters(), rep(0, 61), th, FALSE)
  expect_identical(g(1L), g(2L))
})

test_that("resampling methods in leave-one-out take one seed per subset from R's RNG", {
  skip_if_not("mr_weighted_median" %in% mrkit:::cpp_registered_methods())
  d <- sim(nsnp = 12, b = 0.2, seed = 5)
  p <- default_parameters(nboot = 200)
  run <- function(threads) {
    set.seed(42)
    mr_leaveoneout(d, parameters = p, method = "mr_weighted_median", threads = threads)
  }
  a <- run(1)
  expect_identical(a, run(2))
  set.seed(43)
  b <- mr_leaveoneout(d, parameters = p, method = "mr_weighted_median")
  expect_false(identical(a$se, b$se))
  expect_identical(nrow(a), 13L)
})

test_that("methods can be given as functions or names", {
  d <- sim(nsnp = 8, seed = 2)
  expect_identical(mr_leaveoneout(d, method = mr_ivw), mr_leaveoneout(d, method = "mr_ivw"))
  expect_identical(mr_leaveoneout(d, method = mr_egger_regression),
                   mr_leaveoneout(d, method = "mr_egger_regression"))
  expect_identical(mr_leaveoneout(d, method = mrkit::mr_ivw_fe), mr_leaveoneout(d, method = "mr_ivw_fe"))
  expect_identical(mr_singlesnp(d, single_method = mr_wald_ratio, all_method = list(mr_ivw, mr_egger_regression)),
                   mr_singlesnp(d))
  s <- mr_singlesnp(d, all_method = "mr_ivw_fe")
  expect_identical(tail(s$SNP, 1), "All - Inverse variance weighted (fixed effects)")
  expect_error(mr_leaveoneout(d, method = "mr_nonsense"), class = "mrkit_error_unknown_method")
  expect_error(mr_leaveoneout(d, method = function(...) 1), class = "mrkit_error_unknown_method")
  expect_error(mr_singlesnp(d, all_method = c("mr_ivw", "mr_presso")), class = "mrkit_error_unknown_method")
  expect_error(mr_heterogeneity(d, method_list = "mr_nonsense"), class = "mrkit_error_unknown_method")
  expect_snapshot(mr_leaveoneout(d, method = "mr_nonsense"), error = TRUE)
})

test_that("0, 1, 2 and 3 variants give TwoSampleMR's rows", {
  d <- sim(nsnp = 3, b = 0.3, seed = 4)
  none <- d; none$mr_keep <- FALSE
  expect_message(h0 <- mr_heterogeneity(none), "Not enough SNPs")
  expect_identical(nrow(h0), 0L)
  expect_message(p0 <- mr_pleiotropy_test(none), "Not enough SNPs")
  expect_identical(nrow(p0), 0L)
  l0 <- mr_leaveoneout(none)
  expect_identical(l0$SNP, "All")
  expect_true(is.na(l0$b) && is.na(l0$samplesize))
  expect_identical(l0$exposure, d$exposure[1])
  s0 <- mr_singlesnp(none)
  expect_identical(s0$SNP, "No available data")
  expect_true(is.na(s0$b))

  one <- d[1, ]
  expect_message(h1 <- mr_heterogeneity(one), "Not enough SNPs")
  expect_identical(nrow(h1), 0L)
  l1 <- mr_leaveoneout(one)
  expect_identical(l1$SNP, "All")
  expect_true(is.na(l1$b))
  s1 <- mr_singlesnp(one)
  expect_identical(s1$SNP, c(one$SNP, "All - Inverse variance weighted", "All - MR Egger"))
  expect_equal(s1$b[1], one$beta.outcome / one$beta.exposure, tolerance = 1e-14)
  expect_equal(s1$se[1], one$se.outcome / abs(one$beta.exposure), tolerance = 1e-14)
  expect_true(all(is.na(s1$b[2:3])))

  two <- d[1:2, ]
  h2 <- mr_heterogeneity(two)
  expect_identical(h2$method, "Inverse variance weighted")
  expect_equal(h2$Q_df, 1)
  expect_message(p2 <- mr_pleiotropy_test(two), "needs at least 3 SNPs", class = "mrkit_message_too_few_snps")
  expect_identical(nrow(p2), 1L)
  expect_true(is.na(p2$egger_intercept) && is.na(p2$se) && is.na(p2$pval))
  l2 <- mr_leaveoneout(two)
  expect_identical(l2$SNP, "All")
  expect_equal(l2$b, mr_ivw(two$beta.exposure, two$beta.outcome, two$se.exposure, two$se.outcome)$b)
  s2 <- mr_singlesnp(two)
  expect_identical(nrow(s2), 4L)
  expect_false(is.na(s2$b[3]))
  expect_true(is.na(s2$b[4]))

  h3 <- mr_heterogeneity(d)
  expect_identical(h3$Q_df, c(1, 2))
  l3 <- mr_leaveoneout(d)
  expect_identical(l3$SNP, c(d$SNP, "All"))
  r <- mr_ivw(d$beta.exposure[-2], d$beta.outcome[-2], d$se.exposure[-2], d$se.outcome[-2])
  expect_equal(c(l3$b[2], l3$se[2], l3$p[2]), c(r$b, r$se, r$pval), tolerance = 1e-12)
})

test_that("rows without effects or with mr_keep FALSE are not used", {
  d <- sim(nsnp = 10, b = 0.2, seed = 8)
  d2 <- d; d2$mr_keep[3] <- FALSE; d2$beta.outcome[5] <- NA
  l <- mr_leaveoneout(d2)
  expect_identical(l$SNP, c(d$SNP[-c(3, 5)], "All"))
  expect_equal(l$b, mr_leaveoneout(d[-c(3, 5), ])$b)
  expect_identical(mr_singlesnp(d2)$SNP[1:8], d$SNP[-c(3, 5)])
  expect_equal(mr_heterogeneity(d2)$Q_df, c(6, 7))
  no_n <- d; no_n$samplesize.outcome <- NULL
  expect_true(all(is.na(mr_leaveoneout(no_n)$samplesize)))
  expect_error(mr_leaveoneout(d[setdiff(names(d), "se.outcome")]), class = "mrkit_error_missing_column")
})

test_that("several exposure-outcome pairs give rows per pair in TwoSampleMR's order", {
  dat <- stack_pairs(list(exp = "e2", out = "o1", nsnp = 6, seed = 1),
                     list(exp = "e1", out = "o2", nsnp = 5, seed = 2),
                     list(exp = "e1", out = "o1", nsnp = 2, seed = 3),
                     list(exp = "e3", out = "o1", nsnp = 4, seed = 4, keep = FALSE))
  expect_message(h <- mr_heterogeneity(dat), "e3")
  expect_identical(paste(h$id.exposure, h$id.outcome, h$method),
                   c("e1 o1 Inverse variance weighted", "e1 o2 MR Egger", "e1 o2 Inverse variance weighted",
                     "e2 o1 MR Egger", "e2 o1 Inverse variance weighted"))
  sub <- dat[dat$id.exposure == "e2", ]
  expect_equal(h$Q[4:5], mr_heterogeneity(sub)$Q)
  expect_message(p <- mr_pleiotropy_test(dat))
  expect_identical(paste(p$id.exposure, p$id.outcome), c("e1 o1", "e1 o2", "e2 o1"))
  expect_true(is.na(p$egger_intercept[1]))
  l <- mr_leaveoneout(dat)
  expect_identical(unique(paste(l$id.exposure, l$id.outcome)), c("e1 o1", "e1 o2", "e2 o1", "e3 o1"))
  expect_identical(as.vector(table(factor(paste(l$id.exposure, l$id.outcome), unique(paste(l$id.exposure, l$id.outcome))))),
                   c(1L, 6L, 7L, 1L))
  expect_equal(l$b[l$id.exposure == "e2"], mr_leaveoneout(sub)$b)
  expect_identical(l$exposure[nrow(l)], "Exposure e3")
  s <- mr_singlesnp(dat)
  expect_identical(as.vector(table(factor(paste(s$id.exposure, s$id.outcome), unique(paste(s$id.exposure, s$id.outcome))))),
                   c(4L, 7L, 8L, 1L))
  expect_identical(s$SNP[nrow(s)], "No available data")
})

test_that("IVW confidence intervals cover the true effect without and with balanced pleiotropy", {
  cover <- function(pleiotropy, seed0) {
    dat <- do.call(rbind, lapply(seq_len(400), function(i) {
      d <- sim(nsnp = 25, b = 0.3, pleiotropy = pleiotropy, prop_invalid = 0.3, seed = seed0 + i)
      d$id.exposure <- sprintf("e%03d", i)
      d
    }))
    r <- mr(dat, method_list = "mr_ivw")
    mean(r$lo_ci <= 0.3 & 0.3 <= r$up_ci)
  }
  expect_gte(cover("none", 1000), 0.90)
  expect_gte(cover("balanced", 2000), 0.90)
})

test_that("MR-Egger covers the truth under directional pleiotropy (InSIDE) and its intercept test holds its size", {
  reps <- function(pleiotropy, seed0, ...) {
    do.call(rbind, lapply(seq_len(400), function(i) {
      d <- sim(nsnp = 40, b = 0.3, pleiotropy = pleiotropy, seed = seed0 + i, ...)
      d$id.exposure <- sprintf("e%03d", i)
      d
    }))
  }
  dir <- reps("directional", 3000, prop_invalid = 1, pleiotropy_mean = 0.5, pleiotropy_sd = 0.3)
  s <- mr_singlesnp(dir, all_method = "mr_egger_regression")
  eg <- s[s$SNP == "All - MR Egger", ]
  q <- stats::qt(0.975, 38)
  expect_gte(mean(eg$b - q * eg$se <= 0.3 & 0.3 <= eg$b + q * eg$se), 0.90)
  # The scenario discriminates: IVW, biased by the pleiotropy, does not cover.
  ivw <- mr(dir, method_list = "mr_ivw")
  expect_lt(mean(ivw$lo_ci <= 0.3 & 0.3 <= ivw$up_ci), 0.5)
  expect_gt(mean(mr_pleiotropy_test(dir)$pval < 0.05), 0.5)  # power against directional pleiotropy
  # Strong instruments (I2_GX about 0.96): with I2_GX about 0.8 (fstat = 50) regression
  # dilution of the slope biases the intercept and the rejection rate is about 11%.
  size <- mean(mr_pleiotropy_test(reps("none", 4000, fstat = 300))$pval < 0.05)
  expect_gte(size, 0.02)
  expect_lte(size, 0.08)
})
