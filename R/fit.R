# The matrix-level layer under every estimator: validated plain vectors (or the usable rows
# of a harmonised table, see ?mr_input) in, the C++ kernel of the registry called once, a
# TwoSampleMR-style result list out, with attr(result, "audit") when rows were left out.

# Base seed of one resampling stream: the fixed `parameters$seed`, or a draw from R's RNG
# (so set.seed() reproduces results). Deterministic methods take no draw.
draw_seed <- function(parameters) {
  if (!is.null(parameters$seed)) return(as.double(parameters$seed))
  floor(stats::runif(1L) * 2^31)
}

mr_method_fit <- function(method, b_exp, b_out, se_exp, se_out, parameters,
                          threads = getOption("mrkit.threads", 1L), call = rlang::caller_env(),
                          signs_only = FALSE) {
  v <- check_summary_vectors(b_exp, b_out, se_exp, se_out, call = call, signs_only = signs_only)
  parameters <- check_parameters(parameters, call = call)
  threads <- check_threads(threads, call = call)
  info <- lookup_methods(method, call = call)
  seed <- if (info$resampling) draw_seed(parameters) else 0
  res <- call_core(cpp_mr_method(method, v$bx, v$by, v$sx, v$sy, parameters, seed, threads),
                   what = method, call = call)
  if (info$resampling) res$seed <- seed
  if (info$bootstrap) res$nboot <- parameters$nboot
  with_audit(as_mrkit_fit(res, info$name, 1 - parameters$alpha), v$audit)
}

# The list of one estimator called with vectors: TwoSampleMR's list (every field kept, so
# its shape does not depend on the data), classed for a print method that shows the fields
# the method filled in.
as_mrkit_fit <- function(res, method_name, level) {
  structure(res, class = c("mrkit_fit", "list"), method = method_name, level = level)
}

#' @export
print.mrkit_fit <- function(x, digits = 4, ...) {
  num <- function(v) format(signif(v, digits))
  shown <- function(nm) !is.null(x[[nm]]) && length(x[[nm]]) == 1L && !is.na(x[[nm]])
  cat("<", attr(x, "method") %||% "MR estimate", ">", if (shown("nsnp")) paste0(" ", x$nsnp, " variants"), "\n", sep = "")
  if (shown("b")) {
    cat("  b = ", num(x$b), if (shown("se")) paste0(", se = ", num(x$se)),
        if (shown("lo_ci") && shown("up_ci")) paste0(", ", format(100 * (attr(x, "level") %||% 0.95)), "% CI ", num(x$lo_ci), " to ", num(x$up_ci)),
        if (shown("pval")) paste0(", p = ", format_pvalue(x$pval, x$pval_log10)), "\n", sep = "")
  } else {
    cat("  b = NA\n")
  }
  if (shown("b_i")) {
    cat("  intercept b_i = ", num(x$b_i), if (shown("se_i")) paste0(", se_i = ", num(x$se_i)),
        if (shown("pval_i")) paste0(", p = ", format_pvalue(x$pval_i)), "\n", sep = "")
  }
  if (shown("Q")) {
    cat("  Q = ", num(x$Q), if (shown("Q_df")) paste0(" on ", x$Q_df, " df"),
        if (shown("Q_pval")) paste0(", p = ", format_pvalue(x$Q_pval)), "\n", sep = "")
  }
  if (shown("nboot")) cat("  nboot = ", x$nboot, if (shown("seed")) paste0(", seed = ", format(x$seed, scientific = FALSE)), "\n", sep = "")
  else if (shown("seed")) cat("  seed = ", format(x$seed, scientific = FALSE), "\n", sep = "")
  if (is.character(x$note) && length(x$note) == 1L && nzchar(x$note)) cat("  note: ", x$note, "\n", sep = "")
  cat("  (a list: ", paste(names(x), collapse = ", "), ")\n", sep = "")
  invisible(x)
}
