# Mediation MR: two-step (product of coefficients) and difference (MVMR) methods, with
# delta-method and Monte Carlo intervals for the indirect effect and proportion mediated.

#' Mediation analysis by Mendelian randomization
#'
#' Decomposes the effect of an exposure X on an outcome Y into the part that goes through
#' one or more mediators M and the rest.
#'
#' * **Two-step MR (product of coefficients).** The effect `a` of X on M is estimated on
#'   `dat_xm` (instruments of X looked up in the mediator's GWAS) and the effect `b` of M on
#'   Y on `dat_my` (instruments of M looked up in the outcome's GWAS), each with `method`.
#'   The indirect effect is `a * b` with the delta-method (Sobel) standard error
#'   \eqn{\sqrt{a^2 se_b^2 + b^2 se_a^2}}{sqrt(a^2 se_b^2 + b^2 se_a^2)}.
#' * **Total effect** `c`: `method` on `dat_xy` (instruments of X in the outcome's GWAS).
#'   Given it, the direct effect is `c - a * b` and the proportion mediated `a * b / c`, with
#'   delta-method standard errors that treat `a`, `b` and `c` as independent.
#' * **Difference method.** With `mvdat` (as from `mv_harmonise_data()`, X and the mediators
#'   as exposures), the direct effect of X given the mediators is the coefficient of X in the
#'   multivariable IVW regression of the SNP-outcome effects on the SNP-exposure effects
#'   (weights `1 / se_outcome^2`, no intercept, all variants, standard error from the
#'   weighted least-squares fit as 'TwoSampleMR''s `mv_multiple()` reports it). The indirect
#'   effect is `c - direct` and the proportion mediated `1 - direct / c`, with delta-method
#'   standard errors that treat `c` and `direct` as independent (conservative when both
#'   share the outcome GWAS, as they usually do).
#'
#' Confidence intervals of the derived quantities (indirect and two-step direct effects,
#' proportions mediated) are `b +- z * se` with `ci = "delta"`, or the percentiles of
#' `nboot` Monte Carlo draws with `ci = "bootstrap"` (parametric bootstrap: each estimate
#' drawn from its normal sampling distribution, the derived quantity computed per draw).
#' The draws come from R's RNG, so `set.seed()` reproduces them. Their `se` and `pval` are
#' always the delta-method ones (`pval` from the normal distribution). Total and direct
#' (MVMR) rows are plain estimates with normal intervals.
#'
#' Several mediators are analysed at once when `dat_xm` and `dat_my` are lists of
#' harmonised tables (matched by position) or single tables with several mediators
#' (`id.outcome` of `dat_xm` matched to `id.exposure` of `dat_my`).
#'
#' Checks: a warning of class `mrkit_warning_shared_instruments` when a variant is used in
#' both steps (the overlap is found by SNP identifier; variants in LD with each other are
#' not detected), and of class `mrkit_warning_weak_instruments` when the mean F-statistic
#' of a step's instruments is below 10. Both are recorded in `attr(result, "diagnostics")`.
#'
#' Progress (one step per fitted exposure-mediator, mediator-outcome and total-effect
#' step) is reported through 'progressr' when the user has enabled it
#' (`progressr::with_progress()` or `progressr::handlers(global = TRUE)`); the Monte Carlo
#' draws themselves are vectorised.
#'
#' @param dat_xm Harmonised data, exposure X on mediator(s), as from [harmonise_data()]; or
#'   a list of such tables, one per mediator.
#' @param dat_my Harmonised data, mediator(s) on outcome Y; or a list, one per mediator.
#' @param dat_xy Optional harmonised data, X on Y, for the total effect.
#' @param mvdat Optional multivariable data as from `mv_harmonise_data()` (a list with
#'   `exposure_beta`, `exposure_se`, `exposure_pval` (J x K matrices), `outcome_beta`,
#'   `outcome_se`, `outcome_pval`, `expname`, `outname`), with X and the mediators as
#'   exposures; X is found by its `id.exposure` (or name). Needs `dat_xy`.
#' @param method MR method of the univariable steps, by `obj` name from [mr_method_list()].
#' @param ci `"delta"` or `"bootstrap"`; see Details.
#' @param nboot Number of Monte Carlo draws for `ci = "bootstrap"`.
#' @inheritParams mr
#' @param alpha Confidence intervals have level `1 - alpha`.
#' @return A data frame of class `c("mrkit_mediation", "mrkit_results", "data.frame")`,
#'   one row per effect, with columns `id.exposure, id.mediator, id.outcome, exposure,
#'   mediator, outcome, effect` (`"total"`, `"direct"`, `"indirect"`,
#'   `"proportion_mediated"`), `approach` (`"univariable"`, `"two-step"`, `"difference"`),
#'   `method, nsnp, b, se, lo_ci, up_ci, pval, ci_type`. Attributes: `steps` (the
#'   univariable estimates of each step), `diagnostics` (per mediator: variants per step,
#'   shared variants, mean F-statistics), `parameters`, `nboot`, and `audit`: every row
#'   of `dat_xm`, `dat_my`, `dat_xy` (rule of [mr_input]) and `mvdat` (incomplete rows) not
#'   used, with columns `step` (the argument it came from), `id.exposure, id.outcome, SNP,
#'   reason`; the rows left out are announced in one message.
#' @export
#' @examples
#' # Simulated steps: X -> M (0.3), M -> Y (0.4), X -> Y in total 0.2 + 0.3 * 0.4.
#' xm <- simulate_mr_data(nsnp = 40, b = 0.3, seed = 1, id_exposure = "X", id_outcome = "M",
#'                        exposure = "X", outcome = "M")
#' my <- simulate_mr_data(nsnp = 40, b = 0.4, seed = 2, id_exposure = "M", id_outcome = "Y",
#'                        exposure = "M", outcome = "Y")
#' my$SNP <- paste0(my$SNP, "_m")  # the mediator's own instruments
#' xy <- simulate_mr_data(nsnp = 40, b = 0.32, seed = 3, id_exposure = "X", id_outcome = "Y",
#'                        exposure = "X", outcome = "Y")
#' mr_mediation(xm, my, xy)
#' set.seed(1)
#' mr_mediation(xm, my, xy, ci = "bootstrap", nboot = 2000)
mr_mediation <- function(dat_xm, dat_my, dat_xy = NULL, mvdat = NULL, method = "mr_ivw",
                         ci = c("delta", "bootstrap"), nboot = 10000,
                         parameters = default_parameters(), alpha = 0.05) {
  call <- rlang::current_env()
  ci <- rlang::arg_match(ci)
  info <- lookup_methods(method, call = call)
  if (length(method) != 1L) abort_mrkit("parameter", "{.arg method} must be a single method name.", call = call)
  parameters <- check_parameters(parameters, call = call)
  if (!is.numeric(alpha) || length(alpha) != 1L || is.na(alpha) || alpha <= 0 || alpha >= 1) {
    abort_mrkit("parameter", "{.arg alpha} must be a single number in (0, 1).", call = call)
  }
  if (ci == "bootstrap" && (!is.numeric(nboot) || length(nboot) != 1L || is.na(nboot) || nboot < 100)) {
    abort_mrkit("parameter", "{.arg nboot} must be a single number >= 100.", call = call)
  }
  if (!is.null(mvdat) && is.null(dat_xy)) {
    abort_mrkit("missing_argument", c("The difference method needs the total effect: supply {.arg dat_xy}.",
                                      i = "{.arg mvdat} gives only the direct effect of X given the mediators."), call = call)
  }
  steps <- mediation_steps(dat_xm, dat_my, call = call)
  K <- length(steps$xm)
  # One progress step per fitted step (slow methods on many mediators take a while).
  progress <- design_progressor(2L * K + as.integer(!is.null(dat_xy)))
  fit <- function(d, what) {
    on.exit(progress())
    mediation_step_fit(d, method, parameters, what, call = call)
  }
  a <- lapply(seq_len(K), function(k) fit(steps$xm[[k]], "dat_xm"))
  bm <- lapply(seq_len(K), function(k) fit(steps$my[[k]], "dat_my"))
  tot <- if (!is.null(dat_xy)) fit(dat_xy, "dat_xy")
  ids <- steps$ids
  diag <- mediation_diagnostics(a, bm, tot, ids)
  z <- stats::qnorm(1 - alpha / 2)
  nb <- as.integer(nboot)
  draw <- function(est) {
    if (ci != "bootstrap") return(NULL)
    if (!all(is.finite(c(est$b, est$se)))) return(rep(NA_real_, nb))
    stats::rnorm(nb, est$b, est$se)
  }
  c_draw <- if (!is.null(tot)) draw(tot)
  rows <- list()
  row <- function(mediator_k, effect, approach, meth, nsnp, b, se, draws = NULL, derived = !missing(draws)) {
    med <- if (is.na(mediator_k)) list(id = NA_character_, name = NA_character_) else
      list(id = ids$id.mediator[mediator_k], name = ids$mediator[mediator_k])
    ci_type <- "normal"
    lo <- b - z * se; up <- b + z * se
    if (derived) {
      ci_type <- ci
      if (ci == "bootstrap" && all(is.finite(c(b, se)))) {
        q <- stats::quantile(draws, c(alpha / 2, 1 - alpha / 2), names = FALSE, na.rm = TRUE)
        lo <- q[1]; up <- q[2]
      }
    }
    data.frame(id.exposure = ids$id.exposure, id.mediator = med$id, id.outcome = ids$id.outcome,
               exposure = ids$exposure, mediator = med$name, outcome = ids$outcome,
               effect = effect, approach = approach, method = meth, nsnp = as.integer(nsnp),
               b = b, se = se, lo_ci = lo, up_ci = up, pval = p_normal_two_sided(b / se),
               ci_type = ci_type, stringsAsFactors = FALSE)
  }
  if (!is.null(tot)) {
    rows[[length(rows) + 1L]] <- row(NA, "total", "univariable", info$name, tot$nsnp, tot$b, tot$se)
    rows[[length(rows)]]$pval <- tot$pval
  }
  two_step <- paste0("Product of coefficients (", info$name, ")")
  for (k in seq_len(K)) {
    ak <- a[[k]]; bk <- bm[[k]]
    ind <- ak$b * bk$b
    ind_se <- sqrt(ak$b^2 * bk$se^2 + bk$b^2 * ak$se^2)
    a_d <- draw(ak); b_d <- draw(bk)
    ind_d <- if (ci == "bootstrap") a_d * b_d
    nsnp_k <- ak$nsnp + bk$nsnp
    rows[[length(rows) + 1L]] <- row(k, "indirect", "two-step", two_step, nsnp_k, ind, ind_se, ind_d)
    if (!is.null(tot)) {
      dir <- tot$b - ind
      dir_se <- sqrt(tot$se^2 + ind_se^2)
      rows[[length(rows) + 1L]] <- row(k, "direct", "two-step", two_step, NA, dir, dir_se,
                                       if (ci == "bootstrap") c_draw - ind_d)
      prop <- ind / tot$b
      prop_se <- sqrt((bk$b / tot$b)^2 * ak$se^2 + (ak$b / tot$b)^2 * bk$se^2 +
                        (ind / tot$b^2)^2 * tot$se^2)
      rows[[length(rows) + 1L]] <- row(k, "proportion_mediated", "two-step", two_step, NA, prop, prop_se,
                                       if (ci == "bootstrap") ind_d / c_draw)
    }
  }
  if (!is.null(mvdat)) {
    mv <- mediation_direct_effect(mvdat, ids, call = call)
    all_med <- length(mv$mediators) > 0L
    k_all <- NA
    mv_row <- function(...) {
      r <- row(k_all, ...)
      r$id.mediator <- paste(mv$mediator_ids, collapse = " + ")
      r$mediator <- paste(mv$mediators, collapse = " + ")
      r
    }
    d_draw <- draw(mv)
    r <- mv_row("direct", "difference", "Multivariable IVW", mv$nsnp, mv$b, mv$se)
    r$pval <- mv$pval
    rows[[length(rows) + 1L]] <- r
    diff_b <- tot$b - mv$b
    diff_se <- sqrt(tot$se^2 + mv$se^2)
    diff_name <- paste0("Difference (", info$name, " - multivariable IVW)")
    rows[[length(rows) + 1L]] <- mv_row("indirect", "difference", diff_name, NA, diff_b, diff_se,
                                        if (ci == "bootstrap") c_draw - d_draw)
    prop <- 1 - mv$b / tot$b
    prop_se <- sqrt(mv$se^2 / tot$b^2 + (mv$b / tot$b^2)^2 * tot$se^2)
    rows[[length(rows) + 1L]] <- mv_row("proportion_mediated", "difference", diff_name, NA, prop, prop_se,
                                        if (ci == "bootstrap") 1 - d_draw / c_draw)
    if (!all_med) warn_mrkit("no_mediator", "{.arg mvdat} holds no exposure besides X: the direct effect equals the total effect of the multivariable fit.")
  }
  out <- do.call(rbind, rows)
  rownames(out) <- NULL
  step_tab <- do.call(rbind, c(
    lapply(seq_len(K), function(k) mediation_step_row(a[[k]], "exposure_to_mediator", ids$exposure, ids$mediator[k], info$name)),
    lapply(seq_len(K), function(k) mediation_step_row(bm[[k]], "mediator_to_outcome", ids$mediator[k], ids$outcome, info$name)),
    if (!is.null(tot)) list(mediation_step_row(tot, "exposure_to_outcome", ids$exposure, ids$outcome, info$name))))
  fits <- c(a, bm, if (!is.null(tot)) list(tot), if (!is.null(mvdat)) list(mv))
  audit <- do.call(rbind, lapply(fits, `[[`, "audit"))
  rownames(audit) <- NULL
  announce_dropped(audit, sum(vapply(fits, function(f) as.double(f$n_given), 1)), "mr_mediation()")
  new_mrkit_mediation(out, steps = step_tab, diagnostics = diag, parameters = parameters,
                      nboot = if (ci == "bootstrap") nb else NA_integer_, audit = audit)
}

