// Linkage disequilibrium between two variants of a PLINK panel.
//
// Both measures start from the 3 x 3 table of joint genotype counts over the samples
// observed at both variants (pairwise-complete). Rows/columns: 0 = A1/A1, 1 = A1/A2,
// 2 = A2/A2 (A1 = .bim column 5).
//  * dosage_r(): signed Pearson correlation of A1 dosages (what plink --r / --r2 print).
//  * haplotype_r2(): r^2 from maximum-likelihood two-locus haplotype frequencies (what
//    plink 1.9 --clump and --ld use). Only double heterozygotes are of unknown phase; the
//    fixed points of the EM algorithm are the real roots of a cubic in the share of
//    double heterozygotes carrying the A1-B1 haplotype, solved in closed form and the
//    root of highest likelihood taken.
#pragma once
#include "mrkit/config.hpp"
#include "mrkit/resampling/parallel.hpp"
#include "mrkit/io/plink_bed.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

namespace mrkit {

struct PairTable {
  std::uint64_t n[3][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
};

// The 3 x 3 table by popcounts. On x86-64 a copy compiled for the POPCNT instruction is
// chosen at run time when the CPU has it (the package is built without -march flags).
#define MRKIT_PAIR_TABLE_BODY                                                          \
  PairTable t;                                                                         \
  if (a.complete && b.complete) {                                                      \
    /* No missing genotypes: four cells in one pass; the margins give the other five. */ \
    std::uint64_t c00 = 0, c01 = 0, c10 = 0, c11 = 0;                                  \
    for (std::size_t w = 0; w < n_words; ++w) {                                        \
      const std::uint64_t a0 = a.hom1[w], a1 = a.het[w], b0 = b.hom1[w], b1 = b.het[w]; \
      c00 += __builtin_popcountll(a0 & b0);                                            \
      c01 += __builtin_popcountll(a0 & b1);                                            \
      c10 += __builtin_popcountll(a1 & b0);                                            \
      c11 += __builtin_popcountll(a1 & b1);                                            \
    }                                                                                  \
    t.n[0][0] = c00; t.n[0][1] = c01; t.n[1][0] = c10; t.n[1][1] = c11;                \
    t.n[0][2] = a.n_hom1 - c00 - c01;                                                  \
    t.n[1][2] = a.n_het - c10 - c11;                                                   \
    t.n[2][0] = b.n_hom1 - c00 - c10;                                                  \
    t.n[2][1] = b.n_het - c01 - c11;                                                   \
    t.n[2][2] = a.n_hom2 - t.n[2][0] - t.n[2][1];                                      \
    return t;                                                                          \
  }                                                                                    \
  const std::uint64_t* A[3] = {a.hom1, a.het, a.hom2};                                 \
  const std::uint64_t* B[3] = {b.hom1, b.het, b.hom2};                                 \
  for (int i = 0; i < 3; ++i) {                                                        \
    for (int j = 0; j < 3; ++j) {                                                      \
      std::uint64_t c = 0;                                                             \
      const std::uint64_t* x = A[i];                                                   \
      const std::uint64_t* y = B[j];                                                   \
      for (std::size_t w = 0; w < n_words; ++w) c += __builtin_popcountll(x[w] & y[w]); \
      t.n[i][j] = c;                                                                   \
    }                                                                                  \
  }                                                                                    \
  return t;

#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
__attribute__((target("popcnt"))) inline PairTable pair_table_popcnt(const GenoBits& a, const GenoBits& b,
                                                                     std::size_t n_words) {
  MRKIT_PAIR_TABLE_BODY
}
inline PairTable pair_table_generic(const GenoBits& a, const GenoBits& b, std::size_t n_words) {
  MRKIT_PAIR_TABLE_BODY
}
inline bool cpu_has_popcnt() {
  static const bool has = __builtin_cpu_supports("popcnt");
  return has;
}
inline PairTable pair_table(const GenoBits& a, const GenoBits& b, std::size_t n_words) {
  return cpu_has_popcnt() ? pair_table_popcnt(a, b, n_words) : pair_table_generic(a, b, n_words);
}
#elif defined(__GNUC__) || defined(__clang__)
inline PairTable pair_table(const GenoBits& a, const GenoBits& b, std::size_t n_words) {
  MRKIT_PAIR_TABLE_BODY
}
#else
#define __builtin_popcountll(x) mrkit_swar_popcount(x)
inline int mrkit_swar_popcount(std::uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<int>((x * 0x0101010101010101ULL) >> 56);
}
inline PairTable pair_table(const GenoBits& a, const GenoBits& b, std::size_t n_words) {
  MRKIT_PAIR_TABLE_BODY
}
#undef __builtin_popcountll
#endif
#undef MRKIT_PAIR_TABLE_BODY

// Signed correlation of A1 dosages; NaN when either variant has no variance.
inline double dosage_r(const PairTable& t) {
  const double dose[3] = {2.0, 1.0, 0.0};
  double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      const double c = static_cast<double>(t.n[i][j]);
      n += c;
      sx += c * dose[i]; sy += c * dose[j];
      sxx += c * dose[i] * dose[i]; syy += c * dose[j] * dose[j];
      sxy += c * dose[i] * dose[j];
    }
  }
  // Sums of small integers: exact in double, so the centred sums below are exact too.
  const double cov = n * sxy - sx * sy;
  const double vx = n * sxx - sx * sx;
  const double vy = n * syy - sy * sy;
  if (!(vx > 0.0) || !(vy > 0.0)) return NA;
  double r = cov / std::sqrt(vx * vy);
  if (r > 1.0) r = 1.0;
  if (r < -1.0) r = -1.0;
  return r;
}

