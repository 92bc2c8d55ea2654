two_pairs <- function() {
  a <- sim(nsnp = 25, b = 0.3, pleiotropy = "outliers", seed = 31)
  b <- sim(nsnp = 15, b = 0.1, pleiotropy = "none", seed = 32, id_outcome = "out2", outcome = "Outcome 2")
  rbind(a, b)
}

test_that("Q and radial flags are tested at alpha after a multiplicity adjustment within the pair", {
  dat <- two_pairs()
  out <- mr_outliers(dat, methods = c("q", "radial"))
  expect_s3_class(out, "mrkit_outliers")
  expect_equal(nrow(out), 40L)
  expect_equal(unique(out$id.outcome), c("out1", "out2"))
  for (o in c("out1", "out2")) {
    d <- dat[dat$id.outcome == o, ]
    t <- out[out$id.outcome == o, ]
    J <- nrow(d)
    expect_equal(t$SNP, d$SNP)
    bx <- d$beta.exposure; by <- d$beta.outcome; sx <- d$se.exposure; sy <- d$se.outcome
    th <- sum(bx * by / sy^2) / sum(bx^2 / sy^2)
    expect_equal(t$Qj, (by - th * bx)^2 / sy^2, tolerance = 1e-10)
    expect_equal(sum(t$Qj), mr_ivw(bx, by, sx, sy)$Q, tolerance = 1e-10)
    p <- stats::pchisq(t$Qj, 1, lower.tail = FALSE)
    expect_equal(t$Qj_pval, p)
    # Bonferroni by hand: J times the p-value, capped at 1.
    expect_equal(t$Qj_padj, pmin(1, J * p))
    expect_equal(t$q_outlier, J * p < 0.05)
    rad <- mr_radial_ivw(bx, by, sx, sy, default_parameters(nboot = 2), snps = d$SNP)
    expect_equal(t$radial_Qj, rad$snps$Qj, tolerance = 1e-10)
    expect_equal(t$radial_outlier, J * rad$snps$Qj_pval < 0.05)
    expect_equal(t$outlier, t$q_outlier | t$radial_outlier)
  }
  # The 5 planted outliers of pair 1 (10 outcome SEs) pass Bonferroni, and one valid
  # variant that the outliers pull away from the IVW line; pair 2 has none.
  planted <- attr(sim(nsnp = 25, b = 0.3, pleiotropy = "outliers", seed = 31), "truth")$invalid
  q1 <- out$q_outlier[out$id.outcome == "out1"]
  expect_equal(sum(planted), 5L)
  expect_equal(which(q1 & !planted), 20L)
  expect_true(all(q1[planted]))
  expect_false(any(out$outlier[out$id.outcome == "out2"]))
  # Nominal testing flags more: every variant with p < 0.05.
  nominal <- mr_outliers(dat, methods = "q", p_adjust = "none")
  expect_equal(nominal$q_outlier, nominal$Qj_pval < 0.05)
  expect_gt(sum(nominal$q_outlier), sum(out$q_outlier))
  holm <- mr_outliers(dat, methods = "q", p_adjust = "holm")
  expect_equal(holm$Qj_padj[1:25], stats::p.adjust(out$Qj_pval[1:25], "holm"))
  expect_false("radial_Qj" %in% names(holm))
})

test_that("MR-PRESSO flags are carried as numbers, also below the resolution J / NbDistribution", {
  # 30 variants at 500 draws: corrected p-values move in steps of 0.06, above 0.05; a
  # corrected p of 0 ("<0.06" in MRPRESSO's text) is still an outlier by MR-PRESSO's rule.
  d <- sim(nsnp = 30, b = 0.3, pleiotropy = "outliers", prop_invalid = 0.1, seed = 3)
  w <- capture_warnings(o <- mr_outliers(d, methods = "presso", NbDistribution = 500, seed = 1))
  expect_match(w, "cannot be reached", all = FALSE)
  planted <- attr(d, "truth")$invalid
  expect_equal(o$presso_pval[planted], rep(0, 3))
  expect_equal(o$presso_outlier, planted)
  expect_equal(o$outlier, planted)
  expect_equal(unique(o$presso_global_pval), 0)
  ref <- suppressWarnings(mr_presso(d, OUTLIERtest = TRUE, NbDistribution = 500, seed = 1))
  expect_identical(ref$`MR-PRESSO results`$`Outlier Test`$Pvalue[planted], rep("<0.06", 3))
  expect_equal(o$presso_pval, attr(ref, "mrkit")$outlier_p)
  # Without pleiotropy the global test is not significant: no outlier test, nothing flagged.
  n <- sim(nsnp = 30, b = 0.3, seed = 4)
  o0 <- mr_outliers(n, methods = "presso", NbDistribution = 1000, seed = 1)
  g <- attr(suppressWarnings(mr_presso(n, NbDistribution = 1000, seed = 1)), "mrkit")$global_p
  expect_gt(g, 0.05)
  expect_equal(o0$presso_global_pval, rep(g, 30))
  expect_equal(o0$presso_pval, rep(NA_real_, 30))
  expect_equal(o0$presso_outlier, rep(FALSE, 30))
  # Pairs with fewer than 4 variants get no MR-PRESSO flag.
  o3 <- mr_outliers(n[1:3, ], methods = "presso")
  expect_equal(o3$presso_outlier, rep(NA, 3))
  expect_equal(o3$outlier, rep(FALSE, 3))
  expect_error(mr_outliers(n, methods = "presso", NbDistributon = 10), class = "mrkit_error_parameter")
})

