# mr() with TwoSampleMR's five default methods (MR Egger, weighted median, IVW, simple mode,
# weighted mode; nboot = 1000) against MendelianRandomization's equivalents (mr_egger,
# mr_median, mr_ivw, mr_mbe unweighted and weighted, iterations = 1000), in the same run,
# on the 79-SNP BMI -> CHD data (../shared, when present) and on 1,000 simulated SNPs.
suppressPackageStartupMessages(library(mrkit))
source("bench/bench-utils.R")

datasets <- mr_bench_datasets()

have_mr <- requireNamespace("MendelianRandomization", quietly = TRUE)
mr_pkg_default <- function(d) {
  inp <- MendelianRandomization::mr_input(bx = d$beta.exposure, bxse = d$se.exposure,
                                          by = d$beta.outcome, byse = d$se.outcome)
  MendelianRandomization::mr_egger(inp)
  MendelianRandomization::mr_median(inp, weighting = "weighted", iterations = 1000)
  MendelianRandomization::mr_ivw(inp)
  MendelianRandomization::mr_mbe(inp, weighting = "unweighted", iterations = 1000)
  MendelianRandomization::mr_mbe(inp, weighting = "weighted", iterations = 1000)
  invisible(NULL)
}

rows <- list()
for (nm in names(datasets)) {
  d <- datasets[[nm]]
  reps <- if (nrow(d) > 500) 5L else 20L
  t1 <- bench_time(mr(d, threads = 1), reps = reps)
  t2 <- bench_time(mr(d, threads = 2), reps = reps)
  tm <- if (have_mr) bench_time(mr_pkg_default(d), reps = max(3L, reps %/% 4L)) else c(median = NA)
  rows[[nm]] <- data.frame(data = nm, nsnp = nrow(d),
                           mrkit_1thread_ms = 1000 * t1[["median"]],
                           mrkit_2threads_ms = 1000 * t2[["median"]],
                           MendelianRandomization_ms = 1000 * tm[["median"]],
                           speedup_vs_MR = tm[["median"]] / t1[["median"]])
}
write_bench(do.call(rbind, rows), "mr-default-methods",
            c("Median wall time of repeated runs in one R session.",
              "mrkit: mr(dat) with the default method list and default_parameters() (nboot = 1000).",
              "MendelianRandomization: mr_egger, mr_median(weighted), mr_ivw, mr_mbe(unweighted), mr_mbe(weighted), iterations = 1000.",
              "speedup_vs_MR = MendelianRandomization time / mrkit (1 thread) time, same run."))
