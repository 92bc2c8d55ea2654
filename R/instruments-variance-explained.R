# Variance explained by each instrument (methods.md 6.1): r^2 from b, se and n, from p and n, and
# from log odds ratios. Vectorised closed forms in R; the only search (get_r_from_pn for p-values
# whose F quantile R cannot give exactly) is a 1-D root find.

#' Correlation of a variant with a trait from its effect, standard error and sample size
#'
#' 'TwoSampleMR''s `get_r_from_bsen()`: with \eqn{F = (b / se)^2}, the signed correlation
#' \eqn{r = \mathrm{sign}(b) \sqrt{F / (n - 2 + F)}}.
#'
#' @param b Effect sizes.
#' @param se Their standard errors (positive).
#' @param n (Effective) sample sizes, one per effect or a single number.
#' @return A numeric vector of signed correlations. Elements with `n <= 2` are `NA`, with a
#'   warning of class `mrkit_warning_small_n`.
#' @export
#' @examples
#' get_r_from_bsen(c(0.02, -0.05), c(0.004, 0.01), 1e5)
get_r_from_bsen <- function(b, se, n) {
  call <- rlang::current_env()
  check_numeric_args(list(b = b, se = se, n = n), call = call)
  check_recyclable(list(b = b, se = se, n = n), length(b), call = call)
  bad <- which(!is.na(se) & !(se > 0))
  if (length(bad)) {
    abort_mrkit("se_nonpositive", c("{.arg se} must be positive (rule: SE > 0).",
                                    x = "Element{?s} {as.character(bad)} {?is/are} zero or negative."), call = call)
  }
  n <- small_n_to_na(n, 2, "n", length(b))
  f <- (b / se)^2
  sign(b) * sqrt(f / (n - 2 + f))
}

#' Correlation of a variant with a trait from its p-value and sample size
#'
#' 'TwoSampleMR''s `get_r_from_pn()`: \eqn{F} is the upper-tail quantile of the
#' \eqn{F(1, n - 1)} distribution at `p` and \eqn{R^2 = F / (n - 2 + F)} (the mismatch of
#' \eqn{n - 1} and \eqn{n - 2} is 'TwoSampleMR''s and is kept). This approximation assumes
#' a quantitative trait; use [get_r_from_lor()] for binary traits.
#'
#' Where R's `qf()` cannot give the quantile (non-finite, as in 'TwoSampleMR') or gives it
#' only approximately (for \eqn{n - 1 > 4 \times 10^5} R switches to a chi-squared
#' approximation that is visibly off in the far tail), \eqn{R^2} is found numerically so
#' that [get_p_from_r2n()] returns `p` again: 'TwoSampleMR' minimises
#' \eqn{|-\log_{10} p(R^2) + \log_{10} p|} by Nelder-Mead from 0.001; mrkit solves the same
#' equation by root finding on the log scale, to full precision. For \eqn{n \le 4 \times
#' 10^5 + 1} and \eqn{p > 0} the result is exactly 'TwoSampleMR''s.
#'
#' @param p P-values.
#' @param n Sample sizes, one per p-value or a single number (recycled with a message).
#' @return A numeric vector of non-negative correlations. `p = 0` gives `NA` with a warning
#'   of class `mrkit_warning_p_zero`; `n <= 2` gives `NA` with a warning of class
#'   `mrkit_warning_small_n`; missing `p` or `n` give `NA`.
#' @export
#' @examples
#' get_r_from_pn(c(1e-8, 1e-30), 1e5)
#' # The round trip
#' get_p_from_r2n(get_r_from_pn(1e-30, 1e5)^2, 1e5)
get_r_from_pn <- function(p, n) {
  call <- rlang::current_env()
  check_numeric_args(list(p = p, n = n), call = call)
  check_probability(p, "p", call = call)
  if (length(p) > 1L && length(n) == 1L) {
    inform_plain("recycled_n", "Assuming `n` is the same for all p-values.")
  }
  check_recyclable(list(p = p, n = n), length(p), call = call)
  n <- small_n_to_na(n, 2, "n", length(p))
  zero <- which(!is.na(p) & p == 0)
  if (length(zero)) {
    warn_mrkit("p_zero", c("A p-value of 0 cannot be converted to a correlation; {length(zero)} result{?s} set to NA.",
                           i = "Element{?s} {as.character(zero)}."))
  }
  f <- suppressWarnings(stats::qf(p, 1, n - 1, lower.tail = FALSE))
  r2 <- f / (n - 2 + f)
  r2[zero] <- NA_real_
  ok <- !is.na(p) & !is.na(n) & p > 0
  # Quantiles that are non-finite or do not reproduce p: solve for R^2 numerically.
  log_p <- log(p)
  back <- suppressWarnings(stats::pf(f, 1, n - 1, lower.tail = FALSE, log.p = TRUE))
  redo <- which(ok & (!is.finite(f) | !(abs(back - log_p) <= 1e-9 * pmax(1, abs(log_p)))))
  if (length(redo)) r2[redo] <- r2_search(p[redo], n[redo], f[redo])
  sqrt(r2)
}

