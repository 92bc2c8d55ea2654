# mr_coloc() against coloc 5.2.3's own outputs (fixtures/coloc/record-fixtures.R): coloc's
# example data and simulated regions with a shared or distinct causal variants.

coloc_fixture <- function(name) {
  utils::read.csv(test_path("fixtures", "coloc", name), stringsAsFactors = FALSE)
}

coloc_ref <- function(id) {
  ref <- coloc_fixture("coloc-5.2.3-results.csv")
  ref[ref$id == id, ]
}

expect_coloc_equal <- function(row, id, tolerance = 1e-8) {
  ref <- coloc_ref(id)
  pp <- paste0("PP.H", 0:4)
  for (k in pp) expect_equal(row[[k]], ref[[k]], tolerance = tolerance, label = k)
  expect_identical(row$nsnps, as.integer(ref$nsnps))
}

# coloc's D1/D2 as mrkit exposure and outcome tables (alleles arbitrary; the outcome on
# the other allele for every third variant).
coloc_test_tables <- function() {
  d <- coloc_fixture("coloc-test-data-D1-D2.csv")
  flip <- seq_len(nrow(d)) %% 3 == 0
  exposure <- data.frame(SNP = d$snp, effect_allele.exposure = "A", other_allele.exposure = "G",
                         eaf.exposure = d$MAF1, beta.exposure = d$beta1, se.exposure = sqrt(d$varbeta1),
                         samplesize.exposure = 1000, id.exposure = "D1", exposure = "trait 1")
  outcome <- data.frame(SNP = d$snp, effect_allele.outcome = ifelse(flip, "G", "A"),
                        other_allele.outcome = ifelse(flip, "A", "G"),
                        eaf.outcome = ifelse(flip, 1 - d$MAF1, d$MAF1),
                        beta.outcome = ifelse(flip, -d$beta2, d$beta2), se.outcome = sqrt(d$varbeta2),
                        samplesize.outcome = 1000, id.outcome = "D2", outcome = "trait 2")
  list(exposure = exposure, outcome = outcome, d = d)
}

coloc_sdY <- function() coloc_fixture("coloc-test-data-sdY.csv")$sdY

test_that("the datasets given to coloc: aligned alleles, trait types, N, s and MAF", {
  # (no coloc needed) the simulated outcome reports about half its variants on the other
  # allele; the truth is in the exposure table's alleles and the simulation's settings.
  e <- coloc_fixture("sim-shared-exposure.csv")
  o <- coloc_fixture("sim-shared-outcome.csv")
  dat <- mrkit:::coloc_harmonised(e, o, rlang::current_env())
  prep <- mrkit:::coloc_datasets(dat, list(), list(), rlang::current_env())
  ds <- prep$datasets
  k <- match(ds$exposure$snp, o$SNP)
  sign <- ifelse(o$effect_allele.outcome[k] == e$effect_allele.exposure[match(ds$exposure$snp, e$SNP)], 1, -1)
  expect_true(any(sign < 0) && any(sign > 0))
  expect_equal(ds$outcome$beta, sign * o$beta.outcome[k])
  expect_equal(ds$outcome$varbeta, o$se.outcome[k]^2)
  expect_identical(c(ds$exposure$type, ds$outcome$type), c("quant", "cc"))
  expect_identical(c(ds$exposure$N, ds$outcome$N), c(20000, 15000))
  expect_equal(ds$outcome$s, 1 / 3)
  expect_equal(ds$exposure$MAF, pmin(e$eaf.exposure, 1 - e$eaf.exposure)[match(ds$exposure$snp, e$SNP)])
  expect_equal(ds$outcome$MAF, ds$exposure$MAF)  # the outcome's own eaf, flipped or not
  expect_null(ds$outcome$sdY)
  expect_match(prep$note, "sdY of the exposure")
})

test_that("coloc.abf on coloc's example data (quantitative, sdY given or estimated)", {
  skip_if_not_installed("coloc", "5.2.3")
  t <- coloc_test_tables()
  sd <- coloc_sdY()
  res <- mr_coloc(t$exposure, t$outcome, sdY_exposure = sd[1], sdY_outcome = sd[2])
  expect_s3_class(res, "mrkit_coloc")
  expect_coloc_equal(res, "D1_D2_sdY")
  expect_identical(res$top_snp, coloc_ref("D1_D2_sdY")$top_snp)
  res2 <- mr_coloc(t$exposure, t$outcome, sdY_outcome = sd[2])
  expect_match(res2$note, "sdY of the exposure estimated")
  res3 <- mr_coloc(t$exposure, t$outcome, sdY_exposure = sd[1], sdY_outcome = sd[2], p12 = 1e-6)
  expect_coloc_equal(res3, "D1_D2_p12_1e-6")
})

test_that("coloc.abf with a case-control outcome takes s from ncase and ncontrol", {
  skip_if_not_installed("coloc", "5.2.3")
  t <- coloc_test_tables()
  sd <- coloc_sdY()
  out <- t$outcome
  out$samplesize.outcome <- NULL
  out$ncase.outcome <- 400
  out$ncontrol.outcome <- 600
  res <- mr_coloc(t$exposure, out, sdY_exposure = sd[1])
  expect_coloc_equal(res, "D1_D2cc")
  expect_true(is.na(res$note))
})

