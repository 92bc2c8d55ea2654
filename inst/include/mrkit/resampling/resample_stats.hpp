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

// R's mad(x) = 1.4826 * median(|x - median(x)|); `work` is scratch space.
inline double mad(const double* x, int n, std::vector<double>& work) {
  work.assign(x, x + n);
  const double med = median_inplace(work.data(), n);
  if (std::isnan(med)) return NA;
  for (int i = 0; i < n; ++i) work[i] = std::fabs(x[i] - med);
  return 1.4826 * median_inplace(work.data(), n);
}

inline double mad(const std::vector<double>& x) {
  std::vector<double> work;
  return mad(x.data(), static_cast<int>(x.size()), work);
}

}  // namespace stats
}  // namespace mrkit
