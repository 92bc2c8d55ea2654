// Mode-based estimators (methods.md 4.7): the ratio estimate at the highest point of a
// weighted Gaussian kernel density of the ratio estimates, with parametric-bootstrap SEs
// (SE = MAD of bootstrap estimates). TwoSampleMR's simple, weighted and penalised modes and
// their NOME variants; MendelianRandomization's mr_mbe through the same kernels.
#pragma once
#include "mrkit/numerics/density.hpp"
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/estimators/median.hpp"
#include "mrkit/resampling/parallel.hpp"
#include "mrkit/params.hpp"
#include "mrkit/resampling/resample_stats.hpp"
#include "mrkit/resampling/rng.hpp"
#include "mrkit/summary_data.hpp"

#include <algorithm>
#include <initializer_list>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace mrkit {

// Scratch space of one thread for mode estimates: the FFT density for point estimates
// (R's own arithmetic) and the direct argmax for bootstrap replicates (the same grid point,
// see KdeArgmax).
struct ModeWorkspace {
  KdeWorkspace kde;
  KdeArgmax argmax;
  std::vector<double> work, w, r;
};

namespace detail {

// Modified Silverman bandwidth (Bickel): 0.9 min(sd, mad) / J^(1/5) times phi, floored
// at 1e-8 when `floor` (TwoSampleMR). bandwidth_base() is the part before phi.
inline double bandwidth_base(const double* r, int J, std::vector<double>& work) {
  return 0.9 * std::min(stats::sd(r, J), stats::mad(r, J, work)) / std::pow(static_cast<double>(J), 0.2);
}

// bandwidth_base() of a bootstrap replicate: the SD in double precision (R's long double
// sums change only its last bits), the MAD's two medians through the ranges they take in
// the other replicates (the same numbers, see stats::ReplicateRange); the medians are
// recorded in parts[0] and parts[1] for a pilot.
struct MadRanges {
  stats::ReplicateRange median, deviation;
};
inline double replicate_bandwidth_base(const double* r, int J, const MadRanges& ranges, std::vector<double>& work,
                                       double* parts) {
  stats::median_and_deviation(r, J, ranges.median, ranges.deviation, work, &parts[0], &parts[1]);
  return 0.9 * std::min(stats::sd_double(r, J), 1.4826 * parts[1]) / std::pow(static_cast<double>(J), 0.2);
}
// Ranges of the MAD's medians from pilot replicates' parts (stride 2).
inline MadRanges mad_ranges(const std::vector<double>& parts) {
  std::vector<double> med, dev;
  for (std::size_t i = 0; i + 1 < parts.size(); i += 2) { med.push_back(parts[i]); dev.push_back(parts[i + 1]); }
  return {stats::replicate_range(med), stats::replicate_range(dev)};
}
inline double bandwidth_for(double base, double phi, bool floor) {
  const double h = base * phi;
  return floor ? std::max(1e-8, h) : h;
}
inline double mode_bandwidth(const double* r, int J, double phi, bool floor, std::vector<double>& work) {
  return bandwidth_for(bandwidth_base(r, J, work), phi, floor);
}

inline bool all_finite(const double* w, int J) {
  for (int j = 0; j < J; ++j)
    if (!std::isfinite(w[j])) return false;
  return true;
}

// Mode of r with normalised weights w (sum 1) for bandwidth multiplier phi; NA when the
// bandwidth is not positive (no floor) or the weights are degenerate.
inline double mode_point(const double* r, const double* w, int J, double phi, const Params& p,
                         ModeWorkspace& ws) {
  const double h = mode_bandwidth(r, J, phi, p.mode_floor, ws.work);
  if (!(h > 0) || !std::isfinite(h) || !all_finite(w, J)) return NA;
  return ws.kde.mode(r, w, J, h, p.r_density_version);
}

// Standardised weights s^-2 / sum(s^-2) (s = 1 for the simple mode).
inline void mode_weights(const double* s, int J, std::vector<double>& w) {
  w.resize(J);
  long double tot = 0;
  for (int j = 0; j < J; ++j) { w[j] = std::pow(s[j], -2.0); tot += w[j]; }
  const double t = static_cast<double>(tot);
  for (int j = 0; j < J; ++j) w[j] /= t;
}

// Penalised weights against `theta` (the weighted mode): w_j min(1, penk P(chi2_1 >
// w_j (r_j - theta)^2)) with w_j = 1/se2_j^2, then standardised.
inline void penalised_mode_weights(const double* r, const double* se2, int J, double theta,
                                   double penk, std::vector<double>& w) {
  w.resize(J);
  long double tot = 0;
  for (int j = 0; j < J; ++j) {
    const double wj = 1.0 / (se2[j] * se2[j]);
    const double pen = p_chisq_upper(wj * (r[j] - theta) * (r[j] - theta), 1);
    w[j] = wj * std::min(1.0, pen * penk);
    tot += w[j];
  }
  const double t = static_cast<double>(tot);
  for (int j = 0; j < J; ++j) w[j] = t > 0 ? w[j] / t : NA;
}

// Reference distribution of the mode estimates' b / se: normal, or t(J - 1).
inline double mode_df(int J, PvalDist dist) { return dist == PvalDist::normal ? INFINITY : J - 1.0; }

inline std::string mode_data_problem(const SummaryData& d, const Params& p, const char* what) {
  std::string why = ratio_data_problem(d, 3, what);
  if (!why.empty()) return why;
  if (p.phi.empty()) return std::string(what) + ": no bandwidth multiplier phi given";
  const Vec s2 = d.ratio_se_second(p.cov);
  for (int j = 0; j < d.size(); ++j)
    if (!(s2[j] > 0) || !std::isfinite(s2[j]))
      return std::string(what) + ": second-order ratio SEs are not positive (check Cov)";
  return "";
}

}  // namespace detail

