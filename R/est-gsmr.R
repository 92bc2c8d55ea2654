#' Generalised summary-data-based MR (GSMR) with HEIDI-outlier filtering
#'
#' GSMR (Zhu et al. 2018, Nat Commun 9:224, \doi{10.1038/s41467-017-02317-2}) estimates
#' the causal effect as the generalised least-squares mean of the ratio estimates
#' `bxy = b_out / b_exp` of instruments that may be in LD, with their sampling covariance
#' from the delta method and the LD correlation matrix `ld`:
#' `V_ij = r_ij (se_out_i se_out_j / (b_exp_i b_exp_j) + bxy_i bxy_j / (z_i z_j))`,
#' `b = 1'V^-1 bxy / 1'V^-1 1`, `se = (1'V^-1 1)^-1/2`, chi-squared(1) p-value.
#'
#' Before estimation, as the gsmr package does, instruments are removed in this order:
#' standard errors below 1e-6 (`"tiny_se"`); weak instruments with
#' `(b_exp / se_exp)^2` below the chi-squared(1) quantile of `gwas_thresh` (`"weak"`); one
#' of every pair with `r^2 > ld_r2_thresh` (the one in more such pairs, the earlier on
#' ties; `"ld_pruned"`); then LD correlations not significant in a panel of `n_ref`
#' people (Benjamini-Hochberg q-value of `n_ref r^2 ~ chi2(1)` at least `ld_fdr_thresh`)
#' are set to zero. HEIDI-outlier then removes pleiotropic instruments (`"heidi_outlier"`):
#'
#' * `heidi = "single"` (the method of the 2018 paper, gsmr's `gsmr2_beta = 0`): the
#'   reference instrument is, among those whose `bxy` lies between the 40% and 60%
#'   quantiles, the one with the strongest exposure association; every other instrument
#'   is tested for `bxy_i - bxy_ref = 0` with its LD-aware variance and removed when
#'   `p < single_snp_heidi_thresh`.
#' * `heidi = "global"` (gsmr2's `gsmr2_beta = 1`): the multi-SNP HEIDI statistic of
#'   every instrument as the reference (a sum of correlated chi-squares, saddlepoint
#'   p-value); the instrument with the smallest p-value is removed while it is below
#'   `multi_snp_heidi_thresh`, and the test is repeated.
#' * `heidi = "none"` (gsmr's `heidi_outlier_flag = FALSE`).
#'
#' `top_snp = "gsmr2"` reproduces the gsmr2 R package (1.1.1), which chooses the
#' reference instrument by `(b_exp / pval_exp)^2` rather than by `(b_exp / se_exp)^2`
#' (it passes the p-values where the function expects standard errors); the default
#' follows the paper. On the LDL-c -> CAD example the two choose different reference
#' instruments and HEIDI removes 10 and 9 instruments.
#'
#' Fewer than `nsnps_thresh` instruments after any step is an error of class
#' `mrkit_error_too_few_snps`.
#'
#' @param b_exp,b_out,se_exp,se_out Exposure and outcome effects of the effect allele and
#'   their standard errors; or a harmonised table of one exposure-outcome pair as `b_exp`
#'   alone (see [mr_input]).
#' @param ld LD correlation matrix (signed r of the effect alleles, as [ld_matrix()]
#'   returns with `alleles =`). With a table, rows and columns are matched to `SNP` by
#'   their names (`"rs123"` or `"rs123_A1_A2"`; a name whose alleles are the table's
#'   swapped changes sign); with vectors it must follow their order (names are ignored).
#' @param n_ref Sample size of the LD reference panel (for the chance-LD filter). Taken
#'   from the panel when `bfile` is given.
#' @param ... Unused; further arguments must be named.
#' @param bfile Instead of `ld`, a PLINK panel (with a table only): the LD matrix is
#'   computed with [ld_matrix()] on the table's exposure alleles; variants that it cannot
#'   place are left out and recorded in the audit.
#' @param pval_exp Exposure p-values, only used by `top_snp = "gsmr2"` (from the table's
#'   `pval.exposure` when there is one, else from `b_exp / se_exp`).
#' @param heidi `"single"` (default), `"global"` or `"none"`.
#' @param top_snp Reference instrument of single-SNP HEIDI: `"strongest"` (the paper) or
#'   `"gsmr2"` (the gsmr2 package's choice).
#' @param gwas_thresh,single_snp_heidi_thresh,multi_snp_heidi_thresh,nsnps_thresh,ld_r2_thresh,ld_fdr_thresh
#'   The gsmr package's thresholds, with its defaults.
#' @param threads Number of threads (global HEIDI).
#' @return An object of class `mrkit_gsmr`: a list with `b`, `se`, `pval`, `nsnp`,
#'   `snps` (one row per input variant: `SNP`, `status` - `"used"`, `"excluded"` (missing data or `mr_keep` FALSE),
#'   `"not_in_ld"`, `"tiny_se"`, `"weak"`, `"ld_pruned"` or `"heidi_outlier"` - the HEIDI
#'   p-value and, for global HEIDI, the step at which it was removed), `top_snp` (the
#'   single-HEIDI reference instrument) and `settings`. `attr(x, "audit")` lists the
#'   variants not used, with the reason.
#' @references Zhu Z, Zheng Z, Zhang F, et al. (2018) Causal associations between risk
#'   factors and common diseases inferred from GWAS summary data. Nat Commun 9:224.
#' @export
#' @examples
#' # 30 instruments in LD blocks of three
#' set.seed(1)
#' J <- 30
#' ld <- kronecker(diag(J / 3), matrix(c(1, .15, .02, .15, 1, .15, .02, .15, 1), 3))
#' se_exp <- rep(0.01, J); se_out <- rep(0.02, J)
#' g <- rnorm(J, 0.08, 0.02)
#' U <- chol(ld)
#' b_exp <- g + drop(crossprod(U, rnorm(J))) * se_exp
#' b_out <- 0.3 * g + drop(crossprod(U, rnorm(J))) * se_out
#' fit <- mr_gsmr(b_exp, b_out, se_exp, se_out, ld = ld, n_ref = 5000)
#' fit
mr_gsmr <- function(b_exp, b_out, se_exp, se_out, ld = NULL, n_ref = NULL, ..., bfile = NULL,
                    pval_exp = NULL, heidi = c("single", "global", "none"),
                    top_snp = c("strongest", "gsmr2"), gwas_thresh = 5e-8,
                    single_snp_heidi_thresh = 0.01, multi_snp_heidi_thresh = 0.01,
                    nsnps_thresh = 10, ld_r2_thresh = 0.05, ld_fdr_thresh = 0.05,
                    threads = getOption("mrkit.threads", 1L)) {
  rlang::check_dots_empty()
  call <- rlang::current_env()
  heidi <- rlang::arg_match(heidi)
  top_snp <- rlang::arg_match(top_snp)
  threads <- check_threads(threads)
  control <- gsmr_control(gwas_thresh, single_snp_heidi_thresh, multi_snp_heidi_thresh,
                          nsnps_thresh, ld_r2_thresh, ld_fdr_thresh, heidi, top_snp)
  table <- is.data.frame(b_exp)
  v <- suppressMessages(check_summary_vectors(b_exp, b_out, se_exp, se_out))
  n <- v$n
  snp <- v$snp %||% paste0("variant_", seq_len(n))
  full <- function(x) { y <- rep(NA_real_, n); y[v$keep] <- x; y }
  bx <- full(v$bx); by <- full(v$by); sx <- full(v$sx); sy <- full(v$sy)
  pv <- gsmr_pval_exp(pval_exp, if (table) b_exp else NULL, bx / sx)
  lds <- gsmr_ld(ld, bfile, if (table) b_exp else NULL, snp, v$keep, call)
  control$n_ref <- gsmr_n_ref(n_ref, lds$n_ref, call)
  use <- which(v$keep & lds$found)
  status <- rep("used", n)
  status[!v$keep] <- "excluded"
  status[v$keep & !lds$found] <- "not_in_ld"
  ldm <- lds$ld[snp[use], snp[use], drop = FALSE]
  if (anyNA(ldm)) {
    abort_mrkit("ld_matrix", c("The LD matrix has missing correlations among the instruments.",
                               i = "Check the allele frequencies and missingness of these variants in the panel."))
  }
  fit <- call_core(cpp_gsmr(bx[use], sx[use], by[use], sy[use],
                            pv[use], unname(ldm), control, threads), what = "GSMR", call = call)
  status[use] <- fit$status
  hp <- rep(NA_real_, n); hp[use] <- ifelse(is.nan(fit$heidi_pval), NA_real_, fit$heidi_pval)
  step <- rep(NA_integer_, n); step[use] <- ifelse(fit$removal_step > 0L, fit$removal_step, NA_integer_)
  snps <- data.frame(SNP = snp, status = status, heidi_pval = hp, removal_step = step,
                     stringsAsFactors = FALSE)
  if (nzchar(fit$failed_at)) {
    left <- sum(status == "used")
    abort_mrkit("too_few_snps",
                c("GSMR needs at least {nsnps_thresh} instrument{?s}; {left} remain{?s/} after the {gsmr_reason(fit$failed_at)} filter.",
                  i = "Lower {.arg nsnps_thresh} (the gsmr authors advise at least 10), or relax the thresholds."))
  }
  dropped <- which(status != "used" & status != "excluded")
  ids <- if (table) list(id.exposure = pair_id(b_exp, "id.exposure"), id.outcome = pair_id(b_exp, "id.outcome"))
  audit <- rbind(v$audit, rows_audit(dropped, gsmr_reason(status[dropped]), snp, ids))
  audit <- audit[order(audit$row), , drop = FALSE]
  rownames(audit) <- NULL
  announce_dropped(audit, n, "mr_gsmr()", unit = "variant")
  res <- list(b = fit$b, se = fit$se, pval = fit$pval, nsnp = fit$nsnp, snps = snps,
              top_snp = if (is.na(fit$top)) NA_character_ else snp[use][fit$top],
              settings = c(control, list(n_variants = n)))
  with_audit(structure(res, class = "mrkit_gsmr"), audit)
}

