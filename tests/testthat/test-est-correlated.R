# Reference values: MendelianRandomization 0.10.0 on its calcium -> fasting glucose example
# and on six simulated correlated data sets (fixtures/correlated/README.md).

ref <- correlated_reference()
mr_params <- function(model = "default", dist = "normal") {
  default_parameters(ivw_model = model, distribution = dist)
}
call_model <- function(call) {
  m <- regmatches(call, regexpr('(?<=model = ")[a-z]+', call, perl = TRUE))
  if (length(m)) m else "default"
}
call_dist <- function(call) if (grepl("t-dist", call)) "t" else "normal"

test_that("correlated IVW equals mr_ivw(correl = TRUE) for every model and distribution", {
  for (nm in correlated_datasets) {
    d <- correlated_fixture(nm)
    r <- ref[ref$dataset == nm & ref$fun == "mr_ivw", ]
    for (cl in unique(r$call)) {
      res <- mr_ivw_correlated(d$bx, d$by, d$sx, d$sy, d$ld, mr_params(call_model(cl), call_dist(cl)))
      expect_lt(max(ref_diff(res, r[r$call == cl, ])), 1e-8, label = paste(nm, cl))
    }
  }
})

test_that("correlated MR-Egger equals mr_egger(correl = TRUE)", {
  for (nm in setdiff(correlated_datasets, character())) {
    d <- correlated_fixture(nm)
    r <- ref[ref$dataset == nm & ref$fun == "mr_egger", ]
    for (cl in unique(r$call)) {
      res <- mr_egger_correlated(d$bx, d$by, d$sx, d$sy, d$ld, mr_params(dist = call_dist(cl)))
      expect_lt(max(ref_diff(res, r[r$call == cl, ])), 1e-8, label = paste(nm, cl))
    }
  }
})

test_that("correlated ML is the optimum of mr_maxlik's likelihood", {
  for (nm in correlated_datasets) {
    d <- correlated_fixture(nm)
    conv <- ref[ref$dataset == nm & ref$fun == "mr_maxlik_converged", ]
    res <- mr_ml_correlated(d$bx, d$by, d$sx, d$sy, d$ld, mr_params("fixed"))
    # MR's own objective minimised to convergence: equal to 1e-6.
    expect_lt(max(ref_diff(res, conv)), 1e-6, label = nm)
    # mr_maxlik() itself with method = "BFGS": its numerical Hessian (steps 1e-3) limits
    # the SE to about 1e-5.
    for (model in c("default", "random", "fixed")) {
      r <- ref[ref$dataset == nm & ref$call == sprintf('mr_maxlik(model = "%s", method = "BFGS")', model), ]
      res <- mr_ml_correlated(d$bx, d$by, d$sx, d$sy, d$ld, mr_params(model))
      dd <- ref_diff(res, r)
      expect_lt(max(dd[c("Estimate", "Q")]), 1e-5, label = paste(nm, model))
      expect_lt(dd[["StdError"]], 1e-4, label = paste(nm, model))
    }
    # mr_maxlik()'s default Nelder-Mead stops early: mrkit's Q is never larger.
    nmq <- ref$value[ref$dataset == nm & ref$call == 'mr_maxlik(model = "default")' & ref$stat == "Q"]
    expect_lte(res$Q, nmq * (1 + 1e-12))
  }
  d <- correlated_fixture("calcium")
  r <- ref[ref$dataset == "calcium" & ref$call == 'mr_maxlik(model = "default")', ]
  res <- mr_ml_correlated(d$bx, d$by, d$sx, d$sy, d$ld, mr_params())
  expect_lt(max(ref_diff(res, r)[c("Estimate", "StdError")]), 2e-4)
})

