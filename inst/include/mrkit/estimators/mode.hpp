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
#include "mrkit/resampling/shared_draws.hpp"
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
  std::vector<double> work, w;
};

namespace detail {

// Modified Silverman bandwidth (Bickel): 0.9 min(sd, mad) / J^(1/5) times phi, floored
// at 1e-8 when `floor` (TwoSampleMR). bandwidth_base() is the part before phi.
inline double silverman_base(double sd, double mad, int J) {
  return 0.9 * std::min(sd, mad) / std::pow(static_cast<double>(J), 0.2);
}
inline double bandwidth_base(const double* r, int J, std::vector<double>& work) {
  return silverman_base(stats::sd(r, J), stats::mad(r, J, work), J);
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
  return silverman_base(stats::sd_double(r, J), 1.4826 * parts[1], J);
}
// Ranges of the MAD's medians from the parts recorded by `pilot` replicates, each
// replicate's at parts[stride * b] (median) and parts[stride * b + 1] (deviation).
inline MadRanges mad_ranges(const double* parts, int pilot, int stride) {
  std::vector<double> med, dev;
  for (int b = 0; b < pilot; ++b) {
    med.push_back(parts[stride * b]);
    dev.push_back(parts[stride * b + 1]);
  }
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

// A mode table up to its bootstrap (the point estimates), the bootstrap on shared draws
// (resampling/shared_draws.hpp: replicate b takes r* = r + se2 z1 and, for the NOME kinds,
// r + se1 z2), and the table with its SEs (finish()).
class ModeBootstrap : public ReplicateTask {
 public:
  ModeBootstrap(const SummaryData& d, const Params& p, const std::vector<ModeKind>& kinds)
      : p_(p), J_(d.size()), nphi_(static_cast<int>(p.phi.size())) {
    const ModeKind all[5] = {ModeKind::simple, ModeKind::weighted, ModeKind::penalised,
                             ModeKind::simple_nome, ModeKind::weighted_nome};
    t_.nsnp = J_;
    t_.df = detail::mode_df(J_, p.distribution);
    for (ModeKind k : all)
      for (int f = 0; f < nphi_; ++f) { t_.kind.push_back(k); t_.phi.push_back(p.phi[f]); }
    rows_ = static_cast<int>(t_.kind.size());
    t_.b.assign(rows_, NA); t_.se.assign(rows_, NA); t_.pval.assign(rows_, NA);
    t_.note = detail::mode_data_problem(d, p, "the mode-based estimator");
    if (!t_.note.empty()) return;

    for (ModeKind k : kinds) want_[static_cast<int>(k)] = true;
    if (want_[2]) want_[1] = true;  // the penalised mode is penalised against the weighted mode
    need_se2_draws_ = want_[0] || want_[1] || want_[2];
    need_se1_draws_ = want_[3] || want_[4];

    const Vec rv = d.ratio();
    const Vec s2v = d.ratio_se_second(p.cov);
    const Vec s1v = d.ratio_se_first();
    r_.assign(rv.data(), rv.data() + J_);
    se2_.assign(s2v.data(), s2v.data() + J_);
    se1_.assign(s1v.data(), s1v.data() + J_);
    const std::vector<double> ones(J_, 1.0);
    detail::mode_weights(ones.data(), J_, w_simple_);
    detail::mode_weights(se2_.data(), J_, w2_);
    detail::mode_weights(se1_.data(), J_, w1_);
    simple_ok_ = detail::all_finite(w_simple_.data(), J_);
    w2_ok_ = detail::all_finite(w2_.data(), J_);
    w1_ok_ = detail::all_finite(w1_.data(), J_);

    // Point estimates: the data for both sets of draws.
    ModeWorkspace ws;
    std::vector<double> point(rows_, NA);
    for (int f = 0; f < nphi_; ++f) {
      const double phi = p.phi[f];
      const double* x = r_.data();
      if (want_[0]) point[0 * nphi_ + f] = detail::mode_point(x, w_simple_.data(), J_, phi, p, ws);
      if (want_[1]) point[1 * nphi_ + f] = detail::mode_point(x, w2_.data(), J_, phi, p, ws);
      if (want_[2]) {
        const double theta = point[1 * nphi_ + f];
        if (!std::isnan(theta)) {
          detail::penalised_mode_weights(x, se2_.data(), J_, theta, p.penk, ws.w);
          point[2 * nphi_ + f] = detail::mode_point(x, ws.w.data(), J_, phi, p, ws);
        }
      }
      if (want_[3]) point[3 * nphi_ + f] = detail::mode_point(x, w_simple_.data(), J_, phi, p, ws);
      if (want_[4]) point[4 * nphi_ + f] = detail::mode_point(x, w1_.data(), J_, phi, p, ws);
    }
    for (int i = 0; i < rows_; ++i)
      if (want_[static_cast<int>(t_.kind[i])]) t_.b[i] = point[i];
    boot_.assign(static_cast<std::size_t>(p.nboot) * rows_, NA);
    mad_parts_.assign(static_cast<std::size_t>(p.nboot) * 4, NA);
  }

  // Whether the bootstrap is to run (else finish() gives the table with its note).
  bool wanted() const { return t_.note.empty(); }
  bool needs_z2() const override { return need_se1_draws_; }

  // Replicate b: the points, their bandwidth and the density grid of a set of draws are
  // shared by every kind drawn from them; each weight vector then needs only its own argmax.
  void replicate(int b, const double* z1, const double* z2) override {
    thread_local ModeWorkspace ws;
    thread_local std::vector<double> x2, x1;
    const int J = J_;
    x2.resize(J); x1.resize(J);
    if (need_se2_draws_)
      for (int j = 0; j < J; ++j) x2[j] = r_[j] + se2_[j] * z1[j];
    if (need_se1_draws_)
      for (int j = 0; j < J; ++j) x1[j] = r_[j] + se1_[j] * z2[j];
    double* out = boot_.data() + static_cast<std::size_t>(b) * rows_;
    double* parts = mad_parts_.data() + static_cast<std::size_t>(b) * 4;
    const double base2 = need_se2_draws_ ? detail::replicate_bandwidth_base(x2.data(), J, ranges2_, ws.work, parts) : NA;
    const double base1 = need_se1_draws_ ? detail::replicate_bandwidth_base(x1.data(), J, ranges1_, ws.work, parts + 2) : NA;
    // The argmax of each wanted kind (slots into `out`, with weights) for one set of draws.
    auto modes_of = [&](const std::vector<double>& x, double base, double phi, int f,
                        std::initializer_list<std::pair<int, const std::vector<double>*>> kinds) {
      const double h = detail::bandwidth_for(base, phi, p_.mode_floor);
      if (!(h > 0) || !std::isfinite(h)) return;
      ws.argmax.set_points(x.data(), J, h, p_.r_density_version);
      for (const auto& k : kinds)
        if (want_[k.first] && k.second) out[k.first * nphi_ + f] = ws.argmax.mode(k.second->data());
      if (&x == &x2 && want_[2] && !std::isnan(out[1 * nphi_ + f])) {
        detail::penalised_mode_weights(x2.data(), se2_.data(), J, out[1 * nphi_ + f], p_.penk, ws.w);
        if (detail::all_finite(ws.w.data(), J)) out[2 * nphi_ + f] = ws.argmax.mode(ws.w.data());
      }
    };
    for (int f = 0; f < nphi_; ++f) {
      if (need_se2_draws_)
        modes_of(x2, base2, p_.phi[f], f, {{0, simple_ok_ ? &w_simple_ : nullptr}, {1, w2_ok_ ? &w2_ : nullptr}});
      if (need_se1_draws_)
        modes_of(x1, base1, p_.phi[f], f, {{3, simple_ok_ ? &w_simple_ : nullptr}, {4, w1_ok_ ? &w1_ : nullptr}});
    }
  }

  // The other replicates look for their MAD's medians within the ranges the pilot's medians span.
  void after_pilot(int pilot) override {
    ranges2_ = detail::mad_ranges(mad_parts_.data(), pilot, 4);
    ranges1_ = detail::mad_ranges(mad_parts_.data() + 2, pilot, 4);
  }

  // The table: SE = MAD of the replicates.
  ModeTable finish() {
    ModeTable t = t_;
    const int B = p_.nboot;
    if (t.note.empty()) {
      std::vector<double> col(B), work;
      for (int i = 0; i < rows_; ++i) {
        if (!want_[static_cast<int>(t.kind[i])] || std::isnan(t.b[i])) continue;
        for (int b = 0; b < B; ++b) col[b] = boot_[static_cast<std::size_t>(b) * rows_ + i];
        t.se[i] = stats::mad(col.data(), B, work);
        t.pval[i] = p_wald(t.b[i] / t.se[i], t.df);
      }
      for (int i = 0; i < rows_; ++i)
        if (want_[static_cast<int>(t.kind[i])] && std::isnan(t.b[i]) && t.note.empty())
          t.note = p_.mode_floor ? "the mode is undefined for these data"
                                 : "the mode bandwidth is zero (use the bandwidth floor)";
    }
    return t;
  }

 private:
  Params p_;
  int J_, nphi_, rows_ = 0;
  ModeTable t_;
  bool want_[5] = {false, false, false, false, false};
  bool need_se2_draws_ = false, need_se1_draws_ = false;
  bool simple_ok_ = false, w2_ok_ = false, w1_ok_ = false;
  std::vector<double> r_, se2_, se1_, w_simple_, w2_, w1_;
  std::vector<double> boot_;       // replicate-major, rows_ per replicate
  std::vector<double> mad_parts_;  // each replicate's MAD medians (draws with se2, with se1), for the pilot
  detail::MadRanges ranges2_, ranges1_;
};

inline ModeTable mode_table(const SummaryData& d, const Params& p, const std::vector<ModeKind>& kinds) {
  ModeBootstrap m(d, p, kinds);
  if (m.wanted()) run_shared_draws({&m}, d.size(), p.nboot, p.seed, p.threads);
  return m.finish();
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
// The estimates of `kinds` (first phi) in a table computed for them, with another kind's
// note cleared from a row that has an estimate.
inline void mode_rows(const ModeTable& t, const std::vector<ModeKind>& kinds, Estimate* out) {
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    out[i] = mode_row(t, static_cast<int>(kinds[i]));
    if (!std::isnan(out[i].b) && t.note.rfind("the mode", 0) == 0) out[i].note.clear();
  }
}
inline Params first_phi(Params p) {
  if (!p.phi.empty()) p.phi.resize(1);
  return p;
}

inline void mode_estimates(const SummaryData& d, const Params& p, const std::vector<ModeKind>& kinds,
                           Estimate* out) {
  mode_rows(mode_table(d, first_phi(p), kinds), kinds, out);
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
