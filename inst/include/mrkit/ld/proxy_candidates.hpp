// LD partners: every panel variant that could serve as an LD proxy of a target variant.
//
// A proxy of target t (see best_proxies() in ld/correlation.hpp) is a variant v != t on the
// same chromosome with |pos(v) - pos(t)| <= window_bp whose dosage r^2 with t (pairwise-
// complete, as plink --r2) is at least rsq. ld_partners() lists all of them from the whole
// panel, so that a caller can read from an outcome file only the rows that can become a
// proxy, instead of every variant of the window. The r^2 is computed exactly as
// best_proxies() computes it (same 3 x 3 table, target first), so the best proxy among the
// partners is the best proxy among all the window's variants.
#pragma once
#include "mrkit/config.hpp"
#include "mrkit/io/plink_bed.hpp"
#include "mrkit/ld/correlation.hpp"
#include "mrkit/resampling/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace mrkit {

struct LdPartner {
  std::size_t target = 0;   // position in `targets`
  std::size_t variant = 0;  // panel index of the partner
  double r = NA;            // signed dosage correlation (panel A1 with A1)
};

namespace detail {

// Panel indices of the variants of each chromosome in `chrs`, ordered by position (file
// order among equal positions): one pass over the .bim, and a sort only where it is unsorted.
inline std::vector<std::vector<std::size_t>> chromosomes_by_position(const BimTable& bim,
                                                                     const std::vector<std::string>& chrs) {
  std::vector<std::vector<std::size_t>> idx(chrs.size());
  const std::string* last = nullptr;
  std::size_t slot = chrs.size();
  for (std::size_t v = 0; v < bim.size(); ++v) {
    if (last == nullptr || bim.chr[v] != *last) {
      last = &bim.chr[v];
      slot = static_cast<std::size_t>(std::find(chrs.begin(), chrs.end(), *last) - chrs.begin());
    }
    if (slot < chrs.size()) idx[slot].push_back(v);
  }
  const auto by_pos = [&](std::size_t x, std::size_t y) { return bim.pos[x] < bim.pos[y]; };
  for (auto& c : idx) {
    if (!std::is_sorted(c.begin(), c.end(), by_pos)) std::stable_sort(c.begin(), c.end(), by_pos);
  }
  return idx;
}

}  // namespace detail

// For every target (panel index), the panel variants within +-window_bp on its chromosome
// with dosage r^2 >= rsq (variants of undefined r, e.g. monomorphic, excluded). Results are
// grouped by target in the order of `targets`, each group in panel position order. Each
// target's window is decoded on its own, so memory stays at one window per thread.
inline std::vector<LdPartner> ld_partners(const PlinkBed& bed, const std::vector<std::size_t>& targets,
                                          double window_bp, double rsq, int threads) {
  const BimTable& bim = bed.bim();
  // Chromosomes of the targets, each indexed once.
  std::vector<std::string> chrs;
  std::vector<std::size_t> chr_of(targets.size());
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const std::string& c = bim.chr.at(targets[k]);
    auto it = std::find(chrs.begin(), chrs.end(), c);
    chr_of[k] = static_cast<std::size_t>(it - chrs.begin());
    if (it == chrs.end()) chrs.push_back(c);
  }
  const std::vector<std::vector<std::size_t>> on_chr = detail::chromosomes_by_position(bim, chrs);

  std::vector<std::vector<LdPartner>> found(targets.size());
  parallel_for(static_cast<int>(targets.size()), threads, [&](int ti) {
    const std::size_t k = static_cast<std::size_t>(ti);
    const std::size_t t = targets[k];
    const std::vector<std::size_t>& idx = on_chr[chr_of[k]];
    const double pos = static_cast<double>(bim.pos[t]);
    auto lo = std::lower_bound(idx.begin(), idx.end(), 0, [&](std::size_t v, int) {
      return static_cast<double>(bim.pos[v]) < pos - window_bp;
    });
    auto hi = std::upper_bound(lo, idx.end(), 0, [&](int, std::size_t v) {
      return pos + window_bp < static_cast<double>(bim.pos[v]);
    });
    std::vector<std::size_t> window(lo, hi);
    window.erase(std::remove(window.begin(), window.end(), t), window.end());
    if (window.empty()) return;
    const GenoBitSet tbits(bed, std::vector<std::size_t>{t});
    const GenoBitSet wbits(bed, window);
    for (std::size_t j = 0; j < window.size(); ++j) {
      const double r = dosage_r(pair_table(tbits[0], wbits[j], wbits.n_words()));
      if (std::isnan(r) || r * r < rsq) continue;
      found[k].push_back(LdPartner{k, window[j], r});
    }
  });
  std::vector<LdPartner> out;
  for (auto& f : found) out.insert(out.end(), f.begin(), f.end());
  return out;
}

}  // namespace mrkit
