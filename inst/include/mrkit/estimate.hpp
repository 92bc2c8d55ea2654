// The result of one estimator on one exposure-outcome pair.
#pragma once
#include "mrkit/config.hpp"
#include "mrkit/distributions.hpp"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace mrkit {

struct Estimate {
  double b = NA, se = NA, pval = NA;
  int nsnp = 0;
  // Reference distribution of b / se: Student t with `df` degrees of freedom, normal when
  // df is infinite (the default); NA when the method has no such distribution. It gives the
  // interval b -/+ q se, q its 1 - alpha / 2 quantile. `wald_pval`: pval is the two-sided
  // test of b / se against it, so the interval excludes 0 exactly when pval < alpha.
  double df = INFINITY;
  bool wald_pval = true;
  // Confidence interval at level 1 - alpha: the method's own where it defines one (set by
  // the estimator), otherwise from df by finish_estimate().
  double lo_ci = NA, up_ci = NA;
  // log10 of pval; exact where pval, floored at P_MIN, is not.
  double pval_log10 = NA;
  // Intercept (MR-Egger and relatives).
  double b_i = NA, se_i = NA, pval_i = NA;
  // Heterogeneity statistic of the fitted model.
  double Q = NA, Q_df = NA, Q_pval = NA;
  // Method-specific scalars (e.g. "b.adj" for MR-GRIP), in a fixed order per method.
  std::vector<std::pair<std::string, double>> extra;
  // Why the estimate is NA, when it is (empty otherwise).
  std::string note;

  void add(const std::string& name, double value) { extra.emplace_back(name, value); }
};

inline Estimate not_estimable(int nsnp, const std::string& why) {
  Estimate e;
  e.nsnp = nsnp;
  e.note = why;
  return e;
}

// The two-sided Wald test of b / se against Student t(df) when `use_t`, else the normal
// distribution: sets pval and the reference distribution the interval is taken from.
inline void set_wald_test(Estimate& e, bool use_t, double df) {
  e.df = use_t ? df : INFINITY;
  e.wald_pval = true;
  e.pval = p_wald(e.b / e.se, e.df);
}

// Completes an estimate for reporting, in one place for every method: the Wald interval
// from df unless the method set its own, and pval_log10 (from the Wald statistic where
// pval is that test, else from pval) unless the method set it.
inline void finish_estimate(Estimate& e, double alpha) {
  if (std::isnan(e.lo_ci) && std::isnan(e.up_ci) && !std::isnan(e.df) && !std::isnan(e.b) &&
      !std::isnan(e.se)) {
    const double q = wald_quantile(alpha, e.df);
    e.lo_ci = e.b - q * e.se;
    e.up_ci = e.b + q * e.se;
  }
  if (std::isnan(e.pval_log10) && !std::isnan(e.pval)) {
    if (e.pval > P_MIN || !e.wald_pval || std::isnan(e.df))
      e.pval_log10 = std::log10(e.pval);
    else
      e.pval_log10 = log10_p_wald(e.b / e.se, e.df);
  }
}

}  // namespace mrkit
