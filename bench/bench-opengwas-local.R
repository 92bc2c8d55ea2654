# OpenGWAS ids resolved to local GWAS-VCF files: extract_outcome_data() of 100 instruments
# from a 1,000,000-row gzipped GWAS-VCF found by id under options(mrkit.gwas_dir), and
# extract_instruments() (p < 5e-8, clumped on a panel) of the same file, against reading
# the whole file with read_sumstats() (what the lookup cost before it read only the rows
# it needs).
# The first 20,000 variants are those of a simulated LD panel (so that proxies can be
# sought); the rest are filler rows with other rsids. Files are generated in a temporary
# directory (not committed).
# Run from the repository root: Rscript bench/bench-opengwas-local.R
#   MRKIT_BENCH_VCF_N    rows of the VCF (default 1,000,000)
#   MRKIT_BENCH_REPS     runs per case (default 5)
source("bench/bench-utils.R")
library(mrkit)
n <- as.numeric(Sys.getenv("MRKIT_BENCH_VCF_N", "1000000"))
reps <- as.integer(Sys.getenv("MRKIT_BENCH_REPS", "5"))
dir <- bench_workdir("opengwas")

set.seed(20261207)
panel <- simulate_ld_panel(500, 20000, block_size = 50, n_chr = 22, prefix = file.path(dir, "panel"), seed = 1)
v <- panel$variants
m <- n - nrow(v)
alleles <- c("A", "C", "G", "T")
ea <- sample(alleles, m, replace = TRUE)
oa <- alleles[(match(ea, alleles) + sample(0:2, m, replace = TRUE)) %% 4 + 1]
z <- stats::rnorm(n)
hit <- stats::runif(n) < 0.0005
z[hit] <- z[hit] + sign(z[hit]) * 7
eaf <- c(v$freq, stats::runif(m, 0.01, 0.5))
se <- 1 / sqrt(2 * eaf * (1 - eaf) * 200000)
tab <- data.frame(SNP = c(v$SNP, paste0("rs", 9e8 + seq_len(m))),
                  chr.outcome = c(v$chr, rep_len(1:22, m)),
                  pos.outcome = c(v$pos, 3e8 + seq_len(m)),
                  effect_allele.outcome = c(v$A1, ea), other_allele.outcome = c(v$A2, oa),
                  beta.outcome = z * se, se.outcome = se, eaf.outcome = eaf,
                  pval.outcome = 2 * stats::pnorm(-abs(z)), samplesize.outcome = 200000,
                  stringsAsFactors = FALSE)
vcf <- file.path(dir, "gwas", "ieu-a-7", "ieu-a-7.vcf.gz")
tw <- system.time(write_gwas_vcf(tab, vcf, id = "ieu-a-7"))
t_write <- tw[["user.self"]] + tw[["sys.self"]]
options(mrkit.gwas_dir = file.path(dir, "gwas"))

# 100 instruments: 95 present, 5 panel variants removed from a second file (proxies).
snps <- sample(v$SNP, 100)
vcf_miss <- file.path(dir, "gwas", "ieu-a-8", "ieu-a-8.vcf.gz")
write_gwas_vcf(tab[!tab$SNP %in% snps[1:5], ], vcf_miss, id = "ieu-a-8")

cases <- list(
  "extract_outcome_data, 100 SNPs, all present (one pass)" =
    function() extract_outcome_data(snps, "ieu-a-7"),
  "extract_outcome_data, 100 SNPs, 5 missing, proxies from the panel (two passes)" =
    function() extract_outcome_data(snps, "ieu-a-8", bfile = panel$bfile),
  "extract_outcome_data, 100 SNPs, proxies = FALSE" =
    function() extract_outcome_data(snps, "ieu-a-7", proxies = FALSE),
  "read_sumstats, whole file (the lookup's cost before)" =
    function() read_sumstats(vcf, type = "outcome", verbose = FALSE),
  "extract_instruments, p < 5e-8, clumped on the panel" =
    function() suppressWarnings(extract_instruments("ieu-a-7", bfile = panel$bfile))
)
cpu_time <- function(f) {
  t0 <- proc.time()
  f()
  t1 <- proc.time() - t0
  t1[["user.self"]] + t1[["sys.self"]]
}
res <- do.call(rbind, lapply(names(cases), function(nm) {
  t <- bench_time(cases[[nm]](), reps = reps, warmup = 1L)
  cpu <- stats::median(vapply(seq_len(reps), function(i) cpu_time(cases[[nm]]), numeric(1)))
  data.frame(case = nm, median_s = t[["median"]], min_s = t[["min"]], max_s = t[["max"]],
             median_cpu_s = cpu, reps = reps)
}))
y <- extract_outcome_data(snps, "ieu-a-8", bfile = panel$bfile)
write_bench(res, "opengwas-local",
            c(sprintf("A gzipped GWAS-VCF of %s rows (%.0f MB, written by write_gwas_vcf() in %.1f CPU s) found by its id under options(mrkit.gwas_dir).",
                      format(n, big.mark = ","), file.size(vcf) / 2^20, t_write),
              sprintf("Check: the 5-missing case returns %d rows, %d of them proxies.", nrow(y), sum(y$proxy.outcome)),
              "Times are elapsed seconds (median of the runs after one warm-up) and the median CPU seconds (user + system) of as many further runs, on a 2-core machine shared with other jobs (load average about 10 during the run), so elapsed times are inflated several-fold; the CPU time is the cost."))
