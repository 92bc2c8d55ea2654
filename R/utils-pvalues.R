# P-values that never underflow to 0 for a finite statistic (issue 14): a tail below the
# smallest positive normal double is reported as .Machine$double.xmin, and its exact value
# is kept on the log10 scale from R's log-scale tail functions (log.p = TRUE).

# p at least .Machine$double.xmin where the statistic is finite (NA and 0 for an infinite
# statistic are kept).
floor_pval <- function(p, stat) {
  tiny <- !is.na(p) & p < .Machine$double.xmin & is.finite(stat)
  p[tiny] <- .Machine$double.xmin
  p
}

# Two-sided normal p-value 2 Phi(-|z|) and its log10.
p_normal_two_sided <- function(z) floor_pval(2 * stats::pnorm(-abs(z)), z)
log10_p_normal_two_sided <- function(z) (log(2) + stats::pnorm(-abs(z), log.p = TRUE)) / log(10)

# log10 of the chi-squared upper tail P(X_df > q).
log10_p_chisq_upper <- function(q, df) {
  stats::pchisq(q, df, lower.tail = FALSE, log.p = TRUE) / log(10)
}

# A Monte Carlo p-value (MR-PRESSO's) as text: 0 means no simulated statistic reached the
# observed one, i.e. below the resolution `floor` of the simulation (1 / NbDistribution;
# J / NbDistribution for Bonferroni-corrected outlier p-values), not below the double range.
format_mc_pvalue <- function(p, floor) {
  ifelse(!is.na(p) & p == 0, paste0("< ", format(signif(floor, 2), scientific = FALSE)), format_pvalue(p))
}
