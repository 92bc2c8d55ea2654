#' Simulate two-sample MR summary statistics with a known causal effect
#'
#' Generates SNP-exposure and SNP-outcome associations for `nsnp` independent variants
#' from a model with a known causal effect `b`, optional pleiotropy and controllable
#' instrument strength, in 'TwoSampleMR''s harmonised format (or as separate exposure and
#' outcome tables for testing [harmonise_data()]).
#'
#' Per variant j with allele frequency `p_j ~ U(maf_range)`, the SNP-exposure effect is
#' `gamma_j = s_j * z_j * se_x_j` with `se_x_j = 1 / sqrt(2 p_j (1 - p_j) n_exposure)`,
#' random sign `s_j` and `z_j^2 ~ (fstat - 1) Gamma(4, 4)`, so the mean observed F-statistic
#' `(b_exp / se_exp)^2` is about `fstat`. The outcome effect is `b * gamma_j + alpha_j`: `alpha_j = 0` for valid
#' variants; for a fraction `prop_invalid` of variants it is drawn from
#' `N(0, pleiotropy_sd)` (`"balanced"`), `N(pleiotropy_mean, pleiotropy_sd)` on the exposure-increasing allele
#' (`"directional"`, InSIDE holds), or set to `+- outlier_size` times the outcome SE
#' (`"outliers"`). Observed effects add normal noise with the stated standard errors.
#'
#' @param nsnp Number of variants.
#' @param b True causal effect (per SD of exposure; log odds for a binary outcome).
#' @param n_exposure,n_outcome GWAS sample sizes.
#' @param fstat Mean F-statistic of the instruments (below 10 gives weak instruments).
#' @param pleiotropy `"none"`, `"balanced"`, `"directional"` or `"outliers"`.
#' @param prop_invalid Fraction of variants with pleiotropic effects.
#' @param pleiotropy_mean,pleiotropy_sd Mean and SD of pleiotropic effects, in units of
#'   the typical SNP-exposure effect.
#' @param outlier_size Size of outlier effects in outcome standard errors.
#' @param maf_range Range of effect-allele frequencies.
#' @param outcome_type `"continuous"` or `"binary"` (then `case_fraction` of the outcome
#'   sample are cases and effects are log odds ratios).
#' @param case_fraction Proportion of cases for a binary outcome.
#' @param output `"harmonised"` (one table, as from [harmonise_data()]) or `"separate"`
#'   (a list of `exposure` and `outcome` tables in [format_data()] layout).
#' @param flip_prop With `output = "separate"`, the fraction of outcome rows reported on
#'   the other allele (effect negated, frequency complemented).
#' @param palindromic_prop Fraction of variants given palindromic (A/T or C/G) alleles.
#' @param id_exposure,id_outcome,exposure,outcome Identifiers and names.
#' @param seed Optional seed; the global RNG state is restored afterwards.
#' @return A data frame (or list of two) with attribute `truth`: a list with `b`,
#'   per-variant `gamma` and `alpha`, and logical `invalid`.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 20, b = 0.5, seed = 1)
#' head(dat[, c("SNP", "beta.exposure", "beta.outcome")])
#' attr(dat, "truth")$b
simulate_mr_data <- function(nsnp = 50, b = 0.2, n_exposure = 100000, n_outcome = 100000,
                             fstat = 50, pleiotropy = c("none", "balanced", "directional", "outliers"),
                             prop_invalid = 0.2, pleiotropy_mean = 0.5, pleiotropy_sd = 0.5,
                             outlier_size = 10, maf_range = c(0.05, 0.5),
                             outcome_type = c("continuous", "binary"), case_fraction = 0.3,
                             output = c("harmonised", "separate"), flip_prop = 0,
                             palindromic_prop = 0, id_exposure = "exp1", id_outcome = "out1",
                             exposure = "Simulated exposure", outcome = "Simulated outcome",
                             seed = NULL) {
  pleiotropy <- match.arg(pleiotropy)
  outcome_type <- match.arg(outcome_type)
  output <- match.arg(output)
  if (!is.numeric(nsnp) || length(nsnp) != 1L || nsnp < 1) {
    abort_mrkit("parameter", "{.arg nsnp} must be a positive whole number.")
  }
  if (!is.numeric(fstat) || length(fstat) != 1L || fstat <= 1) {
    abort_mrkit("parameter", "{.arg fstat} must be a number above 1.")
  }
  if (!is.null(seed)) with_seed_restored(seed)
  J <- as.integer(nsnp)
  eaf <- stats::runif(J, maf_range[1], maf_range[2])
  het <- 2 * eaf * (1 - eaf)
  se_x <- 1 / sqrt(het * n_exposure)
  n_eff_y <- if (outcome_type == "binary") n_outcome * case_fraction * (1 - case_fraction) else n_outcome
  se_y <- 1 / sqrt(het * n_eff_y)
  z <- sqrt((fstat - 1) * stats::rgamma(J, shape = 4, rate = 4))
  gamma <- sample(c(-1, 1), J, replace = TRUE) * z * se_x
  alpha <- numeric(J)
  invalid <- rep(FALSE, J)
  n_invalid <- if (pleiotropy == "none") 0L else max(1L, round(prop_invalid * J))
  if (n_invalid > 0) {
    invalid[sample.int(J, n_invalid)] <- TRUE
    scale <- stats::median(abs(gamma))
    alpha[invalid] <- switch(pleiotropy,
      balanced = stats::rnorm(n_invalid, 0, pleiotropy_sd * scale),
      directional = sign(gamma[invalid]) *
        stats::rnorm(n_invalid, pleiotropy_mean * scale, pleiotropy_sd * scale),
      outliers = sample(c(-1, 1), n_invalid, replace = TRUE) * outlier_size * se_y[invalid])
  }
  bx <- gamma + stats::rnorm(J, 0, se_x)
  by <- b * gamma + alpha + stats::rnorm(J, 0, se_y)
  alleles <- simulate_alleles(J, palindromic_prop)
  snp <- sprintf("rs%d", 1000L + seq_len(J))
  chr <- as.integer(1L + (seq_len(J) - 1L) %% 22L)
  pos <- 1000L * ((seq_len(J) - 1L) %/% 22L + 1L)
  truth <- list(b = b, gamma = gamma, alpha = alpha, invalid = invalid)
  n_case <- if (outcome_type == "binary") round(n_outcome * case_fraction) else NA_real_
  exp_tab <- data.frame(SNP = snp, beta.exposure = bx, se.exposure = se_x,
                        effect_allele.exposure = alleles$ea, other_allele.exposure = alleles$oa,
                        eaf.exposure = eaf, pval.exposure = 2 * stats::pnorm(-abs(bx / se_x)),
                        samplesize.exposure = n_exposure, chr.exposure = chr, pos.exposure = pos,
                        units.exposure = "SD", exposure = exposure, id.exposure = id_exposure,
                        mr_keep.exposure = TRUE, pval_origin.exposure = "reported",
                        stringsAsFactors = FALSE)
  out_tab <- data.frame(SNP = snp, beta.outcome = by, se.outcome = se_y,
                        effect_allele.outcome = alleles$ea, other_allele.outcome = alleles$oa,
                        eaf.outcome = eaf, pval.outcome = 2 * stats::pnorm(-abs(by / se_y)),
                        samplesize.outcome = n_outcome, ncase.outcome = n_case,
                        ncontrol.outcome = n_outcome - n_case, chr.outcome = chr,
                        pos.outcome = pos,
                        units.outcome = if (outcome_type == "binary") "log odds" else "SD",
                        outcome = outcome, id.outcome = id_outcome, mr_keep.outcome = TRUE,
                        pval_origin.outcome = "reported", stringsAsFactors = FALSE)
  if (output == "separate") {
    flip <- stats::runif(J) < flip_prop
    out_tab$beta.outcome[flip] <- -out_tab$beta.outcome[flip]
    out_tab$eaf.outcome[flip] <- 1 - out_tab$eaf.outcome[flip]
    tmp <- out_tab$effect_allele.outcome[flip]
    out_tab$effect_allele.outcome[flip] <- out_tab$other_allele.outcome[flip]
    out_tab$other_allele.outcome[flip] <- tmp
    truth$flipped <- flip
    res <- list(exposure = exp_tab, outcome = out_tab)
    attr(res, "truth") <- truth
    return(res)
  }
  dat <- cbind(exp_tab[c("SNP", "effect_allele.exposure", "other_allele.exposure")],
               out_tab[c("effect_allele.outcome", "other_allele.outcome")],
               exp_tab["beta.exposure"], out_tab["beta.outcome"], exp_tab["eaf.exposure"],
               out_tab["eaf.outcome"], remove = FALSE, palindromic = alleles$palindromic,
               ambiguous = FALSE, out_tab["id.outcome"],
               out_tab[setdiff(names(out_tab), c("SNP", "effect_allele.outcome", "other_allele.outcome",
                                                 "beta.outcome", "eaf.outcome", "id.outcome"))],
               exp_tab[setdiff(names(exp_tab), c("SNP", "effect_allele.exposure", "other_allele.exposure",
                                                 "beta.exposure", "eaf.exposure"))],
               action = 2L, mr_keep = TRUE, stringsAsFactors = FALSE)
  attr(dat, "truth") <- truth
  dat
}