test_that("mr_without_outliers removes MR-PRESSO outliers by default, with the rule in the audit", {
  d <- sim(nsnp = 30, b = 0.3, pleiotropy = "outliers", prop_invalid = 0.1, seed = 3)
  planted <- attr(d, "truth")$invalid
  d$mr_keep[5] <- FALSE
  expect_message(res <- mr_without_outliers(d, method_list = "mr_ivw", NbDistribution = 1000, seed = 1),
                 class = "mrkit_message_rows_dropped")
  ref <- mr(d[!planted, ], method_list = "mr_ivw")
  expect_equal(res$b, ref$b)
  expect_equal(res$nsnp, 26L)
  audit <- attr(res, "audit")
  expect_equal(audit$SNP, c(d$SNP[5], d$SNP[planted]))
  expect_equal(audit$reason, c("mr_keep is FALSE", rep("outlier by MR-PRESSO (global p < 0.05; corrected outlier p <= 0.05; NbDistribution = 1000)", 3)))
  expect_equal(attr(attr(res, "outliers"), "methods"), "presso")
  expect_snapshot(invisible(mr_without_outliers(d, method_list = "mr_ivw", NbDistribution = 1000, seed = 1)))
})

test_that("Q and radial removal only by argument, Bonferroni-adjusted, several pairs at once", {
  dat <- two_pairs()
  out <- mr_outliers(dat, methods = c("q", "radial"))
  res <- suppressMessages(mr_without_outliers(dat, out, flag = c("q", "radial"),
                                              method_list = c("mr_ivw", "mr_egger_regression")))
  flagged <- paste(out$id.outcome, out$SNP)[out$outlier]
  kept <- dat[!paste(dat$id.outcome, dat$SNP) %in% flagged, ]
  ref <- mr(kept, method_list = c("mr_ivw", "mr_egger_regression"))
  expect_equal(res$b, ref$b)
  expect_equal(res$nsnp, ref$nsnp)
  audit <- attr(res, "audit")
  expect_setequal(paste(audit$id.outcome, audit$SNP), flagged)
  both <- "outlier by Q (bonferroni-adjusted p < 0.05) and radial Q (bonferroni-adjusted p < 0.05)"
  expect_equal(audit$reason, ifelse(out$q_outlier & out$radial_outlier, both,
                                    ifelse(out$q_outlier, "outlier by Q (bonferroni-adjusted p < 0.05)",
                                           "outlier by radial Q (bonferroni-adjusted p < 0.05)"))[out$outlier])
  r2 <- suppressMessages(mr_without_outliers(dat, flag = "radial", p_adjust = "none", method_list = "mr_ivw"))
  nominal <- mr_outliers(dat, methods = "radial", p_adjust = "none")
  expect_equal(sum(attr(r2, "audit")$reason == "outlier by radial Q (unadjusted p < 0.05)"),
               sum(nominal$radial_outlier))
  expect_error(mr_without_outliers(dat, outliers = data.frame()), class = "mrkit_error_input_type")
  expect_error(mr_without_outliers(dat, out), class = "mrkit_error_parameter")
  expect_error(mr_without_outliers(dat, flag = "cooks"), class = "mrkit_error_parameter")
  expect_error(mr_outliers(dat, methods = "cooks"), class = "mrkit_error_parameter")
  expect_error(mr_outliers(dat, alpha = 2), class = "mrkit_error_parameter")
  expect_error(mr_outliers(dat, p_adjust = "sidak"), class = "mrkit_error_parameter")
  expect_error(mr_outliers(dat[, -1]), class = "mrkit_error_missing_column")
})

