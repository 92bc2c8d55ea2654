// GSMR: generalised summary-data-based Mendelian randomisation with HEIDI-outlier
// filtering (Zhu et al. 2018, Nat Commun 9:224), for instruments in LD.
//
// With bxy_i = by_i / bx_i and r_ij the LD correlation of the effect alleles, the delta
// method gives the sampling covariance of the ratio estimates
//   V_ij = r_ij * (sy_i sy_j / (bx_i bx_j) + bxy_i bxy_j / (zx_i zx_j)),  zx = bx / sx,
// and GSMR is the generalised least-squares mean of the bxy:
//   b = (1' V^-1 bxy) / (1' V^-1 1),  var(b) = 1 / (1' V^-1 1),
// with 1e-6 added to the diagonal of V (as the gsmr package does) before inversion.
//
// Before estimation the instruments are filtered, in this order: SEs below 1e-6, weak
// instruments (zx^2 below the chi-squared(1) quantile of the GWAS threshold), one member of
// every pair with r^2 above the LD threshold (the member in more such pairs; the earlier
// one on ties), and chance LD is set to zero (r_ij = 0 when the Benjamini-Hochberg q-value
// of n_ref * r_ij^2 ~ chi-squared(1), over all pairs, is at least the FDR threshold).
//
// HEIDI-outlier, single-SNP (the 2018 paper): the reference ("top") instrument is, among
// the instruments whose bxy lies between the 40% and 60% quantiles of all bxy (the third
// quintile), the one with the strongest exposure association (largest zx^2). Each other
// instrument's d_i = bxy_i - bxy_top has variance V_ii + V_tt - 2 V_it, and the
// instrument is removed when P(chi2_1 > d_i^2 / var d_i) is below the threshold. One pass.
//
// HEIDI-outlier, global (gsmr2's "GSMR2" variant): for every instrument t as the reference,
// T_t = sum_{j != t} d_j^2 / var d_j is referred to the distribution of sum_k lambda_k
// chi2_1, lambda the eigenvalues of the correlation matrix of the d_j (saddlepoint
// approximation, Kuonen 1999); the instrument with the smallest p-value is removed while it
// is below the threshold, and the search is repeated on the remaining instruments.
#pragma once
#include "mrkit/config.hpp"
#include "mrkit/distributions.hpp"
#include "mrkit/resampling/parallel.hpp"

#include "mrkit/eigen.hpp"
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace mrkit {

enum class GsmrHeidi { none, single, global };
enum class GsmrTop { strongest, gsmr2 };

// Status of each instrument after a GSMR fit.
enum class GsmrStatus { used = 0, tiny_se = 1, weak = 2, ld_pruned = 3, heidi_outlier = 4 };

struct GsmrOptions {
  double n_ref = 0;                  // reference-panel sample size (chance-LD filter)
  double gwas_thresh = 5e-8;
  double single_snp_heidi_thresh = 0.01;
  double multi_snp_heidi_thresh = 0.01;
  int nsnps_thresh = 10;
  double ld_r2_thresh = 0.05;
  double ld_fdr_thresh = 0.05;
  GsmrHeidi heidi = GsmrHeidi::single;
  GsmrTop top = GsmrTop::strongest;
  int threads = 1;
};

struct GsmrResult {
  double b = NA, se = NA, pval = NA;
  int nsnp = 0;
  std::vector<GsmrStatus> status;    // one per input instrument
  std::vector<double> heidi_pval;    // single: vs the top instrument; global: at removal
                                     // (outliers) or in the final pass (kept); NA otherwise
  std::vector<int> removal_step;     // global HEIDI: 1, 2, ... in order of removal; 0 otherwise
  int top = -1;                      // single HEIDI: index of the reference instrument
  std::string failed_at;             // filter after which fewer than nsnps_thresh remained
};

namespace gsmr_detail {

using Mat = Eigen::MatrixXd;
using Vec = Eigen::VectorXd;

inline Mat subset(const Mat& m, const std::vector<int>& idx) {
  const int n = static_cast<int>(idx.size());
  Mat out(n, n);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) out(i, j) = m(idx[i], idx[j]);
  return out;
}

// R's default (type 7) sample quantile.
inline double quantile7(std::vector<double> x, double prob) {
  std::sort(x.begin(), x.end());
  const double h = (static_cast<double>(x.size()) - 1.0) * prob;
  const std::size_t lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, x.size() - 1);
  return x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]);
}

