# read_sumstats(): one small file per preset, written in that format's published layout,
# the real IEU GWAS-VCF slice, conversions checked by hand, filtering, malformed input.

# Write `lines` to a new temporary file, gzip-compressed when gz = TRUE.
write_gwas <- function(lines, gz = FALSE, ext = ".txt", env = parent.frame()) {
  f <- withr::local_tempfile(fileext = paste0(ext, if (gz) ".gz"), .local_envir = env)
  if (gz) {
    con <- gzcon(file(f, "wb"))
    writeLines(lines, con)
    close(con)
  } else {
    writeLines(lines, f)
  }
  f
}

tsv <- function(...) paste(c(...), collapse = "\t")

rs <- function(...) suppressMessages(suppressWarnings(read_sumstats(..., verbose = FALSE)))

# The files of every preset (header + rows), shared by the format tests and by the
# auto-detection and gzip tests below.
preset_lines <- list(
  gwas_ssf = c(
    tsv("chromosome", "base_pair_location", "effect_allele", "other_allele", "beta",
        "standard_error", "effect_allele_frequency", "p_value", "variant_id", "rsid", "n"),
    tsv(1, 1000, "A", "G", 0.12, 0.01, 0.3, "2.1e-30", "1_1000_G_A", "rs1", 50000),
    tsv(1, 2000, "C", "T", -0.02, 0.01, 0.45, 0.041, "1_2000_T_C", "rs2", 50000),
    tsv(2, 3000, "G", "A", 0.05, 0.008, 0.1, "4e-10", "2_3000_A_G", "NA", 49000),
    tsv(2, 4000, "T", "C", 0.01, 0.011, 0.2, 0.36, "2_4000_C_T", ".", 49000)),
  finngen = c(
    tsv("#chrom", "pos", "ref", "alt", "rsids", "nearest_genes", "pval", "mlogp", "beta",
        "sebeta", "af_alt", "af_alt_cases", "af_alt_controls"),
    tsv(1, 13668, "G", "A", "rs2691328", "OR4F5", 0.21, 0.678, 0.0467, 0.0373, 0.0058, 0.006, 0.0057),
    tsv(1, 14773, "C", "T", "rs878915777,rs1", "OR4F5", "3.2e-12", 11.49, -0.0284, 0.004, 0.012, 0.011, 0.013),
    tsv(2, 15585, "G", "A", "", "OR4F5", 0.5, 0.301, 0.0177, 0.0264, 0.0013, 0.001, 0.0014)),
  plink2 = c(
    tsv("#CHROM", "POS", "ID", "REF", "ALT", "A1", "A1_FREQ", "TEST", "OBS_CT", "BETA", "SE",
        "T_STAT", "P"),
    tsv(1, 10177, "rs367896724", "A", "AC", "AC", 0.42, "ADD", 2504, 0.081, 0.012, 6.75, "1.6e-11"),
    tsv(1, 10177, "rs367896724", "A", "AC", "AC", 0.42, "AGE", 2504, 0.001, 0.0004, 2.5, 0.012),
    tsv(1, 10352, "rs555500075", "T", "TA", "T", 0.56, "ADD", 2504, -0.02, 0.011, -1.82, 0.069),
    tsv(1, 10352, "rs555500075", "T", "TA", "T", 0.56, "AGE", 2504, 0.002, 0.0004, 5, 6e-7)),
  regenie = c(
    "CHROM GENPOS ID ALLELE0 ALLELE1 A1FREQ INFO N TEST BETA SE CHISQ LOG10P EXTRA",
    "1 13668 1:13668:G:A G A 0.0068 1 11000 ADD 0.0468 0.0373 1.57 0.678 NA",
    "1 14773 rs878915777 C T 0.0122 0.98 11000 ADD -0.0284 0.004 50.4 11.49 NA",
    "3 1553 rs55 A G 0.31 0.99 10990 ADD 0.011 0.0099 1.23 0.57 NA"),
  saige = c(
    paste("CHR POS MarkerID Allele1 Allele2 AC_Allele2 AF_Allele2 MissingRate BETA SE Tstat",
          "var p.value p.value.NA Is.SPA N_case N_ctrl"),
    "1 13668 rs2691328 G A 120 0.006 0 0.0467 0.0373 33.6 718.8 0.21 0.21 FALSE 2000 8000",
    "1 14773 1:14773:C:T C T 244 0.0122 0 -0.0284 0.004 -1775 62500 3.2e-12 3.2e-12 TRUE 2000 8000"),
  bolt = c(
    paste("SNP CHR BP GENPOS ALLELE1 ALLELE0 A1FREQ F_MISS BETA SE P_BOLT_LMM_INF P_BOLT_LMM"),
    "rs58108140 1 10583 0.000000 A G 0.109 0.01 0.0012 0.0024 7.2e-01 7.1e-01",
    "rs180734498 1 13302 0.000000 T C 0.13 0.0 -0.028 0.0034 2.4e-16 1.9e-16",
    "rs140337953 1 30923 0.000000 G T 0.72 0.0 0.0021 0.0022 3.1e-01 3.3e-01"),
  metal = c(
    tsv("MarkerName", "Allele1", "Allele2", "Freq1", "FreqSE", "MinFreq", "MaxFreq", "Effect",
        "StdErr", "P-value", "Direction"),
    tsv("rs10", "a", "c", 0.0347, 0.0021, 0.031, 0.037, 0.0071, 0.0172, 0.68, "+-+"),
    tsv("rs1000000", "a", "g", 0.7702, 0.0094, 0.76, 0.78, -0.0191, 0.0043, "9.1e-06", "---"),
    tsv("rs10000010", "t", "c", 0.5737, 0.0056, 0.56, 0.58, 0.0129, 0.0036, "3.1e-04", "+++")),
  twosamplemr = c(
    "SNP beta se effect_allele other_allele eaf pval samplesize Phenotype",
    "rs1 0.1 0.01 A G 0.2 1e-8 1000 BMI",
    "rs2 -0.2 0.02 G T 0.6 2e-9 1000 BMI",
    "rs3 0.05 0.01 T C 0.3 3e-7 990 BMI")
)

