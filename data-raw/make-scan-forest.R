# Makes man/figures/scan-forest.png: the summary forest of a seeded small scan
# (40 simulated exposures x 2 outcomes, IVW and weighted median, BH within outcome and
# method). Run from the package root with mrkit installed:
#   Rscript data-raw/make-scan-forest.R
library(mrkit)
# Palette-compressed with pngquant where installed (the figures are installed with the help
# pages: a third of the bytes, the same picture).
save_png <- function(file, plot, ...) {
  ggplot2::ggsave(file, plot, ...)
  if (nzchar(Sys.which("pngquant"))) {
    system2("pngquant", c("--skip-if-larger", "--speed=1", "--quality=80-100", "--force", "--ext", ".png", file))
  }
}
panel <- simulate_scan_data(n_exposures = 40, n_outcomes = 2, seed = 42)
set.seed(42)
res <- suppressWarnings(mr_scan(panel$exposures, panel$outcomes, clump = FALSE,
                                method_list = c("mr_ivw", "mr_weighted_median")))
# Group the exposures into panels as immune-cell studies do.
res$panel <- c("B cells", "T cells", "Monocytes", "NK cells")[
  (as.integer(sub("exp", "", res$id.exposure)) - 1L) %/% 10L + 1L]
p <- mr_forest_summary(res, group = "panel", sort = "estimate", exponentiate = TRUE)
save_png("man/figures/scan-forest.png", p, width = 8, height = 11, dpi = 110)
