# A known-truth region on the shipped example panel: three signals in one chromosome's
# first 100 variants.

cis_example <- function() {
  bfile <- example_panel()
  bim <- utils::read.table(paste0(bfile, ".bim"), col.names = c("chr", "SNP", "cm", "pos", "A1", "A2"),
                           colClasses = c("character", "character", "numeric", "numeric", "character", "character"))
  region <- bim[bim$chr == bim$chr[1], ][1:100, ]
  z <- withr::with_seed(2, stats::rnorm(100))
  z[c(10, 60, 85)] <- c(9, -8, 7)
  list(bfile = bfile, region = region,
       exp = data.frame(SNP = region$SNP, chr.exposure = region$chr, pos.exposure = region$pos,
                        effect_allele.exposure = region$A1, other_allele.exposure = region$A2,
                        beta.exposure = z * 0.01, se.exposure = 0.01, pval.exposure = 2 * stats::pnorm(-abs(z)),
                        id.exposure = "prot", exposure = "prot", stringsAsFactors = FALSE))
}

test_that("instruments pass the threshold, are pruned at clump_r2, and carry their aligned LD", {
  x <- cis_example()
  r <- x$region
  expect_message(inst <- cis_instruments(x$exp, chr = r$chr[1], start = r$pos[1], end = r$pos[100],
                                         pval_threshold = 1e-5, clump_r2 = 0.3, bfile = x$bfile),
                 class = "mrkit_message_rows_dropped")
  expect_true(all(inst$pval.exposure <= 1e-5))
  expect_true(all(c(r$SNP[10], r$SNP[60], r$SNP[85]) %in% inst$SNP))
  r2 <- mrkit:::ld_r2_haplotype(inst$SNP, x$bfile)
  expect_true(all(r2[upper.tri(r2)] < 0.3))
  ld <- attr(inst, "ld")
  expect_equal(unname(ld), unname(ld_matrix(inst$SNP, x$bfile, alleles = inst)))
  expect_equal(rownames(ld), paste(inst$SNP, inst$effect_allele.exposure, inst$other_allele.exposure, sep = "_"))
  rep <- attr(inst, "cis_report")
  expect_equal(nrow(rep), 100L)
  expect_equal(sum(rep$status == "instrument"), nrow(inst))
  expect_equal(sum(rep$status == "above pval_threshold"), sum(x$exp$pval.exposure > 1e-5))
  st <- attr(inst, "strength")
  z <- inst$beta.exposure / inst$se.exposure
  expect_equal(st$fstat_ld, drop(t(z) %*% solve(unname(ld)) %*% z) / length(z))
  expect_equal(attr(inst, "cis_region")$build, "GRCh37")
})

test_that("a BED file, a flank and the outcome direction select the same window", {
  x <- cis_example()
  r <- x$region
  bed <- withr::local_tempfile(fileext = ".bed")
  writeLines(c("track name=genes", sprintf("chr%s\t%d\t%d\tGENE1", r$chr[1], r$pos[20] - 1, r$pos[70]),
               sprintf("chr%s\t%d\t%d\tGENE2", r$chr[1], r$pos[1] - 1, r$pos[5])), bed)
  a <- suppressMessages(cis_instruments(x$exp, bed = bed, gene = "GENE1", pval_threshold = 1e-5, bfile = x$bfile))
  b <- suppressMessages(cis_instruments(x$exp, chr = paste0("chr", r$chr[1]), start = r$pos[20], end = r$pos[70],
                                        pval_threshold = 1e-5, bfile = x$bfile))
  expect_equal(a$SNP, b$SNP)
  expect_equal(a$SNP, r$SNP[60])
  flank <- suppressMessages(cis_instruments(x$exp, bed = bed, gene = "GENE1", flank_kb = 1e4, pval_threshold = 1e-5, bfile = x$bfile))
  expect_true(all(c(r$SNP[10], r$SNP[85]) %in% flank$SNP))
  out <- x$exp
  names(out) <- sub("exposure$", "outcome", names(out))
  o <- suppressMessages(cis_instruments(out, bed = bed, gene = "GENE1", pval_threshold = 1e-5, bfile = x$bfile))
  expect_equal(o$SNP, a$SNP)
  expect_error(cis_instruments(x$exp, bed = bed, bfile = x$bfile), class = "mrkit_error_parameter")
  expect_error(cis_instruments(x$exp, chr = "22", start = 1, end = 2, bfile = x$bfile), class = "mrkit_error_no_data")
  expect_error(cis_instruments(x$exp, chr = r$chr[1], start = r$pos[1], end = r$pos[100], pval_threshold = 1e-30,
                               bfile = x$bfile), class = "mrkit_error_no_data")
  expect_error(cis_instruments(x$exp, start = 1, end = 2, bfile = x$bfile), class = "mrkit_error_missing_argument")
})

test_that("the instruments feed mr() with their LD matrix", {
  x <- cis_example()
  r <- x$region
  inst <- suppressMessages(cis_instruments(x$exp, chr = r$chr[1], start = r$pos[1], end = r$pos[100],
                                           pval_threshold = 1e-5, clump_r2 = 0.3, bfile = x$bfile))
  out <- data.frame(SNP = inst$SNP, effect_allele.outcome = inst$other_allele.exposure,
                    other_allele.outcome = inst$effect_allele.exposure,
                    beta.outcome = -0.5 * inst$beta.exposure, se.outcome = 0.02, id.outcome = "y",
                    outcome = "y", stringsAsFactors = FALSE)
  dat <- harmonise_data(inst, out)
  res <- mr(dat, ld = attr(inst, "ld"), method_list = "mr_ivw")
  expect_equal(res$b, 0.5, tolerance = 1e-12)
})