test_that("GWAS-SSF: columns, chr:pos for missing rsid, p-value threshold", {
  f <- write_gwas(preset_lines$gwas_ssf, ext = ".tsv")
  x <- rs(f, format = "gwas_ssf", phenotype = "T", id = "t")
  expect_identical(x$SNP, c("rs1", "rs2", "2:3000", "2:4000"))
  expect_identical(x$effect_allele.exposure, c("A", "C", "G", "T"))
  expect_identical(x$other_allele.exposure, c("G", "T", "A", "C"))
  expect_identical(x$beta.exposure, c(0.12, -0.02, 0.05, 0.01))
  expect_identical(x$se.exposure, c(0.01, 0.01, 0.008, 0.011))
  expect_identical(x$pval.exposure, c(2.1e-30, 0.041, 4e-10, 0.36))
  expect_identical(x$samplesize.exposure, c(50000, 50000, 49000, 49000))
  expect_identical(x$chr.exposure, c("1", "1", "2", "2"))
  expect_identical(x$pos.exposure, c(1000, 2000, 3000, 4000))
  expect_identical(x$data_source.exposure, rep("textfile", 4))
  rep <- attr(x, "read_report")
  expect_identical(rep$format, "gwas_ssf")
  expect_identical(rep$mapping$column[rep$mapping$role == "snp"], "rsid")
  expect_identical(rep$separator, "tab")
  y <- rs(f, pval_threshold = 5e-8)
  expect_identical(y$SNP, c("rs1", "2:3000"))
  expect_equal(attr(y, "read_report")$counts[c("lines", "kept", "filtered_pval")],
               c(lines = 4, kept = 2, filtered_pval = 2))
  expect_message(read_sumstats(f, phenotype = "T", id = "t"), "rsid")
})

test_that("GWAS-SSF odds ratios with CI: beta = log(OR), se from the CI", {
  f <- write_gwas(c(
    tsv("chromosome", "base_pair_location", "effect_allele", "other_allele", "odds_ratio",
        "ci_lower", "ci_upper", "effect_allele_frequency", "p_value", "rsid"),
    tsv(5, 100, "A", "G", 1.25, 1.1, 1.42, 0.3, "1e-4", "rs5"),
    tsv(5, 200, "C", "T", 0.8, 0.7, 0.914, 0.5, "0.001", "rs6")))
  x <- rs(f, phenotype = "T", id = "t")
  expect_equal(x$beta.exposure, log(c(1.25, 0.8)), tolerance = 1e-15)
  expect_equal(x$se.exposure, (log(c(1.42, 0.914)) - log(c(1.1, 0.7))) / (2 * stats::qnorm(0.975)),
               tolerance = 1e-14)
  # A beta with a CI (no standard error): se on the beta scale.
  g <- write_gwas(c(tsv("chromosome", "base_pair_location", "effect_allele", "other_allele",
                        "beta", "ci_lower", "ci_upper", "p_value", "rsid"),
                    tsv(1, 5, "A", "G", 0.2, 0.1, 0.3, 0.01, "rs9")))
  expect_equal(rs(g, phenotype = "T", id = "t")$se.exposure, 0.2 / (2 * stats::qnorm(0.975)),
               tolerance = 1e-14)
})

test_that("GWAS-SSF harmonised files use the hm_ alleles and effects", {
  f <- write_gwas(c(
    tsv("hm_variant_id", "hm_rsid", "hm_chrom", "hm_pos", "hm_other_allele", "hm_effect_allele",
        "hm_beta", "hm_odds_ratio", "hm_ci_lower", "hm_ci_upper", "hm_effect_allele_frequency",
        "hm_code", "variant_id", "p_value", "chromosome", "base_pair_location", "other_allele",
        "effect_allele", "beta", "standard_error", "effect_allele_frequency"),
    tsv("1_100_A_G", "rs100", 1, 100, "A", "G", -0.3, "NA", "NA", "NA", 0.8, 2, "rs100",
        "1e-9", 1, 101, "G", "A", 0.3, 0.04, 0.2),
    tsv("1_200_C_T", "rs200", 1, 200, "C", "T", "NA", 1.5, 1.2, 1.875, 0.4, 1, "rs200",
        "1e-3", 1, 200, "C", "T", "NA", "NA", 0.4)))
  x <- rs(f, phenotype = "T", id = "t")
  expect_identical(attr(x, "read_report")$format, "gwas_ssf")
  expect_identical(x$SNP, c("rs100", "rs200"))
  expect_identical(x$effect_allele.exposure, c("G", "T"))
  expect_identical(x$other_allele.exposure, c("A", "C"))
  expect_identical(x$pos.exposure, c(100, 200))
  expect_equal(x$beta.exposure, c(-0.3, log(1.5)), tolerance = 1e-15)
  expect_equal(x$se.exposure, c(0.04, (log(1.875) - log(1.2)) / (2 * stats::qnorm(0.975))),
               tolerance = 1e-14)
  expect_identical(x$eaf.exposure, c(0.8, 0.4))
})

test_that("FinnGen: alt is the effect allele, first of several rsids, genes", {
  f <- write_gwas(preset_lines$finngen, gz = TRUE)
  x <- rs(f, format = "finngen", type = "outcome", phenotype = "K11", id = "finngen_k11")
  expect_identical(x$SNP, c("rs2691328", "rs878915777", "2:15585"))
  expect_identical(x$effect_allele.outcome, c("A", "T", "A"))
  expect_identical(x$other_allele.outcome, c("G", "C", "G"))
  expect_identical(x$beta.outcome, c(0.0467, -0.0284, 0.0177))
  expect_identical(x$se.outcome, c(0.0373, 0.004, 0.0264))
  expect_identical(x$eaf.outcome, c(0.0058, 0.012, 0.0013))
  expect_identical(x$pval.outcome, c(0.21, 3.2e-12, 0.5))
  expect_identical(x$gene.outcome, rep("OR4F5", 3))
  y <- rs(f, type = "outcome", snps = c("RS878915777", "2:15585"), phenotype = "K11", id = "k")
  expect_identical(y$SNP, c("rs878915777", "2:15585"))
  expect_identical(attr(y, "read_report")$counts[["filtered_snp"]], 1)
})

