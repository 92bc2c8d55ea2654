// Rucker's model-selection framework (methods.md 4.19, TwoSampleMR mr_rucker and its
// bootstrap, jackknife and Cook's distance variants).
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/params.hpp"
#include "mrkit/resampling/parallel.hpp"
#include "mrkit/resampling/rng.hpp"
#include "mrkit/summary_data.hpp"
#include "mrkit/numerics/wls.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace mrkit {

struct RuckerRow {
  double estimate = NA, se = NA, ci_low = NA, ci_upp = NA, p = NA;
};

// One Rucker fit. rows: IVW fixed effects, IVW random effects, Egger fixed effects, Egger
// random effects. intercept: Egger fixed / random effects. Q: Q_ivw, Q_egger, Q_diff.
// model: 0..3 for "A".."D" (the selected row). cooks: Cook's distances of the selected fit.
struct RuckerFit {
  int nsnp = 0;
  bool ok = false;
  std::string note;
  RuckerRow rows[4];
  RuckerRow intercept[2];
  double Q[3] = {NA, NA, NA}, Q_df[3] = {NA, NA, NA}, Q_p[3] = {NA, NA, NA};
  int model = -1;
  Vec cooks;
  const RuckerRow& selected() const { return rows[model]; }
};

namespace detail {
inline RuckerRow rucker_row(double est, double se, double p, double z) {
  RuckerRow r;
  r.estimate = est; r.se = se; r.p = p;
  r.ci_low = est - z * se;
  r.ci_upp = est + z * se;
  return r;
}
}  // namespace detail

// Variants are oriented with sign0 (bx >= 0). On the radial scale y = by/sy, x = bx/sy,
// i = 1/sy, IVW is lm(y ~ 0 + x) and Egger lm(y ~ 0 + i + x) (identical to the weighted
// fits with weights 1/sy^2). Q_ivw = sigma_ivw^2 (J - 1), Q_egger = sigma_egger^2 (J - 2),
// Q_diff = max(0, Q_ivw - Q_egger) on 1 df.
// Rows, as TwoSampleMR reports them (quirks kept):
// - "fixed effects" SEs are lm's SE divided by max(sigma, 1), so they equal the
//   fixed-effect SE only when sigma >= 1 (below, they are sigma times it);
// - "random effects" SEs are lm's SE without a floor;
// - IVW p-values are normal with test_dist = "z", otherwise t(J - 1) (lm's for the random
//   row); Egger slope p-values are t(J - 2) whatever test_dist; intercept p-values are
//   normal with test_dist = "z", otherwise t(J - 2);
// - the random-effects intercept row repeats the fixed-effects estimate.
// CIs are estimate -/+ qnorm(1 - alpha/2) se. Model: A if p(Q_ivw) > Qthresh, else B if
// p(Q_diff) > Qthresh, else C if p(Q_egger) > Qthresh, else D.
inline RuckerFit rucker_fit(const SummaryData& data, const Params& p) {
  RuckerFit out;
  const int J = data.size();
  out.nsnp = J;
  if (J < 3) { out.note = "the Rucker framework needs at least 3 variants"; return out; }
  const SummaryData d = data.oriented(true);
  const Vec w = d.sy.array().square().inverse();
  const WlsFit ivw = wls_origin(d.bx, d.by, w);
  const WlsFit egg = wls_intercept(d.bx, d.by, w);
  if (ivw.aliased || egg.aliased) {
    out.note = ivw.aliased ? "all SNP-exposure effects are zero"
                           : "collinear SNP-exposure effects in MR-Egger";
    return out;
  }
  const double z = q_normal(1 - p.alpha / 2);
  const bool use_t = p.test_dist == TestDist::t;
  const double df1 = J - 1, df2 = J - 2;

  const double se_ivw_fe = ivw.slope_se / std::max(ivw.sigma, 1.0);
  out.rows[0] = detail::rucker_row(ivw.slope, se_ivw_fe, p_two_sided(ivw.slope / se_ivw_fe, use_t, df1), z);
  out.rows[1] = detail::rucker_row(ivw.slope, ivw.slope_se, p_two_sided(ivw.slope / ivw.slope_se, use_t, df1), z);
  const double egg_div = std::max(egg.sigma, 1.0);
  const double se1_fe = egg.slope_se / egg_div;
  out.rows[2] = detail::rucker_row(egg.slope, se1_fe, p_student(egg.slope / se1_fe, df2), z);
  out.rows[3] = detail::rucker_row(egg.slope, egg.slope_se, p_student(egg.slope / egg.slope_se, df2), z);
  const double se0_fe = egg.intercept_se / egg_div;
  out.intercept[0] = detail::rucker_row(egg.intercept, se0_fe, p_two_sided(egg.intercept / se0_fe, use_t, df2), z);
  out.intercept[1] = detail::rucker_row(egg.intercept, egg.intercept_se,
                                        p_two_sided(egg.intercept / egg.intercept_se, use_t, df2), z);

  out.Q[0] = ivw.rss; out.Q_df[0] = df1; out.Q_p[0] = p_chisq_upper(ivw.rss, df1);
  out.Q[1] = egg.rss; out.Q_df[1] = df2; out.Q_p[1] = p_chisq_upper(egg.rss, df2);
  out.Q[2] = std::max(0.0, ivw.rss - egg.rss); out.Q_df[2] = 1; out.Q_p[2] = p_chisq_upper(out.Q[2], 1);

  const double qt = p.qthresh;
  if (out.Q_p[0] <= qt) {
    if (out.Q_p[2] <= qt) out.model = out.Q_p[1] <= qt ? 3 : 2;
    else out.model = 1;
  } else {
    out.model = 0;
  }

  // Cook's distances of the selected model's unweighted radial-scale fit, as
  // stats::cooks.distance: e^2 h / (k sigma^2 (1 - h)^2), k coefficients.
  out.cooks.resize(J);
  if (out.model <= 1) {
    const double sxx = (w.array() * d.bx.array().square()).sum();
    const double s2 = ivw.sigma * ivw.sigma;
    for (int j = 0; j < J; ++j) {
      const double h = w[j] * d.bx[j] * d.bx[j] / sxx;
      const double e = std::sqrt(w[j]) * (d.by[j] - ivw.slope * d.bx[j]);
      out.cooks[j] = e * e * h / (s2 * (1 - h) * (1 - h));
    }
  } else {
    const double sw = w.sum();
    const double xbar = (w.array() * d.bx.array()).sum() / sw;
    const double sxx = (w.array() * (d.bx.array() - xbar).square()).sum();
    const double s2 = egg.sigma * egg.sigma;
    for (int j = 0; j < J; ++j) {
      const double dx = d.bx[j] - xbar;
      const double h = w[j] * (1.0 / sw + dx * dx / sxx);
      const double e = std::sqrt(w[j]) * (d.by[j] - egg.intercept - egg.slope * d.bx[j]);
      out.cooks[j] = e * e * h / (2.0 * s2 * (1 - h) * (1 - h));
    }
  }
  out.ok = true;
  return out;
}

