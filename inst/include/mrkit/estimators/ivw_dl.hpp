// Additive random-effects IVW (methods.md 4.3): mrkit's own DerSimonian-Laird
// meta-analysis of the ratio estimates. Neither TwoSampleMR nor MendelianRandomization
// offers it as such (TwoSampleMR's legacy mr_meta_random depends on the meta version).
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/params.hpp"
#include "mrkit/summary_data.hpp"

#include <algorithm>
#include <cmath>

namespace mrkit {

// Ratio estimates r_j = by/bx with first-order SEs s_j = sy/|bx| (NOME). With fixed-effect
// weights w = 1/s^2, theta_F = sum w r / sum w and Cochran's Q = sum w (r - theta_F)^2 (the
// IVW Q). The between-variant variance is tau^2 = max(0, (Q - (J - 1)) / (sum w -
// sum w^2 / sum w)); the estimate pools with weights 1 / (s^2 + tau^2): b = sum w* r / sum w*,
// se = (sum w*)^(-1/2), normal p-value (t(J - 1) with distribution = "t"). Q, Q_df, Q_pval
// are Cochran's; extras tau2 and I2 = max(0, (Q - (J - 1)) / Q).
inline Estimate mr_ivw_dl(const SummaryData& d, const Params& p) {
  const int J = d.size();
  if (J < 2) return not_estimable(J, "additive random-effects IVW needs at least 2 variants");
  if ((d.bx.array() == 0).any())
    return not_estimable(J, "additive random-effects IVW needs non-zero SNP-exposure effects (ratio estimates)");
  const Eigen::ArrayXd r = d.ratio().array();
  const Eigen::ArrayXd s2 = d.ratio_se_first().array().square();
  const Eigen::ArrayXd w = 1.0 / s2;
  const double sw = w.sum();
  const double theta_f = (w * r).sum() / sw;
  const double Q = (w * (r - theta_f).square()).sum();
  const double scale = sw - w.square().sum() / sw;
  const double tau2 = scale > 0 ? std::max(0.0, (Q - (J - 1)) / scale) : 0.0;
  const Eigen::ArrayXd ws = 1.0 / (s2 + tau2);
  const double sws = ws.sum();
  Estimate e;
  e.nsnp = J;
  e.b = (ws * r).sum() / sws;
  e.se = 1.0 / std::sqrt(sws);
  set_wald_test(e, p.distribution == PvalDist::t, J - 1);
  e.Q = Q;
  e.Q_df = J - 1;
  e.Q_pval = p_chisq_upper(Q, e.Q_df);
  e.add("tau2", tau2);
  e.add("I2", Q > 0 ? std::max(0.0, (Q - (J - 1)) / Q) : 0.0);
  return e;
}

}  // namespace mrkit
