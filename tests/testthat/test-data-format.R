raw_tab <- function(...) {
  d <- data.frame(SNP = c("rs1", " RS2 ", "rs3", "rs4"), beta = c(0.1, -0.2, 0.3, Inf),
                  se = c(0.01, 0.02, 0, 0.01), effect_allele = c("a", "G", "T", "C"),
                  other_allele = c("G", "A", "X", "T"), eaf = c(0.2, 0.6, 1.2, 0),
                  pval = c(1e-8, NA, 1e-300, 2), Phenotype = "Trait", id = "t1",
                  stringsAsFactors = FALSE)
  modifyList(d, list(...))
}
quiet <- function(expr) suppressWarnings(suppressMessages(expr))

test_that("format_data applies every cleaning rule and audits what it changed", {
  expect_warning(f <- format_data(raw_tab()), class = "mrkit_warning_format")
  expect_identical(f$SNP, c("rs1", "rs2", "rs3", "rs4"))
  expect_identical(f$effect_allele.exposure, c("A", "G", "T", "C"))
  expect_identical(f$other_allele.exposure, c("G", "A", NA, "T"))
  expect_identical(f$beta.exposure, c(0.1, -0.2, 0.3, NA))
  expect_identical(f$se.exposure, c(0.01, 0.02, NA, 0.01))
  expect_identical(f$eaf.exposure, c(0.2, 0.6, NA, NA))
  expect_equal(f$pval.exposure[1], 1e-8)
  expect_equal(f$pval.exposure[2], 2 * pnorm(-0.2 / 0.02))
  expect_identical(f$pval.exposure[3], 1e-200)
  expect_identical(f$pval_origin.exposure, c("reported", "inferred", "reported", "inferred"))
  expect_true(is.na(f$pval.exposure[4]))   # inferred from a missing beta
  expect_identical(f$mr_keep.exposure, c(TRUE, TRUE, FALSE, FALSE))
  expect_identical(f$exposure, rep("Trait", 4))
  expect_identical(f$id.exposure, rep("t1", 4))
  a <- attr(f, "audit")
  expect_setequal(a$SNP, c("rs3", "rs4"))
  expect_true(all(c("se.exposure", "eaf.exposure", "other_allele.exposure", "pval.exposure",
                    "beta.exposure") %in% a$column))
  expect_identical(a$value[a$column == "other_allele.exposure"], "X")
  expect_true(any(grepl("min_pval", a$reason)))
  expect_true(any(grepl("mr_keep set to FALSE", a$reason)))
  expect_identical(names(f)[1:2], c("SNP", "beta.exposure"))
  expect_true(all(c("exposure", "mr_keep.exposure", "pval_origin.exposure", "id.exposure") %in%
                    names(f)))
  o <- quiet(format_data(raw_tab(), type = "outcome"))
  expect_true(all(c("beta.outcome", "id.outcome", "outcome", "mr_keep.outcome") %in% names(o)))
})

test_that("logical T alleles, log p-values, min_pval and missing p column", {
  d <- raw_tab(effect_allele = c(TRUE, TRUE, TRUE, TRUE), pval = c(8, 2, 1, 300))
  f <- quiet(format_data(d, log_pval = TRUE, min_pval = 1e-250))
  expect_identical(f$effect_allele.exposure, rep("T", 4))
  expect_equal(f$pval.exposure[1:3], c(1e-8, 1e-2, 1e-1))
  expect_identical(f$pval.exposure[4], 1e-250)
  d$pval <- NULL
  expect_message(suppressWarnings(format_data(d)), "Inferring")
  f <- quiet(format_data(d))
  expect_identical(f$pval_origin.exposure, rep("inferred", 4))
  expect_equal(f$pval.exposure[1], 2 * pnorm(-10))
})

