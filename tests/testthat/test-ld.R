test_that("signed r equals R's pairwise-complete correlation on the EUR panel to 1e-10", {
  skip_if_no_shared()
  v <- ld_ref("ld_bmi92_variants.csv")
  ref <- as.matrix(ld_ref("ld_bmi92_r_signed_fullprec_R.csv"))
  m <- ld_matrix(v$SNP, eur_prefix(), with_alleles = FALSE)
  expect_equal(rownames(m), v$SNP)
  expect_lt(max(abs(m - ref)), 1e-10)
  # plink's printed files (6 significant digits): signed r and dosage r^2.
  expect_lt(max(abs(m - as.matrix(ld_ref("ld_bmi92_r_signed_plink.csv")))), 1e-6)
  expect_lt(max(abs(m^2 - as.matrix(ld_ref("ld_bmi92_r2_plink.csv")))), 1e-6)
})

test_that("haplotype r^2 equals the recorded EM r^2 (plink --clump measure) to 1e-8", {
  skip_if_no_shared()
  v <- ld_ref("ld_bmi92_variants.csv")
  ref <- as.matrix(ld_ref("ld_bmi92_r2_haplotype_em_R.csv"))
  m <- ld_r2_haplotype(v$SNP, eur_prefix())
  diag(m) <- 1
  expect_identical(is.na(m), is.na(unname(ref)) | is.na(m) & is.na(ref))
  expect_lt(max(abs(m - ref), na.rm = TRUE), 1e-8)
  # The pair the README singles out: dosage r^2 0.093, EM r^2 0.101.
  r2 <- ld_r2_haplotype(c("rs11579015", "rs10907182"), eur_prefix())[1, 2]
  r <- ld_matrix(c("rs11579015", "rs10907182"), eur_prefix())[1, 2]
  expect_equal(round(r2, 3), 0.101)
  expect_equal(round(r^2, 3), 0.093)
})

test_that("ld_matrix equals cor() of dosages decoded in plain R, with missing genotypes", {
  dir <- withr::local_tempdir()
  sim <- simulate_ld_panel(123, 40, block_size = 10, missing_rate = 0.05,
                           prefix = file.path(dir, "p"), seed = 3)
  g <- read_bed_dosages_r(sim$bfile)
  expect_true(anyNA(g))
  ref <- suppressWarnings(stats::cor(g, use = "pairwise.complete.obs"))
  m <- ld_matrix(sim$variants$SNP, sim$bfile, with_alleles = FALSE)
  expect_lt(max(abs(m - ref), na.rm = TRUE), 1e-12)
  expect_identical(ld_matrix(sim$variants$SNP, sim$bfile, threads = 2), ld_matrix(sim$variants$SNP, sim$bfile))
})

test_that("names are rsid_A1_A2 and signs follow the data's effect alleles", {
  bfile <- example_panel()
  bim <- utils::read.table(paste0(bfile, ".bim"), stringsAsFactors = FALSE)[1:6, ]
  m <- ld_matrix(bim$V2, bfile)
  expect_equal(rownames(m), paste(bim$V2, bim$V5, bim$V6, sep = "_"))
  expect_equal(colnames(m), rownames(m))
  swap <- c(TRUE, FALSE, TRUE, FALSE, FALSE, FALSE)
  al <- data.frame(SNP = bim$V2, effect_allele.exposure = ifelse(swap, bim$V6, bim$V5),
                   other_allele.exposure = ifelse(swap, bim$V5, bim$V6))
  a <- ld_matrix(bim$V2, bfile, alleles = al)
  s <- ifelse(swap, -1, 1)
  expect_equal(as.vector(a), as.vector(m * outer(s, s)), tolerance = 1e-15)
  expect_equal(rownames(a), paste(bim$V2, al$effect_allele.exposure, al$other_allele.exposure, sep = "_"))
  expect_true(all(a[1, c(2, 4:6)] * m[1, c(2, 4:6)] < 0))
  # An unalignable variant is dropped and reported.
  al$effect_allele.exposure[4] <- "Z"
  expect_warning(b <- ld_matrix(bim$V2, bfile, alleles = al), class = "mrkit_warning_ld_dropped")
  expect_equal(nrow(b), 5L)
  rep <- attr(b, "ld_report")
  expect_equal(rep$status[4], "alleles do not match the panel")
  # Lower-case and opposite-strand alleles of a non-palindromic variant still align.
  al2 <- data.frame(SNP = bim$V2[1:2], effect_allele = tolower(bim$V5[1:2]), other_allele = tolower(bim$V6[1:2]))
  expect_equal(as.vector(ld_matrix(bim$V2[1:2], bfile, alleles = al2)), as.vector(m[1:2, 1:2]))
})

test_that("variants absent from the panel are dropped with a reason", {
  bfile <- example_panel()
  snps <- c(utils::read.table(paste0(bfile, ".bim"))$V2[1:3], "rs_not_there")
  expect_warning(m <- ld_matrix(snps, bfile), class = "mrkit_warning_ld_dropped")
  expect_equal(dim(m), c(3L, 3L))
  expect_equal(attr(m, "ld_report")$status, c(rep("in matrix", 3), "absent from the panel"))
})

