# Makes the example data shipped in data/: a simulated exposure GWAS (BMI-like, continuous)
# and outcome GWAS (CHD-like, binary) for 40 independent instruments, made by mrkit's own
# simulator with a fixed seed. Nothing from other packages' data is used.
#
# The instruments are variants of the shipped simulated LD reference panel
# (inst/extdata/example_panel.*, made by data-raw/make-example-panel.R): one variant of
# each of its 40 independent haplotype blocks, with the panel's rsid, position and
# alleles, so that clump_data(example_exposure, bfile = example_panel()) and
# extract_outcome_data(..., bfile = example_panel()) work on the example data.
#
# Run from the repository root after installing mrkit: Rscript data-raw/make-example-data.R
library(mrkit)

truth <- utils::read.csv(file.path("data-raw", "example_panel_truth.csv"),
                         stringsAsFactors = FALSE)
blocks <- sort(unique(truth$block))

sim <- simulate_mr_data(
  nsnp = length(blocks), b = 0.4, n_exposure = 300000, n_outcome = 180000, fstat = 60,
  pleiotropy = "balanced", prop_invalid = 0.15, pleiotropy_sd = 0.6,
  outcome_type = "binary", case_fraction = 0.33, output = "separate",
  flip_prop = 0.3, palindromic_prop = 0.1, id_exposure = "sim-bmi", id_outcome = "sim-chd",
  exposure = "Body mass index (simulated)", outcome = "Coronary heart disease (simulated)",
  seed = 20261121
)
example_exposure <- sim$exposure
example_outcome <- sim$outcome

# Variant j of the simulation becomes a variant of panel block j: of the block's variants
# that are palindromic exactly when the simulated alleles are, the one whose panel
# frequency of A1 is closest to the simulated effect-allele frequency. The simulated
# effect allele becomes the panel's A1, the other allele A2.
palindromic <- function(a1, a2) paste0(a1, a2) %in% c("AT", "TA", "CG", "GC")
pick <- vapply(seq_along(blocks), function(j) {
  cand <- which(truth$block == blocks[j])
  same <- cand[palindromic(truth$A1[cand], truth$A2[cand]) ==
                 palindromic(example_exposure$effect_allele.exposure[j],
                             example_exposure$other_allele.exposure[j])]
  if (length(same)) cand <- same
  cand[which.min(abs(truth$freq[cand] - example_exposure$eaf.exposure[j]))]
}, 1L)
relabel <- function(d, type) {
  col <- function(x) paste0(x, ".", type)
  j <- match(d$SNP, example_exposure$SNP)
  is_ea <- d[[col("effect_allele")]] == example_exposure$effect_allele.exposure[j]
  v <- truth[pick[j], ]
  d[[col("effect_allele")]] <- ifelse(is_ea, v$A1, v$A2)
  d[[col("other_allele")]] <- ifelse(is_ea, v$A2, v$A1)
  d$SNP <- v$SNP
  d[[col("chr")]] <- as.integer(v$chr)
  d[[col("pos")]] <- as.integer(v$pos)
  d
}
example_outcome <- relabel(example_outcome, "outcome")
example_exposure <- relabel(example_exposure, "exposure")

# Real files have problems; the example keeps a few so the audit has something to show:
# one instrument missing from the outcome GWAS, and one outcome row without an effect allele.
example_outcome <- example_outcome[example_outcome$SNP != example_exposure$SNP[17], ]
example_outcome$effect_allele.outcome[example_outcome$SNP == example_exposure$SNP[23]] <- NA
rownames(example_exposure) <- NULL
rownames(example_outcome) <- NULL

save(example_exposure, file = "data/example_exposure.rda", compress = "xz")
save(example_outcome, file = "data/example_outcome.rda", compress = "xz")
