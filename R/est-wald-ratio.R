#' Wald ratio
#'
#' The causal estimate from a single variant: `b_out / b_exp` with first-order standard
#' error `se_out / |b_exp|` and a normal p-value (Burgess, Butterworth and Thompson 2013, Genetic Epidemiology 37:658-665, \doi{10.1002/gepi.21758}).
#'
#' @inheritParams mr_ivw
#' @return A list with `b`, `se`, `pval`, `nsnp`; `NA` estimates unless exactly one
#'   complete variant is given.
#' @export
#' @examples
#' mr_wald_ratio(0.1, 0.05, 0.01, 0.02)
mr_wald_ratio <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_wald_ratio", b_exp, b_out, se_exp, se_out, parameters)
}
