// Penalised IVW (methods.md 4.13; MendelianRandomization mr_pivw): penalised debiased
// denominator, optional over-dispersion and IV selection correction, and the
// bootstrap-Fieller p-value and confidence set from parametric replicates, each replicate
// b drawn by its own Rng(seed, b) so threads do not change the result.
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/resampling/parallel.hpp"
#include "mrkit/params.hpp"
#include "mrkit/resampling/rng.hpp"
#include "mrkit/summary_data.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace mrkit {

struct PivwOptions {
  double lambda = 1;
  bool over_dispersion = true;
  double delta = 0;
  std::vector<double> sel_pval;  // empty: no selection
  bool boot_fieller = true;
  double alpha = 0.05;
  int nboot = 1000;
  std::uint64_t seed = 0;
  int threads = 1;
};

struct PivwFit {
  double b = NA, se = NA, pval = NA, tau2 = NA, condition = NA;
  int nsnp = 0;
  std::vector<double> ci_lower, ci_upper;
  std::string note;
};

namespace pivw_detail {

struct Moments { double mu1, mu2, v2, v12, mu1p, mu2p; };

inline Moments moments(const Vec& bx, const Vec& by, const Vec& sx, const Vec& sy, double lambda) {
  Moments m{0, 0, 0, 0, 0, 0};
  for (Eigen::Index j = 0; j < bx.size(); ++j) {
    const double sy2 = sy[j] * sy[j], sy4 = sy2 * sy2, sx2 = sx[j] * sx[j];
    m.v2 += (4 * (bx[j] * bx[j] - sx2) * sx2 + 2 * sx2 * sx2) / sy4;
    m.v12 += 2 * by[j] * bx[j] * sx2 / sy4;
    m.mu1 += by[j] * bx[j] / sy2;
    m.mu2 += (bx[j] * bx[j] - sx2) / sy2;
  }
  const double sg = m.mu2 > 0 ? 1.0 : (m.mu2 < 0 ? -1.0 : 0.0);
  m.mu2p = m.mu2 / 2 + sg * std::sqrt(m.mu2 * m.mu2 / 4 + lambda * m.v2);
  m.mu1p = m.mu1 + (m.v12 / m.v2) * (m.mu2p - m.mu2);
  return m;
}

inline Vec subset(const Vec& x, const std::vector<int>& idx) {
  Vec o(idx.size());
  for (std::size_t k = 0; k < idx.size(); ++k) o[k] = x[idx[k]];
  return o;
}

}  // namespace pivw_detail

