// MR-PRESSO (methods.md 4.8): global test of horizontal pleiotropy, per-variant outlier test
// and distortion test, for one or several exposures (columns of bx).
//
// Leave-one-out fits use the PRESS identities of weighted least squares: with X = sqrt(w) bx,
// Y = sqrt(w) by, A = X'X, theta the full fit, e_j = Y_j - X_j theta and h_j = X_j A^-1 X_j',
//   theta_{-j} = theta - A^-1 X_j' e_j / (1 - h_j)   (Sherman-Morrison downdate of A and X'Y)
//   Y_j - X_j theta_{-j} = e_j / (1 - h_j),
// so all J leave-one-out fits of a data set cost O(J K^2) instead of J regressions.
//
// Replicate b of the null distribution draws from its own Rng(seed, b); the distortion test
// uses Rng(seed, NbDistribution + b). Replicates run in blocks over threads; per-block counts
// are integers, so the results do not depend on the number of threads.
#pragma once
#include "mrkit/config.hpp"
#include "mrkit/distributions.hpp"
#include "mrkit/resampling/parallel.hpp"
#include "mrkit/resampling/rng.hpp"

#include "mrkit/eigen.hpp"

#include <algorithm>
#include <functional>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace mrkit {

struct PressoOptions {
  bool outlier_test = false;
  bool distortion_test = false;
  double signif_threshold = 0.05;
  int nb_distribution = 1000;
  std::uint64_t seed = 0;
  int threads = 1;
  // Optional: called on the calling thread between groups of replicate blocks (never from a
  // worker); returning true stops the computation (PressoResult::cancelled). The glue uses it
  // to poll for user interrupts.
  std::function<bool()> interrupted;
};

// Coefficients of a weighted regression through the origin as summary(lm()) reports them.
struct PressoFit {
  Eigen::VectorXd b, se, t, p;
  bool ok = false;
};

struct PressoResult {
  int J = 0, K = 0, nb = 0;
  PressoFit raw, corrected;                 // corrected.ok only when the distortion test ran
  Eigen::MatrixXd theta_loo;                // J x K leave-one-out fits on the observed data
  double rss_obs = NA;
  int global_count = 0;                     // replicates with RSSexp > RSSobs
  double global_p = NA, global_mcse = NA;
  bool outlier_ran = false;
  Eigen::VectorXd outlier_rss;              // Dif_j^2 (unweighted)
  std::vector<int> outlier_count;           // replicates with Exp^2 > Dif^2
  Eigen::VectorXd outlier_p_raw, outlier_p, outlier_mcse;  // p, min(1, J p), J * MC SE
  bool distortion_ran = false;
  int distortion_status = 0;                // 0 none flagged, 1 tested, 2 all flagged
  std::vector<int> outliers;                // 0-based indices with corrected p <= threshold
  Eigen::VectorXd distortion_coef;          // 100 * BiasObs per exposure
  double distortion_p = NA, distortion_mcse = NA;  // MRPRESSO's statistic (see below)
  Eigen::VectorXd distortion_p_k;           // per-exposure empirical p-values
  bool cancelled = false;
};

