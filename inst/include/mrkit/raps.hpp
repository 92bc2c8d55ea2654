// MR-RAPS: robust adjusted profile score (methods.md 4.9). Estimating equations in
// (beta, tau^2) solved by damped Newton from several starts (the l2 and Huber profile fits
// and random perturbations drawn from Rng(Params.seed)), sandwich standard error. With
// shrinkage the profile estimates of the SNP-exposure effects are replaced by their
// posterior means under a two-component normal scale mixture fitted to bx / sx.
#pragma once
#include "distributions.hpp"
#include "estimate.hpp"
#include "params.hpp"
#include "rng.hpp"
#include "summary_data.hpp"

#include <algorithm>
#include <array>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <vector>

namespace mrkit {

// Derivatives of the loss: psi = rho', dpsi = rho''.
struct RapsLoss {
  LossFunction kind = LossFunction::l2;
  double k = 0;
  explicit RapsLoss(LossFunction f) : kind(f) {
    k = f == LossFunction::huber ? 1.345 : (f == LossFunction::tukey ? 4.685 : 0.0);
  }
  double rho(double t) const {
    switch (kind) {
      case LossFunction::l2: return t * t / 2;
      case LossFunction::huber: return std::fabs(t) <= k ? t * t / 2 : k * (std::fabs(t) - k / 2);
      default: {
        const double u = 1 - (t / k) * (t / k);
        return std::fabs(t) <= k ? 1 - u * u * u : 1.0;
      }
    }
  }
  double psi(double t) const {
    switch (kind) {
      case LossFunction::l2: return t;
      case LossFunction::huber: return std::fabs(t) <= k ? t : (t > 0 ? k : -k);
      default: {
        if (std::fabs(t) > k) return 0.0;
        const double u = 1 - (t / k) * (t / k);
        return t * u * u;
      }
    }
  }
  double dpsi(double t) const {
    switch (kind) {
      case LossFunction::l2: return 1.0;
      case LossFunction::huber: return std::fabs(t) <= k ? 1.0 : 0.0;
      default: {
        const double s = (t / k) * (t / k);
        return s < 1 ? (1 - s) * (1 - 5 * s) : 0.0;
      }
    }
  }
};

// delta = E[Z psi(Z)], c1 = E[psi^2], c2 = E[Z^2 psi^2] - delta^2, c3 = E[Z^2 psi'(Z)].
struct RapsConstants { double delta, c1, c2, c3; };

inline RapsConstants raps_constants(const RapsLoss& L) {
  if (L.kind == LossFunction::l2) return {1.0, 1.0, 2.0, 1.0};
  const double k = L.k;
  const double phi = std::exp(-k * k / 2) / std::sqrt(2 * M_PI);
  const double Phi = 1 - 0.5 * std::erfc(k / std::sqrt(2.0));
  const double inner = 2 * Phi - 1;  // P(|Z| <= k)
  if (L.kind == LossFunction::huber) {
    const double ez2_in = inner - 2 * k * phi;
    const double ez4_in = 3 * inner - 2 * (k * k * k + 3 * k) * phi;
    const double ez2_out = 2 * (1 - Phi) + 2 * k * phi;
    const double delta = inner;
    return {delta, ez2_in + 2 * k * k * (1 - Phi), ez4_in + k * k * ez2_out - delta * delta,
            ez2_in};
  }
  // Tukey: psi vanishes outside [-k, k]; smooth integrands there.
  using Q = boost::math::quadrature::gauss_kronrod<double, 61>;
  auto dn = [](double z) { return std::exp(-z * z / 2) / std::sqrt(2 * M_PI); };
  const double delta = Q::integrate([&](double z) { return z * L.psi(z) * dn(z); }, -k, k, 15, 1e-14);
  const double c1 = Q::integrate([&](double z) { return L.psi(z) * L.psi(z) * dn(z); }, -k, k, 15, 1e-14);
  const double m2 = Q::integrate([&](double z) { return z * z * L.psi(z) * L.psi(z) * dn(z); }, -k, k, 15, 1e-14);
  const double c3 = Q::integrate([&](double z) { return z * z * L.dpsi(z) * dn(z); }, -k, k, 15, 1e-14);
  return {delta, c1, m2 - delta * delta, c3};
}

// Two-component normal scale mixture prior of the standardised SNP-exposure effects,
// gamma / sx ~ sum_k p_k N(0, sigma_k^2), observed as z = bx / sx ~ N(gamma / sx, 1).
struct RapsPrior { std::array<double, 2> p{0.5, 0.5}, sigma{1, 1}; bool fitted = false; };

// Maximum likelihood of the mixture under the box constraints p in [0.01, 0.99],
// sigma >= 0.01, by EM from `ntry` random starts (Rng(seed, 1000 + try)); the best
// likelihood wins.
inline RapsPrior raps_fit_prior(const Vec& z, std::uint64_t seed, int ntry = 20) {
  const int J = static_cast<int>(z.size());
  RapsPrior best;
  double best_ll = -INFINITY;
  for (int tr = 0; tr < ntry; ++tr) {
    Rng rng(seed, 1000 + tr);
    double p0 = rng.uniform();
    p0 = std::min(0.99, std::max(0.01, p0));
    std::array<double, 2> p{p0, 1 - p0}, s2{0.01, std::pow(-2 * std::log(rng.uniform()), 2)};
    s2[1] = std::max(s2[1], 1e-4);
    double ll_old = -INFINITY, ll = -INFINITY;
    for (int it = 0; it < 2000; ++it) {
      std::array<double, 2> sw{0, 0}, swz{0, 0};
      ll = 0;
      for (int j = 0; j < J; ++j) {
        double d[2];
        for (int c = 0; c < 2; ++c) {
          const double v = s2[c] + 1;
          d[c] = p[c] * std::exp(-z[j] * z[j] / (2 * v)) / std::sqrt(2 * M_PI * v);
        }
        const double tot = d[0] + d[1];
        ll += std::log(tot);
        for (int c = 0; c < 2; ++c) {
          const double r = tot > 0 ? d[c] / tot : 0.5;
          sw[c] += r;
          swz[c] += r * z[j] * z[j];
        }
      }
      for (int c = 0; c < 2; ++c) {
        p[c] = std::min(0.99, std::max(0.01, sw[c] / J));
        const double v = sw[c] > 0 ? swz[c] / sw[c] : 1.0;
        s2[c] = std::max(1e-4, v - 1);
      }
      const double ps = p[0] + p[1];
      p[0] /= ps; p[1] /= ps;
      if (std::fabs(ll - ll_old) < 1e-10 * (1 + std::fabs(ll))) break;
      ll_old = ll;
    }
    if (ll > best_ll) {
      best_ll = ll;
      best.p = p;
      best.sigma = {std::sqrt(s2[0]), std::sqrt(s2[1])};
      best.fitted = true;
    }
  }
  return best;
}

// Posterior mean of the standardised effect given z ~ N(g, s^2) and the prior, and its
// derivative in z.
inline void raps_posterior_mean(const RapsPrior& pr, double z, double s, double& m, double& dm) {
  double num = 0, den = 0, dnum = 0, dden = 0;
  for (int c = 0; c < 2; ++c) {
    const double sp2 = pr.sigma[c] * pr.sigma[c];
    const double v = s * s + sp2;
    const double mt = (z / (s * s)) / (1 / (s * s) + 1 / sp2);
    const double dmt = (1 / (s * s)) / (1 / (s * s) + 1 / sp2);
    const double pt = pr.p[c] * std::exp(-z * z / (2 * v)) / std::sqrt(2 * M_PI * v);
    const double dpt = -pt * z / v;
    num += pt * mt; den += pt; dnum += dpt * mt + pt * dmt; dden += dpt;
  }
  if (!(den > 0)) { m = 0; dm = 0; return; }
  m = num / den;
  dm = dnum / den - num * dden / (den * den);
}

struct RapsFit {
  double beta = NA, se = NA, tau2 = 0, tau2_se = 0;
  bool over_dispersion = false;
  bool converged = false;
  std::vector<double> t;  // standardised residuals at the solution
  std::string note;
};

class RapsProblem {
 public:
  RapsProblem(const SummaryData& d, LossFunction loss, bool shrink, const RapsPrior& prior)
      : d_(d), L_(loss), C_(raps_constants(L_)), shrink_(shrink), prior_(prior) {}