# R^2 such that get_p_from_r2n(R^2, n) == p, i.e. the root in F > 0 of
# log P(F(1, n - 1) > F) = log p, with R^2 = F / (n - 2 + F). Vectorised Newton steps on the
# log scale from the approximate quantile `f0` (qf's, or the chi-squared one), then a
# bracketing root finder for any variant that has not converged.
r2_search <- function(p, n, f0 = rep(NA_real_, length(p))) {
  target <- log(p)
  f <- ifelse(is.finite(f0) & f0 > 0, f0, stats::qchisq(p, 1, lower.tail = FALSE))
  tol <- 1e-13 * pmax(1, abs(target))
  done <- rep(FALSE, length(p))
  for (iter in seq_len(30)) {
    pending <- which(!done)
    if (!length(pending)) break
    lp <- stats::pf(f[pending], 1, n[pending] - 1, lower.tail = FALSE, log.p = TRUE)
    ld <- stats::df(f[pending], 1, n[pending] - 1, log = TRUE)
    gap <- lp - target[pending]
    done[pending] <- is.finite(gap) & abs(gap) <= tol[pending]
    step <- gap / exp(ld - lp)
    f_new <- f[pending] + step
    f_new <- ifelse(is.finite(f_new) & f_new > 0, f_new, f[pending] / 2)
    f[pending] <- ifelse(done[pending], f[pending], f_new)
  }
  for (i in which(!done)) f[i] <- f_bracket(p[i], n[i])
  f / (n - 2 + f)
}

f_bracket <- function(p, n) {
  target <- log(p)
  g <- function(f) stats::pf(f, 1, n - 1, lower.tail = FALSE, log.p = TRUE) - target
  f0 <- stats::qchisq(p, 1, lower.tail = FALSE)
  lo <- f0 / 2
  hi <- f0 * 2 + 1
  while (g(lo) < 0 && lo > 1e-300) lo <- lo / 4
  while (g(hi) > 0 && hi < 1e300) hi <- hi * 4
  if (!(g(lo) >= 0 && g(hi) <= 0)) return(NA_real_)
  stats::uniroot(g, c(lo, hi), tol = 1e-14 * f0, maxiter = 1000)$root
}

#' P-value from the variance explained and the sample size
#'
#' 'TwoSampleMR''s `get_p_from_r2n()`: \eqn{F = r^2 (n - 2) / (1 - r^2)} referred to the
#' upper tail of \eqn{F(1, n - 1)}.
#'
#' @param r2 Variance explained (squared correlation), in `[0, 1)`.
#' @param n Sample sizes, one per value or a single number.
#' @return A numeric vector of p-values.
#' @export
#' @examples
#' get_p_from_r2n(c(1e-4, 1e-3), 1e5)
get_p_from_r2n <- function(r2, n) {
  call <- rlang::current_env()
  check_numeric_args(list(r2 = r2, n = n), call = call)
  check_recyclable(list(r2 = r2, n = n), length(r2), call = call)
  bad <- which(!is.na(r2) & (r2 < 0 | r2 > 1))
  if (length(bad)) {
    abort_mrkit("input_value", c("{.arg r2} must lie in [0, 1].", x = "Element{?s} {as.character(bad)} {?is/are} outside."),
                call = call)
  }
  n <- small_n_to_na(n, 2, "n", length(r2))
  f <- r2 * (n - 2) / (1 - r2)
  stats::pf(f, 1, n - 1, lower.tail = FALSE)
}