#' @export
print.mrkit_gsmr <- function(x, ...) {
  s <- x$settings
  cat(sprintf("GSMR (mrkit), HEIDI-outlier: %s%s\n", s$heidi,
              if (s$heidi == "single") paste0(", reference instrument ", x$top_snp) else ""))
  cat(sprintf("  b = %s, se = %s, p = %s, on %d of %d variants\n", format(x$b, digits = 4),
              format(x$se, digits = 4), format(x$pval, digits = 3), x$nsnp, s$n_variants))
  counts <- table(factor(x$snps$status, levels = names(gsmr_reasons)))
  counts <- counts[counts > 0 & names(counts) != "used"]
  if (length(counts)) {
    cat("  Left out: ", paste0(gsmr_reasons[names(counts)], " (", as.integer(counts), ")", collapse = "; "),
        "\n", sep = "")
  }
  out <- x$snps$SNP[x$snps$status == "heidi_outlier"]
  if (length(out)) {
    cat("  HEIDI outliers: ", paste(utils::head(out, 10), collapse = ", "),
        if (length(out) > 10) ", ..." else "", "\n", sep = "")
  }
  invisible(x)
}

#' @export
as.data.frame.mrkit_gsmr <- function(x, ...) {
  data.frame(method = "GSMR", nsnp = x$nsnp, b = x$b, se = x$se, pval = x$pval,
             heidi = x$settings$heidi, n_heidi_outliers = sum(x$snps$status == "heidi_outlier"))
}

