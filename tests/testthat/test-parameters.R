test_that("default_parameters() has TwoSampleMR's names and values first", {
  p <- default_parameters()
  expect_equal(p[1:10], list(test_dist = "z", nboot = 1000L, Cov = 0, penk = 20, phi = 1,
                             alpha = 0.05, Qthresh = 0.05, over.dispersion = TRUE,
                             loss.function = "huber", shrinkage = FALSE))
  expect_equal(p$median_weights, "second_order")
  expect_equal(p$distribution, "TwoSampleMR")
  expect_equal(p$ivw_model, "random")
})

test_that("the MendelianRandomization convention switches every convention, and each can be overridden", {
  p <- default_parameters(convention = "MendelianRandomization")
  expect_equal(c(p$median_weights, p$distribution, p$ivw_model), c("first_order", "normal", "default"))
  p2 <- default_parameters(convention = "MendelianRandomization", distribution = "t")
  expect_equal(p2$distribution, "t")
})

test_that("partial TwoSampleMR-style parameter lists are completed", {
  p <- mrkit:::check_parameters(list(nboot = 50))
  expect_equal(p$nboot, 50L)
  expect_equal(p$penk, 20)
})

test_that("invalid parameters give classed errors", {
  expect_snapshot(error = TRUE, default_parameters(nboot = 0))
  expect_snapshot(error = TRUE, default_parameters(median_weights = "third_order"))
  expect_error(default_parameters(alpha = 2), class = "mrkit_error_parameter")
  expect_error(default_parameters(phi = c(1, -1)), class = "mrkit_error_parameter")
  expect_error(default_parameters(over.dispersion = NA), class = "mrkit_error_parameter")
  expect_error(mrkit:::check_parameters("x"), class = "mrkit_error_parameter")
  expect_error(default_parameters(seed = 1.5), class = "mrkit_error_parameter")
})

test_that("an unknown entry in a parameter list is an error that names it", {
  expect_snapshot(error = TRUE, mr(simulate_mr_data(nsnp = 5, seed = 1), parameters = list(foo = 1)))
  expect_error(mrkit:::check_parameters(list(nboot = 10, Nboot = 20)), class = "mrkit_error_parameter")
  expect_error(mrkit:::check_parameters(list(1)), class = "mrkit_error_parameter")
})

test_that("tsmr_quirks is off by default and must be TRUE or FALSE", {
  expect_false(default_parameters()$tsmr_quirks)
  expect_true(default_parameters(tsmr_quirks = TRUE)$tsmr_quirks)
  expect_error(default_parameters(tsmr_quirks = "yes"), class = "mrkit_error_parameter")
})
