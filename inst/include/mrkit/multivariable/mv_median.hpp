// Weighted L1 (median) regression through the origin: minimise sum_i w_i |y_i - x_i' theta|.
// Exact vertex-to-vertex descent (the reduced form of the Barrodale-Roberts simplex): a
// vertex is a basis B of K rows with zero residual, theta = X_B^{-1} y_B. From a vertex,
// each of the 2K edges releases one basis row; the steepest descending edge is followed
// with an exact line search over the breakpoints of the piecewise-linear objective (a
// weighted-median step), and the row met there enters the basis. The optimum is reached
// when no edge descends (dual feasibility). The solution is the LP optimum that
// quantreg::rq(y ~ X - 1, weights = w, method = "br") reports whenever it is unique.
#pragma once
#include "mrkit/config.hpp"
#include "mrkit/multivariable/mv_wls.hpp"
#include "mrkit/resampling/parallel.hpp"
#include "mrkit/resampling/rng.hpp"

#include "mrkit/eigen.hpp"
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace mrkit {

struct L1Fit {
  MVec theta;
  std::vector<Eigen::Index> basis;  // rows with zero residual at the solution
  double objective = NA;
  int iterations = 0;
  bool converged = false;
};

namespace detail {

// K rows that make X_B nonsingular, preferring rows with large weighted norm.
inline std::vector<Eigen::Index> initial_basis(const Mat& X, const MVec& w) {
  const Eigen::Index n = X.rows(), K = X.cols();
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  std::vector<double> score(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) score[static_cast<std::size_t>(i)] = w(i) * X.row(i).norm();
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
    return score[static_cast<std::size_t>(a)] > score[static_cast<std::size_t>(b)];
  });
  std::vector<Eigen::Index> basis;
  Mat Q(K, 0);  // orthonormal basis of the rows chosen so far
  for (Eigen::Index i : order) {
    if (static_cast<Eigen::Index>(basis.size()) == K) break;
    MVec v = X.row(i).transpose();
    const double nv = v.norm();
    if (!(nv > 0)) continue;
    if (Q.cols() > 0) v -= Q * (Q.transpose() * v);
    if (v.norm() > 1e-8 * nv) {
      Q.conservativeResize(K, Q.cols() + 1);
      Q.col(Q.cols() - 1) = v / v.norm();
      basis.push_back(i);
    }
  }
  return basis;
}

}  // namespace detail

// Solve from a starting basis (empty: chosen internally). Throws std::invalid_argument
// when X has rank < K.
inline L1Fit l1_regression(const Mat& X, const MVec& y, const MVec& w,
                           std::vector<Eigen::Index> start = {}, int max_iter = 0) {
  const Eigen::Index n = X.rows(), K = X.cols();
  if (y.size() != n || w.size() != n) throw std::invalid_argument("l1_regression: sizes differ");
  if (n < K || K == 0) throw std::invalid_argument("l1_regression: fewer rows than columns");
  if (max_iter <= 0) max_iter = static_cast<int>(100 + 50 * n);
  L1Fit fit;
  std::vector<Eigen::Index> B = start;
  auto basis_ok = [&](const std::vector<Eigen::Index>& b) {
    if (static_cast<Eigen::Index>(b.size()) != K) return false;
    Mat XB(K, K);
    for (Eigen::Index k = 0; k < K; ++k) XB.row(k) = X.row(b[static_cast<std::size_t>(k)]);
    Eigen::FullPivLU<Mat> lu(XB);
    lu.setThreshold(1e-10);
    return lu.isInvertible();
  };
  if (!basis_ok(B)) B = detail::initial_basis(X, w);
  if (static_cast<Eigen::Index>(B.size()) < K) throw std::invalid_argument("l1_regression: exposures are collinear");

  std::vector<char> in_basis(static_cast<std::size_t>(n), 0);
  for (auto i : B) in_basis[static_cast<std::size_t>(i)] = 1;
  Mat XB(K, K);
  MVec yB(K);
  std::vector<std::pair<double, Eigen::Index>> brk;
  brk.reserve(static_cast<std::size_t>(n));
  for (int it = 0; it < max_iter; ++it) {
    for (Eigen::Index k = 0; k < K; ++k) {
      XB.row(k) = X.row(B[static_cast<std::size_t>(k)]);
      yB(k) = y(B[static_cast<std::size_t>(k)]);
    }
    Eigen::PartialPivLU<Mat> lu(XB);
    const MVec theta = lu.solve(yB);
    const MVec r = y - X * theta;
    // z = sum over non-basic rows of w_i sign(r_i) x_i; rows with r_i == 0 (degenerate) are
    // collected separately since they add w_i |x_i' d| in every direction.
    MVec z = MVec::Zero(K);
    std::vector<Eigen::Index> zero_rows;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (in_basis[static_cast<std::size_t>(i)]) continue;
      const double tol = 1e-13 * (std::fabs(y(i)) + std::fabs(y(i) - r(i)));
      if (std::fabs(r(i)) <= tol) { zero_rows.push_back(i); continue; }
      z += (r(i) > 0 ? w(i) : -w(i)) * X.row(i).transpose();
    }
    const Mat M = lu.inverse();            // columns: directions releasing basis row k
    const MVec g = M.transpose() * z;      // z' M e_k
    // Steepest descending edge.
    double best = 0.0;
    Eigen::Index kbest = -1;
    double sbest = 0.0;
    for (Eigen::Index k = 0; k < K; ++k) {
      for (double s : {1.0, -1.0}) {
        double D = -s * g(k) + w(B[static_cast<std::size_t>(k)]);
        if (!zero_rows.empty()) {
          const MVec d = s * M.col(k);
          for (auto i : zero_rows) D += w(i) * std::fabs(X.row(i).dot(d));
        }
        const double scale = w(B[static_cast<std::size_t>(k)]) + std::fabs(g(k));
        if (D < -1e-12 * scale && D < best) { best = D; kbest = k; sbest = s; }
      }
    }
    if (kbest < 0) {
      fit.theta = theta;
      fit.basis = B;
      fit.objective = (w.array() * r.array().abs()).sum();
      fit.iterations = it;
      fit.converged = true;
      return fit;
    }
    // Exact line search along d: residual of row i is r_i - t a_i.
    const MVec d = sbest * M.col(kbest);
    const MVec a = X * d;
    brk.clear();
    for (Eigen::Index i = 0; i < n; ++i) {
      if (in_basis[static_cast<std::size_t>(i)] || a(i) == 0) continue;
      const double t = r(i) / a(i);
      if (t > 0) brk.emplace_back(t, i);
    }
    std::sort(brk.begin(), brk.end());
    double slope = best;
    Eigen::Index enter = -1;
    for (const auto& bi : brk) {
      slope += 2.0 * w(bi.second) * std::fabs(a(bi.second));
      if (slope >= 0) { enter = bi.second; break; }
    }
    if (enter < 0) throw std::runtime_error("l1_regression: unbounded direction");
    in_basis[static_cast<std::size_t>(B[static_cast<std::size_t>(kbest)])] = 0;
    in_basis[static_cast<std::size_t>(enter)] = 1;
    B[static_cast<std::size_t>(kbest)] = enter;
  }
  throw std::runtime_error("l1_regression: no convergence");
}

