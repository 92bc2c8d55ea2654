# Peak memory (maximum resident set size, from /usr/bin/time -v) of
#   1. read_sumstats() on a 10-million-row gzipped GWAS-SSF file, keeping p < 5e-8, and
#   2. clump_data() on a simulated LD panel of 1 million variants (22 chromosomes), with a
#      genome-wide input table (every panel variant with its p-value; index variants
#      p < 5e-8, kb 10000, r2 0.001) and with the instruments only (p < 5e-8).
# Each measurement is one Rscript child run under /usr/bin/time -v, so its peak belongs to
# that call alone; baseline children do the same without the call (load mrkit; for the
# clumps also read the input table), and "above baseline" is the difference.
# The GWAS file is written with mrkit's simulation writer (in chunks of 1 million rows,
# joined and gzipped) and the panel with simulate_ld_panel(), into a temporary directory
# that is deleted at the end (about 1.2 GB while it runs).
# Run from the package root: Rscript bench/bench-memory.R
#   MRKIT_BENCH_MEM_ROWS      rows of the GWAS file (default 10,000,000)
#   MRKIT_BENCH_MEM_VARIANTS  panel variants (default 1,000,000)
#   MRKIT_BENCH_MEM_PEOPLE    panel individuals (default 1,000)
# Results: bench/results/memory.csv and memory.md.
library(mrkit)
source("bench/bench-utils.R")
stopifnot(file.exists("/usr/bin/time"))
n_rows <- as.numeric(Sys.getenv("MRKIT_BENCH_MEM_ROWS", "10000000"))
n_var <- as.integer(Sys.getenv("MRKIT_BENCH_MEM_VARIANTS", "1000000"))
n_ind <- as.integer(Sys.getenv("MRKIT_BENCH_MEM_PEOPLE", "1000"))
dir <- tempfile("mrkit-bench-memory-", tmpdir = "/tmp")
dir.create(dir)
# (on.exit() does nothing at the top level of a script: the folder is deleted at the end)

# -- 1. the GWAS-SSF file ---------------------------------------------------------------------
gwas <- file.path(dir, "gwas_ssf.tsv.gz")
t_gwas <- system.time({
  set.seed(20261207)
  chunk <- 1e6
  parts <- character()
  n_sig <- 0
  for (start in seq(1, n_rows, by = chunk)) {
    m <- min(chunk, n_rows - start + 1)
    idx <- start + seq_len(m) - 1
    alleles <- c("A", "C", "G", "T")
    a1 <- sample(alleles, m, replace = TRUE)
    a2 <- alleles[(match(a1, alleles) + sample(0:2, m, replace = TRUE)) %% 4 + 1]
    v <- data.frame(SNP = paste0("rs", idx), chr = rep_len(1:22, m), pos = sample.int(2.4e8, m),
                    A1 = a1, A2 = a2, freq = stats::runif(m, 0.01, 0.5), stringsAsFactors = FALSE)
    # about 1 in 1,000 variants associated (|z| shifted by 7), the rest null
    z <- stats::rnorm(m)
    hit <- stats::runif(m) < 0.001
    z[hit] <- z[hit] + sign(z[hit]) * 7
    n <- 250000
    se <- 1 / sqrt(2 * v$freq * (1 - v$freq) * n)
    n_sig <- n_sig + sum(2 * stats::pnorm(-abs(z)) < 5e-8)
    part <- file.path(dir, sprintf("part%03d.tsv", length(parts)))
    mrkit:::write_gwas_file(v, z * se, se, n, part, "gwas_ssf")
    parts <- c(parts, part)
  }
  # one header, then the rows of every part, gzip-compressed
  cmd <- sprintf("(cat %s; for f in %s; do tail -n +2 \"$f\"; done) | gzip -6 > %s",
                 shQuote(parts[1]), paste(shQuote(parts[-1]), collapse = " "), shQuote(gwas))
  if (length(parts) == 1L) cmd <- sprintf("gzip -6 -c %s > %s", shQuote(parts[1]), shQuote(gwas))
  stopifnot(system(cmd) == 0)
  unlink(parts)
})
cat(sprintf("GWAS-SSF file: %s rows, %.0f MB gzipped, written in %.0f s\n",
            format(n_rows, big.mark = ","), file.size(gwas) / 2^20, t_gwas[["elapsed"]]))

# -- 2. the LD panel and the clumping inputs ---------------------------------------------------
prefix <- file.path(dir, "panel")
t_panel <- system.time(sim <- simulate_ld_panel(n_ind, n_var, block_size = 50, n_chr = 22, decay = 0.05,
                                                prefix = prefix, seed = 1, threads = 2))
v <- sim$variants
gw <- data.frame(SNP = v$SNP, pval.exposure = simulate_panel_pvalues(v, n_causal = 150, seed = 2),
                 id.exposure = "x", stringsAsFactors = FALSE)
