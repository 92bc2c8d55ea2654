// The method registry: TwoSampleMR method names (mr_method_list()$obj) mapped to kernels
// with the common signature Estimate(const SummaryData&, const Params&). This table is the
// only place that lists every estimator; the layers above it (sensitivity, run_pairs) look
// methods up here by name.
#pragma once
#include "mrkit/estimate.hpp"
#include "mrkit/estimators.hpp"
#include "mrkit/params.hpp"
#include "mrkit/summary_data.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace mrkit {

using MethodFn = Estimate (*)(const SummaryData&, const Params&);

struct MethodEntry {
  const char* obj;
  MethodFn fn;
};

inline const std::vector<MethodEntry>& method_registry() {
  static const std::vector<MethodEntry> registry = {
      {"mr_wald_ratio", mr_wald_ratio},
      {"mr_egger_regression", mr_egger_regression},
      {"mr_ivw", mr_ivw},
      {"mr_ivw_mre", mr_ivw_mre},
      {"mr_ivw_fe", mr_ivw_fe},
      // -- resampling estimators --
      {"mr_egger_regression_bootstrap", mr_egger_regression_bootstrap},
      {"mr_simple_median", mr_simple_median},
      {"mr_weighted_median", mr_weighted_median},
      {"mr_penalised_weighted_median", mr_penalised_weighted_median},
      {"mr_simple_mode", mr_simple_mode},
      {"mr_weighted_mode", mr_weighted_mode},
      {"mr_weighted_mode_nome", mr_weighted_mode_nome},
      {"mr_simple_mode_nome", mr_simple_mode_nome},

      // -- other single-exposure estimators --
      {"mr_two_sample_ml", mr_two_sample_ml},
      {"mr_ivw_radial", mr_ivw_radial},
      {"mr_sign", mr_sign},
      {"mr_uwr", mr_uwr},
      {"mr_grip", mr_grip},
      {"mr_ivw_dl", mr_ivw_dl},

      // -- robust and outlier estimators --
      {"mr_raps", mr_raps},
      {"mr_conmix", mr_conmix},
      {"mr_divw", mr_divw},
      {"mr_pivw", mr_pivw},

      // -- robust estimators 2 (lasso, cML, MM, penalised) --
      {"mr_lasso", mr_lasso},
      {"mr_ivw_penalised", mr_ivw_penalised},
      {"mr_egger_penalised", mr_egger_penalised},
      {"mr_ivw_robust", mr_ivw_robust},
      {"mr_egger_robust", mr_egger_robust},
      {"mr_ivw_robust_penalised", mr_ivw_robust_penalised},
      {"mr_egger_robust_penalised", mr_egger_robust_penalised},
  };
  return registry;
}

inline MethodFn find_method(const std::string& obj) {
  for (const auto& m : method_registry())
    if (obj == m.obj) return m.fn;
  throw std::invalid_argument("unknown MR method '" + obj + "'");
}

}  // namespace mrkit
