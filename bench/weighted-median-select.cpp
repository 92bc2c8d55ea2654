// Check and micro-benchmark of the bootstrap weighted median (estimators/median.hpp):
// detail::weighted_median_select() (weighted quickselect) against weighted_median() (full
// sort, the point estimate), on 200,000 random cases (n = 1..300; continuous values, values
// with many ties, exponential weights with some zeros, equal weights), then the time per
// call of each at n = 79 and 1,000. Not part of the package build; run from the package root:
//   g++ -O2 -std=c++17 -I inst/include \
//     -I "$(Rscript -e 'cat(system.file("include", package = "RcppEigen"))')" \
//     bench/weighted-median-select.cpp -o /tmp/wm-select && /tmp/wm-select
#include "mrkit/estimators/median.hpp"

#include <chrono>
#include <cstdio>
#include <random>

using namespace mrkit;

int main() {
  std::mt19937_64 g(1);
  std::normal_distribution<double> nd;
  std::exponential_distribution<double> ed;
  int bad = 0;
  double maxd = 0;
  for (int t = 0; t < 200000; ++t) {
    const int n = 1 + static_cast<int>(g() % 300);
    std::vector<double> r(n), w(n);
    for (int i = 0; i < n; ++i) {
      r[i] = (t % 3 == 0) ? static_cast<double>(g() % 7) : nd(g);
      w[i] = (t % 5 == 0 && g() % 4 == 0) ? 0.0 : ed(g);
    }
    if (t % 7 == 0) for (double& x : w) x = 1.0 / n;
    const double a = weighted_median(r, w);
    std::vector<detail::WeightedValue> v(n);
    for (int i = 0; i < n; ++i) v[i] = {r[i], w[i], i};
    const double b = detail::weighted_median_select(v.data(), n);
    if (std::isnan(a) != std::isnan(b)) { ++bad; continue; }
    if (!std::isnan(a)) {
      const double d = std::fabs(a - b) / (1 + std::fabs(a));
      if (d > maxd) maxd = d;
      if (d > 1e-12) ++bad;
    }
  }
  std::printf("cases differing (NA pattern, or by more than 1e-12 relative): %d; largest difference %g\n", bad, maxd);
  for (int n : {79, 1000}) {
    std::vector<double> r(n), w(n);
    for (int i = 0; i < n; ++i) { r[i] = nd(g); w[i] = ed(g); }
    std::vector<int> idx;
    std::vector<double> rs, ws;
    std::vector<detail::WeightedValue> v(n);
    double s = 0;
    const int reps = 20000;
    auto t0 = std::chrono::steady_clock::now();
    for (int k = 0; k < reps; ++k) {
      r[k % n] += 1e-3;
      detail::sort_with_weights(r.data(), w.data(), n, idx, rs, ws);
      s += detail::weighted_median_sorted(rs.data(), ws.data(), n);
    }
    auto t1 = std::chrono::steady_clock::now();
    for (int k = 0; k < reps; ++k) {
      r[k % n] += 1e-3;
      for (int i = 0; i < n; ++i) v[i] = {r[i], w[i], i};
      s += detail::weighted_median_select(v.data(), n);
    }
    auto t2 = std::chrono::steady_clock::now();
    auto us = [reps](auto a, auto b) { return std::chrono::duration<double, std::micro>(b - a).count() / reps; };
    std::printf("n = %d: sort %.2f us, select %.2f us per call (checksum %g)\n", n, us(t0, t1), us(t1, t2), s);
  }
  return bad == 0 ? 0 : 1;
}
