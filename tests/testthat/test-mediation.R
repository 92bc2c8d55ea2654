sim_med <- function(..., seed = 1) simulate_mediation_data(..., seed = seed)

test_that("two-step and difference estimates equal their closed forms", {
  s <- sim_med(seed = 3)
  m <- mr_mediation(s$dat_xm, s$dat_my, s$dat_xy, s$mvdat)
  expect_s3_class(m, c("mrkit_mediation", "mrkit_results", "data.frame"))
  expect_identical(m$effect, c("total", "indirect", "direct", "proportion_mediated",
                               "direct", "indirect", "proportion_mediated"))
  expect_true(all(c("exposure", "mediator", "outcome", "effect", "method", "b", "se", "lo_ci",
                    "up_ci", "pval", "nsnp") %in% names(m)))
  a <- mr_ivw(s$dat_xm$beta.exposure, s$dat_xm$beta.outcome, s$dat_xm$se.exposure, s$dat_xm$se.outcome)
  b <- mr_ivw(s$dat_my$beta.exposure, s$dat_my$beta.outcome, s$dat_my$se.exposure, s$dat_my$se.outcome)
  tot <- mr_ivw(s$dat_xy$beta.exposure, s$dat_xy$beta.outcome, s$dat_xy$se.exposure, s$dat_xy$se.outcome)
  ind_se <- sqrt(a$b^2 * b$se^2 + b$b^2 * a$se^2)
  expect_equal(m$b[1:4], c(tot$b, a$b * b$b, tot$b - a$b * b$b, a$b * b$b / tot$b), tolerance = 1e-12)
  expect_equal(m$se[2], ind_se, tolerance = 1e-12)
  expect_equal(m$se[3], sqrt(tot$se^2 + ind_se^2), tolerance = 1e-12)
  expect_equal(m$se[4], sqrt((b$b / tot$b)^2 * a$se^2 + (a$b / tot$b)^2 * b$se^2 +
                               (a$b * b$b / tot$b^2)^2 * tot$se^2), tolerance = 1e-12)
  expect_equal(m$lo_ci[2], a$b * b$b - qnorm(0.975) * ind_se, tolerance = 1e-12)
  expect_equal(m$pval[2], 2 * pnorm(-abs(a$b * b$b / ind_se)), tolerance = 1e-12)
  expect_identical(m$nsnp[1:2], c(40L, 80L))
  # Direct effect of the difference method: weighted regression through the origin, as lm().
  fit <- summary(lm(s$mvdat$outcome_beta ~ 0 + s$mvdat$exposure_beta, weights = 1 / s$mvdat$outcome_se^2))
  expect_equal(m$b[5], fit$coefficients[1, 1], tolerance = 1e-10)
  expect_equal(m$se[5], fit$coefficients[1, 2], tolerance = 1e-10)
  expect_equal(m$b[6], tot$b - m$b[5], tolerance = 1e-12)
  expect_equal(m$se[6], sqrt(tot$se^2 + m$se[5]^2), tolerance = 1e-12)
  expect_equal(m$b[7], 1 - m$b[5] / tot$b, tolerance = 1e-12)
  steps <- attr(m, "steps")
  expect_equal(steps$b, c(a$b, b$b, tot$b), tolerance = 1e-12)
  expect_identical(unique(m$mediator[-1]), "Mediator")
  # Without the total effect only the indirect effect is estimated.
  only <- mr_mediation(s$dat_xm, s$dat_my)
  expect_identical(only$effect, "indirect")
  # Another registered method for the steps.
  eg <- mr_mediation(s$dat_xm, s$dat_my, method = "mr_egger_regression")
  ae <- mr_egger_regression(s$dat_xm$beta.exposure, s$dat_xm$beta.outcome, s$dat_xm$se.exposure, s$dat_xm$se.outcome)
  be <- mr_egger_regression(s$dat_my$beta.exposure, s$dat_my$beta.outcome, s$dat_my$se.exposure, s$dat_my$se.outcome)
  expect_equal(eg$b, ae$b * be$b, tolerance = 1e-12)
  expect_match(eg$method, "MR Egger")
})

