# Multivariable MR (methods.md 7): harmonisation to 'TwoSampleMR''s mvdat list, its four
# estimators, MendelianRandomization's IVW / Egger / median conventions, the multivariable Q
# and conditional F-statistics, and a simulator with known effects.

#' Harmonise several exposures and one outcome for multivariable MR
#'
#' Keeps the SNPs present for every exposure, harmonises the outcome against the first
#' exposure (the exposure of the first row) with [harmonise_data()], and returns the list
#' that 'TwoSampleMR''s `mv_harmonise_data()` returns: SNPs (rows) sorted by name,
#' exposures (columns) sorted by `id.exposure`.
#'
#' Differences from 'TwoSampleMR' (none changes its numbers on consistently coded input):
#' when `other_allele.exposure` is present, an exposure whose effect and other alleles are
#' swapped relative to the first exposure has its effect negated (TwoSampleMR assumes the
#' exposures are already aligned), and a SNP whose alleles differ between exposures is
#' dropped with a warning; duplicated SNPs within an exposure, a single exposure or more
#' than one outcome are classed errors.
#'
#' @param exposure_dat Exposure data for two or more exposures in [format_data()] layout
#'   (columns `SNP`, `id.exposure`, `exposure`, `effect_allele.exposure`, `beta.exposure`,
#'   `se.exposure`, `pval.exposure`).
#' @param outcome_dat Outcome data for one outcome in [format_data()] layout.
#' @param harmonise_strictness `action` passed to [harmonise_data()] (1, 2 or 3).
#' Every SNP of `exposure_dat` that does not make it is announced in one message (counts by
#' reason, class `mrkit_message_rows_dropped`) and listed in `attr(result, "audit")`
#' (columns `id.exposure` (`NA`), `id.outcome`, `SNP`, `reason`): missing for an exposure,
#' alleles that differ between exposures, or dropped while harmonising the outcome (with
#' [harmonise_audit()]'s reason, e.g. absent from the outcome or palindromic).
#'
#' @return A list with `exposure_beta`, `exposure_pval`, `exposure_se` (J x K matrices,
#'   rows named by SNP, columns by `id.exposure`), `outcome_beta`, `outcome_pval`,
#'   `outcome_se` (length J), `expname` (data frame `id.exposure`, `exposure`) and
#'   `outname` (`id.outcome`, `outcome`); attribute `audit` when SNPs were left out.
#' @export
#' @examples
#' sim <- simulate_mvmr_data(nsnp = 60, b = c(0.3, -0.2), output = "separate", seed = 1)
#' mvdat <- mv_harmonise_data(sim$exposure, sim$outcome)
#' dim(mvdat$exposure_beta)
mv_harmonise_data <- function(exposure_dat, outcome_dat, harmonise_strictness = 2) {
  check_columns(exposure_dat, c("SNP", "id.exposure", "exposure", "effect_allele.exposure",
                                "beta.exposure", "se.exposure", "pval.exposure"), "exposure_dat")
  check_columns(outcome_dat, c("SNP", "id.outcome", "outcome", "beta.outcome", "se.outcome",
                               "pval.outcome"), "outcome_dat")
  exposure_dat <- as.data.frame(exposure_dat, stringsAsFactors = FALSE)
  exposure_dat$SNP <- as.character(exposure_dat$SNP)
  exposure_dat$id.exposure <- as.character(exposure_dat$id.exposure)
  ids <- unique(exposure_dat$id.exposure)
  if (length(ids) < 2L) {
    abort_mrkit("mv_exposures", c("Multivariable MR needs at least two exposures.",
                                  x = "{.arg exposure_dat} has {length(ids)} {.field id.exposure} value{?s}.",
                                  i = "Use {.fn harmonise_data} and {.fn mr} for one exposure."))
  }
  if (length(unique(outcome_dat$id.outcome)) != 1L) {
    abort_mrkit("mv_outcomes", c("{.arg outcome_dat} must hold exactly one outcome.",
                                 x = "It has {length(unique(outcome_dat$id.outcome))} {.field id.outcome} values."))
  }
  dup <- duplicated(exposure_dat[c("SNP", "id.exposure")])
  if (any(dup)) {
    bad <- unique(exposure_dat$SNP[dup])
    abort_mrkit("duplicated_snp", c("Each SNP may appear once per exposure.",
                                   x = "Duplicated: {.val {utils::head(bad, 5)}}."))
  }
  all_snps <- unique(exposure_dat$SNP)
  id_out <- as.character(outcome_dat$id.outcome[1])
  tab <- table(exposure_dat$SNP)
  partial <- names(tab)[tab < length(ids)]
  audit <- mv_audit(partial, id_out, vapply(partial, function(snp) {
    paste("missing for exposure", paste(setdiff(ids, exposure_dat$id.exposure[exposure_dat$SNP == snp]), collapse = ", "))
  }, ""))
  exposure_dat <- exposure_dat[!exposure_dat$SNP %in% partial, , drop = FALSE]
  before <- unique(exposure_dat$SNP)
  exposure_dat <- align_exposures(exposure_dat)
  audit <- rbind(audit, mv_audit(setdiff(before, exposure_dat$SNP), id_out, "alleles differ between exposures"))
  if (nrow(exposure_dat) == 0L) {
    abort_mrkit("no_overlap", "No SNP is present for every exposure.")
  }
  first <- exposure_dat$id.exposure[1]
  # harmonise_data()'s own message is replaced by this function's one message.
  dat <- suppressMessages(harmonise_data(exposure_dat[exposure_dat$id.exposure == first, , drop = FALSE],
                                         outcome_dat, action = harmonise_strictness))
  h <- attr(dat, "audit")
  if (is.data.frame(h)) {
    h <- h[h$status == "dropped" & !h$SNP %in% dat$SNP[dat$mr_keep], , drop = FALSE]
    h <- h[!duplicated(h$SNP), , drop = FALSE]
    audit <- rbind(audit, mv_audit(h$SNP, id_out, paste0("harmonising the outcome: ", h$reason)))
  }
  dat <- dat[dat$mr_keep, , drop = FALSE]
  snps <- unique(exposure_dat$SNP)
  snps <- snps[order_strings(snps)]
  lost <- setdiff(snps[!snps %in% dat$SNP], audit$SNP)
  audit <- rbind(audit, mv_audit(lost, id_out, "not usable after harmonising the outcome"))
  snps <- snps[snps %in% dat$SNP]
  if (length(snps) == 0L) {
    abort_mrkit("no_overlap", "No SNP is left after harmonising the outcome against the first exposure.")
  }
  cols <- sort(ids)
  wide <- function(v) {
    m <- matrix(NA_real_, length(snps), length(cols), dimnames = list(snps, cols))
    i <- match(exposure_dat$SNP, snps)
    ok <- !is.na(i)
    m[cbind(i[ok], match(exposure_dat$id.exposure[ok], cols))] <- as.numeric(exposure_dat[[v]][ok])
    m
  }
  d <- dat[match(snps, dat$SNP), , drop = FALSE]
  en <- exposure_dat[!duplicated(exposure_dat$id.exposure), c("id.exposure", "exposure")]
  on <- as.data.frame(outcome_dat, stringsAsFactors = FALSE)
  on <- on[!duplicated(on$id.outcome), c("id.outcome", "outcome")]
  rownames(en) <- NULL
  rownames(on) <- NULL
  rownames(audit) <- NULL
  announce_dropped(audit, length(all_snps), "mv_harmonise_data()", unit = "SNP",
                   where = "attr(mvdat, \"audit\")")
  out <- list(exposure_beta = wide("beta.exposure"), exposure_pval = wide("pval.exposure"),
              exposure_se = wide("se.exposure"), outcome_beta = d$beta.outcome,
              outcome_pval = d$pval.outcome, outcome_se = d$se.outcome, expname = en, outname = on)
  with_audit(out, audit)
}