test_that("sample size from cases and controls, units and random ids", {
  d <- raw_tab(ncase = c(10, 10, NA, 10), ncontrol = c(20, 20, 20, 20),
               samplesize = c(NA, 100, NA, 50))
  f <- quiet(format_data(d))
  expect_identical(f$samplesize.exposure, c(30, 100, NA, 50))
  d$samplesize <- NULL
  f <- quiet(format_data(d))
  expect_identical(f$samplesize.exposure, c(30, 30, NA, 30))
  d <- raw_tab(units = c("SD", "SD", "log odds", "SD"), Phenotype = c("A", "A", "A", "B"))
  expect_warning(suppressMessages(format_data(d)), class = "mrkit_warning_units") |>
    suppressWarnings(classes = "mrkit_warning_format")
  f <- quiet(format_data(d))
  expect_identical(f$exposure, c("A (SD)", "A (SD)", "A (log odds)", "B (SD)"))
  expect_identical(f$units.exposure_dat, c("SD", "SD", "log odds", "SD"))
  d$id <- NULL
  set.seed(3); f1 <- quiet(format_data(d))
  set.seed(3); f2 <- quiet(format_data(d))
  expect_identical(f1$id.exposure, f2$id.exposure)
  expect_true(all(nchar(f1$id.exposure) == 6L))
  expect_equal(length(unique(f1$id.exposure)), 3L)
  d$Phenotype <- NULL
  expect_message(suppressWarnings(format_data(d)), "defaulting")
})

test_that("duplicated SNPs: first kept per phenotype, classed warning and audit", {
  d <- raw_tab(SNP = c("rs1", "rs1", "rs2", "rs1"), Phenotype = c("B", "B", "B", "A"),
               se = 0.01, eaf = 0.3, other_allele = "A", pval = 1e-5, beta = c(1, 2, 3, 4))
  w <- NULL
  withCallingHandlers(format_data(d), warning = function(c) {
    w <<- c(w, class(c)[1]); invokeRestart("muffleWarning")
  })
  expect_identical(w, c("mrkit_warning_duplicated_snps", "mrkit_warning_format"))
  f <- quiet(format_data(d))
  # Grouped by phenotype (sorted) as TwoSampleMR's ddply does.
  expect_identical(f$exposure, c("A", "B", "B"))
  expect_identical(f$beta.exposure, c(4, 1, 3))
  a <- attr(f, "audit")
  expect_identical(a$SNP, "rs1")
  expect_match(a$reason, "duplicated")
})

test_that("snps filter, missing columns, data.table/tibble and classed errors", {
  f <- quiet(format_data(raw_tab(), snps = c("rs1", "rs3")))
  expect_identical(f$SNP, c("rs1", "rs3"))
  d <- raw_tab(); d$beta <- NULL
  expect_warning(suppressMessages(format_data(d)), class = "mrkit_warning_missing_mr_columns") |>
    suppressWarnings()
  f <- quiet(format_data(d))
  expect_false(any(f$mr_keep.exposure))
  expect_true(all(is.na(f$beta.exposure)))
  tb <- raw_tab(); class(tb) <- c("tbl_df", "tbl", "data.frame")
  expect_identical(quiet(format_data(tb))$beta.exposure, quiet(format_data(raw_tab()))$beta.exposure)
  dt <- raw_tab(); class(dt) <- c("data.table", "data.frame")
  expect_identical(quiet(format_data(dt))$SNP, quiet(format_data(raw_tab()))$SNP)
  expect_error(format_data(raw_tab(), snps = "rs99"), class = "mrkit_error_no_snps")
  expect_error(format_data(data.frame(a = 1)), class = "mrkit_error_missing_column")
  expect_error(format_data(raw_tab(), snp_col = "rsid"), class = "mrkit_error_missing_column")
  expect_snapshot(error = TRUE, format_data(raw_tab(), snps = "rs99"))
  expect_snapshot(error = TRUE, format_data(data.frame(a = 1)))
  expect_snapshot(error = TRUE, format_data(data.frame(beta = 1), snp_col = "rsid"))
  expect_snapshot(error = TRUE, format_data(1:3))
  expect_snapshot(error = TRUE, format_data(raw_tab(), type = "mediator"))
  expect_snapshot(error = TRUE, format_data(raw_tab(), min_pval = -1))
})

