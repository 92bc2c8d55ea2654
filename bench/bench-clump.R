# Time clump_data() against plink 1.9 --clump on a simulated panel (5,000 people x 200,000
# variants on 22 chromosomes, haplotype blocks of 50) with genome-wide simulated p-values.
# The panel is generated into a temporary folder (not committed). plink 1.9 runs in the
# same session when it is installed (Debian: apt-get install plink1.9); otherwise only
# mrkit is timed. Sizes can be reduced with MRKIT_BENCH_CLUMP_N / MRKIT_BENCH_CLUMP_M.
# Run from the package root: Rscript bench/bench-clump.R
# Results: bench/results/clump.csv and clump.md.
library(mrkit)
source("bench/bench-utils.R")
n_ind <- as.integer(Sys.getenv("MRKIT_BENCH_CLUMP_N", "5000"))
n_var <- as.integer(Sys.getenv("MRKIT_BENCH_CLUMP_M", "200000"))
dir <- bench_workdir("clump")
prefix <- file.path(dir, "panel")
t_sim <- system.time(sim <- simulate_ld_panel(n_ind, n_var, block_size = 50, n_chr = 22,
                                              decay = 0.05, prefix = prefix, seed = 1,
                                              threads = 2))[["elapsed"]]
v <- sim$variants

# Genome-wide association z-scores: 150 causal variants; association decays along the
# block with the simulator's LD, signs from the orientations; null elsewhere.
p <- simulate_panel_pvalues(v, n_causal = 150, seed = 2)
gwas <- data.frame(SNP = v$SNP, pval.exposure = p, id.exposure = "x", stringsAsFactors = FALSE)

plink <- Sys.which(c("plink1.9", "plink"))
plink <- plink[nzchar(plink)][1]
run_plink <- function(dat, kb, r2, p1) {
  pf <- file.path(dir, "p.txt")
  utils::write.table(data.frame(SNP = dat$SNP, P = sprintf("%.17g", dat$pval.exposure)), pf,
                     row.names = FALSE, quote = FALSE)
  out <- file.path(dir, "plink_out")
  t <- median_time(function() system2(plink, c("--bfile", prefix, "--clump", pf, "--clump-p1", p1,
                                                "--clump-r2", r2, "--clump-kb", kb, "--out", out),
                                       stdout = FALSE, stderr = FALSE))
  cl <- file.path(dir, "plink_out.clumped")
  idx <- if (file.exists(cl)) utils::read.table(cl, header = TRUE)$SNP else character()
  unlink(cl)
  list(time = t[["elapsed"]], cpu = cpu_seconds(t), index = idx)
}

configs <- list(
  list(name = "instruments p<5e-8, kb 10000, r2 0.001", dat = gwas[gwas$pval.exposure < 5e-8, ],
       kb = 10000, r2 = 0.001, p1 = 1),
  list(name = "genome-wide, p1 5e-8, kb 10000, r2 0.001", dat = gwas, kb = 10000, r2 = 0.001, p1 = 5e-8),
  list(name = "genome-wide, p1 1, kb 250, r2 0.1", dat = gwas, kb = 250, r2 = 0.1, p1 = 1)
)
# CPU seconds of a system.time() result, the child process (plink) included: on a shared
# machine elapsed time also counts other processes' load.
cpu_seconds <- function(t) sum(t[c("user.self", "sys.self", "user.child", "sys.child")], na.rm = TRUE)
# Median (by elapsed time) of `reps` runs of f(); the last value of f() is kept in .last.
median_time <- function(f, reps = 3L) {
  ts <- lapply(seq_len(reps), function(i) system.time(.last <<- f()))
  el <- vapply(ts, function(t) t[["elapsed"]], numeric(1))
  ts[[order(el)[(reps + 1L) %/% 2L]]]
}
.last <- NULL
rows <- list()
# A cold first call: the panel's .bim is read (mrkit caches it for later calls).
cold <- system.time(clump_data(configs[[1]]$dat, bfile = prefix, threads = 1L))
rows[[1]] <- data.frame(config = configs[[1]]$name, tool = "mrkit clump_data (threads 1, first call: reads .bim)",
                        n_input = nrow(configs[[1]]$dat), n_index = NA, seconds = cold[["elapsed"]],
                        cpu_seconds = cpu_seconds(cold), same_index_as_plink = NA)
for (cf in configs) {
  for (th in c(1L, 2L)) {
    t <- median_time(function() clump_data(cf$dat, clump_kb = cf$kb, clump_r2 = cf$r2,
                                           clump_p1 = cf$p1, bfile = prefix, threads = th))
    res <- .last
    rows[[length(rows) + 1L]] <- data.frame(config = cf$name, tool = sprintf("mrkit clump_data (threads %d)", th),
                                            n_input = nrow(cf$dat), n_index = nrow(res),
                                            seconds = t[["elapsed"]], cpu_seconds = cpu_seconds(t),
                                            same_index_as_plink = NA)
  }
  if (!is.na(plink)) {
    pr <- run_plink(cf$dat, cf$kb, cf$r2, cf$p1)
    same <- setequal(pr$index, res$SNP)
    rows[[length(rows) - 1L]]$same_index_as_plink <- same
    rows[[length(rows)]]$same_index_as_plink <- same
    rows[[length(rows) + 1L]] <- data.frame(config = cf$name, tool = "plink 1.9 --clump", n_input = nrow(cf$dat),
                                            n_index = length(pr$index), seconds = pr$time,
                                            cpu_seconds = pr$cpu, same_index_as_plink = NA)
  }
}
df <- do.call(rbind, rows)
notes <- c(sprintf("Panel: %d individuals x %d variants (22 chromosomes, blocks of 50), simulated in %.1f s by simulate_ld_panel().",
                   n_ind, n_var, t_sim),
           "p-values: 150 causal variants with LD-decaying association, standard normal elsewhere.",
           "Times: elapsed and CPU seconds, the run of median elapsed time of 3 (plink: its whole run, a child process, reading the panel each time; mrkit: after the first call the .bim is cached, the .bed is memory-mapped on each call).",
           "The machine is shared: elapsed times include other processes' load; CPU seconds do not (with 2 threads they add up both).",
           if (is.na(plink)) "plink 1.9 was not installed: only mrkit was timed." else
             paste("plink:", plink, "(default settings)."))
write_bench(df, "clump", notes)