  const RapsConstants& constants() const { return C_; }
  const RapsLoss& loss() const { return L_; }

  // gamma-hat and its partial derivatives in beta and tau2 (the latter two as in mr.raps:
  // the beta-derivative takes the numerator only).
  void gamma(double beta, double tau2, int j, double& g, double& gb, double& gt) const {
    const double sx2 = d_.sx[j] * d_.sx[j], s2 = d_.sy[j] * d_.sy[j] + tau2;
    const double den = 1 / sx2 + beta * beta / s2;
    const double gm = (d_.bx[j] / sx2 + beta * d_.by[j] / s2) / den;
    gb = (d_.by[j] / s2) / den;
    gt = -beta * d_.by[j] / (s2 * s2) / den;
    if (!shrink_) { g = gm; return; }
    const double sd = std::sqrt(1 / (1 + beta * beta * sx2 / s2));
    double m, dm;
    raps_posterior_mean(prior_, gm / d_.sx[j], sd, m, dm);
    g = m * d_.sx[j];
    gb *= dm;
    gt *= dm;
  }

  // psi1 (and psi2 with over-dispersion).
  std::array<double, 2> score(double beta, double tau2, bool od) const {
    double s1 = 0, s2 = 0;
    for (int j = 0; j < d_.size(); ++j) {
      const double v = beta * beta * d_.sx[j] * d_.sx[j] + d_.sy[j] * d_.sy[j] + tau2;
      const double t = (d_.by[j] - beta * d_.bx[j]) / std::sqrt(v);
      double g, gb, gt;
      gamma(beta, tau2, j, g, gb, gt);
      s1 += g * L_.psi(t) / std::sqrt(v);
      if (od) s2 += (t * L_.psi(t) - C_.delta) / v;
    }
    return {s1, s2};
  }