# Audit rows of SNPs mv_harmonise_data() leaves out.
mv_audit <- function(snp, id_outcome, reason) {
  data.frame(id.exposure = rep(NA_character_, length(snp)), id.outcome = rep(id_outcome, length(snp)),
             SNP = as.character(snp), reason = rep_len(as.character(reason), length(snp)),
             stringsAsFactors = FALSE)
}

# Align every exposure to the alleles of the first exposure's rows (swap = negate beta);
# drop SNPs whose alleles disagree otherwise.
align_exposures <- function(exposure_dat) {
  if (!"other_allele.exposure" %in% names(exposure_dat)) return(exposure_dat)
  ea <- toupper(as.character(exposure_dat$effect_allele.exposure))
  oa <- toupper(as.character(exposure_dat$other_allele.exposure))
  ref <- !duplicated(exposure_dat$SNP)
  i <- match(exposure_dat$SNP, exposure_dat$SNP[ref])
  ref_ea <- ea[ref][i]
  ref_oa <- oa[ref][i]
  same <- ea == ref_ea & (is.na(oa) | is.na(ref_oa) | oa == ref_oa)
  swapped <- !same & !is.na(oa) & !is.na(ref_oa) & ea == ref_oa & oa == ref_ea
  same[is.na(same)] <- FALSE
  swapped[is.na(swapped)] <- FALSE
  if (any(swapped)) {
    exposure_dat$beta.exposure[swapped] <- -as.numeric(exposure_dat$beta.exposure[swapped])
    if ("eaf.exposure" %in% names(exposure_dat)) {
      exposure_dat$eaf.exposure[swapped] <- 1 - as.numeric(exposure_dat$eaf.exposure[swapped])
    }
    exposure_dat$effect_allele.exposure[swapped] <- ref_ea[swapped]
    exposure_dat$other_allele.exposure[swapped] <- ref_oa[swapped]
  }
  bad <- unique(exposure_dat$SNP[!same & !swapped])
  if (length(bad)) {
    warn_mrkit("mv_alleles", c("Dropped {length(bad)} SNP{?s} whose alleles differ between exposures.",
                               i = "{.val {utils::head(bad, 5)}}"))
    exposure_dat <- exposure_dat[!exposure_dat$SNP %in% bad, , drop = FALSE]
  }
  exposure_dat
}

