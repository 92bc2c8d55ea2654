# mr(dat, ld = ) and mr(dat, bfile = ): the correlated versions of the requested methods
# on every exposure-outcome pair, with the LD matrix given or computed from a panel.

# Methods that have a version for correlated instruments: obj (as in mr_method_list(),
# plus the principal-component methods), kernel name in correlated.hpp, result name.
correlated_methods <- function() {
  data.frame(
    obj = c("mr_wald_ratio", "mr_ivw", "mr_ivw_mre", "mr_ivw_fe", "mr_egger_regression",
            "mr_two_sample_ml", "mr_pca_ivw", "mr_pcgmm"),
    core = c(NA, "ivw", "ivw_mre", "ivw_fe", "egger", "ml", "pca_ivw", "pcgmm"),
    name = c("Wald ratio", "Inverse variance weighted (correlated)",
             "Inverse variance weighted (multiplicative random effects, correlated)",
             "Inverse variance weighted (fixed effects, correlated)", "MR Egger (correlated)",
             "Maximum likelihood (correlated)", "PCA-IVW", "PC-GMM"),
    stringsAsFactors = FALSE)
}

correlated_default_methods <- c("mr_wald_ratio", "mr_ivw", "mr_egger_regression", "mr_two_sample_ml", "mr_pca_ivw")

# The rows of correlated_methods() for method_list; methods that assume independent
# instruments are announced and left out.
lookup_correlated_methods <- function(method_list, call = rlang::caller_env()) {
  tab <- correlated_methods()
  method_list <- method_list %||% correlated_default_methods
  known <- setdiff(method_list, c("mr_pca_ivw", "mr_pcgmm"))
  if (length(known)) lookup_methods(known, call = call)
  skip <- setdiff(method_list, tab$obj)
  if (length(skip)) {
    cli::cli_inform(c("With an LD matrix, {length(skip)} method{?s} that assume{?s/} independent instruments {?is/are} not run: {.val {skip}}.",
                      i = "Methods for correlated instruments: {.val {tab$obj[-1]}}."),
                    class = c("mrkit_message_methods_skipped", "mrkit_message"))
  }
  use <- tab[tab$obj %in% method_list, , drop = FALSE]
  use <- use[order(match(use$obj, method_list)), , drop = FALSE]
  if (!nrow(use)) {
    abort_mrkit("unknown_method", c("None of the requested methods has a version for correlated instruments.",
                                    i = "Use {.val {tab$obj[-1]}}."), call = call)
  }
  use
}