struct MvMedianResult {
  MVec b, se;
  int nboot = 0;
  int failed = 0;  // bootstrap replicates whose fit failed (excluded from the SE)
};

// MendelianRandomization::mr_mvmedian: rq(by ~ bx - 1, weights = sy^-2); SE = standard
// deviation of the estimates over `nboot` parametric bootstrap data sets (bx ~ N(bx, sx),
// by ~ N(by, sy), same weights). Replicate b draws from Rng(seed, b).
inline MvMedianResult mv_median(const Mat& bx, const MVec& by, const Mat& sx, const MVec& sy,
                                int nboot, std::uint64_t seed, int threads) {
  const Eigen::Index J = bx.rows(), K = bx.cols();
  if (by.size() != J || sx.rows() != J || sx.cols() != K || sy.size() != J)
    throw std::invalid_argument("mv_median: sizes differ");
  const MVec w = sy.array().square().inverse().matrix();
  MvMedianResult out;
  const L1Fit fit = l1_regression(bx, by, w);
  out.b = fit.theta;
  out.se = MVec::Constant(K, NA);
  out.nboot = nboot;
  if (nboot < 2) return out;
  Mat est(nboot, K);
  std::vector<char> ok(static_cast<std::size_t>(nboot), 1);
  parallel_for(nboot, threads, [&](int rep) {
    Rng rng(seed, static_cast<std::uint64_t>(rep));
    Mat bxs(J, K);
    for (Eigen::Index k = 0; k < K; ++k)
      for (Eigen::Index j = 0; j < J; ++j) bxs(j, k) = rng.normal(bx(j, k), sx(j, k));
    MVec bys(J);
    for (Eigen::Index j = 0; j < J; ++j) bys(j) = rng.normal(by(j), sy(j));
    try {
      est.row(rep) = l1_regression(bxs, bys, w, fit.basis).theta.transpose();
    } catch (const std::exception&) {
      ok[static_cast<std::size_t>(rep)] = 0;
      est.row(rep).setConstant(NA);
    }
  });
  int n_ok = 0;
  MVec mean = MVec::Zero(K);
  for (int r = 0; r < nboot; ++r)
    if (ok[static_cast<std::size_t>(r)]) { mean += est.row(r).transpose(); ++n_ok; }
  out.failed = nboot - n_ok;
  if (n_ok < 2) return out;
  mean /= n_ok;
  MVec ss = MVec::Zero(K);
  for (int r = 0; r < nboot; ++r)
    if (ok[static_cast<std::size_t>(r)]) ss += (est.row(r).transpose() - mean).array().square().matrix();
  out.se = (ss / (n_ok - 1)).array().sqrt().matrix();
  return out;
}

}  // namespace mrkit
