# Pictures of mrkit's plots for the documentation, in man/figures/:
# - scatter-bmi-chd.png: mr_scatter_plot() on BMI -> CHD (79 SNPs, TwoSampleMR's example
#   data) with the five default methods and MR GRIP, Q and radial outliers highlighted and
#   labelled. BMI -> CHD is read from ../shared/data/bmi_chd/harmonised.csv (or
#   $MRKIT_SHARED); without it, a simulated data set of 79 SNPs with outliers is used and
#   the file is called scatter-simulated.png instead.
# - forest-500.png: mr_forest_plot() of 500 simulated SNPs (simulate_mr_data(seed = 5)).
# Run from the package root after installing mrkit: Rscript data-raw/make-plot-figures.R

library(mrkit)
# Palette-compressed with pngquant where installed (the figures are installed with the help
# pages: a third of the bytes, the same picture).
save_png <- function(file, plot, ...) {
  ggplot2::ggsave(file, plot, ...)
  if (nzchar(Sys.which("pngquant"))) {
    system2("pngquant", c("--skip-if-larger", "--speed=1", "--quality=80-100", "--force", "--ext", ".png", file))
  }
}
dir.create("man/figures", showWarnings = FALSE, recursive = TRUE)

shared <- Sys.getenv("MRKIT_SHARED", file.path("..", "shared"))
bmi_chd <- file.path(shared, "data", "bmi_chd", "harmonised.csv")
if (file.exists(bmi_chd)) {
  dat <- utils::read.csv(bmi_chd, stringsAsFactors = FALSE)
  scatter_file <- "man/figures/scatter-bmi-chd.png"
} else {
  dat <- simulate_mr_data(nsnp = 79, b = 0.4, pleiotropy = "outliers", seed = 7)
  scatter_file <- "man/figures/scatter-simulated.png"
}
set.seed(1)
res <- mr(dat, method_list = c("mr_ivw", "mr_egger_regression", "mr_weighted_median",
                               "mr_simple_mode", "mr_weighted_mode", "mr_grip"))
out <- mr_outliers(dat, methods = c("q", "radial"))
p <- mr_scatter_plot(res, dat, highlight = out, labels = "highlighted")[[1]]
save_png(scatter_file, p, width = 7.5, height = 7, dpi = 150)

big <- simulate_mr_data(nsnp = 500, b = 0.3, seed = 5)
p <- mr_forest_plot(mr_singlesnp(big))[[1]]
save_png("man/figures/forest-500.png", p, width = 6, height = 9, dpi = 150)
