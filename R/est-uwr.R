#' Unweighted regression
#'
#' Ordinary least squares of SNP-outcome on SNP-exposure effects through the origin,
#' ignoring all standard errors ('TwoSampleMR''s `mr_uwr()`; Hemani et al. 2018, eLife 7:e34408, \doi{10.7554/eLife.34408}).
#'
#' The standard error keeps 'TwoSampleMR''s convention: lm's standard error divided by
#' `min(1, sigma)`, i.e. `max(1, sigma) / sqrt(sum(b_exp^2))`. Because the residual standard
#' error `sigma` is on the scale of the effects (usually far below 1), this is nearly always
#' `1 / sqrt(sum(b_exp^2))`, which is not an inverse-variance standard error and is usually
#' very large: treat the p-value with care. `Q` is the unweighted residual sum of squares
#' on `nsnp - 1` degrees of freedom.
#'
#' @inheritParams mr_ivw
#' @return A list with `b`, `se`, `pval` (normal; Student t on `nsnp - 1` df with
#'   `distribution = "t"`), `nsnp`, `Q`, `Q_df`, `Q_pval`. With fewer than two variants the
#'   estimates are `NA` and `note` says why.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, seed = 1)
#' mr_uwr(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)$b
mr_uwr <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_uwr", b_exp, b_out, se_exp, se_out, parameters)
}
