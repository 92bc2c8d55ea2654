// Maximum likelihood with measurement error in both associations (methods.md 4.15,
// TwoSampleMR mr_two_sample_ml, MendelianRandomization mr_maxlik).
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/params.hpp"
#include "mrkit/summary_data.hpp"
#include "mrkit/numerics/wls.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace mrkit {

namespace detail {

// Model: bx_j ~ N(gamma_j, sx_j^2), by_j ~ N(theta gamma_j, sy_j^2). Minus the log-likelihood
// (up to a constant) is f = 1/2 sum (bx - gamma)^2/sx^2 + 1/2 sum (by - theta gamma)^2/sy^2.
// Profiling out gamma gives 2 f(gamma_hat(theta), theta) = Q(theta) below.
struct MlProfile {
  const SummaryData& d;
  // Q(theta) = sum (by - theta bx)^2 / (sy^2 + theta^2 sx^2).
  double value(double t) const {
    double q = 0;
    for (int j = 0; j < d.size(); ++j) {
      const double r = d.by[j] - t * d.bx[j];
      q += r * r / (d.sy[j] * d.sy[j] + t * t * d.sx[j] * d.sx[j]);
    }
    return q;
  }
  // First and second derivatives of Q.
  void derivs(double t, double& g1, double& g2) const {
    g1 = 0; g2 = 0;
    for (int j = 0; j < d.size(); ++j) {
      const double bx = d.bx[j], sx2 = d.sx[j] * d.sx[j];
      const double r = d.by[j] - t * bx;
      const double v = d.sy[j] * d.sy[j] + t * t * sx2;
      g1 += -2.0 * bx * r / v - 2.0 * t * sx2 * r * r / (v * v);
      g2 += 2.0 * (bx * bx / v + 4.0 * t * sx2 * bx * r / (v * v) - sx2 * r * r / (v * v) +
                   4.0 * t * t * sx2 * sx2 * r * r / (v * v * v));
    }
  }
};

// Global minimiser of the profile objective. Candidates: 2000 points equally spaced in
// atan(theta) (the whole real line) and a fine grid around the IVW estimate; the best
// candidate and its neighbours bracket a local minimum, which a safeguarded Newton
// iteration on Q'(theta) (bisection whenever Newton leaves the bracket) solves to full
// precision, with golden-section search as the fallback. Returns NaN when the infimum is
// approached only as |theta| -> infinity.
inline double ml_minimise(const MlProfile& prof, double start, double scale) {
  const double pi = 3.14159265358979323846;
  std::vector<double> cand;
  const int n_angle = 2000;
  cand.reserve(n_angle + 200);
  for (int k = 0; k < n_angle; ++k) cand.push_back(std::tan(-pi / 2 + pi * (k + 0.5) / n_angle));
  if (std::isfinite(start)) {
    const double h = std::isfinite(scale) && scale > 0 ? scale / 4 : std::max(1e-3, std::fabs(start) * 1e-3);
    for (int k = -80; k <= 80; ++k) cand.push_back(start + k * h);
  }
  std::sort(cand.begin(), cand.end());
  cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
  std::vector<double> val(cand.size());
  std::size_t m = 0;
  for (std::size_t i = 0; i < cand.size(); ++i) {
    val[i] = prof.value(cand[i]);
    if (val[i] < val[m]) m = i;
  }
  double lo = NA, hi = NA;
  if (m == 0 || m + 1 == cand.size()) {
    // Walk outwards until the objective rises again.
    double t = cand[m], q = val[m], prev = m == 0 ? cand[1] : cand[m - 1];
    bool found = false;
    for (int it = 0; it < 60; ++it) {
      const double tn = t * 2.0;
      const double qn = prof.value(tn);
      if (qn > q) { found = true; lo = std::min(prev, tn); hi = std::max(prev, tn); break; }
      prev = t; t = tn; q = qn;
    }
    if (!found) return NA;
  } else {
    lo = cand[m - 1];
    hi = cand[m + 1];
  }
  double x = 0.5 * (lo + hi);
  {
    // best point inside the bracket as the start
    double best = prof.value(x);
    for (std::size_t i = 0; i < cand.size(); ++i)
      if (cand[i] > lo && cand[i] < hi && val[i] < best) { best = val[i]; x = cand[i]; }
  }
  double g1, g2;
  double glo, ghi, tmp;
  prof.derivs(lo, glo, tmp);
  prof.derivs(hi, ghi, tmp);
  if (glo < 0 && ghi > 0) {
    double a = lo, b = hi;
    for (int it = 0; it < 200; ++it) {
      prof.derivs(x, g1, g2);
      if (g1 == 0) break;
      if (g1 < 0) a = x; else b = x;
      double xn = x - g1 / g2;
      if (!(g2 > 0) || !(xn > a && xn < b)) xn = 0.5 * (a + b);
      if (std::fabs(xn - x) <= 4e-16 * std::max(1.0, std::fabs(x)) || b - a <= 4e-16 * std::max(1.0, std::fabs(x))) {
        x = xn;
        break;
      }
      x = xn;
    }
    return x;
  }
  // Golden-section search on Q in [lo, hi].
  const double gr = 0.5 * (std::sqrt(5.0) - 1.0);
  double a = lo, b = hi;
  double c = b - gr * (b - a), dd = a + gr * (b - a);
  double fc = prof.value(c), fd = prof.value(dd);
  for (int it = 0; it < 200 && (b - a) > 1e-14 * std::max(1.0, std::fabs(c)); ++it) {
    if (fc < fd) { b = dd; dd = c; fd = fc; c = b - gr * (b - a); fc = prof.value(c); }
    else { a = c; c = dd; fc = fd; dd = a + gr * (b - a); fd = prof.value(dd); }
  }
  return 0.5 * (a + b);
}

}  // namespace detail