test_that("the real IEU GWAS-VCF slice matches bmi_variants.csv exactly", {
  skip_if_no_shared()
  ref <- read_shared("reference", "ld_eur_chr1", "bmi_variants.csv")
  x <- rs(shared_file("data", "ld_eur_chr1", "data.vcf.gz"))
  expect_identical(attr(x, "read_report")$format, "gwas_vcf")
  expect_identical(nrow(x), 92L)
  expect_identical(x$SNP, ref$SNP)  # already in file order (sorted by position)
  expect_identical(x$beta.exposure, ref$ES)
  expect_identical(x$se.exposure, ref$SE)
  expect_identical(x$eaf.exposure, ref$AF)  # 5 records without AF are NA in both
  expect_identical(x$samplesize.exposure, ref$SS)
  expect_identical(x$pval.exposure, ref$P)  # 10^-LP; LP = -0 gives P = 1
  expect_identical(x$effect_allele.exposure, ref$ALT)
  expect_identical(x$other_allele.exposure, ref$REF)
  expect_identical(x$pos.exposure, as.numeric(ref$POS))
  expect_identical(unique(x$exposure), "IEU-a-2")
  expect_identical(unique(x$id.exposure), "IEU-a-2")
  expect_false("ncase.exposure" %in% names(x))
  y <- rs(shared_file("data", "ld_eur_chr1", "data.vcf.gz"), pval_threshold = 0.01)
  expect_identical(y$SNP, ref$SNP[ref$P < 0.01])
})

test_that("GWAS-VCF: multi-allelic records are skipped and counted, sample chosen by name", {
  f <- write_gwas(c(
    "##fileformat=VCFv4.2",
    "##FORMAT=<ID=ES,Number=A,Type=Float,Description=\"Effect size\">",
    tsv("#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", "study-a", "study-b"),
    tsv(1, 100, "rs1", "A", "G", ".", "PASS", ".", "ES:SE:LP:AF:SS:NC:ID", "0.1:0.02:6:0.3:1000:400:rs1", "0.2:0.03:4:0.31:900:300:rs1"),
    tsv(1, 200, "rs2", "C", "T,G", ".", "PASS", ".", "ES:SE:LP:AF:SS:NC:ID", "0.1:0.02:6:0.3:1000:400:rs2", "0.1:0.02:6:0.3:1000:400:rs2"),
    tsv(1, 300, ".", "G", "A", ".", "PASS", ".", "ES:SE:LP:SS:ID", "-0.1:0.05:1:800:.", "-0.2:0.05:2:800:.")), ext = ".vcf")
  x <- rs(f, columns = c(sample = "study-b"))
  expect_identical(x$SNP, c("rs1", "1:300"))
  expect_identical(x$beta.exposure, c(0.2, -0.2))
  expect_identical(x$ncase.exposure, c(300, NA))
  expect_identical(x$eaf.exposure, c(0.31, NA))
  expect_identical(x$pval.exposure, c(1e-4, 1e-2))
  expect_identical(unique(x$exposure), "study-b")
  expect_identical(attr(x, "read_report")$counts[["skipped_multiallelic"]], 1)
  expect_error(rs(f, columns = c(sample = "study-c")), class = "mrkit_error_missing_column")
})

test_that("PLINK 2 .glm.linear: A1 vs REF/ALT, only ADD rows", {
  f <- write_gwas(preset_lines$plink2, ext = ".glm.linear")
  x <- rs(f, format = "plink2", phenotype = "T", id = "t")
  expect_identical(x$SNP, c("rs367896724", "rs555500075"))
  expect_identical(x$effect_allele.exposure, c("AC", "T"))
  expect_identical(x$other_allele.exposure, c("A", "TA"))
  expect_identical(x$beta.exposure, c(0.081, -0.02))
  expect_identical(x$eaf.exposure, c(0.42, 0.56))
  expect_identical(x$samplesize.exposure, c(2504, 2504))
  expect_identical(attr(x, "read_report")$counts[["filtered_test"]], 2)
})

test_that("PLINK 2 .glm.logistic: OR with LOG(OR)_SE, LOG10_P; OR with L95/U95", {
  f <- write_gwas(c(
    tsv("#CHROM", "POS", "ID", "REF", "ALT", "A1", "FIRTH?", "TEST", "OBS_CT", "OR",
        "LOG(OR)_SE", "Z_STAT", "LOG10_P"),
    tsv(2, 500, "rs7", "G", "A", "A", "N", "ADD", 3000, 1.3, 0.05, 5.2, 6.7),
    tsv(2, 600, "rs8", "C", "T", "C", "N", "ADD", 3000, 0.9, 0.04, -2.6, 2)), ext = ".glm.logistic")
  x <- rs(f, phenotype = "T", id = "t")
  expect_identical(attr(x, "read_report")$format, "plink2")
  expect_equal(x$beta.exposure, log(c(1.3, 0.9)), tolerance = 1e-15)
  expect_identical(x$se.exposure, c(0.05, 0.04))
  expect_equal(x$pval.exposure, c(10^-6.7, 0.01), tolerance = 1e-15)
  expect_identical(x$other_allele.exposure, c("G", "T"))
  g <- write_gwas(c(
    tsv("#CHROM", "POS", "ID", "REF", "ALT", "A1", "TEST", "OBS_CT", "OR", "L95", "U95", "P"),
    tsv(2, 500, "rs7", "G", "A", "A", "ADD", 3000, 1.3, 1.17, 1.44, 1e-7)))
  y <- rs(g, phenotype = "T", id = "t")
  expect_equal(y$se.exposure, (log(1.44) - log(1.17)) / (2 * stats::qnorm(0.975)), tolerance = 1e-14)
})

