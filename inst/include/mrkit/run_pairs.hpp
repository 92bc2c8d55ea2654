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
// identical for any number of threads. `interrupted` is asked before each round of pairs (one
// pair per thread); when it
// answers true the run stops with mrkit::Interrupted.
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
  std::vector<MethodFn> fns;
  for (const auto& m : methods) fns.push_back(find_method(m));
  std::vector<Estimate> out(static_cast<std::size_t>(n_pairs) * n_methods);
  // Threads go to pairs when there are enough of them, otherwise inside resampling.
  const int inner = n_pairs >= threads ? 1 : threads;
  const int outer = n_pairs >= threads ? threads : 1;
  const bool done = parallel_for_interruptible(n_pairs, outer, outer, interrupted, [&](int i) {
    const int start = offsets[i], len = offsets[i + 1] - offsets[i];
    const SummaryData d(bx.segment(start, len), by.segment(start, len), sx.segment(start, len),
                        sy.segment(start, len));
    for (int m = 0; m < n_methods; ++m) {
      Params p = params;
      p.seed = seeds[static_cast<std::size_t>(i) * n_methods + m];
      p.threads = inner;
      Estimate& e = out[static_cast<std::size_t>(i) * n_methods + m];
      e = fns[m](d, p);
      finish_estimate(e, p.alpha);
    }
  });
  if (!done) throw Interrupted();
  return out;
}

}  // namespace mrkit