test_that("estimates are unbiased and the delta-method (Sobel) intervals cover 95%", {
  # X -> M -> Y with separate instruments; a = b = 0.35 makes both terms of the Sobel
  # variance equally large, so a standard error that drops or mis-weights one of them
  # covers about 84% instead of 95%, and its mean falls ~30% short of the empirical SD.
  R <- 300
  withr::local_seed(2024)
  x <- t(vapply(seq_len(R), function(r) {
    s <- simulate_mediation_data(a = 0.35, b = 0.35, direct = 0.2, fstat = 200)
    m <- mr_mediation(s$dat_xm, s$dat_my, s$dat_xy)
    st <- attr(m, "steps")
    c(m$b[2], m$se[2], m$lo_ci[2], m$up_ci[2], m$b[4], m$se[4], m$lo_ci[4], m$up_ci[4],
      m$b[3], st$b[1], st$se[2])
  }, numeric(11)))
  ind <- 0.35^2; prop <- ind / (0.2 + ind)
  expect_lt(abs(mean(x[, 1]) - ind), 3 * sd(x[, 1]) / sqrt(R) + 0.002)
  expect_gt(mean(x[, 2]) / sd(x[, 1]), 0.88)
  expect_lt(mean(x[, 2]) / sd(x[, 1]), 1.15)
  cover <- mean(x[, 3] < ind & x[, 4] > ind)
  expect_gt(cover, 0.91)
  expect_lt(cover, 0.985)
  # The check is sensitive: a CI from half of the Sobel variance covers far less.
  wrong <- abs(x[, 10]) * x[, 11]
  expect_lt(mean(abs(x[, 1] - ind) < qnorm(0.975) * wrong), 0.88)
  # Proportion mediated and direct effect.
  expect_lt(abs(mean(x[, 5]) - prop), 3 * sd(x[, 5]) / sqrt(R) + 0.005)
  expect_gt(mean(x[, 6]) / sd(x[, 5]), 0.88)
  expect_gt(mean(x[, 7] < prop & x[, 8] > prop), 0.91)
  expect_lt(abs(mean(x[, 9]) - 0.2), 0.01)
})

test_that("the difference method recovers the direct and indirect effects", {
  R <- 60
  withr::local_seed(7)
  x <- t(vapply(seq_len(R), function(r) {
    s <- simulate_mediation_data(a = 0.3, b = 0.4, direct = 0.2, fstat = 200)
    m <- mr_mediation(s$dat_xm, s$dat_my, s$dat_xy, s$mvdat)
    d <- m[m$approach == "difference", ]
    c(d$b, d$lo_ci[1] < 0.2 & d$up_ci[1] > 0.2, d$lo_ci[2] < 0.12 & d$up_ci[2] > 0.12)
  }, numeric(5)))
  expect_lt(abs(mean(x[, 1]) - 0.2), 0.01)
  expect_lt(abs(mean(x[, 2]) - 0.12), 0.01)
  expect_lt(abs(mean(x[, 3]) - 0.12 / 0.32), 0.03)
  expect_gt(mean(x[, 4]), 0.85)
  # Independence of total and direct is assumed: conservative, never anti-conservative here.
  expect_gt(mean(x[, 5]), 0.93)
})

