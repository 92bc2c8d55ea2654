rucker_ref <- function() read_shared("reference", "bmi_chd", "rucker.csv")

test_that("mr_rucker equals TwoSampleMR on BMI -> CHD to 1e-10", {
  skip_if_no_shared()
  r <- mr_rucker(bmi_chd())
  expect_length(r, 1L)
  expect_equal(attr(r, "id.exposure"), "ieu-a-2")
  expect_equal(attr(r, "id.outcome"), "ieu-a-7")
  r <- r[[1]]
  ref <- rucker_ref()
  rows <- ref[ref$part == "rucker", ]
  expect_equal(r$rucker$Method, rows$Method)
  expect_equal(r$rucker$nsnp, rows$nsnp)
  for (col in c("Estimate", "SE", "CI_low", "CI_upp", "P")) {
    expect_lt(max(rel_diff(r$rucker[[col]], rows[[col]])), 1e-10)
  }
  q <- ref[ref$part == "Q", ]
  expect_equal(r$Q$Method, q$Method)
  expect_lt(max(rel_diff(r$Q$Q, q$Q)), 1e-10)
  expect_equal(r$Q$df, q$df)
  expect_lt(max(rel_diff(r$Q$P, q$P)), 1e-10)
  sel <- ref[ref$part == "selected", ]
  expect_equal(r$res, sel$res)
  expect_equal(r$selected$Method, "Rucker")
  for (col in c("Estimate", "SE", "CI_low", "CI_upp", "P")) {
    expect_lt(rel_diff(r$selected[[col]], sel[[col]]), 1e-10)
  }
  # Q rows of mr_heterogeneity(): Q_ivw is the IVW row, Q_egger the MR Egger row.
  het <- read_shared("reference", "bmi_chd", "heterogeneity.csv")
  expect_lt(rel_diff(r$Q$Q[1], het$Q[het$method == "Inverse variance weighted"]), 1e-10)
  expect_lt(rel_diff(r$Q$Q[2], het$Q[het$method == "MR Egger"]), 1e-10)
  expect_lt(rel_diff(r$Q$P[2], het$Q_pval[het$method == "MR Egger"]), 1e-10)
})

rucker_by_lm <- function(dat, test_dist = "z") {
  s <- ifelse(dat$beta.exposure >= 0, 1, -1)
  y <- dat$beta.outcome * s / dat$se.outcome
  x <- abs(dat$beta.exposure) / dat$se.outcome
  i <- 1 / dat$se.outcome
  list(ivw = stats::lm(y ~ 0 + x), egger = stats::lm(y ~ 0 + i + x))
}

test_that("mr_rucker tables and Cook's distances equal lm() on simulated data (models B and D)", {
  for (case in list(list(size = 0.1, seed = 23, model = "B"),
                    list(size = 1, seed = 21, model = "D"))) {
    dat <- sim(nsnp = 40, b = 0.2, pleiotropy = "balanced", prop_invalid = 0.6,
               pleiotropy_mean = case$size, pleiotropy_sd = case$size, seed = case$seed)
    r <- mr_rucker(dat)[[1]]
    expect_equal(r$res, case$model)
    m <- rucker_by_lm(dat)
    si <- summary(m$ivw); se <- summary(m$egger)
    expect_equal(r$rucker$Estimate, c(rep(si$coefficients[1, 1], 2), rep(se$coefficients[2, 1], 2)),
                 tolerance = 1e-10)
    expect_equal(r$rucker$SE, c(si$coefficients[1, 2] / max(si$sigma, 1), si$coefficients[1, 2],
                                se$coefficients[2, 2] / max(se$sigma, 1), se$coefficients[2, 2]),
                 tolerance = 1e-10)
    expect_equal(r$rucker$P[4], se$coefficients[2, 4], tolerance = 1e-10)
    expect_equal(r$intercept$Estimate, rep(se$coefficients[1, 1], 2), tolerance = 1e-10)
    expect_equal(r$intercept$SE[2], se$coefficients[1, 2], tolerance = 1e-10)
    expect_equal(r$Q$Q[1:2], c(si$sigma^2 * 39, se$sigma^2 * 38), tolerance = 1e-10)
    cd <- stats::cooks.distance(if (r$res %in% c("A", "B")) m$ivw else m$egger)
    expect_equal(unname(r$cooksdistance), unname(cd), tolerance = 1e-10)
    expect_equal(names(r$cooksdistance), dat$SNP)
  }
})

