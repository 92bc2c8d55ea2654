// Multivariable (weighted) least squares as summary(lm(y ~ X, weights = w)) reports it:
// coefficients from a column-pivoted Householder QR of sqrt(w) * [1, X], standard errors
// scaled by the residual standard error sigma = sqrt(RSS / (n - p)).
#pragma once
#include "mrkit/config.hpp"

#include "mrkit/eigen.hpp"
#include <cmath>
#include <string>
#include <vector>

namespace mrkit {

using Mat = Eigen::MatrixXd;
using MVec = Eigen::VectorXd;

struct MvWlsFit {
  MVec b, se;                   // slopes (one per column of X), lm's sigma-scaled SE
  double intercept = NA, intercept_se = NA;
  double sigma = NA;            // residual standard error
  double rss = NA;              // weighted residual sum of squares
  double df = NA;               // n - p
  MVec residuals;               // unweighted residuals y - fitted
  bool rank_deficient = false;  // a column is aliased (collinear, as lm's tol = 1e-7)
  bool ok() const { return !rank_deficient && df > 0; }
};

// Rows of a matrix / vector selected by a 0/1 mask.
inline Mat rows_where(const Mat& x, const std::vector<bool>& keep) {
  Eigen::Index n = 0;
  for (bool k : keep) n += k;
  Mat out(n, x.cols());
  Eigen::Index r = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    if (keep[static_cast<std::size_t>(i)]) out.row(r++) = x.row(i);
  return out;
}

inline MVec rows_where(const MVec& x, const std::vector<bool>& keep) {
  Eigen::Index n = 0;
  for (bool k : keep) n += k;
  MVec out(n);
  Eigen::Index r = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i)
    if (keep[static_cast<std::size_t>(i)]) out(r++) = x(i);
  return out;
}

inline Mat drop_column(const Mat& x, Eigen::Index k) {
  Mat out(x.rows(), x.cols() - 1);
  for (Eigen::Index j = 0, c = 0; j < x.cols(); ++j)
    if (j != k) out.col(c++) = x.col(j);
  return out;
}

// y ~ X (+ intercept) with weights w (all ones for ordinary least squares).
inline MvWlsFit mv_wls(const Mat& X, const MVec& y, const MVec& w, bool intercept) {
  if (X.rows() != y.size() || w.size() != y.size())
    throw std::invalid_argument("mv_wls: X, y and w sizes differ");
  const Eigen::Index n = X.rows(), K = X.cols(), p = K + (intercept ? 1 : 0);
  MvWlsFit f;
  f.b = MVec::Constant(K, NA);
  f.se = MVec::Constant(K, NA);
  f.df = static_cast<double>(n - p);
  if (p == 0) {  // nothing to fit: residuals are y
    f.residuals = y;
    f.rss = (w.array() * y.array().square()).sum();
    f.sigma = n > 0 ? std::sqrt(f.rss / static_cast<double>(n)) : NA;
    return f;
  }
  if (n == 0) { f.rank_deficient = true; return f; }
  const MVec sw = w.cwiseSqrt();
  Mat D(n, p);
  if (intercept) D.col(0) = sw;
  D.rightCols(K) = sw.asDiagonal() * X;
  const MVec yw = sw.cwiseProduct(y);
  Eigen::ColPivHouseholderQR<Mat> qr(D);
  qr.setThreshold(1e-7);
  if (qr.rank() < p) { f.rank_deficient = true; return f; }
  const MVec coef = qr.solve(yw);
  const MVec fitted_w = D * coef;
  f.rss = (yw - fitted_w).squaredNorm();
  f.residuals = y - (intercept ? MVec((X * coef.tail(K)).array() + coef(0)) : MVec(X * coef));
  f.sigma = f.df > 0 ? std::sqrt(f.rss / f.df) : NA;
  // (D'D)^{-1} = P R^{-1} R^{-T} P'
  const Eigen::Index r = p;
  Mat R = qr.matrixQR().topLeftCorner(r, r).template triangularView<Eigen::Upper>();
  Mat Rinv = R.template triangularView<Eigen::Upper>().solve(Mat::Identity(r, r));
  MVec diag_unpiv = Rinv.rowwise().squaredNorm();
  MVec vdiag(p);
  for (Eigen::Index i = 0; i < p; ++i) vdiag(qr.colsPermutation().indices()(i)) = diag_unpiv(i);
  const MVec se = (vdiag.array().sqrt() * f.sigma).matrix();
  if (intercept) {
    f.intercept = coef(0);
    f.intercept_se = se(0);
  }
  f.b = coef.tail(K);
  f.se = se.tail(K);
  return f;
}

}  // namespace mrkit
