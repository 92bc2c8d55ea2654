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
  double uniform() { return ((next() >> 11) + 0.5) * 0x1.0p-53; }
  // Uniform integer in [0, n).
  std::uint64_t below(std::uint64_t n) { return static_cast<std::uint64_t>(uniform() * n) % n; }
  // Standard normal by the Marsaglia polar method.
  double normal() {
    if (has_spare_) { has_spare_ = false; return spare_; }
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double m = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * m;
    has_spare_ = true;
    return u * m;
  }
  double normal(double mean, double sd) { return mean + sd * normal(); }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace mrkit
