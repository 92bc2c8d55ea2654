// Unweighted regression (methods.md 4.2, TwoSampleMR mr_uwr): ordinary least squares of
// by on bx through the origin, ignoring every standard error.
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/params.hpp"
#include "mrkit/summary_data.hpp"
#include "mrkit/numerics/wls.hpp"

#include <algorithm>
#include <cmath>

namespace mrkit {

// Standard error (mrkit_differences): the variance of the least-squares slope with the
// outcome variances known, sum(bx^2 sy^2) / (sum bx^2)^2, times max(1, phi) with
// phi = sum((e / sy)^2) / (J - 1) the multiplicative over-dispersion of the residuals e
// (the random-effects convention of IVW: never below the fixed-effect SE). lm's own SE
// assumes equal residual variances, which GWAS effects do not have (sy falls with the
// allele frequency as |bx| rises), and under-covers.
// With tsmr_quirks, TwoSampleMR's SE: lm's SE divided by min(1, sigma), i.e.
// (sum bx^2)^(-1/2) * max(1, sigma), which is nearly always (sum bx^2)^(-1/2) because
// sigma is on the beta scale: not a standard error of anything.
// Q = sigma^2 (J - 1) is the unweighted residual sum of squares, on J - 1 df. Normal
// p-values (t(J - 1) with distribution = "t").
inline Estimate mr_uwr(const SummaryData& d, const Params& p) {
  const int J = d.size();
  if (J < 2) return not_estimable(J, "unweighted regression needs at least 2 variants");
  const Vec w = Vec::Ones(J);
  const WlsFit f = wls_origin(d.bx, d.by, w);
  Estimate e;
  e.nsnp = J;
  if (f.aliased) { e.note = "all SNP-exposure effects are zero"; return e; }
  e.b = f.slope;
  const double sxx = d.bx.squaredNorm();
  if (p.tsmr_quirks) {
    e.se = std::max(1.0, f.sigma) / std::sqrt(sxx);
  } else {
    const Vec resid = d.by - f.slope * d.bx;
    const double phi = (resid.array() / d.sy.array()).square().sum() / (J - 1);
    const double var_fe = (d.bx.array().square() * d.sy.array().square()).sum() / (sxx * sxx);
    e.se = std::sqrt(var_fe * std::max(1.0, phi));
  }
  set_wald_test(e, p.distribution == PvalDist::t, J - 1);
  e.Q_df = J - 1;
  e.Q = f.rss;
  e.Q_pval = p_chisq_upper(e.Q, e.Q_df);
  return e;
}

}  // namespace mrkit
