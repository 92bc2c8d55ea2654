// Summary statistics of samples as R computes them (long double accumulation and the
// two-pass mean of R's cov.c), shared by the resampling estimators.
#pragma once
#include "mrkit/config.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace mrkit {
namespace stats {

// R's mean(): long double sum / n, then one correction pass.
inline double mean(const double* x, int n) {
  if (n < 1) return NA;
  long double s = 0;
  for (int i = 0; i < n; ++i) s += x[i];
  long double m = s / n;
  if (std::isfinite(static_cast<double>(m))) {
    long double t = 0;
    for (int i = 0; i < n; ++i) t += (x[i] - m);
    m = m + t / n;
  }
  return static_cast<double>(m);
}

// R's cov(x, y) (complete data): two-pass, long double sums, divisor n - 1.
inline double cov(const double* x, const double* y, int n) {
  if (n < 2) return NA;
  const double mx = mean(x, n), my = mean(y, n);
  long double s = 0;
  for (int i = 0; i < n; ++i) s += (x[i] - mx) * (y[i] - my);
  return static_cast<double>(s / (n - 1));
}

inline double var(const double* x, int n) { return cov(x, x, n); }

// Sample SD by the two-pass formula in double precision, with four partial sums: for
// bootstrap replicates, where R's long double accumulation (sd() above) changes nothing
// but the last bits and costs several times as much.
inline double sd_double(const double* x, int n) {
  if (n < 2) return NA;
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int i = 0;
  for (; i + 3 < n; i += 4) { s0 += x[i]; s1 += x[i + 1]; s2 += x[i + 2]; s3 += x[i + 3]; }
  for (; i < n; ++i) s0 += x[i];
  const double m = ((s0 + s1) + (s2 + s3)) / n;
  s0 = s1 = s2 = s3 = 0;
  for (i = 0; i + 3 < n; i += 4) {
    const double d0 = x[i] - m, d1 = x[i + 1] - m, d2 = x[i + 2] - m, d3 = x[i + 3] - m;
    s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3;
  }
  for (; i < n; ++i) s0 += (x[i] - m) * (x[i] - m);
  return std::sqrt(((s0 + s1) + (s2 + s3)) / (n - 1));
}
inline double sd(const double* x, int n) { return std::sqrt(var(x, n)); }
inline double sd(const std::vector<double>& x) { return sd(x.data(), static_cast<int>(x.size())); }

// R's median() of x (modified in place by partial sorting); NA if any value is NaN.
inline double median_inplace(double* x, int n) {
  if (n < 1) return NA;
  for (int i = 0; i < n; ++i)
    if (std::isnan(x[i])) return NA;
  const int half = (n + 1) / 2;
  std::nth_element(x, x + half - 1, x + n);
  const double a = x[half - 1];
  if (n % 2 == 1) return a;
  const double b = *std::min_element(x + half, x + n);
  return static_cast<double>((static_cast<long double>(a) + b) / 2);
}

// A range [lo, hi] expected to hold one statistic (a median, say) of nearly every bootstrap
// replicate, from that statistic in a few pilot replicates: their median +- 1.25 times their
// largest deviation from it (about +-3 SDs for 32 pilots: a wider range holds a few more
// replicates and makes every replicate select among more values). The selections that take a
// range check that it held and fall back to looking at every value when it did not, so the
// range decides only how fast a replicate is summarised, never the result.
struct ReplicateRange {
  double lo = -INFINITY, hi = INFINITY;
  bool all() const { return lo == -INFINITY && hi == INFINITY; }
};
inline ReplicateRange replicate_range(std::vector<double> pilot) {
  ReplicateRange r;
  pilot.erase(std::remove_if(pilot.begin(), pilot.end(), [](double v) { return !std::isfinite(v); }), pilot.end());
  if (pilot.size() < 8) return r;
  const double mid = median_inplace(pilot.data(), static_cast<int>(pilot.size()));
  double dev = 0;
  for (double v : pilot) dev = std::max(dev, std::fabs(v - mid));
  r.lo = mid - 1.25 * dev;
  r.hi = mid + 1.25 * dev;
  return r;
}

// The k-th smallest (0-based) of f(x[0]), ..., f(x[n - 1]) and, when `next` is given, the
// (k + 1)-th, looking closely only at the values inside `range`: one pass counts the values
// below it and gathers those inside (branch-free), and a selection among the gathered few
// finds the order statistics. Returns false, with nothing written, when the range does not
// hold them (or a value is NaN); the caller then selects among all values.
template <class F>
inline bool kth_smallest_in_range(const double* x, int n, int k, ReplicateRange range, F f,
                                  std::vector<double>& buf, double* kth, double* next) {
  buf.resize(n + 1);
  double* out = buf.data();
  int m = 0, below = 0, nan = 0;
  for (int i = 0; i < n; ++i) {
    const double v = f(x[i]);
    out[m] = v;
    below += v < range.lo;
    nan += v != v;
    m += (v >= range.lo) & (v <= range.hi);
  }
  const int kk = k - below;
  if (nan > 0 || kk < 0 || kk + (next ? 1 : 0) >= m) return false;
  std::nth_element(out, out + kk, out + m);
  *kth = out[kk];
  if (next) *next = *std::min_element(out + kk + 1, out + m);
  return true;
}

// R's median() of f(x[i]) (see median_inplace) by way of `range`; false when the range does not
// hold the median.
template <class F>
inline bool median_in_range(const double* x, int n, ReplicateRange range, F f, std::vector<double>& buf,
                            double* median) {
  if (n < 1 || range.all()) return false;
  const int half = (n + 1) / 2;
  double a = NA, b = NA;
  if (!kth_smallest_in_range(x, n, half - 1, range, f, buf, &a, n % 2 == 0 ? &b : nullptr)) return false;
  *median = n % 2 == 1 ? a : static_cast<double>((static_cast<long double>(a) + b) / 2);
  return true;
}

// median(x) and median(|x - median(x)|), each found through its range where that holds (any
// range gives the same numbers; ReplicateRange() looks at every value). NA when x has a NaN.
inline void median_and_deviation(const double* x, int n, ReplicateRange median_range, ReplicateRange deviation_range,
                                 std::vector<double>& work, double* med, double* dev) {
  *med = *dev = NA;
  if (!median_in_range(x, n, median_range, [](double v) { return v; }, work, med)) {
    work.assign(x, x + n);
    *med = median_inplace(work.data(), n);
  }
  if (std::isnan(*med)) return;
  const double m = *med;
  if (!median_in_range(x, n, deviation_range, [m](double v) { return std::fabs(v - m); }, work, dev)) {
    work.resize(n);
    for (int i = 0; i < n; ++i) work[i] = std::fabs(x[i] - m);
    *dev = median_inplace(work.data(), n);
  }
}

// R's mad(x) = 1.4826 * median(|x - median(x)|); `work` is scratch space.
inline double mad(const double* x, int n, std::vector<double>& work) {
  double med, dev;
  median_and_deviation(x, n, ReplicateRange(), ReplicateRange(), work, &med, &dev);
  return 1.4826 * dev;
}

inline double mad(const std::vector<double>& x) {
  std::vector<double> work;
  return mad(x.data(), static_cast<int>(x.size()), work);
}

}  // namespace stats
}  // namespace mrkit
