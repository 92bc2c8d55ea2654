# A simulated outcome on 3 chromosomes, sorted by position: n rows, for GWAS-VCF and TSV
# fixtures that span many BGZF blocks.
tabix_outcome <- function(n = 30000, seed = 11) {
  set.seed(seed)
  k <- c(n %/% 2, n %/% 3, n - n %/% 2 - n %/% 3)
  chr <- rep(c(1L, 2L, 10L), k)
  pos <- unlist(lapply(k, function(m) sort(sample.int(2.4e8, m))))
  ea <- sample(c("A", "C"), n, TRUE)
  data.frame(SNP = paste0("rs", 1e6 + seq_len(n)), beta.outcome = round(rnorm(n, 0, 0.02), 5),
             se.outcome = round(runif(n, 0.005, 0.02), 5), effect_allele.outcome = ea,
             other_allele.outcome = ifelse(ea == "A", "G", "T"), eaf.outcome = round(runif(n, 0.05, 0.95), 3),
             pval.outcome = signif(runif(n), 4), samplesize.outcome = 50000, chr.outcome = chr,
             pos.outcome = pos, stringsAsFactors = FALSE)
}

# The outcome as a bgzipped GWAS-VCF with a tabix index written by mrkit's own writer.
tabix_vcf_fixture <- function(d, dir = tempfile("tbx")) {
  dir.create(dir, showWarnings = FALSE)
  gz <- file.path(dir, "plain.vcf.gz")
  write_gwas_vcf(d, gz, id = "tbx")
  out <- file.path(dir, "out.vcf.gz")
  mrkit:::write_bgzip_tabix(readLines(gz), out, "vcf")
  unlink(gz)
  out
}
