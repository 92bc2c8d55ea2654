#' mrkit: fast two-sample Mendelian randomization
#'
#' mrkit harmonises GWAS summary statistics and estimates causal effects with the
#' estimators of 'TwoSampleMR', 'MendelianRandomization' and others, computed in a
#' C++ core. Column names, function names and defaults follow 'TwoSampleMR'.
#'
#' Options:
#' * `mrkit.threads`: default number of threads (1).
#' * `mrkit.gwas_dir`: directory of downloaded OpenGWAS files; an id such as `"ieu-a-7"`
#'   resolves to `<dir>/ieu-a-7/ieu-a-7.vcf.gz` before the server is asked
#'   ([extract_instruments()], [extract_outcome_data()], [mv_extract_exposures()]).
#' * `mrkit.bfile`: default LD reference panel of [clump_data()], [extract_outcome_data()],
#'   [extract_instruments()] and [mv_extract_exposures()], e.g. `ld_reference("EUR")`.
#' * `mrkit.ld_dir`, `mrkit.ld_source`: cache directory and archive URL of [ld_reference()].
#'
#' @keywords internal
#' @useDynLib mrkit, .registration = TRUE
#' @importFrom Rcpp sourceCpp
"_PACKAGE"