test_that("Monte Carlo intervals are reproducible with set.seed() and agree with the delta method", {
  s <- sim_med(seed = 5)
  set.seed(10); b1 <- mr_mediation(s$dat_xm, s$dat_my, s$dat_xy, s$mvdat, ci = "bootstrap", nboot = 5000)
  set.seed(10); b2 <- mr_mediation(s$dat_xm, s$dat_my, s$dat_xy, s$mvdat, ci = "bootstrap", nboot = 5000)
  set.seed(11); b3 <- mr_mediation(s$dat_xm, s$dat_my, s$dat_xy, s$mvdat, ci = "bootstrap", nboot = 5000)
  expect_identical(b1, b2)
  expect_false(identical(b1$lo_ci, b3$lo_ci))
  d <- mr_mediation(s$dat_xm, s$dat_my, s$dat_xy, s$mvdat)
  expect_identical(b1$b, d$b)
  expect_identical(b1$se, d$se)
  derived <- b1$ci_type == "bootstrap"
  expect_identical(which(derived), c(2L, 3L, 4L, 6L, 7L))
  expect_identical(b1$lo_ci[!derived], d$lo_ci[!derived])
  width_b <- b1$up_ci - b1$lo_ci
  width_d <- d$up_ci - d$lo_ci
  expect_lt(max(abs(width_b[derived] / width_d[derived] - 1)), 0.1)
  expect_identical(attr(b1, "nboot"), 5000L)
  # The interval is the percentile interval of the product of normal draws.
  set.seed(10)
  st <- attr(d, "steps")
  tot_d <- rnorm(5000, st$b[3], st$se[3])
  ind_d <- rnorm(5000, st$b[1], st$se[1]) * rnorm(5000, st$b[2], st$se[2])
  expect_equal(b1$lo_ci[2], unname(quantile(ind_d, 0.025)), tolerance = 1e-12)
  expect_equal(b1$up_ci[4], unname(quantile(ind_d / tot_d, 0.975)), tolerance = 1e-12)
})

test_that("several mediators are analysed at once, from lists or stacked tables", {
  s1 <- sim_med(seed = 1, mediator_id = "m1", mediator = "Vitamin D")
  s2 <- sim_med(seed = 2, mediator_id = "m2", mediator = "Zinc")
  s2$dat_my$SNP <- paste0(s2$dat_my$SNP, "b")
  one1 <- mr_mediation(s1$dat_xm, s1$dat_my, s1$dat_xy)
  one2 <- mr_mediation(s2$dat_xm, s2$dat_my, s1$dat_xy)
  both <- mr_mediation(list(s1$dat_xm, s2$dat_xm), list(s1$dat_my, s2$dat_my), s1$dat_xy)
  expect_identical(both$mediator, c(NA, rep(c("Vitamin D", "Zinc"), each = 3)))
  expect_equal(both$b[2:4], one1$b[2:4], tolerance = 1e-14)
  expect_equal(both$b[5:7], one2$b[2:4], tolerance = 1e-14)
  stacked <- mr_mediation(rbind(s1$dat_xm, s2$dat_xm), rbind(s2$dat_my, s1$dat_my), s1$dat_xy)
  expect_equal(as.data.frame(stacked), as.data.frame(both))
  expect_identical(nrow(attr(both, "diagnostics")), 2L)
  expect_error(mr_mediation(rbind(s1$dat_xm, s2$dat_xm), s1$dat_my), class = "mrkit_error_mediator_mismatch")
  expect_error(mr_mediation(list(s1$dat_xm, s2$dat_xm), list(s1$dat_my)), class = "mrkit_error_mediator_mismatch")
})