#' Variance of liability explained by a variant of a binary trait
#'
#' 'TwoSampleMR''s `get_r_from_lor()` (equation 10 of Lee et al. 2012,
#' \doi{10.1002/gepi.21614}). The case fraction of the study is
#' \eqn{\pi = n_{case} / (n_{case} + n_{control})}. The cell \eqn{z} = P(case, effect allele) of
#' the 2x2 table with allele frequency `af`, case fraction \eqn{\pi} and odds ratio
#' \eqn{OR = e^{lor}} solves \eqn{(OR - 1) z^2 + [(af + \pi)(1 - OR) - 1] z + OR\,af\,\pi = 0}
#' (linear when \eqn{|OR - 1| < 10^{-15}}; a single root when the discriminant is below
#' \eqn{10^{-30}}); the root that gives a table with no negative cell is used. The allele
#' frequencies in cases \eqn{z / \pi} and controls \eqn{(af - z) / (1 - \pi)} give the
#' population frequency \eqn{q = af_{control} (1 - prevalence) + af_{case}\, prevalence},
#' \eqn{V_G = lor^2 q (1 - q)} (no factor 2, as in 'TwoSampleMR'), \eqn{V_E = \pi^2 / 3}
#' (logit; the constant \eqn{\pi}) or 1 (probit), and \eqn{r^2 = V_G / (V_G + V_E)}, divided by
#' 0.58 when `correction = TRUE`.
#'
#' 'TwoSampleMR' rounds the table cells with `zapsmall()` (7 significant digits) before
#' using them; mrkit keeps full precision and computes the roots in the cancellation-free
#' form, so the two differ by up to about \eqn{10^{-6}} relative (typically \eqn{10^{-8}} to
#' \eqn{10^{-7}}).
#'
#' @param lor Log odds ratios.
#' @param af Effect-allele frequencies in the study, in (0, 1).
#' @param ncase,ncontrol Numbers of cases and controls (positive), one per variant or a
#'   single number.
#' @param prevalence Population prevalence of the disease, in (0, 1), one per variant or a
#'   single number.
#' @param model `"logit"` (default) or `"probit"`: the model the log odds ratio comes from.
#' @param correction If `TRUE`, divide \eqn{r^2} by 0.58.
#' @return A numeric vector of signed correlations (\eqn{\mathrm{sign}(lor) \sqrt{r^2}}).
#'   Variants with a missing input, or for which no valid 2x2 table exists, are `NA`
#'   (the latter with a warning of class `mrkit_warning_invalid_table`).
#' @export
#' @examples
#' get_r_from_lor(c(0.1, -0.2), c(0.3, 0.5), ncase = 5000, ncontrol = 15000, prevalence = 0.05)
get_r_from_lor <- function(lor, af, ncase, ncontrol, prevalence, model = "logit", correction = FALSE) {
  call <- rlang::current_env()
  check_numeric_args(list(lor = lor, af = af, ncase = ncase, ncontrol = ncontrol,
                          prevalence = prevalence), call = call)
  if (length(af) != length(lor)) {
    abort_mrkit("input_length", c("{.arg lor} and {.arg af} must have the same length.",
                                  x = "Lengths are {length(lor)} and {length(af)}."), call = call)
  }
  check_recyclable(list(ncase = ncase, ncontrol = ncontrol, prevalence = prevalence), length(lor),
                   call = call)
  if (!is.character(model) || length(model) != 1L || !model %in% c("logit", "probit")) {
    abort_mrkit("input_value", "{.arg model} must be {.val logit} or {.val probit}.", call = call)
  }
  if (!is.logical(correction) || length(correction) != 1L || is.na(correction)) {
    abort_mrkit("input_type", "{.arg correction} must be TRUE or FALSE.", call = call)
  }
  check_open_unit(af, "af", call = call)
  check_open_unit(prevalence, "prevalence", call = call)
  check_positive_args(list(ncase = ncase, ncontrol = ncontrol), call = call)
  J <- length(lor)
  prop <- rep_len(ncase, J) / (rep_len(ncase, J) + rep_len(ncontrol, J))
  prevalence <- rep_len(prevalence, J)
  z <- case_allele_cell(af, prop, exp(lor))
  invalid <- which(is.na(z) & !is.na(lor) & !is.na(af) & !is.na(prop))
  if (length(invalid)) {
    warn_mrkit("invalid_table", c("No valid 2x2 table for {length(invalid)} variant{?s}; set to NA.",
                                  i = "Element{?s} {as.character(invalid)}."))
  }
  af_case <- z / prop
  af_control <- (af - z) / (1 - prop)
  q <- af_control * (1 - prevalence) + af_case * prevalence
  vg <- lor^2 * q * (1 - q)
  ve <- if (model == "logit") pi^2 / 3 else 1
  r2 <- vg / (vg + ve)
  if (correction) r2 <- r2 / 0.58
  sign(lor) * sqrt(r2)
}

