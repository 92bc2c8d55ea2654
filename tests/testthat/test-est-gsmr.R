# GSMR against gsmr2 1.1.1's recorded outputs (fixtures/gsmr/README.md).

gsmr_fixture <- function(name) {
  utils::read.csv(test_path("fixtures", "gsmr", name), stringsAsFactors = FALSE)
}

ldl_cad <- function() {
  d <- read_shared("data", "gsmr_ldl_cad", "gsmr_data.csv")
  ld <- as.matrix(utils::read.csv(gzfile(shared_file("data", "gsmr_ldl_cad", "ld_matrix.csv.gz")),
                                  check.names = FALSE))
  dimnames(ld) <- list(colnames(ld), colnames(ld))
  list(d = d, ld = ld)
}

sim_gsmr <- function() {
  d <- gsmr_fixture("sim-input.csv")
  ld <- as.matrix(gsmr_fixture("sim-ld.csv"))
  list(d = d, ld = unname(ld))
}

expect_gsmr_equal <- function(fit, id, d) {
  ref <- gsmr_fixture("gsmr2-1.1.1-results.csv")
  ref <- ref[ref$id == id, ]
  st <- gsmr_fixture("gsmr2-1.1.1-snps.csv")
  st <- st[st$id == id, ]
  expect_equal(fit$b, ref$bxy, tolerance = 1e-10)
  expect_equal(fit$se, ref$bxy_se, tolerance = 1e-10)
  expect_equal(fit$pval, ref$bxy_pval, tolerance = 1e-8)
  expect_identical(fit$nsnp, as.integer(ref$nsnp))
  expect_identical(fit$snps$status, st$status)
}

# Vectors with the named LD matrix (names are ignored for vectors: same order).
run_ldl <- function(...) {
  x <- ldl_cad()
  suppressMessages(mr_gsmr(x$d$bzx, x$d$bzy, x$d$bzx_se, x$d$bzy_se, ld = x$ld, n_ref = 7703,
                           pval_exp = x$d$bzx_pval, ...))
}

test_that("single-SNP HEIDI equals gsmr2 on LDL-c -> CAD (both reference-instrument rules)", {
  skip_if_no_shared()
  expect_gsmr_equal(run_ldl(top_snp = "gsmr2"), "ldl_default")
  fit <- run_ldl()
  expect_gsmr_equal(fit, "ldl_top_by_z")
  # The reference instrument is the strongest one of the third quintile: HEIDI p = 1.
  expect_identical(fit$top_snp, "variant_169")
  expect_identical(fit$snps$heidi_pval[169], 1)
  expect_gsmr_equal(run_ldl(ld_r2_thresh = 0.1), "ldl_r2_0.1_top_by_z")
})

test_that("GSMR without HEIDI and with global HEIDI equals gsmr2", {
  skip_if_no_shared()
  expect_gsmr_equal(run_ldl(heidi = "none"), "ldl_no_heidi")
  fit <- run_ldl(heidi = "global", threads = 2)
  expect_gsmr_equal(fit, "ldl_global")
  ref <- gsmr_fixture("gsmr2-1.1.1-results.csv")
  order <- strsplit(ref$pleio_order[ref$id == "ldl_global"], ";")[[1]]
  x <- ldl_cad()
  removed <- fit$snps[!is.na(fit$snps$removal_step), ]
  expect_identical(x$d$SNP[match(removed$SNP[order(removed$removal_step)], fit$snps$SNP)], order)
  # the final pass's multi-SNP HEIDI p-values (saddlepoint tails)
  hp <- gsmr_fixture("gsmr2-1.1.1-global-heidi-pvalues.csv")
  used <- fit$snps$status == "used"
  expect_identical(x$d$SNP[used], hp$SNP)
  expect_equal(fit$snps$heidi_pval[used], hp$multi_snp_het_pval, tolerance = 1e-6)
})

test_that("GSMR equals gsmr2 on a simulation with LD blocks, weak instruments and outliers", {
  s <- sim_gsmr()
  f <- function(...) {
    suppressMessages(mr_gsmr(s$d$bzx, s$d$bzy, s$d$bzx_se, s$d$bzy_se, ld = s$ld, n_ref = 5000,
                             pval_exp = s$d$bzx_pval, ...))
  }
  fit <- f()
  expect_gsmr_equal(fit, "sim_top_by_z")
  # four of the five simulated pleiotropic instruments (9, 23, 31, 44, 52) are flagged
  expect_identical(which(fit$snps$status == "heidi_outlier"), c(23L, 31L, 44L, 52L))
  expect_gsmr_equal(f(heidi = "global"), "sim_global")
  expect_gsmr_equal(f(heidi = "none", gwas_thresh = 1e-5, ld_r2_thresh = 0.2), "sim_no_heidi_p1e-5")
  expect_lt(abs(fit$b - 0.25), 3 * fit$se)
})

test_that("the saddlepoint tail equals survey::pchisqsum", {
  ref <- gsmr_fixture("survey-4.1.1-pchisqsum.csv")
  got <- mapply(function(x, lam) cpp_pchisqsum_saddle(x, as.numeric(strsplit(lam, ";")[[1]])),
                ref$x, ref$lambda)
  expect_equal(got, ref$p, tolerance = 1e-6)
  # one lambda: exactly chi-squared(1) far from the mean
  expect_equal(cpp_pchisqsum_saddle(9, 1), stats::pchisq(9, 1, lower.tail = FALSE), tolerance = 0.05)
})