# Validate an mvdat list; returns its parts as plain numeric matrices / vectors.
check_mvdat <- function(mvdat, call = rlang::caller_env()) {
  need <- c("exposure_beta", "exposure_se", "exposure_pval", "outcome_beta", "outcome_se", "expname", "outname")
  if (!is.list(mvdat) || !all(need %in% names(mvdat))) {
    abort_mrkit("input_type", c("{.arg mvdat} must be the list returned by {.fn mv_harmonise_data}.",
                                x = "Missing: {.field {setdiff(need, names(mvdat))}}."), call = call)
  }
  bx <- as.matrix(mvdat$exposure_beta)
  sx <- as.matrix(mvdat$exposure_se)
  px <- as.matrix(mvdat$exposure_pval)
  by <- as.numeric(mvdat$outcome_beta)
  sy <- as.numeric(mvdat$outcome_se)
  J <- nrow(bx)
  K <- ncol(bx)
  if (!identical(dim(sx), dim(bx)) || !identical(dim(px), dim(bx)) || length(by) != J || length(sy) != J) {
    abort_mrkit("input_length", c("The parts of {.arg mvdat} do not agree in size.",
                                  x = "exposure_beta is {J} x {K}; outcome_beta has length {length(by)}."),
                call = call)
  }
  snps <- rownames(bx)
  if (is.null(snps)) snps <- as.character(seq_len(J))
  for (nm in c("exposure_beta", "exposure_se", "outcome_beta", "outcome_se")) {
    v <- switch(nm, exposure_beta = bx, exposure_se = sx, outcome_beta = by, outcome_se = sy)
    bad <- if (is.matrix(v)) which(rowSums(!is.finite(v)) > 0) else which(!is.finite(v))
    if (length(bad)) {
      abort_mrkit("missing_value", c("{.field {nm}} has missing or non-finite values.",
                                     x = "SNP{?s} {.val {utils::head(snps[bad], 5)}}.",
                                     i = "Drop these SNPs: multivariable MR needs every exposure for every SNP."),
                  call = call)
    }
  }
  if (any(sx <= 0) || any(sy <= 0)) {
    abort_mrkit("se_nonpositive", "Standard errors in {.arg mvdat} must be positive (rule: SE > 0).", call = call)
  }
  if (is.null(colnames(bx))) colnames(bx) <- paste0("exposure", seq_len(K))
  storage.mode(bx) <- storage.mode(sx) <- storage.mode(px) <- "double"
  px[is.na(px)] <- 1
  list(bx = bx, sx = sx, px = px, by = by, sy = sy, J = J, K = K, ids = colnames(bx),
       expname = mvdat$expname, outname = mvdat$outname)
}

check_threshold <- function(pval_threshold, call = rlang::caller_env()) {
  if (!is.numeric(pval_threshold) || length(pval_threshold) != 1L || is.na(pval_threshold) ||
      pval_threshold <= 0 || pval_threshold > 1) {
    abort_mrkit("parameter", "{.arg pval_threshold} must be a single number in (0, 1].", call = call)
  }
  pval_threshold
}

check_flag <- function(x, arg, call = rlang::caller_env()) {
  if (!is.logical(x) || length(x) != 1L || is.na(x)) {
    abort_mrkit("parameter", "{.arg {arg}} must be TRUE or FALSE.", call = call)
  }
  x
}

# Result table in 'TwoSampleMR''s column order, one row per exposure sorted by id.exposure.
mv_result_table <- function(v, res, extra = NULL) {
  expname <- as.data.frame(v$expname, stringsAsFactors = FALSE)
  out <- data.frame(id.exposure = v$ids,
                    exposure = as.character(expname$exposure[match(v$ids, expname$id.exposure)]),
                    id.outcome = as.character(v$outname$id.outcome[1]),
                    outcome = as.character(v$outname$outcome[1]),
                    nsnp = as.integer(if (is.null(res$nsnp)) v$J else res$nsnp),
                    b = res$b, se = res$se, stringsAsFactors = FALSE)
  if (!is.null(extra)) out <- cbind(out, extra)
  out$pval <- res$pval
  out$note <- if (is.null(res$note)) "" else as.character(res$note)
  out <- out[order_strings(out$id.exposure), , drop = FALSE]
  rownames(out) <- NULL
  new_mrkit_results(out)
}

no_plots <- function(plots, K) {
  if (!isTRUE(plots)) return(NULL)
  cli::cli_inform(c("i" = "Plots are not drawn: {.pkg ggplot2} is not a dependency of mrkit.",
                    " " = "{.field plots} holds one {.code NULL} per exposure."))
  vector("list", K)
}

run_mv_tsmr <- function(fun, mvdat, intercept, instrument_specific, pval_threshold, call) {
  v <- check_mvdat(mvdat, call = call)
  check_threshold(pval_threshold, call = call)
  check_flag(intercept, "intercept", call = call)
  check_flag(instrument_specific, "instrument_specific", call = call)
  res <- call_core(cpp_mv_tsmr(fun, v$bx, v$by, v$sy, v$px, pval_threshold, intercept, instrument_specific),
                   what = paste0("mv_", fun), call = call)
  list(v = v, res = res)
}

#' Multivariable MR as in 'TwoSampleMR'
#'
#' The four multivariable estimators of 'TwoSampleMR', with its numbers (Burgess and Thompson 2015, American Journal of Epidemiology 181:251-260, \doi{10.1093/aje/kwu283}; Sanderson et al. 2019, International Journal of Epidemiology 48:713-727, \doi{10.1093/ije/dyy262}).
#' `nsnp` is always the number of SNPs with exposure p-value below `pval_threshold`, also
#' when all SNPs enter the fit. P-values are two-sided normal.
#'
#' * `mv_multiple()`: weighted regression (weights `outcome_se^-2`) of the outcome effects on
#'   all exposure effects, without intercept unless `intercept = TRUE`, on all SNPs or, with
#'   `instrument_specific = TRUE`, on the SNPs with exposure-k p-value below the threshold
#'   (then `NA` with a note when there are no more such SNPs than parameters). SEs as
#'   `summary(lm())` reports them (scaled by the residual standard error, no floor).
#' * `mv_ivw()`: for each exposure, the weighted regression without intercept on that
#'   exposure's instruments.
#' * `mv_residual()`: unweighted; the outcome effects are residualised on the other
#'   exposures' effects, then regressed on exposure k's effects (`NA` with a note when the
#'   exposure has no more instruments than parameters).
#' * `mv_basic()`: as `mv_residual()` with intercepts, residualising on all SNPs and
#'   regressing on exposure k's instruments only.
#'
#' 'ggplot2' is not a dependency of mrkit: `plots = TRUE` returns `plots` as a list of
#' `NULL`s with a message.
#'
#' @param mvdat Output of [mv_harmonise_data()] (or a list with the same parts).
#' @param intercept Fit an intercept (`TRUE`) or go through the origin (`FALSE`, default).
#' @param instrument_specific Use only exposure k's instruments for exposure k (`TRUE`) or
#'   all SNPs (`FALSE`, default).
#' @param pval_threshold Exposure p-value threshold defining instruments.
#' @param plots Request plots (see Details).
#' @return A list with `result`, a data frame with columns `id.exposure, exposure,
#'   id.outcome, outcome, nsnp, b, se, pval, note` (`note` says why an estimate is `NA`),
#'   plus `marginal_outcome` (J x K residualised outcome effects) for `mv_residual()` and
#'   `mv_basic()`, and `plots` when requested.
#' @export
#' @examples
#' mvdat <- simulate_mvmr_data(nsnp = 80, b = c(0.3, -0.2), seed = 2)
#' mv_multiple(mvdat)$result
#' mv_ivw(mvdat)$result
mv_multiple <- function(mvdat, intercept = FALSE, instrument_specific = FALSE, pval_threshold = 5e-8,
                        plots = FALSE) {
  r <- run_mv_tsmr("multiple", mvdat, intercept, instrument_specific, pval_threshold, rlang::current_env())
  out <- list(result = mv_result_table(r$v, r$res))
  p <- no_plots(plots, r$v$K)
  if (!is.null(p)) out$plots <- p
  out
}

