# mr() with TwoSampleMR's five default methods (MR Egger, weighted median, IVW, simple mode,
# weighted mode; nboot = 1000; one thread), in total and per method, against fastMR's
# fast_mr() with the same five methods (nboot = 1000, threads = 1) in the same run, on the
# 79-SNP BMI -> CHD data (../shared, when present) and on 1,000 simulated SNPs. fastMR is
# used only when installed (e.g. R_LIBS=/work/reflib; installed from its public source).
# Timing: median wall and CPU time per call of repeated batches of calls (see time_both()); the load
# average of the machine is recorded with the results, as the machine is shared.
suppressPackageStartupMessages(library(mrkit))
source("bench/bench-utils.R")

datasets <- mr_bench_datasets()

have_fastmr <- requireNamespace("fastMR", quietly = TRUE)
fastmr_version <- if (have_fastmr) format(utils::packageVersion("fastMR")) else NA_character_
methods <- c(total = NA, mr_egger_regression = "egger", mr_weighted_median = "weighted_median",
             mr_ivw = "ivw", mr_simple_mode = "simple_mode", mr_weighted_mode = "weighted_mode")
# Median wall and CPU (user + system) time per call of `reps` measurements after warm-up;
# under load the CPU time is the steadier figure (the wall time includes waiting for a
# core). proc.time() counts in milliseconds, so each measurement times a batch of calls
# lasting about 0.2 s (one call when a call takes longer) and divides by its size.
time_both <- function(expr, reps) {
  f <- eval(substitute(function() expr), parent.frame())
  t0 <- proc.time()[["elapsed"]]
  f(); f()
  batch <- max(1L, as.integer(ceiling(0.2 / max((proc.time()[["elapsed"]] - t0) / 2, 1e-4))))
  t <- vapply(seq_len(reps), function(i) {
    t0 <- proc.time()
    for (k in seq_len(batch)) f()
    d <- proc.time() - t0
    c(d[["elapsed"]], d[["user.self"]] + d[["sys.self"]]) / batch
  }, numeric(2))
  c(median = stats::median(t[1, ]), cpu = stats::median(t[2, ]))
}
loadavg <- function() tryCatch(scan("/proc/loadavg", what = "", n = 1, quiet = TRUE), error = function(e) NA)

rows <- list()
for (nm in names(datasets)) {
  d <- datasets[[nm]]
  reps <- if (nrow(d) > 500) 5L else 11L
  for (m in names(methods)) {
    ml <- if (m == "total") NULL else m
    fm <- if (m == "total") unname(methods[-1]) else methods[[m]]
    load_before <- loadavg()
    t1 <- time_both(mr(d, method_list = ml, threads = 1), reps = reps)
    tf <- if (have_fastmr) time_both(fastMR::fast_mr(d, methods = fm, nboot = 1000, threads = 1), reps = reps)
          else c(median = NA, cpu = NA)
    rows[[paste(nm, m)]] <- data.frame(data = nm, nsnp = nrow(d), method = m,
                                       mrkit_ms = 1000 * t1[["median"]],
                                       fastMR_ms = 1000 * tf[["median"]],
                                       speedup_vs_fastMR = tf[["median"]] / t1[["median"]],
                                       mrkit_cpu_ms = 1000 * t1[["cpu"]], fastMR_cpu_ms = 1000 * tf[["cpu"]],
                                       speedup_cpu = tf[["cpu"]] / t1[["cpu"]],
                                       loadavg_1min = as.numeric(load_before))
  }
}
out_name <- Sys.getenv("MRKIT_BENCH_NAME", "mr-speed")
write_bench(do.call(rbind, rows), out_name,
            c("Median wall time (and median CPU time, user + system) per call of repeated measurements in one R session (11 at 79 SNPs, 5 at 1,000; each times a batch of calls lasting about 0.2 s and divides by its size), one thread.",
              "mrkit: mr(dat, method_list = <method>, threads = 1) with default_parameters() (nboot = 1000); total = the five default methods in one call.",
              sprintf("fastMR %s: fast_mr(dat, methods = <same>, nboot = 1000, threads = 1), same run.", fastmr_version),
              paste0("mrkit ", format(utils::packageVersion("mrkit")), " from ", find.package("mrkit"), "."),
              "speedup_vs_fastMR = fastMR time / mrkit time. loadavg_1min: /proc/loadavg before each measurement (2-core machine shared with other jobs)."))