  double robust_loss(double beta, double tau2, const std::vector<int>& use) const {
    double s = 0;
    for (int j : use) {
      const double v = beta * beta * d_.sx[j] * d_.sx[j] + d_.sy[j] * d_.sy[j] + tau2;
      s += L_.rho((d_.by[j] - beta * d_.bx[j]) / std::sqrt(v));
    }
    return s;
  }

  // Sandwich variance of (beta, tau2).
  void sandwich(double beta, double tau2, bool od, double& se, double& tau2_se) const {
    double a1 = 0, a2 = 0, b11 = 0, b12 = 0;
    for (int j = 0; j < d_.size(); ++j) {
      const double v = beta * beta * d_.sx[j] * d_.sx[j] + d_.sy[j] * d_.sy[j] + tau2;
      const double sv = std::sqrt(v);
      const double t = (d_.by[j] - beta * d_.bx[j]) / sv;
      double g, gb, gt;
      gamma(beta, tau2, j, g, gb, gt);
      a1 += g * g / v;
      a2 += 1 / (v * v);
      b11 += (gb * L_.psi(t) - g * C_.delta * d_.bx[j] / sv) / sv;
      b12 += gt * L_.psi(t) / sv;
    }
    const double V11 = C_.c1 * a1;
    if (!od) {
      se = std::sqrt(V11) / std::fabs(b11);
      tau2_se = 0;
      return;
    }
    const double V22 = C_.c2 * a2, b22 = (C_.delta + C_.c3) / 2 * a2;
    // V2 = [[b11, b12], [0, b22]]; Var = V2^-1 diag(V11, V22) V2^-T.
    const double i11 = 1 / b11, i12 = -b12 / (b11 * b22), i22 = 1 / b22;
    se = std::sqrt(i11 * i11 * V11 + i12 * i12 * V22);
    tau2_se = std::sqrt(i22 * i22 * V22);
  }

