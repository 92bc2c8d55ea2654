// Many exposure-outcome pairs x many methods in one call, threaded over pairs.
// Pair i holds rows [offsets[i], offsets[i + 1]) of the stacked vectors.
#pragma once
#include "mrkit/resampling/parallel.hpp"
#include "mrkit/registry.hpp"

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <vector>

namespace mrkit {

// Returns estimates pair-major: result[i * methods.size() + m]. `seeds` holds one base
// seed per (pair, method) in the same order, drawn by the caller, so that the result is
// identical for any number of threads. Methods of one group of shared draws (the medians
// and modes, see MethodEntry) that have the same seed on a pair share one bootstrap.
// `interrupted` is asked before each round of pairs (one pair per thread); when it answers
// true the run stops with mrkit::Interrupted.
inline std::vector<Estimate> run_pairs(const Vec& bx, const Vec& by, const Vec& sx, const Vec& sy,
                                       const std::vector<int>& offsets,
                                       const std::vector<std::string>& methods, const Params& params,
                                       const std::vector<std::uint64_t>& seeds, int threads,
                                       const std::function<bool()>& interrupted = nullptr) {
  const int n_pairs = static_cast<int>(offsets.size()) - 1;
  const int n_methods = static_cast<int>(methods.size());
  if (n_pairs < 0 || offsets.back() != bx.size())
    throw std::invalid_argument("pair offsets do not match the data");
  if (static_cast<int>(seeds.size()) != n_pairs * n_methods)
    throw std::invalid_argument("one seed per pair and method is needed");
  std::vector<const MethodEntry*> entries;
  for (const auto& m : methods) entries.push_back(&find_entry(m));
  std::vector<Estimate> out(static_cast<std::size_t>(n_pairs) * n_methods);
  // Threads go to pairs when there are enough of them, otherwise inside resampling.
  const int inner = n_pairs >= threads ? 1 : threads;
  const int outer = n_pairs >= threads ? threads : 1;
  const bool done = parallel_for_interruptible(n_pairs, outer, outer, interrupted, [&](int i) {
    const int start = offsets[i], len = offsets[i + 1] - offsets[i];
    const SummaryData d(bx.segment(start, len), by.segment(start, len), sx.segment(start, len),
                        sy.segment(start, len));
    std::vector<char> computed(n_methods, 0);
    std::vector<int> members, slots;
    std::vector<Estimate> joint;
    for (int m = 0; m < n_methods; ++m) {
      if (computed[m]) continue;
      const std::size_t at = static_cast<std::size_t>(i) * n_methods;
      Params p = params;
      p.seed = seeds[at + m];
      p.threads = inner;
      const int group = entries[m]->draws_group;
      if (group == 0) {
        out[at + m] = entries[m]->fn(d, p);
        finish_estimate(out[at + m], p.alpha);
        continue;
      }
      // Methods of the same group with the same seed share one bootstrap.
      members.clear(); slots.clear();
      for (int m2 = m; m2 < n_methods; ++m2)
        if (!computed[m2] && entries[m2]->draws_group == group && seeds[at + m2] == p.seed) {
          members.push_back(entries[m2]->member);
          slots.push_back(m2);
        }
      joint.assign(members.size(), Estimate());
      joint_function(group)(d, p, members, joint.data());
      for (std::size_t k = 0; k < slots.size(); ++k) {
        out[at + slots[k]] = joint[k];
        finish_estimate(out[at + slots[k]], p.alpha);
        computed[slots[k]] = 1;
      }
    }
  });
  if (!done) throw Interrupted();
  return out;
}

}  // namespace mrkit