test_that("REGENIE: space separated, LOG10P, ALLELE1 is the effect allele", {
  f <- write_gwas(preset_lines$regenie, ext = ".regenie")
  x <- rs(f, format = "regenie", phenotype = "T", id = "t")
  expect_identical(x$SNP, c("1:13668:g:a", "rs878915777", "rs55"))
  expect_identical(x$effect_allele.exposure, c("A", "T", "G"))
  expect_identical(x$other_allele.exposure, c("G", "C", "A"))
  expect_equal(x$pval.exposure, 10^-c(0.678, 11.49, 0.57), tolerance = 1e-15)
  expect_identical(x$samplesize.exposure, c(11000, 11000, 10990))
  expect_identical(attr(x, "read_report")$separator, "whitespace")
})

test_that("SAIGE: Allele2 is the effect allele, sample size from cases and controls", {
  f <- write_gwas(preset_lines$saige)
  x <- rs(f, format = "saige", type = "outcome", phenotype = "T", id = "t")
  expect_identical(x$SNP, c("rs2691328", "1:14773:c:t"))
  expect_identical(x$effect_allele.outcome, c("A", "T"))
  expect_identical(x$eaf.outcome, c(0.006, 0.0122))
  expect_identical(x$pval.outcome, c(0.21, 3.2e-12))
  expect_identical(x$ncase.outcome, c(2000, 2000))
  expect_identical(x$samplesize.outcome, c(10000, 10000))
})

test_that("BOLT-LMM: P_BOLT_LMM preferred, ALLELE1 effect allele", {
  f <- write_gwas(preset_lines$bolt)
  x <- rs(f, format = "bolt", phenotype = "T", id = "t")
  expect_identical(x$pval.exposure, c(7.1e-01, 1.9e-16, 3.3e-01))
  expect_identical(x$effect_allele.exposure, c("A", "T", "G"))
  expect_identical(x$other_allele.exposure, c("G", "C", "T"))
  expect_identical(attr(x, "read_report")$mapping$column[attr(x, "read_report")$mapping$role == "pval"],
                   "P_BOLT_LMM")
})

test_that("METAL: lower-case alleles, Effect/StdErr; Zscore with N and eaf by hand", {
  f <- write_gwas(preset_lines$metal, ext = ".tbl")
  x <- rs(f, format = "metal", phenotype = "T", id = "t")
  expect_identical(x$effect_allele.exposure, c("A", "A", "T"))
  expect_identical(x$other_allele.exposure, c("C", "G", "C"))
  expect_identical(x$beta.exposure, c(0.0071, -0.0191, 0.0129))
  expect_identical(x$pval.exposure, c(0.68, 9.1e-06, 3.1e-04))
  g <- write_gwas(c(tsv("MarkerName", "Allele1", "Allele2", "Freq1", "Weight", "Zscore", "P-value", "Direction"),
                    tsv("rs1", "a", "g", 0.3, 150000, 5.9, "3.6e-09", "++"),
                    tsv("rs2", "t", "c", 0.81, 120000.5, -2.1, 0.036, "-+")))
  y <- rs(g, phenotype = "T", id = "t")
  expect_identical(attr(y, "read_report")$format, "metal")
  f1 <- c(0.3, 0.81); n <- c(150000, 120000.5); z <- c(5.9, -2.1)
  se <- 1 / sqrt(2 * f1 * (1 - f1) * (n + z^2))
  expect_equal(y$se.exposure, se, tolerance = 1e-15)
  expect_equal(y$beta.exposure, z * se, tolerance = 1e-15)
  expect_identical(y$samplesize.exposure, n)
})

test_that("TwoSampleMR-style files read as format_data() formats the same table", {
  f <- write_gwas(preset_lines$twosamplemr)
  x <- rs(f, id = "b")
  raw <- utils::read.table(f, header = TRUE, stringsAsFactors = FALSE)
  raw$id <- "b"
  ref <- suppressWarnings(format_data(raw))
  ref$data_source.exposure <- "textfile"
  attr(x, "read_report") <- NULL
  expect_equal(x, ref, tolerance = 0)
})

test_that("auto detects every preset, and gzip and plain files give identical results", {
  for (fmt in names(preset_lines)) {
    plain <- write_gwas(preset_lines[[fmt]])
    gz <- write_gwas(preset_lines[[fmt]], gz = TRUE)
    a <- rs(plain, phenotype = "T", id = "t")
    b <- rs(gz, phenotype = "T", id = "t")
    e <- rs(plain, format = fmt, phenotype = "T", id = "t")
    expect_identical(attr(a, "read_report")$format, fmt)
    expect_false(attr(a, "read_report")$compressed)
    expect_true(attr(b, "read_report")$compressed)
    attr(a, "read_report") <- attr(b, "read_report") <- attr(e, "read_report") <- NULL
    expect_identical(a, b)
    expect_identical(a, e)
  }
})

test_that("concatenated gzip members, CRLF line ends, quotes, blank lines and comma files", {
  f <- withr::local_tempfile(fileext = ".gz")
  for (part in list(preset_lines$gwas_ssf[1:2], preset_lines$gwas_ssf[3:5])) {
    con <- gzfile(f, "ab")
    writeLines(part, con)
    close(con)
  }
  expect_identical(rs(f, phenotype = "T", id = "t")$SNP, c("rs1", "rs2", "2:3000", "2:4000"))
  g <- withr::local_tempfile(fileext = ".csv")
  lines <- gsub("\t", ",", preset_lines$gwas_ssf)
  lines[2] <- sub("rs1", "\"rs1\"", lines[2])
  writeBin(charToRaw(paste0(paste(c(lines[1:3], "", lines[4:5]), collapse = "\r\n"), "\r\n")), g)
  x <- rs(g, phenotype = "T", id = "t")
  expect_identical(x$SNP, c("rs1", "rs2", "2:3000", "2:4000"))
  expect_identical(x$pval.exposure, c(2.1e-30, 0.041, 4e-10, 0.36))
  expect_identical(attr(x, "read_report")$separator, "comma")
  expect_identical(attr(x, "read_report")$counts[["skipped_blank"]], 1)
})

