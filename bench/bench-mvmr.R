# Timings of the multivariable MR functions on lipids -> CHD (143 SNPs, 3 exposures; ../shared),
# with MendelianRandomization's counterparts in the same run where they exist.
# Run from the repository root with ../shared beside it: Rscript bench/bench-mvmr.R
suppressPackageStartupMessages(library(mrkit))
source("bench/bench-utils.R")
e <- utils::read.csv(shared_data("data", "mv_lipids_chd", "exposure.csv"), stringsAsFactors = FALSE)
o <- utils::read.csv(shared_data("data", "mv_lipids_chd", "outcome.csv"), stringsAsFactors = FALSE)
mv <- mv_harmonise_data(e, o)
nx <- c(187167, 173082, 177861)
have_mr <- requireNamespace("MendelianRandomization", quietly = TRUE)
if (have_mr) {
  inp <- MendelianRandomization::mr_mvinput(bx = mv$exposure_beta, bxse = mv$exposure_se,
                                            by = mv$outcome_beta, byse = mv$outcome_se)
}
# Fast calls are repeated `inner` times per timed run (the clock ticks in milliseconds).
ms <- function(t, inner) signif(1000 * t[["median"]] / inner, 3)
row <- function(what, mrkit_expr, mr_expr = NULL, reps = 15L, inner = 50L) {
  a <- ms(eval(substitute(bench_time(for (i in seq_len(inner)) mrkit_expr, reps = reps))), inner)
  b <- if (have_mr && !is.null(substitute(mr_expr))) {
    ms(eval(substitute(bench_time(for (i in seq_len(inner)) suppressMessages(mr_expr), reps = reps))), inner)
  } else NA_real_
  data.frame(what = what, mrkit_ms = a, MendelianRandomization_ms = b,
             speedup = if (is.na(b)) NA_real_ else round(b / a, 1))
}
res <- rbind(
  row("mv_harmonise_data(exposure, outcome)", mv_harmonise_data(e, o)),
  row("mv_multiple(mvdat)", mv_multiple(mv)),
  row("mv_multiple(mvdat, instrument_specific = TRUE)", mv_multiple(mv, instrument_specific = TRUE)),
  row("mv_residual(mvdat)", mv_residual(mv)),
  row("mv_ivw(mvdat)", mv_ivw(mv)),
  row("mv_basic(mvdat)", mv_basic(mv)),
  row("mv_ivw_mr(mvdat) vs mr_mvivw()", mv_ivw_mr(mv), MendelianRandomization::mr_mvivw(inp)),
  row("mv_egger(mvdat) vs mr_mvegger()", mv_egger(mv), MendelianRandomization::mr_mvegger(inp)),
  row("mv_lasso(mvdat) vs mr_mvlasso()", mv_lasso(mv), MendelianRandomization::mr_mvlasso(inp), reps = 5L, inner = 2L),
  row("mv_median(mvdat, nboot = 10000) vs mr_mvmedian(iterations = 10000)",
      mv_median(mv, nboot = 10000), MendelianRandomization::mr_mvmedian(inp, iterations = 10000), reps = 3L, inner = 1L),
  row("mv_median(mvdat, nboot = 10000, threads = 2)", mv_median(mv, nboot = 10000, threads = 2), reps = 3L, inner = 1L),
  row("mv_q(mvdat)", mv_q(mv)),
  row("mv_fstat(mvdat) [MVMR]", mv_fstat(mv)),
  row("mv_fstat(mvdat, 'MendelianRandomization', nx) vs mr_mvivw(nx = nx)",
      mv_fstat(mv, "MendelianRandomization", nx = nx), MendelianRandomization::mr_mvivw(inp, nx = nx), reps = 5L, inner = 2L))
write_bench(res, "mvmr", c(
  "Median wall time (ms) on lipids -> CHD (143 SNPs x 3 exposures, ../shared/data/mv_lipids_chd).",
  "Median of 15 runs of 50 calls each; 3 runs for the 10,000-replicate median bootstraps; 5 runs of 2 calls for the conditional F.",
  "The machine was shared with other jobs (load average about 6 on 2 cores) while these were taken.",
  "MendelianRandomization 0.10.0 in the same R session; TwoSampleMR is not installed here.",
  "mr_mvivw(nx = nx) includes the IVW fit; its conditional F is not the exact minimum (see ?mv_fstat)."))