#' @rdname mv_multiple
#' @export
mv_ivw <- function(mvdat, pval_threshold = 5e-8) {
  r <- run_mv_tsmr("ivw", mvdat, FALSE, TRUE, pval_threshold, rlang::current_env())
  list(result = mv_result_table(r$v, r$res))
}

#' @rdname mv_multiple
#' @export
mv_residual <- function(mvdat, intercept = FALSE, instrument_specific = FALSE, pval_threshold = 5e-8,
                        plots = FALSE) {
  r <- run_mv_tsmr("residual", mvdat, intercept, instrument_specific, pval_threshold, rlang::current_env())
  out <- list(result = mv_result_table(r$v, r$res), marginal_outcome = r$res$marginal)
  p <- no_plots(plots, r$v$K)
  if (!is.null(p)) out$plots <- p
  out
}

#' @rdname mv_multiple
#' @export
mv_basic <- function(mvdat, pval_threshold = 5e-8) {
  r <- run_mv_tsmr("basic", mvdat, FALSE, FALSE, pval_threshold, rlang::current_env())
  list(result = mv_result_table(r$v, r$res), marginal_outcome = r$res$marginal)
}

check_distribution <- function(distribution, call = rlang::caller_env()) {
  if (!is.character(distribution) || length(distribution) < 1L) {
    abort_mrkit("parameter", "{.arg distribution} must be {.val normal} or {.val t}.", call = call)
  }
  d <- distribution[1]
  if (d == "t-dist") d <- "t"
  if (!d %in% c("normal", "t")) {
    abort_mrkit("parameter", c("{.arg distribution} must be {.val normal} or {.val t}.", x = "It is {.val {d}}."),
                call = call)
  }
  d
}

check_alpha <- function(alpha, call = rlang::caller_env()) {
  if (!is.numeric(alpha) || length(alpha) != 1L || is.na(alpha) || alpha <= 0 || alpha >= 1) {
    abort_mrkit("parameter", "{.arg alpha} must be a single number in (0, 1).", call = call)
  }
  alpha
}

# Result of a MendelianRandomization-style multivariable regression without intercept.
mv_regression_result <- function(v, res) {
  res$note <- rep(res$note, v$K)
  res$nsnp <- rep(v$J, v$K)
  list(result = mv_result_table(v, res, data.frame(lo_ci = res$lo_ci, up_ci = res$up_ci)),
       heterogeneity = data.frame(Q = res$Q, Q_df = res$Q_df, Q_pval = res$Q_pval),
       model = res$model)
}

# The exposure that orients the SNPs, by number or id.exposure, as an index.
check_orientate <- function(orientate, v, call = rlang::caller_env()) {
  o <- if (is.character(orientate)) match(orientate, v$ids) else suppressWarnings(as.integer(orientate))
  if (length(o) != 1L || is.na(o) || o < 1L || o > v$K) {
    abort_mrkit("parameter", c("{.arg orientate} must name one of the {v$K} exposures (number or id.exposure).",
                               x = "It is {.val {orientate}}."), call = call)
  }
  o
}

check_min_snps <- function(v, need, what, call = rlang::caller_env()) {
  if (v$J < need) {
    abort_mrkit("too_few_snps", c("{what} needs at least {need} SNPs for {v$K} exposure{?s}.",
                                  x = "{.arg mvdat} has {v$J}."), call = call)
  }
}