test_that("p = 0, -log10 p beyond the double range and 1e-400 become min_pval", {
  f <- write_gwas(c(tsv("rsid", "chromosome", "base_pair_location", "effect_allele", "other_allele",
                        "beta", "standard_error", "p_value"),
                    tsv("rs1", 1, 1, "A", "G", 0.5, 0.01, 0),
                    tsv("rs2", 1, 2, "A", "G", 0.5, 0.01, "1e-400"),
                    tsv("rs3", 1, 3, "A", "G", 0.5, 0.01, "1e-100")))
  x <- rs(f, phenotype = "T", id = "t", pval_threshold = 5e-8)
  expect_identical(x$pval.exposure, c(1e-200, 1e-200, 1e-100))
  g <- write_gwas(c("SNP beta se effect_allele LP", "rs1 0.5 0.01 A 400", "rs2 0.1 0.1 A 0.5"))
  y <- rs(g, format = "twosamplemr", columns = c(log10p = "LP"), phenotype = "T", id = "t",
          min_pval = 1e-300)
  expect_identical(y$pval.exposure, c(1e-300, 10^-0.5))
})

test_that("bad numbers are set to NA and reported with line and column", {
  lines <- preset_lines$gwas_ssf
  lines[3] <- sub("-0.02", "minus", lines[3])
  lines[4] <- sub("0.008", "0.0o8", lines[4])
  f <- write_gwas(lines)
  x <- rs(f, phenotype = "T", id = "t")
  r <- attr(x, "read_report")
  expect_identical(r$unparsable, c(beta = 1, se = 1))
  expect_identical(r$problems$line, c(3, 4))
  expect_identical(r$problems$column, c("beta", "standard_error"))
  expect_identical(r$problems$value, c("minus", "0.0o8"))
  expect_identical(x$beta.exposure[2], NA_real_)
  expect_identical(x$mr_keep.exposure, c(TRUE, FALSE, FALSE, TRUE))
  expect_message(read_sumstats(f, phenotype = "T", id = "t") |> suppressWarnings(),
                 "line 3, column")
  classes <- character()
  withCallingHandlers(read_sumstats(f, phenotype = "T", id = "t", verbose = FALSE),
                      warning = function(w) {
                        classes <<- c(classes, class(w)[1])
                        invokeRestart("muffleWarning")
                      })
  expect_identical(classes, c("mrkit_warning_read", "mrkit_warning_format"))
})

test_that("ragged lines are skipped and reported; too many, or none well formed, is an error", {
  lines <- preset_lines$gwas_ssf
  lines[3] <- paste(strsplit(lines[3], "\t")[[1]][1:6], collapse = "\t")
  f <- write_gwas(lines)
  x <- rs(f, phenotype = "T", id = "t")
  r <- attr(x, "read_report")
  expect_identical(x$SNP, c("rs1", "2:3000", "2:4000"))
  expect_identical(r$counts[["skipped_malformed"]], 1)
  expect_identical(r$problems$line, 3)
  expect_identical(r$problems$column, "effect_allele_frequency")
  expect_warning(read_sumstats(f, phenotype = "T", id = "t", verbose = FALSE),
                 "1 malformed line skipped", class = "mrkit_warning_read")
  err <- expect_error(rs(f, max_malformed = 0), class = "mrkit_error_file_malformed")
  expect_identical(err$line, 3)
  expect_identical(err$column, "effect_allele_frequency")
  expect_match(conditionMessage(err), "line 3")
  expect_match(conditionMessage(err), "effect_allele_frequency")
  # Mixed separators: tab header, comma data.
  g <- write_gwas(c(preset_lines$gwas_ssf[1], gsub("\t", ",", preset_lines$gwas_ssf[-1])))
  err <- expect_error(rs(g), class = "mrkit_error_file_malformed")
  expect_identical(err$line, 2)
  expect_identical(err$column, "base_pair_location")
  expect_s3_class(err, "mrkit_error_read")
})

