# The weighted median's bootstrap (nboot 1000, one thread): CPU time of mr() with the
# weighted median alone and with TwoSampleMR's five default methods, on 79 and 1,000
# simulated SNPs, for the installed build. Run once per build with a label, e.g. before
# and after a change of the core:
#   R_LIBS=<old lib> Rscript bench/bench-weighted-median.R "sort per replicate"
#   R_LIBS=<new lib> Rscript bench/bench-weighted-median.R "selection per replicate"
# Rows accumulate in bench/results/weighted-median.csv (same label: replaced). CPU time
# (user + system of this process) rather than wall time, because the machine is shared.
suppressPackageStartupMessages(library(mrkit))
source("bench/bench-utils.R")
label <- commandArgs(TRUE)[1]
if (is.na(label)) stop("give a label for this build")

cpu_ms <- function(f, reps) {
  f()
  t0 <- proc.time()
  for (i in seq_len(reps)) f()
  t <- proc.time() - t0
  1000 * (t[["user.self"]] + t[["sys.self"]]) / reps
}
rows <- list()
for (n in c(79, 1000)) {
  d <- simulate_mr_data(nsnp = n, b = 0.3, pleiotropy = "balanced", seed = 1)
  set.seed(1)
  wm <- mr(d, method_list = "mr_weighted_median", threads = 1)
  reps <- if (n > 500) 20L else 100L
  rows[[length(rows) + 1L]] <- data.frame(
    build = label, nsnp = n,
    weighted_median_cpu_ms = cpu_ms(function() mr(d, method_list = "mr_weighted_median", threads = 1), reps),
    default_methods_cpu_ms = cpu_ms(function() mr(d, threads = 1), max(5L, reps %/% 5L)),
    weighted_median_b = wm$b, weighted_median_se_seed1 = wm$se,
    load_avg = as.numeric(strsplit(readLines("/proc/loadavg"), " ")[[1]][1]))
}
new <- do.call(rbind, rows)
csv <- "bench/results/weighted-median.csv"
old <- if (file.exists(csv)) utils::read.csv(csv) else NULL
if (!is.null(old)) old <- old[old$build != label, , drop = FALSE]
tab <- rbind(old, new)
write_bench(tab, "weighted-median", c(
  "mr() on simulate_mr_data(nsnp, b = 0.3, pleiotropy = \"balanced\", seed = 1), nboot 1000, threads = 1.",
  "CPU milliseconds per call (user + system of the R process; the 2-core machine was shared, load_avg = its 1-minute load).",
  "weighted_median_b: the point estimate (must not change); weighted_median_se_seed1: the bootstrap SE after set.seed(1)",
  "(the replicates are the same draws; the selection adds the weights in another order, so the SE may move in the last digits)."))
