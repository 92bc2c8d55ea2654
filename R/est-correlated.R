# Estimators for correlated instruments: IVW, MR-Egger and maximum likelihood with an LD
# matrix, PCA-IVW and PC-GMM (C++ kernels in inst/include/mrkit/correlated.hpp).

#' Estimators for correlated instruments (an LD matrix)
#'
#' IVW, MR-Egger and maximum likelihood for variants in linkage disequilibrium, as
#' 'MendelianRandomization''s `mr_ivw()`, `mr_egger()` and `mr_maxlik()` with a
#' correlation matrix (`correl = TRUE`), in 'TwoSampleMR''s vector signature plus `ld`.
#'
#' With `Omega = (se_out se_out^T) * ld` (elementwise), correlated IVW is the generalised
#' least-squares fit `b = (bx^T Omega^-1 bx)^-1 bx^T Omega^-1 by` with fixed-effect SE
#' `(bx^T Omega^-1 bx)^(-1/2)` and heterogeneity `Q = e^T Omega^-1 e` on `nsnp - 1` df
#' (Burgess, Dudbridge and Thompson 2016, Statistics in Medicine 35:1880-1906,
#' \doi{10.1002/sim.6835}). The random-effects SE multiplies it by `max(1, sqrt(Q / (nsnp -
#' 1)))`. `parameters$ivw_model` chooses: `"random"` (the default, for any number of
#' variants), `"fixed"`, or `"default"`, 'MendelianRandomization''s rule (fixed effects for
#' three or fewer variants). `mr_ivw_correlated()` also reports `fstat = z^T ld^-1 z / nsnp`
#' with `z = b_exp / se_exp`, the approximate first-stage F-statistic of the correlated
#' instruments that 'MendelianRandomization' reports (the Wald statistic of the joint
#' SNP-exposure associations divided by their number).
#'
#' Correlated MR-Egger orients the variants so that `b_exp >= 0` (flipping the rows and
#' columns of `ld` with them), fits `b_out` on `[1, b_exp]` by generalised least squares
#' and multiplies the standard errors by `max(1, sigma)`, `sigma = sqrt(Q / (nsnp - 2))`.
#' p-values follow `parameters$distribution` as for [mr_egger_regression()] (Student t on
#' `nsnp - 2` df by default; `"normal"` is 'MendelianRandomization''s default).
#'
#' Correlated maximum likelihood models `b_exp ~ N(gamma, Sigma_x)` and `b_out ~ N(theta
#' gamma, Sigma_y)` with `Sigma = (se se^T) * ld`. mrkit computes the exact maximum (the
#' nuisance `gamma` profiled out; see [mr_two_sample_ml()]) where 'MendelianRandomization'
#' runs Nelder-Mead on all `nsnp + 1` parameters, so the two agree to about 1e-6. Its SE
#' follows `parameters$ivw_model` as IVW does (random effects multiply the variance by
#' `max(1, Q / (nsnp - 1))`).
#'
#' @section The LD matrix:
#' `ld` holds the signed correlations between the effect alleles of the variants, in the
#' order of the variants, as [ld_matrix()] returns it with `alleles = dat`. When the data
#' are a harmonised table with `SNP` and `ld` has row names, rows are matched by name:
#' plain SNP ids, or `"SNP_A1_A2"` names (as [ld_matrix()] and 'TwoSampleMR''s
#' `ld_matrix()` write them), in which case every variant's sign is aligned to
#' `effect_allele.exposure` and a variant whose alleles do not match is an error. The
#' matrix must be symmetric with unit diagonal and positive definite; variants in perfect
#' LD make it singular (prune them at a lower r^2, see [cis_instruments()]).
#'
#' @inheritParams mr_ivw
#' @param ld Signed LD correlation matrix of the variants' effect alleles (see "The LD
#'   matrix").
#' @return A list as from [mr_ivw()]: `b`, `se`, `pval`, `nsnp`, `lo_ci`, `up_ci`,
#'   `pval_log10`, `df`, `Q`, `Q_df`, `Q_pval` (MR-Egger adds `b_i`, `se_i`, `pval_i`), and
#'   `rse`, the residual standard error `sqrt(Q / df)`.
#' @seealso [mr_pca_ivw()], [mr_pcgmm()], [ld_matrix()], [cis_instruments()], and [mr()]
#'   with `ld =` or `bfile =`.
#' @export
#' @examples
#' d <- simulate_cis_data(nsnp = 10, b = 0.2, seed = 1)
#' ld <- attr(d, "ld")
#' mr_ivw_correlated(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome, ld)$b
#' mr_egger_correlated(d, ld = ld)$b_i   # a harmonised table: ld matched by SNP
#' mr_ml_correlated(d, ld = ld)$b
#' # MendelianRandomization's conventions (model "default", normal p-values)
#' mr_ivw_correlated(d, ld = ld,
#'                   parameters = default_parameters(convention = "MendelianRandomization"))$se
mr_ivw_correlated <- function(b_exp, b_out, se_exp, se_out, ld, parameters = default_parameters()) {
  correlated_fit("ivw", b_exp, b_out, se_exp, se_out, ld, parameters)
}

