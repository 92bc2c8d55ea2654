two_pairs <- function() {
  a <- sim(nsnp = 25, b = 0.3, pleiotropy = "outliers", seed = 31)
  b <- sim(nsnp = 15, b = 0.1, pleiotropy = "none", seed = 32, id_outcome = "out2", outcome = "Outcome 2")
  rbind(a, b)
}

test_that("mr_outliers gives per-variant Q and radial contributions per pair", {
  dat <- two_pairs()
  out <- mr_outliers(dat, methods = c("q", "radial"))
  expect_s3_class(out, "mrkit_outliers")
  expect_equal(nrow(out), 40L)
  expect_equal(unique(out$id.outcome), c("out1", "out2"))
  for (o in c("out1", "out2")) {
    d <- dat[dat$id.outcome == o, ]
    t <- out[out$id.outcome == o, ]
    expect_equal(t$SNP, d$SNP)
    bx <- d$beta.exposure; by <- d$beta.outcome; sx <- d$se.exposure; sy <- d$se.outcome
    th <- sum(bx * by / sy^2) / sum(bx^2 / sy^2)
    expect_equal(t$Qj, (by - th * bx)^2 / sy^2, tolerance = 1e-10)
    expect_equal(sum(t$Qj), mr_ivw(bx, by, sx, sy)$Q, tolerance = 1e-10)
    expect_equal(t$q_outlier, stats::pchisq(t$Qj, 1, lower.tail = FALSE) < 0.05)
    rad <- mr_radial_ivw(bx, by, sx, sy, default_parameters(nboot = 2), snps = d$SNP)
    expect_equal(t$radial_Qj, rad$snps$Qj, tolerance = 1e-10)
    expect_equal(t$radial_outlier, rad$snps$outlier)
    expect_equal(t$outlier, t$q_outlier | t$radial_outlier)
  }
  strict <- mr_outliers(dat, methods = "q", alpha = 1e-6)
  expect_lte(sum(strict$outlier), sum(out$q_outlier))
  expect_false("radial_Qj" %in% names(strict))
})

test_that("mr_outliers passes MR-PRESSO settings through and keeps MR-PRESSO's warnings", {
  dat <- sim(nsnp = 12, b = 0.3, pleiotropy = "outliers", seed = 33)
  w <- capture_warnings(out <- mr_outliers(dat, NbDistribution = 200, seed = 1))
  # 12 variants at 200 draws: Bonferroni-corrected p-values move in steps of 12/200.
  expect_match(w, "cannot be reached", all = FALSE)
  expect_true(is.logical(out$presso_outlier))
  expect_equal(nrow(out), 12L)
  expect_equal(out$outlier, out$q_outlier | out$radial_outlier | out$presso_outlier %in% TRUE)
})

test_that("mr_without_outliers re-runs mr() without the flagged variants, with an audit", {
  dat <- two_pairs()
  out <- mr_outliers(dat, methods = c("q", "radial"))
  res <- mr_without_outliers(dat, out, method_list = c("mr_ivw", "mr_egger_regression"))
  flagged <- paste(out$id.outcome, out$SNP)[out$outlier]
  kept <- dat[!paste(dat$id.outcome, dat$SNP) %in% flagged, ]
  ref <- mr(kept, method_list = c("mr_ivw", "mr_egger_regression"))
  expect_equal(res$b, ref$b)
  expect_equal(res$nsnp, ref$nsnp)
  audit <- attr(res, "audit")
  expect_setequal(paste(audit$id.outcome, audit$SNP), flagged)
  expect_true(all(grepl("^outlier \\(", audit$reason)))
  expect_s3_class(attr(res, "outliers"), "mrkit_outliers")
  # One call, flags chosen: only the radial flags.
  r2 <- mr_without_outliers(dat, flag = "radial", methods = c("q", "radial"), method_list = "mr_ivw")
  expect_equal(sum(attr(r2, "audit")$reason == "outlier (radial)"), sum(out$radial_outlier))
  expect_error(mr_without_outliers(dat, outliers = data.frame()), class = "mrkit_error_input_type")
  expect_error(mr_without_outliers(dat, out, flag = "presso"), class = "mrkit_error_parameter")
  expect_error(mr_outliers(dat, methods = "cooks"), class = "mrkit_error_parameter")
  expect_error(mr_outliers(dat, alpha = 2), class = "mrkit_error_parameter")
  expect_error(mr_outliers(dat[, -1]), class = "mrkit_error_missing_column")
})

test_that("removing flagged variants makes IVW precise again under planted outliers", {
  res <- vapply(1:30, function(s) {
    x <- sim(nsnp = 50, b = 0.3, pleiotropy = "outliers", prop_invalid = 0.1, seed = 800 + s)
    before <- mr(x, method_list = "mr_ivw")
    after <- mr_without_outliers(x, methods = c("q", "radial"), method_list = "mr_ivw")
    c(before$b, after$b, abs(after$b - 0.3) < 1.96 * after$se, after$nsnp)
  }, numeric(4))
  expect_lt(stats::sd(res[2, ]), stats::sd(res[1, ]) / 2)
  expect_lt(abs(mean(res[2, ]) - 0.3), 0.03)
  expect_gte(mean(res[3, ]), 0.85)
  expect_true(all(res[4, ] < 50))
})

test_that("mr_outliers: pairs with one or two variants give defined rows", {
  x <- sim(nsnp = 3, b = 0.3, seed = 34)
  one <- x[1, ]
  o1 <- mr_outliers(one, methods = c("q", "radial"))
  expect_equal(nrow(o1), 1L)
  expect_true(is.na(o1$Qj) && is.na(o1$radial_Qj))
  expect_false(o1$outlier)
  o2 <- mr_outliers(x[1:2, ], methods = c("q", "radial"))
  expect_equal(nrow(o2), 2L)
  expect_true(all(is.finite(o2$Qj)))
  expect_snapshot(print(mr_outliers(x, methods = c("q", "radial"))))
})

test_that("MR-PRESSO flags are computed through mr_presso() with its <= rule", {
  d <- simulate_mr_data(nsnp = 40, b = 0.3, pleiotropy = "outliers", prop_invalid = 0.1, seed = 3)
  withr::local_seed(1)
  o <- suppressWarnings(mr_outliers(d, methods = "presso"))
  planted <- which(attr(d, "truth")$invalid)
  # The planted outliers reach MR-PRESSO's resolution limit, p = J / NbDistribution = 0.04.
  expect_equal(o$presso_pval[planted], rep(40 / 1000, 4))
  expect_true(all(o$presso_outlier[planted]))
  expect_equal(o$outlier, o$presso_outlier)
  sub <- o[planted, c("SNP", "presso_pval")]
  expect_output(print(sub), "rs1008")
})