// Which of the mode estimators (TwoSampleMR's row names of mr_mode()).
enum class ModeKind { simple, weighted, penalised, simple_nome, weighted_nome };

// All mode estimates of mr_mode() for every phi, from one shared bootstrap: replicate b
// draws r*_j = r_j + se2_j z_j (j = 1..J) and then r**_j = r_j + se1_j z'_j from Rng(seed, b).
// Rows in TwoSampleMR's order: kinds (simple, weighted, penalised, simple NOME, weighted
// NOME), each for every phi. `kinds` selects which are computed (others are NA).
struct ModeTable {
  std::vector<ModeKind> kind;
  std::vector<double> phi, b, se, pval;
  double df = INFINITY;  // reference distribution of b / se (detail::mode_df)
  int nsnp = 0;
  std::string note;
};

inline ModeTable mode_table(const SummaryData& d, const Params& p, const std::vector<ModeKind>& kinds) {
  const int J = d.size();
  const int nphi = static_cast<int>(p.phi.size());
  const ModeKind all[5] = {ModeKind::simple, ModeKind::weighted, ModeKind::penalised,
                           ModeKind::simple_nome, ModeKind::weighted_nome};
  ModeTable t;
  t.nsnp = J;
  t.df = detail::mode_df(J, p.distribution);
  for (ModeKind k : all)
    for (int f = 0; f < nphi; ++f) { t.kind.push_back(k); t.phi.push_back(p.phi[f]); }
  const int rows = static_cast<int>(t.kind.size());
  t.b.assign(rows, NA); t.se.assign(rows, NA); t.pval.assign(rows, NA);
  t.note = detail::mode_data_problem(d, p, "the mode-based estimator");
  if (!t.note.empty()) return t;

  bool want[5] = {false, false, false, false, false};
  for (ModeKind k : kinds) want[static_cast<int>(k)] = true;
  if (want[2]) want[1] = true;  // the penalised mode is penalised against the weighted mode
  const bool need_se2_draws = want[0] || want[1] || want[2];
  const bool need_se1_draws = want[3] || want[4];

  const Vec rv = d.ratio();
  const Vec s2v = d.ratio_se_second(p.cov);
  const Vec s1v = d.ratio_se_first();
  const std::vector<double> r(rv.data(), rv.data() + J), se2(s2v.data(), s2v.data() + J),
      se1(s1v.data(), s1v.data() + J), ones(J, 1.0);
  std::vector<double> w_simple, w2, w1;
  detail::mode_weights(ones.data(), J, w_simple);
  detail::mode_weights(se2.data(), J, w2);
  detail::mode_weights(se1.data(), J, w1);

  // Estimates on one sample: x2 drawn with se2 (or the data), x1 with se1 (or the data).
  auto estimate_all = [&](const double* x2, const double* x1, ModeWorkspace& ws, double* out) {
    for (int f = 0; f < nphi; ++f) {
      const double phi = p.phi[f];
      if (want[0]) out[0 * nphi + f] = detail::mode_point(x2, w_simple.data(), J, phi, p, ws);
      if (want[1]) out[1 * nphi + f] = detail::mode_point(x2, w2.data(), J, phi, p, ws);
      if (want[2]) {
        const double theta = out[1 * nphi + f];
        if (std::isnan(theta)) {
          out[2 * nphi + f] = NA;
        } else {
          detail::penalised_mode_weights(x2, se2.data(), J, theta, p.penk, ws.w);
          out[2 * nphi + f] = detail::mode_point(x2, ws.w.data(), J, phi, p, ws);
        }
      }
      if (want[3]) out[3 * nphi + f] = detail::mode_point(x1, w_simple.data(), J, phi, p, ws);
      if (want[4]) out[4 * nphi + f] = detail::mode_point(x1, w1.data(), J, phi, p, ws);
    }
  };

  {
    ModeWorkspace ws;
    std::vector<double> point(rows, NA);
    estimate_all(r.data(), r.data(), ws, point.data());
    for (int i = 0; i < rows; ++i)
      if (want[static_cast<int>(t.kind[i])]) t.b[i] = point[i];
  }

  // Bootstrap: the points, their bandwidth and the density grid of a replicate are shared
  // by every kind drawn from them; each weight vector then needs only its own argmax.
  const int B = p.nboot;
  const bool simple_ok = detail::all_finite(w_simple.data(), J), w2_ok = detail::all_finite(w2.data(), J),
             w1_ok = detail::all_finite(w1.data(), J);
  std::vector<double> boot(static_cast<std::size_t>(B) * rows, NA);
  // The medians of each replicate's MAD (draws with se2, with se1), for the pilot.
  std::vector<double> mad_parts(static_cast<std::size_t>(B) * 4, NA);
  detail::MadRanges ranges2, ranges1;
  auto replicate = [&](int b) {
    thread_local ModeWorkspace ws;
    thread_local std::vector<double> x2, x1;
    x2.resize(J); x1.resize(J);
    Rng rng(p.seed, static_cast<std::uint64_t>(b));
    for (int j = 0; j < J; ++j) x2[j] = need_se2_draws ? rng.normal(r[j], se2[j]) : (rng.normal(), 0.0);
    if (need_se1_draws)
      for (int j = 0; j < J; ++j) x1[j] = rng.normal(r[j], se1[j]);
    double* out = boot.data() + static_cast<std::size_t>(b) * rows;
    double* parts = mad_parts.data() + static_cast<std::size_t>(b) * 4;
    const double base2 = need_se2_draws ? detail::replicate_bandwidth_base(x2.data(), J, ranges2, ws.work, parts) : NA;
    const double base1 = need_se1_draws ? detail::replicate_bandwidth_base(x1.data(), J, ranges1, ws.work, parts + 2) : NA;
    // The argmax of each wanted kind (slots into `out`, with weights) for one set of draws.
    auto modes_of = [&](const std::vector<double>& x, double base, double phi, int f,
                        std::initializer_list<std::pair<int, const std::vector<double>*>> kinds) {
      const double h = detail::bandwidth_for(base, phi, p.mode_floor);
      if (!(h > 0) || !std::isfinite(h)) return;
      ws.argmax.set_points(x.data(), J, h, p.r_density_version);
      for (const auto& k : kinds)
        if (want[k.first] && k.second) out[k.first * nphi + f] = ws.argmax.mode(k.second->data());
      if (&x == &x2 && want[2] && !std::isnan(out[1 * nphi + f])) {
        detail::penalised_mode_weights(x2.data(), se2.data(), J, out[1 * nphi + f], p.penk, ws.w);
        if (detail::all_finite(ws.w.data(), J)) out[2 * nphi + f] = ws.argmax.mode(ws.w.data());
      }
    };
    for (int f = 0; f < nphi; ++f) {
      if (need_se2_draws)
        modes_of(x2, base2, p.phi[f], f, {{0, simple_ok ? &w_simple : nullptr}, {1, w2_ok ? &w2 : nullptr}});
      if (need_se1_draws)
        modes_of(x1, base1, p.phi[f], f, {{3, simple_ok ? &w_simple : nullptr}, {4, w1_ok ? &w1 : nullptr}});
    }
  };
  // A pilot of replicates that look at every value, then the rest through the ranges that
  // the pilot's medians span.
  const int pilot = std::min(B, 32);
  parallel_for(pilot, p.threads, replicate);
  std::vector<double> parts2, parts1;
  for (int b = 0; b < pilot; ++b) {
    parts2.insert(parts2.end(), {mad_parts[4 * b], mad_parts[4 * b + 1]});
    parts1.insert(parts1.end(), {mad_parts[4 * b + 2], mad_parts[4 * b + 3]});
  }
  ranges2 = detail::mad_ranges(parts2);
  ranges1 = detail::mad_ranges(parts1);
  parallel_for(B - pilot, p.threads, [&](int i) { replicate(pilot + i); });

  std::vector<double> col(B), work;
  for (int i = 0; i < rows; ++i) {
    if (!want[static_cast<int>(t.kind[i])] || std::isnan(t.b[i])) continue;
    for (int b = 0; b < B; ++b) col[b] = boot[static_cast<std::size_t>(b) * rows + i];
    t.se[i] = stats::mad(col.data(), B, work);
    t.pval[i] = p_wald(t.b[i] / t.se[i], t.df);
  }
  for (int i = 0; i < rows; ++i)
    if (want[static_cast<int>(t.kind[i])] && std::isnan(t.b[i]) && t.note.empty())
      t.note = p.mode_floor ? "the mode is undefined for these data"
                            : "the mode bandwidth is zero (use the bandwidth floor)";
  return t;
}