  const SummaryData& data() const { return d_; }

 private:
  const SummaryData& d_;
  RapsLoss L_;
  RapsConstants C_;
  bool shrink_;
  RapsPrior prior_;
};

namespace raps_detail {

inline double quantile7(std::vector<double> x, double p) {
  std::sort(x.begin(), x.end());
  const double h = (x.size() - 1) * p;
  const std::size_t lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, x.size() - 1);
  return x[lo] + (h - lo) * (x[hi] - x[lo]);
}

inline double median(std::vector<double> x) { return quantile7(std::move(x), 0.5); }

template <class F>
double argmin(F f, double lo, double hi) {
  return boost::math::tools::brent_find_minima(f, lo, hi, 52).first;
}

// Damped Newton on the estimating equations from (beta, tau2); numerical Jacobian.
inline bool newton(const RapsProblem& P, bool od, double& beta, double& tau2, double tau_scale) {
  auto merit = [&](double b, double t2, double sc1, double sc2) {
    const auto s = P.score(b, t2, od);
    return (s[0] / sc1) * (s[0] / sc1) + (od ? (s[1] / sc2) * (s[1] / sc2) : 0.0);
  };
  auto s = P.score(beta, tau2, od);
  const double sc1 = std::max(1e-300, std::fabs(s[0]) + 1.0), sc2 = std::max(1e-300, std::fabs(s[1]) + 1.0);
  for (int it = 0; it < 200; ++it) {
    s = P.score(beta, tau2, od);
    if (!std::isfinite(s[0]) || !std::isfinite(s[1])) return false;
    const double hb = 1e-7 * std::max(std::fabs(beta), 1e-3);
    const auto sbp = P.score(beta + hb, tau2, od), sbm = P.score(beta - hb, tau2, od);
    double J11 = (sbp[0] - sbm[0]) / (2 * hb), J21 = (sbp[1] - sbm[1]) / (2 * hb);
    double db, dt = 0;
    if (od) {
      const double ht = 1e-7 * std::max(std::fabs(tau2), tau_scale);
      const auto stp = P.score(beta, tau2 + ht, od), stm = P.score(beta, tau2 - ht, od);
      const double J12 = (stp[0] - stm[0]) / (2 * ht), J22 = (stp[1] - stm[1]) / (2 * ht);
      const double det = J11 * J22 - J12 * J21;
      if (!(std::fabs(det) > 0) || !std::isfinite(det)) return false;
      db = (J22 * s[0] - J12 * s[1]) / det;
      dt = (-J21 * s[0] + J11 * s[1]) / det;
    } else {
      if (!(std::fabs(J11) > 0) || !std::isfinite(J11)) return false;
      db = s[0] / J11;
    }
    const double m0 = merit(beta, tau2, sc1, sc2);
    double step = 1.0, nb = beta, nt = tau2;
    for (int h = 0; h < 40; ++h) {
      nb = beta - step * db;
      nt = tau2 - step * dt;
      const double m1 = merit(nb, nt, sc1, sc2);
      if (std::isfinite(m1) && m1 <= m0) break;
      step /= 2;
    }
    const bool small = std::fabs(nb - beta) <= 1e-13 * (1 + std::fabs(beta)) &&
                       std::fabs(nt - tau2) <= 1e-13 * (tau_scale + std::fabs(tau2));
    beta = nb;
    tau2 = nt;
    if (small) return std::isfinite(beta);
  }
  const auto fin = P.score(beta, tau2, od);
  return std::fabs(fin[0]) < 1e-8 * sc1 && (!od || std::fabs(fin[1]) < 1e-8 * sc2);
}

// Profile fit used as a start and as the reference root: beta minimising the loss for fixed
// tau2, alternating with tau2 solving the second estimating equation (over-dispersion),
// on variants whose sx is at most 10 times the median sx.
inline void profile_start(const SummaryData& d, LossFunction loss, bool od, double& beta, double& tau2) {
  const int J = d.size();
  std::vector<double> sxv(d.sx.data(), d.sx.data() + J), ar(J), sy2(J);
  for (int j = 0; j < J; ++j) { ar[j] = std::fabs(d.by[j] / d.bx[j]); sy2[j] = d.sy[j] * d.sy[j]; }
  const double msx = median(sxv);
  std::vector<int> use;
  for (int j = 0; j < J; ++j) if (d.sx[j] <= 10 * msx && std::isfinite(ar[j])) use.push_back(j);
  if (use.empty()) for (int j = 0; j < J; ++j) use.push_back(j);
  std::vector<double> aru;
  for (int j : use) aru.push_back(ar[j]);
  const RapsProblem P(d, loss, false, RapsPrior());
  double bb = std::max(1e-8, (od ? 10.0 : 2.0) * quantile7(aru, 0.95));
  tau2 = 0;
  auto fit_beta = [&](double t2) {
    double b = argmin([&](double x) { return P.robust_loss(x, t2, use); }, -bb, bb);
    for (int e = 0; e < 20 && std::fabs(b) > 0.95 * bb; ++e) {
      bb *= 2;
      b = argmin([&](double x) { return P.robust_loss(x, t2, use); }, -bb, bb);
    }
    return b;
  };
  beta = fit_beta(0.0);
  if (!od) return;
  const double tb = 100 * quantile7(sy2, 0.95);
  const double delta = P.constants().delta;
  const RapsLoss L(loss);
  // Second estimating equation at fixed beta: positive at tau2 = 0 when the data are
  // over-dispersed, and its smallest root is the tau2 of the profile fit.
  auto psi2 = [&](double t2) {
    double s = 0;
    for (int j : use) {
      const double v = beta * beta * d.sx[j] * d.sx[j] + d.sy[j] * d.sy[j] + t2;
      const double t = (d.by[j] - beta * d.bx[j]) / std::sqrt(v);
      s += (t * L.psi(t) - delta) / v;
    }
    return s;
  };
  auto solve_tau2 = [&]() {
    if (!(psi2(0.0) > 0)) return 0.0;
    double lo = 0, hi = tb / 1024;
    while (psi2(hi) > 0 && hi < tb) { lo = hi; hi *= 2; }
    if (psi2(hi) > 0) return tb;
    for (int k = 0; k < 200 && hi - lo > 1e-15 * (1 + hi); ++k) {
      const double mid = (lo + hi) / 2;
      (psi2(mid) > 0 ? lo : hi) = mid;
    }
    return (lo + hi) / 2;
  };
  for (int it = 0; it < 20; ++it) {
    const double b_old = beta, t_old = tau2;
    tau2 = solve_tau2();
    beta = fit_beta(tau2);
    if (std::fabs(b_old - beta) / std::fabs(beta + 1e-10) +
            std::fabs(t_old - tau2) / std::fabs(tau2 + 1e-10) <= 1.5e-8)
      break;
  }
}

}  // namespace raps_detail

