# Time clump_data() against plink 1.9 --clump (same index SNPs), in the same run:
#  (a) the issue's setting: the genome-wide-significant variants (p < 5e-8, ~1,300) of a
#      simulated 2,500 x 300,000 panel (22 chromosomes, haplotype blocks of 50);
#  (b) genome-wide clumping: every variant with p < 5e-8 of a 10-million-variant GWAS
#      against a 1000 Genomes-sized panel (503 people x 10,000,000 variants, 1.26 GB .bed,
#      312 MB .bim; positions rescaled to ~325 bp apart, the density of 1000 Genomes);
#  (c) a genome-wide input table: all 300,000 variants of panel (a), p1 = 5e-8 (every
#      variant gets its clump in the report; plink with --clump-p2 1 does the same work).
# Each mrkit figure comes from a child Rscript (library(mrkit) and reading the input are
# not timed): the first call in the session ("cold": reads the panel's .bim) and the median
# of 5 further calls ("warm": the panel stays open). plink is a child process that reads the
# panel every time (median of 3 runs). With MRKIT_BENCH_CLUMP_BASELINE_LIB=<library> the
# mrkit installed there (e.g. the main branch before this change) is timed too, in the
# same run. CPU seconds (user + system) are given next to wall time: the machine is shared.
# Panels are simulated into MRKIT_BENCH_CLUMP_DIR (default: a temporary folder; ~1.7 GB for
# (b)); MRKIT_BENCH_CLUMP_GW_M sets the variants of panel (b) (default 1e7; 0 skips it).
# Run from the package root: Rscript bench/bench-clump.R
# Results: bench/results/clump.csv and clump.md.
library(mrkit)
source("bench/bench-utils.R")
dir <- Sys.getenv("MRKIT_BENCH_CLUMP_DIR", "")
if (!nzchar(dir)) dir <- bench_workdir("clump")
dir.create(dir, showWarnings = FALSE, recursive = TRUE)
gw_m <- as.numeric(Sys.getenv("MRKIT_BENCH_CLUMP_GW_M", "1e7"))
baseline_lib <- Sys.getenv("MRKIT_BENCH_CLUMP_BASELINE_LIB", "")
plink <- Sys.which(c("plink1.9", "plink"))
plink <- plink[nzchar(plink)][1]

# A panel and its GWAS p-values, simulated once into `sub` (kept between runs).
make_panel <- function(sub, n_ind, n_var, n_causal, pos_scale = 1) {
  d <- file.path(dir, sub)
  dir.create(d, showWarnings = FALSE)
  prefix <- file.path(d, "panel")
  gwas <- file.path(d, "gwas.rds")
  if (!file.exists(gwas)) {
    t <- system.time(sim <- simulate_ld_panel(n_ind, n_var, block_size = 50, n_chr = 22, decay = 0.05,
                                              prefix = prefix, seed = 1, threads = 2))[["elapsed"]]
    v <- sim$variants
    if (pos_scale != 1) {
      # The simulator spaces variants ~6.5 kb apart: 10 million variants would not fit in
      # plink's 2^31 bp; rescaled to the density of the 1000 Genomes panels.
      bim <- utils::read.table(paste0(prefix, ".bim"), colClasses = "character")
      bim$V4 <- sprintf("%.0f", as.numeric(bim$V4) / pos_scale)
      utils::write.table(bim, paste0(prefix, ".bim"), sep = "\t", quote = FALSE, row.names = FALSE,
                         col.names = FALSE)
    }
    p <- simulate_panel_pvalues(v, n_causal = n_causal, seed = 2)
    saveRDS(data.frame(SNP = v$SNP, pval.exposure = p, id.exposure = "x", stringsAsFactors = FALSE), gwas)
    writeLines(sprintf("%.1f", t), file.path(d, "simulated-seconds.txt"))
  }
  list(prefix = prefix, gwas = readRDS(gwas), sim_seconds = as.numeric(readLines(file.path(d, "simulated-seconds.txt"))))
}

# One mrkit child: cold call, then 5 warm calls; returns times, CPU and the index SNPs.
time_mrkit <- function(lib, input, prefix, p1) {
  out <- tempfile(fileext = ".rds")
  code <- sprintf(
    'suppressPackageStartupMessages(library(mrkit)); x <- readRDS(%s)
     cpu <- function(t) sum(t[c("user.self", "sys.self")])
     f <- function() clump_data(x, clump_p1 = %s, bfile = %s, threads = 1L)
     t0 <- system.time(r <- f())
     tw <- lapply(1:5, function(i) system.time(r <<- f()))
     el <- vapply(tw, function(t) t[["elapsed"]], 1); k <- order(el)[3]
     saveRDS(list(cold = t0[["elapsed"]], cold_cpu = cpu(t0), warm = el[k], warm_cpu = cpu(tw[[k]]),
                  index = r$SNP, version = format(packageVersion("mrkit"))), %s)',
    deparse(input), format(p1), deparse(prefix), deparse(out))
  env <- if (nzchar(lib)) paste0("R_LIBS=", lib) else character()
  system2(file.path(R.home("bin"), "Rscript"), c("-e", shQuote(code)), env = env)
  readRDS(out)
}