test_that("PC-GMM equals mr_pcgmm", {
  for (nm in correlated_datasets) {
    d <- correlated_fixture(nm)
    for (robust in c(FALSE, TRUE)) {
      r <- ref[ref$dataset == nm & ref$fun == "mr_pcgmm" & grepl(paste0("robust = ", robust), ref$call), ]
      res <- mr_pcgmm(d$bx, d$by, d$sx, d$sy, d$ld, nx = d$nx, ny = d$ny, parameters = mr_params(), robust = robust)
      dd <- ref_diff(res, r)
      expect_equal(res$n_pc, r$value[r$stat == "PCs"])
      expect_lt(max(dd[c("Fstat", "PCs")]), 1e-10, label = nm)
      if (!robust) {
        # mr_pcgmm minimises with optimize(tol = 1.5e-8).
        expect_lt(max(dd), 1e-6, label = paste(nm, "non-robust"))
      } else {
        # Its over-dispersion root comes from uniroot(tol = 1.2e-4); mrkit solves it exactly.
        expect_lt(dd[["Overdispersion"]], 1e-3, label = nm)
        expect_lt(max(dd[c("Estimate", "StdError", "Q")]), 1e-4, label = paste(nm, "robust"))
      }
    }
  }
  calcium <- ref[ref$dataset == "calcium" & ref$fun == "mr_pcgmm" & ref$stat == "Estimate", "value"]
  expect_equal(calcium[1], 2.4762149, tolerance = 1e-7)
})

test_that("PCA-IVW follows the published recipe (Burgess et al. 2017)", {
  for (nm in correlated_datasets) {
    d <- correlated_fixture(nm)
    r <- ref[ref$dataset == nm & ref$fun == "pca_ivw_recipe", ]
    v <- stats::setNames(r$value, r$stat)
    fe <- mr_pca_ivw(d$bx, d$by, d$sx, d$sy, d$ld, mr_params("fixed"))
    re <- mr_pca_ivw(d$bx, d$by, d$sx, d$sy, d$ld, mr_params("random"))
    expect_equal(fe$n_pc, v[["n_pc"]])
    expect_equal(c(fe$b, fe$se, re$se, fe$Q), unname(v[c("estimate", "se_fixed", "se_random", "Q")]),
                 tolerance = 1e-10, label = nm)
  }
  d <- correlated_fixture("ar_25_strong_ld")
  all <- mr_pca_ivw(d$bx, d$by, d$sx, d$sy, d$ld, n_pc = 25, parameters = mr_params("random"))
  gls <- mr_ivw_correlated(d$bx, d$by, d$sx, d$sy, d$ld, mr_params("random"))
  # with every component kept, PCA-IVW is correlated IVW (an invertible transform)
  expect_equal(all$b, gls$b, tolerance = 1e-10)
  expect_equal(all$se, gls$se, tolerance = 1e-10)
})

test_that("IVW, MR-Egger and ML do not depend on the allele coding", {
  # (PCA-IVW and PC-GMM do, slightly: prcomp() centres the columns of Phi; see ?mr_pca_ivw)
  d <- correlated_fixture("heterogeneous")
  s <- rep(c(1, -1), length.out = length(d$bx))
  ld2 <- d$ld * outer(s, s)
  for (f in list(mr_ivw_correlated, mr_egger_correlated, mr_ml_correlated)) {
    a <- f(d$bx, d$by, d$sx, d$sy, d$ld)
    b <- f(d$bx * s, d$by * s, d$sx, d$sy, ld2)
    expect_equal(b$b, a$b, tolerance = 1e-9)
    expect_equal(b$se, a$se, tolerance = 1e-9)
  }
})

test_that("with an identity LD matrix the estimators are the uncorrelated ones", {
  dat <- simulate_mr_data(nsnp = 15, b = 0.3, pleiotropy = "balanced", seed = 3)
  I <- diag(15)
  v <- list(dat$beta.exposure, dat$beta.outcome, dat$se.exposure, dat$se.outcome)
  ivw <- do.call(mr_ivw, v)
  expect_equal(do.call(mr_ivw_correlated, c(v, list(I)))[c("b", "se", "Q")], ivw[c("b", "se", "Q")], tolerance = 1e-10)
  eg <- do.call(mr_egger_regression, v)
  expect_equal(do.call(mr_egger_correlated, c(v, list(I)))[c("b", "se", "b_i", "se_i", "pval", "Q")],
               eg[c("b", "se", "b_i", "se_i", "pval", "Q")], tolerance = 1e-9)
  ml <- do.call(mr_two_sample_ml, v)
  expect_equal(do.call(mr_ml_correlated, c(v, list(I, default_parameters(ivw_model = "fixed"))))[c("b", "se", "Q")],
               ml[c("b", "se", "Q")], tolerance = 1e-9)
})

