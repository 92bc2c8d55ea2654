# Indexed outcome look-up: 100 instruments from a large bgzipped GWAS-VCF with a tabix
# index (.tbi), read through the index (only the BGZF blocks holding the instruments'
# positions are decompressed) against the full streaming read with the same SNP filter.
# The VCF body is generated in chunks in the layout write_gwas_vcf() writes, BGZF-
# compressed and indexed by mrkit's own writer; it lives in a temporary directory (not
# committed). Both ways must return identical rows (checked).
# Run from the repository root: Rscript bench/bench-tabix.R
#   MRKIT_BENCH_TABIX_N     rows of the VCF (default 5,000,000; 10,000,000 took under 3 min on
#                           an idle 2-core machine, ~15 min at a load of 12)
#   MRKIT_BENCH_REPS        runs of the indexed cases (default 5; the full reads run 2)
source("bench/bench-utils.R")
library(mrkit)
n <- as.numeric(Sys.getenv("MRKIT_BENCH_TABIX_N", "5000000"))
reps <- as.integer(Sys.getenv("MRKIT_BENCH_REPS", "5"))
dir <- bench_workdir("tabix")

set.seed(20261207)
# 22 chromosomes with rows in proportion to a 3-Gb genome; positions sorted per chromosome.
chr_len <- c(249, 243, 198, 191, 181, 171, 159, 146, 141, 136, 135, 133, 115, 107, 102, 90, 83, 78, 59, 63, 48, 51) * 1e6
rows <- as.numeric(table(factor(sample.int(22, n, replace = TRUE, prob = chr_len), levels = 1:22)))
head_f <- tempfile(fileext = ".vcf.gz")
write_gwas_vcf(data.frame(SNP = "rs1", beta.outcome = 0.1, se.outcome = 0.1, effect_allele.outcome = "A",
                          other_allele.outcome = "G", chr.outcome = 1, pos.outcome = 1,
                          stringsAsFactors = FALSE), head_f, id = "ieu-a-7")
header <- grep("^#", readLines(head_f), value = TRUE)
header <- c(header[!startsWith(header, "##contig") & !startsWith(header, "#CHROM")],
            sprintf("##contig=<ID=%d,assembly=HG19/GRCh37>", 1:22), header[startsWith(header, "#CHROM")])
plain <- file.path(dir, "ieu-a-7.vcf")
con <- file(plain, "w")
writeLines(header, con)
alleles <- c("A", "C", "G", "T")
inst <- list()
id0 <- 0
t_gen <- system.time(for (ch in 1:22) {
  pos_all <- sort(sample.int(chr_len[ch], rows[ch]))
  for (s in split(seq_len(rows[ch]), ceiling(seq_len(rows[ch]) / 1e6))) {
    m <- length(s)
    ea <- sample(alleles, m, replace = TRUE)
    oa <- alleles[(match(ea, alleles) + sample(0:2, m, replace = TRUE)) %% 4 + 1]
    eaf <- stats::runif(m, 0.01, 0.99)
    se <- 1 / sqrt(2 * eaf * (1 - eaf) * 200000)
    z <- stats::rnorm(m)
    id <- paste0("rs", id0 + seq_len(m))
    id0 <- id0 + m
    writeLines(sprintf("%d\t%d\t%s\t%s\t%s\t.\tPASS\t.\tES:SE:LP:AF:SS:ID\t%.6g:%.6g:%.6g:%.4g:200000:%s",
                       ch, pos_all[s], id, oa, ea, z * se, se, -stats::pnorm(-abs(z), log.p = TRUE) / log(10) - log10(2),
                       eaf, id), con)
    inst[[length(inst) + 1]] <- data.frame(SNP = id, chr.exposure = ch, pos.exposure = pos_all[s])[sample.int(m, 10), ]
  }
})
close(con)
vcf <- file.path(dir, "ieu-a-7.vcf.gz")
t_index <- system.time(res <- mrkit:::cpp_bgzip_tabix(plain, vcf, paste0(vcf, ".tbi"), 2L, 1L, 2L, 0L, 35L, 0L))
plain_mb <- file.size(plain) / 2^20
unlink(plain)
inst <- do.call(rbind, inst)
exp <- inst[sample.int(nrow(inst), 100), ]

