mt_table <- function() {
  withr::local_seed(11)
  data.frame(id.outcome = rep(c("o1", "o2", "o3"), each = 8),
             method = rep(c("MR Egger", "Inverse variance weighted"), times = 12),
             pval = c(runif(20)^3, 1e-6, NA, 0.5, 0.0049), stringsAsFactors = FALSE)
}

test_that("mr_adjust equals p.adjust() within user-defined families", {
  res <- mt_table()
  out <- mr_adjust(res, by = c("id.outcome", "method"))
  fam <- paste(res$id.outcome, res$method)
  for (f in unique(fam)) {
    i <- fam == f
    expect_equal(out$pval_bonferroni[i], p.adjust(res$pval[i], "bonferroni"), tolerance = 1e-15)
    expect_equal(out$pval_bh[i], p.adjust(res$pval[i], "BH"), tolerance = 1e-15)
    expect_identical(out$family_size[i], rep(sum(!is.na(res$pval[i])), sum(i)))
  }
  expect_identical(out$significant_bh, out$pval_bh < 0.05)
  n <- out$family_size
  expect_identical(out$significant_bonferroni, res$pval < 0.05 / n)
  # One family by default.
  all <- mr_adjust(res)
  expect_equal(all$pval_bh, p.adjust(res$pval, "BH"), tolerance = 1e-15)
  expect_equal(all$pval_bonferroni, p.adjust(res$pval, "bonferroni"), tolerance = 1e-15)
  expect_true(is.na(all$pval_bh[22]) && is.na(all$significant_bonferroni[22]))
  # Other columns and the class are kept; only the requested method is added.
  only <- mr_adjust(structure(res, class = c("mrkit_results", "data.frame")), method = "BH")
  expect_s3_class(only, "mrkit_results")
  expect_false("pval_bonferroni" %in% names(only))
  expect_identical(only$pval, res$pval)
})

test_that("family_size forces the divisor, as in the 0.05/9 threshold of study 2", {
  # Nine brain-iron regions; MS -> right thalamus p = 0.004 survives 0.05/9, 0.023 does not.
  res <- data.frame(outcome = c("thalamus_r", "thalamus_l", "caudate_l", "serum_iron"),
                    pval = c(0.004, 0.03, 0.045, 0.023))
  out <- mr_adjust(res[1:3, ], family_size = 9)
  expect_identical(out$significant_bonferroni, c(TRUE, FALSE, FALSE))
  expect_equal(out$pval_bonferroni, pmin(1, 9 * res$pval[1:3]), tolerance = 1e-15)
  expect_identical(out$significant_bonferroni, res$pval[1:3] < 0.05 / 9)
  expect_equal(out$pval_bh, p.adjust(res$pval[1:3], "BH", n = 9), tolerance = 1e-15)
  expect_identical(out$family_size, rep(9L, 3))
  # Families defined by column plus a forced size.
  res$group <- c("qsm", "qsm", "qsm", "serum")
  g <- mr_adjust(res, by = "group", family_size = 9, alpha = 0.01)
  expect_equal(g$pval_bh[4], p.adjust(0.023, "BH", n = 9), tolerance = 1e-15)
  expect_identical(g$significant_bonferroni, res$pval < 0.01 / 9)
})

test_that("mr_adjust rejects bad input with classed errors", {
  res <- data.frame(pval = c(0.01, 0.2, 0.03), outcome = "a")
  expect_error(mr_adjust(res, family_size = 2), class = "mrkit_error_parameter")
  expect_error(mr_adjust(res, family_size = 2.5), class = "mrkit_error_parameter")
  expect_error(mr_adjust(res, by = "exposure"), class = "mrkit_error_missing_column")
  expect_error(mr_adjust(data.frame(pval = c(0.1, 1.2))), class = "mrkit_error_input_value")
  expect_error(mr_adjust(res, method = "holm"), class = "mrkit_error_parameter")
  expect_error(mr_adjust(res, alpha = 2), class = "mrkit_error_parameter")
  expect_error(mr_adjust(list(pval = 0.1)), class = "mrkit_error_input_type")
  expect_snapshot(mr_adjust(res, family_size = 2), error = TRUE)
  # The leave-one-out tables call their p-value column `p`.
  loo <- data.frame(p = c(0.01, 0.02))
  expect_equal(mr_adjust(loo, pval_col = "p")$pval_bonferroni, c(0.02, 0.04))
})
