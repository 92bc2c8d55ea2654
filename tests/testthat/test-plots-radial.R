# Radial quantities by hand (Bowden et al. 2018, modified second-order weights):
# r = by / bx, W1 = bx^2 / sy^2, theta1 = sum(W1 r) / sum(W1), W = bx^2 / (sy^2 + theta1^2 sx^2).
radial_by_hand <- function(d) {
  r <- d$beta.outcome / d$beta.exposure
  w1 <- d$beta.exposure^2 / d$se.outcome^2
  th1 <- sum(w1 * r) / sum(w1)
  w <- d$beta.exposure^2 / (d$se.outcome^2 + th1^2 * d$se.exposure^2)
  slope <- sum(w * r) / sum(w)
  q <- w * (r - slope)^2
  list(x = sqrt(w), y = r * sqrt(w), slope = slope, outlier = stats::pchisq(q, 1, lower.tail = FALSE) < 0.05)
}

test_that("radial IVW plot: every variant at (sqrt(W), r sqrt(W)), the IVW slope, outliers marked", {
  d <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 1)
  fit <- mr_radial_ivw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, snps = d$SNP)
  h <- radial_by_hand(d)
  p <- mr_radial_plot(fit)
  pts <- plot_layer(p, "GeomPoint")
  expect_equal(nrow(pts), 30L)
  expect_equal(pts$x, h$x)
  expect_equal(pts$y, h$y)
  ab <- plot_layer(p, "GeomAbline")
  expect_equal(ab$slope, h$slope)
  expect_equal(ab$intercept, 0)
  expect_true(any(h$outlier))
  expect_equal(pts$colour == "#D55E00", h$outlier)
  txt <- plot_layer(p, c("GeomTextRepel", "GeomText"))
  expect_setequal(txt$label, d$SNP[h$outlier])
})

test_that("radial MR-Egger line is the weighted-scale regression with intercept", {
  d <- simulate_mr_data(nsnp = 40, b = 0.2, pleiotropy = "directional", seed = 4)
  h <- radial_by_hand(d)
  eg <- mr_radial_egger(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  ivw <- mr_radial_ivw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  ab <- plot_layer(mr_radial_plot(list(ivw, eg)), "GeomAbline")
  # Egger's modified weights use the first-order Egger slope.
  r <- d$beta.outcome / d$beta.exposure
  w1 <- d$beta.exposure^2 / d$se.outcome^2
  th1 <- coef(lm(I(r * sqrt(w1)) ~ sqrt(w1)))[[2]]
  w <- d$beta.exposure^2 / (d$se.outcome^2 + th1^2 * d$se.exposure^2)
  co <- unname(coef(lm(I(r * sqrt(w)) ~ sqrt(w))))
  expect_equal(ab$intercept, c(0, co[1]))
  expect_equal(ab$slope, c(h$slope, co[2]))
  expect_error(mr_radial_plot(list(1)), class = "mrkit_error_input_type")
})

test_that("radial picture", {
  skip_if_not_installed("vdiffr")
  d <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 1)
  fits <- list(mr_radial_ivw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, snps = d$SNP),
               mr_radial_egger(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, snps = d$SNP))
  vdiffr::expect_doppelganger("radial ivw and egger", mr_radial_plot(fits))
})