namespace presso_detail {

inline double mc_se(double p, int n) { return std::sqrt(std::max(0.0, p * (1.0 - p)) / n); }

// Weighted LS through the origin on rows `rows` (repeats allowed) of bx with weights w,
// reported as lm() does: sigma-scaled SE, t, p from t(n - K).
inline PressoFit wls_fit(const Eigen::MatrixXd& bx, const Eigen::VectorXd& by,
                         const Eigen::VectorXd& w, const std::vector<int>& rows) {
  const int K = static_cast<int>(bx.cols());
  const int n = static_cast<int>(rows.size());
  PressoFit f;
  f.b = f.se = f.t = f.p = Eigen::VectorXd::Constant(K, NA);
  Eigen::MatrixXd A = Eigen::MatrixXd::Zero(K, K);
  Eigen::VectorXd c = Eigen::VectorXd::Zero(K);
  for (int r : rows) {
    const Eigen::VectorXd x = bx.row(r).transpose();
    A.noalias() += w[r] * x * x.transpose();
    c.noalias() += w[r] * by[r] * x;
  }
  Eigen::LDLT<Eigen::MatrixXd> ldlt(A);
  if (ldlt.info() != Eigen::Success || !(ldlt.vectorD().minCoeff() > 1e-14 * ldlt.vectorD().cwiseAbs().maxCoeff()))
    return f;
  f.b = ldlt.solve(c);
  double rss = 0;
  for (int r : rows) {
    const double e = by[r] - bx.row(r).dot(f.b);
    rss += w[r] * e * e;
  }
  const int df = n - K;
  const double sigma2 = df > 0 ? rss / df : NA;
  const Eigen::MatrixXd Ainv = ldlt.solve(Eigen::MatrixXd::Identity(K, K));
  for (int k = 0; k < K; ++k) {
    f.se[k] = std::sqrt(sigma2 * Ainv(k, k));
    f.t[k] = f.b[k] / f.se[k];
    f.p[k] = df > 0 ? p_student(f.t[k], df) : NA;
  }
  f.ok = true;
  return f;
}

inline std::vector<int> all_rows(int J) {
  std::vector<int> r(J);
  for (int j = 0; j < J; ++j) r[j] = j;
  return r;
}

// Inverse of a small symmetric positive definite matrix (K x K, column-major) by Cholesky.
// Returns false when it is not numerically positive definite.
inline bool spd_inverse(const double* A, int K, double* inv, double* L) {
  if (K == 1) {
    if (!(A[0] > 0)) return false;
    inv[0] = 1.0 / A[0];
    return true;
  }
  double dmax = 0;
  for (int k = 0; k < K; ++k) dmax = std::max(dmax, std::fabs(A[k + k * K]));
  for (int j = 0; j < K; ++j) {
    double d = A[j + j * K];
    for (int k = 0; k < j; ++k) d -= L[j + k * K] * L[j + k * K];
    if (!(d > 1e-14 * dmax)) return false;
    L[j + j * K] = std::sqrt(d);
    for (int i = j + 1; i < K; ++i) {
      double v = A[i + j * K];
      for (int k = 0; k < j; ++k) v -= L[i + k * K] * L[j + k * K];
      L[i + j * K] = v / L[j + j * K];
    }
  }
  // Columns of inv solve L L' x = e_c.
  for (int c = 0; c < K; ++c) {
    double* x = inv + c * K;
    for (int i = 0; i < K; ++i) {
      double v = (i == c) ? 1.0 : 0.0;
      for (int k = 0; k < i; ++k) v -= L[i + k * K] * x[k];
      x[i] = v / L[i + i * K];
    }
    for (int i = K - 1; i >= 0; --i) {
      double v = x[i];
      for (int k = i + 1; k < K; ++k) v -= L[k + i * K] * x[k];
      x[i] = v / L[i + i * K];
    }
  }
  return true;
}

// Scratch space of the leave-one-out computation (no allocation in the replicate loop).
struct LooWork {
  std::vector<double> A, inv, L, c, theta, u;
  explicit LooWork(int K) : A(K * K), inv(K * K), L(K * K), c(K), theta(K), u(K) {}
};

// Leave-one-out statistic of one data set on weighted data X (J x K, column-major) and Y:
// the RSS of the leave-one-out predictions (terms whose leave-one-out design is singular are
// skipped, as na.rm = TRUE does) and, when theta_loo (J x K, column-major) is given, the
// leave-one-out fits (NA when singular).
inline double loo_rss(const double* X, const double* Y, int J, int K, LooWork& ws,
                      double* theta_loo) {
  for (int a = 0; a < K; ++a) {
    const double* xa = X + a * J;
    for (int b = a; b < K; ++b) {
      const double* xb = X + b * J;
      double s = 0;
      for (int j = 0; j < J; ++j) s += xa[j] * xb[j];
      ws.A[a + b * K] = ws.A[b + a * K] = s;
    }
    double s = 0;
    for (int j = 0; j < J; ++j) s += xa[j] * Y[j];
    ws.c[a] = s;
  }
  if (!spd_inverse(ws.A.data(), K, ws.inv.data(), ws.L.data())) {
    if (theta_loo) std::fill(theta_loo, theta_loo + J * K, NA);
    return NA;
  }
  for (int a = 0; a < K; ++a) {
    double s = 0;
    for (int b = 0; b < K; ++b) s += ws.inv[a + b * K] * ws.c[b];
    ws.theta[a] = s;
  }
  double rss = 0;
  if (K == 1) {
    const double th = ws.theta[0], ainv = ws.inv[0];
    for (int j = 0; j < J; ++j) {
      const double x = X[j];
      const double e = Y[j] - x * th;
      const double d = 1.0 - x * x * ainv;
      const bool singular = !(d > 1e-12);
      if (theta_loo) theta_loo[j] = singular ? NA : th - ainv * x * (e / d);
      if (singular) continue;
      const double r = e / d;
      rss += r * r;
    }
    return rss;
  }
  for (int j = 0; j < J; ++j) {
    double e = Y[j], h = 0;
    for (int a = 0; a < K; ++a) e -= X[j + a * J] * ws.theta[a];
    for (int a = 0; a < K; ++a) {
      double s = 0;
      for (int b = 0; b < K; ++b) s += ws.inv[a + b * K] * X[j + b * J];
      ws.u[a] = s;
      h += X[j + a * J] * s;
    }
    const double d = 1.0 - h;
    const bool singular = !(d > 1e-12);
    if (theta_loo)
      for (int a = 0; a < K; ++a) theta_loo[j + a * J] = singular ? NA : ws.theta[a] - ws.u[a] * (e / d);
    if (singular) continue;
    const double r = e / d;
    rss += r * r;
  }
  return rss;
}

// Coefficients only of the weighted fit through the origin on `rows` (repeats allowed).
inline void wls_coef(const Eigen::MatrixXd& bx, const Eigen::VectorXd& by, const Eigen::VectorXd& w,
                     const std::vector<int>& rows, LooWork& ws, double* out) {
  const int K = static_cast<int>(bx.cols());
  if (K == 1) {
    double sxx = 0, sxy = 0;
    for (int r : rows) { sxx += w[r] * bx(r, 0) * bx(r, 0); sxy += w[r] * bx(r, 0) * by[r]; }
    out[0] = sxx > 0 ? sxy / sxx : NA;
    return;
  }
  std::fill(ws.A.begin(), ws.A.end(), 0.0);
  std::fill(ws.c.begin(), ws.c.end(), 0.0);
  for (int r : rows)
    for (int a = 0; a < K; ++a) {
      const double xa = w[r] * bx(r, a);
      for (int b = 0; b < K; ++b) ws.A[a + b * K] += xa * bx(r, b);
      ws.c[a] += xa * by[r];
    }
  if (!spd_inverse(ws.A.data(), K, ws.inv.data(), ws.L.data())) {
    for (int a = 0; a < K; ++a) out[a] = NA;
    return;
  }
  for (int a = 0; a < K; ++a) {
    double s = 0;
    for (int b = 0; b < K; ++b) s += ws.inv[a + b * K] * ws.c[b];
    out[a] = s;
  }
}

}  // namespace presso_detail