time_plink <- function(input_txt, prefix, p1, p2) {
  out <- file.path(dir, "plink_out")
  args <- c("--bfile", prefix, "--clump", input_txt, "--clump-p1", p1, "--clump-p2", p2, "--clump-r2", 0.001,
            "--clump-kb", 10000, "--out", out)
  ts <- lapply(1:3, function(i) system.time(system2(plink, args, stdout = FALSE, stderr = FALSE)))
  el <- vapply(ts, function(t) t[["elapsed"]], 1)
  t <- ts[[order(el)[2]]]
  idx <- utils::read.table(paste0(out, ".clumped"), header = TRUE)$SNP
  unlink(paste0(out, ".clumped"))
  list(seconds = t[["elapsed"]], cpu = sum(t[c("user.child", "sys.child")]), index = idx)
}

load_avg <- function() as.numeric(strsplit(readLines("/proc/loadavg"), " ")[[1]][1])

panel_a <- make_panel("panel-a", 2500, 300000, n_causal = 61)
configs <- list(list(name = "(a) p<5e-8 variants, 2,500 x 300,000 panel", panel = panel_a,
                     dat = panel_a$gwas[panel_a$gwas$pval.exposure < 5e-8, ], p1 = 1, p2 = 1),
                list(name = "(c) all 300,000 variants, p1 5e-8, 2,500 x 300,000 panel", panel = panel_a,
                     dat = panel_a$gwas, p1 = 5e-8, p2 = 1))
if (gw_m > 0) {
  panel_b <- make_panel("panel-b", 503, gw_m, n_causal = 500, pos_scale = 20)
  configs <- c(configs[1], list(list(name = sprintf("(b) p<5e-8 variants, 503 x %s panel", format(gw_m, big.mark = ",", scientific = FALSE)),
                                     panel = panel_b, dat = panel_b$gwas[panel_b$gwas$pval.exposure < 5e-8, ],
                                     p1 = 1, p2 = 1)), configs[2])
  panel_b$gwas <- NULL
}
panel_a$gwas <- NULL

rows <- list()
add <- function(cf, tool, n_index, seconds, cpu, same, ratio_wall = NA, ratio_cpu = NA) {
  rows[[length(rows) + 1L]] <<- data.frame(config = cf$name, tool = tool, n_input = nrow(cf$dat), n_index = n_index,
                                           seconds = seconds, cpu_seconds = cpu, plink_over_mrkit_wall = ratio_wall,
                                           plink_over_mrkit_cpu = ratio_cpu, same_index_as_plink = same,
                                           load_avg = load_avg())
}
for (cf in configs) {
  input <- tempfile(fileext = ".rds")
  saveRDS(cf$dat, input)
  txt <- file.path(dir, "p.txt")
  utils::write.table(data.frame(SNP = cf$dat$SNP, P = sprintf("%.17g", cf$dat$pval.exposure)), txt,
                     row.names = FALSE, quote = FALSE)
  pl <- if (!is.na(plink)) time_plink(txt, cf$panel$prefix, cf$p1, cf$p2) else NULL
  libs <- c(this = "")
  if (nzchar(baseline_lib)) libs <- c(libs, baseline = baseline_lib)
  for (k in names(libs)) {
    m <- time_mrkit(unname(libs[k]), input, cf$panel$prefix, cf$p1)
    same <- if (is.null(pl)) NA else setequal(pl$index, m$index)
    lab <- if (k == "this") "mrkit" else "mrkit (baseline build)"
    add(cf, paste(lab, "clump_data, first call (reads .bim)"), length(m$index), m$cold, m$cold_cpu, same,
        if (is.null(pl)) NA else pl$seconds / m$cold, if (is.null(pl)) NA else pl$cpu / m$cold_cpu)
    add(cf, paste(lab, "clump_data, panel open"), length(m$index), m$warm, m$warm_cpu, same,
        if (is.null(pl)) NA else pl$seconds / m$warm, if (is.null(pl)) NA else pl$cpu / m$warm_cpu)
  }
  if (!is.null(pl)) add(cf, "plink 1.9 --clump", length(pl$index), pl$seconds, pl$cpu, NA)
}
df <- do.call(rbind, rows)
notes <- c(
  sprintf("Panels: simulate_ld_panel(2500, 300000, block_size = 50, n_chr = 22, decay = 0.05, seed = 1) (simulated in %.0f s)%s.",
          panel_a$sim_seconds,
          if (gw_m > 0) sprintf(" and simulate_ld_panel(503, %s, ...) (%.0f s; positions divided by 20: ~325 bp apart, as in 1000 Genomes)",
                                format(gw_m, scientific = FALSE), panel_b$sim_seconds) else ""),
  "GWAS p-values: causal variants (61 on panel a, 500 on panel b) with association decaying along their LD block, standard normal z elsewhere.",
  "Settings: clump_kb 10000, clump_r2 0.001 (TwoSampleMR's defaults); plink with --clump-p2 1 (every absorbed variant in its output, as in mrkit's report).",
  "mrkit: child Rscript, threads = 1; 'first call' = first clump_data() in the session (reads the .bim); 'panel open' = median of 5 further calls.",
  "plink: whole run of the child process (reads .bim/.fam/.bed each time), median of 3.",
  "Ratios: plink time / mrkit time (wall and CPU). load_avg: 1-minute load average when the row was written (shared 2-core machine; CPU seconds are the steadier figure).",
  if (nzchar(baseline_lib)) "'baseline build': the same benchmark with the mrkit of the main branch before this change (installed separately), same run." else NULL,
  if (is.na(plink)) "plink 1.9 was not installed: only mrkit was timed." else paste0("plink: ", plink, " (", system2(plink, "--version", stdout = TRUE)[1], ").")
)
write_bench(df, "clump", notes)
