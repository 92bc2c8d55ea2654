// Constrained maximum likelihood and model averaging (cML-MA; methods.md 4.14), as
// MendelianRandomization's mr_cML(): for each number K of invalid variants, the
// block-coordinate minimisation of the negative log-likelihood with exactly K non-zero
// pleiotropic effects; BIC = log(n) K + 2 l; BIC selection or BIC model averaging; and the
// data-perturbation (DP) version that repeats everything on `num_pert` perturbed data sets.
// Random starts of the original data use Rng(seed, 0); perturbation i uses Rng(seed, i + 1),
// so results do not depend on the number of threads.
#pragma once
#include "mrkit/config.hpp"
#include "mrkit/distributions.hpp"
#include "mrkit/resampling/parallel.hpp"
#include "mrkit/resampling/rng.hpp"
#include "mrkit/summary_data.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace mrkit {

struct CmlOptions {
  std::vector<int> K_vec;
  int random_start = 0;
  int random_start_pert = 0;
  int num_pert = 200;
  int maxit = 100;
  double n = NA;        // sample size in the BIC
  bool MA = true;
  bool DP = true;
  double alpha = 0.05;
  std::uint64_t seed = 0;
  int threads = 1;
};

struct CmlFitK {
  double theta = NA, se = NA, l = NA;
  std::vector<double> r;  // pleiotropic effects (non-zero for invalid variants)
};

struct CmlResult {
  double b = NA, se = NA, pval = NA, lo_ci = NA, up_ci = NA;
  double gof1_p = NA, gof2_p = NA;
  std::vector<int> bic_invalid;                 // 0-based, BIC selection without DP
  std::vector<double> theta_K, se_K, l_K, bic;  // per K on the original data
  bool se_na_warning = false;                   // a kept fit had a non-positive information
};

