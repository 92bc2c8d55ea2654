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
#include <functional>
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
  // Asked on the calling thread between chromosomes (and between blocks of a single
  // chromosome's work); true stops the clumping with mrkit::Interrupted.
  std::function<bool()> interrupted;
};

struct ClumpResult {
  std::vector<int> status;      // ClumpStatus per input row
  std::vector<long> index_row;  // for absorbed rows: input row of the index variant, else -1
  std::vector<double> r2;       // for absorbed rows: r^2 with the index variant, else NaN
};

// panel_index[i]: row of input i in the panel (-1 = absent); p[i]: p-value (NaN = missing);
// group[i]: clumping group of input i.
//
// Computed in two passes per group and chromosome, with the same result as the greedy
// loop above:
//  1. the greedy loop over the variants with p <= p1 only (the only ones that can become
//     index variants; which of them are absorbed depends only on earlier index variants);
//  2. every variant with p > p1 is absorbed by the first index variant, in order of p,
//     within the window with r^2 >= r2 (all index variants precede it in the greedy
//     order). These variants are visited in position order and their genotypes decoded
//     one at a time (none when no index variant is in reach), so memory holds the bit
//     planes of the p <= p1 variants only, and the passes over the panel's mapped pages
//     are released after each chromosome.
inline ClumpResult clump(const PlinkBed& bed, const std::vector<long>& panel_index,
                         const std::vector<double>& p, const std::vector<int>& group,
                         const ClumpSettings& set) {
  const std::size_t n = panel_index.size();
  if (p.size() != n || group.size() != n) throw std::invalid_argument("clump: inputs differ in length");
  const BimIndex& bim = bed.bim_index();
  ClumpResult res;
  res.status.assign(n, static_cast<int>(ClumpStatus::above_p1));
  res.index_row.assign(n, -1);
  res.r2.assign(n, NA);

  std::map<std::pair<int, std::uint32_t>, std::vector<std::size_t>> task_rows;
  for (std::size_t i = 0; i < n; ++i) {
    if (panel_index[i] < 0) { res.status[i] = static_cast<int>(ClumpStatus::absent); continue; }
    if (static_cast<std::size_t>(panel_index[i]) >= bed.n_variants()) {
      throw std::invalid_argument("clump: panel index out of range");
    }
    if (std::isnan(p[i])) { res.status[i] = static_cast<int>(ClumpStatus::missing_p); continue; }
    task_rows[{group[i], bim.chr(static_cast<std::size_t>(panel_index[i]))}].push_back(i);
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
  // With a single task (one exposure on one chromosome) the threads share the work within
  // it instead; every r^2 is computed independently and assigned in order, so the result
  // is the same for any number of threads.
  const int inner_threads = tasks.size() == 1 ? set.threads : 1;

  const bool done = parallel_for_interruptible(static_cast<int>(tasks.size()), set.threads, std::max(set.threads, 1),
                                               set.interrupted, [&](int ti) {
    std::vector<std::size_t> rows = tasks[static_cast<std::size_t>(task_order[ti])];
    // Rows by position (stable: input order within a position).
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
      return bim.pos(static_cast<std::size_t>(panel_index[a])) < bim.pos(static_cast<std::size_t>(panel_index[b]));
    });
    auto variant_of = [&](std::size_t row) { return static_cast<std::size_t>(panel_index[row]); };
    auto pos_of = [&](std::size_t row) { return static_cast<double>(bim.pos(variant_of(row))); };
    std::size_t first_variant = variant_of(rows[0]), last_variant = first_variant;
    for (std::size_t row : rows) {
      first_variant = std::min(first_variant, variant_of(row));
      last_variant = std::max(last_variant, variant_of(row));
    }

    // Pass 1: the greedy loop over the rows with p <= p1 (position order).
    std::vector<std::size_t> sel;
    for (std::size_t row : rows) {
      if (p[row] <= set.p1) sel.push_back(row);
    }
    const std::size_t m = sel.size();
    std::vector<std::size_t> variants(m);
    std::vector<double> pos(m);
    for (std::size_t k = 0; k < m; ++k) {
      variants[k] = variant_of(sel[k]);
      pos[k] = pos_of(sel[k]);
    }
    const GenoBitSet bits(bed, variants);
    std::vector<std::size_t> by_p(m);
    for (std::size_t k = 0; k < m; ++k) by_p[k] = k;
    std::stable_sort(by_p.begin(), by_p.end(), [&](std::size_t a, std::size_t b) {
      const double pa = p[sel[a]], pb = p[sel[b]];
      if (pa != pb) return pa < pb;
      return sel[a] < sel[b];
    });
    std::vector<char> used(m, 0);
    std::vector<std::size_t> index_k;  // index variants (positions in sel), in order of p
    std::vector<std::size_t> cand;
    std::vector<double> cand_r2;
    for (std::size_t k : by_p) {
      if (used[k]) continue;
      const std::size_t row = sel[k];
      used[k] = 1;
      res.status[row] = static_cast<int>(ClumpStatus::index);
      index_k.push_back(k);
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
        res.status[sel[j]] = static_cast<int>(ClumpStatus::clumped);
        res.index_row[sel[j]] = static_cast<long>(row);
        res.r2[sel[j]] = cand_r2[c];
      }
    }

    // Pass 2: each row with p > p1 goes to the first index variant (order of p) in its
    // window with r^2 >= r2. Index variants by position, for the window look-up.
    std::vector<std::size_t> rest;
    for (std::size_t row : rows) {
      if (!(p[row] <= set.p1)) rest.push_back(row);
    }
    const std::size_t n_index = index_k.size();
    if (!rest.empty() && n_index > 0) {
      std::vector<std::size_t> idx_by_pos(n_index);  // ranks (order of p), by position
      for (std::size_t r = 0; r < n_index; ++r) idx_by_pos[r] = r;
      std::sort(idx_by_pos.begin(), idx_by_pos.end(), [&](std::size_t a, std::size_t b) {
        return pos[index_k[a]] < pos[index_k[b]] || (pos[index_k[a]] == pos[index_k[b]] && a < b);
      });
      std::vector<double> idx_pos(n_index);
      for (std::size_t q = 0; q < n_index; ++q) idx_pos[q] = pos[index_k[idx_by_pos[q]]];
      const std::size_t chunk = 1024;
      const int n_chunks = static_cast<int>((rest.size() + chunk - 1) / chunk);
      // A single task runs on the calling thread: it may ask for interrupts itself.
      const std::function<bool()> none;
      const bool finished = parallel_for_interruptible(
          n_chunks, n_chunks > 1 ? inner_threads : 1, 16, tasks.size() == 1 ? set.interrupted : none, [&](int ci) {
        GenoBitsBuffer buffer(bed);
        std::vector<std::size_t> ranks;
        std::size_t cached_lo = 0, cached_hi = 0;
        const std::size_t from = static_cast<std::size_t>(ci) * chunk;
        const std::size_t to = std::min(rest.size(), from + chunk);
        for (std::size_t c = from; c < to; ++c) {
          const std::size_t row = rest[c];
          const double x = pos_of(row);
          // A superset of the index variants in reach; each pair is then tested with the
          // expressions of the greedy loop (candidate within [pos - w, pos + w] of the index).
          const std::size_t lo = static_cast<std::size_t>(
              std::lower_bound(idx_pos.begin(), idx_pos.end(), x - window - 1.0) - idx_pos.begin());
          const std::size_t hi = static_cast<std::size_t>(
              std::upper_bound(idx_pos.begin(), idx_pos.end(), x + window + 1.0) - idx_pos.begin());
          if (lo >= hi) continue;
          if (lo != cached_lo || hi != cached_hi || ranks.empty()) {
            ranks.assign(idx_by_pos.begin() + static_cast<std::ptrdiff_t>(lo),
                         idx_by_pos.begin() + static_cast<std::ptrdiff_t>(hi));
            std::sort(ranks.begin(), ranks.end());
            cached_lo = lo; cached_hi = hi;
          }
          bool loaded = false;
          GenoBits g{};
          for (std::size_t r : ranks) {
            const std::size_t k = index_k[r];
            if (!(x >= pos[k] - window && x <= pos[k] + window)) continue;
            if (!loaded) { g = buffer.load(variant_of(row)); loaded = true; }
            const double r2 = haplotype_r2(pair_table(bits[k], g, bits.n_words()));
            if (!(r2 >= set.r2)) continue;
            res.status[row] = static_cast<int>(ClumpStatus::clumped);
            res.index_row[row] = static_cast<long>(sel[k]);
            res.r2[row] = r2;
            break;
          }
        }
      });
      if (!finished) throw Interrupted();
    }
    bed.release_pages(first_variant, last_variant);
  });
  if (!done) throw Interrupted();
  return res;
}

}  // namespace mrkit
