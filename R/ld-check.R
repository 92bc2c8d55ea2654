# Validation and allele alignment of an LD matrix given by the user for the correlated
# estimators (mr_ivw_correlated() and relatives, mr(dat, ld = )).

# The LD matrix of the rows `keep` of the data, in the data's order and aligned to the
# effect alleles `ea` / `oa`. Rows are matched by name when both `snp` and row names are
# known (plain ids or "SNP_A1_A2" names), else by position. Checks values and positive
# definiteness; errors are classed mrkit_error_ld_*.
check_ld <- function(ld, n, keep = rep(TRUE, n), snp = NULL, ea = NULL, oa = NULL,
                     call = rlang::caller_env()) {
  if (is.data.frame(ld)) ld <- as.matrix(ld)
  if (!is.matrix(ld) || !(is.numeric(ld) || is.logical(ld) && all(is.na(ld)))) {
    abort_mrkit("ld_matrix", c("{.arg ld} must be a numeric matrix of signed LD correlations.",
                               x = "It is {.cls {class(ld)}}."), call = call)
  }
  if (nrow(ld) != ncol(ld)) {
    abort_mrkit("ld_dims", c("{.arg ld} must be square.", x = "It is {nrow(ld)} x {ncol(ld)}."), call = call)
  }
  by_name <- !is.null(rownames(ld)) && !is.null(snp) && !anyNA(snp)
  if (by_name) {
    m <- match_ld_names(rownames(ld), snp, ea, oa, call = call)
    idx <- m$idx
    sign <- m$sign
  } else {
    if (nrow(ld) != n) {
      abort_mrkit("ld_dims", c("{.arg ld} is {nrow(ld)} x {ncol(ld)} but there are {n} variant{?s}.",
                               i = "Rows and columns must follow the order of the variants; with a harmonised table and a matrix named by SNP they are matched by name."),
                  call = call)
    }
    idx <- seq_len(n)
    sign <- rep(1, n)
  }
  rho <- ld[idx, idx, drop = FALSE] * outer(sign, sign)
  labels <- if (is.null(snp)) as.character(seq_len(n)) else snp
  rho <- rho[keep, keep, drop = FALSE]
  labels <- labels[keep]
  check_ld_values(rho, labels, call = call)
  rho <- (rho + t(rho)) / 2
  diag(rho) <- 1
  dimnames(rho) <- NULL
  rho
}

# Positions of `snp` among the LD matrix's names (plain ids or "SNP_A1_A2") and the sign
# turning each row into a correlation of the effect allele `ea`. A variant absent from the
# matrix is an error, or, with `allow_absent`, an NA position (for estimators that drop it).
match_ld_names <- function(names, snp, ea, oa, allow_absent = FALSE, call = rlang::caller_env()) {
  if (all(snp %in% names)) return(list(idx = match(snp, names), sign = rep(1, length(snp))))
  parts <- regmatches(names, regexec("^(.+)_([A-Za-z]+)_([A-Za-z]+)$", names))
  ok <- lengths(parts) == 4L
  id <- ifelse(ok, vapply(parts, function(p) if (length(p) == 4L) p[2] else NA_character_, ""), names)
  a1 <- vapply(parts, function(p) if (length(p) == 4L) p[3] else NA_character_, "")
  a2 <- vapply(parts, function(p) if (length(p) == 4L) p[4] else NA_character_, "")
  idx <- match(snp, id)
  absent <- snp[is.na(idx)]
  if (length(absent) && !allow_absent) {
    abort_mrkit("ld_snps", c("{.arg ld} has no row for {length(absent)} variant{?s}: {.val {utils::head(absent, 5)}}{if (length(absent) > 5) ' ...' else ''}.",
                             i = "Compute it for these variants with {.code ld_matrix(dat$SNP, bfile, alleles = dat)}, or drop them."),
                call = call)
  }
  if (is.null(ea) || is.null(oa) || all(is.na(a1[idx]))) {
    return(list(idx = idx, sign = rep(1, length(snp))))
  }
  sign <- allele_sign(ea, oa, a1[idx], a2[idx])
  sign[is.na(idx)] <- 1
  bad <- which(is.na(sign))
  if (length(bad)) {
    shown <- sprintf("%s (data %s/%s, ld %s/%s)", snp[bad], ea[bad], oa[bad], a1[idx][bad], a2[idx][bad])
    abort_mrkit("ld_alleles", c("The alleles of {length(bad)} variant{?s} in {.arg ld} do not match the data's effect/other alleles: {.val {utils::head(shown, 3)}}{if (length(bad) > 3) ' ...' else ''}.",
                                i = "Recompute the matrix with {.code ld_matrix(dat$SNP, bfile, alleles = dat)}, which drops and reports unalignable variants."),
                call = call)
  }
  list(idx = idx, sign = sign)
}

check_ld_values <- function(rho, labels, call = rlang::caller_env()) {
  if (!all(is.finite(rho))) {
    bad <- labels[which(rowSums(!is.finite(rho)) > 0)]
    abort_mrkit("ld_values", c("{.arg ld} must be finite.",
                               x = "Missing or infinite correlations for {.val {utils::head(bad, 5)}}.",
                               i = "A variant that is monomorphic in the reference panel has no correlation; drop it."),
                call = call)
  }
  if (max(abs(rho - t(rho))) > 1e-6) {
    abort_mrkit("ld_values", "{.arg ld} must be symmetric.", call = call)
  }
  if (max(abs(diag(rho) - 1)) > 1e-6) {
    abort_mrkit("ld_values", c("{.arg ld} must be a correlation matrix with 1 on the diagonal.",
                               i = "Pass signed r, not r^2 or a covariance."),
                call = call)
  }
  if (max(abs(rho)) > 1 + 1e-6) {
    abort_mrkit("ld_values", "The correlations in {.arg ld} must lie in [-1, 1].", call = call)
  }
  if (nrow(rho) > 1L) {
    ev <- eigen((rho + t(rho)) / 2, symmetric = TRUE, only.values = TRUE)$values
    if (min(ev) <= 1e-8 * max(ev)) {
      up <- which(upper.tri(rho) & abs(rho) > 0.99, arr.ind = TRUE)
      pairs <- sprintf("%s ~ %s (r = %.3f)", labels[up[, 1]], labels[up[, 2]], rho[up])
      abort_mrkit("ld_not_pd", c("{.arg ld} is not positive definite (smallest eigenvalue {signif(min(ev), 3)}): the estimators need its inverse.",
                                 x = if (length(pairs)) "Variants in (near-)perfect LD: {.val {utils::head(pairs, 5)}}{if (length(pairs) > 5) ' ...' else ''}." else "Some variants are linear combinations of others.",
                                 i = "Prune the variants at a lower r^2 (for example {.code cis_instruments(clump_r2 = 0.3)}), or use {.fn mr_pca_ivw}."),
                  call = call)
    }
  }
  invisible(rho)
}
