# Peak memory of clump_data(): each row is one child Rscript that loads mrkit, reads its
# input table, (except for the baselines) clumps it once, and reports its peak resident set
# size (VmHWM from /proc/self/status). "above_baseline_mb" subtracts the baseline child of
# the same input (library(mrkit) + the input table).
#  1. the instruments (p < 5e-8) and 2. a genome-wide input table (every variant, p1 5e-8)
#     against simulate_ld_panel(1000, 1,000,000, block_size = 50, n_chr = 22) (the panel of
#     bench-memory.R);
#  3. the instruments of a 10-million-variant GWAS against the 503 x 10,000,000 panel of
#     bench-clump.R (b), when it is in MRKIT_BENCH_CLUMP_DIR.
# With MRKIT_BENCH_CLUMP_BASELINE_LIB=<library> the mrkit installed there (the main branch
# before this change) is measured too, in the same run.
# Run from the package root: Rscript bench/bench-clump-memory.R
# Results: bench/results/clump-memory.csv and clump-memory.md.
library(mrkit)
source("bench/bench-utils.R")
dir <- Sys.getenv("MRKIT_BENCH_CLUMP_DIR", "")
if (!nzchar(dir)) dir <- bench_workdir("clump-memory")
dir.create(dir, showWarnings = FALSE, recursive = TRUE)
baseline_lib <- Sys.getenv("MRKIT_BENCH_CLUMP_BASELINE_LIB", "")

mem <- file.path(dir, "panel-mem")
dir.create(mem, showWarnings = FALSE)
if (!file.exists(file.path(mem, "gwas.rds"))) {
  sim <- simulate_ld_panel(1000, 1e6, block_size = 50, n_chr = 22, decay = 0.05,
                           prefix = file.path(mem, "panel"), seed = 1, threads = 2)
  p <- simulate_panel_pvalues(sim$variants, n_causal = 150, seed = 2)
  saveRDS(data.frame(SNP = sim$variants$SNP, pval.exposure = p, id.exposure = "x", stringsAsFactors = FALSE),
          file.path(mem, "gwas.rds"))
}
inputs <- list()
gw <- readRDS(file.path(mem, "gwas.rds"))
saveRDS(gw[gw$pval.exposure < 5e-8, ], f1 <- file.path(mem, "instruments.rds"))
inputs[["instruments, 1000 x 1,000,000 panel"]] <- list(file = f1, prefix = file.path(mem, "panel"), p1 = 1)
inputs[["genome-wide input (1,000,000 rows, p1 5e-8), 1000 x 1,000,000 panel"]] <-
  list(file = file.path(mem, "gwas.rds"), prefix = file.path(mem, "panel"), p1 = 5e-8)
big <- file.path(dir, "panel-b")
if (file.exists(file.path(big, "gwas.rds"))) {
  g <- readRDS(file.path(big, "gwas.rds"))
  saveRDS(g[g$pval.exposure < 5e-8, ], f3 <- file.path(big, "instruments.rds"))
  inputs[["instruments, 503 x 10,000,000 panel"]] <- list(file = f3, prefix = file.path(big, "panel"), p1 = 1)
  rm(g)
}
rm(gw)

child <- function(lib, input, clump) {
  code <- sprintf(
    'suppressPackageStartupMessages(library(mrkit)); x <- readRDS(%s); n <- 0L
     if (%s) n <- nrow(clump_data(x, clump_p1 = %s, bfile = %s, threads = 1L))
     st <- readLines("/proc/self/status")
     cat(nrow(x), n, as.numeric(sub("[^0-9]*([0-9]+).*", "\\\\1", st[grepl("^VmHWM", st)])) / 1024, "\\n")',
    deparse(input$file), clump, format(input$p1), deparse(input$prefix))
  env <- if (nzchar(lib)) paste0("R_LIBS=", lib) else character()
  t <- system.time(out <- system2(file.path(R.home("bin"), "Rscript"), c("-e", shQuote(code)), env = env,
                                  stdout = TRUE))[["elapsed"]]
  v <- as.numeric(strsplit(trimws(out[length(out)]), " +")[[1]])
  list(n_input = v[1], n_index = v[2], peak = v[3], seconds = t)
}

libs <- c(mrkit = "")
if (nzchar(baseline_lib)) libs <- c(libs, "mrkit (baseline build)" = baseline_lib)
rows <- list()
for (nm in names(inputs)) {
  for (k in names(libs)) {
    base <- child(libs[[k]], inputs[[nm]], FALSE)
    run <- child(libs[[k]], inputs[[nm]], TRUE)
    rows[[length(rows) + 1L]] <- data.frame(input = nm, build = k, n_input = run$n_input, n_index = run$n_index,
                                            baseline_peak_mb = base$peak, peak_rss_mb = run$peak,
                                            above_baseline_mb = run$peak - base$peak, child_seconds = run$seconds)
  }
}
df <- do.call(rbind, rows)
notes <- c(
  "Peak memory: VmHWM (peak resident set size) of one child Rscript per figure, read from /proc/self/status at its end;",
  "baseline_peak_mb: a child that loads mrkit and reads the same input table without clumping; above_baseline_mb: the difference.",
  "The .bed is memory-mapped: pages read count towards the resident set (mrkit releases them after each chromosome).",
  "Panels: simulate_ld_panel(1000, 1e6, block_size = 50, n_chr = 22, decay = 0.05, seed = 1) (.bed 238 MB, .bim 29 MB);",
  "the 503 x 10,000,000 panel of bench-clump.R (b) (.bed 1.26 GB, .bim 312 MB). p-values as in bench-clump.R; clump_kb 10000, clump_r2 0.001, threads 1.",
  if (nzchar(baseline_lib)) "'baseline build': the mrkit of the main branch before this change (installed separately), same run." else NULL,
  "child_seconds: the clumping child's whole wall time (R start-up and reading the input included) on a shared machine."
)
write_bench(df, "clump-memory", notes)
