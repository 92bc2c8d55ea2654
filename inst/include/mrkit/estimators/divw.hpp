// Debiased IVW (methods.md 4.12; MendelianRandomization mr_divw): the IVW denominator
// corrected for measurement error in bx, with optional over-dispersion tau^2.
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/params.hpp"
#include "mrkit/summary_data.hpp"

#include <algorithm>
#include <cmath>

namespace mrkit {

struct DivwFit {
  double b = NA, se = NA, tau2 = NA, condition = NA;
  std::string note;
};

inline DivwFit divw_fit(const SummaryData& d, bool over_dispersion) {
  DivwFit f;
  const int J = d.size();
  if (J < 2) { f.note = "dIVW needs at least 2 variants"; return f; }
  double num = 0, den = 0, mu2 = 0, wsum = 0;
  for (int j = 0; j < J; ++j) {
    const double sy2 = d.sy[j] * d.sy[j];
    num += d.by[j] * d.bx[j] / sy2;
    den += (d.bx[j] * d.bx[j] - d.sx[j] * d.sx[j]) / sy2;
    const double mu = d.bx[j] / d.sx[j];
    mu2 += mu * mu;
    wsum += 1 / sy2;
  }
  f.condition = (mu2 / J - 1) * std::sqrt(static_cast<double>(J));
  if (!(den > 0)) {
    f.note = "the debiased denominator sum((bx^2 - sx^2) / sy^2) is not positive (instruments too weak)";
    return f;
  }
  const double b = num / den;
  double tau2 = 0;
  if (over_dispersion) {
    double s = 0;
    for (int j = 0; j < J; ++j) {
      const double e = d.by[j] - b * d.bx[j];
      s += (e * e - d.sy[j] * d.sy[j] - b * b * d.sx[j] * d.sx[j]) / (d.sy[j] * d.sy[j]);
    }
    tau2 = std::max(0.0, s / wsum);
  }
  double V1 = 0, V2 = 0;
  for (int j = 0; j < J; ++j) {
    const double rho = d.sx[j] / d.sy[j], mu = d.bx[j] / d.sx[j];
    const double r2 = rho * rho, m2 = mu * mu;
    V1 += r2 * m2 + b * b * r2 * r2 * (m2 + 1) + tau2 * r2 / (d.sy[j] * d.sy[j]) * m2;
    V2 += r2 * (m2 - 1);
  }
  f.b = b;
  f.se = std::sqrt(V1 / (V2 * V2));
  f.tau2 = tau2;
  return f;
}

// Registry kernel: over-dispersion from Params (TwoSampleMR's over.dispersion, default
// TRUE as in MendelianRandomization), z p-value.
inline Estimate mr_divw(const SummaryData& d, const Params& p) {
  const DivwFit f = divw_fit(d, p.over_dispersion);
  Estimate e;
  e.nsnp = d.size();
  e.note = f.note;
  if (std::isnan(f.b)) return e;
  e.b = f.b;
  e.se = f.se;
  e.pval = p_normal(e.b / e.se);
  e.add("tau2", f.tau2);
  e.add("condition", f.condition);
  return e;
}

}  // namespace mrkit
