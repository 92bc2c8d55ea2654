# mr_screen(): a genome-wide-shaped screen from raw files. N exposure GWAS files
# (GWAS-SSF, gzip, 1,000,000 variants each) x 2 FinnGen-format outcome files (gzip,
# 990,000 variants: 1% of the panel missing, so LD proxies are sought), instruments
# clumped on a simulated 500 x 1,000,000 PLINK panel, TwoSampleMR's five default methods
# (nboot 1000) with heterogeneity, Egger intercept, F-statistics, Steiger and BH/Bonferroni.
# The files are simulated once into a cache directory and reused. Each configuration runs
# in its own Rscript under /usr/bin/time -v (peak RSS and CPU of the driver); multisession
# workers report their own peak RSS and CPU time.
#
# Run from the package root:
#   Rscript bench/bench-screen.R
# Environment:
#   MRKIT_BENCH_SCREEN_N      exposure files (default 100; the cache keeps what was made)
#   MRKIT_BENCH_CACHE         where the simulated files are kept (default /tmp/mrkit-bench-screen;
#                             about 24 MB per exposure file; refused beyond
#                             MRKIT_BENCH_SCREEN_MAX_GB, default 25, or the disk's free space)
#   MRKIT_BENCH_SCREEN_PLANS  comma-separated plans (default "sequential,multisession")
#   MRKIT_BENCH_SCREEN_LABEL  name of this build in the table (default "current"; runs of
#                             other labels with the same N found in the cache are shown too,
#                             e.g. "before" run with R_LIBS pointing at an older build)
#   MRKIT_BENCH_SCREEN_GENERATE_ONLY=1  only simulate the files
#   MRKIT_BENCH_SCREEN_REPORT_ONLY=1    rewrite the results from the runs in the cache
# Duration on this 2-core machine: simulating the panel takes a few minutes and each exposure
# file ~4 s idle (25-50 s at a load of 12), once; the two timed runs then take about
# 2 x (10 s + 0.9 s of CPU per exposure file) on an idle machine -- at a load average of
# 11-17 (5 sessions on 2 cores) N = 60 took 4.6 min and N = 100 9 min for both plans.
suppressPackageStartupMessages(library(mrkit))
source("bench/bench-utils.R")

cache <- Sys.getenv("MRKIT_BENCH_CACHE", "/tmp/mrkit-bench-screen")
n_exp <- as.integer(Sys.getenv("MRKIT_BENCH_SCREEN_N", "100"))
plans <- strsplit(Sys.getenv("MRKIT_BENCH_SCREEN_PLANS", "sequential,multisession"), ",")[[1]]
label <- Sys.getenv("MRKIT_BENCH_SCREEN_LABEL", "current")
max_gb <- as.numeric(Sys.getenv("MRKIT_BENCH_SCREEN_MAX_GB", "25"))
n_var <- 1e6
n_out <- 2L
args <- commandArgs(TRUE)
run_file <- function(plan, lab = label, n = n_exp) file.path(cache, sprintf("run-%s-%s-%d.rds", lab, plan, n))
load_avg <- function() as.numeric(strsplit(readLines("/proc/loadavg"), " ")[[1]][1:3])

peak_rss_mb <- function(status = readLines("/proc/self/status")) {
  as.numeric(gsub("[^0-9]", "", grep("^VmHWM", status, value = TRUE))) / 1024
}

