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

test_that("confidence limits follow alpha", {
  d <- sim(nsnp = 20, b = 0.3)
  res <- mr(d, method_list = "mr_ivw", parameters = default_parameters(alpha = 0.1))
  expect_equal(res$lo_ci, res$b - stats::qnorm(0.95) * res$se)
  expect_equal(res$up_ci, res$b + stats::qnorm(0.95) * res$se)
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
