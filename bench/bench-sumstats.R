# Reading a 10-million-row gzipped GWAS file and keeping p < 5e-8:
# mrkit::read_sumstats() on a plain gzip and on a BGZF (bgzip) copy of the same text, with
# 1 and 2 threads, against data.table::fread() + filter, and against an earlier mrkit (the
# "before" rows) when MRKIT_BENCH_BASE_LIB names a library holding it, all in the same run.
# Each read runs in its own Rscript child so that its peak resident memory (VmHWM from
# /proc/self/status, read at the end of the child) and its CPU time (user + system, all
# threads) belong to that read alone; an Rscript that only loads the packages gives the
# baseline. The machine may be shared: rows/s per core is rows / CPU seconds, and the load
# average (1 min) at the start of each read is recorded next to the wall time.
# The files are generated here, in a temporary directory (not committed).
# Run from the repository root: Rscript bench/bench-sumstats.R
#   MRKIT_BENCH_SUMSTATS_N  number of rows (default 10,000,000)
#   MRKIT_BENCH_REPS        runs per mrkit reader (default 3)
#   MRKIT_BENCH_FREAD_REPS  runs of each fread reader (default 1; 0 leaves them out)
#   MRKIT_BENCH_BASE_LIB    library with the mrkit to compare against (e.g. main's)
#   MRKIT_BENCH_SUMSTATS_DIR  keep the generated files there and reuse them when present
source("bench/bench-utils.R")
stopifnot(requireNamespace("data.table", quietly = TRUE))
n <- as.numeric(Sys.getenv("MRKIT_BENCH_SUMSTATS_N", "10000000"))
reps <- as.integer(Sys.getenv("MRKIT_BENCH_REPS", "3"))
fread_reps <- as.integer(Sys.getenv("MRKIT_BENCH_FREAD_REPS", "1"))
base_lib <- Sys.getenv("MRKIT_BENCH_BASE_LIB", "")
have_bgzip <- nzchar(Sys.which("bgzip"))
dir <- bench_workdir("sumstats")
data_dir <- Sys.getenv("MRKIT_BENCH_SUMSTATS_DIR", dir)
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
file <- file.path(data_dir, sprintf("gwas_ssf_%.0f.tsv.gz", n))
file_bgzf <- file.path(data_dir, sprintf("gwas_ssf_%.0f.bgzf.tsv.gz", n))
n_sig_file <- paste0(file, ".nsig")

# A GWAS-SSF file: 10 columns, about 1 in 1,000 variants with p < 5e-8.
reuse <- file.exists(file) && file.exists(n_sig_file) && (!have_bgzip || file.exists(file_bgzf))
t_gen <- if (reuse) {
  n_sig <- as.integer(readLines(n_sig_file))
  c(elapsed = 0)
} else system.time({
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
  writeLines(as.character(n_sig), n_sig_file)
  rm(dat, z, hit, maf, se, ea, oa)
  invisible(gc())
  # The same text in BGZF blocks, as bgzip writes it
  if (have_bgzip) system(sprintf("gzip -dc %s | bgzip -c > %s", shQuote(file), shQuote(file_bgzf)))
})
cat(sprintf("generated %s rows (%.0f MB gzip, %.0f MB bgzip) in %.1f s; %d with p < 5e-8\n",
            format(n, big.mark = ","), file.size(file) / 2^20,
            if (have_bgzip) file.size(file_bgzf) / 2^20 else NA, t_gen[["elapsed"]], n_sig))

