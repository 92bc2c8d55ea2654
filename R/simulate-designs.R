# Simulated summary data for study designs: scans and two-step mediation MR.

#' Simulate summary data for a scan of many exposures against many outcomes
#'
#' Summary statistics of `n_exposures` exposures, each with `nsnp` independent instruments
#' of its own (plus `nsnp_null` variants without an effect on it), and `n_outcomes`
#' outcomes that hold every variant, with known causal effects. A fraction `flip_prop` of
#' outcome rows report the other allele as effect allele, so harmonisation has work to do.
#' The instruments are independent by construction: run [mr_scan()] on them with
#' `clump = FALSE`.
#'
#' @param n_exposures,n_outcomes Numbers of exposures and outcomes.
#' @param nsnp,nsnp_null Instruments and null variants per exposure.
#' @param b Causal effects, an `n_exposures` x `n_outcomes` matrix; default small random
#'   effects drawn from N(0, 0.05^2).
#' @param fstat Mean F-statistic of the instruments.
#' @param n_exposure,n_outcome GWAS sample sizes.
#' @param flip_prop Fraction of outcome rows with swapped alleles.
#' @param seed Seed for R's generator (its state is restored afterwards); `NULL` uses the
#'   current stream.
#' @return A list with `exposures` and `outcomes` (lists of tables in [format_data()]
#'   layout) and the effect matrix `b`.
#' @export
#' @examples
#' sim <- simulate_scan_data(n_exposures = 3, n_outcomes = 2, seed = 1)
#' res <- mr_scan(sim$exposures, sim$outcomes, method_list = "mr_ivw", clump = FALSE)
#' res[, c("exposure", "outcome", "b", "se")]
#' sim$b  # the true effects: exposures in rows, outcomes in columns
simulate_scan_data <- function(n_exposures = 5, n_outcomes = 2, nsnp = 20, nsnp_null = 10,
                                b = NULL, fstat = 40, n_exposure = 20000, n_outcome = 100000,
                                flip_prop = 0.2, seed = NULL) {
  if (!is.null(seed)) with_seed_restored(seed)
  if (is.null(b)) b <- matrix(stats::rnorm(n_exposures * n_outcomes, 0, 0.05), n_exposures, n_outcomes)
  J <- nsnp + nsnp_null
  N <- n_exposures * J
  exp_i <- rep(seq_len(n_exposures), each = J)
  snp <- sprintf("rs%d", 100000L + seq_len(N))
  eaf <- stats::runif(N, 0.05, 0.5)
  het <- 2 * eaf * (1 - eaf)
  sx <- 1 / sqrt(het * n_exposure)
  sy <- 1 / sqrt(het * n_outcome)
  is_inst <- rep(c(rep(TRUE, nsnp), rep(FALSE, nsnp_null)), n_exposures)
  gamma <- ifelse(is_inst, sample(c(-1, 1), N, TRUE) * sqrt(fstat * stats::rgamma(N, 4, 4)) * sx, 0)
  bx <- gamma + stats::rnorm(N, 0, sx)
  alleles <- rbind(c("A", "C"), c("A", "G"), c("T", "C"), c("T", "G"), c("C", "A"), c("G", "A"))
  pick <- alleles[sample.int(nrow(alleles), N, TRUE), , drop = FALSE]
  ids_e <- sprintf("exp%03d", seq_len(n_exposures))
  ids_o <- sprintf("out%d", seq_len(n_outcomes))
  exposures <- lapply(seq_len(n_exposures), function(i) {
    r <- exp_i == i
    data.frame(SNP = snp[r], beta.exposure = bx[r], se.exposure = sx[r],
               effect_allele.exposure = pick[r, 1], other_allele.exposure = pick[r, 2],
               eaf.exposure = eaf[r], pval.exposure = 2 * stats::pnorm(-abs(bx[r] / sx[r])),
               samplesize.exposure = n_exposure, id.exposure = ids_e[i],
               exposure = paste("Exposure", i), mr_keep.exposure = TRUE, stringsAsFactors = FALSE)
  })
  outcomes <- lapply(seq_len(n_outcomes), function(k) {
    by <- b[exp_i, k] * gamma + stats::rnorm(N, 0, sy)
    flip <- stats::runif(N) < flip_prop
    data.frame(SNP = snp, beta.outcome = ifelse(flip, -by, by), se.outcome = sy,
               effect_allele.outcome = ifelse(flip, pick[, 2], pick[, 1]),
               other_allele.outcome = ifelse(flip, pick[, 1], pick[, 2]),
               eaf.outcome = ifelse(flip, 1 - eaf, eaf), pval.outcome = 2 * stats::pnorm(-abs(by / sy)),
               samplesize.outcome = n_outcome, id.outcome = ids_o[k], outcome = paste("Outcome", k),
               mr_keep.outcome = TRUE, stringsAsFactors = FALSE)
  })
  names(exposures) <- ids_e
  names(outcomes) <- ids_o
  list(exposures = exposures, outcomes = outcomes, b = b)
}