test_that("a harmonised table with LD from the PLINK panel gives the same result", {
  skip_if_no_shared()
  x <- ldl_cad()
  dat <- data.frame(SNP = x$d$SNP, effect_allele.exposure = x$d$a1, other_allele.exposure = x$d$a2,
                    beta.exposure = x$d$bzx, se.exposure = x$d$bzx_se, pval.exposure = x$d$bzx_pval,
                    beta.outcome = x$d$bzy, se.outcome = x$d$bzy_se, id.exposure = "ldl", id.outcome = "cad")
  expect_message(fit <- mr_gsmr(dat, bfile = shared_file("data", "gsmr_ldl_cad", "gsmr_example")),
                 class = "mrkit_message_rows_dropped")
  expect_gsmr_equal(fit, "ldl_top_by_z")
  expect_identical(fit$top_snp, "rs2075650")
  audit <- attr(fit, "audit")
  expect_identical(audit$SNP[audit$reason == "HEIDI outlier"],
                   fit$snps$SNP[fit$snps$status == "heidi_outlier"])
  expect_identical(unique(audit$id.exposure), "ldl")
  # the named LD matrix, with rows in another order, gives the same answer
  perm <- rev(seq_len(nrow(x$ld)))
  fit2 <- suppressMessages(mr_gsmr(dat, ld = x$ld[perm, perm], n_ref = 7703))
  expect_equal(fit2$b, fit$b, tolerance = 1e-12)
  # names with alleles: a variant named with swapped alleles changes sign
  ld2 <- x$ld
  nm <- paste(x$d$SNP, x$d$a1, x$d$a2, sep = "_")
  nm[1] <- paste(x$d$SNP[1], x$d$a2[1], x$d$a1[1], sep = "_")
  ld2[1, -1] <- -ld2[1, -1]; ld2[-1, 1] <- -ld2[-1, 1]
  dimnames(ld2) <- list(nm, nm)
  fit3 <- suppressMessages(mr_gsmr(dat, ld = ld2, n_ref = 7703))
  expect_equal(fit3$b, fit$b, tolerance = 1e-12)
})

test_that("variants missing from the LD matrix or with missing data are audited", {
  s <- sim_gsmr()
  dat <- data.frame(SNP = s$d$SNP, beta.exposure = s$d$bzx, se.exposure = s$d$bzx_se,
                    beta.outcome = s$d$bzy, se.outcome = s$d$bzy_se)
  dat$beta.outcome[2] <- NA
  ld <- s$ld
  dimnames(ld) <- list(s$d$SNP, s$d$SNP)
  expect_message(fit <- mr_gsmr(dat, ld = ld[-3, -3], n_ref = 5000), "left out")
  expect_identical(fit$snps$status[2:3], c("excluded", "not_in_ld"))
  audit <- attr(fit, "audit")
  expect_identical(audit$reason[audit$row %in% 2:3],
                   c("missing effect or standard error", "not in the LD matrix"))
})

test_that("bad input gives classed errors", {
  s <- sim_gsmr()
  v <- list(s$d$bzx, s$d$bzy, s$d$bzx_se, s$d$bzy_se)
  expect_error(mr_gsmr(v[[1]], v[[2]], v[[3]], v[[4]], n_ref = 5000), class = "mrkit_error_missing_argument")
  expect_error(mr_gsmr(v[[1]], v[[2]], v[[3]], v[[4]], ld = s$ld), class = "mrkit_error_missing_argument")
  expect_error(mr_gsmr(v[[1]], v[[2]], v[[3]], v[[4]], ld = s$ld^2 + 0.1, n_ref = 5000),
               class = "mrkit_error_ld_matrix")
  expect_error(mr_gsmr(v[[1]], v[[2]], v[[3]], v[[4]], ld = s$ld[-1, -1], n_ref = 5000),
               class = "mrkit_error_ld_matrix")
  expect_error(mr_gsmr(v[[1]], v[[2]], v[[3]], v[[4]], ld = s$ld, n_ref = 5000, gwas_thresh = 2),
               class = "mrkit_error_parameter")
  expect_snapshot(error = TRUE, {
    mr_gsmr(v[[1]][1:12], v[[2]][1:12], v[[3]][1:12], v[[4]][1:12], ld = s$ld[1:12, 1:12], n_ref = 5000)
  })
  expect_error(mr_gsmr(v[[1]][1:12], v[[2]][1:12], v[[3]][1:12], v[[4]][1:12], ld = s$ld[1:12, 1:12],
                       n_ref = 5000), class = "mrkit_error_too_few_snps")
})

test_that("print and as.data.frame", {
  s <- sim_gsmr()
  fit <- suppressMessages(mr_gsmr(s$d$bzx, s$d$bzy, s$d$bzx_se, s$d$bzy_se, ld = s$ld, n_ref = 5000))
  expect_snapshot(print(fit))
  df <- as.data.frame(fit)
  expect_identical(df$n_heidi_outliers, 4L)
  expect_identical(df$nsnp, 51L)
})
