// MM-estimation of a linear regression (methods.md 4.2, 4.5: MendelianRandomization's
// robust = TRUE), following the definition of robustbase::lmrob's default estimator:
//  1. S-estimate by the fast-S algorithm: exact fits to random p-point subsamples, each
//     improved by one reweighting step; the best two (smallest M-scale) are iterated to
//     convergence; the one with the smaller scale is the S-estimate. The M-scale solves
//     sum(chi(r / s)) / (n - p) = 1/2 with Tukey's bisquare chi, tuning constant 1.54764.
//  2. M-step: iteratively reweighted least squares with the bisquare psi (tuning constant
//     4.685061, 95% efficiency at the normal) and the S-scale held fixed.
//  3. Covariance: the asymptotic formula of lmrob's ".vcov.avar1" (accounting for the
//     S-step), made positive semi-definite by zeroing negative eigenvalues.
// Observation weights w enter as sqrt(w) times each row of X and y. Random subsamples come
// from an Rng stream seeded by the caller.
//
// Header-only by default. The fit instantiates several of Eigen's decompositions and took
// about 40 s of a cold build in each translation unit that uses it (the registry, the
// penalised/robust glue, the multivariable glue); MRKIT_LMROB_SEPARATE (src/Makevars)
// leaves only the declaration of lmrob_mm(), and src/fit-lmrob.cpp compiles it once
// (MRKIT_LMROB_IMPLEMENTATION), as mrkit/distributions.hpp does for Boost.Math.
#pragma once
#include "mrkit/config.hpp"
#include "mrkit/resampling/rng.hpp"
#include "mrkit/summary_data.hpp"

#include "mrkit/eigen.hpp"
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#if defined(MRKIT_LMROB_SEPARATE)
#define MRKIT_LMROB_LINKAGE
#else
#define MRKIT_LMROB_LINKAGE inline
#endif