test_that("coloc.abf without sdY estimates it from each side's MAF and N as coloc does", {
  skip_if_not_installed("coloc", "5.2.3")
  t <- coloc_test_tables()
  out <- t$outcome
  flip <- out$effect_allele.outcome == "G"
  out$eaf.outcome <- ifelse(flip, 1 - t$d$MAF2, t$d$MAF2)
  res <- mr_coloc(t$exposure, out)
  expect_match(res$note, "sdY of the exposure and outcome estimated")
  expect_coloc_equal(res, "D1_D2_no_sdY")
})

test_that("simulated regions: a shared causal variant gives PP.H4, distinct ones PP.H3", {
  skip_if_not_installed("coloc", "5.2.3")
  for (sc in c("shared", "distinct")) {
    e <- coloc_fixture(sprintf("sim-%s-exposure.csv", sc))
    o <- coloc_fixture(sprintf("sim-%s-outcome.csv", sc))
    res <- mr_coloc(e, o)
    expect_coloc_equal(res, sprintf("sim_%s_abf", sc))
    expect_identical(res$top_snp, coloc_ref(sprintf("sim_%s_abf", sc))$top_snp)
  }
  expect_gt(res$PP.H3, 0.99)  # the distinct scenario (causal variants 5 and 45)
  shared <- mr_coloc(coloc_fixture("sim-shared-exposure.csv"), coloc_fixture("sim-shared-outcome.csv"))
  expect_gt(shared$PP.H4, 0.99)
  expect_identical(shared$top_snp, "rs100000020")  # the simulated causal variant
})

test_that("coloc.susie with LD from the panel or a matrix equals coloc", {
  skip_if_not_installed("coloc", "5.2.3")
  skip_if_not_installed("susieR")
  for (sc in c("shared", "distinct")) {
    e <- coloc_fixture(sprintf("sim-%s-exposure.csv", sc))
    o <- coloc_fixture(sprintf("sim-%s-outcome.csv", sc))
    res <- mr_coloc(e, o, method = "susie", bfile = example_panel())
    ref <- coloc_ref(sprintf("sim_%s_susie", sc))
    expect_coloc_equal(res[1, ], sprintf("sim_%s_susie", sc), tolerance = 1e-6)
    expect_identical(c(res$hit.exposure[1], res$hit.outcome[1]), c(ref$hit1, ref$hit2))
  }
  ld <- as.matrix(coloc_fixture("sim-ld.csv"))
  rownames(ld) <- colnames(ld)
  e <- coloc_fixture("sim-shared-exposure.csv")
  o <- coloc_fixture("sim-shared-outcome.csv")
  res <- mr_coloc(e, o, method = "susie", ld = ld)
  expect_coloc_equal(res[1, ], "sim_shared_susie", tolerance = 1e-6)
})

test_that("several regions give one row each; dropped variants are audited", {
  skip_if_not_installed("coloc", "5.2.3")
  e1 <- coloc_fixture("sim-shared-exposure.csv"); o1 <- coloc_fixture("sim-shared-outcome.csv")
  e2 <- coloc_fixture("sim-distinct-exposure.csv"); o2 <- coloc_fixture("sim-distinct-outcome.csv")
  e2$SNP <- o2$SNP <- paste0(e2$SNP, "b")
  e2$chr.exposure <- "2"; o2$chr.outcome <- "2"
  e <- rbind(e1, e2); o <- rbind(o1, o2)
  o$beta.outcome[3] <- NA
  regions <- data.frame(chr = c("1", "2"), start = 0, end = 1e9, name = c("shared locus", "distinct locus"))
  expect_message(res <- mr_coloc(e, o, region = regions), class = "mrkit_message_rows_dropped")
  expect_identical(res$region, c("shared locus", "distinct locus"))
  expect_identical(res$nsnps, c(49L, 50L))
  expect_gt(res$PP.H4[1], 0.99)
  expect_gt(res$PP.H3[2], 0.99)
  audit <- attr(res, "audit")
  expect_identical(audit$SNP, e1$SNP[3])
  # a region column works too
  h <- suppressMessages(harmonise_data(e, o))
  h$locus <- ifelse(grepl("b$", h$SNP), "B", "A")
  res2 <- suppressMessages(mr_coloc(h, region = "locus"))
  expect_equal(res2$PP.H4[res2$region == "A"], res$PP.H4[1], tolerance = 1e-12)
})

test_that("missing fields give classed errors naming the column", {
  skip_if_not_installed("coloc")
  e <- coloc_fixture("sim-shared-exposure.csv"); o <- coloc_fixture("sim-shared-outcome.csv")
  e2 <- e; e2$samplesize.exposure <- NULL
  expect_snapshot(error = TRUE, mr_coloc(e2, o))
  expect_error(mr_coloc(e2, o), class = "mrkit_error_missing_column")
  e3 <- e; e3$eaf.exposure <- NULL
  o3 <- o; o3$eaf.outcome <- NULL
  expect_snapshot(error = TRUE, mr_coloc(e3, o3))
  o4 <- o; o4$ncase.outcome <- NULL
  o4$samplesize.outcome <- NULL
  expect_error(mr_coloc(e, o4, type_outcome = "cc"), class = "mrkit_error_missing_column")
  expect_error(mr_coloc(e, o, method = "susie"), class = "mrkit_error_missing_argument")
  expect_error(mr_coloc(e, o, region = "gene"), class = "mrkit_error_missing_column")
  expect_error(mr_coloc(e, o, p12 = 2), class = "mrkit_error_parameter")
})

test_that("print shows one line per region", {
  skip_if_not_installed("coloc", "5.2.3")
  res <- mr_coloc(coloc_fixture("sim-shared-exposure.csv"), coloc_fixture("sim-shared-outcome.csv"))
  expect_snapshot(print(res))
})
