# mr(): the driver over exposure-outcome pairs and methods.

two_methods <- c("mr_egger_regression", "mr_ivw")

test_that("mr() equals TwoSampleMR's default mr() on BMI -> CHD (deterministic parts to 1e-10)", {
  skip_if_no_shared()
  d <- bmi_chd()
  ref <- read_shared("reference", "bmi_chd", "mr_default_with_odds_ratios.csv")
  set.seed(1)
  res <- mr(d)
  expect_s3_class(res, "mrkit_results")
  expect_equal(res$method, ref$method)
  expect_equal(res$nsnp, ref$nsnp)
  expect_equal(names(res)[1:9], c("id.exposure", "id.outcome", "outcome", "exposure", "method",
                                  "nsnp", "b", "se", "pval"))
  # All five point estimates are deterministic (medians and modes included).
  expect_lt(max(rel_diff(res$b, ref$estimate)), 1e-10)
  det <- res$method %in% c("MR Egger", "Inverse variance weighted")
  expect_lt(max(rel_diff(res$se[det], ref$se[det])), 1e-10)
  expect_lt(max(rel_diff(res$pval[det], ref$pval[det])), 1e-10)
  # Bootstrap SEs (1000 replicates here and in the reference): Monte Carlo agreement.
  expect_lt(max(rel_diff(res$se[!det], ref$se[!det])), 0.25)
  expect_equal(res$nboot[!det], rep(1000L, 3))
  expect_true(all(is.na(res$nboot[det])))
})

test_that("mr() handles several pairs in TwoSampleMR's order and equals per-pair calls", {
  d1 <- sim(nsnp = 30, b = 0.3, id_exposure = "b_exp", id_outcome = "y", seed = 1)
  d2 <- sim(nsnp = 20, b = -0.1, id_exposure = "a_exp", id_outcome = "y", seed = 2)
  d3 <- sim(nsnp = 25, b = 0.0, id_exposure = "a_exp", id_outcome = "x", seed = 3)
  all <- rbind(d1, d2, d3)
  res <- mr(all, method_list = two_methods)
  expect_equal(unique(paste(res$id.exposure, res$id.outcome)), c("a_exp x", "a_exp y", "b_exp y"))
  one <- mr(d2, method_list = two_methods)
  got <- res[res$id.exposure == "a_exp" & res$id.outcome == "y", ]
  expect_equal(got$b, one$b)
  expect_equal(got$se, one$se)
  expect_equal(got$nsnp, c(20L, 20L))
})

test_that("mr() with 1 and 2 variants keeps only the defined rows", {
  d <- sim(nsnp = 5, b = 0.3)
  r1 <- mr(d[1, ], method_list = c("mr_wald_ratio", two_methods))
  expect_equal(r1$method, "Wald ratio")
  expect_equal(r1$b, d$beta.outcome[1] / d$beta.exposure[1])
  r2 <- mr(d[1:2, ], method_list = c("mr_wald_ratio", two_methods))
  expect_equal(r2$method, "Inverse variance weighted")
  r3 <- mr(d[1:3, ], method_list = c("mr_wald_ratio", two_methods))
  expect_equal(r3$method, c("MR Egger", "Inverse variance weighted"))
})

test_that("rows not used are listed in the audit with their reason", {
  d <- sim(nsnp = 10, b = 0.3)
  d$mr_keep[2] <- FALSE
  d$beta.outcome[3] <- NA
  res <- mr(d, method_list = two_methods)
  expect_equal(res$nsnp, c(8L, 8L))
  audit <- attr(res, "audit")
  expect_equal(audit$SNP, d$SNP[2:3])
  expect_equal(audit$reason, c("mr_keep is FALSE", "missing effect or standard error"))
})

test_that("a pair without usable variants is skipped with a message", {
  d1 <- sim(nsnp = 10, b = 0.3, id_outcome = "o1")
  d2 <- sim(nsnp = 10, b = 0.3, id_outcome = "o2")
  d2$mr_keep <- FALSE
  expect_message(res <- mr(rbind(d1, d2), method_list = two_methods), "No SNPs available")
  expect_equal(unique(res$id.outcome), "o1")
})

test_that("mr() is identical for 1 and 2 threads", {
  d <- do.call(rbind, lapply(1:6, function(i) sim(nsnp = 30, b = 0.1 * i, id_exposure = paste0("e", i), seed = i)))
  expect_identical(mr(d, method_list = two_methods, threads = 1),
                   mr(d, method_list = two_methods, threads = 2))
})

