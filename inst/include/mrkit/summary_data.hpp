// Per-variant summary statistics of one exposure-outcome pair, as the estimators see them.
#pragma once
#include "mrkit/config.hpp"

#include "mrkit/eigen.hpp"
#include <cmath>
#include <stdexcept>

namespace mrkit {

using Vec = Eigen::VectorXd;
using CVecRef = Eigen::Ref<const Eigen::VectorXd>;

// Aligned SNP-exposure (bx, sx) and SNP-outcome (by, sy) estimates and standard errors.
// Inputs are validated in R; the core only re-checks sizes.
struct SummaryData {
  Vec bx, by, sx, sy;

  SummaryData() = default;
  SummaryData(CVecRef bx_, CVecRef by_, CVecRef sx_, CVecRef sy_)
      : bx(bx_), by(by_), sx(sx_), sy(sy_) {
    const auto n = bx.size();
    if (by.size() != n || sx.size() != n || sy.size() != n)
      throw std::invalid_argument("bx, by, sx and sy must have the same length");
  }
  int size() const { return static_cast<int>(bx.size()); }

  Vec ratio() const { return by.cwiseQuotient(bx); }
  // First-order (NOME) standard error of the ratio: sy / |bx|.
  Vec ratio_se_first() const { return sy.cwiseQuotient(bx.cwiseAbs()); }
  // Second-order (delta-method) standard error of the ratio, with covariance `cov`
  // between bx and by: sqrt(sy^2/bx^2 + by^2 sx^2/bx^4 - 2 by cov / bx^3).
  Vec ratio_se_second(double cov = 0) const {
    Vec out(bx.size());
    for (Eigen::Index j = 0; j < bx.size(); ++j) {
      const double b = bx[j];
      out[j] = std::sqrt(sy[j] * sy[j] / (b * b) + by[j] * by[j] * sx[j] * sx[j] / (b * b * b * b) -
                         2 * by[j] * cov / (b * b * b));
    }
    return out;
  }
  // Orient so that every bx is non-negative, flipping by with it. With `zero_positive`
  // the sign of 0 counts as +1 (TwoSampleMR's sign0); otherwise a zero bx zeroes by
  // (MendelianRandomization and MR-PRESSO use base sign()).
  SummaryData oriented(bool zero_positive = true) const {
    SummaryData o = *this;
    for (Eigen::Index j = 0; j < bx.size(); ++j) {
      double s = bx[j] > 0 ? 1.0 : (bx[j] < 0 ? -1.0 : (zero_positive ? 1.0 : 0.0));
      o.by[j] = by[j] * s;
      o.bx[j] = std::fabs(bx[j]);
    }
    return o;
  }
  SummaryData subset_without(int drop) const {
    const int n = size();
    SummaryData o;
    o.bx.resize(n - 1); o.by.resize(n - 1); o.sx.resize(n - 1); o.sy.resize(n - 1);
    for (int j = 0, k = 0; j < n; ++j) {
      if (j == drop) continue;
      o.bx[k] = bx[j]; o.by[k] = by[j]; o.sx[k] = sx[j]; o.sy[k] = sy[j]; ++k;
    }
    return o;
  }
};

}  // namespace mrkit