#' Multivariable IVW with MendelianRandomization's conventions
#'
#' `MendelianRandomization::mr_mvivw()` for uncorrelated variants: weighted regression of
#' the outcome effects on all exposure effects without intercept (weights
#' `outcome_se^-2`). Under the random-effects model the SE is the fixed-effect SE times
#' `max(1, sigma)`; under the fixed-effect model it is the fixed-effect SE. `"default"`
#' uses the fixed-effect model for 3 or fewer SNPs and random effects otherwise. The
#' heterogeneity statistic is `(J - K) sigma^2` on `J - K` degrees of freedom (also in
#' [mv_q()]).
#'
#' @inheritParams mv_multiple
#' @param model `"default"`, `"random"` or `"fixed"`.
#' @param distribution `"normal"` (default) or `"t"` (Student t with `J - K` df) for
#'   p-values and confidence intervals.
#' @param alpha Significance level of the confidence intervals.
#' @return A list with `result` (columns of [mv_multiple()] plus `lo_ci`, `up_ci`),
#'   `heterogeneity` (`Q`, `Q_df`, `Q_pval`) and `model`.
#' @export
#' @examples
#' mvdat <- simulate_mvmr_data(nsnp = 80, b = c(0.3, -0.2), seed = 2)
#' mv_ivw_mr(mvdat)$result
mv_ivw_mr <- function(mvdat, model = c("default", "random", "fixed"), distribution = "normal", alpha = 0.05) {
  model <- match.arg(model)
  v <- check_mvdat(mvdat)
  d <- check_distribution(distribution)
  check_alpha(alpha)
  check_min_snps(v, v$K + 1L, "Multivariable IVW")
  res <- call_core(cpp_mv_regression("ivw", v$bx, v$by, v$sy, model, d == "t", alpha, 1L), what = "mv_ivw_mr")
  mv_regression_result(v, res)
}

#' Multivariable robust IVW
#'
#' `MendelianRandomization::mr_mvivw(robust = TRUE)` for uncorrelated variants: the
#' regression of outcome effects on all exposure effects without intercept (weights
#' `outcome_se^-2`) estimated by MM-estimation (the default MM-estimator of
#' `robustbase::lmrob()`: S-estimate from random subsamples, then bisquare M-steps with 95%
#' efficiency), with the robust standard errors divided by `min(sigma, 1)` (random
#' effects) or `sigma` (fixed effects; the default rule uses fixed effects for three or
#' fewer variants). The random subsamples are drawn from a stream seeded from R's RNG, so
#' `set.seed()` reproduces the result; the seed is returned.
#'
#' @inheritParams mv_ivw_mr
#' @return A list as [mv_ivw_mr()] returns, plus `seed`.
#' @export
#' @examples
#' mvdat <- simulate_mvmr_data(nsnp = 80, b = c(0.3, -0.2), seed = 2)
#' set.seed(1)
#' mv_robust(mvdat)$result
mv_robust <- function(mvdat, model = c("default", "random", "fixed"), distribution = "normal", alpha = 0.05) {
  model <- match.arg(model)
  v <- check_mvdat(mvdat)
  d <- check_distribution(distribution)
  check_alpha(alpha)
  check_min_snps(v, v$K + 1L, "Multivariable robust IVW")
  seed <- draw_seed(list(seed = NULL))
  res <- call_core(cpp_mv_robust(v$bx, v$by, v$sy, model, d == "t", alpha, seed), what = "mv_robust")
  c(mv_regression_result(v, res), list(seed = seed))
}

#' Multivariable MR-Egger
#'
#' `MendelianRandomization::mr_mvegger()` for uncorrelated variants: every SNP is oriented
#' so that its effect on exposure `orientate` is positive (a zero effect zeroes the SNP, as
#' base `sign()` does there), then the outcome effects are regressed on all exposure
#' effects with an intercept (weights `outcome_se^-2`); SEs are the fixed-effect SEs times
#' `max(1, sigma)`. With `distribution = "t"`, p-values use `J - K` df and confidence
#' intervals `J - K - 1` df, as in MendelianRandomization. Heterogeneity:
#' `(J - K - 1) sigma^2` on `J - K - 1` df.
#'
#' @inheritParams mv_ivw_mr
#' @param orientate Number or `id.exposure` of the exposure that orients the SNPs.
#' @return A list with `result` (as [mv_ivw_mr()]), `intercept` (`b_i`, `se_i`,
#'   `lo_ci_i`, `up_ci_i`, `pval_i`), `heterogeneity` and `orientate`.
#' @export
#' @examples
#' mvdat <- simulate_mvmr_data(nsnp = 80, b = c(0.3, -0.2), seed = 2)
#' mv_egger(mvdat)$intercept
mv_egger <- function(mvdat, orientate = 1, distribution = "normal", alpha = 0.05) {
  v <- check_mvdat(mvdat)
  d <- check_distribution(distribution)
  check_alpha(alpha)
  o <- check_orientate(orientate, v)
  check_min_snps(v, v$K + 2L, "Multivariable MR-Egger")
  res <- call_core(cpp_mv_regression("egger", v$bx, v$by, v$sy, "random", d == "t", alpha, o), what = "mv_egger")
  res$note <- rep(res$note, v$K)
  res$nsnp <- rep(v$J, v$K)
  list(result = mv_result_table(v, res, data.frame(lo_ci = res$lo_ci, up_ci = res$up_ci)),
       intercept = data.frame(b_i = res$b_i, se_i = res$se_i, lo_ci_i = res$lo_ci_i,
                              up_ci_i = res$up_ci_i, pval_i = res$pval_i),
       heterogeneity = data.frame(Q = res$Q, Q_df = res$Q_df, Q_pval = res$Q_pval),
       orientate = v$ids[o])
}