# -- child: one timed screen ----------------------------------------------------------------
if (length(args) >= 2 && args[1] == "run") {
  plan_name <- args[2]
  m <- readRDS(file.path(cache, "manifest.rds"))
  m$exposures <- m$exposures[seq_len(n_exp)]
  # CPU seconds and peak RSS of each multisession worker (2 futures at once, one per worker).
  worker_state <- function() {
    future.apply::future_lapply(1:2, function(i) {
      Sys.sleep(1)
      pt <- proc.time()
      list(pid = Sys.getpid(), cpu = pt[["user.self"]] + pt[["sys.self"]], status = readLines("/proc/self/status"))
    }, future.chunk.size = 1)
  }
  w0 <- NULL
  if (plan_name == "multisession") {
    future::plan(future::multisession, workers = 2L)
    w0 <- worker_state() # workers started before the clock
  } else {
    future::plan(future::sequential)
  }
  load0 <- load_avg()
  set.seed(1)
  t <- system.time(res <- mr_screen(m$exposures, m$outcomes, bfile = m$bfile))
  load1 <- load_avg()
  workers_rss <- NA_real_; workers_cpu <- NA_real_
  if (plan_name == "multisession") {
    w1 <- worker_state()
    workers_rss <- max(vapply(w1, function(w) peak_rss_mb(w$status), 1))
    cpu0 <- stats::setNames(vapply(w0, `[[`, 1, "cpu"), vapply(w0, `[[`, 1, "pid"))
    cpu1 <- stats::setNames(vapply(w1, `[[`, 1, "cpu"), vapply(w1, `[[`, 1, "pid"))
    workers_cpu <- sum(cpu1 - cpu0[names(cpu1)])
  }
  saveRDS(list(plan = plan_name, label = label, wall = t[["elapsed"]], cpu_driver = t[["user.self"]] + t[["sys.self"]],
               timing = res$timing, lines = sum(res$instruments$lines, na.rm = TRUE),
               n_instruments = res$instruments$instruments, threads = res$settings$threads,
               pairs = res$pairs, audit = res$audit, results = res$results,
               driver_rss = peak_rss_mb(), workers_rss = workers_rss, workers_cpu = workers_cpu,
               load_start = load0[1], load_end = load1[1], load_15min_end = load1[3]),
          run_file(plan_name))
  quit(save = "no")
}

# -- the simulated files (made once) --------------------------------------------------------
dir.create(cache, showWarnings = FALSE, recursive = TRUE)
if (!file.exists(file.path(cache, "panel.bed"))) {
  simulate_ld_panel(500, n_var, block_size = 100, n_chr = 22, prefix = file.path(cache, "panel"),
                    seed = 1, threads = 2)$variants |> saveRDS(file.path(cache, "variants.rds"))
}
v <- readRDS(file.path(cache, "variants.rds"))
het <- 2 * v$freq * (1 - v$freq)
block_start <- match(unique(v$block), v$block)
block_size <- tabulate(match(v$block, unique(v$block)))

# Marginal exposure effects of trait `e`: 100 causal blocks, lead |z| about sqrt(80),
# decaying along the block through LD (as simulate_gwas_files()).
true_effects <- function(e, n = 1e5) {
  set.seed(1000 + e)
  se <- 1 / sqrt(het * n)
  gx <- numeric(nrow(v))
  for (k in sample(length(block_start), 100)) {
    idx <- block_start[k] + seq_len(block_size[k]) - 1L
    lead <- idx[sample.int(length(idx), 1L)]
    gx[idx] <- sample(c(-1, 1), 1) * sqrt(80) * se[lead] * v$orientation[idx] * v$orientation[lead] *
      exp(-0.15 * abs(idx - lead))
  }
  gx
}

write_gwas <- function(file, beta, se, keep, layout) {
  set.seed(5000 + nchar(file) + sum(utf8ToInt(basename(file))))
  flip <- stats::runif(length(beta)) < 0.5
  ea <- ifelse(flip, v$A2, v$A1); oa <- ifelse(flip, v$A1, v$A2)
  eaf <- ifelse(flip, 1 - v$freq, v$freq); beta <- ifelse(flip, -beta, beta)
  p <- 2 * stats::pnorm(-abs(beta / se))
  tab <- if (layout == "gwas_ssf") {
    data.frame(chromosome = v$chr, base_pair_location = as.integer(v$pos), effect_allele = ea,
               other_allele = oa, beta = signif(beta, 6), standard_error = signif(se, 6),
               effect_allele_frequency = signif(eaf, 5), p_value = signif(p, 5), variant_id = v$SNP,
               n = 1e5)
  } else {
    stats::setNames(data.frame(v$chr, as.integer(v$pos), oa, ea, v$SNP, "", signif(p, 5),
                               signif(-log10(p), 5), signif(beta, 6), signif(se, 6), signif(eaf, 5)),
                    c("#chrom", "pos", "ref", "alt", "rsids", "nearest_genes", "pval", "mlogp", "beta",
                      "sebeta", "af_alt"))
  }
  # Written under a temporary name, so that an interrupted run leaves no truncated file.
  tmp <- paste0(file, ".part.gz")
  data.table::fwrite(tab[keep, , drop = FALSE], tmp, sep = "\t", compress = "gzip", nThread = 2)
  file.rename(tmp, file)
}

