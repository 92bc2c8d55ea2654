// Median-based estimators (methods.md 4.6): simple, weighted and penalised weighted median
// of the ratio estimates, with parametric-bootstrap standard errors.
#pragma once
#include "mrkit/distributions.hpp"
#include "mrkit/estimate.hpp"
#include "mrkit/resampling/parallel.hpp"
#include "mrkit/params.hpp"
#include "mrkit/resampling/resample_stats.hpp"
#include "mrkit/resampling/rng.hpp"
#include "mrkit/resampling/shared_draws.hpp"
#include "mrkit/summary_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace mrkit {

namespace detail {

// Weighted median of values already sorted ascending, with their weights in the same
// order: S_k = (sum_{i<=k} w_i - w_k / 2) / sum w; k* = largest k with S_k < 1/2;
// interpolate linearly between the k*-th and (k*+1)-th values. Sums accumulate in long
// double as R's cumsum() and sum() do. NA when k* or its successor does not exist
// (e.g. one variant, or all weight on the first value).
inline double weighted_median_sorted(const double* r, const double* w, int n) {
  if (n < 1) return NA;
  long double acc = 0;
  for (int i = 0; i < n; ++i) acc += w[i];
  const double total = static_cast<double>(acc);
  if (!(total > 0)) return NA;
  acc = 0;
  int below = -1;
  double s_below = NA, s_next = NA;
  for (int i = 0; i < n; ++i) {
    acc += w[i];
    const double s = (static_cast<double>(acc) - 0.5 * w[i]) / total;
    if (s < 0.5) { below = i; s_below = s; s_next = NA; }
    else if (below == i - 1) { s_next = s; }
  }
  if (below < 0 || below + 1 >= n) return NA;
  return r[below] + (r[below + 1] - r[below]) * (0.5 - s_below) / (s_next - s_below);
}

// Sort (value, weight) pairs by value, ties in input order (R's order() is stable).
// `idx` is a scratch vector of size n; results go to rs and ws.
inline void sort_with_weights(const double* r, const double* w, int n, std::vector<int>& idx,
                              std::vector<double>& rs, std::vector<double>& ws) {
  idx.resize(n); rs.resize(n); ws.resize(n);
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [r](int a, int b) { return r[a] < r[b] || (r[a] == r[b] && a < b); });
  for (int i = 0; i < n; ++i) { rs[i] = r[idx[i]]; ws[i] = w[idx[i]]; }
}

// A (value, weight) pair of one bootstrap replicate; ties in value are broken by the
// variant's index, as R's stable order() does.
struct WeightedValue {
  double v, w;
  int i;
  bool operator<(const WeightedValue& o) const { return v < o.v || (v == o.v && i < o.i); }
};

// Where a weighted selection over part of the values found k* (the largest sorted position
// with S_k < 1/2, S_k = (C_k - w_k / 2) / total) and its successor.
enum class WeightedPart { found, before, after };

// weighted_median_sorted() without sorting everything, for bootstrap replicates (whose
// values are reordered in place): a weighted quickselect over a[0..n), all of whose values
// lie above values of total weight `below` and under the rest. Each step partitions [lo, hi)
// around a median-of-three pivot, adds up the weight of the part below it, and keeps the
// side that holds k*; S is non-decreasing in k, so the pivot's S decides. The weight below
// lo is carried along, and the nearest known positions on either side (with their S) are
// kept for the final scan, which sorts the few values left. Expected linear time instead
// of n log n. `before` / `after`: k* (or its successor) is not among a[0..n). The result
// equals the weighted median of the full sort up to the rounding of the partial weight sums
// (added in a different order), so the two can only differ when an S_k ties with 1/2 to
// rounding; point estimates keep the sorted version.
inline WeightedPart weighted_median_part(WeightedValue* a, int n, long double below, double total, double* median) {
  // S of an element, given the weight of everything sorted before it.
  auto s_at = [total](long double before, double w) {
    return (static_cast<double>(before + w) - 0.5 * w) / total;
  };
  int lo = 0, hi = n;
  bool have_prev = false, have_next = false;
  double prev_v = NA, prev_s = NA;      // last known position < lo (its S < 1/2)
  double next_v = NA, next_s = NA;      // first known position >= hi (its S >= 1/2)
  while (hi - lo > 16) {
    // Median of three as pivot, moved to the end of the range.
    const int mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) std::swap(a[mid], a[lo]);
    if (a[hi - 1] < a[lo]) std::swap(a[hi - 1], a[lo]);
    if (a[mid] < a[hi - 1]) std::swap(a[mid], a[hi - 1]);
    const WeightedValue piv = a[hi - 1];
    WeightedValue* cut = std::partition(a + lo, a + hi - 1, [&piv](const WeightedValue& e) { return e < piv; });
    std::swap(*cut, a[hi - 1]);
    const int p = static_cast<int>(cut - a);
    long double left = 0;
    for (int i = lo; i < p; ++i) left += a[i].w;
    const double s = s_at(below + left, a[p].w);
    if (s < 0.5) {
      have_prev = true; prev_v = a[p].v; prev_s = s;
      below += left + a[p].w;
      lo = p + 1;
    } else {
      have_next = true; next_v = a[p].v; next_s = s;
      hi = p;
    }
  }
  std::sort(a + lo, a + hi);
  // Scan prev, a[lo..hi), next in sorted order for the last S < 1/2 and its successor.
  bool found = have_prev;
  double bv = prev_v, bs = prev_s;
  bool succ = false;
  double sv = NA, ss = NA;
  for (int i = lo; i < hi; ++i) {
    const double s = s_at(below, a[i].w);
    below += a[i].w;
    if (s < 0.5) { found = true; bv = a[i].v; bs = s; succ = false; }
    else if (found && !succ) { succ = true; sv = a[i].v; ss = s; }
  }
  if (found && !succ && have_next) { succ = true; sv = next_v; ss = next_s; }
  if (!found) return WeightedPart::before;
  if (!succ) return WeightedPart::after;
  *median = bv + (sv - bv) * (0.5 - bs) / (ss - bs);
  return WeightedPart::found;
}

