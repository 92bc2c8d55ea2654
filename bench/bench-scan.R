# mr_scan(): a 731-exposure x 5-outcome scan (the size of study 1: 731 immune-cell traits
# against 5 micronutrients) on simulated data, with mr() methods plus heterogeneity, Egger
# intercept and instrument strength, timed with 1 worker (future::plan(sequential)) and
# 2 workers (future::plan(multisession, workers = 2)). Run from the package root:
#   Rscript bench/bench-scan.R
suppressPackageStartupMessages(library(mrkit))
source("bench/bench-utils.R")

n_exp <- 731L
n_out <- 5L
panel <- simulate_scan_data(n_exposures = n_exp, n_outcomes = n_out, nsnp = 20,
                                     nsnp_null = 10, fstat = 60, seed = 2025)

# TwoSampleMR's five default methods when this build has them all; otherwise the
# registered ones (the medians and modes land from another branch).
tab <- mr_method_list()
defaults <- tab$obj[tab$use_by_default & tab$obj != "mr_wald_ratio"]
registered <- mrkit:::cpp_registered_methods()
if (all(defaults %in% registered)) {
  methods <- defaults
  method_note <- "Methods: TwoSampleMR's five defaults (MR Egger, weighted median, IVW, simple mode, weighted mode; nboot = 1000)."
} else {
  methods <- c("mr_egger_regression", "mr_ivw", "mr_ivw_mre", "mr_ivw_fe", "mr_wald_ratio")
  method_note <- paste0("Methods: the default list is not registered in this build (missing: ",
                        paste(setdiff(defaults, registered), collapse = ", "),
                        "), so the scan ran MR Egger, IVW, IVW (MRE), IVW (FE) and the Wald ratio ",
                        "(the Wald ratio gives no rows with more than one variant). Re-run after the merge.")
}

have_future <- requireNamespace("future", quietly = TRUE) && requireNamespace("future.apply", quietly = TRUE)
run <- function() {
  set.seed(1)
  mr_scan(panel$exposures, panel$outcomes, method_list = methods, clump = FALSE)  # simulated independent instruments
}

reps <- 2L
load_avg <- function() {
  l <- tryCatch(readLines("/proc/loadavg", warn = FALSE), error = function(e) NA_character_)
  as.numeric(strsplit(l, " ")[[1]][1])
}
cpu_main <- function(expr) {
  t <- system.time(expr)
  t[["user.self"]] + t[["sys.self"]]
}
future::plan(future::sequential)
load1 <- load_avg()
t1 <- bench_time(res1 <<- run(), reps = reps, warmup = 0L)
c1 <- cpu_main(run())
rows <- list(data.frame(plan = "sequential (1 worker)", workers = 1L,
                        median_s = t1[["median"]], min_s = t1[["min"]], max_s = t1[["max"]], reps = reps,
                        cpu_main_s = c1, load_avg_start = load1))
identical_results <- NA
if (have_future) {
  future::plan(future::multisession, workers = 2L)
  invisible(future::value(future::future(NULL)))  # start the workers before timing
  load2 <- load_avg()
  t2 <- bench_time(res2 <<- run(), reps = reps, warmup = 0L)
  c2 <- cpu_main(run())
  future::plan(future::sequential)
  identical_results <- identical(as.data.frame(res1), as.data.frame(res2))
  rows[[2]] <- data.frame(plan = "multisession (2 workers)", workers = 2L,
                          median_s = t2[["median"]], min_s = t2[["min"]], max_s = t2[["max"]], reps = reps,
                          cpu_main_s = c2, load_avg_start = load2)
}
out <- do.call(rbind, rows)
out$speedup <- out$median_s[1] / out$median_s
n_pairs <- nrow(unique(res1[res1$analysis == "mr", c("id.exposure", "id.outcome")]))
out$pairs <- n_pairs
out$rows <- nrow(res1)
write_bench(out, "scan",
            c(sprintf("mr_scan() of %d simulated exposures (20 instruments + 10 null variants each, F about 60) x %d outcomes.",
                      n_exp, n_out),
              sprintf("Instruments: pval.exposure < 5e-8 (mean %.1f per exposure); outcome alleles swapped for 20%% of rows.",
                      mean(res1$nsnp[res1$analysis == "instrument_strength"])),
              "Per exposure: harmonise_data() against all outcomes, mr(), mr_heterogeneity(), mr_pleiotropy_test(), mr_fstat().",
              method_note,
              sprintf("Results identical between the two plans: %s.", identical_results),
              "Wall time of whole runs (seconds), workers already started. cpu_main_s: CPU time of the main R process for one run",
              "(for the sequential plan, the whole computation; for multisession, only dispatch and collection).",
              "load_avg_start: 1-minute load average of the 2-core machine when timing began; the machine was shared with",
              "other jobs, so with a load above 2 the second worker competes for the same cores and gains little."))