exp_files <- file.path(cache, sprintf("exposure%03d.tsv.gz", seq_len(n_exp)))
have <- file.exists(exp_files)
size_per_exposure <- if (any(have)) mean(file.size(exp_files[have])) else 24e6
need_gb <- sum(!have) * size_per_exposure / 1e9
df_free_gb <- as.numeric(system2("df", c("--output=avail", "-B1", cache), stdout = TRUE)[2]) / 1e9
cache_gb <- (sum(file.size(list.files(cache, full.names = TRUE)), na.rm = TRUE)) / 1e9
if (cache_gb + need_gb > max_gb || need_gb > df_free_gb - 2) {
  stop(sprintf("%d more exposure files need %.1f GB: the cache would hold %.1f GB (limit %g GB, MRKIT_BENCH_SCREEN_MAX_GB) with %.1f GB free on its disk.",
               sum(!have), need_gb, cache_gb + need_gb, max_gb, df_free_gb))
}
t_gen <- system.time(for (e in seq_len(n_exp)) {
  if (file.exists(exp_files[e])) next
  se <- 1 / sqrt(het * 1e5)
  bx <- true_effects(e) + stats::rnorm(nrow(v), 0, se)
  write_gwas(exp_files[e], bx, se, rep(TRUE, nrow(v)), "gwas_ssf")
})
out_files <- file.path(cache, sprintf("finngen_outcome%d.gz", seq_len(n_out)))
out_rows <- 0
for (k in seq_len(n_out)) {
  se <- 1 / sqrt(het * 3e5)
  set.seed(3000 + k)
  by <- 0.2 * true_effects(k) + stats::rnorm(nrow(v), 0, se)
  keep <- stats::runif(nrow(v)) > 0.01
  out_rows <- out_rows + sum(keep)
  if (!file.exists(out_files[k])) write_gwas(out_files[k], by, se, keep, "finngen")
}
manifest <- list(exposures = exp_files, bfile = file.path(cache, "panel"),
                 outcomes = data.frame(file = out_files, id = paste0("finngen", seq_len(n_out)),
                                       format = "finngen", samplesize = 3e5))
saveRDS(manifest, file.path(cache, "manifest.rds"))

size_per_exposure <- mean(file.size(exp_files))
cat(sprintf("Cache %s: %d exposure files of %.1f MB each (%.2f GB with the panel and outcomes); %.0f GB free.\n",
            cache, n_exp, size_per_exposure / 1e6,
            sum(file.size(list.files(cache, full.names = TRUE)), na.rm = TRUE) / 1e9, df_free_gb))
if (identical(Sys.getenv("MRKIT_BENCH_SCREEN_GENERATE_ONLY"), "1")) quit(save = "no")

# -- timed runs, each in its own process ------------------------------------------------------
report_only <- identical(Sys.getenv("MRKIT_BENCH_SCREEN_REPORT_ONLY"), "1")
t_runs <- system.time(for (plan_name in plans) {
  if (report_only) break
  err <- sub("[.]rds$", ".time.txt", run_file(plan_name))
  cat(sprintf("[%s] %s, %d exposures, label %s (load %.1f) ...\n", format(Sys.time(), "%H:%M:%S"), plan_name,
              n_exp, label, load_avg()[1]))
  system2("/usr/bin/time", c("-v", file.path(R.home("bin"), "Rscript"), "bench/bench-screen.R", "run", plan_name),
          stdout = "", stderr = err,
          env = c(paste0("MRKIT_BENCH_SCREEN_N=", n_exp), paste0("MRKIT_BENCH_CACHE=", cache),
                  paste0("MRKIT_BENCH_SCREEN_LABEL=", label)))
  r <- readRDS(run_file(plan_name))
  tv <- readLines(err)
  r$time_rss <- as.numeric(gsub("[^0-9]", "", grep("Maximum resident set size", tv, value = TRUE))) / 1024
  tv_num <- function(what) as.numeric(sub(".*: ", "", grep(what, tv, value = TRUE, fixed = TRUE)))
  r$time_cpu <- tv_num("User time (seconds)") + tv_num("System time (seconds)")
  saveRDS(r, run_file(plan_name))
})

# Every run in the cache (any label, any number of exposures), largest screens first.
files <- list.files(cache, "^run-.*-[0-9]+[.]rds$", full.names = TRUE)
runs <- lapply(files, function(f) {
  r <- readRDS(f)
  r$n <- as.integer(sub(".*-([0-9]+)[.]rds$", "\\1", f))
  r
})
runs <- Filter(function(r) !is.null(r$label), runs)
if (!any(vapply(runs, function(r) r$n == n_exp && r$label == label, TRUE))) {
  stop("no runs of label ", label, " in the cache for ", n_exp, " exposures")
}
runs <- runs[order(-vapply(runs, `[[`, 1L, "n"), vapply(runs, function(r) r$label != label, TRUE),
                   vapply(runs, `[[`, "", "label"), match(vapply(runs, `[[`, "", "plan"), c("sequential", "multisession")))]