namespace cml_detail {

// One run of the block-coordinate algorithm from (theta0, mu0). The K variants with the
// largest (by - theta mu)^2 / sy^2 are invalid (ties: the earlier variant first).
inline void estimate(const Vec& bx, const Vec& by, const Vec& sx, const Vec& sy, int K,
                     double theta0, Vec mu, int maxit, double& theta_out, Vec& b_out,
                     Vec& r_out) {
  const int p = static_cast<int>(bx.size());
  std::vector<double> ivx(p), ivy(p), bxv(p);
  for (int j = 0; j < p; ++j) {
    ivx[j] = 1 / (sx[j] * sx[j]);
    ivy[j] = 1 / (sy[j] * sy[j]);
    bxv[j] = bx[j] * ivx[j];
  }
  double* m = mu.data();
  const double* y = by.data();
  double theta = theta0, theta_old = theta0 - 1;
  std::vector<double> r(p, 0.0), imp(p);
  std::vector<int> order(p);
  int it = 0;
  while (std::fabs(theta_old - theta) > 1e-7 && it < maxit) {
    theta_old = theta;
    ++it;
    std::fill(r.begin(), r.end(), 0.0);
    if (K > 0) {
      for (int j = 0; j < p; ++j) {
        const double e = y[j] - theta * m[j];
        imp[j] = e * e * ivy[j];
      }
      std::iota(order.begin(), order.end(), 0);
      std::partial_sort(order.begin(), order.begin() + K, order.end(), [&](int a, int b) {
        return imp[a] > imp[b] || (imp[a] == imp[b] && a < b);
      });
      for (int k = 0; k < K; ++k) r[order[k]] = y[order[k]] - theta * m[order[k]];
    }
    double num = 0, den = 0;
    for (int j = 0; j < p; ++j) {
      const double yr = y[j] - r[j];
      m[j] = (bxv[j] + theta * yr * ivy[j]) / (ivx[j] + theta * theta * ivy[j]);
      num += yr * m[j] * ivy[j];
      den += m[j] * m[j] * ivy[j];
    }
    theta = num / den;
  }
  r_out.resize(p);
  for (int j = 0; j < p; ++j) {
    if (K > 0 && r[j] != 0) {
      m[j] = bx[j];
      r[j] = y[j] - theta * m[j];
    }
    r_out[j] = r[j];
  }
  theta_out = theta;
  b_out = mu;
}

inline double se_theta(const Vec& by, const Vec& sx, const Vec& sy, double theta, const Vec& b,
                       const Vec& r) {
  double s1 = 0, s2 = 0;
  for (Eigen::Index j = 0; j < by.size(); ++j) {
    if (r[j] != 0) continue;
    const double vx = sx[j] * sx[j], vy = sy[j] * sy[j];
    s1 += b[j] * b[j] / vy;
    const double t = 2 * b[j] * theta - by[j];
    s2 += t * t / (vy * vy) / (1 / vx + theta * theta / vy);
  }
  const double v = 1 / (s1 - s2);
  return v > 0 ? std::sqrt(v) : NA;
}

// Best of 1 + random_start starts for one K (minimal negative log-likelihood).
inline CmlFitK fit_K(const Vec& bx, const Vec& by, const Vec& sx, const Vec& sy, int K,
                     int random_start, int maxit, Rng& rng, bool& se_na) {
  const int p = static_cast<int>(bx.size());
  double rmin = INFINITY, rmax = -INFINITY;
  for (int j = 0; j < p; ++j) { rmin = std::min(rmin, by[j] / bx[j]); rmax = std::max(rmax, by[j] / bx[j]); }
  CmlFitK best;
  for (int s = 0; s <= random_start; ++s) {
    double theta0 = 0;
    Vec mu0 = Vec::Zero(p);
    if (s > 0) {
      theta0 = rmin + (rmax - rmin) * rng.uniform();
      for (int j = 0; j < p; ++j) mu0[j] = rng.normal(bx[j], sx[j]);
    }
    double theta;
    Vec b, r;
    estimate(bx, by, sx, sy, K, theta0, mu0, maxit, theta, b, r);
    double l = 0;
    for (int j = 0; j < p; ++j) {
      const double ex = bx[j] - b[j], ey = by[j] - theta * b[j] - r[j];
      l += ex * ex / (2 * sx[j] * sx[j]) + ey * ey / (2 * sy[j] * sy[j]);
    }
    const double se = se_theta(by, sx, sy, theta, b, r);
    if (s == 0 || l < best.l) { best.theta = theta; best.se = se; best.l = l; best.r.assign(r.data(), r.data() + p); }
  }
  // Only the kept start's SE enters the results: a random start that was not kept and had a
  // non-positive information changes nothing.
  if (std::isnan(best.se)) se_na = true;
  return best;
}

// BIC weights exp(-BIC/2) normalised, with BIC shifted by its minimum.
inline std::vector<double> bic_values(const std::vector<int>& K, const std::vector<double>& l, double n) {
  std::vector<double> bic(K.size());
  for (std::size_t k = 0; k < K.size(); ++k) bic[k] = std::log(n) * K[k] + 2 * l[k];
  const double m = *std::min_element(bic.begin(), bic.end());
  for (auto& v : bic) v -= m;
  return bic;
}

inline std::size_t which_min(const std::vector<double>& v) {
  return static_cast<std::size_t>(std::min_element(v.begin(), v.end()) - v.begin());
}

// Model average: estimate and SE (NaN terms skipped in the SE, as na.rm = TRUE does).
inline void model_average(const std::vector<double>& bic, const std::vector<double>& theta,
                          const std::vector<double>& se, double& b, double& s) {
  std::vector<double> w(bic.size());
  double sw = 0;
  for (std::size_t k = 0; k < bic.size(); ++k) { w[k] = std::exp(-0.5 * bic[k]); sw += w[k]; }
  b = 0;
  for (std::size_t k = 0; k < bic.size(); ++k) { w[k] /= sw; b += w[k] * theta[k]; }
  s = 0;
  for (std::size_t k = 0; k < bic.size(); ++k) {
    const double t = w[k] * std::sqrt(se[k] * se[k] + (theta[k] - b) * (theta[k] - b));
    if (!std::isnan(t)) s += t;
  }
}

inline double var_of(const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  double m = 0;
  for (double v : x) m += v;
  m /= n;
  double s = 0;
  for (double v : x) s += (v - m) * (v - m);
  return s / (n - 1);
}

}  // namespace cml_detail

