#' Where mrkit's numbers differ from TwoSampleMR's
#'
#' mrkit reproduces 'TwoSampleMR''s numbers (method names, defaults, conventions), except
#' where 'TwoSampleMR' reports a number that is wrong. There mrkit reports the correct
#' number by default, and `default_parameters(tsmr_quirks = TRUE)` (or a hand computation,
#' where stated) gives 'TwoSampleMR''s. This page lists every such deliberate difference;
#' the test file `test-differences.R` shows both numbers for each, on the BMI -> coronary
#' heart disease example of 'TwoSampleMR' (79 variants) or on simulated data with a known
#' effect. Conventions on which packages legitimately disagree (median weights, p-value
#' distributions, the IVW model) are not defects and are chosen in [default_parameters()].
#'
#' @section Maximum likelihood ([mr_two_sample_ml()]):
#' 'TwoSampleMR' minimises the likelihood over all `nsnp + 1` parameters with Nelder-Mead,
#' which stops at its iteration limit (`maxit = 25000`) before converging. On BMI -> CHD it
#' reports b = 0.4499 with Q = 141.8; the maximum of the likelihood is at b = 0.4581, where
#' Q = 140.7. mrkit profiles out the nuisance parameters and reports the exact maximum.
#' `tsmr_quirks` does not change this (mrkit does not re-implement R's Nelder-Mead); to get
#' 'TwoSampleMR''s number, call `stats::optim()` with its objective, starting values (the
#' exposure effects and the IVW estimate) and `control = list(maxit = 25000)`.
#'
#' @section Unweighted regression SE ([mr_uwr()]):
#' 'TwoSampleMR''s standard error is `lm()`'s divided by `min(1, sigma)`. Because `sigma` is
#' the residual SD on the scale of the effects, far below 1, this is
#' `1 / sqrt(sum(b_exp^2))`, which is not the standard error of anything: 3.77 on BMI -> CHD,
#' against 0.059 for IVW, so the method almost never rejects. mrkit's SE (0.075 there) is
#' the square root of the variance of the least-squares slope with known outcome variances,
#' `sum(b_exp^2 se_out^2) / sum(b_exp^2)^2`, times `max(1, phi)` for over-dispersion `phi`
#' of the weighted residuals (the multiplicative random-effects convention of IVW; Bowden et
#' al. 2017, Statistics in Medicine 36:1783). `lm()`'s own SE is not used: it assumes equal
#' residual variances and under-covers with GWAS effects. `tsmr_quirks = TRUE` gives
#' 'TwoSampleMR''s SE and p-value.
#'
#' @section MR-Egger bootstrap ([mr_egger_regression_bootstrap()]):
#' 'TwoSampleMR''s p-value is the fraction of bootstrap replicates whose sign is opposite to
#' their mean: a one-sided tail area compared with a two-sided level, which doubles the
#' type-I error (7% against 4% for the two-sided p-value at a nominal 5% in a null
#' simulation with strong instruments, `test-est-egger-bootstrap.R`). Its per-replicate regression
#' is also not MR-Egger: the slope is `cov(w x, w y) / var(w x)` with `w = 1 / se_out^2`
#' rather than the weighted least-squares slope of Bowden, Davey Smith and Burgess (2015,
#' International Journal of Epidemiology 44:512). mrkit fits weighted MR-Egger to each
#' replicate and reports the two-sided bootstrap p-value `min(1, 2 (k + 1) / (n + 1))`
#' (Davison and Hinkley 1997, Bootstrap Methods and their Application, eq. 4.11). The
#' estimate remains the mean of the bootstrap slopes, as in 'TwoSampleMR'; it is diluted
#' towards zero by the redrawn exposure effects (0.46 against MR-Egger's 0.50 on BMI -> CHD;
#' 'TwoSampleMR''s unweighted slope gives 0.53). The results are Monte Carlo quantities,
#' so 'TwoSampleMR''s numbers are matched with
#' `tsmr_quirks = TRUE` within Monte Carlo error (mrkit draws its own random numbers).
#'
#' @section Rucker model-averaged interval ([mr_rucker_bootstrap()], [mr_rucker_jackknife()]):
#' The "Rucker mean" row is the bootstrap model average of Rucker's framework (Rucker et al.
#' 2011, Biostatistics 12:122; Bowden et al. 2017). 'TwoSampleMR' builds its interval as
#' `mean -/+ qnorm(Qthresh / 2) * SD`; `qnorm(0.025)` is negative, so the lower bound lies
#' above the upper, and the level follows the heterogeneity threshold rather than `alpha`.
#' mrkit reports `mean -/+ qnorm(1 - alpha / 2) * SD`. `tsmr_quirks = TRUE` gives
#' 'TwoSampleMR''s bounds.
#'
#' @section Odds ratios ([generate_odds_ratios()]):
#' 'TwoSampleMR' recomputes every interval as `b -/+ 1.96 se` before exponentiating, which
#' replaces the Student t interval of MR-Egger and the mode-based estimators (and any level
#' other than 95%) with a normal one. mrkit keeps the interval that [mr()] reported for each
#' method and exponentiates it. `generate_odds_ratios(res, default_parameters(tsmr_quirks =
#' TRUE))` gives 'TwoSampleMR''s `exp(b -/+ 1.96 * se)`.
#'
#' @section Simulation study:
#' `bench/sim-coverage.R` in the source repository measures the coverage and type-I error
#' of every [mr()] method at 5 to 100 variants, with and without pleiotropy;
#' `bench/results/coverage.md` holds its results.
#'
#' @name mrkit_differences
#' @examples
#' dat <- simulate_mr_data(nsnp = 30, b = 0.2, seed = 1)
#' # Unweighted regression: a standard error, and TwoSampleMR's number.
#' mr(dat, method_list = "mr_uwr")$se
#' mr(dat, method_list = "mr_uwr", parameters = default_parameters(tsmr_quirks = TRUE))$se
NULL