# The plans of this size and build must agree bit for bit (runs of other sizes or builds
# may come from other bootstrap streams).
same_as <- function(a, b) identical(a$results, b$results) && identical(a$audit, b$audit) && identical(a$pairs, b$pairs)
this_runs <- Filter(function(r) r$n == n_exp && r$label == label, runs)
plans_same <- if (length(this_runs) >= 2) all(vapply(this_runs[-1], same_as, TRUE, this_runs[[1]])) else NA

row_of <- function(r) {
  tm <- stats::setNames(r$timing$elapsed, r$timing$stage)
  # Rows decompressed and parsed: every exposure file once, every outcome file twice (the
  # instruments, then the candidate proxies of those missing).
  rows <- r$lines + 2 * out_rows
  workers <- if (r$plan == "multisession") 2L else 1L
  cpu <- r$time_cpu + if (is.na(r$workers_cpu)) 0 else r$workers_cpu
  data.frame(build = r$label, plan = r$plan, workers = workers, threads_per_worker = r$threads, exposures = r$n,
             pairs = nrow(r$pairs), estimated = sum(r$pairs$status == "estimated"),
             wall_s = r$wall, instruments_s = tm[["instruments"]], outcomes_s = tm[["outcomes"]],
             pairs_s = tm[["pairs"]], cpu_total_s = cpu, cpu_driver_s = r$time_cpu,
             cpu_per_exposure_s = cpu / r$n, rows_read = rows, rows_per_s = rows / r$wall,
             peak_rss_driver_mb = r$time_rss, peak_rss_worker_mb = r$workers_rss,
             load_start = r$load_start %||% r$load, load_end = r$load_end %||% NA_real_)
}
`%||%` <- function(a, b) if (is.null(a)) b else a
tab <- do.call(rbind, lapply(runs, row_of))
rownames(tab) <- NULL

# Projection from this build's runs: the outcome stage once, plus the per-exposure stages
# scaled to the exposures per node (each node like this 2-core machine).
cur <- tab[tab$build == label & tab$exposures == n_exp, , drop = FALSE]
ms <- cur[cur$plan == "multisession", , drop = FALSE][1, ]
sq <- cur[cur$plan == "sequential", , drop = FALSE][1, ]
per_exp <- (ms$instruments_s + ms$pairs_s) / n_exp
proj <- data.frame(
  scenario = c(sprintf("%d exposures, this machine (2 workers)", n_exp), "731 exposures, this machine (2 workers)",
               "10,000 exposures, 100 nodes of 2 cores (future.batchtools)"),
  exposures_per_node = c(n_exp, 731, 100),
  projected_wall_min = c(ms$wall_s, ms$outcomes_s + 731 * per_exp, ms$outcomes_s + 100 * per_exp) / 60)
proj$note <- c("measured", "outcome stage + 731 x measured per-exposure wall time",
               "outcome stage once + 100 exposures per node; scheduler queueing not included")
# From CPU time: what an otherwise idle 2-core machine (or node) takes with 2 workers,
# the outcome stage (sequential run) once plus the CPU time per exposure over 2 cores.
cpu_per_exp <- (sq$cpu_total_s - sq$outcomes_s) / n_exp
proj$projected_idle_min <- (sq$outcomes_s + c(n_exp, 731, 100) * cpu_per_exp / 2) / 60
# This build against every other build of the same size and plan: CPU and wall-time ratios.
vs <- merge(tab[tab$build == label, c("plan", "exposures", "cpu_total_s", "wall_s", "pairs_s")],
            tab[tab$build != label, c("build", "plan", "exposures", "cpu_total_s", "wall_s", "pairs_s")],
            by = c("plan", "exposures"), suffixes = c("", "_other"))
vs_lines <- if (nrow(vs)) {
  c(sprintf("%s against %s (same cache, one after the other; CPU time is the figure to trust on this shared machine):", label,
            paste(unique(vs$build), collapse = ", ")),
    sprintf("  %d exposures, %s: CPU %.1f s vs %.1f s (%+.0f%%), wall %.0f s vs %.0f s, pairs stage %.0f s vs %.0f s.",
            vs$exposures, vs$plan, vs$cpu_total_s, vs$cpu_total_s_other, 100 * (vs$cpu_total_s / vs$cpu_total_s_other - 1),
            vs$wall_s, vs$wall_s_other, vs$pairs_s, vs$pairs_s_other))
}
cat(vs_lines, sep = "\n")
if (!report_only) cat(sprintf("Generation of the missing exposure files: %.0f s; timed runs: %.0f s\n",
                              t_gen[["elapsed"]], t_runs[["elapsed"]]))
