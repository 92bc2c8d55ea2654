test_that("Wald ratio is by/bx with first-order SE and normal p", {
  r <- mr_wald_ratio(0.2, -0.05, 0.01, 0.02)
  expect_equal(r$b, -0.25)
  expect_equal(r$se, 0.1)
  expect_equal(r$pval, 2 * stats::pnorm(-2.5))
  expect_equal(r$nsnp, 1L)
})

test_that("Wald ratio equals TwoSampleMR's single-SNP rows on BMI -> CHD", {
  skip_if_no_shared()
  d <- bmi_chd()
  ref <- read_shared("reference", "bmi_chd", "singlesnp.csv")
  ref <- ref[ref$method == "Wald ratio", ]
  i <- match(ref$SNP, d$SNP)
  for (k in seq_along(i)) {
    r <- mr_wald_ratio(d$beta.exposure[i[k]], d$beta.outcome[i[k]], d$se.exposure[i[k]], d$se.outcome[i[k]])
    expect_lt(max(rel_diff(c(r$b, r$se, r$pval), c(ref$estimate[k], ref$se[k], ref$pval[k]))), 1e-10)
  }
})

test_that("Wald ratio with more than one variant is NA", {
  r <- mr_wald_ratio(c(0.1, 0.2), c(0.1, 0.2), c(0.01, 0.01), c(0.01, 0.01))
  expect_true(is.na(r$b))
  expect_match(r$note, "exactly one")
})