# Cell P(case, effect allele) of the 2x2 table with margins af (allele) and prop (case),
# odds ratio or: the root of the quadratic that leaves no cell negative; NA if none.
case_allele_cell <- function(af, prop, or, eps = 1e-15) {
  a <- or - 1
  b <- (af + prop) * (1 - or) - 1
  c0 <- or * af * prop
  d <- b^2 - 4 * a * c0
  sq <- sqrt(pmax(0, d))
  # Cancellation-free roots: q = -(b + sign(b) sqrt(d)) / 2, roots q / a and c / q.
  qq <- -(b + ifelse(b < 0, -1, 1) * sq) / 2
  z1 <- qq / a
  z2 <- c0 / qq
  single <- !is.na(d) & d < eps^2
  z1[single] <- z2[single] <- -b[single] / (2 * a[single])
  linear <- !is.na(a) & abs(a) < eps
  z1[linear] <- z2[linear] <- -c0[linear] / b[linear]
  valid <- function(z) {
    tol <- 1e-12
    z >= -tol & prop - z >= -tol & af - z >= -tol & 1 + z - af - prop >= -tol
  }
  v1 <- valid(z1)
  v2 <- valid(z2)
  z <- ifelse(!is.na(v1) & v1, z1, ifelse(!is.na(v2) & v2, z2, NA_real_))
  pmin(pmax(z, 0), pmin(af, prop))
}

#' Effective sample size of a case-control study
#'
#' \eqn{2 / (1 / n_{case} + 1 / n_{control})}, as 'TwoSampleMR''s `effective_n()`.
#'
#' @param ncase,ncontrol Numbers of cases and controls (positive), recycled to a common
#'   length.
#' @return A numeric vector of effective sample sizes.
#' @export
#' @examples
#' effective_n(c(1000, 5000), c(9000, 5000))
effective_n <- function(ncase, ncontrol) {
  call <- rlang::current_env()
  check_numeric_args(list(ncase = ncase, ncontrol = ncontrol), call = call)
  check_recyclable(list(ncase = ncase, ncontrol = ncontrol), max(length(ncase), length(ncontrol)),
                   call = call)
  check_positive_args(list(ncase = ncase, ncontrol = ncontrol), call = call)
  2 / (1 / ncase + 1 / ncontrol)
}

