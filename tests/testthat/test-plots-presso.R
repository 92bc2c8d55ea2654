presso_fixture <- function() {
  d <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 1)
  rownames(d) <- d$SNP
  mr_presso("beta.outcome", "beta.exposure", "se.outcome", "se.exposure", data = d,
            OUTLIERtest = TRUE, DISTORTIONtest = TRUE, NbDistribution = 1000, seed = 1)
}

test_that("PRESSO plot: every variant's RSSobs, the flagged variants are the outliers", {
  res <- presso_fixture()
  ot <- res$`MR-PRESSO results`$`Outlier Test`
  p <- mr_presso_plot(res)
  pts <- plot_layer(p, "GeomPoint")
  expect_equal(nrow(pts), nrow(ot))
  lab <- levels(p$data$SNP)[pts$y]
  i <- match(rownames(ot), lab)
  expect_equal(10^pts$x[i], ot$RSSobs)
  # MRPRESSO's table: "<J/N" or a number; outliers are p <= 0.05
  p_num <- suppressWarnings(as.numeric(sub("^<", "", ot$Pvalue)))
  expect_equal(pts$colour[i] == "#D55E00", p_num <= 0.05)
  flagged <- res$`MR-PRESSO results`$`Distortion Test`$`Outliers Indices`
  expect_setequal(rownames(ot)[pts$colour[i] == "#D55E00"], rownames(ot)[flagged])
  # without mrkit's numbers the text p-values are read
  stripped <- res
  attr(stripped, "mrkit")$outlier_p <- NULL
  pts2 <- plot_layer(mr_presso_plot(stripped), "GeomPoint")
  expect_equal(pts2$colour, pts$colour)
})

test_that("PRESSO plot refuses a result without outlier test, and picks pairs of run_mr_presso", {
  # No pleiotropy: by = 0.3 bx + noise, so the global test is not significant.
  withr::local_seed(7)
  bx <- rnorm(30, 0.1, 0.02)
  d <- data.frame(bx = bx, sx = 0.01, by = 0.3 * bx + rnorm(30, 0, 0.02), sy = 0.02)
  res <- suppressWarnings(mr_presso("by", "bx", "sy", "sx", data = d, OUTLIERtest = TRUE,
                                    NbDistribution = 1000, seed = 1))
  expect_gt(res$`MR-PRESSO results`$`Global Test`$Pvalue, 0.05)
  expect_null(res$`MR-PRESSO results`$`Outlier Test`)
  expect_error(mr_presso_plot(res), class = "mrkit_error_presso_no_outlier_test")
  expect_snapshot(mr_presso_plot(res), error = TRUE)
  expect_error(mr_presso_plot(list(res), pair = 2), class = "mrkit_error_parameter")
  expect_error(mr_presso_plot(data.frame()), class = "mrkit_error_input_type")
})

test_that("PRESSO picture", {
  skip_if_not_installed("vdiffr")
  vdiffr::expect_doppelganger("presso outliers", mr_presso_plot(presso_fixture()))
})
