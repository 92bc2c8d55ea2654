raw_file_tab <- function() {
  data.frame(SNP = c("rs1", "rs2", "rs3"), beta = c(0.1, -0.2, 0.05),
             se = c(0.01, 0.02, 0.01), effect_allele = c("A", "G", "T"),
             other_allele = c("G", "T", "C"), eaf = c(0.2, 0.6, 0.3),
             pval = c(1e-8, 2e-9, 3e-7), samplesize = c(1000, 1000, 990),
             Phenotype = "Trait one", id = "t1", stringsAsFactors = FALSE)
}

test_that("read_exposure_data round-trips a write.table file through format_data", {
  raw <- raw_file_tab()
  f <- withr::local_tempfile(fileext = ".txt")
  utils::write.table(raw, f, row.names = FALSE, quote = TRUE, sep = " ")
  r <- read_exposure_data(f)
  ref <- format_data(raw)
  ref$data_source.exposure <- "textfile"
  # Whole numbers come back from the file as integers; every value is the same.
  expect_equal(r, ref, tolerance = 0)
  expect_identical(names(r), names(ref))
  expect_identical(r$data_source.exposure, rep("textfile", 3))
  expect_identical(r$exposure, rep("Trait one", 3))
})

test_that("tab/comma separated, gzip, logical T alleles and outcome snps", {
  raw <- raw_file_tab()
  raw$effect_allele <- "T"
  raw$other_allele <- c("G", "A", "C")
  f <- withr::local_tempfile(fileext = ".tsv.gz")
  con <- gzfile(f, "w")
  utils::write.table(raw, con, row.names = FALSE, quote = FALSE, sep = "\t")
  close(con)
  r <- read_outcome_data(f, sep = "\t", snps = c("rs1", "rs3"))
  expect_identical(r$SNP, c("rs1", "rs3"))
  expect_identical(r$effect_allele.outcome, c("T", "T"))
  expect_identical(r$data_source.outcome, rep("textfile", 2))
  expect_identical(r$beta.outcome, c(0.1, 0.05))
  f2 <- withr::local_tempfile(fileext = ".csv")
  utils::write.csv(raw_file_tab(), f2, row.names = FALSE)
  r2 <- read_exposure_data(f2, sep = ",")
  expect_identical(r2$beta.exposure, raw_file_tab()$beta)
})

test_that("the shared BMI exposure file reads and harmonises like the CSV", {
  skip_if_no_shared()
  r <- suppressWarnings(read_exposure_data(
    shared_file("data", "bmi_chd", "exposure.csv"), sep = ",", phenotype_col = "exposure",
    beta_col = "beta.exposure", se_col = "se.exposure", eaf_col = "eaf.exposure",
    effect_allele_col = "effect_allele.exposure", other_allele_col = "other_allele.exposure",
    pval_col = "pval.exposure", samplesize_col = "samplesize.exposure", id_col = "id.exposure"))
  expect_equal(nrow(r), 79L)
  o <- read_shared("data", "bmi_chd", "outcome.csv")
  h <- harmonise_data(r, o)
  gold <- read_shared("data", "bmi_chd", "harmonised.csv")
  expect_identical(h$SNP, gold$SNP)
  expect_identical(h$beta.outcome, gold$beta.outcome)
  expect_identical(h$mr_keep, gold$mr_keep)
})

test_that("missing files, bad separators and clumping give classed errors", {
  expect_error(read_exposure_data("/nonexistent/gwas.txt"), class = "mrkit_error_file_not_found")
  expect_error(read_outcome_data("/nonexistent/gwas.txt"), class = "mrkit_error_file_not_found")
  f <- withr::local_tempfile(fileext = ".txt")
  utils::write.table(raw_file_tab(), f, row.names = FALSE)
  expect_error(read_exposure_data(f, clump = TRUE), class = "mrkit_error_unsupported")
  expect_error(read_exposure_data(f, sep = "::"), class = "mrkit_error_parameter")
  expect_snapshot(error = TRUE, read_exposure_data("/nonexistent/gwas.txt"))
  expect_snapshot(error = TRUE, read_exposure_data(f, clump = TRUE))
  expect_snapshot(error = TRUE, read_outcome_data(f, sep = "::"))
  expect_snapshot(error = TRUE, read_outcome_data(c("a", "b")))
  # format_data()'s errors name the read_*() call.
  expect_error(read_outcome_data(f, snps = "rs99"), class = "mrkit_error_no_snps")
  expect_snapshot(error = TRUE, read_outcome_data(f, snps = "rs99"))
})