test_that("mr_rucker follows test_dist, Qthresh and alpha", {
  dat <- sim(nsnp = 30, b = 0.2, pleiotropy = "balanced", prop_invalid = 0.5, seed = 23)
  rt <- mr_rucker(dat, default_parameters(test_dist = "t"))[[1]]
  m <- summary(rucker_by_lm(dat)$ivw)
  expect_equal(rt$rucker$P[2], m$coefficients[1, 4], tolerance = 1e-10)
  expect_equal(rt$rucker$P[1], 2 * stats::pt(-abs(rt$rucker$Estimate[1] / rt$rucker$SE[1]), 29),
               tolerance = 1e-10)
  expect_equal(mr_rucker(dat, default_parameters(Qthresh = 0))[[1]]$res, "A")
  expect_equal(mr_rucker(dat, default_parameters(Qthresh = 1))[[1]]$res, "D")
  r90 <- mr_rucker(dat, default_parameters(alpha = 0.1))[[1]]$rucker
  expect_equal(r90$CI_upp - r90$Estimate, stats::qnorm(0.95) * r90$SE, tolerance = 1e-12)
})

test_that("mr_rucker handles several pairs, few variants and orientation", {
  d1 <- sim(nsnp = 10, b = 0.2, seed = 24)
  d2 <- sim(nsnp = 2, b = 0.2, seed = 25, id_outcome = "out2")
  d3 <- sim(nsnp = 3, b = 0.2, seed = 26, id_outcome = "out3")
  expect_warning(r <- mr_rucker(rbind(d1, d2, d3)), class = "mrkit_warning_too_few_variants")
  expect_length(r, 3L)
  expect_equal(attr(r, "id.outcome"), c("out1", "out2", "out3"))
  expect_null(r[[2]])
  expect_equal(r[[3]]$rucker$nsnp[1], 3L)
  expect_equal(r[[3]]$Q$df, c(2, 1, 1))
  # Orientation: flipping alleles of some variants changes nothing.
  flip <- d1
  k <- c(1, 4, 7)
  flip$beta.exposure[k] <- -flip$beta.exposure[k]
  flip$beta.outcome[k] <- -flip$beta.outcome[k]
  expect_equal(mr_rucker(flip)[[1]]$rucker, mr_rucker(d1)[[1]]$rucker, tolerance = 1e-12)
  expect_error(mr_rucker(d1[, setdiff(names(d1), "se.outcome")]), class = "mrkit_error_missing_column")
  # Perfectly fitting data: sigma = 0, SEs of the random-effects rows are 0, no crash.
  pf <- d1
  pf$beta.outcome <- 0.5 * pf$beta.exposure
  rp <- mr_rucker(pf)[[1]]
  expect_equal(rp$rucker$Estimate[1], 0.5, tolerance = 1e-12)
  expect_equal(rp$res, "A")
})

test_that("mr_rucker_bootstrap: summaries, quirks, reproducibility and threads", {
  dat <- sim(nsnp = 30, b = 0.3, pleiotropy = "balanced", prop_invalid = 0.3, seed = 27)
  p <- default_parameters(nboot = 200)
  set.seed(5)
  b1 <- mr_rucker_bootstrap(dat, p, threads = 1)[[1]]
  set.seed(5)
  b2 <- mr_rucker_bootstrap(dat, p, threads = 2)[[1]]
  expect_identical(b1$res, b2$res)
  expect_identical(b1$bootstrap_estimates, b2$bootstrap_estimates)
  set.seed(6)
  b3 <- mr_rucker_bootstrap(dat, p)[[1]]
  expect_false(identical(b1$res$Estimate[6], b3$res$Estimate[6]))
  est <- b1$bootstrap_estimates$Estimate
  expect_length(est, 200L)
  expect_equal(b1$n_ok, 200L)
  expect_equal(b1$res$Method, c("IVW fixed effects", "IVW random effects", "Egger fixed effects",
                                "Egger random effects", "Rucker point estimate", "Rucker mean",
                                "Rucker median"))
  mean_row <- b1$res[6, ]
  med_row <- b1$res[7, ]
  expect_equal(mean_row$Estimate, mean(est), tolerance = 1e-12)
  expect_equal(mean_row$SE, stats::sd(est), tolerance = 1e-12)
  z <- stats::qnorm(0.975)
  expect_equal(c(mean_row$CI_low, mean_row$CI_upp), mean(est) + c(-z, z) * stats::sd(est),
               tolerance = 1e-12)
  expect_equal(mean_row$P, 2 * stats::pt(-abs(mean(est) / stats::sd(est)), 29), tolerance = 1e-10)
  expect_equal(med_row$Estimate, stats::median(est), tolerance = 1e-12)
  expect_equal(med_row$SE, stats::mad(est), tolerance = 1e-12)
  expect_equal(c(med_row$CI_low, med_row$CI_upp), unname(stats::quantile(est, c(0.025, 0.975))),
               tolerance = 1e-12)
  expect_equal(b1$boostrap_q$i, c("Full", rep("Bootstrap", 200)))
  expect_equal(b1$boostrap_q$Q[1], b1$rucker$Q$Q[1])
  # Parametric bootstrap around the data: the median lies near the point estimate.
  expect_lt(abs(med_row$Estimate - b1$res$Estimate[5]), b1$res$SE[5])
})