// The weighted median of values v[0..n) with weights w (total weight `total`, NA when it is
// not positive) for a bootstrap replicate, by way of `range` (stats::ReplicateRange): one
// pass adds up the weight below the range and gathers the values inside it into `a`, and
// the selection runs on those; every value goes into `a` only when the range does not hold
// the weighted median and its neighbour. The same number either way (see
// weighted_median_part()). Ties in value are broken by index, as R's order() does.
inline double weighted_median_in_range(const double* v, const double* w, int n, double total,
                                       stats::ReplicateRange range, std::vector<WeightedValue>& a) {
  if (n < 1 || !(total > 0)) return NA;
  a.resize(n);
  double median = NA;
  if (!range.all()) {
    long double below = 0;  // as the full selection adds weights (long double)
    int m = 0, nan = 0;
    for (int i = 0; i < n; ++i) {
      const double x = v[i];
      a[m] = {x, w[i], i};
      // w[i] when x is below the range, else +0 (which leaves the sum as it is), by a mask
      // rather than a branch: which values fall below is as good as random.
      std::uint64_t bits;
      std::memcpy(&bits, &w[i], sizeof bits);
      bits &= -static_cast<std::uint64_t>(x < range.lo);
      double add;
      std::memcpy(&add, &bits, sizeof add);
      below += add;
      nan += x != x;
      m += (x >= range.lo) & (x <= range.hi);
    }
    if (nan == 0 && weighted_median_part(a.data(), m, below, total, &median) == WeightedPart::found)
      return median;
  }
  for (int i = 0; i < n; ++i) a[i] = {v[i], w[i], i};
  return weighted_median_part(a.data(), n, 0, total, &median) == WeightedPart::found ? median : NA;
}

}  // namespace detail

// weighted_median(r, w) exactly as TwoSampleMR and MendelianRandomization define it.
inline double weighted_median(const std::vector<double>& r, const std::vector<double>& w) {
  if (r.size() != w.size()) throw std::invalid_argument("values and weights must have the same length");
  std::vector<int> idx;
  std::vector<double> rs, ws;
  detail::sort_with_weights(r.data(), w.data(), static_cast<int>(r.size()), idx, rs, ws);
  return detail::weighted_median_sorted(rs.data(), ws.data(), static_cast<int>(r.size()));
}

// Parametric bootstrap of a weighted median on shared draws (resampling/shared_draws.hpp):
// replicate b takes bx* = bx + sx z1 and by* = by + sy z2 and the weighted median of
// by*/bx* with the fixed weights `w`; SE = sample SD of the replicates.
class MedianBootstrap : public ReplicateTask {
 public:
  MedianBootstrap(const SummaryData& d, std::vector<double> w, int nboot)
      : d_(d), w_(std::move(w)), med_(static_cast<std::size_t>(nboot), NA) {
    long double tot = 0;  // the replicates' total weight, as R's sum()
    for (double v : w_) tot += v;
    total_ = static_cast<double>(tot);
  }
  bool needs_z2() const override { return true; }
  void replicate(int b, const double* z1, const double* z2) override {
    thread_local std::vector<double> x;
    thread_local std::vector<detail::WeightedValue> a;
    const int J = d_.size();
    x.resize(J);
    for (int j = 0; j < J; ++j) x[j] = d_.bx[j] + d_.sx[j] * z1[j];
    for (int j = 0; j < J; ++j) x[j] = (d_.by[j] + d_.sy[j] * z2[j]) / x[j];
    med_[b] = detail::weighted_median_in_range(x.data(), w_.data(), J, total_, range_, a);
  }
  void after_pilot(int pilot) override {
    range_ = stats::replicate_range(std::vector<double>(med_.begin(), med_.begin() + pilot));
  }
  double se() const {
    const int B = static_cast<int>(med_.size());
    if (B < 2) return NA;
    long double mean = 0;
    for (double m : med_) mean += m;
    mean /= B;
    long double ss = 0;
    for (double m : med_) ss += (m - mean) * (m - mean);
    return static_cast<double>(std::sqrt(ss / (B - 1)));
  }