#' Multivariable MR-Lasso
#'
#' `MendelianRandomization::mr_mvlasso()` for uncorrelated variants. SNPs are oriented by
#' exposure `orientate`; after projecting the exposure effects out (weights
#' `outcome_se^-2`), each SNP gets an intercept penalised by the lasso. Unless `lambda`
#' is given, the tuning parameter is chosen along the lasso path (from small to large):
#' at the first value where the residual standard error of the fit on the "valid" SNPs
#' (zero intercept) exceeds 1 and has risen by more than `qchisq(0.95, 1)` / (number of
#' valid SNPs), the value just below it is taken (as MendelianRandomization does), but at
#' least the smallest value leaving more valid SNPs than exposures. The estimate
#' is the IVW fit (SE scaled by `max(1, sigma)`) on the valid SNPs.
#'
#' The lasso path reproduces `glmnet(x, y, intercept = FALSE)`'s grid and stopping rule;
#' each point is solved exactly, where glmnet stops its coordinate descent at a
#' tolerance, so a coefficient that glmnet leaves at a tiny non-zero value is zero here.
#' The chosen value and valid set agree with MendelianRandomization on the lipids -> CHD
#' data; on other data they can differ where glmnet's tolerance decides.
#'
#' @inheritParams mv_egger
#' @param lambda Tuning parameter on glmnet's scale; `NULL` (default) chooses it.
#' @return A list with `result` (as [mv_ivw_mr()], `nsnp` = number of valid SNPs),
#'   `lambda`, `valid_snps` and `orientate`.
#' @export
#' @examples
#' mvdat <- simulate_mvmr_data(nsnp = 80, b = c(0.3, -0.2), pleiotropy = "directional", seed = 2)
#' mv_lasso(mvdat)$result
mv_lasso <- function(mvdat, orientate = 1, distribution = "normal", alpha = 0.05, lambda = NULL) {
  v <- check_mvdat(mvdat)
  d <- check_distribution(distribution)
  check_alpha(alpha)
  o <- check_orientate(orientate, v)
  if (!is.null(lambda) && (!is.numeric(lambda) || length(lambda) != 1L || is.na(lambda) || lambda < 0)) {
    abort_mrkit("parameter", "{.arg lambda} must be NULL or a single number >= 0.")
  }
  check_min_snps(v, v$K + 2L, "Multivariable MR-Lasso")
  res <- call_core(cpp_mv_lasso(v$bx, v$by, v$sy, o, if (is.null(lambda)) -1 else lambda, d == "t", alpha),
                   what = "mv_lasso")
  res$nsnp <- rep(res$valid, v$K)
  res$note <- rep(res$note, v$K)
  snps <- rownames(v$bx)
  list(result = mv_result_table(v, res, data.frame(lo_ci = res$lo_ci, up_ci = res$up_ci)),
       lambda = res$lambda, valid_snps = if (is.null(snps)) res$valid_rows else snps[res$valid_rows],
       orientate = v$ids[o])
}

#' Multivariable median-based MR (weighted L1 regression)
#'
#' `MendelianRandomization::mr_mvmedian()`: minimises `sum(outcome_se^-2 * |outcome_beta -
#' exposure_beta %*% theta|)`, the solution of `quantreg::rq(by ~ bx - 1, weights =
#' outcome_se^-2)`, by an exact simplex-type algorithm in the C++ core. The SE is the
#' standard deviation of the estimates over `nboot` parametric bootstrap data sets (exposure
#' and outcome effects drawn from normals with the reported SEs). Each replicate has its own
#' random stream seeded from one draw of R's generator, so `set.seed()` reproduces results
#' and the number of threads does not change them. MendelianRandomization's own seed and
#' generator are not reproduced: bootstrap SEs agree within Monte Carlo error.
#'
#' @inheritParams mv_ivw_mr
#' @param nboot Number of bootstrap replicates (0 gives no SE).
#' @param threads Threads for the bootstrap.
#' @return A list with `result` (as [mv_ivw_mr()]), `nboot`, `seed` and `failed` (bootstrap
#'   replicates whose fit failed and were left out).
#' @export
#' @examples
#' mvdat <- simulate_mvmr_data(nsnp = 80, b = c(0.3, -0.2), seed = 2)
#' set.seed(1)
#' mv_median(mvdat, nboot = 200)$result
mv_median <- function(mvdat, nboot = 10000, distribution = "normal", alpha = 0.05,
                      threads = getOption("mrkit.threads", 1L)) {
  v <- check_mvdat(mvdat)
  d <- check_distribution(distribution)
  check_alpha(alpha)
  threads <- check_threads(threads)
  if (!is.numeric(nboot) || length(nboot) != 1L || is.na(nboot) || nboot < 0) {
    abort_mrkit("parameter", "{.arg nboot} must be a single number >= 0.")
  }
  check_min_snps(v, v$K + 1L, "Multivariable median regression")
  seed <- floor(stats::runif(1L) * 2^31)
  res <- call_core(cpp_mv_median(v$bx, v$by, v$sx, v$sy, as.integer(nboot), seed, threads), what = "mv_median")
  df <- v$J - v$K
  q <- if (d == "t") stats::qt(1 - alpha / 2, df) else stats::qnorm(1 - alpha / 2)
  z <- res$b / res$se
  res$pval <- if (d == "t") floor_pval(2 * stats::pt(-abs(z), df), z) else p_normal_two_sided(z)
  res$nsnp <- rep(v$J, v$K)
  res$note <- if (nboot < 2) rep("no bootstrap: SE not computed", v$K) else rep("", v$K)
  list(result = mv_result_table(v, res, data.frame(lo_ci = res$b - q * res$se, up_ci = res$b + q * res$se)),
       nboot = as.integer(nboot), seed = seed, failed = res$failed)
}

