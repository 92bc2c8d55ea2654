// Leave-one-out analysis (methods.md 5): a registry method refitted on every subset that
// omits one variant, plus the fit on all variants. The generic path runs any registry
// kernel on each of the J subsets, threaded over the omitted variant; the inverse-variance
// weighted family has an O(J) closed form from the full-data sums.
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/resampling/parallel.hpp"
#include "mrkit/params.hpp"
#include "mrkit/registry.hpp"
#include "mrkit/summary_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace mrkit {

// Result k < J is the fit without variant k; result J is the fit on all variants.
// seeds[k] is the base seed of fit k (J + 1 seeds, drawn by the caller).
inline std::vector<Estimate> leave_one_out_generic(const SummaryData& d, MethodFn fn,
                                                   const Params& params,
                                                   const std::vector<std::uint64_t>& seeds,
                                                   int threads) {
  const int J = d.size();
  if (static_cast<int>(seeds.size()) != J + 1)
    throw std::invalid_argument("leave-one-out needs one seed per subset plus one");
  std::vector<Estimate> out(static_cast<std::size_t>(J) + 1);
  // Threads go to the subsets; a resampling kernel then runs single-threaded inside.
  parallel_for(J + 1, threads, [&](int k) {
    Params p = params;
    p.seed = seeds[k];
    p.threads = 1;
    out[k] = k < J ? fn(d.subset_without(k), p) : fn(d, p);
  });
  return out;
}

namespace detail {

enum class IvwRule { random_floor, random_no_floor, fixed };

inline bool ivw_family(const std::string& method, const Params& p, int n_sub, IvwRule& rule) {
  if (method == "mr_ivw") {
    const bool fixed = p.ivw_model == IvwModel::fixed ||
                       (p.ivw_model == IvwModel::default_rule && n_sub <= 3);
    rule = fixed ? IvwRule::fixed : IvwRule::random_floor;
    return true;
  }
  if (method == "mr_ivw_mre") { rule = IvwRule::random_no_floor; return true; }
  if (method == "mr_ivw_fe") { rule = IvwRule::fixed; return true; }
  return false;
}

// An IVW estimate from its sufficient quantities: slope, weighted sum of squares of bx,
// residual sum of squares, and the number of variants n (>= 2).
inline Estimate ivw_from_sums(int n, double slope, double sxx, double rss, IvwRule rule,
                              bool t_dist) {
  Estimate e;
  e.nsnp = n;
  const double sigma = std::sqrt(rss / (n - 1));
  const double se_fe = 1.0 / std::sqrt(sxx);
  e.b = slope;
  switch (rule) {
    case IvwRule::random_floor: e.se = se_fe * std::max(1.0, sigma); break;
    case IvwRule::random_no_floor: e.se = se_fe * sigma; break;
    case IvwRule::fixed: e.se = se_fe; break;
  }
  set_wald_test(e, t_dist, n - 1);
  e.Q = rss;
  e.Q_df = n - 1;
  e.Q_pval = p_chisq_upper(e.Q, e.Q_df);
  return e;
}

}  // namespace detail

// True when `method` has the closed-form leave-one-out path.
inline bool leave_one_out_has_fast_path(const std::string& method) {
  return method == "mr_ivw" || method == "mr_ivw_mre" || method == "mr_ivw_fe";
}

// O(J) leave-one-out for mr_ivw, mr_ivw_mre and mr_ivw_fe (J >= 3). With full-data
// residuals e = by - b bx, weights w = 1/sy^2, R = sum w e^2, T = sum w e bx and
// S = sum w bx^2, omitting variant j gives S_j = S - w_j bx_j^2, T_j = T - w_j e_j bx_j,
// slope b + T_j / S_j and residual sum of squares (R - w_j e_j^2) - T_j^2 / S_j. Working
// with residuals rather than raw sums keeps the cancellation small.
inline std::vector<Estimate> leave_one_out_ivw(const SummaryData& d, const std::string& method,
                                               const Params& p) {
  const int J = d.size();
  if (J < 3) throw std::invalid_argument("the closed-form leave-one-out needs at least 3 variants");
  detail::IvwRule rule;
  if (!detail::ivw_family(method, p, J - 1, rule))
    throw std::invalid_argument("no closed-form leave-one-out for method '" + method + "'");
  const bool t_dist = p.distribution == PvalDist::t;
  std::vector<Estimate> out(static_cast<std::size_t>(J) + 1);
  const Eigen::ArrayXd w = d.sy.array().square().inverse();
  const Eigen::ArrayXd x = d.bx.array(), y = d.by.array();
  const double S = (w * x.square()).sum();
  int nonzero = 0;
  for (int j = 0; j < J; ++j) nonzero += x[j] != 0;
  if (!(S > 0)) {
    for (int k = 0; k <= J; ++k)
      out[k] = not_estimable(k < J ? J - 1 : J, "all SNP-exposure effects are zero");
    return out;
  }
  const double b = (w * x * y).sum() / S;
  const Eigen::ArrayXd e = y - b * x;
  const double R = (w * e.square()).sum();
  const double T = (w * e * x).sum();
  {
    detail::IvwRule all_rule;
    detail::ivw_family(method, p, J, all_rule);
    out[J] = detail::ivw_from_sums(J, b, S, R, all_rule, t_dist);
  }
  for (int j = 0; j < J; ++j) {
    if (nonzero - (x[j] != 0) == 0) {
      out[j] = not_estimable(J - 1, "all SNP-exposure effects are zero");
      continue;
    }
    const double Sj = S - w[j] * x[j] * x[j];
    const double Tj = T - w[j] * e[j] * x[j];
    const double rss = std::max(0.0, (R - w[j] * e[j] * e[j]) - Tj * Tj / Sj);
    out[j] = detail::ivw_from_sums(J - 1, b + Tj / Sj, Sj, rss, rule, t_dist);
  }
  return out;
}

// Leave-one-out by method name: the closed form for the IVW family when `fast` is set and
// J >= 3, the generic path otherwise.
inline std::vector<Estimate> leave_one_out(const SummaryData& d, const std::string& method,
                                           const Params& p, const std::vector<std::uint64_t>& seeds,
                                           int threads, bool fast = true) {
  if (fast && d.size() >= 3 && leave_one_out_has_fast_path(method))
    return leave_one_out_ivw(d, method, p);
  return leave_one_out_generic(d, find_method(method), p, seeds, threads);
}

}  // namespace mrkit
