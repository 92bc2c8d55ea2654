test_that("generate_odds_ratios with tsmr_quirks reproduces TwoSampleMR's 1.96 columns on BMI -> CHD", {
  skip_if_no_shared()
  ref <- read_shared("reference", "bmi_chd", "mr_default_with_odds_ratios.csv")
  ref <- ref[ref$method %in% c("MR Egger", "Inverse variance weighted"), ]
  quirks <- default_parameters(tsmr_quirks = TRUE)
  res <- mr(bmi_chd(), method_list = c("mr_egger_regression", "mr_ivw"), parameters = quirks)
  or <- generate_odds_ratios(res)
  expect_lt(max(rel_diff(or$b, ref$estimate)), 1e-10)
  expect_lt(max(rel_diff(or$se, ref$se)), 1e-10)
  for (col in c("lo_ci", "up_ci", "or", "or_lci95", "or_uci95")) {
    expect_lt(max(rel_diff(or[[col]], ref[[col]])), 1e-10)
  }
  # The OR columns from the reference b and se alone.
  from_ref <- generate_odds_ratios(data.frame(b = ref$estimate, se = ref$se), quirks)
  for (col in c("lo_ci", "up_ci", "or", "or_lci95", "or_uci95")) {
    expect_lt(max(rel_diff(from_ref[[col]], ref[[col]])), 1e-14)
  }
  # Without the quirk, MR-Egger keeps its t(77) interval: wider than TwoSampleMR's.
  plain <- generate_odds_ratios(mr(bmi_chd(), method_list = "mr_egger_regression"))
  expect_equal((plain$up_ci - plain$lo_ci) / (2 * plain$se), stats::qt(0.975, 77), tolerance = 1e-12)
  expect_gt(plain$or_uci95, ref$or_uci95[ref$method == "MR Egger"])
})

test_that("generate_odds_ratios keeps the result's interval at its level (alpha = 0.1)", {
  d <- sim(nsnp = 20, b = 0.2, seed = 1)
  res <- mr(d, method_list = c("mr_egger_regression", "mr_ivw"), parameters = default_parameters(alpha = 0.1))
  or <- generate_odds_ratios(res)
  expect_s3_class(or, "mrkit_results")
  expect_identical(attr(or, "parameters"), attr(res, "parameters"))
  expect_identical(names(or), c(names(res), "or", "or_lci95", "or_uci95"))
  expect_identical(attr(or, "no_estimate"), attr(res, "no_estimate"))
  expect_identical(as.data.frame(or)[names(res)], as.data.frame(res)[names(res)])
  expect_equal(or$or_lci95, exp(res$lo_ci))
  expect_equal(or$or_uci95, exp(res$up_ci))
  # 90% intervals: t(18) for MR-Egger, normal for IVW (quantiles from R's qt / qnorm).
  expect_equal((or$up_ci - or$lo_ci) / (2 * or$se), c(stats::qt(0.95, 18), stats::qnorm(0.95)), tolerance = 1e-12)
  # tsmr_quirks = TRUE: TwoSampleMR's b -/+ 1.96 se whatever alpha and distribution.
  q <- generate_odds_ratios(res, default_parameters(alpha = 0.1, tsmr_quirks = TRUE))
  expect_equal((q$up_ci - q$lo_ci) / (2 * q$se), c(1.96, 1.96), tolerance = 1e-12)
  expect_equal(q$or_lci95, exp(q$lo_ci))
  # A table without an interval gets the normal one at the parameters' level.
  tab <- generate_odds_ratios(data.frame(b = 0.1, se = 0.05), default_parameters(alpha = 0.1))
  expect_equal(tab$lo_ci, 0.1 - 1.6448536269514722 * 0.05, tolerance = 1e-14)
  expect_equal(generate_odds_ratios(data.frame(b = 0.1, se = 0.05))$up_ci, 0.1 + 1.959963984540054 * 0.05,
               tolerance = 1e-14)
  expect_error(generate_odds_ratios(data.frame(b = 1)), class = "mrkit_error_missing_column")
})

test_that("subset_on_method keeps one row per pair by nsnp", {
  one <- sim(nsnp = 1, seed = 2); one$id.exposure <- "single"
  res <- mr(rbind(sim(nsnp = 10, seed = 1), one), method_list = c("mr_wald_ratio", "mr_egger_regression", "mr_ivw"))
  s <- subset_on_method(res)
  expect_s3_class(s, "mrkit_results")
  expect_identical(s$method, c("Inverse variance weighted", "Wald ratio"))
  expect_identical(s$id.exposure, c("exp1", "single"))
  expect_identical(attr(s, "audit"), attr(res, "audit"))
  expect_identical(subset_on_method(res, multi_snp_method = "MR Egger")$method, c("MR Egger", "Wald ratio"))
  expect_identical(nrow(subset_on_method(res, single_snp_method = "none")), 1L)
  plain <- subset_on_method(as.data.frame(res))
  expect_identical(class(plain), "data.frame")
})

