test_that("new_frame() gives what data.frame() gives for equal-length atomic columns", {
  cols <- list(a = c("x", "y", "z"), b = 1:3, c = c(0.5, NA, 2), d = c(TRUE, FALSE, NA))
  expect_identical(new_frame(cols), data.frame(cols, stringsAsFactors = FALSE))
  expect_identical(new_frame(list(a = "x", b = 1:2)), data.frame(a = "x", b = 1:2))
  expect_identical(new_frame(list(a = character(), b = numeric())),
                   data.frame(a = character(), b = numeric()))
  expect_error(new_frame(list(a = 1:2, b = 1:3)))
})

test_that("bind_frames() stacks by name and fills missing columns, as rbind() of filled frames", {
  a <- data.frame(id = c("p", "q"), b = c(0.1, 0.2), stringsAsFactors = FALSE)
  b <- data.frame(id = "r", Q = 3L, b = NA_real_, stringsAsFactors = FALSE)
  expect_identical(bind_frames(list(a, NULL, b)),
                   data.frame(id = c("p", "q", "r"), b = c(0.1, 0.2, NA), Q = c(NA, NA, 3L),
                              stringsAsFactors = FALSE))
  expect_null(bind_frames(list(NULL)))
  # Factor columns go through rbind(), which merges their levels.
  f <- bind_frames(list(data.frame(g = factor("u")), data.frame(g = factor("v"), x = 1)))
  expect_identical(levels(f$g), c("u", "v"))
  expect_identical(f$x, c(NA, 1))
})