#' @rdname mr_ivw_correlated
#' @export
mr_egger_correlated <- function(b_exp, b_out, se_exp, se_out, ld, parameters = default_parameters()) {
  correlated_fit("egger", b_exp, b_out, se_exp, se_out, ld, parameters)
}

#' @rdname mr_ivw_correlated
#' @export
mr_ml_correlated <- function(b_exp, b_out, se_exp, se_out, ld, parameters = default_parameters()) {
  correlated_fit("ml", b_exp, b_out, se_exp, se_out, ld, parameters)
}

#' Principal-component estimators for many correlated variants (PCA-IVW, PC-GMM)
#'
#' Both reduce the variants of a gene region to the principal components of the weighted
#' LD matrix `Phi = (|b_exp| / se_out)(|b_exp| / se_out)^T * ld` (elementwise; the
#' components of `prcomp(Phi, scale = FALSE)`), keeping the fewest components whose
#' cumulative share of the variance exceeds `thres` (or `n_pc` of them).
#'
#' `mr_pca_ivw()` (Burgess, Zuber, Valdes-Marquez, Sun and Hopewell 2017, Genetic
#' Epidemiology 41:714-725, \doi{10.1002/gepi.22077}) applies correlated IVW
#' ([mr_ivw_correlated()]) to the projected associations `W^T b_exp`, `W^T b_out` with
#' covariance `W^T Omega W`; `Q` has `n_pc - 1` df and `parameters$ivw_model` applies to
#' the number of components. The paper weights `Phi` by the signed `b_exp`; mrkit uses
#' `|b_exp|`, as 'MendelianRandomization''s `mr_pcgmm()` does, which is the same when every
#' `b_exp` is positive and keeps the components tied to the alleles otherwise.
#' Because `prcomp()` centres the columns of `Phi`, the components, and so both
#' estimates, change slightly when variants are coded on the other allele (IVW, MR-Egger
#' and ML with an LD matrix do not); mrkit follows the published methods in this.
#'
#' `mr_pcgmm()` is 'MendelianRandomization''s `mr_pcgmm()` (Patel et al. 2023,
#' \doi{10.1101/2023.07.20.23292958}): the limited-information maximum likelihood / GMM
#' estimate from the component-projected associations, with their covariances from the
#' sample sizes `nx` and `ny`, and with `robust = TRUE` an over-dispersion term
#' `kappa / ny` solved so that the heterogeneity statistic equals its degrees of freedom
#' (reported as `kappa`; a negative root means no over-dispersion and is used as 0). The
#' estimate is the global minimum of the GMM objective ('MendelianRandomization' searches
#' `[-100, 100]`). p-values are normal. It needs at least two components.
#'
#' @inheritParams mr_ivw_correlated
#' @param thres Share of the variance of `Phi` the components must explain (more than).
#' @param n_pc Number of components to use instead of `thres`.
#' @param nx,ny Sample sizes of the exposure and outcome GWAS. With a harmonised table
#'   they default to the median of `samplesize.exposure` and `samplesize.outcome`.
#' @param robust Allow over-dispersion heterogeneity (PC-GMM).
#' @return A list as from [mr_ivw_correlated()] with `n_pc` (components used); PCA-IVW
#'   adds `pc_share` (their share of the variance), PC-GMM `fstat` (the F-statistic of the
#'   components: `gamma_x^T Sigma_x^-1 gamma_x / n_pc`) and `kappa`.
#' @export
#' @examples
#' d <- simulate_cis_data(nsnp = 30, b = 0.2, r = 0.8, seed = 1)
#' mr_pca_ivw(d, ld = attr(d, "ld"))[c("b", "se", "n_pc")]
#' mr_pcgmm(d, ld = attr(d, "ld"))[c("b", "se", "n_pc", "kappa")]   # nx, ny from the table
mr_pca_ivw <- function(b_exp, b_out, se_exp, se_out, ld, parameters = default_parameters(),
                       thres = 0.99, n_pc = NULL) {
  correlated_fit("pca_ivw", b_exp, b_out, se_exp, se_out, ld, parameters,
                 options = list(thres = thres, n_pc = n_pc))
}

