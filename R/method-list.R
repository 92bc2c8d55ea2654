#' The MR methods mrkit provides
#'
#' The method table of [mr()], with 'TwoSampleMR''s columns and method names (`obj`,
#' `name`, `PMID`, `Description`, `use_by_default`, `heterogeneity_test`), in
#' 'TwoSampleMR''s order, followed by the methods mrkit adds. `resampling` marks methods
#' whose standard errors (or estimates) come from a bootstrap, and `source` says where the
#' definition comes from.
#'
#' @return A data frame, one row per method.
#' @export
#' @examples
#' mr_method_list()[, c("obj", "name", "use_by_default")]
mr_method_list <- function() {
  m <- function(obj, name, pmid, description, default = FALSE, het = FALSE,
                resampling = FALSE, source = "TwoSampleMR") {
    data.frame(obj = obj, name = name, PMID = pmid, Description = description,
               use_by_default = default, heterogeneity_test = het, resampling = resampling,
               source = source, stringsAsFactors = FALSE)
  }
  rbind(
    m("mr_wald_ratio", "Wald ratio", NA, "Ratio of SNP-outcome to SNP-exposure effect for one variant", default = TRUE),
    m("mr_egger_regression", "MR Egger", "26050253", "Weighted regression with intercept (InSIDE assumption)", default = TRUE, het = TRUE),
    m("mr_ivw", "Inverse variance weighted", "24114802", "Multiplicative random effects, SE floored at the fixed-effect SE", default = TRUE, het = TRUE),
    m("mr_ivw_mre", "Inverse variance weighted (multiplicative random effects)", "24114802", "Multiplicative random effects without floor"),
    m("mr_ivw_fe", "Inverse variance weighted (fixed effects)", "24114802", "Fixed-effect IVW")
  )
}

# The rows of the method table for `method_list`, with a classed error for unknown names.
lookup_methods <- function(method_list, call = rlang::caller_env()) {
  if (!is.character(method_list) || length(method_list) == 0L || anyNA(method_list)) {
    abort_mrkit("unknown_method", "{.arg method_list} must be a character vector of method names from {.fn mr_method_list}.",
                call = call)
  }
  tab <- mr_method_list()
  unknown <- setdiff(method_list, tab$obj)
  if (length(unknown)) {
    hint <- if ("mr_presso" %in% unknown) "MR-PRESSO runs through {.fn run_mr_presso}." else
      "See {.fn mr_method_list} for the available methods."
    abort_mrkit("unknown_method", c("Unknown MR method{?s} {.val {unknown}}.", i = hint), call = call)
  }
  tab[match(method_list, tab$obj), , drop = FALSE]
}