test_that("bad input to mr() gives classed errors naming the column, SNP or rule", {
  d <- sim(nsnp = 10, b = 0.3)
  expect_snapshot(error = TRUE, mr(d[, setdiff(names(d), c("se.outcome", "mr_keep"))]))
  expect_snapshot(error = TRUE, mr(d, method_list = c("mr_ivw", "mr_presso")))
  expect_snapshot(error = TRUE, mr(d, method_list = "mr_nonsense"))
  bad <- d; bad$se.exposure[4] <- 0
  expect_snapshot(error = TRUE, mr(bad, method_list = two_methods))
  dup <- rbind(d, d[2, ])
  expect_snapshot(error = TRUE, mr(dup, method_list = two_methods))
  chr <- d; chr$beta.exposure <- as.character(chr$beta.exposure)
  expect_error(mr(chr, method_list = two_methods), class = "mrkit_error_input_type")
  expect_error(mr(d, threads = 0), class = "mrkit_error_parameter")
  expect_error(mr(list(a = 1)), class = "mrkit_error_input_type")
})

# -- confidence intervals and p-values (issue 14) -------------------------------------------

# 50 pairs with J = 1..50 variants and a weak true effect, so that many p-values fall near
# alpha (where a normal interval around a t p-value, or the reverse, disagrees with it).
ci_pairs <- function() {
  do.call(rbind, lapply(1:50, function(J) {
    d <- sim(nsnp = J, b = 0.6 / sqrt(J), pleiotropy = "balanced", fstat = 30, seed = J)
    d$id.exposure <- sprintf("x%02d", J)
    d
  }))
}

# Methods whose p-value is not the Wald test of b / se (mr()'s documentation): no interval
# (sign test), the method's own interval (contamination mixture: likelihood ratio on a grid;
# pIVW: bootstrap Fieller), or a replicate-counting p-value (MR-Egger bootstrap).
ci_exceptions <- c("Sign concordance test", "Contamination mixture",
                   "Penalised inverse variance weighted (pIVW)", "MR Egger (bootstrap)")

test_that("the interval excludes 0 exactly when p < alpha, for every Wald method, J = 1..50", {
  d <- ci_pairs()
  all_methods <- mr_method_list()$obj
  settings <- list(c("TwoSampleMR", 0.05), c("normal", 0.05), c("t", 0.05), c("TwoSampleMR", 0.1))
  for (setting in settings) {
    dist <- setting[1]
    alpha <- as.numeric(setting[2])
    p <- default_parameters(distribution = dist, alpha = alpha, nboot = 30, seed = 1)
    res <- suppressWarnings(mr(d, parameters = p, method_list = all_methods))
    wald <- res[!res$method %in% ci_exceptions & !is.na(res$pval) & !is.na(res$se), ]
    expect_setequal(unique(wald$method), setdiff(mr_method_list()$name, ci_exceptions))
    expect_false(anyNA(wald$lo_ci))
    excludes <- wald$lo_ci > 0 | wald$up_ci < 0
    bad <- wald[excludes != (wald$pval < alpha), c("method", "nsnp", "pval", "lo_ci", "up_ci")]
    expect_identical(nrow(bad), 0L, label = paste(dist, alpha, "disagreements"))
    # The check can fail: a normal interval would disagree with the t p-values somewhere.
    if (dist != "normal") {
      normal_excludes <- abs(wald$b / wald$se) > stats::qnorm(1 - alpha / 2)
      expect_gt(sum(normal_excludes != (wald$pval < alpha)), 0)
    }
  }
})

