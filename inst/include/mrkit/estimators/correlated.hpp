// Estimators for correlated instruments (variants in LD), given the signed correlation
// matrix rho of the variants' effect alleles:
//  * IVW and MR-Egger by generalised least squares with Omega = (sy sy^T) o rho
//    (methods.md 4.2 and 4.5, "correl");
//  * maximum likelihood with Sigma_x = (sx sx^T) o rho, Sigma_y = (sy sy^T) o rho (4.15);
//  * PCA-IVW: IVW on the principal components of Phi = (|bx|/sy)(|bx|/sy)^T o rho
//    (Burgess et al. 2017, Genet Epidemiol 41:714);
//  * PC-GMM: LIML/GMM on the same principal components (4.18, mr_pcgmm; Patel et al. 2023).
// Inputs are validated in R (rho symmetric, unit diagonal, positive definite); the core
// re-checks sizes and positive definiteness only.
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimators/egger.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/estimators/ivw.hpp"
#include "mrkit/estimators/ml.hpp"
#include "mrkit/params.hpp"
#include "mrkit/summary_data.hpp"

#include "mrkit/eigen.hpp"
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace mrkit {

using Mat = Eigen::MatrixXd;

// Options of the principal-component methods.
struct PcOptions {
  double thres = 0.99;  // share of the variance of Phi the components explain (> thres)
  int n_pc = 0;         // number of components; 0: chosen by thres
  double nx = NA, ny = NA;  // sample sizes of the exposure and outcome GWAS (PC-GMM)
  bool robust = true;   // PC-GMM: over-dispersion heterogeneity
};

namespace detail {

inline void check_ld_size(const SummaryData& d, const Mat& rho) {
  if (rho.rows() != d.size() || rho.cols() != d.size())
    throw std::invalid_argument("the LD matrix must be J x J for J variants");
}

// (s s^T) o rho.
inline Mat scaled_cov(const Vec& s, const Mat& rho) {
  return s.asDiagonal() * rho * s.asDiagonal();
}

// Generalised least squares of y on the columns of X with error covariance omega, by
// whitening with the Cholesky factor of omega. cov = (X^T omega^-1 X)^-1 and
// rss = e^T omega^-1 e.
struct GlsFit {
  Vec coef;
  Mat cov;
  double rss = NA;
  bool ok = false;
};

inline GlsFit gls(const Mat& X, const Vec& y, const Mat& omega) {
  GlsFit f;
  const Eigen::LLT<Mat> llt(omega);
  if (llt.info() != Eigen::Success) return f;
  const Mat Xw = llt.matrixL().solve(X);
  const Vec yw = llt.matrixL().solve(y);
  const Mat xtx = Xw.transpose() * Xw;
  const Eigen::LDLT<Mat> ldlt(xtx);
  if (ldlt.info() != Eigen::Success || !(ldlt.vectorD().minCoeff() > 1e-14 * ldlt.vectorD().maxCoeff()))
    return f;
  f.coef = ldlt.solve(Xw.transpose() * yw);
  f.cov = ldlt.solve(Mat::Identity(X.cols(), X.cols()));
  f.rss = (yw - Xw * f.coef).squaredNorm();
  f.ok = true;
  return f;
}

// IVW by GLS through the origin on (bx, by) with covariance omega and `n` effective
// instruments (variants or components); SE rule as ivw_estimate().
inline Estimate gls_ivw(const Vec& bx, const Vec& by, const Mat& omega, int n, IvwSe rule,
                        bool t_dist, int nsnp) {
  Estimate e;
  e.nsnp = nsnp;
  const GlsFit f = gls(bx, by, omega);
  if (!f.ok) { e.note = "the SNP-exposure effects carry no information"; return e; }
  const double se_fe = std::sqrt(f.cov(0, 0));
  const double sigma = n > 1 ? std::sqrt(f.rss / (n - 1)) : NA;
  e.b = f.coef[0];
  if (n < 2) rule = IvwSe::fixed;
  switch (rule) {
    case IvwSe::random_floor: e.se = se_fe * std::max(1.0, sigma); break;
    case IvwSe::random_no_floor: e.se = se_fe * sigma; break;
    case IvwSe::fixed: e.se = se_fe; break;
  }
  set_wald_test(e, t_dist, n - 1);
  e.Q = f.rss;
  e.Q_df = n - 1;
  e.Q_pval = n > 1 ? p_chisq_upper(e.Q, e.Q_df) : NA;
  e.add("rse", sigma);
  return e;
}

inline IvwSe ivw_rule(IvwModel model, int n) {
  if (model == IvwModel::fixed || (model == IvwModel::default_rule && n <= 3)) return IvwSe::fixed;
  return IvwSe::random_floor;
}

// The profile problem min_theta (a - theta b)^T (A + theta^2 B)^-1 (a - theta b) with A
// positive definite and B positive semi-definite, rewritten by simultaneous
// diagonalisation (A = L L^T, L^-1 B L^-T = U diag(lambda) U^T) as the uncorrelated
// profile sum_k (a'_k - theta b'_k)^2 / (1 + theta^2 lambda_k), a' = U^T L^-1 a,
// b' = U^T L^-1 b: a SummaryData with bx = b', by = a', sx = sqrt(lambda), sy = 1.
// Returns false when A is not positive definite.
inline bool diagonalised_profile(const Vec& a, const Vec& b, const Mat& A, const Mat& B,
                                 SummaryData& out) {
  const Eigen::LLT<Mat> llt(A);
  if (llt.info() != Eigen::Success) return false;
  const Mat Li_B = llt.matrixL().solve(B);
  const Mat M = llt.matrixL().solve(Li_B.transpose());  // L^-1 B L^-T (B symmetric)
  const Eigen::SelfAdjointEigenSolver<Mat> es(0.5 * (M + M.transpose()));
  const Mat& U = es.eigenvectors();
  const int n = static_cast<int>(a.size());
  out.by = U.transpose() * llt.matrixL().solve(a);
  out.bx = U.transpose() * llt.matrixL().solve(b);
  out.sx = es.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  out.sy = Vec::Ones(n);
  return true;
}

// The first principal components of Phi = (|bx|/sy)(|bx|/sy)^T o rho, as R's
// prcomp(Phi, scale = FALSE): eigenvectors of the column-centred Phi's cross-product in
// decreasing order of variance. The number kept is n_pc, or else the smallest k whose
// cumulative share of the variance exceeds thres.
struct PcBasis {
  Mat W;       // J x k
  int k = 0;
  double share = NA;  // share of the variance the k components explain
};

inline PcBasis principal_components(const SummaryData& d, const Mat& rho, double thres, int n_pc) {
  const int J = d.size();
  const Vec w = d.bx.cwiseAbs().cwiseQuotient(d.sy);
  Mat phi = w.asDiagonal() * rho * w.asDiagonal();
  const Eigen::RowVectorXd mean = phi.colwise().mean();
  phi.rowwise() -= mean;
  const Eigen::SelfAdjointEigenSolver<Mat> es(phi.transpose() * phi);
  const Vec ev = es.eigenvalues().reverse().cwiseMax(0.0);
  const double total = ev.sum();
  PcBasis out;
  int k = n_pc;
  if (k <= 0) {
    double cum = 0;
    k = J;
    for (int i = 0; i < J; ++i) {
      cum += ev[i];
      if (cum / total > thres) { k = i + 1; break; }
    }
  }
  k = std::min(k, J);
  out.k = k;
  out.W = es.eigenvectors().rowwise().reverse().leftCols(k);
  out.share = total > 0 ? ev.head(k).sum() / total : NA;
  return out;
}

// Brent-free root of a decreasing-through-zero function on [lo, hi] with f(lo) > 0 >= f(hi),
// by bisection and secant steps to full precision.
template <class F>
inline double root_bracketed(F f, double lo, double hi) {
  double flo = f(lo), fhi = f(hi);
  for (int it = 0; it < 300; ++it) {
    double x = (flo - fhi) != 0 ? lo + (hi - lo) * flo / (flo - fhi) : 0.5 * (lo + hi);
    if (!(x > lo && x < hi) || it % 3 == 2) x = 0.5 * (lo + hi);
    const double fx = f(x);
    if (fx > 0) { lo = x; flo = fx; } else { hi = x; fhi = fx; }
    if (fx == 0 || hi - lo <= 4e-16 * std::max(1.0, std::fabs(x))) return x;
  }
  return 0.5 * (lo + hi);
}

}  // namespace detail

// Correlated IVW: theta = (bx^T Omega^-1 bx)^-1 bx^T Omega^-1 by, fixed-effect SE
// (bx^T Omega^-1 bx)^-1/2, random effects times max(1, sqrt(Q / (J - 1))) with
// Q = e^T Omega^-1 e. `rule` as for ivw_estimate(). Extra: rse, fstat = z^T rho^-1 z / J
// (z = bx / sx), the F-statistic MendelianRandomization reports for correlated variants.
inline Estimate ivw_correlated(const SummaryData& d, const Mat& rho, IvwSe rule, bool t_dist) {
  detail::check_ld_size(d, rho);
  const int J = d.size();
  if (J < 2) return not_estimable(J, "IVW needs at least 2 variants");
  Estimate e = detail::gls_ivw(d.bx, d.by, detail::scaled_cov(d.sy, rho), J, rule, t_dist, J);
  const Eigen::LLT<Mat> llt(rho);
  if (llt.info() == Eigen::Success) {
    const Vec z = d.bx.cwiseQuotient(d.sx);
    e.add("fstat", llt.matrixL().solve(z).squaredNorm() / J);
  }
  return e;
}

inline Estimate mr_ivw_correlated(const SummaryData& d, const Mat& rho, const Params& p) {
  return ivw_correlated(d, rho, detail::ivw_rule(p.ivw_model, d.size()), p.distribution == PvalDist::t);
}

// Correlated MR-Egger: variants oriented so that bx >= 0 (sign 0 counts as +1), rho's
// rows and columns flipped with them; GLS of by on [1, bx]; SEs times max(1, sigma),
// sigma = sqrt(Q / (J - 2)); p-values as mr_egger_regression() under p.distribution.
inline Estimate mr_egger_correlated(const SummaryData& data, const Mat& rho, const Params& p) {
  detail::check_ld_size(data, rho);
  const int J = data.size();
  if (J < 3) return not_estimable(J, "MR-Egger needs at least 3 variants");
  const SummaryData d = data.oriented(true);
  Vec s(J);
  for (int j = 0; j < J; ++j) s[j] = data.bx[j] < 0 ? -1.0 : 1.0;
  const Mat rho_o = s.asDiagonal() * rho * s.asDiagonal();
  Mat X(J, 2);
  X.col(0).setOnes();
  X.col(1) = d.bx;
  const detail::GlsFit f = detail::gls(X, d.by, detail::scaled_cov(d.sy, rho_o));
  Estimate e;
  e.nsnp = J;
  if (!f.ok) { e.note = "collinear SNP-exposure effects in MR-Egger"; return e; }
  const double sigma = std::sqrt(f.rss / (J - 2));
  const double floor = std::max(1.0, sigma);
  e.b = f.coef[1];
  e.se = std::sqrt(f.cov(1, 1)) * floor;
  detail::set_egger_slope_test(e, sigma, J, p.distribution, p.alpha);
  e.b_i = f.coef[0];
  e.se_i = std::sqrt(f.cov(0, 0)) * floor;
  e.pval_i = detail::egger_pval(e.b_i, e.se_i, sigma, J, p.distribution);
  e.Q = f.rss;
  e.Q_df = J - 2;
  e.Q_pval = p_chisq_upper(e.Q, e.Q_df);
  e.add("rse", sigma);
  return e;
}

// Correlated maximum likelihood: bx ~ N(gamma, Sigma_x), by ~ N(theta gamma, Sigma_y).
// Profiling out gamma leaves Q(theta) = (by - theta bx)^T (Sigma_y + theta^2 Sigma_x)^-1
// (by - theta bx), which simultaneous diagonalisation turns into the uncorrelated profile
// of mr_two_sample_ml(); its exact minimiser and the theta element of the inverse Hessian
// of the full likelihood are invariant under that linear change of the nuisance
// parameters. SE: fixed effects for ivw_model = fixed, and for default_rule with J <= 3;
// otherwise the variance is multiplied by max(1, Q / (J - 1)) (MendelianRandomization's
// random-effects model).
inline Estimate mr_ml_correlated(const SummaryData& d, const Mat& rho, const Params& p) {
  detail::check_ld_size(d, rho);
  const int J = d.size();
  if (J < 2) return not_estimable(J, "maximum likelihood needs at least 2 variants");
  SummaryData t;
  if (!detail::diagonalised_profile(d.by, d.bx, detail::scaled_cov(d.sy, rho),
                                    detail::scaled_cov(d.sx, rho), t))
    return not_estimable(J, "the LD matrix is not positive definite");
  Params pf = p;
  pf.ivw_model = IvwModel::fixed;
  pf.distribution = PvalDist::normal;
  Estimate e = mr_two_sample_ml(t, pf);
  if (std::isnan(e.se)) return e;
  if (detail::ivw_rule(p.ivw_model, J) != IvwSe::fixed) e.se *= std::sqrt(std::max(1.0, e.Q / (J - 1)));
  set_wald_test(e, p.distribution == PvalDist::t, J - 1);
  e.add("rse", std::sqrt(e.Q / (J - 1)));
  return e;
}

// PCA-IVW: correlated IVW on the projections W^T bx, W^T by with covariance W^T Omega W,
// W the principal components of Phi (detail::principal_components). Q has k - 1 df; the
// IVW model rule applies to the k components. Extras: n_pc, pc_share.
inline Estimate mr_pca_ivw(const SummaryData& d, const Mat& rho, const Params& p, const PcOptions& o) {
  detail::check_ld_size(d, rho);
  const int J = d.size();
  if (J < 2) return not_estimable(J, "PCA-IVW needs at least 2 variants");
  const detail::PcBasis pc = detail::principal_components(d, rho, o.thres, o.n_pc);
  const Mat omega = pc.W.transpose() * detail::scaled_cov(d.sy, rho) * pc.W;
  Estimate e = detail::gls_ivw(pc.W.transpose() * d.bx, pc.W.transpose() * d.by, omega, pc.k,
                               detail::ivw_rule(p.ivw_model, pc.k), p.distribution == PvalDist::t, J);
  e.add("n_pc", pc.k);
  e.add("pc_share", pc.share);
  return e;
}

// PC-GMM (MendelianRandomization mr_pcgmm). With a = 1 / (n s^2 + b^2), A = (sqrt(a)
// sqrt(a)^T) o rho and B = a o b on each side, projected on the components W:
// gamma = (W^T A W)^-1 W^T B, Sigma = (W^T A W)^-1 (1 - (W^T B)^T (W^T A W)^-1 W^T B) /
// (n - k + 1). theta minimises Q(theta) = g^T Om^-1 g, g = gamma_y - theta gamma_x,
// Om = Sigma_y + kappa / ny I + theta^2 Sigma_x (the global minimum; MR searches
// [-100, 100]); var = (gamma_x^T Om^-1 gamma_x)^-1. robust: kappa solves
// Q(theta_0; kappa) = k - 1 at the non-robust theta_0, searched as MR does (the largest
// point of -50, -49.9, ..., 50 where Q exceeds k - 1, then the root above it), used as
// max(0, kappa); no such point gives kappa = 0. Extras: n_pc, fstat (gamma_x^T Sigma_x^-1
// gamma_x / k), kappa (the root, possibly negative). Q on k - 1 df.
inline Estimate mr_pcgmm(const SummaryData& d, const Mat& rho, const Params& p, const PcOptions& o) {
  detail::check_ld_size(d, rho);
  const int J = d.size();
  if (J < 3) return not_estimable(J, "PC-GMM needs at least 3 variants");
  if (!(o.nx > 0) || !(o.ny > 0)) return not_estimable(J, "PC-GMM needs the sample sizes nx and ny");
  const detail::PcBasis pc = detail::principal_components(d, rho, o.thres, o.n_pc);
  const int k = pc.k;
  if (k < 2) return not_estimable(J, "PC-GMM needs at least 2 principal components (raise thres or n_pc)");
  struct Side { Vec gamma; Mat sigma; bool ok = false; };
  auto side = [&](const Vec& b, const Vec& s, double n) {
    Side out;
    const Vec a = (n * s.array().square() + b.array().square()).inverse().matrix();
    const Vec ra = a.cwiseSqrt();
    const Mat Af = pc.W.transpose() * (ra.asDiagonal() * rho * ra.asDiagonal()) * pc.W;
    const Vec Bf = pc.W.transpose() * a.cwiseProduct(b);
    const Eigen::LLT<Mat> llt(Af);
    if (llt.info() != Eigen::Success) return out;
    out.gamma = llt.solve(Bf);
    const double factor = (1.0 - Bf.dot(out.gamma)) / (n - k + 1);
    if (!(factor > 0)) return out;
    out.sigma = llt.solve(Mat::Identity(k, k)) * factor;
    out.ok = true;
    return out;
  };
  const Side y = side(d.by, d.sy, o.ny), x = side(d.bx, d.sx, o.nx);
  if (!y.ok || !x.ok) return not_estimable(J, "the projected association covariance is not positive definite");
  const Mat I = Mat::Identity(k, k);
  auto q_at = [&](double theta, double kappa) {
    const Vec g = y.gamma - theta * x.gamma;
    const Mat om = y.sigma + (kappa / o.ny) * I + theta * theta * x.sigma;
    return g.dot(om.ldlt().solve(g));
  };
  auto minimise = [&](double kappa, double& theta) {
    SummaryData t;
    if (!detail::diagonalised_profile(y.gamma, x.gamma, y.sigma + (kappa / o.ny) * I, x.sigma, t)) return false;
    const double start = t.bx.dot(t.by) / t.bx.squaredNorm();
    theta = detail::ml_minimise(detail::MlProfile{t}, start, 1.0 / t.bx.norm());
    return std::isfinite(theta);
  };
  Estimate e;
  e.nsnp = J;
  double theta = NA;
  if (!minimise(0.0, theta)) { e.note = "the GMM objective has no finite minimum"; return e; }
  double kappa = 0, kappa_used = 0;
  if (o.robust) {
    auto f = [&](double kap) { return q_at(theta, kap) - (k - 1); };
    int last = -1;
    for (int i = 0; i <= 1000; ++i)
      if (f(-50.0 + i * 0.1) > 0) last = i;
    if (last < 0) {
      e.note = "the over-dispersion parameter could not be estimated; kappa = 0 (non-robust estimate)";
    } else {
      double lo = -50.0 + last * 0.1, step = 0.1, hi = lo + step;
      for (int it = 0; it < 60 && f(hi) > 0; ++it) { lo = hi; step *= 2; hi = lo + step; }
      kappa = f(hi) > 0 ? NA : detail::root_bracketed(f, lo, hi);
      kappa_used = std::isfinite(kappa) ? std::max(0.0, kappa) : 0.0;
      if (kappa_used > 0 && !minimise(kappa_used, theta)) {
        e.note = "the GMM objective has no finite minimum"; return e;
      }
    }
  }
  const Mat om = y.sigma + (kappa_used / o.ny) * I + theta * theta * x.sigma;
  const double info = x.gamma.dot(om.ldlt().solve(x.gamma));
  e.b = theta;
  e.se = 1.0 / std::sqrt(info);
  set_wald_test(e, false, INFINITY);
  e.Q = q_at(theta, kappa_used);
  e.Q_df = k - 1;
  e.Q_pval = p_chisq_upper(e.Q, e.Q_df);
  e.add("n_pc", k);
  e.add("fstat", x.gamma.dot(x.sigma.ldlt().solve(x.gamma)) / k);
  e.add("kappa", o.robust ? kappa : NA);
  return e;
}

// Dispatch by name: "ivw" (model from p.ivw_model), "ivw_mre", "ivw_fe", "egger", "ml",
// "pca_ivw", "pcgmm".
inline Estimate mr_correlated(const std::string& method, const SummaryData& d, const Mat& rho,
                              const Params& p, const PcOptions& o) {
  const bool t = p.distribution == PvalDist::t;
  if (method == "ivw") return mr_ivw_correlated(d, rho, p);
  if (method == "ivw_mre") return ivw_correlated(d, rho, IvwSe::random_no_floor, t);
  if (method == "ivw_fe") return ivw_correlated(d, rho, IvwSe::fixed, t);
  if (method == "egger") return mr_egger_correlated(d, rho, p);
  if (method == "ml") return mr_ml_correlated(d, rho, p);
  if (method == "pca_ivw") return mr_pca_ivw(d, rho, p, o);
  if (method == "pcgmm") return mr_pcgmm(d, rho, p, o);
  throw std::invalid_argument("unknown correlated method '" + method + "'");
}

}  // namespace mrkit
