# mr_report(): time to write the HTML report of one exposure-outcome pair (the shipped
# example BMI -> CHD, 55 variants, TwoSampleMR's five default methods with nboot = 1000,
# MR-PRESSO with 1000 simulations, 8 plots; target under 10 s) and the study report of a
# 40-exposure x 2-outcome scan. Wall-clock and CPU time (this R process plus pandoc) are
# recorded with the load average, since the machine may be shared. Run from the package
# root:  Rscript bench/bench-report.R
suppressPackageStartupMessages(library(mrkit))
source("bench/bench-utils.R")
if (!rmarkdown::pandoc_available()) stop("bench-report.R needs pandoc")

load_avg <- function() as.numeric(strsplit(readLines("/proc/loadavg", warn = FALSE), " ")[[1]][1])
out <- file.path(tempdir(), "bench-report")
timed <- function(label, expr, reps) {
  f <- eval(substitute(function() expr), parent.frame())
  f()  # warm-up: loads rmarkdown, knitr, ggplot2
  rows <- lapply(seq_len(reps), function(i) {
    la <- load_avg()
    t0 <- proc.time()
    f()
    t <- proc.time() - t0
    data.frame(task = label, elapsed_s = t[["elapsed"]],
               cpu_s = t[["user.self"]] + t[["sys.self"]] + t[["user.child"]] + t[["sys.child"]],
               load_avg = la)
  })
  r <- do.call(rbind, rows)
  data.frame(task = label, reps = reps, elapsed_median_s = stats::median(r$elapsed_s),
             elapsed_min_s = min(r$elapsed_s), cpu_median_s = stats::median(r$cpu_s),
             load_avg = stats::median(r$load_avg))
}

dat <- harmonise_data(example_exposure, example_outcome)
pair <- timed("mr_report(), one pair (55 variants, HTML)",
              mr_report(dat, output_path = out, seed = 1, NbDistribution = 1000), reps = 3L)
settings <- list(author = "bench", parameters = default_parameters(),
                 method_list = mr_method_list()$obj[mr_method_list()$use_by_default],
                 NbDistribution = 1000L, family_size = 1, seed = 1, output_type = "html")
analysis <- timed("  of which: the analyses and plot objects",
                  suppressMessages(mrkit:::report_pair_data(dat, settings)), reps = 3L)
md <- timed("mr_report(), one pair, Markdown (no pandoc)",
            mr_report(dat, output_path = out, output_type = "md", seed = 1), reps = 3L)

panel <- simulate_scan_data(n_exposures = 40, n_outcomes = 2, seed = 2025)
set.seed(1)
scan <- suppressWarnings(mr_scan(panel$exposures, panel$outcomes))
study <- timed("mr_report(), 40-exposure x 2-outcome scan (study report)",
               mr_report(scan, output_path = out), reps = 3L)
size <- file.size(file.path(out, c("mr_report_sim-bmi_sim-chd.html", "mr_study_report_scan.html")))

res <- rbind(pair, analysis, md, study)
write_bench(res, "report", notes = c(
  "mr_report() on the shipped example (BMI -> CHD, 55 variants after harmonisation): TwoSampleMR's",
  "five default methods (nboot = 1000), heterogeneity, Egger intercept, Steiger, MR-PRESSO",
  "(NbDistribution = 1000), radial MR, Q/radial outliers, leave-one-out, single-SNP, 7 plots,",
  "rendered by rmarkdown + pandoc into one self-contained HTML file. The scan report: summary",
  "forest plot, scan heatmap, multiple-testing summary and one section per pair (80 pairs, 5 methods).",
  "cpu_s counts this R process and its children (pandoc); elapsed_s is wall-clock, inflated when",
  "load_avg (1-minute load average of the 2-core machine) is above 2.",
  sprintf("HTML sizes: one pair %.1f MB, scan report %.1f MB.", size[1] / 1e6, size[2] / 1e6)))