new_mrkit_mediation <- function(x, steps, diagnostics, parameters, nboot, audit = NULL) {
  x <- new_mrkit_results(x, parameters = parameters, audit = audit, class = "mrkit_mediation")
  attr(x, "steps") <- steps
  attr(x, "diagnostics") <- diagnostics
  attr(x, "nboot") <- nboot
  validate_mrkit_mediation(x)
}

validate_mrkit_mediation <- function(x) {
  cols <- c("exposure", "mediator", "outcome", "effect", "method", "b", "se", "lo_ci", "up_ci", "pval")
  stopifnot(all(cols %in% names(x)),
            all(x$effect %in% c("total", "direct", "indirect", "proportion_mediated")))
  x
}

#' @export
print.mrkit_mediation <- function(x, digits = 4, ...) {
  df <- as.data.frame(x)
  ids <- unique(df[c("exposure", "outcome")])
  n_med <- length(unique(stats::na.omit(df$mediator)))
  cli::cat_line(cli::format_inline("{.cls mrkit_mediation}: {ids$exposure[1]} -> {n_med} mediator{?s} -> {ids$outcome[1]}; {nrow(df)} row{?s}"))
  show <- df[c("mediator", "effect", "approach", "nsnp", "b", "se", "lo_ci", "up_ci", "pval", "ci_type")]
  print(show, digits = digits, row.names = FALSE, ...)
  nb <- attr(x, "nboot")
  if (!is.null(nb) && !is.na(nb)) cli::cat_line(cli::format_inline("Monte Carlo intervals from {nb} draws."))
  d <- attr(x, "diagnostics")
  if (!is.null(d)) {
    if (any(d$n_shared > 0)) cli::cat_line("Some instruments are shared by the two steps; see attr(x, \"diagnostics\").")
    if (any(d$weak, na.rm = TRUE)) cli::cat_line("Weak instruments (mean F < 10) in some step; see attr(x, \"diagnostics\").")
  }
  invisible(x)
}