// Benjamini-Hochberg adjusted p-values.
inline std::vector<double> bh_adjust(const std::vector<double>& p) {
  const std::size_t n = p.size();
  std::vector<std::size_t> o(n);
  std::iota(o.begin(), o.end(), 0);
  std::stable_sort(o.begin(), o.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
  std::vector<double> q(n);
  double run = 1.0;
  for (std::size_t k = 0; k < n; ++k) {
    const double rank = static_cast<double>(n - k);
    run = std::min(run, static_cast<double>(n) / rank * p[o[k]]);
    q[o[k]] = std::min(1.0, run);
  }
  return q;
}

// Upper normal tail Phi(-x) for any x.
inline double normal_upper(double x) { return 0.5 * std::erfc(x / std::sqrt(2.0)); }

// Satterthwaite approximation of P(sum lambda_k chi2_1 > x): a scaled chi-squared with
// the same mean and variance.
inline double satterthwaite_upper(double x, const std::vector<double>& lambda) {
  double s1 = 0, s2 = 0;
  for (double l : lambda) { s1 += l; s2 += l * l; }
  const double n = static_cast<double>(lambda.size());
  const double mean = s1 / n, mean2 = s2 / n;
  const double scale = mean2 / mean, df = n * mean * mean / mean2;
  return p_chisq_upper(x / scale, df);
}

}  // namespace gsmr_detail

// P(sum_k lambda_k chi2_1 > x) by the Lugannani-Rice saddlepoint approximation of Kuonen
// (1999), falling back to the Satterthwaite approximation when the saddlepoint is within
// 1e-4 of zero (x near the mean), as survey::pchisqsum(method = "saddlepoint") does.
inline double pchisqsum_saddle_upper(double x, std::vector<double> lambda) {
  using gsmr_detail::satterthwaite_upper;
  if (lambda.empty()) return NA;
  const double d = *std::max_element(lambda.begin(), lambda.end());
  if (!(d > 0)) return NA;
  const std::vector<double> original = lambda;
  for (double& l : lambda) l /= d;
  const double xs = x / d;
  auto k1 = [&](double z) { double s = 0; for (double l : lambda) s += l / (1 - 2 * z * l); return s; };
  // K'(zeta) increases on (lo, hi): the domain where every 1 - 2 zeta lambda > 0.
  double hi = INFINITY, lo = -INFINITY;
  for (double l : lambda) {
    if (l > 0) hi = std::min(hi, 1 / (2 * l));
    if (l < 0) lo = std::max(lo, 1 / (2 * l));
  }
  double a = std::isfinite(lo) ? lo : -1.0, b = hi;
  if (!std::isfinite(lo)) while (k1(a) > xs) a *= 2;  // K'(-inf) = 0 < x when all lambda > 0
  // Bisection to the root of K'(zeta) = x, to machine precision.
  double z = 0.5 * (a + b);
  for (int it = 0; it < 200; ++it) {
    z = 0.5 * (a + b);
    if (z == a || z == b) break;
    if (k1(z) > xs) b = z; else a = z;
  }
  if (std::fabs(z) < 1e-4) return satterthwaite_upper(x, original);
  double k0 = 0, k2 = 0;
  for (double l : lambda) { const double u = 1 - 2 * z * l; k0 -= 0.5 * std::log(u); k2 += 2 * l * l / (u * u); }
  const double w = (z > 0 ? 1.0 : -1.0) * std::sqrt(2 * (z * xs - k0));
  const double v = z * std::sqrt(k2);
  return gsmr_detail::normal_upper(w + std::log(v / w) / w);
}