test_that("the difference method takes several mediators from mvdat", {
  s <- sim_med(seed = 12)
  mv <- s$mvdat
  withr::local_seed(12)
  extra <- rnorm(nrow(mv$exposure_beta), 0, 0.01)
  mv$exposure_beta <- cbind(mv$exposure_beta, m2 = extra)
  mv$exposure_se <- cbind(mv$exposure_se, m2 = 0.01)
  mv$expname <- data.frame(id.exposure = c("x", "med1", "m2"), exposure = c("Exposure", "Mediator", "Zinc"))
  m <- mr_mediation(s$dat_xm, s$dat_my, s$dat_xy, mv)
  d <- m[m$approach == "difference", ]
  fit <- summary(lm(mv$outcome_beta ~ 0 + mv$exposure_beta, weights = 1 / mv$outcome_se^2))
  expect_equal(d$b[1], fit$coefficients[1, 1], tolerance = 1e-10)
  expect_equal(d$se[1], fit$coefficients[1, 2], tolerance = 1e-10)
  expect_identical(unique(d$mediator), "Mediator + Zinc")
  expect_identical(unique(d$id.mediator), "med1 + m2")
  # X is found by id, wherever its column is.
  mv2 <- mv
  mv2$exposure_beta <- mv$exposure_beta[, c(2, 1, 3)]
  mv2$expname <- mv$expname[c(2, 1, 3), ]
  expect_equal(mr_mediation(s$dat_xm, s$dat_my, s$dat_xy, mv2)$b, m$b, tolerance = 1e-12)
})

test_that("shared and weak instruments raise classed warnings", {
  s <- sim_med(seed = 4)
  my <- s$dat_my
  my$SNP[1:3] <- s$dat_xm$SNP[1:3]
  expect_warning(m <- mr_mediation(s$dat_xm, my, s$dat_xy), class = "mrkit_warning_shared_instruments")
  expect_identical(attr(m, "diagnostics")$n_shared, 3L)
  expect_snapshot(invisible(mr_mediation(s$dat_xm, my)))
  w <- sim_med(seed = 4, fstat = 3)
  expect_warning(mw <- mr_mediation(w$dat_xm, w$dat_my), class = "mrkit_warning_weak_instruments")
  expect_true(attr(mw, "diagnostics")$weak)
  expect_no_warning(mr_mediation(s$dat_xm, s$dat_my, s$dat_xy, s$mvdat))
})

test_that("bad input gives classed errors; few variants give NA rows", {
  s <- sim_med(seed = 6)
  expect_error(mr_mediation(s$dat_xm, s$dat_my, mvdat = s$mvdat), class = "mrkit_error_missing_argument")
  expect_error(mr_mediation(s$dat_xm, s$dat_my, method = "mr_nonexistent"), class = "mrkit_error_unknown_method")
  expect_error(mr_mediation(s$dat_xm, s$dat_my, ci = "bootstrap", nboot = 10), class = "mrkit_error_parameter")
  expect_error(mr_mediation(s$dat_xm[, -2], s$dat_my), class = "mrkit_error_missing_column")
  two_x <- rbind(s$dat_xm, transform(s$dat_xm, id.exposure = "x2"))
  expect_error(mr_mediation(two_x, s$dat_my), class = "mrkit_error_input_value")
  bad_mv <- s$mvdat
  bad_mv$expname$id.exposure <- c("p", "q")
  bad_mv$expname$exposure <- c("P", "Q")
  expect_error(mr_mediation(s$dat_xm, s$dat_my, s$dat_xy, bad_mv), class = "mrkit_error_mediator_mismatch")
  expect_error(mr_mediation(s$dat_xm, s$dat_my, s$dat_xy, list(a = 1)), class = "mrkit_error_input_type")
  expect_snapshot(mr_mediation(s$dat_xm, s$dat_my, s$dat_xy, bad_mv), error = TRUE)
  # One variant in the first step: IVW gives NA, so does the indirect effect.
  one <- s$dat_xm[1, ]
  m <- suppressWarnings(mr_mediation(one, s$dat_my, s$dat_xy))
  expect_true(is.na(m$b[m$effect == "indirect"]))
  expect_equal(m$b[m$effect == "total"],
               mr_ivw(s$dat_xy$beta.exposure, s$dat_xy$beta.outcome, s$dat_xy$se.exposure, s$dat_xy$se.outcome)$b)
})

test_that("print shows the decomposition", {
  s <- sim_med(seed = 8)
  m <- mr_mediation(s$dat_xm, s$dat_my, s$dat_xy, s$mvdat)
  expect_snapshot(print(m))
  expect_identical(class(as.data.frame(m)), "data.frame")
})

