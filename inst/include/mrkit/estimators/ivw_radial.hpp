// Radial IVW as TwoSampleMR's mr_ivw_radial reports it (methods.md 4.4): RadialMR's
// "Effect (Mod.2nd)" row with modified second-order weights.
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/params.hpp"
#include "mrkit/summary_data.hpp"

#include <cmath>

namespace mrkit {

// Ratio estimates r_j are regressed, on the radial scale r_j sqrt(W_j) ~ sqrt(W_j) through
// the origin, first with first-order weights W_j = bx^2 / sy^2 to get theta_1, and once more
// with the modified second-order weights W_j = bx^2 / (sy^2 + theta_1^2 sx^2). The slope of
// the second fit is b; its SE is lm's (sigma-scaled, without a floor); p-values are normal
// (t(J - 1) with distribution = "t"); Q = sum W_j (r_j - b)^2 on J - 1 df with the
// modified weights. RadialMR's internal bootstrap is not run: TwoSampleMR uses none of it.
inline Estimate mr_ivw_radial(const SummaryData& d, const Params& p) {
  const int J = d.size();
  if (J < 2) return not_estimable(J, "radial IVW needs at least 2 variants");
  if ((d.bx.array() == 0).any())
    return not_estimable(J, "radial IVW needs non-zero SNP-exposure effects (ratio estimates)");
  const Eigen::ArrayXd r = d.ratio().array();
  const Eigen::ArrayXd w1 = d.bx.array().square() / d.sy.array().square();
  const double theta1 = (w1 * r).sum() / w1.sum();
  const Eigen::ArrayXd W =
      d.bx.array().square() / (d.sy.array().square() + theta1 * theta1 * d.sx.array().square());
  const double sw = W.sum();
  Estimate e;
  e.nsnp = J;
  e.b = (W * r).sum() / sw;
  e.Q = (W * (r - e.b).square()).sum();
  e.Q_df = J - 1;
  e.Q_pval = p_chisq_upper(e.Q, e.Q_df);
  e.se = std::sqrt(e.Q / (J - 1)) / std::sqrt(sw);
  set_wald_test(e, p.distribution == PvalDist::t, J - 1);
  return e;
}

}  // namespace mrkit