// Sampling covariance matrix of the ratio estimates bxy = by / bx (see the top of this file).
inline Eigen::MatrixXd gsmr_cov_bxy(const Eigen::VectorXd& bx, const Eigen::VectorXd& sx,
                                    const Eigen::VectorXd& by, const Eigen::VectorXd& sy,
                                    const Eigen::MatrixXd& ld) {
  const Eigen::ArrayXd bxy = by.array() / bx.array();
  const Eigen::ArrayXd zx = bx.array() / sx.array();
  const Eigen::ArrayXd u = sy.array() / bx.array();  // SE of bxy from by alone
  const Eigen::ArrayXd w = bxy / zx;                 // SE of bxy from bx alone
  Eigen::MatrixXd v = (u.matrix() * u.matrix().transpose() + w.matrix() * w.matrix().transpose());
  return v.cwiseProduct(ld);
}

// GLS estimate from V (1e-6 added to its diagonal). Throws when V + 1e-6 I has an
// eigenvalue below 1e-6.
inline void gsmr_gls(const Eigen::VectorXd& bx, const Eigen::VectorXd& sx, const Eigen::VectorXd& by,
                     const Eigen::VectorXd& sy, const Eigen::MatrixXd& ld, GsmrResult& res) {
  const double eps = 1e-6;
  Eigen::MatrixXd v = gsmr_cov_bxy(bx, sx, by, sy, ld);
  v.diagonal().array() += eps;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(v);
  if (es.info() != Eigen::Success || es.eigenvalues().minCoeff() < eps)
    throw std::runtime_error("the variance-covariance matrix of the ratio estimates is not invertible");
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(bx.size());
  const Eigen::VectorXd vinv1 = es.eigenvectors() * (es.eigenvalues().cwiseInverse().asDiagonal() *
                                                     (es.eigenvectors().transpose() * ones));
  const double denom = ones.dot(vinv1);
  const Eigen::VectorXd bxy = by.array() / bx.array();
  res.b = vinv1.dot(bxy) / denom;
  res.se = std::sqrt(1 / denom);
  res.pval = p_chisq_upper(res.b * res.b * denom, 1);
  res.nsnp = static_cast<int>(bx.size());
}

// Indices (into the current set) of the instruments removed by the pairwise LD filter.
inline std::vector<int> gsmr_ld_prune(const Eigen::MatrixXd& ld, double r2_thresh) {
  const int m = static_cast<int>(ld.rows());
  std::vector<int> count(m, 0);
  std::vector<std::pair<int, int>> pairs;
  for (int j = 0; j < m; ++j)
    for (int i = j + 1; i < m; ++i)
      if (ld(i, j) * ld(i, j) > r2_thresh) { pairs.emplace_back(j, i); ++count[j]; ++count[i]; }
  std::vector<bool> drop(m, false);
  for (const auto& p : pairs) drop[count[p.first] >= count[p.second] ? p.first : p.second] = true;
  std::vector<int> out;
  for (int k = 0; k < m; ++k) if (drop[k]) out.push_back(k);
  return out;
}

// Sets to zero the LD correlations not significantly different from zero in a panel of
// n_ref people (BH q-value of n_ref r^2 ~ chi2_1 at least fdr_thresh).
inline void gsmr_zero_chance_ld(Eigen::MatrixXd& ld, double n_ref, double fdr_thresh) {
  const int m = static_cast<int>(ld.rows());
  std::vector<double> p;
  p.reserve(static_cast<std::size_t>(m) * (m - 1) / 2);
  for (int j = 1; j < m; ++j)
    for (int i = 0; i < j; ++i) p.push_back(p_chisq_upper(ld(i, j) * ld(i, j) * n_ref, 1));
  const std::vector<double> q = gsmr_detail::bh_adjust(p);
  std::size_t k = 0;
  for (int j = 1; j < m; ++j)
    for (int i = 0; i < j; ++i, ++k)
      if (q[k] >= fdr_thresh) ld(i, j) = ld(j, i) = 0;
}