// Real roots of x^3 + a x^2 + b x + c into roots[0..2], ascending, each polished by
// Newton steps; returns their number.
inline int cubic_real_roots(double a, double b, double c, double roots[3]) {
  int n = 0;
  const double a3 = a / 3.0;
  const double p = b - a * a3;
  const double q = 2.0 * a3 * a3 * a3 - a3 * b + c;
  const double half_q = 0.5 * q;
  const double third_p = p / 3.0;
  const double disc = half_q * half_q + third_p * third_p * third_p;
  const double scale = std::max({1.0, std::fabs(a), std::fabs(b), std::fabs(c)});
  const double eps = 1e-14 * scale * scale;
  if (disc > eps) {
    const double sq = std::sqrt(disc);
    roots[n++] = std::cbrt(-half_q + sq) + std::cbrt(-half_q - sq) - a3;
  } else if (std::fabs(third_p) < 1e-12 * scale) {
    roots[n++] = std::cbrt(-q) - a3;
  } else {
    const double m = 2.0 * std::sqrt(-third_p);
    double arg = -half_q / std::sqrt(-third_p * third_p * third_p);
    arg = std::max(-1.0, std::min(1.0, arg));
    const double theta = std::acos(arg) / 3.0;
    const double two_pi_3 = 2.0943951023931954923;
    for (int k = 0; k < 3; ++k) roots[n++] = m * std::cos(theta - k * two_pi_3) - a3;
  }
  for (int k = 0; k < n; ++k) {
    double x = roots[k];
    for (int it = 0; it < 4; ++it) {
      const double f = ((x + a) * x + b) * x + c;
      const double d = (3.0 * x + 2.0 * a) * x + b;
      if (d == 0.0 || !std::isfinite(d)) break;
      const double step = f / d;
      x -= step;
      if (std::fabs(step) <= 1e-16 * std::max(1.0, std::fabs(x))) break;
    }
    roots[k] = x;
  }
  std::sort(roots, roots + n);
  return n;
}

// Maximum-likelihood haplotype frequencies of two biallelic variants.
struct HaplotypeFreqs {
  double p11 = NA, p12 = NA, p21 = NA, p22 = NA;  // allele 1 = A1
  bool defined = false;
};