saveRDS(gw, file.path(dir, "genome_wide.rds"))
saveRDS(gw[gw$pval.exposure < 5e-8, ], file.path(dir, "instruments.rds"))
bed_mb <- file.size(paste0(prefix, ".bed")) / 2^20
cat(sprintf("panel: %d people x %s variants (.bed %.0f MB) in %.0f s; %d instruments\n", n_ind,
            format(n_var, big.mark = ","), bed_mb, t_panel[["elapsed"]], sum(gw$pval.exposure < 5e-8)))
rm(sim, v, gw)
invisible(gc())

# -- 3. children under /usr/bin/time -v --------------------------------------------------------
measure <- function(code) {
  script <- tempfile(fileext = ".R", tmpdir = dir)
  writeLines(c("suppressMessages(library(mrkit))", code, "cat('ROWS', if (exists('res')) NROW(res) else 0, '\\n')"),
             script)
  err <- tempfile(tmpdir = dir)
  out <- system2("/usr/bin/time", c("-v", file.path(R.home("bin"), "Rscript"), "--vanilla", script),
                 stdout = TRUE, stderr = err,
                 env = paste0("R_LIBS=", paste(.libPaths(), collapse = ":")))
  tv <- readLines(err)
  field <- function(pattern) sub(".*: ", "", grep(pattern, tv, value = TRUE, fixed = TRUE)[1])
  wall <- as.numeric(strsplit(field("Elapsed (wall clock) time"), ":")[[1]])
  list(peak_mb = as.numeric(field("Maximum resident set size (kbytes)")) / 1024,
       seconds = sum(wall * 60^(rev(seq_along(wall)) - 1)),
       rows = as.numeric(sub("ROWS ", "", grep("^ROWS", out, value = TRUE))))
}
q <- function(x) deparse(x)
runs <- list(
  list(task = "read_sumstats", what = "baseline: library(mrkit)", code = character()),
  list(task = "read_sumstats", what = "read_sumstats(p < 5e-8)",
       code = sprintf("res <- read_sumstats(%s, pval_threshold = 5e-8, verbose = FALSE)", q(gwas))),
  list(task = "clump_data, instruments", what = "baseline: library(mrkit) + input table",
       code = sprintf("x <- readRDS(%s)", q(file.path(dir, "instruments.rds")))),
  list(task = "clump_data, instruments", what = "clump_data(kb 10000, r2 0.001)",
       code = c(sprintf("x <- readRDS(%s)", q(file.path(dir, "instruments.rds"))),
                sprintf("res <- clump_data(x, bfile = %s, threads = 1L)", q(prefix)))),
  list(task = "clump_data, genome-wide", what = "baseline: library(mrkit) + input table",
       code = sprintf("x <- readRDS(%s)", q(file.path(dir, "genome_wide.rds")))),
  list(task = "clump_data, genome-wide", what = "clump_data(p1 5e-8, kb 10000, r2 0.001)",
       code = c(sprintf("x <- readRDS(%s)", q(file.path(dir, "genome_wide.rds"))),
                sprintf("res <- clump_data(x, clump_p1 = 5e-8, bfile = %s, threads = 1L)", q(prefix))))
)
rows <- lapply(runs, function(r) {
  m <- measure(r$code)
  data.frame(task = r$task, run = r$what, rows_out = m$rows, seconds = m$seconds, peak_rss_mb = m$peak_mb,
             stringsAsFactors = FALSE)
})
res <- do.call(rbind, rows)
base <- ave(res$peak_rss_mb, res$task, FUN = function(x) x[1])
res$above_baseline_mb <- res$peak_rss_mb - base
res$input <- ifelse(res$task == "read_sumstats",
                    sprintf("%s-row GWAS-SSF .tsv.gz (%.0f MB)", format(n_rows, big.mark = ","), file.size(gwas) / 2^20),
                    sprintf("panel %d x %s variants (.bed %.0f MB)", n_ind, format(n_var, big.mark = ","), bed_mb))
res <- res[c("task", "run", "input", "rows_out", "seconds", "peak_rss_mb", "above_baseline_mb")]
write_bench(res, "memory", notes = c(
  "Peak memory: maximum resident set size of one Rscript child per row, from `/usr/bin/time -v`;",
  "`above_baseline_mb` subtracts the baseline child of the same task (library(mrkit), and for the",
  "clumps reading the input table). `seconds` is the child's whole wall-clock time (R start-up",
  "included) on a shared 2-core machine.",
  sprintf("GWAS file: %s rows written by mrkit's simulation writer (GWAS-SSF columns), %d with p < 5e-8, gzip -6.",
          format(n_rows, big.mark = ","), n_sig),
  sprintf("Panel: simulate_ld_panel(%d, %s, block_size = 50, n_chr = 22), simulated in %.0f s;",
          n_ind, format(n_var, big.mark = ","), t_panel[["elapsed"]]),
  "genome-wide input = every panel variant with a simulated p-value (150 causal variants with",
  "LD-decaying association), instruments = those with p < 5e-8. The .bed file is memory-mapped:",
  "pages read count towards the resident set."))
unlink(dir, recursive = TRUE)
