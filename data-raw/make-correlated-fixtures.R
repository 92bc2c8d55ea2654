# Reference outputs of MendelianRandomization's estimators with a correlation matrix, for
# tests/testthat/test-est-correlated.R. Run from the package root with
# MendelianRandomization (0.10.0) and mrkit installed:
#   Rscript data-raw/make-correlated-fixtures.R
# Writes tests/testthat/fixtures/correlated/{<dataset>.csv, <dataset>_ld.csv, reference.csv}.
# mrkit is used only to simulate data sets (simulate_cis_data(), simulate_ld_panel(),
# ld_matrix()); every reference number comes from MendelianRandomization, or for PCA-IVW
# from the published recipe (Burgess et al. 2017, Genet Epidemiol 41:714, appendix code
# as printed there, with |bx| as in mr_pcgmm) evaluated here with prcomp() and solve().
suppressMessages(library(MendelianRandomization))
out_dir <- file.path("tests", "testthat", "fixtures", "correlated")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

datasets <- list()
datasets$calcium <- list(snp = paste0("calcium_", seq_along(calcium)), bx = calcium, sx = calciumse,
                         by = fastgluc, sy = fastglucse, rho = calc.rho, nx = 6351, ny = 133010)

from_sim <- function(d) {
  list(snp = d$SNP, bx = d$beta.exposure, sx = d$se.exposure, by = d$beta.outcome, sy = d$se.outcome,
       rho = unname(attr(d, "ld")), nx = d$samplesize.exposure[1], ny = d$samplesize.outcome[1])
}
datasets$ar_10 <- from_sim(mrkit::simulate_cis_data(nsnp = 10, b = 0.2, r = 0.6, seed = 11))
datasets$ar_25_strong_ld <- from_sim(mrkit::simulate_cis_data(nsnp = 25, b = -0.3, r = 0.85, n_causal = 3, seed = 12))
datasets$weak <- from_sim(mrkit::simulate_cis_data(nsnp = 8, b = 0.5, r = 0.5, h2 = 0.002, seed = 13))
datasets$three_snps <- from_sim(mrkit::simulate_cis_data(nsnp = 3, b = 0.1, r = 0.4, seed = 14))
# Heterogeneous: a pleiotropic shift on two variants' outcome associations.
het <- mrkit::simulate_cis_data(nsnp = 12, b = 0.2, r = 0.5, n_causal = 2, seed = 15)
het$beta.outcome[c(3, 9)] <- het$beta.outcome[c(3, 9)] + c(0.04, -0.03)
datasets$heterogeneous <- from_sim(het)
# LD of one block of mrkit's simulated PLINK panel (signed r of the A1 alleles).
panel <- mrkit::simulate_ld_panel(1000, 60, block_size = 60, decay = 0.08, prefix = file.path(tempdir(), "fixture_panel"), seed = 3)
snps <- panel$variants$SNP[seq(1, 60, by = 4)]
ld_panel <- mrkit::ld_matrix(snps, panel$bfile, with_alleles = FALSE)
datasets$panel_block <- from_sim(mrkit::simulate_cis_data(nsnp = length(snps), b = 0.15, ld = ld_panel, n_causal = 2, h2 = 0.02, seed = 16))

ref <- list()
add <- function(dataset, fun, call, stat, value) {
  ref[[length(ref) + 1L]] <<- data.frame(dataset = dataset, fun = fun, call = call, stat = stat,
                                         value = as.numeric(value), stringsAsFactors = FALSE)
}
# The Burgess et al. (2017) PCA-IVW recipe, Phi weighted by |bx|.
pca_ivw_recipe <- function(bx, by, sy, rho, thres = 0.99, model = "fixed") {
  phi <- (abs(bx) / sy) %o% (abs(bx) / sy) * rho
  pc <- prcomp(phi, scale = FALSE)
  K <- which(cumsum(pc$sdev^2 / sum(pc$sdev^2)) > thres)[1]
  W <- pc$rotation[, 1:K, drop = FALSE]
  bx0 <- as.numeric(bx %*% W)
  by0 <- as.numeric(by %*% W)
  omega <- t(W) %*% (sy %o% sy * rho) %*% W
  est <- as.numeric(solve(t(bx0) %*% solve(omega) %*% bx0) * t(bx0) %*% solve(omega) %*% by0)
  se_fixed <- as.numeric(sqrt(solve(t(bx0) %*% solve(omega) %*% bx0)))
  res <- by0 - est * bx0
  q <- as.numeric(t(res) %*% solve(omega) %*% res)
  se_random <- se_fixed * max(1, sqrt(q / (K - 1)))
  c(estimate = est, se_fixed = se_fixed, se_random = se_random, Q = q, n_pc = K)
}

