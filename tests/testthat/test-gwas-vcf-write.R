# write_gwas_vcf(): a table written as GWAS-VCF reads back with read_sumstats()'s reader.

test_that("an exposure table round-trips through a GWAS-VCF file", {
  f <- file.path(withr::local_tempdir(), "ieu-x-1", "ieu-x-1.vcf.gz")
  write_gwas_vcf(example_exposure, f, id = "ieu-x-1")
  x <- read_sumstats(f, verbose = FALSE)
  expect_identical(attr(x, "read_report")$format, "gwas_vcf")
  k <- match(example_exposure$SNP, x$SNP)
  expect_false(anyNA(k))
  expect_equal(x$beta.exposure[k], example_exposure$beta.exposure, tolerance = 1e-7)
  expect_equal(x$se.exposure[k], example_exposure$se.exposure, tolerance = 1e-7)
  expect_equal(x$pval.exposure[k], example_exposure$pval.exposure, tolerance = 1e-6)
  expect_identical(x$effect_allele.exposure[k], toupper(example_exposure$effect_allele.exposure))
  expect_identical(unique(x$id.exposure), "ieu-x-1")
  con <- gzfile(f)
  lines <- readLines(con)
  close(con)
  expect_true(any(grepl("^##contig=<ID=[0-9]+,assembly=HG19/GRCh37>$", lines)))
  expect_identical(vcf_build(f), "HG19/GRCh37")
})

test_that("a p-value of 0 or 1 is written as a finite -log10 p", {
  x <- data.frame(SNP = c("rs1", "rs2", "rs3"), beta.outcome = c(2, 1e-12, 0.1), se.outcome = 0.01,
                  effect_allele.outcome = "A", other_allele.outcome = "G", pval.outcome = c(0, 1, NA))
  f <- withr::local_tempfile(fileext = ".vcf")
  write_gwas_vcf(x, f, id = "t")
  body <- utils::tail(readLines(f), 3)
  lp <- as.numeric(vapply(strsplit(body, "\t"), function(r) strsplit(r[10], ":")[[1]][3], ""))
  # z = 200: -log10 p = -(log 2 + log Phi(-200)) / log 10
  expect_equal(lp[1], -(log(2) + pnorm(-200, log.p = TRUE)) / log(10), tolerance = 1e-7)
  expect_identical(lp[2], 0)
  expect_equal(lp[3], -log10(2 * pnorm(-10)), tolerance = 1e-7)
  expect_error(write_gwas_vcf(x, f, id = NA), class = "mrkit_error_parameter")
})