namespace mrkit {

struct LmrobControl {
  int n_resample = 500;
  double tuning_chi = 1.54764;
  double tuning_psi = 4.685061;
  double bb = 0.5;
  int max_it = 50;         // M-step iterations
  int k_fast_s = 1;        // refinement steps per subsample
  int best_r_s = 2;        // candidates refined to convergence
  int k_max = 500;         // refinement steps of a candidate (MendelianRandomization: 500)
  int maxit_scale = 500;   // M-scale iterations (MendelianRandomization: 500)
  double refine_tol = 1e-7;
  double rel_tol = 1e-7;
  double scale_tol = 1e-10;
};

struct LmrobFit {
  Vec coef;                 // MM coefficients
  double scale = NA;        // S-scale (summary.lmrob's sigma)
  Eigen::MatrixXd cov;      // covariance of coef
  bool converged = false;   // M-step converged
  bool ok = false;          // false: S-estimate could not be formed
};

// MM-estimate of y = X beta (rows already multiplied by sqrt(weights)).
MRKIT_LMROB_LINKAGE LmrobFit lmrob_mm(const Eigen::MatrixXd& X, const Vec& y, Rng& rng,
                                      const LmrobControl& ctl = LmrobControl());

#if !defined(MRKIT_LMROB_SEPARATE) || defined(MRKIT_LMROB_IMPLEMENTATION)
namespace lmrob_detail {

inline double chi_bisq(double u, double c) {  // rho / rho(inf)
  const double t = (u / c) * (u / c);
  if (t >= 1) return 1.0;
  const double o = 1 - t;
  return 1 - o * o * o;
}
inline double chi_bisq_d(double u, double c) {  // derivative of chi
  const double t = (u / c) * (u / c);
  if (t >= 1) return 0.0;
  return 6 * u / (c * c) * (1 - t) * (1 - t);
}
inline double psi_bisq(double u, double c) {
  const double t = (u / c) * (u / c);
  if (t >= 1) return 0.0;
  return u * (1 - t) * (1 - t);
}
inline double psi_bisq_d(double u, double c) {
  const double t = (u / c) * (u / c);
  if (t >= 1) return 0.0;
  return (1 - t) * (1 - 5 * t);
}
inline double wgt_bisq(double u, double c) {  // psi(u) / u
  const double t = (u / c) * (u / c);
  if (t >= 1) return 0.0;
  return (1 - t) * (1 - t);
}

// sum(chi(r / s)) / (n - p)
inline double mean_chi(const Vec& r, double s, int p, double c) {
  double acc = 0;
  for (Eigen::Index i = 0; i < r.size(); ++i) acc += chi_bisq(r[i] / s, c);
  return acc / (static_cast<double>(r.size()) - p);
}

// Fixed-point iteration for the M-scale.
inline double m_scale(const Vec& r, double s0, int p, const LmrobControl& ctl) {
  double s = s0;
  for (int it = 0; it < ctl.maxit_scale; ++it) {
    const double s1 = s * std::sqrt(mean_chi(r, s, p, ctl.tuning_chi) / ctl.bb);
    if (std::fabs(s1 - s) <= ctl.scale_tol * s) return s1;
    s = s1;
    if (!(s > 0)) return s;
  }
  return s;
}

inline double median_abs(const Vec& r) {
  std::vector<double> a(r.size());
  for (Eigen::Index i = 0; i < r.size(); ++i) a[i] = std::fabs(r[i]);
  const std::size_t n = a.size(), h = n / 2;
  std::nth_element(a.begin(), a.begin() + h, a.end());
  if (n % 2 == 1) return a[h];
  const double hi = a[h];
  return 0.5 * (hi + *std::max_element(a.begin(), a.begin() + h));
}

// Weighted least squares; false when the weighted design is singular.
inline bool wls_solve(const Eigen::MatrixXd& X, const Vec& y, const Vec& w, Vec& beta) {
  const Eigen::MatrixXd XtW = X.transpose() * w.asDiagonal();
  const Eigen::MatrixXd A = XtW * X;
  Eigen::LDLT<Eigen::MatrixXd> ldlt(A);
  if (ldlt.info() != Eigen::Success || !(ldlt.vectorD().array().abs().minCoeff() >
                                         1e-12 * A.diagonal().array().abs().maxCoeff()))
    return false;
  beta = ldlt.solve(XtW * y);
  return beta.allFinite();
}

struct Candidate {
  Vec beta;
  double scale = std::numeric_limits<double>::infinity();
};

// Reweighting steps of the S-estimate from `beta` (scale < 0: start from 1.4826 times the
// median absolute residual). Each step first updates the scale by one fixed-point step of
// the M-scale equation, then refits with the bisquare weights. With `until_converged`,
// stop when the coefficients change by less than refine_tol relative. On return `scale`
// is the last one-step scale (as lmrob reports for the S-estimate) and `res` the residuals
// of the last coefficients.
inline bool refine(const Eigen::MatrixXd& X, const Vec& y, Vec& beta, double& scale, Vec& res,
                   int steps, bool until_converged, const LmrobControl& ctl) {
  const int p = static_cast<int>(X.cols());
  res = y - X * beta;
  if (scale < 0) scale = 1.4826 * median_abs(res);
  if (!(scale > 0)) return false;
  Vec w(res.size()), nb;
  for (int it = 0; it < steps; ++it) {
    scale = scale * std::sqrt(mean_chi(res, scale, p, ctl.tuning_chi) / ctl.bb);
    if (!(scale > 0)) return false;
    for (Eigen::Index i = 0; i < res.size(); ++i) w[i] = wgt_bisq(res[i] / scale, ctl.tuning_chi);
    if (!wls_solve(X, y, w, nb)) return false;
    const bool conv = until_converged &&
                      (nb - beta).norm() < ctl.refine_tol * std::max(ctl.refine_tol, nb.norm());
    beta = nb;
    res = y - X * beta;
    if (conv) break;
  }
  return scale > 0 && std::isfinite(scale);
}

// Exact fit to p randomly chosen observations (redrawn while singular).
inline bool subsample_fit(const Eigen::MatrixXd& X, const Vec& y, Rng& rng, Vec& beta) {
  const int n = static_cast<int>(X.rows()), p = static_cast<int>(X.cols());
  std::vector<int> idx(p);
  for (int attempt = 0; attempt < 100; ++attempt) {
    for (int k = 0; k < p; ++k) {
      bool dup;
      do {
        idx[k] = static_cast<int>(rng.below(static_cast<std::uint64_t>(n)));
        dup = false;
        for (int m = 0; m < k; ++m) dup = dup || idx[m] == idx[k];
      } while (dup);
    }
    Eigen::MatrixXd A(p, p);
    Vec b(p);
    for (int k = 0; k < p; ++k) { A.row(k) = X.row(idx[k]); b[k] = y[idx[k]]; }
    Eigen::FullPivLU<Eigen::MatrixXd> lu(A);
    lu.setThreshold(1e-7);
    if (lu.rank() < p) continue;
    beta = lu.solve(b);
    if (beta.allFinite()) return true;
  }
  return false;
}

}  // namespace lmrob_detail

MRKIT_LMROB_LINKAGE LmrobFit lmrob_mm(const Eigen::MatrixXd& X, const Vec& y, Rng& rng,
                                      const LmrobControl& ctl) {
  using namespace lmrob_detail;
  LmrobFit fit;
  const int n = static_cast<int>(X.rows()), p = static_cast<int>(X.cols());
  if (n <= p) return fit;
  // S-step: fast-S.
  std::vector<Candidate> best(ctl.best_r_s);
  auto worst = [&]() {
    std::size_t k = 0;
    for (std::size_t i = 1; i < best.size(); ++i) if (best[i].scale > best[k].scale) k = i;
    return k;
  };
  for (int s = 0; s < ctl.n_resample; ++s) {
    Vec beta, res;
    if (!subsample_fit(X, y, rng, beta)) continue;
    double scale = -1;
    if (!refine(X, y, beta, scale, res, ctl.k_fast_s, false, ctl)) continue;
    const std::size_t k = worst();
    // Only a candidate whose M-scale beats the worst kept one is solved for its scale.
    if (std::isfinite(best[k].scale) && !(mean_chi(res, best[k].scale, p, ctl.tuning_chi) < ctl.bb))
      continue;
    scale = m_scale(res, scale, p, ctl);
    if (!(scale > 0) || !std::isfinite(scale)) continue;
    best[k].beta = beta;
    best[k].scale = scale;
  }
  Candidate s_est;
  for (auto& c : best) {
    if (!std::isfinite(c.scale)) continue;
    Vec beta = c.beta, res;
    double scale = c.scale;
    if (!refine(X, y, beta, scale, res, ctl.k_max, true, ctl)) continue;
    if (scale < s_est.scale) { s_est.beta = beta; s_est.scale = scale; }
  }
  if (!std::isfinite(s_est.scale)) return fit;
  const double scale = s_est.scale;
  const Vec r0 = y - X * s_est.beta;
  // M-step with the scale fixed.
  Vec beta = s_est.beta, nb, w(n);
  Vec res = r0;
  for (int it = 0; it < ctl.max_it; ++it) {
    for (int i = 0; i < n; ++i) w[i] = wgt_bisq(res[i] / scale, ctl.tuning_psi);
    if (!wls_solve(X, y, w, nb)) return fit;
    const bool conv = (nb - beta).norm() <= ctl.rel_tol * std::max(ctl.rel_tol, nb.norm());
    beta = nb;
    res = y - X * beta;
    if (conv) { fit.converged = true; break; }
  }
  // Asymptotic covariance (".vcov.avar1").
  Vec rs = res / scale, r0s = r0 / scale;
  Vec wd(n), w0d(n), wp(n), w0(n);
  for (int i = 0; i < n; ++i) {
    wd[i] = psi_bisq_d(rs[i], ctl.tuning_psi);
    w0d[i] = chi_bisq_d(r0s[i], ctl.tuning_chi);
    wp[i] = psi_bisq(rs[i], ctl.tuning_psi);
    w0[i] = chi_bisq(r0s[i], ctl.tuning_chi);
  }
  const Eigen::MatrixXd xwx = X.transpose() * wd.asDiagonal() * X;
  Eigen::FullPivLU<Eigen::MatrixXd> lu(xwx);
  if (lu.rank() < p) return fit;
  const Eigen::MatrixXd A = lu.inverse() * scale;
  const double denom = (w0d.array() * r0s.array()).mean();
  const Vec a = A * (X.transpose() * (wd.array() * rs.array()).matrix()) / denom;
  const Vec Xww = X.transpose() * (wp.array() * w0.array()).matrix();
  const Eigen::MatrixXd u1 =
      A * (X.transpose() * wp.array().square().matrix().asDiagonal() * X) * (n * A);
  const Eigen::MatrixXd u2 = a * (A * Xww).transpose();
  const Eigen::MatrixXd u3 = (A * Xww) * a.transpose();
  const double m4 = (w0.array().square() - ctl.bb * ctl.bb).mean();
  const Eigen::MatrixXd u4 = m4 * a * a.transpose();
  Eigen::MatrixXd V = (u1 - u2 - u3 + u4) / n;
  V = 0.5 * (V + V.transpose());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(V);
  if ((es.eigenvalues().array() < 0).any()) {
    const Vec od = V.diagonal();
    Vec lam = es.eigenvalues().cwiseMax(0.0);
    Eigen::MatrixXd R = es.eigenvectors() * lam.asDiagonal() * es.eigenvectors().transpose();
    Vec D(p);
    for (int k = 0; k < p; ++k) D[k] = std::sqrt(std::max(0.0, od[k]) / R(k, k));
    V = D.asDiagonal() * R * D.asDiagonal();
  }
  fit.coef = beta;
  fit.scale = scale;
  fit.cov = V;
  fit.ok = true;
  return fit;
}
#endif  // !MRKIT_LMROB_SEPARATE || MRKIT_LMROB_IMPLEMENTATION

}  // namespace mrkit