# -- helpers ------------------------------------------------------------------------------

gsmr_reasons <- c(used = "used", excluded = "missing data or mr_keep FALSE",
                  not_in_ld = "not in the LD matrix", tiny_se = "standard error below 1e-6",
                  weak = "weak instrument (gwas_thresh)", ld_pruned = "in high LD (ld_r2_thresh)",
                  heidi_outlier = "HEIDI outlier")

gsmr_reason <- function(status) unname(gsmr_reasons[status])

gsmr_control <- function(gwas_thresh, single, multi, nsnps_thresh, ld_r2_thresh, ld_fdr_thresh,
                         heidi, top_snp, call = rlang::caller_env()) {
  prob <- function(x, name) {
    if (!is.numeric(x) || length(x) != 1L || is.na(x) || x <= 0 || x > 1) {
      abort_mrkit("parameter", "{.arg {name}} must be a single number in (0, 1].", call = call)
    }
    as.double(x)
  }
  if (!is.numeric(nsnps_thresh) || length(nsnps_thresh) != 1L || is.na(nsnps_thresh) ||
      nsnps_thresh < 1 || nsnps_thresh != round(nsnps_thresh)) {
    abort_mrkit("parameter", "{.arg nsnps_thresh} must be a whole number >= 1.", call = call)
  }
  list(n_ref = NA_real_, gwas_thresh = prob(gwas_thresh, "gwas_thresh"),
       single_snp_heidi_thresh = prob(single, "single_snp_heidi_thresh"),
       multi_snp_heidi_thresh = prob(multi, "multi_snp_heidi_thresh"),
       nsnps_thresh = as.integer(nsnps_thresh), ld_r2_thresh = prob(ld_r2_thresh, "ld_r2_thresh"),
       ld_fdr_thresh = prob(ld_fdr_thresh, "ld_fdr_thresh"), heidi = heidi, top_snp = top_snp)
}