# Split prepared pairs, align or compute each pair's LD matrix, run the methods. Returns
# the result rows, the prepared pairs restricted to the variants used and the audit.
run_correlated_on_pairs <- function(prep, methods, parameters, ld, bfile, call = rlang::caller_env()) {
  if (!is.null(ld) && !is.null(bfile)) {
    abort_mrkit("input_type", "Give either {.arg ld} or {.arg bfile}, not both.", call = call)
  }
  if (!is.null(bfile)) bfile <- check_bfile(bfile, call = call)
  n_pairs <- nrow(prep$pairs)
  if (!is.null(ld) && n_pairs > 1L && is.null(rownames(ld))) {
    abort_mrkit("ld_dims", c("With {n_pairs} exposure-outcome pairs, {.arg ld} must have row and column names (SNP ids) to be matched to each pair's variants.",
                             i = "{.fn ld_matrix} names them."), call = call)
  }
  rows <- list()
  used <- list()
  audit <- list(prep$audit)
  fstat_ld <- rep(NA_real_, n_pairs)
  for (k in seq_len(n_pairs)) {
    x <- pair_data(prep, k)
    al <- table_alleles(x)
    if (!is.null(bfile)) {
      m <- suppressWarnings(ld_matrix(x$SNP, bfile, with_alleles = TRUE, alleles = x))
      rep <- attr(m, "ld_report")
      out <- rep$status[match(x$SNP, rep$SNP)] != "in matrix"
      if (any(out)) {
        reason <- paste0("LD panel: ", rep$status[match(x$SNP[out], rep$SNP)])
        audit[[length(audit) + 1L]] <- data.frame(id.exposure = x$id.exposure[out], id.outcome = x$id.outcome[out],
                                                  SNP = x$SNP[out], reason = reason, stringsAsFactors = FALSE)
        cli::cli_inform(c("{sum(out)} variant{?s} of {.val {x$id.exposure[1]}} on {.val {x$id.outcome[1]}} left out: not alignable to the LD panel ({.val {utils::head(x$SNP[out], 5)}}).",
                          i = "See {.code attr(result, \"audit\")}."),
                        class = c("mrkit_message_rows_dropped", "mrkit_message"))
        x <- x[!out, , drop = FALSE]
        al <- table_alleles(x)
      }
      rho <- if (nrow(x)) check_ld(m, nrow(x), snp = x$SNP, ea = al$ea, oa = al$oa, call = call) else matrix(0, 0, 0)
    } else {
      rho <- check_ld(ld, nrow(x), snp = x$SNP, ea = al$ea, oa = al$oa, call = call)
    }
    used[[k]] <- x
    J <- nrow(x)
    bx <- as.double(x$beta.exposure); by <- as.double(x$beta.outcome)
    sx <- as.double(x$se.exposure); sy <- as.double(x$se.outcome)
    if (J >= 1L) fstat_ld[k] <- sum(backsolve(chol(rho), bx / sx, transpose = TRUE)^2) / J
    opts <- check_pc_options(list(nx = median_samplesize(x, "samplesize.exposure") %||% NA_real_,
                                  ny = median_samplesize(x, "samplesize.outcome") %||% NA_real_), call = call)
    for (i in seq_len(nrow(methods))) {
      res <- if (J == 0L) {
        NULL
      } else if (methods$obj[i] == "mr_wald_ratio" || J == 1L) {
        if (methods$obj[i] == "mr_wald_ratio" && J == 1L) {
          call_core(cpp_mr_method("mr_wald_ratio", bx, by, sx, sy, parameters, 0, 1L), what = "mr()")
        }
      } else {
        call_core(cpp_mr_correlated(methods$core[i], bx, by, sx, sy, rho, parameters, opts),
                  what = paste0("mr() (", methods$obj[i], ")"), call = call)
      }
      rows[[length(rows) + 1L]] <- correlated_result_row(prep$pairs[k, ], methods$name[i], J, res)
    }
  }
  out <- do.call(rbind, rows)
  used_data <- do.call(rbind, used)
  sizes <- vapply(used, nrow, 1L)
  new_prep <- list(data = used_data, pairs = prep$pairs, offsets = c(0L, cumsum(sizes)),
                   audit = do.call(rbind, lapply(audit, function(a) a[c("id.exposure", "id.outcome", "SNP", "reason")])))
  keep <- sizes > 0L
  new_prep$pairs <- prep$pairs[keep, , drop = FALSE]
  new_prep$offsets <- c(0L, cumsum(sizes[keep]))
  out$fstat_ld <- fstat_ld[match(paste(out$id.exposure, out$id.outcome), paste(prep$pairs$id.exposure, prep$pairs$id.outcome))]
  list(out = out, prep = new_prep)
}

correlated_result_row <- function(pair, method, J, res) {
  g <- function(nm) if (is.null(res) || is.null(res[[nm]])) NA_real_ else as.double(res[[nm]])
  data.frame(id.exposure = pair$id.exposure, id.outcome = pair$id.outcome, outcome = pair$outcome,
             exposure = pair$exposure, method = method, nsnp = J, b = g("b"), se = g("se"),
             pval = g("pval"), lo_ci = g("lo_ci"), up_ci = g("up_ci"), pval_log10 = g("pval_log10"),
             b_i = g("b_i"), se_i = g("se_i"), pval_i = g("pval_i"), Q = g("Q"), Q_df = g("Q_df"),
             Q_pval = g("Q_pval"), n_pc = g("n_pc"), stringsAsFactors = FALSE)
}