 private:
  const SummaryData& d_;
  std::vector<double> w_, med_;
  double total_ = 0;
  stats::ReplicateRange range_;
};

namespace detail {

// Checks shared by the ratio-based estimators; empty string when the data are usable.
inline std::string ratio_data_problem(const SummaryData& d, int min_snps, const char* what) {
  if (d.size() < min_snps)
    return std::string(what) + " needs at least " + std::to_string(min_snps) + " variants";
  for (int j = 0; j < d.size(); ++j)
    if (d.bx[j] == 0) return std::string(what) + ": a SNP-exposure effect is zero, so its ratio estimate is undefined";
  return "";
}

// Weights of the weighted median: 1/se2^2 (TwoSampleMR) or bx^2/sy^2 (MendelianRandomization).
inline std::vector<double> median_weights(const SummaryData& d, const Params& p) {
  std::vector<double> w(d.size());
  if (p.median_weights == MedianWeights::first_order) {
    for (int j = 0; j < d.size(); ++j) w[j] = d.bx[j] * d.bx[j] / (d.sy[j] * d.sy[j]);
  } else {
    const Vec s2 = d.ratio_se_second(p.cov);
    for (int j = 0; j < d.size(); ++j) w[j] = 1.0 / (s2[j] * s2[j]);
  }
  return w;
}

// A median estimator up to its bootstrap: the estimate without its SE and the weights the
// bootstrap keeps, or (`boot` false) an estimate that is final as it is (a note).
struct MedianPoint {
  Estimate e;
  std::vector<double> w;
  bool boot = false;
};

}  // namespace detail

// Which of the median estimators.
enum class MedianKind { simple, weighted, penalised };

// The point estimate and weights of a median estimator:
// - simple: equal weights 1/J;
// - weighted: second-order (TwoSampleMR) or first-order weights;
// - penalised: weights w_j * min(1, penk * P(chi2_1 > w_j (r_j - b_WM)^2)), with b_WM the
//   weighted median; the bootstrap keeps the penalised weights fixed.
inline detail::MedianPoint median_point(MedianKind kind, const SummaryData& d, const Params& p) {
  const char* what[3] = {"the simple median", "the weighted median", "the penalised weighted median"};
  detail::MedianPoint m;
  const int J = d.size();
  const std::string why = detail::ratio_data_problem(d, 3, what[static_cast<int>(kind)]);
  if (!why.empty()) { m.e = not_estimable(J, why); return m; }
  const Vec rv = d.ratio();
  const std::vector<double> r(rv.data(), rv.data() + J);
  m.w = kind == MedianKind::simple ? std::vector<double>(J, 1.0 / J) : detail::median_weights(d, p);
  if (kind == MedianKind::penalised) {
    const double bwm = weighted_median(r, m.w);
    if (std::isnan(bwm)) { m.e = not_estimable(J, "weighted median is undefined for these weights"); return m; }
    for (int j = 0; j < J; ++j) {
      const double pen = p_chisq_upper(m.w[j] * (r[j] - bwm) * (r[j] - bwm), 1);
      m.w[j] *= std::min(1.0, pen * p.penk);
    }
  }
  for (double v : m.w)
    if (!(v >= 0) || !std::isfinite(v)) { m.e = not_estimable(J, "median weights are not finite and non-negative (check Cov)"); return m; }
  m.e.nsnp = J;
  m.e.b = weighted_median(r, m.w);
  if (std::isnan(m.e.b)) { m.e.note = "weighted median is undefined for these weights"; return m; }
  m.boot = true;
  return m;
}

// The estimate once its bootstrap SE is known.
inline Estimate median_finish(detail::MedianPoint m, double se, const Params& p) {
  m.e.se = se;
  set_wald_test(m.e, p.distribution == PvalDist::t, m.e.nsnp - 1);
  return m.e;
}

// A median estimator with its own bootstrap.
inline Estimate median_estimate(MedianKind kind, const SummaryData& d, const Params& p) {
  detail::MedianPoint m = median_point(kind, d, p);
  if (!m.boot) return m.e;
  MedianBootstrap boot(d, m.w, p.nboot);
  run_shared_draws({&boot}, d.size(), p.nboot, p.seed, p.threads);
  return median_finish(std::move(m), boot.se(), p);
}

inline Estimate mr_simple_median(const SummaryData& d, const Params& p) {
  return median_estimate(MedianKind::simple, d, p);
}
inline Estimate mr_weighted_median(const SummaryData& d, const Params& p) {
  return median_estimate(MedianKind::weighted, d, p);
}
inline Estimate mr_penalised_weighted_median(const SummaryData& d, const Params& p) {
  return median_estimate(MedianKind::penalised, d, p);
}

}  // namespace mrkit
