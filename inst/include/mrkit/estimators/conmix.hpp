// Contamination mixture (methods.md 4.10; MendelianRandomization mr_conmix): profile
// likelihood over a grid of causal effects in which each variant is either valid (ratio
// centred at theta) or invalid (ratio centred at 0 with spread psi); CI from the
// likelihood ratio, possibly a union of intervals.
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/params.hpp"
#include "mrkit/summary_data.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace mrkit {

struct ConmixFit {
  double estimate = NA, pval = NA, pval_log10 = NA, psi = NA, phi = NA;
  double ci_min = NA, ci_max = NA, ci_step = NA;
  std::vector<double> ci_lower, ci_upper;  // one pair per interval
  std::vector<int> valid;                  // 0-based indices of the valid variants
  std::string note;
};

// psi <= 0 picks 1.5 * SD(ratio); NaN ci_min / ci_max pick the ratio +- 2 sy / bx range.
inline ConmixFit conmix_fit(const SummaryData& d, double psi, double ci_min, double ci_max,
                            double ci_step, double alpha, double max_grid = 1e7) {
  ConmixFit f;
  const int J = d.size();
  if (J < 2) { f.note = "the contamination mixture needs at least 2 variants"; return f; }
  for (int j = 0; j < J; ++j)
    if (d.bx[j] == 0) { f.note = "a SNP-exposure effect is zero, so its ratio estimate is undefined"; return f; }
  std::vector<double> r(J), s(J);
  double mean = 0;
  for (int j = 0; j < J; ++j) {
    r[j] = d.by[j] / d.bx[j];
    s[j] = std::fabs(d.sy[j] / d.bx[j]);
    mean += r[j];
  }
  mean /= J;
  if (std::isnan(ci_min)) {
    ci_min = INFINITY;
    for (int j = 0; j < J; ++j) ci_min = std::min(ci_min, (d.by[j] - 2 * d.sy[j]) / d.bx[j]);
  }
  if (std::isnan(ci_max)) {
    ci_max = -INFINITY;
    for (int j = 0; j < J; ++j) ci_max = std::max(ci_max, (d.by[j] + 2 * d.sy[j]) / d.bx[j]);
  }
  if (!(psi > 0)) {
    double ss = 0;
    for (int j = 0; j < J; ++j) ss += (r[j] - mean) * (r[j] - mean);
    psi = 1.5 * std::sqrt(ss / (J - 1));
  }
  f.psi = psi; f.ci_min = ci_min; f.ci_max = ci_max; f.ci_step = ci_step;
  if (!(ci_max >= ci_min) || !(ci_step > 0)) { f.note = "empty grid: CIMax < CIMin"; return f; }
  const double steps = (ci_max - ci_min) / ci_step;
  if (steps + 1 > max_grid) { f.note = "the grid of causal effects has too many points; increase CIStep"; return f; }
  const long n = static_cast<long>(steps + 1e-10) + 1;
  // Log-likelihood of the invalid component does not depend on theta.
  std::vector<double> lexc(J), lnorm(J);
  const double two_pi = 2 * M_PI;
  for (int j = 0; j < J; ++j) {
    lexc[j] = -r[j] * r[j] / 2 / (psi * psi + s[j] * s[j]) - std::log(std::sqrt(two_pi * (psi * psi + s[j] * s[j])));
    lnorm[j] = std::log(std::sqrt(two_pi * s[j] * s[j]));
  }
  auto profile = [&](double theta, std::vector<char>* valid) {
    long double sum = 0;
    for (int j = 0; j < J; ++j) {
      const double linc = -(theta - r[j]) * (theta - r[j]) / 2 / (s[j] * s[j]) - lnorm[j];
      const bool v = linc > lexc[j];
      if (valid) (*valid)[j] = v;
      sum += v ? linc : lexc[j];
    }
    return static_cast<double>(sum);
  };
  std::vector<double> lik(n);
  std::vector<char> valid(J), best_valid(J);
  double best = -INFINITY;
  long best_i = 0;
  for (long i = 0; i < n; ++i) {
    const double theta = std::min(ci_min + i * ci_step, ci_max);
    lik[i] = profile(theta, &valid);
    if (lik[i] > best || i == 0) { best = lik[i]; best_i = i; best_valid = valid; }
  }
  int nvalid = 0;
  for (int j = 0; j < J; ++j) if (best_valid[j]) { f.valid.push_back(j); ++nvalid; }
  double phi = 1;
  if (nvalid >= 2) {
    double sw = 0, swr = 0;
    for (int j : f.valid) { sw += 1 / (s[j] * s[j]); swr += r[j] / (s[j] * s[j]); }
    const double rbar = swr / sw;
    double q = 0;
    for (int j : f.valid) q += (r[j] - rbar) * (r[j] - rbar) / (s[j] * s[j]);
    phi = std::max(std::sqrt(q / (nvalid - 1)), 1.0);
  }
  f.phi = phi;
  const double l0 = profile(0.0, nullptr);
  const double crit = 2 * best - q_chisq(1 - alpha, 1.0) * phi * phi;
  std::vector<double> range;
  for (long i = 0; i < n; ++i)
    if (2 * lik[i] > crit) range.push_back(ci_min + ci_step * i);
  f.estimate = ci_min + ci_step * best_i;
  if (!range.empty()) {
    f.ci_lower.push_back(range.front());
    for (std::size_t k = 1; k < range.size(); ++k) {
      if (range[k] - range[k - 1] > 1.01 * ci_step) {
        f.ci_upper.push_back(range[k - 1]);
        f.ci_lower.push_back(range[k]);
      }
    }
    f.ci_upper.push_back(range.back());
  }
  const double lr = 2 * (best - l0) * phi * phi;
  f.pval = p_chisq_upper(lr, 1);
  f.pval_log10 = log10_p_chisq_upper(lr, 1);
  return f;
}

// Registry kernel: MendelianRandomization's defaults (psi = 1.5 SD(ratio), data-driven grid
// with step 0.01, alpha from the parameters). No standard error; the CI bounds (outermost
// when the CI is a union) and the number of intervals are extras.
inline Estimate mr_conmix(const SummaryData& d, const Params& p) {
  const ConmixFit f = conmix_fit(d, 0.0, NA, NA, 0.01, p.alpha);
  Estimate e;
  e.nsnp = d.size();
  e.note = f.note;
  if (std::isnan(f.estimate)) return e;
  e.b = f.estimate;
  e.pval = f.pval;
  e.pval_log10 = f.pval_log10;
  // Its own likelihood-ratio interval (the outermost bounds when it is a union).
  e.df = NA;
  e.wald_pval = false;
  if (!f.ci_lower.empty()) { e.lo_ci = f.ci_lower.front(); e.up_ci = f.ci_upper.back(); }
  e.add("ci_lower", f.ci_lower.empty() ? NA : f.ci_lower.front());
  e.add("ci_upper", f.ci_upper.empty() ? NA : f.ci_upper.back());
  e.add("n_intervals", static_cast<double>(f.ci_lower.size()));
  e.add("n_valid", static_cast<double>(f.valid.size()));
  e.add("psi", f.psi);
  return e;
}

}  // namespace mrkit
