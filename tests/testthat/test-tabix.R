# Indexed look-up in bgzipped, tabix/CSI-indexed files (R/tabix.R, bgzf_tabix.hpp).
# Truth: the rows of a full streaming read of the same file, and the lines of the
# uncompressed text selected by position in R; htslib's bgzip/tabix when installed.

# Two reads of the same file compare equal except for their read reports and the time of
# reading in the provenance (whole seconds: two reads can straddle a second, and under
# valgrind they are seconds apart).
strip_report <- function(x) {
  attr(x, "read_report") <- NULL
  prov <- attr(x, "provenance")
  if (!is.null(prov)) {
    prov$retrieved <- NULL
    attr(x, "provenance") <- prov
  }
  rownames(x) <- NULL
  x
}

test_that("an indexed GWAS-VCF read returns the rows of the full read, reading few blocks", {
  d <- tabix_outcome()
  f <- tabix_vcf_fixture(d)
  set.seed(3)
  pick <- d[sample.int(nrow(d), 100), ]
  full <- read_sumstats(f, format = "gwas_vcf", type = "outcome", snps = pick$SNP, verbose = FALSE)
  fast <- read_sumstats(f, format = "gwas_vcf", type = "outcome", snps = pick$SNP, verbose = FALSE,
                        positions = pick)
  expect_null(attr(full, "read_report")$indexed)
  ix <- attr(fast, "read_report")$indexed
  expect_equal(unname(ix[["lines_kept"]]), "100")
  expect_lt(as.numeric(ix[["lines_scanned"]]), nrow(d) / 5)
  expect_equal(nrow(fast), 100)
  expect_identical(strip_report(fast), strip_report(full))
  expect_setequal(fast$SNP, pick$SNP)
  expect_equal(fast$beta.outcome[match(pick$SNP, fast$SNP)], pick$beta.outcome)
})

test_that("the extracted lines are exactly the records at the positions, header first", {
  d <- tabix_outcome(8000)
  dir <- tempfile("tbx")
  f <- tabix_vcf_fixture(d, dir)
  plain <- file.path(dir, "plain.vcf")
  # the uncompressed text, decompressed by zlib's gzip reader (BGZF is valid gzip)
  txt <- readLines(f)
  is_head <- startsWith(txt, "#")
  body <- txt[!is_head]
  f2 <- strsplit(body, "\t", fixed = TRUE)
  chr <- vapply(f2, `[`, "", 1)
  pos <- as.numeric(vapply(f2, `[`, "", 2))
  q <- c(5, 100, 2999, 4000, 7999)
  out <- tempfile()
  # positions given as "chr" prefixed names and one position on an absent sequence
  res <- mrkit:::cpp_tabix_extract(f, paste0(f, ".tbi"), c(paste0("chr", chr[q]), "22"),
                                   c(pos[q], 100), sum(is_head), out)
  expect_equal(readLines(out), c(txt[is_head], body[q]))
  expect_equal(res$positions_unknown_seq, 1)
})

test_that("a bgzipped TSV with .tbi is read by read_outcome_data() as in a full read", {
  d <- tabix_outcome(12000)
  tsv <- d[, c("SNP", "chr.outcome", "pos.outcome", "effect_allele.outcome", "other_allele.outcome",
               "beta.outcome", "se.outcome", "pval.outcome", "eaf.outcome")]
  names(tsv) <- c("SNP", "chr", "pos", "effect_allele", "other_allele", "beta", "se", "pval", "eaf")
  lines <- c(paste(names(tsv), collapse = "\t"), do.call(paste, c(tsv, sep = "\t")))
  f <- tempfile(fileext = ".tsv.gz")
  mrkit:::write_bgzip_tabix(lines, f, "tsv", seq_col = 2, pos_col = 3, skip = 1)
  pick <- d[c(1, 50, 6001, 11999), c("SNP", "chr.outcome", "pos.outcome")]
  full <- read_outcome_data(f, snps = pick$SNP)
  fast <- read_outcome_data(f, snps = pick$SNP, positions = pick)
  expect_equal(nrow(full), 4)
  expect_identical(strip_report(fast), strip_report(full))
})

test_that("without an index or without a position for every SNP the whole file is read", {
  d <- tabix_outcome(3000)
  f <- tabix_vcf_fixture(d)
  pick <- d[c(10, 20, 30), ]
  part <- pick[-1, ]
  r <- read_sumstats(f, snps = pick$SNP, positions = part, verbose = FALSE)
  expect_null(attr(r, "read_report")$indexed)
  expect_setequal(r$SNP, pick$SNP)
  unlink(paste0(f, ".tbi"))
  r2 <- read_sumstats(f, snps = pick$SNP, positions = pick, verbose = FALSE)
  expect_null(attr(r2, "read_report")$indexed)
  expect_identical(strip_report(r2), strip_report(r))
  expect_error(read_sumstats(f, snps = "rs1", positions = "1:100"), class = "mrkit_error_parameter")
})

