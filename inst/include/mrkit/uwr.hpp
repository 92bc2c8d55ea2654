// Unweighted regression (methods.md 4.2, TwoSampleMR mr_uwr): ordinary least squares of
// by on bx through the origin, ignoring every standard error.
#pragma once
#include "distributions.hpp"
#include "estimate.hpp"
#include "params.hpp"
#include "summary_data.hpp"
#include "wls.hpp"

#include <algorithm>
#include <cmath>

namespace mrkit {

// Documented quirk kept from TwoSampleMR: the standard error is lm's SE divided by
// min(1, sigma), i.e. (sum bx^2)^(-1/2) * max(1, sigma). Because sigma is the residual SD
// on the beta scale (usually far below 1), the SE is nearly always (sum bx^2)^(-1/2),
// which is not an inverse-variance SE and is usually very large. Q = sigma^2 (J - 1) is the
// unweighted residual sum of squares, on J - 1 df. Normal p-values (t(J - 1) with
// distribution = "t").
inline Estimate mr_uwr(const SummaryData& d, const Params& p) {
  const int J = d.size();
  if (J < 2) return not_estimable(J, "unweighted regression needs at least 2 variants");
  const Vec w = Vec::Ones(J);
  const WlsFit f = wls_origin(d.bx, d.by, w);
  Estimate e;
  e.nsnp = J;
  if (f.aliased) { e.note = "all SNP-exposure effects are zero"; return e; }
  const double se_plain = 1.0 / std::sqrt(d.bx.squaredNorm());
  e.b = f.slope;
  e.se = se_plain * std::max(1.0, f.sigma);
  set_wald_test(e, p.distribution == PvalDist::t, J - 1);
  e.Q_df = J - 1;
  e.Q = f.rss;
  e.Q_pval = p_chisq_upper(e.Q, e.Q_df);
  return e;
}

}  // namespace mrkit
