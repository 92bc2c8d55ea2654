# mr(dat, ld = ) and mr(dat, bfile = ). Reference values: MendelianRandomization 0.10.0 on
# its calcium example (fixtures/correlated).

calcium_table <- function() {
  d <- correlated_fixture("calcium")
  data.frame(id.exposure = "calcium", id.outcome = "fastgluc", exposure = "Calcium",
             outcome = "Fasting glucose", SNP = d$snp, effect_allele.exposure = "A",
             other_allele.exposure = "G", beta.exposure = d$bx, se.exposure = d$sx,
             beta.outcome = d$by, se.outcome = d$sy, samplesize.exposure = d$nx,
             samplesize.outcome = d$ny, mr_keep = TRUE, stringsAsFactors = FALSE)
}

test_that("mr(dat, ld = ) gives MendelianRandomization's correlated estimates", {
  dat <- calcium_table()
  ld <- correlated_fixture("calcium")$ld
  ref <- correlated_reference()
  val <- function(call, stat) ref$value[ref$dataset == "calcium" & ref$call == call & ref$stat == stat]
  res <- mr(dat, ld = ld, parameters = default_parameters(convention = "MendelianRandomization"),
            method_list = c("mr_ivw", "mr_egger_regression", "mr_two_sample_ml", "mr_pcgmm"))
  expect_equal(res$method, c("Inverse variance weighted (correlated)", "MR Egger (correlated)",
                             "Maximum likelihood (correlated)", "PC-GMM"))
  ivw <- 'mr_ivw(model = "default", distribution = "normal")'
  expect_equal(res$b[1], val(ivw, "Estimate"), tolerance = 1e-10)
  expect_equal(res$se[1], val(ivw, "StdError"), tolerance = 1e-10)
  expect_equal(res$lo_ci[1], val(ivw, "CILower"), tolerance = 1e-10)
  expect_equal(res$fstat_ld[1], val(ivw, "Fstat"), tolerance = 1e-10)
  eg <- 'mr_egger(distribution = "normal")'
  expect_equal(res$b[2], val(eg, "Estimate"), tolerance = 1e-10)
  expect_equal(res$se[2], val(eg, "StdError.Est"), tolerance = 1e-10)
  expect_equal(res$b[3], val('mr_maxlik(model = "default", method = "BFGS")', "Estimate"), tolerance = 1e-6)
  pc <- "mr_pcgmm(nx = 6351, ny = 133010, robust = TRUE)"
  expect_equal(res$b[4], val(pc, "Estimate"), tolerance = 1e-7)
  expect_equal(res$n_pc[4], 4)
})

test_that("mr(dat, bfile = ) computes and aligns the LD itself, and audits what it drops", {
  bfile <- example_panel()
  bim <- utils::read.table(paste0(bfile, ".bim"), col.names = c("chr", "SNP", "cm", "pos", "A1", "A2"))
  snps <- bim$SNP[seq(2, 40, by = 4)]
  truth <- ld_matrix(snps, bfile, with_alleles = FALSE)
  dat <- simulate_cis_data(nsnp = length(snps), b = 0.3, ld = truth, h2 = 0.05, seed = 8)
  a <- bim[match(snps, bim$SNP), ]
  flip <- rep(c(FALSE, TRUE), length.out = length(snps))
  dat$SNP <- snps
  dat$effect_allele.exposure <- ifelse(flip, a$A2, a$A1)
  dat$other_allele.exposure <- ifelse(flip, a$A1, a$A2)
  dat$beta.exposure <- ifelse(flip, -1, 1) * dat$beta.exposure
  dat$beta.outcome <- ifelse(flip, -1, 1) * dat$beta.outcome
  # effect allele frequencies as the panel has them (they decide palindromic strands)
  f_a1 <- colMeans(read_bed_dosages_r(bfile)[, snps], na.rm = TRUE) / 2
  dat$eaf.exposure <- ifelse(flip, 1 - f_a1, f_a1)
  s <- ifelse(flip, -1, 1)
  ref <- mr_ivw_correlated(dat$beta.exposure, dat$beta.outcome, dat$se.exposure, dat$se.outcome, truth * outer(s, s))
  extra <- dat[1, ]
  extra$SNP <- "rs_not_in_panel"
  dat2 <- rbind(dat, extra)
  expect_message(res <- mr(dat2, bfile = bfile, method_list = "mr_ivw"), class = "mrkit_message_rows_dropped")
  expect_equal(res$b, ref$b, tolerance = 1e-12)
  expect_equal(res$se, ref$se, tolerance = 1e-12)
  expect_equal(res$nsnp, length(snps))
  au <- attr(res, "audit")
  expect_equal(au$SNP, "rs_not_in_panel")
  expect_match(au$reason, "absent from the panel")
  # the same through ld_matrix(dat) and ld =
  expect_equal(mr(dat, ld = ld_matrix(dat, bfile), method_list = "mr_ivw")$b, ref$b, tolerance = 1e-12)
})

test_that("methods for independent instruments are left out; one variant gives the Wald ratio", {
  dat <- simulate_cis_data(nsnp = 6, seed = 9)
  ld <- attr(dat, "ld")
  expect_message(res <- mr(dat, ld = ld), NA, class = "mrkit_message_methods_skipped")
  expect_equal(res$method, c("Inverse variance weighted (correlated)", "MR Egger (correlated)",
                             "Maximum likelihood (correlated)", "PCA-IVW"))
  expect_message(res <- mr(dat, ld = ld, method_list = c("mr_weighted_median", "mr_ivw_fe")),
                 class = "mrkit_message_methods_skipped")
  expect_equal(res$method, "Inverse variance weighted (fixed effects, correlated)")
  expect_error(mr(dat, ld = ld, method_list = "mr_weighted_mode"), class = "mrkit_error_unknown_method")
  expect_error(mr(dat, ld = ld, bfile = example_panel()), class = "mrkit_error_input_type")
  expect_error(mr(dat, method_list = "mr_pca_ivw"), class = "mrkit_error_missing_argument")
  one <- mr(dat[1, ], ld = ld)
  expect_equal(one$method, "Wald ratio")
  expect_equal(one$b, dat$beta.outcome[1] / dat$beta.exposure[1])
  two <- rbind(dat, transform(dat, id.outcome = "out2"))
  expect_equal(nrow(mr(two, ld = ld, method_list = "mr_ivw")), 2L)
  unnamed <- unname(ld)
  expect_error(mr(two, ld = unnamed), class = "mrkit_error_ld_dims")
})
