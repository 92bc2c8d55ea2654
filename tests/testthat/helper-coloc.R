# Simulated colocalisation regions with known truth: the first LD block (50 variants) of
# the shipped example panel, z-statistics drawn from the panel's LD,
#   z_trait ~ N(sqrt(ncp) * R[, causal], R),
# so the causal variant of each trait is known. The exposure is quantitative
# (N = 20,000); the outcome is case-control (5,000 cases, 10,000 controls) and reports a
# random half of its variants on the other allele, to exercise the alignment.
coloc_region_sim <- function(causal_exposure, causal_outcome, ncp = 64, seed = 1) {
  bfile <- example_panel()
  bim <- utils::read.table(paste0(bfile, ".bim"), stringsAsFactors = FALSE)[1:50, ]
  snps <- bim$V2
  R <- ld_matrix(snps, bfile, with_alleles = FALSE)
  freq <- mrkit:::cpp_panel_freq(bfile, seq_len(50) - 1L)
  e <- eigen(R, symmetric = TRUE)
  half <- e$vectors %*% diag(sqrt(pmax(e$values, 0))) %*% t(e$vectors)
  withr::local_seed(seed)
  z_x <- sqrt(ncp) * R[, causal_exposure] + drop(half %*% stats::rnorm(50))
  z_y <- sqrt(ncp) * R[, causal_outcome] + drop(half %*% stats::rnorm(50))
  het <- 2 * freq * (1 - freq)
  se_x <- 1 / sqrt(het * 20000)
  se_y <- 1 / sqrt(het * 15000 * (1 / 3) * (2 / 3))
  flip <- stats::runif(50) < 0.5
  exposure <- data.frame(SNP = snps, chr.exposure = as.character(bim$V1), pos.exposure = bim$V4,
                         effect_allele.exposure = bim$V5, other_allele.exposure = bim$V6,
                         eaf.exposure = freq, beta.exposure = z_x * se_x, se.exposure = se_x,
                         pval.exposure = 2 * stats::pnorm(-abs(z_x)), samplesize.exposure = 20000,
                         id.exposure = "x", exposure = "Exposure", stringsAsFactors = FALSE)
  outcome <- data.frame(SNP = snps, chr.outcome = as.character(bim$V1), pos.outcome = bim$V4,
                        effect_allele.outcome = ifelse(flip, bim$V6, bim$V5),
                        other_allele.outcome = ifelse(flip, bim$V5, bim$V6),
                        eaf.outcome = ifelse(flip, 1 - freq, freq),
                        beta.outcome = ifelse(flip, -1, 1) * z_y * se_y, se.outcome = se_y,
                        pval.outcome = 2 * stats::pnorm(-abs(z_y)), samplesize.outcome = 15000,
                        ncase.outcome = 5000, ncontrol.outcome = 10000,
                        id.outcome = "y", outcome = "Outcome", stringsAsFactors = FALSE)
  list(exposure = exposure, outcome = outcome, R = R, freq = freq,
       truth = list(causal_exposure = snps[causal_exposure], causal_outcome = snps[causal_outcome]))
}
