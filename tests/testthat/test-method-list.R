test_that("the method table has TwoSampleMR's columns, names and default set", {
  m <- mr_method_list()
  expect_equal(names(m)[1:6], c("obj", "name", "PMID", "Description", "use_by_default", "heterogeneity_test"))
  expect_equal(m$obj[m$use_by_default],
               c("mr_wald_ratio", "mr_egger_regression", "mr_weighted_median", "mr_ivw",
                 "mr_simple_mode", "mr_weighted_mode"))
  expect_equal(m$name[m$obj == "mr_ivw"], "Inverse variance weighted")
  expect_false(anyDuplicated(m$obj) > 0)
  expect_false(anyDuplicated(m$name) > 0)
})

test_that("every exported estimator in the table exists as an R function", {
  m <- mr_method_list()
  expect_true(all(vapply(m$obj, exists, logical(1), envir = asNamespace("mrkit"))))
})
