// Tuning parameters of the estimators: TwoSampleMR's default_parameters() plus the
// named conventions of other packages. Strings from R are mapped to these enums once,
// in the glue.
#pragma once
#include "mrkit/config.hpp"

#include <cstdint>
#include <vector>

namespace mrkit {

enum class TestDist { z, t };                 // Rucker framework's IVW p-values (test_dist)
// Which distribution p-values use: each method's TwoSampleMR choice (z for IVW and medians,
// t for MR-Egger and modes), or normal / Student t throughout as in MendelianRandomization.
enum class PvalDist { tsmr, normal, t };
enum class MedianWeights { second_order, first_order };
enum class IvwModel { random, fixed, default_rule };  // default_rule: fixed if J <= 3
enum class LossFunction { l2, huber, tukey };

struct Params {
  TestDist test_dist = TestDist::z;
  int nboot = 1000;
  double cov = 0.0;            // covariance between bx and by (second-order SEs)
  double penk = 20.0;          // penalisation constant for penalised median/mode
  std::vector<double> phi{1.0};  // mode bandwidth multipliers
  double alpha = 0.05;
  double qthresh = 0.05;
  bool over_dispersion = true;
  LossFunction loss = LossFunction::huber;
  bool shrinkage = false;
  // Conventions that change numbers (TwoSampleMR defaults first).
  MedianWeights median_weights = MedianWeights::second_order;
  PvalDist distribution = PvalDist::tsmr;
  IvwModel ivw_model = IvwModel::random;
  bool mode_floor = true;      // bandwidth floored at 1e-8 (TwoSampleMR)
  bool tsmr_quirks = false;    // reproduce TwoSampleMR's defective numbers exactly
  int r_density_version = 0;   // 0: R < 4.4 density() grid; 1: R >= 4.4 grid
  std::uint64_t seed = 0;      // base seed of this method's random stream
  int threads = 1;             // threads for resampling inside one estimator
};

}  // namespace mrkit