#' Heterogeneity of multivariable MR: Q_A and MendelianRandomization's Q
#'
#' Two statistics, one row each:
#' * `Q_A` (MVMR package `pleiotropy_mvmr`, covariance 0): with the IVW estimates theta,
#'   `sum_j (by_j - bx_j' theta)^2 / (sy_j^2 + sum_k theta_k^2 sx_jk^2)` on `J - K - 1` df.
#'   It accounts for the uncertainty of the exposure effects.
#' * `Heter.Stat` (MendelianRandomization `mr_mvivw`): `(J - K) sigma^2`, the residual
#'   sum of squares of the IVW fit weighted by `outcome_se^-2`, on `J - K` df.
#'
#' @inheritParams mv_multiple
#' @return A data frame with columns `statistic`, `Q`, `Q_df`, `Q_pval`, `note`.
#' @export
#' @examples
#' mvdat <- simulate_mvmr_data(nsnp = 80, b = c(0.3, -0.2), seed = 2)
#' mv_q(mvdat)
mv_q <- function(mvdat) {
  v <- check_mvdat(mvdat)
  qa <- call_core(cpp_mv_q(v$bx, v$by, v$sx, v$sy), what = "mv_q")
  if (v$J > v$K) {
    iv <- call_core(cpp_mv_regression("ivw", v$bx, v$by, v$sy, "random", FALSE, 0.05, 1L), what = "mv_q")
  } else {
    iv <- list(Q = NA_real_, Q_df = NA_real_, Q_pval = NA_real_, note = "need more SNPs than exposures")
  }
  data.frame(statistic = c("Q_A", "Heter.Stat"), Q = c(qa$Q, iv$Q), Q_df = c(qa$Q_df, iv$Q_df),
             Q_pval = c(qa$Q_pval, iv$Q_pval), note = c(qa$note, iv$note), stringsAsFactors = FALSE)
}

#' Conditional F-statistics of multivariable MR
#'
#' Instrument strength of each exposure conditional on the others (Sanderson and
#' Windmeijer), in one of two definitions:
#' * `"MVMR"` (the MVMR package's `strength_mvmr`, covariance 0): regress exposure k's
#'   effects on the other exposures' effects by ordinary least squares without intercept
#'   (coefficients delta), then `F_k = Q_k / J` with `Q_k = sum_j (bx_jk - bx_j,-k' delta)^2 /
#'   (sx_jk^2 + sum_{l != k} delta_l^2 sx_jl^2)`.
#' * `"MendelianRandomization"` (its internal `condFstat`, reported by `mr_mvivw(nx = )`):
#'   a weighted generalisation using the exposure GWAS sample sizes `nx`, minimised over
#'   the coefficients of the other exposures and divided by `J - K + 1`. Implemented for
#'   uncorrelated variants. mrkit finds the exact minimum; MendelianRandomization's
#'   optimiser (nlminb) uses a gradient that omits the derivative of the weighting matrix
#'   and can stop well above the minimum: on the lipids -> CHD data it reports 39.7, 73.1
#'   and 40.1 where the minima are 35.6, 36.0 and 35.6. When the objective only approaches
#'   its infimum as the coefficients grow without bound, the value where BFGS stops is
#'   reported (within about 1e-4 of the infimum). All values are `NA` (with a note
#'   attribute and a warning) when any is negative.
#'
#' @inheritParams mv_multiple
#' @param convention `"MVMR"` or `"MendelianRandomization"`.
#' @param nx Exposure GWAS sample sizes (one number, or one per exposure); required for
#'   `"MendelianRandomization"`.
#' @param cor_x Correlation matrix of the exposures' estimation errors (K x K; identity
#'   by default), for `"MendelianRandomization"`.
#' @return A data frame with `id.exposure`, `exposure`, `nsnp`, `F` and `convention`.
#' @export
#' @examples
#' mvdat <- simulate_mvmr_data(nsnp = 80, b = c(0.3, -0.2), seed = 2)
#' mv_fstat(mvdat)
#' mv_fstat(mvdat, "MendelianRandomization", nx = 1e5)
mv_fstat <- function(mvdat, convention = c("MVMR", "MendelianRandomization"), nx = NULL, cor_x = NULL) {
  convention <- match.arg(convention)
  v <- check_mvdat(mvdat)
  if (v$K < 2L) {
    abort_mrkit("mv_exposures", "Conditional F-statistics need at least two exposures.")
  }
  check_min_snps(v, v$K + 1L, "Conditional F")
  nxv <- rep(NA_real_, v$K)
  cx <- diag(v$K)
  if (convention == "MendelianRandomization") {
    if (is.null(nx) || !is.numeric(nx) || !length(nx) %in% c(1L, v$K) || anyNA(nx) || any(nx <= v$J)) {
      abort_mrkit("parameter", c("{.arg nx} must give the exposure sample size{?s} (1 or {v$K} numbers above the number of SNPs).",
                                 i = "The MendelianRandomization definition needs them."))
    }
    nxv <- rep_len(as.double(nx), v$K)
    if (!is.null(cor_x)) {
      if (!is.matrix(cor_x) || !all(dim(cor_x) == v$K) || anyNA(cor_x)) {
        abort_mrkit("parameter", "{.arg cor_x} must be a {v$K} x {v$K} matrix.")
      }
      cx <- cor_x
    }
  }
  storage.mode(cx) <- "double"
  res <- call_core(cpp_mv_fstat(convention, v$bx, v$sx, nxv, cx), what = "mv_fstat")
  expname <- as.data.frame(v$expname, stringsAsFactors = FALSE)
  out <- data.frame(id.exposure = v$ids,
                    exposure = as.character(expname$exposure[match(v$ids, expname$id.exposure)]),
                    nsnp = v$J, F = res$F, convention = convention, stringsAsFactors = FALSE)
  if (nzchar(res$note)) {
    attr(out, "note") <- res$note
    warn_mrkit("fstat", res$note)
  }
  out
}