test_that("a harmonised table is matched to the LD matrix by SNP and allele", {
  d <- simulate_cis_data(nsnp = 8, b = 0.2, seed = 4)
  ld <- attr(d, "ld")
  vec <- mr_ivw_correlated(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, ld)
  # rows in another order, names "SNP_A1_A2" with two variants coded on the other allele
  s <- c(1, -1, 1, 1, -1, 1, 1, 1)
  ld2 <- ld * outer(s, s)
  a1 <- ifelse(s > 0, "A", "G"); a2 <- ifelse(s > 0, "G", "A")
  dimnames(ld2) <- rep(list(paste(d$SNP, a1, a2, sep = "_")), 2)
  o <- c(8, 3, 1, 5, 2, 7, 4, 6)
  tab <- mr_ivw_correlated(d, ld = ld2[o, o])
  expect_equal(tab$b, vec$b, tolerance = 1e-12)
  expect_equal(tab$se, vec$se, tolerance = 1e-12)
  # a dropped row (mr_keep FALSE) leaves its row of ld out, with an audit
  d$mr_keep[3] <- FALSE
  expect_message(res <- mr_ivw_correlated(d, ld = ld), class = "mrkit_message_rows_dropped")
  sub <- mr_ivw_correlated(d$beta.exposure[-3], d$beta.outcome[-3], d$se.exposure[-3], d$se.outcome[-3], ld[-3, -3])
  expect_equal(res$b, sub$b)
  expect_equal(attr(res, "audit")$SNP, d$SNP[3])
})

test_that("bad LD matrices give classed errors", {
  d <- simulate_cis_data(nsnp = 5, seed = 5)
  ld <- attr(d, "ld")
  v <- list(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)
  expect_error(do.call(mr_ivw_correlated, c(v, list(ld[1:4, 1:4]))), class = "mrkit_error_ld_dims")
  expect_error(do.call(mr_ivw_correlated, c(v, list(ld[, 1:4]))), class = "mrkit_error_ld_dims")
  expect_error(do.call(mr_ivw_correlated, c(v, list(ld^2 + diag(5)))), class = "mrkit_error_ld_values")
  bad <- ld; bad[1, 2] <- bad[1, 2] + 0.1
  expect_error(do.call(mr_ivw_correlated, c(v, list(bad))), class = "mrkit_error_ld_values")
  bad <- ld; bad[2, 3] <- bad[3, 2] <- NA
  expect_error(do.call(mr_ivw_correlated, c(v, list(bad))), class = "mrkit_error_ld_values")
  dup <- ld; dup[1, 2] <- dup[2, 1] <- 1
  expect_snapshot(do.call(mr_ivw_correlated, c(v, list(dup))), error = TRUE)
  expect_error(do.call(mr_ivw_correlated, v), class = "mrkit_error_missing_argument")
  named <- ld; dimnames(named) <- rep(list(paste0(d$SNP, "_A_C")), 2)
  expect_snapshot(mr_ivw_correlated(d, ld = named), error = TRUE)
  other <- ld; dimnames(other) <- rep(list(paste0("rs", 1:5)), 2)
  expect_error(mr_ivw_correlated(d, ld = other), class = "mrkit_error_ld_snps")
  expect_error(mr_pcgmm(v[[1]], v[[2]], v[[3]], v[[4]], ld), class = "mrkit_error_parameter")
  expect_error(mr_pca_ivw(d, ld = ld, thres = 1.5), class = "mrkit_error_parameter")
})

test_that("too few variants or components give NA with a note", {
  d <- simulate_cis_data(nsnp = 2, seed = 6)
  ld <- attr(d, "ld")
  eg <- mr_egger_correlated(d, ld = ld)
  expect_true(is.na(eg$b))
  expect_match(eg$note, "at least 3")
  one <- mr_ivw_correlated(d$beta.exposure[1], d$beta.outcome[1], d$se.exposure[1], d$se.outcome[1], matrix(1))
  expect_true(is.na(one$b))
  d3 <- simulate_cis_data(nsnp = 4, r = 0.95, seed = 7)
  pc <- mr_pcgmm(d3, ld = attr(d3, "ld"), n_pc = 1)
  expect_match(pc$note, "2 principal components")
})