// Rucker's framework after iteratively removing influential variants: while any variant
// has Cook's distance above 4/J (J the current number of variants) and more than 3 would
// remain, drop them all and refit. Returns the final fit; `kept` gets the indices (0-based,
// into `data`) of the variants left.
inline RuckerFit rucker_cooks(const SummaryData& data, const Params& p, std::vector<int>& kept) {
  kept.resize(data.size());
  for (int j = 0; j < data.size(); ++j) kept[j] = j;
  RuckerFit fit = rucker_fit(data, p);
  if (!fit.ok) return fit;
  SummaryData cur = data;
  for (;;) {
    const int J = cur.size();
    const double thr = 4.0 / J;
    std::vector<int> stay;
    for (int j = 0; j < J; ++j)
      if (!(fit.cooks[j] > thr)) stay.push_back(j);
    if (static_cast<int>(stay.size()) == J || static_cast<int>(stay.size()) <= 3) break;
    SummaryData next;
    const int n = static_cast<int>(stay.size());
    next.bx.resize(n); next.by.resize(n); next.sx.resize(n); next.sy.resize(n);
    std::vector<int> kept_next(n);
    for (int k = 0; k < n; ++k) {
      const int j = stay[k];
      next.bx[k] = cur.bx[j]; next.by[k] = cur.by[j]; next.sx[k] = cur.sx[j]; next.sy[k] = cur.sy[j];
      kept_next[k] = kept[j];
    }
    RuckerFit nf = rucker_fit(next, p);
    if (!nf.ok) break;  // the reduced data cannot be fitted: keep the last fit
    cur = next; kept = kept_next; fit = nf;
  }
  return fit;
}

