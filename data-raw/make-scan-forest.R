# Makes man/figures/scan-forest.png: the summary forest of a seeded small scan
# (40 simulated exposures x 2 outcomes, IVW and weighted median, BH within outcome and
# method). Run from the package root with mrkit installed:
#   Rscript data-raw/make-scan-forest.R
library(mrkit)
panel <- mrkit:::simulate_panel_data(n_exposures = 40, n_outcomes = 2, seed = 42)
set.seed(42)
res <- suppressWarnings(mr_scan(panel$exposures, panel$outcomes,
                                method_list = c("mr_ivw", "mr_weighted_median")))
# Group the exposures into panels as immune-cell studies do.
res$panel <- c("B cells", "T cells", "Monocytes", "NK cells")[
  (as.integer(sub("exp", "", res$id.exposure)) - 1L) %/% 10L + 1L]
p <- mr_forest_summary(res, group = "panel", sort = "estimate", exponentiate = TRUE)
ggplot2::ggsave("man/figures/scan-forest.png", p, width = 8, height = 11, dpi = 110)