test_that("mr_rucker_jackknife resamples variants and needs 15 of them", {
  skip_if_no_shared()
  d <- bmi_chd()
  p <- default_parameters(nboot = 100)
  set.seed(7)
  j1 <- mr_rucker_jackknife(d, p, threads = 2)[[1]]
  set.seed(7)
  j2 <- mr_rucker_jackknife(d, p, threads = 1)[[1]]
  expect_identical(j1$res, j2$res)
  expect_equal(j1$res$Method[6:7], c("Rucker mean (JK)", "Rucker median (JK)"))
  expect_equal(j1$boostrap_q$i[2], "Jackknife")
  expect_equal(j1$res$Estimate[6], mean(j1$bootstrap_estimates$Estimate), tolerance = 1e-12)
  small <- sim(nsnp = 10, b = 0.2, seed = 28)
  expect_message(js <- mr_rucker_jackknife(small, p)[[1]], "Too few SNPs")
  expect_equal(nrow(js$res), 5L)
  expect_null(js$bootstrap_estimates)
})

test_that("mr_rucker_cooksdistance removes influential variants iteratively", {
  dat <- sim(nsnp = 40, b = 0.2, pleiotropy = "outliers", prop_invalid = 0.1, seed = 29)
  full <- mr_rucker(dat)[[1]]
  r <- mr_rucker_cooksdistance(dat)[[1]]
  first <- dat$SNP[full$cooksdistance > 4 / 40]
  expect_gt(length(first), 0L)
  expect_true(all(first %in% r$removed_snps))
  kept <- dat[!dat$SNP %in% r$removed_snps, ]
  again <- mr_rucker(kept)[[1]]
  expect_equal(r$rucker$Estimate, again$rucker$Estimate, tolerance = 1e-12)
  expect_true(all(again$cooksdistance <= 4 / nrow(kept)) || nrow(kept) <= 3)
  expect_equal(r$selected$Method, "Rucker (CD)")
  expect_match(r$rucker$Method, " \\(CD\\)$")
})

test_that("Rucker messages and errors are stable", {
  d2 <- sim(nsnp = 2, b = 0.2, seed = 25)
  expect_snapshot(r <- mr_rucker(d2))
  expect_snapshot(error = TRUE, mr_rucker(d2[, setdiff(names(d2), "beta.outcome")]))
  expect_snapshot(error = TRUE, mr_rucker_bootstrap(d2, default_parameters(nboot = 0)))
})

test_that("the Rucker mean interval is mean -/+ qnorm(1 - alpha/2) sd; TwoSampleMR's with tsmr_quirks", {
  dat <- sim(nsnp = 25, b = 0.2, pleiotropy = "balanced", seed = 8)
  run <- function(...) {
    set.seed(3)
    mr_rucker_bootstrap(dat, default_parameters(nboot = 100, ...))[[1]]$res
  }
  r <- run(Qthresh = 0.1, alpha = 0.01)
  q <- run(Qthresh = 0.1, alpha = 0.01, tsmr_quirks = TRUE)
  m <- r[r$Method == "Rucker mean", ]
  mq <- q[q$Method == "Rucker mean", ]
  # The same draws: only the interval differs.
  expect_identical(r$Estimate, q$Estimate)
  expect_identical(r$SE, q$SE)
  expect_equal(m$CI_low, m$Estimate - stats::qnorm(0.995) * m$SE, tolerance = 1e-12)
  expect_equal(m$CI_upp, m$Estimate + stats::qnorm(0.995) * m$SE, tolerance = 1e-12)
  # TwoSampleMR: estimate -/+ qnorm(Qthresh / 2) sd, so the lower bound lies above the upper.
  expect_equal(mq$CI_low, mq$Estimate - stats::qnorm(0.05) * mq$SE, tolerance = 1e-12)
  expect_equal(mq$CI_upp, mq$Estimate + stats::qnorm(0.05) * mq$SE, tolerance = 1e-12)
  expect_gt(mq$CI_low, mq$CI_upp)
})

test_that("the Rucker mean interval covers the true effect at its nominal level", {
  # Known truth, no pleiotropy: 150 data sets of 20 variants, 100 bootstrap replicates each.
  # Coverage of the 95% interval should be at least 0.95 (Monte Carlo SE 0.018). It is
  # conservative (0.99 here): redrawn data add heterogeneity, so some replicates select the
  # MR-Egger models, whose spread widens the SD. TwoSampleMR's interval (lower bound above
  # the upper) cannot cover anything.
  withr::local_seed(41)
  p <- default_parameters(nboot = 100)
  hits <- vapply(seq_len(150), function(i) {
    dat <- simulate_mr_data(nsnp = 20, b = 0.2)
    r <- mr_rucker_bootstrap(dat, p)[[1]]$res
    m <- r[r$Method == "Rucker mean", ]
    m$CI_low <= 0.2 && 0.2 <= m$CI_upp
  }, logical(1))
  expect_gt(mean(hits), 0.95 - 3 * sqrt(0.95 * 0.05 / 150))
})