lib_new <- paste(.libPaths(), collapse = ":")
lib_old <- paste(c(base_lib, .libPaths()), collapse = ":")
child <- function(code, lib, out_rds) {
  script <- tempfile(fileext = ".R", tmpdir = dir)
  writeLines(c(code,
               'hwm <- grep("^VmHWM", readLines("/proc/self/status"), value = TRUE)',
               'cpu <- sum(proc.time()[c("user.self", "sys.self", "user.child", "sys.child")], na.rm = TRUE) - cpu0',
               'counts <- attr(res, "read_report")$counts; attr(res, "read_report") <- NULL',
               sprintf('if (nrow(res)) saveRDS(list(data = as.data.frame(res), counts = counts), %s)',
                       deparse(out_rds)),
               'cat("RESULT", elapsed, nrow(res), as.numeric(gsub("[^0-9]", "", hwm)) / 1024, cpu, load0, "\\n")'),
             script)
  out <- suppressWarnings(system2(file.path(R.home("bin"), "Rscript"), c("--vanilla", script),
                                  stdout = TRUE, stderr = TRUE, env = paste0("R_LIBS=", lib)))
  if (!any(grepl("^RESULT", out))) stop("a child failed:\n", paste(utils::tail(out, 20), collapse = "\n"))
  v <- strsplit(grep("^RESULT", out, value = TRUE), " ")[[1]]
  c(seconds = as.numeric(v[2]), rows = as.numeric(v[3]), peak_mb = as.numeric(v[4]),
    cpu = as.numeric(v[5]), load = as.numeric(v[6]))
}
start <- c("suppressMessages({library(mrkit); library(data.table)})",
           "load0 <- as.numeric(strsplit(readLines('/proc/loadavg'), ' ')[[1]][1])",
           "t0 <- proc.time()[['elapsed']]; cpu0 <- sum(proc.time()[c('user.self', 'sys.self')])")
rs_code <- function(path, threads = NULL) {
  c(start,
    sprintf("res <- read_sumstats(%s, pval_threshold = 5e-8, phenotype = 'X', id = 'x', verbose = FALSE%s)",
            deparse(path), if (is.null(threads)) "" else sprintf(", threads = %d", threads)),
    "elapsed <- proc.time()[['elapsed']] - t0")
}
fread_code <- function(select) {
  c(start, "setDTthreads(2L)",
    sprintf("dt <- fread(%s, showProgress = FALSE%s)", deparse(file),
            if (select) ", select = c('rsid', 'effect_allele', 'other_allele', 'beta', 'standard_error', 'effect_allele_frequency', 'p_value')" else ""),
    "res <- dt[p_value < 5e-8]",
    "elapsed <- proc.time()[['elapsed']] - t0")
}
# name = list(code, library, input, threads, runs)
jobs <- list(baseline = list(c(start[1:2], "cpu0 <- 0; elapsed <- 0; res <- data.frame()"), lib_new, "-", NA, 1L))
if (nzchar(base_lib)) {
  jobs$before_gzip <- list(rs_code(file), lib_old, "gzip", 1L, reps)
  if (have_bgzip) jobs$before_bgzf <- list(rs_code(file_bgzf), lib_old, "bgzf", 1L, reps)
}
jobs$after_gzip <- list(rs_code(file, 1L), lib_new, "gzip", 1L, reps)
jobs$after_gzip_t2 <- list(rs_code(file, 2L), lib_new, "gzip", 2L, reps)
if (have_bgzip) {
  jobs$after_bgzf <- list(rs_code(file_bgzf, 1L), lib_new, "bgzf", 1L, reps)
  jobs$after_bgzf_t2 <- list(rs_code(file_bgzf, 2L), lib_new, "bgzf", 2L, reps)
}
if (fread_reps > 0) {
  jobs$fread_filter <- list(fread_code(FALSE), lib_new, "gzip", 2L, fread_reps)
  jobs$fread_select_filter <- list(fread_code(TRUE), lib_new, "gzip", 2L, fread_reps)
}
# Runs interleaved (one of each reader per round), so that a change of load hits them all.
runs <- list()
for (r in seq_len(max(vapply(jobs, `[[`, 1L, 5L)))) {
  for (m in names(jobs)) {
    if (r > jobs[[m]][[5]]) next
    rds <- file.path(dir, paste0(m, ".rds"))
    runs[[length(runs) + 1L]] <- c(method = m, rep = r, child(jobs[[m]][[1]], jobs[[m]][[2]], rds))
  }
}
runs <- as.data.frame(do.call(rbind, runs), stringsAsFactors = FALSE)
for (k in c("seconds", "rows", "peak_mb", "cpu", "load")) runs[[k]] <- as.numeric(runs[[k]])

