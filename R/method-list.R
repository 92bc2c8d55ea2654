#' The MR methods mrkit provides
#'
#' The method table of [mr()], with 'TwoSampleMR''s columns and method names (`obj`,
#' `name`, `PMID`, `Description`, `use_by_default`, `heterogeneity_test`), in
#' 'TwoSampleMR''s order, followed by the methods mrkit adds. `source` says where the
#' definition comes from. `resampling` marks methods that draw random numbers (they get a
#' seed from R's RNG), `bootstrap` those whose standard errors come from `nboot` replicates.
#' Methods with the same `shared_draws` (the medians and modes, whose bootstraps draw the
#' variants' effects in the same way) share one seed, and so one set of bootstrap draws, when
#' [mr()] runs them together on a pair: each gives the result of its own run with that seed,
#' and the draws are made once.
#'
#' @return A data frame, one row per method.
#' @export
#' @examples
#' mr_method_list()[, c("obj", "name", "use_by_default")]
mr_method_list <- function() {
  if (is.null(method_cache$table)) method_cache$table <- build_method_table()
  method_cache$table
}

method_cache <- new.env(parent = emptyenv())

build_method_table <- function() {
  m <- function(obj, name, pmid, description, default = FALSE, het = FALSE,
                resampling = FALSE, bootstrap = resampling, shared_draws = NA_character_,
                source = "TwoSampleMR") {
    data.frame(obj = obj, name = name, PMID = pmid, Description = description,
               use_by_default = default, heterogeneity_test = het, resampling = resampling,
               bootstrap = bootstrap, shared_draws = shared_draws,
               source = source, stringsAsFactors = FALSE)
  }
  rbind(
    m("mr_wald_ratio", "Wald ratio", NA, "Ratio of SNP-outcome to SNP-exposure effect for one variant", default = TRUE),
    m("mr_two_sample_ml", "Maximum likelihood", "24114802", "Profile maximum likelihood with measurement error in both associations", het = TRUE),
    m("mr_egger_regression", "MR Egger", "26050253", "Weighted regression with intercept (InSIDE assumption)", default = TRUE, het = TRUE),
    m("mr_egger_regression_bootstrap", "MR Egger (bootstrap)", "26050253", "MR-Egger with parametric bootstrap", resampling = TRUE),
    m("mr_simple_median", "Simple median", "27061298", "Median of ratio estimates, bootstrap SE", resampling = TRUE, shared_draws = "ratio"),
    m("mr_weighted_median", "Weighted median", "27061298", "Weighted median of ratio estimates, bootstrap SE", default = TRUE, resampling = TRUE, shared_draws = "ratio"),
    m("mr_penalised_weighted_median", "Penalised weighted median", "27061298", "Weighted median with heterogeneity penalty, bootstrap SE", resampling = TRUE, shared_draws = "ratio"),
    m("mr_ivw", "Inverse variance weighted", "24114802", "Multiplicative random effects, SE floored at the fixed-effect SE", default = TRUE, het = TRUE),
    m("mr_ivw_radial", "IVW radial", "29961852", "Radial IVW with modified second-order weights", het = TRUE),
    m("mr_ivw_mre", "Inverse variance weighted (multiplicative random effects)", "24114802", "Multiplicative random effects without floor"),
    m("mr_ivw_fe", "Inverse variance weighted (fixed effects)", "24114802", "Fixed-effect IVW"),
    m("mr_simple_mode", "Simple mode", "29040600", "Mode of the smoothed density of ratio estimates, bootstrap SE", default = TRUE, resampling = TRUE, shared_draws = "ratio"),
    m("mr_weighted_mode", "Weighted mode", "29040600", "Weighted mode of ratio estimates, bootstrap SE", default = TRUE, resampling = TRUE, shared_draws = "ratio"),
    m("mr_weighted_mode_nome", "Weighted mode (NOME)", "29040600", "Weighted mode, first-order SEs (no measurement error)", resampling = TRUE, shared_draws = "ratio"),
    m("mr_simple_mode_nome", "Simple mode (NOME)", "29040600", "Simple mode, first-order SEs (no measurement error)", resampling = TRUE, shared_draws = "ratio"),
    m("mr_sign", "Sign concordance test", NA, "Binomial test of concordant effect signs"),
    m("mr_uwr", "Unweighted regression", NA, "Unweighted regression through the origin", het = TRUE),
    m("mr_grip", "MR GRIP", NA, "Genotype-recoding invariant MR-Egger"),
    m("mr_ivw_dl", "Inverse variance weighted (additive random effects)", NA,
      "DerSimonian-Laird additive random-effects meta-analysis of ratio estimates", source = "mrkit"),
    m("mr_raps", "Robust adjusted profile score (RAPS)", NA,
      "Robust adjusted profile score with over-dispersion and robust loss", resampling = TRUE,
      bootstrap = FALSE, source = "mr.raps"),
    m("mr_conmix", "Contamination mixture", NA,
      "Profile likelihood of a valid/invalid mixture of ratio estimates; no standard error",
      source = "MendelianRandomization"),
    m("mr_divw", "Debiased inverse variance weighted", NA,
      "IVW with the denominator corrected for measurement error in SNP-exposure effects",
      source = "MendelianRandomization"),
    m("mr_pivw", "Penalised inverse variance weighted (pIVW)", NA,
      "Penalised debiased IVW with bootstrap-Fieller p-value", resampling = TRUE,
      source = "MendelianRandomization"),
    m("mr_lasso", "MR-Lasso", "30661162", "Post-lasso IVW on variants with zero lasso intercept", source = "MendelianRandomization"),
    m("mr_ivw_penalised", "Penalised IVW", "28527048", "IVW with weights down-weighted by heterogeneity", source = "MendelianRandomization"),
    m("mr_egger_penalised", "Penalised MR Egger", "28527048", "MR-Egger with weights down-weighted by heterogeneity", source = "MendelianRandomization"),
    m("mr_ivw_robust", "Robust IVW", "28527048", "IVW by MM-estimation regression", resampling = TRUE, bootstrap = FALSE, source = "MendelianRandomization"),
    m("mr_egger_robust", "Robust MR Egger", "28527048", "MR-Egger by MM-estimation regression", resampling = TRUE, bootstrap = FALSE, source = "MendelianRandomization"),
    m("mr_ivw_robust_penalised", "Penalised robust IVW", "28527048", "Penalised weights and MM-estimation regression", resampling = TRUE, bootstrap = FALSE, source = "MendelianRandomization"),
    m("mr_egger_robust_penalised", "Penalised robust MR Egger", "28527048", "Penalised weights and MM-estimation MR-Egger", resampling = TRUE, bootstrap = FALSE, source = "MendelianRandomization")
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
  frame_rows(tab, match(method_list, tab$obj))
}
