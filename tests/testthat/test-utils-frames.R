test_that("new_frame() gives what data.frame() gives for equal-length atomic columns", {
  cols <- list(a = c("x", "y", "z"), b = 1:3, c = c(0.5, NA, 2), d = c(TRUE, FALSE, NA))
  expect_identical(new_frame(cols), data.frame(cols, stringsAsFactors = FALSE))
  expect_identical(new_frame(list(a = "x", b = 1:2)), data.frame(a = "x", b = 1:2))
  expect_identical(new_frame(list(a = character(), b = numeric())),
                   data.frame(a = character(), b = numeric()))
  expect_error(new_frame(list(a = 1:2, b = 1:3)))
})