// Full RAPS fit with the given settings; `seed` drives the random starts and the prior fit.
inline RapsFit raps_fit(const SummaryData& d, bool over_dispersion, LossFunction loss,
                        bool shrinkage, std::uint64_t seed, int num_init = 10) {
  using namespace raps_detail;
  RapsFit out;
  const int J = d.size();
  Vec z = d.bx.cwiseQuotient(d.sx);
  RapsPrior prior;
  if (shrinkage) prior = raps_fit_prior(z, seed);
  const RapsProblem P(d, loss, shrinkage, prior);
  std::vector<double> sy(d.sy.data(), d.sy.data() + J), sy2(J);
  for (int j = 0; j < J; ++j) sy2[j] = sy[j] * sy[j];
  const double tau_scale = median(sy2);
  const double tau_cap = 10 * median(sy);

  double b_l2, t_l2, b_hub, t_hub, b_ref, t_ref;
  profile_start(d, LossFunction::l2, over_dispersion, b_l2, t_l2);
  profile_start(d, LossFunction::huber, over_dispersion, b_hub, t_hub);
  if (loss == LossFunction::l2) { b_ref = b_l2; t_ref = t_l2; }
  else if (loss == LossFunction::huber) { b_ref = b_hub; t_ref = t_hub; }
  else profile_start(d, loss, over_dispersion, b_ref, t_ref);

  std::vector<std::array<double, 2>> starts = {{b_l2, t_l2}, {b_hub, t_hub}};
  if (loss == LossFunction::tukey) starts.push_back({b_ref, t_ref});
  Rng rng(seed, 0);
  while (static_cast<int>(starts.size()) < num_init) {
    const double sgn = rng.uniform() < 0.5 ? -1.0 : 1.0;
    const double e = -std::log(rng.uniform());
    starts.push_back({b_l2 + sgn * std::fabs(b_l2) * e, t_l2});
  }
  double best_dist = INFINITY, bb = NA, bt = NA;
  for (const auto& s : starts) {
    double b = s[0], t2 = over_dispersion ? s[1] : 0.0;
    if (!newton(P, over_dispersion, b, t2, tau_scale)) continue;
    if (over_dispersion && t2 > tau_cap) continue;
    const double dist = std::fabs(b - b_ref);
    if (dist < best_dist) { best_dist = dist; bb = b; bt = t2; }
  }
  if (std::isnan(bb)) {
    if (over_dispersion) {
      RapsFit f = raps_fit(d, false, loss, shrinkage, seed, num_init);
      f.note = "no root with finite over-dispersion; refitted with tau2 = 0";
      return f;
    }
    out.note = "the RAPS estimating equations have no root from any start";
    return out;
  }
  if (over_dispersion && bt < 0) {
    RapsFit f = raps_fit(d, false, loss, shrinkage, seed, num_init);
    f.note = "estimated over-dispersion is negative; refitted with tau2 = 0";
    return f;
  }
  out.beta = bb;
  out.tau2 = over_dispersion ? bt : 0.0;
  out.over_dispersion = over_dispersion;
  out.converged = true;
  P.sandwich(out.beta, out.tau2, over_dispersion, out.se, out.tau2_se);
  out.t.resize(J);
  for (int j = 0; j < J; ++j) {
    const double v = out.beta * out.beta * d.sx[j] * d.sx[j] + d.sy[j] * d.sy[j] + out.tau2;
    out.t[j] = (d.by[j] - out.beta * d.bx[j]) / std::sqrt(v);
  }
  return out;
}

// TwoSampleMR mr_raps: settings from Params (over.dispersion, loss.function, shrinkage),
// z p-value; needs at least 3 variants (2 with over-dispersion off would leave no
// information on the sandwich variance).
inline Estimate mr_raps(const SummaryData& d, const Params& p) {
  const int J = d.size();
  if (J < 3) return not_estimable(J, "MR-RAPS needs at least 3 variants");
  if ((d.bx.array() == 0).all()) return not_estimable(J, "all SNP-exposure effects are zero");
  const RapsFit f = raps_fit(d, p.over_dispersion, p.loss, p.shrinkage, p.seed);
  Estimate e;
  e.nsnp = J;
  e.note = f.note;
  if (!f.converged || !std::isfinite(f.se)) {
    if (e.note.empty()) e.note = "MR-RAPS did not converge";
    return e;
  }
  e.b = f.beta;
  e.se = f.se;
  e.pval = p_normal(e.b / e.se);
  e.add("tau2", f.tau2);
  e.add("tau2_se", f.tau2_se);
  return e;
}

}  // namespace mrkit