test_that("rows left out by the steps and the multivariable fit are announced once and audited", {
  s <- sim_med(seed = 9)
  s$dat_xm$mr_keep[c(1, 2)] <- FALSE
  s$dat_my$beta.outcome[3] <- NA
  s$mvdat$outcome_beta[5] <- NA
  rownames(s$mvdat$exposure_beta) <- paste0("snp", seq_along(s$mvdat$outcome_beta))
  expect_snapshot(m <- mr_mediation(s$dat_xm, s$dat_my, s$dat_xy, s$mvdat))
  audit <- attr(m, "audit")
  expect_equal(audit$step, c("dat_xm", "dat_xm", "dat_my", "mvdat"))
  expect_equal(audit$SNP, c(s$dat_xm$SNP[1:2], s$dat_my$SNP[3], "snp5"))
  expect_equal(audit$reason, c("mr_keep is FALSE", "mr_keep is FALSE", "missing effect or standard error",
                               "missing exposure or outcome effect or outcome standard error"))
  # The estimates are those of the rows used.
  a <- mr_ivw(s$dat_xm$beta.exposure[-(1:2)], s$dat_xm$beta.outcome[-(1:2)],
              s$dat_xm$se.exposure[-(1:2)], s$dat_xm$se.outcome[-(1:2)])
  expect_equal(attr(m, "steps")$b[1], a$b)
  mv <- mv_multiple(lapply(s$mvdat, function(x) if (is.matrix(x)) x[-5, , drop = FALSE] else
    if (is.numeric(x)) x[-5] else x), pval_threshold = 1)$result
  expect_equal(m$b[m$approach == "difference" & m$effect == "direct"], mv$b[mv$id.exposure == "x"])
})

test_that("at the sample sizes of the immune-cell study the two-step intervals cover the truth", {
  # Calibration of the article study-immune-micronutrients-pain: an Orrù immune trait
  # (N = 3,600, 8 instruments) raising serum 25-hydroxyvitamin D (N = 496,946,
  # 30 instruments) by a = 0.06 SD, which lowers thoracic spine pain (2,202 cases and
  # 164,682 controls: effective N = 2,173 on the log-odds scale) by b = -0.4 per SD, with
  # a direct effect of -0.19; total -0.214.
  R <- 150
  withr::local_seed(15)
  truth <- c(total = -0.19 + 0.06 * -0.4, indirect = 0.06 * -0.4, direct = -0.19)
  x <- t(vapply(seq_len(R), function(r) {
    s <- simulate_mediation_data(nsnp_x = 8, nsnp_m = 30, a = 0.06, b = -0.4, direct = -0.19,
                                 n_x = 3600, n_m = 496946, n_y = 2173, fstat = 60)
    m <- mr_mediation(s$dat_xm, s$dat_my, s$dat_xy)
    k <- match(names(truth), m$effect)
    c(m$b[k], m$lo_ci[k] < truth & truth < m$up_ci[k])
  }, numeric(6)))
  cover <- colMeans(x[, 4:6])
  expect_true(all(cover > 0.90 & cover < 0.99))
  # Unbiased within Monte Carlo error
  expect_true(all(abs(colMeans(x[, 1:3]) - truth) < 3 * apply(x[, 1:3], 2, sd) / sqrt(R)))
})

test_that("mr_mediation reports progress through progressr, one step per fitted step", {
  skip_if_not_installed("progressr")
  withr::local_options(progressr.enable = TRUE)
  sim <- simulate_mediation_data(seed = 1)
  steps <- 0
  withCallingHandlers(
    suppressWarnings(mr_mediation(sim$dat_xm, sim$dat_my, sim$dat_xy, sim$mvdat)),
    progression = function(c) if (identical(c$type, "update")) steps <<- steps + c$amount
  )
  # exposure -> mediator, mediator -> outcome, total
  expect_identical(steps, 3)
})
