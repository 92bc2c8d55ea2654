#' Rucker's framework: IVW or MR-Egger, fixed or random effects, chosen by heterogeneity
#'
#' 'TwoSampleMR''s `mr_rucker()` (Bowden et al. 2017, Statistics in Medicine 36:1783-1802, \doi{10.1002/sim.7221}). For each exposure-outcome pair with at
#' least three usable variants (oriented so that `beta.exposure >= 0`), IVW and MR-Egger are
#' fitted with fixed-effect and multiplicative random-effect standard errors, and one of
#' four models is selected by Cochran's Q (IVW), Rucker's Q' (Egger) and their difference:
#' "A" (IVW, fixed) if `P(Q) > Qthresh`; else "B" (IVW, random) if `P(Q - Q') > Qthresh`;
#' else "C" (Egger, fixed) if `P(Q') > Qthresh`; else "D" (Egger, random).
#'
#' 'TwoSampleMR''s conventions are kept, including its quirks: the "fixed effects" standard
#' errors are lm's divided by `max(sigma, 1)` (so below `sigma = 1` they are `sigma` times the
#' fixed-effect SE), the "random effects" ones are lm's without a floor, IVW p-values follow
#' `test_dist` (normal or t on `nsnp - 1` df) while Egger slope p-values always use t on
#' `nsnp - 2` df, and the random-effects intercept row repeats the fixed-effects estimate.
#' Confidence intervals are `Estimate -/+ qnorm(1 - alpha / 2) * SE`.
#'
#' Unlike 'TwoSampleMR', the fitted `lm` objects (`lmod_ivw`, `lmod_egger`) are not returned,
#' and the Cook's distances are named by SNP.
#'
#' @param dat Harmonised data, as from [harmonise_data()]: rows with `mr_keep` and complete
#'   effects and standard errors are used.
#' @param parameters A list from [default_parameters()]: `Qthresh`, `alpha`, `test_dist`, and
#'   for the resampling versions `nboot` and `seed`.
#' @return A list with one element per exposure-outcome pair (attributes `id.exposure`,
#'   `id.outcome`, `exposure`, `outcome` name them), each a list with
#'   * `rucker`: data frame with rows "IVW fixed effects", "IVW random effects",
#'     "Egger fixed effects", "Egger random effects" and columns `Method, nsnp, Estimate, SE,
#'     CI_low, CI_upp, P`;
#'   * `intercept`: the Egger intercept (fixed and random effects), same columns without `nsnp`;
#'   * `Q`: data frame `Method` (`Q_ivw`, `Q_egger`, `Q_diff`), `Q`, `df`, `P`;
#'   * `res`: the selected model, "A" to "D";
#'   * `selected`: the selected row of `rucker`, with `Method = "Rucker"`;
#'   * `cooksdistance`: Cook's distances of the selected model's fit.
#'
#'   Pairs with fewer than three variants (or collinear exposure effects) give `NULL` and a
#'   warning of class `mrkit_warning_too_few_variants`.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 30, b = 0.2, pleiotropy = "directional", seed = 2)
#' r <- mr_rucker(dat)
#' r[[1]]$res
#' r[[1]]$rucker
mr_rucker <- function(dat, parameters = default_parameters()) {
  call <- rlang::current_env()
  parameters <- check_parameters(parameters, call = call)
  rucker_over_pairs(dat, call, function(v, snps, pair) {
    fit <- call_core(cpp_rucker(v$bx, v$by, v$sx, v$sy, parameters), what = "mr_rucker()", call = call)
    rucker_tables(fit, snps, pair)
  })
}

