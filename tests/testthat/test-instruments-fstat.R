test_that("Isq is TwoSampleMR's I-squared of inverse-variance weighted values", {
  y <- c(0.1, 0.3, 0.2, 0.5, -0.1); s <- c(0.05, 0.05, 0.1, 0.1, 0.2)
  w <- 1 / s^2
  Q <- sum(w * (y - sum(w * y) / sum(w))^2)
  expect_equal(Isq(y, s), max(0, (Q - 4) / Q), tolerance = 1e-14)
  # Homogeneous values: I2 is floored at 0.
  expect_identical(Isq(c(1, 1.01, 0.99), c(1, 1, 1)), 0)
  expect_identical(Isq(0.2, 0.1), NA_real_)
  expect_identical(Isq(c(0.2, NA), c(0.1, 0.1)), NA_real_)
  expect_error(Isq(c(1, 2), c(1, 0)), class = "mrkit_error_se_nonpositive")
  expect_error(Isq(c(1, 2), 1), class = "mrkit_error_input_length")
  expect_error(Isq("a", 1), class = "mrkit_error_input_type")
})

test_that("isq_gx follows each package's definition", {
  d <- sim(nsnp = 40, b = 0.2, seed = 3)
  withr::local_seed(3)
  bx <- d$beta.exposure; sx <- d$se.exposure; sy <- d$se.outcome * runif(40, 0.5, 2)
  expect_identical(isq_gx(bx, sx), Isq(abs(bx), sx))
  mr_conv <- isq_gx(bx, sx, sy, convention = "MendelianRandomization")
  expect_equal(mr_conv, Isq(abs(bx) / sy, sx / sy), tolerance = 1e-14)
  expect_gt(abs(mr_conv - isq_gx(bx, sx)), 1e-6)
  # With a constant outcome SE the two definitions agree.
  expect_equal(isq_gx(bx, sx, rep(0.02, 40), convention = "MendelianRandomization"), isq_gx(bx, sx),
               tolerance = 1e-12)
  expect_error(isq_gx(bx, sx, convention = "MendelianRandomization"), class = "mrkit_error_missing_argument")
  expect_error(isq_gx(bx, sx, convention = "other"))
  expect_snapshot(isq_gx(bx, sx, convention = "MendelianRandomization"), error = TRUE)
})

test_that("isq_gx equals MendelianRandomization's mr_egger()@I.sq", {
  skip_if_not_installed("MendelianRandomization")
  skip_if_no_shared()
  d <- bmi_chd()
  fit <- MendelianRandomization::mr_egger(MendelianRandomization::mr_input(
    bx = d$beta.exposure, bxse = d$se.exposure, by = d$beta.outcome, byse = d$se.outcome))
  expect_lt(rel_diff(isq_gx(d$beta.exposure, d$se.exposure, d$se.outcome, "MendelianRandomization"), fit@I.sq), 1e-10)
})

test_that("fstat_snp and mr_fstat summarise instrument strength per pair", {
  expect_equal(fstat_snp(c(0.02, -0.05), c(0.004, 0.01)), c(25, 25))
  expect_error(fstat_snp(0.1, -1), class = "mrkit_error_se_nonpositive")
  strong <- sim(nsnp = 30, fstat = 60, seed = 1)
  weak <- sim(nsnp = 20, fstat = 3, seed = 2)
  weak$id.exposure <- "weak"
  expect_no_warning(f1 <- mr_fstat(strong))
  expect_named(f1, c("id.exposure", "id.outcome", "outcome", "exposure", "nsnp", "mean_F", "min_F",
                     "median_F", "isq_gx", "nweak_F"))
  fj <- (strong$beta.exposure / strong$se.exposure)^2
  expect_equal(unlist(f1[c("nsnp", "mean_F", "min_F", "median_F")]),
               c(nsnp = 30, mean_F = mean(fj), min_F = min(fj), median_F = median(fj)))
  expect_equal(f1$isq_gx, isq_gx(strong$beta.exposure, strong$se.exposure))
  expect_identical(f1$nweak_F, sum(fj < 10))
  expect_warning(f2 <- mr_fstat(rbind(weak, strong)), class = "mrkit_warning_weak_instruments")
  expect_identical(f2$id.exposure, c("exp1", "weak"))
  expect_lt(f2$mean_F[2], 10)
  f3 <- suppressWarnings(mr_fstat(rbind(weak, strong), convention = "MendelianRandomization"))
  expect_equal(f3$isq_gx[2], isq_gx(weak$beta.exposure, weak$se.exposure, weak$se.outcome,
                                    "MendelianRandomization"))
  expect_true(is.na(mr_fstat(strong[1, ])$isq_gx))
  expect_snapshot(invisible(mr_fstat(weak)))
})

test_that("mr_fstat on BMI -> CHD", {
  skip_if_no_shared()
  d <- bmi_chd()
  f <- mr_fstat(d)
  expect_identical(f$nsnp, 79L)
  expect_equal(f$mean_F, mean((d$beta.exposure / d$se.exposure)^2))
  expect_gt(f$mean_F, 10)
})

test_that("add_fstat attaches mean and min F per pair to mr() results", {
  strong <- sim(nsnp = 30, fstat = 60, seed = 1)
  weak <- sim(nsnp = 20, fstat = 4, seed = 2, id_exposure = "weak")
  dat <- rbind(strong, weak)
  dat$mr_keep[3] <- FALSE
  res <- suppressWarnings(mr(dat, method_list = c("mr_egger_regression", "mr_ivw")))
  expect_warning(out <- add_fstat(res, dat), class = "mrkit_warning_weak_instruments")
  expect_s3_class(out, "mrkit_results")
  expect_identical(attr(out, "parameters"), attr(res, "parameters"))
  expect_named(out, union(names(res), c("fstat_mean", "fstat_min", "fstat_nweak")))
  f_strong <- ((strong$beta.exposure / strong$se.exposure)^2)[-3]
  f_weak <- (weak$beta.exposure / weak$se.exposure)^2
  expect_equal(out$fstat_mean, rep(c(mean(f_strong), mean(f_weak)), each = 2))
  expect_equal(out$fstat_min, rep(c(min(f_strong), min(f_weak)), each = 2))
  expect_identical(out$fstat_nweak, rep(c(sum(f_strong < 10), sum(f_weak < 10)), each = 2))
  expect_no_warning(add_fstat(res[1:2, ], strong))
  # A pair of the results absent from dat gets NA.
  expect_true(all(is.na(suppressWarnings(add_fstat(res, strong))$fstat_mean[3:4])))
  expect_error(add_fstat(1, dat), class = "mrkit_error_input_type")
  # What mr() calls on the pairs it has prepared gives the same.
  expect_identical(suppressWarnings(mrkit:::attach_fstat(res, mrkit:::prepare_pairs(dat))), out)
})

test_that("add_fstat on BMI -> CHD", {
  skip_if_no_shared()
  d <- bmi_chd()
  res <- mr(d, method_list = "mr_ivw")
  out <- add_fstat(res, d)
  f <- (d$beta.exposure / d$se.exposure)^2
  expect_equal(out$fstat_mean, mean(f))
  expect_equal(out$fstat_min, min(f))
  expect_identical(out$fstat_nweak, 0L)
})
