#' Radial IVW and radial MR-Egger
#'
#' Radial MR ('RadialMR''s definitions; Bowden et al. 2018, International Journal of Epidemiology 47:1264-1278, \doi{10.1093/ije/dyy101}): the ratio
#' estimate of each variant times the square root of its weight, `r_j sqrt(W_j)`, is
#' regressed on `sqrt(W_j)` through the origin (IVW) or with an intercept (MR-Egger).
#' `weights` selects first-order weights `b_exp^2 / se_out^2`, second-order (delta-method)
#' weights, or modified second-order weights `b_exp^2 / (se_out^2 + theta^2 se_exp^2)` with
#' `theta` the first-order slope (default, as 'TwoSampleMR''s `mr_ivw_radial`).
#' `mr_radial_ivw()` reports every weighting at once: first order, second order, modified
#' second order, the iterative estimate (second-order reweighting until the slope changes
#' by less than `tol`), and exact weights with fixed effects (the `theta` minimising
#' `sum((r_j - theta)^2 / (se_out^2 / b_exp^2 + theta^2 se_exp^2 / b_exp^2))` on (-2, 2),
#' SE `sum(W)^(-1/2)`) and random effects (the outcome variances scaled by `phi` so that
#' Q = nsnp - 1; SE from `parameters$nboot` nonparametric bootstrap replicates drawn from
#' a seeded stream). p-values are Student t on `nsnp - 1` (IVW) or `nsnp - 2` (Egger)
#' degrees of freedom as in 'RadialMR'. The per-variant contributions
#' `Qj = W_j (r_j - fitted_j)^2` to Cochran's Q (Rucker's Q' for Egger) use the chosen
#' weights; a variant is an outlier when `P(chi^2_1 > Qj) < alpha`.
#'
#' @inheritParams mr_ivw
#' @param weights `"modified"` (modified second order, 'RadialMR' `weights = 3`), `"first"`
#'   (1) or `"second"` (2); the numbers 1, 2, 3 are accepted too.
#' @param alpha Significance level of the outlier flags (default 0.05).
#' @param tol Convergence tolerance of the iterative estimate (default 1e-5).
#' @param snps Optional variant names for the per-variant table.
#' @return An object of class `mrkit_radial`: a list with `model` (`"ivw"` or `"egger"`),
#'   `weights`, `coefficients` (a data frame with `term`, `estimate`, `se`, `statistic`,
#'   `pval`), `Q` (a one-row data frame with `Q`, `Q_df`, `Q_pval`), `snps` (a data frame with
#'   `SNP`, `W`, `Wj = sqrt(W)`, `BetaWj = r sqrt(W)`, `Qj`, `Qj_pval`, `outlier`), `mean_f`
#'   (mean of `(b_exp / se_exp)^2`), and for IVW `phi` and `iterations`. Too few variants
#'   (IVW 2, Egger 3) or a zero `b_exp` give empty tables and a `note`.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "outliers", seed = 1)
#' fit <- mr_radial_ivw(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome,
#'                      snps = d$SNP)
#' fit
#' subset(fit$snps, outlier)
#' mr_radial_egger(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)$coefficients
mr_radial_ivw <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters(),
                          weights = "modified", alpha = 0.05, tol = 1e-5, snps = NULL) {
  radial_fit("ivw", b_exp, b_out, se_exp, se_out, parameters, weights, alpha, tol, snps,
             call = rlang::current_env())
}

#' @rdname mr_radial_ivw
#' @export
mr_radial_egger <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters(),
                            weights = "modified", alpha = 0.05, snps = NULL) {
  radial_fit("egger", b_exp, b_out, se_exp, se_out, parameters, weights, alpha, 1e-5, snps,
             call = rlang::current_env())
}