#' Rucker's framework with bootstrap or "jackknife" resampling
#'
#' `mr_rucker_bootstrap()` repeats [mr_rucker()] on `nboot` parametric bootstrap samples
#' (every `beta.exposure` and `beta.outcome` redrawn from a normal distribution with its
#' standard error) and summarises the selected estimates. `mr_rucker_jackknife()` does the
#' same on nonparametric resamples of the variants: as in 'TwoSampleMR', this is a
#' bootstrap with replacement, not a leave-one-out jackknife, and it needs at least 15
#' variants (with fewer, only the point estimates are returned, with a message).
#'
#' Summary rows, as 'TwoSampleMR' computes them: "Rucker point estimate" (the selected
#' model on the data), "Rucker mean" (mean and SD of the resampled selected estimates, the
#' bootstrap model average of Bowden et al. 2017, Statistics in Medicine 36:1783, built on
#' Rucker et al. 2011, Biostatistics 12:122; interval mean -/+ `qnorm(1 - alpha / 2)` SD), and
#' "Rucker median" (median, `mad()`, and the 2.5% and 97.5% quantiles); both p-values use
#' Student t on `nsnp - 1` df. The jackknife labels them "Rucker mean (JK)" and "Rucker
#' median (JK)". 'TwoSampleMR' builds the interval of the mean with `qnorm(Qthresh / 2)`,
#' which is negative, so its `CI_low` lies above the estimate and `CI_upp` below it;
#' `default_parameters(tsmr_quirks = TRUE)` reproduces that (see [mrkit_differences]).
#'
#' Differences from 'TwoSampleMR': both functions work per exposure-outcome pair (its
#' bootstrap applies the per-pair function to the whole table); resampling runs in C++ with
#' one random stream per replicate seeded from R's RNG, so `set.seed()` reproduces results
#' for any `threads`, but the draws are not R's; replicates whose fit is impossible
#' (collinear resampled effects) are left out of the summaries (`n_ok` counts the others);
#' no ggplot objects are made (`bootstrap_estimates` and `boostrap_q`, with 'TwoSampleMR''s
#' spelling, hold what its plots show).
#'
#' @inheritParams mr_rucker
#' @param threads Number of threads for the replicates; defaults to
#'   `getOption("mrkit.threads", 1)`.
#' @return A list with one element per exposure-outcome pair, each a list with `rucker` (the
#'   [mr_rucker()] result), `res` (the four model rows followed by the summary rows),
#'   `bootstrap_estimates` (the selected row of each replicate with its `model`),
#'   `boostrap_q` (`Q`, `Qdash`, `model`, `i` for the full data and each replicate), `n_ok`,
#'   `nboot` and `seed`. `NULL` (with a warning) for pairs with fewer than three variants.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 30, b = 0.2, seed = 2)
#' set.seed(1)
#' r <- mr_rucker_bootstrap(dat, default_parameters(nboot = 100))
#' r[[1]]$res
mr_rucker_bootstrap <- function(dat, parameters = default_parameters(),
                                threads = getOption("mrkit.threads", 1L)) {
  rucker_resampled(dat, parameters, threads, jackknife = FALSE, call = rlang::current_env())
}

#' @rdname mr_rucker_bootstrap
#' @export
mr_rucker_jackknife <- function(dat, parameters = default_parameters(),
                                threads = getOption("mrkit.threads", 1L)) {
  rucker_resampled(dat, parameters, threads, jackknife = TRUE, call = rlang::current_env())
}

#' Rucker's framework after removing influential variants
#'
#' Fits [mr_rucker()], then, while any variant has a Cook's distance (of the selected
#' model) above `4 / nsnp` and more than three variants would remain, removes all such
#' variants and refits, with the threshold recomputed for the remaining number of variants.
#' The rule is 'TwoSampleMR''s `mr_rucker_cooksdistance()`, applied per exposure-outcome
#' pair.
#'
#' @inheritParams mr_rucker
#' @return A list with one element per exposure-outcome pair, as [mr_rucker()] for the final
#'   fit, with `" (CD)"` appended to the `rucker` methods, `selected$Method = "Rucker (CD)"`,
#'   and `removed_snps`, the SNPs removed.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 40, b = 0.2, pleiotropy = "outliers", seed = 3)
#' r <- mr_rucker_cooksdistance(dat)
#' r[[1]]$removed_snps
mr_rucker_cooksdistance <- function(dat, parameters = default_parameters()) {
  call <- rlang::current_env()
  parameters <- check_parameters(parameters, call = call)
  rucker_over_pairs(dat, call, function(v, snps, pair) {
    fit <- call_core(cpp_rucker_cooks(v$bx, v$by, v$sx, v$sy, parameters),
                     what = "mr_rucker_cooksdistance()", call = call)
    out <- rucker_tables(fit, snps[fit$kept], pair)
    if (is.null(out)) return(NULL)
    out$rucker$Method <- paste0(out$rucker$Method, " (CD)")
    out$selected$Method <- "Rucker (CD)"
    out$removed_snps <- snps[-fit$kept]
    out
  })
}

