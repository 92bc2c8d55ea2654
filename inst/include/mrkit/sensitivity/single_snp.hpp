// Single-variant analysis (methods.md 5): one method applied to each variant on its own,
// plus other methods on all variants, as TwoSampleMR's mr_singlesnp reports them.
#pragma once
#include "mrkit/estimate.hpp"
#include "mrkit/resampling/parallel.hpp"
#include "mrkit/params.hpp"
#include "mrkit/registry.hpp"
#include "mrkit/summary_data.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace mrkit {

// The data of variant j alone.
inline SummaryData single_variant(const SummaryData& d, int j) {
  return SummaryData(d.bx.segment(j, 1), d.by.segment(j, 1), d.sx.segment(j, 1),
                     d.sy.segment(j, 1));
}

// Result k < J is `single_method` on variant k; result J + m is all_methods[m] on all
// variants. seeds[k] is the base seed of result k (J + all_methods.size() seeds).
inline std::vector<Estimate> single_snp(const SummaryData& d, const std::string& single_method,
                                        const std::vector<std::string>& all_methods,
                                        const Params& params,
                                        const std::vector<std::uint64_t>& seeds, int threads) {
  const int J = d.size();
  const int M = static_cast<int>(all_methods.size());
  if (static_cast<int>(seeds.size()) != J + M)
    throw std::invalid_argument("single-SNP analysis needs one seed per fit");
  const MethodFn single = find_method(single_method);
  std::vector<MethodFn> all;
  for (const auto& m : all_methods) all.push_back(find_method(m));
  std::vector<Estimate> out(static_cast<std::size_t>(J + M));
  parallel_for(J + M, threads, [&](int k) {
    Params p = params;
    p.seed = seeds[k];
    p.threads = 1;
    out[k] = k < J ? single(single_variant(d, k), p) : all[k - J](d, p);
  });
  return out;
}

}  // namespace mrkit
