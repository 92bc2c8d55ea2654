# Simulated cis-MR summary data: correlated variants of one gene region with a known LD
# matrix and a known causal effect.

#' Simulate summary data for a cis-MR analysis with correlated variants
#'
#' `nsnp` variants of one region with LD matrix `ld` (default: first-order autoregressive
#' correlation `r^|i - j|` with random allele orientations) and `n_causal` causal variants
#' for the exposure. Marginal SNP-exposure effects are `gamma = ld %*% alpha` (standardised
#' genotypes), scaled so that the region explains `h2` of the exposure variance; the
#' estimates are drawn with their true correlation, `b_exp ~ N(gamma, Sigma_x)` and
#' `b_out ~ N(b gamma, Sigma_y)` with `Sigma = ld / n`, so they are what GWAS of `nx` and
#' `ny` independent individuals would report.
#'
#' @param nsnp Number of variants.
#' @param b True causal effect.
#' @param ld Optional LD matrix (signed correlations of the effect alleles); overrides `r`.
#' @param r Correlation of neighbouring variants of the default LD matrix.
#' @param n_causal Number of causal variants for the exposure.
#' @param h2 Variance of the exposure explained by the region.
#' @param nx,ny GWAS sample sizes of exposure and outcome.
#' @param seed Optional seed; `NULL` uses the current state of R's generator.
#' @return A harmonised table (as [harmonise_data()] returns) of one exposure-outcome pair
#'   with the LD matrix, named by SNP, in `attr(, "ld")` and the truth in `attr(, "truth")`.
#' @export
#' @examples
#' d <- simulate_cis_data(nsnp = 10, b = 0.2, seed = 1)
#' mr_ivw_correlated(d, ld = attr(d, "ld"))$b
simulate_cis_data <- function(nsnp = 10, b = 0.2, ld = NULL, r = 0.6, n_causal = 2, h2 = 0.01,
                              nx = 20000, ny = 50000, seed = NULL) {
  count <- function(x, name) {
    if (!is.numeric(x) || length(x) != 1L || is.na(x) || x < 1 || x != round(x)) {
      abort_mrkit("parameter", "{.arg {name}} must be a whole number >= 1.", call = rlang::caller_env(2))
    }
    as.integer(x)
  }
  nsnp <- count(nsnp, "nsnp")
  n_causal <- min(count(n_causal, "n_causal"), nsnp)
  for (nm in c("h2", "nx", "ny")) {
    x <- get(nm)
    if (!is.numeric(x) || length(x) != 1L || is.na(x) || x <= 0 || (nm == "h2" && x >= 1)) {
      abort_mrkit("parameter", "{.arg {nm}} must be a positive number{if (nm == 'h2') ' below 1' else ''}.")
    }
  }
  local_seed(seed)
  if (is.null(ld)) {
    if (!is.numeric(r) || length(r) != 1L || is.na(r) || abs(r) >= 1) {
      abort_mrkit("parameter", "{.arg r} must be a number in (-1, 1).")
    }
    s <- sample(c(-1, 1), nsnp, replace = TRUE)
    ld <- r^abs(outer(seq_len(nsnp), seq_len(nsnp), "-")) * outer(s, s)
  } else {
    ld <- check_ld(ld, nsnp)
  }
  snp <- sprintf("rs%d", 900000000L + seq_len(nsnp))
  dimnames(ld) <- list(snp, snp)
  alpha <- numeric(nsnp)
  causal <- sort(sample.int(nsnp, n_causal))
  alpha[causal] <- stats::rnorm(n_causal, 1, 0.3) * sample(c(-1, 1), n_causal, replace = TRUE)
  alpha <- alpha * sqrt(h2 / drop(t(alpha) %*% ld %*% alpha))
  gamma <- unname(drop(ld %*% alpha))
  root <- t(chol(ld))
  bx <- gamma + drop(root %*% stats::rnorm(nsnp)) / sqrt(nx)
  by <- b * gamma + drop(root %*% stats::rnorm(nsnp)) / sqrt(ny)
  eaf <- stats::runif(nsnp, 0.05, 0.5)
  dat <- data.frame(id.exposure = "exp1", id.outcome = "out1", exposure = "Simulated exposure",
                    outcome = "Simulated outcome", SNP = snp, effect_allele.exposure = "A",
                    other_allele.exposure = "G", effect_allele.outcome = "A", other_allele.outcome = "G",
                    beta.exposure = bx, se.exposure = 1 / sqrt(nx), pval.exposure = 2 * stats::pnorm(-abs(bx) * sqrt(nx)),
                    eaf.exposure = eaf, samplesize.exposure = nx, beta.outcome = by, se.outcome = 1 / sqrt(ny),
                    pval.outcome = 2 * stats::pnorm(-abs(by) * sqrt(ny)), eaf.outcome = eaf,
                    samplesize.outcome = ny, chr.exposure = "1", pos.exposure = 1e6 + 1000 * seq_len(nsnp),
                    palindromic = FALSE, ambiguous = FALSE, remove = FALSE, action = 2L, mr_keep = TRUE,
                    stringsAsFactors = FALSE)
  attr(dat, "ld") <- ld
  attr(dat, "truth") <- list(b = b, gamma = gamma, alpha = alpha, causal = causal)
  dat
}

# set.seed(seed) for the rest of the calling function, restoring R's generator state on
# exit; nothing when seed is NULL.
local_seed <- function(seed, frame = parent.frame()) {
  if (is.null(seed)) return(invisible())
  if (exists(".Random.seed", envir = globalenv())) {
    old <- get(".Random.seed", envir = globalenv())
    do.call(on.exit, list(substitute(assign(".Random.seed", old, envir = globalenv()), list(old = old)), add = TRUE), envir = frame)
  } else {
    do.call(on.exit, list(quote(rm(".Random.seed", envir = globalenv())), add = TRUE), envir = frame)
  }
  set.seed(seed)
}
