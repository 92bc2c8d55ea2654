// One set of normal draws for several parametric bootstraps of the same pair. Replicate b
// takes z1 and then z2, each J standard normals, from Rng(seed, b) (z2 only when a task
// needs it), and hands them to every task. The ratio estimators use them as TwoSampleMR's
// bootstraps draw their data (methods.md 4.6-4.7): the medians bx* = bx + sx z1 and
// by* = by + sy z2, the modes r* = r + se2 z1 and, without measurement error, r + se1 z2.
// An estimator run alone draws exactly these numbers, so estimators run together give
// each the result of its own run with that seed, for the price of one set of draws.
#pragma once
#include "mrkit/resampling/parallel.hpp"
#include "mrkit/resampling/rng.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace mrkit {

// A bootstrap that runs on shared draws.
class ReplicateTask {
 public:
  virtual ~ReplicateTask() = default;
  virtual bool needs_z2() const = 0;
  // Replicate b from its draws (called concurrently for different b).
  virtual void replicate(int b, const double* z1, const double* z2) = 0;
  // Called between the pilot replicates [0, pilot), which come first, and the others
  // (summaries of the pilot can speed up the rest; see stats::ReplicateRange).
  virtual void after_pilot(int pilot) = 0;
};

constexpr int pilot_replicates = 32;

inline void run_shared_draws(const std::vector<ReplicateTask*>& tasks, int J, int nboot, std::uint64_t seed,
                             int threads) {
  bool second = false;
  for (const ReplicateTask* t : tasks) second = second || t->needs_z2();
  auto one = [&](int b) {
    thread_local std::vector<double> z1, z2;
    z1.resize(J);
    z2.resize(J);
    Rng rng(seed, static_cast<std::uint64_t>(b));
    for (int j = 0; j < J; ++j) z1[j] = rng.normal();
    if (second)
      for (int j = 0; j < J; ++j) z2[j] = rng.normal();
    for (ReplicateTask* t : tasks) t->replicate(b, z1.data(), z2.data());
  };
  const int pilot = std::min(nboot, pilot_replicates);
  parallel_for(pilot, threads, one);
  for (ReplicateTask* t : tasks) t->after_pilot(pilot);
  parallel_for(nboot - pilot, threads, [&](int i) { one(pilot + i); });
}

}  // namespace mrkit