test_that("bytes that are not text: a classed error naming the file and line, never a crash", {
  # Random bytes (what a user gets by pointing at a binary or a damaged download) used to end
  # in an unclassed "invalid multibyte string" error from deep inside.
  set.seed(12)
  for (i in 1:25) {
    g <- withr::local_tempfile(fileext = ".txt")
    writeBin(as.raw(sample(0:255, 400, replace = TRUE)), g)
    err <- expect_error(rs(g), class = "mrkit_error")
    expect_no_match(conditionMessage(err), "multibyte")
  }
  # A header that is not UTF-8 text: the line and the offending byte are named.
  g <- withr::local_tempfile(fileext = ".tsv")
  writeBin(c(charToRaw("\n"), as.raw(c(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0))), g)
  err <- expect_error(rs(g), class = "mrkit_error_file_encoding")
  expect_identical(err$line, 2)
  expect_match(conditionMessage(err), "line 2 \\(the header\\) is not text: byte 0x89 at position 1")
  expect_match(conditionMessage(err), basename(g), fixed = TRUE)
  # Data lines whose text columns are not UTF-8 are skipped and recorded with line and
  # column; the bytes are escaped in the report.
  lines <- preset_lines$gwas_ssf
  f <- withr::local_tempfile(fileext = ".tsv")
  con <- file(f, "wb")
  writeBin(charToRaw(paste0(lines[1], "\n", lines[2], "\n")), con)
  # lines[3] with its effect allele "C" replaced by the byte 0xFF
  writeBin(c(charToRaw("1\t2000\t"), as.raw(0xff),
             charToRaw("\tT\t-0.02\t0.01\t0.45\t0.041\t1_2000_T_C\trs2\t50000\n")), con)
  writeBin(charToRaw(paste0(lines[4], "\n")), con)
  close(con)
  x <- rs(f, phenotype = "T", id = "t")
  r <- attr(x, "read_report")
  expect_identical(x$SNP, c("rs1", "2:3000"))
  expect_identical(r$counts[["skipped_malformed"]], 1)
  expect_identical(r$problems$line, 3)
  expect_identical(r$problems$column, "effect_allele")
  expect_identical(r$problems$problem, "byte 0xFF at position 1 is not UTF-8 text; line skipped")
  expect_true(startsWith(r$problems$value, "1\t2000\t\\xFF\tT"))
  expect_true(validUTF8(r$problems$value))
  # Too many of them fail with the class and line of the first.
  err <- expect_error(rs(f, max_malformed = 0), class = "mrkit_error_file_malformed")
  expect_identical(err$line, 3)
  expect_identical(err$column, "effect_allele")
  # Found by fuzzing: a position that is not text made a "chr:pos" SNP name that is not text.
  h <- withr::local_tempfile(fileext = ".tsv")
  con <- file(h, "wb")
  writeBin(charToRaw(paste0(lines[1], "\n", lines[2], "\n")), con)
  writeBin(c(charToRaw("2\t3"), as.raw(0xd3),
             charToRaw("\tG\tA\t0.05\t0.008\t0.1\t4e-10\t2_3000_A_G\tNA\t49000\n")), con)
  close(con)
  x <- rs(h, phenotype = "T", id = "t")
  expect_identical(x$SNP, "rs1")
  expect_identical(attr(x, "read_report")$problems$column, "base_pair_location")
})

test_that("a truncated gzip file is an error naming the line", {
  lines <- c(preset_lines$gwas_ssf[1], rep(preset_lines$gwas_ssf[2:5], 3000))
  f <- write_gwas(lines, gz = TRUE)
  bytes <- readBin(f, "raw", file.size(f))
  g <- withr::local_tempfile(fileext = ".gz")
  writeBin(bytes[seq_len(length(bytes) %/% 2)], g)
  err <- expect_error(rs(g), class = "mrkit_error_file_truncated")
  expect_match(conditionMessage(err), "truncated")
  expect_gt(err$line, 100)
  expect_match(conditionMessage(err), paste0("line ", err$line))
})

test_that("missing required columns, unknown formats and bad arguments give classed errors", {
  lines <- preset_lines$plink2
  lines <- vapply(strsplit(lines, "\t"), function(x) paste(x[-6], collapse = "\t"), "")
  f <- write_gwas(lines)
  err <- expect_error(rs(f, format = "plink2"), class = "mrkit_error_missing_column")
  expect_identical(err$line, 1)
  expect_identical(err$column, "A1")
  expect_match(conditionMessage(err), "Line 1")
  g <- write_gwas(c("a b c", "1 2 3"))
  expect_error(rs(g), class = "mrkit_error_format_unknown")
  expect_error(rs(g, format = "nope"), class = "mrkit_error_parameter")
  expect_error(rs(g, format = "twosamplemr", columns = c(snp = "zzz")),
               class = "mrkit_error_missing_column")
  expect_error(rs(g, columns = c(bogus = "a")), class = "mrkit_error_parameter")
  expect_error(rs(g, columns = c("a")), class = "mrkit_error_parameter")
  expect_error(rs(g, spam = 1), class = "mrkit_error_parameter")
  expect_error(rs(g, pval_threshold = -1), class = "mrkit_error_parameter")
  expect_error(rs("/nonexistent/file.tsv"), class = "mrkit_error_file_not_found")
  h <- write_gwas(c("SNP effect_allele beta", "rs1 A 0.1"))
  expect_error(rs(h, pval_threshold = 1e-5), class = "mrkit_error_missing_column")
  expect_snapshot(error = TRUE, read_sumstats(g, format = "nope"))
  expect_snapshot(error = TRUE, read_sumstats(g, columns = c(bogus = "a")))
})

test_that("columns overrides a preset; a p-value missing from the file is inferred for the filter", {
  f <- write_gwas(c("MYSNP b s ea oa p", "rs1 0.5 0.05 A G NA", "rs2 0.01 0.05 A G NA",
                    "rs3 0.1 0.01 A G 0.2"))
  x <- rs(f, format = "twosamplemr", pval_threshold = 1e-5, phenotype = "T", id = "t",
          columns = c(snp = "MYSNP", beta = "b", se = "s", effect_allele = "ea",
                      other_allele = "oa", pval = "p"))
  expect_identical(x$SNP, "rs1")
  expect_identical(x$pval_origin.exposure, "inferred")
  expect_equal(x$pval.exposure, 2 * stats::pnorm(-10), tolerance = 1e-12)
  expect_identical(attr(x, "read_report")$counts[["filtered_pval"]], 2)
})

test_that("no rows passing the filters is a classed error for snps, an empty table for p", {
  f <- write_gwas(preset_lines$gwas_ssf)
  expect_error(rs(f, snps = "rs999", phenotype = "T", id = "t"), class = "mrkit_error_no_snps")
  x <- rs(f, pval_threshold = 1e-100, phenotype = "T", id = "t")
  expect_identical(nrow(x), 0L)
  expect_true(all(c("SNP", "beta.exposure", "se.exposure") %in% names(x)))
  # A header without rows, without phenotype or p-value columns.
  h <- write_gwas("SNP beta se effect_allele")
  y <- rs(h)
  expect_identical(nrow(y), 0L)
  expect_true(all(c("exposure", "pval.exposure", "eaf.exposure", "mr_keep.exposure") %in% names(y)))
  expect_error(rs(write_gwas(character())), class = "mrkit_error_file_malformed")
})

