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

test_that("read_*_data read every format read_sumstats() reads; files name their traits", {
  dir <- withr::local_tempdir()
  f <- file.path(dir, "bmi.tsv.gz")
  con <- gzfile(f, "w")
  tab <- function(...) paste(c(...), collapse = "\t")
  writeLines(c(
    tab("chromosome", "base_pair_location", "effect_allele", "other_allele", "beta",
        "standard_error", "effect_allele_frequency", "p_value", "rsid", "n"),
    tab(1, 1000, "A", "G", 0.12, 0.01, 0.3, "2e-30", "rs1", 1000),
    tab(1, 2000, "C", "T", 0.01, 0.01, 0.4, 0.31, "rs2", 1000),
    tab(2, 3000, "G", "A", -0.08, 0.012, 0.2, "4e-9", "rs3", 1000)), con)
  close(con)
  e <- read_exposure_data(f)
  expect_identical(e$SNP, c("rs1", "rs2", "rs3"))
  expect_equal(e$beta.exposure, c(0.12, 0.01, -0.08))
  expect_equal(e$se.exposure, c(0.01, 0.01, 0.012))
  expect_identical(e$exposure, rep("bmi", 3))
  expect_identical(e$id.exposure, rep("bmi", 3))
  o <- read_outcome_data(f, snps = c("rs3", "rs1"))
  expect_identical(sort(o$SNP), c("rs1", "rs3"))
  expect_identical(unique(o$outcome), "bmi")
  # The same as read_sumstats().
  s <- read_sumstats(f, verbose = FALSE)
  expect_equal(as.data.frame(e), as.data.frame(s), ignore_attr = TRUE)
  # TwoSampleMR layout without phenotype column: the file name, not "exposure" + random id.
  g <- file.path(dir, "ldl_cholesterol.txt")
  utils::write.table(raw_file_tab()[c("SNP", "beta", "se", "effect_allele", "other_allele", "eaf", "pval")],
                     g, row.names = FALSE, quote = FALSE)
  x <- read_exposure_data(g)
  expect_identical(unique(x$exposure), "ldl_cholesterol")
  expect_identical(unique(x$id.exposure), "ldl_cholesterol")
})
