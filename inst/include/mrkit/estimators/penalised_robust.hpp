// Penalised and robust IVW and MR-Egger as MendelianRandomization's mr_ivw() and mr_egger()
// with penalized = TRUE and/or robust = TRUE (methods.md 4.2, 4.5).
//  - penalised IVW: weights 1/sy^2 (simple) or the second-order weights (delta) multiplied by
//    min(1, 100 p_j) (simple) or min(1, 20 p_j) (delta), p_j = P(chisq_1 > w_j (r_j - median r)^2)
//    with the unweighted median of the ratios; Q is not defined (NA).
//  - penalised Egger: p_j from the residuals of the plain Egger fit, weights 1/sy^2 min(1, 100 p_j).
//  - robust: the regression is an MM-estimate (lmrob.hpp) instead of least squares, with
//    its robust SE and residual scale; the random-effects SE rule divides by min(1, sigma).
// Variants are oriented with base sign() for Egger (MendelianRandomization).
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimators/egger.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/numerics/lmrob.hpp"
#include "mrkit/params.hpp"
#include "mrkit/resampling/rng.hpp"
#include "mrkit/summary_data.hpp"
#include "mrkit/numerics/wls.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace mrkit {

struct RobustOptions {
  bool robust = false;
  bool penalized = false;
  bool delta = false;  // IVW only: second-order weights (MendelianRandomization weights = "delta")
  double psi = 0;      // correlation of bx and by for the delta weights
};

namespace pr_detail {

inline double median_of(std::vector<double> v) {
  const std::size_t n = v.size(), h = n / 2;
  std::nth_element(v.begin(), v.begin() + h, v.end());
  if (n % 2 == 1) return v[h];
  const double hi = v[h];
  return 0.5 * (hi + *std::max_element(v.begin(), v.begin() + h));
}

// One regression with weights w (zero weights dropped as lm/lmrob do), through the origin
// (intercept = false) or with an intercept. Reports coefficients, lm/lmrob SEs and sigma.
struct RegFit {
  double b = NA, b_se = NA, a = NA, a_se = NA, sigma = NA;
  bool ok = false;
  std::string note;
};

inline RegFit regress(const Vec& x, const Vec& y, const Vec& w, bool intercept, bool robust,
                      const Params& p) {
  RegFit out;
  std::vector<int> keep;
  for (Eigen::Index i = 0; i < x.size(); ++i) if (w[i] > 0) keep.push_back(static_cast<int>(i));
  const int n = static_cast<int>(keep.size()), k = intercept ? 2 : 1;
  if (n <= k) { out.note = "too few variants with positive weight"; return out; }
  Vec xs(n), ys(n), ws(n);
  for (int i = 0; i < n; ++i) { xs[i] = x[keep[i]]; ys[i] = y[keep[i]]; ws[i] = w[keep[i]]; }
  if (!robust) {
    const WlsFit f = intercept ? wls_intercept(xs, ys, ws) : wls_origin(xs, ys, ws);
    if (f.aliased) { out.note = "the SNP-exposure effects do not identify the slope"; return out; }
    out.b = f.slope; out.b_se = f.slope_se; out.a = f.intercept; out.a_se = f.intercept_se;
    out.sigma = f.sigma;
    out.ok = true;
    return out;
  }
  Eigen::MatrixXd X(n, k);
  Vec Y(n);
  for (int i = 0; i < n; ++i) {
    const double sw = std::sqrt(ws[i]);
    if (intercept) { X(i, 0) = sw; X(i, 1) = sw * xs[i]; } else { X(i, 0) = sw * xs[i]; }
    Y[i] = sw * ys[i];
  }
  Rng rng(p.seed, 0);
  const LmrobFit f = lmrob_mm(X, Y, rng);
  if (!f.ok) { out.note = "the MM-estimator found no S-estimate (degenerate data)"; return out; }
  out.sigma = f.scale;
  if (intercept) {
    out.a = f.coef[0]; out.a_se = std::sqrt(f.cov(0, 0));
    out.b = f.coef[1]; out.b_se = std::sqrt(f.cov(1, 1));
  } else {
    out.b = f.coef[0]; out.b_se = std::sqrt(f.cov(0, 0));
  }
  out.ok = true;
  if (!f.converged) out.note = "the MM-estimator's M-step did not converge in 50 iterations";
  return out;
}

}  // namespace pr_detail