test_that("a separator given in ... is used as is", {
  f <- write_gwas(c("SNP;beta;se;effect_allele;other_allele;pval", "rs1;0.1;0.01;A;G;1e-9",
                    "rs2;0.2;0.01;C;T;0.5"))
  x <- rs(f, sep = ";", phenotype = "T", id = "t", pval_threshold = 1e-5)
  expect_identical(x$SNP, "rs1")
  expect_identical(attr(x, "read_report")$separator, ";")
  expect_error(rs(f, sep = ";;"), class = "mrkit_error_parameter")
})

test_that("samplesize, ncase and ncontrol fill the rows without a sample size, and the report says so", {
  f <- write_gwas(preset_lines$finngen, gz = TRUE)
  x <- rs(f, format = "finngen", type = "outcome", ncase = 2000, ncontrol = 8000)
  expect_identical(x$ncase.outcome, rep(2000, 3))
  expect_identical(x$ncontrol.outcome, rep(8000, 3))
  expect_identical(x$samplesize.outcome, rep(10000, 3))
  ss <- attr(x, "read_report")$sample_size
  expect_identical(ss$column, c("ncase", "ncontrol", "samplesize"))
  expect_identical(ss$rows_filled, c(3L, 3L, 3L))
  # the estimates are untouched
  expect_identical(x$beta.outcome, c(0.0467, -0.0284, 0.0177))
  expect_message(read_sumstats(f, samplesize = 12345, verbose = TRUE),
                 "Sample size given: samplesize = 12345 for 3 row\\(s\\) without one")
  # values in the file are kept; only missing ones are filled
  lines <- preset_lines$gwas_ssf
  lines[3] <- sub("\t50000$", "\tNA", lines[3])
  g <- write_gwas(lines)
  y <- rs(g, samplesize = 1000)
  expect_identical(y$samplesize.exposure[match(c("rs1", "rs2"), y$SNP)], c(50000, 1000))
  ss <- attr(y, "read_report")$sample_size
  expect_identical(c(ss$rows_filled, ss$rows_from_file), c(1L, 3L))
  expect_null(attr(rs(g), "read_report")$sample_size)
  expect_error(read_sumstats(g, samplesize = c(1, 2)), class = "mrkit_error_parameter")
  expect_error(read_sumstats(g, ncase = -5), class = "mrkit_error_parameter")
})

# BGZF (bgzip) files are decompressed block by block (libdeflate), optionally in a decoder
# thread; they must read exactly as the same text compressed with plain gzip (zlib), and
# the p-value-first path must count and record every line as the full path does.

# 20,000 GWAS-SSF rows (about 20 BGZF blocks) with known p-values, and lines the
# p-value-first path must leave to the full path: a row with a field missing, a non-UTF-8
# allele, an unparsable p-value, a missing p-value, a quoted field, a comment, a blank line.
bgzf_lines <- function(n = 20000) {
  set.seed(7)
  p <- signif(10^-runif(n, 0, 12), 4)
  rows <- sprintf("%d\t%d\tA\tG\t%.5f\t0.01\t0.3\t%s\trs%d\t50000", rep_len(1:22, n),
                  seq_len(n) * 100L, rnorm(n, 0, 0.05), format(p, scientific = TRUE, trim = TRUE),
                  seq_len(n))
  odd <- c("1\t5\tA\tG\t0.1\t0.01\t0.3\t0.5\trs_short",          # a field missing, p high
           "1\t6\tA\xff\tG\t0.1\t0.01\t0.3\t0.9\trs_bytes\t50000",  # not UTF-8, p high
           "1\t7\tA\tG\t0.001\t0.01\t0.3\tabc\trs_text\t50000",     # p not a number: from beta/se
           "1\t8\tA\tG\t0.9\t0.01\t0.3\tNA\trs_na\t50000",          # p missing: from beta/se
           "1\t9\t\"A\"\tG\t0.1\t0.01\t0.3\t0.7\trs_quoted\t50000",  # quoted, p high
           "# a comment", "")
  at <- round(seq(100, n - 100, length.out = length(odd)))
  out <- as.list(rows)
  for (k in seq_along(odd)) out[[at[k]]] <- c(out[[at[k]]], odd[k])
  list(lines = c(tsv("chromosome", "base_pair_location", "effect_allele", "other_allele", "beta",
                     "standard_error", "effect_allele_frequency", "p_value", "rsid", "n"),
                 unlist(out)),
       sig = paste0("rs", which(p < 5e-8)), n_sig = sum(p < 5e-8))
}

write_bgzf <- function(lines, env = parent.frame()) {
  f <- withr::local_tempfile(fileext = ".tsv.gz", .local_envir = env)
  mrkit:::write_bgzip_tabix(lines, f, "tsv", index = FALSE)
  f
}

expect_same_read <- function(x, y) {
  rows <- function(d) {
    attr(d, "read_report") <- NULL
    d
  }
  expect_identical(rows(x), rows(y))
  rx <- attr(x, "read_report")
  ry <- attr(y, "read_report")
  for (k in c("counts", "unparsable", "problems", "compressed")) expect_identical(rx[[k]], ry[[k]], label = k)
}