# Apply `fit_pair(v, snps, pair)` to each exposure-outcome pair of `dat`; `v` holds the vectors
# bx, by, sx, sy of the usable variants and `pair` names the pair. Returns TwoSampleMR's per-pair list.
rucker_over_pairs <- function(dat, call, fit_pair) {
  prep <- prepare_pairs(dat, call = call)
  d <- prep$data
  n <- nrow(prep$pairs)
  res <- vector("list", n)
  for (i in seq_len(n)) {
    rows <- seq.int(prep$offsets[i] + 1L, length.out = prep$offsets[i + 1L] - prep$offsets[i])
    v <- list(bx = as.double(d$beta.exposure[rows]), by = as.double(d$beta.outcome[rows]),
              sx = as.double(d$se.exposure[rows]), sy = as.double(d$se.outcome[rows]))
    pair <- paste0(prep$pairs$id.exposure[i], " on ", prep$pairs$id.outcome[i])
    out <- fit_pair(v, as.character(d$SNP[rows]), pair)
    if (!is.null(out)) res[[i]] <- out
  }
  attr(res, "id.exposure") <- prep$pairs$id.exposure
  attr(res, "id.outcome") <- prep$pairs$id.outcome
  attr(res, "exposure") <- prep$pairs$exposure
  attr(res, "outcome") <- prep$pairs$outcome
  class(res) <- c("mrkit_rucker_list", "mrkit_pair_list", "list")
  res
}

# TwoSampleMR's tables from one core fit; NULL with a classed warning when not estimable.
rucker_tables <- function(fit, snps, pair) {
  if (!fit$ok) {
    warn_mrkit("too_few_variants", c("Rucker's framework skipped {pair}.",
                                     i = "Reason: {fit$note} ({fit$nsnp} usable variant{?s})."))
    return(NULL)
  }
  rucker <- data.frame(Method = c("IVW fixed effects", "IVW random effects", "Egger fixed effects",
                                  "Egger random effects"),
                       nsnp = fit$nsnp, as.data.frame(fit$rucker), stringsAsFactors = FALSE)
  intercept <- data.frame(Method = c("Egger fixed effects", "Egger random effects"),
                          as.data.frame(fit$intercept), stringsAsFactors = FALSE)
  Q <- data.frame(Method = c("Q_ivw", "Q_egger", "Q_diff"), Q = fit$Q, df = fit$Q_df,
                  P = fit$Q_p, stringsAsFactors = FALSE)
  res <- c("A", "B", "C", "D")[fit$model]
  selected <- rucker[fit$model, , drop = FALSE]
  selected$Method <- "Rucker"
  cd <- fit$cooks
  names(cd) <- snps
  list(rucker = rucker, intercept = intercept, Q = Q, res = res, selected = selected,
       cooksdistance = cd)
}

rucker_resampled <- function(dat, parameters, threads, jackknife, call) {
  parameters <- check_parameters(parameters, call = call)
  threads <- check_threads(threads, call = call)
  label <- if (jackknife) " (JK)" else ""
  rucker_over_pairs(dat, call, function(v, snps, pair) {
    rucker <- rucker_tables(call_core(cpp_rucker(v$bx, v$by, v$sx, v$sy, parameters),
                                      what = "mr_rucker()", call = call), snps, pair)
    if (is.null(rucker)) return(NULL)
    nsnp <- length(v$bx)
    point <- rucker$selected
    point$Method <- "Rucker point estimate"
    if (jackknife && nsnp < 15) {
      cli::cli_inform("Too few SNPs for jackknife ({nsnp} < 15): point estimates only.")
      res <- rbind(rucker$rucker, point)
      rownames(res) <- NULL
      return(list(rucker = rucker, res = res, bootstrap_estimates = NULL, boostrap_q = NULL))
    }
    seed <- draw_seed(parameters)
    r <- call_core(cpp_rucker_resample(v$bx, v$by, v$sx, v$sy, parameters, seed, threads, jackknife),
                   what = if (jackknife) "mr_rucker_jackknife()" else "mr_rucker_bootstrap()", call = call)
    summ <- as.data.frame(r$summary)
    summary_rows <- data.frame(Method = paste0(c("Rucker mean", "Rucker median"), label),
                               nsnp = nsnp, summ, stringsAsFactors = FALSE)
    res <- rbind(rucker$rucker, point, summary_rows)
    rownames(res) <- NULL
    model <- c("A", "B", "C", "D")[r$model]
    est <- data.frame(Method = "Rucker", nsnp = nsnp, as.data.frame(r$selected), model = model,
                      stringsAsFactors = FALSE)
    q <- data.frame(Q = c(rucker$Q$Q[1], r$Q), Qdash = c(rucker$Q$Q[2], r$Qdash),
                    model = c(rucker$res, model),
                    i = c("Full", rep(if (jackknife) "Jackknife" else "Bootstrap", length(r$Q))),
                    stringsAsFactors = FALSE)
    list(rucker = rucker, res = res, bootstrap_estimates = est, boostrap_q = q, n_ok = r$n_ok,
         nboot = parameters$nboot, seed = seed)
  })
}
