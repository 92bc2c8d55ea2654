// Multivariable MR-Lasso (MendelianRandomization::mr_mvlasso, uncorrelated variants):
// variant-specific intercepts penalised by the lasso after projecting out the exposure
// effects; the tuning parameter is chosen by the package's heterogeneity rule along the
// lasso path, and the causal effects are re-estimated (post-lasso) on the variants whose
// intercept is zero ("valid" variants).
//
// The lasso path follows glmnet(x, y, intercept = FALSE) (standardize = TRUE, alpha = 1,
// nlambda = 100, lambda.min.ratio = 1e-4 as there are as many columns as rows): weights
// 1/J, y scaled by sqrt(mean(y^2)), columns scaled by their weighted SD, the geometric
// lambda grid from the largest |x_j'y|, and glmnet's early stop (after 5 values: R^2 gain
// below 1e-5 R^2, or R^2 above 0.999). Each point is solved exactly by cyclic coordinate
// descent from the previous one, so zero patterns are those of the exact lasso solution.
#pragma once
#include "mrkit/config.hpp"
#include "mrkit/distributions.hpp"
#include "mrkit/multivariable/mv_wls.hpp"

#include "mrkit/eigen.hpp"
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace mrkit {

struct MvLassoResult {
  MVec b, se, pval, lo, up;
  double lambda = NA;
  int valid = 0;
  std::vector<int> valid_rows;  // 0-based rows with zero intercept at the chosen lambda
  std::string note;
};

namespace detail {

// Exact lasso by coordinate descent on standardised data: minimise
// 0.5 * ||y - X beta||^2 + lam * ||beta||_1 (columns with squared norm xv).
inline void lasso_cd(const Mat& X, const MVec& xv, const MVec& y, double lam, MVec& beta, MVec& r) {
  const Eigen::Index p = X.cols();
  for (int sweep = 0; sweep < 100000; ++sweep) {
    double dl = 0;
    for (Eigen::Index j = 0; j < p; ++j) {
      const double bj = beta(j);
      const double u = X.col(j).dot(r) + xv(j) * bj;
      const double au = std::fabs(u) - lam;
      const double nb = au > 0 ? std::copysign(au, u) / xv(j) : 0.0;
      if (nb != bj) {
        r -= X.col(j) * (nb - bj);
        beta(j) = nb;
        dl = std::max(dl, xv(j) * (nb - bj) * (nb - bj));
      }
    }
    if (dl < 1e-24) return;
  }
}

}  // namespace detail

// lambda < 0: choose along the path; otherwise the given lambda (glmnet's scale).
inline MvLassoResult mv_lasso(const Mat& bx_in, const MVec& by_in, const MVec& sy, Eigen::Index orientate,
                              double lambda, bool use_t, double alpha) {
  const Eigen::Index J = bx_in.rows(), K = bx_in.cols();
  if (by_in.size() != J || sy.size() != J) throw std::invalid_argument("mv_lasso: sizes differ");
  if (orientate < 0 || orientate >= K) throw std::invalid_argument("mv_lasso: orientate out of range");
  MvLassoResult out;
  out.b = out.se = out.pval = out.lo = out.up = MVec::Constant(K, NA);
  Mat bx = bx_in;
  MVec by = by_in;
  for (Eigen::Index j = 0; j < J; ++j) {
    const double s = bx(j, orientate) > 0 ? 1.0 : (bx(j, orientate) < 0 ? -1.0 : 0.0);
    bx.row(j) *= s;
    by(j) *= s;
  }
  const MVec sh = sy.array().inverse().matrix();
  const Mat b = sh.asDiagonal() * bx;
  const MVec ysh = sh.cwiseProduct(by);
  Eigen::ColPivHouseholderQR<Mat> qr(b);
  if (qr.rank() < K) { out.note = "exposure effects are collinear"; return out; }
  // (I - P) applied to a matrix: A - b (b'b)^{-1} b' A.
  const Mat Q = qr.householderQ() * Mat::Identity(J, K);  // orthonormal basis of col(b)
  auto project_out = [&](const Mat& A) { return Mat(A - Q * (Q.transpose() * A)); };
  Mat X = project_out(Mat(sh.asDiagonal()));
  MVec y = project_out(Mat(ysh)).col(0);
  // glmnet standardisation without intercept, weights 1/J.
  const double v = std::sqrt(1.0 / static_cast<double>(J));
  y *= v;
  const double ys = y.norm();
  if (!(ys > 0)) { out.note = "outcome effects are fitted exactly: no lasso path"; return out; }
  y /= ys;
  X *= v;
  MVec xv(J);
  for (Eigen::Index j = 0; j < J; ++j) {
    const double xvj = X.col(j).squaredNorm();
    const double xbq = std::pow(v * X.col(j).sum(), 2);
    const double vc = xvj - xbq;
    X.col(j) /= std::sqrt(vc);
    xv(j) = 1.0 + xbq / vc;
  }
  const MVec g = X.transpose() * y;
  std::vector<double> lams;
  std::vector<std::vector<char>> zero;
  MVec beta = MVec::Zero(J), r = y;
  auto record = [&](double lam_std) {
    detail::lasso_cd(X, xv, y, lam_std, beta, r);
    std::vector<char> z(static_cast<std::size_t>(J));
    for (Eigen::Index j = 0; j < J; ++j) z[static_cast<std::size_t>(j)] = beta(j) == 0;
    lams.push_back(lam_std * ys);
    zero.push_back(std::move(z));
    return 1.0 - r.squaredNorm();
  };
  if (lambda >= 0) {
    record(lambda / ys);
  } else {
    const double lmax = g.cwiseAbs().maxCoeff();
    const double alf = std::pow(1e-4, 1.0 / 99.0);
    double rsq0 = 0, lam = lmax;
    for (int m = 1; m <= 100; ++m) {
      if (m > 1) lam *= alf;
      const double rsq = record(lam);
      if (m >= 5 && (rsq - rsq0 < 1e-5 * rsq || rsq > 0.999)) break;
      rsq0 = rsq;
    }
  }
  // Residual SE of the unweighted fit of sy^-1 by on sy^-1 bx over the valid variants.
  auto rse_of = [&](const std::vector<char>& z, int& n) {
    std::vector<bool> keep(z.begin(), z.end());
    n = 0;
    for (bool k : keep) n += k;
    if (n == 0) return NA;
    const MvWlsFit f = mv_wls(rows_where(b, keep), rows_where(ysh, keep), MVec::Ones(n), false);
    if (f.rank_deficient || !(f.df > 0)) return NA;
    return f.sigma;
  };
  std::size_t pick = 0;  // index into lams (in path order, largest lambda first)
  if (lambda < 0) {
    const std::size_t L = lams.size();
    // Ascending lambda: position i (0-based) is path index L - 1 - i.
    std::vector<double> rse(L);
    std::vector<int> nv(L);
    for (std::size_t i = 0; i < L; ++i) rse[i] = rse_of(zero[L - 1 - i], nv[i]);
    std::size_t lp = L - 1;
    for (std::size_t i = 1; i < L; ++i) {
      const double inc = rse[i] - rse[i - 1];
      // MendelianRandomization takes the value just below the jump (its index into the
      // increments, which start at the second value).
      if (rse[i] > 1 && inc > 3.841458820694124 / nv[i]) { lp = i - 1; break; }
    }
    std::size_t min_lp = L;
    for (std::size_t i = 0; i < L; ++i) if (nv[i] > K) { min_lp = i; break; }
    if (min_lp == L) { out.note = "no lambda leaves more valid variants than exposures"; return out; }
    if (lp < min_lp) lp = min_lp;
    pick = L - 1 - lp;
  }
  out.lambda = lams[pick];
  std::vector<bool> keep(zero[pick].begin(), zero[pick].end());
  for (Eigen::Index j = 0; j < J; ++j) if (keep[static_cast<std::size_t>(j)]) out.valid_rows.push_back(static_cast<int>(j));
  out.valid = static_cast<int>(out.valid_rows.size());
  if (out.valid <= K) {
    out.note = "the lambda leaves no more valid variants than exposures: post-lasso estimate not computed";
    return out;
  }
  const MvWlsFit f = mv_wls(rows_where(bx, keep), rows_where(by, keep),
                            rows_where(MVec(sy.array().square().inverse().matrix()), keep), false);
  if (f.rank_deficient) { out.note = "exposure effects of the valid variants are collinear"; return out; }
  const double df = static_cast<double>(out.valid - K);
  const double q = use_t ? q_student(1 - alpha / 2, df) : q_normal(1 - alpha / 2);
  out.b = f.b;
  out.se = f.se / std::min(f.sigma, 1.0);
  for (Eigen::Index k = 0; k < K; ++k) {
    out.pval(k) = p_two_sided(out.b(k) / out.se(k), use_t, df);
    out.lo(k) = out.b(k) - q * out.se(k);
    out.up(k) = out.b(k) + q * out.se(k);
  }
  return out;
}

}  // namespace mrkit
