# Shared plot helpers: pairs in TwoSampleMR's order, named "<id.exposure>.<id.outcome>".

test_that("tables split into pairs sorted by exposure then outcome, named by both ids", {
  x <- data.frame(id.exposure = c("b", "a", "b", "a"), id.outcome = c("y", "z", "x", "z"),
                  SNP = c("rs1", "rs2", "rs3", "rs4"))
  s <- plot_split_pairs(x)
  expect_named(s, c("a.z", "b.x", "b.y"))
  expect_equal(s[["a.z"]]$SNP, c("rs2", "rs4"))
  x$id.exposure <- factor(x$id.exposure)
  expect_named(plot_split_pairs(x), c("a.z", "b.x", "b.y"))
})

test_that("per-SNP text shrinks with rows but stays readable", {
  expect_equal(plot_row_text_size(10), 8)
  expect_equal(plot_row_text_size(50), 320 / 50)
  expect_equal(plot_row_text_size(500), 5)
})