// The reference instrument of single-SNP HEIDI; `strength` is zx^2 (or gsmr2's
// (bx / p)^2).
inline int gsmr_top_instrument(const Eigen::VectorXd& bxy, const Eigen::VectorXd& strength) {
  std::vector<double> v(bxy.data(), bxy.data() + bxy.size());
  const double lo = gsmr_detail::quantile7(v, 0.4), hi = gsmr_detail::quantile7(v, 0.6);
  int best = -1;
  for (int i = 0; i < bxy.size(); ++i)
    if (bxy[i] >= lo && bxy[i] <= hi && (best < 0 || strength[i] > strength[best])) best = i;
  if (best < 0) throw std::runtime_error("no instrument has its ratio estimate in the third quintile");
  return best;
}

// Global HEIDI p-value of every instrument as the reference, given V of the current set.
inline std::vector<double> gsmr_global_heidi_pvalues(const Eigen::VectorXd& bxy, const Eigen::MatrixXd& v,
                                                     int threads) {
  const int m = static_cast<int>(bxy.size());
  std::vector<double> p(m, NA);
  parallel_for(m, threads, [&](int t) {
    const int k = m - 1;
    Eigen::VectorXd d(k);
    Eigen::MatrixXd vd(k, k);
    std::vector<int> idx;
    idx.reserve(k);
    for (int j = 0; j < m; ++j) if (j != t) idx.push_back(j);
    for (int a = 0; a < k; ++a) {
      d[a] = bxy[idx[a]] - bxy[t];
      for (int b = 0; b < k; ++b) vd(a, b) = v(idx[a], idx[b]) - v(t, idx[a]) - v(t, idx[b]) + v(t, t);
    }
    const Eigen::ArrayXd sd = vd.diagonal().array().sqrt();
    const double stat = (d.array().square() / vd.diagonal().array()).sum();
    Eigen::MatrixXd corr = vd.array() / (sd.matrix() * sd.matrix().transpose()).array();
    corr.diagonal().setOnes();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(corr, Eigen::EigenvaluesOnly);
    const Eigen::VectorXd ev = es.eigenvalues();
    p[t] = pchisqsum_saddle_upper(stat, std::vector<double>(ev.data(), ev.data() + ev.size()));
  });
  return p;
}

