// MR-RAPS: robust adjusted profile score (methods.md 4.9), computed as mr.raps 0.4.2 does
// for TwoSampleMR's mr_raps(): mr.raps' profile fits (same search intervals, same order of
// the alternating steps, same minimiser and zero finder) give the starting values and the
// reference; the estimating equations in (beta, tau^2) are solved by Newton's method from
// those and from random perturbations drawn from Rng(Params.seed); the genuine root closest
// to the reference is reported with its sandwich standard error. A fit without such a root
// is reported as not converged, never as a number. With shrinkage the profile estimates of
// the SNP-exposure effects are replaced by their posterior means under a two-component
// normal scale mixture fitted to bx / sx.
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/params.hpp"
#include "mrkit/resampling/rng.hpp"
#include "mrkit/summary_data.hpp"

#include <algorithm>
#include <array>
#include <cfloat>
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

// delta = E[Z psi(Z)], c1 = E[psi^2], c2 = E[Z^2 psi^2] - delta^2, c3 = E[Z^2 psi'(Z)] for
// Z ~ N(0, 1). mr.raps obtains them by R's integrate() over the real line at its default
// tolerance, and for Huber's loss (whose psi' jumps at +-k) those values differ from the
// closed forms by up to 6e-5 (c3). Parity with mr.raps, which TwoSampleMR's numbers carry,
// needs its values; they are used here to 17 digits (Huber k = 1.345, Tukey k = 4.685).
// Closed forms for Huber, for reference: delta = P(|Z| <= k), c3 = delta - 2 k phi(k).
struct RapsConstants { double delta, c1, c2, c3; };

