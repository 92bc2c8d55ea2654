// Multivariable MR (methods.md 7): TwoSampleMR's mv_multiple / mv_residual / mv_basic /
// mv_ivw, MendelianRandomization's mr_mvivw and mr_mvegger conventions, the
// multivariable Q (Q_A) and the Sanderson-Windmeijer conditional F-statistics.
// Inputs are J x K matrices of SNP-exposure effects (bx, sx, exposure p-values) and
// J-vectors of SNP-outcome effects (by, sy).
#pragma once
#include "mrkit/config.hpp"
#include "mrkit/distributions.hpp"
#include "mrkit/multivariable/mv_wls.hpp"

#include "mrkit/eigen.hpp"
#include <cmath>
#include <string>
#include <vector>

namespace mrkit {

// One estimate per exposure.
struct MvTable {
  MVec b, se, pval;
  std::vector<int> nsnp;
  std::vector<std::string> note;
  Mat marginal;  // residualised outcome effects (mv_residual / mv_basic), J x K
  explicit MvTable(Eigen::Index K = 0)
      : b(MVec::Constant(K, NA)), se(MVec::Constant(K, NA)), pval(MVec::Constant(K, NA)),
        nsnp(static_cast<std::size_t>(K), 0), note(static_cast<std::size_t>(K)) {}
};

inline void check_mv_sizes(const Mat& bx, const MVec& by, const Mat* other = nullptr) {
  if (bx.rows() != by.size()) throw std::invalid_argument("multivariable MR: bx and by sizes differ");
  if (other && (other->rows() != bx.rows() || other->cols() != bx.cols()))
    throw std::invalid_argument("multivariable MR: exposure matrices differ in shape");
}

inline std::vector<bool> below_threshold(const Mat& pval, Eigen::Index k, double threshold, int& n) {
  std::vector<bool> idx(static_cast<std::size_t>(pval.rows()));
  n = 0;
  for (Eigen::Index j = 0; j < pval.rows(); ++j) {
    idx[static_cast<std::size_t>(j)] = pval(j, k) < threshold;
    n += idx[static_cast<std::size_t>(j)];
  }
  return idx;
}

inline const char* fit_problem(const MvWlsFit& f) {
  if (f.rank_deficient) return "exposure effects are collinear: coefficient not estimable";
  if (!(f.df > 0)) return "no residual degrees of freedom: need more variants than parameters";
  return nullptr;
}

inline void set_row(MvTable& t, Eigen::Index k, double b, double se) {
  t.b(k) = b;
  t.se(k) = se;
  t.pval(k) = p_normal(b / se);
}

// TwoSampleMR mv_multiple: joint weighted regression (weights sy^-2) on all variants or,
// with instrument_specific, on the variants with exposure-k p < threshold.
inline MvTable mv_multiple(const Mat& bx, const MVec& by, const MVec& sy, const Mat& pval,
                           double threshold, bool intercept, bool instrument_specific) {
  check_mv_sizes(bx, by, &pval);
  const Eigen::Index K = bx.cols();
  const int p = static_cast<int>(K) + (intercept ? 1 : 0);
  const MVec w = sy.array().square().inverse().matrix();
  MvTable t(K);
  MvWlsFit all;
  if (!instrument_specific) all = mv_wls(bx, by, w, intercept);
  for (Eigen::Index k = 0; k < K; ++k) {
    int n = 0;
    const auto idx = below_threshold(pval, k, threshold, n);
    t.nsnp[static_cast<std::size_t>(k)] = n;
    if (instrument_specific && n <= p) {
      t.note[static_cast<std::size_t>(k)] = "too few instruments for this exposure (need more than the number of parameters)";
      continue;
    }
    const MvWlsFit f = instrument_specific ? mv_wls(rows_where(bx, idx), rows_where(by, idx), rows_where(w, idx), intercept) : all;
    if (const char* why = fit_problem(f)) { t.note[static_cast<std::size_t>(k)] = why; continue; }
    set_row(t, k, f.b(k), f.se(k));
  }
  return t;
}

// TwoSampleMR mv_ivw: for exposure k, weighted regression without intercept on the
// variants with exposure-k p < threshold; coefficient k.
inline MvTable mv_ivw_tsmr(const Mat& bx, const MVec& by, const MVec& sy, const Mat& pval,
                           double threshold) {
  check_mv_sizes(bx, by, &pval);
  const Eigen::Index K = bx.cols();
  const MVec w = sy.array().square().inverse().matrix();
  MvTable t(K);
  for (Eigen::Index k = 0; k < K; ++k) {
    int n = 0;
    const auto idx = below_threshold(pval, k, threshold, n);
    t.nsnp[static_cast<std::size_t>(k)] = n;
    if (n <= K) {
      t.note[static_cast<std::size_t>(k)] = "too few instruments for this exposure (need more than the number of exposures)";
      continue;
    }
    const MvWlsFit f = mv_wls(rows_where(bx, idx), rows_where(by, idx), rows_where(w, idx), false);
    if (const char* why = fit_problem(f)) { t.note[static_cast<std::size_t>(k)] = why; continue; }
    set_row(t, k, f.b(k), f.se(k));
  }
  return t;
}

// TwoSampleMR mv_residual (unweighted): residualise by on the other exposures, regress the
// residuals on bx_k; on all variants or (instrument_specific) on exposure k's instruments.
// NA when the number of instruments of exposure k is <= K + intercept.
inline MvTable mv_residual(const Mat& bx, const MVec& by, const Mat& pval, double threshold,
                           bool intercept, bool instrument_specific) {
  check_mv_sizes(bx, by, &pval);
  const Eigen::Index J = bx.rows(), K = bx.cols();
  MvTable t(K);
  t.marginal = Mat::Zero(J, K);
  for (Eigen::Index k = 0; k < K; ++k) {
    int n = 0;
    auto idx = below_threshold(pval, k, threshold, n);
    t.nsnp[static_cast<std::size_t>(k)] = n;
    if (!instrument_specific) std::fill(idx.begin(), idx.end(), true);
    const Mat X = rows_where(bx, idx);
    const MVec y = rows_where(by, idx);
    const MVec ones = MVec::Ones(y.size());
    if (y.size() == 0) { t.note[static_cast<std::size_t>(k)] = "no instruments for this exposure"; continue; }
    const MvWlsFit r = mv_wls(drop_column(X, k), y, ones, intercept);
    if (r.rank_deficient) { t.note[static_cast<std::size_t>(k)] = fit_problem(r); continue; }
    for (Eigen::Index j = 0, c = 0; j < J; ++j)
      if (idx[static_cast<std::size_t>(j)]) t.marginal(j, k) = r.residuals(c++);
    const MvWlsFit f = mv_wls(X.col(k), r.residuals, ones, intercept);
    if (n <= K + (intercept ? 1 : 0)) {
      t.note[static_cast<std::size_t>(k)] = "too few instruments for this exposure (need more than the number of parameters)";
      continue;
    }
    if (const char* why = fit_problem(f)) { t.note[static_cast<std::size_t>(k)] = why; continue; }
    set_row(t, k, f.b(0), f.se(0));
  }
  return t;
}

// TwoSampleMR mv_basic: residualise by on the other exposures with an intercept (all
// variants), then regress the residuals of exposure k's instruments on bx_k with an intercept.
inline MvTable mv_basic(const Mat& bx, const MVec& by, const Mat& pval, double threshold) {
  check_mv_sizes(bx, by, &pval);
  const Eigen::Index J = bx.rows(), K = bx.cols();
  MvTable t(K);
  t.marginal = Mat::Zero(J, K);
  const MVec ones = MVec::Ones(J);
  for (Eigen::Index k = 0; k < K; ++k) {
    int n = 0;
    const auto idx = below_threshold(pval, k, threshold, n);
    t.nsnp[static_cast<std::size_t>(k)] = n;
    const MvWlsFit r = mv_wls(drop_column(bx, k), by, ones, true);
    if (r.rank_deficient) { t.note[static_cast<std::size_t>(k)] = fit_problem(r); continue; }
    t.marginal.col(k) = r.residuals;
    if (n < 3) {
      t.note[static_cast<std::size_t>(k)] = "too few instruments for this exposure (need at least 3)";
      continue;
    }
    const MVec yk = rows_where(MVec(r.residuals), idx);
    const MvWlsFit f = mv_wls(rows_where(Mat(bx.col(k)), idx), yk, MVec::Ones(n), true);
    if (const char* why = fit_problem(f)) { t.note[static_cast<std::size_t>(k)] = why; continue; }
    set_row(t, k, f.b(0), f.se(0));
  }
  return t;
}

// Result of the MendelianRandomization-style fits (mr_mvivw, mr_mvegger).
struct MvRegression {
  MVec b, se, pval, lo, up;
  double b_i = NA, se_i = NA, pval_i = NA, lo_i = NA, up_i = NA;  // Egger intercept
  double sigma = NA, Q = NA, Q_df = NA, Q_pval = NA;
  int nsnp = 0;
  std::string model, note;
};

enum class MvModel { default_rule, random, fixed };

// mr_mvivw (uncorrelated variants): weighted regression without intercept; SE divided by
// min(sigma, 1) (random) or sigma (fixed); default model fixed when J <= 3. Heter.Stat:
// Q = (J - K) sigma^2 on J - K df. p-values and CI normal, or t(J - K).
inline MvRegression mv_ivw_mr(const Mat& bx, const MVec& by, const MVec& sy, MvModel model,
                              bool use_t, double alpha) {
  check_mv_sizes(bx, by);
  const Eigen::Index J = bx.rows(), K = bx.cols();
  MvRegression out;
  out.nsnp = static_cast<int>(J);
  out.b = out.se = out.pval = out.lo = out.up = MVec::Constant(K, NA);
  const MvWlsFit f = mv_wls(bx, by, sy.array().square().inverse().matrix(), false);
  if (const char* why = fit_problem(f)) { out.note = why; return out; }
  if (model == MvModel::default_rule) model = J > 3 ? MvModel::random : MvModel::fixed;
  out.model = model == MvModel::random ? "random" : "fixed";
  const double div = model == MvModel::random ? std::min(f.sigma, 1.0) : f.sigma;
  const double df = static_cast<double>(J - K);
  const double q = use_t ? q_student(1 - alpha / 2, df) : q_normal(1 - alpha / 2);
  out.b = f.b;
  out.se = f.se / div;
  for (Eigen::Index k = 0; k < K; ++k) {
    out.pval(k) = p_two_sided(out.b(k) / out.se(k), use_t, df);
    out.lo(k) = out.b(k) - q * out.se(k);
    out.up(k) = out.b(k) + q * out.se(k);
  }
  out.sigma = f.sigma;
  out.Q = df * f.sigma * f.sigma;
  out.Q_df = df;
  out.Q_pval = p_chisq_upper(out.Q, df);
  return out;
}

// mr_mvegger (uncorrelated variants): rows oriented by the sign of exposure `orientate`
// (base sign: a zero effect zeroes the row, as MendelianRandomization does), weighted
// regression with intercept, SE / min(sigma, 1). Quirks kept: p-values under t use
// J - K df, CIs under t use J - K - 1 df. Q = (J - K - 1) sigma^2 on J - K - 1 df.
inline MvRegression mv_egger(const Mat& bx, const MVec& by, const MVec& sy, Eigen::Index orientate,
                             bool use_t, double alpha) {
  check_mv_sizes(bx, by);
  const Eigen::Index J = bx.rows(), K = bx.cols();
  if (orientate < 0 || orientate >= K) throw std::invalid_argument("mv_egger: orientate out of range");
  MvRegression out;
  out.nsnp = static_cast<int>(J);
  out.b = out.se = out.pval = out.lo = out.up = MVec::Constant(K, NA);
  out.model = "random";
  Mat X = bx;
  MVec y = by;
  for (Eigen::Index j = 0; j < J; ++j) {
    const double s = bx(j, orientate) > 0 ? 1.0 : (bx(j, orientate) < 0 ? -1.0 : 0.0);
    X.row(j) *= s;
    y(j) *= s;
  }
  const MvWlsFit f = mv_wls(X, y, sy.array().square().inverse().matrix(), true);
  if (const char* why = fit_problem(f)) { out.note = why; return out; }
  const double div = std::min(f.sigma, 1.0);
  const double df_p = static_cast<double>(J - K), df_ci = static_cast<double>(J - K - 1);
  const double q = use_t ? q_student(1 - alpha / 2, df_ci) : q_normal(1 - alpha / 2);
  out.b = f.b;
  out.se = f.se / div;
  for (Eigen::Index k = 0; k < K; ++k) {
    out.pval(k) = p_two_sided(out.b(k) / out.se(k), use_t, df_p);
    out.lo(k) = out.b(k) - q * out.se(k);
    out.up(k) = out.b(k) + q * out.se(k);
  }
  out.b_i = f.intercept;
  out.se_i = f.intercept_se / div;
  out.pval_i = p_two_sided(out.b_i / out.se_i, use_t, df_p);
  out.lo_i = out.b_i - q * out.se_i;
  out.up_i = out.b_i + q * out.se_i;
  out.sigma = f.sigma;
  out.Q = df_ci * f.sigma * f.sigma;
  out.Q_df = df_ci;
  out.Q_pval = p_chisq_upper(out.Q, df_ci);
  return out;
}

struct MvQ {
  MVec theta;  // IVW estimates used
  double Q = NA, df = NA, pval = NA;
  std::string note;
};

// Multivariable Q (MVMR pleiotropy_mvmr, gencov = 0): sigma2_j = sy_j^2 + sum_k theta_k^2
// sx_jk^2 with theta from the weighted regression without intercept; Q_A on J - K - 1 df.
inline MvQ mv_q(const Mat& bx, const MVec& by, const Mat& sx, const MVec& sy) {
  check_mv_sizes(bx, by, &sx);
  const Eigen::Index J = bx.rows(), K = bx.cols();
  MvQ out;
  const MvWlsFit f = mv_wls(bx, by, sy.array().square().inverse().matrix(), false);
  out.theta = f.b;
  if (f.rank_deficient) { out.note = fit_problem(f); return out; }
  out.df = static_cast<double>(J - K - 1);
  if (!(out.df > 0)) { out.note = "need more than K + 1 variants for Q_A"; out.df = NA; return out; }
  const MVec s2 = sy.array().square().matrix() + sx.array().square().matrix() * f.b.array().square().matrix();
  const MVec e = by - bx * f.b;
  out.Q = (e.array().square() / s2.array()).sum();
  out.pval = p_chisq_upper(out.Q, out.df);
  return out;
}

// Conditional F-statistics as the MVMR package (strength_mvmr, gencov = 0): for exposure k,
// delta = OLS of bx_k on the other exposures' bx without intercept, sigma2_jk = sx_jk^2 +
// sum_{l != k} delta_l^2 sx_jl^2, Q_k = sum_j (bx_jk - bx_j,-k' delta)^2 / sigma2_jk, F_k = Q_k / J.
inline MVec mv_fstat_mvmr(const Mat& bx, const Mat& sx) {
  if (sx.rows() != bx.rows() || sx.cols() != bx.cols()) throw std::invalid_argument("mv_fstat: shapes differ");
  const Eigen::Index J = bx.rows(), K = bx.cols();
  MVec F = MVec::Constant(K, NA);
  const MVec ones = MVec::Ones(J);
  for (Eigen::Index k = 0; k < K; ++k) {
    const Mat Xo = drop_column(bx, k), So = drop_column(sx, k);
    const MvWlsFit f = mv_wls(Xo, bx.col(k), ones, false);
    if (f.rank_deficient) continue;
    const MVec s2 = sx.col(k).array().square().matrix() + So.array().square().matrix() * f.b.array().square().matrix();
    const MVec e = bx.col(k) - Xo * f.b;
    F(k) = (e.array().square() / s2.array()).sum() / static_cast<double>(J);
  }
  return F;
}

// Conditional F-statistics as MendelianRandomization's condFstat (used by mr_mvivw when nx
// is given), for uncorrelated variants (ld = identity): with a_jk = 1/(n_k sx_jk^2 + bx_jk^2)
// every covariance block is diagonal, Sigma_kl,j = s_kl / sqrt(a_jk a_jl) with
// s_kl = (c_kl - sum_j sqrt(a_jk a_jl) bx_jk bx_jl) / sqrt((n_k - J + 1)(n_l - J + 1)), and
// F_k = min_t sum_j g_j(t)^2 / omega_j(t) / (J - K + 1), g = bx_k - bx_-k t. The minimum is
// found by BFGS with the exact gradient from the unweighted least-squares start.
// MendelianRandomization minimises with nlminb and a gradient that omits the derivative of
// omega, so its values can differ slightly from the exact minimum. Returns NA for all when
// any F is negative (as MendelianRandomization).
inline MVec mv_fstat_mr(const Mat& bx, const Mat& sx, const MVec& nx, const Mat& cor_x, std::string& note) {
  const Eigen::Index J = bx.rows(), K = bx.cols();
  if (sx.rows() != J || sx.cols() != K || nx.size() != K || cor_x.rows() != K || cor_x.cols() != K)
    throw std::invalid_argument("mv_fstat_mr: shapes differ");
  const Mat a = (nx.transpose().replicate(J, 1).array() * sx.array().square() + bx.array().square()).inverse().matrix();
  const Mat sa = a.array().sqrt().matrix();
  Mat s(K, K);
  for (Eigen::Index k = 0; k < K; ++k)
    for (Eigen::Index l = 0; l < K; ++l)
      s(k, l) = (cor_x(k, l) - (sa.col(k).array() * sa.col(l).array() * bx.col(k).array() * bx.col(l).array()).sum()) /
                std::sqrt((nx(k) - J + 1) * (nx(l) - J + 1));
  MVec F = MVec::Constant(K, NA);
  const Mat isa = sa.array().inverse().matrix();  // 1 / sqrt(a_jk)
  for (Eigen::Index k = 0; k < K; ++k) {
    std::vector<Eigen::Index> o;
    for (Eigen::Index l = 0; l < K; ++l) if (l != k) o.push_back(l);
    const Eigen::Index m = K - 1;
    Mat G(J, m), U(J, m);  // other exposures' bx, and 1/sqrt(a) of them
    for (Eigen::Index c = 0; c < m; ++c) { G.col(c) = bx.col(o[c]); U.col(c) = isa.col(o[c]); }
    const MVec u0 = isa.col(k), y = bx.col(k);
    // omega_j(t) = s_kk u0^2 - 2 sum_l t_l s_kl u0 u_l + sum_lm t_l t_m s_lm u_l u_m
    auto eval = [&](const MVec& t, MVec* grad) {
      const MVec g = y - G * t;
      MVec q = MVec::Zero(J);          // sum_l t_l s_kl u_l
      Mat R = Mat::Zero(J, m);         // R_jl = sum_m' t_m' s_l m' u_m'  (for derivative)
      for (Eigen::Index l = 0; l < m; ++l) q += t(l) * s(k, o[l]) * U.col(l);
      for (Eigen::Index l = 0; l < m; ++l)
        for (Eigen::Index mm = 0; mm < m; ++mm) R.col(l) += t(mm) * s(o[l], o[mm]) * U.col(mm);
      MVec quad = MVec::Zero(J);
      for (Eigen::Index l = 0; l < m; ++l) quad += t(l) * U.col(l).cwiseProduct(R.col(l));
      const MVec om = (s(k, k) * u0.array().square() - 2.0 * u0.array() * q.array() + quad.array()).matrix();
      const double f = (g.array().square() / om.array()).sum();
      if (grad) {
        grad->resize(m);
        for (Eigen::Index l = 0; l < m; ++l) {
          const MVec dom = (-2.0 * s(k, o[l]) * u0.array() * U.col(l).array() + 2.0 * U.col(l).array() * R.col(l).array()).matrix();
          (*grad)(l) = (-2.0 * g.array() * G.col(l).array() / om.array() - g.array().square() * dom.array() / om.array().square()).sum();
        }
      }
      return f;
    };
    MVec t = G.colPivHouseholderQr().solve(y);
    MVec gr;
    double f = eval(t, &gr);
    Mat H = Mat::Identity(m, m);
    for (int it = 0; it < 1000 && std::isfinite(f); ++it) {
      if (gr.lpNorm<Eigen::Infinity>() <= 1e-13 * (1 + std::fabs(f))) break;
      MVec dir = -H * gr;
      if (dir.dot(gr) >= 0) { H.setIdentity(); dir = -gr; }
      double step = 1.0, fn = NA;
      MVec tn, gn;
      for (int ls = 0; ls < 80; ++ls) {
        tn = t + step * dir;
        fn = eval(tn, &gn);
        if (std::isfinite(fn) && fn <= f + 1e-4 * step * dir.dot(gr)) break;
        step *= 0.5;
      }
      if (!(fn <= f)) break;
      const MVec sv = tn - t, yv = gn - gr;
      const double sy = sv.dot(yv);
      const bool done = std::fabs(f - fn) <= 1e-15 * std::fabs(f);
      t = tn; f = fn; gr = gn;
      if (sy > 0) {
        const Mat I = Mat::Identity(m, m);
        H = (I - sv * yv.transpose() / sy) * H * (I - yv * sv.transpose() / sy) + sv * sv.transpose() / sy;
      }
      if (done) break;
    }
    F(k) = f / static_cast<double>(J - K + 1);
  }
  for (Eigen::Index k = 0; k < K; ++k)
    if (F(k) < 0) { note = "conditional F-statistics not positive: are the sample sizes large enough?"; return MVec::Constant(K, NA); }
  return F;
}

}  // namespace mrkit