test_that("MR-Base instruments: lower-case alleles, se = 0 and NA eaf", {
  skip_if_no_shared()
  d <- read_shared("data", "mrbase_instruments", "instruments.csv")
  d$Phenotype <- paste(d$exposure, d$opengwas_id)
  args <- list(d, snp_col = "SNP", beta_col = "beta.exposure", se_col = "se.exposure",
               eaf_col = "eaf.exposure", effect_allele_col = "effect_allele.exposure",
               other_allele_col = "other_allele.exposure", pval_col = "pval.exposure",
               units_col = "units.exposure", ncase_col = "ncase.exposure",
               ncontrol_col = "ncontrol.exposure", samplesize_col = "samplesize.exposure",
               id_col = "opengwas_id")
  expect_warning(f <- suppressMessages(do.call(format_data, args)), class = "mrkit_warning_format")
  expect_equal(nrow(f), 190L)
  met <- f[f$id.exposure == "met-a-536", ]
  expect_true(all(met$effect_allele.exposure %in% c("A", "C", "G", "T")))
  expect_true(all(met$mr_keep.exposure))
  ms <- f[f$id.exposure == "ieu-a-820", ]
  expect_true(is.na(ms$se.exposure))
  expect_false(ms$mr_keep.exposure)
  a <- attr(f, "audit")
  expect_true(any(a$SNP == ms$SNP & a$column == "se.exposure" & a$value == "0"))
  iron <- f[f$id.exposure == "ieu-a-1049", ]
  expect_true(all(is.na(iron$eaf.exposure)))
  expect_true(all(iron$mr_keep.exposure))
  # p = 0 is raised to min_pval and audited.
  expect_false(any(f$pval.exposure == 0))
  expect_true(all(a$SNP[grepl("min_pval", a$reason)] %in% f$SNP[f$pval.exposure == 1e-200]))
  # Grouping by the phenotype name alone (TwoSampleMR's rule) drops the repeated MS SNPs.
  args$phenotype_col <- "exposure"
  f2 <- suppressWarnings(suppressMessages(do.call(format_data, args)))
  expect_equal(nrow(f2), 190L - sum(grepl("duplicated", attr(f2, "audit")$reason)))
  expect_lt(nrow(f2), 190L)
})

test_that("format_data leaves TwoSampleMR's own BMI exposure object unchanged", {
  skip_if_no_shared()
  e <- read_shared("data", "bmi_chd", "exposure.csv")
  f <- format_data(e, phenotype_col = "exposure", beta_col = "beta.exposure",
                   se_col = "se.exposure", eaf_col = "eaf.exposure",
                   effect_allele_col = "effect_allele.exposure",
                   other_allele_col = "other_allele.exposure", pval_col = "pval.exposure",
                   samplesize_col = "samplesize.exposure", id_col = "id.exposure",
                   chr_col = "chr.exposure", pos_col = "pos.exposure")
  expect_equal(nrow(attr(f, "audit")), 0L)
  e <- e[match(f$SNP, e$SNP), ]
  for (col in intersect(names(f), names(e))) expect_identical(f[[col]], e[[col]], label = col)
})

test_that("an inferred p-value never underflows to 0", {
  # 2 * pnorm(-60) is about 1.9e-784, below the double range: reported as the smallest
  # positive normal double, not 0.
  d <- data.frame(SNP = c("rs1", "rs2"), beta = c(0.6, 0.02), se = c(0.01, 0.01),
                  effect_allele = "A", other_allele = "G")
  x <- suppressWarnings(suppressMessages(format_data(d)))
  expect_identical(x$pval.exposure, c(.Machine$double.xmin, 2 * stats::pnorm(-2)))
})