// Resampled Rucker fits: replicate b draws from its own Rng(p.seed, b).
// Bootstrap (jackknife = false): parametric, bx* ~ N(bx, sx), by* ~ N(by, sy) for every
// variant (all bx* first, then all by*), on the data before orientation.
// "Jackknife" (jackknife = true): as TwoSampleMR, a nonparametric bootstrap that samples J
// variants with replacement (not a leave-one-out jackknife); it needs J >= 15.
// Replicates whose fit is not estimable (e.g. collinear resampled bx) are NA and left out
// of the summaries (TwoSampleMR would stop with an error).
struct RuckerResample {
  std::vector<RuckerRow> selected;
  std::vector<int> model;
  std::vector<double> Q, Qdash;
  int n_ok = 0;
  RuckerRow mean_row, median_row;
};

namespace detail {
// R's quantile(type = 7) of sorted x.
inline double quantile7(const std::vector<double>& x, double q) {
  const double h = (x.size() - 1) * q;
  const std::size_t lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= x.size()) return x[lo];
  return x[lo] + (h - lo) * (x[lo + 1] - x[lo]);
}
}  // namespace detail

inline RuckerResample rucker_resample(const SummaryData& d, const Params& p, bool jackknife) {
  const int J = d.size();
  const int B = p.nboot;
  RuckerResample out;
  out.selected.assign(B, RuckerRow());
  out.model.assign(B, -1);
  out.Q.assign(B, NA);
  out.Qdash.assign(B, NA);
  // Replicates run in blocks of 64 so that threads are not scheduled per (tiny) fit; each
  // replicate still draws from its own stream, so results do not depend on threads.
  const int block = 64;
  const int n_blocks = (B + block - 1) / block;
  parallel_for(n_blocks, p.threads, [&](int blk) {
    const int last = std::min(B, (blk + 1) * block);
    for (int b = blk * block; b < last; ++b) {
      Rng rng(p.seed, static_cast<std::uint64_t>(b));
      SummaryData s;
      if (jackknife) {
        s.bx.resize(J); s.by.resize(J); s.sx.resize(J); s.sy.resize(J);
        for (int i = 0; i < J; ++i) {
          const int j = static_cast<int>(rng.below(J));
          s.bx[i] = d.bx[j]; s.by[i] = d.by[j]; s.sx[i] = d.sx[j]; s.sy[i] = d.sy[j];
        }
      } else {
        s = d;
        for (int j = 0; j < J; ++j) s.bx[j] = rng.normal(d.bx[j], d.sx[j]);
        for (int j = 0; j < J; ++j) s.by[j] = rng.normal(d.by[j], d.sy[j]);
      }
      const RuckerFit f = rucker_fit(s, p);
      if (!f.ok) continue;
      out.selected[b] = f.selected();
      out.model[b] = f.model;
      out.Q[b] = f.Q[0];
      out.Qdash[b] = f.Q[1];
    }
  });
  std::vector<double> est;
  est.reserve(B);
  for (int b = 0; b < B; ++b)
    if (out.model[b] >= 0 && std::isfinite(out.selected[b].estimate)) est.push_back(out.selected[b].estimate);
  out.n_ok = static_cast<int>(est.size());
  if (out.n_ok < 2) return out;
  const double n = est.size();
  double mean = 0;
  for (double v : est) mean += v;
  mean /= n;
  double ss = 0;
  for (double v : est) ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / (n - 1));
  // "Rucker mean": the bootstrap model average (Rucker et al. 2011; Bowden et al. 2018),
  // with interval mean -/+ qnorm(1 - alpha / 2) sd. With tsmr_quirks, TwoSampleMR's
  // interval, built with qnorm(Qthresh / 2) (negative): CI_low above the mean, CI_upp below.
  const double zq = p.tsmr_quirks ? q_normal(p.qthresh / 2) : q_normal(1 - p.alpha / 2);
  out.mean_row.estimate = mean;
  out.mean_row.se = sd;
  out.mean_row.ci_low = mean - zq * sd;
  out.mean_row.ci_upp = mean + zq * sd;
  out.mean_row.p = p_student(mean / sd, J - 1);
  std::sort(est.begin(), est.end());
  const double med = detail::quantile7(est, 0.5);
  std::vector<double> dev(est.size());
  for (std::size_t i = 0; i < est.size(); ++i) dev[i] = std::fabs(est[i] - med);
  std::sort(dev.begin(), dev.end());
  const double mad = 1.4826 * detail::quantile7(dev, 0.5);
  out.median_row.estimate = med;
  out.median_row.se = mad;
  out.median_row.ci_low = detail::quantile7(est, 0.025);
  out.median_row.ci_upp = detail::quantile7(est, 0.975);
  out.median_row.p = p_student(med / mad, J - 1);
  return out;
}

}  // namespace mrkit