#' Add the variance explained by each variant to a table
#'
#' 'TwoSampleMR''s `add_rsq()`, for exposure, outcome or harmonised tables. For each trait
#' (`T` = `exposure`, `outcome`) and each of its ids (`id.T`), unless a column `rsq.T` is
#' already present:
#' * p-values below 1e-300 in `pval.T` are set to 1e-300 (as 'TwoSampleMR' does);
#' * `units.T == "log odds"`: `rsq.T` is the squared [get_r_from_lor()] from `beta.T, eaf.T,
#'   ncase.T, ncontrol.T` and `prevalence.T` (0.1 when the column is absent, with a warning
#'   of class `mrkit_warning_prevalence_assumed`), `effective_n.T` is [effective_n()];
#' * all units contain `"SD"` and `eaf.T` is complete: `rsq.T = 2 beta^2 eaf (1 - eaf)`,
#'   `effective_n.T = samplesize.T`;
#' * otherwise `rsq.T` is the squared [get_r_from_bsen()] of `beta.T, se.T, samplesize.T` for
#'   rows with `pval.T` and `samplesize.T` present, and `effective_n.T = samplesize.T`.
#'
#' Rows whose `rsq.T` cannot be computed are `NA`; when none can, a warning of class
#' `mrkit_warning_rsq_unavailable` names the id and what is missing. Unlike 'TwoSampleMR'
#' (which sorts by id), rows keep their input order.
#'
#' @param dat An exposure, outcome or harmonised table.
#' @return `dat` with columns `rsq.T` and `effective_n.T` added for each trait present.
#' @export
#' @examples
#' dat <- simulate_mr_data(nsnp = 5, seed = 1)
#' add_rsq(dat)[, c("SNP", "rsq.exposure", "rsq.outcome")]
add_rsq <- function(dat) {
  call <- rlang::current_env()
  if (!is.data.frame(dat)) {
    abort_mrkit("input_type", c("{.arg dat} must be a data frame.", x = "It is {.cls {class(dat)}}."),
                call = call)
  }
  for (what in c("exposure", "outcome")) {
    id_col <- paste0("id.", what)
    if (!id_col %in% names(dat) || paste0("rsq.", what) %in% names(dat)) next
    dat <- add_rsq_trait(dat, what, call = call)
  }
  dat
}

add_rsq_trait <- function(dat, what, call) {
  col <- function(x) paste0(x, ".", what)
  get_col <- function(x) if (col(x) %in% names(dat)) dat[[col(x)]] else rep(NA, nrow(dat))
  check_columns(dat, col("beta"), call = call)
  units <- get_col("units")
  if (!col("units") %in% names(dat)) dat[[col("units")]] <- NA
  ids <- dat[[paste0("id.", what)]]
  groups <- split(seq_len(nrow(dat)), factor(ids, levels = unique(ids)))
  for (id in names(groups)) {
    rows <- groups[[id]]
    if (what %in% names(dat) && length(unique(dat[[what]][rows])) > 1L) {
      abort_mrkit("input_value", c("Each {.field id.{what}} must have a single {.field {what}} name.",
                                   x = "{.val {id}} has {length(unique(dat[[what]][rows]))}."), call = call)
    }
    if (length(unique(units[rows])) > 1L) {
      abort_mrkit("input_value", c("Each {.field id.{what}} must have a single {.field units.{what}}.",
                                   x = "{.val {id}} has {.val {unique(units[rows])}}."), call = call)
    }
  }
  if (col("pval") %in% names(dat)) {
    pv <- dat[[col("pval")]]
    pv[!is.na(pv) & pv < 1e-300] <- 1e-300
    dat[[col("pval")]] <- pv
  }
  rsq <- rep(NA_real_, nrow(dat))
  neff <- rep(NA_real_, nrow(dat))
  beta <- dat[[col("beta")]]
  eaf <- get_col("eaf")
  for (id in names(groups)) {
    rows <- groups[[id]]
    u <- units[rows[1]]
    if (identical(as.character(u), "log odds")) {
      if (!col("prevalence") %in% names(dat)) {
        dat[[col("prevalence")]] <- 0.1
        warn_mrkit("prevalence_assumed",
                   c("Assuming {what} prevalence of 0.1 for {.val {id}}.",
                     i = "Add a {.field prevalence.{what}} column to use another value."))
      }
      ncase <- get_col("ncase")[rows]
      ncontrol <- get_col("ncontrol")[rows]
      prev <- dat[[col("prevalence")]][rows]
      ok <- !is.na(beta[rows]) & !is.na(eaf[rows]) & !is.na(ncase) & !is.na(ncontrol) & !is.na(prev)
      if (any(ok)) {
        rsq[rows[ok]] <- get_r_from_lor(beta[rows][ok], eaf[rows][ok], ncase[ok], ncontrol[ok],
                                        prev[ok])^2
        neff[rows[ok]] <- effective_n(ncase[ok], ncontrol[ok])
      } else {
        warn_rsq_unavailable(id, what, "beta, eaf, ncase, ncontrol and prevalence (units are log odds)")
      }
    } else if (all(grepl("SD", units[rows])) && all(!is.na(eaf[rows]))) {
      rsq[rows] <- 2 * beta[rows]^2 * eaf[rows] * (1 - eaf[rows])
      neff[rows] <- get_col("samplesize")[rows]
    } else {
      pv <- get_col("pval")[rows]
      n <- get_col("samplesize")[rows]
      ok <- !is.na(pv) & !is.na(n)
      if (any(ok)) {
        check_columns(dat, col("se"), call = call)
        rsq[rows[ok]] <- get_r_from_bsen(beta[rows][ok], dat[[col("se")]][rows][ok], n[ok])^2
        neff[rows] <- n
      } else {
        warn_rsq_unavailable(id, what, "pval and samplesize")
      }
    }
  }
  dat[[col("rsq")]] <- rsq
  dat[[col("effective_n")]] <- neff
  dat
}

