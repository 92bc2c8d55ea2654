// MR-Egger with a parametric bootstrap (methods.md 4.5, TwoSampleMR's
// mr_egger_regression_bootstrap). Replicate b draws bx* ~ N(bx, sx) for every variant, then
// by* ~ N(by, sy), from Rng(seed, b); orients with base sign (bx* = 0 zeroes by*); and fits
// MR-Egger: weighted least squares of y on x with intercept, weights w = 1/sy^2 (Bowden et
// al. 2015). b and b_i are the means of the bootstrap slopes and intercepts, se and se_i
// their SDs, and pval / pval_i the two-sided bootstrap p-values
// min(1, 2 (k + 1) / (n + 1)), k the number of the n replicates on the far side of zero
// (Davison & Hinkley 1997, eq. 4.11; never 0).
// With tsmr_quirks, TwoSampleMR's numbers: its regression is not weighted least squares
// (slope = cov(w x, w y) / var(w x), intercept = mean(y) - mean(x) slope, unweighted
// means), and its p-values are the fraction of all B replicates whose sign is opposite to
// the mean (one-sided, not doubled: twice the nominal type-I error).
#pragma once
#include "mrkit/estimate.hpp"
#include "mrkit/resampling/parallel.hpp"
#include "mrkit/params.hpp"
#include "mrkit/resampling/resample_stats.hpp"
#include "mrkit/resampling/rng.hpp"
#include "mrkit/summary_data.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace mrkit {

namespace detail {
// Mean and SD over the non-NA values, and the bootstrap p-value: two-sided, or TwoSampleMR's
// one-sided sign proportion over all B (one_sided).
inline void boot_summary(const std::vector<double>& v, bool one_sided, double& mean, double& sd,
                         double& p) {
  std::vector<double> ok;
  ok.reserve(v.size());
  for (double x : v)
    if (!std::isnan(x)) ok.push_back(x);
  const int n = static_cast<int>(ok.size());
  mean = stats::mean(ok.data(), n);
  sd = stats::sd(ok.data(), n);
  if (one_sided) {
    const double sgn = mean > 0 ? 1.0 : (mean < 0 ? -1.0 : 0.0);
    int opposite = 0;
    for (double x : ok)
      if (sgn * x < 0) ++opposite;
    p = v.empty() ? NA : static_cast<double>(opposite) / static_cast<double>(v.size());
    return;
  }
  if (n == 0) { p = NA; return; }
  double below = 0, above = 0;  // a replicate exactly at zero counts on both sides
  for (double x : ok) {
    if (x <= 0) ++below;
    if (x >= 0) ++above;
  }
  p = std::min(1.0, 2.0 * (std::min(below, above) + 1.0) / (n + 1.0));
}

// Slope and intercept of the regression of y on x with intercept and weights w: weighted
// least squares, or TwoSampleMR's formula with tsmr_quirks.
inline void egger_boot_fit(const std::vector<double>& x, const std::vector<double>& y,
                           const std::vector<double>& w, bool tsmr_quirks, double& slope,
                           double& icept) {
  const int J = static_cast<int>(x.size());
  if (tsmr_quirks) {
    thread_local std::vector<double> xw, yw;
    xw.resize(J); yw.resize(J);
    for (int j = 0; j < J; ++j) { xw[j] = x[j] * w[j]; yw[j] = y[j] * w[j]; }
    slope = stats::cov(xw.data(), yw.data(), J) / stats::var(xw.data(), J);
    icept = stats::mean(y.data(), J) - stats::mean(x.data(), J) * slope;
    return;
  }
  double sw = 0, sx = 0, sy = 0;
  for (int j = 0; j < J; ++j) { sw += w[j]; sx += w[j] * x[j]; sy += w[j] * y[j]; }
  const double xbar = sx / sw, ybar = sy / sw;
  double sxx = 0, sxy = 0;
  for (int j = 0; j < J; ++j) {
    const double dx = x[j] - xbar;
    sxx += w[j] * dx * dx;
    sxy += w[j] * dx * (y[j] - ybar);
  }
  slope = sxx > 0 ? sxy / sxx : NA;
  icept = sxx > 0 ? ybar - xbar * slope : NA;
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
    thread_local std::vector<double> x, y;
    x.resize(J); y.resize(J);
    Rng rng(p.seed, static_cast<std::uint64_t>(b));
    for (int j = 0; j < J; ++j) x[j] = rng.normal(d.bx[j], d.sx[j]);
    for (int j = 0; j < J; ++j) y[j] = rng.normal(d.by[j], d.sy[j]);
    for (int j = 0; j < J; ++j) {
      const double s = x[j] > 0 ? 1.0 : (x[j] < 0 ? -1.0 : 0.0);
      y[j] *= s;
      x[j] = std::fabs(x[j]);
    }
    detail::egger_boot_fit(x, y, w, p.tsmr_quirks, slope[b], icept[b]);
  });
  Estimate e;
  e.nsnp = J;
  detail::boot_summary(slope, p.tsmr_quirks, e.b, e.se, e.pval);
  e.wald_pval = false;  // the p-value counts replicates; the interval is b -/+ z se
  detail::boot_summary(icept, p.tsmr_quirks, e.b_i, e.se_i, e.pval_i);
  if (std::isnan(e.b)) e.note = "no bootstrap replicate gave an MR-Egger slope";
  return e;
}

}  // namespace mrkit
