// Radial IVW and radial MR-Egger (methods.md 4.4; RadialMR's definitions). Ratio
// estimates r_j are rescaled by sqrt(W_j) and regressed on sqrt(W_j); weights are first
// order (bx^2 / sy^2), second order (delta method) or modified second order (first-order
// slope plugged into bx^2 / (sy^2 + theta^2 sx^2)). Per-variant Q contributions
// Q_j = W_j (r_j - fit_j)^2 flag outliers by P(chi^2_1 > Q_j) < alpha.
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/resampling/rng.hpp"
#include "mrkit/summary_data.hpp"
#include "mrkit/numerics/wls.hpp"

#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <string>
#include <vector>

namespace mrkit {

enum class RadialWeights { first = 1, second = 2, modified = 3 };

struct RadialRow {
  std::string term;
  double estimate = NA, se = NA, statistic = NA, pval = NA;
};

struct RadialFit {
  std::vector<RadialRow> coef;
  double Q = NA, Q_df = NA, Q_pval = NA;
  double phi = NA;  // exact RE over-dispersion (IVW only)
  int iterations = 0;
  Vec w, qj, qj_pval;  // weights used, per-variant Q contributions and their p-values
  std::vector<int> outlier;
  double mean_f = NA;
  std::string note;
};

namespace radial_detail {

inline Vec weights(const SummaryData& d, RadialWeights type, double theta = 0) {
  const int J = d.size();
  Vec w(J);
  for (int j = 0; j < J; ++j) {
    const double bx2 = d.bx[j] * d.bx[j], sy2 = d.sy[j] * d.sy[j], sx2 = d.sx[j] * d.sx[j];
    switch (type) {
      case RadialWeights::first: w[j] = bx2 / sy2; break;
      case RadialWeights::second:
        w[j] = 1 / (sy2 / bx2 + d.by[j] * d.by[j] * sx2 / (bx2 * bx2)); break;
      case RadialWeights::modified: w[j] = 1 / (sy2 / bx2 + theta * theta * sx2 / bx2); break;
    }
  }
  return w;
}

inline RadialRow row(const std::string& term, double est, double se, double df) {
  RadialRow r;
  r.term = term; r.estimate = est; r.se = se; r.statistic = est / se;
  r.pval = p_student(r.statistic, df);
  return r;
}

// Exact-weights Q as a function of theta and the outcome-variance multiplier phi.
inline double exact_q(const SummaryData& d, const Vec& r, double theta, double phi) {
  double q = 0;
  for (int j = 0; j < d.size(); ++j) {
    const double bx2 = d.bx[j] * d.bx[j];
    q += (r[j] - theta) * (r[j] - theta) / (phi * d.sy[j] * d.sy[j] / bx2 + theta * theta * d.sx[j] * d.sx[j] / bx2);
  }
  return q;
}

inline double exact_theta(const SummaryData& d, const Vec& r, double phi) {
  return boost::math::tools::brent_find_minima([&](double t) { return exact_q(d, r, t, phi); }, -2.0, 2.0, 52).first;
}

inline void finish(RadialFit& f, const Vec& w, const Vec& resid2, double alpha, int df) {
  f.w = w;
  f.qj = w.cwiseProduct(resid2);
  f.qj_pval.resize(w.size());
  f.outlier.resize(w.size());
  for (Eigen::Index j = 0; j < w.size(); ++j) {
    f.qj_pval[j] = p_chisq_upper(f.qj[j], 1);
    f.outlier[j] = f.qj_pval[j] < alpha;
  }
  f.Q = f.qj.sum();
  f.Q_df = df;
  f.Q_pval = p_chisq_upper(f.Q, df);
}

}  // namespace radial_detail

inline bool radial_ratios(const SummaryData& d, Vec& r, std::string& note, int min_snps) {
  if (d.size() < min_snps) { note = "radial MR needs at least " + std::to_string(min_snps) + " variants"; return false; }
  for (int j = 0; j < d.size(); ++j)
    if (d.bx[j] == 0) { note = "a SNP-exposure effect is zero, so its ratio estimate is undefined"; return false; }
  r = d.ratio();
  return true;
}

// Radial IVW: the fit with the chosen weights (slope, lm standard error, t(J - 1) p-value),
// plus the rows of the other weightings: first order, second order, modified second
// order, iterative second order (until |change| < tol), exact fixed effects and exact
// random effects (phi chosen so that Q = J - 1; SE from `nboot` nonparametric bootstrap
// replicates with Rng(seed, b)).
inline RadialFit radial_ivw(const SummaryData& d, RadialWeights type, double alpha, double tol,
                            int nboot, std::uint64_t seed) {
  using namespace radial_detail;
  RadialFit f;
  Vec r;
  if (!radial_ratios(d, r, f.note, 2)) return f;
  const int J = d.size();
  f.mean_f = d.bx.cwiseQuotient(d.sx).array().square().mean();
  auto slope_fit = [&](const Vec& w) {
    const Vec sw = w.cwiseSqrt();
    return wls_origin(sw, r.cwiseProduct(sw), Vec::Ones(J));
  };
  const WlsFit f1 = slope_fit(weights(d, RadialWeights::first));
  const WlsFit f2 = slope_fit(weights(d, RadialWeights::second));
  const WlsFit f3 = slope_fit(weights(d, RadialWeights::modified, f1.slope));
  f.coef.push_back(row("Effect (1st)", f1.slope, f1.slope_se, J - 1));
  f.coef.push_back(row("Effect (2nd)", f2.slope, f2.slope_se, J - 1));
  f.coef.push_back(row("Effect (Mod.2nd)", f3.slope, f3.slope_se, J - 1));
  // Iterative: start from the first-order slope, re-weight until the slope settles.
  double th = f1.slope;
  WlsFit fi = f1;
  int it = 0;
  for (; it < 1000; ++it) {
    fi = slope_fit(weights(d, RadialWeights::modified, th));
    const double diff = std::fabs(fi.slope - th);
    th = fi.slope;
    if (diff < tol) break;
  }
  f.iterations = it + 1;
  f.coef.push_back(row("Iterative", fi.slope, fi.slope_se, J - 1));
  // Exact fixed effects.
  const double te = exact_theta(d, r, 1.0);
  const Vec we = weights(d, RadialWeights::modified, te);
  f.coef.push_back(row("Exact (FE)", te, 1 / std::sqrt(we.sum()), J - 1));
  // Exact random effects: phi with Q(theta(phi), phi) = J - 1 (phi >= 1 search on a log scale).
  double phi = 1;
  if (exact_q(d, r, te, 1.0) > J - 1) {
    auto g = [&](double lp) {
      const double ph = std::exp(lp);
      return exact_q(d, r, exact_theta(d, r, ph), ph) - (J - 1);
    };
    double lo = 0, hi = 1;
    while (g(hi) > 0 && hi < 100) hi *= 2;
    for (int k = 0; k < 200 && hi - lo > 1e-12; ++k) {
      const double mid = (lo + hi) / 2;
      (g(mid) > 0 ? lo : hi) = mid;
    }
    phi = std::exp((lo + hi) / 2);
  }
  f.phi = phi;
  const double tre = exact_theta(d, r, phi);
  double se_re = NA;
  if (nboot > 1) {
    std::vector<double> bt(nboot);
    for (int b = 0; b < nboot; ++b) {
      Rng rng(seed, static_cast<std::uint64_t>(b));
      SummaryData s;
      s.bx.resize(J); s.by.resize(J); s.sx.resize(J); s.sy.resize(J);
      Vec rs(J);
      for (int j = 0; j < J; ++j) {
        const auto k = static_cast<int>(rng.below(J));
        s.bx[j] = d.bx[k]; s.by[j] = d.by[k]; s.sx[j] = d.sx[k]; s.sy[j] = d.sy[k]; rs[j] = r[k];
      }
      bt[b] = exact_theta(s, rs, phi);
    }
    double m = 0;
    for (double v : bt) m += v;
    m /= nboot;
    double ss = 0;
    for (double v : bt) ss += (v - m) * (v - m);
    se_re = std::sqrt(ss / (nboot - 1));
  }
  f.coef.push_back(row("Exact (RE)", tre, se_re, J - 1));
  // Q and per-variant contributions with the chosen weights.
  const WlsFit& ch = type == RadialWeights::first ? f1 : (type == RadialWeights::second ? f2 : f3);
  const Vec w = type == RadialWeights::first ? weights(d, RadialWeights::first)
                : type == RadialWeights::second ? weights(d, RadialWeights::second)
                : weights(d, RadialWeights::modified, f1.slope);
  finish(f, w, (r.array() - ch.slope).square().matrix(), alpha, J - 1);
  return f;
}

// Radial MR-Egger: sqrt(W) r on sqrt(W) with an intercept; modified second-order weights
// plug in the first-order Egger slope. Rows "Intercept" and "Wj" (slope), t(J - 2).
inline RadialFit radial_egger(const SummaryData& d, RadialWeights type, double alpha) {
  using namespace radial_detail;
  RadialFit f;
  Vec r;
  if (!radial_ratios(d, r, f.note, 3)) return f;
  const int J = d.size();
  f.mean_f = d.bx.cwiseQuotient(d.sx).array().square().mean();
  auto fit = [&](const Vec& w) {
    const Vec sw = w.cwiseSqrt();
    return wls_intercept(sw, r.cwiseProduct(sw), Vec::Ones(J));
  };
  Vec w = weights(d, type == RadialWeights::second ? RadialWeights::second : RadialWeights::first);
  WlsFit e = fit(w);
  if (e.aliased) { f.note = "the radial weights are constant, so the Egger slope is not identified"; return f; }
  if (type == RadialWeights::modified) {
    w = weights(d, RadialWeights::modified, e.slope);
    e = fit(w);
    if (e.aliased) { f.note = "the radial weights are constant, so the Egger slope is not identified"; return f; }
  }
  f.coef.push_back(row("Intercept", e.intercept, e.intercept_se, J - 2));
  f.coef.push_back(row("Wj", e.slope, e.slope_se, J - 2));
  const Vec sw = w.cwiseSqrt();
  Vec res2(J);
  for (int j = 0; j < J; ++j) {
    const double rr = r[j] - e.intercept / sw[j] - e.slope;
    res2[j] = rr * rr;
  }
  finish(f, w, res2, alpha, J - 2);
  return f;
}

}  // namespace mrkit