inline RapsConstants raps_constants(const RapsLoss& L) {
  switch (L.kind) {
    case LossFunction::l2: return {1.0, 1.0, 2.0, 1.0};
    case LossFunction::huber:
      return {0.82137515024691332, 0.71016463315351297, 0.8095628691869966, 0.38704932956739718};
    default:
      return {0.75777598853557127, 0.6044483620745319, 0.68719276601267232, 0.33557052361090528};
  }
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

struct RapsFit {
  double beta = NA, se = NA, tau2 = 0, tau2_se = 0;
  bool over_dispersion = false;
  bool converged = false;
  std::vector<double> t;  // standardised residuals at the solution
  std::string note;
};

namespace raps_detail {

inline double quantile7(std::vector<double> x, double p) {
  std::sort(x.begin(), x.end());
  const double h = (x.size() - 1) * p;
  const std::size_t lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, x.size() - 1);
  if (x[hi] == x[lo]) return x[lo];
  return (1 - (h - lo)) * x[lo] + (h - lo) * x[hi];
}

inline double median(std::vector<double> x) { return quantile7(std::move(x), 0.5); }

// Objective values that are not finite count as the largest double, as in R's optimize().
inline double finite_or_max(double v) { return std::isfinite(v) ? v : DBL_MAX; }

// Brent's minimiser on [a, b]: golden-section steps with parabolic interpolation, absolute
// tolerance `tol` (Brent 1973, ch. 5; the algorithm behind R's optimize()). It finds a local
// minimum; which one depends on the sequence of trial points, so mr.raps' starting values
// are reproduced only by the same algorithm with the same interval and tolerance.
template <class F>
double brent_min(F f, double a, double b, double tol) {
  const double gold = (3 - std::sqrt(5.0)) / 2, eps = std::sqrt(DBL_EPSILON), tol3 = tol / 3;
  double v = a + gold * (b - a), w = v, x = v, d = 0, e = 0;
  double fx = finite_or_max(f(x)), fv = fx, fw = fx;
  for (;;) {
    const double xm = (a + b) / 2, tol1 = eps * std::fabs(x) + tol3, t2 = 2 * tol1;
    if (std::fabs(x - xm) <= t2 - (b - a) / 2) break;
    double p = 0, q = 0, r = 0;
    if (std::fabs(e) > tol1) {  // trial parabola through x, w, v
      r = (x - w) * (fx - fv);
      q = (x - v) * (fx - fw);
      p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p; else q = -q;
      r = e;
      e = d;
    }
    if (std::fabs(p) >= std::fabs(q * r / 2) || p <= q * (a - x) || p >= q * (b - x)) {
      e = x < xm ? b - x : a - x;  // golden-section step
      d = gold * e;
    } else {
      d = p / q;  // parabolic step, kept away from the ends
      const double u = x + d;
      if (u - a < t2 || b - u < t2) d = x < xm ? tol1 : -tol1;
    }
    const double u = std::fabs(d) >= tol1 ? x + d : (d > 0 ? x + tol1 : x - tol1);
    const double fu = finite_or_max(f(u));
    if (fu <= fx) {
      (u < x ? b : a) = x;
      v = w; fv = fw; w = x; fw = fx; x = u; fx = fu;
    } else {
      (u < x ? a : b) = u;
      if (fu <= fw || w == x) {
        v = w; fv = fw; w = u; fw = fu;
      } else if (fu <= fv || v == x || v == w) {
        v = u; fv = fu;
      }
    }
  }
  return x;
}

// Brent's zero finder on [a, b] with f(a) f(b) <= 0 (the algorithm behind R's uniroot()):
// secant and inverse quadratic interpolation safeguarded by bisection. False if f is NaN
// at a trial point or `maxit` steps do not reach the tolerance.
template <class F>
bool brent_zero(F f, double a, double b, double fa, double fb, double tol, int maxit, double& root) {
  if (fa == 0) { root = a; return true; }
  if (fb == 0) { root = b; return true; }
  double c = a, fc = fa;
  for (int it = 0; it <= maxit; ++it) {
    const double prev_step = b - a;
    if (std::fabs(fc) < std::fabs(fb)) {
      a = b; b = c; c = a;
      fa = fb; fb = fc; fc = fa;
    }
    const double tol_act = 2 * DBL_EPSILON * std::fabs(b) + tol / 2;
    double step = (c - b) / 2;
    if (std::fabs(step) <= tol_act || fb == 0) { root = b; return true; }
    if (std::fabs(prev_step) >= tol_act && std::fabs(fa) > std::fabs(fb)) {
      const double cb = c - b;
      double p, q;
      if (a == c) {  // secant
        const double t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {  // inverse quadratic
        const double qa = fa / fc, t1 = fb / fc, t2 = fb / fa;
        p = t2 * (cb * qa * (qa - t1) - (b - a) * (t1 - 1));
        q = (qa - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q; else p = -p;
      if (p < 0.75 * cb * q - std::fabs(tol_act * q) / 2 && p < std::fabs(prev_step * q / 2)) step = p / q;
    }
    if (std::fabs(step) < tol_act) step = step > 0 ? tol_act : -tol_act;
    a = b; fa = fb;
    b += step;
    fb = f(b);
    if (std::isnan(fb)) return false;
    fb = std::max(-DBL_MAX, std::min(DBL_MAX, fb));
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) { c = a; fc = fa; }
  }
  root = b;
  return true;  // uniroot() only warns when it runs out of iterations; mr.raps uses the value
}

// A root of f near [lo, hi] as uniroot(f, c(lo, hi), extendInt = "yes", tol) finds it: when
// f has one sign at both ends, both ends move outwards by steps of 1% of their size (at
// least 1e-6), doubling each time, until the sign changes. False when no sign change is
// found or f is NaN where it matters.
template <class F>
bool uniroot_extend(F f, double lo, double hi, double tol, double& root) {
  const int maxiter = 1000;
  double flo = f(lo), fhi = f(hi);
  if (std::isnan(flo) || std::isnan(fhi)) return false;
  auto clamp = [](double v) { return std::max(-DBL_MAX, std::min(DBL_MAX, v)); };
  int it = 0;
  if (clamp(flo) * clamp(fhi) > 0) {
    double dlo = 0.01 * std::max(1e-4, std::fabs(lo)), dhi = 0.01 * std::max(1e-4, std::fabs(hi));
    while (flo * fhi > 0 && (std::isfinite(lo) || std::isfinite(hi))) {
      if (++it > maxiter) return false;
      if (std::isfinite(lo)) {
        const double f_new = f(lo - dlo);
        if (std::isnan(f_new)) dlo /= 4; else { lo -= dlo; flo = f_new; }
      }
      if (std::isfinite(hi)) {
        const double f_new = f(hi + dhi);
        if (std::isnan(f_new)) dhi /= 4; else { hi += dhi; fhi = f_new; }
      }
      dlo *= 2;
      dhi *= 2;
    }
  }
  if (std::isnan(flo * fhi) || flo * fhi > 0) return false;
  return brent_zero(f, lo, hi, flo, fhi, tol, maxiter, root);
}

// The local minimum of f in [lo, hi] that a descent method started at x0 reaches: steps
// downhill from x0 (first 1e-3, the finite-difference step of R's optim(), then doubling)
// until f rises, then Brent's method inside that bracket. Stands in for mr.raps'
// one-dimensional L-BFGS-B call, whose result it equals to the latter's own precision.
template <class F>
double descend_min(F f, double x0, double lo, double hi) {
  x0 = std::min(hi, std::max(lo, x0));
  const double f0 = finite_or_max(f(x0)), h0 = 1e-3;
  const double fr = x0 + h0 <= hi ? finite_or_max(f(x0 + h0)) : DBL_MAX;
  const double fl = x0 - h0 >= lo ? finite_or_max(f(x0 - h0)) : DBL_MAX;
  const double tol = 1e-10 * std::max(1.0, std::fabs(x0));
  if (fr >= f0 && fl >= f0) return brent_min(f, std::max(lo, x0 - h0), std::min(hi, x0 + h0), tol);
  const double dir = fr < fl ? 1.0 : -1.0;
  double prev = x0, cur = x0 + dir * h0, fcur = dir > 0 ? fr : fl, h = h0;
  for (int k = 0; k < 200; ++k) {
    h *= 2;
    const double next = std::min(hi, std::max(lo, cur + dir * h));
    const double fnext = finite_or_max(f(next));
    if (fnext > fcur || next == cur) {
      return brent_min(f, std::min(prev, next), std::max(prev, next), tol);
    }
    prev = cur; cur = next; fcur = fnext;
  }
  return cur;
}

constexpr int kProfileIter = 20;  // mr.raps' niter: alternations and interval doublings

// The data seen by mr.raps' profile fits: with over-dispersion, variants whose sx exceeds
// 10 times the median sx are left out.
struct ProfileData {
  std::vector<double> bx, by, sx2, sy2;
  int size() const { return static_cast<int>(bx.size()); }
};

inline ProfileData profile_data(const SummaryData& d, bool prune) {
  ProfileData a;
  const double msx = median(std::vector<double>(d.sx.data(), d.sx.data() + d.size()));
  for (int j = 0; j < d.size(); ++j) {
    if (prune && d.sx[j] > 10 * msx) continue;
    a.bx.push_back(d.bx[j]);
    a.by.push_back(d.by[j]);
    a.sx2.push_back(d.sx[j] * d.sx[j]);
    a.sy2.push_back(d.sy[j] * d.sy[j]);
  }
  return a;
}

// 95% quantile of |by / bx| (0/0 left out), the scale of mr.raps' search interval for beta.
inline double ratio_q95(const ProfileData& a) {
  std::vector<double> r;
  for (int j = 0; j < a.size(); ++j) {
    const double q = std::fabs(a.by[j] / a.bx[j]);
    if (!std::isnan(q)) r.push_back(q);
  }
  return r.empty() ? NA : quantile7(r, 0.95);
}

// A profile fit of mr.raps.mle: a start of the root search and, for the chosen loss, the
// reference the root closest to which is reported. `bound` is the final half-width of the
// search interval for beta; `ok` is false when the maximum stayed at its edge.
struct ProfileFit {
  double beta = NA, tau2 = 0, bound = NA;
  bool ok = false;
};

const double kOptimizeTol = std::sqrt(DBL_EPSILON);  // tol of mr.raps' optimize() calls

// Maximum of beta -> -sum rho(t_j) in +-bound (bound = 2 q95 |by / bx|), the interval doubled
// while the maximum lies in its outer 5% (mr.raps.simple / mr.raps.simple.robust).
inline ProfileFit profile_simple(const ProfileData& a, LossFunction loss) {
  ProfileFit f;
  const RapsLoss L(loss);
  double bound = 2 * ratio_q95(a);
  if (!(std::isfinite(bound) && bound > 0)) return f;
  auto obj = [&](double b) {
    double s = 0;
    for (int j = 0; j < a.size(); ++j)
      s += L.rho((a.by[j] - b * a.bx[j]) / std::sqrt(a.sy2[j] + a.sx2[j] * b * b));
    return s;
  };
  double b = brent_min(obj, -bound, bound, kOptimizeTol);
  for (int e = 0; e < kProfileIter && std::fabs(b) > 0.95 * bound; ++e) {
    bound *= 2;
    b = brent_min(obj, -bound, bound, kOptimizeTol);
  }
  f.beta = b;
  f.bound = bound;
  f.ok = std::fabs(b) <= 0.95 * bound;
  return f;
}

// mr.raps' widening inside its alternating fits: while beta lies in the outer 5% of +-bb,
// double bb and minimise again (at most 21 times; reaching 20 is mr.raps' "Failed to find
// beta"). False when beta is still not inside.
template <class F>
bool widen_beta_interval(F obj, double& beta, double& bb, double tol) {
  int ext = 0;
  while (std::fabs(beta) > 0.95 * bb && ext <= kProfileIter) {
    ++ext;
    bb *= 2;
    beta = brent_min(obj, -bb, bb, tol);
  }
  return ext < kProfileIter && std::fabs(beta) <= 0.95 * bb;
}

inline bool alternation_converged(double b_old, double b, double t_old, double t) {
  return std::fabs(b_old - b) / std::fabs(b + 1e-10) + std::fabs(t_old - t) / std::fabs(t + 1e-10) <=
         kOptimizeTol;
}

// Squared-error fit with over-dispersion (mr.raps.overdispersed): from the fit without it,
// alternately tau2 in [0, 100 q95(sy^2)] maximising the sx^2-weighted profile likelihood and
// beta in +-10 q95 |by / bx| (doubled while the maximum is in the outer 5%), at most 20 rounds.
inline ProfileFit profile_od_l2(const ProfileData& a) {
  ProfileFit f;
  const ProfileFit start = profile_simple(a, LossFunction::l2);
  if (!start.ok) return f;
  double bb = 10 * ratio_q95(a);
  const double bt = 100 * quantile7(a.sy2, 0.95);
  if (!(std::isfinite(bb) && bb > 0 && bt > 0)) return f;
  double beta = start.beta, tau2 = 0;
  auto minus_ll_tau2 = [&](double t2) {
    double s = 0;
    for (int j = 0; j < a.size(); ++j) {
      const double v = t2 + a.sy2[j] + a.sx2[j] * beta * beta, r = a.by[j] - a.bx[j] * beta;
      s += a.sx2[j] * std::log(v) + a.sx2[j] * r * r / v;
    }
    return s / 2;
  };
  auto minus_ll_beta = [&](double b) {
    double s = 0;
    for (int j = 0; j < a.size(); ++j) {
      const double r = a.by[j] - a.bx[j] * b;
      s += r * r / (tau2 + a.sy2[j] + a.sx2[j] * b * b);
    }
    return s / 2;
  };
  for (int it = 0; it < kProfileIter; ++it) {
    const double b_old = beta, t_old = tau2;
    tau2 = brent_min(minus_ll_tau2, 0, bt, kOptimizeTol);
    beta = brent_min(minus_ll_beta, -bb, bb, kOptimizeTol);
    if (!widen_beta_interval(minus_ll_beta, beta, bb, kOptimizeTol)) return f;
    if (alternation_converged(b_old, beta, t_old, tau2)) break;
  }
  return ProfileFit{beta, tau2, bb, true};
}

// Robust fit with over-dispersion (mr.raps.overdispersed.robust): from the squared-error
// fit, alternately tau2 solving sum sx^2 (t rho'(t) - delta) / v = 0 (uniroot from
// [0, 100 q95(sy^2)], extended if needed; 0 when there is no root or it is negative) and
// beta minimising sum rho(t) by descent from the current beta within +-10 q95 |by / bx|.
// As in mr.raps, the residuals t_j of this fit are all divided by the square root of the
// largest variance max_j v_j, not by their own; the estimating equations solved afterwards
// use each variant's own variance.
inline ProfileFit profile_od_robust(const ProfileData& a, LossFunction loss) {
  ProfileFit f;
  const ProfileFit start = profile_od_l2(a);
  if (!start.ok) return f;
  const RapsLoss L(loss);
  const double delta = raps_constants(L).delta;
  double bb = 10 * ratio_q95(a);
  const double bt = 100 * quantile7(a.sy2, 0.95);
  double beta = start.beta, tau2 = start.tau2;
  auto vmax = [&](double b, double t2) {
    double m = 0;
    for (int j = 0; j < a.size(); ++j) m = std::max(m, t2 + a.sy2[j] + a.sx2[j] * b * b);
    return m;
  };
  auto score_tau2 = [&](double t2) {
    const double sd = std::sqrt(vmax(beta, t2));
    if (!(sd > 0)) return NA;
    double s = 0;
    for (int j = 0; j < a.size(); ++j) {
      const double t = (a.by[j] - beta * a.bx[j]) / sd;
      s += a.sx2[j] * (t * L.psi(t) - delta) / (t2 + a.sy2[j] + a.sx2[j] * beta * beta);
    }
    return s;
  };
  auto loss_beta = [&](double b) {
    const double sd = std::sqrt(vmax(b, tau2));
    double s = 0;
    for (int j = 0; j < a.size(); ++j) s += L.rho((a.by[j] - b * a.bx[j]) / sd);
    return s / 2;
  };
  const double tau2_tol = bt * std::pow(DBL_EPSILON, 0.25);
  for (int it = 0; it < kProfileIter; ++it) {
    const double b_old = beta, t_old = tau2;
    double root = 0;
    tau2 = uniroot_extend(score_tau2, 0.0, bt, tau2_tol, root) ? std::max(0.0, root) : 0.0;
    beta = descend_min(loss_beta, beta, -bb, bb);
    if (!widen_beta_interval(loss_beta, beta, bb, std::pow(DBL_EPSILON, 0.25))) return f;
    if (alternation_converged(b_old, beta, t_old, tau2)) break;
  }
  return ProfileFit{beta, tau2, bb, true};
}

// The Newton step -J^-1 psi for the 1 x 1 system (no over-dispersion; J12, J21, J22 unused)
// or the 2 x 2 one. False when J is singular or a value is not finite.
inline bool newton_step(const std::array<double, 2>& s, double J11, double J12, double J21, double J22,
                        bool od, double& db, double& dt) {
  dt = 0;
  if (od) {
    const double det = J11 * J22 - J12 * J21;
    if (!(std::fabs(det) > 0) || !std::isfinite(det)) return false;
    db = -(J22 * s[0] - J12 * s[1]) / det;
    dt = -(-J21 * s[0] + J11 * s[1]) / det;
  } else {
    if (!(std::fabs(J11) > 0) || !std::isfinite(J11)) return false;
    db = -s[0] / J11;
  }
  return std::isfinite(db) && std::isfinite(dt);
}

// Newton's method on the estimating equations as mr.raps runs it (rootSolve::multiroot):
// full steps with a forward-difference Jacobian (step max(|x| 1e-8, 1e-8)), at most 100
// iterations, stopping when every |psi_i| < 1e-6 |x_i| + 1e-8 or the largest step is below
// 1e-8. False when psi is NaN on the way (e.g. a negative variance), where mr.raps drops
// the start.
inline bool newton_multiroot(const RapsProblem& P, bool od, double& beta, double& tau2) {
  auto finite = [od](const std::array<double, 2>& s) { return std::isfinite(s[0]) && (!od || std::isfinite(s[1])); };
  for (int it = 0; it < 100; ++it) {
    const auto s = P.score(beta, tau2, od);
    if (!finite(s)) return false;
    if (std::fabs(s[0]) < 1e-6 * std::fabs(beta) + 1e-8 &&
        (!od || std::fabs(s[1]) < 1e-6 * std::fabs(tau2) + 1e-8))
      return true;
    const double hb = std::max(std::fabs(beta) * 1e-8, 1e-8);
    const double ht = std::max(std::fabs(tau2) * 1e-8, 1e-8);
    const auto sb = P.score(beta + hb, tau2, od);
    const auto st = od ? P.score(beta, tau2 + ht, od) : s;
    double db, dt;
    if (!newton_step(s, (sb[0] - s[0]) / hb, (st[0] - s[0]) / ht, (sb[1] - s[1]) / hb,
                     (st[1] - s[1]) / ht, od, db, dt))
      return false;
    if (std::max(std::fabs(db), std::fabs(dt)) < 1e-8) return true;
    beta += db;
    tau2 += dt;
  }
  return finite(P.score(beta, tau2, od));
}

// Refines a point from newton_multiroot to full precision with Newton steps (central
// differences). True only when the steps shrink to nothing: a genuine root. Points that
// multiroot accepts far out, where the score merely tends to zero as |beta| grows, keep
// moving and are rejected.
inline bool newton_polish(const RapsProblem& P, bool od, double& beta, double& tau2, double tau_scale) {
  for (int it = 0; it < 60; ++it) {
    const auto s = P.score(beta, tau2, od);
    if (!std::isfinite(s[0]) || (od && !std::isfinite(s[1]))) return false;
    const double hb = 1e-6 * std::max(std::fabs(beta), 1e-3);
    const double ht = 1e-6 * std::max(std::fabs(tau2), tau_scale);
    const auto sbp = P.score(beta + hb, tau2, od), sbm = P.score(beta - hb, tau2, od);
    const auto stp = od ? P.score(beta, tau2 + ht, od) : s, stm = od ? P.score(beta, tau2 - ht, od) : s;
    double db, dt;
    if (!newton_step(s, (sbp[0] - sbm[0]) / (2 * hb), (stp[0] - stm[0]) / (2 * ht),
                     (sbp[1] - sbm[1]) / (2 * hb), (stp[1] - stm[1]) / (2 * ht), od, db, dt))
      return false;
    beta += db;
    tau2 += dt;
    if (std::fabs(db) <= 1e-12 * std::max(1.0, std::fabs(beta)) &&
        std::fabs(dt) <= 1e-12 * std::max(tau_scale, std::fabs(tau2)))
      return true;
  }
  return false;
}

}  // namespace raps_detail

// MR-RAPS as mr.raps 0.4.2 computes it for TwoSampleMR (mr.raps.shrinkage, methods.md 4.9):
// profile fits with squared-error and Huber loss (and the chosen loss) give the starts and
// the reference; Newton's method runs from those two starts and from num_init - 2 random
// perturbations of the squared-error fit (beta_l2 +- |beta_l2| Exp(1), drawn from
// Rng(seed, stream)); of the genuine roots inside the reference fit's search interval for
// beta (and, with over-dispersion, with tau2 <= 10 median(sy)), the one closest to the
// reference is reported. No such root with over-dispersion, or a negative tau2: refitted
// without over-dispersion. Otherwise, or when a profile fit finds no maximum inside its
// interval, the fit has not converged: NA with a note starting "MR-RAPS did not converge".
inline RapsFit raps_fit(const SummaryData& d, bool over_dispersion, LossFunction loss,
                        bool shrinkage, std::uint64_t seed, int num_init = 10, int stream = 0) {
  using namespace raps_detail;
  RapsFit out;
  const int J = d.size();
  RapsPrior prior;
  if (shrinkage) prior = raps_fit_prior(d.bx.cwiseQuotient(d.sx), seed);
  const RapsProblem P(d, loss, shrinkage, prior);
  std::vector<double> sy(d.sy.data(), d.sy.data() + J), sy2(J);
  for (int j = 0; j < J; ++j) sy2[j] = sy[j] * sy[j];
  const double tau_scale = median(sy2), tau_cap = 10 * median(sy);

  const ProfileData a = profile_data(d, over_dispersion);
  auto profile = [&](LossFunction f) {
    if (!over_dispersion) return profile_simple(a, f);
    return f == LossFunction::l2 ? profile_od_l2(a) : profile_od_robust(a, f);
  };
  const ProfileFit f_l2 = profile(LossFunction::l2), f_hub = profile(LossFunction::huber);
  const ProfileFit f_ref = loss == LossFunction::l2 ? f_l2 : (loss == LossFunction::huber ? f_hub : profile(loss));
  if (!f_l2.ok || !f_hub.ok || !f_ref.ok) {
    out.note = "MR-RAPS did not converge: a profile fit found no maximum inside its search interval for beta";
    return out;
  }

  std::vector<std::array<double, 2>> starts = {{f_l2.beta, f_l2.tau2}, {f_hub.beta, f_hub.tau2}};
  Rng rng(seed, static_cast<std::uint64_t>(stream));
  while (static_cast<int>(starts.size()) < num_init) {
    const double e = -std::log(rng.uniform());
    const double sgn = rng.uniform() < 0.5 ? -1.0 : 1.0;
    starts.push_back({f_l2.beta + sgn * std::fabs(f_l2.beta) * e, f_l2.tau2});
  }
  double best_dist = INFINITY, bb = NA, bt = NA;
  for (const auto& s : starts) {
    double b = s[0], t2 = over_dispersion ? s[1] : 0.0;
    if (!newton_multiroot(P, over_dispersion, b, t2)) continue;
    if (!newton_polish(P, over_dispersion, b, t2, tau_scale)) continue;
    if (std::fabs(b) > f_ref.bound) continue;
    if (over_dispersion && t2 > tau_cap) continue;
    const double dist = std::fabs(b - f_ref.beta);
    if (dist < best_dist) { best_dist = dist; bb = b; bt = t2; }
  }
  if (over_dispersion && (std::isnan(bb) || bt < 0)) {
    RapsFit f = raps_fit(d, false, loss, shrinkage, seed, num_init, stream + 1);
    const std::string why = std::isnan(bb) ? "no root with finite over-dispersion" : "estimated over-dispersion is negative";
    f.note = f.converged ? why + "; refitted without over-dispersion (tau2 = 0)" : f.note + " (" + why + ")";
    return f;
  }
  if (std::isnan(bb)) {
    out.note = "MR-RAPS did not converge: the estimating equation has no root inside the search interval for beta from any start";
    return out;
  }
  out.beta = bb;
  out.tau2 = over_dispersion ? bt : 0.0;
  out.over_dispersion = over_dispersion;
  P.sandwich(out.beta, out.tau2, over_dispersion, out.se, out.tau2_se);
  if (!std::isfinite(out.se)) {
    out.beta = NA;
    out.se = NA;
    out.note = "MR-RAPS did not converge: the sandwich variance at the root is not finite";
    return out;
  }
  out.converged = true;
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
  if (!f.converged) return e;
  e.b = f.beta;
  e.se = f.se;
  e.pval = p_normal(e.b / e.se);
  e.add("tau2", f.tau2);
  e.add("tau2_se", f.tau2_se);
  return e;
}

}  // namespace mrkit
