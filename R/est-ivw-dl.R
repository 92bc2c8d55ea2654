#' Additive random-effects IVW (DerSimonian-Laird)
#'
#' mrkit's own additive random-effects inverse-variance weighted estimate (DerSimonian and Laird 1986, Controlled Clinical Trials 7:177-188, \doi{10.1016/0197-2456(86)90046-2});
#' 'TwoSampleMR' and 'MendelianRandomization' offer multiplicative random effects instead
#' ([mr_ivw()]). The ratio estimates `ratio = b_out / b_exp`, with first-order standard errors
#' `s = se_out / |b_exp|`, are pooled by DerSimonian and Laird's method of moments:
#' with `w = 1 / s^2` and Cochran's `Q = sum(w * (ratio - sum(w * ratio) / sum(w))^2)`,
#' `tau2 = max(0, (Q - (nsnp - 1)) / (sum(w) - sum(w^2) / sum(w)))`; the estimate is the
#' weighted mean of `ratio` with weights `1 / (s^2 + tau2)` and standard error
#' `1 / sqrt(sum(1 / (s^2 + tau2)))`. With `tau2 = 0` this is the fixed-effect IVW estimate
#' ([mr_ivw_fe()]). Pleiotropic variation is thus added to every variant's variance rather
#' than scaling it, which gives relatively more weight to weak instruments than
#' multiplicative random effects.
#'
#' @inheritParams mr_ivw
#' @return A list with `b`, `se`, `pval` (normal; Student t on `nsnp - 1` df with
#'   `distribution = "t"`), `nsnp`, Cochran's `Q`, `Q_df`, `Q_pval`, the between-variant
#'   variance `tau2` and `I2 = max(0, (Q - Q_df) / Q)`. With fewer than two variants, or a
#'   zero SNP-exposure effect, the estimates are `NA` and `note` says why.
#' @export
#' @examples
#' d <- simulate_mr_data(nsnp = 30, b = 0.3, pleiotropy = "balanced", seed = 1)
#' mr_ivw_dl(d$beta.exposure, d$beta.outcome, d$se.exposure, d$se.outcome)[c("b", "se", "tau2")]
mr_ivw_dl <- function(b_exp, b_out, se_exp, se_out, parameters = default_parameters()) {
  mr_method_fit("mr_ivw_dl", b_exp, b_out, se_exp, se_out, parameters)
}