radial_weight_code <- function(weights, call) {
  codes <- c(first = 1L, second = 2L, modified = 3L)
  if (is.numeric(weights) && length(weights) == 1L && weights %in% 1:3) return(as.integer(weights))
  if (is.character(weights) && length(weights) == 1L && weights %in% names(codes)) return(codes[[weights]])
  abort_mrkit("parameter", "{.arg weights} must be one of {.val {names(codes)}} (or 1, 2, 3).", call = call)
}

radial_fit <- function(model, b_exp, b_out, se_exp, se_out, parameters, weights, alpha, tol,
                       snps, call) {
  v <- check_summary_vectors(b_exp, b_out, se_exp, se_out, call = call)
  parameters <- check_parameters(parameters, call = call)
  code <- radial_weight_code(weights, call)
  if (!is.numeric(alpha) || length(alpha) != 1L || !(alpha > 0 && alpha < 1)) {
    abort_mrkit("parameter", "{.arg alpha} must be a single number in (0, 1).", call = call)
  }
  if (!is.numeric(tol) || length(tol) != 1L || !(tol > 0)) {
    abort_mrkit("parameter", "{.arg tol} must be a single positive number.", call = call)
  }
  if (is.null(snps)) snps <- if (is.null(v$snp)) seq_len(v$n) else v$snp
  if (length(snps) != v$n) {
    abort_mrkit("input_length", "{.arg snps} must have one name per variant.", call = call)
  }
  snps <- as.character(snps)[v$keep]
  seed <- if (model == "ivw") draw_seed(parameters) else 0
  opts <- list(alpha = alpha, tol = tol, nboot = if (model == "ivw") parameters$nboot else 0L)
  f <- call_core(cpp_radial(v$bx, v$by, v$sx, v$sy, model, code, opts, seed),
                 what = paste0("mr_radial_", model), call = call)
  ok <- length(f$qj) == length(snps)
  snp_tab <- if (ok) {
    data.frame(SNP = snps, W = f$w, Wj = sqrt(f$w), BetaWj = v$by / v$bx * sqrt(f$w),
               Qj = f$qj, Qj_pval = f$qj_pval, outlier = f$outlier, stringsAsFactors = FALSE)
  } else {
    data.frame(SNP = character(), W = double(), Wj = double(), BetaWj = double(),
               Qj = double(), Qj_pval = double(), outlier = logical())
  }
  out <- list(model = model, weights = c("first", "second", "modified")[code],
              coefficients = f$coef,
              Q = data.frame(Q = f$Q, Q_df = f$Q_df, Q_pval = f$Q_pval),
              snps = snp_tab, nsnp = length(v$bx), alpha = alpha, mean_f = f$mean_f,
              note = f$note)
  if (model == "ivw") {
    out$phi <- f$phi
    out$iterations <- f$iterations
    out$nboot <- parameters$nboot
    out$seed <- seed
  }
  with_audit(structure(out, class = "mrkit_radial"), v$audit)
}

#' @export
print.mrkit_radial <- function(x, digits = 4, ...) {
  cat("Radial ", if (x$model == "ivw") "IVW" else "MR-Egger", " (", x$weights,
      " weights), ", x$nsnp, " variants\n", sep = "")
  if (nzchar(x$note)) {
    cat("Not estimable: ", x$note, "\n", sep = "")
    return(invisible(x))
  }
  print(x$coefficients, digits = digits, row.names = FALSE)
  cat(sprintf("\n%s: %.*g on %d df, p = %.*g\n", if (x$model == "ivw") "Cochran's Q" else "Rucker's Q'",
              digits, x$Q$Q, as.integer(x$Q$Q_df), digits, x$Q$Q_pval))
  n_out <- sum(x$snps$outlier)
  cat(n_out, " outlier", if (n_out == 1) "" else "s", " at alpha = ", x$alpha,
      if (n_out) paste0(": ", paste(utils::head(x$snps$SNP[x$snps$outlier], 10), collapse = ", "),
                        if (n_out > 10) ", ..." else "") else "", "\n", sep = "")
  invisible(x)
}
