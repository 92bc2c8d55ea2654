// MR-Lasso (methods.md 4.11), as MendelianRandomization's mr_lasso(): variant-specific
// intercepts penalised by the lasso after profiling out the causal effect, the tuning
// parameter chosen by the heterogeneity-stopping rule, and post-lasso IVW on the variants
// whose intercept is zero.
//
// The lasso path is computed the way glmnet computes a gaussian fit with intercept = FALSE,
// standardize = TRUE (observation weights 1/n; each column scaled by its weighted standard
// deviation but not centred; the response scaled by its root mean square): covariance-update
// coordinate descent with an active set, 100 values of lambda from lambda_max down to
// lambda.min.ratio * lambda_max (1e-4 when n >= p, else 0.01) on a log scale, convergence
// when no coordinate update moves the objective by more than thresh = 1e-7, and the path
// stopped early (after at least 5 values) when the fraction of deviance explained grows by
// less than 1e-5 relative or exceeds 0.999. The first lambda is reported by log-linear
// extrapolation from the next two, as glmnet does.
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/params.hpp"
#include "mrkit/summary_data.hpp"
#include "mrkit/numerics/wls.hpp"

#include "mrkit/eigen.hpp"
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace mrkit {

struct LassoPath {
  std::vector<double> lambda;        // decreasing
  std::vector<Eigen::VectorXd> beta; // one coefficient vector per lambda
};

// glmnet-style lasso path (alpha = 1) of y on X without intercept. `user_lambda`, when
// non-empty, replaces the automatic sequence (no early stopping, no extrapolation).
inline LassoPath lasso_path(const Eigen::MatrixXd& X, const Vec& y,
                            const std::vector<double>& user_lambda = {}, int nlam = 100,
                            double thresh = 1e-7, int maxit = 100000) {
  const int n = static_cast<int>(X.rows()), p = static_cast<int>(X.cols());
  const double w = 1.0 / n;
  const double flmin = n < p ? 0.01 : 1e-4;
  const double big = 9.9e35, fdev = 1e-5, devmax = 0.999;
  const int mnlam = 5;
  // Standardise.
  Eigen::MatrixXd Xs = X;
  Vec xs(p), xv(p);
  std::vector<char> ju(p, 1);
  for (int j = 0; j < p; ++j) {
    const double mean = w * X.col(j).sum();
    const double ss = w * X.col(j).squaredNorm();
    const double vc = ss - mean * mean;
    bool constant = true;
    for (int i = 1; i < n && constant; ++i) constant = X(i, j) == X(0, j);
    if (constant || !(vc > 0)) { ju[j] = 0; xs[j] = 1; xv[j] = 0; continue; }
    xs[j] = std::sqrt(vc);
    Xs.col(j) /= xs[j];
    xv[j] = 1 + mean * mean / vc;
  }
  const double ys = std::sqrt(w * y.squaredNorm());
  LassoPath out;
  if (!(ys > 0)) return out;
  const Vec ysd = y / ys;
  Vec g = w * (Xs.transpose() * ysd);
  const bool user = !user_lambda.empty();
  const int L = user ? static_cast<int>(user_lambda.size()) : nlam;
  const double alf = user ? 1.0 : std::pow(std::max(1e-6, flmin), 1.0 / (nlam - 1));
  Vec a = Vec::Zero(p);
  std::vector<int> mm(p, -1), ia;
  std::vector<Vec> ccols;  // covariance of every variable with active variable l
  double rsq = 0, alm = 0;
  int nlp = 0;
  std::vector<double> almo;
  bool iz = false;  // the active-set loop has run (persists over lambdas, as in glmnet)
  auto update = [&](int k, double ab, double& dlx) {
    const double ak = a[k];
    const double u = g[k] + ak * xv[k];
    const double v = std::fabs(u) - ab;
    a[k] = v > 0 ? std::copysign(v, u) / xv[k] : 0.0;
    if (a[k] == ak) return false;
    if (mm[k] < 0) {
      mm[k] = static_cast<int>(ia.size());
      ia.push_back(k);
      ccols.push_back(w * (Xs.transpose() * Xs.col(k)));
    }
    const double del = a[k] - ak;
    rsq += del * (2 * g[k] - del * xv[k]);
    dlx = std::max(dlx, xv[k] * del * del);
    return true;
  };
  for (int m = 0; m < L; ++m) {
    if (user) alm = user_lambda[m] / ys;
    else if (m > 1) alm *= alf;
    else if (m == 0) alm = big;
    else {
      alm = 0;
      for (int j = 0; j < p; ++j) if (ju[j]) alm = std::max(alm, std::fabs(g[j]));
      alm *= alf;
    }
    const double ab = alm;
    const double rsq0 = rsq;
    bool jz = true;
    while (true) {
      if (!(iz && jz)) {
        ++nlp;
        double dlx = 0;
        for (int k = 0; k < p; ++k) {
          if (!ju[k]) continue;
          const double before = a[k];
          if (!update(k, ab, dlx)) continue;
          const double del = a[k] - before;
          const Vec& c = ccols[mm[k]];
          for (int j = 0; j < p; ++j) if (ju[j]) g[j] -= c[j] * del;
        }
        if (dlx < thresh) break;
        if (nlp > maxit) throw std::runtime_error("lasso coordinate descent did not converge");
      }
      iz = true;
      const int nin = static_cast<int>(ia.size());
      Vec da(nin);
      for (int l = 0; l < nin; ++l) da[l] = a[ia[l]];
      while (true) {
        ++nlp;
        double dlx = 0;
        for (int l = 0; l < nin; ++l) {
          const int k = ia[l];
          const double before = a[k];
          if (!update(k, ab, dlx)) continue;
          const double del = a[k] - before;
          const Vec& c = ccols[mm[k]];
          for (int j2 = 0; j2 < nin; ++j2) g[ia[j2]] -= c[ia[j2]] * del;
        }
        if (dlx < thresh) break;
        if (nlp > maxit) throw std::runtime_error("lasso coordinate descent did not converge");
      }
      for (int l = 0; l < nin; ++l) da[l] = a[ia[l]] - da[l];
      for (int j = 0; j < p; ++j) {
        if (mm[j] >= 0 || !ju[j]) continue;
        double s = 0;
        for (int l = 0; l < nin; ++l) s += da[l] * ccols[l][j];
        g[j] -= s;
      }
      jz = false;
    }
    Vec beta(p);
    for (int j = 0; j < p; ++j) beta[j] = a[j] / xs[j] * ys;
    out.beta.push_back(beta);
    almo.push_back(alm * ys);
    if (user || m + 1 < mnlam) continue;
    if (rsq - rsq0 < fdev * rsq) break;
    if (rsq > devmax) break;
  }
  if (!user && almo.size() > 2) almo[0] = std::exp(2 * std::log(almo[1]) - std::log(almo[2]));
  out.lambda = almo;
  return out;
}

struct LassoResult {
  Estimate est;
  std::vector<double> intercepts;  // RegIntercept (oriented variants)
  std::vector<int> valid;          // 0-based indices of valid variants
  double reg_estimate = NA, lambda = NA;
};

namespace lasso_detail {
// Unweighted regression through the origin of sqrt(S) by on sqrt(S) bx over `v`: residual
// standard error (NaN without residual degrees of freedom).
inline double rse_valid(const Vec& bxs, const Vec& bys, const std::vector<int>& v) {
  if (v.empty()) return NA;
  double sxx = 0, sxy = 0;
  for (int j : v) { sxx += bxs[j] * bxs[j]; sxy += bxs[j] * bys[j]; }
  const double b = sxy / sxx;
  double rss = 0;
  for (int j : v) { const double e = bys[j] - b * bxs[j]; rss += e * e; }
  const double df = static_cast<double>(v.size()) - 1;
  return std::sqrt(rss / df);
}
}  // namespace lasso_detail

// MR-Lasso on data oriented with base sign(). `lambda` < 0: heterogeneity-stopping choice.
inline LassoResult lasso_fit(const SummaryData& data, const Params& p, double lambda = -1) {
  LassoResult res;
  const int J = data.size();
  res.est.nsnp = J;
  if (J < 3) { res.est.note = "MR-Lasso needs at least 3 variants"; return res; }
  const SummaryData d = data.oriented(false);
  const Vec sq = d.sy.array().inverse();   // S^(1/2)
  const Vec bxs = d.bx.cwiseProduct(sq), bys = d.by.cwiseProduct(sq);
  const double bb = bxs.squaredNorm();
  if (!(bb > 0)) { res.est.note = "all SNP-exposure effects are zero"; return res; }
  // (I - P_b) S^(1/2) and (I - P_b) S^(1/2) by.
  Eigen::MatrixXd Xl = -(bxs * bxs.transpose()) / bb;
  Xl.diagonal().array() += 1.0;
  const Vec yl = Xl * bys;
  Xl = Xl * sq.asDiagonal();
  std::vector<double> ul;
  if (lambda >= 0) ul.push_back(lambda);
  const LassoPath path = lasso_path(Xl, yl, ul);
  Vec alpha;
  if (path.beta.empty()) {
    // Zero response: every variant fits the common ratio exactly; no intercept is needed.
    alpha = Vec::Zero(J);
    res.lambda = lambda >= 0 ? lambda : NA;
    res.est.note = "the ratio estimates are identical: all variants valid";
  } else if (lambda >= 0) {
    alpha = path.beta[0];
    res.lambda = lambda;
  } else {
    const int L = static_cast<int>(path.lambda.size());
    std::vector<double> rse(L), nv(L);
    for (int k = 0; k < L; ++k) {  // ascending lambda: path index L - 1 - k
      const Vec& b = path.beta[L - 1 - k];
      std::vector<int> v;
      for (int j = 0; j < J; ++j) if (b[j] == 0) v.push_back(j);
      rse[k] = lasso_detail::rse_valid(bxs, bys, v);
      nv[k] = static_cast<double>(v.size());
    }
    int pos = L - 1;
    for (int k = 0; k + 1 < L; ++k) {
      if (rse[k + 1] > 1 && rse[k + 1] - rse[k] > 3.841458820694124 / nv[k + 1]) { pos = k; break; }
    }
    int min_pos = -1;
    for (int k = 0; k < L; ++k) if (nv[k] > 1) { min_pos = k; break; }
    if (min_pos < 0) { res.est.note = "no lambda leaves two valid variants"; return res; }
    if (pos < min_pos) pos = min_pos;
    alpha = path.beta[L - 1 - pos];
    res.lambda = path.lambda[L - 1 - pos];
  }
  // The heterogeneity threshold: qchisq(0.95, 1) (hard-coded as in the reference).
  res.intercepts.assign(alpha.data(), alpha.data() + J);
  const Vec w = d.sy.array().square().inverse();
  res.reg_estimate = (w.array() * d.bx.array() * (d.by - alpha).array()).sum() /
                     (w.array() * d.bx.array().square()).sum();
  for (int j = 0; j < J; ++j) if (alpha[j] == 0) res.valid.push_back(j);
  const int V = static_cast<int>(res.valid.size());
  res.est.add("Valid", V);
  res.est.add("Lambda", res.lambda);
  res.est.add("RegEstimate", res.reg_estimate);
  if (V < 2) {
    res.est.note = "fewer than two valid variants: post-lasso estimate not available";
    return res;
  }
  Vec vx(V), vy(V), vw(V);
  for (int k = 0; k < V; ++k) { vx[k] = d.bx[res.valid[k]]; vy[k] = d.by[res.valid[k]]; vw[k] = w[res.valid[k]]; }
  const WlsFit f = wls_origin(vx, vy, vw);
  if (f.aliased) { res.est.note = "valid variants have zero SNP-exposure effects"; return res; }
  res.est.b = f.slope;
  res.est.se = f.slope_se_over(std::min(f.sigma, 1.0));
  set_wald_test(res.est, p.distribution == PvalDist::t, V - 1);
  return res;
}

// Registry kernel: MR-Lasso with the heterogeneity-stopping choice of lambda.
inline Estimate mr_lasso(const SummaryData& d, const Params& p) { return lasso_fit(d, p).est; }

}  // namespace mrkit