read_idx <- function() read_sumstats(vcf, type = "outcome", snps = exp$SNP, positions = exp, verbose = FALSE)
read_full <- function() read_sumstats(vcf, type = "outcome", snps = exp$SNP, verbose = FALSE)
eod_idx <- function() extract_outcome_data(exp$SNP, vcf, proxies = FALSE, positions = exp)
eod_full <- function() extract_outcome_data(exp$SNP, vcf, proxies = FALSE)
strip <- function(x) {
  attr(x, "read_report") <- NULL
  x
}
a <- read_idx()
b <- read_full()
no_prov <- function(x) {
  attr(x, "provenance") <- NULL  # holds the time of retrieval
  x
}
stopifnot(nrow(a) == 100, identical(strip(a), strip(b)), identical(no_prov(eod_idx()), no_prov(eod_full())))
ix <- attr(a, "read_report")$indexed

# Each run timed for elapsed and CPU (user + system) seconds; the full reads run twice
# without warm-up (they take tens of seconds), the indexed ones after one warm-up.
time_runs <- function(f, reps, warmup) {
  for (i in seq_len(warmup)) f()
  t <- vapply(seq_len(reps), function(i) {
    t0 <- proc.time()
    f()
    t1 <- proc.time() - t0
    c(t1[["elapsed"]], t1[["user.self"]] + t1[["sys.self"]])
  }, numeric(2))
  c(median = stats::median(t[1, ]), min = min(t[1, ]), max = max(t[1, ]), cpu = stats::median(t[2, ]))
}
cases <- list(
  list("read_sumstats(snps, positions): indexed look-up of 100 SNPs", read_idx, reps, 1L),
  list("read_sumstats(snps): full streaming read", read_full, 2L, 0L),
  list("extract_outcome_data(proxies = FALSE, positions): indexed", eod_idx, reps, 1L),
  list("extract_outcome_data(proxies = FALSE): full streaming read", eod_full, 2L, 0L)
)
res <- do.call(rbind, lapply(cases, function(cs) {
  t <- time_runs(cs[[2]], cs[[3]], cs[[4]])
  data.frame(case = cs[[1]], median_s = t[["median"]], min_s = t[["min"]], max_s = t[["max"]],
             median_cpu_s = t[["cpu"]], reps = cs[[3]])
}))
write_bench(res, "tabix",
            c(sprintf("A bgzipped GWAS-VCF (layout of write_gwas_vcf()) of %s rows on 22 chromosomes: %.0f MB uncompressed, %.0f MB BGZF (level 6, compressed and indexed by mrkit's BGZF/.tbi writer in %.0f s), .tbi index %.1f MB.",
                      format(n, big.mark = ","), plain_mb, file.size(vcf) / 2^20, t_index[["elapsed"]], file.size(paste0(vcf, ".tbi")) / 2^20),
              sprintf("100 instruments sampled across the genome; the indexed read decompressed %s BGZF blocks (%s merged chunks, %s records scanned, %s kept). Rows identical to the full read (checked).",
                      ix[["blocks"]], ix[["chunks"]], ix[["lines_scanned"]], ix[["lines_kept"]]),
              sprintf("Data generated in %.0f s.", t_gen[["elapsed"]]),
              sprintf("Times are elapsed seconds (median after one warm-up) and median CPU seconds (user + system), on a 2-core machine shared with other jobs (load average %s at the end of the run).",
                      tryCatch(strsplit(readLines("/proc/loadavg"), " ")[[1]][1], error = function(e) "?"))))