simulate_alleles <- function(J, palindromic_prop) {
  non_pal <- rbind(c("A", "C"), c("A", "G"), c("T", "C"), c("T", "G"),
                   c("C", "A"), c("G", "A"), c("C", "T"), c("G", "T"))
  pal <- rbind(c("A", "T"), c("T", "A"), c("C", "G"), c("G", "C"))
  is_pal <- stats::runif(J) < palindromic_prop
  pick <- non_pal[sample.int(nrow(non_pal), J, replace = TRUE), , drop = FALSE]
  if (any(is_pal)) pick[is_pal, ] <- pal[sample.int(nrow(pal), sum(is_pal), replace = TRUE), ]
  list(ea = pick[, 1], oa = pick[, 2], palindromic = is_pal)
}

# Set the seed for the rest of the calling function and restore the RNG state on exit.
with_seed_restored <- function(seed, envir = parent.frame()) {
  old <- if (exists(".Random.seed", envir = globalenv(), inherits = FALSE)) {
    get(".Random.seed", envir = globalenv(), inherits = FALSE)
  }
  do.call("on.exit", list(substitute(restore_rng(old), list(old = old)), add = TRUE), envir = envir)
  set.seed(seed)
}

restore_rng <- function(old) {
  if (is.null(old)) {
    if (exists(".Random.seed", envir = globalenv(), inherits = FALSE)) {
      rm(".Random.seed", envir = globalenv())
    }
  } else {
    assign(".Random.seed", old, envir = globalenv())
  }
}
