# Timings of the estimators for correlated instruments against MendelianRandomization
# (mr_ivw / mr_egger / mr_maxlik with a correlation matrix, mr_pcgmm) in the same R session:
# its calcium -> fasting glucose example (6 variants) and simulated regions of 25, 100 and
# 300 variants (simulate_cis_data(), AR(1) LD r = 0.9). Each figure is the median of
# `reps` runs. Without MendelianRandomization only mrkit is timed.
# Run from the repository root: Rscript bench/bench-correlated.R
# Results: bench/results/correlated.csv and correlated.md.
suppressPackageStartupMessages(library(mrkit))
source("bench/bench-utils.R")
has_ref <- requireNamespace("MendelianRandomization", quietly = TRUE)
src <- "tests/testthat/fixtures/correlated"
cal <- utils::read.csv(file.path(src, "calcium.csv"))
cal_ld <- unname(as.matrix(utils::read.csv(file.path(src, "calcium_ld.csv"), row.names = 1)))
sets <- list("calcium (6 SNPs)" = list(bx = cal$bx, by = cal$by, sx = cal$sx, sy = cal$sy, ld = cal_ld, nx = 6351, ny = 133010))
for (J in c(25, 100, 300)) {
  d <- simulate_cis_data(nsnp = J, b = 0.2, r = 0.9, n_causal = 3, h2 = 0.02, seed = J)
  sets[[sprintf("simulated (%d SNPs)", J)]] <- list(bx = d$beta.exposure, by = d$beta.outcome, sx = d$se.exposure,
                                                   sy = d$se.outcome, ld = unname(attr(d, "ld")), nx = 20000, ny = 50000)
}
P <- default_parameters(convention = "MendelianRandomization")
quiet <- function(expr) suppressMessages(suppressWarnings(utils::capture.output(r <- expr)))
rows <- list()
for (nm in names(sets)) {
  s <- sets[[nm]]
  J <- length(s$bx)
  inp <- if (has_ref) MendelianRandomization::mr_input(bx = s$bx, bxse = s$sx, by = s$by, byse = s$sy, correlation = s$ld)
  calls <- list(
    IVW = list(mk = function() mr_ivw_correlated(s$bx, s$by, s$sx, s$sy, s$ld, P),
               ref = function() MendelianRandomization::mr_ivw(inp)),
    "MR-Egger" = list(mk = function() mr_egger_correlated(s$bx, s$by, s$sx, s$sy, s$ld, P),
                      ref = function() MendelianRandomization::mr_egger(inp)),
    ML = list(mk = function() mr_ml_correlated(s$bx, s$by, s$sx, s$sy, s$ld, P),
              ref = function() MendelianRandomization::mr_maxlik(inp)),
    "PC-GMM" = list(mk = function() mr_pcgmm(s$bx, s$by, s$sx, s$sy, s$ld, nx = s$nx, ny = s$ny, parameters = P),
                    ref = function() MendelianRandomization::mr_pcgmm(inp, nx = s$nx, ny = s$ny)),
    "PCA-IVW" = list(mk = function() mr_pca_ivw(s$bx, s$by, s$sx, s$sy, s$ld, P), ref = NULL))
  for (m in names(calls)) {
    if (m == "ML" && J > 100) next  # MR's Nelder-Mead on J + 1 parameters takes minutes
    reps_mk <- 20L
    reps_ref <- if (J >= 100) 3L else 10L
    t_mk <- bench_time(quiet(calls[[m]]$mk()), reps = reps_mk)
    b_mk <- calls[[m]]$mk()$b
    t_ref <- c(median = NA_real_); b_ref <- NA_real_
    if (has_ref && !is.null(calls[[m]]$ref)) {
      t_ref <- bench_time(quiet(calls[[m]]$ref()), reps = reps_ref)
      quiet(o <- calls[[m]]$ref())
      b_ref <- o@Estimate
    }
    rows[[length(rows) + 1L]] <- data.frame(data = nm, method = m, mrkit_ms = 1000 * t_mk[["median"]],
                                            MR_ms = 1000 * t_ref[["median"]],
                                            speedup = t_ref[["median"]] / t_mk[["median"]],
                                            b_mrkit = b_mk, b_MR = b_ref, reps_mrkit = reps_mk,
                                            reps_MR = if (has_ref && !is.null(calls[[m]]$ref)) reps_ref else NA)
  }
}
res <- do.call(rbind, rows)
write_bench(res, "correlated", notes = c(
  sprintf("Median wall time (ms): mrkit over 20 runs, MendelianRandomization %s over 10 runs (3 for 100 or more variants), in the same R session.",
          if (has_ref) format(utils::packageVersion("MendelianRandomization")) else "(not installed)"),
  "Both with MendelianRandomization's conventions (model \"default\", normal p-values); mrkit's parity with MendelianRandomization is tested in tests/testthat/test-est-correlated.R.",
  "ML: MendelianRandomization runs Nelder-Mead on all J + 1 parameters, which stops before the optimum for 10 or more variants (see b_MR; mrkit computes the exact optimum); not timed beyond 100 variants.",
  "PCA-IVW has no MendelianRandomization function.",
  sprintf("Load average while this ran: %s.", paste(utils::head(scan("/proc/loadavg", what = "", quiet = TRUE), 3), collapse = ", ")),
  "The machine is shared with other jobs, so absolute times are noisy; the ratios are from the same run."))