print(proj, row.names = FALSE)

notes <- c(
  sprintf("mr_screen() of %d simulated exposure GWAS files (GWAS-SSF, gzip, %s variants each, %.1f MB per file, ~100 causal LD blocks, lead |z| ~ 9)",
          n_exp, format(n_var, big.mark = ",", scientific = FALSE), size_per_exposure / 1e6),
  sprintf("x %d FinnGen-format outcome files (gzip, %s variants: 1%% of the panel missing, so proxies are sought; outcome k caused by exposure k, b = 0.2).",
          n_out, format(round(out_rows / n_out), big.mark = ",", scientific = FALSE)),
  "Instruments p < 5e-8 clumped (r2 < 0.001, 10,000 kb) on a simulated PLINK panel of 500 individuals x 1,000,000 variants (22 chromosomes, blocks of 100);",
  "LD proxies r2 >= 0.8 within 5,000 kb; TwoSampleMR's five default methods (nboot 1000), heterogeneity, Egger intercept, F, Steiger, BH + Bonferroni.",
  sprintf("Mean instruments per exposure after clumping: %.1f. Results, audit and pairs of the %d-exposure runs (%s) identical between the plans (%s): %s.",
          mean(runs[[1]]$n_instruments), n_exp, label,
          paste(vapply(this_runs, `[[`, "", "plan"), collapse = ", "), plans_same),
  "build: the package build (before = main before the screen helper's changes, current = with them), same cache, same session, one after the other.",
  "wall_s: the mr_screen() call; instruments_s/outcomes_s/pairs_s: its three stages. rows_read: rows decompressed and parsed (exposures once, outcomes twice).",
  "cpu_total_s: user + system CPU seconds of the driver (/usr/bin/time) plus, multisession, of the two workers during the screen.",
  "peak_rss_driver_mb: /usr/bin/time -v of the driver process (incl. R and the result); peak_rss_worker_mb: VmHWM of the multisession workers.",
  "load_start/load_end: 1-minute load average of the shared 2-core machine when the screen began and ended (other sessions' work).",
  "", "Projection (current build): projected_wall_min from the 2-worker run's wall times (the load of this run); projected_idle_min from the sequential run:",
  "its outcome stage once plus its CPU seconds per exposure divided over 2 cores, i.e. an otherwise idle 2-core machine or node. Scheduler queueing not included.",
  "", knitr_table(proj), "", vs_lines, "",
  "Where the CPU time goes (Rprof, 4 of these exposures x 2 outcomes, sequential, 1 thread, both builds back to back at load ~7):",
  "before 11.4 s: reading 41% (cpp_read_sumstats), future's globals scan 13%, selecting the outcome rows within 5,000 kb of missing",
  "instruments 9% (panel_variants_near, per exposure in the driver), the proxy search's match() against the panel's 1,000,000 ids 12%",
  "(find_proxies, extract_outcome_local), the panel's .bim copied into R 8%, clumping 6%, mr() 4%, harmonise_data() 2% (of which",
  "most formatted a message that the screen muffles). current 6.8 s: reading 62%, the .bim copied into R 13% (now only",
  "for clump_data()'s match(); once per process), clumping 10%, mr() 6%, all else < 3% each.",
  "Memory: an outcome's second pass kept every row within 5,000 kb of an instrument missing from it (~60,000 rows per outcome at",
  "40 exposures); it now keeps the missing instruments' LD partners only (r2 >= 0.8 within the window). On 4 exposures the two outcomes",
  "kept 5,341 and 11,398 rows before, 390 and 397 now (checkpoints 177 and 358 kB -> 17 kB), and a pair task serialised to 882 kB,",
  "now 52 kB (the arguments shared by all tasks: ~6 kB).",
  "The 'current' rows of 100 exposures were run after the merge of the faster reader (libdeflate, p-value-first parsing), the",
  "compact-.bim clumping (no .bim copied into R) and the faster bootstrap replicates; the other 'current' rows before those.",
  "The 731-exposure rows were run with the build of 2026-12-07 (after the AVX2 kernel sums), on all 731 simulated files.",
  "")
write_bench(tab, "screen", notes)
