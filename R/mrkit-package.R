#' mrkit: fast two-sample Mendelian randomization
#'
#' mrkit harmonises GWAS summary statistics and estimates causal effects with the
#' estimators of 'TwoSampleMR', 'MendelianRandomization' and others, computed in a
#' C++ core. Column names, function names and defaults follow 'TwoSampleMR'.
#'
#' Options:
#' * `mrkit.threads`: default number of threads (1).
#'
#' @keywords internal
#' @useDynLib mrkit, .registration = TRUE
#' @importFrom Rcpp sourceCpp
"_PACKAGE"