test_that("intervals use each method's distribution (quantiles from R's qt / qnorm)", {
  d <- ci_pairs()
  d <- d[d$id.exposure %in% c("x06", "x20"), ]
  half <- function(r) (r$up_ci - r$lo_ci) / (2 * r$se)
  p <- default_parameters(nboot = 30, seed = 1)
  res <- mr(d, parameters = p, method_list = c("mr_egger_regression", "mr_ivw", "mr_weighted_mode",
                                               "mr_weighted_median", "mr_grip"))
  J <- res$nsnp
  by_method <- function(m) res$method == m
  expect_equal(half(res)[by_method("MR Egger")], stats::qt(0.975, J[by_method("MR Egger")] - 2), tolerance = 1e-12)
  expect_equal(half(res)[by_method("Weighted mode")], stats::qt(0.975, J[by_method("Weighted mode")] - 1), tolerance = 1e-12)
  expect_equal(half(res)[by_method("MR GRIP")], stats::qt(0.975, J[by_method("MR GRIP")] - 2), tolerance = 1e-12)
  expect_equal(half(res)[by_method("Inverse variance weighted")], rep(stats::qnorm(0.975), 2), tolerance = 1e-12)
  expect_equal(half(res)[by_method("Weighted median")], rep(stats::qnorm(0.975), 2), tolerance = 1e-12)
  # The vector-signature functions return the same interval and its distribution.
  x <- d[d$id.exposure == "x06", ]
  v <- mr_egger_regression(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome, p)
  row <- res[res$id.exposure == "x06" & by_method("MR Egger"), ]
  expect_equal(c(v$lo_ci, v$up_ci, v$pval_log10), c(row$lo_ci, row$up_ci, row$pval_log10))
  expect_identical(v$df, 4)
  expect_identical(mr_ivw(x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome, p)$df, Inf)
  tt <- mr(d, parameters = default_parameters(distribution = "t", alpha = 0.1, nboot = 30, seed = 1),
           method_list = c("mr_ivw", "mr_weighted_median"))
  expect_equal(half(tt), stats::qt(0.95, tt$nsnp - 1), tolerance = 1e-12)
  nn <- mr(d, parameters = default_parameters(distribution = "normal", nboot = 30, seed = 1),
           method_list = c("mr_egger_regression", "mr_weighted_mode"))
  expect_equal(half(nn), rep(stats::qnorm(0.975), 4), tolerance = 1e-12)
})

test_that("MR-Egger's interval equals R's confint(lm()) when the residual SE is above 1", {
  d <- sim(nsnp = 25, b = 0.2, pleiotropy = "balanced", seed = 11)
  s <- sign(d$beta.exposure)
  fit <- stats::lm(I(d$beta.outcome * s) ~ abs(d$beta.exposure), weights = 1 / d$se.outcome^2)
  expect_gt(summary(fit)$sigma, 1)
  res <- mr(d, method_list = "mr_egger_regression", parameters = default_parameters(alpha = 0.1))
  ci <- stats::confint(fit, level = 0.9)[2, ]
  expect_equal(c(res$lo_ci, res$up_ci), unname(ci), tolerance = 1e-10)
})

test_that("MR-Egger under distribution t with sigma < 1 reports the wider of the two intervals", {
  # MendelianRandomization's rule: p = max(normal p, t(J - 2) p on se * sigma).
  d <- sim(nsnp = 12, b = 0.2, seed = 4)
  d$se.outcome <- 2 * d$se.outcome   # under-dispersion: sigma about 1/2
  s <- sign(d$beta.exposure)
  fit <- summary(stats::lm(I(d$beta.outcome * s) ~ abs(d$beta.exposure), weights = 1 / d$se.outcome^2))
  sigma <- fit$sigma
  expect_lt(sigma, 1)
  res <- mr(d, method_list = "mr_egger_regression", parameters = default_parameters(distribution = "t"))
  b <- fit$coefficients[2, 1]
  se <- fit$coefficients[2, 2] / sigma
  half <- max(stats::qnorm(0.975) * se, stats::qt(0.975, 10) * se * sigma)
  expect_equal(c(res$lo_ci, res$up_ci), c(b - half, b + half), tolerance = 1e-10)
  expect_equal(res$pval, max(2 * stats::pnorm(-abs(b / se)), 2 * stats::pt(-abs(b / (se * sigma)), 10)),
               tolerance = 1e-10)
})

test_that("methods with their own interval report it; the sign test has none", {
  d <- sim(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 2)
  p <- default_parameters(nboot = 200, seed = 5)
  res <- mr(d, parameters = p, method_list = c("mr_conmix", "mr_pivw", "mr_sign"))
  cm <- mr_conmix(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p)
  pv <- mr_pivw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, p, nboot = 200)
  expect_equal(res$lo_ci[1:2], c(min(cm$ci_lower), min(pv$ci_lower)))
  expect_equal(res$up_ci[1:2], c(max(cm$ci_upper), max(pv$ci_upper)))
  expect_true(all(res$lo_ci[1:2] <= res$b[1:2] & res$b[1:2] <= res$up_ci[1:2]))
  expect_true(is.na(res$lo_ci[3]) && is.na(res$up_ci[3]))
})