// The whole GSMR analysis. `pval_x` is used only for gsmr2's choice of the reference
// instrument (GsmrTop::gsmr2). Inputs must be finite with positive SEs.
inline GsmrResult gsmr_fit(const Eigen::VectorXd& bx, const Eigen::VectorXd& sx, const Eigen::VectorXd& by,
                           const Eigen::VectorXd& sy, const Eigen::VectorXd& pval_x, const Eigen::MatrixXd& ld,
                           const GsmrOptions& o) {
  const int n = static_cast<int>(bx.size());
  if (sx.size() != n || by.size() != n || sy.size() != n || pval_x.size() != n || ld.rows() != n || ld.cols() != n)
    throw std::invalid_argument("GSMR inputs have different lengths");
  GsmrResult res;
  res.status.assign(n, GsmrStatus::used);
  res.heidi_pval.assign(n, NA);
  res.removal_step.assign(n, 0);
  std::vector<int> cur(n);
  std::iota(cur.begin(), cur.end(), 0);
  auto keep_if = [&](auto pred, GsmrStatus s) {
    std::vector<int> next;
    for (int i : cur) { if (pred(i)) next.push_back(i); else res.status[i] = s; }
    cur.swap(next);
  };
  auto too_few = [&](const char* stage) {
    if (static_cast<int>(cur.size()) >= std::max(o.nsnps_thresh, 1)) return false;
    res.failed_at = stage;
    return true;
  };
  keep_if([&](int i) { return sx[i] >= 1e-6 && sy[i] >= 1e-6; }, GsmrStatus::tiny_se);
  if (too_few("tiny_se")) return res;
  const double chi_thresh = q_chisq_upper(o.gwas_thresh, 1.0);
  keep_if([&](int i) { const double z = bx[i] / sx[i]; return !(z * z < chi_thresh); }, GsmrStatus::weak);
  if (too_few("weak")) return res;
  {
    const std::vector<int> drop = gsmr_ld_prune(gsmr_detail::subset(ld, cur), o.ld_r2_thresh);
    std::vector<bool> d(cur.size(), false);
    for (int k : drop) d[k] = true;
    std::vector<int> next;
    for (std::size_t k = 0; k < cur.size(); ++k) {
      if (d[k]) res.status[cur[k]] = GsmrStatus::ld_pruned; else next.push_back(cur[k]);
    }
    cur.swap(next);
  }
  if (too_few("ld_pruned")) return res;
  Eigen::MatrixXd r = gsmr_detail::subset(ld, cur);
  if (o.n_ref > 0) gsmr_zero_chance_ld(r, o.n_ref, o.ld_fdr_thresh);

  auto gather = [&](const Eigen::VectorXd& x, const std::vector<int>& idx) {
    Eigen::VectorXd out(idx.size());
    for (std::size_t k = 0; k < idx.size(); ++k) out[k] = x[idx[k]];
    return out;
  };
  Eigen::VectorXd cbx = gather(bx, cur), csx = gather(sx, cur), cby = gather(by, cur), csy = gather(sy, cur);

  if (o.heidi == GsmrHeidi::single) {
    const Eigen::VectorXd bxy = cby.array() / cbx.array();
    Eigen::VectorXd strength(cur.size());
    for (std::size_t k = 0; k < cur.size(); ++k) {
      const double s = o.top == GsmrTop::gsmr2 ? pval_x[cur[k]] : csx[k];
      strength[k] = (cbx[k] / s) * (cbx[k] / s);
    }
    const int t = gsmr_top_instrument(bxy, strength);
    res.top = cur[t];
    const Eigen::MatrixXd v = gsmr_cov_bxy(cbx, csx, cby, csy, r);
    std::vector<int> keep;
    for (int k = 0; k < static_cast<int>(cur.size()); ++k) {
      double p = 1;
      if (k != t) {
        const double dd = bxy[k] - bxy[t];
        p = p_chisq_upper(dd * dd / (v(k, k) + v(t, t) - 2 * v(k, t)), 1);
      }
      res.heidi_pval[cur[k]] = p;
      if (p < o.single_snp_heidi_thresh) res.status[cur[k]] = GsmrStatus::heidi_outlier; else keep.push_back(k);
    }
    std::vector<int> next;
    for (int k : keep) next.push_back(cur[k]);
    r = gsmr_detail::subset(r, keep);
    cur.swap(next);
  } else if (o.heidi == GsmrHeidi::global) {
    int step = 0;
    std::vector<int> pos(cur.size());
    std::iota(pos.begin(), pos.end(), 0);  // positions of cur in the filtered set
    const Eigen::VectorXd bxy_all = cby.array() / cbx.array();
    const Eigen::MatrixXd v_all = gsmr_cov_bxy(cbx, csx, cby, csy, r);
    while (pos.size() >= 3) {
      const Eigen::VectorXd bxy = gather(bxy_all, pos);
      const std::vector<double> p = gsmr_global_heidi_pvalues(bxy, gsmr_detail::subset(v_all, pos), o.threads);
      int worst = 0;
      for (int k = 1; k < static_cast<int>(p.size()); ++k) if (p[k] < p[worst]) worst = k;
      for (std::size_t k = 0; k < pos.size(); ++k) res.heidi_pval[cur[pos[k]]] = p[k];
      if (!(p[worst] < o.multi_snp_heidi_thresh)) break;
      const int gone = cur[pos[worst]];
      res.status[gone] = GsmrStatus::heidi_outlier;
      res.removal_step[gone] = ++step;
      pos.erase(pos.begin() + worst);
    }
    std::vector<int> next;
    for (int k : pos) next.push_back(cur[k]);
    r = gsmr_detail::subset(r, pos);
    cur.swap(next);
  }
  if (too_few("heidi_outlier")) return res;
  gsmr_gls(gather(bx, cur), gather(sx, cur), gather(by, cur), gather(sy, cur), r, res);
  return res;
}

}  // namespace mrkit
