// Look-up of variant ids in a .bim table: an open-addressing hash table of row numbers
// (4 bytes per slot, at most half full), so that finding a few thousand ids among millions
// costs a few thousand probes once the index exists, and the index itself stays small
// (8 MB for a 1,000,000-variant panel). Duplicated ids resolve to their first row, as R's
// match().
#pragma once
#include "mrkit/io/plink_bed.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mrkit {

class BimIndex {
 public:
  explicit BimIndex(const BimTable& bim) : bim_(&bim) {
    std::size_t cap = 16;
    while (cap < 2 * bim.size() + 1) cap *= 2;
    mask_ = cap - 1;
    slots_.assign(cap, 0);
    for (std::size_t v = 0; v < bim.size(); ++v) {
      std::size_t s = hash(bim.id[v]) & mask_;
      while (slots_[s] != 0 && bim.id[slots_[s] - 1] != bim.id[v]) s = (s + 1) & mask_;
      if (slots_[s] == 0) slots_[s] = static_cast<std::uint32_t>(v + 1);
    }
  }

  // Row of `id`, or -1 when absent.
  long find(std::string_view id) const {
    std::size_t s = hash(id) & mask_;
    while (slots_[s] != 0) {
      const std::size_t v = slots_[s] - 1;
      if (bim_->id[v] == id) return static_cast<long>(v);
      s = (s + 1) & mask_;
    }
    return -1;
  }

 private:
  static std::size_t hash(std::string_view s) { return std::hash<std::string_view>{}(s); }
  const BimTable* bim_;
  std::size_t mask_ = 0;
  std::vector<std::uint32_t> slots_;
};

}  // namespace mrkit
