// Random streams for resampling. Every replicate b of a resampling procedure gets its own
// engine seeded from (base seed, b), so results do not depend on how replicates are spread
// over threads. The base seed is drawn from R's RNG by the caller, so set.seed() reproduces.
#pragma once
#include "mrkit/config.hpp"

#include <cmath>
#include <cstdint>

namespace mrkit {

inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// xoshiro256++ (Blackman & Vigna), seeded through splitmix64.
class Rng {
 public:
  Rng(std::uint64_t base_seed, std::uint64_t stream) {
    std::uint64_t sm = base_seed ^ (0xD1B54A32D192ED03ULL * (stream + 1));
    for (auto& v : s_) v = splitmix64(sm);
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0]; s_[3] ^= s_[1]; s_[1] ^= s_[2]; s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform on (0, 1), never 0 or 1.
  double uniform() { return (static_cast<double>(static_cast<std::int64_t>(next() >> 11)) + 0.5) * 0x1.0p-53; }
  // Uniform integer in [0, n).
  std::uint64_t below(std::uint64_t n) { return static_cast<std::uint64_t>(uniform() * n) % n; }
  // Standard normal by the ziggurat method (Marsaglia & Tsang 2000) with 256 layers of equal
  // area: one 64-bit draw gives the layer (low 8 bits) and a uniform on [-1, 1) (high 53
  // bits); about 99% of draws return from the first comparison. Draws that land outside a
  // layer's inner rectangle are accepted or rejected against the density (wedges) or drawn
  // from the tail beyond the bottom layer's edge r by Marsaglia's exponential method.
  // The first comparison is inlined; the rest (wedges, tail, retries) is a call.
  double normal() {
    const std::uint64_t u = next();
    const int i = static_cast<int>(u & 0xFF);
    const double U = static_cast<double>(static_cast<std::int64_t>(u >> 11)) * 0x1.0p-52 - 1.0;  // [-1, 1)
    if (std::fabs(U) < tables_.ratio[i]) return U * tables_.x[i];
    return normal_outside(i, U);
  }
  double normal(double mean, double sd) { return mean + sd * normal(); }

 private:
  // Layer edges of the ziggurat for f(x) = exp(-x^2 / 2): layer i spans [0, x[i]] (x[1] = r,
  // decreasing to x[256] = 0), each of area v; layer 0 is the base strip of width v / f(r)
  // whose part beyond r stands for the tail. r and v solve "256 layers of equal area v close
  // at the mode" (computed once in double precision; r = 3.6541528853610088).
  struct ZigguratTables {
    double x[257];
    double ratio[256];  // x[i + 1] / x[i]: below it a point lies under the curve
    ZigguratTables() {
      const double r = 3.6541528853610088, v = 0.0049286732339746571;
      auto f = [](double t) { return std::exp(-0.5 * t * t); };
      x[0] = v / f(r);
      x[1] = r;
      for (int i = 2; i < 256; ++i) x[i] = std::sqrt(-2.0 * std::log(v / x[i - 1] + f(x[i - 1])));
      x[256] = 0.0;
      for (int i = 0; i < 256; ++i) ratio[i] = x[i + 1] / x[i];
    }
  };
  static inline const ZigguratTables tables_{};
  // A draw that fell outside layer i's inner rectangle at U, and the draws after it.
  MRKIT_NOINLINE double normal_outside(int i, double U) {
    const ZigguratTables& z = tables_;
    for (;;) {
      if (i == 0) return normal_tail(z.x[1], U < 0);
      const double x = U * z.x[i];
      const double f0 = std::exp(-0.5 * (z.x[i] * z.x[i] - x * x));          // f(x_i) / f(x)
      const double f1 = std::exp(-0.5 * (z.x[i + 1] * z.x[i + 1] - x * x));  // f(x_i+1) / f(x)
      if (f0 + uniform() * (f1 - f0) < 1.0) return x;
      const std::uint64_t u = next();
      i = static_cast<int>(u & 0xFF);
      U = static_cast<double>(static_cast<std::int64_t>(u >> 11)) * 0x1.0p-52 - 1.0;
      if (std::fabs(U) < z.ratio[i]) return U * z.x[i];
    }
  }
  // A draw from the normal tail beyond r, with the given sign.
  double normal_tail(double r, bool negative) {
    double t, e;
    do {
      t = -std::log(uniform()) / r;
      e = -std::log(uniform());
    } while (2.0 * e < t * t);
    return negative ? -(r + t) : r + t;
  }
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace mrkit