namespace detail {

inline double xlogy(double n, double p) {
  if (n == 0.0) return 0.0;
  if (p <= 0.0) return -std::numeric_limits<double>::infinity();
  return n * std::log(p);
}

}  // namespace detail

inline HaplotypeFreqs haplotype_freqs(const PairTable& t) {
  // Haplotype counts known from samples homozygous at one or both variants.
  const double g[3][3] = {
      {double(t.n[0][0]), double(t.n[0][1]), double(t.n[0][2])},
      {double(t.n[1][0]), double(t.n[1][1]), double(t.n[1][2])},
      {double(t.n[2][0]), double(t.n[2][1]), double(t.n[2][2])}};
  const double k11 = 2 * g[0][0] + g[0][1] + g[1][0];
  const double k12 = 2 * g[0][2] + g[0][1] + g[1][2];
  const double k21 = 2 * g[2][0] + g[2][1] + g[1][0];
  const double k22 = 2 * g[2][2] + g[2][1] + g[1][2];
  const double h = g[1][1];
  const double total = k11 + k12 + k21 + k22 + 2 * h;
  HaplotypeFreqs out;
  if (total <= 0) return out;
  const double f11 = k11 / total, f12 = k12 / total, f21 = k21 / total, f22 = k22 / total;
  const double s = h / total;  // share of haplotypes from double heterozygotes, per phase
  double x = 0.0;              // part of s that is A1-B1 (and A2-B2)
  if (h > 0) {
    // EM fixed point: x (p11 p22 + p12 p21) = s p11 p22, with p11 = f11 + x,
    // p22 = f22 + x, p12 = f12 + s - x, p21 = f21 + s - x; a cubic in x.
    const double a = 0.5 * (f11 + f22 - f12 - f21 - 3 * s);
    const double b = 0.5 * (f11 * f22 + f12 * f21 + s * (f12 + f21 - f11 - f22 + s));
    const double c = -0.5 * s * f11 * f22;
    const double tol = 1e-10;
    double roots[3];
    const int nroots = cubic_real_roots(a, b, c, roots);
    double cand[5];
    int ncand = 0;
    for (int k = 0; k < nroots; ++k) {
      if (roots[k] >= -tol && roots[k] <= s + tol) cand[ncand++] = roots[k];
    }
    // The likelihood's maximum on [0, s] is an EM fixed point, so a single root in range
    // is the answer; otherwise compare likelihoods (boundaries included for safety).
    if (ncand != 1) {
      cand[ncand++] = 0.0;
      cand[ncand++] = s;
    }
    auto loglik = [&](double y) {
      const double p11 = f11 + y, p22 = f22 + y, p12 = f12 + s - y, p21 = f21 + s - y;
      return detail::xlogy(k11, p11) + detail::xlogy(k12, p12) + detail::xlogy(k21, p21) +
             detail::xlogy(k22, p22) + detail::xlogy(h, p11 * p22 + p12 * p21);
    };
    double best = -std::numeric_limits<double>::infinity();
    bool found = false;
    if (ncand == 1) {
      x = std::min(std::max(cand[0], 0.0), s);
      found = true;
      ncand = 0;
    }
    for (int k = 0; k < ncand; ++k) {
      double y = cand[k];
      if (!(y >= -tol && y <= s + tol)) continue;
      y = std::min(std::max(y, 0.0), s);
      const double ll = loglik(y);
      if (!found || ll > best + 1e-12 * std::fabs(best)) {
        best = ll; x = y; found = true;
      }
    }
  }
  out.p11 = f11 + x; out.p22 = f22 + x; out.p12 = f12 + s - x; out.p21 = f21 + s - x;
  out.defined = true;
  return out;
}

