# Makes the example data shipped in data/: a simulated exposure GWAS (BMI-like, continuous)
# and outcome GWAS (CHD-like, binary) for 60 independent instruments, made by mrkit's own
# simulator with a fixed seed. Nothing from other packages' data is used.
# Run from the repository root after installing mrkit: Rscript data-raw/make-example-data.R
library(mrkit)

sim <- simulate_mr_data(
  nsnp = 60, b = 0.4, n_exposure = 300000, n_outcome = 180000, fstat = 60,
  pleiotropy = "balanced", prop_invalid = 0.15, pleiotropy_sd = 0.6,
  outcome_type = "binary", case_fraction = 0.33, output = "separate",
  flip_prop = 0.3, palindromic_prop = 0.1, id_exposure = "sim-bmi", id_outcome = "sim-chd",
  exposure = "Body mass index (simulated)", outcome = "Coronary heart disease (simulated)",
  seed = 20261121
)
example_exposure <- sim$exposure
example_outcome <- sim$outcome

# Real files have problems; the example keeps a few so the audit has something to show:
# one instrument missing from the outcome GWAS, and one outcome row without an effect allele.
example_outcome <- example_outcome[example_outcome$SNP != "rs1017", ]
example_outcome$effect_allele.outcome[example_outcome$SNP == "rs1023"] <- NA
rownames(example_outcome) <- NULL

save(example_exposure, file = "data/example_exposure.rda", compress = "xz")
save(example_outcome, file = "data/example_outcome.rda", compress = "xz")
