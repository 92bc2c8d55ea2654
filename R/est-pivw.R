#' Penalised inverse-variance weighted estimator (pIVW)
#'
#' 'MendelianRandomization''s `mr_pivw()` (Xu et al. 2023, Biometrics 79:2184-2195, \doi{10.1111/biom.13732}): the debiased IVW
#' denominator is penalised by `lambda` to stabilise it with weak instruments, with optional
#' over-dispersion and a correction for instrument selection in an independent sample
#' (`delta > 0` with `sel.pval`). With `Boot.Fieller = TRUE` (default) the p-value and the
#' confidence set come from the bootstrap-Fieller null distribution of `nboot` parametric
#' replicates; the confidence set can be an interval, two rays or the whole line. The
#' replicates are drawn from a stream seeded from R's RNG or `parameters$seed` (one engine
#' per replicate), so `set.seed()` reproduces them for any number of threads;
#' 'MendelianRandomization' instead always uses `set.seed(1)`, so p-values agree within
#' Monte Carlo error only.
#'
#' @inheritParams mr_ivw
#' @param lambda Penalty (>= 0, default 1).
#' @param over.dispersion Include over-dispersion `tau2`; defaults to
#'   `parameters$over.dispersion` (`TRUE`).
#' @param delta Selection threshold on the z scale (>= 0, default 0 = no selection).
#' @param sel.pval P-values of the variants in the selection GWAS (needed when `delta > 0`).
#' @param Boot.Fieller Use the bootstrap-Fieller p-value and confidence set (default
#'   `TRUE`); otherwise normal ones.
#' @param alpha Significance level; defaults to `parameters$alpha`.
#' @param nboot Number of bootstrap-Fieller replicates (default 1000).
#' @param threads Threads for the replicates.
#' @return A list with `b`, `se`, `pval`, `nsnp` (variants used), `ci_lower`, `ci_upper`
#'   (vectors; two elements for a union of two rays), `tau2`, `condition`, `lambda`,
#'   `delta`, `nboot`, `seed` and `note`.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 40, b = 0.3, seed = 1)
#' set.seed(1)
#' mr_pivw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)[c("b", "se", "pval")]
mr_pivw <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters(),
                    lambda = 1, over.dispersion = NULL, delta = 0, sel.pval = NULL,
                    Boot.Fieller = TRUE, alpha = NULL, nboot = 1000,
                    threads = getOption("mrkit.threads", 1L)) {
  call <- rlang::current_env()
  v <- check_summary_vectors(b_exp, b_out, se_exp, se_out, call = call)
  parameters <- check_parameters(parameters, call = call)
  threads <- check_threads(threads, call = call)
  over.dispersion <- over.dispersion %||% parameters$over.dispersion
  alpha <- alpha %||% parameters$alpha
  num <- function(x, nm, lower, upper = Inf) {
    if (!is.numeric(x) || length(x) != 1L || !is.finite(x) || x < lower || x > upper) {
      abort_mrkit("parameter", "{.arg {nm}} must be a single number in [{lower}, {upper}].", call = call)
    }
    as.double(x)
  }
  flag <- function(x, nm) {
    if (!is.logical(x) || length(x) != 1L || is.na(x)) abort_mrkit("parameter", "{.arg {nm}} must be TRUE or FALSE.", call = call)
    x
  }
  lambda <- num(lambda, "lambda", 0)
  delta <- num(delta, "delta", 0)
  alpha <- num(alpha, "alpha", 1e-12, 1 - 1e-12)
  nboot <- num(nboot, "nboot", 1, 1e7)
  if (delta > 0) {
    if (is.null(sel.pval) || !is.numeric(sel.pval) || length(sel.pval) != length(b_exp) ||
        anyNA(sel.pval[v$keep]) || any(sel.pval[v$keep] <= 0 | sel.pval[v$keep] > 1)) {
      abort_mrkit("parameter", c("{.arg sel.pval} must give a p-value in (0, 1] for every variant when {.arg delta} > 0.",
                                 i = "It is the p-value of each variant in an independent selection GWAS."), call = call)
    }
    sel.pval <- as.double(sel.pval[v$keep])
  } else {
    sel.pval <- double()
  }
  opts <- list(lambda = lambda, over.dispersion = flag(over.dispersion, "over.dispersion"),
               delta = delta, sel.pval = sel.pval, Boot.Fieller = flag(Boot.Fieller, "Boot.Fieller"),
               alpha = alpha, nboot = as.integer(nboot))
  seed <- if (Boot.Fieller) draw_seed(parameters) else 0
  f <- call_core(cpp_pivw(v$bx, v$by, v$sx, v$sy, opts, seed, threads), what = "mr_pivw", call = call)
  c(f[c("b", "se", "pval", "nsnp", "ci_lower", "ci_upper", "tau2", "condition")],
    list(lambda = lambda, delta = delta, nboot = if (Boot.Fieller) as.integer(nboot) else NA_integer_,
         seed = if (Boot.Fieller) seed else NA_real_, note = f$note))
}