#' @export
as.data.frame.mrkit_mediation <- function(x, ...) {
  attr(x, "steps") <- attr(x, "diagnostics") <- attr(x, "nboot") <- NULL
  as.data.frame.mrkit_results(x, ...)
}

# -- helpers ------------------------------------------------------------------------------

# Split the two step tables into one table per mediator and match them.
mediation_steps <- function(dat_xm, dat_my, call = rlang::caller_env()) {
  xm <- mediation_split(dat_xm, "id.outcome", "dat_xm", call = call)
  my <- mediation_split(dat_my, "id.exposure", "dat_my", call = call)
  x_ids <- unique(unlist(lapply(xm, function(d) unique(d$id.exposure))))
  y_ids <- unique(unlist(lapply(my, function(d) unique(d$id.outcome))))
  if (length(x_ids) != 1L) {
    abort_mrkit("input_value", c("{.arg dat_xm} must have one exposure (X).", x = "It has {.val {x_ids}}."), call = call)
  }
  if (length(y_ids) != 1L) {
    abort_mrkit("input_value", c("{.arg dat_my} must have one outcome (Y).", x = "It has {.val {y_ids}}."), call = call)
  }
  by_position <- is.list(dat_xm) && !is.data.frame(dat_xm) && is.list(dat_my) && !is.data.frame(dat_my)
  if (by_position) {
    if (length(xm) != length(my)) {
      abort_mrkit("mediator_mismatch", c("{.arg dat_xm} and {.arg dat_my} must list the same mediators.",
                                         x = "They have {length(xm)} and {length(my)} tables."), call = call)
    }
  } else {
    if (!setequal(names(xm), names(my))) {
      abort_mrkit("mediator_mismatch", c("The mediators of {.arg dat_xm} ({.field id.outcome}) and {.arg dat_my} ({.field id.exposure}) must be the same.",
                                         x = "{.val {names(xm)}} vs {.val {names(my)}}.",
                                         i = "Or pass lists of tables, matched by position."), call = call)
    }
    my <- my[names(xm)]
  }
  ids <- list(id.exposure = x_ids, exposure = xm[[1]]$exposure[1],
              id.outcome = y_ids, outcome = my[[1]]$outcome[1],
              id.mediator = vapply(xm, function(d) as.character(d$id.outcome[1]), ""),
              mediator = vapply(xm, function(d) as.character(d$outcome[1]), ""))
  list(xm = unname(xm), my = unname(my), ids = ids)
}