test_that("known truth, no pleiotropy: the default rule keeps false removals and type-I error nominal", {
  # 200 null data sets (b = 0, J = 30, no pleiotropy). Removing every variant with a
  # nominal Q p-value below 0.05 removes at least one variant from about 1 - 0.95^30 = 79%
  # of them; MR-PRESSO's rule removes from at most the 5% with a significant global test.
  withr::local_seed(2024)
  res <- vapply(1:200, function(i) {
    x <- simulate_mr_data(nsnp = 30, b = 0, seed = 5000 + i)
    o <- mr_outliers(x, methods = c("q", "presso"), NbDistribution = 600, p_adjust = "bonferroni")
    nominal <- stats::pchisq(o$Qj, 1, lower.tail = FALSE) < 0.05
    after <- mr(x[!o$presso_outlier, ], method_list = "mr_ivw")
    before <- mr(x, method_list = "mr_ivw")
    c(presso = any(o$presso_outlier), q_bonf = any(o$q_outlier), q_nominal = any(nominal),
      global = o$presso_global_pval[1] < 0.05, p_before = before$pval, p_after = after$pval)
  }, numeric(6))
  rate <- rowMeans(res[c("presso", "q_bonf", "q_nominal", "global"), ])
  # A wrong (nominal) rule fails these bounds by far.
  expect_gt(rate[["q_nominal"]], 0.6)
  expect_lt(rate[["presso"]], 0.08)
  expect_lt(rate[["q_bonf"]], 0.10)
  expect_lte(rate[["presso"]], rate[["global"]])
  # IVW type-I error at 0.05, before and after removal (binomial SE 0.015 at 200).
  expect_lt(abs(mean(res["p_before", ] < 0.05) - 0.05), 0.035)
  expect_lt(abs(mean(res["p_after", ] < 0.05) - 0.05), 0.035)
})

test_that("removing flagged variants makes IVW precise again under planted outliers", {
  res <- vapply(1:30, function(s) {
    x <- sim(nsnp = 50, b = 0.3, pleiotropy = "outliers", prop_invalid = 0.1, seed = 800 + s)
    before <- mr(x, method_list = "mr_ivw")
    after <- suppressMessages(mr_without_outliers(x, flag = c("q", "radial"), method_list = "mr_ivw"))
    c(before$b, after$b, after$lo_ci <= 0.3 & after$up_ci >= 0.3, after$nsnp)
  }, numeric(4))
  expect_lt(stats::sd(res[2, ]), stats::sd(res[1, ]) / 2)
  expect_lt(abs(mean(res[2, ]) - 0.3), 0.03)
  # IVW's reported interval after removal covers at the nominal rate: at least
  # qbinom(0.001, 30, 0.95) = 24 of 30 (a 1-SE interval covers 20).
  expect_equal(sum(res[3, ]), 29)   # seeded exact count: any change to the interval or estimate shows
  expect_gte(sum(res[3, ]), stats::qbinom(0.001, 30, 0.95))
  # The 5 planted outliers (10 outcome SEs) are removed from every data set.
  expect_true(all(res[4, ] <= 45))
})

test_that("mr_outliers: pairs with one or two variants give defined rows", {
  x <- sim(nsnp = 3, b = 0.3, seed = 34)
  one <- x[1, ]
  o1 <- mr_outliers(one, methods = c("q", "radial"))
  expect_equal(nrow(o1), 1L)
  expect_equal(c(o1$Qj, o1$radial_Qj), c(NA_real_, NA_real_))
  expect_false(o1$outlier)
  o2 <- mr_outliers(x[1:2, ], methods = c("q", "radial"))
  expect_equal(nrow(o2), 2L)
  bx <- x$beta.exposure[1:2]; by <- x$beta.outcome[1:2]; sy <- x$se.outcome[1:2]
  th <- sum(bx * by / sy^2) / sum(bx^2 / sy^2)
  expect_equal(o2$Qj, (by - th * bx)^2 / sy^2)
  expect_snapshot(print(mr_outliers(x, methods = c("q", "radial"))))
})

test_that("printed MR-PRESSO p-values of 0 say they are below the simulation's resolution", {
  d <- simulate_mr_data(nsnp = 12, b = 0.3, pleiotropy = "outliers", seed = 2)
  o <- mr_outliers(d, methods = "presso", NbDistribution = 1000, seed = 1)
  # the table keeps numbers: 0 = no simulated statistic as large as the observed one
  expect_true(any(o$presso_pval == 0))
  out <- capture.output(print(o))
  expect_true(any(grepl("< 0.001", out, fixed = TRUE)))   # global: 1 / 1000
  expect_true(any(grepl("< 0.012", out, fixed = TRUE)))   # outlier: 12 / 1000, Bonferroni
})