test_that("combine_all_mrresults merges mr, heterogeneity, pleiotropy and single-SNP results", {
  skip_if_no_shared()
  d <- bmi_chd()
  res <- mr(d, method_list = c("mr_egger_regression", "mr_ivw"))
  het <- mr_heterogeneity(d)
  plt <- mr_pleiotropy_test(d)
  sin <- mr_singlesnp(d)
  all <- combine_all_mrresults(res, het, plt, sin)
  expect_s3_class(all, "mrkit_results")
  expect_identical(nrow(all), 81L)
  expect_identical(names(all)[1:13], c("Method", "outcome", "exposure", "nsnp", "b", "se", "pval", "Q", "Q_df",
                                       "Q_pval", "intercept", "intercept_se", "intercept_pval"))
  expect_identical(sort(unique(all$Method)), c("Inverse variance weighted", "MR Egger", "Wald ratio"))
  ivw <- all[all$Method == "Inverse variance weighted", ]
  egger <- all[all$Method == "MR Egger", ]
  wald <- all[all$Method == "Wald ratio", ]
  expect_equal(ivw$Q, het$Q[2])
  expect_equal(egger$Q_df, 77)
  expect_equal(egger$intercept, plt$egger_intercept)
  expect_true(is.na(ivw$intercept))
  expect_identical(nrow(wald), 79L)
  expect_true(all(wald$nsnp == 1))
  expect_setequal(wald$SNP, d$SNP)
  expect_equal(wald$b[match(d$SNP, wald$SNP)], d$beta.outcome / d$beta.exposure, tolerance = 1e-14)
  expect_identical(ivw$SNP, paste(d$SNP, collapse = "; "))
  expect_false(any(is.na(all$lo_ci)))
  expect_equal(all$pval_log10, log10(all$pval), tolerance = 1e-12)
  # ao_slc needs the OpenGWAS server: accepted, no effect.
  expect_identical(combine_all_mrresults(res, het, plt, sin, ao_slc = FALSE), all)
  ex <- combine_all_mrresults(res, het, plt, sin, Exp = TRUE, split.exposure = TRUE, split.outcome = TRUE)
  expect_equal(ex$or, exp(ex$b))
  expect_equal(ex$or_lci95, exp(ex$lo_ci))
  expect_equal(ex$or_uci95, exp(ex$up_ci))
  quirks <- default_parameters(tsmr_quirks = TRUE)
  res_q <- mr(d, method_list = c("mr_egger_regression", "mr_ivw"), parameters = quirks)
  ex_q <- combine_all_mrresults(res_q, het, plt, sin, Exp = TRUE)
  expect_equal(log(ex_q$or_uci95), ex_q$b + 1.96 * ex_q$se)
  expect_identical(unique(ex$exposure), "Body mass index")
  expect_identical(unique(ex$outcome), "Coronary heart disease")
  expect_error(combine_all_mrresults(res, het[1:3], plt, sin), class = "mrkit_error_missing_column")
  expect_error(combine_all_mrresults(res, het, plt, sin, Exp = NA), class = "mrkit_error_parameter")
})

test_that("combine_all_mrresults keeps exposure-outcome pairs apart", {
  a <- sim(nsnp = 5, b = 0.2, seed = 1)
  b <- sim(nsnp = 4, b = 0.1, seed = 2); b$id.exposure <- "exp2"; b$SNP <- paste0(b$SNP, "b")
  d <- rbind(a, b)
  res <- mr(d, method_list = c("mr_egger_regression", "mr_ivw"))
  all <- combine_all_mrresults(res, mr_heterogeneity(d), mr_pleiotropy_test(d), mr_singlesnp(d))
  expect_identical(nrow(all), 4L + 9L)
  ivw2 <- all[all$Method == "Inverse variance weighted" & all$id.exposure == "exp2", ]
  expect_identical(strsplit(ivw2$SNP, "; ")[[1]], b$SNP)
  expect_equal(ivw2$Q, mr_heterogeneity(b)$Q[2])
  expect_identical(all$id.exposure, sort(all$id.exposure))
})