mediation_split <- function(dat, col, what, call = rlang::caller_env()) {
  tabs <- if (is.data.frame(dat)) list(dat) else dat
  if (!is.list(tabs) || length(tabs) == 0L) {
    abort_mrkit("input_type", "{.arg {what}} must be a harmonised data frame or a list of them.", call = call)
  }
  out <- list()
  for (i in seq_along(tabs)) {
    d <- tabs[[i]]
    check_columns(d, c("id.exposure", "id.outcome", "exposure", "outcome", "SNP", "beta.exposure",
                       "beta.outcome", "se.exposure", "se.outcome", "mr_keep"), what = what, call = call)
    keys <- unique(as.character(d[[col]]))
    if (!is.data.frame(dat) && length(keys) != 1L) {
      abort_mrkit("input_value", c("Each table of {.arg {what}} must hold one mediator.",
                                   x = "Table {i} has {length(keys)} values of {.field {col}}."), call = call)
    }
    for (k in keys) out[[k]] <- d[as.character(d[[col]]) == k, , drop = FALSE]
  }
  if (!is.data.frame(dat)) names(out) <- vapply(tabs, function(d) as.character(d[[col]][1]), "")
  out
}

# Fit one univariable step: the usable rows of the single pair in `d`, one method.
mediation_step_fit <- function(d, method, parameters, what, call = rlang::caller_env()) {
  prep <- suppressMessages(prepare_pairs(d, call = call))
  if (nrow(prep$pairs) > 1L) {
    abort_mrkit("input_value", c("{.arg {what}} must hold one exposure-outcome pair per mediator.",
                                 x = "It has {nrow(prep$pairs)} pairs."), call = call)
  }
  audit <- prep$audit
  audit <- data.frame(step = rep(what, nrow(audit)), audit[c("id.exposure", "id.outcome", "SNP", "reason")],
                      stringsAsFactors = FALSE)
  if (nrow(prep$pairs) == 0L) {
    return(list(b = NA_real_, se = NA_real_, pval = NA_real_, nsnp = 0L, snps = character(), F = numeric(),
                n_given = nrow(d), audit = audit))
  }
  x <- prep$data
  res <- mr_method_fit(method, x$beta.exposure, x$beta.outcome, x$se.exposure, x$se.outcome,
                       parameters, call = call)
  list(b = res$b, se = res$se, pval = res$pval, nsnp = nrow(x), snps = as.character(x$SNP),
       F = fstat_snp(x$beta.exposure, x$se.exposure), n_given = nrow(d), audit = audit)
}