#' Simulate summary data for two-step (mediation) MR
#'
#' Summary statistics for exposure X, mediator M and outcome Y with separate, independent
#' instrument sets for X and M: effect `a` of X on M, `b` of M on Y and a direct effect
#' `direct` of X on Y (total effect `direct + a * b`). Returns the inputs of
#' [mr_mediation()].
#'
#' @param nsnp_x,nsnp_m Instruments of the exposure and of the mediator.
#' @param a,b,direct Effects X -> M, M -> Y and X -> Y not through M.
#' @param n_x,n_m,n_y GWAS sample sizes.
#' @param fstat F-statistic of every instrument.
#' @param seed Seed for R's generator (its state is restored afterwards); `NULL` uses the
#'   current stream.
#' @param mediator_id,mediator Id and name of the mediator.
#' @return A list with the harmonised step tables `dat_xm`, `dat_my`, `dat_xy`, the
#'   multivariable data `mvdat` and the true effects.
#' @export
#' @examples
#' sim <- simulate_mediation_data(seed = 1)
#' mr_mediation(sim$dat_xm, sim$dat_my, sim$dat_xy, sim$mvdat)
simulate_mediation_data <- function(nsnp_x = 40, nsnp_m = 40, a = 0.3, b = 0.4, direct = 0.2,
                                    n_x = 50000, n_m = 50000, n_y = 50000, fstat = 60, seed = NULL,
                                    mediator_id = "med1", mediator = "Mediator") {
  if (!is.null(seed)) with_seed_restored(seed)
  J <- nsnp_x + nsnp_m
  eaf <- stats::runif(J, 0.1, 0.5)
  het <- 2 * eaf * (1 - eaf)
  se <- function(n) 1 / sqrt(het * n)
  sx <- se(n_x); sm <- se(n_m); sy <- se(n_y)
  gx <- c(sample(c(-1, 1), nsnp_x, TRUE) * sqrt(fstat) * sx[seq_len(nsnp_x)], rep(0, nsnp_m))
  gm_direct <- c(rep(0, nsnp_x), sample(c(-1, 1), nsnp_m, TRUE) * sqrt(fstat) * sm[nsnp_x + seq_len(nsnp_m)])
  true_m <- a * gx + gm_direct
  true_y <- direct * gx + b * true_m
  bx <- gx + stats::rnorm(J, 0, sx)
  bm <- true_m + stats::rnorm(J, 0, sm)
  by <- true_y + stats::rnorm(J, 0, sy)
  snp <- sprintf("rs%d", 5000L + seq_len(J))
  ix <- seq_len(nsnp_x); im <- nsnp_x + seq_len(nsnp_m)
  tab <- function(i, be, se_e, bo, se_o, ide, ne, ido, no) {
    data.frame(SNP = snp[i], beta.exposure = be[i], se.exposure = se_e[i], beta.outcome = bo[i],
               se.outcome = se_o[i], pval.exposure = 2 * stats::pnorm(-abs(be[i] / se_e[i])),
               pval.outcome = 2 * stats::pnorm(-abs(bo[i] / se_o[i])), id.exposure = ide,
               exposure = ne, id.outcome = ido, outcome = no, mr_keep = TRUE, stringsAsFactors = FALSE)
  }
  mv_i <- c(ix, im)
  mvdat <- list(exposure_beta = cbind(bx[mv_i], bm[mv_i]), exposure_se = cbind(sx[mv_i], sm[mv_i]),
                exposure_pval = 2 * stats::pnorm(-abs(cbind(bx[mv_i] / sx[mv_i], bm[mv_i] / sm[mv_i]))),
                outcome_beta = by[mv_i], outcome_se = sy[mv_i],
                outcome_pval = 2 * stats::pnorm(-abs(by[mv_i] / sy[mv_i])),
                expname = data.frame(id.exposure = c("x", mediator_id), exposure = c("Exposure", mediator)),
                outname = data.frame(id.outcome = "y", outcome = "Outcome"))
  colnames(mvdat$exposure_beta) <- colnames(mvdat$exposure_se) <- colnames(mvdat$exposure_pval) <- c("x", mediator_id)
  list(dat_xm = tab(ix, bx, sx, bm, sm, "x", "Exposure", mediator_id, mediator),
       dat_my = tab(im, bm, sm, by, sy, mediator_id, mediator, "y", "Outcome"),
       dat_xy = tab(ix, bx, sx, by, sy, "x", "Exposure", "y", "Outcome"),
       mvdat = mvdat, truth = list(a = a, b = b, direct = direct, indirect = a * b, total = direct + a * b))
}