// Exact maximum likelihood estimate of theta (the minimiser of the profile objective, see
// detail::ml_minimise). The variance is [H^-1]_{theta theta} of the Hessian of f in
// (gamma, theta) at (gamma_hat(theta_hat), theta_hat), computed in closed form through the
// Schur complement of the diagonal gamma block. Q = 2 min f on J - 1 df.
// Standard error: fixed effect (TwoSampleMR) unless ivw_model = default_rule, which applies
// MendelianRandomization's mr_maxlik rule: fixed for J <= 3, otherwise the variance is
// multiplied by max(1, Q / (J - 1)); ivw_model = fixed gives the fixed-effect SE.
// p-values are normal (t(J - 1) with distribution = "t").
// TwoSampleMR and MendelianRandomization minimise f over all J + 1 parameters with
// Nelder-Mead and a numerical Hessian, which converges only approximately for large J; the
// numbers here are the exact optimum, so they differ slightly (and Q is never larger).
inline Estimate mr_two_sample_ml(const SummaryData& d, const Params& p) {
  const int J = d.size();
  if (J < 2) return not_estimable(J, "maximum likelihood needs at least 2 variants");
  Estimate e;
  e.nsnp = J;
  const Vec w = d.sy.array().square().inverse();
  const WlsFit ivw = wls_origin(d.bx, d.by, w);
  const double start = ivw.aliased ? 0.0 : ivw.slope;
  const double scale = ivw.aliased ? NA : ivw.slope_se_over(ivw.sigma) * std::max(1.0, ivw.sigma);
  const detail::MlProfile prof{d};
  const double theta = detail::ml_minimise(prof, start, scale);
  if (!std::isfinite(theta)) {
    e.note = "the likelihood has no finite maximum in the causal effect";
    return e;
  }
  double h_tt = 0, schur = 0;
  for (int j = 0; j < J; ++j) {
    const double tx = 1.0 / (d.sx[j] * d.sx[j]), ty = 1.0 / (d.sy[j] * d.sy[j]);
    const double h_gg = tx + theta * theta * ty;
    const double gamma = (d.bx[j] * tx + theta * d.by[j] * ty) / h_gg;
    const double h_gt = (2.0 * theta * gamma - d.by[j]) * ty;
    h_tt += gamma * gamma * ty;
    schur += h_gt * h_gt / h_gg;
  }
  const double info = h_tt - schur;
  e.Q = prof.value(theta);
  e.Q_df = J - 1;
  e.Q_pval = p_chisq_upper(e.Q, e.Q_df);
  e.b = theta;
  if (!(info > 0) || !std::isfinite(info)) {
    e.note = "the Hessian of the likelihood is not positive definite at the maximum";
    return e;
  }
  double var = 1.0 / info;
  if (p.ivw_model == IvwModel::default_rule && J > 3) var *= std::max(1.0, e.Q / (J - 1));
  e.se = std::sqrt(var);
  set_wald_test(e, p.distribution == PvalDist::t, J - 1);
  return e;
}

}  // namespace mrkit