# The same rows, values and counts from every mrkit reader (fread's table has other columns).
res_of <- function(m) {
  f <- file.path(dir, paste0(m, ".rds"))
  if (file.exists(f)) readRDS(f) else NULL
}
ref <- res_of("after_gzip")
agg <- do.call(rbind, lapply(names(jobs), function(m) {
  d <- runs[runs$method == m, ]
  x <- res_of(m)
  same <- if (grepl("^(before|after)", m)) identical(x, ref) else NA
  data.frame(method = m, input = jobs[[m]][[3]], threads = jobs[[m]][[4]], rows_in = n,
             rows_kept = d$rows[1], identical_to_after_gzip = same, runs = nrow(d),
             median_s = stats::median(d$seconds), min_s = min(d$seconds), max_s = max(d$seconds),
             median_cpu_s = stats::median(d$cpu), load_1min = stats::median(d$load),
             mrows_per_s = n / stats::median(d$seconds) / 1e6,
             mrows_per_cpu_s = n / stats::median(d$cpu) / 1e6, peak_rss_mb = max(d$peak_mb))
}))
base <- agg$peak_rss_mb[agg$method == "baseline"]
agg$peak_above_baseline_mb <- agg$peak_rss_mb - base
agg[agg$method == "baseline", c("mrows_per_s", "mrows_per_cpu_s")] <- NA
pick <- function(m, k) if (m %in% agg$method) agg[[k]][agg$method == m] else NA
notes <- c(
  sprintf("Input: %s-row GWAS-SSF file, %.0f MB as one gzip stream (data.table::fwrite) and %s as BGZF (bgzip); %d rows with p < 5e-8; threshold p < 5e-8.",
          format(n, big.mark = ","), file.size(file) / 2^20,
          if (have_bgzip) sprintf("%.0f MB", file.size(file_bgzf) / 2^20) else "(no bgzip: not run)", n_sig),
  sprintf("Each read runs in its own Rscript child (%d runs of each mrkit reader, %d of each fread reader, interleaved); peak memory is that child's VmHWM. The baseline child only loads mrkit and data.table.", reps, fread_reps),
  "median_cpu_s is user + system CPU time of the read in the child, all its threads included; mrows_per_cpu_s = rows / CPU seconds is the rate per core, which a loaded machine does not distort as much as wall time. load_1min is /proc/loadavg when the read started (2 cores).",
  if (nzchar(base_lib)) "before_*: mrkit as on main before this change (zlib's gzread for every gzip file, every field split); after_*: libdeflate for whole BGZF blocks and for fwrite's gzip members (about 1 MiB each), p-value-first parsing, and with threads = 2 decompression in a second thread." else "after_*: this version (no earlier version given).",
  "identical_to_after_gzip: the kept rows (all columns) and the read report's counts are identical to those of after_gzip.",
  "fread uses 2 threads (setDTthreads(2)) and decompresses the .gz first (data.table 1.14 with R.utils).",
  sprintf("BGZF, 1 thread: %.2f M rows per CPU second (before: %.2f); gzip: %.2f (before: %.2f); BGZF, 2 threads: %.2f s wall, %.2f M rows per CPU second.",
          pick("after_bgzf", "mrows_per_cpu_s"), pick("before_bgzf", "mrows_per_cpu_s"),
          pick("after_gzip", "mrows_per_cpu_s"), pick("before_gzip", "mrows_per_cpu_s"),
          pick("after_bgzf_t2", "median_s"), pick("after_bgzf_t2", "mrows_per_cpu_s")))
writeLines(notes)
write_bench(agg, "sumstats", notes)