// Haplotype r^2 (plink 1.9 --clump / --ld); NaN when either variant is monomorphic.
inline double haplotype_r2(const PairTable& t) {
  const HaplotypeFreqs f = haplotype_freqs(t);
  if (!f.defined) return NA;
  const double pa = f.p11 + f.p12, pb = f.p11 + f.p21;
  const double va = pa * (1 - pa), vb = pb * (1 - pb);
  if (!(va > 0) || !(vb > 0)) return NA;
  const double d = f.p11 * f.p22 - f.p12 * f.p21;
  double r2 = d * d / (va * vb);
  return r2 > 1.0 ? 1.0 : r2;
}

// Signed dosage r between all pairs of the given panel variants (row-major n x n).
inline std::vector<double> ld_r_matrix(const PlinkBed& bed, const std::vector<std::size_t>& variants,
                                       int threads) {
  const std::size_t n = variants.size();
  const GenoBitSet bits(bed, variants);
  std::vector<double> r(n * n, NA);
  parallel_for(static_cast<int>(n), threads, [&](int ii) {
    const std::size_t i = static_cast<std::size_t>(ii);
    for (std::size_t j = i; j < n; ++j) {
      const double v = dosage_r(pair_table(bits[i], bits[j], bits.n_words()));
      r[i * n + j] = v;
      r[j * n + i] = v;
    }
  });
  return r;
}

// For each target variant, the candidate of highest dosage r^2 (>= rsq) within
// +-window_bp on the same chromosome. Ties: nearer, then earlier in `candidates`.
struct ProxyHit {
  long candidate = -1;  // position in `candidates`, -1 when none
  double r = NA;
};

inline std::vector<ProxyHit> best_proxies(const PlinkBed& bed, const std::vector<std::size_t>& targets,
                                          const std::vector<std::size_t>& candidates, double window_bp,
                                          double rsq, int threads) {
  const BimTable& bim = bed.bim();
  std::vector<std::size_t> order(candidates.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    const std::size_t vx = candidates[x], vy = candidates[y];
    if (bim.chr[vx] != bim.chr[vy]) return bim.chr[vx] < bim.chr[vy];
    return bim.pos[vx] < bim.pos[vy];
  });
  std::vector<std::size_t> sorted_variants(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) sorted_variants[k] = candidates[order[k]];
  const GenoBitSet cbits(bed, sorted_variants);
  const GenoBitSet tbits(bed, targets);
  std::vector<ProxyHit> out(targets.size());
  parallel_for(static_cast<int>(targets.size()), threads, [&](int ti) {
    const std::size_t t = targets[static_cast<std::size_t>(ti)];
    const std::string& chr = bim.chr[t];
    const long long pos = bim.pos[t];
    // First candidate on this chromosome at or after pos - window.
    auto lo = std::lower_bound(order.begin(), order.end(), 0, [&](std::size_t k, int) {
      const std::size_t v = candidates[k];
      if (bim.chr[v] != chr) return bim.chr[v] < chr;
      return static_cast<double>(bim.pos[v]) < static_cast<double>(pos) - window_bp;
    });
    ProxyHit best;
    double best_r2 = -1.0;
    long long best_dist = 0;
    for (auto it = lo; it != order.end(); ++it) {
      const std::size_t v = candidates[*it];
      if (bim.chr[v] != chr || static_cast<double>(bim.pos[v]) > static_cast<double>(pos) + window_bp) break;
      if (v == t) continue;
      const std::size_t k = static_cast<std::size_t>(it - order.begin());
      const double r = dosage_r(pair_table(tbits[static_cast<std::size_t>(ti)], cbits[k], cbits.n_words()));
      if (std::isnan(r)) continue;
      const double r2 = r * r;
      if (r2 < rsq) continue;
      const long long dist = std::llabs(bim.pos[v] - pos);
      const bool better = r2 > best_r2 ||
                          (r2 == best_r2 && (dist < best_dist ||
                                             (dist == best_dist && static_cast<long>(*it) < best.candidate)));
      if (better) {
        best_r2 = r2; best_dist = dist;
        best.candidate = static_cast<long>(*it); best.r = r;
      }
    }
    out[static_cast<std::size_t>(ti)] = best;
  });
  return out;
}

}  // namespace mrkit
