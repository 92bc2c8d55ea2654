# Timings of the sensitivity analyses on the 79-SNP BMI -> CHD data (median of 50 runs).
# Run from the repository root with ../shared beside it: Rscript bench/bench-sensitivity.R
suppressPackageStartupMessages(library(mrkit))
source("bench/bench-utils.R")
d <- utils::read.csv(file.path("..", "shared", "data", "bmi_chd", "harmonised.csv"), stringsAsFactors = FALSE)
time_ms <- function(f, n = 50) {
  f()
  t <- vapply(seq_len(n), function(i) { t0 <- Sys.time(); f(); as.double(Sys.time() - t0, units = "secs") }, numeric(1))
  round(1000 * stats::median(t), 3)
}
bx <- d$beta.exposure; by <- d$beta.outcome; sx <- d$se.exposure; sy <- d$se.outcome
p <- default_parameters()
res <- data.frame(
  what = c("mr_leaveoneout(dat) [IVW, closed form]",
           "mr_leaveoneout(dat, method = 'mr_egger_regression') [generic]",
           "mr_singlesnp(dat)",
           "mr_leaveoneout(dat), 2 threads",
           "core only: leave-one-out IVW closed form",
           "core only: leave-one-out IVW generic",
           "mr_heterogeneity(dat)",
           "mr_pleiotropy_test(dat)"),
  median_ms = c(time_ms(function() mr_leaveoneout(d)),
                time_ms(function() mr_leaveoneout(d, method = "mr_egger_regression")),
                time_ms(function() mr_singlesnp(d)),
                time_ms(function() mr_leaveoneout(d, threads = 2)),
                time_ms(function() mrkit:::cpp_leave_one_out(bx, by, sx, sy, "mr_ivw", p, rep(0, 80), 1L, TRUE)),
                time_ms(function() mrkit:::cpp_leave_one_out(bx, by, sx, sy, "mr_ivw", p, rep(0, 80), 1L, FALSE)),
                time_ms(function() mr_heterogeneity(d)),
                time_ms(function() mr_pleiotropy_test(d))))
write_bench(res, "sensitivity", "Median wall time of 50 runs on the 79-SNP BMI -> CHD data (../shared).")