inline PivwFit pivw_fit(const SummaryData& d0, const PivwOptions& o) {
  using namespace pivw_detail;
  PivwFit f;
  const int J0 = d0.size();
  if (J0 < 2) { f.nsnp = J0; f.note = "pIVW needs at least 2 variants"; return f; }
  const bool select = o.delta > 0 && static_cast<int>(o.sel_pval.size()) == J0;
  std::vector<int> sel;
  const double thr = select ? p_normal(o.delta) : 1.0;  // 2 * Phi(-delta)
  for (int j = 0; j < J0; ++j) if (!select || o.sel_pval[j] < thr) sel.push_back(j);
  if (sel.empty()) { f.note = "no variant passes the selection threshold; use a smaller delta"; return f; }
  // Condition: mean F - 1 over the selected variants, times sqrt(number selected),
  // divided by the selection correction.
  double kappa = 0;
  for (int j : sel) kappa += d0.bx[j] * d0.bx[j] / (d0.sx[j] * d0.sx[j]);
  kappa = kappa / sel.size() - 1;
  double eta = kappa * std::sqrt(static_cast<double>(sel.size()));
  if (select) {
    double psi2 = 0;
    for (int j = 0; j < J0; ++j) {
      const double z = q_normal(1 - o.sel_pval[j] / 2);
      const double q = (1 - 0.5 * std::erfc((z - o.delta) / std::sqrt(2.0))) +
                       (1 - 0.5 * std::erfc((-z - o.delta) / std::sqrt(2.0)));
      const double t = d0.bx[j] / d0.sx[j];
      psi2 += (t * t * t * t - 6 * t * t + 3) * q * (1 - q);
    }
    psi2 /= sel.size();
    eta /= std::max(1.0, std::sqrt(psi2));
  }
  f.condition = eta;
  // Over-dispersion uses every variant; the estimate uses the selected ones.
  Vec bx = d0.bx, by = d0.by, sx = d0.sx, sy = d0.sy;
  if (select && !o.over_dispersion) {
    bx = subset(d0.bx, sel); by = subset(d0.by, sel); sx = subset(d0.sx, sel); sy = subset(d0.sy, sel);
  }
  Moments m = moments(bx, by, sx, sy, o.lambda);
  if (!(m.v2 > 0) || m.mu2p == 0) { f.note = "pIVW denominator is zero (all SNP-exposure effects and SEs degenerate)"; return f; }
  double b = m.mu1p / m.mu2p;
  double tau2 = 0;
  if (o.over_dispersion) {
    double s = 0, w = 0;
    for (Eigen::Index j = 0; j < bx.size(); ++j) {
      const double e = by[j] - b * bx[j], sy2 = sy[j] * sy[j];
      s += (e * e - sy2 - b * b * sx[j] * sx[j]) / sy2;
      w += 1 / sy2;
    }
    tau2 = std::max(0.0, s / w);
  }
  if (select && o.over_dispersion) {
    bx = subset(d0.bx, sel); by = subset(d0.by, sel); sx = subset(d0.sx, sel); sy = subset(d0.sy, sel);
    m = moments(bx, by, sx, sy, o.lambda);
    if (!(m.v2 > 0) || m.mu2p == 0) { f.note = "pIVW denominator is zero"; return f; }
    b = m.mu1p / m.mu2p;
  }
  const int J = static_cast<int>(bx.size());
  double ssum = 0;
  for (int j = 0; j < J; ++j) {
    const double sy2 = sy[j] * sy[j], sx2 = sx[j] * sx[j];
    ssum += bx[j] * bx[j] / sy2 * (1 + tau2 / sy2) + b * b * (sx2 / (sy2 * sy2)) * (bx[j] * bx[j] + sx2);
  }
  f.b = b;
  f.se = std::sqrt(ssum) / std::fabs(m.mu2p);
  f.tau2 = tau2;
  f.nsnp = J;
  if (!o.boot_fieller) {
    f.pval = p_normal(b / f.se);
    const double z = q_normal(1 - o.alpha / 2);
    f.ci_lower = {b - z * f.se};
    f.ci_upper = {b + z * f.se};
    return f;
  }
  // Null distribution of the Fieller statistic: by* ~ N(bx b + a, sy), a ~ N(0, tau2),
  // bx* ~ N(bx, sx); negative statistics are redrawn.
  const int B = o.nboot;
  std::vector<double> zb(B);
  const double sqt = std::sqrt(tau2);
  parallel_for(B, o.threads, [&](int rep) {
    Rng rng(o.seed, static_cast<std::uint64_t>(rep));
    for (int attempt = 0; attempt < 10000; ++attempt) {
      double v1 = 0, v2 = 0, v12 = 0, mu1 = 0, mu2 = 0;
      for (int j = 0; j < J; ++j) {
        const double a = sqt > 0 ? rng.normal(0, sqt) : 0.0;
        const double ys = rng.normal(bx[j] * b + a, sy[j]);
        const double xs = rng.normal(bx[j], sx[j]);
        const double sy2 = sy[j] * sy[j], sy4 = sy2 * sy2, sx2 = sx[j] * sx[j];
        v1 += (ys * ys * xs * xs - (ys * ys - sy2 - tau2) * (xs * xs - sx2)) / sy4;
        v2 += (4 * (xs * xs - sx2) * sx2 + 2 * sx2 * sx2) / sy4;
        v12 += 2 * ys * xs * sx2 / sy4;
        mu1 += ys * xs / sy2;
        mu2 += (xs * xs - sx2) / sy2;
      }
      const double sg = mu2 > 0 ? 1.0 : (mu2 < 0 ? -1.0 : 0.0);
      const double mu2p = mu2 / 2 + sg * std::sqrt(mu2 * mu2 / 4 + o.lambda * v2);
      const double mu1p = mu1 + (v12 / v2) * (mu2p - mu2);
      const double w = mu2p / (2 * mu2p - mu2);
      const double stat = (mu1p - b * mu2p) * (mu1p - b * mu2p) / (v1 - 2 * b * w * v12 + b * b * w * w * v2);
      if (stat >= 0) { zb[rep] = stat; return; }
    }
    zb[rep] = NA;
  });
  // A replicate that never gave a non-negative statistic is dropped (practically never).
  zb.erase(std::remove_if(zb.begin(), zb.end(), [](double z) { return std::isnan(z); }), zb.end());
  const int Bv = static_cast<int>(zb.size());
  if (Bv == 0) { f.note = "no bootstrap-Fieller replicate gave a valid statistic"; return f; }
  std::sort(zb.begin(), zb.end());
  double v1p = 0;
  for (int j = 0; j < J; ++j) {
    const double sy2 = sy[j] * sy[j];
    v1p += (by[j] * by[j] * bx[j] * bx[j] - (by[j] * by[j] - sy2 - tau2) * (bx[j] * bx[j] - sx[j] * sx[j])) / (sy2 * sy2);
  }
  const double w = m.mu2p / (2 * m.mu2p - m.mu2);
  const double v2p = w * w * m.v2, v12p = w * m.v12;
  const double z0 = m.mu1p * m.mu1p / v1p;
  int exceed = 0;
  for (double z : zb) if (z0 < z) ++exceed;
  f.pval = static_cast<double>(exceed) / Bv;
  long idx = std::lrint(Bv * (1 - o.alpha));
  idx = std::min<long>(std::max<long>(idx, 1), Bv);
  const double qt = zb[idx - 1];
  const double A = m.mu2p * m.mu2p - qt * v2p;
  const double Bq = 2 * (qt * v12p - m.mu1p * m.mu2p);
  const double C = m.mu1p * m.mu1p - qt * v1p;
  const double D = Bq * Bq - 4 * A * C;
  if (A > 0) {
    f.ci_lower = {(-Bq - std::sqrt(D)) / 2 / A};
    f.ci_upper = {(-Bq + std::sqrt(D)) / 2 / A};
  } else if (D > 0) {
    const double r1 = (-Bq - std::sqrt(D)) / 2 / A, r2 = (-Bq + std::sqrt(D)) / 2 / A;
    f.ci_lower = {-INFINITY, r2};
    f.ci_upper = {r1, INFINITY};
  } else {
    f.ci_lower = {-INFINITY};
    f.ci_upper = {INFINITY};
  }
  return f;
}

// Registry kernel: MendelianRandomization's defaults (lambda 1, over-dispersion from
// Params, no selection, bootstrap-Fieller p-value with Params.nboot replicates).
inline Estimate mr_pivw(const SummaryData& d, const Params& p) {
  PivwOptions o;
  o.over_dispersion = p.over_dispersion;
  o.alpha = p.alpha;
  o.nboot = p.nboot;
  o.seed = p.seed;
  o.threads = p.threads;
  const PivwFit f = pivw_fit(d, o);
  Estimate e;
  e.nsnp = d.size();
  e.note = f.note;
  if (std::isnan(f.b)) return e;
  e.b = f.b;
  e.se = f.se;
  e.pval = f.pval;
  // Its own interval: bootstrap-Fieller (the outermost bounds when it is a union), with a
  // p-value from the bootstrap null distribution rather than from b / se.
  e.wald_pval = !o.boot_fieller;
  if (!f.ci_lower.empty()) { e.lo_ci = f.ci_lower.front(); e.up_ci = f.ci_upper.back(); }
  e.add("tau2", f.tau2);
  e.add("condition", f.condition);
  return e;
}

}  // namespace mrkit