warn_rsq_unavailable <- function(id, what, needs) {
  warn_mrkit("rsq_unavailable",
             c("Cannot compute {.field rsq.{what}} for {.val {id}}; it is NA.",
               i = "It needs {needs} for at least one variant."))
}

#' Estimate the standard deviation of a trait from summary statistics
#'
#' 'TwoSampleMR''s `estimate_trait_sd()`: the effect in SD units implied by the z-score,
#' \eqn{\mathrm{sign}(z)\sqrt{z^2 / (z^2 + n - 2) / (2 p (1 - p))}} with \eqn{z = b / se} and
#' allele frequency \eqn{p}, divided into the reported effect `b`.
#'
#' @param b,se Effect sizes and their standard errors.
#' @param n Sample sizes.
#' @param p Effect-allele frequencies, in (0, 1).
#' @return A numeric vector: the trait SD implied by each association.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 20, seed = 1)
#' # Effects simulated in SD units: estimates are near 1.
#' summary(estimate_trait_sd(d$beta.exposure, d$se.exposure, d$samplesize.exposure, d$eaf.exposure))
estimate_trait_sd <- function(b, se, n, p) {
  call <- rlang::current_env()
  check_numeric_args(list(b = b, se = se, n = n, p = p), call = call)
  check_recyclable(list(b = b, se = se, n = n, p = p), length(b), call = call)
  check_open_unit(p, "p", call = call)
  n <- small_n_to_na(n, 2, "n", length(b))
  z <- b / se
  std_b <- sign(z) * sqrt((z^2 / (z^2 + n - 2)) / (2 * p * (1 - p)))
  b / std_b
}

