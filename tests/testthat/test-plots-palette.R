# mr_method_colours(): one colour per method of mr_method_list(), all clearly distinct.

test_that("every method has its own colour, far apart from every other (CIE Lab)", {
  pal <- mr_method_colours()
  expect_named(pal, mr_method_list()$name)
  lab <- grDevices::convertColor(t(grDevices::col2rgb(pal)) / 255, from = "sRGB", to = "Lab")
  d <- stats::dist(lab)
  # a Lab distance of about 2 is just noticeable; the old hue-circle palette had 1.2
  # (IVW vs pIVW) and 9.5 (weighted median vs MR GRIP)
  expect_gt(min(d), 20)
  expect_equal(unname(mr_method_colours(c("Inverse variance weighted", "unknown method"))),
               c("#0072B2", "#7F7F7F"))
})
