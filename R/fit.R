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
  with_audit(res, v$audit)
}