#' Put continuous traits on the standard-deviation scale
#'
#' 'TwoSampleMR''s `standardise_units()`: for each exposure-outcome pair and each trait whose
#' `units.T` is not `"log odds"`, the mean of [estimate_trait_sd()] over the variants
#' (ignoring `NA`) divides `beta.T` and `se.T`; `units.T` becomes `"SD"` and the SD is stored
#' in `estimated_sd.T`. Traits with missing `units.T` are treated as continuous ('TwoSampleMR'
#' fails on them). Pairs keep their rows in input order.
#'
#' @param dat Harmonised data with `beta.T, se.T, samplesize.T, eaf.T` (`T` = exposure, outcome).
#' @return `dat`, rescaled where an SD could be estimated.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 20, seed = 1)
#' d$beta.exposure <- d$beta.exposure * 3; d$se.exposure <- d$se.exposure * 3
#' d$units.exposure <- "kg"
#' s <- standardise_units(d)
#' s$estimated_sd.exposure[1]
standardise_units <- function(dat) {
  call <- rlang::current_env()
  check_columns(dat, c("id.exposure", "id.outcome"), call = call)
  key <- paste(dat$id.exposure, dat$id.outcome, sep = "\r")
  groups <- split(seq_len(nrow(dat)), factor(key, levels = unique(key)))
  for (what in c("exposure", "outcome")) {
    col <- function(x) paste0(x, ".", what)
    check_columns(dat, col(c("beta", "se", "samplesize", "eaf")), call = call)
    if (!col("units") %in% names(dat)) dat[[col("units")]] <- NA_character_
    if (!col("estimated_sd") %in% names(dat)) dat[[col("estimated_sd")]] <- NA_real_
    for (rows in groups) {
      if (identical(as.character(dat[[col("units")]][rows[1]]), "log odds")) next
      sds <- estimate_trait_sd(dat[[col("beta")]][rows], dat[[col("se")]][rows],
                               dat[[col("samplesize")]][rows], dat[[col("eaf")]][rows])
      est <- mean(sds, na.rm = TRUE)
      if (is.na(est)) next
      dat[[col("beta")]][rows] <- dat[[col("beta")]][rows] / est
      dat[[col("se")]][rows] <- dat[[col("se")]][rows] / est
      dat[[col("units")]][rows] <- "SD"
      dat[[col("estimated_sd")]][rows] <- est
    }
  }
  dat
}

# ---- shared argument checks of the instrument helpers ----

check_numeric_args <- function(args, call) {
  for (nm in names(args)) {
    v <- args[[nm]]
    if (!is.numeric(v) && !(is.logical(v) && all(is.na(v)))) {
      abort_mrkit("input_type", c("{.arg {nm}} must be a numeric vector.", x = "It is {.cls {class(v)}}."),
                  call = call)
    }
  }
  invisible(TRUE)
}

# Every non-missing element of each vector must be > 0 (case and control counts).
check_positive_args <- function(args, call) {
  for (nm in names(args)) {
    bad <- which(!is.na(args[[nm]]) & !(args[[nm]] > 0))
    if (length(bad)) {
      abort_mrkit("input_value", c("{.arg {nm}} must be positive.", x = "Element{?s} {as.character(bad)} {?is/are} not."),
                  call = call)
    }
  }
  invisible(TRUE)
}

check_recyclable <- function(args, len, call) {
  for (nm in names(args)) {
    l <- length(args[[nm]])
    if (!(l == len || l == 1L)) {
      abort_mrkit("input_length", c("{.arg {nm}} must have length 1 or {len}.", x = "It has length {l}."),
                  call = call)
    }
  }
  invisible(TRUE)
}

check_probability <- function(x, name, call) {
  bad <- which(!is.na(x) & (x < 0 | x > 1))
  if (length(bad)) {
    abort_mrkit("input_value", c("{.arg {name}} must lie in [0, 1].", x = "Element{?s} {as.character(bad)} {?is/are} outside."),
                call = call)
  }
  invisible(TRUE)
}

check_open_unit <- function(x, name, call) {
  bad <- which(!is.na(x) & !(x > 0 & x < 1))
  if (length(bad)) {
    abort_mrkit("input_value", c("{.arg {name}} must lie strictly between 0 and 1.",
                                 x = "Element{?s} {as.character(bad)} {?is/are} outside."), call = call)
  }
  invisible(TRUE)
}

# A classed message built without formatting machinery: these are emitted on every call of
# frequently used helpers, where cli/rlang formatting would dominate the run time.
inform_plain <- function(kind, text) {
  cnd <- structure(class = c(paste0("mrkit_message_", kind), "mrkit_message", "message", "condition"),
                   list(message = paste0(text, "\n"), call = NULL))
  message(cnd)
}

# Sample sizes at or below `min` make the formulas meaningless: NA with a classed warning.
small_n_to_na <- function(n, min, name, len) {
  n <- rep_len(as.numeric(n), len)
  bad <- which(!is.na(n) & n <= min)
  if (length(bad)) {
    warn_mrkit("small_n", c("{.arg {name}} must exceed {min}; {length(bad)} result{?s} set to NA.",
                            i = "Element{?s} {as.character(bad)}."))
    n[bad] <- NA_real_
  }
  n
}
