# Makes the small simulated LD reference panel shipped in inst/extdata/example_panel.*
# (500 individuals x 2,000 variants in 40 haplotype blocks of 50 on chromosomes 1-22),
# used by examples and tests; data-raw/make-example-data.R takes the example instruments
# from it, so run that script after this one. The simulation's truth per variant (block,
# orientation, frequency) goes to data-raw/example_panel_truth.csv, which the package does not
# install (only make-example-data.R reads it). Run from the package root after installing mrkit:
#   Rscript data-raw/make-example-panel.R
library(mrkit)
sim <- simulate_ld_panel(n_individuals = 500, n_variants = 2000, block_size = 50,
                         decay = 0.05, maf_range = c(0.05, 0.5), n_chr = 22,
                         prefix = file.path("inst", "extdata", "example_panel"), seed = 20240601,
                         threads = 1)
utils::write.csv(sim$variants, file.path("data-raw", "example_panel_truth.csv"),
                 row.names = FALSE)
