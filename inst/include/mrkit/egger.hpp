// MR-Egger regression (methods.md 4.5): weighted regression of by on bx with an intercept,
// after orienting variants so that bx >= 0.
#pragma once
#include "distributions.hpp"
#include "estimate.hpp"
#include "params.hpp"
#include "summary_data.hpp"
#include "wls.hpp"

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
  e.se = f.slope_se / floor;
  e.pval = detail::egger_pval(e.b, e.se, f.sigma, J, p.distribution);
  e.b_i = f.intercept;
  e.se_i = f.intercept_se / floor;
  e.pval_i = detail::egger_pval(e.b_i, e.se_i, f.sigma, J, p.distribution);
  e.Q_df = J - 2;
  e.Q = f.rss;
  e.Q_pval = p_chisq_upper(e.Q, e.Q_df);
  return e;
}

}  // namespace mrkit