test_that("a multi-block BGZF file reads as the same gzip file, with 1 or 2 threads", {
  d <- bgzf_lines()
  gz <- write_gwas(d$lines, gz = TRUE, ext = ".tsv")
  bg <- write_bgzf(d$lines)
  bytes <- readBin(bg, "raw", file.size(bg))
  # many BGZF blocks: the gzip magic with the BC extra field starts each
  expect_gt(length(grepRaw(as.raw(c(0x1f, 0x8b, 0x08, 0x04)), bytes, all = TRUE)), 10)
  for (thr in list(NULL, 5e-8)) {
    ref <- rs(gz, pval_threshold = thr, phenotype = "T", id = "t")
    for (threads in 1:2) {
      expect_same_read(rs(bg, pval_threshold = thr, phenotype = "T", id = "t", threads = threads), ref)
    }
  }
  x <- rs(bg, pval_threshold = 5e-8, phenotype = "T", id = "t", threads = 2)
  cnt <- attr(x, "read_report")$counts
  # the significant rows of the simulation, and rs_na (p from beta/se = 2 * pnorm(-90))
  expect_setequal(x$SNP, c(d$sig, "rs_na"))
  expect_equal(cnt[["lines"]], 20000 + 7)
  expect_equal(cnt[["skipped_malformed"]], 2)  # the short row and the non-UTF-8 one
  expect_equal(cnt[["skipped_comment"]], 1)
  expect_equal(cnt[["skipped_blank"]], 1)
  expect_equal(cnt[["filtered_pval"]], 20000 - d$n_sig + 2)  # + the quoted row and rs_text
  expect_equal(attr(x, "read_report")$unparsable[["pval"]], 1)
})

test_that("bgzip's own output reads as the gzip file", {
  skip_if(!nzchar(Sys.which("bgzip")), "bgzip not installed")
  d <- bgzf_lines(5000)
  txt <- withr::local_tempfile(fileext = ".tsv")
  writeBin(charToRaw(paste0(paste(d$lines, collapse = "\n"), "\n")), txt)
  bg <- paste0(txt, ".gz")
  withr::defer(unlink(bg))
  system2("bgzip", c("-f", txt))
  gz <- write_gwas(d$lines, gz = TRUE, ext = ".tsv")
  ref <- rs(gz, pval_threshold = 1e-3, phenotype = "T", id = "t")
  expect_same_read(rs(bg, pval_threshold = 1e-3, phenotype = "T", id = "t"), ref)
  expect_same_read(rs(bg, pval_threshold = 1e-3, phenotype = "T", id = "t", threads = 2), ref)
})

test_that("a damaged single-stream gzip names the file and the damage, not zlib's descriptor", {
  lines <- c("SNP\tpval", sprintf("rs%d\t0.5", 1:200000))
  gz <- withr::local_tempfile(fileext = ".tsv.gz")
  con <- gzfile(gz, "wb"); writeLines(lines, con); close(con)
  bytes <- readBin(gz, "raw", file.size(gz))
  bad <- withr::local_tempfile(fileext = ".tsv.gz")
  writeBin(replace(bytes, 40:60, as.raw(0xff)), bad)
  err <- expect_error(read_sumstats(bad), class = "mrkit_error_file_truncated")
  msg <- cli::ansi_strip(conditionMessage(err))
  expect_match(msg, basename(bad), fixed = TRUE)
  expect_match(msg, "the compressed data are damaged before the first line", fixed = TRUE)
  expect_no_match(msg, "<fd:", fixed = TRUE)
  expect_equal(err$line, 0)
})

test_that("a corrupt block in the middle of a BGZF file is a classed error naming the file", {
  d <- bgzf_lines()
  bg <- write_bgzf(d$lines)
  bytes <- readBin(bg, "raw", file.size(bg))
  starts <- grepRaw(as.raw(c(0x1f, 0x8b, 0x08, 0x04)), bytes, all = TRUE)
  k <- starts[length(starts) %/% 2]
  bad <- withr::local_tempfile(fileext = ".tsv.gz")
  writeBin(replace(bytes, k + 30:60, as.raw(0xff)), bad)
  for (threads in 1:2) {
    err <- expect_error(rs(bad, pval_threshold = 5e-8, threads = threads),
                        class = "mrkit_error_file_truncated")
    expect_match(conditionMessage(err), basename(bad), fixed = TRUE)
    expect_match(conditionMessage(err), "decompression failed")
    expect_gt(err$line, 1000)  # after the lines of the blocks before it
  }
  # a flipped bit that still inflates is caught by the block's CRC
  crc_bad <- withr::local_tempfile(fileext = ".tsv.gz")
  nxt <- starts[length(starts) %/% 2 + 1]
  writeBin(replace(bytes, nxt - 8, as.raw(bitwXor(as.integer(bytes[nxt - 8]), 1L))), crc_bad)
  err <- expect_error(rs(crc_bad), class = "mrkit_error_file_truncated")
  expect_match(conditionMessage(err), "incorrect data check")
})

test_that("a truncated BGZF file is an error naming the line, for any number of threads", {
  d <- bgzf_lines()
  bg <- write_bgzf(d$lines)
  bytes <- readBin(bg, "raw", file.size(bg))
  cut <- withr::local_tempfile(fileext = ".tsv.gz")
  writeBin(bytes[seq_len(length(bytes) %/% 2)], cut)
  e1 <- expect_error(rs(cut, threads = 1), class = "mrkit_error_file_truncated")
  e2 <- expect_error(rs(cut, threads = 2), class = "mrkit_error_file_truncated")
  expect_match(conditionMessage(e1), "truncated")
  expect_gt(e1$line, 1000)
  expect_identical(conditionMessage(e1), conditionMessage(e2))
})

test_that("BGZF blocks followed by a plain gzip member read as one file", {
  d <- bgzf_lines(3000)
  bg <- write_bgzf(d$lines[1:2001])
  tail_gz <- write_gwas(d$lines[2002:length(d$lines)], gz = TRUE)
  both <- withr::local_tempfile(fileext = ".tsv.gz")
  writeBin(c(readBin(bg, "raw", file.size(bg)), readBin(tail_gz, "raw", file.size(tail_gz))), both)
  ref <- rs(write_gwas(d$lines, gz = TRUE, ext = ".tsv"), pval_threshold = 1e-4, phenotype = "T", id = "t")
  for (threads in 1:2)
    expect_same_read(rs(both, pval_threshold = 1e-4, phenotype = "T", id = "t", threads = threads), ref)
})
