// Weighted least squares with one regressor, through the origin or with an intercept,
// reporting what R's summary(lm(y ~ x, weights = w)) reports. Centred sums keep the
// results within a few ulps of R's QR solution.
#pragma once
#include "mrkit/config.hpp"
#include "mrkit/summary_data.hpp"

#include <cmath>

namespace mrkit {

struct WlsFit {
  double slope = NA, slope_se = NA;          // se as lm reports it (sigma-scaled)
  double intercept = NA, intercept_se = NA;  // NA when fitted through the origin
  double sigma = NA;                         // residual standard error
  double rss = NA;                           // weighted residual sum of squares
  double df = NA;                            // residual degrees of freedom
  bool aliased = false;                      // slope not estimable (collinear x)
  // The SEs at sigma = 1 (fixed effects). lm's SE / sigma is that too, except at an exact
  // fit, where sigma = 0 makes it 0 / 0.
  double slope_se1 = NA, intercept_se1 = NA;

  // lm's slope SE divided by `div`, a scale that is sigma (fixed effects) or min(1, sigma)
  // (random effects floored at fixed): at an exact fit, its limit, the fixed-effect SE.
  double slope_se_over(double div) const { return sigma > 0 ? slope_se / div : slope_se1; }
  double intercept_se_over(double div) const { return sigma > 0 ? intercept_se / div : intercept_se1; }
};

// y = slope * x, weights w.
inline WlsFit wls_origin(const Vec& x, const Vec& y, const Vec& w) {
  WlsFit f;
  const Eigen::Index n = x.size();
  f.df = static_cast<double>(n - 1);
  const double sxx = (w.array() * x.array().square()).sum();
  if (!(sxx > 0)) { f.aliased = true; return f; }
  f.slope = (w.array() * x.array() * y.array()).sum() / sxx;
  f.rss = (w.array() * (y - f.slope * x).array().square()).sum();
  f.sigma = f.df > 0 ? std::sqrt(f.rss / f.df) : NA;
  f.slope_se = f.sigma / std::sqrt(sxx);
  f.slope_se1 = 1 / std::sqrt(sxx);
  return f;
}

// y = intercept + slope * x, weights w. The slope is aliased (as in lm's QR with
// tolerance 1e-7) when x is constant up to that tolerance.
inline WlsFit wls_intercept(const Vec& x, const Vec& y, const Vec& w) {
  WlsFit f;
  const Eigen::Index n = x.size();
  f.df = static_cast<double>(n - 2);
  const double sw = w.sum();
  const double xbar = (w.array() * x.array()).sum() / sw;
  const double ybar = (w.array() * y.array()).sum() / sw;
  const Eigen::ArrayXd xc = x.array() - xbar, yc = y.array() - ybar;
  const double sxx = (w.array() * xc.square()).sum();
  const double sxx_raw = (w.array() * x.array().square()).sum();
  if (!(sxx > 1e-14 * sxx_raw)) { f.aliased = true; return f; }
  f.slope = (w.array() * xc * yc).sum() / sxx;
  f.intercept = ybar - f.slope * xbar;
  f.rss = (w.array() * (yc - f.slope * xc).square()).sum();
  f.sigma = f.df > 0 ? std::sqrt(f.rss / f.df) : NA;
  f.slope_se = f.sigma / std::sqrt(sxx);
  f.intercept_se = f.sigma * std::sqrt(1.0 / sw + xbar * xbar / sxx);
  f.slope_se1 = 1 / std::sqrt(sxx);
  f.intercept_se1 = std::sqrt(1.0 / sw + xbar * xbar / sxx);
  return f;
}

}  // namespace mrkit