// Row i of a mode table as an estimate.
inline Estimate mode_row(const ModeTable& t, int i) {
  Estimate e;
  e.nsnp = t.nsnp;
  e.note = t.note;
  e.df = t.df;
  if (i < static_cast<int>(t.b.size())) { e.b = t.b[i]; e.se = t.se[i]; e.pval = t.pval[i]; }
  return e;
}

// Several mode estimators (first phi) from one shared bootstrap: out[i] is the estimate of
// kinds[i], equal to that estimator's own result with the same seed (its replicates draw
// the same numbers whichever other kinds are computed alongside).
inline void mode_estimates(const SummaryData& d, const Params& p, const std::vector<ModeKind>& kinds,
                           Estimate* out) {
  Params q = p;
  if (!q.phi.empty()) q.phi.resize(1);
  const ModeTable t = mode_table(d, q, kinds);
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    out[i] = mode_row(t, static_cast<int>(kinds[i]));
    if (!std::isnan(out[i].b) && t.note.rfind("the mode", 0) == 0) out[i].note.clear();  // another kind's note
  }
}

namespace detail {
// One mode estimator (first phi) as an Estimate.
inline Estimate mode_estimate(const SummaryData& d, const Params& p, ModeKind kind) {
  Estimate e;
  mode_estimates(d, p, {kind}, &e);
  return e;
}
}  // namespace detail

// TwoSampleMR mr_simple_mode: unweighted mode; bootstrap draws with second-order SEs.
inline Estimate mr_simple_mode(const SummaryData& d, const Params& p) {
  return detail::mode_estimate(d, p, ModeKind::simple);
}
// TwoSampleMR mr_weighted_mode: weights and draws with second-order SEs.
inline Estimate mr_weighted_mode(const SummaryData& d, const Params& p) {
  return detail::mode_estimate(d, p, ModeKind::weighted);
}
// Penalised mode (row "Penalised mode" of TwoSampleMR mr_mode).
inline Estimate mr_penalised_mode(const SummaryData& d, const Params& p) {
  return detail::mode_estimate(d, p, ModeKind::penalised);
}
// TwoSampleMR mr_simple_mode_nome: unweighted mode; draws with first-order SEs.
inline Estimate mr_simple_mode_nome(const SummaryData& d, const Params& p) {
  return detail::mode_estimate(d, p, ModeKind::simple_nome);
}
// TwoSampleMR mr_weighted_mode_nome: weights and draws with first-order SEs.
inline Estimate mr_weighted_mode_nome(const SummaryData& d, const Params& p) {
  return detail::mode_estimate(d, p, ModeKind::weighted_nome);
}

}  // namespace mrkit
