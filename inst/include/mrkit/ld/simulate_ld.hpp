// Simulated LD reference panel written as a PLINK 1 .bed file (SNP-major).
//
// Variants come in haplotype blocks. Along a block, each haplotype keeps its latent allele
// from the previous variant with probability 1 - switch_prob[j], otherwise it draws a fresh
// latent allele (1 with probability freq[j]). Latent alleles are therefore positively
// correlated within a block, with correlation decaying roughly geometrically with distance,
// and independent between blocks. A1 (.bim column 5) is the latent allele 1 when
// orientation[j] = +1 and the latent allele 0 when orientation[j] = -1, so the sign of the
// true A1-A1 correlation of two variants of one block is orientation[i] * orientation[j].
// Block b draws from its own stream Rng(seed, b): the file is identical for any threads.
#pragma once
#include "mrkit/config.hpp"
#include "mrkit/resampling/parallel.hpp"
#include "mrkit/resampling/rng.hpp"

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace mrkit {

struct PanelSpec {
  std::size_t n_individuals = 0;
  std::vector<std::size_t> block_start;  // first variant of each block; ascending, starts at 0
  std::vector<double> freq;              // latent allele-1 frequency per variant
  std::vector<int> orientation;          // +1 / -1 per variant
  std::vector<double> switch_prob;       // per variant (first of a block ignored)
  double missing_rate = 0.0;
  std::uint64_t seed = 1;
  int threads = 1;
};

inline void simulate_bed(const std::string& path, const PanelSpec& s) {
  const std::size_t nv = s.freq.size();
  if (s.orientation.size() != nv || s.switch_prob.size() != nv) {
    throw std::invalid_argument("simulate_bed: per-variant inputs differ in length");
  }
  if (s.block_start.empty() || s.block_start[0] != 0) throw std::invalid_argument("simulate_bed: bad blocks");
  const std::size_t n = s.n_individuals;
  const std::size_t bpv = (n + 3) / 4;
  std::vector<std::uint8_t> out(3 + bpv * nv, 0);
  out[0] = 0x6c; out[1] = 0x1b; out[2] = 0x01;
  const std::size_t nb = s.block_start.size();
  parallel_for(static_cast<int>(nb), s.threads, [&](int bi) {
    const std::size_t b = static_cast<std::size_t>(bi);
    const std::size_t first = s.block_start[b];
    const std::size_t last = b + 1 < nb ? s.block_start[b + 1] : nv;
    Rng rng(s.seed, b);
    std::vector<std::uint8_t> hap(2 * n, 0);
    for (std::size_t j = first; j < last; ++j) {
      for (std::size_t h = 0; h < 2 * n; ++h) {
        if (j == first || rng.uniform() < s.switch_prob[j]) {
          hap[h] = rng.uniform() < s.freq[j] ? 1 : 0;
        }
      }
      std::uint8_t* dst = out.data() + 3 + j * bpv;
      for (std::size_t i = 0; i < n; ++i) {
        int a1_copies = hap[2 * i] + hap[2 * i + 1];  // copies of latent allele 1
        if (s.orientation[j] < 0) a1_copies = 2 - a1_copies;
        std::uint8_t code = a1_copies == 2 ? 0 : a1_copies == 1 ? 2 : 3;
        if (s.missing_rate > 0 && rng.uniform() < s.missing_rate) code = 1;
        dst[i / 4] |= static_cast<std::uint8_t>(code << (2 * (i % 4)));
      }
    }
  });
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::invalid_argument("cannot write " + path);
  const std::size_t written = std::fwrite(out.data(), 1, out.size(), f);
  const int closed = std::fclose(f);
  if (written != out.size() || closed != 0) throw std::runtime_error("failed writing " + path);
}

}  // namespace mrkit