gsmr_n_ref <- function(n_ref, from_panel, call) {
  n_ref <- n_ref %||% from_panel
  if (is.null(n_ref)) {
    abort_mrkit("missing_argument", c("{.arg n_ref} is missing.",
                                      i = "Give the sample size of the LD reference panel (or {.arg bfile})."),
                call = call)
  }
  if (!is.numeric(n_ref) || length(n_ref) != 1L || is.na(n_ref) || n_ref < 2) {
    abort_mrkit("parameter", "{.arg n_ref} must be a single number >= 2.", call = call)
  }
  as.double(n_ref)
}

# Exposure p-values for top_snp = "gsmr2": given, from the table, or from z.
gsmr_pval_exp <- function(pval_exp, dat, z) {
  if (is.null(pval_exp) && !is.null(dat) && "pval.exposure" %in% names(dat)) pval_exp <- dat$pval.exposure
  if (is.null(pval_exp)) return(stats::pchisq(z^2, 1, lower.tail = FALSE))
  if (!is.numeric(pval_exp) || length(pval_exp) != length(z)) {
    abort_mrkit("input_length", "{.arg pval_exp} must be a numeric vector with one p-value per variant.",
                call = rlang::caller_env(2))
  }
  as.double(pval_exp)
}

# The LD matrix with rows/columns named by SNP and which variants it covers.
gsmr_ld <- function(ld, bfile, dat, snp, keep, call) {
  if (!is.null(bfile)) {
    if (is.null(dat)) {
      abort_mrkit("input_type", "{.arg bfile} needs a harmonised table (with SNP and alleles) as {.arg b_exp}.",
                  call = call)
    }
    if (!is.null(ld)) abort_mrkit("input_type", "Give {.arg ld} or {.arg bfile}, not both.", call = call)
    prefix <- check_bfile(bfile, call = call)
    m <- suppressWarnings(ld_matrix(snp[keep], prefix, with_alleles = FALSE, alleles = dat))
    return(list(ld = m, found = snp %in% rownames(m), n_ref = panel_info(prefix)$n_samples))
  }
  if (is.null(ld)) {
    abort_mrkit("missing_argument", c("GSMR needs the LD correlation matrix of the instruments.",
                                      i = "Give {.arg ld} (e.g. from {.fn ld_matrix}) or, with a table, {.arg bfile}."),
                call = call)
  }
  ld <- check_ld_matrix(ld, call)
  n <- length(snp)
  if (is.null(rownames(ld)) || is.null(dat)) {
    if (nrow(ld) != n) {
      abort_mrkit("ld_matrix", c("{.arg ld} must follow the variants' order (it has no names, or the variants are vectors without SNP ids).",
                                 x = "It is {nrow(ld)} x {nrow(ld)} for {n} variant{?s}."), call = call)
    }
    dimnames(ld) <- list(snp, snp)
    return(list(ld = ld, found = rep(TRUE, n), n_ref = NULL))
  }
  al <- if (all(c("effect_allele.exposure", "other_allele.exposure") %in% names(dat))) {
    list(ea = dat$effect_allele.exposure, oa = dat$other_allele.exposure)
  }
  m <- match_ld_names(rownames(ld), snp, al$ea, al$oa, allow_absent = TRUE, call = call)
  found <- !is.na(m$idx)
  ld <- ld[m$idx[found], m$idx[found], drop = FALSE] * outer(m$sign[found], m$sign[found])
  dimnames(ld) <- list(snp[found], snp[found])
  list(ld = ld, found = found, n_ref = NULL)
}

check_ld_matrix <- function(ld, call) {
  if (!is.matrix(ld) || !is.numeric(ld) || nrow(ld) != ncol(ld)) {
    abort_mrkit("ld_matrix", "{.arg ld} must be a square numeric matrix of LD correlations.", call = call)
  }
  if (any(abs(ld) > 1 + 1e-8, na.rm = TRUE) || any(abs(diag(ld) - 1) > 1e-6, na.rm = TRUE) ||
      max(abs(ld - t(ld)), 0, na.rm = TRUE) > 1e-8) {
    abort_mrkit("ld_matrix", c("{.arg ld} is not a correlation matrix.",
                               i = "It must be symmetric with a unit diagonal and entries in [-1, 1] (signed r, not r^2)."),
                call = call)
  }
  ld
}