test_that("a Wald ratio with z = 1000 has p > 0 and its exact log10 p-value", {
  d <- sim(nsnp = 1, seed = 3)
  d$beta.exposure <- 0.1; d$se.exposure <- 0.01
  d$beta.outcome <- 1; d$se.outcome <- 1e-3   # b = 10, se = 1e-2
  res <- mr(d, method_list = "mr_wald_ratio")
  expect_equal(res$b / res$se, 1000)
  expect_identical(res$pval, .Machine$double.xmin)
  ref <- (log(2) + stats::pnorm(-1000, log.p = TRUE)) / log(10)
  expect_lt(abs(res$pval_log10 / ref - 1), 1e-12)
  # Where the p-value does not underflow, pval_log10 is its log10.
  ok <- mr(sim(nsnp = 20, b = 0.3), method_list = c("mr_egger_regression", "mr_ivw"))
  expect_equal(ok$pval_log10, log10(ok$pval), tolerance = 1e-14)
})

test_that("Student t p-values far below the double range keep their log10", {
  # 30 variants almost exactly on a line with outcome SEs of 1e-16: t ~ 1e15, so that
  # the t(29) (IVW, distribution t) and t(28) (MR-Egger) p-values are near 1e-440.
  d <- sim(nsnp = 30, b = 0.3, seed = 6)
  d$beta.exposure <- seq(0.05, 0.2, length.out = 30)
  d$se.outcome <- 1e-16
  set.seed(2)
  d$beta.outcome <- 0.5 * d$beta.exposure + stats::rnorm(30, sd = 1e-16)
  res <- rbind(mr(d, method_list = "mr_ivw", parameters = default_parameters(distribution = "t")),
               mr(d, method_list = "mr_egger_regression"))
  t_stat <- res$b / res$se
  expect_true(all(abs(t_stat) > 1e13))
  expect_identical(res$pval, rep(.Machine$double.xmin, 2))
  ref <- (log(2) + stats::pt(-abs(t_stat), c(29, 28), log.p = TRUE)) / log(10)
  expect_true(all(ref < -330))
  expect_lt(max(abs(res$pval_log10 / ref - 1)), 1e-12)
})

test_that("printing mr() results is stable", {
  d <- sim(nsnp = 20, b = 0.3)
  d$mr_keep[1] <- FALSE
  expect_snapshot(print(mr(d, method_list = two_methods)))
})

test_that("degenerate input gives classed conditions, not a silent empty table", {
  sim <- simulate_mr_data(nsnp = 10, seed = 12)
  expect_error(mr(sim[0, ]), class = "mrkit_error_no_data")
  zero <- transform(sim, beta.exposure = 0)
  weak_muffled <- function(expr) {
    withCallingHandlers(expr, mrkit_warning_weak_instruments = function(w) invokeRestart("muffleWarning"))
  }
  expect_warning(weak_muffled(mr(zero, method_list = "mr_ivw")), class = "mrkit_warning_zero_exposure_effects")
  expect_snapshot(mr(sim[0, ]), error = TRUE)
})

test_that("method-pair combinations without an estimate are announced and listed", {
  # The sign concordance test needs six variants (TwoSampleMR's rule); with four it gives
  # no estimate. One variant gives only the Wald ratio, silently, as in TwoSampleMR.
  d4 <- simulate_mr_data(nsnp = 4, b = 0.3, seed = 5)
  expect_snapshot(res <- mr(d4, method_list = c("mr_ivw", "mr_sign")))
  expect_equal(res$method, "Inverse variance weighted")
  expect_equal(attr(res, "no_estimate"),
               data.frame(id.exposure = d4$id.exposure[1], id.outcome = d4$id.outcome[1],
                          method = "Sign concordance test", nsnp = 4L))
  d1 <- d4[1, ]
  expect_no_message(r1 <- mr(d1, method_list = c("mr_wald_ratio", "mr_ivw")), class = "mrkit_message_no_estimate")
  expect_equal(r1$method, "Wald ratio")
})

test_that("the medians and modes share one bootstrap and each equals its own run with that seed", {
  dat <- simulate_mr_data(nsnp = 30, b = 0.25, seed = 7)
  p <- default_parameters(seed = 123)
  ratio <- c("mr_weighted_median", "mr_simple_mode", "mr_weighted_mode", "mr_weighted_mode_nome",
             "mr_simple_median", "mr_penalised_weighted_median")
  both <- mr(dat, parameters = p, method_list = ratio)
  for (m in ratio) {
    alone <- mr(dat, parameters = p, method_list = m)
    expect_identical(both[both$method == alone$method, c("b", "se", "pval")], alone[c("b", "se", "pval")],
                     ignore_attr = TRUE)
  }
  set.seed(3)
  res <- mr(dat)
  shared <- res[res$method %in% c("Weighted median", "Simple mode", "Weighted mode"), ]
  expect_equal(nrow(shared), 3L)
  expect_length(unique(shared$seed), 1L)
  expect_true(is.finite(shared$seed[1]) && shared$seed[1] > 0)
})