test_that("corrupt and mismatched indexes are classed errors naming the files", {
  d <- tabix_outcome(6000)
  f <- tabix_vcf_fixture(d)
  pick <- d[c(1, 5000), ]
  idx <- paste0(f, ".tbi")
  good <- readBin(idx, "raw", file.size(idx))
  # truncated index (cut inside a BGZF block)
  writeBin(good[seq_len(length(good) %/% 2)], idx)
  expect_error(read_sumstats(f, snps = pick$SNP, positions = pick, verbose = FALSE),
               class = "mrkit_error_index_malformed", regexp = basename(f))
  # not BGZF at all
  writeBin(charToRaw("TBI\1 this is not an index"), idx)
  expect_error(read_sumstats(f, snps = pick$SNP, positions = pick, verbose = FALSE),
               class = "mrkit_error_index_malformed")
  # a valid index whose content is garbage: a BGZF file with bad magic bytes
  bogus <- tempfile()
  mrkit:::write_bgzip_tabix("ABCD", bogus, index = FALSE)
  file.copy(bogus, idx, overwrite = TRUE)
  expect_error(read_sumstats(f, snps = pick$SNP, positions = pick, verbose = FALSE),
               class = "mrkit_error_index_malformed", regexp = "magic")
  # the index of another (larger) file: offsets point elsewhere or past the end
  big <- tabix_vcf_fixture(tabix_outcome(40000, seed = 5))
  file.copy(paste0(big, ".tbi"), idx, overwrite = TRUE)
  expect_error(read_sumstats(f, snps = pick$SNP, positions = pick, verbose = FALSE),
               class = "mrkit_error_read", regexp = "index")
  # a data file that is gzip but not BGZF
  plain <- tempfile(fileext = ".vcf.gz")
  write_gwas_vcf(d, plain, id = "tbx")
  file.copy(paste0(f, ".tbi"), paste0(plain, ".tbi"))
  expect_error(read_sumstats(plain, snps = pick$SNP, positions = pick, verbose = FALSE),
               class = "mrkit_error_read")
})

test_that("extract_outcome_data() with positions gives the rows of the full read", {
  d <- tabix_outcome(5000)
  f <- tabix_vcf_fixture(d)
  exp <- d[seq(1, 5000, by = 97), ]
  names(exp) <- sub("\\.outcome$", ".exposure", names(exp))
  a <- extract_outcome_data(exp$SNP, f, proxies = FALSE)
  b <- extract_outcome_data(exp$SNP, f, proxies = FALSE, positions = exp)
  expect_equal(nrow(a), nrow(exp))
  expect_identical(strip_report(b), strip_report(a))
})

test_that("htslib's bgzip/tabix indexes (.tbi, .csi) are read, and htslib reads mrkit's", {
  skip_if(!nzchar(Sys.which("tabix")) || !nzchar(Sys.which("bgzip")), "htslib tabix not installed")
  d <- tabix_outcome(20000)
  f <- tabix_vcf_fixture(d)
  txt <- readLines(f)
  plain <- tempfile(fileext = ".vcf")
  writeLines(txt, plain)
  h <- paste0(plain, ".gz")
  system2("bgzip", c("-c", shQuote(plain)), stdout = h)
  pick <- d[c(3, 9999, 15000, 19990), ]
  expect_equal(system2("tabix", c("-p", "vcf", shQuote(h))), 0)
  full <- read_sumstats(h, snps = pick$SNP, verbose = FALSE)
  fast <- read_sumstats(h, snps = pick$SNP, positions = pick, verbose = FALSE)
  expect_false(is.null(attr(fast, "read_report")$indexed))
  expect_identical(strip_report(fast), strip_report(full))
  unlink(paste0(h, ".tbi"))
  expect_equal(system2("tabix", c("--csi", "-p", "vcf", shQuote(h))), 0)
  fast_csi <- read_sumstats(h, snps = pick$SNP, positions = pick, verbose = FALSE)
  expect_match(attr(fast_csi, "read_report")$indexed[["index"]], "csi$")
  expect_identical(strip_report(fast_csi), strip_report(full))
  # htslib queries mrkit's own index
  regions <- paste0(pick$chr.outcome, ":", pick$pos.outcome, "-", pick$pos.outcome)
  got <- system2("tabix", c(shQuote(f), regions), stdout = TRUE)
  body <- txt[!startsWith(txt, "#")]
  expect_equal(got, body[c(3, 9999, 15000, 19990)])
})

test_that("the error for a corrupt index names the index and the data file", {
  d <- tabix_outcome(2000)
  dir <- tempfile("tbx")
  f <- tabix_vcf_fixture(d, dir)
  writeBin(as.raw(c(0x1f, 0x8b, 8, 4, 0, 0)), paste0(f, ".tbi"))
  pick <- d[1, ]
  expect_snapshot(error = TRUE, read_sumstats(f, snps = pick$SNP, positions = pick, verbose = FALSE),
                  transform = function(x) gsub(dir, "<dir>", x, fixed = TRUE))
})