#' Simulate multivariable MR summary data with known effects
#'
#' `nsnp` independent variants act on `K = length(b)` exposures with correlated effects
#' (correlation `rho` between exposures for the same variant); the outcome effect is
#' `sum_k b_k gamma_jk + alpha_j`. The standardised exposure effects `gamma_jk / se_x_jk`
#' have variance `fstat - 1`, so the mean F-statistic of each exposure is about `fstat`.
#' Pleiotropic effects `alpha` (a fraction `prop_invalid`): `"balanced"` N(0, sd) or
#' `"directional"` N(mean, sd), in units of the median absolute exposure-1 effect.
#'
#' @param nsnp Number of variants.
#' @param b True direct effects, one per exposure.
#' @param n_exposure,n_outcome Sample sizes (`n_exposure` may have one value per exposure).
#' @param fstat Mean F-statistic per exposure.
#' @param rho Correlation of the true effects on different exposures.
#' @param pleiotropy `"none"`, `"balanced"` or `"directional"`.
#' @param prop_invalid,pleiotropy_mean,pleiotropy_sd Pleiotropy settings.
#' @param output `"mvdat"` (as [mv_harmonise_data()] returns) or `"separate"` (long
#'   exposure table and outcome table in [format_data()] layout).
#' @param seed Optional seed; the global RNG state is restored afterwards.
#' @return An mvdat list, or a list of `exposure` and `outcome` tables, with attribute
#'   `truth` (`b`, `gamma`, `alpha`).
#' @export
#' @examples
#' mvdat <- simulate_mvmr_data(nsnp = 50, b = c(0.4, 0), seed = 3)
#' str(mvdat$exposure_beta)
simulate_mvmr_data <- function(nsnp = 100, b = c(0.3, -0.2), n_exposure = 100000, n_outcome = 100000,
                               fstat = 50, rho = 0.3, pleiotropy = c("none", "balanced", "directional"),
                               prop_invalid = 0.2, pleiotropy_mean = 0.5, pleiotropy_sd = 0.5,
                               output = c("mvdat", "separate"), seed = NULL) {
  pleiotropy <- match.arg(pleiotropy)
  output <- match.arg(output)
  if (!is.numeric(nsnp) || length(nsnp) != 1L || nsnp < 1) {
    abort_mrkit("parameter", "{.arg nsnp} must be a positive whole number.")
  }
  if (!is.numeric(b) || length(b) < 1L || anyNA(b)) abort_mrkit("parameter", "{.arg b} must be numeric.")
  if (!is.numeric(fstat) || length(fstat) != 1L || fstat <= 1) {
    abort_mrkit("parameter", "{.arg fstat} must be a number above 1.")
  }
  if (!is.numeric(rho) || length(rho) != 1L || rho <= -1 / max(1, length(b) - 1) || rho >= 1) {
    abort_mrkit("parameter", "{.arg rho} must be a valid exchangeable correlation.")
  }
  if (!is.null(seed)) with_seed_restored(seed)
  J <- as.integer(nsnp)
  K <- length(b)
  nx <- rep_len(n_exposure, K)
  eaf <- stats::runif(J, 0.05, 0.5)
  het <- 2 * eaf * (1 - eaf)
  se_x <- outer(1 / sqrt(het), 1 / sqrt(nx))
  se_y <- 1 / sqrt(het * n_outcome)
  R <- matrix(rho, K, K)
  diag(R) <- 1
  Z <- matrix(stats::rnorm(J * K), J, K) %*% chol(R)
  gamma <- Z * sqrt(fstat - 1) * se_x
  alpha <- numeric(J)
  if (pleiotropy != "none") {
    inv <- sample.int(J, max(1L, round(prop_invalid * J)))
    sc <- stats::median(abs(gamma[, 1]))
    mu <- if (pleiotropy == "directional") pleiotropy_mean * sc else 0
    alpha[inv] <- stats::rnorm(length(inv), mu, pleiotropy_sd * sc)
  }
  bx <- gamma + matrix(stats::rnorm(J * K), J, K) * se_x
  by <- drop(gamma %*% b) + alpha + stats::rnorm(J, 0, se_y)
  snp <- sprintf("rs%d", 1000L + seq_len(J))
  ids <- sprintf("exp%d", seq_len(K))
  px <- 2 * stats::pnorm(-abs(bx / se_x))
  truth <- list(b = b, gamma = gamma, alpha = alpha)
  if (output == "mvdat") {
    dn <- list(snp, ids)
    out <- list(exposure_beta = matrix(bx, J, K, dimnames = dn), exposure_pval = matrix(px, J, K, dimnames = dn),
                exposure_se = matrix(se_x, J, K, dimnames = dn), outcome_beta = by,
                outcome_pval = 2 * stats::pnorm(-abs(by / se_y)), outcome_se = se_y,
                expname = data.frame(id.exposure = ids, exposure = sprintf("Exposure %d", seq_len(K))),
                outname = data.frame(id.outcome = "out1", outcome = "Simulated outcome"))
    attr(out, "truth") <- truth
    return(out)
  }
  alleles <- simulate_alleles(J, 0)
  exposure <- data.frame(SNP = rep(snp, K), exposure = rep(sprintf("Exposure %d", seq_len(K)), each = J),
                         id.exposure = rep(ids, each = J), effect_allele.exposure = rep(alleles$ea, K),
                         other_allele.exposure = rep(alleles$oa, K), eaf.exposure = rep(eaf, K),
                         beta.exposure = as.vector(bx), se.exposure = as.vector(se_x),
                         pval.exposure = as.vector(px), stringsAsFactors = FALSE)
  outcome <- data.frame(SNP = snp, beta.outcome = by, se.outcome = se_y, effect_allele.outcome = alleles$ea,
                        other_allele.outcome = alleles$oa, eaf.outcome = eaf,
                        pval.outcome = 2 * stats::pnorm(-abs(by / se_y)), samplesize.outcome = n_outcome,
                        outcome = "Simulated outcome", id.outcome = "out1", stringsAsFactors = FALSE)
  out <- list(exposure = exposure, outcome = outcome)
  attr(out, "truth") <- truth
  out
}
