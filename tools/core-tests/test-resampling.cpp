// The random stream (determinism, one stream per replicate) and the thread runner (the same
// results, bit for bit, with 1 and 2 threads).
#include <doctest/doctest.h>

#include <mrkit/ld/clump.hpp>
#include <mrkit/mrkit.hpp>
#include <mrkit/ld/simulate_ld.hpp>

#include "test-files.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <vector>

namespace {

mrkit::SummaryData simulated(int J, std::uint64_t seed) {
  mrkit::Rng rng(seed, 0);
  Eigen::VectorXd bx(J), by(J), sx(J), sy(J);
  for (int j = 0; j < J; ++j) {
    sx[j] = 0.01 + 0.01 * rng.uniform();
    sy[j] = 0.02 + 0.02 * rng.uniform();
    bx[j] = 0.05 + 0.1 * rng.uniform();
    by[j] = 0.3 * bx[j] + rng.normal(0, sy[j]);
  }
  return mrkit::SummaryData(bx, by, sx, sy);
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

}  // namespace

TEST_SUITE("random stream") {
  TEST_CASE("splitmix64 gives the published sequence for seed 0") {
    std::uint64_t s = 0;
    CHECK(mrkit::splitmix64(s) == 0xE220A8397B1DCDAFULL);
    CHECK(mrkit::splitmix64(s) == 0x6E789E6AA1B965F4ULL);
    CHECK(mrkit::splitmix64(s) == 0x06C45D188009454FULL);
  }

  TEST_CASE("one engine per (seed, stream): same inputs same draws, different streams differ") {
    mrkit::Rng a(42, 3), b(42, 3), c(42, 4), d(43, 3);
    int same_c = 0, same_d = 0;
    for (int i = 0; i < 1000; ++i) {
      const std::uint64_t x = a.next();
      CHECK(x == b.next());
      same_c += x == c.next();
      same_d += x == d.next();
    }
    CHECK(same_c == 0);
    CHECK(same_d == 0);
  }

  TEST_CASE("uniform in (0, 1), integers below n, standard normals: moments within 4 SE") {
    mrkit::Rng r(2024, 0);
    const int n = 200000;
    double su = 0, sz = 0, szz = 0;
    std::vector<int> counts(8, 0);  // counts[7]: out of range
    int outside = 0;
    for (int i = 0; i < n; ++i) {
      const double u = r.uniform();
      outside += !(u > 0 && u < 1);
      su += u;
      const auto k = r.below(7);
      ++counts[k < 7 ? k : 7];
      const double z = r.normal();
      sz += z;
      szz += z * z;
    }
    CHECK(outside == 0);
    CHECK(counts[7] == 0);
    counts.pop_back();
    CHECK(std::fabs(su / n - 0.5) < 4 * std::sqrt(1.0 / 12 / n));
    CHECK(std::fabs(sz / n) < 4 / std::sqrt(double(n)));
    CHECK(std::fabs(szz / n - 1) < 4 * std::sqrt(2.0 / n));
    double chi2 = 0;
    for (int c : counts) chi2 += (c - n / 7.0) * (c - n / 7.0) / (n / 7.0);
    CHECK(chi2 < 22.46);  // qchisq(0.999, 6)
  }

  TEST_CASE("normals from the ziggurat: the normal distribution function, body and tails") {
    // Kolmogorov-Smirnov distance of 10^6 draws against Phi (5% critical value 1.358 /
    // sqrt(n)), and the share of draws beyond the base layer's edge r = 3.6541528853610088
    // (2 pnorm(-r) = 2.58e-4; those come from the tail algorithm) and beyond 5 within 4 SE.
    mrkit::Rng r(77, 5);
    const int n = 1000000;
    std::vector<double> z(n);
    for (auto& v : z) v = r.normal();
    std::sort(z.begin(), z.end());
    double ks = 0;
    for (int i = 0; i < n; ++i) {
      const double F = 0.5 * std::erfc(-z[static_cast<std::size_t>(i)] / std::sqrt(2.0));
      ks = std::max(ks, std::max(F - double(i) / n, double(i + 1) / n - F));
    }
    CHECK(ks < 1.358 / std::sqrt(double(n)));
    auto share_beyond = [&](double t) {
      const auto above = z.end() - std::upper_bound(z.begin(), z.end(), t);
      const auto below = std::lower_bound(z.begin(), z.end(), -t) - z.begin();
      return double(above + below) / n;
    };
    for (double t : {3.6541528853610088, 4.5}) {
      const double p = std::erfc(t / std::sqrt(2.0));
      CHECK(std::fabs(share_beyond(t) - p) < 4 * std::sqrt(p / n));
    }
    CHECK(z.front() < -4.5);
    CHECK(z.back() > 4.5);
  }
}

TEST_SUITE("kernel density argmax") {
  // The density sums' dot product runs four-wide where the processor has AVX2; its result
  // must be the portable code's, bit for bit, for every length and alignment (on a processor
  // without AVX2 both calls run the portable code).
  TEST_CASE("dot8 gives the portable code's bits") {
    mrkit::Rng g(5, 0);
    std::vector<double> y(700), t(700);
    for (std::size_t i = 0; i < y.size(); ++i) {
      y[i] = g.uniform() < 0.3 ? 0.0 : std::exp(8 * g.normal());
      t[i] = std::exp(-0.5 * std::pow(g.normal() * 6, 2));
    }
    int mismatches = 0;
    for (int m = 0; m <= 300; ++m)
      for (int off = 0; off < 9; ++off) {
        const double a = mrkit::dot8(y.data() + off, t.data() + 2 * off + 1, m);
        const double b = mrkit::detail::dot8_portable(y.data() + off, t.data() + 2 * off + 1, m);
        mismatches += !(a == b);
      }
    CHECK(mismatches == 0);
  }

  // KdeArgmax (direct sums with a branch and bound, for bootstrap replicates) must pick the
  // grid point of KdeWorkspace::mode() (R's FFT density, checked against stats::density in
  // the R tests) on data that stress it: outliers that stretch the grid, values on a
  // lattice (many near-equal peaks), two clusters, weights on a few points, ties, both grid
  // versions and bandwidth multipliers. Different answers are allowed only where the two
  // grid points' densities tie to rounding.
  TEST_CASE("the direct argmax equals the FFT density's argmax") {
    mrkit::Rng g(11, 0);
    mrkit::KdeWorkspace fft;
    mrkit::KdeArgmax direct;
    int differ = 0, real = 0;
    const int cases = 20000;
    for (int c = 0; c < cases; ++c) {
      const int type = c % 8;
      const int J = 3 + static_cast<int>(g.uniform() * (c % 4 == 0 ? 1500 : (c % 4 == 1 ? 8 : 120)));
      const double step = 0.1 + g.uniform();
      std::vector<double> x(static_cast<std::size_t>(J)), w(static_cast<std::size_t>(J));
      double tot = 0;
      for (int j = 0; j < J; ++j) {
        double v = g.normal();
        if (type == 1 && g.uniform() < 0.05) v *= 30;
        if (type == 2) v = std::round(v / step) * step;
        if (type == 3 && j % 2) v += 4 * step;
        if (type == 5) v = (j % 2) * step;
        if (type == 6) v = 1.5;
        x[static_cast<std::size_t>(j)] = v;
        const double wj = type == 4 ? std::pow(g.uniform(), 6) : (type >= 5 ? 1.0 : std::exp(g.normal()));
        w[static_cast<std::size_t>(j)] = wj;
        tot += wj;
      }
      for (auto& v : w) v /= tot;
      double m = 0, ss = 0;
      for (double v : x) m += v;
      m /= J;
      for (double v : x) ss += (v - m) * (v - m);
      const double phi = c % 5 == 0 ? 0.25 : (c % 5 == 1 ? 3.0 : 1.0);
      const double h = std::max(1e-8, 0.9 * std::sqrt(ss / (J - 1)) / std::pow(double(J), 0.2) * phi);
      const int version = c % 11 == 0;
      const double a = fft.mode(x.data(), w.data(), J, h, version);
      direct.set_points(x.data(), J, h, version);
      const double b = direct.mode(w.data());
      if (a == b) continue;
      ++differ;
      std::vector<double> gx, gy;
      fft.density(x.data(), w.data(), J, h, gx, gy, version);
      double ya = 0, yb = 0, top = 0;
      for (std::size_t k = 0; k < gx.size(); ++k) {
        if (gx[k] == a) ya = gy[k];
        if (gx[k] == b) yb = gy[k];
        top = std::max(top, gy[k]);
      }
      real += std::fabs(ya - yb) > 1e-12 * top;
    }
    CHECK(real == 0);
    CHECK(differ < cases / 10);  // the exact ties of the symmetric cases (types 5 and 6)
  }
}

TEST_SUITE("replicate summaries through ranges") {
  // Ranges that hold, ranges that miss on either side, empty and reversed ranges, ties and
  // NaN: the medians, MADs and weighted medians are those of the plain selections.
  std::vector<mrkit::stats::ReplicateRange> ranges_around(double centre, double spread, mrkit::Rng& g) {
    std::vector<mrkit::stats::ReplicateRange> out{mrkit::stats::ReplicateRange()};
    for (double width : {0.0, 0.01, 0.3, 2.0, 50.0})
      for (double shift : {-3.0, -0.5, 0.0, 0.2, 4.0}) {
        const double c = centre + shift * spread + 0.01 * spread * g.normal();
        out.push_back({c - width * spread, c + width * spread});
      }
    out.push_back({centre + spread, centre - spread});  // reversed: holds nothing
    return out;
  }

  TEST_CASE("median and MAD through any range equal R's median() and mad()") {
    mrkit::Rng g(5, 0);
    std::vector<double> work, plain;
    int checked = 0, held = 0;
    for (int c = 0; c < 400; ++c) {
      const int n = 1 + static_cast<int>(g.uniform() * (c % 3 == 0 ? 3000 : 60));
      std::vector<double> x(static_cast<std::size_t>(n));
      for (auto& v : x) v = c % 5 == 0 ? std::round(3 * g.normal()) : (c % 5 == 1 ? 1.0 / g.normal() : g.normal());
      if (c % 37 == 0) x[static_cast<std::size_t>(n / 2)] = mrkit::NA;
      plain = x;
      const double med = mrkit::stats::median_inplace(plain.data(), n);
      const double mad = mrkit::stats::mad(x.data(), n, work);
      for (const auto& r1 : ranges_around(std::isnan(med) ? 0.0 : med, 1.0, g))
        for (const auto& r2 : ranges_around(std::isnan(mad) ? 1.0 : mad / 1.4826, 0.3, g)) {
          double m = 0, d = 0;
          mrkit::stats::median_and_deviation(x.data(), n, r1, r2, work, &m, &d);
          CHECK(same(m, med));
          CHECK(same(1.4826 * d, mad));
          ++checked;
          held += !r1.all() && r1.lo <= med && med <= r1.hi;
        }
    }
    CHECK(checked > 100000);
    CHECK(held > 10000);
  }

  TEST_CASE("weighted median through any range equals the sorted weighted median") {
    mrkit::Rng g(6, 0);
    std::vector<mrkit::detail::WeightedValue> a;
    for (int c = 0; c < 2000; ++c) {
      const int n = 1 + static_cast<int>(g.uniform() * (c % 3 == 0 ? 2000 : 40));
      std::vector<double> v(static_cast<std::size_t>(n)), w(static_cast<std::size_t>(n));
      long double tot = 0;
      for (int i = 0; i < n; ++i) {
        v[static_cast<std::size_t>(i)] = c % 4 == 0 ? std::round(2 * g.normal()) : g.normal() / (0.2 + g.uniform());
        w[static_cast<std::size_t>(i)] = c % 4 == 1 ? 1.0 : std::pow(g.uniform(), 4);
        tot += w[static_cast<std::size_t>(i)];
      }
      const double total = static_cast<double>(tot);
      const double want = mrkit::weighted_median(v, w);
      for (const auto& r : ranges_around(std::isnan(want) ? 0.0 : want, 0.5, g)) {
        const double got = mrkit::detail::weighted_median_in_range(v.data(), w.data(), n, total, r, a);
        // Partial weight sums are added in another order than the sort's running sum.
        if (std::isnan(want)) CHECK(std::isnan(got));
        else CHECK(got == doctest::Approx(want).epsilon(1e-12));
      }
    }
  }

  TEST_CASE("replicate_range: centred on the pilot's median, wide enough for its spread") {
    std::vector<double> pilot;
    for (int i = 0; i < 32; ++i) pilot.push_back(i % 2 ? 1.0 + 0.01 * i : 1.0 - 0.01 * i);
    // 0.70, 0.72, ..., 1.00 and 1.01, 1.03, ..., 1.31: median 1.005, largest deviation 0.305.
    const auto r = mrkit::stats::replicate_range(pilot);
    CHECK(r.lo == doctest::Approx(1.005 - 1.25 * 0.305).epsilon(1e-12));
    CHECK(r.hi == doctest::Approx(1.005 + 1.25 * 0.305).epsilon(1e-12));
    CHECK(mrkit::stats::replicate_range({1.0, 2.0, mrkit::NA}).all());  // too few finite values: every value
  }
}

TEST_SUITE("thread runner") {
  TEST_CASE("parallel_for visits every index once and re-throws the first error") {
    std::vector<std::atomic<int>> hits(1000);
    mrkit::parallel_for(1000, 2, [&](int i) { hits[static_cast<std::size_t>(i)]++; });
    int total = 0;
    for (auto& h : hits) {
      CHECK(h.load() == 1);
      total += h.load();
    }
    CHECK(total == 1000);
    CHECK_THROWS_AS(mrkit::parallel_for(100, 2,
                                        [](int i) {
                                          if (i == 37) throw std::runtime_error("replicate 37");
                                        }),
                    std::runtime_error);
  }

  TEST_CASE("resampling estimators: the same numbers for 1 and 2 threads, seed by seed") {
    const auto d = simulated(25, 11);
    mrkit::Params p;
    p.nboot = 400;
    p.seed = 99;
    for (auto fn : {mrkit::mr_weighted_median, mrkit::mr_egger_regression_bootstrap, mrkit::mr_weighted_mode}) {
      p.threads = 1;
      const auto a = fn(d, p);
      p.threads = 2;
      const auto b = fn(d, p);
      CHECK(a.b == b.b);
      CHECK(a.se == b.se);
      CHECK(same(a.pval, b.pval));
      p.seed = 100;  // another seed gives another bootstrap SE
      const auto c = fn(d, p);
      p.seed = 99;
      CHECK(a.se != c.se);
    }
  }

  TEST_CASE("MR-Egger bootstrap with exact bx: the slope's SD is the fixed-effect SE") {
    // With sx = 0 only by is redrawn: the WLS slope of replicate b is linear in by* with
    // variance 1 / sum w (x - xbar_w)^2. The bootstrap mean is the WLS slope.
    auto d = simulated(30, 5);
    d.sx.setZero();
    mrkit::Params p;
    p.nboot = 4000;
    p.seed = 3;
    p.threads = 2;
    const auto e = mrkit::mr_egger_regression_bootstrap(d, p);
    const Eigen::ArrayXd w = d.sy.array().square().inverse();
    const double xbar = (w * d.bx.array()).sum() / w.sum();
    const double se = 1 / std::sqrt((w * (d.bx.array() - xbar).square()).sum());
    const auto fit = mrkit::wls_intercept(d.bx, d.by, w.matrix());
    CHECK(std::fabs(e.se / se - 1) < 4 / std::sqrt(2.0 * p.nboot));
    CHECK(std::fabs(e.b - fit.slope) < 4 * se / std::sqrt(double(p.nboot)));
  }

  TEST_CASE("run_pairs: many pairs x methods, identical for 1 and 2 threads") {
    const std::vector<std::string> methods{"mr_ivw", "mr_egger_regression", "mr_weighted_median",
                                           "mr_simple_mode", "mr_wald_ratio"};
    std::vector<int> offsets{0};
    Eigen::VectorXd bx(0), by(0), sx(0), sy(0);
    for (int i = 0; i < 9; ++i) {
      const int J = i % 3 == 0 ? 1 : 3 + 4 * i;  // single-variant pairs among them
      const auto d = simulated(J, 1000 + i);
      const Eigen::Index n = bx.size();
      bx.conservativeResize(n + J); by.conservativeResize(n + J);
      sx.conservativeResize(n + J); sy.conservativeResize(n + J);
      bx.tail(J) = d.bx; by.tail(J) = d.by; sx.tail(J) = d.sx; sy.tail(J) = d.sy;
      offsets.push_back(static_cast<int>(bx.size()));
    }
    std::vector<std::uint64_t> seeds;
    for (std::size_t k = 0; k < 9 * methods.size(); ++k) seeds.push_back(77 + 13 * k);
    mrkit::Params p;
    p.nboot = 200;
    const auto one = mrkit::run_pairs(bx, by, sx, sy, offsets, methods, p, seeds, 1);
    const auto two = mrkit::run_pairs(bx, by, sx, sy, offsets, methods, p, seeds, 2);
    REQUIRE(one.size() == 45);
    int estimated = 0;
    for (std::size_t k = 0; k < one.size(); ++k) {
      CAPTURE(k);
      CHECK(same(one[k].b, two[k].b));
      CHECK(same(one[k].se, two[k].se));
      CHECK(same(one[k].lo_ci, two[k].lo_ci));
      CHECK(one[k].note == two[k].note);
      estimated += !std::isnan(one[k].b);
    }
    CHECK(estimated == 6 * 4 + 3);  // 6 multi-variant pairs x 4 methods + 3 Wald ratios
    CHECK_THROWS_AS(mrkit::run_pairs(bx, by, sx, sy, {0, 3}, methods, p, seeds, 1), std::invalid_argument);
  }

  TEST_CASE("clumping a simulated panel: one index variant per block, same for 1 and 2 threads") {
    // Two blocks of 3 variants with no switching: within a block the latent alleles are
    // identical, so r^2 = 1; between blocks they are independent.
    coretest::TempFile f(".bed");
    mrkit::PanelSpec s;
    s.n_individuals = 300;
    s.block_start = {0, 3};
    s.freq = {0.3, 0.3, 0.3, 0.4, 0.4, 0.4};
    s.orientation = {1, -1, 1, 1, 1, -1};
    s.switch_prob = {0, 0, 0, 0, 0, 0};
    s.seed = 5;
    mrkit::simulate_bed(f.path(), s);
    std::string bim, fam;
    for (int j = 0; j < 6; ++j) bim += "1 v" + std::to_string(j) + " 0 " + std::to_string(1000 * (j + 1)) + " A G\n";
    for (int i = 0; i < 300; ++i) fam += "f" + std::to_string(i) + " i 0 0 1 -9\n";
    coretest::write_bytes(f.sibling(".bim"), bim);
    coretest::write_bytes(f.sibling(".fam"), fam);
    const mrkit::PlinkBed bed(f.stem());
    const std::vector<long> idx{0, 1, 2, 3, 4, 5, -1};
    const std::vector<double> pv{1e-6, 1e-9, 1e-7, 1e-5, 1e-8, NAN, 1e-10};
    const std::vector<int> group(7, 1);
    mrkit::ClumpSettings set;
    set.r2 = 0.5;
    set.threads = 1;
    const auto a = mrkit::clump(bed, idx, pv, group, set);
    set.threads = 2;
    const auto b = mrkit::clump(bed, idx, pv, group, set);
    using S = mrkit::ClumpStatus;
    const std::vector<int> expected{int(S::clumped), int(S::index), int(S::clumped), int(S::clumped),
                                    int(S::index), int(S::missing_p), int(S::absent)};
    CHECK(a.status == expected);
    CHECK(b.status == expected);
    CHECK(a.index_row[0] == 1);
    CHECK(a.index_row[3] == 4);
    CHECK(a.r2[0] == doctest::Approx(1.0).epsilon(1e-12));
  }
}
