# MR-RAPS timings against mr.raps 0.4.2 (TwoSampleMR's call: mr.raps(data, diagnostics =
# FALSE, over.dispersion, loss.function, shrinkage = FALSE)) in the same R session, on the
# data sets of mr.raps' examples as stored in tests/testthat/fixtures/raps/ (BMI -> CAD,
# 1,119 variants; HDL -> CAD, 869 weak variants; BMI -> SBP, 160 variants). mr.raps is not
# on CRAN; without it only mrkit is timed. Each figure is the median of `reps` runs.
# Run from the repository root: Rscript bench/bench-raps.R
# Results: bench/results/raps.csv and raps.md.
suppressPackageStartupMessages(library(mrkit))
source("bench/bench-utils.R")
has_ref <- requireNamespace("mr.raps", quietly = TRUE)
fx <- "tests/testthat/fixtures/raps"
sets <- c("BMI -> CAD (1,119 SNPs)" = "bmi_cad", "HDL -> CAD (869 SNPs)" = "hdl_cad",
          "BMI -> SBP (160 SNPs)" = "bmi_sbp")
settings <- list(list(od = TRUE, loss = "huber"), list(od = TRUE, loss = "tukey"),
                 list(od = FALSE, loss = "l2"))
reps_mrkit <- 20L
reps_ref <- 5L
rows <- list()
for (nm in names(sets)) {
  d <- utils::read.csv(file.path(fx, paste0("input-", sets[[nm]], ".csv")))
  df <- data.frame(beta.exposure = d$bx, beta.outcome = d$by, se.exposure = d$sx, se.outcome = d$sy)
  for (s in settings) {
    p <- default_parameters(over.dispersion = s$od, loss.function = s$loss, seed = 1)
    t_mk <- bench_time(suppressWarnings(mr_raps(d$bx, d$by, d$sx, d$sy, p)), reps = reps_mrkit)
    b_mk <- suppressWarnings(mr_raps(d$bx, d$by, d$sx, d$sy, p))$b
    t_ref <- c(median = NA_real_); b_ref <- NA_real_
    if (has_ref) {
      run_ref <- function() suppressMessages(suppressWarnings(utils::capture.output(
        r <- mr.raps::mr.raps(df, diagnostics = FALSE, over.dispersion = s$od,
                              loss.function = s$loss, shrinkage = FALSE))))
      t_ref <- bench_time(run_ref(), reps = reps_ref)
      set.seed(1)
      utils::capture.output(b_ref <- suppressMessages(suppressWarnings(mr.raps::mr.raps(
        df, diagnostics = FALSE, over.dispersion = s$od, loss.function = s$loss, shrinkage = FALSE)))$beta.hat)
    }
    rows[[length(rows) + 1L]] <- data.frame(
      data = nm, setting = sprintf("%s, over.dispersion = %s", s$loss, s$od),
      mrkit_ms = 1000 * t_mk[["median"]], mr.raps_ms = 1000 * t_ref[["median"]],
      speedup = t_ref[["median"]] / t_mk[["median"]], b_mrkit = b_mk, b_mr.raps = b_ref,
      reps_mrkit = reps_mrkit, reps_mr.raps = reps_ref, stringsAsFactors = FALSE)
  }
}
ref_version <- if (has_ref) format(utils::packageVersion("mr.raps")) else "not installed"
write_bench(do.call(rbind, rows), "raps", notes = c(
  sprintf("Median wall time (ms): mrkit over %d runs, mr.raps %s over %d runs, in the same R session.",
          reps_mrkit, ref_version, reps_ref),
  "Both packages solve the same estimating equations from the same kind of starts (10 Newton runs); the estimates agree to 1e-6 (tests/testthat/test-est-raps.R).",
  sprintf("Load average while this ran: %s.", paste(utils::tail(strsplit(readLines("/proc/loadavg"), " ")[[1]][1:3], 3), collapse = ", ")),
  "The machine is shared with other jobs, so absolute times are noisy; the ratios are from the same run."))