mediation_step_row <- function(est, step, from, to, method) {
  data.frame(step = step, exposure = from, outcome = to, method = method, nsnp = est$nsnp,
             b = est$b, se = est$se, pval = est$pval, mean_F = if (length(est$F)) mean(est$F) else NA_real_,
             stringsAsFactors = FALSE)
}

# Shared instruments and weak instruments; one classed warning each.
mediation_diagnostics <- function(a, bm, tot, ids) {
  K <- length(a)
  shared <- lapply(seq_len(K), function(k) intersect(a[[k]]$snps, bm[[k]]$snps))
  mF <- function(e) if (is.null(e) || !length(e$F)) NA_real_ else mean(e$F)
  d <- data.frame(mediator = ids$mediator, nsnp_xm = vapply(a, `[[`, 1L, "nsnp"),
                  nsnp_my = vapply(bm, `[[`, 1L, "nsnp"), n_shared = lengths(shared),
                  mean_F_xm = vapply(a, mF, 1), mean_F_my = vapply(bm, mF, 1),
                  mean_F_xy = mF(tot), stringsAsFactors = FALSE)
  d$weak <- d$mean_F_xm < 10 | d$mean_F_my < 10 | (!is.na(d$mean_F_xy) & d$mean_F_xy < 10)
  if (any(d$n_shared > 0)) {
    k <- which(d$n_shared > 0)
    snps <- unique(unlist(shared[k]))
    warn_mrkit("shared_instruments",
               c("The two steps share {length(snps)} instrument{?s} (mediator: {.val {d$mediator[k]}}).",
                 x = "Shared: {.val {utils::head(snps, 10)}}.",
                 i = "Overlap is checked by SNP identifier only; variants in LD are not detected. The product-of-coefficients SE assumes independent steps."))
  }
  if (any(d$weak, na.rm = TRUE)) {
    k <- which(d$weak)
    warn_mrkit("weak_instruments",
               c("Weak instruments (mean F-statistic below 10) for mediator {.val {d$mediator[k]}}.",
                 i = "Mean F: X->M {format(signif(d$mean_F_xm[k], 3))}; M->Y {format(signif(d$mean_F_my[k], 3))}; X->Y {format(signif(d$mean_F_xy[k], 3))}."))
  }
  d
}

