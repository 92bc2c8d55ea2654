// MR-Egger regression (methods.md 4.5): weighted regression of by on bx with an intercept,
// after orienting variants so that bx >= 0.
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/params.hpp"
#include "mrkit/summary_data.hpp"
#include "mrkit/numerics/wls.hpp"

#include <algorithm>

namespace mrkit {

namespace detail {
// p-value of an Egger coefficient under the chosen convention. `se_floor` is the lm SE
// divided by min(1, sigma); `sigma` the residual standard error.
inline double egger_pval(double est, double se_floor, double sigma, int J, PvalDist dist) {
  switch (dist) {
    case PvalDist::tsmr: return p_student(est / se_floor, J - 2);
    case PvalDist::normal: return p_normal(est / se_floor);
    case PvalDist::t:  // MendelianRandomization's distribution = "t-dist" rule
      if (sigma >= 1) return p_student(est / se_floor, J - 2);
      return std::max(p_normal(est / se_floor), p_student(est / (se_floor * sigma), J - 2));
  }
  return NA;
}

// The slope's p-value with its reference distribution and interval under that convention.
// MendelianRandomization's "t-dist" rule with sigma < 1 takes the larger of a normal and a
// t(J - 2) p-value (the latter on the SE times sigma); it is no single Wald test, and the
// interval that agrees with it is the wider of the two intervals (as that package reports).
inline void set_egger_slope_test(Estimate& e, double sigma, int J, PvalDist dist, double alpha) {
  e.pval = egger_pval(e.b, e.se, sigma, J, dist);
  if (dist == PvalDist::normal) { e.df = INFINITY; return; }
  e.df = J - 2;
  if (dist == PvalDist::tsmr || sigma >= 1) return;
  const double half = std::max(wald_quantile(alpha, INFINITY) * e.se, wald_quantile(alpha, J - 2) * e.se * sigma);
  e.df = NA;
  e.wald_pval = false;
  e.lo_ci = e.b - half;
  e.up_ci = e.b + half;
  e.pval_log10 = std::max(log10_p_normal(e.b / e.se), log10_p_student(e.b / (e.se * sigma), J - 2));
}
}  // namespace detail

// TwoSampleMR mr_egger_regression: sign0 orientation, SEs floored at the fixed-effect SE,
// t(J - 2) p-values for slope and intercept, Rucker's Q' on J - 2 df.
inline Estimate mr_egger_regression(const SummaryData& data, const Params& p) {
  const int J = data.size();
  if (J < 3) return not_estimable(J, "MR-Egger needs at least 3 variants");
  const SummaryData d = data.oriented(true);
  const Vec w = d.sy.array().square().inverse();
  const WlsFit f = wls_intercept(d.bx, d.by, w);
  Estimate e;
  e.nsnp = J;
  if (f.aliased) {
    e.note = "collinear SNP-exposure effects in MR-Egger";
    return e;
  }
  const double floor = std::min(1.0, f.sigma);
  e.b = f.slope;
  e.se = f.slope_se_over(floor);
  detail::set_egger_slope_test(e, f.sigma, J, p.distribution, p.alpha);
  e.b_i = f.intercept;
  e.se_i = f.intercept_se_over(floor);
  e.pval_i = detail::egger_pval(e.b_i, e.se_i, f.sigma, J, p.distribution);
  e.Q_df = J - 2;
  e.Q = f.rss;
  e.Q_pval = p_chisq_upper(e.Q, e.Q_df);
  return e;
}

}  // namespace mrkit
