# The shared layer under the estimators (R/fit.R): the vector signature or a harmonised
# table in, one result with the audit of the rows not used out (rule: ?mr_input).

# Every exported estimator with TwoSampleMR's vector signature.
vector_estimators <- function() {
  c(mr_method_list()$obj, "mr_ivw_mre", "mr_cml", "mr_conmix", "mr_lasso", "mr_pivw",
    "mr_radial_ivw", "mr_radial_egger", "mr_ivw_penalised", "mr_ivw_robust",
    "mr_ivw_robust_penalised", "mr_egger_penalised", "mr_egger_robust", "mr_egger_robust_penalised")
}

fit_one <- function(fn, ...) {
  f <- getExportedValue("mrkit", fn)
  extra <- if (fn == "mr_cml") list(n = 1e5, DP = FALSE) else list()
  withr::with_seed(1, suppressWarnings(do.call(f, c(list(...), list(parameters = default_parameters(nboot = 20)), extra))))
}

test_that("every vector-signature estimator takes a harmonised table, on the mr_keep complete rows", {
  d <- sim(nsnp = 25, b = 0.3, pleiotropy = "balanced", seed = 11)
  d$mr_keep[c(2, 9)] <- FALSE
  d$se.exposure[4] <- NA
  d$se.exposure[2] <- -1               # not used (mr_keep FALSE): no error
  use <- setdiff(seq_len(25), c(2, 4, 9))
  fns <- unique(vector_estimators())
  fns <- fns[vapply(fns, exists, logical(1), envir = asNamespace("mrkit"))]
  expect_gte(length(fns), 30L)
  for (fn in setdiff(fns, c("mr_wald_ratio", "mr_sign"))) {
    tab <- suppressMessages(fit_one(fn, d))
    vec <- fit_one(fn, d$beta.exposure[use], d$beta.outcome[use], d$se.exposure[use], d$se.outcome[use])
    same <- setdiff(names(vec), c("ValidSNPs", "snps"))
    expect_identical(unclass(tab)[same], unclass(vec)[same], label = fn)
    # Variant indices refer to the rows of the input, variant names come from SNP.
    if (!is.null(vec$ValidSNPs)) expect_identical(tab$ValidSNPs, use[vec$ValidSNPs], label = fn)
    if (is.data.frame(vec$snps)) {
      expect_identical(tab$snps$SNP, d$SNP[use], label = fn)
      expect_identical(tab$snps[-1], vec$snps[-1], label = fn)
    }
    audit <- attr(tab, "audit")
    expect_equal(audit$row, c(2L, 4L, 9L), label = fn)
    expect_equal(audit$SNP, d$SNP[c(2, 4, 9)], label = fn)
  }
  one <- d[1, ]
  expect_equal(mr_wald_ratio(one)$b, d$beta.outcome[1] / d$beta.exposure[1])
  # mr_sign uses signs only: a missing standard error does not drop row 4.
  s <- suppressMessages(mr_sign(d))
  expect_equal(attr(s, "audit")$row, c(2L, 9L))
  x <- sum(sign(d$beta.exposure[-c(2, 9)]) == sign(d$beta.outcome[-c(2, 9)]))
  expect_equal(c(s$n_concordant, s$b), c(x, 2 * (x / 23 - 0.5)))
})

test_that("the message says how many rows were left out and why, once", {
  d <- sim(nsnp = 10, b = 0.3, seed = 12)
  d$mr_keep[1] <- FALSE
  d$beta.outcome[2:3] <- NA
  expect_snapshot(r <- mr_ivw(d))
  msgs <- testthat::capture_messages(mr_median(d, default_parameters(nboot = 20)))
  expect_length(msgs, 1L)
  expect_match(msgs[1], "mr_median\\(\\) used 7 of 10 rows")
  v <- d[!d$mr_keep | TRUE, ]
  expect_snapshot(r2 <- mr_egger_regression(v$beta.exposure, v$beta.outcome, v$se.exposure, v$se.outcome))
  expect_equal(attr(r2, "audit"), data.frame(id.exposure = NA_character_, id.outcome = NA_character_,
                                             SNP = NA_character_, row = 2:3,
                                             reason = "missing effect or standard error"))
  # Nothing left out: no message and no audit.
  expect_no_message(r3 <- mr_ivw(sim(nsnp = 10, b = 0.3, seed = 12)))
  expect_null(attr(r3, "audit"))
})

test_that("mr_sign needs no standard errors, from vectors or a table", {
  d <- sim(nsnp = 12, b = 0.3, seed = 13)
  d$se.outcome <- NA
  s_tab <- mr_sign(d)
  s_vec <- mr_sign(d$beta.exposure, d$beta.outcome)
  expect_identical(s_tab$b, s_vec$b)
  expect_equal(s_tab$b, 2 * (mean(sign(d$beta.exposure) == sign(d$beta.outcome)) - 0.5))
  expect_null(attr(s_tab, "audit"))
})

test_that("a table with several pairs, or a table and vectors, are classed errors", {
  d <- sim(nsnp = 10, b = 0.3, seed = 14)
  two <- rbind(d, transform(d, id.outcome = "out2"))
  expect_error(mr_ivw(two), class = "mrkit_error_several_pairs")
  expect_error(mr_raps(two), class = "mrkit_error_several_pairs")
  expect_error(mr_ivw(d, d$beta.outcome), class = "mrkit_error_input_type")
  expect_error(mr_ivw(d$beta.exposure), class = "mrkit_error_missing_argument")
  expect_error(mr_ivw(d[setdiff(names(d), "se.outcome")]), class = "mrkit_error_missing_column")
  d$beta.outcome[3] <- Inf
  expect_error(mr_ivw(d), class = "mrkit_error_input_value")
  expect_snapshot(error = TRUE, {
    mr_ivw(two)
    mr_ivw(d$beta.exposure, d$beta.outcome)
    mr_ivw(d)
  })
})

test_that("a vector-form result prints the fields its method filled in, and stays TwoSampleMR's list", {
  d <- sim(nsnp = 20, b = 0.2, seed = 1)
  v <- with(d, list(beta.exposure, beta.outcome, se.exposure, se.outcome))
  wm <- do.call(mr_weighted_median, c(v, list(parameters = default_parameters(nboot = 200, seed = 5))))
  eg <- do.call(mr_egger_regression, v)
  eg2 <- do.call(mr_egger_regression, lapply(v, `[`, 1:2))
  # the list keeps every field, whatever the method or the data
  expect_identical(names(eg), names(eg2))
  expect_true(all(c("b", "se", "pval", "nsnp", "b_i", "Q") %in% names(wm)))
  expect_equal(as.data.frame(eg)$b, eg$b)
  expect_snapshot({
    wm
    eg
    eg2
    mr_ivw(v[[1]], v[[2]], v[[3]], v[[4]], parameters = default_parameters(alpha = 0.1))
  })
})