# The coefficient of X in the multivariable IVW fit of mvdat.
mediation_direct_effect <- function(mvdat, ids, call = rlang::caller_env()) {
  need <- c("exposure_beta", "exposure_se", "outcome_beta", "outcome_se", "expname")
  if (!is.list(mvdat) || !all(need %in% names(mvdat))) {
    abort_mrkit("input_type", c("{.arg mvdat} must be a list as {.fn mv_harmonise_data} returns.",
                                x = "Missing element{?s} {.field {setdiff(need, names(mvdat))}}."), call = call)
  }
  fit <- mediation_mv_fit(mvdat$exposure_beta, mvdat$outcome_beta, mvdat$outcome_se, call = call)
  en <- as.data.frame(mvdat$expname)
  id_col <- if ("id.exposure" %in% names(en)) as.character(en$id.exposure) else colnames(mvdat$exposure_beta)
  name_col <- if ("exposure" %in% names(en)) as.character(en$exposure) else id_col
  if (length(id_col) != ncol(as.matrix(mvdat$exposure_beta))) id_col <- colnames(mvdat$exposure_beta)
  j <- match(ids$id.exposure, id_col)
  if (is.na(j)) j <- match(ids$exposure, name_col)
  if (is.na(j)) {
    abort_mrkit("mediator_mismatch", c("Exposure {.val {ids$id.exposure}} of {.arg dat_xm} is not an exposure of {.arg mvdat}.",
                                       i = "Exposures of {.arg mvdat}: {.val {id_col}}."), call = call)
  }
  list(b = fit$b[j], se = fit$se[j], pval = fit$pval[j], nsnp = fit$nsnp,
       mediators = name_col[-j], mediator_ids = id_col[-j], n_given = fit$n_given, audit = fit$audit)
}

