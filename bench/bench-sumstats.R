# Reading a 10-million-row gzipped GWAS file and keeping p < 5e-8:
# mrkit::read_sumstats() against data.table::fread() + filter, in the same run.
# Each read runs in its own Rscript child so that its peak resident memory (VmHWM from
# /proc/self/status, read at the end of the child) belongs to that read alone; an
# Rscript that only loads the packages gives the baseline.
# The file is generated here, in a temporary directory (not committed).
# Run from the repository root: Rscript bench/bench-sumstats.R
#   MRKIT_BENCH_SUMSTATS_N  number of rows (default 10,000,000)
#   MRKIT_BENCH_REPS        runs per reader (default 3)
source("bench/bench-utils.R")
stopifnot(requireNamespace("data.table", quietly = TRUE))
n <- as.numeric(Sys.getenv("MRKIT_BENCH_SUMSTATS_N", "10000000"))
reps <- as.integer(Sys.getenv("MRKIT_BENCH_REPS", "3"))
dir <- bench_workdir("sumstats")
file <- file.path(dir, "gwas_ssf.tsv.gz")

# A GWAS-SSF file: 10 columns, about 1 in 1,000 variants with p < 5e-8.
t_gen <- system.time({
  set.seed(20261121)
  z <- stats::rnorm(n)
  hit <- stats::runif(n) < 0.001
  z[hit] <- z[hit] + sign(z[hit]) * 7
  maf <- stats::runif(n, 0.01, 0.5)
  nn <- 250000
  se <- 1 / sqrt(2 * maf * (1 - maf) * nn)
  alleles <- c("A", "C", "G", "T")
  ea <- sample(alleles, n, replace = TRUE)
  oa <- alleles[(match(ea, alleles) + sample(0:2, n, replace = TRUE)) %% 4 + 1]
  dat <- data.table::data.table(
    chromosome = rep_len(1:22, n), base_pair_location = sample.int(2.4e8, n, replace = TRUE),
    effect_allele = ea, other_allele = oa, beta = signif(z * se, 5),
    standard_error = signif(se, 5), effect_allele_frequency = signif(maf, 4),
    p_value = signif(2 * stats::pnorm(-abs(z)), 5), rsid = paste0("rs", seq_len(n)), n = nn)
  data.table::fwrite(dat, file, sep = "\t", compress = "gzip")
  n_sig <- sum(dat$p_value < 5e-8)
  rm(dat, z, hit, maf, se, ea, oa)
  invisible(gc())
})
cat(sprintf("generated %s rows (%.0f MB gzipped) in %.1f s; %d with p < 5e-8\n",
            format(n, big.mark = ","), file.size(file) / 2^20, t_gen[["elapsed"]], n_sig))

