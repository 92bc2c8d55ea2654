# P-values floored at .Machine$double.xmin for finite statistics, exact log10 kept.

test_that("normal p-values never underflow for a finite z and keep their log10", {
  z <- c(0, 1.959963984540054, 40, -1e4, Inf, NA)
  p <- mrkit:::p_normal_two_sided(z)
  expect_equal(p[1:2], c(1, 0.05), tolerance = 1e-15)
  expect_identical(p[3:4], rep(.Machine$double.xmin, 2))
  expect_identical(p[5], 0)
  expect_true(is.na(p[6]))
  # log(2 Phi(-z)) from Mills' ratio series at z = 1e4 (hand derivation).
  ref <- (log(2) - 1e8 / 2 - log(1e4) - 0.5 * log(2 * pi) + log1p(-1e-8 + 3e-16)) / log(10)
  expect_lt(abs(mrkit:::log10_p_normal_two_sided(-1e4) / ref - 1), 1e-14)
  expect_equal(mrkit:::log10_p_normal_two_sided(1.959963984540054), log10(0.05), tolerance = 1e-14)
})

test_that("chi-squared log10 p-values on 2 df are -q / (2 log 10)", {
  q <- c(10, 2000, 1e6)
  expect_equal(mrkit:::log10_p_chisq_upper(q, 2), -q / (2 * log(10)), tolerance = 1e-14)
})

test_that("Monte Carlo p-values of 0 are shown below the simulation's resolution", {
  # 0 exceedances in 1,000 draws: p < 1/1000; Bonferroni over 50 variants: p < 50/1000.
  expect_identical(mrkit:::format_mc_pvalue(c(0, 0.004, NA), 1 / 1000), c("< 0.001", "0.0040", NA))
  expect_identical(mrkit:::format_mc_pvalue(0, 50 / 1000), "< 0.05")
})