// bx, sx: J x K (column 0 is the exposure that sets the orientation); by, sy: J.
// Rows must be complete; the caller checks J > K + 2, J < nb_distribution and sy > 0.
inline PressoResult mr_presso(Eigen::MatrixXd bx, Eigen::VectorXd by, const Eigen::MatrixXd& sx,
                              const Eigen::VectorXd& sy, const PressoOptions& opt) {
  using namespace presso_detail;
  const int J = static_cast<int>(bx.rows()), K = static_cast<int>(bx.cols());
  const int N = opt.nb_distribution;
  if (by.size() != J || sy.size() != J || sx.rows() != J || sx.cols() != K || K < 1)
    throw std::invalid_argument("mr_presso: inconsistent input sizes");
  if (J <= K + 2) throw std::invalid_argument("mr_presso: needs more than K + 2 variants");
  if (N <= J) throw std::invalid_argument("mr_presso: NbDistribution must exceed the number of variants");

  // 0. Orientation by the base sign of the first exposure (sign(0) = 0 zeroes the row).
  for (int j = 0; j < J; ++j) {
    const double s = bx(j, 0) > 0 ? 1.0 : (bx(j, 0) < 0 ? -1.0 : 0.0);
    bx.row(j) *= s;
    by[j] *= s;
  }
  const Eigen::VectorXd w = sy.array().square().inverse().matrix();
  const Eigen::VectorXd sw = w.array().sqrt().matrix();

  PressoResult res;
  res.J = J; res.K = K; res.nb = N;

  // 1. Observed leave-one-out RSS and fits.
  LooWork ws(K);
  const Eigen::MatrixXd X = sw.asDiagonal() * bx;
  const Eigen::VectorXd Y = sw.cwiseProduct(by);
  res.theta_loo.resize(J, K);
  res.rss_obs = loo_rss(X.data(), Y.data(), J, K, ws, res.theta_loo.data());
  const Eigen::MatrixXd& TL = res.theta_loo;
  // Means of the null outcome draws and the observed unweighted LOO residuals.
  Eigen::VectorXd mean_y(J), dif2(J);
  for (int j = 0; j < J; ++j) {
    mean_y[j] = bx.row(j).dot(TL.row(j));
    const double d = by[j] - mean_y[j];
    dif2[j] = d * d;
  }

  // 2-3. Null replicates: RSSexp and the per-variant exceedances of the outlier test.
  const int block = 128;
  const int nblocks = (N + block - 1) / block;
  std::vector<double> rss_exp(N, NA);
  std::vector<std::vector<int>> block_counts(nblocks);
  bool done = parallel_for_interruptible(nblocks, opt.threads, 32, opt.interrupted, [&](int blk) {
    std::vector<int>& cnt = block_counts[blk];
    cnt.assign(J, 0);
    LooWork lw(K);
    std::vector<double> bxs(J * K), Xs(J * K), bys(J), Ys(J);
    const double* bxp = bx.data();
    const double* sxp = sx.data();
    const double* tlp = TL.data();
    const int lo = blk * block, hi = std::min(N, lo + block);
    for (int b = lo; b < hi; ++b) {
      Rng rng(opt.seed, static_cast<std::uint64_t>(b));
      for (int i = 0; i < J * K; ++i) {
        bxs[i] = rng.normal(bxp[i], sxp[i]);
        Xs[i] = sw[i % J] * bxs[i];
      }
      for (int j = 0; j < J; ++j) {
        bys[j] = rng.normal(mean_y[j], sy[j]);
        Ys[j] = sw[j] * bys[j];
      }
      rss_exp[b] = loo_rss(Xs.data(), Ys.data(), J, K, lw, nullptr);
      for (int j = 0; j < J; ++j) {
        double ex = bys[j];
        for (int k = 0; k < K; ++k) ex -= bxs[j + k * J] * tlp[j + k * J];
        if (ex * ex > dif2[j]) ++cnt[j];
      }
    }
  });
  if (!done) { res.cancelled = true; return res; }

  // 4. Global test (strict >).
  for (int b = 0; b < N; ++b) res.global_count += rss_exp[b] > res.rss_obs;
  res.global_p = static_cast<double>(res.global_count) / N;
  res.global_mcse = mc_se(res.global_p, N);

  // Raw estimate on all variants.
  res.raw = wls_fit(bx, by, w, all_rows(J));

  // 5. Outlier test, only when the global test is significant.
  res.outlier_ran = opt.outlier_test && res.global_p < opt.signif_threshold;
  if (!res.outlier_ran) return res;
  res.outlier_count.assign(J, 0);
  for (const auto& cnt : block_counts)
    for (int j = 0; j < J; ++j) res.outlier_count[j] += cnt[j];
  res.outlier_rss = dif2;
  res.outlier_p_raw.resize(J); res.outlier_p.resize(J); res.outlier_mcse.resize(J);
  for (int j = 0; j < J; ++j) {
    const double p = static_cast<double>(res.outlier_count[j]) / N;
    res.outlier_p_raw[j] = p;
    res.outlier_p[j] = std::min(1.0, J * p);
    res.outlier_mcse[j] = J * mc_se(p, N);
  }

  // 6. Distortion test.
  if (!opt.distortion_test) return res;
  res.distortion_ran = true;
  std::vector<char> is_out(J, 0);
  for (int j = 0; j < J; ++j)
    if (res.outlier_p[j] <= opt.signif_threshold) { res.outliers.push_back(j); is_out[j] = 1; }
  const int m = static_cast<int>(res.outliers.size());
  if (m == 0) { res.distortion_status = 0; return res; }
  if (m == J) { res.distortion_status = 2; return res; }
  res.distortion_status = 1;
  std::vector<int> keep;
  for (int j = 0; j < J; ++j) if (!is_out[j]) keep.push_back(j);
  res.corrected = wls_fit(bx, by, w, keep);
  const Eigen::VectorXd& th_all = res.raw.b;
  const Eigen::VectorXd& th_no = res.corrected.b;
  const Eigen::VectorXd bias_obs = (th_all - th_no).array() / th_no.array().abs();
  res.distortion_coef = 100.0 * bias_obs;

  // Null: the first J - m entries of (outliers, J - m draws from the non-outliers). With a
  // single non-outlier at (1-based) position i, the draw is uniform on 1..i (R's sample(i)).
  const int n_draw = std::max(0, J - 2 * m);
  const int n_out_used = std::min(m, J - m);
  Eigen::MatrixXd th_rand(N, K);
  done = parallel_for_interruptible(nblocks, opt.threads, 32, opt.interrupted, [&](int blk) {
    std::vector<int> rows(J - m);
    LooWork lw(K);
    std::vector<double> coef(K);
    const int lo = blk * block, hi = std::min(N, lo + block);
    for (int b = lo; b < hi; ++b) {
      Rng rng(opt.seed, static_cast<std::uint64_t>(N) + static_cast<std::uint64_t>(b));
      for (int i = 0; i < n_out_used; ++i) rows[i] = res.outliers[i];
      for (int i = 0; i < n_draw; ++i) {
        if (keep.size() == 1) rows[n_out_used + i] = static_cast<int>(rng.below(keep[0] + 1));
        else rows[n_out_used + i] = keep[rng.below(keep.size())];
      }
      wls_coef(bx, by, w, rows, lw, coef.data());
      for (int k = 0; k < K; ++k) th_rand(b, k) = coef[k];
    }
  });
  if (!done) { res.cancelled = true; return res; }

  // MRPRESSO's p-value: the N x K matrix of BiasExp is compared with BiasObs after R's
  // column-major recycling of the K-vectors (entry (b, k) uses exposure (k N + b) mod K);
  // the count is divided by N. For one exposure this is #{|BiasExp| > |BiasObs|} / N.
  long long count = 0;
  std::vector<long long> count_k(K, 0);
  for (int k = 0; k < K; ++k) {
    for (int b = 0; b < N; ++b) {
      const double tr = th_rand(b, k);
      const int r = static_cast<int>((static_cast<long long>(k) * N + b) % K);
      const double be = (th_all[r] - tr) / std::fabs(tr);
      if (std::fabs(be) > std::fabs(bias_obs[r])) ++count;
      const double bk = (th_all[k] - tr) / std::fabs(tr);
      if (std::fabs(bk) > std::fabs(bias_obs[k])) ++count_k[k];
    }
  }
  res.distortion_p = static_cast<double>(count) / N;
  res.distortion_mcse = K == 1 ? mc_se(res.distortion_p, N) : NA;
  res.distortion_p_k.resize(K);
  for (int k = 0; k < K; ++k) res.distortion_p_k[k] = static_cast<double>(count_k[k]) / N;
  return res;
}

}  // namespace mrkit