inline CmlResult cml_fit(const SummaryData& d, const CmlOptions& o) {
  using namespace cml_detail;
  CmlResult res;
  const int nK = static_cast<int>(o.K_vec.size());
  const double z = q_normal(1 - o.alpha / 2);
  Rng rng(o.seed, 0);
  bool se_na = false;
  std::vector<std::vector<double>> r_K(nK);
  res.theta_K.resize(nK); res.se_K.resize(nK); res.l_K.resize(nK);
  for (int k = 0; k < nK; ++k) {
    const CmlFitK f = fit_K(d.bx, d.by, d.sx, d.sy, o.K_vec[k], o.random_start, o.maxit, rng, se_na);
    res.theta_K[k] = f.theta; res.se_K[k] = f.se; res.l_K[k] = f.l; r_K[k] = f.r;
  }
  res.bic = bic_values(o.K_vec, res.l_K, o.n);
  auto finish = [&](double b, double se) {
    res.b = b; res.se = se;
    res.pval = p_normal(b / se);
    res.lo_ci = b - z * se; res.up_ci = b + z * se;
  };
  if (!o.DP) {
    if (!o.MA) {
      const std::size_t m = which_min(res.bic);
      for (std::size_t j = 0; j < r_K[m].size(); ++j) if (r_K[m][j] != 0) res.bic_invalid.push_back(static_cast<int>(j));
      finish(res.theta_K[m], res.se_K[m]);
    } else {
      double b, s;
      model_average(res.bic, res.theta_K, res.se_K, b, s);
      finish(b, s);
    }
    res.se_na_warning = se_na;
    return res;
  }
  // Data perturbation.
  const int P = o.num_pert, p = d.size();
  std::vector<double> th(static_cast<std::size_t>(nK) * P), sd(th.size()), ll(th.size());
  std::vector<char> na_flag(P, 0);
  parallel_for(P, o.threads, [&](int i) {
    Rng r(o.seed, static_cast<std::uint64_t>(i) + 1);
    Vec bx(p), by(p);
    for (int j = 0; j < p; ++j) bx[j] = d.bx[j] + r.normal() * d.sx[j];
    for (int j = 0; j < p; ++j) by[j] = d.by[j] + r.normal() * d.sy[j];
    bool flag = false;
    for (int k = 0; k < nK; ++k) {
      const CmlFitK f = fit_K(bx, by, d.sx, d.sy, o.K_vec[k], o.random_start_pert, o.maxit, r, flag);
      const std::size_t idx = static_cast<std::size_t>(k) * P + i;
      th[idx] = f.theta; sd[idx] = f.se; ll[idx] = f.l;
    }
    na_flag[i] = flag;
  });
  for (char f : na_flag) se_na = se_na || f;
  // MendelianRandomization re-indexes K as 0, 1, ... for the DP BIC (quirk kept).
  std::vector<int> K_dp(nK);
  std::iota(K_dp.begin(), K_dp.end(), 0);
  std::vector<double> theta_pt(nK), sd_pt(nK), l_pt(nK);
  std::vector<std::vector<double>> theta_rows(nK, std::vector<double>(P)), var_rows(nK, std::vector<double>(P));
  for (int k = 0; k < nK; ++k) {
    double st = 0, sl = 0;
    for (int i = 0; i < P; ++i) {
      const std::size_t idx = static_cast<std::size_t>(k) * P + i;
      theta_rows[k][i] = th[idx];
      var_rows[k][i] = sd[idx] * sd[idx];
      st += th[idx]; sl += ll[idx];
    }
    theta_pt[k] = st / P; l_pt[k] = sl / P;
    sd_pt[k] = std::sqrt(var_of(theta_rows[k]));
  }
  // Goodness of fit at the BIC-selected K of the original data.
  const std::vector<double> bic0 = bic_values(K_dp, res.l_K, o.n);
  const std::size_t m = which_min(bic0);
  const double pt_sd = sd_pt[m], origin_sd = res.se_K[m];
  const double more_var = var_of(var_rows[m]);
  const std::vector<double>& x = theta_rows[m];
  double mx = 0;
  for (double v : x) mx += v;
  mx /= P;
  double m4 = 0;
  for (double v : x) m4 += std::pow(v - mx, 4);
  m4 /= P;
  const double vx = var_of(x);
  const double sd_x = std::sqrt((m4 - (P - 3.0) / (P - 1.0) * vx * vx) / P + more_var);
  res.gof1_p = p_normal((origin_sd * origin_sd - pt_sd * pt_sd) / sd_x);
  res.gof2_p = p_normal((origin_sd * origin_sd - pt_sd * pt_sd) /
                        std::sqrt(2.0 / (P - 1.0) * std::pow(pt_sd, 4) + more_var));
  const std::vector<double> bic_dp = bic_values(K_dp, l_pt, o.n);
  if (!o.MA) {
    const std::size_t k = which_min(bic_dp);
    finish(theta_pt[k], sd_pt[k]);
  } else {
    double b, s;
    model_average(bic_dp, theta_pt, sd_pt, b, s);
    finish(b, s);
  }
  res.se_na_warning = se_na;
  return res;
}

}  // namespace mrkit