#' @rdname mr_pca_ivw
#' @export
mr_pcgmm <- function(b_exp, b_out, se_exp, se_out, ld, nx = NULL, ny = NULL,
                     parameters = default_parameters(), thres = 0.99, n_pc = NULL, robust = TRUE) {
  if (is.data.frame(b_exp)) {
    nx <- nx %||% median_samplesize(b_exp, "samplesize.exposure")
    ny <- ny %||% median_samplesize(b_exp, "samplesize.outcome")
  }
  correlated_fit("pcgmm", b_exp, b_out, se_exp, se_out, ld, parameters,
                 options = list(thres = thres, n_pc = n_pc, nx = nx, ny = ny, robust = robust,
                                need_n = TRUE))
}

median_samplesize <- function(dat, col) {
  if (!col %in% names(dat) || all(is.na(dat[[col]]))) return(NULL)
  stats::median(dat[[col]], na.rm = TRUE)
}

# The matrix-level layer: validated vectors and LD matrix in, one C++ kernel out.
correlated_fit <- function(method, b_exp, b_out, se_exp, se_out, ld, parameters,
                           options = list(), call = rlang::caller_env()) {
  v <- check_summary_vectors(b_exp, b_out, se_exp, se_out, call = call)
  parameters <- check_parameters(parameters, call = call)
  if (missing(ld) || is.null(ld)) {
    abort_mrkit("missing_argument", c("{.arg ld} is missing.",
                                      i = "Pass the signed LD matrix of the variants, e.g. from {.fn ld_matrix} with {.code alleles = dat}."),
                call = call)
  }
  al <- if (is.data.frame(b_exp)) table_alleles(b_exp) else NULL
  rho <- check_ld(ld, n = v$n, keep = v$keep, snp = v$snp, ea = al$ea, oa = al$oa, call = call)
  opts <- check_pc_options(options, call = call)
  res <- call_core(cpp_mr_correlated(method, v$bx, v$by, v$sx, v$sy, rho, parameters, opts),
                   what = paste0("the correlated estimator (", method, ")"), call = call)
  with_audit(res, v$audit)
}

# Effect / other alleles of the exposure in a harmonised table (NULL when absent).
table_alleles <- function(dat) {
  for (sfx in c(".exposure", "")) {
    cols <- paste0(c("effect_allele", "other_allele"), sfx)
    if (all(cols %in% names(dat))) {
      return(list(ea = as.character(dat[[cols[1]]]), oa = as.character(dat[[cols[2]]])))
    }
  }
  NULL
}

check_pc_options <- function(o, call = rlang::caller_env()) {
  thres <- o$thres %||% 0.99
  if (!is.numeric(thres) || length(thres) != 1L || is.na(thres) || thres <= 0 || thres >= 1) {
    abort_mrkit("parameter", "{.arg thres} must be a number in (0, 1).", call = call)
  }
  n_pc <- o$n_pc %||% 0
  if (!is.numeric(n_pc) || length(n_pc) != 1L || is.na(n_pc) || n_pc < 0 || n_pc != round(n_pc)) {
    abort_mrkit("parameter", "{.arg n_pc} must be NULL or a whole number >= 1.", call = call)
  }
  robust <- o$robust %||% TRUE
  if (!is.logical(robust) || length(robust) != 1L || is.na(robust)) {
    abort_mrkit("parameter", "{.arg robust} must be TRUE or FALSE.", call = call)
  }
  n <- c(nx = o$nx %||% NA_real_, ny = o$ny %||% NA_real_)
  if (isTRUE(o$need_n)) {
    for (nm in names(n)) {
      x <- n[[nm]]
      if (!is.numeric(x) || length(x) != 1L || is.na(x) || x <= 0) {
        abort_mrkit("parameter", c("{.arg {nm}} must be the sample size of the {if (nm == 'nx') 'exposure' else 'outcome'} GWAS (a positive number).",
                                   i = "With a harmonised table it defaults to the median of {.field {if (nm == 'nx') 'samplesize.exposure' else 'samplesize.outcome'}}."),
                    call = call)
      }
    }
  }
  list(thres = as.double(thres), n_pc = as.integer(n_pc), nx = as.double(n[["nx"]]),
       ny = as.double(n[["ny"]]), robust = robust)
}
