// The ratio estimators of one pair (medians and modes) from one set of bootstrap draws
// (resampling/shared_draws.hpp): each gets the estimate of its own run with the same seed,
// while the normals are drawn once. The registry's joint function of its group 1.
#pragma once
#include "mrkit/estimators/median.hpp"
#include "mrkit/estimators/mode.hpp"
#include "mrkit/resampling/shared_draws.hpp"

#include <memory>
#include <vector>

namespace mrkit {

// Members: the ModeKind values (0-4) for the modes, ratio_median_member + MedianKind for the
// medians; out[i] receives the estimate of members[i].
constexpr int ratio_median_member = 5;

inline void ratio_estimates(const SummaryData& d, const Params& p, const std::vector<int>& members, Estimate* out) {
  std::vector<ModeKind> modes;
  std::vector<int> mode_slots, median_slots;
  std::vector<detail::MedianPoint> medians;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (members[i] < ratio_median_member) {
      modes.push_back(static_cast<ModeKind>(members[i]));
      mode_slots.push_back(static_cast<int>(i));
    } else {
      medians.push_back(median_point(static_cast<MedianKind>(members[i] - ratio_median_member), d, p));
      median_slots.push_back(static_cast<int>(i));
    }
  }
  std::vector<ReplicateTask*> tasks;
  std::unique_ptr<ModeBootstrap> mode_boot;
  if (!modes.empty()) {
    mode_boot = std::make_unique<ModeBootstrap>(d, first_phi(p), modes);
    if (mode_boot->wanted()) tasks.push_back(mode_boot.get());
  }
  std::vector<std::unique_ptr<MedianBootstrap>> median_boots(medians.size());
  for (std::size_t k = 0; k < medians.size(); ++k) {
    if (!medians[k].boot) continue;
    median_boots[k] = std::make_unique<MedianBootstrap>(d, medians[k].w, p.nboot);
    tasks.push_back(median_boots[k].get());
  }
  if (!tasks.empty()) run_shared_draws(tasks, d.size(), p.nboot, p.seed, p.threads);
  if (mode_boot) {
    std::vector<Estimate> est(modes.size());
    mode_rows(mode_boot->finish(), modes, est.data());
    for (std::size_t k = 0; k < modes.size(); ++k) out[mode_slots[k]] = est[k];
  }
  for (std::size_t k = 0; k < medians.size(); ++k)
    out[median_slots[k]] = medians[k].boot ? median_finish(medians[k], median_boots[k]->se(), p) : medians[k].e;
}

}  // namespace mrkit
