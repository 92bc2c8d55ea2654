// TwoSampleMR's MR-Egger bootstrap (methods.md 4.5, mr_egger_regression_bootstrap).
// Replicate b draws bx* ~ N(bx, sx) for every variant, then by* ~ N(by, sy), from
// Rng(seed, b); orients with base sign (bx* = 0 zeroes by*); and fits TwoSampleMR's
// regression, which is not weighted least squares (documented quirk): with fixed
// w = 1/sy^2, slope = cov(w x, w y) / var(w x) and intercept = mean(y) - mean(x) slope
// with unweighted means. b and b_i are the means of the bootstrap slopes and intercepts,
// se and se_i their SDs, and pval / pval_i the fraction of replicates whose sign is
// opposite to that mean (one-sided, not doubled).
#pragma once
#include "estimate.hpp"
#include "parallel.hpp"
#include "params.hpp"
#include "resample_stats.hpp"
#include "rng.hpp"
#include "summary_data.hpp"

#include <cmath>
#include <vector>

namespace mrkit {

namespace detail {
// Mean and SD over the non-NA values, and the one-sided sign proportion over all B.
inline void boot_summary(const std::vector<double>& v, double& mean, double& sd, double& p) {
  std::vector<double> ok;
  ok.reserve(v.size());
  for (double x : v)
    if (!std::isnan(x)) ok.push_back(x);
  const int n = static_cast<int>(ok.size());
  mean = stats::mean(ok.data(), n);
  sd = stats::sd(ok.data(), n);
  const double sgn = mean > 0 ? 1.0 : (mean < 0 ? -1.0 : 0.0);
  int opposite = 0;
  for (double x : ok)
    if (sgn * x < 0) ++opposite;
  p = v.empty() ? NA : static_cast<double>(opposite) / static_cast<double>(v.size());
}
}  // namespace detail

inline Estimate mr_egger_regression_bootstrap(const SummaryData& d, const Params& p) {
  const int J = d.size();
  if (J < 3) return not_estimable(J, "the MR-Egger bootstrap needs at least 3 variants");
  const int B = p.nboot;
  std::vector<double> w(J);
  for (int j = 0; j < J; ++j) w[j] = 1.0 / (d.sy[j] * d.sy[j]);
  std::vector<double> slope(B), icept(B);
  parallel_for(B, p.threads, [&](int b) {
    thread_local std::vector<double> x, y, xw, yw;
    x.resize(J); y.resize(J); xw.resize(J); yw.resize(J);
    Rng rng(p.seed, static_cast<std::uint64_t>(b));
    for (int j = 0; j < J; ++j) x[j] = rng.normal(d.bx[j], d.sx[j]);
    for (int j = 0; j < J; ++j) y[j] = rng.normal(d.by[j], d.sy[j]);
    for (int j = 0; j < J; ++j) {
      const double s = x[j] > 0 ? 1.0 : (x[j] < 0 ? -1.0 : 0.0);
      y[j] *= s;
      x[j] = std::fabs(x[j]);
      xw[j] = x[j] * w[j];
      yw[j] = y[j] * w[j];
    }
    const double bhat = stats::cov(xw.data(), yw.data(), J) / stats::var(xw.data(), J);
    slope[b] = bhat;
    icept[b] = stats::mean(y.data(), J) - stats::mean(x.data(), J) * bhat;
  });
  Estimate e;
  e.nsnp = J;
  detail::boot_summary(slope, e.b, e.se, e.pval);
  e.wald_pval = false;  // the p-value counts replicates; the interval is b -/+ z se
  detail::boot_summary(icept, e.b_i, e.se_i, e.pval_i);
  if (std::isnan(e.b)) e.note = "no bootstrap replicate gave an MR-Egger slope";
  return e;
}

}  // namespace mrkit