for (nm in names(datasets)) {
  d <- datasets[[nm]]
  utils::write.csv(data.frame(SNP = d$snp, bx = d$bx, sx = d$sx, by = d$by, sy = d$sy, nx = d$nx, ny = d$ny),
                   file.path(out_dir, paste0(nm, ".csv")), row.names = FALSE)
  ld <- d$rho
  dimnames(ld) <- list(d$snp, d$snp)
  utils::write.csv(ld, file.path(out_dir, paste0(nm, "_ld.csv")))
  inp <- mr_input(bx = d$bx, bxse = d$sx, by = d$by, byse = d$sy, correlation = d$rho)
  for (model in c("default", "random", "fixed")) for (dist in c("normal", "t-dist")) {
    m <- mr_ivw(inp, model = model, distribution = dist)
    call <- sprintf('mr_ivw(model = "%s", distribution = "%s")', model, dist)
    for (s in c("Estimate", "StdError", "CILower", "CIUpper", "Pvalue", "RSE", "Fstat")) add(nm, "mr_ivw", call, s, methods::slot(m, s))
    add(nm, "mr_ivw", call, "Q", m@Heter.Stat[1]); add(nm, "mr_ivw", call, "Q_pval", m@Heter.Stat[2])
  }
  if (length(d$bx) >= 3) for (dist in c("normal", "t-dist")) {
    m <- mr_egger(inp, distribution = dist)
    call <- sprintf('mr_egger(distribution = "%s")', dist)
    for (s in c("Estimate", "StdError.Est", "CILower.Est", "CIUpper.Est", "Pvalue.Est", "Intercept",
                "StdError.Int", "CILower.Int", "CIUpper.Int", "Pvalue.Int", "RSE")) add(nm, "mr_egger", call, s, methods::slot(m, s))
    add(nm, "mr_egger", call, "Q", m@Heter.Stat[1]); add(nm, "mr_egger", call, "Q_pval", m@Heter.Stat[2])
  }
  for (model in c("default", "random", "fixed")) for (meth in c("Nelder-Mead", "BFGS")) {
    m <- if (meth == "Nelder-Mead") mr_maxlik(inp, model = model) else mr_maxlik(inp, model = model, method = meth)
    call <- sprintf('mr_maxlik(model = "%s"%s)', model, if (meth == "BFGS") ', method = "BFGS"' else "")
    for (s in c("Estimate", "StdError", "Pvalue", "RSE")) add(nm, "mr_maxlik", call, s, methods::slot(m, s))
    add(nm, "mr_maxlik", call, "Q", m@Heter.Stat[1])
  }
  # MendelianRandomization's own correlated likelihood (loglikelihoodcorrel), minimised by
  # BFGS to convergence (tight tolerance, parameters scaled) with a Hessian from small steps:
  # the optimum that mr_maxlik()'s Nelder-Mead approaches.
  Tx <- solve(d$sx %o% d$sx * d$rho); Ty <- solve(d$sy %o% d$sy * d$rho)
  start <- c(d$bx, sum(d$bx * d$by / d$sy^2) / sum(d$bx^2 / d$sy^2))
  scale <- c(abs(d$bx) + d$sx, abs(start[length(start)]) + 0.1)
  opt <- optim(start, loglikelihoodcorrel, x = d$bx, Taux = Tx, y = d$by, Tauy = Ty, method = "BFGS",
               control = list(reltol = 1e-15, maxit = 1e5, parscale = scale, ndeps = rep(1e-4, length(start))))
  h <- optimHess(opt$par, loglikelihoodcorrel, x = d$bx, Taux = Tx, y = d$by, Tauy = Ty,
                 control = list(parscale = scale, ndeps = rep(1e-4, length(start))))
  call <- "optim(loglikelihoodcorrel, BFGS, reltol = 1e-15) + optimHess"
  add(nm, "mr_maxlik_converged", call, "Estimate", opt$par[length(start)])
  add(nm, "mr_maxlik_converged", call, "StdError", sqrt(solve(h)[length(start), length(start)]))
  add(nm, "mr_maxlik_converged", call, "Q", 2 * opt$value)
  if (length(d$bx) >= 3) for (robust in c(TRUE, FALSE)) {
    m <- tryCatch(suppressWarnings(mr_pcgmm(inp, nx = d$nx, ny = d$ny, robust = robust)), error = function(e) NULL)
    if (!is.null(m)) {
      call <- sprintf("mr_pcgmm(nx = %s, ny = %s, robust = %s)", d$nx, d$ny, robust)
      for (s in c("Estimate", "StdError", "Pvalue", "Fstat", "PCs")) add(nm, "mr_pcgmm", call, s, methods::slot(m, s))
      add(nm, "mr_pcgmm", call, "Q", m@Heter.Stat[1])
      if (robust) add(nm, "mr_pcgmm", call, "Overdispersion", m@Overdispersion)
    }
  }
  r <- pca_ivw_recipe(d$bx, d$by, d$sy, d$rho)
  for (s in names(r)) add(nm, "pca_ivw_recipe", "Burgess et al. 2017 recipe, thres = 0.99", s, r[[s]])
}
ref <- do.call(rbind, ref)
utils::write.csv(ref, file.path(out_dir, "reference.csv"), row.names = FALSE)
cat("wrote", nrow(ref), "reference values for", length(datasets), "data sets\n")