test_that("bad panels give classed errors", {
  expect_error(ld_matrix("rs1", NULL), class = "mrkit_error_bfile_missing")
  expect_snapshot(ld_matrix("rs1", NULL), error = TRUE)
  dir <- withr::local_tempdir()
  p <- copy_example_panel(dir)
  snps <- utils::read.table(paste0(p, ".bim"))$V2[1:2]
  expect_equal(dim(ld_matrix(snps, paste0(p, ".bed"))), c(2L, 2L))
  # Wrong magic bytes.
  bed <- readBin(paste0(p, ".bed"), "raw", n = 1e6)
  bad <- bed; bad[1:2] <- as.raw(c(0x00, 0x00))
  writeBin(bad, paste0(p, ".bed"))
  expect_error(ld_matrix(snps, p), class = "mrkit_error_panel_format")
  # Individual-major mode.
  bad <- bed; bad[3] <- as.raw(0x00)
  writeBin(bad, paste0(p, ".bed"))
  expect_error(ld_matrix(snps, p), class = "mrkit_error_panel_format")
  # Truncated .bed: the size does not match .bim x .fam.
  writeBin(bed[1:1000], paste0(p, ".bed"))
  expect_error(ld_matrix(snps, p), class = "mrkit_error_panel_format")
  # Missing .bim.
  writeBin(bed, paste0(p, ".bed"))
  file.remove(paste0(p, ".bim"))
  expect_error(ld_matrix(snps, p), class = "mrkit_error_panel_file")
  expect_error(ld_matrix(snps, 42), class = "mrkit_error_input_type")
})

test_that("example_panel() points at the shipped files", {
  p <- example_panel()
  expect_true(all(file.exists(paste0(p, c(".bed", ".bim", ".fam")))))
  expect_equal(file.size(paste0(p, ".bed")), 3 + 125 * 2000)
})

test_that("the example panel covers the example data, so the help examples clump something", {
  bim <- utils::read.table(paste0(example_panel(), ".bim"), stringsAsFactors = FALSE)
  expect_true(all(example_exposure$SNP %in% bim$V2))
  expect_true(all(example_outcome$SNP %in% bim$V2))
  # alleles agree with the panel's (as A1/A2 or A2/A1)
  k <- match(example_exposure$SNP, bim$V2)
  same <- (example_exposure$effect_allele.exposure == bim$V5[k] & example_exposure$other_allele.exposure == bim$V6[k]) |
    (example_exposure$effect_allele.exposure == bim$V6[k] & example_exposure$other_allele.exposure == bim$V5[k])
  expect_true(all(same))
  kept <- clump_data(example_exposure, bfile = example_panel())
  expect_gt(nrow(kept), 1L)
  expect_lt(nrow(kept), nrow(example_exposure))
  expect_identical(sort(unique(attr(kept, "clump_report")$status)), c("clumped", "index"))
})

test_that("palindromic variants are put on the panel's strand by allele frequency", {
  bfile <- example_panel()
  bim <- utils::read.table(paste0(bfile, ".bim"), stringsAsFactors = FALSE)
  # rs100000001 C/G (panel C frequency 0.681), rs100000006 G/C (G 0.327), rs100000002 not palindromic
  snps <- c("rs100000001", "rs100000006", "rs100000002")
  panel <- ld_matrix(snps, bfile, with_alleles = FALSE)
  a <- bim[match(snps, bim$V2), ]
  # reported on the other strand: rs100000001's effect allele C is written G (with C's
  # frequency), so its alleles look swapped; rs100000006 on the panel's strand, its
  # effect allele G with frequency 0.33
  tab <- data.frame(SNP = snps, effect_allele = c("G", "G", a$V5[3]), other_allele = c("C", "C", a$V6[3]),
                    eaf = c(0.68, 0.33, 0.5))
  m <- ld_matrix(snps, bfile, alleles = tab, with_alleles = FALSE)
  expect_equal(as.vector(m), as.vector(panel), tolerance = 1e-12)
  rep <- attr(m, "ld_report")
  expect_equal(rep$strand, c("palindromic: other strand (by allele frequency)",
                             "palindromic: same strand (by allele frequency)", NA))
  # without frequencies the alleles are taken at face value (and say so)
  m2 <- ld_matrix(snps, bfile, alleles = tab[, 1:3], with_alleles = FALSE)
  expect_equal(m2[1, 3], -panel[1, 3])
  expect_equal(attr(m2, "ld_report")$strand[1], "palindromic: not checked (no eaf)")
  # an effect allele frequency near 0.5 leaves the strand unknown: dropped
  tab$eaf[1] <- 0.55
  expect_warning(m3 <- ld_matrix(snps, bfile, alleles = tab), class = "mrkit_warning_ld_dropped")
  expect_equal(nrow(m3), 2L)
  expect_match(attr(m3, "ld_report")$status[1], "strand unknown")
})

test_that("panel_match() finds ids like match() on the .bim, first row of a duplicated id", {
  info <- panel_info(example_panel())
  ids <- c(info$SNP[c(2000, 1, 777)], "absent", NA, info$SNP[777])
  expect_identical(panel_match(example_panel(), ids), match(ids, info$SNP))
  expect_identical(panel_match(example_panel(), character()), integer())
  # A panel whose .bim names one id twice: the first row, as match() on the .bim.
  dir <- withr::local_tempdir()
  prefix <- copy_example_panel(dir)
  bim <- utils::read.table(paste0(prefix, ".bim"), stringsAsFactors = FALSE)
  bim$V2[10] <- bim$V2[5]
  utils::write.table(bim, paste0(prefix, ".bim"), sep = "\t", quote = FALSE, row.names = FALSE, col.names = FALSE)
  expect_identical(panel_match(prefix, bim$V2[c(5, 10, 11)]), c(5L, 5L, 11L))
})
