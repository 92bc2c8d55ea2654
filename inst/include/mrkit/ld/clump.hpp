// Greedy LD clumping as plink 1.9 --clump does it.
//
// Within each group (e.g. one exposure) and chromosome, variants are visited in order of
// ascending p (ties: order of input). A variant not yet assigned with p <= p1 becomes an
// index variant; it absorbs every not-yet-assigned variant on the same chromosome with
// |bp difference| <= kb * 1000 and haplotype r^2 >= r2 (pairs of undefined r^2 are not
// absorbed). Absorbed variants never become index variants. Groups and chromosomes are
// independent, so they run as parallel tasks; the result does not depend on the number of
// threads.
#pragma once
#include "mrkit/config.hpp"
#include "mrkit/ld/correlation.hpp"
#include "mrkit/resampling/parallel.hpp"
#include "mrkit/io/plink_bed.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace mrkit {

enum class ClumpStatus : int {
  index = 0,        // index variant (kept)
  clumped = 1,      // absorbed by an index variant
  absent = 2,       // not in the reference panel
  missing_p = 3,    // p-value missing
  above_p1 = 4      // p > p1 and not absorbed by any index variant
};

struct ClumpSettings {
  double kb = 10000;
  double r2 = 0.001;
  double p1 = 1;
  int threads = 1;
};

struct ClumpResult {
  std::vector<int> status;      // ClumpStatus per input row
  std::vector<long> index_row;  // for absorbed rows: input row of the index variant, else -1
  std::vector<double> r2;       // for absorbed rows: r^2 with the index variant, else NaN
};

// panel_index[i]: row of input i in the panel (-1 = absent); p[i]: p-value (NaN = missing);
// group[i]: clumping group of input i.
inline ClumpResult clump(const PlinkBed& bed, const std::vector<long>& panel_index,
                         const std::vector<double>& p, const std::vector<int>& group,
                         const ClumpSettings& set) {
  const std::size_t n = panel_index.size();
  if (p.size() != n || group.size() != n) throw std::invalid_argument("clump: inputs differ in length");
  const BimTable& bim = bed.bim();
  ClumpResult res;
  res.status.assign(n, static_cast<int>(ClumpStatus::above_p1));
  res.index_row.assign(n, -1);
  res.r2.assign(n, NA);

  std::map<std::pair<int, std::string>, std::vector<std::size_t>> task_rows;
  for (std::size_t i = 0; i < n; ++i) {
    if (panel_index[i] < 0) { res.status[i] = static_cast<int>(ClumpStatus::absent); continue; }
    if (static_cast<std::size_t>(panel_index[i]) >= bed.n_variants()) {
      throw std::invalid_argument("clump: panel index out of range");
    }
    if (std::isnan(p[i])) { res.status[i] = static_cast<int>(ClumpStatus::missing_p); continue; }
    task_rows[{group[i], bim.chr[static_cast<std::size_t>(panel_index[i])]}].push_back(i);
  }
  std::vector<std::vector<std::size_t>> tasks;
  tasks.reserve(task_rows.size());
  for (auto& kv : task_rows) tasks.push_back(std::move(kv.second));
  // Largest tasks first for better load balance (each task writes only its own rows).
  std::vector<int> task_order(tasks.size());
  for (std::size_t k = 0; k < tasks.size(); ++k) task_order[k] = static_cast<int>(k);
  std::stable_sort(task_order.begin(), task_order.end(),
                   [&](int a, int b) { return tasks[a].size() > tasks[b].size(); });
  const double window = set.kb * 1000.0;
  // With a single task (one exposure on one chromosome) the threads share each index
  // variant's window instead; the r^2 values are computed independently and assigned in
  // order afterwards, so the result is the same for any number of threads.
  const int inner_threads = tasks.size() == 1 ? set.threads : 1;

  parallel_for(static_cast<int>(tasks.size()), set.threads, [&](int ti) {
    std::vector<std::size_t> rows = tasks[static_cast<std::size_t>(task_order[ti])];
    // Rows by position (stable: input order within a position).
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
      return bim.pos[panel_index[a]] < bim.pos[panel_index[b]];
    });
    const std::size_t m = rows.size();
    std::vector<std::size_t> variants(m);
    std::vector<double> pos(m);
    for (std::size_t k = 0; k < m; ++k) {
      variants[k] = static_cast<std::size_t>(panel_index[rows[k]]);
      pos[k] = static_cast<double>(bim.pos[variants[k]]);
    }
    const GenoBitSet bits(bed, variants);
    std::vector<std::size_t> by_p(m);
    for (std::size_t k = 0; k < m; ++k) by_p[k] = k;
    std::stable_sort(by_p.begin(), by_p.end(), [&](std::size_t a, std::size_t b) {
      const double pa = p[rows[a]], pb = p[rows[b]];
      if (pa != pb) return pa < pb;
      return rows[a] < rows[b];
    });
    std::vector<char> used(m, 0);
    std::vector<std::size_t> cand;
    std::vector<double> cand_r2;
    for (std::size_t k : by_p) {
      if (used[k]) continue;
      const std::size_t row = rows[k];
      if (!(p[row] <= set.p1)) break;  // all later ones have larger p
      used[k] = 1;
      res.status[row] = static_cast<int>(ClumpStatus::index);
      const std::size_t lo = static_cast<std::size_t>(
          std::lower_bound(pos.begin(), pos.end(), pos[k] - window) - pos.begin());
      cand.clear();
      for (std::size_t j = lo; j < m && pos[j] <= pos[k] + window; ++j) {
        if (!used[j]) cand.push_back(j);
      }
      cand_r2.assign(cand.size(), NA);
      const std::size_t chunk = 256;
      const int n_chunks = static_cast<int>((cand.size() + chunk - 1) / chunk);
      parallel_for(n_chunks, n_chunks > 1 ? inner_threads : 1, [&](int ci) {
        const std::size_t from = static_cast<std::size_t>(ci) * chunk;
        const std::size_t to = std::min(cand.size(), from + chunk);
        for (std::size_t c = from; c < to; ++c) {
          cand_r2[c] = haplotype_r2(pair_table(bits[k], bits[cand[c]], bits.n_words()));
        }
      });
      for (std::size_t c = 0; c < cand.size(); ++c) {
        if (!(cand_r2[c] >= set.r2)) continue;
        const std::size_t j = cand[c];
        used[j] = 1;
        res.status[rows[j]] = static_cast<int>(ClumpStatus::clumped);
        res.index_row[rows[j]] = static_cast<long>(row);
        res.r2[rows[j]] = cand_r2[c];
      }
    }
  });
  return res;
}

}  // namespace mrkit
