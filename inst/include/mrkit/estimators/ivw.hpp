// Inverse-variance weighted estimators (methods.md 4.2): weighted regression of by on bx
// through the origin with weights 1/sy^2, under three standard-error conventions.
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/params.hpp"
#include "mrkit/summary_data.hpp"
#include "mrkit/numerics/wls.hpp"

#include <algorithm>

namespace mrkit {

enum class IvwSe { random_floor, random_no_floor, fixed };

// IVW fit with the chosen SE convention; Q is Cochran's Q on J - 1 df.
inline Estimate ivw_estimate(const SummaryData& d, IvwSe se_rule, bool t_dist = false) {
  const int J = d.size();
  if (J < 2) return not_estimable(J, "IVW needs at least 2 variants");
  const Vec w = d.sy.array().square().inverse();
  const WlsFit f = wls_origin(d.bx, d.by, w);
  Estimate e;
  e.nsnp = J;
  if (f.aliased) { e.note = "all SNP-exposure effects are zero"; return e; }
  const double se_fe = f.slope_se_over(f.sigma);
  e.b = f.slope;
  switch (se_rule) {
    case IvwSe::random_floor: e.se = se_fe * std::max(1.0, f.sigma); break;
    case IvwSe::random_no_floor: e.se = f.slope_se; break;
    case IvwSe::fixed: e.se = se_fe; break;
  }
  set_wald_test(e, t_dist, J - 1);
  e.Q_df = J - 1;
  e.Q = f.rss;
  e.Q_pval = p_chisq_upper(e.Q, e.Q_df);
  return e;
}

// TwoSampleMR mr_ivw: multiplicative random effects, SE never below the fixed-effect SE.
// With ivw_model = default_rule (MendelianRandomization) the fixed-effect SE is used for
// J <= 3; with distribution t, p-values come from t(J - 1).
inline Estimate mr_ivw(const SummaryData& d, const Params& p) {
  IvwSe rule = IvwSe::random_floor;
  if (p.ivw_model == IvwModel::fixed || (p.ivw_model == IvwModel::default_rule && d.size() <= 3))
    rule = IvwSe::fixed;
  return ivw_estimate(d, rule, p.distribution == PvalDist::t);
}

// TwoSampleMR mr_ivw_mre: multiplicative random effects without the floor.
inline Estimate mr_ivw_mre(const SummaryData& d, const Params& p) {
  return ivw_estimate(d, IvwSe::random_no_floor, p.distribution == PvalDist::t);
}

// TwoSampleMR mr_ivw_fe: fixed effects.
inline Estimate mr_ivw_fe(const SummaryData& d, const Params& p) {
  return ivw_estimate(d, IvwSe::fixed, p.distribution == PvalDist::t);
}

}  // namespace mrkit