child <- function(code) {
  script <- tempfile(fileext = ".R", tmpdir = dir)
  writeLines(c(code, 'hwm <- grep("^VmHWM", readLines("/proc/self/status"), value = TRUE)',
               'cpu <- sum(proc.time()[c("user.self", "sys.self")]) - cpu0',
               'cat("RESULT", elapsed, nrow(res), as.numeric(gsub("[^0-9]", "", hwm)) / 1024, cpu, "\\n")'),
             script)
  out <- system2(file.path(R.home("bin"), "Rscript"), c("--vanilla", script), stdout = TRUE,
                 stderr = FALSE, env = paste0("R_LIBS=", paste(.libPaths(), collapse = ":")))
  v <- strsplit(grep("^RESULT", out, value = TRUE), " ")[[1]]
  c(seconds = as.numeric(v[2]), rows = as.numeric(v[3]), peak_mb = as.numeric(v[4]),
    cpu = as.numeric(v[5]))
}
f <- deparse(file)
codes <- list(
  baseline = c("suppressMessages({library(mrkit); library(data.table)})",
               "cpu0 <- sum(proc.time()[c('user.self', 'sys.self')])",
               "elapsed <- 0; res <- data.frame()"),
  read_sumstats = c("suppressMessages({library(mrkit); library(data.table)})",
                    "t0 <- proc.time()[['elapsed']]; cpu0 <- sum(proc.time()[c('user.self', 'sys.self')])",
                    sprintf("res <- read_sumstats(%s, pval_threshold = 5e-8, phenotype = 'X', id = 'x', verbose = FALSE)", f),
                    "elapsed <- proc.time()[['elapsed']] - t0"),
  fread_filter = c("suppressMessages({library(mrkit); library(data.table)})",
                   "setDTthreads(2L)",
                   "t0 <- proc.time()[['elapsed']]; cpu0 <- sum(proc.time()[c('user.self', 'sys.self')])",
                   sprintf("dt <- fread(%s, showProgress = FALSE)", f),
                   "res <- dt[p_value < 5e-8]",
                   "elapsed <- proc.time()[['elapsed']] - t0"),
  fread_select_filter = c("suppressMessages({library(mrkit); library(data.table)})",
                          "setDTthreads(2L)",
                          "t0 <- proc.time()[['elapsed']]; cpu0 <- sum(proc.time()[c('user.self', 'sys.self')])",
                          sprintf("dt <- fread(%s, showProgress = FALSE, select = c('rsid', 'effect_allele', 'other_allele', 'beta', 'standard_error', 'effect_allele_frequency', 'p_value'))", f),
                          "res <- dt[p_value < 5e-8]",
                          "elapsed <- proc.time()[['elapsed']] - t0"))
runs <- list()
for (r in seq_len(reps)) {
  for (m in names(codes)) {
    if (m == "baseline" && r > 1L) next
    runs[[length(runs) + 1L]] <- c(method = m, rep = r, child(codes[[m]]))
  }
}
runs <- as.data.frame(do.call(rbind, runs), stringsAsFactors = FALSE)
for (k in c("seconds", "rows", "peak_mb", "cpu")) runs[[k]] <- as.numeric(runs[[k]])
agg <- do.call(rbind, lapply(split(runs, runs$method), function(d) {
  data.frame(method = d$method[1], rows_in = n, rows_kept = d$rows[1], runs = nrow(d),
             median_s = stats::median(d$seconds), min_s = min(d$seconds),
             max_s = max(d$seconds), median_cpu_s = stats::median(d$cpu),
             peak_rss_mb = max(d$peak_mb))
}))
agg <- agg[match(names(codes), agg$method), ]
base <- agg$peak_rss_mb[agg$method == "baseline"]
agg$peak_above_baseline_mb <- agg$peak_rss_mb - base
rs <- agg[agg$method == "read_sumstats", ]
fr <- agg[agg$method == "fread_filter", ]
notes <- c(
  sprintf("Input: %s-row GWAS-SSF file, gzip (%.0f MB), %d rows with p < 5e-8; threshold p < 5e-8.",
          format(n, big.mark = ","), file.size(file) / 2^20, n_sig),
  sprintf("Each read runs in its own Rscript child (%d runs each); peak memory is that child's VmHWM. The baseline child only loads mrkit and data.table.", reps),
  "median_cpu_s is user + system CPU time of the read in the child (includes the child threads of fread; the gunzip of R.utils runs in the same process).",
  "fread uses 2 threads (setDTthreads(2)) and decompresses the .gz first (data.table 1.14 with R.utils); read_sumstats is single-threaded and streams.",
  sprintf("read_sumstats vs fread + filter: %.2fx faster (median), peak memory above baseline %.0f MB vs %.0f MB (%.1f%%).",
          fr$median_s / rs$median_s, rs$peak_above_baseline_mb, fr$peak_above_baseline_mb,
          100 * rs$peak_above_baseline_mb / fr$peak_above_baseline_mb))
writeLines(notes)
write_bench(agg, "sumstats", notes)
