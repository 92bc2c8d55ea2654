presso_data <- function() {
  d <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 1)
  rownames(d) <- d$SNP
  d
}

presso_fixture <- function() {
  d <- presso_data()
  mr_presso("beta.outcome", "beta.exposure", "se.outcome", "se.exposure", data = d,
            OUTLIERtest = TRUE, DISTORTIONtest = TRUE, NbDistribution = 1000, seed = 1)
}

test_that("PRESSO plot: observed against expected RSS of every variant, the flagged variants coloured", {
  d <- presso_data()
  res <- presso_fixture()
  ot <- res$`MR-PRESSO results`$`Outlier Test`
  p <- mr_presso_plot(res)
  pts <- plot_layer(p, "GeomPoint")
  expect_equal(nrow(pts), nrow(ot))
  i <- match(round(log10(ot$RSSobs), 8), round(pts$y, 8))
  expect_false(anyNA(i))
  # Expected RSS by hand: theta_-j from the weighted regression without variant j (MR-PRESSO's
  # fit, weights 1 / se_out^2, no intercept); null residual by* - bx* theta_-j has variance
  # se_out^2 + theta_-j^2 se_exp^2.
  theta <- vapply(seq_len(nrow(d)), function(j) {
    unname(coef(lm(beta.outcome ~ 0 + beta.exposure, data = d[-j, ], weights = 1 / d$se.outcome[-j]^2)))
  }, 1)
  expected <- d$se.outcome^2 + theta^2 * d$se.exposure^2
  expect_equal(10^pts$x[i], expected)
  # ... which is the mean of the null draws (Monte Carlo, variant 3)
  withr::local_seed(1)
  j <- 3
  bys <- rnorm(2e5, d$beta.exposure[j] * theta[j], d$se.outcome[j])
  bxs <- rnorm(2e5, d$beta.exposure[j], d$se.exposure[j])
  expect_equal(mean((bys - bxs * theta[j])^2), expected[j], tolerance = 0.01)
  # MRPRESSO's table: "<J/N" or a number; outliers are p <= 0.05
  p_num <- suppressWarnings(as.numeric(sub("^<", "", ot$Pvalue)))
  expect_equal(pts$colour[i] == "#D55E00", p_num <= 0.05)
  flagged <- res$`MR-PRESSO results`$`Distortion Test`$`Outliers Indices`
  expect_setequal(rownames(ot)[pts$colour[i] == "#D55E00"], rownames(ot)[flagged])
  expect_setequal(plot_layer(p, c("GeomTextRepel", "GeomText"))$label, rownames(ot)[flagged])
})

test_that("PRESSO plot of a result without expected RSS or numeric p-values ranks RSSobs", {
  res <- presso_fixture()
  ot <- res$`MR-PRESSO results`$`Outlier Test`
  info <- attr(res, "mrkit")
  info[["outlier_rss_exp"]] <- NULL
  info[["outlier_p"]] <- NULL
  attr(res, "mrkit") <- info
  p <- mr_presso_plot(res)
  pts <- plot_layer(p, "GeomPoint")
  lab <- levels(p$data$SNP)[pts$y]
  i <- match(rownames(ot), lab)
  expect_equal(10^pts$x[i], ot$RSSobs)
  expect_equal(order(pts$y[i]), order(ot$RSSobs))
  p_num <- suppressWarnings(as.numeric(sub("^<", "", ot$Pvalue)))
  expect_equal(pts$colour[i] == "#D55E00", p_num <= 0.05)
})

test_that("PRESSO plot flags the test's outliers when J / NbDistribution exceeds the threshold", {
  # 80 variants and 1000 draws: a variant none of whose draws reaches its RSSobs has the
  # Bonferroni p-value 0, printed "<0.08" -- above 0.05, yet an outlier of the test.
  d <- simulate_mr_data(nsnp = 80, b = 0.3, pleiotropy = "outliers", seed = 1)
  rownames(d) <- d$SNP
  res <- suppressWarnings(mr_presso("beta.outcome", "beta.exposure", "se.outcome", "se.exposure",
                                    data = d, OUTLIERtest = TRUE, DISTORTIONtest = TRUE,
                                    NbDistribution = 1000, seed = 1))
  ot <- res$`MR-PRESSO results`$`Outlier Test`
  flagged <- rownames(ot)[res$`MR-PRESSO results`$`Distortion Test`$`Outliers Indices`]
  expect_true(any(ot$Pvalue == "<0.08"))
  expect_setequal(flagged, rownames(ot)[ot$Pvalue == "<0.08"])
  p <- mr_presso_plot(res)
  expect_setequal(plot_layer(p, c("GeomTextRepel", "GeomText"))$label, flagged)
  expect_match(p$labels$subtitle, paste(length(flagged), "outliers"), fixed = TRUE)
  # the same from MRPRESSO's table alone (mrkit's stored flags and p-values dropped)
  info <- attr(res, "mrkit")
  info[["outlier"]] <- NULL
  info[["outlier_p"]] <- NULL
  attr(res, "mrkit") <- info
  expect_setequal(plot_layer(mr_presso_plot(res), c("GeomTextRepel", "GeomText"))$label, flagged)
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