# Multivariable IVW (TwoSampleMR's mv_multiple: weighted regression of by on the columns of
# bx through the origin, weights 1/sy^2, residual-variance SEs without floor, normal
# p-values), computed by the shared multivariable core.
mediation_mv_fit <- function(bx, by, sy, call = rlang::caller_env()) {
  bx <- as.matrix(bx)
  if (!is.numeric(bx) || !is.numeric(by) || !is.numeric(sy) || nrow(bx) != length(by) || length(sy) != length(by)) {
    abort_mrkit("input_value", "{.arg mvdat} must hold a J x K matrix {.field exposure_beta} and J-vectors {.field outcome_beta}, {.field outcome_se}.", call = call)
  }
  ok <- stats::complete.cases(bx, by, sy)
  snps <- rownames(bx) %||% as.character(seq_len(nrow(bx)))
  audit <- data.frame(step = rep("mvdat", sum(!ok)), id.exposure = rep(NA_character_, sum(!ok)),
                      id.outcome = rep(NA_character_, sum(!ok)), SNP = snps[!ok],
                      reason = rep("missing exposure or outcome effect or outcome standard error", sum(!ok)),
                      stringsAsFactors = FALSE)
  n_given <- nrow(bx)
  bx <- bx[ok, , drop = FALSE]; by <- by[ok]; sy <- sy[ok]
  if (any(sy <= 0)) abort_mrkit("se_nonpositive", "{.field outcome_se} of {.arg mvdat} must be positive (rule: SE > 0).", call = call)
  J <- nrow(bx); K <- ncol(bx)
  if (J <= K) {
    return(list(b = rep(NA_real_, K), se = rep(NA_real_, K), pval = rep(NA_real_, K), nsnp = J,
                n_given = n_given, audit = audit))
  }
  if (qr(bx / sy)$rank < K) abort_mrkit("input_value", "The exposure effects in {.arg mvdat} are collinear.", call = call)
  storage.mode(bx) <- "double"
  res <- call_core(cpp_mv_tsmr("multiple", bx, as.double(by), as.double(sy), matrix(0, J, K), 1, FALSE, FALSE),
                   what = "the multivariable fit", call = call)
  list(b = res$b, se = res$se, pval = res$pval, nsnp = J, n_given = n_given, audit = audit)
}