// MendelianRandomization mr_ivw(robust, penalized, weights, psi) for J >= 2.
inline Estimate ivw_robust_penalised(const SummaryData& d, const Params& p, const RobustOptions& o) {
  const int J = d.size();
  if (J < 2) return not_estimable(J, "IVW needs at least 2 variants");
  for (int j = 0; j < J; ++j)
    if (d.bx[j] == 0 && (o.penalized || o.delta))
      return not_estimable(J, "a SNP-exposure effect is zero: ratio estimates are undefined");
  Vec w(J), wpen(J);
  for (int j = 0; j < J; ++j) {
    const double bx = d.bx[j], by = d.by[j], sx = d.sx[j], sy = d.sy[j];
    w[j] = o.delta ? 1.0 / (sy * sy + by * by * sx * sx / (bx * bx) - 2 * o.psi * by * sx * sy / bx)
                   : 1.0 / (sy * sy);
  }
  if (o.penalized) {
    std::vector<double> r(J);
    for (int j = 0; j < J; ++j) r[j] = d.by[j] / d.bx[j];
    const double med = pr_detail::median_of(r);
    for (int j = 0; j < J; ++j) {
      const double bx = d.bx[j], by = d.by[j], sx = d.sx[j], sy = d.sy[j];
      const double v = o.delta ? sy * sy / (bx * bx) + by * by * sx * sx / (bx * bx * bx * bx) -
                                     2 * o.psi * by * sx * sy / (bx * bx * bx)
                               : sy * sy / (bx * bx);
      const double pj = p_chisq_upper((r[j] - med) * (r[j] - med) / v, 1);
      w[j] *= std::min(1.0, (o.delta ? 20.0 : 100.0) * pj);
    }
  }
  if (!w.allFinite() || (w.array() < 0).any())
    return not_estimable(J, "the delta weights are not positive");
  const pr_detail::RegFit f = pr_detail::regress(d.bx, d.by, w, false, o.robust, p);
  Estimate e;
  e.nsnp = J;
  e.note = f.note;
  if (!f.ok) return e;
  const bool fixed = p.ivw_model == IvwModel::fixed || (p.ivw_model == IvwModel::default_rule && J <= 3);
  e.b = f.b;
  e.se = fixed ? f.b_se / f.sigma : f.b_se / std::min(1.0, f.sigma);
  set_wald_test(e, p.distribution == PvalDist::t, J - 1);
  e.Q_df = J - 1;
  if (!o.penalized) {
    e.Q = (J - 1) * f.sigma * f.sigma;
    e.Q_pval = p_chisq_upper(e.Q, e.Q_df);
  }
  e.add("sigma", f.sigma);
  return e;
}

// MendelianRandomization mr_egger(robust, penalized) for J >= 3.
inline Estimate egger_robust_penalised(const SummaryData& data, const Params& p, const RobustOptions& o) {
  const int J = data.size();
  if (J < 3) return not_estimable(J, "MR-Egger needs at least 3 variants");
  const SummaryData d = data.oriented(false);
  Vec w = d.sy.array().square().inverse();
  if (o.penalized) {
    const WlsFit f0 = wls_intercept(d.bx, d.by, w);
    if (f0.aliased) return not_estimable(J, "collinear SNP-exposure effects in MR-Egger");
    for (int j = 0; j < J; ++j) {
      const double res = d.by[j] - f0.intercept - f0.slope * d.bx[j];
      w[j] *= std::min(1.0, 100.0 * p_chisq_upper(res * res * w[j], 1));
    }
  }
  const pr_detail::RegFit f = pr_detail::regress(d.bx, d.by, w, true, o.robust, p);
  Estimate e;
  e.nsnp = J;
  e.note = f.note;
  if (!f.ok) return e;
  const double floor = std::min(1.0, f.sigma);
  e.b = f.b;
  e.se = f.b_se / floor;
  detail::set_egger_slope_test(e, f.sigma, J, p.distribution, p.alpha);
  e.b_i = f.a;
  e.se_i = f.a_se / floor;
  e.pval_i = detail::egger_pval(e.b_i, e.se_i, f.sigma, J, p.distribution);
  e.Q_df = J - 2;
  if (!o.penalized) {
    double q = 0;
    for (int j = 0; j < J; ++j) {
      const double r = (d.by[j] - e.b_i - e.b * d.bx[j]) / d.sy[j];
      q += r * r;
    }
    e.Q = q;
    e.Q_pval = p_chisq_upper(e.Q, e.Q_df);
  }
  e.add("sigma", f.sigma);
  return e;
}

// Registry kernels (simple weights).
inline Estimate mr_ivw_penalised(const SummaryData& d, const Params& p) {
  return ivw_robust_penalised(d, p, RobustOptions{false, true, false, 0});
}
inline Estimate mr_ivw_robust(const SummaryData& d, const Params& p) {
  return ivw_robust_penalised(d, p, RobustOptions{true, false, false, 0});
}
inline Estimate mr_ivw_robust_penalised(const SummaryData& d, const Params& p) {
  return ivw_robust_penalised(d, p, RobustOptions{true, true, false, 0});
}
inline Estimate mr_egger_penalised(const SummaryData& d, const Params& p) {
  return egger_robust_penalised(d, p, RobustOptions{false, true, false, 0});
}
inline Estimate mr_egger_robust(const SummaryData& d, const Params& p) {
  return egger_robust_penalised(d, p, RobustOptions{true, false, false, 0});
}
inline Estimate mr_egger_robust_penalised(const SummaryData& d, const Params& p) {
  return egger_robust_penalised(d, p, RobustOptions{true, true, false, 0});
}

}  // namespace mrkit
